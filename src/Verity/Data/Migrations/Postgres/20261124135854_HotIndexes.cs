using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HotIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Measurements_MetricId_At",
                table: "Measurements");

            migrationBuilder.DropIndex(
                name: "IX_Activities_ObjectiveId",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Measurements_MetricId_At_Id",
                table: "Measurements",
                columns: new[] { "MetricId", "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_ObjectiveId_OccurredAt",
                table: "Activities",
                columns: new[] { "ObjectiveId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_PlanId_OccurredAt",
                table: "Activities",
                columns: new[] { "PlanId", "OccurredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Measurements_MetricId_At_Id",
                table: "Measurements");

            migrationBuilder.DropIndex(
                name: "IX_Activities_ObjectiveId_OccurredAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_PlanId_OccurredAt",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Measurements_MetricId_At",
                table: "Measurements",
                columns: new[] { "MetricId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_ObjectiveId",
                table: "Activities",
                column: "ObjectiveId");
        }
    }
}
