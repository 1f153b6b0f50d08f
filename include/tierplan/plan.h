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
 * calendar month is a 1-month window, February included). */
#define TP_TERM_MONTH_MIN_MINUTES (28 * 1440)

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
    tp_candidate recommended;
    char reason[512];
} tp_window_plan;

/** A reservation per window compared with one flat reservation over the whole span. */
typedef struct tp_seasonal {
    tp_window span;            /**< first window's start to last window's end */
    tp_candidate flat;         /**< recommended for the whole span */
    tp_window_plan *windows;   /**< n entries, owned by the plan */
    size_t n;
    double seasonal_total_usd; /**< sum of the windows' recommended totals */
    double flat_total_usd;
} tp_seasonal;

/**
 * Recommends a reservation for each window (loading each window's demand from the store) and
 * one flat reservation over their whole span. Each window must be at least the commitment
 * term (TP_TERM_MONTH_MIN_MINUTES per term month) and, unless force, at least a day.
 * @param q model and tiers; its window fields are ignored
 * @param windows n windows sorted by start (read only; copied into the plan)
 * @param out receives the plan (NULL on failure); the caller frees it with
 *        tp_plan_seasonal_free
 * @return TP_ERR_USAGE for no windows; TP_ERR_INVALID for a window shorter than the term or
 *         with too little data; else as tp_series_load and tp_rec_run
 */
TP_API tp_status tp_plan_seasonal(tp_store *store, const tp_series_query *q,
                                  const tp_window *windows, size_t n,
                                  const tp_model_price *price, const tp_rec_options *o,
                                  int force, tp_seasonal **out, tp_error *err);

/** Frees a seasonal plan and its windows. NULL is allowed. */
TP_API void tp_plan_seasonal_free(tp_seasonal *s);

/** How a reservation sized on the past would have done on the future. Holds no pointers. */
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
