/* window.c - resolves a window as the user gave it (timestamp.h) into a query's bounds. */
#include "tierplan/series.h"

tp_status tp_series_query_resolve(const tp_series_query *q, int64_t data_end_minute,
                                  tp_series_query *out, tp_error *err)
{
    *out = *q;
    const tp_window_spec *w = q->window;
    if (w == NULL || q->has_from || q->has_to)
        return TP_OK;
    const int64_t anchor = w->has_now ? w->now_minute : data_end_minute;
    tp_status rc;
    if (w->from.kind != TP_BOUND_NONE) {
        if ((rc = tp_window_bound_minute(&w->from, anchor, &out->from_minute, err)) != TP_OK)
            return rc;
        out->has_from = 1;
    }
    if (w->to.kind != TP_BOUND_NONE) {
        if ((rc = tp_window_bound_minute(&w->to, anchor, &out->to_minute, err)) != TP_OK)
            return rc;
        out->has_to = 1;
    } else if (w->from.kind == TP_BOUND_BEFORE) {
        /* "the last 14 days" end at the anchor: with --now, not at the data's end */
        out->to_minute = anchor;
        out->has_to = 1;
    }
    if (out->has_from && out->has_to && out->to_minute <= out->from_minute) {
        char a[TP_TIME_BUF], b[TP_TIME_BUF];
        return tp_error_set_field(err, TP_ERR_USAGE, "to_minute",
                                  "empty window %s .. %s: {to_minute} must be after "
                                  "{from_minute}",
                                  tp_timestamp_format(out->from_minute * 60, a),
                                  tp_timestamp_format(out->to_minute * 60, b));
    }
    return TP_OK;
}
