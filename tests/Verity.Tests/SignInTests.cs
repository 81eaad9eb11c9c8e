using System.Net;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>The sign-in page: a cookie for the right password, a lock after repeated wrong ones.</summary>
public abstract class SignInTests(VerityApp app) : ApiTests(app)
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_a_while()
    {
        var user = await App.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        var browser = App.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await VerityApp.PostSignInAsync(browser, user.Email!, "wrong password")).StatusCode);
        }

        var locked = await VerityApp.PostSignInAsync(browser, user.Email!, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Pages_send_a_signed_out_visitor_to_sign_in_and_the_api_answers_401()
    {
        var browser = App.CreateClient(new() { AllowAutoRedirect = false });
        var page = await browser.GetAsync("/plans/anything", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/plans", TestContext.Current.CancellationToken)).StatusCode);
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteSignInTests(SqliteApp app) : SignInTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresSignInTests(PostgresApp app) : SignInTests(app);
