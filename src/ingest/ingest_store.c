/* ingest_store.c - the storing half of ingest: each series' period and as-of, the merge of
 * points into the day rows (the newest export wins a minute), and the completeness check of
 * get-metric-data queries across the pages of a command. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "ingest/ingest_internal.h"
#include "store/store_rows.h"
#include "tierplan/timestamp.h"
#include "base/util.h"

static void warn(const tp_ingest_options *opts, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void warn(const tp_ingest_options *opts, const char *fmt, ...)
{
    if (opts->warn == NULL)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    opts->warn(opts->warn_ctx, msg);
}

static int cmp_point(const void *a, const void *b)
{
    const ingest_point *x = a, *y = b;
    if (x->ts_s != y->ts_s)
        return x->ts_s < y->ts_s ? -1 : 1;
    return x->loc < y->loc ? -1 : x->loc > y->loc;
}

/* The period of a group: --period, else the label's Period= (or the CSV period_s), else 60 s
 * when two timestamps are 60 s apart. Anything else is refused rather than guessed: sparse
 * per-minute traffic (every 5th minute busy) looks like 5-minute data and spreading it would
 * divide its peaks by 5, while hourly data read as 60 s would multiply them by 60. */
static tp_status group_period(const tp_ingest_options *opts, const ingest_decoded *dec,
                              ingest_group *g, tp_error *err)
{
    if (opts->period_s > 0)
        g->period_s = opts->period_s;
    if (g->period_s > 0)
        return TP_OK;
    int64_t gap = 0;
    for (size_t i = 1; i < g->n; i++) {
        int64_t d = g->pts[i].ts_s - g->pts[i - 1].ts_s;
        if (d > 0 && (gap == 0 || d < gap))
            gap = d;
    }
    if (gap == 60) {
        g->period_s = 60;
        return TP_OK;
    }
    if (gap % 60 != 0)
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: %s: timestamps %lld s apart: the period must be a whole "
                                  "number of minutes (pass {period_s})",
                                  dec->name, g->where, (long long)gap);
    char why[64] = "a single timestamp";
    if (gap > 0)
        snprintf(why, sizeof why, "timestamps at least %lld s apart", (long long)gap);
    return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                              "%s: %s: period ambiguous: pass {period_s} (series %s %s: %s and "
                              "no Period= given)",
                              dec->name, g->where, g->model, g->metric, why);
}

static void loc_str(const ingest_decoded *dec, const ingest_group *g, const ingest_point *p,
                    char *buf, size_t size)
{
    if (g->elem == NULL)
        snprintf(buf, size, "%s:%u", dec->name, (unsigned)p->loc);
    else
        snprintf(buf, size, "%s: %s.%s[%u]", dec->name, g->where, g->elem, (unsigned)p->loc);
}

/* As-of of the ingests already in one series' day rows, looked up once each. */
#define ASOF_CACHE 32
typedef struct asof_cache {
    int64_t series_id;
    uint32_t ingest[ASOF_CACHE];
    int64_t as_of[ASOF_CACHE];
    int n;
} asof_cache;

/* The as-of of what ingest k wrote into the cache's series; INT64_MIN (older than anything)
 * when none is recorded. */
static tp_status stored_as_of(tp_store *store, asof_cache *c, uint32_t k, int64_t *out,
                              tp_error *err)
{
    for (int i = 0; i < c->n; i++)
        if (c->ingest[i] == k) {
            *out = c->as_of[i];
            return TP_OK;
        }
    int found = 0;
    tp_status rc = store_asof_get(store, k, c->series_id, out, &found, err);
    if (rc != TP_OK)
        return rc;
    if (!found)
        *out = INT64_MIN;
    if (c->n == ASOF_CACHE)
        c->n = 0;
    c->ingest[c->n] = k;
    c->as_of[c->n++] = *out;
    return TP_OK;
}

/* What a new point does to a stored minute. */
enum merge { M_INSERT, M_REPLACE, M_RETAG, M_UNCHANGED, M_KEEP, M_CONFLICT };

