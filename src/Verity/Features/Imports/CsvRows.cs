using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CsvHelper;
using Verity.Http;

namespace Verity.Features.Imports;

/// <summary>A field Verity reads from a file, and the column names that give it: Salesforce's API names and labels, and Verity's own.</summary>
public sealed record ImportColumn(string Field, params string[] Names)
{
    /// <summary>How a header is compared: any case, without spaces, dots, dashes or underscores ("Account Name" = "accountname").</summary>
    public static string Key(string header) => string.Concat(header.Where(char.IsLetterOrDigit)).ToLowerInvariant();
}

/// <summary>
/// A CSV file read a record at a time: comma or semicolon (whichever the header uses), UTF-8 with or without a byte order
/// mark (UTF-16 with one). Each value is read for one field and checked; what is wrong becomes an error naming the line
/// and the column as the file spells it, and reading goes on, so one pass reports every bad row.
/// </summary>
public sealed class CsvRows : IDisposable
{
    /// <summary>The largest record Verity reads: a row of a CRM export is a few kilobytes; a megabyte is a broken quote.</summary>
    private const int MaxRecordSize = 1024 * 1024;

    private readonly CsvReader _reader;
    private readonly Dictionary<string, (int Index, string Header)> _columns;
    private readonly List<ImportError> _errors;
    private readonly char _separator;
    private int _errorsBefore;

    private CsvRows(CsvReader reader, Dictionary<string, (int, string)> columns, List<ImportError> errors, char separator)
    {
        _reader = reader;
        _columns = columns;
        _errors = errors;
        _separator = separator;
    }

    /// <summary>The line the current record starts on (the header is line 1).</summary>
    public long Line => _reader.LineNumber;

    /// <summary>Where in the file the current record starts, in bytes: for progress.</summary>
    public long Position => _reader.ByteOffset;

    /// <summary>Whether the current record added an error.</summary>
    public bool RowHasErrors => _errors.Count > _errorsBefore;

    /// <summary>
    /// Opens the file and reads its header, matching each column to a field. A file that is not text, or whose header
    /// names none of the fields, is one error on line 1 and no reader.
    /// </summary>
    public static CsvRows? Open(Stream file, IReadOnlyList<ImportColumn> columns, List<ImportError> errors)
    {
        var start = new byte[64 * 1024];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        file.Position = 0;
        var head = start.AsSpan(0, read);
        var unicode = head.StartsWith(new byte[] { 0xFF, 0xFE }) || head.StartsWith(new byte[] { 0xFE, 0xFF });
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        if (head.IsEmpty)
        {
            errors.Add(new ImportError(1, "header", "The file is empty: give a header line naming the columns, then a line per record."));
            return null;
        }

        if (!unicode && (head.Contains((byte)0) || !System.Text.Unicode.Utf8.IsValid(TrimPartialCharacter(head, read == start.Length))))
        {
            errors.Add(new ImportError(1, "header",
                "The file is not CSV text: it holds binary data (a spreadsheet, a PDF or an archive?). Save it as CSV (UTF-8) and try again."));
            return null;
        }

        var separator = unicode ? '\0' : SeparatorOf(head);
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            MaxRecordSize = MaxRecordSize,
            OnMalformedRecord = malformed => errors.Add(new ImportError(malformed.LineNumber, "row", Malformed(malformed.Reason))),
        };
        if (separator != '\0')
        {
            options = options with { Separator = separator };
        }

        var reader = CsvReader.Create(file, options, leaveOpen: true);
        string[] headers;
        try
        {
            reader.ReadHeader();
            headers = [.. reader.Headers];
        }
        catch (Exception e) when (e is CsvFormatException or InvalidDataException or System.Text.DecoderFallbackException)
        {
            reader.Dispose();
            errors.Add(new ImportError(1, "header", $"The header cannot be read as CSV: {e.Message}"));
            return null;
        }

