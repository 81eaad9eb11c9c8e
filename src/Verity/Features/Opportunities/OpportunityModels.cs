using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Plans;
using Verity.Http;

namespace Verity.Features.Opportunities;

public sealed record OpportunityInput : System.ComponentModel.DataAnnotations.IValidatableObject
{
    [Mandatory]
    public string? AccountId { get; init; }

    [Mandatory, Name]
    public string? Name { get; init; }

    [Mandatory]
    public OpportunityType? Type { get; init; }

    public OpportunityStage Stage { get; init; } = OpportunityStage.Discovery;

    [NonNegative]
    public decimal NetArr { get; init; }

    public bool SaValidatedTechEval { get; init; }

    public string? SuccessPlanId { get; init; }

    /// <summary>When the deal is expected to close, as the CRM has it.</summary>
    [PlausibleDate]
    public DateOnly? CloseDate { get; init; }

    /// <summary>A manager may require a plan beyond the rules.</summary>
    public bool CspRequiredByManager { get; init; }

    /// <summary>Read-only: it follows the linked plan. Accepted here only to explain that.</summary>
    public bool? CustomerAccepted { get; init; }

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (CustomerAccepted is not null)
        {
            yield return new("Read-only: it follows the linked plan, which counts once it is shared with or accepted by the customer.", ["customerAccepted"]);
        }
    }

    public static OpportunityInput From(Opportunity o) => new()
    {
        AccountId = o.AccountId,
        Name = o.Name,
        Type = o.Type,
        Stage = o.Stage,
        NetArr = o.NetArr,
        SaValidatedTechEval = o.SaValidatedTechEval,
        SuccessPlanId = o.SuccessPlanId,
        CloseDate = o.CloseDate,
        CspRequiredByManager = o.CspRequiredBy is not null,
    };

    public async Task ApplyToAsync(Opportunity o, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        if (SuccessPlanId is not null
            && !await db.Plans.AnyAsync(p => p.Id == SuccessPlanId && p.AccountId == o.AccountId, cancellationToken))
        {
            throw new BadInputException("successPlanId", $"No success plan '{SuccessPlanId}' on this opportunity's account.");
        }

        if (CspRequiredByManager != (o.CspRequiredBy is not null))
        {
            if (!actor.CanRequirePlans)
            {
                throw new ForbiddenException("Only a manager, director or admin decides that an opportunity needs a plan beyond the rules.");
            }

            o.RequirePlan(CspRequiredByManager, actor.UserId);
        }

        o.Name = Name!.Trim();
        o.Type = Type!.Value;
        o.Stage = Stage;
        o.NetArr = NetArr;
        o.SaValidatedTechEval = SaValidatedTechEval;
        o.SuccessPlanId = SuccessPlanId;
        o.CloseDate = CloseDate;
    }
}

public sealed record ExceptionInput
{
    [Mandatory, Text]
    public string? Justification { get; init; }
}

public sealed record CspExceptionResponse(string Justification, string? ApprovedBy, DateTime ApprovedAt);

public sealed record OpportunityResponse(
    string Id,
    string AccountId,
    string Name,
    OpportunityType Type,
    OpportunityStage Stage,
    decimal NetArr,
    bool SaValidatedTechEval,
    string? SuccessPlanId,
    bool CustomerAccepted,
    bool CspRequired,
    IReadOnlyList<string> CspReasons,
    CspStatus CspStatus,
    IReadOnlyList<string> CspGaps,
    bool CspRequiredByManager,
    CspExceptionResponse? CspException,
    DateOnly? CloseDate,
    string? ExternalId,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IHasId;

/// <summary>An opportunity with what its plan requirement depends on: the account's focus flag and the linked plan's status.</summary>
public sealed record OpportunityRow(Opportunity Opportunity, bool FocusAccount, PlanStatus? PlanStatus) : IHasId
{
    public string Id => Opportunity.Id;

    public OpportunityResponse ToResponse(CspThresholds thresholds)
    {
        var o = Opportunity;
        var csp = CspRequirement.Assess(o, FocusAccount, PlanStatus, thresholds);
        return new OpportunityResponse(
            o.Id, o.AccountId, o.Name, o.Type, o.Stage, o.NetArr, o.SaValidatedTechEval, o.SuccessPlanId, csp.CustomerAccepted,
            csp.Required, csp.Reasons, csp.Status, csp.Gaps, o.CspRequiredBy is not null,
            o.CspExceptionApprovedAt is { } at ? new CspExceptionResponse(o.CspExceptionJustification!, o.CspExceptionApprovedBy, at) : null,
            o.CloseDate, o.ExternalId, o.CreatedAt, o.UpdatedAt);
    }
}

public static class OpportunityReads
{
    /// <summary>Opportunities with their account's focus flag and their plan's status, in one query.</summary>
    public static IQueryable<OpportunityRow> Rows(VerityDb db, IQueryable<Opportunity> opportunities) =>
        from o in opportunities
        join a in db.Accounts on o.AccountId equals a.Id
        select new OpportunityRow(o, a.IsFocusAccount, db.Plans.Where(p => p.Id == o.SuccessPlanId).Select(p => (PlanStatus?)p.Status).FirstOrDefault());

    public static async Task<OpportunityRow> OneAsync(VerityDb db, string id, CancellationToken cancellationToken) =>
        await Rows(db, db.Opportunities.AsNoTracking().Where(o => o.Id == id)).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Opportunity '{id}'");
}
