using System.Net;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

public abstract class AccountApiTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task An_account_is_created_read_updated_and_archived()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var created = await manager.PostAsync("accounts", new { name = "Northwind", potentialUsers = 12000, isFocusAccount = true, background = "Freight" });
        var account = await created.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/accounts/{account.Id()}", created.Headers.Location?.ToString());
        Assert.Equal("strategic", account.Str("segment"));

        var read = await manager.GetAsync($"accounts/{account.Id()}");
        var etag = read.Headers.ETag?.ToString();
        Assert.NotNull(etag);
        Assert.Equal("Freight", (await read.ExpectJsonAsync(HttpStatusCode.OK)).Str("background"));

        var patched = await manager.PatchAsync($"accounts/{account.Id()}", new { segment = "large", tools = "Jenkins" }, etag);
        var updated = await patched.ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("large", updated.Str("segment"));
        Assert.Equal("Jenkins", updated.Str("tools"));
        Assert.Equal("Freight", updated.Str("background"));
        Assert.NotEqual(etag, patched.Headers.ETag?.ToString());

        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"accounts/{account.Id()}")).StatusCode);
        var list = await manager.GetJsonAsync($"accounts?q=Northwind&limit=500");
        Assert.DoesNotContain(account.Id(), Scenario.ItemIds(list));
        var archived = await manager.GetJsonAsync($"accounts/{account.Id()}");
        Assert.NotNull(archived["archivedAt"]);
    }

    [Fact]
    public async Task Patch_can_clear_a_field_with_null()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var account = await manager.CreateAsync("accounts", new { name = "Clearable", tools = "Jenkins" });
        var updated = await (await manager.SendRawAsync(HttpMethod.Patch, $"accounts/{account.Id()}", """{"tools":null}"""))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Null(updated["tools"]);
        Assert.Equal("Clearable", updated.Str("name"));
    }

    [Fact]
    public async Task Lists_filter_by_search_segment_and_owner_and_page_with_a_cursor()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var owner = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var tag = Ids.New()[^10..];
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var account = await manager.CreateAsync("accounts", new { name = $"Paged {tag} {i}", segment = i % 2 == 0 ? "smb" : "midMarket" });
            ids.Add(account.Id());
        }

        await manager.PutAsync($"accounts/{ids[1]}/team", new[] { new { userId = owner.UserId, role = "customerSuccessManager" } });

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await manager.GetJsonAsync($"accounts?q={tag}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = Scenario.ItemIds(page).ToList();
            Assert.True(items.Count <= 2);
            seen.AddRange(items);
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(5, seen.Distinct().Count());

        var smb = Scenario.ItemIds(await manager.GetJsonAsync($"accounts?q={tag}&segment=smb")).ToList();
        Assert.Equal(3, smb.Count);
        var owned = Scenario.ItemIds(await manager.GetJsonAsync($"accounts?q={tag}&ownerId={owner.UserId}")).ToList();
        Assert.Equal([ids[1]], owned);
    }

    [Fact]
    public async Task The_team_is_replaced_as_a_whole_and_checked()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var sa = await App.SignInAsync(UserRole.SolutionsArchitect);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var account = await manager.CreateAsync("accounts", new { name = "Team test" });
        await (await manager.PutAsync($"accounts/{account.Id()}/team", new[]
        {
            new { userId = sa.UserId, role = "solutionsArchitect" },
            new { userId = csm.UserId, role = "customerSuccessManager" },
        })).ExpectArrayAsync(HttpStatusCode.OK);
        await manager.PutAsync($"accounts/{account.Id()}/team", new[] { new { userId = csm.UserId, role = "customerSuccessManager" } });
        var team = await (await manager.GetAsync($"accounts/{account.Id()}/team")).ExpectArrayAsync(HttpStatusCode.OK);
        Assert.Equal([csm.UserId], team.Select(m => m!.Str("userId")));
        Assert.Equal("customerSuccessManager", team[0].Str("role"));

        var bad = await manager.PutAsync($"accounts/{account.Id()}/team", new[] { new { userId = "nobody", role = "solutionsArchitect" } });
        await bad.ExpectFieldErrorAsync("[0].userId");
        var badRole = await manager.PutAsync($"accounts/{account.Id()}/team", new[] { new { userId = sa.UserId, role = "boss" } });
        await badRole.ExpectFieldErrorAsync("[0].role");
    }

    [Fact]
    public async Task An_account_carries_its_commercial_facts_and_refuses_bad_ones_by_name()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var crmId = "001" + Ids.New()[^15..];
        var account = await manager.CreateAsync("accounts", new
        {
            name = "Commercial " + Ids.New()[^6..], arr = 480000.50m, renewalDate = "2027-03-31", externalId = crmId, industry = "Logistics", employees = 5400,
        });
        Assert.Equal(480000.50m, account["arr"]!.GetValue<decimal>());
        Assert.Equal("2027-03-31", account.Str("renewalDate"));
        Assert.Equal(crmId, account.Str("externalId"));
        Assert.Equal("Logistics", account.Str("industry"));
        Assert.Equal(5400, account["employees"]!.GetValue<int>());

        var read = await manager.GetJsonAsync($"accounts/{account.Id()}");
        Assert.Equal(480000.50m, read["arr"]!.GetValue<decimal>());

        var patched = await (await manager.PatchAsync($"accounts/{account.Id()}", new { arr = 500000, renewalDate = "2028-03-31" })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(500000m, patched["arr"]!.GetValue<decimal>());
        Assert.Equal(crmId, patched.Str("externalId"));

        await (await manager.PatchAsync($"accounts/{account.Id()}", new { arr = -1 })).ExpectFieldErrorAsync("arr");
        await (await manager.PatchAsync($"accounts/{account.Id()}", new { arr = 1e20 })).ExpectFieldErrorAsync("arr");
        await (await manager.PatchAsync($"accounts/{account.Id()}", new { renewalDate = "31/03/2027" })).ExpectFieldErrorAsync("renewalDate");
        await (await manager.PatchAsync($"accounts/{account.Id()}", new { renewalDate = "3027-01-01" })).ExpectFieldErrorAsync("renewalDate");
        await (await manager.PatchAsync($"accounts/{account.Id()}", new { employees = -5 })).ExpectFieldErrorAsync("employees");
        await (await manager.PatchAsync($"accounts/{account.Id()}", new { industry = new string('x', 201) })).ExpectFieldErrorAsync("industry");
        await (await manager.PatchAsync($"accounts/{account.Id()}", new { externalId = new string('x', 101) })).ExpectFieldErrorAsync("externalId");

        // One account per CRM id, whoever can see the other: 409 naming the field.
        var duplicate = await (await manager.PostAsync("accounts", new { name = "Duplicate", externalId = crmId })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.True(duplicate["errors"]!.AsObject().ContainsKey("externalId"), duplicate.ToJsonString());
        var other = await manager.CreateAsync("accounts", new { name = "Other " + Ids.New()[^6..] });
        await (await manager.PatchAsync($"accounts/{other.Id()}", new { externalId = crmId })).ExpectProblemAsync(HttpStatusCode.Conflict);

        // Accounts without a CRM id are many; clearing one frees it.
        await manager.CreateAsync("accounts", new { name = "No CRM id 1" });
        await manager.CreateAsync("accounts", new { name = "No CRM id 2", externalId = "" });
        (await manager.SendRawAsync(HttpMethod.Patch, $"accounts/{account.Id()}", """{"externalId":null}""")).EnsureSuccessStatusCode();
        Assert.Equal(crmId, (await (await manager.PatchAsync($"accounts/{other.Id()}", new { externalId = crmId })).ExpectJsonAsync(HttpStatusCode.OK)).Str("externalId"));
    }

    [Fact]
    public async Task A_team_member_who_opens_an_account_joins_its_team()
    {
        var ae = await App.SignInAsync(UserRole.AccountExecutive);
        var account = await ae.CreateAsync("accounts", new { name = "Self-sourced" });
        Assert.Equal(account.Id(), (await ae.GetJsonAsync($"accounts/{account.Id()}")).Id());
        var ie = await App.SignInAsync(UserRole.ImplementationEngineer);
        Assert.Equal(HttpStatusCode.Forbidden, (await ie.PostAsync("accounts", new { name = "Not mine to open" })).StatusCode);
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteAccountApiTests(SqliteApp app) : AccountApiTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresAccountApiTests(PostgresApp app) : AccountApiTests(app);
