/* units.c - unit-based reservations (Azure PTU, Vertex GSU): a minute's weighted demand meets
 * units x capacity; the excess share of each token kind spills or is throttled; the exact
 * optimum over the unit grid; Azure's split between a reservation and hourly units (a lower
 * bound with perfect hourly resizing, never a plan); OpenAI Scale Tier and xAI's two pools,
 * input and output units bought per day, each optimised on its own
 * (docs/model.md, "Other providers"). */
#include "tierplan/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* More candidates than this is a catalog or demand far outside any real purchase. */
#define MAX_CANDIDATES 10000000.0

/* One minute with demand: its weighted demand x burst factor (what meets capacity) and r, the
 * cost (spill) or weighted tokens (throttle) that one unit of excess demand overflows. */
typedef struct minute {
    double demand;
    double r;
} minute;

/* The checked options: burst factor, service level and the term's price. */
typedef struct setup {
    double bf, sl, price;
    double price_hours; /* the hours the term's price is paid for (term_hours) */
    const tp_unit_price *u;
    const double *od; /* on-demand Standard prices per million, by token kind */
} setup;

/* The hours a term's price per unit-hour is paid for over the demand's window: hourly units
 * and a week (always 168 h) by the window's own hours; a month, 3 months and a year by the
 * billed hours of docs/model.md "Terms" (730 a calendar month, tp_pricing_billed_hours), as
 * a term's price per hour is its monthly price / 730. */
static double term_hours(const tp_demand *d, tp_unit_term term)
{
    if (term == TP_UNIT_HOURLY || term == TP_UNIT_1_WEEK)
        return (double)d->minutes / 60.0;
    return tp_pricing_billed_hours(d->from_minute, d->from_minute + (int64_t)d->minutes);
}

static tp_status check(const tp_demand *d, const tp_model_price *p, const tp_units_options *o,
                       tp_unit_term term, setup *s, tp_error *err)
{
    if (p->provider == TP_PROVIDER_BEDROCK)
        return tp_error_set(err, TP_ERR_USAGE,
                            "catalog entry \"%s\" is a Bedrock entry: it has no units",
                            p->entry);
    if ((unsigned)term >= TP_UNIT_TERM_COUNT || !(p->unit.per_unit_hour_usd[term] > 0))
        return tp_error_set(err, TP_ERR_USAGE, "catalog entry \"%s\" sells no %s term",
                            p->entry, tp_pricing_unit_term_name(term));
    if (d->minutes > 0 && (d->input_tpm == NULL || d->output_tpm == NULL ||
                           d->cache_read_tpm == NULL || d->cache_write_tpm == NULL))
        return tp_error_set(err, TP_ERR_USAGE, "%s", "a demand without its arrays");
    s->bf = o->burst_factor > 0 ? o->burst_factor
            : p->unit.per_second ? TP_UNITS_BURST_DEFAULT
                                 : 1.0;
    if (!(s->bf >= 1 && s->bf <= 60))
        return tp_error_set(err, TP_ERR_USAGE, "burst factor %g is outside 1..60", s->bf);
    s->sl = o->service_level > 0 ? o->service_level : 1.0;
    if (!(s->sl > 0 && s->sl <= 1))
        return tp_error_set(err, TP_ERR_USAGE, "service level %g is outside (0, 1]", s->sl);
    s->price = p->unit.per_unit_hour_usd[term];
    s->price_hours = term_hours(d, term);
    s->u = &p->unit;
    s->od = p->tier_per_million_usd[TP_TIER_STANDARD];
    return TP_OK;
}

static double weighted(const tp_demand *d, const tp_unit_price *u, size_t i)
{
    return d->input_tpm[i] + d->output_tpm[i] * u->output_weight +
           d->cache_read_tpm[i] * u->cache_read_weight +
           d->cache_write_tpm[i] * u->cache_write_weight;
}

static double on_demand_usd(const tp_demand *d, const double *od, size_t i)
{
    return (d->input_tpm[i] * od[TP_METRIC_INPUT] + d->output_tpm[i] * od[TP_METRIC_OUTPUT] +
            d->cache_read_tpm[i] * od[TP_METRIC_CACHE_READ] +
            d->cache_write_tpm[i] * od[TP_METRIC_CACHE_WRITE]) /
           1e6;
}

/* Units of lattice point k: 0, then minimum + (k - 1) x step. */
static int64_t lattice(const tp_unit_price *u, int64_t k)
{
    return k == 0 ? 0 : u->minimum_units + (k - 1) * u->step_units;
}