/* The rule of docs/formats.md ("As-of"): the higher as-of wins a minute, then the larger
 * value, so that any order of ingests ends with the same values. Within one command two
 * different values of one as-of are a conflict (one of them is wrong). A higher as-of with
 * an equal value re-tags the minute: its as-of must be the newest that holds the value, or a
 * third export between the two would win or lose depending on the order. */
static enum merge merge_rule(double stored, int64_t stored_as_of, int same_command,
                             double value, int64_t as_of)
{
    if (as_of > stored_as_of)
        return value == stored ? M_RETAG : M_REPLACE;
    if (value == stored)
        return M_UNCHANGED;
    if (as_of < stored_as_of)
        return M_KEEP;
    if (same_command)
        return M_CONFLICT;
    return value > stored ? M_REPLACE : M_KEEP;
}

/* Merges the points of one day (from g->pts[*i]) into day; advances *i past them. */
static tp_status merge_day(tp_store *store, const ingest_decoded *dec, const ingest_group *g,
                           uint32_t this_ingest, asof_cache *cache, int64_t d, size_t *i,
                           store_day *day, tp_ingest_summary *sum, int *changed, tp_error *err)
{
    tp_status rc;
    for (; *i < g->n; (*i)++) {
        const ingest_point *p = &g->pts[*i];
        const int64_t minute = util_floor_div(p->ts_s, 60);
        if (util_floor_div(minute, STORE_DAY_MINUTES) != d)
            break;
        const int slot = (int)(minute - d * STORE_DAY_MINUTES);
        const uint32_t k = day->ingest[slot];
        enum merge m = M_INSERT;
        int64_t old_as_of = 0;
        if (k == this_ingest)
            m = day->value[slot] == p->value ? M_UNCHANGED : M_CONFLICT;
        else if (k != 0) {
            if ((rc = stored_as_of(store, cache, k, &old_as_of, err)) != TP_OK)
                return rc;
            m = merge_rule(day->value[slot], old_as_of, (int64_t)k >= store_batch_first_ingest(store),
                           p->value, g->as_of_s);
        }
        if (m == M_CONFLICT) {
            char loc[512], ts[TP_TIME_BUF], a[40], b[40];
            loc_str(dec, g, p, loc, sizeof loc);
            cnum_format(a, sizeof a, day->value[slot]);
            cnum_format(b, sizeof b, p->value);
            return tp_error_set(err, TP_ERR_CONFLICT,
                                "%s: conflicting values %s and %s for the same series and "
                                "minute in one ingest at %s (%s %s)",
                                loc, a, b, tp_timestamp_format(minute * 60, ts), g->model,
                                g->metric);
        }
        if (m == M_INSERT || m == M_REPLACE || m == M_RETAG) {
            day->value[slot] = p->value;
            day->ingest[slot] = this_ingest;
            *changed = 1;
        }
        sum->inserted += m == M_INSERT;
        sum->replaced += m == M_REPLACE;
        sum->unchanged += m == M_UNCHANGED || m == M_RETAG;
        sum->kept_newer += m == M_KEEP;
        if (sum->points == 0 || minute < sum->first_minute)
            sum->first_minute = minute;
        if (sum->points == 0 || minute > sum->last_minute)
            sum->last_minute = minute;
        sum->points++;
    }
    return TP_OK;
}

/* Stores one group, a read-modify-write of each UTC day it touches. */
static tp_status group_store(tp_store *store, const ingest_decoded *dec, const ingest_group *g,
                             uint32_t this_ingest, store_day *day, tp_ingest_summary *sum,
                             tp_error *err)
{
    tp_status rc;
    asof_cache cache = {g->series_id, {0}, {0}, 0};
    size_t i = 0;
    while (i < g->n) {
        const int64_t d = util_floor_div(util_floor_div(g->pts[i].ts_s, 60), STORE_DAY_MINUTES);
        int changed = 0;
        if ((rc = store_day_get(store, g->series_id, d, day, err)) != TP_OK ||
            (rc = merge_day(store, dec, g, this_ingest, &cache, d, &i, day, sum, &changed,
                            err)) != TP_OK)
            return rc;
        if (changed && (rc = store_day_put(store, g->series_id, d, day, err)) != TP_OK)
            return rc;
    }
    return TP_OK;
}

