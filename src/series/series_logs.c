/* series_logs.c - demand arrays from the per-minute invocation log sums the store holds, and
 * the comparison of logs with metric exports (docs/model.md, "Metrics or logs"). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "series/series_internal.h"

#include "store/store_logs.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

typedef struct fill_ctx {
    int64_t from;
    double **values;
    size_t with_data;
    double tokens;
} fill_ctx;

static int put_minute(void *arg, int64_t minute, const store_log_sums *v)
{
    fill_ctx *c = arg;
    const size_t i = (size_t)(minute - c->from);
    c->values[TP_METRIC_INPUT][i] = (double)v->input_tokens;
    c->values[TP_METRIC_OUTPUT][i] = (double)v->output_tokens;
    c->values[TP_METRIC_CACHE_READ][i] = (double)v->cache_read_tokens;
    c->values[TP_METRIC_CACHE_WRITE][i] = (double)v->cache_write_tokens;
    c->with_data++;
    return 0;
}

tp_status series_logs_window(const tp_series_query *q, int64_t first, int64_t last,
                             int64_t *lo, int64_t *hi, tp_error *err)
{
    tp_series_query resolved;
    const tp_window_spec *rolling = NULL;
    /* a relative window (--last 2h, --from -14d) is anchored at the end of the logs (or at
     * the window's now), as a metric window is at the end of its series */
    if (q->window != NULL && !q->has_from && !q->has_to) {
        tp_status rc = tp_series_query_resolve(q, last + 1, &resolved, err);
        if (rc != TP_OK)
            return rc;
        rolling = q->window;
        q = &resolved;
    }
    *lo = q->has_from ? q->from_minute : first;
    *hi = q->has_to ? q->to_minute : last + 1;
    if (*hi > *lo)
        series_clip_rolling(rolling, first, last + 1, lo, hi);
    return TP_OK;
}

/* The window: the query's bounds, else the span of the logs of the keys. */
static tp_status window(tp_store *st, const tp_series_query *q, int64_t *lo, int64_t *hi,
                        int64_t *logs_lo, int64_t *logs_hi, tp_error *err)
{
    const store_place at = {q->region, q->account};
    int found = 0;
    int64_t first = 0, last = 0;
    tp_status rc =
        store_log_span_at(st, q->model, &at, q->keys, q->n_keys, &found, &first, &last, err);
    if (rc != TP_OK)
        return rc;
    if (!found)
        return tp_error_set(err, TP_ERR_NOT_FOUND, "no invocation logs for model \"%s\"%s",
                            q->model, q->n_keys > 0 ? " and the keys given" : "");
    *logs_lo = first;
    *logs_hi = last + 1;
    if ((rc = series_logs_window(q, first, last, lo, hi, err)) != TP_OK)
        return rc;
    if (*hi <= *lo)
        return tp_error_set(err, q->has_from && q->has_to ? TP_ERR_USAGE : TP_ERR_NOT_FOUND,
                            "no invocation logs for model \"%s\" in the window", q->model);
    if ((uint64_t)(*hi - *lo) > TP_SERIES_MAX_MINUTES) {
        char a[TP_TIME_BUF], b[TP_TIME_BUF];
        return tp_error_set_field(err, TP_ERR_TOO_BIG, NULL,
                                  "model %s: window %s .. %s is over the limit of %zu minutes "
                                  "(3 years): narrow it with {from_minute}/{to_minute}",
                                  q->model, tp_timestamp_format(*lo * 60, a),
                                  tp_timestamp_format(*hi * 60, b), TP_SERIES_MAX_MINUTES);
    }
    return TP_OK;
}

/* The demand of q's model and keys from log sums, over q's window or else over the span of
 * its logs, into s's values (allocated: freed with s); the minutes of the window outside the
 * logs' extent are noted as uncovered. */
static tp_status fill(tp_store *st, const tp_series_query *q, tp_series *s, tp_error *err)
{
    const store_place at = {q->region, q->account};
    double **values = s->values;
    int64_t lo = 0, hi = 0, llo = 0, lhi = 0;
    tp_status rc = window(st, q, &lo, &hi, &llo, &lhi, err);
    if (rc != TP_OK)
        return rc;
    const size_t n = (size_t)(hi - lo);
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        if ((values[m] = calloc(n, sizeof *values[m])) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    fill_ctx c = {lo, values, 0, 0};
    if ((rc = store_log_minutes_at(st, q->model, &at, q->keys, q->n_keys, lo, hi, put_minute, &c,
                                   err)) !=
        TP_OK)
        return rc;
    if (c.with_data == 0)
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "no invocation logs for model \"%s\" in the window", q->model);
    s->from_minute = lo;
    s->minutes = n;
    s->minutes_with_data = c.with_data;
    if ((rc = series_note_uncovered(s, lo, llo < hi ? llo : hi, err)) != TP_OK)
        return rc;
    return series_note_uncovered(s, lhi > lo ? lhi : lo, hi, err);
}

