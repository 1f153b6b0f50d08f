/* project_run.c - a projection of several models: the months, the draws they share, the
 * models on worker threads, and the fleet's quantiles from the samples summed over models. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "model/plan_tiers.h"
#include "model/project_internal.h"
#include "store/store_rows.h"
#include "tierplan/timestamp.h"
#include "tierplan/inventory.h"
#include "base/util.h"

#define DAY_MINUTES 1440

/* One entry to project: a model at one place (region "*": the account's regions summed);
 * strings borrowed. only_place: the model has no other place (a plan file entry naming no
 * place applies to it, plan.h). */
typedef struct proj_place {
    const char *model, *region, *account;
    int only_place;
} proj_place;

/* The region filter of a place's readers: NULL (any) where its regions were merged. */
static const char *place_region(const tp_project_model *m)
{
    return strcmp(m->region, "*") == 0 ? NULL : m->region;
}

/* Where the models' demand comes from: memory, or the store (a handle per worker). */
typedef struct job {
    proj_ctx c;
    tp_projection *p;
    const tp_project_input *in; /* in memory, or NULL */
    const tp_project_load *l;   /* else loaded over the days [from, to) of each model's data */
    const int64_t *win_from, *win_to;
    const int *only_place;      /* per model (proj_place) */
    tp_status *rc;              /* per model */
    tp_error *err;
    proj_sums fleet;
} job;

/* A worker's own: its store handle, opened at its first model, and the samples of the model it
 * ran last, until they are added to the fleet's. */
typedef struct worker_ctx {
    tp_store *store;
    proj_sums ps;
    proj_scratch sc; /* arrays reused from one model to the next */
} worker_ctx;

/* Adds a model's samples to the fleet's; only models holding a reservation add to "held". */
static void fleet_add(job *j, const proj_sums *ps, int has_held)
{
    for (int p = 0; p < TP_PROJECT_PLAN_COUNT; p++) {
        if (p == TP_PROJECT_HELD && !has_held)
            continue;
        for (size_t m = 0; m < ps->n_months; m++)
            for (size_t s = 0; s < ps->samples; s++) {
                const double *a = (const double *)proj_fig(ps, p, m, s);
                double *f = (double *)proj_fig(&j->fleet, p, m, s);
                for (size_t k = 0; k < sizeof(tp_project_figures) / sizeof(double); k++)
                    f[k] += a[k];
            }
    }
}

/* Whether minute m of d has demand (a datapoint: CloudWatch omits idle minutes). */
static int minute_has(const tp_demand *d, size_t m)
{
    return d->input_tpm[m] > 0 || d->output_tpm[m] > 0 || d->cache_read_tpm[m] > 0 ||
           d->cache_write_tpm[m] > 0;
}

/* Classifies each day of d (whole days): DAY_WHOLE, DAY_PARTIAL or DAY_UNKNOWN (docs/model.md,
 * "Projection: whole days"). A day an export span touches is whole when spans cover all its
 * minutes; else whole when it has a datapoint and the data reaches within 60 minutes of both
 * its start and its end; partial when it has one but the data does not; unknown without. */
