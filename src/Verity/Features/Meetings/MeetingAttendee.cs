namespace Verity.Features.Meetings;

/// <summary>
/// One vendor user on one meeting's attendee list, kept by the database from <c>Meetings.AttendeeUserIds</c> (triggers on
/// SQLite and PostgreSQL, migration <c>MeetingAttendees</c>), so "the meetings I attend" starts from the user's rows
/// instead of opening the list of every meeting in the window. Verity reads it and never writes it.
/// </summary>
public sealed class MeetingAttendee
{
    public required string UserId { get; init; }

    public required string MeetingId { get; init; }
}
