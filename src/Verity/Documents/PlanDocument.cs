using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Features.Health;
using Verity.Features.Objectives;
using Verity.Http;

namespace Verity.Documents;

/// <summary>A section of the plan as an artifact shows it; a catalogue element keeps its number, a template's own section has none (0).</summary>
public sealed record DocumentSection(int Number, string Title, string Content, string? InternalNotes)
{
    public string Heading => Number > 0 ? $"{Number}. {Title}" : Title;
}

/// <summary>The executive summary: a headline, a line per objective, what is at risk, and the asks.</summary>
public sealed record ExecutiveSummary(string Headline, IReadOnlyList<string> Progress, IReadOnlyList<string> AtRisk, IReadOnlyList<string> Asks)
{
    /// <summary>The three parts under the headline, each saying so when it is empty, as every artifact shows them.</summary>
    public IEnumerable<(string Title, IEnumerable<string> Lines)> Parts() =>
    [
        ("Progress", Progress.DefaultIfEmpty("No objective is being tracked yet.")),
        ("At risk", AtRisk.DefaultIfEmpty("Nothing is at risk.")),
        ("Asks", Asks.DefaultIfEmpty("Nothing is asked of anyone this time.")),
    ];
}

/// <summary>A risk, an ask or a next step: what, whose, and by when.</summary>
public sealed record DocumentItem(string What, string Who, DateOnly? When)
{
    public string Line() => $"{What} ({Who}{(When is { } d ? $", by {d:yyyy-MM-dd}" : "")}).";
}

public sealed record DocumentActivity(DateTime At, ActivityType Type, string Summary, bool Internal);

public sealed record DocumentChange(DateTime At, string What, string Field, string? Old, string? New);

/// <summary>A step of the adoption journey as a deck shows it: horizon, what, when, whose, and where it stands.</summary>
public sealed record DocumentMilestone(Domain.Plans.MilestoneHorizon Horizon, string Title, DateOnly? DueDate, string Owner, Domain.Plans.MilestoneStatus Status, bool Overdue);

/// <summary>
/// What the customer uses of what they bought, for the business review: each feature's latest licensed and active
/// users, the use cases by stage and the latest support counts. Null when the account has none of them, so no
/// artifact carries an empty slide.
/// </summary>
public sealed record DocumentAdoption(
    IReadOnlyList<AdoptionLatest> Features,
    double? Utilisation,
    IReadOnlyList<UseCaseItem> UseCases,
    SupportItem? Support)
{
    public static async Task<DocumentAdoption?> LoadAsync(VerityDb db, string accountId, CancellationToken cancellationToken)
    {
        // The team's figures: the query filters give a customer none, and this says so where it is decided.
        if (db.Actor.IsCustomer)
        {
            return null;
        }

        var adoption = await AdoptionEndpoints.ReadLatestAdoptionAsync(db, accountId, cancellationToken);
        var useCases = await AdoptionEndpoints.ReadUseCasesAsync(db, accountId, cancellationToken);
        var support = await db.SupportFigures.AsNoTracking().Where(s => s.AccountId == accountId).OrderByDescending(s => s.At)
            .Select(s => new SupportItem(s.At, s.Open, s.Closed, s.Critical, s.EnhancementRequests))
            .FirstOrDefaultAsync(cancellationToken);
        return adoption.Latest.Count == 0 && useCases.Items.Count == 0 && support is null
            ? null
            : new DocumentAdoption(adoption.Latest, adoption.Utilisation, useCases.Items, support);
    }

    /// <summary>"2 in production, 1 piloting": the use cases by stage, furthest first.</summary>
    public string UseCaseSummary() => string.Join(", ", new[] { UseCaseStage.Production, UseCaseStage.Piloting, UseCaseStage.NotStarted }
        .Select(stage => (Stage: stage, Count: UseCases.Count(u => u.Stage == stage)))
        .Where(x => x.Count > 0)
        .Select(x => $"{x.Count} {StageInWords(x.Stage)}"));

    /// <summary>Each use case with its stage, in the team's order.</summary>
    public IEnumerable<string> UseCaseLines() => UseCases.Select(u => $"{u.Name} — {StageInWords(u.Stage)}");

    private static string StageInWords(UseCaseStage stage) => Words.Say(stage).ToLowerInvariant();

    /// <summary>"As of 2026-11-10: 3 open support tickets (1 critical), 38 closed, 5 enhancement requests."</summary>
    public string? SupportLine() => Support is { } s
        ? $"As of {Dates.Iso(s.At)}: {s.Open} open support ticket{(s.Open == 1 ? "" : "s")} ({s.Critical} critical), {s.Closed} closed, {s.EnhancementRequests} enhancement request{(s.EnhancementRequests == 1 ? "" : "s")}."
        : null;
}

