/* stats_internal.h - what the stats report (stats_report.c) shares with stats.c. */
#ifndef TIERPLAN_MODEL_STATS_INTERNAL_H
#define TIERPLAN_MODEL_STATS_INTERNAL_H

#include "tierplan/stats.h"

/* tp_stats_all, with each omitted model's reason naming request fields through name (ctx:
 * name_ctx; NULL: the API's names), as tp_error_rename does: the reasons are kept in the set
 * and printed as they are. */
tp_status stats_all(tp_store *store, const tp_series_query *q, const tp_pricing *pricing,
                    tp_field_name_fn name, void *name_ctx, tp_stats_set **out, tp_error *err);

/* The places stats_all makes entries of (q->model's, or every model's): those in q's region
 * and account, of the kind of data the loader reads first (metric exports, unless q->source
 * is logs; a model without that kind: its other places), each model and account once with
 * merge_regions. *out (tp_store_places order) is freed with tp_store_places_free. */
tp_status stats_places(tp_store *store, const tp_series_query *q, tp_store_place **out,
                       size_t *n_out, tp_error *err);

/* tp_stats_summarize of values[0..n-1] (doubles in memory from malloc), without a copy: each
 * value's sort key is written over it, so that the array holds no doubles afterwards (the
 * caller reads no value from it again, only writes it anew). The same summary, the same
 * errors. */
tp_status stats_summarize_in_place(void *values, size_t n, tp_summary *out, tp_error *err);

#endif
