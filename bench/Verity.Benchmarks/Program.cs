using BenchmarkDotNet.Running;

namespace Verity.Benchmarks;

public static class Entry
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Entry).Assembly).Run(args);
}
