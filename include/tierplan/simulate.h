/* simulate.h - per-minute spillover from a reservation to on-demand, and what it costs. */
#ifndef TIERPLAN_SIMULATE_H
#define TIERPLAN_SIMULATE_H

#include <stdio.h>

#include "tierplan/common.h"
#include "tierplan/pricing.h"
#include "tierplan/series.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a minute's overflow is split (docs/model.md). */
typedef enum tp_spill_model {
    TP_SPILL_COUPLED = 0, /**< a request needs input and output capacity: spill s = max(s_in, s_out) */
    TP_SPILL_INDEPENDENT  /**< input and output spill separately */
} tp_spill_model;

/** Where overflow goes. */
typedef enum tp_spill_to {
    TP_SPILL_TO_STANDARD = 0, /**< on-demand Standard */
    TP_SPILL_TO_PRIORITY,     /**< on-demand Priority (catalog multiplier) */
    TP_SPILL_TO_NONE          /**< nowhere: overflow is throttled, counted, not billed */
} tp_spill_to;

/**
 * Parses "coupled" or "independent" (name borrowed) into *out.
 * @return TP_ERR_USAGE naming the accepted values for anything else
 */
TP_API tp_status tp_simulate_spill_model_parse(const char *name, tp_spill_model *out,
                                               tp_error *err);
/**
 * Parses "standard", "priority" or "none" (name borrowed) into *out.
 * @return TP_ERR_USAGE naming the accepted values for anything else
 */
TP_API tp_status tp_simulate_spill_to_parse(const char *name, tp_spill_to *out, tp_error *err);
/** "coupled" or "independent": a static string, never NULL. */
TP_API const char *tp_simulate_spill_model_name(tp_spill_model m);
/** "standard", "priority" or "none": a static string, never NULL. */
TP_API const char *tp_simulate_spill_to_name(tp_spill_to t);

/**
 * Reserved-capacity (burned-down) input of one minute:
 * input + w_write x cache_write + f_read x cache_read. Example: 100K input and 900K cache
 * reads with f_read 0.1 burn 190K. Pure: nothing is allocated.
 */
TP_API double tp_simulate_burn_down_tpm(double input_tpm, double cache_read_tpm,
                                        double cache_write_tpm, double f_read, double w_write);

/** A reservation and how overflow is handled. Zero-initialise, then set. */
typedef struct tp_sim_options {
    double reserve_input_tpm;  /**< reserved effective (burned-down) input TPM */
    double reserve_output_tpm; /**< reserved output TPM */
    tp_spill_model spill_model;
    tp_spill_to spill_to;
    double quota_tpm;          /**< on-demand quota for spilled traffic; 0: unlimited */
    FILE *trace;               /**< per-minute CSV trace, or NULL (caller owns the stream) */
} tp_sim_options;

/** Outcome of a simulation over a window. Costs in USD; NAN where undefined. */
typedef struct tp_sim_result {
    size_t minutes;
    double hours;
    double reserved_usd;         /**< hours x (Ri/1000 x input price + Ro/1000 x output price) */
    double spill_usd;            /**< spilled tokens at on-demand prices x spill tier multiplier */
    double total_usd;
    double baseline_usd;         /**< all traffic at Standard on-demand prices */
    double throttled_value_usd;  /**< the throttled tokens at Standard on-demand prices */
    double served_value_usd;     /**< the tokens served at Standard prices: baseline - throttled */
    double savings_usd;          /**< served_value - total: throttled traffic is no saving */
    double savings_pct;          /**< savings / served_value x 100; NAN when that is 0 */
    double utilization_input;    /**< served effective input / (Ri x minutes); NAN when Ri = 0 */
    double utilization_output;   /**< served output / (Ro x minutes); NAN when Ro = 0 */
    size_t spill_minutes;        /**< minutes where demand exceeded the reservation */
    double spill_minutes_pct;
    double spill_input_tokens;           /**< raw: regular + cache-read + cache-write */
    double spill_effective_input_tokens; /**< burned down */
    double spill_output_tokens;
    size_t throttled_minutes;    /**< minutes with throttled tokens */
    double throttled_tokens;     /**< raw tokens throttled (all kinds) */
    double total_tokens;         /**< all tokens of the window, raw */
    double blended_usd_per_million; /**< total / served tokens x 1e6; NAN when none served */
    /** traffic not routed to the reservation, at its own tier's prices (tp_simulate_tiers_run;
     * 0 for tp_simulate_run); counted in total_usd */
    double unrouted_usd;
} tp_sim_result;

/**
 * Simulates a reservation minute by minute over d (formulas: docs/model.md). d, price and o
 * are borrowed; out is filled in (nothing is allocated); the trace, when set, stays the
 * caller's stream.
 * @return TP_ERR_INVALID when a reservation is negative or the catalog lacks a reserved price
 *         for a dimension that is reserved; TP_ERR_IO when the trace cannot be written
 */
TP_API tp_status tp_simulate_run(const tp_demand *d, const tp_model_price *price,
                                 const tp_sim_options *o, tp_sim_result *out, tp_error *err);

/* ---- service tiers (simulate_tiers.c; docs/model.md, "Service tiers") ---- */

/** A set of requested tiers (tp_service_tier), one bit each: TP_ROUTE_TIER(t). */
typedef unsigned tp_route_set;
#define TP_ROUTE_TIER(t) (1u << (unsigned)(t))
/** Every tier that can be routed: traffic asking for reserved always is. */
#define TP_ROUTE_ALL 0xFu

/**
 * Parses a comma-separated list of tier names ("default,priority"; names as
 * tp_series_tier_parse reads them) into *out. "reserved" is always added: traffic that asks
 * for the reservation is routed to it.
 * @return TP_ERR_USAGE naming the accepted names for an unknown one or an empty list
 */
