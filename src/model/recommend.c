/* recommend.c - reservation sizing for one window: candidates, the cost optimum and service
 * levels on the catalog's grid (docs/model.md, "Recommendation"). */
#include "tierplan/recommend.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bigalloc.h"
#include "model/recommend_internal.h"
#include "tierplan/stats.h"

static const char *const basis_names[TP_BASIS_COUNT] = {
    "p25", "p50", "p90", "p99", "optimal", "on_demand", "all_priority", "slo"};

int tp_recommend_term_months(const tp_rec_options *o)
{
    return o->term_months > 0 ? o->term_months : 1;
}

const char *tp_recommend_basis_name(tp_basis b)
{
    return (unsigned)b < TP_BASIS_COUNT ? basis_names[b] : "?";
}

/* Everything one tp_recommend_run searches over. */
typedef struct search {
    const tp_demand *d;
    const tp_rec_options *o;
    const rec_hints *hints; /* or NULL */
    rec_scratch *scr;       /* where t's arrays come from, or NULL (then t owns them) */
    tp_model_price p; /* the catalog entry with the term discount applied */
    int months, coupled;
    rec_terms t;
    rec_grid gi, go;
    rec_buckets bi, bo;
    double *x, *w; /* per-minute scratch of the 1-D solves (search_convex), or NULL */
    rec_kmin_flags kmin; /* smallest grid indices allowed (rec_batch) */
    const double *quota_at; /* per-minute quota left to the spill, or NULL (rec_batch) */
    const tp_tier_demand *tiers; /* d's tiers, read directly, or NULL (rec_batch) */
    tp_route_set tier_set;
    double value_std_usd; /* the demand's on-demand value at Standard (rec_terms_extent) */
} search;

/* k raised to the smallest index allowed. */
static size_t at_least(size_t k, unsigned char kmin, const rec_grid *g)
{
    const size_t lo = kmin < g->n ? kmin : g->n - 1;
    return k > lo ? k : lo;
}

static void search_free(search *s)
{
    rec_scratch_put(s->scr, s->t.e);
    rec_scratch_put(s->scr, s->t.o);
    rec_scratch_put(s->scr, s->t.v_in);
    rec_scratch_put(s->scr, s->t.v_out);
    rec_buckets_free(&s->bi);
    rec_buckets_free(&s->bo);
    free(s->x);
    free(s->w);
}

/* The percentile candidates and "no reservation" do not depend on the optimum: on a second
 * core they are computed while the optimum is searched for. */
typedef struct cand_job {
    const tp_demand *d;
    const tp_model_price *p;
    const tp_rec_options *o;
    const rec_terms *t;
    const rec_grid *gi, *go;
    const rec_hints *hints; /* or NULL */
    int months;
    tp_candidate out[5]; /* p25, p50, p90, p99, on_demand */
    tp_status rc;
    tp_error err;
} cand_job;

/* The percentile candidates' reservations on the grids: from the hints where they apply,
 * else selected here. */
static tp_status percentile_points(cand_job *j, double ri[4], double ro[4])
{
    tp_summary se, so;
    if (rec_hints_apply(j->hints, j->p)) {
        se = j->hints->effective_input;
        so = j->hints->output;
    } else if ((j->rc = tp_stats_summarize(j->t->e, j->t->n, &se, &j->err)) != TP_OK ||
               (j->rc = tp_stats_summarize(j->t->o, j->t->n, &so, &j->err)) != TP_OK) {
        return j->rc;
    }
    const double pe[4] = {se.p25_tpm, se.p50_tpm, se.p90_tpm, se.p99_tpm};
    const double po[4] = {so.p25_tpm, so.p50_tpm, so.p90_tpm, so.p99_tpm};
    /* No REC_GRID_INDEX_OK here: these indices address no array, and a percentile that
     * rounds a hair above the largest demand may legitimately land one past the grid. */
    for (int k = 0; k < 4; k++) {
        ri[k] = rec_gp(j->gi, rec_g_ceil(j->gi, pe[k]));
        ro[k] = rec_gp(j->go, rec_g_ceil(j->go, po[k]));
    }
    return TP_OK;
}

