/* test_simulate.c - spillover and costs against hand-worked figures, plus properties. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_fixtures.h"
#include "tierplan/pricing.h"
#include "tierplan/simulate.h"

void register_tests(void);

#define NEAR(a, b) CU_ASSERT(fabs((double)(a) - (double)(b)) <= 1e-9 * (1 + fabs((double)(b))))

/* Per million: input 3, output 15, cache read 0.30, cache write 3.75. Reserved per 1K
 * TPM-hour: input 0.12, output 0.60. Priority 1.75x. Burn-down 0.1 / 1.0. */
static const char *catalog =
    "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0,\"flex\":0.5},"
    "\"models\":{\"m\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,"
    "\"cache_read\":0.3,\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,"
    "\"output\":0.60},\"quota_output_weight\":1.0}}}";

static tp_model_price price;

static int setup(void) { return test_price_of_m(catalog, &price); }

/* Three minutes (input, cache read, cache write, output):
 *   m0 (100000, 900000,     0, 20000): effective e = 100000 + 0.1 x 900000 = 190000
 *   m1 ( 50000,      0, 10000, 40000): e = 50000 + 1.0 x 10000 = 60000
 *   m2 idle
 * Reservation: 95000 effective input TPM, 30000 output TPM.
 *   m0: s_in = 1 - 95000/190000 = 0.5, s_out = 0 (20000 <= 30000)
 *   m1: s_in = 0 (60000 <= 95000),     s_out = 1 - 30000/40000 = 0.25
 * Reserved: 3 minutes = 0.05 h x (95 x 0.12 + 30 x 0.60 = 29.4) = 1.47 USD.
 * Baseline: m0 (100000x3 + 900000x0.3 + 20000x15)/1e6 = 0.87;
 *           m1 (50000x3 + 10000x3.75 + 40000x15)/1e6 = 0.7875; total 1.6575 USD. */
static const double in_[] = {100000, 50000, 0}, cr_[] = {900000, 0, 0}, cw_[] = {0, 10000, 0},
                    out_[] = {20000, 40000, 0};
static const tp_demand demand3 = {in_, out_, cr_, cw_, 3, 29853480};

static tp_sim_result run(double ri, double ro, tp_spill_model m, tp_spill_to to, double quota)
{
    tp_sim_options o = {0};
    tp_sim_result r;
    tp_error err;
    o.reserve_input_tpm = ri;
    o.reserve_output_tpm = ro;
    o.spill_model = m;
    o.spill_to = to;
    o.quota_tpm = quota;
    CU_ASSERT_EQUAL(tp_simulate_run(&demand3, &price, &o, &r, &err), TP_OK);
    return r;
}

static void test_burn_down(void)
{
    /* the guide's example: 100K input + 900K cache reads x 0.1 = 190K reserved input TPM */
    NEAR(tp_simulate_burn_down_tpm(100000, 900000, 0, 0.1, 1.0), 190000);
    /* cache writes count in full by default: 50K + 10K = 60K */
    NEAR(tp_simulate_burn_down_tpm(50000, 0, 10000, 0.1, 1.0), 60000);
    NEAR(tp_simulate_burn_down_tpm(0, 1000, 1000, 0.25, 0.5), 750);
}

/* Independent: m0 spills half its input side: 50000 input + 450000 cache read
 *   = (50000x3 + 450000x0.3)/1e6 = 0.285; m1 spills a quarter of its output: 10000 x 15/1e6
 *   = 0.15. Spill 0.435, total 1.47 + 0.435 = 1.905, savings 1.6575 - 1.905 = -0.2475
 *   (-14.93%). Utilization: input served 95000 + 60000 = 155000 of 95000 x 3 = 285000;
 *   output served 20000 + 30000 = 50000 of 90000. */
