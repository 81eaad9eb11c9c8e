namespace Verity.Domain.Common;

/// <summary>A move the rules do not allow right now; the message says what is missing.</summary>
public sealed class RuleViolation(string message) : Exception(message);

/// <summary>A value the rules refuse, named by the field it came in (the API answers 400 naming it).</summary>
public sealed class FieldViolation(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
