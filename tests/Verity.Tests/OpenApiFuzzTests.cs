using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// "No request ever yields 500 for bad input" (API.md), checked by thousands of requests generated from the OpenAPI
/// document — so a new endpoint is fuzzed the day it is documented. Replay a run with CsCheck_Seed=&lt;seed&gt;.
/// </summary>
public abstract class OpenApiFuzzTests(VerityApp app) : ApiTests(app)
{
    private const int Requests = 5000;
    private const int Parallelism = 4;
    private const int Batch = 250;
    private const string TraceHeader = "X-Fuzz-Request";

    [Fact]
    public async Task No_generated_request_gets_a_server_error()
    {
        var api = await ApiDescription.LoadAsync(App);
        var s = await Scenario.CreateAsync(App);
        var admin = await App.SignInAsync(UserRole.Admin);
        var bystanders = new[] { await App.SignInAsync(UserRole.ImplementationEngineer), await App.SignInAsync(UserRole.Customer, s.AccountId) };
        var confirmation = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/confirmations",
            new { stakeholderId = s.StakeholderId, confirmedAt = "2026-06-02T10:00:00Z", statement = "Seven deployments a week." });
        var attachment = await (await s.Csm.UploadAsync(s.AccountId, "evidence.pdf", EvidenceTests.Pdf)).ExpectJsonAsync(System.Net.HttpStatusCode.Created);
        var webhook = await admin.CreateAsync("webhooks", new { url = "https://hooks.example.com/fuzz", events = new[] { "plan.accepted" } });
        var ids = new Dictionary<string, string[]>
        {
            ["webhooks"] = [webhook.Id()],
            ["accounts"] = [s.AccountId],
            ["attachments"] = [attachment.Id()],
            ["stakeholders"] = [s.StakeholderId],
            ["opportunities"] = [s.OpportunityId],
            ["plans"] = [s.PlanId],
            ["objectives"] = [s.ObjectiveId],
            ["metrics"] = [s.MetricId],
            ["initiatives"] = [s.InitiativeId],
            ["activities"] = [s.ActivityId, s.InternalActivityId],
            ["confirmations"] = [confirmation.Id()],

            // Never the callers themselves: a fuzzed PATCH could disable or demote them mid-run.
            ["users"] = [.. bystanders.Select(b => b.UserId)],
        };

