/* store_internal.h - the store's body and the private write/read API used by ingest and series. */
#ifndef TIERPLAN_STORE_INTERNAL_H
#define TIERPLAN_STORE_INTERNAL_H

#include <sqlite3.h>

#include "tierplan/store.h"

/* Prepared statements kept for the life of the store: the ingest hot path reuses them. */
struct tp_store {
    sqlite3 *db;
    sqlite3_stmt *get_day;      /* one stored day of a series */
    sqlite3_stmt *put_day;      /* write one day back */
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

/* One UTC day of one series as stored: the value of each minute and the ingest that wrote
 * it (0: no point in that minute). */
#define STORE_DAY_MINUTES 1440
#define STORE_DAY_BYTES (STORE_DAY_MINUTES * (8 + 4))
typedef struct store_day {
    double value[STORE_DAY_MINUTES];
    uint32_t ingest[STORE_DAY_MINUTES];
} store_day;

void store_day_encode(const store_day *d, unsigned char out[STORE_DAY_BYTES]);
/* Returns 0, or -1 when the blob is not a day (wrong size). */
int store_day_decode(const void *blob, int len, store_day *d);

/* Reads day `day` (Unix seconds / 86400) of a series; an absent day reads as all empty. */
tp_status store_day_get(tp_store *s, int64_t series_id, int64_t day, store_day *out,
                        tp_error *err);
/* Writes a day back (inserting or replacing its row). */
tp_status store_day_put(tp_store *s, int64_t series_id, int64_t day, const store_day *d,
                        tp_error *err);

/* Opens a write batch (BEGIN IMMEDIATE): every ingest command is exactly one batch. */
tp_status store_batch_begin(tp_store *s, tp_error *err);
tp_status store_batch_commit(tp_store *s, tp_error *err);
/* Rolls back everything since store_batch_begin; safe to call when no batch is open. */
void store_batch_rollback(tp_store *s);

/* Adds a provenance row for one input file of the batch; returns its id. The content hash
 * and counts are filled in by store_ingest_finish when the file is done. */
tp_status store_ingest_add(tp_store *s, const char *source, const char *format,
                           int64_t *out_id, tp_error *err);
tp_status store_ingest_finish(tp_store *s, int64_t ingest_id, const char *sha256_hex,
                              int64_t points, int64_t inserted, int64_t replaced,
                              int64_t unchanged, tp_error *err);

/* Finds or creates the series with this key. */
tp_status store_series_get(tp_store *s, const store_series_key *key, int64_t *out_id,
                           tp_error *err);

/* Copies sqlite3_errmsg into err with a prefix; returns TP_ERR_DB. */
tp_status store_db_error(tp_store *s, tp_error *err, const char *what);

#endif
