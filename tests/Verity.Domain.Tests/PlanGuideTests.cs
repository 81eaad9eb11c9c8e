using Verity.Domain.Plans;

namespace Verity.Domain.Tests;

public sealed class PlanGuideTests
{
    private static readonly GuideObjective Ready = new(Open: true, IsSmart: true, HasOwner: true, HasTargetDate: true);

    private static readonly GuideFacts Finished = new(
        HasCustomerStakeholder: true, SectionsWritten: 3, Objectives: [Ready, Ready], TeamContributes: true, CustomerContributes: true,
        Status: PlanStatus.CustomerAccepted, LastReviewedAt: new DateOnly(2026, 11, 1), ProgressRecorded: true);

    private static GuideStep Step(GuideFacts facts, string key) => PlanGuide.Steps(facts).Single(s => s.Key == key);

    [Fact]
    public void A_new_plan_has_every_step_to_do_and_says_what_each_needs()
    {
        var steps = PlanGuide.Steps(new GuideFacts(false, 0, [], false, false, PlanStatus.Draft, null, false));
        Assert.Equal(["customerReview", "objectives", "strategySession", "documenting", "trackValue"], steps.Select(s => s.Key));
        Assert.Equal([1, 2, 3, 4, 5], steps.Select(s => s.Number));
        Assert.All(steps, s => Assert.False(s.Done));
        Assert.Equal(2, steps[0].Missing.Count);
        Assert.Equal(["Add one to three objectives, in the customer's words."], steps[1].Missing);
        Assert.Equal(["Hold the strategy session once the objectives are written."], steps[2].Missing);
        Assert.Equal(2, steps[4].Missing.Count);
    }

    [Fact]
    public void A_plan_with_every_fact_in_place_has_all_five_done()
    {
        Assert.All(PlanGuide.Steps(Finished), s => Assert.True(s.Done && s.Missing.Count == 0, s.Title));
    }

    [Fact]
    public void Objectives_are_done_only_when_every_open_one_is_smart_and_closed_ones_do_not_count()
    {
        var vague = Finished with { Objectives = [Ready, Ready with { IsSmart = false }, Ready with { IsSmart = false, Open = false }] };
        var step = Step(vague, "objectives");
        Assert.False(step.Done);
        Assert.Equal(["1 open objective is not yet SMART: give each a metric with a baseline and a target, and a date."], step.Missing);
    }

    [Fact]
    public void The_strategy_session_wants_focus_owners_deadlines_and_both_sides_contributing()
    {
        Assert.Contains("Focus: rank the 4 open objectives and keep the top 3.", Step(Finished with { Objectives = [Ready, Ready, Ready, Ready] }, "strategySession").Missing);
        Assert.Contains("2 open objectives need an owner and a deadline.",
            Step(Finished with { Objectives = [Ready with { HasOwner = false }, Ready with { HasTargetDate = false }] }, "strategySession").Missing);
        Assert.Equal(["Agree what the customer's team contributes: an initiative owned by one of their stakeholders."],
            Step(Finished with { CustomerContributes = false }, "strategySession").Missing);
        Assert.Equal(["Agree what our team contributes: an initiative owned by one of us."], Step(Finished with { TeamContributes = false }, "strategySession").Missing);
    }

    [Theory]
    [InlineData(PlanStatus.Draft, false)]
    [InlineData(PlanStatus.SharedWithCustomer, true)]
    [InlineData(PlanStatus.CustomerAccepted, true)]
    public void Documenting_is_done_once_the_plan_is_shared(PlanStatus status, bool done) =>
        Assert.Equal(done, Step(Finished with { Status = status }, "documenting").Done);

    [Fact]
    public void Tracking_value_wants_recorded_progress_and_a_review_with_the_customer()
    {
        Assert.False(Step(Finished with { ProgressRecorded = false }, "trackValue").Done);
        Assert.False(Step(Finished with { LastReviewedAt = null }, "trackValue").Done);
        Assert.False(Step(Finished with { HasCustomerStakeholder = false }, "customerReview").Done);
    }
}
