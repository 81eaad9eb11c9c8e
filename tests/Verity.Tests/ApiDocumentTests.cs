using System.Text.Json.Nodes;
using Verity.Http;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// What a client generator and a developer reading <c>/docs</c> rely on in the OpenAPI document (API.md, issue 14 item 8):
/// every operation named, summarised and described; the bearer scheme; errors as problem details; the concurrency
/// and idempotency headers; the allowed values of every enum parameter; the content types of the files the API answers.
/// </summary>
[Collection(SqliteCollection.Sqlite)]
public sealed class ApiDocumentTests(SqliteApp app)
{
    private static readonly string[] _writes = ["post", "put", "patch", "delete"];

    /// <summary>Query parameters that take free text, ids, dates, numbers or flags; every other one is an enum.</summary>
    private static readonly HashSet<string> _freeQuery = ["q", "ownerId", "accountId", "entityId", "to", "from", "limit", "cursor", "includeArchived", "dryRun"];

    private async Task<JsonObject> DocumentAsync() =>
        JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where operation.Key is "get" or "post" or "put" or "patch" or "delete"
        select (path.Key, operation.Key, operation.Value!.AsObject());

    private static JsonObject Operation(JsonObject document, string method, string path) => document["paths"]![path]![method]!.AsObject();

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id_a_summary_and_a_description_that_says_more()
    {
        var operations = Operations(await DocumentAsync()).ToList();
        Assert.True(operations.Count > 100, $"only {operations.Count} operations");
        var missing = operations.Where(o => string.IsNullOrWhiteSpace((string?)o.Operation["summary"]) || string.IsNullOrWhiteSpace((string?)o.Operation["description"])
                || string.Equals((string?)o.Operation["summary"], (string?)o.Operation["description"], StringComparison.OrdinalIgnoreCase))
            .Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}");
        Assert.Empty(missing);
        var ids = operations.Select(o => (string?)o.Operation["operationId"]).ToList();
        Assert.DoesNotContain(ids, string.IsNullOrWhiteSpace);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("getPlansByIdExport", Operation(await DocumentAsync(), "get", "/api/v1/plans/{id}/export")["operationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_texts_kept_for_the_objective_operations_each_name_a_real_one()
    {
        var operations = Operations(await DocumentAsync()).Select(o => $"{o.Method.ToUpperInvariant()} {o.Path["/api/v1".Length..]}").ToHashSet();
        Assert.DoesNotContain(ApiDocument.ObjectiveOperations.Keys, key => !operations.Contains(key));
        var document = await DocumentAsync();
        Assert.Equal("Move an objective on", Operation(document, "post", "/api/v1/objectives/{id}/transitions")["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_operation_needs_a_bearer_token_and_answers_its_errors_as_problem_details()
    {
        var document = await DocumentAsync();
        var bearer = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal("http", bearer["type"]!.GetValue<string>());
        Assert.Equal("bearer", bearer["scheme"]!.GetValue<string>());
        Assert.Contains(document["security"]!.AsArray(), requirement => requirement!.AsObject().ContainsKey("bearer"));
        Assert.NotNull(document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["errors"]);

        foreach (var (path, method, operation) in Operations(document))
        {
            var statuses = new List<string> { "400", "401", "403", "404", "429", "503" };
            if (_writes.Contains(method))
            {
                statuses.Add("409");
            }

            foreach (var status in statuses)
            {
                // Problem details, or (an import's 400) problem details that also carry the import's report.
                var reference = (string?)operation["responses"]?[status]?["content"]?["application/problem+json"]?["schema"]?["$ref"] ?? "";
                var schema = document["components"]!["schemas"]![reference.Split('/')[^1]];
                Assert.True(schema?["properties"]?["status"] is not null && schema["properties"]!["title"] is not null,
                    $"{method.ToUpperInvariant()} {path}: no problem details for {status}");
            }
        }
    }

    [Fact]
    public async Task Changes_take_if_match_posts_take_an_idempotency_key_and_single_records_carry_an_etag()
    {
        var document = await DocumentAsync();
        foreach (var (path, method, operation) in Operations(document))
        {
            var headers = (operation["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "header").Select(p => (string)p!["name"]!).ToList();
            if (method is "put" or "patch" or "delete")
            {
                Assert.True(headers.Contains("If-Match") && operation["responses"]!["412"] is not null, $"{method.ToUpperInvariant()} {path}: no If-Match / 412");
            }

            if (method == "post")
            {
                Assert.True(headers.Contains("Idempotency-Key"), $"POST {path}: no Idempotency-Key");
            }
        }

        foreach (var (method, path) in new[] { ("get", "/api/v1/accounts/{id}"), ("get", "/api/v1/objectives/{id}"), ("patch", "/api/v1/plans/{id}") })
        {
            Assert.NotNull(Operation(document, method, path)["responses"]!["200"]!["headers"]?["ETag"]);
        }
    }

    [Fact]
    public async Task Enum_parameters_list_their_values_as_the_api_spells_them()
    {
        var document = await DocumentAsync();
        string[] Values(string path, string name) =>
            [.. Operation(document, "get", path)["parameters"]!.AsArray().Single(p => (string?)p!["name"] == name)!["schema"]!["enum"]!.AsArray().Select(v => (string)v!)];

        Assert.Equal(["pptx", "pdf", "md", "csv", "xlsx"], Values("/api/v1/plans/{id}/export", "format"));
        Assert.Equal(["closePlan", "proposal", "mutualPlan", "kickoff", "businessReview"], Values("/api/v1/plans/{id}/export", "artifact"));
        Assert.Equal(["all", "mine"], Values("/api/v1/portfolio", "team"));
        Assert.Contains("customerSaysOutOfDate", Values("/api/v1/findings", "rule"));
        Assert.Equal(["strategic", "large", "midMarket", "smb"], Values("/api/v1/accounts", "segment"));

        // Any other query parameter that is neither free text, an id, a date, a number nor a flag is an enum with its values.
        var loose = Operations(document)
            .SelectMany(o => (o.Operation["parameters"]?.AsArray() ?? []).Select(p => (o.Method, o.Path, Parameter: p!)))
            .Where(p => (string?)p.Parameter["in"] == "query" && !_freeQuery.Contains((string)p.Parameter["name"]!))
            .Where(p => p.Parameter["schema"]?["enum"] is not JsonArray { Count: > 0 })
            .Select(p => $"{p.Method.ToUpperInvariant()} {p.Path} ?{p.Parameter["name"]}");
        Assert.Empty(loose);
    }

    [Fact]
    public async Task Files_are_described_with_their_content_types()
    {
        var document = await DocumentAsync();
        string[] Types(string path) => [.. Operation(document, "get", path)["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key)];

        Assert.Equal(
            ["application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/pdf", "text/markdown; charset=utf-8", "text/csv; charset=utf-8",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
            Types("/api/v1/plans/{id}/export"));
        Assert.Equal(["application/pdf"], Types("/api/v1/confirmations/{id}/certificate"));
        Assert.Equal(["text/csv; charset=utf-8"], Types("/api/v1/portfolio.csv"));
        Assert.Contains("image/png", Types("/api/v1/attachments/{id}"));
        var binary = document["components"]!["schemas"]!["Stream"]!;
        Assert.Equal(("string", "binary"), (binary["type"]!.GetValue<string>(), binary["format"]!.GetValue<string>()));
    }
}
