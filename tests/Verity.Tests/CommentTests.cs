using System.Net;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Both sides talk in the plan: comments on plans and objectives, Markdown shown safely, the other side mailed.</summary>
public abstract class CommentTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task A_customer_comment_mails_the_team_and_a_vendor_comment_mails_the_customer()
    {
        var smtp = Smtp;
        var s = await Scenario.CreateAsync(App);
        var email = $"priya-{Ids.New()[^10..]}@acme.example";
        (await s.Csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email })).EnsureSuccessStatusCode();
        var userId = (await s.Csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId })).Str("userId");
        await using (var db = App.SystemDb())
        {
            var (_, token) = await Access.PersonalAccessTokens.CreateAsync(db, userId, TimeProvider.System, TestContext.Current.CancellationToken);
            var customer = App.Anonymous();
            customer.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);

            var asked = await customer.CreateAsync($"objectives/{s.ObjectiveId}/comments", new { body = "Does **ten a week** include hotfixes?" });
            Assert.Equal("customer", asked.Str("side"));
            Assert.Equal("Priya Raman", asked.Str("authorName"));
            Assert.Equal(s.ObjectiveId, asked.Str("objectiveId"));
            var toCsm = await smtp.WaitForAsync(s.Csm.Email!, m => m.Subject?.Contains("commented on Increase deployment frequency", StringComparison.Ordinal) == true);
            Assert.Contains("Does **ten a week** include hotfixes?", toCsm.TextBody);
            Assert.Contains($"/objectives/{s.ObjectiveId}#comments", toCsm.HtmlBody);

            var answered = await s.Csm.CreateAsync($"plans/{s.PlanId}/comments", new { body = "Yes, hotfixes count." });
            Assert.Equal("vendor", answered.Str("side"));
            var toCustomer = await smtp.WaitForAsync(email, m => m.Subject?.Contains("commented on Acme", StringComparison.Ordinal) == true);
            Assert.Contains($"/portal/plans/{s.PlanId}#comments", toCustomer.HtmlBody);

            // Each thread holds its own comments; both sides read both.
            var planThread = await customer.GetJsonAsync($"plans/{s.PlanId}/comments");
            Assert.Equal([answered.Id()], Scenario.ItemIds(planThread));
            var objectiveThread = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}/comments");
            Assert.Equal([asked.Id()], Scenario.ItemIds(objectiveThread));
        }
    }

    [Fact]
    public async Task Bad_comments_are_refused_with_the_field_and_outsiders_see_none()
    {
        var s = await Scenario.CreateAsync(App);
        await (await s.Csm.PostAsync($"plans/{s.PlanId}/comments", new { body = "" })).ExpectFieldErrorAsync("body");
        await (await s.Csm.PostAsync($"plans/{s.PlanId}/comments", new { body = new string('x', 10_001) })).ExpectFieldErrorAsync("body");
        await (await s.Csm.PostAsync($"plans/{s.PlanId}/comments", new { })).ExpectFieldErrorAsync("body");
        var posted = await s.Csm.CreateAsync($"plans/{s.PlanId}/comments", new { body = new string('y', 10_000) });

        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        await (await outsider.GetAsync($"plans/{s.PlanId}/comments")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PostAsync($"objectives/{s.ObjectiveId}/comments", new { body = "Hello" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        var other = await Scenario.CreateAsync(App);
        var customerOfOther = await App.SignInAsync(UserRole.Customer, other.AccountId);
        await (await customerOfOther.GetAsync($"plans/{s.PlanId}/comments")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(posted.Id(), Scenario.ItemIds(await s.Manager.GetJsonAsync($"plans/{s.PlanId}/comments")));
    }

    [Fact]
    public async Task Health_is_the_same_whoever_looks_and_customers_see_it_only_where_the_plan_shares_it()
    {
        var s = await Scenario.CreateAsync(App);
        var objective = await s.Csm.CreateAsync($"plans/{s.PlanId}/objectives", new { title = "Adopt the new review flow", kind = "qualitative", targetDate = "2030-01-01" });
        (await s.Csm.PostAsync($"objectives/{objective.Id()}/transitions", new { to = "workInProgress" })).EnsureSuccessStatusCode();
        (await s.Csm.PostAsync($"objectives/{objective.Id()}/validate", new { })).EnsureSuccessStatusCode();

        // Only an internal note (the move itself) touched it recently: the team's view and the customer's must agree.
        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        var team = await s.Csm.GetJsonAsync($"objectives/{objective.Id()}");
        Assert.Equal("onTrack", team.Str("health"));
        Assert.Null((await customer.GetJsonAsync($"objectives/{objective.Id()}"))["health"]);

        (await s.Csm.PatchAsync($"plans/{s.PlanId}", new { shareHealthWithCustomer = true })).EnsureSuccessStatusCode();
        Assert.Equal(team.Str("health"), (await customer.GetJsonAsync($"objectives/{objective.Id()}")).Str("health"));
        var plan = await customer.GetJsonAsync($"plans/{s.PlanId}");
        Assert.Equal("onTrack", plan["objectives"]!.AsArray().Single(o => o.Str("id") == objective.Id())!.Str("health"));
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteCommentTests(SqliteApp app) : CommentTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresCommentTests(PostgresApp app) : CommentTests(app);
