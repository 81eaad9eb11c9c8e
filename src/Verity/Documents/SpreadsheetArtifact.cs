using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Verity.Documents;

/// <summary>Objectives with their metrics, one row per metric (or per objective without one), as CSV or XLSX.</summary>
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
                o.Title, Camel(o.Status), Camel(o.OutcomeStage), o.Health is { } h ? Camel(h) : "", d.NameOf(o.OwnerId),
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
                    .. objective, m.Name, m.Unit ?? "", Camel(m.Direction), Number(m.Baseline?.Value), Number(m.Target?.Value), Date(m.Target?.By),
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
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(Row(Columns));
            foreach (var row in Rows(d))
            {
                data.Append(Row(row));
            }

            sheetPart.Worksheet = new Worksheet(
                new Columns(Columns.Select((_, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = i == 0 ? 48 : 18, CustomWidth = true })),
                data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Objectives" }));
        }

        return buffer.ToArray();
    }

    private static Row Row(IEnumerable<string> cells) => new(cells.Select(Cell));

    /// <summary>Numbers stay numbers, so the customer can chart them; everything else is inline text.</summary>
    private static Cell Cell(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && value.Length > 0
            ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(value) }
            : new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value) { Space = SpaceProcessingModeValues.Preserve }) };

    private static string Camel<T>(T value)
        where T : struct, Enum => Http.Json.Camel(value.ToString());

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";
}
