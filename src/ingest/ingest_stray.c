/* ingest_stray.c - the warning about stray points: a point years away from the rest of its
 * series (a 2020 timestamp beside 2026 data) stretches the series' span, and every reader
 * loads each minute of that span, so ingest names it while the file is at hand. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "store/store_rows.h"
#include "tierplan/timestamp.h"
#include "base/util.h"

#define STRAY_MINUTES ((int64_t)INGEST_STRAY_DAYS * 1440)

/* One point of a series in this input, where it came from. */
typedef struct spoint {
    int64_t minute;
    uint32_t group, point;
} spoint;

static int cmp_spoint(const void *a, const void *b)
{
    const spoint *x = a, *y = b;
    return x->minute < y->minute ? -1 : x->minute > y->minute;
}

/* The stored series of one model (the last model asked for), before this input. */
typedef struct span_cache {
    char *model;
    store_series_info *list;
    size_t n;
} span_cache;

static void span_cache_deinit(span_cache *c)
{
    store_series_list_free(c->list, c->n);
    free(c->model);
    memset(c, 0, sizeof *c);
}

/* The stored span [*lo, *hi] in minutes of series id of model; *has 0 when it holds no day. */
static tp_status stored_span(tp_store *store, span_cache *c, const char *model, int64_t id,
                             int *has, int64_t *lo, int64_t *hi, tp_error *err)
{
    tp_status rc;
    if (c->model == NULL || strcmp(c->model, model) != 0) {
        span_cache_deinit(c);
        if ((rc = store_series_list(store, model, &c->list, &c->n, err)) != TP_OK)
            return rc;
        if ((c->model = strdup(model)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    *has = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->list[i].id == id && c->list[i].has_days) {
            *has = 1;
            *lo = c->list[i].first_day * STORE_DAY_MINUTES;
            *hi = c->list[i].last_day * STORE_DAY_MINUTES + STORE_DAY_MINUTES - 1;
        }
    return TP_OK;
}

/* Distance in minutes from p[i] to the nearest other point of p[0, n); INT64_MAX for none. */
static int64_t nearest_gap(const spoint *p, size_t n, size_t i)
{
    int64_t gap = INT64_MAX;
    if (i > 0)
        gap = p[i].minute - p[i - 1].minute;
    if (i + 1 < n && p[i + 1].minute - p[i].minute < gap)
        gap = p[i + 1].minute - p[i].minute;
    return gap;
}

/* Warns about the stray points of one series, whose points in this input are p[0, n). */
static tp_status series_strays(tp_store *store, const tp_ingest_options *opts,
                               const ingest_decoded *dec, span_cache *cache, spoint *p, size_t n,
                               tp_error *err)
{
    size_t candidates = 0;
    for (size_t i = 0; i < n; i++)
        candidates += nearest_gap(p, n, i) > STRAY_MINUTES;
    if (candidates == 0)
        return TP_OK;
    const ingest_group *g0 = &dec->groups[p[0].group];
    int has = 0;
    int64_t lo = 0, hi = 0;
    tp_status rc = stored_span(store, cache, g0->model, g0->series_id, &has, &lo, &hi, err);
    if (rc != TP_OK || (n == 1 && !has))
        return rc; /* a series of one point has no other data to be far from */
    size_t strays = 0, first = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t gap = nearest_gap(p, n, i);
        if (has) {
            const int64_t m = p[i].minute;
            const int64_t d = m < lo ? lo - m : m > hi ? m - hi : 0;
            gap = d < gap ? d : gap;
        }
        if (gap > STRAY_MINUTES && strays++ == 0)
            first = i;
    }
    if (strays == 0)
        return TP_OK;
    const ingest_group *g = &dec->groups[p[first].group];
    const ingest_point *pt = &g->pts[p[first].point];
    char loc[512], ts[TP_TIME_BUF];
    if (g->elem == NULL)
        snprintf(loc, sizeof loc, "%s:%u", dec->name, (unsigned)pt->loc);
    else
        snprintf(loc, sizeof loc, "%s: %s.%s[%u]", dec->name, g->where, g->elem, (unsigned)pt->loc);
    char msg[1024];
    snprintf(msg, sizeof msg,
             "%s: point at %s of %s %s is more than %d days from the series' other data "
             "(%zu such point%s): check its timestamp; stats and plans load every minute of a "
             "series' span",
             loc, tp_timestamp_format(p[first].minute * 60, ts), g->model, g->metric,
             INGEST_STRAY_DAYS, strays, strays == 1 ? "" : "s");
    opts->warn(opts->warn_ctx, msg);
    return TP_OK;
}

tp_status ingest_warn_strays(tp_store *store, const tp_ingest_options *opts,
                             const ingest_decoded *dec, tp_error *err)
{
    tp_status rc = TP_OK;
    str_index heads = {0}; /* series id -> its first group */
    size_t *next = NULL;      /* the next group of the same series, or SIZE_MAX */
    spoint *p = NULL;
    size_t cap = 0;
    span_cache cache = {0};
    if (opts->warn == NULL || dec->n_groups == 0)
        return TP_OK;
    if ((next = malloc(dec->n_groups * sizeof *next)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = dec->n_groups; i-- > 0;) { /* backwards: heads end up first groups */
        const int64_t id = dec->groups[i].series_id;
        size_t h;
        next[i] = str_index_find(&heads, (const char *)&id, sizeof id, &h) ? h : SIZE_MAX;
        if (str_index_put(&heads, (const char *)&id, sizeof id, i) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    for (size_t i = 0; i < dec->n_groups && rc == TP_OK; i++) {
        const int64_t id = dec->groups[i].series_id;
        size_t h, n = 0;
        if (!str_index_find(&heads, (const char *)&id, sizeof id, &h) || h != i)
            continue; /* not the series' first group: done with it */
        for (size_t k = i; k != SIZE_MAX; k = next[k]) {
            const ingest_group *g = &dec->groups[k];
            if (UTIL_GROW(p, cap, n + g->n) != 0) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
            for (size_t j = 0; j < g->n; j++)
                p[n++] = (spoint){util_floor_div(g->pts[j].ts_s, 60), (uint32_t)k, (uint32_t)j};
        }
        if (next[i] != SIZE_MAX) /* one group is sorted already */
            qsort(p, n, sizeof *p, cmp_spoint);
        rc = series_strays(store, opts, dec, &cache, p, n, err);
    }
cleanup:
    span_cache_deinit(&cache);
    str_index_deinit(&heads);
    free(next);
    free(p);
    return rc;
}