/* The basis of each pass lane: the percentiles and "no reservation", then, in one_pass, the
 * optimum and the service-level pick. */
static const tp_basis lane_basis[7] = {TP_BASIS_P25,       TP_BASIS_P50,     TP_BASIS_P90,
                                       TP_BASIS_P99,       TP_BASIS_ON_DEMAND,
                                       TP_BASIS_OPTIMAL,   TP_BASIS_SLO};

static void *candidates_thread(void *arg)
{
    cand_job *j = arg;
    double ri[5] = {0}, ro[5] = {0};
    tp_error_clear(&j->err);
    if (percentile_points(j, ri, ro) != TP_OK)
        return NULL;
    /* one pass over the minutes for all five */
    j->rc = rec_simulate_candidates(j->d, j->p, j->o, 5, lane_basis, ri, ro, j->months, j->out,
                                    &j->err);
    return NULL;
}

/* Starts the candidates job on another thread when one can be had, else runs it here.
 * Returns 1 when a thread runs (and must be joined). */
static void cand_job_init(cand_job *job, const search *s)
{
    memset(job, 0, sizeof *job);
    job->d = s->d;
    job->p = &s->p;
    job->o = s->o;
    job->t = &s->t;
    job->gi = &s->gi;
    job->go = &s->go;
    job->hints = s->hints;
    job->months = s->months;
}

static int candidates_start(cand_job *job, const search *s, pthread_t *th)
{
    cand_job_init(job, s);
    if (pthread_create(th, NULL, candidates_thread, job) == 0)
        return 1;
    candidates_thread(job);
    return 0;
}

/* The term: its catalog discount scales the reserved prices everywhere below. */
static tp_status search_term(search *s, const tp_model_price *price, tp_recommendation *out,
                             tp_error *err)
{
    if (price->reserved_input_per_1k_tpm_hour_usd < 0 ||
        price->reserved_output_per_1k_tpm_hour_usd < 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "the price catalog has no reserved_per_1k_tpm_hour for \"%s\"",
                            price->entry);
    s->months = tp_recommend_term_months(s->o);
    double discount = 1;
    tp_status rc = rec_apply_term(price, s->months, &s->p, &discount, err);
    if (rc != TP_OK)
        return rc;
    out->term_months = s->months;
    out->term_hours = s->months * TP_HOURS_PER_MONTH;
    out->term_discount = discount;
    return TP_OK;
}

/* Break-even utilization: reserved price of a TPM-hour over the on-demand value of the
 * 60 tokens it serves in that hour, at the window's average mix. */
static void break_even(const tp_model_price *p, double sum_e, double sum_vin,
                       tp_recommendation *out)
{
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    out->break_even_utilization_input =
        sum_e > 0 && sum_vin > 0
            ? (p->reserved_input_per_1k_tpm_hour_usd / 1000.0) / (60.0 * sum_vin / sum_e)
            : NAN;
    out->break_even_utilization_output =
        p->output_per_million_usd > 0
            ? (p->reserved_output_per_1k_tpm_hour_usd / 1000.0) /
                  (60.0 * std_mult * p->output_per_million_usd / 1e6)
            : NAN;
}

/* Per-minute terms at Standard prices (the spill tier enters as one multiplier), the grids
 * covering the largest demand, and the scratch the searches need. */
