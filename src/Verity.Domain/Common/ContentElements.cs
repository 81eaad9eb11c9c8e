namespace Verity.Domain.Common;

/// <summary>The 15 content elements of a technical close plan, in the seed's order; plan sections use the same keys.</summary>
public static class ContentElements
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "companyBackground",
        "whatWeHeard",
        "keyStakeholders",
        "businessOutcomes",
        "workflows",
        "useCasesRisks",
        "activities",
        "technicalEvaluation",
        "valueOutcomeMap",
        "economicsPricing",
        "usersPurchased",
        "adoptionJourney",
        "milestones",
        "enablementPlan",
        "architectureNotes",
    ];

    public static bool IsKnown(string key) => Keys.Contains(key, StringComparer.Ordinal);
}
