/* fleet_windows.h - seasonal plans and backtests inside the fleet (private): made per model by
 * the worker that sized it, summed as rates like the rest of the fleet. */
#ifndef TIERPLAN_FLEET_WINDOWS_H
#define TIERPLAN_FLEET_WINDOWS_H

#include "tierplan/fleet.h"

/* TP_ERR_USAGE for options that cannot go together: seasonal windows and a backtest, either
 * with a what-if, a backtest over other than exactly one model. */
tp_status fleet_windows_check(const tp_fleet_options *o, tp_error *err);
/* Plans m's windows (or backtest) when o asks for them and m was sized; what m's data cannot
 * give becomes m->windows_error. Fails only for what would fail any model (TP_ERR_NOMEM, the
 * store). */
tp_status fleet_windows_plan(tp_store *store, const tp_fleet_options *o, tp_fleet_model *m,
                             tp_error *err);
/* Adds the seasonal rates to f->totals. */
void fleet_windows_totals(tp_fleet *f);
/* fleet_windows_totals over the models of one account and region (NULL: any) and provider
 * (tp_provider, < 0: any; a provider counts only sized models) into *t */
void fleet_windows_totals_of(tp_fleet *f, const char *account, const char *region,
                             int provider, tp_fleet_totals *t);
/* Frees what fleet_windows_plan left in m. */
void fleet_windows_free(tp_fleet_model *m);

#endif
