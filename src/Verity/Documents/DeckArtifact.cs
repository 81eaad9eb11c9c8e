using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace Verity.Documents;

/// <summary>
/// The plan as a 16:9 slide deck (DocumentFormat.OpenXml): title, agenda, the artifact's elements, the
/// objectives, a chart per quantitative objective, initiatives, timeline highlights, what changed since the
/// last business review and what recently closed. Long text continues on a further slide instead of
/// overflowing its box.
/// </summary>
public static class DeckArtifact
{
    private const long SlideWidth = 12_192_000;
    private const long SlideHeight = 6_858_000;
    private const long Margin = 457_200;
    private const long TitleTop = 300_000;
    private const long BodyTop = 1_350_000;
    private const long BodyHeight = SlideHeight - BodyTop - 450_000;
    private const int BodyLines = 13;
    private const int CharsPerLine = 92;
    private const int RowsPerTable = 7;

    public static byte[] Render(PlanDocument d)
    {
        using var buffer = new MemoryStream();
        using (var document = PresentationDocument.Create(buffer, PresentationDocumentType.Presentation))
        {
            var deck = new Deck(document, d.Brand);
            var agenda = Agenda(d);

            deck.Title(d.AccountName, $"{d.ArtifactTitle}\n{d.PlanTitle}\n{d.Date:d MMMM yyyy}", d.VendorTeam, d.CustomerTeam);
            var summary = PlanDocument.ShowsSummary(d.Artifact) ? d.Summary() : null;
            if (summary is not null)
            {
                deck.Text("Executive summary", Summary(summary, Unchanged(d)), size: 1200, lines: 22);
            }

            deck.Text("Agenda", agenda.Select(a => "• " + a).ToList());

            foreach (var section in d.Sections)
            {
                var blocks = RichText.Parse(section.Content).Select(b => (b, Ink)).ToList();
                if (!d.CustomerFacing && section.InternalNotes is { } notes)
                {
                    blocks.Add((Plain("INTERNAL — vendor only:", bold: true), Alarm));
                    blocks.AddRange(RichText.Parse(notes).Select(b => (b, Alarm)));
                }

                deck.Text(section.Heading, blocks);
            }

            // One slide per open objective: the customer's words beside its chart. Charts are the slow part: draw them
            // on every core first, then place them in order.
            var open = d.Live.Where(o => o.Status != ObjectiveStatus.ClosedSuccess).ToList();
            var pictures = new byte[]?[open.Count];
            Parallel.For(0, open.Count, i => pictures[i] = open[i] is { Kind: Domain.Objectives.ObjectiveKind.Quantitative, Metrics: [var m, ..] }
                ? MetricChart.Png(m, d.Measurements[m.Id], d.Brand.ChartAccent) : null);
            foreach (var (o, picture) in open.Zip(pictures))
            {
                deck.Objective(Clip(o.Title, 80), ObjectiveWords(d, o), picture, o.Metrics.FirstOrDefault() is { } metric
                    ? $"{metric.Name}: baseline {Number(metric.Baseline?.Value)}, target {Number(metric.Target?.Value)}, latest {Number(metric.Latest?.Value)}."
                    : "");
            }

            // The wins on one slide, each in the customer's own written words.
            var won = d.Live.Where(o => o.Status == ObjectiveStatus.ClosedSuccess).ToList();
            if (won.Count > 0)
            {
                deck.Text("Outcomes the customer confirmed", [.. won.SelectMany(o => Confirmed(d, o))]);
            }

            if (d.Journey is { Count: > 0 } journey)
            {
                deck.Table("Adoption journey", ["When", "Milestone", "Owner", "Due", "Status"],
                    journey.Select(m => new[]
                    {
                        Words.Say(m.Horizon), Clip(m.Title, 70), Clip(m.Owner, 30),
                        m.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—", m.Overdue ? "Overdue" : Words.Say(m.Status),
                    }).ToList(),
                    [1_400_000, 4_400_000, 2_200_000, 1_400_000, 1_800_000]);
            }

            var initiatives = d.Live.SelectMany(o => o.Initiatives)
                .OrderBy(i => d.NameOf(i.OwnerId ?? i.OwnerStakeholderId)).ThenBy(i => i.DueDate ?? DateOnly.MaxValue).ToList();
            if (initiatives.Count > 0)
            {
                deck.Table("Initiatives", ["Initiative", "Owner", "Status", "Due"],
                    initiatives.Select(i => new[]
                    {
                        Clip(i.Title, 70), Clip(d.NameOf(i.OwnerId ?? i.OwnerStakeholderId), 30), Words.Say(i.Status),
                        i.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—",
                    }).ToList(),
                    [5_600_000, 2_400_000, 1_600_000, 1_600_000]);
            }

            if (d.Adoption is { } adoption)
            {
                Adoption(deck, adoption);
            }

            // Risks and asks the summary did not already list; every one of them where there is no summary.
            var shown = summary is null ? 0 : PlanDocument.SummaryItems;
            var risks = d.Risks().Skip(shown).Select(r => new[] { "Risk", Clip(r.What, 90), Clip(r.Who, 30), Day(r.When) });
            var asks = d.Asks().Skip(shown).Select(a => new[] { "Ask", Clip(a.What, 90), Clip(a.Who, 30), Day(a.When) });
            if (risks.Concat(asks).ToList() is { Count: > 0 } rows)
            {
                deck.Table(summary is null ? "Risks and asks" : "More risks and asks", ["", "What", "Who", "By"], rows, [1_000_000, 6_200_000, 2_400_000, 1_600_000]);
            }

            if (d.Artifact != Artifact.BusinessReview && d.Timeline.Count > 0)
            {
                deck.Text("Timeline highlights", d.Timeline.Select(a =>
                    $"{a.At:yyyy-MM-dd} · {Words.Say(a.Type)}{(a.Internal ? " (internal)" : "")}: {Clip(a.Summary, 160)}").ToList());
            }

            if (d.ChangesSinceLastReview.Count > 0)
            {
                deck.Text(ChangesTitle(d), d.ChangesSinceLastReview.Select(c => $"{c.At:yyyy-MM-dd} · {Clip(c.What, 60)}: {c.Field} {c.Old ?? "—"} → {c.New ?? "—"}").ToList());
            }

            if (d.RecentlyClosed.Where(o => o.Status != ObjectiveStatus.ClosedSuccess).ToList() is { Count: > 0 } closed)
            {
                deck.Text("Recently closed without the outcome", closed.Select(o => $"{Clip(o.Title, 90)} — {Words.Say(o.Status)}").ToList());
            }

            if (d.NextSteps() is { Count: > 0 } next)
            {
                deck.Table("Next steps", ["When", "What", "Who"],
                    next.Select(n => new[] { Day(n.When), Clip(n.What, 90), Clip(n.Who, 60) }).ToList(),
                    [1_600_000, 6_000_000, 3_600_000]);
            }

            deck.Save();
        }

        return buffer.ToArray();
    }

