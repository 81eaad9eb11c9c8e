using System.Net;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Values are checked as they come in, and whatever is already stored still reads, draws and exports.</summary>
public abstract class MetricValueTests(VerityApp app) : ApiTests(app)
{
    [Theory]
    [InlineData("""{"name":"Frequency","baseline":{"value":1e13}}""", "baseline.value")]
    [InlineData("""{"name":"Frequency","baseline":{"value":-1000000000001}}""", "baseline.value")]
    [InlineData("""{"name":"Frequency","target":{"value":2e12}}""", "target.value")]
    [InlineData("""{"name":"Frequency","baseline":{"value":1e400}}""", "baseline.value")]
    [InlineData("""{"name":"Frequency","baseline":{"value":-1e13},"target":{"value":1e13}}""", "target.value")]
    public async Task Absurd_metric_values_name_the_field(string body, string field)
    {
        var s = await Scenario.CreateAsync(App);
        await (await s.Csm.SendRawAsync(HttpMethod.Post, $"objectives/{s.ObjectiveId}/metrics", body)).ExpectFieldErrorAsync(field);
        await (await s.Csm.SendRawAsync(HttpMethod.Patch, $"metrics/{s.MetricId}", body)).ExpectFieldErrorAsync(field);
    }

    [Theory]
    [InlineData("""{"value":1e13,"at":"2026-06-01"}""")]
    [InlineData("""{"value":-1.5e12,"at":"2026-06-01"}""")]
    [InlineData("""{"value":1e400,"at":"2026-06-01"}""")]
    [InlineData("""{"value":"NaN","at":"2026-06-01"}""")]
    public async Task Absurd_measurements_name_the_value(string body)
    {
        var s = await Scenario.CreateAsync(App);
        await (await s.Csm.SendRawAsync(HttpMethod.Post, $"metrics/{s.MetricId}/measurements", body)).ExpectFieldErrorAsync("value");
    }

    [Fact]
    public async Task A_trillion_is_still_a_value()
    {
        var s = await Scenario.CreateAsync(App);
        await s.Csm.CreateAsync($"metrics/{s.MetricId}/measurements", new { value = 1e12, at = "2026-06-02" });
        await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/metrics", new { name = "Spend", baseline = new { value = -1e12 }, target = new { value = 1e12 } });
    }

    [Theory]
    [InlineData("baseline")]
    [InlineData("target")]
    public async Task The_smart_check_names_an_absurd_metric_value(string which)
    {
        var s = await Scenario.CreateAsync(App);
        var metric = new Dictionary<string, object> { ["name"] = "Frequency", [which] = 5e12 };
        var response = await s.Csm.PostAsync("smart/check", new { title = "Deploy more", metrics = new[] { metric } });
        await response.ExpectFieldErrorAsync($"metrics[0].{which}");
    }

    [Fact]
    public async Task Extreme_stored_values_still_render_the_pages_and_every_export()
    {
        var s = await Scenario.CreateAsync(App);
        var viewer = await App.SignInAsync(UserRole.CustomerSuccessManager, password: "correct horse battery staple");
        (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = viewer.UserId, role = "customerSuccessManager" },
        })).EnsureSuccessStatusCode();

        // Written past the API's checks, as an older version or a hand-made import might have.
        await using (var db = App.SystemDb())
        {
            var metric = new Metric
            {
                AccountId = s.AccountId,
                ObjectiveId = s.ObjectiveId,
                Name = "Overflow",
                BaselineValue = -1e308,
                TargetValue = 1e308,
                BaselineAt = new DateOnly(2026, 1, 1),
            };
            db.Metrics.Add(metric);
            db.Measurements.Add(new Measurement { AccountId = s.AccountId, MetricId = metric.Id, Value = 1e308, At = new DateOnly(2026, 2, 1) });
            db.Measurements.Add(new Measurement { AccountId = s.AccountId, MetricId = metric.Id, Value = -1e308, At = new DateOnly(2026, 3, 1) });
            db.Measurements.Add(new Measurement { AccountId = s.AccountId, MetricId = s.MetricId, Value = 1e308, At = new DateOnly(2026, 7, 1) });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var browser = await App.SignInToPagesAsync(viewer.Email!, "correct horse battery staple");
        foreach (var page in new[] { $"/plans/{s.PlanId}", $"/objectives/{s.ObjectiveId}" })
        {
            var response = await browser.GetAsync(page, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
            Assert.Contains("<svg", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        foreach (var path in new[] { $"plans/{s.PlanId}", $"objectives/{s.ObjectiveId}", $"objectives/{s.ObjectiveId}/metrics", $"metrics/{s.MetricId}/measurements" })
        {
            await s.Csm.GetJsonAsync(path);
        }

        foreach (var artifact in new[] { "mutualPlan", "proposal", "kickoff", "businessReview", "closePlan" })
        {
            foreach (var format in new[] { "pptx", "pdf", "md", "csv", "xlsx" })
            {
                var response = await s.Csm.GetAsync($"plans/{s.PlanId}/export?format={format}&artifact={artifact}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{artifact}.{format}: {(int)response.StatusCode}");
            }
        }
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteMetricValueTests(SqliteApp app) : MetricValueTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresMetricValueTests(PostgresApp app) : MetricValueTests(app);
