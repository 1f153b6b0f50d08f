/* recommend_internal.h - the optimizer's private pieces shared by recommend.c (candidates,
 * service levels), recommend_search.c (the exact grid searches) and plan.c (backtests). */
#ifndef TIERPLAN_RECOMMEND_INTERNAL_H
#define TIERPLAN_RECOMMEND_INTERNAL_H

#include <assert.h>
#include <stddef.h>

#include "base/util.h"
#include "model/recommend_batch.h"
#include "model/simulate_internal.h"
#include "tierplan/recommend.h"
#include "tierplan/stats.h"

/* ---- the grid: 0, then the catalog minimum plus whole steps ---- */

typedef struct rec_grid {
    double min, step, inv_step;
    size_t n; /* points 0 .. n-1 cover the largest demand */
} rec_grid;

/* The reservation at grid index k. k may be n for a value that rounded just above the
 * largest demand (percentile candidates); every index into a per-grid array is asserted to be
 * below n where it is computed. */
static inline double rec_gp(const rec_grid *g, size_t k)
{
    if (k == 0)
        return 0;
    return g->min > 0 ? g->min + (double)(k - 1) * g->step : (double)k * g->step;
}

/* ceil for 0 <= y < 2^52 without libm: baseline x86-64 has no rounding instruction, and
 * this runs once per minute per search step. */
static inline size_t rec_ceil_pos(double y)
{
    size_t k = (size_t)y;
    return (double)k < y ? k + 1 : k;
}

/* Smallest k with gp(k) >= x (x >= 0). The 1e-12 absorbs rounding in x / step, so that a
 * demand exactly on a grid point maps to that point; but any positive x needs at least point
 * 1 (gp(0) = 0 < x), however tiny against the step: 1e-10 tokens on a 1,000-TPM grid once
 * mapped to 0, and bucket 0 - 1 wrapped around. Callers keep x * inv_step below 2^52
 * (rec_grid_init refuses larger grids before computing one). */
static inline size_t rec_g_ceil(const rec_grid *g, double x)
{
    if (x <= 0)
        return 0;
    if (g->min > 0) {
        if (x <= g->min)
            return 1;
        const size_t k = rec_ceil_pos((x - g->min) * g->inv_step - 1e-12);
        return 1 + (k > 0 ? k : 1);
    }
    const size_t k = rec_ceil_pos(x * g->inv_step - 1e-12);
    return k > 0 ? k : 1;
}

/* A grid index that must address a per-grid array. Indices are size_t, so ">= 0" is the
 * absence of wrap-around, which "< n" also catches. */
#define REC_GRID_INDEX_OK(g, k) assert((size_t)(k) < (g)->n)

/* A grid from 0 to the first point >= max_x. TP_ERR_INVALID over TP_RECOMMEND_MAX_GRID. */
tp_status rec_grid_init(rec_grid *g, double min, double step, double max_x, tp_error *err);

/* ---- per-minute terms, computed once ---- */

typedef struct rec_terms {
    size_t n;
    double *e;     /* effective input TPM */
    double *o;     /* output TPM */
    double *v_in;  /* Standard on-demand USD of the minute's input side (regular + cache) */
    double *v_out; /* ... of its output */
    double c_in, c_out; /* reserved USD per TPM over the window (term discount applied) */
    double mult;        /* spill tier multiplier (0 for none) */
    /* the raw minutes (borrowed from the demand) and the quota, for the quota search: it
     * classifies each minute with sim_minute_eval, as tp_simulate_run does */
    const double *in, *cr, *cw;
    sim_quota quota;
    int coupled;
    /* per minute, the quota left to the spill once traffic not routed to the reservation took
     * its share (docs/model.md, "Service tiers"), or NULL: quota.quota_tpm every minute. At or
     * below 0 none is left (the spill is throttled); below 0 that traffic was itself over the
     * quota, a throttled minute whatever the reservation, which the caller counts. */
    const double *quota_at;
} rec_terms;

/* Minute k's quota settings as tp_simulate_tiers_run sees them. */
static inline sim_quota rec_minute_quota(const rec_terms *t, size_t k)
{
    sim_quota q = t->quota;
    if (t->quota_at != NULL && q.quota_tpm > 0) {
        q.quota_tpm = t->quota_at[k] > 0 ? t->quota_at[k] : 0;
        q.exhausted = !(t->quota_at[k] > 0);
    }
    return q;
}

