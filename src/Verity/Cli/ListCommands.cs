using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Features.Accounts;
using Verity.Features.Plans;
using Verity.Http;

namespace Verity.Cli;

/// <summary>
/// <c>verity accounts list</c> and <c>verity plans list</c>: what <c>GET /accounts</c> and <c>GET /plans</c> answer,
/// read through the same use cases, page by page, printed as <c>users list</c> prints: tab-separated, one a line, with a header.
/// </summary>
internal static class ListCommands
{
    public static Command Accounts()
    {
        var list = new Command("list", "List the accounts (not archived), tab-separated: id, name, segment, potential users, focus, ARR, renewal date.");
        list.SetAction((result, cancellationToken) => Commands.RunAsync(result, async services =>
        {
            await using var db = services.CreateSystemContext();
            Console.WriteLine("id\tname\tsegment\tpotentialUsers\tfocus\tarr\trenewalDate");
            string? cursor = null;
            do
            {
                var page = await AccountEndpoints.ListAsync(db, q: null, segment: null, ownerId: null, includeArchived: false, Paging.MaxLimit, cursor, cancellationToken);
                foreach (var a in page.Items)
                {
                    Console.WriteLine(Row(a.Id, a.Name, Json.Camel(a.Segment.ToString()), a.PotentialUsers?.ToString(CultureInfo.InvariantCulture),
                        a.IsFocusAccount ? "yes" : "no", a.Arr?.ToString("0.##", CultureInfo.InvariantCulture), Date(a.RenewalDate)));
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }, cancellationToken));

        var accounts = new Command("accounts", "The book of business.");
        accounts.Subcommands.Add(list);
        return accounts;
    }

    public static Command Plans()
    {
        var list = new Command("list", "List the success plans, tab-separated: id, account, title, status, owner, last reviewed.");
        list.SetAction((result, cancellationToken) => Commands.RunAsync(result, async services =>
        {
            await using var db = services.CreateSystemContext();
            var plans = new List<PlanSummary>();
            string? cursor = null;
            do
            {
                var page = await PlanEndpoints.ListAsync(db, accountId: null, status: null, ownerId: null, Paging.MaxLimit, cursor, cancellationToken);
                plans.AddRange(page.Items);
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            // Names, not ids, for the account and the owner: a person reads this list.
            var accountIds = plans.Select(p => p.AccountId).Distinct().ToList();
            var accountNames = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
            var ownerIds = plans.Select(p => p.OwnerId).OfType<string>().Distinct().ToList();
            var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);

            Console.WriteLine("id\taccount\ttitle\tstatus\towner\tlastReviewed");
            foreach (var p in plans)
            {
                Console.WriteLine(Row(p.Id, accountNames.GetValueOrDefault(p.AccountId, p.AccountId), p.Title, Json.Camel(p.Status.ToString()),
                    p.OwnerId is null ? null : owners.GetValueOrDefault(p.OwnerId, p.OwnerId), Date(p.LastReviewedAt)));
            }
        }, cancellationToken));

        var plansCommand = new Command("plans", "Success plans.");
        plansCommand.Subcommands.Add(list);
        return plansCommand;
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One record a line: a tab or line break inside a value becomes a space, so columns stay columns.</summary>
    private static string Row(params string?[] values) =>
        string.Join('\t', values.Select(v => (v ?? "").Replace('\t', ' ').ReplaceLineEndings(" ")));
}
