using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Http;

namespace Verity.Features.Templates;

public sealed record TemplateSectionInput(string? Key, string? Title, string? Prompt, string? Starter);

public sealed record TemplateObjectiveInput(string? Title, ObjectiveKind? Kind, string? SuccessCriteria);

public sealed record TemplateMilestoneInput(MilestoneHorizon? Horizon, string? Title);

public sealed record TemplateInput
{
    [Mandatory]
    public string? Key { get; init; }

    [Mandatory, Name]
    public string? Name { get; init; }

    public List<TemplateSectionInput>? Sections { get; init; } = [];

    public List<TemplateObjectiveInput>? Objectives { get; init; } = [];

    public List<TemplateMilestoneInput>? Milestones { get; init; } = [];

    public static TemplateInput From(PlanTemplate t) => new()
    {
        Key = t.Key,
        Name = t.Name,
        Sections = [.. t.Sections.Select(s => new TemplateSectionInput(s.Key, s.Title, s.Prompt, s.Starter))],
        Objectives = [.. t.Objectives.Select(o => new TemplateObjectiveInput(o.Title, o.Kind, o.SuccessCriteria))],
        Milestones = [.. t.Milestones.Select(m => new TemplateMilestoneInput(m.Horizon, m.Title))],
    };

    /// <summary>
    /// Copies the input onto the template and refuses it, naming each bad field, when its shape is wrong: the shape
    /// rules are the template's own (<see cref="PlanTemplate.Problems"/>); this adds what only JSON can get wrong.
    /// </summary>
    public void ApplyTo(PlanTemplate template)
    {
        var problems = new Dictionary<string, string[]>();
        List<T> Items<TIn, T>(string field, List<TIn>? items, Func<TIn, T> map, T placeholder)
            where TIn : class => [.. (items ?? []).Select((item, i) =>
            {
                if (item is null)
                {
                    problems[$"{field}[{i}]"] = ["Must be an object, not null."];
                    return placeholder;
                }

                return map(item);
            })];

        template.Key = Key!.Trim();
        template.Name = Name!.Trim();
        template.Sections = Items("sections", Sections, s => new TemplateSection(s.Key?.Trim() ?? "", s.Title?.Trim() ?? "", Blank(s.Prompt), Blank(s.Starter)),
            new TemplateSection("x", "x"));
        template.Objectives = Items("objectives", Objectives,
            o => new TemplateObjective(o.Title?.Trim() ?? "", o.Kind ?? ObjectiveKind.Quantitative, Blank(o.SuccessCriteria)), new TemplateObjective("x", ObjectiveKind.Quantitative));
        template.Milestones = Items("milestones", Milestones, m => new TemplateMilestone(m.Horizon ?? MilestoneHorizon.Days30, m.Title?.Trim() ?? ""),
            new TemplateMilestone(MilestoneHorizon.Days30, "x"));
        for (var i = 0; i < (Milestones?.Count ?? 0); i++)
        {
            if (Milestones![i] is { Horizon: null })
            {
                problems[$"milestones[{i}].horizon"] = ["Choose a horizon: days30, days60, days90, months6 or months12."];
            }
        }

        foreach (var (field, messages) in template.Problems())
        {
            problems.TryAdd(field, messages);
        }

        if (problems.Count > 0)
        {
            throw new BadInputException(problems);
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public sealed record TemplateResponse(
    string Key,
    string Name,
    bool BuiltIn,
    IReadOnlyList<TemplateSection> Sections,
    IReadOnlyList<TemplateObjective> Objectives,
    IReadOnlyList<TemplateMilestone> Milestones,
    int PlansUsingIt)
{
    public static TemplateResponse From(PlanTemplate t, int plans) => new(t.Key, t.Name, t.IsBuiltIn, t.Sections, t.Objectives, t.Milestones, plans);
}

/// <summary>
/// Plan templates: the three built in, and those an admin adds. Every vendor user reads them (a plan is started from
/// one); admins add, change and remove their own. Built-in templates are read-only, and a template a plan uses stays.
/// </summary>
public static class TemplateEndpoints
{
    private const string AdminsOnly = "Templates are changed by an admin.";

    public static void MapTemplates(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/templates").WithTags("Templates");
        group.MapGet("", List)
            .WithSummary("List plan templates")
            .WithDescription("The templates a new plan can start from: the built-in `mutual`, `commercial` and `impactJourney` and the house's own. Vendor side only.");
        group.MapPost("", Create).Accepts<TemplateInput>("application/json")
            .WithSummary("Add a plan template")
            .WithDescription("Adds a template of sections, starter objectives and milestones under a new `key`. Admins only.");
        group.MapGet("/{key}", Get)
            .WithSummary("Get a plan template")
            .WithDescription("One template by key, with its sections, objectives and milestones and its `ETag`. Vendor side only.");
        group.MapPatch("/{key}", Update).Accepts<TemplateInput>("application/json")
            .WithSummary("Change a plan template")
            .WithDescription("Changes the fields sent. Admins only; the built-in templates answer 409 (add one of your own from them), a stale `If-Match` 412.");
        group.MapDelete("/{key}", Delete)
            .WithSummary("Remove a plan template")
            .WithDescription("Removes a template (204). Admins only; 409 while a plan uses it or when it is built in.");
    }

    /// <summary>A template by key: built in, or stored; null when there is none.</summary>
    public static async Task<PlanTemplate?> FindAsync(VerityDb db, string? key, CancellationToken cancellationToken) =>
        BuiltInTemplates.Find(key) ?? (key is null ? null : await db.PlanTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, cancellationToken));

    public static async Task<List<PlanTemplate>> AllAsync(VerityDb db, CancellationToken cancellationToken) =>
        [.. BuiltInTemplates.All, .. await db.PlanTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken)];

    /// <summary>How many plans use each template, by key.</summary>
    public static async Task<Dictionary<string, int>> UsageAsync(VerityDb db, CancellationToken cancellationToken)
    {
        // Usage counts every plan, not only those the caller may see: a template in use anywhere stays.
        return await db.Plans.IgnoreQueryFilters().GroupBy(p => p.Template).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
    }

    /// <summary>How many plans use one template, counted like <see cref="UsageAsync"/>.</summary>
    public static Task<int> PlansUsingAsync(VerityDb db, string key, CancellationToken cancellationToken) =>
        db.Plans.IgnoreQueryFilters().CountAsync(p => p.Template == key, cancellationToken);

    private static async Task<Ok<Page<TemplateResponse>>> List(VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide("Templates are the success team's; customers see the plans made from them.");
        var usage = await UsageAsync(db, cancellationToken);
        return TypedResults.Ok(new Page<TemplateResponse>(
            [.. (await AllAsync(db, cancellationToken)).Select(t => TemplateResponse.From(t, usage.GetValueOrDefault(t.Key)))], null));
    }

    private static async Task<Ok<TemplateResponse>> Get(string key, VerityDb db, Actor actor, HttpResponse response, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide("Templates are the success team's; customers see the plans made from them.");
        var template = await FindAsync(db, key, cancellationToken) ?? throw new NotFoundException($"Template '{key}'");
        ETags.Set(response, template.Version);
        return TypedResults.Ok(TemplateResponse.From(template, await PlansUsingAsync(db, template.Key, cancellationToken)));
    }

    private static async Task<Created<TemplateResponse>> Create(HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var template = await AddAsync(db, actor, await Json.ReadAsync<TemplateInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, template.Version);
        return TypedResults.Created($"/api/v1/templates/{template.Key}", TemplateResponse.From(template, 0));
    }

    public static async Task<PlanTemplate> AddAsync(VerityDb db, Actor actor, TemplateInput input, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin(AdminsOnly);
        Json.Validate(input);
        var template = new PlanTemplate { Key = "", Name = "" };
        input.ApplyTo(template);
        if (await FindAsync(db, template.Key, cancellationToken) is not null)
        {
            throw new BadInputException("key", $"'{template.Key}' is already a template's key; choose another.");
        }

        db.PlanTemplates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return template;
    }

    private static async Task<Ok<TemplateResponse>> Update(string key, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var template = await ChangeAsync(db, actor, key, request.Headers.IfMatch.ToString(), current => Json.PatchAsync(request, current), cancellationToken);
        ETags.Set(request.HttpContext.Response, template.Version);
        return TypedResults.Ok(TemplateResponse.From(template, await PlansUsingAsync(db, key, cancellationToken)));
    }

    /// <summary>
    /// Changes a house template: the change (a PATCH body, or the template page's form) is applied to its current
    /// input and checked like a new one, after the version the caller read is confirmed current.
    /// </summary>
    public static async Task<PlanTemplate> ChangeAsync(
        VerityDb db, Actor actor, string key, string? ifMatch, Func<TemplateInput, Task<TemplateInput>> change, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin(AdminsOnly);
        var template = await StoredAsync(db, key, cancellationToken);
        ETags.Check(ifMatch, db, template);
        var input = await change(TemplateInput.From(template));
        Json.Validate(input);
        if (input.Key != key)
        {
            throw new BadInputException("key", "A template keeps its key: plans refer to it. Add a new template instead.");
        }

        input.ApplyTo(template);
        await db.SaveChangesAsync(cancellationToken);
        return template;
    }

    private static async Task<NoContent> Delete(string key, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        await RemoveAsync(db, actor, key, request.Headers.IfMatch.ToString(), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task RemoveAsync(VerityDb db, Actor actor, string key, string? ifMatch, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin(AdminsOnly);
        var template = await StoredAsync(db, key, cancellationToken);
        ETags.Check(ifMatch, db, template);
        if (await PlansUsingAsync(db, key, cancellationToken) is > 0 and var plans)
        {
            throw new ConflictException($"{plans} plan{(plans == 1 ? " uses" : "s use")} the template '{key}'; it stays while they do.");
        }

        db.PlanTemplates.Remove(template);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A stored (not built-in) template to change: built-in ones are read-only.</summary>
    private static async Task<PlanTemplate> StoredAsync(VerityDb db, string key, CancellationToken cancellationToken)
    {
        if (BuiltInTemplates.Find(key) is not null)
        {
            throw new ConflictException($"'{key}' is built in and cannot be changed or removed; add a template of your own from it.");
        }

        return await db.PlanTemplates.FirstOrDefaultAsync(t => t.Key == key, cancellationToken) ?? throw new NotFoundException($"Template '{key}'");
    }
}
