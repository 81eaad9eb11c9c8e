using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The portfolio and the accounts list keep their figures until the book changes: a write shows right after it, a CSM's
/// kept figures never reach another CSM, a change made on another node shows once that node's stamp moves, and the
/// page says when the figures were computed.
/// </summary>
public abstract class BookFiguresTests(VerityApp app) : ApiTests(app)
{
    private const string Password = "correct horse battery staple";

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int Int(JsonObject folio, string name) => folio[name]!.GetValue<int>();

    private static decimal Arr(JsonObject folio) => folio["arr"]!.GetValue<decimal>();

    /// <summary>An account of this CSM's, opened by the manager.</summary>
    private static async Task<string> OpenAsync(ApiClient manager, ApiClient csm, string name, decimal arr)
    {
        var account = await manager.CreateAsync("accounts", new { name, segment = "midMarket", arr, renewalDate = Iso(Today.AddDays(20)) });
        (await manager.PutAsync($"accounts/{account.Id()}/team", new[] { new { userId = csm.UserId, role = "customerSuccessManager" } })).EnsureSuccessStatusCode();
        return account.Id();
    }

    [Fact]
    public async Task A_write_shows_in_the_whole_book_right_after_it()
    {
        var director = await App.SignInAsync(UserRole.Director);
        var manager = await App.SignInAsync(UserRole.Manager);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var tag = Ids.New()[^6..];

        // The whole book, read twice: the second answer is the kept one (the same moment).
        var before = await director.GetJsonAsync("portfolio");
        Assert.Equal(before.Str("computedAt"), (await director.GetJsonAsync("portfolio")).Str("computedAt"));

        // A new account: in the whole book's count, ARR, renewals and CSV at once.
        var account = await OpenAsync(manager, csm, $"Kept figures {tag}", 12_345m);
        var after = await director.GetJsonAsync("portfolio");
        Assert.Equal(Int(before, "accounts") + 1, Int(after, "accounts"));
        Assert.Equal(Arr(before) + 12_345m, Arr(after));
        Assert.Equal(Int(before, "renewalsCount") + 1, Int(after, "renewalsCount"));
        Assert.True(DateTime.Parse(after.Str("computedAt"), CultureInfo.InvariantCulture) >= DateTime.Parse(before.Str("computedAt"), CultureInfo.InvariantCulture));
        var csv = await (await director.GetAsync("portfolio.csv")).Content.ReadAsStringAsync();
        Assert.Contains(account, csv, StringComparison.Ordinal);

        // An objective moved: the status counts follow.
        var plan = await csm.CreateAsync("plans", new { accountId = account, title = "Kept plan" });
        var objective = await csm.CreateAsync($"plans/{plan.Id()}/objectives", new
        {
            title = "Cut onboarding from 30 days to 5", kind = "quantitative", successCriteria = "Measured monthly", businessImpact = "Faster revenue", targetDate = Iso(Today.AddMonths(4)),
        });
        var opened = await director.GetJsonAsync("portfolio");
        Assert.Equal(before["objectivesByStatus"]!["new"]!.GetValue<int>() + 1, opened["objectivesByStatus"]!["new"]!.GetValue<int>());
        (await csm.PostAsync($"objectives/{objective.Id()}/transitions", new { to = "workInProgress" })).EnsureSuccessStatusCode();
        var moved = await director.GetJsonAsync("portfolio");
        Assert.Equal(opened["objectivesByStatus"]!["new"]!.GetValue<int>() - 1, moved["objectivesByStatus"]!["new"]!.GetValue<int>());
        Assert.Equal(opened["objectivesByStatus"]!["workInProgress"]!.GetValue<int>() + 1, moved["objectivesByStatus"]!["workInProgress"]!.GetValue<int>());

        // A triage run writes its findings in batches and moves the book once, at its end: the open findings are in
        // the whole book's CSV right after the run.
        var findingsBefore = OpenFindings(await (await director.GetAsync("portfolio.csv")).Content.ReadAsStringAsync(), account);
        (await manager.PostAsync("triage/runs", new { })).EnsureSuccessStatusCode();
        var found = (await manager.GetJsonAsync($"findings?accountId={account}&status=open"))["items"]!.AsArray().Count;
        Assert.True(found > 0, "The triage found nothing to say about a new objective without owner or metric.");
        Assert.Equal(0, findingsBefore);
        Assert.Equal(found, OpenFindings(await (await director.GetAsync("portfolio.csv")).Content.ReadAsStringAsync(), account));

        // The day's health snapshot is written by SQL of its own (the first health read of the day): scored at once.
        var mine = await csm.GetJsonAsync("portfolio");
        Assert.Equal(1, mine["healthMix"]!["unscored"]!.GetValue<int>());
        await csm.GetJsonAsync($"accounts/{account}/health");
        Assert.Equal(0, (await csm.GetJsonAsync("portfolio"))["healthMix"]!["unscored"]!.GetValue<int>());

        // An import writes through the bulk loader, past the change tracker: in the whole book right after.
        var admin = await App.SignInAsync(UserRole.Admin);
        var imported = await admin.GetJsonAsync("portfolio");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"NAME;id;ARR\nImported kept {tag};{ImportTests.SalesforceLike()};7000\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        (await admin.Http.PostAsync("/api/v1/imports/accounts", new MultipartFormDataContent { { file, "file", "import.csv" } }, TestContext.Current.CancellationToken))
            .EnsureSuccessStatusCode();
        var afterImport = await admin.GetJsonAsync("portfolio");
        Assert.Equal(Int(imported, "accounts") + 1, Int(afterImport, "accounts"));
        Assert.Equal(Arr(imported) + 7000m, Arr(afterImport));
    }

