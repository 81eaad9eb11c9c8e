using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Verity.Tests.Infrastructure;

[assembly: TestFramework(typeof(VerityTestFramework))]

namespace Verity.BrowserTests;

/// <summary>
/// Verity on a real Kestrel server on 127.0.0.1, on SQLite or on PostgreSQL, and Debian's Chromium driven by
/// Playwright. Without <c>VERITY_TEST_CHROMIUM</c> (or, for PostgreSQL, <c>VERITY_TEST_POSTGRES</c>) the tests skip,
/// except under CI=true, where they fail.
/// </summary>
[NeedsChromium]
public abstract class BrowserFixture(VerityApp app) : IAsyncLifetime
{
    private readonly string? _chromium = Environment.GetEnvironmentVariable("VERITY_TEST_CHROMIUM");
    private IPlaywright? _playwright;

    public VerityApp App { get; } = app;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(_chromium) || !File.Exists(_chromium))
        {
            Unavailable = "VERITY_TEST_CHROMIUM does not name a Chromium executable (e.g. /usr/bin/chromium): browser tests need one.";
            return;
        }

        // Shared CI machines are slow at times: wait for a page as long as a patient user would.
        Assertions.SetDefaultExpectTimeout(15_000);
        App.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await App.InitializeAsync();
        if (App.Unavailable is { } reason)
        {
            Unavailable = reason;
            return;
        }

        App.StartServer();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = _chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }

        await App.DisposeAsync();
    }
}

public sealed class SqliteBrowser() : BrowserFixture(new SqliteApp());

[NeedsPostgres]
public sealed class PostgresBrowser() : BrowserFixture(new PostgresApp());

[CollectionDefinition(Name)]
public sealed class SqliteBrowserCollection : ICollectionFixture<SqliteBrowser>
{
    public const string Name = "browser on SQLite";
}

[CollectionDefinition(Name)]
public sealed class PostgresBrowserCollection : ICollectionFixture<PostgresBrowser>
{
    public const string Name = "browser on PostgreSQL";
}
