/* series.c - builds zero-filled per-minute demand arrays from the series and day rows the
 * store hands it; it runs no SQL itself. */
#include "tierplan/series.h"

#include <stdlib.h>
#include <string.h>

#include "series/series_internal.h"
#include "store/store_logs.h"
#include "store/store_rows.h"
#include "base/numfmt.h"
#include "base/strbuf.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"
#include "base/util.h"

/* The tp_metric of a CloudWatch name, or -1 for metrics the demand does not use. */
static int metric_of(const char *cloudwatch_name)
{
    for (int k = 0; k < TP_METRIC_COUNT; k++)
        if (strcmp(cloudwatch_name, util_metric_names[k]) == 0)
            return k;
    return -1;
}

/* One stored series of the model that holds points of a token metric. */
typedef struct srow {
    int64_t id;
    const char *region; /* of the listing: rows of several regions when they are merged */
    int metric;                /* tp_metric */
    const char *stier, *rtier; /* "" when absent; owned by the store's listing */
    int period_s;
    int64_t first, last;       /* minutes of its first and last point */
    int used; /* 0: not summed; 1: summed; 2: in the component being built; 3: loaded */
    int asked, served; /* tp_service_tier of stier and rtier; TIER_NONE when absent, -1 for
                          a name tierplan does not know (it counts in the total only) */
} srow;

/* What tp_series_load works with while it builds a series. */
typedef struct loader {
    tp_store *store;
    tp_series *s;
    srow *rows;
    size_t n;
    store_day *day;          /* one decoded day row */
    double *comp;            /* per window minute: the component being built */
    int *comp_period;        /* its period there (0: not covered) */
    int *res_period;         /* the metric's coarsest covering period there */
    unsigned char *has_data; /* some token metric has a point there */
    int has_logs;            /* blending: the place holds invocation logs of the model */
    int64_t logs_lo, logs_hi; /* their extent [first minute, last + 1) */
} loader;

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
    if (UTIL_GROW(s->ingests, s->cap_ingests, s->n_ingests + 1) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    memmove(&s->ingests[lo + 1], &s->ingests[lo], (s->n_ingests - lo) * sizeof *s->ingests);
    s->ingests[lo] = id;
    s->n_ingests++;
    s->last_ingest = lo;
    return TP_OK;
}

/* Sets r->first and r->last, the first and last minute holding a point, from the series'
 * first and last stored day. */
static tp_status series_span(tp_store *st, const store_series_info *info, srow *r,
                             store_day *day, tp_error *err)
{
    for (int end = 0; end < 2; end++) {
        const int64_t d = end ? info->last_day : info->first_day;
        tp_status rc = store_day_get(st, info->id, d, day, err);
        if (rc != TP_OK)
            return rc;
        int slot = -1;
        for (int k = 0; k < STORE_DAY_MINUTES && slot < 0; k++) {
            const int i = end ? STORE_DAY_MINUTES - 1 - k : k;
            if (day->ingest[i] != 0)
                slot = i;
        }
        if (slot < 0) /* a day row always holds a point */
            return store_day_corrupt(st, info->id, d, "no minute holds a point", err);
        *(end ? &r->last : &r->first) = d * STORE_DAY_MINUTES + slot;
    }
    return TP_OK;
}

/* The tp_service_tier of a stored tier name, TIER_NONE for "" (no such dimension), -1 for a
 * name tierplan does not know. */
static int tier_index(const char *name)
{
    tp_service_tier t;
    if (name[0] == '\0')
        return TIER_NONE;
    return tp_series_tier_parse(name, &t, NULL) == TP_OK ? (int)t : -1;
}

/* Fills L->rows with the model's stored token-metric series that hold points. The rows
 * point into *info, which the caller frees with store_series_list_free. */
