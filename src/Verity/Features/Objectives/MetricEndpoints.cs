using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Objectives;
using Verity.Http;

namespace Verity.Features.Objectives;

public static class MetricEndpoints
{
    public static void MapMetrics(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Metrics");
        group.MapGet("/objectives/{objectiveId}/metrics", List);
        group.MapPost("/objectives/{objectiveId}/metrics", Create).Accepts<MetricInput>("application/json");
        group.MapGet("/metrics/{id}", Get);
        group.MapPatch("/metrics/{id}", Update).Accepts<MetricInput>("application/json");
        group.MapDelete("/metrics/{id}", Delete);
        group.MapGet("/metrics/{id}/measurements", ListMeasurements);
        group.MapPost("/metrics/{id}/measurements", AddMeasurement).Accepts<MeasurementInput>("application/json");
    }

    private static async Task<Ok<Page<MetricResponse>>> List(
        string objectiveId, VerityDb db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Objectives.GetAsync(objectiveId, cancellationToken);
        var page = await db.Metrics.AsNoTracking().Where(m => m.ObjectiveId == objectiveId)
            .PageAsync(limit, cursor, rows => rows, cancellationToken);
        var ids = page.Items.Select(m => m.Id).ToList();
        var metrics = await ObjectiveReads.MetricsAsync(db, db.Metrics.Where(m => ids.Contains(m.Id)), cancellationToken);
        return TypedResults.Ok(new Page<MetricResponse>(metrics, page.NextCursor));
    }

    private static async Task<Ok<MetricResponse>> Get(string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var metric = await db.Metrics.AsNoTracking().GetAsync(id, cancellationToken);
        ETags.Set(response, metric.Version);
        return TypedResults.Ok(await ResponseAsync(db, metric, cancellationToken));
    }

    private static async Task<Created<MetricResponse>> Create(
        string objectiveId, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var metric = await AddAsync(db, actor, objectiveId, await Json.ReadAsync<MetricInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, metric.Version);
        return TypedResults.Created($"/api/v1/metrics/{metric.Id}", ObjectiveReads.ToResponse(metric, null));
    }

    public static async Task<Metric> AddAsync(VerityDb db, Actor actor, string objectiveId, MetricInput input, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.GetAsync(objectiveId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var metric = new Metric { AccountId = objective.AccountId, ObjectiveId = objective.Id, Name = "" };
        input.ApplyTo(metric);
        db.Metrics.Add(metric);
        await db.SaveChangesAsync(cancellationToken);
        return metric;
    }

    private static async Task<Ok<MetricResponse>> Update(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var metric = await db.Metrics.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, metric);
        var input = await Json.PatchAsync(request, MetricInput.From(metric));
        input.ApplyTo(metric);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, metric.Version);
        return TypedResults.Ok(await ResponseAsync(db, metric, cancellationToken));
    }

    private static async Task<NoContent> Delete(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var metric = await db.Metrics.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, metric);
        db.Measurements.RemoveRange(await db.Measurements.Where(x => x.MetricId == id).ToListAsync(cancellationToken));
        db.Metrics.Remove(metric);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Measurements by date, as a chart reads them, paged by (date, id): ordering each id-ordered page by date made
    /// the order depend on the page size whenever a value was backfilled.
    /// </summary>
    private static async Task<Ok<Page<MeasurementResponse>>> ListMeasurements(
        string id, VerityDb db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Metrics.GetAsync(id, cancellationToken);
        var take = Paging.Take(limit);
        var query = db.Measurements.AsNoTracking().Where(x => x.MetricId == id);
        if (Paging.CheckCursor(cursor) is { } afterId)
        {
            var after = await query.Where(x => x.Id == afterId).Select(x => new { x.At, x.Id }).FirstOrDefaultAsync(cancellationToken)
                ?? throw new BadInputException("cursor", "Is not a cursor this API handed out.");
            query = query.Where(x => x.At > after.At || (x.At == after.At && string.Compare(x.Id, after.Id) > 0));
        }

        var rows = await query.OrderBy(x => x.At).ThenBy(x => x.Id).Take(take + 1)
            .Select(x => new MeasurementResponse(x.Id, x.MetricId, x.Value, x.At, x.Source)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<MeasurementResponse>(rows.Take(take).ToList(), rows.Count > take ? rows[take - 1].Id : null));
    }

    private static async Task<Created<MeasurementResponse>> AddMeasurement(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var measurement = await MeasureAsync(db, actor, id, await Json.ReadAsync<MeasurementInput>(request), cancellationToken);
        return TypedResults.Created(
            $"/api/v1/metrics/{id}/measurements",
            new MeasurementResponse(measurement.Id, id, measurement.Value, measurement.At, measurement.Source));
    }

    public static async Task<Measurement> MeasureAsync(VerityDb db, Actor actor, string id, MeasurementInput input, CancellationToken cancellationToken)
    {
        var metric = await db.Metrics.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        if (!double.IsFinite(input.Value!.Value))
        {
            throw new BadInputException("value", "Must be a finite number.");
        }

        var measurement = new Measurement
        {
            AccountId = metric.AccountId,
            MetricId = metric.Id,
            Value = input.Value.Value,
            At = input.At!.Value,
            Source = input.Source,
        };
        db.Measurements.Add(measurement);
        await db.SaveChangesAsync(cancellationToken);
        return measurement;
    }

    // The caller may leave the account's team between the write and this read: then the metric is one they no longer see.
    private static async Task<MetricResponse> ResponseAsync(VerityDb db, Metric metric, CancellationToken cancellationToken) =>
        (await ObjectiveReads.MetricsAsync(db, db.Metrics.Where(m => m.Id == metric.Id), cancellationToken)).FirstOrDefault()
            ?? throw new NotFoundException("The metric");
}
