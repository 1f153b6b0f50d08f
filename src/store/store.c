/* store.c - every SQL statement of the library but the schema (store_schema.c) and opening
 * (store_open.c): the day rows ingest writes, and the listings and day iterator that series
 * and export read. */
#define _POSIX_C_SOURCE 200809L
#include "store/store_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tierplan/timestamp.h"
#include "base/util.h"

tp_status store_db_error(tp_store *s, tp_error *err, const char *what)
{
    const char *path = s != NULL && s->path != NULL ? s->path : "database";
    if (s == NULL || s->db == NULL)
        return tp_error_set(err, TP_ERR_DB, "%s: %s: no database", path, what);
    const int code = sqlite3_extended_errcode(s->db), sys = sqlite3_system_errno(s->db);
    if ((code & 0xff) == SQLITE_BUSY)
        return tp_error_set_field(err, TP_ERR_DB, NULL,
                                  "%s: %s: database is locked (waited %g s; raise "
                                  "{busy_timeout_ms})",
                                  path, what, s->busy_timeout_ms / 1000.0);
    /* SQLite says "disk I/O error" for a write the system refused; the reason (no space, a
     * file size limit) is in errno */
    if (((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL ||
         (code & 0xff) == SQLITE_CANTOPEN) &&
        sys != 0)
        return tp_error_set(err, TP_ERR_DB, "%s: %s: %s (%s)", path, what,
                            sqlite3_errmsg(s->db), strerror(sys));
    /* SQLite's unix VFS reports ENOSPC as SQLITE_FULL and clears the errno it saved; tierplan
     * sets no max_page_count, so a full disk (or temporary directory) is the only cause */
    if ((code & 0xff) == SQLITE_FULL)
        return tp_error_set(err, TP_ERR_DB, "%s: %s: %s (%s)", path, what,
                            sqlite3_errmsg(s->db), strerror(ENOSPC));
    return tp_error_set(err, TP_ERR_DB, "%s: %s: %s", path, what, sqlite3_errmsg(s->db));
}

tp_status store_exec(tp_store *s, const char *sql, const char *what, tp_error *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_db_error(s, err, what);
    return TP_OK;
}

tp_status store_prepare(tp_store *s, const char *sql, sqlite3_stmt **st, const char *what,
                        tp_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return store_db_error(s, err, what);
    return TP_OK;
}

tp_status store_stmt(tp_store *s, enum store_stmt_id id, const char *sql, sqlite3_stmt **st,
                     const char *what, tp_error *err)
{
    *st = NULL;
    if (s->stmt[id] == NULL && sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                                  &s->stmt[id], NULL) != SQLITE_OK)
        return store_db_error(s, err, what);
    *st = s->stmt[id];
    return TP_OK;
}

void store_stmt_done(sqlite3_stmt *st)
{
    if (st == NULL)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

tp_status tp_store_schema_version(tp_store *s, int *out_version, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = store_db_error(s, err, "reading schema version");
        goto cleanup;
    }
    *out_version = sqlite3_column_int(st, 0);
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status store_batch_begin(tp_store *s, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    if (s->readonly)
        return tp_error_set(err, TP_ERR_USAGE, "%s: opened read-only: cannot ingest", s->path);
    tp_status rc = store_exec(s, "BEGIN IMMEDIATE", "starting ingest", err);
    if (rc != TP_OK)
        return rc;
    s->in_batch = 1;
    /* Rows are numbered max(id) + 1 and nobody else writes inside BEGIN IMMEDIATE, so every
     * ingest row of this batch has an id >= this one: that is how a point tells whether it
     * was written earlier in the same command. */
    if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(id), 0) + 1 FROM ingests", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = store_db_error(s, err, "starting ingest");
        goto cleanup;
    }
    s->batch_first_ingest = sqlite3_column_int64(st, 0);
cleanup:
    sqlite3_finalize(st);
    if (rc != TP_OK)
        store_batch_rollback(s);
    return rc;
}

tp_status store_batch_commit(tp_store *s, tp_error *err)
{
    if (!s->in_batch)
        return TP_OK; /* nothing was stored: no transaction was begun */
    tp_status rc = store_exec(s, "COMMIT", "committing ingest", err);
    if (rc != TP_OK) {
        store_batch_rollback(s);
        return rc;
    }
    s->in_batch = 0;
    s->batch_first_ingest = 0;
    return TP_OK;
}

void store_batch_rollback(tp_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_batch = 0;
    s->batch_first_ingest = 0;
}

int store_batch_open(const tp_store *s)
{
    return s->in_batch;
}

