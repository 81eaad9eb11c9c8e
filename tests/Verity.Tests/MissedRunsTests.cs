using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verity.Jobs;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>A node that was down on Monday morning runs the week's triage when it comes up, and not a stale monthly report.</summary>
public sealed class MissedRunsTests(MissedRunsTests.LateApp app) : IClassFixture<MissedRunsTests.LateApp>
{
    [Fact]
    public void The_last_due_time_is_found_from_the_schedule()
    {
        var now = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero), MissedRuns.LastFireBefore("0 0 6 ? * MON", TimeZoneInfo.Utc, now));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 7, 0, 0, TimeSpan.Zero), MissedRuns.LastFireBefore("0 0 7 1 * ?", TimeZoneInfo.Utc, now));
    }

    [Fact]
    public void Periods_are_the_schedules_own_weeks_and_months_in_its_time_zone()
    {
        var tokyo = new JobSettings { TimeZone = "Asia/Tokyo" };
        var firstOfDecemberInTokyo = new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
        Assert.Equal("monthlyReport:2026-12", Scheduling.MonthKey(Scheduling.MonthlyReportJob, tokyo.Local(firstOfDecemberInTokyo)));
        Assert.Equal("monthlyReport:2026-11", Scheduling.MonthKey(Scheduling.MonthlyReportJob, new JobSettings().Local(firstOfDecemberInTokyo)));
    }

    [Fact]
    public async Task The_weeks_missed_triage_and_digest_run_at_start_once_and_a_three_week_old_report_does_not()
    {
        _ = app.Services;
        for (var attempt = 0; attempt < 300; attempt++)
        {
            await using var db = app.SystemDb();
            if (await db.JobPeriods.AnyAsync(p => p.Key == "weeklyDigest:2026-W48" && p.CompletedAt != null, TestContext.Current.CancellationToken))
            {
                break;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await using var check = app.SystemDb();
        var periods = await check.JobPeriods.Select(p => p.Key).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("triage:2026-W48", periods);
        Assert.Contains("weeklyDigest:2026-W48", periods);
        Assert.DoesNotContain("monthlyReport:2026-11", periods);
        Assert.Equal(1, await check.TriageRuns.CountAsync(r => r.Period == "triage:2026-W48", TestContext.Current.CancellationToken));
    }

    /// <summary>Started on Monday 2026-11-23 at 09:00 UTC: after the 06:00 triage and the 06:30 digest were due.</summary>
    public sealed class LateApp : SqliteAppBase
    {
        private readonly MovableClock _clock = new();

        public LateApp() => _clock.Set(new DateOnly(2026, 11, 23));

        protected override bool CatchUp => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock));
        }
    }
}
