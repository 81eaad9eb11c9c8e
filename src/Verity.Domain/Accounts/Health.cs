using Verity.Domain.Common;

namespace Verity.Domain.Accounts;

public enum Sentiment
{
    Positive,
    Neutral,
    Negative,
}

public enum HealthGrade
{
    Green,
    Yellow,
    Red,
}

/// <summary>
/// A CSM's tactical read of an account on a day: how much of what was bought is used, how the customer feels,
/// what stands in the way, and an overall red/yellow/green. The team's own judgement: customers never see it.
/// </summary>
public sealed class HealthCheck : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public DateOnly CheckedOn { get; set; }

    /// <summary>Share of licensed users who are active, in percent (0–100).</summary>
    public int Adoption { get; set; }

    public Sentiment Sentiment { get; set; }

    public string? Barriers { get; set; }

    public HealthGrade Overall { get; set; }

    public string? Notes { get; set; }

    public string? AuthorId { get; set; }
}

/// <summary>An account's health score as it stood on a day; one a day, so the trend compares like with like.</summary>
public sealed class HealthSnapshot : IAccountOwned
{
    public required string AccountId { get; init; }

    public DateOnly TakenOn { get; init; }

    public int Score { get; init; }

    public HealthGrade Grade { get; init; }
}

/// <summary>What the health score is computed from, read in bulk for one account.</summary>
public sealed record HealthFacts(
    double? AdoptionPercent,
    string? AdoptionSource,
    Sentiment? Sentiment,
    DateOnly? SentimentOn,
    int OpenObjectivesWithHealth,
    int OnTrack,
    int Watchpoint,
    int ObjectivesEver,
    int VerifiedLast12Months,
    int DaysSinceCustomerContact,
    bool EverContacted,
    int? OpenCriticalTickets,
    string? SupportSource = null);

/// <summary>Settings under <c>Health</c>: each measure's weight and the grade thresholds.</summary>
public sealed class HealthSettings
{
    public HealthWeights Weights { get; set; } = new();

    /// <summary>A score at or above this is green.</summary>
    public int GreenFrom { get; set; } = 70;

    /// <summary>A score at or above this (and below <see cref="GreenFrom"/>) is yellow; below, red.</summary>
    public int YellowFrom { get; set; } = 40;

    /// <summary>The first setting that makes no sense, named as it is written in configuration; null when all hold.</summary>
    public string? Problem()
    {
        foreach (var (key, weight) in Weights.All)
        {
            if (!double.IsFinite(weight) || weight < 0)
            {
                return $"The setting Health:Weights:{key} = {weight} must be a number of at least 0.";
            }
        }

        if (Weights.All.Sum(w => w.Weight) <= 0)
        {
            return "The settings Health:Weights:adoption, :sentiment, :objectives, :outcomes, :engagement and :support must not all be 0: the score needs a positive total weight.";
        }

        if (GreenFrom is < 1 or > 100)
        {
            return $"The setting Health:GreenFrom = {GreenFrom} must be between 1 and 100.";
        }

        return YellowFrom < 0 || YellowFrom > GreenFrom
            ? $"The setting Health:YellowFrom = {YellowFrom} must be between 0 and Health:GreenFrom ({GreenFrom})."
            : null;
    }
}

/// <summary>The relative weight of each measure; they need not sum to anything, the score divides by their total.</summary>
public sealed class HealthWeights
{
    public double Adoption { get; set; } = 25;

    public double Sentiment { get; set; } = 20;

    public double Objectives { get; set; } = 20;

    public double Outcomes { get; set; } = 15;

    public double Engagement { get; set; } = 10;

    public double Support { get; set; } = 10;

    public IEnumerable<(string Key, double Weight)> All =>
    [
        (HealthScoring.Adoption, Adoption), (HealthScoring.Sentiment, Sentiment), (HealthScoring.Objectives, Objectives),
        (HealthScoring.Outcomes, Outcomes), (HealthScoring.Engagement, Engagement), (HealthScoring.Support, Support),
    ];
}

