using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Verity.Domain.Common;
using Verity.Mail;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The outbox when mail cannot go out: an unreachable SMTP server means a later retry with the error logged,
/// and no SMTP server at all means the message is logged as not sent while Verity works on.
/// </summary>
public sealed class MailDeliveryTests
{
    [Fact]
    public async Task An_unreachable_smtp_server_leaves_the_message_pending_for_a_later_retry_with_the_error()
    {
        await using var app = new MailApp(host: "127.0.0.1", port: UnusedPort());
        await app.InitializeAsync();
        var mail = await InviteAndWaitAsync(app, m => m.Attempts > 0);
        Assert.Equal(MailStatus.Pending, mail.Status);
        Assert.NotNull(mail.Error);
        Assert.True(mail.NextAttemptAt > DateTime.UtcNow.AddSeconds(30), $"The next attempt is due at {mail.NextAttemptAt:O}, too soon for a backoff.");
        Assert.Null(mail.SentAt);
    }

    [Fact]
    public async Task Without_an_smtp_host_messages_are_logged_as_not_sent_and_the_invitation_still_works()
    {
        await using var app = new MailApp(host: "", port: 25);
        await app.InitializeAsync();
        var mail = await InviteAndWaitAsync(app, m => m.Status != MailStatus.Pending);
        Assert.Equal(MailStatus.NotSent, mail.Status);
        var admin = await app.SignInAsync(UserRole.Admin);
        var logged = await admin.GetJsonAsync($"mail?status=notSent&to={Uri.EscapeDataString(mail.To)}");
        Assert.Equal("portalInvitation", Assert.Single(logged["items"]!.AsArray())!.Str("kind"));
    }

    private static async Task<OutgoingMail> InviteAndWaitAsync(VerityApp app, Func<OutgoingMail, bool> done)
    {
        var s = await Scenario.CreateAsync(app);
        var email = $"priya-{Ids.New()[^10..]}@acme.example";
        (await s.Csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email })).EnsureSuccessStatusCode();
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId });
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var db = app.SystemDb();
            if (await db.OutgoingMails.AsNoTracking().FirstOrDefaultAsync(m => m.To == email, TestContext.Current.CancellationToken) is { } mail && done(mail))
            {
                return mail;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"The sender did not handle the mail to {email} in time.");
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class MailApp(string host, int port) : SqliteAppBase
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Mail:Host", host);
            builder.UseSetting("Mail:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Mail:PollInterval", "00:00:00.200");
        }
    }
}
