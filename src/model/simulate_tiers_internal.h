/* simulate_tiers_internal.h - the pieces of the tiered simulation the recommender's tiered
 * search shares with it, so that both split the quota the same way, bit for bit. */
#ifndef TIERPLAN_SIMULATE_TIERS_INTERNAL_H
#define TIERPLAN_SIMULATE_TIERS_INTERNAL_H

#include "model/simulate_internal.h"
#include "tierplan/simulate.h"

/* The tiers of d with traffic (arrays set) into *present, after checking their arrays and the
 * catalog's prices for their price tiers. */
tp_status sim_tiers_check(const tp_tier_demand *d, const tp_model_price *p, tp_route_set *present,
                          tp_error *err);

/* Quota-weighted on-demand use of minute t by the tiers not routed (input + cache write +
 * output x out_weight). */
double sim_tiers_quota_use(const tp_tier_demand *d, tp_route_set routed, tp_route_set present,
                           double out_weight, size_t t);

/* The quota left to the spill of a minute whose unrouted traffic uses u of it (o->quota_tpm 0:
 * unlimited), and *thr_u the share of the unrouted traffic throttled (docs/model.md, "Service
 * tiers": unrouted traffic takes the quota first). */
sim_quota sim_tiers_minute_quota(const tp_sim_options *o, double out_weight, double u,
                                 double *thr_u);

/* Most plans sim_tiers_run_many simulates in one pass: no reservation, all Priority, every
 * minute spilling, and the optimum of each of the 8 routing subsets. */
#define SIM_TIERS_MAX_LANES 11

/* tp_simulate_tiers_run of (o[l], routed[l]) into out[l] for l < n (at most
 * SIM_TIERS_MAX_LANES), each bit for bit what a run of its own gives, in one pass over d: the
 * tokens and baseline, which do not depend on the plan, are summed once. */
tp_status sim_tiers_run_many(const tp_tier_demand *d, const tp_model_price *p,
                             const tp_sim_options *o, const tp_route_set *routed, size_t n,
                             tp_sim_tiers_result *out, tp_error *err);

#endif