/* What rec_terms_fill saw on its way: the largest demands (the grids' ends) and the sums the
 * break-even utilisations need. */
typedef struct rec_terms_extent {
    double max_e, max_o, sum_e, sum_vin;
    double sum_vout; /* with sum_vin, the demand's value at Standard (the tiered search's guess) */
} rec_terms_extent;

/* Minute k's terms from its raw tokens (input i, cache read r, cache write cw, output o) at
 * prices p (term applied), std_mult the Standard tier's multiplier: what rec_terms_fill stores
 * for the minute, to the bit (the flat region derives them per minute instead of storing them). */
static inline void rec_minute_terms(const tp_model_price *p, double std_mult, double i, double r,
                                    double cw, double o, double *e, double *o_out, double *v_in,
                                    double *v_out)
{
    *e = util_burn_down_tpm(i, r, cw, p->burn_down_cache_read, p->burn_down_cache_write);
    *o_out = o;
    *v_in = std_mult *
            (i * p->input_per_million_usd + r * p->cache_read_per_million_usd +
             cw * p->cache_write_per_million_usd) / 1e6;
    *v_out = std_mult * o * p->output_per_million_usd / 1e6;
}

/* The terms' constants (c_in, c_out, mult, coupled, the quota settings) for t->n minutes, set
 * first, at prices p (term applied) under o: what rec_terms_fill sets besides the arrays. */
void rec_terms_constants(rec_terms *t, const tp_model_price *p, const tp_rec_options *o);

/* The one constructor of the per-minute terms at Standard prices (docs/model.md,
 * "Recommendation"), for the recommender, the flat seasonal plan and the cost curve alike, so
 * that their costs agree to the bit. Fills t for demand d at prices p (term applied) under o;
 * t->e, t->o, t->v_in and t->v_out must already point to d->minutes doubles each (the
 * caller's: from the heap or from a rec_scratch). x may be NULL. */
void rec_terms_fill(rec_terms *t, const tp_demand *d, const tp_model_price *p,
                    const tp_rec_options *o, rec_terms_extent *x);

/* rec_terms_fill of the sum of d's tiers in `set` (those with traffic, as sim_tiers_check
 * finds them), each minute's sums added from 0 in tier order: the same terms to the bit as
 * rec_terms_fill of a demand holding those sums, without writing the sums out. t->in, t->cr
 * and t->cw are NULL: not for the quota search (rec_surface). */
void rec_terms_fill_tiers(rec_terms *t, const tp_tier_demand *d, tp_route_set set,
                          const tp_model_price *p, const tp_rec_options *o, rec_terms_extent *x);

/* Frees the arrays t owns (e, o, v_in, v_out; the raw minutes are borrowed). NULLs allowed. */
void rec_terms_free(rec_terms *t);

/* Scratch for the 1-D solve: per grid bucket the sum of w and of w x. */
typedef struct rec_buckets {
    double *sw, *swx;
    size_t n;
} rec_buckets;

/* Frees the buckets' arrays. NULLs allowed. */
void rec_buckets_free(rec_buckets *b);

/* Reserved + spill cost of (ri, ro), without quota: the same per-minute model as tp_simulate_run.
 */
double rec_cost_of(const rec_terms *t, int coupled, double ri, double ro);

/* Grid index of the exact minimiser of c R + sum_t w_t max(0, x_t - R); b is scratch of g->n
 * buckets. */
size_t rec_solve_1d(const rec_grid *g, rec_buckets *b, double c, const double *x, const double *w,
                    size_t n);

/* Coupled model, output reservation ro fixed: grid index of the best input reservation.
 * x and w are scratch of t->n minutes. */
size_t rec_coupled_inner(const rec_terms *t, const rec_grid *gi, rec_buckets *b, double ro,
                         double *x, double *w);

/* The coupled search: the cost optimum (*ri, *ro) on the grids; its per-minute copies come
 * from scr (NULL: allocated and freed here). TP_ERR_NOMEM only. */
tp_status rec_optimum_coupled(const rec_terms *t, const rec_grid *gi, const rec_grid *go,
                              rec_scratch *scr, double *ri, double *ro, tp_error *err);

