using System.Globalization;
using System.Text.RegularExpressions;

namespace Verity.Domain.Objectives;

public enum SmartRule
{
    Specific,
    Measurable,
    Attainable,
    Relevant,
    TimeBound,
}

public sealed record SmartFinding(SmartRule Rule, string Message, string Suggestion);

public sealed record SmartResult(bool IsSmart, IReadOnlyList<SmartFinding> Findings);

/// <summary>A metric as the checker sees it.</summary>
public sealed record SmartMetric(string Name, MetricDirection Direction, double? Baseline, double? Target, string? Unit = null);

/// <summary>What the checker reads of an objective.</summary>
public sealed record SmartInput(
    string? Title,
    ObjectiveKind Kind,
    string? SuccessCriteria,
    string? BusinessImpact,
    DateOnly? TargetDate,
    IReadOnlyList<SmartMetric> Metrics)
{
    public static SmartInput Of(Objective o, IReadOnlyList<SmartMetric> metrics) =>
        new(o.Title, o.Kind, o.SuccessCriteria, o.BusinessImpact, o.TargetDate, metrics);
}

/// <summary>
/// Checks an objective against SMART as the seeds teach it: a baseline, success criteria, a business impact
/// in the customer's words and a timeline, and none of the common pitfalls (unmeasurable, ambiguous,
/// unrealistic, vendor-centred). Deterministic: the same objective and day give the same findings.
/// </summary>
public static partial class SmartChecker
{
    private const string Rewrite = "Reduce <metric> from <baseline> to <target> by <date>";

    // Words that feel like goals but cannot be measured on their own.
    private static readonly string[] _unmeasurable =
    [
        "delight", "happy", "happier", "happiness", "satisf", "love", "wow", "amaze", "thrill", "excite", "great experience",
        "world-class", "world class", "best-in-class", "best in class", "cutting-edge", "cutting edge", "synerg", "empower",
    ];

    // Phrases that say "more, better" without saying of what or by how much.
    private static readonly string[] _ambiguous =
    [
        "more things", "things faster", "faster", "better", "improve", "improved", "enhance", "optimi", "streamline",
        "collaboration", "collaborate", "modernis", "moderniz", "transform", "innovat", "efficien", "productiv", "agile",
        "as much as possible", "as soon as possible", "asap", "more", "increase", "reduce", "boost", "accelerat", "maximi", "minimi",
    ];

    // Goals about using the vendor's product rather than the customer's outcome.
    private static readonly string[] _vendorCentred =
    [
        "adopt stage", "adopt the", "adoption of", "activate", "activation", "licen", "seats", "seat ", "upsell", "upgrade to",
        "iacv", "arr", "bookings", "renewal", "renew", "expand usage", "usage of", "use more", "onboard users", "daily active",
        "monthly active", "dau", "mau", "log in", "logins", "feature usage",
    ];

    // What a qualitative objective's completion can be observed by.
    private static readonly string[] _observableCompletion =
    [
        "all ", "every", "each", "switched off", "switch off", "retire", "decommission", "shut down", "turned off", "live",
        "in production", "launched", "launch", "migrated", "migrate", "complete", "completed", "signed off", "sign-off",
        "rolled out", "roll out", "consolidat", "single", "no longer", "replaced", "passes", "passed", "certified", "go-live",
    ];

    private static readonly string[] _absolutes = ["zero ", "100% of", "to 100%", "eliminate all", "never ", "no incidents", "all incidents", "every single", "always"];

    public static SmartResult Check(SmartInput input, DateOnly today)
    {
        var findings = new List<SmartFinding>();
        var title = (input.Title ?? "").Trim();
        var criteria = (input.SuccessCriteria ?? "").Trim();
        var impact = (input.BusinessImpact ?? "").Trim();
        var text = $"{title} \n {criteria}".ToLowerInvariant();
        var numbers = Numbers(text);
        var agreedMetric = input.Metrics.FirstOrDefault(m => m.Baseline is not null && m.Target is not null);

        CheckSpecific(input, title, findings);
        if (input.Kind == ObjectiveKind.Quantitative)
        {
            CheckMeasurable(text, numbers, agreedMetric, input, findings);
        }
        else
        {
            CheckObservableCompletion(criteria, findings);
        }

        CheckAttainable(text, input.Metrics, findings);
        CheckRelevant(text, impact, findings);
        CheckTimeBound(input.TargetDate, text, today, findings);
        return new SmartResult(findings.Count == 0, findings);
    }

