/* series_internal.h - the body of a loaded series, shared by the loader of metric exports
 * (series.c) and of invocation logs (series_logs.c). */
#ifndef TIERPLAN_SERIES_INTERNAL_H
#define TIERPLAN_SERIES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/series.h"

#define MAX_RES 8

typedef struct res_entry {
    int period_s;
    size_t minutes;
} res_entry;

struct tp_series {
    char *model;
    int64_t from_minute;
    size_t minutes;
    size_t minutes_with_data;
    double *values[TP_METRIC_COUNT];
    char *sources[TP_METRIC_COUNT]; /* see describe_sources */
    res_entry res[TP_METRIC_COUNT][MAX_RES];
    size_t n_res[TP_METRIC_COUNT];
    int64_t *ingests; /* sorted ids of the ingests whose points were loaded */
    size_t n_ingests, cap_ingests, last_ingest;
};

/* tp_series_load from metric exports only (series.c); tp_series_load (series_logs.c)
 * chooses between it and the logs. */
tp_status series_load_metrics(tp_store *st, const tp_series_query *qry, tp_series **out,
                              tp_error *err);

#endif
