using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Verity.Http;

/// <summary>
/// Reads request bodies. Creating and patching share one path: the body is applied as a JSON merge
/// patch (RFC 7396) over the record's current input (nothing, when creating), then bound and checked
/// with the same rules, so a PATCH can neither skip a check nor half-apply.
/// </summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        return options;
    }

    public static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>"Must be one of: strategic, large, midMarket, smb." — the values exactly as the API spells them.</summary>
    public static string OneOf(Type enumType) => $"Must be one of: {string.Join(", ", Enum.GetNames(enumType).Select(Camel))}.";

    /// <summary>Binds a new record from the body.</summary>
    public static Task<T> ReadAsync<T>(HttpRequest request)
        where T : class => PatchAsync<T>(request, current: null);

    /// <summary>Binds the body as a merge patch over <paramref name="current"/>, then validates the result.</summary>
    public static async Task<T> PatchAsync<T>(HttpRequest request, T? current)
        where T : class
    {
        if (await ParseAsync(request) is not JsonObject patch)
        {
            throw new BadInputException("body", "The body must be a JSON object.");
        }

        var merged = current is null ? new JsonObject() : JsonSerializer.SerializeToNode(current, Options)!.AsObject();
        Merge(merged, patch);
        return Bind<T>(merged);
    }

    /// <summary>Binds a JSON array of records, naming a bad field by its index: <c>[2].role</c>.</summary>
    public static async Task<List<T>> ReadListAsync<T>(HttpRequest request)
        where T : class
    {
        if (await ParseAsync(request) is not JsonArray items)
        {
            throw new BadInputException("body", "The body must be a JSON array.");
        }

        var list = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                list.Add(items[i] is JsonObject item ? Bind<T>(item) : throw new BadInputException("body", "Must be an object."));
            }
            catch (BadInputException e)
            {
                throw new BadInputException(e.Errors.ToDictionary(kv => kv.Key == "body" ? $"[{i}]" : $"[{i}].{kv.Key}", kv => kv.Value));
            }
        }

        return list;
    }

    // A key given twice would leave it to chance which value counts; neither is taken.
    private static readonly JsonDocumentOptions _parsing = new() { AllowDuplicateProperties = false };

    private static async Task<JsonNode?> ParseAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json.Span, documentOptions: _parsing);
        }
        catch (JsonException) when (FirstDuplicate(json) is { } field)
        {
            throw new BadInputException(field, "Is given more than once; give it once.");
        }
        catch (JsonException e)
        {
            throw new BadInputException("body", $"The body is not valid JSON: {e.Message.Split(" Path:", 2)[0]}");
        }

        if (FirstNul(node, "") is { } nul)
        {
            throw new BadInputException(nul.Length == 0 ? "body" : nul, "Contains a NUL character (\\u0000), which no text may hold.");
        }

        return node;
    }

    /// <summary>The path of the first string holding U+0000 (PostgreSQL cannot store it), or null.</summary>
    private static string? FirstNul(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.Select(p => FirstNul(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")).FirstOrDefault(p => p is not null),
        JsonArray a => a.Select((item, i) => FirstNul(item, $"{path}[{i}]")).FirstOrDefault(p => p is not null),
        JsonValue v when v.TryGetValue<string>(out var text) && text.Contains('\0') => path,
        _ => null,
    };

    /// <summary>The path of the first key given twice (the parser names only the key), or null.</summary>
    private static string? FirstDuplicate(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FirstDuplicate(document.RootElement, "");
        }
        catch (JsonException)
        {
            return null;
        }

        static string? FirstDuplicate(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                        if (!seen.Add(property.Name))
                        {
                            return at;
                        }

                        if (FirstDuplicate(property.Value, at) is { } inner)
                        {
                            return inner;
                        }
                    }

                    return null;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (FirstDuplicate(item, $"{path}[{index++}]") is { } inner)
                        {
                            return inner;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }
    }

    // Binding honours the inputs' nullability: a null where a list or an object is required is bad input, not
    // a null reference further on. Responses keep the lenient options.
    private static readonly JsonSerializerOptions _binding = new(Options) { RespectNullableAnnotations = true };

    public static T Bind<T>(JsonNode node)
        where T : class
    {
        T? value;
        try
        {
            value = node.Deserialize<T>(_binding);
        }
        catch (JsonException e)
        {
            var field = ProblemExceptionHandler.JsonField(e.Path);
            throw new BadInputException(field.Length == 0 ? "body" : field, DescribeJsonError<T>(field, e));
        }

        if (value is null)
        {
            throw new BadInputException("body", "The body must be a JSON object.");
        }

        Validate(value);
        return value;
    }

    // Inputs are immutable records: one that passed its checks stays valid, so the API's binding and the
    // use case it hands the input to need not both run them. A changed copy (`with`) is a new instance.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _validated = new();

    /// <summary>Runs the data-annotation checks of <paramref name="value"/> and its own cross-field checks, once per input.</summary>
    public static void Validate(object value)
    {
        if (_validated.TryGetValue(value, out _))
        {
            return;
        }

        Check(value);
        _validated.AddOrUpdate(value, value);
    }

    private static void Check(object value)
    {
        var errors = new List<(string Field, string Message)>();
        Collect(value, "", errors);
        if (errors.Count == 0)
        {
            return;
        }

        throw new BadInputException(errors
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray()));
    }

    /// <summary>
    /// The checks of an input and of the inputs inside it (a metric's baseline, an initiative's tasks), which
    /// <see cref="Validator"/> leaves alone; each field is named by its path: <c>baseline.value</c>, <c>tasks[2].title</c>.
    /// </summary>
    private static void Collect(object value, string path, List<(string Field, string Message)> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var field = Camel(member);
                errors.Add((path.Length == 0 ? (field.Length == 0 ? "body" : field) : (field.Length == 0 ? path : $"{path}.{field}"),
                    result.ErrorMessage ?? "Invalid value."));
            }
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = path.Length == 0 ? Camel(property.Name) : $"{path}.{Camel(property.Name)}";
            switch (property.GetValue(value))
            {
                case { } child when IsInput(child.GetType()):
                    Collect(child, name, errors);
                    break;
                case System.Collections.IList list:
                    var itemsMayBeNull = new NullabilityInfoContext().Create(property).GenericTypeArguments is [{ ReadState: not NullabilityState.NotNull }];
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is null && !itemsMayBeNull)
                        {
                            errors.Add(($"{name}[{i}]", "Must not be null: leave the item out instead."));
                        }
                        else if (list[i] is { } item && IsInput(item.GetType()))
                        {
                            Collect(item, $"{name}[{i}]", errors);
                        }
                    }

                    break;
            }
        }
    }

    private static bool IsInput(Type type) => type.IsClass && type.Assembly == typeof(Json).Assembly;

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is JsonObject child && target[name] is JsonObject existing)
            {
                patch.Remove(name);
                Merge(existing, child);
            }
            else
            {
                patch.Remove(name);
                target[name] = value;
            }
        }
    }

    private static string DescribeJsonError<T>(string field, JsonException e)
    {
        if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "This field is not known here.";
        }

        var type = FieldType(typeof(T), field);
        if (type is null)
        {
            return "The value has the wrong type.";
        }

        if (e.Message.Contains("null value", StringComparison.Ordinal) && !type.IsValueType)
        {
            return type == typeof(string) ? "Must be a string, not null."
                : typeof(System.Collections.IList).IsAssignableFrom(type) ? "Must be a list, not null."
                : "Must be an object, not null.";
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return OneOf(type);
        }

        if (type == typeof(DateOnly))
        {
            return "Must be a real date written YYYY-MM-DD.";
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return "Must be an ISO-8601 instant, for example 2026-05-01T14:30:00Z.";
        }

        if (type == typeof(string))
        {
            return "Must be a string.";
        }

        if (type == typeof(bool))
        {
            return "Must be true or false.";
        }

        if (type.IsPrimitive || type == typeof(decimal))
        {
            return "Must be a number.";
        }

        return type.IsGenericType ? "Must be a list." : "Must be an object.";
    }

    private static Type? FieldType(Type root, string path)
    {
        var type = root;
        foreach (var part in path.Split('.'))
        {
            var name = part.Split('[')[0];
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }

            type = property.PropertyType;
            if (part.Contains('[') && type.IsGenericType)
            {
                type = type.GetGenericArguments()[^1];
            }
        }

        return type;
    }
}
