using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BookOfBusinessIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Objectives_AccountId_Status_OutcomeStage_OutcomeStageSince",
                table: "Objectives");

            migrationBuilder.DropIndex(
                name: "IX_Findings_AccountId",
                table: "Findings");

            migrationBuilder.CreateIndex(
                name: "IX_Objectives_AccountId_OutcomeStage_OutcomeStageSince_Status",
                table: "Objectives",
                columns: new[] { "AccountId", "OutcomeStage", "OutcomeStageSince", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Findings_AccountId_Status",
                table: "Findings",
                columns: new[] { "AccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_RenewalDate_Id",
                table: "Accounts",
                columns: new[] { "RenewalDate", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Objectives_AccountId_OutcomeStage_OutcomeStageSince_Status",
                table: "Objectives");

            migrationBuilder.DropIndex(
                name: "IX_Findings_AccountId_Status",
                table: "Findings");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_RenewalDate_Id",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Objectives_AccountId_Status_OutcomeStage_OutcomeStageSince",
                table: "Objectives",
                columns: new[] { "AccountId", "Status", "OutcomeStage", "OutcomeStageSince" });

            migrationBuilder.CreateIndex(
                name: "IX_Findings_AccountId",
                table: "Findings",
                column: "AccountId");
        }
    }
}
