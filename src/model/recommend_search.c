/* recommend_search.c - the exact searches on the catalog's grid: the convex 1-D solve and the
 * coupled search (docs/model.md, "Recommendation"). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bigalloc.h"
#include "base/util.h"
#include "model/recommend_internal.h"

/* Minute k of the terms from its raw tokens: the one formula both fills below use (and the
 * flat region, which derives them per minute: rec_minute_terms). */
static inline void terms_minute(rec_terms *t, size_t k, const tp_model_price *p, double std_mult,
                                double i, double r, double cw, double o)
{
    rec_minute_terms(p, std_mult, i, r, cw, o, &t->e[k], &t->o[k], &t->v_in[k], &t->v_out[k]);
}

/* The terms' constants: the spill tier's multiplier, the reserved prices over the window and
 * the quota settings. */
void rec_terms_constants(rec_terms *t, const tp_model_price *p, const tp_rec_options *o)
{
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    t->quota.to = o->spill_to;
    t->quota.quota_tpm = o->quota_tpm;
    t->quota.out_weight = p->quota_output_weight;
    t->coupled = o->spill_model == TP_SPILL_COUPLED;
    t->mult = o->spill_to == TP_SPILL_TO_NONE ? 0.0
              : o->spill_to == TP_SPILL_TO_PRIORITY
                  ? p->tier_multiplier[TP_TIER_PRIORITY] / (std_mult > 0 ? std_mult : 1)
                  : 1.0;
    const double hours = (double)t->n / 60.0;
    t->c_in = hours * p->reserved_input_per_1k_tpm_hour_usd / 1000.0;
    t->c_out = hours * p->reserved_output_per_1k_tpm_hour_usd / 1000.0;
}

/* Minute k's terms into the extent: the largest e and o, the sums of e, v_in and v_out (added
 * in minute order, so both fillers give the same doubles). */
static inline void extent_add(rec_terms_extent *a, const rec_terms *t, size_t k)
{
    a->max_e = t->e[k] > a->max_e ? t->e[k] : a->max_e;
    a->max_o = t->o[k] > a->max_o ? t->o[k] : a->max_o;
    a->sum_e += t->e[k];
    a->sum_vin += t->v_in[k];
    a->sum_vout += t->v_out[k];
}

void rec_terms_fill(rec_terms *t, const tp_demand *d, const tp_model_price *p,
                    const tp_rec_options *o, rec_terms_extent *x)
{
    const size_t n = d->minutes;
    t->n = n;
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    rec_terms_extent a = {0};
    for (size_t k = 0; k < n; k++) {
        terms_minute(t, k, p, std_mult, d->input_tpm[k], d->cache_read_tpm[k],
                     d->cache_write_tpm[k], d->output_tpm[k]);
        extent_add(&a, t, k);
    }
    /* the raw minutes, for the quota search: it classifies each minute as tp_simulate_run does */
    t->in = d->input_tpm;
    t->cr = d->cache_read_tpm;
    t->cw = d->cache_write_tpm;
    rec_terms_constants(t, p, o);
    if (x != NULL)
        *x = a;
}

void rec_terms_fill_tiers(rec_terms *t, const tp_tier_demand *d, tp_route_set set,
                          const tp_model_price *p, const tp_rec_options *o, rec_terms_extent *x)
{
    const size_t n = d->minutes;
    const tp_demand *tier[TP_SERVICE_COUNT];
    int n_tiers = 0;
    for (int k = 0; k < TP_SERVICE_COUNT; k++)
        if (set & TP_ROUTE_TIER(k))
            tier[n_tiers++] = &d->tier[k];
    t->n = n;
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    rec_terms_extent a = {0};
    for (size_t k = 0; k < n; k++) {
        /* the routed sums, from 0 in tier order (as recommend_tiers.c's routed_fill adds) */
        double in = 0, out = 0, cr = 0, cw = 0;
        for (int q = 0; q < n_tiers; q++) {
            in += tier[q]->input_tpm[k];
            out += tier[q]->output_tpm[k];
            cr += tier[q]->cache_read_tpm[k];
            cw += tier[q]->cache_write_tpm[k];
        }
        terms_minute(t, k, p, std_mult, in, cr, cw, out);
        extent_add(&a, t, k);
    }
    t->in = t->cr = t->cw = NULL; /* no raw minutes: not for the quota search */
    rec_terms_constants(t, p, o);
    if (x != NULL)
        *x = a;
}

