/* awscmd_logs.h - a script of `aws logs start-query` / `get-query-results` commands that
 * aggregate Bedrock invocation logs per minute, model and attribution key in CloudWatch Logs
 * Insights, for `tierplan export-cmd --source logs`. */
#ifndef TIERPLAN_AWSCMD_LOGS_H
#define TIERPLAN_AWSCMD_LOGS_H

#include <stdint.h>

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Rows one Logs Insights query returns at most. */
#define TP_AWSCMD_LOGS_MAX_ROWS 10000

/** What to export. Zero-initialise, then set. */
typedef struct tp_awscmd_logs_options {
    const char *log_group;    /**< the invocation log group (required; [A-Za-z0-9._/#-]) */
    const char *attribute_by; /**< as tp_ingest_options.attribute_by (NULL: identity); KEY of
                                   metadata:KEY is [A-Za-z0-9_] */
    int days;                 /**< days of history, 1 to 3650 */
    int64_t now_s;            /**< when the script runs: the export ends at the minute now_s
                                   falls in unless end_s is set */
    int64_t end_s;            /**< end of the export (Unix seconds, rounded down to the
                                   minute), at most now_s; 0: now_s */
    int rows_per_minute;      /**< expected (model, key) rows per minute, 1 to 9000 (0: 10):
                                   each query covers 9000 / rows_per_minute minutes, under the
                                   10,000-row limit with room to spare */
    /** The AWS region of the log group ("us-east-1", tp_store_region_valid's shape), or NULL:
     * the AWS CLI's configured region (then file names carry no region). Borrowed. */
    const char *region;
    /** The AWS CLI profile to run as (any name; passed shell-quoted), or NULL. Borrowed. */
    const char *profile;
    /** The AWS account the logs belong to (12 digits), or NULL. Borrowed. */
    const char *account;
} tp_awscmd_logs_options;

/**
 * Builds a POSIX shell script: one Logs Insights query per stretch of minutes, each started
 * with `aws logs start-query`, polled with `get-query-results` until its status is Complete
 * (a failed, cancelled or timed-out query stops the script), and saved as JSON that
 * `tierplan ingest` reads; a result at the row limit is reported as needing a smaller
 * stretch. Result files are named tierplan-logs[-REGION]-END-NNNNN.json, END the export's
 * end as YYYYMMDDTHHMMZ, so that daily exports, and two regions' exports, never overwrite
 * each other. With a region (profile) every aws command carries `--region R` (`--profile
 * 'P'`), and the closing comment's ingest command `--region R` (`--account ID` with an
 * account): the query's rows name no place, so ingest stores them where the command says.
 * The query names its columns `minute`, `modelId`, `attr_key`, `requests`,
 * `errors`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`.
 * @param out receives the script; the caller frees it with free()
 * @return TP_OK; TP_ERR_USAGE for a missing or invalid option (an end after now_s, a
 *         malformed region or account, an empty profile or one with a control character);
 *         TP_ERR_NOMEM
 */
TP_API tp_status tp_awscmd_logs_build(const tp_awscmd_logs_options *o, char **out, tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
