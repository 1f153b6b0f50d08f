/* fleet_internal.h - what the fleet computation keeps for the HTML charts (private): the
 * per-minute demand sized on, the hour-of-week means and the cost curve. */
#ifndef TIERPLAN_FLEET_INTERNAL_H
#define TIERPLAN_FLEET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/fleet.h"
#include "tierplan/series.h"

/* Most points the cost curve holds: about one per 3 pixels of the chart's plot. */
#define FLEET_CURVE_MAX_POINTS 300

struct tp_fleet_charts {
    size_t n;             /* minutes */
    int64_t from_minute;  /* Unix minute of element 0 */
    double *e, *o;        /* effective input and output TPM sized on (what-if applied) */
    double how_e[168];    /* mean effective input TPM per hour of week (Monday 00 UTC first);
                           * NAN where the window has no minute */
    size_t n_curve;       /* cost curve: total cost per month against the input reservation, */
    double *curve_input_tpm; /* at the recommended output reservation, ascending */
    double *curve_usd_per_month;
};

/* Fills what the charts draw for demand d sized as rec says under options o with prices
 * price (catalog entry, term not applied). *out is freed with fleet_charts_free. */
tp_status fleet_charts_compute(const tp_demand *d, const tp_model_price *price,
                               const tp_rec_options *o, const tp_recommendation *rec,
                               tp_fleet_charts **out, tp_error *err);
void fleet_charts_free(tp_fleet_charts *c);

#endif
