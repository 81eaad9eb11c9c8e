using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Imports;

/// <summary>
/// Imports one CSV file of accounts, opportunities, stakeholders or adoption figures: every row is read and checked, and
/// only when none is wrong (and it is no dry run) is anything written — all of it in one transaction, by the bulk
/// loader (prepared statements on SQLite, binary COPY on PostgreSQL) rather than row by row through change tracking,
/// so a hundred thousand rows take seconds. The history is kept all the same: each record created or changed gets its
/// audit row, as the interceptor would write it, and the import itself one more (who imported which file, and the counts).
/// Webhooks are not sent for imported records: the file comes from the system they would tell.
/// </summary>
public static class CsvImport
{
    /// <summary>The largest file Verity imports.</summary>
    public const long MaxFileSize = 50L * 1024 * 1024;

    /// <summary>Rows are written in batches of this many, so memory stays flat however long the file.</summary>
    private const int Batch = 5_000;

    public static async Task<ImportReport> RunAsync(
        VerityDb db, Actor actor, ImportSettings settings, TimeProvider clock, ImportKind kind, Stream file, string fileName, bool dryRun,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin imports records from CSV files.");
        if (!file.CanSeek)
        {
            throw new ArgumentException("The import reads the start of the file twice: give a seekable stream.", nameof(file));
        }

        var errors = new List<ImportError>();
        ImportReport Report(int rows, ImportContext? context) =>
            new(kind, fileName, dryRun, Imported: !dryRun && errors.Count == 0, rows,
                Keep(context?.Created), Keep(context?.Updated), Keep(context?.Unchanged), errors);
        int Keep(int? count) => !dryRun && errors.Count > 0 ? 0 : count ?? 0;

        if (file.Length > MaxFileSize)
        {
            errors.Add(new ImportError(1, "file", $"The file is larger than {MaxFileSize / (1024 * 1024)} MB: split it into several files."));
            return Report(0, null);
        }

        var importer = KindImport.For(kind, settings);
        using var rows = CsvRows.Open(file, importer.Columns, errors);
        if (rows is null)
        {
            return Report(0, null);
        }

        var context = new ImportContext(db, actor, clock.GetUtcNow().UtcDateTime, keepHistory: !dryRun);
        await using var bulk = dryRun ? null : await BulkLoad.BeginAsync(db, cancellationToken);

        // The batch being written while the next rows are checked (the connection takes one batch at a time).
        var writing = Task.CompletedTask;
        try
        {
            if (bulk is not null)
            {
                await importer.LockAsync(bulk, cancellationToken);
            }

            await importer.LoadAsync(context, cancellationToken);
            var count = 0;
            while (Next(rows, errors))
            {
                count++;
                await importer.RowAsync(rows, context, cancellationToken);
                if (bulk is not null && errors.Count == 0 && importer.Pending >= Batch)
                {
                    await writing;
                    writing = WriteAsync(importer.TakeBatch(), context.TakeHistory(), bulk, cancellationToken);
                    if (!importer.ChecksOffTheDatabase)
                    {
                        await writing;
                    }
                }

                if (count % 1_000 == 0)
                {
                    progress?.Report(file.Length == 0 ? 1 : (double)rows.Position / file.Length);
                }
            }

            if (count == 0 && errors.Count == 0)
            {
                errors.Add(new ImportError(1, "header", "The file has a header but no rows to import."));
            }

            await writing;
            if (bulk is not null && errors.Count == 0)
            {
                await WriteAsync(importer.TakeBatch(), context.TakeHistory(), bulk, cancellationToken);
                await bulk.WriteAsync([Summary(context, kind, fileName, count)], cancellationToken);
                await bulk.CommitAsync(cancellationToken);
            }

            progress?.Report(1);
            return Report(count, context);
        }
        catch (Exception e) when (ProblemExceptionHandler.IsUniqueViolation(e))
        {
            throw new ConflictException("Another import or edit wrote records with the same ids at the same moment. Nothing was imported; run the import again.");
        }
        finally
        {
            // Nothing rolls back under a batch still being written; its own failure, if any, is the one already thrown.
            try
            {
                await writing;
            }
            catch (Exception)
            {
            }
        }
    }

