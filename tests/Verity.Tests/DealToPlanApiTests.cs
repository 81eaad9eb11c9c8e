using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Which deals need a plan, exceptions, the close plan and its conversion, the lifecycle and the handoff.</summary>
public abstract class DealToPlanApiTests(VerityApp app) : ApiTests(app)
{
    [Theory]
    [InlineData(299_999.99, "technicalEvaluation", "new", false)]
    [InlineData(300_000, "technicalEvaluation", "new", true)]
    [InlineData(300_000, "scoping", "growth", false)]
    [InlineData(300_000, "negotiating", "renewal", false)]
    [InlineData(900_000, "closedLost", "new", false)]
    public async Task Opportunities_say_whether_they_need_a_plan_at_the_threshold_edges(double arr, string stage, string type, bool required)
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var account = await manager.CreateAsync("accounts", new { name = "Edge", isFocusAccount = false });
        var deal = await manager.CreateAsync("opportunities", new { accountId = account.Id(), name = "Deal", type, stage, netArr = arr });
        Assert.Equal(required, deal["cspRequired"]!.GetValue<bool>());
        Assert.Equal(required ? "missing" : "notRequired", deal.Str("cspStatus"));
        Assert.Equal(required, deal["cspReasons"]!.AsArray().Count == 1 && type != "renewal");
    }

    [Theory]
    [InlineData(29_999, false)]
    [InlineData(30_000, true)]
    public async Task Focus_accounts_need_a_plan_from_30k(double arr, bool required)
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var account = await manager.CreateAsync("accounts", new { name = "Focus", isFocusAccount = true });
        var deal = await manager.CreateAsync("opportunities", new { accountId = account.Id(), name = "Deal", type = "renewal", netArr = arr });
        Assert.Equal(required, deal["cspRequired"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_plan_reviewed_with_the_customer_makes_the_deal_compliant_and_customer_accepted()
    {
        var s = await Scenario.CreateAsync(App);
        var deal = await s.Csm.GetJsonAsync($"opportunities/{s.OpportunityId}");
        Assert.Equal(("inProgress", false), (deal.Str("cspStatus"), deal["customerAccepted"]!.GetValue<bool>()));

        await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" });
        deal = await s.Csm.GetJsonAsync($"opportunities/{s.OpportunityId}");
        Assert.Equal(("compliant", true), (deal.Str("cspStatus"), deal["customerAccepted"]!.GetValue<bool>()));

        await (await s.Csm.PatchAsync($"opportunities/{s.OpportunityId}", new { customerAccepted = true })).ExpectFieldErrorAsync("customerAccepted");
        await (await s.Csm.PatchAsync($"opportunities/{s.OpportunityId}", new { cspStatus = "compliant" })).ExpectFieldErrorAsync("cspStatus");
    }

    [Fact]
    public async Task The_compliance_report_lists_what_needs_a_plan_and_lacks_one()
    {
        var s = await Scenario.CreateAsync(App);
        var missing = await s.Manager.CreateAsync("opportunities",
            new { accountId = s.AccountId, name = "No plan yet", type = "new", stage = "proposal", netArr = 750_000 });
        var fine = await s.Manager.CreateAsync("opportunities", new { accountId = s.AccountId, name = "Small", type = "new", netArr = 1_000 });

        var report = await s.Csm.GetJsonAsync($"compliance/csp?ownerId={s.Csm.UserId}");
        var ids = Scenario.ItemIds(report).ToList();
        Assert.Contains(missing.Id(), ids);
        Assert.Contains(s.OpportunityId, ids);
        Assert.DoesNotContain(fine.Id(), ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(1, report["missing"]!.GetValue<int>());
        Assert.Equal(1, report["inProgress"]!.GetValue<int>());
        var row = report["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == missing.Id())!;
        Assert.Equal("missing", row["cspStatus"]!.GetValue<string>());
        Assert.NotEmpty(row["cspReasons"]!.AsArray());
        Assert.Contains("No success plan", row["cspGaps"]![0]!.GetValue<string>());

        // Paged like every list, with the totals of every page on each.
        var first = await s.Csm.GetJsonAsync($"compliance/csp?ownerId={s.Csm.UserId}&limit=1");
        var second = await s.Csm.GetJsonAsync($"compliance/csp?ownerId={s.Csm.UserId}&limit=1&cursor={first["nextCursor"]!.GetValue<string>()}");
        Assert.Equal(ids, Scenario.ItemIds(first).Concat(Scenario.ItemIds(second)));
        Assert.Null(second["nextCursor"]);
        Assert.Equal(1, second["missing"]!.GetValue<int>());
        Assert.Equal(1, second["inProgress"]!.GetValue<int>());

        var onlyMissing = Scenario.ItemIds(await s.Csm.GetJsonAsync($"compliance/csp?ownerId={s.Csm.UserId}&status=missing")).ToList();
        Assert.DoesNotContain(s.OpportunityId, onlyMissing);
        var byStage = Scenario.ItemIds(await s.Csm.GetJsonAsync($"compliance/csp?ownerId={s.Csm.UserId}&stage=technicalEvaluation")).ToList();
        Assert.Equal([s.OpportunityId], byStage);

        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        Assert.DoesNotContain(missing.Id(), Scenario.ItemIds(await outsider.GetJsonAsync("compliance/csp")));
        await (await s.Csm.GetAsync("compliance/csp?status=compliant")).ExpectFieldErrorAsync("status");
    }

    [Fact]
    public async Task The_compliance_totals_follow_each_change_at_once()
    {
        // Totals over the whole book are kept until the book changes: each change below must show on the next read.
        var s = await Scenario.CreateAsync(App);
        async Task<(int Missing, int InProgress)> TotalsAsync()
        {
            var report = await s.Manager.GetJsonAsync("compliance/csp?limit=1");
            return (report["missing"]!.GetValue<int>(), report["inProgress"]!.GetValue<int>());
        }

        var before = await TotalsAsync();
        var deal = await s.Manager.CreateAsync("opportunities",
            new { accountId = s.AccountId, name = "Counted at once", type = "new", stage = "proposal", netArr = 750_000 });
        Assert.Equal((before.Missing + 1, before.InProgress), await TotalsAsync());

        await s.Manager.PatchAsync($"opportunities/{deal.Id()}", new { successPlanId = s.PlanId });
        Assert.Equal((before.Missing, before.InProgress + 1), await TotalsAsync());

        // Sharing the plan makes both of its deals compliant.
        await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" });
        Assert.Equal((before.Missing, before.InProgress - 1), await TotalsAsync());
        Assert.DoesNotContain(deal.Id(), Scenario.ItemIds(await s.Manager.GetJsonAsync("compliance/csp?limit=200")));
    }

    [Theory]
    [InlineData(UserRole.Director, true)]
    [InlineData(UserRole.Admin, true)]
    [InlineData(UserRole.Manager, false)]
    [InlineData(UserRole.AccountExecutive, false)]
    [InlineData(UserRole.SolutionsArchitect, false)]
    [InlineData(UserRole.CustomerSuccessManager, false)]
    [InlineData(UserRole.ImplementationEngineer, false)]
    public async Task Only_directors_and_admins_grant_plan_exceptions(UserRole role, bool allowed)
    {
        var s = await Scenario.CreateAsync(App);
        var user = await App.SignInAsync(role);
        if (role is not (UserRole.Director or UserRole.Admin or UserRole.Manager))
        {
            await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
            {
                new { userId = s.Csm.UserId, role = "customerSuccessManager" },
                new { userId = user.UserId, role = TeamRoleFor(role) },
            });
        }

        var response = await user.PostAsync($"opportunities/{s.OpportunityId}/csp-exception", new { justification = "Customer declined a plan after three attempts." });
        if (!allowed)
        {
            await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.Equal("inProgress", (await s.Csm.GetJsonAsync($"opportunities/{s.OpportunityId}")).Str("cspStatus"));
            return;
        }

        var excepted = await response.ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("exception", excepted.Str("cspStatus"));
        Assert.Equal(user.UserId, excepted["cspException"].Str("approvedBy"));
        Assert.DoesNotContain(s.OpportunityId, Scenario.ItemIds(await s.Manager.GetJsonAsync("compliance/csp")));

        var history = (await s.Manager.GetJsonAsync($"audit?entityId={s.OpportunityId}"))["items"]!.AsArray();
        Assert.Contains(history, h => h!["changes"]!.AsArray().Any(c => c.Str("field") == "cspExceptionJustification"));

        var withdrawn = await (await user.DeleteAsync($"opportunities/{s.OpportunityId}/csp-exception")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("inProgress", withdrawn.Str("cspStatus"));
        Assert.Null(withdrawn["cspException"]);
    }

    [Fact]
    public async Task An_exception_needs_a_justification()
    {
        var s = await Scenario.CreateAsync(App);
        var director = await App.SignInAsync(UserRole.Director);
        await (await director.PostAsync($"opportunities/{s.OpportunityId}/csp-exception", new { justification = "  " })).ExpectFieldErrorAsync("justification");
        await (await director.PostAsync("opportunities/nope/csp-exception", new { justification = "x" })).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_managers_require_a_plan_beyond_the_rules()
    {
        var s = await Scenario.CreateAsync(App);
        var small = await s.Csm.CreateAsync("opportunities", new { accountId = s.AccountId, name = "Small", type = "new", netArr = 10 });
        Assert.False(small["cspRequired"]!.GetValue<bool>());
        await (await s.Csm.PatchAsync($"opportunities/{small.Id()}", new { cspRequiredByManager = true })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var required = await (await s.Manager.PatchAsync($"opportunities/{small.Id()}", new { cspRequiredByManager = true })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(required["cspRequired"]!.GetValue<bool>());
        Assert.Contains("manager", required["cspReasons"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_close_plan_converts_into_the_customer_plan_without_any_internal_note()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var sa = await App.SignInAsync(UserRole.SolutionsArchitect);
        var account = await manager.CreateAsync("accounts", new { name = "Convertible", segment = "midMarket" });
        await manager.PutAsync($"accounts/{account.Id()}/team", new[] { new { userId = sa.UserId, role = "solutionsArchitect" } });
        var deal = await sa.CreateAsync("opportunities", new { accountId = account.Id(), name = "Land", type = "new", stage = "technicalEvaluation", netArr = 400_000 });

        var empty = await sa.GetJsonAsync($"opportunities/{deal.Id()}/close-plan");
        Assert.Equal(15, empty["elements"]!.AsObject().Count);
        await (await sa.PostAsync($"opportunities/{deal.Id()}/close-plan/convert", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);

        var marker = "INTERNAL-" + Ids.New();
        var elements = new Dictionary<string, object>();
        foreach (var key in new[] { "companyBackground", "whatWeHeard", "keyStakeholders", "businessOutcomes", "workflows", "useCasesRisks",
            "activities", "technicalEvaluation", "valueOutcomeMap", "economicsPricing" })
        {
            elements[key] = new { content = $"About {key}", internalNotes = $"{marker} champion is nervous about {key}" };
        }

        var saved = await (await sa.PutAsync($"opportunities/{deal.Id()}/close-plan", new { elements })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Contains(marker, saved["elements"]!["whatWeHeard"].Str("internalNotes"));
        await (await sa.PutAsync($"opportunities/{deal.Id()}/close-plan", new { elements = new Dictionary<string, object> { ["slides"] = new { content = "x" } } }))
            .ExpectFieldErrorAsync("elements.slides");

        var convert = await sa.PostAsync($"opportunities/{deal.Id()}/close-plan/convert", new { });
        var plan = await convert.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/plans/{plan.Id()}", convert.Headers.Location?.ToString());
        Assert.Equal("commercial", plan.Str("template"));
        Assert.Equal(["companyBackground", "whatWeHeard", "keyStakeholders", "businessOutcomes", "workflows", "useCasesRisks", "activities", "valueOutcomeMap"],
            plan["sections"]!.AsObject().Select(p => p.Key));
        Assert.Equal(plan.Id(), (await sa.GetJsonAsync($"opportunities/{deal.Id()}")).Str("successPlanId"));

        foreach (var path in new[] { $"plans/{plan.Id()}", $"plans?accountId={account.Id()}", $"plans/{plan.Id()}/objectives", $"audit?entityId={plan.Id()}" })
        {
            var body = await (await sa.GetAsync(path)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain(marker, body);
        }

        var again = await (await sa.PostAsync($"opportunities/{deal.Id()}/close-plan/convert", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(plan.Id(), again.Str("detail"));

        var customer = await App.SignInAsync(UserRole.Customer, account.Id());
        await (await customer.GetAsync($"opportunities/{deal.Id()}/close-plan")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_catalogue_serves_the_fifteen_elements_with_their_artifacts()
    {
        var user = await App.SignInAsync(UserRole.SolutionsArchitect);
        var catalog = await (await user.GetAsync("catalog/content-elements")).ExpectArrayAsync(HttpStatusCode.OK);
        Assert.Equal(15, catalog.Count);
        Assert.Equal("economicsPricing", catalog[9].Str("key"));
        Assert.Equal(["proposal"], catalog[9]!["artifacts"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task The_lifecycle_shows_derived_and_checked_steps_and_who_acts_next()
    {
        var s = await Scenario.CreateAsync(App);
        var lifecycle = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/lifecycle");
        var steps = lifecycle["steps"]!.AsArray();
        Assert.Equal(22, steps.Count);
        Assert.True(Step(steps, 1)["done"]!.GetValue<bool>());
        Assert.True(Step(steps, 2)["done"]!.GetValue<bool>());
        Assert.False(Step(steps, 3)["done"]!.GetValue<bool>());
        Assert.True(Step(steps, 18)["done"]!.GetValue<bool>());
        Assert.Equal(3, lifecycle["nextStep"]!.GetValue<int>());
        Assert.Equal("accountExecutive", lifecycle.Str("nextResponsibleRole"));

        Assert.False(Step(steps, 15)["done"]!.GetValue<bool>());
        await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "customerAccepted" });
        Assert.True(Step((await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/lifecycle"))["steps"]!.AsArray(), 15)["done"]!.GetValue<bool>());

        var checkedOff = await (await s.Csm.PutAsync($"accounts/{s.AccountId}/lifecycle/6", new { done = true })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("manual", s.Csm.UserId), (Step(checkedOff["steps"]!.AsArray(), 6).Str("source"), Step(checkedOff["steps"]!.AsArray(), 6).Str("checkedBy")));
        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/lifecycle/1", new { done = false })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/lifecycle/23", new { done = true })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/lifecycle/6", new { })).ExpectFieldErrorAsync("done");
    }

    [Fact]
    public async Task A_plan_is_handed_to_the_csm_only_when_ready_or_forced_with_a_reason()
    {
        var s = await Scenario.CreateAsync(App);
        var sa = await App.SignInAsync(UserRole.SolutionsArchitect);
        await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = sa.UserId, role = "solutionsArchitect" },
        });
        var plan = await sa.CreateAsync("plans", new { accountId = s.AccountId, title = "SA plan" });
        await sa.CreateAsync($"plans/{plan.Id()}/objectives", new { title = "Cut lead time from 12 to 3 days", ownerId = (string?)null });

        await (await sa.PostAsync($"plans/{plan.Id()}/handoff", new { toUserId = sa.UserId })).ExpectFieldErrorAsync("toUserId");
        var refused = await (await sa.PostAsync($"plans/{plan.Id()}/handoff", new { toUserId = s.Csm.UserId })).ExpectProblemAsync(HttpStatusCode.Conflict);
        // The plan starts with its template's journey skeleton, owned by nobody yet.
        Assert.Contains("30/60/90-day milestones without an owner on either side", refused.Str("detail"));
        Assert.Equal(sa.UserId, (await sa.GetJsonAsync($"plans/{plan.Id()}")).Str("ownerId"));
        await (await sa.PostAsync($"plans/{plan.Id()}/handoff", new { toUserId = s.Csm.UserId, force = true })).ExpectFieldErrorAsync("reason");

        // Text that names the horizons is not a journey; milestones with owners are.
        await sa.PatchAsync($"plans/{plan.Id()}", new { sections = new Dictionary<string, object> { ["milestones"] = new { content = "30 days: pilot; 60 days: 10 teams; 90 days: all teams" } } });
        foreach (var m in (await sa.GetJsonAsync($"plans/{plan.Id()}/milestones"))["items"]!.AsArray())
        {
            (await sa.DeleteAsync($"milestones/{m!.Str("id")}")).EnsureSuccessStatusCode();
        }

        Assert.Contains("missing: 30 days, 60 days, 90 days",
            (await (await sa.PostAsync($"plans/{plan.Id()}/handoff", new { toUserId = s.Csm.UserId })).ExpectProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        await sa.CreateAsync($"plans/{plan.Id()}/milestones", new { title = "Pilot team live", horizon = "days30", ownerId = sa.UserId });
        await sa.CreateAsync($"plans/{plan.Id()}/milestones", new { title = "Ten teams onboarded", horizon = "days60", ownerStakeholderId = s.StakeholderId });
        var unowned = await sa.CreateAsync($"plans/{plan.Id()}/milestones", new { title = "All teams on pipelines", horizon = "days90" });
        Assert.Contains("without an owner on either side: \"All teams on pipelines\"",
            (await (await sa.PostAsync($"plans/{plan.Id()}/handoff", new { toUserId = s.Csm.UserId })).ExpectProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        (await sa.PatchAsync($"milestones/{unowned.Id()}", new { ownerId = s.Csm.UserId })).EnsureSuccessStatusCode();
        var handed = await (await sa.PostAsync($"plans/{plan.Id()}/handoff", new { toUserId = s.Csm.UserId })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(s.Csm.UserId, handed.Str("ownerId"));
        var timeline = (await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/activities?type=statusChange"))["items"]!.AsArray();
        Assert.Contains(timeline, a => a.Str("summary").StartsWith("Plan handed over from", StringComparison.Ordinal));

        await (await sa.PostAsync($"plans/{plan.Id()}/handoff", new { toUserId = s.Csm.UserId })).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    private static JsonNode Step(JsonArray steps, int sequence) => steps.Single(s => s!["sequence"]!.GetValue<int>() == sequence)!;

    private static string TeamRoleFor(UserRole role) => role switch
    {
        UserRole.AccountExecutive => "accountExecutive",
        UserRole.SolutionsArchitect => "solutionsArchitect",
        UserRole.ImplementationEngineer => "implementationEngineer",
        _ => "customerSuccessManager",
    };
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteDealToPlanApiTests(SqliteApp app) : DealToPlanApiTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresDealToPlanApiTests(PostgresApp app) : DealToPlanApiTests(app);
