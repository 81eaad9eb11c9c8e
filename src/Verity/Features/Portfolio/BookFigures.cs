using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;
using Verity.Access;
using Verity.Data;

namespace Verity.Features.Portfolio;

/// <summary>Figures and the moment they were read from the database.</summary>
public sealed record Kept<T>(T Value, DateTime ComputedAt);

/// <summary>
/// Figures added up over a whole book (the portfolio, its CSV, the accounts list), computed once and kept for everyone
/// who may see exactly the same accounts, until the book changes (<see cref="BookStamp"/>: at once for a change on this
/// node, within <see cref="BookStamp.OtherNodes"/> for one on another). They depend on nothing else but the day, which
/// every caller puts in <c>what</c>, so a steady reader is never made to wait for (or share its core with) a computation
/// of figures that cannot have changed. The key carries what decides visibility — everyone who sees every account shares
/// one; anyone else keeps their own, by role, user and customer account — so nobody is ever handed figures of accounts
/// they may not see. Concurrent requests for the same figures wait for one computation, which runs on a context of its
/// own so that a request going away does not cancel it.
/// </summary>
public sealed class BookFigures(IMemoryCache cache, BookStamp book, IServiceProvider services, TimeProvider clock, IHostApplicationLifetime lifetime)
{
    /// <summary>
    /// The backstop for a change whose stamp never reached this node (the other node lost the database between its
    /// commit and moving the version): figures this old are computed again in the background, while requests are still
    /// answered with the kept ones. Every other change drops them at once.
    /// </summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(10);

    /// <summary>Figures nobody asked for in this long are let go (yesterday's, a filter tried once); a steady reader refreshes them before.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromMinutes(15);

    private readonly Lock _gate = new();

    /// <summary>Who sees the same accounts: the access filters read only these (see <see cref="VerityDb"/>).</summary>
    public static string ScopeOf(Actor actor) =>
        actor.SeesEveryAccount ? "every" : $"{actor.Role}:{actor.UserId}:{actor.CustomerAccountId}";

    /// <summary>
    /// The kept figures named <paramref name="what"/> (which must say every input besides the caller's scope: filters,
    /// day) for this actor, computed by <paramref name="compute"/> on a context filtered for them when not kept.
    /// </summary>
    public async Task<Kept<T>> GetAsync<T>(string what, Actor actor, Func<VerityDb, CancellationToken, Task<T>> compute, CancellationToken cancellationToken)
    {
        var key = $"book|{ScopeOf(actor)}|{what}";
        Slot<T> slot;
        lock (_gate)
        {
            if (!cache.TryGetValue(key, out slot!))
            {
                slot = Start(key, actor, compute);
            }
        }

        if (slot.Task.IsCompletedSuccessfully && clock.GetUtcNow().UtcDateTime - slot.Task.Result.ComputedAt > Refresh
            && Interlocked.Exchange(ref slot.Refreshing, 1) == 0)
        {
            _ = RefreshAsync(key, actor, compute);
        }

        try
        {
            return await slot.Task.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed computation is not kept: the next request tries again.
            lock (_gate)
            {
                if (cache.TryGetValue(key, out Slot<T>? kept) && ReferenceEquals(kept, slot))
                {
                    cache.Remove(key);
                }
            }

            throw;
        }
    }

    /// <summary>Computes the figures and keeps them under the book's current version (taken before the database is read).</summary>
    private Slot<T> Start<T>(string key, Actor actor, Func<VerityDb, CancellationToken, Task<T>> compute)
    {
        var changes = book.Changes;
        var slot = new Slot<T>(Task.Run(() => ComputeAsync(actor, compute), CancellationToken.None));
        Put(key, slot, changes);
        return slot;
    }

    /// <summary>New figures in the background; they replace the old ones only when computed, and only if the book did not change meanwhile.</summary>
    private async Task RefreshAsync<T>(string key, Actor actor, Func<VerityDb, CancellationToken, Task<T>> compute)
    {
        var changes = book.Changes;
        try
        {
            var fresh = await Task.Run(() => ComputeAsync(actor, compute), CancellationToken.None);
            lock (_gate)
            {
                Put(key, new Slot<T>(Task.FromResult(fresh)), changes);
            }
        }
        catch (Exception)
        {
            // The old figures serve until they expire; the request after that computes them and sees any failure.
        }
    }

    private void Put<T>(string key, Slot<T> slot, CancellationToken changes)
    {
        using var entry = cache.CreateEntry(key);
        entry.Value = slot;
        entry.AbsoluteExpirationRelativeToNow = Keep;
        entry.AddExpirationToken(new CancellationChangeToken(changes));
    }

    private async Task<Kept<T>> ComputeAsync<T>(Actor actor, Func<VerityDb, CancellationToken, Task<T>> compute)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        await using var db = services.CreateContext(actor);
        return new Kept<T>(await compute(db, lifetime.ApplicationStopping), at);
    }

    private sealed class Slot<T>(Task<Kept<T>> task)
    {
        public Task<Kept<T>> Task { get; } = task;

        /// <summary>1 once a background refresh has started for these figures.</summary>
        public int Refreshing;
    }
}
