using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
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
        root.Subcommands.Add(ExportCommand());
        root.Subcommands.Add(BackupCommands.Backup());
        root.Subcommands.Add(BackupCommands.Restore());

        // Without a command Verity serves, so `dotnet run` and test hosts start the web app.
        root.SetAction((result, cancellationToken) => RunServer(result, demo: false, urls: null, cancellationToken));
        return root;
    }

    private static Command Serve()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5000; also VERITY_URLS." };
        var demo = new Option<bool>("--demo") { Description = "Load the demo data set first (once)." };
        var serve = new Command("serve", "Run the web app and API.") { urls, demo };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction((result, cancellationToken) => RunServer(result, result.GetValue(demo), result.GetValue(urls), cancellationToken));
        return serve;
    }

    private static async Task<int> RunServer(ParseResult result, bool demo, string? urls, CancellationToken cancellationToken)
    {
        var app = WebApp.Build([.. result.UnmatchedTokens], result.GetValue(_database), urls);
        await app.Services.MigrateAsync(cancellationToken);
        if (demo)
        {
            await DemoData.LoadAsync(app.Services, cancellationToken);
        }

        await app.RunAsync();
        return 0;
    }

    private static Command Migrate()
    {
        var migrate = new Command("migrate", "Apply the database schema migrations and exit.");
        migrate.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CommandServices(result);
            await services.MigrateAsync(cancellationToken);
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
        add.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CommandServices(result);
            await services.MigrateAsync(cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var outcome = await UserAdmin.AddAsync(
                scope.ServiceProvider, result.GetValue(email)!, result.GetValue(name)!, result.GetValue(role)!,
                result.GetValue(account), result.GetValue(password), cancellationToken);
            return Report(outcome);
        });

        var users = new Command("users", "Manage users.");
        users.Subcommands.Add(add);
        return users;
    }

    private static Command Tokens()
    {
        var email = new Option<string>("--email") { Required = true, Description = "Whose token." };
        var create = new Command("create", "Create a personal access token and print it (it is shown only once).") { email };
        create.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CommandServices(result);
            await services.MigrateAsync(cancellationToken);
            await using var db = services.CreateSystemContext();
            var address = result.GetValue(email)!.Trim();
            var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == address.ToUpperInvariant(), cancellationToken);
            if (user is null)
            {
                await Console.Error.WriteLineAsync($"No user with email {address}. Add one with: verity users add --email {address} ...");
                return 1;
            }

            Console.WriteLine(await PersonalAccessTokens.CreateAsync(db, user.Id, services.GetRequiredService<TimeProvider>(), cancellationToken));
            return 0;
        });

        var tokens = new Command("tokens", "Manage personal access tokens.");
        tokens.Subcommands.Add(create);
        return tokens;
    }

    private static Command Demo()
    {
        var demo = new Command("demo", "Load the demo data set (once) and print how to sign in.");
        demo.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CommandServices(result);
            await services.MigrateAsync(cancellationToken);
            await DemoData.LoadAsync(services, cancellationToken);
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
        export.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CommandServices(result);
            await services.MigrateAsync(cancellationToken);
            await using var db = services.CreateSystemContext();
            try
            {
                var (f, a) = Documents.Export.Parse(result.GetValue(format), result.GetValue(artifact));
                var file = await Documents.Export.RenderAsync(db, Actor.System, result.GetValue(plan)!, f, a, services.GetRequiredService<TimeProvider>(), cancellationToken);
                await File.WriteAllBytesAsync(result.GetValue(output)!, file.Content, cancellationToken);
                Console.WriteLine($"Wrote {file.Content.Length:N0} bytes to {result.GetValue(output)}");
                return 0;
            }
            catch (BadInputException e)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, e.Errors.Select(kv => $"--{kv.Key}: {string.Join(" ", kv.Value)}")));
                return 1;
            }
            catch (NotFoundException)
            {
                await Console.Error.WriteLineAsync($"--plan: no plan with id '{result.GetValue(plan)}'.");
                return 1;
            }
        });
        return export;
    }

    private static int Report((string? Value, string? Error) outcome)
    {
        if (outcome.Error is not null)
        {
            Console.Error.WriteLine(outcome.Error);
            return 1;
        }

        Console.WriteLine(outcome.Value);
        return 0;
    }

    /// <summary>The services a command needs: configuration, the database and the user store, no web host.</summary>
    internal static ServiceProvider CommandServices(ParseResult result)
    {
        var configuration = new ConfigurationBuilder();
        configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile("appsettings.json", optional: true);
        configuration.AddVerityConfiguration(result.GetValue(_database), urls: null);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration.Build());
        services.AddVerityCore();
        return services.BuildServiceProvider();
    }
}

public static class UserAdmin
{
    public static async Task<(string? Id, string? Error)> AddAsync(
        IServiceProvider services, string email, string name, string role, string? accountId, string? password,
        CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<UserRole>(role, ignoreCase: true, out var parsedRole) || Json.Camel(parsedRole.ToString()) != role)
        {
            return (null, $"--role must be one of: {string.Join(", ", Enum.GetNames<UserRole>().Select(Json.Camel))}.");
        }

        if (parsedRole == UserRole.Customer)
        {
            if (accountId is null)
            {
                return (null, "--account is required for a customer user: they belong to exactly one account.");
            }

            await using var db = services.CreateSystemContext();
            if (!await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
            {
                return (null, $"--account: no account with id '{accountId}'.");
            }
        }
        else if (accountId is not null)
        {
            return (null, "--account is only for customer users; add vendor users to an account's team instead.");
        }

        var users = services.GetRequiredService<UserManager<VerityUser>>();
        var user = new VerityUser { UserName = email.Trim(), Email = email.Trim(), DisplayName = name.Trim(), Role = parsedRole, AccountId = accountId };
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        return created.Succeeded
            ? (user.Id, null)
            : (null, string.Join(Environment.NewLine, created.Errors.Select(e => e.Description)));
    }
}
