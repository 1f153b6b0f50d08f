/* recommend_tiers.c - sizing by service tier: which requested tiers to route to the
 * reservation and how large it is, the exact optimum over every routing subset
 * (docs/model.md, "Service tiers"). */
#include "tierplan/recommend.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/pool.h"
#include "model/recommend_internal.h"
#include "model/simulate_tiers_internal.h"
#include "model/stats_internal.h"

#define PRI_BIT TP_ROUTE_TIER(TP_SERVICE_PRIORITY)
#define RES_BIT TP_ROUTE_TIER(TP_SERVICE_RESERVED)

/* The routed traffic of one subset, summed, and the quota its spill is left each minute. */
typedef struct routed {
    double *in, *out, *cr, *cw, *quota_at; /* owned; quota_at NULL without a quota */
    tp_demand d;
    double own_thr_minutes; /* minutes where the traffic not routed is over the quota alone */
} routed;

static void routed_free(routed *r)
{
    free(r->in);
    free(r->out);
    free(r->cr);
    free(r->cw);
    free(r->quota_at);
}

static tp_status routed_alloc(routed *r, size_t n, int quota, tp_error *err)
{
    const size_t m = n > 0 ? n : 1;
    memset(r, 0, sizeof *r);
    r->in = malloc(m * sizeof *r->in);
    r->out = malloc(m * sizeof *r->out);
    r->cr = malloc(m * sizeof *r->cr);
    r->cw = malloc(m * sizeof *r->cw);
    if (quota)
        r->quota_at = malloc(m * sizeof *r->quota_at);
    if (!r->in || !r->out || !r->cr || !r->cw || (quota && !r->quota_at))
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

static void routed_fill(routed *r, const tp_tier_demand *d, tp_route_set routed_set,
                        tp_route_set present, const tp_rec_options *o, double out_weight)
{
    tp_sim_options so = {0};
    so.quota_tpm = o->quota_tpm;
    so.spill_to = o->spill_to;
    r->own_thr_minutes = 0;
    for (size_t t = 0; t < d->minutes; t++) {
        double in = 0, out = 0, cr = 0, cw = 0;
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            if (!(routed_set & present & TP_ROUTE_TIER(k)))
                continue;
            in += d->tier[k].input_tpm[t];
            out += d->tier[k].output_tpm[t];
            cr += d->tier[k].cache_read_tpm[t];
            cw += d->tier[k].cache_write_tpm[t];
        }
        r->in[t] = in;
        r->out[t] = out;
        r->cr[t] = cr;
        r->cw[t] = cw;
        if (r->quota_at != NULL) {
            double thr_u;
            const double u = sim_tiers_quota_use(d, routed_set, present, out_weight, t);
            const sim_quota q = sim_tiers_minute_quota(&so, out_weight, u, &thr_u);
            /* < 0: over the quota by itself; 0: nothing left; > 0: what is left */
            r->quota_at[t] = thr_u > 0 && u > 0 ? -1.0 : q.exhausted ? 0.0 : q.quota_tpm;
            r->own_thr_minutes += thr_u > 0 && u > 0;
        }
    }
    const tp_demand dd = {r->in, r->out, r->cr, r->cw, d->minutes, d->from_minute};
    r->d = dd;
}

/* A candidate's rates from its simulation (as recommend_candidates.c's). */
static void rates(tp_candidate *c, const tp_model_price *p, int months)
{
    const tp_sim_result *s = &c->sim;
    const double hours = tp_pricing_rate_hours(p, s->hours); /* per billed hour */
    c->cost_per_hour_usd = s->total_usd / hours;
    c->cost_per_month_usd = c->cost_per_hour_usd * TP_HOURS_PER_MONTH;
    c->cost_per_term_usd = c->cost_per_month_usd * months;
    c->savings_per_month_usd = s->savings_usd / hours * TP_HOURS_PER_MONTH;
    c->reserved_per_hour_usd = s->reserved_usd / hours;
    c->spill_per_hour_usd = (s->spill_usd + s->unrouted_usd) / hours;
    c->on_demand_per_hour_usd = s->baseline_usd / hours;
}

/* The simulation of candidate `basis` at (ri, ro) with `set` routed: its options into *so and
 * its routed set returned. No reservation and all Priority route nothing and everything
 * respectively. */
static tp_route_set candidate_options(const tp_rec_options *o, tp_basis basis, double ri,
                                      double ro, tp_route_set set, tp_sim_options *so)
{
    memset(so, 0, sizeof *so);
    so->reserve_input_tpm = ri;
    so->reserve_output_tpm = ro;
    so->spill_model = o->spill_model;
    so->spill_to = o->spill_to;
    so->quota_tpm = o->quota_tpm;
    if (basis == TP_BASIS_ON_DEMAND) {
        so->spill_to = TP_SPILL_TO_STANDARD;
        set = 0;
    } else if (basis == TP_BASIS_ALL_PRIORITY) {
        so->spill_to = TP_SPILL_TO_PRIORITY; /* everything routed to nothing: all at Priority */
        set = TP_ROUTE_ALL;
    }
    return set;
}

