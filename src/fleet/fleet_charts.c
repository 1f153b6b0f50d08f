/* fleet_charts.c - what the HTML report's charts draw for one model: the demand sized on, its
 * hour-of-week means and the cost curve, from the recommender's own per-grid-point costs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet_internal.h"
#include "model/recommend_internal.h"
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

/* Per-minute terms as the recommender's search builds them (recommend.c, search_init): the
 * same numbers, so the curve passes exactly through the optimum's cost. */
static tp_status terms_init(rec_terms *t, const tp_demand *d, const tp_model_price *p,
                            const tp_rec_options *o, double *e, double *out_tpm, tp_error *err)
{
    const size_t n = d->minutes;
    t->n = n;
    t->e = e;
    t->o = out_tpm;
    t->v_in = malloc(n * sizeof *t->v_in);
    t->v_out = malloc(n * sizeof *t->v_out);
    if (t->v_in == NULL || t->v_out == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    for (size_t k = 0; k < n; k++) {
        const double i = d->input_tpm[k], r = d->cache_read_tpm[k], cw = d->cache_write_tpm[k];
        t->v_in[k] = std_mult *
                     (i * p->input_per_million_usd + r * p->cache_read_per_million_usd +
                      cw * p->cache_write_per_million_usd) / 1e6;
        t->v_out[k] = std_mult * d->output_tpm[k] * p->output_per_million_usd / 1e6;
    }
    t->in = d->input_tpm;
    t->cr = d->cache_read_tpm;
    t->cw = d->cache_write_tpm;
    t->quota.to = o->spill_to;
    t->quota.quota_tpm = o->quota_tpm;
    t->quota.out_weight = p->quota_output_weight;
    t->coupled = o->spill_model == TP_SPILL_COUPLED;
    t->mult = o->spill_to == TP_SPILL_TO_NONE ? 0.0
              : o->spill_to == TP_SPILL_TO_PRIORITY
                  ? p->tier_multiplier[TP_TIER_PRIORITY] / (std_mult > 0 ? std_mult : 1)
                  : 1.0;
    const double hours = (double)n / 60.0;
    t->c_in = hours * p->reserved_input_per_1k_tpm_hour_usd / 1000.0;
    t->c_out = hours * p->reserved_output_per_1k_tpm_hour_usd / 1000.0;
    return TP_OK;
}

/* The input grid indices the curve samples, from 0 to index `last`: all when few, else evenly
 * spread, with the recommended input's own index always among them. */
static size_t curve_indices(size_t last, size_t pick, size_t *idx)
{
    size_t m = 0;
    const size_t want = last + 1 < FLEET_CURVE_MAX_POINTS ? last + 1 : FLEET_CURVE_MAX_POINTS - 1;
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
 * throttling the recommender's rec_cost_of, with it a row of its cost surface. */
static tp_status cost_curve(tp_fleet_charts *c, const tp_demand *d, const tp_model_price *p,
                            const tp_rec_options *o, double in_tpm, double out_tpm,
                            double upto_tpm, tp_error *err)
{
    rec_terms t;
    rec_grid gi, go;
    rec_surface *sf = NULL;
    size_t *idx = NULL;
    double max_e = 0, max_o = 0;
    memset(&t, 0, sizeof t);
    for (size_t k = 0; k < d->minutes; k++) {
        max_e = c->e[k] > max_e ? c->e[k] : max_e;
        max_o = d->output_tpm[k] > max_o ? d->output_tpm[k] : max_o;
    }
    tp_status rc = terms_init(&t, d, p, o, c->e, c->o, err);
    if (rc != TP_OK ||
        (rc = rec_grid_init(&gi, p->reserved_minimum_input_tpm, p->reserved_step_tpm,
                            fmax(max_e, in_tpm), err)) != TP_OK ||
        (rc = rec_grid_init(&go, p->reserved_minimum_output_tpm, p->reserved_step_tpm,
                            fmax(max_o, out_tpm), err)) != TP_OK)
        goto cleanup;
    idx = malloc(FLEET_CURVE_MAX_POINTS * sizeof *idx);
    c->curve_input_tpm = malloc(FLEET_CURVE_MAX_POINTS * sizeof *c->curve_input_tpm);
    c->curve_usd_per_month = malloc(FLEET_CURVE_MAX_POINTS * sizeof *c->curve_usd_per_month);
    if (idx == NULL || c->curve_input_tpm == NULL || c->curve_usd_per_month == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    size_t pick = rec_g_ceil(&gi, in_tpm);
    pick = pick < gi.n ? pick : gi.n - 1;
    size_t last = rec_g_ceil(&gi, upto_tpm > in_tpm ? upto_tpm : in_tpm);
    last = last < gi.n ? last : gi.n - 1;
    const size_t m = curve_indices(last, pick, idx);
    const double per_month = TP_HOURS_PER_MONTH / ((double)d->minutes / 60.0);
    rec_row row = {0};
    if (rec_can_throttle(o)) {
        if ((rc = rec_surface_new(&t, &gi, &go, &sf, err)) != TP_OK)
            goto cleanup;
        size_t j = rec_g_ceil(&go, out_tpm);
        row = rec_surface_row(sf, j < go.n ? j : go.n - 1, INFINITY);
    }
    for (size_t k = 0; k < m; k++) {
        const double ri = rec_gp(&gi, idx[k]);
        const double usd = sf != NULL ? row.cost[idx[k]] : rec_cost_of(&t, t.coupled, ri, out_tpm);
        c->curve_input_tpm[k] = ri;
        c->curve_usd_per_month[k] = usd * per_month;
    }
    c->n_curve = m;
cleanup:
    rec_surface_free(sf);
    free(idx);
    free(t.v_in);
    free(t.v_out);
    return rc;
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

tp_status fleet_charts_compute(const tp_demand *d, const tp_model_price *price,
                               const tp_rec_options *o, const tp_recommendation *rec,
                               tp_fleet_charts **out, tp_error *err)
{
    tp_status rc;
    tp_model_price p;
    double discount;
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
        c->e[k] = tp_burn_down_tpm(d->input_tpm[k], d->cache_read_tpm[k], d->cache_write_tpm[k],
                                   price->burn_down_cache_read, price->burn_down_cache_write);
        c->o[k] = d->output_tpm[k];
    }
    hour_of_week(c);
    const tp_candidate *r = &rec->candidates[rec->recommended];
    /* up to a quarter past the largest candidate: beyond, the curve only climbs, and a
     * year's single peak would squeeze the candidates into the chart's first pixels */
    double upto = 0;
    for (size_t k = 0; k < rec->n_candidates; k++)
        upto = fmax(upto, rec->candidates[k].input_tpm);
    if ((rc = rec_apply_term(price, rec->term_months, &p, &discount, err)) != TP_OK ||
        (rc = cost_curve(c, d, &p, o, r->input_tpm, r->output_tpm, 1.25 * upto, err)) != TP_OK)
        goto cleanup;
    *out = c;
    c = NULL;
cleanup:
    fleet_charts_free(c);
    return rc;
}
