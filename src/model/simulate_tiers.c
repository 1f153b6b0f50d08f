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

/* One plan of sim_tiers_run_many: its constants and the sums that are its own (the locals of
 * a single run's loop), so that each sees the same operations in the same order as a run of
 * its own would. */
typedef struct tier_lane {
    const tp_sim_options *o;
    tp_route_set routed;
    double Ri, Ro, spill_mult;
    int coupled;
    /* no quota and somewhere to spill: nothing is ever throttled (lane_minute_plain) */
    int plain;
    /* the tiers with traffic, routed and not, in tier order */
    int in_routed[TP_SERVICE_COUNT], n_routed, in_unrouted[TP_SERVICE_COUNT], n_unrouted;
    double served_eff, served_out;
    tp_sim_tiers_result *out;
} tier_lane;

/* A lane's set-up: its checks (the demand's are done once for all) and its reserved cost. */
static tp_status lane_init(tier_lane *l, const tp_model_price *p, const tp_sim_options *o,
                           tp_route_set routed, tp_route_set present, size_t minutes,
                           tp_sim_tiers_result *out, tp_error *err)
{
    tp_sim_result *r = &out->sim;
    memset(out, 0, sizeof *out);
    memset(l, 0, sizeof *l);
    routed |= TP_ROUTE_TIER(TP_SERVICE_RESERVED);
    out->routed = routed;
    if (o->trace != NULL)
        return tp_error_set(err, TP_ERR_USAGE, "a simulation by tier has no per-minute trace");
    out->present = present;
    tp_status rc = sim_check(p, o, err);
    if (rc != TP_OK)
        return rc;
    l->o = o;
    l->routed = routed;
    l->out = out;
    l->Ri = o->reserve_input_tpm;
    l->Ro = o->reserve_output_tpm;
    /* the spill is priced as tp_simulate_run prices it: Standard prices x the spill tier's
     * multiplier, the same terms the recommender's searches use */
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    l->spill_mult = o->spill_to == TP_SPILL_TO_PRIORITY ? p->tier_multiplier[TP_TIER_PRIORITY]
                    : o->spill_to == TP_SPILL_TO_NONE   ? 0.0
                                                        : std_mult;
    l->coupled = o->spill_model == TP_SPILL_COUPLED;
    l->plain = !(o->quota_tpm > 0) && o->spill_to != TP_SPILL_TO_NONE;
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        if (!(present & TP_ROUTE_TIER(k)))
            continue;
        if (routed & TP_ROUTE_TIER(k))
            l->in_routed[l->n_routed++] = k;
        else
            l->in_unrouted[l->n_unrouted++] = k;
    }
    const double n = (double)minutes;
    r->minutes = minutes;
    r->hours = n / 60.0;
    r->reserved_usd =
        r->hours * (l->Ri / 1000.0 * (l->Ri > 0 ? p->reserved_input_per_1k_tpm_hour_usd : 0) +
                    l->Ro / 1000.0 * (l->Ro > 0 ? p->reserved_output_per_1k_tpm_hour_usd : 0));
    return TP_OK;
}

/* What every lane reads of minute t: each tier's tokens, their count, their value at the
 * tier's own price and their weight against the quota. */
typedef struct tiers_minute {
    tier_minute x[TP_SERVICE_COUNT];
    double tok[TP_SERVICE_COUNT], base[TP_SERVICE_COUNT], quota_use[TP_SERVICE_COUNT];
} tiers_minute;


/* What the reservation served of a minute's routed sum (effective input e) and what spilled,
 * added to the lane's totals: the one accounting of both minute paths below. */
static inline void lane_spill(tier_lane *l, tp_sim_result *r, const tier_minute *sum, double e,
                              const sim_minute *m)
{
    l->served_eff += e * (1.0 - m->s_in);
    l->served_out += sum->out * (1.0 - m->s_out);
    r->spill_input_tokens += (sum->in + sum->cr + sum->cw) * m->s_in;
    r->spill_effective_input_tokens += e * m->s_in;
    r->spill_output_tokens += sum->out * m->s_out;
    r->spill_minutes += sim_minute_spills(m);
}

/* lane_minute where nothing can be throttled (l->plain): the quota leaves the spill
 * unlimited (thr_u and m.thr are exactly 0), so each sum gets what lane_minute adds to it, in
 * its order, less the terms that are exactly +0 (a sum starting at +0 never changes by one). */
