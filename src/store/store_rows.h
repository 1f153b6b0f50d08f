/* store_rows.h - the store's interface to the later stages (ingest writes, series and the
 * model read): days of series, listings, write batches, provenance. Every SQL statement of the
 * library stays behind these functions, in src/store. */
#ifndef TIERPLAN_STORE_ROWS_H
#define TIERPLAN_STORE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/store.h"

/*
 * Per-minute arrays kept by a store handle from one series load to the next (a fleet worker
 * loads model after model on its own handle): a year's array is 4.2 MB, and fresh pages cost
 * a page fault and a kernel clear each, a tenth of a fleet report's time.
 * store_buffer_take returns an array of at least bytes, uninitialised, which the caller then
 * owns (the smallest kept one that is large enough, else a new malloc; NULL when out of
 * memory); store_buffer_give hands an array of that many bytes back to s, which keeps it or,
 * with every slot taken, frees the smaller of it and the smallest kept one. p may be NULL.
 * tp_store_close frees what is kept.
 */
void *store_buffer_take(tp_store *s, size_t bytes);
void store_buffer_give(tp_store *s, void *p, size_t bytes);

/* A series key: the identity of one stored time series. Tiers, region and account are ""
 * when absent. */
typedef struct store_series_key {
    const char *model;
    const char *region;  /* AWS region, "" unknown (not yet stored: see tp_store_places) */
    const char *account; /* AWS account id, "" unknown */
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

/* Reads day `day` (Unix seconds / 86400) of a series; an absent day reads as all empty.
 * A stored row that is not a day fails with TP_ERR_DB (see store_day_corrupt). */
tp_status store_day_get(tp_store *s, int64_t series_id, int64_t day, store_day *out,
                        tp_error *err);
/* Writes a day back (inserting or replacing its row). */
tp_status store_day_put(tp_store *s, int64_t series_id, int64_t day, const store_day *d,
                        tp_error *err);

/* Sets err to "corrupt day row: <metric> of model <model> on <YYYY-MM-DD>: <detail>" for
 * day `day` of the series and returns TP_ERR_DB: the reader can find the row and delete it. */
tp_status store_day_corrupt(tp_store *s, int64_t series_id, int64_t day, const char *detail,
                            tp_error *err);

/* Iterates over the stored day rows of one series with first_day <= day <= last_day, in
 * day order; absent days are skipped. Opened with store_day_iter_open, freed with
 * store_day_iter_close (NULL allowed). Several may be open at once. */
typedef struct store_day_iter store_day_iter;

tp_status store_day_iter_open(tp_store *s, int64_t series_id, int64_t first_day,
                              int64_t last_day, store_day_iter **out, tp_error *err);
/* Decodes the next day row into *out and its day number into *out_day, setting *out_found
 * to 1; at the end *out_found is 0 and *out is untouched. A row that is not a day fails
 * with TP_ERR_DB naming the series and the date. */
tp_status store_day_iter_next(store_day_iter *it, int64_t *out_day, store_day *out,
                              int *out_found, tp_error *err);
void store_day_iter_close(store_day_iter *it);

/* One stored series of a model. The strings belong to the listing. */
typedef struct store_series_info {
    int64_t id;
    char *metric;        /* CloudWatch metric name, any (not only token metrics) */
    char *service_tier;  /* "" when absent */
    char *resolved_tier; /* "" when absent */
    char *region;        /* "" when unknown */
    char *account;       /* "" when unknown */
    int period_s;
    int has_days;                /* 0: the series holds no day row yet */
    int64_t first_day, last_day; /* its first and last stored day when has_days */
} store_series_info;

/* Lists every stored series of the model, ordered by metric, service tier, resolved tier
 * and period. *out receives an array of *out_n entries (NULL when there are none); the
 * caller frees it with store_series_list_free. */
tp_status store_series_list(tp_store *s, const char *model, store_series_info **out,
                            size_t *out_n, tp_error *err);
/* Frees a listing of n entries and its strings. NULL is allowed. */
void store_series_list_free(store_series_info *v, size_t n);

/* Opens a write batch (BEGIN IMMEDIATE, waiting up to the busy timeout for another writer):
 * every ingest command is at most one batch, begun when its first input is decoded and ready
 * to store, so that the write lock is held only while storing. Refused on a read-only store. */
tp_status store_batch_begin(tp_store *s, tp_error *err);
/* Commits the batch; with no batch open there is nothing to commit and it succeeds. */
tp_status store_batch_commit(tp_store *s, tp_error *err);
/* Rolls back everything since store_batch_begin; safe to call when no batch is open. */
void store_batch_rollback(tp_store *s);
/* Nonzero while a batch of store_batch_begin is open on s. */
int store_batch_open(const tp_store *s);
/* The first ingest id of the open batch (0 when none): a stored minute written by an ingest
 * from this id on was written by this command. */
int64_t store_batch_first_ingest(const tp_store *s);
/* The path s was opened with, as given: messages about the database name it. */
const char *store_path(const tp_store *s);

/* Adds a provenance row for one input file of the batch; returns its id. The content hash
 * and counts are filled in by store_ingest_finish when the file is done. */
tp_status store_ingest_add(tp_store *s, const char *source, const char *format,
                           int64_t *out_id, tp_error *err);
tp_status store_ingest_finish(tp_store *s, int64_t ingest_id, const char *sha256_hex,
                              int64_t points, int64_t inserted, int64_t replaced,
                              int64_t unchanged, int64_t kept_newer, tp_error *err);

/* The as-of of what one ingest wrote into one series: when that snapshot of CloudWatch was
 * taken (Unix seconds), which decides between two exports' values of a minute
 * (docs/formats.md, "As-of"). store_asof_put records it, keeping the higher of two. */
tp_status store_asof_put(tp_store *s, int64_t ingest_id, int64_t series_id, int64_t as_of_s,
                         tp_error *err);
/* Reads it into *out_as_of_s; *out_found is 0 when none is recorded. */
tp_status store_asof_get(tp_store *s, int64_t ingest_id, int64_t series_id,
                         int64_t *out_as_of_s, int *out_found, tp_error *err);

/* The span [from_s, to_s) (Unix seconds) an ingested export asked CloudWatch for, for one of
 * its series (schema version 3). store_span_put records it (a span recorded twice is kept
 * once); store_spans_get reads every distinct span of a series, ordered by start, into *out
 * (NULL when none; the caller frees it with free()). */
typedef struct store_span {
    int64_t from_s, to_s;
} store_span;
tp_status store_span_put(tp_store *s, int64_t ingest_id, int64_t series_id, int64_t from_s,
                         int64_t to_s, tp_error *err);
tp_status store_spans_get(tp_store *s, int64_t series_id, store_span **out, size_t *out_n,
                          tp_error *err);
/* store_span_put for every stored series of key (period_s 0: of any period), creating none:
 * the span of an export that returned no datapoint for them (it covers its span all the
 * same). *out_n receives how many series it was recorded for (0: none stored yet). */
tp_status store_span_put_stored(tp_store *s, int64_t ingest_id, const store_series_key *key,
                                int64_t from_s, int64_t to_s, size_t *out_n, tp_error *err);

/* tp_store_places of one kind of data: metric series, log sums, or both (ALL). */
typedef enum store_places_kind {
    STORE_PLACES_ALL,
    STORE_PLACES_METRICS,
    STORE_PLACES_LOGS
} store_places_kind;
tp_status store_places_of(tp_store *s, const char *model, store_places_kind kind,
                          tp_store_place **out, size_t *out_n, tp_error *err);

/* Finds or creates the series with this key. */
tp_status store_series_get(tp_store *s, const store_series_key *key, int64_t *out_id,
                           tp_error *err);

#endif
