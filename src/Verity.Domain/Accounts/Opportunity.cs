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

    public bool CustomerAccepted { get; set; }
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
}
