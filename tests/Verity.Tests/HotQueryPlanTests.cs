using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Verity.Cli;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The hot reads (plan, objective, account list, compliance, export, meetings; API and pages; as an admin and as a CSM)
/// run on a generated book, every SQL command they issue is captured, and SQLite's <c>EXPLAIN QUERY PLAN</c>
/// must not show a full SCAN of a large table: at 10,000 accounts such a scan reads a million rows per request.
/// </summary>
public sealed class HotQueryPlanTests(HotQueryPlanTests.CapturingApp app) : IClassFixture<HotQueryPlanTests.CapturingApp>
{
    /// <summary>The tables that grow with years of use: 200,000 to 1,000,000 rows on the 10,000-account set.</summary>
    private static readonly HashSet<string> _large =
        ["Activities", "Measurements", "Objectives", "Metrics", "Initiatives", "InitiativeTasks", "AuditEntries", "SearchIndex", "Findings", "Milestones", "Meetings"];

    /// <summary>
    /// A CSM's lists start from their team rows (<c>IX_TeamMembers_UserId</c>), not from a walk over every account or
    /// deal with a team lookup for each: 10,000 probes to find 50 on the 10,000-account set.
    /// </summary>
    private static readonly HashSet<string> _csmStartsFromTeam = ["/api/v1/accounts", "/accounts", "/api/v1/compliance/csp", "/compliance"];

    /// <summary>
    /// Views that add up a whole book (an admin's portfolio) must read every account's rows once; they may walk a
    /// covering index (a few bytes per row, never the table), and nothing more.
    /// </summary>
    private static readonly HashSet<string> _wholeBook = ["/api/v1/portfolio", "/portfolio", "/api/v1/portfolio.csv"];

    /// <summary>
    /// Your week's meetings start from the caller's own rows (attendee rows, meetings they scheduled, accounts they run),
    /// not from every meeting of the next days across the book: a leader sees 4,000 of them at 10,000 accounts.
    /// </summary>
    private static readonly HashSet<string> _weekStartsFromUser = ["/api/v1/me/work", "/"];

