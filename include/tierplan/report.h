/* report.h - renders stats, simulations, recommendations, seasonal plans and backtests as text,
 * JSON (stable, for scripts) or CSV. Reports only render: the figures come from the stats layer
 * (stats.h), the simulator, the recommender and the planner. */
#ifndef TIERPLAN_REPORT_H
#define TIERPLAN_REPORT_H

#include "tierplan/common.h"
#include "tierplan/diff.h"
#include "tierplan/fleet.h"
#include "tierplan/format.h"
#include "tierplan/gate.h"
#include "tierplan/ingest.h"
#include "tierplan/inventory.h"
#include "tierplan/plan.h"
#include "tierplan/pricing.h"
#include "tierplan/project.h"
#include "tierplan/recommend.h"
#include "tierplan/series.h"
#include "tierplan/showback.h"
#include "tierplan/simulate.h"
#include "tierplan/stats.h"
#include "tierplan/store.h"
#include "tierplan/units.h"
#include "tierplan/whatif.h"

#ifdef __cplusplus
extern "C" {
#endif

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
    const tp_sim_tiers_result *tiers; /**< by service tier (simulate --route-tiers), or NULL */
    /** the reservation as its metrics show it (tp_simulate_observe_series), or NULL where no
     * traffic asked for reserved ("observed": null) */
    const tp_sim_observed *observed;
} tp_sim_report;

/**
 * Renders a simulation. The JSON shape (docs/formats.md) is stable: {"model","window",
 * "reservation":{"input_tpm","output_tpm"},"spill_to","spill_model","cost_usd":{"reserved",
 * "spill","total","on_demand_baseline","savings"},"savings_pct","utilization":{...},
 * "spill":{...},"throttled":{...},"example_prices","what_if":{"scale"} or null,"observed":{...}
 * or null,...}; undefined
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
 * tp_report_rec_keys of a recommendation sized on demand after a tier-mix move (recommend
 * --move-to-flex / --move-to-batch; whatif.h): the text adds what the move saves alone and
 * with the recommended reservation; the JSON's "what_if" adds "move_to_flex_pct",
 * "move_to_batch_pct" and "tier_mix" ({"moved_to_flex_tokens","moved_to_batch_tokens",
 * "batch_usd_per_month","baseline_usd_per_month","moved_usd_per_month",
 * "saving_alone_usd_per_month","saving_alone_pct","with_reservation":{"input_tpm",
 * "output_tpm","usd_per_month","saving_usd_per_month","saving_pct"}}, null with mix NULL);
 * docs/formats.md. mix (borrowed) NULL: tp_report_rec_keys.
 */
TP_API tp_status tp_report_rec_mix(const tp_rec_report *r, const char *const *keys,
                                   size_t n_keys, const tp_whatif_mix *mix, tp_format fmt,
                                   char **out, tp_error *err);

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

/* ---- the renderers of the other kinds: ingest, series, fleet, projection, diff, gate,
 * showback ---- */

/**
 * Renders an ingest command's summary as JSON (docs/formats.md, "Ingest summary"):
 * {"stored":BOOL,"strict":BOOL,"files":[{"file","format","documents","points","series",
 * "new","unchanged","replaced","kept_newer","window":{"from","to"}|null,"ingest_id",
 * "sha256","warnings":[...]}],"warnings":[...],"warning_count":N}. The last "warnings" are
 * those of the command as a whole (an incomplete query across files).
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_OK, TP_ERR_NOMEM
 */
TP_API tp_status tp_report_ingest(const tp_ingest_file_report *files, size_t n_files,
                                  const char *const *warnings, size_t n_warnings, int stored,
                                  int strict, char **out, tp_error *err);

/**
 * Renders a listing as text (a table per model, the uncovered spans under each series, at
 * most TP_INVENTORY_TEXT_GAPS of them), JSON or CSV (docs/formats.md, "series JSON"):
 * {"series":[{"model","metric","service_tier","resolved_tier","periods_s":[...],
 * "first_minute","last_minute","minutes_with_data","coverage_known","coverage_pct",
 * "uncovered":[{"from","to","minutes"}]}]}; coverage_pct is null when unknown.
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_OK; TP_ERR_USAGE for another format; TP_ERR_NOMEM
 */
TP_API tp_status tp_report_series(const tp_inventory *inv, tp_format fmt, char **out,
                                  tp_error *err);

/**
 * Renders a fleet as text (100 columns), JSON {"options","pricing","models":[{"model",
 * "status","stats","recommendation","held"}],"fleet"}, CSV (one row per model and candidate,
 * the options that shaped it as columns), markdown, or one self-contained HTML page with
 * inline SVG charts (the charts need options.charts). Shapes: docs/formats.md.
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_ERR_USAGE for an unknown format; TP_ERR_INVALID for a figure that is not finite
 */
TP_API tp_status tp_report_fleet(const tp_fleet *f, tp_format fmt, char **out, tp_error *err);