/// <summary>
/// Everything one artifact of one plan shows, read once and already cut to what its audience may see:
/// internal notes and internal activities are loaded only for the close plan.
/// </summary>
public sealed record PlanDocument(
    Artifact Artifact,
    string AccountName,
    string PlanTitle,
    string Template,
    string PlanStatus,
    DateOnly Date,
    IReadOnlyList<string> VendorTeam,
    IReadOnlyList<string> CustomerTeam,
    IReadOnlyList<DocumentSection> Sections,
    IReadOnlyList<ObjectiveResponse> Objectives,
    ILookup<string, (DateOnly At, double Value)> Measurements,
    IReadOnlyDictionary<string, string> Names,
    IReadOnlyList<DocumentActivity> Timeline,
    IReadOnlyList<DocumentChange> ChangesSinceLastReview,
    DateTime? LastBusinessReview,
    IReadOnlyList<ObjectiveResponse> RecentlyClosed,
    DocumentAdoption? Adoption = null,
    IReadOnlyList<DocumentMilestone>? Journey = null)
{
    /// <summary>Meetings on the calendar in the next weeks, as next steps.</summary>
    public IReadOnlyList<DocumentItem> Meetings { get; init; } = [];

    /// <summary>Whose deck it is: the vendor's colour, name and logo.</summary>
    public Brand Brand { get; init; } = new();

    /// <summary>The artifacts an executive reads first: the business review and the mutual plan open with a summary.</summary>
    public static bool ShowsSummary(Artifact artifact) => artifact is Artifact.BusinessReview or Artifact.MutualPlan;

    /// <summary>
    /// The page an executive reads: how many outcomes the customer has confirmed, where each objective stands in one
    /// line, what is at risk and what is asked of whom — the first <see cref="SummaryItems"/> of each; the rest are on
    /// the deck's "Risks and asks" slide.
    /// </summary>
    public ExecutiveSummary Summary()
    {
        var live = Live;
        var verified = live.Count(o => o.OutcomeStage == OutcomeStage.Verified);
        var delivered = live.Count(o => o.OutcomeStage == OutcomeStage.Delivered);
        var headline = live.Count == 0
            ? "No objectives yet: the next step is to agree one to three with the customer, in their words."
            : $"{verified} of {live.Count} objective{(live.Count == 1 ? "" : "s")} verified by the customer"
                + (delivered > 0 ? $"; {delivered} delivered and waiting for their confirmation" : "") + ".";

        var progress = live.Where(o => o.OutcomeStage != OutcomeStage.Verified).Select(o => $"{o.Title}: {Standing(o)}").ToList();
        if (live.Where(o => o.OutcomeStage == OutcomeStage.Verified).Select(o => o.Title).ToList() is { Count: > 0 } wins)
        {
            progress.Add($"Verified by the customer: {string.Join("; ", wins)}.");
        }

        return new ExecutiveSummary(headline, progress,
            Risks().Take(SummaryItems).Select(r => r.Line()).ToList(),
            Asks().Take(SummaryItems).Select(a => a.Line()).ToList());
    }

    /// <summary>How many risks and asks the executive summary lists before the rest go to their own slide.</summary>
    public const int SummaryItems = 5;

    /// <summary>The objectives still in play, most important first: closed ones are history, not the plan.</summary>
    public IReadOnlyList<ObjectiveResponse> Live => Objectives
        .Where(o => o.Status is not (ObjectiveStatus.ClosedNoAction or ObjectiveStatus.ClosedInvalid)).ToList();

    /// <summary>Where an objective stands, in one sentence: verified, its metric's progress, or its stage and status.</summary>
    public static string Standing(ObjectiveResponse o) => o.OutcomeStage == OutcomeStage.Verified
        ? "verified by the customer."
        : o.Metrics.FirstOrDefault() is { Latest: not null } m
            ? $"{Math.Round(m.Progress * 100)}% of the way ({Number(m.Latest.Value)}{Unit(m.Unit)}, target {Number(m.Target?.Value)}{Unit(m.Unit)})."
            : $"{Words.Say(o.OutcomeStage).ToLowerInvariant()}, {Words.Say(o.Status).ToLowerInvariant()}.";

    /// <summary>What is at risk: objectives off track (worst first), then work and milestones past their date.</summary>
    public IReadOnlyList<DocumentItem> Risks()
    {
        var live = Live;
        return live.Where(o => o.Health is ObjectiveHealth.Concern or ObjectiveHealth.Watchpoint)
            .OrderByDescending(o => o.Health)
            .Select(o => new DocumentItem($"{o.Title} — {Words.Say(o.Health!.Value).ToLowerInvariant()}{(o.HealthReasons.FirstOrDefault() is { } why ? $": {why}" : "")}",
                NameOf(o.OwnerId), null))
            .Concat(live.SelectMany(o => o.Initiatives).Where(i => i.Status != InitiativeStatus.Done && i.DueDate < Date)
                .OrderBy(i => i.DueDate).Select(i => new DocumentItem($"{i.Title} is past its date", NameOf(i.OwnerId ?? i.OwnerStakeholderId), i.DueDate)))
            .Concat((Journey ?? []).Where(m => m.Overdue).Select(m => new DocumentItem($"{m.Title} is past its date", m.Owner, m.DueDate)))
            .ToList();
    }

    /// <summary>What is asked of whom: blocked work to unblock, delivered outcomes to confirm in writing.</summary>
    public IReadOnlyList<DocumentItem> Asks()
    {
        var live = Live;
        return live.SelectMany(o => o.Initiatives).Where(i => i.Status == InitiativeStatus.Blocked)
            .Select(i => new DocumentItem($"Unblock {i.Title}", NameOf(i.OwnerId ?? i.OwnerStakeholderId), i.DueDate))
            .Concat(live.Where(o => o.OutcomeStage == OutcomeStage.Delivered)
                .Select(o => new DocumentItem($"Confirm in writing that “{o.Title}” was reached",
                    o.StakeholderIds.Select(NameOf).FirstOrDefault(n => n != "—") ?? "The customer", null)))
            .ToList();
    }

    /// <summary>
    /// What happens next, by date: meetings on the calendar (for the customer, those they are invited to), then open
    /// work and milestones due in the next <see cref="NextStepDays"/> days.
    /// </summary>
    public IReadOnlyList<DocumentItem> NextSteps()
    {
        var until = Date.AddDays(NextStepDays);
        var work = Live.SelectMany(o => o.Initiatives)
            .Where(i => i.Status != InitiativeStatus.Done && i.DueDate >= Date && i.DueDate <= until)
            .Select(i => new DocumentItem(i.Title, NameOf(i.OwnerId ?? i.OwnerStakeholderId), i.DueDate));
        var milestones = (Journey ?? []).Where(m => m.Status != Domain.Plans.MilestoneStatus.Done && !m.Overdue && m.DueDate <= until)
            .Select(m => new DocumentItem(m.Title, m.Owner, m.DueDate));
        return Meetings.Select(m => new DocumentItem(m.What, m.Who, m.When))
            .Concat(work.Concat(milestones).OrderBy(i => i.When))
            .Take(10).ToList();
    }

    public const int NextStepDays = 30;

    private static string Number(double? value) => value?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) ?? "—";

    private static string Unit(string? unit) => unit is null ? "" : unit is "%" ? unit : $" {unit}";

    /// <summary>The artifacts that walk the customer through the journey: the mutual plan and the kick-off.</summary>
    public static bool ShowsJourney(Artifact artifact) => artifact is Artifact.MutualPlan or Artifact.Kickoff;

    public bool CustomerFacing => ContentElements.IsCustomerFacing(Artifact);

    public string ArtifactTitle => Artifact switch
    {
        Artifact.MutualPlan => "Mutual Customer Success Plan",
        Artifact.ClosePlan => "Technical Close Plan",
        Artifact.Proposal => "Champion's Deck",
        Artifact.Kickoff => "Kick-off & Onboarding",
        Artifact.BusinessReview => "Executive Business Review",
    };

    public string NameOf(string? id) => id is null ? "—" : Names.GetValueOrDefault(id, "—");

    public static async Task<PlanDocument> LoadAsync(VerityDb db, string planId, Artifact artifact, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var plan = await db.Plans.AsNoTracking().Include(p => p.Sections).GetAsync(planId, cancellationToken);
        var account = await db.Accounts.AsNoTracking().GetAsync(plan.AccountId, cancellationToken);
        var objectives = await ObjectiveReads.ForPlanAsync(db, planId, today, cancellationToken);
        var metricIds = objectives.SelectMany(o => o.Metrics).Select(m => m.Id).ToList();
        var measurements = (await db.Measurements.AsNoTracking().Where(m => metricIds.Contains(m.MetricId))
                .Select(m => new { m.MetricId, m.At, m.Value }).ToListAsync(cancellationToken))
            .ToLookup(m => m.MetricId, m => (m.At, m.Value));

        var team = await db.TeamMembers.AsNoTracking().Where(t => t.AccountId == account.Id)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { u.Id, u.DisplayName, t.Role }).ToListAsync(cancellationToken);
        var stakeholders = await db.Stakeholders.AsNoTracking().Where(s => s.AccountId == account.Id).ToListAsync(cancellationToken);
        var names = team.ToDictionary(t => t.Id, t => t.DisplayName);
        var people = objectives.SelectMany(o => o.Initiatives.Select(i => i.OwnerId).Append(o.OwnerId)).Append(plan.OwnerId).OfType<string>()
            .Where(id => !names.ContainsKey(id)).Distinct().ToList();
        foreach (var user in await db.Users.Where(u => people.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken))
        {
            names[user.Id] = user.DisplayName;
        }

        foreach (var s in stakeholders)
        {
            names[s.Id] = s.Name;
        }

        var customerFacing = ContentElements.IsCustomerFacing(artifact);
        var sections = await SectionsAsync(db, plan, artifact, cancellationToken);

        var activities = db.Activities.AsNoTracking().Where(a => a.PlanId == planId || (a.AccountId == account.Id && a.PlanId == null));
        if (customerFacing)
        {
            activities = activities.Where(a => a.Visibility == Visibility.Customer);
        }

        var timeline = (await activities.OrderByDescending(a => a.OccurredAt).Take(12).ToListAsync(cancellationToken))
            .Select(a => new DocumentActivity(a.OccurredAt, a.Type, a.Summary, a.Visibility == Visibility.Internal)).ToList();

        // The last business review meeting held; without one, the last review logged on the timeline.
        var lastReview = await Features.Meetings.MeetingAgendas.LastBusinessReviewAsync(db, account.Id, cancellationToken);
        var since = lastReview ?? now.AddDays(-90);
        var recordIds = objectives.Select(o => o.Id).Append(planId).ToList();
        var changes = (await db.AuditEntries.AsNoTracking()
                .Where(e => recordIds.Contains(e.EntityId) && e.At > since && e.Action == "update")
                .OrderByDescending(e => e.At).Take(40).ToListAsync(cancellationToken))
            .SelectMany(e => e.Changes
                .Where(c => ChangesWorthShowing.Contains(c.Field))
                .Select(c => new DocumentChange(e.At, e.EntityId == planId ? plan.Title : objectives.First(o => o.Id == e.EntityId).Title,
                    Words.Code(c.Field), c.Old is null ? null : Words.Value(c.Field, c.Old), c.New is null ? null : Words.Value(c.Field, c.New))))
            .Take(12).ToList();

        var journey = ShowsJourney(artifact)
            ? (await Features.Plans.MilestoneEndpoints.ForPlanAsync(db, planId, cancellationToken))
                .Select(m => new DocumentMilestone(m.Horizon, m.Title, m.DueDate,
                    (m.OwnerId ?? m.OwnerStakeholderId) is { } owner ? names.GetValueOrDefault(owner, "—") : "—", m.Status, m.IsOverdue(today)))
                .ToList()
            : [];

        // The calendar's next meetings; a customer's artifact shows only those the customer is invited to.
        var meetings = (await db.Meetings.AsNoTracking()
                .Where(m => m.AccountId == account.Id && m.HeldOn == null && m.ScheduledFor >= now && m.ScheduledFor <= now.AddDays(NextStepDays))
                .OrderBy(m => m.ScheduledFor).Take(5).ToListAsync(cancellationToken))
            .Where(m => !customerFacing || m.AttendeeStakeholderIds.Count > 0)
            .Select(m => new DocumentItem(m.Title is { Length: > 0 } title ? $"{Words.Say(m.Kind)}: {title}" : Words.Say(m.Kind),
                string.Join(", ", m.AttendeeUserIds.Concat(m.AttendeeStakeholderIds).Select(id => names.GetValueOrDefault(id)).OfType<string>().DefaultIfEmpty("—")),
                DateOnly.FromDateTime(m.ScheduledFor)))
            .ToList();

        var recentlyClosed = objectives.Where(o => o.Status is ObjectiveStatus.ClosedSuccess or ObjectiveStatus.ClosedNoAction or ObjectiveStatus.ClosedInvalid
            && o.UpdatedAt >= now.AddDays(-120)).ToList();

        return new PlanDocument(
            artifact,
            account.Name,
            plan.Title,
            plan.Template,
            Words.Say(plan.Status),
            today,
            team.OrderBy(t => t.Role).Select(t => $"{Words.Say(t.Role)}: {t.DisplayName}").ToList(),
            stakeholders.Where(s => s.Side == StakeholderSide.Customer).OrderBy(s => s.Role)
                .Select(s => $"{Words.Say(s.Role)}: {s.Name}{(s.Title is { Length: > 0 } title ? $" ({title})" : "")}").ToList(),
            sections,
            objectives,
            measurements,
            names,
            timeline,
            changes,
            lastReview,
            recentlyClosed,
            artifact == Artifact.BusinessReview ? await DocumentAdoption.LoadAsync(db, account.Id, cancellationToken) : null,
            journey)
        {
            Meetings = meetings,
        };
    }

    /// <summary>Fields whose change a customer would want to hear about at the next review.</summary>
    public static readonly IReadOnlySet<string> ChangesWorthShowing = new HashSet<string> { "status", "outcomeStage", "targetDate", "title", "successCriteria", "healthOverride" };

    /// <summary>
    /// The artifact's elements in the catalogue's order: the plan's sections, or for the close plan the
    /// opportunity's close plan with its internal notes. A template's own sections (the impact journey's "Customer
    /// expectations", say) are the plan in the customer's words: the customer-facing plan artifacts — mutual plan,
    /// kick-off, business review — show them after the catalogue's, in the template's order.
    /// </summary>
    private static async Task<List<DocumentSection>> SectionsAsync(
        VerityDb db, Domain.Plans.SuccessPlan plan, Artifact artifact, CancellationToken cancellationToken)
    {
        Dictionary<string, (string Content, string? Notes)> written;
        if (artifact == Artifact.ClosePlan)
        {
            written = await db.ClosePlanElements.AsNoTracking()
                .Where(e => db.ClosePlans.Any(c => c.Id == e.ClosePlanId && db.Opportunities.Any(o => o.Id == c.OpportunityId && o.SuccessPlanId == plan.Id)))
                .ToDictionaryAsync(e => e.Key, e => (e.Content, (string?)e.InternalNotes), cancellationToken);
        }
        else
        {
            written = plan.Sections.ToDictionary(s => s.Key, s => (s.Content, (string?)null));
        }

        bool Worth(string key) => written.TryGetValue(key, out var w) && (!string.IsNullOrWhiteSpace(w.Content) || !string.IsNullOrWhiteSpace(w.Notes));
        var sections = ContentElements.For(artifact).Where(e => Worth(e.Key))
            .Select(e => new DocumentSection(e.Number, e.Title, written[e.Key].Content, string.IsNullOrWhiteSpace(written[e.Key].Notes) ? null : written[e.Key].Notes))
            .ToList();
        var own = written.Keys.Where(k => !ContentElements.IsKnown(k) && Worth(k)).ToList();
        if (artifact is Artifact.MutualPlan or Artifact.Kickoff or Artifact.BusinessReview && own.Count > 0)
        {
            var template = await Features.Templates.TemplateEndpoints.FindAsync(db, plan.Template, cancellationToken);
            var order = template?.Sections.Select(t => t.Key).ToList() ?? [];
            sections.AddRange(own.OrderBy(k => order.IndexOf(k) is >= 0 and var i ? i : int.MaxValue).ThenBy(k => k, StringComparer.Ordinal)
                .Select(k => new DocumentSection(0, template?.Section(k)?.Title ?? k, written[k].Content, null)));
        }

        return sections;
    }
}