static tp_status search_init(search *s, tp_recommendation *out, tp_error *err)
{
    const tp_demand *d = s->d;
    const tp_model_price *p = &s->p;
    rec_terms *t = &s->t;
    const size_t n = d->minutes;
    t->e = rec_scratch_get(s->scr, REC_SCR_E, n * sizeof *t->e);
    t->o = rec_scratch_get(s->scr, REC_SCR_O, n * sizeof *t->o);
    t->v_in = rec_scratch_get(s->scr, REC_SCR_V_IN, n * sizeof *t->v_in);
    t->v_out = rec_scratch_get(s->scr, REC_SCR_V_OUT, n * sizeof *t->v_out);
    if (!t->e || !t->o || !t->v_in || !t->v_out)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    rec_terms_extent x;
    if (s->tiers != NULL)
        rec_terms_fill_tiers(t, s->tiers, s->tier_set, p, s->o, &x);
    else
        rec_terms_fill(t, d, p, s->o, &x);
    t->quota_at = s->quota_at;
    tp_status rc;
    if ((rc = rec_grid_init(&s->gi, p->reserved_minimum_input_tpm, p->reserved_step_tpm,
                            x.max_e, err)) != TP_OK ||
        (rc = rec_grid_init(&s->go, p->reserved_minimum_output_tpm, p->reserved_step_tpm,
                            x.max_o, err)) != TP_OK)
        return rc;
    out->grid_input_points = s->gi.n;
    out->grid_output_points = s->go.n;
    s->bi.sw = calloc(s->gi.n, sizeof *s->bi.sw);
    s->bi.swx = calloc(s->gi.n, sizeof *s->bi.swx);
    s->bo.sw = calloc(s->go.n, sizeof *s->bo.sw);
    s->bo.swx = calloc(s->go.n, sizeof *s->bo.swx);
    if (!s->bi.sw || !s->bi.swx || !s->bo.sw || !s->bo.swx)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    break_even(p, x.sum_e, x.sum_vin, out);
    s->value_std_usd = x.sum_vin + x.sum_vout;
    return TP_OK;
}

/* Input grid index of the independent model's optimum: input and output separate into two
 * convex 1-D problems. */
static size_t optimum_input_independent(search *s)
{
    const rec_terms *t = &s->t;
    for (size_t k = 0; k < t->n; k++)
        s->w[k] = t->e[k] > 0 ? t->mult * t->v_in[k] / t->e[k] : 0;
    const size_t a = at_least(rec_solve_1d(&s->gi, &s->bi, t->c_in, t->e, s->w, t->n),
                              s->kmin.i, &s->gi);
    REC_GRID_INDEX_OK(&s->gi, a);
    return a;
}

/* The optimum search, independent model: one 1-D solve per side. */
static void optimum_independent(search *s, double *ri, double *ro)
{
    const rec_terms *t = &s->t;
    *ri = rec_gp(&s->gi, optimum_input_independent(s));
    for (size_t k = 0; k < t->n; k++)
        s->w[k] = t->o[k] > 0 ? t->mult * t->v_out[k] / t->o[k] : 0;
    const size_t c = at_least(rec_solve_1d(&s->go, &s->bo, t->c_out, t->o, s->w, t->n),
                              s->kmin.o, &s->go);
    REC_GRID_INDEX_OK(&s->go, c);
    *ro = rec_gp(&s->go, c);
}

/* The service-level rules (recommend_internal.h): plan.c applies the same ones per window. */
int rec_can_throttle(const tp_rec_options *o)
{
    return o->quota_tpm > 0 || o->spill_to == TP_SPILL_TO_NONE;
}

double rec_throttle_limit(const tp_rec_options *o)
{
    if (!rec_can_throttle(o))
        return INFINITY;
    return o->has_max_throttled_minutes ? (double)o->max_throttled_minutes : 0;
}

double rec_spill_limit(const tp_rec_options *o, size_t n)
{
    return o->has_max_spill_minutes_pct
               ? floor(o->max_spill_minutes_pct / 100.0 * (double)n + 1e-9)
               : INFINITY;
}

/* Smallest input grid index with #{e > gp(index)} <= k_allowed - over_o, where cnt[a] counts
 * the minutes not already spilling on output by the grid index of their e. */
static size_t slo_min_input(const size_t *cnt, size_t n_grid, size_t over_o, double k_allowed)
{
    double left = (double)over_o;
    for (size_t a = n_grid; a-- > 0;) {
        /* minutes with g_ceil(e) > a spill at gp(a) */
        if (a + 1 < n_grid)
            left += (double)cnt[a + 1];
        if (left > k_allowed)
            return a + 1;
    }
    return 0;
}

