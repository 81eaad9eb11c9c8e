using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

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

        http.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>
    /// What a failure means for the caller — a 400 naming fields, 403, 404, 409 or 412 — or null for a fault of
    /// ours. The API writes it as problem details; a page shows it beside the form.
    /// </summary>
    public static ProblemDetails? Describe(Exception exception) => exception switch
        {
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
