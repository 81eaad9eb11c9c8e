namespace Verity.Domain.Common;

/// <summary>A move the rules do not allow right now; the message says what is missing.</summary>
public sealed class RuleViolation(string message) : Exception(message);