static tp_status list_rows(loader *L, const tp_series_query *q, store_series_info **info,
                           size_t *n_info, tp_error *err)
{
    tp_status rc = store_series_list(L->store, q->model, info, n_info, err);
    if (rc != TP_OK)
        return rc;
    if (*n_info > 0 && (L->rows = calloc(*n_info, sizeof *L->rows)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < *n_info; i++) {
        const store_series_info *in = &(*info)[i];
        const int m = metric_of(in->metric);
        if (m < 0 || !in->has_days)
            continue; /* not a token metric, or a series with no points */
        if ((q->region != NULL && strcmp(in->region, q->region) != 0) ||
            (q->account != NULL && strcmp(in->account, q->account) != 0))
            continue; /* recorded elsewhere */
        srow *r = &L->rows[L->n];
        r->id = in->id;
        r->region = in->region;
        r->metric = m;
        r->stier = in->service_tier;
        r->rtier = in->resolved_tier;
        r->period_s = in->period_s;
        r->asked = tier_index(r->stier);
        r->served = tier_index(r->rtier);
        if ((rc = series_span(L->store, in, r, L->day, err)) != TP_OK)
            return rc;
        L->n++;
    }
    return TP_OK;
}

static tp_tier_family row_family(const srow *r)
{
    if (r->stier[0] != '\0')
        return r->rtier[0] != '\0' ? TP_FAMILY_BOTH : TP_FAMILY_SERVICE;
    return r->rtier[0] != '\0' ? TP_FAMILY_RESOLVED : TP_FAMILY_TOTAL;
}

/* How detailed a family is: both axes > ServiceTier alone > ResolvedServiceTier alone > the
 * total. Of the two one-axis families ServiceTier wins: routing decides on the tier asked
 * for, and the served tier differs from it only where a reservation overflowed. */
static int family_detail(tp_tier_family f)
{
    switch (f) {
    case TP_FAMILY_BOTH: return 3;
    case TP_FAMILY_SERVICE: return 2;
    case TP_FAMILY_RESOLVED: return 1;
    case TP_FAMILY_TOTAL: return 0;
    }
    return 0;
}

/* With --tier, a row's tier to match: the resolved tier where the family has it, else (the
 * ServiceTier family) the tier asked for, as tp_series_route_demand reads it. */
static int tier_selected(const tp_series_query *q, const srow *r)
{
    const char *name = r->rtier[0] != '\0' ? r->rtier : r->stier;
    for (size_t i = 0; i < q->n_tiers; i++)
        if (strcmp(q->tiers[i], name) == 0)
            return 1;
    return 0;
}

/* The family the demand is read from, of the rows reaching into [lo, hi) (all rows when
 * !windowed): the one storing the most token metrics (a family that lacks a metric the
 * model has would read it as zero), of those the most detailed. The families are views of
 * one traffic, never summed together. -1 when no row qualifies. With tiers asked for, the
 * total (which has none) does not qualify. */
static int choose_family(const tp_series_query *q, const srow *rows, size_t n, int windowed,
                         int64_t lo, int64_t hi)
{
    unsigned mask[4] = {0};
    for (size_t i = 0; i < n; i++) {
        const srow *r = &rows[i];
        if (windowed && (r->last + r->period_s / 60 <= lo || r->first >= hi))
            continue;
        mask[row_family(r)] |= 1u << r->metric;
    }
    int best = -1, best_n = 0;
    for (int f = 0; f < 4; f++) {
        int k = 0;
        for (unsigned m = mask[f]; m != 0; m &= m - 1)
            k++;
        if (k == 0 || (q->n_tiers > 0 && f == TP_FAMILY_TOTAL))
            continue;
        if (best < 0 || k > best_n ||
            (k == best_n && family_detail((tp_tier_family)f) >
                                family_detail((tp_tier_family)best))) {
            best = f;
            best_n = k;
        }
    }
    return best;
}

/* Marks which rows make up each metric's demand (used = 1): the rows of family f (of the
 * selected tiers with --tier). f < 0 marks none. */
static void choose_rows(const tp_series_query *q, int f, srow *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        srow *r = &rows[i];
        r->used = f >= 0 && (int)row_family(r) == f && (q->n_tiers == 0 || tier_selected(q, r));
    }
}

/* Describes the rows chosen for metric m with their family: "total", "resolved_tier:
 * default, priority", "service_tier+resolved_tier: reserved/default, reserved/reserved", or
 * "none"; each part once whatever its resolutions. */
static tp_status describe_sources(tp_series *s, int m, const srow *rows, size_t n,
                                  tp_error *err)
{
    strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        const srow *r = &rows[i];
        if (r->metric != m || !r->used)
            continue;
        if (r->stier[0] == '\0' && r->rtier[0] == '\0') {
            if (b.len == 0)
                sb_puts(&b, "total");
            continue;
        }
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= rows[j].used && rows[j].metric == m && strcmp(rows[j].rtier, r->rtier) == 0 &&
                    strcmp(rows[j].stier, r->stier) == 0;
        if (seen)
            continue;
        if (b.len == 0)
            sb_printf(&b, "%s: ", tp_series_family_name(row_family(r)));
        else
            sb_puts(&b, ", "); /* a space: a long list wraps in text */
        sb_printf(&b, "%s%s%s", r->stier, r->stier[0] && r->rtier[0] ? "/" : "", r->rtier);
    }
    if (b.len == 0)
        sb_puts(&b, "none");
    return sb_finish(&b, &s->sources[m], err);
}

/* Sets err to TP_ERR_NOT_FOUND for a query that matches no data: a model with no token data
 * (named with what the store holds instead), tiers the model lacks, or a window outside the
 * model's data [data_lo, data_hi) (named with the data's span). A planner must never size a
 * reservation, nor report percentiles, from minutes that were never measured. */
