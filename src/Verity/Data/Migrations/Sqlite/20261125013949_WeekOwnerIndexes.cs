using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WeekOwnerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Plans_OwnerId",
                table: "Plans",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Objectives_OwnerId_Status",
                table: "Objectives",
                columns: new[] { "OwnerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Milestones_OwnerId_DueDate",
                table: "Milestones",
                columns: new[] { "OwnerId", "DueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Initiatives_OwnerId_DueDate",
                table: "Initiatives",
                columns: new[] { "OwnerId", "DueDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Plans_OwnerId",
                table: "Plans");

            migrationBuilder.DropIndex(
                name: "IX_Objectives_OwnerId_Status",
                table: "Objectives");

            migrationBuilder.DropIndex(
                name: "IX_Milestones_OwnerId_DueDate",
                table: "Milestones");

            migrationBuilder.DropIndex(
                name: "IX_Initiatives_OwnerId_DueDate",
                table: "Initiatives");
        }
    }
}
