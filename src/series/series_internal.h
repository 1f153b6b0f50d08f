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

/* A part's tier on an axis its family does not tell (ServiceTier alone: no served tier). */
#define TIER_NONE TP_SERVICE_COUNT
#define TIER_SLOTS (TP_SERVICE_COUNT + 1)
/* Arrays a series can own beyond its totals: every part, every axis sum, the zeros. */
#define MAX_OWNED (TIER_SLOTS * TIER_SLOTS * TP_METRIC_COUNT + 2 * TP_SERVICE_COUNT * TP_METRIC_COUNT + 1)

typedef struct res_entry {
    int period_s;
    size_t minutes;
} res_entry;

struct tp_series {
    char *model;
    char *region, *account; /* where it was loaded for: "" unknown, region "*" merged */
    int64_t from_minute;
    size_t minutes;
    size_t minutes_with_data;
    double *values[TP_METRIC_COUNT];
    char *sources[TP_METRIC_COUNT]; /* see describe_sources in series.c */
    res_entry res[TP_METRIC_COUNT][MAX_RES];
    size_t n_res[TP_METRIC_COUNT];
    int64_t *ingests; /* sorted ids of the ingests whose points were loaded */
    size_t n_ingests, cap_ingests, last_ingest;
    /* The dimension family the demand was read from, and its parts (docs/model.md,
     * "Dimension families"). part[asked][served][m]: one (ServiceTier, ResolvedServiceTier)
     * pair of the family, TIER_NONE on the axis the family lacks; NULL where absent. A part
     * that is the metric's only one is values[m] itself (no copy). axis[a][t][m]: the traffic
     * of tier t along tp_tier_axis a (a part, a sum of parts, or zeros when the tier has no
     * traffic); NULL along an axis the family does not tell. Every pointer here borrows; the
     * arrays the series allocated for them are listed in owned[] (freed with the series, or
     * by series_release_values). tier_present[a][t]: tier t has a stored part. */
    tp_tier_family family;
    double *part[TIER_SLOTS][TIER_SLOTS][TP_METRIC_COUNT];
    double *axis[2][TP_SERVICE_COUNT][TP_METRIC_COUNT];
    unsigned char tier_present[2][TP_SERVICE_COUNT];
    double *zeros;
    double *owned[MAX_OWNED];
    size_t n_owned;
    /* The minutes of the window covered by neither source: outside every metric export's
     * span (or the extent of a series without a recorded span) and outside the extent of the
     * invocation logs read (docs/model.md, "Metrics or logs"). Merged runs, ascending; owned. */
    tp_window *uncovered;
    size_t n_uncovered;
    int64_t uncovered_minutes;
    size_t log_minutes; /* minutes whose demand came from invocation logs in a metric load */
};

/* Appends [from, to) to s's uncovered runs (joined to the last when adjacent). */
tp_status series_note_uncovered(tp_series *s, int64_t from, int64_t to, tp_error *err);

/* Frees the part, axis and zero arrays the series owns and forgets every pointer to them. */
void series_free_parts(tp_series *s);

/* tp_series_load from metric exports (series.c); tp_series_load (series_logs.c) chooses
 * between it and the logs. With blend_logs, the minutes of the window no metric export covers
 * take their demand from the invocation logs of qry's place, and the window without bounds
 * spans both sources' data (docs/model.md, "Metrics or logs"). */
tp_status series_load_metrics(tp_store *st, const tp_series_query *qry, int blend_logs,
                              tp_series **out, tp_error *err);
/* Appends to b what the store holds instead of model: the ids that differ from it only by a
 * cross-region prefix ("did you mean"), then every stored model (the first 20). */
tp_status series_suggest_models(tp_store *st, const char *model, strbuf *b, tp_error *err);

/* Appends the window q asked for: " in the window A .. B", " from A on", " before B". */
void series_describe_window(strbuf *b, const tp_series_query *q);

#endif
