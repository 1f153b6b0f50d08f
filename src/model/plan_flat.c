/* plan_flat.c - the flat reservation of a seasonal plan under a service level: the cheapest on
 * the grid that meets the level inside every window (docs/model.md, "Seasonal windows"), with
 * the recommender's own rules for the bounds (rec_throttle_limit, rec_spill_limit). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/plan_internal.h"
#include "model/recommend_internal.h"

/* Everything one search holds: the span's per-minute terms, its grids and scratch. */
typedef struct flat_search {
    rec_terms t;
    rec_grid gi, go;
    rec_buckets bi;
    double *x, *w; /* per-minute scratch */
    size_t *cnt;   /* per input grid point */
    /* where traffic can be throttled: per minute, the ends of its throttled and spilling
     * prefixes of input grid indices at the current output row, and selection scratch */
    size_t *thr_end, *sp_end, *sel;
} flat_search;

static void flat_free(flat_search *f)
{
    rec_terms_free(&f->t);
    rec_buckets_free(&f->bi);
    free(f->x);
    free(f->w);
    free(f->cnt);
    free(f->thr_end);
    free(f->sp_end);
    free(f->sel);
}

/* The per-minute terms at Standard prices, as tp_recommend_run computes them (docs/model.md,
 * "Recommendation"), and grids covering the span's largest demand. */
