/* units.h - unit-based reservations (Azure PTU, Vertex GSU; OpenAI Scale Tier and xAI's two
 * pools): weighted demand, spill or throttle, the exact optimum in units, and Azure's
 * reservation-versus-hourly split. */
#ifndef TIERPLAN_UNITS_H
#define TIERPLAN_UNITS_H

#include "tierplan/common.h"
#include "tierplan/pricing.h"
#include "tierplan/series.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default per-second peak over a minute's average for a per-second provider (Vertex). */
#define TP_UNITS_BURST_DEFAULT 1.5

/** How to price and size units. Zero-initialise, then set what differs. */
typedef struct tp_units_options {
    tp_unit_term term;     /**< the term priced (TP_UNIT_HOURLY when zero) */
    /** The per-second peak over the minute's average (>= 1): a minute's weighted demand is
     * multiplied by it before it meets capacity. 0: TP_UNITS_BURST_DEFAULT for a per-second
     * provider, 1 otherwise (docs/model.md, "Other providers"). */
    double burst_factor;
    /** Throttle only: the least share of weighted tokens served, in (0, 1]; 0 reads as 1. */
    double service_level;
    /** Two pools only (openai-scale, xai): the output units tp_units_eval prices beside its
     * `units` (the input units); 0 when zero-initialised. Ignored for one pool. */
    int64_t output_units;
} tp_units_options;

/** A number of units over a window: what it serves, what overflows, what it costs. */
typedef struct tp_units_result {
    int64_t units;                /**< 0, or minimum + a whole number of steps */
    double capacity_tpm;          /**< units x capacity per unit, weighted tokens a minute */
    double burst_factor;          /**< the factor applied */
    double hours;                 /**< the window's hours (minutes / 60) */
    /** the window's billed hours: 730 a calendar month, a part of a month its share
     * (tp_pricing_billed_hours); figures per hour divide by these (docs/model.md, "Terms") */
    double billed_hours;
    /** the hours the term's price is paid for: `hours` for hourly and 1_week, `billed_hours`
     * for 1_month, 3_months and 1_year */
    double price_hours;
    double per_unit_hour_usd;     /**< the term's price */
    double units_usd;             /**< units x price x price_hours */
    double spill_usd;             /**< overflow at on-demand Standard prices (0: throttled) */
    double total_usd;             /**< units_usd + spill_usd */
    double on_demand_usd;         /**< all the traffic at on-demand Standard prices */
    double weighted_tokens;       /**< the window's demand in weighted tokens */
    double over_weighted_tokens;  /**< of which spilled (or throttled) */
    double over_tokens[TP_METRIC_COUNT]; /**< spilled (or throttled) tokens by kind */
    size_t minutes_over;          /**< minutes whose demand exceeded capacity */
    double served_share;          /**< 1 - over / weighted (1 for no demand) */
    double peak_weighted_tpm;     /**< the largest minute's weighted demand x burst factor */
    /* Two pools (openai-scale, xai; docs/model.md, "Two pools: input and output units").
     * There `units`, `capacity_tpm` and `peak_weighted_tpm` are the input pool's; `hours`,
     * `units_usd`, `spill_usd`, `total_usd`, `on_demand_usd`, `over_tokens` cover both;
     * `billed_hours` and `price_hours` are billed_days x 24; `per_unit_hour_usd` is the input
     * pool's price per day / 24; weighted_tokens and over_weighted_tokens add the input pool's
     * weighted tokens and the output pool's output tokens; `minutes_over` counts minutes
     * over in either pool. All below are 0 for one pool. */
    int pools;                    /**< 1: a two-pool result */
    int64_t output_units;         /**< output units: 0, or minimum + a whole number of steps */
    double output_capacity_tpm;   /**< output units x output TPM per unit */
    double billed_days;           /**< the window's minutes / 1440 rounded up: a day begun is
                                       paid whole */
    double per_unit_day_usd;      /**< the input pool's price per unit-day */
    double output_per_unit_day_usd; /**< the output pool's */
    double input_units_usd;       /**< input units x price per day x billed_days */
    double output_units_usd;      /**< output units x price per day x billed_days */
    double input_spill_usd;       /**< the input pool's overflow at on-demand prices */
    double output_spill_usd;      /**< the output pool's */
    double input_weighted_tokens; /**< input + cache_read x w_cr + cache_write x w_cw */
    double output_weighted_tokens; /**< output tokens */
    double input_over_weighted_tokens;  /**< of which over the input pool */
    double output_over_weighted_tokens; /**< of which over the output pool */
    size_t input_minutes_over;    /**< minutes over the input pool */
    size_t output_minutes_over;   /**< minutes over the output pool */
    double output_peak_tpm;       /**< the largest minute's output tokens x burst factor */
    /** the least the purchase costs: units x price per day x max(billed_days, minimum_days)
     * for both pools (a window shorter than the minimum term still commits to it) */
    double commitment_usd;
    /** for reference: the spill at these counts if a minute over either pool spilled the
     * larger share of every token kind (Bedrock's coupled rule); 0 with throttle */
    double coupled_spill_usd;
} tp_units_result;

