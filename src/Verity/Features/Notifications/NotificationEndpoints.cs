using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Http;

namespace Verity.Features.Notifications;

/// <summary>The caller's mail preferences.</summary>
public sealed record NotificationSettings
{
    public bool WeeklyDigest { get; init; }

    public bool Mentions { get; init; }
}

public static class NotificationEndpoints
{
    public static void MapNotifications(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/me/notifications").WithTags("Users");
        group.MapGet("", Get)
            .WithSummary("Get the caller's mail preferences")
            .WithDescription("Whether the caller receives the weekly digest (`weeklyDigest`) and mail when mentioned (`mentions`).");
        group.MapPatch("", Update).Accepts<NotificationSettings>("application/json")
            .WithSummary("Change the caller's mail preferences")
            .WithDescription("Turns the weekly digest or mention mail on or off for the caller only.");
    }

    private static async Task<Ok<NotificationSettings>> Get(VerityDb db, Actor actor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadAsync(db, actor, cancellationToken));

    private static async Task<Ok<NotificationSettings>> Update(HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var input = await Json.PatchAsync(request, await ReadAsync(db, actor, cancellationToken));
        return TypedResults.Ok(await SaveAsync(db, actor, input, cancellationToken));
    }

    public static async Task<NotificationSettings> ReadAsync(VerityDb db, Actor actor, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == actor.UserId)
            // Customers never get the team's digest: theirs reads false whatever is stored.
            .Select(u => new NotificationSettings { WeeklyDigest = u.WeeklyDigest && u.Role != Domain.Common.UserRole.Customer, Mentions = u.Mentions })
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Your user");

    public static async Task<NotificationSettings> SaveAsync(VerityDb db, Actor actor, NotificationSettings input, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == actor.UserId, cancellationToken)
            ?? throw new NotFoundException("Your user");
        user.WeeklyDigest = input.WeeklyDigest;
        user.Mentions = input.Mentions;
        await db.SaveChangesAsync(cancellationToken);
        return input;
    }
}
