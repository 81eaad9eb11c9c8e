using Verity.Domain.Common;

namespace Verity.Domain.Accounts;

public enum StakeholderSide
{
    Customer,
    Vendor,
}

public enum StakeholderRole
{
    ExecutiveSponsor,
    EconomicBuyer,
    KeyInfluencer,
    TechnicalChampion,
    ProcessOwner,
    StrategicAccountLeader,
    SolutionsArchitect,
    CustomerSuccessManager,
    ImplementationEngineer,
    Other,
}

public sealed class Stakeholder : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string Name { get; set; }

    public string? Title { get; set; }

    public string? Email { get; set; }

    public string? Location { get; set; }

    public StakeholderSide Side { get; set; }

    public StakeholderRole Role { get; set; }

    /// <summary>A customer stakeholder who gets the monthly table of their open objectives by mail.</summary>
    public bool ReceivesMonthlyReport { get; set; }

    /// <summary>The person's id in the CRM (a Salesforce contact id); unique when set, so imports update by it.</summary>
    public string? ExternalId { get; set; }
}
