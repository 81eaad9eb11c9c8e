using CsCheck;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;

namespace Verity.Domain.Tests;

public sealed class ObjectiveLifecycleTests
{
    private static readonly DateTime _now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly _today = new(2026, 11, 23);
    private static readonly SmartMetric[] _agreedMetric = [new("Deployment frequency", MetricDirection.Increase, 2, 10)];

    private static Objective Smart(ObjectiveKind kind = ObjectiveKind.Quantitative) => new()
    {
        AccountId = "a",
        PlanId = "p",
        Title = "Increase deployment frequency from 2 to 10 per week",
        Kind = kind,
        SuccessCriteria = "10 deployments per week",
        BusinessImpact = "Time to market 5x",
        TargetDate = new DateOnly(2027, 6, 30),
    };

    private static void Confirm(Objective o) => o.Confirmations.Add(new Confirmation
    {
        AccountId = "a",
        ObjectiveId = o.Id,
        StakeholderId = "s",
        ConfirmedAt = _now,
        Statement = "We deploy ten times a week now.",
    });

    [Fact]
    public void A_smart_objective_walks_every_outcome_stage_once_confirmed()
    {
        var o = Smart();
        o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        o.MoveTo(OutcomeStage.Accepted, null, _agreedMetric, _today);
        o.MoveTo(OutcomeStage.Delivered, null, _agreedMetric, _today);
        var refused = Assert.Throws<RuleViolation>(() => o.MoveTo(OutcomeStage.Verified, null, _agreedMetric, _today));
        Assert.Contains("written confirmation", refused.Message);

        Confirm(o);
        var move = o.MoveTo(OutcomeStage.Verified, "Priya confirmed on the QBR", _agreedMetric, _today);
        Assert.Equal(new ObjectiveMove("outcomeStage", "delivered", "verified", "Priya confirmed on the QBR"), move);
        o.MoveTo(ObjectiveStatus.ClosedSuccess, null);
        Assert.Equal(ObjectiveStatus.ClosedSuccess, o.Status);
    }

    [Fact]
    public void What_the_next_step_needs_is_what_the_move_would_refuse_for()
    {
        var vague = new Objective { AccountId = "a", PlanId = "p", Title = "Faster releases", Kind = ObjectiveKind.Quantitative };
        var needs = vague.Needs(OutcomeStage.Accepted, [], _today);
        Assert.Equal(3, needs.Count);
        Assert.Contains(needs, n => n.Contains("success criteria", StringComparison.Ordinal));
        Assert.Throws<RuleViolation>(() => vague.MoveTo(OutcomeStage.Accepted, null, [], _today));

        var o = Smart();
        Assert.Empty(o.Needs(ObjectiveStatus.WorkInProgress));
        Assert.Empty(o.Needs(OutcomeStage.Accepted, _agreedMetric, _today));
        o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        Assert.Equal(["a customer confirmation in writing"], o.Needs(OutcomeStage.Verified, _agreedMetric, _today));
        Assert.Equal(["a customer confirmation in writing"], o.Needs(ObjectiveStatus.ClosedSuccess));
        Assert.Throws<RuleViolation>(() => o.MoveTo(ObjectiveStatus.ClosedSuccess, null));

        Confirm(o);
        Assert.Empty(o.Needs(OutcomeStage.Verified, _agreedMetric, _today));
        Assert.Empty(o.Needs(ObjectiveStatus.ClosedSuccess));
        o.MoveTo(ObjectiveStatus.ClosedSuccess, null);
        Assert.Equal(["a note saying why it reopens"], o.Needs(ObjectiveStatus.WorkInProgress));
    }

    [Fact]
    public void Acceptance_names_everything_the_customer_has_not_agreed()
    {
        var o = new Objective { AccountId = "a", PlanId = "p", Title = "Faster releases", Kind = ObjectiveKind.Quantitative };
        var refused = Assert.Throws<RuleViolation>(() => o.MoveTo(OutcomeStage.Accepted, null, [new SmartMetric("x", MetricDirection.Increase, null, 10)], _today));
        Assert.Contains("success criteria", refused.Message);
        Assert.Contains("target date", refused.Message);
        Assert.Contains("baseline and a target", refused.Message);
        Assert.Equal(OutcomeStage.Proposed, o.OutcomeStage);
    }

    [Fact]
    public void A_vague_objective_is_refused_acceptance_with_the_reason_and_a_suggestion()
    {
        var o = Smart();
        o.Title = "Delight the customer!";
        var refused = Assert.Throws<RuleViolation>(() => o.MoveTo(OutcomeStage.Accepted, null, [], _today));
        Assert.Contains("baseline", refused.Message);
        o.Title = "Do more things faster";
        var vague = Assert.Throws<RuleViolation>(() => o.MoveTo(OutcomeStage.Accepted, null, _agreedMetric, _today));
        Assert.Contains("not SMART", vague.Message);
        Assert.Contains("ambiguous", vague.Message);
        Assert.Contains("Reduce <metric> from <baseline> to <target> by <date>", vague.Message);
        Assert.Equal(OutcomeStage.Proposed, o.OutcomeStage);
    }

