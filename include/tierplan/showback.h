/* showback.h - a reservation's cost (Bedrock reserved TPM, or units held of a unit-based
 * provider) split among the attribution keys of invocation logs. */
#ifndef TIERPLAN_SHOWBACK_H
#define TIERPLAN_SHOWBACK_H

#include <stdint.h>

#include "tierplan/common.h"
#include "tierplan/pricing.h"
#include "tierplan/format.h"
#include "tierplan/series.h"
#include "tierplan/simulate.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The most distinct keys a showback takes in its window (docs/user-guide.md, "showback"):
 * its peak memory is some 600 bytes a key (590 MiB for 1,000,000; docs/performance.md).
 * Identity keys are not capped at ingest (metadata keys are, at 1,000 a model), and whoever
 * calls the model chooses them: past the cap a showback is refused (TP_ERR_TOO_BIG) instead
 * of growing without bound. */
#define TP_SHOWBACK_MAX_KEYS 1000000

/** The reservation and spill handling shown back. Zero-initialise, then set. */
typedef struct tp_showback_options {
    double reserve_input_tpm;  /**< reserved effective input TPM */
    double reserve_output_tpm; /**< reserved output TPM */
    tp_spill_model spill_model;
    tp_spill_to spill_to;
    double quota_tpm; /**< as in tp_sim_options; 0: none */
    int spread_idle;  /**< 1: idle reserved capacity is spread over the keys by their
                           share of the window's demand instead of its own line */
    size_t max_keys;  /**< the cap on distinct keys; 0: TP_SHOWBACK_MAX_KEYS */
    /** the requested tiers the reservation serves (the recommendation's routed_tiers); 0:
     * reserved and default, as a held reservation serves. Invocation logs carry no service
     * tier: their traffic is default, so the set must route default */
    tp_route_set routed_tiers;
    /* A model sold in units (the price's provider is not bedrock): the units held, what they
     * are held on, and the per-second burst; the fields above but spread_idle and max_keys
     * must then be zero (docs/model.md, "Other providers"). */
    int64_t units;           /**< units held: 0, or the entry's minimum + whole steps */
    tp_unit_term unit_term;  /**< the term they are held on (TP_UNIT_HOURLY when zero): its
                                  price per unit-hour must be sold */
    double burst_factor;     /**< as tp_units_options.burst_factor: 0 is its default */
    /** Two pools (openai-scale, xai: unit.pools): the output units held, `units` being the
     * input units; each on its pool's grid; unit_term then TP_UNIT_1_MONTH (the one offer).
     * Must be 0 for any other entry. */
    int64_t output_units;
} tp_showback_options;

/** One key's share (or the idle line). Cents are whole: each column adds up exactly. */
typedef struct tp_showback_line {
    char *key;                     /**< attribution key, or "(idle)"; owned by the showback */
    int idle;                      /**< 1: the reserved capacity nobody used */
    double effective_input_tokens; /**< its demand over the window (burned down) */
    double output_tokens;
    double reserved_usd, spill_usd; /**< exact shares (docs/model.md, "Showback") */
    double on_demand_baseline_usd;  /**< its tokens on demand, each at the tier that served
                                         it (default traffic: Standard) */
    int64_t reserved_cents, spill_cents, total_cents; /**< by largest remainder */
    double tokens;           /**< its raw tokens over the window, all kinds (0: idle line) */
    double spill_tokens;     /**< of them, spilled and served on demand (raw) */
    double throttled_tokens; /**< of them, spilled and throttled (raw): the rest, tokens -
                                  spill - throttled, the reservation served */
    /** A unit showback only (0 otherwise): the key's weighted tokens over the window, input +
     * output x w_out + cache reads x w_cr + cache writes x w_cw (its effective_input_tokens
     * are then the input side of that sum, its output_tokens raw) */
    double weighted_tokens;
    /** Two pools only (0 otherwise; docs/model.md, "Showback of two pools"): reserved_usd and
     * spill_usd by pool (the idle line: each pool's idle units). effective_input_tokens is then
     * the key's input-pool weighted tokens, output_tokens its output tokens, weighted_tokens
     * their sum */
    double input_units_usd, output_units_usd;
    double input_spill_usd, output_spill_usd;
} tp_showback_line;

