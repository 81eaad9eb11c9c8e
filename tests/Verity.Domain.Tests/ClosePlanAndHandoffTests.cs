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
        var plan = new SuccessPlan { AccountId = "a", Title = "Plan", Template = PlanTemplates.Mutual };
        var missing = Handoff.Missing(plan, [("Cut lead time", null)], customerStakeholders: 0);
        Assert.Contains(missing, m => m.Contains("\"Cut lead time\""));
        Assert.Contains(missing, m => m.Contains("30 days, 60 days, 90 days"));
        Assert.Contains(missing, m => m.Contains("customer stakeholders"));

        plan.SetSections(new Dictionary<string, string?> { ["adoptionJourney"] = "30 days: pilot. 60 days: ten teams. 90 days: everyone." });
        Assert.Empty(Handoff.Missing(plan, [("Cut lead time", "csm")], customerStakeholders: 2));
    }
}
