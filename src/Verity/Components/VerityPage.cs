using System.Reflection;
using Microsoft.AspNetCore.Components;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Components;

/// <summary>
/// What every page needs: the caller's filtered database, who they are, the clock, and the plumbing for
/// 404s, redirects after a successful post, and the field errors of a failed one.
/// </summary>
public abstract class VerityPage : ComponentBase
{
    [Inject]
    protected VerityDb Db { get; set; } = null!;

    [Inject]
    protected Actor Actor { get; set; } = null!;

    [Inject]
    protected TimeProvider Clock { get; set; } = null!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    [CascadingParameter]
    protected HttpContext Http { get; set; } = null!;

    protected CancellationToken Aborted => Http.RequestAborted;

    protected DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    /// <summary>The field errors of the form that just failed, keyed by the API's field names.</summary>
    protected IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>A failure that belongs to no single field (a refused move, a stale edit).</summary>
    protected string? Problem { get; set; }

    /// <summary>Whether the record was found; a page for a record the user may not see answers 404.</summary>
    protected bool Missing { get; private set; }

    protected void NotFound()
    {
        Missing = true;
        Navigation.NotFound();
    }

    /// <summary>Which write failed (its handler's name), so a page with several forms shows the messages beside the right one.</summary>
    protected string? FailedWrite { get; private set; }

    protected IDictionary<string, string[]>? ErrorsOf(string write) => FailedWrite == write ? Errors : null;

    /// <summary>Runs a write; on bad input or a refused move the page re-renders with the messages and the typed values.</summary>
    protected async Task<bool> TryAsync(Func<Task> write, [System.Runtime.CompilerServices.CallerMemberName] string handler = "")
    {
        FailedWrite = handler;
        try
        {
            await write();
            return true;
        }
        // An unreachable database is no message beside a form: the whole request answers 503 with Retry-After.
        catch (Exception e) when (ProblemExceptionHandler.Describe(e) is { Status: not StatusCodes.Status503ServiceUnavailable } problem)
        {
            if (problem is HttpValidationProblemDetails invalid)
            {
                Errors = invalid.Errors;
            }
            else if (problem.Status == StatusCodes.Status412PreconditionFailed)
            {
                Problem = StaleEdit;
                Http.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
                await ShowCurrentAsync();
                return false;
            }
            else
            {
                Problem = problem.Detail;
            }

            if (problem.Status == StatusCodes.Status404NotFound)
            {
                NotFound();
            }
            else
            {
                Http.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
            }
        }

        return false;
    }

    /// <summary>What a page says when its form was filled in over an older version of the record.</summary>
    public const string StaleEdit = "Someone changed this since you opened it — here is their version.";

    /// <summary>
    /// After a stale edit the forms show what is stored now, not what was typed over an older version: the posted
    /// values are dropped and the component reads itself again, as on a fresh GET (its <c>Form ??= …</c> then fills
    /// from the record), so the person sees their colleague's version and applies their change to it.
    /// </summary>
    private async Task ShowCurrentAsync()
    {
        // No render in between: the forms are empty until the component has read itself again.
        _reloading = true;
        try
        {
            Db.ChangeTracker.Clear();
            foreach (var property in GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                         .Where(p => p.CanWrite && p.IsDefined(typeof(SupplyParameterFromFormAttribute), inherit: true)))
            {
                property.SetValue(this, null);
            }

            OnInitialized();
            await OnInitializedAsync();
            OnParametersSet();
            await OnParametersSetAsync();
        }
        finally
        {
            _reloading = false;
        }
    }

    private bool _reloading;

    protected override bool ShouldRender() => !_reloading;

    /// <summary>
    /// After a successful post, back to a page by GET, so a reload does not post again; <paramref name="done"/> says
    /// what changed ("Cadence call logged."), shown at the top of that page with the focus on it (verity.js reads it
    /// from a cookie that lives for one page).
    /// </summary>
    protected void GoTo(string url, string? done = null)
    {
        if (done is not null)
        {
            Http.Response.Cookies.Append(DoneCookie, done, new CookieOptions
            {
                Path = "/", SameSite = SameSiteMode.Strict, Secure = Http.Request.IsHttps, MaxAge = TimeSpan.FromMinutes(1), IsEssential = true,
            });
        }

        Navigation.NavigateTo(url);
    }

    public const string DoneCookie = "verity-done";

    /// <summary>The value as the API writes it (<c>workInProgress</c>): for CSS classes, data attributes and query values, not for people.</summary>
    protected static string Label<T>(T value)
        where T : struct, Enum => Json.Camel(value.ToString());

    /// <summary>The value in words, for people: <see cref="Words.Say{T}"/>.</summary>
    protected static string Say<T>(T value)
        where T : struct, Enum => Words.Say(value);
}
