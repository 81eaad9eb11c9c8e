// What the web stack alone can do on this machine: bench/load.sh reports Verity's endpoints as a share of it.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/", () => new Greeting("Hello, World!"));
app.Run();

internal sealed record Greeting(string Message);
