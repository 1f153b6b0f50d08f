/* fleet_charts.h - what the HTML charts draw for one model, finished by the fleet stage
 * (fleet_charts.c) for the renderer: the demand sized on, the hour-of-week means and the cost
 * curve. */
#ifndef TIERPLAN_FLEET_CHARTS_H
#define TIERPLAN_FLEET_CHARTS_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/fleet.h"

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

#endif
