/* awscmd.h - ready-to-run `aws cloudwatch get-metric-data` commands for tierplan's inputs. */
#ifndef TIERPLAN_AWSCMD_H
#define TIERPLAN_AWSCMD_H

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest history CloudWatch keeps (hourly data: 455 days). */
#define TP_AWSCMD_MAX_DAYS 455

/** Most models one call exports. */
#define TP_AWSCMD_MAX_MODELS 1000

/**
 * How far back a request's StartTime may lie for each period, measured from when the
 * request runs (CloudWatch's rule: up to 15 days old, periods of 60 s; up to 63 days, 300 s;
 * older, 3600 s; a request that breaks it returns no datapoints). tierplan keeps an hour
 * short of each limit, so that a command run a little after it is printed still holds:
 * the 60 s range starts 14 d 23 h before now, the 300 s range 62 d 23 h before.
 */
#define TP_AWSCMD_AGE_60_S (15 * 86400 - 3600)
#define TP_AWSCMD_AGE_300_S (63 * 86400 - 3600)
#define TP_AWSCMD_AGE_3600_S (TP_AWSCMD_MAX_DAYS * 86400 - 3600)

/** One command's time range at one period: [from_s, to_s), Unix seconds. */
typedef struct tp_awscmd_range {
    int period_s;
    int64_t from_s, to_s;
} tp_awscmd_range;

/**
 * Splits an export of [start_s, end_s) into the ranges CloudWatch answers when asked at
 * now_s, oldest first: hourly data before now_s - TP_AWSCMD_AGE_300_S, 5-minute data before
 * now_s - TP_AWSCMD_AGE_60_S (now_s rounded down to the minute), 1-minute data after. A
 * range starts at start_s rounded down to its period, but never before its age limit (data
 * older than TP_AWSCMD_AGE_3600_S is not asked for); it ends at the next range's start, the
 * last at end_s rounded down to its period. Empty ranges are left out.
 * @param out receives up to 3 ranges
 * @return the number of ranges written
 */
TP_API size_t tp_awscmd_ranges(int64_t start_s, int64_t end_s, int64_t now_s,
                               tp_awscmd_range out[3]);

/** What tp_awscmd_build_with prints. Zero-initialise, then set what you need. */
typedef struct tp_awscmd_options {
    const char *const *models; /**< model ids, inference profile ids or ARNs
                                    ([A-Za-z0-9._:/-] only, as AWS ids are); borrowed */
    size_t n_models;           /**< 1 to TP_AWSCMD_MAX_MODELS */
    int days;                  /**< history per model, 1 to TP_AWSCMD_MAX_DAYS (0: 14) */
    int64_t now_s;             /**< when the commands run (Unix seconds): the ages count from it */
    int64_t end_s;             /**< the export's end (Unix seconds), or 0 for now_s */
    /** Per model (n_models entries, borrowed), or NULL: where its export starts in Unix
     * seconds (e.g. where the store's data ends, less an overlap); a negative entry means
     * end - days. */
    const int64_t *start_s;
    /** The AWS region to export from ("us-east-1", tp_store_region_valid's shape), or NULL:
     * the AWS CLI's configured region (then labels carry no Region= and file names no
     * region). Borrowed. */
    const char *region;
    /** The AWS CLI profile to run as (any name; passed shell-quoted), or NULL. Borrowed. */
    const char *profile;
    /** The AWS account the data belong to (12 digits), labelled Account=, or NULL. */
    const char *account;
} tp_awscmd_options;

/**
 * Builds shell commands that export each model's token metrics, one command per range of
 * tp_awscmd_ranges and model, each writing one file named
 * `tierplan-<model>[-<region>]-<end YYYYMMDDTHHMMZ>-<period>s.json` (':' and '/' of the id as
 * '_'), so that daily exports, and two regions' exports, never overwrite each other. Every
 * query carries a label tierplan reads:
 * `ModelId=<id> <Metric> Period=<s> Start=<ISO> End=<ISO>[ Region=<r>][ Account=<id>]`, its
 * range's ends (End= is the as-of ingest uses to let the most recent export win each minute;
 * Start= and End= are the span the export covers, from which `tierplan series` computes
 * coverage) and where the data were recorded (ingest stores them under that place). With a
 * region (profile), every aws command carries `--region R` (`--profile 'P'`).
 * @param out receives the commands; the caller frees it with free()
 * @return TP_OK; TP_ERR_USAGE for no model, a bad model id, days out of range, too many
 *         models, an end before 1970, a malformed region or account, an empty profile or one
 *         with a control character
 */
TP_API tp_status tp_awscmd_build_with(const tp_awscmd_options *o, char **out, tp_error *err);

/** tp_awscmd_build_with for one model, `days` days ending at now_s. */
TP_API tp_status tp_awscmd_build(const char *model, int days, int64_t now_s, char **out,
                                 tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