static void test_independent(void)
{
    tp_sim_result r = run(95000, 30000, TP_SPILL_INDEPENDENT, TP_SPILL_TO_STANDARD, 0);
    CU_ASSERT_EQUAL(r.minutes, 3);
    NEAR(r.hours, 0.05);
    NEAR(r.reserved_usd, 1.47);
    NEAR(r.spill_usd, 0.435);
    NEAR(r.total_usd, 1.905);
    NEAR(r.baseline_usd, 1.6575);
    NEAR(r.savings_usd, -0.2475);
    NEAR(r.savings_pct, -0.2475 / 1.6575 * 100);
    NEAR(r.utilization_input, 155000.0 / 285000.0);
    NEAR(r.utilization_output, 50000.0 / 90000.0);
    CU_ASSERT_EQUAL(r.spill_minutes, 2);
    NEAR(r.spill_minutes_pct, 200.0 / 3.0);
    NEAR(r.spill_input_tokens, 500000);
    NEAR(r.spill_effective_input_tokens, 95000);
    NEAR(r.spill_output_tokens, 10000);
    CU_ASSERT_EQUAL(r.throttled_minutes, 0);
    /* blended: total / all tokens served = 1.905 / 1,120,000 x 1e6 */
    NEAR(r.blended_usd_per_million, 1.905 / 1120000 * 1e6);
}

/* Coupled: s = max(s_in, s_out). m0: s = 0.5 of everything: 50000 input + 450000 cache read +
 *   10000 output = 0.285 + 0.15 = 0.435. m1: s = 0.25: 12500 input + 2500 cache write +
 *   10000 output = (37500 + 9375 + 150000)/1e6 = 0.196875. Spill 0.631875, total 2.101875.
 *   Served effective input 95000 + 45000 = 140000 of 285000; output 10000 + 30000 = 40000 of
 *   90000. Spilled raw input 500000 + 15000, effective 95000 + 15000, output 20000. */
static void test_coupled(void)
{
    tp_sim_result r = run(95000, 30000, TP_SPILL_COUPLED, TP_SPILL_TO_STANDARD, 0);
    NEAR(r.spill_usd, 0.631875);
    NEAR(r.total_usd, 2.101875);
    NEAR(r.utilization_input, 140000.0 / 285000.0);
    NEAR(r.utilization_output, 40000.0 / 90000.0);
    NEAR(r.spill_input_tokens, 515000);
    NEAR(r.spill_effective_input_tokens, 110000);
    NEAR(r.spill_output_tokens, 20000);
    CU_ASSERT_EQUAL(r.spill_minutes, 2);
}

/* Priority: the coupled spill at 1.75x: 0.631875 x 1.75 = 1.10578125; total 2.57578125.
 * The baseline stays all-Standard: 1.6575. None: nothing billed, 515000 + 20000 = 535000
 * tokens throttled in 2 minutes; total = reserved = 1.47. */
static void test_spill_tiers(void)
{
    tp_sim_result r = run(95000, 30000, TP_SPILL_COUPLED, TP_SPILL_TO_PRIORITY, 0);
    NEAR(r.spill_usd, 1.10578125);
    NEAR(r.total_usd, 2.57578125);
    NEAR(r.baseline_usd, 1.6575);
    r = run(95000, 30000, TP_SPILL_COUPLED, TP_SPILL_TO_NONE, 0);
    NEAR(r.spill_usd, 0);
    NEAR(r.total_usd, 1.47);
    NEAR(r.throttled_tokens, 535000);
    CU_ASSERT_EQUAL(r.throttled_minutes, 2);
}

/* Quota 40000 TPM (coupled, standard). m0 spills 50000 input + 0 cache write + 10000 output
 * x 1.0 = 60000 quota TPM (cache reads do not count): 20000 over, so 1/3 of m0's spill is
 * throttled: (50000 + 450000 + 10000) / 3 = 170000 tokens, and 2/3 of 0.435 = 0.29 billed.
 * m1 uses 12500 + 2500 + 10000 = 25000 <= 40000: billed in full, 0.196875. Spill 0.486875. */