int64_t store_batch_first_ingest(const tp_store *s)
{
    return s->batch_first_ingest;
}

const char *store_path(const tp_store *s)
{
    return s->path;
}

tp_status store_read_begin(tp_store *s, tp_error *err)
{
    if (!sqlite3_get_autocommit(s->db))
        return TP_OK; /* inside a write batch, which already reads one state */
    tp_status rc = store_exec(s, "BEGIN", "starting to read", err);
    s->in_read = rc == TP_OK;
    return rc;
}

void store_read_end(tp_store *s)
{
    if (s->in_read && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    s->in_read = 0;
}

tp_status store_ingest_add(tp_store *s, const char *source, const char *format,
                           int64_t *out_id, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    const int64_t now = (int64_t)time(NULL);
    if (now != s->now_s)
        tp_timestamp_format(now, s->now_text);
    s->now_s = now;
    if ((rc = store_stmt(s, STORE_STMT_INGEST_ADD,
                         "INSERT INTO ingests(source, sha256, format, ingested_at) "
                         "VALUES (?1, '', ?3, ?4)",
                         &st, "recording ingest", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, format, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s->now_text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = store_db_error(s, err, "recording ingest");
        goto cleanup;
    }
    *out_id = sqlite3_last_insert_rowid(s->db);
cleanup:
    store_stmt_done(st);
    return rc;
}

tp_status store_ingest_finish(tp_store *s, int64_t ingest_id, const char *sha256_hex,
                              int64_t points, int64_t inserted, int64_t replaced,
                              int64_t unchanged, int64_t kept_newer, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    if ((rc = store_stmt(s, STORE_STMT_INGEST_FINISH,
                         "UPDATE ingests SET points=?2, inserted=?3, replaced=?4, "
                         "unchanged=?5, sha256=?6, kept_newer=?7 WHERE id=?1",
                         &st, "recording ingest", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, ingest_id);
    sqlite3_bind_int64(st, 2, points);
    sqlite3_bind_int64(st, 3, inserted);
    sqlite3_bind_int64(st, 4, replaced);
    sqlite3_bind_int64(st, 5, unchanged);
    sqlite3_bind_text(st, 6, sha256_hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, kept_newer);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_error(s, err, "recording ingest");
cleanup:
    store_stmt_done(st);
    return rc;
}

static void bind_key(sqlite3_stmt *st, const store_series_key *k)
{
    sqlite3_bind_text(st, 1, k->model, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, k->metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, k->service_tier != NULL ? k->service_tier : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, k->resolved_tier != NULL ? k->resolved_tier : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 5, k->period_s);
    sqlite3_bind_text(st, 6, k->region != NULL ? k->region : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, k->account != NULL ? k->account : "", -1, SQLITE_STATIC);
}

tp_status store_series_get(tp_store *s, const store_series_key *key, int64_t *out_id,
                           tp_error *err)
{
    tp_status rc = TP_OK;
    bind_key(s->get_series, key);
    int step = sqlite3_step(s->get_series);
    if (step == SQLITE_ROW) {
        *out_id = sqlite3_column_int64(s->get_series, 0);
        goto cleanup;
    }
    if (step != SQLITE_DONE) {
        rc = store_db_error(s, err, "looking up series");
        goto cleanup;
    }
    bind_key(s->ins_series, key);
    if (sqlite3_step(s->ins_series) != SQLITE_DONE) {
        rc = store_db_error(s, err, "adding series");
        goto cleanup;
    }
    *out_id = sqlite3_last_insert_rowid(s->db);
cleanup:
    sqlite3_reset(s->get_series);
    sqlite3_reset(s->ins_series);
    sqlite3_clear_bindings(s->get_series);
    sqlite3_clear_bindings(s->ins_series);
    return rc;
}

/* Blob layout: 1,440 values as IEEE-754 doubles, then 1,440 ingest ids as uint32, all
 * little-endian whatever the host, so a database file moves between machines. */
void store_day_encode(const store_day *d, unsigned char out[STORE_DAY_BYTES])
{
    for (int i = 0; i < STORE_DAY_MINUTES; i++) {
        uint64_t bits;
        memcpy(&bits, &d->value[i], sizeof bits);
        for (int b = 0; b < 8; b++)
            out[8 * i + b] = (unsigned char)(bits >> (8 * b));
        for (int b = 0; b < 4; b++)
            out[8 * STORE_DAY_MINUTES + 4 * i + b] = (unsigned char)(d->ingest[i] >> (8 * b));
    }
}

int store_day_decode_bytes(const void *blob, int len, store_day *d)
{
    const unsigned char *in = blob;
    if (blob == NULL || len != STORE_DAY_BYTES)
        return -1;
    for (int i = 0; i < STORE_DAY_MINUTES; i++) {
        uint64_t bits = 0;
        uint32_t id = 0;
        for (int b = 7; b >= 0; b--)
            bits = bits << 8 | in[8 * i + b];
        for (int b = 3; b >= 0; b--)
            id = id << 8 | in[8 * STORE_DAY_MINUTES + 4 * i + b];
        memcpy(&d->value[i], &bits, sizeof bits);
        d->ingest[i] = id;
    }
    return 0;
}

/* The blob is the values' bit patterns, then the ingest ids, each little-endian
 * (store_day_encode): on a little-endian host those are the struct's two arrays byte for
 * byte, and two copies replace 17,280 byte shifts per day row (a year of four metrics is
 * 1,460 rows). */
_Static_assert(sizeof(((store_day *)0)->value) == 8 * STORE_DAY_MINUTES &&
                   sizeof(((store_day *)0)->ingest) == 4 * STORE_DAY_MINUTES,
               "store_day's arrays are the blob's halves");

int store_day_decode(const void *blob, int len, store_day *d)
{
#if defined(__BYTE_ORDER__) && defined(__FLOAT_WORD_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && __FLOAT_WORD_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const unsigned char *in = blob;
    if (blob == NULL || len != STORE_DAY_BYTES)
        return -1;
    memcpy(d->value, in, sizeof d->value);
    memcpy(d->ingest, in + sizeof d->value, sizeof d->ingest);
    return 0;
#else
    return store_day_decode_bytes(blob, len, d);
#endif
}

tp_status store_day_corrupt(tp_store *s, int64_t series_id, int64_t day, const char *detail,
                            tp_error *err)
{
    sqlite3_stmt *st = NULL;
    char date[TP_TIME_BUF];
    tp_timestamp_format(day * 86400, date);
    char *t = strchr(date, 'T');
    if (t != NULL)
        *t = '\0';
    if (sqlite3_prepare_v2(s->db, "SELECT model, metric FROM series WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, series_id) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        tp_error_set(err, TP_ERR_DB, "%s: corrupt day row: series %lld on %s: %s", s->path,
                     (long long)series_id, date, detail);
        goto cleanup;
    }
    tp_error_set(err, TP_ERR_DB, "%s: corrupt day row: %s of model %s on %s: %s", s->path,
                 (const char *)sqlite3_column_text(st, 1),
                 (const char *)sqlite3_column_text(st, 0), date, detail);
cleanup:
    sqlite3_finalize(st);
    return TP_ERR_DB;
}

/* store_day_corrupt for a blob that is not STORE_DAY_BYTES long. */
static tp_status wrong_size(tp_store *s, int64_t series_id, int64_t day, int bytes,
                            tp_error *err)
{
    char detail[64];
    snprintf(detail, sizeof detail, "%d bytes, expected %d", bytes, STORE_DAY_BYTES);
    return store_day_corrupt(s, series_id, day, detail, err);
}

tp_status store_day_get(tp_store *s, int64_t series_id, int64_t day, store_day *out,
                        tp_error *err)
{
    tp_status rc = TP_OK;
    sqlite3_bind_int64(s->get_day, 1, series_id);
    sqlite3_bind_int64(s->get_day, 2, day);
    int step = sqlite3_step(s->get_day);
    if (step == SQLITE_ROW) {
        const int bytes = sqlite3_column_bytes(s->get_day, 0);
        if (store_day_decode(sqlite3_column_blob(s->get_day, 0), bytes, out) != 0) {
            sqlite3_reset(s->get_day); /* before store_day_corrupt runs its own query */
            return wrong_size(s, series_id, day, bytes, err);
        }
    } else if (step == SQLITE_DONE) {
        memset(out, 0, sizeof *out);
    } else {
        rc = store_db_error(s, err, "reading points");
    }
    sqlite3_reset(s->get_day);
    return rc;
}

tp_status store_day_put(tp_store *s, int64_t series_id, int64_t day, const store_day *d,
                        tp_error *err)
{
    unsigned char blob[STORE_DAY_BYTES];
    int n = 0;
    for (int i = 0; i < STORE_DAY_MINUTES; i++)
        n += d->ingest[i] != 0;
    store_day_encode(d, blob);
    sqlite3_bind_int64(s->put_day, 1, series_id);
    sqlite3_bind_int64(s->put_day, 2, day);
    sqlite3_bind_int(s->put_day, 3, n);
    sqlite3_bind_blob(s->put_day, 4, blob, STORE_DAY_BYTES, SQLITE_STATIC);
    tp_status rc = TP_OK;
    if (sqlite3_step(s->put_day) != SQLITE_DONE)
        rc = store_db_error(s, err, "storing points");
    sqlite3_reset(s->put_day);
    return rc;
}

struct store_day_iter {
    tp_store *store;
    sqlite3_stmt *st;
    int64_t series_id;
};

tp_status store_day_iter_open(tp_store *s, int64_t series_id, int64_t first_day,
                              int64_t last_day, store_day_iter **out, tp_error *err)
{
    tp_status rc = TP_OK;
    store_day_iter *it = calloc(1, sizeof *it);
    *out = NULL;
    if (it == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    it->store = s;
    it->series_id = series_id;
    if ((rc = store_prepare(s,
                            "SELECT day, minutes FROM days WHERE series_id = ?1 "
                            "AND day >= ?2 AND day <= ?3 ORDER BY day",
                            &it->st, "loading points", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(it->st, 1, series_id);
    sqlite3_bind_int64(it->st, 2, first_day);
    sqlite3_bind_int64(it->st, 3, last_day);
    *out = it;
    it = NULL;
cleanup:
    store_day_iter_close(it);
    return rc;
}

tp_status store_day_iter_next(store_day_iter *it, int64_t *out_day, store_day *out,
                              int *out_found, tp_error *err)
{
    *out_found = 0;
    const int step = sqlite3_step(it->st);
    if (step == SQLITE_DONE)
        return TP_OK;
    if (step != SQLITE_ROW)
        return store_db_error(it->store, err, "loading points");
    const int64_t day = sqlite3_column_int64(it->st, 0);
    const int bytes = sqlite3_column_bytes(it->st, 1);
    if (store_day_decode(sqlite3_column_blob(it->st, 1), bytes, out) != 0)
        return wrong_size(it->store, it->series_id, day, bytes, err);
    *out_day = day;
    *out_found = 1;
    return TP_OK;
}

void store_day_iter_close(store_day_iter *it)
{
    if (it == NULL)
        return;
    sqlite3_finalize(it->st);
    free(it);
}

/* Copies one listing row; returns -1 when out of memory (what was copied is freed later). */
static int series_info_read(sqlite3_stmt *st, store_series_info *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->metric = strdup((const char *)sqlite3_column_text(st, 1));
    r->service_tier = strdup((const char *)sqlite3_column_text(st, 2));
    r->resolved_tier = strdup((const char *)sqlite3_column_text(st, 3));
    r->period_s = sqlite3_column_int(st, 4);
    r->region = strdup((const char *)sqlite3_column_text(st, 7));
    r->account = strdup((const char *)sqlite3_column_text(st, 8));
    r->has_days = sqlite3_column_type(st, 5) != SQLITE_NULL;
    r->first_day = sqlite3_column_int64(st, 5);
    r->last_day = sqlite3_column_int64(st, 6);
    return r->metric != NULL && r->service_tier != NULL && r->resolved_tier != NULL &&
                   r->region != NULL && r->account != NULL
               ? 0
               : -1;
}

tp_status store_series_list(tp_store *s, const char *model, store_series_info **out,
                            size_t *out_n, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    store_series_info *v = NULL;
    size_t n = 0, cap = 0;
    tp_status rc = TP_OK;
    *out = NULL;
    *out_n = 0;
    if ((rc = store_prepare(s,
                            "SELECT s.id, s.metric, s.service_tier, s.resolved_tier, s.period_s, "
                            "(SELECT min(day) FROM days WHERE series_id = s.id), "
                            "(SELECT max(day) FROM days WHERE series_id = s.id), s.region, s.account "
                            "FROM series s WHERE s.model = ?1 ORDER BY s.account, s.region, "
                            "s.metric, s.service_tier, s.resolved_tier, s.period_s",
                            &st, "loading series", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (UTIL_GROW(v, cap, n + 1) != 0 || series_info_read(st, &v[n++]) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (step != SQLITE_DONE) {
        rc = store_db_error(s, err, "loading series");
        goto cleanup;
    }
    *out = v;
    *out_n = n;
    v = NULL;
    n = 0;
cleanup:
    store_series_list_free(v, n);
    sqlite3_finalize(st);
    return rc;
}

void store_series_list_free(store_series_info *v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].metric);
        free(v[i].service_tier);
        free(v[i].resolved_tier);
        free(v[i].region);
        free(v[i].account);
    }
    free(v);
}

tp_status tp_store_models(tp_store *s, char ***out_models, size_t *out_n, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t n = 0, cap = 0;
    tp_status rc = TP_OK;
    *out_models = NULL;
    *out_n = 0;
    /* models of metric exports and of invocation logs alike */
    if ((rc = store_prepare(s,
                            "SELECT model FROM series UNION SELECT model FROM log_keys "
                            "ORDER BY model",
                            &st, "listing models", err)) != TP_OK)
        goto cleanup;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (UTIL_GROW(v, cap, n + 1) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        v[n] = strdup((const char *)sqlite3_column_text(st, 0));
        if (v[n] == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        n++;
    }
    if (step != SQLITE_DONE) {
        rc = store_db_error(s, err, "listing models");
        goto cleanup;
    }
    *out_models = v;
    *out_n = n;
    v = NULL;
    n = 0;
cleanup:
    tp_strv_free(v, n);
    sqlite3_finalize(st);
    return rc;
}

tp_status tp_store_places(tp_store *s, const char *model, tp_store_place **out,
                          size_t *out_n, tp_error *err)
{
    return store_places_of(s, model, STORE_PLACES_ALL, out, out_n, err);
}

tp_status store_places_of(tp_store *s, const char *model, store_places_kind kind,
                          tp_store_place **out, size_t *out_n, tp_error *err)
{
    static const char *const sql[] = {
        "SELECT model, region, account FROM series WHERE ?1 IS NULL OR model = ?1 UNION "
        "SELECT model, region, account FROM log_keys WHERE ?1 IS NULL OR model = ?1 "
        "ORDER BY 1, 3, 2",
        "SELECT DISTINCT model, region, account FROM series WHERE ?1 IS NULL OR model = ?1 "
        "ORDER BY 1, 3, 2",
        "SELECT DISTINCT model, region, account FROM log_keys WHERE ?1 IS NULL OR model = ?1 "
        "ORDER BY 1, 3, 2"};
    sqlite3_stmt *st = NULL;
    tp_store_place *v = NULL;
    size_t n = 0, cap = 0;
    tp_status rc = TP_OK;
    *out = NULL;
    *out_n = 0;
    /* log_keys holds a row for every (model, place, key) the log sums hold: a few rows, not
     * every minute */
    if ((rc = store_prepare(s, sql[kind], &st, "listing places", err)) != TP_OK)
        goto cleanup;
    if (model != NULL)
        sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (UTIL_GROW(v, cap, n + 1) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        tp_store_place *p = &v[n++];
        p->model = strdup((const char *)sqlite3_column_text(st, 0));
        p->region = strdup((const char *)sqlite3_column_text(st, 1));
        p->account = strdup((const char *)sqlite3_column_text(st, 2));
        if (p->model == NULL || p->region == NULL || p->account == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (step != SQLITE_DONE) {
        rc = store_db_error(s, err, "listing places");
        goto cleanup;
    }
    *out = v;
    *out_n = n;
    v = NULL;
    n = 0;
cleanup:
    tp_store_places_free(v, n);
    sqlite3_finalize(st);
    return rc;
}

/* The shape of a region name: a two-letter area, one or two words, a number
 * (us-east-1, eu-central-2, us-gov-west-1, ap-southeast-3, us-isob-east-1). */
int tp_store_region_valid(const char *region)
{
    if (region == NULL)
        return 0;
    const char *p = region;
    int words = 0;
    if (!(islower((unsigned char)p[0]) && islower((unsigned char)p[1])) || p[2] != '-')
        return 0;
    p += 3;
    for (;;) {
        const char *w = p;
        while (islower((unsigned char)*p))
            p++;
        if (p == w || *p != '-')
            break;
        p++;
        words++;
    }
    if (words < 1 || words > 2)
        return 0;
    const char *d = p;
    while (isdigit((unsigned char)*p))
        p++;
    return p > d && p - d <= 2 && *p == '\0' && strlen(region) <= TP_STORE_REGION_MAX;
}

int tp_store_account_valid(const char *account)
{
    if (account == NULL || strlen(account) != 12)
        return 0;
    for (const char *p = account; *p; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    return 1;
}

const char *tp_store_place_name(const char *value)
{
    return value == NULL || value[0] == '\0' ? "unknown" : value;
}

void tp_store_places_free(tp_store_place *v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++) {
        free(v[i].model);
        free(v[i].region);
        free(v[i].account);
    }
    free(v);
}
