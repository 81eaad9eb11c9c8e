using System.Text.Json.Nodes;
using CsCheck;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Every list that takes <c>limit</c> and <c>cursor</c>, walked page by page: whatever the number of items and
/// the page size, each item comes exactly once, in the order of one big page, and the last page says so.
/// </summary>
public abstract class PagingPropertyTests(VerityApp app) : ApiTests(app)
{
    /// <summary>A list under a fresh parent, and how to add one item to it.</summary>
    private sealed record PagedList(string Path, Func<int, Task<string?>> AddAsync);

    private delegate Task<PagedList> ListSetup(ApiClient manager);

    private static readonly Dictionary<string, ListSetup> _lists = new()
    {
        ["accounts"] = async manager =>
        {
            var tag = Ids.New()[^10..];
            return new PagedList($"accounts?q={tag}", async i => (await manager.CreateAsync("accounts", new { name = $"Paged {tag} {i}" })).Id());
        },
        ["plans"] = async manager =>
        {
            var accountId = await AccountAsync(manager);
            return new PagedList($"plans?accountId={accountId}",
                async i => (await manager.CreateAsync("plans", new { accountId, title = $"Plan {i}" })).Id());
        },
        ["opportunities"] = async manager =>
        {
            var accountId = await AccountAsync(manager);
            return new PagedList($"opportunities?accountId={accountId}",
                async i => (await manager.CreateAsync("opportunities", new { accountId, name = $"Deal {i}", type = "new" })).Id());
        },
        ["stakeholders"] = async manager =>
        {
            var accountId = await AccountAsync(manager);
            return new PagedList($"accounts/{accountId}/stakeholders", async i => (await manager.CreateAsync($"accounts/{accountId}/stakeholders",
                new { name = $"Person {i}", side = "customer", role = "technicalChampion" })).Id());
        },
        ["account activities"] = async manager =>
        {
            var accountId = await AccountAsync(manager);
            return new PagedList($"accounts/{accountId}/activities",
                async i => (await manager.CreateAsync($"accounts/{accountId}/activities", new { type = "note", summary = $"Note {i}" })).Id());
        },
        ["objective activities"] = async manager =>
        {
            var objectiveId = await ObjectiveAsync(manager);
            return new PagedList($"objectives/{objectiveId}/activities",
                async i => (await manager.CreateAsync($"objectives/{objectiveId}/activities", new { type = "note", summary = $"Note {i}" })).Id());
        },
        ["objectives"] = async manager =>
        {
            var planId = await PlanAsync(manager);
            return new PagedList($"plans/{planId}/objectives",
                async i => (await manager.CreateAsync($"plans/{planId}/objectives", new { title = $"Objective {i}" })).Id());
        },
        ["metrics"] = async manager =>
        {
            var objectiveId = await ObjectiveAsync(manager);
            return new PagedList($"objectives/{objectiveId}/metrics",
                async i => (await manager.CreateAsync($"objectives/{objectiveId}/metrics", new { name = $"Metric {i}" })).Id());
        },
        ["initiatives"] = async manager =>
        {
            var objectiveId = await ObjectiveAsync(manager);
            return new PagedList($"objectives/{objectiveId}/initiatives",
                async i => (await manager.CreateAsync($"objectives/{objectiveId}/initiatives", new { title = $"Initiative {i}" })).Id());
        },
        ["measurements"] = async manager =>
        {
            var objectiveId = await ObjectiveAsync(manager);
            var metricId = (await manager.CreateAsync($"objectives/{objectiveId}/metrics", new { name = "Frequency" })).Id();
            return new PagedList($"metrics/{metricId}/measurements", async i => (await manager.CreateAsync($"metrics/{metricId}/measurements",
                new { value = i, at = new DateOnly(2026, 1, 1).AddDays(i).ToString("yyyy-MM-dd") })).Id());
        },
        ["audit"] = async manager =>
        {
            var accountId = await AccountAsync(manager);
            return new PagedList($"audit?entityId={accountId}", async i =>
            {
                (await manager.PatchAsync($"accounts/{accountId}", new { name = $"Renamed {i}" })).EnsureSuccessStatusCode();
                return null;
            });
        },
    };

    public static TheoryData<string> Lists => [.. _lists.Keys];

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Walking_every_page_yields_each_item_once(string list)
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        await Gen.Select(Gen.Int[0, 12], Gen.Int[1, 5]).SampleAsync(async (count, limit) =>
        {
            var paged = await _lists[list](manager);
            var added = new List<string?>();
            for (var i = 0; i < count; i++)
            {
                added.Add(await paged.AddAsync(i));
            }

            var onePage = await manager.GetJsonAsync(With(paged.Path, "limit=500"));
            Assert.Null(onePage["nextCursor"]);
            var all = Scenario.ItemIds(onePage).ToList();
            Assert.All(added.OfType<string>(), id => Assert.Contains(id, all));

            var walked = new List<string>();
            var pages = 0;
            string? cursor = null;
            do
            {
                var page = await manager.GetJsonAsync(With(paged.Path, cursor is null ? $"limit={limit}" : $"limit={limit}&cursor={cursor}"));
                var items = Scenario.ItemIds(page).ToList();
                Assert.True(items.Count <= limit, $"A page of {items.Count} items for limit={limit}.");
                walked.AddRange(items);
                cursor = page["nextCursor"]?.GetValue<string>();
                Assert.True(++pages <= all.Count + 1, "The cursor never ends.");
            }
            while (cursor is not null);

            Assert.Equal(all, walked);
            Assert.Equal(Math.Max(1, (all.Count + limit - 1) / limit), pages);
        }, iter: 4, threads: 1);
    }

    private static string With(string path, string query) => path + (path.Contains('?') ? "&" : "?") + query;

    private static async Task<string> AccountAsync(ApiClient manager) =>
        (await manager.CreateAsync("accounts", new { name = $"Paging {Ids.New()[^8..]}" })).Id();

    private static async Task<string> PlanAsync(ApiClient manager) =>
        (await manager.CreateAsync("plans", new { accountId = await AccountAsync(manager), title = "Paging plan" })).Id();

    private static async Task<string> ObjectiveAsync(ApiClient manager) =>
        (await manager.CreateAsync($"plans/{await PlanAsync(manager)}/objectives", new { title = "Paging objective" })).Id();
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqlitePagingPropertyTests(SqliteApp app) : PagingPropertyTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresPagingPropertyTests(PostgresApp app) : PagingPropertyTests(app);