/* The first lattice index whose capacity covers demand (weighted TPM x burst). */
static tp_status cover_index(const tp_unit_price *u, double demand, int64_t *out, tp_error *err)
{
    const double need = ceil(demand / u->capacity_tpm_per_unit - 1e-9);
    if (need <= 0) {
        *out = 0;
        return TP_OK;
    }
    if (need <= (double)u->minimum_units) {
        *out = 1;
        return TP_OK;
    }
    const double k = ceil((need - (double)u->minimum_units) / (double)u->step_units) + 1;
    if (k > MAX_CANDIDATES)
        return tp_error_set(err, TP_ERR_TOO_BIG,
                            "a peak of %.0f weighted TPM needs over %.0f candidate unit counts",
                            demand, MAX_CANDIDATES);
    *out = (int64_t)k;
    return TP_OK;
}

static void eval_core(const tp_demand *d, const tp_model_price *p, const setup *s,
                      int64_t units, tp_units_result *out)
{
    const tp_unit_price *u = s->u;
    memset(out, 0, sizeof *out);
    out->units = units;
    out->capacity_tpm = (double)units * u->capacity_tpm_per_unit;
    out->burst_factor = s->bf;
    out->hours = (double)d->minutes / 60.0;
    out->billed_hours =
        tp_pricing_billed_hours(d->from_minute, d->from_minute + (int64_t)d->minutes);
    out->price_hours = s->price_hours;
    out->per_unit_hour_usd = s->price;
    out->units_usd = (double)units * s->price * s->price_hours;
    for (size_t i = 0; i < d->minutes; i++) {
        const double w = weighted(d, u, i), cost = on_demand_usd(d, s->od, i);
        const double demand = w * s->bf;
        out->weighted_tokens += w;
        out->on_demand_usd += cost;
        if (demand > out->peak_weighted_tpm)
            out->peak_weighted_tpm = demand;
        if (demand <= out->capacity_tpm)
            continue;
        /* the excess share of the minute, of every token kind alike */
        const double share = (demand - out->capacity_tpm) / demand;
        const double tok[TP_METRIC_COUNT] = {d->input_tpm[i], d->output_tpm[i],
                                             d->cache_read_tpm[i], d->cache_write_tpm[i]};
        for (int k = 0; k < TP_METRIC_COUNT; k++)
            out->over_tokens[k] += share * tok[k];
        out->over_weighted_tokens += share * w;
        if (!u->throttle)
            out->spill_usd += share * cost;
        out->minutes_over++;
    }
    out->total_usd = out->units_usd + out->spill_usd;
    out->served_share =
        out->weighted_tokens > 0 ? 1 - out->over_weighted_tokens / out->weighted_tokens : 1;
    (void)p;
}

static tp_status eval_pools_checked(const tp_demand *d, const tp_model_price *p,
                                    const tp_units_options *o, int64_t units,
                                    tp_units_result *out, tp_error *err);

tp_status tp_units_eval(const tp_demand *d, const tp_model_price *p, const tp_units_options *o,
                        int64_t units, tp_units_result *out, tp_error *err)
{
    setup s;
    if (p->provider != TP_PROVIDER_BEDROCK && p->unit.pools)
        return eval_pools_checked(d, p, o, units, out, err);
    tp_status rc = check(d, p, o, o->term, &s, err);
    if (rc != TP_OK)
        return rc;
    if (units < 0)
        return tp_error_set(err, TP_ERR_USAGE, "%lld units", (long long)units);
    eval_core(d, p, &s, units, out);
    return TP_OK;
}

static int by_demand_desc(const void *a, const void *b)
{
    const double x = ((const minute *)a)->demand, y = ((const minute *)b)->demand;
    return x > y ? -1 : x < y ? 1 : 0;
}

/* ---- Two pools (openai-scale, xai): input and output units bought per day ----
 * (docs/model.md, "Two pools: input and output units"). Each pool meets its own tokens: the
 * input pool weighs input + cache_read x w_cr + cache_write x w_cw, the output pool output
 * tokens; a minute over a pool overflows the excess share of that pool's token kinds only.
 * The pools share nothing, so the optimum is each pool's own. */

/* One pool seen as a one-dimensional problem: tokens of kind k weigh w[k] against capacity;
 * kinds with mask[k] overflow with the pool. */
