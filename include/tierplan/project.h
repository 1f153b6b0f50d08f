/* project.h - projections for finance: monthly cost of each plan for the next months, per model
 * and for the fleet, with growth (given or fitted) and a P10/P50/P90 band from a bootstrap over
 * whole days of history (docs/model.md, "Projection"). */
#ifndef TIERPLAN_PROJECT_H
#define TIERPLAN_PROJECT_H

#include "tierplan/common.h"
#include "tierplan/fleet.h"
#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/format.h"
#include "tierplan/series.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Days in the average month: 365.25 / 12. A monthly rate r grows a day by (1+r)^(1/30.4375). */
#define TP_DAYS_PER_MONTH 30.4375

/** Fewest days with data the growth fit accepts; below it the user must give the growth. */
#define TP_GROWTH_MIN_DAYS 7

/** A fit on fewer days than this warns (its rate is weak evidence). */
#define TP_GROWTH_WARN_DAYS 28

/** A fitted monthly rate beyond +/- this fraction warns (0.20: 20% a month). */
#define TP_GROWTH_WARN_RATE 0.20

/** The fit has weekday terms from this many days with data on (fewer: intercept and trend). */
#define TP_GROWTH_WEEKDAY_DAYS 14

/** The standard error of a given rate when none is given, in percentage points a month. */
#define TP_GROWTH_DEFAULT_SD_PCT 2.0

/** Longest projection, in months. */
#define TP_PROJECT_MAX_MONTHS 60

/** Most bootstrap samples. */
#define TP_PROJECT_MAX_SAMPLES 100000

/** Where a model's growth comes from and how it compounds. */
typedef enum tp_growth_form {
    TP_GROWTH_GIVEN = 0, /**< the user's monthly figure, compounding, with its standard
                              error (given, or TP_GROWTH_DEFAULT_SD_PCT) */
    TP_GROWTH_COMPOUND,  /**< fitted on log daily totals: level x (1+rate)^months */
    TP_GROWTH_LINEAR     /**< fitted on daily totals: level x (1 + rate x months) */
} tp_growth_form;

/** "given", "compound" or "linear": a static string, never NULL. */
TP_API const char *tp_project_growth_form_name(tp_growth_form f);

/** A model's growth. Rates are fractions per month of TP_DAYS_PER_MONTH days (0.05: 5%). */
/** Why a fitted rate deserves a second look (bits of tp_growth.warn). */
#define TP_GROWTH_WARN_SHORT 1 /**< fitted on fewer than TP_GROWTH_WARN_DAYS days */
#define TP_GROWTH_WARN_STEEP 2 /**< fitted beyond +/- TP_GROWTH_WARN_RATE a month */

typedef struct tp_growth {
    tp_growth_form form;
    double rate;         /**< monthly rate used: fitted, shrunk toward zero by its uncertainty
                              (rate_fitted x max(0, 1 - se^2 / rate_fitted^2)); or given */
    double rate_fitted;  /**< the fit's rate before shrinking (the given rate when given) */
    double se;           /**< its standard error: Newey-West (autocorrelation-robust) when
                              fitted, the given (or default) one when given */
    double level_se;     /**< relative standard error of today's level (log scale for
                              compound and given: a draw multiplies by exp(level_se z)) */
    double level_rate_corr; /**< correlation of the level's and the rate's estimates */
    int warn;            /**< TP_GROWTH_WARN_* bits, 0 when given */
    size_t n_days;       /**< days the fit used (the level fit's when given) */
    double rss_compound; /**< residual sums of squares of both fits on the original scale, */
    double rss_linear;   /**< in tokens^2 (NAN when given) */
    double level_tokens; /**< linear: the fitted daily effective tokens at the last day, the
                              weekday terms averaged (the base the rate is a share of) */
    int shifted;         /**< 1: a level shift was found (tp_project_level_shift) and the
                              days before it were brought to the new level before fitting */
    double shift_factor; /**< the new level over the old (exp of the step), 1 when none */
    double shift_days_from_end; /**< the shift's first day minus the last day (<= 0) */
} tp_growth;

