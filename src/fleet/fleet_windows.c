/* fleet_windows.c - a fleet model's seasonal plan or backtest (plan.h), made in the worker that
 * sized the model so that the output does not depend on the number of workers. */
#include "fleet/fleet_windows.h"
#include "fleet/fleet_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tp_status fleet_windows_check(const tp_fleet_options *o, tp_error *err)
{
    const int seasonal = o->window_by_month || o->n_windows > 0;
    if (seasonal && o->has_train_until)
        return tp_error_set_field(err, TP_ERR_USAGE, "train_until_minute",
                                  "seasonal windows and {train_until_minute} exclude each other");
    if ((seasonal || o->has_train_until) &&
        ((o->scale > 0 && o->scale != 1) || o->cache_hit_delta != 0))
        return tp_error_set_field(err, TP_ERR_USAGE,
                                  o->cache_hit_delta != 0 ? "cache_hit_delta" : "scale",
                                  "{scale} and {cache_hit_delta} apply to a single window only");
    if (o->has_train_until && (o->models == NULL || o->n_models != 1))
        return tp_error_set_field(err, TP_ERR_USAGE, "models",
                                  "{train_until_minute} backtests one model: give exactly one "
                                  "{model}");
    return TP_OK;
}

/* The windows of m's seasonal plan: its window split at months, or the ones given. */
static tp_status seasonal(tp_store *store, const tp_fleet_options *o, const tp_series_query *q,
                          tp_fleet_model *m, tp_error *err)
{
    tp_window *split = NULL;
    size_t n = o->n_windows;
    const tp_window *w = o->windows;
    tp_status rc = TP_OK;
    if (o->window_by_month) {
        const int64_t from = tp_series_from_minute(m->stats->series);
        rc = tp_window_split_months(from, from + (int64_t)tp_series_minutes(m->stats->series),
                                    &split, &n, err);
        w = split;
    }
    /* a month split rarely starts and ends on month boundaries: its partial ends are allowed */
    const unsigned flags =
        (o->force ? TP_PLAN_FORCE : 0u) | (o->window_by_month ? TP_PLAN_PARTIAL_ENDS : 0u);
    if (rc == TP_OK)
        rc = tp_plan_seasonal(store, q, w, n, &m->price, &m->rec_options, flags, &m->seasonal,
                              err);
    free(split);
    return rc;
}

tp_status fleet_windows_plan(tp_store *store, const tp_fleet_options *o, tp_fleet_model *m,
                             tp_error *err)
{
    if (m->status != TP_FLEET_OK ||
        !(o->window_by_month || o->n_windows > 0 || o->has_train_until))
        return TP_OK;
    if (m->in_units) {
        /* seasonal plans and backtests size Bedrock reservations: said per model */
        char msg[256];
        snprintf(msg, sizeof msg,
                 "sold in units (%s): seasonal plans and backtests are sized for Bedrock "
                 "models only; its plan in units is for its whole window",
                 tp_pricing_provider_name(m->price.provider));
        if ((m->windows_error = strdup(msg)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        return TP_OK;
    }
    const tp_series_query q = fleet_query(o, m);
    tp_error e;
    tp_status rc;
    tp_error_clear(&e);
    if (o->has_train_until) {
        rc = tp_plan_backtest(store, &q, o->train_until_minute, &m->price, &m->rec_options,
                              o->force, &m->backtest, &e);
        m->has_backtest = rc == TP_OK;
    } else {
        rc = seasonal(store, o, &q, m, &e);
    }
    /* what this model's data cannot give is its own status; the rest fails the fleet */
    if (rc == TP_ERR_NOT_FOUND || rc == TP_ERR_INVALID || rc == TP_ERR_USAGE) {
        char msg[sizeof e.message];
        tp_error_rename(&e, o->field_name, o->field_name_ctx, msg, sizeof msg);
        if ((m->windows_error = strdup(msg)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        return TP_OK;
    }
    if (rc != TP_OK && err != NULL)
        *err = e;
    return rc;
}

double tp_fleet_seasonal_per_hour_usd(const tp_seasonal *s)
{
    const double h = (double)(s->span.to_minute - s->span.from_minute) / 60.0;
    return h > 0 ? s->seasonal_total_usd / h : 0;
}

void fleet_windows_totals(tp_fleet *f)
{
    fleet_windows_totals_of(f, NULL, NULL, -1, &f->totals);
}

void fleet_windows_totals_of(tp_fleet *f, const char *account, const char *region,
                             int provider, tp_fleet_totals *t)
{
    for (size_t i = 0; i < f->n; i++) {
        tp_fleet_model *m = &f->models[i];
        if (!fleet_model_in(m, account, region) ||
            (provider >= 0 && (m->status != TP_FLEET_OK || (int)m->price.provider != provider)))
            continue;
        const tp_seasonal *s = m->seasonal;
        t->n_windows_failed += m->windows_error != NULL;
        if (s == NULL)
            continue;
        const double h = (double)(s->span.to_minute - s->span.from_minute) / 60.0;
        const double seasonal_h = tp_fleet_seasonal_per_hour_usd(s);
        const double flat_h = h > 0 ? s->flat_total_usd / h : 0;
        m->seasonal_per_month_usd = seasonal_h * TP_HOURS_PER_MONTH;
        m->flat_per_month_usd = flat_h * TP_HOURS_PER_MONTH;
        m->seasonal_saves_per_month_usd = (flat_h - seasonal_h) * TP_HOURS_PER_MONTH;
        t->n_seasonal++;
        t->seasonal_per_hour_usd += seasonal_h;
        t->flat_per_hour_usd += flat_h;
    }
    t->seasonal_per_month_usd = t->seasonal_per_hour_usd * TP_HOURS_PER_MONTH;
    t->flat_per_month_usd = t->flat_per_hour_usd * TP_HOURS_PER_MONTH;
    t->seasonal_saves_per_month_usd =
        (t->flat_per_hour_usd - t->seasonal_per_hour_usd) * TP_HOURS_PER_MONTH;
}

void fleet_windows_free(tp_fleet_model *m)
{
    tp_plan_seasonal_free(m->seasonal);
    m->seasonal = NULL;
    free(m->windows_error);
    m->windows_error = NULL;
}
