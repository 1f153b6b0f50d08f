/* project_units.c - the recommended plan of a model sold in units (Azure PTU, Vertex GSU) in a
 * projection: units sized on the P50 path at each term start, held, every sample's month priced
 * by tp_units_eval (docs/model.md, "Projection of a model sold in units"). */
#include <stdlib.h>
#include <string.h>

#include "model/project_internal.h"
#include "tierplan/recommend.h"
#include "tierplan/units.h"

#define DAY_MINUTES 1440

/* The length in months a unit term holds its count in a projection: a 3-month or 1-year
 * commitment its own months; hourly units and a week's are re-sized each month (the finest
 * step a monthly projection shows). */
static size_t term_months(tp_unit_term t)
{
    return t == TP_UNIT_1_YEAR ? 12 : t == TP_UNIT_3_MONTHS ? 3 : 1;
}

/* Sample s's demand over projected days [k0, k1) into buf (4 x the minutes: input, output,
 * cache read, cache write), every day the history day drawn times its scale; *tokens its raw
 * tokens, all kinds. */
static tp_demand fill(const proj_hist *h, const proj_path *pp, const proj_draws *dr, size_t s,
                      size_t k0, size_t k1, double *buf, double *tokens)
{
    const size_t n = (k1 - k0) * DAY_MINUTES;
    double *in = buf, *out = buf + n, *cr = buf + 2 * n, *cw = buf + 3 * n, sum = 0;
    for (size_t k = k0; k < k1; k++) {
        const size_t hd = pp->day[s * dr->n_days + k];
        const double g = pp->scale[s * dr->n_days + k];
        const size_t src = hd * DAY_MINUTES, dst = (k - k0) * DAY_MINUTES;
        for (size_t m = 0; m < DAY_MINUTES; m++) {
            in[dst + m] = g * h->d.input_tpm[src + m];
            out[dst + m] = g * h->d.output_tpm[src + m];
            cr[dst + m] = g * h->d.cache_read_tpm[src + m];
            cw[dst + m] = g * h->d.cache_write_tpm[src + m];
            sum += in[dst + m] + out[dst + m] + cr[dst + m] + cw[dst + m];
        }
    }
    *tokens = sum;
    tp_demand d = {in, out, cr, cw, n, (dr->first_day + (int64_t)k0) * DAY_MINUTES};
    return d;
}

/* The P50 path's demand over [k0, k1) (the sample proj_median_sample picks) into buf. */
static tp_status p50_demand(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                            size_t k0, size_t k1, double *buf, tp_demand *d, tp_error *err)
{
    size_t s50 = 0;
    double tokens;
    tp_status rc = proj_median_sample(c, h, pp, k0, k1, &s50, err);
    if (rc == TP_OK)
        *d = fill(h, pp, &c->draws, s50, k0, k1, buf, &tokens);
    return rc;
}

/* Every sample's month mm priced with `units` units: units x price x the month's price hours
 * reserved (730 billed hours a calendar month for a term of a month or more, the month's own
 * hours for hourly and a week), the overflow spilled at on-demand Standard or throttled. */
static tp_status price_month(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                             const tp_project_model *m, const tp_units_options *uo,
                             int64_t units, size_t mm, double *buf, proj_sums *ps,
                             tp_error *err)
{
    const size_t k0 = c->month_day[mm], k1 = c->month_day[mm + 1];
    for (size_t s = 0; s < c->samples; s++) {
        double tokens;
        tp_units_result r;
        const tp_demand d = fill(h, pp, &c->draws, s, k0, k1, buf, &tokens);
        tp_status rc = tp_units_eval(&d, &m->price, uo, units, &r, err);
        if (rc != TP_OK)
            return rc;
        double over = 0;
        for (int k = 0; k < TP_METRIC_COUNT; k++)
            over += r.over_tokens[k];
        tp_project_figures *f = proj_fig(ps, TP_PROJECT_RECOMMENDED, mm, s);
        f->reserved_usd = r.units_usd;
        f->on_demand_usd = r.spill_usd;
        f->cost_usd = r.total_usd;
        f->tokens = tokens;
        f->reserved_tokens = tokens - over;
        f->on_demand_tokens = m->price.unit.throttle ? 0 : over;
        f->throttled_tokens = m->price.unit.throttle ? over : 0;
    }
    return TP_OK;
}

tp_status proj_units_recommended(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                                 tp_project_model *m, proj_sums *ps, tp_error *err)
{
    tp_units_options uo = {0}; /* the provider's burst factor; throttle: everything served */
    tp_units_plan plan;
    tp_demand d;
    double *buf = NULL;
    tp_status rc;
    /* the term: recommend's choice on the P50 path of the first month */
    size_t need = c->month_day[1] - c->month_day[0];
    if ((buf = malloc(4 * need * DAY_MINUTES * sizeof *buf)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if ((rc = p50_demand(c, h, pp, c->month_day[0], c->month_day[1], buf, &d, err)) != TP_OK ||
        (rc = tp_units_plan_run(&d, &m->price, &uo, &plan, err)) != TP_OK)
        goto cleanup;
    uo.term = m->unit_term = plan.recommended_term;
    const size_t T = term_months(uo.term);
    m->term_months = (int)T;
    m->term_discount = 1;
    m->offered = 1; /* units are sold: the Reserved tier's offer is Bedrock's */
    for (size_t m0 = 0; m0 < c->n_months && rc == TP_OK; m0 += T) {
        /* the whole term, past the horizon too (the days run on to PROJ_UNITS_MAX_TERM_MONTHS
         * past it): the horizon never changes the months it shows */
        const size_t m1 = m0 + T, k0 = c->month_day[m0], k1 = c->month_day[m1];
        const size_t m_in = m1 < c->n_months ? m1 : c->n_months;
        tp_units_result r;
        if (k1 - k0 > need) {
            double *nb = realloc(buf, 4 * (k1 - k0) * DAY_MINUTES * sizeof *buf);
            if (nb == NULL) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                break;
            }
            buf = nb;
            need = k1 - k0;
        }
        if ((rc = p50_demand(c, h, pp, k0, k1, buf, &d, err)) != TP_OK ||
            (rc = tp_units_optimum(&d, &m->price, &uo, &r, err)) != TP_OK)
            break;
        m->unit_burst_factor = r.burst_factor;
        for (size_t mm = m0; mm < m_in && rc == TP_OK; mm++) {
            rc = price_month(c, h, pp, m, &uo, r.units, mm, buf, ps, err);
            tp_project_cell *cell = &m->cells[mm * TP_PROJECT_PLAN_COUNT + TP_PROJECT_RECOMMENDED];
            cell->has = 1;
            cell->units = r.units;
            cell->term_start = mm == m0;
            cell->term_end = mm == m0 + T - 1;
        }
        if (m1 > c->n_months) { /* committed beyond the horizon: terms of a month or more,
                                   billed 730 h a month */
            m->beyond_months = (int)(m1 - c->n_months);
            m->beyond_units = r.units;
            m->beyond_reserved_usd = (double)r.units * r.per_unit_hour_usd *
                                     TP_HOURS_PER_MONTH * (double)(m1 - c->n_months);
        }
    }
cleanup:
    free(buf);
    return rc;
}
