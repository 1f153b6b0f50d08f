/* plan_internal.h - plan.c's private pieces: service levels window by window, and the flat
 * reservation that meets one in every window of a seasonal plan (plan_flat.c). */
#ifndef TIERPLAN_PLAN_INTERNAL_H
#define TIERPLAN_PLAN_INTERNAL_H

#include <stddef.h>

#include "tierplan/plan.h"

/* A window of a span's demand as minute indices [from, to) into it. */
typedef struct plan_range {
    size_t from, to;
} plan_range;

/* The cheapest reservation (*ri, *ro) on the grid for all of d that meets o's service level
 * inside every range, each range on its own bounds: at most rec_throttle_limit(o) throttled
 * and rec_spill_limit(o, its minutes) spill minutes (docs/model.md, "Seasonal windows");
 * minutes outside every range are priced but not bounded. p has the term discount applied
 * (rec_apply_term). TP_ERR_INVALID when no reservation meets it; TP_ERR_NOMEM. */
tp_status plan_flat_slo(const tp_demand *d, const tp_model_price *p, const tp_rec_options *o,
                        const plan_range *r, size_t nr, double *ri, double *ro, tp_error *err);

#endif
