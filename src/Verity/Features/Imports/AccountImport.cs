using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Imports;

/// <summary>
/// Accounts, from a Salesforce account export as it is or from Verity's own column names. A row whose Id an account
/// already carries updates that account (only the columns the file has); any other row opens a new one. The owner's
/// email puts that user on the account's team as its customer success manager.
/// </summary>
public sealed class AccountImport : KindImport
{
    private static readonly ImportColumn[] _columns =
    [
        new("externalId", "Id", "Account ID", "externalId", "CRM id"),
        new("name", "Name", "Account Name"),
        new("industry", "Industry"),
        new("employees", "NumberOfEmployees", "Employees"),
        new("ownerEmail", "Owner.Email", "Owner Email", "Account Owner Email"),
        new("segment", "segment"),
        new("potentialUsers", "potentialUsers", "Potential users"),
        new("isFocusAccount", "isFocusAccount", "Focus account"),
        new("arr", "arr"),
        new("renewalDate", "renewalDate", "Renewal date"),
        new("background", "background", "Description"),
    ];

    private readonly Dictionary<string, Account> _byExternalId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Id, UserRole Role, UserStatus Status)> _users = new(StringComparer.Ordinal);
    private readonly HashSet<(string AccountId, string UserId)> _team = [];
    private List<Account> _created = [];
    private List<Account> _changed = [];
    private List<AccountTeamMember> _members = [];

    public override IReadOnlyList<ImportColumn> Columns => _columns;

    public override int Pending => _created.Count + _changed.Count;

    public override async Task LoadAsync(ImportContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        await foreach (var account in db.Accounts.AsNoTracking().Where(a => a.ExternalId != null).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            _byExternalId[SalesforceId.Normalise(account.ExternalId!)] = account;
        }

        foreach (var user in await db.Users.AsNoTracking().Select(u => new { u.Id, u.NormalizedEmail, u.Role, u.Status }).ToListAsync(cancellationToken))
        {
            if (user.NormalizedEmail is { } email)
            {
                _users[email] = (user.Id, user.Role, user.Status);
            }
        }

        foreach (var member in await db.TeamMembers.AsNoTracking().Select(t => new { t.AccountId, t.UserId }).ToListAsync(cancellationToken))
        {
            _team.Add((member.AccountId, member.UserId));
        }
    }

    public override Task RowAsync(CsvRows row, ImportContext context, CancellationToken cancellationToken)
    {
        var externalId = ExternalId(row);
        var name = row.Text("name");
        var industry = row.Text("industry");
        var employees = row.Count("employees");
        var segment = row.Choice<Segment>("segment");
        var potentialUsers = row.Count("potentialUsers");
        var focus = row.Flag("isFocusAccount");
        var arr = row.Money("arr");
        var renewalDate = row.Date("renewalDate");
        var background = row.Text("background", TextAttribute.Limit);
        var owner = Owner(row);
        Once(row, _seen, externalId, "account");

        var existing = externalId is null ? null : _byExternalId.GetValueOrDefault(externalId);
        if (existing is null && name is null)
        {
            row.Error("name", externalId is null
                ? "Is required to open an account."
                : $"Is required: no account has the id {externalId} yet, so this row opens one.");
        }

        if (row.RowHasErrors)
        {
            return Task.CompletedTask;
        }

        var account = existing is null ? new Account { Name = name! } : Clone(existing);
        if (name is not null)
        {
            account.Name = name;
        }

        account.ExternalId = externalId ?? account.ExternalId;
        Set(row, "industry", industry, v => account.Industry = v);
        Set(row, "employees", employees, v => account.Employees = v);
        Set(row, "potentialUsers", potentialUsers, v => account.PotentialUsers = v);
        Set(row, "arr", arr, v => account.Arr = v);
        Set(row, "renewalDate", renewalDate, v => account.RenewalDate = v);
        Set(row, "background", background, v => account.Background = v);
        account.IsFocusAccount = focus ?? account.IsFocusAccount;
        account.Segment = segment ?? (existing is null ? Account.SegmentFor(account.PotentialUsers ?? 0) : account.Segment);

        var joins = owner is not null && !_team.Contains((account.Id, owner));
        var teamChange = joins ? [new AuditChange($"team.{owner}", null, Json.Camel(nameof(TeamRole.CustomerSuccessManager)))] : Array.Empty<AuditChange>();
        if (!context.Record(nameof(Account), account.Id, account.Id, existing is null ? null : Audited(existing), Audited(account), teamChange))
        {
            context.Unchanged++;
            return Task.CompletedTask;
        }

        if (joins)
        {
            _team.Add((account.Id, owner!));
            _members.Add(new AccountTeamMember { AccountId = account.Id, UserId = owner!, Role = TeamRole.CustomerSuccessManager });
        }

        if (existing is null)
        {
            account.CreatedAt = account.UpdatedAt = context.Now;
            _created.Add(account);
            context.Created++;
        }
        else
        {
            account.UpdatedAt = context.Now;
            account.Version++;
            _changed.Add(account);
            context.Updated++;
        }


        return Task.CompletedTask;
    }

    public override Task LockAsync(BulkLoad bulk, CancellationToken cancellationToken) => bulk.LockAsync<Account>(cancellationToken);

    public override Func<BulkLoad, CancellationToken, Task> TakeBatch()
    {
        var (created, changed, members) = (_created, _changed, _members);
        _created = [];
        _changed = [];
        _members = [];
        return async (bulk, cancellationToken) =>
        {
            await bulk.WriteAsync(created, cancellationToken);
            await bulk.UpdateAsync(changed, cancellationToken);
            await bulk.WriteAsync(members, cancellationToken);
        };
    }

    /// <summary>The user the owner's email names: an active vendor user, who joins the team as its customer success manager.</summary>
    private string? Owner(CsvRows row)
    {
        if (row.Email("ownerEmail") is not { } email)
        {
            return null;
        }

        if (!_users.TryGetValue(email.ToUpperInvariant(), out var user))
        {
            row.Error("ownerEmail", $"No Verity user has the email {email}: add them first (verity users add, or Users), or leave the owner out.");
            return null;
        }

        if (user.Role.IsCustomer() || user.Status != UserStatus.Active)
        {
            row.Error("ownerEmail", $"{email} is {(user.Role.IsCustomer() ? "a customer's user" : "disabled")}: an account's team are active vendor users.");
            return null;
        }

        return user.Id;
    }

    /// <summary>A column the file has sets the value, blank included (the CRM has none); a column it lacks leaves it.</summary>
    private static void Set<T>(CsvRows row, string field, T value, Action<T> set)
    {
        if (row.Has(field))
        {
            set(value);
        }
    }

    private static (string, object?)[] Audited(Account a) =>
    [
        ("name", a.Name), ("segment", a.Segment), ("potentialUsers", a.PotentialUsers), ("isFocusAccount", a.IsFocusAccount),
        ("background", a.Background), ("arr", a.Arr), ("renewalDate", a.RenewalDate), ("externalId", a.ExternalId),
        ("industry", a.Industry), ("employees", a.Employees),
    ];
}
