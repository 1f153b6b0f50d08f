/* simulate_tiers.c - the spillover model over demand split by service tier: which tiers are
 * routed to the reservation, what the others pay in their own tier, and the per-tier baseline
 * (docs/model.md, "Service tiers"). */
#include "tierplan/simulate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "model/simulate_internal.h"
#include "model/simulate_tiers_internal.h"

tp_status tp_simulate_route_parse(const char *list, tp_route_set *out, tp_error *err)
{
    char buf[128];
    tp_route_set s = TP_ROUTE_TIER(TP_SERVICE_RESERVED);
    int n = 0;
    if (list == NULL || strlen(list) >= sizeof buf)
        return tp_error_set_field(err, TP_ERR_USAGE, "route_tiers",
                                  "{route_tiers}: a comma-separated list of reserved, priority, "
                                  "default, flex");
    strcpy(buf, list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        tp_service_tier t;
        tp_error e;
        while (*tok == ' ')
            tok++;
        if (tp_series_tier_parse(tok, &t, &e) != TP_OK)
            return tp_error_set_field(err, TP_ERR_USAGE, "route_tiers",
                                      "{route_tiers}: \"%s\" is not a tier: the accepted ones "
                                      "are reserved, priority, default, flex",
                                      tok);
        s |= TP_ROUTE_TIER(t);
        n++;
    }
    if (n == 0)
        return tp_error_set_field(err, TP_ERR_USAGE, "route_tiers",
                                  "{route_tiers}: an empty list: name one or more of reserved, "
                                  "priority, default, flex");
    *out = s;
    return TP_OK;
}

const char *tp_simulate_route_format(tp_route_set s, char *buf, size_t n)
{
    size_t used = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    for (int t = 0; t < TP_SERVICE_COUNT; t++) {
        if (!(s & TP_ROUTE_TIER(t)) || used >= n)
            continue;
        int w = snprintf(buf + used, n - used, "%s%s", used ? "," : "",
                         tp_series_tier_name((tp_service_tier)t));
        used += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

tp_tier tp_simulate_tier_price(tp_service_tier t)
{
    return t == TP_SERVICE_PRIORITY ? TP_TIER_PRIORITY
           : t == TP_SERVICE_FLEX   ? TP_TIER_FLEX
                                    : TP_TIER_STANDARD;
}

tp_status sim_tiers_check(const tp_tier_demand *d, const tp_model_price *p, tp_route_set *present,
                          tp_error *err)
{
    *present = 0;
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        const tp_demand *x = &d->tier[k];
        if (x->input_tpm == NULL && x->output_tpm == NULL && x->cache_read_tpm == NULL &&
            x->cache_write_tpm == NULL)
            continue;
        tp_status rc = sim_demand_check(x, err);
        if (rc != TP_OK)
            return rc;
        if (x->minutes != d->minutes)
            return tp_error_set(err, TP_ERR_USAGE, "tier %s has %zu minutes, the window %zu",
                                tp_series_tier_name((tp_service_tier)k), x->minutes,
                                d->minutes);
        const tp_tier pt = tp_simulate_tier_price((tp_service_tier)k);
        for (int m = 0; m < TP_METRIC_COUNT; m++)
            if (!(p->tier_per_million_usd[pt][m] >= 0))
                return tp_error_set(err, TP_ERR_INVALID,
                                    "the price catalog entry \"%s\" has no %s price for the "
                                    "%s traffic",
                                    p->entry, tp_pricing_tier_name(pt),
                                    tp_series_tier_name((tp_service_tier)k));
        *present |= TP_ROUTE_TIER(k);
    }
    if (*present == 0 && d->minutes > 0)
        return tp_error_set(err, TP_ERR_USAGE,
                            "a demand without its per-minute arrays (released with the fleet's "
                            "series: load the series again)");
    return TP_OK;
}

/* One tier's minute: its four token counts. */
typedef struct tier_minute {
    double in, out, cr, cw;
} tier_minute;

static tier_minute tier_at(const tp_demand *x, size_t t)
{
    const tier_minute m = {x->input_tpm[t], x->output_tpm[t], x->cache_read_tpm[t],
                           x->cache_write_tpm[t]};
    return m;
}

/* Value of a tier's tokens at price tier pt's per-million prices. */
static double tier_value(const tp_model_price *p, tp_tier pt, const tier_minute *m)
{
    const double *v = p->tier_per_million_usd[pt];
    return (m->in * v[TP_METRIC_INPUT] + m->out * v[TP_METRIC_OUTPUT] +
            m->cr * v[TP_METRIC_CACHE_READ] + m->cw * v[TP_METRIC_CACHE_WRITE]) / 1e6;
}

double sim_tiers_quota_use(const tp_tier_demand *d, tp_route_set routed, tp_route_set present,
                           double out_weight, size_t t)
{
    double u = 0;
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        if ((routed & TP_ROUTE_TIER(k)) || !(present & TP_ROUTE_TIER(k)))
            continue;
        const tier_minute m = tier_at(&d->tier[k], t);
        u += m.in + m.cw + m.out * out_weight; /* cache reads do not count against it */
    }
    return u;
}

