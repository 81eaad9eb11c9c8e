using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Http;

namespace Verity.Features.Accounts;

public static class LifecycleEndpoints
{
    public static void MapLifecycle(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/accounts/{id}/lifecycle").WithTags("Lifecycle");
        group.MapGet("/", Get)
            .WithSummary("Get the account lifecycle")
            .WithDescription("The 22 steps of the responsibility matrix for this account, each with who is responsible, its stage, its output and whether it is done. Vendor side only: customers get 403.");
        group.MapPut("/{sequence:int}", Check).Accepts<LifecycleCheckInput>("application/json")
            .WithSummary("Check off a lifecycle step")
            .WithDescription("Marks a step done or not done by hand. Steps Verity works out from its own records answer 409; customers get 403.");
    }

    /// <summary>The 22 steps with what is done — derived where Verity knows, checked by hand otherwise — and who acts next.</summary>
    /// <remarks>
    /// The steps checked by hand are parts of the account, as its team is: the ETag is the account's version,
    /// which moves when a step is checked.
    /// </remarks>
    private static async Task<Ok<LifecycleResponse>> Get(
        string id, VerityDb db, Actor actor, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().GetAsync(id, cancellationToken);
        actor.EnsureVendorSide("The account lifecycle is the vendor team's working view.");

        ETags.Set(response, account.Version);
        return TypedResults.Ok(await ReadAsync(db, account, clock, cancellationToken));
    }

    /// <summary>Checks off (or unchecks) a step Verity cannot see for itself.</summary>
    private static async Task<Ok<LifecycleResponse>> Check(
        string id, int sequence, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, account);
        if (Lifecycle.Steps.All(s => s.Sequence != sequence))
        {
            throw new NotFoundException($"Lifecycle step {sequence}");
        }

        if (Lifecycle.IsDerived(sequence))
        {
            throw new ConflictException($"Step {sequence} is worked out from Verity's own records and cannot be checked by hand.");
        }

        var input = await Json.ReadAsync<LifecycleCheckInput>(request);
        var check = await db.LifecycleChecks.FirstOrDefaultAsync(c => c.AccountId == id && c.Sequence == sequence, cancellationToken);
        if (check is null)
        {
            check = new LifecycleCheck { AccountId = account.Id, Sequence = sequence };
            db.LifecycleChecks.Add(check);
        }

