using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;

namespace Verity.Tests.Infrastructure;

/// <summary>
/// The app over HTTP on a real database, with intent methods for tests: sign in as a role, create the
/// records a test needs. Each test makes its own data, so tests share one app per database.
/// </summary>
public abstract class VerityApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string CountHeader = "X-Test-Count-Sql";

    public SqlCommandCounter Sql { get; } = new();

    /// <summary>Why this database cannot be used here, or null when it can.</summary>
    public string? Unavailable { get; protected set; }

    /// <summary>Whether the app catches up missed scheduled runs at start (off in tests unless one asks).</summary>
    protected virtual bool CatchUp => false;

    protected abstract string DatabaseSetting { get; }

    /// <summary>The app's database, for a second node or a command on the same data.</summary>
    public string Database => DatabaseSetting;

    /// <summary>Each app keeps its attachments in a folder of its own, removed with it.</summary>
    private readonly string _storage = Path.Combine(Path.GetTempPath(), $"verity-files-{Guid.NewGuid():N}");

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    protected async Task MigrateAsync() => await Services.MigrateAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database", DatabaseSetting);
        builder.UseSetting("Storage:Path", _storage);
        builder.UseEnvironment("Testing");

        // Tests sign in and call the API far faster than any person; RateLimitTests set their own limits.
        builder.UseSetting("RateLimit:PerMinute", "1000000");
        builder.UseSetting("RateLimit:SignInPerMinute", "1000000");

        // Runs the schedule missed before the app started would race the tests' own; MissedRunsTests turn them on.
        builder.UseSetting("Jobs:CatchUp", CatchUp ? "true" : "false");

        // Every app mails through the run's real SMTP server, when there is one; tests read what arrived.
        if (SmtpSink.Shared is { } smtp)
        {
            builder.UseSetting("Mail:Host", "127.0.0.1");
            builder.UseSetting("Mail:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Mail:PollInterval", "00:00:00.200");
        }
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(Sql));
    }

    /// <summary>A client signed in as a new user with this role (and, for customers, this account).</summary>
    public async Task<ApiClient> SignInAsync(UserRole role, string? customerAccountId = null, string? password = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<VerityUser>>();
        var key = Ids.New()[^12..];
        var user = new VerityUser
        {
            UserName = $"{role}-{key}@test.verity",
            Email = $"{role}-{key}@test.verity",
            DisplayName = $"{role} {key}",
            Role = role,
            AccountId = customerAccountId,
        };
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        await using var db = Services.CreateSystemContext();
        var (_, token) = await PersonalAccessTokens.CreateAsync(db, user.Id, TimeProvider.System, CancellationToken.None);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiClient(client, user.Id, role) { Email = user.Email };
    }

    public ApiClient Anonymous() => new(CreateClient(), "", UserRole.Customer);

    /// <summary>A browser-like client (cookies, redirects) signed in through the sign-in page.</summary>
    public async Task<HttpClient> SignInToPagesAsync(string email, string password)
    {
        var client = CreateClient();
        var response = await PostSignInAsync(client, email, password);
        Assert.Equal("/", response.RequestMessage!.RequestUri!.AbsolutePath);
        return client;
    }

    /// <summary>A browser with its own cookie jar, following redirects unless told otherwise.</summary>
    public HttpClient Browser(System.Net.CookieContainer jar, bool followRedirects = true) => followRedirects
        ? CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar))
        : CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar));

    /// <summary>The antiforgery token of the first form on a page.</summary>
    public static string AntiforgeryToken(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value is { Length: > 0 } token
            ? token
            : throw new InvalidOperationException("No antiforgery token on the page.");

    /// <summary>Fills in and submits the sign-in form, antiforgery token included, as a browser would.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string email, string password)
    {
        var form = await browser.GetStringAsync("/signin");
        return await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Form.Email"] = email,
            ["Form.Password"] = password,
        }));
    }

    /// <summary>A fresh connection for looking at what the app wrote.</summary>
    public VerityDb SystemDb() => Services.CreateSystemContext();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteApp : SqliteAppBase;

/// <summary>A fresh SQLite file per app, deleted afterwards.</summary>
public abstract class SqliteAppBase : VerityApp
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"verity-test-{Guid.NewGuid():N}.db");

    protected override string DatabaseSetting => "sqlite:" + _path;

    public override async ValueTask InitializeAsync() => await MigrateAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}

/// <summary>
/// PostgreSQL from <c>VERITY_TEST_POSTGRES</c>: a fresh database per run, dropped afterwards.
/// Without the variable the tests skip, except under CI=true, where they fail.
/// </summary>
public sealed class PostgresApp : PostgresAppBase;

