namespace Verity.Domain.Accounts;

public sealed record LifecycleStep(int Sequence, string Activity, string ResponsibleRole, string RelationshipStage, string OpportunityStage, string Output);

/// <summary>Where Verity can tell by itself that a step is done.</summary>
public sealed record AccountFacts(
    bool HasOpportunity,
    bool OpportunityPastDiscovery,
    bool SolutionsArchitectOnTeam,
    bool CsmOnTeam,
    bool ImplementationEngineerOnTeam,
    bool EnvironmentCaptured,
    bool TechnicalEvaluationWritten,
    bool WorkflowsWritten,
    bool SuccessCriteriaAgreed,
    bool PlanReviewedWithCustomer,
    bool ClosedWon,
    bool PlanOwnedByCsm,
    bool RecentCadence);

/// <summary>The seed's 22-step responsibility matrix from first contact to a managed customer.</summary>
public static class Lifecycle
{
    private const string Lead = "Lead or Contact";
    private const string Opp = "Opportunity";
    private const string Customer = "Customer";

    public static readonly IReadOnlyList<LifecycleStep> Steps =
    [
        new(1, "Create the relationship lifecycle record", "accountExecutive", Lead, "discovery", "A record of the prospect that shows the current state of the customer at any point in the lifecycle"),
        new(2, "Qualify the lead in terms of value to their organisation", "accountExecutive", Lead, "discovery", ""),
        new(3, "Engage solutions architects", "accountExecutive", Lead, "discovery", ""),
        new(4, "Introduce and engage the solutions architect in technical conversations", "accountExecutive", Lead, "discovery", ""),
        new(5, "Update the opportunity with new information", "accountExecutive", Opp, "scoping", ""),
        new(6, "Demo the technology and articulate the value proposition", "solutionsArchitect", Opp, "scoping", ""),
        new(7, "High-level technical discovery and fit assessment", "solutionsArchitect", Opp, "technicalEvaluation", "Updates to the customer's technical profile showing the architectural fit is feasible, enough for a SOW and a solution design blueprint"),
        new(8, "Capture the environment and technical specifics", "accountTeam", Opp, "technicalEvaluation", "Enriched customer record"),
        new(9, "Create a solution design blueprint from requirements, discovery and the customer record", "solutionsArchitect", Opp, "technicalEvaluation", "Blueprint solution design diagram"),
        new(10, "Hand the solution design blueprint to the implementation engineer and CSM", "solutionsArchitect", Opp, "technicalEvaluation", "Full review by the implementation engineer and CSM"),
        new(11, "Validate the solution design", "implementationEngineer", Opp, "proposal", "Approval and sign-off by the implementation engineer and CSM"),
        new(12, "Create and submit the professional services SOW", "implementationEngineer", Opp, "proposal", "Statement of Work (with the blueprint solution design)"),
        new(13, "Create and submit the proof-of-value plan", "solutionsArchitect", Opp, "technicalEvaluation", "Proof-of-value plan (with the blueprint solution design)"),
        new(14, "Agree the success criteria", "accountTeam", Opp, "negotiating", "A document that says what done looks like and when done is successful, signed by someone accountable on both sides"),
        new(15, "Create and complete the customer success plan", "solutionsArchitect", Opp, "negotiating", "The mutual customer success plan"),
        new(16, "Close with a technical win, negotiated terms and a signed contract", "accountTeam", Opp, "closedWon", "Contract, MSA, SLA and the other legal documents"),
        new(17, "Kick off the proof of value", "solutionsArchitect", Opp, "negotiating", "Kick-off and proof-of-value execution plan for the customer"),
        new(18, "Introduce the CSM to the customer's stakeholders in a welcome call", "accountExecutive", Opp, "technicalEvaluation", ""),
        new(19, "Kick off the professional services implementation", "customerSuccessManager", Customer, "closedWon", "Kick-off and implementation plan for the customer"),
        new(20, "Hand the customer record and technical profile to the implementation engineer or CSM", "solutionsArchitect", Customer, "closedWon", ""),
        new(21, "Hand the customer record and business profile to the CSM", "accountExecutive", Customer, "closedWon", ""),
        new(22, "Manage the ongoing customer record rigorously", "customerSuccessManager", Customer, "closedWon", ""),
    ];

    /// <summary>The steps Verity works out from its own records, with what shows them done; the rest are checked off by hand.</summary>
    private static readonly Dictionary<int, (Func<AccountFacts, bool> Done, string Evidence)> _derived = new()
    {
        [1] = (_ => true, "The account exists in Verity."),
        [2] = (f => f.HasOpportunity, "An opportunity is open on the account."),
        [3] = (f => f.SolutionsArchitectOnTeam, "A solutions architect is on the account team."),
        [4] = (f => f.SolutionsArchitectOnTeam, "A solutions architect is on the account team."),
        [5] = (f => f.OpportunityPastDiscovery, "An opportunity has moved past discovery."),
        [7] = (f => f.TechnicalEvaluationWritten, "The close plan's technical evaluation is written."),
        [8] = (f => f.EnvironmentCaptured, "The account's environment is recorded."),
        [9] = (f => f.WorkflowsWritten, "The close plan's workflows are written."),
        [10] = (f => f.ImplementationEngineerOnTeam && f.CsmOnTeam, "An implementation engineer and a CSM are on the team."),
        [14] = (f => f.SuccessCriteriaAgreed, "An objective's outcome has been accepted by the customer."),
        [15] = (f => f.PlanReviewedWithCustomer, "A success plan has been reviewed with the customer."),
        [16] = (f => f.ClosedWon, "An opportunity is closed won."),
        [18] = (f => f.CsmOnTeam, "A CSM is on the account team."),
        [20] = (f => f.PlanOwnedByCsm, "The success plan is owned by a CSM."),
        [22] = (f => f.RecentCadence, "A cadence call or business review in the last 90 days."),
    };

    public static bool IsDerived(int sequence) => _derived.ContainsKey(sequence);

    /// <summary>Whether Verity's own records show the step done, and by what; null when only a person can say.</summary>
    public static (bool Done, string Evidence)? Derived(int sequence, AccountFacts facts) =>
        _derived.TryGetValue(sequence, out var rule) ? (rule.Done(facts), rule.Evidence) : null;
}

/// <summary>A lifecycle step checked off (or unchecked) by hand, where Verity cannot tell by itself.</summary>
public sealed class LifecycleCheck : Common.Entity, Common.IAccountOwned
{
    public required string AccountId { get; init; }

    public int Sequence { get; init; }

    public bool Done { get; set; }

    public string? CheckedBy { get; set; }
}
