using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Verity.Documents;
using Verity.Domain.Objectives;
using Verity.Features.Objectives;

namespace Verity.Tests;

/// <summary>
/// The metric chart a CSM shows on the objective page, on a slide and in the PDF (one drawing serves all three): the
/// app's font, dates as the API writes them, baseline and target as labelled lines, the legend off the plot, and a
/// single measurement that reads as a point with its value.
/// </summary>
public sealed class MetricChartTests
{
    private static readonly MetricResponse Metric = new(
        "m1", "o1", "Average deployment time", "minutes", MetricDirection.Decrease,
        new MetricValue(120, new DateOnly(2026, 1, 5)), new MetricTarget(80, new DateOnly(2026, 9, 30)), null, 0, null);

    private static readonly (DateOnly, double)[] Series =
        [(new DateOnly(2026, 1, 5), 120), (new DateOnly(2026, 3, 2), 104), (new DateOnly(2026, 5, 4), 95), (new DateOnly(2026, 7, 6), 88)];

    /// <summary>Each text of the SVG with where it sits from the top (the last number of its translate or matrix) and its font.</summary>
    private static List<(string Text, double Y, string Font)> Texts(string svg) =>
        [.. XDocument.Parse(svg).Root!.Descendants().Where(e => e.Name.LocalName == "text").Select(e => (
            e.Value.Trim(),
            double.Parse(Regex.Match((string?)e.Attribute("transform") ?? "translate(0 0)", @"([-\d.]+)\)$").Groups[1].Value, CultureInfo.InvariantCulture),
            (string?)e.Attribute("font-family") ?? ""))];

    [Fact]
    public void The_chart_is_set_in_the_apps_font_with_iso_dates_and_labelled_baseline_and_target_lines()
    {
        var svg = MetricChart.Svg(Metric, Series);
        var texts = Texts(svg);
        Assert.Contains(texts, t => t.Text == "Average deployment time (minutes)");
        Assert.All(texts, t => Assert.Contains("DejaVu Sans", t.Font));

        // Dates on the axis as 2026-03-01, never 3/1/2026 or "Mar".
        var dates = texts.Where(t => Regex.IsMatch(t.Text, @"^\d{4}-\d{2}-\d{2}$")).ToList();
        Assert.True(dates.Count >= 3, string.Join(" | ", texts.Select(t => t.Text)));
        Assert.DoesNotContain(texts, t => Regex.IsMatch(t.Text, @"\d{1,2}/\d{1,2}/\d{2,4}|^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"));

        // Each level is written on its line as well as in the legend.
        Assert.Equal(2, texts.Count(t => t.Text == "Baseline 120"));
        Assert.Contains(texts, t => t.Text == "Target 80");
        Assert.Contains(texts, t => t.Text == "Target 80 by 2026-09-30");
    }

    [Fact]
    public void The_legend_sits_below_the_dates_outside_the_plot()
    {
        var texts = Texts(MetricChart.Svg(Metric, Series));
        var lowestDate = texts.Where(t => Regex.IsMatch(t.Text, @"^\d{4}-\d{2}-\d{2}$")).Max(t => t.Y);
        foreach (var entry in new[] { "Measured", "Target 80 by 2026-09-30" })
        {
            Assert.True(texts.Single(t => t.Text == entry).Y > lowestDate, $"{entry} is not below the axis");
        }
    }

    [Fact]
    public void A_single_measurement_is_a_marked_point_with_its_value_and_date()
    {
        var svg = MetricChart.Svg(Metric, [(new DateOnly(2026, 3, 2), 104)]);
        var texts = Texts(svg);
        Assert.Contains(texts, t => t.Text == "104 on 2026-03-02");
        // The marker: a filled circle (ScottPlot draws markers as circles or paths with a fill).
        Assert.Matches("<circle|<ellipse", svg);
        // Dates either side, so the point sits in time rather than on a degenerate axis.
        var around = texts.Select(t => t.Text).Where(t => Regex.IsMatch(t, @"^\d{4}-\d{2}-\d{2}$")).ToList();
        Assert.True(around.Count >= 2 && around.Distinct().Count() == around.Count, string.Join(" | ", around));
        Assert.Contains(around, d => string.CompareOrdinal(d, "2026-03-02") < 0);
        Assert.Contains(around, d => string.CompareOrdinal(d, "2026-03-02") > 0);
    }

