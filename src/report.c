/* report.c - statistics reports: one pass computes, three renderers print. */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/report.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnum.h"
#include "strbuf.h"
#include "tierplan/stats.h"
#include "tierplan/timestamp.h"

tp_status tp_format_parse(const char *name, tp_format *out, tp_error *err)
{
    if (strcmp(name, "text") == 0)
        *out = TP_FORMAT_TEXT;
    else if (strcmp(name, "json") == 0)
        *out = TP_FORMAT_JSON;
    else if (strcmp(name, "csv") == 0)
        *out = TP_FORMAT_CSV;
    else
        return tp_error_set(err, TP_ERR_USAGE,
                            "--format: \"%s\" is not one of text, json, csv", name);
    return TP_OK;
}

/* Everything one model's report needs, computed once. */
typedef struct model_stats {
    tp_series *series;
    tp_summary tpm[TP_METRIC_COUNT];
    int coarse; /* some minutes rest on data coarser than a minute */
} model_stats;

static cJSON *summary_json(const tp_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddNumberToObject(o, "p25", s->p25_tpm);
    cJSON_AddNumberToObject(o, "p50", s->p50_tpm);
    cJSON_AddNumberToObject(o, "p90", s->p90_tpm);
    cJSON_AddNumberToObject(o, "p99", s->p99_tpm);
    cJSON_AddNumberToObject(o, "max", s->max_tpm);
    cJSON_AddNumberToObject(o, "mean", s->mean_tpm);
    return o;
}

static const char *coarse_note =
    "some minutes rest on data coarser than 1 minute: its sums are spread evenly over their "
    "minutes, which understates peaks (CloudWatch keeps 1-minute data for 15 days)";

static tp_status render_json(const model_stats *ms, size_t n, char **out, tp_error *err)
{
    tp_status rc = TP_OK;
    cJSON *root = cJSON_CreateObject(), *models = cJSON_AddArrayToObject(root, "models");
    if (root == NULL || models == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        char from[TP_TIME_BUF], to[TP_TIME_BUF];
        int64_t f = tp_series_from_minute(s);
        cJSON *m = cJSON_CreateObject();
        if (m == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        cJSON_AddItemToArray(models, m);
        cJSON_AddStringToObject(m, "model", tp_series_model(s));
        cJSON *w = cJSON_AddObjectToObject(m, "window");
        cJSON_AddStringToObject(w, "from", tp_time_format(f * 60, from));
        cJSON_AddStringToObject(
            w, "to", tp_time_format((f + (int64_t)tp_series_minutes(s)) * 60, to));
        cJSON_AddNumberToObject(w, "minutes", (double)tp_series_minutes(s));
        cJSON_AddNumberToObject(w, "minutes_with_data", (double)tp_series_minutes_with_data(s));
        cJSON *res = cJSON_AddObjectToObject(m, "resolution");
        cJSON *used = cJSON_AddObjectToObject(m, "series_used");
        cJSON *tpm = cJSON_AddObjectToObject(m, "tpm");
        for (int k = 0; k < TP_METRIC_COUNT; k++) {
            cJSON *arr = cJSON_AddArrayToObject(res, tp_metric_key(k));
            size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
            for (size_t r = 0; r < nr; r++) {
                int period;
                size_t minutes;
                tp_series_resolution(s, k, r, &period, &minutes);
                cJSON *e = cJSON_CreateObject();
                cJSON_AddNumberToObject(e, "period_s", period);
                cJSON_AddNumberToObject(e, "minutes", (double)minutes);
                cJSON_AddItemToArray(arr, e);
            }
            cJSON_AddStringToObject(used, tp_metric_key(k), tp_series_sources(s, k));
            cJSON_AddItemToObject(tpm, tp_metric_key(k), summary_json(&ms[i].tpm[k]));
        }
        cJSON *notes = cJSON_AddArrayToObject(m, "notes");
        if (ms[i].coarse)
            cJSON_AddItemToArray(notes, cJSON_CreateString(coarse_note));
    }
    locale_t prev = cnum_enter(); /* cJSON prints numbers with LC_NUMERIC's decimal point */
    *out = cJSON_Print(root);
    cnum_restore(prev);
    if (*out == NULL)
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
cleanup:
    cJSON_Delete(root);
    return rc;
}

static void fmt_tpm(char *buf, size_t size, double v)
{
    /* TPM is a token rate: one decimal is all a planner reads, and it keeps columns aligned */
    locale_t prev = cnum_enter();
    snprintf(buf, size, "%.1f", v);
    cnum_restore(prev);
}

static tp_status render_text(const model_stats *ms, size_t n, char **out, tp_error *err)
{
    strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        char from[TP_TIME_BUF], to[TP_TIME_BUF];
        int64_t f = tp_series_from_minute(s);
        size_t minutes = tp_series_minutes(s);
        if (i > 0)
            sb_puts(&b, "\n");
        sb_printf(&b, "model %s\n", tp_series_model(s));
        sb_printf(&b, "window %s .. %s (%zu minutes, %zu with data)\n",
                  tp_time_format(f * 60, from), tp_time_format((f + (int64_t)minutes) * 60, to),
                  minutes, tp_series_minutes_with_data(s));
        sb_printf(&b, "%-12s %12s %12s %12s %12s %12s %12s  %s\n", "TPM", "p25", "p50", "p90",
                  "p99", "max", "mean", "series, resolution");
        for (int k = 0; k < TP_METRIC_COUNT; k++) {
            const tp_summary *t = &ms[i].tpm[k];
            double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm,
                           t->mean_tpm};
            sb_printf(&b, "%-12s", tp_metric_key(k));
            for (int j = 0; j < 6; j++) {
                char num[48];
                fmt_tpm(num, sizeof num, v[j]);
                sb_printf(&b, " %12s", num);
            }
            sb_printf(&b, "  %s", tp_series_sources(s, k));
            size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
            for (size_t r = 0; r < nr; r++) {
                int period;
                size_t mins;
                tp_series_resolution(s, k, r, &period, &mins);
                sb_printf(&b, "%s%ds x %zu min", r ? ", " : "; ", period, mins);
            }
            sb_puts(&b, "\n");
        }
        if (ms[i].coarse)
            sb_printf(&b, "note: %s\n", coarse_note);
    }
    return sb_finish(&b, out, err);
}

