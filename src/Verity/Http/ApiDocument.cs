using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Verity.Http;

/// <summary>
/// A query parameter read as a string (so a bad value gets the API's own message) whose values are those of
/// <typeparamref name="T"/>, spelled as the API spells them; the OpenAPI document lists them as its enum.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ValuesOfAttribute<T> : Attribute, IValuesOf
    where T : struct, Enum
{
    public IEnumerable<string> Values => Enum.GetNames<T>().Select(Json.Camel);
}

public interface IValuesOf
{
    IEnumerable<string> Values { get; }
}

/// <summary>
/// The OpenAPI document says what the API really does: the bearer scheme, every error as problem details,
/// ETag / If-Match / Idempotency-Key, and the allowed values of every enum parameter.
/// </summary>
public static class ApiDocument
{
    private const string Problem = "ProblemDetails";
    private const string Bearer = "bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Verity API";
            document.Info.Description = "Mutual customer success plans with verifiable outcomes.";
            document.Info.Contact ??= new OpenApiContact { Name = "Verity" };
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }

            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal access token: `verity tokens create --email E`, or POST /api/v1/me/tokens.",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[Problem] = ProblemSchema();
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];

            foreach (var (path, item) in document.Paths)
            {
                foreach (var (method, operation) in item.Operations ?? [])
                {
                    Describe(document, path, method, operation);
                }
            }

            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (Allowed(context.Description, parameter.Name) is { } values && parameter is OpenApiParameter concrete
                    && concrete.Schema is OpenApiSchema schema)
                {
                    schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList();
                }
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>A stable, unique name from the method and path, for generated clients: GET /api/v1/accounts/{id}/team → getAccountsByIdTeam.</summary>
    private static string OperationId(HttpMethod method, string path) => method.Method.ToLowerInvariant() + string.Concat(
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(segment => segment.StartsWith('{')
            ? "By" + Pascal(segment.Trim('{', '}'))
            : string.Concat(segment.Split('-', '.').Select(Pascal))));

    private static string Pascal(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static IEnumerable<string>? Allowed(ApiDescription description, string? name) =>
        description.ParameterDescriptions
            .FirstOrDefault(p => p.Name == name)?.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: var info }
            ? info.GetCustomAttributes(false).OfType<IValuesOf>().FirstOrDefault()?.Values
            : null;

    private static void Describe(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        operation.OperationId ??= OperationId(method, path);
        operation.Responses ??= [];
        var writes = method != HttpMethod.Get;
        var errors = new List<(string Status, string Description)>
        {
            ("400", "Invalid input: `errors` names each bad field."),
            ("401", "No token, or the token or session has ended."),
            ("403", "The caller's role may not do this, or a cookie write lacks the antiforgery token."),
            ("404", "No such record, or one the caller may not see."),
            ("429", "Too many requests: see `Retry-After`."),
            ("503", "The database is unreachable: see `Retry-After`."),
        };
        if (writes)
        {
            errors.Add(("409", "The move is not allowed now; `detail` says what is missing."));
        }

        if (method == HttpMethod.Patch || method == HttpMethod.Put || method == HttpMethod.Delete)
        {
            errors.Add(("412", "`If-Match` names a version that is no longer current."));
            operation.Parameters ??= [];
            operation.Parameters.Add(Header("If-Match", "The `ETag` of the version this change is based on."));
        }

        if (operation.RequestBody is not null)
        {
            errors.Add(("413", "The JSON body is larger than 1 MB."));
        }

        if (method == HttpMethod.Post)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Header("Idempotency-Key", "Repeat a POST with the same key and body to get the first response again, creating nothing new."));
        }

        foreach (var (status, description) in errors)
        {
            operation.Responses.TryAdd(status, new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(Problem, document) },
                },
            });
        }

        // Single records carry their version.
        var single = path.EndsWith('}') || method != HttpMethod.Get;
        foreach (var (status, response) in operation.Responses.Where(r => r.Key is "200" or "201"))
        {
            if (single && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers.TryAdd("ETag", new OpenApiHeader { Description = "The record's version, for `If-Match`.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            }
        }
    }

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiSchema ProblemSchema()
    {
        var text = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = text,
                ["title"] = text,
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = text,
                ["instance"] = text,
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "For 400: each bad field and its messages.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }
}
