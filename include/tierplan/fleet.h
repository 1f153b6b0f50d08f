/* fleet.h - the whole fleet in one report: every model's stats and recommendation, a
 * reservation already held next to it, and fleet totals as rates (models have different
 * windows, so window totals would not add up). */
#ifndef TIERPLAN_FLEET_H
#define TIERPLAN_FLEET_H

#include "tierplan/common.h"
#include "tierplan/plan.h"
#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/format.h"
#include "tierplan/stats.h"
#include "tierplan/store.h"
#include "tierplan/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What tp_fleet_run covers. Zero-initialise, then set what you need. */
typedef struct tp_fleet_options {
    const char *db_path;          /**< the database; each worker opens it read-only */
    int busy_timeout_ms;          /**< as in tp_store_open_options */
    const char *const *models;    /**< these models in this order, or NULL: every stored one */
    size_t n_models;
    /** Which places (store.h, tp_store_place) of each model to size: NULL any region (any
     * account), "" the unknown one (borrowed). Each place a model is stored in is sized apart
     * (a reservation is bought in one account and region), in the store's order (model,
     * account, region); with merge_regions the regions of one account are summed into one
     * entry (tp_series_query.merge_regions; its region "*" when more than one). */
    const char *region, *account;
    int merge_regions;
    int has_from, has_to;         /**< the window, as in tp_series_query */
    int64_t from_minute, to_minute;
    const tp_window_spec *window; /**< a window per model, as in tp_series_query (borrowed) */
    const char *const *tiers;     /**< resolved tiers to sum instead of the total */
    size_t n_tiers;
    const tp_pricing *pricing;    /**< the catalog (required, borrowed) */
    tp_rec_options rec;           /**< recommend options; a plan file entry overrides them */
    double scale;                 /**< what-if: demand x scale (0 is read as 1) */
    double cache_hit_delta;       /**< what-if: cache-hit share moved (see whatif.h) */
    int force;                    /**< size even from less than a day of data */
    const tp_plan_file *plan;     /**< per-model options and held reservations, or NULL */
    int jobs;                     /**< worker threads (one store handle each); < 1: 1 */
    int charts;                   /**< 1: also compute what the HTML charts draw */
    /** Seasonal plans (plan.h) per model, besides its whole-window recommendation: with
     * window_by_month each model's window split at calendar months (partial ends pay the whole
     * term), else these n_windows windows (borrowed, sorted, not overlapping) when n_windows
     * > 0. Excludes has_train_until and a what-if. */
    int window_by_month;
    const tp_window *windows;
    size_t n_windows;
    /** A backtest (plan.h) split at train_until_minute; exactly one model (TP_ERR_USAGE) */
    int has_train_until;
    int64_t train_until_minute;
    tp_warn_fn warn;              /**< receives catalog warnings in model order, or NULL */
    void *warn_ctx;
    /** Names request fields in the messages the fleet keeps (windows_error) in the caller's
     * terms (common.h, tp_error_rename); NULL: the API's names. */
    tp_field_name_fn field_name;
    void *field_name_ctx;
} tp_fleet_options;

/** Whether a model could be sized. */
typedef enum tp_fleet_status {
    TP_FLEET_OK,     /**< stats and a recommendation */
    TP_FLEET_NO_DATA /**< not stored, or no data in the window (or tiers) */
} tp_fleet_status;

/** "ok" or "no_data" (static). */
TP_API const char *tp_fleet_status_name(tp_fleet_status s);

/** What the HTML charts draw for one model (private to the library). */
typedef struct tp_fleet_charts tp_fleet_charts;

