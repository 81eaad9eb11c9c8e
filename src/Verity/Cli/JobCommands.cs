using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Features.Notifications;
using Verity.Features.Triage;
using Verity.Http;
using Verity.Mail;

namespace Verity.Cli;

/// <summary>The scheduled jobs, run now from the command line: the triage, the digests and the monthly report.</summary>
public static class JobCommands
{
    public static Command Triage()
    {
        var triage = new Command("triage", "Run the weekly triage of every open objective now and print what it found.");
        triage.SetAction((result, cancellationToken) => Commands.RunAsync(result, async services =>
        {
            var run = await services.GetRequiredService<TriageRunner>().RunAsync(period: null, cancellationToken);
            Console.WriteLine($"Checked {run.ObjectivesChecked} open objectives in {(run.FinishedAt - run.StartedAt)?.TotalSeconds:0.0} s: "
                + $"{run.Opened} new findings, {run.StillOpen} still open, {run.Resolved} resolved.");
            await using var db = services.CreateSystemContext();
            var open = await db.Findings.AsNoTracking().Where(f => f.Status == Domain.Objectives.FindingStatus.Open)
                .GroupBy(f => f.Rule).Select(g => new { Rule = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var rule in open.OrderByDescending(r => r.Count))
            {
                Console.WriteLine($"  {rule.Count,6}  {Domain.Objectives.Objective.Name(rule.Rule)} ({TriageRunner.Words(rule.Rule)})");
            }
        }, cancellationToken));
        return triage;
    }

    public static Command Digests()
    {
        var which = new Argument<string>("which") { Description = "weekly (the owners' digests) or monthly (the customers' reports)." };
        var send = new Command("send", "Send the weekly owner digests or the monthly customer reports now, through the configured SMTP server (Mail:Host).") { which };
        send.SetAction((result, cancellationToken) => Commands.RunAsync(result, async services =>
        {
            var started = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var digests = services.GetRequiredService<Features.Notifications.Digests>();
            var queued = result.GetValue(which) switch
            {
                "weekly" => await digests.SendWeeklyAsync(cancellationToken),
                "monthly" => await digests.SendMonthlyAsync(cancellationToken),
                var other => throw new BadInputException("which", $"'{other}' is neither weekly nor monthly."),
            };

            // No server runs here to empty the outbox: deliver now, so the command's mail has left when it returns.
            var sender = ActivatorUtilities.CreateInstance<MailSender>(services);
            while (await sender.SendDueAsync(cancellationToken) > 0)
            {
            }

            await using var db = services.CreateSystemContext();
            var kind = result.GetValue(which) == "weekly" ? MailKind.WeeklyDigest : MailKind.MonthlyReport;
            var states = await db.OutgoingMails.AsNoTracking().Where(m => m.Kind == kind && m.CreatedAt >= started)
                .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            Console.WriteLine($"Queued {queued} {(kind == MailKind.WeeklyDigest ? "weekly digests" : "monthly reports")}; "
                + string.Join(", ", states.Select(s => $"{s.Count} {Domain.Objectives.Objective.Name(s.Key)}")) + ".");
            if (states.Any(s => s.Key == MailStatus.NotSent))
            {
                Console.WriteLine("No SMTP server is set (Mail:Host, or VERITY_Mail__Host): the messages are in the mail log, not sent.");
            }

            // Pending here means the SMTP server refused or could not be reached: say why; the server's sender retries.
            if (await db.OutgoingMails.AsNoTracking().Where(m => m.Kind == kind && m.CreatedAt >= started && m.Status == MailStatus.Pending && m.Error != null)
                    .Select(m => m.Error).FirstOrDefaultAsync(cancellationToken) is { } error)
            {
                Console.WriteLine($"Not delivered yet: {error} A running Verity server retries them.");
            }
        }, cancellationToken));

        var digestsCommand = new Command("digests", "The owners' weekly digests and the customers' monthly reports.");
        digestsCommand.Subcommands.Add(send);
        return digestsCommand;
    }
}
