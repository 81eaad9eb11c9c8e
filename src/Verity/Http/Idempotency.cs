using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;

namespace Verity.Http;

/// <summary>A POST that carried an Idempotency-Key, and the response it got, to give again on a retry.</summary>
public sealed class IdempotentRequest
{
    public string Id { get; init; } = Ids.New();

    public required string UserId { get; init; }

    public required string Key { get; init; }

    public required string Path { get; init; }

    public required string BodyHash { get; init; }

    /// <summary>0 while the first request is still being answered.</summary>
    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[] Body { get; set; } = [];

    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// A POST repeated with the same Idempotency-Key and the same body gets the first response and creates
/// nothing new — so a CRM that retries after a timeout does not open the same account twice.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext http, IServiceProvider services, TimeProvider clock)
    {
        var key = http.Request.Headers[Header].ToString();
        var userId = Actor.From(http.User).UserId;
        if (!HttpMethods.IsPost(http.Request.Method) || key.Length == 0 || userId is null || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }

        if (key.Length > 200)
        {
            throw new BadInputException(Header, "Must be at most 200 characters.");
        }

        http.Request.EnableBuffering();
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(http.Request.Body, http.RequestAborted));
        http.Request.Body.Position = 0;
        var path = http.Request.Path + http.Request.QueryString;

        await using var db = services.CreateSystemContext();
        var earlier = await db.IdempotentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, http.RequestAborted);
        if (earlier is not null)
        {
            await ReplayAsync(http, earlier, hash, path);
            return;
        }

        var claim = new IdempotentRequest { UserId = userId, Key = key, Path = path, BodyHash = hash, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.IdempotentRequests.Add(claim);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException("A request with this Idempotency-Key is being answered right now; retry in a moment.");
        }

        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        var kept = false;
        try
        {
            await next(http);
            if (http.Response.StatusCode is >= 200 and < 500)
            {
                claim.StatusCode = http.Response.StatusCode;
                claim.ContentType = http.Response.ContentType;
                claim.Location = http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null;
                claim.Body = buffer.ToArray();
                await db.SaveChangesAsync(CancellationToken.None);
                kept = true;
            }
        }
        finally
        {
            http.Response.Body = original;
            if (!kept)
            {
                // A failure is not an answer: the key is free for the retry.
                db.IdempotentRequests.Remove(claim);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext http, IdempotentRequest earlier, string hash, string path)
    {
        if (earlier.BodyHash != hash || earlier.Path != path)
        {
            throw new BadInputException(Header, "This key was already used for a different request; use a new key for a new request.");
        }

        if (earlier.StatusCode == 0)
        {
            throw new ConflictException("A request with this Idempotency-Key is being answered right now; retry in a moment.");
        }

        http.Response.StatusCode = earlier.StatusCode;
        http.Response.ContentType = earlier.ContentType;
        if (earlier.Location is not null)
        {
            http.Response.Headers.Location = earlier.Location;
        }

        http.Response.Headers["Idempotent-Replayed"] = "true";
        await http.Response.Body.WriteAsync(earlier.Body, http.RequestAborted);
    }
}