TP_API tp_status tp_simulate_route_parse(const char *list, tp_route_set *out, tp_error *err);

/**
 * Writes the tiers of s as a comma-separated list in tier order ("reserved,default") into
 * buf (n bytes, truncated and terminated); "" for none. Returns buf.
 */
TP_API const char *tp_simulate_route_format(tp_route_set s, char *buf, size_t n);

/** The price tier a requested tier is billed at on demand (reserved: Standard). */
TP_API tp_tier tp_simulate_tier_price(tp_service_tier t);

/** One requested tier's tokens and costs before (no reservation) and after (with the plan). */
typedef struct tp_sim_tier {
    double tokens;            /**< raw tokens that asked for the tier, all kinds */
    double baseline_usd;      /**< before: at the prices of the tier that served them */
    double reserved_tokens;   /**< after: served by the reservation (routed tiers only) */
    double on_demand_tokens;  /**< after: served on demand (unrouted, or routed and spilled) */
    double on_demand_usd;     /**< after: what those pay on demand */
    double throttled_tokens;  /**< after: dropped by the quota (or with nowhere to spill) */
} tp_sim_tier;

/** A tiered simulation: the plan's totals and each requested tier's part. */
typedef struct tp_sim_tiers_result {
    tp_sim_result sim;        /**< the whole plan; baseline_usd prices each tier at its own */
    tp_sim_tier tier[TP_SERVICE_COUNT];
    tp_route_set routed;      /**< the tiers routed to the reservation (with traffic or not) */
    tp_route_set present;     /**< the tiers with traffic in the window */
    size_t unrouted_throttled_minutes; /**< minutes where unrouted traffic alone is over quota */
} tp_sim_tiers_result;

/**
 * Simulates a reservation over demand split by requested tier (docs/model.md, "Service
 * tiers"): the tiers in `routed` (reserved always) are summed and absorbed by the reservation
 * minute by minute as tp_simulate_run does (coupled or independent, burned down), their
 * overflow billed at o->spill_to; the other tiers stay on demand at their own tier's prices
 * (priority, default at Standard, flex). Under a quota (o->quota_tpm > 0), shared by
 * priority, default and flex, the traffic not routed takes it first each minute (throttled
 * only beyond the quota by itself) and the spill gets what it leaves. The baseline prices each
 * token at the tier that served it (reserved traffic, without a reservation, at Standard).
 * o->trace must be NULL. d, price and o are borrowed; nothing is allocated.
 * @return as tp_simulate_run; TP_ERR_USAGE for a trace or a tier with missing arrays;
 *         TP_ERR_INVALID when the catalog lacks a price of a tier with traffic
 */
TP_API tp_status tp_simulate_tiers_run(const tp_tier_demand *d, const tp_model_price *price,
                                       const tp_sim_options *o, tp_route_set routed,
                                       tp_sim_tiers_result *out, tp_error *err);

/**
 * What a held reservation served, as the metrics tell it: the traffic that asked for
 * `reserved` (family TP_FAMILY_BOTH), split by the tier that served it (reserved: what the
 * reservation served; default: its overflow), beside the simulation of that traffic at the
 * held size (docs/model.md, "A held reservation, seen in the metrics"). NAN where undefined.
 */
typedef struct tp_sim_observed {
    double utilization_input;  /**< burned-down input served reserved / (Ri x minutes);
                                    NAN when Ri = 0 */
    double utilization_output; /**< output served reserved / (Ro x minutes); NAN when Ro = 0 */
    double overflow_input_tokens;  /**< raw (input + cache read + cache write) asked reserved,
                                        served default */
    double overflow_output_tokens;
    size_t overflow_minutes;       /**< minutes with overflow tokens */
    double overflow_minutes_pct;
    size_t minutes;
    tp_sim_result simulated; /**< the asked-reserved traffic simulated at the held size */
    /** simulated - observed: utilizations as fractions, the overflow share of minutes in
     * percentage points, the overflow in tokens; NAN where either side is */
    double error_utilization_input, error_utilization_output;
    double error_overflow_minutes_pct;
    double error_overflow_input_tokens, error_overflow_output_tokens;
    /** the largest |utilization error| x 100 (percentage points): "the simulation within
     * X%"; NAN when no side is reserved */
    double error_pct;
} tp_sim_observed;

/**
 * Compares a held reservation's metrics with the simulation of its traffic. served is the
 * traffic that asked for reserved and was served reserved, overflow the traffic that asked
 * for reserved and was served default (tp_series_tier_pair_demand); both borrowed, of one
 * window. The simulation runs on their sum at o's reservation (o's spill model, spill to
 * Standard, no quota, no trace: overflow of a reservation is served on demand), with price's
 * burn-down factors and prices.
 * @param out filled in (nothing is allocated)
 * @return TP_OK; TP_ERR_USAGE for demands of different windows or without arrays;
 *         TP_ERR_NOMEM; tp_simulate_run's errors
 */
TP_API tp_status tp_simulate_observe(const tp_demand *served, const tp_demand *overflow,
                                     const tp_model_price *price, const tp_sim_options *o,
                                     tp_sim_observed *out, tp_error *err);

/**
 * tp_simulate_observe of s's pairs asked reserved / served reserved and asked reserved /
 * served default, when s says them: *has receives 1 then, else 0 (out untouched: the family
 * is not TP_FAMILY_BOTH, no traffic asked for reserved in the window, or o reserves nothing).
 * @return as tp_simulate_observe; TP_OK with *has 0 when there is nothing to observe
 */
TP_API tp_status tp_simulate_observe_series(const tp_series *s, const tp_model_price *price,
                                            const tp_sim_options *o, int *has,
                                            tp_sim_observed *out, tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
