/* ingest_gcp.c - decodes Google Cloud Monitoring time series (the REST projects.timeSeries.list
 * response, or a bare array of its TimeSeries) of Vertex AI's publisher model token counts
 * (docs/formats.md, "Cloud Monitoring time series"). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/ingest_provider.h"

#define METRIC_PREFIX "aiplatform.googleapis.com/publisher/online_serving/"

/* The series a TimeSeries of metric type (its labels metric_labels) is stored as, or NULL
 * with *what naming what is unknown. */
static const char *metric_of(const char *type, const cJSON *metric_labels, const char **what)
{
    const size_t np = sizeof METRIC_PREFIX - 1;
    *what = "metric.type";
    if (strncmp(type, METRIC_PREFIX, np) != 0)
        return NULL;
    if (strcmp(type + np, "model_invocation_count") == 0)
        return "Invocations";
    if (strcmp(type + np, "token_count") != 0)
        return NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(metric_labels, "type");
    *what = "metric.labels.type";
    if (!cJSON_IsString(t))
        return NULL;
    if (strcasecmp(t->valuestring, "input") == 0)
        return "InputTokenCount";
    if (strcasecmp(t->valuestring, "output") == 0)
        return "OutputTokenCount";
    return NULL;
}

/* One TimeSeries (at where) into s. */
static tp_status read_series(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                             const cJSON *ts, const char *where, tp_error *err)
{
    tp_status rc;
    char w[400];
    const cJSON *metric = cJSON_GetObjectItemCaseSensitive(ts, "metric");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(metric, "type");
    const cJSON *mlabels = cJSON_GetObjectItemCaseSensitive(metric, "labels");
    const cJSON *resource = cJSON_GetObjectItemCaseSensitive(ts, "resource");
    const cJSON *rlabels = cJSON_GetObjectItemCaseSensitive(resource, "labels");
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(ts, "points");
    if (!cJSON_IsObject(ts) || !cJSON_IsString(type))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s.metric.type: missing or not a string",
                            dec->name, where);
    const char *what;
    const char *series = metric_of(type->valuestring, mlabels, &what);
    if (series == NULL) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(mlabels, "type");
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.%s: unknown metric \"%.120s\"%s%.40s%s (tierplan reads "
                            "%stoken_count of type input or output, and "
                            "%smodel_invocation_count)",
                            dec->name, where, what, type->valuestring,
                            strcmp(what, "metric.type") != 0 ? " of type \"" : "",
                            strcmp(what, "metric.type") != 0 && cJSON_IsString(t)
                                ? t->valuestring
                                : "",
                            strcmp(what, "metric.type") != 0 ? "\"" : "", METRIC_PREFIX,
                            METRIC_PREFIX);
    }
    const cJSON *mid = cJSON_GetObjectItemCaseSensitive(rlabels, "model_user_id");
    const char *model = cJSON_IsString(mid) ? mid->valuestring : NULL;
    if (model == NULL && opts->model == NULL)
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: %s.resource.labels.model_user_id: missing (pass {model})",
                                  dec->name, where);
    if (!cJSON_IsArray(points))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s.points: not an array", dec->name, where);
    ingest_group *g = NULL;
    uint32_t j = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, points)
    {
        int64_t t0, t1;
        double v;
        const cJSON *iv = cJSON_GetObjectItemCaseSensitive(p, "interval");
        const cJSON *val = cJSON_GetObjectItemCaseSensitive(p, "value");
        const cJSON *i64 = cJSON_GetObjectItemCaseSensitive(val, "int64Value");
        const cJSON *dbl = cJSON_GetObjectItemCaseSensitive(val, "doubleValue");
        snprintf(w, sizeof w, "%s.points[%u].interval.startTime", where, (unsigned)j);
        if ((rc = prov_timestamp(dec, cJSON_GetObjectItemCaseSensitive(iv, "startTime"), 0, w,
                                 &t0, err)) != TP_OK)
            return rc;
        snprintf(w, sizeof w, "%s.points[%u].interval.endTime", where, (unsigned)j);
        if ((rc = prov_timestamp(dec, cJSON_GetObjectItemCaseSensitive(iv, "endTime"), 0, w,
                                 &t1, err)) != TP_OK)
            return rc;
        snprintf(w, sizeof w, "%s.points[%u].interval", where, (unsigned)j);
        if ((rc = prov_check_period(opts, dec, t1 - t0, w, "startTime to endTime", err)) !=
            TP_OK)
            return rc;
        if (g == NULL && (rc = prov_group(opts, dec, s, model, series, (int)(t1 - t0), where,
                                          &g, err)) != TP_OK)
            return rc;
        if (g->period_s != t1 - t0)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s: intervals of %lld s and %d s in one series", dec->name,
                                w, (long long)(t1 - t0), g->period_s);
        snprintf(w, sizeof w, "%s.points[%u].value.%s", where, (unsigned)j,
                 i64 != NULL ? "int64Value" : "doubleValue");
        if ((rc = prov_value(dec, i64 != NULL ? i64 : dbl, 1, w, &v, err)) != TP_OK)
            return rc;
        if (ingest_group_push(g, t0, v, j) != 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        /* the export's as-of: its last endTime (the query's interval is not in the answer,
         * and a minute without tokens has no point: no start, so no coverage from here) */
        prov_set_span(s, 0, 0, t1);
        j++;
    }
    return TP_OK;
}

tp_status ingest_gcp_doc(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                         const cJSON *doc, const char *docname, int *more, tp_error *err)
{
    tp_status rc;
    char where[300];
    const cJSON *tss = doc;
    const char *arr = "$";
    if (cJSON_IsObject(doc)) {
        const cJSON *next = cJSON_GetObjectItemCaseSensitive(doc, "nextPageToken");
        *more = cJSON_IsString(next) && next->valuestring[0] != '\0';
        tss = cJSON_GetObjectItemCaseSensitive(doc, "timeSeries");
        arr = "$.timeSeries";
        /* a page of no series omits timeSeries */
        if (tss == NULL)
            return TP_OK;
    }
    if (!cJSON_IsArray(tss))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s%s: not an array", dec->name, docname,
                            arr);
    int i = 0;
    const cJSON *ts;
    cJSON_ArrayForEach(ts, tss)
    {
        snprintf(where, sizeof where, "%s%s[%d]", docname, arr, i++);
        if ((rc = read_series(opts, dec, s, ts, where, err)) != TP_OK)
            return rc;
    }
    return TP_OK;
}
