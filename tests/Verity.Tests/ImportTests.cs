using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// CSV import over HTTP: a CRM's export imports as it is, re-importing updates by the CRM id, every bad row is reported
/// with its line and column, and a file with any bad row writes nothing.
/// </summary>
public abstract class ImportTests(VerityApp app) : ApiTests(app)
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Fact]
    public async Task A_salesforce_account_export_imports_as_it_is()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var owner = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var key = Ids.New()[^6..];
        var (acme, globex) = (SalesforceLike(), SalesforceLike());
        // A report export: byte order mark, labels for headers, columns Verity keeps nothing of, a quoted address over two lines.
        var csv = "\"Account ID\",\"Account Name\",\"Type\",\"Industry\",\"Employees\",\"Annual Revenue\",\"Billing Street\",\"Owner.Email\"\r\n"
            + $"\"{acme}\",\"Acme {key}, Inc.\",\"Customer - Direct\",\"Manufacturing\",\"1200\",\"5000000\",\"1 Main St\nSuite 4\",\"{owner.Email!.ToUpperInvariant()}\"\r\n"
            + $"\"{globex}\",\"Globex {key}\",\"Prospect\",\"Energy\",\"\",\"\",\"\",\"\"\r\n";
        var report = await (await ImportAsync(admin, "accounts", [.. Bom, .. Encoding.UTF8.GetBytes(csv)], fileName: "accounts_export.csv"))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, report["rows"]!.GetValue<int>());
        Assert.Equal(2, report["created"]!.GetValue<int>());
        Assert.Equal(0, report["updated"]!.GetValue<int>());
        Assert.Empty(report["errors"]!.AsArray());

        var account = await OneAccountAsync(admin, $"Acme {key}, Inc.");
        Assert.Equal(SalesforceId.Normalise(acme), account.Str("externalId"));
        Assert.Equal(18, account.Str("externalId").Length);
        Assert.Equal("Manufacturing", account.Str("industry"));
        Assert.Equal(1200, account["employees"]!.GetValue<int>());
        Assert.Equal("smb", account.Str("segment"));
        var team = (await (await admin.GetAsync($"accounts/{account.Id()}/team")).ExpectArrayAsync(HttpStatusCode.OK)).Single()!;
        Assert.Equal(owner.UserId, team.Str("userId"));
        Assert.Equal("customerSuccessManager", team.Str("role"));
        Assert.Null((await OneAccountAsync(admin, $"Globex {key}"))["employees"]);

        // The owner, now on the team, sees the account; the history says who imported it.
        Assert.Equal(200, (int)(await owner.GetAsync($"accounts/{account.Id()}")).StatusCode);
        var history = (await admin.GetJsonAsync($"audit?entityId={account.Id()}"))["items"]!.AsArray();
        var insert = history.Single(h => h.Str("action") == "insert")!;
        Assert.Equal(admin.UserId, insert.Str("actorId"));
        Assert.Contains(insert["changes"]!.AsArray(), c => c.Str("field") == "team." + owner.UserId);
        await using var db = App.SystemDb();
        var imports = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Import" && a.ActorId == admin.UserId).ToListAsync(TestContext.Current.CancellationToken);
        var import = Assert.Single(imports);
        Assert.Contains(new AuditChange("file", null, "accounts_export.csv"), import.Changes);
        Assert.Contains(new AuditChange("created", null, "2"), import.Changes);
    }

    [Fact]
    public async Task A_semicolon_file_with_verity_names_and_decimal_commas_imports()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var key = Ids.New()[^6..];
        var id = SalesforceLike();
        var csv = $"NAME;id;Segment;potential users;IsFocusAccount;ARR;renewal_date;Description\n"
            + $"Initech {key};{id};Mid market;450;yes;1.250.000,50;2027-03-31;\"Uses us for billing; wants SSO.\"\n";
        var report = await (await ImportAsync(admin, "accounts", csv)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, report["created"]!.GetValue<int>());
        var account = await OneAccountAsync(admin, $"Initech {key}");
        Assert.Equal("midMarket", account.Str("segment"));
        Assert.Equal(450, account["potentialUsers"]!.GetValue<int>());
        Assert.True(account["isFocusAccount"]!.GetValue<bool>());
        Assert.Equal(1_250_000.50m, account["arr"]!.GetValue<decimal>());
        Assert.Equal("2027-03-31", account.Str("renewalDate"));
        Assert.Equal("Uses us for billing; wants SSO.", account.Str("background"));
    }

    [Fact]
    public async Task Reimporting_updates_by_the_crm_id_and_counts_what_changed()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var key = Ids.New()[^6..];
        var (a, b, c) = (SalesforceLike(), SalesforceLike(), SalesforceLike());
        var first = $"Id,Name,Industry,NumberOfEmployees\n{a},Alpha {key},Retail,100\n{SalesforceId.Normalise(b)},Beta {key},Banking,200\n";
        Assert.Equal(2, (await (await ImportAsync(admin, "accounts", first)).ExpectJsonAsync(HttpStatusCode.OK))["created"]!.GetValue<int>());
        var alpha = await OneAccountAsync(admin, $"Alpha {key}");
        var beta = await OneAccountAsync(admin, $"Beta {key}");
        var alphaTag = (await admin.GetAsync($"accounts/{alpha.Id()}")).Headers.ETag!.Tag;

        // Alpha renamed and grown, Beta as it was (given by its 15-character id this time), Gamma new.
        var second = $"Id,Name,Industry,NumberOfEmployees\n{SalesforceId.Normalise(a)},Alpha {key} Group,Retail,150\n{b},Beta {key},Banking,200\n{c},Gamma {key},Energy,\n";
        var report = await (await ImportAsync(admin, "accounts", second)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, report["rows"]!.GetValue<int>());
        Assert.Equal(1, report["created"]!.GetValue<int>());
        Assert.Equal(1, report["updated"]!.GetValue<int>());
        Assert.Equal(1, report["unchanged"]!.GetValue<int>());

        var renamed = await admin.GetAsync($"accounts/{alpha.Id()}");
        var after = await renamed.ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal($"Alpha {key} Group", after.Str("name"));
        Assert.Equal(150, after["employees"]!.GetValue<int>());
        Assert.NotEqual(alphaTag, renamed.Headers.ETag!.Tag);
        Assert.Equal(beta.Str("updatedAt"), (await admin.GetJsonAsync($"accounts/{beta.Id()}")).Str("updatedAt"));
        Assert.DoesNotContain((await admin.GetJsonAsync($"accounts?q={Uri.EscapeDataString($"Alpha {key}")}"))["items"]!.AsArray(),
            x => x!.Str("id") != alpha.Id());

        // Search follows the import: the new name, the untouched account and the new one are found; the old name is not.
        async Task<string[]> FoundAsync(string words) =>
            [.. (await admin.GetJsonAsync($"search?q={Uri.EscapeDataString(words)}"))["items"]!.AsArray().Select(x => x!.Str("id"))];
        Assert.Equal([alpha.Id()], await FoundAsync($"Alpha {key} Group"));
        Assert.Equal([beta.Id()], await FoundAsync($"Beta {key}"));
        Assert.Single(await FoundAsync($"Gamma {key}"));
        Assert.Empty(await FoundAsync($"{key} Retail"));
        var change = (await admin.GetJsonAsync($"audit?entityId={alpha.Id()}"))["items"]!.AsArray().First(h => h.Str("action") == "update")!;
        Assert.Contains(change["changes"]!.AsArray(), x => x.Str("field") == "employees" && x.Str("old") == "100" && x.Str("new") == "150");
        Assert.DoesNotContain(change["changes"]!.AsArray(), x => x.Str("field") == "industry");
    }

    [Fact]
    public async Task A_dry_run_reports_every_bad_row_with_its_line_and_column_and_writes_nothing()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var key = Ids.New()[^6..];
        var csv = "Account Name,Employees,renewalDate,segment,arr\n"
            + $"Bad count {key},twelve,2027-01-01,smb,10\n"
            + $"Bad date {key},12,31/01/2027,smb,10\n"
            + $"Good {key},12,2027-01-31,large,10\n"
            + $"Bad segment {key},12,2027-01-31,huge,-5\n"
            + ",12,2027-01-31,smb,10\n";
        var response = await ImportAsync(admin, "accounts", csv, dryRun: true);
        var report = await response.ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(report["dryRun"]!.GetValue<bool>());
        Assert.False(report["imported"]!.GetValue<bool>());
        Assert.Equal(5, report["rows"]!.GetValue<int>());
        var errors = Errors(report);
        Assert.Equal(
            [(2L, "Employees"), (3L, "renewalDate"), (5L, "segment"), (5L, "arr"), (6L, "Account Name")],
            errors.Select(e => (e.Line, e.Field)).ToList());
        Assert.Contains("twelve", errors[0].Message);
        Assert.Contains("YYYY-MM-DD", errors[1].Message);
        Assert.Contains("midMarket", errors[2].Message);
        Assert.Contains("from 0", errors[3].Message);
        Assert.Contains("required", errors[4].Message);

        // Nothing was written, not even the good row.
        Assert.Empty((await admin.GetJsonAsync($"accounts?q={key}"))["items"]!.AsArray());

        // A good file checked dry says what it would do, and still writes nothing.
        var fine = await (await ImportAsync(admin, "accounts", $"Name\nDry {key}\n", dryRun: true)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, fine["created"]!.GetValue<int>());
        Assert.Empty((await admin.GetJsonAsync($"accounts?q={key}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task One_bad_row_in_a_real_import_writes_nothing_and_answers_400_with_the_report()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var key = Ids.New()[^6..];
        var csv = $"Id,Name,arr\n{SalesforceLike()},First {key},10\n{SalesforceLike()},Second {key},10\n{SalesforceLike()},Third {key},ten\n";
        var response = await ImportAsync(admin, "accounts", csv);
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(problem["imported"]!.GetValue<bool>());
        Assert.Equal(3, problem["rows"]!.GetValue<int>());
        Assert.Equal(0, problem["created"]!.GetValue<int>());
        Assert.Equal((4L, "arr"), Errors(problem).Select(e => (e.Line, e.Field)).Single());
        Assert.Contains("Nothing was imported", problem.Str("detail"));
        Assert.Empty((await admin.GetJsonAsync($"accounts?q={key}"))["items"]!.AsArray());

        // The same id twice in one file is an error naming the first line.
        var twice = SalesforceLike();
        var duplicate = await (await ImportAsync(admin, "accounts", $"Id,Name\n{twice},Once {key}\n{twice},Twice {key}\n")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var error = Errors(duplicate).Single();
        Assert.Equal((3L, "Id"), (error.Line, error.Field));
        Assert.Contains("Line 2", error.Message);
        Assert.Empty((await admin.GetJsonAsync($"accounts?q={key}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Opportunities_name_their_account_by_its_crm_id_and_an_unknown_account_is_an_error_row()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var key = Ids.New()[^6..];
        var accountId = SalesforceLike();
        await (await ImportAsync(admin, "accounts", $"Id,Name\n{SalesforceId.Normalise(accountId)},Hooli {key}\n")).ExpectJsonAsync(HttpStatusCode.OK);
        var account = await OneAccountAsync(admin, $"Hooli {key}");
        var (deal, renewal) = (SalesforceLike("006"), SalesforceLike("006"));

        // The account by its 15-character id in one row and by Verity's id in the other; Salesforce's stages and types.
        var csv = "Id,Name,AccountId,StageName,Amount,Type,CloseDate\n"
            + $"{deal},Hooli platform {key},{accountId},Negotiation/Review,450000.00,Existing Business,2027-02-28\n"
            + $"{renewal},Hooli renewal {key},{account.Id()},Closed Won,120000,Renewal,2026-10-31\n";
        var report = await (await ImportAsync(admin, "opportunities", csv)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, report["created"]!.GetValue<int>());
        var items = (await admin.GetJsonAsync($"opportunities?accountId={account.Id()}"))["items"]!.AsArray().Select(i => i!).ToList();
        var platform = items.Single(i => i.Str("name") == $"Hooli platform {key}").AsObject();
        Assert.Equal("negotiating", platform.Str("stage"));
        Assert.Equal("growth", platform.Str("type"));
        Assert.Equal(450000m, platform["netArr"]!.GetValue<decimal>());
        Assert.Equal("2027-02-28", platform.Str("closeDate"));
        Assert.Equal(SalesforceId.Normalise(deal), platform.Str("externalId"));
        // The plan requirement is worked out for imported deals as for any other.
        Assert.True(platform["cspRequired"]!.GetValue<bool>());
        Assert.Equal("closedWon", items.Single(i => i.Str("name") == $"Hooli renewal {key}").Str("stage"));

        // An account nobody has: an error row naming AccountId and the line, and the good row is not written either.
        var unknown = SalesforceLike();
        var bad = "Id,Name,AccountId,StageName,Amount,Type\n"
            + $"{SalesforceLike("006")},Fine {key},{accountId},Prospecting,10,New Business\n"
            + $"{SalesforceLike("006")},Orphan {key},{unknown},Prospecting,10,New Business\n";
        var problem = await (await ImportAsync(admin, "opportunities", bad)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var error = Errors(problem).Single();
        Assert.Equal((3L, "AccountId"), (error.Line, error.Field));
        Assert.Contains(unknown, error.Message);
        Assert.Equal(2, (await admin.GetJsonAsync($"opportunities?accountId={account.Id()}"))["items"]!.AsArray().Count);

        // Re-importing moves the stage of the one it names.
        var moved = await (await ImportAsync(admin, "opportunities", $"Id,StageName\n{deal},Closed Lost\n")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, moved["updated"]!.GetValue<int>());
        Assert.Equal("closedLost", (await admin.GetJsonAsync($"opportunities/{platform.Id()}")).Str("stage"));
    }

    [Fact]
    public async Task Stakeholders_come_from_a_contact_export_and_adoption_figures_are_checked_row_by_row()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var s = await Scenario.CreateAsync(App);
        var key = Ids.New()[^6..];
        var contact = SalesforceLike("003");
        var contacts = "Contact ID;Account ID;First Name;Last Name;Title;Email;Contact Role\n"
            + $"{contact};{s.AccountId};Ada;Lovelace {key};CTO;ada-{key}@acme.example;Decision Maker\n"
            + $"{SalesforceLike("003")};{s.AccountId};;Babbage {key};;not-an-email;\n";
        var problem = await (await ImportAsync(admin, "stakeholders", contacts)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal((3L, "Email"), Errors(problem).Select(e => (e.Line, e.Field)).Single());
        contacts = contacts.Replace("not-an-email", $"charles-{key}@acme.example", StringComparison.Ordinal);
        Assert.Equal(2, (await (await ImportAsync(admin, "stakeholders", contacts)).ExpectJsonAsync(HttpStatusCode.OK))["created"]!.GetValue<int>());
        var people = (await admin.GetJsonAsync($"accounts/{s.AccountId}/stakeholders"))["items"]!.AsArray().Select(p => p!).ToList();
        var ada = people.Single(p => p.Str("name") == $"Ada Lovelace {key}");
        Assert.Equal("economicBuyer", ada.Str("role"));
        Assert.Equal("customer", ada.Str("side"));
        Assert.Equal("CTO", ada.Str("title"));
        Assert.Equal(SalesforceId.Normalise(contact), ada.Str("externalId"));
        Assert.Equal("other", people.Single(p => p.Str("name") == $"Babbage {key}").Str("role"));

        // Adoption: more active than licensed users, or a negative count, is an error naming the row and the column.
        var figures = "account,feature,at,licensedUsers,activeUsers\n"
            + $"{s.AccountId},Pipelines,2026-10-01,200,150\n"
            + $"{s.AccountId},Pipelines,2026-11-01,200,250\n"
            + $"{s.AccountId},Templates,2026-11-01,-3,0\n";
        var bad = await (await ImportAsync(admin, "adoption", figures, dryRun: true)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal([(3L, "activeUsers"), (4L, "licensedUsers")], Errors(bad).Select(e => (e.Line, e.Field)).ToList());
        Assert.Empty((await admin.GetJsonAsync($"accounts/{s.AccountId}/adoption"))["items"]!.AsArray());

        figures = figures.Replace("200,250", "200,180", StringComparison.Ordinal).Replace("-3,0", "100,30", StringComparison.Ordinal);
        Assert.Equal(3, (await (await ImportAsync(admin, "adoption", figures)).ExpectJsonAsync(HttpStatusCode.OK))["created"]!.GetValue<int>());
        var again = await (await ImportAsync(admin, "adoption", $"account,feature,at,licensedUsers,activeUsers\n{s.AccountId},pipelines,2026-11-01,200,190\n"))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, again["updated"]!.GetValue<int>());
        var adoption = await admin.GetJsonAsync($"accounts/{s.AccountId}/adoption");
        Assert.Equal(3, adoption["items"]!.AsArray().Count);
        Assert.Equal(190, adoption["latest"]!.AsArray().Single(l => l.Str("feature") == "Pipelines")!["activeUsers"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_file_that_is_not_csv_is_reported_on_line_1_and_nothing_is_written()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var before = await CountAccountsAsync();
        byte[] file = [.. EvidenceTests.Pdf, 0x00, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096)];
        var pdf = await (await ImportAsync(admin, "accounts", file, fileName: "accounts.csv")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var error = Errors(pdf).Single();
        Assert.Equal((1L, "header"), (error.Line, error.Field));
        Assert.Contains("not CSV", error.Message);

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
        var dry = await (await ImportAsync(admin, "accounts", png, dryRun: true)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("header", Errors(dry).Single().Field);

        // Text whose header names nothing Verity reads: the header is named.
        var unrecognised = await (await ImportAsync(admin, "accounts", "colour,flavour\nred,sweet\n")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        error = Errors(unrecognised).Single();
        Assert.Equal(1L, error.Line);
        Assert.Equal("colour|flavour", error.Field);

        // An empty file, and a form without a file.
        Assert.Equal("header", Errors(await (await ImportAsync(admin, "accounts", "")).ExpectProblemAsync(HttpStatusCode.BadRequest)).Single().Field);
        var noFile = await admin.Http.PostAsync("/api/v1/imports/accounts", new MultipartFormDataContent { { new StringContent("x"), "other" } },
            TestContext.Current.CancellationToken);
        await noFile.ExpectFieldErrorAsync("file");
        await (await ImportAsync(admin, "contracts", "Name\nX\n")).ExpectFieldErrorAsync("kind");
        Assert.Equal(before, await CountAccountsAsync());
    }

    [Fact]
    public async Task Only_an_admin_imports()
    {
        var s = await Scenario.CreateAsync(App);
        var key = Ids.New()[^6..];
        var csv = $"Name\nRefused {key}\n";
        foreach (var caller in new[] { s.Csm, s.Manager, await App.SignInAsync(UserRole.Director), await App.SignInAsync(UserRole.Customer, s.AccountId) })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(caller, "accounts", csv)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(caller, "accounts", csv, dryRun: true)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await ImportAsync(App.Anonymous(), "accounts", csv)).StatusCode);
        Assert.Empty((await s.Manager.GetJsonAsync($"accounts?q={key}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_file_larger_than_the_json_limit_imports()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var key = Ids.New()[^6..];
        var csv = new StringBuilder("Name,Description\n");
        var filler = new string('x', 900);
        for (var i = 0; i < 2_000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Bulk {key} {i:D4},{filler}\n");
        }

        Assert.True(csv.Length > 1024 * 1024);
        var report = await (await ImportAsync(admin, "accounts", csv.ToString())).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2_000, report["created"]!.GetValue<int>());
        await using var db = App.SystemDb();
        Assert.Equal(2_000, await db.Accounts.CountAsync(a => a.Name.StartsWith($"Bulk {key} "), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Batches_written_while_later_rows_are_checked_still_roll_back_for_a_bad_last_row()
    {
        // 12,000 rows: two batches of 5,000 go to the database while the rows after them are still being checked.
        var admin = await App.SignInAsync(UserRole.Admin);
        var key = Ids.New()[^6..];
        string File(string lastArr)
        {
            var csv = new StringBuilder("Name,arr\n");
            for (var i = 0; i < 11_999; i++)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Batched {key} {i:D5},{i}\n");
            }

            return csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Batched {key} last,{lastArr}\n").ToString();
        }

        var problem = await (await ImportAsync(admin, "accounts", File("ten"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal((12_001L, "arr"), Errors(problem).Select(e => (e.Line, e.Field)).Single());
        await using (var db = App.SystemDb())
        {
            Assert.Equal(0, await db.Accounts.CountAsync(a => a.Name.StartsWith($"Batched {key} "), TestContext.Current.CancellationToken));
        }

        var report = await (await ImportAsync(admin, "accounts", File("10"))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(12_000, report["created"]!.GetValue<int>());
        await using (var db = App.SystemDb())
        {
            var ids = db.Accounts.Where(a => a.Name.StartsWith($"Batched {key} ")).Select(a => a.Id);
            Assert.Equal(12_000, await ids.CountAsync(TestContext.Current.CancellationToken));

            // Every account has its history: one "insert" each, from the batch it was written in.
            Assert.Equal(12_000, await db.AuditEntries.CountAsync(e => e.EntityType == "Account" && e.Action == "insert" && ids.Contains(e.EntityId), TestContext.Current.CancellationToken));
        }
    }

    private async Task<int> CountAccountsAsync()
    {
        await using var db = App.SystemDb();
        return await db.Accounts.CountAsync(TestContext.Current.CancellationToken);
    }

    private static Task<HttpResponseMessage> ImportAsync(ApiClient client, string kind, string csv, bool dryRun = false, string fileName = "import.csv") =>
        ImportAsync(client, kind, Encoding.UTF8.GetBytes(csv), dryRun, fileName);

    private static Task<HttpResponseMessage> ImportAsync(ApiClient client, string kind, byte[] content, bool dryRun = false, string fileName = "import.csv")
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        return client.Http.PostAsync($"/api/v1/imports/{kind}" + (dryRun ? "?dryRun=true" : ""), form, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonObject> OneAccountAsync(ApiClient client, string name)
    {
        var items = (await client.GetJsonAsync($"accounts?q={Uri.EscapeDataString(name)}"))["items"]!.AsArray();
        return Assert.Single(items, i => i.Str("name") == name)!.AsObject();
    }

    private static List<(long Line, string Field, string Message)> Errors(JsonObject report) =>
        report["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<long>(), e.Str("field"), e.Str("message"))).ToList();

    /// <summary>A new 15-character id in Salesforce's shape (key prefix, then letters of both cases and digits).</summary>
    internal static string SalesforceLike(string prefix = "001")
    {
        const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return prefix + string.Concat(Enumerable.Range(0, 12).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]));
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteImportTests(SqliteApp app) : ImportTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresImportTests(PostgresApp app) : ImportTests(app);
