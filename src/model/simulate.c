/* simulate.c - the per-minute spillover model and its costs (docs/model.md, "Simulation"). */
#include "tierplan/simulate.h"

#include <math.h>
#include <string.h>

#include "base/cnum.h"
#include "model/simulate_internal.h"
#include "base/util.h"
#include "tierplan/timestamp.h"

tp_status tp_simulate_spill_model_parse(const char *name, tp_spill_model *out, tp_error *err)
{
    if (strcmp(name, "coupled") == 0)
        *out = TP_SPILL_COUPLED;
    else if (strcmp(name, "independent") == 0)
        *out = TP_SPILL_INDEPENDENT;
    else
        return tp_error_set_field(err, TP_ERR_USAGE, "spill_model",
                                  "{spill_model}: \"%s\" is not one of coupled, independent",
                                  name);
    return TP_OK;
}

tp_status tp_simulate_spill_to_parse(const char *name, tp_spill_to *out, tp_error *err)
{
    if (strcmp(name, "standard") == 0)
        *out = TP_SPILL_TO_STANDARD;
    else if (strcmp(name, "priority") == 0)
        *out = TP_SPILL_TO_PRIORITY;
    else if (strcmp(name, "none") == 0)
        *out = TP_SPILL_TO_NONE;
    else
        return tp_error_set_field(err, TP_ERR_USAGE, "spill_to",
                                  "{spill_to}: \"%s\" is not one of standard, priority, none",
                                  name);
    return TP_OK;
}

const char *tp_simulate_spill_model_name(tp_spill_model m)
{
    return m == TP_SPILL_INDEPENDENT ? "independent" : "coupled";
}

const char *tp_simulate_spill_to_name(tp_spill_to t)
{
    return t == TP_SPILL_TO_PRIORITY ? "priority" : t == TP_SPILL_TO_NONE ? "none" : "standard";
}

double tp_simulate_burn_down_tpm(double input_tpm, double cache_read_tpm, double cache_write_tpm,
                                 double f_read, double w_write)
{
    return util_burn_down_tpm(input_tpm, cache_read_tpm, cache_write_tpm, f_read, w_write);
}

static void trace_num(FILE *f, double v)
{
    char buf[40];
    cnum_format(buf, sizeof buf, v);
    fputc(',', f);
    fputs(buf, f);
}

/* The run's options that the catalog or the numbers cannot serve. */
tp_status sim_check(const tp_model_price *p, const tp_sim_options *o, tp_error *err)
{
    const double Ri = o->reserve_input_tpm, Ro = o->reserve_output_tpm;
    if (!(Ri >= 0) || !(Ro >= 0) || !isfinite(Ri) || !isfinite(Ro))
        return tp_error_set(err, TP_ERR_INVALID, "a reservation must be a non-negative number");
    if (!(o->quota_tpm >= 0) || !isfinite(o->quota_tpm))
        return tp_error_set_field(err, TP_ERR_INVALID, "quota_tpm",
                                  "{quota_tpm} must be a non-negative number");
    if ((Ri > 0 && p->reserved_input_per_1k_tpm_hour_usd < 0) ||
        (Ro > 0 && p->reserved_output_per_1k_tpm_hour_usd < 0))
        return tp_error_set(err, TP_ERR_INVALID,
                            "the price catalog has no reserved_per_1k_tpm_hour for \"%s\"",
                            p->entry);
    return TP_OK;
}

/* Number of figures in one trace row after its timestamp. */
#define TRACE_FIELDS 14

static void trace_header(FILE *f)
{
    fputs("timestamp,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,"
          "effective_input_tpm,served_effective_input_tpm,served_output_tpm,"
          "spilled_input_tokens,spilled_effective_input_tokens,spilled_output_tokens,"
          "throttled_tokens,reserved_usd,spill_usd,total_usd\n",
          f);
}

static void trace_row(FILE *f, int64_t minute, const double v[TRACE_FIELDS])
{
    char ts[TP_TIME_BUF];
    fputs(tp_timestamp_format(minute * 60, ts), f);
    for (int i = 0; i < TRACE_FIELDS; i++)
        trace_num(f, v[i]);
    fputc('\n', f);
}

void sim_totals(tp_sim_result *r)
{
    r->total_usd = r->reserved_usd + r->spill_usd + r->unrouted_usd;
    /* savings are measured against what the tokens actually served would have cost at
     * Standard prices: dropping traffic is not saving money (docs/model.md, "Savings") */
    r->served_value_usd = r->baseline_usd - r->throttled_value_usd;
    if (r->served_value_usd < 0)
        r->served_value_usd = 0; /* rounding when everything is throttled */
    r->savings_usd = r->served_value_usd - r->total_usd;
    r->savings_pct = r->served_value_usd > 0 ? 100.0 * r->savings_usd / r->served_value_usd : NAN;
    const double served_tokens = r->total_tokens - r->throttled_tokens;
    r->blended_usd_per_million = served_tokens > 0 ? r->total_usd / served_tokens * 1e6 : NAN;
}

