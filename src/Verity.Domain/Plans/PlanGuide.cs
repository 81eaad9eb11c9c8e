namespace Verity.Domain.Plans;

/// <summary>An objective as the guide reads it: open or closed, SMART or not, owned, dated.</summary>
public sealed record GuideObjective(bool Open, bool IsSmart, bool HasOwner, bool HasTargetDate);

/// <summary>The facts of a plan the guide ticks its steps from.</summary>
public sealed record GuideFacts(
    bool HasCustomerStakeholder,
    int SectionsWritten,
    IReadOnlyList<GuideObjective> Objectives,
    bool TeamContributes,
    bool CustomerContributes,
    PlanStatus Status,
    DateOnly? LastReviewedAt,
    bool ProgressRecorded);

/// <summary>One step of the guide: done or not, and what is still missing, in the words of the seed.</summary>
public sealed record GuideStep(int Number, string Key, string Title, string Prompt, bool Done, IReadOnlyList<string> Missing);

/// <summary>
/// Seed 000's five steps to a success plan — customer review, business objectives, strategy session, documenting,
/// tracking value — as a checklist that ticks itself from the plan's facts. A plan with every step done no longer
/// needs the guide.
/// </summary>
public static class PlanGuide
{
    /// <summary>The seed's common pitfalls of objectives, numerical and qualitative.</summary>
    public static readonly IReadOnlyList<string> Pitfalls =
    [
        "Unrealistic: \"a 50% increase in revenue\" is easy to say and hard to own.",
        "Not the real goal: \"activate 50% of users\" when what matters is the effect on their bottom line.",
        "Not measurable: \"delight the customer\".",
        "In the weeds: technical jargon the sponsor and the executives do not use.",
        "Nice-to-have or out of date: is this their first or second company initiative, or their fifth?",
        "Ambiguous: \"more things faster\", \"better collaboration\".",
    ];

    public static IReadOnlyList<GuideStep> Steps(GuideFacts facts)
    {
        var open = facts.Objectives.Where(o => o.Open).ToList();

        var review = new List<string>();
        if (!facts.HasCustomerStakeholder)
        {
            review.Add("Add the customer's stakeholders to the account: sponsor, economic buyer, champion.");
        }

        if (facts.SectionsWritten == 0)
        {
            review.Add("Write down what you confirmed with the account team: the positive business outcomes, risks and barriers, their environment.");
        }

        var objectives = new List<string>();
        if (facts.Objectives.Count == 0)
        {
            objectives.Add("Add one to three objectives, in the customer's words.");
        }
        else if (open.Count(o => !o.IsSmart) is > 0 and var vague)
        {
            objectives.Add($"{vague} open objective{(vague == 1 ? " is" : "s are")} not yet SMART: give each a metric with a baseline and a target, and a date.");
        }

        var strategy = new List<string>();
        if (facts.Objectives.Count == 0)
        {
            strategy.Add("Hold the strategy session once the objectives are written.");
        }
        else if (open.Count > SuccessPlan.FocusedObjectives)
        {
            strategy.Add($"Focus: rank the {open.Count} open objectives and keep the top {SuccessPlan.FocusedObjectives}.");
        }

        if (open.Count(o => !o.HasOwner || !o.HasTargetDate) is > 0 and var unowned)
        {
            strategy.Add($"{unowned} open objective{(unowned == 1 ? " needs" : "s need")} an owner and a deadline.");
        }

        if (facts.Objectives.Count > 0 && (!facts.TeamContributes || !facts.CustomerContributes))
        {
            strategy.Add(facts.TeamContributes
                ? "Agree what the customer's team contributes: an initiative owned by one of their stakeholders."
                : facts.CustomerContributes
                    ? "Agree what our team contributes: an initiative owned by one of us."
                    : "Agree each side's contributions: initiatives owned by our team and by theirs.");
        }

        var documenting = facts.Status is PlanStatus.SharedWithCustomer or PlanStatus.CustomerAccepted
            ? []
            : new List<string> { "Share the plan with the customer, so both sides work from the same page." };

        var tracking = new List<string>();
        if (!facts.ProgressRecorded)
        {
            tracking.Add("Record progress: a measurement against a baseline, or the customer's confirmation of an outcome.");
        }

        if (facts.LastReviewedAt is null)
        {
            tracking.Add("Review the plan with the customer (a business review or a check-in) and note the date.");
        }

        return
        [
            new(1, "customerReview", "Customer review",
                "Confirm with the SA and the account executive the customer's positive business outcomes, stakeholders, risks and environment.", review.Count == 0, review),
            new(2, "objectives", "Business objectives",
                "Objectives in the customer's words that they can measure: numerical goals (time saved, money earned) or a strategic win.", objectives.Count == 0, objectives),
            new(3, "strategySession", "Strategy session",
                "Agree on one to three objectives with everyone: rank them, who benefits, quick wins, deadlines, and each side's contributions.", strategy.Count == 0, strategy),
            new(4, "documenting", "Document and share",
                "The team on both sides, each objective with its stakeholders and success criteria, shared with the customer.", documenting.Count == 0, documenting),
            new(5, "trackValue", "Track value",
                "Drive progress, record and demonstrate success, and validate the objectives at each business review.", tracking.Count == 0, tracking),
        ];
    }
}