    [Fact]
    public async Task No_hot_query_scans_a_large_table()
    {
        var ct = TestContext.Current.CancellationToken;
        await ScaleData.LoadAsync(app.Services, 12, seed: 3, accountsPerCsm: 4, ct);
        string plan, objective, account, meeting;
        await using (var db = app.SystemDb())
        {
            var csm = await db.Users.Where(u => u.Email == ScaleData.CsmEmail(1)).Select(u => u.Id).SingleAsync(ct);
            account = await db.TeamMembers.Where(t => t.UserId == csm).Select(t => t.AccountId).OrderBy(id => id).FirstAsync(ct);
            plan = await db.Plans.Where(p => p.AccountId == account).Select(p => p.Id).FirstAsync(ct);
            objective = await db.Objectives.Where(o => o.PlanId == plan).OrderBy(o => o.Priority).Select(o => o.Id).FirstAsync(ct);
            meeting = await db.Meetings.Where(m => m.AccountId == account).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(ct);
        }

        string[] paths =
        [
            "/api/v1/accounts", $"/api/v1/accounts/{account}", $"/api/v1/plans/{plan}", $"/api/v1/objectives/{objective}",
            $"/api/v1/plans/{plan}/objectives", "/api/v1/compliance/csp", $"/api/v1/plans/{plan}/export?format=md&artifact=mutualPlan",
            $"/api/v1/plans/{plan}/export?format=xlsx&artifact=mutualPlan",
            "/api/v1/search?q=north", "/search?q=sol", "/api/v1/accounts?q=0001", "/accounts?q=0001", "/api/v1/portfolio", "/portfolio", "/api/v1/portfolio.csv",
            "/accounts", $"/accounts/{account}", $"/plans/{plan}", $"/objectives/{objective}", "/compliance",
            $"/api/v1/accounts/{account}/meetings", $"/api/v1/meetings/{meeting}", $"/meetings/{meeting}",
            $"/api/v1/plans/{plan}/export?format=md&artifact=businessReview",
            "/api/v1/me/work", "/",
        ];
        var findings = new List<string>();
        foreach (var email in new[] { ScaleData.AdminEmail, ScaleData.CsmEmail(1) })
        {
            var browser = await app.SignInToPagesAsync(email, DemoData.Password);
            foreach (var path in paths)
            {
                app.Commands.Clear();
                var response = await browser.GetAsync(path, ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{email} GET {path}: {(int)response.StatusCode}");
                foreach (var sql in app.Commands.Distinct())
                {
                    var steps = await ExplainAsync(sql);
                    var scanned = Scans(sql, steps.Where(step => !(_wholeBook.Contains(path) && step.Contains("USING COVERING INDEX", StringComparison.Ordinal))).ToList())
                        .Where(t => _large.Contains(t)
                            || (email != ScaleData.AdminEmail && _csmStartsFromTeam.Contains(path) && t is "Accounts" or "Opportunities"))
                        .ToList();
                    // A status has a handful of values: a search on it alone reads a large share of the book.
                    scanned.AddRange(steps.Where(step => step.EndsWith(" (Status=?)", StringComparison.Ordinal)).Select(step => $"rows by status alone ({step.Trim()})"));
                    if (_weekStartsFromUser.Contains(path) && steps.Any(step => step.Contains("USING INDEX IX_Meetings_ScheduledFor (", StringComparison.Ordinal)))
                    {
                        scanned.Add("the meetings of every account in the window");
                    }

                    if (scanned.Count > 0)
                    {
                        findings.Add($"{email} GET {path} scans {string.Join(", ", scanned)}:\n{sql}\n  {string.Join("\n  ", steps)}");
                    }
                }
            }
        }

        Assert.True(findings.Count == 0, string.Join("\n\n", findings));
    }

    /// <summary>
    /// The triggers that keep the search index find its row and the record by key: a rename or a delete that read the
    /// whole index (FTS5 cannot index <c>EntityId</c>) made every write to a searched table cost the size of the book.
    /// </summary>
    [Fact]
    public async Task Keeping_the_search_index_finds_each_row_by_its_key()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync(ct);
        await using var triggers = connection.CreateCommand();
        triggers.CommandText = """SELECT "name", "sql" FROM sqlite_master WHERE "type" = 'trigger' AND "sql" LIKE '%SearchIndex%'""";
        var bodies = new List<(string Name, string Sql)>();
        await using (var reader = await triggers.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                bodies.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.Equal(15, bodies.Count);
        var findings = new List<string>();
        var lookups = 0;
        foreach (var (name, sql) in bodies)
        {
            var body = sql[(sql.IndexOf(" BEGIN ", StringComparison.Ordinal) + 7)..sql.LastIndexOf(" END", StringComparison.Ordinal)];
            foreach (var statement in body.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                lookups++;
                var steps = await ExplainAsync(Regex.Replace(statement, "(?:old|new)\\.\"\\w+\"", "NULL"));
                var scans = steps.Where(s => s.StartsWith("SCAN ", StringComparison.Ordinal) && !Regex.IsMatch(s, @"VIRTUAL TABLE INDEX \d+:\S+")).ToList();
                if (scans.Count > 0)
                {
                    findings.Add($"{name}: {statement}\n  {string.Join("\n  ", steps)}");
                }
            }
        }

        Assert.Equal(25, lookups);
        Assert.True(findings.Count == 0, string.Join("\n\n", findings));
    }

    /// <summary>The large tables a plan reads in full: <c>SCAN alias</c> (with or without an index to walk) of a table in the query.</summary>
    private static IEnumerable<string> Scans(string sql, List<string> plan)
    {
        var tables = Regex.Matches(sql, "(?:FROM|JOIN) \"(\\w+)\" AS \"(\\w+)\"")
            .ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        foreach (var step in plan)
        {
            // A virtual table (the search index) with a constraint after "INDEX n:" answers from its own index (L0: LIKE on Words).
            if (Regex.Match(step, @"^SCAN (?:TABLE )?(\w+)") is { Success: true } scan && tables.TryGetValue(scan.Groups[1].Value, out var table)
                && !Regex.IsMatch(step, @"VIRTUAL TABLE INDEX \d+:\S+"))
            {
                yield return table;
            }
        }
    }

    private async Task<List<string>> ExplainAsync(string sql)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();

        // EF compares decimals on SQLite with a function it registers on its own connections; the plan does not depend on it.
        connection.CreateFunction<object?, object?, int>("ef_compare", (_, _) => 0);
        connection.CreateAggregate<object?, object?>("ef_sum", null, (total, _) => total);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Regex.Matches(sql, @"@\w+").Select(m => m.Value).Distinct())
        {
            command.Parameters.AddWithValue(name, DBNull.Value);
        }

        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }

    /// <summary>A SQLite app that keeps the text of every query it runs.</summary>
    public sealed class CapturingApp : SqliteAppBase
    {
        private readonly Capture _capture = new();

        public ConcurrentQueue<string> Commands => _capture.Commands;

        public string ConnectionString => Services.GetRequiredService<DatabaseSetting>().ConnectionString;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(_capture));
        }

        private sealed class Capture : DbCommandInterceptor
        {
            public ConcurrentQueue<string> Commands { get; } = new();

            public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
            {
                Keep(command);
                return result;
            }

            public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
                DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
            {
                Keep(command);
                return ValueTask.FromResult(result);
            }

            private void Keep(DbCommand command)
            {
                if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
                {
                    Commands.Enqueue(command.CommandText);
                }
            }
        }
    }
}
