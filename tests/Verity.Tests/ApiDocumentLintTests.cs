using System.Diagnostics;
using System.Text.Json.Nodes;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Spectral (the npm package in <c>tests/openapi-lint</c>, ruleset <c>spectral:oas</c>) on the OpenAPI document the
/// app serves: no errors, and no more than <see cref="WarningsAllowed"/> warnings (issue 14, item 8).
/// </summary>
[Collection(SqliteCollection.Sqlite)]
public sealed class ApiDocumentLintTests(SqliteApp app)
{
    private const int WarningsAllowed = 5;

    [Fact]
    public async Task Spectral_finds_no_errors_and_at_most_five_warnings_in_the_api_document()
    {
        var folder = NodePackages.Installed("openapi-lint", Path.Combine("@stoplight", "spectral-cli"));
        if (folder is null)
        {
            const string missing = "The API document lint needs Node.js and Spectral (cd tests/openapi-lint && npm ci); .ci/run installs them.";
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), missing);
            Assert.Skip(missing);
            return;
        }

        var document = Path.Combine(Path.GetTempPath(), $"verity-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await app.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        try
        {
            using var spectral = Process.Start(new ProcessStartInfo("node")
            {
                ArgumentList = { Path.Combine("node_modules", "@stoplight", "spectral-cli", "dist", "index.js"), "lint", document, "--ruleset", ".spectral.yaml", "--format", "json", "--quiet" },
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var output = spectral.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = spectral.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await spectral.WaitForExitAsync(TestContext.Current.CancellationToken);
            var results = JsonNode.Parse(await output)?.AsArray() ?? throw new InvalidOperationException("Spectral printed no results: " + await error);

            // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
            var problems = results.Select(r => (Severity: r!["severity"]!.GetValue<int>(), Code: r["code"]!.ToString(), Message: r["message"]!.GetValue<string>(),
                    Path: string.Join('.', r["path"]!.AsArray().Select(p => p!.ToString()))))
                .Where(r => r.Severity <= 1)
                .ToList();
            var report = "Spectral (spectral:oas):\n" + string.Join("\n", problems.Select(p => $"{(p.Severity == 0 ? "error" : "warning")} {p.Code} at {p.Path}: {p.Message}"));
            Assert.True(problems.All(p => p.Severity == 1), report);
            Assert.True(problems.Count <= WarningsAllowed, report);
            TestContext.Current.TestOutputHelper?.WriteLine($"{problems.Count} warnings.");
        }
        finally
        {
            File.Delete(document);
        }
    }
}