static int stop_at_first(void *arg, int64_t minute, const store_log_sums *v)
{
    (void)minute;
    (void)v;
    *(int *)arg = 1;
    return 1;
}

/* *out is 1 when the model has log sums (of q's keys) in q's window. */
static tp_status logs_any(tp_store *st, const tp_series_query *q, int *out, tp_error *err)
{
    const store_place at = {q->region, q->account};
    *out = 0;
    return store_log_minutes_at(st, q->model, &at, q->keys, q->n_keys,
                             q->has_from ? q->from_minute : INT64_MIN,
                             q->has_to ? q->to_minute : INT64_MAX, stop_at_first, out, err);
}

/* The demand of invocation log sums: every minute at a 60 s period, no ingests named. */
static tp_status load_logs(tp_store *st, const tp_series_query *q, tp_series **out, tp_error *err)
{
    tp_status rc = TP_OK;
    tp_series *s = calloc(1, sizeof *s);
    if (s == NULL || (s->model = strdup(q->model)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = fill(st, q, s, err)) != TP_OK)
        goto cleanup;
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        if ((s->sources[m] = strdup("invocation logs")) == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        s->res[m][0].period_s = 60;
        s->res[m][0].minutes = s->minutes_with_data;
        s->n_res[m] = 1;
    }
    *out = s;
    s = NULL;
cleanup:
    tp_series_free(s);
    return rc;
}

/* tp_series_load of one place (q's region and account set, or region NULL: merged). */
static tp_status load_at(tp_store *st, const tp_series_query *q, tp_series **out, tp_error *err)
{
    if (q->source == TP_SOURCE_LOGS || q->n_keys > 0)
        return load_logs(st, q, out, err);
    /* per minute, metrics where their exports cover and logs elsewhere; not for merged
     * regions, whose minutes each region's exports cover apart */
    return series_load_metrics(st, q, q->source == TP_SOURCE_AUTO && q->region != NULL, out,
                               err);
}

/* A model without metric data in the window falls back on its logs (never both), at the
 * place its logs are stored (a metric export may lack the region log records carry):
 * *out_any is 1 with *lq (its strings borrowed from *places) when they hold sums there. */
static tp_status logs_place(tp_store *st, const tp_series_query *q, tp_series_query *lq,
                            tp_store_place **places, size_t *n_places, const char **region,
                            const char **account, int *out_any, tp_error *err)
{
    tp_series_query want = *q;
    want.source = TP_SOURCE_LOGS;
    *out_any = 0;
    tp_error why;
    tp_status rc = series_choose_place(st, &want, lq, places, n_places, region, account, &why);
    if (rc == TP_ERR_USAGE || rc == TP_ERR_NOT_FOUND)
        return TP_OK; /* no logs where asked (or in several places): the metrics' error stands */
    if (rc != TP_OK)
        return tp_error_set(err, rc, "%s", why.message);
    lq->source = q->source;
    return logs_any(st, lq, out_any, err);
}

tp_status tp_series_load(tp_store *st, const tp_series_query *q, tp_series **out, tp_error *err)
{
    tp_series_query pq;
    tp_store_place *places = NULL;
    size_t n_places = 0;
    const char *region = "", *account = "";
    *out = NULL;
    if (q == NULL || q->model == NULL)
        return tp_error_set(err, TP_ERR_USAGE, "series: no model given");
    if (q->n_keys > 0 && q->source == TP_SOURCE_METRICS)
        return tp_error_set(err, TP_ERR_USAGE,
                            "keys are attribution keys of invocation logs: "
                            "not with the metrics source");
    tp_status rc = series_choose_place(st, q, &pq, &places, &n_places, &region, &account, err);
    if (rc == TP_OK)
        rc = load_at(st, &pq, out, err);
    if (rc == TP_ERR_NOT_FOUND && q->source == TP_SOURCE_AUTO &&
        q->n_keys == 0) {
        int any = 0;
        tp_store_places_free(places, n_places);
        places = NULL;
        n_places = 0;
        tp_error first = {0};
        if (err != NULL)
            first = *err;
        const tp_status rc2 = logs_place(st, q, &pq, &places, &n_places, &region, &account, &any,
                                         err);
        if (rc2 != TP_OK)
            rc = rc2;
        else if (any)
            rc = load_logs(st, &pq, out, err);
        else if (err != NULL)
            *err = first; /* the metrics' error, not what the search for logs left */
    }
    if (rc == TP_OK && (((*out)->region = strdup(region)) == NULL ||
                        ((*out)->account = strdup(account)) == NULL)) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        tp_series_free(*out);
        *out = NULL;
    }
    tp_store_places_free(places, n_places);
    return rc;
}

typedef struct both_ctx {
    int64_t lo;
    const unsigned char *metric; /* per window minute: 1 where metric exports cover it */
    double logs, metrics;
} both_ctx;