void rec_terms_free(rec_terms *t)
{
    free(t->e);
    free(t->o);
    free(t->v_in);
    free(t->v_out);
}

void *rec_scratch_get(rec_scratch *s, int slot, size_t bytes)
{
    if (bytes == 0)
        bytes = 1; /* malloc(0) may return NULL */
    if (s == NULL)
        return bigalloc(bytes);
    if (s->cap[slot] < bytes) {
        free(s->p[slot]);
        s->cap[slot] = 0;
        if ((s->p[slot] = bigalloc(bytes)) == NULL)
            return NULL;
        s->cap[slot] = bytes;
    }
    return s->p[slot];
}

void rec_scratch_put(rec_scratch *s, void *p)
{
    if (s == NULL)
        free(p);
}

void rec_scratch_free(rec_scratch *s)
{
    if (s == NULL)
        return;
    for (int k = 0; k < REC_SCR_COUNT; k++)
        free(s->p[k]);
    memset(s, 0, sizeof *s);
}

void rec_scratch_drop(rec_scratch *s, int slot)
{
    if (s == NULL)
        return;
    free(s->p[slot]);
    s->p[slot] = NULL;
    s->cap[slot] = 0;
}

void rec_buckets_free(rec_buckets *b)
{
    free(b->sw);
    free(b->swx);
}

tp_status rec_grid_init(rec_grid *g, double min, double step, double max_x, tp_error *err)
{
    g->min = min;
    g->step = step;
    g->inv_step = 1.0 / step;
    /* refuse before rec_g_ceil: a double beyond size_t's range must never be converted */
    if (!(max_x * g->inv_step < (double)TP_RECOMMEND_MAX_GRID))
        return tp_error_set(err, TP_ERR_INVALID,
                            "a grid over %d reservation sizes: the catalog's reserved_step_tpm "
                            "(%g) is too fine for a demand of %g TPM",
                            TP_RECOMMEND_MAX_GRID, step, max_x);
    size_t top = rec_g_ceil(g, max_x);
    if (top >= TP_RECOMMEND_MAX_GRID)
        return tp_error_set(err, TP_ERR_INVALID,
                            "a grid of %zu reservation sizes is over the limit of %d: the "
                            "catalog's reserved_step_tpm (%g) is too fine for this demand",
                            top + 1, TP_RECOMMEND_MAX_GRID, step);
    g->n = top + 1;
    return TP_OK;
}

/* Reserved + spill cost of (ri, ro), without quota: the same per-minute model as tp_simulate_run
 * (tests compare the optimizer's choices against tp_simulate_run by brute force). */
double rec_cost_of(const rec_terms *t, int coupled, double ri, double ro)
{
    double spill = 0;
    for (size_t k = 0; k < t->n; k++) {
        const double e = t->e[k], o = t->o[k];
        double si = e > ri && e > 0 ? 1.0 - ri / e : 0.0;
        double so = o > ro && o > 0 ? 1.0 - ro / o : 0.0;
        if (coupled) {
            double s = si > so ? si : so;
            spill += s * (t->v_in[k] + t->v_out[k]);
        } else {
            spill += si * t->v_in[k] + so * t->v_out[k];
        }
    }
    return t->c_in * ri + t->c_out * ro + t->mult * spill;
}

/*
 * Exact minimiser over the grid of f(R) = c R + sum_t w_t max(0, x_t - R), a convex
 * piecewise-linear function, so its forward differences on the grid never decrease: the
 * answer is the first grid point whose forward difference is >= 0 (ties: the smaller R).
 * diff(k) = c D - D sum_{x > g(k+1)} w - sum_{g(k) < x <= g(k+1)} w (x - g(k)), D = g(k+1) - g(k).
 */