/// <summary>
/// One measure of the score: what was seen (<see cref="Value"/>, in words), its score 0–100 (null when there is no
/// data), the share of the total it carries (<see cref="Weight"/>, 0–1, 0 when unknown) and so the points it adds.
/// </summary>
public sealed record HealthMeasure(string Key, string Label, string Value, int? Score, double Weight)
{
    public double Contribution => Score is { } score ? Math.Round(score * Weight, 1) : 0;
}

public sealed record HealthResult(int? Score, HealthGrade? Grade, IReadOnlyList<HealthMeasure> Measures);

/// <summary>
/// The account health score: six measures, each scored 0–100 by a rule a CSM can check by hand, combined as a
/// weighted mean over the measures that have data (so a missing one neither helps nor hurts).
/// <list type="bullet">
/// <item><b>adoption</b> — active ÷ licensed users, in percent: from the adoption figures when there are any
/// (Σ active ÷ Σ licensed over each feature's latest row), else the latest health check's adoption;
/// score = min(100, percent × 100 ÷ 80), full marks at 80 % active.</item>
/// <item><b>sentiment</b> — the latest health check: positive 100, neutral 50, negative 0.</item>
/// <item><b>objectives</b> — open objectives with a health: 100 × (on track + ½ × watchpoint) ÷ their number;
/// unknown when none.</item>
/// <item><b>outcomes</b> — outcomes verified in the last 12 months: 0 → 0, 1 → 70, 2 → 90, 3 or more → 100;
/// unknown while the account has no objective at all.</item>
/// <item><b>engagement</b> — days since the last customer-visible activity (or since the account was opened):
/// 14 days or fewer 100, falling in a straight line to 0 at 90 days.</item>
/// <item><b>support</b> — open critical tickets in the latest support figures: 0 → 100, 1 → 60, 2 → 30, 3 or more → 0;
/// unknown without support figures.</item>
/// </list>
/// Score = Σ(score × weight) ÷ Σ weight over the known measures, rounded; grade green at or above
/// <see cref="HealthSettings.GreenFrom"/>, yellow at or above <see cref="HealthSettings.YellowFrom"/>, else red.
/// </summary>
public static class HealthScoring
{
    public const string Adoption = "adoption";
    public const string Sentiment = "sentiment";
    public const string Objectives = "objectives";
    public const string Outcomes = "outcomes";
    public const string Engagement = "engagement";
    public const string Support = "support";

    public const double AdoptionFullAt = 80;
    public const int EngagementFreshDays = 14;
    public const int EngagementGoneDays = 90;