enum { DAY_OUT = 0, DAY_WHOLE, DAY_PARTIAL, DAY_UNKNOWN };
static tp_status classify_days(tp_store *store, const tp_project_model *pm, const tp_demand *d,
                               unsigned char *state, tp_error *err)
{
    const size_t n = d->minutes / DAY_MINUTES;
    int64_t first = -1, last = -1; /* minutes of d with demand */
    for (size_t m = 0; m < d->minutes; m++)
        if (minute_has(d, m)) {
            first = first < 0 ? (int64_t)m : first;
            last = (int64_t)m;
        }
    /* the place's own export spans (another region's never cover its days), read once for
     * every day */
    int known = 0;
    int64_t *covered = malloc((n ? n : 1) * sizeof *covered);
    if (covered == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    tp_status rc = n == 0 ? TP_OK
                          : tp_inventory_coverage_windows_at(store, pm->model, place_region(pm),
                                                             pm->account, d->from_minute,
                                                             DAY_MINUTES, n, covered, &known,
                                                             err);
    for (size_t k = 0; k < n && rc == TP_OK; k++) {
        const int64_t a = (int64_t)(k * DAY_MINUTES), b = a + DAY_MINUTES;
        int any = 0;
        for (int64_t m = a; m < b && !any; m++)
            any = minute_has(d, (size_t)m);
        if (known && covered[k] > 0)
            state[k] = covered[k] == DAY_MINUTES ? DAY_WHOLE : DAY_PARTIAL;
        else if (!any)
            state[k] = DAY_UNKNOWN;
        else
            state[k] = first <= a + 60 && last >= b - 1 - 60 ? DAY_WHOLE : DAY_PARTIAL;
    }
    free(covered);
    return rc;
}

/* The window asked for as whole days [*from_day, *to_day) of the model's, the rolling one
 * anchored at the end of its last whole day; *to_day <= *from_day when it holds none. */
static tp_status window_days(const tp_project_load *l, int64_t last_whole_day,
                             int64_t *from_day, int64_t *to_day, tp_error *err)
{
    tp_series_query w = {0};
    w.has_from = l->has_from, w.has_to = l->has_to;
    w.from_minute = l->from_minute, w.to_minute = l->to_minute;
    if (l->window != NULL && !l->has_from && !l->has_to) {
        tp_series_query q = {0};
        q.window = l->window;
        tp_status rc = tp_series_query_resolve(&q, (last_whole_day + 1) * DAY_MINUTES, &w, err);
        if (rc != TP_OK)
            return rc;
    }
    if (w.has_from) {
        const int64_t f = -util_floor_div(-w.from_minute, DAY_MINUTES); /* rounded up */
        *from_day = f > *from_day ? f : *from_day;
    }
    if (w.has_to) {
        const int64_t t = util_floor_div(w.to_minute, DAY_MINUTES);
        *to_day = t < *to_day ? t : *to_day;
    }
    return TP_OK;
}

/* Model m's history from the store: its data's days classified, the window applied, and d
 * cut to its first to its last whole day in the window; *used (allocated) marks the whole
 * days of d, the others are counted as dropped. */
static tp_status stored_history(job *j, size_t i, tp_store *store, tp_demand *d,
                                tp_tier_demand *td, unsigned char **used, tp_error *err)
{
    tp_project_model *m = &j->p->models[i];
    const int64_t d0 = j->win_from[i] / DAY_MINUTES;
    const size_t n = d->minutes / DAY_MINUTES;
    unsigned char *st = calloc(n ? n : 1, 1);
    int64_t last_whole = -1, lo = -1, hi = -1, from_day = d0, to_day = d0 + (int64_t)n;
    tp_status rc = st == NULL ? tp_error_set(err, TP_ERR_NOMEM, "out of memory")
                              : classify_days(store, m, d, st, err);
    for (size_t k = 0; k < n && rc == TP_OK; k++)
        last_whole = st[k] == DAY_WHOLE ? (int64_t)k : last_whole;
    if (rc == TP_OK && last_whole < 0)
        rc = tp_error_set(err, TP_ERR_NOT_FOUND, "model %s: no whole UTC day of data",
                          m->model);
    if (rc == TP_OK)
        rc = window_days(j->l, d0 + last_whole, &from_day, &to_day, err);
    for (int64_t k = from_day - d0; rc == TP_OK && k < to_day - d0; k++) {
        m->days_dropped_partial += st[k] == DAY_PARTIAL;
        m->days_dropped_unknown += st[k] == DAY_UNKNOWN;
        if (st[k] == DAY_WHOLE) {
            lo = lo < 0 ? k : lo;
            hi = k;
        }
    }
    if (rc == TP_OK && lo < 0)
        rc = tp_error_set(err, TP_ERR_NOT_FOUND,
                          "model %s: no whole UTC day of data in the window", m->model);
    if (rc != TP_OK) {
        free(st);
        return rc;
    }
    for (int64_t k = lo; k <= hi; k++)
        st[k - lo] = st[k] == DAY_WHOLE;
    const size_t off = (size_t)lo * DAY_MINUTES;
    d->input_tpm += off, d->output_tpm += off, d->cache_read_tpm += off;
    d->cache_write_tpm += off;
    d->from_minute += (int64_t)off;
    d->minutes = (size_t)(hi - lo + 1) * DAY_MINUTES;
    *td = plan_tiers_slice(td, off, d->minutes); /* the same days by tier */
    td->from_minute = d->from_minute;
    *used = st;
    return TP_OK;
}

/* Model i's demand: its input, or its whole days loaded from the store. */
static tp_status model_demand(job *j, size_t i, tp_store **store, tp_series **series,
                              tp_demand *d, tp_tier_demand *td, int *has_td,
                              unsigned char **used, tp_error *err)
{
    *used = NULL;
    if (j->in != NULL) {
        *d = j->in[i].demand;
        *td = j->in[i].tiers;
        *has_td = td->minutes > 0;
        return TP_OK;
    }
    tp_status rc;
    if (*store == NULL) {
        tp_store_open_options so = {0};
        so.flags = TP_STORE_READONLY;
        so.busy_timeout_ms = j->l->busy_timeout_ms;
        if ((rc = tp_store_open_with(j->l->db_path, &so, store, err)) != TP_OK)
            return rc;
    }
    tp_series_query q = {0};
    const tp_project_model *m = &j->p->models[i];
    q.model = m->model;
    /* this place only; merged: every region of the account, summed */
    q.account = m->account;
    q.merge_regions = place_region(m) == NULL;
    q.region = place_region(m);
    q.has_from = q.has_to = 1;
    q.from_minute = j->win_from[i];
    q.to_minute = j->win_to[i];
    q.tiers = j->l->tiers;
    q.n_tiers = j->l->n_tiers;
    if ((rc = tp_series_load(*store, &q, series, err)) != TP_OK)
        return rc;
    *d = tp_series_demand(*series);
    *td = tp_series_route_demand(*series);
    *has_td = 1;
    return stored_history(j, i, *store, d, td, used, err);
}

static tp_status model_task(void *arg, void *ctx, size_t i)
{
    job *j = arg;
    worker_ctx *w = ctx;
    tp_project_model *m = &j->p->models[i];
    tp_series *series = NULL;
    tp_demand d;
    tp_tier_demand td;
    int has_td = 0;
    unsigned char *used = NULL;
    const tp_plan_entry pe = tp_plan_file_entry_at(j->c.o->plan, m->model, m->region,
                                                   m->account, j->only_place[i]);
    memset(&w->ps, 0, sizeof w->ps);
    memset(&td, 0, sizeof td);
    tp_error_clear(&j->err[i]);
    j->rc[i] = model_demand(j, i, &w->store, &series, &d, &td, &has_td, &used, &j->err[i]);
    if (j->rc[i] == TP_OK)
        j->rc[i] = proj_model_run_with(&j->c, &d, has_td ? &td : NULL, used, &pe, m, &w->ps,
                                       &w->sc, &j->err[i]);
    tp_series_free(series);
    free(used);
    return j->rc[i];
}

/* The fleet adds models in their order: its sums do not depend on the workers. */
static void model_commit(void *arg, void *ctx, size_t i, tp_status rc)
{
    job *j = arg;
    worker_ctx *w = ctx;
    if (rc == TP_OK)
        fleet_add(j, &w->ps, j->p->models[i].has_held);
    free(w->ps.figs);
    w->ps.figs = NULL;
}

static void worker_done(void *arg, void *ctx)
{
    worker_ctx *w = ctx;
    (void)arg;
    tp_store_close(w->store);
    proj_scratch_free(&w->sc);
}

/* The months from the month holding the minute after the newest minute with data,
 * last_minute (the current month, its observed days and the projected rest; or the start
 * asked for, not before that minute's month: growth does not run backwards), their days, and
 * the map of projected days to months; the days run on `extra` months past the horizon, for
 * a term that does (its reservation is sized on its whole term). */
static tp_status make_months(proj_ctx *c, tp_projection *p, int64_t last_minute, size_t extra,
                             size_t **of, size_t **first, tp_error *err)
{
    const tp_project_options *o = c->o;
    int64_t start_s;
    if (o->has_start) {
        char buf[32], last[TP_TIME_BUF];
        snprintf(buf, sizeof buf, "%04d-%02d-01T00:00:00Z", o->start_year, o->start_month);
        if (o->start_month < 1 || o->start_month > 12 ||
            tp_timestamp_parse(buf, strlen(buf), &start_s, err) != TP_OK)
            return tp_error_set_field(err, TP_ERR_USAGE, "start_month",
                                      "{start_month}: no month %d-%d", o->start_year,
                                      o->start_month);
        tp_timestamp_format(last_minute * 60, last);
        if (start_s < util_month_start(last_minute * 60))
            return tp_error_set_field(err, TP_ERR_USAGE, "start_month",
                                      "{start_month} %.7s is before %.7s, the month of the "
                                      "newest data (%s): a projection starts no earlier",
                                buf, last, last);
    } else {
        start_s = util_month_start((last_minute + 1) * 60);
    }
    const size_t n = (size_t)o->months, ne = n + extra;
    p->months = calloc(n, sizeof *p->months);
    *first = calloc(ne + 1, sizeof **first);
    if (p->months == NULL || *first == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    p->n_months = n;
    for (size_t m = 0; m < n; m++) {
        const int64_t a = util_month_add(start_s, (int)m), b = util_month_add(start_s, (int)m + 1);
        char ts[TP_TIME_BUF];
        tp_timestamp_format(a, ts);
        sscanf(ts, "%4d-%2d", &p->months[m].year, &p->months[m].month);
        p->months[m].days = (int)((b - a) / 86400);
    }
    for (size_t m = 0; m < ne; m++) {
        const int64_t a = util_month_add(start_s, (int)m), b = util_month_add(start_s, (int)m + 1);
        (*first)[m + 1] = (*first)[m] + (size_t)((b - a) / 86400);
    }
    if ((*of = malloc(((*first)[ne] + 1) * sizeof **of)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t m = 0; m < ne; m++)
        for (size_t k = (*first)[m]; k < (*first)[m + 1]; k++)
            (*of)[k] = m;
    c->months = p->months;
    c->n_months = n;
    c->month_of = *of;
    c->month_day = *first;
    return proj_draws_make(&c->draws, c->samples, start_s / 86400, (*first)[ne], o->seed, err);
}

/* The fleet's quantiles from its summed samples. */
static tp_status fleet_cells(job *j, tp_error *err)
{
    tp_projection *p = j->p;
    double *tmp = malloc(j->c.samples * sizeof *tmp);
    p->fleet = calloc(p->n_months * TP_PROJECT_PLAN_COUNT, sizeof *p->fleet);
    if (tmp == NULL || p->fleet == NULL) {
        free(tmp);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < p->n; i++) {
        p->n_held += p->models[i].has_held ? 1 : 0;
        /* the current month's days up to the newest whole day of history: observed (each
         * model's whole days as they were, the rest projected) */
        const int64_t seen = p->models[i].history_to_minute / DAY_MINUTES - j->c.draws.first_day;
        const int days = p->months[0].days;
        const int o = (int)(seen < 0 ? 0 : seen > days ? days : seen);
        p->months[0].observed_days = o > p->months[0].observed_days ? o : p->months[0].observed_days;
    }
    for (size_t m = 0; m < p->n_months; m++)
        for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
            tp_project_cell *cell = &p->fleet[m * TP_PROJECT_PLAN_COUNT + (size_t)pl];
            cell->has = pl != TP_PROJECT_HELD || p->n_held > 0;
            if (cell->has)
                proj_quantiles(&j->fleet, pl, m, cell->q, tmp);
        }
    for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
        p->fleet_totals[pl].has = p->fleet[pl].has;
        if (p->fleet_totals[pl].has)
            proj_total_quantiles(&j->fleet, pl, p->fleet_totals[pl].q, tmp);
    }
    free(tmp);
    return TP_OK;
}

/* Runs every model on o->jobs workers; the first failure in model order is the result. */
static tp_status run_models(job *j, tp_error *err)
{
    tp_projection *p = j->p;
    const size_t nf = TP_PROJECT_PLAN_COUNT * p->n_months * j->c.samples;
    j->rc = calloc(p->n ? p->n : 1, sizeof *j->rc);
    j->err = calloc(p->n ? p->n : 1, sizeof *j->err);
    j->fleet.n_months = p->n_months;
    j->fleet.samples = j->c.samples;
    j->fleet.figs = calloc(nf, sizeof *j->fleet.figs);
    if (j->rc == NULL || j->err == NULL || j->fleet.figs == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const size_t jobs = j->c.o->jobs > 1 ? (size_t)j->c.o->jobs : 1;
    const pool_spec spec = {p->n, jobs, sizeof(worker_ctx), model_task, model_commit,
                            worker_done, j};
    size_t i;
    const tp_status rc = pool_run(&spec, &i, err);
    if (rc != TP_OK)
        return rc;
    if (i < p->n) {
        char prefix[sizeof err->message];
        const tp_project_model *m = &p->models[i];
        if (m->region[0] == '\0' && m->account[0] == '\0') /* as before regions */
            snprintf(prefix, sizeof prefix, "model %s: ", m->model);
        else
            snprintf(prefix, sizeof prefix, "model %s (region %s, account %s): ", m->model,
                     strcmp(m->region, "*") == 0 ? "all (merged)" : tp_store_place_name(m->region),
                     tp_store_place_name(m->account));
        if (err != NULL)
            *err = j->err[i];
        tp_error_prefix(err, prefix);
        return j->rc[i];
    }
    return fleet_cells(j, err);
}

/* The checks and the setup both entry points share, then the run. */
static tp_status project(job *j, const proj_place *pl, const tp_model_price *prices,
                         size_t n, int64_t last_minute, const tp_project_options *o,
                         tp_projection **out, tp_error *err)
{
    size_t *of = NULL, *first = NULL;
    int *only = calloc(n ? n : 1, sizeof *only);
    tp_status rc = TP_OK;
    tp_projection *p = calloc(1, sizeof *p);
    *out = NULL;
    if (p == NULL || only == NULL) {
        free(p);
        free(only);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    j->p = p;
    j->only_place = only;
    j->c.o = &p->options;
    p->options = *o;
    p->samples = j->c.samples = o->samples > 0 ? o->samples : 1000;
    p->seed = o->seed;
    if (j->l != NULL) {
        p->has_load = 1;
        p->load = *j->l;
    }
    if (o->plan_path != NULL &&
        (rc = proj_file_sha256(o->plan_path, p->plan_sha256, err)) != TP_OK)
        goto cleanup;
    if (o->months < 1 || o->months > TP_PROJECT_MAX_MONTHS ||
        p->samples > TP_PROJECT_MAX_SAMPLES ||
        p->samples * (size_t)o->months * 31 > (size_t)20000000) {
        rc = tp_error_set(err, TP_ERR_USAGE,
                          "a projection takes 1 to %d months and 1 to %d samples, samples x days "
                          "at most 20,000,000",
                          TP_PROJECT_MAX_MONTHS, TP_PROJECT_MAX_SAMPLES);
        goto cleanup;
    }
    if ((p->models = calloc(n ? n : 1, sizeof *p->models)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    p->n = n;
    for (size_t i = 0; i < n; i++) {
        p->models[i].price = prices[i];
        only[i] = pl[i].only_place;
        p->models[i].model = strdup(pl[i].model);
        p->models[i].region = strdup(pl[i].region != NULL ? pl[i].region : "");
        p->models[i].account = strdup(pl[i].account != NULL ? pl[i].account : "");
        if (p->models[i].model == NULL || p->models[i].region == NULL ||
            p->models[i].account == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    /* the longest term of any model: the days run on to the end of its last term */
    int tmax = tp_recommend_term_months(&o->rec);
    for (size_t i = 0; i < n; i++) {
        const tp_plan_entry e = tp_plan_file_entry_at(o->plan, pl[i].model, p->models[i].region,
                                                      p->models[i].account, pl[i].only_place);
        tmax = e.has_term_months && e.term_months > tmax ? e.term_months : tmax;
        /* a model sold in units may hold a year's term (its term is chosen as it runs) */
        if (p->models[i].price.provider != TP_PROVIDER_BEDROCK &&
            tmax < PROJ_UNITS_MAX_TERM_MONTHS)
            tmax = PROJ_UNITS_MAX_TERM_MONTHS;
    }
    if ((rc = make_months(&j->c, p, last_minute, (size_t)(tmax > 1 ? tmax - 1 : 0), &of, &first,
                          err)) != TP_OK ||
        (rc = run_models(j, err)) != TP_OK)
        goto cleanup;
    *out = p;
    p = NULL;
cleanup:
    free(of);
    free(first);
    free(only);
    free(j->rc);
    free(j->err);
    free(j->fleet.figs);
    proj_draws_free(&j->c.draws);
    tp_project_free(p);
    return rc;
}

tp_status tp_project_demand(const tp_project_input *in, size_t n, const tp_project_options *o,
                            tp_projection **out, tp_error *err)
{
    job j;
    proj_place *names = calloc(n ? n : 1, sizeof *names);
    tp_model_price *prices = calloc(n ? n : 1, sizeof *prices);
    int64_t last_minute = INT64_MIN;
    tp_status rc = TP_OK;
    memset(&j, 0, sizeof j);
    *out = NULL;
    if (names == NULL || prices == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        const tp_demand *d = &in[i].demand;
        if (d->minutes == 0 || d->minutes % DAY_MINUTES != 0 ||
            util_floor_div(d->from_minute, DAY_MINUTES) * DAY_MINUTES != d->from_minute) {
            rc = tp_error_set(err, TP_ERR_USAGE, "model %s: history is not whole UTC days",
                              in[i].model);
            goto cleanup;
        }
        const tp_tier_demand *td = &in[i].tiers;
        if (td->minutes != 0 && (td->minutes != d->minutes || td->from_minute != d->from_minute)) {
            rc = tp_error_set(err, TP_ERR_USAGE,
                              "model %s: the demand by tier does not cover the demand's minutes",
                              in[i].model);
            goto cleanup;
        }
        const int64_t last = d->from_minute + (int64_t)d->minutes - 1;
        last_minute = last > last_minute ? last : last_minute;
        names[i].model = in[i].model;
        names[i].region = names[i].account = ""; /* in memory: the unknown place */
        names[i].only_place = 1;
        prices[i] = in[i].price;
    }
    if (n == 0) {
        rc = tp_error_set(err, TP_ERR_USAGE, "no model to project");
        goto cleanup;
    }
    j.in = in;
    rc = project(&j, names, prices, n, last_minute, o, out, err);
cleanup:
    free(names);
    free(prices);
    return rc;
}

void tp_project_free(tp_projection *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->models[i].model);
        free(p->models[i].region);
        free(p->models[i].account);
        free(p->models[i].cells);
        free(p->models[i].sample_cost_usd);
    }
    free(p->models);
    free(p->months);
    free(p->fleet);
    free(p);
}

/* Model `model`'s days in the store, [*from_day, *to_day): from the first to the last day a
 * token series of it holds; *end_minute: the end of its newest datapoint. */
static tp_status stored_days(tp_store *store, const proj_place *pl, int64_t *from_day,
                             int64_t *to_day, int64_t *end_minute, tp_error *err)
{
    const char *model = pl->model;
    const char *region = strcmp(pl->region, "*") == 0 ? NULL : pl->region;
    store_series_info *info = NULL;
    size_t ni = 0;
    int any = 0;
    tp_status rc = store_series_list(store, model, &info, &ni, err);
    if (rc != TP_OK)
        return rc;
    for (size_t k = 0; k < ni; k++) {
        int token = 0;
        for (int m = 0; m < TP_METRIC_COUNT; m++)
            token = token || strcmp(info[k].metric, util_metric_names[m]) == 0;
        if (!token || !info[k].has_days || strcmp(info[k].account, pl->account) != 0 ||
            (region != NULL && strcmp(info[k].region, region) != 0))
            continue; /* another place's */
        if (!any || info[k].first_day < *from_day)
            *from_day = info[k].first_day;
        if (!any || info[k].last_day + 1 > *to_day)
            *to_day = info[k].last_day + 1;
        any = 1;
    }
    store_series_list_free(info, ni);
    if (!any)
        return tp_error_set(err, TP_ERR_NOT_FOUND, "model %s: no token data stored", model);
    return tp_inventory_model_end_at(store, model, region, pl->account, end_minute, &any, err);
}

/* Whether place p passes l's filters. */
static int place_wanted(const tp_project_load *l, const tp_store_place *p)
{
    return (l->region == NULL || strcmp(p->region, l->region) == 0) &&
           (l->account == NULL || strcmp(p->account, l->account) == 0);
}

/* Appends model's entries to out (room for every place, plus one): its places in v (sorted by
 * model, account, region) that pass l's filters, an account's regions as one ("*") with
 * merge_regions. A model without a stored place is one entry at the unknown place (so that
 * stored_days names it as before regions); one with places but none wanted is refused, naming
 * them and the filters. */
static tp_status model_places(const tp_project_load *l, const char *model,
                              const tp_store_place *v, size_t n, proj_place *out, size_t *n_out,
                              tp_error *err)
{
    const size_t first = *n_out;
    size_t stored = 0, groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].model, model) != 0)
            continue;
        const int same_group = stored > 0 && l->merge_regions &&
                               strcmp(v[i - 1].account, v[i].account) == 0;
        stored++;
        groups += !same_group;
        if (!place_wanted(l, &v[i]))
            continue;
        proj_place *last = *n_out > first ? &out[*n_out - 1] : NULL;
        if (l->merge_regions && last != NULL && strcmp(last->account, v[i].account) == 0) {
            if (strcmp(last->region, v[i].region) != 0)
                last->region = "*"; /* regions summed, as tp_series_region names them */
            continue;
        }
        out[(*n_out)++] = (proj_place){model, v[i].region, v[i].account, 0};
    }
    if (stored == 0) {
        out[(*n_out)++] = (proj_place){model, "", "", 1};
        return TP_OK;
    }
    if (*n_out == first) {
        char have[256] = "";
        size_t len = 0;
        for (size_t i = 0; i < n && len + 1 < sizeof have; i++)
            if (strcmp(v[i].model, model) == 0)
                len += (size_t)snprintf(have + len, sizeof have - len, "%s(region %s, account %s)",
                                        len > 0 ? ", " : "", tp_store_place_name(v[i].region),
                                        tp_store_place_name(v[i].account));
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "model %s: nothing recorded in region %s, account %s (stored: %s)",
                            model, l->region != NULL ? tp_store_place_name(l->region) : "any",
                            l->account != NULL ? tp_store_place_name(l->account) : "any",
                            have);
    }
    /* a plan file entry without a place applies to a model's only place as stored, whatever
     * the filters: --region does not move a held reservation */
    for (size_t i = first; i < *n_out; i++)
        out[i].only_place = groups <= 1;
    return TP_OK;
}

