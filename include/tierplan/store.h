/* store.h - the SQLite database of per-minute token metrics: open, inspect, export. */
#ifndef TIERPLAN_STORE_H
#define TIERPLAN_STORE_H

#include <stdio.h>

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open tierplan database. Opaque; one per thread. */
typedef struct tp_store tp_store;

/** The schema version this library writes (kept in PRAGMA user_version). */
#define TP_SCHEMA_VERSION 8

/** Default database file name, relative to the working directory. */
#define TP_DEFAULT_DB "tierplan.db"

/**
 * How a database is opened: TP_STORE_EXISTING, or an OR of the flags below (TP_STORE_CREATE
 * and TP_STORE_READONLY exclude each other). Bits the library does not know are refused, so a
 * caller written for a later mode fails loudly on an older library instead of writing.
 */
#define TP_STORE_EXISTING 0u /**< the file must exist already: nothing is created */
#define TP_STORE_CREATE 1u   /**< create the file (empty, current schema) when it is missing */
/**
 * Read only (readers: stats, export, simulate, recommend). The file must exist; the store
 * takes no write lock, so it reads the last committed state while another process writes.
 * A file or directory the caller may not write is readable: where SQLite cannot create the
 * WAL index (PATH-shm) beside the file, the store opens it immutable and warns that writes by
 * other processes will not be seen. The one write such a store may make: a database of an
 * older schema is upgraded once, in a short write transaction of its own, when the file is
 * writable; when it is not, the open fails and says to run a writing command (tierplan
 * ingest) where it is.
 */
#define TP_STORE_READONLY 2u

/** How long a store waits for a lock another connection holds, unless told otherwise. */
#define TP_STORE_DEFAULT_BUSY_TIMEOUT_MS 60000

/** Options of tp_store_open_with. Zero-initialise, then set what you need. */
typedef struct tp_store_open_options {
    unsigned flags;      /**< TP_STORE_EXISTING, TP_STORE_CREATE or TP_STORE_READONLY */
    int busy_timeout_ms; /**< how long to wait for a lock held by another process (a second
                              writer waits for the first to commit): 0 for
                              TP_STORE_DEFAULT_BUSY_TIMEOUT_MS, negative not to wait. A wait
                              that runs out fails with TP_ERR_DB, "PATH: WHAT: database
                              is locked (waited N s; raise busy_timeout_ms)", the field named
                              in err->mentions (the CLI shows its --busy-timeout there) */
    tp_warn_fn warn;     /**< receives warnings (an immutable read-only open), or NULL */
    void *warn_ctx;
} tp_store_open_options;

/**
 * Opens the database at path and, when its schema is older, migrates it to
 * TP_SCHEMA_VERSION (the only time an open writes: a current database is opened without a
 * write lock). Uses WAL journaling so that readers run while another process writes. ":memory:"
 * opens a private in-memory database whatever the flags. Every TP_ERR_DB message names path.
 *
 * @param path file name; read during the call only (the caller keeps ownership)
 * @param opts the mode, busy timeout and warning callback (NULL: TP_STORE_EXISTING and the
 *        defaults); read during the call only, except warn and warn_ctx, which must outlive
 *        the call only
 * @param out receives the store, or NULL on failure; the caller closes it with tp_store_close
 * @return TP_OK; TP_ERR_NOT_FOUND when flags lack TP_STORE_CREATE and no file is at path
 *         (the message names the path; nothing is created); TP_ERR_USAGE for an empty path,
 *         unknown flags or TP_STORE_CREATE with TP_STORE_READONLY; TP_ERR_DB when SQLite fails,
 *         the file was written by a newer schema, or a read-only open meets an older schema
 *         it cannot upgrade
 */
TP_API tp_status tp_store_open_with(const char *path, const tp_store_open_options *opts,
                                    tp_store **out, tp_error *err);

/**
 * tp_store_open_with with these flags, the default busy timeout and no warnings.
 *
 * @param flags TP_STORE_EXISTING (a missing file is an error and is not created),
 *        TP_STORE_CREATE (writers) or TP_STORE_READONLY (readers)
 */
TP_API tp_status tp_store_open_mode(const char *path, unsigned flags, tp_store **out,
                                    tp_error *err);

/**
 * tp_store_open_mode(path, TP_STORE_CREATE, out, err): opens the database, creating it when
 * missing.
 */
TP_API tp_status tp_store_open(const char *path, tp_store **out, tp_error *err);

/**
 * Closes the store and frees it, rolling back an ingest batch still open on it. NULL is
 * allowed. Series loaded from the store stay valid (they own their data). A handle keeps the
 * per-minute working arrays of its last series load for the next load, until it is closed:
 * about 17 bytes per minute of the largest window loaded (27 MB for three years); a fleet
 * worker's handle also keeps the values of the model it sized last (32 bytes per minute).
 */
TP_API void tp_store_close(tp_store *store);

/**
 * Frees the per-minute working arrays the handle keeps from its last series load (see
 * tp_store_close): a command that loads one series calls it after the load, so that they
 * are not held beside what it computes. The next load on the handle allocates them again.
 * NULL is allowed.
 */
TP_API void tp_store_release_buffers(tp_store *store);

/**
 * Reads the database's schema version (PRAGMA user_version).
 * @param out_version receives the version (TP_SCHEMA_VERSION for a database this library
 *        opened)
 * @return TP_OK; TP_ERR_DB when SQLite fails
 */
