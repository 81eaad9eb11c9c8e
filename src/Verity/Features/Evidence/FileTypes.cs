using System.Text;

namespace Verity.Features.Evidence;

/// <summary>
/// The kinds of file an attachment may be, told by the name and checked against the first bytes, so an executable
/// renamed <c>.pdf</c> is refused rather than handed to the next person who opens it.
/// </summary>
public static class FileTypes
{
    private sealed record Kind(string ContentType, byte[]? Magic, bool Text);

    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];

    private static readonly Dictionary<string, Kind> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = new("application/pdf", "%PDF"u8.ToArray(), false),
        [".png"] = new("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], false),
        [".jpg"] = new("image/jpeg", [0xFF, 0xD8, 0xFF], false),
        [".jpeg"] = new("image/jpeg", [0xFF, 0xD8, 0xFF], false),
        [".docx"] = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Zip, false),
        [".pptx"] = new("application/vnd.openxmlformats-officedocument.presentationml.presentation", Zip, false),
        [".xlsx"] = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Zip, false),
        [".csv"] = new("text/csv", null, true),
        [".txt"] = new("text/plain", null, true),
        [".md"] = new("text/markdown", null, true),
    };

    /// <summary>Every content type a stored file may have, as the API document lists them for a download.</summary>
    public static string[] ContentTypes => [.. ByExtension.Values.Select(k => k.ContentType).Distinct()];

    public const string Allowed = "pdf, png, jpeg, docx, pptx, xlsx, csv, txt or md";

    /// <summary>The content type for a file name, or null when the kind is not one Verity keeps.</summary>
    public static string? ContentTypeOf(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var kind) ? kind.ContentType : null;

    /// <summary>Why the content does not match its name, or null when it does.</summary>
    public static async Task<string?> MismatchAsync(string fileName, Stream content, CancellationToken cancellationToken)
    {
        var kind = ByExtension[Path.GetExtension(fileName)];
        if (kind.Magic is { } magic)
        {
            var head = new byte[magic.Length];
            var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            return read == magic.Length && head.AsSpan().SequenceEqual(magic)
                ? null
                : $"The content is not a {Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant()} file, whatever its name says.";
        }

        // Text must decode as UTF-8 as a whole; a NUL byte means it is binary, whatever its name says.
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[81920];
        var chars = new char[buffer.Length + 1];
        int count;
        try
        {
            while ((count = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (buffer.AsSpan(0, count).Contains((byte)0))
                {
                    return "The content holds a NUL byte: it is not a text file.";
                }

                decoder.GetChars(buffer, 0, count, chars, 0, flush: false);
            }

            decoder.GetChars([], 0, 0, chars, 0, flush: true);
        }
        catch (DecoderFallbackException)
        {
            return "The content is not valid UTF-8 text.";
        }

        return null;
    }
}
