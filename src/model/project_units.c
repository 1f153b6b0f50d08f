/* project_units.c - the recommended plan of a model sold in units (Azure PTU, Vertex GSU) in a
 * projection: units sized on the P50 path at each term start, held, every sample's month priced
 * as tp_units_eval prices it, exactly, from each history day's sorted minutes (docs/model.md,
 * "Projection of a model sold in units"). */
#include <stdlib.h>

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
 * cache read, cache write), every day the history day drawn times its scale. */
static tp_demand fill(const proj_hist *h, const proj_path *pp, const proj_draws *dr, size_t s,
                      size_t k0, size_t k1, double *buf)
{
    const size_t n = (k1 - k0) * DAY_MINUTES;
    double *in = buf, *out = buf + n, *cr = buf + 2 * n, *cw = buf + 3 * n;
    for (size_t k = k0; k < k1; k++) {
        const size_t hd = pp->day[s * dr->n_days + k];
        const double g = pp->scale[s * dr->n_days + k];
        const size_t src = hd * DAY_MINUTES, dst = (k - k0) * DAY_MINUTES;
        for (size_t m = 0; m < DAY_MINUTES; m++) {
            in[dst + m] = g * h->d.input_tpm[src + m];
            out[dst + m] = g * h->d.output_tpm[src + m];
            cr[dst + m] = g * h->d.cache_read_tpm[src + m];
            cw[dst + m] = g * h->d.cache_write_tpm[src + m];
        }
    }
    tp_demand d = {in, out, cr, cw, n, (dr->first_day + (int64_t)k0) * DAY_MINUTES};
    return d;
}

/* The P50 path's demand over [k0, k1) (the sample proj_median_sample picks) into buf. */
static tp_status p50_demand(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                            size_t k0, size_t k1, double *buf, tp_demand *d, tp_error *err)
{
    size_t s50 = 0;
    tp_status rc = proj_median_sample(c, h, pp, k0, k1, &s50, err);
    if (rc == TP_OK)
        *d = fill(h, pp, &c->draws, s50, k0, k1, buf);
    return rc;
}

/* One minute of a history day with weighted demand: D = weighted tokens x burst factor. */
typedef struct umin {
    double d, v, t; /* D; its on-demand value (USD); its raw tokens, all kinds */
} umin;

struct proj_units_index {
    size_t n_days;
    size_t *off;                  /* n_days + 1: day k's minutes are [off[k], off[k + 1]) */
    double *d;                    /* D, ascending within a day */
    double *sv, *svd, *st, *std_; /* suffix sums within a day of v, v / D, t, t / D, one
                                     longer per day (index off[k] + k + i: minutes i.. of day
                                     k; the last 0) */
};

static int umin_cmp(const void *a, const void *b)
{
    const double x = ((const umin *)a)->d, y = ((const umin *)b)->d;
    return x < y ? -1 : x > y;
}

void proj_units_index_free(proj_units_index *ix)
{
    if (ix == NULL)
        return;
    free(ix->off);
    free(ix->d);
    free(ix->sv);
    free(ix->svd);
    free(ix->st);
    free(ix->std_);
    free(ix);
}

