/* report_stats.c - the stats report: what the stats layer computed, as text, JSON or CSV. */
#include "tierplan/report.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/cnum.h"
#include "render/report_internal.h"
#include "render/report_check.h"
#include "tierplan/stats.h"
#include "tierplan/timestamp.h"

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

cJSON *report_json_stats_model(const tp_model_stats *ms)
{
    const tp_series *s = ms->series;
    cJSON *m = cJSON_CreateObject();
    if (m == NULL)
        return NULL;
    cJSON_AddStringToObject(m, "model", tp_series_model(s));
    report_json_series_window(m, s);
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
            report_json_push(arr, e);
        }
        cJSON_AddStringToObject(used, tp_metric_key(k), tp_series_sources(s, k));
        report_json_put(tpm, tp_metric_key(k), summary_json(&ms->tpm[k]));
    }
    report_json_put(tpm, "effective_input", summary_json(&ms->effective_input));
    cJSON *bd = cJSON_AddObjectToObject(m, "burn_down");
    cJSON_AddNumberToObject(bd, "cache_read", ms->burn_down_cache_read);
    cJSON_AddNumberToObject(bd, "cache_write", ms->burn_down_cache_write);
    cJSON_AddStringToObject(bd, "from", ms->factors_from);
    cJSON_AddStringToObject(bd, "cache_read_from", ms->cache_read_from);
    cJSON_AddStringToObject(bd, "cache_write_from", ms->cache_write_from);
    cJSON *notes = cJSON_AddArrayToObject(m, "notes");
    if (ms->coarse)
        report_json_push(notes, cJSON_CreateString(report_coarse_note));
    return m;
}

/* The attribution keys asked for, and so the source: only when keys were given (the shape of
 * a whole model's stats stays as it was). */
static void keys_json(cJSON *m, const tp_stats_request *req)
{
    if (req->n_keys == 0)
        return;
    cJSON_AddStringToObject(m, "source", "logs");
    cJSON *a = cJSON_AddArrayToObject(m, "keys");
    for (size_t i = 0; i < req->n_keys; i++)
        report_json_push(a, cJSON_CreateString(req->keys[i]));
}

static void keys_text(strbuf *b, const tp_stats_request *req)
{
    strbuf k = {0};
    char *text = NULL;
    if (req->n_keys == 0)
        return;
    for (size_t i = 0; i < req->n_keys; i++)
        sb_printf(&k, "%s%s", i ? ", " : "", req->keys[i]);
    sb_puts(&k, " (invocation logs)");
    if (sb_finish(&k, &text, NULL) == TP_OK)
        render_wrapped(b, "keys: ", text);
    free(text);
}

static tp_status stats_json(const tp_stats_request *req, const tp_model_stats *ms, size_t n,
                             const tp_stats_omitted *omitted, size_t n_omitted, char **out,
                             tp_error *err)
{
    tp_status rc = TP_OK;
    report_json_start();
    cJSON *root = cJSON_CreateObject(), *models = cJSON_AddArrayToObject(root, "models");
    if (root == NULL || models == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        cJSON *m = report_json_stats_model(&ms[i]);
        if (m == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        keys_json(m, req);
        report_json_push(models, m);
    }
    /* a model whose window is over the limit is listed with why; one without data is not */
    cJSON *sk = NULL;
    for (size_t i = 0; i < n_omitted; i++) {
        if (omitted[i].status != TP_ERR_TOO_BIG)
            continue;
        if (sk == NULL)
            sk = cJSON_AddArrayToObject(root, "skipped");
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "model", omitted[i].model);
        cJSON_AddStringToObject(e, "reason", omitted[i].reason);
        report_json_push(sk, e);
    }
    return report_print_json(root, out, err);
cleanup:
    cJSON_Delete(root);
    return rc;
}

/* One row of the stats table: a label and six figures. */
static void stats_row(strbuf *b, const char *label, const tp_summary *t)
{
    const double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm, t->mean_tpm};
    sb_printf(b, "%-15s", label);
    for (int j = 0; j < 6; j++) {
        char num[NUMFMT_BUF];
        report_fmt_tpm(num, sizeof num, v[j]);
        sb_printf(b, " %12s", num);
    }
    sb_puts(b, "\n");
}

