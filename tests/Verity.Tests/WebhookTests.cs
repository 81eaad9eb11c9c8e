using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Features.Webhooks;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Webhooks end to end: events raised by real changes reach a receiver written with the standardwebhooks npm package,
/// signed so that it accepts them, retried with the same webhook-id, and a 410 disables the subscription.
/// </summary>
public abstract class WebhookTests(VerityApp app) : ApiTests(app)
{
    private static WebhookReceiver Receiver => WebhookReceiver.Required;

    [Fact]
    public async Task An_objective_moved_to_verified_reaches_the_receiver_signed()
    {
        var s = await Scenario.CreateAsync(App);
        var (name, _) = await SubscribeAsync(["objective.outcomeStageChanged"]);
        foreach (var to in new[] { "workInProgress", "accepted", "delivered" })
        {
            (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/transitions", new { to })).EnsureSuccessStatusCode();
        }

        await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/confirmations",
            new { stakeholderId = s.StakeholderId, confirmedAt = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssZ"), statement = "Ten a week now." });
        (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/transitions", new { to = "verified", note = "Priya confirmed" })).EnsureSuccessStatusCode();

        var received = await WaitForBodyAsync(name, b => b["data"]!.Str("outcomeStage") == "verified");
        Assert.True(received["verified"]!.GetValue<bool>(), received.ToJsonString());
        Assert.StartsWith("msg_", received.Str("id"));
        Assert.StartsWith("v1,", received.Str("signature"));
        Assert.Equal("application/json", received.Str("contentType"));
        var body = JsonNode.Parse(received.Str("body"))!.AsObject();
        Assert.Equal("objective.outcomeStageChanged", body.Str("type"));
        Assert.NotNull(body["timestamp"]);

        // The data is the objective exactly as its GET returns it right after the change.
        var get = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}");
        Assert.True(JsonNode.DeepEquals(get, body["data"]), $"GET:  {get.ToJsonString()}\nHOOK: {body["data"]!.ToJsonString()}");
        Assert.All(await Receiver.ReceivedAsync(name), r => Assert.True(r["verified"]!.GetValue<bool>(), r.ToJsonString()));
    }

    [Fact]
    public async Task Triage_findings_reach_the_receiver_when_they_open_and_when_they_resolve()
    {
        var s = await Scenario.CreateAsync(App);
        var vague = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Make developers happier", kind = "quantitative" });
        var (name, _) = await SubscribeAsync(["finding.opened", "finding.resolved"]);
        (await s.Manager.PostAsync("triage/runs", new { })).EnsureSuccessStatusCode();
        var opened = await WaitForBodyAsync(name, b => b.Str("type") == "finding.opened" && b["data"]!.Str("objectiveId") == vague.Id() && b["data"]!.Str("rule") == "missingMetric");
        Assert.True(opened["verified"]!.GetValue<bool>(), opened.ToJsonString());

        // The payload is the finding as the findings API lists it.
        var data = JsonNode.Parse(opened.Str("body"))!["data"]!;
        var listed = (await s.Csm.GetJsonAsync($"findings?accountId={s.AccountId}&rule=missingMetric"))["items"]!.AsArray().Single(f => f!.Str("id") == data.Str("id"))!;
        Assert.Equal(listed.Str("message"), data.Str("message"));
        Assert.Equal(s.AccountId, data.Str("accountId"));

        await s.Csm.CreateAsync($"objectives/{vague.Id()}/metrics", new { name = "Developer satisfaction", unit = "points", direction = "increase", baseline = new { value = 6.1 }, target = new { value = 8 } });
        (await s.Manager.PostAsync("triage/runs", new { })).EnsureSuccessStatusCode();
        var resolved = await WaitForBodyAsync(name, b => b.Str("type") == "finding.resolved" && b["data"]!.Str("id") == data.Str("id"));
        Assert.Equal("resolved", JsonNode.Parse(resolved.Str("body"))!["data"]!.Str("status"));
    }

    [Fact]
    public async Task A_receiver_answering_500_twice_then_200_gets_the_same_webhook_id_three_times()
    {
        var s = await Scenario.CreateAsync(App);
        var (name, subscription) = await SubscribeAsync(["account.updated"], 500, 500);
        (await s.Manager.PatchAsync($"accounts/{s.AccountId}", new { background = "Three teams now." })).EnsureSuccessStatusCode();

        var received = await Receiver.WaitForAsync(name, 3);
        Assert.Equal([500, 500, 200], received.Select(r => r["answered"]!.GetValue<int>()));
        Assert.Single(received.Select(r => r.Str("id")).Distinct());
        Assert.All(received, r => Assert.True(r["verified"]!.GetValue<bool>(), r.ToJsonString()));

        var delivery = await WaitForDeliveryAsync(subscription, d => d.Str("status") == "delivered");
        Assert.Equal(3, delivery["attempt"]!.GetValue<int>());
        Assert.Equal(200, delivery["responseStatus"]!.GetValue<int>());
        Assert.Equal(received[0].Str("id"), delivery.Str("eventId"));
    }

    [Fact]
    public async Task A_receiver_answering_410_disables_the_subscription_and_redelivery_sends_the_same_id_again()
    {
        var s = await Scenario.CreateAsync(App);
        var (name, subscription) = await SubscribeAsync(["account.updated"], 410);
        (await s.Manager.PatchAsync($"accounts/{s.AccountId}", new { background = "Gone." })).EnsureSuccessStatusCode();
        var first = Assert.Single(await Receiver.WaitForAsync(name, 1));

        var delivery = await WaitForDeliveryAsync(subscription, d => d.Str("status") == "failed");
        Assert.Equal(410, delivery["responseStatus"]!.GetValue<int>());
        var admin = await App.SignInAsync(UserRole.Admin);
        var hook = await admin.GetJsonAsync($"webhooks/{subscription}");
        Assert.False(hook["enabled"]!.GetValue<bool>());
        Assert.Contains("410", hook.Str("disabledReason"));
        Assert.Null(hook["secret"]);

        // Disabled: nothing more is queued for it, and a redelivery waits until an admin enables it again.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"webhook-deliveries/{delivery.Id()}/redeliver", new { })).StatusCode);
        var response = await admin.GetAsync($"webhooks/{subscription}");
        (await admin.PatchAsync($"webhooks/{subscription}", new { enabled = true }, response.Headers.ETag!.Tag)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"webhook-deliveries/{delivery.Id()}/redeliver", new { })).StatusCode);
        var again = await Receiver.WaitForAsync(name, 2);
        Assert.Equal(first.Str("id"), again[1].Str("id"));
        Assert.True(again[1]["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_hanging_or_disconnecting_receiver_blocks_neither_the_change_nor_other_deliveries()
    {
        var s = await Scenario.CreateAsync(App);
        // Each keeps misbehaving for several attempts: a quick retry must not answer 200 before the test looks.
        var (_, hanging) = await SubscribeAsync(["account.updated"], 0, 0, 0, 0, 0);
        var (_, closing) = await SubscribeAsync(["account.updated"], -1, -1, -1, -1, -1);
        var (healthy, _) = await SubscribeAsync(["account.updated"]);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        (await s.Manager.PatchAsync($"accounts/{s.AccountId}", new { background = "Busy week." })).EnsureSuccessStatusCode();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The change took {clock.Elapsed}.");
        Assert.True(Assert.Single(await Receiver.WaitForAsync(healthy, 1, TimeSpan.FromSeconds(5)))["verified"]!.GetValue<bool>());

        var closed = await WaitForDeliveryAsync(closing, d => d["attempt"]!.GetValue<int>() >= 1);
        Assert.Null(closed["responseStatus"]);
        Assert.False(string.IsNullOrEmpty(closed["lastError"]?.GetValue<string>()));
        var hung = await WaitForDeliveryAsync(hanging, d => d["attempt"]!.GetValue<int>() >= 1);
        Assert.Contains("did not answer within", hung.Str("lastError"));
    }

    [Fact]
    public async Task The_change_and_its_event_commit_together_or_not_at_all()
    {
        await SubscribeAsync(["account.created"]);
        var kept = "Kept " + Ids.New()[^8..];
        var lost = "Lost " + Ids.New()[^8..];
        await using (var db = App.SystemDb())
        {
            db.Accounts.Add(new Account { Name = kept });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var db = App.SystemDb())
        {
            var account = new Account { Name = lost };
            db.Accounts.Add(account);

            // A team member who does not exist: the database refuses the whole save.
            account.Team.Add(new AccountTeamMember { AccountId = account.Id, UserId = Ids.New(), Role = TeamRole.CustomerSuccessManager });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        }

        await using (var db = App.SystemDb())
        {
            Assert.Single(await db.WebhookEvents.Where(e => e.Type == "account.created" && e.Payload.Contains(kept)).ToListAsync(TestContext.Current.CancellationToken));
            Assert.Empty(await db.WebhookEvents.Where(e => e.Payload.Contains(lost)).ToListAsync(TestContext.Current.CancellationToken));
            Assert.False(await db.Accounts.AnyAsync(a => a.Name == lost, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Only_admins_manage_webhooks()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var hook = await admin.CreateAsync("webhooks", new { url = "https://hooks.example.com/verity", events = new[] { "plan.accepted" } });
        Assert.StartsWith("whsec_", hook.Str("secret"));
        Assert.InRange(Convert.FromBase64String(hook.Str("secret")["whsec_".Length..]).Length, 24, 32);
        Assert.Null((await admin.GetJsonAsync($"webhooks/{hook.Id()}"))["secret"]);

        var s = await Scenario.CreateAsync(App);
        foreach (var role in new[] { UserRole.Manager, UserRole.Director, UserRole.CustomerSuccessManager })
        {
            var other = await App.SignInAsync(role);
            await (await other.GetAsync("webhooks")).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await other.PostAsync("webhooks", new { url = "https://hooks.example.com/x", events = new[] { "plan.accepted" } })).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await other.DeleteAsync($"webhooks/{hook.Id()}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        await (await customer.GetAsync($"webhooks/{hook.Id()}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_bad_url_or_unknown_events_are_refused_naming_the_field()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        foreach (var url in new[] { "ftp://hooks.example.com/x", "not a url", "/relative/path" })
        {
            var problem = await (await admin.PostAsync("webhooks", new { url, events = new[] { "plan.accepted" } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("url"), problem.ToJsonString());
        }

        var unknown = await (await admin.PostAsync("webhooks", new { url = "https://hooks.example.com/x", events = new[] { "plan.exploded" } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        var message = unknown["errors"]!["events"]![0]!.GetValue<string>();
        Assert.Contains("plan.exploded", message);
        Assert.Contains("objective.statusChanged", message);

        var none = await (await admin.PostAsync("webhooks", new { url = "https://hooks.example.com/x", events = Array.Empty<string>() })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(none["errors"]!.AsObject().ContainsKey("events"));
    }

    [Fact]
    public async Task The_admin_page_adds_a_webhook_shows_its_secret_once_and_names_events_in_words()
    {
        var admin = await App.SignInAsync(UserRole.Admin, password: "correct horse battery staple");
        var browser = await App.SignInToPagesAsync(admin.Email!, "correct horse battery staple");
        var page = await browser.GetStringAsync("/admin/webhooks", TestContext.Current.CancellationToken);
        Assert.Contains("Objective status changed", page);
        Assert.DoesNotContain("statusChanged", Visible(page));

        var url = "https://hooks.example.com/page-" + Ids.New()[^8..];
        var added = await browser.PostAsync("/admin/webhooks", new FormUrlEncodedContent(
        [
            new("_handler", "add"),
            new("__RequestVerificationToken", VerityApp.AntiforgeryToken(page)),
            new("New.Url", url),
            new("Events", "objective.statusChanged"),
            new("Events", "plan.accepted"),
        ]), TestContext.Current.CancellationToken);
        var answer = WebUtility.HtmlDecode(await added.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(added.IsSuccessStatusCode, answer);
        var secret = System.Text.RegularExpressions.Regex.Match(answer, "whsec_[A-Za-z0-9+/=]+").Value;
        Assert.NotEmpty(secret);
        var hook = Assert.Single((await admin.GetJsonAsync("webhooks?limit=500"))["items"]!.AsArray(), h => h.Str("url") == url)!;
        Assert.Equal(["plan.accepted", "objective.statusChanged"], hook["events"]!.AsArray().Select(e => e!.GetValue<string>()));

        var again = await browser.GetStringAsync("/admin/webhooks", TestContext.Current.CancellationToken);
        Assert.Contains(url, again);
        Assert.DoesNotContain(secret, WebUtility.HtmlDecode(again));

        var refused = await browser.PostAsync("/admin/webhooks", new FormUrlEncodedContent(
        [
            new("_handler", "add"),
            new("__RequestVerificationToken", VerityApp.AntiforgeryToken(again)),
            new("New.Url", "ftp://nowhere"),
        ]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("id=\"url-error\"", refusal);
        Assert.Contains("id=\"events-error\"", refusal);
    }

    private static string Visible(string html) =>
        System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(html, "<(script|style)[^>]*>.*?</\\1>", "", System.Text.RegularExpressions.RegexOptions.Singleline), "<[^>]+>", " ");

    private async Task<(string Name, string SubscriptionId)> SubscribeAsync(string[] events, params int[] statuses)
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var name = "r" + Ids.New()[^12..];
        var url = await Receiver.ListenAsync(name, "whsec_placeholderplaceholderplaceholder00", statuses);
        var hook = await admin.CreateAsync("webhooks", new { url, events, description = "Test receiver" });
        await Receiver.ListenAsync(name, hook.Str("secret"), statuses);
        return (name, hook.Id());
    }

    private static async Task<JsonObject> WaitForBodyAsync(string name, Func<JsonObject, bool> matches)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if ((await Receiver.ReceivedAsync(name)).FirstOrDefault(r => matches(JsonNode.Parse(r.Str("body"))!.AsObject())) is { } hit)
            {
                return hit;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No matching delivery reached '{name}'.");
    }

    private async Task<JsonObject> WaitForDeliveryAsync(string subscription, Func<JsonObject, bool> matches)
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var page = await admin.GetJsonAsync($"webhooks/{subscription}/deliveries");
            if (page["items"]!.AsArray().Select(i => i!.AsObject()).FirstOrDefault(matches) is { } hit)
            {
                return hit;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The delivery did not reach the expected state.");
    }
}

/// <summary>Receivers here listen on 127.0.0.1, so these apps allow private networks, and retry within a second.</summary>
internal static class WebhookTestSettings
{
    public static void Apply(IWebHostBuilder builder)
    {
        builder.UseSetting("Webhooks:AllowPrivateNetworks", "true");
        builder.UseSetting("Webhooks:PollInterval", "00:00:00.100");
        builder.UseSetting("Webhooks:Timeout", "00:00:02");
        builder.UseSetting("Webhooks:RetryDelays", "00:00:00.300,00:00:00.300,00:00:00.300");
    }
}

public sealed class WebhookSqliteApp : SqliteAppBase
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        WebhookTestSettings.Apply(builder);
    }
}

public sealed class WebhookPostgresApp : PostgresAppBase
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        WebhookTestSettings.Apply(builder);
    }
}

public sealed class SqliteWebhookTests(WebhookSqliteApp app) : WebhookTests(app), IClassFixture<WebhookSqliteApp>;

public sealed class PostgresWebhookTests(WebhookPostgresApp app) : WebhookTests(app), IClassFixture<WebhookPostgresApp>;

/// <summary>What needs no app: the signature against the spec's example, and the network guard on its own.</summary>
public sealed class WebhookSigningAndNetworkTests
{
    [Fact]
    public void The_signature_matches_the_standard_webhooks_example()
    {
        Assert.Equal(
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.5/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public async Task A_private_address_is_refused_without_the_setting(string url)
    {
        Assert.NotNull(await Network(allowPrivate: false).RefusalAsync(url, TestContext.Current.CancellationToken));
        Assert.Null(await Network(allowPrivate: true).RefusalAsync(url, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_public_address_is_accepted()
    {
        Assert.Null(await Network(allowPrivate: false).RefusalAsync("https://93.184.215.14/hook", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_connection_itself_is_refused_to_a_loopback_receiver_without_the_setting()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = Network(allowPrivate: false).ConnectAsync });
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://localhost:{port}/hook", new StringContent("{}"), TestContext.Current.CancellationToken));
        Assert.Contains("private", refused.Message + refused.InnerException?.Message);
    }

    private static WebhookNetwork Network(bool allowPrivate) => new(new Fixed(new WebhookSettings { AllowPrivateNetworks = allowPrivate }));

    private sealed class Fixed(WebhookSettings value) : IOptionsMonitor<WebhookSettings>
    {
        public WebhookSettings CurrentValue => value;

        public WebhookSettings Get(string? name) => value;

        public IDisposable? OnChange(Action<WebhookSettings, string?> listener) => null;
    }
}

/// <summary>On an app without <c>Webhooks:AllowPrivateNetworks</c>, the API refuses a loopback receiver, naming <c>url</c>.</summary>
[Collection(SqliteCollection.Sqlite)]
public sealed class WebhookPrivateNetworkApiTests(SqliteApp app) : ApiTests(app)
{
    [Fact]
    public async Task A_loopback_url_is_refused_naming_url()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var problem = await (await admin.PostAsync("webhooks", new { url = "http://127.0.0.1:9/hook", events = new[] { "plan.accepted" } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("private", problem["errors"]!["url"]![0]!.GetValue<string>());
    }
}