    /// <summary>
    /// Writes a batch and its history on a thread of its own, so the caller checks the next rows meanwhile: the COPY's
    /// encoding and PostgreSQL's work on it no longer wait for the reading, nor the reading for them.
    /// </summary>
    private static Task WriteAsync(Func<BulkLoad, CancellationToken, Task> batch, List<AuditEntry> history, BulkLoad bulk, CancellationToken cancellationToken) =>
        Task.Run(
            async () =>
            {
                await batch(bulk, cancellationToken);
                await bulk.WriteAsync(history, cancellationToken);
            },
            cancellationToken);

    private static bool Next(CsvRows rows, List<ImportError> errors)
    {
        try
        {
            return rows.Read();
        }
        catch (CsvFormatException e)
        {
            errors.Add(new ImportError(Math.Max(e.LineNumber, 1), "row", $"The file cannot be read past this line: {e.Message}"));
            return false;
        }
    }

    /// <summary>The import as one entry of the history, for admins: who imported which file, and what it did.</summary>
    private static AuditEntry Summary(ImportContext context, ImportKind kind, string fileName, int rows) => new()
    {
        At = context.Now,
        ActorId = context.Actor.UserId,
        EntityType = "Import",
        EntityId = Ids.New(),
        Action = "import",
        Changes =
        [
            new AuditChange("kind", null, Json.Camel(kind.ToString())),
            new AuditChange("file", null, fileName),
            new AuditChange("rows", null, rows.ToString(CultureInfo.InvariantCulture)),
            new AuditChange("created", null, context.Created.ToString(CultureInfo.InvariantCulture)),
            new AuditChange("updated", null, context.Updated.ToString(CultureInfo.InvariantCulture)),
            new AuditChange("unchanged", null, context.Unchanged.ToString(CultureInfo.InvariantCulture)),
        ],
    };
}

/// <summary>What every kind of import shares while it runs: the database, who imports, the moment, the counts, the history to write.</summary>
public sealed class ImportContext(VerityDb db, Actor actor, DateTime now, bool keepHistory)
{
    public VerityDb Db { get; } = db;

    public Actor Actor { get; } = actor;

    public DateTime Now { get; } = now;

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public List<AuditEntry> History { get; private set; } = [];

    /// <summary>The audit rows gathered so far, handed over to be written; new ones go to a fresh list.</summary>
    public List<AuditEntry> TakeHistory()
    {
        var taken = History;
        History = [];
        return taken;
    }

