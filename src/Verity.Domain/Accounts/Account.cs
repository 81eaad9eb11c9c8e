using Verity.Domain.Common;

namespace Verity.Domain.Accounts;

public enum Segment
{
    Strategic,
    Large,
    MidMarket,
    Smb,
}

public enum TeamRole
{
    AccountExecutive,
    SolutionsArchitect,
    CustomerSuccessManager,
    ImplementationEngineer,
}

public sealed class Account : Entity
{
    public required string Name { get; set; }

    public Segment Segment { get; set; }

    public int? PotentialUsers { get; set; }

    public bool IsFocusAccount { get; set; }

    public string? Background { get; set; }

    public string? Environment { get; set; }

    public string? Tools { get; set; }

    public string? CommunicationPreferences { get; set; }

    /// <summary>Annual recurring revenue under contract now, in the book's currency.</summary>
    public decimal? Arr { get; set; }

    /// <summary>When the current contract is up for renewal.</summary>
    public DateOnly? RenewalDate { get; set; }

    /// <summary>The account's id in the CRM (a Salesforce account id); unique when set, so imports update by it.</summary>
    public string? ExternalId { get; set; }

    public string? Industry { get; set; }

    public int? Employees { get; set; }

    /// <summary>Archived accounts keep their history but leave every list.</summary>
    public DateTime? ArchivedAt { get; set; }

    public List<AccountTeamMember> Team { get; } = [];

    /// <summary>
    /// The segment an account falls in by the number of people who could use the product;
    /// a user may override it.
    /// </summary>
    public static Segment SegmentFor(int potentialUsers) => potentialUsers switch
    {
        >= 5_000 => Segment.Strategic,
        >= 1_000 => Segment.Large,
        >= 100 => Segment.MidMarket,
        _ => Segment.Smb,
    };
}

public sealed class AccountTeamMember
{
    public required string AccountId { get; init; }

    public required string UserId { get; init; }

    public TeamRole Role { get; set; }
}
