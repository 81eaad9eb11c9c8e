using Microsoft.Playwright;

namespace Verity.BrowserTests;

/// <summary>The API reference at <c>/docs</c> documents Verity's API and nothing of the hosted product it is built with.</summary>
public abstract partial class PageTests
{
    [Fact]
    public Task The_docs_page_describes_the_api_without_the_hosted_products_buttons() => WithPageAsync(async page =>
    {
        await page.GotoAsync($"{_browser.BaseUrl}/docs/");

        // The reference has rendered the document: an operation's summary and its description.
        await Assertions.Expect(page.GetByText("Open an account", new() { Exact = true }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("a customer sees only their own account").First).ToBeVisibleAsync();

        // Served from 127.0.0.1, Scalar would show its developer toolbar ("Deploy", "Generate SDK") and its AI chat.
        foreach (var name in new[] { "Deploy", "Ask AI", "Generate SDK", "Generate MCP", "Configure", "Share" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = name })).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = name })).ToHaveCountAsync(0);
        }

        await Assertions.Expect(page.GetByText("Ask AI", new() { Exact = false })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Generate SDK", new() { Exact = false })).ToHaveCountAsync(0);
    });
}
