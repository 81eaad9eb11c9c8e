using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Documents;

public enum ExportFormat
{
    Pptx,
    Pdf,
    Md,
    Csv,
    Xlsx,
}

/// <summary>How a Markdown export marks each objective's status: in words (the default), or as GitLab's scoped labels.</summary>
public enum MarkdownLabels
{
    Gitlab,
}

public sealed record ExportedFile(byte[] Content, string ContentType, string FileName);

/// <summary>Every artifact in every format, for the API, the command line and the pages alike.</summary>
public static class Export
{
    private const string PptxType = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    private const string PdfType = "application/pdf";
    private const string MdType = "text/markdown; charset=utf-8";
    private const string CsvType = "text/csv; charset=utf-8";
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapExport(this IEndpointRouteBuilder api) =>
        api.MapGet("/plans/{id}/export", Download).WithTags("Plans")
            .Produces<Stream>(StatusCodes.Status200OK, PptxType, PdfType, MdType, CsvType, XlsxType)
            .WithSummary("Export a plan as a deck, PDF, Markdown or spreadsheet")
            .WithDescription("Generates the plan's `artifact` (close plan, proposal, mutual plan, kick-off, business review) as `format` and answers the file with its content type. The close plan is vendor side only; `labels=gitlab` writes GitLab scoped labels into Markdown.");

    private static async Task<FileContentHttpResult> Download(
        string id, [ValuesOf<ExportFormat>] string? format, [ValuesOf<Artifact>] string? artifact, [ValuesOf<MarkdownLabels>] string? labels,
        VerityDb db, Actor actor, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Brand> brand, CancellationToken cancellationToken)
    {
        var (parsedFormat, parsedArtifact) = Parse(format, artifact);
        // Markdown's objective facts in plain words by default; GitLab's scoped labels for a GitLab project on request.
        var gitlab = labels switch
        {
            null or "" => false,
            "gitlab" => true,
            _ => throw new BadInputException("labels", Json.OneOf(typeof(MarkdownLabels))),
        };
        var file = await RenderAsync(db, actor, id, parsedFormat, parsedArtifact, clock, cancellationToken, gitlab, brand.Value);
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    public static (ExportFormat Format, Artifact Artifact) Parse(string? format, string? artifact)
    {
        var errors = new Dictionary<string, string[]>();
        var parsedFormat = Query.TryEnum<ExportFormat>(format ?? "");
        var parsedArtifact = Query.TryEnum<Artifact>(artifact ?? "");
        if (parsedFormat is null)
        {
            errors["format"] = [Json.OneOf(typeof(ExportFormat))];
        }

        if (parsedArtifact is null)
        {
            errors["artifact"] = [Json.OneOf(typeof(Artifact))];
        }

        return errors.Count > 0 ? throw new BadInputException(errors) : (parsedFormat!.Value, parsedArtifact!.Value);
    }

    public static async Task<ExportedFile> RenderAsync(
        VerityDb db, Actor actor, string planId, ExportFormat format, Artifact artifact, TimeProvider clock, CancellationToken cancellationToken,
        bool gitlabLabels = false, Brand? brand = null)
    {
        if (!ContentElements.IsCustomerFacing(artifact))
        {
            // Seen plans only: an unseen one is a 404 before anyone learns which artifact it would refuse.
            await db.Plans.GetAsync(planId, cancellationToken);
            actor.EnsureVendorSide("The technical close plan is for the vendor's team only.");
        }

        var document = await PlanDocument.LoadAsync(db, planId, artifact, clock, cancellationToken) with { Brand = brand ?? new() };

        var name = $"{Slug(document.AccountName)}-{Json.Camel(artifact.ToString())}-{document.Date:yyyy-MM-dd}";
        return format switch
        {
            ExportFormat.Pptx => new(Kept(format, document, gitlabLabels, () => DeckArtifact.Render(document)), PptxType, $"{name}.pptx"),
            ExportFormat.Pdf => new(Kept(format, document, gitlabLabels, () => PdfArtifact.Render(document)), PdfType, $"{name}.pdf"),
            ExportFormat.Md => new(Encoding.UTF8.GetBytes(MarkdownArtifact.Render(document, gitlabLabels)), MdType, $"{name}.md"),
            ExportFormat.Csv => new(SpreadsheetArtifact.Csv(document), CsvType, $"{name}.csv"),
            ExportFormat.Xlsx => new(Kept(format, document, gitlabLabels, () => SpreadsheetArtifact.Xlsx(document)), XlsxType, $"{name}.xlsx"),
        };
    }

    /// <summary>
    /// Files already rendered, by the whole document they are made from (every section, objective, measurement, name, the
    /// day, the brand and the logo's file time): a deck or a PDF takes 30–90 ms of CPU to lay out (a PDF with 17 charts,
    /// 86 ms), and the same plan is exported again and again (a review's attendees, a mail's readers, a board pack).
    /// </summary>
    private static readonly KeptByContent Rendered = new(64 * 1024 * 1024);

    /// <summary>Fields too: the measurements are (day, value) tuples.</summary>
    private static readonly JsonSerializerOptions WhatIsShown = new(JsonSerializerDefaults.Web) { IncludeFields = true };

    private static readonly ILookup<string, (DateOnly At, double Value)> NoMeasurements =
        Array.Empty<(string Key, (DateOnly, double) Item)>().ToLookup(x => x.Key, x => x.Item);

    private static byte[] Kept(ExportFormat format, PlanDocument document, bool gitlabLabels, Func<byte[]> render)
    {
        var logo = document.Brand.LogoPath is { Length: > 0 } path && File.Exists(path) ? File.GetLastWriteTimeUtc(path) : (DateTime?)null;
        var what = JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                Format = format,
                GitlabLabels = gitlabLabels,
                Logo = logo,
                Document = document with { Measurements = NoMeasurements },
                Measurements = document.Measurements.Select(g => new { Metric = g.Key, Values = g.ToArray() }),
            },
            WhatIsShown);
        return Rendered.Get(what, render, file => file.Length);
    }

    private static string Slug(string text)
    {
        var slug = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        return slug.Trim('-') is { Length: > 0 } s ? s : "plan";
    }
}
