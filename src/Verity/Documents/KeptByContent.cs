using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace Verity.Documents;

/// <summary>
/// Things drawn or rendered, kept by a hash of everything they show (charts, decks, PDFs): the same content is made once,
/// then served to every reader who brings the same content. A change is a new key, so nothing needs dropping; past the
/// size limit the least used go first, and what nobody asked for in an hour is let go. A kept item is only handed to a
/// reader who brought the same content, so keeping it shares nothing across accounts.
/// </summary>
public sealed class KeptByContent(long sizeLimit)
{
    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = sizeLimit });

    /// <summary>The item kept for <paramref name="what"/> (every input of <paramref name="make"/>), made now if not kept.</summary>
    public T Get<T>(ReadOnlySpan<byte> what, Func<T> make, Func<T, int> size)
        where T : class
    {
        var key = Convert.ToHexString(SHA256.HashData(what));
        if (_kept.TryGetValue(key, out T? kept) && kept is not null)
        {
            return kept;
        }

        var item = make();
        _kept.Set(key, item, new MemoryCacheEntryOptions { Size = size(item), SlidingExpiration = TimeSpan.FromHours(1) });
        return item;
    }
}
