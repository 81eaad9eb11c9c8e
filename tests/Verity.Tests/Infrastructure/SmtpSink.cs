using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Verity.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for the tests: Debian's <c>python3-aiosmtpd</c>, storing every message it receives in a
/// maildir that tests read back. One per test run, started on first use.
/// </summary>
public sealed class SmtpSink
{
    // Debian's Python: a python3 earlier on PATH (pyenv) may not have aiosmtpd.
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<SmtpSink?> _shared = new(Start);
    private readonly Process _process;

    private SmtpSink(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        Maildir = maildir;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    /// <summary>The shared server, or null where python3-aiosmtpd is not installed.</summary>
    public static SmtpSink? Shared => _shared.Value;

    /// <summary>The shared server for a test that reads mail: without one it skips, or fails under CI=true.</summary>
    public static SmtpSink Required
    {
        get
        {
            if (Shared is { } smtp)
            {
                return smtp;
            }

            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), Unavailable);
            Assert.Skip(Unavailable);
            return null!;
        }
    }

    public static string Unavailable => "Mail tests need Debian's python3-aiosmtpd (apt-get install python3-aiosmtpd); .ci/run installs it.";

    public int Port { get; }

    public string Maildir { get; }

    /// <summary>Waits for a message to <paramref name="to"/> that matches, as a recipient's inbox would show it.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, Func<MimeMessage, bool>? matches = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Received(to).FirstOrDefault(m => matches?.Invoke(m) ?? true) is { } message)
            {
                return message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No matching mail to {to} arrived at the SMTP server within the time allowed.");
    }

    /// <summary>Every message received for <paramref name="to"/>, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Received(string to)
    {
        var folder = Path.Combine(Maildir, "new");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder)
            .Select(file => (File: file, Time: File.GetLastWriteTimeUtc(file)))
            .OrderBy(f => f.Time)
            .Select(f => MimeMessage.Load(f.File))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    private static SmtpSink? Start()
    {
        if (!File.Exists(Python) || !HasAiosmtpd())
        {
            return null;
        }

        var port = FreePort();
        var maildir = Path.Combine(Path.GetTempPath(), $"verity-mail-{Guid.NewGuid():N}");
        var process = Process.Start(new ProcessStartInfo(Python)
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return new SmtpSink(process, port, maildir);
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"aiosmtpd did not start listening on 127.0.0.1:{port}.");
    }

    private static bool HasAiosmtpd()
    {
        using var check = Process.Start(new ProcessStartInfo(Python) { ArgumentList = { "-c", "import aiosmtpd" }, RedirectStandardError = true })!;
        check.WaitForExit();
        return check.ExitCode == 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Stop()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
