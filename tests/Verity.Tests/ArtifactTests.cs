using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Every artifact in every format: valid files, the right content, and no internal note outside the close plan.</summary>
public abstract class ArtifactTests(VerityApp app) : ApiTests(app)
{
    private static readonly string[] _customerFacing = ["mutualPlan", "proposal", "kickoff", "businessReview"];
    private static readonly string[] _formats = ["pptx", "pdf", "md", "csv", "xlsx"];

    [Fact]
    public async Task Every_artifact_downloads_in_every_format_with_its_content_type_and_name()
    {
        var s = await ArrangeAsync("unused");
        foreach (var artifact in _customerFacing.Append("closePlan"))
        {
            foreach (var format in _formats)
            {
                var response = await s.Csm.GetAsync($"plans/{s.PlanId}/export?format={format}&artifact={artifact}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{artifact}.{format}: {(int)response.StatusCode}");
                var contentType = response.Content.Headers.ContentType!.MediaType;
                Assert.Equal(format switch
                {
                    "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    "pdf" => "application/pdf",
                    "md" => "text/markdown",
                    "csv" => "text/csv",
                    _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }, contentType);
                Assert.EndsWith($"-{artifact}-{DateTime.UtcNow:yyyy-MM-dd}.{format}", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
            }
        }
    }

    [Fact]
    public async Task The_deck_is_valid_open_xml_with_titles_objective_rows_and_charts()
    {
        var s = await ArrangeAsync("unused");
        var bytes = await (await s.Csm.GetAsync($"plans/{s.PlanId}/export?format=pptx&artifact=mutualPlan")).Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var deck = PresentationDocument.Open(new MemoryStream(bytes), false);
        var errors = new OpenXmlValidator().Validate(deck).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var slides = deck.PresentationPart!.SlideParts.ToList();
        var text = slides.Select(p => System.Text.RegularExpressions.Regex.Replace(
            string.Join(" ", p.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text)), @"\s+", " ")).ToList();
        Assert.Contains(text, t => t.Contains("Agenda"));
        Assert.Contains(text, t => t.StartsWith("Increase deployment frequency from 2 to 10 per week", StringComparison.Ordinal)
            && t.Contains("Success looks like: 10 deployments per week for a month", StringComparison.Ordinal));
        // Nothing changed or closed yet: no slide says so.
        Assert.DoesNotContain(text, t => t.Contains("Changed since") || t.Contains("Changed in the last 90 days") || t.Contains("Recently closed"));
        Assert.Contains(text, t => t.Contains("2. What We Have Heard"));
        Assert.Contains(slides, p => p.ImageParts.Any());
    }

    [Fact]
    public async Task The_spreadsheets_list_objectives_with_their_metrics()
    {
        var s = await ArrangeAsync("unused");
        var xlsx = await (await s.Csm.GetAsync($"plans/{s.PlanId}/export?format=xlsx&artifact=mutualPlan")).Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        Assert.Empty(new OpenXmlValidator().Validate(workbook));
        var cells = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>()
            .Select(c => c.InnerText).ToList();
        Assert.Contains("Increase deployment frequency from 2 to 10 per week", cells);
        Assert.Contains("Deployment frequency", cells);
        Assert.Contains("0.5", cells);
        Assert.Contains("New", cells);
        Assert.DoesNotContain("workInProgress", cells);

        // Ready to hand over: a bold frozen header with filters, and progress as a percentage.
        var sheet = workbook.WorkbookPart.WorksheetParts.Single().Worksheet;
        var styles = workbook.WorkbookPart.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.CellFormat>().ToList();
        var header = sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().First().Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().First();
        Assert.Equal(1u, styles[(int)header.StyleIndex!.Value].FontId!.Value);
        Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.PaneStateValues.Frozen, sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Pane>().Single().State!.Value);
        Assert.StartsWith("A1:Q", sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.AutoFilter>().Single().Reference!.Value);
        var progress = sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().First(c => c.InnerText == "0.5");
        Assert.Equal(9u, styles[(int)progress.StyleIndex!.Value].NumberFormatId!.Value);

