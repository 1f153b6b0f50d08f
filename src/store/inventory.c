/* inventory.c - the series listing and coverage: extents, minutes with data, export spans. */
#define STORE_NO_SQLITE_API /* reads through store_internal.h's functions, never SQL itself */
#include "tierplan/inventory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "store/store_logs.h"
#include "base/strbuf.h"
#include "tierplan/series.h"
#include "tierplan/timestamp.h"
#include "base/util.h"

static int is_token_metric(const char *metric)
{
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        if (strcmp(metric, tp_metric_cloudwatch_name((tp_metric)m)) == 0)
            return 1;
    return 0;
}

/* Walks every stored day of a row: with bits NULL, widens [*first, *end) to its points (*any
 * set once one is seen); else marks the minutes its points cover in bits, whose bit 0 is
 * minute base. */
static tp_status walk_row(tp_store *s, const store_series_info *r, store_day *day,
                          int64_t *first, int64_t *end, int *any, uint8_t *bits, int64_t base,
                          tp_error *err)
{
    store_day_iter *it = NULL;
    const int64_t per = r->period_s / 60;
    tp_status rc = TP_OK;
    if (!r->has_days)
        return TP_OK;
    if ((rc = store_day_iter_open(s, r->id, r->first_day, r->last_day, &it, err)) != TP_OK)
        goto cleanup;
    for (;;) {
        int64_t d;
        int found = 0;
        if ((rc = store_day_iter_next(it, &d, day, &found, err)) != TP_OK || !found)
            break;
        for (int k = 0; k < STORE_DAY_MINUTES; k++) {
            if (day->ingest[k] == 0)
                continue;
            const int64_t m = d * STORE_DAY_MINUTES + k;
            if (bits == NULL) {
                if (!*any || m < *first)
                    *first = m;
                if (!*any || m + per > *end)
                    *end = m + per;
                *any = 1;
                continue;
            }
            for (int64_t j = m - base; j < m - base + per; j++)
                bits[j >> 3] |= (uint8_t)(1u << (j & 7));
        }
    }
cleanup:
    store_day_iter_close(it);
    return rc;
}

static int cmp_span(const void *a, const void *b)
{
    const tp_span *x = a, *y = b;
    return x->from_minute < y->from_minute ? -1 : x->from_minute > y->from_minute;
}

/* The spans recorded for rows idx[0..n) of info, in minutes (a partial minute counts as
 * covered), sorted and merged. *out is NULL when there are none; the caller frees it. */
static tp_status merged_spans(tp_store *s, const store_series_info *info, const size_t *idx,
                              size_t n, tp_span **out, size_t *out_n, tp_error *err)
{
    tp_span *v = NULL;
    store_span *got = NULL;
    size_t nv = 0, cap = 0, ng = 0;
    tp_status rc = TP_OK;
    *out = NULL;
    *out_n = 0;
    for (size_t i = 0; i < n; i++) {
        free(got);
        got = NULL;
        if ((rc = store_spans_get(s, info[idx[i]].id, &got, &ng, err)) != TP_OK)
            goto cleanup;
        for (size_t k = 0; k < ng; k++) {
            if (UTIL_GROW(v, cap, nv + 1) != 0) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
            v[nv].from_minute = util_floor_div(got[k].from_s, 60);
            v[nv].to_minute = -util_floor_div(-got[k].to_s, 60);
            nv++;
        }
    }
    if (nv > 0)
        qsort(v, nv, sizeof *v, cmp_span);
    size_t w = 0;
    for (size_t i = 0; i < nv; i++) {
        if (w > 0 && v[i].from_minute <= v[w - 1].to_minute) {
            if (v[i].to_minute > v[w - 1].to_minute)
                v[w - 1].to_minute = v[i].to_minute;
        } else {
            v[w++] = v[i];
        }
    }
    *out = v;
    *out_n = w;
    v = NULL;
cleanup:
    free(got);
    free(v);
    return rc;
}

/* Minutes of [lo, hi) inside the merged spans. */
static int64_t covered_minutes(const tp_span *sp, size_t n, int64_t lo, int64_t hi)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++) {
        const int64_t a = sp[i].from_minute > lo ? sp[i].from_minute : lo;
        const int64_t b = sp[i].to_minute < hi ? sp[i].to_minute : hi;
        if (b > a)
            c += b - a;
    }
    return c;
}

/* The parts of [lo, hi) outside the merged spans, at least TP_INVENTORY_GAP_MIN_MINUTES
 * long. */
