using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>The book of business in a real browser: search from the header, the portfolio and its download.</summary>
public abstract partial class PageTests
{
    [Fact]
    public Task The_header_search_finds_an_objective_and_opens_it() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var marker = "Quasar" + Ids.New()[^6..];
        (await csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = $"Roll {marker} out to every team" })).EnsureSuccessStatusCode();

        var box = page.GetByRole(AriaRole.Search, new() { Name = "Search Verity" }).GetByRole(AriaRole.Searchbox);
        await box.FillAsync(marker[..^2]);
        await box.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Objectives" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Searchbox)).ToHaveValueAsync(marker[..^2]);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Roll {marker} out to every team" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/objectives/{s.ObjectiveId}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Roll {marker} out to every team" })).ToBeVisibleAsync();

        // The page's own form searches again, and says so when nothing matches.
        await page.GotoAsync($"{_browser.BaseUrl}/search?q={marker}");
        var form = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Search);
        await form.GetByRole(AriaRole.Searchbox).FillAsync(marker + "zz");
        await form.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#search-empty")).ToContainTextAsync("Nothing you can see matches");
    });

    [Fact]
    public Task Many_search_results_page_with_a_more_link() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var marker = "Nebula" + Ids.New()[^6..];
        for (var i = 0; i < 51; i++)
        {
            await csm.CreateAsync($"accounts/{s.AccountId}/stakeholders", new { name = $"{marker} person {i:00}", side = "customer", role = "other" });
        }

        await page.GotoAsync($"{_browser.BaseUrl}/search?q={marker}");
        await Assertions.Expect(page.Locator("li[data-kind=stakeholder]")).ToHaveCountAsync(50);
        await page.Locator("#more-results").ClickAsync();
        await Assertions.Expect(page.Locator("li[data-kind=stakeholder]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#more-results")).ToHaveCountAsync(0);
        await page.Locator("li[data-kind=stakeholder] a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/accounts/{s.AccountId}#stakeholders$"));
    });

    [Fact]
    public Task A_manager_reads_the_portfolio_narrows_it_and_downloads_its_rows() => WithPageAsync(async page =>
    {
        await SignInAsync(page, UserRole.Director);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var renewal = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd");
        (await s.Manager.PatchAsync($"accounts/{s.AccountId}", new { arr = 250_000, renewalDate = renewal })).EnsureSuccessStatusCode();
        await csm.CreateAsync($"accounts/{s.AccountId}/health-checks", new { adoption = 5, sentiment = "negative", overall = "red" });
        await csm.GetJsonAsync($"accounts/{s.AccountId}/health");
        var name = (await s.Manager.GetJsonAsync($"accounts/{s.AccountId}")).Str("name");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Portfolio" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Portfolio", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("figure.chart svg")).ToBeVisibleAsync();

        // Narrowed to the CSM who owns the account: exactly that account, its ARR, its renewal, its red health first in line.
        await page.GetByLabel("Owner").SelectOptionAsync(new SelectOptionValue { Value = csm.UserId });
        await page.GetByLabel("Segment").SelectOptionAsync("strategic");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("ownerId=" + csm.UserId));
        await Assertions.Expect(page.Locator("#portfolio-empty")).ToBeVisibleAsync();   // the scenario's account is not strategic
        await page.GetByLabel("Segment").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#tile-accounts")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#tile-arr")).ToHaveTextAsync("250,000");
        await Assertions.Expect(page.Locator("#renewals + table tr[data-account]")).ToContainTextAsync(renewal);
        await Assertions.Expect(page.Locator("[data-grade=red]")).ToHaveTextAsync("1 Red");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#portfolio-csv").ClickAsync());
        Assert.StartsWith("portfolio-", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(name, lines[1], StringComparison.Ordinal);
        Assert.Contains("Red", lines[1], StringComparison.Ordinal);

        // "Only my accounts": a director is on no team, so nothing is in view.
        await page.GetByLabel("Owner").SelectOptionAsync("");
        await page.GetByLabel("Only accounts I am on the team of").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#portfolio-empty")).ToBeVisibleAsync();

        await page.GotoAsync($"{_browser.BaseUrl}/portfolio?ownerId={csm.UserId}");
        await page.Locator($"ol.attention li[data-account='{s.AccountId}'] a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/accounts/{s.AccountId}$"));
        await page.GoBackAsync();
        await page.Locator($"#renewals + table tr[data-account='{s.AccountId}'] a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/accounts/{s.AccountId}$"));
        await page.GoBackAsync();
        await page.Locator("#to-compliance").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compliance$"));
    });
}
