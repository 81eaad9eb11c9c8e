using System.Net;
using System.Text.RegularExpressions;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>A form posted with a field left out, as a hand-made or truncated post would be: a message, never a 500.</summary>
public abstract partial class PageFormTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task Every_form_on_the_account_objective_plan_and_meeting_pages_survives_a_missing_field()
    {
        var s = await Scenario.CreateAsync(App);
        var meeting = await s.Csm.CreateAsync($"accounts/{s.AccountId}/meetings",
            new { kind = "cadenceCall", scheduledFor = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), attendeeStakeholderIds = new[] { s.StakeholderId } });
        var manager = await App.SignInAsync(UserRole.Manager, password: "correct horse battery staple");
        var browser = await App.SignInToPagesAsync(manager.Email!, "correct horse battery staple");
        var (tried, failures) = await PostEachWithAFieldLeftOutAsync(browser, $"/accounts/{s.AccountId}", $"/objectives/{s.ObjectiveId}", $"/plans/{s.PlanId}", $"/meetings/{meeting.Id()}");
        Assert.True(tried > 20, $"Only {tried} posts were tried: the forms were not found.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_form_on_the_template_pages_survives_a_missing_field()
    {
        // The template is in use, so even a whole delete form would be refused: every post stays a message.
        var s = await Scenario.CreateAsync(App);
        var admin = await App.SignInAsync(UserRole.Admin, password: "correct horse battery staple");
        var key = "formed" + Ids.New()[^6..];
        await admin.CreateAsync("templates", new
        {
            key,
            name = "Formed",
            sections = new[] { new { key = "goals", title = "Goals", prompt = "What good looks like." } },
            objectives = new[] { new { title = "Ten teams live", kind = "quantitative" } },
            milestones = new[] { new { horizon = "days30", title = "Kick-off" } },
        });
        await s.Csm.CreateAsync("plans", new { accountId = s.AccountId, title = "Formed plan", template = key });
        var browser = await App.SignInToPagesAsync(admin.Email!, "correct horse battery staple");
        var (tried, failures) = await PostEachWithAFieldLeftOutAsync(browser, "/templates", $"/templates/{key}");
        Assert.True(tried > 10, $"Only {tried} posts were tried: the forms were not found.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal("Formed", (await admin.GetJsonAsync($"templates/{key}")).Str("name"));
    }

    /// <summary>Posts every form of the pages once for each of its fields, with that field left out.</summary>
    private static async Task<(int Tried, List<string> Failures)> PostEachWithAFieldLeftOutAsync(HttpClient browser, params string[] pages)
    {
        var failures = new List<string>();
        var tried = 0;
        foreach (var page in pages)
        {
            foreach (var form in Forms(await browser.GetStringAsync(page, TestContext.Current.CancellationToken)))
            {
                foreach (var left in form.Fields.Keys)
                {
                    // Each post reads the form afresh, with the versions of the moment, so it reaches the use case.
                    var fresh = Forms(await browser.GetStringAsync(page, TestContext.Current.CancellationToken))
                        .FirstOrDefault(f => f.Handler == form.Handler);
                    if (fresh is null)
                    {
                        continue;
                    }

                    var fields = fresh.Fields.Where(f => f.Key != left).ToDictionary();
                    var response = await browser.PostAsync(page, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
                    tried++;
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{page} {form.Handler} without {left}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }
        }

        return (tried, failures);
    }

    private sealed record Form(string Handler, Dictionary<string, string> Fields);

    /// <summary>The forms of a page with the values a browser would send.</summary>
    private static IEnumerable<Form> Forms(string html)
    {
        foreach (Match form in FormElement().Matches(html))
        {
            var fields = new Dictionary<string, string>();
            foreach (Match field in Field().Matches(form.Groups["body"].Value))
            {
                var name = WebUtility.HtmlDecode(field.Groups["name"].Value);
                var value = field.Groups["tag"].Value switch
                {
                    "select" => Option().Match(field.Groups["inner"].Value) is { Success: true } option ? option.Groups["value"].Value : "",
                    "textarea" => field.Groups["inner"].Value,
                    _ => Value().Match(field.Value) is { Success: true } v ? v.Groups["value"].Value : "",
                };
                fields.TryAdd(name, WebUtility.HtmlDecode(value));
            }

            if (fields.TryGetValue("_handler", out var handler))
            {
                yield return new Form(handler, fields);
            }
        }
    }

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormElement();

    [GeneratedRegex("<(?<tag>input|select|textarea)\\b[^>]*\\bname=\"(?<name>[^\"]+)\"[^>]*>(?:(?<inner>.*?)</\\k<tag>>)?", RegexOptions.Singleline)]
    private static partial Regex Field();

    [GeneratedRegex("<option[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.Singleline)]
    private static partial Regex Option();

    [GeneratedRegex("\\bvalue=\"(?<value>[^\"]*)\"")]
    private static partial Regex Value();
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqlitePageFormTests(SqliteApp app) : PageFormTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresPageFormTests(PostgresApp app) : PageFormTests(app);
