/* recommend_flat.c - the flat region around a recommendation: the sizes whose cost stays within
 * 0.5% of the recommended one, so that a gate can tell a jump along a flat cost curve from a
 * real change (docs/model.md, "The flat region"). Uses the recommender's own cost terms. */
#include "tierplan/recommend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/recommend_internal.h"

/* From grid index k0, the lowest and highest indices reached on grid g without the cost
 * (cost_at(k)) rising above limit: the cost is convex along an axis, so the set is one
 * interval around k0. down: 0 keeps the low end at k0 (a service level). */
static void scan(const rec_terms *t, const rec_grid *g, int input_axis, double fixed, size_t k0,
                 double limit, int down, double out[2])
{
    size_t lo = k0, hi = k0;
    for (; down && lo > 0; lo--) {
        const double x = rec_gp(g, lo - 1);
        const double c = input_axis ? rec_cost_of(t, t->coupled, x, fixed)
                                    : rec_cost_of(t, t->coupled, fixed, x);
        if (!(c <= limit))
            break;
    }
    for (; hi + 1 < g->n; hi++) {
        const double x = rec_gp(g, hi + 1);
        const double c = input_axis ? rec_cost_of(t, t->coupled, x, fixed)
                                    : rec_cost_of(t, t->coupled, fixed, x);
        if (!(c <= limit))
            break;
    }
    out[0] = rec_gp(g, lo);
    out[1] = rec_gp(g, hi);
}

tp_status tp_recommend_flat_region(const tp_demand *d, const tp_model_price *price,
                                   const tp_rec_options *o, tp_recommendation *rec,
                                   tp_error *err)
{
    rec_terms t;
    rec_terms_extent x;
    rec_grid gi, go;
    tp_model_price p;
    double discount;
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
    t.e = malloc(n * sizeof *t.e);
    t.o = malloc(n * sizeof *t.o);
    t.v_in = malloc(n * sizeof *t.v_in);
    t.v_out = malloc(n * sizeof *t.v_out);
    if (!t.e || !t.o || !t.v_in || !t.v_out) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    rec_terms_fill(&t, d, &p, o, &x);
    if ((rc = rec_grid_init(&gi, p.reserved_minimum_input_tpm, p.reserved_step_tpm,
                            fmax(x.max_e, r->input_tpm), err)) != TP_OK ||
        (rc = rec_grid_init(&go, p.reserved_minimum_output_tpm, p.reserved_step_tpm,
                            fmax(x.max_o, r->output_tpm), err)) != TP_OK)
        goto cleanup;
    /* the recommended size is a grid point (candidates are rounded up to the grid) */
    const size_t ki = rec_g_ceil(&gi, r->input_tpm), ko = rec_g_ceil(&go, r->output_tpm);
    const double base = rec_cost_of(&t, t.coupled, r->input_tpm, r->output_tpm);
    const double limit = base + fabs(base) * TP_RECOMMEND_FLAT_PCT / 100;
    const int down = r->basis != TP_BASIS_SLO;
    scan(&t, &gi, 1, r->output_tpm, ki < gi.n ? ki : gi.n - 1, limit, down, rec->flat_input_tpm);
    scan(&t, &go, 0, r->input_tpm, ko < go.n ? ko : go.n - 1, limit, down,
         rec->flat_output_tpm);
    /* the region always holds the recommended size itself */
    rec->flat_input_tpm[0] = fmin(rec->flat_input_tpm[0], r->input_tpm);
    rec->flat_input_tpm[1] = fmax(rec->flat_input_tpm[1], r->input_tpm);
    rec->flat_output_tpm[0] = fmin(rec->flat_output_tpm[0], r->output_tpm);
    rec->flat_output_tpm[1] = fmax(rec->flat_output_tpm[1], r->output_tpm);
    rec->has_flat_region = 1;
cleanup:
    rec_terms_free(&t);
    return rc;
}