static tp_status no_data(const loader *L, const tp_series_query *q, int64_t data_lo,
                         int64_t data_hi, tp_error *err)
{
    strbuf b = {0};
    char *text = NULL, a[TP_TIME_BUF], z[TP_TIME_BUF];
    tp_status rc = TP_OK;
    sb_printf(&b, "no data for model \"%s\"", q->model);
    if (L->n == 0) {
        rc = series_suggest_models(L->store, q->model, &b, err);
    } else if (q->n_tiers > 0 && data_hi <= data_lo) {
        sb_puts(&b, " in the selected tiers");
    } else {
        series_describe_window(&b, q);
        sb_printf(&b, "; its data spans %s .. %s", tp_timestamp_format(data_lo * 60, a),
                  tp_timestamp_format(data_hi * 60, z));
    }
    const tp_status done = sb_finish(&b, &text, rc == TP_OK ? err : NULL);
    if (rc == TP_OK && (rc = done) == TP_OK)
        rc = tp_error_set(err, TP_ERR_NOT_FOUND, "%s", text);
    free(text);
    return rc;
}

/* The window [*lo, *hi) in minutes: the query's bounds, else the chosen rows' extent (and
 * the logs' when blending), which *data_lo, *data_hi receive (both 0 when no row is
 * chosen). */
static tp_status choose_window(const loader *L, const tp_series_query *q, int64_t *lo,
                               int64_t *hi, int64_t *data_lo, int64_t *data_hi, tp_error *err)
{
    int any = 0;
    *lo = *hi = 0;
    for (size_t i = 0; i < L->n; i++) {
        const srow *r = &L->rows[i];
        if (!r->used)
            continue;
        const int64_t end = r->last + r->period_s / 60;
        if (!any || r->first < *lo)
            *lo = r->first;
        if (!any || end > *hi)
            *hi = end;
        any = 1;
    }
    if (!any)
        return no_data(L, q, 0, 0, err);
    if (L->has_logs) { /* blending: the data is both sources' */
        if (L->logs_lo < *lo)
            *lo = L->logs_lo;
        if (L->logs_hi > *hi)
            *hi = L->logs_hi;
    }
    *data_lo = *lo;
    *data_hi = *hi;
    tp_series_query resolved;
    const tp_window_spec *rolling = NULL;
    if (q->window != NULL && !q->has_from && !q->has_to) {
        tp_status rc = tp_series_query_resolve(q, *data_hi, &resolved, err);
        if (rc != TP_OK)
            return rc;
        rolling = q->window;
        q = &resolved;
    }
    if (q->has_from)
        *lo = q->from_minute;
    if (q->has_to)
        *hi = q->to_minute;
    if (*hi <= *lo && q->has_from && q->has_to)
        return tp_error_set_field(err, TP_ERR_USAGE, "to_minute",
                                  "empty window: {to_minute} must be after {from_minute}");
    series_clip_rolling(rolling, *data_lo, *data_hi, lo, hi);
    if (*hi <= *lo) /* one bound given, beyond the data's other end */
        return no_data(L, q, *data_lo, *data_hi, err);
    if ((uint64_t)(*hi - *lo) > TP_SERIES_MAX_MINUTES) {
        /* the span of this model's own data: name it, and its ends, so that a stray point
         * (a 2020 timestamp beside 2026 data) shows where it is */
        char a[TP_TIME_BUF], b[TP_TIME_BUF];
        return tp_error_set_field(err, TP_ERR_TOO_BIG, NULL,
                                  "model %s: window %s .. %s of %lld minutes is over the limit "
                                  "of %zu (3 years): narrow it with {from_minute}/{to_minute}%s",
                                  q->model, tp_timestamp_format(*lo * 60, a),
                                  tp_timestamp_format(*hi * 60, b), (long long)(*hi - *lo),
                                  TP_SERIES_MAX_MINUTES,
                                  q->has_from && q->has_to ? ""
                                                           : " (a stray timestamp in the data? "
                                                             "tierplan export shows the points)");
    }
    return TP_OK;
}

/* spread_day for one-minute points of a day wholly inside the window: each point is its own
 * minute's value (a share of value / 1, the same double), in a loop without the window
 * checks, notes an ingest only where it changes from the previous point. */
static tp_status copy_day(loader *L, int64_t offset, tp_error *err)
{
    double *comp = L->comp + offset;
    unsigned char *has = L->has_data + offset;
    const store_day *day = L->day;
    uint32_t last = 0;
    for (int slot = 0; slot < STORE_DAY_MINUTES; slot++) {
        const uint32_t id = day->ingest[slot];
        if (id != last && id != 0) {
            tp_status rc = note_ingest(L->s, id, err);
            if (rc != TP_OK)
                return rc;
            last = id;
        }
        /* selects, not branches: idle minutes come at random */
        comp[slot] = id != 0 ? day->value[slot] : comp[slot];
        has[slot] |= id != 0;
    }
    return TP_OK;
}

/* Spreads the points of one day row of a series with per_min-minute periods evenly over
 * their minutes of the window, and notes the ingests they came from. */
