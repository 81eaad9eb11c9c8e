using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Verity.Cli;

namespace Verity.Benchmarks;

/// <summary>
/// Server time of the reads a CSM makes most, on the demo data set (SQLite): the plan through the API and as
/// a page, and the account list page. In-process HTTP, so the figures are the server's work, not the network's.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class PlanReadBenchmarks
{
    private DemoHost _app = null!;
    private HttpClient _api = null!;
    private HttpClient _pages = null!;
    private string _planId = "";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task<string> PlanApi() => _api.GetStringAsync($"/api/v1/plans/{_planId}");

    [Benchmark]
    public Task<string> PlanPage() => _pages.GetStringAsync($"/plans/{_planId}");

    [Benchmark]
    public Task<string> AccountsPage() => _pages.GetStringAsync("/accounts");

    private async Task SetupAsync()
    {
        _app = await DemoHost.StartAsync();
        _api = _app.Api;
        await using var db = _app.SystemDb();
        _planId = await db.Plans.Where(p => p.Title.StartsWith("Northwind")).Select(p => p.Id).SingleAsync();
        _pages = await _app.SignInToPagesAsync("csm@demo.verity", DemoData.Password);
    }
}
