using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Verity.Tests.Infrastructure;

/// <summary>What a finished <c>verity</c> command said.</summary>
public sealed record CommandResult(int Code, string Output, string Error)
{
    public override string ToString() => $"exit code {Code}; stdout: {Output.Trim()}; stderr: {Error.Trim()}";
}

/// <summary>
/// The built <c>verity</c> as a child process, the way an operator, cron or systemd runs it: its own
/// process, its own connections, and a SIGKILL ends it as abruptly as a crash.
/// </summary>
public static class VerityProcess
{
    private static readonly string _dll = Path.Combine(AppContext.BaseDirectory, "verity.dll");

    public static async Task<CommandResult> RunAsync(string database, params string[] args)
    {
        using var process = Start([.. args, "--database", database]);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"verity {string.Join(' ', args)} did not finish in 2 minutes.");
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>Adds an admin with the CLI and returns a personal access token for them, also made with the CLI.</summary>
    public static async Task<string> CreateAdminTokenAsync(string database)
    {
        var added = await RunAsync(database, "users", "add", "--email", "writer@test.verity", "--name", "Writer", "--role", "admin");
        Assert.True(added.Code == 0, $"users add: {added}");
        var token = await RunAsync(database, "tokens", "create", "--email", "writer@test.verity");
        Assert.True(token.Code == 0, $"tokens create: {token}");
        return token.Output.Trim();
    }

    internal static Process Start(IEnumerable<string> args)
    {
        // The SDK tells child processes which dotnet runs them; PATH may hold another or none.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(_dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Request logs would only slow a server the tests load on purpose.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // A thousand writes a minute from one token is the point of these tests, not a flood to slow down.
        start.Environment["VERITY_RateLimit__PerMinute"] = "1000000";
        start.Environment.Remove("VERITY_DATABASE");
        start.Environment.Remove("VERITY_URLS");
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}

/// <summary>A <c>verity serve</c> child process on a free port, killed when disposed whatever the test did.</summary>
public sealed class VerityServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private VerityServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>The server's last lines of output, for failure messages.</summary>
    public string Log => string.Join(Environment.NewLine, _log);

    public static async Task<VerityServer> StartAsync(string database)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var server = new VerityServer(VerityProcess.Start(["serve", "--urls", address.ToString().TrimEnd('/'), "--database", database]), address);
        try
        {
            await server.WaitUntilHealthyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL on Unix: no shutdown hooks, no flushing, as when the machine's OOM killer strikes.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await KillAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"verity serve exited with code {_process.ExitCode}:{Environment.NewLine}{Log}");
            }

            try
            {
                using var response = await probe.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"verity serve did not answer /healthz in 90 seconds:{Environment.NewLine}{Log}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 200 && _log.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// An empty database of either kind that a child process can use, removed afterwards. Without
/// <c>VERITY_TEST_POSTGRES</c> a PostgreSQL one skips the test, except under CI=true, where it fails it.
/// </summary>
public abstract class ScratchDatabase : IAsyncDisposable
{
    /// <summary>The <c>--database</c> value.</summary>
    public abstract string Setting { get; }

    public static async Task<ScratchDatabase> CreateAsync(string provider) => provider switch
    {
        "sqlite" => new ScratchSqlite(),
        "postgres" => await ScratchPostgres.CreateAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres"),
    };

    public async Task<HashSet<string>> AccountIdsAsync()
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\" FROM \"Accounts\"";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<List<string>> UserEmailsAsync()
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Email\" FROM \"AspNetUsers\" ORDER BY \"Email\"";
        await using var reader = await command.ExecuteReaderAsync();
        var emails = new List<string>();
        while (await reader.ReadAsync())
        {
            emails.Add(reader.GetString(0));
        }

        return emails;
    }

    public abstract ValueTask DisposeAsync();

    protected abstract System.Data.Common.DbConnection Connect();
}

public sealed class ScratchSqlite : ScratchDatabase
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"verity-durability-{Guid.NewGuid():N}.db");

    public override string Setting => "sqlite:" + Path;

    public async Task<string> IntegrityCheckAsync()
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }

        return ValueTask.CompletedTask;
    }

    // Unpooled, so nothing in the test process keeps the file open after a look.
    protected override System.Data.Common.DbConnection Connect() =>
        new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
}

public sealed class ScratchPostgres : ScratchDatabase
{
    private readonly string _server;
    private readonly string _database = $"verity_durability_{Guid.NewGuid():N}";

    private ScratchPostgres(string server) => _server = server;

    public override string Setting => "postgres:" + new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;

    public static async Task<ScratchPostgres> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("VERITY_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            const string reason = "VERITY_TEST_POSTGRES is not set: PostgreSQL tests need a server (see README).";
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), reason);
            Assert.Skip(reason);
        }

        var database = new ScratchPostgres(server);
        await database.AdministerAsync($"CREATE DATABASE \"{database._database}\"");
        return database;
    }

    public override async ValueTask DisposeAsync() => await AdministerAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");

    // Unpooled, so the drop at the end finds no idle connection of the test's own.
    protected override System.Data.Common.DbConnection Connect() =>
        new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = _database, Pooling = false }.ConnectionString);

    private async Task AdministerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