/** A level shift in daily totals (docs/model.md, "Level shifts"). */
typedef struct tp_level_shift {
    int found;          /**< 1: significant (the adjusted sup-F at least TP_SHIFT_CRITICAL_F) */
    size_t at;          /**< index of the first day at the new level (when found or not: the
                             best split) */
    double step_log;    /**< the step in ln daily totals, new minus old */
    double f_stat;      /**< the best split's F, adjusted for the residuals' dependence */
    double level_se;    /**< standard error of the new level (ln scale) at the last day */
} tp_level_shift;

/** Andrews' (1993) 5% critical value of the sup-F test for one break with 15% trimming. */
#define TP_SHIFT_CRITICAL_F 8.68
/** Each segment holds at least this many days, and at least 15% of them. */
#define TP_SHIFT_MIN_DAYS 7

/**
 * Looks for one level shift in n daily totals (docs/model.md, "Level shifts"): z = ln y less
 * its weekday means, fitted on [1, day - last_day, step at the split] for every split leaving
 * each side max(TP_SHIFT_MIN_DAYS, ceil(0.15 n)) days; the split with the least residual sum
 * of squares is tested with F = (RSS0 - RSS1) / (RSS1 / (n - 3)) x (1 - rho) / (1 + rho), RSS0
 * without the step, rho the lag-1 autocorrelation of the split fit's residuals in [0, 0.95].
 * Under 3 x TP_SHIFT_MIN_DAYS days nothing is looked for (found 0, at 0).
 * tp_project_growth_fit uses it (and the same scan on y / mean(y)) before fitting.
 * @param day ascending Unix days; @param tokens each > 0 (borrowed)
 * @return TP_ERR_NOMEM
 */
TP_API tp_status tp_project_level_shift(const int64_t *day, const double *tokens, size_t n,
                                        int64_t last_day, tp_level_shift *out, tp_error *err);

/**
 * Fits the growth of daily effective tokens (docs/model.md, "Growth"): least squares
 * (gsl_multifit_linear) of y_d (compound: ln y_d) on the day and a term per weekday present
 * but the first, over the n days given (each with y_d > 0); the form with the lower residual
 * sum of squares on the original scale wins. Compound: rate = exp(30.4375 b) - 1, se by the
 * delta method 30.4375 exp(30.4375 b) se_b; linear: rate = 30.4375 b / level, se likewise.
 * @param day Unix day numbers (seconds / 86400), ascending; borrowed
 * @param tokens daily effective tokens, each > 0; borrowed
 * @param last_day the day the rate is measured from (the history's last day)
 * @param out receives the fit
 * @return TP_ERR_INVALID when n < TP_GROWTH_MIN_DAYS (the message asks for the growth in
 *         tp_project_options.growth_pct_per_month, named in err->mentions so that a program
 *         can show its own name for it, as the CLI shows --growth-pct-per-month, or in the
 *         plan file); TP_ERR_INVALID for a value <= 0; TP_ERR_NOMEM
 */
TP_API tp_status tp_project_growth_fit(const int64_t *day, const double *tokens, size_t n,
                                       int64_t last_day, tp_growth *out, tp_error *err);

/**
 * A given growth with its standard error, and the uncertainty of today's level: least squares
 * of ln y_d - (d - last_day) ln(1 + rate) / 30.4375 on [1, weekday terms] over the n days (the
 * level's Newey-West standard error; 0 under two days more than columns).
 * @param rate the monthly rate (> -1); @param sd its standard error (>= 0)
 * @return TP_ERR_INVALID for a value <= 0; TP_ERR_NOMEM
 */
TP_API tp_status tp_project_growth_given(const int64_t *day, const double *tokens, size_t n,
                                         int64_t last_day, double rate, double sd,
                                         tp_growth *out, tp_error *err);

/** The plans a projection prices each month. Demand is projected by requested tier (each
 * tier's days drawn and grown as the total's); the recommended plan is sized by tier
 * (tp_recommend_tiers_run), the held one serves rec.route_tiers, else reserved and default. */