/// <summary>A fresh PostgreSQL database per app; how the app reaches it can be changed by a subclass.</summary>
[NeedsPostgres]
public abstract class PostgresAppBase : VerityApp
{
    protected string? PostgresServer { get; } = Environment.GetEnvironmentVariable("VERITY_TEST_POSTGRES");

    private readonly string _database = $"verity_test_{Guid.NewGuid():N}";

    protected override string DatabaseSetting =>
        "postgres:" + AppConnection(new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _database, Pooling = true }).ConnectionString;

    /// <summary>The app's connection to its database; a subclass may route it elsewhere.</summary>
    protected virtual NpgsqlConnectionStringBuilder AppConnection(NpgsqlConnectionStringBuilder connection) => connection;

    /// <summary>Runs before the database is created and migrated.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    public override async ValueTask InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(PostgresServer))
        {
            Unavailable = "VERITY_TEST_POSTGRES is not set: PostgreSQL tests need a server (see README).";
            return;
        }

        await PrepareAsync();
        await using (var connection = new NpgsqlConnection(PostgresServer))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        await MigrateAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Unavailable is not null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// Counts the SQL commands of requests that carry <see cref="VerityApp.CountHeader"/>, from the moment the caller is
/// known: signing in reads the database only when the session cache is cold, which another test's sign-out can cause at
/// any time, so it is left out of what a request's reads cost.
/// </summary>
public sealed class SqlCommandCounter : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly Microsoft.AspNetCore.Http.HttpContextAccessor _http = new();

    public int CountFor(string key) => _counts.GetValueOrDefault(key);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    private void Count()
    {
        if (_http.HttpContext is { User.Identity.IsAuthenticated: true } http
            && http.Request.Headers[VerityApp.CountHeader].ToString() is { Length: > 0 } key)
        {
            _counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }
}

/// <summary>An HTTP client acting as one user.</summary>
public sealed class ApiClient(HttpClient http, string userId, UserRole role)
{
    public HttpClient Http { get; } = http;

    public string UserId { get; } = userId;

    public UserRole Role { get; } = role;

    public string? Email { get; init; }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(Api(path));

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Send(HttpMethod.Post, path, body);

    public Task<HttpResponseMessage> PatchAsync(string path, object body, string? ifMatch = null) => Send(HttpMethod.Patch, path, body, ifMatch);

    public Task<HttpResponseMessage> PutAsync(string path, object body, string? ifMatch = null) => Send(HttpMethod.Put, path, body, ifMatch);

    public Task<HttpResponseMessage> DeleteAsync(string path, string? ifMatch = null) => Send(HttpMethod.Delete, path, null, ifMatch);

    /// <summary>Sends raw text as the JSON body, for malformed and mistyped input.</summary>
    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string json)
    {
        var request = new HttpRequestMessage(method, Api(path)) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        return Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body, string? ifMatch = null, string? countKey = null)
    {
        var request = new HttpRequestMessage(method, Api(path));
        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json")
                : JsonContent.Create(body, options: TestJson.Options);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (countKey is not null)
        {
            request.Headers.Add(VerityApp.CountHeader, countKey);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Uploads one file as multipart/form-data, as a browser's file input would.</summary>
    public Task<HttpResponseMessage> UploadAsync(string? accountId, string fileName, byte[] content, string contentType = "application/octet-stream")
    {
        var form = new MultipartFormDataContent();
        if (accountId is not null)
        {
            form.Add(new StringContent(accountId), "accountId");
        }

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return Http.PostAsync(Api("attachments"), form);
    }

    /// <summary>POSTs and expects 201, returning the created record.</summary>
    public async Task<JsonObject> CreateAsync(string path, object body)
    {
        var response = await PostAsync(path, body);
        return await response.ExpectJsonAsync(System.Net.HttpStatusCode.Created);
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        var response = await GetAsync(path);
        return await response.ExpectJsonAsync(System.Net.HttpStatusCode.OK);
    }

    private static string Api(string path) => path.StartsWith('/') ? path : "/api/v1/" + path;
}

public static class TestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<JsonObject> ExpectJsonAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonArray> ExpectArrayAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>Asserts a 400 problem that names <paramref name="field"/> among its errors.</summary>
    public static async Task<JsonObject> ExpectFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ExpectJsonAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field), $"Expected an error for '{field}' in {problem.ToJsonString()}");
        Assert.NotEmpty(errors[field]!.AsArray());
        return problem;
    }

    public static async Task<JsonObject> ExpectProblemAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        var problem = await response.ExpectJsonAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return problem;
    }

    public static string Id(this JsonObject record) => record["id"]!.GetValue<string>();

    public static string Str(this JsonNode? node, string name) => node![name]!.GetValue<string>();
}
