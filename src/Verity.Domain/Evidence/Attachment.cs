using Verity.Domain.Accounts;
using Verity.Domain.Common;

namespace Verity.Domain.Evidence;

/// <summary>
/// A file uploaded to an account: its bytes live once in the content-addressed store under their SHA-256, so the row
/// is what says who may read it. Customers see only <see cref="Visibility.Customer"/> ones.
/// </summary>
public sealed class Attachment : Entity, IAccountOwned
{
    public const int MaxFileNameLength = 200;

    public required string AccountId { get; init; }

    public required string FileName { get; init; }

    public required string ContentType { get; init; }

    public long Size { get; init; }

    /// <summary>Lower-case hex; also the file's name in the store.</summary>
    public required string Sha256 { get; init; }

    public string? UploadedBy { get; init; }

    public Visibility Visibility { get; set; }

    public string? PlanId { get; set; }

    public string? ObjectiveId { get; set; }
}

/// <summary>Where a confirmation came from: typed in by the team, or given by the customer in the portal.</summary>
public enum ConfirmationSource
{
    Recorded,
    Portal,
}
