/* recommend.c - exact reservation sizing on the catalog's grid (docs/model.md, "Recommendation"). */
#include "tierplan/recommend.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/stats.h"
#include "tierplan/timestamp.h"

static const char *const basis_names[TP_BASIS_COUNT] = {
    "p25", "p50", "p90", "p99", "optimal", "on_demand", "all_priority", "slo"};

int tp_rec_term_months(const tp_rec_options *o)
{
    return o->term_months > 0 ? o->term_months : 1;
}

const char *tp_basis_name(tp_basis b)
{
    return (unsigned)b < TP_BASIS_COUNT ? basis_names[b] : "?";
}

/* ---- the grid: 0, then the catalog minimum plus whole steps ---- */

typedef struct grid {
    double min, step, inv_step;
    size_t n; /* points 0 .. n-1 cover the largest demand */
} grid;

static inline double gp(const grid *g, size_t k)
{
    if (k == 0)
        return 0;
    return g->min > 0 ? g->min + (double)(k - 1) * g->step : (double)k * g->step;
}

/* ceil for 0 <= y < 2^52 without libm: baseline x86-64 has no rounding instruction, and
 * this runs once per minute per search step. */
static inline size_t ceil_pos(double y)
{
    size_t k = (size_t)y;
    return (double)k < y ? k + 1 : k;
}

/* Smallest k with gp(k) >= x (x >= 0). The 1e-12 absorbs rounding in x / step, so that a
 * demand exactly on a grid point maps to that point. */
static inline size_t g_ceil(const grid *g, double x)
{
    if (x <= 0)
        return 0;
    if (g->min > 0) {
        if (x <= g->min)
            return 1;
        return 1 + ceil_pos((x - g->min) * g->inv_step - 1e-12);
    }
    return ceil_pos(x * g->inv_step - 1e-12);
}

static tp_status grid_init(grid *g, double min, double step, double max_x, tp_error *err)
{
    g->min = min;
    g->step = step;
    g->inv_step = 1.0 / step;
    size_t top = g_ceil(g, max_x);
    if (top >= TP_RECOMMEND_MAX_GRID)
        return tp_error_set(err, TP_ERR_INVALID,
                            "a grid of %zu reservation sizes is over the limit of %d: the "
                            "catalog's reserved_step_tpm (%g) is too fine for this demand",
                            top + 1, TP_RECOMMEND_MAX_GRID, step);
    g->n = top + 1;
    return TP_OK;
}

/* ---- per-minute terms, computed once ---- */

typedef struct terms {
    size_t n;
    double *e;     /* effective input TPM */
    double *o;     /* output TPM */
    double *v_in;  /* Standard on-demand USD of the minute's input side (regular + cache) */
    double *v_out; /* ... of its output */
    double c_in, c_out; /* reserved USD per TPM over the window (term discount applied) */
    double mult;        /* spill tier multiplier (0 for none) */
} terms;

static void terms_free(terms *t)
{
    free(t->e);
    free(t->o);
    free(t->v_in);
    free(t->v_out);
}

/* Reserved + spill cost of (ri, ro), without quota: the same per-minute model as tp_sim_run
 * (tests compare the optimizer's choices against tp_sim_run by brute force). */
static double cost_of(const terms *t, int coupled, double ri, double ro)
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

/* Scratch for the 1-D solve: per grid bucket the sum of w and of w x. */
typedef struct buckets {
    double *sw, *swx;
    size_t n;
} buckets;

/*
 * Exact minimiser over the grid of f(R) = c R + sum_t w_t max(0, x_t - R), a convex
 * piecewise-linear function, so its forward differences on the grid never decrease: the
 * answer is the first grid point whose forward difference is >= 0 (ties: the smaller R).
 * diff(k) = c D - D sum_{x > g(k+1)} w - sum_{g(k) < x <= g(k+1)} w (x - g(k)), D = g(k+1) - g(k).
 */
static size_t solve_1d(const grid *g, buckets *b, double c, const double *x, const double *w,
                       size_t n)
{
    memset(b->sw, 0, g->n * sizeof *b->sw);
    memset(b->swx, 0, g->n * sizeof *b->swx);
    for (size_t t = 0; t < n; t++) {
        if (!(x[t] > 0) || !(w[t] > 0))
            continue;
        size_t k = g_ceil(g, x[t]); /* gp(k-1) < x <= gp(k): bucket k-1 */
        if (k == 0)
            continue;
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
        const double d = gp(g, k + 1) - gp(g, k);
        const double gt = total - upto; /* w with x > gp(k+1) */
        const double partial = b->swx[k] - gp(g, k) * b->sw[k];
        if (c * d - d * gt - partial >= 0)
            return k;
    }
    return g->n - 1;
}

/* The coupled problem with ro fixed: minute t spills max(1 - ri/e, b) with b its output
 * share, i.e. cost W b + (W / e) max(0, e (1 - b) - ri): solve_1d with x = e (1 - b). */
static size_t coupled_inner(const terms *t, const grid *gi, buckets *b, double ro, double *x,
                            double *w)
{
    for (size_t k = 0; k < t->n; k++) {
        const double e = t->e[k], o = t->o[k];
        const double so = o > ro && o > 0 ? 1.0 - ro / o : 0.0;
        x[k] = e * (1.0 - so);
        w[k] = e > 0 ? t->mult * (t->v_in[k] + t->v_out[k]) / e : 0;
    }
    return solve_1d(gi, b, t->c_in, x, w, t->n);
}