/** A showback of one model over one window. Free with tp_showback_free. */
typedef struct tp_showback {
    char *model;
    char *region, *account; /**< the place whose logs were read ("" unknown; region "*": the
                                 account's regions summed, merge_regions); owned */
    int64_t from_minute; /**< the window, Unix minutes, [from, from + minutes) */
    size_t minutes;
    double reserve_input_tpm, reserve_output_tpm;
    tp_showback_options options;
    double reserved_usd; /**< the reservation over the window, as tp_simulate_run prices it */
    double spill_usd;    /**< the spill, as tp_simulate_run prices it */
    double idle_usd;     /**< the part of reserved_usd nobody used */
    /** every token of the window on demand at the tier that served it (the logs' traffic is
     * default: Standard prices), what the reservation is compared with */
    double on_demand_baseline_usd;
    tp_route_set routed_tiers; /**< the tiers the reservation serves (reserved always); 0
                                    without a reservation */
    int64_t reserved_cents, spill_cents, total_cents; /**< rounded totals the lines add up to */
    tp_showback_line *lines; /**< keys in name order, then the idle line (unless spread) */
    size_t n_lines;
    /* What was shown back: a Bedrock reservation (reserve_*_tpm above), or units held */
    tp_provider provider;     /**< the catalog entry's provider */
    tp_unit_price unit;       /**< its units (zero for bedrock) */
    int64_t units;            /**< units held (a unit showback; 0 for bedrock) */
    tp_unit_term unit_term;   /**< the term they are held on */
    double per_unit_hour_usd; /**< that term's price */
    double price_hours;       /**< the hours it is paid for, as tp_units_result.price_hours */
    double capacity_tpm;      /**< units x capacity per unit: weighted tokens a minute */
    double burst_factor;      /**< the per-second peak over the minute's average applied */
    double weighted_tokens;   /**< the window's weighted tokens (a unit showback) */
    /* Two pools (unit.pools: openai-scale, xai). `units` and `capacity_tpm` are then the input
     * pool's; price_hours is billed_days x 24; per_unit_hour_usd the input pool's price per
     * day / 24 (read the per-day prices in unit.input_pool and unit.output_pool). 0 otherwise */
    int64_t output_units;       /**< output units held */
    double output_capacity_tpm; /**< output units x output TPM per unit */
    double billed_days;         /**< the window's minutes / 1440 rounded up */
    double input_units_usd;     /**< input units x price per unit-day x billed_days */
    double output_units_usd;    /**< output units x ... */
    double input_spill_usd, output_spill_usd; /**< each pool's overflow at on-demand prices */
    double input_idle_usd, output_idle_usd;   /**< each pool's units used by nobody */
    double input_weighted_tokens;  /**< input + cache reads x w_cr + cache writes x w_cw */
    double output_weighted_tokens; /**< output tokens */
} tp_showback;

/**
 * Splits the cost of a reservation among the attribution keys of the model's invocation
 * logs, minute by minute (docs/model.md, "Showback"): in a minute, the reserved capacity used
 * is shared in proportion to the keys' effective input (and output) demand, and the spill is
 * charged to the keys that spilled it, in the same proportion, at the spill price. For a
 * model sold in units (price->provider not bedrock) the units held (o->units on o->unit_term)
 * cost units x price x the term's hours, as tp_units_eval prices them; a minute's used
 * capacity is shared by the keys' weighted tokens, and a minute above capacity overflows the
 * excess share of each key's tokens: spilled at on-demand Standard prices, or throttled
 * (reported, not charged) (docs/model.md, "Other providers"). Two pools (openai-scale, xai):
 * o->units input and o->output_units output units, each pool's units x its price per unit-day
 * x the window's billed days, each pool's used capacity shared by the keys' share of its
 * weighted tokens and its overflow charged to the keys' tokens of its kinds (docs/model.md,
 * "Showback of two pools").
 * @param q the model and window (without bounds: the span of its logs; a relative q->window
 *        is anchored at its now, else at the end of the model's logs); keys, tiers and
 *        source are ignored; borrowed for the call
 * @param price the model's prices (reserved prices with any term discount applied)
 * @param out receives the showback; the caller frees it with tp_showback_free
 * @return TP_OK; TP_ERR_NOT_FOUND when the model has no invocation logs (in the window);
 *         TP_ERR_INVALID for a negative reservation, a reserved dimension without a reserved
 *         price or a reservation whose routed tiers leave out default (the logs' tier); for
 *         units off the entry's grid, a term it does not sell, a burst factor outside 1..60,
 *         Bedrock options on a unit model or units on a Bedrock one (each naming the field);
 *         TP_ERR_TOO_BIG for more distinct keys in the window than o->max_keys (naming both);
 *         TP_ERR_DB; TP_ERR_NOMEM
 */
TP_API tp_status tp_showback_run(tp_store *store, const tp_series_query *q,
                                 const tp_model_price *price, const tp_showback_options *o,
                                 tp_showback **out, tp_error *err);

/** Frees a showback and its lines. NULL is allowed. */
TP_API void tp_showback_free(tp_showback *sb);

#ifdef __cplusplus
}
#endif
#endif