/* Which stored series made up each metric, at which resolutions, one line per metric. */
static void stats_sources(strbuf *b, const tp_series *s)
{
    sb_puts(b, "series used:\n");
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        sb_printf(b, "  %-13s %s", tp_metric_key(k), tp_series_sources(s, k));
        size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
        for (size_t r = 0; r < nr; r++) {
            int period;
            size_t mins;
            char n[NUMFMT_BUF];
            tp_series_resolution(s, k, r, &period, &mins);
            numfmt_count(n, (double)mins);
            sb_printf(b, "%s%ds x %s min", r ? ", " : "; ", period, n);
        }
        sb_puts(b, "\n");
    }
}

/* The stats table fits 100 columns: 15 + 6 x 13 = 93; what made each row follows below it. */
static tp_status stats_text(const tp_stats_request *req, const tp_model_stats *ms, size_t n,
                             const tp_stats_omitted *omitted, size_t n_omitted, const char *tail,
                             char **out, tp_error *err)
{
    strbuf b = {0};
    if (n == 0)
        sb_puts(&b, "no data yet; see tierplan export-cmd and tierplan ingest\n");
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        char from[TP_TIME_BUF], to[TP_TIME_BUF], a[NUMFMT_BUF], c[NUMFMT_BUF];
        int64_t f = tp_series_from_minute(s);
        size_t minutes = tp_series_minutes(s);
        if (i > 0)
            sb_puts(&b, "\n");
        sb_printf(&b, "model %s\n", tp_series_model(s));
        numfmt_count(a, (double)minutes);
        numfmt_count(c, (double)tp_series_minutes_with_data(s));
        sb_printf(&b, "window %s .. %s (%s minute%s, %s with data)\n",
                  tp_time_format(f * 60, from), tp_time_format((f + (int64_t)minutes) * 60, to),
                  a, minutes == 1 ? "" : "s", c);
        keys_text(&b, req);
        sb_printf(&b, "%-15s %12s %12s %12s %12s %12s %12s\n", "TPM", "p25", "p50", "p90", "p99",
                  "max", "mean");
        for (int k = 0; k < TP_METRIC_COUNT; k++)
            stats_row(&b, tp_metric_key(k), &ms[i].tpm[k]);
        stats_row(&b, "effective_input", &ms[i].effective_input);
        stats_sources(&b, s);
        cnum_format(a, sizeof a, ms[i].burn_down_cache_read);
        cnum_format(c, sizeof c, ms[i].burn_down_cache_write);
        sb_printf(&b, "effective_input = input + %s x cache_write + %s x cache_read\n  (%s)\n", c,
                  a, ms[i].factors_from);
        if (ms[i].coarse)
            render_wrapped(&b, "note: ", report_coarse_note);
    }
    for (size_t i = 0; i < n_omitted; i++) {
        if (omitted[i].status != TP_ERR_TOO_BIG)
            continue;
        sb_printf(&b, "\nmodel %s: skipped\n", omitted[i].model);
        render_wrapped(&b, "  ", omitted[i].reason);
    }
    sb_puts(&b, tail);
    return sb_finish(&b, out, err);
}

static tp_status stats_csv(const tp_model_stats *ms, size_t n, char **out, tp_error *err)
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
        for (int k = 0; k <= TP_METRIC_COUNT; k++) {
            const tp_summary *t = k < TP_METRIC_COUNT ? &ms[i].tpm[k] : &ms[i].effective_input;
            double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm,
                           t->mean_tpm};
            render_csv_str(&b, tp_series_model(s));
            report_csv_word(&b, k < TP_METRIC_COUNT ? tp_metric_key(k) : "effective_input");
            report_csv_word(&b, from);
            report_csv_word(&b, to);
            render_csv_num(&b, (double)minutes);
            render_csv_num(&b, (double)tp_series_minutes_with_data(s));
            for (int j = 0; j < 6; j++)
                render_csv_num(&b, v[j]);
            sb_puts(&b, "\n");
        }
    }
    return sb_finish(&b, out, err);
}

/* The stats of one model, or of every stored model; fails as the stats report always has when
 * no model has data: an empty store is a normal state, a store with no model to show is not. */
static tp_series_query request_query(const tp_stats_request *req)
{
    tp_series_query q = {0};
    q.model = req->model;
    q.has_from = req->has_from;
    q.has_to = req->has_to;
    q.from_minute = req->from_minute;
    q.to_minute = req->to_minute;
    q.tiers = req->tiers;
    q.n_tiers = req->n_tiers;
    q.window = req->window;
    q.source = req->source;
    q.keys = req->keys;
    q.n_keys = req->n_keys;
    return q;
}

