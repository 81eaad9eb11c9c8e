using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Verity.Domain.Common;

namespace Verity.Http;

/// <summary>A field that must be present and not blank.</summary>
public sealed class MandatoryAttribute : RequiredAttribute
{
    public MandatoryAttribute()
    {
        ErrorMessage = "Is required.";
    }
}

/// <summary>A name or title: at most 200 characters.</summary>
public sealed class NameAttribute() : StringLengthAttribute(Limit)
{
    public const int Limit = 200;

    public override string FormatErrorMessage(string name) => $"Must be at most {Limit} characters.";
}

/// <summary>Free text (Markdown): at most 20,000 characters.</summary>
public sealed class TextAttribute() : StringLengthAttribute(Limit)
{
    public const int Limit = 20_000;

    public override string FormatErrorMessage(string name) => $"Must be at most {Limit:N0} characters.";
}

/// <summary>Money and counts never go below zero.</summary>
public sealed class NonNegativeAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        int i => i >= 0,
        long l => l >= 0,
        decimal d => d >= 0,
        double d => d >= 0 && double.IsFinite(d),
        _ => false,
    };

    public override string FormatErrorMessage(string name) => "Must not be negative.";
}

/// <summary>Money: from zero to a trillion, so every store and document can hold it.</summary>
public sealed class MoneyAttribute : ValidationAttribute
{
    public const decimal Limit = 1_000_000_000_000m;

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        decimal d => d is >= 0 and <= Limit,
        _ => false,
    };

    public override string FormatErrorMessage(string name) => "Must be an amount from 0 to 1,000,000,000,000.";
}

/// <summary>
/// A measured value: a finite number no further than a trillion from zero. Anything beyond is a typo or a
/// probe, and would make progress, charts and documents meaningless.
/// </summary>
public sealed class MeasureAttribute : ValidationAttribute
{
    public const double Limit = 1e12;

    public static bool IsPlausible(double value) => double.IsFinite(value) && Math.Abs(value) <= Limit;

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        double d => IsPlausible(d),
        _ => false,
    };

    public override string FormatErrorMessage(string name) => "Must be a finite number between -1,000,000,000,000 and 1,000,000,000,000.";
}

/// <summary>Dates a customer-success plan can mean: from 1900 to 2200.</summary>
public sealed class PlausibleDateAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        DateOnly d => d.Year is >= 1900 and <= 2200,
        DateTime t => t.Year is >= 1900 and <= 2200,
        _ => false,
    };

    public override string FormatErrorMessage(string name) => "Must be a date between 1900 and 2200.";
}

public static class Lookups
{
    /// <summary>The record with this id if the caller may see it; otherwise 404, whether it exists or not.</summary>
    public static async Task<T> GetAsync<T>(this IQueryable<T> query, string id, CancellationToken cancellationToken)
        where T : class, IHasId
    {
        return await query.FirstOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw new NotFoundException(What<T>(id));
    }

    /// <summary>
    /// Checks that a record the body refers to exists and is visible; like a path id, an unseen one is 404,
    /// with the field that refers to it named.
    /// </summary>
    public static async Task EnsureExistsAsync<T>(this IQueryable<T> query, string field, string? id, CancellationToken cancellationToken)
        where T : Entity
    {
        if (id is not null && !await query.AnyAsync(e => e.Id == id, cancellationToken))
        {
            throw new NotFoundException($"{field}: {What<T>(id)}");
        }
    }

    private static string What<T>(string id) => $"{typeof(T).Name} '{id}'";
}
