/* inventory.h - what the store holds: every series' extent and minutes with data, and how much
 * of its history ingested exports covered (their requested spans). */
#ifndef TIERPLAN_INVENTORY_H
#define TIERPLAN_INVENTORY_H

#include "tierplan/common.h"
#include "tierplan/format.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A half-open span of Unix minutes [from_minute, to_minute). */
typedef struct tp_span {
    int64_t from_minute, to_minute;
} tp_span;

/** Uncovered spans shorter than this many minutes are not listed (a late export, a clock). */
#define TP_INVENTORY_GAP_MIN_MINUTES 60

/** Longest extent (first to last minute) of one series the listing reads: 100 years. */
#define TP_INVENTORY_MAX_MINUTES ((int64_t)100 * 366 * 1440)

/**
 * One stored series: a model's metric in one service tier and resolved tier, over every
 * period it was ingested at. Coverage is the share of the minutes of [first_minute,
 * end_minute) that lie inside the span some ingested export asked CloudWatch for (the
 * `Start=`/`End=` of its label, or ingest's --span-from/--span-to): CloudWatch omits idle
 * minutes, so a minute without a datapoint inside a span had no traffic, and one outside
 * every span was never exported. With no span recorded for the series the coverage is
 * unknown (coverage_known 0), never 0.
 */
typedef struct tp_series_entry {
    char *model, *metric;         /**< owned by the inventory */
    char *service_tier;           /**< "" when absent; owned by the inventory */
    char *resolved_tier;          /**< "" when absent; owned by the inventory */
    char *region, *account;       /**< where it was recorded (store.h, tp_store_place; ""
                                       unknown); owned by the inventory */
    int *periods_s;               /**< the periods it was ingested at, ascending (owned) */
    size_t n_periods;
    int64_t first_minute;         /**< first minute with data (Unix seconds / 60) */
    int64_t end_minute;           /**< end of its newest datapoint's period, exclusive */
    int64_t minutes_with_data;    /**< minutes some datapoint covers (a 300 s one covers 5) */
    int coverage_known;           /**< 0: no export of it has a span */
    double coverage;              /**< 0 to 1 when known, else NAN */
    tp_span *gaps;                /**< when known: the minutes outside every span, merged, in
                                       spans of at least TP_INVENTORY_GAP_MIN_MINUTES (owned) */
    size_t n_gaps;
} tp_series_entry;

/** Every stored series with data, by model, place (account, region: tp_store_places' order),
 * metric, service tier and resolved tier; a model's invocation log sums in a place are one
 * more entry (metric "invocation logs", resolved tier "logs", period 60 s, coverage unknown).
 * Two places of a model are listed apart: one region's coverage never fills another's gaps. */
typedef struct tp_inventory {
    tp_series_entry *entries;
    size_t n;
} tp_inventory;

/**
 * Lists the stored series with data of one model, or of every model, from one snapshot of
 * the store.
 * @param model a model id (borrowed), or NULL for every model
 * @param out receives the listing; the caller frees it with tp_inventory_free
 * @return TP_OK; TP_ERR_NOT_FOUND for a model with no stored series (the message names it
 *         and what the store holds instead); TP_ERR_TOO_BIG for a series whose extent is over TP_INVENTORY_MAX_MINUTES
 *         (the message names it); TP_ERR_DB, TP_ERR_NOMEM
 */
TP_API tp_status tp_inventory_load(tp_store *store, const char *model, tp_inventory **out,
                                   tp_error *err);

/**
 * tp_inventory_load of the places in region and account (each NULL: any; "": unknown).
 * @return as tp_inventory_load; TP_ERR_NOT_FOUND also when no series is stored in the
 *         region and account asked for (the message names them)
 */
TP_API tp_status tp_inventory_load_at(tp_store *store, const char *model, const char *region,
                                      const char *account, tp_inventory **out, tp_error *err);

