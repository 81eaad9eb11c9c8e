using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Plans;
using Verity.Features.Portfolio;
using Verity.Http;

namespace Verity.Features.Opportunities;

/// <summary>The compliance report: one page of the deals that need a plan and are not compliant, and how many there are.</summary>
public sealed record ComplianceReport(IReadOnlyList<OpportunityResponse> Items, string? NextCursor, int Missing, int InProgress);

/// <summary>
/// <see cref="CspRequirement.Assess"/> as a predicate the database runs (SQLite and PostgreSQL), with the thresholds
/// as parameters, so the report pages over ids like every list and assesses only its page in memory (for the reasons).
/// A persisted status column would have to follow six inputs on three tables and the settings; the predicate cannot go stale.
/// </summary>
/// <remarks>
/// Enums are stored as their names, so <c>Stage &gt;= TechnicalEvaluation</c> would compare strings in SQL: the stages at or
/// past technical evaluation are listed one by one (closed-lost is ruled out before). <c>CspComplianceTests</c> holds this to <see cref="CspRequirement.Assess"/> on generated deals.
/// </remarks>
public static class CspCompliance
{
    /// <summary>The deals that need a plan, have no exception, and whose plan (if any) has not been reviewed with the customer.</summary>
    public static IQueryable<Opportunity> NonCompliant(VerityDb db, IQueryable<Opportunity> opportunities, CspThresholds thresholds, CspStatus? only = null)
    {
        var query = opportunities.Where(Required(db, thresholds)).Where(o => o.CspExceptionApprovedAt == null);
        return only switch
        {
            CspStatus.Missing => query.Where(Missing(db)),
            CspStatus.InProgress => query.Where(InProgress(db)),
            null => query.Where(o => !db.Plans.Any(p => p.Id == o.SuccessPlanId
                && (p.Status == PlanStatus.SharedWithCustomer || p.Status == PlanStatus.CustomerAccepted))),
            _ => throw new ArgumentOutOfRangeException(nameof(only), only, "The report lists only missing and in-progress deals."),
        };
    }

    /// <summary>Whether the rules require a plan: <see cref="CspAssessment.Required"/>.</summary>
    public static Expression<Func<Opportunity, bool>> Required(VerityDb db, CspThresholds thresholds)
    {
        // Locals, so EF sends them as parameters: one SQL text whatever the settings.
        var newOrGrowth = thresholds.NewOrGrowthNetArr;
        var focus = thresholds.FocusAccountNetArr;
        return o => o.Stage != OpportunityStage.ClosedLost
            && (((o.Type == OpportunityType.New || o.Type == OpportunityType.Growth)
                    && o.NetArr >= newOrGrowth
                    && (o.Stage == OpportunityStage.TechnicalEvaluation || o.Stage == OpportunityStage.Proposal
                        || o.Stage == OpportunityStage.Negotiating || o.Stage == OpportunityStage.ClosedWon))
                || (o.NetArr >= focus && db.Accounts.Any(a => a.Id == o.AccountId && a.IsFocusAccount))
                || o.SaValidatedTechEval
                || o.CspRequiredBy != null);
    }

    /// <summary>No plan linked (or the linked one is gone): <see cref="CspStatus.Missing"/> once required and not excepted.</summary>
    public static Expression<Func<Opportunity, bool>> Missing(VerityDb db) =>
        o => !db.Plans.Any(p => p.Id == o.SuccessPlanId);

    /// <summary>A linked plan not yet shared with or accepted by the customer: <see cref="CspStatus.InProgress"/>.</summary>
    public static Expression<Func<Opportunity, bool>> InProgress(VerityDb db) =>
        o => db.Plans.Any(p => p.Id == o.SuccessPlanId
            && p.Status != PlanStatus.SharedWithCustomer && p.Status != PlanStatus.CustomerAccepted);

    /// <summary>
    /// One page of the report (ids in order), and the totals over every page. The totals count every deal in view that
    /// needs a plan (17,000 open deals at 10,000 accounts), so they are kept like the portfolio's figures
    /// (<see cref="BookFigures"/>) until the book changes; the page itself is always read afresh.
    /// </summary>
    public static async Task<ComplianceReport> ReportAsync(
        VerityDb db, BookFigures figures, ComplianceFilter filter, CspThresholds thresholds, int? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var nonCompliant = NonCompliant(db, filter.Apply(db), thresholds, filter.Only);
        var page = await nonCompliant.PageAsync(limit, cursor, rows => OpportunityReads.Rows(db, rows), cancellationToken);
        var what = FormattableString.Invariant(
            $"compliance|{thresholds.NewOrGrowthNetArr}|{thresholds.FocusAccountNetArr}|{filter.Stage}|{filter.Only}|{filter.OwnerId}");
        var totals = await figures.GetAsync(what, db.Actor, (fresh, ct) => TotalsAsync(fresh, filter, thresholds, ct), cancellationToken);
        return new ComplianceReport(
            page.Items.Select(r => r.ToResponse(thresholds)).ToList(), page.NextCursor, totals.Value.Missing, totals.Value.InProgress);
    }

    /// <summary>How many deals in view have no plan, and how many have one not yet reviewed with the customer.</summary>
    private static async Task<(int Missing, int InProgress)> TotalsAsync(
        VerityDb db, ComplianceFilter filter, CspThresholds thresholds, CancellationToken cancellationToken)
    {
        var totals = await NonCompliant(db, filter.Apply(db), thresholds, filter.Only)
            .Select(o => db.Plans.Any(p => p.Id == o.SuccessPlanId))
            .GroupBy(linked => linked)
            .Select(g => new { Linked = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return (totals.Where(t => !t.Linked).Sum(t => t.Count), totals.Where(t => t.Linked).Sum(t => t.Count));
    }
}

/// <summary>What the report is narrowed to: a stage, the accounts of one team member, missing or in-progress deals only.</summary>
public sealed record ComplianceFilter(OpportunityStage? Stage = null, string? OwnerId = null, CspStatus? Only = null)
{
    /// <summary>The deals in view (<see cref="VerityDb.OpportunitiesInView"/>) with the filter applied.</summary>
    public IQueryable<Opportunity> Apply(VerityDb db)
    {
        var query = db.OpportunitiesInView;
        if (Stage is { } stage)
        {
            query = query.Where(o => o.Stage == stage);
        }

        if (!string.IsNullOrWhiteSpace(OwnerId))
        {
            query = query.Where(o => db.TeamMembers.Where(t => t.UserId == OwnerId).Select(t => t.AccountId).Contains(o.AccountId));
        }

        return query;
    }
}
