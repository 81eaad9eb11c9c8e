using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Http;
using Verity.Mail;

namespace Verity.Features.Portal;

public sealed record InvitationInput
{
    [Mandatory]
    public string? StakeholderId { get; init; }
}

public sealed record InvitationResponse(string UserId, string Email, DateTime InvitedAt, DateTime ExpiresAt);

public enum PortalAccessStatus
{
    Invited,
    Active,
    Revoked,
}

public sealed record PortalAccessResponse(
    string UserId, string? StakeholderId, string Email, string Name, PortalAccessStatus Status, DateTime? InvitedAt, DateTime? LastSignInAt)
{
    public static PortalAccessResponse From(VerityUser u) => new(
        u.Id, u.StakeholderId, u.Email ?? "", u.DisplayName,
        u.Status == UserStatus.Disabled ? PortalAccessStatus.Revoked : u.LastSignInAt is null ? PortalAccessStatus.Invited : PortalAccessStatus.Active,
        u.InvitedAt, u.LastSignInAt);
}

/// <summary>
/// Customer stakeholders in their own plan: invited by the vendor's team, signed in by emailed single-use links
/// (never a password), and shut out at once when their access is revoked.
/// </summary>
public sealed class PortalAccess(
    VerityDb db, UserManager<VerityUser> users, Outbox outbox, Sessions sessions, Actor actor, TimeProvider clock)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan SignInLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Invites a customer-side stakeholder: creates or reuses their customer user and emails a link valid 7 days.</summary>
    public async Task<InvitationResponse> InviteAsync(string accountId, InvitationInput input, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var stakeholder = await db.Stakeholders.FirstOrDefaultAsync(s => s.Id == input.StakeholderId && s.AccountId == accountId, cancellationToken)
            ?? throw new BadInputException("stakeholderId", "Must be a stakeholder of this account.");
        if (stakeholder.Side != StakeholderSide.Customer)
        {
            throw new BadInputException("stakeholderId", "Only a stakeholder on the customer's side is invited to the portal.");
        }

        if (string.IsNullOrWhiteSpace(stakeholder.Email))
        {
            throw new BadInputException("stakeholderId", "The stakeholder has no email address: add one first.");
        }

        var email = stakeholder.Email.Trim();
        var now = clock.GetUtcNow().UtcDateTime;
        var user = await users.FindByEmailAsync(email);
        var isNew = user is null;
        if (user is null)
        {
            user = new VerityUser { UserName = email, Email = email, DisplayName = stakeholder.Name, Role = UserRole.Customer, AccountId = accountId };
        }
        else if (user.Role != UserRole.Customer || user.AccountId != accountId)
        {
            throw new ConflictException($"{email} already belongs to a Verity user who is not a customer of this account.");
        }

        // Inviting again restores access that was revoked; the old sessions stay ended (the stamp moved on revoke).
        user.StakeholderId = stakeholder.Id;
        user.InvitedAt = now;
        user.Status = UserStatus.Active;
        var saved = isNew ? await users.CreateAsync(user) : await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            throw new BadInputException("stakeholderId", string.Join(" ", saved.Errors.Select(e => e.Description)));
        }

        var (link, token) = NewLink(user.Id, PortalLinkPurpose.Invitation, now);
        var inviter = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        await outbox.QueueAsync<PortalInvitationMail>(db, MailKind.PortalInvitation, email, $"{account.Name}: your success plan in Verity", new()
        {
            [nameof(PortalInvitationMail.Name)] = stakeholder.Name,
            [nameof(PortalInvitationMail.Inviter)] = inviter ?? "Your success team",
            [nameof(PortalInvitationMail.Account)] = account.Name,
            [nameof(PortalInvitationMail.Link)] = outbox.Link($"/portal/links/{token}"),
            [nameof(PortalInvitationMail.SignInLink)] = outbox.Link("/portal/signin"),
            [nameof(PortalInvitationMail.ExpiresAt)] = link.ExpiresAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        await sessions.ForgetAsync(user.Id, cancellationToken);
        return new InvitationResponse(user.Id, email, now, link.ExpiresAt);
    }

    /// <summary>The account's customer users and where each stands.</summary>
    public async Task<List<PortalAccessResponse>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        await ListAsync(await db.Accounts.AsNoTracking().GetAsync(accountId, cancellationToken), cancellationToken);

    /// <summary>The customer users of an account the caller has read already, so may see (the account page).</summary>
    public async Task<List<PortalAccessResponse>> ListAsync(Account account, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide("Portal access is managed by the vendor's team.");
        return (await db.Users.AsNoTracking().Where(u => u.Role == UserRole.Customer && u.AccountId == account.Id)
            .OrderBy(u => u.NormalizedEmail).ToListAsync(cancellationToken)).Select(PortalAccessResponse.From).ToList();
    }

    /// <summary>Revokes a customer's access: every session and unused link stops at once.</summary>
    public async Task RevokeAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is not { Role: UserRole.Customer, AccountId: { } accountId })
        {
            throw new NotFoundException("The customer user");
        }

        await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        user.Status = UserStatus.Disabled;
        await users.UpdateSecurityStampAsync(user);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.PortalLinks.Where(l => l.UserId == userId && l.UsedAt == null)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.UsedAt, now), cancellationToken);
        await sessions.ForgetAsync(userId, cancellationToken);
    }

    /// <summary>
    /// Emails a 15-minute sign-in link when the address belongs to a customer with access, and returns it (the command
    /// line prints it where mail is not set up); the form that calls this says nothing either way, so it cannot tell
    /// anyone who has access.
    /// </summary>
    public async Task<string?> SendSignInLinkAsync(string? email, CancellationToken cancellationToken)
    {
        var address = (email ?? "").Trim();
        var user = address.Length == 0 ? null : await users.FindByEmailAsync(address);
        if (user is not { Role: UserRole.Customer, Status: UserStatus.Active })
        {
            return null;
        }

        var (_, token) = NewLink(user.Id, PortalLinkPurpose.SignIn, clock.GetUtcNow().UtcDateTime);
        var link = outbox.Link($"/portal/links/{token}");
        await outbox.QueueAsync<PortalSignInMail>(db, MailKind.PortalSignIn, user.Email!, "Your Verity sign-in link", new()
        {
            [nameof(PortalSignInMail.Name)] = user.DisplayName,
            [nameof(PortalSignInMail.Link)] = link,
        });
        await db.SaveChangesAsync(cancellationToken);
        return link;
    }

    /// <summary>Whether a link can still be used; opening it changes nothing (mail scanners open links first).</summary>
    public async Task<bool> IsUsableAsync(string token, CancellationToken cancellationToken)
    {
        var hash = PersonalAccessTokens.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.PortalLinks.AnyAsync(l => l.Hash == hash && l.UsedAt == null && l.ExpiresAt > now, cancellationToken);
    }

    /// <summary>Uses up a link and signs its customer in; false when it is unknown, used, expired or its access revoked.</summary>
    public async Task<bool> SignInAsync(HttpContext http, string token, CancellationToken cancellationToken)
    {
        var hash = PersonalAccessTokens.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var link = await db.PortalLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Hash == hash && l.UsedAt == null && l.ExpiresAt > now, cancellationToken);

        // Only one of two clicks at once may use the link.
        if (link is null || await db.PortalLinks.Where(l => l.Id == link.Id && l.UsedAt == null)
                .ExecuteUpdateAsync(l => l.SetProperty(x => x.UsedAt, now), cancellationToken) != 1)
        {
            return false;
        }

        var user = await users.FindByIdAsync(link.UserId);
        if (user is not { Role: UserRole.Customer, Status: UserStatus.Active })
        {
            return false;
        }

        await sessions.SignInAsync(http, user, cancellationToken);
        return true;
    }

    private (PortalLink Link, string Token) NewLink(string userId, PortalLinkPurpose purpose, DateTime now)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var link = new PortalLink
        {
            UserId = userId,
            Hash = PersonalAccessTokens.Hash(token),
            Purpose = purpose,
            CreatedAt = now,
            ExpiresAt = now + (purpose == PortalLinkPurpose.Invitation ? InvitationLifetime : SignInLifetime),
        };
        db.PortalLinks.Add(link);
        return (link, token);
    }
}
