using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Logging an activity: when it happened, who took part on both sides, and the objective it was about; anyone or
/// anything from outside the account is refused by name, and a refused activity is not written at all.
/// </summary>
public abstract class ActivityTests(VerityApp app) : ApiTests(app)
{
    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(x => x!.GetValue<string>())];

    [Fact]
    public async Task An_activity_on_the_account_names_its_objective_and_who_took_part_on_both_sides()
    {
        var s = await Scenario.CreateAsync(App);
        var created = await s.Csm.CreateAsync($"accounts/{s.AccountId}/activities", new
        {
            type = "cadenceCall",
            summary = "Walked through the pipeline templates.",
            occurredAt = "2026-11-02T12:00:00Z",
            objectiveId = s.ObjectiveId,
            attendeeUserIds = new[] { s.Csm.UserId, s.Csm.UserId },
            attendeeStakeholderIds = new[] { s.StakeholderId },
        });
        Assert.Equal(s.ObjectiveId, created.Str("objectiveId"));
        Assert.Equal(s.PlanId, created.Str("planId"));
        Assert.Equal("2026-11-02T12:00:00Z", created.Str("occurredAt"));
        Assert.Equal([s.Csm.UserId!], Strings(created["attendeeUserIds"]));
        Assert.Equal([s.StakeholderId], Strings(created["attendeeStakeholderIds"]));

        // It is on the objective's timeline too, with the same people.
        var onObjective = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}/activities?type=cadenceCall");
        var listed = Assert.Single(onObjective["items"]!.AsArray(), a => a.Str("id") == created.Id())!;
        Assert.Equal([s.StakeholderId], Strings(listed["attendeeStakeholderIds"]));
        var read = await s.Csm.GetJsonAsync($"activities/{created.Id()}");
        Assert.Equal([s.Csm.UserId!], Strings(read["attendeeUserIds"]));

        // Without attendees, the lists are there and empty.
        var alone = await s.Csm.GetJsonAsync($"activities/{s.InternalActivityId}");
        Assert.Empty(alone["attendeeUserIds"]!.AsArray());
        Assert.Empty(alone["attendeeStakeholderIds"]!.AsArray());
        Assert.Null(alone["objectiveId"]);
    }

    [Fact]
    public async Task People_and_objectives_from_outside_the_account_are_refused_by_field_and_nothing_is_written()
    {
        var s = await Scenario.CreateAsync(App);
        var other = await Scenario.CreateAsync(App);
        var before = (await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/activities?limit=500"))["items"]!.AsArray().Count;

        async Task RefusedAsync(string field, object body, string path = "")
        {
            var response = await s.Csm.PostAsync(path.Length > 0 ? path : $"accounts/{s.AccountId}/activities", body);
            var problem = await response.ExpectFieldErrorAsync(field);
            Assert.DoesNotContain("Exception", problem.ToJsonString(), StringComparison.Ordinal);
        }

        // Another account's stakeholder, objective, and a colleague who is not on this account's team.
        await RefusedAsync("attendeeStakeholderIds", new { type = "call", summary = "Sync.", attendeeStakeholderIds = new[] { other.StakeholderId } });
        await RefusedAsync("objectiveId", new { type = "call", summary = "Sync.", objectiveId = other.ObjectiveId });
        await RefusedAsync("attendeeUserIds", new { type = "call", summary = "Sync.", attendeeUserIds = new[] { other.Csm.UserId } });
        await RefusedAsync("attendeeUserIds", new { type = "call", summary = "Sync.", attendeeUserIds = new[] { "nobody" } });
        await RefusedAsync("attendeeUserIds", new { type = "call", summary = "Sync.", attendeeUserIds = new[] { "" } });

        // A customer's own sign-in is no vendor attendee, even with the customer linked to a stakeholder.
        var customer = await App.SignInAsync(UserRole.Customer);
        await RefusedAsync("attendeeUserIds", new { type = "call", summary = "Sync.", attendeeUserIds = new[] { customer.UserId } });

        // Both wrong at once: both named.
        var both = await (await s.Csm.PostAsync($"accounts/{s.AccountId}/activities", new
        {
            type = "call", summary = "Sync.", objectiveId = other.ObjectiveId, attendeeStakeholderIds = new[] { other.StakeholderId },
        })).ExpectFieldErrorAsync("objectiveId");
        Assert.True(both["errors"]!.AsObject().ContainsKey("attendeeStakeholderIds"));

        // On the objective's own path, another objective's id and another account's people are refused too.
        var path = $"objectives/{s.ObjectiveId}/activities";
        await RefusedAsync("objectiveId", new { type = "note", summary = "Sync.", objectiveId = other.ObjectiveId }, path);
        await RefusedAsync("attendeeStakeholderIds", new { type = "note", summary = "Sync.", attendeeStakeholderIds = new[] { other.StakeholderId } }, path);

        var after = (await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/activities?limit=500"))["items"]!.AsArray().Count;
        Assert.Equal(before, after);

        // The objective's own path takes the same people fine.
        var logged = await s.Csm.CreateAsync(path, new { type = "note", summary = "Runner capacity.", attendeeUserIds = new[] { s.Csm.UserId }, attendeeStakeholderIds = new[] { s.StakeholderId } });
        Assert.Equal(s.ObjectiveId, logged.Str("objectiveId"));
        Assert.Equal([s.StakeholderId], Strings(logged["attendeeStakeholderIds"]));
    }

    [Fact]
    public async Task A_colleague_who_sees_every_account_may_be_named_without_being_on_the_team()
    {
        var s = await Scenario.CreateAsync(App);
        var logged = await s.Csm.CreateAsync($"accounts/{s.AccountId}/activities",
            new { type = "businessReview", summary = "QBR.", attendeeUserIds = new[] { s.Manager.UserId, s.Csm.UserId } });
        Assert.Equal([s.Manager.UserId!, s.Csm.UserId!], Strings(logged["attendeeUserIds"]));
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteActivityTests(SqliteApp app) : ActivityTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresActivityTests(PostgresApp app) : ActivityTests(app);