tp_status proj_units_index_new(const tp_demand *hd, size_t n_days, const tp_model_price *p,
                               double burst_factor, proj_units_index **out, tp_error *err)
{
    const tp_unit_price *u = &p->unit;
    const double *od = p->tier_per_million_usd[TP_TIER_STANDARD];
    proj_units_index *ix = calloc(1, sizeof *ix);
    umin *mins = malloc(DAY_MINUTES * sizeof *mins);
    const size_t cap = n_days * DAY_MINUTES, scap = cap + n_days;
    *out = NULL;
    if (ix != NULL) {
        ix->n_days = n_days;
        ix->off = malloc((n_days + 1) * sizeof *ix->off);
        ix->d = malloc((cap ? cap : 1) * sizeof *ix->d);
        ix->sv = malloc(scap * sizeof *ix->sv);
        ix->svd = malloc(scap * sizeof *ix->svd);
        ix->st = malloc(scap * sizeof *ix->st);
        ix->std_ = malloc(scap * sizeof *ix->std_);
    }
    if (ix == NULL || mins == NULL || ix->off == NULL || ix->d == NULL || ix->sv == NULL ||
        ix->svd == NULL || ix->st == NULL || ix->std_ == NULL) {
        free(mins);
        proj_units_index_free(ix);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    size_t at = 0;
    for (size_t k = 0; k < n_days; k++) {
        size_t n = 0;
        ix->off[k] = at;
        for (size_t i = k * DAY_MINUTES; i < (k + 1) * DAY_MINUTES; i++) {
            const double in = hd->input_tpm[i], o = hd->output_tpm[i],
                         cr = hd->cache_read_tpm[i], cw = hd->cache_write_tpm[i];
            /* the weighted tokens and on-demand value of tp_units_eval (units.c) */
            const double w = in + o * u->output_weight + cr * u->cache_read_weight +
                             cw * u->cache_write_weight;
            if (!(w > 0))
                continue;
            mins[n].d = w * burst_factor;
            mins[n].v = (in * od[TP_METRIC_INPUT] + o * od[TP_METRIC_OUTPUT] +
                         cr * od[TP_METRIC_CACHE_READ] + cw * od[TP_METRIC_CACHE_WRITE]) /
                        1e6;
            mins[n].t = in + o + cr + cw;
            n++;
        }
        qsort(mins, n, sizeof *mins, umin_cmp);
        const size_t s0 = at + k; /* this day's suffix sums start here */
        ix->sv[s0 + n] = ix->svd[s0 + n] = ix->st[s0 + n] = ix->std_[s0 + n] = 0;
        for (size_t i = n; i-- > 0;) {
            ix->d[at + i] = mins[i].d;
            ix->sv[s0 + i] = ix->sv[s0 + i + 1] + mins[i].v;
            ix->svd[s0 + i] = ix->svd[s0 + i + 1] + mins[i].v / mins[i].d;
            ix->st[s0 + i] = ix->st[s0 + i + 1] + mins[i].t;
            ix->std_[s0 + i] = ix->std_[s0 + i + 1] + mins[i].t / mins[i].d;
        }
        at += n;
    }
    ix->off[n_days] = at;
    free(mins);
    *out = ix;
    return TP_OK;
}

void proj_units_day(const proj_units_index *ix, size_t day, double g, double capacity_tpm,
                    double *over_usd, double *over_tokens)
{
    *over_usd = *over_tokens = 0;
    if (!(g > 0))
        return;
    /* minute t overflows when g D_t > C, its share (g D_t - C) / (g D_t) of g x its value and
     * tokens: g v - C v / D over the minutes with D > C / g, a suffix of the sorted day */
    const double x = capacity_tpm / g;
    const double *d = ix->d + ix->off[day];
    size_t lo = 0, hi = ix->off[day + 1] - ix->off[day];
    while (lo < hi) { /* the first minute with D > x */
        const size_t mid = lo + (hi - lo) / 2;
        if (d[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    const size_t s = ix->off[day] + day + lo;
    *over_usd = g * ix->sv[s] - capacity_tpm * ix->svd[s];
    *over_tokens = g * ix->st[s] - capacity_tpm * ix->std_[s];
}

/* Every sample's month mm priced with `units` units, as tp_units_eval prices the sample's days
 * of the month (docs/model.md, "Projection of a model sold in units"), day by day from the
 * index: units x price x the month's price hours reserved (730 billed hours a calendar month
 * for a term of a month or more, the month's own hours hourly and by the week), the overflow
 * spilled at on-demand Standard or throttled. */
static void price_month(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                        const tp_project_model *m, const proj_units_index *ix, int64_t units,
                        size_t mm, proj_sums *ps)
{
    const size_t k0 = c->month_day[mm], k1 = c->month_day[mm + 1], nd = c->draws.n_days;
    const int64_t from = (c->draws.first_day + (int64_t)k0) * DAY_MINUTES;
    const int64_t to = (c->draws.first_day + (int64_t)k1) * DAY_MINUTES;
    const double hours = m->unit_term >= TP_UNIT_1_MONTH ? tp_pricing_billed_hours(from, to)
                                                         : (double)(to - from) / 60.0;
    const double units_usd = (double)units * m->price.unit.per_unit_hour_usd[m->unit_term] *
                             hours;
    const double cap = (double)units * m->price.unit.capacity_tpm_per_unit;
    const int throttle = m->price.unit.throttle;
    for (size_t s = 0; s < c->samples; s++) {
        double usd = 0, over = 0, tokens = 0;
        for (size_t k = k0; k < k1; k++) {
            const size_t hd = pp->day[s * nd + k];
            const double g = pp->scale[s * nd + k];
            double du, dt;
            proj_units_day(ix, hd, g, cap, &du, &dt);
            usd += du;
            over += dt;
            tokens += g * h->tokens[hd];
        }
        tp_project_figures *f = proj_fig(ps, TP_PROJECT_RECOMMENDED, mm, s);
        f->reserved_usd = units_usd;
        f->on_demand_usd = throttle ? 0 : usd;
        f->cost_usd = f->reserved_usd + f->on_demand_usd;
        f->tokens = tokens;
        f->reserved_tokens = tokens - over;
        f->on_demand_tokens = throttle ? 0 : over;
        f->throttled_tokens = throttle ? over : 0;
    }
}

tp_status proj_units_recommended(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                                 tp_project_model *m, proj_sums *ps, tp_error *err)
{
    tp_units_options uo = {0}; /* the provider's burst factor; throttle: everything served */
    tp_units_plan plan;
    tp_demand d;
    proj_units_index *ix = NULL; /* built once the burst factor is known */
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
        if (ix == NULL && (rc = proj_units_index_new(&h->d, h->n_days, &m->price,
                                                     r.burst_factor, &ix, err)) != TP_OK)
            break;
        m->unit_burst_factor = r.burst_factor;
        for (size_t mm = m0; mm < m_in; mm++) {
            price_month(c, h, pp, m, ix, r.units, mm, ps);
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
    proj_units_index_free(ix);
    free(buf);
    return rc;
}
