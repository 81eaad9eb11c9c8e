using System.Globalization;
using SkiaSharp;
using Verity.Domain.Common;

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
            using var writer = new PageWriter(pdf, d.Brand, $"{d.AccountName} · {d.ArtifactTitle}");
            writer.Logo();
            writer.Line($"{d.AccountName}", 22, bold: true, color: writer.Accent);
            if (d.Brand.Name is { Length: > 0 } vendor)
            {
                writer.Line($"Prepared by {vendor}", 10, color: SKColors.DimGray);
            }

            writer.Line($"{d.ArtifactTitle} · {d.PlanTitle}", 13);
            writer.Line($"{d.Date:d MMMM yyyy} · {d.PlanStatus}", 10, color: SKColors.DimGray);
            writer.Gap(6);
            writer.Paragraph($"Our team: {string.Join(", ", d.VendorTeam.DefaultIfEmpty("—"))}", 10);
            writer.Paragraph($"Your team: {string.Join(", ", d.CustomerTeam.DefaultIfEmpty("—"))}", 10);

            if (PlanDocument.ShowsSummary(d.Artifact))
            {
                var summary = d.Summary();
                writer.Heading("Executive summary");
                writer.Paragraph(summary.Headline, 10.5f, bold: true);
                foreach (var (title, lines) in summary.Parts())
                {
                    writer.Rich([new RichBlock(RichKind.Heading, [new RichSpan(title)], 3), .. lines.Select(l => new RichBlock(RichKind.Bullet, [new RichSpan(l)], 0, "•"))], 10);
                }
            }

            foreach (var section in d.Sections)
            {
                writer.Heading(section.Heading);
                writer.Rich(RichText.Parse(section.Content), 10.5f);
                if (!d.CustomerFacing && section.InternalNotes is { } notes)
                {
                    var alarm = new SKColor(0xB3, 0x26, 0x1E);
                    writer.Paragraph("INTERNAL — vendor only:", 10, alarm, bold: true);
                    writer.Rich(RichText.Parse(notes), 10, alarm);
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

                // An objective's heading stays on the page of its first chart.
                writer.Keep(o.Kind == Domain.Objectives.ObjectiveKind.Quantitative && o.Metrics.Count > 0 ? 300 : 60);
                writer.Paragraph($"{++rank}. {o.Title}", 12, bold: true);
                writer.Paragraph(string.Join(" · ", MarkdownArtifact.Facts(o).Select(f => $"{f.Name}: {f.Value}")), 9, SKColors.DimGray);
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
                    writer.Paragraph($"• {i.Title} — {Words.Say(i.Status)}, {d.NameOf(i.OwnerId ?? i.OwnerStakeholderId)}, due {i.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}", 10);
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

            if (d.NextSteps() is { Count: > 0 } next)
            {
                writer.Heading("Next steps");
                foreach (var n in next)
                {
                    writer.Paragraph($"• {n.When:yyyy-MM-dd} · {n.What} — {n.Who}", 10);
                }
            }

            if (d.Timeline.Count > 0)
            {
                writer.Heading("Timeline");
                foreach (var a in d.Timeline)
                {
                    writer.Paragraph($"{a.At:yyyy-MM-dd} · {Words.Say(a.Type)}{(a.Internal ? " (internal)" : "")}: {a.Summary}", 10);
                }
            }
        }

        return buffer.ToArray();
    }

    private static string Number(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>Writes down the page, wrapping words, and turns the page when the next line would not fit.</summary>
    /// <summary>
    /// With a <paramref name="brand"/>, headings take its colour and each page's foot says whose it is, what it is
    /// (<paramref name="footer"/>) and its number.
    /// </summary>
    internal sealed class PageWriter(SKDocument pdf, Brand? brand = null, string? footer = null) : IDisposable
    {
        private int _page;

        public SKColor Accent { get; } = SKColor.Parse(brand?.Hex ?? Brand.DefaultColor);

        /// <summary>The vendor's logo at the first page's top right, at most 64 points tall.</summary>
        public void Logo()
        {
            if (brand?.Logo() is not { } logo || SKBitmap.Decode(logo.Bytes) is not { } bitmap)
            {
                return;
            }

            using (bitmap)
            {
                var canvas = Room(0);
                var scale = Math.Min(64f / bitmap.Height, 120f / bitmap.Width);
                canvas.DrawBitmap(bitmap, SKRect.Create(Width - Margin - bitmap.Width * scale, Margin - 24, bitmap.Width * scale, bitmap.Height * scale));
            }
        }

        private static readonly SKTypeface _regular = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        private static readonly SKTypeface _bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? _regular;
        private static readonly SKTypeface _italic = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Italic) ?? _regular;
        private static readonly SKTypeface _boldItalic = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.BoldItalic) ?? _bold;
        private static readonly SKTypeface _mono = SKTypeface.FromFamilyName("DejaVu Sans Mono") ?? _regular;
        private SKCanvas? _canvas;
        private float _y;

        public void Heading(string text)
        {
            Gap(10);
            Paragraph(text, 14, Accent, bold: true);
            Gap(2);
        }

        public void Line(string text, float size, bool bold = false, SKColor? color = null) => Paragraph(text, size, color, bold);

        /// <summary>Turns the page now unless <paramref name="points"/> still fit on it, so what follows is not split.</summary>
        public void Keep(float points) => Room(points);

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

        /// <summary>
        /// Formatted text: headings, paragraphs, bullets hanging from their marker, bold and italic runs, links a reader
        /// can click, and tables drawn as a grid.
        /// </summary>
        public void Rich(IEnumerable<RichBlock> blocks, float size, SKColor? color = null)
        {
            foreach (var block in blocks)
            {
                switch (block.Kind)
                {
                    case RichKind.Table:
                        Table(block.Rows!, size - 1.5f, color);
                        break;
                    case RichKind.Heading:
                        Gap(4);
                        Runs(block.Spans.Select(s => s with { Bold = true }), size + (block.Level <= 1 ? 3 : 1.5f), color, 0, null);
                        break;
                    case RichKind.Bullet:
                        Runs(block.Spans, size, color, 14 * (block.Level + 1), block.Marker);
                        break;
                    case RichKind.Quote:
                        Runs(block.Spans.Select(s => s with { Italic = true }), size, color ?? SKColors.DimGray, 14, null);
                        break;
                    case RichKind.Code:
                        Runs(block.Spans, size - 1, color, 8, null);
                        break;
                    default:
                        Runs(block.Spans, size, color, 0, null);
                        break;
                }

                Gap(size * 0.3f);
            }
        }

        public void Chart(Features.Objectives.MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements, float width, float height)
        {
            var canvas = Room(height + 6);
            MetricChart.Render(canvas, SKRect.Create(Margin, _y + 3, width, height), metric, measurements, brand?.ChartAccent);
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

        /// <summary>Lays the runs out word by word, each in its own face, wrapping at the margin; a link's words are clickable.</summary>
        private void Runs(IEnumerable<RichSpan> spans, float size, SKColor? color, float indent, string? marker)
        {
            var words = new List<(string Text, RichSpan Span)>();
            foreach (var span in spans)
            {
                var parts = span.Text.Split(' ');
                for (var i = 0; i < parts.Length; i++)
                {
                    // A space is kept at the end of the word it follows, so runs join as they were written.
                    var word = i < parts.Length - 1 ? parts[i] + " " : parts[i];
                    if (word.Length > 0)
                    {
                        words.Add((word, span));
                    }
                }
            }

            var left = Margin + indent;
            var x = left;
            var line = new List<(string Text, RichSpan Span, float X)>();
            void Emit()
            {
                var canvas = Room(size * 1.35f);
                _y += size * 1.35f;
                if (marker is { Length: > 0 })
                {
                    using var markerFont = Font(new RichSpan(marker), size);
                    using var markerPaint = Paint(new RichSpan(marker), color);
                    canvas.DrawText(marker, left - 11, _y - size * 0.3f, SKTextAlign.Left, markerFont, markerPaint);
                    marker = null;
                }

                for (var i = 0; i < line.Count; i++)
                {
                    var (text, span, at) = line[i];
                    using var font = Font(span, size);
                    using var paint = Paint(span, color);
                    canvas.DrawText(text, at, _y - size * 0.3f, SKTextAlign.Left, font, paint);
                    if (span.Link is { } link)
                    {
                        // One underline and one clickable area for the link's words on this line.
                        var last = i;
                        while (last + 1 < line.Count && ReferenceEquals(line[last + 1].Span, span))
                        {
                            canvas.DrawText(line[++last].Text, line[last].X, _y - size * 0.3f, SKTextAlign.Left, font, paint);
                        }

                        var end = line[last].X + font.MeasureText(line[last].Text.TrimEnd());
                        canvas.DrawLine(at, _y - size * 0.15f, end, _y - size * 0.15f, paint);
                        canvas.DrawUrlAnnotation(SKRect.Create(at, _y - size * 1.2f, end - at, size * 1.35f), link);
                        i = last;
                    }
                }

                line.Clear();
                x = left;
            }

            foreach (var (text, span) in words)
            {
                using var font = Font(span, size);
                var width = font.MeasureText(text.TrimEnd());
                if (x + width > Width - Margin && line.Count > 0)
                {
                    Emit();
                }

                line.Add((text, span, x));
                x += font.MeasureText(text);
            }

            if (line.Count > 0 || marker is not null)
            {
                Emit();
            }
        }

        /// <summary>A table as a grid: equal columns, the header row bold on grey, each cell's text wrapped inside it.</summary>
        private void Table(IReadOnlyList<IReadOnlyList<string>> rows, float size, SKColor? color)
        {
            var columns = rows.Max(r => r.Count);
            var width = (Width - 2 * Margin) / columns;
            using var border = new SKPaint { Color = SKColors.Gray, IsStroke = true, StrokeWidth = 0.5f };
            using var shade = new SKPaint { Color = new SKColor(0xEE, 0xF0, 0xF4) };
            for (var r = 0; r < rows.Count; r++)
            {
                var header = r == 0;
                using var font = new SKFont(header ? _bold : _regular, size);
                using var paint = new SKPaint { Color = color ?? new SKColor(0x1D, 0x23, 0x30), IsAntialias = true };
                var cells = Enumerable.Range(0, columns).Select(c => Wrap(c < rows[r].Count ? rows[r][c] : "", font, width - 6).ToList()).ToList();
                var height = cells.Max(c => c.Count) * size * 1.3f + 4;
                var canvas = Room(height);
                var top = _y;
                if (header)
                {
                    canvas.DrawRect(Margin, top, width * columns, height, shade);
                }

                for (var c = 0; c < columns; c++)
                {
                    canvas.DrawRect(Margin + c * width, top, width, height, border);
                    for (var l = 0; l < cells[c].Count; l++)
                    {
                        canvas.DrawText(cells[c][l], Margin + c * width + 3, top + 2 + (l + 1) * size * 1.3f - size * 0.3f, SKTextAlign.Left, font, paint);
                    }
                }

                _y += height;
            }

            Gap(4);
        }

        private static SKFont Font(RichSpan span, float size) =>
            new(span.Code ? _mono : span.Bold && span.Italic ? _boldItalic : span.Bold ? _bold : span.Italic ? _italic : _regular, size);

        private static SKPaint Paint(RichSpan span, SKColor? color) =>
            new() { Color = span.Link is not null ? new SKColor(0x1F, 0x5F, 0xBF) : color ?? new SKColor(0x1D, 0x23, 0x30), IsAntialias = true, StrokeWidth = 0.6f };

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
                _page++;
                if (footer is not null)
                {
                    using var font = new SKFont(_regular, 8);
                    using var paint = new SKPaint { Color = SKColors.DimGray, IsAntialias = true };
                    var foot = string.Join(" · ", new[] { brand?.Name, footer, $"page {_page}" }.Where(p => !string.IsNullOrEmpty(p)));
                    _canvas.DrawText(foot, Margin, Height - Margin / 2, SKTextAlign.Left, font, paint);
                }
            }

            return _canvas;
        }

        private static IEnumerable<string> Wrap(string text, SKFont font, float available = Width - 2 * Margin)
        {
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
