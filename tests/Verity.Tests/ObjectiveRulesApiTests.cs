using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>The objective lifecycle, customer confirmations, SMART and health, through the API.</summary>
public abstract class ObjectiveRulesApiTests(VerityApp app) : ApiTests(app)
{
    private static string Yesterday => DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");

    [Fact]
    public async Task A_smart_objective_walks_to_verified_only_after_the_customer_confirms_in_writing()
    {
        var s = await Scenario.CreateAsync(App);
        await Move(s, "workInProgress");
        await Move(s, "accepted");
        await Move(s, "delivered");

        var refused = await (await Transition(s, "verified")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("written confirmation", refused.Str("detail"));

        var confirmation = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/confirmations",
            new { stakeholderId = s.StakeholderId, confirmedAt = Yesterday, statement = "We now deploy ten times a week." });
        Assert.True(confirmation["isValid"]!.GetValue<bool>());
        var verified = await Move(s, "verified", "Priya confirmed in the QBR");
        Assert.Equal("verified", verified.Str("outcomeStage"));
        var closed = await Move(s, "closedSuccess");
        Assert.Equal("closedSuccess", closed.Str("status"));
        Assert.Null(closed["health"]);

        var timeline = (await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}/activities?type=statusChange"))["items"]!.AsArray()
            .Select(a => a.Str("summary")).ToList();
        Assert.Contains("outcomeStage: delivered → verified — Priya confirmed in the QBR", timeline);
        Assert.Contains("status: workInProgress → closedSuccess", timeline);
        Assert.Contains(timeline, t => t.Contains("confirmed the outcome in writing"));

        var history = (await s.Manager.GetJsonAsync($"audit?entityId={s.ObjectiveId}"))["items"]!.AsArray();
        Assert.Contains(history, h => h!["changes"]!.AsArray().Any(c => c.Str("field") == "outcomeStage" && c.Str("new") == "verified"));
    }

