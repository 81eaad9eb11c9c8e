using CsCheck;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Plans;
using Verity.Features.Opportunities;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The compliance report filters in SQL (<see cref="CspCompliance"/>); the response assesses in memory
/// (<see cref="CspRequirement.Assess"/>). For generated deals — every type and stage, amounts on and around each
/// threshold, focus or not, flags, exceptions, no plan, a plan in each status, a link to a plan that is gone —
/// and generated thresholds, the database must pick exactly the deals the rule calls missing or in progress.
/// </summary>
public abstract class CspComplianceTests(VerityApp app) : ApiTests(app)
{
    private static readonly decimal[] _amounts = [0m, 0.01m, 29_999.99m, 30_000m, 30_000.01m, 99_999.99m, 100_000m, 299_999.99m, 300_000m, 300_000.01m, 1_250_000m];

    private sealed record Deal(
        OpportunityType Type, OpportunityStage Stage, decimal NetArr, bool Focus, bool SaValidated, bool RequiredByManager, bool Excepted, int Plan);

    private static readonly Gen<decimal> _amount = Gen.OneOf(Gen.Int[0, _amounts.Length - 1].Select(i => _amounts[i]), Gen.Int[0, 2_000_000].Select(i => i * 0.5m));

    private static readonly Gen<bool> _rarely = Gen.Int[0, 3].Select(i => i == 0);

    // Plan: 0 none, 1..4 a plan in that status, 5 a link to a plan that does not exist.
    private static readonly Gen<Deal> _deal = Gen.Select(
        Gen.Select(Gen.Enum<OpportunityType>(), Gen.Enum<OpportunityStage>(), _amount, Gen.Bool),
        Gen.Select(_rarely, _rarely, _rarely, Gen.Int[0, 5]),
        (a, b) => new Deal(a.Item1, a.Item2, a.Item3, a.Item4, b.Item1, b.Item2, b.Item3, b.Item4));

    private static readonly Gen<CspThresholds> _thresholds = Gen.Select(_amount, _amount, _amount)
        .Select((a, b, c) => new CspThresholds { NewOrGrowthNetArr = a, FocusAccountNetArr = b, RenewalRecommendedNetArr = c });

    [Fact]
    public async Task The_database_picks_the_deals_the_rule_calls_missing_or_in_progress()
    {
        var ct = TestContext.Current.CancellationToken;
        await Gen.Select(_deal.Array[1, 40], Gen.Frequency((1, Gen.Const(new CspThresholds())), (2, _thresholds))).SampleAsync(async (deals, thresholds) =>
        {
            await using var db = App.Services.CreateSystemContext();
            var tag = Ids.New();
            var focus = new Account { Name = $"Focus {tag}", IsFocusAccount = true };
            var plain = new Account { Name = $"Plain {tag}" };
            db.Accounts.AddRange(focus, plain);
            var plans = new Dictionary<(string, PlanStatus), SuccessPlan>();
            foreach (var account in new[] { focus, plain })
            {
                foreach (var status in Enum.GetValues<PlanStatus>())
                {
                    var plan = new SuccessPlan { AccountId = account.Id, Title = $"{status}", Template = "standard", Status = status };
                    plans[(account.Id, status)] = plan;
                    db.Plans.Add(plan);
                }
            }

            var expected = new Dictionary<string, CspStatus>();
            foreach (var deal in deals)
            {
                var account = deal.Focus ? focus : plain;
                var planStatus = deal.Plan is >= 1 and <= 4 ? (PlanStatus)(deal.Plan - 1) : (PlanStatus?)null;
                var o = new Opportunity
                {
                    AccountId = account.Id, Name = "Generated", Type = deal.Type, Stage = deal.Stage, NetArr = deal.NetArr,
                    SaValidatedTechEval = deal.SaValidated,
                    SuccessPlanId = planStatus is { } s ? plans[(account.Id, s)].Id : deal.Plan == 5 ? Ids.New() : null,
                };
                o.RequirePlan(deal.RequiredByManager, "generated");
                if (deal.Excepted)
                {
                    o.GrantCspException("Generated.", null, DateTime.UtcNow);
                }

                db.Opportunities.Add(o);
                expected[o.Id] = CspRequirement.Assess(o, deal.Focus, planStatus, thresholds).Status;
            }

            await db.SaveChangesAsync(ct);

            var mine = db.Opportunities.AsNoTracking().Where(o => o.AccountId == focus.Id || o.AccountId == plain.Id);
            var nonCompliant = await CspCompliance.NonCompliant(db, mine, thresholds).Select(o => o.Id).ToListAsync(ct);
            var missing = await CspCompliance.NonCompliant(db, mine, thresholds, CspStatus.Missing).Select(o => o.Id).ToListAsync(ct);
            var inProgress = await CspCompliance.NonCompliant(db, mine, thresholds, CspStatus.InProgress).Select(o => o.Id).ToListAsync(ct);
            var required = await mine.Where(CspCompliance.Required(db, thresholds)).Select(o => o.Id).ToListAsync(ct);

            var why = $"thresholds {thresholds}; deals:\n{string.Join("\n", deals.Zip(expected).Select(d => $"{d.First} -> {d.Second.Value}"))}";
            Assert.True(Same(expected.Where(e => e.Value is CspStatus.Missing or CspStatus.InProgress), nonCompliant), "not compliant: " + why);
            Assert.True(Same(expected.Where(e => e.Value is CspStatus.Missing), missing), "missing: " + why);
            Assert.True(Same(expected.Where(e => e.Value is CspStatus.InProgress), inProgress), "in progress: " + why);
            Assert.True(Same(expected.Where(e => e.Value is not CspStatus.NotRequired), required), "required: " + why);
        }, iter: 25, threads: 1);
    }

    private static bool Same(IEnumerable<KeyValuePair<string, CspStatus>> expected, List<string> actual) =>
        expected.Select(e => e.Key).Order().SequenceEqual(actual.Order());
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteCspComplianceTests(SqliteApp app) : CspComplianceTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresCspComplianceTests(PostgresApp app) : CspComplianceTests(app);
