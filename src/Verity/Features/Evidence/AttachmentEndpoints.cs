using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Evidence;
using Verity.Http;

namespace Verity.Features.Evidence;

public sealed record AttachmentResponse(
    string Id, string AccountId, string FileName, string ContentType, long Size, string Sha256, Visibility Visibility,
    string? PlanId, string? ObjectiveId, string? UploadedBy, DateTime CreatedAt) : Domain.Common.IHasId
{
    public static AttachmentResponse From(Attachment a) => new(
        a.Id, a.AccountId, a.FileName, a.ContentType, a.Size, a.Sha256, a.Visibility, a.PlanId, a.ObjectiveId, a.UploadedBy, a.CreatedAt);
}

/// <summary>The multipart form of an upload, as the API document describes it.</summary>
public sealed class AttachmentUpload
{
    public required IFormFile File { get; init; }

    public required string AccountId { get; init; }
}

public sealed record AttachmentLinkInput
{
    [Mandatory]
    public string? AttachmentId { get; init; }

    public Visibility Visibility { get; init; } = Visibility.Internal;
}

public static class AttachmentEndpoints
{
    /// <summary>The largest file Verity keeps.</summary>
    public const long MaxFileSize = 25L * 1024 * 1024;

    /// <summary>The largest upload request: the file plus room for the form's other fields and boundaries.</summary>
    public const long MaxUploadBody = MaxFileSize + 64 * 1024;

    public const string UploadPath = "/api/v1/attachments";

    public static void MapAttachments(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Attachments");
        group.MapPost("/attachments", Upload).Accepts<AttachmentUpload>("multipart/form-data")
            .WithSummary("Upload a file")
            .WithDescription("Uploads one `file` (at most 25 MB; pdf, png, jpeg, docx, pptx, xlsx, csv, txt or md, checked against its first bytes) for `accountId` and answers 201 with its size and SHA-256. The account's team, leaders and its customers may.");
        group.MapGet("/attachments/{id}", Download).Produces<Stream>(StatusCodes.Status200OK, FileTypes.ContentTypes[0], FileTypes.ContentTypes[1..])
            .WithSummary("Download a file")
            .WithDescription("The uploaded file itself, with its own content type, to anyone who may see its account; customers only reach files shared with them.");
        group.MapDelete("/attachments/{id}", Delete)
            .WithSummary("Delete a file")
            .WithDescription("Deletes the file (204). The account's team and managers, directors and admins may; 409 once it is evidence of a customer confirmation, which is kept for audit.");
        group.MapGet("/plans/{id}/attachments", ListForPlan)
            .WithSummary("List the plan's files")
            .WithDescription("The files linked to the plan; customers see only those shared with them (`customer`).");
        group.MapPost("/plans/{id}/attachments", LinkToPlan).Accepts<AttachmentLinkInput>("application/json")
            .WithSummary("Link a file to the plan")
            .WithDescription("Links an uploaded file to the plan as `internal` or `customer`. The account's team and managers, directors and admins may.");
        group.MapGet("/objectives/{id}/attachments", ListForObjective)
            .WithSummary("List the objective's files")
            .WithDescription("The files linked to the objective; customers see only those shared with them.");
        group.MapPost("/objectives/{id}/attachments", LinkToObjective).Accepts<AttachmentLinkInput>("application/json")
            .WithSummary("Link a file to the objective")
            .WithDescription("Links an uploaded file to the objective as `internal` or `customer`; 409 when the file is already evidence of a confirmation. The account's team and managers, directors and admins may.");
    }

    private static async Task<Created<AttachmentResponse>> Upload(
        HttpRequest request, VerityDb db, Actor actor, AttachmentStore store, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new BadInputException("file", "Send multipart/form-data with one file in the field 'file' and the account in 'accountId'.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException("file", $"The multipart body cannot be read: {e.Message}");
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw new BadInputException("file", $"The multipart body cannot be read: {e.Message}");
        }

        var files = form.Files.GetFiles("file");
        if (files.Count > 1)
        {
            throw new BadInputException("file", "Send one file at a time.");
        }

        var attachment = await UploadAsync(db, actor, store, form["accountId"].ToString(), files.FirstOrDefault(), cancellationToken);
        return TypedResults.Created($"/api/v1/attachments/{attachment.Id}", AttachmentResponse.From(attachment));
    }

    /// <summary>
    /// Keeps an uploaded file for an account the caller sees: checked for size, kind and content, stored under its
    /// SHA-256. A customer's upload is theirs to show as evidence, so it is visible to the customer side.
    /// </summary>
    public static async Task<Attachment> UploadAsync(
        VerityDb db, Actor actor, AttachmentStore store, string? accountId, IFormFile? file, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(accountId))
        {
            throw new BadInputException("accountId", "Is required.");
        }

        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        if (file is null)
        {
            throw new BadInputException("file", "Is required: attach one file.");
        }

        if (file.Length > MaxFileSize)
        {
            throw new BadHttpRequestException($"The file is larger than {MaxFileSize / (1024 * 1024)} MB.", StatusCodes.Status413PayloadTooLarge);
        }

        var name = CleanName(file.FileName);
        if (FileTypes.ContentTypeOf(name) is not { } contentType)
        {
            throw new BadInputException("file", $"'{name}' is not a kind of file Verity keeps: send {FileTypes.Allowed}.");
        }

        await using (var content = file.OpenReadStream())
        {
            if (await FileTypes.MismatchAsync(name, content, cancellationToken) is { } mismatch)
            {
                throw new BadInputException("file", mismatch);
            }
        }

