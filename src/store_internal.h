/* store_internal.h - the store's body and the private write/read API used by ingest and series. */
#ifndef TIERPLAN_STORE_INTERNAL_H
#define TIERPLAN_STORE_INTERNAL_H

#include <sqlite3.h>

#include "tierplan/store.h"

/* Prepared statements kept for the life of the store: the ingest hot path reuses them. */
struct tp_store {
    sqlite3 *db;
    sqlite3_stmt *ins_point;    /* INSERT OR IGNORE a point */
    sqlite3_stmt *get_point;    /* value, ingest_id of one key */
    sqlite3_stmt *upd_point;    /* replace value and ingest_id of one key */
    sqlite3_stmt *get_series;   /* id of a series key */
    sqlite3_stmt *ins_series;   /* add a series key */
    int64_t batch_first_ingest; /* first ingests.id of the open write batch, or 0 */
    int in_batch;
};

/* A series key: the identity of one stored time series. Tiers are "" when absent. */
typedef struct store_series_key {
    const char *model;
    const char *metric;
    const char *service_tier;
    const char *resolved_tier;
    int period_s;
} store_series_key;

typedef enum store_put_result {
    STORE_PUT_INSERTED,
    STORE_PUT_REPLACED,
    STORE_PUT_UNCHANGED
} store_put_result;

/* Opens a write batch (BEGIN IMMEDIATE): every ingest command is exactly one batch. */
tp_status store_batch_begin(tp_store *s, tp_error *err);
tp_status store_batch_commit(tp_store *s, tp_error *err);
/* Rolls back everything since store_batch_begin; safe to call when no batch is open. */
void store_batch_rollback(tp_store *s);

/* Adds a provenance row for one input file of the batch; returns its id. */
tp_status store_ingest_add(tp_store *s, const char *source, const char *sha256_hex,
                           const char *format, int64_t *out_id, tp_error *err);
tp_status store_ingest_finish(tp_store *s, int64_t ingest_id, int64_t points, int64_t inserted,
                              int64_t replaced, int64_t unchanged, tp_error *err);

/* Finds or creates the series with this key. */
tp_status store_series_get(tp_store *s, const store_series_key *key, int64_t *out_id,
                           tp_error *err);

/*
 * Stores one point. A key first written earlier in the same batch with a different value is
 * TP_ERR_CONFLICT (the message names the stored value); the caller adds file and location.
 */
tp_status store_point_put(tp_store *s, int64_t series_id, int64_t minute, double value,
                          int64_t ingest_id, store_put_result *out_result, tp_error *err);

/* Copies sqlite3_errmsg into err with a prefix; returns TP_ERR_DB. */
tp_status store_db_error(tp_store *s, tp_error *err, const char *what);

#endif
