using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>The plan's adoption journey over HTTP: milestones by horizon, owned on either side, flagged when they stray from their horizon.</summary>
public abstract class MilestoneTests(VerityApp app) : ApiTests(app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_journey_is_built_read_in_order_changed_and_removed()
    {
        var s = await WithoutSkeletonAsync();
        var path = $"plans/{s.PlanId}/milestones";
        var late = await s.Csm.CreateAsync(path, new { title = "Every team on pipelines", horizon = "months6", dueDate = Iso(Today.AddDays(150)), ownerId = s.Csm.UserId });
        var first = await (await s.Csm.PostAsync(path, new
        {
            title = "Pilot team live", horizon = "days30", dueDate = Iso(Today.AddDays(20)), ownerStakeholderId = s.StakeholderId, objectiveId = s.ObjectiveId,
        })).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("days30", first.Str("horizon"));
        Assert.Equal("planned", first.Str("status"));
        Assert.Equal(s.ObjectiveId, first.Str("objectiveId"));
        Assert.False(first["outsideHorizon"]!.GetValue<bool>());
        Assert.False(first["overdue"]!.GetValue<bool>());

        var listed = (await s.Csm.GetJsonAsync(path))["items"]!.AsArray();
        Assert.Equal(2, listed.Count);

        var response = await s.Csm.GetAsync($"milestones/{first.Id()}");
        var etag = response.Headers.ETag!.ToString();
        var done = await (await s.Csm.PatchAsync($"milestones/{first.Id()}", new { status = "done" }, ifMatch: etag)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("done", done.Str("status"));
        Assert.Equal("Pilot team live", done.Str("title"));
        await (await s.Csm.PatchAsync($"milestones/{first.Id()}", new { status = "missed" }, ifMatch: etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("done", (await s.Csm.GetJsonAsync($"milestones/{first.Id()}")).Str("status"));

        (await s.Csm.DeleteAsync($"milestones/{late.Id()}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await s.Csm.GetAsync($"milestones/{late.Id()}")).StatusCode);
    }

    [Fact]
    public async Task A_due_date_outside_the_horizon_is_kept_and_flagged_and_an_open_past_one_is_overdue()
    {
        var s = await WithoutSkeletonAsync();
        var strayed = await s.Csm.CreateAsync($"plans/{s.PlanId}/milestones", new { title = "Ten teams", horizon = "days30", dueDate = Iso(Today.AddDays(120)) });
        Assert.True(strayed["outsideHorizon"]!.GetValue<bool>());
        Assert.Contains("outside its horizon, days 0–30", strayed.Str("horizonNote"));

        var slipped = await s.Csm.CreateAsync($"plans/{s.PlanId}/milestones", new { title = "Kick-off held", horizon = "days30", dueDate = Iso(Today.AddDays(-2)) });
        Assert.True(slipped["overdue"]!.GetValue<bool>());
        var missed = await (await s.Csm.PatchAsync($"milestones/{slipped.Id()}", new { status = "missed" })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.False(missed["overdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_milestones_name_the_field_and_write_nothing()
    {
        var s = await WithoutSkeletonAsync();
        var other = await WithoutSkeletonAsync();
        var path = $"plans/{s.PlanId}/milestones";
        var unknownHorizon = await (await s.Csm.PostAsync(path, new { title = "x", horizon = "days45" })).ExpectFieldErrorAsync("horizon");
        Assert.Contains("days30", unknownHorizon.ToJsonString());
        var unknownStatus = await (await s.Csm.PostAsync(path, new { title = "x", horizon = "days30", status = "late" })).ExpectFieldErrorAsync("status");
        Assert.Contains("inProgress", unknownStatus.ToJsonString());
        await (await s.Csm.PostAsync(path, new { horizon = "days30" })).ExpectFieldErrorAsync("title");
        await (await s.Csm.PostAsync(path, new { title = "x" })).ExpectFieldErrorAsync("horizon");
        await (await s.Csm.PostAsync(path, new { title = "x", horizon = "days30", ownerStakeholderId = other.StakeholderId })).ExpectFieldErrorAsync("ownerStakeholderId");
        await (await s.Csm.PostAsync(path, new { title = "x", horizon = "days30", objectiveId = other.ObjectiveId })).ExpectFieldErrorAsync("objectiveId");
        await (await s.Csm.PostAsync(path, new { title = "x", horizon = "days30", ownerId = s.Csm.UserId, ownerStakeholderId = s.StakeholderId })).ExpectFieldErrorAsync("ownerStakeholderId");
        await (await s.Csm.PostAsync(path, new { title = "x", horizon = "days30", ownerId = other.Csm.UserId })).ExpectFieldErrorAsync("ownerId");
        await (await s.Csm.PostAsync(path, new { title = "x", horizon = "days30", dueDate = "1800-01-01" })).ExpectFieldErrorAsync("dueDate");
        Assert.Empty((await s.Csm.GetJsonAsync(path))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_customer_reads_the_journey_and_outsiders_do_not_see_it()
    {
        var s = await WithoutSkeletonAsync();
        var milestone = await s.Csm.CreateAsync($"plans/{s.PlanId}/milestones", new { title = "Pilot team live", horizon = "days30" });
        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        Assert.Equal("Pilot team live", Assert.Single((await customer.GetJsonAsync($"plans/{s.PlanId}/milestones"))["items"]!.AsArray())!.Str("title"));
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.PatchAsync($"milestones/{milestone.Id()}", new { status = "done" })).StatusCode);
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"milestones/{milestone.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"plans/{s.PlanId}/milestones")).StatusCode);
    }

    /// <summary>A scenario whose plan's template skeleton is cleared, so each test counts only its own steps.</summary>
    private async Task<Scenario> WithoutSkeletonAsync()
    {
        var s = await Scenario.CreateAsync(App);
        foreach (var m in (await s.Csm.GetJsonAsync($"plans/{s.PlanId}/milestones"))["items"]!.AsArray())
        {
            (await s.Csm.DeleteAsync($"milestones/{m!.Str("id")}")).EnsureSuccessStatusCode();
        }

        return s;
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteMilestoneTests(SqliteApp app) : MilestoneTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresMilestoneTests(PostgresApp app) : MilestoneTests(app);
