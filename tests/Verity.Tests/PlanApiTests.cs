using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Plans and everything under them: objectives, metrics, measurements, initiatives, activities.</summary>
public abstract class PlanApiTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task A_plan_reads_back_with_its_sections_objectives_metrics_and_initiatives()
    {
        var s = await Scenario.CreateAsync(App);
        var plan = await s.Csm.GetJsonAsync($"plans/{s.PlanId}");

        Assert.Equal("mutual", plan.Str("template"));
        Assert.Equal("draft", plan.Str("status"));
        Assert.Equal(s.Csm.UserId, plan.Str("ownerId"));
        Assert.Equal("Releases are slow.", plan["sections"]!["whatWeHeard"].Str("content"));
        var objective = plan["objectives"]!.AsArray().Single()!;
        Assert.Equal("new", objective.Str("status"));
        Assert.Equal("proposed", objective.Str("outcomeStage"));
        Assert.Null(objective["health"]);
        var metric = objective["metrics"]!.AsArray().Single()!;
        Assert.Equal(6, metric["latest"]!["value"]!.GetValue<double>());
        Assert.Equal("2026-06-01", metric["latest"].Str("at"));
        Assert.Equal(0.5, metric["progress"]!.GetValue<double>(), precision: 9);
        var initiative = objective["initiatives"]!.AsArray().Single()!;
        Assert.Equal("Workshop", initiative["tasks"]![0].Str("title"));
    }

    [Fact]
    public async Task Sections_are_patched_by_content_element_key()
    {
        var s = await Scenario.CreateAsync(App);
        var updated = await (await s.Csm.PatchAsync($"plans/{s.PlanId}", new
        {
            status = "sharedWithCustomer",
            sections = new Dictionary<string, object?> { ["businessOutcomes"] = new { content = "Ship 5x faster" }, ["whatWeHeard"] = null },
        })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("sharedWithCustomer", updated.Str("status"));
        var sections = updated["sections"]!.AsObject();
        Assert.Equal(["businessOutcomes"], sections.Select(p => p.Key));

        var bad = await s.Csm.PatchAsync($"plans/{s.PlanId}", new { sections = new Dictionary<string, object> { ["slideDeck"] = new { content = "x" } } });
        await bad.ExpectFieldErrorAsync("sections.slideDeck");
    }

    [Fact]
    public async Task The_template_follows_the_segment_unless_given()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var smb = await manager.CreateAsync("accounts", new { name = "Small shop", segment = "smb" });
        var plan = await manager.CreateAsync("plans", new { accountId = smb.Id(), title = "Plan" });
        Assert.Equal("commercial", plan.Str("template"));
        var custom = await manager.CreateAsync("plans", new { accountId = smb.Id(), title = "Journey", template = "impactJourney" });
        Assert.Equal("impactJourney", custom.Str("template"));
        await (await manager.PostAsync("plans", new { accountId = smb.Id(), title = "Other", template = "12-month impact journey" })).ExpectFieldErrorAsync("template");
    }

    [Fact]
    public async Task Objectives_are_created_updated_listed_and_deleted_with_what_hangs_under_them()
    {
        var s = await Scenario.CreateAsync(App);
        var second = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Migrate to a single DevOps application", kind = "qualitative" });
        Assert.Equal(2, second["priority"]!.GetValue<int>());

        var read = await s.Csm.GetAsync($"objectives/{second.Id()}");
        var patched = await (await s.Csm.PatchAsync($"objectives/{second.Id()}",
            new { targetDate = "2027-03-31", successCriteria = "Old tools switched off" }, read.Headers.ETag!.ToString())).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("2027-03-31", patched.Str("targetDate"));
        Assert.Equal("qualitative", patched.Str("kind"));

        var list = await s.Csm.GetJsonAsync($"plans/{s.PlanId}/objectives");
        Assert.Equal(2, list["items"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.NoContent, (await s.Csm.DeleteAsync($"objectives/{s.ObjectiveId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Csm.GetAsync($"objectives/{s.ObjectiveId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Csm.GetAsync($"metrics/{s.MetricId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Csm.GetAsync($"initiatives/{s.InitiativeId}")).StatusCode);
    }

    [Fact]
    public async Task Stakeholders_of_an_objective_must_belong_to_its_account()
    {
        var s = await Scenario.CreateAsync(App);
        var other = await Scenario.CreateAsync(App);
        var response = await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { stakeholderIds = new[] { other.StakeholderId } });
        await response.ExpectFieldErrorAsync("stakeholderIds");
    }

    [Fact]
    public async Task Metric_progress_follows_the_latest_measurement_in_either_direction()
    {
        var s = await Scenario.CreateAsync(App);
        var metric = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/metrics", new
        {
            name = "Average deployment time",
            unit = "minutes",
            direction = "decrease",
            baseline = new { value = 240, at = "2026-01-01" },
            target = new { value = 20, by = "2026-12-31" },
        });
        Assert.Equal(0, metric["progress"]!.GetValue<double>());
        Assert.Contains("No measurement", metric.Str("progressNote"));

        await s.Csm.CreateAsync($"metrics/{metric.Id()}/measurements", new { value = 75, at = "2026-05-01" });
        await s.Csm.CreateAsync($"metrics/{metric.Id()}/measurements", new { value = 180, at = "2026-02-01" });
        var read = await s.Csm.GetJsonAsync($"metrics/{metric.Id()}");
        Assert.Equal(75, read["latest"]!["value"]!.GetValue<double>());
        Assert.Equal(0.75, read["progress"]!.GetValue<double>(), precision: 9);

        var measurements = await s.Csm.GetJsonAsync($"metrics/{metric.Id()}/measurements");
        Assert.Equal(["2026-02-01", "2026-05-01"], measurements["items"]!.AsArray().Select(m => m.Str("at")));

        var wrongWay = await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/metrics",
            new { name = "Lead time", direction = "increase", baseline = new { value = 12 }, target = new { value = 3 } });
        await wrongWay.ExpectFieldErrorAsync("target.value");
    }

    [Fact]
    public async Task Initiative_tasks_are_kept_in_the_order_given()
    {
        var s = await Scenario.CreateAsync(App);
        var initiative = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/initiatives", new
        {
            title = "Migrate release jobs",
            kind = "migration",
            status = "inProgress",
            ownerStakeholderId = s.StakeholderId,
            tasks = new object[] { new { title = "Inventory" }, new { title = "Move top 20", done = true }, new { title = "Retire Jenkins" } },
        });
        Assert.Equal(["Inventory", "Move top 20", "Retire Jenkins"], initiative["tasks"]!.AsArray().Select(t => t.Str("title")));

        var updated = await (await s.Csm.PatchAsync($"initiatives/{initiative.Id()}",
            new { status = "blocked", tasks = new object[] { new { title = "Inventory", done = true }, new { title = "Retire Jenkins" } } }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("blocked", updated.Str("status"));
        Assert.Equal(["Inventory", "Retire Jenkins"], updated["tasks"]!.AsArray().Select(t => t.Str("title")));
        Assert.True(updated["tasks"]![0]!["done"]!.GetValue<bool>());

        var both = await s.Csm.PatchAsync($"initiatives/{initiative.Id()}", new { ownerId = s.Csm.UserId });
        await both.ExpectFieldErrorAsync("ownerStakeholderId");
        var badTask = await s.Csm.PatchAsync($"initiatives/{initiative.Id()}", new { tasks = new object[] { new { title = "" } } });
        await badTask.ExpectFieldErrorAsync("tasks[0].title");
    }

    [Fact]
    public async Task Activities_land_on_the_timeline_of_the_account_and_the_objective()
    {
        var s = await Scenario.CreateAsync(App);
        var accountTimeline = Scenario.ItemIds(await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/activities")).ToList();
        Assert.Contains(s.ActivityId, accountTimeline);
        Assert.Contains(s.InternalActivityId, accountTimeline);
        var objectiveTimeline = Scenario.ItemIds(await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}/activities")).ToList();
        Assert.Equal([s.ActivityId], objectiveTimeline);

        var note = await s.Csm.GetJsonAsync($"activities/{s.InternalActivityId}");
        Assert.Equal("internal", note.Str("visibility"));
        Assert.Equal(s.Csm.UserId, note.Str("authorId"));

        var calls = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/activities?type=cadenceCall");
        Assert.Equal([s.ActivityId], Scenario.ItemIds(calls));
    }

    [Fact]
    public async Task Stakeholders_and_opportunities_are_created_read_and_updated()
    {
        var s = await Scenario.CreateAsync(App);
        var stakeholders = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/stakeholders?side=customer");
        Assert.Equal([s.StakeholderId], Scenario.ItemIds(stakeholders));
        var updated = await (await s.Csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { role = "economicBuyer" })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("economicBuyer", updated.Str("role"));

        var opportunity = await s.Csm.GetJsonAsync($"opportunities/{s.OpportunityId}");
        Assert.Equal(450000m, opportunity["netArr"]!.GetValue<decimal>());
        Assert.Equal(s.PlanId, opportunity.Str("successPlanId"));
        var moved = await (await s.Csm.PatchAsync($"opportunities/{s.OpportunityId}", new { stage = "proposal", netArr = 500000.5 }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("proposal", moved.Str("stage"));
        Assert.Equal(500000.5m, moved["netArr"]!.GetValue<decimal>());
        var byStage = await s.Csm.GetJsonAsync($"opportunities?accountId={s.AccountId}&stage=proposal");
        Assert.Equal([s.OpportunityId], Scenario.ItemIds(byStage));

        var otherAccount = await Scenario.CreateAsync(App);
        var foreignPlan = await s.Csm.PatchAsync($"opportunities/{s.OpportunityId}", new { successPlanId = otherAccount.PlanId });
        await foreignPlan.ExpectFieldErrorAsync("successPlanId");
    }

    [Fact]
    public async Task A_plan_with_more_than_three_open_objectives_warns_that_focus_is_at_risk()
    {
        var s = await Scenario.CreateAsync(App);
        for (var i = 0; i < 2; i++)
        {
            await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = $"Objective {i}" });
        }

        Assert.Empty((await s.Csm.GetJsonAsync($"plans/{s.PlanId}"))["warnings"]!.AsArray());
        await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "One too many" });
        var warnings = (await s.Csm.GetJsonAsync($"plans/{s.PlanId}"))["warnings"]!.AsArray();
        Assert.Contains("focus is at risk", warnings.Single()!.GetValue<string>());
    }

    [Fact]
    public async Task Reading_a_plan_takes_a_fixed_handful_of_sql_commands_whatever_its_size()
    {
        var s = await Scenario.CreateAsync(App);
        for (var o = 0; o < 9; o++)
        {
            var objective = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = $"Objective {o}" });
            for (var m = 0; m < 3; m++)
            {
                var metric = await s.Csm.CreateAsync($"objectives/{objective.Id()}/metrics",
                    new { name = $"Metric {m}", baseline = new { value = 1 }, target = new { value = 5 } });
                await s.Csm.CreateAsync($"metrics/{metric.Id()}/measurements", new { value = 2, at = "2026-03-01" });
            }

            for (var i = 0; i < 5; i++)
            {
                await s.Csm.CreateAsync($"objectives/{objective.Id()}/initiatives", new { title = $"Initiative {i}", tasks = new[] { new { title = "Task" } } });
            }
        }

        var key = Ids.New();
        var response = await s.Csm.Send(HttpMethod.Get, $"plans/{s.PlanId}", body: null, countKey: key);
        var plan = await response.ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(10, plan["objectives"]!.AsArray().Count);
        Assert.Equal(28, plan["objectives"]!.AsArray().Sum(o => o!["metrics"]!.AsArray().Count));
        Assert.Equal(46, plan["objectives"]!.AsArray().Sum(o => o!["initiatives"]!.AsArray().Count));
        var commands = App.Sql.CountFor(key);
        Assert.InRange(commands, 1, 6);
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqlitePlanApiTests(SqliteApp app) : PlanApiTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresPlanApiTests(PostgresApp app) : PlanApiTests(app);
