using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WeekOwnedOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Milestones_OwnerId_DueDate",
                table: "Milestones");

            migrationBuilder.DropIndex(
                name: "IX_Initiatives_OwnerId_DueDate",
                table: "Initiatives");

            migrationBuilder.CreateIndex(
                name: "IX_Milestones_OwnerId_DueDate",
                table: "Milestones",
                columns: new[] { "OwnerId", "DueDate" },
                filter: "\"OwnerId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Initiatives_OwnerId_DueDate",
                table: "Initiatives",
                columns: new[] { "OwnerId", "DueDate" },
                filter: "\"OwnerId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Milestones_OwnerId_DueDate",
                table: "Milestones");

            migrationBuilder.DropIndex(
                name: "IX_Initiatives_OwnerId_DueDate",
                table: "Initiatives");

            migrationBuilder.CreateIndex(
                name: "IX_Milestones_OwnerId_DueDate",
                table: "Milestones",
                columns: new[] { "OwnerId", "DueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Initiatives_OwnerId_DueDate",
                table: "Initiatives",
                columns: new[] { "OwnerId", "DueDate" });
        }
    }
}
