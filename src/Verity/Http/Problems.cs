using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Verity.Http;

/// <summary>Input that fails its checks: each bad field with its messages.</summary>
public sealed class BadInputException(IDictionary<string, string[]> errors)
    : Exception("The request has invalid fields.")
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public BadInputException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }
}

/// <summary>A record that does not exist or that the caller may not see: both answer 404.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

public sealed class ForbiddenException(string detail) : Exception(detail);

/// <summary>A move the record's lifecycle does not allow right now; the detail says what is missing.</summary>
public sealed class ConflictException(string detail) : Exception(detail);

/// <summary>A value that must be unique is already another record's: 409, naming the field.</summary>
public sealed class DuplicateException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

public sealed class PreconditionFailedException()
    : Exception("The record has changed since you read it (If-Match is stale). Read it again and retry.");

/// <summary>Turns every failure into RFC 9457 problem details; bad input never becomes a 500.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);

        if (problem is null)
        {
            log.LogError(exception, "Unhandled failure on {Method} {Path}", http.Request.Method, http.Request.Path);
            return false;
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            log.LogWarning("The database is unreachable on {Method} {Path}: {Reason}", http.Request.Method, http.Request.Path, exception.Message);
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        http.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;

        // The status is the answer; a client that accepts no problem details still gets it, with an empty body.
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
            Exception = exception,
        });
        return true;
    }

    /// <summary>How long a client should wait before retrying while the database is unreachable.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// What a failure means for the caller — a 400 naming fields, 403, 404, 409 or 412 — or null for a fault of
    /// ours. The API writes it as problem details; a page shows it beside the form.
    /// </summary>
    public static ProblemDetails? Describe(Exception exception) => exception switch
        {
            _ when IsOutage(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is briefly unavailable.",
                Detail = "The database cannot be reached right now. Nothing was changed; retry after a few seconds.",
            },
            DbUpdateException when IsUniqueViolation(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The record was written at the same moment by another request.",
                Detail = "Another request created the same record first. Read it again and retry your change.",
            },
            _ when Causes(exception).Any(e => e is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire }) => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The text cannot be stored.",
                Detail = "A value holds a NUL character (U+0000), which no text may hold. Remove it and retry.",
            },
            BadInputException bad => new HttpValidationProblemDetails(bad.Errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
            },
            Domain.Common.FieldViolation field => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field.Field] = [field.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
            },
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            JsonException json => JsonProblem(json),
            BadHttpRequestException bad when BindFailure(bad) is { } bind => bind,
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request is malformed.",
                Detail = bad.Message,
            },
            NotFoundException => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Not found.",
                Detail = exception.Message,
            },
            ForbiddenException => new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed.",
                Detail = exception.Message,
            },
            DuplicateException duplicate => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [duplicate.Field] = [duplicate.Message] })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The value is already taken.",
                Detail = duplicate.Message,
            },
            Domain.Common.RuleViolation { Field: { } field } => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [exception.Message] })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The move is not allowed.",
                Detail = exception.Message,
            },
            ConflictException or Domain.Common.RuleViolation => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The move is not allowed.",
                Detail = exception.Message,
            },
            PreconditionFailedException or DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "The record has changed.",
                Detail = new PreconditionFailedException().Message,
            },
            _ => null,
        };

    /// <summary>
    /// Two writers raced to create the same record (a close plan's first write, a plan section added twice):
    /// the loser is told so, as with a stale If-Match, rather than shown a fault of ours.
    /// </summary>
    internal static bool IsUniqueViolation(Exception exception) => Causes(exception).Any(e => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    });

    /// <summary>
    /// The database cannot be reached or is shutting down, out of resources or locked: nothing a client did
    /// wrong, and nothing that lasts, so the answer is 503 with Retry-After rather than a fault.
    /// </summary>
    private static bool IsOutage(Exception exception) => Causes(exception).Any(e => e switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,

        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 10 or 13 or 14,
        _ => false,
    });

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>A query or route value that does not parse, named by its parameter.</summary>
    private static HttpValidationProblemDetails? BindFailure(BadHttpRequestException bad)
    {
        var match = Regex.Match(bad.Message, "^Failed to bind parameter \"(?<type>.+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$");
        if (!match.Success)
        {
            return null;
        }

        var typeName = match.Groups["type"].Value.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>');
        var enumType = typeof(Domain.Common.Entity).Assembly.GetTypes().FirstOrDefault(t => t.IsEnum && t.Name == typeName);
        var message = enumType is null
            ? $"'{match.Groups["value"].Value}' is not a valid {typeName.ToLowerInvariant()}."
            : Json.OneOf(enumType);
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [match.Groups["name"].Value] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
        };
    }

    /// <summary>A body that is not JSON, or JSON of the wrong shape, named by the field where it broke.</summary>
    private static ProblemDetails JsonProblem(JsonException json)
    {
        var field = JsonField(json.Path);
        var message = json.Message.Split(" Path:", 2)[0];
        if (field.Length == 0)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid JSON.",
                Detail = message,
            };
        }

        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [FriendlyJsonMessage(message)] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
        };
    }

    private static string FriendlyJsonMessage(string message) =>
        message.Contains("could not be converted", StringComparison.Ordinal)
            ? "The value has the wrong type or is not one of the allowed values."
            : message;

    /// <summary>"$.baseline.value" → "baseline.value"; "$['x']" → "x".</summary>
    internal static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }

        return path.TrimStart('$').TrimStart('.').Replace("['", "", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);
    }
}