typedef enum tp_project_plan {
    TP_PROJECT_ON_DEMAND = 0, /**< everything on demand, each token at the tier that served it
                                   (reserved traffic at Standard) */
    TP_PROJECT_ALL_PRIORITY,  /**< everything at on-demand Priority */
    TP_PROJECT_RECOMMENDED,   /**< re-sized at each term start on the P50 path, then held */
    TP_PROJECT_HELD,          /**< the reservation the user holds, when given */
    TP_PROJECT_PLAN_COUNT
} tp_project_plan;

/** "on_demand", "all_priority", "recommended", "held": static, never NULL. */
TP_API const char *tp_project_plan_name(tp_project_plan p);

/** The quantiles of the band, in this order. */
#define TP_PROJECT_QUANTILES 3
/** 0.1, 0.5, 0.9 for q = 0, 1, 2; "p10", "p50", "p90" by tp_project_quantile_name. */
TP_API double tp_project_quantile(int q);
TP_API const char *tp_project_quantile_name(int q);

/** One month of one plan at one quantile. Each figure is its own quantile over the samples
 * (so cost is not reserved + on-demand at P10 and P90). USD; tokens raw, all kinds. */
typedef struct tp_project_figures {
    double cost_usd;         /**< reserved + on-demand (spill) */
    double reserved_usd;     /**< the fixed monthly charge: rate x 730 h */
    double on_demand_usd;    /**< on-demand tokens at the month's real minutes */
    double tokens;           /**< all demand */
    double reserved_tokens;  /**< served by the reservation */
    double on_demand_tokens; /**< served on-demand (spilled and not throttled) */
    double throttled_tokens; /**< dropped: over the quota, or with nowhere to spill */
} tp_project_figures;

/** One month of one plan. */
typedef struct tp_project_cell {
    int has;                       /**< 0: the plan does not apply (no held reservation) */
    tp_project_figures q[TP_PROJECT_QUANTILES];
    double reserve_input_tpm;      /**< the reservation held this month (0 on demand) */
    double reserve_output_tpm;
    int term_start, term_end;      /**< a term begins / ends with this month (reservations) */
    /** the requested tiers routed to the reservation (reserved always; 0 without one): the
     * others pay on demand at their own tier's prices (docs/model.md, "Service tiers") */
    tp_route_set routed_tiers;
    /** a model sold in units (tp_model_price.provider not bedrock), recommended plan: the
     * units held this month (reserve_*_tpm are then 0); 0 otherwise. Two pools
     * (price.unit.pools: openai-scale, xai): the input units */
    int64_t units;
    int64_t output_units; /**< two pools: the output units held this month; 0 otherwise */
} tp_project_cell;

/** A projected calendar month. */
typedef struct tp_project_month {
    int year, month; /**< month 1-12 */
    int days;        /**< 28 to 31 */
    int observed_days; /**< the current month: days of it observed (whole history days of
                            every model), the rest projected; 0 in a month all projected */
} tp_project_month;

