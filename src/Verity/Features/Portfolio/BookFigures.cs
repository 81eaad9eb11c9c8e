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
/// node, within <see cref="BookStamp.OtherNodes"/> for one on another) or <see cref="Keep"/> has passed. The key carries
/// what decides visibility — everyone who sees every account shares one; anyone else keeps their own, by role, user and
/// customer account — so nobody is ever handed figures of accounts they may not see. Concurrent requests for the same
/// figures wait for one computation, which runs on a context of its own so that a request going away does not cancel it.
/// </summary>
public sealed class BookFigures(IMemoryCache cache, BookStamp book, IServiceProvider services, TimeProvider clock, IHostApplicationLifetime lifetime)
{
    /// <summary>The longest a node keeps figures when nothing tells it the book changed.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromSeconds(60);

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
        Task<Kept<T>> task;
        lock (_gate)
        {
            if (!cache.TryGetValue(key, out task!))
            {
                // The token is taken before the database is read: a change committed meanwhile expires the result.
                var changes = book.Changes;
                task = Task.Run(() => ComputeAsync(actor, compute), CancellationToken.None);
                using var entry = cache.CreateEntry(key);
                entry.Value = task;
                entry.AbsoluteExpirationRelativeToNow = Keep;
                entry.AddExpirationToken(new CancellationChangeToken(changes));
            }
        }

        try
        {
            return await task.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed computation is not kept: the next request tries again.
            lock (_gate)
            {
                if (cache.TryGetValue(key, out Task<Kept<T>>? kept) && ReferenceEquals(kept, task))
                {
                    cache.Remove(key);
                }
            }

            throw;
        }
    }

    private async Task<Kept<T>> ComputeAsync<T>(Actor actor, Func<VerityDb, CancellationToken, Task<T>> compute)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        await using var db = services.CreateContext(actor);
        return new Kept<T>(await compute(db, lifetime.ApplicationStopping), at);
    }
}
