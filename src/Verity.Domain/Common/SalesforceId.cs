namespace Verity.Domain.Common;

/// <summary>
/// Salesforce record ids come in two spellings: 15 characters, case-sensitive (what its pages and reports show), and
/// 18, the same 15 with a 3-letter suffix that spells out where the capitals are, so the id stays unique where case is
/// lost (what its API returns). Verity keeps the 18-character form, so a record matches whichever form a file gives.
/// </summary>
public static class SalesforceId
{
    private const string Suffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>
    /// The 18-character form of a 15-character Salesforce id; any other value (an 18-character id, another system's
    /// id, a 15-digit number such as a HubSpot id) comes back trimmed and otherwise unchanged.
    /// </summary>
    public static string Normalise(string id)
    {
        var trimmed = id.Trim();
        return IsShortForm(trimmed) ? trimmed + Checksum(trimmed) : trimmed;
    }

    /// <summary>15 letters and digits with at least one letter: all digits is another system's number, not a Salesforce id.</summary>
    public static bool IsShortForm(string id) =>
        id.Length == 15 && id.All(char.IsAsciiLetterOrDigit) && id.Any(char.IsAsciiLetter);

    /// <summary>
    /// For each block of five characters, a bit per capital letter (the first character the lowest bit), read as
    /// an index into A–Z then 0–5.
    /// </summary>
    public static string Checksum(string shortForm)
    {
        if (shortForm.Length != 15)
        {
            throw new ArgumentException("A Salesforce id's short form has 15 characters.", nameof(shortForm));
        }

        Span<char> suffix = stackalloc char[3];
        for (var block = 0; block < 3; block++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(shortForm[(block * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            suffix[block] = Suffix[bits];
        }

        return new string(suffix);
    }
}