typedef struct pool_view {
    tp_unit_price grid; /* capacity_tpm_per_unit, minimum_units, step_units: for lattice() */
    double w[TP_METRIC_COUNT];
    int mask[TP_METRIC_COUNT];
    double per_day_usd;
} pool_view;

static void pool_views(const tp_unit_price *u, pool_view *in, pool_view *out)
{
    memset(in, 0, sizeof *in);
    memset(out, 0, sizeof *out);
    in->grid.capacity_tpm_per_unit = u->input_pool.capacity_tpm_per_unit;
    in->grid.minimum_units = u->input_pool.minimum_units;
    in->grid.step_units = u->input_pool.step_units;
    in->w[TP_METRIC_INPUT] = 1;
    in->w[TP_METRIC_CACHE_READ] = u->input_pool.cache_read_weight;
    in->w[TP_METRIC_CACHE_WRITE] = u->input_pool.cache_write_weight;
    in->mask[TP_METRIC_INPUT] = in->mask[TP_METRIC_CACHE_READ] =
        in->mask[TP_METRIC_CACHE_WRITE] = 1;
    in->per_day_usd = u->input_pool.per_unit_day_usd;
    out->grid.capacity_tpm_per_unit = u->output_pool.capacity_tpm_per_unit;
    out->grid.minimum_units = u->output_pool.minimum_units;
    out->grid.step_units = u->output_pool.step_units;
    out->w[TP_METRIC_OUTPUT] = 1;
    out->mask[TP_METRIC_OUTPUT] = 1;
    out->per_day_usd = u->output_pool.per_unit_day_usd;
}

static void minute_tokens(const tp_demand *d, size_t i, double tok[TP_METRIC_COUNT])
{
    tok[TP_METRIC_INPUT] = d->input_tpm[i];
    tok[TP_METRIC_OUTPUT] = d->output_tpm[i];
    tok[TP_METRIC_CACHE_READ] = d->cache_read_tpm[i];
    tok[TP_METRIC_CACHE_WRITE] = d->cache_write_tpm[i];
}

/* The pool's weighted tokens and the on-demand USD of its kinds in minute i. */
static void pool_minute(const pool_view *pv, const double *od, const double *tok, double *w,
                        double *cost)
{
    *w = 0;
    *cost = 0;
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        *w += tok[k] * pv->w[k];
        if (pv->mask[k])
            *cost += tok[k] * od[k] / 1e6;
    }
}

/* Billed days of a window: its minutes / 1440 rounded up (a day begun is paid whole). */
static double billed_days(const tp_demand *d)
{
    return ceil((double)d->minutes / 1440.0);
}

/* The checks of check() that hold for pools: arrays, burst factor, service level. */
static tp_status pools_check(const tp_demand *d, const tp_model_price *p,
                             const tp_units_options *o, double *bf, double *sl, tp_error *err)
{
    if (d->minutes > 0 && (d->input_tpm == NULL || d->output_tpm == NULL ||
                           d->cache_read_tpm == NULL || d->cache_write_tpm == NULL))
        return tp_error_set(err, TP_ERR_USAGE, "%s", "a demand without its arrays");
    *bf = o->burst_factor > 0 ? o->burst_factor : 1.0;
    if (!(*bf >= 1 && *bf <= 60))
        return tp_error_set(err, TP_ERR_USAGE, "burst factor %g is outside 1..60", *bf);
    *sl = o->service_level > 0 ? o->service_level : 1.0;
    if (!(*sl > 0 && *sl <= 1))
        return tp_error_set(err, TP_ERR_USAGE, "service level %g is outside (0, 1]", *sl);
    (void)p;
    return TP_OK;
}

