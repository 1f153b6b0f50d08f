/* recommend_batch.h - the recommender as a caller sizing demand after demand runs it (the
 * fleet's workers): kept per-minute buffers, percentiles known beforehand, the term's prices,
 * one candidate simulated. The search itself stays behind model/recommend_internal.h. */
#ifndef TIERPLAN_RECOMMEND_BATCH_H
#define TIERPLAN_RECOMMEND_BATCH_H

#include <stddef.h>

#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/simulate.h"
#include "tierplan/stats.h"

/* ---- per-minute buffers kept between recommendations ---- */

/* The recommender's per-minute arrays (the terms, 8 bytes a minute each, and the coupled
 * search's sorted copy, 32 a minute with output). A caller sizing demand after demand (a fleet worker) keeps them
 * here, so that every model after the first reuses pages already mapped: freed, a year's
 * 38 MB went back to the kernel and came back as some 9,000 page faults per model. */
enum {
    REC_SCR_E, REC_SCR_O, REC_SCR_V_IN, REC_SCR_V_OUT, /* rec_terms */
    REC_SCR_MINUTES, /* the coupled search's sorted minutes with output, 32 bytes each */
    REC_SCR_COUNT
};

typedef struct rec_scratch {
    void *p[REC_SCR_COUNT];
    size_t cap[REC_SCR_COUNT]; /* bytes */
} rec_scratch;

/* A buffer of at least `bytes` for `slot`: s's (grown when short), or with s NULL a new one
 * the caller frees with rec_scratch_put. NULL when out of memory. */
void *rec_scratch_get(rec_scratch *s, int slot, size_t bytes);
/* Gives back a buffer from rec_scratch_get: freed with s NULL, else kept by s. */
void rec_scratch_put(rec_scratch *s, void *p);
/* Frees every buffer s keeps; s may then be reused. NULL is fine. */
void rec_scratch_free(rec_scratch *s);
/* Frees the buffer s keeps for `slot` alone (its next rec_scratch_get allocates again). */
void rec_scratch_drop(rec_scratch *s, int slot);

/* Reserved prices for a commitment of `months` months: the catalog's term discount applied.
 * *discount receives the factor. TP_ERR_INVALID when the catalog has no such term. */
tp_status rec_apply_term(const tp_model_price *in, int months, tp_model_price *out,
                         double *discount, tp_error *err);

/* Simulates reservation (ri, ro) on d with prices p (term already applied) as candidate
 * `basis`, and fills in its per-hour, -month and -term costs. */
tp_status rec_simulate_candidate(const tp_demand *d, const tp_model_price *p,
                                 const tp_rec_options *o, tp_basis basis, double ri, double ro,
                                 int months, tp_candidate *c, tp_error *err);

/* What a caller may know already about the demand it sizes: the percentiles of its effective
 * input, computed with these burn-down factors, and of its output (the fleet has them from
 * the stats when no what-if changed the demand). */
typedef struct rec_hints {
    tp_summary effective_input, output;
    double burn_down_cache_read, burn_down_cache_write;
} rec_hints;

/* Whether the hints stand for the demand priced with p: given, and with p's factors. */
int rec_hints_apply(const rec_hints *h, const tp_model_price *p);

/* The smallest grid index allowed on each side: 0 or 1 (recommend_internal.h, rec_kmin). */
typedef struct rec_kmin_flags {
    unsigned char i, o;
} rec_kmin_flags;

/* How a caller sizing demand after demand runs the recommender. */
typedef struct rec_batch {
    const rec_hints *hints; /* the demand's percentiles, or NULL */
    rec_scratch *scr;       /* per-minute arrays kept between calls, or NULL */
    /* 1: no second thread for the percentile candidates; they are simulated after the
     * search, in the optimum's pass. For callers whose own threads keep the cores busy
     * (fleet workers): one pass less, where a second thread would buy no time there. */
    int one_pass;
    /* The tiered search's extras (recommend_tiers.c); zero for the single stream. */
    const double *quota_at;  /* per-minute quota left to the spill (rec_terms), or NULL */
    double thr_offset;       /* throttled minutes the traffic not routed already has */
    rec_kmin_flags kmin;     /* smallest grid indices allowed */
    /* non-NULL: only search; receives opt (ri, ro), slo (ri, ro), the cost of the point a
     * caller simulates (slo's with a service level, else opt's) as the search reckons it
     * without a quota (rec_cost_of, up to rounding), and the demand's on-demand value at
     * Standard prices (the sum of rec_terms' v_in and v_out): 6 doubles */
    double *points;
    /* non-NULL: d (its minutes; its arrays may be NULL) is the sum of these tiers in
     * tier_set, which the search reads directly (rec_terms_fill_tiers), never the sum's
     * arrays; with points, and only where nothing can be throttled (rec_can_throttle: the
     * quota search reads the raw minutes) */
    const tp_tier_demand *tiers;
    tp_route_set tier_set;
} rec_batch;

/* tp_recommend_run as b says (NULL: as tp_recommend_run): the same result bit for bit, given hints
 * that are the tp_stats_summarize of d's effective input and output. */
tp_status rec_run_batch(const tp_demand *d, const tp_model_price *price,
                        const tp_rec_options *o, const rec_batch *b, tp_recommendation *out,
                        tp_error *err);

/* tp_recommend_tiers_run with its subsets searched on up to `threads` threads (1: the
 * calling thread alone; 0: one per processor, as tp_recommend_tiers_run): the same result bit
 * for bit whatever the number. For callers whose own threads keep the cores busy (fleet
 * workers), 1. */
tp_status rec_tiers_run(const tp_tier_demand *d, const tp_model_price *price,
                        const tp_rec_options *o, size_t threads, tp_recommendation *out,
                        tp_error *err);

/* rec_tiers_run for a caller that keeps buffers and knows the percentiles (the fleet): when
 * all of d is default traffic, default may be routed, the catalog offers the Reserved tier
 * without minimums and there is no quota, the tiered search has one subset, the single stream
 * itself, and this runs rec_run_batch with b (its hints and kept buffers) on it, then fills
 * the routing as the tiered search does (test_tiers asserts the same recommendation); else,
 * or with b NULL, rec_tiers_run. */
tp_status rec_tiers_run_batch(const tp_tier_demand *d, const tp_model_price *price,
                              const tp_rec_options *o, size_t threads, const rec_batch *b,
                              tp_recommendation *out, tp_error *err);

#endif
