namespace Verity.Domain.Common;

/// <summary>The documents generated from a plan; the first four are the seed's artifact matrix.</summary>
public enum Artifact
{
    ClosePlan,
    Proposal,
    MutualPlan,
    Kickoff,

    /// <summary>An executive business review: the kick-off / onboarding EBR column of the matrix, plus what changed since the last one.</summary>
    BusinessReview,
}

public sealed record ContentElement(string Key, int Number, string Title, IReadOnlyList<Artifact> Artifacts);

/// <summary>
/// The 15 content elements of a technical close plan, in the seed's order, with the artifacts that include
/// each — the one source every generated document is drawn from. Plan sections use the same keys.
/// </summary>
public static class ContentElements
{
    private const Artifact T = Artifact.ClosePlan;
    private const Artifact P = Artifact.Proposal;
    private const Artifact M = Artifact.MutualPlan;
    private const Artifact K = Artifact.Kickoff;

    public static readonly IReadOnlyList<ContentElement> All =
    [
        new("companyBackground", 1, "Company Background", [T, M]),
        new("whatWeHeard", 2, "What We Have Heard", [P, M]),
        new("keyStakeholders", 3, "Key Stakeholders / Project Team", [T, M, K]),
        new("businessOutcomes", 4, "Business Outcomes / Strategic Initiatives", [T, P, M, K]),
        new("workflows", 5, "Current & Proposed Workflow Diagrams", [T, P, M, K]),
        new("useCasesRisks", 6, "Applications & Use Cases / Risks & Mitigations", [T, M, K]),
        new("activities", 7, "Activities Planned / Completed", [T, M]),
        new("technicalEvaluation", 8, "Technical Evaluation Plan & Activities", [T]),
        new("valueOutcomeMap", 9, "Value Outcome Map / Metrics", [T, P, M, K]),
        new("economicsPricing", 10, "Economics / Pricing", [P]),
        new("usersPurchased", 11, "Users / What Was Bought or Recommended", [P, M, K]),
        new("adoptionJourney", 12, "Phased Success Plan and Adoption Journey", [M, K]),
        new("milestones", 13, "Outcomes, Objectives & Activities — Business/Technical Milestones (3/6/12 month)", [M, K]),
        new("enablementPlan", 14, "Enablement Plan", [M]),
        new("architectureNotes", 15, "Architecture Notes: Producer (Deployment, Configuration, Integration); Consumer (Onboarding, Management, Monitoring)", [M]),
    ];

    public static readonly IReadOnlyList<string> Keys = All.Select(e => e.Key).ToList();

    /// <summary>What <i>Convert to CSP</i> copies from the close plan: elements 1–7 and 9.</summary>
    public static readonly IReadOnlyList<string> CopiedOnConversion =
        All.Where(e => e.Number is >= 1 and <= 7 or 9).Select(e => e.Key).ToList();

    public static bool IsKnown(string key) => Keys.Contains(key, StringComparer.Ordinal);

    public static ContentElement Get(string key) => All.Single(e => e.Key == key);

    public static IEnumerable<ContentElement> For(Artifact artifact) =>
        All.Where(e => e.Artifacts.Contains(artifact == Artifact.BusinessReview ? Artifact.Kickoff : artifact));

    /// <summary>Only the close plan is for the vendor's eyes: every other artifact is customer-facing.</summary>
    public static bool IsCustomerFacing(Artifact artifact) => artifact != Artifact.ClosePlan;
}
