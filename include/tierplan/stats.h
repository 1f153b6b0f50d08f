/* stats.h - percentiles, maximum and mean of per-minute TPM, of plain arrays and of the models
 * in a store (what the stats report shows, computed once so that renderers only render). */
#ifndef TIERPLAN_STATS_H
#define TIERPLAN_STATS_H

#include "tierplan/common.h"
#include "tierplan/pricing.h"
#include "tierplan/series.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Summary of one per-minute series, in tokens per minute. */
typedef struct tp_summary {
    double p25_tpm, p50_tpm, p90_tpm, p99_tpm;
    double max_tpm;
    double mean_tpm;
} tp_summary;

/**
 * Summarises n per-minute values (every minute of the window, zeros included).
 * Percentiles interpolate linearly between order statistics (GSL's
 * gsl_stats_quantile_from_sorted_data, numpy's default): the q-quantile of sorted x[0..n-1]
 * is x[i] + f (x[i+1] - x[i]) with i + f = q (n - 1). Formula and worked example:
 * docs/model.md.
 * @param values n non-negative, finite values; borrowed, not modified (sorted in a copy)
 * @param out filled in; it holds no pointers, nothing to free
 * @return TP_ERR_INVALID for n == 0 or a negative/non-finite value; TP_ERR_NOMEM
 */
TP_API tp_status tp_stats_summarize(const double *values, size_t n, tp_summary *out,
                                    tp_error *err);

/** Size of tp_model_stats.factors_from: a whole catalog entry name and the words around it. */
#define TP_FACTORS_FROM_BUF (sizeof(((tp_model_price *)0)->entry) + 64)

/** Everything known about one model's demand over a window. */
typedef struct tp_model_stats {
    /** the demand loaded; owned, freed with the stats (a tp_fleet_run model's keeps its
     * description but not its per-minute values: fleet.h) */
    tp_series *series;
    tp_summary tpm[TP_METRIC_COUNT];  /**< per metric, indexed by tp_metric */
    tp_summary effective_input;       /**< burned-down input (docs/model.md) */
    double burn_down_cache_read;      /**< the factors effective_input used */
    double burn_down_cache_write;
    const char *cache_read_from; /**< tp_pricing_factor_origin_name of each factor (static) */
    const char *cache_write_from;
    /** "catalog entry X; cache read ORIGIN", or why the defaults (0.1, 1.0) were used */
    char factors_from[TP_FACTORS_FROM_BUF];
    int coarse; /**< 1: some minutes rest on data coarser than a minute (peaks understated) */
} tp_model_stats;

/**
 * Loads q's model over q's window and computes the percentiles of every metric and of the
 * effective (burned-down) input, with the burn-down factors of the model's catalog entry, or
 * the defaults (cache read 0.1, cache write 1.0) without a catalog or without an entry.
 * @param q the model, window and tiers to load (borrowed, as in tp_series_load)
 * @param pricing the catalog for the burn-down factors, or NULL (borrowed)
 * @param out receives the stats, or NULL on failure; the caller frees them with
 *        tp_stats_model_free. They own their series and outlive the store.
 * @return tp_series_load's errors (TP_ERR_NOT_FOUND: no data in the window; TP_ERR_TOO_BIG:
 *         a window over the limit), TP_ERR_NOMEM
 */
TP_API tp_status tp_stats_model(tp_store *store, const tp_series_query *q,
                                const tp_pricing *pricing, tp_model_stats **out,
                                tp_error *err);

/** Frees stats from tp_stats_model and their series. NULL is allowed. */
TP_API void tp_stats_model_free(tp_model_stats *m);

/** A stored model (in one place) tp_stats_all leaves out, and why. */
typedef struct tp_stats_omitted {
    char *model;      /**< owned by the set */
    char *region;     /**< its place (store.h, tp_store_place; "" unknown, "*" regions
                           merged); owned by the set */
    char *account;    /**< "" unknown; owned by the set */
    char *reason;     /**< the load's error message, naming the model; owned by the set */
    tp_status status; /**< TP_ERR_NOT_FOUND: no data in the window (or tiers);
                           TP_ERR_TOO_BIG: its window is over TP_SERIES_MAX_MINUTES */
} tp_stats_omitted;

/** The stats of every stored model, one entry per place (model, region, account). */
typedef struct tp_stats_set {
    tp_model_stats *models;     /**< n, in tp_store_places' order (model, account, region),
                                     each owning its series */
    size_t n;
    tp_stats_omitted *omitted;  /**< n_omitted entries without stats, in the same order */
    size_t n_omitted;
    size_t n_stored;            /**< entries considered (places matching the query's region
                                     and account, or with merge_regions each model and
                                     account once): n + n_omitted */
} tp_stats_set;

/**
 * tp_stats_model for every model in the store, once per place it is stored in
 * (tp_store_places): a model recorded in two regions gives two entries, never one merged.
 * q->region and q->account (NULL: any; "": unknown) keep only the places they name;
 * q->merge_regions gives one entry per model and account, its regions summed. An entry
 * without data in the window (or tiers) or with a window over the limit is listed in omitted
 * with why, so that one never hides the others. An empty store, or no model with data, is not
 * an error: the set says so.
 * @param q window, tiers and place filters (borrowed); q->model: only that model's places,
 *        or NULL for every model
 * @param out receives the set, or NULL on failure; the caller frees it with
 *        tp_stats_set_free
 * @return TP_OK; any other error of tp_stats_model (TP_ERR_DB, TP_ERR_NOMEM, ...)
 */
