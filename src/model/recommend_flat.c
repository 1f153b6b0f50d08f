/* recommend_flat.c - the flat region around a recommendation: the sizes whose cost stays within
 * 0.5% of the recommended one, so that a gate can tell a jump along a flat cost curve from a
 * real change (docs/model.md, "The flat region"). Uses the recommender's own cost terms. */
#include "tierplan/recommend.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/recommend_internal.h"

/* One axis of the flat region, the other side fixed. Along it the recommender's cost is
 *   f(R) = c R + C0 + sum_t w_t max(0, x_t - R)
 * (the form rec_solve_1d minimises; docs/model.md, "The flat region"): independent spill,
 * x = the axis' own demand, w = mult v / x, C0 = c_other fixed + mult (the other side's spill);
 * coupled, spilling max(s_axis, s_other) of W = v_in + v_out is s_other + max(0, x - R) / e with
 * x = e (1 - s_other), w = mult W / e, C0 = c_other fixed + mult sum W s_other. Bucketed on the
 * grid as rec_solve_1d does (bucket k-1 holds gp(k-1) < x <= gp(k)), suffix sums give f at
 * every grid point in one pass over the minutes: f(gp(k)) = c gp(k) + C0 + SWX(k) - gp(k) SW(k),
 * SW and SWX the sums of w and w x over buckets k and up. */
typedef struct flat_axis {
    const rec_terms *t; /* the constants only: the per-minute terms are derived (flat_src) */
    const struct flat_src *src;
    const rec_grid *g;
    int input_axis;
    double fixed; /* the other side's reservation */
    double *f;    /* g->n costs from the buckets (the caller's array) */
    double tol;   /* |f - cost_at| is below this at every grid point */
} flat_axis;

/* The demand the terms are derived from, minute by minute, as rec_terms_fill would store them
 * (rec_minute_terms): a year's four term arrays (16.8 MB) are never written. */
typedef struct flat_src {
    const tp_demand *d;
    const tp_model_price *p;
    double std_mult;
} flat_src;

/* Minute k's terms (rec_terms_fill's e, o, v_in and v_out of it, to the bit). */
static inline void src_minute(const flat_src *s, size_t k, double *e, double *o, double *v_in,
                              double *v_out)
{
    const tp_demand *d = s->d;
    rec_minute_terms(s->p, s->std_mult, d->input_tpm[k], d->cache_read_tpm[k],
                     d->cache_write_tpm[k], d->output_tpm[k], e, o, v_in, v_out);
}

/* rec_cost_of(t, t->coupled, ri, ro) on the derived terms: the same operations in the same
 * order, so the same double. With max (2 doubles), also rec_terms_fill's extent of e and o
 * into max[0] and max[1] (the largest, in minute order from 0), in the same pass. */
static double cost_at(const rec_terms *t, const flat_src *s, double ri, double ro, double *max)
{
    double spill = 0, max_e = 0, max_o = 0;
    const int coupled = t->coupled;
    for (size_t k = 0; k < t->n; k++) {
        double e, o, v_in, v_out;
        src_minute(s, k, &e, &o, &v_in, &v_out);
        max_e = e > max_e ? e : max_e;
        max_o = o > max_o ? o : max_o;
        double si = e > ri && e > 0 ? 1.0 - ri / e : 0.0;
        double so = o > ro && o > 0 ? 1.0 - ro / o : 0.0;
        if (coupled) {
            double sm = si > so ? si : so;
            spill += sm * (v_in + v_out);
        } else {
            spill += si * v_in + so * v_out;
        }
    }
    if (max != NULL) {
        max[0] = max_e;
        max[1] = max_o;
    }
    return t->c_in * ri + t->c_out * ro + t->mult * spill;
}

/* One axis' buckets over the minutes: the other side's fixed spill c0 and, per grid bucket, the
 * sums of w and w x (sw, swx: the axis' own, g->n each, zeroed first). */
typedef struct axis_acc {
    double c0;
    double *sw, *swx;
} axis_acc;

