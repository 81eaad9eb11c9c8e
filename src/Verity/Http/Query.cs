namespace Verity.Http;

public static class Query
{
    /// <summary>
    /// A query-string enum, spelled exactly as the API writes it (<c>midMarket</c>); null when absent,
    /// 400 naming the parameter when it is not one of the values.
    /// </summary>
    public static T? Enum<T>(string parameter, string? value)
        where T : struct, System.Enum
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return TryEnum<T>(value)
            ?? throw new BadInputException(parameter, Json.OneOf(typeof(T)));
    }

    /// <summary>The enum value the API spells this way, or null.</summary>
    public static T? TryEnum<T>(string value)
        where T : struct, System.Enum
    {
        foreach (var candidate in System.Enum.GetValues<T>())
        {
            if (Json.Camel(candidate.ToString()) == value)
            {
                return candidate;
            }
        }

        return null;
    }
}
