using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Activities;

public static class ActivityEndpoints
{
    public static void MapActivities(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Activities");
        group.MapGet("/accounts/{accountId}/activities", ListForAccount)
            .WithSummary("List the account's timeline")
            .WithDescription("The account's activities, filtered by `type`. Customers see only those marked `customer`; internal notes stay with the team.");
        group.MapPost("/accounts/{accountId}/activities", CreateForAccount).Accepts<ActivityInput>("application/json")
            .WithSummary("Log an activity on the account")
            .WithDescription("Logs a call, meeting, cadence call, business review, email or note with when it happened and who may see it (`internal` or `customer`). The account's team and managers, directors and admins may.");
        group.MapGet("/objectives/{objectiveId}/activities", ListForObjective)
            .WithSummary("List the objective's timeline")
            .WithDescription("The activities logged against one objective, filtered by `type`; customers see only those marked `customer`.");
        group.MapPost("/objectives/{objectiveId}/activities", CreateForObjective).Accepts<ActivityInput>("application/json")
            .WithSummary("Log an activity on the objective")
            .WithDescription("Logs an activity against the objective (and so on its account's timeline). The account's team and managers, directors and admins may.");
        group.MapGet("/activities/{id}", Get)
            .WithSummary("Get an activity")
            .WithDescription("One activity with its `ETag`. 404 when the caller may not see it, including a customer asking for an internal one.");
    }

    private static async Task<Ok<Page<ActivityResponse>>> ListForAccount(
        string accountId, VerityDb db, [ValuesOf<ActivityType>] string? type, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Accounts.GetAsync(accountId, cancellationToken);
        return TypedResults.Ok(await PageAsync(db.Activities.Where(a => a.AccountId == accountId), type, limit, cursor, cancellationToken));
    }

    private static async Task<Ok<Page<ActivityResponse>>> ListForObjective(
        string objectiveId, VerityDb db, [ValuesOf<ActivityType>] string? type, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Objectives.GetAsync(objectiveId, cancellationToken);
        return TypedResults.Ok(await PageAsync(db.Activities.Where(a => a.ObjectiveId == objectiveId), type, limit, cursor, cancellationToken));
    }

    private static Task<Page<ActivityResponse>> PageAsync(
        IQueryable<Activity> query, string? type, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        query = query.AsNoTracking();
        if (Query.Enum<ActivityType>("type", type) is { } typeValue)
        {
            query = query.Where(a => a.Type == typeValue);
        }

        return query.PageAsync(limit, cursor, rows => rows.Select(ActivityResponse.Projection), cancellationToken);
    }

    private static async Task<Ok<ActivityResponse>> Get(string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var activity = await db.Activities.AsNoTracking().GetAsync(id, cancellationToken);
        ETags.Set(response, activity.Version);
        return TypedResults.Ok(ActivityResponse.From(activity));
    }

    private static async Task<Created<ActivityResponse>> CreateForAccount(
        string accountId, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var activity = await LogAsync(db, actor, clock, accountId, await Json.ReadAsync<ActivityInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, activity.Version);
        return TypedResults.Created($"/api/v1/activities/{activity.Id}", ActivityResponse.From(activity));
    }

    /// <summary>
    /// Logs a call, meeting, note or review on an account's timeline, optionally about one of its plans or objectives,
    /// with who took part on both sides.
    /// </summary>
    public static async Task<Activity> LogAsync(
        VerityDb db, Actor actor, TimeProvider clock, string accountId, ActivityInput input, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var planId = input.PlanId;
        var errors = new Dictionary<string, string[]>();
        if (planId is not null && !await db.Plans.AnyAsync(p => p.Id == planId && p.AccountId == account.Id, cancellationToken))
        {
            errors["planId"] = [$"No plan '{planId}' on this account."];
        }

        if (input.ObjectiveId is { } objectiveId)
        {
            var objective = await db.Objectives.AsNoTracking().Where(o => o.Id == objectiveId && o.AccountId == account.Id)
                .Select(o => new { o.PlanId }).FirstOrDefaultAsync(cancellationToken);
            if (objective is null)
            {
                errors["objectiveId"] = [$"No objective '{objectiveId}' on this account."];
            }
            else if (planId is not null && planId != objective.PlanId)
            {
                errors["objectiveId"] = [$"The objective '{objectiveId}' is on another plan than '{planId}'."];
            }
            else
            {
                planId = objective.PlanId;
            }
        }

        return await SaveAsync(db, actor, clock, input, account.Id, planId, input.ObjectiveId, errors, cancellationToken);
    }

