/* store_logs.c - the SQL of invocation log sums: source objects, the per-minute upsert that
 * makes log values additive, and the readers series and showback use. */
#define _POSIX_C_SOURCE 200809L
#include "store/store_logs.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "base/strindex.h"
#include "base/util.h"

/* The statements are the handle's (store_stmt): a writer only borrows them. */
struct store_log_writer {
    tp_store *s;
    sqlite3_stmt *up;
    str_index ids;   /* "model\0attr_by\0key\0region\0account" -> its slot in pair */
    struct {
        int64_t model_id, key_id;
    } *pair;         /* the ids of each key this writer met */
    size_t n_pair, cap_pair;
    char *buf;       /* the index's key being built */
    size_t cap_buf;
};

void store_log_sums_add(store_log_sums *a, const store_log_sums *b)
{
    a->requests += b->requests;
    a->errors += b->errors;
    a->input_tokens += b->input_tokens;
    a->output_tokens += b->output_tokens;
    a->cache_read_tokens += b->cache_read_tokens;
    a->cache_write_tokens += b->cache_write_tokens;
}

tp_status store_log_object_find(tp_store *s, const char *object, int *out_found, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    *out_found = 0;
    if ((rc = store_stmt(s, STORE_STMT_LOG_OBJECT_FIND,
                         "SELECT 1 FROM log_objects WHERE object = ?1", &st,
                         "looking up a log object", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_text(st, 1, object, -1, SQLITE_STATIC);
    const int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *out_found = 1;
    else if (step != SQLITE_DONE)
        rc = store_db_error(s, err, "looking up a log object");
cleanup:
    store_stmt_done(st);
    return rc;
}

tp_status store_log_same_content(tp_store *s, const char *sha_a, const char *sha_b,
                                 int64_t exclude_ingest, char **out, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    int64_t best = 0;
    *out = NULL;
    /* one search per sha256 (an IN list sorted its matches in a temporary b-tree for every
     * object); the earlier of the two found wins, as in the order of ingest ids */
    for (int k = 0; k < 2 && rc == TP_OK; k++) {
        const char *sha = k == 0 ? sha_a : sha_b;
        if (k == 1 && strcmp(sha_a, sha_b) == 0)
            break;
        if ((rc = store_stmt(s, STORE_STMT_LOG_SAME_CONTENT, STORE_LOG_SAME_CONTENT_SQL, &st,
                             "looking up a log object's content", err)) != TP_OK)
            break;
        sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, exclude_ingest);
        const int step = sqlite3_step(st);
        if (step == SQLITE_ROW && (*out == NULL || sqlite3_column_int64(st, 1) < best)) {
            const unsigned char *o = sqlite3_column_text(st, 0);
            free(*out);
            best = sqlite3_column_int64(st, 1);
            if ((*out = strdup(o != NULL ? (const char *)o : "")) == NULL)
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        } else if (step != SQLITE_ROW && step != SQLITE_DONE) {
            rc = store_db_error(s, err, "looking up a log object's content");
        }
        store_stmt_done(st);
    }
    if (rc != TP_OK) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

tp_status store_log_object_add(tp_store *s, const char *object, int64_t ingest_id, int64_t records,
                               int64_t first_minute, int64_t last_minute, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    if ((rc = store_stmt(s, STORE_STMT_LOG_OBJECT_ADD,
                         "INSERT INTO log_objects(object, ingest_id, records, first_minute, "
                         "last_minute) VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st, "recording a log object", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_text(st, 1, object, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ingest_id);
    sqlite3_bind_int64(st, 3, records);
    if (first_minute <= last_minute) { /* else 4 and 5 stay NULL (store_stmt cleared them) */
        sqlite3_bind_int64(st, 4, first_minute);
        sqlite3_bind_int64(st, 5, last_minute);
    }
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_error(s, err, "recording a log object");
cleanup:
    store_stmt_done(st);
    return rc;
}

tp_status store_log_writer_open(tp_store *s, store_log_writer **out, tp_error *err)
{
    tp_status rc = TP_OK;
    store_log_writer *w = calloc(1, sizeof *w);
    *out = NULL;
    if (w == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    w->s = s;
    /* additive: a minute's sums from another object are added to, never replaced */
    if ((rc = store_stmt(s, STORE_STMT_LOG_UPSERT,
                         "INSERT INTO log_sums(model_id, minute, key_id, requests, errors, "
                         "input_tokens, output_tokens, cache_read_tokens, cache_write_tokens) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                         "ON CONFLICT (model_id, minute, key_id) DO UPDATE SET "
                         "requests = requests + excluded.requests, "
                         "errors = errors + excluded.errors, "
                         "input_tokens = input_tokens + excluded.input_tokens, "
                         "output_tokens = output_tokens + excluded.output_tokens, "
                         "cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, "
                         "cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens",
                         &w->up, "storing log sums", err)) != TP_OK)
        goto cleanup;
    store_stmt_done(w->up);
    *out = w;
    w = NULL;
cleanup:
    store_log_writer_close(w);
    return rc;
}

/* Runs a prepared lookup whose one result is an id: *out_id 0 when there is no row (ids start
 * at 1). */
static tp_status step_id(tp_store *s, sqlite3_stmt *st, int64_t *out_id, tp_error *err)
{
    const int step = sqlite3_step(st);
    *out_id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    tp_status rc = step == SQLITE_ROW || step == SQLITE_DONE
                       ? TP_OK
                       : store_db_error(s, err, "storing log sums");
    store_stmt_done(st);
    return rc;
}

/* *out_id = the model's id in log_models, 0 when it has none. */
static tp_status model_id(tp_store *s, const char *model, int64_t *out_id, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    *out_id = 0;
    tp_status rc = store_stmt(s, STORE_STMT_LOG_MODEL_FIND,
                              "SELECT id FROM log_models WHERE model = ?1", &st,
                              "reading log sums", err);
    if (rc != TP_OK)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    return step_id(s, st, out_id, err);
}

/* The ids of (model, attr_by, key, region, account), added to log_models and log_key_ids
 * when new. */
static tp_status key_ids(tp_store *s, const char *model, const char *attr_by, const char *key,
                         const char *region, const char *account, int64_t *out_model,
                         int64_t *out_key, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = model_id(s, model, out_model, err);
    if (rc == TP_OK && *out_model == 0) {
        if ((rc = store_stmt(s, STORE_STMT_LOG_MODEL_ADD,
                             "INSERT INTO log_models(model) VALUES (?1)", &st,
                             "storing log sums", err)) != TP_OK)
            return rc;
        sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
        if ((rc = step_id(s, st, out_model, err)) != TP_OK)
            return rc;
        *out_model = sqlite3_last_insert_rowid(s->db);
    }
    if (rc != TP_OK ||
        (rc = store_stmt(s, STORE_STMT_LOG_KEY_FIND,
                         "SELECT id FROM log_key_ids WHERE model_id = ?1 AND attr_by = ?2 AND "
                         "attr_key = ?3 AND region = ?4 AND account = ?5",
                         &st, "storing log sums", err)) != TP_OK)
        return rc;
    for (int add = 0; add < 2; add++) {
        if (add &&
            (rc = store_stmt(s, STORE_STMT_LOG_KEY,
                             "INSERT INTO log_key_ids(model_id, attr_by, attr_key, region, "
                             "account) VALUES (?1, ?2, ?3, ?4, ?5)",
                             &st, "storing log sums", err)) != TP_OK)
            return rc;
        sqlite3_bind_int64(st, 1, *out_model);
        sqlite3_bind_text(st, 2, attr_by, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, region, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, account, -1, SQLITE_STATIC);
        if ((rc = step_id(s, st, out_key, err)) != TP_OK)
            return rc;
        if (add)
            *out_key = sqlite3_last_insert_rowid(s->db);
        if (*out_key != 0)
            break;
    }
    return rc;
}

tp_status store_log_writer_add(store_log_writer *w, const char *model, const char *region,
                               const char *account, const char *attr_by, const char *attr_key,
                               int64_t minute, const store_log_sums *v, tp_error *err)
{
    /* The ids are looked up once a writer (one writer is one input, in one transaction):
     * the index maps the key's five parts to them. */
    const char *parts[5] = {model, attr_by, attr_key, region, account};
    size_t len[5], n = 0, slot = 0;
    for (int i = 0; i < 5; i++)
        n += len[i] = strlen(parts[i]) + 1;
    if (UTIL_GROW(w->buf, w->cap_buf, n) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    n = 0;
    for (int i = 0; i < 5; i++) {
        memcpy(w->buf + n, parts[i], len[i]);
        n += len[i];
    }
    tp_status rc = TP_OK;
    if (!str_index_find(&w->ids, w->buf, n, &slot)) {
        if (UTIL_GROW(w->pair, w->cap_pair, w->n_pair + 1) != 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        slot = w->n_pair;
        if ((rc = key_ids(w->s, model, attr_by, attr_key, region, account,
                          &w->pair[slot].model_id, &w->pair[slot].key_id, err)) != TP_OK)
            return rc;
        if (str_index_put(&w->ids, w->buf, n, slot) != 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        w->n_pair++;
    }
    sqlite3_stmt *st = w->up;
    sqlite3_bind_int64(st, 1, w->pair[slot].model_id);
    sqlite3_bind_int64(st, 2, minute);
    sqlite3_bind_int64(st, 3, w->pair[slot].key_id);
    sqlite3_bind_int64(st, 4, v->requests);
    sqlite3_bind_int64(st, 5, v->errors);
    sqlite3_bind_int64(st, 6, v->input_tokens);
    sqlite3_bind_int64(st, 7, v->output_tokens);
    sqlite3_bind_int64(st, 8, v->cache_read_tokens);
    sqlite3_bind_int64(st, 9, v->cache_write_tokens);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_error(w->s, err, "storing log sums");
    store_stmt_done(st);
    return rc;
}

void store_log_writer_close(store_log_writer *w)
{
    if (w == NULL)
        return;
    store_stmt_done(w->up); /* the handle's: tp_store_close finalizes them */
    str_index_deinit(&w->ids);
    free(w->pair);
    free(w->buf);
    free(w);
}

tp_status store_log_savepoint(tp_store *s, tp_error *err)
{
    return store_exec(s, "SAVEPOINT log_object", "storing log sums", err);
}

tp_status store_log_savepoint_end(tp_store *s, int keep, tp_error *err)
{
    if (!keep) {
        tp_status rc = store_exec(s, "ROLLBACK TO log_object", "storing log sums", err);
        if (rc != TP_OK)
            return rc;
    }
    return store_exec(s, "RELEASE log_object", "storing log sums", err);
}

/* Binds the key filter of a log query as a JSON array (?N IS NULL: every key), so that the
 * SQL is one fixed text whatever the keys. */
static tp_status bind_keys(tp_store *s, sqlite3_stmt *st, int at, const char *const *keys,
                           size_t n_keys, tp_error *err)
{
    if (n_keys == 0) {
        sqlite3_bind_null(st, at);
        return TP_OK;
    }
    tp_status rc = TP_OK;
    cJSON *arr = cJSON_CreateArray();
    char *text = NULL;
    for (size_t i = 0; arr != NULL && i < n_keys; i++)
        if (!cJSON_AddItemToArray(arr, cJSON_CreateString(keys[i]))) {
            cJSON_Delete(arr);
            arr = NULL;
        }
    if (arr == NULL || (text = cJSON_PrintUnformatted(arr)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (sqlite3_bind_text(st, at, text, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        rc = store_db_error(s, err, "reading log sums");
cleanup:
    cJSON_free(text);
    cJSON_Delete(arr);
    return rc;
}

/* The keys of model ?1 (an id) a reader takes: those of the keys in ?2 (a JSON array; NULL:
 * every key) at the place ?5, ?6 (NULL: any region, any account). ?7 is 1 when every key of
 * the model is taken, which skips the search. */
#define KEYS_TAKEN                                                                                 \
    "(?7 = 1 OR key_id IN (SELECT id FROM log_key_ids WHERE model_id = ?1 AND (?2 IS NULL OR "     \
    "attr_key IN (SELECT value FROM json_each(?2))) AND (?5 IS NULL OR region = ?5) AND "          \
    "(?6 IS NULL OR account = ?6)))"
/* the place filter on log_key_ids k */
#define PLACE_FILTER "(?5 IS NULL OR k.region = ?5) AND (?6 IS NULL OR k.account = ?6)"

static void bind_place(sqlite3_stmt *st, const store_place *at)
{
    if (at != NULL && at->region != NULL)
        sqlite3_bind_text(st, 5, at->region, -1, SQLITE_STATIC);
    if (at != NULL && at->account != NULL)
        sqlite3_bind_text(st, 6, at->account, -1, SQLITE_STATIC);
}

/* Binds the model id ?1, keys ?2, place ?5, ?6 and ?7 of KEYS_TAKEN. */
static tp_status bind_taken(tp_store *s, sqlite3_stmt *st, int64_t model, const store_place *at,
                            const char *const *keys, size_t n_keys, tp_error *err)
{
    sqlite3_bind_int64(st, 1, model);
    bind_place(st, at);
    sqlite3_bind_int(st, 7, n_keys == 0 && (at == NULL || (at->region == NULL &&
                                                           at->account == NULL)));
    return bind_keys(s, st, 2, keys, n_keys, err);
}

/* The first and last minute of a model's log sums at a place (any key): each the first row
 * of the model's sums walked one way (their key's order) that is at the place, so the place
 * filter does not turn min() and max() into a scan of every sum of the model. */
static tp_status span_ends(tp_store *s, int64_t model, const store_place *at, int *out_found,
                           int64_t *out_first, int64_t *out_last, tp_error *err)
{
    static const char *const sql[2] = {
        "SELECT minute FROM log_sums WHERE model_id = ?1 AND " KEYS_TAKEN
        " ORDER BY minute LIMIT 1",
        "SELECT minute FROM log_sums WHERE model_id = ?1 AND " KEYS_TAKEN
        " ORDER BY minute DESC LIMIT 1"};
    int64_t *out[2] = {out_first, out_last};
    tp_status rc = TP_OK;
    if (at != NULL && at->region != NULL && at->account != NULL) {
        /* none at this place (metrics without a region, logs with one): the walks below
         * would read every sum of the model to find nothing; its keys say at once (a key is
         * stored with its first sum) */
        sqlite3_stmt *st = NULL;
        if ((rc = store_prepare(s,
                                "SELECT 1 FROM log_key_ids k WHERE model_id = ?1 AND "
                                "k.region = ?5 AND k.account = ?6 LIMIT 1",
                                &st, "reading log sums", err)) != TP_OK)
            return rc;
        sqlite3_bind_int64(st, 1, model);
        bind_place(st, at);
        const int step = sqlite3_step(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            rc = store_db_error(s, err, "reading log sums");
        sqlite3_finalize(st);
        if (rc != TP_OK || step == SQLITE_DONE)
            return rc;
    }
    for (int k = 0; k < 2 && rc == TP_OK; k++) {
        sqlite3_stmt *st = NULL;
        if ((rc = store_prepare(s, sql[k], &st, "reading log sums", err)) != TP_OK ||
            (rc = bind_taken(s, st, model, at, NULL, 0, err)) != TP_OK) {
            sqlite3_finalize(st);
            break;
        }
        const int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            *out_found = 1;
            *out[k] = sqlite3_column_int64(st, 0);
        } else if (step != SQLITE_DONE) {
            rc = store_db_error(s, err, "reading log sums");
        }
        sqlite3_finalize(st);
        if (step == SQLITE_DONE)
            break; /* none: *out_found stays 0 */
    }
    return rc;
}

tp_status store_log_span(tp_store *s, const char *model, const char *const *keys, size_t n_keys,
                         int *out_found, int64_t *out_first, int64_t *out_last, tp_error *err)
{
    return store_log_span_at(s, model, NULL, keys, n_keys, out_found, out_first, out_last, err);
}

tp_status store_log_span_at(tp_store *s, const char *model, const store_place *at,
                            const char *const *keys, size_t n_keys, int *out_found,
                            int64_t *out_first, int64_t *out_last, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    *out_found = 0;
    tp_status rc = model_id(s, model, &id, err);
    if (rc != TP_OK || id == 0)
        return rc;
    if (n_keys == 0) /* every load asks: two searches, not a scan of the model's sums */
        return span_ends(s, id, at, out_found, out_first, out_last, err);
    if ((rc = store_prepare(s,
                            "SELECT min(minute), max(minute) FROM log_sums WHERE model_id = ?1 "
                            "AND " KEYS_TAKEN,
                            &st, "reading log sums", err)) != TP_OK ||
        (rc = bind_taken(s, st, id, at, keys, n_keys, err)) != TP_OK)
        goto cleanup;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = store_db_error(s, err, "reading log sums");
        goto cleanup;
    }
    if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *out_found = 1;
        *out_first = sqlite3_column_int64(st, 0);
        *out_last = sqlite3_column_int64(st, 1);
    }
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status store_log_minutes(tp_store *s, const char *model, const char *const *keys, size_t n_keys,
                            int64_t from, int64_t to, store_log_minute_fn fn, void *ctx,
                            tp_error *err)
{
    return store_log_minutes_at(s, model, NULL, keys, n_keys, from, to, fn, ctx, err);
}

tp_status store_log_minutes_at(tp_store *s, const char *model, const store_place *at,
                               const char *const *keys, size_t n_keys, int64_t from, int64_t to,
                               store_log_minute_fn fn, void *ctx, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    tp_status rc = model_id(s, model, &id, err);
    if (rc != TP_OK || id == 0)
        return rc;
    if ((rc = store_prepare(s,
                            "SELECT minute, sum(requests), sum(errors), sum(input_tokens), "
                            "sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens) "
                            "FROM log_sums WHERE model_id = ?1 AND minute >= ?3 AND minute < ?4 "
                            "AND " KEYS_TAKEN " GROUP BY minute ORDER BY minute",
                            &st, "reading log sums", err)) != TP_OK ||
        (rc = bind_taken(s, st, id, at, keys, n_keys, err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const store_log_sums v = {sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                                  sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
                                  sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6)};
        if (fn(ctx, sqlite3_column_int64(st, 0), &v) != 0)
            goto cleanup;
    }
    if (step != SQLITE_DONE)
        rc = store_db_error(s, err, "reading log sums");
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status store_log_key_minutes(tp_store *s, const char *model, int64_t from, int64_t to,
                                store_log_key_fn fn, void *ctx, tp_error *err)
{
    return store_log_key_minutes_at(s, model, NULL, from, to, fn, ctx, err);
}

tp_status store_log_key_minutes_at(tp_store *s, const char *model, const store_place *at,
                                   int64_t from, int64_t to, store_log_key_fn fn, void *ctx,
                                   tp_error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    tp_status rc = model_id(s, model, &id, err);
    if (rc != TP_OK || id == 0)
        return rc;
    /* CROSS JOIN: the model's sums in key order outside, each one's key found by its id */
    if ((rc = store_prepare(s,
                            "SELECT s.minute, k.attr_key, s.requests, s.errors, s.input_tokens, "
                            "s.output_tokens, s.cache_read_tokens, s.cache_write_tokens FROM "
                            "log_sums s CROSS JOIN log_key_ids k ON k.id = s.key_id "
                            "WHERE s.model_id = ?1 AND s.minute >= ?2 AND s.minute < ?3 AND "
                            PLACE_FILTER " ORDER BY s.minute, k.attr_key",
                            &st, "reading log sums", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    bind_place(st, at);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const store_log_sums v = {sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
                                  sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
                                  sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7)};
        if (fn(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), &v))
            goto cleanup;
    }
    if (step != SQLITE_DONE)
        rc = store_db_error(s, err, "reading log sums");
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status store_log_key_count(tp_store *s, const char *model, int64_t from, int64_t to,
                              int64_t *out_n, tp_error *err)
{
    return store_log_key_count_at(s, model, NULL, from, to, out_n, err);
}

tp_status store_log_key_count_at(tp_store *s, const char *model, const store_place *at,
                                 int64_t from, int64_t to, int64_t *out_n, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    *out_n = 0;
    tp_status rc = model_id(s, model, &id, err);
    if (rc != TP_OK || id == 0)
        return rc;
    if ((rc = store_prepare(s,
                            "SELECT count(DISTINCT k.attr_key) FROM log_sums s CROSS JOIN "
                            "log_key_ids k ON k.id = s.key_id WHERE s.model_id = ?1 AND "
                            "s.minute >= ?2 AND s.minute < ?3 AND " PLACE_FILTER,
                            &st, "counting log keys", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    bind_place(st, at);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out_n = sqlite3_column_int64(st, 0);
    else
        rc = store_db_error(s, err, "counting log keys");
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status store_log_key_exists(tp_store *s, const char *model, const char *attr_by, const char *key,
                               int *out_found, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    *out_found = 0;
    tp_status rc = store_stmt(s, STORE_STMT_LOG_KEY_EXISTS,
                              "SELECT 1 FROM log_models m JOIN log_key_ids k ON k.model_id = m.id "
                              "WHERE m.model = ?1 AND k.attr_by = ?2 AND k.attr_key = ?3 LIMIT 1",
                              &st, "looking up a log key", err);
    if (rc != TP_OK)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, attr_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    const int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *out_found = 1;
    else if (step != SQLITE_DONE)
        rc = store_db_error(s, err, "looking up a log key");
    store_stmt_done(st);
    return rc;
}

tp_status store_log_keys_stored(tp_store *s, const char *model, const char *attr_by, int64_t *out_n,
                                tp_error *err)
{
    sqlite3_stmt *st = NULL;
    *out_n = 0;
    tp_status rc = store_stmt(s, STORE_STMT_LOG_KEYS_STORED,
                              "SELECT count(DISTINCT k.attr_key) FROM log_models m JOIN "
                              "log_key_ids k ON k.model_id = m.id WHERE m.model = ?1 AND "
                              "k.attr_by = ?2",
                              &st, "counting log keys", err);
    if (rc != TP_OK)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, attr_by, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out_n = sqlite3_column_int64(st, 0);
    else
        rc = store_db_error(s, err, "counting log keys");
    store_stmt_done(st);
    return rc;
}
