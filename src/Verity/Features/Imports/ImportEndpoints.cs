using Verity.Access;
using Verity.Data;
using Verity.Http;

namespace Verity.Features.Imports;

/// <summary>The multipart form of an import, as the API document describes it: one CSV file.</summary>
public sealed class ImportUpload
{
    public required IFormFile File { get; init; }
}

public static class ImportEndpoints
{
    public const string PathPrefix = "/api/v1/imports";

    /// <summary>The largest import request: the file plus room for the form's boundaries.</summary>
    public const long MaxUploadBody = CsvImport.MaxFileSize + 64 * 1024;

    private const string Refusal = "Only an admin imports records from CSV files.";

    public static void MapImports(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Imports");
        group.MapPost("/imports/{kind}", Import)
            .Accepts<ImportUpload>("multipart/form-data")
            .Produces<ImportReport>(StatusCodes.Status200OK)
            .Produces<ImportProblem>(StatusCodes.Status400BadRequest, "application/problem+json")
            .WithSummary("Import records from CSV")
            .WithDescription("Imports accounts, opportunities, stakeholders or adoption figures from a Salesforce-style CSV file, all or nothing; `dryRun=true` reports without writing. Admins only; a bad row answers 400 with the report and writes nothing.");
    }

    /// <summary>
    /// A dry run answers 200 with the report, errors and all; a real import answers 200 when every row was good and
    /// written, and 400 with the same report (as problem details) when any was not and nothing was written.
    /// </summary>
    private static async Task<IResult> Import(
        [ValuesOf<ImportKind>] string kind, bool? dryRun, HttpRequest request, VerityDb db, Actor actor, ImportSettings settings, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        actor.EnsureAdmin(Refusal);
        var which = Query.Enum<ImportKind>("kind", kind) ?? throw new BadInputException("kind", Json.OneOf(typeof(ImportKind)));
        var file = await FileOfAsync(request, cancellationToken);
        await using var content = file.OpenReadStream();
        var report = await CsvImport.RunAsync(db, actor, settings, clock, which, content, NameOf(file), dryRun ?? false, progress: null, cancellationToken);
        return report.Errors.Count == 0 || report.DryRun
            ? TypedResults.Ok(report)
            : TypedResults.Json(ImportProblem.From(report), Json.Options, "application/problem+json", StatusCodes.Status400BadRequest);
    }

    /// <summary>The one file of a multipart form, under the name <c>file</c>.</summary>
    public static async Task<IFormFile> FileOfAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new BadInputException("file", "Send multipart/form-data with the CSV file in the field 'file'.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException("file", $"The multipart body cannot be read: {e.Message}");
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw new BadInputException("file", $"The multipart body cannot be read: {e.Message}");
        }

        var files = form.Files.GetFiles("file");
        return files.Count switch
        {
            0 => throw new BadInputException("file", "Is required: attach the CSV file in the field 'file'."),
            > 1 => throw new BadInputException("file", "Send one file at a time."),
            _ => files[0],
        };
    }

    /// <summary>The file's own name, for the report and the history: its last path segment, no control characters, at most 200 characters.</summary>
    public static string NameOf(IFormFile file)
    {
        var name = new string(Path.GetFileName((file.FileName ?? "").Replace('\\', '/')).Where(c => !char.IsControl(c)).ToArray()).Trim();
        return name.Length == 0 ? "upload.csv" : CsvRows.Clip(name, 200);
    }
}