static void eval_pools(const tp_demand *d, const tp_model_price *p, double bf, int64_t n_in,
                       int64_t n_out, tp_units_result *out)
{
    const tp_unit_price *u = &p->unit;
    const double *od = p->tier_per_million_usd[TP_TIER_STANDARD];
    pool_view pv[2];
    pool_views(u, &pv[0], &pv[1]);
    memset(out, 0, sizeof *out);
    const double days = billed_days(d);
    out->pools = 1;
    out->units = n_in;
    out->output_units = n_out;
    out->capacity_tpm = (double)n_in * pv[0].grid.capacity_tpm_per_unit;
    out->output_capacity_tpm = (double)n_out * pv[1].grid.capacity_tpm_per_unit;
    out->burst_factor = bf;
    out->hours = (double)d->minutes / 60.0;
    out->billed_days = days;
    out->billed_hours = days * 24;
    out->price_hours = days * 24;
    out->per_unit_hour_usd = pv[0].per_day_usd / 24;
    out->per_unit_day_usd = pv[0].per_day_usd;
    out->output_per_unit_day_usd = pv[1].per_day_usd;
    out->input_units_usd = (double)n_in * pv[0].per_day_usd * days;
    out->output_units_usd = (double)n_out * pv[1].per_day_usd * days;
    out->units_usd = out->input_units_usd + out->output_units_usd;
    const double commit_days = fmax(days, (double)u->minimum_days);
    out->commitment_usd =
        ((double)n_in * pv[0].per_day_usd + (double)n_out * pv[1].per_day_usd) * commit_days;
    const double cap[2] = {out->capacity_tpm, out->output_capacity_tpm};
    for (size_t i = 0; i < d->minutes; i++) {
        double tok[TP_METRIC_COUNT], w[2], cost[2], share[2];
        minute_tokens(d, i, tok);
        for (int q = 0; q < 2; q++) {
            pool_minute(&pv[q], od, tok, &w[q], &cost[q]);
            const double demand = w[q] * bf;
            share[q] = demand > cap[q] ? (demand - cap[q]) / demand : 0;
            for (int k = 0; k < TP_METRIC_COUNT; k++)
                if (pv[q].mask[k])
                    out->over_tokens[k] += share[q] * tok[k];
        }
        out->input_weighted_tokens += w[0];
        out->output_weighted_tokens += w[1];
        out->on_demand_usd += cost[0] + cost[1];
        out->peak_weighted_tpm = fmax(out->peak_weighted_tpm, w[0] * bf);
        out->output_peak_tpm = fmax(out->output_peak_tpm, w[1] * bf);
        out->input_over_weighted_tokens += share[0] * w[0];
        out->output_over_weighted_tokens += share[1] * w[1];
        out->input_minutes_over += share[0] > 0;
        out->output_minutes_over += share[1] > 0;
        out->minutes_over += share[0] > 0 || share[1] > 0;
        if (!u->throttle) {
            out->input_spill_usd += share[0] * cost[0];
            out->output_spill_usd += share[1] * cost[1];
            out->coupled_spill_usd += fmax(share[0], share[1]) * (cost[0] + cost[1]);
        }
    }
    out->weighted_tokens = out->input_weighted_tokens + out->output_weighted_tokens;
    out->over_weighted_tokens = out->input_over_weighted_tokens + out->output_over_weighted_tokens;
    out->spill_usd = out->input_spill_usd + out->output_spill_usd;
    out->total_usd = out->units_usd + out->spill_usd;
    out->served_share =
        out->weighted_tokens > 0 ? 1 - out->over_weighted_tokens / out->weighted_tokens : 1;
}

/* One pool's exact optimum over 0 and minimum + k x step, as optimum_terms: minutes sorted by
 * demand, over(C) = A - C x B from running sums; spill: the least units x price x days +
 * spill (ties: fewer units); throttle: the fewest units serving the service level of the
 * pool's own weighted tokens. */
static tp_status pool_optimum(const tp_demand *d, const tp_model_price *p, const pool_view *pv,
                              double bf, double sl, int64_t *best_out, tp_error *err)
{
    const double *od = p->tier_per_million_usd[TP_TIER_STANDARD];
    const int throttle = p->unit.throttle;
    const double days = billed_days(d);
    minute *m = malloc((d->minutes ? d->minutes : 1) * sizeof *m);
    if (m == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    size_t n = 0;
    double wsum = 0;
    for (size_t i = 0; i < d->minutes; i++) {
        double tok[TP_METRIC_COUNT], w, cost;
        minute_tokens(d, i, tok);
        pool_minute(pv, od, tok, &w, &cost);
        wsum += w;
        if (!(w > 0))
            continue;
        m[n].demand = w * bf;
        m[n].r = throttle ? 1 / bf : cost / m[n].demand;
        n++;
    }
    qsort(m, n, sizeof *m, by_demand_desc);
    int64_t kmax;
    tp_status rc = cover_index(&pv->grid, n ? m[0].demand : 0, &kmax, err);
    if (rc != TP_OK) {
        free(m);
        return rc;
    }
    double a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        a += m[i].demand * m[i].r;
        b += m[i].r;
    }
    const double allowed = (1 - sl) * wsum * (1 + 1e-12);
    size_t above = n;
    int64_t best = -1;
    double best_cost = INFINITY;
    for (int64_t k = 0; k <= kmax; k++) {
        const int64_t units = lattice(&pv->grid, k);
        const double cap = (double)units * pv->grid.capacity_tpm_per_unit;
        while (above > 0 && m[above - 1].demand <= cap) {
            above--;
            a -= m[above].demand * m[above].r;
            b -= m[above].r;
        }
        const double over = above > 0 ? fmax(0, a - cap * b) : 0;
        if (throttle) {
            if (over <= allowed && (above == 0 || allowed > 0)) {
                best = units;
                break;
            }
            continue;
        }
        const double cost = (double)units * pv->per_day_usd * days + over;
        if (cost < best_cost * (1 - 1e-12)) {
            best_cost = cost;
            best = units;
        }
    }
    if (best < 0) /* throttle: the peak's cover serves everything; kept for safety */
        best = lattice(&pv->grid, kmax);
    free(m);
    *best_out = best;
    return TP_OK;
}

