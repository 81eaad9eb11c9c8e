using Verity.Domain.Common;
using Verity.Domain.Evidence;

namespace Verity.Domain.Objectives;

/// <summary>
/// The customer's written confirmation that an objective's outcome was reached: who on their side,
/// when, and their own words. Never edited or deleted; an admin may void one, with a reason.
/// </summary>
public sealed class Confirmation : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string ObjectiveId { get; init; }

    public required string StakeholderId { get; init; }

    public DateTime ConfirmedAt { get; init; }

    public required string Statement { get; init; }

    public string? RecordedBy { get; init; }

    public ConfirmationSource Source { get; init; }

    /// <summary>The evidence files, fixed with the confirmation: neither the list nor the files may change afterwards.</summary>
    public List<string> AttachmentIds { get; init; } = [];

    public DateTime? VoidedAt { get; private set; }

    public string? VoidedBy { get; private set; }

    public string? VoidReason { get; private set; }

    public bool IsValid => VoidedAt is null;

    public void Void(string reason, string? by, DateTime now)
    {
        if (!IsValid)
        {
            throw new RuleViolation("This confirmation is already void.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required to void a confirmation.", nameof(reason));
        }

        VoidedAt = now;
        VoidedBy = by;
        VoidReason = reason.Trim();
    }
}
