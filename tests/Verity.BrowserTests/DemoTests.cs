using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>
/// The demo as a new user meets it: the built <c>verity</c> fills a fresh database and serves it, the demo's customer
/// success manager signs in, opens the plan and an objective at 1280 px, and downloads the executive business review
/// from the plan page, which LibreOffice opens and draws. With <c>VERITY_SCREENSHOTS</c> set to a folder, the pages and
/// three slides are kept there as the README's pictures (<c>docs/screenshots/</c>).
/// </summary>
[Collection(SqliteBrowserCollection.Name)]
public sealed partial class DemoTests
{
    private readonly BrowserFixture _browser;

    public DemoTests(SqliteBrowser browser)
    {
        _browser = browser;
        if (browser.Unavailable is { } reason)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), reason);
            Assert.Skip(reason);
        }
    }

    [Fact]
    public async Task The_demo_plan_objective_and_business_review_deck_look_right_at_1280_px()
    {
        var work = Directory.CreateTempSubdirectory("verity-demo-").FullName;
        var database = $"sqlite:{Path.Combine(work, "demo.db")}";
        var demo = await VerityProcess.RunAsync(database, "demo");
        Assert.True(demo.Code == 0, demo.ToString());
        var planPath = DemoPlan().Match(demo.Output).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(planPath), demo.ToString());

        await using var server = await VerityServer.StartAsync(database);
        await using var context = await _browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var shots = new List<string>();

        await page.GotoAsync($"{server.Address}signin");
        await page.GetByLabel("Email").FillAsync("csm@demo.verity");
        await page.GetByLabel("Password").FillAsync("verity-demo-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your week" })).ToBeVisibleAsync();

        // The plan page: its title, objectives and downloads, nothing wider than the window.
        await page.GotoAsync($"{server.Address}{planPath.TrimStart('/')}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Northwind Logistics — Mutual Success Plan" })).ToBeVisibleAsync();
        await FitsAsync(page);
        shots.Add(await ShotAsync(page, work, "plan-page.png"));

        // The executive business review, downloaded as a user would, opens in LibreOffice as slides.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Navigation, new() { Name = "Downloads" }).Locator("a[href*='artifact=businessReview'][href*='format=pptx']").ClickAsync(),
            new() { Timeout = 90_000 });
        Assert.Null(await download.FailureAsync());
        var deck = Path.Combine(work, "ebr.pptx");
        await download.SaveAsAsync(deck);
        Assert.EndsWith(".pptx", download.SuggestedFilename);
        var slides = await SlidesAsync(deck, work);
        Assert.True(slides.Count >= 8, $"The business review has {slides.Count} slides.");
        shots.Add(Keep(slides[0], work, "ebr-1-cover.png"));
        shots.Add(Keep(slides[1], work, "ebr-2-summary.png"));
        shots.Add(Keep(slides[ObjectiveSlide(deck)], work, "ebr-3-objective.png"));

        // An objective page from the plan, by its link.
        await page.GotoAsync($"{server.Address}{planPath.TrimStart('/')}");
        await page.Locator("a[href^='/objectives/']").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/objectives/[0-9a-f]{32}$"));
        await FitsAsync(page);
        shots.Add(await ShotAsync(page, work, "objective-page.png"));

        foreach (var shot in shots)
        {
            Assert.True(new FileInfo(shot).Length > 10_000, $"{shot} is nearly empty.");
        }

        if (Environment.GetEnvironmentVariable("VERITY_SCREENSHOTS") is { Length: > 0 } keep)
        {
            Assert.True(Path.IsPathRooted(keep), "VERITY_SCREENSHOTS names a folder by its full path (the tests run in their output folder).");
            Directory.CreateDirectory(keep);
            foreach (var shot in shots)
            {
                File.Copy(shot, Path.Combine(keep, Path.GetFileName(shot)), overwrite: true);
            }
        }
    }

    /// <summary>No sideways scrolling at this width.</summary>
    private static async Task FitsAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, $"{page.Url} scrolls sideways.");

    private static async Task<string> ShotAsync(IPage page, string folder, string name)
    {
        var file = Path.Combine(folder, name);
        await page.ScreenshotAsync(new() { Path = file, FullPage = false });
        return file;
    }

    private static string Keep(string slide, string folder, string name)
    {
        var file = Path.Combine(folder, name);
        File.Copy(slide, file, overwrite: true);
        return file;
    }

    /// <summary>The index of the first slide with a chart: an objective beside its progress.</summary>
    private static int ObjectiveSlide(string deck)
    {
        using var document = DocumentFormat.OpenXml.Packaging.PresentationDocument.Open(deck, false);
        var presentation = document.PresentationPart!;
        var order = presentation.Presentation.SlideIdList!.Elements<DocumentFormat.OpenXml.Presentation.SlideId>()
            .Select(id => (DocumentFormat.OpenXml.Packaging.SlidePart)presentation.GetPartById(id.RelationshipId!)).ToList();
        var index = order.FindIndex(p => p.ImageParts.Any() && p.Slide.Descendants<DocumentFormat.OpenXml.Presentation.NonVisualDrawingProperties>().Any(n => n.Name == "Chart"));
        Assert.True(index > 0, "No slide shows an objective's chart.");
        return index;
    }

    /// <summary>LibreOffice turns the deck into a PDF and poppler draws each page 1280 px wide, as the slides look.</summary>
    private static async Task<List<string>> SlidesAsync(string deck, string folder)
    {
        await RunAsync("soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, deck);
        var pdf = Path.ChangeExtension(deck, ".pdf");
        Assert.True(File.Exists(pdf), "LibreOffice did not open the deck.");
        await RunAsync("pdftoppm", "-png", "-scale-to-x", "1280", "-scale-to-y", "-1", pdf, Path.Combine(folder, "slide"));
        return [.. Directory.GetFiles(folder, "slide-*.png").Order(StringComparer.Ordinal)];
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file}: exit {process.ExitCode}; {await output} {await error}");
    }

    [GeneratedRegex(@"Demo plan: \S*?(/plans/[0-9a-f]{32})")]
    private static partial Regex DemoPlan();
}
