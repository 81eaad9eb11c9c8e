using ScottPlot;
using Verity.Features.Objectives;
using Verity.Http;

namespace Verity.Documents;

/// <summary>
/// A metric's measurements against its baseline and target over time. The same drawing serves the pages
/// (SVG) and the decks (PNG).
/// </summary>
public static class MetricChart
{
    public static string Svg(MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements, int width = 520, int height = 260) =>
        Svg(Draw(metric, measurements), width, height, $"{metric.Name} over time");

    /// <summary>Any chart as SVG for a page: a viewBox lets the page scale it to its column instead of clipping it.</summary>
    public static string Svg(Plot plot, int width, int height, string label)
    {
        // Inside HTML the XML declaration ScottPlot writes first is noise: the page gets the <svg> element alone.
        var svg = plot.GetSvgXml(width, height);
        var open = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = open > 0 ? svg[open..] : svg;
        return open < 0 || svg.Contains("viewBox", StringComparison.Ordinal)
            ? svg
            : svg.Insert(4, $" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(label)}\"");
    }

    public static byte[] Png(MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements, int width = 880, int height = 385) =>
        Draw(metric, measurements).GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>Draws straight onto a canvas (a PDF page), as vectors rather than a picture of them.</summary>
    public static void Render(SkiaSharp.SKCanvas canvas, SkiaSharp.SKRect area, MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements)
    {
        canvas.Save();
        canvas.Translate(area.Left, area.Top);
        Draw(metric, measurements).Render(canvas, (int)area.Width, (int)area.Height);
        canvas.Restore();
    }

    private static Plot Draw(MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements)
    {
        var plot = new Plot();
        plot.Title(metric.Unit is { Length: > 0 } unit ? $"{metric.Name} ({unit})" : metric.Name);
        // Values stored before they were checked (or by hand) may be anything; a chart leaves out what it
        // cannot scale to rather than fail the page or document around it.
        var ordered = measurements.Where(m => MeasureAttribute.IsPlausible(m.Value)).OrderBy(m => m.At).ToList();
        var dates = ordered.Select(m => m.At.ToDateTime(TimeOnly.MinValue)).ToArray();
        if (dates.Length > 0)
        {
            var line = plot.Add.Scatter(dates, ordered.Select(m => m.Value).ToArray());
            line.LegendText = "Measured";
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.Color = new Color(31, 95, 191);
        }

        if (metric.Baseline?.Value is { } baseline && MeasureAttribute.IsPlausible(baseline))
        {
            var level = plot.Add.HorizontalLine(baseline);
            level.LegendText = $"Baseline {baseline:0.##}";
            level.Color = new Color(120, 120, 120);
            level.LinePattern = LinePattern.Dashed;
        }

        if (metric.Target?.Value is { } target && MeasureAttribute.IsPlausible(target))
        {
            var level = plot.Add.HorizontalLine(target);
            level.LegendText = $"Target {target:0.##}" + (metric.Target?.By is { } by ? $" by {by:yyyy-MM-dd}" : "");
            level.Color = new Color(30, 122, 62);
            level.LineWidth = 2;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(0.05, 0.2);
        return plot;
    }
}