TP_API tp_status tp_stats_all(tp_store *store, const tp_series_query *q,
                              const tp_pricing *pricing, tp_stats_set **out, tp_error *err);

/** Frees a set from tp_stats_all, every model's stats and series included. NULL is allowed. */
TP_API void tp_stats_set_free(tp_stats_set *set);

/** What tp_stats_report_compute covers. Zero-initialise, then set what you need. */
typedef struct tp_stats_request {
    const char *model;        /**< one model, or NULL for every stored model */
    int has_from, has_to;     /**< window bounds as in tp_series_query */
    int64_t from_minute, to_minute;
    const tp_window_spec *window; /**< a window per model, as in tp_series_query (borrowed) */
    const char *const *tiers; /**< resolved tiers to sum instead of the total */
    size_t n_tiers;
    const tp_pricing *pricing; /**< burn-down factors per model, or NULL for the defaults
                                    (cache read 0.1, cache write 1.0) */
    tp_series_source source;   /**< metrics or invocation logs, as in tp_series_query */
    const char *const *keys;   /**< attribution keys of invocation logs (n_keys 0: all) */
    size_t n_keys;
    /** Places to report, as in tp_series_query (NULL: any; "": unknown). Every place of each
     * model is reported apart (tp_stats_all), even of one model (req->model). */
    const char *region, *account;
    int merge_regions; /**< 1: one entry per model and account, its regions summed */
    /** 1: compare each model's invocation logs with its metric exports
     * (tp_stats_report.sources), as the text report shows them; it loads each model's demand
     * a second time, so a caller that does not show it leaves it 0 (no comparison made). */
    int compare_sources;
    /** Names request fields in the reasons of omitted models (tp_stats_omitted: a window
     * too long) in the caller's terms (common.h, tp_error_rename); NULL: the API's names. */
    tp_field_name_fn field_name;
    void *field_name_ctx;
} tp_stats_request;

/** How a model's invocation logs compare with its metric exports over the metric window. */
typedef struct tp_stats_sources {
    int both;                /**< 1: the model has both (only then are the figures set) */
    double logs_tokens;      /**< tokens in the invocation logs (of every key) */
    double metric_tokens;    /**< tokens in the metric exports */
    double logs_per_metric;  /**< logs_tokens / metric_tokens: logs cover only the Converse and
                                  InvokeModel families, so they can hold fewer tokens */
} tp_stats_sources;

/** A model's demand per service tier along one axis (tp_series_tier_demand). */
typedef struct tp_stats_tier_axis {
    int known; /**< 1: the series' dimension family tells this axis; else nothing below is set */
    int present[TP_SERVICE_COUNT]; /**< 1: the tier carries tokens in the window */
    tp_summary tpm[TP_SERVICE_COUNT][TP_METRIC_COUNT]; /**< per tier and tp_metric, where
                                                           present (zeros otherwise) */
} tp_stats_tier_axis;

/** A model's demand by service tier: the tier asked for and the tier that served. */
typedef struct tp_stats_tiers {
    tp_tier_family family;      /**< the family the series was read from */
    tp_stats_tier_axis axis[2]; /**< indexed by tp_tier_axis */
} tp_stats_tiers;

/**
 * Summarises s's demand per tier along both axes its family tells (tp_series_tier_demand),
 * every minute of the window counting, as tp_stats_summarize.
 * @param out filled in (no pointers); for a series whose values were released, known is 0
 * @return TP_OK; TP_ERR_NOMEM
 */
TP_API tp_status tp_stats_tiers_compute(const tp_series *s, tp_stats_tiers *out, tp_error *err);

/** The stats report's figures, finished for the renderer (tp_report_stats). */
typedef struct tp_stats_report {
    const tp_model_stats *models; /**< n, each with its series (owned by the report) */
    size_t n;
    const tp_stats_omitted *omitted; /**< n_omitted stored models left out, and why (owned) */
    size_t n_omitted;
    tp_stats_tiers *tiers;        /**< n: each model's demand by service tier */
    tp_stats_sources *sources;    /**< n: each model's logs/metrics comparison; none (every
                                       both 0) without req->compare_sources or when the
                                       request names attribution keys */
    /* the owners of the above: tp_stats_model's or tp_stats_all's result */
    tp_model_stats *one_;
    tp_stats_set *set_;
} tp_stats_report;

/**
 * The stats of one model (req->model: each of its places matching req->region and
 * req->account) or of every stored model, and (req->compare_sources) how
 * each model's logs compare with its metric exports. Fails as the stats report always has when no model has
 * data: an empty store is a normal state, a store with no model to show is not.
 * @param out receives the report, or NULL on failure; the caller frees it with
 *        tp_stats_report_free
 * @return TP_ERR_NOT_FOUND when the store holds no (matching) model, or none in the region
 *         and account asked for; TP_ERR_TOO_BIG when the
 *         only models with data have windows over the limit; else as tp_stats_model,
 *         tp_stats_all and tp_series_compare_sources
 */
TP_API tp_status tp_stats_report_compute(tp_store *store, const tp_stats_request *req,
                                         tp_stats_report **out, tp_error *err);

/** Frees a report from tp_stats_report_compute and everything it holds. NULL is allowed. */
TP_API void tp_stats_report_free(tp_stats_report *r);

#ifdef __cplusplus
}
#endif
#endif
