/* ingest.h - load CloudWatch exports (get-metric-data, get-metric-statistics), CSV,
 * invocation logs, query results and other providers' metric exports. */
#ifndef TIERPLAN_INGEST_H
#define TIERPLAN_INGEST_H

#include <stdio.h>

#include "tierplan/common.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default cap on one input (file, stream or buffer). Ingest's peak memory is at most 12x the
 * largest input + 64 MiB (docs/formats.md, "Limits"), so the cap bounds memory. Override
 * with tp_ingest_options.max_file_bytes. */
#define TP_INGEST_DEFAULT_MAX_BYTES ((size_t)256 << 20)

/** The longest modelId and attribution key of an invocation log record (or Logs Insights
 * row), in bytes as read: Bedrock's own limit on a model id or ARN is 2,048 characters. A
 * record with a longer one is refused (counted in tp_ingest_summary.log_too_long, warned
 * about), never cut: a cut id would merge distinct models or keys. */
#define TP_INGEST_MAX_ID_BYTES 2048

/** Options of one ingest command. Zero-initialise, then set what you need. */
typedef struct tp_ingest_options {
    const char *model;     /**< model id for every series, or NULL: from `ModelId=` in labels */
    const char *metric;    /**< metric name for every series, or NULL: from labels */
    const char *tier;      /**< resolved service tier for every series, or NULL */
    /** Where the data was recorded (store.h, tp_store_place; docs/user-guide.md, "Regions
     * and accounts"): the AWS region ("us-east-1") and account (12 digits) of every series,
     * or NULL: from the label's `Region=` and `Account=` words, the CSV's region and account
     * columns, an invocation log record's region and accountId (else its S3 path), else
     * unknown. A label or column that names another value than these is refused
     * (TP_ERR_INVALID, naming the input and both values). */
    const char *region, *account;
    int period_s;          /**< period of the data in seconds (multiple of 60), or 0: from
                                `Period=` in labels, else 60 when the smallest gap between a
                                series' timestamps is 60 s; any other series is refused
                                (TP_ERR_INVALID, "period ambiguous") */
    int64_t as_of_s;       /**< when the data was exported (Unix seconds), or 0: each series
                                is as of the `End=` of its label, else this, else its last
                                timestamp + period. Where stored data and new data differ in
                                a minute, the higher as-of wins, then the larger value
                                (docs/formats.md, "As-of") */
    int64_t span_from_s, span_to_s; /**< the span [from, to) (Unix seconds) every input of
                                   the command asked CloudWatch for, recorded per series for
                                   coverage (tierplan series); both 0: each series' label
                                   `Start=` and `End=` when it has both, else none */
    size_t max_file_bytes; /**< cap per input (file, stream or buffer), 0 for
                                TP_INGEST_DEFAULT_MAX_BYTES */
    tp_warn_fn warn;       /**< receives warnings, or NULL to drop them */
    void *warn_ctx;
    const char *attribute_by; /**< invocation logs: the attribution key of each record,
                                   "identity" (NULL: the default; an assumed-role session is
                                   cut to its role), "operation", "region" or "metadata:KEY"
                                   (requestMetadata's KEY; at most 1,000 keys per model, the
                                   rest are folded into "other" with a warning) */
    /** Query results (Logs Insights, Athena; docs/formats.md, "Query results"): n_fields
     * strings "ROLE=NAME", each naming the column of a role (time, model, input_tokens,
     * output_tokens, cache_read_tokens, cache_write_tokens, key, region, account, requests)
     * by its exact name, in place of the names recognised for that role. model (above) is
     * then the model of rows without one. Borrowed: must outlive the ingest. */
    const char *const *fields;
    size_t n_fields;
    /** Names request fields in the warnings in the caller's terms (common.h,
     * tp_error_rename); NULL: the API's names. */
    tp_field_name_fn field_name;
    void *field_name_ctx;
} tp_ingest_options;