static inline void lane_minute_plain(tier_lane *l, const tiers_minute *mt, const tp_model_price *p,
                              const double std_price[TP_METRIC_COUNT])
{
    tp_sim_tiers_result *out = l->out;
    tp_sim_result *r = &out->sim;
    const tier_minute *x = mt->x;
    tier_minute sum = {0, 0, 0, 0};
    for (int i = 0; i < l->n_routed; i++) {
        const int k = l->in_routed[i];
        sum.in += x[k].in;
        sum.out += x[k].out;
        sum.cr += x[k].cr;
        sum.cw += x[k].cw;
    }
    for (int i = 0; i < l->n_unrouted; i++) {
        const int k = l->in_unrouted[i];
        out->tier[k].on_demand_tokens += mt->tok[k]; /* (1 - thr_u) tok, thr_u = 0 */
        out->tier[k].on_demand_usd += mt->base[k];
        r->unrouted_usd += mt->base[k];
    }
    const double e =
        util_burn_down_tpm(sum.in, sum.cr, sum.cw, p->burn_down_cache_read, p->burn_down_cache_write);
    if (e <= l->Ri && sum.out <= l->Ro) {
        l->served_eff += e;
        l->served_out += sum.out;
        for (int i = 0; i < l->n_routed; i++)
            out->tier[l->in_routed[i]].reserved_tokens += mt->tok[l->in_routed[i]];
        return;
    }
    const sim_quota q = {l->o->spill_to, 0, p->quota_output_weight, 0};
    const sim_minute m =
        sim_minute_eval(sum.in, sum.cr, sum.cw, sum.out, e, l->Ri, l->Ro, l->coupled, &q);
    lane_spill(l, r, &sum, e, &m);
    for (int i = 0; i < l->n_routed; i++) {
        const int k = l->in_routed[i];
        const tier_minute sp = {x[k].in * m.s_in, x[k].out * m.s_out, x[k].cr * m.s_in,
                                x[k].cw * m.s_in};
        const double sp_tok = sp.in + sp.out + sp.cr + sp.cw;
        const double value = sp.in * std_price[TP_METRIC_INPUT] +
                             sp.out * std_price[TP_METRIC_OUTPUT] +
                             sp.cr * std_price[TP_METRIC_CACHE_READ] +
                             sp.cw * std_price[TP_METRIC_CACHE_WRITE];
        const double billed = l->spill_mult * value; /* spill_mult (1 - m.thr) value */
        out->tier[k].reserved_tokens += mt->tok[k] - sp_tok;
        out->tier[k].on_demand_tokens += sp_tok;
        out->tier[k].on_demand_usd += billed;
        r->spill_usd += billed;
    }
}

/* Lane l's minute: the traffic not routed in its own tier, first in line for the quota, the
 * routed traffic absorbed up to the reservation and the rest spilled. */
static void lane_minute(tier_lane *l, const tiers_minute *mt, tp_route_set present,
                        const tp_model_price *p, const double std_price[TP_METRIC_COUNT])
{
    tp_sim_tiers_result *out = l->out;
    tp_sim_result *r = &out->sim;
    const tp_route_set routed = l->routed;
    const tier_minute *x = mt->x;
    tier_minute sum = {0, 0, 0, 0};
    double u = 0;
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        if (!(present & TP_ROUTE_TIER(k)))
            continue;
        if (routed & TP_ROUTE_TIER(k)) {
            sum.in += x[k].in;
            sum.out += x[k].out;
            sum.cr += x[k].cr;
            sum.cw += x[k].cw;
        } else {
            u += mt->quota_use[k]; /* sim_tiers_quota_use's sum, in its order */
        }
    }
    double thr_u;
    const sim_quota q = sim_tiers_minute_quota(l->o, p->quota_output_weight, u, &thr_u);
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        if ((routed & TP_ROUTE_TIER(k)) || !(present & TP_ROUTE_TIER(k)))
            continue;
        const double tok = mt->tok[k], base = mt->base[k];
        out->tier[k].on_demand_tokens += (1.0 - thr_u) * tok;
        out->tier[k].on_demand_usd += (1.0 - thr_u) * base;
        r->unrouted_usd += (1.0 - thr_u) * base;
        out->tier[k].throttled_tokens += thr_u * tok;
        r->throttled_tokens += thr_u * tok;
        r->throttled_value_usd += thr_u * base;
    }
    const int unrouted_thr = thr_u > 0 && u > 0;
    out->unrouted_throttled_minutes += unrouted_thr;
    const double e =
        util_burn_down_tpm(sum.in, sum.cr, sum.cw, p->burn_down_cache_read, p->burn_down_cache_write);
    if (e <= l->Ri && sum.out <= l->Ro) {
        /* nothing spills: what the general case below adds is exactly this (its other terms
         * add +0 to sums that start at +0) */
        l->served_eff += e;
        l->served_out += sum.out;
        for (int k = 0; k < TP_SERVICE_COUNT; k++)
            if ((routed & present & TP_ROUTE_TIER(k)))
                out->tier[k].reserved_tokens += mt->tok[k];
        r->throttled_minutes += unrouted_thr;
        return;
    }
    const sim_minute m =
        sim_minute_eval(sum.in, sum.cr, sum.cw, sum.out, e, l->Ri, l->Ro, l->coupled, &q);
    lane_spill(l, r, &sum, e, &m);
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        if (!(routed & TP_ROUTE_TIER(k)) || !(present & TP_ROUTE_TIER(k)))
            continue;
        const tier_minute sp = {x[k].in * m.s_in, x[k].out * m.s_out, x[k].cr * m.s_in,
                                x[k].cw * m.s_in};
        const double sp_tok = sp.in + sp.out + sp.cr + sp.cw;
        const double tok = mt->tok[k];
        const double value = sp.in * std_price[TP_METRIC_INPUT] +
                             sp.out * std_price[TP_METRIC_OUTPUT] +
                             sp.cr * std_price[TP_METRIC_CACHE_READ] +
                             sp.cw * std_price[TP_METRIC_CACHE_WRITE];
        const double billed = l->spill_mult * (1.0 - m.thr) * value;
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

