using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>The book of business in a real browser: search from the header, the portfolio and its download.</summary>
public sealed partial class PageTests
{
    [Fact]
    public Task The_header_search_finds_an_objective_and_opens_it() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var marker = "Quasar" + Ids.New()[^6..];
        (await csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = $"Roll {marker} out to every team" })).EnsureSuccessStatusCode();

        var box = page.GetByRole(AriaRole.Search, new() { Name = "Search" }).GetByRole(AriaRole.Searchbox);
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
}