/**
 * Prices `units` units of p's unit model over the demand: each minute's weighted tokens
 * (input + output x w_out + cache_read x w_cr + cache_write x w_cw) times the burst factor
 * meet units x capacity; a minute above it overflows the excess share of each token kind
 * (spilled at on-demand Standard prices, or throttled).
 * Two pools (openai-scale, xai): prices `units` input units and o->output_units output
 * units, each pool on its own (docs/model.md, "Two pools: input and output units"); o->term
 * is ignored.
 * @return TP_OK; TP_ERR_USAGE for a Bedrock entry, a term p does not sell, a bad option or a
 *         demand without arrays
 */
TP_API tp_status tp_units_eval(const tp_demand *d, const tp_model_price *p,
                               const tp_units_options *o, int64_t units, tp_units_result *out,
                               tp_error *err);

/**
 * The exact optimum over 0 and minimum + k x step units: with spill, the least units +
 * spill cost (ties: fewer units); with throttle, the fewest units serving the service level.
 * Every candidate up to the one covering the peak is priced (from sorted minutes and prefix
 * sums); the result is then re-priced by tp_units_eval. Two pools: each pool's optimum on its
 * own (the pools are independent), o->term ignored; with throttle each pool serves the
 * service level of its own tokens.
 * @return as tp_units_eval; TP_ERR_TOO_BIG when over 10 million candidates
 */
TP_API tp_status tp_units_optimum(const tp_demand *d, const tp_model_price *p,
                                  const tp_units_options *o, tp_units_result *out,
                                  tp_error *err);

/** A reservation of R units on a term plus hourly units above it, each hour resized knowing
 * its traffic: a lower bound with perfect hourly resizing, not a plan (docs/model.md). */
typedef struct tp_units_split_result {
    int64_t reserved_units;    /**< R: 0, or minimum + k x step */
    double reserved_usd;       /**< R x term price x the term's hours (tp_units_result) */
    double hourly_unit_hours;  /**< unit-hours deployed above R, at the hourly price */
    double hourly_usd;
    double spill_usd;
    double total_usd;
    int64_t peak_units;        /**< the largest hourly deployment (R included) */
    double hours;              /**< the window's own hours */
    double billed_hours;       /**< its billed hours (tp_units_result) */
} tp_units_split_result;

/**
 * Azure's second decision, exact: reserve R units on o->term, and each hour of the window
 * (from its first minute) deploy max(R, n_h) units, n_h the hour's own optimum at the hourly
 * price (a deployment resized hourly knowing the hour's traffic: a lower bound on what
 * resizing can reach, not a plan anyone can buy). The R of least total is found over every
 * candidate.
 * @return as tp_units_eval; TP_ERR_USAGE when p does not sell both the hourly and o->term
 *         prices, when its overflow is throttled, or for a two-pool entry
 */
TP_API tp_status tp_units_split(const tp_demand *d, const tp_model_price *p,
                                const tp_units_options *o, tp_units_split_result *out,
                                tp_error *err);

/** Every term p sells priced at its optimum, the split lower bounds, and the plan
 * recommended (a term at a constant count: the only achievable plans). */
typedef struct tp_units_plan {
    int sold[TP_UNIT_TERM_COUNT];                 /**< 1: the entry prices this term */
    tp_units_result term[TP_UNIT_TERM_COUNT];     /**< the optimum on each sold term */
    int has_split[TP_UNIT_TERM_COUNT];            /**< 1: a split of this term and hourly */
    tp_units_split_result split[TP_UNIT_TERM_COUNT];
    tp_unit_term recommended_term;                /**< the term of least total */
    double recommended_total_usd;
    double on_demand_usd;                         /**< everything at on-demand Standard */
    /** 1: a two-pool entry (openai-scale, xai): its one offer, both pools at their optimum,
     * is term[TP_UNIT_1_MONTH] (a commitment of at least minimum_days, billed per day) */
    int pools;
} tp_units_plan;

/**
 * Prices every term p sells at its optimum (tp_units_optimum) and, where p sells hourly units
 * and spills, every other term split with hourly units (tp_units_split, a lower bound shown
 * for reference); recommends the term of least total (ties: the shorter term), never a
 * split: a reservation plus a constant count of hourly units is never cheaper than the
 * cheaper of its two constant plans, cost being linear in the split. o->term is ignored.
 * A two-pool entry fills term[TP_UNIT_1_MONTH] alone (tp_units_optimum) and sets `pools`.
 * @return as tp_units_optimum
 */
TP_API tp_status tp_units_plan_run(const tp_demand *d, const tp_model_price *p,
                                   const tp_units_options *o, tp_units_plan *out,
                                   tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