static tp_status optimum_pools(const tp_demand *d, const tp_model_price *p,
                               const tp_units_options *o, tp_units_result *out, tp_error *err)
{
    double bf, sl;
    pool_view pv[2];
    int64_t n_in, n_out;
    tp_status rc = pools_check(d, p, o, &bf, &sl, err);
    if (rc != TP_OK)
        return rc;
    pool_views(&p->unit, &pv[0], &pv[1]);
    if ((rc = pool_optimum(d, p, &pv[0], bf, sl, &n_in, err)) != TP_OK ||
        (rc = pool_optimum(d, p, &pv[1], bf, sl, &n_out, err)) != TP_OK)
        return rc;
    eval_pools(d, p, bf, n_in, n_out, out);
    return TP_OK;
}

/* Whether a count is on a pool's grid: 0, or minimum + a whole number of steps. */
static int on_grid(const tp_unit_pool *pool, int64_t n)
{
    return n == 0 || (n >= pool->minimum_units && (n - pool->minimum_units) % pool->step_units == 0);
}

static tp_status eval_pools_checked(const tp_demand *d, const tp_model_price *p,
                                    const tp_units_options *o, int64_t units,
                                    tp_units_result *out, tp_error *err)
{
    double bf, sl;
    tp_status rc = pools_check(d, p, o, &bf, &sl, err);
    if (rc != TP_OK)
        return rc;
    if (units < 0 || o->output_units < 0)
        return tp_error_set(err, TP_ERR_USAGE, "%lld input and %lld output units",
                            (long long)units, (long long)o->output_units);
    if (!on_grid(&p->unit.input_pool, units) || !on_grid(&p->unit.output_pool, o->output_units))
        return tp_error_set(err, TP_ERR_USAGE,
                            "catalog entry \"%s\" sells %lld input and %lld output units on no "
                            "purchase: each is 0, or its minimum plus whole steps",
                            p->entry, (long long)units, (long long)o->output_units);
    eval_pools(d, p, bf, units, o->output_units, out);
    return TP_OK;
}

/* The minutes with demand, with r: cost per unit of excess (spill: the minute's on-demand
 * cost / its demand, so excess x r = share x cost) or weighted tokens per unit of excess
 * (throttle: 1 / burst factor). */
