using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Health;

/// <summary>Health checks and the health score: the team's own read of an account, never shown to its customers.</summary>
public static class HealthEndpoints
{
    private const string Refusal = "An account's health is the team's own view; customers do not see it.";

    public static void MapHealth(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Health");
        group.MapGet("/accounts/{accountId}/health-checks", List)
            .WithSummary("List the account's health checks")
            .WithDescription("The team's health checks of the account: adoption, sentiment, barriers and overall grade. Vendor side only: customers get 403.");
        group.MapPost("/accounts/{accountId}/health-checks", Create).Accepts<HealthCheckInput>("application/json")
            .WithSummary("Record a health check")
            .WithDescription("Records the team's read of the account (adoption 0–100, sentiment, overall green, yellow or red) and notes it on the internal timeline. The account's team and managers, directors and admins may.");
        group.MapGet("/accounts/{accountId}/health", Score)
            .WithSummary("Get the account's health score")
            .WithDescription("The health score (0–100), its grade and its change over 30 days, with each weighted measure (adoption, sentiment, objectives, outcomes, engagement, support). Vendor side only.");
    }

    private static async Task<Ok<Page<HealthCheckResponse>>> List(
        string accountId, VerityDb db, Actor actor, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        await db.Accounts.GetAsync(accountId, cancellationToken);
        return TypedResults.Ok(await db.HealthChecks.AsNoTracking().Where(h => h.AccountId == accountId)
            .PageAsync(limit, cursor, rows => rows.Select(HealthCheckResponse.Projection), cancellationToken));
    }

    private static async Task<Created<HealthCheckResponse>> Create(
        string accountId, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var check = await RecordAsync(db, actor, clock, accountId, await Json.ReadAsync<HealthCheckInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, check.Version);
        return TypedResults.Created($"/api/v1/accounts/{accountId}/health-checks", HealthCheckResponse.From(check));
    }

    /// <summary>Records a health check and notes it on the account's internal timeline.</summary>
    public static async Task<HealthCheck> RecordAsync(
        VerityDb db, Actor actor, TimeProvider clock, string accountId, HealthCheckInput input, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var now = clock.GetUtcNow().UtcDateTime;
        var check = new HealthCheck
        {
            AccountId = account.Id,
            CheckedOn = input.CheckedOn ?? DateOnly.FromDateTime(now),
            Adoption = input.Adoption!.Value,
            Sentiment = input.Sentiment!.Value,
            Barriers = string.IsNullOrWhiteSpace(input.Barriers) ? null : input.Barriers.Trim(),
            Overall = input.Overall!.Value,
            Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim(),
            AuthorId = actor.UserId,
        };
        db.HealthChecks.Add(check);
        db.Activities.Add(new Activity
        {
            AccountId = account.Id,
            Type = ActivityType.HealthCheck,
            // Checked today: now; recorded after the fact: midday of that day.
            OccurredAt = check.CheckedOn == DateOnly.FromDateTime(now) ? now : check.CheckedOn.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc),
            Summary = $"Health check: {Words.Say(check.Overall).ToLowerInvariant()} overall, adoption {check.Adoption}%, sentiment {Words.Say(check.Sentiment).ToLowerInvariant()}."
                + (check.Barriers is null ? "" : $" Barriers: {check.Barriers}"),
            Visibility = Visibility.Internal,
            AuthorId = actor.UserId,
        });
        await db.SaveChangesAsync(cancellationToken);
        return check;
    }

    private static async Task<Ok<HealthScoreResponse>> Score(
        string accountId, VerityDb db, Actor actor, TimeProvider clock, IOptions<HealthSettings> settings, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var account = await db.Accounts.AsNoTracking().GetAsync(accountId, cancellationToken);
        return TypedResults.Ok(await HealthReads.ReadAsync(db, account, settings.Value, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken));
    }
}

public sealed record HealthCheckInput
{
    /// <summary>Today when left out.</summary>
    [PlausibleDate]
    public DateOnly? CheckedOn { get; init; }

    /// <summary>Share of licensed users who are active, in percent.</summary>
    [Mandatory, Range(0, 100, ErrorMessage = "Must be a percentage from 0 to 100.")]
    public int? Adoption { get; init; }

    [Mandatory]
    public Sentiment? Sentiment { get; init; }

    [Text]
    public string? Barriers { get; init; }

    [Mandatory]
    public HealthGrade? Overall { get; init; }

    [Text]
    public string? Notes { get; init; }
}

public sealed record HealthCheckResponse(
    string Id, string AccountId, DateOnly CheckedOn, int Adoption, Sentiment Sentiment, string? Barriers, HealthGrade Overall, string? Notes,
    string? AuthorId, DateTime CreatedAt) : IHasId
{
    public static readonly Expression<Func<HealthCheck, HealthCheckResponse>> Projection = h => new HealthCheckResponse(
        h.Id, h.AccountId, h.CheckedOn, h.Adoption, h.Sentiment, h.Barriers, h.Overall, h.Notes, h.AuthorId, h.CreatedAt);

    private static readonly Func<HealthCheck, HealthCheckResponse> _compiled = Projection.Compile();

    public static HealthCheckResponse From(HealthCheck h) => _compiled(h);
}
