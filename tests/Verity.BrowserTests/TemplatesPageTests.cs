using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>Plan templates in a real browser: an admin copies a built-in one and makes it the house's; a CSM starts a plan from one.</summary>
public abstract partial class PageTests
{
    [Fact]
    public Task An_admin_copies_the_impact_journey_changes_its_rows_and_deletes_a_template_no_plan_uses() => WithPageAsync(async page =>
    {
        await SignInAsync(page, UserRole.Admin);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Plan templates" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-template=impactJourney]")).ToContainTextAsync("Built in");

        // A built-in template, whole and in words, read-only.
        await page.GetByRole(AriaRole.Link, new() { Name = "12-month impact journey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "12-month impact journey" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-section=customerExpectations]")).ToContainTextAsync("Why us");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Suggested objectives" })).ToContainTextAsync("Qualitative");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Month 3: first impact review (QBR)" })).ToContainTextAsync("90 days");
        await Assertions.Expect(page.GetByRole(AriaRole.Form, new() { Name = "Change this template" })).ToHaveCountAsync(0);

        // Copy it: the add form comes with the journey chosen; a key that is no identifier is named.
        await page.GetByRole(AriaRole.Link, new() { Name = "Copy it" }).ClickAsync();
        var add = page.GetByRole(AriaRole.Form, new() { Name = "Add a template" });
        await Assertions.Expect(add.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Copy of 12-month impact journey");
        await add.GetByLabel("Name", new() { Exact = true }).FillAsync("Docs impact journey");
        await add.GetByLabel("Key", new() { Exact = false }).FillAsync("docs journey");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add template" }).ClickAsync();
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("letters and digits");
        var key = "docsJourney" + Ids.New()[^6..];
        add = page.GetByRole(AriaRole.Form, new() { Name = "Add a template" });
        await add.GetByLabel("Key", new() { Exact = false }).FillAsync(key);
        await add.GetByRole(AriaRole.Button, new() { Name = "Add template" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/templates/{key}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Docs impact journey" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#plans-using")).ToHaveTextAsync("No plan uses it");

        // Rows: one more of each list, the last section and the first objective and milestone ticked to go.
        await page.GetByText("Change this template").First.ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Change this template" });
        await form.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        form = page.GetByRole(AriaRole.Form, new() { Name = "Change this template" });
        await form.GetByLabel("Section 6 key").FillAsync("risks");
        await form.GetByLabel("Section 6 title").FillAsync("Risks");
        await form.GetByLabel("Section 6 prompt: what to write").FillAsync("What could stop the journey, and who is on it.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add an objective" }).ClickAsync();
        form = page.GetByRole(AriaRole.Form, new() { Name = "Change this template" });
        await Assertions.Expect(form.GetByLabel("Section 6 key")).ToHaveValueAsync("risks");
        await form.GetByLabel("Objective 4", new() { Exact = true }).FillAsync("Answer <n> support questions from the docs by <date>");
        await form.GetByLabel("Objective 4 kind").SelectOptionAsync(new SelectOptionValue { Label = "Quantitative" });
        await form.GetByLabel("Objective 4 success criteria").FillAsync("<n> tickets closed with a docs link");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add a milestone" }).ClickAsync();
        form = page.GetByRole(AriaRole.Form, new() { Name = "Change this template" });
        await form.GetByLabel("Milestone 6", new() { Exact = true }).FillAsync("Month 4: docs champions named");
        await form.GetByLabel("Milestone 6 horizon").SelectOptionAsync(new SelectOptionValue { Label = "6 months" });
        await form.GetByLabel("Remove section 5").CheckAsync();
        await form.GetByLabel("Remove objective 1").CheckAsync();
        await form.GetByLabel("Remove milestone 1").CheckAsync();

        // A section key that is no identifier is refused beside its field, and what was typed stays.
        await form.GetByLabel("Section 1 key").FillAsync("customer expectations");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(page.Locator("[id='sections[0].key-error']")).ToContainTextAsync("letters and digits");
        form = page.GetByRole(AriaRole.Form, new() { Name = "Change this template" });
        await Assertions.Expect(form.GetByLabel("Section 5 key")).ToHaveValueAsync("risks");
        await form.GetByLabel("Section 1 key").FillAsync("customerExpectations");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();

        await Assertions.Expect(page.Locator("tr[data-section=risks]")).ToContainTextAsync("What could stop the journey");
        await Assertions.Expect(page.Locator("tr[data-section=nextSteps]")).ToHaveCountAsync(0);
        var objectives = page.GetByRole(AriaRole.Table, new() { Name = "Suggested objectives" });
        await Assertions.Expect(objectives).ToContainTextAsync("Answer <n> support questions from the docs by <date>");
        await Assertions.Expect(objectives).Not.ToContainTextAsync("Publish <n> documentation spaces");
        var journey = page.GetByRole(AriaRole.Table, new() { Name = "Journey skeleton" });
        await Assertions.Expect(journey.GetByRole(AriaRole.Row).Filter(new() { HasText = "Month 4: docs champions named" })).ToContainTextAsync("6 months");
        await Assertions.Expect(journey).Not.ToContainTextAsync("Month 1: onboarding call held");

        // In use, it stays; the refusal says why.
        var s = await Scenario.CreateAsync(App);
        await s.Csm.CreateAsync("plans", new { accountId = s.AccountId, title = "Docs journey", template = key });
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#plans-using")).ToHaveTextAsync("1 plan uses it");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete template" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("1 plan uses the template");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Docs impact journey" })).ToBeVisibleAsync();

        // A blank one, unused, goes.
        await page.GetByRole(AriaRole.Link, new() { Name = "Plan templates" }).ClickAsync();
        add = page.GetByRole(AriaRole.Form, new() { Name = "Add a template" });
        await add.GetByLabel("Start from").SelectOptionAsync(new SelectOptionValue { Label = "A blank template (one section to rename)" });
        await add.GetByLabel("Name", new() { Exact = true }).FillAsync("Spare template");
        var spare = "spare" + Ids.New()[^6..];
        await add.GetByLabel("Key", new() { Exact = false }).FillAsync(spare);
        await add.GetByRole(AriaRole.Button, new() { Name = "Add template" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-section=overview]")).ToContainTextAsync("Overview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete template" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/templates$"));
        await Assertions.Expect(page.Locator($"tr[data-template={spare}]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"tr[data-template={key}]")).ToContainTextAsync("Your own");
    });

    [Fact]
    public Task A_csm_starts_a_plan_from_the_impact_journey_on_the_account_page() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Templates" })).ToHaveCountAsync(0);
        var s = await ScenarioFor(csm);
        await page.GotoAsync($"{_browser.BaseUrl}/accounts/{s.AccountId}");
        var start = page.GetByRole(AriaRole.Form, new() { Name = "Start a plan" });
        await start.GetByLabel("Plan title").FillAsync("Docs impact journey");
        await start.GetByLabel("Template").SelectOptionAsync(new SelectOptionValue { Label = "12-month impact journey" });
        await start.GetByRole(AriaRole.Button, new() { Name = "Start plan" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/plans/[0-9a-f]{32}$"));
        await Assertions.Expect(page.GetByText("Template: 12-month impact journey")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section[data-section=changeManagement]")).ToContainTextAsync("Expected barriers:");
        await Assertions.Expect(page.Locator("section[data-section=smartGoals]")).ToContainTextAsync("Specific, Measurable");
        await Assertions.Expect(page.Locator("section.lane[data-horizon=days90]")).ToContainTextAsync("Month 3: first impact review (QBR)");
        await Assertions.Expect(page.Locator("section.lane[data-horizon=months12]")).ToContainTextAsync("Month 12: impact review; outcomes verified, next year's goals");
    });
}
