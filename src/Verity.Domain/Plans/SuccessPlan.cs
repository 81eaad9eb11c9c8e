using Verity.Domain.Accounts;
using Verity.Domain.Common;

namespace Verity.Domain.Plans;

public enum PlanStatus
{
    Draft,
    SharedWithCustomer,
    CustomerAccepted,
    Archived,
}

public static class PlanTemplates
{
    public const string Mutual = "mutual";
    public const string Commercial = "commercial";
    public const string ImpactJourney = "impactJourney";

    /// <summary>Strategic and large accounts get the full mutual plan; mid-market and SMB the lighter commercial one.</summary>
    public static string For(Segment segment) => segment switch
    {
        Segment.Strategic or Segment.Large => Mutual,
        Segment.MidMarket or Segment.Smb => Commercial,
    };
}

public sealed class SuccessPlan : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string Title { get; set; }

    public required string Template { get; set; }

    public PlanStatus Status { get; set; }

    public string? OwnerId { get; set; }

    public int? ReviewCadenceDays { get; set; }

    public DateOnly? LastReviewedAt { get; set; }

    /// <summary>Whether the customer sees each objective's health (on track, watchpoint, concern); off unless the team says so.</summary>
    public bool ShareHealthWithCustomer { get; set; }

    public List<PlanSection> Sections { get; } = [];

    /// <summary>The customer stakeholder who accepted the plan, when, and what they said.</summary>
    public string? AcceptedBy { get; private set; }

    public DateTime? AcceptedAt { get; private set; }

    public string? AcceptanceNote { get; private set; }

    /// <summary>The plan has been put in front of the customer (shared, or already accepted): what the portal shows.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<SuccessPlan, bool>> IsShownToCustomer =
        p => p.Status == PlanStatus.SharedWithCustomer || p.Status == PlanStatus.CustomerAccepted;

    private static readonly Func<SuccessPlan, bool> _shownToCustomer = IsShownToCustomer.Compile();

    public bool ShownToCustomer => _shownToCustomer(this);

    /// <summary>The customer accepts a plan they have been shown; a draft has not been shown to them yet.</summary>
    public void Accept(string stakeholderId, string? note, DateTime at)
    {
        if (Status is PlanStatus.Draft or PlanStatus.Archived)
        {
            throw new RuleViolation(Status == PlanStatus.Draft
                ? "The plan is still a draft: the team shares it with you before you can accept it."
                : "The plan is archived and can no longer be accepted.");
        }

        Status = PlanStatus.CustomerAccepted;
        AcceptedBy = stakeholderId;
        AcceptedAt = at;
        AcceptanceNote = note;
    }

    /// <summary>The seeds advise one to three objectives per plan; more puts focus at risk.</summary>
    public const int FocusedObjectives = 3;

    public static IReadOnlyList<string> FocusWarnings(int openObjectives) => openObjectives > FocusedObjectives
        ? [$"{openObjectives} open objectives: focus is at risk. The seeds advise one to {FocusedObjectives} per plan."]
        : [];

    /// <summary>Replaces the plan's sections; keys are its template's section keys (checked where the input is read).</summary>
    public void SetSections(IReadOnlyDictionary<string, string?> contentByKey)
    {
        Sections.RemoveAll(s => !contentByKey.ContainsKey(s.Key));
        foreach (var (key, content) in contentByKey)
        {
            if (!PlanTemplate.IsIdentifier(key))
            {
                throw new ArgumentException($"'{key}' is not a section key.", nameof(contentByKey));
            }

            var section = Sections.Find(s => s.Key == key);
            if (section is null)
            {
                Sections.Add(new PlanSection { PlanId = Id, AccountId = AccountId, Key = key, Content = content ?? "" });
            }
            else
            {
                section.Content = content ?? "";
            }
        }
    }
}

public sealed class PlanSection : Entity, IAccountOwned
{
    public required string PlanId { get; init; }

    public required string AccountId { get; init; }

    public required string Key { get; init; }

    public string Content { get; set; } = "";
}
