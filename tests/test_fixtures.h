/* test_fixtures.h - the price, the random numbers and the stats report the unit tests share
 * (header-only). */
#ifndef TIERPLAN_TEST_FIXTURES_H
#define TIERPLAN_TEST_FIXTURES_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tierplan/pricing.h"
#include "tierplan/report.h"
#include "tierplan/stats.h"

/* The price most tests size on: 3 / 15 / 0.3 / 3.75 USD per million input, output, cache-read
 * and cache-write tokens, reservations at 0.12 / 0.60 USD per 1K TPM-hour in steps of 1000 TPM,
 * and the first n_terms (1 to 3) of the terms 1, 3 and 6 months at discounts 1.0, 0.9, 0.8. */
static inline tp_model_price base_price(int n_terms)
{
    static const int months[] = {1, 3, 6};
    static const double discount[] = {1.0, 0.9, 0.8};
    tp_model_price p;
    memset(&p, 0, sizeof p);
    snprintf(p.entry, sizeof p.entry, "m");
    p.input_per_million_usd = 3;
    p.output_per_million_usd = 15;
    p.cache_read_per_million_usd = 0.3;
    p.cache_write_per_million_usd = 3.75;
    p.reserved_input_per_1k_tpm_hour_usd = 0.12;
    p.reserved_output_per_1k_tpm_hour_usd = 0.60;
    p.burn_down_cache_read = 0.1;
    p.burn_down_cache_write = 1.0;
    p.quota_output_weight = 1;
    p.reserved_step_tpm = 1000;
    p.n_terms = n_terms;
    for (int k = 0; k < n_terms; k++)
        p.term_months[k] = months[k], p.term_discount[k] = discount[k];
    p.tier_multiplier[TP_TIER_STANDARD] = 1.0;
    p.tier_multiplier[TP_TIER_PRIORITY] = 1.75;
    p.tier_multiplier[TP_TIER_FLEX] = 0.5;
    p.tier_multiplier[TP_TIER_BATCH] = 0.5;
    /* as tp_pricing_lookup fills an entry of a catalog that says nothing of the offer and
     * publishes no tier prices: offered (it has reserved prices), every tier's price the
     * Standard one times the tier's multiplier (callers that size by tier read these) */
    p.reserved_offered = 1;
    const double standard[TP_METRIC_COUNT] = {p.input_per_million_usd, p.output_per_million_usd,
                                              p.cache_read_per_million_usd,
                                              p.cache_write_per_million_usd};
    for (int t = 0; t < TP_TIER_COUNT; t++)
        for (int m = 0; m < TP_METRIC_COUNT; m++)
            p.tier_per_million_usd[t][m] = standard[m] * p.tier_multiplier[t];
    return p;
}


/* The catalog of the tier tests: model "m", per million input 3, output 15, cache read 0.30,
 * cache write 3.75; reserved per 1K TPM-hour input 0.12, output 0.60 (2/3 of what a fully
 * used 1K TPM costs at Standard: 1000 x 60 x 3 / 1e6 = 0.18 and 1000 x 60 x 15 / 1e6 = 0.90);
 * Priority 1.75x, Flex and Batch 0.5x; quota output weight 1. */
#define TEST_TIERED_CATALOG                                                                     \
    "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0,\"flex\":0.5,"            \
    "\"batch\":0.5},"                                                                          \
    "\"models\":{\"m\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,"                    \
    "\"cache_read\":0.3,\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,"       \
    "\"output\":0.60},\"quota_output_weight\":1.0}}}"

/* Parses catalog and copies its entry "m" into *out: 0, or -1 when either fails (a suite's
 * setup returns it). */
static inline int test_price_of_m(const char *catalog, tp_model_price *out)
{
    tp_pricing *p = NULL;
    tp_error err;
    const int ok = tp_pricing_parse("test", catalog, strlen(catalog), &p, &err) == TP_OK &&
                   tp_pricing_lookup(p, "m", out, NULL, NULL, &err) == TP_OK;
    tp_pricing_free(p);
    return ok ? 0 : -1;
}

/* The tests' random numbers: a 64-bit linear congruential generator (Knuth's MMIX constants),
 * the same sequence on every platform, which rand() is not. Returns the new state. */
static inline uint64_t test_rng_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state;
}

/* A second generator some tests were written with (Marsaglia's xorshift64, 13/7/17): the same
 * sequence as when they were written. Returns the new state. */
static inline uint64_t test_xorshift_next(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* A uniform double in [0, 1): the top 53 bits of the next state. */
static inline double test_uniform(uint64_t *state)
{
    return (double)(test_rng_next(state) >> 11) / 9007199254740992.0;
}

/* The stats report as the CLI makes it: its figures from the store (the logs/metrics
 * comparison for the text, which shows it), then rendered. */
static inline tp_status report_stats(tp_store *s, const tp_stats_request *req, tp_format fmt,
                                     char **out, tp_error *err)
{
    tp_stats_report *r = NULL;
    tp_stats_request q = *req;
    q.compare_sources = fmt == TP_FORMAT_TEXT;
    *out = NULL;
    tp_status rc = tp_stats_report_compute(s, &q, &r, err);
    if (rc == TP_OK)
        rc = tp_report_stats(&q, r, fmt, out, err);
    tp_stats_report_free(r);
    return rc;
}

#endif