/* Refuses a value over INGEST_MAX_TOKENS_PER_MINUTE per minute of its period: 1e308 is a
 * finite double, but its sums overflow to inf and the costs built on them to NaN. */
static tp_status group_magnitude(const ingest_decoded *dec, const ingest_group *g,
                                 tp_error *err)
{
    const double max = INGEST_MAX_TOKENS_PER_MINUTE * (g->period_s / 60);
    for (size_t i = 0; i < g->n; i++) {
        if (g->pts[i].value <= max)
            continue;
        char loc[512], v[40], m[40];
        loc_str(dec, g, &g->pts[i], loc, sizeof loc);
        cnum_format(v, sizeof v, g->pts[i].value);
        cnum_format(m, sizeof m, max);
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: value %s is over %s, the most tierplan accepts for a %d s "
                            "period (1e12 per minute): a corrupt export?",
                            loc, v, m, g->period_s);
    }
    return TP_OK;
}

/* Sorts a group, decides its period, finds its series and records its as-of. */
static tp_status group_prepare(tp_store *store, const tp_ingest_options *opts,
                               const ingest_decoded *dec, ingest_group *g, int64_t ingest_id,
                               tp_error *err)
{
    tp_status rc;
    qsort(g->pts, g->n, sizeof *g->pts, cmp_point);
    if ((rc = group_period(opts, dec, g, err)) != TP_OK)
        return rc;
    if ((rc = group_magnitude(dec, g, err)) != TP_OK)
        return rc;
    store_series_key key = {g->model, g->region, g->account, g->metric, g->service_tier, g->resolved_tier,
                            g->period_s};
    if ((rc = store_series_get(store, &key, &g->series_id, err)) != TP_OK)
        return rc;
    if (g->has_end)
        g->as_of_s = g->end_s;
    else if (opts->as_of_s > 0)
        g->as_of_s = opts->as_of_s;
    else
        g->as_of_s = util_floor_div(g->pts[g->n - 1].ts_s, 60) * 60 + g->period_s;
    if ((rc = store_asof_put(store, ingest_id, g->series_id, g->as_of_s, err)) != TP_OK)
        return rc;
    /* the span the export asked for: the command's --span-from/--span-to over the label's */
    if (opts->span_to_s > opts->span_from_s)
        return store_span_put(store, ingest_id, g->series_id, opts->span_from_s, opts->span_to_s,
                              err);
    if (g->has_start && g->has_end && g->end_s > g->start_s)
        return store_span_put(store, ingest_id, g->series_id, g->start_s, g->end_s, err);
    return TP_OK;
}

/* The spans of the results without a datapoint: recorded for the series already stored under
 * their key (none is created), so that an idle day's export covers its span. */
static tp_status empties_spans(tp_store *store, const tp_ingest_options *opts,
                               const ingest_decoded *dec, int64_t ingest_id, tp_error *err)
{
    for (size_t i = 0; i < dec->n_empties; i++) {
        const ingest_group *g = &dec->empties[i];
        int64_t from_s, to_s;
        size_t n;
        if (opts->span_to_s > opts->span_from_s) {
            from_s = opts->span_from_s;
            to_s = opts->span_to_s;
        } else if (g->has_start && g->has_end && g->end_s > g->start_s) {
            from_s = g->start_s;
            to_s = g->end_s;
        } else
            continue; /* no span known: nothing to say about coverage */
        store_series_key key = {g->model, g->region, g->account, g->metric, g->service_tier, g->resolved_tier,
                                opts->period_s > 0 ? opts->period_s : g->period_s};
        tp_status rc = store_span_put_stored(store, ingest_id, &key, from_s, to_s, &n, err);
        if (rc != TP_OK)
            return rc;
    }
    return TP_OK;
}

