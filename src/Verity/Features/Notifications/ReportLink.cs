using System.Security.Cryptography;
using System.Text;
using Verity.Domain.Common;

namespace Verity.Features.Notifications;

public enum ReportLinkPurpose
{
    /// <summary>"Still accurate" / "Out of date" on one objective of a monthly report; used once.</summary>
    Revalidate,

    /// <summary>Stop the monthly report (RFC 8058 one-click); works until it is used.</summary>
    Unsubscribe,
}

/// <summary>
/// A link in a monthly report. Whoever holds the mail acts as its stakeholder for that one thing, so the token is
/// random, stored only as its SHA-256 hash, scoped to one stakeholder (and objective), and expires.
/// </summary>
public sealed class ReportLink
{
    public string Id { get; init; } = Ids.New();

    public required string Hash { get; init; }

    public ReportLinkPurpose Purpose { get; init; }

    public required string StakeholderId { get; init; }

    public required string AccountId { get; init; }

    public string? ObjectiveId { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? UsedAt { get; set; }

    public static (ReportLink Link, string Token) Create(
        ReportLinkPurpose purpose, string stakeholderId, string accountId, string? objectiveId, DateTime now, TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (new ReportLink
        {
            Hash = HashOf(token),
            Purpose = purpose,
            StakeholderId = stakeholderId,
            AccountId = accountId,
            ObjectiveId = objectiveId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        }, token);
    }

    public static string HashOf(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