static tp_status spread_day(loader *L, int64_t day, int64_t per_min, tp_error *err)
{
    const int64_t from = L->s->from_minute, to = from + (int64_t)L->s->minutes;
    const int64_t d0 = day * STORE_DAY_MINUTES;
    if (per_min == 1 && d0 >= from && d0 + STORE_DAY_MINUTES <= to)
        return copy_day(L, d0 - from, err);
    for (int slot = 0; slot < STORE_DAY_MINUTES; slot++) {
        if (L->day->ingest[slot] == 0)
            continue;
        const int64_t m0 = d0 + slot;
        if (m0 + per_min <= from || m0 >= to)
            continue;
        tp_status rc = note_ingest(L->s, L->day->ingest[slot], err);
        if (rc != TP_OK)
            return rc;
        const double share = L->day->value[slot] / (double)per_min;
        for (int64_t m = m0 < from ? from : m0; m < m0 + per_min && m < to; m++) {
            L->comp[m - from] = share;
            L->has_data[m - from] = 1;
        }
    }
    return TP_OK;
}

/* The minutes [*lo, *hi) of the window that row r's points reach (empty: *lo >= *hi). */
static void row_span(const loader *L, const srow *r, int64_t *lo, int64_t *hi)
{
    const int64_t from = L->s->from_minute, to = from + (int64_t)L->s->minutes;
    const int64_t per_min = r->period_s / 60;
    *lo = r->first < from ? from : r->first;
    *hi = r->last + per_min > to ? to : r->last + per_min;
}

/* Loads one series (one resolution of a component) into L->comp over its span in the
 * window, replacing what a coarser resolution put there. `alone`: the component's only row,
 * into a zeroed L->comp, with L->comp_period left alone (add_component needs none). */
static tp_status load_row(loader *L, const srow *r, int alone, tp_error *err)
{
    store_day_iter *it = NULL;
    const int64_t from = L->s->from_minute, to = from + (int64_t)L->s->minutes;
    const int64_t per_min = r->period_s / 60;
    int64_t lo, hi;
    row_span(L, r, &lo, &hi);
    for (int64_t m = lo; !alone && m < hi; m++) {
        L->comp[m - from] = 0;
        L->comp_period[m - from] = r->period_s;
    }
    /* from the day of the earliest point still reaching into the window */
    tp_status rc = store_day_iter_open(L->store, r->id,
                                       util_floor_div(from - per_min + 1, STORE_DAY_MINUTES),
                                       util_floor_div(to - 1, STORE_DAY_MINUTES), &it, err);
    int64_t day = 0;
    int found = 0;
    while (rc == TP_OK && (rc = store_day_iter_next(it, &day, L->day, &found, err)) == TP_OK &&
           found)
        rc = spread_day(L, day, per_min, err);
    store_day_iter_close(it);
    return rc;
}

/* add_component for a component of one row (one tier at one resolution, the common case):
 * its period covers exactly its span, so the coarsest periods are raised there alone, with
 * no per-minute period array to clear, fill and read. */
static tp_status add_one_row(loader *L, srow *r, tp_error *err)
{
    const int64_t from = L->s->from_minute;
    int64_t lo, hi;
    memset(L->comp, 0, L->s->minutes * sizeof *L->comp);
    r->used = 3;
    tp_status rc = load_row(L, r, 1, err);
    row_span(L, r, &lo, &hi);
    for (int64_t m = lo; rc == TP_OK && m < hi; m++)
        if (r->period_s > L->res_period[m - from])
            L->res_period[m - from] = r->period_s;
    return rc;
}

/* Builds one component (a total or one tier: the rows marked 2, sharing metric and tiers,
 * any periods) into L->comp: coarsest period first, finer periods overwrite within their
 * span. */
static tp_status add_component(loader *L, size_t first, tp_error *err)
{
    const size_t minutes = L->s->minutes;
    size_t n_rows = 0, only = first;
    for (size_t i = first; i < L->n; i++)
        if (L->rows[i].used == 2) {
            n_rows++;
            only = i;
        }
    if (n_rows == 1)
        return add_one_row(L, &L->rows[only], err);
    memset(L->comp, 0, minutes * sizeof *L->comp);
    memset(L->comp_period, 0, minutes * sizeof *L->comp_period);
    for (;;) {
        size_t best = L->n;
        for (size_t i = first; i < L->n; i++)
            if (L->rows[i].used == 2 &&
                (best == L->n || L->rows[i].period_s > L->rows[best].period_s))
                best = i;
        if (best == L->n)
            break;
        L->rows[best].used = 3;
        tp_status rc = load_row(L, &L->rows[best], 0, err);
        if (rc != TP_OK)
            return rc;
    }
    /* a minute summed from tiers is as coarse as its coarsest part */
    for (size_t i = 0; i < minutes; i++)
        if (L->comp_period[i] > L->res_period[i])
            L->res_period[i] = L->comp_period[i];
    return TP_OK;
}

