using Verity.Domain.Objectives;

namespace Verity.Domain.Tests;

public sealed class SmartCheckerTests
{
    private static readonly DateOnly _today = new(2025, 1, 15);
    private static readonly DateOnly _due = new(2025, 9, 30);
    private const string Criteria = "Agreed with the platform team and measured from pipeline data";
    private const string Impact = "Time to market improved by 5x";

    /// <summary>The seed's four verifiable-outcome examples and its qualitative ones pass.</summary>
    public static TheoryData<string, ObjectiveKind, string, string, SmartMetric?> Smart => new()
    {
        { "Increase deployment frequency from 2 to 10 per week", ObjectiveKind.Quantitative, "Increase to 10 deployments per week", "Time to market improved by 5x",
            new SmartMetric("Deployment frequency", MetricDirection.Increase, 2, 10, "per week") },
        { "Reduce average deployment time from 4 hours to 20 minutes", ObjectiveKind.Quantitative, "Reduce deployment time to 20 minutes",
            "75% reduction in deployment time across 40 projects and 900 deployments netting an estimated $1.2M in time savings",
            new SmartMetric("Average deployment time", MetricDirection.Decrease, 240, 20, "minutes") },
        { "Reduce manual steps required from 15 steps to 2", ObjectiveKind.Quantitative, "Reduce manual steps to 2", "Reduced error rate by 30%",
            new SmartMetric("Manual steps", MetricDirection.Decrease, 15, 2, "steps") },
        { "Achieve 99.5% deployment success rate, up from 85%", ObjectiveKind.Quantitative, "Achieve 99.5% deployment success rate",
            "Reduced customer-facing incidents by 12 per year", new SmartMetric("Deployment success rate", MetricDirection.Increase, 85, 99.5, "%") },
        { "Migrate to a single DevOps application", ObjectiveKind.Qualitative,
            "All 25 repositories and pipelines run on the platform and the old tools are switched off", "One audit trail for every change", null },
        { "Launch SAST and DAST across the company", ObjectiveKind.Qualitative,
            "Every production application is scanned on each merge, with results in the security dashboard", "Vulnerabilities caught before release", null },
        { "Cut cycle time by 20% from 12 days", ObjectiveKind.Quantitative, "Median cycle time of 9.6 days for a quarter", "Features reach customers sooner", null },
        { "Cut lead time for changes from 12 days to 3 days", ObjectiveKind.Quantitative, "Median lead time under 3 days for a quarter",
            "Clinical fixes reach patients within a sprint", new SmartMetric("Lead time", MetricDirection.Decrease, 12, 3, "days") },
        { "Reduce release-related checkout incidents from 6 to 1 per quarter", ObjectiveKind.Quantitative, "At most one incident in Q4",
            "Protects peak-season revenue", new SmartMetric("Incidents", MetricDirection.Decrease, 6, 1) },
        { "Shorten onboarding of new engineers from 10 days to 2 days", ObjectiveKind.Quantitative, "New hires merge their first change within 2 days",
            "New teams productive in their first week", null },
        { "Retire the legacy Jenkins estate", ObjectiveKind.Qualitative, "All 140 Jenkins jobs migrated and the controllers decommissioned",
            "Saves $300k a year in licences and hardware", null },
    };

    [Theory]
    [MemberData(nameof(Smart))]
    public void Well_formed_objectives_pass(string title, ObjectiveKind kind, string criteria, string impact, SmartMetric? metric)
    {
        var result = SmartChecker.Check(new SmartInput(title, kind, criteria, impact, _due, metric is null ? [] : [metric]), _today);
        Assert.True(result.IsSmart, string.Join(" | ", result.Findings.Select(f => $"{f.Rule}: {f.Message}")));
    }

