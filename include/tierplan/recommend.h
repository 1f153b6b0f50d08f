/* recommend.h - reservation sizing: exact cost optimum on the catalog's grid, service levels. */
#ifndef TIERPLAN_RECOMMEND_H
#define TIERPLAN_RECOMMEND_H

#include "tierplan/common.h"
#include "tierplan/pricing.h"
#include "tierplan/series.h"
#include "tierplan/simulate.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Hours in a commitment month (AWS bills a month as 730 hours). */
#define TP_HOURS_PER_MONTH 730.0

/** Below this many minutes a window is too short to size from (unless forced). */
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

/** "p25", "optimal", "on_demand", "all_priority", "slo", ... */
TP_API const char *tp_basis_name(tp_basis b);

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
} tp_rec_options;

/** The commitment term in months that o asks for (its term_months, or 1 when unset). */
TP_API int tp_rec_term_months(const tp_rec_options *o);

/** One candidate reservation, simulated. */
typedef struct tp_candidate {
    tp_basis basis;
    double input_tpm, output_tpm;
    tp_sim_result sim;            /**< over the window, term discount applied */
    double cost_per_hour_usd;     /**< total / window hours */
    double cost_per_month_usd;    /**< per hour x 730 */
    double cost_per_term_usd;     /**< per month x term months */
    double savings_per_month_usd; /**< (baseline - total) per hour x 730 */
} tp_candidate;

/** The outcome of tp_recommend. */
typedef struct tp_recommendation {
    tp_candidate candidates[TP_BASIS_COUNT];
    size_t n_candidates;
    size_t recommended;            /**< index into candidates */
    char reason[512];
    int term_months;
    double term_discount;          /**< the factor applied to reserved prices */
    double break_even_utilization_input;  /**< NAN when undefined (see docs/model.md) */
    double break_even_utilization_output;
    size_t grid_input_points, grid_output_points; /**< grid sizes searched */
} tp_recommendation;

/**
 * Sizes a reservation for demand d. Candidates: the P25/P50/P90/P99 of effective input and
 * output TPM rounded up to the grid (0 or the catalog minimum plus whole steps), the exact
 * cost optimum on that grid, no reservation, all Priority, and with a service level the
 * cheapest reservation meeting it. Methods: docs/model.md, "Recommendation".
 * @return TP_ERR_INVALID for an option the catalog cannot serve (unknown term, no reserved
 *         price) or a grid over TP_RECOMMEND_MAX_GRID points
 */
TP_API tp_status tp_recommend(const tp_demand *d, const tp_model_price *price,
                              const tp_rec_options *o, tp_recommendation *out, tp_error *err);

/**
 * Demand after a what-if: every token count scaled by `scale`, then `cache_hit_delta` of each
 * minute's regular + cache-read input moved from regular to cache-read tokens (negative: back),
 * clamped so neither goes below zero. The arrays are owned by the result.
 */
typedef struct tp_whatif tp_whatif;
TP_API tp_status tp_whatif_apply(const tp_demand *d, double scale, double cache_hit_delta,
                                 tp_whatif **out, tp_error *err);
/** The transformed demand (valid until tp_whatif_free). */
TP_API tp_demand tp_whatif_demand(const tp_whatif *w);
TP_API void tp_whatif_free(tp_whatif *w);

/** A half-open window of Unix minutes [from_minute, to_minute). */
typedef struct tp_window {
    int64_t from_minute, to_minute;
} tp_window;

/** A window counts as at least a term of N months when it spans N x 28 days (so any
 * calendar month is a 1-month window, February included). */
#define TP_TERM_MONTH_MIN_MINUTES (28 * 1440)

/**
 * Splits [from, to) at UTC calendar-month boundaries.
 * @param out receives n windows; the caller frees the array with free()
 */
TP_API tp_status tp_windows_by_month(int64_t from_minute, int64_t to_minute, tp_window **out,
                                     size_t *n, tp_error *err);

/**
 * Parses a windows file: one `from,to` pair of ISO 8601 timestamps per line (half-open,
 * UTC unless an offset is given), an optional `from,to` header, blank lines and `#` comments
 * ignored. Windows must be non-empty and must not overlap. Errors name `name:line`.
 * @param out receives n windows sorted by start; the caller frees the array with free()
 */
TP_API tp_status tp_windows_parse(const char *name, const char *text, size_t len,
                                  tp_window **out, size_t *n, tp_error *err);

/** One window of a seasonal plan. */
typedef struct tp_window_plan {
    tp_window window;
    tp_candidate recommended;
    char reason[512];
} tp_window_plan;

/** A reservation per window compared with one flat reservation over the whole span. */
typedef struct tp_seasonal {
    tp_window span;            /**< first window's start to last window's end */
    tp_candidate flat;         /**< recommended for the whole span */
    tp_window_plan *windows;
    size_t n;
    double seasonal_total_usd; /**< sum of the windows' recommended totals */
    double flat_total_usd;
} tp_seasonal;

/**
 * Recommends a reservation for each window (loading each window's demand from the store) and
 * one flat reservation over their whole span. Each window must be at least the commitment
 * term (TP_TERM_MONTH_MIN_MINUTES per term month) and, unless force, at least a day.
 * @param q model and tiers; its window fields are ignored
 * @param out receives the plan; free it with tp_seasonal_free
 */
TP_API tp_status tp_recommend_seasonal(tp_store *store, const tp_series_query *q,
                                       const tp_window *windows, size_t n,
                                       const tp_model_price *price, const tp_rec_options *o,
                                       int force, tp_seasonal **out, tp_error *err);
TP_API void tp_seasonal_free(tp_seasonal *s);

/** How a reservation sized on the past would have done on the future. */
typedef struct tp_backtest {
    tp_window train, test;
    tp_candidate trained;          /**< recommended on the training window (its own costs) */
    tp_candidate trained_on_test;  /**< that reservation simulated on the test window */
    tp_candidate hindsight;        /**< the recommendation the test window itself would give */
    tp_candidate on_demand_test;   /**< no reservation on the test window */
    double regret_usd;             /**< trained_on_test total - hindsight total */
} tp_backtest;

/**
 * Sizes on [start, train_until) and replays on [train_until, end), where start and end come
 * from q's window or the model's data. Both halves need a day of data unless force.
 */
TP_API tp_status tp_backtest_run(tp_store *store, const tp_series_query *q,
                                 int64_t train_until_minute, const tp_model_price *price,
                                 const tp_rec_options *o, int force, tp_backtest *out,
                                 tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
