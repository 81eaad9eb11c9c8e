using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Quartz;
using Verity.Domain.Common;
using Verity.Features.Notifications;
using Verity.Jobs;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Plans that keep themselves alive: the weekly triage on a clock the test moves, the owners' digest and the
/// customers' monthly report through the real SMTP server, and the schedule that runs them once per period.
/// </summary>
public abstract partial class AutomationTests(VerityApp app, MovableClock clock) : ApiTests(app)
{
    private static CancellationToken Aborted => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Triage_rules_open_on_the_day_their_condition_starts_and_resolve_when_it_clears()
    {
        clock.Set(new DateOnly(2026, 11, 23));
        var s = await Scenario.CreateAsync(App);

        // Written and touched today, measured in June (before it was written), its initiative due 2026-12-15.
        await RunAsync(s);
        var first = await FindingsAsync(s);
        Assert.DoesNotContain("staleMeasurement", first.Keys);
        Assert.DoesNotContain("overdueInitiative", first.Keys);
        Assert.DoesNotContain("noRecentActivity", first.Keys);

        // A second run the same week opens nothing new.
        var again = await RunAsync(s);
        Assert.Equal(0, again["opened"]!.GetValue<int>());
        Assert.Equal(first.Values.Select(f => f.Str("id")).Order(), (await FindingsAsync(s)).Values.Select(f => f.Str("id")).Order());

        clock.Set(new DateOnly(2026, 12, 15));
        await RunAsync(s);
        Assert.DoesNotContain("overdueInitiative", (await FindingsAsync(s)).Keys);

        clock.Set(new DateOnly(2026, 12, 16));
        await RunAsync(s);
        var overdue = (await FindingsAsync(s))["overdueInitiative"];
        Assert.Equal("open", overdue.Str("status"));
        Assert.StartsWith("2026-12-16", overdue.Str("firstSeenAt"));
        Assert.Contains("Pipeline templates", overdue.Str("message"));

        // Thirty days after the last call on its timeline, and after it was written with no measurement since.
        clock.Set(new DateOnly(2026, 12, 22));
        await RunAsync(s);
        Assert.DoesNotContain("noRecentActivity", (await FindingsAsync(s)).Keys);
        Assert.DoesNotContain("staleMeasurement", (await FindingsAsync(s)).Keys);
        clock.Set(new DateOnly(2026, 12, 23));
        await RunAsync(s);
        Assert.Equal("open", (await FindingsAsync(s))["noRecentActivity"].Str("status"));
        Assert.Equal("open", (await FindingsAsync(s))["staleMeasurement"].Str("status"));

        // Clearing the conditions resolves the findings on the next run.
        (await s.Csm.PatchAsync($"initiatives/{s.InitiativeId}", new { status = "done" })).EnsureSuccessStatusCode();
        await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/activities", new { type = "cadenceCall", summary = "Pipeline templates live in all teams." });
        await RunAsync(s);
        var cleared = await FindingsAsync(s);
        Assert.Equal("resolved", cleared["overdueInitiative"].Str("status"));
        Assert.Equal("resolved", cleared["noRecentActivity"].Str("status"));
        Assert.StartsWith("2026-12-23", cleared["overdueInitiative"].Str("resolvedAt"));

        // A dismissed finding stays quiet while its facts stand, and resolves when they clear.
        var stale = cleared["staleMeasurement"].Str("id");
        var dismissed = await s.Csm.PostAsync($"findings/{stale}/dismiss", new { reason = "The customer's analytics export is frozen until January." });
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        await RunAsync(s);
        Assert.Equal("dismissed", (await FindingsAsync(s))["staleMeasurement"].Str("status"));
        var openList = await s.Csm.GetJsonAsync($"findings?accountId={s.AccountId}&status=open");
        Assert.DoesNotContain(openList["items"]!.AsArray(), f => f!.Str("id") == stale);
        await s.Csm.CreateAsync($"metrics/{s.MetricId}/measurements", new { value = 9, at = "2026-12-22", source = "pipeline analytics" });
        await RunAsync(s);
        Assert.Equal("resolved", (await FindingsAsync(s))["staleMeasurement"].Str("status"));

        // Each run that changed the objective's findings left one internal line on its timeline.
        var timeline = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}/activities?type=triage");
        var lines = timeline["items"]!.AsArray().Select(a => a!).ToList();
        Assert.InRange(lines.Count, 4, 6);
        Assert.All(lines, a => Assert.Equal("internal", a.Str("visibility")));
        Assert.Contains(lines, a => a.Str("summary").Contains("resolved: overdue initiative", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slipped_milestone_is_a_finding_on_the_objective_it_serves_and_in_the_owners_week()
    {
        clock.Set(new DateOnly(2026, 11, 23));
        var s = await Scenario.CreateAsync(App);
        var second = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Onboard ten teams", kind = "qualitative", priority = 2 });
        var served = await s.Csm.CreateAsync($"plans/{s.PlanId}/milestones",
            new { title = "Pilot team live", horizon = "days30", dueDate = "2026-12-01", objectiveId = s.ObjectiveId, ownerStakeholderId = s.StakeholderId });
        await s.Csm.CreateAsync($"plans/{s.PlanId}/milestones", new { title = "Steering group named", horizon = "days30", dueDate = "2026-12-02" });
        await RunAsync(s);
        Assert.DoesNotContain("overdueMilestone", (await FindingsAsync(s)).Keys);

        // Past their dates: the served one lands on its objective, the unattached one on the plan's first objective.
        clock.Set(new DateOnly(2026, 12, 3));
        await RunAsync(s);
        var finding = (await FindingsAsync(s))["overdueMilestone"];
        Assert.Equal("open", finding.Str("status"));
        Assert.Contains("Pilot team live (due 2026-12-01)", finding.Str("message"));
        Assert.Contains("Steering group named (due 2026-12-02)", finding.Str("message"));
        var onSecond = (await s.Csm.GetAsync($"objectives/{second.Id()}/findings"));
        Assert.DoesNotContain("overdueMilestone", await onSecond.Content.ReadAsStringAsync(Aborted));

        // The plan's owner sees both in their week, once, under the journey — not again as findings.
        var week = (await s.Csm.GetJsonAsync("me/work"))["sections"]!.AsArray().ToDictionary(x => x!.Str("key"), x => x!["items"]!.AsArray());
        Assert.Equal(["Pilot team live — due 2026-12-01", "Steering group named — due 2026-12-02"], week["overdueMilestones"].Select(i => i!.Str("text")));
        Assert.All(week["overdueMilestones"], i => Assert.Equal($"/plans/{s.PlanId}#journey", i!.Str("url")));
        Assert.DoesNotContain(week["findings"], i => i!.Str("text").Contains("milestone", StringComparison.OrdinalIgnoreCase));

        // Done or missed, they stop counting: the finding resolves on the next run.
        (await s.Csm.PatchAsync($"milestones/{served.Id()}", new { status = "done" })).EnsureSuccessStatusCode();
        await RunAsync(s);
        var narrowed = (await FindingsAsync(s))["overdueMilestone"];
        Assert.DoesNotContain("Pilot team live", narrowed.Str("message"));
        foreach (var m in (await s.Csm.GetJsonAsync($"plans/{s.PlanId}/milestones"))["items"]!.AsArray())
        {
            (await s.Csm.PatchAsync($"milestones/{m!.Str("id")}", new { status = "missed" })).EnsureSuccessStatusCode();
        }

        await RunAsync(s);
        Assert.Equal("resolved", (await FindingsAsync(s))["overdueMilestone"].Str("status"));
    }

    [Fact]
    public async Task Findings_are_the_teams_own_and_only_the_owner_or_a_manager_dismisses_them()
    {
        clock.Set(new DateOnly(2026, 11, 23));
        var s = await Scenario.CreateAsync(App);
        clock.Set(new DateOnly(2026, 12, 23));
        await RunAsync(s);
        var finding = (await FindingsAsync(s))["staleMeasurement"].Str("id");

        var (customer, _) = await App.InviteCustomerAsync(s);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"objectives/{s.ObjectiveId}/findings")).StatusCode);
        Assert.Empty((await customer.GetJsonAsync("findings"))["items"]!.AsArray());