size_t rec_solve_1d(const rec_grid *g, rec_buckets *b, double c, const double *x, const double *w,
                    size_t n)
{
    memset(b->sw, 0, g->n * sizeof *b->sw);
    memset(b->swx, 0, g->n * sizeof *b->swx);
    for (size_t t = 0; t < n; t++) {
        if (!(x[t] > 0) || !(w[t] > 0))
            continue;
        size_t k = rec_g_ceil(g, x[t]); /* gp(k-1) < x <= gp(k): bucket k-1 */
        if (k == 0)
            continue;
        REC_GRID_INDEX_OK(g, k);
        if (k >= g->n)
            k = g->n - 1; /* cannot happen: the grid covers the largest x */
        b->sw[k - 1] += w[t];
        b->swx[k - 1] += w[t] * x[t];
    }
    double above = 0; /* sum of w with x > gp(k+1) */
    for (size_t k = g->n - 1; k-- > 0;)
        above += b->sw[k];
    /* walk up: above(k) = total - sum of buckets 0..k */
    double total = above, upto = 0;
    for (size_t k = 0; k + 1 < g->n; k++) {
        upto += b->sw[k];
        const double d = rec_gp(g, k + 1) - rec_gp(g, k);
        const double gt = total - upto; /* w with x > gp(k+1) */
        const double partial = b->swx[k] - rec_gp(g, k) * b->sw[k];
        if (c * d - d * gt - partial >= 0)
            return k;
    }
    return g->n - 1;
}

/* The coupled problem with ro fixed: minute t spills max(1 - ri/e, b) with b its output
 * share, i.e. cost W b + (W / e) max(0, e (1 - b) - ri): solve_1d with x = e (1 - b). */
size_t rec_coupled_inner(const rec_terms *t, const rec_grid *gi, rec_buckets *b, double ro,
                         double *x, double *w)
{
    for (size_t k = 0; k < t->n; k++) {
        const double e = t->e[k], o = t->o[k];
        const double so = o > ro && o > 0 ? 1.0 - ro / o : 0.0;
        x[k] = e * (1.0 - so);
        w[k] = e > 0 ? t->mult * (t->v_in[k] + t->v_out[k]) / e : 0;
    }
    return rec_solve_1d(gi, b, t->c_in, x, w, t->n);
}

/* The coupled search, incremental in ro. With ro fixed, a minute with o <= ro has output
 * share b = 0, so its term in solve_1d is (x = e, w) whatever ro is: those go into a base
 * histogram once, and each ro only revisits the minutes with o > ro. Those are kept
 * contiguous, sorted by output grid bucket, so the pass reads memory in order. The minimum
 * over ri comes from the same suffix sums:
 * f(k) = c gp(k) + sum_{x > gp(k)} w (x - gp(k)) + C0, with C0 = mult sum W b. */
/* One minute as the coupled search reads it: together, so that the pass reads one stream
 * and the counting sort writes one per bucket. */
typedef struct cminute {
    double inv_o, e, cw; /* 1/o; effective input; mult W (its weight mult W / e is divided
                          * again where it is read: the same division, the same double) */
    uint32_t bucket_e;   /* solve_1d bucket of x = e, or CM_NO_BUCKET when it has none */
} cminute;               /* 32 bytes */

#define CM_NO_BUCKET UINT32_MAX

/* The weight mult W / e of a minute with a bucket (e > 0), as coupled_init first computed it. */
static inline double cm_weight(const cminute *r)
{
    return r->cw / r->e;
}

typedef struct coupled_ctx {
    const rec_terms *t;
    const rec_grid *gi, *go;
    rec_scratch *scr; /* where the per-minute arrays come from (NULL: owned) */
    size_t n;
    /* per minute, in output-bucket order */
    cminute *m; /* the minutes with output, by output bucket (bucket 0's not kept) */
    size_t *start; /* minutes of output bucket j >= 1: m[start[j]] .. m[start[j+1] - 1] */
    double *base_sw, *base_swx;
    double *sw[2], *swx[2];     /* scratch for ro = gp(j) and gp(j+1) */
    double *s1, *p1; /* per output bucket k: S1(k) and P(k) of coupled_upper_bound */
    size_t kmin_i;   /* smallest input grid index allowed */
} coupled_ctx;

static void coupled_free(coupled_ctx *c)
{
    rec_scratch_put(c->scr, c->m);
    free(c->start);
    free(c->base_sw);
    free(c->base_swx);
    free(c->s1);
    free(c->p1);
    for (int i = 0; i < 2; i++) {
        free(c->sw[i]);
        free(c->swx[i]);
    }
}

