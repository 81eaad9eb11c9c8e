using Verity.Domain.Accounts;
using Verity.Http;
using Verity.Jobs;

namespace Verity.Features.Imports;

/// <summary>What a CSV file holds: one kind of record a file.</summary>
public enum ImportKind
{
    Accounts,
    Opportunities,
    Stakeholders,
    Adoption,
}

/// <summary>One thing wrong with the file: the line it is on (1 is the header), the column as the file names it, and why.</summary>
public sealed record ImportError(long Line, string Field, string Message);

/// <summary>
/// What an import did, or — on a dry run, or when any row is bad — would do: data rows read, records created, records
/// updated, records matched whose values were already the same, and every error. With any error nothing is written.
/// </summary>
public sealed record ImportReport(
    ImportKind Kind, string FileName, bool DryRun, bool Imported, int Rows, int Created, int Updated, int Unchanged, IReadOnlyList<ImportError> Errors)
{
    /// <summary>A sentence for people: what was (or would be) done, or why nothing was.</summary>
    public string Summary
    {
        get
        {
            if (Errors.Count > 0)
            {
                var bad = Errors.Where(e => e.Line > 1).Select(e => e.Line).Distinct().Count();
                var where = bad > 0 ? $" in {bad:N0} of {Rows:N0} rows" : "";
                return DryRun
                    ? $"The file has {Count(Errors.Count, "error")}{where}: fix {(Errors.Count == 1 ? "it" : "them")} and check again. Nothing was written (dry run)."
                    : $"Nothing was imported: {Count(Errors.Count, "error")}{where}.";
            }

            return DryRun
                ? $"The file is fine: its {Count(Rows, "row")} would create {Count(Created, Record)}, update {Updated:N0} and leave {Unchanged:N0} as they are. Nothing was written (dry run)."
                : $"Imported {Count(Rows, "row")}: {Count(Created, Record)} created, {Updated:N0} updated, {Unchanged:N0} already up to date.";
        }
    }

    private string Record => Kind switch
    {
        ImportKind.Accounts => "account",
        ImportKind.Opportunities => "opportunity",
        ImportKind.Stakeholders => "stakeholder",
        _ => "adoption figure",
    };

    private static string Count(int n, string noun) =>
        $"{n:N0} " + (n == 1 ? noun : noun.EndsWith('y') ? noun[..^1] + "ies" : noun + "s");
}

/// <summary>
/// The answer to a failed import: problem details that carry the whole report, so a client reads the same
/// <c>errors: [{ line, field, message }]</c> whether it asked for a dry run or not.
/// </summary>
public sealed record ImportProblem(
    string Type, string Title, int Status, string Detail,
    ImportKind Kind, string FileName, bool DryRun, bool Imported, int Rows, int Created, int Updated, int Unchanged, IReadOnlyList<ImportError> Errors)
{
    public static ImportProblem From(ImportReport report) => new(
        "https://tools.ietf.org/html/rfc9110#section-15.5.1", "The file has errors; nothing was imported.", StatusCodes.Status400BadRequest,
        report.Summary, report.Kind, report.FileName, report.DryRun, report.Imported, report.Rows, report.Created, report.Updated, report.Unchanged, report.Errors);
}

/// <summary>
/// Settings under <c>Import</c>: <c>Import:Stages</c> maps a CRM's stage names (any case) to Verity's stages, on top of
/// the defaults for Salesforce's standard sales process.
/// </summary>
public sealed class ImportSettings
{
    public static readonly IReadOnlyDictionary<string, OpportunityStage> SalesforceStages = new Dictionary<string, OpportunityStage>
    {
        ["Prospecting"] = OpportunityStage.Discovery,
        ["Qualification"] = OpportunityStage.Discovery,
        ["Needs Analysis"] = OpportunityStage.Scoping,
        ["Value Proposition"] = OpportunityStage.Scoping,
        ["Id. Decision Makers"] = OpportunityStage.Scoping,
        ["Perception Analysis"] = OpportunityStage.TechnicalEvaluation,
        ["Proposal/Price Quote"] = OpportunityStage.Proposal,
        ["Negotiation/Review"] = OpportunityStage.Negotiating,
        ["Closed Won"] = OpportunityStage.ClosedWon,
        ["Closed Lost"] = OpportunityStage.ClosedLost,
    };

    public IReadOnlyDictionary<string, OpportunityStage> Stages { get; }

    private ImportSettings(IReadOnlyDictionary<string, OpportunityStage> stages) => Stages = stages;

    /// <summary>The settings, or <see cref="InvalidSettingException"/> naming a stage that is not one of Verity's.</summary>
    public static ImportSettings Read(IConfiguration configuration)
    {
        var stages = new Dictionary<string, OpportunityStage>(SalesforceStages, StringComparer.OrdinalIgnoreCase);
        foreach (var setting in configuration.GetSection("Import:Stages").GetChildren())
        {
            stages[setting.Key.Trim()] = Query.TryEnum<OpportunityStage>(setting.Value?.Trim() ?? "")
                ?? throw new InvalidSettingException(
                    $"The setting Import:Stages:{setting.Key} = \"{setting.Value}\" is not a stage: use one of {string.Join(", ", Enum.GetNames<OpportunityStage>().Select(Json.Camel))}.");
        }

        return new ImportSettings(stages);
    }
}
