using Verity.Domain.Common;
using Verity.Features.Portfolio;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// The whole book's figures depend only on the book and the day: a reader gets the same kept figures however many
/// minutes pass without a change (nothing is computed again on a timer while they read), new ones right after a change
/// and on a new day, and the backstop refresh answers with the kept figures while it computes new ones.
/// </summary>
public abstract class KeptFiguresTests(VerityApp app, MovableClock clock) : ApiTests(app)
{
    [Fact]
    public async Task A_reader_gets_the_kept_figures_until_the_book_changes_or_the_day_turns()
    {
        var director = await App.SignInAsync(UserRole.Director);
        var manager = await App.SignInAsync(UserRole.Manager);
        var first = await director.GetJsonAsync("portfolio");

        // Up to the backstop's ten minutes without a change: the same figures each time, never computed again. (Past
        // them a refresh starts in the background, and when its figures land would depend on the machine's load.)
        for (var minutes = 0; minutes < 9; minutes += 3)
        {
            clock.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(1));
            Assert.Equal(first.Str("computedAt"), (await director.GetJsonAsync("portfolio")).Str("computedAt"));
        }

        // A change: the next read has it.
        await manager.CreateAsync("accounts", new { name = $"Kept until changed {Ids.New()[^6..]}", segment = "midMarket", arr = 4_321m });
        var changed = await director.GetJsonAsync("portfolio");
        Assert.Equal(first["accounts"]!.GetValue<int>() + 1, changed["accounts"]!.GetValue<int>());
        Assert.Equal(first["arr"]!.GetValue<decimal>() + 4_321m, changed["arr"]!.GetValue<decimal>());
        Assert.NotEqual(first.Str("computedAt"), changed.Str("computedAt"));

        // A new day: the day's figures (renewals, overdue work and quarters count from it).
        clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = await director.GetJsonAsync("portfolio");
        Assert.Equal(clock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), tomorrow.Str("asOf"));
        Assert.NotEqual(changed.Str("computedAt"), tomorrow.Str("computedAt"));

        // The backstop (a change whose stamp never arrived): past it, the reader is answered at once with the kept
        // figures while new ones are computed, and gets those next.
        clock.Advance(BookFigures.Refresh + TimeSpan.FromSeconds(1));
        Assert.Equal(tomorrow.Str("computedAt"), (await director.GetJsonAsync("portfolio")).Str("computedAt"));
        var until = DateTime.UtcNow.AddSeconds(10);
        string computedAt;
        while ((computedAt = (await director.GetJsonAsync("portfolio")).Str("computedAt")) == tomorrow.Str("computedAt") && DateTime.UtcNow < until)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.NotEqual(tomorrow.Str("computedAt"), computedAt);
    }
}

public sealed class SqliteKeptFiguresTests(SqliteClockApp app) : KeptFiguresTests(app, app.Clock), IClassFixture<SqliteClockApp>;

public sealed class PostgresKeptFiguresTests(PostgresClockApp app) : KeptFiguresTests(app, app.Clock), IClassFixture<PostgresClockApp>;
