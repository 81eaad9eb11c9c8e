using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Verity.Cli;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>The command line a newcomer uses: migrate, add a user, get a token, load the demo.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"verity-cli-{Guid.NewGuid():N}.db");

    private string Database => $"sqlite:{_path}";

    [Fact]
    public async Task Users_and_tokens_are_created_from_the_command_line_and_the_token_works()
    {
        var (code, output, _) = await RunAsync("users", "add", "--email", "ada@example.com", "--name", "Ada", "--role", "customerSuccessManager", "--password", "correct horse battery");
        Assert.Equal(0, code);
        var userId = output.Trim();
        Assert.Equal(32, userId.Length);

        (code, output, _) = await RunAsync("tokens", "create", "--email", "ada@example.com");
        Assert.Equal(0, code);
        var token = output.Trim();
        Assert.StartsWith("vrt_", token);

        await using var app = new FixedDatabaseApp(Database);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var created = await client.PostAsJsonAsync("/api/v1/accounts", new { name = "From the CLI" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // The token is stored only as a hash.
        await using var db = app.SystemDb();
        Assert.False(await db.AccessTokens.AnyAsync(t => t.Hash == token, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Users_are_listed_and_disabled_and_tokens_revoked_from_the_command_line()
    {
        var (_, output, _) = await RunAsync("users", "add", "--email", "grace@example.com", "--name", "Grace", "--role", "manager");
        var userId = output.Trim();
        var first = (await RunAsync("tokens", "create", "--email", "grace@example.com")).Output.Trim();
        var second = (await RunAsync("tokens", "create", "--email", "grace@example.com")).Output.Trim();

        var (code, list, _) = await RunAsync("users", "list");
        Assert.Equal(0, code);
        Assert.Contains("grace@example.com", list);
        Assert.Contains("manager", list);

        string firstId;
        await using (var db = new FixedDatabaseApp(Database).SystemDb())
        {
            var hash = Verity.Access.PersonalAccessTokens.Hash(first);
            firstId = await db.AccessTokens.Where(t => t.Hash == hash).Select(t => t.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, (await RunAsync("tokens", "revoke", "--id", firstId)).Code);
        Assert.Equal(1, (await RunAsync("tokens", "revoke", "--id", firstId)).Code);

        await using var app = new FixedDatabaseApp(Database);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAccountsAsync(app, first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAccountsAsync(app, second)).StatusCode);

        (code, output, _) = await RunAsync("users", "disable", "--email", "grace@example.com");
        Assert.Equal(0, code);
        Assert.Contains("Disabled", output);
        await using var restarted = new FixedDatabaseApp(Database);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAccountsAsync(restarted, second)).StatusCode);
        await using (var db = restarted.SystemDb())
        {
            Assert.Equal(Verity.Domain.Common.UserStatus.Disabled, (await db.Users.SingleAsync(u => u.Id == userId, TestContext.Current.CancellationToken)).Status);
        }

        Assert.Equal(1, (await RunAsync("users", "disable", "--email", "nobody@example.com")).Code);
    }

    private static Task<HttpResponseMessage> GetAccountsAsync(VerityApp app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.GetAsync("/api/v1/accounts", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Bad_command_line_input_is_refused_with_a_message()
    {
        var (code, _, error) = await RunAsync("users", "add", "--email", "x@example.com", "--name", "X", "--role", "boss");
        Assert.Equal(1, code);
        Assert.Contains("--role: Must be one of", error);

        (code, _, error) = await RunAsync("users", "add", "--email", "c@example.com", "--name", "C", "--role", "customer");
        Assert.Equal(1, code);
        Assert.Contains("--account: A customer user belongs to exactly one account", error);

        (code, _, error) = await RunAsync("tokens", "create", "--email", "nobody@example.com");
        Assert.Equal(1, code);
        Assert.Contains("No user", error);
    }

    [Fact]
    public async Task The_demo_loads_once_with_every_segment_and_the_seed_examples()
    {
        var (code, output, _) = await RunAsync("demo");
        Assert.Equal(0, code);
        Assert.Contains("tokens create --email", output);
        (code, output, _) = await RunAsync("demo");
        Assert.Equal(0, code);
        Assert.Contains("already loaded", output);

        await using var app = new FixedDatabaseApp(Database);
        await using var db = app.SystemDb();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(4, await db.Accounts.Select(a => a.Segment).Distinct().CountAsync(ct));
        Assert.Equal(4, await db.Accounts.CountAsync(ct));
        Assert.True(await db.Objectives.AnyAsync(o => o.Title.Contains("from 2 to 10 per week"), ct));
        Assert.True(await db.Metrics.AnyAsync(m => m.BaselineValue == 85 && m.TargetValue == 99.5, ct));
        Assert.True(await db.Measurements.CountAsync(ct) >= 20);
        Assert.True(await db.Initiatives.AnyAsync(ct));
        Assert.True(await db.Activities.AnyAsync(a => a.Visibility == Domain.Accounts.Visibility.Internal, ct));
        Assert.Equal(2, await db.Comments.Select(c => c.Side).Distinct().CountAsync(ct));
        // Meetings held (on the timeline, with what was decided) and meetings to come, so both pages have something to show.
        var heldReview = await db.Meetings.SingleAsync(m => m.Kind == Domain.Accounts.MeetingKind.BusinessReview && m.HeldOn != null, ct);
        Assert.NotNull(heldReview.Decisions);
        Assert.True(await db.Activities.AnyAsync(a => a.Id == heldReview.ActivityId && a.Type == Domain.Accounts.ActivityType.BusinessReview, ct));
        Assert.True(await db.Meetings.AnyAsync(m => m.Kind == Domain.Accounts.MeetingKind.Kickoff && m.HeldOn != null, ct));
        Assert.True(await db.Meetings.AnyAsync(m => m.Kind == Domain.Accounts.MeetingKind.CadenceCall && m.HeldOn == null
            && m.ScheduledFor > DateTime.UtcNow && m.ScheduledFor < DateTime.UtcNow.AddDays(7), ct));

        // A journey with every horizon, owners on both sides, one step that slipped; the plan it is on is ready to hand over.
        var journey = await db.Milestones.ToListAsync(ct);
        Assert.Equal(Enum.GetValues<Domain.Plans.MilestoneHorizon>().Order(), journey.Select(m => m.Horizon).Distinct().Order());
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal("Change approvals flow through ServiceNow", Assert.Single(journey, m => m.IsOverdue(today)).Title);
        Assert.Contains(journey, m => m.OwnerStakeholderId is not null);
        var plan = await db.Plans.SingleAsync(p => p.Id == journey[0].PlanId, ct);
        Assert.All(journey, m => Assert.Null(m.HorizonMismatch(DateOnly.FromDateTime(plan.CreatedAt))));
        Assert.Empty(Domain.Plans.Handoff.RequiredHorizons.Except(journey.Where(m => m.HasOwner).Select(m => m.Horizon)));

        // Without a mail server, the demo customer's sign-in link comes from the command line, and opens her portal.
        (code, output, _) = await RunAsync("portal", "link", "--email", "priya@northwind.example", "--public-url", "http://127.0.0.1:5055/");
        Assert.Equal(0, code);
        var link = new Uri(output.Trim());
        Assert.Equal("http://127.0.0.1:5055", link.GetLeftPart(UriPartial.Authority));
        Assert.Matches("^/portal/links/[0-9a-f]{64}$", link.AbsolutePath);
        var browser = app.Browser(new System.Net.CookieContainer());
        var page = await browser.GetStringAsync(link.AbsolutePath, ct);
        var signedIn = await browser.PostAsync(link.AbsolutePath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "portal-link",
            ["__RequestVerificationToken"] = VerityApp.AntiforgeryToken(page),
        }), ct);
        Assert.Contains("Northwind Logistics — Mutual Success Plan", System.Net.WebUtility.HtmlDecode(await signedIn.Content.ReadAsStringAsync(ct)));
        Assert.Equal(1, (await RunAsync("portal", "link", "--email", "csm@demo.verity")).Code);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task With_the_demo_the_triage_finds_work_once_and_the_digests_go_to_the_mail_log()
    {
        Assert.Equal(0, (await RunAsync("demo")).Code);
        var (code, output, _) = await RunAsync("triage");
        Assert.Equal(0, code);
        Assert.Matches(@"Checked \d+ open objectives in [\d.]+ s: [1-9]\d* new findings, 0 still open, 0 resolved\.", output);
        Assert.Contains("overdueInitiative (overdue initiative)", output);

        (code, output, _) = await RunAsync("triage");
        Assert.Equal(0, code);
        Assert.Contains(": 0 new findings,", output);

        // Without Mail:Host the messages are logged, not sent, and the command says so.
        (code, output, _) = await RunAsync("digests", "send", "monthly");
        Assert.Equal(0, code);
        Assert.Contains("Queued 2 monthly reports; 2 notSent.", output);
        Assert.Contains("No SMTP server is set", output);
        (code, output, _) = await RunAsync("digests", "send", "weekly");
        Assert.Equal(0, code);
        Assert.Matches(@"Queued [1-9]\d* weekly digests", output);

        (code, _, var error) = await RunAsync("digests", "send", "daily");
        Assert.Equal(1, code);
        Assert.Contains("--which: 'daily' is neither weekly nor monthly.", error);
    }

    [Fact]
    public async Task Import_checks_a_file_dry_reports_its_errors_as_a_table_and_then_imports_all_of_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"verity-cli-import-{Guid.NewGuid():N}.csv");
        try
        {
            // A semicolon export with a BOM, one count that is not a number.
            await File.WriteAllTextAsync(file, "Account ID;Account Name;Employees\r\n001A0000006Vm9r;Acme;12\r\n001A0000006Vm9s;Globex;many\r\n",
                new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), TestContext.Current.CancellationToken);

            var (code, output, _) = await RunAsync("import", "accounts", file, "--dry-run");
            Assert.Equal(1, code);
            Assert.Matches(@"Line.*Column.*Message", output);
            Assert.Matches(@"\b3\b.*Employees.*'many' is not a whole number", output);
            Assert.Contains("Nothing was written (dry run)", output);
            Assert.Equal(0, await CountAccountsAsync());

            (code, output, _) = await RunAsync("import", "accounts", file);
            Assert.Equal(1, code);
            Assert.Contains("Nothing was imported: 1 error in 1 of 2 rows.", output);
            Assert.Equal(0, await CountAccountsAsync());

            await File.WriteAllTextAsync(file, "Account ID;Account Name;Employees\n001A0000006Vm9r;Acme;12\n001A0000006Vm9s;Globex;40\n", TestContext.Current.CancellationToken);
            (code, output, _) = await RunAsync("import", "accounts", file, "--dry-run");
            Assert.Equal(0, code);
            Assert.Contains("would create 2 accounts", output);
            Assert.Equal(0, await CountAccountsAsync());

            (code, output, _) = await RunAsync("import", "accounts", file);
            Assert.Equal(0, code);
            Assert.Contains("Imported 2 rows: 2 accounts created, 0 updated", output);
            Assert.Matches(@"2 rows in [\d.]+ s: [\d,]+ rows/s\.", output);
            await using (var db = new FixedDatabaseApp(Database).SystemDb())
            {
                var acme = await db.Accounts.SingleAsync(a => a.Name == "Acme", TestContext.Current.CancellationToken);
                Assert.Equal("001A0000006Vm9rIAC", acme.ExternalId);
                Assert.Equal(12, acme.Employees);
            }

            (code, output, _) = await RunAsync("import", "accounts", file);
            Assert.Equal(0, code);
            Assert.Contains("0 accounts created, 0 updated, 2 already up to date", output);

            (code, _, var error) = await RunAsync("import", "contracts", file);
            Assert.Equal(1, code);
            Assert.Contains("kind: 'contracts' is not one of", error);
            (code, _, error) = await RunAsync("import", "accounts", file + ".missing");
            Assert.Equal(1, code);
            Assert.Contains("there is no file", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<int> CountAccountsAsync()
    {
        await using var app = new FixedDatabaseApp(Database);
        await using var db = app.SystemDb();
        return await db.Accounts.CountAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void A_schedule_that_does_not_parse_stops_verity_naming_the_setting()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:MonthlyReport"] = "every first of the month" }).Build();
        var error = Assert.Throws<Jobs.InvalidSettingException>(() => Jobs.JobSettings.Read(settings));
        Assert.Contains("Jobs:MonthlyReport", error.Message);
        var zone = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:TimeZone"] = "Mars/Olympus" }).Build();
        Assert.Contains("Jobs:TimeZone", Assert.Throws<Jobs.InvalidSettingException>(() => Jobs.JobSettings.Read(zone)).Message);
    }

    [Fact]
    public void A_stage_mapping_that_names_no_stage_stops_verity_naming_the_setting_and_a_good_one_joins_the_defaults()
    {
        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Import:Stages:Verbal Commit"] = "almostWon" }).Build();
        var error = Assert.Throws<Jobs.InvalidSettingException>(() => Features.Imports.ImportSettings.Read(bad));
        Assert.Contains("Import:Stages:Verbal Commit", error.Message);
        Assert.Contains("negotiating", error.Message);

        var good = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Import:Stages:Verbal Commit"] = "negotiating" }).Build();
        var stages = Features.Imports.ImportSettings.Read(good).Stages;
        Assert.Equal(Domain.Accounts.OpportunityStage.Negotiating, stages["verbal commit"]);
        Assert.Equal(Domain.Accounts.OpportunityStage.ClosedWon, stages["Closed Won"]);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await Commands.InvokeAsync([.. args, "--database", Database], TestContext.Current.CancellationToken);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    private sealed class FixedDatabaseApp(string database) : VerityApp
    {
        protected override string DatabaseSetting => database;
    }
}

/// <summary>The CLI tests redirect the console, so they run on their own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
