using System.Text.RegularExpressions;
using Verity.Domain.Common;
using Verity.Domain.Objectives;

namespace Verity.Domain.Plans;

/// <summary>A section a plan made from the template has: its key, its title, what to write there, and text to start from.</summary>
public sealed record TemplateSection(string Key, string Title, string? Prompt = null, string? Starter = null);

/// <summary>An objective the template suggests; the team adds it in the customer's words.</summary>
public sealed record TemplateObjective(string Title, ObjectiveKind Kind, string? SuccessCriteria = null);

/// <summary>A step of the journey every plan from the template starts with.</summary>
public sealed record TemplateMilestone(MilestoneHorizon Horizon, string Title);

/// <summary>
/// The shape of a plan: its sections with prompts, suggested objectives and a milestone skeleton. Three are built in
/// (<see cref="BuiltInTemplates"/>); an admin adds more, stored in the database.
/// </summary>
public sealed partial class PlanTemplate : Entity
{
    public required string Key { get; set; }

    public required string Name { get; set; }

    public List<TemplateSection> Sections { get; set; } = [];

    public List<TemplateObjective> Objectives { get; set; } = [];

    public List<TemplateMilestone> Milestones { get; set; } = [];

    public bool IsBuiltIn => BuiltInTemplates.Find(Key) is { } builtIn && ReferenceEquals(builtIn, this);

    public TemplateSection? Section(string key) => Sections.Find(s => s.Key == key);

    /// <summary>
    /// What a new plan made from this template starts with: the starter text of every section it was not given, and
    /// the journey's skeleton, each step due at the end of its horizon counted from the day the plan began.
    /// </summary>
    public List<Milestone> StartPlan(SuccessPlan plan, DateOnly began)
    {
        var sections = plan.Sections.ToDictionary(s => s.Key, s => (string?)s.Content);
        foreach (var section in Sections.Where(s => s.Starter is not null && !sections.ContainsKey(s.Key)))
        {
            sections[section.Key] = section.Starter;
        }

        plan.SetSections(sections);
        return [.. Milestones.Select(step => new Milestone
        {
            AccountId = plan.AccountId, PlanId = plan.Id, Title = step.Title, Horizon = step.Horizon, DueDate = began.AddDays(Milestone.Window(step.Horizon).To),
        })];
    }

    /// <summary>A key a URL, a JSON property and a form field can all carry: a letter, then letters and digits.</summary>
    public static bool IsIdentifier(string? key) => key is not null && Identifier().IsMatch(key);

    /// <summary>What is wrong with the template's shape, by field (<c>sections[1].key</c>), or nothing.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        if (!IsIdentifier(Key))
        {
            problems["key"] = ["Must start with a letter and hold only letters and digits, at most 40 (e.g. impactJourney)."];
        }

        if (Sections.Count == 0)
        {
            problems["sections"] = ["A template needs at least one section."];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Sections.Count; i++)
        {
            var section = Sections[i];
            if (!IsIdentifier(section.Key))
            {
                problems[$"sections[{i}].key"] = ["Must start with a letter and hold only letters and digits, at most 40."];
            }
            else if (!seen.Add(section.Key))
            {
                problems[$"sections[{i}].key"] = [$"'{section.Key}' is already a section of this template: keys must be unique."];
            }

            if (string.IsNullOrWhiteSpace(section.Title))
            {
                problems[$"sections[{i}].title"] = ["Every section needs a title."];
            }
        }

        for (var i = 0; i < Objectives.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Objectives[i].Title))
            {
                problems[$"objectives[{i}].title"] = ["Every suggested objective needs a title."];
            }
        }

        for (var i = 0; i < Milestones.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Milestones[i].Title))
            {
                problems[$"milestones[{i}].title"] = ["Every milestone needs a title."];
            }
        }

        return problems;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex Identifier();
}

/// <summary>The templates every installation has: the seed's mutual plan, the lighter commercial one, and the 12-month impact journey.</summary>
public static class BuiltInTemplates
{
    private static readonly Dictionary<string, string> _prompts = new()
    {
        ["companyBackground"] = "Who the customer is, what they sell, how big the teams are, and what is changing for them this year.",
        ["whatWeHeard"] = "The pains and goals in the customer's own words, from discovery calls.",
        ["keyStakeholders"] = "Who is invested on each side: sponsor, champion, economic buyer, process owners — and who could stand in the way.",
        ["businessOutcomes"] = "The strategic initiatives this plan serves and the business outcomes they expect.",
        ["workflows"] = "How the work is done today and how it will be done, step by step.",
        ["useCasesRisks"] = "The use cases in scope, the risks to each and how they are mitigated.",
        ["activities"] = "What has been done together so far and what is planned next.",
        ["technicalEvaluation"] = "The evaluation plan: criteria, environment, dates, who signs it off.",
        ["valueOutcomeMap"] = "Each outcome with its metric, baseline and target, and where the number comes from.",
        ["economicsPricing"] = "What was bought or proposed and on what terms.",
        ["usersPurchased"] = "How many users, which products, and who they are.",
        ["adoptionJourney"] = "The phases: what happens in 30, 60 and 90 days, at 6 and at 12 months. The milestones below make it trackable.",
        ["milestones"] = "The business and technical milestones at 3, 6 and 12 months, and how each is verified.",
        ["enablementPlan"] = "Training, office hours and champions: who learns what, and by when.",
        ["architectureNotes"] = "Producer side (deployment, configuration, integration) and consumer side (onboarding, management, monitoring).",
    };