    /// <summary>
    /// The audit row of a record created (<paramref name="before"/> null) or changed, in the interceptor's words: the
    /// fields that differ, values formatted as the API writes them. Null when nothing differs.
    /// </summary>
    public bool Record(string entityType, string id, string accountId, IReadOnlyList<(string Field, object? Value)>? before,
        IReadOnlyList<(string Field, object? Value)> after, IEnumerable<AuditChange>? more = null)
    {
        var changes = new List<AuditChange>();
        for (var i = 0; i < after.Count; i++)
        {
            var old = before?[i].Value;
            var value = after[i].Value;
            if (before is null ? value is not null : !Equals(old, value))
            {
                changes.Add(new AuditChange(after[i].Field, Format(old), Format(value)));
            }
        }

        changes.AddRange(more ?? []);
        if (changes.Count == 0)
        {
            return false;
        }

        // A dry run only counts.
        if (!keepHistory)
        {
            return true;
        }

        History.Add(new AuditEntry
        {
            At = Now,
            ActorId = Actor.UserId,
            EntityType = entityType,
            EntityId = id,
            AccountId = accountId,
            Action = before is null ? "insert" : "update",
            Changes = changes,
        });
        return true;
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        Enum e => Json.Camel(e.ToString()),
        DateOnly d => Dates.Iso(d),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>One kind of record: the columns it reads, what it looks up first, how a row becomes a record, how a batch is written.</summary>
public abstract class KindImport
{
    public abstract IReadOnlyList<ImportColumn> Columns { get; }

    /// <summary>Rows checked and waiting to be written.</summary>
    public abstract int Pending { get; }

    public abstract Task LoadAsync(ImportContext context, CancellationToken cancellationToken);

    /// <summary>Checks the current row and, when it is good, stages its record (created, changed, or found unchanged).</summary>
    public abstract Task RowAsync(CsvRows row, ImportContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Hands over the records staged so far as the write of them, and starts a new batch: the write may run while the
    /// next rows are checked, so it holds only what it was given.
    /// </summary>
    public abstract Func<BulkLoad, CancellationToken, Task> TakeBatch();

    /// <summary>Whether checking a row leaves the database alone, so a batch can be written meanwhile (one connection, one command at a time).</summary>
    public virtual bool ChecksOffTheDatabase => true;

    /// <summary>Holds the kind's table against other writers while the import reads and rewrites it.</summary>
    public abstract Task LockAsync(BulkLoad bulk, CancellationToken cancellationToken);

    public static KindImport For(ImportKind kind, ImportSettings settings) => kind switch
    {
        ImportKind.Accounts => new AccountImport(),
        ImportKind.Opportunities => new OpportunityImport(settings),
        ImportKind.Stakeholders => new StakeholderImport(),
        ImportKind.Adoption => new AdoptionImport(),
    };

    private static readonly System.Reflection.MethodInfo _memberwiseClone =
        typeof(object).GetMethod("MemberwiseClone", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;

    /// <summary>
    /// A copy of a stored record with every field, private ones included (a plan exception, whatever is added later), so
    /// rewriting its whole row changes only what the row says.
    /// </summary>
    protected static T Clone<T>(T record)
        where T : class => (T)_memberwiseClone.Invoke(record, null)!;

    /// <summary>The CRM id of a row, normalised as Verity keeps it (Salesforce's 15 characters become 18), or null.</summary>
    protected static string? ExternalId(CsvRows row) =>
        row.Text("externalId", Accounts.AccountInput.ExternalIdLength) is { } id ? SalesforceId.Normalise(id) : null;

    /// <summary>Each CRM id once a file: a second row with it is an error naming the first.</summary>
    protected static void Once(CsvRows row, Dictionary<string, long> seen, string? externalId, string what)
    {
        if (externalId is not null && !seen.TryAdd(externalId, row.Line))
        {
            row.Error("externalId", $"Line {seen[externalId]} already gives the {what} with this id; give each {what} once.");
        }
    }
}

/// <summary>Accounts as rows name them: by their CRM id (15 or 18 characters) or by Verity's own id.</summary>
public sealed class AccountRefs
{
    private readonly Dictionary<string, string> _byExternalId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public static async Task<AccountRefs> LoadAsync(VerityDb db, CancellationToken cancellationToken)
    {
        var refs = new AccountRefs();
        await foreach (var account in db.Accounts.AsNoTracking().Select(a => new { a.Id, a.ExternalId }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            refs._ids.Add(account.Id);
            if (account.ExternalId is { } externalId)
            {
                refs._byExternalId[SalesforceId.Normalise(externalId)] = account.Id;
            }
        }

        return refs;
    }

    /// <summary>The account the row's <c>accountId</c> column names; an error naming the column when it names none.</summary>
    public string? Resolve(CsvRows row, bool required)
    {
        if (row.Text("accountId", Accounts.AccountInput.ExternalIdLength) is not { } given)
        {
            if (required)
            {
                row.Error("accountId", "Is required: give the account's CRM id (Salesforce Account ID) or its Verity id.");
            }

            return null;
        }

        if (_byExternalId.TryGetValue(SalesforceId.Normalise(given), out var id) || _ids.Contains(given))
        {
            return id ?? given;
        }

        row.Error("accountId", $"No account has the CRM id or Verity id '{CsvRows.Clip(given, 60)}': import the accounts first, or correct the id.");
        return null;
    }
}
