using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;

namespace Verity.Cli;

/// <summary>
/// A realistic book of business to explore: accounts in every segment, plans whose objectives come from
/// the seeds' verifiable-outcome examples, months of measurements, initiatives, stakeholders and a timeline.
/// </summary>
public static class DemoData
{
    public const string Password = "verity-demo-2026";
    public const string Marker = "Northwind Logistics";

    /// <summary>The demo's own people sign in with addresses at this domain.</summary>
    public const string UserDomain = "@demo.verity";

    /// <summary>The demo's accounts, by name.</summary>
    public static readonly string[] AccountNames = [Marker, "Contoso Health", "Fabrikam Retail", "Tailspin Studios"];

    public static async Task LoadAsync(IServiceProvider root, CancellationToken cancellationToken)
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var address = Mail.Outbox.PublicAddress(services.GetRequiredService<IConfiguration>());
        await using var db = services.CreateSystemContext();
        if (await db.Accounts.AnyAsync(a => a.Name == Marker, cancellationToken))
        {
            var loaded = await db.Plans.Where(p => p.Title.StartsWith(Marker)).Select(p => p.Id).FirstAsync(cancellationToken);
            PrintHowToSignIn("The demo data set is already loaded.", loaded, address);
            return;
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var users = services.GetRequiredService<UserManager<VerityUser>>();
        var people = new Dictionary<string, VerityUser>();
        var agreed = new Dictionary<Objective, List<SmartMetric>>();
        foreach (var (key, name, role) in new[]
        {
            ("admin", "Avery Admin", UserRole.Admin),
            ("director", "Dana Director", UserRole.Director),
            ("manager", "Morgan Manager", UserRole.Manager),
            ("ae", "Alex Executive", UserRole.AccountExecutive),
            ("sa", "Sam Architect", UserRole.SolutionsArchitect),
            ("csm", "Casey Success", UserRole.CustomerSuccessManager),
            ("csm2", "Jordan Success", UserRole.CustomerSuccessManager),
            ("ie", "Ingrid Engineer", UserRole.ImplementationEngineer),
        })
        {
            var user = new VerityUser { UserName = key + UserDomain, Email = key + UserDomain, DisplayName = name, Role = role };
            var created = await users.CreateAsync(user, Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            }

            people[key] = user;
        }

        var northwind = Account(Marker, Segment.Strategic, 12_000, focus: true,
            "Global freight and logistics group; 40 engineering teams across three continents.",
            "Self-managed Jenkins, Bitbucket and a home-grown release tool; Kubernetes on two clouds.",
            "Jenkins, Bitbucket, Jira, ServiceNow", "Monthly steering call; Slack Connect channel for day-to-day questions.");
        var contoso = Account("Contoso Health", Segment.Large, 2_400, focus: false,
            "Regional healthcare provider modernising patient-facing applications.",
            "Azure, .NET services, regulated change windows.", "Azure DevOps, ServiceNow", "Fortnightly cadence call with the platform lead.");
        var fabrikam = Account("Fabrikam Retail", Segment.MidMarket, 450, focus: false,
            "Online and in-store retailer with a central platform team.", "AWS, monorepo, GitHub Actions.", "GitHub, Jira", "Email first; quarterly review.");
        var tailspin = Account("Tailspin Studios", Segment.Smb, 60, focus: false,
            "Independent game studio shipping on three platforms.", "Perforce for assets, Git for code.", "Perforce, Trello", "Async updates by email.");
        db.Accounts.AddRange(northwind, contoso, fabrikam, tailspin);
        Commercial(northwind, 1_850_000m, today.AddDays(75), "0015g00000NwNDaAAN", "Transportation & logistics", 38_000);
        Commercial(contoso, 640_000m, today.AddDays(160), "0015g00000CtSoAAAV", "Healthcare", 9_500);
        Commercial(fabrikam, 96_000m, today.AddDays(40), "0015g00000FbRtAAAV", "Retail", 1_200);
        Commercial(tailspin, 18_000m, today.AddDays(290), null, "Media & entertainment", 85);

        Team(northwind, (people["ae"], TeamRole.AccountExecutive), (people["sa"], TeamRole.SolutionsArchitect),
            (people["csm"], TeamRole.CustomerSuccessManager), (people["ie"], TeamRole.ImplementationEngineer));
        Team(contoso, (people["ae"], TeamRole.AccountExecutive), (people["csm"], TeamRole.CustomerSuccessManager));
        Team(fabrikam, (people["sa"], TeamRole.SolutionsArchitect), (people["csm2"], TeamRole.CustomerSuccessManager));
        Team(tailspin, (people["csm2"], TeamRole.CustomerSuccessManager));

        var sponsor = Stakeholder(northwind, "Priya Raman", "VP Engineering", StakeholderRole.ExecutiveSponsor, "Rotterdam");
        var champion = Stakeholder(northwind, "Tom Okafor", "Platform Lead", StakeholderRole.TechnicalChampion, "London");
        var buyer = Stakeholder(northwind, "Lena Fischer", "CFO", StakeholderRole.EconomicBuyer, "Hamburg");
        var owner = Stakeholder(northwind, "Marco Silva", "Release Manager", StakeholderRole.ProcessOwner, "Lisbon");
        var contosoSponsor = Stakeholder(contoso, "Grace Kim", "CTO", StakeholderRole.ExecutiveSponsor, "Seattle");
        var contosoChampion = Stakeholder(contoso, "Omar Haddad", "DevOps Manager", StakeholderRole.TechnicalChampion, "Seattle");
        var fabrikamChampion = Stakeholder(fabrikam, "Ruth Nakamura", "Head of Platform", StakeholderRole.TechnicalChampion, "Austin");
        Stakeholder(tailspin, "Ben Carter", "Technical Director", StakeholderRole.ExecutiveSponsor, "Bristol");
        // The sponsors of the two plans shared with the customer get the monthly report (verity digests send monthly).
        sponsor.ReceivesMonthlyReport = true;
        contosoSponsor.ReceivesMonthlyReport = true;
        db.Stakeholders.AddRange(
            new Stakeholder { AccountId = northwind.Id, Name = "Sam Architect", Title = "Solutions Architect", Side = StakeholderSide.Vendor, Role = StakeholderRole.SolutionsArchitect },
            new Stakeholder { AccountId = northwind.Id, Name = "Casey Success", Title = "Customer Success Manager", Side = StakeholderSide.Vendor, Role = StakeholderRole.CustomerSuccessManager });

        // Northwind: the seeds' four verifiable outcomes, measured over six months.
        var northwindPlan = Plan(northwind, "Northwind Logistics — Mutual Success Plan", PlanTemplates.Mutual, PlanStatus.CustomerAccepted,
            people["csm"], today.AddDays(-21), new()
            {
                ["companyBackground"] = "Global freight and logistics group moving 4M shipments a month; software is how they compete on delivery promises.",
                ["whatWeHeard"] = "Releases are **slow and risky**:\n\n- two deployments a week, *four hours* each\n- fifteen manual steps in the runbook\n- one release in seven fails\n\nFrom the discovery call notes: [release retrospective](https://example.com/northwind/retro).",
                ["keyStakeholders"] = "| Who | Role | Stake |\n|---|---|---|\n| Priya Raman | VP Engineering | Sponsor |\n| Tom Okafor | Platform lead | Champion |\n| Lena Fischer | CFO | Economic buyer |\n| Marco Silva | Release manager | Process owner |",
                ["businessOutcomes"] = "Ship customer-facing changes five times faster with fewer incidents, so new delivery options reach customers in weeks, not quarters.",
                ["adoptionJourney"] = "30 days: pilot team on CI/CD. 60 days: release tooling retired for pilot. 90 days: 10 teams onboarded. 6 months: all teams. 12 months: security scanning everywhere.",
            });
        var frequency = Objective(northwindPlan, 1, "Increase deployment frequency from 2 to 10 per week",
            "Time to market improved by 5x", "10 production deployments per week, sustained for a month", champion, sponsor);
        var duration = Objective(northwindPlan, 2, "Reduce average deployment time from 4 hours to 20 minutes",
            "75% reduction in deployment time across 40 projects, saving an estimated 3,000 engineer hours a year",
            "Median deployment under 20 minutes across all pipelines", owner);
        var steps = Objective(northwindPlan, 3, "Reduce manual release steps from 15 to 2",
            "Fewer release errors and a release process new engineers can run", "No more than 2 manual steps in the release runbook", owner);
        var successRate = Objective(northwindPlan, 4, "Raise deployment success rate from 85% to 99.5%",
            "Fewer customer-facing incidents caused by releases", "99.5% of deployments succeed without rollback over a quarter", champion);

        var start = today.AddMonths(-6);
        Metric(frequency, "Deployment frequency", "deployments/week", MetricDirection.Increase, 2, start, 10, today.AddMonths(3), [2, 3, 4, 5, 6, 7]);
        Metric(duration, "Average deployment time", "minutes", MetricDirection.Decrease, 240, start, 20, today.AddMonths(1), [240, 180, 120, 75, 45, 35]);
        Metric(steps, "Manual release steps", "steps", MetricDirection.Decrease, 15, start, 2, today.AddMonths(2), [15, 12, 9, 7, 5, 4]);
        Metric(successRate, "Deployment success rate", "%", MetricDirection.Increase, 85, start, 99.5, today.AddMonths(4), [85, 88, 91, 93, 95, 96.5]);

        Initiative(frequency, "Pilot CI/CD for the booking service", InitiativeKind.Implementation, InitiativeStatus.Done, today.AddMonths(-4), people["ie"], null,
            ["Import repositories", "Build pipeline templates", "Run the first production deployment"]);
        Initiative(frequency, "Roll out pipeline templates to ten teams", InitiativeKind.Enablement, InitiativeStatus.InProgress, today.AddDays(30), people["csm"], null,
            ["Template workshop", "Office hours for team leads"]);
        Initiative(duration, "Migrate release jobs off Jenkins", InitiativeKind.Migration, InitiativeStatus.InProgress, today.AddDays(45), null, owner,
            ["Inventory release jobs", "Move the top 20 jobs", "Retire the Jenkins controllers"]);
        Initiative(steps, "Automate change tickets in ServiceNow", InitiativeKind.Integration, InitiativeStatus.Blocked, today.AddDays(-5), people["ie"], null,
            ["Agree the change model with the CAB"]);
        Initiative(successRate, "Canary deployments for customer-facing services", InitiativeKind.ChangeManagement, InitiativeStatus.NotStarted, today.AddDays(75), null, champion, []);

        // Contoso: a large account mid-way, one qualitative objective.
        var contosoPlan = Plan(contoso, "Contoso Health — Mutual Success Plan", PlanTemplates.Mutual, PlanStatus.SharedWithCustomer,
            people["csm"], today.AddDays(-50), new()
            {
                ["companyBackground"] = "Healthcare provider with 30 clinics; the patient app is the front door.",
                ["businessOutcomes"] = "Pass the annual audit with evidence produced from the toolchain, not spreadsheets.",
            });
        var singleApp = Objective(contosoPlan, 1, "Migrate to a single DevOps application by the end of Q2",
            "One audit trail for every change; two tools retired", "All 25 repositories and pipelines run on the platform; the old tools are switched off",
            contosoChampion, contosoSponsor);
        singleApp.Kind = ObjectiveKind.Qualitative;
        var leadTime = Objective(contosoPlan, 2, "Cut lead time for changes from 12 days to 3 days",
            "Clinical fixes reach patients within a sprint", "Median lead time under 3 days for a quarter", contosoChampion);
        Metric(leadTime, "Lead time for changes", "days", MetricDirection.Decrease, 12, today.AddMonths(-4), 3, today.AddMonths(4), [12, 11, 9, 8]);
        Initiative(singleApp, "Move pipelines from Azure DevOps", InitiativeKind.Migration, InitiativeStatus.InProgress, today.AddDays(60), people["csm"], null,
            ["Pilot two repositories", "Migrate the remaining 23"]);

        // Fabrikam: a commercial plan still in draft.
        var fabrikamPlan = Plan(fabrikam, "Fabrikam Retail — Success Plan", PlanTemplates.Commercial, PlanStatus.Draft, people["sa"], null, new()
        {
            ["whatWeHeard"] = "Checkout incidents during peak season cost them revenue; they want safer releases before Black Friday.",
        });
        var incidents = Objective(fabrikamPlan, 1, "Reduce release-related checkout incidents from 6 to 1 per quarter",
            "Protects peak-season revenue", "At most one release-related checkout incident in Q4", fabrikamChampion);
        Metric(incidents, "Release-related checkout incidents", "per quarter", MetricDirection.Decrease, 6, today.AddMonths(-3), 1, today.AddMonths(3), [6, 4]);

        // Opportunities, from a renewal to a new strategic deal.
        var expansion = new Opportunity { AccountId = northwind.Id, Name = "Northwind — platform expansion", Type = OpportunityType.Growth, Stage = OpportunityStage.Proposal, NetArr = 450_000, SaValidatedTechEval = true, SuccessPlanId = northwindPlan.Id };
        var closePlan = new ClosePlan { AccountId = northwind.Id, OpportunityId = expansion.Id };
        closePlan.SetElements(new Dictionary<string, (string?, string?)>
        {
            ["companyBackground"] = ("Global freight and logistics group; 40 engineering teams.", "Parent company is consolidating vendors next year."),
            ["whatWeHeard"] = ("Releases are slow and risky; the release manager runs fifteen manual steps.", "Tom is our champion but has little budget authority."),
            ["keyStakeholders"] = ("Priya Raman (sponsor), Tom Okafor (champion), Lena Fischer (economic buyer).", "Lena is sceptical after a failed tools project in 2024."),
            ["businessOutcomes"] = ("Ship customer-facing changes five times faster with fewer incidents.", ""),
            ["technicalEvaluation"] = ("Two-week proof of value on the booking service: pipeline templates, canary deploys.", "Competitor is also in the evaluation."),
            ["valueOutcomeMap"] = ("Deployment frequency 2 → 10 per week; deployment time 4 h → 20 min.", ""),
            ["economicsPricing"] = ("450k net ARR over three years; 10% multi-year discount approved.", "Floor is 7% discount; do not go lower without the VP."),
        });
        db.ClosePlans.Add(closePlan);
        db.Opportunities.AddRange(
            expansion,
            new Opportunity { AccountId = contoso.Id, Name = "Contoso — security add-on", Type = OpportunityType.Growth, Stage = OpportunityStage.TechnicalEvaluation, NetArr = 320_000, SuccessPlanId = contosoPlan.Id },
            new Opportunity { AccountId = fabrikam.Id, Name = "Fabrikam — premium upgrade", Type = OpportunityType.New, Stage = OpportunityStage.Scoping, NetArr = 85_000 },
            new Opportunity { AccountId = tailspin.Id, Name = "Tailspin — annual renewal", Type = OpportunityType.Renewal, Stage = OpportunityStage.Negotiating, NetArr = 24_000 });

        // Where each objective stands, moved by the same rules the API applies.
        Advance(frequency, OutcomeStage.Accepted);
        Advance(duration, OutcomeStage.Delivered);
        Advance(steps, OutcomeStage.Accepted);
        Advance(successRate, OutcomeStage.Accepted);
        Advance(singleApp, OutcomeStage.Accepted);
        Advance(leadTime, OutcomeStage.Proposed);

        var audit = Objective(contosoPlan, 3, "Cut audit evidence preparation from 15 days to 2 days",
            "The annual audit no longer takes the platform team off roadmap work", "Evidence for the audit produced in 2 days or less", contosoSponsor);
        Metric(audit, "Audit evidence preparation", "days", MetricDirection.Decrease, 15, today.AddMonths(-5), 2, today.AddDays(-14), [15, 10, 6, 3, 2]);
        Advance(audit, OutcomeStage.Delivered);
        audit.Confirmations.Add(new Confirmation
        {
            AccountId = contoso.Id,
            ObjectiveId = audit.Id,
            StakeholderId = contosoSponsor.Id,
            ConfirmedAt = clock.GetUtcNow().UtcDateTime.AddDays(-12),
            Statement = "Our auditors had every piece of evidence within two days this year, down from three weeks. — Grace Kim, CTO",
            RecordedBy = people["csm"].Id,
        });
        audit.MoveTo(OutcomeStage.Verified, "Confirmed by Grace after the audit closed", agreed[audit], today);
        audit.MoveTo(ObjectiveStatus.ClosedSuccess, null);

        // Outcomes verified in earlier quarters, so the portfolio has a quarter-over-quarter story to tell.
        foreach (var (plan, invested, title, impact, unit, baseline, target, monthsAgo) in new[]
        {
            (northwindPlan, sponsor, "Move the 10 pilot teams onto shared pipelines", "Pilot teams release without the central release desk", "teams", 0.0, 10.0, 16),
            (northwindPlan, sponsor, "Cut the pilot teams' release time from 10 days to 3", "Pilot features reach customers a week sooner", "days", 10.0, 3.0, 11),
            (contosoPlan, contosoSponsor, "Bring change-window approvals from 5 days to 1", "Fixes ship inside the regulated change windows", "days", 5.0, 1.0, 8),
            (northwindPlan, sponsor, "Retire the legacy release tool for the pilot", "One release path to audit and support", "tools", 3.0, 1.0, 5),
            (contosoPlan, contosoSponsor, "Onboard 12 clinical app teams to the platform", "Clinical apps follow the same controls", "teams", 0.0, 12.0, 2),
        })
        {
            var verifiedOn = today.AddMonths(-monthsAgo);
            var earlier = Objective(plan, 9, title, impact, $"{title} by {verifiedOn:yyyy-MM-dd}, confirmed in writing", invested);
            earlier.TargetDate = verifiedOn;
            Metric(earlier, title, unit, target > baseline ? MetricDirection.Increase : MetricDirection.Decrease, baseline, verifiedOn.AddMonths(-4), target, verifiedOn,
                [baseline, baseline + ((target - baseline) / 3), baseline + (2 * (target - baseline) / 3), target]);
            // Accepted when the work started, months before it was verified, as it happened.
            earlier.MoveTo(ObjectiveStatus.WorkInProgress, null);
            for (var next = OutcomeStage.Accepted; next <= OutcomeStage.Delivered; next++)
            {
                earlier.MoveTo(next, null, agreed[earlier], verifiedOn.AddMonths(next == OutcomeStage.Delivered ? -1 : -4));
            }

            earlier.Confirmations.Add(new Confirmation
            {
                AccountId = earlier.AccountId,
                ObjectiveId = earlier.Id,
                StakeholderId = invested.Id,
                ConfirmedAt = verifiedOn.ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc),
                Statement = $"We confirm this is reached: {char.ToLowerInvariant(impact[0])}{impact[1..]}.",
                RecordedBy = people["csm"].Id,
            });
            earlier.MoveTo(OutcomeStage.Verified, "Confirmed in writing", agreed[earlier], verifiedOn);
            earlier.MoveTo(ObjectiveStatus.ClosedSuccess, null);
        }