/* Minute t's tokens, their count and value by tier, and their weight against the quota. */
static inline void tiers_minute_at(const tp_tier_demand *d, const tp_model_price *p,
                            tp_route_set present, const tp_tier price_tier[TP_SERVICE_COUNT],
                            size_t t, tiers_minute *mt)
{
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        if (!(present & TP_ROUTE_TIER(k)))
            continue;
        const tier_minute x = tier_at(&d->tier[k], t);
        mt->x[k] = x;
        mt->tok[k] = x.in + x.out + x.cr + x.cw;
        mt->base[k] = tier_value(p, price_tier[k], &x);
        mt->quota_use[k] = x.in + x.cw + x.out * p->quota_output_weight;
    }
}

static void price_tiers(tp_tier price_tier[TP_SERVICE_COUNT])
{
    for (int k = 0; k < TP_SERVICE_COUNT; k++)
        price_tier[k] = tp_simulate_tier_price((tp_service_tier)k);
}

tp_status sim_tiers_run_many(const tp_tier_demand *d, const tp_model_price *p,
                             const tp_sim_options *o, const tp_route_set *routed, size_t n_lanes,
                             tp_sim_tiers_result *out, tp_error *err)
{
    tier_lane lane[SIM_TIERS_MAX_LANES];
    tp_route_set present = 0;
    if (n_lanes > SIM_TIERS_MAX_LANES)
        return tp_error_set(err, TP_ERR_USAGE, "more than %d plans in one pass",
                            SIM_TIERS_MAX_LANES);
    for (size_t l = 0; l < n_lanes; l++) {
        memset(&out[l], 0, sizeof out[l]);
        out[l].routed = routed[l] | TP_ROUTE_TIER(TP_SERVICE_RESERVED);
    }
    for (size_t l = 0; l < n_lanes; l++)
        if (o[l].trace != NULL)
            return tp_error_set(err, TP_ERR_USAGE,
                                "a simulation by tier has no per-minute trace");
    tp_status rc = sim_tiers_check(d, p, &present, err);
    if (rc != TP_OK)
        return rc;
    for (size_t l = 0; l < n_lanes; l++)
        if ((rc = lane_init(&lane[l], p, &o[l], routed[l], present, d->minutes, &out[l], err)) !=
            TP_OK)
            return rc;
    const double std_price[TP_METRIC_COUNT] = {
        p->input_per_million_usd / 1e6, p->output_per_million_usd / 1e6,
        p->cache_read_per_million_usd / 1e6, p->cache_write_per_million_usd / 1e6};
    tp_tier price_tier[TP_SERVICE_COUNT];
    price_tiers(price_tier);
    /* the tokens and the baseline do not depend on the plan: summed once, in a single run's
     * order */
    double total_tokens = 0, baseline_usd = 0;
    double tier_tokens[TP_SERVICE_COUNT] = {0}, tier_baseline_usd[TP_SERVICE_COUNT] = {0};
    tiers_minute mt;
    memset(&mt, 0, sizeof mt);
    for (size_t t = 0; t < d->minutes; t++) {
        tiers_minute_at(d, p, present, price_tier, t, &mt);
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            if (!(present & TP_ROUTE_TIER(k)))
                continue;
            tier_tokens[k] += mt.tok[k];
            total_tokens += mt.tok[k];
            tier_baseline_usd[k] += mt.base[k];
            baseline_usd += mt.base[k];
        }
        for (size_t l = 0; l < n_lanes; l++) {
            if (lane[l].plain)
                lane_minute_plain(&lane[l], &mt, p, std_price);
            else
                lane_minute(&lane[l], &mt, present, p, std_price);
        }
    }
    for (size_t l = 0; l < n_lanes; l++) {
        tp_sim_tiers_result *x = &out[l];
        x->sim.total_tokens = total_tokens;
        x->sim.baseline_usd = baseline_usd;
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            x->tier[k].tokens = tier_tokens[k];
            x->tier[k].baseline_usd = tier_baseline_usd[k];
        }
        sim_finish(&x->sim, lane[l].Ri, lane[l].Ro, lane[l].served_eff, lane[l].served_out);
    }
    return TP_OK;
}

tp_status tp_simulate_tiers_run(const tp_tier_demand *d, const tp_model_price *p,
                                const tp_sim_options *o, tp_route_set routed,
                                tp_sim_tiers_result *out, tp_error *err)
{
    return sim_tiers_run_many(d, p, o, &routed, 1, out, err);
}