static tp_status gaps_of(const tp_span *sp, size_t n, int64_t lo, int64_t hi, tp_span **out,
                         size_t *out_n, tp_error *err)
{
    size_t cap = 0, k = 0;
    int64_t at = lo;
    *out = NULL;
    *out_n = 0;
    for (size_t i = 0; i <= n; i++) {
        const int64_t stop = i < n ? (sp[i].from_minute < hi ? sp[i].from_minute : hi) : hi;
        if (stop - at >= TP_INVENTORY_GAP_MIN_MINUTES) {
            if (UTIL_GROW(*out, cap, k + 1) != 0)
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            (*out)[k].from_minute = at;
            (*out)[k].to_minute = stop;
            *out_n = ++k;
        }
        if (i < n && sp[i].to_minute > at)
            at = sp[i].to_minute;
    }
    return TP_OK;
}

/* Fills e from rows idx[0..n) of info (one metric and tier pair at its periods): *filled is 0
 * when none of them holds a point. */
static tp_status fill_entry(tp_store *s, const store_series_info *info, const size_t *idx,
                            size_t n, store_day *day, tp_series_entry *e, int *filled,
                            tp_error *err)
{
    uint8_t *bits = NULL;
    tp_span *spans = NULL;
    size_t n_spans = 0;
    int any = 0;
    tp_status rc = TP_OK;
    *filled = 0;
    for (size_t i = 0; i < n && rc == TP_OK; i++)
        rc = walk_row(s, &info[idx[i]], day, &e->first_minute, &e->end_minute, &any, NULL, 0,
                      err);
    if (rc != TP_OK || !any)
        goto cleanup;
    const int64_t len = e->end_minute - e->first_minute;
    if (len > TP_INVENTORY_MAX_MINUTES) {
        char a[TP_TIME_BUF], b[TP_TIME_BUF];
        rc = tp_error_set(err, TP_ERR_TOO_BIG,
                          "%s of model %s spans %s .. %s, over the 100 years the listing reads "
                          "(a stray timestamp? tierplan export shows the points)",
                          e->metric, e->model, tp_timestamp_format(e->first_minute * 60, a),
                          tp_timestamp_format(e->end_minute * 60, b));
        goto cleanup;
    }
    if ((bits = calloc((size_t)(len + 7) / 8, 1)) == NULL ||
        (e->periods_s = malloc(n * sizeof *e->periods_s)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n && rc == TP_OK; i++)
        rc = walk_row(s, &info[idx[i]], day, NULL, NULL, NULL, bits, e->first_minute, err);
    if (rc != TP_OK)
        goto cleanup;
    for (int64_t j = 0; j < len; j++)
        e->minutes_with_data += bits[j >> 3] >> (j & 7) & 1;
    for (size_t i = 0; i < n; i++)
        if (info[idx[i]].has_days) /* rows come ordered by period */
            e->periods_s[e->n_periods++] = info[idx[i]].period_s;
    if ((rc = merged_spans(s, info, idx, n, &spans, &n_spans, err)) != TP_OK)
        goto cleanup;
    e->coverage_known = n_spans > 0;
    e->coverage = NAN;
    if (e->coverage_known) {
        e->coverage =
            (double)covered_minutes(spans, n_spans, e->first_minute, e->end_minute) / (double)len;
        rc = gaps_of(spans, n_spans, e->first_minute, e->end_minute, &e->gaps, &e->n_gaps, err);
    }
    *filled = rc == TP_OK;
cleanup:
    free(bits);
    free(spans);
    return rc;
}

/* Whether row r was recorded in region (account); NULL matches any. */
static int in_place(const store_series_info *r, const char *region, const char *account)
{
    return (region == NULL || strcmp(r->region, region) == 0) &&
           (account == NULL || strcmp(r->account, account) == 0);
}

/* Frees the strings of an entry that was not listed. */
static void drop_entry(tp_series_entry *e)
{
    free(e->model);
    free(e->metric);
    free(e->service_tier);
    free(e->resolved_tier);
    free(e->region);
    free(e->account);
    free(e->periods_s);
}

/* A new zeroed entry of model at place p at the end of inv (freed with the listing even when
 * filling it fails half-way), or NULL out of memory. */
static tp_series_entry *new_entry(tp_inventory *inv, size_t *cap, const char *model,
                                  const tp_store_place *p, tp_error *err)
{
    if (UTIL_GROW(inv->entries, *cap, inv->n + 1) != 0) {
        tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        return NULL;
    }
    tp_series_entry *e = &inv->entries[inv->n++];
    memset(e, 0, sizeof *e);
    if ((e->model = strdup(model)) == NULL || (e->region = strdup(p->region)) == NULL ||
        (e->account = strdup(p->account)) == NULL) {
        tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return e;
}

/* Appends an entry per metric and tier pair of one model in place p: rows `in` of info (n_in,
 * ordered by metric, service tier, resolved tier, period). */
static tp_status list_place(tp_store *s, const char *model, const tp_store_place *p,
                            const store_series_info *info, const size_t *in, size_t n_in,
                            size_t *idx, store_day *day, tp_inventory *inv, size_t *cap,
                            tp_error *err)
{
    tp_status rc = TP_OK;
    for (size_t i = 0, run; rc == TP_OK && i < n_in; i += run) {
        const store_series_info *a = &info[in[i]];
        for (run = 0; i + run < n_in && strcmp(info[in[i + run]].metric, a->metric) == 0 &&
                      strcmp(info[in[i + run]].service_tier, a->service_tier) == 0 &&
                      strcmp(info[in[i + run]].resolved_tier, a->resolved_tier) == 0;
             run++)
            idx[run] = in[i + run];
        tp_series_entry *e = new_entry(inv, cap, model, p, err);
        int filled = 0;
        if (e == NULL)
            return TP_ERR_NOMEM;
        if ((e->metric = strdup(a->metric)) == NULL ||
            (e->service_tier = strdup(a->service_tier)) == NULL ||
            (e->resolved_tier = strdup(a->resolved_tier)) == NULL)
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        else
            rc = fill_entry(s, info, idx, run, day, e, &filled, err);
        if (rc == TP_OK && !filled) { /* a series key without points: not listed */
            inv->n--;
            drop_entry(e);
        }
    }
    return rc;
}

static int count_minute(void *ctx, int64_t minute, const store_log_sums *v)
{
    (void)minute;
    (void)v;
    ++*(int64_t *)ctx;
    return 0;
}

/* Appends the model's invocation log sums in place p as one entry (metric "invocation logs",
 * tier "logs", 60 s), when it has any. Logs record no requested span, so their coverage is
 * unknown, never 0. */
static tp_status list_logs(tp_store *s, const char *model, const tp_store_place *p,
                           tp_inventory *inv, size_t *cap, tp_error *err)
{
    int found = 0;
    int64_t first = 0, last = 0;
    const store_place at = {p->region, p->account};
    tp_status rc = store_log_span_at(s, model, &at, NULL, 0, &found, &first, &last, err);
    if (rc != TP_OK || !found)
        return rc;
    tp_series_entry *e = new_entry(inv, cap, model, p, err);
    if (e == NULL)
        return TP_ERR_NOMEM;
    e->first_minute = first;
    e->end_minute = last + 1;
    e->coverage = NAN;
    if ((e->metric = strdup("invocation logs")) == NULL ||
        (e->service_tier = strdup("")) == NULL || (e->resolved_tier = strdup("logs")) == NULL ||
        (e->periods_s = malloc(sizeof *e->periods_s)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    e->periods_s[0] = 60;
    e->n_periods = 1;
    return store_log_minutes_at(s, model, &at, NULL, 0, first, last + 1, count_minute,
                                &e->minutes_with_data, err);
}

/* Appends the entries of one model, place by place (tp_store_places' order: account, region),
 * of the places in region and account (NULL: any): a region's coverage is never merged with
 * another's. */
static tp_status list_model(tp_store *s, const char *model, const char *region,
                            const char *account, store_day *day, tp_inventory *inv,
                            size_t *cap, tp_error *err)
{
    store_series_info *info = NULL;
    tp_store_place *places = NULL;
    size_t n = 0, n_places = 0, *idx = NULL, *in = NULL;
    tp_status rc = store_series_list(s, model, &info, &n, err);
    if (rc == TP_OK)
        rc = store_places_of(s, model, STORE_PLACES_ALL, &places, &n_places, err);
    if (rc == TP_OK && n > 0 &&
        ((idx = malloc(n * sizeof *idx)) == NULL || (in = malloc(n * sizeof *in)) == NULL))
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < n_places && rc == TP_OK; k++) {
        const tp_store_place *p = &places[k];
        size_t n_in = 0;
        if ((region != NULL && strcmp(p->region, region) != 0) ||
            (account != NULL && strcmp(p->account, account) != 0))
            continue;
        for (size_t i = 0; i < n; i++)
            if (in_place(&info[i], p->region, p->account))
                in[n_in++] = i;
        rc = list_place(s, model, p, info, in, n_in, idx, day, inv, cap, err);
        if (rc == TP_OK)
            rc = list_logs(s, model, p, inv, cap, err);
    }
    free(idx);
    free(in);
    tp_store_places_free(places, n_places);
    store_series_list_free(info, n);
    return rc;
}

tp_status tp_inventory_suggest(tp_store *store, const char *model, char **out, tp_error *err)
{
    char **models = NULL;
    size_t n = 0;
    strbuf b = {0};
    *out = NULL;
    tp_status rc = tp_store_models(store, &models, &n, err);
    if (rc != TP_OK)
        return rc;
    const char *sep = "did you mean ";
    for (size_t i = 0; i < n; i++)
        if (strcmp(models[i], model) != 0 &&
            strcmp(util_strip_region(models[i]), util_strip_region(model)) == 0) {
            sb_printf(&b, "%s%s", sep, models[i]);
            sep = " or ";
        }
    if (sep[0] == ' ')
        sb_puts(&b, "? ");
    if (n == 0)
        sb_puts(&b, "the database holds no data yet (tierplan ingest loads some)");
    for (size_t i = 0; i < n && i < 20; i++)
        sb_printf(&b, "%s%s", i == 0 ? "models in the store: " : ", ", models[i]);
    if (n > 20)
        sb_printf(&b, " and %zu more", n - 20);
    tp_strv_free(models, n);
    return sb_finish(&b, out, err);
}

/* TP_ERR_NOT_FOUND for a model with no series: a typo must not read as "nothing stored". */
static tp_status unknown_model(tp_store *store, const char *model, tp_error *err)
{
    char *hint = NULL;
    tp_status rc = tp_inventory_suggest(store, model, &hint, err);
    if (rc == TP_OK)
        rc = tp_error_set(err, TP_ERR_NOT_FOUND, "no series stored for model \"%s\"; %s", model,
                          hint);
    free(hint);
    return rc;
}

tp_status tp_inventory_load(tp_store *store, const char *model, tp_inventory **out,
                            tp_error *err)
{
    return tp_inventory_load_at(store, model, NULL, NULL, out, err);
}

tp_status tp_inventory_load_at(tp_store *store, const char *model, const char *region,
                               const char *account, tp_inventory **out, tp_error *err)
{
    char **models = NULL;
    size_t n_models = 0, cap = 0;
    tp_inventory *inv = calloc(1, sizeof *inv);
    store_day *day = malloc(sizeof *day);
    int reading = 0;
    tp_status rc = TP_OK;
    *out = NULL;
    if (inv == NULL || day == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = store_read_begin(store, err)) != TP_OK)
        goto cleanup;
    reading = 1;
    if (model == NULL && (rc = tp_store_models(store, &models, &n_models, err)) != TP_OK)
        goto cleanup;
    for (size_t i = 0; i < (model != NULL ? 1 : n_models) && rc == TP_OK; i++)
    {
        const char *m = model != NULL ? model : models[i];
        rc = list_model(store, m, region, account, day, inv, &cap, err);
    }
    if (rc == TP_OK && model != NULL && inv->n == 0 && region == NULL && account == NULL)
        rc = unknown_model(store, model, err);
    else if (rc == TP_OK && inv->n == 0 && (region != NULL || account != NULL))
        rc = tp_error_set(err, TP_ERR_NOT_FOUND, "no series stored%s%s%s in %s%s%s%s%s",
                          model != NULL ? " for model \"" : "", model != NULL ? model : "",
                          model != NULL ? "\"" : "", region != NULL ? "region " : "",
                          region != NULL ? tp_store_place_name(region) : "",
                          region != NULL && account != NULL ? ", " : "",
                          account != NULL ? "account " : "",
                          account != NULL ? tp_store_place_name(account) : "");
    if (rc == TP_OK) {
        *out = inv;
        inv = NULL;
    }
cleanup:
    if (reading)
        store_read_end(store);
    for (size_t i = 0; i < n_models; i++)
        free(models[i]);
    free(models);
    free(day);
    tp_inventory_free(inv);
    return rc;
}

void tp_inventory_free(tp_inventory *inv)
{
    if (inv == NULL)
        return;
    for (size_t i = 0; i < inv->n; i++) {
        tp_series_entry *e = &inv->entries[i];
        free(e->model);
        free(e->metric);
        free(e->service_tier);
        free(e->resolved_tier);
        free(e->region);
        free(e->account);
        free(e->periods_s);
        free(e->gaps);
    }
    free(inv->entries);
    free(inv);
}


/* The model's token series rows in region and account (NULL: any): *idx (caller frees)
 * indexes *info (free with store_series_list_free). */
static tp_status token_rows(tp_store *s, const char *model, const char *region,
                            const char *account, store_series_info **info, size_t *n_info,
                            size_t **idx, size_t *n, tp_error *err)
{
    *idx = NULL;
    *n = 0;
    tp_status rc = store_series_list(s, model, info, n_info, err);
    if (rc != TP_OK || *n_info == 0)
        return rc;
    if ((*idx = malloc(*n_info * sizeof **idx)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < *n_info; i++)
        if (is_token_metric((*info)[i].metric) && in_place(&(*info)[i], region, account))
            (*idx)[(*n)++] = i;
    return TP_OK;
}

tp_status tp_inventory_coverage(tp_store *store, const char *model, int64_t from_minute,
                                int64_t to_minute, tp_coverage *out, tp_error *err)
{
    return tp_inventory_coverage_at(store, model, NULL, NULL, from_minute, to_minute, out, err);
}

tp_status tp_inventory_coverage_at(tp_store *store, const char *model, const char *region,
                                   const char *account, int64_t from_minute, int64_t to_minute,
                                   tp_coverage *out, tp_error *err)
{
    store_series_info *info = NULL;
    size_t n_info = 0, *idx = NULL, n = 0, n_spans = 0;
    tp_span *spans = NULL;
    memset(out, 0, sizeof *out);
    out->share = NAN;
    if (to_minute <= from_minute)
        return tp_error_set(err, TP_ERR_USAGE, "coverage: the window is empty");
    out->minutes = to_minute - from_minute;
    tp_status rc = token_rows(store, model, region, account, &info, &n_info, &idx, &n, err);
    if (rc == TP_OK)
        rc = merged_spans(store, info, idx, n, &spans, &n_spans, err);
    if (rc == TP_OK && n_spans > 0) {
        out->known = 1;
        out->covered_minutes = covered_minutes(spans, n_spans, from_minute, to_minute);
        out->share = (double)out->covered_minutes / (double)out->minutes;
    }
    free(spans);
    free(idx);
    store_series_list_free(info, n_info);
    return rc;
}

tp_status tp_inventory_coverage_windows_at(tp_store *store, const char *model,
                                           const char *region, const char *account,
                                           int64_t from_minute, int64_t window_minutes,
                                           size_t n_windows, int64_t *covered, int *known,
                                           tp_error *err)
{
    store_series_info *info = NULL;
    size_t n_info = 0, *idx = NULL, n = 0, n_spans = 0;
    tp_span *spans = NULL;
    *known = 0;
    for (size_t k = 0; k < n_windows; k++)
        covered[k] = 0;
    if (window_minutes <= 0)
        return tp_error_set(err, TP_ERR_USAGE, "coverage: the window is empty");
    tp_status rc = token_rows(store, model, region, account, &info, &n_info, &idx, &n, err);
    if (rc == TP_OK)
        rc = merged_spans(store, info, idx, n, &spans, &n_spans, err);
    if (rc == TP_OK && n_spans > 0) {
        *known = 1;
        for (size_t k = 0; k < n_windows; k++) {
            const int64_t a = from_minute + (int64_t)k * window_minutes;
            covered[k] = covered_minutes(spans, n_spans, a, a + window_minutes);
        }
    }
    free(spans);
    free(idx);
    store_series_list_free(info, n_info);
    return rc;
}

tp_status tp_inventory_model_end(tp_store *store, const char *model, int64_t *end_minute,
                                 int *found, tp_error *err)
{
    return tp_inventory_model_end_at(store, model, NULL, NULL, end_minute, found, err);
}

tp_status tp_inventory_model_end_at(tp_store *store, const char *model, const char *region,
                                    const char *account, int64_t *end_minute, int *found,
                                    tp_error *err)
{
    store_series_info *info = NULL;
    size_t n_info = 0, *idx = NULL, n = 0;
    store_day *day = malloc(sizeof *day);
    int64_t first = 0;
    *end_minute = 0;
    *found = 0;
    tp_status rc = day == NULL ? tp_error_set(err, TP_ERR_NOMEM, "out of memory")
                               : token_rows(store, model, region, account, &info, &n_info, &idx,
                                            &n, err);
    for (size_t i = 0; i < n && rc == TP_OK; i++)
        rc = walk_row(store, &info[idx[i]], day, &first, end_minute, found, NULL, 0, err);
    free(day);
    free(idx);
    store_series_list_free(info, n_info);
    return rc;
}
