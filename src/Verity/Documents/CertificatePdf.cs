using System.Globalization;
using SkiaSharp;
using Verity.Domain.Common;
using Verity.Features.Objectives;

namespace Verity.Documents;

/// <summary>What a confirmation certificate states: enough to audit the outcome without opening Verity.</summary>
public sealed record CertificateDocument(
    string AccountName,
    string PlanTitle,
    ObjectiveResponse Objective,
    ConfirmationResponse Confirmation,
    string ConfirmedBy,
    string? RecordedBy,
    IReadOnlyList<(string FileName, string Sha256, long Size)> Evidence,
    IReadOnlyList<(DateTime At, string Summary)> StatusHistory,
    DateTime IssuedAt);

/// <summary>The one-page certificate of a customer's confirmation, drawn like the plan's PDF.</summary>
public static class CertificatePdf
{
    public static byte[] Render(CertificateDocument d)
    {
        using var buffer = new MemoryStream();
        using (var pdf = SKDocument.CreatePdf(buffer, new SKDocumentPdfMetadata
        {
            Title = $"{d.AccountName} — confirmation of an outcome",
            Subject = d.Objective.Title,
            Creator = "Verity",
            Creation = d.IssuedAt,
        }))
        {
            using var writer = new PdfArtifact.PageWriter(pdf);
            writer.Line("Confirmation of an outcome", 20, bold: true);
            writer.Line($"{d.AccountName} · {d.PlanTitle}", 12);
            writer.Line($"Certificate {d.Confirmation.Id} · issued {Day(d.IssuedAt)} UTC", 9, color: SKColors.DimGray);
            if (!d.Confirmation.IsValid)
            {
                writer.Paragraph($"VOID since {Day(d.Confirmation.VoidedAt!.Value)}: {d.Confirmation.VoidReason}", 11, new SKColor(0xB3, 0x26, 0x1E), bold: true);
            }

            writer.Heading("The objective");
            writer.Paragraph(d.Objective.Title, 12, bold: true);
            writer.Paragraph($"Success criteria: {d.Objective.SuccessCriteria ?? "—"}", 10);
            writer.Paragraph($"Status: {Words.Say(d.Objective.Status)} · outcome: {Words.Say(d.Objective.OutcomeStage).ToLowerInvariant()}", 10);
            foreach (var m in d.Objective.Metrics)
            {
                var unit = m.Unit is null ? "" : " " + m.Unit;
                writer.Paragraph(
                    $"{m.Name}: baseline {Number(m.Baseline?.Value)}{unit}{On(m.Baseline?.At)} → latest {Number(m.Latest?.Value)}{unit}{On(m.Latest?.At)}"
                    + $" (target {Number(m.Target?.Value)}{unit})", 10);
            }

            writer.Heading("In the customer's words");
            writer.Paragraph($"“{d.Confirmation.Statement}”", 11);
            writer.Paragraph(
                $"Confirmed by {d.ConfirmedBy} on {Day(d.Confirmation.ConfirmedAt)} UTC · source: {Words.Say(d.Confirmation.Source).ToLowerInvariant()}"
                + (d.Confirmation.Source == Domain.Evidence.ConfirmationSource.Recorded && d.RecordedBy is { } by ? $", recorded by {by}" : ""), 10);

            writer.Heading("Evidence");
            if (d.Evidence.Count == 0)
            {
                writer.Paragraph("No files were given with this confirmation.", 10);
            }

            foreach (var (fileName, sha256, size) in d.Evidence)
            {
                writer.Paragraph($"{fileName} ({size.ToString("N0", CultureInfo.InvariantCulture)} bytes)", 10, bold: true);
                writer.Paragraph($"SHA-256 {sha256}", 9);
            }

            writer.Heading("Status history");
            if (d.StatusHistory.Count == 0)
            {
                writer.Paragraph("No status changes recorded.", 10);
            }

            foreach (var (at, summary) in d.StatusHistory)
            {
                writer.Paragraph($"{Day(at)} · {summary}", 9);
            }
        }

        return buffer.ToArray();
    }

    private static string Day(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string On(DateOnly? at) => at is { } day ? $" on {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "";

    private static string Number(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "—";

}
