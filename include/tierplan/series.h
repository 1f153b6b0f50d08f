/* series.h - a model's demand as zero-filled per-minute arrays, loaded from the store. */
#ifndef TIERPLAN_SERIES_H
#define TIERPLAN_SERIES_H

#include "tierplan/common.h"
#include "tierplan/metric.h"
#include "tierplan/store.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where a model's demand comes from (docs/model.md, "Metrics or logs"). */
typedef enum tp_series_source {
    TP_SOURCE_AUTO = 0, /**< metrics where the model has metric data in the window, else
                             invocation logs: never both in one series */
    TP_SOURCE_METRICS,  /**< CloudWatch metric exports only */
    TP_SOURCE_LOGS      /**< invocation log sums only */
} tp_series_source;

/**
 * What to load. Zero-initialise, then set model (and anything else). The caller owns the
 * strings; tp_series_load reads them during the call only.
 */
typedef struct tp_series_query {
    const char *model;         /**< required */
    int has_from, has_to;      /**< set to use from_minute / to_minute */
    int64_t from_minute;       /**< first minute of the window (Unix seconds / 60), inclusive */
    int64_t to_minute;         /**< end of the window, exclusive */
    const char *const *tiers;  /**< resolved tiers to sum instead of the model's total (in
                                    the ServiceTier family: the tiers asked for) */
    size_t n_tiers;            /**< 0: the total, or the sum of all tiers when no total */
    /** The window as the user gave it (timestamp.h), or NULL; used only when has_from and
     * has_to are both 0. Its relative bounds are anchored at its now when it has one, else
     * at the end of the model's data (of the series chosen). Borrowed for the call. */
    const tp_window_spec *window;
    tp_series_source source;   /**< TP_SOURCE_AUTO unless set */
    const char *const *keys;   /**< attribution keys of invocation logs to sum (implies logs;
                                    TP_ERR_USAGE with TP_SOURCE_METRICS) */
    size_t n_keys;             /**< 0: every key */
    /** Where (store.h, tp_store_place): NULL matches any region (any account). A model
     * recorded in more than one place loads only with the place named (TP_ERR_USAGE naming
     * the places stored and the options to pass), unless merge_regions. "" names the
     * unknown place. Borrowed. */
    const char *region, *account;
    /** 1: sum the model's traffic over the regions it was recorded in (one account): one
     * reservation for a cross-region inference profile (docs/model.md says when that is
     * right). */
    int merge_regions;
} tp_series_query;

/**
 * The query with its window resolved: a copy of q whose has_from/has_to/from_minute/to_minute
 * are q->window's bounds, relative ones anchored at q->window's now, else at data_end_minute
 * (the end of the model's data). Unchanged when q->window is NULL or q has has_from/has_to.
 * @param out receives the copy (its pointers are q's)
 * @return TP_OK; TP_ERR_USAGE for a bound before 1970, or an end not after the start
 *         (the message names both, as resolved)
 */
TP_API tp_status tp_series_query_resolve(const tp_series_query *q, int64_t data_end_minute,
                                         tp_series_query *out, tp_error *err);

/** A loaded window of per-minute demand. Opaque; free with tp_series_free. */
typedef struct tp_series tp_series;

/** Maximum window loaded at once: 3 years of minutes bounds memory (~50 MB). */
#define TP_SERIES_MAX_MINUTES ((size_t)3 * 366 * 1440)

/**
 * Loads the model's demand over the window, from metric exports or invocation logs as
 * q->source says (logs: the per-minute sums of the keys asked for; their sources read
 * "invocation logs"; they name no ingests). Minutes with no datapoint are zero (CloudWatch
 * omits idle minutes); a coarse datapoint (period > 60 s) is spread evenly over its minutes;
 * where two resolutions cover a minute the finer one is used. Without has_from/has_to the
 * window runs from the model's first to its last minute with data, inclusive.
 *
 * The demand is read from one dimension family (tp_tier_family), never from two: of the
 * families stored in the window, the one storing the most token metrics, of those the most
 * detailed (both tiers > ServiceTier alone > ResolvedServiceTier alone > the total); each
 * metric is the sum of that family's parts, which tp_series_tier_demand and
 * tp_series_tier_pair_demand give (docs/model.md, "Dimension families"). With tiers set,
 * only that family's series of those resolved tiers are summed (of those ServiceTiers in the
 * ServiceTier family, which has no resolved tier); the total does not qualify then.
 *
 * @param out receives the series, or NULL on failure; the caller frees it with
 *        tp_series_free. It owns all its data and outlives the store.
 * @return TP_OK; TP_ERR_NOT_FOUND when the model has no token data (in the window);
 *         TP_ERR_USAGE for no model or an empty window; TP_ERR_TOO_BIG for a window over
 *         TP_SERIES_MAX_MINUTES (the message names the model and the window's ends: the
 *         default window is the model's own span, so a stray point of another model does
 *         not matter); TP_ERR_DB when SQLite fails or a stored day row is corrupt
 *         (the message names the metric, model and date)
 */
