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

/* The index of one capacity: a minute's demand D = sum of w[k] x its tokens of kind k, times
 * the burst factor; its value and raw tokens those of the kinds in mask (the kinds that
 * overflow with it), valued at od (USD per million). */
static tp_status index_new(const tp_demand *hd, size_t n_days, const double w[TP_METRIC_COUNT],
                           const int mask[TP_METRIC_COUNT], const double *od,
                           double burst_factor, proj_units_index **out, tp_error *err)
{
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
            const double tok[TP_METRIC_COUNT] = {hd->input_tpm[i], hd->output_tpm[i],
                                                 hd->cache_read_tpm[i], hd->cache_write_tpm[i]};
            /* the weighted tokens and on-demand value of tp_units_eval (units.c), summed in
             * the same order */
            double wt = tok[TP_METRIC_INPUT] * w[TP_METRIC_INPUT], v = 0, t = 0;
            for (int m = TP_METRIC_OUTPUT; m < TP_METRIC_COUNT; m++)
                wt += tok[m] * w[m];
            if (!(wt > 0))
                continue;
            for (int m = 0; m < TP_METRIC_COUNT; m++)
                if (mask[m]) {
                    v += tok[m] * od[m];
                    t += tok[m];
                }
            mins[n].d = wt * burst_factor;
            mins[n].v = v / 1e6;
            mins[n].t = t;
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

tp_status proj_units_index_new(const tp_demand *hd, size_t n_days, const tp_model_price *p,
                               double burst_factor, proj_units_index **out, tp_error *err)
{
    const tp_unit_price *u = &p->unit;
    const double w[TP_METRIC_COUNT] = {1, u->output_weight, u->cache_read_weight,
                                       u->cache_write_weight};
    const int all[TP_METRIC_COUNT] = {1, 1, 1, 1};
    return index_new(hd, n_days, w, all, p->tier_per_million_usd[TP_TIER_STANDARD],
                     burst_factor, out, err);
}

tp_status proj_units_pool_index_new(const tp_demand *hd, size_t n_days, const tp_model_price *p,
                                    int output, double burst_factor, proj_units_index **out,
                                    tp_error *err)
{
    const tp_unit_pool *in = &p->unit.input_pool;
    /* the input pool: input, cache reads and writes at its weights; the output pool: output */
    const double w_in[TP_METRIC_COUNT] = {1, 0, in->cache_read_weight, in->cache_write_weight};
    const double w_out[TP_METRIC_COUNT] = {0, 1, 0, 0};
    const int m_in[TP_METRIC_COUNT] = {1, 0, 1, 1}, m_out[TP_METRIC_COUNT] = {0, 1, 0, 0};
    return index_new(hd, n_days, output ? w_out : w_in, output ? m_out : m_in,
                     p->tier_per_million_usd[TP_TIER_STANDARD], burst_factor, out, err);
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

/* One sample-month of the recommended plan: the units held, the overflow's on-demand dollars
 * and tokens (throttled instead when the entry throttles: then charged nothing). */
static void put_recommended(tp_project_figures *f, double units_usd, double over_usd,
                            double over_tokens, double tokens, int throttle)
{
    f->reserved_usd = units_usd;
    f->on_demand_usd = throttle ? 0 : over_usd;
    f->cost_usd = f->reserved_usd + f->on_demand_usd;
    f->tokens = tokens;
    f->reserved_tokens = tokens - over_tokens;
    f->on_demand_tokens = throttle ? 0 : over_tokens;
    f->throttled_tokens = throttle ? over_tokens : 0;
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
        put_recommended(proj_fig(ps, TP_PROJECT_RECOMMENDED, mm, s), units_usd, usd, over, tokens,
                        throttle);
    }
}

/* Two pools (openai-scale, xai; docs/model.md, "Projection of two pools"): every sample's
 * month mm priced with n_in input and n_out output units, as tp_units_eval prices the sample's
 * days of the month: each pool's units x its price per unit-day x the month's billed days
 * (its days: a day begun is paid whole), each pool's overflow at on-demand Standard prices of
 * its own token kinds (input, cache reads and writes; output), or throttled. */
static void price_month_pools(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                              const tp_project_model *m, const proj_units_index *ix_in,
                              const proj_units_index *ix_out, int64_t n_in, int64_t n_out,
                              size_t mm, proj_sums *ps)
{
    const tp_unit_price *u = &m->price.unit;
    const size_t k0 = c->month_day[mm], k1 = c->month_day[mm + 1], nd = c->draws.n_days;
    const double days = (double)(k1 - k0); /* whole days: ceil(minutes / 1440) */
    const double units_usd = (double)n_in * u->input_pool.per_unit_day_usd * days +
                             (double)n_out * u->output_pool.per_unit_day_usd * days;
    const double cap_in = (double)n_in * u->input_pool.capacity_tpm_per_unit;
    const double cap_out = (double)n_out * u->output_pool.capacity_tpm_per_unit;
    const int throttle = u->throttle;
    for (size_t s = 0; s < c->samples; s++) {
        double usd = 0, over = 0, tokens = 0;
        for (size_t k = k0; k < k1; k++) {
            const size_t hd = pp->day[s * nd + k];
            const double g = pp->scale[s * nd + k];
            double du, dt;
            proj_units_day(ix_in, hd, g, cap_in, &du, &dt);
            usd += du;
            over += dt;
            proj_units_day(ix_out, hd, g, cap_out, &du, &dt);
            usd += du;
            over += dt;
            tokens += g * h->tokens[hd];
        }
        put_recommended(proj_fig(ps, TP_PROJECT_RECOMMENDED, mm, s), units_usd, usd, over, tokens,
                        throttle);
    }
}

/* The recommended plan of two pools: both counts sized each month (the 30-day minimum: a
 * month at a time) on the month's P50 path by tp_units_optimum (each pool its own optimum),
 * held in every sample, each sample-month priced by price_month_pools. */
static tp_status pools_recommended(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                                   tp_project_model *m, proj_sums *ps, tp_error *err)
{
    tp_units_options uo = {0}; /* per minute (burst 1); throttle: everything served */
    proj_units_index *ix_in = NULL, *ix_out = NULL;
    size_t need = 0;
    for (size_t mm = 0; mm < c->n_months; mm++)
        if (c->month_day[mm + 1] - c->month_day[mm] > need)
            need = c->month_day[mm + 1] - c->month_day[mm];
    double *buf = malloc(4 * need * DAY_MINUTES * sizeof *buf);
    tp_status rc = TP_OK;
    if (buf == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    m->unit_term = TP_UNIT_1_MONTH; /* the one offer: at least minimum_days */
    m->term_months = 1;
    m->term_discount = 1;
    m->offered = 1;
    for (size_t mm = 0; mm < c->n_months; mm++) {
        const size_t k0 = c->month_day[mm], k1 = c->month_day[mm + 1];
        tp_units_result r;
        tp_demand d;
        if ((rc = p50_demand(c, h, pp, k0, k1, buf, &d, err)) != TP_OK ||
            (rc = tp_units_optimum(&d, &m->price, &uo, &r, err)) != TP_OK)
            break;
        if (ix_in == NULL &&
            ((rc = proj_units_pool_index_new(&h->d, h->n_days, &m->price, 0, r.burst_factor,
                                             &ix_in, err)) != TP_OK ||
             (rc = proj_units_pool_index_new(&h->d, h->n_days, &m->price, 1, r.burst_factor,
                                             &ix_out, err)) != TP_OK))
            break;
        m->unit_burst_factor = r.burst_factor;
        price_month_pools(c, h, pp, m, ix_in, ix_out, r.units, r.output_units, mm, ps);
        tp_project_cell *cell = &m->cells[mm * TP_PROJECT_PLAN_COUNT + TP_PROJECT_RECOMMENDED];
        cell->has = 1;
        cell->units = r.units;
        cell->output_units = r.output_units;
        cell->term_start = cell->term_end = 1;
    }
    proj_units_index_free(ix_in);
    proj_units_index_free(ix_out);
    free(buf);
    return rc;
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
    if (m->price.unit.pools)
        return pools_recommended(c, h, pp, m, ps, err);
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
