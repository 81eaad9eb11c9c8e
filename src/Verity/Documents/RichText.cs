using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Verity.Documents;

/// <summary>A run of text inside a block: plain, bold, italic, code, or a link.</summary>
public sealed record RichSpan(string Text, bool Bold = false, bool Italic = false, bool Code = false, string? Link = null);

public enum RichKind
{
    Paragraph,
    Heading,
    Bullet,
    Quote,
    Code,
    Table,
}

/// <summary>
/// One block of a section's text as a deck or a PDF lays it out: a paragraph, a heading (<see cref="Level"/> 1–6), a
/// list item (<see cref="Level"/> its depth from 0, <see cref="Marker"/> "•" or "3."), a quote, a code line, or a table
/// (<see cref="Rows"/>, the first one its header).
/// </summary>
public sealed record RichBlock(RichKind Kind, IReadOnlyList<RichSpan> Spans, int Level = 0, string? Marker = null, IReadOnlyList<IReadOnlyList<string>>? Rows = null)
{
    public string Plain => string.Concat(Spans.Select(s => s.Text));
}

/// <summary>
/// The Markdown people write in sections, descriptions and notes, read one way everywhere: raw HTML stays text, tables
/// are GitHub's pipe tables, and a link goes only to the web or to mail. Pages render it as HTML; decks and PDFs take
/// it as <see cref="RichBlock"/>s so a heading, a bullet, bold, a link and a table keep their shape there too.
/// </summary>
public static class RichText
{
    public static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UsePipeTables().Build();

    /// <summary>The text as safe HTML for a page: a link that is not http, https or mailto keeps its words and loses its target.</summary>
    public static string Html(string? markdown)
    {
        var document = Markdown.Parse(markdown ?? "", Pipeline);
        foreach (var link in document.Descendants<LinkInline>().Where(l => !l.IsImage && SafeLink(l.Url) is null && !IsLocal(l.Url)).ToList())
        {
            foreach (var child in link.ToList())
            {
                child.Remove();
                link.InsertBefore(child);
            }

            link.Remove();
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    public static List<RichBlock> Parse(string? markdown)
    {
        var blocks = new List<RichBlock>();
        foreach (var block in Markdown.Parse(markdown ?? "", Pipeline))
        {
            Add(blocks, block, depth: 0, quote: false);
        }

        return blocks;
    }

    /// <summary>The URL when it is one a document may link to, else null.</summary>
    public static string? SafeLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto)
            ? uri.AbsoluteUri
            : null;

    /// <summary>A link within Verity itself ("/plans/…"), which a page may keep.</summary>
    private static bool IsLocal(string? url) => url is ['/', not '/', ..] or "/";

    private static void Add(List<RichBlock> blocks, Block block, int depth, bool quote)
    {
        switch (block)
        {
            case HeadingBlock heading:
                blocks.Add(new RichBlock(RichKind.Heading, Spans(heading.Inline), heading.Level));
                break;
            case ParagraphBlock paragraph:
                blocks.Add(new RichBlock(quote ? RichKind.Quote : RichKind.Paragraph, Spans(paragraph.Inline)));
                break;
            case CodeBlock code:
                blocks.AddRange(code.Lines.Lines.Take(code.Lines.Count).Select(l => new RichBlock(RichKind.Code, [new RichSpan(l.Slice.ToString(), Code: true)])));
                break;
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var marker = list.IsOrdered ? $"{number++}." : "•";
                    foreach (var child in item)
                    {
                        if (child is ParagraphBlock paragraph)
                        {
                            blocks.Add(new RichBlock(RichKind.Bullet, Spans(paragraph.Inline), depth, marker));
                            marker = "";
                        }
                        else
                        {
                            Add(blocks, child, depth + 1, quote);
                        }
                    }
                }

                break;
            case QuoteBlock quoted:
                foreach (var child in quoted)
                {
                    Add(blocks, child, depth, quote: true);
                }

                break;
            case Table table:
                blocks.Add(new RichBlock(RichKind.Table, [], Rows: [.. table.OfType<TableRow>()
                    .Select(row => (IReadOnlyList<string>)[.. row.OfType<TableCell>().Select(cell => string.Concat(cell.OfType<ParagraphBlock>()
                        .SelectMany(p => Spans(p.Inline)).Select(s => s.Text)).Trim())])]));
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    Add(blocks, child, depth, quote);
                }

                break;
        }
    }

    private static List<RichSpan> Spans(ContainerInline? inlines)
    {
        var spans = new List<RichSpan>();
        if (inlines is not null)
        {
            Walk(inlines, spans, bold: false, italic: false, link: null);
        }

        // Neighbours that look the same read as one run.
        for (var i = spans.Count - 1; i > 0; i--)
        {
            if (spans[i] with { Text = "" } == spans[i - 1] with { Text = "" })
            {
                spans[i - 1] = spans[i - 1] with { Text = spans[i - 1].Text + spans[i].Text };
                spans.RemoveAt(i);
            }
        }

        return spans;
    }

    private static void Walk(ContainerInline container, List<RichSpan> spans, bool bold, bool italic, string? link)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    spans.Add(new RichSpan(literal.Content.ToString(), bold, italic, Link: link));
                    break;
                case CodeInline code:
                    spans.Add(new RichSpan(code.Content, bold, italic, Code: true, Link: link));
                    break;
                case LineBreakInline:
                    spans.Add(new RichSpan(" ", bold, italic, Link: link));
                    break;
                case HtmlEntityInline entity:
                    spans.Add(new RichSpan(entity.Transcoded.ToString(), bold, italic, Link: link));
                    break;
                case AutolinkInline auto:
                    spans.Add(new RichSpan(auto.Url, bold, italic, Link: SafeLink(auto.IsEmail ? "mailto:" + auto.Url : auto.Url)));
                    break;
                case EmphasisInline emphasis:
                    Walk(emphasis, spans, bold || emphasis.DelimiterCount >= 2, italic || emphasis.DelimiterCount == 1, link);
                    break;
                case LinkInline target:
                    Walk(target, spans, bold, italic, target.IsImage ? link : SafeLink(target.Url));
                    break;
                case ContainerInline other:
                    Walk(other, spans, bold, italic, link);
                    break;
                default:
                    spans.Add(new RichSpan(inline.ToString() ?? "", bold, italic, Link: link));
                    break;
            }
        }
    }
}
