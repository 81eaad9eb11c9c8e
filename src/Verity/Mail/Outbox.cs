using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Verity.Data;

namespace Verity.Mail;

/// <summary>Settings under <c>Mail</c>; without a <see cref="Host"/>, messages are logged as not sent.</summary>
public sealed class MailSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string From { get; set; } = "Verity <verity@localhost>";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>How often the sender looks at the outbox.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Puts a message in the outbox of the caller's context, to be saved with the change that causes it.
/// Bodies are Razor components rendered to HTML, and the same HTML turned into plain text.
/// </summary>
public sealed partial class Outbox(IServiceProvider services, ILoggerFactory logs, TimeProvider clock, IConfiguration configuration)
{
    public async Task<OutgoingMail> QueueAsync<TTemplate>(
        VerityDb db, MailKind kind, string to, string subject, Dictionary<string, object?> parameters, string? headers = null)
        where TTemplate : IComponent
    {
        var html = await RenderAsync<TTemplate>(parameters);
        var now = clock.GetUtcNow().UtcDateTime;
        var mail = new OutgoingMail
        {
            To = to,
            Subject = subject,
            Kind = kind,
            HtmlBody = html,
            TextBody = ToText(html),
            Headers = headers,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.OutgoingMails.Add(mail);
        return mail;
    }

    /// <summary>
    /// Where links in mail point: <c>PublicUrl</c>, else the address this server listens on. Never the request's
    /// Host header: anyone can send one, and a sign-in link must not be mailed pointing at their site.
    /// </summary>
    public string Link(string path) =>
        (configuration["PublicUrl"] is { Length: > 0 } configured
            ? configured
            : services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(Reachable)
                ?? PublicAddress(configuration)).TrimEnd('/') + path;

    /// <summary>Where people reach Verity when no server is at hand (the command line): <c>PublicUrl</c>, else the first address of <c>Urls</c>.</summary>
    public static string PublicAddress(IConfiguration configuration) =>
        configuration["PublicUrl"] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : (configuration["Urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(Reachable)?.TrimEnd('/')
                ?? "http://localhost:5000";

    private static bool Reachable(string address) => !address.Contains('*') && !address.Contains("[::]", StringComparison.Ordinal) && !address.Contains("0.0.0.0", StringComparison.Ordinal);

    private async Task<string> RenderAsync<TTemplate>(Dictionary<string, object?> parameters)
        where TTemplate : IComponent
    {
        await using var renderer = new HtmlRenderer(services, logs);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TTemplate>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    /// <summary>The plain-text part: the same words, links written out, no markup.</summary>
    public static string ToText(string html)
    {
        var text = Link().Replace(html, m => $"{m.Groups["text"].Value} ({WebUtility.HtmlDecode(m.Groups["href"].Value)})");
        text = Break().Replace(text, "\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        text = Spaces().Replace(text, " ");
        return BlankLines().Replace(string.Join('\n', text.Split('\n').Select(l => l.Trim())), "\n\n").Trim() + "\n";
    }

    [GeneratedRegex("<a [^>]*href=\"(?<href>[^\"]*)\"[^>]*>(?<text>.*?)</a>", RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex("<br\\s*/?>|</(p|h1|h2|h3|li|tr|div)>", RegexOptions.IgnoreCase)]
    private static partial Regex Break();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("[ \\t\\r]+")]
    private static partial Regex Spaces();

    [GeneratedRegex("\\n{3,}")]
    private static partial Regex BlankLines();
}
