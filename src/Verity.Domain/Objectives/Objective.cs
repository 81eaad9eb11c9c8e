using Verity.Domain.Common;
using static Verity.Domain.Objectives.ObjectiveStatus;

namespace Verity.Domain.Objectives;

public enum ObjectiveKind
{
    Quantitative,
    Qualitative,
}

public enum ObjectiveStatus
{
    New,
    WorkInProgress,
    ClosedSuccess,
    ClosedNoAction,
    ClosedInvalid,
}

public enum OutcomeStage
{
    Proposed,
    Accepted,
    Delivered,
    Verified,
}

public enum ObjectiveHealth
{
    OnTrack,
    Watchpoint,
    Concern,
}

public sealed class Objective : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string PlanId { get; init; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public int Priority { get; set; }

    public ObjectiveKind Kind { get; set; }

    public ObjectiveStatus Status { get; private set; } = ObjectiveStatus.New;

    public OutcomeStage OutcomeStage { get; private set; } = OutcomeStage.Proposed;

    /// <summary>The day the outcome reached its current stage (null for objectives older than this field): how long "delivered" has waited for the customer.</summary>
    public DateOnly? OutcomeStageSince { get; private set; }

    /// <summary>Health set by hand, overriding the suggestion until cleared.</summary>
    public ObjectiveHealth? HealthOverride { get; private set; }

    public string? HealthSetBy { get; private set; }

    public DateTime? HealthSetAt { get; private set; }

    public string? UseCase { get; set; }

    public string? OwnerId { get; set; }

    public List<string> StakeholderIds { get; set; } = [];

    public string? SuccessCriteria { get; set; }

    public string? BusinessImpact { get; set; }

    public DateOnly? TargetDate { get; set; }

    public DateOnly? LastValidatedAt { get; set; }

    /// <summary>The customer stakeholder who last said the objective is still accurate; null when the team stamped it.</summary>
    public string? LastValidatedBy { get; private set; }

    /// <summary>Someone re-confirmed that the objective still says what the customer wants: the customer in their own name, or the team.</summary>
    public void MarkValidated(DateOnly on, string? byStakeholderId)
    {
        LastValidatedAt = on;
        LastValidatedBy = byStakeholderId;
    }

    public bool IsOpen => Status is New or WorkInProgress;

    public bool IsClosed => !IsOpen;

    public List<Confirmation> Confirmations { get; } = [];

    public bool HasValidConfirmation => Confirmations.Any(c => c.IsValid);

    /// <summary>
    /// Records the customer's written confirmation: from a stakeholder on the customer side of this objective's
    /// account, given in the past, in their own words.
    /// </summary>
    public Confirmation RecordConfirmation(
        Accounts.Stakeholder stakeholder, DateTime confirmedAt, string statement, string? recordedBy, DateTime now,
        Evidence.ConfirmationSource source = Evidence.ConfirmationSource.Recorded, IReadOnlyList<Evidence.Attachment>? evidence = null)
    {
        evidence ??= [];
        if (stakeholder.AccountId != AccountId)
        {
            throw new FieldViolation("stakeholderId", "Must be a stakeholder of this objective's account.");
        }

        if (stakeholder.Side != Accounts.StakeholderSide.Customer)
        {
            throw new FieldViolation("stakeholderId", $"{stakeholder.Name} is on the vendor side: only the customer can confirm an outcome.");
        }

        // A few minutes of clock difference between the caller and the server are not the future.
        if (confirmedAt > now.AddMinutes(5))
        {
            throw new FieldViolation("confirmedAt", "Must not be in the future: record a confirmation once the customer has given it.");
        }

        if (string.IsNullOrWhiteSpace(statement))
        {
            throw new FieldViolation("statement", "Is required: the customer's own words.");
        }

        // Evidence from another account would let one customer's confirmation lean on another's files.
        if (evidence.Any(a => a.AccountId != AccountId))
        {
            throw new FieldViolation("attachmentIds", "Each must be a file uploaded to this objective's account.");
        }

        var confirmation = new Confirmation
        {
            AccountId = AccountId,
            ObjectiveId = Id,
            StakeholderId = stakeholder.Id,
            ConfirmedAt = confirmedAt,
            Statement = statement.Trim(),
            RecordedBy = recordedBy,
            Source = source,
            AttachmentIds = evidence.Select(a => a.Id).Distinct().ToList(),
        };
        Confirmations.Add(confirmation);
        return confirmation;
    }