/* Counts the window minutes of metric m per covering period, ordered by period. */
static void tally_resolutions(tp_series *s, int m, const int *res_period)
{
    /* by runs of one period: a year of minutes has a handful of runs */
    for (size_t k = 0, run = 0; k < s->minutes; k += run) {
        const int period = res_period[k];
        for (run = 1; k + run < s->minutes && res_period[k + run] == period; run++)
            ;
        if (period == 0)
            continue;
        size_t e = 0;
        while (e < s->n_res[m] && s->res[m][e].period_s != period)
            e++;
        if (e == s->n_res[m]) {
            if (e == MAX_RES)
                continue;
            s->res[m][e].period_s = period;
            s->n_res[m]++;
        }
        s->res[m][e].minutes += run;
    }
    /* keep entries ordered by period for stable output */
    for (size_t a = 1; a < s->n_res[m]; a++)
        for (size_t b = a; b > 0 && s->res[m][b - 1].period_s > s->res[m][b].period_s; b--) {
            res_entry t = s->res[m][b];
            s->res[m][b] = s->res[m][b - 1];
            s->res[m][b - 1] = t;
        }
}

/* Whether two rows of a metric are resolutions of one component: the same tier pair in the
 * same region (regions merged are summed, never overlaid). */
static int same_component(const srow *a, const srow *b)
{
    return strcmp(a->stier, b->stier) == 0 && strcmp(a->rtier, b->rtier) == 0 &&
           strcmp(a->region, b->region) == 0;
}

/* Number of components (distinct tier pairs and regions) among the rows chosen for metric
 * m. */
static size_t count_components(const loader *L, int m)
{
    size_t n = 0;
    for (size_t i = 0; i < L->n; i++) {
        const srow *r = &L->rows[i];
        int seen = r->metric != m || r->used != 1;
        for (size_t j = 0; j < i && !seen; j++)
            seen = L->rows[j].metric == m && L->rows[j].used == 1 && same_component(&L->rows[j], r);
        n += !seen;
    }
    return n;
}

/* Builds metric m's array: each component alone, then summed in. Of a family with tiers,
 * each known tier pair keeps its own array as the part (one part alone is the total itself,
 * not copied); the total keeps the common case of one series free of any copy. */
static tp_status load_metric(loader *L, int m, tp_error *err)
{
    tp_series *s = L->s;
    const size_t len = s->minutes ? s->minutes : 1;
    /* not calloc: fresh zero pages read by the sums below would fault twice, once mapped
     * shared and once more on the first write; zeros written first fault once */
    double *v = store_buffer_take(L->store, len * sizeof *v);
    if (v == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    int first = 1; /* v is still all zeros: the first component is written as 0 + it */
    s->values[m] = v;
    memset(L->res_period, 0, s->minutes * sizeof *L->res_period);
    const size_t n_comp = count_components(L, m); /* a total has one a region */
    for (size_t i = 0; i < L->n; i++) {
        const srow *r = &L->rows[i];
        if (r->metric != m || r->used != 1)
            continue;
        for (size_t j = i; j < L->n; j++)
            if (L->rows[j].metric == m && L->rows[j].used == 1 && same_component(&L->rows[j], r))
                L->rows[j].used = 2;
        const int known = r->asked >= 0 && r->served >= 0;
        double *own = NULL; /* this component's part array, when it gets one */
        /* the part of this tier pair from another region (regions merged): this one is built
         * apart and added to it */
        double *other = known ? s->part[r->asked][r->served][m] : NULL;
        if (other == NULL && known && n_comp == 1)
            s->part[r->asked][r->served][m] = v;
        else if (other == NULL && known) {
            if ((own = malloc(len * sizeof *own)) == NULL)
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            s->owned[s->n_owned++] = own;
            s->part[r->asked][r->served][m] = own;
        }
        /* the first component is built in v itself (one array less to stream through) */
        double *work = L->comp;
        if (own != NULL)
            L->comp = own;
        else if (first)
            L->comp = v;
        tp_status rc = add_component(L, i, err);
        const double *c = L->comp;
        L->comp = work;
        if (rc != TP_OK)
            return rc;
        for (size_t k = 0; other != NULL && other != v && k < s->minutes; k++)
            other[k] += c[k];
        for (size_t k = 0; first && k < s->minutes; k++)
            v[k] = 0.0 + c[k]; /* + 0.0: what the sum into zeros gave (-0 -> +0) */
        for (size_t k = 0; !first && k < s->minutes; k++)
            v[k] += c[k];
        first = 0;
    }
    if (first) /* no component: no data, all zeros */
        memset(v, 0, s->minutes * sizeof *v);
    tally_resolutions(s, m, L->res_period);
    return TP_OK;
}

/* Whether any of the n values is not zero. */
static int any_traffic(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != 0)
            return 1;
    return 0;
}

/* Fills s->axis along each axis s's family tells: per tier and metric its one part, the sum
 * of its parts, or s->zeros where it has none; tier_present where it carries traffic. */
