using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Evidence;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;

namespace Verity.Data;

/// <summary>
/// The one database context. Every account-owned set is filtered to the accounts the current
/// <see cref="Actor"/> may see, so no query can forget access. It also keeps the Data Protection keys that sign cookies
/// and antiforgery tokens, so every node sharing the database accepts what another issued.
/// </summary>
public abstract class VerityDb(DbContextOptions options) : IdentityUserContext<VerityUser>(options), IDataProtectionKeyContext
{
    /// <summary>Who is asking; set when the context is handed out for a request or a command.</summary>
    public Actor Actor { get; set; } = Actor.Nobody;

    /// <summary>The book's version, moved when this context commits a change to an account's records (see <see cref="BookInterceptor"/>).</summary>
    public BookStamp? Book { get; set; }

    /// <summary>A change to the book is written but not yet committed.</summary>
    internal bool BookChangePending { get; set; }

    /// <summary>
    /// For changes written without the change tracker (SQL of its own, bulk loads): moves the book's version now, or
    /// when the open transaction commits.
    /// </summary>
    public async Task BookChangedAsync(CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            BookChangePending = true;
        }
        else if (Book is { } book)
        {
            await book.ChangedAsync(cancellationToken);
        }
    }

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<AccountTeamMember> TeamMembers => Set<AccountTeamMember>();

    public DbSet<Stakeholder> Stakeholders => Set<Stakeholder>();

    public DbSet<Opportunity> Opportunities => Set<Opportunity>();

    public DbSet<SuccessPlan> Plans => Set<SuccessPlan>();

    public DbSet<PlanSection> PlanSections => Set<PlanSection>();

    public DbSet<Objective> Objectives => Set<Objective>();

    public DbSet<Metric> Metrics => Set<Metric>();

    public DbSet<Measurement> Measurements => Set<Measurement>();

    public DbSet<Initiative> Initiatives => Set<Initiative>();

    public DbSet<InitiativeTask> InitiativeTasks => Set<InitiativeTask>();

    public DbSet<Activity> Activities => Set<Activity>();

    public DbSet<Confirmation> Confirmations => Set<Confirmation>();

    public DbSet<Comment> Comments => Set<Comment>();

    public DbSet<Attachment> Attachments => Set<Attachment>();

    public DbSet<ClosePlan> ClosePlans => Set<ClosePlan>();

    public DbSet<ClosePlanElement> ClosePlanElements => Set<ClosePlanElement>();

    public DbSet<LifecycleCheck> LifecycleChecks => Set<LifecycleCheck>();

    public DbSet<Http.IdempotentRequest> IdempotentRequests => Set<Http.IdempotentRequest>();

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<AccessStamp> AccessStamps => Set<AccessStamp>();

    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();

    public DbSet<Mail.OutgoingMail> OutgoingMails => Set<Mail.OutgoingMail>();

    public DbSet<Features.Portal.PortalLink> PortalLinks => Set<Features.Portal.PortalLink>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Finding> Findings => Set<Finding>();

    public DbSet<HealthCheck> HealthChecks => Set<HealthCheck>();

    public DbSet<HealthSnapshot> HealthSnapshots => Set<HealthSnapshot>();

    public DbSet<AdoptionFigure> AdoptionFigures => Set<AdoptionFigure>();

    public DbSet<UseCase> UseCases => Set<UseCase>();

    public DbSet<SupportFigure> SupportFigures => Set<SupportFigure>();

    public DbSet<Features.Search.SearchEntry> SearchEntries => Set<Features.Search.SearchEntry>();
    public DbSet<Meeting> Meetings => Set<Meeting>();

    public DbSet<Features.Meetings.MeetingAttendee> MeetingAttendees => Set<Features.Meetings.MeetingAttendee>();

    public DbSet<Milestone> Milestones => Set<Milestone>();

    public DbSet<PlanTemplate> PlanTemplates => Set<PlanTemplate>();

    public DbSet<Features.Triage.TriageRun> TriageRuns => Set<Features.Triage.TriageRun>();

    public DbSet<Jobs.JobPeriod> JobPeriods => Set<Jobs.JobPeriod>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Features.Notifications.ReportLink> ReportLinks => Set<Features.Notifications.ReportLink>();

    public DbSet<Features.Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Features.Webhooks.WebhookSubscription>();

    public DbSet<Features.Webhooks.WebhookEvent> WebhookEvents => Set<Features.Webhooks.WebhookEvent>();

    public DbSet<Features.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Features.Webhooks.WebhookDelivery>();

    // Read by the query filters; EF parameterises them per query, so a pooled context is safe.
    // The access filters read "every account" as `AccountId.StartsWith(EveryAccount)`: "" for those who see every
    // account, else null. EF compiles one SQL text per nullability of its parameters and drops a StartsWith(null) as
    // false, so everyone else's filter is only `AccountId IN (SELECT AccountId FROM TeamMembers WHERE UserId = @actor)`:
    // the database starts from the caller's team rows (IX_TeamMembers_UserId) and reads them once. A plain bool stays
    // in the SQL as `@sees OR …` for everyone, and no plan can start from the team rows behind an OR with a constant:
    // SQLite walked every account and probed its team. For those who see everything, `LIKE '%'` holds for every row.
    private string? EveryAccount => Actor.SeesEveryAccount ? "" : null;

    /// <summary>
    /// The opportunities the caller may see, for a whole-book report. For those who see every account the access filter
    /// holds for every row, so the query goes without it and without the account-only filters of the plans and accounts
    /// it joins: behind <c>LIKE '%' OR IN (…)</c> PostgreSQL could not plan a deal's plan by key and compared each deal
    /// with every plan (the compliance report: 37 ms for a page of 51 at 10,000 accounts; 3 ms without).
    /// </summary>
    public IQueryable<Opportunity> OpportunitiesInView =>
        (Actor.SeesEveryAccount ? Opportunities.IgnoreQueryFilters() : Opportunities).AsNoTracking();

    private bool IsCustomer => Actor.IsCustomer;

    private bool IsAdmin => Actor.Role == UserRole.Admin;

    private string? ActorId => Actor.UserId;

    private string? CustomerAccountId => Actor.CustomerAccountId;

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<string>().HaveMaxLength(20_000);
        configuration.Properties<decimal>().HavePrecision(18, 2);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);

        model.Entity<VerityUser>(user =>
        {
            user.Property(u => u.Id).HasMaxLength(32);
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.AccountId).HasMaxLength(32);
        });

        model.Entity<Account>(account =>
        {
            account.Property(a => a.Name).HasMaxLength(200);
            account.HasIndex(a => a.Name);
            // Renewals in date order: the portfolio lists the first few without sorting every account.
            account.HasIndex(a => new { a.RenewalDate, a.Id });
            account.Property(a => a.ExternalId).HasMaxLength(Features.Accounts.AccountInput.ExternalIdLength);
            account.Property(a => a.Industry).HasMaxLength(200);
            // Unique when set: both databases let any number of rows leave it empty (NULLs are distinct).
            account.HasIndex(a => a.ExternalId).IsUnique();
            account.HasMany(a => a.Team).WithOne().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
            account.HasQueryFilter(a => a.Id.StartsWith(EveryAccount!)
                || a.Id == CustomerAccountId
                || TeamMembers.Where(t => t.UserId == ActorId).Select(t => t.AccountId).Contains(a.Id));
        });

        model.Entity<AccountTeamMember>(member =>
        {
            member.HasKey(t => new { t.AccountId, t.UserId });
            member.HasIndex(t => t.UserId);
            member.HasOne<VerityUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Stakeholder>(s =>
        {
            s.Property(x => x.Name).HasMaxLength(200);
            s.Property(x => x.Title).HasMaxLength(200);
            s.Property(x => x.Email).HasMaxLength(320);
            s.Property(x => x.Location).HasMaxLength(200);
            s.Property(x => x.ExternalId).HasMaxLength(Features.Accounts.AccountInput.ExternalIdLength);
            s.HasIndex(x => x.ExternalId).IsUnique();
        });

        model.Entity<Opportunity>(o =>
        {
            o.Property(x => x.Name).HasMaxLength(200);
            o.Property(x => x.CspRequiredBy).HasMaxLength(32);
            o.Property(x => x.CspExceptionApprovedBy).HasMaxLength(32);
            o.Property(x => x.ExternalId).HasMaxLength(Features.Accounts.AccountInput.ExternalIdLength);
            o.HasIndex(x => x.ExternalId).IsUnique();
        });

        model.Entity<ClosePlan>(c =>
        {
            c.HasIndex(x => x.OpportunityId).IsUnique();
            c.HasOne<Opportunity>().WithMany().HasForeignKey(x => x.OpportunityId).OnDelete(DeleteBehavior.Cascade);
            c.HasMany(x => x.Elements).WithOne().HasForeignKey(e => e.ClosePlanId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ClosePlanElement>(e =>
        {
            e.Property(x => x.Key).HasMaxLength(40);
            e.HasIndex(x => new { x.ClosePlanId, x.Key }).IsUnique();
        });

        model.Entity<LifecycleCheck>(l => l.HasIndex(x => new { x.AccountId, x.Sequence }).IsUnique());

        model.Entity<Http.IdempotentRequest>(r =>
        {
            r.HasIndex(x => new { x.UserId, x.Key }).IsUnique();
            r.Property(x => x.Id).HasMaxLength(32);
            r.Property(x => x.UserId).HasMaxLength(32);
            r.Property(x => x.Key).HasMaxLength(200);
            r.Property(x => x.Path).HasMaxLength(2000);
            r.Property(x => x.BodyHash).HasMaxLength(64);
            r.Property(x => x.ContentType).HasMaxLength(200);
            r.Property(x => x.Location).HasMaxLength(2000);
        });

        model.Entity<SuccessPlan>(plan =>
        {
            plan.Property(p => p.Title).HasMaxLength(200);
            plan.Property(p => p.Template).HasMaxLength(100);
            plan.Property(p => p.AcceptedBy).HasMaxLength(32);
            plan.HasMany(p => p.Sections).WithOne().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
            // Your week: the plans one owns (reviews due, and the milestones on them nobody on the vendor side owns).
            plan.HasIndex(p => p.OwnerId);
        });

        model.Entity<PlanSection>(s =>
        {
            s.Property(x => x.Key).HasMaxLength(40);
            s.HasIndex(x => new { x.PlanId, x.Key }).IsUnique();
        });

        model.Entity<Objective>(o =>
        {
            o.Property(x => x.Title).HasMaxLength(200);
            o.Property(x => x.UseCase).HasMaxLength(200);
            o.HasIndex(x => x.PlanId);
            // The portfolio's counts: by status and stage per account read off the first (an account's verified
            // outcomes since a day are a range of it), the outcomes verified per quarter a range of the second;
            // neither touches the table.
            o.HasIndex(x => new { x.AccountId, x.OutcomeStage, x.OutcomeStageSince, x.Status });
            o.HasIndex(x => new { x.OutcomeStage, x.OutcomeStageSince, x.AccountId });
            // Your week: the objectives one owns (target dates, outcomes awaiting confirmation, unowned initiatives on them).
            o.HasIndex(x => new { x.OwnerId, x.Status });
            o.HasOne<SuccessPlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Objective>().HasMany(o => o.Confirmations).WithOne().HasForeignKey(c => c.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<Confirmation>(c => c.HasIndex(x => x.ObjectiveId));

        model.Entity<Metric>(m =>
        {
            m.Property(x => x.Name).HasMaxLength(200);
            m.Property(x => x.Unit).HasMaxLength(40);
            m.HasIndex(x => x.ObjectiveId);
            m.HasOne<Objective>().WithMany().HasForeignKey(x => x.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Measurement>(m =>
        {
            m.Property(x => x.Source).HasMaxLength(200);
            // With the id, the latest measurement (newest first, id breaking ties) is read straight off the index.
            m.HasIndex(x => new { x.MetricId, x.At, x.Id });
            m.HasOne<Metric>().WithMany().HasForeignKey(x => x.MetricId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Initiative>(i =>
        {
            i.Property(x => x.Title).HasMaxLength(200);
            i.HasIndex(x => x.ObjectiveId);
            // Overdue initiatives per account (portfolio, attention) from the index alone.
            i.HasIndex(x => new { x.AccountId, x.Status, x.DueDate });
            // Your week: the initiatives one owns that are past their date. Only owned ones: with the unowned in it, SQLite
            // answered "unowned initiatives on objectives I own" by walking every unowned overdue initiative.
            i.HasIndex(x => new { x.OwnerId, x.DueDate }).HasFilter("\"OwnerId\" IS NOT NULL");
            i.HasOne<Objective>().WithMany().HasForeignKey(x => x.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
            i.HasMany(x => x.Tasks).WithOne().HasForeignKey(t => t.InitiativeId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<InitiativeTask>(t => t.Property(x => x.Title).HasMaxLength(200));

        model.Entity<Activity>(a =>
        {
            a.Property(x => x.Summary).HasMaxLength(20_000);
            a.HasIndex(x => new { x.AccountId, x.OccurredAt });

            // A plan's or an objective's timeline, newest first, without reading the other million activities.
            a.HasIndex(x => new { x.PlanId, x.OccurredAt });
            a.HasIndex(x => new { x.ObjectiveId, x.OccurredAt });
        });

        model.Entity<AccessToken>(t =>
        {
            t.HasIndex(x => x.Hash).IsUnique();
            t.Property(x => x.Hash).HasMaxLength(64);
            t.Property(x => x.Name).HasMaxLength(200);
            t.HasOne<VerityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Mail.OutgoingMail>(m =>
        {
            m.Property(x => x.To).HasMaxLength(320);
            m.Property(x => x.Subject).HasMaxLength(300);
            m.Property(x => x.HtmlBody).HasMaxLength(200_000);
            m.Property(x => x.TextBody).HasMaxLength(200_000);
            m.HasIndex(x => new { x.Status, x.NextAttemptAt });
        });

        model.Entity<Features.Portal.PortalLink>(l =>
        {
            l.HasIndex(x => x.Hash).IsUnique();
            l.Property(x => x.Hash).HasMaxLength(64);
            l.HasOne<VerityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Features.Webhooks.WebhookSubscription>(w =>
        {
            w.Property(x => x.Id).HasMaxLength(32);
            w.Property(x => x.Url).HasMaxLength(2000);
            w.Property(x => x.EventTypes).HasMaxLength(2000);
            w.Property(x => x.Description).HasMaxLength(500);
            w.Property(x => x.Secret).HasMaxLength(100);
            w.Property(x => x.DisabledReason).HasMaxLength(500);
            w.Property(x => x.Version).IsConcurrencyToken();
            w.Ignore(x => x.Events);
        });

        model.Entity<Features.Webhooks.WebhookEvent>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.Type).HasMaxLength(60);
            e.Property(x => x.Payload).HasMaxLength(10_000_000);
            e.Ignore(x => x.Data);
        });

        model.Entity<Features.Webhooks.WebhookDelivery>(d =>
        {
            d.Property(x => x.Id).HasMaxLength(32);
            d.Property(x => x.SubscriptionId).HasMaxLength(32);
            d.Property(x => x.EventId).HasMaxLength(40);
            d.Property(x => x.Type).HasMaxLength(60);
            d.Property(x => x.LastError).HasMaxLength(2000);
            d.HasIndex(x => new { x.Status, x.NextAttemptAt });
            d.HasIndex(x => new { x.SubscriptionId, x.EventId }).IsUnique();
            d.HasOne<Features.Webhooks.WebhookSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
            d.HasOne<Features.Webhooks.WebhookEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<AccessStamp>(s =>
        {
            s.Property(x => x.Id).ValueGeneratedNever();
            s.HasData(new AccessStamp { Id = AccessStamp.Only, Version = 0 });
        });

        model.Entity<SignInFailure>(f =>
        {
            f.HasKey(x => x.Address);
            f.Property(x => x.Address).HasMaxLength(SignInFailure.MaxAddressLength);
        });

        model.Entity<UserSession>(s =>
        {
            s.Property(x => x.SecurityStamp).HasMaxLength(256);
            s.HasOne<VerityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<AuditEntry>(a =>
        {
            a.HasIndex(x => new { x.EntityId, x.At });
            a.Property(x => x.EntityType).HasMaxLength(60);
            a.Property(x => x.Action).HasMaxLength(20);
            a.Property(x => x.Changes).HasConversion(AuditChange.ListConverter).Metadata.SetValueComparer(AuditChange.ListComparer);
            // Audit rows of account-owned records follow the account; the rest are for admins only.
            a.HasQueryFilter(x => !IsCustomer && (x.AccountId == null
                ? IsAdmin
                : x.AccountId!.StartsWith(EveryAccount!) || TeamMembers.Where(t => t.UserId == ActorId).Select(t => t.AccountId).Contains(x.AccountId)));
        });

        FilterByAccount<Stakeholder>(model);
        FilterByAccount<Opportunity>(model, customersSee: false);
        FilterByAccount<SuccessPlan>(model);
        FilterByAccount<PlanSection>(model);
        FilterByAccount<Objective>(model);
        FilterByAccount<Metric>(model);
        FilterByAccount<Measurement>(model);
        FilterByAccount<Initiative>(model);
        FilterByAccount<InitiativeTask>(model);
        FilterByAccount<Confirmation>(model);
        FilterByAccount<Comment>(model);
        model.Entity<Comment>(c =>
        {
            c.Property(x => x.Body).HasMaxLength(Comment.MaxLength);
            c.HasIndex(x => new { x.PlanId, x.ObjectiveId });
        });
        model.Entity<Attachment>(a =>
        {
            a.Property(x => x.FileName).HasMaxLength(Attachment.MaxFileNameLength);
            a.Property(x => x.ContentType).HasMaxLength(100);
            a.Property(x => x.Sha256).HasMaxLength(64);
            a.Property(x => x.UploadedBy).HasMaxLength(32);
            a.Property(x => x.PlanId).HasMaxLength(32);
            a.Property(x => x.ObjectiveId).HasMaxLength(32);
            a.HasIndex(x => x.Sha256);
            a.HasIndex(x => x.PlanId);
            a.HasIndex(x => x.ObjectiveId);
            // Like the timeline: the account's customers see only the files shared with them.
            a.HasQueryFilter(x =>
                (x.AccountId.StartsWith(EveryAccount!)
                    || x.AccountId == CustomerAccountId
                    || TeamMembers.Where(t => t.UserId == ActorId).Select(t => t.AccountId).Contains(x.AccountId))
                && (!IsCustomer || x.Visibility == Visibility.Customer));
            a.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        // Findings are the team's own to-do list: customers never see them.
        FilterByAccount<Finding>(model, customersSee: false);
        model.Entity<Finding>(f =>
        {
            f.Property(x => x.Id).HasMaxLength(32);
            f.Property(x => x.AccountId).HasMaxLength(32);
            f.Property(x => x.PlanId).HasMaxLength(32);
            f.Property(x => x.ObjectiveId).HasMaxLength(32);
            f.Property(x => x.OwnerId).HasMaxLength(32);
            f.Property(x => x.DismissedBy).HasMaxLength(32);
            f.Property(x => x.Message).HasMaxLength(4000);
            f.Property(x => x.Suggestion).HasMaxLength(4000);
            f.Property(x => x.Fingerprint).HasMaxLength(4000);
            f.Property(x => x.DismissReason).HasMaxLength(2000);
            f.HasIndex(x => new { x.ObjectiveId, x.Rule });
            // One's own open findings (your week, the triage page's "mine"). Led by the owner: led by the status (three
            // values), SQLite without statistics took it for "open findings of these 20 objectives" on a plan page and
            // read every open finding in the book (390 ms at 10,000 accounts).
            f.HasIndex(x => new { x.OwnerId, x.Status });
            // Open findings per account (the portfolio, the accounts page) counted off the index, from the caller's accounts.
            f.HasIndex(x => new { x.AccountId, x.Status });
            f.HasOne<Objective>().WithMany().HasForeignKey(x => x.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Features.Triage.TriageRun>(r =>
        {
            r.Property(x => x.Id).HasMaxLength(32);
            r.Property(x => x.Period).HasMaxLength(60);
            r.HasIndex(x => x.StartedAt);
        });

        model.Entity<Jobs.JobPeriod>(p =>
        {
            p.HasKey(x => x.Key);
            p.Property(x => x.Key).HasMaxLength(60);
        });

        model.Entity<Features.Notifications.ReportLink>(l =>
        {
            l.Property(x => x.Id).HasMaxLength(32);
            l.Property(x => x.Hash).HasMaxLength(64);
            l.Property(x => x.StakeholderId).HasMaxLength(32);
            l.Property(x => x.ObjectiveId).HasMaxLength(32);
            l.Property(x => x.AccountId).HasMaxLength(32);
            l.HasIndex(x => x.Hash).IsUnique();
            // Two clicks on one link: the second finds it used (UPDATE … WHERE UsedAt IS NULL matches nothing).
            l.Property(x => x.UsedAt).IsConcurrencyToken();
            l.HasOne<Stakeholder>().WithMany().HasForeignKey(x => x.StakeholderId).OnDelete(DeleteBehavior.Cascade);
        });

        // An account's health is the team's judgement of the customer: customers never see it.
        FilterByAccount<HealthCheck>(model, customersSee: false);
        model.Entity<HealthCheck>(h =>
        {
            h.Property(x => x.AuthorId).HasMaxLength(32);
            h.HasIndex(x => new { x.AccountId, x.CheckedOn });
        });
        FilterByAccount<HealthSnapshot>(model, customersSee: false);
        model.Entity<HealthSnapshot>(h =>
        {
            h.HasKey(x => new { x.AccountId, x.TakenOn });
            h.Property(x => x.AccountId).HasMaxLength(32);
        });

        // Adoption, use cases and support counts feed the health score: the team's figures, not the customer's.
        FilterByAccount<AdoptionFigure>(model, customersSee: false);
        model.Entity<AdoptionFigure>(a =>
        {
            a.HasKey(x => new { x.AccountId, x.Feature, x.At });
            a.Property(x => x.AccountId).HasMaxLength(32);
            a.Property(x => x.Feature).HasMaxLength(200);
        });
        FilterByAccount<UseCase>(model, customersSee: false);
        model.Entity<UseCase>(u =>
        {
            u.HasKey(x => new { x.AccountId, x.Position });
            u.Property(x => x.AccountId).HasMaxLength(32);
            u.Property(x => x.Name).HasMaxLength(200);
            u.HasIndex(x => new { x.AccountId, x.Name }).IsUnique();
        });
        FilterByAccount<SupportFigure>(model, customersSee: false);
        model.Entity<SupportFigure>(f =>
        {
            f.HasKey(x => new { x.AccountId, x.At });
            f.Property(x => x.AccountId).HasMaxLength(32);
        });

        // Kept by triggers the Search migration creates (an FTS5 table on SQLite), so EF only reads it.
        model.Entity<Features.Search.SearchEntry>(e =>
        {
            e.ToTable("SearchIndex", t => t.ExcludeFromMigrations());
            e.HasKey(x => x.EntityId);
            e.HasQueryFilter(x => x.AccountId.StartsWith(EveryAccount!)
                || TeamMembers.Where(t => t.UserId == ActorId).Select(t => t.AccountId).Contains(x.AccountId));
        });

        // Templates are the house's own, not an account's: every vendor user reads them, admins change them.
        model.Entity<PlanTemplate>(t =>
        {
            t.Property(x => x.Key).HasMaxLength(40);
            t.HasIndex(x => x.Key).IsUnique();
            t.Property(x => x.Name).HasMaxLength(200);
            t.Property(x => x.Sections).HasConversion(Json<TemplateSection>(), Listed<TemplateSection>());
            t.Property(x => x.Objectives).HasConversion(Json<TemplateObjective>(), Listed<TemplateObjective>());
            t.Property(x => x.Milestones).HasConversion(Json<TemplateMilestone>(), Listed<TemplateMilestone>());
        });

        // The journey is mutual: the customer sees it in the portal.
        FilterByAccount<Milestone>(model);
        model.Entity<Milestone>(m =>
        {
            m.Property(x => x.Title).HasMaxLength(200);
            m.Property(x => x.PlanId).HasMaxLength(32);
            m.Property(x => x.OwnerId).HasMaxLength(32);
            m.Property(x => x.OwnerStakeholderId).HasMaxLength(32);
            m.Property(x => x.ObjectiveId).HasMaxLength(32);
            m.HasIndex(x => new { x.PlanId, x.DueDate });
            // Overdue milestones across a book (Your week, triage): open ones by due date.
            m.HasIndex(x => new { x.AccountId, x.Status, x.DueDate });
            // Your week: the milestones one owns that are past their date (only owned ones, as for initiatives).
            m.HasIndex(x => new { x.OwnerId, x.DueDate }).HasFilter("\"OwnerId\" IS NOT NULL");
            m.HasOne<SuccessPlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne<Objective>().WithMany().HasForeignKey(x => x.ObjectiveId).OnDelete(DeleteBehavior.SetNull);
        });

        // Meetings are the team's record (their notes are internal); customers see the timeline entry holding one writes.
        FilterByAccount<Meeting>(model, customersSee: false);
        model.Entity<Meeting>(m =>
        {
            m.Property(x => x.Title).HasMaxLength(200);
            m.Property(x => x.ScheduledBy).HasMaxLength(32);
            m.Property(x => x.ActivityId).HasMaxLength(32);
            m.HasIndex(x => new { x.AccountId, x.ScheduledFor });
            // "Meetings in the next 7 days" reads a window of days across every account the caller sees.
            m.HasIndex(x => x.ScheduledFor);
            // ... or, for one's own week, the meetings one scheduled, attends or runs the account for.
            m.HasIndex(x => new { x.ScheduledBy, x.ScheduledFor });
        });
        model.Entity<Features.Meetings.MeetingAttendee>(a =>
        {
            a.HasKey(x => new { x.UserId, x.MeetingId });
            a.Property(x => x.UserId).HasMaxLength(32);
            a.Property(x => x.MeetingId).HasMaxLength(32);
            a.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Cascade);
        });

        FilterByAccount<ClosePlan>(model, customersSee: false);
        FilterByAccount<ClosePlanElement>(model, customersSee: false);
        FilterByAccount<LifecycleCheck>(model, customersSee: false);
        model.Entity<Activity>().HasQueryFilter(a =>
            (a.AccountId.StartsWith(EveryAccount!)
                || a.AccountId == CustomerAccountId
                || TeamMembers.Where(t => t.UserId == ActorId).Select(t => t.AccountId).Contains(a.AccountId))
            && (!IsCustomer || a.Visibility == Visibility.Customer));

        foreach (var entity in model.Model.GetEntityTypes().Where(t => typeof(Entity).IsAssignableFrom(t.ClrType)))
        {
            model.Entity(entity.ClrType).Property(nameof(Entity.Id)).HasMaxLength(32);
            model.Entity(entity.ClrType).Property(nameof(Entity.Version)).IsConcurrencyToken();
            if (typeof(IAccountOwned).IsAssignableFrom(entity.ClrType))
            {
                model.Entity(entity.ClrType).Property(nameof(IAccountOwned.AccountId)).HasMaxLength(32);
                // Unless a wider index already leads with the account (it serves the same lookups).
                if (!entity.GetIndexes().Any(i => i.Properties[0].Name == nameof(IAccountOwned.AccountId)))
                {
                    model.Entity(entity.ClrType).HasIndex(nameof(IAccountOwned.AccountId));
                }
            }
        }
    }

    /// <summary>A list kept as one JSON text column, compared by value so a change to an item is saved.</summary>
    private static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<List<T>, string> Json<T>() => new(
        list => System.Text.Json.JsonSerializer.Serialize(list, JsonColumn),
        text => System.Text.Json.JsonSerializer.Deserialize<List<T>>(text, JsonColumn) ?? new List<T>());

    /// <summary>A list of records compared by value, so a change to one item is a change EF sees and saves.</summary>
    private static Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<T>> Listed<T>() => new(
        (a, b) => (a == null && b == null) || (a != null && b != null && a.SequenceEqual(b)),
        list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item == null ? 0 : item.GetHashCode())),
        list => list.ToList());

    private static readonly System.Text.Json.JsonSerializerOptions JsonColumn = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
    };

    /// <summary>An account-owned record is visible exactly when its account is.</summary>
    private void FilterByAccount<T>(ModelBuilder model, bool customersSee = true)
        where T : class, IAccountOwned
    {
        Expression<Func<T, bool>> filter = customersSee
            ? x => x.AccountId.StartsWith(EveryAccount!)
                || x.AccountId == CustomerAccountId
                || TeamMembers.Where(t => t.UserId == ActorId).Select(t => t.AccountId).Contains(x.AccountId)
            : x => x.AccountId.StartsWith(EveryAccount!)
                || TeamMembers.Where(t => t.UserId == ActorId).Select(t => t.AccountId).Contains(x.AccountId);
        model.Entity<T>().HasQueryFilter(filter);
        model.Entity<T>().HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SqliteVerityDb(DbContextOptions<SqliteVerityDb> options) : VerityDb(options);

public sealed class PostgresVerityDb(DbContextOptions<PostgresVerityDb> options) : VerityDb(options);