    public static readonly PlanTemplate Mutual = new()
    {
        Key = PlanTemplates.Mutual,
        Name = "Mutual customer success plan",
        Sections = [.. ContentElements.All.Select(e => new TemplateSection(e.Key, e.Title, _prompts[e.Key]))],
        Objectives =
        [
            new("Reduce <process> time from <baseline> to <target> by <date>", ObjectiveKind.Quantitative, "<metric> at <target> or better for a month, confirmed by the customer"),
            new("Onboard <n> teams to <product> by <date>", ObjectiveKind.Quantitative, "<n> teams active every week"),
        ],
        Milestones =
        [
            new(MilestoneHorizon.Days30, "Kick-off held; baselines agreed"),
            new(MilestoneHorizon.Days60, "Pilot team live"),
            new(MilestoneHorizon.Days90, "First outcome measured against its target"),
            new(MilestoneHorizon.Months6, "Rolled out beyond the pilot"),
            new(MilestoneHorizon.Months12, "Outcomes verified with the customer; renewal review"),
        ],
    };

    public static readonly PlanTemplate Commercial = new()
    {
        Key = PlanTemplates.Commercial,
        Name = "Commercial success plan",
        Sections = [.. ContentElements.All.Where(e => ContentElements.CopiedOnConversion.Contains(e.Key) || e.Key == "adoptionJourney")
            .Select(e => new TemplateSection(e.Key, e.Title, _prompts[e.Key]))],
        Objectives = [new("Reach <n> weekly active users by <date>", ObjectiveKind.Quantitative, "<n> weekly active users for a month")],
        Milestones =
        [
            new(MilestoneHorizon.Days30, "Onboarding call held"),
            new(MilestoneHorizon.Days60, "First team using it every week"),
            new(MilestoneHorizon.Days90, "Check-in: value seen so far"),
        ],
    };

    /// <summary>Seed 003: the 12-month customer impact journey.</summary>
    public static readonly PlanTemplate ImpactJourney = new()
    {
        Key = PlanTemplates.ImpactJourney,
        Name = "12-month impact journey",
        Sections =
        [
            new("customerExpectations", "Customer expectations",
                "What are they trying to achieve? Which problems are they solving? Is it for internal or public use, technical or not? Why us — what made us better placed than the other tools?",
                "- Trying to achieve:\n- Problems to solve:\n- Internal or public use:\n- Why us:"),
            new("smartGoals", "SMART goals",
                "Goals that are Specific, Measurable, Achievable, Relevant and Time-bound, so each impact review can report on them. They differ by use case: internal or public, technical or not, open source."),
            new("keyMetrics", "Key metrics",
                "Every feature not in use is something the customer pays for without getting value: which features and usage numbers show value, and their baseline today."),
            new("changeManagement", "Change management",
                "The why (why did they buy, why now, what does not changing cost?), what is in it for each person, the barriers to expect, and how the team's way of working changes — a change of habits, not an overhaul.",
                "- Why:\n- What's in it for them:\n- Expected barriers:\n- How the team's behaviour changes:"),
            new("nextSteps", "Next steps", "The onboarding call, the impact reviews (QBRs) and the check-ins, with dates.",
                "- Onboarding call:\n- Impact reviews (QBRs):\n- Check-ins:"),
        ],
        Objectives =
        [
            new("Publish <n> documentation spaces the team uses weekly by <date>", ObjectiveKind.Quantitative, "<n> spaces with weekly readers for a month"),
            new("Cut the time to find an answer in the docs from <baseline> to <target> minutes by <date>", ObjectiveKind.Quantitative, "Median search-to-answer time at <target> minutes or less"),
            new("Every new hire onboards from the docs alone by <date>", ObjectiveKind.Qualitative, "New hires confirm in the onboarding survey that the docs were enough"),
        ],
        Milestones =
        [
            new(MilestoneHorizon.Days30, "Month 1: onboarding call held; expectations and SMART goals agreed"),
            new(MilestoneHorizon.Days90, "Month 3: first impact review (QBR)"),
            new(MilestoneHorizon.Months6, "Month 6: impact review; key metrics against baseline"),
            new(MilestoneHorizon.Months12, "Month 9: check-in; habits formed, barriers cleared"),
            new(MilestoneHorizon.Months12, "Month 12: impact review; outcomes verified, next year's goals"),
        ],
    };

    public static readonly IReadOnlyList<PlanTemplate> All = [Mutual, Commercial, ImpactJourney];

    public static PlanTemplate? Find(string? key) => All.FirstOrDefault(t => t.Key == key);
}