    /// <summary>The "Open findings" cell of an account's row in the portfolio CSV.</summary>
    private static int OpenFindings(string csv, string accountId)
    {
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var column = Array.IndexOf(lines[0].TrimEnd('\r').Split(','), "Open findings");
        var row = lines.Single(l => l.StartsWith(accountId + ",", StringComparison.Ordinal));
        return int.Parse(row.TrimEnd('\r').Split(',')[column], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_csms_kept_figures_never_reach_another_csm()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var ana = await App.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var ben = await App.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var tag = Ids.New()[^6..];
        var anas = new[] { await OpenAsync(manager, ana, $"Ana one {tag}", 100_000m), await OpenAsync(manager, ana, $"Ana two {tag}", 50_000m) };
        var bens = await OpenAsync(manager, ben, $"Ben one {tag}", 70_000m);

        // Right after each other, then all at once: each sees only their own book, in the API, the CSV and the pages.
        for (var round = 0; round < 2; round++)
        {
            var a = await ana.GetJsonAsync("portfolio");
            var b = await ben.GetJsonAsync("portfolio");
            Assert.Equal((2, 150_000m), (Int(a, "accounts"), Arr(a)));
            Assert.Equal((1, 70_000m), (Int(b, "accounts"), Arr(b)));
        }

        var together = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? ana : ben).GetJsonAsync("portfolio")));
        for (var i = 0; i < together.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? 2 : 1, Int(together[i], "accounts"));
        }

        var anaCsv = await (await ana.GetAsync("portfolio.csv")).Content.ReadAsStringAsync();
        var benCsv = await (await ben.GetAsync("portfolio.csv")).Content.ReadAsStringAsync();
        Assert.All(anas, id => Assert.Contains(id, anaCsv, StringComparison.Ordinal));
        Assert.DoesNotContain(bens, anaCsv, StringComparison.Ordinal);
        Assert.Contains(bens, benCsv, StringComparison.Ordinal);
        Assert.All(anas, id => Assert.DoesNotContain(id, benCsv, StringComparison.Ordinal));

        var anaPages = await PagesAsync(ana);
        var benPages = await PagesAsync(ben);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var anaList = await anaPages.GetStringAsync("/accounts", TestContext.Current.CancellationToken);
            var benList = await benPages.GetStringAsync("/accounts", TestContext.Current.CancellationToken);
            Assert.All(anas, id => Assert.Contains($"/accounts/{id}\"", anaList, StringComparison.Ordinal));
            Assert.DoesNotContain($"/accounts/{bens}\"", anaList, StringComparison.Ordinal);
            Assert.Contains($"/accounts/{bens}\"", benList, StringComparison.Ordinal);
            Assert.All(anas, id => Assert.DoesNotContain($"/accounts/{id}\"", benList, StringComparison.Ordinal));
        }

        // Ben joins one of Ana's teams: his kept figures (and list) grow at once; Ana's stay hers.
        (await manager.PutAsync($"accounts/{anas[1]}/team", new[]
        {
            new { userId = ana.UserId, role = "customerSuccessManager" },
            new { userId = ben.UserId, role = "accountExecutive" },
        })).EnsureSuccessStatusCode();
        Assert.Equal((2, 120_000m), (Int(await ben.GetJsonAsync("portfolio"), "accounts"), Arr(await ben.GetJsonAsync("portfolio"))));
        Assert.Equal(2, Int(await ana.GetJsonAsync("portfolio"), "accounts"));
        Assert.Contains($"/accounts/{anas[1]}\"", await benPages.GetStringAsync("/accounts", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portfolio_page_says_when_its_figures_were_computed()
    {
        var manager = await App.SignInAsync(UserRole.Manager, password: Password);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager);
        await OpenAsync(manager, csm, $"Page kept {Ids.New()[^6..]}", 1_000m);
        var pages = await PagesAsync(manager);

        var started = DateTime.UtcNow.AddSeconds(-1);
        var page = await pages.GetStringAsync($"/portfolio?ownerId={csm.UserId}", TestContext.Current.CancellationToken);
        var shown = System.Text.RegularExpressions.Regex.Match(page, "data-computed-at=\"([^\"]+)\">Figures as of ([0-9-]+ [0-9:]+) UTC");
        Assert.True(shown.Success, "The page says when its figures were computed.");
        var at = DateTime.Parse(shown.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.InRange(at, started.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), shown.Groups[2].Value);

        // The API asked for the same figures right after answers the same moment.
        var api = DateTime.Parse((await manager.GetJsonAsync($"portfolio?ownerId={csm.UserId}")).Str("computedAt"), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.Equal(at, api.AddTicks(-(api.Ticks % TimeSpan.TicksPerSecond)));
    }

    [Fact]
    public async Task A_change_made_on_another_node_shows_when_its_stamp_moves()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var account = await OpenAsync(manager, csm, $"Other node {Ids.New()[^6..]}", 5_000m);
        Assert.Equal(5_000m, Arr(await csm.GetJsonAsync("portfolio")));

        // Another node writes (here: past this node's change tracker) and moves the book's version, as its own save would.
        await using (var db = App.SystemDb())
        {
            await db.Accounts.Where(a => a.Id == account).ExecuteUpdateAsync(a => a.SetProperty(x => x.Arr, 9_000m), TestContext.Current.CancellationToken);
            Assert.Equal(5_000m, Arr(await csm.GetJsonAsync("portfolio")));
            await db.Database.ExecuteSqlRawAsync(
                """INSERT INTO "AccessStamps" ("Id", "Version") VALUES (2, 1) ON CONFLICT ("Id") DO UPDATE SET "Version" = "AccessStamps"."Version" + 1""",
                TestContext.Current.CancellationToken);
        }

        // Every node reads the version every two seconds.
        var until = DateTime.UtcNow.AddSeconds(10);
        decimal arr;
        while ((arr = Arr(await csm.GetJsonAsync("portfolio"))) != 9_000m && DateTime.UtcNow < until)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Equal(9_000m, arr);
    }

    private async Task<HttpClient> PagesAsync(ApiClient user)
    {
        var browser = App.Browser(new CookieContainer());
        await VerityApp.PostSignInAsync(browser, user.Email!, Password);
        return browser;
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteBookFiguresTests(SqliteApp app) : BookFiguresTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresBookFiguresTests(PostgresApp app) : BookFiguresTests(app);