/** What one input contributed. A plain value: nothing in it needs freeing. */
typedef struct tp_ingest_summary {
    const char *format;   /**< "get-metric-data", "get-metric-statistics", "mixed" (JSON
                               documents of both), "csv", "invocation-log",
                               "logs-insights", "athena-csv", "athena-json",
                               "azure-monitor", "gcp-monitoring" or "openai-usage"; static,
                               NULL if never decoded */
    int64_t ingest_id;    /**< its row in the ingests table */
    size_t documents;     /**< JSON documents in the file (1 for CSV) */
    size_t points;        /**< datapoints read */
    size_t series;        /**< distinct series written */
    size_t inserted;      /**< points new to the store */
    size_t replaced;      /**< points whose stored value changed (newer as-of, or the same
                               as-of and a larger value) */
    size_t unchanged;     /**< points already stored with the same value */
    size_t kept_newer;    /**< points whose stored value was kept: it is as of a later
                               export (or the same one with a larger value) */
    int64_t first_minute; /**< first minute (Unix seconds / 60) with data, if points > 0 */
    int64_t last_minute;  /**< last minute with data (start of the last period) */
    char sha256[65];      /**< content hash, lowercase hex (of the raw bytes: gzip as read) */
    /* Invocation logs only (docs/formats.md, "Invocation logs"): points counts the minute
     * sums added (one per minute, model and key, or more where sums were flushed early). */
    size_t records;        /**< records read: log_stored + log_malformed +
                                log_unknown_schema + log_too_long */
    size_t log_errors;     /**< records with an errorCode: requests with no tokens */
    size_t log_no_tokens;  /**< other records without token counts: requests, no tokens */
    size_t log_unknown_schema; /**< records of an unknown schemaVersion: skipped */
    size_t log_malformed;  /**< lines or records that are not a record: skipped */
    size_t log_folded;     /**< records whose metadata key was folded into "other" */
    int duplicate;         /**< the object was ingested before: nothing was added */
    size_t log_stored;     /**< records added to the sums (errors, no_tokens and folded
                                among them) */
    size_t log_too_long;   /**< records refused: modelId or attribution key over
                                TP_INGEST_MAX_ID_BYTES */
    /** Query results: the columns no row used (not recognised, or a role's second column),
     * NUL-separated, as many as fit: n_ignored_listed of n_ignored_columns */
    char ignored_columns[512];
    size_t n_ignored_columns, n_ignored_listed;
} tp_ingest_summary;

/** One ingest command: a single transaction over any number of inputs. Opaque; created by
 * tp_ingest_begin, freed by tp_ingest_free. Use it from one thread at a time. */
typedef struct tp_ingest tp_ingest;

/**
 * Starts an ingest command on store. Its one write transaction (BEGIN IMMEDIATE) begins when
 * the first input has been read and decoded and is about to be stored, waiting up to the
 * store's busy timeout for another writer, and lasts until tp_ingest_commit: nothing is
 * visible to other connections before, and readers are never blocked.
 * @param store borrowed: must stay open until tp_ingest_free
 * @param opts copied shallowly (may be NULL for defaults): its strings, warn and warn_ctx
 *        must outlive the ingest
 * @param out receives the ingest (NULL on failure); the caller frees it with tp_ingest_free,
 *        which rolls back if uncommitted
 * @return TP_OK; TP_ERR_USAGE for an invalid opts.period_s, a negative opts.as_of_s, an
 *         unknown opts.metric, or an opts.model or opts.tier that is not UTF-8 or holds
 *         control characters;
 *         a malformed opts.region or opts.account (tp_store_region_valid,
 *         tp_store_account_valid);
 *         TP_ERR_NOMEM (a locked database is met by the first input stored: TP_ERR_DB there)
 */
TP_API tp_status tp_ingest_begin(tp_store *store, const tp_ingest_options *opts,
                                 tp_ingest **out, tp_error *err);

/**
 * Ingests one file. The format is detected from the content. Bedrock model invocation logs
 * (JSON lines, a record or an array of records, gzip or plain) and query results (Logs
 * Insights' of any query, Athena's CSV and get-query-results JSON; docs/formats.md, "Query
 * results") are recognised by their first 64 KiB and streamed: not read whole, not capped by
 * opts.max_file_bytes (one record is capped at 16 MiB); their per-minute sums are added once
 * per object, an object ingested before is a no-op (summary->duplicate), and records that are
 * skipped or lack tokens are counted in the summary and warned about through opts.warn
 * (docs/formats.md, "Invocation logs"). The path is only ever opened
 * as a file: "-" is a file called "-" (read standard input with tp_ingest_stream).
 * On error the message names the file and the JSON path or CSV line; the whole command must
 * then be abandoned with tp_ingest_free (later calls fail), so nothing of it is stored.
 * @param path borrowed for the call
 * @param summary receives what the file contributed (may be NULL); its format points at a
 *        static string, nothing in it needs freeing
 * A regular file over opts.max_file_bytes is refused by its size before it is read; a FIFO
 * or device (a `<(aws ...)` pipe, /dev/zero) is read up to the cap and refused past it.
 * Points more than 400 days from the rest of their series (in the input or the store) are
 * warned about through opts.warn.
 * @return TP_OK; TP_ERR_NOT_FOUND when records or rows of logs were read and none could be
 *         stored (the message names the commonest reason and its fix, and the input is not
 *         recorded: abandon the command as for any error);
 *         TP_ERR_IO when it cannot be opened or read, or is a directory;
 *         TP_ERR_TOO_BIG over opts.max_file_bytes; TP_ERR_PARSE (also a NUL byte in a CSV
 *         line, a JSON key given twice in one object), TP_ERR_INVALID (also a value over 1e12
 *         per minute of its period, a model id, tier or metric name that is not UTF-8 or
 *         holds control characters, a malformed region or account, a Region= or Account= that
 *         disagrees with opts), TP_ERR_CONFLICT for bad
 *         content (also data of a model without a region into a database that holds the model
 *         under a region: the message names the regions stored and says to pass a region); TP_ERR_DB, TP_ERR_NOMEM; TP_ERR_USAGE when the command already failed
 *         or was committed
 */
