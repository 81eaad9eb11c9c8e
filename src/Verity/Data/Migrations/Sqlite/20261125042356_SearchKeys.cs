using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Sqlite
{
    /// <summary>
    /// The search index's rows are found by their FTS5 rowid, kept in <c>SearchKeys</c> under the record's id. FTS5 cannot
    /// index <c>EntityId</c>, so the triggers' <c>DELETE … WHERE "EntityId" = old."Id"</c> read the whole index for every
    /// renamed or deleted record: a 100,000-row import's updates took more than 11 minutes.
    /// </summary>
    public partial class SearchKeys : Migration
    {
        /// <summary>Each searched table: what its trigger fires on, and the index row it writes (words, kind, account, title).</summary>
        private static readonly (string Table, string Columns, string Words, string Kind, string Account, string Title)[] _searched =
        [
            ("Accounts", "\"Name\", \"Industry\", \"ExternalId\"", "lower(new.\"Name\" || ' ' || coalesce(new.\"Industry\", '') || ' ' || coalesce(new.\"ExternalId\", ''))", "account", "new.\"Id\"", "new.\"Name\""),
            ("Plans", "\"Title\"", "lower(new.\"Title\")", "plan", "new.\"AccountId\"", "new.\"Title\""),
            ("Objectives", "\"Title\", \"UseCase\"", "lower(new.\"Title\" || ' ' || coalesce(new.\"UseCase\", ''))", "objective", "new.\"AccountId\"", "new.\"Title\""),
            ("Stakeholders", "\"Name\", \"Title\", \"Email\"", "lower(new.\"Name\" || ' ' || coalesce(new.\"Title\", '') || ' ' || coalesce(new.\"Email\", ''))", "stakeholder", "new.\"AccountId\"", "new.\"Name\""),
            ("Opportunities", "\"Name\"", "lower(new.\"Name\")", "opportunity", "new.\"AccountId\"", "new.\"Name\""),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "SearchKeys" ("EntityId" TEXT NOT NULL PRIMARY KEY, "Row" INTEGER NOT NULL) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchKeys" ("EntityId", "Row") SELECT "EntityId", rowid FROM "SearchIndex";
                """);
            const string row = "rowid = (SELECT \"Row\" FROM \"SearchKeys\" WHERE \"EntityId\" = old.\"Id\")";
            foreach (var (table, columns, words, kind, account, title) in _searched)
            {
                DropTriggers(migrationBuilder, table);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Insert" AFTER INSERT ON "{table}" BEGIN INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES ({words}, new."Id", '{kind}', {account}, {title}); INSERT INTO "SearchKeys" ("EntityId", "Row") VALUES (new."Id", last_insert_rowid()); END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Update" AFTER UPDATE OF {columns} ON "{table}" BEGIN UPDATE "SearchIndex" SET "Words" = {words}, "Title" = {title} WHERE {row}; END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Delete" AFTER DELETE ON "{table}" BEGIN DELETE FROM "SearchIndex" WHERE {row}; DELETE FROM "SearchKeys" WHERE "EntityId" = old."Id"; END;
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, columns, words, kind, account, title) in _searched)
            {
                DropTriggers(migrationBuilder, table);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Insert" AFTER INSERT ON "{table}" BEGIN INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES ({words}, new."Id", '{kind}', {account}, {title}); END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Update" AFTER UPDATE OF {columns} ON "{table}" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES ({words}, new."Id", '{kind}', {account}, {title}); END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Delete" AFTER DELETE ON "{table}" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; END;
                    """);
            }

            migrationBuilder.Sql("""
                DROP TABLE "SearchKeys";
                """);
        }

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
