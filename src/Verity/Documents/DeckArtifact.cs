using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;
using Verity.Domain.Common;
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

            deck.Title(d.AccountName, $"{d.ArtifactTitle}\n{d.PlanTitle}\n{d.Date:d MMMM yyyy}",
                $"Our team: {Join(d.VendorTeam)}\nYour team: {Join(d.CustomerTeam)}");
            if (PlanDocument.ShowsSummary(d.Artifact))
            {
                deck.Text("Executive summary", Summary(d.Summary()), size: 1300, lines: 20);
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

            if (d.Objectives.Count > 0)
            {
                deck.Table("Objectives", ["Objective", "Status", "Outcome", "Health", "Owner", "Target date"],
                    d.Objectives.Select(o => new[]
                    {
                        Clip(o.Title, 70), Words.Say(o.Status), Words.Say(o.OutcomeStage), o.Health is { } h ? Words.Say(h) : "—",
                        Clip(d.NameOf(o.OwnerId), 30), o.TargetDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—",
                    }).ToList(),
                    [3_800_000, 1_800_000, 1_200_000, 1_200_000, 1_800_000, 1_400_000]);
            }

            // Charts are the slow part: draw them on every core first, then place them in order.
            var charted = d.Objectives.Where(o => o.Kind == Domain.Objectives.ObjectiveKind.Quantitative && o.Metrics.Count > 0).ToList();
            var pictures = new byte[charted.Count][];
            Parallel.For(0, charted.Count, i => pictures[i] = MetricChart.Png(charted[i].Metrics[0], d.Measurements[charted[i].Metrics[0].Id]));
            foreach (var (o, picture) in charted.Zip(pictures))
            {
                var metric = o.Metrics[0];
                deck.Chart(Clip(o.Title, 80), picture,
                    $"{metric.Name}: baseline {Number(metric.Baseline?.Value)}, target {Number(metric.Target?.Value)}, latest {Number(metric.Latest?.Value)} — {Math.Round(metric.Progress * 100)}% of the way."
                    + (o.BusinessImpact is { } impact ? $" Impact: {Clip(impact, 140)}" : ""));
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

            var initiatives = d.Objectives.SelectMany(o => o.Initiatives)
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

            if (d.Timeline.Count > 0)
            {
                deck.Text("Timeline highlights", d.Timeline.Select(a =>
                    $"{a.At:yyyy-MM-dd} · {Words.Say(a.Type)}{(a.Internal ? " (internal)" : "")}: {Clip(a.Summary, 160)}").ToList());
            }

            deck.Text(d.LastBusinessReview is { } last ? $"Changed since the last business review ({last:yyyy-MM-dd})" : "Changed in the last 90 days",
                d.ChangesSinceLastReview.Count == 0
                    ? ["No objective has changed status, stage or date since then."]
                    : d.ChangesSinceLastReview.Select(c => $"{c.At:yyyy-MM-dd} · {Clip(c.What, 60)}: {c.Field} {c.Old ?? "—"} → {c.New ?? "—"}").ToList());

            deck.Text("Recently closed", d.RecentlyClosed.Count == 0
                ? ["No objective has closed recently."]
                : d.RecentlyClosed.Select(o => $"{Clip(o.Title, 90)} — {Words.Say(o.Status)}"
                    + (o.Confirmations.FirstOrDefault(c => c.IsValid) is { } c ? $": “{Clip(c.Statement, 140)}” — {d.NameOf(c.StakeholderId)}" : "")).ToList());

            deck.Save();
        }

        return buffer.ToArray();
    }

    private static List<string> Agenda(PlanDocument d)
    {
        var agenda = d.Sections.Select(s => s.Title).ToList();
        if (d.Objectives.Count > 0)
        {
            agenda.Add("Objectives and progress");
        }

        if (d.Journey is { Count: > 0 })
        {
            agenda.Add("The adoption journey");
        }

        agenda.Add("Initiatives and timeline");
        if (d.Adoption is not null)
        {
            agenda.Add("Adoption, use cases and support");
        }

        agenda.Add("What changed and what closed");
        return agenda.Count > BodyLines ? [.. agenda.Take(BodyLines - 1), "…and more"] : agenda;
    }

    /// <summary>The summary as a slide: the headline, then progress, risks and asks as short bullets.</summary>
    private static List<(RichBlock, string)> Summary(ExecutiveSummary summary)
    {
        var blocks = new List<(RichBlock, string)> { (Plain(summary.Headline, bold: true), Ink) };
        foreach (var (title, lines) in summary.Parts())
        {
            blocks.Add((new RichBlock(RichKind.Heading, [new RichSpan(title)], 2), Ink));
            blocks.AddRange(lines.Select(l => (new RichBlock(RichKind.Bullet, [new RichSpan(Clip(l, 130))], 0, "•"), Ink)));
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

        public void Title(string account, string subtitle, string teams)
        {
            var (slide, tree) = NewSlide();
            tree.Append(Box(2, "Band", 0, 0, SlideWidth, 2_300_000, [], fill: _brand.Hex));
            tree.Append(Box(3, "Account", Margin, 600_000, SlideWidth - 2 * Margin - 2_600_000, 1_100_000, [(account, 4000, true, "FFFFFF")]));
            if (_brand.Name is { Length: > 0 } name)
            {
                tree.Append(Box(6, "Prepared by", Margin, 1_650_000, SlideWidth - 2 * Margin, 500_000, [($"Prepared by {name}", 1400, false, "FFFFFF")]));
            }

            if (_brand.Logo() is { } logo)
            {
                // The vendor's logo at the band's right, on a white tile so any logo reads on any colour.
                const long tile = 1_500_000;
                var image = slide.SlidePart!.AddImagePart(logo.Png ? ImagePartType.Png : ImagePartType.Jpeg);
                using (var stream = new MemoryStream(logo.Bytes))
                {
                    image.FeedData(stream);
                }

                tree.Append(Box(7, "Logo tile", SlideWidth - Margin - tile - 100_000, 300_000, tile + 200_000, tile + 200_000, [], fill: "FFFFFF"));
                tree.Append(new P.Picture(
                    new P.NonVisualPictureProperties(
                        new NonVisualDrawingProperties { Id = 8U, Name = "Logo", Description = _brand.Name ?? "Logo" },
                        new P.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true }),
                        new ApplicationNonVisualDrawingProperties()),
                    new P.BlipFill(new A.Blip { Embed = slide.SlidePart!.GetIdOfPart(image) }, new A.Stretch(new A.FillRectangle())),
                    new P.ShapeProperties(
                        new A.Transform2D(new A.Offset { X = SlideWidth - Margin - tile, Y = 400_000 }, new A.Extents { Cx = tile, Cy = tile }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })));
            }

            tree.Append(Box(4, "Subtitle", Margin, 2_600_000, SlideWidth - 2 * Margin, 1_800_000,
                Paragraphs(subtitle).Select(l => (l, 2400, false, "1D2330")).ToList()));
            tree.Append(Box(5, "Teams", Margin, 4_600_000, SlideWidth - 2 * Margin, 1_600_000,
                Paragraphs(teams).Select(l => (l, 1600, false, "4F5868")).ToList()));
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
        /// the <paramref name="lines"/> that fit at that size (20 at 13 pt, as LibreOffice lays them out).
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

        public void Chart(string title, byte[] png, string caption)
        {
            var (slide, tree) = NewSlide();
            tree.Append(Heading(title));
            var part = slide.SlidePart!;
            var image = part.AddImagePart(ImagePartType.Png);
            using (var stream = new MemoryStream(png))
            {
                image.FeedData(stream);
            }

            const long width = 8_200_000;
            const long height = 3_587_500;
            tree.Append(new P.Picture(
                new P.NonVisualPictureProperties(
                    new NonVisualDrawingProperties { Id = 3U, Name = "Chart", Description = caption },
                    new P.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true }),
                    new ApplicationNonVisualDrawingProperties()),
                new P.BlipFill(new A.Blip { Embed = part.GetIdOfPart(image) }, new A.Stretch(new A.FillRectangle())),
                new P.ShapeProperties(
                    new A.Transform2D(new A.Offset { X = (SlideWidth - width) / 2, Y = BodyTop }, new A.Extents { Cx = width, Cy = height }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })));
            tree.Append(Box(4, "Caption", Margin, BodyTop + height + 150_000, SlideWidth - 2 * Margin, 800_000, [(Clip(caption, 260), 1400, false, "4F5868")]));
            slide.Save();
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
        private static P.Shape Body(SlidePart slide, IReadOnlyList<(RichBlock Block, string Color)> blocks, int size)
        {
            var shape = Box(3, "Body", Margin, BodyTop, SlideWidth - 2 * Margin, BodyHeight, []);
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
