using Microsoft.Playwright;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>The five-step guide on a plan taking shape: it says what each step still needs and goes away when all are done.</summary>
public abstract partial class PageTests
{
    [Fact]
    public Task The_guide_ticks_its_steps_from_the_plan_and_goes_away_when_all_five_are_done() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");

        var guide = page.Locator("section.guide");
        await Assertions.Expect(guide.Locator("li[data-step=customerReview] > .badge")).ToHaveTextAsync("done");
        await Assertions.Expect(guide.Locator("li[data-step=documenting] > .badge")).ToHaveTextAsync("to do");
        await Assertions.Expect(guide.Locator("li[data-step=documenting]")).ToContainTextAsync("Share the plan with the customer");
        await Assertions.Expect(guide.Locator("li[data-step=strategySession]")).ToContainTextAsync("Agree each side's contributions");

        // The seed's pitfalls of objectives, folded away until asked for.
        var pitfalls = guide.GetByText("Not measurable: \"delight the customer\".");
        await Assertions.Expect(pitfalls).ToBeHiddenAsync();
        await guide.GetByText("Common pitfalls").ClickAsync();
        await Assertions.Expect(pitfalls).ToBeVisibleAsync();

        await guide.GetByRole(AriaRole.Link, new() { Name = "The account's stakeholders" }).ClickAsync();
        await page.WaitForURLAsync($"**/accounts/{s.AccountId}#stakeholders");
        await Assertions.Expect(page.Locator("#stakeholders")).ToBeVisibleAsync();

        // The strategy session and the sharing happen; the guide has nothing left to say.
        (await csm.PatchAsync($"objectives/{s.ObjectiveId}", new { ownerId = csm.UserId })).EnsureSuccessStatusCode();
        (await csm.PatchAsync($"initiatives/{s.InitiativeId}", new { ownerId = csm.UserId })).EnsureSuccessStatusCode();
        await csm.CreateAsync($"objectives/{s.ObjectiveId}/initiatives", new { title = "Nominate a champion per team", kind = "changeManagement", ownerStakeholderId = s.StakeholderId });
        (await csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer", lastReviewedAt = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd") })).EnsureSuccessStatusCode();
        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");
        await Assertions.Expect(page.Locator("h2#objectives")).ToBeVisibleAsync();
        await Assertions.Expect(guide).ToHaveCountAsync(0);
    });
}
