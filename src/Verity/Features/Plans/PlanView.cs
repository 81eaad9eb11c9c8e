using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Plans;
using Verity.Features.Objectives;

namespace Verity.Features.Plans;

/// <summary>
/// Everything a page shows of one plan, read in a fixed number of queries: the plan page and the customer's
/// portal page read it the same way, and the caller's context decides what is visible.
/// </summary>
public sealed record PlanView(
    SuccessPlan Entity,
    PlanResponse Plan,
    string AccountName,
    ILookup<string, (DateOnly At, double Value)> Measurements,
    Dictionary<string, string> Names,
    List<Activity> Activities,
    List<Comments.CommentResponse> Comments,
    Dictionary<string, string> Files)
{
    public static async Task<PlanView?> LoadAsync(VerityDb db, string id, DateOnly today, CancellationToken cancellationToken)
    {
        var entity = await db.Plans.AsNoTracking().Include(p => p.Sections).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (entity is null)
        {
            return null;
        }

        var plan = PlanResponse.From(entity, await ObjectiveReads.ForPlanAsync(db, id, today, cancellationToken));
        // Null too when the caller left the account's team a moment ago.
        if (await db.Accounts.Where(a => a.Id == entity.AccountId).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken) is not { } accountName)
        {
            return null;
        }

        var metricIds = plan.Objectives.SelectMany(o => o.Metrics).Select(m => m.Id).ToList();
        var measurements = (await db.Measurements.AsNoTracking().Where(m => metricIds.Contains(m.MetricId))
                .Select(m => new { m.MetricId, m.At, m.Value }).ToListAsync(cancellationToken))
            .ToLookup(m => m.MetricId, m => (m.At, m.Value));
        var people = plan.Objectives.Select(o => o.OwnerId).Concat(plan.Objectives.SelectMany(o => o.Initiatives).Select(i => i.OwnerId)).Append(plan.OwnerId)
            .OfType<string>().Distinct().ToList();
        var names = await db.Users.Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var stakeholderIds = plan.Objectives.SelectMany(o => o.Initiatives).Select(i => i.OwnerStakeholderId)
            .Append(entity.AcceptedBy)
            .Concat(plan.Objectives.SelectMany(o => o.Confirmations).Select(c => c.StakeholderId))
            .OfType<string>().ToList();
        foreach (var s in await db.Stakeholders.Where(s => stakeholderIds.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken))
        {
            names[s.Id] = s.Name;
        }

        var activities = await db.Activities.AsNoTracking().Where(a => a.PlanId == id).OrderByDescending(a => a.OccurredAt).Take(50).ToListAsync(cancellationToken);
        var comments = await Features.Comments.Comments.ReadAsync(db, id, null, cancellationToken);

        // Evidence files by id, as far as the caller may see them: a customer does not learn the team's internal file names.
        var evidenceIds = plan.Objectives.SelectMany(o => o.Confirmations).SelectMany(c => c.AttachmentIds).Distinct().ToList();
        var files = await db.Attachments.Where(a => evidenceIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.FileName, cancellationToken);
        return new PlanView(entity, plan, accountName, measurements, names, activities, comments, files);
    }
}
