using Verity.Domain.Accounts;
using Verity.Domain.Common;

namespace Verity.Domain.Tests;

public sealed class MeetingTests
{
    private static Meeting At(MeetingKind kind, DateTime scheduledFor) => new() { AccountId = "a", Kind = kind, ScheduledFor = scheduledFor };

    [Theory]
    [InlineData(MeetingKind.CadenceCall, ActivityType.CadenceCall)]
    [InlineData(MeetingKind.BusinessReview, ActivityType.BusinessReview)]
    [InlineData(MeetingKind.Kickoff, ActivityType.Meeting)]
    [InlineData(MeetingKind.StrategySession, ActivityType.Meeting)]
    [InlineData(MeetingKind.ExecCheckIn, ActivityType.Meeting)]
    public void Each_kind_goes_on_the_timeline_as_its_closest_activity(MeetingKind kind, ActivityType type) =>
        Assert.Equal(type, At(kind, DateTime.UtcNow).ActivityType);

    [Fact]
    public void Held_on_the_day_it_was_scheduled_it_happened_at_its_time_otherwise_at_midday()
    {
        var meeting = At(MeetingKind.BusinessReview, new DateTime(2026, 11, 20, 15, 30, 0, DateTimeKind.Utc));
        Assert.Null(meeting.HeldAt);
        meeting.SetHeldOn(new DateOnly(2026, 11, 20));
        Assert.Equal(new DateTime(2026, 11, 20, 15, 30, 0, DateTimeKind.Utc), meeting.HeldAt);
        meeting.SetHeldOn(new DateOnly(2026, 11, 23));
        Assert.Equal(new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc), meeting.HeldAt);
        Assert.Equal(DateTimeKind.Utc, meeting.HeldAt!.Value.Kind);
    }

    [Fact]
    public void A_held_meeting_stays_held_and_is_recorded_on_the_timeline_once()
    {
        var meeting = At(MeetingKind.CadenceCall, DateTime.UtcNow);
        meeting.SetHeldOn(null);
        Assert.False(meeting.IsHeld);
        meeting.SetHeldOn(new DateOnly(2026, 11, 20));
        Assert.Throws<RuleViolation>(() => meeting.SetHeldOn(null));
        Assert.True(meeting.IsHeld);

        meeting.Recorded("activity-1");
        meeting.Recorded("activity-1");
        Assert.Throws<RuleViolation>(() => meeting.Recorded("activity-2"));
        Assert.Equal("activity-1", meeting.ActivityId);
    }
}
