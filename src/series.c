/* series.c - builds zero-filled per-minute demand arrays from stored series. */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/series.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define MAX_RES 8

typedef struct res_entry {
    int period_s;
    size_t minutes;
} res_entry;

struct tp_series {
    char *model;
    int64_t from_minute;
    size_t minutes;
    size_t minutes_with_data;
    double *values[TP_METRIC_COUNT];
    char sources[TP_METRIC_COUNT][256];
    res_entry res[TP_METRIC_COUNT][MAX_RES];
    size_t n_res[TP_METRIC_COUNT];
};

static const char *const cw_names[TP_METRIC_COUNT] = {
    "InputTokenCount", "OutputTokenCount", "CacheReadInputTokenCount",
    "CacheWriteInputTokenCount"};
static const char *const keys[TP_METRIC_COUNT] = {"input", "output", "cache_read",
                                                  "cache_write"};

const char *tp_metric_cloudwatch_name(tp_metric m)
{
    return (unsigned)m < TP_METRIC_COUNT ? cw_names[m] : "?";
}

const char *tp_metric_key(tp_metric m)
{
    return (unsigned)m < TP_METRIC_COUNT ? keys[m] : "?";
}

/* One stored series of the model. */
typedef struct srow {
    int64_t id;
    int metric; /* tp_metric, or -1 for metrics the demand does not use */
    char stier[64], rtier[64];
    int period_s;
    int64_t first, last; /* minutes of its first and last point */
    int used;
} srow;

static int tier_selected(const tp_series_query *q, const char *rtier)
{
    for (size_t i = 0; i < q->n_tiers; i++)
        if (strcmp(q->tiers[i], rtier) == 0)
            return 1;
    return 0;
}

/* Marks which rows make up each metric's demand and describes the choice. */
static void choose_rows(const tp_series_query *q, srow *rows, size_t n, tp_series *s)
{
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        int have_total = 0, have_rtier = 0;
        for (size_t i = 0; i < n; i++) {
            if (rows[i].metric != m)
                continue;
            have_total |= rows[i].stier[0] == '\0' && rows[i].rtier[0] == '\0';
            have_rtier |= rows[i].rtier[0] != '\0';
        }
        char *desc = s->sources[m];
        size_t dl = 0;
        desc[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            srow *r = &rows[i];
            if (r->metric != m)
                continue;
            if (q->n_tiers > 0)
                r->used = r->rtier[0] != '\0' && tier_selected(q, r->rtier);
            else if (have_total)
                r->used = r->stier[0] == '\0' && r->rtier[0] == '\0';
            else if (have_rtier)
                r->used = r->rtier[0] != '\0';
            else
                r->used = 1; /* only per-service-tier series: their sum is the demand */
            if (!r->used)
                continue;
            const char *name = r->rtier[0] ? r->rtier : r->stier[0] ? r->stier : NULL;
            if (name == NULL) {
                if (dl == 0)
                    dl += (size_t)snprintf(desc, 256, "total");
                continue;
            }
            /* list each tier once, whatever its resolutions */
            char needle[70];
            snprintf(needle, sizeof needle, "%s", name);
            int seen = 0;
            for (size_t j = 0; j < i; j++)
                seen |= rows[j].used && rows[j].metric == m &&
                        strcmp(rows[j].rtier[0] ? rows[j].rtier : rows[j].stier, name) == 0;
            if (seen || dl >= 255)
                continue;
            if (dl == 0)
                dl += (size_t)snprintf(desc, 256, "%s tiers %s",
                                       r->rtier[0] ? "resolved" : "service", name);
            else
                dl += (size_t)snprintf(desc + dl, 256 - dl, "+%s", name);
        }
        if (desc[0] == '\0')
            snprintf(desc, 256, "none");
    }
}

/* Adds one component (a total or one tier: rows sharing metric and tiers, any periods) into
 * the metric's array. Coarsest first, finer periods overwrite within their span. */