static tp_status load_stats(tp_store *store, const tp_stats_request *req, tp_model_stats **one,
                            tp_stats_set **set, tp_error *err)
{
    const tp_series_query q = request_query(req);
    if (req->model != NULL)
        return tp_stats_model(store, &q, req->pricing, one, err);
    tp_status rc = tp_stats_all(store, &q, req->pricing, set, err);
    if (rc != TP_OK || (*set)->n > 0 || (*set)->n_omitted == 0)
        return rc;
    for (size_t i = 0; i < (*set)->n_omitted; i++)
        if ((*set)->omitted[i].status == TP_ERR_TOO_BIG)
            return tp_error_set(err, TP_ERR_TOO_BIG, "%s", (*set)->omitted[i].reason);
    return tp_error_set(err, TP_ERR_NOT_FOUND, "no data for any of the %zu stored models (%s)",
                        (*set)->n_stored, (*set)->omitted[(*set)->n_omitted - 1].reason);
}

/* Under the text, for each model with both metric exports and invocation logs (of every
 * key), the logs/metrics token ratio over the metric window: logs cover only the Converse and
 * InvokeModel families, so they can hold fewer tokens. */
static tp_status stats_ratios(tp_store *store, const tp_stats_request *req,
                              const tp_model_stats *ms, size_t n, char **out, tp_error *err)
{
    strbuf b = {0};
    tp_status rc = TP_OK;
    for (size_t i = 0; i < n && req->n_keys == 0 && rc == TP_OK; i++) {
        tp_series_query q = request_query(req);
        int both = 0;
        double logs = 0, metrics = 0;
        char l[NUMFMT_BUF], m[NUMFMT_BUF], r[NUMFMT_BUF], text[512];
        q.model = tp_series_model(ms[i].series);
        rc = tp_series_compare_sources(store, &q, &both, &logs, &metrics, err);
        if (rc != TP_OK || !both)
            continue;
        numfmt_count(l, logs);
        numfmt_count(m, metrics);
        numfmt_fixed(r, logs / metrics, 3);
        snprintf(text, sizeof text,
                 "%s: invocation logs hold %s x the tokens of the metric exports (%s / %s "
                 "tokens)",
                 q.model, r, l, m);
        render_wrapped(&b, "", text);
    }
    if (rc != TP_OK) {
        free(b.data);
        return rc;
    }
    return sb_finish(&b, out, err);
}

/* One renderer per format; a new format is a new case (the compiler names a switch that
 * lacks one). */
static tp_status stats_render(tp_store *store, const tp_stats_request *req, tp_format fmt,
                              const tp_model_stats *ms, size_t n, const tp_stats_omitted *omitted,
                              size_t n_omitted, char **out, tp_error *err)
{
    char *tail = NULL;
    tp_status rc;
    switch (fmt) {
    case TP_FORMAT_TEXT:
        if ((rc = stats_ratios(store, req, ms, n, &tail, err)) == TP_OK)
            rc = stats_text(req, ms, n, omitted, n_omitted, tail, out, err);
        free(tail);
        return rc;
    case TP_FORMAT_JSON: return stats_json(req, ms, n, omitted, n_omitted, out, err);
    case TP_FORMAT_CSV: return stats_csv(ms, n, out, err);
    case TP_FORMAT_MARKDOWN: /* fleet reports only */
    case TP_FORMAT_HTML: break;
    }
    return report_unknown_format(fmt, err);
}

tp_status tp_report_stats(tp_store *store, const tp_stats_request *req, tp_format fmt,
                          char **out, tp_error *err)
{
    tp_model_stats *one = NULL;
    tp_stats_set *set = NULL;
    *out = NULL;
    tp_status rc = load_stats(store, req, &one, &set, err);
    if (rc != TP_OK)
        goto cleanup;
    const tp_model_stats *ms = one != NULL ? one : set->models;
    const size_t n = one != NULL ? 1 : set->n;
    const tp_stats_omitted *omitted = set != NULL ? set->omitted : NULL;
    const size_t n_omitted = set != NULL ? set->n_omitted : 0;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k <= TP_METRIC_COUNT; k++) /* k == TP_METRIC_COUNT: effective input */
            if ((rc = report_check_summary(
                     k < TP_METRIC_COUNT ? &ms[i].tpm[k] : &ms[i].effective_input,
                     tp_series_model(ms[i].series),
                     k < TP_METRIC_COUNT ? tp_metric_key(k) : "effective_input", err)) != TP_OK)
                goto cleanup;
    rc = stats_render(store, req, fmt, ms, n, omitted, n_omitted, out, err);
cleanup:
    tp_stats_model_free(one);
    tp_stats_set_free(set);
    return rc;
}
