using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
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
                    UserId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MeetingId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
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

            // The database keeps the table from each meeting's attendee array, per statement (so a bulk COPY of meetings
            // pays once): whatever writes a meeting keeps it. Verity never writes it.
            migrationBuilder.Sql("""
                INSERT INTO "MeetingAttendees" ("UserId", "MeetingId")
                SELECT DISTINCT u, m."Id" FROM "Meetings" AS m CROSS JOIN LATERAL unnest(m."AttendeeUserIds") AS u WHERE u IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "MeetingAttendees_Inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "MeetingAttendees" ("UserId", "MeetingId")
                    SELECT DISTINCT u, w."Id" FROM written AS w CROSS JOIN LATERAL unnest(w."AttendeeUserIds") AS u WHERE u IS NOT NULL
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "MeetingAttendees_Updated"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM "MeetingAttendees" AS x USING written AS w, before AS b
                    WHERE x."MeetingId" = w."Id" AND b."Id" = w."Id" AND w."AttendeeUserIds" IS DISTINCT FROM b."AttendeeUserIds";
                    INSERT INTO "MeetingAttendees" ("UserId", "MeetingId")
                    SELECT DISTINCT u, w."Id" FROM written AS w JOIN before AS b ON b."Id" = w."Id"
                        CROSS JOIN LATERAL unnest(w."AttendeeUserIds") AS u
                    WHERE u IS NOT NULL AND w."AttendeeUserIds" IS DISTINCT FROM b."AttendeeUserIds"
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "MeetingAttendees_Inserted" AFTER INSERT ON "Meetings" REFERENCING NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION "MeetingAttendees_Inserted"();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "MeetingAttendees_Updated" AFTER UPDATE ON "Meetings" REFERENCING OLD TABLE AS before NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION "MeetingAttendees_Updated"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "MeetingAttendees_Inserted" ON "Meetings";""");
            migrationBuilder.Sql("""DROP TRIGGER "MeetingAttendees_Updated" ON "Meetings";""");
            migrationBuilder.Sql("""DROP FUNCTION "MeetingAttendees_Inserted"();""");
            migrationBuilder.Sql("""DROP FUNCTION "MeetingAttendees_Updated"();""");

            migrationBuilder.DropTable(
                name: "MeetingAttendees");

            migrationBuilder.DropIndex(
                name: "IX_Meetings_ScheduledBy_ScheduledFor",
                table: "Meetings");
        }
    }
}
