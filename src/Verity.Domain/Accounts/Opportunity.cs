using Verity.Domain.Common;

namespace Verity.Domain.Accounts;

public enum OpportunityType
{
    New,
    Growth,
    Renewal,
}

public enum OpportunityStage
{
    Discovery,
    Scoping,
    TechnicalEvaluation,
    Proposal,
    Negotiating,
    ClosedWon,
    ClosedLost,
}

public sealed class Opportunity : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string Name { get; set; }

    public OpportunityType Type { get; set; }

    public OpportunityStage Stage { get; set; }

    public decimal NetArr { get; set; }

    public bool SaValidatedTechEval { get; set; }

    public string? SuccessPlanId { get; set; }

    /// <summary>When the deal is expected to close (or closed), as the CRM has it.</summary>
    public DateOnly? CloseDate { get; set; }

    /// <summary>The opportunity's id in the CRM (a Salesforce opportunity id); unique when set, so imports update by it.</summary>
    public string? ExternalId { get; set; }

    /// <summary>A manager who marked this opportunity as requiring a plan beyond the rules, or null.</summary>
    public string? CspRequiredBy { get; private set; }

    public string? CspExceptionJustification { get; private set; }

    public string? CspExceptionApprovedBy { get; private set; }

    public DateTime? CspExceptionApprovedAt { get; private set; }

    public bool HasCspException => CspExceptionApprovedAt is not null;

    public void RequirePlan(bool required, string? by) => CspRequiredBy = required ? by ?? "system" : null;

    /// <summary>A director (or above) excuses this opportunity from needing a plan, and says why.</summary>
    public void GrantCspException(string justification, string? approver, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(justification))
        {
            throw new ArgumentException("A justification is required.", nameof(justification));
        }

        CspExceptionJustification = justification.Trim();
        CspExceptionApprovedBy = approver;
        CspExceptionApprovedAt = now;
    }

    public void WithdrawCspException()
    {
        if (!HasCspException)
        {
            throw new Common.RuleViolation("This opportunity has no plan exception to withdraw.");
        }

        CspExceptionJustification = null;
        CspExceptionApprovedBy = null;
        CspExceptionApprovedAt = null;
    }
}

public enum ActivityType
{
    Call,
    Meeting,
    CadenceCall,
    BusinessReview,
    Email,
    Note,
    HealthCheck,
    StatusChange,
    Triage,
}

public enum Visibility
{
    Internal,
    Customer,
}

/// <summary>An entry on the timeline of an account, optionally about one plan or objective.</summary>
public sealed class Activity : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public string? PlanId { get; init; }

    public string? ObjectiveId { get; init; }

    public ActivityType Type { get; set; }

    public DateTime OccurredAt { get; set; }

    public required string Summary { get; set; }

    public Visibility Visibility { get; set; }

    public string? AuthorId { get; set; }

    /// <summary>Who took part on our side: vendor users who could see the account when it was logged.</summary>
    public List<string> AttendeeUserIds { get; set; } = [];

    /// <summary>Who took part on the account's side: its stakeholders.</summary>
    public List<string> AttendeeStakeholderIds { get; set; } = [];
}
