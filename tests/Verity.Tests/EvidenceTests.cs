using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Evidence kept for audit: files checked by kind and content and stored under their SHA-256, a customer confirming
/// an outcome in their own words with a file, and the certificate that states it all.
/// </summary>
public abstract class EvidenceTests(VerityApp app) : ApiTests(app)
{
    private static CancellationToken Aborted => TestContext.Current.CancellationToken;

    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

    [Fact]
    public async Task An_upload_is_stored_under_its_sha256_and_read_back_as_a_download()
    {
        var s = await Scenario.CreateAsync(App);
        var bytes = Pdf.Concat(RandomNumberGenerator.GetBytes(4096)).ToArray();
        var created = await (await s.Csm.UploadAsync(s.AccountId, "adoption report.pdf", bytes)).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), created.Str("sha256"));
        Assert.Equal("adoption report.pdf", created.Str("fileName"));
        Assert.Equal("application/pdf", created.Str("contentType"));
        Assert.Equal(bytes.Length, created["size"]!.GetValue<long>());
        Assert.Equal("internal", created.Str("visibility"));

        var download = await s.Csm.GetAsync($"attachments/{created.Id()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(Aborted));

        // Filed with the plan and the objective, and shared with the customer.
        var linked = await (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/attachments", new { attachmentId = created.Id(), visibility = "customer" }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("customer", linked.Str("visibility"));
        Assert.Contains(created.Id(), await (await s.Csm.GetAsync($"objectives/{s.ObjectiveId}/attachments")).Content.ReadAsStringAsync(Aborted));
        Assert.Contains(created.Id(), await (await s.Csm.GetAsync($"plans/{s.PlanId}/attachments")).Content.ReadAsStringAsync(Aborted));

        // Not evidence of anything yet: the team may delete it.
        Assert.Equal(HttpStatusCode.NoContent, (await s.Csm.DeleteAsync($"attachments/{created.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Csm.GetAsync($"attachments/{created.Id()}")).StatusCode);
    }

    [Fact]
    public async Task Too_large_wrong_kind_and_disguised_files_are_refused_naming_the_field()
    {
        var s = await Scenario.CreateAsync(App);
        var tooLarge = new byte[25 * 1024 * 1024 + 1];
        Pdf.CopyTo(tooLarge, 0);
        await (await s.Csm.UploadAsync(s.AccountId, "big.pdf", tooLarge)).ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var exe = new byte[512];
        "MZ"u8.CopyTo(exe);
        await (await s.Csm.UploadAsync(s.AccountId, "invoice.pdf", exe)).ExpectFieldErrorAsync("file");
        await (await s.Csm.UploadAsync(s.AccountId, "setup.exe", exe)).ExpectFieldErrorAsync("file");
        await (await s.Csm.UploadAsync(s.AccountId, "page.html", "<script>alert(1)</script>"u8.ToArray())).ExpectFieldErrorAsync("file");
        await (await s.Csm.UploadAsync(s.AccountId, "photo.png", Pdf)).ExpectFieldErrorAsync("file");
        await (await s.Csm.UploadAsync(s.AccountId, "deck.pptx", Pdf)).ExpectFieldErrorAsync("file");
        await (await s.Csm.UploadAsync(s.AccountId, "notes.txt", [0x66, 0x00, 0x67])).ExpectFieldErrorAsync("file");
        await (await s.Csm.UploadAsync(s.AccountId, "notes.md", [0x66, 0xC3, 0x28])).ExpectFieldErrorAsync("file");
        await (await s.Csm.UploadAsync(s.AccountId, "empty.pdf", [])).ExpectFieldErrorAsync("file");
        await (await s.Csm.UploadAsync(null, "report.pdf", Pdf)).ExpectFieldErrorAsync("accountId");
        await (await s.Csm.PostAsync("attachments", new { accountId = s.AccountId })).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);

        var ok = new List<(string Name, byte[] Bytes)>
        {
            ("chart.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2]),
            ("photo.JPG", [0xFF, 0xD8, 0xFF, 0xE0, 1]),
            ("numbers.xlsx", [0x50, 0x4B, 0x03, 0x04, 9]),
            ("data.csv", "a,b\n1,ü\n"u8.ToArray()),
            ("readme.md", "# Done\n"u8.ToArray()),
        };
        foreach (var (name, bytes) in ok)
        {
            await (await s.Csm.UploadAsync(s.AccountId, name, bytes)).ExpectJsonAsync(HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task A_customer_confirms_with_a_pdf_the_file_is_kept_and_the_certificate_states_it()
    {
        var s = await Scenario.CreateAsync(App);
        var (customer, _) = await App.InviteCustomerAsync(s);
        var bytes = Pdf.Concat(RandomNumberGenerator.GetBytes(2048)).ToArray();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var file = await (await customer.UploadAsync(s.AccountId, "pipeline-stats.pdf", bytes)).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("customer", file.Str("visibility"));

        var statement = $"We ship ten times a week now {Ids.New()[^6..]}";
        var confirmation = await customer.CreateAsync($"objectives/{s.ObjectiveId}/confirmations",
            new { statement, attachmentIds = new[] { file.Id() } });
        Assert.Equal("portal", confirmation.Str("source"));
        Assert.Equal(s.StakeholderId, confirmation.Str("stakeholderId"));
        Assert.Equal(file.Id(), Assert.Single(confirmation["attachmentIds"]!.AsArray())!.GetValue<string>());

        var objective = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}");
        var seen = Assert.Single(objective["confirmations"]!.AsArray())!;
        Assert.Equal("portal", seen.Str("source"));
        Assert.Equal(file.Id(), seen["attachmentIds"]![0]!.GetValue<string>());

        // Evidence is kept as given: nobody deletes it or hides it from the customer.
        await (await s.Csm.DeleteAsync($"attachments/{file.Id()}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await customer.DeleteAsync($"attachments/{file.Id()}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await s.Csm.PostAsync($"plans/{s.PlanId}/attachments", new { attachmentId = file.Id(), visibility = "internal" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(bytes, await (await customer.GetAsync($"attachments/{file.Id()}")).Content.ReadAsByteArrayAsync(Aborted));

        foreach (var reader in new[] { s.Csm, customer })
        {
            var response = await reader.GetAsync($"confirmations/{confirmation.Id()}/certificate");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            var text = Normalize(Parties.PdfText(await response.Content.ReadAsByteArrayAsync(Aborted)));
            Assert.Contains(statement, text);
            Assert.Contains("Priya Raman", text);
            Assert.Contains(sha256, text);
            Assert.Contains("pipeline-stats.pdf", text);
            Assert.Contains("source: portal", text);
            Assert.Contains("Deployment frequency: baseline 2 per week", text);
        }

        // The team's recorded confirmations keep working, marked as recorded.
        var recorded = await s.Csm.CreateAsync($"objectives/{s.ObjectiveId}/confirmations",
            new { stakeholderId = s.StakeholderId, confirmedAt = "2026-06-02T10:00:00Z", statement = "Said so on the call." });
        Assert.Equal("recorded", recorded.Str("source"));
        Assert.Empty(recorded["attachmentIds"]!.AsArray());
        await (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/confirmations", new { statement = "Who?" })).ExpectFieldErrorAsync("stakeholderId");
    }

    [Fact]
    public async Task Files_stay_within_their_account_and_side()
    {
        var s = await Scenario.CreateAsync(App);
        var other = await Scenario.CreateAsync(App);
        var (customer, _) = await App.InviteCustomerAsync(s);
        var (otherCustomer, _) = await App.InviteCustomerAsync(other);
        var internalFile = await (await s.Csm.UploadAsync(s.AccountId, "internal.pdf", Pdf)).ExpectJsonAsync(HttpStatusCode.Created);
        var shared = await (await customer.UploadAsync(s.AccountId, "shared.pdf", Pdf)).ExpectJsonAsync(HttpStatusCode.Created);
        var foreign = await (await other.Csm.UploadAsync(other.AccountId, "theirs.pdf", Pdf)).ExpectJsonAsync(HttpStatusCode.Created);

        // A customer of another account finds nothing, and cannot upload to or link into this one.
        await (await otherCustomer.GetAsync($"attachments/{shared.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await otherCustomer.UploadAsync(s.AccountId, "x.pdf", Pdf)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await otherCustomer.PostAsync($"objectives/{s.ObjectiveId}/attachments", new { attachmentId = shared.Id(), visibility = "customer" }))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await otherCustomer.GetAsync($"plans/{s.PlanId}/attachments")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // The account's own customer does not see the team's internal files, nor use them as evidence.
        await (await customer.GetAsync($"attachments/{internalFile.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await customer.PostAsync($"objectives/{s.ObjectiveId}/confirmations", new { statement = "Done.", attachmentIds = new[] { internalFile.Id() } }))
            .ExpectFieldErrorAsync("attachmentIds");
        await (await customer.PostAsync($"objectives/{s.ObjectiveId}/attachments", new { attachmentId = shared.Id(), visibility = "customer" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);

        // Someone who sees both accounts still cannot lean on another account's file.
        await (await s.Manager.PostAsync($"objectives/{s.ObjectiveId}/confirmations",
                new { stakeholderId = s.StakeholderId, confirmedAt = "2026-06-02T10:00:00Z", statement = "Done.", attachmentIds = new[] { foreign.Id() } }))
            .ExpectFieldErrorAsync("attachmentIds");
        await (await s.Manager.PostAsync($"objectives/{s.ObjectiveId}/attachments", new { attachmentId = foreign.Id(), visibility = "customer" }))
            .ExpectFieldErrorAsync("attachmentId");

        // A customer whose sign-in names no stakeholder is told to ask for an invitation.
        var unlinked = await App.SignInAsync(UserRole.Customer, s.AccountId);
        await (await unlinked.PostAsync($"objectives/{s.ObjectiveId}/confirmations", new { statement = "Done." })).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_customer_confirms_in_the_portal_with_a_file_and_both_sides_see_the_evidence_and_the_certificate()
    {
        var s = await Scenario.CreateAsync(App);
        (await s.Csm.PatchAsync($"plans/{s.PlanId}", new { status = "sharedWithCustomer" })).EnsureSuccessStatusCode();
        var browser = await App.CustomerBrowserAsync(s);
        var page = await browser.GetStringAsync($"/portal/plans/{s.PlanId}", Aborted);
        Assert.Contains("Confirm this outcome", page);
        Assert.Contains("enctype=\"multipart/form-data\"", page);

        // Without words nothing is kept, and the form says why beside itself.
        var refused = await browser.PostAsync($"/portal/plans/{s.PlanId}",
            ConfirmForm(page, s.ObjectiveId, "", ("proof.pdf", Pdf)), Aborted);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Is required", await refused.Content.ReadAsStringAsync(Aborted));
        var disguised = await browser.PostAsync($"/portal/plans/{s.PlanId}",
            ConfirmForm(page, s.ObjectiveId, "Done.", ("proof.pdf", "MZ"u8.ToArray())), Aborted);
        Assert.Equal(HttpStatusCode.BadRequest, disguised.StatusCode);
        Assert.Contains("not a pdf file", await disguised.Content.ReadAsStringAsync(Aborted));
        Assert.Empty((await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}"))["confirmations"]!.AsArray());

        var done = await browser.PostAsync($"/portal/plans/{s.PlanId}",
            ConfirmForm(page, s.ObjectiveId, "Ten deployments a week, every week.", ("release-stats.pdf", Pdf)), Aborted);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var after = await done.Content.ReadAsStringAsync(Aborted);
        Assert.Contains("Ten deployments a week, every week.", after);
        Assert.Contains("source: portal", after);
        Assert.Contains("release-stats.pdf", after);

        var confirmation = Assert.Single((await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}"))["confirmations"]!.AsArray())!;
        Assert.Equal("portal", confirmation.Str("source"));
        var fileId = Assert.Single(confirmation["attachmentIds"]!.AsArray())!.GetValue<string>();
        Assert.Contains($"/api/v1/attachments/{fileId}", after);
        Assert.Contains($"/api/v1/confirmations/{confirmation.Str("id")}/certificate", after);
        Assert.Equal(Pdf, await browser.GetByteArrayAsync($"/api/v1/attachments/{fileId}", Aborted));
        Assert.Equal("application/pdf", (await browser.GetAsync($"/api/v1/confirmations/{confirmation.Str("id")}/certificate", Aborted)).Content.Headers.ContentType?.MediaType);

        var vendor = await App.TeamBrowserAsync(s);
        foreach (var path in new[] { $"/objectives/{s.ObjectiveId}", $"/plans/{s.PlanId}" })
        {
            var vendorPage = await vendor.GetStringAsync(path, Aborted);
            Assert.Contains("source: portal", vendorPage);
            Assert.Contains($"/api/v1/attachments/{fileId}", vendorPage);
            Assert.Contains($"/api/v1/confirmations/{confirmation.Str("id")}/certificate", vendorPage);
        }
    }

    private static MultipartFormDataContent ConfirmForm(string page, string objectiveId, string statement, (string Name, byte[] Bytes) file)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent($"confirm-{objectiveId}"), "_handler" },
            { new StringContent(VerityApp.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(statement), "Confirmation.Statement" },
        };
        var content = new ByteArrayContent(file.Bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(content, "file", file.Name);
        return form;
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteEvidenceTests(SqliteApp app) : EvidenceTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresEvidenceTests(PostgresApp app) : EvidenceTests(app);
