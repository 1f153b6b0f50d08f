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
    int64_t *ingests; /* sorted ids of the ingests whose points were loaded */
    size_t n_ingests, cap_ingests, last_ingest;
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

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Adds an ingest id to the sorted set of ingests the series rests on. */
static tp_status note_ingest(tp_series *s, uint32_t id, tp_error *err)
{
    if (s->n_ingests > 0 && s->ingests[s->last_ingest] == id)
        return TP_OK; /* the common case: neighbouring minutes come from one ingest */
    size_t lo = 0, hi = s->n_ingests;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->ingests[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n_ingests && s->ingests[lo] == id) {
        s->last_ingest = lo;
        return TP_OK;
    }
    if (s->n_ingests == s->cap_ingests) {
        size_t ncap = s->cap_ingests ? s->cap_ingests * 2 : 8;
        int64_t *n = realloc(s->ingests, ncap * sizeof *n);
        if (n == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        s->ingests = n;
        s->cap_ingests = ncap;
    }
    memmove(&s->ingests[lo + 1], &s->ingests[lo], (s->n_ingests - lo) * sizeof *s->ingests);
    s->ingests[lo] = id;
    s->n_ingests++;
    s->last_ingest = lo;
    return TP_OK;
}

/* First and last minute holding a point in a series; returns 0 when it has none. */
static int series_span(sqlite3_stmt *mm, sqlite3_stmt *one, int64_t id, store_day *day,
                       int64_t *first, int64_t *last, int *failed)
{
    int64_t dmin, dmax;
    *failed = 0;
    sqlite3_bind_int64(mm, 1, id);
    int step = sqlite3_step(mm);
    if (step != SQLITE_ROW || sqlite3_column_type(mm, 0) == SQLITE_NULL) {
        *failed = step != SQLITE_ROW;
        sqlite3_reset(mm);
        return 0;
    }
    dmin = sqlite3_column_int64(mm, 0);
    dmax = sqlite3_column_int64(mm, 1);
    sqlite3_reset(mm);
    for (int end = 0; end < 2; end++) {
        sqlite3_bind_int64(one, 1, id);
        sqlite3_bind_int64(one, 2, end ? dmax : dmin);
        if (sqlite3_step(one) != SQLITE_ROW ||
            store_day_decode(sqlite3_column_blob(one, 0), sqlite3_column_bytes(one, 0), day)) {
            sqlite3_reset(one);
            *failed = 1;
            return 0;
        }
        sqlite3_reset(one);
        int slot = -1;
        for (int k = 0; k < STORE_DAY_MINUTES; k++)
            if (day->ingest[end ? STORE_DAY_MINUTES - 1 - k : k] != 0) {
                slot = end ? STORE_DAY_MINUTES - 1 - k : k;
                break;
            }
        if (slot < 0) { /* a day row always holds a point; treat an empty one as corrupt */
            *failed = 1;
            return 0;
        }
        *(end ? last : first) = (end ? dmax : dmin) * STORE_DAY_MINUTES + slot;
    }
    return 1;
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
                               unsigned char *has_data, store_day *day, tp_error *err)
{
    tp_status rc = TP_OK;
    sqlite3_stmt *q = NULL;
    const int64_t from = s->from_minute, to = s->from_minute + (int64_t)s->minutes;
    memset(comp, 0, s->minutes * sizeof *comp);
    for (size_t i = 0; i < s->minutes; i++)
        comp_period[i] = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT day, minutes FROM days WHERE series_id = ?1 "
                           "AND day >= ?2 AND day <= ?3 ORDER BY day",
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
        sqlite3_bind_int64(q, 2, floor_div(from - per_min + 1, STORE_DAY_MINUTES));
        sqlite3_bind_int64(q, 3, floor_div(to - 1, STORE_DAY_MINUTES));
        int step;
        while ((step = sqlite3_step(q)) == SQLITE_ROW) {
            const int64_t d0 = sqlite3_column_int64(q, 0) * STORE_DAY_MINUTES;
            if (store_day_decode(sqlite3_column_blob(q, 1), sqlite3_column_bytes(q, 1), day) !=
                0) {
                rc = tp_error_set(err, TP_ERR_DB, "database: a stored day is corrupt");
                goto cleanup;
            }
            for (int slot = 0; slot < STORE_DAY_MINUTES; slot++) {
                if (day->ingest[slot] == 0)
                    continue;
                const int64_t m0 = d0 + slot;
                if (m0 + per_min <= from || m0 >= to)
                    continue;
                if ((rc = note_ingest(s, day->ingest[slot], err)) != TP_OK)
                    goto cleanup;
                const double share = day->value[slot] / (double)per_min;
                for (int64_t m = m0 < from ? from : m0; m < m0 + per_min && m < to; m++) {
                    comp[m - from] = share;
                    has_data[m - from] = 1;
                }
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
    sqlite3_stmt *q = NULL, *mm = NULL, *one = NULL;
    srow *rows = NULL;
    store_day *day = malloc(sizeof *day);
    size_t n = 0, cap = 0;
    tp_series *s = NULL;
    double *comp = NULL;
    int *comp_period = NULL, *res_period = NULL;
    unsigned char *has_data = NULL;
    *out = NULL;
    if (qry == NULL || qry->model == NULL) {
        free(day);
        return tp_error_set(err, TP_ERR_USAGE, "series: no model given");
    }
    if (day == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, metric, service_tier, resolved_tier, period_s FROM series "
                           "WHERE model = ?1 ORDER BY metric, service_tier, resolved_tier, "
                           "period_s",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "SELECT min(day), max(day) FROM days WHERE series_id = ?1",
                           -1, &mm, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "SELECT minutes FROM days WHERE series_id = ?1 AND day = ?2",
                           -1, &one, NULL) != SQLITE_OK) {
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
        int failed = 0;
        if (!series_span(mm, one, r->id, day, &r->first, &r->last, &failed)) {
            if (failed) {
                rc = store_db_error(st, err, "database: loading series");
                goto cleanup;
            }
            continue; /* a series with no points */
        }
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
            rc = add_component(st, s, rows, n, i, comp, comp_period, res_period, has_data, day,
                               err);
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
    sqlite3_finalize(one);
    free(day);
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
    free(s->ingests);
    free(s);
}

const int64_t *tp_series_ingests(const tp_series *s, size_t *n)
{
    *n = s->n_ingests;
    return s->ingests;
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