static int coupled_init(coupled_ctx *c, const rec_terms *t, const rec_grid *gi,
                        const rec_grid *go, rec_scratch *scr)
{
    const size_t n = t->n;
    size_t *fill = NULL;
    memset(c, 0, sizeof *c);
    c->t = t;
    c->gi = gi;
    c->go = go;
    c->scr = scr;
    c->n = n;
    c->start = calloc(go->n + 1, sizeof *c->start);
    c->base_sw = calloc(gi->n, sizeof *c->base_sw);
    c->base_swx = calloc(gi->n, sizeof *c->base_swx);
    fill = malloc((go->n + 1) * sizeof *fill);
    c->s1 = calloc(go->n, sizeof *c->s1);
    c->p1 = calloc(go->n, sizeof *c->p1);
    for (int i = 0; i < 2; i++) {
        c->sw[i] = malloc(gi->n * sizeof *c->sw[i]);
        c->swx[i] = malloc(gi->n * sizeof *c->swx[i]);
    }
    /* a bucket index must fit bucket_e (the input grid would need 32 GB per histogram) */
    if (!c->start || !c->base_sw || !c->s1 || !c->p1 || gi->n >= CM_NO_BUCKET ||
        !c->base_swx || !fill || !c->sw[0] || !c->sw[1] || !c->swx[0] || !c->swx[1]) {
        free(fill);
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        const size_t j = rec_g_ceil(go, t->o[k]);
        REC_GRID_INDEX_OK(go, j); /* start has go->n + 1 entries */
        c->start[j + 1]++;        /* counting sort by output bucket */
    }
    /* bucket 0 (no output) is above no output reservation: no evaluation reads its minutes,
     * only the base histogram holds them, so m keeps the others only, from index 0 */
    c->start[1] = 0;
    for (size_t j = 1; j < go->n; j++)
        c->start[j + 1] += c->start[j];
    c->m = rec_scratch_get(scr, REC_SCR_MINUTES, c->start[go->n] * sizeof *c->m);
    if (c->m == NULL) {
        free(fill);
        return -1;
    }
    memcpy(fill, c->start, (go->n + 1) * sizeof *fill);
    for (size_t k = 0; k < n; k++) {
        const size_t j = rec_g_ceil(go, t->o[k]);
        REC_GRID_INDEX_OK(go, j);
        const double e = t->e[k], W = t->mult * (t->v_in[k] + t->v_out[k]);
        const double w = e > 0 ? W / e : 0;
        cminute r = {t->o[k] > 0 ? 1.0 / t->o[k] : 0, e, W, CM_NO_BUCKET};
        if (e > 0 && w > 0) {
            size_t b = rec_g_ceil(gi, e) - 1;
            REC_GRID_INDEX_OK(gi, b);
            r.bucket_e = (uint32_t)b;
            c->base_sw[b] += w; /* in minute order, whatever the bucket */
            c->base_swx[b] += w * e;
        }
        if (j > 0) {
            c->m[fill[j]++] = r;
            c->s1[j] += r.cw * r.inv_o;
            c->p1[j] += r.cw * (1.0 - rec_gp(go, j - 1) * r.inv_o);
        }
    }
    free(fill);
    return 0;
}

/* The 1-D minimum from histogram sw/swx: returns f at the argmin, *ri_index the argmin. */
static double hist_min(const coupled_ctx *c, const double *sw, const double *swx,
                       size_t *ri_index)
{
    const size_t kmin = c->kmin_i < c->gi->n ? c->kmin_i : c->gi->n - 1;
    const rec_grid *gi = c->gi;
    double total_w = 0, total_wx = 0;
    for (size_t b = 0; b < gi->n; b++) {
        total_w += sw[b];
        total_wx += swx[b];
    }
    double below_w = 0, below_wx = 0; /* buckets < k */
    size_t best = gi->n - 1;
    for (size_t k = 0; k < kmin; k++) { /* below the smallest index allowed */
        below_w += sw[k];
        below_wx += swx[k];
    }
    for (size_t k = kmin; k + 1 < gi->n; k++) {
        const double d = rec_gp(gi, k + 1) - rec_gp(gi, k);
        const double gt = total_w - below_w - sw[k]; /* x > gp(k+1) */
        const double partial = swx[k] - rec_gp(gi, k) * sw[k];
        if (c->t->c_in * d - d * gt - partial >= 0) {
            best = k;
            break;
        }
        below_w += sw[k];
        below_wx += swx[k];
    }
    const double r = rec_gp(gi, best);
    *ri_index = best;
    return c->t->c_in * r + ((total_wx - below_wx) - r * (total_w - below_w));
}

