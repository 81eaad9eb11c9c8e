using System.Text.Json.Nodes;

namespace Verity.Tests.Infrastructure;

/// <summary>A query or path parameter as the OpenAPI document describes it.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, string? Type, IReadOnlyList<string> Values);

/// <summary>
/// One operation of the API as the OpenAPI document lists it. <see cref="Path"/> is relative to /api/v1
/// ("/plans/{id}"), so tests name operations the way API.md does.
/// </summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonNode? BodySchema, bool IsMultipart = false)
{
    public const string Base = "/api/v1";

    public string Key => $"{Method} {Path}";

    public bool IsWrite => Method != "GET";

    public IEnumerable<ApiParameter> PathParameters => Parameters.Where(p => p.In == "path");

    public IEnumerable<ApiParameter> QueryParameters => Parameters.Where(p => p.In == "query");

    /// <summary>
    /// The kind of record a path placeholder names: the segment before it ("plans" for /plans/{planId},
    /// "lifecycle" for /accounts/{id}/lifecycle/{sequence}).
    /// </summary>
    public string KindOf(string parameter)
    {
        var segments = Path.Trim('/').Split('/');
        var at = Array.IndexOf(segments, "{" + parameter + "}");
        return at > 0 ? segments[at - 1] : throw new InvalidOperationException($"{Key} has no path parameter '{parameter}'.");
    }

    /// <summary>The path with each placeholder replaced (escaped), under /api/v1, with an optional query string.</summary>
    public string Url(Func<ApiParameter, string> value, string? query = null)
    {
        var path = PathParameters.Aggregate(Path, (p, parameter) => p.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(value(parameter)), StringComparison.Ordinal));
        return Base + path + (string.IsNullOrEmpty(query) ? "" : "?" + query);
    }

    public override string ToString() => Key;
}

/// <summary>The API's own description of itself, read over HTTP as an integration would read it.</summary>
public sealed class ApiDescription(JsonObject document, IReadOnlyList<ApiOperation> operations)
{
    public IReadOnlyList<ApiOperation> Operations { get; } = operations;

    public static async Task<ApiDescription> LoadAsync(VerityApp app)
    {
        var response = await app.Anonymous().Http.GetAsync("/openapi/v1.json");
        var document = (await response.ExpectJsonAsync(System.Net.HttpStatusCode.OK));
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            Assert.StartsWith(ApiOperation.Base + "/", path);
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }

                var parameters = (operation!["parameters"]?.AsArray() ?? [])
                    .Select(p => p!.AsObject())
                    .Where(p => p["in"]!.GetValue<string>() is "path" or "query")
                    .Select(p => new ApiParameter(
                        p["name"]!.GetValue<string>(),
                        p["in"]!.GetValue<string>(),
                        p["required"]?.GetValue<bool>() ?? false,
                        p["schema"]?["type"] is JsonValue type ? type.GetValue<string>() : null,
                        (p["schema"]?["enum"]?.AsArray() ?? []).Select(v => v!.GetValue<string>()).ToList()))
                    .ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                var multipart = operation["requestBody"]?["content"]?["multipart/form-data"] is not null;
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path[ApiOperation.Base.Length..], parameters, body?.DeepClone(), multipart));
            }
        }

        return new ApiDescription(document, operations);
    }

    /// <summary>A schema with its <c>$ref</c> followed into components.schemas.</summary>
    public JsonObject Resolve(JsonNode schema)
    {
        var current = schema.AsObject();
        while (current["$ref"] is JsonValue reference)
        {
            var name = reference.GetValue<string>().Split('/')[^1];
            current = document["components"]!["schemas"]![name]!.AsObject();
        }

        return current;
    }

    /// <summary>The JSON types a schema allows ("type": "string" or ["null", "string"]); empty when it does not say.</summary>
    public static IReadOnlyList<string> TypesOf(JsonObject schema) => schema["type"] switch
    {
        JsonValue one => [one.GetValue<string>()],
        JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(),
        _ => [],
    };
}
