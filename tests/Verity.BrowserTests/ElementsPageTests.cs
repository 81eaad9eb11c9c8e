using Microsoft.Playwright;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>Plan sections and close plan elements, each written in place with its own save; a stale edit is judged per element.</summary>
public abstract partial class PageTests
{
    [Fact]
    public Task Plan_sections_are_edited_one_at_a_time_in_place_and_only_a_change_to_the_same_section_is_stale() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");

        // An empty section says so and what to write; its editor opens in place.
        var journey = page.Locator("#element-adoptionJourney");
        await Assertions.Expect(journey).ToContainTextAsync("Not written yet.");
        await journey.GetByText("Edit", new() { Exact = true }).ClickAsync();
        await journey.GetByLabel("Content").FillAsync("30 days: pilot. 60 days: ten teams. 90 days: everyone.");
        await journey.GetByRole(AriaRole.Button, new() { Name = "Save Phased Success Plan and Adoption Journey" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Phased Success Plan and Adoption Journey saved.");
        await Assertions.Expect(page.Locator("#done")).ToBeFocusedAsync();
        await Assertions.Expect(journey).ToContainTextAsync("90 days: everyone.");
        await Assertions.Expect(page.Locator("#element-whatWeHeard")).ToContainTextAsync("Releases are slow.");

        // A colleague writes another section meanwhile: this save is not stale, and theirs is kept.
        var heard = page.Locator("#element-whatWeHeard");
        await heard.GetByText("Edit", new() { Exact = true }).ClickAsync();
        await heard.GetByLabel("Content").FillAsync("Releases take two weeks and fail one time in five.");
        (await s.Manager.PatchAsync($"plans/{s.PlanId}", new
        {
            sections = new Dictionary<string, object>
            {
                ["whatWeHeard"] = new { content = "Releases are slow." },
                ["adoptionJourney"] = new { content = "30 days: pilot. 60 days: ten teams. 90 days: everyone." },
                ["companyBackground"] = new { content = "A logistics company of 4,000 people." },
            },
        })).EnsureSuccessStatusCode();
        await heard.GetByRole(AriaRole.Button, new() { Name = "Save What We Have Heard" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("What We Have Heard saved.");
        await Assertions.Expect(heard).ToContainTextAsync("fail one time in five");
        await Assertions.Expect(page.Locator("#element-companyBackground")).ToContainTextAsync("A logistics company of 4,000 people.");

        // A colleague changes the same section: the save is refused, and their version shows, in the form too.
        await heard.GetByText("Edit", new() { Exact = true }).ClickAsync();
        await heard.GetByLabel("Content").FillAsync("Mine: releases are slow and risky.");
        (await s.Manager.PatchAsync($"plans/{s.PlanId}", new
        {
            sections = new Dictionary<string, object>
            {
                ["whatWeHeard"] = new { content = "Theirs: releases wait on the change board." },
                ["adoptionJourney"] = new { content = "30 days: pilot. 60 days: ten teams. 90 days: everyone." },
                ["companyBackground"] = new { content = "A logistics company of 4,000 people." },
            },
        })).EnsureSuccessStatusCode();
        await heard.GetByRole(AriaRole.Button, new() { Name = "Save What We Have Heard" }).ClickAsync();
        await Assertions.Expect(heard.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Assertions.Expect(heard.GetByRole(AriaRole.Alert)).ToBeFocusedAsync();
        await Assertions.Expect(heard).ToContainTextAsync("Theirs: releases wait on the change board.");
        await Assertions.Expect(heard.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Someone changed this since you opened it — here is their version.");
        await Assertions.Expect(heard.GetByLabel("Content")).ToHaveValueAsync("Theirs: releases wait on the change board.");
        Assert.Equal("Theirs: releases wait on the change board.", (await s.Manager.GetJsonAsync($"plans/{s.PlanId}"))["sections"]!["whatWeHeard"]!.Str("content"));

        // Having seen theirs, writing over it is the writer's choice and goes through.
        await heard.GetByLabel("Content").FillAsync("Mine: releases are slow and risky.");
        await heard.GetByRole(AriaRole.Button, new() { Name = "Save What We Have Heard" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("What We Have Heard saved.");
        await Assertions.Expect(heard).ToContainTextAsync("Mine: releases are slow and risky.");
    });

    [Fact]
    public Task The_close_plan_is_written_one_element_at_a_time_with_internal_notes_and_converts_to_the_plan() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var deal = await csm.CreateAsync("opportunities", new { accountId = s.AccountId, name = "Acme platform", type = "new", stage = "technicalEvaluation", netArr = 120000 });
        await page.GotoAsync($"{_browser.BaseUrl}/opportunities/{deal.Id()}/close-plan");

        var heard = page.Locator("#element-whatWeHeard");
        await Assertions.Expect(heard).ToContainTextAsync("Not written yet.");
        await heard.GetByText("Edit", new() { Exact = true }).ClickAsync();
        await heard.GetByLabel("Content").FillAsync("Releases are **slow**.");
        await heard.GetByLabel("Internal notes — never shown to the customer").FillAsync("Champion lacks budget.");
        await heard.GetByRole(AriaRole.Button, new() { Name = "Save What We Have Heard" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("What We Have Heard saved.");
        await Assertions.Expect(heard.Locator("strong", new() { HasText = "slow" })).ToBeVisibleAsync();
        await Assertions.Expect(heard.Locator("div.internal-note")).ToContainTextAsync("Champion lacks budget.");

        // A second element keeps the first as it was.
        var evaluation = page.Locator("#element-technicalEvaluation");
        await evaluation.GetByText("Edit", new() { Exact = true }).ClickAsync();
        await evaluation.GetByLabel("Content").FillAsync("Two-week proof of concept on the booking service.");
        await evaluation.GetByRole(AriaRole.Button, new() { Name = "Save Technical Evaluation Plan & Activities" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Technical Evaluation Plan & Activities saved.");
        var stored = await csm.GetJsonAsync($"opportunities/{deal.Id()}/close-plan");
        Assert.Equal("Releases are **slow**.", stored["elements"]!["whatWeHeard"]!.Str("content"));
        Assert.Equal("Champion lacks budget.", stored["elements"]!["whatWeHeard"]!.Str("internalNotes"));
        Assert.Equal("Two-week proof of concept on the booking service.", stored["elements"]!["technicalEvaluation"]!.Str("content"));

        // Too long a text: the message is beside the field, nothing is written.
        await heard.GetByText("Edit", new() { Exact = true }).ClickAsync();
        await heard.GetByLabel("Content").FillAsync(new string('x', 20_001));
        await heard.GetByRole(AriaRole.Button, new() { Name = "Save What We Have Heard" }).ClickAsync();
        await Assertions.Expect(heard.Locator(".field-error")).ToBeVisibleAsync();
        Assert.Equal("Releases are **slow**.", (await csm.GetJsonAsync($"opportunities/{deal.Id()}/close-plan"))["elements"]!["whatWeHeard"]!.Str("content"));

        // Convert: the plan starts from the close plan, without its internal notes.
        await page.GetByRole(AriaRole.Button, new() { Name = "Convert to customer success plan" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/plans/[0-9a-f]{32}$"));
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Plan made from the close plan.");
        await Assertions.Expect(page.Locator("#element-whatWeHeard")).ToContainTextAsync("Releases are slow.");
        await Assertions.Expect(page.GetByText("Champion lacks budget.")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Every_download_link_on_the_plan_page_gives_its_file() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var plan = $"{_browser.BaseUrl}/plans/{s.PlanId}";
        await page.GotoAsync(plan);
        var count = await page.GetByRole(AriaRole.Navigation, new() { Name = "Downloads" }).GetByRole(AriaRole.Link).CountAsync();
        Assert.Equal(5 * 3 + 2, count);
        for (var i = 0; i < count; i++)
        {
            // Each link from a fresh tab on the plan page, as a person clicks one download after another.
            var tab = await page.Context.NewPageAsync();
            await tab.GotoAsync(plan);
            var link = tab.GetByRole(AriaRole.Navigation, new() { Name = "Downloads" }).GetByRole(AriaRole.Link).Nth(i);
            var href = (await link.GetAttributeAsync("href"))!;
            Assert.DoesNotContain("&amp;", href, StringComparison.Ordinal);

            // What the link answers, with the page's own cookie: a failure here names the status, not a timeout.
            var answer = await tab.Context.APIRequest.GetAsync($"{_browser.BaseUrl}{href}");
            Assert.True(answer.Status == 200, $"{href}: {answer.Status} {await answer.TextAsync()}");

            var download = await tab.RunAndWaitForDownloadAsync(() => link.ClickAsync(), new() { Timeout = 90_000 });
            Assert.True(await download.FailureAsync() is null, $"{href}: {await download.FailureAsync()}");
            var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
            var format = System.Text.RegularExpressions.Regex.Match(href, "format=([a-z]+)").Groups[1].Value;
            Assert.EndsWith($".{format}", download.SuggestedFilename);
            var head = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 16)).TrimStart('\uFEFF');
            Assert.True(format switch
            {
                "pptx" or "xlsx" => head.StartsWith("PK", StringComparison.Ordinal),
                "pdf" => head.StartsWith("%PDF", StringComparison.Ordinal),
                "md" => head.StartsWith("# ", StringComparison.Ordinal),
                _ => head.StartsWith("Objective,", StringComparison.Ordinal),
            }, $"{href} gave a file that starts “{head}”.");
            await tab.CloseAsync();
        }
    });
}
