using ScottPlot;

namespace Verity.Features.Portfolio;

/// <summary>Verified outcomes per quarter as bars, drawn with the same library and colours as the plan's metric charts.</summary>
public static class PortfolioChart
{
    public static string VerifiedPerQuarterSvg(IReadOnlyList<PortfolioQuarter> quarters, int width = 640, int height = 260) =>
        Documents.MetricChart.KeptSvg(string.Join('|', quarters.Select(q => $"{q.Quarter}={q.Verified}")), () => Draw(quarters), width, height, "Outcomes verified per quarter");

    private static Plot Draw(IReadOnlyList<PortfolioQuarter> quarters)
    {
        var plot = new Plot();
        plot.Title("Outcomes verified per quarter");
        var bars = quarters.Select((q, i) => new Bar { Position = i, Value = q.Verified, FillColor = new Color(30, 122, 62), Label = q.Verified.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList();
        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks(quarters.Select((_, i) => (double)i).ToArray(), quarters.Select(q => q.Quarter).ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.2);
        plot.Axes.Left.Label.Text = "Outcomes verified";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }
}
