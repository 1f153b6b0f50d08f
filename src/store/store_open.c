/* store_open.c - opening a database: the accepted paths and modes, the SQLite connection, the
 * read-only fallbacks and the schema check. Opening a current database writes nothing and
 * takes no write lock: only an older schema is migrated (store_schema.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_internal.h"

tp_status tp_store_open(const char *path, tp_store **out, tp_error *err)
{
    return tp_store_open_mode(path, TP_STORE_CREATE, out, err);
}

tp_status tp_store_open_mode(const char *path, unsigned flags, tp_store **out, tp_error *err)
{
    tp_store_open_options o = {0};
    o.flags = flags;
    return tp_store_open_with(path, &o, out, err);
}

static tp_status prepare(tp_store *s, const char *sql, sqlite3_stmt **out, tp_error *err)
{
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK)
        return store_db_error(s, err, "preparing statements");
    return TP_OK;
}

/* Opens s->db on name (a path, or a URI with SQLITE_OPEN_URI). NOMUTEX: a store belongs to
 * one thread (store.h), so SQLite's per-call mutex is pure overhead on the ingest hot path.
 * Without SQLITE_OPEN_CREATE a missing file stays missing. */
static tp_status connect_db(tp_store *s, const char *name, int flags, tp_error *err)
{
    if (sqlite3_open_v2(name, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return tp_error_set(err, TP_ERR_DB, "%s: cannot open database: %s", s->path,
                            s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
    /* a writer waits for another writer's commit rather than failing at once */
    sqlite3_busy_timeout(s->db, s->busy_timeout_ms);
    return TP_OK;
}

/* Reads user_version into *v: SQLITE_OK, or SQLite's error code. The first read is where a
 * WAL index that cannot be created shows. */
static int read_version(tp_store *s, int *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *v = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* PRAGMA journal_mode=WAL needs the file to itself. Several processes opening a new file at
 * once (four concurrent ingests) contend for that, and SQLite answers SQLITE_BUSY at once,
 * without its busy handler, where waiting could deadlock: so wait here, up to the busy
 * timeout, retrying every 10 ms (whoever wins switches the file for everyone). */
static tp_status switch_to_wal(tp_store *s, tp_error *err)
{
    struct timespec start, now;
    const struct timespec pause = {0, 10 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return TP_OK;
        clock_gettime(CLOCK_MONOTONIC, &now);
        const double waited_ms = (double)(now.tv_sec - start.tv_sec) * 1e3 +
                                 (double)(now.tv_nsec - start.tv_nsec) / 1e6;
        if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= (double)s->busy_timeout_ms)
            return store_db_error(s, err, "switching to WAL");
        nanosleep(&pause, NULL);
    }
}

/* A read-write connection: switches the file to WAL when it is not yet (a new file), which
 * lets readers run while this store writes. Switching is a write; a WAL file is left alone. */
static tp_status open_writable(tp_store *s, int create, int *v, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = connect_db(s, s->path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
                              err);
    if (rc != TP_OK)
        return rc;
    /* SQLite opens a file it may not write read-only without a word: say so before any write */
    if (sqlite3_db_readonly(s->db, "main") == 1)
        return tp_error_set(err, TP_ERR_DB, "%s: cannot write: the database file is read-only",
                            s->path);
    if (read_version(s, v) != SQLITE_OK) {
        if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_READONLY)
            return tp_error_set(err, TP_ERR_DB,
                                "%s: cannot write: its directory is read-only (SQLite keeps "
                                "%s-wal and %s-shm beside it)",
                                s->path, s->path, s->path);
        return store_db_error(s, err, "reading schema version");
    }
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = store_db_error(s, err, "reading journal mode");
        goto cleanup;
    }
    const int wal = strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    st = NULL;
    if (!wal && (rc = switch_to_wal(s, err)) != TP_OK)
        goto cleanup;
    /* NORMAL sync is durable across application crashes in WAL mode and much faster than FULL */
    rc = store_exec(s, "PRAGMA synchronous=NORMAL", "setting synchronous", err);
cleanup:
    sqlite3_finalize(st);
    return rc;
}

/* "file:" URI of path with ?immutable=1. Every byte but unreserved ones and '/' is
 * percent-encoded, so that '?', '#' and '%' in a file name stay part of it; an absolute path
 * gets an empty authority ("file:///..."), so that "//x" is not read as a host. NULL when out
 * of memory; the caller frees. */
static char *immutable_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    const size_t n = strlen(path);
    char *uri = malloc(3 * n + 32), *o = uri;
    if (uri == NULL)
        return NULL;
    o += sprintf(o, path[0] == '/' ? "file://" : "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p) != NULL) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    strcpy(o, "?immutable=1");
    return uri;
}

/* 1 when PATH-wal holds something: changes an immutable open would not see. */
static int wal_has_content(const char *path)
{
    struct stat st;
    char *wal = malloc(strlen(path) + 5);
    int has = 1; /* out of memory: assume the worst */
    if (wal != NULL) {
        strcpy(wal, path);
        strcat(wal, "-wal");
        has = stat(wal, &st) == 0 && st.st_size > 0;
    }
    free(wal);
    return has;
}

/* A read-only connection. SQLite reads a WAL database through the WAL index (PATH-shm), which
 * it creates when missing; in a directory this process may not write it cannot, and then
 * the file is opened immutable: read as it is, without locks, so that changes by others go
 * unseen (the warning says so). Changes still in PATH-wal would go unseen too: then this
 * fails instead. */
static tp_status open_readonly(tp_store *s, const tp_store_open_options *o, int *v,
                               tp_error *err)
{
    char *uri = NULL;
    tp_status rc = connect_db(s, s->path, SQLITE_OPEN_READONLY, err);
    if (rc != TP_OK || read_version(s, v) == SQLITE_OK)
        return rc;
    const int code = sqlite3_extended_errcode(s->db) & 0xff;
    if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN)
        return store_db_error(s, err, "reading schema version");
    if (wal_has_content(s->path))
        return tp_error_set(err, TP_ERR_DB,
                            "%s: cannot read: the WAL index %s-shm cannot be created (a "
                            "read-only directory?) and %s-wal holds changes not yet in the "
                            "database; run any tierplan ingest where the directory is writable "
                            "to fold them in",
                            s->path, s->path, s->path);
    sqlite3_close(s->db);
    s->db = NULL;
    if ((uri = immutable_uri(s->path)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    rc = connect_db(s, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, err);
    if (rc == TP_OK && read_version(s, v) != SQLITE_OK)
        rc = store_db_error(s, err, "reading schema version");
    if (rc == TP_OK && o->warn != NULL) {
        char msg[1200];
        /* the file is read as it is on disk, without the WAL index that tells of changes */
        snprintf(msg, sizeof msg,
                 "%s: read-only directory: writes by other processes will not be seen",
                 s->path);
        o->warn(o->warn_ctx, msg);
    }
    free(uri);
    return rc;
}

/* A read-only store met an older schema. When the file may be written, a writable store of
 * its own migrates it (waiting for other writers as this one would) and is closed again;
 * otherwise this fails and says how to upgrade. */
static tp_status upgrade_from_reader(tp_store *s, int v, tp_error *err)
{
    tp_store *w = NULL;
    tp_error werr;
    tp_store_open_options wo = {0};
    wo.flags = TP_STORE_EXISTING;
    wo.busy_timeout_ms = s->busy_timeout_ms > 0 ? s->busy_timeout_ms : -1;
    tp_error_clear(&werr);
    tp_status rc = tp_store_open_with(s->path, &wo, &w, &werr);
    tp_store_close(w);
    int now = v;
    if (rc == TP_OK && read_version(s, &now) == SQLITE_OK && now == TP_SCHEMA_VERSION)
        return TP_OK;
    return tp_error_set(err, TP_ERR_DB,
                        "%s: schema version %d is older than this tierplan's (%d) and could "
                        "not be upgraded here (%s); run tierplan ingest (or any writing "
                        "command) where the file is writable to upgrade it",
                        s->path, v, TP_SCHEMA_VERSION,
                        rc != TP_OK ? werr.message : "the file is opened immutable");
}

static tp_status open_db(const char *path, const tp_store_open_options *o, int create,
                         int readonly, tp_store **out, tp_error *err)
{
    tp_status rc = TP_OK;
    tp_store *s = calloc(1, sizeof *s);
    int v = 0;
    if (s == NULL || (s->path = strdup(path)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    s->busy_timeout_ms = o->busy_timeout_ms == 0  ? TP_STORE_DEFAULT_BUSY_TIMEOUT_MS
                         : o->busy_timeout_ms < 0 ? 0
                                                  : o->busy_timeout_ms;
    s->readonly = readonly;
    if ((rc = readonly ? open_readonly(s, o, &v, err) : open_writable(s, create, &v, err)) !=
        TP_OK)
        goto cleanup;
    if (v > TP_SCHEMA_VERSION)
        rc = store_too_new(s, v, err);
    else if (v < TP_SCHEMA_VERSION)
        rc = readonly ? upgrade_from_reader(s, v, err) : store_migrate(s, err);
    if (rc != TP_OK)
        goto cleanup;
    /* A reader reads day rows straight from the mapped file instead of copying each page
     * through read(): a fleet report reads every day of every model once. Best effort: a
     * build or platform without mmap reads as before, so the result is not checked. */
    if (readonly)
        sqlite3_exec(s->db, "PRAGMA mmap_size=2147418112", NULL, NULL, NULL);
    if ((rc = prepare(s, "SELECT minutes FROM days WHERE series_id=?1 AND day=?2", &s->get_day,
                      err)) != TP_OK ||
        (rc = prepare(s, "INSERT INTO days(series_id, day, n, minutes) "
                         "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (series_id, day) DO UPDATE "
                         "SET n = excluded.n, minutes = excluded.minutes",
                      &s->put_day, err)) != TP_OK ||
        (rc = prepare(s, "SELECT id FROM series WHERE model=?1 AND metric=?2 AND "
                         "service_tier=?3 AND resolved_tier=?4 AND period_s=?5 AND "
                         "region=?6 AND account=?7",
                      &s->get_series, err)) != TP_OK ||
        (rc = prepare(s, "INSERT INTO series(model, metric, service_tier, resolved_tier, "
                         "period_s, region, account) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      &s->ins_series, err)) != TP_OK)
        goto cleanup;
    *out = s;
    s = NULL;
cleanup:
    tp_store_close(s);
    return rc;
}

tp_status tp_store_open_with(const char *path, const tp_store_open_options *opts,
                             tp_store **out, tp_error *err)
{
    tp_store_open_options o = {0};
    if (opts != NULL)
        o = *opts;
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return tp_error_set(err, TP_ERR_USAGE, "database: empty path");
    if ((o.flags & ~(TP_STORE_CREATE | TP_STORE_READONLY)) != 0)
        return tp_error_set(err, TP_ERR_USAGE, "database: unknown open flags 0x%x", o.flags);
    if ((o.flags & TP_STORE_CREATE) != 0 && (o.flags & TP_STORE_READONLY) != 0)
        return tp_error_set(err, TP_ERR_USAGE, "%s: a read-only open cannot create", path);
    /* ":memory:" is never a file: there is nothing to find, only something to create */
    const int memory = strcmp(path, ":memory:") == 0;
    const int create = (o.flags & TP_STORE_CREATE) != 0 || memory;
    /* A reader given a mistyped path must fail and leave no empty database behind. SQLite
     * opened without SQLITE_OPEN_CREATE creates nothing; this check only names the problem
     * (SQLite would say "unable to open database file"). */
    if (!create && access(path, F_OK) != 0)
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "%s: no database there (tierplan ingest creates one)", path);
    struct stat st;
    if (!memory && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) /* SQLite: "disk I/O error" */
        return tp_error_set(err, TP_ERR_IO, "%s: is a directory, not a database file", path);
    return open_db(path, &o, create, !memory && (o.flags & TP_STORE_READONLY) != 0, out, err);
}

void tp_store_close(tp_store *s)
{
    if (s == NULL)
        return;
    if (s->in_batch)
        store_batch_rollback(s);
    sqlite3_finalize(s->get_day);
    sqlite3_finalize(s->put_day);
    sqlite3_finalize(s->get_series);
    sqlite3_finalize(s->ins_series);
    for (int i = 0; i < STORE_STMTS; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    store_buffers_free(s);
    free(s->path);
    free(s);
}
