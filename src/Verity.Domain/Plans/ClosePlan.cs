using Verity.Domain.Common;

namespace Verity.Domain.Plans;

/// <summary>
/// The technical close plan of an opportunity: the content elements written in pre-sales, each with
/// internal notes that never leave the vendor's side.
/// </summary>
public sealed class ClosePlan : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string OpportunityId { get; init; }

    public List<ClosePlanElement> Elements { get; } = [];

    public void SetElements(IReadOnlyDictionary<string, (string? Content, string? InternalNotes)> elements)
    {
        Elements.RemoveAll(e => !elements.ContainsKey(e.Key));
        foreach (var (key, (content, notes)) in elements)
        {
            if (!ContentElements.IsKnown(key))
            {
                throw new ArgumentException($"'{key}' is not a content element key.", nameof(elements));
            }

            var element = Elements.Find(e => e.Key == key);
            if (element is null)
            {
                element = new ClosePlanElement { ClosePlanId = Id, AccountId = AccountId, Key = key };
                Elements.Add(element);
            }

            element.Content = content ?? "";
            element.InternalNotes = notes ?? "";
        }
    }

    /// <summary>
    /// Starts the customer's success plan from this close plan: elements 1–7 and 9, their content only —
    /// internal notes stay behind.
    /// </summary>
    public SuccessPlan ConvertToSuccessPlan(string title, string template, string? ownerId)
    {
        var plan = new SuccessPlan { AccountId = AccountId, Title = title, Template = template, OwnerId = ownerId };
        plan.SetSections(Elements
            .Where(e => ContentElements.CopiedOnConversion.Contains(e.Key) && !string.IsNullOrWhiteSpace(e.Content))
            .ToDictionary(e => e.Key, e => (string?)e.Content));
        return plan;
    }
}

public sealed class ClosePlanElement : Entity, IAccountOwned
{
    public required string ClosePlanId { get; init; }

    public required string AccountId { get; init; }

    public required string Key { get; init; }

    public string Content { get; set; } = "";

    public string InternalNotes { get; set; } = "";
}
