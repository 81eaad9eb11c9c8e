namespace Verity.Domain.Common;

/// <summary>
/// A move the rules do not allow right now; the message says what is missing, and <see cref="Field"/> names the input
/// that would supply it, when one would (a page shows the message beside it; the API answers 409 with it in <c>errors</c>).
/// </summary>
public sealed class RuleViolation(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}

/// <summary>A value the rules refuse, named by the field it came in (the API answers 400 naming it).</summary>
public sealed class FieldViolation(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