/* The coupled search, incremental in ro. With ro fixed, a minute with o <= ro has output
 * share b = 0, so its term in solve_1d is (x = e, w) whatever ro is: those go into a base
 * histogram once, and each ro only revisits the minutes with o > ro. Those are kept
 * contiguous, sorted by output grid bucket, so the pass reads memory in order. The minimum
 * over ri comes from the same suffix sums:
 * f(k) = c gp(k) + sum_{x > gp(k)} w (x - gp(k)) + C0, with C0 = mult sum W b. */
typedef struct coupled_ctx {
    const terms *t;
    const grid *gi, *go;
    size_t n;
    /* per minute, in output-bucket order */
    double *inv_o, *e, *cw, *w; /* 1/o; effective input; mult W; mult W / e */
    size_t *bucket_e;           /* solve_1d bucket of x = e, or SIZE_MAX when it has none */
    size_t *start;              /* minutes of output bucket j: start[j] .. start[j+1] */
    double *base_sw, *base_swx;
    double *sw[2], *swx[2];     /* scratch for ro = gp(j) and gp(j+1) */
} coupled_ctx;

static void coupled_free(coupled_ctx *c)
{
    free(c->inv_o);
    free(c->e);
    free(c->cw);
    free(c->w);
    free(c->bucket_e);
    free(c->start);
    free(c->base_sw);
    free(c->base_swx);
    for (int i = 0; i < 2; i++) {
        free(c->sw[i]);
        free(c->swx[i]);
    }
}