        var byKey = columns.SelectMany(c => c.Names.Select(n => (Key: ImportColumn.Key(n), Column: c)))
            .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Column);
        var found = new Dictionary<string, (int, string)>();
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i].Trim();
            if (!byKey.TryGetValue(ImportColumn.Key(header), out var column))
            {
                // Columns Verity keeps nothing of (addresses, phone numbers, the CRM's own fields) are left out.
                continue;
            }

            if (found.TryGetValue(column.Field, out var earlier))
            {
                errors.Add(new ImportError(1, header, $"Both '{earlier.Item2}' and '{header}' give the {column.Field}: keep one of them."));
                continue;
            }

            found[column.Field] = (i, header);
        }

        if (found.Count == 0)
        {
            reader.Dispose();
            var shown = string.Join("|", headers.Take(6));
            errors.Add(new ImportError(1, headers.Length == 0 ? "header" : Clip(shown, 200),
                $"No column of this header is one Verity reads. Expected columns such as {string.Join(", ", columns.Take(5).Select(c => c.Names[0]))}."));
            return null;
        }

        return new CsvRows(reader, found, errors, separator == '\0' ? reader.Separator : separator);
    }

    /// <summary>Moves to the next record; false at the end of the file.</summary>
    public bool Read()
    {
        _errorsBefore = _errors.Count;
        return _reader.Read();
    }

    /// <summary>Whether the current record already has an error in this field's column.</summary>
    public bool RowHasErrorsIn(string field)
    {
        var header = Header(field);
        for (var i = _errorsBefore; i < _errors.Count; i++)
        {
            if (_errors[i].Field == header)
            {
                return true;
            }
        }

        return false;
    }

    public bool Has(string field) => _columns.ContainsKey(field);

    /// <summary>The column as the file spells it, or the field's own name when the file has no such column.</summary>
    public string Header(string field) => _columns.TryGetValue(field, out var column) ? column.Header : field;

    public void Error(string field, string message) => _errors.Add(new ImportError(Line, Header(field), message));

    /// <summary>The trimmed value, or null when the column is missing or the value blank.</summary>
    public string? Text(string field, int maxLength = NameAttribute.Limit)
    {
        if (!_columns.TryGetValue(field, out var column))
        {
            return null;
        }

        var value = _reader.GetString(column.Index)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            Error(field, $"Must be at most {maxLength:N0} characters (this one has {value.Length:N0}).");
            return null;
        }

        if (value.Contains('\0'))
        {
            Error(field, "Holds a NUL character, which no text may hold.");
            return null;
        }

        return value;
    }

    public string? Email(string field)
    {
        var value = Text(field, 320);
        if (value is not null && !new EmailAddressAttribute().IsValid(value))
        {
            Error(field, $"'{Clip(value, 60)}' is not an email address.");
            return null;
        }

        return value;
    }

    /// <summary>A count of people or things: a whole number, not negative.</summary>
    public int? Count(string field)
    {
        var value = Text(field, 40);
        if (value is null)
        {
            return null;
        }

        if (Number(value) is not { } number || number != decimal.Truncate(number) || number > int.MaxValue || number < int.MinValue)
        {
            Error(field, $"'{value}' is not a whole number.");
            return null;
        }

        if (number < 0)
        {
            Error(field, $"Must not be negative (it is {value}).");
            return null;
        }

        return (int)number;
    }

    /// <summary>An amount of money from 0 to a trillion; "1,250,000.00", "1250000" and, in a semicolon file, "1.250.000,00".</summary>
    public decimal? Money(string field)
    {
        var value = Text(field, 40);
        if (value is null)
        {
            return null;
        }

        if (Number(value) is not { } number)
        {
            Error(field, $"'{value}' is not an amount.");
            return null;
        }

        if (number is < 0 or > MoneyAttribute.Limit)
        {
            Error(field, "Must be an amount from 0 to 1,000,000,000,000.");
            return null;
        }

        return Math.Round(number, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>A day as YYYY-MM-DD (an ISO instant is read as its day), from 1900 to 2200.</summary>
    public DateOnly? Date(string field)
    {
        var value = Text(field, 40);
        if (value is null)
        {
            return null;
        }

        var day = value.Length > 10 && value[10] is 'T' or ' ' ? value[..10] : value;
        if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Error(field, $"'{value}' is not a date: give it as YYYY-MM-DD.");
            return null;
        }

        if (date.Year is < 1900 or > 2200)
        {
            Error(field, "Must be a date between 1900 and 2200.");
            return null;
        }

        return date;
    }

    public bool? Flag(string field)
    {
        var value = Text(field, 40);
        switch (value?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "yes" or "y" or "1" or "x":
                return true;
            case "false" or "no" or "n" or "0":
                return false;
            default:
                Error(field, $"'{value}' is neither true nor false.");
                return null;
        }
    }

    /// <summary>One of the enum's values as the API spells it or as people write it ("midMarket", "Mid market", "MID-MARKET").</summary>
    public T? Choice<T>(string field, IReadOnlyDictionary<string, T>? also = null)
        where T : struct, Enum
    {
        var value = Text(field, 100);
        if (value is null)
        {
            return null;
        }

        if (also is not null && also.TryGetValue(value, out var mapped))
        {
            return mapped;
        }

        var key = ImportColumn.Key(value);
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (ImportColumn.Key(candidate.ToString()) == key)
            {
                return candidate;
            }
        }

        var allowed = (also?.Keys ?? []).Concat(Enum.GetNames<T>().Select(Json.Camel));
        Error(field, $"'{Clip(value, 60)}' is not one of: {string.Join(", ", allowed)}.");
        return null;
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>
    /// Plain numbers, with thousands separators or not. Where both '.' and ',' appear, the last one is the decimal mark;
    /// a lone ',' is one too in a semicolon file, which is how spreadsheets in most of Europe write them.
    /// </summary>
    private decimal? Number(string value)
    {
        var text = value.Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        var comma = text.LastIndexOf(',');
        var dot = text.LastIndexOf('.');
        var decimalComma = comma >= 0 && (dot >= 0 ? comma > dot : _separator == ';' && text.Count(c => c == ',') == 1);
        if (decimalComma)
        {
            text = text.Replace(".", "", StringComparison.Ordinal).Replace(',', '.');
        }

        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands,
            CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    /// <summary>The separator the header line uses: semicolon when it has more of them than commas (outside quotes), else comma.</summary>
    private static char SeparatorOf(ReadOnlySpan<byte> text)
    {
        int commas = 0, semicolons = 0;
        var quoted = false;
        foreach (var b in text)
        {
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (!quoted && b is (byte)'\n' or (byte)'\r')
            {
                break;
            }
            else if (!quoted && b == (byte)',')
            {
                commas++;
            }
            else if (!quoted && b == (byte)';')
            {
                semicolons++;
            }
        }

        return semicolons > commas ? ';' : ',';
    }

    /// <summary>The start of a file cut at 64 KB may end inside a character; only what comes before it is checked.</summary>
    private static ReadOnlySpan<byte> TrimPartialCharacter(ReadOnlySpan<byte> text, bool cut)
    {
        if (!cut)
        {
            return text;
        }

        var end = text.Length;
        for (var back = 1; back <= 3 && end - back >= 0; back++)
        {
            if ((text[end - back] & 0xC0) != 0x80)
            {
                return (text[end - back] & 0x80) == 0 ? text : text[..(end - back)];
            }
        }

        return text;
    }

    private static string Malformed(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "A quote inside a value that does not start with one: quote the whole value and double the quotes in it (\"\").",
        CsvMalformedReason.TextAfterClosingQuote => "Text after a closing quote: quote the whole value and double the quotes in it (\"\").",
        CsvMalformedReason.UnterminatedQuote => "A quoted value is never closed: every row after it would be part of it.",
        CsvMalformedReason.LineBreakInQuotes => "A line break inside a quoted value.",
        CsvMalformedReason.FieldCountMismatch => "The row has a different number of values than the header.",
        CsvMalformedReason.TrailingEscape => "The file ends with an escape character.",
        _ => "The row is not well-formed CSV.",
    };

    internal static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
