using System.Net;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Nobody sees an account they are not entitled to, through any door of the API.</summary>
public abstract class AccessTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task Without_a_token_every_api_path_is_401()
    {
        var s = await Scenario.CreateAsync(App);
        var anonymous = App.Anonymous();
        foreach (var path in s.RecordPaths().Append("accounts").Append("plans").Append("audit"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        anonymous.Http.DefaultRequestHeaders.Authorization = new("Bearer", "vrt_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("accounts")).StatusCode);
    }

    [Fact]
    public async Task A_csm_not_on_the_team_gets_404_for_every_record_and_sees_none_in_lists()
    {
        var s = await Scenario.CreateAsync(App);
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);

        foreach (var path in s.RecordPaths().Append($"audit?entityId={s.AccountId}"))
        {
            var response = await outsider.GetAsync(path);
            if (path.StartsWith("audit", StringComparison.Ordinal))
            {
                Assert.Empty((await response.ExpectJsonAsync(HttpStatusCode.OK))["items"]!.AsArray());
            }
            else
            {
                await response.ExpectProblemAsync(HttpStatusCode.NotFound);
            }
        }

        Assert.DoesNotContain(s.AccountId, Scenario.ItemIds(await outsider.GetJsonAsync("accounts?limit=500")));
        Assert.DoesNotContain(s.PlanId, Scenario.ItemIds(await outsider.GetJsonAsync("plans?limit=500")));
        Assert.DoesNotContain(s.OpportunityId, Scenario.ItemIds(await outsider.GetJsonAsync("opportunities?limit=500")));
        Assert.Empty((await outsider.GetJsonAsync($"plans?accountId={s.AccountId}"))["items"]!.AsArray());

        // Writes are refused the same way, and change nothing.
        await (await outsider.PatchAsync($"accounts/{s.AccountId}", new { name = "Hijacked" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PostAsync($"plans/{s.PlanId}/objectives", new { title = "Sneaky" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PostAsync("plans", new { accountId = s.AccountId, title = "Sneaky" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.DeleteAsync($"objectives/{s.ObjectiveId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.NotEqual("Hijacked", (await s.Csm.GetJsonAsync($"accounts/{s.AccountId}")).Str("name"));
        Assert.Single((await s.Csm.GetJsonAsync($"plans/{s.PlanId}/objectives"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Managers_directors_and_admins_see_every_account()
    {
        var s = await Scenario.CreateAsync(App);
        foreach (var role in new[] { UserRole.Admin, UserRole.Director, UserRole.Manager })
        {
            var user = await App.SignInAsync(role);
            foreach (var path in s.RecordPaths())
            {
                Assert.True((await user.GetAsync(path)).IsSuccessStatusCode, $"{role} could not read {path}");
            }
        }
    }

    [Fact]
    public async Task Joining_and_leaving_the_team_grants_and_withdraws_access()
    {
        var s = await Scenario.CreateAsync(App);
        var sa = await App.SignInAsync(UserRole.SolutionsArchitect);
        Assert.Equal(HttpStatusCode.NotFound, (await sa.GetAsync($"plans/{s.PlanId}")).StatusCode);
        await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = sa.UserId, role = "solutionsArchitect" },
        });
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync($"plans/{s.PlanId}")).StatusCode);
        await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new[] { new { userId = s.Csm.UserId, role = "customerSuccessManager" } });
        Assert.Equal(HttpStatusCode.NotFound, (await sa.GetAsync($"plans/{s.PlanId}")).StatusCode);
    }

    [Fact]
    public async Task A_customer_reads_only_their_own_account_and_cannot_write()
    {
        var s = await Scenario.CreateAsync(App);
        var other = await Scenario.CreateAsync(App);
        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);

        Assert.Equal([s.AccountId], Scenario.ItemIds(await customer.GetJsonAsync("accounts")));
        var plan = await customer.GetJsonAsync($"plans/{s.PlanId}");
        Assert.Equal(s.ObjectiveId, plan["objectives"]![0].Str("id"));
        await (await customer.GetAsync($"plans/{other.PlanId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await customer.GetAsync($"accounts/{other.AccountId}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // What stays on the vendor's side: internal notes, deal figures, the audit trail.
        var timeline = Scenario.ItemIds(await customer.GetJsonAsync($"accounts/{s.AccountId}/activities")).ToList();
        Assert.Contains(s.ActivityId, timeline);
        Assert.DoesNotContain(s.InternalActivityId, timeline);
        await (await customer.GetAsync($"activities/{s.InternalActivityId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await customer.GetAsync($"opportunities/{s.OpportunityId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await customer.GetJsonAsync($"audit?entityId={s.PlanId}"))["items"]!.AsArray());
        await (await customer.GetAsync($"accounts/{s.AccountId}/lifecycle")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.GetAsync($"opportunities/{s.OpportunityId}/close-plan")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await customer.GetJsonAsync("compliance/csp"))["items"]!.AsArray());

        await (await customer.PatchAsync($"plans/{s.PlanId}", new { title = "Ours now" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.PostAsync($"plans/{s.PlanId}/objectives", new { title = "Ours" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.PostAsync($"accounts/{s.AccountId}/activities", new { type = "note", summary = "hi" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.PostAsync("accounts", new { name = "Mine" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.PostAsync($"metrics/{s.MetricId}/measurements", new { value = 9, at = "2026-07-01" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Acme — Mutual Success Plan", (await s.Csm.GetJsonAsync($"plans/{s.PlanId}")).Str("title"));
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteAccessTests(SqliteApp app) : AccessTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresAccessTests(PostgresApp app) : AccessTests(app);