sim_quota sim_tiers_minute_quota(const tp_sim_options *o, double out_weight, double u,
                                 double *thr_u)
{
    sim_quota q = {o->spill_to, o->quota_tpm, out_weight, 0};
    *thr_u = 0;
    if (o->quota_tpm > 0) {
        /* unrouted traffic first: it is what runs on demand with or without the plan */
        if (u > o->quota_tpm)
            *thr_u = (u - o->quota_tpm) / u;
        q.quota_tpm = o->quota_tpm - u;
        if (!(q.quota_tpm > 0)) {
            q.quota_tpm = 0;
            q.exhausted = 1;
        }
    }
    return q;
}

tp_status tp_simulate_tiers_run(const tp_tier_demand *d, const tp_model_price *p,
                                const tp_sim_options *o, tp_route_set routed,
                                tp_sim_tiers_result *out, tp_error *err)
{
    tp_sim_result *r = &out->sim;
    memset(out, 0, sizeof *out);
    routed |= TP_ROUTE_TIER(TP_SERVICE_RESERVED);
    out->routed = routed;
    if (o->trace != NULL)
        return tp_error_set(err, TP_ERR_USAGE, "a simulation by tier has no per-minute trace");
    tp_status rc = sim_tiers_check(d, p, &out->present, err);
    if (rc == TP_OK)
        rc = sim_check(p, o, err);
    if (rc != TP_OK)
        return rc;
    const tp_route_set present = out->present;
    const double Ri = o->reserve_input_tpm, Ro = o->reserve_output_tpm;
    const double f = p->burn_down_cache_read, w = p->burn_down_cache_write;
    /* the spill is priced as tp_simulate_run prices it: Standard prices x the spill tier's
     * multiplier, the same terms the recommender's searches use */
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    const double spill_mult = o->spill_to == TP_SPILL_TO_PRIORITY
                                  ? p->tier_multiplier[TP_TIER_PRIORITY]
                                  : o->spill_to == TP_SPILL_TO_NONE ? 0.0 : std_mult;
    const double std_price[TP_METRIC_COUNT] = {
        p->input_per_million_usd / 1e6, p->output_per_million_usd / 1e6,
        p->cache_read_per_million_usd / 1e6, p->cache_write_per_million_usd / 1e6};
    const int coupled = o->spill_model == TP_SPILL_COUPLED;
    const double n = (double)d->minutes;
    r->minutes = d->minutes;
    r->hours = n / 60.0;
    r->reserved_usd = r->hours * (Ri / 1000.0 * (Ri > 0 ? p->reserved_input_per_1k_tpm_hour_usd : 0) +
                                  Ro / 1000.0 * (Ro > 0 ? p->reserved_output_per_1k_tpm_hour_usd : 0));
    double served_eff = 0, served_out = 0;
    for (size_t t = 0; t < d->minutes; t++) {
        tier_minute x[TP_SERVICE_COUNT];
        memset(x, 0, sizeof x);
        tier_minute sum = {0, 0, 0, 0};
        double base[TP_SERVICE_COUNT] = {0};
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            if (!(present & TP_ROUTE_TIER(k)))
                continue;
            x[k] = tier_at(&d->tier[k], t);
            const double tok = x[k].in + x[k].out + x[k].cr + x[k].cw;
            out->tier[k].tokens += tok;
            r->total_tokens += tok;
            base[k] = tier_value(p, tp_simulate_tier_price((tp_service_tier)k), &x[k]);
            out->tier[k].baseline_usd += base[k];
            r->baseline_usd += base[k];
            if (routed & TP_ROUTE_TIER(k)) {
                sum.in += x[k].in;
                sum.out += x[k].out;
                sum.cr += x[k].cr;
                sum.cw += x[k].cw;
            }
        }
        /* the traffic not routed: in its own tier, first in line for the quota */
        double thr_u;
        const double u = sim_tiers_quota_use(d, routed, present, p->quota_output_weight, t);
        const sim_quota q = sim_tiers_minute_quota(o, p->quota_output_weight, u, &thr_u);
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            if ((routed & TP_ROUTE_TIER(k)) || !(present & TP_ROUTE_TIER(k)))
                continue;
            const double tok = x[k].in + x[k].out + x[k].cr + x[k].cw;
            out->tier[k].on_demand_tokens += (1.0 - thr_u) * tok;
            out->tier[k].on_demand_usd += (1.0 - thr_u) * base[k];
            r->unrouted_usd += (1.0 - thr_u) * base[k];
            out->tier[k].throttled_tokens += thr_u * tok;
            r->throttled_tokens += thr_u * tok;
            r->throttled_value_usd += thr_u * base[k];
        }
        const int unrouted_thr = thr_u > 0 && u > 0;
        out->unrouted_throttled_minutes += unrouted_thr;
        /* the routed traffic: absorbed up to the reservation, the rest spills */
        const double e = util_burn_down_tpm(sum.in, sum.cr, sum.cw, f, w);
        sim_minute m = {0, 0, 0, 0};
        if (!(e <= Ri && sum.out <= Ro))
            m = sim_minute_eval(sum.in, sum.cr, sum.cw, sum.out, e, Ri, Ro, coupled, &q);
        served_eff += e * (1.0 - m.s_in);
        served_out += sum.out * (1.0 - m.s_out);
        r->spill_input_tokens += (sum.in + sum.cr + sum.cw) * m.s_in;
        r->spill_effective_input_tokens += e * m.s_in;
        r->spill_output_tokens += sum.out * m.s_out;
        r->spill_minutes += sim_minute_spills(&m);
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            if (!(routed & TP_ROUTE_TIER(k)) || !(present & TP_ROUTE_TIER(k)))
                continue;
            const tier_minute sp = {x[k].in * m.s_in, x[k].out * m.s_out, x[k].cr * m.s_in,
                                    x[k].cw * m.s_in};
            const double sp_tok = sp.in + sp.out + sp.cr + sp.cw;
            const double tok = x[k].in + x[k].out + x[k].cr + x[k].cw;
            const double value = sp.in * std_price[TP_METRIC_INPUT] +
                                 sp.out * std_price[TP_METRIC_OUTPUT] +
                                 sp.cr * std_price[TP_METRIC_CACHE_READ] +
                                 sp.cw * std_price[TP_METRIC_CACHE_WRITE];
            const double billed = spill_mult * (1.0 - m.thr) * value;
            out->tier[k].reserved_tokens += tok - sp_tok;
            out->tier[k].on_demand_tokens += (1.0 - m.thr) * sp_tok;
            out->tier[k].on_demand_usd += billed;
            out->tier[k].throttled_tokens += m.thr * sp_tok;
            r->spill_usd += billed;
            if (sim_minute_throttles(&m)) {
                /* dropped traffic is valued at what it cost before: its own tier's price */
                r->throttled_tokens += m.thr * sp_tok;
                r->throttled_value_usd +=
                    m.thr * tier_value(p, tp_simulate_tier_price((tp_service_tier)k), &sp);
            }
        }
        r->throttled_minutes += unrouted_thr || sim_minute_throttles(&m);
    }
    sim_finish(r, Ri, Ro, served_eff, served_out);
    return TP_OK;
}
