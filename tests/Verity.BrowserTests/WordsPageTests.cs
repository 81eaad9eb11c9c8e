using System.Text.RegularExpressions;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>No page shows a code word: every enum value people read is in words, whatever the API writes.</summary>
public abstract partial class PageTests
{
    /// <summary>Every enum value the API writes in camelCase with more than one word ("workInProgress"): a single word could be either.</summary>
    private static readonly Regex CodeWords = new(
        @"\b(" + string.Join("|", new[] { typeof(UserRole).Assembly, typeof(Verity.Http.Json).Assembly }
            .SelectMany(a => a.GetTypes()).Where(t => t.IsEnum && t.IsPublic && t.Namespace?.StartsWith("Verity", StringComparison.Ordinal) == true)
            .SelectMany(Enum.GetNames).Select(Verity.Http.Json.Camel).Where(n => n.Any(char.IsUpper)).Distinct().Select(Regex.Escape)) + @")\b");

    [Fact]
    public Task No_page_shows_an_enum_code_as_text() => WithPageAsync(async page =>
    {
        await SignInAsync(page, UserRole.Admin);
        var s = await Scenario.CreateAsync(App);
        var meeting = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new
        {
            kind = "businessReview", scheduledFor = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), attendeeStakeholderIds = new[] { s.StakeholderId },
        });

        string[] pages =
        [
            "/", "/accounts", $"/accounts/{s.AccountId}", $"/plans/{s.PlanId}", $"/objectives/{s.ObjectiveId}", $"/opportunities/{s.OpportunityId}/close-plan",
            $"/meetings/{meeting.Id()}", "/compliance", "/triage", "/portfolio", "/search?q=Acme", "/templates", "/templates/impactJourney",
            "/admin/users", "/admin/imports", "/admin/webhooks", "/me/notifications", "/me/tokens", "/me/work",
        ];
        var found = new List<string>();
        foreach (var path in pages)
        {
            var response = await page.GotoAsync($"{_browser.BaseUrl}{path}");
            Assert.True(response!.Ok, $"{path}: {response.Status}");
            // A key shown as code (a template's section keys, for the admin who writes them) is meant to be one.
            var text = await page.Locator("main").EvaluateAsync<string>(
                "main => { const copy = main.cloneNode(true); copy.querySelectorAll('code').forEach(c => c.remove()); document.body.append(copy); const text = copy.innerText; copy.remove(); return text; }");
            found.AddRange(CodeWords.Matches(text).Select(m => $"{path}: {m.Value}"));
        }

        Assert.True(found.Count == 0, string.Join("\n", found.Distinct()));

        // The closing moves say what they do, and take the reason first.
        await page.GotoAsync($"{_browser.BaseUrl}/objectives/{s.ObjectiveId}");
        await page.GetByText("Close — invalid…").ClickAsync();
        var close = page.GetByRole(Microsoft.Playwright.AriaRole.Form, new() { Name = "Close — invalid" });
        await close.GetByLabel("Why it closes without a result").FillAsync("The customer merged this goal into another one.");
        await close.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Close — invalid" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Closed — invalid");
    });
}