/** One model of the fleet. */
typedef struct tp_fleet_model {
    char *model;                  /**< owned by the fleet */
    /** Where it was recorded: "" unknown (shown "unknown", tp_store_place_name), "*" regions
     * merged; owned by the fleet */
    char *region, *account;
    /** 1: the model's only place in the store (with merge_regions: its only account), to
     * which a plan file entry without region and account applies (tp_plan_file_entry_at) */
    int only_place;
    tp_fleet_status status;
    char *no_data_reason;         /**< with TP_FLEET_NO_DATA: why (owned), else NULL */
    /** The demand as loaded and its percentiles (owned), or NULL. Its series keeps the
     * window, resolutions, sources and ingests, not the per-minute values: those are released
     * once the model is sized (tp_series_values gives NULL), so that a fleet's memory does
     * not grow with its models. */
    tp_model_stats *stats;
    /** The newest minute of the window with a token in any metric (a Unix minute), or -1;
     * also kept for an entry with too little data to size (TP_FLEET_NO_DATA) */
    int64_t newest_minute;
    tp_model_price price;         /**< the model's catalog entry (term discount not applied) */
    /** price with its reserved rates billed over the model's window (tp_pricing_bill_span,
     * docs/model.md "Terms"): what the model, its held reservation and its charts are sized
     * and priced at */
    tp_model_price billed_price;
    tp_rec_options rec_options;   /**< the options it was sized with (plan file applied) */
    /** 1: its catalog entry is sold in units (price.provider is not bedrock, docs/model.md
     * "Other providers"): sized by tp_units_plan_run on its whole demand (every tier summed,
     * the what-if's scale applied) with recommend's default options, units_rec the term it
     * recommends; rec, held, observed, charts and seasonal windows are Bedrock's and stay
     * empty (a held reservation and windows are not sized in units: windows_error says so) */
    int in_units;
    tp_units_plan units_plan;
    tp_units_result units_rec;    /**< units_plan.term[units_plan.recommended_term] */
    tp_plan_entry plan;           /**< its plan file entry (every key unset without a plan) */
    tp_recommendation rec;
    int has_held;                 /**< a held reservation (plan file) was simulated */
    tp_candidate held;            /**< its basis is meaningless: it is "held"; simulated by
                                       tier, its routed_tiers set */
    /** With a held reservation whose traffic asked for reserved (family both tiers): what
     * its metrics show it served, beside the simulation (simulate.h, tp_simulate_observe) */
    int has_observed;
    tp_sim_observed observed;
    /** The share of its window inside the spans of ingested exports, in % (inventory.h,
     * tp_inventory_coverage); NAN when unknown (no span recorded) or without data */
    double coverage_pct;
    tp_fleet_charts *charts;      /**< with options.charts, else NULL (owned) */
    /** With seasonal windows or a backtest asked for, on a model with data: */
    tp_seasonal *seasonal;        /**< the seasonal plan (owned), or NULL */
    int has_backtest;
    tp_backtest backtest;
    char *windows_error;          /**< why the model's windows could not be planned (a window
                                       without data, too short, ...; owned), else NULL */
    /** With a seasonal plan, its totals over its span's hours as rates per month of 730 hours:
     * the seasonal plan's (tp_fleet_seasonal_per_hour_usd x 730), the flat reservation's, and
     * what the seasonal plan saves (flat - seasonal); 0 without one */
    double seasonal_per_month_usd, flat_per_month_usd, seasonal_saves_per_month_usd;
    /** With TP_FLEET_OK, the recommended candidate's window totals per month of 730 hours,
     * each total x (730 / window billed hours): reserved (in units: the units' cost), spill,
     * total and the on-demand baseline; 0 without data */
    double rec_reserved_per_month_usd, rec_spill_per_month_usd, rec_total_per_month_usd;
    double rec_on_demand_per_month_usd;
    /** The fleet chart's bar for it: reserved + spill per month stacked
     * (rec_reserved_per_month_usd + rec_spill_per_month_usd, which may differ from
     * rec_total_per_month_usd in the last bit); 0 without data */
    double rec_bar_per_month_usd;
    /** With a held reservation, what it costs per month more than the recommended one (held
     * cost_per_month_usd - recommended cost_per_month_usd; negative: it costs less); 0
     * without one */
    double held_extra_per_month_usd;
} tp_fleet_model;

/** Fleet totals of the recommended reservations: rates per billed hour (tp_pricing_rate_hours)
 * and month, summed over the "ok" models. */
typedef struct tp_fleet_totals {
    size_t n_ok, n_no_data, n_held;
    double reserved_per_hour_usd, spill_per_hour_usd, total_per_hour_usd;
    double on_demand_per_hour_usd, savings_per_hour_usd; /**< baseline - total */
    /** sum over models of per hour x 730 x that model's term months */
    double reserved_per_term_usd, spill_per_term_usd, total_per_term_usd;
    double on_demand_per_term_usd, savings_per_term_usd;
    double held_total_per_hour_usd; /**< the held reservations' total, models with one */
    /** the per-hour sums above per month of 730 hours (per hour x 730) */
    double reserved_per_month_usd, spill_per_month_usd, total_per_month_usd;
    double on_demand_per_month_usd, savings_per_month_usd, held_total_per_month_usd;
    /** what the fleet saves, in % of its on-demand baseline; NAN without a baseline */
    double savings_pct;
    /** Seasonal plans, models with one: each plan's total over its span's hours, summed; the
     * seasonal (a reservation per window, gaps on demand) and the flat reservation's. */
    size_t n_seasonal, n_windows_failed;
    double seasonal_per_hour_usd, flat_per_hour_usd;
    /** the two sums above per month of 730 hours, and what the seasonal plans save (flat -
     * seasonal) per month */
    double seasonal_per_month_usd, flat_per_month_usd, seasonal_saves_per_month_usd;
} tp_fleet_totals;

