using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;

namespace Verity.Features.Imports;

/// <summary>
/// Adoption figures: an account (its CRM id or Verity's id), a feature, a day, licensed and active users. A row for a
/// feature and day the account already has replaces its counts; others are added — unlike the API's PUT, an import
/// never removes figures the file does not mention.
/// </summary>
public sealed class AdoptionImport : KindImport
{
    private static readonly ImportColumn[] _columns =
    [
        new("accountId", "accountId", "AccountId", "Account ID", "account"),
        new("feature", "feature"),
        new("at", "at", "date", "day"),
        new("licensedUsers", "licensedUsers", "Licensed users", "licensed"),
        new("activeUsers", "activeUsers", "Active users", "active"),
    ];

    /// <summary>Per account, its stored figures by feature (any case) and day: read when the file first names the account.</summary>
    private readonly Dictionary<string, Dictionary<(string Feature, DateOnly At), AdoptionFigure>> _stored = new(StringComparer.Ordinal);
    private readonly Dictionary<(string AccountId, string Feature, DateOnly At), long> _seen = [];
    private List<AdoptionFigure> _created = [];
    private List<AdoptionFigure> _changed = [];
    private AccountRefs _accounts = null!;

    public override IReadOnlyList<ImportColumn> Columns => _columns;

    public override int Pending => _created.Count + _changed.Count;

    /// <summary>A row reads its account's stored figures (the first time the file names it).</summary>
    public override bool ChecksOffTheDatabase => false;

    public override async Task LoadAsync(ImportContext context, CancellationToken cancellationToken) =>
        _accounts = await AccountRefs.LoadAsync(context.Db, cancellationToken);

    public override async Task RowAsync(CsvRows row, ImportContext context, CancellationToken cancellationToken)
    {
        var accountId = _accounts.Resolve(row, required: true);
        var feature = row.Text("feature");
        var at = row.Date("at");
        var licensed = row.Count("licensedUsers");
        var active = row.Count("activeUsers");
        foreach (var (field, value) in new (string, object?)[] { ("feature", feature), ("at", at), ("licensedUsers", licensed), ("activeUsers", active) })
        {
            if (value is null && !row.RowHasErrorsIn(field))
            {
                row.Error(field, "Is required.");
            }
        }

        if (active > licensed)
        {
            row.Error("activeUsers", $"Must not be more than licensedUsers ({licensed}).");
        }

        if (accountId is not null && feature is not null && at is { } day)
        {
            var key = (accountId, feature.ToUpperInvariant(), day);
            if (!_seen.TryAdd(key, row.Line))
            {
                row.Error("at", $"Line {_seen[key]} already gives {feature} on {day:yyyy-MM-dd} for this account; give each feature once a day.");
            }
        }

        if (row.RowHasErrors)
        {
            return;
        }

        var stored = await StoredAsync(context.Db, accountId!, cancellationToken);
        var figure = new AdoptionFigure { AccountId = accountId!, Feature = feature!, At = at!.Value, LicensedUsers = licensed!.Value, ActiveUsers = active!.Value };
        if (stored.TryGetValue((feature!.ToUpperInvariant(), at.Value), out var old))
        {
            if (old.LicensedUsers == figure.LicensedUsers && old.ActiveUsers == figure.ActiveUsers)
            {
                context.Unchanged++;
                return;
            }

            // The stored spelling of the feature is its key.
            _changed.Add(new AdoptionFigure { AccountId = old.AccountId, Feature = old.Feature, At = old.At, LicensedUsers = figure.LicensedUsers, ActiveUsers = figure.ActiveUsers });
            context.Updated++;
            return;
        }

        _created.Add(figure);
        context.Created++;
    }

    public override Task LockAsync(BulkLoad bulk, CancellationToken cancellationToken) => bulk.LockAsync<AdoptionFigure>(cancellationToken);

    public override Func<BulkLoad, CancellationToken, Task> TakeBatch()
    {
        var (created, changed) = (_created, _changed);
        _created = [];
        _changed = [];
        return async (bulk, cancellationToken) =>
        {
            await bulk.WriteAsync(created, cancellationToken);
            await bulk.UpdateAsync(changed, cancellationToken);
        };
    }

    private async Task<Dictionary<(string, DateOnly), AdoptionFigure>> StoredAsync(VerityDb db, string accountId, CancellationToken cancellationToken)
    {
        if (!_stored.TryGetValue(accountId, out var figures))
        {
            figures = (await db.AdoptionFigures.AsNoTracking().Where(a => a.AccountId == accountId).ToListAsync(cancellationToken))
                .ToDictionary(a => (a.Feature.ToUpperInvariant(), a.At));
            _stored[accountId] = figures;
        }

        return figures;
    }
}
