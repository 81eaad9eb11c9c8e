using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Meetings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Meetings",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ScheduledFor = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AttendeeUserIds = table.Column<string>(type: "TEXT", nullable: false),
                    AttendeeStakeholderIds = table.Column<string>(type: "TEXT", nullable: false),
                    ObjectiveIds = table.Column<string>(type: "TEXT", nullable: false),
                    ScheduledBy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    HeldOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    Decisions = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    NextSteps = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Meetings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Meetings_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_AccountId",
                table: "Meetings",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_AccountId_ScheduledFor",
                table: "Meetings",
                columns: new[] { "AccountId", "ScheduledFor" });

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_ScheduledFor",
                table: "Meetings",
                column: "ScheduledFor");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Meetings");
        }
    }
}
