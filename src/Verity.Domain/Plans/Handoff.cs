using System.Text.RegularExpressions;

namespace Verity.Domain.Plans;

/// <summary>What a plan must carry before the SA hands it to the CSM.</summary>
public static partial class Handoff
{
    public static List<string> Missing(SuccessPlan plan, IReadOnlyCollection<(string Title, string? OwnerId)> objectives, int customerStakeholders)
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

        var journey = string.Join(" ", plan.Sections.Where(s => s.Key is "milestones" or "adoptionJourney").Select(s => s.Content));
        var horizons = new[] { 30, 60, 90 }.Where(days => !Regex.IsMatch(journey, $@"\b{days}\b")).ToList();
        if (horizons.Count > 0)
        {
            missing.Add("30/60/90-day milestones in the adoption journey or milestones section (missing: "
                + string.Join(", ", horizons.Select(d => $"{d} days")) + ")");
        }

        if (customerStakeholders == 0)
        {
            missing.Add("named customer stakeholders on the account");
        }

        return missing;
    }
}