/**
 * What the store holds instead of a model it does not hold, for a message: "did you mean
 * us.x? models in the store: a, b" (the ids that differ from model only by a cross-region
 * prefix, then the first 20 stored models), or "the database holds no data yet (tierplan ingest
 * loads some)".
 * @param model the id asked for (borrowed)
 * @param out receives the text; the caller frees it with free()
 * @return TP_OK; TP_ERR_DB, TP_ERR_NOMEM
 */
TP_API tp_status tp_inventory_suggest(tp_store *store, const char *model, char **out,
                                      tp_error *err);

/** Frees a listing and everything in it. NULL is allowed. */
TP_API void tp_inventory_free(tp_inventory *inv);

/** Uncovered spans the text listing shows per series (JSON and CSV list them all). */
#define TP_INVENTORY_TEXT_GAPS 5

/** How much of a window ingested exports covered. A plain value. */
typedef struct tp_coverage {
    int known;               /**< 0: none of the series has a recorded span */
    int64_t minutes;         /**< minutes of the window */
    int64_t covered_minutes; /**< minutes of it inside some export's span (0 when unknown) */
    double share;            /**< covered_minutes / minutes, 0 to 1; NAN when unknown */
} tp_coverage;

/**
 * The coverage of a model's token metrics (input, output, cache read, cache write; every
 * tier and period) over [from_minute, to_minute): the share of the window's minutes inside
 * the span of some ingested export of any of them, as in tp_series_entry. A gate such as
 * `tierplan check --fail-coverage-below` passes the window a recommendation was sized on
 * (tp_series_from_minute, + tp_series_minutes).
 * @param model borrowed
 * @param out receives the coverage; known is 0 when no span of the model is recorded (data
 *        ingested before schema version 3, CSV, labels without Start=/End=)
 * @return TP_OK; TP_ERR_USAGE when to_minute <= from_minute; TP_ERR_DB, TP_ERR_NOMEM
 */
TP_API tp_status tp_inventory_coverage(tp_store *store, const char *model, int64_t from_minute,
                                       int64_t to_minute, tp_coverage *out, tp_error *err);

/** tp_inventory_coverage of the model's data recorded in region and account (each NULL: any;
 * "": unknown), as in tp_store_place. */
TP_API tp_status tp_inventory_coverage_at(tp_store *store, const char *model, const char *region,
                                          const char *account, int64_t from_minute,
                                          int64_t to_minute, tp_coverage *out, tp_error *err);

/**
 * tp_inventory_coverage_at of n_windows consecutive windows of window_minutes each, the first
 * starting at from_minute, with the model's spans read once (a projection classifies each day
 * of a history: one call instead of one per day).
 * @param covered_minutes caller's array of n_windows; entry k receives the covered minutes of
 *        [from_minute + k * window_minutes, from_minute + (k + 1) * window_minutes), 0 when
 *        unknown
 * @param known receives 0 when no span of the model is recorded, as tp_coverage.known
 * @return TP_OK; TP_ERR_USAGE when window_minutes <= 0; TP_ERR_DB, TP_ERR_NOMEM
 */
TP_API tp_status tp_inventory_coverage_windows_at(tp_store *store, const char *model,
                                                  const char *region, const char *account,
                                                  int64_t from_minute, int64_t window_minutes,
                                                  size_t n_windows, int64_t *covered_minutes,
                                                  int *known, tp_error *err);

/**
 * Where a model's stored token data ends: the end (exclusive, Unix minutes) of its newest
 * datapoint's period over its token metrics, every tier and period (`export-cmd
 * --since-store` starts the next export there, less an overlap).
 * @param found receives 0 when the model has no token data (then *end_minute is 0)
 * @return TP_OK; TP_ERR_DB, TP_ERR_NOMEM
 */
TP_API tp_status tp_inventory_model_end(tp_store *store, const char *model, int64_t *end_minute,
                                        int *found, tp_error *err);

/** tp_inventory_model_end of the model's data recorded in region and account (each NULL: any;
 * "": unknown): where `export-cmd --since-store --region R` starts. */
TP_API tp_status tp_inventory_model_end_at(tp_store *store, const char *model,
                                           const char *region, const char *account,
                                           int64_t *end_minute, int *found, tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
