using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Features.Search;
using Verity.Http;

namespace Verity.Features.Accounts;

public static class AccountEndpoints
{
    public static void MapAccounts(this IEndpointRouteBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts");
        accounts.MapGet("/", List)
            .WithSummary("List accounts")
            .WithDescription("The accounts the caller may see, by name: a customer sees only their own account. Filter with `q` (words in the name), `segment` and `ownerId`; archived accounts only with `includeArchived=true`.");
        accounts.MapPost("/", Create).Accepts<AccountInput>("application/json")
            .WithSummary("Open an account")
            .WithDescription("Opens a new customer account (201 with `Location`). Admins, directors, managers, account executives, solutions architects and customer success managers may; `externalId` must be free.");
        accounts.MapGet("/{id}", Get)
            .WithSummary("Get an account")
            .WithDescription("One account with its ARR, renewal date and profile, and its `ETag` for a later `If-Match`. 404 when the caller may not see it.");
        accounts.MapPatch("/{id}", Update).Accepts<AccountInput>("application/json")
            .WithSummary("Change an account")
            .WithDescription("Changes the fields sent and leaves the rest as they are. The account's team and managers, directors and admins may; a stale `If-Match` answers 412.");
        accounts.MapDelete("/{id}", Archive)
            .WithSummary("Archive an account")
            .WithDescription("Archives the account (204): it leaves lists unless `includeArchived=true`, and its plans and history stay. The account's team and managers, directors and admins may.");
        accounts.MapGet("/{id}/team", GetTeam)
            .WithSummary("Get the account team")
            .WithDescription("Who works the account on the vendor side, each with their role (account executive, solutions architect, customer success manager, implementation engineer).");
        accounts.MapPut("/{id}/team", ReplaceTeam).Accepts<List<TeamMemberInput>>("application/json")
            .WithSummary("Replace the account team")
            .WithDescription("Replaces the whole team with the list sent; the team decides who sees the account. Only its account executive or customer success manager, a manager, a director or an admin may.");
    }

    private static async Task<Ok<Page<AccountResponse>>> List(
        VerityDb db, string? q, [ValuesOf<Segment>] string? segment, string? ownerId, bool? includeArchived, int? limit, string? cursor,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await ListAsync(db, q, segment, ownerId, includeArchived, limit, cursor, cancellationToken));

    /// <summary>One page of the accounts the caller may see, filtered as <c>GET /accounts</c> filters them (the CLI lists through it too).</summary>
    public static async Task<Page<AccountResponse>> ListAsync(
        VerityDb db, string? q, string? segment, string? ownerId, bool? includeArchived, int? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var query = db.Accounts.AsNoTracking();
        if (includeArchived != true)
        {
            query = query.Where(a => a.ArchivedAt == null);
        }

        query = query.Matching(db, q);

        if (Query.Enum<Segment>("segment", segment) is { } segmentValue)
        {
            query = query.Where(a => a.Segment == segmentValue);
        }

        if (!string.IsNullOrWhiteSpace(ownerId))
        {
            query = query.Where(a => a.Team.Any(t => t.UserId == ownerId));
        }

        return await query.PageAsync(limit, cursor, rows => rows.Select(AccountResponse.Projection), cancellationToken);
    }

    private static async Task<Ok<AccountResponse>> Get(string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().GetAsync(id, cancellationToken);
        ETags.Set(response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }

    private static async Task<Created<AccountResponse>> Create(
        HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var account = await OpenAsync(db, actor, await Json.ReadAsync<AccountInput>(request), cancellationToken);
        request.HttpContext.Response.Headers.ETag = ETags.For(account.Version);
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", AccountResponse.From(account));
    }

    /// <summary>Opens an account; whoever opens it without seeing every account joins its team.</summary>
    public static async Task<Account> OpenAsync(VerityDb db, Actor actor, AccountInput input, CancellationToken cancellationToken)
    {
        if (!actor.CanCreateAccounts)
        {
            throw new ForbiddenException("Your role cannot open accounts.");
        }

        Json.Validate(input);
        var account = new Account { Name = "" };
        input.ApplyTo(account);
        await EnsureExternalIdFreeAsync(db, account, cancellationToken);
        db.Accounts.Add(account);

        // Whoever opens an account without seeing every account joins its team, or they could not see it.
        if (!actor.SeesEveryAccount && actor.UserId is not null && TeamRoleOf(actor.Role) is { } role)
        {
            account.Team.Add(new AccountTeamMember { AccountId = account.Id, UserId = actor.UserId, Role = role });
        }

        await db.SaveChangesAsync(cancellationToken);
        return account;
    }

    private static async Task<Ok<AccountResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, account);
        var input = await Json.PatchAsync(request, AccountInput.From(account));
        await ChangeAsync(db, account, input, cancellationToken);
        ETags.Set(request.HttpContext.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }

