using Verity.Domain.Common;

namespace Verity.Mail;

public enum MailKind
{
    PortalInvitation,
    PortalSignIn,
    WeeklyDigest,
    MonthlyReport,
    Mention,
    Comment,
    Revalidation,
}

public enum MailStatus
{
    /// <summary>Waiting in the outbox, or waiting for its next attempt.</summary>
    Pending,
    Sent,

    /// <summary>Every attempt failed; <see cref="OutgoingMail.Error"/> says why.</summary>
    Failed,

    /// <summary>No SMTP server is configured: the message is logged, not sent.</summary>
    NotSent,
}

/// <summary>
/// One message in the outbox: written in the same save as the change that causes it, so a message is sent
/// if and only if its change happened; the sender delivers it later, with retries.
/// </summary>
public sealed class OutgoingMail : IHasId
{
    public string Id { get; init; } = Ids.New();

    public required string To { get; init; }

    public required string Subject { get; init; }

    public MailKind Kind { get; init; }

    public required string HtmlBody { get; set; }

    public required string TextBody { get; set; }

    /// <summary>Extra headers (List-Unsubscribe), one "Name: value" a line.</summary>
    public string? Headers { get; init; }

    public MailStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime NextAttemptAt { get; set; }

    /// <summary>A sender that took the message holds it until then, so two nodes never send it twice.</summary>
    public DateTime? ClaimedUntil { get; set; }

    public DateTime? SentAt { get; set; }

    public string? Error { get; set; }
}
