using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Verity.Access;

/// <summary>
/// Two doors, one identity: scripts and integrations send a personal access token; people signed in to the
/// pages carry a cookie. Either way the same claims reach <see cref="Actor"/>.
/// </summary>
public static class Authentication
{
    public const string Either = "TokenOrCookie";

    public static IServiceCollection AddVerityAuthentication(this IServiceCollection services)
    {
        services.AddScoped<PasswordSignIn>();
        services.AddSharedKeys();
        services.AddHostedService<AccessStampWatcher>();
        services.AddAuthentication(Either)
            .AddPolicyScheme(Either, "Token or cookie", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? PersonalAccessTokens.Scheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(PersonalAccessTokens.Scheme, null)
            .AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.Cookie.Name = "verity";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);

                // The cookie only names a session; whether it still stands, and for whom, is the server's answer.
                o.Events.OnValidatePrincipal = ValidateSessionAsync;

                // The API answers 401/403 rather than redirecting a script to a sign-in page.
                o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            });
        return services;
    }

    /// <summary>Sign-out is a form POST carrying the page's antiforgery token, so no other site can sign anyone out.</summary>
    public static void MapSignOut(this IEndpointRouteBuilder app) =>
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery, Sessions sessions) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Text("Sign out with the Sign out button of a Verity page.", statusCode: StatusCodes.Status400BadRequest);
            }

            var customer = Actor.From(http.User).IsCustomer;
            await sessions.SignOutAsync(http, http.RequestAborted);
            return Results.LocalRedirect(customer ? "/portal/signin" : "/signin");
        }).ExcludeFromDescription().DisableAntiforgery();

    /// <summary>
    /// A browser signed in to the pages may call the API with its cookie, but a write must carry the page's
    /// antiforgery token in <c>RequestVerificationToken</c>: a page of another site (or another port of this host)
    /// cannot. Bearer tokens are not sent by browsers on their own, so they need none.
    /// </summary>
    public static IApplicationBuilder UseCookieWriteProtection(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (request.Path.StartsWithSegments("/api")
                && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
                && http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme }
                && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                throw new Http.ForbiddenException(
                    "A write made with the browser's sign-in cookie must carry the page's antiforgery token in the RequestVerificationToken header.");
            }

            await next(http);
        });

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<Sessions>();
        var principal = context.Principal?.FindFirst(Sessions.SessionClaim)?.Value is { } sessionId
            ? await sessions.ValidateSessionAsync(sessionId, context.Scheme.Name, context.HttpContext.RequestAborted)
            : null;
        if (principal is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(principal);
    }

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        // Customers sign in to the portal by emailed link, not with the team's password page.
        context.Response.Redirect(context.Request.Path.StartsWithSegments("/portal") && status == StatusCodes.Status401Unauthorized
            ? "/portal/signin"
            : context.RedirectUri);
        return Task.CompletedTask;
    }
}