        var colleague = await App.SignInAsync(UserRole.SolutionsArchitect);
        (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = colleague.UserId, role = "solutionsArchitect" },
        })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.PostAsync($"findings/{finding}/dismiss", new { reason = "Not mine." })).StatusCode);

        var essay = await s.Csm.PostAsync($"findings/{finding}/dismiss", new { reason = new string('x', 2001) });
        Assert.Equal(HttpStatusCode.BadRequest, essay.StatusCode);
        Assert.Contains("2,000 characters", await essay.Content.ReadAsStringAsync(Aborted));

        var noReason = await s.Csm.PostAsync($"findings/{finding}/dismiss", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(Aborted));

        var badRule = await s.Csm.GetAsync("findings?rule=stale");
        Assert.Equal(HttpStatusCode.BadRequest, badRule.StatusCode);
        Assert.Contains("staleValidation", await badRule.Content.ReadAsStringAsync(Aborted));

        Assert.Equal(HttpStatusCode.Forbidden, (await s.Csm.PostAsync("triage/runs", new { })).StatusCode);
        var runs = await s.Csm.GetJsonAsync("triage/runs");
        Assert.NotEmpty(runs["items"]!.AsArray());
    }

    [Fact]
    public async Task Two_runs_never_overlap_and_a_duplicate_finding_heals_on_the_next_run()
    {
        clock.Set(new DateOnly(2026, 11, 23));
        var s = await Scenario.CreateAsync(App);
        await using (var db = App.SystemDb())
        {
            db.JobPeriods.Add(new JobPeriod { Key = Features.Triage.TriageRunner.Running, ClaimedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(Aborted);
        }

        var busy = await s.Manager.PostAsync("triage/runs", new { });
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains("in progress", await busy.Content.ReadAsStringAsync(Aborted));
        await using (var db = App.SystemDb())
        {
            await db.JobPeriods.Where(p => p.Key == Features.Triage.TriageRunner.Running).ExecuteDeleteAsync(Aborted);

            // Two writers at once once left two open findings of one rule on one objective.
            foreach (var at in new[] { clock.GetUtcNow().UtcDateTime.AddDays(-2), clock.GetUtcNow().UtcDateTime.AddDays(-1) })
            {
                db.Findings.Add(new Domain.Objectives.Finding
                {
                    AccountId = s.AccountId, PlanId = s.PlanId, ObjectiveId = s.ObjectiveId, OwnerId = s.Csm.UserId,
                    Rule = Domain.Objectives.TriageRule.CustomerSaysOutOfDate, Message = "Priya says the objective is out of date.",
                    FirstSeenAt = at, LastSeenAt = at,
                });
            }

            await db.SaveChangesAsync(Aborted);
        }

        await RunAsync(s);
        var all = await s.Csm.GetJsonAsync($"findings?accountId={s.AccountId}&rule=customerSaysOutOfDate&limit=10");
        Assert.Equal(["open", "resolved"], all["items"]!.AsArray().Select(f => f!.Str("status")).Order());
        await RunAsync(s);
    }

    [Fact]
    public async Task The_weekly_digest_tells_each_owner_what_needs_them_with_working_links_and_nothing_to_others()
    {
        clock.Set(new DateOnly(2026, 12, 16));
        var s = await Scenario.CreateAsync(App);
        (await s.Csm.PatchAsync($"accounts/{s.AccountId}", new { renewalDate = "2027-02-01", arr = 480000 })).EnsureSuccessStatusCode();
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "cadenceCall", title = "Template rollout", scheduledFor = "2026-12-19T15:00:00Z" });
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings", new { kind = "businessReview", scheduledFor = "2027-01-10T15:00:00Z" });
        await RunAsync(s);
        var quiet = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var optedOut = await Scenario.CreateAsync(App);
        (await optedOut.Csm.PatchAsync("me/notifications", new { weeklyDigest = false })).EnsureSuccessStatusCode();
        Assert.False((await optedOut.Csm.GetJsonAsync("me/notifications"))["weeklyDigest"]!.GetValue<bool>());
        await RunAsync(optedOut);

        await Digests().SendWeeklyAsync(Aborted);
        var mail = await Smtp.WaitForAsync(s.Csm.Email!, m => m.Subject?.StartsWith("Your week in Verity", StringComparison.Ordinal) == true);
        var html = mail.HtmlBody ?? "";
        var text = mail.TextBody ?? "";
        var account = (await s.Csm.GetJsonAsync($"accounts/{s.AccountId}")).Str("name");
        Assert.Contains(account, html);
        Assert.Contains("Findings from the weekly triage", html);
        Assert.Contains("Overdue initiatives", html);
        Assert.Contains("Pipeline templates — due 2026-12-15", text);
        Assert.Contains("An initiative is past its due date: Pipeline templates.", text);
        Assert.Contains("Renewals in the next 90 days", text);
        Assert.Contains("Renews 2027-02-01 — ARR 480,000", text);
        Assert.Contains("Meetings in the next 7 days", html);
        Assert.Contains("Cadence call: Template rollout — 2026-12-19 15:00 UTC", text);
        Assert.DoesNotContain("2027-01-10", text);

        // The same week, on the API: what needs the CSM, most urgent first.
        var week = await s.Csm.GetJsonAsync("me/work");
        var sections = week["sections"]!.AsArray().ToDictionary(x => x!.Str("key"), x => x!["items"]!.AsArray());
        Assert.Contains(sections["overdueInitiatives"], i => i!.Str("text") == "Pipeline templates — due 2026-12-15" && i.Str("url") == $"/objectives/{s.ObjectiveId}");
        Assert.Contains(sections["renewals"], i => i!.Str("due") == "2027-02-01" && i.Str("account") == account);
        Assert.Empty((await quiet.GetJsonAsync("me/work"))["sections"]!.AsArray().SelectMany(x => x!["items"]!.AsArray()));

        // Every line opens its page for the owner's team.
        var browser = await App.TeamBrowserAsync(s);
        var links = Links(html).Where(l => !l.EndsWith("/me/notifications", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            var response = await browser.GetAsync(new Uri(link).PathAndQuery, Aborted);
            Assert.True(response.IsSuccessStatusCode, $"{link} → {(int)response.StatusCode}");
        }

        Assert.Empty(Smtp.Received(quiet.Email!));
        Assert.DoesNotContain(Smtp.Received(optedOut.Csm.Email!), m => m.Subject?.StartsWith("Your week", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_long_week_lists_the_most_urgent_of_each_section_and_counts_the_rest_on_the_api_the_page_and_the_mail()
    {
        clock.Set(new DateOnly(2026, 12, 16));
        var s = await Scenario.CreateAsync(App);
        const string password = "a long week of rollouts";
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager, password: password);
        (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = csm.UserId, role = "customerSuccessManager" },
        })).EnsureSuccessStatusCode();

        // Thirty initiatives this CSM owns fell due in November, one a day.
        for (var day = 1; day <= 30; day++)
        {
            await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/initiatives", new { title = $"Rollout wave {day:00}", dueDate = $"2026-11-{day:00}", ownerId = csm.UserId });
        }

        var week = (await csm.GetJsonAsync("me/work"))["sections"]!.AsArray().ToDictionary(x => x!.Str("key"), x => x!);
        var overdue = week["overdueInitiatives"];
        Assert.Equal(30, overdue["total"]!.GetValue<int>());
        var items = overdue["items"]!.AsArray().Select(i => i!.Str("text")).ToList();
        Assert.Equal(MyWeekShown, items.Count);
        Assert.Equal("Rollout wave 01 — due 2026-11-01", items[0]);
        Assert.Equal("Rollout wave 25 — due 2026-11-25", items[^1]);
        Assert.Equal("/triage", week["findings"]["allUrl"]!.GetValue<string>());

        var browser = App.Browser(new System.Net.CookieContainer());
        await VerityApp.PostSignInAsync(browser, csm.Email!, password);
        var page = await browser.GetStringAsync("/", Aborted);
        Assert.Matches(@"Overdue initiatives\s*<span class=""muted"">\(30\)</span>", page);
        Assert.Contains("The 25 most urgent of 30.", page);
        Assert.Contains("Rollout wave 25", page);
        Assert.DoesNotContain("Rollout wave 26", page);

        await Digests().SendWeeklyAsync(Aborted);
        var mail = await Smtp.WaitForAsync(csm.Email!, m => m.Subject?.StartsWith("Your week in Verity", StringComparison.Ordinal) == true);
        Assert.StartsWith("Your week in Verity: 30 things need you", mail.Subject);
        Assert.Contains("Overdue initiatives (30)", mail.TextBody);
        Assert.Contains("The 25 most urgent of 30", mail.TextBody);
        Assert.DoesNotContain("Rollout wave 26", mail.TextBody);
    }

    [Fact]
    public async Task The_weeks_findings_come_oldest_first_then_by_account_then_by_rule_and_count_only_the_accounts_one_sees()
    {
        clock.Set(new DateOnly(2026, 12, 16));
        var suffix = Ids.New()[^8..];
        var zulu = await Scenario.CreateAsync(App, $"Zulu {suffix}");
        var alpha = await Scenario.CreateAsync(App, $"Alpha {suffix}");
        var hidden = await Scenario.CreateAsync(App, $"Aardvark {suffix}");
        var csm = zulu.Csm;
        (await alpha.Manager.PutAsync($"accounts/{alpha.AccountId}/team", new object[]
        {
            new { userId = alpha.Csm.UserId, role = "customerSuccessManager" },
            new { userId = csm.UserId, role = "customerSuccessManager" },
        })).EnsureSuccessStatusCode();

        // One triage's findings (the same first sighting), one older, and one on an account the CSM left the team of.
        var at = new DateTime(2026, 12, 14, 6, 0, 0, DateTimeKind.Utc);
        await using (var db = App.SystemDb())
        {
            void Add(Scenario s, Domain.Objectives.TriageRule rule, string message, DateTime seen) => db.Findings.Add(new Domain.Objectives.Finding
            {
                AccountId = s.AccountId, PlanId = s.PlanId, ObjectiveId = s.ObjectiveId, OwnerId = csm.UserId,
                Rule = rule, Message = message, FirstSeenAt = seen, LastSeenAt = seen,
            });
            Add(zulu, Domain.Objectives.TriageRule.NotSmart, "Zulu not smart.", at);
            Add(zulu, Domain.Objectives.TriageRule.StaleValidation, "Zulu stale validation.", at);
            Add(alpha, Domain.Objectives.TriageRule.PastTargetDate, "Alpha past target.", at);
            Add(alpha, Domain.Objectives.TriageRule.MissingMetric, "Alpha missing metric.", at);
            Add(zulu, Domain.Objectives.TriageRule.CustomerSaysOutOfDate, "Zulu out of date, said last week.", at.AddDays(-7));
            Add(hidden, Domain.Objectives.TriageRule.StaleValidation, "Nobody on this team any more.", at.AddDays(-30));
            await db.SaveChangesAsync(Aborted);
        }

        var findings = (await csm.GetJsonAsync("me/work"))["sections"]!.AsArray().Single(x => x!.Str("key") == "findings")!;
        var objective = "Increase deployment frequency from 2 to 10 per week";
        // Rules in the order the triage declares them (stale validation before "not SMART"), not alphabetically.
        Assert.Equal(
        [
            $"Zulu {suffix}|{objective}: Zulu out of date, said last week.",
            $"Alpha {suffix}|{objective}: Alpha missing metric.",
            $"Alpha {suffix}|{objective}: Alpha past target.",
            $"Zulu {suffix}|{objective}: Zulu stale validation.",
            $"Zulu {suffix}|{objective}: Zulu not smart.",
        ], findings["items"]!.AsArray().Select(i => $"{i!.Str("account")}|{i.Str("text")}"));
        Assert.Equal(5, findings["total"]!.GetValue<int>());
        Assert.Equal("2026-12-07", findings["items"]![0]!.Str("due"));
    }

    private const int MyWeekShown = Features.Work.MyWeek.Shown;

    [Fact]
    public async Task The_monthly_report_asks_the_customer_row_by_row_and_their_one_click_answers_reach_the_plan()
    {
        clock.Set(new DateOnly(2026, 12, 1));
        var s = await Scenario.CreateAsync(App);
        var email = $"priya-{Ids.New()[^10..]}@acme.example";
        (await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();
        var vendor = await s.Csm.CreateAsync($"accounts/{s.AccountId}/stakeholders", new { name = "Sam Vendor", side = "vendor", role = "customerSuccessManager", email = "sam@vendor.example" });
        var refused = await s.Csm.PatchAsync($"stakeholders/{vendor.Id()}", new { receivesMonthlyReport = true });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("receivesMonthlyReport", await refused.Content.ReadAsStringAsync(Aborted));
        (await s.Csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email, receivesMonthlyReport = true })).EnsureSuccessStatusCode();

        await Digests().SendMonthlyAsync(Aborted);
        var mail = await Smtp.WaitForAsync(email);
        Assert.Contains("Increase deployment frequency from 2 to 10 per week", mail.HtmlBody ?? "");
        Assert.Contains("Still accurate", mail.HtmlBody ?? "");
        Assert.Contains("Out of date", mail.HtmlBody ?? "");
        Assert.Equal(s.Csm.Email, ((MailboxAddress)mail.ReplyTo.Single()).Address);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var unsubscribe = UnsubscribeHeader().Match(mail.Headers["List-Unsubscribe"] ?? "").Groups[1].Value;

        // "Still accurate": opening the link changes nothing; confirming on the page stamps the objective in their name.
        var accurate = Links(mail.HtmlBody).Single(l => l.Contains("answer=accurate", StringComparison.Ordinal));
        var browser = App.Browser(new CookieContainer());
        var page = await browser.GetStringAsync(new Uri(accurate).PathAndQuery, Aborted);
        Assert.Contains("still says what you want", page);
        Assert.Null((await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}"))["lastValidatedAt"]?.GetValue<string>());
        var answered = await PostFormAsync(browser, accurate, page, new() { ["Input.Answer"] = "accurate" });
        Assert.Contains("Thank you", answered);
        var objective = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}");
        Assert.Equal("2026-12-01", objective.Str("lastValidatedAt"));
        Assert.Equal(s.StakeholderId, objective.Str("lastValidatedBy"));

        // A used link says so.
        var reused = await browser.GetAsync(new Uri(accurate).PathAndQuery, Aborted);
        Assert.Equal(HttpStatusCode.Gone, reused.StatusCode);
        Assert.Contains("already used", await reused.Content.ReadAsStringAsync(Aborted));

        // Next month: "out of date" opens a finding for the owner with the customer's words, and mails them.
        clock.Set(new DateOnly(2027, 1, 1));
        await Digests().SendMonthlyAsync(Aborted);
        var january = await Smtp.WaitForAsync(email, m => !Links(m.HtmlBody).Contains(accurate));
        var outOfDate = Links(january.HtmlBody).Single(l => l.Contains("answer=outOfDate", StringComparison.Ordinal));
        page = await browser.GetStringAsync(new Uri(outOfDate).PathAndQuery, Aborted);
        await PostFormAsync(browser, outOfDate, page, new() { ["Input.Answer"] = "outOfDate", ["Input.Note"] = "We now aim for 20 a week." });
        var finding = (await FindingsAsync(s))["customerSaysOutOfDate"];
        Assert.Equal("open", finding.Str("status"));
        Assert.Equal(s.Csm.UserId, finding.Str("ownerId"));
        Assert.Contains("We now aim for 20 a week.", finding.Str("message"));
        await Smtp.WaitForAsync(s.Csm.Email!, m => m.Subject?.Contains("is out of date", StringComparison.Ordinal) == true);

        // Re-validating the objective answers it.
        (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/validate", new { })).EnsureSuccessStatusCode();
        Assert.Equal("resolved", (await FindingsAsync(s))["customerSaysOutOfDate"].Str("status"));

        // A made-up address never says "Thank you".
        var madeUp = await browser.GetAsync("/portal/report/not-a-link-we-sent?recorded=accurate", Aborted);
        Assert.Equal(HttpStatusCode.Gone, madeUp.StatusCode);
        Assert.DoesNotContain("Thank you", await madeUp.Content.ReadAsStringAsync(Aborted));

        // A link not used in time says it expired.
        clock.Set(new DateOnly(2027, 2, 1));
        await Digests().SendMonthlyAsync(Aborted);
        var february = await Smtp.WaitForAsync(email, m => !Links(m.HtmlBody).Contains(accurate) && !Links(m.HtmlBody).Contains(outOfDate));
        // Once the plan is withdrawn from the customer, its links stop working.
        (await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "draft" })).EnsureSuccessStatusCode();
        var withdrawn = await browser.GetAsync(new Uri(Links(february.HtmlBody).First(l => l.Contains("/portal/report/", StringComparison.Ordinal))).PathAndQuery, Aborted);
        Assert.Equal(HttpStatusCode.Gone, withdrawn.StatusCode);
        Assert.Contains("no longer shared", await withdrawn.Content.ReadAsStringAsync(Aborted));
        (await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromDays(46));
        var expired = await browser.GetAsync(new Uri(Links(february.HtmlBody).First(l => l.Contains("/portal/report/", StringComparison.Ordinal))).PathAndQuery, Aborted);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(Aborted));

        // One POST from the mail client stops the report (RFC 8058), with no cookie and no page.
        var oneClick = await App.Anonymous().Http.PostAsync(new Uri(unsubscribe).PathAndQuery,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), Aborted);
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.False((await s.Csm.GetJsonAsync($"stakeholders/{s.StakeholderId}"))["receivesMonthlyReport"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_period_is_claimed_once_so_a_restart_or_a_second_node_never_repeats_a_run()
    {
        var key = $"test:{Ids.New()}";
        Assert.True(await Scheduling.TryClaimAsync(App.Services, key, DateTime.UtcNow, Aborted));
        Assert.False(await Scheduling.TryClaimAsync(App.Services, key, DateTime.UtcNow, Aborted));

        // A claim whose node died mid-run is taken over after two hours, once.
        Assert.True(await Scheduling.TryClaimAsync(App.Services, key, DateTime.UtcNow.AddHours(3), Aborted));
        Assert.False(await Scheduling.TryClaimAsync(App.Services, key, DateTime.UtcNow.AddHours(3), Aborted));
    }

    [Fact]
    public async Task The_schedule_fires_the_triage_on_monday_morning_and_a_second_firing_in_the_same_week_does_nothing()
    {
        clock.Set(new DateOnly(2026, 11, 25));
        var scheduler = await App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Aborted);
        var metadata = await scheduler.GetMetadata(Aborted);
        Assert.Equal(Postgres, metadata.JobStoreClustered);
        Assert.Equal(Postgres, metadata.JobStorePersistent);
        var trigger = await scheduler.GetTrigger(new TriggerKey(Scheduling.TriageJob), Aborted);
        var next = trigger!.GetFireTimeAfter(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero))!.Value;
        Assert.Equal((DayOfWeek.Monday, 6, 0), (next.UtcDateTime.DayOfWeek, next.UtcDateTime.Hour, next.UtcDateTime.Minute));

        var period = Scheduling.WeekKey(Scheduling.TriageJob, clock.GetUtcNow().UtcDateTime);
        Assert.Equal("triage:2026-W48", period);
        await scheduler.TriggerJob(new JobKey(Scheduling.TriageJob), null!, Aborted);
        await WaitForAsync(async db => await db.JobPeriods.AnyAsync(p => p.Key == period && p.CompletedAt != null, Aborted));
        await scheduler.TriggerJob(new JobKey(Scheduling.TriageJob), null!, Aborted);
        await Task.Delay(TimeSpan.FromSeconds(2), Aborted);
        await using var check = App.SystemDb();
        Assert.Equal(1, await check.TriageRuns.CountAsync(r => r.Period == period, Aborted));
    }

    protected abstract bool Postgres { get; }

    private Digests Digests() => App.Services.GetRequiredService<Digests>();

    private static async Task<JsonObject> RunAsync(Scenario s)
    {
        var response = await s.Manager.PostAsync("triage/runs", new { });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Aborted));
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Aborted))!;
    }

    /// <summary>The objective's findings by rule, the latest of each.</summary>
    private static async Task<Dictionary<string, JsonNode>> FindingsAsync(Scenario s)
    {
        var response = await s.Csm.GetAsync($"objectives/{s.ObjectiveId}/findings");
        response.EnsureSuccessStatusCode();
        var findings = (await response.Content.ReadFromJsonAsync<JsonArray>(Aborted))!;
        return findings.Select(f => f!).GroupBy(f => f.Str("rule")).ToDictionary(g => g.Key, g => g.OrderByDescending(f => f.Str("lastSeenAt")).First());
    }

    private async Task WaitForAsync(Func<Data.VerityDb, Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            await using var db = App.SystemDb();
            if (await condition(db))
            {
                return;
            }

            await Task.Delay(100, Aborted);
        }

        throw new TimeoutException("The scheduled job did not finish in time.");
    }

    private static async Task<string> PostFormAsync(HttpClient browser, string link, string page, Dictionary<string, string> fields)
    {
        fields["_handler"] = FormName().Match(page).Groups[1].Value;
        fields["__RequestVerificationToken"] = VerityApp.AntiforgeryToken(page);
        var response = await browser.PostAsync(new Uri(link).PathAndQuery, new FormUrlEncodedContent(fields), Aborted);
        Assert.True(response.IsSuccessStatusCode, $"POST {link} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Aborted)}");
        return await response.Content.ReadAsStringAsync(Aborted);
    }

    private static List<string> Links(string? html) =>
        [.. Href().Matches(html ?? "").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();

    [GeneratedRegex("<([^>]+)>")]
    private static partial Regex UnsubscribeHeader();

    [GeneratedRegex("name=\"_handler\" value=\"([^\"]+)\"")]
    private static partial Regex FormName();
}

public sealed class SqliteAutomationTests(SqliteClockApp app) : AutomationTests(app, app.Clock), IClassFixture<SqliteClockApp>
{
    protected override bool Postgres => false;
}

public sealed class PostgresAutomationTests(PostgresClockApp app) : AutomationTests(app, app.Clock), IClassFixture<PostgresClockApp>
{
    protected override bool Postgres => true;
}