    /// <summary>Applies an edit of the account's facts (the page's form and PATCH alike).</summary>
    public static async Task ChangeAsync(VerityDb db, Account account, AccountInput input, CancellationToken cancellationToken)
    {
        Json.Validate(input);
        input.ApplyTo(account);
        await EnsureExternalIdFreeAsync(db, account, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// One account per CRM id, or imports and syncs would update the wrong one. Checked across every account, seen
    /// or not: the id is the CRM's, and the unique index would refuse it anyway.
    /// </summary>
    private static async Task EnsureExternalIdFreeAsync(VerityDb db, Account account, CancellationToken cancellationToken)
    {
        if (account.ExternalId is { } externalId
            && await db.Accounts.IgnoreQueryFilters().AnyAsync(a => a.ExternalId == externalId && a.Id != account.Id, cancellationToken))
        {
            throw new DuplicateException("externalId", $"Another account already has the external id '{externalId}'.");
        }
    }

    private static async Task<NoContent> Archive(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, account);
        account.ArchivedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<TeamMemberResponse>>> GetTeam(
        string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().Include(a => a.Team).GetAsync(id, cancellationToken);
        ETags.Set(response, account.Version);
        return TypedResults.Ok(await TeamResponse(db, account.Id, cancellationToken));
    }

    private static async Task<Ok<List<TeamMemberResponse>>> ReplaceTeam(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var members = await Json.ReadListAsync<TeamMemberInput>(request);
        var account = await SetTeamAsync(db, actor, id, members, request.Headers.IfMatch.ToString(), cancellationToken);
        ETags.Set(request.HttpContext.Response, account.Version);
        return TypedResults.Ok(await TeamResponse(db, account.Id, cancellationToken));
    }

    /// <summary>Replaces an account's team: the list given is the team it keeps. Who is on it decides who sees the account.</summary>
    public static async Task<Account> SetTeamAsync(
        VerityDb db, Actor actor, string id, List<TeamMemberInput> members, string? ifMatch, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.Include(a => a.Team).GetAsync(id, cancellationToken);
        actor.EnsureCanChangeTeam(account.Team);
        ETags.Check(ifMatch, db, account);
        members.ForEach(Json.Validate);

        var duplicate = members.GroupBy(m => m.UserId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new BadInputException($"[{members.FindIndex(m => m.UserId == duplicate.Key)}].userId", "Each user appears once on a team.");
        }

        var userIds = members.Select(m => m.UserId!).ToList();
        var vendorUsers = await db.Users.Where(u => userIds.Contains(u.Id) && u.Role != UserRole.Customer)
            .Select(u => u.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < members.Count; i++)
        {
            if (!vendorUsers.Contains(members[i].UserId!))
            {
                throw new BadInputException($"[{i}].userId", $"No vendor user with id '{members[i].UserId}'.");
            }
        }

        account.Team.RemoveAll(t => !userIds.Contains(t.UserId));
        foreach (var member in members)
        {
            var existing = account.Team.Find(t => t.UserId == member.UserId);
            if (existing is null)
            {
                account.Team.Add(new AccountTeamMember { AccountId = account.Id, UserId = member.UserId!, Role = member.Role!.Value });
            }
            else
            {
                existing.Role = member.Role!.Value;
            }
        }

        ETags.MoveWithParts(db, account);
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }

    private static Task<List<TeamMemberResponse>> TeamResponse(VerityDb db, string accountId, CancellationToken cancellationToken) =>
        db.TeamMembers.AsNoTracking()
            .Where(t => t.AccountId == accountId)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.UserId, t.Role, u.DisplayName, u.Email })
            .OrderBy(t => t.Role).ThenBy(t => t.DisplayName)
            .Select(t => new TeamMemberResponse(t.UserId, t.Role, t.DisplayName, t.Email))
            .ToListAsync(cancellationToken);

    private static TeamRole? TeamRoleOf(UserRole role) => role switch
    {
        UserRole.AccountExecutive => TeamRole.AccountExecutive,
        UserRole.SolutionsArchitect => TeamRole.SolutionsArchitect,
        UserRole.CustomerSuccessManager => TeamRole.CustomerSuccessManager,
        UserRole.ImplementationEngineer => TeamRole.ImplementationEngineer,
        UserRole.Admin or UserRole.Director or UserRole.Manager or UserRole.Customer => null,
    };
}
