using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Verity.Data;
using Verity.Domain.Common;

namespace Verity.Access;

public enum SignInOutcome
{
    SignedIn,
    WrongPassword,
    LockedOut,
    Disabled,
}

/// <summary>
/// Checks an email and password so that the answer and its timing say nothing about whether the address
/// belongs to anyone: an unknown address costs the same password hash and locks out after the same
/// number of attempts as a known one.
/// </summary>
public sealed class PasswordSignIn(UserManager<VerityUser> users, IMemoryCache cache, Sessions sessions)
{
    // A hash of nothing in particular, checked for unknown addresses so they take as long as known ones.
    private static readonly Lazy<string> _decoyHash = new(() => new PasswordHasher<VerityUser>().HashPassword(new VerityUser(), Guid.NewGuid().ToString()));

    public async Task<SignInOutcome> SignInAsync(HttpContext http, string? email, string? password, CancellationToken cancellationToken)
    {
        var address = (email ?? "").Trim();
        var user = address.Length == 0 ? null : await users.FindByEmailAsync(address);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new VerityUser(), _decoyHash.Value, password ?? "");
            return UnknownAddressFailed(address);
        }

        if (await users.IsLockedOutAsync(user))
        {
            return SignInOutcome.LockedOut;
        }

        if (password is null || !await users.CheckPasswordAsync(user, password))
        {
            // Repeated wrong passwords lock the account for a few minutes, so a password cannot be guessed here.
            await users.AccessFailedAsync(user);
            return SignInOutcome.WrongPassword;
        }

        if (user.Status == UserStatus.Disabled)
        {
            return SignInOutcome.Disabled;
        }

        await users.ResetAccessFailedCountAsync(user);
        await sessions.SignInAsync(http, user, cancellationToken);
        return SignInOutcome.SignedIn;
    }

    /// <summary>Counts failures for an address nobody has, and "locks" it as Identity would lock a real one.</summary>
    private SignInOutcome UnknownAddressFailed(string address)
    {
        var key = "signin-failures:" + address.ToUpperInvariant();
        var failures = cache.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = users.Options.Lockout.DefaultLockoutTimeSpan;
            return new StrongBox<int>();
        })!;
        return Interlocked.Increment(ref failures.Value) > users.Options.Lockout.MaxFailedAccessAttempts
            ? SignInOutcome.LockedOut
            : SignInOutcome.WrongPassword;
    }
}