static void test_quota(void)
{
    tp_sim_result r = run(95000, 30000, TP_SPILL_COUPLED, TP_SPILL_TO_STANDARD, 40000);
    NEAR(r.spill_usd, 0.486875);
    NEAR(r.throttled_tokens, 170000);
    CU_ASSERT_EQUAL(r.throttled_minutes, 1);
    /* savings are against the tokens served: the throttled 1/3 of m0's spill is worth
     * 0.435 / 3 = 0.145 at Standard prices, so the served tokens are worth
     * 1.6575 - 0.145 = 1.5125; total 1.47 + 0.486875 = 1.956875; savings
     * 1.5125 - 1.956875 = -0.444375 (-29.38%), not 1.6575 - 1.956875 = -0.299375 */
    NEAR(r.throttled_value_usd, 0.145);
    NEAR(r.served_value_usd, 1.5125);
    NEAR(r.savings_usd, -0.444375);
    NEAR(r.savings_pct, -0.444375 / 1.5125 * 100);
    /* exactly at the quota nothing is throttled */
    r = run(95000, 30000, TP_SPILL_COUPLED, TP_SPILL_TO_STANDARD, 60000);
    CU_ASSERT_EQUAL(r.throttled_minutes, 0);
    NEAR(r.spill_usd, 0.631875);
}

/* No reservation: everything spills; total = baseline x the spill tier's multiplier, or zero
 * with everything throttled; utilization undefined (reservation 0). */
static void test_zero_reservation(void)
{
    tp_sim_result r = run(0, 0, TP_SPILL_COUPLED, TP_SPILL_TO_STANDARD, 0);
    NEAR(r.total_usd, 1.6575);
    NEAR(r.savings_usd, 0);
    CU_ASSERT(isnan(r.utilization_input));
    CU_ASSERT(isnan(r.utilization_output));
    r = run(0, 0, TP_SPILL_INDEPENDENT, TP_SPILL_TO_PRIORITY, 0);
    NEAR(r.total_usd, 1.6575 * 1.75);
    r = run(0, 0, TP_SPILL_COUPLED, TP_SPILL_TO_NONE, 0);
    NEAR(r.total_usd, 0);
    NEAR(r.throttled_tokens, 100000 + 900000 + 20000 + 50000 + 10000 + 40000);
    /* everything throttled is no saving at all: nothing served, nothing billed, savings 0
     * and no percentage (not 1.6575 USD, 100%) */
    NEAR(r.throttled_value_usd, 1.6575);
    NEAR(r.served_value_usd, 0);
    NEAR(r.savings_usd, 0);
    CU_ASSERT(isnan(r.savings_pct));
}

static void test_errors(void)
{
    tp_sim_options o = {0};
    tp_sim_result r;
    tp_error err;
    o.reserve_input_tpm = -1;
    CU_ASSERT_EQUAL(tp_simulate_run(&demand3, &price, &o, &r, &err), TP_ERR_INVALID);
    o.reserve_input_tpm = NAN;
    CU_ASSERT_EQUAL(tp_simulate_run(&demand3, &price, &o, &r, &err), TP_ERR_INVALID);
    tp_model_price no_reserved = price;
    no_reserved.reserved_input_per_1k_tpm_hour_usd = -1;
    o.reserve_input_tpm = 1000;
    CU_ASSERT_EQUAL(tp_simulate_run(&demand3, &no_reserved, &o, &r, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "no reserved_per_1k_tpm_hour"));
    tp_spill_to t;
    tp_spill_model m;
    CU_ASSERT_EQUAL(tp_simulate_spill_to_parse("flex", &t, &err), TP_ERR_USAGE);
    CU_ASSERT_EQUAL(tp_simulate_spill_model_parse("coupled", &m, &err), TP_OK);
    CU_ASSERT_EQUAL(m, TP_SPILL_COUPLED);
}

/* The trace has a header and one line per minute; m0's line carries its figures. */
static void test_trace(void)
{
    char *buf = NULL;
    size_t len = 0;
    tp_sim_options o = {0};
    tp_sim_result r;
    tp_error err;
    o.reserve_input_tpm = 95000;
    o.reserve_output_tpm = 30000;
    o.trace = open_memstream(&buf, &len);
    CU_ASSERT_EQUAL(tp_simulate_run(&demand3, &price, &o, &r, &err), TP_OK);
    fclose(o.trace);
    int lines = 0;
    for (char *c = buf; *c; c++)
        lines += *c == '\n';
    CU_ASSERT_EQUAL(lines, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "timestamp,input_tokens,cache_read_tokens,"));
    /* m0: e 190000, served 95000 / 10000 output, spilled 500000 raw (95000 effective) and
     * 10000 output, reserved 1.47/3 = 0.49 per minute, spill 0.435 */
    const char *m0 = "2026-10-05T14:00:00Z,100000,900000,0,20000,190000,95000,10000,500000,"
                     "95000,10000,0,";
    char *line = strstr(buf, m0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(line);
    /* money is printed exactly (shortest round trip), so compare it as numbers */
    double res_usd = 0, spill_usd = 0, total_usd = 0;
    CU_ASSERT_EQUAL(sscanf(line + strlen(m0), "%lf,%lf,%lf", &res_usd, &spill_usd, &total_usd),
                    3);
    NEAR(res_usd, 0.49);
    NEAR(spill_usd, 0.435);
    NEAR(total_usd, 0.925);
    free(buf);
}