static tp_status flat_init(flat_search *f, const tp_demand *d, const tp_model_price *p,
                           const tp_rec_options *o, tp_error *err)
{
    rec_terms *t = &f->t;
    const size_t n = d->minutes;
    t->e = malloc(n * sizeof *t->e);
    t->o = malloc(n * sizeof *t->o);
    t->v_in = malloc(n * sizeof *t->v_in);
    t->v_out = malloc(n * sizeof *t->v_out);
    f->x = malloc(n * sizeof *f->x);
    f->w = malloc(n * sizeof *f->w);
    if (!t->e || !t->o || !t->v_in || !t->v_out || !f->x || !f->w)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    rec_terms_extent x;
    rec_terms_fill(t, d, p, o, &x);
    tp_status rc;
    if ((rc = rec_grid_init(&f->gi, p->reserved_minimum_input_tpm, p->reserved_step_tpm,
                            x.max_e, err)) != TP_OK ||
        (rc = rec_grid_init(&f->go, p->reserved_minimum_output_tpm, p->reserved_step_tpm,
                            x.max_o, err)) != TP_OK)
        return rc;
    f->bi.sw = calloc(f->gi.n, sizeof *f->bi.sw);
    f->bi.swx = calloc(f->gi.n, sizeof *f->bi.swx);
    f->cnt = calloc(f->gi.n, sizeof *f->cnt);
    if (!f->bi.sw || !f->bi.swx || !f->cnt)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

/* Smallest input grid index at which range r, with output reserved at ro, has at most k
 * spill minutes; SIZE_MAX when the output side alone spills more. Spill minutes only fall as
 * the input reservation grows, so the range's feasible set is every index from this one up. */
static size_t range_min_input(flat_search *f, plan_range r, double ro, double k)
{
    const rec_terms *t = &f->t;
    const size_t ng = f->gi.n;
    size_t over_o = 0;
    memset(f->cnt, 0, ng * sizeof *f->cnt);
    for (size_t m = r.from; m < r.to; m++) {
        if (t->o[m] > ro) {
            over_o++;
        } else if (t->e[m] > 0) {
            const size_t a = rec_g_ceil(&f->gi, t->e[m]);
            REC_GRID_INDEX_OK(&f->gi, a);
            f->cnt[a]++; /* spills at every grid point below a */
        }
    }
    if ((double)over_o > k)
        return SIZE_MAX;
    double left = (double)over_o;
    for (size_t a = ng; a-- > 0;) {
        if (a + 1 < ng)
            left += (double)f->cnt[a + 1];
        if (left > k)
            return a + 1;
    }
    return 0;
}

/* The input index the bound needs at output index j: the largest of the ranges' needs. */
static size_t flat_need(flat_search *f, const plan_range *r, size_t nr, const double *k,
                        size_t j)
{
    size_t need = 0;
    for (size_t i = 0; i < nr; i++) {
        const size_t a = range_min_input(f, r[i], rec_gp(&f->go, j), k[i]);
        if (a == SIZE_MAX)
            return SIZE_MAX;
        need = a > need ? a : need;
    }
    return need;
}

/* For each output reservation: the smallest input reservation meeting every range's bound
 * (the intersection of up-sets is an up-set), raised to the cost optimum for that output
 * (the cost is convex in the input reservation); the cheapest pair wins, as in tp_recommend_run's
 * single-window search. */
static tp_status flat_search_run(flat_search *f, const tp_rec_options *o, const plan_range *r,
                                 size_t nr, const double *k, double *ri, double *ro,
                                 tp_error *err)
{
    const rec_terms *t = &f->t;
    const int coupled = o->spill_model == TP_SPILL_COUPLED;
    size_t opt_i = 0;
    if (!coupled) {
        for (size_t m = 0; m < t->n; m++)
            f->w[m] = t->e[m] > 0 ? t->mult * t->v_in[m] / t->e[m] : 0;
        opt_i = rec_solve_1d(&f->gi, &f->bi, t->c_in, t->e, f->w, t->n);
    }
    double best = INFINITY;
    for (size_t j = 0; j < f->go.n; j++) {
        const size_t need = flat_need(f, r, nr, k, j);
        if (need == SIZE_MAX)
            continue;
        const double out_tpm = rec_gp(&f->go, j);
        const size_t at = coupled ? rec_coupled_inner(t, &f->gi, &f->bi, out_tpm, f->x, f->w)
                                  : opt_i;
        const size_t a = need > at ? need : at;
        REC_GRID_INDEX_OK(&f->gi, a);
        const double c = rec_cost_of(t, coupled, rec_gp(&f->gi, a), out_tpm);
        if (c < best - 1e-12) {
            best = c;
            *ri = rec_gp(&f->gi, a);
            *ro = out_tpm;
        }
    }
    if (!isfinite(best))
        return tp_error_set(err, TP_ERR_INVALID,
                            "no flat reservation on the grid meets the service level in "
                            "every window");
    return TP_OK;
}

/* The k-th smallest (from 0) of v[0 .. n), reordering v. Three-way partitions: prefix ends
 * repeat a lot (every quiet minute's is 0). */
static size_t select_kth(size_t *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    for (;;) {
        const size_t x = v[lo], y = v[lo + (hi - lo) / 2], z = v[hi - 1];
        const size_t p = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            const size_t e = v[i];
            if (e < p) {
                v[i++] = v[lt];
                v[lt++] = e;
            } else if (e > p) {
                v[i] = v[--gt];
                v[gt] = e;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return p;
    }
}

/* Smallest input grid index at which at most k minutes of range r have a prefix end above it:
 * the (k+1)-th largest end (more than k minutes reach any index below it). */
static size_t range_need(const size_t *end, plan_range r, double k, size_t *scratch)
{
    const size_t n = r.to - r.from;
    if (!((double)n > k))
        return 0;
    const size_t kk = (size_t)k;
    if (kk == 0) {
        size_t top = 0;
        for (size_t m = r.from; m < r.to; m++)
            top = end[m] > top ? end[m] : top;
        return top;
    }
    memcpy(scratch, end + r.from, n * sizeof *scratch);
    return select_kth(scratch, n, n - 1 - kk);
}

/* Where traffic can be throttled (a quota, or nowhere to spill) the cost is not convex and the
 * bounds count throttled minutes: the exact surface of recommend_surface.c over the span. Per
 * output row, each minute's throttled and spilling prefixes of input indices give every
 * window's smallest feasible input index (both counts only fall as the input reservation
 * grows); from the largest of them on, the span's exact costs; the cheapest wins, ranked by
 * the cost tp_simulate_run reports, as tp_recommend_run's own search. */
static tp_status flat_throttle_run(flat_search *f, const tp_rec_options *o, const plan_range *r,
                                   size_t nr, const double *k_spill, double *ri, double *ro,
                                   tp_error *err)
{
    rec_surface *sf = NULL;
    const size_t n = f->t.n, ng = f->gi.n;
    const double k_thr = rec_throttle_limit(o);
    double best = INFINITY;
    f->thr_end = malloc(n * sizeof *f->thr_end);
    f->sp_end = malloc(n * sizeof *f->sp_end);
    f->sel = malloc(n * sizeof *f->sel);
    if (!f->thr_end || !f->sp_end || !f->sel)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    tp_status rc = rec_surface_new(&f->t, &f->gi, &f->go, &sf, err);
    if (rc != TP_OK)
        return rc;
    for (size_t j = 0; j < f->go.n; j++) {
        rec_surface_row_ends(sf, j, f->thr_end, f->sp_end);
        size_t need = 0;
        for (size_t i = 0; i < nr && need < ng; i++) {
            const size_t a = range_need(f->thr_end, r[i], k_thr, f->sel),
                         b = range_need(f->sp_end, r[i], k_spill[i], f->sel);
            need = a > need ? a : need;
            need = b > need ? b : need;
        }
        if (need >= ng)
            continue;
        const rec_row row = rec_surface_row_costs(sf, need);
        for (size_t a = need; a < ng; a++)
            if (row.cost[a] < best - 1e-12) {
                best = row.cost[a];
                *ri = rec_gp(&f->gi, a);
                *ro = rec_gp(&f->go, j);
            }
    }
    rec_surface_free(sf);
    if (!isfinite(best))
        return tp_error_set(err, TP_ERR_INVALID,
                            "no flat reservation on the grid meets the service level in "
                            "every window");
    return TP_OK;
}

tp_status plan_flat_slo(const tp_demand *d, const tp_model_price *p, const tp_rec_options *o,
                        const plan_range *r, size_t nr, double *ri, double *ro, tp_error *err)
{
    flat_search f;
    double *k = NULL;
    tp_status rc = TP_OK;
    memset(&f, 0, sizeof f);
    *ri = *ro = 0;
    if (d->minutes == 0)
        return tp_error_set(err, TP_ERR_INVALID, "seasonal: an empty span");
    if (p->reserved_input_per_1k_tpm_hour_usd < 0 || p->reserved_output_per_1k_tpm_hour_usd < 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "the price catalog has no reserved_per_1k_tpm_hour for \"%s\"",
                            p->entry);
    if ((k = malloc((nr > 0 ? nr : 1) * sizeof *k)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < nr; i++)
        k[i] = rec_spill_limit(o, r[i].to - r[i].from);
    if ((rc = flat_init(&f, d, p, o, err)) != TP_OK)
        goto cleanup;
    /* without throttling the bound is on spill minutes alone and the cost is convex */
    rc = rec_can_throttle(o) ? flat_throttle_run(&f, o, r, nr, k, ri, ro, err)
                             : flat_search_run(&f, o, r, nr, k, ri, ro, err);
cleanup:
    free(k);
    flat_free(&f);
    return rc;
}
