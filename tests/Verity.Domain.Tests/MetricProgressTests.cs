using Verity.Domain.Objectives;

namespace Verity.Domain.Tests;

public sealed class MetricProgressTests
{
    [Theory]
    [InlineData(MetricDirection.Increase, 2, 10, 6, 0.5)]
    [InlineData(MetricDirection.Increase, 2, 10, 10, 1)]
    [InlineData(MetricDirection.Increase, 2, 10, 14, 1)]
    [InlineData(MetricDirection.Increase, 2, 10, 1, 0)]
    [InlineData(MetricDirection.Decrease, 240, 20, 130, 0.5)]
    [InlineData(MetricDirection.Decrease, 240, 20, 20, 1)]
    [InlineData(MetricDirection.Decrease, 240, 20, 300, 0)]
    [InlineData(MetricDirection.Increase, 85, 99.5, 92.25, 0.5)]
    public void Progress_is_the_share_of_the_way_from_baseline_to_target(
        MetricDirection direction, double baseline, double target, double latest, double expected)
    {
        Assert.Equal(expected, Metric.ProgressOf(direction, baseline, target, latest), precision: 9);
    }

    [Theory]
    [InlineData(-1e308, 1e308, 1e308)]
    [InlineData(-1e308, 1e308, -1e308)]
    [InlineData(1e308, -1e308, 0)]
    public void Values_too_far_apart_to_subtract_are_a_number_not_NaN(double baseline, double target, double latest)
    {
        var progress = Metric.ProgressOf(MetricDirection.Increase, baseline, target, latest);
        Assert.InRange(progress, 0, 1);
    }

    [Fact]
    public void Without_a_measurement_there_is_no_progress()
    {
        Assert.Equal(0, Metric.ProgressOf(MetricDirection.Increase, 2, 10, latest: null));
    }

    [Fact]
    public void Without_a_baseline_or_target_there_is_no_progress()
    {
        Assert.Equal(0, Metric.ProgressOf(MetricDirection.Increase, null, 10, 8));
        Assert.Equal(0, Metric.ProgressOf(MetricDirection.Increase, 2, null, 8));
    }

    [Theory]
    [InlineData(MetricDirection.Increase, 5, 1)]
    [InlineData(MetricDirection.Increase, 4.9, 0)]
    [InlineData(MetricDirection.Decrease, 5, 1)]
    [InlineData(MetricDirection.Decrease, 5.1, 0)]
    public void A_target_equal_to_the_baseline_is_reached_or_not(MetricDirection direction, double latest, double expected)
    {
        Assert.Equal(expected, Metric.ProgressOf(direction, 5, 5, latest));
    }
}
