using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Common;

namespace Verity.Features.Activities;

/// <summary>
/// Who may be named as having taken part in a meeting or an activity on an account: active vendor users who can see
/// it (its team, or a role that sees every account) and the account's own stakeholders. One check for both.
/// </summary>
public static class Attendees
{
    /// <summary>The most attendees one record takes.</summary>
    public const int MaxCount = 100;

    /// <summary>Adds a message per field to <paramref name="errors"/> for each id that is not such a person.</summary>
    public static async Task CheckAsync(
        VerityDb db, string accountId, IReadOnlyCollection<string> userIds, IReadOnlyCollection<string> stakeholderIds,
        Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (userIds.Count > 0)
        {
            var found = await db.Users.AsNoTracking()
                .Where(u => userIds.Contains(u.Id) && u.Role != UserRole.Customer && u.Status == UserStatus.Active)
                .Select(u => new { u.Id, u.Role, OnTeam = db.TeamMembers.Any(t => t.AccountId == accountId && t.UserId == u.Id) })
                .ToListAsync(cancellationToken);
            var unknown = userIds.Except(found.Where(u => u.OnTeam || u.Role.SeesEveryAccount()).Select(u => u.Id)).ToList();
            if (unknown.Count > 0)
            {
                errors["attendeeUserIds"] = [$"Not active vendor users who can see this account: {string.Join(", ", unknown)}. Add a colleague to the account's team first."];
            }
        }

        if (stakeholderIds.Count > 0)
        {
            var found = await db.Stakeholders.AsNoTracking()
                .Where(s => s.AccountId == accountId && stakeholderIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
            if (stakeholderIds.Except(found).ToList() is { Count: > 0 } unknown)
            {
                errors["attendeeStakeholderIds"] = [$"Not stakeholders of this account: {string.Join(", ", unknown)}."];
            }
        }
    }
}
