using Verity.Domain.Accounts;
using Verity.Domain.Plans;

namespace Verity.Domain.Tests;

public sealed class CspRequirementTests
{
    private static readonly CspThresholds _defaults = new();

    private static Opportunity Deal(OpportunityType type, decimal arr, OpportunityStage stage, bool saValidated = false) => new()
    {
        AccountId = "a",
        Name = "Deal",
        Type = type,
        NetArr = arr,
        Stage = stage,
        SaValidatedTechEval = saValidated,
    };

    [Theory]
    [InlineData(OpportunityType.New, 300_000, OpportunityStage.TechnicalEvaluation, true)]
    [InlineData(OpportunityType.New, 299_999.99, OpportunityStage.TechnicalEvaluation, false)]
    [InlineData(OpportunityType.Growth, 300_000, OpportunityStage.TechnicalEvaluation, true)]
    [InlineData(OpportunityType.Growth, 300_000, OpportunityStage.Scoping, false)]
    [InlineData(OpportunityType.Growth, 1_000_000, OpportunityStage.Discovery, false)]
    [InlineData(OpportunityType.New, 300_000, OpportunityStage.Proposal, true)]
    [InlineData(OpportunityType.New, 300_000, OpportunityStage.ClosedWon, true)]
    [InlineData(OpportunityType.New, 5_000_000, OpportunityStage.ClosedLost, false)]
    [InlineData(OpportunityType.Renewal, 300_000, OpportunityStage.TechnicalEvaluation, false)]
    public void New_and_growth_deals_of_300k_need_a_plan_from_technical_evaluation(OpportunityType type, double arr, OpportunityStage stage, bool required)
    {
        var csp = CspRequirement.Assess(Deal(type, (decimal)arr, stage), focusAccount: false, linkedPlan: null, _defaults);
        Assert.Equal(required, csp.Required);
        Assert.Equal(required ? CspStatus.Missing : CspStatus.NotRequired, csp.Status);
    }

    [Theory]
    [InlineData(29_999, false)]
    [InlineData(30_000, true)]
    public void Focus_accounts_need_a_plan_from_30k_at_any_stage(double arr, bool required)
    {
        var csp = CspRequirement.Assess(Deal(OpportunityType.Renewal, (decimal)arr, OpportunityStage.Discovery), focusAccount: true, null, _defaults);
        Assert.Equal(required, csp.Required);
        if (required)
        {
            Assert.Contains("focus account", Assert.Single(csp.Reasons));
        }
    }

    [Fact]
    public void An_sa_validated_evaluation_needs_a_plan_at_any_amount()
    {
        var csp = CspRequirement.Assess(Deal(OpportunityType.New, 1, OpportunityStage.Discovery, saValidated: true), false, null, _defaults);
        Assert.True(csp.Required);
        Assert.Equal(["The SA validated the technical evaluation."], csp.Reasons);
    }

    [Fact]
    public void Closed_lost_needs_nothing_whatever_else_applies()
    {
        var deal = Deal(OpportunityType.New, 900_000, OpportunityStage.ClosedLost, saValidated: true);
        deal.RequirePlan(true, "manager");
        var csp = CspRequirement.Assess(deal, focusAccount: true, null, _defaults);
        Assert.False(csp.Required);
        Assert.Empty(csp.Reasons);
    }

    [Fact]
    public void A_big_renewal_is_recommended_not_required()
    {
        var csp = CspRequirement.Assess(Deal(OpportunityType.Renewal, 300_000, OpportunityStage.Negotiating), false, null, _defaults);
        Assert.False(csp.Required);
        Assert.Equal(CspStatus.NotRequired, csp.Status);
        Assert.Contains("recommended, not required", Assert.Single(csp.Reasons));
    }

    [Fact]
    public void Every_rule_that_applies_gives_its_own_reason_and_a_manager_may_add_one()
    {
        var deal = Deal(OpportunityType.Growth, 450_000, OpportunityStage.Proposal, saValidated: true);
        deal.RequirePlan(true, "manager");
        var csp = CspRequirement.Assess(deal, focusAccount: true, null, _defaults);
        Assert.Equal(4, csp.Reasons.Count);
        Assert.Contains(csp.Reasons, r => r.Contains("450,000"));
        Assert.Contains(csp.Reasons, r => r.Contains("manager"));
        var manual = Deal(OpportunityType.New, 10, OpportunityStage.Discovery);
        manual.RequirePlan(true, "manager");
        Assert.True(CspRequirement.Assess(manual, false, null, _defaults).Required);
    }

    [Theory]
    [InlineData(OpportunityStage.TechnicalEvaluation, null, CspStatus.Missing)]
    [InlineData(OpportunityStage.TechnicalEvaluation, PlanStatus.Draft, CspStatus.InProgress)]
    [InlineData(OpportunityStage.TechnicalEvaluation, PlanStatus.SharedWithCustomer, CspStatus.Compliant)]
    [InlineData(OpportunityStage.Proposal, PlanStatus.Draft, CspStatus.InProgress)]
    [InlineData(OpportunityStage.Proposal, PlanStatus.SharedWithCustomer, CspStatus.Compliant)]
    [InlineData(OpportunityStage.Negotiating, PlanStatus.CustomerAccepted, CspStatus.Compliant)]
    [InlineData(OpportunityStage.Negotiating, PlanStatus.Archived, CspStatus.InProgress)]
    public void Compliance_needs_a_plan_reviewed_with_the_customer_by_proposal(OpportunityStage stage, PlanStatus? plan, CspStatus expected)
    {
        var csp = CspRequirement.Assess(Deal(OpportunityType.New, 500_000, stage), false, plan, _defaults);
        Assert.Equal(expected, csp.Status);
        Assert.Equal(plan is PlanStatus.SharedWithCustomer or PlanStatus.CustomerAccepted, csp.CustomerAccepted);
        if (expected == CspStatus.InProgress && stage >= OpportunityStage.Proposal)
        {
            Assert.Contains("reached proposal", Assert.Single(csp.Gaps));
        }
    }

    [Fact]
    public void An_exception_stands_in_for_a_plan_until_withdrawn()
    {
        var deal = Deal(OpportunityType.New, 500_000, OpportunityStage.Proposal);
        deal.GrantCspException("Customer declined to engage after three attempts", "director", DateTime.UtcNow);
        Assert.Equal(CspStatus.Exception, CspRequirement.Assess(deal, false, null, _defaults).Status);
        deal.WithdrawCspException();
        Assert.Equal(CspStatus.Missing, CspRequirement.Assess(deal, false, null, _defaults).Status);
        Assert.Throws<Common.RuleViolation>(deal.WithdrawCspException);
        Assert.Throws<ArgumentException>(() => deal.GrantCspException(" ", "director", DateTime.UtcNow));
    }

    [Fact]
    public void Thresholds_are_settings()
    {
        var stricter = new CspThresholds { NewOrGrowthNetArr = 100_000m };
        Assert.True(CspRequirement.Assess(Deal(OpportunityType.New, 150_000, OpportunityStage.TechnicalEvaluation), false, null, stricter).Required);
        Assert.False(CspRequirement.Assess(Deal(OpportunityType.New, 150_000, OpportunityStage.TechnicalEvaluation), false, null, _defaults).Required);
    }
}