/* The service-level search: for every output reservation, the smallest input reservation
 * meeting the level, raised to the cost optimum for that output; the cheapest pair wins. */
static tp_status slo_search(search *s, double k_allowed, double *best_i, double *best_o,
                            tp_error *err)
{
    const rec_terms *t = &s->t;
    const rec_grid *gi = &s->gi, *go = &s->go;
    double best = INFINITY;
    size_t *cnt = calloc(gi->n, sizeof *cnt);
    if (cnt == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const size_t opt_i_indep = s->coupled ? 0 : optimum_input_independent(s);
    for (size_t j = at_least(0, s->kmin.o, go); j < go->n; j++) {
        const double ro = rec_gp(go, j);
        size_t over_o = 0;
        memset(cnt, 0, gi->n * sizeof *cnt);
        for (size_t k = 0; k < t->n; k++) {
            if (t->o[k] > ro) {
                over_o++;
            } else if (t->e[k] > 0) {
                const size_t a = rec_g_ceil(gi, t->e[k]);
                REC_GRID_INDEX_OK(gi, a);
                cnt[a]++; /* spills for every grid point below */
            }
        }
        if ((double)over_o > k_allowed)
            continue;
        const size_t need = slo_min_input(cnt, gi->n, over_o, k_allowed);
        const size_t ri_opt = at_least(
            s->coupled ? rec_coupled_inner(t, gi, &s->bi, ro, s->x, s->w) : opt_i_indep,
            s->kmin.i, gi);
        const size_t ri_k = need > ri_opt ? need : ri_opt;
        REC_GRID_INDEX_OK(gi, ri_k);
        const double c = rec_cost_of(t, s->coupled, rec_gp(gi, ri_k), ro);
        if (c < best - 1e-12) {
            best = c;
            *best_i = rec_gp(gi, ri_k);
            *best_o = ro;
        }
    }
    free(cnt);
    if (!isfinite(best))
        return tp_error_set(err, TP_ERR_INVALID,
                            "no reservation on the grid meets the service level");
    return TP_OK;
}

/* The searches where traffic can be throttled (a quota, or nowhere to spill): every point of
 * the surface, with its exact cost and throttled and spill minutes, one output row at a time.
 * The optimum is the cheapest point with at most k_thr throttled minutes; the service-level
 * pick also has at most k_spill spill minutes. Both rank by the cost tp_simulate_run reports. */
static tp_status surface_search(search *s, double k_thr, double k_spill, double opt[2],
                                double slo[2], tp_error *err)
{
    rec_surface *sf = NULL;
    tp_status rc = rec_surface_new(&s->t, &s->gi, &s->go, &sf, err);
    if (rc != TP_OK)
        return rc;
    double best_opt = INFINITY, best_slo = INFINITY;
    for (size_t j = at_least(0, s->kmin.o, &s->go); j < s->go.n; j++) {
        const rec_row row = rec_surface_row(sf, j, k_thr);
        for (size_t a = at_least(row.from, s->kmin.i, &s->gi); a < s->gi.n; a++) {
            const double c = row.cost[a];
            if (c < best_opt - 1e-12) {
                best_opt = c;
                opt[0] = rec_gp(&s->gi, a);
                opt[1] = rec_gp(&s->go, j);
            }
            if ((double)row.spill[a] <= k_spill && c < best_slo - 1e-12) {
                best_slo = c;
                slo[0] = rec_gp(&s->gi, a);
                slo[1] = rec_gp(&s->go, j);
            }
        }
    }
    rec_surface_free(sf);
    /* the largest demand rounded up throttles and spills nothing: never reached */
    if (!isfinite(best_opt) || !isfinite(best_slo))
        return tp_error_set(err, TP_ERR_INVALID,
                            "no reservation on the grid meets the service level");
    return TP_OK;
}

/* The candidates in their fixed order: p25..p99, optimal, on_demand, all_priority; *nc
 * receives their number. The optimum is the one recommended unless a service level is set. */
static tp_status add_candidates(const search *s, const cand_job *job, const double opt[2],
                                const tp_candidate *optimal, tp_recommendation *out,
                                size_t *nc_out, tp_error *err)
{
    size_t nc = 0;
    for (int k = 0; k < 4; k++)
        out->candidates[nc++] = job->out[k];
    out->recommended = nc;
    tp_status rc = TP_OK;
    if (optimal != NULL)
        out->candidates[nc++] = *optimal;
    else
        rc = rec_simulate_candidate(s->d, &s->p, s->o, TP_BASIS_OPTIMAL, opt[0], opt[1],
                                    s->months, &out->candidates[nc++], err);
    if (rc != TP_OK)
        return rc;
    out->candidates[nc++] = job->out[4];
    rec_derive_all_priority(&job->out[4], &s->p, s->months, &out->candidates[nc++]);
    *nc_out = nc;
    return TP_OK;
}

/* The optimum (and service-level pick) without throttling: the exact convex searches. */
static tp_status search_convex(search *s, int slo, double opt[2], double slo_pick[2],
                               double *opt_cost, tp_error *err)
{
    tp_status rc = TP_OK;
    /* the 1-D solves' scratch, only where one runs (not for the coupled optimum alone) */
    if (!s->coupled || slo) {
        s->x = bigalloc(s->t.n * sizeof *s->x);
        s->w = bigalloc(s->t.n * sizeof *s->w);
        if (s->x == NULL || s->w == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    if (!s->coupled)
        optimum_independent(s, &opt[0], &opt[1]);
    else
        rc = rec_optimum_coupled_from(&s->t, &s->gi, &s->go, s->scr, s->kmin, &opt[0],
                                      &opt[1], opt_cost, err);
    if (rc == TP_OK && slo)
        rc = slo_search(s, rec_spill_limit(s->o, s->d->minutes), &slo_pick[0], &slo_pick[1],
                        err);
    return rc;
}

tp_status tp_recommend_run(const tp_demand *d, const tp_model_price *price, const tp_rec_options *o,
                           tp_recommendation *out, tp_error *err)
{
    return rec_run_batch(d, price, o, NULL, out, err);
}

/* After the search, in one pass over the minutes: the percentiles, "no reservation", the
 * optimum and (slo) the service-level pick, into job->out and extra[0], extra[1]. */
static tp_status candidates_one_pass(const search *s, int slo, const double opt[2],
                                     const double slo_pick[2], cand_job *job,
                                     tp_candidate extra[2], tp_error *err)
{
    double ri[7] = {0}, ro[7] = {0};
    tp_candidate c[7];
    cand_job_init(job, s);
    if (percentile_points(job, ri, ro) != TP_OK) {
        if (err != NULL)
            *err = job->err;
        return job->rc;
    }
    ri[5] = opt[0];
    ro[5] = opt[1];
    ri[6] = slo_pick[0];
    ro[6] = slo_pick[1];
    tp_status rc = rec_simulate_candidates(s->d, &s->p, s->o, slo ? 7 : 6, lane_basis, ri, ro,
                                           s->months, c, err);
    if (rc != TP_OK)
        return rc;
    memcpy(job->out, c, 5 * sizeof *c);
    extra[0] = c[5];
    extra[1] = c[slo ? 6 : 5];
    return TP_OK;
}

/* The percentile candidates, joined from their thread (or computed in one pass after the
 * search), then the optimum's and the service level's. */
static tp_status finish_candidates(search *s, int slo, const double opt[2],
                                   const double slo_pick[2], int one_pass, cand_job *job,
                                   tp_recommendation *out, tp_error *err)
{
    tp_candidate extra[2];
    size_t nc = 0;
    tp_status rc = TP_OK;
    if (one_pass && (rc = candidates_one_pass(s, slo, opt, slo_pick, job, extra, err)) != TP_OK)
        return rc;
    if (!one_pass && job->rc != TP_OK) {
        if (err != NULL)
            *err = job->err;
        return job->rc;
    }
    if ((rc = add_candidates(s, job, opt, one_pass ? &extra[0] : NULL, out, &nc, err)) != TP_OK)
        return rc;
    if (slo) {
        if (one_pass)
            out->candidates[nc] = extra[1];
        else if ((rc = rec_simulate_candidate(s->d, &s->p, s->o, TP_BASIS_SLO, slo_pick[0],
                                              slo_pick[1], s->months, &out->candidates[nc],
                                              err)) != TP_OK)
            return rc;
        out->recommended = nc++;
    }
    rec_write_reason(out, s->o, slo, s->d->minutes, &out->candidates[out->recommended]);
    out->n_candidates = nc;
    return TP_OK;
}

tp_status rec_run_batch(const tp_demand *d, const tp_model_price *price,
                        const tp_rec_options *o, const rec_batch *b, tp_recommendation *out,
                        tp_error *err)
{
    tp_status rc = TP_OK;
    search s;
    pthread_t th;
    int threaded = 0; /* the candidates thread runs and must be joined */
    const int one_pass = b != NULL && b->one_pass;
    cand_job job;
    double opt[2] = {0, 0}, slo_pick[2] = {0, 0};
    double opt_cost = NAN; /* the coupled search's own cost of opt, where it gives one */
    memset(&s, 0, sizeof s);
    memset(out, 0, sizeof *out);
    s.d = d;
    s.o = o;
    s.hints = b != NULL ? b->hints : NULL;
    s.scr = b != NULL ? b->scr : NULL;
    s.coupled = o->spill_model == TP_SPILL_COUPLED;
    if (b != NULL) {
        s.kmin = b->kmin;
        s.quota_at = b->quota_at;
        s.tiers = b->tiers;
        s.tier_set = b->tier_set;
    }
    double *points = b != NULL ? b->points : NULL;
    if (d->minutes == 0)
        return tp_error_set(err, TP_ERR_INVALID, "recommend: an empty window");
    if (s.tiers != NULL && (points == NULL || rec_can_throttle(o)))
        return tp_error_set(err, TP_ERR_USAGE, "recommend: a sum of tiers is searched only");
    if (s.tiers == NULL && (rc = sim_demand_check(d, err)) != TP_OK)
        return rc;
    if ((rc = search_term(&s, price, out, err)) != TP_OK ||
        (rc = search_init(&s, out, err)) != TP_OK)
        goto cleanup;
    /* Service level: the cheapest reservation with at most K spill (or throttled) minutes. */
    const int slo = o->has_max_spill_minutes_pct || o->has_max_throttled_minutes ||
                    o->spill_to == TP_SPILL_TO_NONE;
    if (!one_pass && points == NULL)
        threaded = candidates_start(&job, &s, &th);
    if (rec_can_throttle(o)) {
        /* the throttled minutes of traffic not routed count against the same bound */
        const double k_thr = rec_throttle_limit(o) - (b != NULL ? b->thr_offset : 0);
        if (k_thr < 0) {
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "no reservation on the grid meets the service level");
            goto cleanup;
        }
        rc = surface_search(&s, k_thr, rec_spill_limit(o, d->minutes), opt, slo_pick, err);
    } else {
        rc = search_convex(&s, slo, opt, slo_pick, &opt_cost, err);
    }
    if (rc != TP_OK)
        goto cleanup;
    if (points != NULL) { /* the tiered search simulates the points itself */
        points[0] = opt[0];
        points[1] = opt[1];
        points[2] = slo ? slo_pick[0] : opt[0];
        points[3] = slo ? slo_pick[1] : opt[1];
        /* its cost by the search's own reckoning (a ranking, not a figure to report) */
        points[4] = !slo && !isnan(opt_cost) ? opt_cost
                                             : rec_cost_of(&s.t, s.coupled, points[2], points[3]);
        points[5] = s.value_std_usd;
        goto cleanup;
    }
    if (threaded) {
        pthread_join(th, NULL);
        threaded = 0;
    }
    rc = finish_candidates(&s, slo, opt, slo_pick, one_pass, &job, out, err);
cleanup:
    if (threaded)
        pthread_join(th, NULL); /* the thread reads s.t, freed below */
    search_free(&s);
    return rc;
}