/* Candidate `basis` at (ri, ro) from its tiered simulation r (term applied to its prices). */
static void candidate_fill(const tp_sim_tiers_result *r, const tp_model_price *p,
                           tp_basis basis, double ri, double ro, int months, tp_candidate *c)
{
    memset(c, 0, sizeof *c);
    c->basis = basis;
    c->input_tpm = ri;
    c->output_tpm = ro;
    c->sim = r->sim;
    c->routed_tiers = r->routed;
    memcpy(c->tier, r->tier, sizeof c->tier);
    rates(c, p, months);
}

/* Candidates k < n (basis[k], (ri[k], ro[k]), set[k] routed) simulated by tier at prices p
 * in one pass over the minutes (sim_tiers_run_many), each as a simulation of its own. */
static tp_status tier_candidates(const tp_tier_demand *d, const tp_model_price *p,
                                 const tp_rec_options *o, size_t n, const tp_basis *basis,
                                 const double *ri, const double *ro, const tp_route_set *set,
                                 int months, tp_candidate *c, tp_error *err)
{
    tp_sim_options so[SIM_TIERS_MAX_LANES];
    tp_route_set rs[SIM_TIERS_MAX_LANES];
    tp_sim_tiers_result r[SIM_TIERS_MAX_LANES];
    memset(so, 0, sizeof so);
    memset(rs, 0, sizeof rs);
    if (n > SIM_TIERS_MAX_LANES)
        return tp_error_set(err, TP_ERR_USAGE, "more than %d plans in one pass",
                            SIM_TIERS_MAX_LANES);
    for (size_t k = 0; k < n; k++)
        rs[k] = candidate_options(o, basis[k], ri[k], ro[k], set[k], &so[k]);
    tp_status rc = sim_tiers_run_many(d, p, so, rs, n, r, err);
    if (rc != TP_OK)
        return rc;
    for (size_t k = 0; k < n; k++)
        candidate_fill(&r[k], p, basis[k], ri[k], ro[k], months, &c[k]);
    return TP_OK;
}

/* tier_candidates split into `groups` passes of consecutive candidates, run at once (pool):
 * each pass reads the minutes for its own candidates only, so the split changes no bit. */
typedef struct cand_split {
    const tp_tier_demand *d;
    const tp_model_price *p;
    const tp_rec_options *o;
    size_t n, groups;
    const tp_basis *basis;
    const double *ri, *ro;
    const tp_route_set *set;
    int months;
    tp_candidate *c;
    tp_status rc[SIM_TIERS_MAX_LANES];
    tp_error err[SIM_TIERS_MAX_LANES];
} cand_split;

static tp_status cand_split_task(void *arg, void *ctx, size_t g)
{
    cand_split *s = arg;
    (void)ctx;
    const size_t from = s->n * g / s->groups, to = s->n * (g + 1) / s->groups;
    s->rc[g] = tier_candidates(s->d, s->p, s->o, to - from, s->basis + from, s->ri + from,
                               s->ro + from, s->set + from, s->months, s->c + from, &s->err[g]);
    return s->rc[g];
}

static tp_status tier_candidates_split(const tp_tier_demand *d, const tp_model_price *p,
                                       const tp_rec_options *o, size_t n, const tp_basis *basis,
                                       const double *ri, const double *ro,
                                       const tp_route_set *set, int months, size_t threads,
                                       tp_candidate *c, tp_error *err)
{
    /* a group per thread, and never more plans in one pass than it has lanes */
    size_t groups = threads < n ? threads : n;
    if (groups > SIM_TIERS_MAX_LANES) /* the groups' status slots */
        groups = SIM_TIERS_MAX_LANES;
    if (groups * SIM_TIERS_MAX_LANES < n)
        groups = (n + SIM_TIERS_MAX_LANES - 1) / SIM_TIERS_MAX_LANES;
    cand_split s = {d, p, o, n, groups, basis, ri, ro, set, months, c, {TP_OK}, {{0}}};
    if (s.groups <= 1)
        return tier_candidates(d, p, o, n, basis, ri, ro, set, months, c, err);
    const size_t workers = threads < s.groups ? (threads > 0 ? threads : 1) : s.groups;
    const pool_spec spec = {s.groups, workers, 0, cand_split_task, NULL, NULL, &s};
    size_t failed = s.groups;
    tp_status rc = pool_run(&spec, &failed, err);
    if (rc == TP_OK && failed < s.groups) {
        rc = s.rc[failed];
        if (err != NULL)
            *err = s.err[failed];
    }
    return rc;
}

/* Whether plan c meets the service level: throttled minutes, and for a service-level pick the
 * spill minutes (no reservation counts every minute with traffic as spilling, as
 * tp_recommend_run's "no reservation" does). */
static int meets(const tp_candidate *c, const tp_rec_options *o, int slo, double spill_minutes)
{
    if ((double)c->sim.throttled_minutes > rec_throttle_limit(o))
        return 0;
    return !slo || spill_minutes <= rec_spill_limit(o, c->sim.minutes);
}

/* The search state across subsets. */
typedef struct tiers_run {
    const tp_tier_demand *d;
    const tp_model_price *price; /* the catalog's */
    tp_model_price p;            /* the term applied */
    const tp_rec_options *o;
    int months, slo;
    size_t threads; /* at most at once */
    tp_route_set present;
    rec_scratch scr;   /* the chosen subset's effective input and output, for its percentiles */
    tp_candidate best; /* the cheapest reservation so far (with a service level: meeting it) */
    int have_best;
    /* with a service level, the cheapest reservation whatever its spill minutes (throttling
     * still bounded): the "optimal" candidate, as tp_recommend_run's */
    tp_candidate best_opt;
    int have_best_opt;
    tp_route_set best_set;
    /* the percentile candidates of subset pct_set, simulated beside the subsets' points
     * (have_pct), for the subset the searches' own costs rank first: the chosen one unless
     * two subsets cost the same to within rounding */
    tp_candidate pct[4];
    tp_route_set pct_set;
    int have_pct;
} tiers_run;

