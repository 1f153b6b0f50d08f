/* plan.h - planning over several windows of stored data: per-month or explicit windows,
 * seasonal plans against one flat reservation, and backtests. The only part of the
 * recommender that reads the store. */
#ifndef TIERPLAN_PLAN_H
#define TIERPLAN_PLAN_H

#include "tierplan/common.h"
#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/series.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A half-open window of Unix minutes [from_minute, to_minute). */
typedef struct tp_window {
    int64_t from_minute, to_minute;
} tp_window;

/** A window counts as at least a term of N months when it spans N x 28 days (so any
 * calendar month is a 1-month window, February included). A shorter window pays the whole
 * term, N x 730 hours (docs/model.md, "Seasonal windows"). */
#define TP_TERM_MONTH_MIN_MINUTES (28 * 1440)

/** tp_plan_seasonal and tp_plan_backtest: admit windows with under a day of data, and (seasonal)
 * windows shorter than the term, which pay the whole term. */
#define TP_PLAN_FORCE 1u
/** tp_plan_seasonal: the first and the last window may be shorter than the term without
 * TP_PLAN_FORCE (the partial months at either end of a month split); they pay the whole term. */
#define TP_PLAN_PARTIAL_ENDS 2u

/** Largest windows file tp_window_load reads (1 MiB): a line per window, so far more than
 * any plan needs, and it bounds the memory a mistaken path can cost. */
#define TP_WINDOW_FILE_MAX_BYTES (1024 * 1024)

/**
 * Checks that a series is long enough to size a reservation from: at least
 * TP_RECOMMEND_MIN_MINUTES minutes, unless force.
 * @param s the loaded window (read only)
 * @param force nonzero to accept any length
 * @return TP_OK, or TP_ERR_INVALID with a message naming the minutes, the model and the
 *         minimum
 */
TP_API tp_status tp_plan_check_window(const tp_series *s, int force, tp_error *err);

/**
 * Splits [from, to) at UTC calendar-month boundaries: the first window runs from `from` to
 * the next month's start, the last one from its month's start to `to`.
 * @param out receives n windows (NULL on failure); the caller frees the array with free()
 * @return TP_ERR_USAGE for an empty span; TP_ERR_NOMEM
 */
TP_API tp_status tp_window_split_months(int64_t from_minute, int64_t to_minute,
                                        tp_window **out, size_t *n, tp_error *err);

/**
 * Parses a windows file: one `from,to` pair of ISO 8601 timestamps per line (half-open,
 * UTC unless an offset is given), an optional `from,to` header, blank lines and `#` comments
 * ignored. Windows must be non-empty and must not overlap. Errors name `name:line`.
 * @param name the file's name, for messages
 * @param text the file's bytes (read only; need not be NUL-terminated)
 * @param out receives n windows sorted by start (NULL on failure); the caller frees the
 *        array with free()
 * @return TP_ERR_PARSE for a malformed line or no windows; TP_ERR_INVALID for a window that
 *         ends before it starts or windows that overlap; TP_ERR_NOMEM
 */
TP_API tp_status tp_window_parse(const char *name, const char *text, size_t len,
                                 tp_window **out, size_t *n, tp_error *err);

/**
 * Reads a windows file from path and parses it as tp_window_parse does.
 * @param out receives n windows sorted by start (NULL on failure); the caller frees the
 *        array with free()
 * @return TP_ERR_IO when the file cannot be read; TP_ERR_TOO_BIG, naming the file and the
 *         cap, when it is larger than TP_WINDOW_FILE_MAX_BYTES; else as tp_window_parse
 */
TP_API tp_status tp_window_load(const char *path, tp_window **out, size_t *n, tp_error *err);

/** One window of a seasonal plan. */
typedef struct tp_window_plan {
    tp_window window;
    tp_candidate recommended;     /**< its total includes unused_commitment_usd */
    int whole_term;               /**< shorter than the term: billed term months x 730 hours */
    double billed_hours;          /**< term months x 730 when whole_term, else its own hours */
    double unused_commitment_usd; /**< the reserved cost beyond the window's own hours (0 unless
                                       whole_term): paid, never carried into the next window */
    char reason[512];
} tp_window_plan;

/** Minutes between two windows: the seasonal plan buys nothing there. */
typedef struct tp_gap {
    tp_window window;
    tp_candidate on_demand; /**< the gap's demand at on-demand Standard prices */
} tp_gap;

/** A reservation per window compared with one flat reservation over the whole span. Both
 * totals cover the same span, gaps included (docs/model.md, "Seasonal windows"). */