/* A minute of log sums inside the window: counted, with the metrics' tokens of that minute,
 * where metric exports cover it too. */
static int add_both(void *arg, int64_t minute, const store_log_sums *v)
{
    both_ctx *c = arg;
    const size_t i = (size_t)(minute - c->lo);
    if (!c->metric[i])
        return 0;
    c->logs +=
        (double)(v->input_tokens + v->output_tokens + v->cache_read_tokens + v->cache_write_tokens);
    return 0;
}

tp_status tp_series_compare_sources(tp_store *st, const tp_series_query *q, int *out_both,
                                    double *out_logs_tokens, double *out_metric_tokens,
                                    tp_error *err)
{
    tp_series_query mq = *q;
    tp_series *ms = NULL;
    unsigned char *metric = NULL;
    tp_store_place *places = NULL;
    size_t n_places = 0;
    *out_both = 0;
    /* the logs first: without any in the model's place there is nothing to compare, and the
     * metrics (a year is tens of megabytes) are not loaded a second time for nothing */
    tp_series_query pq;
    const char *rs, *as;
    int any = 0, found = 0;
    int64_t first = 0, last = 0;
    tp_status rc = logs_place(st, q, &pq, &places, &n_places, &rs, &as, &any, err);
    if (rc != TP_OK || !any)
        goto cleanup;
    const store_place at = {pq.region, pq.account};
    if ((rc = store_log_span_at(st, q->model, &at, NULL, 0, &found, &first, &last, err)) !=
            TP_OK ||
        !found)
        goto cleanup;
    mq.source = TP_SOURCE_METRICS;
    mq.keys = NULL, mq.n_keys = 0, mq.tiers = NULL, mq.n_tiers = 0;
    rc = tp_series_load(st, &mq, &ms, err);
    if (rc == TP_ERR_NOT_FOUND) {
        rc = TP_OK; /* no metrics: nothing to compare */
        goto cleanup;
    }
    if (rc != TP_OK)
        goto cleanup;
    /* over the minutes both cover (docs/model.md, "Metrics or logs"): those the metric
     * exports cover in their window, inside the extent of the logs */
    int64_t lo = tp_series_from_minute(ms), hi = lo + (int64_t)tp_series_minutes(ms);
    const int64_t ulo = first < lo ? first : lo, uhi = last + 1 > hi ? last + 1 : hi;
    if (!q->has_from && !q->has_to && q->window == NULL && (ulo < lo || uhi > hi) &&
        (uint64_t)(uhi - ulo) <= TP_SERIES_MAX_MINUTES) {
        /* no window asked for: the metric window is their first to last point, and their
         * exports' spans may reach the logs beyond it */
        mq.has_from = 1, mq.from_minute = ulo;
        mq.has_to = 1, mq.to_minute = uhi;
        tp_series_free(ms);
        ms = NULL;
        if ((rc = tp_series_load(st, &mq, &ms, err)) != TP_OK)
            goto cleanup;
        lo = tp_series_from_minute(ms), hi = lo + (int64_t)tp_series_minutes(ms);
    }
    const size_t n = tp_series_minutes(ms);
    both_ctx c = {lo, NULL, 0, 0};
    if ((metric = malloc(n ? n : 1)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    memset(metric, 1, n);
    for (size_t k = 0; k < ms->n_uncovered; k++)
        memset(metric + (ms->uncovered[k].from_minute - lo), 0,
               (size_t)(ms->uncovered[k].to_minute - ms->uncovered[k].from_minute));
    c.metric = metric;
    /* only minutes the metric exports cover count: read the log sums from the first to the
     * last of them, not over the whole window (uncovered runs are in order) */
    int64_t clo = lo, chi = hi;
    if (ms->n_uncovered > 0 && ms->uncovered[0].from_minute == lo)
        clo = ms->uncovered[0].to_minute;
    if (ms->n_uncovered > 0 && ms->uncovered[ms->n_uncovered - 1].to_minute == hi)
        chi = ms->uncovered[ms->n_uncovered - 1].from_minute;
    const int64_t a = first > clo ? first : clo, b = last + 1 < chi ? last + 1 : chi;
    if (b <= a)
        goto cleanup;
    if ((rc = store_log_minutes_at(st, q->model, &at, NULL, 0, a, b, add_both, &c, err)) != TP_OK)
        goto cleanup;
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        const double *v = tp_series_values(ms, (tp_metric)m);
        for (int64_t k = a; k < b; k++)
            if (metric[k - lo])
                c.metrics += v[k - lo];
    }
    if (c.logs > 0 && c.metrics > 0) {
        *out_both = 1;
        *out_logs_tokens = c.logs;
        *out_metric_tokens = c.metrics;
    }
cleanup:
    tp_store_places_free(places, n_places);
    free(metric);
    tp_series_free(ms);
    return rc;
}
