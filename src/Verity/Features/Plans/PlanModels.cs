using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Domain.Plans;
using Verity.Features.Objectives;
using Verity.Http;

namespace Verity.Features.Plans;

public sealed record SectionInput
{
    [Text]
    public string? Content { get; init; }
}

public sealed record PlanInput : IValidatableObject
{
    [Mandatory]
    public string? AccountId { get; init; }

    [Mandatory, Name]
    public string? Title { get; init; }

    /// <summary>Left out, it follows from the account's segment.</summary>
    [StringLength(100, ErrorMessage = "Must be at most 100 characters.")]
    public string? Template { get; init; }

    public PlanStatus Status { get; init; } = PlanStatus.Draft;

    public string? OwnerId { get; init; }

    [Range(1, 366, ErrorMessage = "Must be between 1 and 366 days.")]
    public int? ReviewCadenceDays { get; init; }

    public bool ShareHealthWithCustomer { get; init; }

    [PlausibleDate]
    public DateOnly? LastReviewedAt { get; init; }

    public Dictionary<string, SectionInput?> Sections { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, section) in Sections)
        {
            if (!PlanTemplate.IsIdentifier(key))
            {
                yield return new ValidationResult("Is not a section key: a letter, then letters and digits.", [$"sections.{key}"]);
            }
            else if (section?.Content is { Length: > TextAttribute.Limit })
            {
                yield return new ValidationResult($"Must be at most {TextAttribute.Limit:N0} characters.", [$"sections.{key}.content"]);
            }
        }
    }

    public static PlanInput From(SuccessPlan p) => new()
    {
        AccountId = p.AccountId,
        Title = p.Title,
        Template = p.Template,
        Status = p.Status,
        OwnerId = p.OwnerId,
        ReviewCadenceDays = p.ReviewCadenceDays,
        ShareHealthWithCustomer = p.ShareHealthWithCustomer,
        LastReviewedAt = p.LastReviewedAt,
        Sections = p.Sections.ToDictionary(s => s.Key, s => (SectionInput?)new SectionInput { Content = s.Content }),
    };

    public async Task ApplyToAsync(SuccessPlan plan, VerityDb db, CancellationToken cancellationToken)
    {
        if (OwnerId is not null && OwnerId != plan.OwnerId)
        {
            await Owners.EnsureCanOwnAsync(db, plan.AccountId, OwnerId, cancellationToken);
        }

        // Sections follow the plan's template; a section the plan already has stays writable (plans made before templates).
        var templateKey = string.IsNullOrWhiteSpace(Template) ? plan.Template : Template.Trim();
        var template = await Templates.TemplateEndpoints.FindAsync(db, templateKey, cancellationToken)
            ?? throw new BadInputException("template", $"No template '{templateKey}'; use one of: {string.Join(", ", (await Templates.TemplateEndpoints.AllAsync(db, cancellationToken)).Select(t => t.Key))}.");
        var strays = Sections.Keys.Where(k => template.Section(k) is null && !plan.Sections.Any(s => s.Key == k)).ToList();
        if (strays.Count > 0)
        {
            throw new BadInputException(strays.ToDictionary(k => $"sections.{k}",
                k => new[] { $"'{k}' is not a section of the {template.Name} template; use one of: {string.Join(", ", template.Sections.Select(s => s.Key))}." }));
        }

        plan.Title = Title!.Trim();
        plan.Template = template.Key;
        plan.Status = Status;
        plan.OwnerId = OwnerId;
        plan.ReviewCadenceDays = ReviewCadenceDays;
        plan.ShareHealthWithCustomer = ShareHealthWithCustomer;
        plan.LastReviewedAt = LastReviewedAt;
        plan.SetSections(Sections.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value!.Content));
    }
}

public sealed record SectionResponse(string Content);

public sealed record PlanSummary(
    string Id, string AccountId, string Title, string Template, PlanStatus Status, string? OwnerId,
    int? ReviewCadenceDays, DateOnly? LastReviewedAt, DateTime CreatedAt, DateTime UpdatedAt) : IHasId
{
    public static readonly Expression<Func<SuccessPlan, PlanSummary>> Projection = p => new PlanSummary(
        p.Id, p.AccountId, p.Title, p.Template, p.Status, p.OwnerId, p.ReviewCadenceDays, p.LastReviewedAt, p.CreatedAt, p.UpdatedAt);
}

public sealed record PlanResponse(
    string Id,
    string AccountId,
    string Title,
    string Template,
    PlanStatus Status,
    string? OwnerId,
    int? ReviewCadenceDays,
    DateOnly? LastReviewedAt,
    Dictionary<string, SectionResponse> Sections,
    IReadOnlyList<ObjectiveResponse> Objectives,
    IReadOnlyList<string> Warnings,
    bool ShareHealthWithCustomer,
    string? AcceptedBy,
    DateTime? AcceptedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>The focus warning coaches the team; the customer reads the plan without it.</summary>
    public PlanResponse As(Access.Actor actor) => actor.IsCustomer ? this with { Warnings = [] } : this;

    public static PlanResponse From(SuccessPlan p, IReadOnlyList<ObjectiveResponse> objectives) => new(
        p.Id,
        p.AccountId,
        p.Title,
        p.Template,
        p.Status,
        p.OwnerId,
        p.ReviewCadenceDays,
        p.LastReviewedAt,
        p.Sections.OrderBy(s => ContentElementOrder(s.Key)).ToDictionary(s => s.Key, s => new SectionResponse(s.Content)),
        objectives,
        SuccessPlan.FocusWarnings(objectives.Count(o => o.Status is Domain.Objectives.ObjectiveStatus.New or Domain.Objectives.ObjectiveStatus.WorkInProgress)),
        p.ShareHealthWithCustomer,
        p.AcceptedBy,
        p.AcceptedAt,
        p.CreatedAt,
        p.UpdatedAt);

    private static int ContentElementOrder(string key) => ContentElements.Keys.ToList().IndexOf(key);
}
