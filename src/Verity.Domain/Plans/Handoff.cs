namespace Verity.Domain.Plans;

/// <summary>What a plan must carry before the SA hands it to the CSM.</summary>
public static class Handoff
{
    /// <summary>The horizons the SA must have planned, each with an owner, before the CSM takes over.</summary>
    public static readonly MilestoneHorizon[] RequiredHorizons = [MilestoneHorizon.Days30, MilestoneHorizon.Days60, MilestoneHorizon.Days90];

    public static List<string> Missing(
        IReadOnlyCollection<(string Title, string? OwnerId)> objectives, IReadOnlyCollection<Milestone> milestones, int customerStakeholders)
    {
        var missing = new List<string>();
        if (objectives.Count == 0)
        {
            missing.Add("the plan has no objectives");
        }

        var unowned = objectives.Where(o => o.OwnerId is null).Select(o => $"\"{o.Title}\"").ToList();
        if (unowned.Count > 0)
        {
            missing.Add("objectives without an owner: " + string.Join(", ", unowned));
        }

        var horizons = RequiredHorizons.Where(h => !milestones.Any(m => m.Horizon == h)).ToList();
        if (horizons.Count > 0)
        {
            missing.Add("milestones at 30, 60 and 90 days on the journey (missing: " + string.Join(", ", horizons.Select(Days)) + ")");
        }

        var unownedSteps = milestones.Where(m => RequiredHorizons.Contains(m.Horizon) && !m.HasOwner).Select(m => $"\"{m.Title}\"").ToList();
        if (unownedSteps.Count > 0)
        {
            missing.Add("30/60/90-day milestones without an owner on either side: " + string.Join(", ", unownedSteps));
        }

        if (customerStakeholders == 0)
        {
            missing.Add("named customer stakeholders on the account");
        }

        return missing;
    }

    private static string Days(MilestoneHorizon horizon) => $"{Milestone.Window(horizon).To} days";
}
