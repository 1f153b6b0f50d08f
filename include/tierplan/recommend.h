/* recommend.h - reservation sizing for one window of demand: the exact cost optimum on the
 * catalog's grid and service levels. Reads no store (windows and backtests: plan.h). */
#ifndef TIERPLAN_RECOMMEND_H
#define TIERPLAN_RECOMMEND_H

#include "tierplan/common.h"
#include "tierplan/pricing.h"
#include "tierplan/series.h"
#include "tierplan/simulate.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Hours in a commitment month (AWS bills a month as 730 hours). */
#define TP_HOURS_PER_MONTH 730.0

/** Below this many minutes a window is too short to size from (unless forced; the check is
 * tp_plan_check_window in plan.h). */
#define TP_RECOMMEND_MIN_MINUTES 1440

/** Largest grid one dimension may have (bounds time and memory: minutes + grid). */
#define TP_RECOMMEND_MAX_GRID 2000000

/** What a candidate reservation is based on. */
typedef enum tp_basis {
    TP_BASIS_P25 = 0,
    TP_BASIS_P50,
    TP_BASIS_P90,
    TP_BASIS_P99,
    TP_BASIS_OPTIMAL,      /**< the cost-optimal reservation on the grid */
    TP_BASIS_ON_DEMAND,    /**< no reservation, everything at on-demand Standard */
    TP_BASIS_ALL_PRIORITY, /**< no reservation, everything at on-demand Priority */
    TP_BASIS_SLO,          /**< the cheapest reservation meeting the service level */
    TP_BASIS_COUNT
} tp_basis;

/** "p25", "optimal", "on_demand", "all_priority", "slo", ...: a static string, never NULL. */
TP_API const char *tp_recommend_basis_name(tp_basis b);

/** Options. Zero-initialise, then set. */
typedef struct tp_rec_options {
    tp_spill_model spill_model;
    tp_spill_to spill_to;
    double quota_tpm;              /**< as in tp_sim_options; 0: none */
    int has_max_spill_minutes_pct;
    double max_spill_minutes_pct;  /**< at most this % of the window's minutes may spill */
    int has_max_throttled_minutes;
    long max_throttled_minutes;    /**< at most this many minutes may be throttled */
    int term_months;               /**< commitment term (catalog discount applies); 0 = 1 */
    /** Names request fields in the recommendation's reason in the caller's terms (common.h,
     * tp_error_rename); NULL: the API's names. */
    tp_field_name_fn field_name;
    void *field_name_ctx;
    /** tp_recommend_tiers_run: the tiers routed to the reservation (reserved always is);
     * 0: the cheapest of every subset of the tiers with traffic */
    tp_route_set route_tiers;
    /** tp_recommend_tiers_run: 1 explores a reservation although the catalog says the
     * model's Reserved tier is not offered (every output says so) */
    int assume_offered;
} tp_rec_options;

/** The commitment term in months that o (borrowed) asks for: its term_months, or 1 when unset. */
TP_API int tp_recommend_term_months(const tp_rec_options *o);

/** One candidate reservation, simulated. */
typedef struct tp_candidate {
    tp_basis basis;
    double input_tpm, output_tpm;
    tp_sim_result sim;            /**< over the window, term discount applied */
    /** total / (the window's hours x the price's billed_per_span_hour): per billed hour when
     * the price was billed over the window (tp_pricing_bill_span, tp_pricing_rate_hours) */
    double cost_per_hour_usd;
    double cost_per_month_usd;    /**< per hour x 730 */
    double cost_per_term_usd;     /**< per month x term months */
    double savings_per_month_usd; /**< (baseline - total) per hour x 730 */
    /** the simulation's reserved, spill and on-demand baseline totals per hour, as above */
    double reserved_per_hour_usd, spill_per_hour_usd, on_demand_per_hour_usd;
    /** tp_recommend_tiers_run: the tiers routed to the reservation (0 from tp_recommend_run),
     * and per requested tier its tokens and costs before and after (sim.unrouted_usd holds
     * what the tiers not routed pay) */
    tp_route_set routed_tiers;
    tp_sim_tier tier[TP_SERVICE_COUNT];
} tp_candidate;

/** The cheapest reservation of one routing subset (tp_recommend_tiers_run). */
typedef struct tp_route_option {
    tp_route_set routed;
    double input_tpm, output_tpm;
    double total_usd;  /**< over the window, with the traffic not routed */
    double savings_usd;
} tp_route_option;