    /// <summary>Sets health by hand (who and when are kept); null goes back to the suggestion.</summary>
    public void SetHealth(ObjectiveHealth? health, string? by, DateTime now)
    {
        if (health is not null && Status != WorkInProgress)
        {
            throw new RuleViolation("Health is tracked only while an objective is in progress; move it to workInProgress first.");
        }

        HealthOverride = health;
        HealthSetBy = health is null ? null : by;
        HealthSetAt = health is null ? null : now;
    }

    /// <summary>
    /// Moves the status: new → workInProgress → closedSuccess | closedNoAction | closedInvalid. New objectives
    /// may be closed as no-action or invalid, with a note saying why; a closed one reopens to workInProgress with a note.
    /// Closing as a success needs the customer's written confirmation.
    /// </summary>
    public ObjectiveMove MoveTo(ObjectiveStatus to, string? note)
    {
        var from = Status;
        if (to == from)
        {
            throw new RuleViolation($"The objective is already {Name(to)}.");
        }

        if (!CanMove(from, to))
        {
            throw new RuleViolation(from == New && to == ClosedSuccess
                ? "A new objective cannot close as a success: start work on it (workInProgress) first."
                : $"An objective cannot move from {Name(from)} to {Name(to)}.");
        }

        if (IsClosed && string.IsNullOrWhiteSpace(note))
        {
            throw new RuleViolation("Reopening a closed objective needs a note saying why.", "note");
        }

        if (to is ClosedNoAction or ClosedInvalid && string.IsNullOrWhiteSpace(note))
        {
            throw new RuleViolation(
                $"Closing as “{Words.Say(to).ToLowerInvariant()}” needs a note saying why: the reason stays on the objective's timeline.", "note");
        }

        if (to == ClosedSuccess && !HasValidConfirmation)
        {
            throw new RuleViolation("Closing as a success needs the customer's written confirmation: record who confirmed, when, and their words first.");
        }

        Status = to;
        if (to != WorkInProgress)
        {
            HealthOverride = null;
            HealthSetBy = null;
            HealthSetAt = null;
        }

        return new ObjectiveMove("status", Name(from), Name(to), Clean(note));
    }

    private static bool CanMove(ObjectiveStatus from, ObjectiveStatus to) => (from, to) switch
    {
        (New, WorkInProgress) => true,
        (New, ClosedNoAction or ClosedInvalid) => true,
        (WorkInProgress, ClosedSuccess or ClosedNoAction or ClosedInvalid) => true,
        (ClosedSuccess or ClosedNoAction or ClosedInvalid, WorkInProgress) => true,
        _ => false,
    };

    /// <summary>
    /// The moves worth offering from here: the next outcome stage while open, then the statuses the lifecycle
    /// allows. Offering a move does not promise it: <see cref="MoveTo(ObjectiveStatus, string?)"/> still checks
    /// what it needs and says what is missing.
    /// </summary>
    public IReadOnlyList<string> NextMoves()
    {
        var statuses = Enum.GetValues<ObjectiveStatus>().Where(to => CanMove(Status, to)).Select(Name).ToList();
        List<string> outcome = IsOpen && OutcomeStage != OutcomeStage.Verified ? [Name(OutcomeStage + 1)] : [];
        var start = Name(WorkInProgress);

        // Starting (or resuming) work comes first, then the next outcome stage, then the ways to close.
        return [.. statuses.Where(s => s == start), .. outcome, .. statuses.Where(s => s != start)];
    }

    /// <summary>
    /// Moves the verifiable-outcome stage one step: proposed → accepted → delivered → verified, or one step
    /// back with a note. Acceptance needs what the customer agrees on and a SMART objective; verification
    /// needs their written confirmation.
    /// </summary>
    public ObjectiveMove MoveTo(OutcomeStage to, string? note, IReadOnlyList<SmartMetric> metrics, DateOnly today)
    {
        var from = OutcomeStage;
        if (to == from)
        {
            throw new RuleViolation($"The outcome is already {Name(to)}.");
        }

        if (IsClosed)
        {
            throw new RuleViolation($"The objective is {Name(Status)}: reopen it before moving its outcome.");
        }

        var step = (int)to - (int)from;
        if (step < -1 || step > 1)
        {
            throw new RuleViolation($"The outcome moves one stage at a time: from {Name(from)} the next is {Name(from + 1)}.");
        }

        if (step == -1 && string.IsNullOrWhiteSpace(note))
        {
            throw new RuleViolation($"Moving the outcome back to {Name(to)} needs a note saying why.");
        }

        if (to == OutcomeStage.Accepted)
        {
            var missing = MissingForAcceptance(metrics);
            if (missing.Count > 0)
            {
                throw new RuleViolation("The customer can accept an outcome only once it is agreed; missing: " + string.Join("; ", missing) + ".");
            }

            var smart = SmartChecker.Check(SmartInput.Of(this, metrics), today);
            if (!smart.IsSmart)
            {
                throw new RuleViolation("The outcome is not SMART yet, so the customer cannot accept it: "
                    + string.Join(" ", smart.Findings.Select(f => $"{f.Message} {f.Suggestion}")));
            }
        }

        if (to == OutcomeStage.Verified && !HasValidConfirmation)
        {
            throw new RuleViolation("Verification needs the customer's written confirmation: record who confirmed, when, and their words first.");
        }

        OutcomeStage = to;
        OutcomeStageSince = today;
        return new ObjectiveMove("outcomeStage", Name(from), Name(to), Clean(note));
    }

