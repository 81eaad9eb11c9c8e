using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Sessions and tokens end on the server: after sign-out, disabling, revoking or expiry the next request with the
/// same cookie or token answers 401, whatever the client still holds.
/// </summary>
public abstract class SessionTests(VerityApp app) : ApiTests(app)
{
    private const string Password = "correct horse battery staple";

    private static CancellationToken Aborted => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Signing_out_ends_the_session_even_for_a_copy_of_the_cookie()
    {
        var user = await App.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var (browser, cookies) = await BrowserAsync(user.Email!);
        var copy = Browser(cookies);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/v1/accounts", Aborted)).StatusCode);

        // Without the page's antiforgery token, sign-out is refused and the session stands.
        var forged = await browser.PostAsync("/signout", new FormUrlEncodedContent([]), Aborted);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/v1/accounts", Aborted)).StatusCode);

        var page = await browser.GetStringAsync("/accounts", Aborted);
        var signedOut = await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
        }), Aborted);
        Assert.EndsWith("/signin", signedOut.RequestMessage!.RequestUri!.AbsolutePath);

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/v1/accounts", Aborted)).StatusCode);
        var noClient = Browser(cookies, followRedirects: false);
        var redirected = await noClient.GetAsync("/accounts", Aborted);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.StartsWith("/signin", redirected.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_disabled_user_is_out_at_the_next_request_through_every_door_and_their_history_stays()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var s = await Scenario.CreateAsync(App);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = csm.UserId, role = "customerSuccessManager" },
        });
        await csm.CreateAsync($"accounts/{s.AccountId}/activities", new { type = "note", summary = "Before I left." });
        var (_, cookies) = await BrowserAsync(csm.Email!);
        var browser = Browser(cookies);
        Assert.Equal(HttpStatusCode.OK, (await csm.GetAsync($"accounts/{s.AccountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/v1/accounts/{s.AccountId}", Aborted)).StatusCode);

        var current = await admin.GetAsync($"users/{csm.UserId}");
        var disabled = await admin.PatchAsync($"users/{csm.UserId}", new { status = "disabled" }, current.Headers.ETag!.Tag);
        Assert.Equal("disabled", (await disabled.ExpectJsonAsync(HttpStatusCode.OK)).Str("status"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await csm.GetAsync($"accounts/{s.AccountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/api/v1/accounts/{s.AccountId}", Aborted)).StatusCode);
        var signIn = await VerityApp.PostSignInAsync(App.CreateClient(), csm.Email!, Password);
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Contains("disabled", await signIn.Content.ReadAsStringAsync(Aborted));

        // What they did is still attributed to them.
        var audit = await s.Manager.GetJsonAsync($"audit?accountId={s.AccountId}");
        Assert.Contains(audit["items"]!.AsArray(), e => e!["actorId"]?.GetValue<string>() == csm.UserId);
        var listed = await admin.GetJsonAsync("users?status=disabled&limit=500");
        Assert.Contains(listed["items"]!.AsArray(), u => u.Str("id") == csm.UserId);

        // Enabled again, they sign in afresh: the old cookie stays dead.
        current = await admin.GetAsync($"users/{csm.UserId}");
        (await admin.PatchAsync($"users/{csm.UserId}", new { status = "active" }, current.Headers.ETag!.Tag)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/api/v1/accounts/{s.AccountId}", Aborted)).StatusCode);
        await BrowserAsync(csm.Email!);
    }

    [Fact]
    public async Task Tokens_are_named_listed_with_their_last_use_and_stop_at_once_when_revoked()
    {
        var user = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var created = await user.CreateAsync("me/tokens", new { name = "CRM sync", expiresInDays = 30 });
        var secret = created.Str("token");
        Assert.StartsWith("vrt_", secret);
        var expires = DateTime.Parse(created.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.InRange(expires, DateTime.UtcNow.AddDays(29.9), DateTime.UtcNow.AddDays(30.1));

        var crm = App.Anonymous();
        crm.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await crm.GetAsync("accounts")).StatusCode);

        var listed = (await user.GetJsonAsync("me/tokens"))["items"]!.AsArray().Single(t => t.Str("id") == created.Id());
        Assert.Equal("CRM sync", listed.Str("name"));
        Assert.NotNull(listed!["lastUsedAt"]);
        Assert.Null(listed["token"]);

        // Someone else's token is not theirs to revoke.
        var other = await App.SignInAsync(UserRole.Manager);
        await (await other.DeleteAsync($"me/tokens/{created.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"me/tokens/{created.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await crm.GetAsync("accounts")).StatusCode);
        Assert.DoesNotContain((await user.GetJsonAsync("me/tokens"))["items"]!.AsArray(), t => t.Str("id") == created.Id());

        await (await user.PostAsync("me/tokens", new { name = "", expiresInDays = 0 })).ExpectFieldErrorAsync("expiresInDays");
        await (await user.PostAsync("me/tokens", new { expiresInDays = 5 })).ExpectFieldErrorAsync("name");
    }

    [Fact]
    public async Task An_expired_token_answers_401()
    {
        var user = await App.SignInAsync(UserRole.CustomerSuccessManager);
        const string secret = "vrt_expired0000000000000000000000000000000000000000000000000000000";
        await using (var db = App.SystemDb())
        {
            db.AccessTokens.Add(new AccessToken
            {
                UserId = user.UserId,
                Hash = Access.PersonalAccessTokens.Hash(secret),
                Name = "Old script",
                CreatedAt = DateTime.UtcNow.AddDays(-31),
                ExpiresAt = DateTime.UtcNow.AddMinutes(-1),
            });
            await db.SaveChangesAsync(Aborted);
        }

        var script = App.Anonymous();
        script.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("accounts")).StatusCode);
    }

    [Fact]
    public async Task A_role_change_applies_at_the_next_request()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var s = await Scenario.CreateAsync(App);
        Assert.Equal(HttpStatusCode.OK, (await s.Manager.GetAsync($"accounts/{s.AccountId}")).StatusCode);

        (await admin.PatchAsync($"users/{s.Manager.UserId}", new { role = "customerSuccessManager" })).EnsureSuccessStatusCode();
        await (await s.Manager.GetAsync($"accounts/{s.AccountId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_admins_manage_users_and_bad_changes_are_refused_with_the_field()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var manager = await App.SignInAsync(UserRole.Manager);
        await (await manager.GetAsync("users")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostAsync("users", new { email = "x@example.com", name = "X", role = "manager" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PatchAsync($"users/{manager.UserId}", new { role = "admin" })).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var email = $"new-{Ids.New()[^8..]}@example.com";
        var created = await admin.CreateAsync("users", new { email, name = "New CSM", role = "customerSuccessManager", password = Password });
        Assert.Equal("active", created.Str("status"));
        await (await admin.PostAsync("users", new { email, name = "Again", role = "manager" })).ExpectFieldErrorAsync("email");
        await (await admin.PostAsync("users", new { email = "y@example.com", name = "Y", role = "boss" })).ExpectFieldErrorAsync("role");
        await (await admin.PostAsync("users", new { email = "z@example.com", name = "Z", role = "customer" })).ExpectFieldErrorAsync("accountId");
        await (await admin.PostAsync("users", new { email = "w@example.com", name = "W", role = "manager", password = "short" })).ExpectFieldErrorAsync("password");
        await (await admin.PatchAsync($"users/{created.Id()}", new { role = "customer" })).ExpectFieldErrorAsync("role");
        await (await admin.PatchAsync($"users/{created.Id()}", new { status = "asleep" })).ExpectFieldErrorAsync("status");
        await (await admin.PatchAsync($"users/{created.Id()}", new { name = "Renamed" }, "\"stale\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await admin.PatchAsync($"users/{admin.UserId}", new { status = "disabled" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.GetAsync($"users/{Ids.New()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_cookie_write_to_the_api_needs_the_pages_antiforgery_token()
    {
        var s = await Scenario.CreateAsync(App);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = csm.UserId, role = "customerSuccessManager" },
        });
        var (browser, _) = await BrowserAsync(csm.Email!);

        // A bodiless POST from another site's page carries the cookie but not the token.
        var forged = await browser.PostAsync($"/api/v1/objectives/{s.ObjectiveId}/validate", null, Aborted);
        await forged.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await browser.PostAsync($"/api/v1/opportunities/{s.OpportunityId}/close-plan/convert", null, Aborted)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var page = await browser.GetStringAsync($"/objectives/{s.ObjectiveId}", Aborted);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/objectives/{s.ObjectiveId}/validate");
        request.Headers.Add("RequestVerificationToken", AntiforgeryToken(page));
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(request, Aborted)).StatusCode);

        // Reads need no token, and a bearer token (never sent by a browser on its own) needs none either.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/v1/objectives/{s.ObjectiveId}", Aborted)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await csm.PostAsync($"objectives/{s.ObjectiveId}/validate", new { })).StatusCode);
    }

    [Fact]
    public async Task Only_the_account_executive_the_csm_and_managers_change_a_team()
    {
        var s = await Scenario.CreateAsync(App);
        var sa = await App.SignInAsync(UserRole.SolutionsArchitect);
        var engineer = await App.SignInAsync(UserRole.ImplementationEngineer);
        var executive = await App.SignInAsync(UserRole.AccountExecutive);
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        object[] Team(params (ApiClient User, string Role)[] extra) =>
        [
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = sa.UserId, role = "solutionsArchitect" },
            new { userId = engineer.UserId, role = "implementationEngineer" },
            new { userId = executive.UserId, role = "accountExecutive" },
            .. extra.Select(e => (object)new { userId = e.User.UserId, role = e.Role }),
        ];
        (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", Team())).EnsureSuccessStatusCode();

        await (await sa.PutAsync($"accounts/{s.AccountId}/team", Team((outsider, "customerSuccessManager")))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await engineer.PutAsync($"accounts/{s.AccountId}/team", new object[] { new { userId = engineer.UserId, role = "implementationEngineer" } }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await outsider.GetAsync($"accounts/{s.AccountId}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        (await executive.PutAsync($"accounts/{s.AccountId}/team", Team((outsider, "customerSuccessManager")))).EnsureSuccessStatusCode();
        (await s.Csm.PutAsync($"accounts/{s.AccountId}/team", Team())).EnsureSuccessStatusCode();
        await (await outsider.GetAsync($"accounts/{s.AccountId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_owner_must_be_a_vendor_user_who_can_see_the_account()
    {
        var s = await Scenario.CreateAsync(App);
        var other = await Scenario.CreateAsync(App);
        var customer = await App.SignInAsync(UserRole.Customer, other.AccountId);
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var director = await App.SignInAsync(UserRole.Director);

        foreach (var path in new[] { $"objectives/{s.ObjectiveId}", $"initiatives/{s.InitiativeId}", $"plans/{s.PlanId}" })
        {
            await (await s.Csm.PatchAsync(path, new { ownerId = customer.UserId })).ExpectFieldErrorAsync("ownerId");
            await (await s.Csm.PatchAsync(path, new { ownerId = outsider.UserId })).ExpectFieldErrorAsync("ownerId");
            await (await s.Csm.PatchAsync(path, new { ownerId = Ids.New() })).ExpectFieldErrorAsync("ownerId");
            await (await s.Csm.PatchAsync(path, new { ownerId = director.UserId })).ExpectJsonAsync(HttpStatusCode.OK);
        }

        await (await s.Csm.PostAsync($"plans/{s.PlanId}/objectives", new { title = "Owned by a customer", ownerId = customer.UserId }))
            .ExpectFieldErrorAsync("ownerId");
    }

    [Fact]
    public async Task Sign_in_takes_as_long_and_locks_out_alike_for_known_and_unknown_addresses()
    {
        var known = await App.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var unknown = $"nobody-{Ids.New()[^8..]}@test.verity";
        var browser = App.CreateClient();

        // Warm both paths, then compare medians: a skipped password hash would make the unknown address ~50× faster.
        await VerityApp.PostSignInAsync(browser, "warm-up@test.verity", "wrong password");
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            knownTimes.Add(await TimeAsync(() => VerityApp.PostSignInAsync(browser, known.Email!, "wrong password")));
            unknownTimes.Add(await TimeAsync(() => VerityApp.PostSignInAsync(browser, unknown, "wrong password")));
        }

        var ratio = Median(unknownTimes) / Median(knownTimes);
        Assert.True(ratio > 0.4, $"An unknown address answered in {ratio:P0} of the time of a known one.");

        // Five wrong passwords lock both alike.
        foreach (var address in new[] { known.Email!, unknown })
        {
            var locked = await VerityApp.PostSignInAsync(browser, address, Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Contains("locked", await locked.Content.ReadAsStringAsync(Aborted));
        }
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_the_cookie_is_httponly_lax_and_secure_over_https()
    {
        var user = await App.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var (browser, _) = await BrowserAsync(user.Email!);
        foreach (var path in new[] { "/accounts", "/signin", "/api/v1/accounts", "/api/v1/nothing-here", "/healthz", "/openapi/v1.json" })
        {
            var response = await browser.GetAsync(path, Aborted);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain("unsafe-inline", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.False(response.Headers.Contains("Server"));
        }

        var https = App.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var form = await https.GetStringAsync("/signin", Aborted);
        var signIn = await https.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Form.Email"] = user.Email!,
            ["Form.Password"] = Password,
        }), Aborted);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("verity=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.Contains("secure", cookie);
    }

    [Fact]
    public async Task A_json_body_over_one_megabyte_answers_413_before_it_is_read()
    {
        var user = await App.SignInAsync(UserRole.CustomerSuccessManager);
        var huge = "{\"name\":\"" + new string('x', 1_100_000) + "\"}";
        await (await user.SendRawAsync(HttpMethod.Post, "accounts", huge)).ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>A browser signed in through the sign-in page, and its cookie jar.</summary>
    private async Task<(HttpClient Browser, CookieContainer Cookies)> BrowserAsync(string email)
    {
        var cookies = new CookieContainer();
        var browser = Client(cookies);
        var response = await VerityApp.PostSignInAsync(browser, email, Password);
        Assert.Equal("/", response.RequestMessage!.RequestUri!.AbsolutePath);
        return (browser, cookies);
    }

    /// <summary>Another browser holding a copy of the same cookies, as someone who copied them would.</summary>
    private HttpClient Browser(CookieContainer cookies, bool followRedirects = true)
    {
        var copy = new CookieContainer();
        copy.Add(cookies.GetAllCookies());
        return Client(copy, followRedirects);
    }

    private HttpClient Client(CookieContainer jar, bool followRedirects = true) => App.Browser(jar, followRedirects);

    private static string AntiforgeryToken(string page) => VerityApp.AntiforgeryToken(page);

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteSessionTests(SqliteApp app) : SessionTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresSessionTests(PostgresApp app) : SessionTests(app);
