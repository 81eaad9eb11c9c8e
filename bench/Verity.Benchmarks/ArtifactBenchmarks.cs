using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;

namespace Verity.Benchmarks;

/// <summary>
/// Generating the artifacts of a 10-objective plan (each objective with a metric of six measurements and
/// two initiatives), end to end through <c>GET /api/v1/plans/{id}/export</c>: read, chart, render.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class ArtifactBenchmarks
{
    private DemoHost _app = null!;
    private HttpClient _api = null!;
    private string _planId = "";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task<byte[]> MutualPlanPptx() => _api.GetByteArrayAsync($"/api/v1/plans/{_planId}/export?format=pptx&artifact=mutualPlan");

    [Benchmark]
    public Task<byte[]> MutualPlanPdf() => _api.GetByteArrayAsync($"/api/v1/plans/{_planId}/export?format=pdf&artifact=mutualPlan");

    [Benchmark]
    public Task<byte[]> MutualPlanMarkdown() => _api.GetByteArrayAsync($"/api/v1/plans/{_planId}/export?format=md&artifact=mutualPlan");

    [Benchmark]
    public Task<byte[]> ObjectivesXlsx() => _api.GetByteArrayAsync($"/api/v1/plans/{_planId}/export?format=xlsx&artifact=mutualPlan");

    private async Task SetupAsync()
    {
        _app = await DemoHost.StartAsync();
        _api = _app.Api;
        await using var db = _app.SystemDb();
        var account = await db.Accounts.Where(a => a.Name == "Northwind Logistics").Select(a => a.Id).SingleAsync();

        var plan = await PostAsync("plans", new
        {
            accountId = account,
            title = "Ten-objective plan",
            sections = new Dictionary<string, object>
            {
                ["companyBackground"] = new { content = string.Join(" ", Enumerable.Repeat("Global freight and logistics group.", 30)) },
                ["businessOutcomes"] = new { content = "Ship customer-facing changes five times faster with fewer incidents." },
                ["adoptionJourney"] = new { content = "30 days: pilot. 60 days: ten teams. 90 days: all teams. 6 months: security scanning. 12 months: everything." },
            },
        });
        _planId = plan["id"]!.GetValue<string>();
        for (var o = 0; o < 10; o++)
        {
            var objective = await PostAsync($"plans/{_planId}/objectives", new
            {
                title = $"Increase deployment frequency of team {o + 1} from 2 to 10 per week",
                successCriteria = "10 deployments per week for a month",
                businessImpact = "Time to market improved by 5x",
                targetDate = "2027-06-30",
            });
            var id = objective["id"]!.GetValue<string>();
            var metric = await PostAsync($"objectives/{id}/metrics", new
            {
                name = "Deployment frequency",
                unit = "per week",
                baseline = new { value = 2, at = "2026-01-01" },
                target = new { value = 10, by = "2027-06-30" },
            });
            for (var month = 0; month < 6; month++)
            {
                await PostAsync($"metrics/{metric["id"]!.GetValue<string>()}/measurements", new { value = 2 + month, at = $"2026-{month + 1:00}-01" });
            }

            await PostAsync($"objectives/{id}/initiatives", new { title = "Pipeline templates", kind = "enablement", dueDate = "2026-12-15" });
            await PostAsync($"objectives/{id}/initiatives", new { title = "Migrate release jobs", kind = "migration", dueDate = "2027-02-15" });
        }
    }

    private async Task<JsonObject> PostAsync(string path, object body)
    {
        var response = await _api.PostAsJsonAsync($"/api/v1/{path}", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