static tp_status add_component(tp_store *st, tp_series *s, srow *rows, size_t n, size_t first,
                               double *comp, int *comp_period, int *res_period,
                               unsigned char *has_data, tp_error *err)
{
    tp_status rc = TP_OK;
    sqlite3_stmt *q = NULL;
    const int64_t from = s->from_minute, to = s->from_minute + (int64_t)s->minutes;
    memset(comp, 0, s->minutes * sizeof *comp);
    for (size_t i = 0; i < s->minutes; i++)
        comp_period[i] = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT minute, value FROM points WHERE series_id = ?1 "
                           "AND minute >= ?2 AND minute < ?3 ORDER BY minute",
                           -1, &q, NULL) != SQLITE_OK) {
        rc = store_db_error(st, err, "database: loading points");
        goto cleanup;
    }
    /* Rows of this component, coarsest period first. */
    for (;;) {
        size_t best = n;
        for (size_t i = first; i < n; i++) {
            srow *r = &rows[i];
            if (r->used != 2 || (best < n && r->period_s <= rows[best].period_s))
                continue;
            best = i;
        }
        if (best == n)
            break;
        srow *r = &rows[best];
        r->used = 3; /* done */
        const int64_t per_min = r->period_s / 60;
        int64_t span_lo = r->first, span_hi = r->last + per_min;
        if (span_lo < from)
            span_lo = from;
        if (span_hi > to)
            span_hi = to;
        for (int64_t m = span_lo; m < span_hi; m++) {
            comp[m - from] = 0;
            comp_period[m - from] = r->period_s;
        }
        sqlite3_bind_int64(q, 1, r->id);
        sqlite3_bind_int64(q, 2, from - per_min + 1);
        sqlite3_bind_int64(q, 3, to);
        int step;
        while ((step = sqlite3_step(q)) == SQLITE_ROW) {
            int64_t m0 = sqlite3_column_int64(q, 0);
            double share = sqlite3_column_double(q, 1) / (double)per_min;
            for (int64_t m = m0; m < m0 + per_min; m++) {
                if (m < from || m >= to)
                    continue;
                comp[m - from] = share;
                has_data[m - from] = 1;
            }
        }
        if (step != SQLITE_DONE) {
            rc = store_db_error(st, err, "database: loading points");
            goto cleanup;
        }
        sqlite3_reset(q);
    }
    for (size_t i = 0; i < s->minutes; i++) {
        if (comp_period[i] == 0)
            continue;
        /* a minute summed from tiers is as coarse as its coarsest part */
        if (comp_period[i] > res_period[i])
            res_period[i] = comp_period[i];
    }
cleanup:
    sqlite3_finalize(q);
    return rc;
}

