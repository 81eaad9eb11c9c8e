using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Three <c>verity serve</c> processes on one PostgreSQL behind haproxy, round-robin, no sticky sessions:
/// <c>bench/nodes.sh</c> signs in, reads, writes and signs out through the proxy and checks the triage ran once.
/// Without haproxy (or PostgreSQL) it is skipped, except under CI=true, where that is a failure.
/// </summary>
public sealed class SeveralNodesTests
{
    [Fact]
    [NeedsPostgres]
    public async Task Three_nodes_behind_haproxy_pass_the_scenario_through_the_proxy()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var postgres = Environment.GetEnvironmentVariable("VERITY_TEST_POSTGRES");
        string? missing = string.IsNullOrWhiteSpace(postgres) ? "VERITY_TEST_POSTGRES is not set: the nodes share a PostgreSQL database."
            : !OnPath("haproxy") ? "haproxy is not installed (Debian: apt-get install -y haproxy); .ci/run installs it."
            : null;
        if (missing is not null)
        {
            Assert.False(ci, missing);
            Assert.Skip(missing);
        }

        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
        };
        start.ArgumentList.Add("bench/nodes.sh");
        start.Environment["VERITY_DLL"] = Path.Combine(AppContext.BaseDirectory, "verity.dll");
        start.Environment["DOTNET"] = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = script.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await script.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Its trap stops the nodes, the proxy and drops the database.
            Process.Start("kill", ["-TERM", script.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            await script.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"bench/nodes.sh did not finish in 4 minutes: {await output}{await error}");
        }

        var said = await output + await error;
        Assert.True(script.ExitCode == 0, $"bench/nodes.sh exited {script.ExitCode}:{Environment.NewLine}{said}");
        Assert.DoesNotContain("FAIL", said);
        Assert.Equal(7, said.Split('\n').Count(line => line.StartsWith("PASS ", StringComparison.Ordinal)));
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"])
            .Any(folder => File.Exists(Path.Combine(folder, command)));

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Verity.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository (Verity.slnx) is not above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// Two nodes in this process on one database, each with its own memory: what one node issues the other accepts, and
/// what one node ends (a token, a user) the other refuses within <see cref="Access.Sessions.OtherNodes"/>, long before
/// its own memory of the token or session would run out (<see cref="Access.Sessions.Recheck"/>).
/// </summary>
public abstract class TwoNodeTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";

    private static CancellationToken Aborted => TestContext.Current.CancellationToken;

    protected VerityApp A { get; private set; } = null!;

    protected VerityApp B { get; private set; } = null!;

    protected abstract VerityApp FirstNode();

    public async ValueTask InitializeAsync()
    {
        A = FirstNode();
        await A.InitializeAsync();
        if (A.Unavailable is { } reason)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), reason);
            Assert.Skip(reason);
        }

        B = new SameDatabaseApp(A.Database);
    }

    public async ValueTask DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        await A.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_cookie_and_an_antiforgery_token_from_one_node_work_on_the_other_with_the_key_in_the_database()
    {
        var user = await A.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var jar = new CookieContainer();
        var onA = A.Browser(jar);
        var onB = B.Browser(jar);

        // The sign-in form from A, posted to B.
        var form = await onA.GetStringAsync("/signin", Aborted);
        var signedIn = await onB.PostAsync("/signin", SignInForm(VerityApp.AntiforgeryToken(form), user.Email!), Aborted);
        Assert.Equal("/", signedIn.RequestMessage!.RequestUri!.AbsolutePath);

        // B's cookie opens A's pages; A's page token lets a cookie write through on B.
        Assert.Contains("Sign out", await onA.GetStringAsync("/accounts", Aborted));
        var page = await onA.GetStringAsync("/accounts", Aborted);
        var write = new HttpRequestMessage(HttpMethod.Post, "/api/v1/me/tokens") { Content = JsonContent.Create(new { name = "From the browser" }) };
        write.Headers.Add("RequestVerificationToken", VerityApp.AntiforgeryToken(page));
        Assert.Equal(HttpStatusCode.Created, (await onB.SendAsync(write, Aborted)).StatusCode);

        await using var db = A.SystemDb();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync(Aborted));
    }

    [Fact]
    public async Task A_token_revoked_on_one_node_is_refused_there_at_once_and_on_the_other_within_a_second()
    {
        var user = await A.SignInAsync(UserRole.CustomerSuccessManager);
        var created = await user.CreateAsync("me/tokens", new { name = "CRM sync" });
        var onA = Bearer(A, created.Str("token"));
        var onB = Bearer(B, created.Str("token"));
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/api/v1/accounts", Aborted)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/accounts", Aborted)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"me/tokens/{created.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/v1/accounts", Aborted)).StatusCode);
        await RefusedSoonAsync(onB);
    }

    [Fact]
    public async Task A_user_disabled_on_one_node_is_out_of_the_other_within_a_second_by_token_and_by_cookie()
    {
        var admin = await A.SignInAsync(UserRole.Admin);
        var user = await A.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var tokenOnB = Bearer(B, user.Http.DefaultRequestHeaders.Authorization!.Parameter!);
        var cookieOnB = B.Browser(new CookieContainer());
        var signIn = await VerityApp.PostSignInAsync(cookieOnB, user.Email!, Password);
        Assert.Equal("/", signIn.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await tokenOnB.GetAsync("/api/v1/accounts", Aborted)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cookieOnB.GetAsync("/api/v1/accounts", Aborted)).StatusCode);

        var current = await admin.GetAsync($"users/{user.UserId}");
        (await admin.PatchAsync($"users/{user.UserId}", new { status = "disabled" }, current.Headers.ETag!.Tag)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("accounts")).StatusCode);
        await RefusedSoonAsync(tokenOnB);
        await RefusedSoonAsync(cookieOnB);
    }

    [Fact]
    public async Task Wrong_passwords_spread_over_two_nodes_lock_a_known_and_an_unknown_address_alike()
    {
        var known = await A.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var unknown = $"nobody-{Ids.New()[^8..]}@test.verity";
        foreach (var address in new[] { known.Email!, unknown })
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var wrong = await VerityApp.PostSignInAsync((attempt % 2 == 0 ? A : B).CreateClient(), address, "wrong password");
                Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            }

            var locked = await VerityApp.PostSignInAsync(A.CreateClient(), address, Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Contains("locked", await locked.Content.ReadAsStringAsync(Aborted));
        }
    }

    /// <summary>Asks until the answer is 401: within a second or so, and well before the node's 30-second memory ends.</summary>
    private static async Task RefusedSoonAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = (await client.GetAsync("/api/v1/accounts", Aborted)).StatusCode) != HttpStatusCode.Unauthorized && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100, Aborted);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"The other node refused after {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    private static HttpClient Bearer(VerityApp node, string token)
    {
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static FormUrlEncodedContent SignInForm(string antiforgery, string email) => new(new Dictionary<string, string>
    {
        ["_handler"] = "signin",
        ["__RequestVerificationToken"] = antiforgery,
        ["Form.Email"] = email,
        ["Form.Password"] = Password,
    });

    /// <summary>Another node: the same database, its own host, memory and keys loaded from the database.</summary>
    private sealed class SameDatabaseApp(string database) : VerityApp
    {
        protected override string DatabaseSetting => database;
    }
}

public sealed class SqliteTwoNodeTests : TwoNodeTests
{
    protected override VerityApp FirstNode() => new SqliteApp();

    [Fact]
    public async Task Every_sqlite_connection_waits_out_a_writer_and_enforces_foreign_keys_however_often_it_is_reopened()
    {
        await using var db = A.SystemDb();
        for (var open = 0; open < 3; open++)
        {
            await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
            Assert.Equal(30_000L, await Pragma(db, "busy_timeout"));
            Assert.Equal(1L, await Pragma(db, "foreign_keys"));
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<long> Pragma(VerityDb db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}

[NeedsPostgres]
public sealed class PostgresTwoNodeTests : TwoNodeTests
{
    protected override VerityApp FirstNode() => new PostgresApp();
}