TP_API tp_status tp_store_schema_version(tp_store *store, int *out_version, tp_error *err);

/**
 * Lists the distinct model ids stored, sorted.
 * @param out_models receives an array of out_n strings, or NULL when there are none; the
 *        caller frees it with tp_strv_free (common.h)
 */
TP_API tp_status tp_store_models(tp_store *store, char ***out_models, size_t *out_n,
                                 tp_error *err);

/**
 * Where data was recorded: CloudWatch metrics belong to one AWS account and one region, and a
 * reservation is bought in one account for one model id (docs/user-guide.md, "Regions and
 * accounts"). "" is unknown (data stored before regions were recorded, or ingested without
 * them), shown as "unknown".
 */
typedef struct tp_store_place {
    char *model;   /**< owned by the listing */
    char *region;  /**< e.g. "us-east-1"; "" when unknown; owned by the listing */
    char *account; /**< 12 digits; "" when unknown; owned by the listing */
} tp_store_place;

/**
 * Lists the distinct (model, region, account) places that hold data (metric series or
 * invocation log sums), sorted by model, account, region.
 * @param model one model id (borrowed), or NULL for every model
 * @param out receives an array of *out_n places (NULL when none); the caller frees it with
 *        tp_store_places_free
 * @return TP_OK; TP_ERR_DB, TP_ERR_NOMEM
 */
TP_API tp_status tp_store_places(tp_store *store, const char *model, tp_store_place **out,
                                 size_t *out_n, tp_error *err);

/** Frees a listing of n places. NULL is allowed. */
TP_API void tp_store_places_free(tp_store_place *v, size_t n);

/** What tp_store_relabel moved. */
typedef struct tp_store_relabel_result {
    size_t series;         /**< metric series moved (or merged into the place's) */
    size_t metric_minutes; /**< minutes with a metric point among them */
    size_t log_minutes;    /**< invocation log sum rows (one per minute and key) */
} tp_store_relabel_result;

/**
 * Moves a model's data stored without a region and account (ingested before regions were
 * recorded, or without --region) to the place it was recorded in, in one transaction: metric
 * series with their minutes, as-ofs and export spans, and invocation log sums with their
 * keys. When the place already holds a minute of the same series (or a log minute of the
 * model), nothing is moved: the error names the series and the first such minute.
 * @param model, region borrowed; region must be valid (tp_store_region_valid)
 * @param account 12 digits, or "" or NULL to leave the account unknown; borrowed
 * @param out receives what was moved (may be NULL)
 * @return TP_OK; TP_ERR_NOT_FOUND when the model holds nothing without a region and account;
 *         TP_ERR_CONFLICT on an overlap; TP_ERR_USAGE for a bad argument or a read-only
 *         store; TP_ERR_DB, TP_ERR_NOMEM
 */
TP_API tp_status tp_store_relabel(tp_store *store, const char *model, const char *region,
                                  const char *account, tp_store_relabel_result *out,
                                  tp_error *err);

/** The longest region name accepted. */
#define TP_STORE_REGION_MAX 32

/**
 * Whether region has the shape of an AWS region name: two lowercase letters, one or two
 * lowercase words and a number, joined by '-' ("us-east-1", "eu-central-2", "us-gov-west-1",
 * "ap-southeast-3"). Whether AWS has such a region is not checked.
 * @return 1 when it has, else 0 (also for NULL and "")
 */
TP_API int tp_store_region_valid(const char *region);

/** Whether account is an AWS account id: exactly 12 digits. @return 1 or 0 (NULL, "": 0) */
TP_API int tp_store_account_valid(const char *account);

/** How a region or account is shown: "unknown" for "" (or NULL), else the value itself
 * (static or value; never NULL). */
TP_API const char *tp_store_place_name(const char *value);

/**
 * Writes everything stored (of one model, or all when model is NULL) as CSV with the header
 * `timestamp,model,metric,value,tier,service_tier,period_s,region,account,source,attribute_by,
 * key` (region and account empty where unknown), from one snapshot of the database: per model,
 * its metric points (source `metrics`; ordered by account, region, metric, tiers, period and
 * time), then its invocation log sums (source `logs`: six lines a minute, one per sum, with
 * their attribution and key; ordered by account, region, attribution, key and minute;
 * docs/formats.md, "CSV"). tp_ingest_file of the output into an empty database stores the same
 * points and log sums (round trip; log sums add up, so into a database holding them already
 * they would be added again). Numbers are written in the C locale whatever LC_NUMERIC is.
 *
 * @param model read during the call only
 * @param out an open stream the caller owns (flushed, not closed)
 * @param out_points receives the number of lines written, points and log sums (may be NULL)
 * @return TP_OK; TP_ERR_DB when SQLite fails or a stored day row is corrupt; TP_ERR_IO when
 *         the stream fails
 */
TP_API tp_status tp_store_export_csv(tp_store *store, const char *model, FILE *out,
                                     size_t *out_points, tp_error *err);

/**
 * tp_store_export_csv of the data (series and log sums) recorded in one region and/or account.
 * @param region, account NULL: any; "": the unknown place; read during the call only
 */
TP_API tp_status tp_store_export_csv_at(tp_store *store, const char *model, const char *region,
                                        const char *account, FILE *out, size_t *out_points,
                                        tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
