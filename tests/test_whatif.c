/* test_whatif.c - the tier-mix what-if (a share of default traffic moved to Flex or Batch, and
 * what it saves) and the tiered search's optimal candidate beside its service-level pick,
 * against figures worked by hand. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/simulate.h"
#include "tierplan/whatif.h"

#include "test_fixtures.h"

void register_tests(void);

#define NEAR(a, b) CU_ASSERT(fabs((double)(a) - (double)(b)) <= 1e-9 * (1 + fabs((double)(b))))

static const char *catalog = TEST_TIERED_CATALOG; /* test_fixtures.h */

static tp_model_price price;

static int setup(void) { return test_price_of_m(catalog, &price); }

#define HOUR 60
static double d_in[HOUR], d_out[HOUR], zero[HOUR];

/* One hour of default traffic only: in_tpm / out_tpm every minute. */
static tp_tier_demand default_only(double in_tpm, double out_tpm)
{
    tp_tier_demand d;
    memset(&d, 0, sizeof d);
    for (int t = 0; t < HOUR; t++) {
        d_in[t] = in_tpm;
        d_out[t] = out_tpm;
        zero[t] = 0;
    }
    d.minutes = HOUR;
    const tp_demand def = {d_in, d_out, zero, zero, HOUR, 0};
    d.tier[TP_SERVICE_DEFAULT] = def;
    return d;
}

/* 1,000 / 100 TPM default, 30% to Flex and 20% to Batch: default keeps 500 / 50 a minute,
 * flex (absent before) gets 300 / 30, Batch takes 200 x 60 = 12,000 input and 20 x 60 = 1,200
 * output tokens; the other kinds stay 0. */
static void test_move_split(void)
{
    const tp_tier_demand d = default_only(1000, 100);
    tp_whatif_tiers *w = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_whatif_move_tiers(&d, 30, 20, &w, &err), TP_OK);
    const tp_tier_demand m = tp_whatif_tiers_demand(w);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.tier[TP_SERVICE_FLEX].input_tpm);
    CU_ASSERT_PTR_NULL(m.tier[TP_SERVICE_PRIORITY].input_tpm);
    for (int t = 0; t < HOUR; t++) {
        NEAR(m.tier[TP_SERVICE_DEFAULT].input_tpm[t], 500);
        NEAR(m.tier[TP_SERVICE_DEFAULT].output_tpm[t], 50);
        NEAR(m.tier[TP_SERVICE_FLEX].input_tpm[t], 300);
        NEAR(m.tier[TP_SERVICE_FLEX].output_tpm[t], 30);
        NEAR(m.tier[TP_SERVICE_FLEX].cache_read_tpm[t], 0);
    }
    double b[TP_METRIC_COUNT];
    tp_whatif_tiers_batch_tokens(w, b);
    NEAR(b[TP_METRIC_INPUT], 12000);
    NEAR(b[TP_METRIC_OUTPUT], 1200);
    NEAR(b[TP_METRIC_CACHE_READ], 0);
    /* the demand moved from is untouched */
    NEAR(d_in[0], 1000);
    tp_whatif_tiers_free(w);
}

/* The saving of that move, per hour then x 730:
 *   baseline (no move): 60 x (1000 x 3 + 100 x 15) / 1e6 = 0.27 -> 197.10 a month
 *   moved: default 60 x (500 x 3 + 50 x 15) / 1e6 = 0.135; flex 60 x (300 x 1.5 + 30 x 7.5)
 *     / 1e6 = 0.0405; Batch 12,000 x 1.5 / 1e6 + 1,200 x 7.5 / 1e6 = 0.027; total 0.2025
 *     -> 147.825 a month; saving 49.275 (25%: 30% at half price + 20% at half price)
 *   with a reservation costing 100 a month on the moved stream: 100 + 0.027 x 730 = 119.71,
 *     saving 77.39 (39.264...%). */
