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
#define TP_SCHEMA_VERSION 2

/** Default database file name, relative to the working directory. */
#define TP_DEFAULT_DB "tierplan.db"

/**
 * How tp_store_open_mode opens a database: TP_STORE_EXISTING, or an OR of the flags below.
 * Bits the library does not know are refused, so a caller written for a later mode (a
 * read-only open is planned) fails loudly on an older library instead of writing.
 */
#define TP_STORE_EXISTING 0u /**< the file must exist already: nothing is created */
#define TP_STORE_CREATE 1u   /**< create the file (empty, current schema) when it is missing */

/**
 * Opens the database at path and migrates its schema to TP_SCHEMA_VERSION. Uses WAL
 * journaling and a 5 s busy timeout so that two processes can share one file. ":memory:"
 * opens a private in-memory database whatever the flags.
 *
 * @param path file name; read during the call only (the caller keeps ownership)
 * @param flags TP_STORE_EXISTING (readers: a missing file is an error and is not created) or
 *        TP_STORE_CREATE (writers)
 * @param out receives the store, or NULL on failure; the caller closes it with tp_store_close
 * @return TP_OK; TP_ERR_NOT_FOUND when flags lack TP_STORE_CREATE and no file is at path
 *         (the message names the path; nothing is created); TP_ERR_USAGE for an empty path or
 *         unknown flags; TP_ERR_DB when SQLite fails or the file was written by a newer schema
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
 * allowed. Series loaded from the store stay valid (they own their data).
 */
TP_API void tp_store_close(tp_store *store);

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
 * Writes every stored point (of one model, or all when model is NULL) as CSV with the header
 * `timestamp,model,metric,value,tier,service_tier,period_s`, ordered by model, metric, tiers,
 * period and time, from one snapshot of the database. The output is accepted by
 * tp_ingest_file unchanged (round trip). Numbers are written in the C locale whatever
 * LC_NUMERIC is.
 *
 * @param model read during the call only
 * @param out an open stream the caller owns (flushed, not closed)
 * @param out_points receives the number of points written (may be NULL)
 * @return TP_OK; TP_ERR_DB when SQLite fails or a stored day row is corrupt; TP_ERR_IO when
 *         the stream fails
 */
TP_API tp_status tp_store_export_csv(tp_store *store, const char *model, FILE *out,
                                     size_t *out_points, tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
