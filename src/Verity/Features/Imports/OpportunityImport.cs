using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;

namespace Verity.Features.Imports;

/// <summary>
/// Opportunities, from a Salesforce opportunity export or Verity's names: the account by its CRM id (or Verity's id),
/// the stage through <c>Import:Stages</c>, the amount as net ARR, Salesforce's types as Verity's. An Id an opportunity
/// already carries updates it; an opportunity never moves to another account.
/// </summary>
public sealed class OpportunityImport(ImportSettings settings) : KindImport
{
    /// <summary>Salesforce's standard opportunity types.</summary>
    public static readonly IReadOnlyDictionary<string, OpportunityType> SalesforceTypes = new Dictionary<string, OpportunityType>(StringComparer.OrdinalIgnoreCase)
    {
        ["New Business"] = OpportunityType.New,
        ["Existing Business"] = OpportunityType.Growth,
        ["Renewal"] = OpportunityType.Renewal,
    };

    private static readonly ImportColumn[] _columns =
    [
        new("externalId", "Id", "Opportunity ID", "externalId"),
        new("name", "Name", "Opportunity Name"),
        new("accountId", "AccountId", "Account ID", "accountId"),
        new("stage", "StageName", "Stage"),
        new("netArr", "Amount", "netArr", "Net ARR"),
        new("type", "Type", "Opportunity Type"),
        new("closeDate", "CloseDate", "Close Date"),
        new("saValidatedTechEval", "saValidatedTechEval", "SA validated technical evaluation"),
    ];

    private readonly Dictionary<string, Opportunity> _byExternalId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private List<Opportunity> _created = [];
    private List<Opportunity> _changed = [];
    private AccountRefs _accounts = null!;

    public override IReadOnlyList<ImportColumn> Columns => _columns;

    public override int Pending => _created.Count + _changed.Count;

    public override async Task LoadAsync(ImportContext context, CancellationToken cancellationToken)
    {
        _accounts = await AccountRefs.LoadAsync(context.Db, cancellationToken);
        await foreach (var opportunity in context.Db.Opportunities.AsNoTracking().Where(o => o.ExternalId != null).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            _byExternalId[SalesforceId.Normalise(opportunity.ExternalId!)] = opportunity;
        }
    }

    public override Task RowAsync(CsvRows row, ImportContext context, CancellationToken cancellationToken)
    {
        var externalId = ExternalId(row);
        var existing = externalId is null ? null : _byExternalId.GetValueOrDefault(externalId);
        var accountId = _accounts.Resolve(row, required: existing is null);
        var name = row.Text("name");
        var stage = row.Choice("stage", settings.Stages);
        var netArr = row.Money("netArr");
        var type = row.Choice("type", SalesforceTypes);
        var closeDate = row.Date("closeDate");
        var validated = row.Flag("saValidatedTechEval");
        Once(row, _seen, externalId, "opportunity");
        if (existing is not null && accountId is not null && accountId != existing.AccountId)
        {
            row.Error("accountId", $"The opportunity {externalId} is on another account; an opportunity cannot move to another account.");
        }

        if (existing is null && name is null)
        {
            row.Error("name", "Is required to create an opportunity.");
        }

        if (existing is null && type is null && !row.RowHasErrors)
        {
            row.Error("type", "Is required to create an opportunity: New Business, Existing Business or Renewal (or new, growth, renewal).");
        }

        if (row.RowHasErrors)
        {
            return Task.CompletedTask;
        }

        var opportunity = existing is null ? new Opportunity { AccountId = accountId!, Name = name! } : Clone(existing);
        opportunity.Name = name ?? opportunity.Name;
        opportunity.ExternalId = externalId ?? opportunity.ExternalId;
        opportunity.Type = type ?? opportunity.Type;
        opportunity.Stage = stage ?? (existing is null ? OpportunityStage.Discovery : opportunity.Stage);
        opportunity.SaValidatedTechEval = validated ?? opportunity.SaValidatedTechEval;
        if (row.Has("netArr"))
        {
            opportunity.NetArr = netArr ?? 0;
        }

        if (row.Has("closeDate"))
        {
            opportunity.CloseDate = closeDate;
        }

        if (!context.Record(nameof(Opportunity), opportunity.Id, opportunity.AccountId, existing is null ? null : Audited(existing), Audited(opportunity)))
        {
            context.Unchanged++;
            return Task.CompletedTask;
        }

        if (existing is null)
        {
            opportunity.CreatedAt = opportunity.UpdatedAt = context.Now;
            _created.Add(opportunity);
            context.Created++;
        }
        else
        {
            opportunity.UpdatedAt = context.Now;
            opportunity.Version++;
            _changed.Add(opportunity);
            context.Updated++;
        }


        return Task.CompletedTask;
    }

    public override Task LockAsync(BulkLoad bulk, CancellationToken cancellationToken) => bulk.LockAsync<Opportunity>(cancellationToken);

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

    private static (string, object?)[] Audited(Opportunity o) =>
    [
        ("accountId", o.AccountId), ("name", o.Name), ("type", o.Type), ("stage", o.Stage), ("netArr", o.NetArr),
        ("saValidatedTechEval", o.SaValidatedTechEval), ("closeDate", o.CloseDate), ("externalId", o.ExternalId),
    ];
}
