using Verity.Cli;

return await Commands.InvokeAsync(args);
public partial class Program;