static int coupled_init(coupled_ctx *c, const terms *t, const grid *gi, const grid *go)
{
    const size_t n = t->n;
    size_t *fill = NULL;
    memset(c, 0, sizeof *c);
    c->t = t;
    c->gi = gi;
    c->go = go;
    c->n = n;
    c->inv_o = malloc(n * sizeof *c->inv_o);
    c->e = malloc(n * sizeof *c->e);
    c->cw = malloc(n * sizeof *c->cw);
    c->w = malloc(n * sizeof *c->w);
    c->bucket_e = malloc(n * sizeof *c->bucket_e);
    c->start = calloc(go->n + 1, sizeof *c->start);
    c->base_sw = calloc(gi->n, sizeof *c->base_sw);
    c->base_swx = calloc(gi->n, sizeof *c->base_swx);
    fill = malloc((go->n + 1) * sizeof *fill);
    for (int i = 0; i < 2; i++) {
        c->sw[i] = malloc(gi->n * sizeof *c->sw[i]);
        c->swx[i] = malloc(gi->n * sizeof *c->swx[i]);
    }
    if (!c->inv_o || !c->e || !c->cw || !c->w || !c->bucket_e || !c->start || !c->base_sw ||
        !c->base_swx || !fill || !c->sw[0] || !c->sw[1] || !c->swx[0] || !c->swx[1]) {
        free(fill);
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        c->start[g_ceil(go, t->o[k]) + 1]++; /* counting sort by output bucket */
    for (size_t j = 0; j < go->n; j++)
        c->start[j + 1] += c->start[j];
    memcpy(fill, c->start, (go->n + 1) * sizeof *fill);
    for (size_t k = 0; k < n; k++) {
        const size_t q = fill[g_ceil(go, t->o[k])]++;
        const double e = t->e[k], W = t->mult * (t->v_in[k] + t->v_out[k]);
        c->inv_o[q] = t->o[k] > 0 ? 1.0 / t->o[k] : 0;
        c->e[q] = e;
        c->cw[q] = W;
        c->w[q] = e > 0 ? W / e : 0;
        c->bucket_e[q] = SIZE_MAX;
        if (e > 0 && c->w[q] > 0) {
            size_t b = g_ceil(gi, e) - 1;
            c->bucket_e[q] = b;
            c->base_sw[b] += c->w[q];
            c->base_swx[b] += c->w[q] * e;
        }
    }
    free(fill);
    return 0;
}

/* The 1-D minimum from histogram sw/swx: returns f at the argmin, *ri_index the argmin. */
static double hist_min(const coupled_ctx *c, const double *sw, const double *swx,
                       size_t *ri_index)
{
    const grid *gi = c->gi;
    double total_w = 0, total_wx = 0;
    for (size_t b = 0; b < gi->n; b++) {
        total_w += sw[b];
        total_wx += swx[b];
    }
    double below_w = 0, below_wx = 0; /* buckets < k */
    size_t best = gi->n - 1;
    for (size_t k = 0; k + 1 < gi->n; k++) {
        const double d = gp(gi, k + 1) - gp(gi, k);
        const double gt = total_w - below_w - sw[k]; /* x > gp(k+1) */
        const double partial = swx[k] - gp(gi, k) * sw[k];
        if (c->t->c_in * d - d * gt - partial >= 0) {
            best = k;
            break;
        }
        below_w += sw[k];
        below_wx += swx[k];
    }
    const double r = gp(gi, best);
    *ri_index = best;
    return c->t->c_in * r + ((total_wx - below_wx) - r * (total_w - below_w));
}

/* g(j) and g(j + 1) (min over ri of the cost at ro = gp(j), gp(j + 1)) in one pass. */
static void coupled_eval2(coupled_ctx *c, size_t j, double g[2], size_t ri[2])
{
    const grid *gi = c->gi;
    const size_t top = c->go->n - 1;
    const size_t j1 = j < top ? j + 1 : j;
    const double ro[2] = {gp(c->go, j), gp(c->go, j1)};
    double c0[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        memcpy(c->sw[i], c->base_sw, gi->n * sizeof *c->sw[i]);
        memcpy(c->swx[i], c->base_swx, gi->n * sizeof *c->swx[i]);
    }
    const size_t end = c->start[c->go->n];
    for (int i = 0; i < 2; i++) {
        double *sw = c->sw[i], *swx = c->swx[i];
        double acc = 0;
        /* minutes with g_ceil(o) > j (or j1), i.e. o > ro[i] */
        for (size_t q = c->start[(i ? j1 : j) + 1]; q < end; q++) {
            const double so = 1.0 - ro[i] * c->inv_o[q];
            acc += c->cw[q] * so;
            const size_t be = c->bucket_e[q];
            if (be == SIZE_MAX)
                continue;
            const double wq = c->w[q], x = c->e[q] * (1.0 - so);
            sw[be] -= wq;
            swx[be] -= wq * c->e[q];
            if (x > 0) {
                const size_t b = g_ceil(gi, x) - 1;
                sw[b] += wq;
                swx[b] += wq * x;
            }
        }
        c0[i] = acc;
    }
    for (int i = 0; i < 2; i++)
        g[i] = hist_min(c, c->sw[i], c->swx[i], &ri[i]) + c0[i] + c->t->c_out * ro[i];
}

/* Exhaustive search with the quota (its cost is not convex): every grid pair, simulated. */
static tp_status optimum_exhaustive(const tp_demand *d, const tp_model_price *p,
                                    const tp_rec_options *o, const grid *gi, const grid *go,
                                    double *ri, double *ro, tp_error *err)
{
    const double work = (double)gi->n * (double)go->n * (double)d->minutes;
    if (work > 2e9)
        return tp_error_set(err, TP_ERR_INVALID,
                            "with --quota-tpm the optimum is found by simulating every grid "
                            "pair (%zu x %zu over %zu minutes): too many; narrow the window "
                            "or use a coarser reserved_step_tpm",
                            gi->n, go->n, d->minutes);
    double best = INFINITY;
    for (size_t a = 0; a < gi->n; a++)
        for (size_t c = 0; c < go->n; c++) {
            tp_sim_options so = {0};
            tp_sim_result r;
            so.reserve_input_tpm = gp(gi, a);
            so.reserve_output_tpm = gp(go, c);
            so.spill_model = o->spill_model;
            so.spill_to = o->spill_to;
            so.quota_tpm = o->quota_tpm;
            tp_status rc = tp_sim_run(d, p, &so, &r, err);
            if (rc != TP_OK)
                return rc;
            if (r.total_usd < best - 1e-12) {
                best = r.total_usd;
                *ri = so.reserve_input_tpm;
                *ro = so.reserve_output_tpm;
            }
        }
    return TP_OK;
}

static tp_status simulate_candidate(const tp_demand *d, const tp_model_price *p,
                                    const tp_rec_options *o, tp_basis basis, double ri,
                                    double ro, int months, tp_candidate *c, tp_error *err)
{
    tp_sim_options so = {0};
    so.reserve_input_tpm = ri;
    so.reserve_output_tpm = ro;
    so.spill_model = o->spill_model;
    so.spill_to = o->spill_to;
    so.quota_tpm = o->quota_tpm;
    if (basis == TP_BASIS_ON_DEMAND || basis == TP_BASIS_ALL_PRIORITY) {
        so.spill_to = basis == TP_BASIS_ALL_PRIORITY ? TP_SPILL_TO_PRIORITY
                                                     : TP_SPILL_TO_STANDARD;
        so.quota_tpm = 0;
    }
    memset(c, 0, sizeof *c);
    c->basis = basis;
    c->input_tpm = ri;
    c->output_tpm = ro;
    tp_status rc = tp_sim_run(d, p, &so, &c->sim, err);
    if (rc != TP_OK)
        return rc;
    const double hours = c->sim.hours > 0 ? c->sim.hours : 1;
    c->cost_per_hour_usd = c->sim.total_usd / hours;
    c->cost_per_month_usd = c->cost_per_hour_usd * TP_HOURS_PER_MONTH;
    c->cost_per_term_usd = c->cost_per_month_usd * months;
    c->savings_per_month_usd = c->sim.savings_usd / hours * TP_HOURS_PER_MONTH;
    return TP_OK;
}

/* Reserved prices for a commitment of `months` months: the catalog's term discount applied.
 * *discount receives the factor. */
static tp_status apply_term(const tp_model_price *in, int months, tp_model_price *out,
                            double *discount, tp_error *err)
{
    *out = *in;
    for (int k = 0; k < in->n_terms; k++)
        if (in->term_months[k] == months) {
            *discount = in->term_discount[k];
            out->reserved_input_per_1k_tpm_hour_usd *= *discount;
            out->reserved_output_per_1k_tpm_hour_usd *= *discount;
            return TP_OK;
        }
    return tp_error_set(err, TP_ERR_INVALID,
                        "the price catalog has no reserved_term_discount for a %d-month term "
                        "for \"%s\"",
                        months, in->entry);
}

/* The percentile candidates and "no reservation" do not depend on the optimum: on a second
 * core they are computed while the optimum is searched for. */
typedef struct cand_job {
    const tp_demand *d;
    const tp_model_price *p;
    const tp_rec_options *o;
    const terms *t;
    const grid *gi, *go;
    int months;
    tp_candidate out[5]; /* p25, p50, p90, p99, on_demand */
    tp_status rc;
    tp_error err;
} cand_job;

static void *candidates_thread(void *arg)
{
    cand_job *j = arg;
    tp_summary se, so;
    tp_error_clear(&j->err);
    if ((j->rc = tp_stats_summarize(j->t->e, j->t->n, &se, &j->err)) != TP_OK ||
        (j->rc = tp_stats_summarize(j->t->o, j->t->n, &so, &j->err)) != TP_OK)
        return NULL;
    const double pe[4] = {se.p25_tpm, se.p50_tpm, se.p90_tpm, se.p99_tpm};
    const double po[4] = {so.p25_tpm, so.p50_tpm, so.p90_tpm, so.p99_tpm};
    for (int k = 0; k < 4; k++)
        if ((j->rc = simulate_candidate(j->d, j->p, j->o, (tp_basis)k,
                                        gp(j->gi, g_ceil(j->gi, pe[k])),
                                        gp(j->go, g_ceil(j->go, po[k])), j->months, &j->out[k],
                                        &j->err)) != TP_OK)
            return NULL;
    j->rc = simulate_candidate(j->d, j->p, j->o, TP_BASIS_ON_DEMAND, 0, 0, j->months,
                               &j->out[4], &j->err);
    return NULL;
}

/* "All Priority" is "no reservation" with every token billed at the priority multiplier:
 * the same simulation with the spill cost scaled (R = 0 spills everything). */
static void derive_all_priority(const tp_candidate *od, const tp_model_price *p, int months,
                                tp_candidate *ap)
{
    const double ratio = p->tier_multiplier[TP_TIER_STANDARD] > 0
                             ? p->tier_multiplier[TP_TIER_PRIORITY] /
                                   p->tier_multiplier[TP_TIER_STANDARD]
                             : p->tier_multiplier[TP_TIER_PRIORITY];
    *ap = *od;
    ap->basis = TP_BASIS_ALL_PRIORITY;
    tp_sim_result *r = &ap->sim;
    r->spill_usd = od->sim.spill_usd * ratio;
    r->total_usd = r->reserved_usd + r->spill_usd;
    r->savings_usd = r->baseline_usd - r->total_usd;
    r->savings_pct = r->baseline_usd > 0 ? 100.0 * r->savings_usd / r->baseline_usd : NAN;
    const double served = r->total_tokens - r->throttled_tokens;
    r->blended_usd_per_million = served > 0 ? r->total_usd / served * 1e6 : NAN;
    const double hours = r->hours > 0 ? r->hours : 1;
    ap->cost_per_hour_usd = r->total_usd / hours;
    ap->cost_per_month_usd = ap->cost_per_hour_usd * TP_HOURS_PER_MONTH;
    ap->cost_per_term_usd = ap->cost_per_month_usd * months;
    ap->savings_per_month_usd = r->savings_usd / hours * TP_HOURS_PER_MONTH;
}

tp_status tp_recommend(const tp_demand *d, const tp_model_price *price_in,
                       const tp_rec_options *o, tp_recommendation *out, tp_error *err)
{
    tp_status rc = TP_OK;
    terms t = {0};
    buckets bi = {0}, bo = {0};
    pthread_t th;
    int threaded = 0; /* the candidates thread runs and must be joined */
    cand_job job;
    double *x = NULL, *w = NULL;
    tp_model_price p = *price_in;
    grid gi = {0, 0, 0, 0}, go = {0, 0, 0, 0};
    const size_t n = d->minutes;
    const int coupled = o->spill_model == TP_SPILL_COUPLED;
    memset(out, 0, sizeof *out);
    if (n == 0)
        return tp_error_set(err, TP_ERR_INVALID, "recommend: an empty window");
    if (p.reserved_input_per_1k_tpm_hour_usd < 0 || p.reserved_output_per_1k_tpm_hour_usd < 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "the price catalog has no reserved_per_1k_tpm_hour for \"%s\"",
                            p.entry);
    /* The term: its catalog discount scales the reserved prices everywhere below. */
    int months = tp_rec_term_months(o);
    double discount = 1;
    if ((rc = apply_term(price_in, months, &p, &discount, err)) != TP_OK)
        return rc;
    out->term_months = months;
    out->term_discount = discount;

    /* Per-minute terms at Standard prices; the spill tier enters as one multiplier. */
    t.n = n;
    t.e = malloc(n * sizeof *t.e);
    t.o = malloc(n * sizeof *t.o);
    t.v_in = malloc(n * sizeof *t.v_in);
    t.v_out = malloc(n * sizeof *t.v_out);
    x = malloc(n * sizeof *x);
    w = malloc(n * sizeof *w);
    if (!t.e || !t.o || !t.v_in || !t.v_out || !x || !w) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    const double std_mult = p.tier_multiplier[TP_TIER_STANDARD];
    double max_e = 0, max_o = 0, sum_e = 0, sum_vin = 0;
    for (size_t k = 0; k < n; k++) {
        const double i = d->input_tpm[k], r = d->cache_read_tpm[k], cw = d->cache_write_tpm[k];
        t.e[k] = tp_burn_down_tpm(i, r, cw, p.burn_down_cache_read, p.burn_down_cache_write);
        t.o[k] = d->output_tpm[k];
        t.v_in[k] = std_mult * (i * p.input_per_million_usd + r * p.cache_read_per_million_usd +
                                cw * p.cache_write_per_million_usd) / 1e6;
        t.v_out[k] = std_mult * t.o[k] * p.output_per_million_usd / 1e6;
        max_e = t.e[k] > max_e ? t.e[k] : max_e;
        max_o = t.o[k] > max_o ? t.o[k] : max_o;
        sum_e += t.e[k];
        sum_vin += t.v_in[k];
    }
    t.mult = o->spill_to == TP_SPILL_TO_NONE ? 0.0
             : o->spill_to == TP_SPILL_TO_PRIORITY
                 ? p.tier_multiplier[TP_TIER_PRIORITY] / (std_mult > 0 ? std_mult : 1)
                 : 1.0;
    const double hours = (double)n / 60.0;
    t.c_in = hours * p.reserved_input_per_1k_tpm_hour_usd / 1000.0;
    t.c_out = hours * p.reserved_output_per_1k_tpm_hour_usd / 1000.0;
    if ((rc = grid_init(&gi, p.reserved_minimum_input_tpm, p.reserved_step_tpm, max_e, err)) !=
            TP_OK ||
        (rc = grid_init(&go, p.reserved_minimum_output_tpm, p.reserved_step_tpm, max_o, err)) !=
            TP_OK)
        goto cleanup;
    out->grid_input_points = gi.n;
    out->grid_output_points = go.n;
    bi.sw = calloc(gi.n, sizeof *bi.sw);
    bi.swx = calloc(gi.n, sizeof *bi.swx);
    bo.sw = calloc(go.n, sizeof *bo.sw);
    bo.swx = calloc(go.n, sizeof *bo.swx);
    if (!bi.sw || !bi.swx || !bo.sw || !bo.swx) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }

    /* Break-even utilization: reserved price of a TPM-hour over the on-demand value of the
     * 60 tokens it serves in that hour, at the window's average mix. */
    out->break_even_utilization_input =
        sum_e > 0 && sum_vin > 0
            ? (p.reserved_input_per_1k_tpm_hour_usd / 1000.0) / (60.0 * sum_vin / sum_e)
            : NAN;
    out->break_even_utilization_output =
        p.output_per_million_usd > 0
            ? (p.reserved_output_per_1k_tpm_hour_usd / 1000.0) /
                  (60.0 * std_mult * p.output_per_million_usd / 1e6)
            : NAN;

    /* Percentile candidates (on another thread when one can be had). */
    memset(&job, 0, sizeof job);
    job.d = d;
    job.p = &p;
    job.o = o;
    job.t = &t;
    job.gi = &gi;
    job.go = &go;
    job.months = months;
    threaded = pthread_create(&th, NULL, candidates_thread, &job) == 0;
    if (!threaded)
        candidates_thread(&job);
    size_t nc = 0;
    /* The cost optimum. */
    double opt_i = 0, opt_o = 0;
    if (o->quota_tpm > 0) {
        if ((rc = optimum_exhaustive(d, &p, o, &gi, &go, &opt_i, &opt_o, err)) != TP_OK)
            goto cleanup;
    } else if (!coupled) {
        for (size_t k = 0; k < n; k++)
            w[k] = t.e[k] > 0 ? t.mult * t.v_in[k] / t.e[k] : 0;
        opt_i = gp(&gi, solve_1d(&gi, &bi, t.c_in, t.e, w, n));
        for (size_t k = 0; k < n; k++)
            w[k] = t.o[k] > 0 ? t.mult * t.v_out[k] / t.o[k] : 0;
        opt_o = gp(&go, solve_1d(&go, &bo, t.c_out, t.o, w, n));
    } else {
        /* g(j) = min over ri of cost(ri, gp(j)): convex in ro (a partial minimum of a jointly
         * convex function); binary search for its first non-negative forward difference,
         * then a look at the neighbours, which guards against flat stretches on the grid. */
        coupled_ctx cc;
        if (coupled_init(&cc, &t, &gi, &go) != 0) {
            coupled_free(&cc);
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        /* g values already computed (the neighbour check mostly finds them here) */
        double *gmemo = malloc(go.n * sizeof *gmemo);
        size_t *rimemo = malloc(go.n * sizeof *rimemo);
        if (gmemo == NULL || rimemo == NULL) {
            free(gmemo);
            free(rimemo);
            coupled_free(&cc);
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        for (size_t j = 0; j < go.n; j++)
            gmemo[j] = NAN;
        size_t lo = 0, hi = go.n - 1, ri_k[2];
        double g[2];
#define G_PAIR(j)                                                                               \
    do {                                                                                        \
        if (isnan(gmemo[j]) || ((j) + 1 < go.n && isnan(gmemo[(j) + 1]))) {                    \
            coupled_eval2(&cc, (j), g, ri_k);                                                   \
            gmemo[j] = g[0], rimemo[j] = ri_k[0];                                               \
            if ((j) + 1 < go.n)                                                                 \
                gmemo[(j) + 1] = g[1], rimemo[(j) + 1] = ri_k[1];                               \
        }                                                                                       \
    } while (0)
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            G_PAIR(mid);
            if (gmemo[mid + 1] - gmemo[mid] >= 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        /* the neighbours lo - 1 .. lo + 2, in case the grid left a flat stretch */
        double best = INFINITY;
        for (size_t j = lo >= 1 ? lo - 1 : 0; j <= lo + 2 && j < go.n; j++) {
            G_PAIR(j);
            if (gmemo[j] < best - 1e-12) {
                best = gmemo[j];
                opt_i = gp(&gi, rimemo[j]);
                opt_o = gp(&go, j);
            }
        }
#undef G_PAIR
        free(gmemo);
        free(rimemo);
        coupled_free(&cc);
    }
    if (threaded) {
        pthread_join(th, NULL);
        threaded = 0;
    }
    if (job.rc != TP_OK) {
        rc = job.rc;
        if (err != NULL)
            *err = job.err;
        goto cleanup;
    }
    for (int k = 0; k < 4; k++)
        out->candidates[nc++] = job.out[k];
    size_t opt_index = nc;
    if ((rc = simulate_candidate(d, &p, o, TP_BASIS_OPTIMAL, opt_i, opt_o, months,
                                 &out->candidates[nc++], err)) != TP_OK)
        goto cleanup;
    out->candidates[nc++] = job.out[4];
    derive_all_priority(&job.out[4], &p, months, &out->candidates[nc++]);
    out->recommended = opt_index;

    /* Service level: the cheapest reservation with at most K spill (or throttled) minutes. */
    int slo = o->has_max_spill_minutes_pct || o->has_max_throttled_minutes ||
              o->spill_to == TP_SPILL_TO_NONE;
    if (slo) {
        if (o->quota_tpm > 0 && o->has_max_throttled_minutes) {
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "--max-throttled-minutes with --quota-tpm is not supported yet: "
                              "use --max-spill-minutes-pct");
            goto cleanup;
        }
        /* Spill minutes bound throttled ones only when spill is throttled whole (none). */
        double k_allowed = INFINITY;
        if (o->has_max_spill_minutes_pct)
            k_allowed = floor(o->max_spill_minutes_pct / 100.0 * (double)n + 1e-9);
        if (o->spill_to == TP_SPILL_TO_NONE) {
            double kt = o->has_max_throttled_minutes ? (double)o->max_throttled_minutes : 0;
            k_allowed = kt < k_allowed ? kt : k_allowed;
        }
        double best = INFINITY, best_i = 0, best_o = 0;
        size_t *cnt = calloc(gi.n, sizeof *cnt);
        if (cnt == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        size_t opt_i_indep = 0;
        if (!coupled) {
            for (size_t k = 0; k < n; k++)
                w[k] = t.e[k] > 0 ? t.mult * t.v_in[k] / t.e[k] : 0;
            opt_i_indep = solve_1d(&gi, &bi, t.c_in, t.e, w, n);
        }
        for (size_t j = 0; j < go.n; j++) {
            const double ro = gp(&go, j);
            size_t over_o = 0;
            memset(cnt, 0, gi.n * sizeof *cnt);
            for (size_t k = 0; k < n; k++) {
                if (t.o[k] > ro)
                    over_o++;
                else if (t.e[k] > 0)
                    cnt[g_ceil(&gi, t.e[k])]++; /* spills for every grid point below */
            }
            if ((double)over_o > k_allowed)
                continue;
            /* smallest ri index with #{e > gp(ri)} <= k_allowed - over_o */
            size_t need = 0;
            double left = (double)over_o;
            for (size_t a = gi.n; a-- > 0;) {
                /* minutes with g_ceil(e) > a spill at gp(a) */
                if (a + 1 < gi.n)
                    left += (double)cnt[a + 1];
                if (left > k_allowed) {
                    need = a + 1;
                    break;
                }
            }
            size_t ri_opt = coupled ? coupled_inner(&t, &gi, &bi, ro, x, w) : opt_i_indep;
            size_t ri_k = need > ri_opt ? need : ri_opt;
            double c = cost_of(&t, coupled, gp(&gi, ri_k), ro);
            if (c < best - 1e-12) {
                best = c;
                best_i = gp(&gi, ri_k);
                best_o = ro;
            }
        }
        free(cnt);
        if (!isfinite(best)) {
            rc = tp_error_set(err, TP_ERR_INVALID, "no reservation on the grid meets the service "
                                                   "level");
            goto cleanup;
        }
        if ((rc = simulate_candidate(d, &p, o, TP_BASIS_SLO, best_i, best_o, months,
                                     &out->candidates[nc], err)) != TP_OK)
            goto cleanup;
        out->recommended = nc++;
        if (o->spill_to == TP_SPILL_TO_NONE && !o->has_max_spill_minutes_pct)
            snprintf(out->reason, sizeof out->reason,
                     "with --spill-to none overflow is throttled, not billed: the cheapest "
                     "reservation with at most %.0f throttled minutes",
                     k_allowed);
        else
            snprintf(out->reason, sizeof out->reason,
                     "the cheapest reservation on the grid with at most %.0f of %zu minutes "
                     "spilling%s",
                     k_allowed, n, o->spill_to == TP_SPILL_TO_NONE ? " (throttled)" : "");
    } else {
        const tp_candidate *c = &out->candidates[opt_index];
        if (c->input_tpm == 0 && c->output_tpm == 0)
            snprintf(out->reason, sizeof out->reason,
                     "no reservation pays for itself at these prices: on-demand is cheapest");
        else
            snprintf(out->reason, sizeof out->reason,
                     "the lowest total cost (reserved + spill) on the grid, %s spill to %s%s",
                     tp_spill_model_name(o->spill_model), tp_spill_to_name(o->spill_to),
                     o->quota_tpm > 0 ? ", found by exhaustive search (quota)" : "");
    }
    out->n_candidates = nc;
cleanup:
    if (threaded)
        pthread_join(th, NULL); /* the thread reads t, freed below */
    terms_free(&t);
    free(x);
    free(w);
    free(bi.sw);
    free(bi.swx);
    free(bo.sw);
    free(bo.swx);
    return rc;
}

/* ---- what-if ---- */

struct tp_whatif {
    double *in, *out, *cr, *cw;
    tp_demand d;
};

tp_status tp_whatif_apply(const tp_demand *d, double scale, double delta, tp_whatif **out,
                          tp_error *err)
{
    *out = NULL;
    if (!(scale >= 0) || !isfinite(scale))
        return tp_error_set(err, TP_ERR_USAGE, "--scale must be a number >= 0");
    if (!(delta >= -1 && delta <= 1))
        return tp_error_set(err, TP_ERR_USAGE, "--cache-hit-delta must be within [-1, 1]");
    tp_whatif *w = calloc(1, sizeof *w);
    size_t n = d->minutes ? d->minutes : 1;
    if (w == NULL || !(w->in = malloc(n * sizeof *w->in)) || !(w->out = malloc(n * sizeof *w->out)) ||
        !(w->cr = malloc(n * sizeof *w->cr)) || !(w->cw = malloc(n * sizeof *w->cw))) {
        tp_whatif_free(w);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < d->minutes; k++) {
        double i = d->input_tpm[k] * scale, r = d->cache_read_tpm[k] * scale;
        double moved = delta * (i + r); /* share of the cacheable prompt that changes side */
        if (moved > i)
            moved = i;
        if (-moved > r)
            moved = -r;
        w->in[k] = i - moved;
        w->cr[k] = r + moved;
        w->cw[k] = d->cache_write_tpm[k] * scale;
        w->out[k] = d->output_tpm[k] * scale;
    }
    w->d = *d;
    w->d.input_tpm = w->in;
    w->d.output_tpm = w->out;
    w->d.cache_read_tpm = w->cr;
    w->d.cache_write_tpm = w->cw;
    *out = w;
    return TP_OK;
}

tp_demand tp_whatif_demand(const tp_whatif *w)
{
    return w->d;
}

void tp_whatif_free(tp_whatif *w)
{
    if (w == NULL)
        return;
    free(w->in);
    free(w->out);
    free(w->cr);
    free(w->cw);
    free(w);
}

/* ---- windows: seasonal plans and backtests ---- */

tp_status tp_windows_by_month(int64_t from_minute, int64_t to_minute, tp_window **out,
                              size_t *n, tp_error *err)
{
    *out = NULL;
    *n = 0;
    if (to_minute <= from_minute)
        return tp_error_set(err, TP_ERR_USAGE, "windows: an empty span");
    size_t cap = 0, k = 0;
    tp_window *w = NULL;
    int64_t cur = from_minute;
    while (cur < to_minute) {
        char ts[TP_TIME_BUF];
        int64_t next;
        /* first minute of the next calendar month: parse "YYYY-MM" of cur, step a month */
        tp_time_format(cur * 60, ts);
        int y = (ts[0] - '0') * 1000 + (ts[1] - '0') * 100 + (ts[2] - '0') * 10 + (ts[3] - '0');
        int m = (ts[5] - '0') * 10 + (ts[6] - '0');
        if (++m == 13) {
            m = 1;
            y++;
        }
        char nb[32];
        snprintf(nb, sizeof nb, "%04d-%02d-01", y, m);
        if (tp_time_parse(nb, strlen(nb), &next) != TP_OK) {
            free(w);
            return tp_error_set(err, TP_ERR_INVALID, "windows: a date out of range");
        }
        next /= 60;
        if (next > to_minute)
            next = to_minute;
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            tp_window *nw = realloc(w, cap * sizeof *nw);
            if (nw == NULL) {
                free(w);
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            }
            w = nw;
        }
        w[k].from_minute = cur;
        w[k].to_minute = next;
        k++;
        cur = next;
    }
    *out = w;
    *n = k;
    return TP_OK;
}

static int cmp_window(const void *a, const void *b)
{
    const tp_window *x = a, *y = b;
    return x->from_minute < y->from_minute ? -1 : x->from_minute > y->from_minute;
}

tp_status tp_windows_parse(const char *name, const char *text, size_t len, tp_window **out,
                           size_t *n, tp_error *err)
{
    tp_window *w = NULL;
    size_t k = 0, cap = 0, line = 0, off = 0;
    tp_status rc = TP_OK;
    *out = NULL;
    *n = 0;
    while (off < len) {
        const char *ls = text + off, *nl = memchr(ls, '\n', len - off);
        size_t ll = nl ? (size_t)(nl - ls) : len - off;
        off += ll + (nl != NULL);
        line++;
        while (ll > 0 && (ls[ll - 1] == '\r' || ls[ll - 1] == ' ' || ls[ll - 1] == '\t'))
            ll--;
        while (ll > 0 && (*ls == ' ' || *ls == '\t'))
            ls++, ll--;
        if (ll == 0 || *ls == '#')
            continue;
        const char *comma = memchr(ls, ',', ll);
        if (line == 1 && ll == 7 && memcmp(ls, "from,to", 7) == 0)
            continue;
        int64_t a, b;
        if (comma == NULL || tp_time_parse(ls, (size_t)(comma - ls), &a) != TP_OK ||
            tp_time_parse(comma + 1, ll - (size_t)(comma - ls) - 1, &b) != TP_OK) {
            rc = tp_error_set(err, TP_ERR_PARSE,
                              "%s:%zu: expected \"from,to\" as two ISO 8601 timestamps", name,
                              line);
            goto cleanup;
        }
        if (b <= a) {
            rc = tp_error_set(err, TP_ERR_INVALID, "%s:%zu: the window ends before it starts",
                              name, line);
            goto cleanup;
        }
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            tp_window *nw = realloc(w, cap * sizeof *nw);
            if (nw == NULL) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
            w = nw;
        }
        w[k].from_minute = a >= 0 ? a / 60 : -((-a + 59) / 60);
        w[k].to_minute = b >= 0 ? b / 60 : -((-b + 59) / 60);
        k++;
    }
    if (k == 0) {
        rc = tp_error_set(err, TP_ERR_PARSE, "%s: no windows", name);
        goto cleanup;
    }
    qsort(w, k, sizeof *w, cmp_window);
    for (size_t i = 1; i < k; i++)
        if (w[i].from_minute < w[i - 1].to_minute) {
            rc = tp_error_set(err, TP_ERR_INVALID, "%s: windows overlap", name);
            goto cleanup;
        }
    *out = w;
    *n = k;
    w = NULL;
cleanup:
    free(w);
    return rc;
}

/* Loads [from, to) of the model and recommends; *best receives the recommended candidate. */
static tp_status recommend_window(tp_store *store, const tp_series_query *q, tp_window win,
                                  const tp_model_price *price, const tp_rec_options *o,
                                  int force, tp_candidate *best, char *reason, size_t rsize,
                                  tp_error *err)
{
    tp_series *s = NULL;
    tp_series_query wq = *q;
    tp_recommendation rec;
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    wq.has_from = wq.has_to = 1;
    wq.from_minute = win.from_minute;
    wq.to_minute = win.to_minute;
    tp_status rc = tp_series_load(store, &wq, &s, err);
    if (rc != TP_OK)
        return rc;
    if (tp_series_minutes_with_data(s) == 0 ||
        (!force && tp_series_minutes(s) < TP_RECOMMEND_MIN_MINUTES)) {
        rc = tp_error_set(err, TP_ERR_INVALID,
                          "window %s .. %s: too little data to size from (pass --force)",
                          tp_time_format(win.from_minute * 60, a),
                          tp_time_format(win.to_minute * 60, b));
        goto cleanup;
    }
    tp_demand d = tp_series_demand(s);
    if ((rc = tp_recommend(&d, price, o, &rec, err)) != TP_OK)
        goto cleanup;
    *best = rec.candidates[rec.recommended];
    if (reason != NULL)
        snprintf(reason, rsize, "%s", rec.reason);
cleanup:
    tp_series_free(s);
    return rc;
}

static tp_status check_term(const tp_window *w, const tp_rec_options *o, tp_error *err)
{
    const int months = tp_rec_term_months(o);
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    if (w->to_minute - w->from_minute < (int64_t)months * TP_TERM_MONTH_MIN_MINUTES)
        return tp_error_set(err, TP_ERR_INVALID,
                            "window %s .. %s is shorter than the %d-month commitment term "
                            "(a reservation cannot be bought for less)",
                            tp_time_format(w->from_minute * 60, a),
                            tp_time_format(w->to_minute * 60, b), months);
    return TP_OK;
}

tp_status tp_recommend_seasonal(tp_store *store, const tp_series_query *q,
                                const tp_window *windows, size_t n,
                                const tp_model_price *price, const tp_rec_options *o,
                                int force, tp_seasonal **out, tp_error *err)
{
    tp_status rc = TP_OK;
    *out = NULL;
    if (n == 0)
        return tp_error_set(err, TP_ERR_USAGE, "seasonal: no windows");
    for (size_t i = 0; i < n; i++)
        if ((rc = check_term(&windows[i], o, err)) != TP_OK)
            return rc;
    tp_seasonal *s = calloc(1, sizeof *s);
    if (s == NULL || (s->windows = calloc(n, sizeof *s->windows)) == NULL) {
        tp_seasonal_free(s);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    s->n = n;
    s->span.from_minute = windows[0].from_minute;
    s->span.to_minute = windows[n - 1].to_minute;
    for (size_t i = 0; i < n; i++) {
        s->windows[i].window = windows[i];
        if ((rc = recommend_window(store, q, windows[i], price, o, force,
                                   &s->windows[i].recommended, s->windows[i].reason,
                                   sizeof s->windows[i].reason, err)) != TP_OK)
            goto cleanup;
        s->seasonal_total_usd += s->windows[i].recommended.sim.total_usd;
    }
    if ((rc = recommend_window(store, q, s->span, price, o, force, &s->flat, NULL, 0, err)) !=
        TP_OK)
        goto cleanup;
    s->flat_total_usd = s->flat.sim.total_usd;
    *out = s;
    s = NULL;
cleanup:
    tp_seasonal_free(s);
    return rc;
}

void tp_seasonal_free(tp_seasonal *s)
{
    if (s == NULL)
        return;
    free(s->windows);
    free(s);
}

tp_status tp_backtest_run(tp_store *store, const tp_series_query *q, int64_t train_until,
                          const tp_model_price *price, const tp_rec_options *o, int force,
                          tp_backtest *out, tp_error *err)
{
    tp_series *all = NULL, *test = NULL;
    tp_status rc;
    memset(out, 0, sizeof *out);
    /* the whole span: the query's window, or the model's data */
    if ((rc = tp_series_load(store, q, &all, err)) != TP_OK)
        return rc;
    const int64_t from = tp_series_from_minute(all),
                  to = from + (int64_t)tp_series_minutes(all);
    tp_series_free(all);
    if (train_until <= from || train_until >= to)
        return tp_error_set(err, TP_ERR_USAGE,
                            "--train-until must fall inside the data's window, leaving data "
                            "on both sides");
    out->train.from_minute = from;
    out->train.to_minute = train_until;
    out->test.from_minute = train_until;
    out->test.to_minute = to;
    if ((rc = recommend_window(store, q, out->train, price, o, force, &out->trained, NULL, 0,
                               err)) != TP_OK ||
        (rc = recommend_window(store, q, out->test, price, o, force, &out->hindsight, NULL, 0,
                               err)) != TP_OK)
        return rc;
    /* the trained reservation, replayed on the test window */
    tp_series_query tq = *q;
    tq.has_from = tq.has_to = 1;
    tq.from_minute = out->test.from_minute;
    tq.to_minute = out->test.to_minute;
    if ((rc = tp_series_load(store, &tq, &test, err)) != TP_OK)
        return rc;
    tp_demand d = tp_series_demand(test);
    tp_model_price p;
    double discount;
    int months = tp_rec_term_months(o);
    if ((rc = apply_term(price, months, &p, &discount, err)) != TP_OK)
        goto cleanup;
    if ((rc = simulate_candidate(&d, &p, o, out->trained.basis, out->trained.input_tpm,
                                 out->trained.output_tpm, months, &out->trained_on_test,
                                 err)) != TP_OK ||
        (rc = simulate_candidate(&d, &p, o, TP_BASIS_ON_DEMAND, 0, 0, months,
                                 &out->on_demand_test, err)) != TP_OK)
        goto cleanup;
    out->regret_usd = out->trained_on_test.sim.total_usd - out->hindsight.sim.total_usd;
cleanup:
    tp_series_free(test);
    return rc;
}
