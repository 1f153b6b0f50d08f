/* store_logs.h - the store's private API for invocation log sums (schema version 4; keyed by
 * integer model and key ids since version 8): which source objects were added, and the
 * per-minute sums per model and attribution key. */
#ifndef TIERPLAN_STORE_LOGS_H
#define TIERPLAN_STORE_LOGS_H

#include <stdint.h>

#include "tierplan/store.h"

/* The sums of one minute: requests (errors among them) and token counts. */
typedef struct store_log_sums {
    int64_t requests, errors;
    int64_t input_tokens, output_tokens, cache_read_tokens, cache_write_tokens;
} store_log_sums;

/* Adds b into a. */
void store_log_sums_add(store_log_sums *a, const store_log_sums *b);

/* *out_found is 1 when the object (its S3 key, path or "sha256:<hex>") was added before. */
tp_status store_log_object_find(tp_store *s, const char *object, int *out_found, tp_error *err);
/* The same-content lookup's SQL for one sha256 (?1), excluding ingest ?2 (tests check its
 * plan): the indexes of schema version 5 make it two index searches instead of a scan of
 * every stored object, and ingests_by_sha256 holds the ids of one sha256 in order, so the
 * earliest is the first row found, with no temporary b-tree to sort them. */
#define STORE_LOG_SAME_CONTENT_SQL                                                                 \
    "SELECT o.object, i.id FROM ingests i JOIN log_objects o ON o.ingest_id = i.id WHERE "         \
    "i.sha256 = ?1 AND i.id <> ?2 ORDER BY i.id LIMIT 1"
/* The object of the earliest other log ingest (not exclude_ingest) whose raw bytes hashed to
 * sha_a or sha_b (lowercase hex; the same twice for a plain input): *out (the caller frees
 * it) is NULL when there is none. Objects are identified by name, so the same records under
 * another name would be added again. */
tp_status store_log_same_content(tp_store *s, const char *sha_a, const char *sha_b,
                                 int64_t exclude_ingest, char **out, tp_error *err);
/* Records that the object's records were added by ingest ingest_id (first_minute >
 * last_minute when it held none). */
tp_status store_log_object_add(tp_store *s, const char *object, int64_t ingest_id, int64_t records,
                               int64_t first_minute, int64_t last_minute, tp_error *err);

/* A prepared upsert that adds sums into a minute's row of log_sums: opened per input, on the
 * command's write batch; it looks up (or adds) each key's ids once. Free with
 * store_log_writer_close (NULL allowed). */
typedef struct store_log_writer store_log_writer;
tp_status store_log_writer_open(tp_store *s, store_log_writer **out, tp_error *err);
/* Adds sums to (model, region, account, attr_by, attr_key, minute); region and account are
 * "" when unknown. */
tp_status store_log_writer_add(store_log_writer *w, const char *model, const char *region,
                               const char *account, const char *attr_by, const char *attr_key,
                               int64_t minute, const store_log_sums *v, tp_error *err);
void store_log_writer_close(store_log_writer *w);

/* A savepoint around one input of stdin, whose identity (its sha256) is known only at its
 * end: released when the input is new, rolled back when it was added before. */
tp_status store_log_savepoint(tp_store *s, tp_error *err);
tp_status store_log_savepoint_end(tp_store *s, int keep, tp_error *err);

/* Where log sums are read from (schema version 6): NULL region or account match any; ""
 * matches the unknown place. A NULL store_place * matches every place. The readers without
 * _at read every place of the model summed. */
typedef struct store_place {
    const char *region, *account;
} store_place;

/* The first and last minute with log sums of the model (*out_found 0 when none), of the keys
 * given (n_keys 0: all). */
tp_status store_log_span(tp_store *s, const char *model, const char *const *keys, size_t n_keys,
                         int *out_found, int64_t *out_first, int64_t *out_last, tp_error *err);
tp_status store_log_span_at(tp_store *s, const char *model, const store_place *at,
                            const char *const *keys, size_t n_keys, int *out_found,
                            int64_t *out_first, int64_t *out_last, tp_error *err);

/* Calls fn for each minute in [from, to) with log sums of the model, in minute order, with
 * the sums over every key (keys NULL, n_keys 0) or over the keys given. fn returns nonzero
 * to stop (the call then returns TP_OK). */
typedef int (*store_log_minute_fn)(void *ctx, int64_t minute, const store_log_sums *v);
tp_status store_log_minutes(tp_store *s, const char *model, const char *const *keys, size_t n_keys,
                            int64_t from, int64_t to, store_log_minute_fn fn, void *ctx,
                            tp_error *err);
tp_status store_log_minutes_at(tp_store *s, const char *model, const store_place *at,
                               const char *const *keys, size_t n_keys, int64_t from, int64_t to,
                               store_log_minute_fn fn, void *ctx, tp_error *err);

/* Calls fn for each (minute, key) row of the model's log sums in [from, to), ordered by minute
 * then key (a key stored under two attributions comes twice). fn returns nonzero to stop. */
typedef int (*store_log_key_fn)(void *ctx, int64_t minute, const char *key,
                                const store_log_sums *v);
tp_status store_log_key_minutes(tp_store *s, const char *model, int64_t from, int64_t to,
                                store_log_key_fn fn, void *ctx, tp_error *err);
tp_status store_log_key_minutes_at(tp_store *s, const char *model, const store_place *at,
                                   int64_t from, int64_t to, store_log_key_fn fn, void *ctx,
                                   tp_error *err);
/* *out_n = the distinct keys (of any attribution) of the model's sums in [from, to). */
tp_status store_log_key_count(tp_store *s, const char *model, int64_t from, int64_t to,
                              int64_t *out_n, tp_error *err);
tp_status store_log_key_count_at(tp_store *s, const char *model, const store_place *at,
                                 int64_t from, int64_t to, int64_t *out_n, tp_error *err);

/* *out_found is 1 when the key is stored for the model under attr_by (log_key_ids), in any
 * place: the cap on metadata keys is per model. */
tp_status store_log_key_exists(tp_store *s, const char *model, const char *attr_by, const char *key,
                               int *out_found, tp_error *err);
/* *out_n = the keys stored for the model under attr_by (log_key_ids: at most the metadata cap
 * and "other", so this reads a bounded range of one index). */
tp_status store_log_keys_stored(tp_store *s, const char *model, const char *attr_by, int64_t *out_n,
                                tp_error *err);

#endif
