using ScottPlot;

namespace Verity.Features.Health;

/// <summary>One feature's active users against its licences over time, drawn like the plan's metric charts.</summary>
public static class AdoptionChart
{
    public static string Svg(string feature, IReadOnlyList<AdoptionItem> figures, int width = 420, int height = 220) =>
        Documents.MetricChart.KeptSvg(string.Join('|', figures.Select(f => $"{f.At.DayNumber}={f.ActiveUsers}/{f.LicensedUsers}")),
            () => Draw(feature, figures), width, height, $"{feature}: active and licensed users over time");

    private static Plot Draw(string feature, IReadOnlyList<AdoptionItem> figures)
    {
        var plot = new Plot();
        var ordered = figures.OrderBy(f => f.At).ToList();
        var latest = ordered[^1];
        plot.Title(latest.LicensedUsers > 0 ? $"{feature} — {100.0 * latest.ActiveUsers / latest.LicensedUsers:0}% active" : feature);
        var dates = ordered.Select(f => f.At.ToDateTime(TimeOnly.MinValue)).ToArray();
        var active = plot.Add.Scatter(dates, ordered.Select(f => (double)f.ActiveUsers).ToArray());
        active.LegendText = "Active users";
        active.LineWidth = 2;
        active.MarkerSize = 6;
        active.Color = new Color(31, 95, 191);
        var licensed = plot.Add.Scatter(dates, ordered.Select(f => (double)f.LicensedUsers).ToArray());
        licensed.LegendText = "Licensed users";
        licensed.LinePattern = LinePattern.Dashed;
        licensed.MarkerSize = 0;
        licensed.Color = new Color(120, 120, 120);
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.Margins(0.05, 0.15);
        plot.Axes.SetLimitsY(0, Math.Max(1, ordered.Max(f => f.LicensedUsers)) * 1.1);
        return plot;
    }
}
