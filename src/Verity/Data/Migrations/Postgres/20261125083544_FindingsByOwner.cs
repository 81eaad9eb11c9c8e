using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FindingsByOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Findings_Status_OwnerId",
                table: "Findings");

            migrationBuilder.CreateIndex(
                name: "IX_Findings_OwnerId_Status",
                table: "Findings",
                columns: new[] { "OwnerId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Findings_OwnerId_Status",
                table: "Findings");

            migrationBuilder.CreateIndex(
                name: "IX_Findings_Status_OwnerId",
                table: "Findings",
                columns: new[] { "Status", "OwnerId" });
        }
    }
}
