/* simulate_many.c - several reservations simulated in one pass over the minutes: the
 * recommender's percentile candidates and "no reservation" read the demand once instead of
 * once each (docs/performance.md, "The fleet report"). */
#include <math.h>
#include <string.h>

#include "model/simulate_internal.h"
#include "base/util.h"

/* One reservation's constants and running sums: the locals of tp_simulate_run's loop, so that
 * each sum sees the same operations in the same order as there. */
typedef struct sim_lane {
    double ri, ro, spill_mult;
    int coupled;
    sim_quota quota;
    double served_eff, served_out, spill_usd, throttled_value_usd;
    tp_sim_result *r;
} sim_lane;

/* The minute of one lane that spills: tp_simulate_run's slow branch, line for line. */
static void lane_spill(sim_lane *l, double in, double cr, double cw, double out, double e,
                       const double per_tok[4], double std_mult)
{
    tp_sim_result *r = l->r;
    const sim_minute m = sim_minute_eval(in, cr, cw, out, e, l->ri, l->ro, l->coupled, &l->quota);
    const double s_in = m.s_in, s_out = m.s_out, thr = m.thr;
    const double sp_in = in * s_in, sp_cr = cr * s_in, sp_cw = cw * s_in, sp_out = out * s_out;
    l->served_eff += e * (1.0 - s_in);
    l->served_out += out * (1.0 - s_out);
    r->spill_input_tokens += sp_in + sp_cr + sp_cw;
    r->spill_effective_input_tokens += e * s_in;
    r->spill_output_tokens += sp_out;
    r->spill_minutes += sim_minute_spills(&m);
    const double spill_value_usd =
        sp_in * per_tok[0] + sp_cr * per_tok[2] + sp_cw * per_tok[3] + sp_out * per_tok[1];
    l->spill_usd += l->spill_mult * (1.0 - thr) * spill_value_usd;
    if (sim_minute_throttles(&m)) {
        r->throttled_tokens += thr * m.sp_raw;
        l->throttled_value_usd += std_mult * thr * spill_value_usd;
        r->throttled_minutes++;
    }
}

/* tp_simulate_run's set-up of one lane: the checks, the reserved cost, the spill multiplier. */
static tp_status lane_init(sim_lane *l, const tp_demand *d, const tp_model_price *p,
                           const tp_sim_options *o, tp_sim_result *r, tp_error *err)
{
    const double Ri = o->reserve_input_tpm, Ro = o->reserve_output_tpm;
    memset(r, 0, sizeof *r);
    memset(l, 0, sizeof *l);
    if (o->trace != NULL)
        return tp_error_set(err, TP_ERR_USAGE, "a simulation of several reservations has no "
                                               "trace");
    tp_status rc = sim_check(p, o, err);
    if (rc != TP_OK)
        return rc;
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    l->ri = Ri;
    l->ro = Ro;
    l->spill_mult = o->spill_to == TP_SPILL_TO_PRIORITY ? p->tier_multiplier[TP_TIER_PRIORITY]
                    : o->spill_to == TP_SPILL_TO_NONE   ? 0.0
                                                        : std_mult;
    l->coupled = o->spill_model == TP_SPILL_COUPLED;
    l->quota = (sim_quota){o->spill_to, o->quota_tpm, p->quota_output_weight, 0};
    l->r = r;
    const double n = (double)d->minutes;
    r->minutes = d->minutes;
    r->hours = n / 60.0;
    const double in_price = Ri > 0 ? p->reserved_input_per_1k_tpm_hour_usd : 0,
                 out_price = Ro > 0 ? p->reserved_output_per_1k_tpm_hour_usd : 0;
    r->reserved_usd = r->hours * (Ri / 1000.0 * in_price + Ro / 1000.0 * out_price);
    return TP_OK;
}

tp_status sim_run_many(const tp_demand *d, const tp_model_price *p, const tp_sim_options *o,
                       size_t n_lanes, tp_sim_result *out, tp_error *err)
{
    sim_lane lane[SIM_MAX_LANES];
    if (n_lanes > SIM_MAX_LANES)
        return tp_error_set(err, TP_ERR_USAGE, "more than %d reservations in one pass",
                            SIM_MAX_LANES);
    for (size_t k = 0; k < n_lanes; k++) {
        tp_status rc = lane_init(&lane[k], d, p, &o[k], &out[k], err);
        if (rc != TP_OK)
            return rc;
    }
    const double f = p->burn_down_cache_read, w = p->burn_down_cache_write;
    /* input, output, cache read, cache write: per token */
    const double per_tok[4] = {p->input_per_million_usd / 1e6, p->output_per_million_usd / 1e6,
                               p->cache_read_per_million_usd / 1e6,
                               p->cache_write_per_million_usd / 1e6};
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    /* the baseline and the token count do not depend on the reservation: summed once */
    double baseline_usd = 0, total_tokens = 0;
    for (size_t t = 0; t < d->minutes; t++) {
        const double in = d->input_tpm[t], out_t = d->output_tpm[t], cr = d->cache_read_tpm[t],
                     cw = d->cache_write_tpm[t];
        const double e = util_burn_down_tpm(in, cr, cw, f, w);
        baseline_usd += std_mult * (in * per_tok[0] + cr * per_tok[2] + cw * per_tok[3] +
                                    out_t * per_tok[1]);
        total_tokens += in + cr + cw + out_t;
        for (size_t k = 0; k < n_lanes; k++) {
            sim_lane *l = &lane[k];
            if (e <= l->ri && out_t <= l->ro) {
                l->served_eff += e;
                l->served_out += out_t;
            } else {
                lane_spill(l, in, cr, cw, out_t, e, per_tok, std_mult);
            }
        }
    }
    for (size_t k = 0; k < n_lanes; k++) {
        tp_sim_result *r = &out[k];
        r->total_tokens = total_tokens;
        r->spill_usd = lane[k].spill_usd;
        r->baseline_usd = baseline_usd;
        r->throttled_value_usd = lane[k].throttled_value_usd;
        sim_finish(r, lane[k].ri, lane[k].ro, lane[k].served_eff, lane[k].served_out);
    }
    return TP_OK;
}