/** The fleet's totals over the models of one account and region (a reservation is bought in
 * one account for one region's traffic: what each place costs is asked for apart). */
typedef struct tp_fleet_group {
    const char *account, *region; /**< as the models' ("" unknown, "*" merged; borrowed from
                                       the first model of the group) */
    tp_fleet_totals totals;       /**< as tp_fleet.totals, over the group's models */
} tp_fleet_group;

/** The fleet's totals over the models of one provider (the catalog entry's, pricing.h), all
 * in USD as the fleet's are: a provider's reservation is bought from it apart. */
typedef struct tp_fleet_provider_total {
    tp_provider provider;
    tp_fleet_totals totals;       /**< as tp_fleet.totals, over the provider's models */
} tp_fleet_provider_total;

/** The outcome of tp_fleet_run. */
typedef struct tp_fleet {
    tp_fleet_model *models;       /**< n, in the order asked for (or the store's order) */
    size_t n;
    tp_fleet_totals totals;
    /** n_groups groups (owned), one per (account, region) of the models, sorted by account
     * then region; their totals add up to totals */
    tp_fleet_group *groups;
    size_t n_groups;
    /** n_providers subtotals (owned), one per provider of the sized models, in tp_provider
     * order (models without data have no catalog entry read, and count in none); their
     * totals add up to totals */
    tp_fleet_provider_total *providers;
    size_t n_providers;
    tp_fleet_options options;     /**< as given; its pointers are the caller's */
} tp_fleet;

/**
 * Sizes every model of the fleet: loads its window, computes its stats (stats.h), applies the
 * what-if to every tier alike, recommends by service tier (tp_recommend_tiers_run on
 * tp_series_route_demand: the catalog's Reserved offer and minimums, o->rec's route_tiers and
 * assume_offered, each token's baseline at its own tier) under the options its plan file entry
 * sets, simulates by tier the reservation it already holds (routing o->rec.route_tiers, else
 * reserved and default), and sums the fleet rates (what the tiers not routed pay on demand
 * counts as spill). A model whose catalog entry is sold in units is sized in units instead
 * (tp_units_plan_run, tp_fleet_model.in_units) and adds its recommended term's cost, in USD,
 * to the same totals. Models are sized by o->jobs worker
 * threads, each with its own read-only store handle; the result does not depend on jobs.
 * @param o options (borrowed; o->pricing and o->plan must outlive the fleet)
 * @param out receives the fleet; the caller frees it with tp_fleet_free
 * With seasonal windows or a backtest asked for, each model's plan is made by the worker that
 * sized it; a plan the model's data cannot give (a window without data or shorter than the
 * term without force, a split that leaves one side empty) is no failure: its reason is the
 * model's windows_error.
 * @return the first failure in model order, its message naming the model (a window over the
 *         limit, a model the catalog lacks, ...); TP_ERR_NOT_FOUND when o->region or
 *         o->account matches no stored place (naming them); TP_ERR_USAGE for a backtest over
 *         other than one model, or windows with a what-if; TP_ERR_NOMEM. A model without data,
 *         or with too little to size from (under a day without force), is no failure: it is
 *         listed as TP_FLEET_NO_DATA with its reason.
 */
TP_API tp_status tp_fleet_run(const tp_fleet_options *o, tp_fleet **out, tp_error *err);

/** The hours a unit term counts for the fleet's totals per term: 1_week 168, 1_month 730,
 * 3_months 2,190, 1_year 8,760; hourly commits to nothing and counts one month of 730 hours
 * (docs/model.md, "Other providers"). */
TP_API double tp_fleet_unit_term_hours(tp_unit_term t);

/** A unit model's window figures r (its recommended term's, or any term's over the same
 * window) per month of 730 billed hours: spill and on-demand over the window's billed hours
 * (tp_pricing_billed_hours), as a Bedrock model's; the units over the hours their price is
 * paid for: one pool's billed hours too, two pools' whole days (tp_units_result.price_hours),
 * so a window's last day begun does not count as a month's (docs/model.md, "Units in the
 * fleet report and the gates"). total = units + spill. m: the model whose window r covers. */
TP_API void tp_fleet_units_per_month(const tp_fleet_model *m, const tp_units_result *r,
                                     double *units_usd, double *spill_usd, double *total_usd,
                                     double *on_demand_usd);

/** A seasonal plan's total as a rate: seasonal_total_usd over the span's hours (0 for an
 * empty span). Times TP_HOURS_PER_MONTH: per month of 730 hours. */
TP_API double tp_fleet_seasonal_per_hour_usd(const tp_seasonal *s);

/** Frees a fleet from tp_fleet_run. NULL is allowed. */
TP_API void tp_fleet_free(tp_fleet *f);

#ifdef __cplusplus
}
#endif
#endif