/**
 * Renders a projection: text (100 columns, months as rows), JSON, CSV (tidy: one row per
 * model, month, plan and quantile), markdown, or one self-contained HTML page with a fan chart
 * per plan. Shapes: docs/formats.md.
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_ERR_USAGE for an unknown format; TP_ERR_INVALID for a figure that is not finite
 */
TP_API tp_status tp_report_project(const tp_projection *p, tp_format fmt, char **out,
                                   tp_error *err);

/**
 * Renders a projection as FinOps FOCUS 1.2 cost and usage rows (CSV, docs/formats.md, "FOCUS
 * export"): per model, plan, month and quantile (x_Quantile), a reservation's fixed charge
 * (ChargeCategory Purchase, BilledCost) and its amortization over the tokens it served (Usage,
 * CommitmentDiscountStatus Used, EffectiveCost), then the tokens on demand (Usage). A row's
 * BilledCost and EffectiveCost each add up, per model, plan, month and quantile, to the
 * plan's cost_usd there. The fleet is not a row: its quantiles are not sums of the models'.
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_OK; TP_ERR_INVALID for a figure that is not finite; TP_ERR_NOMEM
 */
TP_API tp_status tp_report_project_focus(const tp_projection *p, char **out, tp_error *err);

/**
 * Renders what changed from old_s to new_s: per model the reservation, monthly cost, savings,
 * utilization, spill minutes, window and coverage with absolute and relative changes, sorted
 * by the size of the cost change; models with the same reservation, cost, savings, utilization
 * and spill are folded into one line; the fleet's monthly total comes first. Text (100
 * columns), JSON (docs/formats.md) or markdown (a pull-request comment: one short table, at
 * most TP_DIFF_MARKDOWN_ROWS model rows, the rest counted).
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_ERR_USAGE for csv or html; TP_ERR_NOMEM
 */
TP_API tp_status tp_report_diff(const tp_snapshot *old_s, const tp_snapshot *new_s, tp_format fmt,
                                char **out, tp_error *err);

/**
 * Renders a gate: text (each failure one line "FAIL model: what value > threshold", then the
 * notes and a summary line), JSON {"verdict","checks_total","checks_failed","notes",
 * "checks":[{"model","check","label","unit","value","threshold","fails_if","verdict","note"}]}
 * or markdown (a summary line and a table of every check).
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_ERR_USAGE for csv or html; TP_ERR_NOMEM
 */
TP_API tp_status tp_report_gate(const tp_gate *g, tp_format fmt, char **out, tp_error *err);

/**
 * Renders a showback as text, csv, json or markdown (docs/formats.md, "showback").
 * @param out receives a NUL-terminated string the caller frees with free()
 * @return TP_OK; TP_ERR_USAGE for html; TP_ERR_NOMEM
 */
TP_API tp_status tp_report_showback(const tp_showback *sb, tp_format fmt, char **out,
                                    tp_error *err);

/**
 * Renders a showback as CSV (docs/formats.md, "showback CSV and JSON"); unit_columns 1: with
 * the provider and units columns (provider,units,output_units,unit_name,term,weighted_tokens,
 * spilled_tokens,throttled_tokens before region,account) even for a Bedrock showback, as
 * showback --all writes every model when one of them is sold in units (one header). A unit
 * showback always has them: tp_report_showback's CSV is this with unit_columns 0.
 * @param out receives a NUL-terminated string the caller frees with free()
 * @return TP_OK; TP_ERR_NOMEM
 */
TP_API tp_status tp_report_showback_csv(const tp_showback *sb, int unit_columns, char **out,
                                        tp_error *err);

/**
 * Renders a showback as FinOps FOCUS 1.2 cost and usage rows (CSV, docs/formats.md, "FOCUS
 * export"): the reservation's charge over the window (Purchase, BilledCost), per key its share
 * (Usage, Used, EffectiveCost) and its spill (Usage, on demand), and the idle capacity
 * (Usage, Unused). Money in whole cents, as the other formats: BilledCost and EffectiveCost
 * each add up to the showback's total.
 * @param out receives a NUL-terminated string the caller frees with free()
 * @return TP_OK; TP_ERR_NOMEM
 */
TP_API tp_status tp_report_showback_focus(const tp_showback *sb, char **out, tp_error *err);

/** A unit-based provider's plan (tierplan recommend on an Azure PTU or Vertex GSU model). */
typedef struct tp_units_report {
    const tp_series *series;     /**< the demand as loaded (window, ingests) */
    const tp_pricing *pricing;
    const tp_model_price *price;
    const tp_units_options *options;
    const tp_units_plan *plan;
    double scale;                /**< the what-if applied (1 and 0: none) */
} tp_units_report;

/**
 * Renders a unit plan as text or JSON: the unit model, every term at its optimum (units,
 * capacity, cost, per billed hour, overflow), the reservation-and-hourly lower bounds that
 * add hourly units (labelled: not a plan), all on-demand, and the term recommended. JSON shape: docs/formats.md ("recommend on a unit-based provider").
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_OK; TP_ERR_USAGE for a format other than text and JSON
 */
TP_API tp_status tp_report_units(const tp_units_report *r, tp_format fmt, char **out,
                                 tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
