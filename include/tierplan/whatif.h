/* whatif.h - what-if demand: scaled traffic and a changed cache-hit share, for re-sizing. */
#ifndef TIERPLAN_WHATIF_H
#define TIERPLAN_WHATIF_H

#include "tierplan/common.h"
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

#ifdef __cplusplus
}
#endif
#endif