static tp_status build_axes(tp_series *s, tp_error *err)
{
    const size_t len = s->minutes ? s->minutes : 1;
    if (s->family == TP_FAMILY_TOTAL)
        return TP_OK;
    if ((s->zeros = calloc(len, sizeof *s->zeros)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    s->owned[s->n_owned++] = s->zeros;
    const int tells[2] = {s->family != TP_FAMILY_RESOLVED, s->family != TP_FAMILY_SERVICE};
    for (int a = 0; a < 2; a++)
        for (int t = 0; tells[a] && t < TP_SERVICE_COUNT; t++)
            for (int m = 0; m < TP_METRIC_COUNT; m++) {
                double *only = NULL, *sum = NULL;
                for (int o = 0; o < TIER_SLOTS; o++) {
                    double *p = a == TP_AXIS_ASKED ? s->part[t][o][m] : s->part[o][t][m];
                    if (p == NULL)
                        continue;
                    if (only == NULL) {
                        only = p;
                        continue;
                    }
                    if (sum == NULL) {
                        if ((sum = malloc(len * sizeof *sum)) == NULL)
                            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                        s->owned[s->n_owned++] = sum;
                        memcpy(sum, only, s->minutes * sizeof *sum);
                    }
                    for (size_t k = 0; k < s->minutes; k++)
                        sum[k] += p[k];
                }
                double *got = sum != NULL ? sum : only;
                s->axis[a][t][m] = got != NULL ? got : s->zeros;
                if (got != NULL && !s->tier_present[a][t])
                    s->tier_present[a][t] = (unsigned char)any_traffic(got, s->minutes);
            }
    return TP_OK;
}

/* Marks 1 in cov (one byte per window minute) the minutes metric exports cover: per chosen
 * row the spans its exports asked CloudWatch for, or the row's extent when none is recorded
 * (CSV, labels without Start=/End=: an idle minute there cannot be told from a gap). */
static tp_status mark_metric_cover(loader *L, unsigned char *cov, tp_error *err)
{
    const int64_t lo = L->s->from_minute, hi = lo + (int64_t)L->s->minutes;
    store_span *sp = NULL;
    size_t n = 0;
    tp_status rc = TP_OK;
    for (size_t i = 0; i < L->n && rc == TP_OK; i++) {
        const srow *r = &L->rows[i];
        if (!r->used)
            continue;
        free(sp);
        sp = NULL;
        if ((rc = store_spans_get(L->store, r->id, &sp, &n, err)) != TP_OK)
            break;
        for (size_t k = 0; k < (n > 0 ? n : 1); k++) {
            /* a partial minute counts as covered, as in the inventory's coverage */
            int64_t a = n > 0 ? util_floor_div(sp[k].from_s, 60) : r->first;
            int64_t b = n > 0 ? -util_floor_div(-sp[k].to_s, 60) : r->last + r->period_s / 60;
            a = a < lo ? lo : a;
            b = b > hi ? hi : b;
            if (b > a)
                memset(cov + (a - lo), 1, (size_t)(b - a));
        }
    }
    free(sp);
    return rc;
}

/* The part a minute of invocation logs goes to in a family with tiers: logs carry no service
 * tier, and a request that names none is served by the default (Standard) tier. */
static double **default_part(tp_series *s, int m)
{
    switch (s->family) {
    case TP_FAMILY_SERVICE: return &s->part[TP_SERVICE_DEFAULT][TIER_NONE][m];
    case TP_FAMILY_RESOLVED: return &s->part[TIER_NONE][TP_SERVICE_DEFAULT][m];
    case TP_FAMILY_BOTH: return &s->part[TP_SERVICE_DEFAULT][TP_SERVICE_DEFAULT][m];
    case TP_FAMILY_TOTAL: break;
    }
    return NULL;
}

/* Gives the default part of every metric an array of its own (unless it is the total itself,
 * the only part), and any other part that is the total a copy: log minutes are then written
 * to the total and the default part, and to no other tier. */
static tp_status prepare_parts(tp_series *s, tp_error *err)
{
    const size_t len = s->minutes ? s->minutes : 1;
    for (int m = 0; m < TP_METRIC_COUNT && s->family != TP_FAMILY_TOTAL; m++) {
        double **dp = default_part(s, m);
        for (int a = 0; a < TIER_SLOTS; a++)
            for (int b = 0; b < TIER_SLOTS; b++) {
                double **p = &s->part[a][b][m];
                if (*p != s->values[m] || p == dp)
                    continue;
                double *own = malloc(len * sizeof *own);
                if (own == NULL)
                    return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                memcpy(own, *p, s->minutes * sizeof *own);
                s->owned[s->n_owned++] = own;
                *p = own;
            }
        if (*dp == NULL) {
            if ((*dp = calloc(len, sizeof **dp)) == NULL)
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            s->owned[s->n_owned++] = *dp;
        }
    }
    return TP_OK;
}

typedef struct blend_ctx {
    loader *L;
    const unsigned char *cov;
    size_t filled;
} blend_ctx;

/* A minute of log sums: its demand where no metric export covers it and no metric point is
 * (never both sources in one minute). */
static int blend_minute(void *arg, int64_t minute, const store_log_sums *v)
{
    blend_ctx *c = arg;
    tp_series *s = c->L->s;
    const size_t i = (size_t)(minute - s->from_minute);
    if (c->cov[i] != 0 || c->L->has_data[i])
        return 0;
    const double tok[TP_METRIC_COUNT] = {
        [TP_METRIC_INPUT] = (double)v->input_tokens,
        [TP_METRIC_OUTPUT] = (double)v->output_tokens,
        [TP_METRIC_CACHE_READ] = (double)v->cache_read_tokens,
        [TP_METRIC_CACHE_WRITE] = (double)v->cache_write_tokens};
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        double **dp = default_part(s, m);
        s->values[m][i] = tok[m];
        if (dp != NULL && *dp != s->values[m])
            (*dp)[i] = tok[m];
    }
    c->L->has_data[i] = 1;
    c->filled++;
    return 0;
}

/* Appends " + invocation logs (N minutes)" to each metric's sources ("none" is replaced). */
static tp_status describe_blend(tp_series *s, tp_error *err)
{
    char n[NUMFMT_BUF];
    numfmt_count(n, (double)s->log_minutes);
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        strbuf b = {0};
        const int none = strcmp(s->sources[m], "none") == 0; /* no series of this metric */
        sb_printf(&b, "%s%sinvocation logs (%s minute%s)", none ? "" : s->sources[m],
                  none ? "" : " + ", n, s->log_minutes == 1 ? "" : "s");
        free(s->sources[m]);
        s->sources[m] = NULL;
        tp_status rc = sb_finish(&b, &s->sources[m], err);
        if (rc != TP_OK)
            return rc;
    }
    return TP_OK;
}

