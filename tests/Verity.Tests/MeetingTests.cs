using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Meetings over HTTP: scheduled with attendees from both sides, read with an agenda drawn from the plan as it stands,
/// held once onto the timeline, refused whole when anything is wrong, and seen only by the account's team.
/// </summary>
public abstract class MeetingTests(VerityApp app) : ApiTests(app)
{
    private static DateTime Now => DateTime.UtcNow;

    private static string Today => Day(0);

    private static string Day(int days) => DateOnly.FromDateTime(Now.AddDays(days)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Instant(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static CancellationToken Aborted => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_meeting_is_read_with_an_agenda_drawn_from_the_plan_as_it_stands_at_read_time()
    {
        var s = await Scenario.CreateAsync(App);
        var when = Instant(Now.AddDays(3));
        var response = await s.Csm.PostAsync($"accounts/{s.AccountId}/meetings", new
        {
            kind = "cadenceCall",
            title = "Fortnightly sync",
            scheduledFor = when,
            attendeeUserIds = new[] { s.Csm.UserId },
            attendeeStakeholderIds = new[] { s.StakeholderId },
        });
        var created = await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/meetings/{created.Id()}", response.Headers.Location?.ToString());
        Assert.Equal("cadenceCall", created.Str("kind"));
        Assert.Equal(when, created.Str("scheduledFor"));
        Assert.Equal([s.StakeholderId], created["attendeeStakeholderIds"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(s.Csm.UserId, created.Str("scheduledBy"));
        Assert.Null(created["heldOn"]);

        // About every open objective: the scenario's one, half way from 2 to 10 (latest 6).
        var agenda = created["agenda"]!;
        var objective = Assert.Single(agenda["objectives"]!.AsArray())!;
        Assert.Equal(s.ObjectiveId, objective.Str("id"));
        Assert.Equal("Increase deployment frequency from 2 to 10 per week", objective.Str("title"));
        Assert.Equal(0.5, objective["progress"]!.GetValue<double>(), 3);
        Assert.Empty(agenda["findings"]!.AsArray());
        Assert.Empty(agenda["overdueInitiatives"]!.AsArray());
        Assert.False(agenda["sinceLastBusinessReview"]!.GetValue<bool>());

        // The plan moves on after the meeting was scheduled; the agenda follows it.
        (await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = "Ship ten times a week" })).EnsureSuccessStatusCode();
        await s.Csm.CreateAsync($"metrics/{s.MetricId}/measurements", new { value = 8, at = Today, source = "pipeline analytics" });
        (await s.Csm.PatchAsync($"initiatives/{s.InitiativeId}", new { dueDate = Day(-2) })).EnsureSuccessStatusCode();
        await using (var db = App.SystemDb())
        {
            db.Findings.Add(new Domain.Objectives.Finding
            {
                AccountId = s.AccountId, PlanId = s.PlanId, ObjectiveId = s.ObjectiveId, OwnerId = s.Csm.UserId,
                Rule = Domain.Objectives.TriageRule.StaleValidation, Message = "Not validated with the customer for 120 days.",
                FirstSeenAt = Now, LastSeenAt = Now,
            });
            await db.SaveChangesAsync(Aborted);
        }

        var read = await s.Csm.GetJsonAsync($"meetings/{created.Id()}");
        agenda = read["agenda"]!;
        objective = Assert.Single(agenda["objectives"]!.AsArray())!;
        Assert.Equal("Ship ten times a week", objective.Str("title"));
        Assert.Equal(0.75, objective["progress"]!.GetValue<double>(), 3);
        Assert.Contains("Not validated with the customer", Assert.Single(agenda["findings"]!.AsArray())!.Str("message"));
        var overdue = Assert.Single(agenda["overdueInitiatives"]!.AsArray())!;
        Assert.Equal("Pipeline templates", overdue.Str("title"));
        Assert.Equal(Day(-2), overdue.Str("dueDate"));
        var change = Assert.Single(agenda["changes"]!.AsArray(), c => c!.Str("field") == "title")!;
        Assert.Equal("Increase deployment frequency from 2 to 10 per week", change.Str("old"));
        Assert.Equal("Ship ten times a week", change.Str("new"));

        // A meeting about one objective leaves the others off; the list reads each meeting's own agenda.
        var other = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Retire the old build servers", kind = "qualitative" });
        var focused = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings",
            new { kind = "strategySession", scheduledFor = Instant(Now.AddDays(5)), objectiveIds = new[] { other.Id() } });
        Assert.Equal([other.Id()], focused["agenda"]!["objectives"]!.AsArray().Select(o => o!.Str("id")));
        var list = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/meetings");
        var items = list["items"]!.AsArray().ToDictionary(m => m!.Str("id"), m => m!);
        Assert.Equal(2, items.Count);
        Assert.Equal(new[] { s.ObjectiveId, other.Id() }.Order(), items[created.Id()]["agenda"]!["objectives"]!.AsArray().Select(o => o!.Str("id")).Order());
        Assert.Equal([other.Id()], items[focused.Id()]["agenda"]!["objectives"]!.AsArray().Select(o => o!.Str("id")));
    }

    [Fact]
    public async Task Holding_a_meeting_writes_one_timeline_entry_and_recording_it_again_writes_none()
    {
        var s = await Scenario.CreateAsync(App);
        var meeting = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new
        {
            kind = "businessReview",
            title = "Q4 review",
            scheduledFor = Instant(Now.AddDays(-1)),
            attendeeUserIds = new[] { s.Csm.UserId },
            attendeeStakeholderIds = new[] { s.StakeholderId },
            objectiveIds = new[] { s.ObjectiveId },
        });
        var before = (await ActivitiesAsync(s)).Select(a => a.Str("id")).ToHashSet();

        var first = await s.Csm.GetAsync($"meetings/{meeting.Id()}");
        var etag = first.Headers.ETag!.Tag;
        var held = await (await s.Csm.PatchAsync($"meetings/{meeting.Id()}", new
        {
            heldOn = Day(-1),
            notes = "Priya hinted at a budget freeze.",
            decisions = "Roll templates out to ten teams.",
            nextSteps = "Casey books the template workshop.",
        }, etag)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Day(-1), held.Str("heldOn"));
        Assert.Equal("Roll templates out to ten teams.", held.Str("decisions"));
        var activityId = held.Str("activityId");

        var after = await ActivitiesAsync(s);
        var entry = Assert.Single(after, a => !before.Contains(a.Str("id")))!;
        Assert.Equal(activityId, entry.Str("id"));
        Assert.Equal("businessReview", entry.Str("type"));
        Assert.StartsWith(Day(-1), entry.Str("occurredAt"), StringComparison.Ordinal);
        Assert.Contains("Roll templates out to ten teams.", entry.Str("summary"), StringComparison.Ordinal);
        Assert.Contains("Casey books the template workshop.", entry.Str("summary"), StringComparison.Ordinal);
        // The notes stay the team's; the customer was there, so what was decided is theirs to see.
        Assert.DoesNotContain("budget freeze", entry.Str("summary"), StringComparison.Ordinal);
        Assert.Equal("customer", entry.Str("visibility"));

        // Recording more, or correcting the decisions, changes that one entry and writes no second.
        (await s.Csm.PatchAsync($"meetings/{meeting.Id()}", new { notes = "Budget freeze confirmed for Q1." })).EnsureSuccessStatusCode();
        (await s.Csm.PatchAsync($"meetings/{meeting.Id()}", new { decisions = "Roll templates out to twelve teams." })).EnsureSuccessStatusCode();
        var again = await ActivitiesAsync(s);
        Assert.Equal(after.Count, again.Count);
        Assert.Contains("twelve teams", again.Single(a => a.Str("id") == activityId).Str("summary"), StringComparison.Ordinal);
        Assert.Equal(activityId, (await s.Csm.GetJsonAsync($"meetings/{meeting.Id()}")).Str("activityId"));

        // Held stays held.
        await (await s.Csm.SendRawAsync(HttpMethod.Patch, $"meetings/{meeting.Id()}", "{\"heldOn\":null}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(after.Count, (await ActivitiesAsync(s)).Count);

        // Kinds without their own timeline word are meetings; one without customer attendees stays internal.
        var kickoff = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "kickoff", scheduledFor = Instant(Now.AddHours(-2)), heldOn = Today });
        var kickoffEntry = (await ActivitiesAsync(s)).Single(a => a.Str("id") == kickoff.Str("activityId"));
        Assert.Equal("meeting", kickoffEntry.Str("type"));
        Assert.Equal("internal", kickoffEntry.Str("visibility"));
        Assert.StartsWith("Kick-off held.", kickoffEntry.Str("summary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_writes_nothing()
    {
        var s = await Scenario.CreateAsync(App);
        var elsewhere = await Scenario.CreateAsync(App);
        var outsider = await App.SignInAsync(Domain.Common.UserRole.CustomerSuccessManager);
        var customer = await App.SignInAsync(Domain.Common.UserRole.Customer, s.AccountId);
        var path = $"accounts/{s.AccountId}/meetings";
        var when = Instant(Now.AddDays(2));
        var activities = (await ActivitiesAsync(s)).Count;

        var kind = await (await s.Csm.PostAsync(path, new { kind = "standup", scheduledFor = when })).ExpectFieldErrorAsync("kind");
        Assert.Contains("kickoff, cadenceCall, businessReview, strategySession, execCheckIn", kind["errors"]!["kind"]![0]!.GetValue<string>());
        await (await s.Csm.PostAsync(path, new { scheduledFor = when })).ExpectFieldErrorAsync("kind");
        await (await s.Csm.PostAsync(path, new { kind = "cadenceCall" })).ExpectFieldErrorAsync("scheduledFor");
        await (await s.Csm.PostAsync(path, new { kind = "cadenceCall", scheduledFor = "next tuesday" })).ExpectFieldErrorAsync("scheduledFor");
        foreach (var userId in new[] { outsider.UserId, customer.UserId, Ids.New() })
        {
            var problem = await (await s.Csm.PostAsync(path, new { kind = "cadenceCall", scheduledFor = when, attendeeUserIds = new[] { s.Csm.UserId, userId } }))
                .ExpectFieldErrorAsync("attendeeUserIds");
            Assert.Contains(userId, problem["errors"]!["attendeeUserIds"]![0]!.GetValue<string>());
        }

        await (await s.Csm.PostAsync(path, new { kind = "cadenceCall", scheduledFor = when, attendeeStakeholderIds = new[] { elsewhere.StakeholderId } }))
            .ExpectFieldErrorAsync("attendeeStakeholderIds");
        await (await s.Csm.PostAsync(path, new { kind = "cadenceCall", scheduledFor = when, objectiveIds = new[] { elsewhere.ObjectiveId } }))
            .ExpectFieldErrorAsync("objectiveIds");
        await (await s.Csm.PostAsync(path, new { kind = "cadenceCall", scheduledFor = when, heldOn = Day(1) })).ExpectFieldErrorAsync("heldOn");
        // Every bad field at once is named at once.
        var several = await (await s.Csm.PostAsync(path, new
        {
            kind = "cadenceCall", scheduledFor = when, heldOn = Day(3), objectiveIds = new[] { elsewhere.ObjectiveId }, attendeeStakeholderIds = new[] { elsewhere.StakeholderId },
        })).ExpectFieldErrorAsync("heldOn");
        Assert.True(several["errors"]!.AsObject().ContainsKey("objectiveIds") && several["errors"]!.AsObject().ContainsKey("attendeeStakeholderIds"));
        Assert.Empty((await s.Csm.GetJsonAsync(path))["items"]!.AsArray());

        // A change to a meeting that breaks a rule leaves it as it was.
        var meeting = await s.Csm.CreateAsync(path, new { kind = "execCheckIn", scheduledFor = when, attendeeStakeholderIds = new[] { s.StakeholderId } });
        var version = (await s.Csm.GetAsync($"meetings/{meeting.Id()}")).Headers.ETag!.Tag;
        await (await s.Csm.PatchAsync($"meetings/{meeting.Id()}", new { heldOn = Day(1), notes = "Too early." })).ExpectFieldErrorAsync("heldOn");
        await (await s.Csm.PatchAsync($"meetings/{meeting.Id()}", new { objectiveIds = new[] { elsewhere.ObjectiveId }, heldOn = Today })).ExpectFieldErrorAsync("objectiveIds");
        await (await s.Csm.PatchAsync($"meetings/{meeting.Id()}", new { kind = "standup" })).ExpectFieldErrorAsync("kind");
        var unchanged = await s.Csm.GetAsync($"meetings/{meeting.Id()}");
        Assert.Equal(version, unchanged.Headers.ETag!.Tag);
        var record = await unchanged.ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Null(record["heldOn"]);
        Assert.Null(record["notes"]);
        Assert.Equal(activities, (await ActivitiesAsync(s)).Count);
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_and_holds_nothing()
    {
        var s = await Scenario.CreateAsync(App);
        var meeting = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "cadenceCall", scheduledFor = Instant(Now.AddHours(-3)) });
        var stale = (await s.Csm.GetAsync($"meetings/{meeting.Id()}")).Headers.ETag!.Tag;
        (await s.Csm.PatchAsync($"meetings/{meeting.Id()}", new { title = "Moved to Thursday" }, stale)).EnsureSuccessStatusCode();
        var activities = (await ActivitiesAsync(s)).Count;

        await (await s.Csm.PatchAsync($"meetings/{meeting.Id()}", new { heldOn = Today, notes = "From an old tab." }, stale)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var current = await s.Csm.GetJsonAsync($"meetings/{meeting.Id()}");
        Assert.Null(current["heldOn"]);
        Assert.Equal("Moved to Thursday", current.Str("title"));
        Assert.Equal(activities, (await ActivitiesAsync(s)).Count);
    }

    [Fact]
    public async Task Only_the_accounts_team_sees_its_meetings_and_customers_never_do()
    {
        var s = await Scenario.CreateAsync(App);
        var meeting = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "kickoff", scheduledFor = Instant(Now.AddDays(1)) });
        var outsider = await App.SignInAsync(Domain.Common.UserRole.CustomerSuccessManager);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"meetings/{meeting.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"accounts/{s.AccountId}/meetings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsync($"accounts/{s.AccountId}/meetings", new { kind = "kickoff", scheduledFor = Instant(Now) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PatchAsync($"meetings/{meeting.Id()}", new { heldOn = Today })).StatusCode);

        var customer = await App.SignInAsync(Domain.Common.UserRole.Customer, s.AccountId);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"meetings/{meeting.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"accounts/{s.AccountId}/meetings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.PatchAsync($"meetings/{meeting.Id()}", new { heldOn = Today })).StatusCode);

