using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Meetings;

/// <summary>
/// Meetings on an account: scheduled with attendees from both sides and the objectives they are about, read with an
/// agenda drawn from the plan, and held — which records notes, decisions and next steps and writes one timeline
/// entry. Vendor-side only: the meeting and its notes are the team's; what was decided reaches the customer through
/// the timeline when one of theirs attended.
/// </summary>
public static class MeetingEndpoints
{
    public const string Refusal = "Meetings are the team's own record; customers see what was decided on the timeline.";

    public static void MapMeetings(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Meetings");
        group.MapGet("/accounts/{accountId}/meetings", List)
            .WithSummary("List the account's meetings")
            .WithDescription("Kick-offs, cadence calls, business reviews, strategy sessions and executive check-ins, each with an agenda drawn from the plan at read time. Vendor side only.");
        group.MapPost("/accounts/{accountId}/meetings", Create).Accepts<MeetingInput>("application/json")
            .WithSummary("Schedule a meeting")
            .WithDescription("Schedules a meeting with attendees from both sides and the objectives it covers. The account's team and managers, directors and admins may.");
        group.MapGet("/meetings/{id}", Get)
            .WithSummary("Get a meeting")
            .WithDescription("One meeting with its agenda and `ETag`. Vendor side only.");
        group.MapPatch("/meetings/{id}", Update).Accepts<MeetingInput>("application/json")
            .WithSummary("Record or change a meeting")
            .WithDescription("Changes the meeting; setting `heldOn` with notes, decisions and next steps writes a cadence call or business review on the account's timeline. A stale `If-Match` answers 412.");
    }

    private static async Task<Ok<Page<MeetingResponse>>> List(
        string accountId, VerityDb db, Actor actor, TimeProvider clock, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        await db.Accounts.AsNoTracking().GetAsync(accountId, cancellationToken);
        var page = await db.Meetings.AsNoTracking().Where(m => m.AccountId == accountId).PageAsync(limit, cursor, rows => rows, cancellationToken);
        var agendas = await MeetingAgendas.ReadAsync(db, accountId, page.Items, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return TypedResults.Ok(new Page<MeetingResponse>(page.Items.Select(m => MeetingResponse.From(m, agendas[m.Id])).ToList(), page.NextCursor));
    }

    private static async Task<Ok<MeetingResponse>> Get(
        string id, VerityDb db, Actor actor, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var meeting = await db.Meetings.AsNoTracking().GetAsync(id, cancellationToken);
        ETags.Set(response, meeting.Version);
        return TypedResults.Ok(MeetingResponse.From(meeting, await MeetingAgendas.ReadAsync(db, meeting, clock.GetUtcNow().UtcDateTime, cancellationToken)));
    }

    private static async Task<Created<MeetingResponse>> Create(
        string accountId, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var meeting = await ScheduleAsync(db, actor, clock, accountId, await Json.ReadAsync<MeetingInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, meeting.Version);
        return TypedResults.Created($"/api/v1/meetings/{meeting.Id}",
            MeetingResponse.From(meeting, await MeetingAgendas.ReadAsync(db, meeting, clock.GetUtcNow().UtcDateTime, cancellationToken)));
    }

    private static async Task<Ok<MeetingResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var meeting = await ReviseAsync(db, actor, clock, id, request.Headers.IfMatch.ToString(), current => Json.PatchAsync(request, current), cancellationToken);
        ETags.Set(request.HttpContext.Response, meeting.Version);
        return TypedResults.Ok(MeetingResponse.From(meeting, await MeetingAgendas.ReadAsync(db, meeting, clock.GetUtcNow().UtcDateTime, cancellationToken)));
    }

    /// <summary>Puts a meeting in the account's calendar (or logs one already held), from the API or the account page.</summary>
    public static async Task<Meeting> ScheduleAsync(
        VerityDb db, Actor actor, TimeProvider clock, string accountId, MeetingInput input, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var meeting = new Meeting { AccountId = account.Id, ScheduledBy = actor.UserId };
        await ApplyAsync(db, actor, clock, meeting, input, cancellationToken);
        db.Meetings.Add(meeting);
        await db.SaveChangesAsync(cancellationToken);
        return meeting;
    }