/* Minute q (its o above ro) in the histogram for ro: its weight moves from the bucket of e to
 * that of x = e (1 - so), what the reserved input must still carry. Returns its W so. */
static inline double move_minute(const coupled_ctx *c, size_t q, double ro, double *sw,
                                 double *swx)
{
    const rec_grid *gi = c->gi;
    const cminute *r = &c->m[q];
    const double so = 1.0 - ro * r->inv_o;
    const double w_so = r->cw * so;
    if (r->bucket_e == CM_NO_BUCKET)
        return w_so;
    const size_t be = r->bucket_e;
    REC_GRID_INDEX_OK(gi, be);
    const double wq = cm_weight(r), x = r->e * (1.0 - so);
    sw[be] -= wq;
    swx[be] -= wq * r->e;
    if (x > 0) {
        const size_t b = rec_g_ceil(gi, x) - 1;
        REC_GRID_INDEX_OK(gi, b);
        sw[b] += wq;
        swx[b] += wq * x;
    }
    return w_so;
}

/* g(j) and g(j + 1) (min over ri of the cost at ro = gp(j), gp(j + 1)) in one pass: the
 * minutes above gp(j + 1) are also above gp(j), so both histograms are updated as the pass
 * reads them, each in the order of the minutes as a pass of its own would. */
static void coupled_eval2(coupled_ctx *c, size_t j, double g[2], size_t ri[2])
{
    const rec_grid *gi = c->gi;
    const size_t top = c->go->n - 1;
    REC_GRID_INDEX_OK(c->go, j);
    const size_t j1 = j < top ? j + 1 : j;
    const double ro[2] = {rec_gp(c->go, j), rec_gp(c->go, j1)};
    double c0[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        memcpy(c->sw[i], c->base_sw, gi->n * sizeof *c->sw[i]);
        memcpy(c->swx[i], c->base_swx, gi->n * sizeof *c->swx[i]);
    }
    /* minutes with g_ceil(o) > j, i.e. o > ro[0]; from `both` on also o > ro[1] */
    const size_t end = c->start[c->go->n], both = c->start[j1 + 1];
    size_t q = c->start[j + 1];
    for (; q < both; q++)
        c0[0] += move_minute(c, q, ro[0], c->sw[0], c->swx[0]);
    for (; q < end; q++) {
        c0[0] += move_minute(c, q, ro[0], c->sw[0], c->swx[0]);
        c0[1] += move_minute(c, q, ro[1], c->sw[1], c->swx[1]);
    }
    for (int i = 0; i < 2; i++)
        g[i] = hist_min(c, c->sw[i], c->swx[i], &ri[i]) + c0[i] + c->t->c_out * ro[i];
}

/* g values of the coupled search already computed, per output grid index (NAN: not yet). */
typedef struct g_memo {
    double *g;
    size_t *ri; /* the input grid index at which g[j] is reached */
} g_memo;

/* Makes g(j) and g(j + 1) known, evaluating both in one pass when either is missing. */
static void coupled_pair(coupled_ctx *cc, g_memo *m, size_t j)
{
    const size_t n = cc->go->n;
    double g[2];
    size_t ri[2];
    REC_GRID_INDEX_OK(cc->go, j);
    if (!isnan(m->g[j]) && !(j + 1 < n && isnan(m->g[j + 1])))
        return;
    coupled_eval2(cc, j, g, ri);
    REC_GRID_INDEX_OK(cc->gi, ri[0]);
    REC_GRID_INDEX_OK(cc->gi, ri[1]);
    m->g[j] = g[0];
    m->ri[j] = ri[0];
    if (j + 1 < n) {
        m->g[j + 1] = g[1];
        m->ri[j + 1] = ri[1];
    }
}