/* a costs less than b beyond rounding (a tie keeps the subset found first) */
static int cheaper(const tp_candidate *a, const tp_candidate *b)
{
    return a->sim.total_usd < b->sim.total_usd - 1e-12 * fabs(b->sim.total_usd);
}

/* The most subsets searched: every subset of priority, default and flex, reserved always. */
#define MAX_SUBSETS 8

/* The percentiles of a subset's effective input (task 0) and output (task 1). */
typedef struct pct_job {
    double *v[2]; /* summarised in place (their keys written over them) */
    size_t n;
    tp_summary sum[2];
    tp_status rc[2];
    tp_error err[2];
} pct_job;

static tp_status pct_task(void *arg, void *ctx, size_t i)
{
    pct_job *j = arg;
    (void)ctx;
    /* the arrays are pct_points' own scratch, rewritten before each use: no sort copy */
    j->rc[i] = stats_summarize_in_place(j->v[i], j->n, &j->sum[i], &j->err[i]);
    return j->rc[i];
}

/* The percentile candidates' points of subset `set` (P25, P50, P90, P99); a percentile that
 * rounds to 0 on one side only is raised to that side's minimum (the joint rule). They are
 * tp_recommend_run's percentile candidates of the subset's sum (no service level, no quota):
 * the percentiles of its effective input and output on the grids its search used, taken
 * here without running that search again. */