        // Deals closed this year: Northwind (outcomes verified) renewed and grew; Fabrikam (none) renewed smaller elsewhere.
        db.Opportunities.AddRange(
            new Opportunity { AccountId = northwind.Id, Name = "Northwind — 2026 renewal", Type = OpportunityType.Renewal, Stage = OpportunityStage.ClosedWon, NetArr = 1_600_000 },
            new Opportunity { AccountId = northwind.Id, Name = "Northwind — analytics add-on", Type = OpportunityType.Growth, Stage = OpportunityStage.ClosedWon, NetArr = 250_000 },
            new Opportunity { AccountId = fabrikam.Id, Name = "Fabrikam — 2026 renewal of the analytics tier", Type = OpportunityType.Renewal, Stage = OpportunityStage.ClosedLost, NetArr = 30_000 });

        var now = clock.GetUtcNow().UtcDateTime;
        // Meetings: the kick-off and the last business review held (each on the timeline), the next ones in the calendar.
        var hour = new TimeOnly(15, 0);
        var kickoff = Meeting(northwind, MeetingKind.Kickoff, "Kick-off with the platform team", today.AddMonths(-6).ToDateTime(hour, DateTimeKind.Utc),
            [people["ae"], people["sa"], people["csm"], people["ie"]], [sponsor, champion, owner], []);
        Held(kickoff,
            "Start with the booking service as the pilot. Measure deployment frequency, deployment time, manual steps and success rate from today's baseline.",
            "Ingrid imports the pilot repositories. Tom names two pilot teams. Casey books the first cadence call.",
            "Tom is keen; Marco worries the release tooling change lands on his team. Lena did not join: win her over with numbers.");
        var review = Meeting(northwind, MeetingKind.BusinessReview, "Q3 business review", today.AddDays(-21).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc),
            [people["ae"], people["csm"]], [sponsor, buyer, champion], []);
        Held(review,
            "Deployment frequency tripled since the kick-off: keep the ten-team template rollout. The CFO asked for the hours-saved estimate.",
            "Casey sends Lena the hours-saved estimate before the renewal talks. Tom unblocks template access for the two waiting teams.",
            "Lena still sceptical about the tools budget; Priya is our ally. Renewal conversation starts in a month.");
        Meeting(northwind, MeetingKind.CadenceCall, "Template rollout", today.AddDays(2).ToDateTime(hour, DateTimeKind.Utc),
            [people["csm"], people["ie"]], [champion, owner], [frequency, steps]);
        Meeting(northwind, MeetingKind.BusinessReview, "Renewal business review", today.AddDays(24).ToDateTime(hour, DateTimeKind.Utc),
            [people["ae"], people["csm"]], [sponsor, buyer], []);
        Meeting(contoso, MeetingKind.ExecCheckIn, "Check-in with Grace", today.AddDays(5).ToDateTime(new TimeOnly(16, 30), DateTimeKind.Utc),
            [people["ae"], people["csm"]], [contosoSponsor], [singleApp]);
        Activity(northwind, northwindPlan, frequency, ActivityType.CadenceCall, now.AddDays(-7), "Cadence call: seven deployments last week; two teams waiting on template access.", Visibility.Customer, people["csm"],
            [people["csm"], people["ie"]], [champion, owner]);
        Activity(northwind, northwindPlan, steps, ActivityType.Note, now.AddDays(-4), "ServiceNow integration blocked on the CAB's change model; escalate through Priya if not unblocked by Friday.", Visibility.Internal, people["csm"]);
        Activity(northwind, northwindPlan, null, ActivityType.HealthCheck, now.AddDays(-14), "Health check: adoption 62%, sentiment positive, one P2 support ticket open.", Visibility.Internal, people["csm"]);
        HealthCheck(northwind, -104, 41, Sentiment.Neutral, HealthGrade.Yellow, "Template access held up by the platform team's ticket queue.", "Most teams still on the old release tool.");
        HealthCheck(northwind, -45, 55, Sentiment.Positive, HealthGrade.Yellow, "Two teams waiting on template access.", null);
        HealthCheck(northwind, -14, 62, Sentiment.Positive, HealthGrade.Green, "One P2 support ticket open.", "Priya wants the hours-saved estimate before the renewal.");
        HealthCheck(contoso, -30, 48, Sentiment.Neutral, HealthGrade.Yellow, "Regulated change windows slow every rollout.", null);
        HealthCheck(fabrikam, -60, 22, Sentiment.Negative, HealthGrade.Red, "Champion left; nobody owns the rollout.", "Find a new champion before the renewal.");
        // Northwind's adoption by feature, the first of each month for six months: pipelines took off, templates lag.
        var firstOfMonth = new DateOnly(today.Year, today.Month, 1);
        foreach (var (feature, licensed, active) in new[]
        {
            ("Pipelines", 400, new[] { 120, 160, 210, 250, 290, 310 }),
            ("Pipeline templates", 400, new[] { 20, 35, 60, 90, 120, 150 }),
            ("Deployment analytics", 60, new[] { 10, 18, 25, 31, 38, 44 }),
        })
        {
            for (var month = 0; month < active.Length; month++)
            {
                db.AdoptionFigures.Add(new AdoptionFigure
                {
                    AccountId = northwind.Id, Feature = feature, At = firstOfMonth.AddMonths(month - active.Length + 1), LicensedUsers = licensed, ActiveUsers = active[month],
                });
            }
        }

        db.UseCases.AddRange(
            new UseCase { AccountId = northwind.Id, Position = 0, Name = "Automated releases for the routing services", Stage = UseCaseStage.Production },
            new UseCase { AccountId = northwind.Id, Position = 1, Name = "Change approvals through ServiceNow", Stage = UseCaseStage.Piloting });
        db.SupportFigures.AddRange(
            new SupportFigure { AccountId = northwind.Id, At = today.AddDays(-44), Open = 6, Closed = 31, Critical = 1, EnhancementRequests = 3 },
            new SupportFigure { AccountId = northwind.Id, At = today.AddDays(-14), Open = 3, Closed = 38, Critical = 0, EnhancementRequests = 5 });

        // The score as it stood a month and two ago, so the trend has something to compare with.
        foreach (var (account, daysAgo, score, grade) in new[]
        {
            (northwind, 60, 52, HealthGrade.Yellow), (northwind, 30, 61, HealthGrade.Yellow),
            (contoso, 30, 58, HealthGrade.Yellow), (fabrikam, 30, 41, HealthGrade.Yellow),
        })
        {
            db.HealthSnapshots.Add(new HealthSnapshot { AccountId = account.Id, TakenOn = today.AddDays(-daysAgo), Score = score, Grade = grade });
        }
        Activity(contoso, contosoPlan, singleApp, ActivityType.Meeting, now.AddDays(-10), "Migration working session with Omar: two pilot repositories moved.", Visibility.Customer, people["csm"],
            [people["csm"]], [contosoChampion]);
        Activity(fabrikam, fabrikamPlan, null, ActivityType.Call, now.AddDays(-3), "Discovery call on peak-season release risk.", Visibility.Internal, people["sa"],
            [people["sa"]], [fabrikamChampion]);
        Activity(tailspin, null, null, ActivityType.Email, now.AddDays(-30), "Renewal reminder sent to Ben.", Visibility.Customer, people["csm2"]);

        await db.SaveChangesAsync(cancellationToken);

        var customer = new VerityUser
        {
            UserName = "priya@northwind.example",
            Email = "priya@northwind.example",
            DisplayName = "Priya Raman",
            Role = UserRole.Customer,
            AccountId = northwind.Id,
            StakeholderId = sponsor.Id,
        };
        await users.CreateAsync(customer, Password);

        // The plan is mutual: both sides talk in it.
        db.Comments.AddRange(
            new Comment
            {
                AccountId = northwind.Id,
                PlanId = northwindPlan.Id,
                AuthorId = customer.Id,
                Side = StakeholderSide.Customer,
                Body = "Our board asks whether the **release-time** numbers include the hotfix lane. Can we show both?",
                CreatedAt = now.AddDays(-3),
            },
            new Comment
            {
                AccountId = northwind.Id,
                PlanId = northwindPlan.Id,
                AuthorId = people["csm"].Id,
                Side = StakeholderSide.Vendor,
                Body = "They do not yet. We will add the hotfix lane as its own metric before the next business review.",
                CreatedAt = now.AddDays(-2),
            });
        await db.SaveChangesAsync(cancellationToken);

        // Northwind's plan began 75 days ago: the journey since then, with owners on both sides and one step that slipped.
        var began = today.AddDays(-75);
        await db.Plans.Where(p => p.Id == northwindPlan.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.CreatedAt, began.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc)), cancellationToken);
        foreach (var (horizon, title, day, ownerId, stakeholderId, status, serves) in new (MilestoneHorizon, string, int, string?, string?, MilestoneStatus, Objective?)[]
        {
            (MilestoneHorizon.Days30, "Kick-off held; baselines agreed with Priya", 10, people["csm"].Id, null, MilestoneStatus.Done, null),
            (MilestoneHorizon.Days30, "Pilot team releases through the shared pipeline", 28, null, champion.Id, MilestoneStatus.Done, frequency),
            (MilestoneHorizon.Days60, "Release tooling retired for the pilot teams", 50, people["ie"].Id, null, MilestoneStatus.Done, duration),
            (MilestoneHorizon.Days60, "Change approvals flow through ServiceNow", 55, null, owner.Id, MilestoneStatus.Planned, steps),
            (MilestoneHorizon.Days90, "Ten teams onboarded to the templates", 88, people["csm"].Id, null, MilestoneStatus.InProgress, frequency),
            (MilestoneHorizon.Months6, "Every team deploys through the platform", 175, null, champion.Id, MilestoneStatus.Planned, null),
            (MilestoneHorizon.Months12, "Security scanning in every pipeline; renewal business case signed", 350, people["ae"].Id, null, MilestoneStatus.Planned, null),
        })
        {
            db.Milestones.Add(new Milestone
            {
                AccountId = northwind.Id, PlanId = northwindPlan.Id, Title = title, Horizon = horizon, DueDate = began.AddDays(day),
                OwnerId = ownerId, OwnerStakeholderId = stakeholderId, Status = status, ObjectiveId = serves?.Id,
            });
        }

        await db.SaveChangesAsync(cancellationToken);

        // Today's health score of every account, so the portfolio's health mix has a day to stand on before the daily job runs.
        await Features.Health.HealthReads.SnapshotAllAsync(services, today, cancellationToken);
        PrintHowToSignIn("Loaded the demo data set: 4 accounts, 3 plans, 13 objectives with months of measurements, five of them verified over the past 16 months, meetings held and to come.", northwindPlan.Id, address);

        Account Account(string name, Segment segment, int potentialUsers, bool focus, string background, string environment, string tools, string communication) => new()
        {
            Name = name,
            Segment = segment,
            PotentialUsers = potentialUsers,
            IsFocusAccount = focus,
            Background = background,
            Environment = environment,
            Tools = tools,
            CommunicationPreferences = communication,
        };

        Meeting Meeting(Account account, MeetingKind kind, string title, DateTime at, VerityUser[] ours, Stakeholder[] theirs, Objective[] about)
        {
            var meeting = new Meeting
            {
                AccountId = account.Id,
                Kind = kind,
                Title = title,
                ScheduledFor = at,
                AttendeeUserIds = [.. ours.Select(u => u.Id)],
                AttendeeStakeholderIds = [.. theirs.Select(t => t.Id)],
                ObjectiveIds = [.. about.Select(o => o.Id)],
                ScheduledBy = people["csm"].Id,
            };
            db.Meetings.Add(meeting);
            return meeting;
        }

        void Held(Meeting meeting, string decisions, string nextSteps, string notes)
        {
            meeting.SetHeldOn(DateOnly.FromDateTime(meeting.ScheduledFor));
            meeting.Decisions = decisions;
            meeting.NextSteps = nextSteps;
            meeting.Notes = notes;
            var activity = new Activity
            {
                AccountId = meeting.AccountId,
                Type = meeting.ActivityType,
                OccurredAt = meeting.HeldAt!.Value,
                Summary = Features.Meetings.MeetingEndpoints.TimelineSummary(meeting),
                Visibility = Visibility.Customer,
                AuthorId = people["csm"].Id,
            };
            db.Activities.Add(activity);
            meeting.Recorded(activity.Id);
        }

        void HealthCheck(Account account, int daysAgo, int adoption, Sentiment sentiment, HealthGrade overall, string? barriers, string? notes) =>
            db.HealthChecks.Add(new HealthCheck
            {
                AccountId = account.Id,
                CheckedOn = today.AddDays(daysAgo),
                Adoption = adoption,
                Sentiment = sentiment,
                Overall = overall,
                Barriers = barriers,
                Notes = notes,
                AuthorId = (account == fabrikam || account == tailspin ? people["csm2"] : people["csm"]).Id,
            });

        static void Commercial(Account account, decimal arr, DateOnly renewal, string? crmId, string industry, int employees)
        {
            account.Arr = arr;
            account.RenewalDate = renewal;
            account.ExternalId = crmId;
            account.Industry = industry;
            account.Employees = employees;
        }

        void Advance(Objective objective, OutcomeStage stage)
        {
            objective.MoveTo(ObjectiveStatus.WorkInProgress, null);
            for (var next = OutcomeStage.Accepted; next <= stage; next++)
            {
                objective.MoveTo(next, null, agreed.GetValueOrDefault(objective, []), today);
            }
        }

        void Team(Account account, params (VerityUser User, TeamRole Role)[] members)
        {
            foreach (var (user, role) in members)
            {
                account.Team.Add(new AccountTeamMember { AccountId = account.Id, UserId = user.Id, Role = role });
            }
        }

        Stakeholder Stakeholder(Account account, string name, string title, StakeholderRole role, string location)
        {
            var stakeholder = new Stakeholder
            {
                AccountId = account.Id,
                Name = name,
                Title = title,
                Email = $"{name.Split(' ')[0].ToLowerInvariant()}@{account.Name.Split(' ')[0].ToLowerInvariant()}.example",
                Location = location,
                Side = StakeholderSide.Customer,
                Role = role,
            };
            db.Stakeholders.Add(stakeholder);
            return stakeholder;
        }

        SuccessPlan Plan(Account account, string title, string template, PlanStatus status, VerityUser planOwner, DateOnly? reviewed, Dictionary<string, string?> sections)
        {
            var plan = new SuccessPlan
            {
                AccountId = account.Id,
                Title = title,
                Template = template,
                Status = status,
                OwnerId = planOwner.Id,
                ReviewCadenceDays = 30,
                LastReviewedAt = reviewed,
            };
            plan.SetSections(sections);
            db.Plans.Add(plan);
            return plan;
        }

        Objective Objective(SuccessPlan plan, int priority, string title, string impact, string criteria, params Stakeholder[] invested)
        {
            var objective = new Objective
            {
                AccountId = plan.AccountId,
                PlanId = plan.Id,
                Title = title,
                Priority = priority,
                Kind = ObjectiveKind.Quantitative,
                OwnerId = people["csm"].Id,
                StakeholderIds = invested.Select(s => s.Id).ToList(),
                SuccessCriteria = criteria,
                BusinessImpact = impact,
                TargetDate = today.AddMonths(3),
                LastValidatedAt = today.AddDays(-20),
            };
            db.Objectives.Add(objective);
            return objective;
        }

        void Metric(Objective objective, string name, string unit, MetricDirection direction, double baseline, DateOnly baselineAt,
            double target, DateOnly targetBy, double[] monthly)
        {
            agreed[objective] = [.. agreed.GetValueOrDefault(objective, []), new SmartMetric(name, direction, baseline, target, unit)];
            var metric = new Metric
            {
                AccountId = objective.AccountId,
                ObjectiveId = objective.Id,
                Name = name,
                Unit = unit,
                Direction = direction,
                BaselineValue = baseline,
                BaselineAt = baselineAt,
                TargetValue = target,
                TargetBy = targetBy,
            };
            db.Metrics.Add(metric);
            for (var i = 0; i < monthly.Length; i++)
            {
                db.Measurements.Add(new Measurement
                {
                    AccountId = objective.AccountId,
                    MetricId = metric.Id,
                    Value = monthly[i],
                    At = baselineAt.AddMonths(i),
                    Source = i == 0 ? "baseline workshop" : "pipeline analytics",
                });
            }
        }

        void Initiative(Objective objective, string title, InitiativeKind kind, InitiativeStatus status, DateOnly due,
            VerityUser? ownerUser, Stakeholder? ownerStakeholder, string[] tasks)
        {
            var initiative = new Initiative
            {
                AccountId = objective.AccountId,
                ObjectiveId = objective.Id,
                Title = title,
                Kind = kind,
                Status = status,
                DueDate = due,
                OwnerId = ownerUser?.Id,
                OwnerStakeholderId = ownerStakeholder?.Id,
            };
            for (var i = 0; i < tasks.Length; i++)
            {
                initiative.Tasks.Add(new InitiativeTask
                {
                    AccountId = objective.AccountId,
                    InitiativeId = initiative.Id,
                    Title = tasks[i],
                    Position = i,
                    Done = status == InitiativeStatus.Done || i == 0 && status == InitiativeStatus.InProgress,
                });
            }

            db.Initiatives.Add(initiative);
        }

        void Activity(Account account, SuccessPlan? plan, Objective? objective, ActivityType type, DateTime at, string summary,
            Visibility visibility, VerityUser author, VerityUser[]? ours = null, Stakeholder[]? theirs = null) =>
            db.Activities.Add(new Activity
            {
                AttendeeUserIds = [.. (ours ?? []).Select(u => u.Id)],
                AttendeeStakeholderIds = [.. (theirs ?? []).Select(t => t.Id)],
                AccountId = account.Id,
                PlanId = plan?.Id,
                ObjectiveId = objective?.Id,
                Type = type,
                OccurredAt = at,
                Summary = summary,
                Visibility = visibility,
                AuthorId = author.Id,
            });
    }

    private static void PrintHowToSignIn(string headline, string planId, string address)
    {
        Console.WriteLine(headline);
        Console.WriteLine($"Demo plan: {address}/plans/{planId}");
        Console.WriteLine($"Demo users (password \"{Password}\"): admin@, director@, manager@, ae@, sa@, csm@, csm2@, ie@demo.verity; customer priya@northwind.example.");
        Console.WriteLine("Customers use the portal (/portal): invite Grace Kim from the Contoso account page, then, with no mail server set up,");
        Console.WriteLine($"get her sign-in link with:  dotnet run --project src/Verity -- portal link --email grace@contoso.example --public-url {address}");
        Console.WriteLine("Weekly triage, digests and the customers' monthly report run by themselves; now:  dotnet run --project src/Verity -- triage  (then: digests send weekly | monthly)");
        Console.WriteLine("Get an API token:  dotnet run --project src/Verity -- tokens create --email csm@demo.verity");
        Console.WriteLine($"Then:              curl -H \"Authorization: Bearer <token>\" {address}/api/v1/accounts");
        Console.WriteLine("(Give those commands the same --database as this one, if you gave one.)");
    }
}
