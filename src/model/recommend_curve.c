/* recommend_curve.c - the recommender's cost curve for the charts, from its own per-minute
 * terms and cost surface (docs/model.md, "Recommendation"). */
#include "model/recommend_curve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/recommend_internal.h"

void rec_curve_free(rec_curve *c)
{
    if (c == NULL)
        return;
    free(c->input_tpm);
    free(c->usd_per_month);
    memset(c, 0, sizeof *c);
}

/* The input grid indices the curve samples, from 0 to index `last`: all when few, else evenly
 * spread, with the recommended input's own index always among them. */
static size_t curve_indices(size_t last, size_t pick, size_t max_points, size_t *idx)
{
    size_t m = 0;
    const size_t want = last + 1 < max_points ? last + 1 : max_points - 1;
    for (size_t k = 0; k < want; k++) {
        const size_t a = want > 1 ? (size_t)llround((double)k * (double)last /
                                                    (double)(want - 1))
                                  : 0;
        if (m > 0 && idx[m - 1] < pick && pick < a)
            idx[m++] = pick;
        if (m == 0 || a != idx[m - 1])
            idx[m++] = a;
    }
    return m;
}

/* Total cost per month at each sampled input grid point, output fixed at out_tpm: without
 * throttling rec_cost_of, with it a row of the cost surface. t is filled for d at prices p. */
static tp_status sample(rec_curve *c, const rec_terms *t, const rec_terms_extent *x,
                        const tp_model_price *p, const tp_rec_options *o, double in_tpm,
                        double out_tpm, double upto_tpm, size_t max_points, tp_error *err)
{
    rec_grid gi, go;
    rec_surface *sf = NULL;
    size_t *idx = NULL;
    tp_status rc;
    if ((rc = rec_grid_init(&gi, p->reserved_minimum_input_tpm, p->reserved_step_tpm,
                            fmax(x->max_e, in_tpm), err)) != TP_OK ||
        (rc = rec_grid_init(&go, p->reserved_minimum_output_tpm, p->reserved_step_tpm,
                            fmax(x->max_o, out_tpm), err)) != TP_OK)
        goto cleanup;
    idx = malloc(max_points * sizeof *idx);
    c->input_tpm = malloc(max_points * sizeof *c->input_tpm);
    c->usd_per_month = malloc(max_points * sizeof *c->usd_per_month);
    if (idx == NULL || c->input_tpm == NULL || c->usd_per_month == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    size_t pick = rec_g_ceil(&gi, in_tpm);
    pick = pick < gi.n ? pick : gi.n - 1;
    size_t last = rec_g_ceil(&gi, upto_tpm > in_tpm ? upto_tpm : in_tpm);
    last = last < gi.n ? last : gi.n - 1;
    const size_t m = curve_indices(last, pick, max_points, idx);
    /* per billed month: USD / billed hours x 730 (tp_pricing_rate_hours) */
    const double per_month = TP_HOURS_PER_MONTH / tp_pricing_rate_hours(p, (double)t->n / 60.0);
    rec_row row = {0};
    if (rec_can_throttle(o)) {
        if ((rc = rec_surface_new(t, &gi, &go, &sf, err)) != TP_OK)
            goto cleanup;
        size_t j = rec_g_ceil(&go, out_tpm);
        row = rec_surface_row(sf, j < go.n ? j : go.n - 1, INFINITY);
    }
    for (size_t k = 0; k < m; k++) {
        const double ri = rec_gp(&gi, idx[k]);
        const double usd = sf != NULL ? row.cost[idx[k]] : rec_cost_of(t, t->coupled, ri, out_tpm);
        c->input_tpm[k] = ri;
        c->usd_per_month[k] = usd * per_month;
    }
    c->n = m;
cleanup:
    rec_surface_free(sf);
    free(idx);
    return rc;
}

tp_status rec_curve_compute(const tp_demand *d, const tp_model_price *price,
                            const tp_rec_options *o, int term_months, double in_tpm,
                            double out_tpm, double upto_tpm, size_t max_points, rec_curve *out,
                            tp_error *err)
{
    rec_terms t;
    rec_terms_extent x;
    tp_model_price p;
    double discount;
    const size_t n = d->minutes;
    memset(&t, 0, sizeof t);
    memset(out, 0, sizeof *out);
    tp_status rc = rec_apply_term(price, term_months, &p, &discount, err);
    if (rc != TP_OK)
        return rc;
    t.e = malloc(n * sizeof *t.e);
    t.o = malloc(n * sizeof *t.o);
    t.v_in = malloc(n * sizeof *t.v_in);
    t.v_out = malloc(n * sizeof *t.v_out);
    if (!t.e || !t.o || !t.v_in || !t.v_out) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    rec_terms_fill(&t, d, &p, o, &x);
    rc = sample(out, &t, &x, &p, o, in_tpm, out_tpm, upto_tpm, max_points, err);
cleanup:
    if (rc != TP_OK)
        rec_curve_free(out);
    rec_terms_free(&t);
    return rc;
}
