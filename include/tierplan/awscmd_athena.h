/* awscmd_athena.h - the Athena table over Bedrock invocation logs in S3, the query that sums
 * them per minute where they are, and the `aws athena` commands that run it, for `tierplan
 * export-cmd --source athena`. */
#ifndef TIERPLAN_AWSCMD_ATHENA_H
#define TIERPLAN_AWSCMD_ATHENA_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most accounts and most regions one table projects. */
#define TP_AWSCMD_ATHENA_MAX_PLACES 100

/** What to export. Zero-initialise, then set. Every string is checked against what it may
 * hold (docs/formats.md, "Athena"), never escaped: a value outside it is refused. */
typedef struct tp_awscmd_athena_options {
    const char *logs;      /**< where Bedrock writes the logs: s3://BUCKET[/PREFIX] (required;
                                BUCKET of [a-z0-9.-], 3 to 63; PREFIX of [A-Za-z0-9._=/-]
                                without `..` or `//`; a trailing /AWSLogs is dropped) */
    const char *database;  /**< the Athena database (required; [a-z0-9_], 1 to 128) */
    const char *table;     /**< the table (NULL: bedrock_invocation_logs; as database) */
    const char *output;    /**< where Athena writes results: s3://BUCKET[/PREFIX] (required,
                                as logs) */
    const char *workgroup; /**< the Athena workgroup (NULL: the CLI's default;
                                [A-Za-z0-9._-], 1 to 128) */
    const char *const *accounts; /**< the accounts under logs' AWSLogs/ (12 digits each) */
    size_t n_accounts;           /**< 1 to TP_AWSCMD_ATHENA_MAX_PLACES */
    const char *const *regions;  /**< the regions under each account (us-east-1 ...) */
    size_t n_regions;            /**< 1 to TP_AWSCMD_ATHENA_MAX_PLACES */
    const char *attribute_by; /**< as tp_ingest_options.attribute_by (NULL: identity); KEY of
                                   metadata:KEY is [A-Za-z0-9_] */
    int days;                 /**< days of history, 1 to 3650 */
    int64_t now_s;            /**< when the script runs: the export ends at the minute now_s
                                   falls in unless end_s is set */
    int64_t end_s;            /**< end of the export (Unix seconds, rounded down to the
                                   minute), at most now_s; 0: now_s */
} tp_awscmd_athena_options;

/**
 * Builds a POSIX shell script of three parts: (1) `CREATE EXTERNAL TABLE IF NOT EXISTS` over
 * the invocation log JSON lines (OpenX JSON SerDe; the identity, input and output structs and
 * the requestMetadata map; partition projection over
 * `AWSLogs/{account}/BedrockModelInvocationLogs/{region}/YYYY/MM/DD/HH`, nothing to load),
 * (2) the query that sums the export's minutes per minute, model, account, region and
 * attribution key (columns minute, model_id, account_id, region, key, input_tokens,
 * cache_read_tokens, cache_write_tokens, output_tokens, requests, errors), and (3) the `aws
 * athena start-query-execution` / `get-query-execution` commands that run both, waiting for
 * each to succeed, then the download of the CSV result (`aws s3 cp`, or `get-query-results`
 * JSON) as tierplan-athena-END.csv for `tierplan ingest`.
 * @param out receives the script; the caller frees it with free()
 * @return TP_OK; TP_ERR_USAGE for a missing or invalid option (naming it and what it may
 *         hold); TP_ERR_NOMEM
 */
TP_API tp_status tp_awscmd_athena_build(const tp_awscmd_athena_options *o, char **out,
                                        tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
