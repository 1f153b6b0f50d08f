/* report.h - renders stats, simulations, recommendations, seasonal plans and backtests as text,
 * JSON (stable, for scripts) or CSV. Reports only render: the figures come from the stats layer
 * (stats.h), the simulator, the recommender and the planner. */
#ifndef TIERPLAN_REPORT_H
#define TIERPLAN_REPORT_H

#include "tierplan/common.h"
#include "tierplan/plan.h"
#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/series.h"
#include "tierplan/simulate.h"
#include "tierplan/stats.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Output formats of reports. Markdown and HTML are rendered by the fleet report (fleet.h)
 * only; the other reports refuse them with TP_ERR_USAGE. */
typedef enum tp_format {
    TP_FORMAT_TEXT,
    TP_FORMAT_JSON,
    TP_FORMAT_CSV,
    TP_FORMAT_MARKDOWN,
    TP_FORMAT_HTML
} tp_format;

/** Parses "text", "json", "csv", "markdown" or "html" (name borrowed) into *out;
 * TP_ERR_USAGE for anything else. */
TP_API tp_status tp_format_parse(const char *name, tp_format *out, tp_error *err);

/**
 * Renders P25/P50/P90/P99/max/mean TPM of input, output, cache-read and cache-write tokens
 * and of the effective input for each model of r (tp_stats_report_compute; one whose window is
 * over the limit is listed as skipped, one without data in the window left out), and under the
 * text the logs/metrics token ratios. The JSON shape is documented in docs/formats.md
 * and kept stable: {"models":[{"model","window":{"from","to","minutes","minutes_with_data"},
 * "resolution":{...},"series_used":{...},"burn_down":{...},
 * "tpm":{"input":{"p25",...},...,"effective_input":{...}},"notes":[...]}]}.
 *
 * @param req the request r was computed for (its attribution keys are shown)
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_ERR_INVALID when a figure is not finite (see below)
 */
TP_API tp_status tp_report_stats(const tp_stats_request *req, const tp_stats_report *r,
                                 tp_format fmt, char **out, tp_error *err);

/*
 * Every tp_report_* function fails with TP_ERR_USAGE for a tp_format value it does not know,
 * and refuses to render a figure that is not finite: an infinite
 * figure, or NAN where NAN does not mean "undefined", fails with TP_ERR_INVALID "a figure is
 * not finite (WHICH = VALUE): ..." and *out stays NULL. NAN that means "undefined"
 * (savings_pct without a baseline, utilization without a reservation, blended price with
 * nothing served, break-even utilization, regret) renders as null (JSON) or n/a (text).
 */

/** Everything a simulation report shows; all pointers are borrowed. */
typedef struct tp_sim_report {
    const tp_series *series;      /**< the demand simulated (window, ingests, resolutions) */
    const tp_pricing *pricing;    /**< the catalog (source and content hash for audit) */
    const tp_model_price *price;  /**< the model's prices */
    const tp_sim_options *options;
    const tp_sim_result *result;
    double scale; /**< the what-if demand factor simulated (simulate --scale); 0 or 1: none */
} tp_sim_report;

/**
 * Renders a simulation. The JSON shape (docs/formats.md) is stable: {"model","window",
 * "reservation":{"input_tpm","output_tpm"},"spill_to","spill_model","cost_usd":{"reserved",
 * "spill","total","on_demand_baseline","savings"},"savings_pct","utilization":{...},
 * "spill":{...},"throttled":{...},"example_prices","what_if":{"scale"} or null,...}; undefined
 * figures are null.
 * @param out receives a NUL-terminated string; the caller frees it with free()
 */
TP_API tp_status tp_report_sim(const tp_sim_report *r, tp_format fmt, char **out, tp_error *err);

/** Everything a recommendation report shows; all pointers are borrowed. */
typedef struct tp_rec_report {
    const tp_series *series;     /**< the demand as loaded (window, ingests) */
    const tp_pricing *pricing;
    const tp_model_price *price;
    const tp_rec_options *options;
    const tp_recommendation *rec;
    double scale;                /**< the what-if applied (1 and 0: none) */
    double cache_hit_delta;
} tp_rec_report;

/**
 * Renders a recommendation: every candidate with its costs (window, per hour, month, term),
 * savings, utilization and spill, and the recommended one with its reason and break-even
 * utilization. JSON shape: docs/formats.md.
 * @param out receives a NUL-terminated string; the caller frees it with free()
 */
TP_API tp_status tp_report_rec(const tp_rec_report *r, tp_format fmt, char **out, tp_error *err);

/**
 * tp_report_rec of a recommendation sized on the invocation logs of some attribution keys
 * (recommend --key): the text names them ("keys: ... (invocation logs)") and the JSON adds
 * "source": "logs" and "keys": [...]. keys (borrowed) with n_keys 0 is tp_report_rec.
 */
TP_API tp_status tp_report_rec_keys(const tp_rec_report *r, const char *const *keys,
                                    size_t n_keys, tp_format fmt, char **out, tp_error *err);

/**
 * Renders a seasonal plan: {"model","term_months","service_level","windows":[{"from","to",
 * "recommended":{...},"reason","whole_term","billed_hours","unused_commitment_usd"}],"gaps":[...],
 * "flat":{...},"seasonal_total_usd","flat_total_usd","seasonal_savings_usd","gap_on_demand_usd",
 * "unused_commitment_usd","example_prices","pricing":{...},"notes"} (docs/formats.md).
 */
TP_API tp_status tp_report_seasonal(const char *model, const tp_pricing *pricing,
                                    const tp_model_price *price, const tp_rec_options *o,
                                    const tp_seasonal *s, tp_format fmt, char **out,
                                    tp_error *err);

/**
 * Renders a backtest: {"model","train":{"from","to","recommended":{...}},"test":{"from","to",
 * "trained_reservation":{...},"hindsight_optimal":{...},"on_demand":{...}},"service_level",
 * "service_level_met","regret_usd" (null when the service level is missed),
 * "regret_undefined_reason" (which bound was missed, null when regret is defined),...}.
 */
TP_API tp_status tp_report_backtest(const char *model, const tp_pricing *pricing,
                                    const tp_model_price *price, const tp_rec_options *o,
                                    const tp_backtest *b, tp_format fmt, char **out,
                                    tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
