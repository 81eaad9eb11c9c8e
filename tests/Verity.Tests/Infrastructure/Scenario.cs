using System.Text.Json.Nodes;
using Verity.Domain.Common;

namespace Verity.Tests.Infrastructure;

/// <summary>One account with a record of every kind, and the team member who works it.</summary>
public sealed record Scenario(
    ApiClient Manager,
    ApiClient Csm,
    string AccountId,
    string StakeholderId,
    string OpportunityId,
    string PlanId,
    string ObjectiveId,
    string MetricId,
    string InitiativeId,
    string ActivityId,
    string InternalActivityId)
{
    public static async Task<Scenario> CreateAsync(VerityApp app, string? name = null)
    {
        var manager = await app.SignInAsync(UserRole.Manager);
        var csm = await app.SignInAsync(UserRole.CustomerSuccessManager);
        var account = await manager.CreateAsync("accounts", new { name = name ?? $"Acme {Domain.Common.Ids.New()[^8..]}", potentialUsers = 1200, isFocusAccount = true });
        var accountId = account.Id();
        (await manager.PutAsync($"accounts/{accountId}/team", new[] { new { userId = csm.UserId, role = "customerSuccessManager" } }))
            .EnsureSuccessStatusCode();
        var stakeholder = await csm.CreateAsync($"accounts/{accountId}/stakeholders",
            new { name = "Priya Raman", title = "VP Engineering", email = "priya@acme.example", side = "customer", role = "executiveSponsor" });
        var plan = await csm.CreateAsync("plans", new
        {
            accountId,
            title = "Acme — Mutual Success Plan",
            sections = new Dictionary<string, object> { ["whatWeHeard"] = new { content = "Releases are slow." } },
        });
        var opportunity = await csm.CreateAsync("opportunities",
            new { accountId, name = "Acme expansion", type = "growth", stage = "technicalEvaluation", netArr = 450000, successPlanId = plan.Id() });
        var objective = await csm.CreateAsync($"plans/{plan.Id()}/objectives", new
        {
            title = "Increase deployment frequency from 2 to 10 per week",
            kind = "quantitative",
            successCriteria = "10 deployments per week for a month",
            businessImpact = "Time to market 5x",
            targetDate = "2027-06-30",
            stakeholderIds = new[] { stakeholder.Id() },
        });
        var metric = await csm.CreateAsync($"objectives/{objective.Id()}/metrics", new
        {
            name = "Deployment frequency",
            unit = "per week",
            direction = "increase",
            baseline = new { value = 2, at = "2026-01-15" },
            target = new { value = 10, by = "2027-06-30" },
        });
        await csm.CreateAsync($"metrics/{metric.Id()}/measurements", new { value = 6, at = "2026-06-01", source = "pipeline analytics" });
        var initiative = await csm.CreateAsync($"objectives/{objective.Id()}/initiatives",
            new { title = "Pipeline templates", kind = "enablement", dueDate = "2026-12-15", tasks = new[] { new { title = "Workshop" } } });
        var activity = await csm.CreateAsync($"objectives/{objective.Id()}/activities",
            new { type = "cadenceCall", summary = "Seven deployments last week.", visibility = "customer" });
        var internalActivity = await csm.CreateAsync($"accounts/{accountId}/activities",
            new { type = "note", summary = "Escalate through Priya if blocked." });
        return new Scenario(manager, csm, accountId, stakeholder.Id(), opportunity.Id(), plan.Id(), objective.Id(), metric.Id(),
            initiative.Id(), activity.Id(), internalActivity.Id());
    }

    /// <summary>The single-record paths of every record in the scenario.</summary>
    public IEnumerable<string> RecordPaths() =>
    [
        $"accounts/{AccountId}",
        $"accounts/{AccountId}/team",
        $"accounts/{AccountId}/stakeholders",
        $"accounts/{AccountId}/activities",
        $"stakeholders/{StakeholderId}",
        $"opportunities/{OpportunityId}",
        $"plans/{PlanId}",
        $"plans/{PlanId}/objectives",
        $"objectives/{ObjectiveId}",
        $"objectives/{ObjectiveId}/metrics",
        $"objectives/{ObjectiveId}/initiatives",
        $"objectives/{ObjectiveId}/activities",
        $"metrics/{MetricId}",
        $"metrics/{MetricId}/measurements",
        $"initiatives/{InitiativeId}",
        $"activities/{ActivityId}",
    ];

    public static IEnumerable<string> ItemIds(JsonObject page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>());
}
