/* test_stats.c - percentiles against hand-worked numbers and against a qsort reference. */
#include <CUnit/CUnit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_fixtures.h"
#include "test_util.h"
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
        double u = test_uniform(&x);
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

/* The dataset of test_report: input over 14:00..14:04 is {40,10,0,30,20} (no point at 14:02),
 * sorted {0,10,20,30,40}: P25 10, P50 20, P90 36, P99 39.6, max 40, mean 20 (test_hand_worked).
 * Cache read 100 at 14:02 and cache write 5 at 14:03 make the effective input with the default
 * factors (0.1, 1.0) {40, 10, 0 + 0.1 x 100, 30 + 1.0 x 5, 20} = {40,10,10,35,20}, sorted
 * {10,10,20,35,40}: P25 at 1 -> 10; P50 at 2 -> 20; P90 at 3.6 -> 35 + 0.6 x 5 = 38;
 * P99 at 3.96 -> 35 + 0.96 x 5 = 39.8; max 40; mean 115 / 5 = 23. Output {0,0,0,0,5}: P99 at
 * 3.96 -> 0.96 x 5 = 4.8, mean 1. */
static const char model_data[] = "2026-10-05T14:00:00Z,m1,InputTokenCount,40\n"
                                 "2026-10-05T14:01:00Z,m1,InputTokenCount,10\n"
                                 "2026-10-05T14:03:00Z,m1,InputTokenCount,30\n"
                                 "2026-10-05T14:04:00Z,m1,InputTokenCount,20\n"
                                 "2026-10-05T14:04:00Z,m1,OutputTokenCount,5\n"
                                 "2026-10-05T14:02:00Z,m1,CacheReadInputTokenCount,100\n"
                                 "2026-10-05T14:03:00Z,m1,CacheWriteInputTokenCount,5\n";

static tp_store *store_with(const char *data, int period_s)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = period_s;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "d.csv", data, NULL, &err), TP_OK);
    return s;
}

static void test_model_hand_worked(void)
{
    tp_store *s = store_with(model_data, 60);
    tp_error err;
    tp_model_stats *m = NULL;
    tp_series_query q = {0};
    q.model = "m1";
    CU_ASSERT_EQUAL_FATAL(tp_stats_model(s, &q, NULL, &m, &err), TP_OK);
    tp_store_close(s); /* the stats own their series: they outlive the store */
    CU_ASSERT_STRING_EQUAL(tp_series_model(m->series), "m1");
    CU_ASSERT_EQUAL(tp_series_minutes(m->series), 5);
    const tp_summary *in = &m->tpm[TP_METRIC_INPUT];
    NEAR(in->p25_tpm, 10);
    NEAR(in->p50_tpm, 20);
    NEAR(in->p90_tpm, 36);
    NEAR(in->p99_tpm, 39.6);
    NEAR(in->max_tpm, 40);
    NEAR(in->mean_tpm, 20);
    NEAR(m->tpm[TP_METRIC_OUTPUT].p99_tpm, 4.8);
    NEAR(m->tpm[TP_METRIC_OUTPUT].mean_tpm, 1);
    NEAR(m->tpm[TP_METRIC_CACHE_READ].max_tpm, 100);
    NEAR(m->tpm[TP_METRIC_CACHE_WRITE].mean_tpm, 1);
    const tp_summary *e = &m->effective_input;
    NEAR(e->p25_tpm, 10);
    NEAR(e->p50_tpm, 20);
    NEAR(e->p90_tpm, 38);
    NEAR(e->p99_tpm, 39.8);
    NEAR(e->max_tpm, 40);
    NEAR(e->mean_tpm, 23);
    CU_ASSERT_EQUAL(m->burn_down_cache_read, 0.1);
    CU_ASSERT_EQUAL(m->burn_down_cache_write, 1.0);
    CU_ASSERT_STRING_EQUAL(m->cache_read_from, "default");
    CU_ASSERT_STRING_EQUAL(m->cache_write_from, "default");
    CU_ASSERT_STRING_EQUAL(m->factors_from, "default factors: no price catalog");
    CU_ASSERT_EQUAL(m->coarse, 0);
    tp_stats_model_free(m);
    tp_stats_model_free(NULL);
}

/* With a catalog whose entry gives no burn-down factors, the cache-read factor is the
 * cache-read price over the input price, 0.2 / 0.8 = 0.25, and the cache-write one the
 * default 1.0: the effective input at 14:02 is 0 + 0.25 x 100 = 25, so the effective minutes
 * are {40,10,25,35,20}, mean 130 / 5 = 26, sorted {10,20,25,35,40}: P50 25. */
