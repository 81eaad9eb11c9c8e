using System.Globalization;
using Verity.Domain.Plans;

namespace Verity.Domain.Accounts;

public enum CspStatus
{
    NotRequired,
    Missing,
    InProgress,
    Exception,
    Compliant,
}

/// <summary>The thresholds of the plan requirement: settings, with the seed's values as defaults.</summary>
public sealed record CspThresholds
{
    public decimal NewOrGrowthNetArr { get; init; } = 300_000m;

    public decimal FocusAccountNetArr { get; init; } = 30_000m;

    public decimal RenewalRecommendedNetArr { get; init; } = 300_000m;
}

public sealed record CspAssessment(bool Required, IReadOnlyList<string> Reasons, CspStatus Status, IReadOnlyList<string> Gaps, bool CustomerAccepted);

/// <summary>Which opportunities must have a mutual success plan, and whether they do.</summary>
public static class CspRequirement
{
    public static CspAssessment Assess(Opportunity opportunity, bool focusAccount, PlanStatus? linkedPlan, CspThresholds thresholds)
    {
        var reviewed = linkedPlan is PlanStatus.SharedWithCustomer or PlanStatus.CustomerAccepted;
        if (opportunity.Stage == OpportunityStage.ClosedLost)
        {
            return new(false, [], CspStatus.NotRequired, [], reviewed);
        }

        var reasons = new List<string>();
        var arr = opportunity.NetArr;
        if (opportunity.Type is OpportunityType.New or OpportunityType.Growth
            && arr >= thresholds.NewOrGrowthNetArr
            && opportunity.Stage >= OpportunityStage.TechnicalEvaluation)
        {
            reasons.Add($"A {Name(opportunity.Type)} opportunity of {Money(arr)} net ARR (at least {Money(thresholds.NewOrGrowthNetArr)}) at technical evaluation or later.");
        }

        if (focusAccount && arr >= thresholds.FocusAccountNetArr)
        {
            reasons.Add($"{Money(arr)} net ARR (at least {Money(thresholds.FocusAccountNetArr)}) on a focus account.");
        }

        if (opportunity.SaValidatedTechEval)
        {
            reasons.Add("The SA validated the technical evaluation.");
        }

        if (opportunity.CspRequiredBy is not null)
        {
            reasons.Add("A manager marked this opportunity as requiring a plan.");
        }

        var required = reasons.Count > 0;
        if (!required)
        {
            if (opportunity.Type == OpportunityType.Renewal && arr >= thresholds.RenewalRecommendedNetArr)
            {
                reasons.Add($"A renewal of {Money(arr)} net ARR (at least {Money(thresholds.RenewalRecommendedNetArr)}) may have a plan: recommended, not required.");
            }

            return new(false, reasons, CspStatus.NotRequired, [], reviewed);
        }

        if (opportunity.HasCspException)
        {
            return new(true, reasons, CspStatus.Exception, [], reviewed);
        }

        if (linkedPlan is null)
        {
            return new(true, reasons, CspStatus.Missing, ["No success plan is linked to this opportunity."], reviewed);
        }

        if (reviewed)
        {
            return new(true, reasons, CspStatus.Compliant, [], reviewed);
        }

        var gap = opportunity.Stage >= OpportunityStage.Proposal
            ? "The deal has reached proposal but the plan has not been reviewed with the customer."
            : "The plan must be reviewed with the customer before the deal reaches proposal.";
        return new(true, reasons, CspStatus.InProgress, [gap], reviewed);
    }

    private static string Name(OpportunityType type) => type switch
    {
        OpportunityType.New => "new",
        OpportunityType.Growth => "growth",
        OpportunityType.Renewal => "renewal",
    };

    private static string Money(decimal amount) => amount.ToString("#,0.##", CultureInfo.InvariantCulture);
}
