using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Features.Users;
using Verity.Http;

namespace Verity.Cli;

/// <summary>The command line: the same build serves the web app and runs every administrative task.</summary>
public static class Commands
{
    private static readonly Option<string?> _database = new("--database")
    {
        Description = "sqlite:PATH (default sqlite:verity.db) or postgres:CONNSTRING; also VERITY_DATABASE.",
        Recursive = true,
    };

    /// <summary>
    /// Runs one command line. What the operator got wrong — an unknown command, a database or address Verity cannot
    /// use, a port another program holds — is one line on stderr and a non-zero exit code, never a stack trace.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var parsed = Build().Parse(args);
        var command = parsed.CommandResult.Command;
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (command is RootCommand || command.Name == "serve")
        {
            // The web host stops itself on Ctrl+C and SIGTERM; a second handler racing it crashes on the way out.
            configuration.ProcessTerminationTimeout = null;
        }

        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken);
        }
        catch (CommandFailure e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (Jobs.InvalidSettingException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (Exception e) when (e is not HostAbortedException and not OperationCanceledException)
        {
            // A fault in Verity itself: the whole story, for the bug report.
            await Console.Error.WriteLineAsync($"Unhandled exception: {e}");
            return 1;
        }
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("Verity: mutual customer success plans with verifiable outcomes.");
        root.Options.Add(_database);
        root.TreatUnmatchedTokensAsErrors = false;

        var serve = Serve();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(Migrate());
        root.Subcommands.Add(Users());
        root.Subcommands.Add(Tokens());
        root.Subcommands.Add(Demo());
        root.Subcommands.Add(Portal());
        root.Subcommands.Add(ExportCommand());
        root.Subcommands.Add(ImportCommand.Build());
        root.Subcommands.Add(BackupCommands.Backup());
        root.Subcommands.Add(BackupCommands.Restore());
        root.Subcommands.Add(JobCommands.Triage());
        root.Subcommands.Add(JobCommands.Digests());
        root.Subcommands.Add(ListCommands.Accounts());
        root.Subcommands.Add(ListCommands.Plans());
        root.Subcommands.Add(Help());

        // Without a command Verity serves, so `dotnet run` and test hosts (which pass only --key=value settings) start
        // the web app; a word that is no command prints the usage instead.
        root.SetAction((result, cancellationToken) => StrayWord(result) is { } word
            ? Task.FromResult(Usage(result, $"Unknown command '{word}'."))
            : RunServer(result, demo: false, urls: null, cancellationToken));
        return root;
    }

    private static Command Help()
    {
        var help = new Command("help", "Print this usage.");
        help.SetAction(result => Usage(result, problem: null));
        return help;
    }

    /// <summary>
    /// Prints the usage (to stderr after a problem) and exits 1: <c>help</c> and an unknown command never start the
    /// server. (<c>--help</c> on any command prints that command's usage and exits 0.)
    /// </summary>
    private static int Usage(ParseResult result, string? problem)
    {
        var writer = problem is null ? Console.Out : Console.Error;
        if (problem is not null)
        {
            writer.WriteLine(problem);
        }

        result.RootCommandResult.Command.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = writer });
        return 1;
    }

    /// <summary>The first token that is neither an option nor an option's value: a command Verity does not have.</summary>
    private static string? StrayWord(ParseResult result)
    {
        var tokens = result.UnmatchedTokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].StartsWith('-'))
            {
                return tokens[i];
            }

            // `--key value` (the host's own settings): the next word is the value.
            if (!tokens[i].Contains('=') && i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-'))
            {
                i++;
            }
        }

        return null;
    }

    private static Command Serve()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5000; also VERITY_URLS." };
        var demo = new Option<bool>("--demo") { Description = "Load the demo data set first (once)." };
        var serve = new Command("serve", "Run the web app and API.") { urls, demo };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction((result, cancellationToken) => StrayWord(result) is { } word
            ? Task.FromResult(Usage(result, $"serve: unexpected '{word}'."))
            : RunServer(result, result.GetValue(demo), result.GetValue(urls), cancellationToken));
        return serve;
    }

    private static async Task<int> RunServer(ParseResult result, bool demo, string? urls, CancellationToken cancellationToken)
    {
        CheckDatabase(CommandConfiguration(result)["Database"]);
        var app = WebApp.Build([.. result.UnmatchedTokens], result.GetValue(_database), urls);
        var listen = (app.Configuration["Urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var address in listen)
        {
            EnsureFree(address);
        }

        await app.Services.OpenDatabaseAsync(cancellationToken);
        await SharedKeys.EnsureKeyAsync(app.Services, cancellationToken);
        if (demo)
        {
            await DemoData.LoadAsync(app.Services, cancellationToken);
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            // Another program took the port between the check and now.
            throw new CommandFailure($"--urls: {e.Message}");
        }

        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>
    /// An address Kestrel cannot parse, or a port another program listens on, stops Verity before it starts, with one
    /// line naming the address (Kestrel itself would log a stack trace and leave the process to fail).
    /// </summary>
    private static void EnsureFree(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            throw new CommandFailure($"--urls: '{url}' is not an address to listen on; give one like http://127.0.0.1:5000.");
        }

        if (address.IsUnixPipe || address.Port == 0)
        {
            return;
        }

        var host = address.Host;
        IPAddress[] candidates = host switch
        {
            "*" or "+" or "" or "0.0.0.0" or "[::]" => [IPAddress.Any],
            _ when string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) => [IPAddress.Loopback],
            _ when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => [ip],
            _ => [IPAddress.Any],
        };
        foreach (var ip in candidates)
        {
            using var probe = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel binds: a port only in TIME_WAIT is free, one a program listens on is not.
            probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                probe.Bind(new IPEndPoint(ip, address.Port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new CommandFailure($"--urls: port {address.Port} is already in use ({url}): stop the program that holds it or choose another port.");
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AccessDenied)
            {
                throw new CommandFailure($"--urls: cannot listen on {url}: {e.Message}.");
            }
        }
    }

    private static Command Migrate()
    {
        var migrate = new Command("migrate", "Apply the database schema migrations and exit.");
        migrate.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CommandServices(result);
            await services.OpenDatabaseAsync(cancellationToken);
            AnsiConsole.MarkupLine("[green]The database is up to date.[/]");
            return 0;
        });
        return migrate;
    }

    private static Command Users()
    {
        var email = new Option<string>("--email") { Required = true, Description = "Sign-in email." };
        var name = new Option<string>("--name") { Required = true, Description = "Display name." };
        var role = new Option<string>("--role")
        {
            Required = true,
            Description = "admin, director, manager, accountExecutive, solutionsArchitect, customerSuccessManager, implementationEngineer or customer.",
        };
        var account = new Option<string?>("--account") { Description = "The account a customer user belongs to." };
        var password = new Option<string?>("--password") { Description = "Password for signing in to the pages." };
        var add = new Command("add", "Add a user and print its id.") { email, name, role, account, password };
        add.SetAction((result, cancellationToken) => RunAsync(result, async services =>
        {
            await using var scope = services.CreateAsyncScope();
            await using var db = services.CreateSystemContext();
            var roleValue = Query.TryEnum<UserRole>(result.GetValue(role)!) ?? throw new BadInputException("role", Json.OneOf(typeof(UserRole)));
            var user = await UserAdmin.AddAsync(db, scope.ServiceProvider.GetRequiredService<UserManager<VerityUser>>(), Actor.System, new NewUserInput
            {
                Email = result.GetValue(email),
                Name = result.GetValue(name),
                Role = roleValue,
                AccountId = result.GetValue(account),
                Password = result.GetValue(password),
            }, cancellationToken);
            Console.WriteLine(user.Id);
        }, cancellationToken));

        var list = new Command("list", "List every user, tab-separated: id, email, name, role, status, last sign-in.");
        list.SetAction((result, cancellationToken) => RunAsync(result, async services =>
        {
            await using var db = services.CreateSystemContext();
            // Tab-separated, one user a line, so a script can read it as easily as a person.
            Console.WriteLine("id\temail\tname\trole\tstatus\tlastSignIn");
            foreach (var user in await db.Users.AsNoTracking().OrderBy(u => u.NormalizedEmail).ToListAsync(cancellationToken))
            {
                Console.WriteLine(string.Join('\t', user.Id, user.Email, user.DisplayName, Json.Camel(user.Role.ToString()),
                    Json.Camel(user.Status.ToString()), user.LastSignInAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "never"));
            }
        }, cancellationToken));

        var disableEmail = new Option<string>("--email") { Required = true, Description = "Whose account to disable." };
        var disable = new Command("disable", "Disable a user: their sessions and tokens stop at once; their history stays.") { disableEmail };
        disable.SetAction((result, cancellationToken) => RunAsync(result, async services =>
        {
            await using var scope = services.CreateAsyncScope();
            var userManager = scope.ServiceProvider.GetRequiredService<UserManager<VerityUser>>();
            var address = result.GetValue(disableEmail)!.Trim();
            var user = await userManager.FindByEmailAsync(address) ?? throw new BadInputException("email", $"No user with email {address}.");
            await UserAdmin.ChangeAsync(userManager, services.GetRequiredService<Sessions>(), Actor.System, user.Id, ifMatch: null,
                current => Task.FromResult(current with { Status = UserStatus.Disabled }), cancellationToken);
            Console.WriteLine($"Disabled {address}: their sessions and tokens no longer work.");
        }, cancellationToken));

        var users = new Command("users", "Manage users.");
        users.Subcommands.Add(add);
        users.Subcommands.Add(list);
        users.Subcommands.Add(disable);
        return users;
    }

    private static Command Tokens()
    {
        var email = new Option<string>("--email") { Required = true, Description = "Whose token." };
        var create = new Command("create", "Create a personal access token and print it (it is shown only once).") { email };
        create.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CommandServices(result);
            await services.OpenDatabaseAsync(cancellationToken);
            await using var db = services.CreateSystemContext();
            var address = result.GetValue(email)!.Trim();
            var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == address.ToUpperInvariant(), cancellationToken);
            if (user is null)
            {
                await Console.Error.WriteLineAsync($"No user with email {address}. Add one with: verity users add --email {address} ...");
                return 1;
            }

            Console.WriteLine((await PersonalAccessTokens.CreateAsync(db, user.Id, services.GetRequiredService<TimeProvider>(), cancellationToken, "Command line")).Secret);
            return 0;
        });

        var id = new Option<string>("--id") { Required = true, Description = "The token's id (GET /api/v1/me/tokens shows it)." };
        var revoke = new Command("revoke", "Revoke a personal access token; it stops working at once.") { id };
        revoke.SetAction((result, cancellationToken) => RunAsync(result, async services =>
        {
            await using var db = services.CreateSystemContext();
            await TokenAdmin.RevokeAsync(db, services.GetRequiredService<Sessions>(), services.GetRequiredService<TimeProvider>(), result.GetValue(id)!, ownerId: null, cancellationToken);
            Console.WriteLine("Revoked.");
        }, cancellationToken));

        var tokens = new Command("tokens", "Manage personal access tokens.");
        tokens.Subcommands.Add(create);
        tokens.Subcommands.Add(revoke);
        return tokens;
    }

    private static Command Portal()
    {
        var email = new Option<string>("--email") { Required = true, Description = "The invited customer's email." };
        var publicUrl = new Option<string?>("--public-url") { Description = "Where people reach Verity, e.g. http://127.0.0.1:5055 (default: PublicUrl, else VERITY_URLS, else http://localhost:5000)." };
        var link = new Command("link", "Print a customer's 15-minute sign-in link (also mailed, where mail is set up).") { email, publicUrl };
        link.SetAction((result, cancellationToken) => RunAsync(result, async services =>
        {
            await using var scope = services.CreateAsyncScope();
            var portal = scope.ServiceProvider.GetRequiredService<Features.Portal.PortalAccess>();
            var address = result.GetValue(email)!;
            var sent = await portal.SendSignInLinkAsync(address, cancellationToken)
                ?? throw new BadInputException("email", $"{address} is not a customer with portal access: invite them from their account page first.");
            Console.WriteLine(result.GetValue(publicUrl) is { Length: > 0 } root ? root.TrimEnd('/') + new Uri(sent).PathAndQuery : sent);
        }, cancellationToken));

        var portalCommand = new Command("portal", "The customer portal.");
        portalCommand.Subcommands.Add(link);
        return portalCommand;
    }

    private static Command Demo()
    {
        var scale = new Option<int?>("--scale")
        {
            Description = "Instead of the small demo, generate N accounts (plans, objectives, years of activity) for measuring at size, e.g. --scale 10000.",
        };
        var seed = new Option<int>("--seed") { Description = "The generator's seed (with --scale): the same seed and day give the same data.", DefaultValueFactory = _ => 13 };
        var reset = new Option<bool>("--reset")
        {
            Description = "Drop the demo database and load the demo again. Refused (nothing changes) unless the database holds the demo and no users beyond it.",
        };
        var demo = new Command("demo", "Load the demo data set (once) and print how to sign in.") { scale, seed, reset };
        demo.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CommandServices(result);
            if (result.GetValue(reset))
            {
                if (result.GetValue(scale) is not null)
                {
                    throw new CommandFailure("--reset: it reloads the small demo; give it without --scale (a generated data set goes into a new database).");
                }

                await services.OpenDatabaseAsync(cancellationToken);
                await DemoReset.ResetAsync(services, cancellationToken);
                return 0;
            }

            await services.OpenDatabaseAsync(cancellationToken);
            if (result.GetValue(scale) is not { } accounts)
            {
                await DemoData.LoadAsync(services, cancellationToken);
                return 0;
            }

            if (accounts < 1)
            {
                await Console.Error.WriteLineAsync("--scale: give the number of accounts to generate, at least 1.");
                return 1;
            }

            var loaded = await ScaleData.LoadAsync(services, accounts, result.GetValue(seed), cancellationToken: cancellationToken);
            if (loaded is null)
            {
                await Console.Error.WriteLineAsync($"This database already holds a generated data set ({ScaleData.AdminEmail} exists): use a new database.");
                return 1;
            }

            ScaleData.Print(loaded, Mail.Outbox.PublicAddress(services.GetRequiredService<IConfiguration>()));
            return 0;
        });
        return demo;
    }

    private static Command ExportCommand()
    {
        var plan = new Option<string>("--plan") { Required = true, Description = "The plan's id." };
        var format = new Option<string>("--format") { Required = true, Description = "pptx, pdf, md, csv or xlsx." };
        var artifact = new Option<string>("--artifact") { Required = true, Description = "mutualPlan, closePlan, proposal, kickoff or businessReview." };
        var output = new Option<string>("-o", "--output") { Required = true, Description = "The file to write." };
        var export = new Command("export", "Generate a plan's deck, PDF, Markdown or spreadsheet.") { plan, format, artifact, output };
        export.SetAction((result, cancellationToken) => RunAsync(result, async services =>
        {
            await using var db = services.CreateSystemContext();
            var (f, a) = Documents.Export.Parse(result.GetValue(format), result.GetValue(artifact));
            try
            {
                var file = await Documents.Export.RenderAsync(db, Actor.System, result.GetValue(plan)!, f, a, services.GetRequiredService<TimeProvider>(), cancellationToken,
                    brand: services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Documents.Brand>>().Value);
                await File.WriteAllBytesAsync(result.GetValue(output)!, file.Content, cancellationToken);
                Console.WriteLine($"Wrote {file.Content.Length:N0} bytes to {result.GetValue(output)}");
            }
            catch (NotFoundException)
            {
                throw new BadInputException("plan", $"No plan with id '{result.GetValue(plan)}'.");
            }
        }, cancellationToken));
        return export;
    }

    /// <summary>Runs a command on a migrated database; bad input or a missing record is a message naming the option, not a stack trace.</summary>
    internal static async Task<int> RunAsync(ParseResult result, Func<ServiceProvider, Task> command, CancellationToken cancellationToken)
    {
        await using var services = CommandServices(result);
        await services.OpenDatabaseAsync(cancellationToken);
        try
        {
            await command(services);
            return 0;
        }
        catch (BadInputException e)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, e.Errors.Select(kv => $"{OptionOf(kv.Key)}: {string.Join(" ", kv.Value)}")));
            return 1;
        }
        catch (Exception e) when (e is NotFoundException or ConflictException or ForbiddenException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>The option a use case's field comes from: <c>accountId</c> is given as <c>--account</c>.</summary>
    private static string OptionOf(string field) => "--" + (field == "accountId" ? "account" : field);

    /// <summary>The services a command needs: configuration, the database and the user store, no web host.</summary>
    internal static ServiceProvider CommandServices(ParseResult result)
    {
        var configuration = CommandConfiguration(result);
        CheckDatabase(configuration["Database"]);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddVerityCore();
        return services.BuildServiceProvider();
    }

    private static IConfigurationRoot CommandConfiguration(ParseResult result)
    {
        var configuration = new ConfigurationBuilder();
        configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile("appsettings.json", optional: true);
        configuration.AddVerityConfiguration(result.GetValue(_database), urls: null);
        return configuration.Build();
    }

    /// <summary>A database setting Verity cannot read is one line naming <c>--database</c>.</summary>
    private static void CheckDatabase(string? value)
    {
        try
        {
            if (DatabaseSetting.Parse(value) is { Provider: DatabaseProvider.Postgres } setting)
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(setting.ConnectionString);
            }
        }
        catch (ArgumentException e)
        {
            throw new CommandFailure($"--database: {e.Message}");
        }
    }

    /// <summary>Brings the schema up to date; a database that cannot be opened or reached is one line naming <c>--database</c>.</summary>
    internal static async Task OpenDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            await services.MigrateAsync(cancellationToken);
        }
        catch (DbException e)
        {
            var setting = services.GetRequiredService<DatabaseSetting>();
            string where;
            if (setting.Provider == DatabaseProvider.Sqlite)
            {
                where = $"the SQLite database {Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(setting.ConnectionString).DataSource)}";
            }
            else
            {
                var postgres = new Npgsql.NpgsqlConnectionStringBuilder(setting.ConnectionString);
                where = $"the PostgreSQL database {postgres.Database} on {postgres.Host}:{postgres.Port}";
            }

            throw new CommandFailure($"--database: cannot open {where}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}

/// <summary>What the operator must fix, in one line; the command exits 1 without a stack trace.</summary>
internal sealed class CommandFailure(string message) : Exception(message);
