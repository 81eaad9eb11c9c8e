using System.CommandLine;
using System.ComponentModel;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using Verity.Data;

namespace Verity.Cli;

/// <summary>
/// <c>backup FILE</c> and <c>restore FILE</c> with each database's own consistent copy: SQLite's online backup
/// (the backup is a SQLite file) and PostgreSQL's <c>pg_dump --format=custom</c>. Both read one snapshot, so a
/// backup taken while the server writes holds every write committed before it began.
/// </summary>
public static class BackupCommands
{
    private static readonly byte[] _sqliteHeader = "SQLite format 3\0"u8.ToArray();
    private static readonly byte[] _pgDumpHeader = "PGDMP"u8.ToArray();

    /// <summary>Rows in these tables mean someone uses the database: every other record hangs off an account or a user.</summary>
    private static readonly string[] _tablesThatHoldData = ["Accounts", "AspNetUsers"];

    public static Command Backup()
    {
        var file = new Argument<string>("FILE") { Description = "Where to write the backup: a SQLite file, or a pg_dump custom-format archive on PostgreSQL." };
        var backup = new Command("backup", "Copy the database to FILE; safe while the server runs.") { file };
        backup.SetAction((result, cancellationToken) => RunAsync(result, async (_, setting) =>
        {
            var target = Path.GetFullPath(result.GetValue(file)!);
            if (Path.GetDirectoryName(target) is { } folder && !Directory.Exists(folder))
            {
                throw new CommandFailure($"FILE: the folder {folder} does not exist.");
            }

            // Written beside FILE and renamed when complete, so a failed backup never leaves a torn FILE;
            // owner-only before a byte is written, since a backup holds password and token hashes.
            var partial = target + ".partial";
            var ownerOnly = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                ownerOnly.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            File.Delete(partial);
            File.Open(partial, ownerOnly).Dispose();
            try
            {
                switch (setting.Provider)
                {
                    case DatabaseProvider.Sqlite:
                        BackupSqlite(setting, partial, target);
                        break;
                    case DatabaseProvider.Postgres:
                        await RunPostgresToolAsync("pg_dump", setting, ["--format=custom", "--no-password", "--file", partial], cancellationToken);
                        break;
                }

                File.Move(partial, target, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }

            Console.WriteLine($"Backed up the {Describe(setting.Provider)} database to {target} ({new FileInfo(target).Length:N0} bytes).");
        }));
        return backup;
    }

    public static Command Restore()
    {
        var file = new Argument<string>("FILE") { Description = "A backup made by `verity backup` on the same kind of database." };
        var force = new Option<bool>("--force") { Description = "Replace a database that already holds users or accounts." };
        var restore = new Command("restore", "Replace the database with the backup in FILE, then bring its schema up to date.") { file, force };
        restore.SetAction((result, cancellationToken) => RunAsync(result, async (services, setting) =>
        {
            var source = Path.GetFullPath(result.GetValue(file)!);
            CheckIsBackupFor(source, setting.Provider);
            var (accounts, users) = await CountDataAsync(setting, cancellationToken);
            if ((accounts > 0 || users > 0) && !result.GetValue(force))
            {
                throw new CommandFailure(
                    $"--force: the database already holds {accounts:N0} accounts and {users:N0} users; restoring would replace them. "
                    + "Add --force to replace them, or restore into an empty database.");
            }

            switch (setting.Provider)
            {
                case DatabaseProvider.Sqlite:
                    RestoreSqlite(source, setting);
                    break;
                case DatabaseProvider.Postgres:
                    // --clean drops what the backup is about to create, so a migrated but empty database takes it too;
                    // --single-transaction leaves the database as it was when any statement fails.
                    var database = new NpgsqlConnectionStringBuilder(setting.ConnectionString).Database;
                    await RunPostgresToolAsync(
                        "pg_restore", setting,
                        [$"--dbname={database}", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--no-password", source],
                        cancellationToken);
                    break;
            }

            // A backup from an older release carries an older schema.
            await services.MigrateAsync(cancellationToken);
            Console.WriteLine($"Restored {source} into the {Describe(setting.Provider)} database; its schema is up to date.");
        }));
        return restore;
    }

    /// <summary>Every failure becomes a message naming what to fix and exit code 1, never a stack trace.</summary>
    private static async Task<int> RunAsync(ParseResult result, Func<IServiceProvider, DatabaseSetting, Task> action)
    {
        try
        {
            await using var services = Commands.CommandServices(result);
            DatabaseSetting setting;
            try
            {
                setting = services.GetRequiredService<DatabaseSetting>();
            }
            catch (ArgumentException e)
            {
                throw new CommandFailure($"--database: {e.Message}");
            }

            await action(services, setting);
            return 0;
        }
        catch (CommandFailure e)
        {
            await Console.Error.WriteLineAsync(e.Message);
        }
        catch (SqliteException e)
        {
            await Console.Error.WriteLineAsync($"SQLite: {e.Message}");
        }
        catch (NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"--database: PostgreSQL answered: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync(e.Message);
        }

        return 1;
    }

    private static void BackupSqlite(DatabaseSetting setting, string partial, string target)
    {
        var database = SqliteFile(setting.ConnectionString, SqliteOpenMode.ReadWrite);
        if (!File.Exists(database.DataSource))
        {
            throw new CommandFailure($"--database: there is no SQLite database at {Path.GetFullPath(database.DataSource)}.");
        }

        if (Path.GetFullPath(database.DataSource) == target)
        {
            throw new CommandFailure("FILE: the backup cannot be the database itself.");
        }

        using var from = Open(database);
        using var to = Open(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false });

        // One step copies every page under a single read transaction: with WAL the server keeps writing,
        // and the copy is the database as of the moment the step began.
        from.BackupDatabase(to);

        // The copy inherits WAL from the database; a rollback journal makes it one self-contained file
        // that opens read-only without leaving -wal and -shm files beside it.
        using var journal = to.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode=DELETE;";
        journal.ExecuteNonQuery();
    }

    private static void RestoreSqlite(string source, DatabaseSetting setting)
    {
        var database = SqliteFile(setting.ConnectionString, SqliteOpenMode.ReadWriteCreate);
        if (Path.GetFullPath(database.DataSource) == source)
        {
            throw new CommandFailure("FILE: the backup is the database itself.");
        }

        using var from = Open(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false });
        try
        {
            using var check = from.CreateCommand();
            check.CommandText = "PRAGMA quick_check;";
            var answer = check.ExecuteScalar() as string;
            if (answer != "ok")
            {
                throw new CommandFailure($"FILE: {source} is damaged ({answer}); nothing was restored.");
            }
        }
        catch (SqliteException e)
        {
            throw new CommandFailure($"FILE: {source} cannot be read as a backup ({e.Message}); nothing was restored.");
        }

        // The backup API replaces the database page by page in one transaction, even while other connections are open.
        using var to = Open(database);
        from.BackupDatabase(to);
    }

