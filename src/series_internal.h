/* series_internal.h - a loaded series' body and the helpers series.c shares with
 * series_describe.c (private). */
#ifndef TIERPLAN_SERIES_INTERNAL_H
#define TIERPLAN_SERIES_INTERNAL_H

#include <stdint.h>

#include "strbuf.h"
#include "tierplan/series.h"
#include "tierplan/store.h"

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

/* Appends to b what the store holds instead of model: the ids that differ from it only by a
 * cross-region prefix ("did you mean"), then every stored model (the first 20). */
tp_status series_suggest_models(tp_store *st, const char *model, strbuf *b, tp_error *err);

/* Appends the window q asked for: " in the window A .. B", " from A on", " before B". */
void series_describe_window(strbuf *b, const tp_series_query *q);

#endif
