using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Verity.Data;

/// <summary>Every instant is UTC: SQLite hands DateTimes back unspecified, PostgreSQL insists on UTC.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