static tp_status render_csv(const model_stats *ms, size_t n, char **out, tp_error *err)
{
    strbuf b = {0};
    sb_puts(&b, "model,metric,from,to,minutes,minutes_with_data,p25_tpm,p50_tpm,p90_tpm,"
                "p99_tpm,max_tpm,mean_tpm\n");
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        char from[TP_TIME_BUF], to[TP_TIME_BUF];
        int64_t f = tp_series_from_minute(s);
        size_t minutes = tp_series_minutes(s);
        tp_time_format(f * 60, from);
        tp_time_format((f + (int64_t)minutes) * 60, to);
        for (int k = 0; k < TP_METRIC_COUNT; k++) {
            const tp_summary *t = &ms[i].tpm[k];
            double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm,
                           t->mean_tpm};
            /* model ids never hold commas or quotes (ARNs and ids are [A-Za-z0-9.:/_-]) but
             * quote anyway: a CSV reader must never be misled */
            sb_puts(&b, "\"");
            for (const char *c = tp_series_model(s); *c; c++)
                sb_printf(&b, *c == '"' ? "\"\"" : "%c", *c);
            sb_printf(&b, "\",%s,%s,%s,%zu,%zu", tp_metric_key(k), from, to, minutes,
                      tp_series_minutes_with_data(s));
            for (int j = 0; j < 6; j++) {
                char num[48];
                cnum_format(num, sizeof num, v[j]);
                sb_printf(&b, ",%s", num);
            }
            sb_puts(&b, "\n");
        }
    }
    return sb_finish(&b, out, err);
}

tp_status tp_report_stats(tp_store *store, const tp_stats_request *req, tp_format fmt,
                          char **out, tp_error *err)
{
    tp_status rc = TP_OK;
    char **models = NULL;
    size_t n_models = 0;
    model_stats *ms = NULL;
    *out = NULL;
    if (req->model != NULL) {
        models = calloc(1, sizeof *models);
        if (models == NULL || (models[0] = strdup(req->model)) == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        n_models = 1;
    } else if ((rc = tp_store_models(store, &models, &n_models, err)) != TP_OK) {
        goto cleanup;
    }
    if (n_models == 0) {
        rc = tp_error_set(err, TP_ERR_NOT_FOUND,
                          "the database holds no data yet (run tierplan ingest first)");
        goto cleanup;
    }
    ms = calloc(n_models, sizeof *ms);
    if (ms == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n_models; i++) {
        tp_series_query q = {0};
        q.model = models[i];
        q.has_from = req->has_from;
        q.has_to = req->has_to;
        q.from_minute = req->from_minute;
        q.to_minute = req->to_minute;
        q.tiers = req->tiers;
        q.n_tiers = req->n_tiers;
        if ((rc = tp_series_load(store, &q, &ms[i].series, err)) != TP_OK)
            goto cleanup;
        size_t minutes = tp_series_minutes(ms[i].series);
        for (int k = 0; k < TP_METRIC_COUNT; k++) {
            rc = tp_stats_summarize(tp_series_values(ms[i].series, k), minutes, &ms[i].tpm[k],
                                    err);
            if (rc != TP_OK)
                goto cleanup;
            size_t nr = tp_series_resolution(ms[i].series, k, 0, NULL, NULL);
            for (size_t r = 0; r < nr; r++) {
                int period;
                tp_series_resolution(ms[i].series, k, r, &period, NULL);
                ms[i].coarse |= period > 60;
            }
        }
    }
    switch (fmt) {
    case TP_FORMAT_JSON: rc = render_json(ms, n_models, out, err); break;
    case TP_FORMAT_CSV: rc = render_csv(ms, n_models, out, err); break;
    default: rc = render_text(ms, n_models, out, err); break;
    }
cleanup:
    if (ms != NULL)
        for (size_t i = 0; i < n_models; i++)
            tp_series_free(ms[i].series);
    free(ms);
    tp_strv_free(models, n_models);
    return rc;
}
