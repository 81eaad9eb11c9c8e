using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Verity.Documents;

/// <summary>
/// The vendor's mark on every deck and PDF (<c>Brand:Name</c>, <c>Brand:Color</c>, <c>Brand:LogoPath</c>): the
/// title band and headings in their colour, "Prepared by" their name, their logo on the title.
/// </summary>
public sealed partial class Brand
{
    public const string DefaultColor = "14213D";

    public string? Name { get; set; }

    /// <summary>A hex colour, <c>#0B6E4F</c> or <c>0B6E4F</c>.</summary>
    public string Color { get; set; } = DefaultColor;

    /// <summary>A PNG or JPEG file.</summary>
    public string? LogoPath { get; set; }

    /// <summary>The colour as six upper-case hex digits.</summary>
    public string Hex => Color.TrimStart('#').ToUpperInvariant();

    /// <summary>
    /// The colour of what a deck's or PDF's charts show as measured: the vendor's, once one is set. The default navy sits
    /// too close to the charts' ink to tell the line from the axes, so without a colour of their own the app's blue stays.
    /// </summary>
    public string? ChartAccent => Hex == DefaultColor ? null : Hex;

    /// <summary>What is wrong with the setting, naming it, or null.</summary>
    public string? Problem() =>
        !HexColor().IsMatch(Color) ? $"Brand:Color must be a hex colour such as #14213D, not '{Color}'."
        : LogoPath is { Length: > 0 } path && !File.Exists(path) ? $"Brand:LogoPath names no file: '{path}'."
        : LogoPath is { Length: > 0 } && LogoType is null ? "Brand:LogoPath must be a PNG or JPEG file."
        : null;

    /// <summary>The logo's bytes and whether it is a PNG or a JPEG, or null without one.</summary>
    public (byte[] Bytes, bool Png)? Logo() => LogoType is { } png && File.Exists(LogoPath) ? (File.ReadAllBytes(LogoPath!), png) : null;

    private bool? LogoType => Path.GetExtension(LogoPath ?? "").ToLowerInvariant() switch
    {
        ".png" => true,
        ".jpg" or ".jpeg" => false,
        _ => null,
    };

    public static void Register(IServiceCollection services)
    {
        services.AddOptions<Brand>().BindConfiguration("Brand").ValidateOnStart();
        services.AddSingleton<IValidateOptions<Brand>, Validation>();
    }

    [GeneratedRegex("^#?[0-9A-Fa-f]{6}$")]
    private static partial Regex HexColor();

    private sealed class Validation : IValidateOptions<Brand>
    {
        public ValidateOptionsResult Validate(string? name, Brand options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
