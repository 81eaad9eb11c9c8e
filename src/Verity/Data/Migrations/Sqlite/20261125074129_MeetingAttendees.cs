using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MeetingAttendees : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MeetingAttendees",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MeetingId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingAttendees", x => new { x.UserId, x.MeetingId });
                    table.ForeignKey(
                        name: "FK_MeetingAttendees_Meetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_ScheduledBy_ScheduledFor",
                table: "Meetings",
                columns: new[] { "ScheduledBy", "ScheduledFor" });

            migrationBuilder.CreateIndex(
                name: "IX_MeetingAttendees_MeetingId",
                table: "MeetingAttendees",
                column: "MeetingId");

            // The database keeps the table from each meeting's JSON list: whatever writes a meeting (the API, a page,
            // the demo's bulk load) keeps it. Verity never writes it.
            migrationBuilder.Sql("""
                INSERT OR IGNORE INTO "MeetingAttendees" ("UserId", "MeetingId")
                SELECT j."value", m."Id" FROM "Meetings" AS m, json_each(m."AttendeeUserIds") AS j WHERE j."value" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "MeetingAttendees_Insert" AFTER INSERT ON "Meetings" BEGIN
                    INSERT OR IGNORE INTO "MeetingAttendees" ("UserId", "MeetingId")
                    SELECT j."value", new."Id" FROM json_each(new."AttendeeUserIds") AS j WHERE j."value" IS NOT NULL;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "MeetingAttendees_Update" AFTER UPDATE OF "AttendeeUserIds" ON "Meetings"
                WHEN old."AttendeeUserIds" IS NOT new."AttendeeUserIds" BEGIN
                    DELETE FROM "MeetingAttendees" WHERE "MeetingId" = old."Id";
                    INSERT OR IGNORE INTO "MeetingAttendees" ("UserId", "MeetingId")
                    SELECT j."value", new."Id" FROM json_each(new."AttendeeUserIds") AS j WHERE j."value" IS NOT NULL;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "MeetingAttendees_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER "MeetingAttendees_Update";""");

            migrationBuilder.DropTable(
                name: "MeetingAttendees");

            migrationBuilder.DropIndex(
                name: "IX_Meetings_ScheduledBy_ScheduledFor",
                table: "Meetings");
        }
    }
}
