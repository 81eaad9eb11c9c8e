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

    /// <summary>
    /// Summaries and descriptions of the objective, metric and initiative operations, by method and path under
    /// <c>/api/v1</c>. Every other operation carries its own next to its <c>Map…</c> call; these belong there too, in
    /// <c>Features/Objectives</c>, and wait here only while those files move (issue 14, item 6). An operation's own
    /// text wins over an entry here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Summary, string Description)> ObjectiveOperations =
        new Dictionary<string, (string Summary, string Description)>
    {
        ["GET /plans/{planId}/objectives"] = ("List the plan's objectives",
            "The plan's objectives, filtered by `status`, each with its SMART check. Anyone who may see the plan, its customers included (health only where the plan shares it)."),
        ["POST /plans/{planId}/objectives"] = ("Add an objective",
            "Adds an objective in the customer's words, with success criteria, business impact and target date; the answer carries its SMART check. The account's team and managers, directors and admins may."),
        ["GET /objectives/{id}"] = ("Get an objective",
            "One objective with its status, outcome stage, health, SMART check and `ETag`. 404 when the caller may not see its plan."),
        ["PATCH /objectives/{id}"] = ("Change an objective",
            "Changes the fields sent; status and outcome stage move only through transitions. The account's team and managers, directors and admins may; a stale `If-Match` answers 412."),
        ["DELETE /objectives/{id}"] = ("Delete an objective",
            "Deletes the objective (204). Refused with 409 once the customer has confirmed it in writing: close it instead, so the confirmation is kept."),
        ["POST /objectives/{id}/transitions"] = ("Move an objective on",
            "Moves the objective to a status (`workInProgress`, `closedSuccess`, …) or an outcome stage (`accepted`, `delivered`, `verified`) with a note. 409 with what is missing when the move is not allowed, e.g. verified without a customer confirmation."),
        ["POST /objectives/{id}/validate"] = ("Mark the objective as validated",
            "Stamps `lastValidatedAt`: the team has checked with the customer that the objective still holds. The account's team and managers, directors and admins may."),
        ["GET /objectives/{id}/confirmations"] = ("List the objective's confirmations",
            "The customer's written confirmations of the outcome, with who confirmed, when, their words and evidence files."),
        ["POST /objectives/{id}/confirmations"] = ("Record a customer confirmation",
            "Records the customer's written confirmation that the outcome was reached: a customer posts their own, the team records one for a customer-side stakeholder of this account."),
        ["POST /confirmations/{id}/void"] = ("Void a confirmation",
            "Voids a confirmation recorded in error, with a `reason`; it stays in the history. Admins only."),
        ["POST /smart/check"] = ("Check an objective against SMART",
            "Says whether a draft objective is specific, measurable, achievable, relevant and time-bound, with a suggestion for each gap; nothing is saved. Anyone signed in."),
        ["GET /objectives/{objectiveId}/metrics"] = ("List the objective's metrics",
            "The objective's metrics, each with baseline, target, latest measurement and progress (0 to 1)."),
        ["POST /objectives/{objectiveId}/metrics"] = ("Add a metric",
            "Adds a metric with its unit, direction (`increase` or `decrease`), baseline and target. The account's team and managers, directors and admins may."),
        ["GET /metrics/{id}"] = ("Get a metric",
            "One metric with its latest measurement, progress and `ETag`."),
        ["PATCH /metrics/{id}"] = ("Change a metric",
            "Changes the fields sent; progress is worked out again. The account's team and managers, directors and admins may; a stale `If-Match` answers 412."),
        ["DELETE /metrics/{id}"] = ("Delete a metric",
            "Deletes the metric and all its measurements (204). The account's team and managers, directors and admins may; a stale `If-Match` answers 412."),
        ["GET /metrics/{id}/measurements"] = ("List a metric's measurements",
            "The metric's measurements in date order, each with its value, date and source."),
        ["POST /metrics/{id}/measurements"] = ("Record a measurement",
            "Records a value on a date with where it came from; the metric's latest value and progress follow. The account's team and managers, directors and admins may."),
        ["GET /objectives/{objectiveId}/initiatives"] = ("List the objective's initiatives",
            "The work that serves the objective, filtered by `status`, each with its owner, due date and tasks."),
        ["POST /objectives/{objectiveId}/initiatives"] = ("Add an initiative",
            "Adds an initiative owned by a vendor user or a customer stakeholder. The account's team and managers, directors and admins may."),
        ["GET /initiatives/{id}"] = ("Get an initiative",
            "One initiative with its tasks and `ETag`."),
        ["PATCH /initiatives/{id}"] = ("Change an initiative",
            "Changes the fields sent (title, status, due date, owner). The account's team and managers, directors and admins may; a stale `If-Match` answers 412."),
        ["DELETE /initiatives/{id}"] = ("Delete an initiative",
            "Deletes the initiative (204). The account's team and managers, directors and admins may."),
        ["POST /initiatives/{id}/task-updates"] = ("Tick off an initiative's task",
            "Marks one task done or not done. The team may tick any task; a customer only those of an initiative their side owns."),
    };

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
        if (ObjectiveOperations.TryGetValue($"{method.Method} {path["/api/v1".Length..]}", out var text))
        {
            operation.Summary ??= text.Summary;
            operation.Description ??= text.Description;
        }

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
