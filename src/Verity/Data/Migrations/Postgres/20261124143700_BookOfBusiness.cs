using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BookOfBusiness : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "Arr",
                table: "Accounts",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Employees",
                table: "Accounts",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "Accounts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Industry",
                table: "Accounts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "RenewalDate",
                table: "Accounts",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "HealthChecks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CheckedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Adoption = table.Column<int>(type: "integer", nullable: false),
                    Sentiment = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Barriers = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    Overall = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Notes = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    AuthorId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HealthChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HealthChecks_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HealthSnapshots",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    TakenOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    Grade = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HealthSnapshots", x => new { x.AccountId, x.TakenOn });
                    table.ForeignKey(
                        name: "FK_HealthSnapshots_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_ExternalId",
                table: "Accounts",
                column: "ExternalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HealthChecks_AccountId",
                table: "HealthChecks",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_HealthChecks_AccountId_CheckedOn",
                table: "HealthChecks",
                columns: new[] { "AccountId", "CheckedOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HealthChecks");

            migrationBuilder.DropTable(
                name: "HealthSnapshots");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_ExternalId",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "Arr",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "Employees",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "Industry",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "RenewalDate",
                table: "Accounts");
        }
    }
}
