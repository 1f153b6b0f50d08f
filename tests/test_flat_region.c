/* test_flat_region.c - the flat region around a recommendation (tp_recommend_flat_region):
 * the sizes within 0.5% of its cost, on a demand whose cost curve is worked by hand. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <string.h>

#include "tierplan/recommend.h"
#include "test_fixtures.h"

void register_tests(void);

/* One hour: 40 minutes at 20,000 input TPM, 20 at 5,000, no output; base_price: reserved
 * input $0.12 per 1,000 TPM-hour, on-demand input $3 per million, grid step 1,000 from 0.
 * A reserved input TPM costs 0.12 / 1000 = $0.00012 over the hour; each minute above R it
 * saves 1 token x $3e-6. Between 5,000 and 20,000 TPM 40 minutes lie above R: 40 x 3e-6 =
 * 0.00012, so the cost is flat there at 20,000 x 0.00012 = $2.40 (all reserved at R =
 * 20,000). Below 5,000 all 60 minutes lie above: the cost climbs 60 x 3e-6 - 0.00012 =
 * $0.00006 per TPM, $0.06 at 4,000 = 2.5% over; above 20,000 it climbs $0.00012 per TPM,
 * $0.12 at 21,000 = 5% over. The 0.5% band ($2.412) is [5,000, 20,000] input TPM, and output,
 * with no traffic, [0, 0] (1,000 output TPM would add 1 x 0.60 = $0.60). */
static void test_hand_worked(void)
{
    double in[60], zero[60];
    for (int t = 0; t < 60; t++) {
        in[t] = t < 40 ? 20000 : 5000;
        zero[t] = 0;
    }
    const tp_demand d = {in, zero, zero, zero, 60, 0};
    tp_model_price p = base_price(1);
    tp_rec_options o;
    memset(&o, 0, sizeof o);
    tp_recommendation rec;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    const tp_candidate *r = &rec.candidates[rec.recommended];
    CU_ASSERT_DOUBLE_EQUAL(r->sim.total_usd, 2.4, 1e-9); /* somewhere on the flat part */
    CU_ASSERT_EQUAL_FATAL(tp_recommend_flat_region(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_TRUE(rec.has_flat_region);
    CU_ASSERT_DOUBLE_EQUAL(rec.flat_input_tpm[0], 5000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rec.flat_input_tpm[1], 20000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rec.flat_output_tpm[0], 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rec.flat_output_tpm[1], 0, 1e-9);
    /* a quota makes the cost a surface of throttled minutes: no region */
    o.quota_tpm = 15000;
    o.has_max_throttled_minutes = 1;
    o.max_throttled_minutes = 60;
    if (tp_recommend_run(&d, &p, &o, &rec, &err) == TP_OK) {
        CU_ASSERT_EQUAL(tp_recommend_flat_region(&d, &p, &o, &rec, &err), TP_OK);
        CU_ASSERT_FALSE(rec.has_flat_region);
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("flat_region", NULL, NULL);
    CU_add_test(s, "a cost curve worked by hand", test_hand_worked);
}
