using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Data;

namespace Verity.Access;

/// <summary>Personal access tokens: random, shown once, stored only as a SHA-256 hash.</summary>
public static class PersonalAccessTokens
{
    public const string Scheme = "Bearer";
    private const string Prefix = "vrt_";

    public static async Task<string> CreateAsync(VerityDb db, string userId, TimeProvider clock, CancellationToken cancellationToken)
    {
        var token = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        db.AccessTokens.Add(new AccessToken { UserId = userId, Hash = Hash(token), CreatedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static ClaimsPrincipal Principal(VerityUser user, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.Email ?? user.Id),
            new Claim(Actor.RoleClaim, user.Role.ToString()),
            .. user.AccountId is null ? Array.Empty<Claim>() : [new Claim(Actor.AccountClaim, user.AccountId)],
        ],
        scheme));
}

public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IServiceProvider services)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var hash = PersonalAccessTokens.Hash(header["Bearer ".Length..].Trim());

        // Its own context: the request's context must not be created before the caller is known.
        await using var db = services.CreateSystemContext();
        var user = await db.AccessTokens
            .Where(t => t.Hash == hash && t.RevokedAt == null)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => u)
            .AsNoTracking()
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("The token is unknown or revoked.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(PersonalAccessTokens.Principal(user, Scheme.Name), Scheme.Name));
    }
}
