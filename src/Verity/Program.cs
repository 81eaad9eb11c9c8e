using Verity.Cli;

return await Commands.Build().Parse(args).InvokeAsync();
public partial class Program;