static void test_mix_price(void)
{
    const tp_tier_demand d = default_only(1000, 100);
    tp_whatif_tiers *w = NULL;
    tp_whatif_mix mix;
    tp_candidate rec;
    tp_error err;
    memset(&rec, 0, sizeof rec);
    rec.input_tpm = 500;
    rec.output_tpm = 50;
    rec.cost_per_month_usd = 100;
    CU_ASSERT_EQUAL_FATAL(tp_whatif_move_tiers(&d, 30, 20, &w, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_whatif_mix_price(&d, w, &price, 0, &rec, &mix, &err), TP_OK);
    NEAR(mix.move_to_flex_pct, 30);
    NEAR(mix.move_to_batch_pct, 20);
    NEAR(mix.moved_to_flex_tokens, 330 * 60);
    NEAR(mix.moved_to_batch_tokens, 13200);
    NEAR(mix.batch_usd_per_month, 0.027 * 730);
    NEAR(mix.baseline_usd_per_month, 197.10);
    NEAR(mix.moved_usd_per_month, 147.825);
    NEAR(mix.saving_alone_usd_per_month, 49.275);
    NEAR(mix.saving_alone_pct, 25);
    NEAR(mix.with_reservation_input_tpm, 500);
    NEAR(mix.with_reservation_usd_per_month, 119.71);
    NEAR(mix.saving_with_reservation_usd_per_month, 77.39);
    NEAR(mix.saving_with_reservation_pct, 100 * 77.39 / 197.10);
    tp_whatif_tiers_free(w);
}

/* Batch tokens without a batch price: an error naming the catalog entry and the kind. A move
 * to Flex alone needs no batch price. */
static void test_batch_unpriced(void)
{
    const tp_tier_demand d = default_only(1000, 100);
    tp_model_price p = price;
    tp_whatif_tiers *w = NULL;
    tp_whatif_mix mix;
    tp_candidate rec;
    tp_error err;
    memset(&rec, 0, sizeof rec);
    p.tier_per_million_usd[TP_TIER_BATCH][TP_METRIC_OUTPUT] = NAN;
    CU_ASSERT_EQUAL_FATAL(tp_whatif_move_tiers(&d, 0, 10, &w, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_whatif_mix_price(&d, w, &p, 0, &rec, &mix, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "entry \"m\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "batch price for output"));
    tp_whatif_tiers_free(w);
    w = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_whatif_move_tiers(&d, 10, 0, &w, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_whatif_mix_price(&d, w, &p, 0, &rec, &mix, &err), TP_OK);
    NEAR(mix.batch_usd_per_month, 0);
    tp_whatif_tiers_free(w);
}

/* Shares out of range: usage errors naming the field; nothing allocated. */
static void test_move_range(void)
{
    const tp_tier_demand d = default_only(1000, 100);
    tp_whatif_tiers *w = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_whatif_move_tiers(&d, 101, 0, &w, &err), TP_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.field, "move_to_flex_pct");
    CU_ASSERT_EQUAL(tp_whatif_move_tiers(&d, 0, -1, &w, &err), TP_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.field, "move_to_batch_pct");
    CU_ASSERT_EQUAL(tp_whatif_move_tiers(&d, NAN, 0, &w, &err), TP_ERR_USAGE);
    CU_ASSERT_EQUAL(tp_whatif_move_tiers(&d, 60, 50, &w, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(w);
    /* 100 in all is allowed: default keeps nothing */
    CU_ASSERT_EQUAL_FATAL(tp_whatif_move_tiers(&d, 50, 50, &w, &err), TP_OK);
    NEAR(tp_whatif_tiers_demand(w).tier[TP_SERVICE_DEFAULT].input_tpm[0], 0);
    tp_whatif_tiers_free(w);
}

/* With a service level, the tiered search's "optimal" candidate is the optimum without it.
 * Default traffic 10,000 / 1,000 TPM for 54 minutes and 20,000 / 2,000 for 6 (10%):
 *   above 10,000 only 10% of minutes use the capacity, less than the 2/3 break-even: the
 *   optimum is 10,000 / 1,000: reserved 10 x 0.12 + 1 x 0.60 = 1.80, spill 6 minutes x
 *   (10,000 x 3 + 1,000 x 15) / 1e6 = 0.27, total 2.07, with 6 spill minutes.
 *   At most 0% of minutes spilling: 20,000 / 2,000, reserved 2.40 + 1.20 = 3.60.
 *   No reservation: 54 x 0.045 + 6 x 0.09 = 2.97 (every minute spills: it fails the level). */
static void test_optimal_beside_slo(void)
{
    tp_tier_demand d = default_only(10000, 1000);
    for (int t = 54; t < HOUR; t++) {
        d_in[t] = 20000;
        d_out[t] = 2000;
    }
    tp_model_price p = price;
    p.reserved_step_tpm = 1000;
    p.reserved_minimum_input_tpm = p.reserved_minimum_output_tpm = 0;
    tp_rec_options o = {0};
    o.has_max_spill_minutes_pct = 1;
    o.max_spill_minutes_pct = 0;
    tp_recommendation rec;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_tiers_run(&d, &p, &o, &rec, &err), TP_OK);
    const tp_candidate *opt = NULL, *slo = NULL;
    for (size_t k = 0; k < rec.n_candidates; k++) {
        if (rec.candidates[k].basis == TP_BASIS_OPTIMAL)
            opt = &rec.candidates[k];
        if (rec.candidates[k].basis == TP_BASIS_SLO)
            slo = &rec.candidates[k];
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(opt);
    CU_ASSERT_PTR_NOT_NULL_FATAL(slo);
    NEAR(opt->input_tpm, 10000);
    NEAR(opt->output_tpm, 1000);
    NEAR(opt->sim.total_usd, 2.07);
    CU_ASSERT_EQUAL(opt->sim.spill_minutes, 6);
    NEAR(slo->input_tpm, 20000);
    NEAR(slo->output_tpm, 2000);
    NEAR(slo->sim.total_usd, 3.60);
    CU_ASSERT_PTR_EQUAL(&rec.candidates[rec.recommended], slo);
    /* without the level both are the optimum */
    o.has_max_spill_minutes_pct = 0;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_tiers_run(&d, &p, &o, &rec, &err), TP_OK);
    NEAR(rec.candidates[rec.recommended].input_tpm, 10000);
    CU_ASSERT_EQUAL(rec.candidates[rec.recommended].basis, TP_BASIS_OPTIMAL);
}

/* The not-offered reason names the entry whole however long (255 bytes), never the source. */
static void test_not_offered_reason_whole(void)
{
    const tp_tier_demand d = default_only(10000, 1000);
    tp_model_price p = price;
    p.reserved_offered = 0;
    memset(p.entry, 'e', sizeof p.entry - 1);
    p.entry[sizeof p.entry - 1] = '\0';
    memset(p.reserved_offered_source, 's', sizeof p.reserved_offered_source - 1);
    p.reserved_offered_source[sizeof p.reserved_offered_source - 1] = '\0';
    tp_rec_options o = {0};
    tp_recommendation rec;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_tiers_run(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(rec.reason, p.entry));
    CU_ASSERT_PTR_NULL(strstr(rec.reason, "sss"));
    const char *end = "no reservation; assume_offered explores one";
    const size_t n = strlen(rec.reason);
    CU_ASSERT(n > strlen(end) && strcmp(rec.reason + n - strlen(end), end) == 0);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("whatif", setup, NULL);
    CU_add_test(s, "move split", test_move_split);
    CU_add_test(s, "mix price", test_mix_price);
    CU_add_test(s, "batch unpriced", test_batch_unpriced);
    CU_add_test(s, "move range", test_move_range);
    CU_add_test(s, "optimal beside slo", test_optimal_beside_slo);
    CU_add_test(s, "not-offered reason whole", test_not_offered_reason_whole);
}
