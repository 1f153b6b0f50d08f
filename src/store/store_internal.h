/* store_internal.h - the store's body and what only the store's own files share (statements,
 * schema migration, error text); other stages use store/store_rows.h. */
#ifndef TIERPLAN_STORE_INTERNAL_H
#define TIERPLAN_STORE_INTERNAL_H

/* The unit tests reach the database through s->db with the SQLite API, so this header brings
 * it in; a module that must not run SQL itself (series.c) defines STORE_NO_SQLITE_API before
 * including it, and any sqlite3 call there then fails to compile. The body below names the
 * handles by their struct tags, which sqlite3.h typedefs, so it needs no SQLite header. */
#ifndef STORE_NO_SQLITE_API
#include <sqlite3.h>
#endif

#include "store/store_rows.h"
#include "tierplan/store.h"
#include "tierplan/timestamp.h"

/* How many per-minute arrays a store handle keeps for the next series load: a load's four
 * metrics and its four working arrays. */
#define STORE_BUFFERS 8

/* The statements run once or more for every input (every log object): store_stmt prepares
 * each at its first use and keeps it until tp_store_close, since preparing them for every
 * object cost more than running them (docs/performance.md, "Organisation scale"). */
enum store_stmt_id {
    STORE_STMT_INGEST_ADD,
    STORE_STMT_INGEST_FINISH,
    STORE_STMT_LOG_OBJECT_FIND,
    STORE_STMT_LOG_SAME_CONTENT,
    STORE_STMT_LOG_OBJECT_ADD,
    STORE_STMT_LOG_UPSERT,
    STORE_STMT_LOG_KEY,
    STORE_STMT_LOG_KEY_EXISTS,
    STORE_STMT_LOG_KEYS_STORED,
    STORE_STMT_LOG_MODEL_FIND,
    STORE_STMT_LOG_MODEL_ADD,
    STORE_STMT_LOG_KEY_FIND,
    STORE_STMTS
};

/* Prepared statements kept for the life of the store: the ingest hot path reuses them. */
struct tp_store {
    struct sqlite3 *db;
    char *path;          /* as given to open: every TP_ERR_DB message names it */
    int busy_timeout_ms; /* as set on db (0: do not wait), for the "waited N s" message */
    int readonly;        /* opened with TP_STORE_READONLY: nothing may write through db */
    struct sqlite3_stmt *get_day;    /* one stored day of a series */
    struct sqlite3_stmt *put_day;    /* write one day back */
    struct sqlite3_stmt *get_series; /* id of a series key */
    struct sqlite3_stmt *ins_series; /* add a series key */
    struct sqlite3_stmt *stmt[STORE_STMTS]; /* the per-object statements of store_stmt */
    int64_t now_s;              /* the second of now_text (0: none yet), as ingests record it */
    char now_text[TP_TIME_BUF]; /* formatted once a second, not once an object */
    int64_t batch_first_ingest;      /* first ingests.id of the open write batch, or 0 */
    int in_batch;
    int in_read; /* a read transaction of store_read_begin is open */
    /* large per-minute arrays handed back by series loads on this handle (store_buffers.c) */
    void *buf[STORE_BUFFERS];
    size_t buf_bytes[STORE_BUFFERS];
};

/* Frees every array a handle keeps (tp_store_close). */
void store_buffers_free(tp_store *s);

/* A day row as stored: STORE_DAY_BYTES bytes, values then ingest ids, little-endian. */
void store_day_encode(const store_day *d, unsigned char out[STORE_DAY_BYTES]);
/* Returns 0, or -1 when the blob is not a day (wrong size). */
int store_day_decode(const void *blob, int len, store_day *d);
/* The same byte by byte, on any host: what store_day_decode does where it cannot copy (and
 * what tests compare its copies against). */
int store_day_decode_bytes(const void *blob, int len, store_day *d);

/* Runs SQL without results; on failure sets err as store_db_error(s, err, what). */
tp_status store_exec(tp_store *s, const char *sql, const char *what, tp_error *err);
/* Prepares sql (a literal of the library's: never text from input) into *st; on failure sets
 * err as store_db_error(s, err, what). The caller finalizes *st. */
tp_status store_prepare(tp_store *s, const char *sql, struct sqlite3_stmt **st,
                        const char *what, tp_error *err);

/* *st = the handle's statement id, prepared from sql at its first use (each id is used with
 * one sql only: a literal of the library's), reset and with no bindings; on failure sets err as
 * store_db_error(s, err, what). The caller binds, steps, then calls store_stmt_done: it never
 * finalizes *st (tp_store_close does). */
tp_status store_stmt(tp_store *s, enum store_stmt_id id, const char *sql, struct sqlite3_stmt **st,
                     const char *what, tp_error *err);
/* Resets st and clears its bindings (st NULL: nothing), so that a kept statement holds no
 * read cursor across a commit or a rollback, nor a pointer to the caller's strings. */
void store_stmt_done(struct sqlite3_stmt *st);

/* Opens a read transaction so that several queries see one snapshot of the database: an
 * ingest by another process commits wholly before or wholly after it. Inside a write batch
 * it does nothing. Every successful store_read_begin is paired with store_read_end. */
tp_status store_read_begin(tp_store *s, tp_error *err);
void store_read_end(tp_store *s);

/* Brings the schema to TP_SCHEMA_VERSION in one write transaction (store_schema.c), reading
 * the version again under the write lock (another process may have migrated meanwhile); fails
 * when the file was written by a newer tierplan. Call it only when the version is behind: it
 * takes the write lock. */
tp_status store_migrate(tp_store *s, tp_error *err);
/* TP_ERR_DB "PATH: schema version V is newer than this tierplan (N); upgrade tierplan". */
tp_status store_too_new(tp_store *s, int version, tp_error *err);

/* Sets err to "PATH: what: <sqlite3_errmsg>" and returns TP_ERR_DB. A lock that the busy
 * timeout did not outlast reads "database is locked (waited N s; raise --busy-timeout)", and
 * an I/O error carries the system's reason (e.g. "File too large"). */
tp_status store_db_error(tp_store *s, tp_error *err, const char *what);

#endif