    /// <summary>The slides that follow, by name: only those the deck has.</summary>
    private static List<string> Agenda(PlanDocument d)
    {
        var agenda = d.Sections.Select(s => s.Title).ToList();
        if (d.Live.Any(o => o.Status != ObjectiveStatus.ClosedSuccess))
        {
            agenda.Add("Our objectives, one by one");
        }

        if (d.Live.Any(o => o.Status == ObjectiveStatus.ClosedSuccess))
        {
            agenda.Add("Outcomes the customer confirmed");
        }

        if (d.Journey is { Count: > 0 })
        {
            agenda.Add("The adoption journey");
        }

        if (d.Live.Any(o => o.Initiatives.Count > 0))
        {
            agenda.Add("Initiatives");
        }

        if (d.Adoption is not null)
        {
            agenda.Add("Adoption, use cases and support");
        }

        if (d.ChangesSinceLastReview.Count > 0 || d.RecentlyClosed.Any(o => o.Status != ObjectiveStatus.ClosedSuccess))
        {
            agenda.Add("What changed and what closed");
        }

        if (d.NextSteps().Count > 0)
        {
            agenda.Add("Next steps");
        }

        return agenda.Count > BodyLines ? [.. agenda.Take(BodyLines - 1), "…and more"] : agenda;
    }

    private static string ChangesTitle(PlanDocument d) =>
        d.LastBusinessReview is { } last ? $"Changed since the last business review ({last:yyyy-MM-dd})" : "Changed in the last 90 days";

    /// <summary>The summary's line when nothing changed, so the deck carries no slide that says nothing.</summary>
    private static string? Unchanged(PlanDocument d) => d.Artifact == Artifact.BusinessReview && d.ChangesSinceLastReview.Count == 0
        ? (d.LastBusinessReview is { } last
            ? $"No objective has changed status, stage or date since the last business review ({last:yyyy-MM-dd})."
            : "No objective has changed status, stage or date in the last 90 days.")
        : null;

