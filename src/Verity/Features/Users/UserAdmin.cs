using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Users;

public sealed record NewUserInput
{
    [Mandatory, EmailAddress, StringLength(320)]
    public string? Email { get; init; }

    [Mandatory, Name]
    public string? Name { get; init; }

    [Mandatory]
    public UserRole? Role { get; init; }

    /// <summary>The account a customer user belongs to.</summary>
    public string? AccountId { get; init; }

    /// <summary>For signing in to the pages; without one the user works with tokens (or, as a customer, emailed links).</summary>
    [StringLength(200)]
    public string? Password { get; init; }
}

/// <summary>What an admin may change about a user: their name, role and whether they may sign in at all.</summary>
public sealed record UserChangeInput
{
    [Mandatory, Name]
    public string? Name { get; init; }

    [Mandatory]
    public UserRole? Role { get; init; }

    public UserStatus Status { get; init; }

    public static UserChangeInput From(VerityUser user) => new() { Name = user.DisplayName, Role = user.Role, Status = user.Status };
}

public sealed record UserResponse(
    string Id, string Email, string Name, UserRole Role, string? AccountId, UserStatus Status, DateTime? LastSignInAt) : IHasId
{
    public static UserResponse From(VerityUser u) => new(u.Id, u.Email ?? "", u.DisplayName, u.Role, u.AccountId, u.Status, u.LastSignInAt);
}

/// <summary>Adding, changing and disabling users: the admin API, the users page and the command line share these.</summary>
public static class UserAdmin
{
    public static async Task<VerityUser> AddAsync(
        VerityDb db, UserManager<VerityUser> users, Actor actor, NewUserInput input, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin adds users.");
        Json.Validate(input);
        if (input.Role == UserRole.Customer)
        {
            if (input.AccountId is null)
            {
                throw new BadInputException("accountId", "A customer user belongs to exactly one account: give its id.");
            }

            if (!await db.Accounts.AnyAsync(a => a.Id == input.AccountId, cancellationToken))
            {
                throw new BadInputException("accountId", $"No account with id '{input.AccountId}'.");
            }
        }
        else if (input.AccountId is not null)
        {
            throw new BadInputException("accountId", "Only customer users belong to an account; add vendor users to an account's team instead.");
        }

        var email = input.Email!.Trim();
        var user = new VerityUser { UserName = email, Email = email, DisplayName = input.Name!.Trim(), Role = input.Role!.Value, AccountId = input.AccountId };
        var created = input.Password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
        {
            throw new BadInputException(created.Errors
                .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "email")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }

        return user;
    }

    /// <summary>
    /// Changes a user. Disabling ends every session and token at once (a new security stamp); their records and
    /// history stay. A role change takes effect on the user's next request.
    /// </summary>
    public static async Task<VerityUser> ChangeAsync(
        UserManager<VerityUser> users, Sessions sessions, Actor actor, string id, string? ifMatch,
        Func<UserChangeInput, Task<UserChangeInput>> change, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin changes users.");
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException("The user");
        if (!string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim() != "*" && ifMatch.Trim() != ETagOf(user))
        {
            throw new PreconditionFailedException();
        }

        var input = await change(UserChangeInput.From(user));
        Json.Validate(input);
        if ((input.Role == UserRole.Customer) != (user.Role == UserRole.Customer))
        {
            throw new BadInputException("role", "A customer user stays a customer and a vendor user stays on the vendor side: add a new user instead.");
        }

        if (user.Id == actor.UserId && (input.Status == UserStatus.Disabled || input.Role != UserRole.Admin))
        {
            throw new ConflictException("You cannot disable yourself or give up your own admin role: ask another admin.");
        }

        var disabling = input.Status == UserStatus.Disabled && user.Status != UserStatus.Disabled;
        user.DisplayName = input.Name!.Trim();
        user.Role = input.Role!.Value;
        user.Status = input.Status;
        var result = disabling ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            throw result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                ? new PreconditionFailedException()
                : new BadInputException("body", string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        await sessions.ForgetAsync(user.Id, cancellationToken);
        return user;
    }

    /// <summary>Users have no version number of their own; Identity's concurrency stamp moves on every change.</summary>
    public static string ETagOf(VerityUser user) => $"\"{user.ConcurrencyStamp}\"";
}
