using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Users;

public sealed record NewTokenInput
{
    /// <summary>What the token is for ("CRM sync"), so its owner knows which one to revoke.</summary>
    [Mandatory, Name]
    public string? Name { get; init; }

    /// <summary>Null: the token lasts until it is revoked.</summary>
    [Range(1, 3650, ErrorMessage = "Must be between 1 and 3650 days, or left out for a token that lasts until revoked.")]
    public int? ExpiresInDays { get; init; }
}

public sealed record TokenResponse(string Id, string Name, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? ExpiresAt) : IHasId
{
    public static TokenResponse From(AccessToken t) => new(t.Id, t.Name, t.CreatedAt, t.LastUsedAt, t.ExpiresAt);
}

/// <summary>A new token: the only time its secret is shown.</summary>
public sealed record NewTokenResponse(string Id, string Name, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? ExpiresAt, string Token)
{
    public static NewTokenResponse From(AccessToken t, string secret) => new(t.Id, t.Name, t.CreatedAt, t.LastUsedAt, t.ExpiresAt, secret);
}

/// <summary>Issuing and revoking personal access tokens: the API, the "Your tokens" page and the command line share these.</summary>
public static class TokenAdmin
{
    public static async Task<(AccessToken Record, string Secret)> CreateAsync(
        VerityDb db, Actor actor, TimeProvider clock, NewTokenInput input, CancellationToken cancellationToken)
    {
        Json.Validate(input);
        var userId = actor.UserId ?? throw new ForbiddenException("Only a signed-in user has tokens of their own.");
        return await PersonalAccessTokens.CreateAsync(db, userId, clock, cancellationToken, input.Name!.Trim(), input.ExpiresInDays);
    }

    /// <summary>
    /// Revokes a token at once: this node forgets it now, other nodes within <see cref="Sessions.OtherNodes"/>.
    /// <paramref name="ownerId"/> null lets the command line revoke anyone's token.
    /// </summary>
    public static async Task RevokeAsync(
        VerityDb db, Sessions sessions, TimeProvider clock, string id, string? ownerId, CancellationToken cancellationToken)
    {
        var token = await db.AccessTokens.FirstOrDefaultAsync(
                t => t.Id == id && t.RevokedAt == null && (ownerId == null || t.UserId == ownerId), cancellationToken)
            ?? throw new NotFoundException("The token");
        token.RevokedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await sessions.ForgetTokenAsync(token.Hash, cancellationToken);
    }
}