    [Fact]
    public void A_qualitative_objective_is_accepted_without_a_metric()
    {
        var o = Smart(ObjectiveKind.Qualitative);
        o.Title = "Migrate to a single DevOps application";
        o.SuccessCriteria = "All 25 repositories run on the platform and the old tools are switched off";
        o.MoveTo(OutcomeStage.Accepted, null, [], _today);
        Assert.Equal(OutcomeStage.Accepted, o.OutcomeStage);
    }

    [Fact]
    public void Outcomes_move_one_stage_at_a_time_and_back_only_with_a_note()
    {
        var o = Smart();
        Assert.Contains("one stage at a time", Assert.Throws<RuleViolation>(() => o.MoveTo(OutcomeStage.Delivered, null, _agreedMetric, _today)).Message);
        o.MoveTo(OutcomeStage.Accepted, null, _agreedMetric, _today);
        Assert.Contains("needs a note", Assert.Throws<RuleViolation>(() => o.MoveTo(OutcomeStage.Proposed, " ", _agreedMetric, _today)).Message);
        o.MoveTo(OutcomeStage.Proposed, "Customer wants to revisit the target", _agreedMetric, _today);
        Assert.Equal(OutcomeStage.Proposed, o.OutcomeStage);
    }

    [Theory]
    [InlineData(ObjectiveStatus.New, ObjectiveStatus.WorkInProgress, true)]
    [InlineData(ObjectiveStatus.New, ObjectiveStatus.ClosedInvalid, true)]
    [InlineData(ObjectiveStatus.New, ObjectiveStatus.ClosedNoAction, true)]
    [InlineData(ObjectiveStatus.New, ObjectiveStatus.ClosedSuccess, false)]
    [InlineData(ObjectiveStatus.WorkInProgress, ObjectiveStatus.New, false)]
    [InlineData(ObjectiveStatus.WorkInProgress, ObjectiveStatus.ClosedNoAction, true)]
    public void Status_moves_follow_the_lifecycle(ObjectiveStatus from, ObjectiveStatus to, bool allowed)
    {
        var o = Smart();
        Confirm(o);
        if (from == ObjectiveStatus.WorkInProgress)
        {
            o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        }

        if (allowed)
        {
            o.MoveTo(to, "As agreed with the customer");
            Assert.Equal(to, o.Status);
        }
        else
        {
            Assert.Throws<RuleViolation>(() => o.MoveTo(to, "As agreed with the customer"));
            Assert.Equal(from, o.Status);
        }
    }

    [Theory]
    [InlineData(ObjectiveStatus.ClosedNoAction)]
    [InlineData(ObjectiveStatus.ClosedInvalid)]
    public void Closing_without_the_outcome_needs_a_note_saying_why(ObjectiveStatus to)
    {
        var o = Smart();
        o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        Assert.Equal(["a note saying why it closes"], o.Needs(to));
        Assert.Contains("needs a note saying why", Assert.Throws<RuleViolation>(() => o.MoveTo(to, "  ")).Message);
        Assert.Equal(ObjectiveStatus.WorkInProgress, o.Status);
        var move = o.MoveTo(to, "The customer moved the team to another programme");
        Assert.Equal("The customer moved the team to another programme", move.Note);
        Assert.Equal(to, o.Status);
    }

    [Fact]
    public void A_closed_objective_reopens_only_with_a_note_and_its_outcome_is_frozen_until_then()
    {
        var o = Smart();
        o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        o.MoveTo(ObjectiveStatus.ClosedNoAction, "Out of scope");
        Assert.Contains("reopen", Assert.Throws<RuleViolation>(() => o.MoveTo(OutcomeStage.Accepted, null, _agreedMetric, _today)).Message);
        Assert.Contains("note", Assert.Throws<RuleViolation>(() => o.MoveTo(ObjectiveStatus.WorkInProgress, null)).Message);
        o.MoveTo(ObjectiveStatus.WorkInProgress, "New budget approved");
        Assert.True(o.IsOpen);
    }

