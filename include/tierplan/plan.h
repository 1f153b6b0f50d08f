/* plan.h - planning over several windows of stored data: per-month or explicit windows,
 * seasonal plans against one flat reservation, and backtests. The only part of the
 * recommender that reads the store. */
#ifndef TIERPLAN_PLAN_H
#define TIERPLAN_PLAN_H

#include "tierplan/common.h"
#include "tierplan/window.h"
#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/series.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/**
 * Checks that a series is long enough to size a reservation from: at least
 * TP_RECOMMEND_MIN_MINUTES minutes, unless force.
 * @param s the loaded window (read only)
 * @param force nonzero to accept any length
 * @return TP_OK, or TP_ERR_INVALID with a message naming the minutes, the model and the
 *         minimum
 */
TP_API tp_status tp_plan_check_window(const tp_series *s, int force, tp_error *err);

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
    double seasonal_savings_usd; /**< what the seasonal plan saves: flat_total_usd -
                                      seasonal_total_usd (negative: it costs more) */
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
 *         else as tp_series_load and tp_recommend_run
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
 *         and tp_recommend_run
 */
TP_API tp_status tp_plan_backtest(tp_store *store, const tp_series_query *q,
                                  int64_t train_until_minute, const tp_model_price *price,
                                  const tp_rec_options *o, int force, tp_backtest *out,
                                  tp_error *err);

/* ---- plan files (--plan): per-model options and held reservations ---- */

/** Largest plan file tp_plan_file_load reads (cJSON parses whole documents). */
#define TP_PLAN_FILE_MAX_BYTES (1024 * 1024)

/** What a plan file says about one model (its "models" entry over its "default"). Each
 * has_* says whether the key was given. */
typedef struct tp_plan_entry {
    int has_term_months;
    int term_months;
    int has_max_spill_minutes_pct;
    double max_spill_minutes_pct;
    int has_max_throttled_minutes;
    long max_throttled_minutes;
    int has_reserve_input_tpm, has_reserve_output_tpm; /**< a reservation already held */
    double reserve_input_tpm, reserve_output_tpm;
    int has_growth_pct_per_month;
    double growth_pct_per_month; /**< carried for projections; the report only shows it */
} tp_plan_entry;

/** A parsed plan file: {"models": {"<model id>": {...} or [{...}, ...]}, "default": {...}}.
 * Opaque. */
typedef struct tp_plan_file tp_plan_file;

/**
 * Parses a plan file held in memory. Each object takes exactly term_months (1 to 120, whole),
 * max_spill_minutes_pct (0 to 100), max_throttled_minutes (whole, >= 0), reserve_input_tpm and
 * reserve_output_tpm (TPM >= 0) and growth_pct_per_month (above -100, at most 1000); an unknown
 * key, a value of the wrong type or out of range is TP_ERR_INVALID naming "NAME: $.path".
 * @param name the file name for messages (borrowed)
 * @param out receives the plan; the caller frees it with tp_plan_file_free
 * @return TP_ERR_PARSE for malformed JSON, TP_ERR_INVALID, TP_ERR_TOO_BIG over
 *         TP_PLAN_FILE_MAX_BYTES, TP_ERR_NOMEM
 */
TP_API tp_status tp_plan_file_parse(const char *name, const char *json, size_t len,
                                    tp_plan_file **out, tp_error *err);

/** Reads and parses the plan file at path (TP_ERR_IO when it cannot be read). */
TP_API tp_status tp_plan_file_load(const char *path, tp_plan_file **out, tp_error *err);

/** Frees a plan file. NULL is allowed. */
TP_API void tp_plan_file_free(tp_plan_file *p);

/** The entry for model's unknown place (tp_plan_file_entry_at(p, model, "", "", 1)). */
TP_API tp_plan_entry tp_plan_file_entry(const tp_plan_file *p, const char *model);

/**
 * The entry for model recorded in region and account ("" unknown; region "*": regions merged,
 * matched as an entry naming no region): each key from the model's object for that place when
 * given there, else from "default", else unset. A model's object names its place with
 * "region" and "account" (absent: unknown); several places of one model are an array of
 * objects. An object naming neither is the unknown place's, and applies to the model's only
 * place too when only_place (a plan file from before regions keeps working where a model is
 * recorded in one region); a model in several places takes nothing from it but at its
 * unknown place: a held reservation is bought in one place, and guessing which would count it
 * twice. p may be NULL (every key unset).
 */
TP_API tp_plan_entry tp_plan_file_entry_at(const tp_plan_file *p, const char *model,
                                           const char *region, const char *account,
                                           int only_place);

/** How many entries the plan file has under "models", one per model object (a model given
 * per place counts once per place; 0 for NULL). */
TP_API size_t tp_plan_file_model_count(const tp_plan_file *p);

/** The i-th model id of the plan file, in file order (owned by p), or NULL past the end: a
 * caller that knows the stored models can warn about an id no data has (a typo in the plan
 * would otherwise be silently unused). */
TP_API const char *tp_plan_file_model_id(const tp_plan_file *p, size_t i);

#ifdef __cplusplus
}
#endif
#endif