    /// <summary>The title must say what changes by itself: it is what the customer reads on every slide.</summary>
    private static void CheckSpecific(SmartInput input, string title, List<SmartFinding> findings)
    {
        if (title.Length == 0)
        {
            findings.Add(new(SmartRule.Specific, "The objective has no title.",
                $"Name the outcome in the customer's words, e.g. \"{Rewrite}\"."));
            return;
        }

        if (Words(title) < 3)
        {
            findings.Add(new(SmartRule.Specific, $"\"{title}\" is too short to say what will change.",
                $"Say what changes, for whom and by how much, e.g. \"{Rewrite}\"."));
            return;
        }

        var lower = title.ToLowerInvariant();
        var vague = _ambiguous.FirstOrDefault(w => ContainsWord(lower, w));
        var hasSubject = input.Kind == ObjectiveKind.Qualitative || Numbers(lower).Count > 0;
        if (vague is not null && !hasSubject)
        {
            findings.Add(new(SmartRule.Specific, $"\"{title}\" is ambiguous: \"{vague}\" does not say what, or by how much.",
                $"Name the measure and the change, e.g. \"{Rewrite}\"."));
        }
    }

    private static void CheckMeasurable(string text, List<double> numbers, SmartMetric? metric, SmartInput input, List<SmartFinding> findings)
    {
        // A feel-good title stays unmeasurable whatever metric is pinned to it: the customer reads the title.
        var title = (input.Title ?? "").ToLowerInvariant();
        var fluff = _unmeasurable.FirstOrDefault(w => ContainsWord(title, w));
        if (fluff is not null && Numbers(title).Count == 0)
        {
            findings.Add(new(SmartRule.Measurable, $"\"{input.Title}\" cannot be measured: nobody can show when \"{fluff.Trim()}\" is reached.",
                "Pick the number that would prove it, e.g. \"Raise CSAT from 3.9 to 4.5 by <date>\" or \"Cut support tickets per release from 40 to 10\"."));
            return;
        }

        if (numbers.Count == 0 && metric is null)
        {
            findings.Add(new(SmartRule.Measurable, "There is no number to measure progress by.",
                "Add a metric with a baseline and a target, or put them in the words: \"" + Rewrite + "\"."));
            return;
        }

        var textBaseline = FromTo().IsMatch(text) || BaselineWords().IsMatch(text);
        if (metric is null && !textBaseline)
        {
            findings.Add(new(SmartRule.Measurable, "There is no baseline, so nobody can show how far things have moved.",
                "Add a baseline: where are you today? e.g. \"deployment frequency is 2 per week today\"."));
        }

        if (string.IsNullOrWhiteSpace(input.SuccessCriteria))
        {
            findings.Add(new(SmartRule.Measurable, "There are no success criteria.",
                "Say how you will both know it is done, e.g. \"10 production deployments per week, sustained for a month\"."));
        }
    }

    private static void CheckObservableCompletion(string criteria, List<SmartFinding> findings)
    {
        var lower = criteria.ToLowerInvariant();
        if (criteria.Length == 0 || Words(criteria) < 4 || !_observableCompletion.Any(w => lower.Contains(w, StringComparison.Ordinal)))
        {
            findings.Add(new(SmartRule.Measurable, "It is not clear what \"done\" looks like.",
                "Describe a completion anyone can observe: which teams or systems, and what is switched off or live, e.g. \"All 25 repositories build on the new platform and the old CI servers are switched off\"."));
        }
    }

