using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;
using Verity.Data;
using Verity.Domain.Common;

namespace Verity.Access;

/// <summary>
/// Whether a cookie's session or a bearer token still stands, and for whom. The answer comes from the
/// database — session not ended, token not revoked or expired, user active, security stamp unchanged — and is
/// kept in memory for at most <see cref="Recheck"/>, so a request costs no query of its own. A change made on this
/// node (sign-out, revoke, disable, role change) drops it at once; every such change also moves the database's
/// <see cref="AccessStamp"/>, which each node reads every <see cref="OtherNodes"/> in the background, so a change made on
/// another node or by the command line holds here within that. The role and account come from the user row, never from
/// what the cookie remembers.
/// </summary>
public sealed class Sessions(IMemoryCache cache, IServiceProvider services, TimeProvider clock)
{
    public const string SessionClaim = "verity:session";

    public const string TokenClaim = "verity:token";

    /// <summary>How long a node trusts its last look at a session or token when nothing moved the stamp.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    /// <summary>How often a node looks whether another node (or the command line) changed who may sign in.</summary>
    public static readonly TimeSpan OtherNodes = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _userChanges = new();

    /// <summary>Cancelled when the stamp moved: every session and token this node had checked is looked at again.</summary>
    private CancellationTokenSource _everything = new();

    private long _stamp = -1;

    /// <summary>The holder of a session or token as the database has them now.</summary>
    private sealed record Holder(string UserId, string Email, UserRole Role, string? AccountId, string? SessionId, string? TokenId, DateTime? ExpiresAt);

    /// <summary>Starts a session for a user who has just proved who they are, and sets the cookie.</summary>
    public async Task SignInAsync(HttpContext http, VerityUser user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = services.CreateSystemContext();
        var session = new UserSession { UserId = user.Id, SecurityStamp = user.SecurityStamp ?? "", CreatedAt = now, LastSeenAt = now };
        db.Sessions.Add(session);
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSignInAt, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var holder = new Holder(user.Id, user.Email ?? user.Id, user.Role, user.AccountId, session.Id, null, null);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(holder, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>Ends this browser's session on the server, not only its cookie.</summary>
    public async Task SignOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.User.FindFirstValue(SessionClaim) is { } sessionId)
        {
            await using var db = services.CreateSystemContext();
            var now = clock.GetUtcNow().UtcDateTime;
            await db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
            cache.Remove(SessionKey(sessionId));
            await AnnounceAsync(db, cancellationToken);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>The cookie's principal rebuilt from the database, or null when its session has ended.</summary>
    public async Task<ClaimsPrincipal?> ValidateSessionAsync(string sessionId, string scheme, CancellationToken cancellationToken)
    {
        var holder = await cache.GetOrCreateAsync(SessionKey(sessionId), async entry =>
        {
            var everything = _everything.Token;
            await using var db = services.CreateSystemContext();
            var found = await db.Sessions.AsNoTracking()
                .Where(s => s.Id == sessionId && s.EndedAt == null)
                .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { Session = s, User = u })
                .Where(x => x.User.Status == UserStatus.Active && x.User.SecurityStamp == x.Session.SecurityStamp)
                .Select(x => new Holder(x.User.Id, x.User.Email ?? x.User.Id, x.User.Role, x.User.AccountId, x.Session.Id, null, null))
                .FirstOrDefaultAsync(cancellationToken);
            if (found is not null)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
            }

            return Keep(entry, found, everything);
        });
        return holder is null ? null : Principal(holder, scheme);
    }