typedef struct tp_seasonal {
    tp_window span;            /**< first window's start to last window's end */
    tp_candidate flat;         /**< recommended for the whole span; with a service level the
                                    cheapest meeting it inside every window */
    int flat_whole_term;       /**< the span is shorter than the term: billed the whole term */
    double flat_billed_hours;  /**< as tp_window_plan's billed_hours, for the flat span */
    double flat_unused_commitment_usd; /**< as tp_window_plan's, for the flat reservation */
    tp_window_plan *windows;   /**< n entries, owned by the plan */
    size_t n;
    tp_gap *gaps;              /**< n_gaps entries in order, owned by the plan */
    size_t n_gaps;
    int service_level;         /**< a service level applies, to both plans in every window */
    double max_throttled_minutes; /**< the throttled minutes each window may have under the
                                       service level (a quota's default of 0 included);
                                       INFINITY where nothing can be throttled */
    double gap_total_usd;      /**< the gaps' on-demand cost */
    double unused_commitment_usd; /**< the windows' unused commitment */
    double seasonal_total_usd; /**< the windows' recommended totals plus the gaps' cost */
    double flat_total_usd;
} tp_seasonal;

/**
 * Recommends a reservation for each window (loading each window's demand from the store) and
 * one flat reservation over their whole span. With a service level, each window's reservation
 * meets it in that window, and the flat one in every window: then the seasonal total is never
 * above the flat one when every window is at least the term and no gap is left. Gaps between
 * windows are priced at on-demand Standard in the seasonal total (the flat reservation covers
 * them). A window shorter than the term (TP_TERM_MONTH_MIN_MINUTES per term month) is refused
 * unless flags admit it; it then pays the whole term, and is sized for that fixed charge.
 * Unless TP_PLAN_FORCE, each window needs a day of data.
 * @param q model and tiers; its window fields are ignored
 * @param windows n windows sorted by start, not overlapping (read only; copied into the plan)
 * @param flags TP_PLAN_FORCE, TP_PLAN_PARTIAL_ENDS, or 0
 * @param out receives the plan (NULL on failure); the caller frees it with
 *        tp_plan_seasonal_free
 * @return TP_ERR_USAGE for no windows; TP_ERR_INVALID for a window shorter than the term that
 *         flags do not admit, too little data, or a service level no flat reservation meets;
 *         else as tp_series_load and tp_rec_run
 */
TP_API tp_status tp_plan_seasonal(tp_store *store, const tp_series_query *q,
                                  const tp_window *windows, size_t n,
                                  const tp_model_price *price, const tp_rec_options *o,
                                  unsigned flags, tp_seasonal **out, tp_error *err);

/** Frees a seasonal plan, its windows and gaps. NULL is allowed. */
TP_API void tp_plan_seasonal_free(tp_seasonal *s);

/** How a reservation sized on the past would have done on the future. Holds no pointers. */
typedef struct tp_backtest {
    tp_window train, test;
    tp_candidate trained;          /**< recommended on the training window (its own costs) */
    tp_candidate trained_on_test;  /**< that reservation simulated on the test window */
    tp_candidate hindsight;        /**< the recommendation the test window itself would give */
    tp_candidate on_demand_test;   /**< no reservation on the test window */
    int has_service_level;         /**< o set one (plan: a bound, or --spill-to none) */
    int service_level_met;         /**< trained_on_test meets it on the test window (1 without
                                        a service level: nothing to meet) */
    double regret_usd;             /**< trained_on_test total - hindsight total; NAN when the
                                        trained reservation misses the service level */
    double max_spill_minutes;      /**< the spill minutes the test window may have under the
                                        service level; INFINITY without the bound */
    double max_throttled_minutes;  /**< the throttled minutes it may have (a quota's default
                                        of 0 included); INFINITY where nothing can throttle */
} tp_backtest;

/**
 * Sizes on [start, train_until) and replays on [train_until, end), where start and end come
 * from q's window or the model's data. Both halves need a day of data unless force. With a
 * service level, regret is defined only when the trained reservation meets it on the test
 * window (docs/model.md, "Backtest").
 * @param out receives the backtest (caller-owned storage; nothing to free)
 * @return TP_ERR_USAGE when train_until leaves no data on one side; else as tp_series_load
 *         and tp_rec_run
 */
TP_API tp_status tp_plan_backtest(tp_store *store, const tp_series_query *q,
                                  int64_t train_until_minute, const tp_model_price *price,
                                  const tp_rec_options *o, int force, tp_backtest *out,
                                  tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
