/* report_check.h - refuses to render a figure that is not finite (private to the renderers). */
#ifndef TIERPLAN_REPORT_CHECK_H
#define TIERPLAN_REPORT_CHECK_H

#include "tierplan/plan.h"
#include "tierplan/recommend.h"
#include "tierplan/simulate.h"
#include "tierplan/stats.h"

/*
 * Each returns TP_OK when every figure is finite, else TP_ERR_INVALID with err set to
 * "a figure is not finite (WHAT FIELD = VALUE): ...". NAN stays allowed where it means
 * "undefined" and renders as null or n/a: savings_pct (no baseline), utilization (no
 * reservation), blended_usd_per_million (nothing served), break-even utilization, regret.
 * An infinity is never allowed: an overflow is not an undefined figure.
 * what names the figure's owner in the message ("simulation", "candidate p90", ...).
 */
tp_status report_check_sim(const tp_sim_result *r, const char *what, tp_error *err);
tp_status report_check_candidate(const tp_candidate *c, const char *what, tp_error *err);
tp_status report_check_rec(const tp_recommendation *rec, tp_error *err);
tp_status report_check_seasonal(const tp_seasonal *s, tp_error *err);
tp_status report_check_backtest(const tp_backtest *bt, tp_error *err);
/* Stats of one metric ("input", ..., "effective_input") of one model. */
tp_status report_check_summary(const tp_summary *s, const char *model, const char *metric,
                               tp_error *err);

#endif
