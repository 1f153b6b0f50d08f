/* ingest_internal.h - what the ingest pipeline (ingest.c) and its decoders (ingest_json.c,
 * ingest_csv.c) share: decoded points, groups and inputs (helpers in ingest_decoded.c), and
 * the decoder entry points. */
#ifndef TIERPLAN_INGEST_INTERNAL_H
#define TIERPLAN_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/ingest.h"
#include "tierplan/series.h"

/* One datapoint as read, before it is stored. loc locates it in the input: the array index
 * in JSON, the line number in CSV. Plain value, owns nothing. */
typedef struct ingest_point {
    int64_t ts_s;
    double value;
    uint32_t loc;
} ingest_point;

/* Points of one series key read from one place in the input. Owns every string and pts
 * (free with ingest_group_deinit); elem points at a string literal. */
typedef struct ingest_group {
    char *model, *metric, *service_tier, *resolved_tier;
    int period_s;     /* 0 until known */
    char *where;      /* e.g. "$.MetricDataResults[2]" or "document 2, $.Datapoints" */
    const char *elem; /* JSON array the loc indexes ("Values", "Datapoints"), NULL for CSV */
    ingest_point *pts;
    size_t n, cap;
} ingest_group;

/* A get-metric-data document as decoded: its query Ids and whether it has a NextToken.
 * Owns where and ids (free with ingest_page_deinit). */
typedef struct ingest_page {
    char *where; /* "file" or "file (document 2)" */
    char **ids;
    size_t n_ids;
    int has_next;
} ingest_page;

/* One input as a decoder leaves it: everything needed to store it, and no database handle,
 * so that decoding can run on another thread. Owns groups, pages and warnings (free with
 * ingest_decoded_deinit); name is borrowed from the caller and must outlive it. */
typedef struct ingest_decoded {
    const char *name;   /* the input's name, for messages */
    const char *format; /* "get-metric-data", "get-metric-statistics", "mixed", "csv" (static) */
    size_t documents;   /* JSON documents read (1 for CSV) */
    ingest_group *groups; /* in input order; none of them empty */
    size_t n_groups, cap_groups;
    ingest_page *pages; /* get-metric-data documents, in input order */
    size_t n_pages, cap_pages;
    char **warnings; /* raised while decoding, emitted when the input is stored */
    size_t n_warnings, cap_warnings;
} ingest_decoded;

/* The decoders. Each reads data[0, len) (need not be terminated) into dec, which the caller
 * zero-initialised with its name set; on error err names the input and where in it, and dec
 * holds whatever was decoded so far (the caller still frees it). They read only opts
 * (model, metric and tier overrides), so they may run on any thread. */
tp_status ingest_decode_json(const tp_ingest_options *opts, ingest_decoded *dec,
                             const char *data, size_t len, tp_error *err);
tp_status ingest_decode_csv(const tp_ingest_options *opts, ingest_decoded *dec,
                            const char *data, size_t len, tp_error *err);

/* Frees what dec owns and zeroes it (its name too). */
void ingest_decoded_deinit(ingest_decoded *dec);
void ingest_group_deinit(ingest_group *g);
void ingest_page_deinit(ingest_page *pg);

/* Appends a point; 0, or -1 when out of memory (g unchanged). */
int ingest_group_push(ingest_group *g, int64_t ts_s, double value, uint32_t loc);

/* Moves g into dec's groups, leaving g empty; an empty g is just freed. */
tp_status ingest_take_group(ingest_decoded *dec, ingest_group *g, tp_error *err);

/* Keeps a printf-style warning for when dec is stored. A warning lost to memory exhaustion
 * is not worth failing the ingest, so this cannot fail. */
void ingest_warn(ingest_decoded *dec, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Nonzero when name[0, len) is one of the metric names tierplan accepts. */
int ingest_metric_known(const char *name, size_t len);

/* Nonzero when period_s is a period tierplan can hold: a whole number of minutes, in
 * seconds, from 60 to 86400 (--period, Period= labels, the CSV period_s column). */
int ingest_period_valid(double period_s);

/* Why v cannot be stored as a datapoint: NULL when it is a finite number >= 0, else
 * "not a finite number" or "negative" (for messages). */
const char *ingest_value_problem(double v);

#endif
