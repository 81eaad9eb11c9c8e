using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Users;

/// <summary>Administration: users (admins only) and each caller's own personal access tokens.</summary>
public static class UserEndpoints
{
    public static void MapUsers(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", List)
            .WithSummary("List users")
            .WithDescription("Every user with their role, status and last sign-in, filtered by `status`, `role` and `q`. Admins only.");
        users.MapPost("/", Create).Accepts<NewUserInput>("application/json")
            .WithSummary("Add a user")
            .WithDescription("Adds a user with an email, a name and a role; a customer user belongs to exactly one account (`accountId`). Admins only.");
        users.MapGet("/{id}", Get)
            .WithSummary("Get a user")
            .WithDescription("One user with their `ETag`. Admins only.");
        users.MapPatch("/{id}", Update).Accepts<UserChangeInput>("application/json")
            .WithSummary("Change a user")
            .WithDescription("Changes `role`, `name` or `status`; disabling ends every session and token of the user at once. Admins only; a stale `If-Match` answers 412.");

        var tokens = api.MapGroup("/me/tokens").WithTags("Users");
        tokens.MapGet("/", ListTokens)
            .WithSummary("List the caller's tokens")
            .WithDescription("The caller's own personal access tokens that are still valid, with when each was last used and when it expires; never the token itself.");
        tokens.MapPost("/", CreateToken).Accepts<NewTokenInput>("application/json")
            .WithSummary("Create a personal access token")
            .WithDescription("Creates a bearer token for the caller (201), optionally expiring after `expiresInDays`; the token is in this answer only, never again.");
        tokens.MapDelete("/{id}", RevokeToken)
            .WithSummary("Revoke a personal access token")
            .WithDescription("Revokes one of the caller's own tokens (204); it stops working at once. Another user's token is 404, for admins too.");
    }

    private static async Task<Ok<Page<UserResponse>>> List(
        VerityDb db, Actor actor, [ValuesOf<UserStatus>] string? status, [ValuesOf<UserRole>] string? role, string? q, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin lists users.");
        var query = db.Users.AsNoTracking();
        if (Query.Enum<UserStatus>("status", status) is { } statusValue)
        {
            query = query.Where(u => u.Status == statusValue);
        }

        if (Query.Enum<UserRole>("role", role) is { } roleValue)
        {
            query = query.Where(u => u.Role == roleValue);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = $"%{q.Trim().ToUpperInvariant()}%";
            query = query.Where(u => EF.Functions.Like(u.NormalizedEmail!, pattern) || EF.Functions.Like(u.DisplayName.ToUpper(), pattern));
        }

        return TypedResults.Ok(await query.PageAsync(limit, cursor, rows => rows.Select(u => UserResponse.From(u)), cancellationToken));
    }

    private static async Task<Ok<UserResponse>> Get(string id, VerityDb db, Actor actor, HttpResponse response, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin reads users.");
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken) ?? throw new NotFoundException("The user");
        response.Headers.ETag = UserAdmin.ETagOf(user);
        return TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Created<UserResponse>> Create(
        HttpRequest request, VerityDb db, UserManager<VerityUser> users, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin adds users.");
        var user = await UserAdmin.AddAsync(db, users, actor, await Json.ReadAsync<NewUserInput>(request), cancellationToken);
        request.HttpContext.Response.Headers.ETag = UserAdmin.ETagOf(user);
        return TypedResults.Created($"/api/v1/users/{user.Id}", UserResponse.From(user));
    }

    private static async Task<Ok<UserResponse>> Update(
        string id, HttpRequest request, UserManager<VerityUser> users, Sessions sessions, Actor actor, CancellationToken cancellationToken)
    {
        var user = await UserAdmin.ChangeAsync(
            users, sessions, actor, id, request.Headers.IfMatch.ToString(), current => Json.PatchAsync(request, current), cancellationToken);
        request.HttpContext.Response.Headers.ETag = UserAdmin.ETagOf(user);
        return TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Ok<Page<TokenResponse>>> ListTokens(
        VerityDb db, Actor actor, TimeProvider clock, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.AccessTokens.AsNoTracking()
            .Where(t => t.UserId == actor.UserId && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now));
        return TypedResults.Ok(await query.PageAsync(limit, cursor, rows => rows.Select(t => TokenResponse.From(t)), cancellationToken));
    }

    private static async Task<Created<NewTokenResponse>> CreateToken(
        HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (record, secret) = await TokenAdmin.CreateAsync(db, actor, clock, await Json.ReadAsync<NewTokenInput>(request), cancellationToken);
        return TypedResults.Created($"/api/v1/me/tokens/{record.Id}", NewTokenResponse.From(record, secret));
    }

    private static async Task<NoContent> RevokeToken(
        string id, VerityDb db, Actor actor, Sessions sessions, TimeProvider clock, CancellationToken cancellationToken)
    {
        await TokenAdmin.RevokeAsync(db, sessions, clock, id, actor.UserId, cancellationToken);
        return TypedResults.NoContent();
    }
}