/* Counts n more minutes at a 60 s period for every metric (the logs' resolution). */
static void tally_log_minutes(tp_series *s, size_t n)
{
    for (int m = 0; m < TP_METRIC_COUNT && n > 0; m++) {
        size_t e = 0;
        while (e < s->n_res[m] && s->res[m][e].period_s != 60)
            e++;
        if (e == s->n_res[m]) {
            if (e == MAX_RES)
                continue;
            memmove(&s->res[m][1], &s->res[m][0], e * sizeof s->res[m][0]);
            e = 0; /* 60 s is the finest period: first */
            s->res[m][0].period_s = 60;
            s->res[m][0].minutes = 0;
            s->n_res[m]++;
        }
        s->res[m][e].minutes += n;
    }
}

/* Per minute of the window, metrics inside their exports' spans, invocation logs elsewhere
 * (when blending), and the runs covered by neither noted in s (docs/model.md, "Metrics or
 * logs"). Before build_axes: the default tier's part receives the log minutes. */
static tp_status blend_and_cover(loader *L, const tp_series_query *q, tp_error *err)
{
    tp_series *s = L->s;
    const int64_t lo = s->from_minute, hi = lo + (int64_t)s->minutes;
    unsigned char *cov = malloc(s->minutes ? s->minutes : 1);
    tp_status rc = TP_OK;
    if (cov == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    memset(cov, 0, s->minutes);
    if ((rc = mark_metric_cover(L, cov, err)) != TP_OK)
        goto cleanup;
    const int64_t la = L->logs_lo > lo ? L->logs_lo : lo, lb = L->logs_hi < hi ? L->logs_hi : hi;
    if (L->has_logs && lb > la) {
        if ((rc = prepare_parts(s, err)) != TP_OK)
            goto cleanup;
        blend_ctx c = {L, cov, 0};
        const store_place at = {q->region, q->account};
        /* log sums are read only where metric exports do not cover: from the first such
         * minute to the last (none when the exports cover the logs' whole extent) */
        int64_t ra = la, rb = lb;
        while (ra < rb && cov[ra - lo] != 0)
            ra++;
        while (rb > ra && cov[rb - 1 - lo] != 0)
            rb--;
        if (rb > ra && (rc = store_log_minutes_at(L->store, q->model, &at, NULL, 0, ra, rb,
                                                  blend_minute, &c, err)) != TP_OK)
            goto cleanup;
        for (int64_t k = la; k < lb; k++) /* the logs' extent: idle where no record is */
            if (cov[k - lo] == 0)
                cov[k - lo] = 2;
        s->log_minutes = c.filled;
        tally_log_minutes(s, c.filled);
        if (c.filled > 0 && (rc = describe_blend(s, err)) != TP_OK)
            goto cleanup;
    }
    for (size_t k = 0; k < s->minutes && rc == TP_OK; k++) {
        if (cov[k] != 0 || L->has_data[k])
            continue;
        size_t e = k + 1;
        while (e < s->minutes && cov[e] == 0 && !L->has_data[e])
            e++;
        rc = series_note_uncovered(s, lo + (int64_t)k, lo + (int64_t)e, err);
        k = e;
    }
cleanup:
    free(cov);
    return rc;
}

tp_status series_note_uncovered(tp_series *s, int64_t from, int64_t to, tp_error *err)
{
    if (to <= from)
        return TP_OK;
    s->uncovered_minutes += to - from;
    if (s->n_uncovered > 0 && s->uncovered[s->n_uncovered - 1].to_minute == from) {
        s->uncovered[s->n_uncovered - 1].to_minute = to;
        return TP_OK;
    }
    tp_window *v = realloc(s->uncovered, (s->n_uncovered + 1) * sizeof *v);
    if (v == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    s->uncovered = v;
    s->uncovered[s->n_uncovered++] = (tp_window){from, to};
    return TP_OK;
}

void series_free_parts(tp_series *s)
{
    for (size_t i = 0; i < s->n_owned; i++)
        free(s->owned[i]);
    s->n_owned = 0;
    s->zeros = NULL;
    memset(s->part, 0, sizeof s->part);
    memset(s->axis, 0, sizeof s->axis);
}

tp_status series_load_metrics(tp_store *st, const tp_series_query *qry, int blend_logs,
                              tp_series **out, tp_error *err)
{
    tp_status rc = TP_OK;
    loader L = {0};
    store_series_info *info = NULL;
    size_t n_info = 0;
    int64_t lo = 0, hi = 0, data_lo = 0, data_hi = 0;
    size_t minutes = 0; /* of the window: the working arrays' length */
    *out = NULL;
    if (qry == NULL || qry->model == NULL)
        return tp_error_set(err, TP_ERR_USAGE, "series: no model given");
    L.store = st;
    if ((L.day = malloc(sizeof *L.day)) == NULL || (L.s = calloc(1, sizeof *L.s)) == NULL ||
        (L.s->model = strdup(qry->model)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = list_rows(&L, qry, &info, &n_info, err)) != TP_OK)
        goto cleanup;
    if (blend_logs && L.n > 0) {
        const store_place at = {qry->region, qry->account};
        int64_t first = 0, last = 0;
        if ((rc = store_log_span_at(st, qry->model, &at, NULL, 0, &L.has_logs, &first, &last,
                                    err)) != TP_OK)
            goto cleanup;
        L.logs_lo = first;
        L.logs_hi = last + 1;
    }
    int family = choose_family(qry, L.rows, L.n, 0, 0, 0);
    choose_rows(qry, family, L.rows, L.n);
    if ((rc = choose_window(&L, qry, &lo, &hi, &data_lo, &data_hi, err)) != TP_OK)
        goto cleanup;
    /* the family is the most detailed one stored in this window: a history stored as a
     * total and later by tier reads each window from what it holds */
    const int in_window = choose_family(qry, L.rows, L.n, 1, lo, hi);
    if (in_window >= 0 && in_window != family)
        choose_rows(qry, family = in_window, L.rows, L.n);
    L.s->family = family >= 0 ? (tp_tier_family)family : TP_FAMILY_TOTAL;
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        if ((rc = describe_sources(L.s, m, L.rows, L.n, err)) != TP_OK)
            goto cleanup;
    L.s->from_minute = lo;
    L.s->minutes = minutes = (size_t)(hi - lo);
    /* the working arrays come from (and go back to) the store handle: a fleet worker loads
     * model after model on one handle, and fresh pages cost a fault and a clear each */
    L.comp = store_buffer_take(st, L.s->minutes * sizeof *L.comp);
    L.comp_period = store_buffer_take(st, L.s->minutes * sizeof *L.comp_period);
    L.res_period = store_buffer_take(st, L.s->minutes * sizeof *L.res_period);
    L.has_data = store_buffer_take(st, L.s->minutes);
    if (L.comp == NULL || L.comp_period == NULL || L.res_period == NULL || L.has_data == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    memset(L.has_data, 0, L.s->minutes);
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        if ((rc = load_metric(&L, m, err)) != TP_OK)
            goto cleanup;
    if ((rc = blend_and_cover(&L, qry, err)) != TP_OK)
        goto cleanup;
    if ((rc = build_axes(L.s, err)) != TP_OK)
        goto cleanup;
    for (size_t k = 0; k < L.s->minutes; k++)
        L.s->minutes_with_data += L.has_data[k];
    if (L.s->minutes_with_data == 0) { /* a window inside the data's span, but in a gap */
        rc = no_data(&L, qry, data_lo, data_hi, err);
        goto cleanup;
    }
    *out = L.s;
    L.s = NULL;
cleanup:
    store_series_list_free(info, n_info);
    free(L.rows);
    free(L.day);
    store_buffer_give(st, L.comp, minutes * sizeof *L.comp);
    store_buffer_give(st, L.comp_period, minutes * sizeof *L.comp_period);
    store_buffer_give(st, L.res_period, minutes * sizeof *L.res_period);
    store_buffer_give(st, L.has_data, minutes);
    tp_series_free(L.s);
    return rc;
}

void tp_series_free(tp_series *s)
{
    if (s == NULL)
        return;
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        free(s->values[m]);
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        free(s->sources[m]);
    series_free_parts(s);
    free(s->model);
    free(s->region);
    free(s->account);
    free(s->ingests);
    free(s->uncovered);
    free(s);
}
