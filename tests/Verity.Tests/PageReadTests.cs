using System.Net;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Pages read like the API: a fixed number of SQL commands, however big the plan.</summary>
public abstract class PageReadTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task The_plan_page_issues_the_same_number_of_sql_commands_for_one_objective_or_ten()
    {
        var s = await Scenario.CreateAsync(App);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager, password: "correct horse battery staple");
        await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = csm.UserId, role = "customerSuccessManager" },
        });
        var browser = await App.SignInToPagesAsync(csm.Email!, "correct horse battery staple");

        var small = await CountAsync(browser, s.PlanId);
        for (var o = 0; o < 9; o++)
        {
            var objective = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = $"Objective {o} from 2 to 10" });
            for (var m = 0; m < 3; m++)
            {
                var metric = await s.Csm.CreateAsync($"objectives/{objective.Id()}/metrics", new { name = $"Metric {m}", baseline = new { value = 1 }, target = new { value = 5 } });
                await s.Csm.CreateAsync($"metrics/{metric.Id()}/measurements", new { value = 2, at = "2026-03-01" });
            }

            for (var i = 0; i < 5; i++)
            {
                await s.Csm.CreateAsync($"objectives/{objective.Id()}/initiatives", new { title = $"Initiative {i}", ownerId = s.Csm.UserId });
            }
        }

        var large = await CountAsync(browser, s.PlanId);
        Assert.Equal(small, large);
        // The budget: the plan's reads (PlanView), the comment thread, the page's own lookups, the open-findings count,
        // the journey's (its plan, milestones, objectives, team, customer stakeholders, other owners) and the guide's
        // customer-side stakeholders.
        Assert.InRange(large, 1, 20);
    }

    [Fact]
    public async Task The_accounts_page_issues_the_same_number_of_sql_commands_for_one_account_or_many()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager, password: "correct horse battery staple");
        var browser = await App.SignInToPagesAsync(csm.Email!, "correct horse battery staple");

        async Task AddAccountAsync(int n)
        {
            var account = await manager.CreateAsync("accounts", new { name = $"Counted {n} {Ids.New()[^6..]}", arr = 1000 * n, renewalDate = "2027-01-31" });
            await manager.PutAsync($"accounts/{account.Id()}/team", new[] { new { userId = csm.UserId, role = "customerSuccessManager" } });
            await csm.CreateAsync($"accounts/{account.Id()}/activities", new { type = "call", summary = "Sync.", visibility = "customer" });
            await csm.CreateAsync($"accounts/{account.Id()}/health-checks", new { checkedOn = "2026-11-01", adoption = 60, sentiment = "neutral", overall = "yellow" });
            var plan = await csm.CreateAsync("plans", new { accountId = account.Id(), title = "Plan" });
            await csm.CreateAsync($"plans/{plan.Id()}/objectives", new { title = $"Objective {n} from 2 to 10" });
        }

        await AddAccountAsync(0);
        var one = await CountPageAsync(browser, "/accounts");
        for (var n = 1; n < 8; n++)
        {
            await AddAccountAsync(n);
        }

        var many = await CountPageAsync(browser, "/accounts");
        Assert.Equal(one, many);
        Assert.InRange(many, 1, 20);
    }

    [Fact]
    public async Task The_account_page_issues_the_same_number_of_sql_commands_for_a_small_account_or_a_big_one()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager, password: "correct horse battery staple");
        var executive = await App.SignInAsync(UserRole.AccountExecutive);
        var browser = await App.SignInToPagesAsync(csm.Email!, "correct horse battery staple");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        async Task<string> OpenAsync(string name, int records, bool withExecutive)
        {
            var account = await manager.CreateAsync("accounts", new { name = $"{name} {Ids.New()[^6..]}", arr = 1000 });
            var team = new List<object> { new { userId = csm.UserId, role = "customerSuccessManager" } };
            if (withExecutive)
            {
                team.Add(new { userId = executive.UserId, role = "accountExecutive" });
            }

            (await manager.PutAsync($"accounts/{account.Id()}/team", team)).EnsureSuccessStatusCode();
            var id = account.Id();
            var plans = new List<string>();
            for (var n = 0; n < records; n++)
            {
                await csm.CreateAsync($"accounts/{id}/stakeholders", new { name = $"Stakeholder {n}", side = n % 3 == 0 ? "vendor" : "customer", role = "other" });
                if (n < 3)
                {
                    plans.Add((await csm.CreateAsync("plans", new { accountId = id, title = $"Plan {n}" })).Id());
                }

                var objective = await csm.CreateAsync($"plans/{plans[n % plans.Count]}/objectives", new { title = $"Objective {n} from 2 to 10" });
                (await csm.PostAsync($"objectives/{objective.Id()}/transitions", new { to = "workInProgress" })).EnsureSuccessStatusCode();
                var metric = await csm.CreateAsync($"objectives/{objective.Id()}/metrics", new { name = $"Metric {n}", baseline = new { value = 1 }, target = new { value = 5 } });
                await csm.CreateAsync($"metrics/{metric.Id()}/measurements", new { value = 2, at = Iso(today.AddDays(-n)) });
                await csm.CreateAsync($"objectives/{objective.Id()}/activities", new { type = "cadenceCall", summary = $"Call {n}.", visibility = "customer", attendeeUserIds = new[] { csm.UserId } });
                await csm.CreateAsync($"accounts/{id}/activities", new { type = "note", summary = $"Note {n}." });
                await csm.CreateAsync($"accounts/{id}/meetings", new { kind = "cadenceCall", scheduledFor = $"{Iso(today.AddDays(n + 1))}T15:00:00Z", attendeeUserIds = new[] { csm.UserId } });
                var held = await csm.CreateAsync($"accounts/{id}/meetings", new { kind = "businessReview", scheduledFor = $"{Iso(today.AddDays(-n - 1))}T15:00:00Z" });
                (await csm.PatchAsync($"meetings/{held.Id()}", new { heldOn = Iso(today.AddDays(-n - 1)), notes = "Held." })).EnsureSuccessStatusCode();
                await csm.CreateAsync($"accounts/{id}/health-checks", new { checkedOn = Iso(today.AddDays(-n)), adoption = 60 + n, sentiment = "neutral", overall = "yellow" });
                await csm.CreateAsync("opportunities", new { accountId = id, name = $"Opportunity {n}", type = "growth", stage = "technicalEvaluation", netArr = 1000 * (n + 1) });
            }

            // Each feature's history over the year, and support figures and use cases to match.
            (await csm.PutAsync($"accounts/{id}/adoption", Enumerable.Range(0, records).SelectMany(n => Enumerable.Range(0, 3).Select(m =>
                new { feature = $"Feature {n}", at = Iso(today.AddDays(-100 * m)), licensedUsers = 100, activeUsers = 40 + n + m }))))
                .EnsureSuccessStatusCode();
            (await csm.PutAsync($"accounts/{id}/support", Enumerable.Range(0, records).Select(n =>
                new { at = Iso(today.AddDays(-7 * n)), open = 3, closed = 5, critical = n == 0 ? 1 : 0, enhancementRequests = 1 })))
                .EnsureSuccessStatusCode();
            (await csm.PutAsync($"accounts/{id}/use-cases", Enumerable.Range(0, records).Select(n => new { name = $"Use case {n}", stage = "piloting" })))
                .EnsureSuccessStatusCode();
            return id;
        }

        var small = await OpenAsync("Small", 1, withExecutive: false);
        var big = await OpenAsync("Big", 12, withExecutive: true);
        // The first read of the day keeps the health snapshot: a write, once, that a second read does not repeat.
        await CountPageAsync(browser, $"/accounts/{small}");
        await CountPageAsync(browser, $"/accounts/{big}");

        var one = await CountPageAsync(browser, $"/accounts/{small}");
        var many = await CountPageAsync(browser, $"/accounts/{big}");
        Assert.Equal(one, many);
        // The budget: the account, its team, stakeholders, objectives, opportunities, plans, the templates, the open
        // findings, the activities, each read once and handed to every section that shows them; the lifecycle's own
        // (written close-plan elements, a recent cadence, the steps checked by hand), the portal users, the health
        // checks, adoption (each feature's latest and the year's, in one read), use cases, support figures, the health
        // score's own (the open objectives' metrics and last activity, the last customer contact, the snapshots) and the
        // meetings (to come and held, in one read).
        Assert.InRange(many, 1, 22);

        // Read once, shown everywhere: every stakeholder, objective and opportunity, and the score the API gives.
        var page = await browser.GetStringAsync($"/accounts/{big}", TestContext.Current.CancellationToken);
        Assert.All(Enumerable.Range(0, 12), n =>
        {
            Assert.Contains($"Stakeholder {n}", page);
            Assert.Contains($"Objective {n} from 2 to 10", page);
            Assert.Contains($"Opportunity {n}", page);
        });
        var health = await csm.GetJsonAsync($"accounts/{big}/health");
        Assert.Contains($"<span class=\"score\">{health["score"]!.GetValue<int>()}</span>", page);
        Assert.All(health["measures"]!.AsArray(), m => Assert.Contains($"<td data-label=\"Seen\">{System.Net.WebUtility.HtmlEncode(m!["value"]!.GetValue<string>())}</td>", page));
    }

    [Fact]
    public async Task Your_week_issues_the_same_number_of_sql_commands_for_one_account_or_many()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager, password: "correct horse battery staple");
        var browser = await App.SignInToPagesAsync(csm.Email!, "correct horse battery staple");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        async Task AddAccountAsync(int n)
        {
            var account = await manager.CreateAsync("accounts", new { name = $"Weekly {n} {Ids.New()[^6..]}", arr = 1000 * (n + 1), renewalDate = Iso(today.AddDays(20 + n)) });
            await manager.PutAsync($"accounts/{account.Id()}/team", new[] { new { userId = csm.UserId, role = "customerSuccessManager" } });
            var plan = await csm.CreateAsync("plans", new { accountId = account.Id(), title = $"Plan {n}" });
            var objective = await csm.CreateAsync($"plans/{plan.Id()}/objectives", new { title = $"Objective {n} from 2 to 10", targetDate = Iso(today.AddDays(10 + n)) });
            await csm.CreateAsync($"objectives/{objective.Id()}/initiatives", new { title = $"Late initiative {n}", ownerId = csm.UserId, dueDate = Iso(today.AddDays(-3 - n)) });
        }

        await AddAccountAsync(0);
        var one = await CountPageAsync(browser, "/");
        for (var n = 1; n < 6; n++)
        {
            await AddAccountAsync(n);
        }

        var many = await CountPageAsync(browser, "/");
        Assert.Equal(one, many);
        // The caller's sign-in, the sections' reads (meetings, findings, initiatives, milestones, objectives, plans,
        // renewals), the accounts' names and the findings' objective titles.
        Assert.InRange(many, 1, 14);
        var late = (await csm.GetJsonAsync("me/work"))["sections"]!.AsArray().Single(x => x!["key"]!.GetValue<string>() == "overdueInitiatives")!["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 6).Reverse().Select(n => $"Late initiative {n} — due {Iso(today.AddDays(-3 - n))}"), late.Select(i => i!["text"]!.GetValue<string>()));
    }

    private async Task<int> CountPageAsync(HttpClient browser, string path)
    {
        var key = Ids.New();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(VerityApp.CountHeader, key);
        var response = await browser.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return App.Sql.CountFor(key);
    }

    private async Task<int> CountAsync(HttpClient browser, string planId)
    {
        var key = Ids.New();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/plans/{planId}");
        request.Headers.Add(VerityApp.CountHeader, key);
        var response = await browser.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<svg", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return App.Sql.CountFor(key);
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqlitePageReadTests(SqliteApp app) : PageReadTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresPageReadTests(PostgresApp app) : PageReadTests(app);
