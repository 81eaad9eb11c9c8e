using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Verity.Data;

namespace Verity.Access;

/// <summary>Personal access tokens: random, shown once, stored only as a SHA-256 hash.</summary>
public static class PersonalAccessTokens
{
    public const string Scheme = "Bearer";
    private const string Prefix = "vrt_";

    /// <summary>Issues a token; <paramref name="expiresInDays"/> null means it lasts until revoked.</summary>
    public static async Task<(AccessToken Record, string Secret)> CreateAsync(
        VerityDb db, string userId, TimeProvider clock, CancellationToken cancellationToken, string name = "", int? expiresInDays = null)
    {
        var secret = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var record = new AccessToken
        {
            UserId = userId,
            Hash = Hash(secret),
            Name = name,
            CreatedAt = now,
            ExpiresAt = expiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.AccessTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (record, secret);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    Sessions sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await sessions.ValidateTokenAsync(header["Bearer ".Length..].Trim(), Scheme.Name, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The token is unknown, expired or revoked, or its user is disabled.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
