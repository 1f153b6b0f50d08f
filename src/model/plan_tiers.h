/* plan_tiers.h - a plan priced by service tier for the callers that size or price a model
 * from a series (plans, the fleet, projections, showback): one candidate simulated with
 * tp_simulate_tiers_run, windows of a tiered demand, and the routing a held reservation or a
 * fixed plan serves (docs/model.md, "Service tiers"). The library's stages after the model
 * (the fleet) use it as they use recommend_batch.h. */
#ifndef TIERPLAN_PLAN_TIERS_H
#define TIERPLAN_PLAN_TIERS_H

#include <stddef.h>

#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/series.h"
#include "tierplan/simulate.h"

/* The tiers a reservation the caller fixes (a held one, a plan file's, a trained one without
 * a routing of its own) serves: o->route_tiers when given, else reserved and default (the
 * traffic that asks for it, and what a client sends without asking for a tier; a demand
 * without a tier dimension is all default). Reserved always. */
tp_route_set plan_tiers_fixed_route(const tp_rec_options *o);

/* Reservation (ri, ro) with `routed` simulated by tier on d at prices p (term applied) as
 * candidate `basis`, its rates filled in as tp_recommend_tiers_run fills its candidates' (the
 * on-demand part, spill and the traffic not routed, in spill_per_hour_usd).
 * TP_BASIS_ON_DEMAND routes nothing (every token at the tier that served it, spill to
 * Standard). d, p and o are borrowed; c is filled in. tp_simulate_tiers_run's errors. */
tp_status plan_tiers_candidate(const tp_tier_demand *d, const tp_model_price *p,
                               const tp_rec_options *o, tp_basis basis, double ri, double ro,
                               tp_route_set routed, int months, tp_candidate *c, tp_error *err);

/* Minutes [at, at + minutes) of d (borrowed arrays, offset; a tier without traffic stays
 * without arrays). at + minutes must not exceed d->minutes. */
tp_tier_demand plan_tiers_slice(const tp_tier_demand *d, size_t at, size_t minutes);

/* The sum of d's tiers in `routed` into the caller's four arrays of d->minutes each
 * (in, out, cr, cw), returned as a demand over them. */
tp_demand plan_tiers_sum(const tp_tier_demand *d, tp_route_set routed, double *in, double *out,
                         double *cr, double *cw);

#endif
