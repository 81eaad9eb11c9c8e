using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Sqlite
{
    /// <summary>
    /// SQLite's search index, kept by key and loaded in bulk:
    /// <list type="bullet">
    /// <item><c>SearchKeys</c> holds each record's FTS5 rowid. FTS5 cannot index <c>EntityId</c>, so the triggers'
    /// <c>DELETE … WHERE "EntityId" = old."Id"</c> read the whole index for every renamed or deleted record (a 100,000-row
    /// import's updates took more than 11 minutes).</item>
    /// <item><c>SearchSource</c> says once what each searched record puts in the index; the triggers and bulk loads both
    /// read it.</item>
    /// <item>While a bulk load holds a row in <c>SearchDeferred</c> (inside its own transaction: nobody else ever sees
    /// it), the triggers leave the index alone and the load indexes its records in one statement before it commits.
    /// FTS5 writes out what each statement added, so a row-by-row load left one small segment per row to merge: the
    /// search triggers cost a 100,000-account import about 6 of its 9 seconds.</item>
    /// </list>
    /// </summary>
    public partial class SearchKeys : Migration
    {
        /// <summary>Each searched table: what its update trigger fires on, its kind, and the index row it makes (words, account, title).</summary>
        private static readonly (string Table, string Columns, string Kind, string Words, string Account, string Title)[] _searched =
        [
            ("Accounts", "\"Name\", \"Industry\", \"ExternalId\"", "account", "lower(\"Name\" || ' ' || coalesce(\"Industry\", '') || ' ' || coalesce(\"ExternalId\", ''))", "\"Id\"", "\"Name\""),
            ("Plans", "\"Title\"", "plan", "lower(\"Title\")", "\"AccountId\"", "\"Title\""),
            ("Objectives", "\"Title\", \"UseCase\"", "objective", "lower(\"Title\" || ' ' || coalesce(\"UseCase\", ''))", "\"AccountId\"", "\"Title\""),
            ("Stakeholders", "\"Name\", \"Title\", \"Email\"", "stakeholder", "lower(\"Name\" || ' ' || coalesce(\"Title\", '') || ' ' || coalesce(\"Email\", ''))", "\"AccountId\"", "\"Name\""),
            ("Opportunities", "\"Name\"", "opportunity", "lower(\"Name\")", "\"AccountId\"", "\"Name\""),
        ];

        private const string Columns = "\"Words\", \"EntityId\", \"Kind\", \"AccountId\", \"Title\"";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "SearchKeys" ("EntityId" TEXT NOT NULL PRIMARY KEY, "Row" INTEGER NOT NULL) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchKeys" ("EntityId", "Row") SELECT "EntityId", rowid FROM "SearchIndex";
                """);
            migrationBuilder.Sql("""
                CREATE TABLE "SearchDeferred" ("Id" INTEGER NOT NULL PRIMARY KEY);
                """);
            migrationBuilder.Sql($"""
                CREATE VIEW "SearchSource" AS {string.Join(" UNION ALL ", _searched.Select(s => $"SELECT {s.Words} AS \"Words\", \"Id\" AS \"EntityId\", '{s.Kind}' AS \"Kind\", {s.Account} AS \"AccountId\", {s.Title} AS \"Title\" FROM \"{s.Table}\""))};
                """);
            const string when = "WHEN NOT EXISTS (SELECT 1 FROM \"SearchDeferred\")";
            const string row = "rowid = (SELECT \"Row\" FROM \"SearchKeys\" WHERE \"EntityId\" = old.\"Id\")";
            foreach (var (table, columns, kind, _, _, _) in _searched)
            {
                var source = $"FROM \"SearchSource\" WHERE \"Kind\" = '{kind}' AND \"EntityId\" = new.\"Id\"";
                DropTriggers(migrationBuilder, table);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Insert" AFTER INSERT ON "{table}" {when} BEGIN INSERT INTO "SearchIndex" ({Columns}) SELECT {Columns} {source}; INSERT INTO "SearchKeys" ("EntityId", "Row") VALUES (new."Id", last_insert_rowid()); END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Update" AFTER UPDATE OF {columns} ON "{table}" {when} BEGIN UPDATE "SearchIndex" SET ("Words", "Title") = (SELECT "Words", "Title" {source}) WHERE {row}; END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Delete" AFTER DELETE ON "{table}" {when} BEGIN DELETE FROM "SearchIndex" WHERE {row}; DELETE FROM "SearchKeys" WHERE "EntityId" = old."Id"; END;
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, columns, kind, words, account, title) in _searched)
            {
                var values = $"VALUES ({New(words)}, new.\"Id\", '{kind}', {New(account)}, {New(title)})";
                DropTriggers(migrationBuilder, table);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Insert" AFTER INSERT ON "{table}" BEGIN INSERT INTO "SearchIndex" ({Columns}) {values}; END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Update" AFTER UPDATE OF {columns} ON "{table}" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; INSERT INTO "SearchIndex" ({Columns}) {values}; END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Delete" AFTER DELETE ON "{table}" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; END;
                    """);
            }

            migrationBuilder.Sql("""
                DROP VIEW "SearchSource";
                """);
            migrationBuilder.Sql("""
                DROP TABLE "SearchDeferred";
                """);
            migrationBuilder.Sql("""
                DROP TABLE "SearchKeys";
                """);
        }

        /// <summary>A column of the searched table as the row-by-row trigger of the "Search" migration read it.</summary>
        private static string New(string expression) =>
            System.Text.RegularExpressions.Regex.Replace(expression, "\"(Id|Name|Title|Industry|ExternalId|UseCase|Email|AccountId)\"", "new.\"$1\"");

        private static void DropTriggers(MigrationBuilder migrationBuilder, string table)
        {
            foreach (var when in new[] { "Insert", "Update", "Delete" })
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER "SearchIndex_{table}_{when}";
                    """);
            }
        }
    }
}
