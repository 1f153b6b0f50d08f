/* snapshot.h - what a recommendation says, as a snapshot: read back from a recommend or
 * report JSON, or taken from a fleet, and whether two are comparable (diff.h compares them). */
#ifndef TIERPLAN_SNAPSHOT_H
#define TIERPLAN_SNAPSHOT_H

#include "tierplan/common.h"
#include "tierplan/fleet.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest JSON file tp_snapshot_load reads (cJSON parses whole documents): a report of a
 * thousand models is a few MB. */
#define TP_SNAPSHOT_MAX_BYTES (64 * 1024 * 1024)

/** Size of a snapshot's short strings (timestamps, option names, the catalog hash). */
#define TP_SNAPSHOT_WORD 72

/** One model of a snapshot: the recommended reservation and the options that shaped it. */
typedef struct tp_snapshot_model {
    char *model;                  /**< owned by the snapshot */
    /** Where it was recorded ("" unknown, "*" regions merged): the output's "region" and
     * "account", "" in an output from before regions (its models were all the unknown place) */
    char region[TP_SNAPSHOT_WORD], account[TP_SNAPSHOT_WORD];
    int sized;                    /**< 0: listed without data (figures are NAN) */
    double input_tpm, output_tpm; /**< the recommended reservation */
    double cost_per_month_usd;    /**< its total cost per month of 730 hours */
    double savings_per_month_usd;
    double utilization_input_pct, utilization_output_pct; /**< NAN when nothing is reserved */
    double spill_minutes, spill_minutes_pct, throttled_minutes;
    /** The flat region around the recommendation ("recommended.flat_region": the sizes
     * within 0.5% of its cost, tp_recommendation): has_flat 0 where the output has none */
    int has_flat;
    double flat_input_tpm[2], flat_output_tpm[2];
    char window_from[TP_SNAPSHOT_WORD], window_to[TP_SNAPSHOT_WORD]; /**< ISO 8601, or "" */
    double window_minutes, minutes_with_data;
    double coverage_pct;          /**< share of the window inside exported spans (a report's
                                       "coverage_pct"), in %; NAN: unknown */
    /* what shaped the figures, compared before two snapshots are */
    int term_months;
    char spill_to[TP_SNAPSHOT_WORD], spill_model[TP_SNAPSHOT_WORD];
    double quota_tpm;             /**< NAN: none */
    double scale, cache_hit_delta; /**< the what-if */
    int service_level;            /**< 1: sized under a service level (a "slo" candidate) */
    /** A model sold in units (a report's "units_plan", tp_fleet_model.in_units): units the
     * count of its recommended term units_term ("1_month", ...); it reserves no TPM (input and
     * output 0, utilization NAN, term_months 0). A Bedrock model: units NAN, units_term "". */
    double units;
    char units_term[TP_SNAPSHOT_WORD];
    /** A two-pool model (openai-scale, xai; the report's "units_plan.pools"): `units` is its
     * input units and this its output units. NAN otherwise. */
    double output_units;
} tp_snapshot_model;

/** A recommend or report output read back, or a fleet's figures. */
typedef struct tp_snapshot {
    char *source;                 /**< file name, or "this run" (owned) */
    int from_report;              /**< 1: a report (it has the options block), 0: recommend */
    char pricing_sha256[TP_SNAPSHOT_WORD];
    /** Report options beyond each model's own: NAN / "" where the snapshot has none. */
    double max_spill_minutes_pct, max_throttled_minutes;
    char tiers[256];              /**< the --tier list joined with ",", "" for the total */
    tp_snapshot_model *models;    /**< n, in the output's order */
    size_t n;
} tp_snapshot;

/**
 * Reads a snapshot from JSON held in memory: a `tierplan report --format json` output
 * ({"options","pricing","models":[...],"fleet"}) or a `tierplan recommend --format json`
 * output (one model). Anything else (a seasonal plan, stats) is TP_ERR_INVALID naming the
 * file and what it is not; a missing or mistyped figure names its JSON path.
 * @param name the file name for messages (borrowed, copied into the snapshot)
 * @param out receives the snapshot; the caller frees it with tp_snapshot_free
 * @return TP_ERR_PARSE, TP_ERR_INVALID, TP_ERR_TOO_BIG over TP_SNAPSHOT_MAX_BYTES, TP_ERR_NOMEM
 */
TP_API tp_status tp_snapshot_parse(const char *name, const char *json, size_t len,
                                   tp_snapshot **out, tp_error *err);

/** Reads and parses the file at path (TP_ERR_IO when it cannot be read). */
TP_API tp_status tp_snapshot_load(const char *path, tp_snapshot **out, tp_error *err);

/**
 * Takes the snapshot of a fleet just sized (what its report JSON would say).
 * @param out receives the snapshot; the caller frees it with tp_snapshot_free
 */
TP_API tp_status tp_snapshot_from_fleet(const tp_fleet *f, tp_snapshot **out, tp_error *err);

/**
 * Keeps only the entries of s recorded in region and account (`tierplan diff --region
 * --account`), in their order; the others are freed. An entry of regions merged (region "*")
 * is of no one region: a region filter drops it, an account filter keeps it by its account.
 * @param region "" for the unknown place, NULL for any
 * @param account "" for the unknown place, NULL for any
 */
TP_API void tp_snapshot_filter(tp_snapshot *s, const char *region, const char *account);

/** Frees a snapshot. NULL is allowed. */
TP_API void tp_snapshot_free(tp_snapshot *s);

/** The model's entry of s at its unknown place (tp_snapshot_find_at(s, model, "", "")), or
 * NULL (borrowed from s). */
TP_API const tp_snapshot_model *tp_snapshot_find(const tp_snapshot *s, const char *model);

/** The model's entry of s recorded in region and account ("" unknown, region "*" merged), or
 * NULL (borrowed from s): entries are matched by model, region and account, so a model that
 * moved from the unknown place to a region is a different entry (removed, then added). */
TP_API const tp_snapshot_model *tp_snapshot_find_at(const tp_snapshot *s, const char *model,
                                                    const char *region, const char *account);

/**
 * Whether two snapshots' figures for one model can be compared: the same price catalog (its
 * sha256), the same term, spill handling, quota and what-if, a service level in both or in
 * neither, and (when both are reports) the same service levels and tiers. The window is not compared: it moves with the data.
 * @param why receives what differs (old and new value) when they cannot (size > 0)
 * @return 1 when comparable, 0 when not
 */
TP_API int tp_snapshot_comparable(const tp_snapshot *old_s, const tp_snapshot_model *old_m,
                                  const tp_snapshot *new_s, const tp_snapshot_model *new_m,
                                  char *why, size_t size);

#ifdef __cplusplus
}
#endif

#endif
