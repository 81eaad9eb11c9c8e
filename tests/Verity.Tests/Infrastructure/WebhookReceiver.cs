using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Verity.Tests.Infrastructure;

/// <summary>
/// A real webhook receiver: <c>tests/webhook-receiver/receiver.js</c> under Node.js, verifying every delivery with the
/// <c>standardwebhooks</c> npm package and recording what arrived. One per test run, started on first use.
/// </summary>
public sealed class WebhookReceiver
{
    private static readonly Lazy<WebhookReceiver?> _shared = new(Start);
    private readonly Process _process;
    private readonly HttpClient _http;

    private WebhookReceiver(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        _http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    /// <summary>The shared receiver, or null where Node.js or the receiver's packages are not installed.</summary>
    public static WebhookReceiver? Shared => _shared.Value;

    /// <summary>The shared receiver for a test that needs one: without it the test skips, or fails under CI=true.</summary>
    public static WebhookReceiver Required
    {
        get
        {
            if (Shared is { } receiver)
            {
                return receiver;
            }

            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), Unavailable);
            Assert.Skip(Unavailable);
            return null!;
        }
    }

    public static string Unavailable =>
        "Webhook tests need Node.js and the receiver's packages (cd tests/webhook-receiver && npm ci); .ci/run installs them.";

    public Uri Address { get; }

    /// <summary>The URL of a receiver of its own, that verifies with <paramref name="secret"/> and answers <paramref name="statuses"/> in turn, then 200.</summary>
    public async Task<string> ListenAsync(string name, string secret, params int[] statuses)
    {
        (await _http.PutAsJsonAsync($"/config/{name}", new { secret, statuses })).EnsureSuccessStatusCode();
        return new Uri(Address, $"/hooks/{name}").ToString();
    }

    public async Task<List<JsonObject>> ReceivedAsync(string name) =>
        JsonNode.Parse(await _http.GetStringAsync($"/received/{name}"))!.AsArray().Select(n => n!.AsObject()).ToList();

    /// <summary>Waits until <paramref name="name"/> has received at least <paramref name="count"/> deliveries.</summary>
    public async Task<List<JsonObject>> WaitForAsync(string name, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var received = await ReceivedAsync(name);
            if (received.Count >= count)
            {
                return received;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The receiver '{name}' got {(await ReceivedAsync(name)).Count} deliveries, not {count}, in the time allowed.");
    }

    private static WebhookReceiver? Start()
    {
        if (NodePackages.Installed("webhook-receiver", "standardwebhooks") is not { } folder)
        {
            return null;
        }

        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("node")
            {
                ArgumentList = { "receiver.js", "0" },
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No node on PATH.
            return null;
        }

        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The webhook receiver exited: " + process.StandardError.ReadToEnd());
        process.BeginErrorReadLine();
        return new WebhookReceiver(process, int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
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
