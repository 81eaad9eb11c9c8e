using Verity.Domain.Common;
using Verity.Domain.Plans;

namespace Verity.Domain.Tests;

public sealed class ClosePlanAndHandoffTests
{
    [Fact]
    public void The_catalogue_follows_the_seed_matrix()
    {
        Assert.Equal(15, ContentElements.All.Count);
        Assert.Equal(Enumerable.Range(1, 15), ContentElements.All.Select(e => e.Number));
        Assert.Equal(["whatWeHeard", "businessOutcomes", "workflows", "valueOutcomeMap", "economicsPricing", "usersPurchased"],
            ContentElements.For(Artifact.Proposal).Select(e => e.Key));
        Assert.Equal(["technicalEvaluation"], ContentElements.All.Where(e => e.Artifacts.SequenceEqual([Artifact.ClosePlan])).Select(e => e.Key));
        Assert.Equal(13, ContentElements.For(Artifact.MutualPlan).Count());
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 9], ContentElements.CopiedOnConversion.Select(k => ContentElements.Get(k).Number));
    }

    [Fact]
    public void Conversion_copies_elements_one_to_seven_and_nine_and_leaves_every_internal_note_behind()
    {
        var closePlan = new ClosePlan { AccountId = "a", OpportunityId = "o" };
        closePlan.SetElements(ContentElements.Keys.ToDictionary(k => k, k => ((string?)$"content of {k}", (string?)$"SECRET-{k}")));
        var plan = closePlan.ConvertToSuccessPlan("Acme — Mutual Success Plan", PlanTemplates.Mutual, "sa");

        Assert.Equal(ContentElements.CopiedOnConversion, plan.Sections.Select(s => s.Key));
        Assert.All(plan.Sections, s => Assert.Equal($"content of {s.Key}", s.Content));
        Assert.DoesNotContain(plan.Sections, s => s.Content.Contains("SECRET", StringComparison.Ordinal));
        Assert.Equal(("a", "sa"), (plan.AccountId, plan.OwnerId));
    }

    [Fact]
    public void Handoff_lists_everything_the_csm_would_miss()
    {
        var missing = Handoff.Missing([("Cut lead time", null)], [], customerStakeholders: 0);
        Assert.Contains(missing, m => m.Contains("\"Cut lead time\""));
        Assert.Contains(missing, m => m.Contains("30 days, 60 days, 90 days"));
        Assert.Contains(missing, m => m.Contains("customer stakeholders"));

        // Journey text that merely mentions 30, 60 and 90 days is no longer enough: milestones are.
        Milestone Step(MilestoneHorizon horizon, string? owner, string? stakeholder = null) =>
            new() { AccountId = "a", PlanId = "p", Title = $"Step {horizon}", Horizon = horizon, OwnerId = owner, OwnerStakeholderId = stakeholder };
        var partial = Handoff.Missing([("Cut lead time", "csm")], [Step(MilestoneHorizon.Days30, "sa"), Step(MilestoneHorizon.Months6, null)], customerStakeholders: 2);
        Assert.Equal(["milestones at 30, 60 and 90 days on the journey (missing: 60 days, 90 days)"], partial);

        var unowned = Handoff.Missing([("Cut lead time", "csm")],
            [Step(MilestoneHorizon.Days30, "sa"), Step(MilestoneHorizon.Days60, null), Step(MilestoneHorizon.Days90, null, stakeholder: "priya")], customerStakeholders: 2);
        Assert.Equal(["30/60/90-day milestones without an owner on either side: \"Step Days60\""], unowned);

        Assert.Empty(Handoff.Missing([("Cut lead time", "csm")],
            [Step(MilestoneHorizon.Days30, "sa"), Step(MilestoneHorizon.Days60, "csm"), Step(MilestoneHorizon.Days90, null, stakeholder: "priya")], customerStakeholders: 2));
    }

    [Theory]
    [InlineData(MilestoneHorizon.Days30, 0, true)]
    [InlineData(MilestoneHorizon.Days30, 30, true)]
    [InlineData(MilestoneHorizon.Days30, 31, false)]
    [InlineData(MilestoneHorizon.Days60, 31, true)]
    [InlineData(MilestoneHorizon.Days90, 90, true)]
    [InlineData(MilestoneHorizon.Months6, 91, true)]
    [InlineData(MilestoneHorizon.Months6, 200, false)]
    [InlineData(MilestoneHorizon.Months12, 366, true)]
    [InlineData(MilestoneHorizon.Months12, -3, false)]
    public void A_due_date_outside_its_horizon_is_flagged_not_refused(MilestoneHorizon horizon, int daysAfterStart, bool fits)
    {
        var began = new DateOnly(2026, 1, 1);
        var milestone = new Milestone { AccountId = "a", PlanId = "p", Title = "Step", Horizon = horizon, DueDate = began.AddDays(daysAfterStart) };
        Assert.Equal(fits, milestone.HorizonMismatch(began) is null);
        Assert.Null(new Milestone { AccountId = "a", PlanId = "p", Title = "Undated", Horizon = horizon }.HorizonMismatch(began));
    }
}
