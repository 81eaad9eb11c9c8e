using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Verity.Domain.Accounts;
using Verity.Domain.Common;

namespace Verity.Data;

/// <summary>
/// The book's version: figures added up over many accounts (the portfolio, the accounts list) are kept in memory until
/// a change to an account-owned record is committed. A change committed on this node drops them at once; it also moves
/// the <see cref="AccessStamp.Book"/> row, which every node reads every <see cref="OtherNodes"/> in the background, so a
/// change made on another node or by the command line drops them there within that. Kept figures also age out after
/// their own time to live, the bound should a node miss the stamp (the database unreachable for a while).
/// </summary>
public sealed class BookStamp(IServiceProvider services, ILogger<BookStamp> log)
{
    /// <summary>How often a node looks whether another node (or the command line) changed the book.</summary>
    public static readonly TimeSpan OtherNodes = TimeSpan.FromSeconds(2);

    // Upsert: the row is not seeded by a migration; a book nobody has changed yet has no row (version 0).
    private const string Bump = """
        INSERT INTO "AccessStamps" ("Id", "Version") VALUES (2, 1)
        ON CONFLICT ("Id") DO UPDATE SET "Version" = "AccessStamps"."Version" + 1
        RETURNING "Version" AS "Value"
        """;

    private readonly Lock _gate = new();

    private CancellationTokenSource _changes = new();

    /// <summary>The database's version this node last saw or moved itself (-1: not read yet).</summary>
    private long _seen = -1;

    /// <summary>Cancelled when the book changes: whatever was computed under it is stale.</summary>
    public CancellationToken Changes => Volatile.Read(ref _changes).Token;

    /// <summary>A change to the book was committed here: drop what this node kept, and tell the others.</summary>
    public async Task ChangedAsync(CancellationToken cancellationToken)
    {
        Drop();
        try
        {
            await using var db = services.CreateSystemContext();
            Moved((await db.Database.SqlQueryRaw<long>(Bump).ToListAsync(cancellationToken)).Single());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The change itself is committed; other nodes see it when their kept figures age out.
            log.LogWarning(e, "The book's version could not be moved; other nodes see this change within their figures' time to live.");
        }
    }

    /// <summary>As <see cref="ChangedAsync"/>, for a synchronous save.</summary>
    public void Changed()
    {
        Drop();
        try
        {
            using var db = services.CreateSystemContext();
            Moved(db.Database.SqlQueryRaw<long>(Bump).ToList().Single());
        }
        catch (Exception e)
        {
            log.LogWarning(e, "The book's version could not be moved; other nodes see this change within their figures' time to live.");
        }
    }

    /// <summary>Reads the database's version (every <see cref="OtherNodes"/>, off the requests' path); when another node moved it, drops what this node kept.</summary>
    public async Task LookAsync(CancellationToken cancellationToken)
    {
        long before;
        lock (_gate)
        {
            before = _seen;
        }

        await using var db = services.CreateSystemContext();
        var version = await db.AccessStamps.AsNoTracking().Where(s => s.Id == AccessStamp.Book)
            .Select(s => s.Version).FirstOrDefaultAsync(cancellationToken);
        lock (_gate)
        {
            // A move of this node's own may have landed while the version was read: only a version past what this node
            // has seen is news, or one below it that no move explains (a database restored from a backup).
            if (version > _seen || (version < _seen && _seen == before))
            {
                Drop();
                _seen = version;
            }
        }
    }

    /// <summary>
    /// Our own move: when nobody else moved the version since we last saw it, the watcher need not drop again. When
    /// others did (or this node had not read the version yet), their changes were committed before this move, so
    /// dropping now covers them and the next look has nothing left to drop.
    /// </summary>
    private void Moved(long version)
    {
        lock (_gate)
        {
            if (version == _seen + 1)
            {
                _seen = version;
            }
            else if (version > _seen)
            {
                Drop();
                _seen = version;
            }
        }
    }

    // Not disposed: a computation under way may still hold its token, and a cancelled token expires what it keeps.
    private void Drop() => Interlocked.Exchange(ref _changes, new CancellationTokenSource()).Cancel();

    /// <summary>Whether a tracked change touches the book: accounts, their teams, anything an account owns, and users (owners' names).</summary>
    internal static bool Touches(object entity) => entity is Account or AccountTeamMember or VerityUser or IAccountOwned;
}

/// <summary>
/// Moves the <see cref="BookStamp"/> once a save that touched the book is committed: right after the save, or, inside a
/// transaction, when it commits (never before: a figure computed between the bump and the commit would keep old data).
/// </summary>
internal sealed class BookInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Due(eventData.Context, outsideTransaction: true) is { } book)
        {
            book.Changed();
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Due(eventData.Context, outsideTransaction: true) is { } book)
        {
            await book.ChangedAsync(cancellationToken);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context, onlyOutsideTransaction: true);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, onlyOutsideTransaction: true);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Due(eventData.Context, outsideTransaction: false) is { } book)
        {
            book.Changed();
        }
    }

    public async Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Due(eventData.Context, outsideTransaction: false) is { } book)
        {
            await book.ChangedAsync(cancellationToken);
        }
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context, onlyOutsideTransaction: false);

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, onlyOutsideTransaction: false);
        return Task.CompletedTask;
    }

    private static void Note(DbContext? context)
    {
        if (context is VerityDb { Book: not null } db && db.ChangeTracker.Entries()
                .Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && BookStamp.Touches(e.Entity)))
        {
            db.BookChangePending = true;
        }
    }

    /// <summary>The stamp to move now, when a noted change has just been committed.</summary>
    private static BookStamp? Due(DbContext? context, bool outsideTransaction)
    {
        if (context is not VerityDb { BookChangePending: true, Book: { } book } db
            || (outsideTransaction && db.Database.CurrentTransaction is not null))
        {
            return null;
        }

        db.BookChangePending = false;
        return book;
    }

    /// <summary>A failed save inside a transaction leaves the decision to the transaction (its earlier saves may still commit).</summary>
    private static void Forget(DbContext? context, bool onlyOutsideTransaction)
    {
        if (context is VerityDb db && !(onlyOutsideTransaction && db.Database.CurrentTransaction is not null))
        {
            db.BookChangePending = false;
        }
    }
}

/// <summary>Looks at the book's version every <see cref="BookStamp.OtherNodes"/>: one query every two seconds per node, whatever the load.</summary>
public sealed class BookStampWatcher(BookStamp book, ILogger<BookStampWatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(BookStamp.OtherNodes);
        var failing = false;
        do
        {
            try
            {
                await book.LookAsync(stoppingToken);
                failing = false;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    log.LogWarning(e, "The book's version could not be read; changes made on other nodes show when kept figures age out.");
                }

                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
