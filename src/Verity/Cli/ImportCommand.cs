using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Verity.Access;
using Verity.Data;
using Verity.Features.Imports;
using Verity.Http;

namespace Verity.Cli;

/// <summary><c>verity import accounts|opportunities|stakeholders|adoption FILE.csv [--dry-run]</c>.</summary>
public static class ImportCommand
{
    /// <summary>A terminal table of more errors than this helps nobody; the rest are counted.</summary>
    private const int ErrorsShown = 1_000;

    public static Command Build()
    {
        var kind = new Argument<string>("kind") { Description = "What the file holds: accounts, opportunities, stakeholders or adoption." };
        var file = new Argument<string>("file") { Description = "The CSV file (comma or semicolon, UTF-8 with or without BOM)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every row and report what would change; write nothing." };
        var import = new Command("import", "Import accounts, opportunities, stakeholders or adoption figures from a CSV file: all or nothing.")
        {
            kind, file, dryRun,
        };
        import.SetAction(async (result, cancellationToken) =>
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            var which = Query.TryEnum<ImportKind>(result.GetValue(kind) ?? "");
            if (which is null)
            {
                await Console.Error.WriteLineAsync($"kind: '{result.GetValue(kind)}' is not one of accounts, opportunities, stakeholders, adoption.");
                return 1;
            }

            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"file: there is no file {path}.");
                return 1;
            }

            await using var services = Commands.CommandServices(result);
            ImportSettings settings;
            try
            {
                settings = services.GetRequiredService<ImportSettings>();
            }
            catch (Jobs.InvalidSettingException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            await services.OpenDatabaseAsync(cancellationToken);
            await using var db = services.CreateSystemContext();
            await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            var clock = services.GetRequiredService<TimeProvider>();
            var name = Path.GetFileName(path);
            var dry = result.GetValue(dryRun);
            ImportReport report;
            var timer = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                report = console.Profile.Capabilities.Interactive && !dry
                    ? await console.Progress().AutoClear(false).StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"Importing {Markup.Escape(name)}", maxValue: 1);
                        return await CsvImport.RunAsync(db, Actor.System, settings, clock, which.Value, content, name, dry, new TaskProgress(task), cancellationToken);
                    })
                    : await CsvImport.RunAsync(db, Actor.System, settings, clock, which.Value, content, name, dry, null, cancellationToken);
            }
            catch (ConflictException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }

            Print(console, report, timer.Elapsed);
            return report.Errors.Count == 0 ? 0 : 1;
        });
        return import;
    }

    private static void Print(IAnsiConsole console, ImportReport report, TimeSpan took)
    {
        if (report.Errors.Count > 0)
        {
            var table = new Table().AddColumn("Line").AddColumn("Column").AddColumn("Message");
            foreach (var error in report.Errors.Take(ErrorsShown))
            {
                table.AddRow(new Text(error.Line.ToString(CultureInfo.InvariantCulture)), new Text(error.Field), new Text(error.Message));
            }

            console.Write(table);
            if (report.Errors.Count > ErrorsShown)
            {
                Console.WriteLine($"… and {report.Errors.Count - ErrorsShown:N0} more errors (the API's dry run lists them all).");
            }
        }

        // Plain lines, never wrapped to the terminal's width, so a script can read them.
        Console.WriteLine(report.Summary);
        var seconds = Math.Max(took.TotalSeconds, 0.001);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Rows:N0} rows in {seconds:F2} s: {report.Rows / seconds:N0} rows/s."));
    }

    /// <summary>Moves the bar as the import reads the file.</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Min(value, 1);
    }
}
