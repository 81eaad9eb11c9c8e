using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Verity.Data;

/// <summary>
/// Writes many rows in one transaction without change tracking: prepared, reused INSERT and UPDATE commands on SQLite,
/// binary COPY on PostgreSQL (into a temporary table and one UPDATE … FROM for changed rows). Columns, names and conversions (enums as strings, UTC instants, JSON lists)
/// come from the EF model, so a row reads back exactly as if EF had written it. No history is recorded and
/// no times are stamped: the caller sets <c>CreatedAt</c>, <c>UpdatedAt</c> and <c>Version</c> itself.
/// </summary>
public sealed class BulkLoad : IAsyncDisposable
{
    private readonly VerityDb _db;
    private readonly IDbContextTransaction _transaction;
    private readonly Dictionary<Type, Table> _tables = [];

    /// <summary>
    /// SQLite: the tables the search index covers, and the ids of their rows this load wrote. The load indexes them in
    /// one statement before it commits (see the "SearchKeys" migration): FTS5 writes out what each statement added, so
    /// the row-by-row triggers left a segment per row to merge and cost an import two thirds of its time.
    /// </summary>
    private readonly HashSet<string> _searched;

    private readonly List<string> _toIndex = [];

    private bool _updated;

    private BulkLoad(VerityDb db, IDbContextTransaction transaction, HashSet<string> searched)
    {
        _db = db;
        _transaction = transaction;
        _searched = searched;
    }

    /// <summary>Rows written so far, per table.</summary>
    public Dictionary<string, long> Counts { get; } = [];

