using Verity.Domain.Common;

namespace Verity.Features.Triage;

/// <summary>One pass of the triage over every open objective, and what it changed.</summary>
public sealed class TriageRun : IHasId
{
    public string Id { get; init; } = Ids.New();

    /// <summary>The period a scheduled run claimed (<c>triage:2026-W48</c>); null when someone ran it by hand.</summary>
    public string? Period { get; init; }

    public DateTime StartedAt { get; init; }

    public DateTime? FinishedAt { get; set; }

    public int ObjectivesChecked { get; set; }

    public int Opened { get; set; }

    public int StillOpen { get; set; }

    public int Resolved { get; set; }
}
