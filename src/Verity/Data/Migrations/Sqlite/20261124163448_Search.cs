using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verity.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The search index: see Features/Search/Search.cs. Triggers keep it, whoever writes the rows.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "SearchIndex" USING fts5("Words", "EntityId" UNINDEXED, "Kind" UNINDEXED, "AccountId" UNINDEXED, "Title" UNINDEXED, tokenize = 'trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Accounts_Insert" AFTER INSERT ON "Accounts" BEGIN INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Name" || ' ' || coalesce(new."Industry", '') || ' ' || coalesce(new."ExternalId", '')), new."Id", 'account', new."Id", new."Name"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Accounts_Update" AFTER UPDATE OF "Name", "Industry", "ExternalId" ON "Accounts" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Name" || ' ' || coalesce(new."Industry", '') || ' ' || coalesce(new."ExternalId", '')), new."Id", 'account', new."Id", new."Name"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Accounts_Delete" AFTER DELETE ON "Accounts" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") SELECT lower("Name" || ' ' || coalesce("Industry", '') || ' ' || coalesce("ExternalId", '')), "Id", 'account', "Id", "Name" FROM "Accounts";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Plans_Insert" AFTER INSERT ON "Plans" BEGIN INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Title"), new."Id", 'plan', new."AccountId", new."Title"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Plans_Update" AFTER UPDATE OF "Title" ON "Plans" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Title"), new."Id", 'plan', new."AccountId", new."Title"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Plans_Delete" AFTER DELETE ON "Plans" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") SELECT lower("Title"), "Id", 'plan', "AccountId", "Title" FROM "Plans";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Objectives_Insert" AFTER INSERT ON "Objectives" BEGIN INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Title" || ' ' || coalesce(new."UseCase", '')), new."Id", 'objective', new."AccountId", new."Title"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Objectives_Update" AFTER UPDATE OF "Title", "UseCase" ON "Objectives" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Title" || ' ' || coalesce(new."UseCase", '')), new."Id", 'objective', new."AccountId", new."Title"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Objectives_Delete" AFTER DELETE ON "Objectives" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") SELECT lower("Title" || ' ' || coalesce("UseCase", '')), "Id", 'objective', "AccountId", "Title" FROM "Objectives";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Stakeholders_Insert" AFTER INSERT ON "Stakeholders" BEGIN INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Name" || ' ' || coalesce(new."Title", '') || ' ' || coalesce(new."Email", '')), new."Id", 'stakeholder', new."AccountId", new."Name"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Stakeholders_Update" AFTER UPDATE OF "Name", "Title", "Email" ON "Stakeholders" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Name" || ' ' || coalesce(new."Title", '') || ' ' || coalesce(new."Email", '')), new."Id", 'stakeholder', new."AccountId", new."Name"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Stakeholders_Delete" AFTER DELETE ON "Stakeholders" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") SELECT lower("Name" || ' ' || coalesce("Title", '') || ' ' || coalesce("Email", '')), "Id", 'stakeholder', "AccountId", "Name" FROM "Stakeholders";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Opportunities_Insert" AFTER INSERT ON "Opportunities" BEGIN INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Name"), new."Id", 'opportunity', new."AccountId", new."Name"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Opportunities_Update" AFTER UPDATE OF "Name" ON "Opportunities" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") VALUES (lower(new."Name"), new."Id", 'opportunity', new."AccountId", new."Name"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchIndex_Opportunities_Delete" AFTER DELETE ON "Opportunities" BEGIN DELETE FROM "SearchIndex" WHERE "EntityId" = old."Id"; END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "SearchIndex" ("Words", "EntityId", "Kind", "AccountId", "Title") SELECT lower("Name"), "Id", 'opportunity', "AccountId", "Name" FROM "Opportunities";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Accounts_Insert";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Accounts_Update";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Accounts_Delete";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Plans_Insert";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Plans_Update";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Plans_Delete";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Objectives_Insert";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Objectives_Update";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Objectives_Delete";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Stakeholders_Insert";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Stakeholders_Update";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Stakeholders_Delete";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Opportunities_Insert";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Opportunities_Update";
                """);
            migrationBuilder.Sql("""
                DROP TRIGGER "SearchIndex_Opportunities_Delete";
                """);
            migrationBuilder.Sql("""
                DROP TABLE "SearchIndex";
                """);
        }
    }
}
