using System.Net;
using Microsoft.EntityFrameworkCore;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Bad input always gets problem details naming the field: never a 500, never a half-written record.</summary>
public abstract class BadInputTests(VerityApp app) : ApiTests(app)
{
    private static readonly string _longName = new('n', 201);
    private static readonly string _longText = new('t', 20_001);

    public static TheoryData<string, string, string> AccountBodies => new()
    {
        { """{"name":"Acme","segment":"huge"}""", "segment", "unknown enum string" },
        { """{"name":"Acme","segment":2}""", "segment", "enum as a number" },
        { """{"name":42}""", "name", "wrong JSON type" },
        { """{"name":"Acme","potentialUsers":"many"}""", "potentialUsers", "string for a number" },
        { """{"name":"Acme","isFocusAccount":"yes"}""", "isFocusAccount", "string for a bool" },
        { """{"segment":"smb"}""", "name", "missing required field" },
        { """{"name":"   "}""", "name", "blank required field" },
        { $$"""{"name":"{{_longName}}"}""", "name", "name over 200 characters" },
        { $$"""{"name":"Acme","background":"{{_longText}}"}""", "background", "text over 20,000 characters" },
        { """{"name":"Acme","potentialUsers":-1}""", "potentialUsers", "negative user count" },
        { """{"name":"Acme","colour":"red"}""", "colour", "unknown field" },
    };

