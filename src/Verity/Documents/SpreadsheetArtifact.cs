using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Verity.Domain.Common;

namespace Verity.Documents;

/// <summary>
/// Objectives with their metrics, one row per metric (or per objective without one), as CSV or XLSX, in words
/// ("Work in progress"), not the API's codes. The workbook is ready to hand over: a bold, frozen header with filters,
/// columns sized to their content, numbers as numbers and progress as a percentage.
/// </summary>
public static class SpreadsheetArtifact
{
    public static readonly string[] Columns =
    [
        "Objective", "Status", "Outcome stage", "Health", "Owner", "Target date", "Success criteria", "Business impact",
        "Metric", "Unit", "Direction", "Baseline", "Target", "Target by", "Latest", "Latest at", "Progress",
    ];

    public static IEnumerable<string[]> Rows(PlanDocument d)
    {
        foreach (var o in d.Objectives)
        {
            string[] objective =
            [
                o.Title, Words.Say(o.Status), Words.Say(o.OutcomeStage), o.Health is { } h ? Words.Say(h) : "", d.NameOf(o.OwnerId),
                Date(o.TargetDate), o.SuccessCriteria ?? "", o.BusinessImpact ?? "",
            ];
            if (o.Metrics.Count == 0)
            {
                yield return [.. objective, "", "", "", "", "", "", "", "", ""];
            }

            foreach (var m in o.Metrics)
            {
                yield return
                [
                    .. objective, m.Name, m.Unit ?? "", Words.Say(m.Direction), Number(m.Baseline?.Value), Number(m.Target?.Value), Date(m.Target?.By),
                    Number(m.Latest?.Value), Date(m.Latest?.At), m.Progress.ToString("0.###", CultureInfo.InvariantCulture),
                ];
            }
        }
    }

    public static byte[] Csv(PlanDocument d)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions(), false))
        {
            csv.WriteRecord(Columns);
            foreach (var row in Rows(d))
            {
                csv.WriteRecord(row.Select(NoFormula).ToArray());
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet: user text must not become one
    /// (OWASP CSV injection), so it gets the quote that marks it as text. CsvHelper's own escaping would also turn
    /// negative numbers into text; they stay numbers here.
    /// </summary>
    public static string NoFormula(string cell) =>
        cell.Length > 0 && "=+-@\t\r".Contains(cell[0]) && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "'" + cell
            : cell;

    public static byte[] Xlsx(PlanDocument d)
    {
        var rows = Rows(d).ToList();
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(new Row(Columns.Select(c => Text(c, HeaderStyle))) { RowIndex = 1 });
            var progress = Array.IndexOf(Columns, "Progress");
            for (var r = 0; r < rows.Count; r++)
            {
                data.Append(new Row(rows[r].Select((value, c) => Cell(value, c == progress ? PercentStyle : 0u))) { RowIndex = (uint)r + 2 });
            }

            // Each column as wide as its longest cell, within reason.
            var widths = Columns.Select((c, i) => Math.Clamp(rows.Select(r => r[i].Length).Append(c.Length).Max() + 2, 8, 60)).ToList();
            var last = ColumnName(Columns.Length);
            sheetPart.Worksheet = new Worksheet(
                new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                {
                    TabSelected = true, WorkbookViewId = 0,
                }),
                new Columns(widths.Select((w, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = w, CustomWidth = true })),
                data,
                new AutoFilter { Reference = $"A1:{last}{rows.Count + 1}" });
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Objectives" }));
            workbook.Workbook.AppendChild(new DefinedNames(new DefinedName($"Objectives!$A$1:${last}${rows.Count + 1}")
            {
                Name = "_xlnm._FilterDatabase", LocalSheetId = 0, Hidden = true,
            }));
        }

        return buffer.ToArray();
    }

    private const uint HeaderStyle = 1;
    private const uint PercentStyle = 2;

    /// <summary>The cell formats: 0 plain, 1 the bold header on grey, 2 a whole percentage.</summary>
    private static Stylesheet Styles() => new(
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE3E7EE" }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true },
            new CellFormat { NumberFormatId = 9, ApplyNumberFormat = true }) { Count = 3 });

    private static string ColumnName(int number) => number <= 26 ? ((char)('A' + number - 1)).ToString() : ColumnName((number - 1) / 26) + (char)('A' + ((number - 1) % 26));

    /// <summary>Numbers stay numbers, so the customer can chart them; everything else is inline text.</summary>
    private static Cell Cell(string value, uint style) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && value.Length > 0
            ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(value), StyleIndex = style }
            : Text(value, 0);

    private static Cell Text(string value, uint style) =>
        new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value) { Space = SpaceProcessingModeValues.Preserve }), StyleIndex = style };

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";
}
