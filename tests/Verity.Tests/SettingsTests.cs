using Microsoft.AspNetCore.Hosting;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>The plan-requirement thresholds come from configuration, not from code.</summary>
public sealed class SettingsTests
{
    [Fact]
    public async Task A_lower_threshold_in_configuration_requires_plans_on_smaller_deals()
    {
        await using var app = new StricterApp();
        await app.InitializeAsync();
        var manager = await app.SignInAsync(UserRole.Manager);
        var account = await manager.CreateAsync("accounts", new { name = "Settings" });
        var deal = await manager.CreateAsync("opportunities", new { accountId = account.Id(), name = "Mid-size", type = "new", stage = "technicalEvaluation", netArr = 150_000 });
        Assert.True(deal["cspRequired"]!.GetValue<bool>());
        Assert.Contains("at least 100,000", deal["cspReasons"]![0]!.GetValue<string>());
    }

    private sealed class StricterApp : SqliteAppBase
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Csp:NewOrGrowthNetArr", "100000");
        }
    }
}