    /// <summary>The token's principal, or null when the token is unknown, revoked, expired or its user disabled.</summary>
    public async Task<ClaimsPrincipal?> ValidateTokenAsync(string token, string scheme, CancellationToken cancellationToken)
    {
        var hash = PersonalAccessTokens.Hash(token);
        var holder = await cache.GetOrCreateAsync(TokenKey(hash), async entry =>
        {
            var everything = _everything.Token;
            await using var db = services.CreateSystemContext();
            var now = clock.GetUtcNow().UtcDateTime;
            var found = await db.AccessTokens.AsNoTracking()
                .Where(t => t.Hash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
                .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
                .Where(x => x.User.Status == UserStatus.Active)
                .Select(x => new Holder(x.User.Id, x.User.Email ?? x.User.Id, x.User.Role, x.User.AccountId, null, x.Token.Id, x.Token.ExpiresAt))
                .FirstOrDefaultAsync(cancellationToken);
            if (found is not null)
            {
                await db.AccessTokens.Where(t => t.Hash == hash).ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now), cancellationToken);
            }

            return Keep(entry, found, everything);
        });
        return holder is null || holder.ExpiresAt <= clock.GetUtcNow().UtcDateTime ? null : Principal(holder, scheme);
    }

    /// <summary>
    /// A user's role, status or stamp changed: this node looks at their sessions and tokens again now, and the others
    /// within <see cref="OtherNodes"/>.
    /// </summary>
    public async Task ForgetAsync(string userId, CancellationToken cancellationToken)
    {
        if (_userChanges.TryRemove(userId, out var changes))
        {
            changes.Cancel();
            changes.Dispose();
        }

        await AnnounceAsync(cancellationToken);
    }

    /// <summary>A token was revoked: this node refuses it now, the others within <see cref="OtherNodes"/>.</summary>
    public async Task ForgetTokenAsync(string hash, CancellationToken cancellationToken)
    {
        cache.Remove(TokenKey(hash));
        await AnnounceAsync(cancellationToken);
    }

    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        await using var db = services.CreateSystemContext();
        await AnnounceAsync(db, cancellationToken);
    }

    /// <summary>Moves the stamp, so every node forgets what it knew of sessions and tokens at its next look.</summary>
    private static Task AnnounceAsync(VerityDb db, CancellationToken cancellationToken) =>
        db.AccessStamps.Where(s => s.Id == AccessStamp.Only)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);

    /// <summary>
    /// Reads the stamp (every <see cref="OtherNodes"/>, by <see cref="AccessStampWatcher"/>, off the requests' path); when
    /// it moved, everything this node kept of sessions and tokens is dropped.
    /// </summary>
    public async Task LookAtStampAsync(CancellationToken cancellationToken)
    {
        await using var db = services.CreateSystemContext();
        var stamp = await db.AccessStamps.AsNoTracking().Where(s => s.Id == AccessStamp.Only)
            .Select(s => s.Version).FirstOrDefaultAsync(cancellationToken);
        if (stamp != _stamp)
        {
            // Not disposed: a lookup under way may still hold its token, and a cancelled one expires what it adds.
            Interlocked.Exchange(ref _everything, new CancellationTokenSource()).Cancel();
            _stamp = stamp;
        }
    }

    private Holder? Keep(ICacheEntry entry, Holder? holder, CancellationToken everything)
    {
        entry.AbsoluteExpirationRelativeToNow = Recheck;
        entry.AddExpirationToken(new CancellationChangeToken(everything));
        if (holder is not null)
        {
            var changes = _userChanges.GetOrAdd(holder.UserId, _ => new CancellationTokenSource());
            entry.AddExpirationToken(new CancellationChangeToken(changes.Token));
        }

        return holder;
    }

    private static string SessionKey(string sessionId) => "session:" + sessionId;

    private static string TokenKey(string hash) => "token:" + hash;

    private static ClaimsPrincipal Principal(Holder holder, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, holder.UserId),
            new Claim(ClaimTypes.Name, holder.Email),
            new Claim(Actor.RoleClaim, holder.Role.ToString()),
            .. holder.AccountId is null ? Array.Empty<Claim>() : [new Claim(Actor.AccountClaim, holder.AccountId)],
            .. holder.SessionId is null ? Array.Empty<Claim>() : [new Claim(SessionClaim, holder.SessionId)],
            .. holder.TokenId is null ? Array.Empty<Claim>() : [new Claim(TokenClaim, holder.TokenId)],
        ],
        scheme));
}

/// <summary>Looks at the access stamp every <see cref="Sessions.OtherNodes"/>: one query a second per node, whatever the load.</summary>
public sealed class AccessStampWatcher(Sessions sessions, ILogger<AccessStampWatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Sessions.OtherNodes);
        var failing = false;
        do
        {
            try
            {
                await sessions.LookAtStampAsync(stoppingToken);
                failing = false;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Once per outage: until the database answers, sessions and tokens are trusted for at most Sessions.Recheck.
                if (!failing)
                {
                    log.LogWarning(e, "The access stamp could not be read; changes made on other nodes wait until it can.");
                }

                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