/** The outcome of tp_recommend_run. */
typedef struct tp_recommendation {
    tp_candidate candidates[TP_BASIS_COUNT];
    size_t n_candidates;
    size_t recommended;            /**< index into candidates */
    char reason[512];
    int term_months;
    double term_hours;             /**< the term billed in hours: term_months x 730 */
    double term_discount;          /**< the factor applied to reserved prices */
    double break_even_utilization_input;  /**< NAN when undefined (see docs/model.md) */
    double break_even_utilization_output;
    size_t grid_input_points, grid_output_points; /**< grid sizes searched */
    /* tp_recommend_tiers_run only (zero from tp_recommend_run): */
    int tiered;               /**< 1: sized by tier */
    tp_route_set present;     /**< the requested tiers with traffic */
    int offered;              /**< the catalog's reserved_offered for the model */
    int assumed_offered;      /**< 1: not offered, explored with assume_offered */
    tp_route_option routes[8]; /**< each routing subset searched, its best reservation */
    size_t n_routes;
    /** The flat region around the recommended reservation (tp_recommend_flat_region; zero
     * until it is computed): the input TPM [lo, hi] on the grid, output at the recommended
     * size, and the output TPM [lo, hi], input at the recommended size, within which the cost
     * stays within TP_RECOMMEND_FLAT_PCT of the recommended one. */
    int has_flat_region;
    double flat_input_tpm[2], flat_output_tpm[2];
} tp_recommendation;

/** How far above the recommended cost a size is still in the flat region, in % */
#define TP_RECOMMEND_FLAT_PCT 0.5

/**
 * Sizes a reservation for demand d. Candidates: the P25/P50/P90/P99 of effective input and
 * output TPM rounded up to the grid (0 or the catalog minimum plus whole steps), the exact
 * cost optimum on that grid, no reservation, all Priority, and with a service level the
 * cheapest reservation meeting it. Methods: docs/model.md, "Recommendation".
 * @param d the window's demand (read only; d->minutes > 0)
 * @param price the model's catalog entry; the term discount for o's term is applied here
 * @param o options (read only)
 * @param out receives the candidates and the choice; it holds no pointers, nothing to free
 * @return TP_ERR_INVALID for an empty window, an option the catalog cannot serve (unknown
 *         term, no reserved price), a grid over TP_RECOMMEND_MAX_GRID points or a service
 *         level no reservation meets; TP_ERR_NOMEM
 */
TP_API tp_status tp_recommend_run(const tp_demand *d, const tp_model_price *price,
                                  const tp_rec_options *o, tp_recommendation *out, tp_error *err);

/**
 * The flat region of rec (docs/model.md, "The flat region"): from the recommended reservation
 * (ri, ro), the grid points on each axis, the other fixed, reached without the cost rising
 * above (1 + TP_RECOMMEND_FLAT_PCT / 100) x cost(ri, ro), the cost being the recommender's own
 * (reserved + spill over the window, without quota). Under a service level the region only
 * extends upward (a smaller size may not meet it). Not computed (has_flat_region 0) with a
 * quota that can throttle, for an "all Priority" recommendation, or a recommendation sized by
 * tier that routes only part of d.
 * @param d the demand rec was sized on; price its catalog entry; o its options (borrowed)
 * @param rec the recommendation (tp_recommend_run's); its flat_* fields are set
 * @return TP_ERR_NOMEM; TP_ERR_INVALID for a grid over the limit or an unknown term
 */
TP_API tp_status tp_recommend_flat_region(const tp_demand *d, const tp_model_price *price,
                                          const tp_rec_options *o, tp_recommendation *rec,
                                          tp_error *err);

/**
 * tp_recommend_run over demand split by requested tier (docs/model.md, "Service tiers"): for
 * every subset of the tiers with traffic (or o->route_tiers), the exact cost optimum of the
 * routed traffic's reservation on the grid, with the traffic not routed in its own tier at its
 * own price (a constant per subset, the quota it takes included); the cheapest subset wins
 * against no reservation. A reservation is 0 on both sides or at least the catalog's minimum on
 * both (with priority routed, at least one input step: a zero input reservation would only move
 * Priority traffic to Standard). Candidates as tp_recommend_run's, each simulated with
 * tp_simulate_tiers_run and carrying its routed tiers. Where the catalog says the Reserved tier
 * is not offered and o->assume_offered is 0, no reservation is searched: the recommendation is
 * on-demand, with a reason naming the catalog's source.
 * @return tp_recommend_run's errors; TP_ERR_USAGE for assume_offered without reserved prices
 */
TP_API tp_status tp_recommend_tiers_run(const tp_tier_demand *d, const tp_model_price *price,
                                        const tp_rec_options *o, tp_recommendation *out,
                                        tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
