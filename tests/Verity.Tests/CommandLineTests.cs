using System.Net;
using System.Net.Sockets;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The built <c>verity</c> as a new operator meets it, run as its own process: what it says when asked for help or
/// given something it cannot use (one line, a non-zero exit code, no stack trace), and the lists and the demo reset,
/// on SQLite and on PostgreSQL.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_and_an_unknown_command_print_the_usage_and_exit_1_instead_of_serving()
    {
        await using var database = await ScratchDatabase.CreateAsync("sqlite");
        var help = await VerityProcess.RunAsync(database.Setting, "help");
        Assert.True(help.Code == 1, help.ToString());
        Assert.Contains("Usage:", help.Output);
        Assert.Contains("accounts", help.Output);
        Assert.Contains("plans", help.Output);

        var unknown = await VerityProcess.RunAsync(database.Setting, "frobnicate");
        Assert.True(unknown.Code == 1, unknown.ToString());
        Assert.StartsWith("Unknown command 'frobnicate'.", unknown.Error);
        Assert.Contains("Usage:", unknown.Error);
        Assert.DoesNotContain("Now listening", unknown.Output);

        var stray = await VerityProcess.RunAsync(database.Setting, "serve", "frobnicate");
        Assert.True(stray.Code == 1, stray.ToString());
        Assert.StartsWith("serve: unexpected 'frobnicate'.", stray.Error);
    }

    [Fact]
    public async Task A_taken_port_an_address_that_is_none_and_a_database_verity_cannot_use_are_one_line_each()
    {
        await using var database = await ScratchDatabase.CreateAsync("sqlite");
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var taken = await VerityProcess.RunAsync(database.Setting, "serve", "--urls", $"http://127.0.0.1:{port}");
        AssertOneLine(taken, $"--urls: port {port} is already in use (http://127.0.0.1:{port}): stop the program that holds it or choose another port.");

        var notAUrl = await VerityProcess.RunAsync(database.Setting, "serve", "--urls", "notaurl");
        AssertOneLine(notAUrl, "--urls: 'notaurl' is not an address to listen on; give one like http://127.0.0.1:5000.");

        var nonsense = await VerityProcess.RunAsync("nonsense:x", "serve", "--urls", "http://127.0.0.1:0");
        AssertOneLine(nonsense, "--database: The database 'nonsense:x' is not understood: use sqlite:PATH or postgres:CONNSTRING.");
        Assert.Equal(nonsense.Error, (await VerityProcess.RunAsync("nonsense:x", "migrate")).Error);

        var folder = Path.Combine(Path.GetTempPath(), $"verity-no-such-folder-{Guid.NewGuid():N}");
        var missing = await VerityProcess.RunAsync($"sqlite:{folder}/verity.db", "serve", "--urls", "http://127.0.0.1:0");
        AssertOneLine(missing, $"--database: cannot open the SQLite database {folder}/verity.db: SQLite Error 14: 'unable to open database file'.");

        // A PostgreSQL server that is not there: nothing listens on a port just given up.
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var nobody = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var unreachable = await VerityProcess.RunAsync($"postgres:Host=127.0.0.1;Port={nobody};Database=verity;Username=verity;Timeout=3", "accounts", "list");
        Assert.True(unreachable.Code == 1, unreachable.ToString());
        Assert.StartsWith($"--database: cannot open the PostgreSQL database verity on 127.0.0.1:{nobody}: Failed to connect", unreachable.Error);
        Assert.Single(unreachable.Error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Accounts_and_plans_are_listed_as_the_api_lists_them_one_a_line(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(provider);
        var empty = await VerityProcess.RunAsync(database.Setting, "accounts", "list");
        Assert.True(empty.Code == 0, empty.ToString());
        Assert.Equal(["id\tname\tsegment\tpotentialUsers\tfocus\tarr\trenewalDate"], Lines(empty.Output));

        Assert.Equal(0, (await VerityProcess.RunAsync(database.Setting, "demo")).Code);
        var accounts = await VerityProcess.RunAsync(database.Setting, "accounts", "list");
        Assert.True(accounts.Code == 0, accounts.ToString());
        var rows = Lines(accounts.Output).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.Equal((await database.AccountIdsAsync()).Order(), rows.Select(r => r[0]).Order());
        var northwind = Assert.Single(rows, r => r[1] == "Northwind Logistics");
        Assert.Equal(["strategic", "12000", "yes", "1850000"], northwind[2..6]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", northwind[6]);

        var plans = await VerityProcess.RunAsync(database.Setting, "plans", "list");
        Assert.True(plans.Code == 0, plans.ToString());
        var planRows = Lines(plans.Output);
        Assert.Equal("id\taccount\ttitle\tstatus\towner\tlastReviewed", planRows[0]);
        Assert.Equal(3, planRows.Count - 1);
        Assert.Contains(planRows, r => r.Contains("\tNorthwind Logistics\tNorthwind Logistics — Mutual Success Plan\tcustomerAccepted\tcsm@demo.verity\t", StringComparison.Ordinal));
        Assert.Contains(planRows, r => r.EndsWith("\tFabrikam Retail — Success Plan\tdraft\tsa@demo.verity\t", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_demo_is_reset_and_a_database_that_is_not_only_the_demo_is_never_wiped(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(provider);
        Assert.Equal(0, (await VerityProcess.RunAsync(database.Setting, "demo")).Code);
        var first = await database.AccountIdsAsync();

        var reset = await VerityProcess.RunAsync(database.Setting, "demo", "--reset");
        Assert.True(reset.Code == 0, reset.ToString());
        Assert.StartsWith("Dropped the demo database and everything tried out in it.", reset.Output);
        Assert.Contains("Loaded the demo data set: 4 accounts", reset.Output);
        var second = await database.AccountIdsAsync();
        Assert.Equal(4, second.Count);
        Assert.Empty(second.Intersect(first));

        // Someone of one's own in the demo: the reset would lose them, so it is refused and the data stays.
        Assert.Equal(0, (await VerityProcess.RunAsync(database.Setting, "users", "add", "--email", "ada@example.com", "--name", "Ada", "--role", "admin")).Code);
        var refused = await VerityProcess.RunAsync(database.Setting, "demo", "--reset");
        AssertOneLine(refused, "--reset: this database has users who are not in the demo (ada@example.com), so it is not recreated; nothing was changed.");
        Assert.Equal(second, await database.AccountIdsAsync());
        Assert.Contains("ada@example.com", await database.UserEmailsAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_reset_of_a_database_without_the_demo_or_with_accounts_of_ones_own_changes_nothing(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(provider);
        var token = await VerityProcess.CreateAdminTokenAsync(database.Setting);
        Assert.StartsWith("vrt_", token);
        var refused = await VerityProcess.RunAsync(database.Setting, "demo", "--reset");
        AssertOneLine(refused, "--reset: this database holds no demo data set, so it is not recreated; nothing was changed. (Load the demo into a new database: verity demo --database sqlite:demo.db)");
        Assert.Equal(["writer@test.verity"], await database.UserEmailsAsync());

        await using var demo = await ScratchDatabase.CreateAsync(provider);
        Assert.Equal(0, (await VerityProcess.RunAsync(demo.Setting, "demo")).Code);
        var file = Path.Combine(Path.GetTempPath(), $"verity-reset-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(file, "Account Name\nInitech\n", TestContext.Current.CancellationToken);
            var imported = await VerityProcess.RunAsync(demo.Setting, "import", "accounts", file);
            Assert.True(imported.Code == 0, imported.ToString());
        }
        finally
        {
            File.Delete(file);
        }

        var before = await demo.AccountIdsAsync();
        refused = await VerityProcess.RunAsync(demo.Setting, "demo", "--reset");
        AssertOneLine(refused, "--reset: this database has accounts that are not in the demo (Initech), so it is not recreated; nothing was changed.");
        Assert.Equal(before, await demo.AccountIdsAsync());
    }

    private static void AssertOneLine(CommandResult result, string message)
    {
        Assert.True(result.Code == 1, result.ToString());
        Assert.Equal(message, result.Error.TrimEnd());
        Assert.DoesNotContain("   at ", result.Output + result.Error);
    }

    private static List<string> Lines(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
}
