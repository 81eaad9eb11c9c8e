using System.Security.Claims;
using Verity.Http;
using Verity.Domain.Accounts;
using Verity.Domain.Common;

namespace Verity.Access;

/// <summary>
/// Who is acting, and so which accounts they may see and what they may do. This is the one
/// place that decides access; the database context turns it into query filters.
/// </summary>
public sealed record Actor(string? UserId, UserRole Role, string? CustomerAccountId)
{
    public const string RoleClaim = "verity:role";
    public const string AccountClaim = "verity:account";

    /// <summary>An unauthenticated caller: sees nothing.</summary>
    public static readonly Actor Nobody = new(null, UserRole.Customer, null);

    /// <summary>The command line and background jobs act for the whole installation.</summary>
    public static readonly Actor System = new(null, UserRole.Admin, null);

    public bool SeesEveryAccount => Role.SeesEveryAccount();

    public bool IsCustomer => Role.IsCustomer();

    /// <summary>Customers read their own account through this API but never change it.</summary>
    public bool CanWrite => !IsCustomer;

    /// <summary>Who may open a new account.</summary>
    public bool CanCreateAccounts => Role is UserRole.Admin or UserRole.Director or UserRole.Manager
        or UserRole.AccountExecutive or UserRole.SolutionsArchitect or UserRole.CustomerSuccessManager;

    /// <summary>SA managers may add opportunities to those that need a plan.</summary>
    public bool CanRequirePlans => Role is UserRole.Admin or UserRole.Director or UserRole.Manager;

    public static Actor From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null || !Enum.TryParse<UserRole>(principal.FindFirstValue(RoleClaim), out var role))
        {
            return Nobody;
        }

        return new Actor(id, role, principal.FindFirstValue(AccountClaim));
    }

    /// <summary>Only a director (or above) excuses an opportunity from needing a plan.</summary>
    public void EnsureCanGrantCspExceptions()
    {
        if (Role is not (UserRole.Admin or UserRole.Director))
        {
            throw new ForbiddenException("Only a director or an admin may grant or withdraw a plan exception.");
        }
    }

    /// <summary>The owner of a record, or anyone who sees every account, may act on it as its owner.</summary>
    public bool OwnsOrManages(string? ownerId) => SeesEveryAccount || (UserId is not null && UserId == ownerId);

    public void EnsureOwnsOrManages(string? ownerId, string refusal)
    {
        if (!OwnsOrManages(ownerId))
        {
            throw new ForbiddenException(refusal);
        }
    }

    /// <summary>The triage runs by itself every week; by hand, only those who see every account start it.</summary>
    public bool CanRunTriage => SeesEveryAccount;

    public void EnsureCanRunTriage()
    {
        if (!CanRunTriage)
        {
            throw new ForbiddenException("Only a manager, a director or an admin runs the triage by hand; it also runs by itself every Monday.");
        }
    }

    /// <summary>Vendor-side views (close plans, the lifecycle) stay away from customer users.</summary>
    public void EnsureVendorSide(string refusal)
    {
        if (IsCustomer)
        {
            throw new ForbiddenException(refusal);
        }
    }

    /// <summary>Voiding a customer's written confirmation is an admin's decision.</summary>
    public void EnsureAdmin(string refusal)
    {
        if (Role != UserRole.Admin)
        {
            throw new ForbiddenException(refusal);
        }
    }

    /// <summary>
    /// Who is on an account's team decides who sees it, so only its account executive or customer success manager —
    /// or a manager, director or admin — changes it; an SA or an implementation engineer on the team may not.
    /// </summary>
    public bool CanChangeTeam(IEnumerable<(string UserId, TeamRole Role)> team) =>
        SeesEveryAccount || team.Any(t => t.UserId == UserId && t.Role is TeamRole.AccountExecutive or TeamRole.CustomerSuccessManager);

    public void EnsureCanChangeTeam(IEnumerable<AccountTeamMember> team)
    {
        if (!CanChangeTeam(team.Select(t => (t.UserId, t.Role))))
        {
            throw new ForbiddenException("Only the account's executive or customer success manager, a manager, a director or an admin changes its team.");
        }
    }

    /// <summary>
    /// The customer's own work is theirs to tick off: a customer may mark the tasks of an initiative owned by one of
    /// their stakeholders; the vendor's team marks any.
    /// </summary>
    public void EnsureCanMarkTasks(bool ownedByCustomer)
    {
        if (IsCustomer && !ownedByCustomer)
        {
            throw new ForbiddenException("Only the tasks of an initiative your side owns are yours to tick off.");
        }
    }

    /// <summary>Some moves are the customer's alone: accepting their plan, re-confirming their objectives.</summary>
    public void EnsureCustomer(string refusal)
    {
        if (!IsCustomer)
        {
            throw new ForbiddenException(refusal);
        }
    }

    public void EnsureCanWrite()
    {
        if (!CanWrite)
        {
            throw new ForbiddenException("Customer users can read their account's plan but cannot change it here.");
        }
    }
}
