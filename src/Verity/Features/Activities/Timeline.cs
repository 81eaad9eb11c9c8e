using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;

namespace Verity.Features.Activities;

/// <summary>
/// What a timeline and its "log an activity" form show: the latest activities, the people who may be named as taking
/// part (the account's team and its stakeholders) and the names of everyone they name. Read by the page, in a fixed
/// number of commands, and handed to <c>ActivityLog</c>.
/// </summary>
public sealed partial record Timeline(
    IReadOnlyList<Activity> Activities,
    IReadOnlyList<(string Id, string Name)> Team,
    IReadOnlyList<Stakeholder> Stakeholders,
    IReadOnlyList<(string Id, string Title)> Objectives,
    IReadOnlyDictionary<string, string> Names)
{
    public const int Shown = 50;

    /// <summary>An account's timeline, or one objective's when <paramref name="objectiveId"/> is given.</summary>
    public static async Task<Timeline> ReadAsync(VerityDb db, string accountId, string? objectiveId, CancellationToken cancellationToken)
    {
        var team = (await db.TeamMembers.AsNoTracking().Where(t => t.AccountId == accountId)
                .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { u.Id, u.DisplayName }).OrderBy(u => u.DisplayName).ToListAsync(cancellationToken))
            .Select(u => (Id: u.Id, Name: u.DisplayName)).ToList();
        var stakeholders = await db.Stakeholders.AsNoTracking().Where(s => s.AccountId == accountId)
            .OrderBy(s => s.Side).ThenBy(s => s.Name).ToListAsync(cancellationToken);
        var objectives = (await OrderedObjectives(db.Objectives.AsNoTracking().Where(o => o.AccountId == accountId))
                .Select(o => new { o.Id, o.Title }).ToListAsync(cancellationToken))
            .Select(o => (Id: o.Id, Title: o.Title)).ToList();
        return await ReadAsync(db, accountId, objectiveId, team, stakeholders, objectives, cancellationToken);
    }

    /// <summary>The order the form offers objectives in: the open ones first, each part by priority.</summary>
    public static IOrderedQueryable<Objective> OrderedObjectives(IQueryable<Objective> objectives) =>
        objectives.OrderBy(o => o.Status == ObjectiveStatus.New || o.Status == ObjectiveStatus.WorkInProgress ? 0 : 1).ThenBy(o => o.Priority).ThenBy(o => o.Id);

    /// <summary>
    /// An account's timeline from the people and objectives the caller has read already (the account page shows them):
    /// the team by name, the stakeholders by side then name and the objectives in <see cref="OrderedObjectives"/>'
    /// order. Reads the activities, and the names of colleagues off the team they name.
    /// </summary>
    public static async Task<Timeline> ReadAsync(
        VerityDb db, string accountId, string? objectiveId, IReadOnlyList<(string Id, string Name)> team, IReadOnlyList<Stakeholder> stakeholders,
        IReadOnlyList<(string Id, string Title)> objectives, CancellationToken cancellationToken)
    {
        var query = db.Activities.AsNoTracking().Where(a => a.AccountId == accountId);
        if (objectiveId is not null)
        {
            query = query.Where(a => a.ObjectiveId == objectiveId);
        }

        var activities = await query.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Take(Shown).ToListAsync(cancellationToken);
        var names = team.ToDictionary(t => t.Id, t => t.Name);
        foreach (var s in stakeholders)
        {
            names[s.Id] = s.Side == StakeholderSide.Customer ? $"{s.Name} (customer)" : s.Name;
        }

        // Colleagues named once and off the team since (or who see every account) keep their names on the record.
        var others = activities.SelectMany(a => a.AttendeeUserIds).Where(id => !names.ContainsKey(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            foreach (var user in await db.Users.AsNoTracking().Where(u => others.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken))
            {
                names[user.Id] = user.DisplayName;
            }
        }

        return new Timeline(activities, team, stakeholders, objectives, names);
    }

    /// <summary>Who took part, by name, our side first: "Alex Chen, Priya Raman (customer)".</summary>
    public string Attendees(Activity activity) => string.Join(", ",
        activity.AttendeeUserIds.Concat(activity.AttendeeStakeholderIds).Select(id => Names.GetValueOrDefault(id)).OfType<string>());

    /// <summary>
    /// What happened, for people: a move the lifecycle recorded in the API's words ("status: workInProgress →
    /// closedNoAction — why") reads "Status: Work in progress → Closed — no action — why"; everything else as written.
    /// </summary>
    public static string Summary(Activity activity) =>
        activity.Type == ActivityType.StatusChange && MoveSummary().Match(activity.Summary) is { Success: true } move
            ? $"{Words.Code(move.Groups["field"].Value)}: {Words.Value(move.Groups["field"].Value, move.Groups["from"].Value)} → {Words.Value(move.Groups["field"].Value, move.Groups["to"].Value)}{move.Groups["note"].Value}"
            : activity.Summary;

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<field>status|outcomeStage): (?<from>[a-zA-Z]+) → (?<to>[a-zA-Z]+)(?<note> — .*)?$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex MoveSummary();

    public string? ObjectiveTitle(string? objectiveId) => Objectives.FirstOrDefault(o => o.Id == objectiveId).Title;
}