/*
 * An upper bound on the coupled search's answer, from one pass over the sorted minutes.
 * Raising ro from gp(j) to gp(j + 1) lowers minute t's spill share max(a_t(ri), b_t(ro)) by
 * at most what it lowers b_t = max(0, 1 - ro / o_t) (a maximum moves by at most what one
 * argument moves), whatever ri is, so for every ri
 *   cost(ri, gp(j + 1)) - cost(ri, gp(j)) >= LB(j) = c_out D - sum_{o > gp(j)} cw (min(o,
 *   gp(j + 1)) - gp(j)) / o,   D = gp(j + 1) - gp(j),
 * and so g(j + 1) - g(j) >= LB(j) (take ri at g(j + 1)'s minimum). LB(j) is the forward
 * difference of the convex c_out ro + sum cw b_t(ro): its slope LB(j) / D never decreases (D
 * itself may: the first step is the grid's minimum), so from the first j with LB(j) >= 0 on
 * no LB is negative, g never decreases, and the first non-negative forward difference of g is
 * at or below it. With the minutes of output bucket k (gp(k - 1) < o <= gp(k))
 * summed as S1(k) = sum cw / o and P(k) = sum cw (1 - gp(k - 1) / o) (coupled_init sums
 * them as it sorts):
 *   LB(j) = c_out D - D sum_{k >= j + 2} S1(k) - P(j + 1).
 * Only a clearly positive LB(j) counts (a margin for the rounding of the sums), and the bound
 * is one grid step above it. In the fleet benchmark the optimum sits at the low end of a grid
 * of 200-400 output sizes; without the bound the binary search starts at its middle, and its
 * probes down to the optimum read 95,000-290,000 minutes each (docs/performance.md).
 */
static size_t coupled_upper_bound(coupled_ctx *c)
{
    const size_t n = c->go->n;
    /* S1 as suffix sums, s1[k] = sum of S1(k') over k' >= k: added from the top down, never
     * subtracted from a total (which would carry the total's rounding into small sums) */
    for (size_t k = n; k-- > 1;)
        if (k + 1 < n)
            c->s1[k] += c->s1[k + 1];
    for (size_t j = 0; j + 1 < n; j++) {
        const double d = rec_gp(c->go, j + 1) - rec_gp(c->go, j), p = c->p1[j + 1];
        const double above_s1 = j + 2 < n ? c->s1[j + 2] : 0;
        const double lb = c->t->c_out * d - d * above_s1 - p;
        if (lb > 1e-9 * (c->t->c_out * d + d * above_s1 + fabs(p)))
            return j + 1 < n - 1 ? j + 1 : n - 1;
    }
    return n - 1;
}

/* g(j) = min over ri of cost(ri, gp(j)): convex in ro (a partial minimum of a jointly convex
 * function); binary search for its first non-negative forward difference, then a look at the
 * neighbours, which guards against flat stretches on the grid. */
tp_status rec_optimum_coupled(const rec_terms *t, const rec_grid *gi, const rec_grid *go,
                              rec_scratch *scr, double *ri, double *ro, tp_error *err)
{
    const rec_kmin_flags none = {0, 0};
    return rec_optimum_coupled_from(t, gi, go, scr, none, ri, ro, NULL, err);
}

tp_status rec_optimum_coupled_from(const rec_terms *t, const rec_grid *gi, const rec_grid *go,
                                   rec_scratch *scr, rec_kmin_flags kmin, double *ri,
                                   double *ro, double *cost, tp_error *err)
{
    tp_status rc = TP_OK;
    coupled_ctx cc;
    g_memo m = {NULL, NULL};
    if (coupled_init(&cc, t, gi, go, scr) != 0 || (m.g = malloc(go->n * sizeof *m.g)) == NULL ||
        (m.ri = malloc(go->n * sizeof *m.ri)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    cc.kmin_i = kmin.i;
    for (size_t j = 0; j < go->n; j++)
        m.g[j] = NAN;
    const size_t ko = kmin.o < go->n ? kmin.o : go->n - 1;
    size_t lo = ko, hi = coupled_upper_bound(&cc);
    hi = hi > lo ? hi : lo;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        coupled_pair(&cc, &m, mid);
        if (m.g[mid + 1] - m.g[mid] >= 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    /* the neighbours lo - 1 .. lo + 2, in case the grid left a flat stretch; only g(j) is
     * read, so a pass is made only where it is not known yet (a pass gives the same g(j)
     * whichever pair it comes from: coupled_eval2) */
    double best = INFINITY;
    for (size_t j = lo >= ko + 1 ? lo - 1 : ko; j <= lo + 2 && j < go->n; j++) {
        if (isnan(m.g[j]))
            coupled_pair(&cc, &m, j);
        if (m.g[j] < best - 1e-12) {
            best = m.g[j];
            *ri = rec_gp(gi, m.ri[j]);
            *ro = rec_gp(go, j);
        }
    }
    if (cost != NULL)
        *cost = best;
cleanup:
    free(m.g);
    free(m.ri);
    coupled_free(&cc);
    return rc;
}