        string sha256;
        await using (var content = file.OpenReadStream())
        {
            sha256 = await store.SaveAsync(content, cancellationToken);
        }

        var attachment = new Attachment
        {
            AccountId = account.Id,
            FileName = name,
            ContentType = contentType,
            Size = file.Length,
            Sha256 = sha256,
            UploadedBy = actor.UserId,
            Visibility = actor.IsCustomer ? Visibility.Customer : Visibility.Internal,
        };
        db.Attachments.Add(attachment);
        await db.SaveChangesAsync(cancellationToken);
        return attachment;
    }

    /// <summary>The last path segment, without control characters, at most 200 characters, keeping the extension.</summary>
    private static string CleanName(string? given)
    {
        var name = new string(Path.GetFileName((given ?? "").Replace('\\', '/')).Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length == 0)
        {
            throw new BadInputException("file", "The file has no name; its name says what kind of file it is.");
        }

        if (name.Length > Attachment.MaxFileNameLength)
        {
            var extension = Path.GetExtension(name);
            name = name[..(Attachment.MaxFileNameLength - extension.Length)] + extension;
        }

        return name;
    }

    private static async Task<FileStreamHttpResult> Download(string id, VerityDb db, AttachmentStore store, CancellationToken cancellationToken)
    {
        var attachment = await db.Attachments.AsNoTracking().GetAsync(id, cancellationToken);
        Stream content;
        try
        {
            content = store.Open(attachment.Sha256);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException($"The file of attachment '{id}'");
        }

        // Always a download, never rendered in Verity's origin, whatever the file holds.
        return TypedResults.File(content, attachment.ContentType, attachment.FileName);
    }

    private static async Task<NoContent> Delete(string id, VerityDb db, Actor actor, AttachmentStore store, CancellationToken cancellationToken)
    {
        var attachment = await db.Attachments.GetAsync(id, cancellationToken);
        if (!actor.CanWrite && attachment.UploadedBy != actor.UserId)
        {
            throw new ForbiddenException("Customer users may delete only the files they uploaded themselves.");
        }

        await EnsureNotEvidenceAsync(db, id, "deleted", cancellationToken);
        db.Attachments.Remove(attachment);
        await db.SaveChangesAsync(cancellationToken);

        // The bytes may be another record's too (the same file uploaded twice): they go with the last row naming them.
        if (!await db.Attachments.IgnoreQueryFilters().AnyAsync(a => a.Sha256 == attachment.Sha256, cancellationToken))
        {
            store.Delete(attachment.Sha256);
        }

        return TypedResults.NoContent();
    }

    /// <summary>A confirmation's evidence is kept for audit exactly as it was given.</summary>
    private static async Task EnsureNotEvidenceAsync(VerityDb db, string id, string change, CancellationToken cancellationToken)
    {
        if (await db.Confirmations.IgnoreQueryFilters().AnyAsync(c => c.AttachmentIds.Contains(id), cancellationToken))
        {
            throw new ConflictException($"This file is evidence of a customer confirmation; it is kept for audit and cannot be {change}.");
        }
    }

    private static async Task<Ok<List<AttachmentResponse>>> ListForPlan(string id, VerityDb db, CancellationToken cancellationToken)
    {
        await db.Plans.GetAsync(id, cancellationToken);
        var rows = await db.Attachments.AsNoTracking().Where(a => a.PlanId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(AttachmentResponse.From).ToList());
    }

    private static async Task<Ok<List<AttachmentResponse>>> ListForObjective(string id, VerityDb db, CancellationToken cancellationToken)
    {
        await db.Objectives.GetAsync(id, cancellationToken);
        var rows = await db.Attachments.AsNoTracking().Where(a => a.ObjectiveId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(AttachmentResponse.From).ToList());
    }

    private static async Task<Ok<AttachmentResponse>> LinkToPlan(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.GetAsync(id, cancellationToken);
        var attachment = await LinkAsync(db, actor, plan.AccountId, await Json.ReadAsync<AttachmentLinkInput>(request), cancellationToken);
        attachment.PlanId = plan.Id;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(AttachmentResponse.From(attachment));
    }

    private static async Task<Ok<AttachmentResponse>> LinkToObjective(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.GetAsync(id, cancellationToken);
        var attachment = await LinkAsync(db, actor, objective.AccountId, await Json.ReadAsync<AttachmentLinkInput>(request), cancellationToken);
        attachment.PlanId = objective.PlanId;
        attachment.ObjectiveId = objective.Id;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(AttachmentResponse.From(attachment));
    }

    /// <summary>The team files an upload with a plan or objective and decides whether the customer sees it.</summary>
    private static async Task<Attachment> LinkAsync(
        VerityDb db, Actor actor, string accountId, AttachmentLinkInput input, CancellationToken cancellationToken)
    {
        actor.EnsureCanWrite();
        Json.Validate(input);
        var attachment = await db.Attachments.FirstOrDefaultAsync(a => a.Id == input.AttachmentId, cancellationToken)
            ?? throw new NotFoundException($"attachmentId: Attachment '{input.AttachmentId}'");
        if (attachment.AccountId != accountId)
        {
            throw new BadInputException("attachmentId", "Must be a file uploaded to the same account.");
        }

        if (attachment.Visibility != input.Visibility)
        {
            await EnsureNotEvidenceAsync(db, attachment.Id, "changed", cancellationToken);
        }

        attachment.Visibility = input.Visibility;
        return attachment;
    }
}