        // A manager sees every account, so its meetings too.
        Assert.Equal("kickoff", (await s.Manager.GetJsonAsync($"meetings/{meeting.Id()}")).Str("kind"));
        Assert.Null((await s.Csm.GetJsonAsync($"meetings/{meeting.Id()}"))["heldOn"]);
    }

    [Fact]
    public async Task My_week_lists_the_meetings_of_the_next_7_days_and_not_later_ones()
    {
        var s = await Scenario.CreateAsync(App);
        var sa = await App.SignInAsync(Domain.Common.UserRole.SolutionsArchitect);
        (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" }, new { userId = sa.UserId, role = "solutionsArchitect" },
        })).EnsureSuccessStatusCode();
        var soon = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings",
            new { kind = "cadenceCall", title = "Template rollout", scheduledFor = Instant(Now.AddDays(2)), attendeeUserIds = new[] { sa.UserId } });
        var later = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings",
            new { kind = "businessReview", scheduledFor = Instant(Now.AddDays(10)), attendeeUserIds = new[] { sa.UserId } });
        var alreadyHeld = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings",
            new { kind = "execCheckIn", scheduledFor = Instant(Now.AddHours(-1)), heldOn = Today, attendeeUserIds = new[] { sa.UserId } });

        foreach (var who in new[] { s.Csm, sa })
        {
            var week = await who.GetJsonAsync("me/work");
            var section = week["sections"]!.AsArray().Single(x => x!.Str("key") == "meetings")!;
            Assert.Equal("Meetings in the next 7 days", section.Str("title"));
            var item = Assert.Single(section["items"]!.AsArray())!;
            Assert.Equal($"/meetings/{soon.Id()}", item.Str("url"));
            Assert.Equal(Day(2), item.Str("due"));
            Assert.StartsWith("Cadence call: Template rollout — ", item.Str("text"), StringComparison.Ordinal);
            Assert.DoesNotContain(later.Id(), week.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(alreadyHeld.Id(), week.ToJsonString(), StringComparison.Ordinal);
        }

        // A manager who neither attends nor works the account is not told about it.
        var manager = await s.Manager.GetJsonAsync("me/work");
        Assert.DoesNotContain(soon.Id(), manager.ToJsonString(), StringComparison.Ordinal);

        // The attendee list decides as it changes: the manager joins, the SA leaves, the CSM still runs the account.
        (await s.Csm.PatchAsync($"meetings/{soon.Id()}", new { attendeeUserIds = new[] { s.Manager.UserId } })).EnsureSuccessStatusCode();
        Assert.Contains(soon.Id(), (await s.Manager.GetJsonAsync("me/work")).ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(soon.Id(), (await sa.GetJsonAsync("me/work")).ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(soon.Id(), (await s.Csm.GetJsonAsync("me/work")).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_business_review_deck_counts_changes_from_the_last_business_review_held()
    {
        var s = await Scenario.CreateAsync(App);

        // None held: a review logged on the timeline by hand counts, as before.
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/activities", new { type = "businessReview", summary = "QBR over the phone.", occurredAt = Instant(Now.AddDays(-30)) });
        Assert.Contains($"No objective has changed status, stage or date since the last business review ({Day(-30)}).", await DeckTextAsync(s));

        (await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = "Ship ten times a week" })).EnsureSuccessStatusCode();
        var yesterday = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "businessReview", scheduledFor = Instant(Now.AddDays(-1)) });
        (await s.Csm.PatchAsync($"meetings/{yesterday.Id()}", new { heldOn = Day(-1) })).EnsureSuccessStatusCode();
        // A later review logged by hand does not move the cut-off: the meeting held is the review.
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/activities", new { type = "businessReview", summary = "Follow-up email.", occurredAt = Instant(Now.AddMinutes(-5)) });
        var text = await DeckTextAsync(s);
        Assert.Contains($"Changed since the last business review ({Day(-1)})", text);
        Assert.Contains("Title Increase deployment frequency from 2 to 10 per week → Ship ten times a week", text);

        // Held later today than the change: the change is before it, so no longer "since".
        var today = DateOnly.FromDateTime(Now).ToDateTime(new TimeOnly(23, 59, 0), DateTimeKind.Utc);
        var later = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "businessReview", scheduledFor = Instant(today), heldOn = Today });
        Assert.NotNull(later["heldOn"]);
        text = await DeckTextAsync(s);
        Assert.Contains($"No objective has changed status, stage or date since the last business review ({Today}).", text);
        Assert.DoesNotContain("Changed since", text);

        // The meeting's own agenda counts from the review before it: the one of yesterday.
        var agenda = (await s.Csm.GetJsonAsync($"meetings/{later.Id()}"))["agenda"]!;
        Assert.True(agenda["sinceLastBusinessReview"]!.GetValue<bool>());
        Assert.StartsWith(Day(-1), agenda.Str("changesSince"), StringComparison.Ordinal);
        Assert.Contains(agenda["changes"]!.AsArray(), c => c!.Str("new") == "Ship ten times a week");
    }

    [Fact]
    public async Task Reading_ten_meetings_takes_as_many_sql_commands_as_reading_one()
    {
        var s = await Scenario.CreateAsync(App);
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "cadenceCall", scheduledFor = Instant(Now.AddDays(1)) });
        var one = await CountAsync(s, $"accounts/{s.AccountId}/meetings");
        var other = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Retire the old build servers", kind = "qualitative" });
        for (var n = 0; n < 9; n++)
        {
            await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new
            {
                kind = n % 3 == 0 ? "businessReview" : "cadenceCall",
                scheduledFor = Instant(Now.AddDays(n - 5)),
                heldOn = n < 5 ? Day(n - 5) : null,
                objectiveIds = n % 2 == 0 ? new[] { other.Id() } : new[] { s.ObjectiveId, other.Id() },
                attendeeStakeholderIds = new[] { s.StakeholderId },
                decisions = n < 5 ? $"Decision {n}" : null,
            });
        }

        var ten = await CountAsync(s, $"accounts/{s.AccountId}/meetings");
        Assert.Equal(10, (await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/meetings"))["items"]!.AsArray().Count);
        Assert.Equal(one, ten);
        Assert.InRange(ten, 1, 14);
    }

    private async Task<int> CountAsync(Scenario s, string path)
    {
        var key = Ids.New();
        (await s.Csm.Send(HttpMethod.Get, path, null, countKey: key)).EnsureSuccessStatusCode();
        return App.Sql.CountFor(key);
    }

    private async Task<string> DeckTextAsync(Scenario s)
    {
        var bytes = await s.Csm.Http.GetByteArrayAsync($"/api/v1/plans/{s.PlanId}/export?format=pptx&artifact=businessReview", Aborted);
        using var deck = PresentationDocument.Open(new MemoryStream(bytes), false);
        return string.Join("\n", deck.PresentationPart!.SlideParts.Select(p => string.Join(" ", p.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text))));
    }

    private static async Task<List<JsonNode>> ActivitiesAsync(Scenario s) =>
        [.. (await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/activities?limit=500"))["items"]!.AsArray().Select(a => a!)];
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteMeetingTests(SqliteApp app) : MeetingTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresMeetingTests(PostgresApp app) : MeetingTests(app);
