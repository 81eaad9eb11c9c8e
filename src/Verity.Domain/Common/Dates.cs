using System.Globalization;

namespace Verity.Domain.Common;

public static class Dates
{
    /// <summary>A day as people and APIs read it everywhere in Verity: 2026-11-24; empty when there is none.</summary>
    public static string Iso(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
