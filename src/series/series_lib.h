/* series_lib.h - what later stages of the library (the model's showback, the fleet) use of a
 * series beyond the public API: the window over invocation logs, the newest minute,
 * handing a sized series' arrays back to its store handle, and choosing a model's place. */
#ifndef TIERPLAN_SERIES_LIB_H
#define TIERPLAN_SERIES_LIB_H

#include <stdint.h>

#include "tierplan/series.h"
#include "tierplan/store.h"

/* A rolling window (--last 14d, --from -2w, or any window anchored at a --now) is "the recent
 * past of this model": on a history younger than the window it would reach before the first
 * minute of data, and with a later --now past the last one. Those minutes were never
 * exported, not idle (an idle minute is one an export covered without a datapoint), so the
 * window [*lo, *hi) stops at the data's ends [data_lo, data_hi) there; a bound the user fixed
 * (a date, a month) is taken as given. rolling is the window as given, NULL for fixed
 * bounds. Metric and log demand (and showback) clip alike. */
static inline void series_clip_rolling(const tp_window_spec *rolling, int64_t data_lo,
                                       int64_t data_hi, int64_t *lo, int64_t *hi)
{
    if (rolling == NULL)
        return;
    if (rolling->from.kind == TP_BOUND_BEFORE && *lo < data_lo)
        *lo = data_lo;
    if (rolling->to.kind != TP_BOUND_AT && *hi > data_hi)
        *hi = data_hi;
}

/* The window [*lo, *hi) of a query over invocation logs whose first and last minutes are
 * first and last: its bounds, a rolling window resolved at last + 1 (or its now) and kept
 * within the logs (series_clip_rolling), else the logs' span. *hi <= *lo when nothing of it
 * holds logs: the caller words that error. TP_ERR_USAGE for a window that resolves empty. */
tp_status series_logs_window(const tp_series_query *q, int64_t first, int64_t last,
                             int64_t *lo, int64_t *hi, tp_error *err);

/* The newest minute of s with a token in any metric (a Unix minute), or -1 when none. */
int64_t series_newest_minute(const tp_series *s);

/* Releases s's per-minute values and keeps its description (model, window, resolutions,
 * sources, ingests): tp_series_values and tp_series_demand give NULL arrays from then on.
 * With st, the arrays go back to that store handle for its next load (store_buffer_give),
 * else they are freed. The fleet releases them once a model is sized, so that a report's
 * memory does not grow with its models (50 loaded years held 0.85 GB of arrays) and the next
 * model on the worker's handle reuses them instead of faulting in fresh pages. */
void series_release_values(tp_series *s, tp_store *st);

/* Chooses the one place (store.h) q loads from (showback refuses an unchosen place as the
 * loaders do): *out is q with region and account set to it (region NULL with merge_regions: every region of the account), and *region_shown,
 * *account_shown (borrowed from *places, or static) what the series says it was loaded for.
 * TP_ERR_USAGE naming the places stored and the options to pass when q matches several and
 * does not merge them (or merges regions of several accounts); TP_ERR_NOT_FOUND when q names a
 * place the model is not stored in. The caller frees *places (n_places) with
 * tp_store_places_free, after it is done with *out. */
tp_status series_choose_place(tp_store *st, const tp_series_query *q, tp_series_query *out,
                              tp_store_place **places, size_t *n_places,
                              const char **region_shown, const char **account_shown,
                              tp_error *err);

#endif
