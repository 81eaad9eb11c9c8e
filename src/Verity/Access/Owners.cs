using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Access;

/// <summary>Who may own a plan, an objective or an initiative: an active vendor user who can see its account.</summary>
public static class Owners
{
    public static async Task EnsureCanOwnAsync(VerityDb db, string accountId, string ownerId, CancellationToken cancellationToken)
    {
        var owner = await db.Users.AsNoTracking()
            .Where(u => u.Id == ownerId && u.Role != UserRole.Customer && u.Status == UserStatus.Active)
            .Select(u => new { u.Role })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new BadInputException("ownerId", $"No active vendor user with id '{ownerId}'.");

        // The same rule as the account filter: those who see every account, or the account's team.
        if (!owner.Role.SeesEveryAccount()
            && !await db.TeamMembers.AnyAsync(t => t.AccountId == accountId && t.UserId == ownerId, cancellationToken))
        {
            throw new BadInputException("ownerId", "The owner must be able to see this account: add them to its team first.");
        }
    }
}