        check.Done = input.Done!.Value;
        check.CheckedBy = actor.UserId;
        ETags.MoveWithParts(db, account);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, account.Version);
        return TypedResults.Ok(await ReadAsync(db, account, clock, cancellationToken));
    }

    /// <summary>The lifecycle as the API gives it: reads the rows the account page shows anyway, then as the page does.</summary>
    public static async Task<LifecycleResponse> ReadAsync(VerityDb db, Account account, TimeProvider clock, CancellationToken cancellationToken)
    {
        var id = account.Id;
        var team = await db.TeamMembers.Where(t => t.AccountId == id).Select(t => new ShownTeamMember(t.UserId, t.Role)).ToListAsync(cancellationToken);
        var stages = await db.Opportunities.Where(o => o.AccountId == id).Select(o => o.Stage).ToListAsync(cancellationToken);
        var plans = await db.Plans.Where(p => p.AccountId == id).Select(p => new ShownPlan(p.Status, p.OwnerId)).ToListAsync(cancellationToken);
        var successCriteriaAgreed = await db.Objectives.AnyAsync(o => o.AccountId == id && o.OutcomeStage != OutcomeStage.Proposed, cancellationToken);
        return await ReadAsync(db, account, new ShownLifecycle(team, stages, plans, successCriteriaAgreed), clock, cancellationToken);
    }

    /// <summary>
    /// The 22 steps from the rows the caller has read already (the account page shows its team, opportunities, plans
    /// and objectives); reads only what it does not show: the written close-plan elements, a recent cadence and the
    /// steps checked by hand.
    /// </summary>
    public static async Task<LifecycleResponse> ReadAsync(VerityDb db, Account account, ShownLifecycle shown, TimeProvider clock, CancellationToken cancellationToken)
    {
        var id = account.Id;
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-90);
        var team = shown.Team;
        var stages = shown.OpportunityStages;
        var plans = shown.Plans;
        var closeElements = await db.ClosePlanElements.Where(e => e.AccountId == id && e.Content != "").Select(e => e.Key).ToListAsync(cancellationToken);
        var csms = team.Where(t => t.Role == TeamRole.CustomerSuccessManager).Select(t => t.UserId).ToList();
        var facts = new AccountFacts(
            HasOpportunity: stages.Count > 0,
            OpportunityPastDiscovery: stages.Any(s => s > OpportunityStage.Discovery),
            SolutionsArchitectOnTeam: team.Any(t => t.Role == TeamRole.SolutionsArchitect),
            CsmOnTeam: csms.Count > 0,
            ImplementationEngineerOnTeam: team.Any(t => t.Role == TeamRole.ImplementationEngineer),
            EnvironmentCaptured: !string.IsNullOrWhiteSpace(account.Environment),
            TechnicalEvaluationWritten: closeElements.Contains("technicalEvaluation"),
            WorkflowsWritten: closeElements.Contains("workflows"),
            SuccessCriteriaAgreed: shown.SuccessCriteriaAgreed,
            PlanReviewedWithCustomer: plans.Any(p => p.Status is PlanStatus.SharedWithCustomer or PlanStatus.CustomerAccepted),
            ClosedWon: stages.Contains(OpportunityStage.ClosedWon),
            PlanOwnedByCsm: plans.Any(p => p.OwnerId is not null && csms.Contains(p.OwnerId)),
            RecentCadence: await db.Activities.AnyAsync(
                a => a.AccountId == id && (a.Type == ActivityType.CadenceCall || a.Type == ActivityType.BusinessReview) && a.OccurredAt >= since,
                cancellationToken));
        var checks = await db.LifecycleChecks.Where(c => c.AccountId == id).ToDictionaryAsync(c => c.Sequence, cancellationToken);

        var steps = Lifecycle.Steps.Select(step =>
        {
            if (Lifecycle.Derived(step.Sequence, facts) is { } derived)
            {
                return new LifecycleStepResponse(step.Sequence, step.Activity, step.ResponsibleRole, step.RelationshipStage, step.OpportunityStage,
                    step.Output, derived.Done, "derived", derived.Done ? derived.Evidence : null, null);
            }

            var check = checks.GetValueOrDefault(step.Sequence);
            return new LifecycleStepResponse(step.Sequence, step.Activity, step.ResponsibleRole, step.RelationshipStage, step.OpportunityStage,
                step.Output, check?.Done ?? false, "manual", null, check?.CheckedBy);
        }).ToList();
        var next = steps.FirstOrDefault(s => !s.Done);
        return new LifecycleResponse(steps, next?.Sequence, next?.ResponsibleRole);
    }
}

/// <summary>
/// What the account page shows anyway and the lifecycle's derived steps read: who is on the team in which role, the
/// opportunities' stages, the plans' status and owner, and whether any objective's success criteria are agreed (its
/// outcome past proposed).
/// </summary>
public sealed record ShownLifecycle(
    IReadOnlyList<ShownTeamMember> Team, IReadOnlyList<OpportunityStage> OpportunityStages, IReadOnlyList<ShownPlan> Plans, bool SuccessCriteriaAgreed);

public sealed record ShownTeamMember(string UserId, TeamRole Role);

public sealed record ShownPlan(PlanStatus Status, string? OwnerId);

public sealed record LifecycleCheckInput
{
    [Mandatory]
    public bool? Done { get; init; }
}

public sealed record LifecycleStepResponse(
    int Sequence, string Activity, string ResponsibleRole, string RelationshipStage, string OpportunityStage, string Output,
    bool Done, string Source, string? Evidence, string? CheckedBy);

public sealed record LifecycleResponse(IReadOnlyList<LifecycleStepResponse> Steps, int? NextStep, string? NextResponsibleRole);