    private static void CheckAttainable(string text, IReadOnlyList<SmartMetric> metrics, List<SmartFinding> findings)
    {
        foreach (var metric in metrics)
        {
            if (metric is not { Baseline: { } from, Target: { } to })
            {
                continue;
            }

            var percent = metric.Unit?.Trim() == "%" || metric.Name.Contains("rate", StringComparison.OrdinalIgnoreCase) && to <= 100 && from <= 100;
            if (metric.Unit?.Trim() == "%" && to > 100)
            {
                findings.Add(new(SmartRule.Attainable, $"{metric.Name}: a target of {to}% is impossible.",
                    "Choose a target below 100%, e.g. 99.5%."));
            }
            else if (percent && metric.Direction == MetricDirection.Increase && to >= 100 && from < 100)
            {
                findings.Add(new(SmartRule.Attainable, $"{metric.Name}: 100% leaves no room for a single miss.",
                    "Aim just short of perfect, e.g. 99.5%, and agree what counts as a miss."));
            }
            else if (metric.Direction == MetricDirection.Increase && from > 0 && to / from > 20)
            {
                findings.Add(new(SmartRule.Attainable, $"{metric.Name}: going from {Format(from)} to {Format(to)} is more than twentyfold.",
                    "Agree a first step the customer believes in (e.g. 3–5x), and set the next target when it is reached."));
            }
            else if (metric.Direction == MetricDirection.Decrease && to >= 0 && from > 0 && from / Math.Max(to, from / 1000) > 50)
            {
                findings.Add(new(SmartRule.Attainable, $"{metric.Name}: going from {Format(from)} to {Format(to)} is more than a fiftyfold cut.",
                    "Agree a first step the customer believes in, and set the next target when it is reached."));
            }
        }

        var absolute = _absolutes.FirstOrDefault(a => text.Contains(a, StringComparison.Ordinal));
        if (absolute is not null)
        {
            findings.Add(new(SmartRule.Attainable, $"\"{absolute.Trim()}\" is an absolute: one exception means failure.",
                "Set a realistic target, e.g. \"Cut release-related incidents from 6 to 1 per quarter\"."));
        }

        if (UnrealisticPercent().Match(text) is { Success: true } big && double.TryParse(big.Groups["n"].Value, CultureInfo.InvariantCulture, out var share) && share > 300)
        {
            findings.Add(new(SmartRule.Attainable, $"A {Format(share)}% change is unlikely to be believed or reached.",
                "Agree a target the customer's team thinks they can hit, and raise it once it is reached."));
        }
    }

    private static void CheckRelevant(string text, string impact, List<SmartFinding> findings)
    {
        var vendor = _vendorCentred.FirstOrDefault(w => ContainsWord(text, w));
        if (vendor is not null)
        {
            findings.Add(new(SmartRule.Relevant, $"\"{vendor.Trim()}\" measures use of our product, not the customer's outcome.",
                "Ask what it buys them and measure that, e.g. \"Cut time to first commit for new hires from 10 days to 2 by <date>\"."));
        }

        if (impact.Length == 0)
        {
            findings.Add(new(SmartRule.Relevant, "There is no business impact.",
                "Add the business impact in the customer's words: what does this change for their business? e.g. \"Time to market improved by 5x\"."));
        }
    }

    private static void CheckTimeBound(DateOnly? targetDate, string text, DateOnly today, List<SmartFinding> findings)
    {
        if (targetDate is { } date)
        {
            if (date < today)
            {
                findings.Add(new(SmartRule.TimeBound, $"The target date {date:yyyy-MM-dd} has passed.",
                    "Agree a new date with the customer, or close the objective."));
            }

            return;
        }

        if (!DatePhrase().IsMatch(text))
        {
            findings.Add(new(SmartRule.TimeBound, "There is no timeline.",
                "Add a target date: by when does the customer need this? e.g. \"by the end of Q2\"."));
        }
    }

    /// <summary>Short words (arr, dau, more) must stand alone; longer stems (licen, optimi) may start a word.</summary>
    private static bool ContainsWord(string text, string word) =>
        word.Length <= 4
            ? Regex.IsMatch(text, $@"\b{Regex.Escape(word)}\b")
            : text.Contains(word, StringComparison.Ordinal);

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static List<double> Numbers(string text) => Number().Matches(text)
        .Select(m => double.TryParse(m.Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture, out var n) ? n : double.NaN)
        .Where(n => !double.IsNaN(n))
        .ToList();

    private static string Format(double n) => n.ToString("0.##", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\d[\d,]*(\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\bfrom\s+[^\s]*\d")]
    private static partial Regex FromTo();

    [GeneratedRegex(@"\b(baseline|currently|today|at present|right now|now at)\b[^.]*\d")]
    private static partial Regex BaselineWords();

    [GeneratedRegex(@"(?<n>\d+(\.\d+)?)\s*%\s*(increase|more|growth|uplift|improvement)")]
    private static partial Regex UnrealisticPercent();

    [GeneratedRegex(@"\b(by|before|until|within|in|throughout|end of|during)\s+(q[1-4]|h[12]|fy\s?\d{2,4}|\d{4}|\d+\s+(days?|weeks?|months?|quarters?|years?)|january|february|march|april|may|june|july|august|september|october|november|december|next|this|the end)\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex DatePhrase();
}