    [Fact]
    public async Task A_vague_objective_is_refused_acceptance_with_a_reason_and_a_suggestion()
    {
        var s = await Scenario.CreateAsync(App);
        var vague = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Delight the customer!" });
        Assert.False(vague["smart"]!["isSmart"]!.GetValue<bool>());
        Assert.Contains(vague["smart"]!["findings"]!.AsArray(), f => f.Str("rule") == "measurable");

        var refused = await (await s.Csm.PostAsync($"objectives/{vague.Id()}/transitions", new { to = "accepted" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("success criteria", refused.Str("detail"));
        Assert.Contains("target date", refused.Str("detail"));

        await s.Csm.PatchAsync($"objectives/{vague.Id()}", new { successCriteria = "Customers are delighted", targetDate = "2027-06-30", businessImpact = "Happier customers" });
        await s.Csm.CreateAsync($"objectives/{vague.Id()}/metrics", new { name = "Delight", baseline = new { value = 1 }, target = new { value = 2 } });
        var notSmart = await (await s.Csm.PostAsync($"objectives/{vague.Id()}/transitions", new { to = "accepted" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("not SMART", notSmart.Str("detail"));
        Assert.Equal("proposed", (await s.Csm.GetJsonAsync($"objectives/{vague.Id()}")).Str("outcomeStage"));
    }

    [Theory]
    [InlineData("done", HttpStatusCode.BadRequest)]
    [InlineData("closedSuccess", HttpStatusCode.Conflict)]
    [InlineData("delivered", HttpStatusCode.Conflict)]
    [InlineData("verified", HttpStatusCode.Conflict)]
    [InlineData("new", HttpStatusCode.Conflict)]
    [InlineData("proposed", HttpStatusCode.Conflict)]
    public async Task Illegal_or_unknown_moves_are_refused_and_change_nothing(string to, HttpStatusCode expected)
    {
        var s = await Scenario.CreateAsync(App);
        var response = await Transition(s, to);
        var problem = await response.ExpectProblemAsync(expected);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.True(problem["errors"]!.AsObject().ContainsKey("to"));
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.Str("detail")));
        }

        var objective = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}");
        Assert.Equal(("new", "proposed"), (objective.Str("status"), objective.Str("outcomeStage")));
        Assert.Empty((await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}/activities?type=statusChange"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Moving_back_or_reopening_needs_a_note()
    {
        var s = await Scenario.CreateAsync(App);
        await Move(s, "workInProgress");
        await Move(s, "accepted");
        Assert.Contains("note", (await (await Transition(s, "proposed")).ExpectProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        await Move(s, "proposed", "Customer wants to revisit the target");
        var close = await (await Transition(s, "closedNoAction")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("note", close.Str("detail"));
        // The refusal names the input that would satisfy it, as a 400 names a bad field.
        Assert.Contains("needs a note saying why", close["errors"]!["note"]![0]!.GetValue<string>());
        Assert.DoesNotContain("closedNoAction", close.Str("detail"));
        Assert.Equal("workInProgress", (await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}")).Str("status"));
        await Move(s, "closedNoAction", "The customer dropped the programme");
        Assert.Contains("note", (await (await Transition(s, "workInProgress")).ExpectProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        Assert.Equal("workInProgress", (await Move(s, "workInProgress", "Budget approved")).Str("status"));
    }

    [Fact]
    public async Task Confirmations_come_from_the_customer_side_of_this_account_in_the_past_in_their_words()
    {
        var s = await Scenario.CreateAsync(App);
        var other = await Scenario.CreateAsync(App);
        var vendor = await s.Csm.CreateAsync($"accounts/{s.AccountId}/stakeholders", new { name = "Sam Architect", side = "vendor", role = "solutionsArchitect" });
        var path = $"objectives/{s.ObjectiveId}/confirmations";

        await (await s.Csm.PostAsync(path, new { stakeholderId = vendor.Id(), confirmedAt = Yesterday, statement = "Done" })).ExpectFieldErrorAsync("stakeholderId");
        await (await s.Csm.PostAsync(path, new { stakeholderId = other.StakeholderId, confirmedAt = Yesterday, statement = "Done" })).ExpectFieldErrorAsync("stakeholderId");
        await (await s.Csm.PostAsync(path, new { stakeholderId = s.StakeholderId, confirmedAt = "2099-01-01T00:00:00Z", statement = "Done" })).ExpectFieldErrorAsync("confirmedAt");
        await (await s.Csm.PostAsync(path, new { stakeholderId = s.StakeholderId, confirmedAt = Yesterday, statement = " " })).ExpectFieldErrorAsync("statement");
        await (await s.Csm.PostAsync(path, new { stakeholderId = s.StakeholderId, statement = "Done" })).ExpectFieldErrorAsync("confirmedAt");
        Assert.Empty(await (await s.Csm.GetAsync(path)).ExpectArrayAsync(HttpStatusCode.OK));
    }

    [Fact]
    public async Task Only_an_admin_voids_a_confirmation_and_the_objective_steps_back()
    {
        var s = await Scenario.CreateAsync(App);
        await Move(s, "workInProgress");
        await Move(s, "accepted");
        await Move(s, "delivered");
        var confirmation = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/confirmations",
            new { stakeholderId = s.StakeholderId, confirmedAt = Yesterday, statement = "Confirmed." });
        await Move(s, "verified");

        foreach (var role in new[] { UserRole.Director, UserRole.Manager })
        {
            var user = await App.SignInAsync(role);
            await (await user.PostAsync($"confirmations/{confirmation.Id()}/void", new { reason = "Wrong person" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await s.Csm.PostAsync($"confirmations/{confirmation.Id()}/void", new { reason = "Wrong person" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var admin = await App.SignInAsync(UserRole.Admin);
        await (await admin.PostAsync($"confirmations/{confirmation.Id()}/void", new { reason = "" })).ExpectFieldErrorAsync("reason");
        var objective = await (await admin.PostAsync($"confirmations/{confirmation.Id()}/void", new { reason = "Recorded against the wrong objective" }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("delivered", objective.Str("outcomeStage"));
        var voided = objective["confirmations"]!.AsArray().Single()!;
        Assert.False(voided["isValid"]!.GetValue<bool>());
        Assert.Equal("Recorded against the wrong objective", voided.Str("voidReason"));
        await (await Transition(s, "verified")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await s.Csm.DeleteAsync($"objectives/{s.ObjectiveId}")).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Health_is_suggested_and_the_owner_may_set_it_by_hand()
    {
        var s = await Scenario.CreateAsync(App);
        Assert.Null((await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}"))["health"]);
        var working = await Move(s, "workInProgress");
        Assert.Equal("suggested", working.Str("healthSource"));
        Assert.NotNull(working["health"]);

        var teammate = await App.SignInAsync(UserRole.SolutionsArchitect);
        await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = teammate.UserId, role = "solutionsArchitect" },
        });
        await (await teammate.PatchAsync($"objectives/{s.ObjectiveId}", new { health = "concern" })).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var set = await (await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { health = "concern" })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("concern", "set", s.Csm.UserId), (set.Str("health"), set.Str("healthSource"), set.Str("healthSetBy")));
        var cleared = await (await s.Csm.SendRawAsync(HttpMethod.Patch, $"objectives/{s.ObjectiveId}", """{"health":null}""")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("suggested", cleared.Str("healthSource"));
        await (await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { health = "great" })).ExpectFieldErrorAsync("health");
    }

    [Fact]
    public async Task Validating_stamps_today_and_the_seed_metrics_read_their_progress()
    {
        var s = await Scenario.CreateAsync(App);
        var validated = await (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/validate", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), validated.Str("lastValidatedAt"));

        (string Name, string Direction, double From, double To, double Now)[] seeds =
        [
            ("Deployment frequency", "increase", 2, 10, 6),
            ("Average deployment time", "decrease", 240, 20, 130),
            ("Manual steps", "decrease", 15, 2, 8.5),
            ("Deployment success rate", "increase", 85, 99.5, 92.25),
        ];
        foreach (var seed in seeds)
        {
            var metric = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/metrics", new
            {
                name = seed.Name,
                direction = seed.Direction,
                baseline = new { value = seed.From, at = "2026-01-01" },
                target = new { value = seed.To, by = "2027-12-31" },
            });
            await s.Csm.CreateAsync($"metrics/{metric.Id()}/measurements", new { value = seed.Now, at = "2026-06-01" });
            Assert.Equal(0.5, (await s.Csm.GetJsonAsync($"metrics/{metric.Id()}"))["progress"]!.GetValue<double>(), precision: 9);
        }
    }

    [Fact]
    public async Task The_smart_check_endpoint_answers_like_the_objective()
    {
        var s = await Scenario.CreateAsync(App);
        var vague = await (await s.Csm.PostAsync("smart/check", new { title = "Do more things faster" })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.False(vague["isSmart"]!.GetValue<bool>());
        var rules = vague["findings"]!.AsArray().Select(f => f.Str("rule")).ToList();
        Assert.Contains("specific", rules);
        Assert.Contains("timeBound", rules);
        Assert.All(vague["findings"]!.AsArray(), f => Assert.False(string.IsNullOrWhiteSpace(f.Str("suggestion"))));

        var good = await (await s.Csm.PostAsync("smart/check", new
        {
            title = "Increase deployment frequency from 2 to 10 per week",
            successCriteria = "Increase to 10 deployments per week",
            businessImpact = "Time to market improved by 5x",
            targetDate = "2099-07-01",
            kind = "quantitative",
        })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(good["isSmart"]!.GetValue<bool>(), good.ToJsonString());
        await (await s.Csm.PostAsync("smart/check", new { title = "x", kind = "numeric" })).ExpectFieldErrorAsync("kind");
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.Anonymous().PostAsync("smart/check", new { title = "x" })).StatusCode);
    }

    private Task<HttpResponseMessage> Transition(Scenario s, string to, string? note = null) =>
        s.Csm.PostAsync($"objectives/{s.ObjectiveId}/transitions", new { to, note });

    private async Task<JsonObject> Move(Scenario s, string to, string? note = null) =>
        await (await Transition(s, to, note)).ExpectJsonAsync(HttpStatusCode.OK);
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteObjectiveRulesApiTests(SqliteApp app) : ObjectiveRulesApiTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresObjectiveRulesApiTests(PostgresApp app) : ObjectiveRulesApiTests(app);
