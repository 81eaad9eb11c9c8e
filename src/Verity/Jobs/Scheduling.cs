using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Quartz;
using Verity.Data;
using Verity.Domain.Objectives;
using Verity.Features.Notifications;
using Verity.Features.Triage;

namespace Verity.Jobs;

/// <summary>
/// Settings under <c>Jobs</c>: when the weekly triage, the owner digests and the monthly customer report run
/// (Quartz cron: seconds minutes hours day-of-month month day-of-week), in which time zone, and whether this
/// node schedules at all.
/// </summary>
public sealed class JobSettings
{
    public bool Enabled { get; set; } = true;

    public string Triage { get; set; } = "0 0 6 ? * MON";

    /// <summary>Half an hour after the triage, so the digest carries this week's findings.</summary>
    public string WeeklyDigest { get; set; } = "0 30 6 ? * MON";

    public string MonthlyReport { get; set; } = "0 0 7 1 * ?";

    /// <summary>Every account's health score kept for the day, so the 30-day trend has history.</summary>
    public string HealthSnapshot { get; set; } = "0 0 5 * * ?";

    public string TimeZone { get; set; } = "UTC";

    /// <summary>Run at start what the current period missed while no node was up (see <see cref="MissedRuns"/>).</summary>
    public bool CatchUp { get; set; } = true;

    /// <summary>A setting that does not parse stops Verity at start, naming it — not on the first Monday.</summary>
    public static JobSettings Read(IConfiguration configuration)
    {
        var settings = configuration.GetSection("Jobs").Get<JobSettings>() ?? new JobSettings();
        foreach (var (name, cron) in new[] { ("Triage", settings.Triage), ("WeeklyDigest", settings.WeeklyDigest), ("MonthlyReport", settings.MonthlyReport), ("HealthSnapshot", settings.HealthSnapshot) })
        {
            if (!CronExpression.TryParse(cron, out _))
            {
                throw new InvalidSettingException(
                    $"The setting Jobs:{name} = \"{cron}\" is not a cron expression. Quartz cron has six or seven fields — seconds minutes hours day-of-month month day-of-week [year] — for example \"0 0 6 ? * MON\" for Mondays at 06:00.");
            }
        }

        try
        {
            _ = settings.Zone;
        }
        catch (TimeZoneNotFoundException)
        {
            throw new InvalidSettingException($"The setting Jobs:TimeZone = \"{settings.TimeZone}\" is not a time zone this machine knows (e.g. \"UTC\", \"Europe/Berlin\").");
        }

        return settings;
    }

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The wall-clock time in <see cref="TimeZone"/>: periods are the schedule's weeks and months, not UTC's.</summary>
    public DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;
}

/// <summary>A setting Verity cannot run with; the message names it. Verity stops at start rather than fail later.</summary>
public sealed class InvalidSettingException(string message) : Exception(message);

public static class Scheduling
{
    public const string TriageJob = "triage";
    public const string WeeklyDigestJob = "weeklyDigest";
    public const string MonthlyReportJob = "monthlyReport";
    public const string HealthSnapshotJob = "healthSnapshot";

    /// <summary>
    /// Quartz with the three jobs. On PostgreSQL its clustered ADO store, so with several nodes a job fires once
    /// (its tables are created at first start); on SQLite the in-memory store. Either way a run claims its
    /// period in <see cref="JobPeriod"/>, so a restart or a second node never repeats it.
    /// </summary>
    public static IServiceCollection AddVerityJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = JobSettings.Read(configuration);
        services.AddSingleton(settings);
        var database = DatabaseSetting.Parse(configuration["Database"]);
        services.AddQuartz(q =>
        {
            // The scheduler keeps real time (cluster check-ins, misfires); the jobs read the app's clock for their periods.
            q.UseTimeProvider(TimeProvider.System);
            if (database.Provider == DatabaseProvider.Postgres)
            {
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering(_ => { });
                    store.ProvisionSchema();
                });
            }
            else
            {
                q.UseInMemoryStore(_ => { });
            }

