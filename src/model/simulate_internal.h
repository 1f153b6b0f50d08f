/* simulate_internal.h - one minute of the spillover model, shared by tp_simulate_run and the
 * recommender's searches so that both classify every minute the same way, bit for bit. */
#ifndef TIERPLAN_SIMULATE_INTERNAL_H
#define TIERPLAN_SIMULATE_INTERNAL_H

#include "tierplan/simulate.h"

/* Share of a dimension's demand above its reservation: max(0, 1 - R/x), and 0 for an idle
 * minute (no 0/0). */
static inline double sim_over_share(double demand, double reserved)
{
    return demand > reserved && demand > 0 ? 1.0 - reserved / demand : 0.0;
}

/* A demand with minutes has its four arrays: a fleet model's series gives NULL ones once its
 * values are released (fleet.h), and a caller handing such a demand on gets TP_ERR_USAGE
 * rather than a crash. */
static inline tp_status sim_demand_check(const tp_demand *d, tp_error *err)
{
    if (d->minutes > 0 && (d->input_tpm == NULL || d->output_tpm == NULL ||
                           d->cache_read_tpm == NULL || d->cache_write_tpm == NULL))
        return tp_error_set(err, TP_ERR_USAGE,
                            "a demand without its per-minute arrays (released with the fleet's "
                            "series: load the series again)");
    return TP_OK;
}

/* What one minute does under a reservation (docs/model.md, "Simulation"): the spilled shares
 * of input and output, the throttled share of that spill, and the raw tokens spilled. */
typedef struct sim_minute {
    double s_in, s_out; /* spilled shares (coupled: equal) */
    double thr;         /* throttled share of the spill */
    double sp_raw;      /* raw tokens spilled (all kinds) */
} sim_minute;

/* The minute's quota settings: q = spilled input + cache write + output x out_weight. */
typedef struct sim_quota {
    tp_spill_to to;
    double quota_tpm;  /* 0: unlimited */
    double out_weight; /* the catalog's quota_output_weight */
    /* 1: traffic not routed to the reservation took the whole quota this minute, so all of the
     * spill is throttled (docs/model.md, "Service tiers"); 0 everywhere else */
    int exhausted;
} sim_quota;

static inline sim_minute sim_minute_eval(double in, double cr, double cw, double out, double e,
                                         double ri, double ro, int coupled,
                                         const sim_quota *q)
{
    sim_minute m;
    m.s_in = sim_over_share(e, ri);
    m.s_out = sim_over_share(out, ro);
    if (coupled)
        m.s_in = m.s_out = m.s_in > m.s_out ? m.s_in : m.s_out;
    const double sp_in = in * m.s_in, sp_cr = cr * m.s_in, sp_cw = cw * m.s_in,
                 sp_out = out * m.s_out;
    m.sp_raw = sp_in + sp_cr + sp_cw + sp_out;
    /* what of the spill is throttled: all of it with nowhere to go, else what the on-demand
     * quota cannot take (cache reads do not count against it) */
    m.thr = 0;
    if (q->to == TP_SPILL_TO_NONE) {
        m.thr = 1.0;
    } else if (q->quota_tpm > 0 || q->exhausted) { /* exhausted: a quota of 0 is left */
        const double qt = sp_in + sp_cw + sp_out * q->out_weight;
        m.thr = qt > q->quota_tpm ? (qt - q->quota_tpm) / qt : 0.0;
    }
    return m;
}

/* A minute counts as spilling when either share is positive ... */
static inline int sim_minute_spills(const sim_minute *m)
{
    return m->s_in > 0 || m->s_out > 0;
}

/* ... and as throttled when tokens of its spill are throttled. */
static inline int sim_minute_throttles(const sim_minute *m)
{
    return m->thr > 0 && m->sp_raw > 0;
}

/* Fills in total, savings (against the Standard value of the tokens served), savings_pct and
 * the blended price from reserved_usd, spill_usd, baseline_usd, throttled_value_usd and the
 * token counts (docs/model.md, "Costs over the window"). */
void sim_totals(tp_sim_result *r);

/* The run's options that the catalog or the numbers cannot serve (tp_simulate_run's checks). */
tp_status sim_check(const tp_model_price *p, const tp_sim_options *o, tp_error *err);

/* The figures derived from a run's sums: sim_totals, utilizations and the spill share. */
void sim_finish(tp_sim_result *r, double Ri, double Ro, double served_eff, double served_out);

/* Most reservations sim_run_many simulates in one pass. */
#define SIM_MAX_LANES 8

/* tp_simulate_run of o[k] into out[k] for k < n (at most SIM_MAX_LANES), each bit for bit what
 * tp_simulate_run gives, in one pass over d: the baseline and token count are summed once, the
 * rest per reservation in tp_simulate_run's order. The options must have no trace
 * (TP_ERR_USAGE); otherwise tp_simulate_run's errors, for the first failing option. */
tp_status sim_run_many(const tp_demand *d, const tp_model_price *p, const tp_sim_options *o,
                       size_t n, tp_sim_result *out, tp_error *err);

#endif