/* Minute (e, o, v_in, v_out) into axis a's buckets, exactly as one axis' own pass adds it. */
static inline void axis_minute(const flat_axis *a, axis_acc *acc, double e, double o, double v_in,
                               double v_out)
{
    const rec_grid *g = a->g;
    const int input_axis = a->input_axis;
    const double x0 = input_axis ? e : o, y = input_axis ? o : e;
    const double v_own = input_axis ? v_in : v_out, v_other = input_axis ? v_out : v_in;
    const double r = a->fixed;
    /* the other side's share, exactly as rec_cost_of computes it */
    const double so = y > r && y > 0 ? 1.0 - r / y : 0.0;
    double x, w;
    if (a->t->coupled) {
        const double big_w = v_in + v_out;
        acc->c0 += so * big_w;
        x = x0 * (1.0 - so);
        w = x0 > 0 ? big_w / x0 : 0;
    } else {
        acc->c0 += so * v_other;
        x = x0;
        w = x0 > 0 ? v_own / x0 : 0;
    }
    if (!(x > 0) || w == 0)
        return;
    size_t b = rec_g_ceil(g, x);
    REC_GRID_INDEX_OK(g, b);
    if (b >= g->n)
        b = g->n - 1; /* cannot happen: the grid covers the largest demand */
    acc->sw[b - 1] += w;
    acc->swx[b - 1] += w * x;
}

/* Both axes' buckets in one pass over the minutes (each axis' sums in minute order, as a pass
 * of its own adds them); *mag: the sum of |v_in| + |v_out|, the size of every spill sum. */
static void axes_buckets(const flat_axis *ai, axis_acc *acc_i, const flat_axis *ao,
                         axis_acc *acc_o, double *mag)
{
    const rec_terms *t = ai->t;
    double m = 0;
    acc_i->c0 = acc_o->c0 = 0;
    memset(acc_i->sw, 0, ai->g->n * sizeof *acc_i->sw);
    memset(acc_i->swx, 0, ai->g->n * sizeof *acc_i->swx);
    memset(acc_o->sw, 0, ao->g->n * sizeof *acc_o->sw);
    memset(acc_o->swx, 0, ao->g->n * sizeof *acc_o->swx);
    for (size_t k = 0; k < t->n; k++) {
        double e, o, v_in, v_out;
        src_minute(ai->src, k, &e, &o, &v_in, &v_out);
        m += fabs(v_in) + fabs(v_out);
        axis_minute(ai, acc_i, e, o, v_in, v_out);
        axis_minute(ao, acc_o, e, o, v_in, v_out);
    }
    *mag = m;
}

/* Fills a->f (caller's array of g->n doubles) and a->tol from the axis' buckets. */
static void axis_costs(flat_axis *a, const axis_acc *acc, double mag)
{
    const rec_terms *t = a->t;
    const rec_grid *g = a->g;
    const double c = a->input_axis ? t->c_in : t->c_out;
    const double c_other = a->input_axis ? t->c_out : t->c_in;
    const double r = a->fixed;
    /* suffix sums: s_w and s_wx at k are the sums over x > gp(k) */
    double s_w = 0, s_wx = 0;
    for (size_t k = g->n; k-- > 0;) {
        s_w += acc->sw[k];
        s_wx += acc->swx[k];
        const double gp = rec_gp(g, k);
        a->f[k] = c * gp + c_other * r + t->mult * (acc->c0 + (s_wx - gp * s_w));
    }
    /* Rounding: every sum above (and rec_cost_of's own) adds at most n + g->n terms whose
     * absolute values sum to at most mag (spill) or the reserved terms, each term off by a few
     * ulps: each side is within (n + g->n + 8) eps of that scale, so twice that, with margin,
     * bounds their difference. */
    const double top = rec_gp(g, g->n - 1);
    const double scale = fabs(t->mult) * mag + fabs(c) * top + fabs(c_other) * fabs(r);
    a->tol = 8.0 * ((double)t->n + (double)g->n + 64.0) * DBL_EPSILON * scale;
}

/* Whether grid point k stays within limit, as the per-point walk decides it: f[k] settles it
 * when it is further than tol from the limit, rec_cost_of (cost_at) otherwise (and for NaN). */
static int within(const flat_axis *a, size_t k, double limit)
{
    const double f = a->f[k];
    if (f <= limit - a->tol)
        return 1;
    if (f > limit + a->tol)
        return 0;
    const double x = rec_gp(a->g, k);
    const double c = a->input_axis ? cost_at(a->t, a->src, x, a->fixed, NULL)
                                   : cost_at(a->t, a->src, a->fixed, x, NULL);
    return c <= limit;
}

/* From grid index k0, the lowest and highest indices reached on the axis without the cost
 * rising above limit (the walk stops at the first point over it, each way). down: 0 keeps the
 * low end at k0 (a service level). */
