/* ingest.h - load CloudWatch exports (get-metric-data, get-metric-statistics) and CSV. */
#ifndef TIERPLAN_INGEST_H
#define TIERPLAN_INGEST_H

#include "tierplan/common.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default cap on one input file: cJSON holds a whole document in memory (about 10x its
 * size), so the cap bounds memory. Override with tp_ingest_options.max_file_bytes. */
#define TP_INGEST_DEFAULT_MAX_BYTES ((size_t)256 << 20)

/** Below this many points an inferred period gets a warning: sparse per-minute traffic with
 * idle minutes omitted can look coarser than it is. */
#define TP_INGEST_FEW_POINTS 30

/** Options of one ingest command. Zero-initialise, then set what you need. */
typedef struct tp_ingest_options {
    const char *model;     /**< model id for every series, or NULL: from `ModelId=` in labels */
    const char *metric;    /**< metric name for every series, or NULL: from labels */
    const char *tier;      /**< resolved service tier for every series, or NULL */
    int period_s;          /**< period of the data in seconds (multiple of 60), or 0: from
                                `Period=` in labels, else inferred from timestamp spacing */
    size_t max_file_bytes; /**< cap per input file, 0 for TP_INGEST_DEFAULT_MAX_BYTES */
    tp_warn_fn warn;       /**< receives warnings, or NULL to drop them */
    void *warn_ctx;
} tp_ingest_options;

/** What one input file contributed. */
typedef struct tp_ingest_summary {
    const char *format;   /**< "get-metric-data", "get-metric-statistics" or "csv" (static) */
    int64_t ingest_id;    /**< its row in the ingests table */
    size_t documents;     /**< JSON documents in the file (1 for CSV) */
    size_t points;        /**< datapoints read */
    size_t series;        /**< distinct series written */
    size_t inserted;      /**< points new to the store */
    size_t replaced;      /**< points whose stored value changed */
    size_t unchanged;     /**< points already stored with the same value */
    int64_t first_minute; /**< first minute (Unix seconds / 60) with data, if points > 0 */
    int64_t last_minute;  /**< last minute with data (start of the last period) */
    char sha256[65];      /**< content hash, lowercase hex */
} tp_ingest_summary;

/** One ingest command: a single transaction over any number of input files. */
typedef struct tp_ingest tp_ingest;

/**
 * Starts an ingest command on store (BEGIN IMMEDIATE). Nothing is visible to other
 * connections until tp_ingest_commit.
 * @param opts copied shallowly: its strings must outlive the ingest
 * @param out receives the ingest; free it with tp_ingest_free (which rolls back if uncommitted)
 */
TP_API tp_status tp_ingest_begin(tp_store *store, const tp_ingest_options *opts,
                                 tp_ingest **out, tp_error *err);

/**
 * Ingests one file ("-" reads standard input). The format is detected from the content.
 * On error the message names the file and the JSON path or CSV line; the whole command must
 * then be abandoned with tp_ingest_free (later calls fail), so nothing of it is stored.
 * @param summary receives what the file contributed (may be NULL)
 */
TP_API tp_status tp_ingest_file(tp_ingest *ing, const char *path, tp_ingest_summary *summary,
                                tp_error *err);

/**
 * Ingests n files in order, as n calls of tp_ingest_file would, but decodes file i + 1 on a
 * second thread while file i is stored. On error the message names the failing file, and
 * the command must be abandoned as with tp_ingest_file.
 * @param summaries receives n summaries (may be NULL); entries after a failure are unset
 */
TP_API tp_status tp_ingest_files(tp_ingest *ing, const char *const *paths, size_t n,
                                 tp_ingest_summary *summaries, tp_error *err);

/**
 * Ingests an in-memory input as if it were a file called name. data need not be terminated.
 */
TP_API tp_status tp_ingest_buffer(tp_ingest *ing, const char *name, const char *data,
                                  size_t len, tp_ingest_summary *summary, tp_error *err);

/**
 * Commits everything ingested. Warns (through opts.warn) about each get-metric-data document
 * that carried a NextToken whose next page was not part of the command.
 */
TP_API tp_status tp_ingest_commit(tp_ingest *ing, tp_error *err);

/** Frees the ingest, rolling back anything not committed. NULL is allowed. */
TP_API void tp_ingest_free(tp_ingest *ing);

/** Nonzero when name is one of the Bedrock metric names tierplan knows. */
TP_API int tp_metric_is_known(const char *name);

#ifdef __cplusplus
}
#endif
#endif
