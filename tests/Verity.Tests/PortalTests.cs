using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The customer in their own plan: invited by mail through a real SMTP server, signed in by a single-use link,
/// reading only what is shared with them, accepting the plan — and out at once when access is revoked.
/// </summary>
public abstract partial class PortalTests(VerityApp app) : ApiTests(app)
{
    private const string Marker = "INTERNAL-ONLY-7f3a";

    private static CancellationToken Aborted => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_invited_customer_signs_in_from_the_mail_reads_the_shared_plan_without_internals_and_accepts_it()
    {
        var smtp = Smtp;
        var (s, email) = await SharedScenarioAsync();

        var invitation = await s.Csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });
        Assert.Equal(email, invitation.Str("email"));
        var mail = await smtp.WaitForAsync(email);
        Assert.Contains("your success plan", mail.Subject);
        Assert.NotNull(mail.HtmlBody);
        var link = LinkIn(mail);
        Assert.Contains(link, mail.TextBody);

        // Opening the link (as a mail scanner would, twice) changes nothing; Continue uses it.
        var customer = App.Browser(new CookieContainer());
        var page = await customer.GetStringAsync(link, Aborted);
        Assert.Contains("Continue", page);
        page = await customer.GetStringAsync(link, Aborted);
        var signedIn = await ContinueAsync(customer, link, page);
        Assert.EndsWith("/portal", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        var home = await signedIn.Content.ReadAsStringAsync(Aborted);
        Assert.Contains("Mutual Success Plan", home);

        var planPage = await customer.GetStringAsync($"/portal/plans/{s.PlanId}", Aborted);
        Assert.Contains("Increase deployment frequency", planPage);
        Assert.Contains("10 deployments per week", planPage);
        Assert.DoesNotContain(Marker, planPage);
        Assert.DoesNotContain("executiveSponsor", planPage);
        Assert.DoesNotContain("/objectives/", planPage);
        Assert.DoesNotContain("<script>alert", planPage);
        Assert.Contains("<strong>slow</strong>", planPage);
        Assert.Contains("<a href=\"https://example.com/runbook\">the runbook</a>", planPage);
        Assert.DoesNotContain("javascript:", planPage);
        Assert.Contains("<td>Weekly releases</td>", planPage);

        // A used link does not work again.
        var again = await App.Browser(new CookieContainer()).GetStringAsync(link, Aborted);
        Assert.Contains("no longer works", again);

        // The customer accepts; the team sees who and when, and the deal follows.
        var accepted = await customer.PostAsync($"/portal/plans/{s.PlanId}", Form(planPage, "accept", ("Form.Note", "Agreed with our VP.")), Aborted);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("Accepted by Priya Raman", await accepted.Content.ReadAsStringAsync(Aborted));
        var plan = await s.Csm.GetJsonAsync($"plans/{s.PlanId}");
        Assert.Equal("customerAccepted", plan.Str("status"));
        Assert.Equal(s.StakeholderId, plan.Str("acceptedBy"));
        Assert.NotNull(plan["acceptedAt"]);
        Assert.True((await s.Csm.GetJsonAsync($"opportunities/{s.OpportunityId}"))["customerAccepted"]!.GetValue<bool>());
        var timeline = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/activities?limit=500");
        Assert.Contains(timeline["items"]!.AsArray(), a => a.Str("summary").Contains("Priya Raman accepted the plan: \"Agreed with our VP.\"", StringComparison.Ordinal));
        var vendorPage = await (await App.TeamBrowserAsync(s)).GetStringAsync($"/plans/{s.PlanId}", Aborted);
        Assert.Contains("Accepted by Priya Raman", vendorPage);

        var access = (await s.Csm.GetAsync($"accounts/{s.AccountId}/portal-access")).Content.ReadAsStringAsync(Aborted);
        var row = JsonNode.Parse(await access)!.AsArray().Single(a => a.Str("email") == email)!;
        Assert.Equal("active", row.Str("status"));
        Assert.Equal(s.StakeholderId, row.Str("stakeholderId"));
    }

    [Fact]
    public async Task Revoking_access_ends_the_customers_session_and_links_at_the_next_request()
    {
        var smtp = Smtp;
        var (s, email) = await SharedScenarioAsync();
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });
        var customer = App.Browser(new CookieContainer());
        var link = LinkIn(await smtp.WaitForAsync(email));
        await ContinueAsync(customer, link, await customer.GetStringAsync(link, Aborted));
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/v1/plans/{s.PlanId}", Aborted)).StatusCode);

        // A second link, asked for by the customer, is waiting unused when access ends.
        var asking = App.Browser(new CookieContainer());
        var request = await asking.PostAsync("/portal/signin",
            Form(await asking.GetStringAsync("/portal/signin", Aborted), "portal-signin", ("Form.Email", email)), Aborted);
        Assert.Contains("a link is on its way", await request.Content.ReadAsStringAsync(Aborted));
        var second = LinkIn(await smtp.WaitForAsync(email, m => m.Subject?.Contains("sign-in link", StringComparison.Ordinal) == true));

        var userId = (await App.SystemDb().Users.SingleAsync(u => u.NormalizedEmail == email.ToUpperInvariant(), Aborted)).Id;
        Assert.Equal(HttpStatusCode.NoContent, (await s.Csm.DeleteAsync($"portal-access/{userId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.GetAsync($"/api/v1/plans/{s.PlanId}", Aborted)).StatusCode);
        var noRedirects = App.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Contains("no longer works", await noRedirects.GetStringAsync(second, Aborted));
        var access = JsonNode.Parse(await (await s.Csm.GetAsync($"accounts/{s.AccountId}/portal-access")).Content.ReadAsStringAsync(Aborted))!.AsArray();
        Assert.Equal("revoked", access.Single(a => a.Str("userId") == userId)!.Str("status"));
    }

    [Fact]
    public async Task The_sign_in_form_answers_the_same_for_any_address_and_mails_only_customers_with_access()
    {
        var smtp = Smtp;
        var (s, email) = await SharedScenarioAsync();
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });
        await smtp.WaitForAsync(email);

        var vendor = s.Csm.Email!;
        var unknown = $"nobody-{Ids.New()[^8..]}@example.com";
        var answers = new List<string>();
        foreach (var address in new[] { email, unknown, vendor })
        {
            var browser = App.Browser(new CookieContainer());
            var form = await browser.GetStringAsync("/portal/signin", Aborted);
            var response = await browser.PostAsync("/portal/signin", Form(form, "portal-signin", ("Form.Email", address)), Aborted);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(Regex.Replace(await response.Content.ReadAsStringAsync(Aborted), "value=\"[^\"]*\"", ""));
        }

        Assert.Single(answers.Distinct());

        // A forged Host header does not steer the link in the mail to someone else's site.
        var forger = App.Browser(new CookieContainer());
        var signInForm = await forger.GetStringAsync("/portal/signin", Aborted);
        var forged = new HttpRequestMessage(HttpMethod.Post, "/portal/signin") { Content = Form(signInForm, "portal-signin", ("Form.Email", email)) };
        forged.Headers.Host = "evil.example";
        await forger.SendAsync(forged, Aborted);
        await smtp.WaitForAsync(email, m => m.Subject?.Contains("sign-in link", StringComparison.Ordinal) == true);
        await Task.Delay(1000, Aborted);
        Assert.All(smtp.Received(email), m => Assert.DoesNotContain("evil.example", m.HtmlBody));
        Assert.Empty(smtp.Received(unknown));
        Assert.Empty(smtp.Received(vendor));
    }

    [Fact]
    public async Task Bad_invitations_links_and_acceptances_get_clear_answers()
    {
        var (s, _) = await SharedScenarioAsync();
        var vendorSide = await s.Csm.CreateAsync($"accounts/{s.AccountId}/stakeholders",
            new { name = "Our SA", email = "sa@vendor.example", side = "vendor", role = "solutionsArchitect" });
        var noEmail = await s.Csm.CreateAsync($"accounts/{s.AccountId}/stakeholders", new { name = "No Mail", side = "customer", role = "other" });
        await (await s.Csm.PostAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = vendorSide.Id() })).ExpectFieldErrorAsync("stakeholderId");
        await (await s.Csm.PostAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = noEmail.Id() })).ExpectFieldErrorAsync("stakeholderId");
        await (await s.Csm.PostAsync($"accounts/{s.AccountId}/portal-invitations", new { })).ExpectFieldErrorAsync("stakeholderId");
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        await (await outsider.PostAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"accounts/{s.AccountId}/portal-access")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // An unknown or garbled link is a page that says so, never an error.
        var browser = App.CreateClient();
        foreach (var token in new[] { new string('0', 64), "x", new string('z', 500) })
        {
            var response = await browser.GetAsync($"/portal/links/{token}", Aborted);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("no longer works", await response.Content.ReadAsStringAsync(Aborted));
        }

        // Only a customer accepts, and only a plan that was shared.
        await (await s.Csm.PostAsync($"plans/{s.PlanId}/acceptance", new { note = "I accept for them" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var draft = await s.Csm.CreateAsync("plans", new { accountId = s.AccountId, title = "Still a draft" });
        var (customer, _) = await App.InviteCustomerAsync(s);
        await (await customer.PostAsync($"plans/{draft.Id()}/acceptance", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await customer.PostAsync($"plans/{s.PlanId}/acceptance", new { note = new string('x', 20_001) })).ExpectFieldErrorAsync("note");
        var other = await Scenario.CreateAsync(App);
        await (await customer.PostAsync($"plans/{other.PlanId}/acceptance", new { })).ExpectProblemAsync(HttpStatusCode.NotFound);
        var accepted = await (await customer.PostAsync($"plans/{s.PlanId}/acceptance", new { note = "Yes." })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("customerAccepted", accepted.Str("status"));
    }

    [Fact]
    public async Task The_customer_says_whether_an_objective_still_stands_and_its_owner_hears_when_it_does_not()
    {
        var smtp = Smtp;
        var (s, _) = await SharedScenarioAsync();
        var (customer, _) = await App.InviteCustomerAsync(s);

        var confirmed = await (await customer.PostAsync($"objectives/{s.ObjectiveId}/revalidations", new { stillAccurate = true })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), confirmed.Str("lastValidatedAt"));
        Assert.Equal(s.StakeholderId, confirmed.Str("lastValidatedBy"));

        (await customer.PostAsync($"objectives/{s.ObjectiveId}/revalidations", new { stillAccurate = false, note = "We now count hotfixes too." })).EnsureSuccessStatusCode();
        var mail = await smtp.WaitForAsync(s.Csm.Email!, m => m.Subject?.Contains("is out of date", StringComparison.Ordinal) == true);
        Assert.Contains("We now count hotfixes too.", mail.TextBody);
        var timeline = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}/activities?limit=500");
        Assert.Contains(timeline["items"]!.AsArray(), a => a.Str("summary") == "Priya Raman says the objective is out of date: \"We now count hotfixes too.\"");

        await (await customer.PostAsync($"objectives/{s.ObjectiveId}/revalidations", new { note = "?" })).ExpectFieldErrorAsync("stillAccurate");
        await (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/revalidations", new { stillAccurate = true })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var other = await Scenario.CreateAsync(App);
        await (await customer.PostAsync($"objectives/{other.ObjectiveId}/revalidations", new { stillAccurate = true })).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_customer_ticks_off_tasks_their_side_owns_and_only_those()
    {
        var (s, _) = await SharedScenarioAsync();
        var (customer, _) = await App.InviteCustomerAsync(s);
        var theirs = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/initiatives",
            new { title = "Runbooks for on-call", ownerStakeholderId = s.StakeholderId, tasks = new[] { new { title = "Draft the runbook" }, new { title = "Review it" } } });
        var taskId = theirs["tasks"]![1]!.Str("id");

        var marked = await (await customer.PostAsync($"initiatives/{theirs.Id()}/task-updates", new { taskId, done = true })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(marked["tasks"]![1]!["done"]!.GetValue<bool>());
        Assert.False(marked["tasks"]![0]!["done"]!.GetValue<bool>());
        Assert.True((await s.Csm.GetJsonAsync($"initiatives/{theirs.Id()}"))["tasks"]![1]!["done"]!.GetValue<bool>());

        // The team's own initiative is not the customer's to tick; a task of another initiative is not one of these.
        var teamTask = (await s.Csm.GetJsonAsync($"initiatives/{s.InitiativeId}"))["tasks"]![0]!.Str("id");
        await (await customer.PostAsync($"initiatives/{s.InitiativeId}/task-updates", new { taskId = teamTask, done = true })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.PostAsync($"initiatives/{theirs.Id()}/task-updates", new { taskId = teamTask, done = true })).ExpectFieldErrorAsync("taskId");
        await (await customer.PostAsync($"initiatives/{theirs.Id()}/task-updates", new { taskId })).ExpectFieldErrorAsync("done");
        (await s.Csm.PostAsync($"initiatives/{s.InitiativeId}/task-updates", new { taskId = teamTask, done = true })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Through_the_api_a_customer_sees_no_role_classifications_or_coaching()
    {
        var s = await Scenario.CreateAsync(App);
        for (var i = 0; i < 3; i++)
        {
            await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = $"Do better {i}" });
        }

        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        Assert.NotEmpty((await s.Csm.GetJsonAsync($"plans/{s.PlanId}"))["warnings"]!.AsArray());
        var plan = await customer.GetJsonAsync($"plans/{s.PlanId}");
        Assert.Empty(plan["warnings"]!.AsArray());
        Assert.All(plan["objectives"]!.AsArray(), o => Assert.Empty(o!["smart"]!["findings"]!.AsArray()));
        Assert.NotEmpty((await s.Csm.GetJsonAsync($"stakeholders/{s.StakeholderId}")).Str("role"));
        Assert.Null((await customer.GetJsonAsync($"stakeholders/{s.StakeholderId}"))["role"]);
        Assert.All((await customer.GetJsonAsync($"accounts/{s.AccountId}/stakeholders"))["items"]!.AsArray(), x => Assert.Null(x!["role"]));
    }

    [Fact]
    public async Task Portal_pages_show_nothing_to_anyone_but_the_accounts_own_customers()
    {
        var (s, _) = await SharedScenarioAsync();
        var other = await Scenario.CreateAsync(App);
        var customerOfOther = await App.CustomerBrowserAsync(other);
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager, password: "correct horse battery staple");
        var vendor = App.Browser(new CookieContainer());
        await VerityApp.PostSignInAsync(vendor, outsider.Email!, "correct horse battery staple");

        var anonymous = App.CreateClient(new() { AllowAutoRedirect = false });
        var redirected = await anonymous.GetAsync($"/portal/plans/{s.PlanId}", Aborted);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.StartsWith("/portal/signin", redirected.Headers.Location!.OriginalString);

        foreach (var (who, browser) in new[] { ("customer of another account", customerOfOther), ("vendor not on the team", vendor) })
        {
            var response = await browser.GetAsync($"/portal/plans/{s.PlanId}", Aborted);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{who} got {(int)response.StatusCode} for the portal plan page");
            Assert.DoesNotContain("Mutual Success Plan", await response.Content.ReadAsStringAsync(Aborted));
        }

        // A draft is not in the portal even for the account's own customer.
        var draft = await s.Csm.CreateAsync("plans", new { accountId = s.AccountId, title = "Draft for later" });
        var own = await App.CustomerBrowserAsync(s);
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"/portal/plans/{draft.Id()}", Aborted)).StatusCode);
        Assert.DoesNotContain("Draft for later", await own.GetStringAsync("/portal", Aborted));
    }

    [Fact]
    public async Task The_mail_log_shows_admins_what_was_sent()
    {
        var smtp = Smtp;
        var (s, email) = await SharedScenarioAsync();
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });
        await smtp.WaitForAsync(email);
        var admin = await App.SignInAsync(UserRole.Admin);
        JsonNode? logged = null;
        for (var attempt = 0; attempt < 50 && logged?["status"]?.GetValue<string>() != "sent"; attempt++)
        {
            logged = (await admin.GetJsonAsync($"mail?to={Uri.EscapeDataString(email)}"))["items"]!.AsArray().SingleOrDefault();
            await Task.Delay(100, Aborted);
        }

        Assert.Equal("sent", logged!.Str("status"));
        Assert.Equal("portalInvitation", logged.Str("kind"));
        Assert.Null(logged!["htmlBody"]);
        await (await s.Csm.GetAsync("mail")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.GetAsync("mail?status=lost")).ExpectFieldErrorAsync("status");
    }

    /// <summary>The standard scenario with its plan shared, an internal marker planted in every internal field, and an address of its own.</summary>
    private async Task<(Scenario Scenario, string Email)> SharedScenarioAsync()
    {
        var s = await Scenario.CreateAsync(App);
        var email = $"priya-{Ids.New()[^10..]}@acme.example";
        (await s.Csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email })).EnsureSuccessStatusCode();
        (await s.Csm.PatchAsync($"plans/{s.PlanId}", new
        {
            status = "sharedWithCustomer",
            sections = new Dictionary<string, object> { ["whatWeHeard"] = new
            {
                content = "Releases are **slow**. <script>alert(1)</script> See [the runbook](https://example.com/runbook), not [this](javascript:alert(1)).\n\n"
                    + "| Measure | Today |\n|---|---|\n| Weekly releases | 2 |",
            },
            },
        })).EnsureSuccessStatusCode();
        await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/activities", new { type = "note", summary = $"{Marker} escalation path", visibility = "internal" });
        (await s.Csm.PatchAsync($"opportunities/{s.OpportunityId}", new { name = $"{Marker} deal" })).EnsureSuccessStatusCode();
        return (s, email);
    }

    private static Task<HttpResponseMessage> ContinueAsync(HttpClient browser, string link, string page) =>
        browser.PostAsync(link, Form(page, "portal-link"), Aborted);

    private static FormUrlEncodedContent Form(string page, string handler, params (string Name, string Value)[] fields) =>
        new(new Dictionary<string, string>
        {
            ["_handler"] = handler,
            ["__RequestVerificationToken"] = VerityApp.AntiforgeryToken(page),
        }.Concat(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    private static string LinkIn(MimeMessage mail) =>
        new Uri(PortalLink().Match(mail.HtmlBody ?? "").Value is { Length: > 0 } url ? url : throw new InvalidOperationException("No portal link in the mail.")).PathAndQuery;

    [GeneratedRegex("https?://[^\"\\s)]+/portal/links/[0-9a-f]{64}")]
    private static partial Regex PortalLink();
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqlitePortalTests(SqliteApp app) : PortalTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresPortalTests(PostgresApp app) : PortalTests(app);
