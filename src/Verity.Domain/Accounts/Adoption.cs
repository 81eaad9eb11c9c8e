using Verity.Domain.Common;

namespace Verity.Domain.Accounts;

/// <summary>How far a use case has come: not started, piloting, or in production.</summary>
public enum UseCaseStage
{
    NotStarted,
    Piloting,
    Production,
}

/// <summary>
/// One feature's licensed and active users on a day, as the product's telemetry or an import gives them. One row per
/// account, feature and day; the team's own figures, never shown to the customer in Verity.
/// </summary>
public sealed class AdoptionFigure : IAccountOwned
{
    public required string AccountId { get; init; }

    public required string Feature { get; init; }

    public DateOnly At { get; init; }

    public int LicensedUsers { get; init; }

    public int ActiveUsers { get; init; }

    /// <summary>Active ÷ licensed users in percent, one decimal; null when nobody is licensed.</summary>
    public static double? Utilisation(int licensed, int active) =>
        licensed > 0 ? Math.Round(100.0 * active / licensed, 1, MidpointRounding.AwayFromZero) : null;
}

/// <summary>A use case the customer means to run on the product, and how far it has come.</summary>
public sealed class UseCase : IAccountOwned
{
    public required string AccountId { get; init; }

    /// <summary>The order the team gave them in.</summary>
    public int Position { get; init; }

    public required string Name { get; init; }

    public UseCaseStage Stage { get; init; }
}

/// <summary>The account's support tickets as counted on a day: open, closed, open critical, enhancement requests.</summary>
public sealed class SupportFigure : IAccountOwned
{
    public required string AccountId { get; init; }

    public DateOnly At { get; init; }

    public int Open { get; init; }

    public int Closed { get; init; }

    /// <summary>Open critical tickets (a part of <see cref="Open"/>).</summary>
    public int Critical { get; init; }

    public int EnhancementRequests { get; init; }
}
