using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>
/// The objective's lifecycle as one stepper, closing with a reason, the closed group on the plan page, an activity
/// logged with its day, its people and its objective, and a stale edit said in words.
/// </summary>
public abstract partial class PageTests
{
    private static ILocator CurrentStep(IPage page) => page.Locator("ol.stepper li[aria-current=step]");

    [Fact]
    public Task The_lifecycle_stepper_moves_forward_and_closing_without_a_result_asks_for_the_reason() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        await page.GotoAsync($"{_browser.BaseUrl}/objectives/{s.ObjectiveId}");

        // One step is current; the next step says what it needs, from the lifecycle's own rules.
        await Assertions.Expect(CurrentStep(page)).ToHaveCountAsync(1);
        await Assertions.Expect(CurrentStep(page)).ToContainTextAsync("Proposed");
        await Assertions.Expect(page.Locator("#last-validated")).ToContainTextAsync("Last validated never");
        await Assertions.Expect(page.Locator("#next-step")).ToContainTextAsync("Next: Move to work in progress.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Customer validated it today" }).ClickAsync();
        await Assertions.Expect(page.Locator("#last-validated")).ToContainTextAsync($"Last validated {DateTime.UtcNow:yyyy-MM-dd}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Move to work in progress" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Move to work in progress: done.");
        await Assertions.Expect(CurrentStep(page)).ToContainTextAsync("Work in progress");
        await Assertions.Expect(page.Locator("ol.stepper li.done[data-step=proposed]")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Move to accepted" }).ClickAsync();
        await Assertions.Expect(CurrentStep(page)).ToContainTextAsync("Accepted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Move to delivered" }).ClickAsync();
        await Assertions.Expect(CurrentStep(page)).ToContainTextAsync("Delivered");
        await Assertions.Expect(page.Locator("#next-step")).ToContainTextAsync("Next: Move to verified. It needs a customer confirmation in writing.");
        await Assertions.Expect(page.GetByRole(AriaRole.Form, new() { Name = "Move to verified" })).ToContainTextAsync("Needs a customer confirmation in writing.");

        // Closing without a result: a secondary choice that asks why before it acts.
        await page.GetByText("Close — no action…").ClickAsync();
        var close = page.GetByRole(AriaRole.Form, new() { Name = "Close — no action" });
        await close.GetByRole(AriaRole.Button, new() { Name = "Close — no action" }).ClickAsync();
        await Assertions.Expect(page.Locator("#note-error")).ToContainTextAsync("needs a note saying why");
        Assert.Equal("workInProgress", (await s.Manager.GetJsonAsync($"objectives/{s.ObjectiveId}")).Str("status"));

        close = page.GetByRole(AriaRole.Form, new() { Name = "Close — no action" });
        await close.GetByLabel("Why it closes without a result").FillAsync("The customer moved the team to another product.");
        await close.GetByRole(AriaRole.Button, new() { Name = "Close — no action" }).ClickAsync();
        await Assertions.Expect(CurrentStep(page)).ToContainTextAsync("Closed — no action");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Closed — no action");
        // The move is on the timeline in words, with the reason.
        await Assertions.Expect(page.Locator(".timeline")).ToContainTextAsync("Status: Work in progress → Closed — no action — The customer moved the team to another product.");
        await Assertions.Expect(page.Locator(".timeline")).ToContainTextAsync("Outcome stage: Accepted → Delivered");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reopen" })).ToBeVisibleAsync();
        var closed = await s.Manager.GetJsonAsync($"objectives/{s.ObjectiveId}");
        Assert.Equal("closedNoAction", closed.Str("status"));

        // On the plan page the closed objective folds into its own group, below the open ones.
        var open = await s.Manager.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Cut onboarding from 10 days to 2" });
        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");
        var group = page.Locator("details#closed-objectives");
        await Assertions.Expect(group.Locator("summary")).ToHaveTextAsync("Closed (1)");
        var link = group.GetByRole(AriaRole.Link, new() { Name = "Increase deployment frequency from 2 to 10 per week" });
        await Assertions.Expect(link).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Cut onboarding from 10 days to 2" })).ToBeVisibleAsync();
        Assert.Equal(0, await group.GetByRole(AriaRole.Link, new() { Name = "Cut onboarding from 10 days to 2" }).CountAsync());
        await group.Locator("summary").ClickAsync();
        await link.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/objectives/{s.ObjectiveId}$"));

        // Reopening without a note is refused beside the note; with it, it is back among the open ones.
        await page.GetByRole(AriaRole.Form, new() { Name = "Reopen" }).GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Form, new() { Name = "Reopen" }).Locator("#note-error")).ToContainTextAsync("needs a note saying why");
        await page.GetByRole(AriaRole.Form, new() { Name = "Reopen" }).GetByLabel("Note").FillAsync("They came back to it.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Assertions.Expect(CurrentStep(page)).ToContainTextAsync("Delivered");
        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");
        await Assertions.Expect(page.Locator("details#closed-objectives")).ToHaveCountAsync(0);
        Assert.NotNull(open.Id());
    });

    [Fact]
    public Task An_activity_is_logged_with_its_day_who_took_part_and_its_objective() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var team = await csm.GetAsync($"accounts/{s.AccountId}/team");
        var me = (await team.ExpectArrayAsync(System.Net.HttpStatusCode.OK)).First(m => m.Str("userId") == csm.UserId).Str("name");
        await page.GotoAsync($"{_browser.BaseUrl}/accounts/{s.AccountId}");

        await page.GetByText("Log an activity").ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Log an activity" });
        await Assertions.Expect(form.GetByLabel("On", new() { Exact = true })).ToHaveValueAsync(DateTime.UtcNow.ToString("yyyy-MM-dd"));
        await form.GetByRole(AriaRole.Button, new() { Name = "Log activity" }).ClickAsync();
        await Assertions.Expect(page.Locator("#summary-error")).ToContainTextAsync("required");

        form = page.GetByRole(AriaRole.Form, new() { Name = "Log an activity" });
        await form.Locator("select[name='ActivityForm.Type']").SelectOptionAsync("Call");
        await form.GetByLabel("On", new() { Exact = true }).FillAsync("2026-11-02");
        await form.GetByLabel(me).CheckAsync();
        await form.GetByLabel("Priya Raman, VP Engineering").CheckAsync();
        await form.GetByLabel("About the objective").SelectOptionAsync(new SelectOptionValue { Label = "Increase deployment frequency from 2 to 10 per week" });
        await form.GetByLabel("What happened").FillAsync("Priya agreed to the runner budget.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Log activity" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Call logged.");
        var entry = page.Locator(".timeline li", new() { HasText = "Priya agreed to the runner budget." });
        await Assertions.Expect(entry).ToContainTextAsync("2026-11-02");
        await Assertions.Expect(entry).ToContainTextAsync($"With {me}, Priya Raman (customer)");
        await entry.GetByRole(AriaRole.Link, new() { Name = "Increase deployment frequency from 2 to 10 per week" }).ClickAsync();

        // On the objective's page it is on the timeline too, and logged there it needs no objective.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/objectives/{s.ObjectiveId}$"));
        await Assertions.Expect(page.Locator(".timeline li", new() { HasText = "Priya agreed to the runner budget." })).ToContainTextAsync("Priya Raman (customer)");
        await page.GetByText("Log an activity").ClickAsync();
        form = page.GetByRole(AriaRole.Form, new() { Name = "Log an activity" });
        await Assertions.Expect(form.GetByLabel("About the objective")).ToHaveCountAsync(0);
        await form.Locator("select[name='ActivityForm.Type']").SelectOptionAsync("Note");
        await form.GetByLabel("Priya Raman, VP Engineering").CheckAsync();
        await form.GetByLabel("What happened").FillAsync("Runner capacity doubled.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Log activity" }).ClickAsync();
        await Assertions.Expect(page.Locator(".timeline li", new() { HasText = "Runner capacity doubled." })).ToContainTextAsync("With Priya Raman (customer)");

        var logged = (await s.Manager.GetJsonAsync($"objectives/{s.ObjectiveId}/activities?type=call"))["items"]!.AsArray().Single()!;
        Assert.Equal("2026-11-02", logged.Str("occurredAt")[..10]);
        Assert.Equal([csm.UserId], logged["attendeeUserIds"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal([s.StakeholderId], logged["attendeeStakeholderIds"]!.AsArray().Select(x => x!.GetValue<string>()));
    });

    [Fact]
    public Task A_stale_edit_says_someone_changed_it_and_shows_their_version() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        await page.GotoAsync($"{_browser.BaseUrl}/objectives/{s.ObjectiveId}");

        // A colleague saves over the API while this page is open.
        (await s.Manager.PatchAsync($"objectives/{s.ObjectiveId}", new { businessImpact = "Changed by a colleague" })).EnsureSuccessStatusCode();
        await page.GetByLabel("Title, in the customer's words").FillAsync("Ship twelve times a week");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Someone changed this since you opened it — here is their version.");
        await Assertions.Expect(page.GetByLabel("Business impact, in the customer's words")).ToHaveValueAsync("Changed by a colleague");
        await Assertions.Expect(page.GetByLabel("Title, in the customer's words")).ToHaveValueAsync("Increase deployment frequency from 2 to 10 per week");
        var text = await page.Locator("main").InnerTextAsync();
        foreach (var word in new[] { "412", "If-Match", "precondition", "Precondition", "HTTP" })
        {
            Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        }

        // Saved again from their version, it goes through.
        await page.GetByLabel("Title, in the customer's words").FillAsync("Ship twelve times a week");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ship twelve times a week" })).ToBeVisibleAsync();
        var saved = await s.Manager.GetJsonAsync($"objectives/{s.ObjectiveId}");
        Assert.Equal("Changed by a colleague", saved.Str("businessImpact"));

        // A move over an older version is caught the same way, in the lifecycle.
        (await s.Manager.PatchAsync($"objectives/{s.ObjectiveId}", new { description = "Another change" })).EnsureSuccessStatusCode();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move to work in progress" }).ClickAsync();
        await Assertions.Expect(page.Locator("#lifecycle-problem")).ToHaveTextAsync("Someone changed this since you opened it — here is their version.");
        Assert.Equal("new", (await s.Manager.GetJsonAsync($"objectives/{s.ObjectiveId}")).Str("status"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Move to work in progress" }).ClickAsync();
        await Assertions.Expect(CurrentStep(page)).ToContainTextAsync("Work in progress");
    });
}
