using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Verity.Domain.Common;

namespace Verity.Tests.Infrastructure;

/// <summary>The two sides of a scenario's plan as tests need them: the customer in the portal and a CSM in the pages.</summary>
public static class Parties
{
    private const string Password = "correct horse battery staple";

    private static CancellationToken Aborted => TestContext.Current.CancellationToken;

    /// <summary>The scenario's customer stakeholder, given an address of its own, invited to the portal, with an API token.</summary>
    public static async Task<(ApiClient Client, string UserId)> InviteCustomerAsync(this VerityApp app, Scenario s)
    {
        (await s.Csm.PatchAsync($"stakeholders/{s.StakeholderId}", new { email = $"c-{Ids.New()[^10..]}@acme.example" })).EnsureSuccessStatusCode();
        var userId = (await s.Csm.CreateAsync($"accounts/{s.AccountId}/portal-invitations", new { stakeholderId = s.StakeholderId })).Str("userId");
        await using var db = app.SystemDb();
        var (_, token) = await Access.PersonalAccessTokens.CreateAsync(db, userId, TimeProvider.System, Aborted);
        var client = app.Anonymous();
        client.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return (client, userId);
    }

    /// <summary>That customer signed in to the portal through a link made without mail, as Continue would use it.</summary>
    public static async Task<HttpClient> CustomerBrowserAsync(this VerityApp app, Scenario s)
    {
        var (_, userId) = await app.InviteCustomerAsync(s);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using (var db = app.SystemDb())
        {
            db.PortalLinks.Add(new Features.Portal.PortalLink
            {
                UserId = userId,
                Hash = Access.PersonalAccessTokens.Hash(token),
                CreatedAt = DateTime.UtcNow,
                ExpiresAt = DateTime.UtcNow.AddMinutes(15),
            });
            await db.SaveChangesAsync(Aborted);
        }

        var browser = app.Browser(new CookieContainer());
        var link = $"/portal/links/{token}";
        var page = await browser.GetStringAsync(link, Aborted);
        (await browser.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "portal-link",
            ["__RequestVerificationToken"] = VerityApp.AntiforgeryToken(page),
        }), Aborted)).EnsureSuccessStatusCode();
        return browser;
    }

    /// <summary>A second CSM on the scenario's team, signed in to the pages.</summary>
    public static async Task<HttpClient> TeamBrowserAsync(this VerityApp app, Scenario s)
    {
        var csm = await app.SignInAsync(UserRole.CustomerSuccessManager, password: Password);
        (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", new object[]
        {
            new { userId = s.Csm.UserId, role = "customerSuccessManager" },
            new { userId = csm.UserId, role = "customerSuccessManager" },
        })).EnsureSuccessStatusCode();
        var browser = app.Browser(new CookieContainer());
        await VerityApp.PostSignInAsync(browser, csm.Email!, Password);
        return browser;
    }

    /// <summary>PDF text is glyph codes in compressed streams; poppler's pdftotext reads it back as a person would.</summary>
    /// <summary>The links a reader of the PDF can click (poppler's <c>pdfinfo -url</c>).</summary>
    public static List<string> PdfUrls(byte[] pdf)
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdfinfo", ["-url", path]) { RedirectStandardOutput = true })!;
            var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            process.WaitForExit();
            return [.. lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last())];
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static string PdfText(byte[] pdf)
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", [path, "-"]) { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception) when (!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Skip("pdftotext (Debian's poppler-utils) is not installed: the PDF's text cannot be read back.");
            throw;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