/* Properties on random minutes: spill >= 0, utilization in [0, 1], spill cost non-increasing
 * as either reservation grows, coupled spill >= independent spill. */
static void test_properties(void)
{
    enum { N = 2000 };
    static double in[N], out[N], cr[N], cw[N];
    uint64_t x = 99;
    for (int i = 0; i < N; i++) {
        double u[4];
        for (int k = 0; k < 4; k++)
            u[k] = test_uniform(&x);
        in[i] = u[0] < 0.2 ? 0 : 200000 * u[0];
        cr[i] = 500000 * u[1] * u[1];
        cw[i] = u[2] < 0.7 ? 0 : 50000 * u[2];
        out[i] = 60000 * u[3];
    }
    tp_demand d = {in, out, cr, cw, N, 0};
    int ok = 1;
    for (int to = 0; to < 3; to++) {
        double prev_c = INFINITY, prev_i = INFINITY;
        for (double ri = 0; ri <= 400000; ri += 25000) {
            tp_sim_options o = {0};
            tp_sim_result c, ind;
            o.reserve_input_tpm = ri;
            o.reserve_output_tpm = 30000;
            o.spill_to = (tp_spill_to)to;
            o.spill_model = TP_SPILL_COUPLED;
            ok &= tp_simulate_run(&d, &price, &o, &c, NULL) == TP_OK;
            o.spill_model = TP_SPILL_INDEPENDENT;
            ok &= tp_simulate_run(&d, &price, &o, &ind, NULL) == TP_OK;
            ok &= c.spill_usd >= 0 && ind.spill_usd >= 0;
            ok &= c.spill_usd <= prev_c + 1e-9 && ind.spill_usd <= prev_i + 1e-9;
            ok &= c.spill_usd >= ind.spill_usd - 1e-9;
            ok &= c.spill_input_tokens >= ind.spill_input_tokens - 1e-6;
            ok &= c.spill_output_tokens >= ind.spill_output_tokens - 1e-6;
            if (ri > 0)
                ok &= c.utilization_input >= 0 && c.utilization_input <= 1 + 1e-12 &&
                      ind.utilization_input >= 0 && ind.utilization_input <= 1 + 1e-12;
            ok &= c.utilization_output >= 0 && c.utilization_output <= 1 + 1e-12;
            prev_c = c.spill_usd;
            prev_i = ind.spill_usd;
        }
        prev_c = INFINITY;
        for (double ro = 0; ro <= 80000; ro += 5000) {
            tp_sim_options o = {0};
            tp_sim_result c;
            o.reserve_input_tpm = 100000;
            o.reserve_output_tpm = ro;
            o.spill_to = (tp_spill_to)to;
            ok &= tp_simulate_run(&d, &price, &o, &c, NULL) == TP_OK;
            ok &= c.spill_usd <= prev_c + 1e-9;
            prev_c = c.spill_usd;
        }
    }
    CU_ASSERT(ok);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("simulate", setup, NULL);
    CU_add_test(s, "burn down", test_burn_down);
    CU_add_test(s, "independent", test_independent);
    CU_add_test(s, "coupled", test_coupled);
    CU_add_test(s, "spill tiers", test_spill_tiers);
    CU_add_test(s, "quota", test_quota);
    CU_add_test(s, "zero reservation", test_zero_reservation);
    CU_add_test(s, "errors", test_errors);
    CU_add_test(s, "trace", test_trace);
    CU_add_test(s, "properties", test_properties);
}
