using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The outage test: the app on PostgreSQL through a forwarder that the test cuts and restores. While the
/// database is unreachable every request answers 503 with Retry-After; afterwards the app recovers by itself,
/// and no write it acknowledged is lost.
/// </summary>
[NeedsPostgres]
public sealed class OutageTests : IAsyncLifetime
{
    private const int Clients = 3;

    private readonly ForwardedPostgresApp _app = new();

    private volatile Phase _phase = Phase.Before;

    public async ValueTask InitializeAsync()
    {
        await _app.InitializeAsync();
        if (_app.Unavailable is { } reason)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), reason);
            Assert.Skip(reason);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task While_the_database_is_unreachable_every_request_answers_503_and_no_acknowledged_write_is_lost()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var s = await Scenario.CreateAsync(_app);
        var viewer = await _app.SignInAsync(UserRole.Manager, password: "correct horse battery staple");
        var browser = await _app.SignInToPagesAsync(viewer.Email!, "correct horse battery staple");
        var writes = new ConcurrentBag<Write>();
        using var stop = new CancellationTokenSource();

        var load = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var startedIn = _phase;
                var summary = $"client {client} write {n} {Ids.New()}";
                var response = await s.Csm.PostAsync($"accounts/{s.AccountId}/activities", new { type = "note", summary });
                writes.Add(new Write(startedIn, _phase, response.StatusCode, response.Headers.RetryAfter is not null, summary));
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }, CancellationToken.None)).ToList();

        await Task.Delay(1500, cancellation);
        _app.Forwarder.Cut();
        _phase = Phase.During;
        await Task.Delay(1500, cancellation);

        // Reads fail the same way as writes: the API, a page, and the health check.
        var apiRead = await s.Csm.GetAsync($"accounts/{s.AccountId}");
        var pageRead = await browser.GetAsync($"/accounts/{s.AccountId}", cancellation);
        var health = await _app.CreateClient().GetAsync("/healthz", cancellation);
        await Task.Delay(1000, cancellation);

        _app.Forwarder.Restore();
        _phase = Phase.After;
        var restored = Stopwatch.StartNew();
        while (!writes.Any(w => w.StartedIn == Phase.After && w.Status == HttpStatusCode.Created) && restored.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100, cancellation);
        }

        var recovery = restored.Elapsed;
        await Task.Delay(500, cancellation);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = writes.ToList();
        var summary = string.Join("; ", all.GroupBy(w => (w.StartedIn, w.Status)).Select(g => $"{g.Key.StartedIn} {(int)g.Key.Status}×{g.Count()}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{summary}; first write after the outage in {recovery.TotalMilliseconds:0} ms");
        Assert.True(all.All(w => (int)w.Status < 500 || w.Status == HttpStatusCode.ServiceUnavailable), $"A 5xx other than 503: {summary}");
        Assert.True(all.Where(w => w.Status == HttpStatusCode.ServiceUnavailable).All(w => w.RetryAfter), $"A 503 without Retry-After: {summary}");
        Assert.True(all.Where(w => w.EndedIn == Phase.Before).All(w => w.Status == HttpStatusCode.Created), $"Before the outage: {summary}");
        Assert.True(all.Count(w => w.EndedIn == Phase.Before) >= Clients, $"Too little load before the outage: {summary}");
        var outage = all.Where(w => w is { StartedIn: Phase.During, EndedIn: Phase.During }).ToList();
        Assert.True(outage.Count >= Clients, $"Too little load during the outage: {summary}");
        Assert.True(outage.All(w => w.Status == HttpStatusCode.ServiceUnavailable), $"During the outage: {summary}");
        Assert.True(recovery < TimeSpan.FromSeconds(10), $"No write succeeded within 10 s of the database coming back: {summary}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, apiRead.StatusCode);
        Assert.NotNull(apiRead.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pageRead.StatusCode);
        Assert.NotNull(pageRead.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.True(health.Headers.RetryAfter is not null, "The health check's 503 should say when to retry.");

        Assert.Equal(HttpStatusCode.OK, (await s.Csm.GetAsync($"accounts/{s.AccountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/accounts/{s.AccountId}", cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().GetAsync("/healthz", cancellation)).StatusCode);

        await using var db = _app.SystemDb();
        var stored = (await db.Activities.Where(a => a.AccountId == s.AccountId).Select(a => a.Summary).ToListAsync(cancellation)).ToHashSet();
        var acknowledged = all.Where(w => w.Status == HttpStatusCode.Created).Select(w => w.Summary).ToList();
        Assert.All(acknowledged, summary => Assert.Contains(summary, stored));
    }

    private enum Phase
    {
        Before,
        During,
        After,
    }

    private sealed record Write(Phase StartedIn, Phase EndedIn, HttpStatusCode Status, bool RetryAfter, string Summary);
}

/// <summary>PostgreSQL from <c>VERITY_TEST_POSTGRES</c>, reached through a forwarder the test can cut.</summary>
public sealed class ForwardedPostgresApp : PostgresAppBase
{
    public TcpForwarder Forwarder { get; private set; } = null!;

    protected override NpgsqlConnectionStringBuilder AppConnection(NpgsqlConnectionStringBuilder connection)
    {
        connection.Host = "127.0.0.1";
        connection.Port = Forwarder.Port;
        connection.Timeout = 3;
        return connection;
    }

    protected override async Task PrepareAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresServer);
        var address = (await Dns.GetHostAddressesAsync(server.Host!)).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        Forwarder = new TcpForwarder(new IPEndPoint(address, server.Port));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Forwarder?.Dispose();
    }
}

/// <summary>
/// Forwards a loopback port to a server. <see cref="Cut"/> resets every open connection and refuses new ones,
/// as a network failure would; <see cref="Restore"/> lets them through again.
/// </summary>
public sealed class TcpForwarder : IDisposable
{
    private readonly IPEndPoint _target;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _down;

    public TcpForwarder(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        _down = true;
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }
    }

    public void Restore() => _down = false;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_down)
            {
                Reset(client);
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _open.TryAdd(client, 0);
        _open.TryAdd(server, 0);
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Reset(client);
            Reset(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes with a reset rather than a polite goodbye, as a broken network does.</summary>
    private void Reset(Socket socket)
    {
        _open.TryRemove(socket, out _);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