/* The figures derived from the loop's sums (docs/model.md, "Simulation"). */
void sim_finish(tp_sim_result *r, double Ri, double Ro, double served_eff,
                       double served_out)
{
    const double n = (double)r->minutes;
    sim_totals(r);
    r->utilization_input = Ri > 0 && n > 0 ? served_eff / (Ri * n) : NAN;
    r->utilization_output = Ro > 0 && n > 0 ? served_out / (Ro * n) : NAN;
    r->spill_minutes_pct = n > 0 ? 100.0 * (double)r->spill_minutes / n : 0;
}

tp_status tp_simulate_run(const tp_demand *d, const tp_model_price *p, const tp_sim_options *o,
                          tp_sim_result *r, tp_error *err)
{
    const double Ri = o->reserve_input_tpm, Ro = o->reserve_output_tpm;
    memset(r, 0, sizeof *r);
    tp_status rc = sim_demand_check(d, err);
    if (rc == TP_OK)
        rc = sim_check(p, o, err);
    if (rc != TP_OK)
        return rc;
    const double f = p->burn_down_cache_read, w = p->burn_down_cache_write;
    const double per_tok_in = p->input_per_million_usd / 1e6,
                 per_tok_out = p->output_per_million_usd / 1e6,
                 per_tok_cr = p->cache_read_per_million_usd / 1e6,
                 per_tok_cw = p->cache_write_per_million_usd / 1e6;
    const double std_mult = p->tier_multiplier[TP_TIER_STANDARD];
    const double spill_mult = o->spill_to == TP_SPILL_TO_PRIORITY
                                  ? p->tier_multiplier[TP_TIER_PRIORITY]
                                  : o->spill_to == TP_SPILL_TO_NONE ? 0.0 : std_mult;
    const int coupled = o->spill_model == TP_SPILL_COUPLED;
    const sim_quota quota = {o->spill_to, o->quota_tpm, p->quota_output_weight, 0};
    const double n = (double)d->minutes;
    r->minutes = d->minutes;
    r->hours = n / 60.0;
    r->reserved_usd = r->hours * (Ri / 1000.0 * (Ri > 0 ? p->reserved_input_per_1k_tpm_hour_usd : 0) +
                                  Ro / 1000.0 * (Ro > 0 ? p->reserved_output_per_1k_tpm_hour_usd : 0));
    const double reserved_per_minute_usd = n > 0 ? r->reserved_usd / n : 0;
    if (o->trace != NULL)
        trace_header(o->trace);
    double served_eff = 0, served_out = 0, spill_usd = 0, baseline_usd = 0;
    double throttled_value_usd = 0;
    for (size_t t = 0; t < d->minutes; t++) {
        const double in = d->input_tpm[t], out = d->output_tpm[t], cr = d->cache_read_tpm[t],
                     cw = d->cache_write_tpm[t];
        const double e = util_burn_down_tpm(in, cr, cw, f, w);
        baseline_usd += std_mult * (in * per_tok_in + cr * per_tok_cr + cw * per_tok_cw +
                                    out * per_tok_out);
        r->total_tokens += in + cr + cw + out;
        if (e <= Ri && out <= Ro && o->trace == NULL) {
            /* the common case under a reservation: everything served, nothing to divide */
            served_eff += e;
            served_out += out;
            continue;
        }
        const sim_minute m = sim_minute_eval(in, cr, cw, out, e, Ri, Ro, coupled, &quota);
        const double s_in = m.s_in, s_out = m.s_out, thr = m.thr;
        const double sp_in = in * s_in, sp_cr = cr * s_in, sp_cw = cw * s_in, sp_out = out * s_out;
        served_eff += e * (1.0 - s_in);
        served_out += out * (1.0 - s_out);
        r->spill_input_tokens += sp_in + sp_cr + sp_cw;
        r->spill_effective_input_tokens += e * s_in;
        r->spill_output_tokens += sp_out;
        r->spill_minutes += sim_minute_spills(&m);
        const double spill_value_usd =
            sp_in * per_tok_in + sp_cr * per_tok_cr + sp_cw * per_tok_cw + sp_out * per_tok_out;
        const double minute_spill_usd = spill_mult * (1.0 - thr) * spill_value_usd;
        spill_usd += minute_spill_usd;
        if (sim_minute_throttles(&m)) {
            r->throttled_tokens += thr * m.sp_raw;
            throttled_value_usd += std_mult * thr * spill_value_usd;
            r->throttled_minutes++;
        }
        if (o->trace != NULL) {
            const double row[TRACE_FIELDS] = {
                in, cr, cw, out, e, e * (1.0 - s_in), out * (1.0 - s_out), sp_in + sp_cr + sp_cw,
                e * s_in, sp_out, thr * m.sp_raw, reserved_per_minute_usd, minute_spill_usd,
                reserved_per_minute_usd + minute_spill_usd};
            trace_row(o->trace, d->from_minute + (int64_t)t, row);
        }
    }
    if (o->trace != NULL && (ferror(o->trace) || fflush(o->trace) != 0))
        return tp_error_set(err, TP_ERR_IO, "per-minute trace: write error");
    r->spill_usd = spill_usd;
    r->baseline_usd = baseline_usd;
    r->throttled_value_usd = throttled_value_usd;
    sim_finish(r, Ri, Ro, served_eff, served_out);
    return TP_OK;
}
