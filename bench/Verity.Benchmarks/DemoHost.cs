using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Cli;
using Verity.Tests.Infrastructure;

namespace Verity.Benchmarks;

/// <summary>Verity in-process on a fresh SQLite file with the demo data set, and an API client signed in as its CSM.</summary>
public sealed class DemoHost : SqliteAppBase
{
    public HttpClient Api { get; private set; } = null!;

    public static async Task<DemoHost> StartAsync()
    {
        var host = new DemoHost();
        await host.InitializeAsync();
        var original = Console.Out;
        Console.SetOut(TextWriter.Null);
        await DemoData.LoadAsync(host.Services, CancellationToken.None);
        Console.SetOut(original);

        await using var db = host.SystemDb();
        var csm = await db.Users.SingleAsync(u => u.Email == "csm@demo.verity");
        host.Api = host.CreateClient();
        host.Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", (await PersonalAccessTokens.CreateAsync(db, csm.Id, TimeProvider.System, CancellationToken.None)).Secret);
        return host;
    }
}
