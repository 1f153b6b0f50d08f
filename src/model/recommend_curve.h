/* recommend_curve.h - the recommender's cost against the input reservation, for a chart: what
 * a later stage (the fleet's charts) may ask of the recommender without its internals. */
#ifndef TIERPLAN_RECOMMEND_CURVE_H
#define TIERPLAN_RECOMMEND_CURVE_H

#include <stddef.h>

#include "tierplan/recommend.h"
#include "tierplan/series.h"

/* A sampled cost curve: total cost per month (reserved + billed spill, 730-hour months)
 * against the input reservation, output fixed. Both arrays are n long, ascending in input. */
typedef struct rec_curve {
    size_t n;
    double *input_tpm;     /* owned: free with rec_curve_free */
    double *usd_per_month; /* owned */
} rec_curve;

/* The curve of demand d priced with price (catalog entry; the term_months discount is applied
 * here) under options o, at the output reservation out_tpm: at most max_points (>= 2) input
 * grid points from 0 to the first at or above max(upto_tpm, in_tpm), evenly spread, always
 * including in_tpm's own point. Each point's cost is the recommender's own (the same terms,
 * and with throttling the same cost surface), so the curve passes exactly through the
 * recommendation. TP_ERR_NOMEM, or TP_ERR_INVALID for a grid over the limit. On failure *out
 * holds nothing to free. */
tp_status rec_curve_compute(const tp_demand *d, const tp_model_price *price,
                            const tp_rec_options *o, int term_months, double in_tpm,
                            double out_tpm, double upto_tpm, size_t max_points, rec_curve *out,
                            tp_error *err);

/* Frees c's arrays and empties it. NULL is fine. */
void rec_curve_free(rec_curve *c);

#endif
