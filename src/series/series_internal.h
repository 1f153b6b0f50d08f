/* series_internal.h - a loaded series' body, shared by the loader of metric exports
 * (series.c), its messages (series_describe.c) and the loader of invocation logs
 * (series_logs.c) (private). */
#ifndef TIERPLAN_SERIES_INTERNAL_H
#define TIERPLAN_SERIES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "tierplan/series.h"
#include "tierplan/store.h"
#include "series/series_lib.h"

#define MAX_RES 8 /* periods a metric of one series counts */

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
    char *sources[TP_METRIC_COUNT]; /* see describe_sources in series.c */
    res_entry res[TP_METRIC_COUNT][MAX_RES];
    size_t n_res[TP_METRIC_COUNT];
    int64_t *ingests; /* sorted ids of the ingests whose points were loaded */
    size_t n_ingests, cap_ingests, last_ingest;
};

/* tp_series_load from metric exports only (series.c); tp_series_load (series_logs.c)
 * chooses between it and the logs. */
tp_status series_load_metrics(tp_store *st, const tp_series_query *qry, tp_series **out,
                              tp_error *err);
/* Appends to b what the store holds instead of model: the ids that differ from it only by a
 * cross-region prefix ("did you mean"), then every stored model (the first 20). */
tp_status series_suggest_models(tp_store *st, const char *model, strbuf *b, tp_error *err);

/* Appends the window q asked for: " in the window A .. B", " from A on", " before B". */
void series_describe_window(strbuf *b, const tp_series_query *q);

#endif
