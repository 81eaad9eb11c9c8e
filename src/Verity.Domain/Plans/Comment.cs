using Verity.Domain.Accounts;
using Verity.Domain.Common;

namespace Verity.Domain.Plans;

/// <summary>A remark on a plan or one of its objectives, seen by both sides; internal remarks stay internal activities.</summary>
public sealed class Comment : Entity, IAccountOwned
{
    public const int MaxLength = 10_000;

    public required string AccountId { get; init; }

    public required string PlanId { get; init; }

    /// <summary>Null for a comment on the plan as a whole.</summary>
    public string? ObjectiveId { get; init; }

    public string? AuthorId { get; init; }

    /// <summary>Which side wrote it: the customer's words are told apart from the vendor's.</summary>
    public StakeholderSide Side { get; init; }

    /// <summary>Markdown; raw HTML is never rendered.</summary>
    public required string Body { get; init; }
}