/** One model's projection. */
typedef struct tp_project_model {
    char *model;                /**< owned by the projection */
    char *region, *account;     /**< its place as tp_store_place names it ("" unknown; region
                                     "*": the account's regions summed, merge_regions); owned.
                                     A model stored in several places is one entry per place */
    tp_model_price price;       /**< its catalog entry (term discount not applied) */
    tp_growth growth;
    int64_t history_from_minute, history_to_minute; /**< from the first to the end of the
                                     last whole UTC day used, [from, to) */
    size_t history_days;        /**< whole days of history the bootstrap draws from */
    size_t days_dropped_partial; /**< days in the window not whole: partly outside the data
                                     (the data starts or ends more than 60 minutes inside) or
                                     partly outside every export span */
    size_t days_dropped_unknown; /**< days in the window with no datapoint and no span */
    int weekly_shape_kept;      /**< 0: fewer than 7 days (or a weekday missing): days are
                                     drawn from every weekday */
    int single_day_weekdays;    /**< weekdays (or, drawn from every weekday, 7 when there is
                                     one day) with a single history day: the day-to-day spread
                                     cannot be estimated there */
    int term_months;            /**< the reservations' term */
    double term_discount;
    int has_held;
    tp_project_cell *cells;     /**< n_months x TP_PROJECT_PLAN_COUNT, month-major (owned) */
    tp_project_cell totals[TP_PROJECT_PLAN_COUNT]; /**< over the horizon: quantiles of each
                                     sample's sum over the months (reservation fields 0) */
    int beyond_months;          /**< the recommended plan's last term runs this many months
                                     past the horizon (sized and priced on its whole term) */
    double beyond_reserved_usd; /**< what it commits to over those months */
    double beyond_input_tpm, beyond_output_tpm; /**< the reservation committed beyond */
    double *sample_cost_usd;    /**< with tp_project_options.keep_samples: each sample's cost,
                                     [(plan x n_months + month) x samples + sample], else NULL
                                     (owned) */
    tp_route_set present;       /**< the requested tiers with traffic in the history */
    int offered;                /**< the catalog's reserved_offered for the model */
    int assumed_offered;        /**< 1: not offered, explored with rec.assume_offered */
    /** A model sold in units (price.provider not bedrock: docs/model.md, "Projection of a
     * model sold in units"): the term its recommended plan holds units on (chosen by
     * tp_units_plan_run on the P50 path of the first month; term_months is its length, 1
     * for hourly and 1_week, term_discount 1), and the units committed beyond the horizon.
     * Two pools (price.unit.pools): 1_month, both pools re-sized each month (cells' units and
     * output_units), nothing beyond (docs/model.md, "Projection of two pools") */
    tp_unit_term unit_term;
    int64_t beyond_units;
    double unit_burst_factor;   /**< the burst factor its units were sized and priced with */
} tp_project_model;

/** What a projection covers. Zero-initialise, then set. */
typedef struct tp_project_options {
    int months;                   /**< 1 to TP_PROJECT_MAX_MONTHS */
    int has_start;                /**< else the month holding the minute after the newest
                                       minute with data (the current month: its observed days
                                       and the projected rest); no earlier than that minute's
                                       month */
    int start_year, start_month;
    int has_growth;               /**< the user's growth for every model (a plan file entry
                                       wins), else each model's is fitted */
    double growth_pct_per_month;  /**< > -100 */
    int has_growth_sd;            /**< else TP_GROWTH_DEFAULT_SD_PCT for a given growth */
    double growth_sd_pct;         /**< the given growth's standard error, percentage points a
                                       month, >= 0 (applies to a plan file's growth too) */
    size_t samples;               /**< 0: 1000 */
    unsigned long seed;           /**< the RNGs' seed (gsl mt19937); 0 is a seed like any */
    tp_rec_options rec;           /**< how the recommended plan is sized (by service tier:
                                       route_tiers, assume_offered), and spill/quota for every
                                       plan; a plan file entry overrides it */
    const tp_plan_file *plan;     /**< per-model term, service level, held reservation and
                                       growth, or NULL (borrowed) */
    const char *plan_path;        /**< the plan file's path, for the record (its sha256 is
                                       taken when the run starts), or NULL (borrowed) */
    int has_held;                 /**< a held reservation for every model (the CLI allows it
                                       with one model only) */
    double held_input_tpm, held_output_tpm;
    int jobs;                     /**< worker threads; < 1: 1. The output does not depend on it */
    int keep_samples;             /**< 1: keep each model's cost per sample
                                       (tp_project_model.sample_cost_usd), for other quantiles
                                       or a calibration check */
} tp_project_options;

/** One model's input to tp_project_demand. */
typedef struct tp_project_input {
    const char *model;     /**< borrowed */
    tp_demand demand;      /**< whole UTC days: from_minute and minutes multiples of 1440;
                                borrowed for the call */
    tp_model_price price;
    tp_tier_demand tiers;  /**< demand split by requested tier, summing to demand, over the
                                same minutes (borrowed); minutes 0: all of it is default */
} tp_project_input; /* projected at the unknown place (region and account "") */

