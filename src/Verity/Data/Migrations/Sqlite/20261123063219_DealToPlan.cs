using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DealToPlan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CustomerAccepted",
                table: "Opportunities");

            migrationBuilder.AddColumn<DateTime>(
                name: "CspExceptionApprovedAt",
                table: "Opportunities",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CspExceptionApprovedBy",
                table: "Opportunities",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CspExceptionJustification",
                table: "Opportunities",
                type: "TEXT",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CspRequiredBy",
                table: "Opportunities",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ClosePlans",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OpportunityId = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClosePlans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClosePlans_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ClosePlans_Opportunities_OpportunityId",
                        column: x => x.OpportunityId,
                        principalTable: "Opportunities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LifecycleChecks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Done = table.Column<bool>(type: "INTEGER", nullable: false),
                    CheckedBy = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LifecycleChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LifecycleChecks_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ClosePlanElements",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ClosePlanId = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Content = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    InternalNotes = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClosePlanElements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClosePlanElements_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ClosePlanElements_ClosePlans_ClosePlanId",
                        column: x => x.ClosePlanId,
                        principalTable: "ClosePlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ClosePlanElements_AccountId",
                table: "ClosePlanElements",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_ClosePlanElements_ClosePlanId_Key",
                table: "ClosePlanElements",
                columns: new[] { "ClosePlanId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ClosePlans_AccountId",
                table: "ClosePlans",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_ClosePlans_OpportunityId",
                table: "ClosePlans",
                column: "OpportunityId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LifecycleChecks_AccountId",
                table: "LifecycleChecks",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_LifecycleChecks_AccountId_Sequence",
                table: "LifecycleChecks",
                columns: new[] { "AccountId", "Sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ClosePlanElements");

            migrationBuilder.DropTable(
                name: "LifecycleChecks");

            migrationBuilder.DropTable(
                name: "ClosePlans");

            migrationBuilder.DropColumn(
                name: "CspExceptionApprovedAt",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "CspExceptionApprovedBy",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "CspExceptionJustification",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "CspRequiredBy",
                table: "Opportunities");

            migrationBuilder.AddColumn<bool>(
                name: "CustomerAccepted",
                table: "Opportunities",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }
    }
}
