using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ShareHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ShareHealthWithCustomer",
                table: "Plans",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ShareHealthWithCustomer",
                table: "Plans");
        }
    }
}