            Add<TriageJob>(q, TriageJob, settings.Triage, settings.Zone);
            Add<WeeklyDigestJob>(q, WeeklyDigestJob, settings.WeeklyDigest, settings.Zone);
            Add<MonthlyReportJob>(q, MonthlyReportJob, settings.MonthlyReport, settings.Zone);
            Add<HealthSnapshotJob>(q, HealthSnapshotJob, settings.HealthSnapshot, settings.Zone);
        });
        if (settings.Enabled)
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            if (settings.CatchUp)
            {
                services.AddHostedService<MissedRuns>();
            }
        }

        return services;
    }

    private static void Add<TJob>(IQuartzBuilder q, string name, string cron, TimeZoneInfo zone)
        where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(name).DisallowConcurrentExecution(true));
        q.AddTrigger(t => t.ForJob(name).WithIdentity(name).WithCronSchedule(cron, c => c.InTimeZone(zone)));
    }

    /// <summary>
    /// Claims a period for this node: the first to insert the key does the work. A claim that never completed
    /// (the node died mid-run) may be taken over after two hours. With several nodes every firing but one finds the
    /// key taken: that is the expected answer, so the insert says so by the rows it wrote, not with a logged error.
    /// </summary>
    public static async Task<bool> TryClaimAsync(IServiceProvider services, string key, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = services.CreateSystemContext();
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "JobPeriods" ("Key", "ClaimedAt") VALUES ({key}, {now}) ON CONFLICT ("Key") DO NOTHING""", cancellationToken);
        if (claimed == 1)
        {
            return true;
        }

        var stale = now.AddHours(-2);
        return await db.JobPeriods
            .Where(p => p.Key == key && p.CompletedAt == null && p.ClaimedAt < stale)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimedAt, now), cancellationToken) == 1;
    }

    public static async Task CompleteAsync(IServiceProvider services, string key, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = services.CreateSystemContext();
        await db.JobPeriods.Where(p => p.Key == key).ExecuteUpdateAsync(s => s.SetProperty(p => p.CompletedAt, now), cancellationToken);
    }

    /// <summary>Runs a job's work once for its period, whichever node or restart gets there first.</summary>
    public static async Task RunOnceAsync(IServiceProvider services, string key, Func<Task> work, CancellationToken cancellationToken)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        if (!await TryClaimAsync(services, key, clock.GetUtcNow().UtcDateTime, cancellationToken))
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Scheduling)).LogInformation("{Period} already ran; skipping.", key);
            return;
        }

        try
        {
            await work();
        }
        catch
        {
            // A failed run gives its period back, so the next firing (or a restart's catch-up) tries again.
            await ReleaseAsync(services, key);
            throw;
        }

        await CompleteAsync(services, key, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    public static async Task ReleaseAsync(IServiceProvider services, string key)
    {
        await using var db = services.CreateSystemContext();
        await db.JobPeriods.Where(p => p.Key == key && p.CompletedAt == null).ExecuteDeleteAsync();
    }

    public static string WeekKey(string job, DateTime now) => $"{job}:{TriageRules.IsoWeek(DateOnly.FromDateTime(now))}";

    public static string DayKey(string job, DateTime now) => $"{job}:{now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static string MonthKey(string job, DateTime now) => $"{job}:{now.ToString("yyyy-MM", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// A node that was down when a job was due (or, on SQLite, whose in-memory schedule was lost with a restart) runs
/// what the current period missed once it is up: the triage before the digest that reports it. The period claims
/// keep this from repeating a run another node or the schedule already did.
/// </summary>
public sealed class MissedRuns(IServiceProvider services, TimeProvider clock, JobSettings settings, ILogger<MissedRuns> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and the schema be migrated) first.
        await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        // How late each may still run: the triage any day of its week; a digest or a report only while it is news,
        // so a new installation does not mail a month's report on the day it is set up.
        var jobs = new (string Cron, Func<DateTime, string> Period, TimeSpan Late, Func<string, Task> Work)[]
        {
            (settings.Triage, now => Scheduling.WeekKey(Scheduling.TriageJob, now), TimeSpan.FromDays(7),
                key => services.GetRequiredService<TriageRunner>().RunAsync(key, stoppingToken)),
            (settings.WeeklyDigest, now => Scheduling.WeekKey(Scheduling.WeeklyDigestJob, now), TimeSpan.FromDays(1),
                _ => services.GetRequiredService<Digests>().SendWeeklyAsync(stoppingToken)),
            (settings.MonthlyReport, now => Scheduling.MonthKey(Scheduling.MonthlyReportJob, now), TimeSpan.FromDays(2),
                _ => services.GetRequiredService<Digests>().SendMonthlyAsync(stoppingToken)),
        };

        foreach (var (cron, period, late, work) in jobs)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var now = clock.GetUtcNow();
                var key = period(settings.Local(now));
                if (LastFireBefore(cron, settings.Zone, now) is { } due && period(settings.Local(due)) == key && now - due <= late)
                {
                    log.LogInformation("Catching up {Period}, due {Due:u}.", key, due);
                    await Scheduling.RunOnceAsync(services, key, () => work(key), stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "A missed run could not be caught up; the schedule runs it next time.");
            }
        }
    }

    /// <summary>When the schedule last wanted to fire, within the last 35 days.</summary>
    public static DateTimeOffset? LastFireBefore(string cron, TimeZoneInfo zone, DateTimeOffset now)
    {
        var expression = new CronExpression(cron, zone);
        DateTimeOffset? last = null;
        var after = now.AddDays(-35);
        while (expression.GetNextValidTimeAfter(after) is { } next && next <= now)
        {
            last = next;
            after = next;
        }

        return last;
    }
}

public sealed class TriageJob(IServiceProvider services, TriageRunner runner, TimeProvider clock, JobSettings settings) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var key = Scheduling.WeekKey(Scheduling.TriageJob, settings.Local(clock.GetUtcNow()));
        await Scheduling.RunOnceAsync(services, key, () => runner.RunAsync(key, cancellationToken), cancellationToken);
    }
}

public sealed class WeeklyDigestJob(IServiceProvider services, Digests digests, TimeProvider clock, JobSettings settings) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await Scheduling.RunOnceAsync(services, Scheduling.WeekKey(Scheduling.WeeklyDigestJob, settings.Local(clock.GetUtcNow())),
            () => digests.SendWeeklyAsync(cancellationToken), cancellationToken);
}

public sealed class MonthlyReportJob(IServiceProvider services, Digests digests, TimeProvider clock, JobSettings settings) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await Scheduling.RunOnceAsync(services, Scheduling.MonthKey(Scheduling.MonthlyReportJob, settings.Local(clock.GetUtcNow())),
            () => digests.SendMonthlyAsync(cancellationToken), cancellationToken);
}

public sealed class HealthSnapshotJob(IServiceProvider services, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await Scheduling.RunOnceAsync(services, Scheduling.DayKey(Scheduling.HealthSnapshotJob, now),
            () => Features.Health.HealthReads.SnapshotAllAsync(services, DateOnly.FromDateTime(now), cancellationToken), cancellationToken);
    }
}
