using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Verity.Domain.Common;

namespace Verity.Data;

public sealed class VerityUser : IdentityUser, IHasId
{
    public VerityUser()
    {
        Id = Ids.New();
    }

    public string DisplayName { get; set; } = "";

    public UserRole Role { get; set; }

    /// <summary>The one account a customer user belongs to; null for vendor users.</summary>
    public string? AccountId { get; set; }

    public UserStatus Status { get; set; }

    public DateTime? LastSignInAt { get; set; }

    /// <summary>For a customer user: the stakeholder they are on their account, whose name their words carry.</summary>
    public string? StakeholderId { get; set; }

    /// <summary>For a customer user: when they were last invited to the portal.</summary>
    public DateTime? InvitedAt { get; set; }

    /// <summary>Mail preference: the Monday digest of one's findings, due dates and renewals (on unless turned off).</summary>
    public bool WeeklyDigest { get; set; } = true;

    /// <summary>Mail preference: a message when someone comments on or mentions one's work (on unless turned off).</summary>
    public bool Mentions { get; set; } = true;
}

/// <summary>
/// One signed-in browser. The cookie names its session, so signing out, disabling the user or changing their
/// security stamp ends it on the server, whatever the cookie still claims.
/// </summary>
public sealed class UserSession
{
    public string Id { get; init; } = Ids.New();

    public required string UserId { get; init; }

    /// <summary>The user's security stamp when the session began; a new stamp ends every older session.</summary>
    public required string SecurityStamp { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime LastSeenAt { get; set; }

    public DateTime? EndedAt { get; set; }
}

/// <summary>
/// One row whose version moves whenever a session ends, a token is revoked or a user is changed or disabled. Every node
/// keeps what it last learnt about sessions and tokens in memory; it reads this version once a second in the background and, when
/// it moved, forgets all of it — so a change made on one node (or by the command line) holds on every node within a second.
/// </summary>
public sealed class AccessStamp
{
    public const int Only = 1;

    /// <summary>
    /// A second row, the book's version (<see cref="BookStamp"/>): moved by every committed change to an account's
    /// records, read by every node every two seconds. Written by upsert, so it appears with the book's first change.
    /// </summary>
    public const int Book = 2;

    public int Id { get; init; }

    public long Version { get; set; }
}

/// <summary>
/// Wrong passwords for an address nobody has, counted for the lockout window from the first, so an unknown address
/// locks after as many attempts as a known one on every node (Identity counts a known one on its user row).
/// </summary>
public sealed class SignInFailure
{
    public const int MaxAddressLength = 256;

    public required string Address { get; init; }

    public int Count { get; set; }

    public DateTime Since { get; init; }
}

/// <summary>A personal access token: only its SHA-256 hash is stored; the token itself is shown once.</summary>
public sealed class AccessToken : IHasId
{
    public string Id { get; init; } = Ids.New();

    public required string UserId { get; init; }

    public required string Hash { get; init; }

    /// <summary>What the token is for, so its owner knows which one to revoke ("CRM sync").</summary>
    public string Name { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? ExpiresAt { get; init; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>One change to one record: who, when, and each field's old and new value.</summary>
public sealed class AuditEntry
{
    public string Id { get; init; } = Ids.New();

    public DateTime At { get; init; }

    public string? ActorId { get; init; }

    public required string EntityType { get; init; }

    public required string EntityId { get; init; }

    /// <summary>The account the record belongs to, so audit rows follow the account's visibility.</summary>
    public string? AccountId { get; init; }

    public required string Action { get; init; }

    public List<AuditChange> Changes { get; init; } = [];
}

public sealed record AuditChange(string Field, string? Old, string? New)
{
    internal static readonly ValueConverter<List<AuditChange>, string> ListConverter = new(
        changes => JsonSerializer.Serialize(changes, JsonSerializerOptions.Web),
        json => JsonSerializer.Deserialize<List<AuditChange>>(json, JsonSerializerOptions.Web) ?? new List<AuditChange>());

    // Audit rows are written once and never edited, so reference equality is enough.
    internal static readonly ValueComparer<List<AuditChange>> ListComparer = new(
        (a, b) => ReferenceEquals(a, b),
        list => list.Count,
        list => list);
}
