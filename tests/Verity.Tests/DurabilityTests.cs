using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// A backup taken while a real server writes holds every write acknowledged before the backup began,
/// and restores into a fresh database.
/// </summary>
public sealed class BackupUnderLoadTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_backup_taken_under_write_load_restores_every_write_acknowledged_before_it_began(string provider)
    {
        await using var source = await ScratchDatabase.CreateAsync(provider);
        await using var fresh = await ScratchDatabase.CreateAsync(provider);
        var backup = Path.Combine(Path.GetTempPath(), $"verity-backup-{Guid.NewGuid():N}.{provider}");
        try
        {
            var token = await VerityProcess.CreateAdminTokenAsync(source.Setting);
            await using var server = await VerityServer.StartAsync(source.Setting);
            using var http = server.Client(token);
            await using var writers = new AccountWriters(http, clients: 4);
            await writers.WaitForAsync(100);

            var acknowledgedBefore = writers.Acknowledged;
            var clock = Stopwatch.StartNew();
            var backedUp = await VerityProcess.RunAsync(source.Setting, "backup", backup);
            var backupTook = clock.Elapsed;
            var acknowledgedDuring = writers.Acknowledged.Count - acknowledgedBefore.Count;
            await writers.StopAsync();
            Assert.True(backedUp.Code == 0, $"backup: {backedUp}{Environment.NewLine}{server.Log}");
            Assert.Empty(writers.Failures);
            Assert.True(acknowledgedDuring > 0, "No write was acknowledged while the backup ran: it was not taken under load.");

            clock.Restart();
            var restored = await VerityProcess.RunAsync(fresh.Setting, "restore", backup);
            Assert.True(restored.Code == 0, $"restore: {restored}");
            var ids = await fresh.AccountIdsAsync();
            var lost = acknowledgedBefore.Where(id => !ids.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledgedBefore.Count} writes acknowledged before the backup are missing, e.g. {lost.FirstOrDefault()}.");

            // Whatever else the backup holds was written by these clients, acknowledged or in flight when it began.
            Assert.True(ids.Count <= writers.Acknowledged.Count + 4, $"{ids.Count} accounts restored, {writers.Acknowledged.Count} written");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{provider}: {acknowledgedBefore.Count} writes acknowledged before the backup, {acknowledgedDuring} during it ({backupTook.TotalSeconds:F1} s), "
                + $"{writers.Acknowledged.Count} in all; the backup held {ids.Count}; restore took {clock.Elapsed.TotalSeconds:F1} s.");
        }
        finally
        {
            File.Delete(backup);
        }
    }
}

/// <summary>A write the API acknowledged survives the server being killed with SIGKILL mid-stream.</summary>
public sealed class CrashTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_acknowledged_write_survives_a_kill_9_mid_stream(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(provider);
        var token = await VerityProcess.CreateAdminTokenAsync(database.Setting);
        IReadOnlyCollection<string> acknowledged;
        int cutOff;
        TimeSpan writing;
        await using (var server = await VerityServer.StartAsync(database.Setting))
        {
            using var http = server.Client(token);
            var clock = Stopwatch.StartNew();
            await using var writers = new AccountWriters(http, clients: 4);
            await writers.WaitForAsync(1000);
            await server.KillAsync();
            writing = clock.Elapsed;
            await writers.StopAsync();

            // Only a 201 counts; requests cut off by the kill were never acknowledged.
            acknowledged = writers.Acknowledged;
            cutOff = writers.Failures.Count;
            Assert.All(writers.Failures, failure => Assert.StartsWith("HttpRequestException", failure));
        }

        await using (var restarted = await VerityServer.StartAsync(database.Setting))
        {
            var ids = await database.AccountIdsAsync();
            var lost = acknowledged.Where(id => !ids.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes are missing after the kill, e.g. {lost.FirstOrDefault()}.");
            if (database is ScratchSqlite sqlite)
            {
                Assert.Equal("ok", await sqlite.IntegrityCheckAsync());
            }

            using var http = restarted.Client(token);
            var last = await http.GetAsync($"/api/v1/accounts/{acknowledged.Last()}");
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{provider}: {acknowledged.Count} writes acknowledged in {writing.TotalSeconds:F1} s before the kill, {cutOff} requests cut off; "
                + $"{ids.Count} accounts after the restart.");
        }
    }
}