static tp_status collect(const tp_demand *d, const setup *s, minute **out, size_t *n,
                         double *weighted_sum, tp_error *err)
{
    minute *m = malloc((d->minutes ? d->minutes : 1) * sizeof *m);
    if (m == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    *n = 0;
    *weighted_sum = 0;
    for (size_t i = 0; i < d->minutes; i++) {
        const double w = weighted(d, s->u, i);
        *weighted_sum += w;
        if (!(w > 0))
            continue;
        m[*n].demand = w * s->bf;
        m[*n].r = s->u->throttle ? 1 / s->bf : on_demand_usd(d, s->od, i) / m[*n].demand;
        (*n)++;
    }
    *out = m;
    return TP_OK;
}

/* The optimum on each of terms[0, nt) from one sort of the minutes: only the price differs
 * between terms. Every term must be sold (check() passed for it). */
static tp_status optimum_terms(const tp_demand *d, const tp_model_price *p, const setup *s0,
                               const tp_unit_term *terms, size_t nt, tp_units_result *out,
                               tp_error *err)
{
    minute *m = NULL;
    size_t n = 0;
    double wsum = 0;
    tp_status rc = collect(d, s0, &m, &n, &wsum, err);
    if (rc != TP_OK)
        return rc;
    qsort(m, n, sizeof *m, by_demand_desc);
    int64_t kmax;
    if ((rc = cover_index(s0->u, n ? m[0].demand : 0, &kmax, err)) != TP_OK) {
        free(m);
        return rc;
    }
    double a_all = 0, b_all = 0;
    for (size_t i = 0; i < n; i++) {
        a_all += m[i].demand * m[i].r;
        b_all += m[i].r;
    }
    const double allowed = (1 - s0->sl) * wsum * (1 + 1e-12);
    for (size_t t = 0; t < nt; t++) {
        setup s = *s0;
        s.price = p->unit.per_unit_hour_usd[terms[t]];
        s.price_hours = term_hours(d, terms[t]);
        const double hours = s.price_hours;
        /* over(C) = sum over minutes with demand > C of (demand - C) x r = A - C x B, A and B
         * the sums of demand x r and of r over those minutes. As C grows the minutes above it
         * are a shrinking prefix of the sorted array: remove from the end. */
        double a = a_all, b = b_all;
        size_t above = n;
        int64_t best = -1;
        double best_cost = INFINITY;
        for (int64_t k = 0; k <= kmax; k++) {
            const int64_t units = lattice(s.u, k);
            const double cap = (double)units * s.u->capacity_tpm_per_unit;
            while (above > 0 && m[above - 1].demand <= cap) {
                above--;
                a -= m[above].demand * m[above].r;
                b -= m[above].r;
            }
            const double over = above > 0 ? fmax(0, a - cap * b) : 0;
            if (s.u->throttle) {
                /* at a service level of 1 any minute above capacity fails, whatever rounding
                 * leaves of its excess */
                if (over <= allowed && (above == 0 || allowed > 0)) {
                    best = units;
                    break;
                }
                continue;
            }
            const double cost = (double)units * s.price * hours + over;
            if (cost < best_cost * (1 - 1e-12)) {
                best_cost = cost;
                best = units;
            }
        }
        if (best < 0) /* throttle: the peak's cover serves everything; kept for safety */
            best = lattice(s.u, kmax);
        eval_core(d, p, &s, best, &out[t]);
    }
    free(m);
    return TP_OK;
}

tp_status tp_units_optimum(const tp_demand *d, const tp_model_price *p,
                           const tp_units_options *o, tp_units_result *out, tp_error *err)
{
    setup s;
    if (p->provider != TP_PROVIDER_BEDROCK && p->unit.pools)
        return optimum_pools(d, p, o, out, err);
    tp_status rc = check(d, p, o, o->term, &s, err);
    if (rc != TP_OK)
        return rc;
    return optimum_terms(d, p, &s, &o->term, 1, out, err);
}

/* The hour's minutes [from, to) sorted by demand, descending (at most 60: insertion sort). */
static size_t hour_minutes(const tp_demand *d, const setup *s, size_t from, size_t to,
                           minute *m)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        const double w = weighted(d, s->u, i);
        if (!(w > 0))
            continue;
        minute x = {w * s->bf, on_demand_usd(d, s->od, i) / (w * s->bf)};
        size_t j = n++;
        while (j > 0 && m[j - 1].demand < x.demand) {
            m[j] = m[j - 1];
            j--;
        }
        m[j] = x;
    }
    return n;
}

/* Spill cost of the sorted minutes m[0, n) at capacity cap. */
static double spill_at(const minute *m, size_t n, double cap)
{
    double over = 0;
    for (size_t i = 0; i < n && m[i].demand > cap; i++)
        over += (m[i].demand - cap) * m[i].r;
    return over;
}

/* The reservation + hourly split on each of terms[0, nt): the hours are priced once at the
 * hourly price; only the reservation's price differs between terms. */