    /// <summary>
    /// Changes a meeting (a PATCH body, or the meeting page's form) once its version is confirmed current. Holding it
    /// — setting <c>heldOn</c> — writes its timeline entry the first time; later changes correct that entry.
    /// </summary>
    public static async Task<Meeting> ReviseAsync(
        VerityDb db, Actor actor, TimeProvider clock, string id, string? ifMatch, Func<MeetingInput, Task<MeetingInput>> change,
        CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var meeting = await db.Meetings.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(ifMatch, db, meeting);
        var input = await change(MeetingInput.From(meeting));
        Json.Validate(input);
        await ApplyAsync(db, actor, clock, meeting, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return meeting;
    }

    private static async Task ApplyAsync(VerityDb db, Actor actor, TimeProvider clock, Meeting meeting, MeetingInput input, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var errors = new Dictionary<string, string[]>();
        if (input.HeldOn is { } heldOn && heldOn > today)
        {
            errors["heldOn"] = [$"Is in the future: record a meeting once it has been held (today is {Dates.Iso(today)})."];
        }

        // Only who is added is checked: a colleague who has since left the team stays on the record of who came.
        var users = input.AttendeeUserIds.Distinct().ToList();
        var stakeholders = input.AttendeeStakeholderIds.Distinct().ToList();
        await Activities.Attendees.CheckAsync(
            db, meeting.AccountId, users.Except(meeting.AttendeeUserIds).ToList(), stakeholders.Except(meeting.AttendeeStakeholderIds).ToList(), errors, cancellationToken);

        var objectives = input.ObjectiveIds.Distinct().ToList();
        var newObjectives = objectives.Except(meeting.ObjectiveIds).ToList();
        if (newObjectives.Count > 0)
        {
            var found = await db.Objectives.AsNoTracking()
                .Where(o => o.AccountId == meeting.AccountId && newObjectives.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
            if (newObjectives.Except(found).ToList() is { Count: > 0 } unknown)
            {
                errors["objectiveIds"] = [$"Not objectives of this account: {string.Join(", ", unknown)}."];
            }
        }

        if (errors.Count > 0)
        {
            throw new BadInputException(errors);
        }

        meeting.SetHeldOn(input.HeldOn);
        meeting.Kind = input.Kind!.Value;
        meeting.Title = Blank(input.Title);
        meeting.ScheduledFor = input.ScheduledForUtc();
        meeting.AttendeeUserIds = users;
        meeting.AttendeeStakeholderIds = stakeholders;
        meeting.ObjectiveIds = objectives;
        meeting.Notes = Blank(input.Notes);
        meeting.Decisions = Blank(input.Decisions);
        meeting.NextSteps = Blank(input.NextSteps);
        if (meeting.IsHeld)
        {
            await RecordOnTimelineAsync(db, actor, meeting, cancellationToken);
        }
    }

    /// <summary>
    /// The meeting's one entry on the account's timeline: what it was, what was decided and what comes next — never
    /// the notes. Customer-visible when one of the customer's people attended (they were there), else internal.
    /// </summary>
    private static async Task RecordOnTimelineAsync(VerityDb db, Actor actor, Meeting meeting, CancellationToken cancellationToken)
    {
        var attendees = meeting.AttendeeStakeholderIds;
        var customerAttended = attendees.Count > 0 && await db.Stakeholders.AnyAsync(
            s => s.AccountId == meeting.AccountId && attendees.Contains(s.Id) && s.Side == StakeholderSide.Customer, cancellationToken);
        var visibility = customerAttended ? Visibility.Customer : Visibility.Internal;
        var summary = TimelineSummary(meeting);
        if (meeting.ActivityId is null)
        {
            var activity = new Activity
            {
                AccountId = meeting.AccountId,
                Type = meeting.ActivityType,
                OccurredAt = meeting.HeldAt!.Value,
                Summary = summary,
                Visibility = visibility,
                AuthorId = actor.UserId,
            };
            db.Activities.Add(activity);
            meeting.Recorded(activity.Id);
        }
        else if (await db.Activities.FirstOrDefaultAsync(a => a.Id == meeting.ActivityId, cancellationToken) is { } entry)
        {
            entry.Type = meeting.ActivityType;
            entry.OccurredAt = meeting.HeldAt!.Value;
            entry.Summary = summary;
            entry.Visibility = visibility;
        }
    }

    /// <summary>"Business review held: Q3 review. Decisions: … Next steps: …" — never the notes.</summary>
    public static string TimelineSummary(Meeting meeting)
    {
        var summary = $"{Words.Say(meeting.Kind)} held{(meeting.Title is null ? "" : $": {meeting.Title}")}."
            + (meeting.Decisions is null ? "" : $" Decisions: {meeting.Decisions}")
            + (meeting.NextSteps is null ? "" : $" Next steps: {meeting.NextSteps}");
        return summary.Length <= TextAttribute.Limit ? summary : summary[..(TextAttribute.Limit - 1)] + "…";
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

}