/// <summary>The backup commands refuse what would lose data and say what is wrong, by name.</summary>
public sealed class BackupCommandTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Restore_refuses_a_database_with_users_or_accounts_unless_forced(string provider)
    {
        await using var source = await ScratchDatabase.CreateAsync(provider);
        await using var target = await ScratchDatabase.CreateAsync(provider);
        var backup = Path.Combine(Path.GetTempPath(), $"verity-backup-{Guid.NewGuid():N}.{provider}");
        try
        {
            Assert.Equal(0, (await AddUserAsync(source, "kept@test.verity")).Code);
            var backedUp = await VerityProcess.RunAsync(source.Setting, "backup", backup);
            Assert.True(backedUp.Code == 0, backedUp.ToString());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            }

            Assert.Equal(0, (await AddUserAsync(target, "replaced@test.verity")).Code);

            var refused = await VerityProcess.RunAsync(target.Setting, "restore", backup);
            Assert.Equal(1, refused.Code);
            Assert.Contains("--force", refused.Error);
            Assert.Contains("1 users", refused.Error);
            Assert.Equal(["replaced@test.verity"], await target.UserEmailsAsync());

            var forced = await VerityProcess.RunAsync(target.Setting, "restore", backup, "--force");
            Assert.True(forced.Code == 0, forced.ToString());
            Assert.Equal(["kept@test.verity"], await target.UserEmailsAsync());
        }
        finally
        {
            File.Delete(backup);
        }
    }

    [Fact]
    public async Task Bad_files_and_databases_are_refused_with_a_message_naming_them()
    {
        await using var database = new ScratchSqlite();
        var folder = Directory.CreateTempSubdirectory("verity-backup-").FullName;
        try
        {
            var missing = await VerityProcess.RunAsync(database.Setting, "restore", Path.Combine(folder, "none.db"));
            AssertRefused(missing, "FILE: there is no file");

            var notABackup = Path.Combine(folder, "notes.txt");
            await File.WriteAllTextAsync(notABackup, "not a backup", TestContext.Current.CancellationToken);
            AssertRefused(await VerityProcess.RunAsync(database.Setting, "restore", notABackup), "is not a Verity backup");

            var pgDump = Path.Combine(folder, "other.dump");
            await File.WriteAllTextAsync(pgDump, "PGDMP and the rest of an archive", TestContext.Current.CancellationToken);
            AssertRefused(await VerityProcess.RunAsync(database.Setting, "restore", pgDump), "--database: ");

            AssertRefused(await VerityProcess.RunAsync(database.Setting, "backup", Path.Combine(folder, "x.db")), "--database: there is no SQLite database");
            Assert.False(File.Exists(database.Path), "Backing up a missing database created it.");

            Assert.Equal(0, (await AddUserAsync(database, "someone@test.verity")).Code);
            AssertRefused(await VerityProcess.RunAsync(database.Setting, "backup", Path.Combine(folder, "no-such-folder", "x.db")), "FILE: the folder");

            var truncated = Path.Combine(folder, "truncated.db");
            Assert.Equal(0, (await VerityProcess.RunAsync(database.Setting, "backup", truncated)).Code);
            var bytes = await File.ReadAllBytesAsync(truncated, TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 3)], TestContext.Current.CancellationToken);
            await using var fresh = new ScratchSqlite();
            AssertRefused(await VerityProcess.RunAsync(fresh.Setting, "restore", truncated), "FILE: ");
            Assert.Empty(Directory.GetFiles(folder, "*.partial"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static void AssertRefused(CommandResult result, string message)
        {
            Assert.Equal(1, result.Code);
            Assert.Contains(message, result.Error);
            Assert.DoesNotContain("   at ", result.Error);
        }
    }

    [Fact]
    public void The_postgres_tools_get_the_connection_from_the_environment()
    {
        var variables = Cli.PostgresTools.Environment("Host=db.example;Port=6543;Username=verity;Password=s3cret;Database=prod;SSL Mode=Require")
            .ToDictionary(v => v.Name, v => v.Value);
        Assert.Equal("db.example", variables["PGHOST"]);
        Assert.Equal("6543", variables["PGPORT"]);
        Assert.Equal("verity", variables["PGUSER"]);
        Assert.Equal("s3cret", variables["PGPASSWORD"]);
        Assert.Equal("prod", variables["PGDATABASE"]);
        Assert.Equal("require", variables["PGSSLMODE"]);

        // What the connection string leaves out, the tools take from the environment they inherit (or ~/.pgpass).
        Assert.DoesNotContain("PGPASSWORD", Cli.PostgresTools.Environment("Host=db.example;Database=prod").Select(v => v.Name));
    }

    [Fact]
    public void The_postgres_tools_are_found_on_the_path_or_else_in_the_newest_versioned_folder()
    {
        var root = Directory.CreateTempSubdirectory("verity-pg-").FullName;
        try
        {
            var onPath = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
            var versions = Path.Combine(root, "postgresql");
            foreach (var version in new[] { "9", "15", "13" })
            {
                var bin = Directory.CreateDirectory(Path.Combine(versions, version, "bin")).FullName;
                File.WriteAllText(Path.Combine(bin, "pg_dump"), "");
            }

            Assert.Equal(Path.Combine(versions, "15", "bin", "pg_dump"), Cli.PostgresTools.Find("pg_dump", onPath, versions));
            File.WriteAllText(Path.Combine(onPath, "pg_dump"), "");
            Assert.Equal(Path.Combine(onPath, "pg_dump"), Cli.PostgresTools.Find("pg_dump", onPath, versions));
            Assert.Null(Cli.PostgresTools.Find("pg_restore", onPath, versions));
            Assert.Null(Cli.PostgresTools.Find("pg_dump", "", Path.Combine(root, "none")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Task<CommandResult> AddUserAsync(ScratchDatabase database, string email) =>
        VerityProcess.RunAsync(database.Setting, "users", "add", "--email", email, "--name", "Someone", "--role", "manager");
}

/// <summary>Clients that open accounts as fast as the server acknowledges them, noting each acknowledged id.</summary>
internal sealed class AccountWriters : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _acknowledged = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly Task[] _clients;

    public AccountWriters(HttpClient http, int clients)
    {
        _clients = [.. Enumerable.Range(0, clients).Select(client => Task.Run(() => WriteAsync(http, client)))];
    }

    /// <summary>A snapshot: every id in it had its 201 before this was read.</summary>
    public IReadOnlyCollection<string> Acknowledged => _acknowledged.ToArray();

    public IReadOnlyCollection<string> Failures => _failures.ToArray();

    public async Task WaitForAsync(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((count, reached));
        Notify();
        var stopped = Task.WhenAll(_clients);
        await Task.WhenAny(reached.Task, stopped).WaitAsync(TimeSpan.FromSeconds(120));
        if (!reached.Task.IsCompleted)
        {
            throw new InvalidOperationException(
                $"Every client stopped after {_acknowledged.Count} of {count} writes: {string.Join("; ", _failures)}");
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task WriteAsync(HttpClient http, int client)
    {
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("/api/v1/accounts", new { name = $"Writer {client} account {n}" }, _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    _failures.Enqueue($"{(int)response.StatusCode}: {body}");
                    return;
                }

                _acknowledged.Enqueue(JsonNode.Parse(body)!["id"]!.GetValue<string>());
                Notify();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e)
            {
                _failures.Enqueue($"{nameof(HttpRequestException)}: {e.Message}");
                return;
            }
        }
    }

    private void Notify()
    {
        foreach (var (count, reached) in _waiters)
        {
            if (_acknowledged.Count >= count)
            {
                reached.TrySetResult();
            }
        }
    }
}
