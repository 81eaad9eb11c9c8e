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
    public static string Svg(MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements, int width = 520, int height = 260)
    {
        var drawn = Listed(measurements);
        return KeptSvg(What(metric, drawn), () => Draw(metric, drawn), width, height, $"{metric.Name} over time");
    }

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

    /// <summary>A slide's chart; <paramref name="accent"/> (six hex digits, the vendor's colour) draws what was measured.</summary>
    public static byte[] Png(MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements, string? accent = null, int width = 880, int height = 385)
    {
        var drawn = Listed(measurements);
        return Kept($"png|{width}x{height}|{accent}|{What(metric, drawn)}", () => Draw(metric, drawn, accent).GetImageBytes(width, height, ImageFormat.Png), png => png.Length);
    }

    /// <summary>
    /// Draws onto a canvas (a PDF page) as vectors rather than a picture of them: a recording of the drawing, kept like
    /// the other formats and played back onto the page.
    /// </summary>
    public static void Render(
        SkiaSharp.SKCanvas canvas, SkiaSharp.SKRect area, MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements, string? accent = null)
    {
        var drawn = Listed(measurements);
        var (width, height) = ((int)area.Width, (int)area.Height);
        var recording = Kept($"vector|{width}x{height}|{accent}|{What(metric, drawn)}", () =>
        {
            using var recorder = new SkiaSharp.SKPictureRecorder();
            Draw(metric, drawn, accent).Render(recorder.BeginRecording(SkiaSharp.SKRect.Create(width, height)), width, height);
            return recorder.EndRecording();
        }, picture => (int)Math.Min(int.MaxValue, picture.ApproximateBytesUsed));
        canvas.Save();
        canvas.Translate(area.Left, area.Top);
        canvas.DrawPicture(recording);
        canvas.Restore();
    }

    /// <summary>
    /// Any chart as SVG, kept by <paramref name="what"/>: a description of everything the drawing shows, so that the same
    /// figures are drawn once (the adoption and portfolio charts use it as the metric charts do).
    /// </summary>
    public static string KeptSvg(string what, Func<Plot> draw, int width, int height, string label) =>
        Kept($"svg|{width}x{height}|{label}|{what}", () => Svg(draw(), width, height, label), svg => svg.Length * 2);

    /// <summary>
    /// Charts already drawn, by what they show: a chart is drawn once per version of its figures, then served to every
    /// page, deck and reader that shows the same thing (drawing one costs milliseconds; a plan page shows one per metric).
    /// </summary>
    private static readonly KeptByContent Drawn = new(32 * 1024 * 1024);

    private static T Kept<T>(string what, Func<T> draw, Func<T, int> size)
        where T : class => Drawn.Get(System.Text.Encoding.UTF8.GetBytes(what), draw, size);

    private static IReadOnlyCollection<(DateOnly At, double Value)> Listed(IEnumerable<(DateOnly At, double Value)> measurements) =>
        measurements as IReadOnlyCollection<(DateOnly At, double Value)> ?? [.. measurements];

    /// <summary>Everything <see cref="Draw"/> reads: the metric's name, unit, baseline and target, and each measurement.</summary>
    private static string What(MetricResponse metric, IReadOnlyCollection<(DateOnly At, double Value)> measurements)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder(64 + (measurements.Count * 24))
            .Append(metric.Name).Append('|').Append(metric.Unit)
            .Append('|').Append(metric.Baseline?.Value.ToString("R", invariant))
            .Append('|').Append(metric.Target?.Value.ToString("R", invariant))
            .Append('|').Append(metric.Target?.By?.ToString("O", invariant));
        foreach (var (at, value) in measurements)
        {
            text.Append('|').Append(at.DayNumber).Append('=').Append(value.ToString("R", invariant));
        }

        return text.ToString();
    }

    /// <summary>The app's own colours (wwwroot/app.css): ink for text, accent for what was measured.</summary>
    private static readonly Color Ink = Color.FromHex("#1d2330");
    private static readonly Color Accent = Color.FromHex("#1f5fbf");
    private static readonly Color Baseline = Color.FromHex("#6b7280");
    private static readonly Color Target = Color.FromHex("#1e7a3e");

    /// <summary>
    /// The look every chart shares on pages, slides and PDF: DejaVu Sans (what the decks and PDFs are set in, and what
    /// Debian renders the app's system font stack with), the app's ink, and type large enough to read when a page
    /// scales its chart down to a 390 px phone.
    /// </summary>
    public static void Style(Plot plot)
    {
        plot.Font.Set("DejaVu Sans");
        plot.Axes.Color(Ink);
        plot.Axes.Title.Label.FontSize = 17;
        plot.Axes.Title.Label.Bold = true;
        foreach (var axis in new ScottPlot.IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontSize = 14;
        }

        plot.Legend.FontSize = 14;
        plot.Legend.FontColor = Ink;
        plot.Grid.MajorLineColor = Ink.WithAlpha(0.12);
    }

    private static Plot Draw(MetricResponse metric, IEnumerable<(DateOnly At, double Value)> measurements, string? accent = null)
    {
        var plot = new Plot();
        var axis = plot.Axes.DateTimeTicksBottom();
        if (axis.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic automatic)
        {
            automatic.LabelFormatter = d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        Style(plot);
        plot.Title(metric.Unit is { Length: > 0 } unit ? $"{metric.Name} ({unit})" : metric.Name);
        // Values stored before they were checked (or by hand) may be anything; a chart leaves out what it
        // cannot scale to rather than fail the page or document around it.
        var ordered = measurements.Where(m => MeasureAttribute.IsPlausible(m.Value)).OrderBy(m => m.At).ToList();
        var dates = ordered.Select(m => m.At.ToDateTime(TimeOnly.MinValue)).ToArray();
        if (dates.Length > 0)
        {
            var line = plot.Add.Scatter(dates, ordered.Select(m => m.Value).ToArray());
            line.LegendText = "Measured";
            line.LineWidth = 2.5f;
            line.MarkerSize = dates.Length == 1 ? 11 : 7;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.Color = accent is null ? Accent : Color.FromHex("#" + accent);
        }

        if (ordered.Count == 1)
        {
            // One measurement is a point, not a line: mark it with its value (a month either side, below).
            var only = ordered[0];
            var label = plot.Add.Text($"{only.Value:0.##} on {only.At:yyyy-MM-dd}", dates[0].ToOADate(), only.Value);
            label.LabelFontSize = 14;
            label.LabelFontColor = Ink;
            label.LabelBold = true;
            label.LabelAlignment = Alignment.LowerCenter;
            label.OffsetY = -10;
        }

        if (metric.Baseline?.Value is { } baseline && MeasureAttribute.IsPlausible(baseline))
        {
            var level = plot.Add.HorizontalLine(baseline);
            level.LegendText = $"Baseline {baseline:0.##}";
            level.LabelText = $"Baseline {baseline:0.##}";
            level.Color = Baseline;
            level.LineWidth = 1.5f;
            level.LinePattern = LinePattern.Dashed;
            Label(level);
        }

        if (metric.Target?.Value is { } target && MeasureAttribute.IsPlausible(target))
        {
            var level = plot.Add.HorizontalLine(target);
            level.LegendText = $"Target {target:0.##}" + (metric.Target?.By is { } by ? $" by {by:yyyy-MM-dd}" : "");
            level.LabelText = $"Target {target:0.##}";
            level.Color = Target;
            level.LineWidth = 2;
            Label(level);
        }

        // The legend below the plot, never over the measurements it explains.
        plot.ShowLegend(Edge.Bottom);
        plot.Axes.Margins(0.05, 0.2);
        if (dates.Length == 1)
        {
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsX(dates[0].AddDays(-30).ToOADate(), dates[0].AddDays(30).ToOADate());
        }

        return plot;
    }

    /// <summary>A level's name and value written on the line itself, at the right-hand edge, in the line's colour.</summary>
    private static void Label(ScottPlot.Plottables.HorizontalLine level)
    {
        level.LabelOppositeAxis = true;
        level.LabelFontSize = 13;
        level.LabelBackgroundColor = level.Color;
        level.LabelFontColor = Colors.White;
    }
}
