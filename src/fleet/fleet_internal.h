/* fleet_internal.h - how the fleet computation makes what the HTML charts draw and sums the
 * fleet (private to the fleet stage; the charts' finished result is in fleet/fleet_charts.h). */
#ifndef TIERPLAN_FLEET_INTERNAL_H
#define TIERPLAN_FLEET_INTERNAL_H

#include "fleet/fleet_charts.h"
#include "tierplan/fleet.h"
#include "tierplan/series.h"

/* Most points the cost curve holds: about one per 3 pixels of the chart's plot. */
#define FLEET_CURVE_MAX_POINTS 300

/* Fills what the charts draw for demand d sized as rec says under options o with prices
 * price (catalog entry, term not applied). *out is freed with fleet_charts_free. */
tp_status fleet_charts_compute(const tp_demand *d, const tp_model_price *price,
                               const tp_rec_options *o, const tp_recommendation *rec,
                               tp_fleet_charts **out, tp_error *err);
/* What the HTML charts draw for a model sold in units: its weighted TPM a minute (two pools:
 * the input pool's) and output TPM over d, their percentiles and hour-of-week means; no cost
 * curve. *out is freed with fleet_charts_free. */
tp_status fleet_charts_units(const tp_demand *d, const tp_model_price *price, tp_fleet_charts **out,
                             tp_error *err);
void fleet_charts_free(tp_fleet_charts *c);
/* Places rec's percentile candidates on c's cost curve (c->n_marks, mark_*). */
void fleet_charts_marks(tp_fleet_charts *c, const tp_recommendation *rec);
/* Sums the sized models' rates into f->totals (per hour, per month, per term) and fills each
 * sized model's per-month figures. */
void fleet_totals(tp_fleet *f);
/* Fills f->groups: one per (account, region) of its models, sorted, each with the totals of
 * its models (fleet_totals' rates and fleet_windows_totals' seasonal sums). */
tp_status fleet_groups(tp_fleet *f, tp_error *err);
/* Fills f->providers: one per provider of its sized models, in tp_provider order, each with
 * the totals of its models. */
tp_status fleet_providers(tp_fleet *f, tp_error *err);
/* Whether m is of the account and region (NULL: any). */
int fleet_model_in(const tp_fleet_model *m, const char *account, const char *region);
/* The query that loads m's place under o (its model, window, tiers and place). */
tp_series_query fleet_query(const tp_fleet_options *o, const tp_fleet_model *m);

#endif