/** What tp_project_run loads. Zero-initialise, then set. */
typedef struct tp_project_load {
    const char *db_path;
    int busy_timeout_ms;
    const char *const *models;    /**< these, or NULL: every stored model */
    size_t n_models;
    const char *region, *account; /**< only the places recorded here (NULL: any; "": unknown):
                                       each place of a model is projected apart, as report
                                       sizes it */
    int merge_regions;            /**< the regions of one account summed: one entry, region "*" */
    int has_from, has_to;         /**< the history window; rounded inwards to whole UTC days */
    int64_t from_minute, to_minute;
    const tp_window_spec *window; /**< a window as given (--last 30d, --from -8w), or NULL;
                                       used when has_from and has_to are both 0, anchored at
                                       its now or else at the end of each model's last whole
                                       day; borrowed */
    const char *const *tiers;
    size_t n_tiers;
    const tp_pricing *pricing;    /**< required, borrowed; must outlive the projection */
    tp_warn_fn warn;              /**< catalog warnings, or NULL */
    void *warn_ctx;
} tp_project_load;

/** A projection. Free with tp_project_free. */
typedef struct tp_projection {
    tp_project_month *months;     /**< n_months (owned) */
    size_t n_months;
    tp_project_model *models;     /**< n, in the order given (owned) */
    size_t n;
    tp_project_cell *fleet;       /**< n_months x TP_PROJECT_PLAN_COUNT: quantiles of the
                                       samples summed over models (owned) */
    tp_project_cell fleet_totals[TP_PROJECT_PLAN_COUNT]; /**< over the horizon, from the
                                       samples summed over models and months */
    size_t n_held;                /**< models with a held reservation: the fleet's held plan
                                       sums those only */
    size_t samples;
    unsigned long seed;
    tp_project_options options;   /**< as given; its pointers are the caller's */
    int has_load;                 /**< 1 from tp_project_run: load is what it was given */
    tp_project_load load;         /**< as given (window, tiers); its pointers are the caller's */
    char plan_sha256[65];         /**< sha256 of options.plan_path's bytes, "" without one */
    const tp_pricing *pricing;    /**< borrowed from the caller (NULL from tp_project_demand) */
} tp_projection;

/**
 * Projects the models' demand given in memory (each of whole days). Methods: docs/model.md,
 * "Projection". Growth, the bootstrap draws and the results do not depend on o->jobs.
 * @param in n models (borrowed for the call)
 * @param out receives the projection; the caller frees it with tp_project_free
 * A model whose price sells units (provider not bedrock) holds units in its recommended plan
 * (docs/model.md, "Projection of a model sold in units").
 * @return TP_ERR_USAGE for months or samples out of range, demand not of whole days, a held
 *         reservation (has_held, or the plan file's) for a model sold in units;
 *         TP_ERR_INVALID for too little history to fit growth (naming the model and asking
 *         for growth_pct_per_month, as tp_project_growth_fit does);
 *         what tp_recommend_run returns (naming the model); TP_ERR_NOMEM
 */
TP_API tp_status tp_project_demand(const tp_project_input *in, size_t n,
                                   const tp_project_options *o, tp_projection **out,
                                   tp_error *err);

/**
 * Loads each model's history from the store, its whole UTC days only (docs/model.md,
 * "Projection: whole days"): a day touched by an export span counts when the spans cover all
 * its minutes (an idle minute inside a span is zero demand); a day no span touches counts when
 * it has a datapoint and the model's data starts at most 60 minutes after its start and ends
 * at most 60 minutes before its end. The others are dropped and counted. Looks up each
 * model's prices and projects as tp_project_demand.
 * @return as tp_project_demand; TP_ERR_USAGE for a start before the month of the newest
 *         minute with data, or for a held reservation (has_held) of a model projected in
 *         several places (naming them: the plan file gives one per place);
 *         TP_ERR_NOT_FOUND naming a model without data or without a whole
 *         day in the window, or a region/account filter nothing matches; what opening the
 *         store or the catalog lookup returns
 */
TP_API tp_status tp_project_run(const tp_project_load *l, const tp_project_options *o,
                                tp_projection **out, tp_error *err);

/** Frees a projection. NULL is allowed. */
TP_API void tp_project_free(tp_projection *p);

#ifdef __cplusplus
}
#endif
#endif
