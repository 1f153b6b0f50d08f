/* fleet_charts.h - what the HTML charts draw for one model, finished by the fleet stage
 * (fleet_charts.c) for the renderer: the demand sized on, its percentiles, the hour-of-week
 * means, the cost curve and the candidates placed on it. */
#ifndef TIERPLAN_FLEET_CHARTS_H
#define TIERPLAN_FLEET_CHARTS_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/fleet.h"

struct tp_fleet_charts {
    size_t n;             /* minutes */
    int64_t from_minute;  /* Unix minute of element 0 */
    double *e, *o;        /* effective input and output TPM sized on (what-if applied); in
                           * units: weighted and output TPM (below) */
    double how_e[168];    /* mean effective input TPM per hour of week (Monday 00 UTC first);
                           * NAN where the window has no minute */
    size_t n_curve;       /* cost curve: total cost per month against the input reservation, */
    double *curve_input_tpm; /* at the recommended output reservation, ascending */
    double *curve_usd_per_month;
    tp_summary e_summary;  /* percentiles of e, marked on the demand-duration curve */
    /* the percentile candidates (P25 .. P99, in the recommendation's order) placed on the
     * cost curve: their input TPM and the curve's cost there, linear between its points
     * (NAN on an empty curve) */
    size_t n_marks;
    /* 1: a model sold in units (fleet_charts_units): e is its weighted TPM (two pools: the
     * input pool's), o its output TPM, o_summary the percentiles of o; no cost curve or
     * marks */
    int units;
    tp_summary o_summary;
    tp_basis mark_basis[4];
    double mark_input_tpm[4], mark_usd_per_month[4];
};

#endif
