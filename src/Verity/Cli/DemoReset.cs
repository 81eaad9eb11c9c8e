using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Common;

namespace Verity.Cli;

/// <summary>
/// <c>verity demo --reset</c>: drops the demo database and creates it again with a fresh demo data set, so whatever
/// was tried out in it is gone. Only a demo database is recreated: one that holds the demo data set, no account beyond
/// the demo's four and no user beyond the demo's own people and its accounts' customers. Anything else is refused and
/// left as it was, so a real database given by mistake (or real accounts imported into the demo) never loses a record.
/// </summary>
internal static class DemoReset
{
    public static async Task ResetAsync(ServiceProvider services, CancellationToken cancellationToken)
    {
        await using (var db = services.CreateSystemContext())
        {
            var anything = await db.Accounts.AnyAsync(cancellationToken) || await db.Users.AnyAsync(cancellationToken);
            if (anything)
            {
                await RefuseUnlessDemoAsync(db, cancellationToken);
                var setting = services.GetRequiredService<DatabaseSetting>();
                try
                {
                    await db.Database.EnsureDeletedAsync(cancellationToken);
                }
                catch (DbException e)
                {
                    throw new CommandFailure($"--reset: the demo database could not be dropped, nothing was changed: {e.Message.ReplaceLineEndings(" ")}");
                }

                if (setting.Provider == DatabaseProvider.Sqlite)
                {
                    // A write-ahead log left beside a new file would be read as part of it.
                    var file = new SqliteConnectionStringBuilder(setting.ConnectionString).DataSource;
                    File.Delete(file + "-wal");
                    File.Delete(file + "-shm");
                }

                Console.WriteLine("Dropped the demo database and everything tried out in it.");
            }
        }

        await services.OpenDatabaseAsync(cancellationToken);
        await DemoData.LoadAsync(services, cancellationToken);
    }

    private static async Task RefuseUnlessDemoAsync(VerityDb db, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(a => a.Name == DemoData.Marker, cancellationToken))
        {
            throw new CommandFailure("--reset: this database holds no demo data set, so it is not recreated; nothing was changed. (Load the demo into a new database: verity demo --database sqlite:demo.db)");
        }

        var otherAccounts = await db.Accounts.Where(a => !DemoData.AccountNames.Contains(a.Name)).OrderBy(a => a.Name).Select(a => a.Name).Take(3).ToListAsync(cancellationToken);
        if (otherAccounts.Count > 0)
        {
            throw new CommandFailure($"--reset: this database has accounts that are not in the demo ({string.Join(", ", otherAccounts)}), so it is not recreated; nothing was changed.");
        }

        var demoAccounts = await db.Accounts.Select(a => a.Id).ToListAsync(cancellationToken);
        var others = await db.Users
            .Where(u => !u.NormalizedEmail!.EndsWith(DemoData.UserDomain.ToUpperInvariant())
                && !(u.Role == UserRole.Customer && u.AccountId != null && demoAccounts.Contains(u.AccountId)))
            .OrderBy(u => u.NormalizedEmail)
            .Select(u => u.Email)
            .Take(3)
            .ToListAsync(cancellationToken);
        if (others.Count > 0)
        {
            throw new CommandFailure($"--reset: this database has users who are not in the demo ({string.Join(", ", others)}), so it is not recreated; nothing was changed.");
        }
    }
}
