using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The search index: see Features/Search/Search.cs. Triggers keep it, whoever writes the rows.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                """);
            migrationBuilder.Sql("""
                CREATE TABLE "SearchIndex" ("EntityId" character varying(32) PRIMARY KEY, "Kind" character varying(20) NOT NULL, "AccountId" character varying(32) NOT NULL, "Title" text NOT NULL, "Words" text NOT NULL);
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_SearchIndex_Words" ON "SearchIndex" USING gin ("Words" gin_trgm_ops);
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_SearchIndex_AccountId" ON "SearchIndex" ("AccountId");
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "SearchIndex_Accounts"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM "SearchIndex" WHERE "EntityId" = OLD."Id";
                        RETURN OLD;
                    END IF;
                    INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words")
                    VALUES (NEW."Id", 'account', NEW."Id", NEW."Name", lower(NEW."Name" || ' ' || coalesce(NEW."Industry", '') || ' ' || coalesce(NEW."ExternalId", '')))
                    ON CONFLICT ("EntityId") DO UPDATE SET "AccountId" = EXCLUDED."AccountId", "Title" = EXCLUDED."Title", "Words" = EXCLUDED."Words";
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Accounts" AFTER INSERT OR DELETE OR UPDATE OF "Name", "Industry", "ExternalId" ON "Accounts" FOR EACH ROW EXECUTE FUNCTION "SearchIndex_Accounts"();
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words") SELECT "Id", 'account', "Id", "Name", lower("Name" || ' ' || coalesce("Industry", '') || ' ' || coalesce("ExternalId", '')) FROM "Accounts";
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "SearchIndex_Plans"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM "SearchIndex" WHERE "EntityId" = OLD."Id";
                        RETURN OLD;
                    END IF;
                    INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words")
                    VALUES (NEW."Id", 'plan', NEW."AccountId", NEW."Title", lower(NEW."Title"))
                    ON CONFLICT ("EntityId") DO UPDATE SET "AccountId" = EXCLUDED."AccountId", "Title" = EXCLUDED."Title", "Words" = EXCLUDED."Words";
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Plans" AFTER INSERT OR DELETE OR UPDATE OF "Title" ON "Plans" FOR EACH ROW EXECUTE FUNCTION "SearchIndex_Plans"();
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words") SELECT "Id", 'plan', "AccountId", "Title", lower("Title") FROM "Plans";
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "SearchIndex_Objectives"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM "SearchIndex" WHERE "EntityId" = OLD."Id";
                        RETURN OLD;
                    END IF;
                    INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words")
                    VALUES (NEW."Id", 'objective', NEW."AccountId", NEW."Title", lower(NEW."Title" || ' ' || coalesce(NEW."UseCase", '')))
                    ON CONFLICT ("EntityId") DO UPDATE SET "AccountId" = EXCLUDED."AccountId", "Title" = EXCLUDED."Title", "Words" = EXCLUDED."Words";
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Objectives" AFTER INSERT OR DELETE OR UPDATE OF "Title", "UseCase" ON "Objectives" FOR EACH ROW EXECUTE FUNCTION "SearchIndex_Objectives"();
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words") SELECT "Id", 'objective', "AccountId", "Title", lower("Title" || ' ' || coalesce("UseCase", '')) FROM "Objectives";
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "SearchIndex_Stakeholders"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM "SearchIndex" WHERE "EntityId" = OLD."Id";
                        RETURN OLD;
                    END IF;
                    INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words")
                    VALUES (NEW."Id", 'stakeholder', NEW."AccountId", NEW."Name", lower(NEW."Name" || ' ' || coalesce(NEW."Title", '') || ' ' || coalesce(NEW."Email", '')))
                    ON CONFLICT ("EntityId") DO UPDATE SET "AccountId" = EXCLUDED."AccountId", "Title" = EXCLUDED."Title", "Words" = EXCLUDED."Words";
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Stakeholders" AFTER INSERT OR DELETE OR UPDATE OF "Name", "Title", "Email" ON "Stakeholders" FOR EACH ROW EXECUTE FUNCTION "SearchIndex_Stakeholders"();
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words") SELECT "Id", 'stakeholder', "AccountId", "Name", lower("Name" || ' ' || coalesce("Title", '') || ' ' || coalesce("Email", '')) FROM "Stakeholders";
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "SearchIndex_Opportunities"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM "SearchIndex" WHERE "EntityId" = OLD."Id";
                        RETURN OLD;
                    END IF;
                    INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words")
                    VALUES (NEW."Id", 'opportunity', NEW."AccountId", NEW."Name", lower(NEW."Name"))
                    ON CONFLICT ("EntityId") DO UPDATE SET "AccountId" = EXCLUDED."AccountId", "Title" = EXCLUDED."Title", "Words" = EXCLUDED."Words";
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Opportunities" AFTER INSERT OR DELETE OR UPDATE OF "Name" ON "Opportunities" FOR EACH ROW EXECUTE FUNCTION "SearchIndex_Opportunities"();
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("EntityId", "Kind", "AccountId", "Title", "Words") SELECT "Id", 'opportunity', "AccountId", "Name", lower("Name") FROM "Opportunities";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Accounts" ON "Accounts";
                """);
            migrationBuilder.Sql("""
                DROP FUNCTION "SearchIndex_Accounts"();
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Plans" ON "Plans";
                """);
            migrationBuilder.Sql("""
                DROP FUNCTION "SearchIndex_Plans"();
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Objectives" ON "Objectives";
                """);
            migrationBuilder.Sql("""
                DROP FUNCTION "SearchIndex_Objectives"();
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Stakeholders" ON "Stakeholders";
                """);
            migrationBuilder.Sql("""
                DROP FUNCTION "SearchIndex_Stakeholders"();
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Opportunities" ON "Opportunities";
                """);
            migrationBuilder.Sql("""
                DROP FUNCTION "SearchIndex_Opportunities"();
                """);
            migrationBuilder.Sql("""
                DROP TABLE "SearchIndex";
                """);
        }
    }
}
