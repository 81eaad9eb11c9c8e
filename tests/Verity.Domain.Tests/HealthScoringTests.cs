using Verity.Domain.Accounts;

namespace Verity.Domain.Tests;

public sealed class HealthScoringTests
{
    private static readonly HealthSettings _defaults = new();

    private static HealthFacts Facts(
        double? adoption = null, Sentiment? sentiment = null, int withHealth = 0, int onTrack = 0, int watchpoint = 0,
        int objectives = 0, int verified = 0, int days = 0, int? critical = null) =>
        new(adoption, adoption is null ? null : "test", sentiment, sentiment is null ? null : new DateOnly(2026, 11, 1),
            withHealth, onTrack, watchpoint, objectives, verified, days, EverContacted: true, critical);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(40, 50)]
    [InlineData(60, 75)]
    [InlineData(80, 100)]
    [InlineData(100, 100)]
    public void Adoption_earns_full_marks_at_80_percent_active(double percent, int score) =>
        Assert.Equal(score, HealthScoring.AdoptionScore(percent));

    [Theory]
    [InlineData(Sentiment.Positive, 100)]
    [InlineData(Sentiment.Neutral, 50)]
    [InlineData(Sentiment.Negative, 0)]
    public void Sentiment_scores_by_its_value(Sentiment sentiment, int score) => Assert.Equal(score, HealthScoring.SentimentScore(sentiment));

    [Fact]
    public void Objectives_count_a_watchpoint_as_half_and_say_nothing_without_open_ones()
    {
        Assert.Equal(75, HealthScoring.ObjectivesScore(4, 2, 2));
        Assert.Equal(100, HealthScoring.ObjectivesScore(3, 3, 0));
        Assert.Equal(0, HealthScoring.ObjectivesScore(2, 0, 0));
        Assert.Null(HealthScoring.ObjectivesScore(0, 0, 0));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 70)]
    [InlineData(2, 90)]
    [InlineData(3, 100)]
    [InlineData(7, 100)]
    public void Verified_outcomes_step_up_to_full_marks_at_three(int verified, int score) =>
        Assert.Equal(score, HealthScoring.OutcomesScore(objectivesEver: 5, verified));

    [Fact]
    public void Outcomes_are_unknown_while_there_is_no_objective() => Assert.Null(HealthScoring.OutcomesScore(0, 0));

    [Theory]
    [InlineData(0, 100)]
    [InlineData(14, 100)]
    [InlineData(52, 50)]
    [InlineData(90, 0)]
    [InlineData(400, 0)]
    public void Engagement_fades_from_14_to_90_days(int days, int score) => Assert.Equal(score, HealthScoring.EngagementScore(days));

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 60)]
    [InlineData(2, 30)]
    [InlineData(3, 0)]
    [InlineData(9, 0)]
    public void Open_critical_tickets_step_down_to_nothing_at_three(int tickets, int score) => Assert.Equal(score, HealthScoring.SupportScore(tickets));

    [Fact]
    public void Support_is_unknown_without_support_figures() => Assert.Null(HealthScoring.SupportScore(null));

    [Fact]
    public void Support_figures_count_toward_the_score_and_say_where_they_come_from()
    {
        var facts = Facts(adoption: 60, days: 0, critical: 1) with { SupportSource = "support figures of 2026-11-01" };
        var result = HealthScoring.Compute(facts, _defaults);

        // adoption 75×25, engagement 100×10, support 60×10 → total weight 45.
        Assert.Equal((int)Math.Round((75 * 25 + 100 * 10 + 60 * 10) / 45.0, MidpointRounding.AwayFromZero), result.Score);
        var support = result.Measures.Single(m => m.Key == HealthScoring.Support);
        Assert.Equal(60, support.Score);
        Assert.Equal("1 open critical (support figures of 2026-11-01)", support.Value);
        Assert.DoesNotContain("left out", support.Label, StringComparison.Ordinal);
        Assert.Equal(Math.Round(10 / 45.0, 4), support.Weight);
    }

    [Fact]
    public void The_adoption_measure_says_where_its_percentage_comes_from()
    {
        var facts = Facts(adoption: 62.5) with { AdoptionSource = "adoption figures, 3 features, latest 2026-11-01" };
        var adoption = HealthScoring.Compute(facts, _defaults).Measures.Single(m => m.Key == HealthScoring.Adoption);
        Assert.Equal(78, adoption.Score);
        Assert.Equal("62.5% active (adoption figures, 3 features, latest 2026-11-01)", adoption.Value);
    }

    [Fact]
    public void The_score_is_the_weighted_mean_over_the_measures_with_data()
    {
        var result = HealthScoring.Compute(
            Facts(adoption: 60, sentiment: Sentiment.Positive, withHealth: 4, onTrack: 2, watchpoint: 2, objectives: 4, verified: 1, days: 52),
            _defaults);

        // adoption 75×25, sentiment 100×20, objectives 75×20, outcomes 70×15, engagement 50×10; support unknown → total 90.
        var expected = (int)Math.Round((75 * 25 + 100 * 20 + 75 * 20 + 70 * 15 + 50 * 10) / 90.0, MidpointRounding.AwayFromZero);
        Assert.Equal(expected, result.Score);
        Assert.Equal(HealthGrade.Green, result.Grade);
        var support = result.Measures.Single(m => m.Key == HealthScoring.Support);
        Assert.Null(support.Score);
        Assert.Equal(0, support.Weight);
        Assert.Equal(1.0, result.Measures.Sum(m => m.Weight), 3);
        Assert.Equal(result.Score!.Value, result.Measures.Sum(m => m.Contribution), 0);
    }

    [Fact]
    public void Weights_are_settings_and_a_zero_weight_leaves_a_measure_out()
    {
        var settings = new HealthSettings { Weights = new HealthWeights { Adoption = 1, Sentiment = 0, Objectives = 0, Outcomes = 0, Engagement = 0, Support = 0 } };
        var result = HealthScoring.Compute(Facts(adoption: 40, sentiment: Sentiment.Positive, days: 0), settings);
        Assert.Equal(50, result.Score);
        Assert.Equal(HealthGrade.Yellow, result.Grade);
    }

    [Fact]
    public void Without_any_known_measure_there_is_no_score()
    {
        var settings = new HealthSettings { Weights = new HealthWeights { Adoption = 1, Sentiment = 0, Objectives = 0, Outcomes = 0, Engagement = 0, Support = 0 } };
        var result = HealthScoring.Compute(Facts(), settings);
        Assert.Null(result.Score);
        Assert.Null(result.Grade);
    }

    [Theory]
    [InlineData(70, HealthGrade.Green)]
    [InlineData(69, HealthGrade.Yellow)]
    [InlineData(40, HealthGrade.Yellow)]
    [InlineData(39, HealthGrade.Red)]
    public void Grades_follow_the_thresholds(int score, HealthGrade grade) => Assert.Equal(grade, HealthScoring.GradeOf(score, _defaults));

    [Fact]
    public void Settings_that_make_no_score_are_named()
    {
        Assert.Null(_defaults.Problem());
        Assert.Contains("Health:Weights:support", new HealthSettings { Weights = new HealthWeights { Support = -1 } }.Problem());
        Assert.Contains("must not all be 0",
            new HealthSettings { Weights = new HealthWeights { Adoption = 0, Sentiment = 0, Objectives = 0, Outcomes = 0, Engagement = 0, Support = 0 } }.Problem());
        Assert.Contains("Health:YellowFrom", new HealthSettings { YellowFrom = 80 }.Problem());
        Assert.Contains("Health:GreenFrom", new HealthSettings { GreenFrom = 0 }.Problem());
    }
}
