/* plan_tiers.c - a plan priced by service tier, for plans, the fleet, projections and
 * showback (plan_tiers.h). */
#include "model/plan_tiers.h"

#include <string.h>

#define RES_BIT TP_ROUTE_TIER(TP_SERVICE_RESERVED)

tp_route_set plan_tiers_fixed_route(const tp_rec_options *o)
{
    return (o->route_tiers != 0 ? o->route_tiers : TP_ROUTE_TIER(TP_SERVICE_DEFAULT)) | RES_BIT;
}

tp_status plan_tiers_candidate(const tp_tier_demand *d, const tp_model_price *p,
                               const tp_rec_options *o, tp_basis basis, double ri, double ro,
                               tp_route_set routed, int months, tp_candidate *c, tp_error *err)
{
    tp_sim_options so = {0};
    tp_sim_tiers_result r;
    so.reserve_input_tpm = ri;
    so.reserve_output_tpm = ro;
    so.spill_model = o->spill_model;
    so.spill_to = o->spill_to;
    so.quota_tpm = o->quota_tpm;
    if (basis == TP_BASIS_ON_DEMAND) { /* as tp_recommend_tiers_run's "no reservation" */
        so.spill_to = TP_SPILL_TO_STANDARD;
        routed = 0;
    }
    memset(c, 0, sizeof *c);
    const tp_status rc = tp_simulate_tiers_run(d, p, &so, routed, &r, err);
    if (rc != TP_OK)
        return rc;
    c->basis = basis;
    c->input_tpm = ri;
    c->output_tpm = ro;
    c->sim = r.sim;
    c->routed_tiers = r.routed;
    memcpy(c->tier, r.tier, sizeof c->tier);
    /* the rates as recommend_tiers.c writes them: what is paid on demand, spilled or never
     * routed, is the spill rate, so that reserved + spill is the total */
    const tp_sim_result *s = &c->sim;
    const double hours = tp_pricing_rate_hours(p, s->hours); /* per billed hour */
    c->cost_per_hour_usd = s->total_usd / hours;
    c->cost_per_month_usd = c->cost_per_hour_usd * TP_HOURS_PER_MONTH;
    c->cost_per_term_usd = c->cost_per_month_usd * (months > 0 ? months : 1);
    c->savings_per_month_usd = s->savings_usd / hours * TP_HOURS_PER_MONTH;
    c->reserved_per_hour_usd = s->reserved_usd / hours;
    c->spill_per_hour_usd = (s->spill_usd + s->unrouted_usd) / hours;
    c->on_demand_per_hour_usd = s->baseline_usd / hours;
    return TP_OK;
}

tp_tier_demand plan_tiers_slice(const tp_tier_demand *d, size_t at, size_t minutes)
{
    tp_tier_demand r = *d;
    r.minutes = minutes;
    r.from_minute = d->from_minute + (int64_t)at;
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        tp_demand *x = &r.tier[k];
        if (x->input_tpm == NULL)
            continue;
        x->input_tpm += at;
        x->output_tpm += at;
        x->cache_read_tpm += at;
        x->cache_write_tpm += at;
        x->minutes = minutes;
        x->from_minute = r.from_minute;
    }
    return r;
}

tp_demand plan_tiers_sum(const tp_tier_demand *d, tp_route_set routed, double *in, double *out,
                         double *cr, double *cw)
{
    for (size_t t = 0; t < d->minutes; t++) {
        double a = 0, b = 0, e = 0, w = 0;
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            const tp_demand *x = &d->tier[k];
            if (!(routed & TP_ROUTE_TIER(k)) || x->input_tpm == NULL)
                continue;
            a += x->input_tpm[t];
            b += x->output_tpm[t];
            e += x->cache_read_tpm[t];
            w += x->cache_write_tpm[t];
        }
        in[t] = a;
        out[t] = b;
        cr[t] = e;
        cw[t] = w;
    }
    const tp_demand r = {in, out, cr, cw, d->minutes, d->from_minute};
    return r;
}
