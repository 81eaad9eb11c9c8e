using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Verity.Data;

namespace Verity.Mail;

/// <summary>
/// Delivers the outbox: due messages are claimed (so two nodes never send one twice), sent over SMTP with
/// MailKit, and retried with growing pauses; with no SMTP host they are marked as not sent.
/// </summary>
public sealed class MailSender(IServiceProvider services, IOptionsMonitor<MailSettings> settings, TimeProvider clock, ILogger<MailSender> log)
    : BackgroundService
{
    private const int Batch = 20;

    /// <summary>After each failed attempt, the pause before the next; then the message is marked failed.</summary>
    private static readonly TimeSpan[] _retries =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    private static readonly TimeSpan _claim = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == Batch)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be migrating or away; the next round tries again.
                log.LogWarning(e, "The mail outbox could not be read; trying again shortly.");
            }

            await Task.Delay(settings.CurrentValue.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Sends what is due now; returns how many messages it claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = services.CreateSystemContext();
        var due = await db.OutgoingMails
            .Where(m => m.Status == MailStatus.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(Batch).ToListAsync(cancellationToken);
        var claimed = new List<string>();
        foreach (var id in due)
        {
            var until = now + _claim;
            if (await db.OutgoingMails.Where(m => m.Id == id && m.Status == MailStatus.Pending && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                    .ExecuteUpdateAsync(m => m.SetProperty(x => x.ClaimedUntil, until), cancellationToken) == 1)
            {
                claimed.Add(id);
            }
        }

        if (claimed.Count == 0)
        {
            return 0;
        }

        var messages = await db.OutgoingMails.Where(m => claimed.Contains(m.Id)).ToListAsync(cancellationToken);
        var current = settings.CurrentValue;
        if (string.IsNullOrWhiteSpace(current.Host))
        {
            messages.ForEach(m => m.Status = MailStatus.NotSent);
        }
        else
        {
            await SendAsync(current, messages, cancellationToken);
        }

        messages.ForEach(m => m.ClaimedUntil = null);
        await db.SaveChangesAsync(cancellationToken);
        return claimed.Count;
    }

    private async Task SendAsync(MailSettings current, List<OutgoingMail> messages, CancellationToken cancellationToken)
    {
        using var smtp = new SmtpClient();
        try
        {
            await smtp.ConnectAsync(current.Host!, current.Port, SecureSocketOptions.Auto, cancellationToken);
            if (!string.IsNullOrEmpty(current.UserName))
            {
                await smtp.AuthenticateAsync(current.UserName, current.Password ?? "", cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            messages.ForEach(m => Failed(m, e));
            return;
        }

        foreach (var message in messages)
        {
            try
            {
                await smtp.SendAsync(Compose(current, message), cancellationToken);
                message.Status = MailStatus.Sent;
                message.SentAt = clock.GetUtcNow().UtcDateTime;
                message.Error = null;
                message.Attempts++;
                if (message.Kind is MailKind.PortalInvitation or MailKind.PortalSignIn)
                {
                    // The body held a sign-in link: once it is in the recipient's hands, nobody else needs it.
                    message.HtmlBody = message.TextBody = "(Removed after sending: it held a sign-in link.)";
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(message, e);
            }
        }

        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }

    private void Failed(OutgoingMail message, Exception error)
    {
        message.Attempts++;
        message.Error = error.Message;
        if (message.Attempts > _retries.Length)
        {
            message.Status = MailStatus.Failed;
            log.LogError(error, "Gave up sending {Kind} mail {Id} after {Attempts} attempts.", message.Kind, message.Id, message.Attempts);
            return;
        }

        message.NextAttemptAt = clock.GetUtcNow().UtcDateTime + _retries[message.Attempts - 1];
        log.LogWarning(error, "Sending {Kind} mail {Id} failed; trying again at {Next}.", message.Kind, message.Id, message.NextAttemptAt);
    }

    private static MimeMessage Compose(MailSettings current, OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(current.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId();
        foreach (var line in (mail.Headers ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            message.Headers.Add(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }

        message.Body = new BodyBuilder { HtmlBody = mail.HtmlBody, TextBody = mail.TextBody }.ToMessageBody();
        return message;
    }
}
