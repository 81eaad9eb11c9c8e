using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PortfolioIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Objectives_AccountId",
                table: "Objectives");

            migrationBuilder.DropIndex(
                name: "IX_LifecycleChecks_AccountId",
                table: "LifecycleChecks");

            migrationBuilder.DropIndex(
                name: "IX_Initiatives_AccountId",
                table: "Initiatives");

            migrationBuilder.DropIndex(
                name: "IX_HealthChecks_AccountId",
                table: "HealthChecks");

            migrationBuilder.DropIndex(
                name: "IX_Activities_AccountId",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Objectives_AccountId_Status_OutcomeStage_OutcomeStageSince",
                table: "Objectives",
                columns: new[] { "AccountId", "Status", "OutcomeStage", "OutcomeStageSince" });

            migrationBuilder.CreateIndex(
                name: "IX_Objectives_OutcomeStage_OutcomeStageSince_AccountId",
                table: "Objectives",
                columns: new[] { "OutcomeStage", "OutcomeStageSince", "AccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_Initiatives_AccountId_Status_DueDate",
                table: "Initiatives",
                columns: new[] { "AccountId", "Status", "DueDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Objectives_AccountId_Status_OutcomeStage_OutcomeStageSince",
                table: "Objectives");

            migrationBuilder.DropIndex(
                name: "IX_Objectives_OutcomeStage_OutcomeStageSince_AccountId",
                table: "Objectives");

            migrationBuilder.DropIndex(
                name: "IX_Initiatives_AccountId_Status_DueDate",
                table: "Initiatives");

            migrationBuilder.CreateIndex(
                name: "IX_Objectives_AccountId",
                table: "Objectives",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_LifecycleChecks_AccountId",
                table: "LifecycleChecks",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Initiatives_AccountId",
                table: "Initiatives",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_HealthChecks_AccountId",
                table: "HealthChecks",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AccountId",
                table: "Activities",
                column: "AccountId");
        }
    }
}
