using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>The adoption journey in a real browser: the team plans and moves milestones; the customer sees the same lanes in the portal.</summary>
public abstract partial class PageTests
{
    [Fact]
    public Task A_csm_lays_out_the_journey_and_the_customer_sees_it_in_the_portal() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        foreach (var m in (await csm.GetJsonAsync($"plans/{s.PlanId}/milestones"))["items"]!.AsArray())
        {
            (await csm.DeleteAsync($"milestones/{m!.Str("id")}")).EnsureSuccessStatusCode();
        }

        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");
        await Assertions.Expect(page.Locator("#journey-empty")).ToBeVisibleAsync();

        var form = page.GetByRole(AriaRole.Form, new() { Name = "Add a milestone" });
        await form.GetByRole(AriaRole.Button, new() { Name = "Add milestone" }).ClickAsync();
        await Assertions.Expect(page.Locator("#title-error")).ToBeVisibleAsync();
        // A failed save takes the reader to the first message.
        await Assertions.Expect(page.Locator("#title-error")).ToBeFocusedAsync();

        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd");
        form = page.GetByRole(AriaRole.Form, new() { Name = "Add a milestone" });
        await form.GetByLabel("Milestone").FillAsync("Pilot team releases through the new pipeline");
        await form.GetByLabel("Horizon").SelectOptionAsync(new SelectOptionValue { Label = "30 days" });
        await form.GetByLabel("Due").FillAsync(due);
        await form.GetByLabel("Owner").SelectOptionAsync(new SelectOptionValue { Label = "Priya Raman (customer)" });
        await form.GetByLabel("Serves").SelectOptionAsync(new SelectOptionValue { Label = "Increase deployment frequency from 2 to 10 per week" });
        await form.GetByRole(AriaRole.Button, new() { Name = "Add milestone" }).ClickAsync();

        // A save says what changed, beside it, with the focus there.
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Milestone added.");
        await Assertions.Expect(page.Locator("#done")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#done + #journey")).ToHaveCountAsync(1);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveCountAsync(0);

        var lane = page.Locator("section.lane[data-horizon=days30]");
        await Assertions.Expect(lane).ToContainTextAsync("Pilot team releases through the new pipeline");
        await Assertions.Expect(lane).ToContainTextAsync($"Due {due} · Priya Raman (customer) · for “Increase deployment frequency from 2 to 10 per week”");
        await Assertions.Expect(page.Locator("#journey-summary")).ToContainTextAsync("Due next: Pilot team releases through the new pipeline");

        // A slipped step: added through the API with a past date, shown as overdue until the team says what happened.
        await csm.CreateAsync($"plans/{s.PlanId}/milestones", new { title = "Kick-off held", horizon = "days30", dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd") });
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#journey-slipped")).ToHaveTextAsync("1 slipped");
        var update = page.GetByRole(AriaRole.Form, new() { Name = "Update Kick-off held" });
        await update.GetByLabel("Status of Kick-off held", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Done" });
        await update.GetByRole(AriaRole.Button, new() { Name = "Save the status of Kick-off held" }).ClickAsync();
        await Assertions.Expect(page.Locator("#journey-slipped")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("li", new() { HasText = "Kick-off held" }).Locator(".badge")).ToHaveTextAsync("Done");

        // The customer reads the same journey in the portal, without the team's forms.
        (await csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();
        var email = $"priya-{Ids.New()[^10..]}@acme.example";
        (await csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email })).EnsureSuccessStatusCode();
        await csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });
        var mail = await SmtpSink.Required.WaitForAsync(email);
        await using var customerContext = await _browser.Browser.NewContextAsync();
        var customer = await customerContext.NewPageAsync();
        await customer.GotoAsync(Regex.Match(mail.HtmlBody!, "https?://[^\"]+/portal/links/[0-9a-f]{64}").Value);
        await customer.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await customer.GotoAsync($"{_browser.BaseUrl}/portal/plans/{s.PlanId}");
        await Assertions.Expect(customer.Locator("section.lane[data-horizon=days30]")).ToContainTextAsync("Pilot team releases through the new pipeline");
        await Assertions.Expect(customer.GetByRole(AriaRole.Form, new() { Name = "Add a milestone" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task A_plan_from_the_impact_journey_shows_its_prompts_and_adds_a_suggested_objective() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var plan = await csm.CreateAsync("plans", new { accountId = s.AccountId, title = "Docs impact journey", template = "impactJourney" });
        await page.GotoAsync($"{_browser.BaseUrl}/plans/{plan.Id()}");
        await Assertions.Expect(page.GetByText("Template: 12-month impact journey")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section[data-section=customerExpectations]")).ToContainTextAsync("Trying to achieve:");

        // An empty section says what to write, and opens its own editor.
        var goals = page.Locator("section[data-section=smartGoals]");
        await Assertions.Expect(goals).ToContainTextAsync("Not written yet. Goals that are Specific, Measurable");
        await goals.GetByText("Edit", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(goals.GetByLabel("Content")).ToBeVisibleAsync();

        // The template's suggestions are one click from being the plan's objectives.
        var suggested = page.GetByRole(AriaRole.Region, new() { Name = "Suggested by the 12-month impact journey template" });
        var title = "Publish <n> documentation spaces the team uses weekly by <date>";
        await suggested.GetByRole(AriaRole.Form, new() { Name = $"Add the suggested objective {title}" }).GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/objectives/[0-9a-f]{32}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await page.GotoAsync($"{_browser.BaseUrl}/plans/{plan.Id()}");
        await Assertions.Expect(page.GetByRole(AriaRole.Form, new() { Name = $"Add the suggested objective {title}" })).ToHaveCountAsync(0);
    });
}