TP_API tp_status tp_series_load(tp_store *store, const tp_series_query *q, tp_series **out,
                                tp_error *err);

/**
 * Compares the two sources of a model over a window: the tokens (input, output, cache read
 * and write) its invocation logs and its metric exports hold there. Logging covers only the
 * Converse and InvokeModel families, so a ratio under 1 is expected where other APIs are used.
 * @param q model and window (source, keys and tiers are ignored)
 * @param out_both receives 1 when both sources hold tokens in the window, else 0
 * @param out_logs_tokens, out_metric_tokens receive the sums (when *out_both)
 * @return TP_OK; TP_ERR_DB
 */
TP_API tp_status tp_series_compare_sources(tp_store *store, const tp_series_query *q,
                                           int *out_both, double *out_logs_tokens,
                                           double *out_metric_tokens, tp_error *err);

/** The region the series was loaded for ("" unknown; "*" when regions were merged); owned
 * by s, valid until tp_series_free. */
TP_API const char *tp_series_region(const tp_series *s);
/** The account the series was loaded for ("" unknown); owned by s. */
TP_API const char *tp_series_account(const tp_series *s);

/**
 * Whether a demand of model in region (as tp_series_region names it) sums several regions of
 * a model bought per region: region "*" (merge_regions) and a model id that is not a
 * cross-region inference profile (no "us.", "eu.", "apac." or "global." prefix), which
 * docs/model.md ("Merged regions") says is wrong to size on the sum. When so, writes a warning
 * naming the model and account into buf (size bytes, NUL-terminated; may be NULL).
 * @return 1 when so, else 0
 */
TP_API int tp_series_merge_warning(const char *model, const char *region, const char *account,
                                   char *buf, size_t size);

/** Frees a series and every array and string it handed out. NULL is allowed. */
TP_API void tp_series_free(tp_series *s);

/** The model id the series was loaded for; owned by s, valid until tp_series_free. */
TP_API const char *tp_series_model(const tp_series *s);
/** First minute of the window (Unix seconds / 60). */
TP_API int64_t tp_series_from_minute(const tp_series *s);
/** Number of minutes in the window; every array has this length. */
TP_API size_t tp_series_minutes(const tp_series *s);
/** Minutes of the window that some stored datapoint covers (in any token metric). */
TP_API size_t tp_series_minutes_with_data(const tp_series *s);
/**
 * The minutes of the window that neither source covers, read as zero demand: outside every
 * span a metric export asked CloudWatch for (or, for a series with no recorded span, outside
 * its first to last point), and outside the first to last minute of the invocation logs read
 * (docs/model.md, "Metrics or logs"). A planner should not size on them unknowingly.
 * @param spans receives the runs of such minutes, merged, ascending (owned by s; NULL when
 *        none); may be NULL
 * @param n_spans receives their count; may be NULL
 * @return the number of such minutes (0 when every minute is covered)
 */
TP_API int64_t tp_series_uncovered(const tp_series *s, const tp_window **spans,
                                   size_t *n_spans);
/** Minutes whose demand came from invocation logs in a series read from metric exports (the
 * minutes no export covers, docs/model.md): 0 when none, or when the series is logs only. */
TP_API size_t tp_series_log_minutes(const tp_series *s);
/**
 * Per-minute tokens (= TPM) of metric m, tp_series_minutes long; owned by s, valid until
 * tp_series_free (NULL for an unknown m, and for the series of a tp_fleet_run model, whose
 * values are released once it is sized: see fleet.h).
 */
TP_API const double *tp_series_values(const tp_series *s, tp_metric m);
/**
 * Which series made up metric m, named with their family: "total", "resolved_tier:
 * default, priority", "service_tier+resolved_tier: reserved/default, reserved/reserved",
 * "invocation logs" or "none";
 * owned by s, valid until tp_series_free ("" for an unknown m).
 */
TP_API const char *tp_series_sources(const tp_series *s, tp_metric m);

/**
 * Ids of the ingests (rows of the ingests table) whose points the series holds, ascending:
 * what an audit of a figure computed from this series rests on.
 * @param n receives the count; the array is owned by s, valid until tp_series_free
 */
TP_API const int64_t *tp_series_ingests(const tp_series *s, size_t *n);

/**
 * Resolution entry i of metric m: how many window minutes came from data of period_s.
 * Entries are ordered by period; uncovered minutes are not listed.
 * @param period_s, minutes receive the entry when i < n (each may be NULL)
 * @return number of entries (call with i = 0 to learn it); 0 for an unknown m
 */
