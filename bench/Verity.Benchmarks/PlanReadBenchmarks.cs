using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verity.Access;
using Verity.Cli;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Benchmarks;

/// <summary>
/// Server time of the reads a CSM makes most, on the demo data set (SQLite): the plan through the API and as
/// a page, and the account list page. In-process HTTP, so the figures are the server's work, not the network's.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class PlanReadBenchmarks
{
    private BenchApp _app = null!;
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
        _app = new BenchApp();
        await _app.InitializeAsync();
        var original = Console.Out;
        Console.SetOut(TextWriter.Null);
        await DemoData.LoadAsync(_app.Services, CancellationToken.None);
        Console.SetOut(original);

        await using var db = _app.SystemDb();
        _planId = await db.Plans.Where(p => p.Title.StartsWith("Northwind")).Select(p => p.Id).SingleAsync();
        var csm = await db.Users.SingleAsync(u => u.Email == "csm@demo.verity");
        var token = await PersonalAccessTokens.CreateAsync(db, csm.Id, TimeProvider.System, CancellationToken.None);
        _api = _app.CreateClient();
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _pages = await _app.SignInToPagesAsync("csm@demo.verity", DemoData.Password);
    }

    private sealed class BenchApp : SqliteAppBase;
}
