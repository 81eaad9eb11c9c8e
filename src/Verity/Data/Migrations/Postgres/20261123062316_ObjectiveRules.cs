using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ObjectiveRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "Health",
                table: "Objectives",
                newName: "HealthOverride");

            migrationBuilder.AddColumn<DateTime>(
                name: "HealthSetAt",
                table: "Objectives",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HealthSetBy",
                table: "Objectives",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Confirmations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ObjectiveId = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    StakeholderId = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    ConfirmedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Statement = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    VoidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    VoidedBy = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    VoidReason = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Confirmations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Confirmations_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Confirmations_Objectives_ObjectiveId",
                        column: x => x.ObjectiveId,
                        principalTable: "Objectives",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Confirmations_AccountId",
                table: "Confirmations",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Confirmations_ObjectiveId",
                table: "Confirmations",
                column: "ObjectiveId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Confirmations");

            migrationBuilder.DropColumn(
                name: "HealthSetAt",
                table: "Objectives");

            migrationBuilder.DropColumn(
                name: "HealthSetBy",
                table: "Objectives");

            migrationBuilder.RenameColumn(
                name: "HealthOverride",
                table: "Objectives",
                newName: "Health");
        }
    }
}
