/* simulate_internal.h - one minute of the spillover model, shared by tp_sim_run and the
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
    } else if (q->quota_tpm > 0) {
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

#endif
