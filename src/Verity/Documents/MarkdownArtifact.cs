using System.Globalization;
using System.Text;
using Verity.Domain.Common;
using Verity.Features.Objectives;

namespace Verity.Documents;

/// <summary>
/// The plan as Markdown, with labels in the style of GitLab's continuous-planning projects
/// (<c>~"Verifiable Outcome::Accepted"</c>), so it pastes cleanly into an issue tracker.
/// </summary>
public static class MarkdownArtifact
{
    public static string Render(PlanDocument d, bool gitlabLabels = false)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {Inline(d.AccountName)} — {d.ArtifactTitle}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Plan:** {Inline(d.PlanTitle)} · **Status:** {d.PlanStatus} · **Date:** {d.Date:yyyy-MM-dd}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Our team:** {Inline(string.Join(", ", d.VendorTeam.DefaultIfEmpty("—")))}  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Your team:** {Inline(string.Join(", ", d.CustomerTeam.DefaultIfEmpty("—")))}");
        md.AppendLine();

        if (PlanDocument.ShowsSummary(d.Artifact))
        {
            var summary = d.Summary();
            md.AppendLine("## Executive summary");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"**{Inline(summary.Headline)}**");
            foreach (var (title, lines) in summary.Parts())
            {
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"### {title}");
                md.AppendLine();
                foreach (var line in lines)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"- {Inline(line)}");
                }
            }

            md.AppendLine();
        }

        foreach (var section in d.Sections)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {section.Heading}");
            md.AppendLine();
            md.AppendLine(NoHtml(section.Content.Trim()));
            md.AppendLine();
            if (!d.CustomerFacing && section.InternalNotes is { } notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"> **Internal notes (vendor only):** {Inline(notes)}");
                md.AppendLine();
            }
        }

        md.AppendLine("## Objectives");
        md.AppendLine();
        if (d.Objectives.Count == 0)
        {
            md.AppendLine("_No objectives yet._");
            md.AppendLine();
        }

        var rank = 0;
        foreach (var o in d.Objectives)
        {
            rank++;
            md.AppendLine(CultureInfo.InvariantCulture, $"### {rank}. {Inline(o.Title)}");
            md.AppendLine();
            md.AppendLine(gitlabLabels
                ? string.Join(" ", Labels(o).Select(l => $"~\"{NoHtml(l)}\""))
                : string.Join(" · ", Facts(o).Select(f => $"**{f.Name}:** {Inline(f.Value)}")));
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Success criteria:** {Inline(o.SuccessCriteria ?? "—")}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Business impact:** {Inline(o.BusinessImpact ?? "—")}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Target date:** {o.TargetDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Owner:** {Inline(d.NameOf(o.OwnerId))}");
            foreach (var c in o.Confirmations.Where(c => c.IsValid))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **Confirmed by {Inline(d.NameOf(c.StakeholderId))} on {c.ConfirmedAt:yyyy-MM-dd}:** “{Inline(c.Statement)}”");
            }

            md.AppendLine();
            if (o.Metrics.Count > 0)
            {
                md.AppendLine("| Metric | Baseline | Target | Latest | Progress |");
                md.AppendLine("|---|---|---|---|---|");
                foreach (var m in o.Metrics)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {Cell(m.Name + (m.Unit is null ? "" : $" ({m.Unit})"))} | {Value(m.Baseline?.Value)} | {Value(m.Target?.Value)}{(m.Target?.By is { } by ? $" by {by:yyyy-MM-dd}" : "")} | {Value(m.Latest?.Value)} | {Math.Round(m.Progress * 100)}% |");
                }

                md.AppendLine();
            }

            foreach (var i in o.Initiatives)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- [{(i.Status == Domain.Objectives.InitiativeStatus.Done ? "x" : " ")}] {Inline(i.Title)} — {Words.Say(i.Status)}, {Inline(d.NameOf(i.OwnerId ?? i.OwnerStakeholderId))}, due {i.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}");
            }

            if (o.Initiatives.Count > 0)
            {
                md.AppendLine();
            }
        }

        if (d.Journey is { Count: > 0 } journey)
        {
            md.AppendLine("## Adoption journey");
            md.AppendLine();
            md.AppendLine("| When | Milestone | Owner | Due | Status |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var m in journey)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Words.Say(m.Horizon)} | {Cell(m.Title)} | {Cell(m.Owner)} | {m.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"} | {(m.Overdue ? "Overdue" : Words.Say(m.Status))} |");
            }

            md.AppendLine();
        }

        if (d.Adoption is { } adoption)
        {
            md.AppendLine("## Adoption, use cases and support");
            md.AppendLine();
            if (adoption.Features.Count > 0)
            {
                md.AppendLine("| Feature | As of | Licensed users | Active users | Utilisation |");
                md.AppendLine("|---|---|---|---|---|");
                foreach (var f in adoption.Features)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {Cell(f.Feature)} | {f.At:yyyy-MM-dd} | {f.LicensedUsers:N0} | {f.ActiveUsers:N0} | {Percent(f.Utilisation)} |");
                }

                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| All features | | {adoption.Features.Sum(f => (long)f.LicensedUsers):N0} | {adoption.Features.Sum(f => (long)f.ActiveUsers):N0} | {Percent(adoption.Utilisation)} |");
                md.AppendLine();
            }

            if (adoption.UseCases.Count > 0)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"**Use cases:** {adoption.UseCaseSummary()}.");
                md.AppendLine();
                foreach (var line in adoption.UseCaseLines())
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"- {Inline(line)}");
                }

                md.AppendLine();
            }

            if (adoption.SupportLine() is { } support)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"**Support:** {support}");
                md.AppendLine();
            }
        }

        if (d.NextSteps() is { Count: > 0 } next)
        {
            md.AppendLine("## Next steps");
            md.AppendLine();
            md.AppendLine("| When | What | Who |");
            md.AppendLine("|---|---|---|");
            foreach (var n in next)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {n.When:yyyy-MM-dd} | {Cell(n.What)} | {Cell(n.Who)} |");
            }

            md.AppendLine();
        }

        if (d.Timeline.Count > 0)
        {
            md.AppendLine("## Timeline");
            md.AppendLine();
            foreach (var a in d.Timeline)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {a.At:yyyy-MM-dd} · {Words.Say(a.Type)}{(a.Internal ? " (internal)" : "")}: {Inline(a.Summary)}");
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    /// <summary>Where an objective stands, in words: its outcome stage, status, health and use case.</summary>
    public static IEnumerable<(string Name, string Value)> Facts(ObjectiveResponse o)
    {
        yield return ("Outcome", Words.Say(o.OutcomeStage));
        yield return ("Status", Words.Say(o.Status));
        if (o.Health is { } health)
        {
            yield return ("Health", Words.Say(health));
        }

        if (!string.IsNullOrWhiteSpace(o.UseCase))
        {
            yield return ("Use case", o.UseCase.Trim());
        }
    }

    /// <summary>Scoped labels as GitLab's success-plan projects use them (<c>labels=gitlab</c>).</summary>
    public static IEnumerable<string> Labels(ObjectiveResponse o)
    {
        yield return $"Verifiable Outcome::{Title(o.OutcomeStage.ToString())}";
        yield return $"Objective Status::{Title(o.Status.ToString())}";
        if (o.Health is { } health)
        {
            yield return $"Health::{Title(health.ToString())}";
        }

        if (!string.IsNullOrWhiteSpace(o.UseCase))
        {
            yield return $"UseCase::{o.UseCase.Trim()}";
        }
    }

    private static string Title(string pascal) => string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? $" {c}" : c.ToString()));

    private static string Percent(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    private static string Value(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "—";

    private static string Inline(string text) => NoHtml(text.ReplaceLineEndings(" ").Trim());

    /// <summary>
    /// User text stays text wherever the file is rendered: Verity's own Markdown allows no raw HTML, but GitLab's
    /// and most viewers' do, so a tag in a title must not become one.
    /// </summary>
    private static string NoHtml(string text) => text.Replace("<", "&lt;", StringComparison.Ordinal);

    private static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);
}