static tp_status pct_points(tiers_run *x, tp_route_set set, double ri[4], double ro[4],
                            tp_error *err)
{
    const size_t n = x->d->minutes;
    /* the effective input as rec_terms_fill computes it and the output, of the routed sums
     * added as routed_fill adds them (from 0, in tier order), the sums never written out */
    double *e = rec_scratch_get(&x->scr, REC_SCR_E, n * sizeof *e);
    double *o = rec_scratch_get(&x->scr, REC_SCR_O, n * sizeof *o);
    if (e == NULL || o == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const tp_demand *tier[TP_SERVICE_COUNT];
    int n_tiers = 0;
    for (int k = 0; k < TP_SERVICE_COUNT; k++)
        if (set & x->present & TP_ROUTE_TIER(k))
            tier[n_tiers++] = &x->d->tier[k];
    double max_e = 0, max_o = 0;
    for (size_t k = 0; k < n; k++) {
        double in = 0, ou = 0, cr = 0, cw = 0;
        for (int q = 0; q < n_tiers; q++) {
            in += tier[q]->input_tpm[k];
            ou += tier[q]->output_tpm[k];
            cr += tier[q]->cache_read_tpm[k];
            cw += tier[q]->cache_write_tpm[k];
        }
        e[k] = tp_simulate_burn_down_tpm(in, cr, cw, x->p.burn_down_cache_read,
                                         x->p.burn_down_cache_write);
        o[k] = ou;
        max_e = e[k] > max_e ? e[k] : max_e;
        max_o = o[k] > max_o ? o[k] : max_o;
    }
    rec_grid gi, go;
    tp_status rc;
    pct_job pj;
    memset(&pj, 0, sizeof pj);
    pj.v[0] = e;
    pj.v[1] = o;
    pj.n = n;
    const pool_spec spec = {2, x->threads, 0, pct_task, NULL, NULL, &pj};
    size_t failed = 2;
    if ((rc = rec_grid_init(&gi, x->p.reserved_minimum_input_tpm, x->p.reserved_step_tpm, max_e,
                            err)) != TP_OK ||
        (rc = rec_grid_init(&go, x->p.reserved_minimum_output_tpm, x->p.reserved_step_tpm,
                            max_o, err)) != TP_OK ||
        (rc = pool_run(&spec, &failed, err)) != TP_OK)
        return rc;
    if (failed < 2) {
        if (err != NULL)
            *err = pj.err[failed];
        return pj.rc[failed];
    }
    const tp_summary se = pj.sum[0], so = pj.sum[1];
    const double pe[4] = {se.p25_tpm, se.p50_tpm, se.p90_tpm, se.p99_tpm};
    const double po[4] = {so.p25_tpm, so.p50_tpm, so.p90_tpm, so.p99_tpm};
    const double min_i = x->p.reserved_minimum_input_tpm, min_o = x->p.reserved_minimum_output_tpm;
    for (size_t k = 0; k < 4; k++) {
        /* a percentile that rounds a hair above the largest demand may land one past the
         * grid, as tp_recommend_run's may */
        ri[k] = rec_gp(&gi, rec_g_ceil(&gi, pe[k]));
        ro[k] = rec_gp(&go, rec_g_ceil(&go, po[k]));
        if ((ri[k] == 0) != (ro[k] == 0) && (min_i > 0 || min_o > 0)) {
            ri[k] = ri[k] > min_i ? ri[k] : min_i;
            ro[k] = ro[k] > min_o ? ro[k] : min_o;
        }
    }
    return TP_OK;
}

static const tp_basis pct_basis[4] = {TP_BASIS_P25, TP_BASIS_P50, TP_BASIS_P90, TP_BASIS_P99};

/* The percentile candidates of the chosen subset, simulated by tier, into out's candidates
 * from *nc on: those simulated beside the subsets' points when the subset guessed there is
 * the one chosen (search_subsets), else simulated now. */
static tp_status percentiles(tiers_run *x, tp_recommendation *out, size_t *nc, tp_error *err)
{
    if (x->have_pct && x->pct_set == x->best_set) {
        memcpy(&out->candidates[*nc], x->pct, sizeof x->pct);
        *nc += 4;
        return TP_OK;
    }
    double ri[4], ro[4];
    const tp_route_set set[4] = {x->best_set, x->best_set, x->best_set, x->best_set};
    tp_status rc = pct_points(x, x->best_set, ri, ro, err);
    if (rc == TP_OK)
        rc = tier_candidates_split(x->d, &x->p, x->o, 4, pct_basis, ri, ro, set, x->months,
                                   x->threads, &out->candidates[*nc], err);
    if (rc == TP_OK)
        *nc += 4;
    return rc;
}

/* One subset's exact search, on whichever worker takes it: its point (0 on both sides when
 * none), or why none. */
typedef struct subset_job {
    tp_route_set set;
    tp_status rc;
    tp_error err;
    int none;      /* no size of this subset meets the service level */
    /* opt (ri, ro), slo (ri, ro), the search's cost of the point simulated, the routed
     * traffic's on-demand value at Standard (rec_batch.points) */
    double pts[6];
    size_t grid_input_points, grid_output_points;
    double break_even_input, break_even_output;
} subset_job;

/* The search phase: each subset's search a task; then, in one pass, the subsets' points, the
 * percentile candidates of the subset guessed cheapest and the plans that depend on no search
 * (no reservation, all Priority, every minute spilling: base). */
typedef struct subsets {
    tiers_run *x;
    size_t n_sets;
    subset_job job[MAX_SUBSETS];
    /* the subsets' points simulated, in subset order; with a service level also each
     * subset's optimum where it differs from its service-level point; then the percentile
     * candidates of the subset guessed cheapest, and base's plans */
    tp_candidate cand[2 * MAX_SUBSETS + 4 + 3];
    pthread_t caller; /* the thread that runs the pool (its worker's buffers: x->scr) */
} subsets;

/* A worker's buffers, kept across the subsets it searches: its routed sums and the search's
 * per-minute arrays (a year's, some 50 MB, mapped once per worker rather than per subset). */
typedef struct subset_worker {
    routed r;
    int have_r;
    rec_scratch scr;
    tp_recommendation probe;
} subset_worker;

/* Task i: subset i's exact search on its routed sum (pool task). */
static tp_status subset_task(void *arg, void *ctx, size_t task)
{
    subsets *all = arg;
    subset_worker *w = ctx;
    const tiers_run *x = all->x;
    subset_job *j = &all->job[task];
    const tp_rec_options *o = x->o;
    const tp_model_price *pr = x->price;
    rec_batch b = {.one_pass = 1, .points = j->pts, .scr = &w->scr};
    tp_demand sum = {NULL, NULL, NULL, NULL, x->d->minutes, x->d->from_minute};
    if (rec_can_throttle(o)) {
        /* the quota search reads the routed minutes themselves, and the quota left to them */
        if (!w->have_r) {
            if ((j->rc = routed_alloc(&w->r, x->d->minutes, o->quota_tpm > 0, &j->err)) !=
                TP_OK)
                return j->rc;
            w->have_r = 1;
        }
        routed_fill(&w->r, x->d, j->set, x->present, o, pr->quota_output_weight);
        b.quota_at = w->r.quota_at;
        b.thr_offset = w->r.own_thr_minutes;
        sum = w->r.d;
    } else {
        /* the search reads the routed tiers directly, their sum never written out */
        b.tiers = x->d;
        b.tier_set = j->set & x->present;
    }
    /* the joint minimum (0 on both sides or at least the minimum on both): 0 is compared
     * apart as no reservation; with priority routed a zero input reservation only moves
     * Priority traffic to Standard, which is no reservation's business either */
    b.kmin.i = pr->reserved_minimum_input_tpm > 0 || (j->set & x->present & PRI_BIT) ? 1 : 0;
    b.kmin.o = pr->reserved_minimum_output_tpm > 0 ? 1 : 0;
    j->rc = rec_run_batch(&sum, pr, o, &b, &w->probe, &j->err);
    if (j->rc == TP_ERR_INVALID && strstr(j->err.message, "service level") != NULL) {
        j->none = 1; /* no size of this subset meets it */
        j->rc = TP_OK;
    }
    j->grid_input_points = w->probe.grid_input_points;
    j->grid_output_points = w->probe.grid_output_points;
    j->break_even_input = w->probe.break_even_utilization_input;
    j->break_even_output = w->probe.break_even_utilization_output;
    return j->rc;
}

static void subset_worker_done(void *arg, void *ctx)
{
    subset_worker *w = ctx;
    subsets *all = arg;
    routed_free(&w->r);
    /* the calling thread's buffers, pages already mapped, go on to its percentiles
     * (pct_points) rather than back to the kernel; only that thread touches x->scr */
    if (pthread_equal(pthread_self(), all->caller) && all->x->scr.p[REC_SCR_E] == NULL) {
        rec_scratch_free(&all->x->scr); /* empty: nothing else is kept there before */
        all->x->scr = w->scr;
        memset(&w->scr, 0, sizeof w->scr);
        /* the percentiles read e and o only: the spill terms and the coupled search's minutes
         * are not held beside their sort copies */
        rec_scratch_drop(&all->x->scr, REC_SCR_V_IN);
        rec_scratch_drop(&all->x->scr, REC_SCR_V_OUT);
        rec_scratch_drop(&all->x->scr, REC_SCR_MINUTES);
    }
    rec_scratch_free(&w->scr);
}

/* How many subsets are searched at once: one per processor, at most one per subset. */
static size_t subset_threads(size_t n_subsets)
{
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    const size_t k = n > 1 ? (size_t)n : 1;
    return k < n_subsets ? k : n_subsets;
}

/* The subset chosen when no reservation of any subset is simulated (rec_tiers_run). */
static tp_route_set fallback_set(const tiers_run *x)
{
    return x->o->route_tiers != 0 ? (x->o->route_tiers | RES_BIT)
                                  : (RES_BIT | TP_ROUTE_TIER(TP_SERVICE_DEFAULT));
}

/* The routed traffic's on-demand value at Standard of the subset routing `set`, from its
 * search (0 for a subset with no traffic, which is not searched). */
static double value_of(const subsets *all, tp_route_set set)
{
    for (size_t i = 0; i < all->n_sets; i++)
        if (all->job[i].set == set)
            return all->job[i].pts[5];
    return 0;
}

/* The subset whose point the searches' own costs rank cheapest, ties to the first as in the
 * fold of search_subsets; fallback_set when no subset has a point. The tiers a subset does
 * not route are counted at their own prices: tier k's value at Standard, that of every tier
 * routed less that of every tier but k, times its price tier's input and output prices over
 * Standard's. A guess: a rounding, or prices per tier far from a multiple of Standard's, may
 * rank two subsets otherwise than their simulations. */
static tp_route_set guess_set(const tiers_run *x, const subsets *all, const size_t *lane_of)
{
    const tp_route_set every = (x->present & ~RES_BIT) | RES_BIT;
    const double *std_usd = x->p.tier_per_million_usd[TP_TIER_STANDARD];
    const double std_sum = std_usd[TP_METRIC_INPUT] + std_usd[TP_METRIC_OUTPUT];
    double own_usd[TP_SERVICE_COUNT] = {0}; /* tier k's traffic at its own prices, estimated */
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        if (!(x->present & TP_ROUTE_TIER(k)) || k == TP_SERVICE_RESERVED || all->n_sets < 2)
            continue;
        const double *t = x->p.tier_per_million_usd[tp_simulate_tier_price((tp_service_tier)k)];
        const double ratio =
            std_sum > 0 ? (t[TP_METRIC_INPUT] + t[TP_METRIC_OUTPUT]) / std_sum : 1;
        own_usd[k] = ratio * (value_of(all, every) - value_of(all, every & ~TP_ROUTE_TIER(k)));
    }
    double best = 0;
    tp_route_set best_set = fallback_set(x);
    int have = 0;
    for (size_t i = 0; i < all->n_sets; i++) {
        if (lane_of[i] == SIZE_MAX)
            continue;
        const subset_job *j = &all->job[i];
        double c = j->pts[4];
        for (int k = 0; k < TP_SERVICE_COUNT; k++)
            if (!(j->set & TP_ROUTE_TIER(k)))
                c += own_usd[k];
        if (!have || c < best - 1e-12 * fabs(best)) {
            best = c;
            best_set = j->set;
            have = 1;
        }
    }
    return best_set;
}