    [Fact]
    public void Voiding_the_only_confirmation_steps_a_verified_success_back()
    {
        var o = Smart();
        o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        o.MoveTo(OutcomeStage.Accepted, null, _agreedMetric, _today);
        o.MoveTo(OutcomeStage.Delivered, null, _agreedMetric, _today);
        Confirm(o);
        o.MoveTo(OutcomeStage.Verified, null, _agreedMetric, _today);
        o.MoveTo(ObjectiveStatus.ClosedSuccess, null);

        var moves = o.VoidConfirmation(o.Confirmations[0], "Recorded against the wrong objective", "admin", _now);
        Assert.Equal(2, moves.Count);
        Assert.Equal(ObjectiveStatus.WorkInProgress, o.Status);
        Assert.Equal(OutcomeStage.Delivered, o.OutcomeStage);
        Assert.False(o.Confirmations[0].IsValid);
        Assert.Throws<RuleViolation>(() => o.Confirmations[0].Void("again", "admin", _now));
    }

    [Fact]
    public void Health_is_set_by_hand_only_while_in_progress_and_cleared_on_close()
    {
        var o = Smart();
        Assert.Throws<RuleViolation>(() => o.SetHealth(ObjectiveHealth.Concern, "u", _now));
        o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        o.SetHealth(ObjectiveHealth.Concern, "u", _now);
        Assert.Equal(("u", _now), (o.HealthSetBy, o.HealthSetAt));
        o.MoveTo(ObjectiveStatus.ClosedNoAction, "Out of scope");
        Assert.Null(o.HealthOverride);
    }

    [Fact]
    public void The_moves_offered_follow_the_lifecycle()
    {
        var o = Smart();
        Assert.Equal(["workInProgress", "accepted", "closedNoAction", "closedInvalid"], o.NextMoves());
        o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        Assert.Equal(["accepted", "closedSuccess", "closedNoAction", "closedInvalid"], o.NextMoves());
        o.MoveTo(ObjectiveStatus.ClosedNoAction, "Out of scope");
        Assert.Equal(["workInProgress"], o.NextMoves());
    }

    [Fact]
    public void Only_a_customer_stakeholder_of_this_account_confirms_in_the_past_in_their_words()
    {
        var o = Smart();
        Stakeholder Person(string account, StakeholderSide side) =>
            new() { AccountId = account, Name = "Priya", Side = side, Role = StakeholderRole.ExecutiveSponsor };

        Assert.Equal("stakeholderId", Assert.Throws<FieldViolation>(() => o.RecordConfirmation(Person("other", StakeholderSide.Customer), _now, "Done", "csm", _now)).Field);
        Assert.Equal("stakeholderId", Assert.Throws<FieldViolation>(() => o.RecordConfirmation(Person("a", StakeholderSide.Vendor), _now, "Done", "csm", _now)).Field);
        Assert.Equal("confirmedAt", Assert.Throws<FieldViolation>(() => o.RecordConfirmation(Person("a", StakeholderSide.Customer), _now.AddHours(1), "Done", "csm", _now)).Field);
        Assert.Equal("statement", Assert.Throws<FieldViolation>(() => o.RecordConfirmation(Person("a", StakeholderSide.Customer), _now, " ", "csm", _now)).Field);
        Assert.False(o.HasValidConfirmation);

        var confirmation = o.RecordConfirmation(Person("a", StakeholderSide.Customer), _now.AddDays(-1), "  Ten a week now. ", "csm", _now);
        Assert.Equal(("Ten a week now.", "csm"), (confirmation.Statement, confirmation.RecordedBy));
        Assert.True(o.HasValidConfirmation);
    }

    /// <summary>Whatever happens, in whatever order, verified and closedSuccess always rest on a valid confirmation.</summary>
    [Fact]
    public void No_sequence_of_moves_reaches_verified_or_success_without_a_valid_confirmation()
    {
        var steps = Gen.Int[0, 12].Select(Gen.Bool).Array[0, 40];
        steps.Sample(sequence =>
        {
            var o = Smart();
            foreach (var (choice, withNote) in sequence)
            {
                var note = withNote ? "because" : null;
                try
                {
                    switch (choice)
                    {
                        case <= 4:
                            o.MoveTo((ObjectiveStatus)choice, note);
                            break;
                        case <= 8:
                            o.MoveTo((OutcomeStage)(choice - 5), note, withNote ? _agreedMetric : [], _today);
                            break;
                        case <= 10:
                            Confirm(o);
                            break;
                        default:
                            if (o.Confirmations.FirstOrDefault(c => c.IsValid) is { } valid)
                            {
                                o.VoidConfirmation(valid, "wrong person", "admin", _now);
                            }

                            break;
                    }
                }
                catch (RuleViolation)
                {
                }

                if (o.OutcomeStage == OutcomeStage.Verified || o.Status == ObjectiveStatus.ClosedSuccess)
                {
                    Assert.True(o.HasValidConfirmation, $"Reached {o.Status}/{o.OutcomeStage} without a valid confirmation.");
                }
            }
        }, iter: 5_000);
    }
}
