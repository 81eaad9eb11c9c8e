using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportExternalIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "Stakeholders",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "CloseDate",
                table: "Opportunities",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "Opportunities",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Stakeholders_ExternalId",
                table: "Stakeholders",
                column: "ExternalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_ExternalId",
                table: "Opportunities",
                column: "ExternalId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Stakeholders_ExternalId",
                table: "Stakeholders");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_ExternalId",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "Stakeholders");

            migrationBuilder.DropColumn(
                name: "CloseDate",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "Opportunities");
        }
    }
}