TP_API tp_status tp_ingest_file(tp_ingest *ing, const char *path, tp_ingest_summary *summary,
                                tp_error *err);

/**
 * Ingests n files in order, as n calls of tp_ingest_file would, but decodes file i + 1 on a
 * second thread while file i is stored. On error the message names the failing file, and
 * the command must be abandoned as with tp_ingest_file.
 * @param paths n paths, borrowed for the call
 * @param summaries receives n summaries (may be NULL); entries after a failure are unset
 * @return as tp_ingest_file, for the first file that fails
 */
TP_API tp_status tp_ingest_files(tp_ingest *ing, const char *const *paths, size_t n,
                                 tp_ingest_summary *summaries, tp_error *err);

/**
 * Ingests everything that can be read from a stream (standard input, a pipe, fmemopen ...)
 * as if it were a file called name (invocation logs are streamed as by tp_ingest_file and
 * known by the sha256 of their bytes): reads it to its end, refusing more than
 * opts.max_file_bytes as it reads (TP_ERR_TOO_BIG, naming name, without reading further),
 * then decodes and stores it as tp_ingest_file does. Runs on the calling thread. On error
 * the command must be abandoned as with tp_ingest_file.
 * @param name names the input in messages, summaries and the ingests table, e.g. "<stdin>";
 *        borrowed for the call
 * @param in borrowed: read from its current position, not closed
 * @param summary receives what the stream contributed (may be NULL)
 * @return as tp_ingest_file (TP_ERR_IO for a read error)
 */
TP_API tp_status tp_ingest_stream(tp_ingest *ing, const char *name, FILE *in,
                                  tp_ingest_summary *summary, tp_error *err);

/**
 * Ingests an in-memory input as if it were a file called name. data need not be terminated.
 * On error the command must be abandoned as with tp_ingest_file.
 * @param name borrowed for the call
 * @param data len bytes, borrowed for the call (not kept)
 * @param summary receives what the input contributed (may be NULL)
 * @return as tp_ingest_file (TP_ERR_TOO_BIG when len is over opts.max_file_bytes)
 */
TP_API tp_status tp_ingest_buffer(tp_ingest *ing, const char *name, const char *data,
                                  size_t len, tp_ingest_summary *summary, tp_error *err);

/**
 * The inputs a path stands for: a directory (a synced S3 prefix of invocation logs,
 * `[prefix/]AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/`) is walked
 * recursively in name order, skipping hidden entries, `data` folders (bodies of large
 * requests) and the `amazon-bedrock-logs-permission-check` object; anything else stands for
 * itself.
 * @param path borrowed for the call
 * @param out receives *out_n paths (none for an empty directory); the caller frees them with
 *        tp_strv_free
 * @return TP_OK; TP_ERR_IO when a directory cannot be read; TP_ERR_NOMEM
 */
TP_API tp_status tp_ingest_expand_path(const char *path, char ***out, size_t *out_n,
                                       tp_error *err);

/**
 * Ends the command's inputs without committing: warns (through opts.warn) once about each
 * get-metric-data query (Id and label) that is incomplete in the command as a whole: its last
 * page has a NextToken that no later page answers, or its last result's StatusCode is not
 * Complete (earlier pages of a merged export say PartialData and are not warned about).
 * After it every warning of the command has gone to opts.warn, so a caller that refuses
 * warnings (ingest --strict) counts them there and frees the ingest instead of committing.
 * Later inputs are refused (TP_ERR_USAGE).
 * @return TP_OK; TP_ERR_USAGE when the command already failed, finished or was committed
 */
TP_API tp_status tp_ingest_finish(tp_ingest *ing, tp_error *err);

/**
 * Commits everything ingested, after tp_ingest_finish (run here when the caller did not).
 * The ingest must still be freed with tp_ingest_free.
 * @return TP_OK; TP_ERR_DB when the commit fails (tp_ingest_free then rolls it back);
 *         TP_ERR_USAGE when the command already failed or was committed
 */
TP_API tp_status tp_ingest_commit(tp_ingest *ing, tp_error *err);

/** Frees the ingest, rolling back anything not committed. NULL is allowed. */
TP_API void tp_ingest_free(tp_ingest *ing);

/** One input of an ingest command as its summary report shows it. Borrows everything. */
typedef struct tp_ingest_file_report {
    const char *name;                  /**< the input as given ("<stdin>" for standard input) */
    const tp_ingest_summary *summary;
    const char *const *warnings;       /**< the warnings about this input, in order */
    size_t n_warnings;
} tp_ingest_file_report;

#ifdef __cplusplus
}
#endif
#endif