    /// <summary>An objective in the customer's words: what they said, what success looks like, why it matters, where it stands.</summary>
    private static List<(RichBlock, string)> ObjectiveWords(PlanDocument d, Features.Objectives.ObjectiveResponse o)
    {
        var blocks = new List<(RichBlock, string)>();
        if (o.Description is { Length: > 0 } said)
        {
            blocks.Add((new RichBlock(RichKind.Quote, [new RichSpan($"“{Clip(said, 280)}”")]), Ink));
        }

        void Line(string label, string? text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                blocks.Add((new RichBlock(RichKind.Paragraph, [new RichSpan(label + " ", Bold: true), new RichSpan(Clip(text, 220))]), Ink));
            }
        }

        Line("Success looks like:", o.SuccessCriteria);
        Line("Why it matters:", o.BusinessImpact);
        Line("Where it stands:", $"{Words.Say(o.OutcomeStage)} · {Words.Say(o.Status)}" + (o.Health is { } h ? $" · {Words.Say(h)}" : ""));
        Line("Progress:", o.Metrics.FirstOrDefault() is { Latest: not null } ? PlanDocument.Standing(o) : null);
        Line("Dates:", string.Join(" · ", new[]
        {
            o.TargetDate is { } t ? $"target {t:yyyy-MM-dd}" : null,
            o.LastValidatedAt is { } v ? $"last validated with the customer {v:yyyy-MM-dd}" : null,
        }.OfType<string>()));
        Line("Owner:", d.NameOf(o.OwnerId) is var owner and not "—" ? owner : null);
        return blocks;
    }

    /// <summary>A confirmed outcome: its title, then the confirmation in the customer's words, by whom and when.</summary>
    private static IEnumerable<(RichBlock, string)> Confirmed(PlanDocument d, Features.Objectives.ObjectiveResponse o)
    {
        yield return (new RichBlock(RichKind.Paragraph, [new RichSpan(Clip(o.Title, 120), Bold: true)]), Ink);
        if (o.Confirmations.FirstOrDefault(c => c.IsValid) is { } c)
        {
            yield return (new RichBlock(RichKind.Quote, [new RichSpan($"“{Clip(c.Statement, 200)}” — {d.NameOf(c.StakeholderId)}, {c.ConfirmedAt:yyyy-MM-dd}")]), Ink);
        }
    }

    private static void Adoption(Deck deck, DocumentAdoption adoption)
    {
        if (adoption.Features.Count > 0)
        {
            var licensed = adoption.Features.Sum(f => (long)f.LicensedUsers);
            var active = adoption.Features.Sum(f => (long)f.ActiveUsers);
            deck.Table("Adoption by feature", ["Feature", "As of", "Licensed users", "Active users", "Utilisation"],
                [
                    .. adoption.Features.Select(f => new[]
                    {
                        Clip(f.Feature, 60), Domain.Common.Dates.Iso(f.At), Count(f.LicensedUsers), Count(f.ActiveUsers), Percent(f.Utilisation),
                    }),
                    ["All features", "", Count(licensed), Count(active), Percent(adoption.Utilisation)],
                ],
                [4_000_000, 1_600_000, 1_800_000, 1_800_000, 2_000_000]);
        }

        var lines = new List<string>();
        if (adoption.UseCases.Count > 0)
        {
            lines.Add($"Use cases: {adoption.UseCaseSummary()}.");
            lines.AddRange(adoption.UseCaseLines().Select(l => "• " + Clip(l, 160)));
        }

        if (adoption.SupportLine() is { } support)
        {
            if (lines.Count > 0)
            {
                lines.Add("");
            }

            lines.Add("Support. " + support);
        }

        if (lines.Count > 0)
        {
            deck.Text("Use cases and support", lines);
        }
    }

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>The summary as a slide: the headline, then progress, risks and asks as short bullets.</summary>
    private static List<(RichBlock, string)> Summary(ExecutiveSummary summary, string? unchanged)
    {
        var blocks = new List<(RichBlock, string)> { (Plain(summary.Headline, bold: true), Ink) };
        if (unchanged is not null)
        {
            blocks.Add((Plain(unchanged), Ink));
        }

        foreach (var (title, lines) in summary.Parts())
        {
            blocks.Add((new RichBlock(RichKind.Heading, [new RichSpan(title)], 2), Ink));
            blocks.AddRange(lines.Select(l => (new RichBlock(RichKind.Bullet, [new RichSpan(Clip(l, 200))], 0, "•"), Ink)));
        }

        return blocks;
    }

    private const string Ink = "1D2330";
    private const string Alarm = "B3261E";

    private static RichBlock Plain(string text, bool bold = false) => new(RichKind.Paragraph, [new RichSpan(text, bold)]);

    private static List<string> Paragraphs(string text) =>
        text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).ToList();

    private static string Join(IReadOnlyList<string> names) => names.Count == 0 ? "—" : Clip(string.Join(", ", names), 180);

    private static string Clip(string text, int length)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= length ? text : text[..(length - 1)].TrimEnd() + "…";
    }

    private static string Number(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "—";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>Builds the package: one master, one layout, one theme, and the slides in order.</summary>
    private sealed class Deck
    {
        private readonly PresentationPart _presentation;
        private readonly SlideLayoutPart _layout;
        private readonly SlideIdList _slides = new();
        private uint _nextSlideId = 256;

        private readonly Brand _brand;

        public Deck(PresentationDocument document, Brand brand)
        {
            _brand = brand;
            _presentation = document.AddPresentationPart();
            _presentation.Presentation = new Presentation();
            var master = _presentation.AddNewPart<SlideMasterPart>("rIdMaster");
            _layout = master.AddNewPart<SlideLayoutPart>("rIdLayout");
            _layout.SlideLayout = new SlideLayout(
                new CommonSlideData(EmptyTree()) { Name = "Blank" },
                new ColorMapOverride(new A.MasterColorMapping()))
            { Type = SlideLayoutValues.Blank };
            _layout.AddPart(master, "rIdMaster");
            master.AddNewPart<ThemePart>("rIdTheme").Theme = Theme();
            master.SlideMaster = new SlideMaster(
                new CommonSlideData(new Background(new BackgroundStyleReference(new A.SchemeColor { Val = A.SchemeColorValues.Background1 }) { Index = 1001U }), EmptyTree()),
                new P.ColorMap
                {
                    Background1 = A.ColorSchemeIndexValues.Light1, Text1 = A.ColorSchemeIndexValues.Dark1,
                    Background2 = A.ColorSchemeIndexValues.Light2, Text2 = A.ColorSchemeIndexValues.Dark2,
                    Accent1 = A.ColorSchemeIndexValues.Accent1, Accent2 = A.ColorSchemeIndexValues.Accent2,
                    Accent3 = A.ColorSchemeIndexValues.Accent3, Accent4 = A.ColorSchemeIndexValues.Accent4,
                    Accent5 = A.ColorSchemeIndexValues.Accent5, Accent6 = A.ColorSchemeIndexValues.Accent6,
                    Hyperlink = A.ColorSchemeIndexValues.Hyperlink, FollowedHyperlink = A.ColorSchemeIndexValues.FollowedHyperlink,
                },
                new SlideLayoutIdList(new SlideLayoutId { Id = 2147483649U, RelationshipId = "rIdLayout" }),
                new TextStyles(new TitleStyle(), new BodyStyle(), new OtherStyle()));
        }

        /// <summary>
        /// The cover: the account's name on the brand's band, a place for each side's logo (the vendor's from
        /// <c>Brand:LogoPath</c>, else its name; the customer's name as its wordmark), and both teams by role.
        /// </summary>
        public void Title(string account, string subtitle, IReadOnlyList<string> ourTeam, IReadOnlyList<string> yourTeam)
        {
            const long tile = 1_500_000;
            var (slide, tree) = NewSlide();
            tree.Append(Box(2, "Band", 0, 0, SlideWidth, 2_300_000, [], fill: _brand.Hex));
            tree.Append(Box(3, "Account", Margin, 600_000, SlideWidth - 2 * Margin - 2 * tile - 600_000, 1_100_000, [(account, 4000, true, "FFFFFF")]));
            if (_brand.Name is { Length: > 0 } name)
            {
                tree.Append(Box(6, "Prepared by", Margin, 1_650_000, SlideWidth - 2 * Margin, 500_000, [($"Prepared by {name}", 1400, false, "FFFFFF")]));
            }

            // Two white tiles at the band's right, so any logo reads on any colour: the customer's, then the vendor's.
            var vendorX = SlideWidth - Margin - tile;
            var customerX = vendorX - tile - 300_000;
            tree.Append(Box(9, "Customer logo", customerX, 300_000, tile, tile, [(Clip(account, 40), 1400, true, _brand.Hex)], fill: "FFFFFF"));
            if (_brand.Logo() is { } logo)
            {
                var image = slide.SlidePart!.AddImagePart(logo.Png ? ImagePartType.Png : ImagePartType.Jpeg);
                using (var stream = new MemoryStream(logo.Bytes))
                {
                    image.FeedData(stream);
                }

                tree.Append(Box(7, "Logo tile", vendorX, 300_000, tile, tile, [], fill: "FFFFFF"));
                tree.Append(new P.Picture(
                    new P.NonVisualPictureProperties(
                        new NonVisualDrawingProperties { Id = 8U, Name = "Logo", Description = _brand.Name ?? "Logo" },
                        new P.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true }),
                        new ApplicationNonVisualDrawingProperties()),
                    new P.BlipFill(new A.Blip { Embed = slide.SlidePart!.GetIdOfPart(image) }, new A.Stretch(new A.FillRectangle())),
                    new P.ShapeProperties(
                        new A.Transform2D(new A.Offset { X = vendorX + 100_000, Y = 400_000 }, new A.Extents { Cx = tile - 200_000, Cy = tile - 200_000 }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })));
            }
            else
            {
                tree.Append(Box(7, "Logo tile", vendorX, 300_000, tile, tile, [(Clip(_brand.Name ?? "Verity", 40), 1400, true, _brand.Hex)], fill: "FFFFFF"));
            }

            tree.Append(Box(4, "Subtitle", Margin, 2_500_000, SlideWidth - 2 * Margin, 1_600_000,
                Paragraphs(subtitle).Select(l => (l, 2400, false, "1D2330")).ToList()));
            var half = (SlideWidth - 2 * Margin - 300_000) / 2;
            tree.Append(Box(5, "Our team", Margin, 4_200_000, half, 2_300_000, Team("Our team", ourTeam)));
            tree.Append(Box(10, "Your team", Margin + half + 300_000, 4_200_000, half, 2_300_000, Team("Your team", yourTeam)));
            slide.Save();
        }

        /// <summary>A team as the cover lists it: a heading, then a line per person by role; more than six are counted.</summary>
        private List<(string, int, bool, string)> Team(string heading, IReadOnlyList<string> people) =>
        [
            (heading, 1500, true, _brand.Hex),
            .. people.Take(6).Select(p => (Clip(p, 70), 1200, false, "4F5868")),
            .. people.Count > 6 ? [($"and {people.Count - 6} more", 1200, false, "4F5868")] : Array.Empty<(string, int, bool, string)>(),
            .. people.Count == 0 ? [("To be named", 1200, false, "4F5868")] : Array.Empty<(string, int, bool, string)>(),
        ];

        /// <summary>
        /// One objective: its title, the customer's words on the left and its chart on the right with a caption;
        /// without a chart the words take the whole slide.
        /// </summary>
        public void Objective(string title, IReadOnlyList<(RichBlock Block, string Color)> words, byte[]? png, string caption)
        {
            var (slide, tree) = NewSlide();
            tree.Append(Heading(title));
            var part = slide.SlidePart!;
            if (png is null)
            {
                tree.Append(Body(part, words, 1600));
                slide.Save();
                return;
            }

            const long width = 6_200_000;
            const long height = 2_712_500;
            var x = SlideWidth - Margin - width;
            tree.Append(Body(part, words, 1300, Margin, x - Margin - 250_000));
            var image = part.AddImagePart(ImagePartType.Png);
            using (var stream = new MemoryStream(png))
            {
                image.FeedData(stream);
            }

            tree.Append(new P.Picture(
                new P.NonVisualPictureProperties(
                    new NonVisualDrawingProperties { Id = 5U, Name = "Chart", Description = caption },
                    new P.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true }),
                    new ApplicationNonVisualDrawingProperties()),
                new P.BlipFill(new A.Blip { Embed = part.GetIdOfPart(image) }, new A.Stretch(new A.FillRectangle())),
                new P.ShapeProperties(
                    new A.Transform2D(new A.Offset { X = x, Y = BodyTop }, new A.Extents { Cx = width, Cy = height }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })));
            tree.Append(Box(4, "Caption", x, BodyTop + height + 100_000, width, 600_000, [(Clip(caption, 200), 1200, false, "4F5868")]));
            slide.Save();
        }

        /// <summary>A titled slide of plain lines; what does not fit continues on the next slide.</summary>
        public void Text(string title, IReadOnlyList<string> lines) => Text(title, [.. lines.Select(l => (Plain(l), Ink))]);

        /// <summary>
        /// A titled slide of formatted text — headings, bullets, bold, italic, links — in the given colours; what does not
        /// fit continues on the next slide, and a table gets a slide of its own where it stands.
        /// </summary>
        /// <remarks>
        /// A dense slide (the executive summary) passes a smaller <paramref name="size"/>, in hundredths of a point, and
        /// the <paramref name="lines"/> that fit at that size (22 at 12 pt, as LibreOffice lays them out).
        /// </remarks>
        public void Text(string title, IReadOnlyList<(RichBlock Block, string Color)> blocks, int size = 1600, int lines = BodyLines)
        {
            var perLine = CharsPerLine * 1600 / size;
            var page = new List<(RichBlock Block, string Color)>();
            var used = 0.0;
            var slides = 0;
            string Title() => slides++ == 0 ? title : $"{title} (continued)";

            void Flush()
            {
                if (page.Count > 0 || slides == 0)
                {
                    var (slide, tree) = NewSlide();
                    tree.Append(Heading(Title()));
                    tree.Append(Body(slide.SlidePart!, page, size));
                    slide.Save();
                }

                page = [];
                used = 0;
            }

            foreach (var (block, color) in blocks)
            {
                if (block.Kind == RichKind.Table)
                {
                    if (page.Count > 0)
                    {
                        Flush();
                    }

                    var rows = block.Rows!;
                    var columns = rows.Max(r => r.Count);
                    var cells = rows.Select(r => Enumerable.Range(0, columns).Select(i => Clip(i < r.Count ? r[i] : "", 160 / columns)).ToArray()).ToList();
                    Table(Title(), cells[0], cells.Skip(1).ToList(), [.. Enumerable.Repeat((SlideWidth - 2 * Margin) / columns, columns)]);
                    continue;
                }

                foreach (var part in Split(block))
                {
                    var height = Math.Max(1, (part.Plain.Length + 4 * part.Level + perLine - 1) / perLine) * (part.Kind == RichKind.Heading ? 1.4 : 1.0);
                    if (used + height > lines && page.Count > 0)
                    {
                        Flush();
                    }

                    page.Add((part, color));
                    used += height;
                }
            }

            if (page.Count > 0 || slides == 0)
            {
                Flush();
            }
        }

        public void Table(string title, string[] header, IReadOnlyList<string[]> rows, long[] widths)
        {
            for (var start = 0; start < rows.Count; start += RowsPerTable)
            {
                var (slide, tree) = NewSlide();
                tree.Append(Heading(start == 0 ? title : $"{title} (continued)"));
                var table = new A.Table(
                    new A.TableProperties { FirstRow = true, BandRow = true },
                    new A.TableGrid(widths.Select(w => new A.GridColumn { Width = w })));
                table.Append(Row(header, bold: true, fill: _brand.Hex, color: "FFFFFF"));
                foreach (var row in rows.Skip(start).Take(RowsPerTable))
                {
                    table.Append(Row(row, bold: false, fill: null, color: "1D2330"));
                }

                tree.Append(new GraphicFrame(
                    new NonVisualGraphicFrameProperties(
                        new NonVisualDrawingProperties { Id = 3U, Name = "Table" },
                        new NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoGrouping = true }),
                        new ApplicationNonVisualDrawingProperties()),
                    new Transform(new A.Offset { X = Margin, Y = BodyTop }, new A.Extents { Cx = widths.Sum(), Cy = 500_000L * (Math.Min(RowsPerTable, rows.Count - start) + 1) }),
                    new A.Graphic(new A.GraphicData(table) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/table" })));
                slide.Save();
            }
        }

        public void Save()
        {
            _presentation.Presentation.Append(
                new SlideMasterIdList(new SlideMasterId { Id = 2147483648U, RelationshipId = "rIdMaster" }),
                _slides,
                new SlideSize { Cx = (int)SlideWidth, Cy = (int)SlideHeight },
                new NotesSize { Cx = 6_858_000, Cy = 9_144_000 },
                new DefaultTextStyle());
            _presentation.Presentation.Save();
        }

        private (Slide Slide, ShapeTree Tree) NewSlide()
        {
            var part = _presentation.AddNewPart<SlidePart>($"rIdSlide{_nextSlideId}");
            part.AddPart(_layout);
            var tree = EmptyTree();
            part.Slide = new Slide(new CommonSlideData(tree), new ColorMapOverride(new A.MasterColorMapping()));
            _slides.Append(new SlideId { Id = _nextSlideId++, RelationshipId = _presentation.GetIdOfPart(part) });
            return (part.Slide, tree);
        }

        /// <summary>A block too long for one slide, cut at spaces into pieces that fit; only the first keeps its bullet.</summary>
        private static IEnumerable<RichBlock> Split(RichBlock block)
        {
            const int max = CharsPerLine * 4;
            if (block.Plain.Length <= max)
            {
                yield return block;
                yield break;
            }

            var piece = new List<RichSpan>();
            var used = 0;
            var marker = block.Marker;
            foreach (var span in block.Spans)
            {
                var text = span.Text;
                while (used + text.Length > max)
                {
                    var room = max - used;
                    var cut = text.LastIndexOf(' ', Math.Max(0, room - 1));
                    cut = cut > 0 ? cut : used == 0 ? room : 0;
                    if (cut > 0)
                    {
                        piece.Add(span with { Text = text[..cut] });
                    }

                    yield return block with { Spans = piece, Marker = marker };
                    (piece, used, marker, text) = ([], 0, block.Marker is null ? null : "", text[cut..].TrimStart());
                }

                if (text.Length > 0)
                {
                    piece.Add(span with { Text = text });
                    used += text.Length;
                }
            }

            if (piece.Count > 0)
            {
                yield return block with { Spans = piece, Marker = marker };
            }
        }

        /// <summary>The body of a text slide: each block a paragraph, bullets hanging, links that open.</summary>
        private static P.Shape Body(SlidePart slide, IReadOnlyList<(RichBlock Block, string Color)> blocks, int size, long x = Margin, long width = SlideWidth - 2 * Margin)
        {
            var shape = Box(3, "Body", x, BodyTop, width, BodyHeight, []);
            var body = shape.TextBody!;
            body.RemoveAllChildren<A.Paragraph>();
            foreach (var (block, color) in blocks.DefaultIfEmpty((Plain(""), Ink)))
            {
                const int step = 342_900;
                var paragraph = new A.Paragraph();
                var properties = new A.ParagraphProperties(new A.SpaceBefore(new A.SpacingPoints { Val = block.Kind == RichKind.Bullet ? 200 : 500 }));
                if (block.Kind == RichKind.Bullet)
                {
                    properties.LeftMargin = step * (block.Level + 1);
                    properties.Indent = block.Marker is { Length: > 0 } ? -step : 0;
                    properties.Append(block.Marker == "•" ? new A.CharacterBullet { Char = "•" } : new A.NoBullet());
                }
                else if (block.Kind == RichKind.Quote)
                {
                    properties.LeftMargin = step;
                    properties.Append(new A.NoBullet());
                }
                else
                {
                    properties.Append(new A.NoBullet());
                }

                paragraph.Append(properties);
                var points = block.Kind switch { RichKind.Heading => size + (block.Level <= 1 ? 400 : 200), RichKind.Code => size - 200, _ => size };
                var runs = block.Kind == RichKind.Bullet && block.Marker is { Length: > 0 } marker && marker != "•"
                    ? block.Spans.Prepend(new RichSpan(marker + " ")) : block.Spans;
                foreach (var span in runs.DefaultIfEmpty(new RichSpan("")))
                {
                    var run = new A.RunProperties(new A.SolidFill(new A.RgbColorModelHex { Val = span.Link is null ? color : "1F5FBF" }),
                        new A.LatinFont { Typeface = span.Code || block.Kind == RichKind.Code ? "DejaVu Sans Mono" : "DejaVu Sans" })
                    {
                        Language = "en-GB", FontSize = points, Dirty = false,
                        Bold = span.Bold || block.Kind == RichKind.Heading, Italic = span.Italic || block.Kind == RichKind.Quote,
                    };
                    if (span.Link is { } link)
                    {
                        run.Underline = A.TextUnderlineValues.Single;
                        run.Append(new A.HyperlinkOnClick { Id = slide.AddHyperlinkRelationship(new Uri(link, UriKind.Absolute), true).Id });
                    }

                    paragraph.Append(new A.Run(run, new A.Text(span.Text)));
                }

                body.Append(paragraph);
            }

            return shape;
        }

        private P.Shape Heading(string title) =>
            Box(2, "Title", Margin, TitleTop, SlideWidth - 2 * Margin, 900_000, [(Clip(title, 110), 2800, true, _brand.Hex)]);

        private static P.Shape Box(uint id, string name, long x, long y, long width, long height, IReadOnlyList<(string Text, int Size, bool Bold, string Color)> paragraphs, string? fill = null)
        {
            var properties = new P.ShapeProperties(
                new A.Transform2D(new A.Offset { X = x, Y = y }, new A.Extents { Cx = width, Cy = height }),
                new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle });
            if (fill is not null)
            {
                properties.Append(new A.SolidFill(new A.RgbColorModelHex { Val = fill }));
            }

            var body = new P.TextBody(
                new A.BodyProperties(new A.NormalAutoFit()) { Wrap = A.TextWrappingValues.Square, LeftInset = 91_440, RightInset = 91_440 },
                new A.ListStyle());
            foreach (var (text, size, bold, color) in paragraphs.DefaultIfEmpty(("", 1600, false, "1D2330")))
            {
                body.Append(new A.Paragraph(
                    new A.Run(
                        new A.RunProperties(new A.SolidFill(new A.RgbColorModelHex { Val = color }), new A.LatinFont { Typeface = "DejaVu Sans" })
                        { Language = "en-GB", FontSize = size, Bold = bold, Dirty = false },
                        new A.Text(text))));
            }

            return new P.Shape(
                new P.NonVisualShapeProperties(
                    new NonVisualDrawingProperties { Id = id, Name = name },
                    new P.NonVisualShapeDrawingProperties(new A.ShapeLocks { NoGrouping = true }),
                    new ApplicationNonVisualDrawingProperties()),
                properties,
                body);
        }

        private static A.TableRow Row(string[] cells, bool bold, string? fill, string color)
        {
            var row = new A.TableRow { Height = 500_000 };
            foreach (var text in cells)
            {
                var cellProperties = new A.TableCellProperties();
                if (fill is not null)
                {
                    cellProperties.Append(new A.SolidFill(new A.RgbColorModelHex { Val = fill }));
                }

                row.Append(new A.TableCell(
                    new A.TextBody(new A.BodyProperties(), new A.ListStyle(), new A.Paragraph(new A.Run(
                        new A.RunProperties(new A.SolidFill(new A.RgbColorModelHex { Val = color })) { Language = "en-GB", FontSize = 1200, Bold = bold, Dirty = false },
                        new A.Text(text)))),
                    cellProperties));
            }

            return row;
        }

        private static ShapeTree EmptyTree() => new(
            new P.NonVisualGroupShapeProperties(
                new NonVisualDrawingProperties { Id = 1U, Name = "" },
                new P.NonVisualGroupShapeDrawingProperties(),
                new ApplicationNonVisualDrawingProperties()),
            new GroupShapeProperties(new A.TransformGroup()));

        private static A.Theme Theme()
        {
            static A.SolidFill Scheme(A.SchemeColorValues value) => new(new A.SchemeColor { Val = value });
            static A.Outline Line(int width) => new(Scheme(A.SchemeColorValues.PhColor)) { Width = width };
            return new A.Theme(
                new A.ThemeElements(
                    new A.ColorScheme(
                        new A.Dark1Color(new A.RgbColorModelHex { Val = "1D2330" }),
                        new A.Light1Color(new A.RgbColorModelHex { Val = "FFFFFF" }),
                        new A.Dark2Color(new A.RgbColorModelHex { Val = "14213D" }),
                        new A.Light2Color(new A.RgbColorModelHex { Val = "F6F7F9" }),
                        new A.Accent1Color(new A.RgbColorModelHex { Val = "1F5FBF" }),
                        new A.Accent2Color(new A.RgbColorModelHex { Val = "1E7A3E" }),
                        new A.Accent3Color(new A.RgbColorModelHex { Val = "8A5A00" }),
                        new A.Accent4Color(new A.RgbColorModelHex { Val = "B3261E" }),
                        new A.Accent5Color(new A.RgbColorModelHex { Val = "4F5868" }),
                        new A.Accent6Color(new A.RgbColorModelHex { Val = "F0B400" }),
                        new A.Hyperlink(new A.RgbColorModelHex { Val = "1F5FBF" }),
                        new A.FollowedHyperlinkColor(new A.RgbColorModelHex { Val = "5B3FA0" }))
                    { Name = "Verity" },
                    new A.FontScheme(
                        new A.MajorFont(new A.LatinFont { Typeface = "DejaVu Sans" }, new A.EastAsianFont { Typeface = "" }, new A.ComplexScriptFont { Typeface = "" }),
                        new A.MinorFont(new A.LatinFont { Typeface = "DejaVu Sans" }, new A.EastAsianFont { Typeface = "" }, new A.ComplexScriptFont { Typeface = "" }))
                    { Name = "Verity" },
                    new A.FormatScheme(
                        new A.FillStyleList(Scheme(A.SchemeColorValues.PhColor), Scheme(A.SchemeColorValues.PhColor), Scheme(A.SchemeColorValues.PhColor)),
                        new A.LineStyleList(Line(9525), Line(25400), Line(38100)),
                        new A.EffectStyleList(
                            new A.EffectStyle(new A.EffectList()), new A.EffectStyle(new A.EffectList()), new A.EffectStyle(new A.EffectList())),
                        new A.BackgroundFillStyleList(Scheme(A.SchemeColorValues.PhColor), Scheme(A.SchemeColorValues.PhColor), Scheme(A.SchemeColorValues.PhColor)))
                    { Name = "Verity" }),
                new A.ObjectDefaults(),
                new A.ExtraColorSchemeList())
            { Name = "Verity" };
        }
    }
}