    /// <summary>The seed's pitfalls and more phrasings of our own, each caught by the rule it breaks.</summary>
    public static TheoryData<string, ObjectiveKind, string?, string?, bool, SmartRule> NotSmart => new()
    {
        // Seed pitfalls
        { "Delight the customer!", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Measurable },
        { "Do more things faster", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Increase team collaboration", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "50% increase in IACV", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Relevant },
        { "Activate 50% of users", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Relevant },
        { "Adopt stage Secure across the organisation", ObjectiveKind.Qualitative, "All teams have adopted it", Impact, true, SmartRule.Relevant },
        { "Increase deployment frequency to 10 per week", ObjectiveKind.Quantitative, "10 deployments per week", Impact, true, SmartRule.Measurable },
        { "Increase deployment frequency from 2 to 10 per week", ObjectiveKind.Quantitative, "10 deployments per week", Impact, false, SmartRule.TimeBound },

        // Unmeasurable
        { "Make developers happy", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Measurable },
        { "Customers love our releases", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Measurable },
        { "Become a world-class engineering organisation", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Measurable },
        { "Improve customer satisfaction", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Measurable },
        { "Empower teams to own their pipelines", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Measurable },
        { "Deliver a great experience for developers", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Measurable },

        // Ambiguous
        { "Ship things faster", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Better releases for everyone", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Streamline the delivery process", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Optimise our CI pipelines", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Modernise the toolchain", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Improve developer productivity", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Reduce incidents as much as possible", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Go faster", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
        { "Transformation", ObjectiveKind.Qualitative, Criteria, Impact, true, SmartRule.Specific },

        // Unrealistic
        { "Eliminate all production incidents", ObjectiveKind.Quantitative, "Zero incidents in 2025", Impact, true, SmartRule.Attainable },
        { "Achieve 500% increase in release throughput", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Attainable },
        { "Raise test coverage from 20% to 100%", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Attainable },
        { "Never miss a release window from now on, currently 3 misses", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Attainable },

        // Vendor-centred
        { "Buy 500 more seats", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Relevant },
        { "Expand usage of CI minutes from 10k to 50k", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Relevant },
        { "Grow ARR from 300k to 450k", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Relevant },
        { "Increase monthly active users from 200 to 800", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Relevant },
        { "Upgrade to the Ultimate tier by Q3", ObjectiveKind.Qualitative, "All licences upgraded", Impact, true, SmartRule.Relevant },
        { "Secure the renewal before March 2025", ObjectiveKind.Qualitative, "Renewal signed off by procurement", Impact, true, SmartRule.Relevant },

        // Missing baseline, impact, criteria, timeline
        { "Reach 99.9% pipeline success rate", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Measurable },
        { "Cut build time from 40 to 10 minutes", ObjectiveKind.Quantitative, Criteria, null, true, SmartRule.Relevant },
        { "Cut build time from 40 to 10 minutes", ObjectiveKind.Quantitative, null, Impact, true, SmartRule.Measurable },
        { "Cut build time from 40 to 10 minutes", ObjectiveKind.Quantitative, Criteria, Impact, false, SmartRule.TimeBound },
        { "Migrate to a single DevOps application", ObjectiveKind.Qualitative, null, Impact, true, SmartRule.Measurable },
        { "Migrate to a single DevOps application", ObjectiveKind.Qualitative, "Make progress", Impact, true, SmartRule.Measurable },
        { "Migrate to a single DevOps application", ObjectiveKind.Qualitative, "All repositories migrated", Impact, false, SmartRule.TimeBound },
        { "", ObjectiveKind.Quantitative, Criteria, Impact, true, SmartRule.Specific },
    };

    [Theory]
    [MemberData(nameof(NotSmart))]
    public void Pitfalls_are_caught_by_the_rule_they_break(string title, ObjectiveKind kind, string? criteria, string? impact, bool dated, SmartRule rule)
    {
        var result = SmartChecker.Check(new SmartInput(title, kind, criteria, impact, dated ? _due : null, []), _today);
        Assert.False(result.IsSmart);
        var finding = Assert.Single(result.Findings, f => f.Rule == rule);
        Assert.False(string.IsNullOrWhiteSpace(finding.Suggestion));
    }

    [Fact]
    public void A_missing_baseline_is_answered_with_the_question_to_ask()
    {
        var result = SmartChecker.Check(new SmartInput("Increase deployment frequency to 10 per week", ObjectiveKind.Quantitative, Criteria, Impact, _due, []), _today);
        Assert.Contains(result.Findings, f => f.Suggestion.StartsWith("Add a baseline: where are you today?", StringComparison.Ordinal));
    }

    [Fact]
    public void A_date_in_the_words_counts_as_a_timeline()
    {
        var result = SmartChecker.Check(new SmartInput("Cut build time from 40 to 10 minutes by the end of Q3", ObjectiveKind.Quantitative, Criteria, Impact, null, []), _today);
        Assert.True(result.IsSmart, string.Join(" | ", result.Findings.Select(f => f.Message)));
    }

    [Fact]
    public void A_target_date_that_has_passed_is_not_time_bound()
    {
        var result = SmartChecker.Check(new SmartInput("Cut build time from 40 to 10 minutes", ObjectiveKind.Quantitative, Criteria, Impact, _today.AddDays(-1), []), _today);
        Assert.Equal(SmartRule.TimeBound, Assert.Single(result.Findings).Rule);
    }

    [Fact]
    public void An_impossible_percentage_target_is_not_attainable()
    {
        var metric = new SmartMetric("Success rate", MetricDirection.Increase, 85, 120, "%");
        var result = SmartChecker.Check(new SmartInput("Raise deployment success rate from 85% to 99.5%", ObjectiveKind.Quantitative, Criteria, Impact, _due, [metric]), _today);
        Assert.Contains(result.Findings, f => f.Rule == SmartRule.Attainable && f.Message.Contains("impossible"));
    }

    [Fact]
    public void The_checker_is_deterministic()
    {
        var input = new SmartInput("Do more things faster", ObjectiveKind.Quantitative, null, null, null, []);
        Assert.Equal(SmartChecker.Check(input, _today).Findings, SmartChecker.Check(input, _today).Findings);
    }
}
