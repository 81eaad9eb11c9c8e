using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Verity.Data;

/// <summary>
/// Writes many rows in one transaction without change tracking: prepared, reused INSERT commands on SQLite,
/// binary COPY on PostgreSQL. Columns, names and conversions (enums as strings, UTC instants, JSON lists)
/// come from the EF model, so a row reads back exactly as if EF had written it. No history is recorded and
/// no times are stamped: the caller sets <c>CreatedAt</c>, <c>UpdatedAt</c> and <c>Version</c> itself.
/// </summary>
public sealed class BulkLoad : IAsyncDisposable
{
    private readonly VerityDb _db;
    private readonly IDbContextTransaction _transaction;
    private readonly Dictionary<Type, Table> _tables = [];

    private BulkLoad(VerityDb db, IDbContextTransaction transaction)
    {
        _db = db;
        _transaction = transaction;
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
        }

        return new BulkLoad(db, await db.Database.BeginTransactionAsync(cancellationToken));
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
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        foreach (var table in _tables.Values)
        {
            if (table.Insert is { } insert)
            {
                await insert.DisposeAsync();
            }
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
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

    private async Task CopyAsync<T>(Table table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var connection = (NpgsqlConnection)_db.Database.GetDbConnection();
        var copy = $"COPY {Quote(table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            foreach (var column in table.Columns)
            {
                if (column.ValueOf(row) is { } value)
                {
                    await writer.WriteAsync(value, column.Mapping.StoreTypeNameBase, cancellationToken);
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
        var columns = mapping.ColumnMappings.Select(c =>
        {
            if (c.Property.IsShadowProperty())
            {
                throw new InvalidOperationException($"{type.Name}.{c.Property.Name} is a shadow property; a bulk load cannot read it.");
            }

            return new Column(c.Column.Name, c.TypeMapping, c.Property.GetGetter());
        }).ToList();
        return _tables[type] = new Table(mapping.Table.Name, columns);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record Column(string Name, RelationalTypeMapping Mapping, IClrPropertyGetter Getter)
    {
        public object? ValueOf(object row) => Getter.GetClrValueUsingContainingEntity(row) is { } value
            ? Mapping.Converter?.ConvertToProvider(value) ?? value
            : null;
    }

    private sealed record Table(string Name, List<Column> Columns)
    {
        public DbCommand? Insert { get; set; }
    }
}
