/* test_stats.c - percentiles against hand-worked numbers and against a qsort reference. */
#include <CUnit/CUnit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/stats.h"

void register_tests(void);

#define NEAR(a, b) CU_ASSERT(fabs((a) - (b)) < 1e-9)

/* {0,10,20,30,40}: n-1 = 4. P25 at 0.25*4 = 1 -> 10. P50 at 2 -> 20. P90 at 3.6 ->
 * 30 + 0.6*(40-30) = 36. P99 at 3.96 -> 30 + 0.96*10 = 39.6. Max 40, mean 100/5 = 20. */
static void test_hand_worked(void)
{
    const double v[] = {40, 0, 30, 10, 20};
    tp_summary s;
    CU_ASSERT_EQUAL_FATAL(tp_stats_summarize(v, 5, &s, NULL), TP_OK);
    NEAR(s.p25_tpm, 10);
    NEAR(s.p50_tpm, 20);
    NEAR(s.p90_tpm, 36);
    NEAR(s.p99_tpm, 39.6);
    NEAR(s.max_tpm, 40);
    NEAR(s.mean_tpm, 20);
}

/* Idle minutes count: {5,0,0,1} sorts to {0,0,1,5}, n-1 = 3. P25 at 0.75 -> 0. P50 at 1.5 ->
 * 0 + 0.5*(1-0) = 0.5. P90 at 2.7 -> 1 + 0.7*(5-1) = 3.8. P99 at 2.97 -> 1 + 0.97*4 = 4.88.
 * Mean 6/4 = 1.5. Leaving the zeros out would give a P50 of 3: the reason for zero-filling. */
static void test_zero_minutes(void)
{
    const double v[] = {5, 0, 0, 1};
    tp_summary s;
    CU_ASSERT_EQUAL_FATAL(tp_stats_summarize(v, 4, &s, NULL), TP_OK);
    NEAR(s.p25_tpm, 0);
    NEAR(s.p50_tpm, 0.5);
    NEAR(s.p90_tpm, 3.8);
    NEAR(s.p99_tpm, 4.88);
    NEAR(s.max_tpm, 5);
    NEAR(s.mean_tpm, 1.5);
}

static void test_single_value(void)
{
    const double v[] = {7};
    tp_summary s;
    CU_ASSERT_EQUAL_FATAL(tp_stats_summarize(v, 1, &s, NULL), TP_OK);
    NEAR(s.p25_tpm, 7);
    NEAR(s.p99_tpm, 7);
    NEAR(s.mean_tpm, 7);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The radix sort must order exactly like a comparison sort, across magnitudes, fractions,
 * duplicates and zeros (including -0.0). */
static void test_matches_reference(void)
{
    enum { N = 20011 };
    double *v = malloc(N * sizeof *v), *ref = malloc(N * sizeof *ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    uint64_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(x >> 11) / 9007199254740992.0;
        v[i] = (i % 7 == 0) ? 0.0 : (i % 11 == 0) ? -0.0 : pow(10, 9 * u) * (1 + (i % 3) * 0.25);
        ref[i] = v[i] == 0 ? 0 : v[i];
    }
    qsort(ref, N, sizeof *ref, cmp);
    tp_summary s;
    CU_ASSERT_EQUAL_FATAL(tp_stats_summarize(v, N, &s, NULL), TP_OK);
    CU_ASSERT_EQUAL(s.p25_tpm, gsl_stats_quantile_from_sorted_data(ref, 1, N, 0.25));
    CU_ASSERT_EQUAL(s.p50_tpm, gsl_stats_quantile_from_sorted_data(ref, 1, N, 0.50));
    CU_ASSERT_EQUAL(s.p90_tpm, gsl_stats_quantile_from_sorted_data(ref, 1, N, 0.90));
    CU_ASSERT_EQUAL(s.p99_tpm, gsl_stats_quantile_from_sorted_data(ref, 1, N, 0.99));
    CU_ASSERT_EQUAL(s.max_tpm, ref[N - 1]);
    free(v);
    free(ref);
}

static void test_rejects_bad_values(void)
{
    tp_summary s;
    tp_error err;
    const double neg[] = {1, -1};
    const double nan_[] = {1, NAN};
    const double inf_[] = {INFINITY};
    CU_ASSERT_EQUAL(tp_stats_summarize(neg, 2, &s, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "minute 1 is negative"));
    CU_ASSERT_EQUAL(tp_stats_summarize(nan_, 2, &s, &err), TP_ERR_INVALID);
    CU_ASSERT_EQUAL(tp_stats_summarize(inf_, 1, &s, &err), TP_ERR_INVALID);
    CU_ASSERT_EQUAL(tp_stats_summarize(neg, 0, &s, &err), TP_ERR_INVALID);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("stats", NULL, NULL);
    CU_add_test(s, "hand worked", test_hand_worked);
    CU_add_test(s, "zero minutes", test_zero_minutes);
    CU_add_test(s, "single value", test_single_value);
    CU_add_test(s, "matches reference", test_matches_reference);
    CU_add_test(s, "rejects bad values", test_rejects_bad_values);
}
