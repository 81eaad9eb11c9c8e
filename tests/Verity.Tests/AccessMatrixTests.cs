using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Every operation of the OpenAPI document × every kind of caller. The document drives it, so a new endpoint
/// cannot slip past: without a rule below this test fails until someone decides who may call it.
/// </summary>
public abstract class AccessMatrixTests(VerityApp app) : ApiTests(app)
{
    public enum Caller
    {
        Anonymous,
        BadToken,
        Customer,
        OtherAccountCustomer,
        Csm,
        OutsiderCsm,
        SolutionsArchitect,
        ImplementationEngineer,
        AccountExecutive,
        Manager,
        Director,
        Admin,
    }

    /// <summary>Whose the addressed record is, and so who may see it at all.</summary>
    public enum Reach
    {
        /// <summary>A record of the scenario's account (by path, or by the body's accountId): its team, leaders, its customers.</summary>
        Account,

        /// <summary>As <see cref="Account"/>, but vendor-side only: the account's customers get 403 or 404.</summary>
        VendorAccount,

        /// <summary>A list anyone signed in may read; it shows only what the caller may see.</summary>
        Listing,

        /// <summary>A vendor-side list: customers and outsiders find none of the scenario's records in it.</summary>
        VendorListing,

        /// <summary>No record behind it (the catalog, the SMART check, one's own tokens): anyone signed in.</summary>
        Anyone,

        /// <summary>Another user's personal access token: nobody, admins included, reaches it through /me.</summary>
        OthersToken,

        /// <summary>User administration: admins only, 403 for everyone else.</summary>
        AdminOnly,

        /// <summary>The team's own machinery with no account behind it (triage runs): vendors, 403 for customers.</summary>
        VendorOnly,
    }

    private static readonly Caller[] Vendors =
        [Caller.Csm, Caller.OutsiderCsm, Caller.SolutionsArchitect, Caller.ImplementationEngineer, Caller.AccountExecutive, Caller.Manager, Caller.Director, Caller.Admin];

    private static readonly Caller[] Leaders = [Caller.Manager, Caller.Director, Caller.Admin];

    private static readonly Caller[] Team = [Caller.Csm, Caller.SolutionsArchitect, Caller.ImplementationEngineer, Caller.AccountExecutive];

    /// <summary>Everyone who works the account: its team and those who see every account.</summary>
    private static readonly Caller[] TeamWriters = [.. Team, .. Leaders];

    /// <summary>Who is on the team decides who sees the account, so only its AE or CSM (or a leader) changes it.</summary>
    private static readonly Caller[] TeamChangers = [Caller.Csm, Caller.AccountExecutive, .. Leaders];

    /// <summary>The scenario's plan is owned by the CSM who wrote it.</summary>
    private static readonly Caller[] PlanOwners = [Caller.Csm, .. Leaders];

    private static readonly Caller[] AccountOpeners = [.. Vendors.Except([Caller.ImplementationEngineer])];

    private static readonly Caller[] SignedIn = [.. Vendors, Caller.Customer, Caller.OtherAccountCustomer];