/* The subsets' searches on up to `threads` workers (each exact on its own sum); then, in
 * passes of several plans each, the subsets' points, the percentile candidates of the subset
 * guessed cheapest (x->pct) and the plans that do not depend on any search (no reservation,
 * all Priority, every minute spilling: base[0..2]), simulated by tier; all folded in subset
 * order, as one subset after another would be. */
static tp_status search_subsets(tiers_run *x, const tp_route_set *sets, size_t n_sets,
                                size_t threads, tp_candidate base[3], tp_recommendation *out,
                                tp_error *err)
{
    subsets *all = calloc(1, sizeof *all);
    if (all == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    all->x = x;
    all->n_sets = n_sets;
    all->caller = pthread_self();
    for (size_t i = 0; i < n_sets; i++)
        all->job[i].set = sets[i];
    const pool_spec spec = {n_sets, threads, sizeof(subset_worker), subset_task, NULL,
                            subset_worker_done, all};
    size_t failed = n_sets;
    tp_status rc = pool_run(&spec, &failed, err);
    if (rc != TP_OK)
        goto cleanup;
    if (failed < n_sets) {
        rc = all->job[failed].rc;
        if (err != NULL)
            *err = all->job[failed].err;
        goto cleanup;
    }
    /* the subsets' points, simulated by tier in passes of several plans each */
    tp_basis basis[2 * MAX_SUBSETS + 4 + 3];
    double ri[2 * MAX_SUBSETS + 4 + 3], ro[2 * MAX_SUBSETS + 4 + 3];
    tp_route_set set[2 * MAX_SUBSETS + 4 + 3];
    size_t lane_of[MAX_SUBSETS], lane_opt[MAX_SUBSETS], n = 0;
    int apart[MAX_SUBSETS];
    for (size_t i = 0; i < n_sets; i++) {
        const subset_job *j = &all->job[i];
        lane_of[i] = lane_opt[i] = SIZE_MAX;
        apart[i] = 0;
        if (j->none)
            continue; /* no size of this subset meets the service level */
        const double pi = x->slo ? j->pts[2] : j->pts[0], po = x->slo ? j->pts[3] : j->pts[1];
        /* with a service level, the subset's optimum too, where it is another point */
        apart[i] = j->pts[0] != pi || j->pts[1] != po;
        if (x->slo && apart[i] && (j->pts[0] != 0 || j->pts[1] != 0)) {
            basis[n] = TP_BASIS_OPTIMAL;
            ri[n] = j->pts[0];
            ro[n] = j->pts[1];
            set[n] = j->set;
            lane_opt[i] = n++;
        }
        if (pi == 0 && po == 0)
            continue; /* no reservation: compared apart */
        basis[n] = x->slo ? TP_BASIS_SLO : TP_BASIS_OPTIMAL;
        ri[n] = pi;
        ro[n] = po;
        set[n] = j->set;
        lane_of[i] = n++;
    }
    /* The chosen subset's percentile candidates ride in the same pass, a pass of their own
     * saved, when the subset can be told beforehand: the one the searches' own costs rank
     * first, with what the tiers not routed pay (guess_set), folded as the simulated costs
     * are below. Each plan of a pass is simulated as on its own, so the
     * guess changes no figure: where it misses (two subsets within rounding of each other),
     * percentiles() simulates the chosen subset's after all. */
    const size_t n_points = n;
    const tp_route_set pset = guess_set(x, all, lane_of);
    double pri[4], pro[4];
    tp_error pct_err;
    const tp_status pct_rc = pct_points(x, pset, pri, pro, &pct_err);
    if (pct_rc == TP_ERR_NOMEM) { /* as percentiles() would fail, the guess right or not */
        rc = pct_rc;
        if (err != NULL)
            *err = pct_err;
        goto cleanup;
    }
    /* another failure (a grid too fine for the guessed subset's demand) is the chosen
     * subset's to report, if it is that one: percentiles() runs it again */
    const int spec_pct = pct_rc == TP_OK;
    if (spec_pct) {
        for (size_t k = 0; k < 4; k++) {
            basis[n] = pct_basis[k];
            ri[n] = pri[k];
            ro[n] = pro[k];
            set[n++] = pset;
        }
    }
    /* The plans that depend on no search: no reservation, all Priority and every minute
     * spilling (read for its spill minutes alone, by a service level's "no reservation":
     * without one it is not simulated, and base[2] stays zero). */
    const size_t n_base = x->slo ? 3 : 2, at_base = n;
    const tp_basis base_basis[3] = {TP_BASIS_ON_DEMAND, TP_BASIS_ALL_PRIORITY, TP_BASIS_OPTIMAL};
    const tp_route_set base_set[3] = {0, 0, TP_ROUTE_ALL};
    for (size_t k = 0; k < n_base; k++) {
        basis[n] = base_basis[k];
        ri[n] = ro[n] = 0;
        set[n++] = base_set[k];
    }
    if ((rc = tier_candidates_split(x->d, &x->p, x->o, n, basis, ri, ro, set, x->months,
                                    x->threads, all->cand, err)) != TP_OK)
        goto cleanup;
    memcpy(base, &all->cand[at_base], n_base * sizeof *base);
    if (spec_pct) {
        memcpy(x->pct, &all->cand[n_points], sizeof x->pct);
        x->pct_set = pset;
        x->have_pct = 1;
    }
    for (size_t i = 0; i < n_sets; i++) {
        const subset_job *j = &all->job[i];
        if (lane_opt[i] != SIZE_MAX &&
            (!x->have_best_opt || cheaper(&all->cand[lane_opt[i]], &x->best_opt))) {
            x->best_opt = all->cand[lane_opt[i]];
            x->have_best_opt = 1;
        }
        if (lane_of[i] == SIZE_MAX)
            continue;
        const tp_candidate *ci = &all->cand[lane_of[i]];
        if (x->slo && !apart[i] && (!x->have_best_opt || cheaper(ci, &x->best_opt))) {
            x->best_opt = *ci;
            x->have_best_opt = 1;
        }
        if (out->n_routes < sizeof out->routes / sizeof out->routes[0]) {
            tp_route_option *ro_ = &out->routes[out->n_routes++];
            ro_->routed = ci->routed_tiers;
            ro_->input_tpm = ci->input_tpm;
            ro_->output_tpm = ci->output_tpm;
            ro_->total_usd = ci->sim.total_usd;
            ro_->savings_usd = ci->sim.savings_usd;
        }
        if (!x->have_best || cheaper(ci, &x->best)) {
            x->best = *ci;
            x->best_set = j->set;
            x->have_best = 1;
        }
        out->grid_input_points = j->grid_input_points;
        out->grid_output_points = j->grid_output_points;
        out->break_even_utilization_input = j->break_even_input;
        out->break_even_utilization_output = j->break_even_output;
    }
cleanup:
    free(all);
    return rc;
}

/* Short on purpose: the text and JSON name the catalog's source and date beside it, and a
 * source quoted here was cut at the buffer's end. The entry's key (at most 255 bytes) and the
 * rest fit the 512-byte reason whole. */
static void not_offered_reason(tp_recommendation *out, const tp_rec_options *o,
                               const tp_model_price *p)
{
    tp_error e;
    tp_error_set_field(&e, TP_OK, NULL,
                       "the Reserved tier is not offered for this model (catalog entry \"%s\"): "
                       "no reservation; {assume_offered} explores one",
                       p->entry);
    tp_error_rename(&e, o->field_name, o->field_name_ctx, out->reason, sizeof out->reason);
}

tp_status tp_recommend_tiers_run(const tp_tier_demand *d, const tp_model_price *price,
                                 const tp_rec_options *o, tp_recommendation *out, tp_error *err)
{
    return rec_tiers_run(d, price, o, subset_threads(MAX_SUBSETS), out, err);
}

tp_status rec_tiers_run(const tp_tier_demand *d, const tp_model_price *price,
                        const tp_rec_options *o, size_t threads, tp_recommendation *out,
                        tp_error *err)
{
    tiers_run x;
    tp_candidate base[3]; /* no reservation, all Priority, every minute spilling */
    const tp_candidate *nores = &base[0], *allp = &base[1], *all_spill = &base[2];
    size_t nc = 0;
    memset(&x, 0, sizeof x);
    memset(base, 0, sizeof base);
    memset(out, 0, sizeof *out);
    x.d = d;
    x.price = price;
    x.o = o;
    if (threads == 0) /* one per processor */
        threads = subset_threads(MAX_SUBSETS);
    x.threads = threads;
    x.slo = o->has_max_spill_minutes_pct || o->has_max_throttled_minutes ||
            o->spill_to == TP_SPILL_TO_NONE;
    out->tiered = 1;
    out->offered = price->reserved_offered;
    if (d->minutes == 0)
        return tp_error_set(err, TP_ERR_INVALID, "recommend: an empty window");
    tp_status rc = sim_tiers_check(d, price, &x.present, err);
    if (rc != TP_OK)
        return rc;
    out->present = x.present;
    const int has_reserved_prices = price->reserved_input_per_1k_tpm_hour_usd >= 0 &&
                                    price->reserved_output_per_1k_tpm_hour_usd >= 0;
    if (!price->reserved_offered && o->assume_offered && !has_reserved_prices)
        return tp_error_set_field(err, TP_ERR_USAGE, "assume_offered",
                                  "{assume_offered}: the catalog entry \"%s\" has no reserved "
                                  "prices to explore a reservation with (reserved_per_1k_tpm_hour)",
                                  price->entry);
    const int search = price->reserved_offered || o->assume_offered;
    out->assumed_offered = !price->reserved_offered && o->assume_offered;
    x.months = tp_recommend_term_months(o);
    double discount = 1;
    if (search || has_reserved_prices) {
        if (!has_reserved_prices)
            return tp_error_set(err, TP_ERR_INVALID,
                                "the price catalog has no reserved_per_1k_tpm_hour for \"%s\"",
                                price->entry);
        if ((rc = rec_apply_term(price, x.months, &x.p, &discount, err)) != TP_OK)
            return rc;
    } else {
        x.p = *price;
    }
    out->term_months = x.months;
    out->term_hours = x.months * TP_HOURS_PER_MONTH;
    out->term_discount = discount;
    out->break_even_utilization_input = out->break_even_utilization_output = NAN;
    /* no reservation, all Priority, and every minute with traffic as spilling (for the
     * service level's "no reservation") are simulated with the subsets' points below; their
     * options are checked first, so that a bad one fails before any search */
    tp_sim_options so;
    candidate_options(o, TP_BASIS_ON_DEMAND, 0, 0, 0, &so);
    if ((rc = sim_check(&x.p, &so, err)) != TP_OK)
        return rc;
    if (!search) {
        const tp_basis basis[2] = {TP_BASIS_ON_DEMAND, TP_BASIS_ALL_PRIORITY};
        const double zero[2] = {0, 0};
        const tp_route_set none[2] = {0, 0};
        if ((rc = tier_candidates(d, &x.p, o, 2, basis, zero, zero, none, x.months,
                                  out->candidates, err)) != TP_OK)
            return rc;
        nc = 2;
        out->recommended = 0;
        out->n_candidates = nc;
        not_offered_reason(out, o, price);
        return TP_OK;
    }
    const tp_route_set free_tiers = x.present & ~RES_BIT;
    tp_route_set sets[MAX_SUBSETS];
    size_t n_sets = 0;
    if (o->route_tiers != 0) {
        sets[n_sets++] = o->route_tiers | RES_BIT;
    } else {
        /* every subset of the tiers with traffic (at most 2^3) */
        for (tp_route_set s = free_tiers;; s = (s - 1) & free_tiers) {
            if (((s | RES_BIT) & x.present) != 0)
                sets[n_sets++] = s | RES_BIT;
            if (s == 0)
                break;
        }
    }
    if ((rc = search_subsets(&x, sets, n_sets, threads, base, out, err)) != TP_OK)
        goto cleanup;
    const int nores_ok = meets(nores, o, x.slo, (double)all_spill->sim.spill_minutes);
    if (!x.have_best && !nores_ok) {
        rc = tp_error_set(err, TP_ERR_INVALID,
                          "no reservation on the grid meets the service level");
        goto cleanup;
    }
    if (!x.have_best)
        x.best_set = fallback_set(&x);
    if ((rc = percentiles(&x, out, &nc, err)) != TP_OK)
        goto cleanup;
    /* no reservation wins unless a reservation is cheaper (ties: no reservation) */
    const int pick_nores =
        nores_ok && (!x.have_best || nores->sim.total_usd <= x.best.sim.total_usd);
    tp_candidate chosen = pick_nores ? *nores : x.best;
    /* the optimum: with a service level, the cheapest whatever its spill minutes (the
     * throttling bound holds for every candidate) */
    tp_candidate optimum = chosen;
    if (x.slo) {
        const int nores_opt = meets(nores, o, 0, 0);
        if (x.have_best_opt && (!nores_opt || cheaper(&x.best_opt, nores)))
            optimum = x.best_opt;
        else if (nores_opt)
            optimum = *nores;
    }
    optimum.basis = TP_BASIS_OPTIMAL;
    if (!x.slo)
        out->recommended = nc;
    out->candidates[nc++] = optimum;
    out->candidates[nc++] = *nores;
    out->candidates[nc++] = *allp;
    if (x.slo) {
        chosen.basis = TP_BASIS_SLO;
        out->recommended = nc;
        out->candidates[nc++] = chosen;
    }
    out->n_candidates = nc;
    rec_write_reason(out, o, x.slo, d->minutes, &out->candidates[out->recommended]);
cleanup:
    rec_scratch_free(&x.scr);
    return rc;
}

/* Whether d and o leave the tiered search nothing to choose: all traffic in the default tier
 * (no other tier has arrays), default routed, offered, no minimums, no quota (its terms are
 * built apart) and no service level (the tiered search judges "no reservation" by its own
 * simulation of it). */
static int single_stream(const tp_tier_demand *d, const tp_model_price *p,
                         const tp_rec_options *o)
{
    for (int k = 0; k < TP_SERVICE_COUNT; k++)
        if ((d->tier[k].input_tpm != NULL) != (k == TP_SERVICE_DEFAULT))
            return 0;
    return d->tier[TP_SERVICE_DEFAULT].minutes == d->minutes && p->reserved_offered &&
           p->reserved_minimum_input_tpm <= 0 && p->reserved_minimum_output_tpm <= 0 &&
           !(o->quota_tpm > 0) && !o->has_max_spill_minutes_pct &&
           !o->has_max_throttled_minutes && o->spill_to != TP_SPILL_TO_NONE &&
           (o->route_tiers == 0 || (o->route_tiers & TP_ROUTE_TIER(TP_SERVICE_DEFAULT)));
}

tp_status rec_tiers_run_batch(const tp_tier_demand *d, const tp_model_price *price,
                              const tp_rec_options *o, size_t threads, const rec_batch *b,
                              tp_recommendation *out, tp_error *err)
{
    if (b == NULL || !single_stream(d, price, o))
        return rec_tiers_run(d, price, o, threads, out, err);
    const tp_demand *x = &d->tier[TP_SERVICE_DEFAULT];
    tp_status rc = rec_run_batch(x, price, o, b, out, err);
    if (rc != TP_OK)
        return rc;
    /* every candidate simulated by tier, in one pass, as the tiered search simulates its
     * own (no reservation routes nothing, all Priority everything), the term's prices applied
     * as there: the same figures to the bit */
    const tp_route_set set = RES_BIT | TP_ROUTE_TIER(TP_SERVICE_DEFAULT);
    tp_model_price p;
    double discount;
    tp_basis basis[TP_BASIS_COUNT];
    double ri[TP_BASIS_COUNT], ro[TP_BASIS_COUNT];
    tp_route_set sets[TP_BASIS_COUNT];
    tp_candidate sim[TP_BASIS_COUNT];
    const size_t n = out->n_candidates;
    for (size_t q = 0; q < n; q++) {
        const tp_candidate *c = &out->candidates[q];
        basis[q] = c->basis;
        ri[q] = c->input_tpm;
        ro[q] = c->output_tpm;
        sets[q] = set;
    }
    if ((rc = rec_apply_term(price, out->term_months, &p, &discount, err)) != TP_OK ||
        (rc = tier_candidates(d, &p, o, n, basis, ri, ro, sets, out->term_months, sim, err)) !=
            TP_OK)
        return rc;
    memcpy(out->candidates, sim, n * sizeof *sim);
    out->tiered = 1;
    out->offered = 1;
    out->assumed_offered = 0;
    rec_write_reason(out, o, 0, d->minutes, &out->candidates[out->recommended]);
    double present_tokens = 0;
    for (size_t q = 0; q < n; q++)
        if (out->candidates[q].basis == TP_BASIS_ON_DEMAND)
            present_tokens = out->candidates[q].sim.total_tokens;
    out->present = present_tokens > 0 ? TP_ROUTE_TIER(TP_SERVICE_DEFAULT) : 0;
    const tp_candidate *r = &out->candidates[out->recommended];
    out->n_routes = 1;
    out->routes[0].routed = set;
    out->routes[0].input_tpm = r->input_tpm;
    out->routes[0].output_tpm = r->output_tpm;
    out->routes[0].total_usd = r->sim.total_usd;
    out->routes[0].savings_usd = r->sim.savings_usd;
    return TP_OK;
}
