using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Verity.Data;

namespace Verity.Features.Evidence;

/// <summary>
/// The files behind attachments, content-addressed: <c>ab/abcdef…</c> under <c>Storage:Path</c>. The same bytes are
/// stored once, and a file's name is its SHA-256, so what an audit reads back is provably what was uploaded.
/// </summary>
public sealed class AttachmentStore(IConfiguration configuration, DatabaseSetting database)
{
    public string Root { get; } = Path.GetFullPath(configuration["Storage:Path"] is { Length: > 0 } configured
        ? configured
        : Path.Combine(DefaultParent(database), "data", "attachments"));

    /// <summary>Beside the SQLite file, so a backup of that folder carries both; PostgreSQL has no folder, so the working directory.</summary>
    private static string DefaultParent(DatabaseSetting database)
    {
        if (database.Provider == DatabaseProvider.Sqlite
            && new SqliteConnectionStringBuilder(database.ConnectionString).DataSource is { Length: > 0 } file
            && file != ":memory:")
        {
            return Path.GetDirectoryName(Path.GetFullPath(file)) ?? Directory.GetCurrentDirectory();
        }

        return Directory.GetCurrentDirectory();
    }

    public string PathOf(string sha256) => Path.Combine(Root, sha256[..2], sha256);

    /// <summary>
    /// Copies the upload to a temporary file while hashing it, then moves it under its hash, so a reader never sees a
    /// half-written file and an interrupted upload leaves nothing under a real name.
    /// </summary>
    public async Task<string> SaveAsync(Stream content, CancellationToken cancellationToken)
    {
        var incoming = Path.Combine(Root, "incoming");
        Directory.CreateDirectory(incoming);
        var temporary = Path.Combine(incoming, Path.GetRandomFileName());
        try
        {
            string sha256;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var target = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                try
                {
                    File.Move(temporary, target);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Another upload of the same bytes got there first; its file is this one.
                }
            }

            return sha256;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Stream Open(string sha256) => new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public void Delete(string sha256) => File.Delete(PathOf(sha256));
}
