/* test_stats_select.c - percentiles by selection are bit for bit those of a full sort and
 * GSL's gsl_stats_quantile_from_sorted_data, on every shape the selection treats apart; the
 * in-place summary (stats_summarize_in_place) is bit for bit tp_stats_summarize's. */
#include <CUnit/CUnit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/stats_internal.h"
#include "tierplan/stats.h"

#include "test_fixtures.h"

void register_tests(void);

static int cmp(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
    return test_xorshift_next(&rng_state);
}

/* A uniform double in [0, 1). */
static double unit(void)
{
    return (double)(rng() >> 11) / 9007199254740992.0;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* tp_stats_summarize against qsort + GSL on v[0..n-1]: every figure identical in its bits. */
static void check_exact(const double *v, size_t n)
{
    double *ref = malloc(n * sizeof *ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    for (size_t i = 0; i < n; i++)
        ref[i] = v[i] + 0.0; /* the stats count -0.0 as +0.0, as the radix sort always did */
    qsort(ref, n, sizeof *ref, cmp);
    tp_summary s;
    CU_ASSERT_EQUAL_FATAL(tp_stats_summarize(v, n, &s, NULL), TP_OK);
    CU_ASSERT(same_bits(s.p25_tpm, gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.25)));
    CU_ASSERT(same_bits(s.p50_tpm, gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.50)));
    CU_ASSERT(same_bits(s.p90_tpm, gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.90)));
    CU_ASSERT(same_bits(s.p99_tpm, gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.99)));
    CU_ASSERT(same_bits(s.max_tpm, ref[n - 1]));
    /* in place, over a copy of v (its keys written over it): every figure the same bits */
    memcpy(ref, v, n * sizeof *ref);
    tp_summary t;
    CU_ASSERT_EQUAL_FATAL(stats_summarize_in_place(ref, n, &t, NULL), TP_OK);
    CU_ASSERT(same_bits(t.p25_tpm, s.p25_tpm));
    CU_ASSERT(same_bits(t.p50_tpm, s.p50_tpm));
    CU_ASSERT(same_bits(t.p90_tpm, s.p90_tpm));
    CU_ASSERT(same_bits(t.p99_tpm, s.p99_tpm));
    CU_ASSERT(same_bits(t.max_tpm, s.max_tpm));
    CU_ASSERT(same_bits(t.mean_tpm, s.mean_tpm));
    free(ref);
}

/* Every small n, where the ranks of the quantiles coincide and reach the last element. */
static void test_small_n(void)
{
    double v[40];
    for (size_t n = 1; n <= 40; n++) {
        for (size_t i = 0; i < n; i++)
            v[i] = (double)(rng() % 7) * 1000.5;
        check_exact(v, n);
    }
}

/* A year of minutes spread over many magnitudes: few values per bucket, gathered in qsort. */
static void test_year_spread(void)
{
    const size_t n = 525600;
    double *v = malloc(n * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (size_t i = 0; i < n; i++)
        v[i] = unit() < 0.2 ? 0 : unit() * unit() * 2.5e6;
    check_exact(v, n);
    free(v);
}

/* Mostly idle minutes (P25 and P50 fall among 400,000 zeros, one bucket gathered whole and
 * sorted by radix) and values packed in one narrow range (one bucket holds nearly all). */
static void test_year_concentrated(void)
{
    const size_t n = 525600;
    double *v = malloc(n * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (size_t i = 0; i < n; i++)
        v[i] = i % 4 == 3 ? 1e5 + unit() * 1e3 : 0;
    check_exact(v, n);
    for (size_t i = 0; i < n; i++)
        v[i] = 500000 + (double)(rng() % 20000) + (i % 2 ? 0.25 : 0);
    check_exact(v, n);
    for (size_t i = 0; i < n; i++)
        v[i] = 42;
    check_exact(v, n);
    free(v);
}

/* -0.0 is a zero like any other, and odd sizes around the sorting thresholds. */
static void test_signed_zero_and_sizes(void)
{
    const size_t sizes[] = {65535, 65536, 65537, 131073, 100003};
    double *v = malloc(131073 * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (size_t i = 0; i < sizes[k]; i++)
            v[i] = i % 3 == 0 ? -0.0 : (double)(rng() % 1000);
        check_exact(v, sizes[k]);
    }
    free(v);
}

/* The in-place summary refuses what tp_stats_summarize refuses, with the same message. */
static void test_in_place_errors(void)
{
    const double bad[3][4] = {{1, 2, -3, 4}, {1, 2, 3, NAN}, {INFINITY, 0, 0, 0}};
    for (int k = 0; k < 3; k++) {
        double *v = malloc(sizeof bad[k]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(v);
        memcpy(v, bad[k], sizeof bad[k]);
        tp_summary s;
        tp_error e1, e2;
        CU_ASSERT_EQUAL(tp_stats_summarize(bad[k], 4, &s, &e1), TP_ERR_INVALID);
        CU_ASSERT_EQUAL(stats_summarize_in_place(v, 4, &s, &e2), TP_ERR_INVALID);
        CU_ASSERT_STRING_EQUAL(e1.message, e2.message);
        free(v);
    }
    double one = 1;
    tp_summary s;
    CU_ASSERT_EQUAL(stats_summarize_in_place(&one, 0, &s, NULL), TP_ERR_INVALID);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("stats by selection", NULL, NULL);
    CU_add_test(s, "small n", test_small_n);
    CU_add_test(s, "a year, spread", test_year_spread);
    CU_add_test(s, "a year, concentrated", test_year_concentrated);
    CU_add_test(s, "signed zero and sizes", test_signed_zero_and_sizes);
    CU_add_test(s, "in place: the same errors", test_in_place_errors);
}
