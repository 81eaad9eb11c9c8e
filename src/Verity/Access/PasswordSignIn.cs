using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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
/// number of attempts as a known one. Both counts live in the database, so on several nodes an unknown address
/// locks after as many attempts as a known one, whichever nodes the attempts reach.
/// </summary>
public sealed class PasswordSignIn(UserManager<VerityUser> users, IServiceProvider services, TimeProvider clock, Sessions sessions)
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
            return await UnknownAddressFailedAsync(address, cancellationToken);
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
    private async Task<SignInOutcome> UnknownAddressFailedAsync(string address, CancellationToken cancellationToken)
    {
        var key = address.ToUpperInvariant();
        if (key.Length > SignInFailure.MaxAddressLength)
        {
            key = PersonalAccessTokens.Hash(key);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var windowStart = now - users.Options.Lockout.DefaultLockoutTimeSpan;
        await using var db = services.CreateSystemContext();
        await db.SignInFailures.Where(f => f.Since < windowStart).ExecuteDeleteAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "SignInFailures" ("Address", "Count", "Since") VALUES ({key}, 1, {now})
            ON CONFLICT ("Address") DO UPDATE SET "Count" = "SignInFailures"."Count" + 1
            """,
            cancellationToken);
        var failures = await db.SignInFailures.Where(f => f.Address == key).Select(f => f.Count).FirstAsync(cancellationToken);
        return failures > users.Options.Lockout.MaxFailedAccessAttempts
            ? SignInOutcome.LockedOut
            : SignInOutcome.WrongPassword;
    }
}
