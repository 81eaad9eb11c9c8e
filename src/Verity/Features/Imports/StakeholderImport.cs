using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;

namespace Verity.Features.Imports;

/// <summary>
/// Stakeholders, from a Salesforce contact export (Id, AccountId, FirstName and LastName or Name, Title, Email,
/// MailingCity) or Verity's names (<c>side</c>, <c>role</c>, <c>location</c>). People are on the customer's side and of
/// role "other" unless the file says; Salesforce's contact roles are read as Verity's. An Id a stakeholder already
/// carries updates them; a stakeholder never moves to another account.
/// </summary>
public sealed class StakeholderImport : KindImport
{
    /// <summary>Salesforce's standard contact roles (on opportunities), in Verity's words.</summary>
    public static readonly IReadOnlyDictionary<string, StakeholderRole> SalesforceRoles = new Dictionary<string, StakeholderRole>(StringComparer.OrdinalIgnoreCase)
    {
        ["Decision Maker"] = StakeholderRole.EconomicBuyer,
        ["Economic Buyer"] = StakeholderRole.EconomicBuyer,
        ["Economic Decision Maker"] = StakeholderRole.EconomicBuyer,
        ["Executive Sponsor"] = StakeholderRole.ExecutiveSponsor,
        ["Influencer"] = StakeholderRole.KeyInfluencer,
        ["Technical Buyer"] = StakeholderRole.TechnicalChampion,
        ["Evaluator"] = StakeholderRole.TechnicalChampion,
        ["Business User"] = StakeholderRole.ProcessOwner,
    };

    private static readonly ImportColumn[] _columns =
    [
        new("externalId", "Id", "Contact ID", "externalId"),
        new("accountId", "AccountId", "Account ID", "accountId"),
        new("name", "Name", "Full Name", "Contact Name"),
        new("firstName", "FirstName", "First Name"),
        new("lastName", "LastName", "Last Name"),
        new("title", "Title"),
        new("email", "Email"),
        new("location", "location", "MailingCity", "Mailing City"),
        new("side", "side"),
        new("role", "role", "Contact Role"),
    ];

    private readonly Dictionary<string, Stakeholder> _byExternalId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private List<Stakeholder> _created = [];
    private List<Stakeholder> _changed = [];
    private AccountRefs _accounts = null!;

    public override IReadOnlyList<ImportColumn> Columns => _columns;

    public override int Pending => _created.Count + _changed.Count;

    public override async Task LoadAsync(ImportContext context, CancellationToken cancellationToken)
    {
        _accounts = await AccountRefs.LoadAsync(context.Db, cancellationToken);
        await foreach (var stakeholder in context.Db.Stakeholders.AsNoTracking().Where(s => s.ExternalId != null).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            _byExternalId[SalesforceId.Normalise(stakeholder.ExternalId!)] = stakeholder;
        }
    }

    public override Task RowAsync(CsvRows row, ImportContext context, CancellationToken cancellationToken)
    {
        var externalId = ExternalId(row);
        var existing = externalId is null ? null : _byExternalId.GetValueOrDefault(externalId);
        var accountId = _accounts.Resolve(row, required: existing is null);
        var name = row.Text("name") ?? FullName(row);
        var title = row.Text("title");
        var email = row.Email("email");
        var location = row.Text("location");
        var side = row.Choice<StakeholderSide>("side");
        var role = row.Choice("role", SalesforceRoles);
        Once(row, _seen, externalId, "stakeholder");
        if (existing is not null && accountId is not null && accountId != existing.AccountId)
        {
            row.Error("accountId", $"The stakeholder {externalId} is on another account; a stakeholder cannot move to another account.");
        }

        if (existing is null && name is null)
        {
            row.Error(row.Has("name") || !row.Has("lastName") ? "name" : "lastName", "Is required: give the person's name (Name, or FirstName and LastName).");
        }

        if (row.RowHasErrors)
        {
            return Task.CompletedTask;
        }

        var stakeholder = existing is null ? new Stakeholder { AccountId = accountId!, Name = name! } : Clone(existing);
        stakeholder.Name = name ?? stakeholder.Name;
        stakeholder.ExternalId = externalId ?? stakeholder.ExternalId;
        stakeholder.Side = side ?? (existing is null ? StakeholderSide.Customer : stakeholder.Side);
        stakeholder.Role = role ?? (existing is null ? StakeholderRole.Other : stakeholder.Role);
        if (row.Has("title"))
        {
            stakeholder.Title = title;
        }

        if (row.Has("email"))
        {
            stakeholder.Email = email;
        }

        if (row.Has("location"))
        {
            stakeholder.Location = location;
        }

        // The monthly report goes to a customer-side address only; a row that takes either away stops it.
        if (stakeholder.ReceivesMonthlyReport && (stakeholder.Side != StakeholderSide.Customer || stakeholder.Email is null))
        {
            stakeholder.ReceivesMonthlyReport = false;
        }

        if (!context.Record(nameof(Stakeholder), stakeholder.Id, stakeholder.AccountId, existing is null ? null : Audited(existing), Audited(stakeholder)))
        {
            context.Unchanged++;
            return Task.CompletedTask;
        }

        if (existing is null)
        {
            stakeholder.CreatedAt = stakeholder.UpdatedAt = context.Now;
            _created.Add(stakeholder);
            context.Created++;
        }
        else
        {
            stakeholder.UpdatedAt = context.Now;
            stakeholder.Version++;
            _changed.Add(stakeholder);
            context.Updated++;
        }


        return Task.CompletedTask;
    }

    public override Task LockAsync(BulkLoad bulk, CancellationToken cancellationToken) => bulk.LockAsync<Stakeholder>(cancellationToken);

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

    private static string? FullName(CsvRows row)
    {
        var first = row.Text("firstName");
        var last = row.Text("lastName");
        var full = string.Join(' ', new[] { first, last }.OfType<string>());
        if (full.Length > Http.NameAttribute.Limit)
        {
            row.Error("lastName", $"The full name must be at most {Http.NameAttribute.Limit} characters.");
            return null;
        }

        return full.Length == 0 ? null : full;
    }

    private static (string, object?)[] Audited(Stakeholder s) =>
    [
        ("accountId", s.AccountId), ("name", s.Name), ("title", s.Title), ("email", s.Email), ("location", s.Location),
        ("side", s.Side), ("role", s.Role), ("receivesMonthlyReport", s.ReceivesMonthlyReport), ("externalId", s.ExternalId),
    ];
}