/* The entries to project: the places of the models asked for, or of every stored model with a
 * wanted place; borrowed from v. A held reservation given for every model (has_held) is
 * bought in one place: a model projected in several is refused, naming them. */
static tp_status project_places(const tp_project_load *l, const tp_project_options *o,
                                const tp_store_place *v, size_t n, proj_place **out,
                                size_t *n_out, tp_error *err)
{
    const size_t room = n + (l->models != NULL ? l->n_models : 0) + 1;
    tp_status rc = TP_OK;
    *n_out = 0;
    if ((*out = calloc(room, sizeof **out)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (l->models != NULL) {
        for (size_t i = 0; i < l->n_models && rc == TP_OK; i++)
            rc = model_places(l, l->models[i], v, n, *out, n_out, err);
    } else {
        for (size_t i = 0; i < n && rc == TP_OK; i++) {
            if (i > 0 && strcmp(v[i].model, v[i - 1].model) == 0)
                continue; /* sorted by model: the first of each lists them all */
            int wanted = 0;
            for (size_t k = i; k < n && strcmp(v[k].model, v[i].model) == 0; k++)
                wanted = wanted || place_wanted(l, &v[k]);
            if (wanted)
                rc = model_places(l, v[i].model, v, n, *out, n_out, err);
        }
        if (rc == TP_OK && *n_out == 0 && n > 0)
            rc = tp_error_set(err, TP_ERR_NOT_FOUND,
                              "no model stored in region %s, account %s",
                              l->region != NULL ? tp_store_place_name(l->region) : "any",
                              l->account != NULL ? tp_store_place_name(l->account) : "any");
    }
    for (size_t i = 1; rc == TP_OK && o->has_held && i < *n_out; i++) {
        if (strcmp((*out)[i].model, (*out)[i - 1].model) != 0)
            continue;
        /* every place of the model, each with its account: the one to pick is among them */
        char places[512] = "";
        size_t used = 0;
        for (size_t k = i - 1; k < *n_out && strcmp((*out)[k].model, (*out)[i].model) == 0;
             k++) {
            int w = snprintf(places + used, sizeof places - used, "%sregion %s, account %s",
                             k > i - 1 ? "; " : "", tp_store_place_name((*out)[k].region),
                             tp_store_place_name((*out)[k].account));
            if (w < 0 || (size_t)w >= sizeof places - used)
                break; /* cut at the last whole place */
            used += (size_t)w;
        }
        places[used] = '\0';
        rc = tp_error_set_field(err, TP_ERR_USAGE, "region",
                                "model %s is stored in several places (%s): a held reservation "
                                "is bought in one; pick it with {region} and {account}, or give "
                                "each place its own in the plan file",
                                (*out)[i].model, places);
    }
    return rc;
}

tp_status tp_project_run(const tp_project_load *l, const tp_project_options *o,
                         tp_projection **out, tp_error *err)
{
    job j;
    tp_store *store = NULL;
    tp_store_place *stored = NULL;
    size_t n_stored = 0, n = 0;
    proj_place *names = NULL;
    tp_model_price *prices = NULL;
    int64_t *win = NULL, last_minute = INT64_MIN;
    tp_status rc;
    tp_store_open_options so = {0};
    memset(&j, 0, sizeof j);
    *out = NULL;
    so.flags = TP_STORE_READONLY;
    so.busy_timeout_ms = l->busy_timeout_ms;
    if ((rc = tp_store_open_with(l->db_path, &so, &store, err)) != TP_OK)
        goto cleanup;
    /* the places holding metric data: a projection reads the token series */
    if ((rc = store_places_of(store, NULL, STORE_PLACES_METRICS, &stored, &n_stored, err)) !=
            TP_OK ||
        (rc = project_places(l, o, stored, n_stored, &names, &n, err)) != TP_OK)
        goto cleanup;
    if (n == 0) {
        rc = tp_error_set(err, TP_ERR_NOT_FOUND, "no model stored");
        goto cleanup;
    }
    prices = calloc(n, sizeof *prices);
    win = calloc(2 * n, sizeof *win);
    if (prices == NULL || win == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t fd = 0, td = 0, end = 0;
        if ((rc = tp_pricing_lookup(l->pricing, names[i].model, &prices[kept], l->warn,
                                    l->warn_ctx, err)) != TP_OK)
            goto cleanup;
        if ((rc = stored_days(store, &names[i], &fd, &td, &end, err)) != TP_OK)
            goto cleanup;
        names[kept] = names[i];
        win[kept] = fd * DAY_MINUTES;
        win[n + kept] = td * DAY_MINUTES;
        last_minute = end - 1 > last_minute ? end - 1 : last_minute;
        kept++;
    }
    if (kept < n) /* j.win_to reads win + n: close the gap */
        memmove(win + kept, win + n, kept * sizeof *win);
    n = kept;
    tp_store_close(store);
    store = NULL;
    j.l = l;
    j.win_from = win;
    j.win_to = win + n;
    if ((rc = project(&j, names, prices, n, last_minute, o, out, err)) == TP_OK)
        (*out)->pricing = l->pricing;
cleanup:
    tp_store_close(store);
    tp_store_places_free(stored, n_stored);
    free(names);
    free(prices);
    free(win);
    return rc;
}