tp_status ingest_store_groups(tp_store *store, const tp_ingest_options *opts,
                              ingest_decoded *dec, int64_t ingest_id, store_day *day,
                              tp_ingest_summary *sum, tp_error *err)
{
    tp_status rc = TP_OK;
    size_t guessed = 0; /* series whose as-of is their last timestamp + period */
    str_index seen = {0}; /* series ids stored so far */
    if (ingest_id <= 0 || ingest_id > (int64_t)UINT32_MAX)
        return tp_error_set(err, TP_ERR_DB, "%s: ingest id %lld out of range", store_path(store),
                            (long long)ingest_id);
    /* Each place of a model once an input, before anything of it is stored: data of an
     * unknown region is never merged into a region's */
    str_index places = {0};
    for (size_t i = 0; i < dec->n_groups && rc == TP_OK; i++) {
        const ingest_group *g = &dec->groups[i];
        char key[4400];
        const int kn = snprintf(key, sizeof key, "%s%c%s%c%s", g->model, 0, g->region, 0,
                                g->account);
        /* a longer key (a model id over 4 KB) is checked for each of its groups: slower only */
        const int cached = kn > 0 && (size_t)kn < sizeof key;
        size_t one;
        if (cached && str_index_find(&places, key, (size_t)kn, &one))
            continue;
        rc = ingest_place_guard(store, opts, dec->name, 0, g->model, g->region, g->account, err);
        if (rc == TP_OK && cached && str_index_put(&places, key, (size_t)kn, 1) != 0)
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    str_index_deinit(&places);
    if (rc != TP_OK)
        return rc;
    /* All groups first: the pages of one series in a file share the highest as-of among
     * them, whichever page comes first. */
    for (size_t i = 0; i < dec->n_groups; i++)
        if ((rc = group_prepare(store, opts, dec, &dec->groups[i], ingest_id, err)) != TP_OK)
            return rc;
    if ((rc = empties_spans(store, opts, dec, ingest_id, err)) != TP_OK ||
        (rc = ingest_warn_strays(store, opts, dec, err)) != TP_OK)
        return rc;
    sum->series = 0;
    for (size_t i = 0; i < dec->n_groups; i++) {
        ingest_group *g = &dec->groups[i];
        int found = 0;
        size_t dummy;
        if ((rc = store_asof_get(store, ingest_id, g->series_id, &g->as_of_s, &found, err)) !=
            TP_OK)
            goto cleanup;
        const int first = !str_index_find(&seen, (const char *)&g->series_id,
                                             sizeof g->series_id, &dummy);
        if (first && str_index_put(&seen, (const char *)&g->series_id, sizeof g->series_id,
                                      i) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        sum->series += first;
        guessed += first && !g->has_end && opts->as_of_s <= 0;
        if ((rc = group_store(store, dec, g, (uint32_t)ingest_id, day, sum, err)) != TP_OK)
            goto cleanup;
    }
    if (guessed > 0 && opts->warn != NULL) {
        tp_error w;
        char msg[sizeof w.message];
        tp_error_set_field(&w, TP_OK, NULL,
                           "%s: %zu series without End= in the label or {as_of_s}: each is "
                           "taken as of its last timestamp + period (the most recent export "
                           "wins a minute: pass {as_of_s} with the export time)",
                           dec->name, guessed);
        opts->warn(opts->warn_ctx,
                   tp_error_rename(&w, opts->field_name, opts->field_name_ctx, msg, sizeof msg));
    }
cleanup:
    str_index_deinit(&seen);
    return rc;
}

/* ---- completeness of get-metric-data queries ---- */

/* A page with a NextToken: where it is and the queries on it (indices into qs->q). */
struct ingest_pending {
    char *where;
    size_t *queries;
    size_t n_queries;
};

struct ingest_query {
    char *key; /* Id "\n" label */
    size_t id_len;
    size_t n_pages;    /* pages holding a result of it */
    size_t last_page;  /* serial of the last page counted in n_pages */
    int complete;      /* a result of it reached its end (see ingest_queries) */
    char *token_where; /* the first page with a NextToken holding it, or NULL */
    char *where;       /* of its last result that did not reach the end */
    char *status;      /* of that result: its StatusCode, NULL when absent */
};

static void query_deinit(ingest_query *q)
{
    free(q->key);
    free(q->token_where);
    free(q->where);
    free(q->status);
}

/* The index of r's query, added when new (taking r's key); -1 when out of memory. */
static long query_of(ingest_queries *qs, ingest_result *r)
{
    size_t i;
    const size_t kn = strlen(r->key);
    if (str_index_find(&qs->by_key, r->key, kn, &i))
        return (long)i;
    if (UTIL_GROW(qs->q, qs->cap, qs->n + 1) != 0 ||
        str_index_put(&qs->by_key, r->key, kn, qs->n) != 0)
        return -1;
    ingest_query *q = &qs->q[qs->n];
    memset(q, 0, sizeof *q);
    q->key = r->key;
    q->id_len = r->id_len;
    r->key = NULL;
    return (long)qs->n++;
}

tp_status ingest_queries_add(ingest_queries *qs, ingest_page *pg, tp_error *err)
{
    ingest_pending *kept = NULL;
    qs->n_pages_seen++; /* this page's serial, from 1 (0 is "never") */
    if (pg->has_next) {
        if (UTIL_GROW(qs->pending, qs->cap_pending, qs->n_pending + 1) != 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        kept = &qs->pending[qs->n_pending++];
        memset(kept, 0, sizeof *kept);
        if ((kept->where = strdup(pg->where)) == NULL ||
            (pg->n_res > 0 && (kept->queries = malloc(pg->n_res * sizeof *kept->queries)) == NULL))
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < pg->n_res; k++) {
        ingest_result *r = &pg->res[k];
        const long i = query_of(qs, r);
        if (i < 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        ingest_query *q = &qs->q[i];
        /* a query repeated within one page (a merged export) counts that page once */
        if (q->last_page != qs->n_pages_seen) {
            q->last_page = qs->n_pages_seen;
            q->n_pages++;
        }
        if (kept != NULL) {
            kept->queries[kept->n_queries++] = (size_t)i;
            if (q->token_where == NULL && (q->token_where = strdup(pg->where)) == NULL)
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        }
        if (r->said_complete || (r->status == NULL && !pg->has_next)) {
            q->complete = 1;
            continue;
        }
        free(q->where);
        free(q->status);
        q->where = r->where;
        q->status = r->status;
        r->where = r->status = NULL;
    }
    return TP_OK;
}

void ingest_queries_warn(const ingest_queries *qs, const tp_ingest_options *opts)
{
    for (size_t i = 0; i < qs->n; i++) {
        const ingest_query *q = &qs->q[i];
        const char *label = q->key + q->id_len + 1;
        const int id_len = (int)q->id_len;
        if (q->complete)
            continue;
        if (q->status == NULL || q->token_where != NULL)
            warn(opts,
                 "%s: has a NextToken but its next page was not given: query %.*s (%s) is "
                 "incomplete (fetch the remaining pages and ingest them together)",
                 q->token_where != NULL ? q->token_where : q->where, id_len, q->key, label);
        else
            warn(opts,
                 "%s (Id %.*s): StatusCode %s in the query's last result: CloudWatch returned "
                 "incomplete data; ingested what is there",
                 q->where, id_len, q->key, q->status);
    }
    /* a page whose own queries all ended, but whose NextToken promises more: answered when
     * another page holds one of its queries (the next page of the same request does) */
    for (size_t p = 0; p < qs->n_pending; p++) {
        const ingest_pending *pg = &qs->pending[p];
        int all_complete = 1, shared = 0;
        for (size_t k = 0; k < pg->n_queries; k++) {
            all_complete = all_complete && qs->q[pg->queries[k]].complete;
            shared = shared || qs->q[pg->queries[k]].n_pages > 1;
        }
        if (all_complete && !shared)
            warn(opts, "%s: has a NextToken but its next page was not given", pg->where);
    }
}

void ingest_queries_deinit(ingest_queries *qs)
{
    for (size_t i = 0; i < qs->n; i++)
        query_deinit(&qs->q[i]);
    for (size_t i = 0; i < qs->n_pending; i++) {
        free(qs->pending[i].where);
        free(qs->pending[i].queries);
    }
    str_index_deinit(&qs->by_key);
    free(qs->q);
    free(qs->pending);
    memset(qs, 0, sizeof *qs);
}
