using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.BrowserTests;

/// <summary>A CSM's week in a real browser: sign in, open an account, write a plan, measure, confirm, verify.</summary>
public abstract partial class PageTests
{
    private const string Password = "correct horse battery staple";
    private readonly BrowserFixture _browser;

    protected PageTests(BrowserFixture browser)
    {
        _browser = browser;
        if (browser.Unavailable is { } reason)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), reason);
            Assert.Skip(reason);
        }
    }

    private VerityApp App => _browser.App;

    [Fact]
    public Task Signing_in_with_a_wrong_password_says_so_and_the_right_one_opens_the_accounts() => WithPageAsync(async page =>
    {
        var user = await App.SignInAsync(UserRole.Manager, password: Password);
        await page.GotoAsync($"{_browser.BaseUrl}/accounts");
        Assert.Contains("/signin", page.Url);
        await page.GetByLabel("Email").FillAsync(user.Email!);
        await page.GetByLabel("Password").FillAsync("wrong password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");

        await page.GetByLabel("Email").FillAsync(user.Email!);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/accounts$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Exact = true })).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_csm_opens_an_account_starts_a_plan_and_sees_smart_findings_change_while_typing() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var name = $"Browser Co {Ids.New()[^6..]}";

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open account" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToContainTextAsync("required");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Potential users", new() { Exact = true }).FillAsync("1200");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();

        var sa = await App.SignInAsync(UserRole.SolutionsArchitect);
        await page.GetByLabel("Colleague's email").FillAsync("nobody@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
        await Assertions.Expect(page.Locator("#email-error")).ToContainTextAsync("No colleague");
        await page.GetByLabel("Colleague's email").FillAsync(sa.Email!);
        await page.Locator("select[name='TeamForm.Role']").SelectOptionAsync("SolutionsArchitect");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "— Solutions architect" })).ToBeVisibleAsync();

        await page.GetByText("Add a stakeholder").ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Priya Raman");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("VP Engineering");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add stakeholder" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Priya Raman, VP Engineering — Executive sponsor")).ToBeVisibleAsync();

        await page.GetByText("Add an opportunity").ClickAsync();
        await page.GetByLabel("Opportunity", new() { Exact = true }).FillAsync("Land deal");
        await page.Locator("select[name='OpportunityForm.Stage']").SelectOptionAsync("TechnicalEvaluation");
        await page.GetByLabel("Net ARR").FillAsync("400000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add opportunity" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Land deal" })).ToContainTextAsync("Missing");

        await page.GetByLabel("Plan title").FillAsync($"{name} — Mutual Success Plan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start plan" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No objectives yet")).ToBeVisibleAsync();

        await page.GetByLabel("New objective, in the customer's words").FillAsync("Do more things faster");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add objective" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Do more things faster" })).ToBeVisibleAsync();

        var findings = page.Locator("#smart-live");
        await Assertions.Expect(findings.Locator("[data-rule=specific]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form[data-smart-ready=true]")).ToHaveCountAsync(1);
        await page.GetByLabel("Title, in the customer's words").FillAsync("Increase deployment frequency from 2 to 10 per week");
        await Assertions.Expect(findings.Locator("[data-rule=specific]")).ToHaveCountAsync(0);
        await page.GetByLabel("Success criteria: how will both sides know it is done?").FillAsync("10 deployments per week for a month");
        await page.GetByLabel("Business impact, in the customer's words").FillAsync("Time to market improved by 5x");
        await page.GetByLabel("Target date").FillAsync(DateTime.UtcNow.AddMonths(6).ToString("yyyy-MM-dd"));
        await Assertions.Expect(findings).ToContainTextAsync("SMART: specific");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Increase deployment frequency from 2 to 10 per week" })).ToBeVisibleAsync();
        Assert.NotNull(csm.UserId);
    });

    [Fact]
    public Task Metrics_are_charted_and_a_confirmed_outcome_is_verified() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        await page.GotoAsync($"{_browser.BaseUrl}/objectives/{s.ObjectiveId}");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Average deployment time");
        await page.GetByLabel("Unit", new() { Exact = true }).FillAsync("minutes");
        await page.Locator("select[name='MetricForm.Direction']").SelectOptionAsync("Decrease");
        await page.GetByLabel("Baseline").FillAsync("240");
        await page.GetByLabel("Measured on").FillAsync("2026-01-01");
        await page.GetByLabel("Target", new() { Exact = true }).FillAsync("20");
        await page.GetByLabel("By", new() { Exact = true }).FillAsync("2027-06-30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add metric" }).ClickAsync();

        var metric = page.GetByRole(AriaRole.Region, new() { Name = "Average deployment time" });
        await Assertions.Expect(metric).ToBeVisibleAsync();
        await metric.GetByLabel("Value").FillAsync("130");
        await metric.GetByLabel("On").FillAsync("2026-06-01");
        await metric.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
        metric = page.GetByRole(AriaRole.Region, new() { Name = "Average deployment time" });
        await Assertions.Expect(metric).ToContainTextAsync("50% of the way");
        await Assertions.Expect(metric.Locator("figure svg")).ToBeVisibleAsync();
        await Assertions.Expect(metric.Locator("figure svg")).ToContainTextAsync("Target 20");

        var initiative = page.GetByRole(AriaRole.Form, new() { Name = "Update Pipeline templates" });
        await initiative.GetByLabel("Workshop").CheckAsync();
        await initiative.Locator("select").SelectOptionAsync("Done");
        await initiative.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Form, new() { Name = "Update Pipeline templates" }).GetByLabel("Workshop")).ToBeCheckedAsync();
        var saved = await csm.GetJsonAsync($"initiatives/{s.InitiativeId}");
        Assert.Equal("done", saved.Str("status"));
        Assert.True(saved["tasks"]![0]!["done"]!.GetValue<bool>());

        foreach (var stage in new[] { "work in progress", "accepted", "delivered" })
        {
            await page.GetByRole(AriaRole.Button, new() { Name = $"Move to {stage}" }).ClickAsync();
        }

        await Assertions.Expect(page.Locator("#outcome")).ToContainTextAsync("delivered");
        await page.GetByRole(AriaRole.Button, new() { Name = "Move to verified" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("written confirmation");

        await page.GetByLabel("Their words").FillAsync("We deploy in twenty minutes now.");
        await page.GetByLabel("Their written confirmation as evidence").SetInputFilesAsync(new FilePayload
        {
            Name = "confirmation-email.txt",
            MimeType = "text/plain",
            Buffer = System.Text.Encoding.UTF8.GetBytes("From: Priya Raman\nWe deploy in twenty minutes now."),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Record confirmation" }).ClickAsync();
        await Assertions.Expect(page.GetByText("“We deploy in twenty minutes now.”")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "confirmation-email.txt" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Form, new() { Name = "Move to verified" }).GetByLabel("Note").FillAsync("Confirmed in the QBR");
        await page.GetByRole(AriaRole.Button, new() { Name = "Move to verified" }).ClickAsync();
        await Assertions.Expect(page.Locator("#outcome")).ToContainTextAsync("verified");
        await Assertions.Expect(page.GetByText("delivered → verified — Confirmed in the QBR")).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_csm_not_on_the_team_cannot_open_the_accounts_pages() => WithPageAsync(async page =>
    {
        var s = await Scenario.CreateAsync(App);
        await SignInAsync(page, UserRole.CustomerSuccessManager);
        foreach (var path in new[] { $"/accounts/{s.AccountId}", $"/plans/{s.PlanId}", $"/objectives/{s.ObjectiveId}", $"/opportunities/{s.OpportunityId}/close-plan" })
        {
            var response = await page.GotoAsync(_browser.BaseUrl + path);
            Assert.Equal(404, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        }

        await page.GotoAsync($"{_browser.BaseUrl}/accounts");
        await Assertions.Expect(page.GetByText(s.AccountId)).ToHaveCountAsync(0);
    });

    [Fact]
    public Task The_compliance_page_lists_a_deal_without_a_plan_and_a_director_excepts_it() => WithPageAsync(async page =>
    {
        var s = await Scenario.CreateAsync(App);
        var deal = await s.Manager.CreateAsync("opportunities", new { accountId = s.AccountId, name = $"Unplanned {Ids.New()[^6..]}", type = "new", stage = "proposal", netArr = 800_000 });
        await SignInAsync(page, UserRole.Director);
        await page.GotoAsync($"{_browser.BaseUrl}/compliance");
        await Assertions.Expect(page.Locator("#compliance-totals")).ToContainTextAsync("no plan");
        var row = await FindComplianceRowAsync(page, deal.Str("name"));
        await Assertions.Expect(row).ToContainTextAsync("Missing");
        await Assertions.Expect(row).ToContainTextAsync("No success plan");

        await row.GetByRole(AriaRole.Button, new() { Name = "Grant exception" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = deal.Str("name") }).Locator(".field-error")).ToContainTextAsync("required");
        row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = deal.Str("name") });
        await row.GetByLabel("Exception justification").FillAsync("Customer declined a plan after three attempts.");
        await row.GetByRole(AriaRole.Button, new() { Name = "Grant exception" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = deal.Str("name") })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task The_compliance_page_shows_a_hundred_deals_at_a_time_and_pages_on_and_back() => WithPageAsync(async page =>
    {
        // More deals without a plan than one page holds, straight into the database.
        var s = await Scenario.CreateAsync(App);
        await using (var db = App.SystemDb())
        {
            for (var i = 0; i < 101; i++)
            {
                db.Opportunities.Add(new Verity.Domain.Accounts.Opportunity
                {
                    AccountId = s.AccountId, Name = $"Paged deal {i:000}", Type = Verity.Domain.Accounts.OpportunityType.New,
                    Stage = Verity.Domain.Accounts.OpportunityStage.Proposal, NetArr = 900_000,
                });
            }

            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await SignInAsync(page, UserRole.Director);
        await page.GotoAsync($"{_browser.BaseUrl}/compliance");
        var rows = page.Locator("table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(100);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "First page" })).ToHaveCountAsync(0);
        var totals = await page.Locator("#compliance-totals").InnerTextAsync();
        var first = await rows.Locator("td:first-child").AllInnerTextsAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compliance\\?cursor=[0-9a-f]{32}$"));
        var second = await page.Locator("table tbody tr td:first-child").AllInnerTextsAsync();
        Assert.NotEmpty(second);
        Assert.Empty(first.Intersect(second));
        await Assertions.Expect(page.Locator("#compliance-totals")).ToHaveTextAsync(totals);

        await page.GetByRole(AriaRole.Link, new() { Name = "First page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compliance$"));
        Assert.Equal(first, await page.Locator("table tbody tr td:first-child").AllInnerTextsAsync());
    });

    /// <summary>The row of a deal on the compliance page, following "Next page" until it shows (deals come in id order).</summary>
    private static async Task<ILocator> FindComplianceRowAsync(IPage page, string name)
    {
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        for (var pages = 0; await row.CountAsync() == 0 && pages < 50; pages++)
        {
            // Wait for the page the link names, not for a load event that may already have fired.
            var next = page.GetByRole(AriaRole.Link, new() { Name = "Next page" });
            var href = await next.GetAttributeAsync("href") ?? throw new InvalidOperationException($"'{name}' is on no page of the compliance list.");
            await next.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(href) + "$"));
        }

        return row;
    }

    [Fact]
    public Task Pages_fit_a_phone_without_horizontal_scrolling() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var meeting = await csm.CreateAsync($"accounts/{s.AccountId}/meetings", new
        {
            kind = "execCheckIn", title = "Quarterly check-in with the executive sponsor", scheduledFor = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            heldOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), decisions = "Keep going.", attendeeUserIds = new[] { csm.UserId }, attendeeStakeholderIds = new[] { s.StakeholderId },
        });
        await csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "cadenceCall", scheduledFor = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), attendeeUserIds = new[] { csm.UserId } });
        foreach (var width in new[] { 390, 1280 })
        {
            await page.SetViewportSizeAsync(width, 900);
            foreach (var path in new[] { "/accounts", $"/accounts/{s.AccountId}", $"/plans/{s.PlanId}", $"/objectives/{s.ObjectiveId}", "/compliance", $"/meetings/{meeting.Id()}" })
            {
                await page.GotoAsync(_browser.BaseUrl + path);
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                // On failure, name the innermost elements that stick out.
                var culprits = overflow <= 0 ? "" : await page.EvaluateAsync<string>(
                    "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
                    + ".slice(-3).map(e => `${e.tagName.toLowerCase()}.${e.className} “${(e.textContent || '').trim().slice(0, 40)}”`).join('; ')");
                Assert.True(overflow <= 0, $"{path} scrolls sideways by {overflow}px at {width}px wide: {culprits}");
            }
        }
    });

    [Fact]
    public Task A_concurrent_edit_of_an_objective_is_caught() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);

        // Someone else changes the objective while this page is open: saving must not overwrite them.
        await page.GotoAsync($"{_browser.BaseUrl}/objectives/{s.ObjectiveId}");
        await s.Manager.PatchAsync($"objectives/{s.ObjectiveId}", new { businessImpact = "Changed by a colleague" });
        await page.GetByLabel("Title, in the customer's words").FillAsync("Increase deployment frequency from 2 to 12 per week");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Someone changed this since you opened it — here is their version");
        var objective = await s.Manager.GetJsonAsync($"objectives/{s.ObjectiveId}");
        Assert.Equal("Changed by a colleague", objective.Str("businessImpact"));
        Assert.Equal("Increase deployment frequency from 2 to 10 per week", objective.Str("title"));
    });

    [Fact]
    public Task An_admin_finds_adds_changes_and_disables_users_and_a_disabled_user_is_signed_out() => WithPageAsync(async page =>
    {
        await SignInAsync(page, UserRole.Admin);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Exact = true })).ToBeVisibleAsync();

        // The one who will be disabled is signed in elsewhere.
        await using var elsewhere = await _browser.Browser.NewContextAsync();
        var theirPage = await elsewhere.NewPageAsync();
        var leaver = await SignInAsync(theirPage, UserRole.CustomerSuccessManager);

        var email = $"new-{Ids.New()[^8..]}@example.com";
        var add = page.GetByRole(AriaRole.Form, new() { Name = "Add a user" });
        await add.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(page.Locator("#email-error")).ToBeVisibleAsync();
        add = page.GetByRole(AriaRole.Form, new() { Name = "Add a user" });
        await add.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await add.GetByLabel("Name", new() { Exact = true }).FillAsync("Nora New");
        await add.Locator("select[name='New.Role']").SelectOptionAsync("SolutionsArchitect");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Find" }).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        var row = page.Locator($"tr[data-user='{email}']");
        await Assertions.Expect(row).ToContainTextAsync("Solutions architect");
        await row.GetByLabel($"New role for {email}").SelectOptionAsync("Manager");
        await row.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-user='{email}']")).ToContainTextAsync("Manager");

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Find" }).FillAsync(leaver.Email!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        row = page.Locator($"tr[data-user='{leaver.Email}']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        row = page.Locator($"tr[data-user='{leaver.Email}']");
        await Assertions.Expect(row).ToContainTextAsync("Disabled");

        await theirPage.ReloadAsync();
        await Assertions.Expect(theirPage).ToHaveURLAsync(new Regex("/signin"));

        await row.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-user='{leaver.Email}']")).ToContainTextAsync("Active");
    });

    [Fact]
    public Task A_user_creates_a_token_sees_it_once_and_revokes_it_then_signs_out() => WithPageAsync(async page =>
    {
        await SignInAsync(page, UserRole.CustomerSuccessManager);
        await page.GetByRole(AriaRole.Link, new() { Name = "Your tokens" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToBeVisibleAsync();

        await page.GetByLabel("What it is for").FillAsync("CRM sync");
        await page.GetByLabel("Expires after").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = await page.Locator("[data-new-token]").InnerTextAsync();
        Assert.StartsWith("vrt_", secret);
        await Assertions.Expect(page.Locator("tr[data-token='CRM sync']")).ToContainTextAsync("Never");

        using var script = new HttpClient { BaseAddress = new Uri(_browser.BaseUrl) };
        script.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await script.GetAsync("/api/v1/accounts", TestContext.Current.CancellationToken)).StatusCode);

        await page.Locator("tr[data-token='CRM sync']").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-token='CRM sync']")).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await script.GetAsync("/api/v1/accounts", TestContext.Current.CancellationToken)).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.GotoAsync($"{_browser.BaseUrl}/me/tokens");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin"));
    });

    [Fact]
    public Task A_csm_invites_the_customer_who_signs_in_from_the_mail_accepts_the_plan_and_loses_access_when_revoked() => WithPageAsync(async page =>
    {
        var smtp = SmtpSink.Required;
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var email = $"priya-{Ids.New()[^10..]}@acme.example";
        (await csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email })).EnsureSuccessStatusCode();
        (await csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();
        await csm.CreateAsync($"objectives/{s.ObjectiveId}/initiatives",
            new { title = "Runbooks for on-call", ownerStakeholderId = s.StakeholderId, tasks = new[] { new { title = "Draft the runbook" } } });

        await page.GotoAsync($"{_browser.BaseUrl}/accounts/{s.AccountId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite to the portal" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Invitation emailed to Priya Raman");
        var mail = await smtp.WaitForAsync(email);
        var link = Regex.Match(mail.HtmlBody!, "https?://[^\"]+/portal/links/[0-9a-f]{64}").Value;

        await using var customerContext = await _browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var customer = await customerContext.NewPageAsync();
        await customer.GotoAsync(link);
        await customer.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(customer).ToHaveURLAsync(new Regex("/portal$"));
        await customer.GetByRole(AriaRole.Link, new() { Name = "Acme — Mutual Success Plan" }).ClickAsync();
        await Assertions.Expect(customer.GetByRole(AriaRole.Heading, new() { Name = "Increase deployment frequency from 2 to 10 per week" })).ToBeVisibleAsync();
        await customer.GetByRole(AriaRole.Form, new() { Name = "Tick off Draft the runbook" }).GetByRole(AriaRole.Button, new() { Name = "Mark done" }).ClickAsync();
        await Assertions.Expect(customer.GetByRole(AriaRole.Form, new() { Name = "Reopen Draft the runbook" })).ToBeVisibleAsync();
        var objectiveForm = customer.GetByRole(AriaRole.Form, new() { Name = "Is “Increase deployment frequency from 2 to 10 per week” still accurate?" });
        await objectiveForm.GetByRole(AriaRole.Button, new() { Name = "Still accurate" }).ClickAsync();
        await Assertions.Expect(customer.GetByRole(AriaRole.Status)).ToContainTextAsync("still stands");
        objectiveForm = customer.GetByRole(AriaRole.Form, new() { Name = "Is “Increase deployment frequency from 2 to 10 per week” still accurate?" });
        await objectiveForm.GetByLabel("What has changed?").FillAsync("Hotfixes count now.");
        await objectiveForm.GetByRole(AriaRole.Button, new() { Name = "Out of date" }).ClickAsync();
        await Assertions.Expect(customer.GetByRole(AriaRole.Status)).ToContainTextAsync("owner has been told");
        await customer.GetByLabel("A note for the team").FillAsync("Agreed in our steering committee.");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Accept the plan" }).ClickAsync();
        await Assertions.Expect(customer.Locator("[data-accepted]")).ToContainTextAsync("Accepted by Priya Raman");
        await customer.GetByRole(AriaRole.Link, new() { Name = "Your success plan" }).ClickAsync();
        await Assertions.Expect(customer).ToHaveURLAsync(new Regex("/portal$"));

        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");
        await Assertions.Expect(page.Locator("[data-accepted]")).ToContainTextAsync("Accepted by Priya Raman");
        await page.GotoAsync($"{_browser.BaseUrl}/accounts/{s.AccountId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke portal access" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Portal: revoked")).ToBeVisibleAsync();

        await customer.ReloadAsync();
        await Assertions.Expect(customer).ToHaveURLAsync(new Regex("/portal/signin"));
        await customer.GetByLabel("Your work email").FillAsync(email);
        await customer.GetByRole(AriaRole.Button, new() { Name = "Email me a sign-in link" }).ClickAsync();
        await Assertions.Expect(customer.GetByRole(AriaRole.Status)).ToContainTextAsync("a link is on its way");
    });

    [Fact]
    public Task A_customer_signs_out_of_the_portal() => WithPageAsync(async page =>
    {
        var s = await Scenario.CreateAsync(App);
        (await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();
        var email = $"tom-{Ids.New()[^10..]}@acme.example";
        (await s.Csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email })).EnsureSuccessStatusCode();
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });
        var mail = await SmtpSink.Required.WaitForAsync(email);
        await page.GotoAsync(Regex.Match(mail.HtmlBody!, "https?://[^\"]+/portal/links/[0-9a-f]{64}").Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/portal/signin$"));
        await page.GotoAsync($"{_browser.BaseUrl}/portal");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/portal/signin"));
    });

    [Fact]
    public Task A_customer_confirms_an_outcome_with_a_file_and_both_sides_download_the_evidence_and_the_certificate() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        (await csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();
        var email = $"priya-{Ids.New()[^10..]}@acme.example";
        (await csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email })).EnsureSuccessStatusCode();
        await csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });
        var mail = await SmtpSink.Required.WaitForAsync(email);

        await using var customerContext = await _browser.Browser.NewContextAsync(new() { AcceptDownloads = true });
        var customer = await customerContext.NewPageAsync();
        customer.SetDefaultTimeout(15_000);
        await customer.GotoAsync(Regex.Match(mail.HtmlBody!, "https?://[^\"]+/portal/links/[0-9a-f]{64}").Value);
        await customer.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await customer.GotoAsync($"{_browser.BaseUrl}/portal/plans/{s.PlanId}");

        var form = customer.GetByRole(AriaRole.Form, new() { Name = "Confirm Increase deployment frequency from 2 to 10 per week" });
        await form.GetByLabel("In your own words").FillAsync("We deploy ten times a week now.");
        await form.GetByLabel("Evidence").SetInputFilesAsync(new FilePayload
        {
            Name = "release-stats.pdf",
            MimeType = "application/pdf",
            Buffer = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"),
        });
        await form.GetByRole(AriaRole.Button, new() { Name = "Confirm this outcome" }).ClickAsync();
        await Assertions.Expect(customer.GetByText("source: portal")).ToBeVisibleAsync();
        var evidence = await customer.RunAndWaitForDownloadAsync(() => customer.GetByRole(AriaRole.Link, new() { Name = "release-stats.pdf" }).ClickAsync());
        Assert.Equal("release-stats.pdf", evidence.SuggestedFilename);
        var certificate = await customer.RunAndWaitForDownloadAsync(() => customer.GetByRole(AriaRole.Link, new() { Name = "Certificate (PDF)" }).ClickAsync());
        Assert.EndsWith(".pdf", certificate.SuggestedFilename);

        foreach (var path in new[] { $"/objectives/{s.ObjectiveId}", $"/plans/{s.PlanId}" })
        {
            await page.GotoAsync($"{_browser.BaseUrl}{path}");
            await Assertions.Expect(page.GetByText("source: portal")).ToBeVisibleAsync();
            var file = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "release-stats.pdf" }).ClickAsync());
            Assert.Equal("release-stats.pdf", file.SuggestedFilename);
            var pdf = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Certificate (PDF)" }).ClickAsync());
            Assert.StartsWith("%PDF", await File.ReadAllTextAsync((await pdf.PathAsync())!));
        }
    });

    [Fact]
    public Task Both_sides_comment_on_the_plan_and_the_objective() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var email = $"ruth-{Ids.New()[^10..]}@acme.example";
        (await csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email })).EnsureSuccessStatusCode();
        await csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });

        // The team shares the plan, with objective health, from the plan page.
        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");
        await page.GetByText("Update the plan").ClickAsync();
        await page.Locator("select[name='StatusForm.Status']").SelectOptionAsync("SharedWithCustomer");
        await page.GetByLabel("Show objective health to the customer").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".badge").First).ToContainTextAsync("Shared with customer");
        var shared = await csm.GetJsonAsync($"plans/{s.PlanId}");
        Assert.True(shared["shareHealthWithCustomer"]!.GetValue<bool>());

        var thread = page.GetByRole(AriaRole.Form, new() { Name = "Add a comment" });
        await thread.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#body-error")).ToBeVisibleAsync();
        await page.GetByLabel("Your comment (Markdown)").FillAsync("We shared the plan: **tell us** what is missing.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-comment]")).ToContainTextAsync("tell us what is missing");
        await Assertions.Expect(page.Locator("[data-comment] strong", new() { HasText = "tell us" })).ToBeVisibleAsync();

        await page.GotoAsync($"{_browser.BaseUrl}/objectives/{s.ObjectiveId}");
        await page.GetByLabel("Your comment (Markdown)").FillAsync("Runner capacity is the blocker.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-comment]")).ToContainTextAsync("Runner capacity is the blocker.");

        var invitation = await SmtpSink.Required.WaitForAsync(email);
        await using var customerContext = await _browser.Browser.NewContextAsync();
        var customer = await customerContext.NewPageAsync();
        await customer.GotoAsync(Regex.Match(invitation.HtmlBody!, "https?://[^\"]+/portal/links/[0-9a-f]{64}").Value);
        await customer.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await customer.GotoAsync($"{_browser.BaseUrl}/portal/plans/{s.PlanId}");
        await Assertions.Expect(customer.Locator("[data-comment]")).ToContainTextAsync("tell us what is missing");
        await customer.GetByLabel("Your comment (Markdown)").FillAsync("Hotfixes should count <b>too</b>.");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        await Assertions.Expect(customer.Locator("[data-comment].from-customer")).ToContainTextAsync("Hotfixes should count <b>too</b>.");

        await page.GotoAsync($"{_browser.BaseUrl}/plans/{s.PlanId}");
        await Assertions.Expect(page.Locator("[data-comment].from-customer")).ToContainTextAsync("Customer");
    });

    [Fact]
    public Task A_dead_link_offers_a_new_one_and_the_portal_sign_in_points_the_team_to_theirs() => WithPageAsync(async page =>
    {
        await page.GotoAsync($"{_browser.BaseUrl}/portal/links/{new string('0', 64)}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link no longer works" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Email me a new link" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/portal/signin$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in here" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in to your success plan" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/portal/signin$"));
    });

    [Fact]
    public Task A_csm_finds_triage_findings_in_the_nav_filters_them_dismisses_one_and_sets_mail_preferences() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        var vague = await csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Make developers happier", kind = "quantitative" });
        (await s.Manager.PostAsync("triage/runs", new { })).EnsureSuccessStatusCode();

        await page.GetByRole(AriaRole.Link, new() { Name = "Triage", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Triage", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Make developers happier" }).First).ToBeVisibleAsync();
        await page.Locator("select[name='rule']").SelectOptionAsync(new SelectOptionValue { Label = "No metric" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Make developers happier" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("No metric");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Not SMART" })).ToHaveCountAsync(0);
        await page.Locator("select[name='whose']").SelectOptionAsync("all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = "Make developers happier" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/objectives/{vague.Id()}#findings$"));
        var finding = page.Locator(".finding[data-rule='missingMetric']");
        await finding.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Assertions.Expect(finding.GetByLabel("Why it needs no action")).ToBeFocusedAsync();
        await finding.GetByLabel("Why it needs no action").FillAsync("The customer measures this in a survey we add next month.");
        await finding.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Finding dismissed");
        await Assertions.Expect(page.Locator(".finding.dismissed[data-rule='missingMetric']")).ToContainTextAsync("survey we add next month");

        // The plan's card and the account's plan list count what is still open, and lead back to it.
        await page.GotoAsync($"{_browser.BaseUrl}/accounts/{s.AccountId}");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("open triage finding") }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/plans/{s.PlanId}$"));
        await page.GetByRole(AriaRole.Article).Filter(new() { HasText = "Make developers happier" })
            .GetByRole(AriaRole.Link, new() { NameRegex = new Regex("triage finding") }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/objectives/{vague.Id()}#findings$"));

        // The customer's monthly report is switched on and off from the account page.
        await page.GotoAsync($"{_browser.BaseUrl}/accounts/{s.AccountId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the monthly report" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Gets the monthly report")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop the monthly report" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send the monthly report" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Gets the monthly report")).ToHaveCountAsync(0);

        // Their week leads to the same objective.
        await page.GetByRole(AriaRole.Link, new() { Name = "Your week" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your week" })).ToBeVisibleAsync();
        await page.Locator("#findings").GetByRole(AriaRole.Link).Filter(new() { HasText = "Make developers happier" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/objectives/{vague.Id()}#findings$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Mail preferences" }).ClickAsync();
        var digest = page.GetByLabel(new Regex("Weekly digest"));
        await Assertions.Expect(digest).ToBeCheckedAsync();
        await digest.UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save preferences" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        await Assertions.Expect(page.GetByLabel(new Regex("Weekly digest"))).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel(new Regex("comments on a plan"))).ToBeCheckedAsync();
        Assert.False((await csm.GetJsonAsync("me/notifications"))["weeklyDigest"]!.GetValue<bool>());
    });

    [Fact]
    public Task A_long_week_shows_the_most_urgent_findings_and_leads_to_the_triage_for_the_rest() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        for (var i = 1; i <= 26; i++)
        {
            await csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = $"Make team {i:00} happier", kind = "quantitative" });
        }

        (await s.Manager.PostAsync("triage/runs", new { })).EnsureSuccessStatusCode();
        await page.GetByRole(AriaRole.Link, new() { Name = "Your week" }).ClickAsync();
        var findings = page.Locator("#findings");
        await Assertions.Expect(findings.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(25);
        await Assertions.Expect(findings.Locator(".more")).ToContainTextAsync(new Regex(@"The 25 most urgent of \d+\."));
        await findings.GetByRole(AriaRole.Link, new() { Name = "See them all" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/triage$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Make team 26 happier" }).First).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_director_runs_the_triage_by_hand_and_sees_what_it_did() => WithPageAsync(async page =>
    {
        await SignInAsync(page, UserRole.Director);
        await page.GotoAsync($"{_browser.BaseUrl}/triage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the triage now" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Triage ran");
        await Assertions.Expect(page.GetByText(new Regex("Last run .*\\(by hand\\)"))).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_customer_answers_the_monthly_report_from_the_mail_and_stops_it() => WithPageAsync(async page =>
    {
        var s = await Scenario.CreateAsync(App);
        var email = $"priya-{Ids.New()[^10..]}@acme.example";
        (await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();
        (await s.Csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email, receivesMonthlyReport = true })).EnsureSuccessStatusCode();
        await App.Services.GetRequiredService<Verity.Features.Notifications.Digests>().SendMonthlyAsync(TestContext.Current.CancellationToken);
        var mail = await SmtpSink.Required.WaitForAsync(email);
        var links = Regex.Matches(mail.HtmlBody ?? "", "href=\"([^\"]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

        await page.GotoAsync(links.Single(l => l.Contains("answer=accurate", StringComparison.Ordinal)));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Is this objective still accurate?" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "No — it is out of date" }).ClickAsync();
        await page.GetByLabel("What has changed? (optional)").FillAsync("We now aim for 20 deployments a week.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send: out of date" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("has been told it is out of date");
        var findings = await s.Csm.GetAsync($"objectives/{s.ObjectiveId}/findings");
        Assert.Contains("20 deployments a week", await findings.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        await page.GotoAsync(links.Single(l => l.Contains("answer=accurate", StringComparison.Ordinal)));
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already used");

        await page.GotoAsync(links.Single(l => l.Contains("/portal/unsubscribe/", StringComparison.Ordinal)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop the monthly report" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You will no longer receive the monthly report" })).ToBeVisibleAsync();
        Assert.False((await s.Csm.GetJsonAsync($"stakeholders/{s.StakeholderId}"))["receivesMonthlyReport"]!.GetValue<bool>());
    });

    /// <summary>A scenario whose team is the signed-in CSM.</summary>
    [Fact]
    public Task A_csm_records_a_health_check_sees_the_score_explained_and_keeps_the_commercial_facts() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        await page.GotoAsync($"{_browser.BaseUrl}/accounts/{s.AccountId}");
        var health = page.GetByRole(AriaRole.Region, new() { Name = "Health", Exact = true });
        await Assertions.Expect(health).ToContainTextAsync("No health check yet");

        await health.GetByText("Record a health check").ClickAsync();
        await health.GetByRole(AriaRole.Button, new() { Name = "Record health check" }).ClickAsync();
        await Assertions.Expect(page.Locator("#adoption-error")).ToContainTextAsync("required");

        health = page.GetByRole(AriaRole.Region, new() { Name = "Health", Exact = true });
        await health.GetByLabel("Adoption, % of licensed users active").FillAsync("60");
        await health.GetByLabel("Sentiment").SelectOptionAsync("Neutral");
        await health.GetByLabel("Overall").SelectOptionAsync("Yellow");
        await health.GetByLabel("Barriers").FillAsync("Two teams waiting on template access.");
        await health.GetByLabel("Notes", new() { Exact = true }).FillAsync("Follow up after the workshop.");
        await health.GetByRole(AriaRole.Button, new() { Name = "Record health check" }).ClickAsync();

        health = page.GetByRole(AriaRole.Region, new() { Name = "Health", Exact = true });
        var history = health.GetByRole(AriaRole.Table, new() { Name = "Health check history" });
        await Assertions.Expect(history).ToContainTextAsync("Two teams waiting on template access.");
        await Assertions.Expect(history).ToContainTextAsync("60%");
        await Assertions.Expect(history).ToContainTextAsync("Neutral");
        await Assertions.Expect(health.Locator("#health-score .score")).ToHaveTextAsync(new Regex("^\\d+$"));
        var measures = health.GetByRole(AriaRole.Table, new() { Name = "How the health score is made" });
        await Assertions.Expect(measures.Locator("tr[data-measure=adoption]")).ToContainTextAsync("60% active");
        await Assertions.Expect(measures.Locator("tr[data-measure=adoption] td[data-label=Score]")).ToHaveTextAsync("75");
        await Assertions.Expect(measures.Locator("tr[data-measure=support]")).ToContainTextAsync("left out");
        // Plain words, never the API's enum spellings.
        Assert.DoesNotContain("onTrack", await health.InnerTextAsync());

        await page.GetByText("Change the commercial facts").ClickAsync();
        await page.GetByLabel("ARR", new() { Exact = true }).FillAsync("250000");
        await page.GetByLabel("Renewal date").FillAsync("2027-04-30");
        var taken = "001" + Ids.New()[^15..];
        await s.Manager.CreateAsync("accounts", new { name = "Holds the CRM id " + Ids.New()[^6..], externalId = taken });
        await page.GetByLabel("CRM id").FillAsync(taken);
        await page.GetByLabel("Employees", new() { Exact = true }).FillAsync("4200");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save facts" }).ClickAsync();
        await Assertions.Expect(page.Locator("#externalId-error")).ToContainTextAsync("already has");
        await page.GetByLabel("CRM id").FillAsync("001" + Ids.New()[^15..]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save facts" }).ClickAsync();
        var facts = page.Locator("dl.facts");
        await Assertions.Expect(facts).ToContainTextAsync("250,000");
        await Assertions.Expect(facts).ToContainTextAsync("2027-04-30");
        await Assertions.Expect(facts).ToContainTextAsync("4,200");

        await page.GotoAsync($"{_browser.BaseUrl}/accounts");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = (await s.Manager.GetJsonAsync($"accounts/{s.AccountId}")).Str("name") });
        await Assertions.Expect(row).ToContainTextAsync("250,000");
        await Assertions.Expect(row).ToContainTextAsync("2027-04-30");
        await Assertions.Expect(row.Locator("td[data-label=Health] .badge")).ToHaveTextAsync(new Regex("^(Green|Yellow|Red) \\d+$"));
    });

    [Fact]
    public Task A_csm_schedules_a_meeting_reads_its_agenda_holds_it_and_finds_it_on_the_timeline() => WithPageAsync(async page =>
    {
        var csm = await SignInAsync(page, UserRole.CustomerSuccessManager);
        var s = await ScenarioFor(csm);
        await page.GotoAsync($"{_browser.BaseUrl}/accounts/{s.AccountId}");
        var meetings = page.GetByRole(AriaRole.Region, new() { Name = "Meetings", Exact = true });
        await Assertions.Expect(meetings).ToContainTextAsync("No meeting in the calendar");

        // Without a time the form says which field is missing, and keeps what was chosen.
        await meetings.GetByText("Schedule a meeting").ClickAsync();
        await meetings.GetByLabel("Kind of meeting").SelectOptionAsync("BusinessReview");
        await meetings.GetByLabel("Title (optional)").FillAsync("Renewal review");
        await meetings.Locator($"input[name=AttendeeUserIds][value='{csm.UserId}']").CheckAsync();
        await meetings.GetByLabel("Priya Raman (executive sponsor)").CheckAsync();
        await meetings.GetByRole(AriaRole.Button, new() { Name = "Schedule meeting" }).ClickAsync();
        await Assertions.Expect(page.Locator("#scheduledFor-error")).ToContainTextAsync("required");
        meetings = page.GetByRole(AriaRole.Region, new() { Name = "Meetings", Exact = true });
        await Assertions.Expect(meetings.GetByLabel("Priya Raman (executive sponsor)")).ToBeCheckedAsync();

        var tomorrow = DateTime.UtcNow.Date.AddDays(1).AddHours(14);
        await meetings.GetByLabel("When (UTC)").FillAsync(tomorrow.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await meetings.GetByLabel("Increase deployment frequency from 2 to 10 per week").CheckAsync();
        await meetings.GetByRole(AriaRole.Button, new() { Name = "Schedule meeting" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Meetings to come" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Renewal review" });
        await Assertions.Expect(row).ToContainTextAsync("Business review: Renewal review");
        await Assertions.Expect(row).ToContainTextAsync(tomorrow.ToString("d MMMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC");
        await Assertions.Expect(row).ToContainTextAsync("Priya Raman");

        // It is on the CSM's week, which links to it.
        await page.GotoAsync($"{_browser.BaseUrl}/");
        var week = page.Locator("#meetings");
        await Assertions.Expect(week).ToContainTextAsync("Meetings in the next 7 days");
        await week.GetByRole(AriaRole.Link, new() { Name = "Business review: Renewal review" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Business review: Renewal review" })).ToBeVisibleAsync();
        var meetingUrl = page.Url;

        // The agenda is the plan as it stands: the objective and its progress; every link on the page leads somewhere real.
        var agenda = page.GetByRole(AriaRole.Region, new() { Name = "Agenda" });
        await Assertions.Expect(agenda.GetByRole(AriaRole.Row).Filter(new() { HasText = "Increase deployment frequency" })).ToContainTextAsync("50% of the way");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Who" })).ToContainTextAsync("Priya Raman, VP Engineering");
        await agenda.GetByRole(AriaRole.Link, new() { Name = "Increase deployment frequency from 2 to 10 per week" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/objectives/{s.ObjectiveId}$"));
        await page.GotoAsync(meetingUrl);
        await page.Locator("p.crumbs").GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Exact = true })).ToBeVisibleAsync();
        await page.GotoAsync(meetingUrl);
        var accountName = (await s.Manager.GetJsonAsync($"accounts/{s.AccountId}")).Str("name");
        await page.Locator("p.crumbs").GetByRole(AriaRole.Link, new() { Name = accountName }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = accountName })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Business review: Renewal review" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(meetingUrl);

        // A day still to come cannot be the day it was held; no day at all is asked for.
        var hold = page.GetByRole(AriaRole.Form, new() { Name = "Record the meeting" });
        await hold.GetByLabel("Held on").FillAsync(DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await hold.GetByLabel("Decisions").FillAsync("Renew for three years; add the security add-on.");
        await hold.GetByRole(AriaRole.Button, new() { Name = "Record as held" }).ClickAsync();
        await Assertions.Expect(page.Locator("#heldOn-error")).ToContainTextAsync("in the future");
        hold = page.GetByRole(AriaRole.Form, new() { Name = "Record the meeting" });
        await Assertions.Expect(hold.GetByLabel("Decisions")).ToHaveValueAsync("Renew for three years; add the security add-on.");
        await hold.GetByLabel("Held on").FillAsync("");
        await hold.GetByRole(AriaRole.Button, new() { Name = "Record as held" }).ClickAsync();
        await Assertions.Expect(page.Locator("#heldOn-error")).ToContainTextAsync("required");

        // A colleague changed the meeting meanwhile: the stale form is refused, not written over them.
        var meetingId = meetingUrl[(meetingUrl.LastIndexOf('/') + 1)..];
        (await s.Manager.PatchAsync($"meetings/{meetingId}", new { title = "Renewal review (moved)" })).EnsureSuccessStatusCode();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        hold = page.GetByRole(AriaRole.Form, new() { Name = "Record the meeting" });
        await hold.GetByLabel("Held on").FillAsync(today);
        await hold.GetByRole(AriaRole.Button, new() { Name = "Record as held" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Someone changed this since you opened it — here is their version");
        Assert.Null((await s.Manager.GetJsonAsync($"meetings/{meetingId}"))["heldOn"]);

        // Read afresh, it is held: the record shows, and so does the timeline.
        await page.GotoAsync(meetingUrl);
        hold = page.GetByRole(AriaRole.Form, new() { Name = "Record the meeting" });
        await hold.GetByLabel("Decisions").FillAsync("Renew for three years; add the security add-on.");
        await hold.GetByLabel("Next steps").FillAsync("Alex sends the renewal quote by Friday.");
        await hold.GetByLabel("Notes, for the team only").FillAsync("Priya hinted at a budget freeze in Q1.");
        await hold.GetByRole(AriaRole.Button, new() { Name = "Record as held" }).ClickAsync();
        var record = page.GetByRole(AriaRole.Region, new() { Name = "What happened" });
        await Assertions.Expect(record).ToContainTextAsync("Renew for three years");
        await Assertions.Expect(record).ToContainTextAsync("Alex sends the renewal quote by Friday.");
        await Assertions.Expect(record).ToContainTextAsync("budget freeze");
        await Assertions.Expect(page.Locator("#meeting-status")).ToContainTextAsync($"Held on {today}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Business review: Renewal review (moved)" })).ToBeVisibleAsync();

        // Recording again corrects the record and writes nothing new on the timeline.
        hold = page.GetByRole(AriaRole.Form, new() { Name = "Record the meeting" });
        await hold.GetByLabel("Next steps").FillAsync("Alex sends the renewal quote by Thursday.");
        await hold.GetByRole(AriaRole.Button, new() { Name = "Save the record" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "What happened" })).ToContainTextAsync("by Thursday");

        await page.GetByRole(AriaRole.Link, new() { Name = "See it on the account's timeline" }).ClickAsync();
        var entries = page.Locator("ul.timeline li").Filter(new() { HasText = "Business review held: Renewal review (moved)." });
        await Assertions.Expect(entries).ToHaveCountAsync(1);
        await Assertions.Expect(entries).ToContainTextAsync("Renew for three years");
        await Assertions.Expect(entries).ToContainTextAsync("by Thursday");
        await Assertions.Expect(page.Locator("ul.timeline")).Not.ToContainTextAsync("budget freeze");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Meetings", Exact = true }).Locator("#meetings-held ~ ul"))
            .ToContainTextAsync("Business review: Renewal review (moved)");
    });

    [Fact]
    public Task An_admin_checks_a_csv_file_on_the_import_page_then_imports_it_and_finds_the_account() => WithPageAsync(async page =>
    {
        await SignInAsync(page, UserRole.Admin);
        var key = Ids.New()[^6..];
        var name = $"Imported Co {key}";
        await page.GetByRole(AriaRole.Link, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import from CSV" })).ToBeVisibleAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Import a CSV file" });

        FilePayload File(string csv) => new() { Name = "accounts export.csv", MimeType = "text/csv", Buffer = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(csv)] };
        var bad = $"Account ID;Account Name;Employees\n001{Ids.New()[^12..]};{name};many\n";
        var good = $"Account ID;Account Name;Employees\n001{Ids.New()[^12..]};{name};250\n";

        // Checked first: the bad row is named by its line and column, and nothing is written.
        await form.GetByLabel("What the file holds").SelectOptionAsync("Accounts");
        await form.GetByLabel(new Regex("^CSV file")).SetInputFilesAsync(File(bad));
        await form.GetByLabel(new Regex("Check only")).CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        var report = page.Locator("#report");
        await Assertions.Expect(report.GetByRole(AriaRole.Status)).ToContainTextAsync("The file has 1 error");
        var errors = report.GetByRole(AriaRole.Table, new() { Name = "Errors in the file" });
        await Assertions.Expect(errors.Locator("td[data-label=Line]")).ToHaveTextAsync("2");
        await Assertions.Expect(errors.Locator("td[data-label=Column]")).ToHaveTextAsync("Employees");
        await Assertions.Expect(errors.Locator("td[data-label='What is wrong']")).ToContainTextAsync("'many' is not a whole number");

        form = page.GetByRole(AriaRole.Form, new() { Name = "Import a CSV file" });
        await form.GetByLabel(new Regex("^CSV file")).SetInputFilesAsync(File(good));
        await Assertions.Expect(form.GetByLabel(new Regex("Check only"))).ToBeCheckedAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Assertions.Expect(page.Locator("#report").GetByRole(AriaRole.Status)).ToContainTextAsync("would create 1 account");
        await Assertions.Expect(page.Locator("#report dl.facts")).ToContainTextAsync("Would create");

        // Then for real.
        form = page.GetByRole(AriaRole.Form, new() { Name = "Import a CSV file" });
        await form.GetByLabel(new Regex("^CSV file")).SetInputFilesAsync(File(good));
        await form.GetByLabel(new Regex("Check only")).UncheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Assertions.Expect(page.Locator("#report").GetByRole(AriaRole.Status)).ToContainTextAsync("Imported 1 row: 1 account created");
        Assert.DoesNotContain("camelCase", await page.Locator("#report").InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Accounts", Exact = true }).ClickAsync();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Search", new() { Exact = true }).PressAsync("Enter");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("250");
    });

    [Fact]
    public Task The_import_page_is_for_admins_only() => WithPageAsync(async page =>
    {
        await SignInAsync(page, UserRole.Manager);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Import", Exact = true })).ToHaveCountAsync(0);
        var response = await page.GotoAsync($"{_browser.BaseUrl}/admin/imports");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only an admin");
        await Assertions.Expect(page.GetByRole(AriaRole.Form, new() { Name = "Import a CSV file" })).ToHaveCountAsync(0);
    });

    private async Task<Scenario> ScenarioFor(ApiClient csm)
    {
        var s = await Scenario.CreateAsync(App);
        await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new[] { new { userId = csm.UserId, role = "customerSuccessManager" } });
        return s;
    }

    private async Task<ApiClient> SignInAsync(IPage page, UserRole role)
    {
        var user = await App.SignInAsync(role, password: Password);
        await page.GotoAsync($"{_browser.BaseUrl}/signin");
        await page.GetByLabel("Email").FillAsync(user.Email!);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // A vendor user's day starts on their week; the tests start from the accounts.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your week" })).ToBeVisibleAsync();
        await page.GotoAsync($"{_browser.BaseUrl}/accounts");
        return user;
    }

    /// <summary>Runs a test in a fresh browser context and keeps a screenshot when it fails.</summary>
    private async Task WithPageAsync(Func<IPage, Task> test, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        await using var context = await _browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        try
        {
            await test(page);
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{name}.png");
            await page.ScreenshotAsync(new() { Path = file, FullPage = true });
            TestContext.Current.SendDiagnosticMessage($"Screenshot of the failure: {file}");
            throw;
        }
    }
}

[Collection(SqliteBrowserCollection.Name)]
public sealed class SqlitePageTests(SqliteBrowser browser) : PageTests(browser);

[Collection(PostgresBrowserCollection.Name)]
public sealed class PostgresPageTests(PostgresBrowser browser) : PageTests(browser);
