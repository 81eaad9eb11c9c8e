using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Accounts;

public sealed record AccountInput
{
    [Mandatory, Name]
    public string? Name { get; init; }

    /// <summary>Left out, it follows from <see cref="PotentialUsers"/>.</summary>
    public Segment? Segment { get; init; }

    [NonNegative]
    public int? PotentialUsers { get; init; }

    public bool IsFocusAccount { get; init; }

    [Text]
    public string? Background { get; init; }

    [Text]
    public string? Environment { get; init; }

    [Text]
    public string? Tools { get; init; }

    [Text]
    public string? CommunicationPreferences { get; init; }

    [Money]
    public decimal? Arr { get; init; }

    [PlausibleDate]
    public DateOnly? RenewalDate { get; init; }

    /// <summary>The CRM's id for the account; unique among accounts when set.</summary>
    [StringLength(ExternalIdLength, ErrorMessage = "Must be at most 100 characters.")]
    public string? ExternalId { get; init; }

    [Name]
    public string? Industry { get; init; }

    [NonNegative]
    public int? Employees { get; init; }

    public const int ExternalIdLength = 100;

    public static AccountInput From(Account a) => new()
    {
        Name = a.Name,
        Segment = a.Segment,
        PotentialUsers = a.PotentialUsers,
        IsFocusAccount = a.IsFocusAccount,
        Background = a.Background,
        Environment = a.Environment,
        Tools = a.Tools,
        CommunicationPreferences = a.CommunicationPreferences,
        Arr = a.Arr,
        RenewalDate = a.RenewalDate,
        ExternalId = a.ExternalId,
        Industry = a.Industry,
        Employees = a.Employees,
    };

    public void ApplyTo(Account a)
    {
        a.Name = Name!.Trim();
        a.PotentialUsers = PotentialUsers;
        a.Segment = Segment ?? Account.SegmentFor(PotentialUsers ?? 0);
        a.IsFocusAccount = IsFocusAccount;
        a.Background = Background;
        a.Environment = Environment;
        a.Tools = Tools;
        a.CommunicationPreferences = CommunicationPreferences;
        a.Arr = Arr;
        a.RenewalDate = RenewalDate;
        a.ExternalId = string.IsNullOrWhiteSpace(ExternalId) ? null : ExternalId.Trim();
        a.Industry = string.IsNullOrWhiteSpace(Industry) ? null : Industry.Trim();
        a.Employees = Employees;
    }
}

public sealed record AccountResponse(
    string Id,
    string Name,
    Segment Segment,
    int? PotentialUsers,
    bool IsFocusAccount,
    string? Background,
    string? Environment,
    string? Tools,
    string? CommunicationPreferences,
    decimal? Arr,
    DateOnly? RenewalDate,
    string? ExternalId,
    string? Industry,
    int? Employees,
    DateTime? ArchivedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IHasId
{
    public static readonly Expression<Func<Account, AccountResponse>> Projection = a => new AccountResponse(
        a.Id, a.Name, a.Segment, a.PotentialUsers, a.IsFocusAccount, a.Background, a.Environment, a.Tools,
        a.CommunicationPreferences, a.Arr, a.RenewalDate, a.ExternalId, a.Industry, a.Employees, a.ArchivedAt, a.CreatedAt, a.UpdatedAt);

    private static readonly Func<Account, AccountResponse> _compiled = Projection.Compile();

    public static AccountResponse From(Account a) => _compiled(a);
}

public sealed record TeamMemberInput
{
    [Mandatory]
    public string? UserId { get; init; }

    [Mandatory]
    public TeamRole? Role { get; init; }
}

public sealed record TeamMemberResponse(string UserId, TeamRole Role, string Name, string? Email);
