namespace Verity.Domain.Objectives;

/// <summary>One move of an objective, to record on its timeline.</summary>
public sealed record ObjectiveMove(string Field, string From, string To, string? Note);