static void scan(const flat_axis *a, size_t k0, double limit, int down, double out[2])
{
    size_t lo = k0, hi = k0;
    for (; down && lo > 0 && within(a, lo - 1, limit); lo--)
        ;
    for (; hi + 1 < a->g->n && within(a, hi + 1, limit); hi++)
        ;
    out[0] = rec_gp(a->g, lo);
    out[1] = rec_gp(a->g, hi);
}

tp_status tp_recommend_flat_region(const tp_demand *d, const tp_model_price *price,
                                   const tp_rec_options *o, tp_recommendation *rec,
                                   tp_error *err)
{
    rec_terms t;
    rec_grid gi, go;
    tp_model_price p;
    double discount;
    double *f = NULL, *sw = NULL, *swx = NULL;
    const size_t n = d->minutes;
    const tp_candidate *r = &rec->candidates[rec->recommended];
    memset(&t, 0, sizeof t);
    rec->has_flat_region = 0;
    /* a quota makes the cost a surface of throttled minutes too; all Priority reserves nothing
     * on this grid; a plan by tier that leaves traffic out was not sized on d alone */
    if (n == 0 || rec_can_throttle(o) || r->basis == TP_BASIS_ALL_PRIORITY ||
        (rec->tiered && (((r->input_tpm > 0 || r->output_tpm > 0) &&
                          (r->routed_tiers & rec->present) != rec->present) ||
                         (!rec->offered && !rec->assumed_offered))))
        return TP_OK;
    tp_status rc = rec_apply_term(price, rec->term_months, &p, &discount, err);
    if (rc != TP_OK)
        return rc;
    /* the constants of rec_terms_fill; the per-minute terms derived where they are read */
    t.n = n;
    rec_terms_constants(&t, &p, o);
    const flat_src src = {d, &p, p.tier_multiplier[TP_TIER_STANDARD]};
    /* the recommended size's cost, and rec_terms_fill's extent (max_eo) in the same pass */
    double max_eo[2];
    const double base = cost_at(&t, &src, r->input_tpm, r->output_tpm, max_eo);
    if ((rc = rec_grid_init(&gi, p.reserved_minimum_input_tpm, p.reserved_step_tpm,
                            fmax(max_eo[0], r->input_tpm), err)) != TP_OK ||
        (rc = rec_grid_init(&go, p.reserved_minimum_output_tpm, p.reserved_step_tpm,
                            fmax(max_eo[1], r->output_tpm), err)) != TP_OK)
        goto cleanup;
    /* the recommended size is a grid point (candidates are rounded up to the grid) */
    const size_t ki = rec_g_ceil(&gi, r->input_tpm), ko = rec_g_ceil(&go, r->output_tpm);
    const double limit = base + fabs(base) * TP_RECOMMEND_FLAT_PCT / 100;
    const int down = r->basis != TP_BASIS_SLO;
    const size_t gmax = gi.n > go.n ? gi.n : go.n;
    f = malloc(gmax * sizeof *f);
    sw = malloc((gi.n + go.n) * sizeof *sw);
    swx = malloc((gi.n + go.n) * sizeof *swx);
    if (!f || !sw || !swx) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    /* both axes' buckets in one pass over the minutes, then each axis' costs and walk */
    flat_axis ax_in = {&t, &src, &gi, 1, r->output_tpm, f, 0};
    flat_axis ax_out = {&t, &src, &go, 0, r->input_tpm, f, 0};
    axis_acc acc_in = {0, sw, swx}, acc_out = {0, sw + gi.n, swx + gi.n};
    double mag;
    axes_buckets(&ax_in, &acc_in, &ax_out, &acc_out, &mag);
    axis_costs(&ax_in, &acc_in, mag);
    scan(&ax_in, ki < gi.n ? ki : gi.n - 1, limit, down, rec->flat_input_tpm);
    axis_costs(&ax_out, &acc_out, mag);
    scan(&ax_out, ko < go.n ? ko : go.n - 1, limit, down, rec->flat_output_tpm);
    /* the region always holds the recommended size itself */
    rec->flat_input_tpm[0] = fmin(rec->flat_input_tpm[0], r->input_tpm);
    rec->flat_input_tpm[1] = fmax(rec->flat_input_tpm[1], r->input_tpm);
    rec->flat_output_tpm[0] = fmin(rec->flat_output_tpm[0], r->output_tpm);
    rec->flat_output_tpm[1] = fmax(rec->flat_output_tpm[1], r->output_tpm);
    rec->has_flat_region = 1;
cleanup:
    free(f);
    free(sw);
    free(swx);
    return rc;
}
