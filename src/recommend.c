/* recommend.c - exact reservation sizing on the catalog's grid (docs/model.md, "Recommendation"). */
#include "tierplan/recommend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/stats.h"

static const char *const basis_names[TP_BASIS_COUNT] = {
    "p25", "p50", "p90", "p99", "optimal", "on_demand", "all_priority", "slo"};

const char *tp_basis_name(tp_basis b)
{
    return (unsigned)b < TP_BASIS_COUNT ? basis_names[b] : "?";
}

/* ---- the grid: 0, then the catalog minimum plus whole steps ---- */

typedef struct grid {
    double min, step;
    size_t n; /* points 0 .. n-1 cover the largest demand */
} grid;

static double gp(const grid *g, size_t k)
{
    if (k == 0)
        return 0;
    return g->min > 0 ? g->min + (double)(k - 1) * g->step : (double)k * g->step;
}

/* Smallest k with gp(k) >= x (x >= 0). */
static size_t g_ceil(const grid *g, double x)
{
    if (x <= 0)
        return 0;
    if (g->min > 0) {
        if (x <= g->min)
            return 1;
        return 1 + (size_t)ceil((x - g->min) / g->step - 1e-12);
    }
    return (size_t)ceil(x / g->step - 1e-12);
}

static tp_status grid_init(grid *g, double min, double step, double max_x, tp_error *err)
{
    g->min = min;
    g->step = step;
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

tp_status tp_recommend(const tp_demand *d, const tp_model_price *price_in,
                       const tp_rec_options *o, tp_recommendation *out, tp_error *err)
{
    tp_status rc = TP_OK;
    terms t = {0};
    buckets bi = {0}, bo = {0};
    double *x = NULL, *w = NULL;
    tp_model_price p = *price_in;
    grid gi = {0, 0, 0}, go = {0, 0, 0};
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
    int months = o->term_months > 0 ? o->term_months : 1;
    double discount = -1;
    for (int k = 0; k < p.n_terms; k++)
        if (p.term_months[k] == months)
            discount = p.term_discount[k];
    if (discount < 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "the price catalog has no reserved_term_discount for a %d-month "
                            "term for \"%s\"",
                            months, p.entry);
    p.reserved_input_per_1k_tpm_hour_usd *= discount;
    p.reserved_output_per_1k_tpm_hour_usd *= discount;
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

    /* Percentile candidates, rounded up to the grid. */
    tp_summary se, so_;
    if ((rc = tp_stats_summarize(t.e, n, &se, err)) != TP_OK ||
        (rc = tp_stats_summarize(t.o, n, &so_, err)) != TP_OK)
        goto cleanup;
    const double pe[4] = {se.p25_tpm, se.p50_tpm, se.p90_tpm, se.p99_tpm};
    const double po[4] = {so_.p25_tpm, so_.p50_tpm, so_.p90_tpm, so_.p99_tpm};
    size_t nc = 0;
    for (int k = 0; k < 4; k++) {
        rc = simulate_candidate(d, &p, o, (tp_basis)k, gp(&gi, g_ceil(&gi, pe[k])),
                                gp(&go, g_ceil(&go, po[k])), months, &out->candidates[nc++],
                                err);
        if (rc != TP_OK)
            goto cleanup;
    }

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
        size_t lo = 0, hi = go.n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            double r0 = gp(&go, mid), r1 = gp(&go, mid + 1);
            double c0 = cost_of(&t, 1, gp(&gi, coupled_inner(&t, &gi, &bi, r0, x, w)), r0);
            double c1 = cost_of(&t, 1, gp(&gi, coupled_inner(&t, &gi, &bi, r1, x, w)), r1);
            if (c1 - c0 >= 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        double best = INFINITY;
        size_t from = lo >= 2 ? lo - 2 : 0, to = lo + 2 < go.n ? lo + 2 : go.n - 1;
        for (size_t j = from; j <= to; j++) {
            double ro = gp(&go, j), ri = gp(&gi, coupled_inner(&t, &gi, &bi, ro, x, w));
            double c = cost_of(&t, 1, ri, ro);
            if (c < best - 1e-12) {
                best = c;
                opt_i = ri;
                opt_o = ro;
            }
        }
    }
    size_t opt_index = nc;
    if ((rc = simulate_candidate(d, &p, o, TP_BASIS_OPTIMAL, opt_i, opt_o, months,
                                 &out->candidates[nc++], err)) != TP_OK ||
        (rc = simulate_candidate(d, &p, o, TP_BASIS_ON_DEMAND, 0, 0, months,
                                 &out->candidates[nc++], err)) != TP_OK ||
        (rc = simulate_candidate(d, &p, o, TP_BASIS_ALL_PRIORITY, 0, 0, months,
                                 &out->candidates[nc++], err)) != TP_OK)
        goto cleanup;
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
