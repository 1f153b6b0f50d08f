/* stats_internal.h - what the stats report (stats_report.c) shares with stats.c. */
#ifndef TIERPLAN_MODEL_STATS_INTERNAL_H
#define TIERPLAN_MODEL_STATS_INTERNAL_H

#include "tierplan/stats.h"

/* tp_stats_all, with each omitted model's reason naming request fields through name (ctx:
 * name_ctx; NULL: the API's names), as tp_error_rename does: the reasons are kept in the set
 * and printed as they are. */
tp_status stats_all(tp_store *store, const tp_series_query *q, const tp_pricing *pricing,
                    tp_field_name_fn name, void *name_ctx, tp_stats_set **out, tp_error *err);

#endif