tp_status tp_series_load(tp_store *st, const tp_series_query *qry, tp_series **out,
                         tp_error *err)
{
    tp_status rc = TP_OK;
    sqlite3_stmt *q = NULL, *mm = NULL;
    srow *rows = NULL;
    size_t n = 0, cap = 0;
    tp_series *s = NULL;
    double *comp = NULL;
    int *comp_period = NULL, *res_period = NULL;
    unsigned char *has_data = NULL;
    *out = NULL;
    if (qry == NULL || qry->model == NULL)
        return tp_error_set(err, TP_ERR_USAGE, "series: no model given");
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, metric, service_tier, resolved_tier, period_s FROM series "
                           "WHERE model = ?1 ORDER BY metric, service_tier, resolved_tier, "
                           "period_s",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "SELECT min(minute), max(minute) FROM points WHERE series_id = ?1",
                           -1, &mm, NULL) != SQLITE_OK) {
        rc = store_db_error(st, err, "database: loading series");
        goto cleanup;
    }
    sqlite3_bind_text(q, 1, qry->model, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *metric = (const char *)sqlite3_column_text(q, 1);
        int m = -1;
        for (int k = 0; k < TP_METRIC_COUNT; k++)
            if (strcmp(metric, cw_names[k]) == 0)
                m = k;
        if (m < 0)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            srow *nr = realloc(rows, ncap * sizeof *nr);
            if (nr == NULL) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
            rows = nr;
            cap = ncap;
        }
        srow *r = &rows[n];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(q, 0);
        r->metric = m;
        snprintf(r->stier, sizeof r->stier, "%s", (const char *)sqlite3_column_text(q, 2));
        snprintf(r->rtier, sizeof r->rtier, "%s", (const char *)sqlite3_column_text(q, 3));
        r->period_s = sqlite3_column_int(q, 4);
        sqlite3_bind_int64(mm, 1, r->id);
        if (sqlite3_step(mm) != SQLITE_ROW) {
            rc = store_db_error(st, err, "database: loading series");
            goto cleanup;
        }
        if (sqlite3_column_type(mm, 0) == SQLITE_NULL) { /* a series with no points */
            sqlite3_reset(mm);
            continue;
        }
        r->first = sqlite3_column_int64(mm, 0);
        r->last = sqlite3_column_int64(mm, 1);
        sqlite3_reset(mm);
        n++;
    }
    if (step != SQLITE_DONE) {
        rc = store_db_error(st, err, "database: loading series");
        goto cleanup;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL || (s->model = strdup(qry->model)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    choose_rows(qry, rows, n, s);
    int64_t lo = 0, hi = 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].used)
            continue;
        int64_t end = rows[i].last + rows[i].period_s / 60;
        if (!any || rows[i].first < lo)
            lo = rows[i].first;
        if (!any || end > hi)
            hi = end;
        any = 1;
    }
    if (!any && !(qry->has_from && qry->has_to)) {
        rc = tp_error_set(err, TP_ERR_NOT_FOUND, "no token data for model \"%s\"%s",
                          qry->model, qry->n_tiers ? " in the selected tiers" : "");
        goto cleanup;
    }
    if (qry->has_from)
        lo = qry->from_minute;
    if (qry->has_to)
        hi = qry->to_minute;
    if (hi <= lo) {
        rc = tp_error_set(err, TP_ERR_USAGE, "empty window: --to must be after --from");
        goto cleanup;
    }
    if ((uint64_t)(hi - lo) > TP_SERIES_MAX_MINUTES) {
        rc = tp_error_set(err, TP_ERR_TOO_BIG,
                          "window of %lld minutes is over the limit of %zu (3 years): narrow it "
                          "with --from/--to",
                          (long long)(hi - lo), TP_SERIES_MAX_MINUTES);
        goto cleanup;
    }
    s->from_minute = lo;
    s->minutes = (size_t)(hi - lo);
    comp = malloc(s->minutes * sizeof *comp);
    comp_period = malloc(s->minutes * sizeof *comp_period);
    res_period = malloc(s->minutes * sizeof *res_period);
    has_data = calloc(s->minutes, 1);
    if (comp == NULL || comp_period == NULL || res_period == NULL || has_data == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        double *v = calloc(s->minutes, sizeof *v);
        if (v == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        s->values[m] = v;
        memset(res_period, 0, s->minutes * sizeof *res_period);
        /* Each component (same metric and tiers) is built alone, then summed in. */
        for (size_t i = 0; i < n; i++) {
            if (rows[i].metric != m || rows[i].used != 1)
                continue;
            for (size_t j = i; j < n; j++)
                if (rows[j].metric == m && rows[j].used == 1 &&
                    strcmp(rows[j].stier, rows[i].stier) == 0 &&
                    strcmp(rows[j].rtier, rows[i].rtier) == 0)
                    rows[j].used = 2;
            rc = add_component(st, s, rows, n, i, comp, comp_period, res_period, has_data, err);
            if (rc != TP_OK)
                goto cleanup;
            for (size_t k = 0; k < s->minutes; k++)
                v[k] += comp[k];
        }
        for (size_t k = 0; k < s->minutes; k++) {
            if (res_period[k] == 0)
                continue;
            size_t e = 0;
            while (e < s->n_res[m] && s->res[m][e].period_s != res_period[k])
                e++;
            if (e == s->n_res[m]) {
                if (e == MAX_RES)
                    continue;
                s->res[m][e].period_s = res_period[k];
                s->n_res[m]++;
            }
            s->res[m][e].minutes++;
        }
        /* keep entries ordered by period for stable output */
        for (size_t a = 1; a < s->n_res[m]; a++)
            for (size_t b = a; b > 0 && s->res[m][b - 1].period_s > s->res[m][b].period_s; b--) {
                res_entry t = s->res[m][b];
                s->res[m][b] = s->res[m][b - 1];
                s->res[m][b - 1] = t;
            }
    }
    for (size_t k = 0; k < s->minutes; k++)
        s->minutes_with_data += has_data[k];
    *out = s;
    s = NULL;
cleanup:
    sqlite3_finalize(q);
    sqlite3_finalize(mm);
    free(rows);
    free(comp);
    free(comp_period);
    free(res_period);
    free(has_data);
    tp_series_free(s);
    return rc;
}

void tp_series_free(tp_series *s)
{
    if (s == NULL)
        return;
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        free(s->values[m]);
    free(s->model);
    free(s);
}

const char *tp_series_model(const tp_series *s) { return s->model; }
int64_t tp_series_from_minute(const tp_series *s) { return s->from_minute; }
size_t tp_series_minutes(const tp_series *s) { return s->minutes; }
size_t tp_series_minutes_with_data(const tp_series *s) { return s->minutes_with_data; }

const double *tp_series_values(const tp_series *s, tp_metric m)
{
    return (unsigned)m < TP_METRIC_COUNT ? s->values[m] : NULL;
}

const char *tp_series_sources(const tp_series *s, tp_metric m)
{
    return (unsigned)m < TP_METRIC_COUNT ? s->sources[m] : "";
}

size_t tp_series_resolution(const tp_series *s, tp_metric m, size_t i, int *period_s,
                            size_t *minutes)
{
    if ((unsigned)m >= TP_METRIC_COUNT)
        return 0;
    if (i < s->n_res[m]) {
        if (period_s != NULL)
            *period_s = s->res[m][i].period_s;
        if (minutes != NULL)
            *minutes = s->res[m][i].minutes;
    }
    return s->n_res[m];
}
