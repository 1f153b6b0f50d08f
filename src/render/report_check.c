/* report_check.c - refuses to render a figure that is not finite: an overflow printed as
 * "inf" or a cost printed as NaN would read as an answer and exit 0. */
#include "render/report_check.h"

#include <math.h>
#include <stdio.h>

/* One figure: its name in the message, its value, whether NAN means "undefined" there. */
typedef struct figure {
    const char *name;
    double v;
    int nan_ok;
} figure;

/* what and what2 name the figures' owner in the message ("simulation", ""). */
static tp_status check2(const figure *f, size_t n, const char *what, const char *what2,
                        tp_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (isfinite(f[i].v) || (f[i].nan_ok && isnan(f[i].v)))
            continue;
        return tp_error_set(err, TP_ERR_INVALID,
                            "a figure is not finite (%s%s%s %s = %s): the demand or the prices "
                            "are too large to compute with",
                            what, what2[0] ? " " : "", what2, f[i].name,
                            isnan(f[i].v) ? "NaN" : f[i].v > 0 ? "inf" : "-inf");
    }
    return TP_OK;
}

static tp_status check(const figure *f, size_t n, const char *what, tp_error *err)
{
    return check2(f, n, what, "", err);
}

tp_status report_check_sim(const tp_sim_result *r, const char *what, tp_error *err)
{
    const figure f[] = {
        {"hours", r->hours, 0},
        {"reserved_usd", r->reserved_usd, 0},
        {"spill_usd", r->spill_usd, 0},
        {"total_usd", r->total_usd, 0},
        {"baseline_usd", r->baseline_usd, 0},
        {"savings_usd", r->savings_usd, 0},
        {"savings_pct", r->savings_pct, 1},
        {"utilization_input", r->utilization_input, 1},
        {"utilization_output", r->utilization_output, 1},
        {"spill_minutes_pct", r->spill_minutes_pct, 0},
        {"spill_input_tokens", r->spill_input_tokens, 0},
        {"spill_effective_input_tokens", r->spill_effective_input_tokens, 0},
        {"spill_output_tokens", r->spill_output_tokens, 0},
        {"throttled_tokens", r->throttled_tokens, 0},
        {"throttled_value_usd", r->throttled_value_usd, 0},
        {"served_value_usd", r->served_value_usd, 0},
        {"total_tokens", r->total_tokens, 0},
        {"blended_usd_per_million", r->blended_usd_per_million, 1},
    };
    return check(f, sizeof f / sizeof f[0], what, err);
}

tp_status report_check_candidate(const tp_candidate *c, const char *what, tp_error *err)
{
    const figure f[] = {
        {"input_tpm", c->input_tpm, 0},
        {"output_tpm", c->output_tpm, 0},
        {"cost_per_hour_usd", c->cost_per_hour_usd, 0},
        {"cost_per_month_usd", c->cost_per_month_usd, 0},
        {"cost_per_term_usd", c->cost_per_term_usd, 0},
        {"savings_per_month_usd", c->savings_per_month_usd, 0},
    };
    tp_status rc = check(f, sizeof f / sizeof f[0], what, err);
    return rc != TP_OK ? rc : report_check_sim(&c->sim, what, err);
}

tp_status report_check_rec(const tp_recommendation *rec, tp_error *err)
{
    const figure f[] = {
        {"term_discount", rec->term_discount, 0},
        {"break_even_utilization_input", rec->break_even_utilization_input, 1},
        {"break_even_utilization_output", rec->break_even_utilization_output, 1},
    };
    tp_status rc = check(f, sizeof f / sizeof f[0], "recommendation", err);
    for (size_t i = 0; rc == TP_OK && i < rec->n_candidates; i++) {
        char what[64];
        snprintf(what, sizeof what, "candidate %s",
                 tp_recommend_basis_name(rec->candidates[i].basis));
        rc = report_check_candidate(&rec->candidates[i], what, err);
    }
    return rc;
}

tp_status report_check_seasonal(const tp_seasonal *s, tp_error *err)
{
    const figure f[] = {
        {"flat_unused_commitment_usd", s->flat_unused_commitment_usd, 0},
        {"gap_total_usd", s->gap_total_usd, 0},
        {"unused_commitment_usd", s->unused_commitment_usd, 0},
        {"seasonal_total_usd", s->seasonal_total_usd, 0},
        {"flat_total_usd", s->flat_total_usd, 0},
        {"seasonal_savings_usd", s->seasonal_savings_usd, 0},
    };
    tp_status rc = check(f, sizeof f / sizeof f[0], "seasonal plan", err);
    if (rc == TP_OK)
        rc = report_check_candidate(&s->flat, "flat reservation", err);
    for (size_t i = 0; rc == TP_OK && i < s->n; i++) {
        char what[64];
        snprintf(what, sizeof what, "window %zu", i + 1);
        const figure u = {"unused_commitment_usd", s->windows[i].unused_commitment_usd, 0};
        if ((rc = check(&u, 1, what, err)) == TP_OK)
            rc = report_check_candidate(&s->windows[i].recommended, what, err);
    }
    for (size_t i = 0; rc == TP_OK && i < s->n_gaps; i++) {
        char what[64];
        snprintf(what, sizeof what, "gap %zu", i + 1);
        rc = report_check_candidate(&s->gaps[i].on_demand, what, err);
    }
    return rc;
}

tp_status report_check_backtest(const tp_backtest *bt, tp_error *err)
{
    /* regret is NAN when the trained reservation misses the service level */
    const figure f = {"regret_usd", bt->regret_usd, 1};
    tp_status rc = check(&f, 1, "backtest", err);
    if (rc == TP_OK)
        rc = report_check_candidate(&bt->trained, "trained reservation", err);
    if (rc == TP_OK)
        rc = report_check_candidate(&bt->trained_on_test, "trained reservation on the test "
                                                          "window", err);
    if (rc == TP_OK)
        rc = report_check_candidate(&bt->hindsight, "hindsight reservation", err);
    if (rc == TP_OK)
        rc = report_check_candidate(&bt->on_demand_test, "on-demand on the test window", err);
    return rc;
}

tp_status report_check_summary(const tp_summary *s, const char *model, const char *metric,
                               tp_error *err)
{
    const figure f[] = {
        {"p25_tpm", s->p25_tpm, 0}, {"p50_tpm", s->p50_tpm, 0}, {"p90_tpm", s->p90_tpm, 0},
        {"p99_tpm", s->p99_tpm, 0}, {"max_tpm", s->max_tpm, 0}, {"mean_tpm", s->mean_tpm, 0},
    };
    return check2(f, sizeof f / sizeof f[0], model, metric, err);
}
