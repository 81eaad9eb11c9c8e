using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Cli;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// <c>verity demo --scale N</c>: the generated book has the issue's proportions, the rows read back through the
/// app like any other, and each CSM sees only the accounts of their team. Each database gets an app of its own,
/// so the generated accounts never show up in other tests' lists.
/// </summary>
public abstract class ScaleDataTests(VerityApp app) : ApiTests(app)
{
    private const int Accounts = 20;
    private const int AccountsPerCsm = 5;

    private static readonly SemaphoreSlim _once = new(1, 1);

    private async Task<ScaleLoad?> LoadOnceAsync()
    {
        await _once.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            await using var db = App.SystemDb();
            return await db.Users.AnyAsync(u => u.Email == ScaleData.AdminEmail, TestContext.Current.CancellationToken)
                ? null
                : await ScaleData.LoadAsync(App.Services, Accounts, seed: 7, AccountsPerCsm, TestContext.Current.CancellationToken);
        }
        finally
        {
            _once.Release();
        }
    }

    [Fact]
    public async Task The_generated_book_has_the_proportions_of_a_real_one()
    {
        await LoadOnceAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var db = App.SystemDb();
        var accounts = await db.Accounts.Select(a => a.Id).ToListAsync(ct);
        Assert.Equal(Accounts, accounts.Count);

        var objectives = await db.Objectives.CountAsync(o => accounts.Contains(o.AccountId), ct);
        var measurements = await db.Measurements.CountAsync(m => accounts.Contains(m.AccountId), ct);
        var activities = await db.Activities.CountAsync(a => accounts.Contains(a.AccountId), ct);
        var open = await db.Opportunities.Where(o => accounts.Contains(o.AccountId) && o.Stage != OpportunityStage.ClosedWon && o.Stage != OpportunityStage.ClosedLost).ToListAsync(ct);

        // The issue's book: 10,000 accounts → ~200,000 objectives, ~1,000,000 measurements and activities, ~17,000 open opportunities.
        Assert.InRange(objectives / (double)Accounts, 14, 26);
        Assert.InRange(measurements / (double)objectives, 3.5, 6.5);
        Assert.InRange(activities / (double)Accounts, 70, 130);
        Assert.InRange(open.Count / (double)Accounts, 1.2, 2.2);
        Assert.Equal(5, open.Select(o => o.Stage).Distinct().Count());

        // A realistic mix: every status and stage, some never validated, some overdue, some health set by hand.
        var mix = await db.Objectives.Where(o => accounts.Contains(o.AccountId)).ToListAsync(ct);
        Assert.Equal(Enum.GetValues<ObjectiveStatus>().Length, mix.Select(o => o.Status).Distinct().Count());
        Assert.Equal(Enum.GetValues<OutcomeStage>().Length, mix.Select(o => o.OutcomeStage).Distinct().Count());
        Assert.Contains(mix, o => o.LastValidatedAt is null);
        Assert.Contains(mix, o => o.IsOpen && o.TargetDate < DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.Contains(mix, o => o.HealthOverride is not null);
        var confirmed = (await db.Confirmations.Where(c => c.VoidedAt == null).Select(c => c.ObjectiveId).ToListAsync(ct)).ToHashSet();
        Assert.All(mix.Where(o => o.OutcomeStage == OutcomeStage.Verified), o => Assert.Contains(o.Id, confirmed));

        // Verified outcomes carry the day they were verified, so the portfolio can count them per quarter.
        Assert.All(mix.Where(o => o.OutcomeStage != OutcomeStage.Proposed), o => Assert.NotNull(o.OutcomeStageSince));

        // The book-of-business facts: commercial terms, a year of adoption, support counts and health history.
        var book = await db.Accounts.Where(a => accounts.Contains(a.Id)).ToListAsync(ct);
        Assert.All(book, a => Assert.True(a.Arr > 0 && a.RenewalDate is not null && a.ExternalId is { Length: 18 } && a.Industry is not null, a.Name));
        var adoption = await db.AdoptionFigures.Where(f => accounts.Contains(f.AccountId)).ToListAsync(ct);
        Assert.Equal(accounts.Order(), adoption.Select(f => f.AccountId).Distinct().Order());
        Assert.All(adoption, f => Assert.InRange(f.ActiveUsers, 0, f.LicensedUsers));
        Assert.Equal(accounts.Count * 6, await db.SupportFigures.CountAsync(f => accounts.Contains(f.AccountId), ct));
        var snapshots = await db.HealthSnapshots.Where(h => accounts.Contains(h.AccountId)).ToListAsync(ct);
        Assert.Equal(accounts.Count * 9, snapshots.Count);
        Assert.Equal(3, snapshots.Select(h => h.Grade).Distinct().Count());

        // Every account was kicked off; held meetings are on the timeline, and some are still to come.
        var meetings = await db.Meetings.Where(m => accounts.Contains(m.AccountId)).ToListAsync(ct);
        Assert.All(accounts, a => Assert.Contains(meetings, m => m.AccountId == a && m.Kind == MeetingKind.Kickoff && m.IsHeld));
        var recorded = meetings.Where(m => m.IsHeld).Select(m => m.ActivityId).ToList();
        Assert.Equal(recorded.Count, await db.Activities.CountAsync(a => recorded.Contains(a.Id), ct));
        Assert.Contains(meetings, m => m.Kind == MeetingKind.BusinessReview && m.IsHeld);
        Assert.Contains(meetings, m => !m.IsHeld && m.ScheduledFor > DateTime.UtcNow);

        // Teams of AccountsPerCsm accounts, one CSM each.
        var csms = await db.Users.Where(u => u.Role == UserRole.CustomerSuccessManager && u.Email!.EndsWith("@" + ScaleData.Domain)).Select(u => u.Id).ToListAsync(ct);
        Assert.Equal(Accounts / AccountsPerCsm, csms.Count);
        foreach (var csm in csms)
        {
            Assert.Equal(AccountsPerCsm, await db.TeamMembers.CountAsync(t => t.UserId == csm, ct));
        }
    }

    [Fact]
    public async Task A_generated_csm_signs_in_with_the_demo_password_and_sees_only_their_accounts()
    {
        await LoadOnceAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var db = App.SystemDb();
        var csm = await db.Users.SingleAsync(u => u.Email == ScaleData.CsmEmail(2), ct);
        var theirs = await db.TeamMembers.Where(t => t.UserId == csm.Id).Select(t => t.AccountId).ToListAsync(ct);
        var other = await db.Plans.Where(p => !theirs.Contains(p.AccountId) && p.Title.Contains(" 000")).Select(p => p.Id).FirstAsync(ct);
        var plan = await db.Plans.Where(p => theirs.Contains(p.AccountId)).OrderBy(p => p.Id).FirstAsync(ct);
        var objectives = await db.Objectives.CountAsync(o => o.PlanId == plan.Id, ct);

        // The pages: the demo password works for a generated user, and their plan renders.
        var browser = await App.SignInToPagesAsync(ScaleData.CsmEmail(2), DemoData.Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/plans/{plan.Id}", ct)).StatusCode);

        var client = await ClientAsync(csm.Id);
        var page = await client.GetJsonAsync("accounts?limit=100");
        Assert.Equal(theirs.Order(), page["items"]!.AsArray().Select(a => a.Str("id")).Order());

        var read = await client.GetJsonAsync($"plans/{plan.Id}");
        Assert.Equal(objectives, read["objectives"]!.AsArray().Count);
        var objective = read["objectives"]![0]!.Str("id");
        Assert.Equal(objective, (await client.GetJsonAsync($"objectives/{objective}")).Id());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"plans/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("compliance/csp")).StatusCode);

        var admin = await ClientAsync(await db.Users.Where(u => u.Email == ScaleData.AdminEmail).Select(u => u.Id).SingleAsync(ct));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"plans/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("compliance/csp")).StatusCode);
    }

    [Fact]
    public async Task A_second_load_into_the_same_database_is_refused()
    {
        await LoadOnceAsync();
        Assert.Null(await ScaleData.LoadAsync(App.Services, 1, cancellationToken: TestContext.Current.CancellationToken));
    }

    private async Task<ApiClient> ClientAsync(string userId)
    {
        await using var db = App.SystemDb();
        var (_, token) = await PersonalAccessTokens.CreateAsync(db, userId, TimeProvider.System, CancellationToken.None);
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiClient(client, userId, UserRole.CustomerSuccessManager);
    }
}

public sealed class SqliteScaleDataTests(SqliteApp app) : ScaleDataTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresScaleDataTests(PostgresApp app) : ScaleDataTests(app), IClassFixture<PostgresApp>;
