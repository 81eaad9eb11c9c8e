using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestFramework(typeof(Verity.Tests.Infrastructure.VerityTestFramework))]

namespace Verity.Tests.Infrastructure;

/// <summary>A test, its class, or the fixture its class takes needs a PostgreSQL server (<c>VERITY_TEST_POSTGRES</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class NeedsPostgresAttribute : Attribute;

/// <summary>A test, its class, or the fixture its class takes needs Chromium (<c>VERITY_TEST_CHROMIUM</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class NeedsChromiumAttribute : Attribute;

/// <summary>
/// What the machine offers the tests. Without a service (and CI not set) the tests that need it are not run at all —
/// the build says so once, in one line (Directory.Build.targets) — instead of each reporting a skip. Under CI=true
/// every test runs and one whose service is missing fails, saying what is missing.
/// </summary>
public static class MachineServices
{
    public static bool Ci => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool Postgres => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("VERITY_TEST_POSTGRES"));

    public static bool Chromium => Environment.GetEnvironmentVariable("VERITY_TEST_CHROMIUM") is { Length: > 0 } path && File.Exists(path);

    /// <summary>
    /// Whether this machine can run the test: false when it needs PostgreSQL or Chromium that is not there — by an
    /// attribute on its method or class, on the type of a fixture its class takes, or (a theory's row) by naming the
    /// provider "postgres" among its arguments.
    /// </summary>
    public static bool CanRun(ITestCase testCase)
    {
        if (Ci || testCase is not IXunitTestCase { TestMethod: var method })
        {
            return true;
        }

        var type = method.TestClass.Class;
        var fixtures = type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType).ToList();
        bool Needs<T>()
            where T : Attribute =>
            method.Method.IsDefined(typeof(T), true) || type.IsDefined(typeof(T), true) || fixtures.Any(f => f.IsDefined(typeof(T), true));

        var postgres = Needs<NeedsPostgresAttribute>() || (testCase is XunitTestCase { TestMethodArguments: var arguments } && arguments.Contains("postgres"));
        return (Postgres || !postgres) && (Chromium || !Needs<NeedsChromiumAttribute>());
    }
}

/// <summary>xunit as usual, but the tests this machine cannot run are neither found nor run (see <see cref="MachineServices"/>).</summary>
public sealed class VerityTestFramework : XunitTestFramework
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(Assembly assembly) => new Discoverer(base.CreateDiscoverer(assembly));

    protected override ITestFrameworkExecutor CreateExecutor(Assembly assembly) => new Executor(base.CreateExecutor(assembly));

    private sealed class Discoverer(ITestFrameworkDiscoverer inner) : ITestFrameworkDiscoverer
    {
        public ITestAssembly TestAssembly => inner.TestAssembly;

        public ValueTask Find(
            Func<ITestCase, ValueTask<bool>> callback, ITestFrameworkDiscoveryOptions discoveryOptions, Type[]? types = null, CancellationToken? cancellationToken = null) =>
            inner.Find(testCase => MachineServices.CanRun(testCase) ? callback(testCase) : new ValueTask<bool>(true), discoveryOptions, types, cancellationToken);
    }

    private sealed class Executor(ITestFrameworkExecutor inner) : ITestFrameworkExecutor
    {
        public ValueTask RunTestCases(
            IReadOnlyCollection<ITestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions, CancellationToken? cancellationToken = null) =>
            inner.RunTestCases([.. testCases.Where(MachineServices.CanRun)], executionMessageSink, executionOptions, cancellationToken);
    }
}