static tp_status split_terms(const tp_demand *d, const tp_model_price *p, const setup *hs,
                             const tp_unit_term *terms, size_t nt, tp_units_split_result *out,
                             tp_error *err)
{
    const tp_unit_price *u = hs->u;
    const size_t n_hours = (d->minutes + 59) / 60;
    const double hours = (double)d->minutes / 60.0;
    double peak = 0;
    tp_status rc;
    for (size_t i = 0; i < d->minutes; i++)
        peak = fmax(peak, weighted(d, u, i) * hs->bf);
    int64_t kmax;
    if ((rc = cover_index(u, peak, &kmax, err)) != TP_OK)
        return rc;
    const size_t nk = (size_t)kmax + 2;
    double *cst = calloc(nk, sizeof *cst), *coef = calloc(nk, sizeof *coef);
    double *direct = calloc(nk, sizeof *direct), *spill_k = calloc(nk, sizeof *spill_k);
    int64_t *hour_best = malloc((n_hours ? n_hours : 1) * sizeof *hour_best);
    minute m[60];
    if (cst == NULL || coef == NULL || direct == NULL || spill_k == NULL || hour_best == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* Each hour h alone: g_h(k) = hourly x frac_h x L_k + spill_h(L_k), least at k*_h. With
     * R = L_r reserved, the hour deploys max(R, n*_h) (g_h is convex in the units: spill
     * is a sum of max(0, demand - C) terms), so it adds
     *   r <= k*_h: hourly x frac_h x (L_k* - L_r) + spill_h(L_k*)  (linear in L_r: summed
     *              into cst and coef over [0, k*_h] with difference arrays)
     *   r >  k*_h: spill_h(L_r)                                 (direct, 0 past its peak) */
    for (size_t h = 0; h < n_hours; h++) {
        const size_t from = h * 60, to = from + 60 < d->minutes ? from + 60 : d->minutes;
        const double frac = (double)(to - from) / 60.0;
        const size_t n = hour_minutes(d, hs, from, to, m);
        int64_t kh;
        if ((rc = cover_index(u, n ? m[0].demand : 0, &kh, err)) != TP_OK)
            goto done;
        int64_t kbest = 0;
        double gbest = INFINITY;
        for (int64_t k = 0; k <= kh; k++) {
            const double cap = (double)lattice(u, k) * u->capacity_tpm_per_unit;
            spill_k[k] = spill_at(m, n, cap);
            const double g = hs->price * frac * (double)lattice(u, k) + spill_k[k];
            if (g < gbest * (1 - 1e-12)) {
                gbest = g;
                kbest = k;
            }
        }
        hour_best[h] = kbest;
        const double at_best = hs->price * frac * (double)lattice(u, kbest) + spill_k[kbest];
        cst[0] += at_best;
        cst[kbest + 1] -= at_best;
        coef[0] += hs->price * frac;
        coef[kbest + 1] -= hs->price * frac;
        for (int64_t k = kbest + 1; k <= kh; k++)
            direct[k] += spill_k[k];
    }
    for (size_t t = 0; t < nt; t++) {
        const double price = p->unit.per_unit_hour_usd[terms[t]];
        /* the reservation is paid the term's hours (term_hours); hourly units their own */
        const double res_hours = term_hours(d, terms[t]);
        tp_units_split_result *r = &out[t];
        memset(r, 0, sizeof *r);
        r->hours = hours;
        r->billed_hours =
            tp_pricing_billed_hours(d->from_minute, d->from_minute + (int64_t)d->minutes);
        double run_c = 0, run_f = 0, best_total = INFINITY;
        int64_t best_k = 0;
        for (int64_t k = 0; k <= kmax; k++) {
            run_c += cst[k];
            run_f += coef[k];
            const double l = (double)lattice(u, k);
            const double total = l * price * res_hours + run_c - run_f * l + direct[k];
            if (total < best_total * (1 - 1e-12)) {
                best_total = total;
                best_k = k;
            }
        }
        /* re-price the chosen R hour by hour */
        const int64_t r_units = lattice(u, best_k);
        r->reserved_units = r_units;
        r->reserved_usd = (double)r_units * price * res_hours;
        for (size_t h = 0; h < n_hours; h++) {
            const size_t from = h * 60, to = from + 60 < d->minutes ? from + 60 : d->minutes;
            const double frac = (double)(to - from) / 60.0;
            const size_t n = hour_minutes(d, hs, from, to, m);
            const int64_t units = hour_best[h] > best_k ? lattice(u, hour_best[h]) : r_units;
            r->hourly_unit_hours += (double)(units - r_units) * frac;
            r->spill_usd += spill_at(m, n, (double)units * u->capacity_tpm_per_unit);
            if (units > r->peak_units)
                r->peak_units = units;
        }
        r->hourly_usd = r->hourly_unit_hours * hs->price;
        r->total_usd = r->reserved_usd + r->hourly_usd + r->spill_usd;
    }
done:
    free(cst);
    free(coef);
    free(direct);
    free(spill_k);
    free(hour_best);
    return rc;
}

/* The hourly setup of a split, and the check of o->term: 0 or an error. */
static tp_status split_check(const tp_demand *d, const tp_model_price *p,
                             const tp_units_options *o, setup *hs, tp_error *err)
{
    setup s;
    tp_units_options ho = *o;
    ho.term = TP_UNIT_HOURLY;
    tp_status rc = check(d, p, o, o->term, &s, err);
    if (rc != TP_OK || (rc = check(d, p, &ho, TP_UNIT_HOURLY, hs, err)) != TP_OK)
        return rc;
    if (s.u->throttle)
        return tp_error_set(err, TP_ERR_USAGE,
                            "catalog entry \"%s\" throttles its overflow: the reservation and "
                            "hourly split prices spill",
                            p->entry);
    return TP_OK;
}

tp_status tp_units_split(const tp_demand *d, const tp_model_price *p, const tp_units_options *o,
                         tp_units_split_result *out, tp_error *err)
{
    setup hs;
    if (p->provider != TP_PROVIDER_BEDROCK && p->unit.pools)
        return tp_error_set(err, TP_ERR_USAGE,
                            "catalog entry \"%s\" sells two pools by the day: no hourly units "
                            "to split with",
                            p->entry);
    tp_status rc = split_check(d, p, o, &hs, err);
    if (rc != TP_OK)
        return rc;
    return split_terms(d, p, &hs, &o->term, 1, out, err);
}

tp_status tp_units_plan_run(const tp_demand *d, const tp_model_price *p,
                            const tp_units_options *o, tp_units_plan *out, tp_error *err)
{
    tp_unit_term terms[TP_UNIT_TERM_COUNT], split[TP_UNIT_TERM_COUNT];
    tp_units_result res[TP_UNIT_TERM_COUNT];
    tp_units_split_result sres[TP_UNIT_TERM_COUNT];
    size_t nt = 0, ns = 0;
    setup s;
    tp_status rc;
    memset(out, 0, sizeof *out);
    if (p->provider != TP_PROVIDER_BEDROCK && p->unit.pools) {
        /* one offer, reported in the 1_month slot (a commitment of at least minimum_days) */
        if ((rc = optimum_pools(d, p, o, &out->term[TP_UNIT_1_MONTH], err)) != TP_OK)
            return rc;
        out->pools = 1;
        out->sold[TP_UNIT_1_MONTH] = 1;
        out->recommended_term = TP_UNIT_1_MONTH;
        out->recommended_total_usd = out->term[TP_UNIT_1_MONTH].total_usd;
        out->on_demand_usd = out->term[TP_UNIT_1_MONTH].on_demand_usd;
        return TP_OK;
    }
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        if (p->unit.per_unit_hour_usd[t] > 0)
            terms[nt++] = (tp_unit_term)t;
    if (p->provider != TP_PROVIDER_BEDROCK && nt == 0)
        return tp_error_set(err, TP_ERR_USAGE, "catalog entry \"%s\" prices no term", p->entry);
    tp_units_options to = *o;
    to.term = nt > 0 ? terms[0] : TP_UNIT_HOURLY;
    if ((rc = check(d, p, &to, to.term, &s, err)) != TP_OK ||
        (rc = optimum_terms(d, p, &s, terms, nt, res, err)) != TP_OK)
        return rc;
    out->recommended_total_usd = INFINITY;
    for (size_t i = 0; i < nt; i++) {
        out->sold[terms[i]] = 1;
        out->term[terms[i]] = res[i];
        out->on_demand_usd = res[i].on_demand_usd;
        if (i == 0 || res[i].total_usd < out->recommended_total_usd * (1 - 1e-12)) {
            out->recommended_total_usd = res[i].total_usd;
            out->recommended_term = terms[i];
        }
    }
    if (p->unit.throttle || !out->sold[TP_UNIT_HOURLY])
        return TP_OK;
    for (size_t i = 0; i < nt; i++)
        if (terms[i] != TP_UNIT_HOURLY)
            split[ns++] = terms[i];
    if (ns == 0)
        return TP_OK;
    setup hs;
    to.term = split[0];
    if ((rc = split_check(d, p, &to, &hs, err)) != TP_OK ||
        (rc = split_terms(d, p, &hs, split, ns, sres, err)) != TP_OK)
        return rc;
    /* a lower bound, never a plan: it resizes each hour knowing that hour's traffic */
    for (size_t i = 0; i < ns; i++) {
        out->has_split[split[i]] = 1;
        out->split[split[i]] = sres[i];
    }
    return TP_OK;
}
