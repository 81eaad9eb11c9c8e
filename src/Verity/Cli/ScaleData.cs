using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;

namespace Verity.Cli;

/// <summary>What a scale load wrote and how long it took.</summary>
public sealed record ScaleLoad(IReadOnlyDictionary<string, long> Rows, TimeSpan Elapsed, IReadOnlyList<string> CsmEmails);

/// <summary>
/// A generated book of business for measuring Verity at size: per account a CSM team (about 50 accounts per
/// CSM), stakeholders, a plan of about 20 objectives with metrics, years of measurements, initiatives and
/// activity, and open opportunities in every stage. Deterministic for a seed and a day. Rows go straight to
/// the tables in one transaction (<see cref="BulkLoad"/>), so 10,000 accounts take a minute, not an hour;
/// the records are the end states the domain rules allow, written without history beyond one audit entry
/// for each plan and objective.
/// </summary>
public static class ScaleData
{
    public const string Domain = "scale.verity";
    public const string AdminEmail = "admin@" + Domain;
    public const string ManagerEmail = "manager@" + Domain;
    private const int AccountsPerChunk = 250;

    public static string CsmEmail(int n) => $"csm{n:D3}@{Domain}";

    public static async Task<ScaleLoad?> LoadAsync(IServiceProvider root, int accounts, int seed = 13, int accountsPerCsm = 50,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(accountsPerCsm, 1);
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = services.CreateSystemContext();
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == AdminEmail.ToUpperInvariant(), cancellationToken))
        {
            return null;
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var hasher = services.GetRequiredService<IPasswordHasher<VerityUser>>();
        var watch = Stopwatch.StartNew();
        var generator = new Generator(seed, clock.GetUtcNow().UtcDateTime, accountsPerCsm);

        await using var load = await BulkLoad.BeginAsync(db, cancellationToken);
        // One hash for everybody: hashing is deliberately slow, and these users share the demo password.
        var users = generator.Users(accounts, hasher.HashPassword(null!, DemoData.Password));
        await load.WriteAsync(users, cancellationToken);
        for (var first = 0; first < accounts; first += AccountsPerChunk)
        {
            var chunk = generator.Chunk(first, Math.Min(AccountsPerChunk, accounts - first));
            await load.WriteAsync(chunk.Accounts, cancellationToken);
            await load.WriteAsync(chunk.Team, cancellationToken);
            await load.WriteAsync(chunk.Stakeholders, cancellationToken);
            await load.WriteAsync(chunk.Plans, cancellationToken);
            await load.WriteAsync(chunk.Sections, cancellationToken);
            await load.WriteAsync(chunk.Objectives, cancellationToken);
            await load.WriteAsync(chunk.Confirmations, cancellationToken);
            await load.WriteAsync(chunk.Metrics, cancellationToken);
            await load.WriteAsync(chunk.Measurements, cancellationToken);
            await load.WriteAsync(chunk.Initiatives, cancellationToken);
            await load.WriteAsync(chunk.Tasks, cancellationToken);
            await load.WriteAsync(chunk.Opportunities, cancellationToken);
            await load.WriteAsync(chunk.Activities, cancellationToken);
            await load.WriteAsync(chunk.Meetings, cancellationToken);
            await load.WriteAsync(chunk.Audit, cancellationToken);
            await load.WriteAsync(chunk.Adoption, cancellationToken);
            await load.WriteAsync(chunk.UseCases, cancellationToken);
            await load.WriteAsync(chunk.Support, cancellationToken);
            await load.WriteAsync(chunk.HealthChecks, cancellationToken);
            await load.WriteAsync(chunk.HealthSnapshots, cancellationToken);
        }

        await load.CommitAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // Fresh statistics, as autovacuum would gather a little later: the planner needs them at this size.
            await db.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        }

        return new ScaleLoad(load.Counts, watch.Elapsed, users.Where(u => u.Role == UserRole.CustomerSuccessManager).Select(u => u.Email!).ToList());
    }

    public static void Print(ScaleLoad load, string address)
    {
        Console.WriteLine($"Generated {load.Rows.GetValueOrDefault("Accounts"):N0} accounts in {load.Elapsed.TotalSeconds:N1} s:");
        foreach (var (table, rows) in load.Rows.OrderByDescending(r => r.Value))
        {
            Console.WriteLine($"  {table,-20} {rows,12:N0}");
        }

        Console.WriteLine($"Sign in at {address}/signin (password \"{DemoData.Password}\"): {AdminEmail}, {ManagerEmail}, "
            + $"{load.CsmEmails[0]} … {load.CsmEmails[^1]} (each CSM's team has its own accounts).");
    }

    /// <summary>Status and outcome stage are private to the rules; a generator writes the end state they would have reached.</summary>
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_Status")]
    private static extern void SetStatus(Objective objective, ObjectiveStatus status);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_OutcomeStage")]
    private static extern void SetOutcomeStage(Objective objective, OutcomeStage stage);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_OutcomeStageSince")]
    private static extern void SetOutcomeStageSince(Objective objective, DateOnly? since);

    public sealed class Chunk
    {
        public List<Account> Accounts { get; } = [];

        public List<AccountTeamMember> Team { get; } = [];

        public List<Stakeholder> Stakeholders { get; } = [];

        public List<SuccessPlan> Plans { get; } = [];

        public List<PlanSection> Sections { get; } = [];

        public List<Objective> Objectives { get; } = [];

        public List<Confirmation> Confirmations { get; } = [];

        public List<Metric> Metrics { get; } = [];

        public List<Measurement> Measurements { get; } = [];

        public List<Initiative> Initiatives { get; } = [];

        public List<InitiativeTask> Tasks { get; } = [];

        public List<Opportunity> Opportunities { get; } = [];

        public List<Activity> Activities { get; } = [];

        public List<Meeting> Meetings { get; } = [];

        public List<AuditEntry> Audit { get; } = [];

        public List<AdoptionFigure> Adoption { get; } = [];

        public List<UseCase> UseCases { get; } = [];

        public List<SupportFigure> Support { get; } = [];

        public List<HealthCheck> HealthChecks { get; } = [];

        public List<HealthSnapshot> HealthSnapshots { get; } = [];
    }

    private sealed record MetricShape(string Name, string Unit, MetricDirection Direction, double BaselineFrom, double BaselineTo, double TargetFactor, string Outcome);

    private sealed class Generator(int seed, DateTime now, int accountsPerCsm)
    {
        private static readonly string[] _prefixes = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Adventure", "Blue Yonder", "Alpine", "Coho", "Litware",
            "Lucerne", "Margie's", "Proseware", "Wingtip", "Woodgrove", "Trey", "Wide World", "Humongous", "Graphic", "Fourth Coffee", "Relecloud"];

        private static readonly string[] _industries = ["Logistics", "Health", "Retail", "Studios", "Works", "Bank", "Insurance", "Airlines", "Energy",
            "Foods", "Telecom", "Motors", "Pharma", "Media", "Systems", "Travel", "Labs", "Capital", "Robotics", "Publishing"];

        private static readonly string[] _firstNames = ["Priya", "Tom", "Lena", "Marco", "Grace", "Omar", "Ruth", "Ben", "Aisha", "Diego", "Mei", "Lars",
            "Fatima", "Kenji", "Olga", "Samuel", "Ingrid", "Ravi", "Chloe", "Tariq"];

        private static readonly string[] _lastNames = ["Raman", "Okafor", "Fischer", "Silva", "Kim", "Haddad", "Nakamura", "Carter", "Bello", "Ortega",
            "Chen", "Berg", "Zahra", "Sato", "Ivanova", "Mensah", "Larsen", "Iyer", "Martin", "Aziz"];

        private static readonly string[] _titles = ["VP Engineering", "CTO", "CFO", "Platform Lead", "Release Manager", "Head of DevOps", "Engineering Manager",
            "Director of IT", "Security Lead", "Procurement Manager"];

        private static readonly StakeholderRole[] _stakeholderRoles = [StakeholderRole.EconomicBuyer, StakeholderRole.KeyInfluencer,
            StakeholderRole.ProcessOwner, StakeholderRole.Other, StakeholderRole.KeyInfluencer];

        private static readonly MetricShape[] _metrics =
        [
            new("Deployment frequency", "deployments/week", MetricDirection.Increase, 1, 5, 4, "Ship changes to customers several times faster"),
            new("Average deployment time", "minutes", MetricDirection.Decrease, 60, 300, 0.15, "Engineer hours saved on every release"),
            new("Lead time for changes", "days", MetricDirection.Decrease, 5, 20, 0.25, "Fixes reach customers within a sprint"),
            new("Change failure rate", "%", MetricDirection.Decrease, 10, 30, 0.25, "Fewer customer-facing incidents caused by releases"),
            new("Mean time to restore", "hours", MetricDirection.Decrease, 4, 48, 0.2, "Outages end before customers notice"),
            new("Active users", "users", MetricDirection.Increase, 50, 500, 3, "The licences bought are used"),
            new("Teams on the platform", "% of teams", MetricDirection.Increase, 5, 30, 3.5, "One toolchain across the organisation"),
            new("Manual release steps", "steps", MetricDirection.Decrease, 8, 20, 0.15, "A release process new engineers can run"),
            new("Automated test coverage", "%", MetricDirection.Increase, 20, 45, 1.9, "Confidence to release on a Friday"),
            new("Support tickets", "tickets/month", MetricDirection.Decrease, 20, 100, 0.4, "Less time lost to support"),
        ];

        private static readonly string[] _qualitative = ["Retire the legacy build servers", "Move every repository to a single platform",
            "Pass the annual audit with evidence from the toolchain", "Adopt a shared pipeline template library", "Onboard the security team to scanning"];

        private static readonly (ActivityType Type, double Weight, string Summary)[] _activities =
        [
            (ActivityType.CadenceCall, 0.25, "Cadence call with {0}: progress on the open objectives, two follow-ups agreed."),
            (ActivityType.Email, 0.2, "Emailed {0} the notes and next steps."),
            (ActivityType.Note, 0.18, "Internal note: {0} is waiting on budget approval; check again next week."),
            (ActivityType.Meeting, 0.12, "Working session with {0} on pipeline templates."),
            (ActivityType.Call, 0.1, "Call with {0} about adoption in the new teams."),
            (ActivityType.HealthCheck, 0.07, "Health check: adoption steady, sentiment positive; {0} raised one support ticket."),
            (ActivityType.BusinessReview, 0.05, "Quarterly business review with {0}: outcomes reviewed against the plan."),
            (ActivityType.StatusChange, 0.02, "Status changed after the review with {0}."),
            (ActivityType.Triage, 0.01, "Weekly triage flagged this account for {0}'s attention."),
        ];

        private static readonly string[] _features = ["Pipelines", "Pipeline templates", "Deployment analytics", "Security scanning"];

        private static readonly string[] _useCases = ["Automated releases", "Change approvals", "Compliance evidence"];

        private readonly Random _random = new(seed);
        private readonly DateOnly _today = DateOnly.FromDateTime(now);
        private readonly List<VerityUser> _csms = [];
        private readonly List<VerityUser> _aes = [];
        private VerityUser _manager = null!;
        private long _idSequence;

        /// <summary>Ids shaped like the app's (version-7 GUIDs, hex): time-ordered, and the same for the same seed.</summary>
        private string Id()
        {
            Span<byte> bytes = stackalloc byte[16];
            _random.NextBytes(bytes);
            var stamp = 1_700_000_000_000L + _idSequence++;
            for (var i = 0; i < 6; i++)
            {
                bytes[i] = (byte)(stamp >> (8 * (5 - i)));
            }

            bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
            bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
            return Convert.ToHexStringLower(bytes);
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private bool Chance(double p) => _random.NextDouble() < p;

        private DateTime DaysAgo(int from, int to) => now.AddDays(-_random.Next(from, to)).AddMinutes(-_random.Next(0, 24 * 60));

        private DateTime Between(DateTime from, DateTime to) => to <= from ? from : from.AddSeconds(_random.NextDouble() * (to - from).TotalSeconds);

        private static DateOnly Day(DateTime at) => DateOnly.FromDateTime(at);

        public List<VerityUser> Users(int accounts, string passwordHash)
        {
            var users = new List<VerityUser>();
            VerityUser Add(string email, string name, UserRole role)
            {
                var user = new VerityUser
                {
                    Id = Id(),
                    UserName = email,
                    NormalizedUserName = email.ToUpperInvariant(),
                    Email = email,
                    NormalizedEmail = email.ToUpperInvariant(),
                    DisplayName = name,
                    Role = role,
                    PasswordHash = passwordHash,
                    SecurityStamp = Convert.ToHexString(BitConverter.GetBytes(_random.NextInt64())) + Convert.ToHexString(BitConverter.GetBytes(_random.NextInt64())),
                    ConcurrencyStamp = Id(),
                    LockoutEnabled = true,
                };
                users.Add(user);
                return user;
            }

            Add(AdminEmail, "Avery Admin (scale)", UserRole.Admin);
            Add($"director@{Domain}", "Dana Director (scale)", UserRole.Director);
            _manager = Add(ManagerEmail, "Morgan Manager (scale)", UserRole.Manager);
            for (var n = 1; n <= (accounts + accountsPerCsm - 1) / accountsPerCsm; n++)
            {
                _csms.Add(Add(CsmEmail(n), $"{Pick(_firstNames)} {Pick(_lastNames)} (CSM {n})", UserRole.CustomerSuccessManager));
            }

            for (var n = 1; n <= (accounts + 2 * accountsPerCsm - 1) / (2 * accountsPerCsm); n++)
            {
                _aes.Add(Add($"ae{n:D3}@{Domain}", $"{Pick(_firstNames)} {Pick(_lastNames)} (AE {n})", UserRole.AccountExecutive));
            }

            return users;
        }

        public Chunk Chunk(int first, int count)
        {
            var chunk = new Chunk();
            for (var index = first; index < first + count; index++)
            {
                AddAccount(chunk, index);
            }

            return chunk;
        }

        private void AddAccount(Chunk chunk, int index)
        {
            var csm = _csms[index / accountsPerCsm];
            var ae = _aes[index / (2 * accountsPerCsm)];
            var roll = _random.NextDouble();
            var segment = roll < 0.05 ? Segment.Strategic : roll < 0.2 ? Segment.Large : roll < 0.6 ? Segment.MidMarket : Segment.Smb;
            var created = DaysAgo(400, 1500);
            var name = $"{Pick(_prefixes)} {Pick(_industries)} {index + 1:D5}";
            var account = new Account
            {
                Id = Id(),
                Name = name,
                Segment = segment,
                PotentialUsers = segment switch
                {
                    Segment.Strategic => _random.Next(5_000, 40_000),
                    Segment.Large => _random.Next(1_000, 5_000),
                    Segment.MidMarket => _random.Next(100, 1_000),
                    Segment.Smb => _random.Next(5, 100),
                },
                IsFocusAccount = Chance(segment == Segment.Strategic ? 0.5 : 0.05),
                Background = Chance(0.8) ? $"{name.Split(' ')[0]} group in {Pick(_industries).ToLowerInvariant()}; {_random.Next(2, 60)} engineering teams." : null,
                Environment = Chance(0.7) ? Pick(["Kubernetes on two clouds", "AWS, monorepo", "Azure, .NET services", "On-premises VMware, Jenkins"]) : null,
                Tools = Chance(0.7) ? Pick(["Jenkins, Bitbucket, Jira", "GitHub, Jira", "Azure DevOps, ServiceNow", "Perforce, Trello"]) : null,
                CommunicationPreferences = Chance(0.5) ? Pick(["Monthly steering call", "Slack Connect channel", "Email first; quarterly review"]) : null,
                ArchivedAt = Chance(0.01) ? DaysAgo(10, 300) : null,
                CreatedAt = created,
                UpdatedAt = DaysAgo(0, 300) is var updated && updated > created ? updated : created,
                Version = 1 + _random.Next(4),
            };
            chunk.Accounts.Add(account);
            chunk.Team.Add(new AccountTeamMember { AccountId = account.Id, UserId = csm.Id, Role = TeamRole.CustomerSuccessManager });
            chunk.Team.Add(new AccountTeamMember { AccountId = account.Id, UserId = ae.Id, Role = TeamRole.AccountExecutive });

            var people = new List<Stakeholder>();
            var domain = name.Split(' ')[0].ToLowerInvariant().Replace("'", "", StringComparison.Ordinal);
            for (var i = 0; i < _random.Next(3, 7); i++)
            {
                var first = Pick(_firstNames);
                var last = Pick(_lastNames);
                people.Add(Stamped(new Stakeholder
                {
                    Id = Id(),
                    AccountId = account.Id,
                    Name = $"{first} {last}",
                    Title = Pick(_titles),
                    Email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{domain}{index + 1}.example",
                    Location = Chance(0.6) ? Pick(["London", "Rotterdam", "Seattle", "Austin", "Lisbon", "Singapore", "Berlin"]) : null,
                    Side = StakeholderSide.Customer,
                    Role = i switch { 0 => StakeholderRole.ExecutiveSponsor, 1 => StakeholderRole.TechnicalChampion, _ => Pick(_stakeholderRoles) },
                }, created));
            }

            chunk.Stakeholders.AddRange(people);
            chunk.Stakeholders.Add(Stamped(new Stakeholder
            {
                Id = Id(),
                AccountId = account.Id,
                Name = csm.DisplayName,
                Title = "Customer Success Manager",
                Side = StakeholderSide.Vendor,
                Role = StakeholderRole.CustomerSuccessManager,
            }, created));

            var plan = AddPlan(chunk, account, csm, people, created);
            AddOpportunities(chunk, account, plan);
            AddActivities(chunk, account, plan, csm, ae, people, created);
            AddMeetings(chunk, account, plan, csm, ae, people, created);
            AddBookFacts(chunk, account, csm);
        }

        /// <summary>The kick-off and the last business review, held and on the timeline, and usually the next cadence call.</summary>
        private void AddMeetings(Chunk chunk, Account account, SuccessPlan plan, VerityUser csm, VerityUser ae, List<Stakeholder> people, DateTime created)
        {
            var objectives = chunk.Objectives.Where(o => o.PlanId == plan.Id && o.IsOpen).ToList();
            Meeting Add(MeetingKind kind, string title, DateTime at, bool held, string? decisions, string? nextSteps)
            {
                var meeting = Stamped(new Meeting
                {
                    Id = Id(),
                    AccountId = account.Id,
                    Kind = kind,
                    Title = title,
                    ScheduledFor = at,
                    AttendeeUserIds = kind == MeetingKind.CadenceCall ? [csm.Id] : [csm.Id, ae.Id],
                    AttendeeStakeholderIds = kind == MeetingKind.BusinessReview ? [people[0].Id, people[1].Id] : [people[1].Id],
                    ObjectiveIds = kind == MeetingKind.CadenceCall && objectives.Count > 0 ? [Pick(objectives).Id] : [],
                    ScheduledBy = csm.Id,
                }, held ? at.AddDays(-_random.Next(7, 30)) : now.AddDays(-_random.Next(1, 14)));
                if (held)
                {
                    meeting.SetHeldOn(Day(at));
                    meeting.Decisions = decisions;
                    meeting.NextSteps = nextSteps;
                    meeting.Notes = Chance(0.5) ? $"{people[0].Name} asked for a clearer view of the hours saved." : null;
                    var activity = Stamped(new Activity
                    {
                        Id = Id(),
                        AccountId = account.Id,
                        Type = meeting.ActivityType,
                        OccurredAt = at,
                        Summary = Features.Meetings.MeetingEndpoints.TimelineSummary(meeting),
                        Visibility = Visibility.Customer,
                        AuthorId = csm.Id,
                    }, at);
                    chunk.Activities.Add(activity);
                    meeting.Recorded(activity.Id);
                }

                chunk.Meetings.Add(meeting);
                return meeting;
            }

            Add(MeetingKind.Kickoff, "Kick-off", Between(created, created.AddDays(30)), held: true,
                "Start with one pilot team; measure from today's baseline.", $"{people[1].Name} names the pilot team.");
            if (Chance(0.8))
            {
                Add(MeetingKind.BusinessReview, "Quarterly business review", DaysAgo(20, 120), held: true,
                    "Keep the rollout going; review the open objectives again next quarter.", $"{csm.DisplayName} sends the outcome summary.");
            }

            if (Chance(0.7))
            {
                Add(MeetingKind.CadenceCall, "Cadence call", now.AddDays(_random.Next(1, 15)).Date.AddHours(_random.Next(8, 18)), held: false, null, null);
            }
        }

        /// <summary>
        /// The commercial facts and the signals the health score and the portfolio read: ARR and a renewal within a
        /// year, a year of monthly adoption per feature, use cases, support counts, health checks, and weekly health
        /// snapshots for nine weeks (the 30-day trend and the portfolio's mix).
        /// </summary>
        private void AddBookFacts(Chunk chunk, Account account, VerityUser csm)
        {
            account.Arr = account.Segment switch
            {
                Segment.Strategic => _random.Next(400, 3_000) * 1_000m,
                Segment.Large => _random.Next(100, 600) * 1_000m,
                Segment.MidMarket => _random.Next(20, 150) * 1_000m,
                Segment.Smb => _random.Next(2, 25) * 1_000m,
            };
            account.RenewalDate = _today.AddDays(_random.Next(1, 366));
            // The id's first 12 hex digits are its sequence number: unique, like a CRM's own ids.
            account.ExternalId = ("0015g0" + account.Id[..12]).ToUpperInvariant();
            account.Industry = Pick(_industries);
            account.Employees = (account.PotentialUsers ?? 100) * _random.Next(2, 12);

            var health = _random.NextDouble();
            var features = _random.Next(1, 5);
            var firstOfMonth = new DateOnly(_today.Year, _today.Month, 1);
            for (var f = 0; f < features; f++)
            {
                var licensed = Math.Max(5, (int)((account.PotentialUsers ?? 100) * (0.3 + (0.7 * _random.NextDouble()))));
                var share = 0.1 + (0.5 * health * _random.NextDouble());
                for (var month = 11; month >= 0; month--)
                {
                    share = Math.Clamp(share + ((_random.NextDouble() - 0.4) * 0.08), 0, 1);
                    chunk.Adoption.Add(new AdoptionFigure
                    {
                        AccountId = account.Id, Feature = _features[f], At = firstOfMonth.AddMonths(-month), LicensedUsers = licensed, ActiveUsers = (int)(licensed * share),
                    });
                }
            }

            for (var u = 0; u < _random.Next(0, 4); u++)
            {
                chunk.UseCases.Add(new UseCase { AccountId = account.Id, Position = u, Name = _useCases[u], Stage = Pick(Enum.GetValues<UseCaseStage>()) });
            }

            for (var month = 5; month >= 0; month--)
            {
                var open = _random.Next(0, 12);
                chunk.Support.Add(new SupportFigure
                {
                    AccountId = account.Id, At = firstOfMonth.AddMonths(-month), Open = open, Closed = _random.Next(0, 40),
                    Critical = Chance(0.15 * (1.5 - health)) ? _random.Next(1, 3) : 0, EnhancementRequests = _random.Next(0, 6),
                });
            }

            for (var q = 0; q < _random.Next(1, 5); q++)
            {
                var checkedOn = _today.AddDays(-(q * 90) - _random.Next(0, 60));
                var adoption = (int)Math.Clamp((health * 90) + _random.Next(-15, 15), 0, 100);
                chunk.HealthChecks.Add(Stamped(new HealthCheck
                {
                    Id = Id(),
                    AccountId = account.Id,
                    CheckedOn = checkedOn,
                    Adoption = adoption,
                    Sentiment = health > 0.66 ? Sentiment.Positive : health > 0.33 ? Sentiment.Neutral : Sentiment.Negative,
                    Overall = health > 0.6 ? HealthGrade.Green : health > 0.3 ? HealthGrade.Yellow : HealthGrade.Red,
                    Barriers = Chance(0.4) ? Pick(["Champion changed roles", "Waiting on SSO", "Budget freeze", "Two teams not onboarded"]) : null,
                    AuthorId = csm.Id,
                }, checkedOn.ToDateTime(new TimeOnly(15, 0), DateTimeKind.Utc)));
            }

            var score = (int)Math.Clamp((health * 100) + _random.Next(-10, 10), 0, 100);
            for (var week = 8; week >= 0; week--)
            {
                score = Math.Clamp(score + _random.Next(-6, 7), 0, 100);
                chunk.HealthSnapshots.Add(new HealthSnapshot
                {
                    AccountId = account.Id, TakenOn = _today.AddDays(-7 * week), Score = score,
                    Grade = score >= 70 ? HealthGrade.Green : score >= 40 ? HealthGrade.Yellow : HealthGrade.Red,
                });
            }
        }

        private SuccessPlan AddPlan(Chunk chunk, Account account, VerityUser csm, List<Stakeholder> people, DateTime accountCreated)
        {
            var created = Between(accountCreated, accountCreated.AddDays(60));
            var roll = _random.NextDouble();
            var plan = Stamped(new SuccessPlan
            {
                Id = Id(),
                AccountId = account.Id,
                Title = $"{account.Name} — {(account.Segment is Segment.Strategic or Segment.Large ? "Mutual Success Plan" : "Success Plan")}",
                Template = PlanTemplates.For(account.Segment),
                Status = roll < 0.2 ? PlanStatus.Draft : roll < 0.5 ? PlanStatus.SharedWithCustomer : roll < 0.95 ? PlanStatus.SharedWithCustomer : PlanStatus.Archived,
                OwnerId = csm.Id,
                ReviewCadenceDays = Pick(new int?[] { 30, 30, 60, 90, null }),
                LastReviewedAt = Chance(0.85) ? Day(DaysAgo(0, 150)) : null,
                ShareHealthWithCustomer = Chance(0.3),
            }, created);
            if (roll is >= 0.5 and < 0.95)
            {
                plan.Accept(people[0].Id, Chance(0.5) ? "Agreed in the steering call." : null, Between(created, now));
            }

            chunk.Plans.Add(plan);
            Audit(chunk, "SuccessPlan", plan.Id, account.Id, csm.Id, created, plan.Title);
            foreach (var (key, content) in new[]
            {
                ("companyBackground", account.Background ?? $"{account.Name} builds and runs software for its customers."),
                ("whatWeHeard", "Releases are slow and risky; teams want fewer manual steps and faster feedback."),
                ("businessOutcomes", "Ship customer-facing changes faster with fewer incidents."),
            })
            {
                chunk.Sections.Add(Stamped(new PlanSection { Id = Id(), PlanId = plan.Id, AccountId = account.Id, Key = key, Content = content }, created));
            }

            var objectives = _random.Next(10, 31);
            for (var priority = 1; priority <= objectives; priority++)
            {
                AddObjective(chunk, plan, csm, people, priority, created);
            }

            return plan;
        }

        private void AddObjective(Chunk chunk, SuccessPlan plan, VerityUser csm, List<Stakeholder> people, int priority, DateTime planCreated)
        {
            var start = Between(planCreated, now.AddDays(-30));
            var shape = Pick(_metrics);
            var quantitative = Chance(0.8);
            var roll = _random.NextDouble();
            var status = roll < 0.18 ? ObjectiveStatus.New
                : roll < 0.73 ? ObjectiveStatus.WorkInProgress
                : roll < 0.88 ? ObjectiveStatus.ClosedSuccess
                : roll < 0.95 ? ObjectiveStatus.ClosedNoAction
                : ObjectiveStatus.ClosedInvalid;
            var stageRoll = _random.NextDouble();
            var stage = status switch
            {
                ObjectiveStatus.New => OutcomeStage.Proposed,
                ObjectiveStatus.WorkInProgress => stageRoll < 0.3 ? OutcomeStage.Proposed : stageRoll < 0.75 ? OutcomeStage.Accepted : OutcomeStage.Delivered,
                ObjectiveStatus.ClosedSuccess => OutcomeStage.Verified,
                ObjectiveStatus.ClosedNoAction or ObjectiveStatus.ClosedInvalid => stageRoll < 0.6 ? OutcomeStage.Proposed : OutcomeStage.Accepted,
            };
            var target = Day(start.AddDays(_random.Next(90, 540)));
            var baseline = Math.Round(shape.BaselineFrom + _random.NextDouble() * (shape.BaselineTo - shape.BaselineFrom));
            var goal = Math.Round(baseline * shape.TargetFactor, 1);
            var objective = Stamped(new Objective
            {
                Id = Id(),
                AccountId = plan.AccountId,
                PlanId = plan.Id,
                Title = quantitative
                    ? $"{(shape.Direction == MetricDirection.Increase ? "Raise" : "Reduce")} {shape.Name.ToLowerInvariant()} from {baseline} to {goal} {shape.Unit}"
                    : Pick(_qualitative),
                Priority = priority,
                Kind = quantitative ? ObjectiveKind.Quantitative : ObjectiveKind.Qualitative,
                OwnerId = csm.Id,
                StakeholderIds = Chance(0.5) ? [people[1].Id] : [people[0].Id, people[1].Id],
                SuccessCriteria = status == ObjectiveStatus.New && Chance(0.3) ? null : $"{shape.Name} at {goal} {shape.Unit} or better, sustained for a month",
                BusinessImpact = Chance(0.8) ? shape.Outcome : null,
                UseCase = Chance(0.3) ? Pick(["CI/CD", "Security scanning", "Release automation", "Observability"]) : null,
                TargetDate = status == ObjectiveStatus.New && Chance(0.2) ? null : target,
                LastValidatedAt = Chance(0.15) ? null : Day(Between(start, now)),
            }, start);
            SetStatus(objective, status);
            SetOutcomeStage(objective, stage);
            var stageSince = stage == OutcomeStage.Proposed ? (DateOnly?)null : Day(Between(start, now));
            SetOutcomeStageSince(objective, stageSince);
            if (status == ObjectiveStatus.WorkInProgress && Chance(0.1))
            {
                objective.SetHealth(Pick([ObjectiveHealth.OnTrack, ObjectiveHealth.Watchpoint, ObjectiveHealth.Concern]), csm.Id, Between(start, now));
            }

            chunk.Objectives.Add(objective);
            Audit(chunk, "Objective", objective.Id, plan.AccountId, csm.Id, start, objective.Title);
            if (status == ObjectiveStatus.ClosedSuccess)
            {
                chunk.Confirmations.Add(Stamped(new Confirmation
                {
                    Id = Id(),
                    AccountId = plan.AccountId,
                    ObjectiveId = objective.Id,
                    StakeholderId = people[0].Id,
                    ConfirmedAt = stageSince!.Value.ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc),
                    Statement = $"We reached {goal} {shape.Unit}; the team sees the difference every week. — {people[0].Name}",
                    RecordedBy = csm.Id,
                }, start));
            }

            if (quantitative)
            {
                var metrics = Chance(0.25) ? 2 : 1;
                for (var m = 0; m < metrics; m++)
                {
                    AddMetric(chunk, objective, m == 0 ? shape : Pick(_metrics), m == 0 ? baseline : (double?)null, start, target);
                }
            }

            var initiativeRoll = _random.NextDouble();
            var initiatives = initiativeRoll < 0.4 ? 0 : initiativeRoll < 0.85 ? 1 : 2;
            for (var i = 0; i < initiatives; i++)
            {
                var initiativeStatus = objective.IsClosed ? InitiativeStatus.Done : Pick([InitiativeStatus.NotStarted, InitiativeStatus.InProgress, InitiativeStatus.InProgress, InitiativeStatus.Blocked, InitiativeStatus.Done]);
                var initiative = Stamped(new Initiative
                {
                    Id = Id(),
                    AccountId = plan.AccountId,
                    ObjectiveId = objective.Id,
                    Title = Pick(["Pilot CI/CD for one service", "Roll out pipeline templates", "Migrate release jobs", "Automate change tickets", "Enablement workshops"]),
                    Kind = Pick(Enum.GetValues<InitiativeKind>()),
                    Status = initiativeStatus,
                    DueDate = Day(start.AddDays(_random.Next(30, 300))),
                    OwnerId = Chance(0.6) ? csm.Id : null,
                    OwnerStakeholderId = Chance(0.4) ? people[1].Id : null,
                }, start);
                chunk.Initiatives.Add(initiative);
                var tasks = _random.Next(0, 4);
                for (var t = 0; t < tasks; t++)
                {
                    chunk.Tasks.Add(Stamped(new InitiativeTask
                    {
                        Id = Id(),
                        AccountId = plan.AccountId,
                        InitiativeId = initiative.Id,
                        Title = Pick(["Kick-off", "Import repositories", "Build the first pipeline", "Office hours", "Retire the old tool"]),
                        Position = t,
                        Done = initiativeStatus == InitiativeStatus.Done || t == 0 && initiativeStatus == InitiativeStatus.InProgress,
                    }, start));
                }
            }
        }

        private void AddMetric(Chunk chunk, Objective objective, MetricShape shape, double? baseline, DateTime start, DateOnly targetBy)
        {
            var from = baseline ?? Math.Round(shape.BaselineFrom + _random.NextDouble() * (shape.BaselineTo - shape.BaselineFrom));
            var to = Math.Round(from * shape.TargetFactor, 1);
            var metric = Stamped(new Metric
            {
                Id = Id(),
                AccountId = objective.AccountId,
                ObjectiveId = objective.Id,
                Name = shape.Name,
                Unit = shape.Unit,
                Direction = shape.Direction,
                BaselineValue = Chance(0.95) ? from : null,
                BaselineAt = Day(start),
                TargetValue = Chance(0.95) ? to : null,
                TargetBy = targetBy,
            }, start);
            chunk.Metrics.Add(metric);

            // A measurement every few weeks from the baseline until today (or the target date), moving toward the target.
            var count = _random.Next(2, 9);
            var end = Math.Min(_today.DayNumber, targetBy.DayNumber);
            var step = Math.Max(7, (end - Day(start).DayNumber) / count);
            var pace = 0.3 + _random.NextDouble();
            for (var k = 0; k < count; k++)
            {
                var at = Day(start).AddDays(k * step);
                if (at > _today)
                {
                    break;
                }

                var share = Math.Min(1.1, pace * k / count);
                var value = Math.Round(from + (to - from) * share + (to - from) * 0.05 * (_random.NextDouble() - 0.5), 1);
                chunk.Measurements.Add(Stamped(new Measurement
                {
                    Id = Id(),
                    AccountId = objective.AccountId,
                    MetricId = metric.Id,
                    Value = value,
                    At = at,
                    Source = k == 0 ? "baseline workshop" : "pipeline analytics",
                }, at.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc)));
            }
        }

        private void AddOpportunities(Chunk chunk, Account account, SuccessPlan plan)
        {
            var roll = _random.NextDouble();
            var open = roll < 0.1 ? 0 : roll < 0.35 ? 1 : roll < 0.85 ? 2 : 3;
            var closed = Chance(0.7) ? 1 : 0;
            for (var i = 0; i < open + closed; i++)
            {
                var stage = i < open
                    ? (OpportunityStage)_random.Next((int)OpportunityStage.Discovery, (int)OpportunityStage.Negotiating + 1)
                    : Chance(0.6) ? OpportunityStage.ClosedWon : OpportunityStage.ClosedLost;
                var typeRoll = _random.NextDouble();
                var type = typeRoll < 0.3 ? OpportunityType.New : typeRoll < 0.7 ? OpportunityType.Growth : OpportunityType.Renewal;
                var opportunity = Stamped(new Opportunity
                {
                    Id = Id(),
                    AccountId = account.Id,
                    Name = $"{account.Name} — {type.ToString().ToLowerInvariant()} {i + 1}",
                    Type = type,
                    Stage = stage,
                    NetArr = Math.Round((decimal)Math.Exp(Math.Log(5_000) + _random.NextDouble() * (Math.Log(1_500_000) - Math.Log(5_000))) / 1000m) * 1000m,
                    SaValidatedTechEval = stage >= OpportunityStage.TechnicalEvaluation && Chance(0.2),
                    SuccessPlanId = Chance(0.5) ? plan.Id : null,
                }, DaysAgo(0, 365));
                if (Chance(0.02))
                {
                    opportunity.RequirePlan(true, _manager.Id);
                }

                if (Chance(0.02))
                {
                    opportunity.GrantCspException("Customer declined a joint plan; reviewed with the director.", _manager.Id, DaysAgo(0, 90));
                }

                chunk.Opportunities.Add(opportunity);
            }
        }

        private void AddActivities(Chunk chunk, Account account, SuccessPlan plan, VerityUser csm, VerityUser ae, List<Stakeholder> people, DateTime created)
        {
            var objectives = chunk.Objectives.Where(o => o.PlanId == plan.Id).ToList();
            var count = _random.Next(60, 141);
            for (var i = 0; i < count; i++)
            {
                var pick = _random.NextDouble();
                var (type, _, summary) = _activities[^1];
                foreach (var candidate in _activities)
                {
                    if ((pick -= candidate.Weight) < 0)
                    {
                        (type, _, summary) = candidate;
                        break;
                    }
                }

                var onPlan = Chance(0.7);
                var at = Between(created, now);
                chunk.Activities.Add(Stamped(new Activity
                {
                    Id = Id(),
                    AccountId = account.Id,
                    PlanId = onPlan ? plan.Id : null,
                    ObjectiveId = onPlan && Chance(0.5) ? Pick(objectives).Id : null,
                    Type = type,
                    OccurredAt = at,
                    Summary = string.Format(CultureInfo.InvariantCulture, summary, Pick(people).Name),
                    Visibility = Chance(0.4) ? Visibility.Customer : Visibility.Internal,
                    AuthorId = Chance(0.7) ? csm.Id : ae.Id,
                }, at));
            }
        }

        private void Audit(Chunk chunk, string entityType, string entityId, string accountId, string actorId, DateTime at, string title) =>
            chunk.Audit.Add(new AuditEntry
            {
                Id = Id(),
                At = at,
                ActorId = actorId,
                EntityType = entityType,
                EntityId = entityId,
                AccountId = accountId,
                Action = "insert",
                Changes = [new AuditChange("title", null, title)],
            });

        private static T Stamped<T>(T entity, DateTime created)
            where T : Entity
        {
            entity.CreatedAt = created;
            entity.UpdatedAt = created;
            return entity;
        }
    }
}