    /// <summary>
    /// Who may call each operation. Writers: who may make the change once they can see the record. Body: a minimal
    /// valid body (null: the operation takes none, or — when it has a body schema — `{}` is sent and 400 expected).
    /// Also: statuses besides 2xx that still mean "allowed", where the record's state decides.
    /// </summary>
    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["GET /accounts"] = new(Reach.Listing),
        ["POST /accounts"] = new(Reach.Anyone, AccountOpeners, _ => new { name = "Matrix account " + Ids.New()[^6..] }),
        ["GET /accounts/{id}"] = new(Reach.Account),
        ["PATCH /accounts/{id}"] = new(Reach.Account, TeamWriters, _ => new { background = "Rolled out to two teams." }),
        ["DELETE /accounts/{id}"] = new(Reach.Account, TeamWriters),
        ["GET /accounts/{id}/team"] = new(Reach.Account),
        ["PUT /accounts/{id}/team"] = new(Reach.Account, TeamChangers, w => w.Team),
        ["GET /accounts/{accountId}/stakeholders"] = new(Reach.Account),
        ["POST /accounts/{accountId}/stakeholders"] = new(Reach.Account, TeamWriters,
            _ => new { name = "Lee Chen", side = "customer", role = "processOwner", email = "lee@acme.example" }),
        ["GET /stakeholders/{id}"] = new(Reach.Account),
        ["PATCH /stakeholders/{id}"] = new(Reach.Account, TeamWriters, _ => new { title = "CTO" }),
        ["DELETE /stakeholders/{id}"] = new(Reach.Account, TeamWriters, Also: [409]),
        ["GET /opportunities"] = new(Reach.VendorListing),
        ["POST /opportunities"] = new(Reach.VendorAccount, TeamWriters,
            w => new { accountId = w.S.AccountId, name = "Matrix renewal", type = "renewal", stage = "discovery", netArr = 1000 }),
        ["GET /opportunities/{id}"] = new(Reach.VendorAccount),
        ["PATCH /opportunities/{id}"] = new(Reach.VendorAccount, TeamWriters, _ => new { name = "Acme expansion, phase 2" }),
        ["POST /opportunities/{id}/csp-exception"] = new(Reach.VendorAccount, [Caller.Director, Caller.Admin],
            _ => new { justification = "Pilot agreed with the executive sponsor." }, Also: [409]),
        ["DELETE /opportunities/{id}/csp-exception"] = new(Reach.VendorAccount, [Caller.Director, Caller.Admin], Also: [409]),
        ["GET /compliance/csp"] = new(Reach.VendorListing),
        ["GET /plans"] = new(Reach.Listing),
        ["POST /plans"] = new(Reach.Account, TeamWriters, w => new { accountId = w.S.AccountId, title = "Second plan" }),
        ["GET /plans/{id}"] = new(Reach.Account),
        ["PATCH /plans/{id}"] = new(Reach.Account, TeamWriters, _ => new { title = "Acme — Mutual Success Plan v2" }),
        // The only other CSM is the owner, so an allowed handoff ends in 409 "already owned".
        ["POST /plans/{id}/handoff"] = new(Reach.Account, PlanOwners,
            w => new { toUserId = w.S.Csm.UserId, force = true, reason = "Renewal team takes over." }, Also: [409]),
        ["GET /catalog/content-elements"] = new(Reach.Anyone),
        ["GET /opportunities/{id}/close-plan"] = new(Reach.VendorAccount),
        ["PUT /opportunities/{id}/close-plan"] = new(Reach.VendorAccount, TeamWriters,
            _ => new { elements = new Dictionary<string, object> { ["whatWeHeard"] = new { content = "Releases are slow.", internalNotes = "Budget is tight." } } }),
        // The scenario's opportunity already has a plan.
        ["POST /opportunities/{id}/close-plan/convert"] = new(Reach.VendorAccount, TeamWriters, Also: [409]),
        ["GET /plans/{id}/export"] = new(Reach.Account, Query: "format=md&artifact=mutualPlan"),
        ["GET /audit"] = new(Reach.VendorListing),
        ["GET /accounts/{id}/lifecycle"] = new(Reach.VendorAccount),
        ["PUT /accounts/{id}/lifecycle/{sequence}"] = new(Reach.VendorAccount, TeamWriters, _ => new { done = true }),
        ["GET /plans/{planId}/objectives"] = new(Reach.Account),
        ["POST /plans/{planId}/objectives"] = new(Reach.Account, TeamWriters, _ => new { title = "Cut onboarding time to two days", kind = "qualitative" }),
        ["GET /objectives/{id}"] = new(Reach.Account),
        ["PATCH /objectives/{id}"] = new(Reach.Account, TeamWriters, _ => new { description = "Measured by the pipeline." }),
        ["DELETE /objectives/{id}"] = new(Reach.Account, TeamWriters, Also: [409]),
        ["POST /objectives/{id}/transitions"] = new(Reach.Account, TeamWriters, _ => new { to = "workInProgress", note = "Kick-off held." }, Also: [409]),
        ["POST /objectives/{id}/validate"] = new(Reach.Account, TeamWriters),
        ["GET /objectives/{id}/confirmations"] = new(Reach.Account),
        // A customer confirms in their own name; the matrix's customer user names no stakeholder, so theirs ends in 409.
        ["POST /objectives/{id}/confirmations"] = new(Reach.Account, [.. TeamWriters, Caller.Customer],
            w => new { stakeholderId = w.S.StakeholderId, confirmedAt = "2026-06-03T09:00:00Z", statement = "Nine deployments a week now." }, Also: [409]),
        ["GET /confirmations/{id}/certificate"] = new(Reach.Account),
        // Customers upload their evidence; the body's accountId decides whose file it is.
        ["POST /attachments"] = new(Reach.Account, [.. TeamWriters, Caller.Customer], w => new Upload(w.S.AccountId)),
        ["GET /attachments/{id}"] = new(Reach.Account),
        ["DELETE /attachments/{id}"] = new(Reach.Account, TeamWriters),
        ["GET /plans/{id}/attachments"] = new(Reach.Account),
        ["POST /plans/{id}/attachments"] = new(Reach.Account, TeamWriters, w => new { attachmentId = w.Ids["attachments"], visibility = "customer" }),
        ["GET /objectives/{id}/attachments"] = new(Reach.Account),
        ["POST /objectives/{id}/attachments"] = new(Reach.Account, TeamWriters, w => new { attachmentId = w.Ids["attachments"], visibility = "customer" }),
        ["POST /confirmations/{id}/void"] = new(Reach.Account, [Caller.Admin], _ => new { reason = "Recorded against the wrong objective." }),
        ["POST /smart/check"] = new(Reach.Anyone, SignedIn, _ => new { title = "Ship weekly", kind = "qualitative" }),
        ["GET /objectives/{objectiveId}/metrics"] = new(Reach.Account),
        ["POST /objectives/{objectiveId}/metrics"] = new(Reach.Account, TeamWriters, _ => new { name = "Lead time", unit = "days", direction = "decrease" }),
        ["GET /metrics/{id}"] = new(Reach.Account),
        ["PATCH /metrics/{id}"] = new(Reach.Account, TeamWriters, _ => new { unit = "per week" }),
        ["DELETE /metrics/{id}"] = new(Reach.Account, TeamWriters, Also: [409]),
        ["GET /metrics/{id}/measurements"] = new(Reach.Account),
        ["POST /metrics/{id}/measurements"] = new(Reach.Account, TeamWriters, _ => new { value = 8, at = "2026-07-01", source = "pipeline analytics" }),
        ["GET /objectives/{objectiveId}/initiatives"] = new(Reach.Account),
        ["POST /objectives/{objectiveId}/initiatives"] = new(Reach.Account, TeamWriters, _ => new { title = "Trunk-based development" }),
        ["GET /initiatives/{id}"] = new(Reach.Account),
        ["PATCH /initiatives/{id}"] = new(Reach.Account, TeamWriters, _ => new { status = "inProgress" }),
        ["DELETE /initiatives/{id}"] = new(Reach.Account, TeamWriters),
        ["GET /accounts/{accountId}/activities"] = new(Reach.Account),
        ["POST /accounts/{accountId}/activities"] = new(Reach.Account, TeamWriters, _ => new { type = "call", summary = "Weekly sync." }),
        ["GET /objectives/{objectiveId}/activities"] = new(Reach.Account),
        ["POST /objectives/{objectiveId}/activities"] = new(Reach.Account, TeamWriters, _ => new { type = "note", summary = "Blocked on CI runners." }),
        ["GET /activities/{id}"] = new(Reach.Account),
        ["GET /users"] = new(Reach.AdminOnly),
        ["POST /users"] = new(Reach.AdminOnly, [Caller.Admin],
            _ => new { email = $"matrix-{Ids.New()[^8..]}@test.verity", name = "Matrix User", role = "customerSuccessManager" }),
        ["GET /users/{id}"] = new(Reach.AdminOnly),
        ["PATCH /users/{id}"] = new(Reach.AdminOnly, [Caller.Admin], _ => new { name = "Renamed by the matrix" }),
        ["GET /me/tokens"] = new(Reach.Anyone),
        ["POST /me/tokens"] = new(Reach.Anyone, SignedIn, _ => new { name = "CRM sync", expiresInDays = 30 }),
        ["DELETE /me/tokens/{id}"] = new(Reach.OthersToken, SignedIn),
        ["GET /mail"] = new(Reach.AdminOnly),
        ["GET /webhooks"] = new(Reach.AdminOnly),
        ["POST /webhooks"] = new(Reach.AdminOnly, [Caller.Admin], _ => new { url = "https://hooks.example.com/matrix", events = new[] { "plan.accepted" } }),
        ["GET /webhooks/{id}"] = new(Reach.AdminOnly),
        ["PATCH /webhooks/{id}"] = new(Reach.AdminOnly, [Caller.Admin], _ => new { description = "Renamed by the matrix" }),
        ["DELETE /webhooks/{id}"] = new(Reach.AdminOnly, [Caller.Admin]),
        ["GET /webhooks/{id}/deliveries"] = new(Reach.AdminOnly),
        // The world's webhook is disabled, so no other test's changes queue deliveries for it: redelivery answers 409.
        ["POST /webhook-deliveries/{id}/redeliver"] = new(Reach.AdminOnly, [Caller.Admin], Also: [409]),
        ["GET /accounts/{id}/portal-access"] = new(Reach.VendorAccount),
        // The scenario's stakeholder address is shared by every scenario, so it may already be another account's customer.
        ["POST /accounts/{id}/portal-invitations"] = new(Reach.VendorAccount, TeamWriters, w => new { stakeholderId = w.S.StakeholderId }, Also: [409]),
        ["DELETE /portal-access/{userId}"] = new(Reach.VendorAccount, TeamWriters),
        // Only the customer accepts, and the scenario's plan is still a draft (or their user names no stakeholder): 409.
        ["POST /plans/{id}/acceptance"] = new(Reach.Account, [Caller.Customer], _ => new { note = "Agreed." }, Also: [409]),
        // Only the customer says whether their objective still stands; a customer user without a stakeholder gets 409.
        ["POST /objectives/{id}/revalidations"] = new(Reach.Account, [Caller.Customer], _ => new { stillAccurate = true }, Also: [409]),
        // The scenario's initiative is the team's: its tasks are not the customer's to tick (their own side's are).
        ["POST /initiatives/{id}/task-updates"] = new(Reach.Account, TeamWriters, w => new { taskId = w.TaskId, done = true }),
        ["GET /plans/{id}/comments"] = new(Reach.Account),
        ["POST /plans/{id}/comments"] = new(Reach.Account, [.. TeamWriters, Caller.Customer], _ => new { body = "Looks right to us." }),
        ["GET /objectives/{id}/comments"] = new(Reach.Account),
        ["POST /triage/runs"] = new(Reach.VendorOnly, Leaders),
        ["GET /triage/runs"] = new(Reach.VendorOnly),
        ["GET /findings"] = new(Reach.VendorListing),
        ["GET /objectives/{id}/findings"] = new(Reach.VendorAccount),
        // The scenario's finding is the CSM's: its owner or a leader dismisses it (409 once a leader's own triage run resolved it).
        ["POST /findings/{id}/dismiss"] = new(Reach.VendorAccount, [Caller.Csm, .. Leaders], _ => new { reason = "Agreed with the sponsor to wait for Q3." }, Also: [409]),
        ["GET /me/notifications"] = new(Reach.Anyone),
        ["GET /me/work"] = new(Reach.VendorOnly),
        ["GET /search"] = new(Reach.VendorOnly),
        ["GET /portfolio"] = new(Reach.VendorOnly),
        ["GET /portfolio.csv"] = new(Reach.VendorOnly),
        ["PATCH /me/notifications"] = new(Reach.Anyone, SignedIn, _ => new { weeklyDigest = false }),
        ["POST /objectives/{id}/comments"] = new(Reach.Account, [.. TeamWriters, Caller.Customer], _ => new { body = "Agreed." }),
        // An account's health is the team's own judgement: its customers get 403.
        ["GET /accounts/{accountId}/health-checks"] = new(Reach.VendorAccount),
        ["POST /accounts/{accountId}/health-checks"] = new(Reach.VendorAccount, TeamWriters,
            _ => new { checkedOn = "2026-11-02", adoption = 62, sentiment = "positive", overall = "green", barriers = "One P2 ticket." }),
        ["GET /accounts/{accountId}/health"] = new(Reach.VendorAccount),
        // Adoption, use cases and support counts feed the score: vendor-side too; the account's team and leaders replace them.
        ["GET /accounts/{accountId}/adoption"] = new(Reach.VendorAccount),
        ["PUT /accounts/{accountId}/adoption"] = new(Reach.VendorAccount, TeamWriters,
            _ => new[] { new { feature = "Pipelines", at = "2026-11-01", licensedUsers = 200, activeUsers = 120 } }),
        ["GET /accounts/{accountId}/use-cases"] = new(Reach.VendorAccount),
        ["PUT /accounts/{accountId}/use-cases"] = new(Reach.VendorAccount, TeamWriters, _ => new[] { new { name = "Release automation", stage = "piloting" } }),
        ["GET /accounts/{accountId}/support"] = new(Reach.VendorAccount),
        ["PUT /accounts/{accountId}/support"] = new(Reach.VendorAccount, TeamWriters,
            _ => new[] { new { at = "2026-11-01", open = 4, closed = 12, critical = 1, enhancementRequests = 3 } }),
        // Meetings and their notes are the team's record: customers get 403; the team and leaders schedule and hold them.
        ["GET /templates"] = new(Reach.VendorOnly),
        ["POST /templates"] = new(Reach.AdminOnly, [Caller.Admin], _ => new { key = "t" + Ids.New()[^8..], name = "Matrix", sections = new[] { new { key = "goals", title = "Goals" } } }),
        ["GET /templates/{key}"] = new(Reach.VendorOnly),
        ["PATCH /templates/{key}"] = new(Reach.AdminOnly, [Caller.Admin], _ => new { name = "Matrix, renamed" }),
        ["DELETE /templates/{key}"] = new(Reach.AdminOnly, [Caller.Admin]),
        ["GET /plans/{planId}/milestones"] = new(Reach.Account),
        ["POST /plans/{planId}/milestones"] = new(Reach.Account, TeamWriters, _ => new { title = "Ten teams onboarded", horizon = "days60" }),
        ["GET /milestones/{id}"] = new(Reach.Account),
        ["PATCH /milestones/{id}"] = new(Reach.Account, TeamWriters, _ => new { status = "inProgress" }),
        ["DELETE /milestones/{id}"] = new(Reach.Account, TeamWriters),
        ["GET /accounts/{accountId}/meetings"] = new(Reach.VendorAccount),
        ["POST /accounts/{accountId}/meetings"] = new(Reach.VendorAccount, TeamWriters,
            w => new { kind = "cadenceCall", scheduledFor = "2026-11-02T15:00:00Z", attendeeStakeholderIds = new[] { w.S.StakeholderId } }),
        ["GET /meetings/{id}"] = new(Reach.VendorAccount),
        ["PATCH /meetings/{id}"] = new(Reach.VendorAccount, TeamWriters, _ => new { heldOn = "2026-11-02", notes = "Agreed the template rollout." }),
        // Importing records from a CSV file is an admin's: it writes to every account at once.
        ["POST /imports/{kind}"] = new(Reach.AdminOnly, [Caller.Admin],
            _ => new Upload("", "matrix.csv", System.Text.Encoding.UTF8.GetBytes($"Name\nMatrix import {Ids.New()[^6..]}\n"))),
    };

    [Fact]
    public async Task Every_operation_in_the_document_has_an_access_rule()
    {
        var api = await ApiDescription.LoadAsync(App);
        var keys = api.Operations.Select(o => o.Key).ToHashSet();

        var unruled = keys.Where(k => !Rules.ContainsKey(k)).Order().ToList();
        Assert.True(unruled.Count == 0,
            "The OpenAPI document lists operations the access matrix has no rule for; decide who may call each and add it to "
            + $"{nameof(AccessMatrixTests)}.{nameof(Rules)}:\n  " + string.Join("\n  ", unruled));

        // A rule for an operation that is gone would hide a renamed path.
        var stale = Rules.Keys.Where(k => !keys.Contains(k)).Order().ToList();
        Assert.True(stale.Count == 0, "Rules for operations no longer in the OpenAPI document:\n  " + string.Join("\n  ", stale));
    }

    [Fact]
    public async Task Every_caller_gets_what_its_role_allows_on_every_operation()
    {
        var api = await ApiDescription.LoadAsync(App);
        var failures = new List<string>();
        var calls = 0;
        foreach (var caller in Enum.GetValues<Caller>())
        {
            var world = await WorldForAsync(caller);
            foreach (var operation in InSafeOrder(api.Operations))
            {
                if (!Rules.TryGetValue(operation.Key, out var rule))
                {
                    failures.Add($"{operation.Key}: no access rule (see {nameof(Every_operation_in_the_document_has_an_access_rule)})");
                    continue;
                }

                calls++;
                if (await CheckAsync(world, operation, rule) is { } failure)
                {
                    failures.Add(failure);
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{calls} calls: {api.Operations.Count} operations × {Enum.GetValues<Caller>().Length} callers.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls broke the access rules:\n" + string.Join("\n", failures));
    }

    private async Task<string?> CheckAsync(World world, ApiOperation operation, Rule rule)
    {
        var url = operation.Url(p => world.IdFor(operation, p), rule.Query ?? DefaultQuery(world, operation));
        var example = rule.Body?.Invoke(world);
        var upload = example as Upload;
        var body = upload is not null ? null : example is not null ? JsonSerializer.Serialize(example, TestJson.Options) : operation.BodySchema is not null ? "{}" : null;
        var (status, text) = await SendAsync(world.Client, operation.Method, url, body, upload);
        var (allowed, expectation) = Expect(world.Caller, operation, rule, sentExample: example is not null || operation.BodySchema is null);
        var who = $"{world.Caller} {operation.Method} {url}";
        var blind = world.Caller is Caller.OutsiderCsm or Caller.OtherAccountCustomer;
        if (blind && status == 403 && !allowed(status))
        {
            // A role refused before any record is looked up reveals nothing: the same call about a record
            // that does not exist gets the same answer. Anything else tells an outsider the record is there.
            var (unknownStatus, _) = await SendAsync(world.Client, operation.Method, WithoutScenarioIds(world, url), body is null ? null : WithoutScenarioIds(world, body),
                upload is null ? null : upload with { AccountId = WithoutScenarioIds(world, upload.AccountId) });
            if (unknownStatus == 403)
            {
                return null;
            }

            return $"{who} → 403 but {unknownStatus} for a record that does not exist, so it reveals the record: {Shorten(text)}";
        }

        if (status >= 500 || !allowed(status))
        {
            return $"{who} → {status}, expected {expectation}: {Shorten(text)}";
        }

        // A 2xx to someone who may not see the scenario must not carry any of its records.
        if ((blind || (world.Caller == Caller.Customer && rule.Reach is Reach.VendorListing))
            && status is >= 200 and < 300 && world.ScenarioIds.FirstOrDefault(text.Contains) is { } leaked)
        {
            return $"{who} → {status} leaks the scenario's record {leaked}: {Shorten(text)}";
        }

        return null;
    }

    private static async Task<(int Status, string Text)> SendAsync(ApiClient client, string method, string url, string? body, Upload? upload = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        if (upload is not null)
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(upload.Content ?? EvidenceTests.Pdf), "file", upload.FileName } };
            if (upload.AccountId.Length > 0)
            {
                form.Add(new StringContent(upload.AccountId), "accountId");
            }

            request.Content = form;
        }

        var response = await client.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string WithoutScenarioIds(World world, string text) =>
        world.ScenarioIds.Aggregate(text, (t, id) => t.Replace(id, Ids.New(), StringComparison.Ordinal));

    /// <summary>The class of answer a caller may get: 401, 403, 404, or "allowed" (2xx, or what the rule adds).</summary>
    private static (Func<int, bool> Allowed, string Description) Expect(Caller caller, ApiOperation operation, Rule rule, bool sentExample)
    {
        (Func<int, bool>, string) Exactly(params int[] statuses) => (s => statuses.Contains(s), string.Join(" or ", statuses));
        (Func<int, bool>, string) Success() => (s => s is >= 200 and < 300, "2xx");
        (Func<int, bool>, string) MayAct()
        {
            if (!sentExample)
            {
                return Exactly(400);
            }

            var also = rule.Also ?? [];
            return also.Length == 0
                ? Success()
                : (s => s is >= 200 and < 300 || also.Contains(s), "2xx or " + string.Join(" or ", also));
        }

        (Func<int, bool>, string) ReadOrWrite(bool refusedSilently = false) => !operation.IsWrite
            ? Success()
            : (rule.Writers ?? []).Contains(caller) ? MayAct() : refusedSilently ? Exactly(403, 404) : Exactly(403);

        if (caller is Caller.Anonymous or Caller.BadToken)
        {
            return Exactly(401);
        }

        return rule.Reach switch
        {
            Reach.AdminOnly => caller == Caller.Admin ? ReadOrWrite() : Exactly(403),
            Reach.VendorOnly => caller is Caller.Customer or Caller.OtherAccountCustomer ? Exactly(403) : ReadOrWrite(),
            Reach.OthersToken => Exactly(404),
            Reach.Anyone or Reach.Listing or Reach.VendorListing => ReadOrWrite(),
            Reach.Account or Reach.VendorAccount => caller switch
            {
                Caller.OutsiderCsm or Caller.OtherAccountCustomer => Exactly(404),
                // The plan is mutual: where a rule names the customer as a writer (comments, acceptance), they act too.
                Caller.Customer when rule.Reach == Reach.VendorAccount || (operation.IsWrite && !(rule.Writers ?? []).Contains(Caller.Customer)) => Exactly(403, 404),
                _ => ReadOrWrite(),
            },
            _ => throw new InvalidOperationException(rule.Reach.ToString()),
        };
    }

    /// <summary>Lists are asked about the scenario, so "not in the list" means something.</summary>
    private static string DefaultQuery(World world, ApiOperation operation) => string.Join("&", operation.QueryParameters
        .Select(p => p.Name switch
        {
            "accountId" => $"accountId={world.S.AccountId}",
            "entityId" => $"entityId={world.S.PlanId}",
            "limit" => "limit=500",
            "q" => "q=acme",
            _ => null,
        })
        .OfType<string>());

    /// <summary>Reads, then changes, then deletions leaf first, so no call finds its record already gone.</summary>
    private static IEnumerable<ApiOperation> InSafeOrder(IEnumerable<ApiOperation> operations) => operations
        .OrderBy(o => o.Method switch { "GET" => 0, "DELETE" => 2, _ => 1 })
        .ThenBy(o => o.Method == "DELETE" ? o.Path switch { "/accounts/{id}" => 3, "/objectives/{id}" => 2, _ => 1 } : 0);

    /// <summary>A fresh scenario per caller, with the caller placed where its name says.</summary>
    private async Task<World> WorldForAsync(Caller caller)
    {
        var s = await Scenario.CreateAsync(App);
        var confirmation = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/confirmations",
            new { stakeholderId = s.StakeholderId, confirmedAt = "2026-06-02T10:00:00Z", statement = "Seven deployments a week." });
        var bystander = await App.SignInAsync(UserRole.ImplementationEngineer);
        var bystanderToken = Scenario.ItemIds(await bystander.GetJsonAsync("me/tokens")).First();
        var team = new List<object> { new { userId = s.Csm.UserId, role = "customerSuccessManager" } };

        async Task<ApiClient> OnTeamAsync(UserRole role, string teamRole)
        {
            var member = await App.SignInAsync(role);
            team.Add(new { userId = member.UserId, role = teamRole });
            (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", team)).EnsureSuccessStatusCode();
            return member;
        }

        var client = caller switch
        {
            Caller.Anonymous => App.Anonymous(),
            Caller.BadToken => WithBadToken(App.Anonymous()),
            Caller.Customer => await App.SignInAsync(UserRole.Customer, s.AccountId),
            Caller.OtherAccountCustomer => await App.SignInAsync(UserRole.Customer,
                (await s.Manager.CreateAsync("accounts", new { name = "Globex " + Ids.New()[^6..] })).Id()),
            Caller.Csm => s.Csm,
            Caller.OutsiderCsm => await App.SignInAsync(UserRole.CustomerSuccessManager),
            Caller.SolutionsArchitect => await OnTeamAsync(UserRole.SolutionsArchitect, "solutionsArchitect"),
            Caller.ImplementationEngineer => await OnTeamAsync(UserRole.ImplementationEngineer, "implementationEngineer"),
            Caller.AccountExecutive => await OnTeamAsync(UserRole.AccountExecutive, "accountExecutive"),
            Caller.Manager => await App.SignInAsync(UserRole.Manager),
            Caller.Director => await App.SignInAsync(UserRole.Director),
            Caller.Admin => await App.SignInAsync(UserRole.Admin),
            _ => throw new InvalidOperationException(caller.ToString()),
        };

        var (webhookId, deliveryId) = await WebhookWithDeliveryAsync(s);
        var attachment = await (await s.Csm.UploadAsync(s.AccountId, "evidence.pdf", EvidenceTests.Pdf)).ExpectJsonAsync(System.Net.HttpStatusCode.Created);
        (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/attachments", new { attachmentId = attachment.Id(), visibility = "customer" })).EnsureSuccessStatusCode();
        var meeting = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings",
            new { kind = "businessReview", scheduledFor = "2026-11-02T15:00:00Z", objectiveIds = new[] { s.ObjectiveId } });
        var milestone = await s.Csm.CreateAsync($"plans/{s.PlanId}/milestones", new { title = "Pilot team live", horizon = "days30", ownerId = s.Csm.UserId });
        var templateKey = "matrix" + Ids.New()[^8..];
        await (await App.SignInAsync(UserRole.Admin)).CreateAsync("templates", new { key = templateKey, name = "Matrix", sections = new[] { new { key = "goals", title = "Goals" } } });
        var ids = new Dictionary<string, string>
        {
            ["templates"] = templateKey,
            ["meetings"] = meeting.Id(),
            ["milestones"] = milestone.Id(),
            ["attachments"] = attachment.Id(),
            ["accounts"] = s.AccountId,
            ["stakeholders"] = s.StakeholderId,
            ["opportunities"] = s.OpportunityId,
            ["plans"] = s.PlanId,
            ["objectives"] = s.ObjectiveId,
            ["metrics"] = s.MetricId,
            ["initiatives"] = s.InitiativeId,
            ["activities"] = s.ActivityId,
            ["confirmations"] = confirmation.Id(),
            ["users"] = bystander.UserId,
            ["tokens"] = bystanderToken,
            ["webhooks"] = webhookId,
            ["webhook-deliveries"] = deliveryId,
            // Verity works most steps out for itself; step 6 is one a person checks off.
            ["lifecycle"] = "6",
            // Another customer of the account, so revoking them leaves the Customer caller signed in.
            ["portal-access"] = (await App.SignInAsync(UserRole.Customer, s.AccountId)).UserId,
            ["imports"] = "accounts",
        };
        var scenarioIds = new[]
        {
            s.AccountId, s.StakeholderId, s.OpportunityId, s.PlanId, s.ObjectiveId, s.MetricId, s.InitiativeId, s.ActivityId,
            s.InternalActivityId, confirmation.Id(), attachment.Id(), meeting.Id(), milestone.Id(),
        };
        var taskId = (await s.Csm.GetJsonAsync($"initiatives/{s.InitiativeId}"))["tasks"]![0]!.Str("id");
        ids["findings"] = await FindingForAsync(s);
        scenarioIds = [.. scenarioIds, ids["findings"]];
        return new World(caller, client, s, ids, scenarioIds, team, taskId);
    }

    /// <summary>An open finding on the scenario's objective, owned by its CSM, as the weekly triage leaves them.</summary>
    private async Task<string> FindingForAsync(Scenario s)
    {
        await using var db = App.SystemDb();
        var finding = new Domain.Objectives.Finding
        {
            AccountId = s.AccountId,
            PlanId = s.PlanId,
            ObjectiveId = s.ObjectiveId,
            OwnerId = s.Csm.UserId,
            Rule = Domain.Objectives.TriageRule.StaleValidation,
            Message = "Never validated with the customer.",
            FirstSeenAt = DateTime.UtcNow,
            LastSeenAt = DateTime.UtcNow,
        };
        db.Findings.Add(finding);
        await db.SaveChangesAsync();
        return finding.Id;
    }

    /// <summary>A webhook with one delivery in its log, disabled at once so the rest of the run queues nothing for it.</summary>
    private async Task<(string WebhookId, string DeliveryId)> WebhookWithDeliveryAsync(Scenario s)
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var hook = await admin.CreateAsync("webhooks", new { url = "https://hooks.example.com/matrix", events = new[] { "account.updated" } });
        (await s.Manager.PatchAsync($"accounts/{s.AccountId}", new { tools = "GitLab" })).EnsureSuccessStatusCode();
        (await admin.PatchAsync($"webhooks/{hook.Id()}", new { enabled = false })).EnsureSuccessStatusCode();
        var delivery = Scenario.ItemIds(await admin.GetJsonAsync($"webhooks/{hook.Id()}/deliveries")).First();
        return (hook.Id(), delivery);
    }

    private static ApiClient WithBadToken(ApiClient client)
    {
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "vrt_not-a-real-token");
        return client;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record World(
        Caller Caller, ApiClient Client, Scenario S, IReadOnlyDictionary<string, string> Ids, IReadOnlyList<string> ScenarioIds, IReadOnlyList<object> Team,
        string TaskId)
    {
        /// <summary>The id of the right kind for a placeholder, from the path segment before it.</summary>
        public string IdFor(ApiOperation operation, ApiParameter parameter)
        {
            var kind = operation.KindOf(parameter.Name);
            return Ids.TryGetValue(kind, out var id)
                ? id
                : throw new InvalidOperationException($"{operation.Key}: the access matrix has no record for '{{{parameter.Name}}}' after '{kind}'; add one to {nameof(WorldForAsync)}.");
        }
    }

    /// <summary>A multipart upload in place of a JSON body: by default a small PDF for an account.</summary>
    private sealed record Upload(string AccountId, string FileName = "matrix.pdf", byte[]? Content = null);

    private sealed record Rule(Reach Reach, Caller[]? Writers = null, Func<World, object?>? Body = null, int[]? Also = null, string? Query = null);
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteAccessMatrixTests(SqliteApp app) : AccessMatrixTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresAccessMatrixTests(PostgresApp app) : AccessMatrixTests(app);