    private static SqliteConnectionStringBuilder SqliteFile(string connectionString, SqliteOpenMode mode) =>
        new(connectionString) { Mode = mode, Pooling = false };

    private static SqliteConnection Open(SqliteConnectionStringBuilder file)
    {
        var connection = new SqliteConnection(file.ToString());
        connection.Open();
        using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout=30000;";
        wait.ExecuteNonQuery();
        return connection;
    }

    private static void CheckIsBackupFor(string source, DatabaseProvider provider)
    {
        if (!File.Exists(source))
        {
            throw new CommandFailure($"FILE: there is no file at {source}.");
        }

        var header = new byte[_sqliteHeader.Length];
        using (var stream = File.OpenRead(source))
        {
            stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        DatabaseProvider? madeBy = header.AsSpan().StartsWith(_sqliteHeader) ? DatabaseProvider.Sqlite
            : header.AsSpan().StartsWith(_pgDumpHeader) ? DatabaseProvider.Postgres
            : null;
        if (madeBy is null)
        {
            throw new CommandFailure($"FILE: {source} is not a Verity backup (neither a SQLite database nor a pg_dump custom-format archive).");
        }

        if (madeBy != provider)
        {
            throw new CommandFailure(
                $"--database: {source} is a {Describe(madeBy.Value)} backup but the database is {Describe(provider)}; "
                + "restore it into a database of the same kind.");
        }
    }

    /// <summary>How many accounts and users the database holds; a database without Verity's tables holds none.</summary>
    private static async Task<(long Accounts, long Users)> CountDataAsync(DatabaseSetting setting, CancellationToken cancellationToken)
    {
        DbConnection connection;
        string tablesQuery;
        switch (setting.Provider)
        {
            case DatabaseProvider.Sqlite:
                var file = SqliteFile(setting.ConnectionString, SqliteOpenMode.ReadWrite);
                if (!File.Exists(file.DataSource))
                {
                    return (0, 0);
                }

                connection = Open(file);
                tablesQuery = "SELECT name FROM sqlite_master WHERE type = 'table'";
                break;
            case DatabaseProvider.Postgres:
                connection = new NpgsqlConnection(setting.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                tablesQuery = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
                break;
            default:
                throw new UnreachableException();
        }

        await using (connection)
        {
            var tables = new HashSet<string>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = tablesQuery;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            var counts = new long[_tablesThatHoldData.Length];
            for (var i = 0; i < counts.Length; i++)
            {
                if (tables.Contains(_tablesThatHoldData[i]))
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT COUNT(*) FROM \"{_tablesThatHoldData[i]}\"";
                    counts[i] = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
                }
            }

            return (counts[0], counts[1]);
        }
    }

    /// <summary>
    /// Runs pg_dump or pg_restore with the connection in PG* environment variables, never arguments,
    /// so the password does not show in <c>ps</c>.
    /// </summary>
    private static async Task RunPostgresToolAsync(
        string tool, DatabaseSetting setting, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var executable = PostgresTools.Find(tool)
            ?? throw new CommandFailure(
                $"--database: {tool} was not found on PATH or in /usr/lib/postgresql/*/bin; "
                + "install PostgreSQL's client tools (Debian: postgresql-client) of the server's version or newer.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in PostgresTools.Environment(setting.ConnectionString))
        {
            start.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(start) ?? throw new CommandFailure($"{tool} did not start.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var message = (await errors).Trim();
            await output;
            if (process.ExitCode != 0)
            {
                throw new CommandFailure($"{tool} failed (exit code {process.ExitCode}); nothing was written: {message}");
            }
        }
        catch (Win32Exception e)
        {
            throw new CommandFailure($"{executable} could not be run: {e.Message}");
        }
    }

    private static string Describe(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "SQLite",
        DatabaseProvider.Postgres => "PostgreSQL",
    };
}

/// <summary>Where PostgreSQL's command-line tools are, and how they learn the connection.</summary>
internal static class PostgresTools
{
    /// <summary>PATH first; then Debian's versioned folders, newest first, since pg_dump refuses a newer server.</summary>
    public static string? Find(string tool) =>
        Find(tool, System.Environment.GetEnvironmentVariable("PATH"), "/usr/lib/postgresql");

    public static string? Find(string tool, string? path, string versionsFolder)
    {
        var name = OperatingSystem.IsWindows() ? tool + ".exe" : tool;
        var onPath = (path ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name));
        var debian = Directory.Exists(versionsFolder)
            ? Directory.GetDirectories(versionsFolder)
                .OrderByDescending(folder => int.TryParse(Path.GetFileName(folder), out var version) ? version : 0)
                .Select(folder => Path.Combine(folder, "bin", name))
            : [];
        return onPath.Concat(debian).FirstOrDefault(File.Exists);
    }

    /// <summary>The libpq variables for what the Npgsql connection string says; what it leaves out stays as inherited.</summary>
    public static IEnumerable<(string Name, string Value)> Environment(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        (string Name, string? Value)[] variables =
        [
            ("PGHOST", connection.Host),
            ("PGPORT", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("PGUSER", connection.Username),
            ("PGPASSWORD", connection.Password),
            ("PGDATABASE", connection.Database),
            ("PGPASSFILE", connection.Passfile),
            ("PGSSLMODE", connection.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Prefer => "prefer",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
            }),
        ];
        return variables.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => (v.Name, v.Value!));
    }
}
