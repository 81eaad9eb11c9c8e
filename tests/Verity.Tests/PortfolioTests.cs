using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The portfolio's figures, checked against a book built here and counted by the test itself: a fresh CSM owns
/// exactly these accounts, so the owner filter isolates them from every other test's data.
/// </summary>
public abstract class PortfolioTests(VerityApp app) : ApiTests(app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record Book(ApiClient Manager, ApiClient Csm, string[] Accounts, string[] Objectives);

    /// <summary>Three accounts owned by one CSM: renewing in 10, 30 and 200 days; one verified outcome, one red health check, one overdue initiative.</summary>
    private async Task<Book> BuildAsync()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var tag = Ids.New()[^6..];
        var specs = new[] { ("strategic", 300_000m, 10), ("midMarket", 120_000m, 30), ("strategic", 80_000m, 200) };
        var accounts = new List<string>();
        foreach (var (segment, arr, renewIn) in specs)
        {
            var account = await manager.CreateAsync("accounts", new { name = $"Folio {segment} {arr} {tag}", segment, arr, renewalDate = Iso(Today.AddDays(renewIn)) });
            (await manager.PutAsync($"accounts/{account.Id()}/team", new[] { new { userId = csm.UserId, role = "customerSuccessManager" } })).EnsureSuccessStatusCode();
            accounts.Add(account.Id());
        }

        // Account 0: a plan with three objectives, one of them verified today with the customer's confirmation.
        var stakeholder = await csm.CreateAsync($"accounts/{accounts[0]}/stakeholders", new { name = "Priya Raman", side = "customer", role = "executiveSponsor" });
        var plan = await csm.CreateAsync("plans", new { accountId = accounts[0], title = "Folio plan" });
        var objectives = new List<string>();
        foreach (var title in new[] { "Cut release time from 10 days to 2", "Onboard 40 teams by June", "Halve support tickets" })
        {
            objectives.Add((await csm.CreateAsync($"plans/{plan.Id()}/objectives", new
            {
                title, kind = "quantitative", successCriteria = "Measured weekly", businessImpact = "Faster delivery", targetDate = Iso(Today.AddMonths(6)),
            })).Id());
        }

        await csm.CreateAsync($"objectives/{objectives[0]}/metrics", new
        {
            name = "Release time", unit = "days", direction = "decrease",
            baseline = new { value = 10, at = Iso(Today.AddMonths(-2)) }, target = new { value = 2, by = Iso(Today.AddMonths(6)) },
        });
        foreach (var to in new[] { "workInProgress", "accepted", "delivered" })
        {
            await MoveAsync(csm, objectives[0], to);
        }

        await csm.CreateAsync($"objectives/{objectives[0]}/confirmations",
            new { stakeholderId = stakeholder.Id(), confirmedAt = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), statement = "Two days now." });
        await MoveAsync(csm, objectives[0], "verified");
        await MoveAsync(csm, objectives[1], "workInProgress");
        await csm.CreateAsync($"objectives/{objectives[1]}/initiatives", new { title = "Team onboarding", kind = "enablement", dueDate = Iso(Today.AddDays(-3)) });

        // Account 1 is red; every account is scored today (the first read of the day keeps the snapshot).
        await csm.CreateAsync($"accounts/{accounts[1]}/health-checks", new { adoption = 5, sentiment = "negative", overall = "red" });
        foreach (var id in accounts)
        {
            await csm.GetJsonAsync($"accounts/{id}/health");
        }

        return new Book(manager, csm, [.. accounts], [.. objectives]);
    }

    [Fact]
    public async Task The_portfolio_adds_up_the_accounts_it_covers()
    {
        var book = await BuildAsync();
        var director = await App.SignInAsync(UserRole.Director);
        var folio = await director.GetJsonAsync($"portfolio?ownerId={book.Csm.UserId}");

        Assert.Equal(3, folio["accounts"]!.GetValue<int>());
        Assert.Equal(500_000m, folio["arr"]!.GetValue<decimal>());
        var grades = await Task.WhenAll(book.Accounts.Select(async id => (await book.Csm.GetJsonAsync($"accounts/{id}/health")).Str("grade")));
        foreach (var grade in new[] { "green", "yellow", "red" })
        {
            Assert.Equal(grades.Count(g => g == grade), folio["healthMix"]![grade]!.GetValue<int>());
        }

        Assert.Equal("red", grades[1]);
        Assert.Equal(0, folio["healthMix"]!["unscored"]!.GetValue<int>());
        Assert.Equal(Iso(Today), folio.Str("healthAsOf"));

        Assert.Equal(1, folio["objectivesByStatus"]!["new"]!.GetValue<int>());
        Assert.Equal(2, folio["objectivesByStatus"]!["workInProgress"]!.GetValue<int>());
        Assert.Equal(0, folio["objectivesByStatus"]!["closedSuccess"]!.GetValue<int>());
        Assert.Equal(2, folio["objectivesByStage"]!["proposed"]!.GetValue<int>());
        Assert.Equal(1, folio["objectivesByStage"]!["verified"]!.GetValue<int>());

        var quarters = folio["verifiedPerQuarter"]!.AsArray();
        Assert.Equal(8, quarters.Count);
        var current = quarters[^1]!;
        Assert.Equal($"{Today.Year}-Q{((Today.Month - 1) / 3) + 1}", current.Str("quarter"));
        Assert.Equal(1, current["verified"]!.GetValue<int>());
        Assert.Equal(1, quarters.Sum(q => q!["verified"]!.GetValue<int>()));

        // Renewals in 90 days: the accounts renewing in 10 and 30 days, soonest first, with grade and verified outcomes.
        Assert.Equal(2, folio["renewalsCount"]!.GetValue<int>());
        Assert.Equal(420_000m, folio["renewalsArr"]!.GetValue<decimal>());
        var renewals = folio["renewals"]!.AsArray();
        Assert.Equal([book.Accounts[0], book.Accounts[1]], renewals.Select(r => r!.Str("accountId")));
        Assert.Equal(1, renewals[0]!["verifiedOutcomes"]!.GetValue<int>());
        Assert.Equal("red", renewals[1]!.Str("grade"));

        // Attention: red first, then the account with an overdue initiative; the quiet third account is not listed.
        var attention = folio["attention"]!.AsArray();
        Assert.Equal([book.Accounts[1], book.Accounts[0]], attention.Select(a => a!.Str("accountId")));
        Assert.Contains("Health is red", attention[0]!["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(1, attention[1]!["overdueInitiatives"]!.GetValue<int>());
    }

    [Fact]
    public async Task Compliance_counts_follow_the_rules_of_each_deal()
    {
        var book = await BuildAsync();
        var plan = await book.Csm.CreateAsync("plans", new { accountId = book.Accounts[1], title = "Draft plan" });
        var shared = await book.Csm.CreateAsync("plans", new { accountId = book.Accounts[2], title = "Shared plan" });
        (await book.Csm.PatchAsync($"plans/{shared.Id()}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();
        async Task<string> DealAsync(string account, object extra) =>
            (await book.Csm.CreateAsync("opportunities", Merge(new { accountId = account, name = "Deal " + Ids.New()[^4..], type = "growth", stage = "technicalEvaluation", netArr = 450_000 }, extra))).Id();
        await DealAsync(book.Accounts[0], new { });                                            // missing
        await DealAsync(book.Accounts[1], new { successPlanId = plan.Id() });                  // in progress
        await DealAsync(book.Accounts[2], new { successPlanId = shared.Id() });                // compliant
        var excepted = await DealAsync(book.Accounts[0], new { });                             // exception
        await DealAsync(book.Accounts[0], new { netArr = 10_000, stage = "discovery" });       // not required
        var director = await App.SignInAsync(UserRole.Director);
        (await director.PostAsync($"opportunities/{excepted}/csp-exception", new { justification = "Pilot only; the customer runs it." })).EnsureSuccessStatusCode();

        var compliance = (await director.GetJsonAsync($"portfolio?ownerId={book.Csm.UserId}"))["compliance"]!;
        Assert.Equal(1, compliance["missing"]!.GetValue<int>());
        Assert.Equal(1, compliance["inProgress"]!.GetValue<int>());
        Assert.Equal(1, compliance["compliant"]!.GetValue<int>());
        Assert.Equal(1, compliance["exception"]!.GetValue<int>());
        Assert.Equal(1, compliance["notRequired"]!.GetValue<int>());
    }

    [Fact]
    public async Task Renewals_and_expansion_are_compared_for_accounts_with_and_without_a_verified_outcome()
    {
        var book = await BuildAsync();
        async Task ClosedAsync(string account, string type, string stage, decimal netArr) =>
            await book.Csm.CreateAsync("opportunities", new { accountId = account, name = "Closed " + Ids.New()[^4..], type, stage, netArr });
        await ClosedAsync(book.Accounts[0], "renewal", "closedWon", 300_000);
        await ClosedAsync(book.Accounts[0], "growth", "closedWon", 50_000);
        await ClosedAsync(book.Accounts[1], "renewal", "closedLost", 120_000);
        await ClosedAsync(book.Accounts[2], "renewal", "closedWon", 80_000);
        await ClosedAsync(book.Accounts[2], "growth", "closedLost", 40_000);
        // A renewal the CRM closed two years ago is outside the last 12 months, whenever it was imported.
        await book.Csm.CreateAsync("opportunities", new { accountId = book.Accounts[1], name = "Old renewal", type = "renewal", stage = "closedWon", netArr = 100_000, closeDate = Iso(Today.AddYears(-2)) });

        var result = (await book.Manager.GetJsonAsync($"portfolio?ownerId={book.Csm.UserId}"))["outcomesAndRenewals"]!;
        var proven = result["withVerifiedOutcome"]!;
        Assert.Equal(1, proven["renewals"]!.GetValue<int>());
        Assert.Equal(1.0, proven["renewalWinRate"]!.GetValue<double>());
        Assert.Equal(50_000m, proven["expansionArr"]!.GetValue<decimal>());
        var unproven = result["withoutVerifiedOutcome"]!;
        Assert.Equal(2, unproven["renewals"]!.GetValue<int>());
        Assert.Equal(1, unproven["renewalsWon"]!.GetValue<int>());
        Assert.Equal(0.5, unproven["renewalWinRate"]!.GetValue<double>());
        Assert.Equal(0m, unproven["expansionArr"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Filters_narrow_the_book_and_bad_ones_name_the_field()
    {
        var book = await BuildAsync();
        Assert.Equal(2, (await book.Manager.GetJsonAsync($"portfolio?ownerId={book.Csm.UserId}&segment=strategic"))["accounts"]!.GetValue<int>());
        Assert.Equal(3, (await book.Csm.GetJsonAsync("portfolio?team=mine"))["accounts"]!.GetValue<int>());
        Assert.Equal(3, (await book.Csm.GetJsonAsync("portfolio"))["accounts"]!.GetValue<int>());
        // Another CSM's portfolio does not reach these accounts, whatever owner they name.
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        Assert.Equal(0, (await outsider.GetJsonAsync($"portfolio?ownerId={book.Csm.UserId}"))["accounts"]!.GetValue<int>());

        await (await book.Manager.GetAsync("portfolio?segment=enterprise")).ExpectFieldErrorAsync("segment");
        await (await book.Manager.GetAsync("portfolio?team=ours")).ExpectFieldErrorAsync("team");
        var customer = await App.SignInAsync(UserRole.Customer, book.Accounts[0]);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("portfolio")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("portfolio.csv")).StatusCode);
    }

    [Fact]
    public async Task The_csv_has_one_row_per_account_with_the_portfolios_figures()
    {
        var book = await BuildAsync();
        var response = await book.Manager.GetAsync($"portfolio.csv?ownerId={book.Csm.UserId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Account id,Account,External id,Segment", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        var first = lines.Single(l => l.StartsWith(book.Accounts[0], StringComparison.Ordinal)).Split(',');
        Assert.Equal("Strategic", first[3]);
        Assert.Equal("300000", first[6]);
        Assert.Equal(Iso(Today.AddDays(10)), first[7]);
        Assert.Equal("3", first[11]);   // open objectives: new, in progress, and verified (still open until closed)
        Assert.Equal("1", first[12]);   // verified in 12 months
        Assert.Equal("1", first[14]);   // overdue initiatives
        var red = lines.Single(l => l.StartsWith(book.Accounts[1], StringComparison.Ordinal)).Split(',');
        Assert.Equal("Red", red[8]);
    }

    private static async Task MoveAsync(ApiClient client, string objectiveId, string to)
    {
        var response = await client.PostAsync($"objectives/{objectiveId}/transitions", new { to });
        Assert.True(response.IsSuccessStatusCode, $"to {to}: {await response.Content.ReadAsStringAsync()}");
    }

    private static Dictionary<string, object?> Merge(object a, object b)
    {
        var merged = new Dictionary<string, object?>();
        foreach (var source in new[] { a, b })
        {
            foreach (var p in source.GetType().GetProperties())
            {
                merged[p.Name] = p.GetValue(source);
            }
        }

        return merged;
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqlitePortfolioTests(SqliteApp app) : PortfolioTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresPortfolioTests(PostgresApp app) : PortfolioTests(app);
