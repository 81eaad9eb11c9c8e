using System.Diagnostics;

namespace Verity.Tests.Infrastructure;

/// <summary>
/// The npm folders under <c>tests/</c> (the webhook receiver, the OpenAPI linter): found from the test assembly's
/// folder upwards and, where npm is on the machine, installed from their lock file on first use — so the README's
/// test command sets up what it needs.
/// </summary>
public static class NodePackages
{
    /// <summary><c>tests/{name}</c> with <paramref name="package"/> installed, or null without the folder or npm.</summary>
    public static string? Installed(string name, string package)
    {
        if (Folder(name) is not { } folder)
        {
            return null;
        }

        if (!Directory.Exists(Path.Combine(folder, "node_modules", package)))
        {
            Install(folder);
        }

        return Directory.Exists(Path.Combine(folder, "node_modules", package)) ? folder : null;
    }

    private static string? Folder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", name);
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void Install(string folder)
    {
        try
        {
            using var npm = Process.Start(new ProcessStartInfo("npm")
            {
                ArgumentList = { "ci", "--no-audit", "--no-fund" },
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            npm.OutputDataReceived += (_, _) => { };
            npm.ErrorDataReceived += (_, _) => { };
            npm.BeginOutputReadLine();
            npm.BeginErrorReadLine();
            if (!npm.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                npm.Kill(entireProcessTree: true);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No npm on PATH: the tests that need it say what is missing.
        }
    }
}
