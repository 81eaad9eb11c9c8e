namespace Verity.Domain.Objectives;

/// <summary>One move of an objective, to record on its timeline.</summary>
public sealed record ObjectiveMove(string Field, string From, string To, string? Note);

/// <summary>What the rules of acceptance need to know about an objective's metrics.</summary>
public sealed record MetricFacts(string Name, bool HasBaseline, bool HasTarget);