/* rec_optimum_coupled restricted to grid indices at or above kmin (0 or 1 a side: 1 where a
 * reservation must be at least the catalog's minimum, 0 then being compared apart as "no
 * reservation"). It stays exact: a convex function's minimum over k >= 1 is at max(1, its
 * argmin), and the partial minimum over ri >= gp(1) is still convex in ro. *cost (when not
 * NULL) receives the search's own cost of (*ri, *ro): reserved plus spill, as rec_cost_of
 * reckons it up to rounding. */
tp_status rec_optimum_coupled_from(const rec_terms *t, const rec_grid *gi, const rec_grid *go,
                                   rec_scratch *scr, rec_kmin_flags kmin, double *ri,
                                   double *ro, double *cost, tp_error *err);

/* ---- the cost surface under a quota or with nowhere to spill (recommend_surface.c) ---- */

/* One output reservation's row of the surface, for every input grid index a: the cost
 * (reserved + billed spill, USD over the window) and the throttled and spill minutes, each
 * equal to tp_simulate_run's for (gp(a), gp(j)). Costs are filled in from index `from` on. */
typedef struct rec_row {
    const double *cost;
    const size_t *throttled, *spill;
    size_t from;
} rec_row;

typedef struct rec_surface rec_surface;

/* Prepares the surface of t on grids gi x go (all borrowed; they must outlive it).
 * TP_ERR_NOMEM only. Free with rec_surface_free (NULL is fine). */
tp_status rec_surface_new(const rec_terms *t, const rec_grid *gi, const rec_grid *go,
                          rec_surface **out, tp_error *err);
void rec_surface_free(rec_surface *s);

/* Row j: throttled and spill minutes at every input grid index; costs from the smallest index
 * with at most max_throttled throttled minutes on (INFINITY: every index). The row's arrays
 * belong to s and are overwritten by the next call. */
rec_row rec_surface_row(rec_surface *s, size_t j, double max_throttled);

/* For a caller whose bounds are not on the surface's own counts (the flat plan of a seasonal
 * plan, bounded window by window), row j in two steps. First each minute's prefix ends (t->n
 * entries each, caller's arrays, indexed as rec_terms): minute k throttles at exactly the input
 * grid indices below thr_end[k] and spills below sp_end[k], as tp_simulate_run counts them. Only
 * the ends that changed since the previous call are written: pass the same arrays, untouched,
 * with rows in increasing order (anything else starts over, writing them all). */
void rec_surface_row_ends(rec_surface *s, size_t j, size_t *thr_end, size_t *sp_end);

/* Then that row's costs, exact from input grid index `from` on (gi->n or more: none), whatever
 * the counts. The arrays belong to s, as rec_surface_row's. */
rec_row rec_surface_row_costs(rec_surface *s, size_t from);

/* ---- pieces plan.c reuses ---- */

/* The service-level rules, the one source for tp_recommend_run and for plan.c's windows and
 * backtests (docs/model.md, "Service levels"). Traffic can be throttled: by the on-demand
 * quota, or with nowhere to spill (--spill-to none). */
int rec_can_throttle(const tp_rec_options *o);

/* The throttled minutes a window may have: --max-throttled-minutes, 0 unless given wherever
 * traffic can be throttled (so that no plan wins by dropping traffic the user did not agree to
 * drop), INFINITY where nothing can be throttled. The same count whatever the window's
 * length. */
double rec_throttle_limit(const tp_rec_options *o);

/* The spill minutes a window of n minutes may have: floor(--max-spill-minutes-pct x n),
 * INFINITY without the bound. */
double rec_spill_limit(const tp_rec_options *o, size_t n);

/* "All Priority" from "no reservation" od: the same simulation with every spilled token at
 * the Priority multiplier (R = 0 spills everything; what a quota throttles does not depend on
 * the tier). */
void rec_derive_all_priority(const tp_candidate *od, const tp_model_price *p, int months,
                             tp_candidate *ap);

/* out->reason: why candidate rec was recommended under o (slo: by the service level) over a
 * window of n minutes. */
void rec_write_reason(tp_recommendation *out, const tp_rec_options *o, int slo, size_t n,
                      const tp_candidate *rec);

/* rec_simulate_candidate of candidates k < n (basis[k], ri[k], ro[k]) into c[k], bit for bit,
 * in one pass over d (sim_run_many): at most SIM_MAX_LANES. */
tp_status rec_simulate_candidates(const tp_demand *d, const tp_model_price *p,
                                  const tp_rec_options *o, size_t n, const tp_basis *basis,
                                  const double *ri, const double *ro, int months,
                                  tp_candidate *c, tp_error *err);

#endif
