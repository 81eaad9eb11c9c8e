using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Accounts;

public static class StakeholderEndpoints
{
    public static void MapStakeholders(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Stakeholders");
        group.MapGet("/accounts/{accountId}/stakeholders", List)
            .WithSummary("List the account's stakeholders")
            .WithDescription("The people on both sides of the account, filtered by `side`. Customers see their account's stakeholders without the role classifications the team keeps.");
        group.MapPost("/accounts/{accountId}/stakeholders", Create).Accepts<StakeholderInput>("application/json")
            .WithSummary("Add a stakeholder")
            .WithDescription("Adds a person on the customer's or the vendor's side, with their role (executive sponsor, economic buyer, …). The account's team and managers, directors and admins may.");
        group.MapGet("/stakeholders/{id}", Get)
            .WithSummary("Get a stakeholder")
            .WithDescription("One stakeholder with its `ETag`. 404 when the caller may not see the stakeholder's account.");
        group.MapPatch("/stakeholders/{id}", Update).Accepts<StakeholderInput>("application/json")
            .WithSummary("Change a stakeholder")
            .WithDescription("Changes the fields sent, including `receivesMonthlyReport`. The account's team and managers, directors and admins may; a stale `If-Match` answers 412.");
        group.MapDelete("/stakeholders/{id}", Delete)
            .WithSummary("Remove a stakeholder")
            .WithDescription("Removes a stakeholder from the account (204). The account's team and managers, directors and admins may; a stale `If-Match` answers 412.");
    }

    private static async Task<Ok<Page<StakeholderResponse>>> List(
        string accountId, VerityDb db, [ValuesOf<StakeholderSide>] string? side, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Accounts.GetAsync(accountId, cancellationToken);
        var query = db.Stakeholders.AsNoTracking().Where(s => s.AccountId == accountId);
        if (Query.Enum<StakeholderSide>("side", side) is { } sideValue)
        {
            query = query.Where(s => s.Side == sideValue);
        }

        var page = await query.PageAsync(limit, cursor, rows => rows.Select(StakeholderResponse.Projection), cancellationToken);
        return TypedResults.Ok(page with { Items = page.Items.Select(s => s.As(db.Actor)).ToList() });
    }

    private static async Task<Ok<StakeholderResponse>> Get(string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var stakeholder = await db.Stakeholders.AsNoTracking().GetAsync(id, cancellationToken);
        ETags.Set(response, stakeholder.Version);
        return TypedResults.Ok(StakeholderResponse.From(stakeholder).As(db.Actor));
    }

    private static async Task<Created<StakeholderResponse>> Create(
        string accountId, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var stakeholder = await AddAsync(db, actor, accountId, await Json.ReadAsync<StakeholderInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, stakeholder.Version);
        return TypedResults.Created($"/api/v1/stakeholders/{stakeholder.Id}", StakeholderResponse.From(stakeholder));
    }

    public static async Task<Stakeholder> AddAsync(VerityDb db, Actor actor, string accountId, StakeholderInput input, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var stakeholder = new Stakeholder { AccountId = account.Id, Name = "" };
        input.ApplyTo(stakeholder);
        db.Stakeholders.Add(stakeholder);
        await db.SaveChangesAsync(cancellationToken);
        return stakeholder;
    }

    private static async Task<Ok<StakeholderResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var stakeholder = await db.Stakeholders.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, stakeholder);
        var input = await Json.PatchAsync(request, StakeholderInput.From(stakeholder));
        input.ApplyTo(stakeholder);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, stakeholder.Version);
        return TypedResults.Ok(StakeholderResponse.From(stakeholder));
    }

    /// <summary>Turns a customer stakeholder's monthly report on or off (the account page's button).</summary>
    public static async Task SetMonthlyReportAsync(VerityDb db, Actor actor, string id, bool receive, CancellationToken cancellationToken)
    {
        var stakeholder = await db.Stakeholders.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        (StakeholderInput.From(stakeholder) with { ReceivesMonthlyReport = receive }).ApplyTo(stakeholder);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<NoContent> Delete(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var stakeholder = await db.Stakeholders.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, stakeholder);
        db.Stakeholders.Remove(stakeholder);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}

public sealed record StakeholderInput
{
    [Mandatory, Name]
    public string? Name { get; init; }

    [Name]
    public string? Title { get; init; }

    [EmailAddress(ErrorMessage = "Must be an email address."), StringLength(320)]
    public string? Email { get; init; }

    [Name]
    public string? Location { get; init; }

    [Mandatory]
    public StakeholderSide? Side { get; init; }

    [Mandatory]
    public StakeholderRole? Role { get; init; }

    /// <summary>Mail them the monthly table of their open objectives; a customer-side stakeholder with an email only.</summary>
    public bool ReceivesMonthlyReport { get; init; }

    public static StakeholderInput From(Stakeholder s) => new()
    {
        Name = s.Name,
        Title = s.Title,
        Email = s.Email,
        Location = s.Location,
        Side = s.Side,
        Role = s.Role,
        ReceivesMonthlyReport = s.ReceivesMonthlyReport,
    };

    public void ApplyTo(Stakeholder s)
    {
        if (ReceivesMonthlyReport && (Side != StakeholderSide.Customer || string.IsNullOrWhiteSpace(Email)))
        {
            throw new BadInputException("receivesMonthlyReport", "Only a customer-side stakeholder with an email address can receive the monthly report.");
        }

        s.ReceivesMonthlyReport = ReceivesMonthlyReport;
        s.Name = Name!.Trim();
        s.Title = Title;
        s.Email = Email;
        s.Location = Location;
        s.Side = Side!.Value;
        s.Role = Role!.Value;
    }
}

public sealed record StakeholderResponse(
    string Id, string AccountId, string Name, string? Title, string? Email, string? Location,
    StakeholderSide Side, StakeholderRole? Role, bool ReceivesMonthlyReport, string? ExternalId) : IHasId
{
    /// <summary>How the team classifies people (sponsor, economic buyer) and where the CRM files them is theirs: customers see null.</summary>
    public StakeholderResponse As(Access.Actor actor) => actor.IsCustomer ? this with { Role = null, ExternalId = null } : this;

    public static readonly Expression<Func<Stakeholder, StakeholderResponse>> Projection =
        s => new StakeholderResponse(s.Id, s.AccountId, s.Name, s.Title, s.Email, s.Location, s.Side, s.Role, s.ReceivesMonthlyReport, s.ExternalId);

    private static readonly Func<Stakeholder, StakeholderResponse> _compiled = Projection.Compile();

    public static StakeholderResponse From(Stakeholder s) => _compiled(s);
}