    public static async Task<BulkLoad> BeginAsync(VerityDb db, CancellationToken cancellationToken)
    {
        // Opened through EF, so the provider's connection setup (SQLite's PRAGMAs, foreign keys on) applies.
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // A large page cache keeps the indexes of a million-row table in memory while it fills.
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-262144;", cancellationToken);
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var searched = await db.Database
                .SqlQueryRaw<string>("""SELECT DISTINCT "tbl_name" AS "Value" FROM sqlite_master WHERE "type" = 'trigger' AND "name" LIKE 'SearchIndex\_%' ESCAPE '\'""")
                .ToListAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "SearchDeferred" ("Id") VALUES (1)""", cancellationToken);
            return new BulkLoad(db, transaction, [.. searched]);
        }

        return new BulkLoad(db, await db.Database.BeginTransactionAsync(cancellationToken), []);
    }

    public async Task WriteAsync<T>(IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var table = TableOf(typeof(T));
        if (_db.Database.IsNpgsql())
        {
            await CopyAsync(table, rows, cancellationToken);
        }
        else
        {
            await InsertAsync(table, rows, cancellationToken);
        }

        Counts[table.Name] = Counts.GetValueOrDefault(table.Name) + rows.Count;
        ToIndex(table, rows);
    }

    /// <summary>
    /// Keeps other writers off a table until the load commits, so rows read before being rewritten cannot change in
    /// between. SQLite's writer already holds the whole database (its transaction began IMMEDIATE); PostgreSQL locks the
    /// table against writes, readers carry on.
    /// </summary>
    public async Task LockAsync<T>(CancellationToken cancellationToken)
        where T : class
    {
        if (_db.Database.IsNpgsql())
        {
            var sql = $"LOCK TABLE {Quote(TableOf(typeof(T)).Name)} IN SHARE ROW EXCLUSIVE MODE";
            await _db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        }
    }

    /// <summary>
    /// Rewrites whole rows that are already stored, found by their primary key: every other column takes the row's
    /// value. The caller read the rows first and changed them, so nothing it did not mean to change moves.
    /// </summary>
    public async Task UpdateAsync<T>(IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        _updated = true;
        var table = TableOf(typeof(T));
        if (_db.Database.IsNpgsql())
        {
            await CopyUpdateAsync(table, rows, cancellationToken);
        }
        else
        {
            await PreparedUpdateAsync(table, rows, cancellationToken);
        }

        ToIndex(table, rows);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        foreach (var table in _tables.Values)
        {
            if (table.Insert is { } insert)
            {
                await insert.DisposeAsync();
            }

            if (table.Update is { } update)
            {
                await update.DisposeAsync();
            }
        }

        if (_db.Database.IsSqlite())
        {
            await IndexAsync(cancellationToken);
        }

        // The rows bypass the change tracker: the book's version moves when they commit.
        if (Counts.Count > 0 || _updated)
        {
            await _db.BookChangedAsync(cancellationToken);
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
    }

    private void ToIndex<T>(Table table, IReadOnlyCollection<T> rows)
        where T : class
    {
        if (_searched.Contains(table.Name))
        {
            var key = table.Columns.Single(c => c.IsKey);
            _toIndex.AddRange(rows.Select(row => (string)key.ValueOf(row)!));
        }
    }

    /// <summary>
    /// Puts this load's searched rows in the index (SQLite): their old entries out, new ones in from the
    /// <c>SearchSource</c> view in one statement, their keys noted; then the triggers take over again.
    /// </summary>
    private async Task IndexAsync(CancellationToken cancellationToken)
    {
        var database = _db.Database;
        if (_toIndex.Count > 0)
        {
            // The ids travel as one JSON array (json_each): no statement per id.
            object[] ids = [System.Text.Json.JsonSerializer.Serialize(_toIndex)];
            const string pending = """SELECT value FROM json_each({0})""";
            const string columns = "\"Words\", \"EntityId\", \"Kind\", \"AccountId\", \"Title\"";
            await database.ExecuteSqlRawAsync($"""DELETE FROM "SearchIndex" WHERE rowid IN (SELECT "Row" FROM "SearchKeys" WHERE "EntityId" IN ({pending}))""", ids, cancellationToken);
            await database.ExecuteSqlRawAsync($"""DELETE FROM "SearchKeys" WHERE "EntityId" IN ({pending})""", ids, cancellationToken);
            var last = await database.SqlQueryRaw<long>("""SELECT coalesce((SELECT rowid FROM "SearchIndex" ORDER BY rowid DESC LIMIT 1), 0) AS "Value" """)
                .SingleAsync(cancellationToken);
            await database.ExecuteSqlRawAsync($"""INSERT INTO "SearchIndex" ({columns}) SELECT {columns} FROM "SearchSource" WHERE "EntityId" IN ({pending})""", ids, cancellationToken);
            await database.ExecuteSqlRawAsync("""INSERT INTO "SearchKeys" ("EntityId", "Row") SELECT "EntityId", rowid FROM "SearchIndex" WHERE rowid > {0}""", [last], cancellationToken);
        }

        await database.ExecuteSqlRawAsync("""DELETE FROM "SearchDeferred" """, cancellationToken);
    }

    private async Task InsertAsync<T>(Table table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var command = table.Insert;
        if (command is null)
        {
            command = _db.Database.GetDbConnection().CreateCommand();
            command.Transaction = _transaction.GetDbTransaction();
            command.CommandText = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) "
                + $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => "@p" + i))})";
            for (var i = 0; i < table.Columns.Count; i++)
            {
                command.Parameters.Add(table.Columns[i].Mapping.CreateParameter(command, "@p" + i, null, nullable: true));
            }

            await command.PrepareAsync(cancellationToken);
            table.Insert = command;
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                command.Parameters[i].Value = table.Columns[i].ValueOf(row) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task PreparedUpdateAsync<T>(Table table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var command = table.Update;
        var order = table.Columns.Where(c => !c.IsKey).Concat(table.Columns.Where(c => c.IsKey)).ToList();
        if (command is null)
        {
            command = _db.Database.GetDbConnection().CreateCommand();
            command.Transaction = _transaction.GetDbTransaction();
            command.CommandText = $"UPDATE {Quote(table.Name)} SET "
                + string.Join(", ", order.Where(c => !c.IsKey).Select(c => $"{Quote(c.Name)} = @p{order.IndexOf(c)}"))
                + " WHERE " + string.Join(" AND ", order.Where(c => c.IsKey).Select(c => $"{Quote(c.Name)} = @p{order.IndexOf(c)}"));
            for (var i = 0; i < order.Count; i++)
            {
                command.Parameters.Add(order[i].Mapping.CreateParameter(command, "@p" + i, null, nullable: true));
            }

            await command.PrepareAsync(cancellationToken);
            table.Update = command;
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < order.Count; i++)
            {
                command.Parameters[i].Value = order[i].ValueOf(row) ?? DBNull.Value;
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"A row of {table.Name} to update was not found.");
            }
        }
    }

    /// <summary>The rows go into a temporary copy of the table by COPY, and from there into the table by one UPDATE.</summary>
    private async Task CopyUpdateAsync<T>(Table table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var staging = Quote("bulk_" + table.Name);
        if (!table.Staged)
        {
            // Names from the EF model, never from input.
            var create = $"CREATE TEMPORARY TABLE {staging} (LIKE {Quote(table.Name)} INCLUDING DEFAULTS) ON COMMIT DROP";
            await _db.Database.ExecuteSqlRawAsync(create, cancellationToken);
            table.Staged = true;
        }

        await CopyAsync(table, rows, cancellationToken, staging);
        var set = string.Join(", ", table.Columns.Where(c => !c.IsKey).Select(c => $"{Quote(c.Name)} = s.{Quote(c.Name)}"));
        var match = string.Join(" AND ", table.Columns.Where(c => c.IsKey).Select(c => $"t.{Quote(c.Name)} = s.{Quote(c.Name)}"));
        var update = $"UPDATE {Quote(table.Name)} AS t SET {set} FROM {staging} AS s WHERE {match}";
        var updated = await _db.Database.ExecuteSqlRawAsync(update, cancellationToken);
        var truncate = $"TRUNCATE {staging}";
        await _db.Database.ExecuteSqlRawAsync(truncate, cancellationToken);
        if (updated != rows.Count)
        {
            throw new InvalidOperationException($"{rows.Count - updated} rows of {table.Name} to update were not found.");
        }
    }

    private async Task CopyAsync<T>(Table table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken, string? into = null)
        where T : class
    {
        var connection = (NpgsqlConnection)_db.Database.GetDbConnection();
        var copy = $"COPY {into ?? Quote(table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            foreach (var column in table.Columns)
            {
                if (column.ValueOf(row) is { } value)
                {
                    await column.CopyValue(writer, value, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private Table TableOf(Type type)
    {
        if (_tables.TryGetValue(type, out var known))
        {
            return known;
        }

        var entityType = _db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
        var mapping = entityType.GetTableMappings().Single();
        var key = entityType.FindPrimaryKey()?.Properties ?? [];
        var columns = mapping.ColumnMappings.Select(c =>
        {
            if (c.Property.IsShadowProperty())
            {
                throw new InvalidOperationException($"{type.Name}.{c.Property.Name} is a shadow property; a bulk load cannot read it.");
            }

            return new Column(c.Column.Name, c.TypeMapping, c.Property.GetGetter(), key.Contains(c.Property));
        }).ToList();
        return _tables[type] = new Table(mapping.Table.Name, columns);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record Column(string Name, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, bool IsKey)
    {
        private static readonly System.Reflection.MethodInfo _typedWrite =
            typeof(Column).GetMethod(nameof(TypedWriteAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

        /// <summary>
        /// Writes a value as its own type: handed an object, Npgsql would look its type up again for every value, which
        /// costs more than the copy itself.
        /// </summary>
        public Func<NpgsqlBinaryImporter, object, CancellationToken, Task> CopyValue => field ??= Writer();

        private Func<NpgsqlBinaryImporter, object, CancellationToken, Task> Writer()
        {
            var type = Mapping.Converter?.ProviderClrType ?? Mapping.ClrType;
            var write = _typedWrite.MakeGenericMethod(Nullable.GetUnderlyingType(type) ?? type)
                .CreateDelegate<Func<NpgsqlBinaryImporter, object, string, CancellationToken, Task>>();
            var name = Mapping.StoreTypeNameBase;
            return (writer, value, cancellationToken) => write(writer, value, name, cancellationToken);
        }

        private static Task TypedWriteAsync<TValue>(NpgsqlBinaryImporter writer, object value, string dataTypeName, CancellationToken cancellationToken) =>
            writer.WriteAsync((TValue)value, dataTypeName, cancellationToken);

        public object? ValueOf(object row) => Getter.GetClrValueUsingContainingEntity(row) is { } value
            ? Mapping.Converter?.ConvertToProvider(value) ?? value
            : null;
    }

    private sealed record Table(string Name, List<Column> Columns)
    {
        public DbCommand? Insert { get; set; }

        public DbCommand? Update { get; set; }

        /// <summary>Whether the PostgreSQL staging table for updates exists in this transaction.</summary>
        public bool Staged { get; set; }
    }
}