    [Fact]
    public void Pages_slides_and_pdf_draw_the_same_chart_and_the_page_one_scales()
    {
        var svg = MetricChart.Svg(Metric, Series);
        Assert.Contains("viewBox=\"0 0 520 260\"", svg);
        var png = MetricChart.Png(Metric, Series);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        // Readable at 390 px: the page column there is about 358 px, so 14 px labels show at 9.6 px or more.
        var sizes = Regex.Matches(svg, @"font-size=""([\d.]+)(px)?""").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(sizes);
        Assert.True(sizes.Min() * 358 / 520 >= 8.9, $"smallest text {sizes.Min()} px");
    }

    [Fact]
    public void A_chart_is_drawn_once_per_version_of_its_metric_and_a_new_measurement_or_target_draws_it_again()
    {
        var metric = Metric with { Name = $"Kept chart {Guid.NewGuid():N}" };
        var first = MetricChart.Svg(metric, Series);
        Assert.Same(first, MetricChart.Svg(metric, [.. Series]));
        Assert.Same(MetricChart.Png(metric, Series), MetricChart.Png(metric, Series));

        var measured = MetricChart.Svg(metric, [.. Series, (new DateOnly(2026, 9, 7), 79)]);
        Assert.NotEqual(first, measured);

        var retargeted = MetricChart.Svg(metric with { Target = new MetricTarget(70, new DateOnly(2026, 9, 30)) }, Series);
        Assert.Contains(Texts(retargeted), t => t.Text == "Target 70");
        Assert.DoesNotContain(Texts(first), t => t.Text == "Target 70");
        Assert.Contains(Texts(MetricChart.Svg(metric with { Name = metric.Name + " (renamed)" }, Series)), t => t.Text.EndsWith("(renamed) (minutes)", StringComparison.Ordinal));

        // The PDF's vector drawing is kept as a recording: played back a second time, it draws the same chart.
        Assert.Equal(Drawn(metric, Series), Drawn(metric, Series));
        Assert.NotEqual(Drawn(metric, Series), Drawn(metric, [.. Series, (new DateOnly(2026, 9, 7), 79)]));
    }

    [Fact]
    public void Slides_and_the_pdf_draw_what_was_measured_in_the_vendors_colour_and_pages_in_the_apps()
    {
        const string vendor = "C2185B";
        var metric = Metric with { Name = $"Branded chart {Guid.NewGuid():N}" };
        using (var slide = SkiaSharp.SKBitmap.Decode(MetricChart.Png(metric, Series, vendor)))
        using (var plain = SkiaSharp.SKBitmap.Decode(MetricChart.Png(metric, Series)))
        {
            Assert.True(Pixels(slide.Pixels, vendor) > 200, "the slide's line is not in the vendor's colour");
            Assert.Equal(0, Pixels(slide.Pixels, AppBlue));
            Assert.True(Pixels(plain.Pixels, AppBlue) > 200, "without a vendor colour the line is not the app's blue");
        }

        Assert.True(Pixels(Colours(Drawn(metric, Series, vendor)), vendor) > 100, "the PDF's line is not in the vendor's colour");
        Assert.Contains("#" + AppBlue, MetricChart.Svg(metric, Series), StringComparison.OrdinalIgnoreCase);

        // The default navy is the ink's near twin: a vendor without a colour of their own keeps the app's blue line.
        Assert.Null(new Brand().ChartAccent);
        Assert.Equal("0B6E4F", new Brand { Color = "#0b6e4f" }.ChartAccent);
    }

    /// <summary>The app's blue, what pages draw as measured (wwwroot/app.css).</summary>
    internal const string AppBlue = "1F5FBF";

    /// <summary>How many pixels are (nearly) the colour given as six hex digits.</summary>
    internal static int Pixels(IEnumerable<SkiaSharp.SKColor> pixels, string hex)
    {
        var colour = SkiaSharp.SKColor.Parse(hex);
        return pixels.Count(p => Math.Abs(p.Red - colour.Red) + Math.Abs(p.Green - colour.Green) + Math.Abs(p.Blue - colour.Blue) < 30);
    }

    private static SkiaSharp.SKColor[] Colours(byte[] bgra) =>
        [.. Enumerable.Range(0, bgra.Length / 4).Select(i => new SkiaSharp.SKColor(bgra[(i * 4) + 2], bgra[(i * 4) + 1], bgra[i * 4]))];

    private static byte[] Drawn(MetricResponse metric, (DateOnly, double)[] series, string? accent = null)
    {
        using var bitmap = new SkiaSharp.SKBitmap(400, 200);
        using var canvas = new SkiaSharp.SKCanvas(bitmap);
        canvas.Clear(SkiaSharp.SKColors.White);
        MetricChart.Render(canvas, SkiaSharp.SKRect.Create(0, 0, 400, 200), metric, series, accent);
        var pixels = bitmap.Bytes;
        Assert.Contains(pixels, b => b != 255);
        return pixels;
    }
}
