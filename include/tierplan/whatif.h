/* whatif.h - what-if demand: scaled traffic and a changed cache-hit share, for re-sizing;
 * a share of default traffic moved to Flex or Batch, and what that saves. */
#ifndef TIERPLAN_WHATIF_H
#define TIERPLAN_WHATIF_H

#include "tierplan/common.h"
#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/series.h"
#include "tierplan/simulate.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Transformed demand; owns its four per-minute arrays. Opaque. */
typedef struct tp_whatif tp_whatif;

/**
 * Demand after a what-if: every token count scaled by `scale`, then `cache_hit_delta` of each
 * minute's regular + cache-read input moved from regular to cache-read tokens (negative: back),
 * clamped so neither goes below zero.
 * @param d the demand to transform (read only; not referenced after the call returns)
 * @param scale factor >= 0
 * @param cache_hit_delta share in [-1, 1]
 * @param out receives the transformed demand (NULL on failure); the caller frees it with
 *        tp_whatif_free
 * @return TP_ERR_USAGE for a scale or delta out of range; TP_ERR_NOMEM
 */
TP_API tp_status tp_whatif_apply(const tp_demand *d, double scale, double cache_hit_delta,
                                 tp_whatif **out, tp_error *err);

/**
 * The transformed demand. Its arrays belong to w: valid until tp_whatif_free(w); do not free
 * them.
 */
TP_API tp_demand tp_whatif_demand(const tp_whatif *w);

/** Frees w and its arrays. NULL is allowed. */
TP_API void tp_whatif_free(tp_whatif *w);

/* ---- the tier-mix what-if (docs/model.md, "Tier-mix what-if") ---- */

/** Demand by requested tier after a tier-mix move; owns its default and flex arrays. Opaque. */
typedef struct tp_whatif_tiers tp_whatif_tiers;

/**
 * Moves move_to_flex_pct % of each minute's default traffic (every token kind alike) to the
 * flex tier, which stays in the per-minute stream at its own tier, and move_to_batch_pct % out
 * of the stream to Batch (asynchronous: no minute, no quota, no reservation; counted in
 * tokens, priced by tp_whatif_mix_price). The other tiers are unchanged.
 * @param d the demand by tier (read only; its arrays are not referenced after the call)
 * @param move_to_flex_pct, move_to_batch_pct each in [0, 100], their sum at most 100
 * @param out receives the moved demand (NULL on failure); free with tp_whatif_tiers_free
 * @return TP_ERR_USAGE for a share out of range (field move_to_flex_pct or
 *         move_to_batch_pct); TP_ERR_NOMEM
 */
TP_API tp_status tp_whatif_move_tiers(const tp_tier_demand *d, double move_to_flex_pct,
                                      double move_to_batch_pct, tp_whatif_tiers **out,
                                      tp_error *err);

/**
 * The moved demand: the tiers of the demand moved from, with default and flex replaced by w's
 * own arrays (valid until tp_whatif_tiers_free(w); do not free them).
 */
TP_API tp_tier_demand tp_whatif_tiers_demand(const tp_whatif_tiers *w);

/** The tokens moved to Batch over the window, by kind (tp_metric order). */
TP_API void tp_whatif_tiers_batch_tokens(const tp_whatif_tiers *w,
                                         double tokens[TP_METRIC_COUNT]);

/** Frees w and its arrays. NULL is allowed. */
TP_API void tp_whatif_tiers_free(tp_whatif_tiers *w);

/** What a tier-mix move saves, alone and with the reservation recommended for the moved
 * demand. Monthly figures are window USD / window hours x 730. */
typedef struct tp_whatif_mix {
    double move_to_flex_pct, move_to_batch_pct;
    double moved_to_flex_tokens;  /**< raw tokens, all kinds, over the window */
    double moved_to_batch_tokens;
    double batch_usd_per_month;   /**< the Batch tokens at the catalog's batch prices */
    double baseline_usd_per_month; /**< no move, no reservation: each tier at its own price */
    double moved_usd_per_month;    /**< the move, no reservation (Batch included) */
    double saving_alone_usd_per_month; /**< baseline - moved */
    double saving_alone_pct;           /**< of the baseline; NAN for a zero baseline */
    /** the move and the recommended reservation of the moved demand (Batch included) */
    double with_reservation_input_tpm, with_reservation_output_tpm;
    double with_reservation_usd_per_month;
    double saving_with_reservation_usd_per_month; /**< baseline - with_reservation */
    double saving_with_reservation_pct;           /**< of the baseline; NAN for a zero one */
} tp_whatif_mix;

/**
 * Prices a tier-mix move: before (the demand as sized without the move) and w's moved demand,
 * each without a reservation (tp_simulate_tiers_run, nothing routed, quota_tpm shared as
 * there), the Batch tokens at price->tier_per_million_usd[TP_TIER_BATCH], and recommended (the
 * recommended candidate of tp_recommend_tiers_run on w's demand, its term applied) plus Batch.
 * All borrowed.
 * @param out filled in (nothing is allocated)
 * @return TP_ERR_INVALID when Batch tokens of a kind have no batch price in the catalog entry
 *         (the message names the entry) or a moved tier has no price; tp_simulate_tiers_run's
 *         errors
 */
TP_API tp_status tp_whatif_mix_price(const tp_tier_demand *before, const tp_whatif_tiers *w,
                                     const tp_model_price *price, double quota_tpm,
                                     const tp_candidate *recommended, tp_whatif_mix *out,
                                     tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