        var given = Environment.GetEnvironmentVariable("CsCheck_Seed");
        var pcg = string.IsNullOrWhiteSpace(given) ? new PCG((uint)Random.Shared.Next(), (ulong)Random.Shared.NextInt64()) : PCG.Parse(given.Trim());
        var seed = pcg.ToString();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"Seed: {seed} (replay with CsCheck_Seed={seed})");

        var generator = new RequestGenerator(api, ids).Request;
        var requests = Enumerable.Range(0, Requests).Select(_ => generator.Generate(pcg, null!, out Size _)).ToList();

        var serverLog = ServerErrorLog.AttachTo(App);
        var failures = new ConcurrentBag<Failure>();
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in requests.Select((r, i) => (r, i)).Chunk(Batch))
        {
            // A fuzzed PUT of the team may drop the CSM; put it back so the CSM keeps reaching real records.
            (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new[] { new { userId = s.Csm.UserId, role = "customerSuccessManager" } }))
                .EnsureSuccessStatusCode();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (item, cancellationToken) =>
            {
                var (request, index) = item;
                var client = request.AsAdmin ? admin : s.Csm;
                var url = request.Url;
                for (var page = 0; page < 2 && url is not null; page++)
                {
                    var trace = $"{index}.{page}";
                    var (status, text) = await SendAsync(client, request.Method, url, request.Body, request.Upload, trace, cancellationToken);
                    Interlocked.Increment(ref sent);
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status >= 500)
                    {
                        failures.Add(new Failure(request, url, status, text, serverLog.For(trace)));
                        break;
                    }

                    // Lists are fuzzed past their first page too: the cursor only comes from a real answer.
                    url = request.Method == "GET" && status == 200 && NextCursor(text) is { } cursor ? WithCursor(url, cursor) : null;
                }
            });
        }

        output?.WriteLine($"{sent} requests ({requests.Count} generated over {api.Operations.Count} operations) in {clock.Elapsed.TotalSeconds:F1} s; "
            + "statuses: " + string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}")));
        Assert.True(sent >= Requests, $"Only {sent} requests were sent.");
        Assert.True(failures.IsEmpty, Report(seed, sent, failures));
    }

    [Fact]
    public async Task A_null_list_or_a_null_in_a_list_is_bad_input_naming_the_field()
    {
        var s = await Scenario.CreateAsync(App);
        await (await s.Csm.SendRawAsync(HttpMethod.Post, "plans", $$"""{"accountId":"{{s.AccountId}}","title":"Plan","sections":null}"""))
            .ExpectFieldErrorAsync("sections");
        await (await s.Csm.SendRawAsync(HttpMethod.Post, $"objectives/{s.ObjectiveId}/initiatives", """{"title":"Rollout","tasks":[{"title":"Workshop"},null]}"""))
            .ExpectFieldErrorAsync("tasks[1]");
        await (await s.Csm.SendRawAsync(HttpMethod.Post, $"plans/{s.PlanId}/objectives", """{"title":"Faster releases","stakeholderIds":null}"""))
            .ExpectFieldErrorAsync("stakeholderIds");
        await (await s.Csm.SendRawAsync(HttpMethod.Patch, $"objectives/{s.ObjectiveId}", """{"stakeholderIds":["x",null]}"""))
            .ExpectFieldErrorAsync("stakeholderIds[1]");
        await (await s.Csm.SendRawAsync(HttpMethod.Post, "smart/check", """{"title":"Ship weekly","metrics":null}""")).ExpectFieldErrorAsync("metrics");
        await (await s.Csm.SendRawAsync(HttpMethod.Post, "smart/check", """{"title":"Ship weekly","metrics":[null]}""")).ExpectFieldErrorAsync("metrics[0]");
    }

    private static async Task<(int Status, string Text)> SendAsync(
        ApiClient client, string method, string url, string? body, FuzzUpload? upload, string trace, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(method), url);
        message.Headers.Add(TraceHeader, trace);
        if (body is not null)
        {
            message.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (upload is not null)
        {
            var form = new MultipartFormDataContent();
            if (upload.AccountId is not null)
            {
                form.Add(new StringContent(upload.AccountId), "accountId");
            }

            if (upload.FileName is not null)
            {
                // filename* carries any name, quotes and all, as RFC 6266 allows.
                var file = new ByteArrayContent(upload.Content);
                file.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = upload.FileName };
                form.Add(file);
            }

            message.Content = form;
        }

        using var response = await client.Http.SendAsync(message, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static string? NextCursor(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject page && page["nextCursor"] is JsonValue cursor && cursor.TryGetValue<string>(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string WithCursor(string url, string cursor)
    {
        var query = url.Contains('?', StringComparison.Ordinal) ? url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        var kept = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("cursor=", StringComparison.Ordinal));
        return url.Split('?')[0] + "?" + string.Join("&", kept.Append("cursor=" + Uri.EscapeDataString(cursor)));
    }

    /// <summary>One example of each distinct failure, saying whether it is one of the 500s already being fixed.</summary>
    private static string Report(string seed, int sent, IEnumerable<Failure> failures)
    {
        var groups = failures
            .GroupBy(f => (f.Status, f.Request.Operation.Key, Signature: Known(f) ?? Signature(f.ServerLog)))
            .OrderBy(g => Known(g.First()) is null ? 0 : 1)
            .ThenBy(g => g.Key.Key)
            .ToList();
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{failures.Count()} of {sent} requests answered ≥ 500 ({groups.Count} distinct). Seed {seed}: replay with CsCheck_Seed={seed}.");
        foreach (var group in groups)
        {
            var f = group.First();
            report.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"[{Known(f) ?? "NEW"}] {f.Status} on {group.Key.Key} ×{group.Count()}")
                .AppendLine(CultureInfo.InvariantCulture, $"  as {(f.Request.AsAdmin ? "admin" : "CSM on the team")}: {f.Request.Method} {f.Url}")
                .AppendLine(CultureInfo.InvariantCulture, $"  body: {Shorten(Runs(f.Request.Body ?? f.Request.Upload?.ToString() ?? "(none)"), 2000)}")
                .AppendLine(CultureInfo.InvariantCulture, $"  response: {Shorten(f.Response, 500)}")
                .AppendLine(CultureInfo.InvariantCulture, $"  server log: {Shorten(f.ServerLog, 2500)}");
        }

        return report.ToString();
    }

    /// <summary>The 500s another branch is fixing (issue #9), so a report tells them apart from new ones.</summary>
    private static string? Known(Failure f)
    {
        var body = f.Request.Body ?? "";
        var log = f.ServerLog;
        var path = f.Request.Operation.Path;
        if (f.Request.Method == "GET" && log.Contains("Paging", StringComparison.Ordinal)
            && path is "/plans/{planId}/objectives" or "/objectives/{objectiveId}/metrics" or "/objectives/{objectiveId}/initiatives")
        {
            return "known: paged list with a next cursor";
        }

        if (log.Contains("same key", StringComparison.OrdinalIgnoreCase)
            || (log.Contains("duplicate", StringComparison.OrdinalIgnoreCase) && !log.Contains("unique", StringComparison.OrdinalIgnoreCase)))
        {
            return "known: duplicate JSON keys";
        }

        if (log.Contains("UNIQUE constraint", StringComparison.OrdinalIgnoreCase) || log.Contains("23505", StringComparison.Ordinal))
        {
            return "known: unique-constraint race";
        }

        if (body.Contains("\"elements\":null", StringComparison.Ordinal) || body.Contains("\"tasks\":null", StringComparison.Ordinal))
        {
            return "known: elements/tasks null";
        }

        if ((path.StartsWith("/metrics", StringComparison.Ordinal) || path.EndsWith("/metrics", StringComparison.Ordinal))
            && (body.Contains("e308", StringComparison.OrdinalIgnoreCase) || body.Contains("e400", StringComparison.OrdinalIgnoreCase)
                || body.Contains("NaN", StringComparison.Ordinal) || body.Contains("Infinity", StringComparison.Ordinal)))
        {
            return "known: ±1e308 or non-finite metric value";
        }

        // Once such a value is stored, every read that computes progress from it fails too.
        if (log.Contains("infinity cannot be written", StringComparison.OrdinalIgnoreCase))
        {
            return "known: follows a stored ±1e308 metric value (non-finite progress)";
        }

        if (log.Contains("autoscaler must always be in a good state", StringComparison.Ordinal))
        {
            return "known: follows a stored ±1e308 metric value (chart axis limits)";
        }

        if (f.Status == 503)
        {
            return "known?: database unavailable or busy";
        }

        return null;
    }

    /// <summary>The exception's first line, without the request's path, so one fault on many ids is one entry.</summary>
    private static string Signature(string serverLog) => serverLog.Split('\n').Skip(1).FirstOrDefault() ?? serverLog;

    /// <summary>Long runs of one character (generated long strings) written as their length, so the rest stays readable.</summary>
    private static string Runs(string text) => Regex.Replace(text, @"(.)\1{39,}", m => $"{m.Groups[1].Value}…[{m.Length} × '{m.Groups[1].Value}']");

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + $"… ({text.Length} chars)";

    private sealed record Failure(FuzzRequest Request, string Url, int Status, string Response, string ServerLog);

    /// <summary>A small multipart upload: a file (or none) under some name, and an account (or none).</summary>
    public sealed record FuzzUpload(string? AccountId, string? FileName, byte[] Content)
    {
        public override string ToString() => $"multipart: accountId={AccountId ?? "(none)"}, file={FileName ?? "(none)"} ({Content.Length} bytes)";
    }

    public sealed record FuzzRequest(ApiOperation Operation, bool AsAdmin, string Url, string? Body, FuzzUpload? Upload = null)
    {
        public string Method => Operation.Method;
    }

    /// <summary>Requests for every operation of the document: ids, query values and bodies, right and wrong.</summary>
    private sealed class RequestGenerator(ApiDescription api, IReadOnlyDictionary<string, string[]> ids)
    {
        private static readonly string[] ElementKeys = ["companyBackground", "whatWeHeard", "keyStakeholders", "technicalEvaluation", "architectureNotes"];

        private static readonly Gen<string> Hex32 = Gen.String[Gen.Char["0123456789abcdef"], 32, 32];

        private static readonly Gen<string> Junk = Gen.OneOf(
            "", " ", "null", "undefined", "-1", "0", "..", "%00", "\0", "' OR 1=1 --", "{id}", "[]", "../../etc/passwd", "ä", "🙂", "\u202Eevil",
            "\uD800", "Robert'); DROP TABLE Accounts;--", "1e308", "NaN", "true", "2026-02-30", "ＡＢＣ", "\t\n");

        private static readonly Gen<string> Unicode = Gen.String[Gen.Char[(char)0x80, (char)0xD7FF], 1, 40];

        private static readonly Gen<string> Long = Gen.Int[201, 20_000].Select(n => new string('x', n));

        private static readonly Gen<string> Text = Gen.Frequency(
            (6, Gen.String[Gen.Char[' ', '~'], 0, 40]),
            (2, Unicode),
            (1, Long),
            (1, Junk));

        private static readonly string Deep = string.Concat(Enumerable.Repeat("[", 300)) + string.Concat(Enumerable.Repeat("]", 300));

        private static readonly string DeepObject = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + string.Concat(Enumerable.Repeat("}", 100));

        private static readonly Gen<string> WrongJson = Gen.OneOf(
            "null", "\"x\"", "12", "-1", "true", "[]", "{}", "[1,2]", "{\"a\":{}}", "1e308", "-1e308", "1e400", "\"NaN\"", "\"Infinity\"",
            "\"2026-02-30\"", "\"9999-99-99\"", "99999999999999999999", "0.0000001", Deep, DeepObject, "[{}]", "\"\"");

        private static readonly Gen<string> NotJson = Gen.OneOf(
            "", "{", "}", "nul", "{\"a\":}", "{'a':1}", "[", "\"unterminated", "{\"a\":1,}", "\u0000", "<xml/>", Deep, DeepObject,
            "{\"a\":1,\"a\":2}", "[{\"title\":\"x\"}]", "{\"title\":\"x\"} trailing");

        public Gen<FuzzRequest> Request => Gen.Int[0, api.Operations.Count - 1].SelectMany(i =>
        {
            var operation = api.Operations[i];
            if (operation.IsMultipart)
            {
                // An upload takes a form, not JSON: mostly a random small one, now and then JSON or nothing.
                return Gen.Select(Gen.Bool, UrlFor(operation), Gen.Frequency((8, UploadFor().Select(u => (FuzzUpload?)u)), (1, Gen.Const((FuzzUpload?)null))),
                    Gen.Frequency((1, Gen.Const((string?)null)), (1, NotJson.Select(b => (string?)b))),
                    (asAdmin, url, upload, body) => new FuzzRequest(operation, asAdmin, url, upload is null ? body : null, upload));
            }

            return Gen.Select(Gen.Bool, UrlFor(operation), BodyFor(operation), (asAdmin, url, body) => new FuzzRequest(operation, asAdmin, url, body));
        });

        private static readonly byte[][] Magic =
        [
            "%PDF"u8.ToArray(), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], [0x50, 0x4B, 0x03, 0x04], "MZ"u8.ToArray(), [],
        ];

        private Gen<FuzzUpload> UploadFor()
        {
            var account = Gen.Frequency(
                (6, Gen.OneOf([.. ids.GetValueOrDefault("accounts", [])]).Select(a => (string?)a)),
                (1, Gen.Const((string?)null)),
                (2, Gen.Frequency((1, Junk), (1, Hex32), (1, Long)).Select(a => (string?)a)));
            var extension = Gen.OneOf(".pdf", ".png", ".jpg", ".jpeg", ".docx", ".pptx", ".xlsx", ".csv", ".txt", ".md", ".exe", ".html", "", ".PDF", ".tar.gz");
            var stem = Gen.Frequency((4, Gen.String[Gen.Char['a', 'z'], 1, 12]), (1, Junk), (1, Unicode), (1, Long));
            var name = Gen.Frequency(
                (8, Gen.Select(stem, extension, (n, e) => (string?)(n + e))),
                (1, Gen.OneOf((string?)null, "../../etc/passwd.txt", "C:\\temp\\x.pdf", ".pdf", " .md")));
            var content = Gen.Select(Gen.OneOf(Magic), Gen.Byte.Array[0, 256], Gen.String[Gen.Char[' ', '~'], 0, 64],
                Gen.Int[0, 2], (magic, random, text, kind) => kind switch
                {
                    0 => magic.Concat(random).ToArray(),
                    1 => Encoding.UTF8.GetBytes(text),
                    _ => random,
                });
            return Gen.Select(account, name, content, (a, n, c) => new FuzzUpload(a, n, c));
        }

        private Gen<string> UrlFor(ApiOperation operation)
        {
            var path = operation.PathParameters.Aggregate(Gen.Const(operation.Path), (acc, parameter) =>
                acc.SelectMany(p => IdFor(operation, parameter).Select(id =>
                    p.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(WithoutNul(id)), StringComparison.Ordinal))));
            var query = operation.QueryParameters.Aggregate(Gen.Const(""), (acc, parameter) =>
                acc.SelectMany(q => QueryValue(parameter).Select(v => v is null ? q : q + (q.Length == 0 ? "" : "&") + parameter.Name + "=" + Uri.EscapeDataString(v))));
            return Gen.Select(path, query, (p, q) => ApiOperation.Base + p + (q.Length == 0 ? "" : "?" + q));
        }

        /// <summary>Kestrel refuses a NUL in the path with 400 before the app runs; the test host throws instead.</summary>
        private static string WithoutNul(string id) => id.Replace("\0", "", StringComparison.Ordinal);

        private Gen<string> IdFor(ApiOperation operation, ApiParameter parameter)
        {
            var kind = operation.KindOf(parameter.Name);
            if (kind == "lifecycle")
            {
                return Gen.OneOf("1", "6", "22", "0", "-1", "23", "2147483648", "abc", "1.5", "");
            }

            var random = Gen.Frequency((3, Hex32), (1, Junk), (1, Long), (1, Unicode));

            // Deleting the shared records would leave later requests nothing real to reach; deletions get random ids.
            var destroys = operation.Method == "DELETE" && operation.Path.EndsWith('}');
            if (destroys || !ids.TryGetValue(kind, out var real))
            {
                return random;
            }

            var all = ids.Values.SelectMany(v => v).ToArray();
            return Gen.Frequency((6, Gen.OneOf(real)), (1, Gen.OneOf(all)), (3, random));
        }

        private Gen<string?> QueryValue(ApiParameter parameter)
        {
            var omit = Gen.Const((string?)null);
            var valid = parameter switch
            {
                { Values.Count: > 0 } => Gen.OneOf([.. parameter.Values]),
                { Name: "limit" } => Gen.OneOf("1", "2", "50", "500", "501", "0", "-1", "99999999999", "1e3", "abc", ""),
                { Name: "cursor" } => Gen.OneOf("", "abc", "eyJ9", "AAAA", "%%%", "MDFhMjBk", "////", "null", "-1"),
                { Type: "boolean" } => Gen.OneOf("true", "false", "True", "1", "yes", ""),
                { Type: "integer" } => Gen.OneOf("1", "0", "-1", "2147483648", "1.5", "x"),
                _ when parameter.Name.EndsWith("Id", StringComparison.Ordinal) => Gen.OneOf([.. ids.Values.SelectMany(v => v), "", "x"]),
                _ => Text,
            };
            return Gen.Frequency((3, omit), (4, valid.Select(v => (string?)v)), (2, Text.Select(v => (string?)v)));
        }

        private Gen<string?> BodyFor(ApiOperation operation)
        {
            if (operation.BodySchema is null)
            {
                return operation.Method == "GET" || operation.Method == "DELETE"
                    ? Gen.Const((string?)null)
                    : Gen.Frequency((6, Gen.Const((string?)null)), (1, Gen.Const((string?)"{}")), (1, NotJson.Select(b => (string?)b)));
            }

            return Gen.Frequency(
                (12, Value(operation.BodySchema, 0, null)),
                (1, WrongJson),
                (1, NotJson)).Select(b => (string?)b);
        }

        /// <summary>JSON text for a schema: mostly what it asks for, sometimes null or the wrong type.</summary>
        private Gen<string> Value(JsonNode schema, int depth, string? name)
        {
            var s = api.Resolve(schema);
            if (s["oneOf"] is JsonArray alternatives)
            {
                return Gen.OneOf<string>(alternatives.Select(a => (IGen<string>)Value(a!, depth, name)).ToArray());
            }

            return Gen.Frequency((10, Right(s, depth, name)), (1, WrongJson), (1, Gen.Const("null")));
        }

        private Gen<string> Right(JsonObject s, int depth, string? name)
        {
            if (s["enum"] is JsonArray values)
            {
                return Gen.Frequency(
                    (6, Gen.OneOf([.. values.Select(v => v?.ToJsonString() ?? "null")])),
                    (1, Gen.OneOf("\"bogus\"", "\"\"", "\"WORKINPROGRESS\"", "0", "999", "-1", "\"1\"")));
            }

            var type = ApiDescription.TypesOf(s).FirstOrDefault(t => t != "null");
            var format = s["format"]?.GetValue<string>();
            return type switch
            {
                "string" when format == "date" => Gen.Frequency(
                    (4, Gen.Int[1990, 2100].SelectMany(y => Gen.Int[1, 12].SelectMany(m => Gen.Int[1, 28].Select(d => $"\"{y:D4}-{m:D2}-{d:D2}\"")))),
                    (1, Gen.OneOf("\"2026-02-30\"", "\"0001-01-01\"", "\"9999-12-31\"", "\"26-1-1\"", "\"tomorrow\"", "\"2026-07-01T10:00:00Z\"", "\"\""))),
                "string" when format == "date-time" => Gen.Frequency(
                    (4, Gen.Int[1990, 2100].Select(y => $"\"{y:D4}-06-01T09:30:00Z\"")),
                    (1, Gen.OneOf("\"2026-13-01T00:00:00Z\"", "\"0001-01-01T00:00:00\"", "\"9999-12-31T23:59:59.9999999+14:00\"", "\"now\"", "\"2026-06-01\"", "\"\""))),
                "string" when name is not null && name.EndsWith("Id", StringComparison.Ordinal) =>
                    Gen.Frequency((3, Gen.OneOf([.. ids.Values.SelectMany(v => v)])), (1, Hex32), (1, Text)).Select(Quote),
                "string" => Text.Select(Quote),
                "integer" => Gen.Frequency(
                    (4, Gen.Int[-5, 400].Select(i => i.ToString(CultureInfo.InvariantCulture))),
                    (1, Gen.OneOf("2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e308", "1.5", "-0", "1E2"))),
                "number" => Gen.Frequency(
                    (4, Gen.Double[-1e6, 1e6].Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
                    (1, Gen.OneOf("1e308", "-1e308", "1.7976931348623157e308", "5e-324", "1e400", "-0", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "0.1"))),
                "boolean" => Gen.OneOf("true", "false", "\"true\"", "0"),
                "array" when depth < 4 && s["items"] is { } items => Value(items, depth + 1, Singular(name)).Array[0, 4].Select(a => "[" + string.Join(",", a) + "]"),
                "object" when depth < 4 => ObjectOf(s, depth),
                _ => WrongJson,
            };
        }

        /// <summary>An object of the schema's properties: required ones mostly present, others now and then; unknown and duplicate keys sometimes.</summary>
        private Gen<string> ObjectOf(JsonObject s, int depth)
        {
            var required = (s["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).ToHashSet();
            var members = new List<Gen<string?>>();
            foreach (var (property, schema) in s["properties"]?.AsObject() ?? [])
            {
                var present = Value(schema!, depth + 1, property).Select(v => (string?)$"\"{property}\":{v}");
                members.Add(Gen.Frequency((required.Contains(property) ? 9 : 5, present), (required.Contains(property) ? 1 : 5, Gen.Const((string?)null))));
            }

            if (s["additionalProperties"] is JsonObject entry)
            {
                var key = Gen.Frequency((4, Gen.OneOf(ElementKeys)), (1, Text));
                members.Add(Gen.Select(key, Value(entry, depth + 1, null), (k, v) => $"{Quote(k)}:{v}").Array[0, 3]
                    .Select(a => a.Length == 0 ? null : string.Join(",", a)));
            }

            members.Add(Gen.Frequency((8, Gen.Const((string?)null)), (1, Gen.OneOf((string?)"\"unknownField\":1", "\"__proto__\":{}", "\"\":null", "\"id\":\"x\""))));
            var all = members.Aggregate(Gen.Const<List<string>>(() => []), (acc, member) => acc.SelectMany(list => member.Select(m =>
            {
                if (m is not null)
                {
                    list.Add(m);
                }

                return list;
            })));

            // The same key twice, as raw text: a parser that keeps the last one and one that throws must both answer 4xx.
            return Gen.Select(all, Gen.Int[0, 9], (list, dice) =>
                "{" + string.Join(",", dice == 0 && list.Count > 0 ? [.. list, list[0]] : list) + "}");
        }

        private static string? Singular(string? name) => name is not null && name.EndsWith("Ids", StringComparison.Ordinal) ? name[..^1] : null;

        private static string Quote(string text) => JsonSerializer.Serialize(text);
    }

    /// <summary>The server's own account of each unhandled failure, matched to the request that caused it.</summary>
    private sealed class ServerErrorLog : ILoggerProvider, ILogger
    {
        private static readonly ConditionalWeakTable<VerityApp, ServerErrorLog> Attached = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<(string Message, Exception? Exception)>> _byRequest = new();
        private readonly HttpContextAccessor _http = new();

        public static ServerErrorLog AttachTo(VerityApp app) => Attached.GetValue(app, a =>
        {
            var log = new ServerErrorLog();
            a.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
            return log;
        });

        /// <summary>The app's "Unhandled failure" entry with its exception (EF logs a failed command first), then any others.</summary>
        public string For(string trace)
        {
            if (!_byRequest.TryGetValue(trace, out var entries) || entries.IsEmpty)
            {
                return "(nothing logged for this request)";
            }

            var main = entries.FirstOrDefault(e => e.Exception is not null && e.Message.StartsWith("Unhandled", StringComparison.Ordinal));
            if (main.Message is null)
            {
                main = entries.FirstOrDefault(e => e.Exception is not null);
            }

            if (main.Message is null)
            {
                main = entries.First();
            }

            return main.Message.Split('\n')[0] + "\n" + main.Exception;
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && _http.HttpContext?.Request.Headers[TraceHeader].ToString() is { Length: > 0 } trace)
            {
                _byRequest.GetOrAdd(trace, _ => new()).Enqueue((formatter(state, exception), exception));
            }
        }

        public void Dispose()
        {
        }
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteOpenApiFuzzTests(SqliteApp app) : OpenApiFuzzTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresOpenApiFuzzTests(PostgresApp app) : OpenApiFuzzTests(app);