static void test_model_catalog_factors(void)
{
    static const char cat[] =
        "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},\"models\":"
        "{\"m1\":{\"on_demand_per_million\":{\"input\":0.8,\"output\":3.2,\"cache_read\":0.2,"
        "\"cache_write\":0}}}}";
    tp_store *s = store_with(model_data, 60);
    tp_error err;
    tp_pricing *p = NULL;
    tp_model_stats *m = NULL;
    tp_series_query q = {0};
    q.model = "m1";
    CU_ASSERT_EQUAL_FATAL(tp_pricing_parse("c.json", cat, strlen(cat), &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_stats_model(s, &q, p, &m, &err), TP_OK);
    CU_ASSERT_EQUAL(m->burn_down_cache_read, 0.25);
    CU_ASSERT_EQUAL(m->burn_down_cache_write, 1.0);
    CU_ASSERT_STRING_EQUAL(m->cache_read_from, "derived from prices");
    CU_ASSERT_STRING_EQUAL(m->cache_write_from, "default");
    CU_ASSERT_STRING_EQUAL(m->factors_from, "catalog entry m1; cache read derived from prices");
    NEAR(m->effective_input.p50_tpm, 25);
    NEAR(m->effective_input.mean_tpm, 26);
    tp_stats_model_free(m);
    tp_pricing_free(p);
    tp_store_close(s);
}

/* 5-minute data: one point of 500 tokens at 14:00 is spread as 100 per minute over
 * 14:00..14:04, and the stats say the minutes rest on coarse data. A model not in the store
 * is TP_ERR_NOT_FOUND with nothing handed out. */
static void test_model_coarse_and_missing(void)
{
    tp_store *s = store_with("2026-10-05T14:00:00Z,m1,InputTokenCount,500\n", 300);
    tp_error err;
    tp_model_stats *m = NULL;
    tp_series_query q = {0};
    q.model = "m1";
    CU_ASSERT_EQUAL_FATAL(tp_stats_model(s, &q, NULL, &m, &err), TP_OK);
    CU_ASSERT_EQUAL(m->coarse, 1);
    CU_ASSERT_EQUAL(tp_series_minutes(m->series), 5);
    NEAR(m->tpm[TP_METRIC_INPUT].p25_tpm, 100);
    NEAR(m->tpm[TP_METRIC_INPUT].max_tpm, 100);
    tp_stats_model_free(m);
    q.model = "missing";
    tp_model_stats stale;
    m = &stale; /* reset to NULL on failure */
    CU_ASSERT_EQUAL(tp_stats_model(s, &q, NULL, &m, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(m);
    tp_store_close(s);
}

/* Every stored model: m1 has data in the window 14:00..14:05, m2 only on the next day (left
 * out, no data in the window), m3 a stray 2020 point that puts its own window over the 3-year
 * limit (left out, too big) when no window is given. */
static void test_all(void)
{
    static const char pts[] = "2026-10-05T14:00:00Z,m1,InputTokenCount,40\n"
                              "2026-10-06T14:00:00Z,m2,InputTokenCount,7\n"
                              "2020-01-01T00:00:00Z,m3,InputTokenCount,5\n"
                              "2026-10-05T14:00:00Z,m3,InputTokenCount,10\n";
    tp_store *s = store_with(pts, 60);
    tp_error err;
    tp_stats_set *set = NULL;
    tp_series_query q = {0};
    q.model = "ignored";
    CU_ASSERT_EQUAL_FATAL(tp_stats_all(s, &q, NULL, &set, &err), TP_OK);
    CU_ASSERT_EQUAL(set->n_stored, 3);
    CU_ASSERT_EQUAL_FATAL(set->n, 2);
    CU_ASSERT_STRING_EQUAL(tp_series_model(set->models[0].series), "m1");
    CU_ASSERT_STRING_EQUAL(tp_series_model(set->models[1].series), "m2");
    NEAR(set->models[1].tpm[TP_METRIC_INPUT].max_tpm, 7);
    CU_ASSERT_EQUAL_FATAL(set->n_omitted, 1);
    CU_ASSERT_STRING_EQUAL(set->omitted[0].model, "m3");
    CU_ASSERT_EQUAL(set->omitted[0].status, TP_ERR_TOO_BIG);
    CU_ASSERT_PTR_NOT_NULL(strstr(set->omitted[0].reason, "is over the limit"));
    tp_stats_set_free(set);

    CU_ASSERT_EQUAL_FATAL(tp_timestamp_parse("2026-10-05T14:00:00Z", 20, &q.from_minute, &err),
                          TP_OK);
    q.from_minute /= 60;
    q.to_minute = q.from_minute + 5;
    q.has_from = q.has_to = 1;
    CU_ASSERT_EQUAL_FATAL(tp_stats_all(s, &q, NULL, &set, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(set->n, 2);
    CU_ASSERT_STRING_EQUAL(tp_series_model(set->models[0].series), "m1");
    CU_ASSERT_STRING_EQUAL(tp_series_model(set->models[1].series), "m3");
    NEAR(set->models[1].tpm[TP_METRIC_INPUT].max_tpm, 10);
    CU_ASSERT_EQUAL_FATAL(set->n_omitted, 1);
    CU_ASSERT_STRING_EQUAL(set->omitted[0].model, "m2");
    CU_ASSERT_EQUAL(set->omitted[0].status, TP_ERR_NOT_FOUND);
    tp_stats_set_free(set);
    tp_stats_set_free(NULL);
    tp_store_close(s);

    /* an empty store is a set of nothing, not an error */
    s = open_mem();
    CU_ASSERT_EQUAL_FATAL(tp_stats_all(s, &q, NULL, &set, &err), TP_OK);
    CU_ASSERT_EQUAL(set->n + set->n_omitted + set->n_stored, 0);
    tp_stats_set_free(set);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("stats", NULL, NULL);
    CU_add_test(s, "hand worked", test_hand_worked);
    CU_add_test(s, "zero minutes", test_zero_minutes);
    CU_add_test(s, "single value", test_single_value);
    CU_add_test(s, "matches reference", test_matches_reference);
    CU_add_test(s, "rejects bad values", test_rejects_bad_values);
    CU_add_test(s, "model: hand worked", test_model_hand_worked);
    CU_add_test(s, "model: catalog factors", test_model_catalog_factors);
    CU_add_test(s, "model: coarse and missing", test_model_coarse_and_missing);
    CU_add_test(s, "all models", test_all);
}
