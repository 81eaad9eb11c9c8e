using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <summary>
    /// PostgreSQL's search index kept once per statement instead of once per row: a COPY of 100,000 accounts ran the
    /// row trigger's PL/pgSQL 100,000 times (about 2 of an import's 6.7 seconds). Each statement now indexes the rows it
    /// wrote in one <c>INSERT … SELECT</c> from its transition table, through one view (<c>SearchSource</c>) that says
    /// what each searched record puts in the index. PostgreSQL allows no column list on an UPDATE trigger with a
    /// transition table, so an update rewrites only the entries whose words, title or account actually changed.
    /// </summary>
    public partial class SearchByStatement : Migration
    {
        /// <summary>Each searched table: its kind, what the row-by-row trigger fired on, and the index row it makes.</summary>
        private static readonly (string Table, string Columns, string Kind, string Words, string Account, string Title)[] _searched =
        [
            ("Accounts", "\"Name\", \"Industry\", \"ExternalId\"", "account", "lower(\"Name\" || ' ' || coalesce(\"Industry\", '') || ' ' || coalesce(\"ExternalId\", ''))", "\"Id\"", "\"Name\""),
            ("Plans", "\"Title\"", "plan", "lower(\"Title\")", "\"AccountId\"", "\"Title\""),
            ("Objectives", "\"Title\", \"UseCase\"", "objective", "lower(\"Title\" || ' ' || coalesce(\"UseCase\", ''))", "\"AccountId\"", "\"Title\""),
            ("Stakeholders", "\"Name\", \"Title\", \"Email\"", "stakeholder", "lower(\"Name\" || ' ' || coalesce(\"Title\", '') || ' ' || coalesce(\"Email\", ''))", "\"AccountId\"", "\"Name\""),
            ("Opportunities", "\"Name\"", "opportunity", "lower(\"Name\")", "\"AccountId\"", "\"Name\""),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE VIEW "SearchSource" AS {string.Join(" UNION ALL ", _searched.Select(s => $"SELECT \"Id\" AS \"EntityId\", '{s.Kind}'::character varying(20) AS \"Kind\", {s.Account} AS \"AccountId\", {s.Title} AS \"Title\", {s.Words} AS \"Words\" FROM \"{s.Table}\""))};
                """);

            // Rows a statement added or changed (its transition table "written"): their entries from the view, written
            // only where they differ from what the index holds. TG_ARGV[0] is the kind.
            migrationBuilder.Sql("""
                CREATE FUNCTION "SearchIndex_Written"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words")
                    SELECT s."EntityId", s."Kind", s."AccountId", s."Title", s."Words"
                    FROM "SearchSource" AS s
                    WHERE s."Kind" = TG_ARGV[0] AND s."EntityId" IN (SELECT w."Id" FROM written AS w)
                        AND NOT EXISTS (SELECT 1 FROM "SearchIndex" AS i WHERE i."EntityId" = s."EntityId"
                            AND i."AccountId" = s."AccountId" AND i."Title" = s."Title" AND i."Words" = s."Words")
                    ON CONFLICT ("EntityId") DO UPDATE SET "AccountId" = EXCLUDED."AccountId", "Title" = EXCLUDED."Title", "Words" = EXCLUDED."Words";
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "SearchIndex_Removed"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM "SearchIndex" WHERE "EntityId" IN (SELECT r."Id" FROM removed AS r);
                    RETURN NULL;
                END $$;
                """);
            foreach (var (table, _, kind, _, _, _) in _searched)
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER "SearchIndex_{table}" ON "{table}";
                    """);
                migrationBuilder.Sql($"""
                    DROP FUNCTION "SearchIndex_{table}"();
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Inserted" AFTER INSERT ON "{table}" REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "SearchIndex_Written"('{kind}');
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Updated" AFTER UPDATE ON "{table}" REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "SearchIndex_Written"('{kind}');
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}_Deleted" AFTER DELETE ON "{table}" REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "SearchIndex_Removed"();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, columns, kind, words, account, title) in _searched)
            {
                foreach (var when in new[] { "Inserted", "Updated", "Deleted" })
                {
                    migrationBuilder.Sql($"""
                        DROP TRIGGER "SearchIndex_{table}_{when}" ON "{table}";
                        """);
                }

                migrationBuilder.Sql($"""
                    CREATE FUNCTION "SearchIndex_{table}"() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF TG_OP = 'DELETE' THEN
                            DELETE FROM "SearchIndex" WHERE "EntityId" = OLD."Id";
                            RETURN OLD;
                        END IF;
                        INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words")
                        VALUES (NEW."Id", '{kind}', {New(account)}, {New(title)}, {New(words)})
                        ON CONFLICT ("EntityId") DO UPDATE SET "AccountId" = EXCLUDED."AccountId", "Title" = EXCLUDED."Title", "Words" = EXCLUDED."Words";
                        RETURN NEW;
                    END $$;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "SearchIndex_{table}" AFTER INSERT OR DELETE OR UPDATE OF {columns} ON "{table}" FOR EACH ROW EXECUTE FUNCTION "SearchIndex_{table}"();
                    """);
            }

            migrationBuilder.Sql("""
                DROP FUNCTION "SearchIndex_Written"();
                """);
            migrationBuilder.Sql("""
                DROP FUNCTION "SearchIndex_Removed"();
                """);
            migrationBuilder.Sql("""
                DROP VIEW "SearchSource";
                """);
        }

        /// <summary>A column of the searched table as the row-by-row trigger of the "Search" migration read it.</summary>
        private static string New(string expression) =>
            System.Text.RegularExpressions.Regex.Replace(expression, "\"(Id|Name|Title|Industry|ExternalId|UseCase|Email|AccountId)\"", "NEW.\"$1\"");
    }
}