    [Theory]
    [MemberData(nameof(AccountBodies))]
    public async Task Bad_account_input_names_the_field_and_writes_nothing(string body, string field, string why)
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var before = await CountAsync();
        var response = await manager.SendRawAsync(HttpMethod.Post, "accounts", body);
        await response.ExpectFieldErrorAsync(field);
        Assert.True(before == await CountAsync(), $"A rejected request ({why}) wrote something.");
    }

    [Theory]
    [InlineData("""{"name":""", "body")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("""not json""", "body")]
    [InlineData("", "body")]
    public async Task Malformed_json_is_a_400(string body, string field)
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var response = await manager.SendRawAsync(HttpMethod.Post, "accounts", body);
        await response.ExpectFieldErrorAsync(field);
    }

    [Theory]
    [InlineData("""{"stage":"won"}""", "stage")]
    [InlineData("""{"netArr":-5}""", "netArr")]
    [InlineData("""{"netArr":"lots"}""", "netArr")]
    [InlineData("""{"type":null}""", "type")]
    public async Task Bad_opportunity_patches_name_the_field_and_change_nothing(string body, string field)
    {
        var s = await Scenario.CreateAsync(App);
        var before = await s.Csm.GetJsonAsync($"opportunities/{s.OpportunityId}");
        await (await s.Csm.SendRawAsync(HttpMethod.Patch, $"opportunities/{s.OpportunityId}", body)).ExpectFieldErrorAsync(field);
        var after = await s.Csm.GetJsonAsync($"opportunities/{s.OpportunityId}");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Theory]
    [InlineData("""{"title":"Faster releases","targetDate":"2026-02-30"}""", "targetDate")]
    [InlineData("""{"title":"Faster releases","targetDate":"30/06/2026"}""", "targetDate")]
    [InlineData("""{"title":"Faster releases","targetDate":"0001-01-01"}""", "targetDate")]
    [InlineData("""{"title":"Faster releases","kind":"numeric"}""", "kind")]
    [InlineData("""{"title":"Faster releases","priority":0}""", "priority")]
    [InlineData("""{"title":"Faster releases","stakeholderIds":"abc"}""", "stakeholderIds")]
    [InlineData("""{"description":"no title"}""", "title")]
    public async Task Bad_objectives_name_the_field(string body, string field)
    {
        var s = await Scenario.CreateAsync(App);
        await (await s.Csm.SendRawAsync(HttpMethod.Post, $"plans/{s.PlanId}/objectives", body)).ExpectFieldErrorAsync(field);
        var objectives = await s.Csm.GetJsonAsync($"plans/{s.PlanId}/objectives");
        Assert.Single(objectives["items"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"name":"Frequency","direction":"up"}""", "direction")]
    [InlineData("""{"name":"Frequency","baseline":{"value":"two"}}""", "baseline.value")]
    [InlineData("""{"name":"Frequency","baseline":{"value":2,"at":"2026-13-01"}}""", "baseline.at")]
    [InlineData("""{"name":"Frequency","baseline":{"value":2,"at":"2026-06-01"},"target":{"value":10,"by":"2026-01-01"}}""", "target.by")]
    public async Task Bad_metrics_name_the_field(string body, string field)
    {
        var s = await Scenario.CreateAsync(App);
        await (await s.Csm.SendRawAsync(HttpMethod.Post, $"objectives/{s.ObjectiveId}/metrics", body)).ExpectFieldErrorAsync(field);
    }

    [Theory]
    [InlineData("""{"at":"2026-01-01"}""", "value")]
    [InlineData("""{"value":3}""", "at")]
    [InlineData("""{"value":3,"at":"yesterday"}""", "at")]
    public async Task Bad_measurements_name_the_field(string body, string field)
    {
        var s = await Scenario.CreateAsync(App);
        await (await s.Csm.SendRawAsync(HttpMethod.Post, $"metrics/{s.MetricId}/measurements", body)).ExpectFieldErrorAsync(field);
    }

    [Theory]
    [InlineData("""{"summary":"x"}""", "type")]
    [InlineData("""{"type":"call"}""", "summary")]
    [InlineData("""{"type":"call","summary":"x","visibility":"public"}""", "visibility")]
    [InlineData("""{"type":"call","summary":"x","occurredAt":"not a time"}""", "occurredAt")]
    public async Task Bad_activities_name_the_field(string body, string field)
    {
        var s = await Scenario.CreateAsync(App);
        await (await s.Csm.SendRawAsync(HttpMethod.Post, $"accounts/{s.AccountId}/activities", body)).ExpectFieldErrorAsync(field);
    }

    [Theory]
    [InlineData("POST", "accounts", """{"name":"Acme","name":"Evil Acme"}""", "name")]
    [InlineData("PATCH", "opportunities/{opportunity}", """{"netArr":5,"netArr":-5}""", "netArr")]
    [InlineData("POST", "objectives/{objective}/metrics", """{"name":"Frequency","baseline":{"value":1,"value":2}}""", "baseline.value")]
    [InlineData("PUT", "opportunities/{opportunity}/close-plan", """{"elements":{"whatWeHeard":{"content":"a"},"whatWeHeard":{"content":"b"}}}""", "elements.whatWeHeard")]
    [InlineData("PUT", "opportunities/{opportunity}/close-plan", """{"elements":null}""", "elements")]
    [InlineData("POST", "objectives/{objective}/initiatives", """{"title":"Templates","tasks":null}""", "tasks")]
    [InlineData("PATCH", "initiatives/{initiative}", """{"tasks":null}""", "tasks")]
    [InlineData("POST", "objectives/{objective}/initiatives", """{"title":"Templates","tasks":[null]}""", "tasks[0]")]
    [InlineData("POST", "plans/{plan}/objectives", """{"title":"Faster releases","stakeholderIds":null}""", "stakeholderIds")]
    [InlineData("POST", "plans", """{"accountId":"{account}","title":"Plan","sections":null}""", "sections")]
    [InlineData("POST", "smart/check", """{"title":"Deploy more","metrics":null}""", "metrics")]
    public async Task Duplicate_keys_and_null_lists_name_the_field(string method, string path, string body, string field)
    {
        var s = await Scenario.CreateAsync(App);
        string Fill(string text) => text.Replace("{account}", s.AccountId).Replace("{plan}", s.PlanId).Replace("{objective}", s.ObjectiveId)
            .Replace("{opportunity}", s.OpportunityId).Replace("{initiative}", s.InitiativeId);
        var problem = await (await s.Csm.SendRawAsync(new HttpMethod(method), Fill(path), Fill(body))).ExpectFieldErrorAsync(field);
        var message = problem["errors"]![field]![0]!.GetValue<string>();
        Assert.True(message.Contains("more than once", StringComparison.Ordinal) || message.Contains("null", StringComparison.Ordinal), message);
    }

    [Theory]
    [InlineData("accounts?segment=huge", "segment")]
    [InlineData("accounts?limit=0", "limit")]
    [InlineData("accounts?limit=501", "limit")]
    [InlineData("accounts?limit=ten", "limit")]
    [InlineData("accounts?cursor=zzz", "cursor")]
    [InlineData("opportunities?stage=won", "stage")]
    public async Task Bad_query_parameters_name_the_parameter(string path, string field)
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        await (await manager.GetAsync(path)).ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task Ids_that_do_not_exist_are_404_problems()
    {
        var s = await Scenario.CreateAsync(App);
        foreach (var path in new[] { "accounts/nope", "plans/nope", "objectives/nope", "metrics/nope/measurements", "initiatives/nope", "stakeholders/nope", "opportunities/nope", "activities/nope" })
        {
            await (await s.Manager.GetAsync(path)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        await (await s.Manager.PostAsync("plans", new { accountId = "nope", title = "Orphan" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await s.Manager.PostAsync("opportunities", new { accountId = "nope", name = "Orphan", type = "new" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await s.Manager.GetAsync("/api/v1/no-such-route")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<int> CountAsync()
    {
        await using var db = App.SystemDb();
        return await db.Accounts.CountAsync() + await db.AuditEntries.CountAsync();
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteBadInputTests(SqliteApp app) : BadInputTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresBadInputTests(PostgresApp app) : BadInputTests(app);
