using System.Globalization;
using SkiaSharp;

namespace Verity.Documents;

/// <summary>
/// The plan as a PDF (SkiaSharp's PDF backend, already present through ScottPlot): A4 pages of wrapped text
/// with the metric charts, starting a new page whenever the next block would not fit.
/// </summary>
public static class PdfArtifact
{
    private const float Width = 595;
    private const float Height = 842;
    private const float Margin = 48;

    public static byte[] Render(PlanDocument d)
    {
        using var buffer = new MemoryStream();
        using (var pdf = SKDocument.CreatePdf(buffer, new SKDocumentPdfMetadata
        {
            Title = $"{d.AccountName} — {d.ArtifactTitle}",
            Subject = d.PlanTitle,
            Creator = "Verity",
            Creation = d.Date.ToDateTime(TimeOnly.MinValue),
        }))
        {
            using var writer = new PageWriter(pdf);
            writer.Line($"{d.AccountName}", 22, bold: true);
            writer.Line($"{d.ArtifactTitle} · {d.PlanTitle}", 13);
            writer.Line($"{d.Date:d MMMM yyyy} · status {d.PlanStatus}", 10, color: SKColors.DimGray);
            writer.Gap(6);
            writer.Paragraph($"Our team: {string.Join(", ", d.VendorTeam.DefaultIfEmpty("—"))}", 10);
            writer.Paragraph($"Your team: {string.Join(", ", d.CustomerTeam.DefaultIfEmpty("—"))}", 10);

            foreach (var section in d.Sections)
            {
                writer.Heading($"{section.Number}. {section.Title}");
                writer.Paragraph(section.Content, 10.5f);
                if (!d.CustomerFacing && section.InternalNotes is { } notes)
                {
                    writer.Paragraph("INTERNAL — vendor only: " + notes, 10, new SKColor(0xB3, 0x26, 0x1E));
                }
            }

            writer.Heading("Objectives");
            if (d.Objectives.Count == 0)
            {
                writer.Paragraph("No objectives yet.", 10.5f);
            }

            var rank = 0;
            foreach (var o in d.Objectives)
            {
                writer.Gap(4);
                writer.Paragraph($"{++rank}. {o.Title}", 12, bold: true);
                writer.Paragraph(string.Join(" · ", MarkdownArtifact.Labels(o)), 9, SKColors.DimGray);
                writer.Paragraph($"Success criteria: {o.SuccessCriteria ?? "—"}", 10);
                writer.Paragraph($"Business impact: {o.BusinessImpact ?? "—"}", 10);
                writer.Paragraph($"Target date: {o.TargetDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"} · Owner: {d.NameOf(o.OwnerId)}", 10);
                foreach (var c in o.Confirmations.Where(c => c.IsValid))
                {
                    writer.Paragraph($"Confirmed by {d.NameOf(c.StakeholderId)} on {c.ConfirmedAt:yyyy-MM-dd}: “{c.Statement}”", 10);
                }

                foreach (var m in o.Metrics)
                {
                    writer.Paragraph($"{m.Name}: baseline {Number(m.Baseline?.Value)} → target {Number(m.Target?.Value)}, latest {Number(m.Latest?.Value)} ({Math.Round(m.Progress * 100)}% of the way)", 10);
                    if (o.Kind == Domain.Objectives.ObjectiveKind.Quantitative)
                    {
                        writer.Chart(m, d.Measurements[m.Id], 420, 184);
                    }
                }

                foreach (var i in o.Initiatives)
                {
                    writer.Paragraph($"• {i.Title} — {PlanDocument.Say(i.Status)}, {d.NameOf(i.OwnerId ?? i.OwnerStakeholderId)}, due {i.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}", 10);
                }
            }

            if (d.Adoption is { } adoption)
            {
                writer.Heading("Adoption, use cases and support");
                foreach (var f in adoption.Features)
                {
                    writer.Paragraph(string.Create(CultureInfo.InvariantCulture,
                        $"{f.Feature}: {f.ActiveUsers:N0} of {f.LicensedUsers:N0} licensed users active ({(f.Utilisation is { } u ? $"{u:0.#}%" : "—")}), as of {f.At:yyyy-MM-dd}"), 10);
                }

                if (adoption.Utilisation is { } overall)
                {
                    writer.Paragraph(string.Create(CultureInfo.InvariantCulture, $"Across these features, {overall:0.#}% of licensed users are active."), 10);
                }

                if (adoption.UseCases.Count > 0)
                {
                    writer.Gap(4);
                    writer.Paragraph($"Use cases: {adoption.UseCaseSummary()}.", 10, bold: true);
                    foreach (var line in adoption.UseCaseLines())
                    {
                        writer.Paragraph("• " + line, 10);
                    }
                }

                if (adoption.SupportLine() is { } support)
                {
                    writer.Gap(4);
                    writer.Paragraph("Support. " + support, 10);
                }
            }

            if (d.Timeline.Count > 0)
            {
                writer.Heading("Timeline");
                foreach (var a in d.Timeline)
                {
                    writer.Paragraph($"{a.At:yyyy-MM-dd} · {PlanDocument.Say(a.Type)}{(a.Internal ? " (internal)" : "")}: {a.Summary}", 10);
                }
            }
        }

        return buffer.ToArray();
    }

    private static string Number(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>Writes down the page, wrapping words, and turns the page when the next line would not fit.</summary>
    internal sealed class PageWriter(SKDocument pdf) : IDisposable
    {
        private static readonly SKTypeface _regular = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        private static readonly SKTypeface _bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? _regular;
        private SKCanvas? _canvas;
        private float _y;

        public void Heading(string text)
        {
            Gap(10);
            Paragraph(text, 14, SKColors.Black, bold: true);
            Gap(2);
        }

        public void Line(string text, float size, bool bold = false, SKColor? color = null) => Paragraph(text, size, color, bold);

        public void Gap(float points) => _y += points;

        public void Paragraph(string text, float size, SKColor? color = null, bool bold = false)
        {
            using var font = new SKFont(bold ? _bold : _regular, size);
            using var paint = new SKPaint { Color = color ?? new SKColor(0x1D, 0x23, 0x30), IsAntialias = true };
            foreach (var line in Wrap(text, font))
            {
                var canvas = Room(size * 1.35f);
                _y += size * 1.35f;
                canvas.DrawText(line, Margin, _y - size * 0.3f, SKTextAlign.Left, font, paint);
            }
        }

        public void Chart(Features.Objectives.MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements, float width, float height)
        {
            var canvas = Room(height + 6);
            MetricChart.Render(canvas, SKRect.Create(Margin, _y + 3, width, height), metric, measurements);
            _y += height + 6;
        }

        public void Dispose()
        {
            if (_canvas is not null)
            {
                pdf.EndPage();
            }

            pdf.Close();
        }

        private SKCanvas Room(float needed)
        {
            if (_canvas is null || _y + needed > Height - Margin)
            {
                if (_canvas is not null)
                {
                    pdf.EndPage();
                }

                _canvas = pdf.BeginPage(Width, Height);
                _y = Margin;
            }

            return _canvas;
        }

        private static IEnumerable<string> Wrap(string text, SKFont font)
        {
            const float available = Width - 2 * Margin;
            foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
            {
                var line = "";
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = line.Length == 0 ? word : $"{line} {word}";
                    if (font.MeasureText(candidate) <= available || line.Length == 0)
                    {
                        line = candidate;
                        continue;
                    }

                    yield return line;
                    line = word;
                }

                yield return line;
            }
        }
    }
}