    private static async Task<Created<ActivityResponse>> CreateForObjective(
        string objectiveId, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var activity = await LogForObjectiveAsync(db, actor, clock, objectiveId, await Json.ReadAsync<ActivityInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, activity.Version);
        return TypedResults.Created($"/api/v1/activities/{activity.Id}", ActivityResponse.From(activity));
    }

    /// <summary>Logs an activity about one objective, on its account's and its plan's timelines too.</summary>
    public static async Task<Activity> LogForObjectiveAsync(
        VerityDb db, Actor actor, TimeProvider clock, string objectiveId, ActivityInput input, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.GetAsync(objectiveId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var errors = new Dictionary<string, string[]>();
        if (input.ObjectiveId is not null && input.ObjectiveId != objective.Id)
        {
            errors["objectiveId"] = ["Leave it out, or give this objective's id: the activity is logged on the objective in the path."];
        }

        if (input.PlanId is not null && input.PlanId != objective.PlanId)
        {
            errors["planId"] = ["Leave it out, or give this objective's plan."];
        }

        return await SaveAsync(db, actor, clock, input, objective.AccountId, objective.PlanId, objective.Id, errors, cancellationToken);
    }

    private static async Task<Activity> SaveAsync(
        VerityDb db, Actor actor, TimeProvider clock, ActivityInput input, string accountId, string? planId, string? objectiveId,
        Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var users = input.AttendeeUserIds.Distinct().ToList();
        var stakeholders = input.AttendeeStakeholderIds.Distinct().ToList();
        await Attendees.CheckAsync(db, accountId, users, stakeholders, errors, cancellationToken);
        if (errors.Count > 0)
        {
            throw new BadInputException(errors);
        }

        var activity = new Activity
        {
            AccountId = accountId,
            PlanId = planId,
            ObjectiveId = objectiveId,
            Type = input.Type!.Value,
            OccurredAt = input.OccurredAt?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime,
            Summary = input.Summary!.Trim(),
            Visibility = input.Visibility,
            AuthorId = actor.UserId,
            AttendeeUserIds = users,
            AttendeeStakeholderIds = stakeholders,
        };
        db.Activities.Add(activity);
        await db.SaveChangesAsync(cancellationToken);
        return activity;
    }
}

public sealed record ActivityInput : IValidatableObject
{
    [Mandatory]
    public ActivityType? Type { get; init; }

    [PlausibleDate]
    public DateTime? OccurredAt { get; init; }

    [Mandatory, Text]
    public string? Summary { get; init; }

    /// <summary>Internal unless said otherwise: nothing reaches a customer by accident.</summary>
    public Visibility Visibility { get; init; } = Visibility.Internal;

    public string? PlanId { get; init; }

    /// <summary>The objective it was about, on the same account (and plan, when one is given).</summary>
    public string? ObjectiveId { get; init; }

    /// <summary>Vendor users who took part: the account's team, or colleagues who see every account.</summary>
    public List<string> AttendeeUserIds { get; init; } = [];

    /// <summary>The account's stakeholders who took part.</summary>
    public List<string> AttendeeStakeholderIds { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, ids) in new[] { ("attendeeUserIds", AttendeeUserIds), ("attendeeStakeholderIds", AttendeeStakeholderIds) })
        {
            if (ids.Count > Attendees.MaxCount)
            {
                yield return new ValidationResult($"Give at most {Attendees.MaxCount}.", [name]);
            }
            else if (ids.Any(string.IsNullOrWhiteSpace))
            {
                yield return new ValidationResult("Every id must be given; leave blanks out.", [name]);
            }
        }
    }
}

public sealed record ActivityResponse(
    string Id, string AccountId, string? PlanId, string? ObjectiveId, ActivityType Type, DateTime OccurredAt,
    string Summary, Visibility Visibility, string? AuthorId, IReadOnlyList<string> AttendeeUserIds, IReadOnlyList<string> AttendeeStakeholderIds) : IHasId
{
    public static readonly Expression<Func<Activity, ActivityResponse>> Projection = a => new ActivityResponse(
        a.Id, a.AccountId, a.PlanId, a.ObjectiveId, a.Type, a.OccurredAt, a.Summary, a.Visibility, a.AuthorId, a.AttendeeUserIds, a.AttendeeStakeholderIds);

    private static readonly Func<Activity, ActivityResponse> _compiled = Projection.Compile();

    public static ActivityResponse From(Activity a) => _compiled(a);
}
