/* gate.h - thresholds on a sized fleet for scheduled CI jobs: cost, utilization of a held
 * reservation, spill, throttling, change from a baseline, coverage and staleness, each check
 * with its value, threshold and verdict. */
#ifndef TIERPLAN_GATE_H
#define TIERPLAN_GATE_H

#include "tierplan/common.h"
#include "tierplan/diff.h"
#include "tierplan/fleet.h"
#include "tierplan/format.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The thresholds to check; each has_* turns one on. Zero-initialise, then set. */
typedef struct tp_gate_options {
    int has_model_cost;
    double model_monthly_cost_above_usd;  /**< a model's recommended cost per month */
    int has_fleet_cost;
    double fleet_monthly_cost_above_usd;  /**< the sum over models */
    /** Utilization of the held reservation, input and output (`--fail-held-utilization-below`,
     * alias `--fail-utilization-below`): as its metrics show it where traffic asked for
     * reserved (tp_fleet_model.has_observed), else as simulated at the held size; the note
     * says which. */
    int has_utilization;
    double utilization_below_pct;
    int has_spill;
    double spill_minutes_pct_above;       /**< of the held reservation, else the recommended */
    int has_throttled;
    double throttled_minutes_above;       /**< likewise */
    /** The share of minutes the held reservation overflowed (observed where the metrics show
     * it, else simulated); unlike has_spill, only ever the held reservation. */
    int has_held_overflow;
    double held_overflow_minutes_pct_above;
    /** What the recommended plan saves against the held one, in % of the held plan's cost
     * per month: (held - recommended) / held x 100 */
    int has_savings_vs_held;
    double savings_vs_held_pct_above;
    int has_change;
    /** recommended input, output TPM, cost vs baseline; a size inside the baseline's flat
     * region (tp_snapshot_model.flat_*) is no change */
    double change_pct_above;
    int has_cost_change;
    double cost_change_pct_above;         /**< the recommended plan's cost per month vs baseline */
    const tp_snapshot *baseline;          /**< for has_change, has_cost_change (borrowed) */
    int has_coverage;
    double coverage_below_pct;            /**< of the window inside exported spans */
    int has_stale;
    double stale_hours_above;             /**< from the newest minute with data to now */
    int64_t now_minute;                   /**< "now" (Unix seconds / 60) for has_stale */
    /** How the caller gives a held reservation, said in the note of a model without one in
     * its own terms (the CLI: "--reserve-* or the plan file's reserve_*_tpm"), or NULL: "the
     * plan file's reserve_*_tpm" (tp_fleet_options.plan). Borrowed. */
    const char *held_hint;
} tp_gate_options;

/** A check's outcome. */
typedef enum tp_verdict {
    TP_VERDICT_PASS,
    TP_VERDICT_FAIL,
    TP_VERDICT_NA /**< could not be evaluated (note says why): not a failure */
} tp_verdict;

/** "pass", "fail" or "n/a" (static). */
TP_API const char *tp_gate_verdict_name(tp_verdict v);

/** One check of one model (or of the fleet). */
typedef struct tp_gate_check {
    char *model;            /**< owned by the gate; NULL for a fleet check */
    /** The model's place (tp_fleet_model.region, .account: "" unknown, "*" merged), borrowed
     * from the fleet checked; NULL for a fleet check */
    const char *region, *account;
    const char *what;       /**< static key: "model_monthly_cost_usd", "change_input_tpm_pct" */
    const char *label;      /**< static, for people: "cost per month" */
    const char *unit;       /**< static: "usd_per_month", "pct", "minutes", "hours" */
    double value;           /**< NAN when it could not be computed (see note) */
    double threshold;
    int fails_below;        /**< 1: fails when value < threshold, 0: when value > threshold */
    tp_verdict verdict;
    char note[256];         /**< which reservation, the baseline's figure, or why n/a */
    /** With has_routed_tiers, the requested tiers the plan checked routes to its reservation
     * (the recommended plan, or the held one for the held checks and where the note says
     * "held reservation"), 0 when it reserves nothing: JSON routed_tiers, as report gives it
     * per model. has_routed_tiers 0 for a fleet check or a model not sized (JSON null). */
    tp_route_set routed_tiers;
    int has_routed_tiers;
} tp_gate_check;

/** The outcome of tp_gate_run. */
typedef struct tp_gate {
    tp_gate_check *checks;  /**< n, the fleet's checks first, then per model in fleet order */
    size_t n, n_failed;
    char **notes;           /**< n_notes lines about the whole run (baseline not comparable) */
    size_t n_notes;
} tp_gate;

/**
 * Checks a sized fleet against the thresholds o turns on (formulas: docs/model.md, "Gates").
 * A model without data fails the staleness check and has no others; the utilization check
 * needs a held reservation (a model without one is n/a); the change check compares with the
 * baseline's model of the same id, and says why instead when the baseline came from another
 * catalog or other options (tp_snapshot_comparable): n/a, not a failure.
 * @param f the fleet (borrowed); o the options (borrowed)
 * @param out receives the gate; the caller frees it with tp_gate_free
 * @return TP_ERR_USAGE when has_change or has_cost_change comes without a baseline;
 *         TP_ERR_NOMEM
 */
TP_API tp_status tp_gate_run(const tp_fleet *f, const tp_gate_options *o, tp_gate **out,
                             tp_error *err);

/** Frees a gate. NULL is allowed. */
TP_API void tp_gate_free(tp_gate *g);

#ifdef __cplusplus
}
#endif
#endif