TP_API size_t tp_series_resolution(const tp_series *s, tp_metric m, size_t i, int *period_s,
                                   size_t *minutes);

/** Per-minute demand: four arrays of n minutes (tokens per minute). Borrows the arrays. */
typedef struct tp_demand {
    const double *input_tpm, *output_tpm, *cache_read_tpm, *cache_write_tpm;
    size_t minutes;
    int64_t from_minute; /**< Unix minute of element 0 (for the trace's timestamps) */
} tp_demand;

/**
 * The demand of a loaded series. The arrays are s's own (nothing is copied): valid until
 * tp_series_free(s), and never freed through the demand. For a fleet model's series (values
 * released, fleet.h) the arrays are NULL, and tp_simulate_run, tp_recommend_run and tp_whatif_apply
 * refuse such a demand with TP_ERR_USAGE.
 */
TP_API tp_demand tp_series_demand(const tp_series *s);

/**
 * A Bedrock service tier, as a request asks for it (CloudWatch dimension ServiceTier) or as
 * it was served (ResolvedServiceTier): a reserved request beyond the reservation resolves to
 * default. The on-demand quota is shared by priority, default and flex.
 */
typedef enum tp_service_tier {
    TP_SERVICE_RESERVED = 0,
    TP_SERVICE_PRIORITY,
    TP_SERVICE_DEFAULT, /**< Standard */
    TP_SERVICE_FLEX,
    TP_SERVICE_COUNT
} tp_service_tier;

/** "reserved", "priority", "default" or "flex": a static string, "?" for an unknown t. */
TP_API const char *tp_series_tier_name(tp_service_tier t);

/**
 * Parses a tier name as CloudWatch writes it ("reserved", "priority", "default", "flex";
 * "standard" is accepted for default; case-insensitive) into *out.
 * @return TP_ERR_USAGE naming the accepted names for anything else
 */
TP_API tp_status tp_series_tier_parse(const char *name, tp_service_tier *out, tp_error *err);

/**
 * Which family of dimensions a series' demand was read from. The families are views of the
 * same traffic, never summed together: per model and window the most detailed one stored is
 * used (docs/model.md, "Service tiers").
 */
typedef enum tp_tier_family {
    TP_FAMILY_TOTAL = 0, /**< ModelId alone (or invocation logs): tiers unknown */
    TP_FAMILY_SERVICE,   /**< by ServiceTier: the tier asked for */
    TP_FAMILY_RESOLVED,  /**< by ResolvedServiceTier: the tier that served */
    TP_FAMILY_BOTH       /**< by ServiceTier and ResolvedServiceTier */
} tp_tier_family;

/** "total", "service_tier", "resolved_tier" or "service_tier+resolved_tier": static. */
TP_API const char *tp_series_family_name(tp_tier_family f);

/** The family s's demand was read from. */
TP_API tp_tier_family tp_series_family(const tp_series *s);

/** Along which dimension tp_series_tier_demand splits traffic. */
typedef enum tp_tier_axis {
    TP_AXIS_ASKED = 0, /**< ServiceTier */
    TP_AXIS_SERVED     /**< ResolvedServiceTier */
} tp_tier_axis;

/**
 * The demand of the traffic in tier t along axis. *known receives 1 when s's family tells
 * that axis (then a tier without traffic has all-zero arrays), else 0 and the arrays are
 * NULL. The arrays are s's own, valid until tp_series_free (NULL for a fleet model's
 * released series).
 */
TP_API tp_demand tp_series_tier_demand(const tp_series *s, tp_tier_axis axis,
                                       tp_service_tier t, int *known);

/**
 * The demand of the traffic that asked for `asked` and was served in `served` (only the
 * family TP_FAMILY_BOTH tells it: else *known is 0 and the arrays NULL). E.g. asked reserved,
 * served default: a held reservation's overflow.
 */
TP_API tp_demand tp_series_tier_pair_demand(const tp_series *s, tp_service_tier asked,
                                            tp_service_tier served, int *known);

/** Per-minute demand split by the tier the traffic asks for: what routing decides on. */
typedef struct tp_tier_demand {
    tp_demand tier[TP_SERVICE_COUNT]; /**< arrays NULL where the window has no such traffic */
    size_t minutes;
    int64_t from_minute;
    tp_tier_family family; /**< where the split came from */
} tp_tier_demand;

/**
 * The demand of s by the tier each token asked for: ServiceTier when the family has it;
 * else ResolvedServiceTier as its stand-in (reserved overflow then reads as default); for
 * the family TP_FAMILY_TOTAL all traffic is default. Borrows s's arrays, as
 * tp_series_demand.
 */
TP_API tp_tier_demand tp_series_route_demand(const tp_series *s);

#ifdef __cplusplus
}
#endif
#endif
