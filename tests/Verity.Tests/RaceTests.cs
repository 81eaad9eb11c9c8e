using System.Net;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Writers that race to create the same record: one wins, the others are told to read again, none sees a 500.</summary>
public abstract class RaceTests(VerityApp app) : ApiTests(app)
{
    private const int Rounds = 6;
    private const int Writers = 4;

    [Fact]
    public async Task First_writes_of_a_close_plan_at_once_answer_200_or_409()
    {
        var s = await Scenario.CreateAsync(App);
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < Rounds; round++)
        {
            var opportunity = await s.Csm.CreateAsync("opportunities", new { accountId = s.AccountId, name = $"Race {round}", type = "new" });
            statuses.AddRange(await AtOnceAsync(writer => s.Csm.PutAsync($"opportunities/{opportunity.Id()}/close-plan", new
            {
                elements = new Dictionary<string, object> { ["whatWeHeard"] = new { content = $"Writer {writer}" } },
            })));
            var closePlan = await s.Csm.GetJsonAsync($"opportunities/{opportunity.Id()}/close-plan");
            Assert.Contains("Writer ", closePlan.ToJsonString());
        }

        AssertOnlyWinnersAndLosers(statuses);
    }

    [Fact]
    public async Task Adding_the_same_plan_section_at_once_answers_200_409_or_412()
    {
        var s = await Scenario.CreateAsync(App);
        string[] keys = ["companyBackground", "keyStakeholders", "businessOutcomes", "workflows", "useCasesRisks", "activities"];
        var statuses = new List<HttpStatusCode>();
        foreach (var key in keys.Take(Rounds))
        {
            statuses.AddRange(await AtOnceAsync(writer => s.Csm.PatchAsync($"plans/{s.PlanId}", new
            {
                sections = new Dictionary<string, object> { [key] = new { content = $"Writer {writer}" } },
            })));
        }

        AssertOnlyWinnersAndLosers(statuses);
        var plan = await s.Csm.GetJsonAsync($"plans/{s.PlanId}");
        Assert.All(keys.Take(Rounds), key => Assert.Contains($"\"{key}\"", plan.ToJsonString()));
    }

    private static async Task<HttpStatusCode[]> AtOnceAsync(Func<int, Task<HttpResponseMessage>> write)
    {
        using var start = new SemaphoreSlim(0);
        var writers = Enumerable.Range(0, Writers).Select(async writer =>
        {
            await start.WaitAsync();
            return (await write(writer)).StatusCode;
        }).ToList();
        start.Release(Writers);
        return await Task.WhenAll(writers);
    }

    private static void AssertOnlyWinnersAndLosers(List<HttpStatusCode> statuses)
    {
        var summary = string.Join(", ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
        Assert.True(statuses.All(s => s is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed), summary);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= Rounds, summary);
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteRaceTests(SqliteApp app) : RaceTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresRaceTests(PostgresApp app) : RaceTests(app);
