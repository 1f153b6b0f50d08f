/* fleet_charts.c - what the HTML report's charts draw for one model: the demand sized on, its
 * hour-of-week means and the cost curve (the recommender's own, model/recommend_curve.h); for
 * a model sold in units its weighted demand instead, and no cost curve. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet_internal.h"
#include "model/recommend_curve.h"
#include "base/util.h"

void fleet_charts_free(tp_fleet_charts *c)
{
    if (c == NULL)
        return;
    free(c->e);
    free(c->o);
    free(c->curve_input_tpm);
    free(c->curve_usd_per_month);
    free(c);
}

/* Mean effective input per hour of week; day 0 is Monday (1970-01-01, minute 0, a Thursday,
 * is day 3). */
static void hour_of_week(tp_fleet_charts *c)
{
    double sum[168] = {0};
    size_t cnt[168] = {0};
    for (size_t k = 0; k < c->n; k++) {
        const int64_t m = c->from_minute + (int64_t)k;
        const int64_t day = (util_floor_div(m, 1440) + 3) % 7;
        const int64_t hour = util_floor_div(m, 60) - util_floor_div(m, 1440) * 24;
        const size_t b = (size_t)(day * 24 + hour);
        sum[b] += c->e[k];
        cnt[b]++;
    }
    for (size_t b = 0; b < 168; b++)
        c->how_e[b] = cnt[b] > 0 ? sum[b] / (double)cnt[b] : NAN;
}

/* The cost curve's value at x (linear between its points). */
static double curve_at(const tp_fleet_charts *c, double x)
{
    if (c->n_curve == 0)
        return NAN;
    if (x <= c->curve_input_tpm[0])
        return c->curve_usd_per_month[0];
    for (size_t k = 1; k < c->n_curve; k++)
        if (x <= c->curve_input_tpm[k]) {
            const double x0 = c->curve_input_tpm[k - 1], x1 = c->curve_input_tpm[k];
            const double t = (x - x0) / (x1 - x0);
            return c->curve_usd_per_month[k - 1] +
                   t * (c->curve_usd_per_month[k] - c->curve_usd_per_month[k - 1]);
        }
    return c->curve_usd_per_month[c->n_curve - 1];
}

void fleet_charts_marks(tp_fleet_charts *c, const tp_recommendation *rec)
{
    c->n_marks = 0;
    for (size_t k = 0; k < rec->n_candidates && c->n_marks < 4; k++) {
        const tp_candidate *x = &rec->candidates[k];
        if (x->basis > TP_BASIS_P99)
            continue;
        c->mark_basis[c->n_marks] = x->basis;
        c->mark_input_tpm[c->n_marks] = x->input_tpm;
        c->mark_usd_per_month[c->n_marks] = curve_at(c, x->input_tpm);
        c->n_marks++;
    }
}

tp_status fleet_charts_compute(const tp_demand *d, const tp_model_price *price,
                               const tp_rec_options *o, const tp_recommendation *rec,
                               tp_fleet_charts **out, tp_error *err)
{
    tp_status rc;
    tp_fleet_charts *c = calloc(1, sizeof *c);
    *out = NULL;
    if (c == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    c->n = d->minutes;
    c->from_minute = d->from_minute;
    c->e = malloc(c->n * sizeof *c->e);
    c->o = malloc(c->n * sizeof *c->o);
    if (c->e == NULL || c->o == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < c->n; k++) {
        c->e[k] =
            tp_simulate_burn_down_tpm(d->input_tpm[k], d->cache_read_tpm[k], d->cache_write_tpm[k],
                                      price->burn_down_cache_read, price->burn_down_cache_write);
        c->o[k] = d->output_tpm[k];
    }
    hour_of_week(c);
    if ((rc = tp_stats_summarize(c->e, c->n, &c->e_summary, err)) != TP_OK)
        goto cleanup;
    const tp_candidate *r = &rec->candidates[rec->recommended];
    /* up to a quarter past the largest candidate: beyond, the curve only climbs, and a
     * year's single peak would squeeze the candidates into the chart's first pixels */
    double upto = 0;
    for (size_t k = 0; k < rec->n_candidates; k++)
        upto = fmax(upto, rec->candidates[k].input_tpm);
    rec_curve curve;
    if ((rc = rec_curve_compute(d, price, o, rec->term_months, r->input_tpm, r->output_tpm,
                                1.25 * upto, FLEET_CURVE_MAX_POINTS, &curve, err)) != TP_OK)
        goto cleanup;
    c->n_curve = curve.n;
    c->curve_input_tpm = curve.input_tpm;
    c->curve_usd_per_month = curve.usd_per_month;
    fleet_charts_marks(c, rec);
    *out = c;
    c = NULL;
cleanup:
    fleet_charts_free(c);
    return rc;
}

tp_status fleet_charts_units(const tp_demand *d, const tp_model_price *price, tp_fleet_charts **out,
                             tp_error *err)
{
    tp_status rc;
    const tp_unit_price *u = &price->unit;
    tp_fleet_charts *c = calloc(1, sizeof *c);
    *out = NULL;
    if (c == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    c->units = 1;
    c->n = d->minutes;
    c->from_minute = d->from_minute;
    c->e = malloc((c->n > 0 ? c->n : 1) * sizeof *c->e);
    c->o = malloc((c->n > 0 ? c->n : 1) * sizeof *c->o);
    if (c->e == NULL || c->o == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    /* a minute's weighted tokens (docs/model.md, "Other providers"): two pools mirror the
     * input pool's weights in the one-pool fields, output weight 0 (pricing.h) */
    for (size_t k = 0; k < c->n; k++) {
        c->e[k] = d->input_tpm[k] + d->output_tpm[k] * u->output_weight +
                  d->cache_read_tpm[k] * u->cache_read_weight +
                  d->cache_write_tpm[k] * u->cache_write_weight;
        c->o[k] = d->output_tpm[k];
    }
    hour_of_week(c);
    if ((rc = tp_stats_summarize(c->e, c->n, &c->e_summary, err)) != TP_OK ||
        (rc = tp_stats_summarize(c->o, c->n, &c->o_summary, err)) != TP_OK)
        goto cleanup;
    *out = c;
    c = NULL;
cleanup:
    fleet_charts_free(c);
    return rc;
}