        var csv = await s.Csm.Http.GetStringAsync($"/api/v1/plans/{s.PlanId}/export?format=csv&artifact=mutualPlan", TestContext.Current.CancellationToken);
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Objective,Status,Outcome stage", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Increase deployment frequency from 2 to 10 per week,New,Proposed", StringComparison.Ordinal) && l.Contains(",Deployment frequency,"));
    }

    [Fact]
    public async Task The_markdown_says_where_each_objective_stands_in_words_or_as_gitlab_labels_on_request()
    {
        var s = await ArrangeAsync("unused");
        var plain = await s.Csm.Http.GetStringAsync($"/api/v1/plans/{s.PlanId}/export?format=md&artifact=mutualPlan", TestContext.Current.CancellationToken);
        Assert.Contains("**Outcome:** Proposed · **Status:** New", plain);
        Assert.DoesNotContain("::", plain);
        Assert.Contains("Outcome: Proposed · Status: New", Parties.PdfText(await s.Csm.Http.GetByteArrayAsync($"/api/v1/plans/{s.PlanId}/export?format=pdf&artifact=mutualPlan", TestContext.Current.CancellationToken)));

        var bad = await s.Csm.GetAsync($"plans/{s.PlanId}/export?format=md&artifact=mutualPlan&labels=jira");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("labels", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var md = await s.Csm.Http.GetStringAsync($"/api/v1/plans/{s.PlanId}/export?format=md&artifact=mutualPlan&labels=gitlab", TestContext.Current.CancellationToken);
        Assert.StartsWith("# Acme", md);
        Assert.Contains("~\"Verifiable Outcome::Proposed\"", md);
        Assert.Contains("~\"Objective Status::New\"", md);
        Assert.Contains("| Deployment frequency (per week) | 2 | 10 by 2027-06-30 | 6 | 50% |", md);
    }

    [Fact]
    public async Task Internal_notes_and_internal_activities_reach_only_the_close_plan()
    {
        var marker = "SECRET" + Ids.New()[^10..].ToUpperInvariant();
        var s = await ArrangeAsync(marker);
        foreach (var artifact in _customerFacing)
        {
            foreach (var format in _formats)
            {
                var text = await TextOfAsync(s, artifact, format);
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"The {artifact} {format} leaks an internal note.");
            }
        }

        // The same check sees the marker where it belongs, so it can fail.
        foreach (var format in new[] { "pptx", "md", "pdf" })
        {
            Assert.Contains(marker, await TextOfAsync(s, "closePlan", format));
        }
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    public async Task Csv_cells_never_start_a_formula(string text)
    {
        var s = await ArrangeAsync("unused");
        var objective = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = text, successCriteria = text });
        await s.Csm.CreateAsync($"objectives/{objective.Id()}/metrics", new { name = text, baseline = new { value = -5 }, target = new { value = -1 } });
        var csv = await s.Csm.Http.GetStringAsync($"/api/v1/plans/{s.PlanId}/export?format=csv&artifact=mutualPlan", TestContext.Current.CancellationToken);

        // Formula characters open a cell only behind the quote that makes it text.
        var cells = System.Text.RegularExpressions.Regex.Matches(csv.TrimStart('\uFEFF'), "(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,\r\n]*)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value.Trim('"')).ToList();
        Assert.DoesNotContain(cells, c => c.Length > 0 && "=+@".Contains(c[0]) || c.StartsWith("-2", StringComparison.Ordinal));
        Assert.Contains("-5", cells);
        Assert.Equal(3, cells.Count(c => c.StartsWith('\'') && c[1..].Replace("\"\"", "\"", StringComparison.Ordinal) == text));
    }

    [Fact]
    public async Task Markdown_shows_html_in_user_text_as_text()
    {
        var s = await ArrangeAsync("unused");
        await s.Csm.PatchAsync($"plans/{s.PlanId}", new { title = "<script>alert(1)</script>", sections = new Dictionary<string, object> { ["whatWeHeard"] = new { content = "Slow <b onmouseover=alert(1)>releases</b>" } } });
        await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "<img src=x onerror=alert(1)>", successCriteria = "<iframe src=//x>" });
        var md = await s.Csm.Http.GetStringAsync($"/api/v1/plans/{s.PlanId}/export?format=md&artifact=mutualPlan", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<img", md, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", md, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", md, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", md, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;img src=x onerror=alert(1)>", md);
        Assert.Contains("&lt;script>alert(1)&lt;/script>", md);
    }

    [Fact]
    public async Task The_business_review_carries_the_accounts_adoption_and_no_empty_slide_without_it()
    {
        var s = await Scenario.CreateAsync(App);
        var bare = await SlidesAsync(s.Csm, s, "businessReview");
        Assert.DoesNotContain(bare, t => t.StartsWith("Adoption by feature", StringComparison.Ordinal) || t.StartsWith("Use cases and support", StringComparison.Ordinal));
        Assert.DoesNotContain(bare, t => t.Contains("Adoption, use cases and support", StringComparison.Ordinal));

        (await s.Csm.PutAsync($"accounts/{s.AccountId}/adoption", new object[]
        {
            new { feature = "Pipelines", at = "2026-10-01", licensedUsers = 400, activeUsers = 250 },
            new { feature = "Pipelines", at = "2026-11-01", licensedUsers = 400, activeUsers = 310 },
            new { feature = "Deployment analytics", at = "2026-11-01", licensedUsers = 60, activeUsers = 44 },
        })).EnsureSuccessStatusCode();
        (await s.Csm.PutAsync($"accounts/{s.AccountId}/use-cases", new object[]
        {
            new { name = "Release automation", stage = "production" }, new { name = "Change approvals", stage = "piloting" },
        })).EnsureSuccessStatusCode();
        (await s.Csm.PutAsync($"accounts/{s.AccountId}/support", new object[]
        {
            new { at = "2026-10-01", open = 6, closed = 31, critical = 2, enhancementRequests = 3 },
            new { at = "2026-11-10", open = 3, closed = 38, critical = 1, enhancementRequests = 5 },
        })).EnsureSuccessStatusCode();

        var slides = await SlidesAsync(s.Csm, s, "businessReview");
        Assert.Contains(slides, t => t.StartsWith("Agenda", StringComparison.Ordinal) && t.Contains("Adoption, use cases and support", StringComparison.Ordinal));
        var table = Assert.Single(slides, t => t.StartsWith("Adoption by feature", StringComparison.Ordinal));
        // Each feature's latest figures, and the utilisation over them.
        Assert.Contains("Pipelines 2026-11-01 400 310 77.5%", table);
        Assert.Contains("Deployment analytics 2026-11-01 60 44 73.3%", table);
        Assert.Contains("All features  460 354 77%", table);
        Assert.DoesNotContain("2026-10-01", table);
        var usage = Assert.Single(slides, t => t.StartsWith("Use cases and support", StringComparison.Ordinal));
        Assert.Contains("Use cases: 1 in production, 1 piloting.", usage);
        Assert.Contains("• Release automation — in production", usage);
        Assert.Contains("• Change approvals — piloting", usage);
        Assert.Contains("Support. As of 2026-11-10: 3 open support tickets (1 critical), 38 closed, 5 enhancement requests.", usage);

        // The same facts in the review's Markdown and PDF; other artifacts leave them out.
        var md = await TextOfAsync(s, "businessReview", "md");
        Assert.Contains("| Pipelines | 2026-11-01 | 400 | 310 | 77.5% |", md);
        Assert.Contains("**Support:** As of 2026-11-10: 3 open support tickets (1 critical)", md);
        Assert.Contains("Pipelines: 310 of 400 licensed users active (77.5%)", await TextOfAsync(s, "businessReview", "pdf"));
        Assert.DoesNotContain(await SlidesAsync(s.Csm, s, "mutualPlan"), t => t.StartsWith("Adoption by feature", StringComparison.Ordinal));
        Assert.DoesNotContain("Adoption, use cases and support", await TextOfAsync(s, "kickoff", "md"));

        // The figures are the team's: a customer's copy of the review has none of them.
        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        var theirs = await SlidesAsync(customer, s, "businessReview");
        Assert.DoesNotContain(theirs, t => t.Contains("Pipelines", StringComparison.Ordinal) || t.Contains("Release automation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_mutual_plan_and_kickoff_walk_through_the_journey_and_other_artifacts_do_not()
    {
        var s = await Scenario.CreateAsync(App);
        // A plan starts with its template's skeleton; the team adds its own steps.
        Assert.Contains("Kick-off held; baselines agreed", Assert.Single(await SlidesAsync(s.Csm, s, "mutualPlan"), t => t.StartsWith("Adoption journey", StringComparison.Ordinal)));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await s.Csm.CreateAsync($"plans/{s.PlanId}/milestones", new { title = "Pilot team live", horizon = "days30", dueDate = today.AddDays(-1).ToString("yyyy-MM-dd"), ownerStakeholderId = s.StakeholderId });
        await s.Csm.CreateAsync($"plans/{s.PlanId}/milestones", new { title = "All teams onboarded", horizon = "months6", status = "inProgress" });

        foreach (var artifact in new[] { "mutualPlan", "kickoff" })
        {
            var slides = await SlidesAsync(s.Csm, s, artifact);
            Assert.Contains(slides, t => t.StartsWith("Agenda", StringComparison.Ordinal) && t.Contains("The adoption journey", StringComparison.Ordinal));
            var journey = Assert.Single(slides, t => t.StartsWith("Adoption journey", StringComparison.Ordinal));
            Assert.Contains($"30 days Pilot team live Priya Raman {today.AddDays(-1):yyyy-MM-dd} Overdue", journey);
            Assert.Contains("6 months All teams onboarded — — In progress", journey);
        }

        Assert.Contains("| 30 days | Pilot team live | Priya Raman |", await TextOfAsync(s, "mutualPlan", "md"));
        Assert.DoesNotContain(await SlidesAsync(s.Csm, s, "businessReview"), t => t.StartsWith("Adoption journey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_business_review_opens_with_an_executive_summary_of_outcomes_progress_risks_and_asks()
    {
        var s = await Scenario.CreateAsync(App);
        await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/initiatives", new { title = "Change approvals in ServiceNow", kind = "integration", status = "blocked", ownerStakeholderId = s.StakeholderId });

        var slides = await SlidesAsync(s.Csm, s, "businessReview");
        Assert.StartsWith("Executive summary", slides[1], StringComparison.Ordinal);
        var summary = slides[1];
        Assert.Contains("0 of 1 objective verified by the customer.", summary);
        Assert.Contains("Increase deployment frequency from 2 to 10 per week: 50% of the way (6 per week, target 10 per week).", summary);
        Assert.Contains("Nothing is at risk.", summary);
        Assert.Contains("Unblock Change approvals in ServiceNow (Priya Raman).", summary);

        // Delivered: now the customer is asked to confirm it; the same summary in the PDF and the Markdown.
        foreach (var stage in new[] { "workInProgress", "accepted", "delivered" })
        {
            (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/transitions", new { to = stage })).EnsureSuccessStatusCode();
        }

        var md = await TextOfAsync(s, "businessReview", "md");
        Assert.Contains("**0 of 1 objective verified by the customer; 1 delivered and waiting for their confirmation.**", md);
        Assert.Contains("- Confirm in writing that “Increase deployment frequency from 2 to 10 per week” was reached (Priya Raman).", md);
        Assert.Contains("Executive summary", await TextOfAsync(s, "businessReview", "pdf"));
        Assert.DoesNotContain(await SlidesAsync(s.Csm, s, "proposal"), t => t.StartsWith("Executive summary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_business_review_deck_is_built_for_executives_one_objective_a_slide_risks_asks_and_next_steps()
    {
        var s = await Scenario.CreateAsync(App);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        // A second objective in the customer's words, without a metric, and a third closed without action.
        var words = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new
        {
            title = "Stop waiting on change approvals",
            kind = "qualitative",
            description = "Our teams lose two days a week waiting for the change board.",
            successCriteria = "No release waits more than a day for approval",
        });
        var dropped = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Move the wiki", kind = "qualitative" });
        (await s.Csm.PostAsync($"objectives/{dropped.Id()}/transitions", new { to = "closedNoAction", note = "Replaced by the platform objective" })).EnsureSuccessStatusCode();

        // A win, confirmed in the customer's words.
        var won = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new
        {
            title = "Release without the change desk", kind = "qualitative", successCriteria = "Every pilot team releases on its own", businessImpact = "Releases a week sooner", targetDate = Day(30),
            stakeholderIds = new[] { s.StakeholderId },
        });
        foreach (var stage in new[] { "workInProgress", "accepted", "delivered" })
        {
            (await s.Csm.PostAsync($"objectives/{won.Id()}/transitions", new { to = stage })).EnsureSuccessStatusCode();
        }

        await s.Csm.CreateAsync($"objectives/{won.Id()}/confirmations", new { stakeholderId = s.StakeholderId, confirmedAt = Day(-1), statement = "Our pilot teams release on their own now." });
        (await s.Csm.PostAsync($"objectives/{won.Id()}/transitions", new { to = "verified", note = "Confirmed in writing" })).EnsureSuccessStatusCode();
        (await s.Csm.PostAsync($"objectives/{won.Id()}/transitions", new { to = "closedSuccess" })).EnsureSuccessStatusCode();

        // Six blocked pieces of work: the summary lists five asks, the sixth goes to its own slide.
        for (var i = 1; i <= 6; i++)
        {
            await s.Csm.CreateAsync($"objectives/{words.Id()}/initiatives", new { title = $"Approval rule {i}", kind = "integration", status = "blocked", ownerStakeholderId = s.StakeholderId });
        }

        (await s.Csm.PatchAsync($"initiatives/{s.InitiativeId}", new { dueDate = Day(10) })).EnsureSuccessStatusCode();
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new
        {
            kind = "cadenceCall", scheduledFor = $"{Day(5)}T15:00:00Z", attendeeUserIds = new[] { s.Csm.UserId }, attendeeStakeholderIds = new[] { s.StakeholderId },
        });
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "execCheckIn", title = "Internal pricing prep", scheduledFor = $"{Day(6)}T15:00:00Z", attendeeUserIds = new[] { s.Csm.UserId } });

        var bytes = await s.Csm.Http.GetByteArrayAsync($"/api/v1/plans/{s.PlanId}/export?format=pptx&artifact=businessReview", TestContext.Current.CancellationToken);
        using var deck = PresentationDocument.Open(new MemoryStream(bytes), false);
        Assert.Empty(new OpenXmlValidator().Validate(deck));
        var parts = deck.PresentationPart!.SlideParts.ToList();
        var order = deck.PresentationPart.Presentation.SlideIdList!.Elements<DocumentFormat.OpenXml.Presentation.SlideId>()
            .Select(id => (SlidePart)deck.PresentationPart.GetPartById(id.RelationshipId!)).ToList();
        string Text(SlidePart p) => System.Text.RegularExpressions.Regex.Replace(
            string.Join(" ", p.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text)), @"\s+", " ");
        var slides = order.Select(Text).ToList();

        // The cover: both teams by role, in words, and a place for the customer's logo beside the vendor's.
        Assert.Contains($"Customer success manager: {s.Csm.Role} ", slides[0]);
        Assert.Contains("Executive sponsor: Priya Raman (VP Engineering)", slides[0]);
        Assert.Contains(order[0].Slide.Descendants<DocumentFormat.OpenXml.Presentation.NonVisualDrawingProperties>(), p => p.Name == "Customer logo");

        // The summary lists five asks; the sixth is on the slide after, not repeated.
        Assert.StartsWith("Executive summary", slides[1], StringComparison.Ordinal);
        Assert.Contains("Unblock Approval rule 5 (Priya Raman).", slides[1]);
        Assert.DoesNotContain("Approval rule 6", slides[1]);
        var more = Assert.Single(slides, t => t.StartsWith("More risks and asks", StringComparison.Ordinal));
        Assert.Contains("Ask Unblock Approval rule 6 Priya Raman", more);
        Assert.DoesNotContain("Approval rule 5", more);

        // One slide per objective in play: the chart beside the words; the words alone where there is no metric.
        var quantitative = Assert.Single(order, p => Text(p).StartsWith("Increase deployment frequency", StringComparison.Ordinal));
        Assert.Single(quantitative.ImageParts);
        Assert.Contains("Deployment frequency: baseline 2, target 10, latest 6.", Text(quantitative));
        var qualitative = Assert.Single(order, p => Text(p).StartsWith("Stop waiting on change approvals", StringComparison.Ordinal));
        Assert.Empty(qualitative.ImageParts);
        Assert.Contains("“Our teams lose two days a week waiting for the change board.”", Text(qualitative));
        Assert.Contains("Success looks like: No release waits more than a day for approval", Text(qualitative));
        Assert.DoesNotContain(slides, t => t.StartsWith("Move the wiki", StringComparison.Ordinal) || t.StartsWith("Release without the change desk", StringComparison.Ordinal));
        Assert.Contains($"Release without the change desk “Our pilot teams release on their own now.” — Priya Raman, {Day(-1)}",
            Assert.Single(slides, t => t.StartsWith("Outcomes the customer confirmed", StringComparison.Ordinal)));
        Assert.Contains("Verified by the customer: Release without the change desk.", slides[1]);
        Assert.Contains("Move the wiki — Closed — no action", Assert.Single(slides, t => t.StartsWith("Recently closed without the outcome", StringComparison.Ordinal)));
        Assert.Contains("Move the wiki: Status New → Closed — no action", Assert.Single(slides, t => t.StartsWith("Changed in the last 90 days", StringComparison.Ordinal)));

        // Next steps close the deck: the meeting the customer is invited to and the work due, by date; not the internal meeting.
        var next = slides[^1];
        Assert.StartsWith("Next steps", next, StringComparison.Ordinal);
        Assert.Contains($"{Day(5)} Cadence call", next);
        Assert.Contains($"{Day(10)} Pipeline templates", next);
        Assert.DoesNotContain("Internal pricing prep", next);
        Assert.True(next.IndexOf(Day(5), StringComparison.Ordinal) < next.IndexOf(Day(10), StringComparison.Ordinal));
        Assert.Contains("Next steps", Assert.Single(slides, t => t.StartsWith("Agenda", StringComparison.Ordinal)));

        // No slide that says there is nothing to say, and no code word.
        Assert.DoesNotContain(slides, t => t.Contains("No objective has closed", StringComparison.Ordinal) || t.Contains("closedNoAction", StringComparison.Ordinal));
        Assert.DoesNotContain(slides, t => t.StartsWith("Objectives ", StringComparison.Ordinal));

        // The same next steps in the Markdown and the PDF.
        Assert.Contains($"| {Day(10)} | Pipeline templates | — |", await TextOfAsync(s, "businessReview", "md"));
        Assert.Contains($"{Day(5)} · Cadence call", await TextOfAsync(s, "businessReview", "pdf"));

        // Where there is no summary (the kick-off), every risk and ask is on one slide of its own.
        var kickoff = await SlidesAsync(s.Csm, s, "kickoff");
        Assert.Contains("Unblock Approval rule 1", Assert.Single(kickoff, t => t.StartsWith("Risks and asks", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_brand_colours_and_signs_the_deck_and_the_pdf()
    {
        var s = await Scenario.CreateAsync(App);
        var logo = Path.Combine(Path.GetTempPath(), $"verity-logo-{Guid.NewGuid():N}.png");
        using (var bitmap = new SkiaSharp.SKBitmap(120, 60))
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.Orange);
            File.WriteAllBytes(logo, bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 90).ToArray());
        }

        try
        {
            var brand = new Verity.Documents.Brand { Name = "Northwind Software", Color = "#0b6e4f", LogoPath = logo };
            Assert.Null(brand.Problem());
            await using var db = Verity.Data.DatabaseServices.CreateSystemContext(App.Services);
            var deck = await Verity.Documents.Export.RenderAsync(db, Verity.Access.Actor.System, s.PlanId, Verity.Documents.ExportFormat.Pptx, Artifact.BusinessReview,
                TimeProvider.System, TestContext.Current.CancellationToken, brand: brand);
            using var presentation = PresentationDocument.Open(new MemoryStream(deck.Content), false);
            Assert.Empty(new OpenXmlValidator().Validate(presentation));
            var title = presentation.PresentationPart!.SlideParts.First(p => p.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Text>().Any(t => t.Text == "Prepared by Northwind Software"));
            Assert.Contains(title.Slide.Descendants<DocumentFormat.OpenXml.Drawing.RgbColorModelHex>(), c => c.Val == "0B6E4F");
            Assert.Single(title.ImageParts);
            Assert.Contains(presentation.PresentationPart.SlideParts, p => p.Slide.Descendants<DocumentFormat.OpenXml.Drawing.RunProperties>()
                .Any(r => r.GetFirstChild<DocumentFormat.OpenXml.Drawing.SolidFill>()?.RgbColorModelHex?.Val == "0B6E4F" && r.FontSize?.Value == 2800));

            // The charts draw what was measured in the vendor's colour too.
            var charts = presentation.PresentationPart.SlideParts.Where(p => p != title).SelectMany(p => p.ImageParts).ToList();
            Assert.NotEmpty(charts);
            Assert.All(charts, chart =>
            {
                // Decoded from bytes: straight from the package's (deflate) stream, Skia gets only its first rows.
                using var image = new MemoryStream();
                chart.GetStream().CopyTo(image);
                using var bitmap = SkiaSharp.SKBitmap.Decode(image.ToArray());
                var green = MetricChartTests.Pixels(bitmap.Pixels, "0B6E4F");
                Assert.True(green > 50, $"{green} pixels of the vendor's green");
                Assert.Equal(0, MetricChartTests.Pixels(bitmap.Pixels, MetricChartTests.AppBlue));
            });

            var pdf = await Verity.Documents.Export.RenderAsync(db, Verity.Access.Actor.System, s.PlanId, Verity.Documents.ExportFormat.Pdf, Artifact.BusinessReview,
                TimeProvider.System, TestContext.Current.CancellationToken, brand: brand);
            var text = Parties.PdfText(pdf.Content);
            Assert.Contains("Prepared by Northwind Software", text);
            Assert.Contains("Northwind Software · Acme", text);
            Assert.Contains("page 1", text);
        }
        finally
        {
            File.Delete(logo);
        }

        Assert.Equal("Brand:Color must be a hex colour such as #14213D, not 'green'.", new Verity.Documents.Brand { Color = "green" }.Problem());
        Assert.Equal("Brand:LogoPath must be a PNG or JPEG file.", new Verity.Documents.Brand { LogoPath = typeof(ArtifactTests).Assembly.Location }.Problem());
    }

    [Fact]
    public async Task Markdown_sections_keep_their_shape_in_the_deck_and_the_pdf_and_a_templates_own_sections_are_there()
    {
        var s = await Scenario.CreateAsync(App);
        var plan = await s.Csm.CreateAsync("plans", new
        {
            accountId = s.AccountId,
            title = "Docs impact journey",
            template = "impactJourney",
            sections = new Dictionary<string, object>
            {
                ["customerExpectations"] = new
                {
                    content = "## Trying to achieve\n\n- **One place** for the runbooks\n- answers in *minutes*\n  - even at night\n\n"
                        + "See [the kick-off notes](https://example.com/kickoff) and [this](javascript:alert(1)).\n\n<script>alert(1)</script>",
                },
                ["keyMetrics"] = new { content = "| Metric | Baseline | Target |\n|---|---|---|\n| Weekly readers | 40 | 400 |\n| Minutes to an answer | 25 | 5 |" },
            },
        });
        var planId = plan.Id();

        var bytes = await s.Csm.Http.GetByteArrayAsync($"/api/v1/plans/{planId}/export?format=pptx&artifact=mutualPlan", TestContext.Current.CancellationToken);
        using var deck = PresentationDocument.Open(new MemoryStream(bytes), false);
        Assert.Empty(new OpenXmlValidator().Validate(deck));
        var slides = deck.PresentationPart!.SlideParts.ToList();
        string TextOf(SlidePart p) => string.Join(" ", p.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text));

        // The template's own sections, by their titles and without a catalogue number, with the catalogue's after none.
        var expectations = Assert.Single(slides, p => TextOf(p).StartsWith("Customer expectations", StringComparison.Ordinal));
        var runs = expectations.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Run>().ToList();
        var heading = Assert.Single(runs, r => r.Text!.Text == "Trying to achieve");
        Assert.True(heading.RunProperties!.Bold!.Value);
        Assert.True(Assert.Single(runs, r => r.Text!.Text == "One place").RunProperties!.Bold!.Value);
        Assert.True(Assert.Single(runs, r => r.Text!.Text == "minutes").RunProperties!.Italic!.Value);
        var bullets = expectations.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Paragraph>()
            .Where(p => p.ParagraphProperties?.GetFirstChild<DocumentFormat.OpenXml.Drawing.CharacterBullet>() is not null).ToList();
        Assert.Equal(3, bullets.Count);
        Assert.True(bullets[2].ParagraphProperties!.LeftMargin!.Value > bullets[0].ParagraphProperties!.LeftMargin!.Value, "the nested bullet is indented further");

        // A link opens its page; a script link keeps its words and goes nowhere; HTML is text.
        var link = Assert.Single(runs, r => r.Text!.Text == "the kick-off notes").RunProperties!.GetFirstChild<DocumentFormat.OpenXml.Drawing.HyperlinkOnClick>()!;
        Assert.Equal("https://example.com/kickoff", expectations.HyperlinkRelationships.Single(h => h.Id == link.Id).Uri.ToString());
        Assert.Null(Assert.Single(runs, r => r.Text!.Text == " and this.").RunProperties!.GetFirstChild<DocumentFormat.OpenXml.Drawing.HyperlinkOnClick>());
        Assert.Single(expectations.HyperlinkRelationships);
        Assert.Contains("<script>alert(1)</script>", TextOf(expectations));

        // A table is a table.
        var metrics = Assert.Single(slides, p => TextOf(p).StartsWith("Key metrics", StringComparison.Ordinal));
        var table = Assert.Single(metrics.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Table>());
        Assert.Equal(["Minutes to an answer", "25", "5"], table.Elements<DocumentFormat.OpenXml.Drawing.TableRow>().Last().Elements<DocumentFormat.OpenXml.Drawing.TableCell>().Select(c => c.InnerText));

        // The champion's deck picks from the catalogue only.
        var proposal = await SlidesAsync(s.Csm, s with { PlanId = planId }, "proposal");
        Assert.DoesNotContain(proposal, t => t.StartsWith("Customer expectations", StringComparison.Ordinal));

        // The PDF: the same words, bullets as bullets, the table's cells, and the link a reader can click.
        var pdf = await s.Csm.Http.GetByteArrayAsync($"/api/v1/plans/{planId}/export?format=pdf&artifact=mutualPlan", TestContext.Current.CancellationToken);
        var text = Parties.PdfText(pdf);
        Assert.Contains("Customer expectations", text);
        Assert.Contains("• One place for the runbooks", text);
        Assert.Contains("Minutes to an answer", text);
        Assert.DoesNotContain("**", text);
        Assert.DoesNotContain("|---", text);
        var urls = Parties.PdfUrls(pdf);
        Assert.Equal(["https://example.com/kickoff"], urls);
    }

    [Fact]
    public async Task Bad_exports_are_refused()
    {
        var s = await ArrangeAsync("unused");
        var bad = await s.Csm.GetAsync($"plans/{s.PlanId}/export?format=docx&artifact=slides");
        var problem = await bad.ExpectFieldErrorAsync("format");
        Assert.Contains("pptx, pdf, md, csv, xlsx", problem["errors"]!["format"]![0]!.GetValue<string>());
        Assert.Contains("closePlan, proposal, mutualPlan, kickoff, businessReview", problem["errors"]!["artifact"]![0]!.GetValue<string>());
        await (await s.Csm.GetAsync("plans/nope/export?format=pdf&artifact=mutualPlan")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        await (await outsider.GetAsync($"plans/{s.PlanId}/export?format=pdf&artifact=mutualPlan")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"plans/{s.PlanId}/export?format=md&artifact=mutualPlan")).StatusCode);
        await (await customer.GetAsync($"plans/{s.PlanId}/export?format=md&artifact=closePlan")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>A scenario whose opportunity has a close plan and whose timeline has an internal note, both carrying the marker.</summary>
    private async Task<Scenario> ArrangeAsync(string marker)
    {
        var s = await Scenario.CreateAsync(App);
        await s.Csm.PutAsync($"opportunities/{s.OpportunityId}/close-plan", new
        {
            elements = new Dictionary<string, object>
            {
                ["whatWeHeard"] = new { content = "Releases are slow.", internalNotes = $"{marker} champion lacks budget" },
                ["economicsPricing"] = new { content = "450k over three years.", internalNotes = $"{marker} floor is 7%" },
            },
        });
        await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/activities", new { type = "note", summary = $"{marker} escalate through the VP", visibility = "internal" });
        return s;
    }

    /// <summary>Each slide's text, its title first, as one line.</summary>
    private static async Task<List<string>> SlidesAsync(ApiClient who, Scenario s, string artifact)
    {
        var bytes = await who.Http.GetByteArrayAsync($"/api/v1/plans/{s.PlanId}/export?format=pptx&artifact={artifact}", TestContext.Current.CancellationToken);
        using var deck = PresentationDocument.Open(new MemoryStream(bytes), false);
        Assert.Empty(new OpenXmlValidator().Validate(deck));
        return [.. deck.PresentationPart!.SlideParts.Select(p => string.Join(" ", p.Slide.Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text)))];
    }

    /// <summary>The readable text of a generated file, as a person opening it would read it.</summary>
    [Fact]
    public async Task A_file_exported_again_shows_every_change_made_since()
    {
        // Decks, PDFs and workbooks are kept once rendered, by what they show: a second export of an unchanged plan is
        // the same file, and any change to what it shows is in the next one.
        var s = await Scenario.CreateAsync(App);
        var ct = TestContext.Current.CancellationToken;
        Task<byte[]> FileAsync(string format) => s.Csm.Http.GetByteArrayAsync($"/api/v1/plans/{s.PlanId}/export?format={format}&artifact=businessReview", ct);
        var pdf = await FileAsync("pdf");
        Assert.Equal(pdf, await FileAsync("pdf"));

        (await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = "Ship twelve times a week" })).EnsureSuccessStatusCode();
        foreach (var format in new[] { "pdf", "pptx", "xlsx" })
        {
            Assert.Contains("Ship twelve times a week", await TextOfAsync(s, "businessReview", format));
        }

        var renamed = await FileAsync("pdf");
        (await s.Csm.PostAsync($"metrics/{s.MetricId}/measurements", new { value = 7, at = "2026-03-02" })).EnsureSuccessStatusCode();
        var measured = await FileAsync("pdf");
        Assert.NotEqual(renamed, measured);
        Assert.Equal(measured, await FileAsync("pdf"));
    }

    private static async Task<string> TextOfAsync(Scenario s, string artifact, string format)
    {
        var bytes = await s.Csm.Http.GetByteArrayAsync($"/api/v1/plans/{s.PlanId}/export?format={format}&artifact={artifact}");
        switch (format)
        {
            case "pptx" or "xlsx":
                using (var zip = new ZipArchive(new MemoryStream(bytes)))
                {
                    var text = new StringBuilder();
                    foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
                    {
                        using var reader = new StreamReader(entry.Open());
                        text.Append(await reader.ReadToEndAsync());
                    }

                    return text.ToString();
                }

            case "pdf":
                return Parties.PdfText(bytes);
            default:
                return Encoding.UTF8.GetString(bytes);
        }
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteArtifactTests(SqliteApp app) : ArtifactTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresArtifactTests(PostgresApp app) : ArtifactTests(app);
