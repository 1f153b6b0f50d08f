/* observed.c - a held reservation as its metrics show it (the traffic that asked for reserved,
 * split by the tier that served it) beside the simulation of that traffic at the held size. */
#include "tierplan/simulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* The demand's four arrays in tp_metric order (input, output, cache read, cache write). */
static void arrays_of(const tp_demand *d, const double *a[4])
{
    a[0] = d->input_tpm;
    a[1] = d->output_tpm;
    a[2] = d->cache_read_tpm;
    a[3] = d->cache_write_tpm;
}

static int has_arrays(const tp_demand *d)
{
    return d->minutes == 0 || (d->input_tpm != NULL && d->output_tpm != NULL &&
                               d->cache_read_tpm != NULL && d->cache_write_tpm != NULL);
}

/* What the metrics say: utilization of what was served reserved, and the overflow. */
static void observe(const tp_demand *sv, const tp_demand *ov, const tp_model_price *p, double Ri,
                    double Ro, tp_sim_observed *out)
{
    const double f = p->burn_down_cache_read, w = p->burn_down_cache_write;
    const double n = (double)sv->minutes;
    double served_eff = 0, served_out = 0;
    for (size_t t = 0; t < sv->minutes; t++) {
        /* burned down as the simulation burns the reservation's input (docs/model.md) */
        served_eff += util_burn_down_tpm(sv->input_tpm[t], sv->cache_read_tpm[t],
                                          sv->cache_write_tpm[t], f, w);
        served_out += sv->output_tpm[t];
        const double o_in = ov->input_tpm[t] + ov->cache_read_tpm[t] + ov->cache_write_tpm[t];
        out->overflow_input_tokens += o_in;
        out->overflow_output_tokens += ov->output_tpm[t];
        out->overflow_minutes += o_in > 0 || ov->output_tpm[t] > 0;
    }
    out->minutes = sv->minutes;
    out->utilization_input = Ri > 0 && n > 0 ? served_eff / (Ri * n) : NAN;
    out->utilization_output = Ro > 0 && n > 0 ? served_out / (Ro * n) : NAN;
    out->overflow_minutes_pct = n > 0 ? 100.0 * (double)out->overflow_minutes / n : 0;
}

/* The simulation's errors against the metrics (simulated - observed). */
static void errors(tp_sim_observed *o)
{
    const tp_sim_result *s = &o->simulated;
    o->error_utilization_input = s->utilization_input - o->utilization_input;
    o->error_utilization_output = s->utilization_output - o->utilization_output;
    o->error_overflow_minutes_pct = s->spill_minutes_pct - o->overflow_minutes_pct;
    o->error_overflow_input_tokens = s->spill_input_tokens - o->overflow_input_tokens;
    o->error_overflow_output_tokens = s->spill_output_tokens - o->overflow_output_tokens;
    o->error_pct = NAN;
    const double e[2] = {o->error_utilization_input, o->error_utilization_output};
    for (int k = 0; k < 2; k++)
        if (!isnan(e[k]) && (isnan(o->error_pct) || fabs(e[k]) * 100 > o->error_pct))
            o->error_pct = fabs(e[k]) * 100;
}

tp_status tp_simulate_observe(const tp_demand *served, const tp_demand *overflow,
                              const tp_model_price *price, const tp_sim_options *o,
                              tp_sim_observed *out, tp_error *err)
{
    tp_status rc = TP_OK;
    double *sum[4] = {NULL, NULL, NULL, NULL};
    memset(out, 0, sizeof *out);
    if (served->minutes != overflow->minutes || served->from_minute != overflow->from_minute)
        return tp_error_set(err, TP_ERR_USAGE, "observed reservation: the served and overflow "
                                               "demands cover different windows");
    if (!has_arrays(served) || !has_arrays(overflow))
        return tp_error_set(err, TP_ERR_USAGE, "observed reservation: a demand without its "
                                               "per-minute arrays (load the series again)");
    const size_t n = served->minutes;
    /* the traffic that asked for reserved: what the reservation served plus its overflow */
    const double *a[4], *b[4];
    arrays_of(served, a);
    arrays_of(overflow, b);
    for (int k = 0; k < 4; k++) {
        if ((sum[k] = malloc((n ? n : 1) * sizeof *sum[k])) == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        for (size_t t = 0; t < n; t++)
            sum[k][t] = a[k][t] + b[k][t];
    }
    const tp_demand asked = {sum[0], sum[1], sum[2], sum[3], n, served->from_minute};
    tp_sim_options so;
    memset(&so, 0, sizeof so);
    so.reserve_input_tpm = o->reserve_input_tpm;
    so.reserve_output_tpm = o->reserve_output_tpm;
    so.spill_model = o->spill_model;
    so.spill_to = TP_SPILL_TO_STANDARD; /* a reserved request beyond it resolves to default */
    if ((rc = tp_simulate_run(&asked, price, &so, &out->simulated, err)) != TP_OK)
        goto cleanup;
    observe(served, overflow, price, so.reserve_input_tpm, so.reserve_output_tpm, out);
    errors(out);
cleanup:
    for (int k = 0; k < 4; k++)
        free(sum[k]);
    return rc;
}

tp_status tp_simulate_observe_series(const tp_series *s, const tp_model_price *price,
                                     const tp_sim_options *o, int *has, tp_sim_observed *out,
                                     tp_error *err)
{
    int known = 0, k2 = 0;
    *has = 0;
    const tp_demand sv =
        tp_series_tier_pair_demand(s, TP_SERVICE_RESERVED, TP_SERVICE_RESERVED, &known);
    const tp_demand ov =
        tp_series_tier_pair_demand(s, TP_SERVICE_RESERVED, TP_SERVICE_DEFAULT, &k2);
    if (!known || !k2 || (o->reserve_input_tpm <= 0 && o->reserve_output_tpm <= 0))
        return TP_OK; /* no family telling the pairs, or no reservation held */
    /* null where no traffic asked for reserved: the route demand has its arrays only then */
    const tp_tier_demand route = tp_series_route_demand(s);
    if (route.tier[TP_SERVICE_RESERVED].input_tpm == NULL)
        return TP_OK;
    tp_status rc = tp_simulate_observe(&sv, &ov, price, o, out, err);
    *has = rc == TP_OK;
    return rc;
}
