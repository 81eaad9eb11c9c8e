using Verity.Domain.Common;

namespace Verity.Features.Portal;

public enum PortalLinkPurpose
{
    Invitation,
    SignIn,
}

/// <summary>An emailed sign-in link: random, single-use, stored only as a SHA-256 hash.</summary>
public sealed class PortalLink
{
    public string Id { get; init; } = Ids.New();

    public required string UserId { get; init; }

    public required string Hash { get; init; }

    public PortalLinkPurpose Purpose { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? UsedAt { get; set; }
}
