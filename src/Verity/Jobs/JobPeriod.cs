namespace Verity.Jobs;

/// <summary>
/// A scheduled job's claim on its period (<c>triage:2026-W48</c>, <c>monthlyReport:2026-11</c>). The key is unique,
/// so whichever node or restart inserts it first does the work, and nobody repeats it.
/// </summary>
public sealed class JobPeriod
{
    public required string Key { get; init; }

    public DateTime ClaimedAt { get; init; }

    public DateTime? CompletedAt { get; set; }
}
