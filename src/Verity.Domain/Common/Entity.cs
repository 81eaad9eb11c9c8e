namespace Verity.Domain.Common;

/// <summary>A stored record: an opaque id and a version that moves on every change (the ETag).</summary>
public abstract class Entity : IHasId
{
    public string Id { get; init; } = Ids.New();

    public int Version { get; set; } = 1;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A record or a response that carries its record's id. A list pages by id, so whatever a list projects to
/// must carry it: the compiler, not the first request with a next page, says when it does not.
/// </summary>
public interface IHasId
{
    string Id { get; }
}

/// <summary>A record that belongs to one customer account and is seen by whoever may see that account.</summary>
public interface IAccountOwned
{
    string AccountId { get; }
}

public static class Ids
{
    // Version 7 GUIDs start with a timestamp, so ids sort in creation order and make stable cursors.
    public static string New() => Guid.CreateVersion7().ToString("N");
}
