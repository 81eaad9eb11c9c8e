namespace Verity.Http;

/// <summary>
/// Headers on every response: no script but Verity's own files, no framing by other sites, no MIME sniffing,
/// and no full addresses leaked to other sites in the Referer.
/// </summary>
public static class SecurityHeaders
{
    public static readonly HeaderPolicyCollection Pages = Policy(allowInlineScript: false);

    /// <summary>The API reference (Scalar) starts itself with one inline module; it shows no account data.</summary>
    public static readonly HeaderPolicyCollection ApiReference = Policy(allowInlineScript: true);

    public static IApplicationBuilder UseVeritySecurityHeaders(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/docs"),
                docs => docs.UseSecurityHeaders(ApiReference))
            .UseWhen(http => !http.Request.Path.StartsWithSegments("/docs"),
                rest => rest.UseSecurityHeaders(Pages));

    private static HeaderPolicyCollection Policy(bool allowInlineScript) => new HeaderPolicyCollection()
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddReferrerPolicyStrictOriginWhenCrossOrigin()
        .AddCrossOriginOpenerPolicy(b => b.SameOrigin())
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            var scripts = csp.AddScriptSrc().Self();
            if (allowInlineScript)
            {
                scripts.UnsafeInline();
            }

            csp.AddStyleSrc().Self().UnsafeInline();
            csp.AddImgSrc().Self().Data();
            csp.AddFontSrc().Self().Data();
            csp.AddConnectSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().Self();
            csp.AddFormAction().Self();
            csp.AddFrameAncestors().None();
        });
}