    public static HealthResult Compute(HealthFacts facts, HealthSettings settings)
    {
        var weights = settings.Weights;
        var raw = new List<(string Key, string Label, string Value, int? Score, double Weight)>
        {
            (Adoption, "Adoption: share of licensed users who are active (full marks at 80%)",
                facts.AdoptionPercent is { } adoption ? $"{adoption:0.#}% active ({facts.AdoptionSource})" : "No adoption figures or health check yet",
                AdoptionScore(facts.AdoptionPercent), weights.Adoption),
            (Sentiment, "Sentiment in the latest health check (positive 100, neutral 50, negative 0)",
                facts.Sentiment is { } sentiment ? $"{Say(sentiment)} on {facts.SentimentOn:yyyy-MM-dd}" : "No health check yet",
                SentimentScore(facts.Sentiment), weights.Sentiment),
            (Objectives, "Objectives: share of open objectives on track (a watchpoint counts half)",
                facts.OpenObjectivesWithHealth == 0
                    ? "No open objective in progress"
                    : $"{facts.OnTrack} of {facts.OpenObjectivesWithHealth} on track, {facts.Watchpoint} watchpoint",
                ObjectivesScore(facts.OpenObjectivesWithHealth, facts.OnTrack, facts.Watchpoint), weights.Objectives),
            (Outcomes, "Outcomes verified by the customer in the last 12 months (1 → 70, 2 → 90, 3 or more → 100)",
                facts.ObjectivesEver == 0 ? "No objectives yet" : $"{facts.VerifiedLast12Months} verified",
                OutcomesScore(facts.ObjectivesEver, facts.VerifiedLast12Months), weights.Outcomes),
            (Engagement, "Engagement: days since the last customer-visible activity (full marks within 14 days, none after 90)",
                facts.EverContacted
                    ? $"{facts.DaysSinceCustomerContact} days ago"
                    : $"No customer-visible activity; opened {facts.DaysSinceCustomerContact} days ago",
                EngagementScore(facts.DaysSinceCustomerContact), weights.Engagement),
            (Support, facts.OpenCriticalTickets is null
                    ? "Support: open critical tickets — no support figures yet, so left out of the score"
                    : "Support: open critical tickets in the latest support figures (none → 100, 1 → 60, 2 → 30, 3 or more → 0)",
                facts.OpenCriticalTickets is { } tickets
                    ? facts.SupportSource is null ? $"{tickets} open critical" : $"{tickets} open critical ({facts.SupportSource})"
                    : "Not known",
                SupportScore(facts.OpenCriticalTickets), weights.Support),
        };

        var total = raw.Where(m => m.Score is not null).Sum(m => m.Weight);
        var measures = raw.Select(m => new HealthMeasure(m.Key, m.Label, m.Value, m.Score,
            m.Score is null || total <= 0 ? 0 : Math.Round(m.Weight / total, 4))).ToList();
        if (total <= 0)
        {
            return new HealthResult(null, null, measures);
        }

        var score = (int)Math.Round(raw.Where(m => m.Score is not null).Sum(m => m.Score!.Value * m.Weight) / total, MidpointRounding.AwayFromZero);
        return new HealthResult(score, GradeOf(score, settings), measures);
    }

    public static HealthGrade GradeOf(int score, HealthSettings settings) =>
        score >= settings.GreenFrom ? HealthGrade.Green : score >= settings.YellowFrom ? HealthGrade.Yellow : HealthGrade.Red;

    public static int? AdoptionScore(double? percent) =>
        percent is { } p ? (int)Math.Round(Math.Clamp(p * 100 / AdoptionFullAt, 0, 100), MidpointRounding.AwayFromZero) : null;

    public static int? SentimentScore(Sentiment? sentiment) => sentiment switch
    {
        null => null,
        Accounts.Sentiment.Positive => 100,
        Accounts.Sentiment.Neutral => 50,
        Accounts.Sentiment.Negative => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(sentiment)),
    };

    public static int? ObjectivesScore(int withHealth, int onTrack, int watchpoint) =>
        withHealth == 0 ? null : (int)Math.Round(100.0 * (onTrack + 0.5 * watchpoint) / withHealth, MidpointRounding.AwayFromZero);

    public static int? OutcomesScore(int objectivesEver, int verified) => objectivesEver == 0
        ? null
        : verified switch
        {
            <= 0 => 0,
            1 => 70,
            2 => 90,
            _ => 100,
        };

    public static int EngagementScore(int days) => days <= EngagementFreshDays
        ? 100
        : (int)Math.Round(Math.Max(0, 100.0 * (EngagementGoneDays - days) / (EngagementGoneDays - EngagementFreshDays)), MidpointRounding.AwayFromZero);

    public static int? SupportScore(int? openCritical) => openCritical switch
    {
        null => null,
        <= 0 => 100,
        1 => 60,
        2 => 30,
        _ => 0,
    };

    private static string Say(Sentiment sentiment) => sentiment switch
    {
        Accounts.Sentiment.Positive => "Positive",
        Accounts.Sentiment.Neutral => "Neutral",
        Accounts.Sentiment.Negative => "Negative",
        _ => sentiment.ToString(),
    };
}