    /// <summary>
    /// What a move still needs, in words, by the checks <see cref="MoveTo(ObjectiveStatus, string?)"/> applies: empty when
    /// it can go ahead. Pages say it beside the step before anyone tries the move.
    /// </summary>
    public List<string> Needs(ObjectiveStatus to) => to switch
    {
        _ when !CanMove(Status, to) => [$"a move the lifecycle allows (not from {Words.Say(Status).ToLowerInvariant()})"],
        ClosedSuccess when !HasValidConfirmation => ["a customer confirmation in writing"],
        WorkInProgress when IsClosed => ["a note saying why it reopens"],
        ClosedNoAction or ClosedInvalid => ["a note saying why it closes"],
        _ => [],
    };

    /// <summary>What moving the outcome forward to <paramref name="to"/> still needs, by the checks <see cref="MoveTo(OutcomeStage, string?, IReadOnlyList{SmartMetric}, DateOnly)"/> applies.</summary>
    public List<string> Needs(OutcomeStage to, IReadOnlyList<SmartMetric> metrics, DateOnly today)
    {
        var needs = new List<string>();
        if (IsClosed)
        {
            needs.Add("reopening the objective first");
        }

        if (to == OutcomeStage.Accepted)
        {
            needs.AddRange(MissingForAcceptance(metrics));
            var smart = SmartChecker.Check(SmartInput.Of(this, metrics), today);
            if (needs.Count == 0 && !smart.IsSmart)
            {
                needs.Add("a SMART objective: " + string.Join(" ", smart.Findings.Select(f => f.Message)));
            }
        }

        if (to == OutcomeStage.Verified && !HasValidConfirmation)
        {
            needs.Add("a customer confirmation in writing");
        }

        return needs;
    }

    /// <summary>What the customer must agree on before an outcome is accepted.</summary>
    public List<string> MissingForAcceptance(IReadOnlyCollection<SmartMetric> metrics)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(SuccessCriteria))
        {
            missing.Add("success criteria (how we will know it is done)");
        }

        if (TargetDate is null)
        {
            missing.Add("a target date");
        }

        if (Kind == ObjectiveKind.Quantitative && !metrics.Any(m => m.Baseline is not null && m.Target is not null))
        {
            missing.Add("a metric with a baseline and a target (where they are today and where they want to be)");
        }

        return missing;
    }

    /// <summary>
    /// Voiding a confirmation can leave a verified or successful objective without evidence; it then steps
    /// back (verified → delivered, closedSuccess → workInProgress), so its state never claims more than is confirmed.
    /// </summary>
    public List<ObjectiveMove> VoidConfirmation(Confirmation confirmation, string reason, string? by, DateTime now)
    {
        if (!Confirmations.Contains(confirmation))
        {
            throw new ArgumentException("The confirmation belongs to another objective.", nameof(confirmation));
        }

        confirmation.Void(reason, by, now);
        var moves = new List<ObjectiveMove>();
        if (HasValidConfirmation)
        {
            return moves;
        }

        var note = $"Customer confirmation voided: {reason.Trim()}";
        if (Status == ClosedSuccess)
        {
            Status = WorkInProgress;
            moves.Add(new ObjectiveMove("status", Name(ClosedSuccess), Name(WorkInProgress), note));
        }

        if (OutcomeStage == OutcomeStage.Verified)
        {
            OutcomeStage = OutcomeStage.Delivered;
            OutcomeStageSince = DateOnly.FromDateTime(now);
            moves.Add(new ObjectiveMove("outcomeStage", Name(OutcomeStage.Verified), Name(OutcomeStage.Delivered), note));
        }

        return moves;
    }

    public static string Name<T>(T value)
        where T : struct, Enum
    {
        var text = value.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    private static string? Clean(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();
}
