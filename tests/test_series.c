/* test_series.c - zero-filling, window bounds, tier selection and mixed resolutions. */
#include <CUnit/CUnit.h>

#include "test_util.h"

void register_tests(void);

#define M "m1"
/* minute 0 of these tests: 2026-10-05T14:00:00Z = Unix minute 29,853,480 */
#define T0 29853480LL

static tp_store *store_with(const char *csv, int period_s)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = period_s;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "t.csv", csv, NULL, &err), TP_OK);
    return s;
}

static tp_series *load(tp_store *s, const tp_series_query *q)
{
    tp_series *ser = NULL;
    tp_error err;
    tp_status rc = tp_series_load(s, q, &ser, &err);
    if (rc != TP_OK)
        fprintf(stderr, "\n  load: %s\n", err.message);
    CU_ASSERT_EQUAL(rc, TP_OK);
    return ser;
}

/* A rolling window stays within the data: points at minutes 0 .. 2 (T0 = 14:00); --last 1d
 * anchored at the data's end (minute 3) would start 1,437 minutes before the first point,
 * and --now 2 hours later would end 117 minutes after the last one. Neither stretch was
 * exported, so the window is minutes [0, 3) both times; a fixed --from is taken as given. */
static void test_rolling_window_within_data(void)
{
    tp_store *s = store_with("2026-10-05T14:00:00Z,m1,InputTokenCount,10\n"
                             "2026-10-05T14:02:00Z,m1,InputTokenCount,30\n",
                             60);
    tp_window_spec w = {0};
    w.from.kind = TP_BOUND_BEFORE;
    w.from.amount = 1;
    w.from.unit = TP_UNIT_DAY;
    tp_series_query q = {0};
    q.model = M;
    q.window = &w;
    tp_series *ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_from_minute(ser), T0);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 3);
    tp_series_free(ser);
    w.has_now = 1;
    w.now_minute = T0 + 120;
    ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_from_minute(ser), T0);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 3);
    tp_series_free(ser);
    /* a fixed start 10 minutes before the data: 13 minutes, the first 10 idle */
    w.from.kind = TP_BOUND_AT;
    w.from.minute = T0 - 10;
    w.has_now = 0;
    ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_from_minute(ser), T0 - 10);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 13);
    tp_series_free(ser);
    tp_store_close(s);
}

/* Points at minutes 0 and 2 only: the default window is minutes [0, 3), the missing minute 1
 * is zero, and 2 minutes have data. */
static void test_zero_fill_default_window(void)
{
    tp_store *s = store_with("2026-10-05T14:00:00Z,m1,InputTokenCount,10\n"
                             "2026-10-05T14:02:00Z,m1,InputTokenCount,30\n"
                             "2026-10-05T14:01:00Z,m1,OutputTokenCount,7\n",
                             60);
    tp_series_query q = {0};
    q.model = M;
    tp_series *ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_from_minute(ser), T0);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 3);
    CU_ASSERT_EQUAL(tp_series_minutes_with_data(ser), 3); /* 0 and 2 input, 1 output */
    const double *in = tp_series_values(ser, TP_METRIC_INPUT);
    const double *out = tp_series_values(ser, TP_METRIC_OUTPUT);
    const double *cr = tp_series_values(ser, TP_METRIC_CACHE_READ);
    CU_ASSERT_EQUAL(in[0], 10);
    CU_ASSERT_EQUAL(in[1], 0);
    CU_ASSERT_EQUAL(in[2], 30);
    CU_ASSERT_EQUAL(out[1], 7);
    CU_ASSERT_EQUAL(cr[0] + cr[1] + cr[2], 0);
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_CACHE_READ), "none");
    int period = 0;
    size_t minutes = 0;
    CU_ASSERT_EQUAL(tp_series_resolution(ser, TP_METRIC_INPUT, 0, &period, &minutes), 1);
    CU_ASSERT_EQUAL(period, 60);
    CU_ASSERT_EQUAL(minutes, 3);
    tp_series_free(ser);

    /* explicit half-open window [14:01, 14:05): minutes 1..4 -> {0, 30, 0, 0} */
    q.has_from = q.has_to = 1;
    q.from_minute = T0 + 1;
    q.to_minute = T0 + 5;
    ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 4);
    in = tp_series_values(ser, TP_METRIC_INPUT);
    CU_ASSERT_EQUAL(in[0], 0);
    CU_ASSERT_EQUAL(in[1], 30);
    CU_ASSERT_EQUAL(in[3], 0);
    CU_ASSERT_EQUAL(tp_series_minutes_with_data(ser), 2); /* minute 1 output, minute 2 input */
    tp_series_free(ser);
    tp_store_close(s);
}

/* A total and its per-tier parts: one family alone is the demand (never total + parts): the
 * more detailed one, the resolved tiers, 60 + 40 = 100. */
static void test_total_never_added_to_parts(void)
{
    tp_store *s = store_with("timestamp,model,metric,value,tier\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,100,\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,60,default\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,40,priority\n",
                             60);
    tp_series_query q = {0};
    q.model = M;
    tp_series *ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 100);
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_INPUT),
                           "resolved_tier: default, priority");
    tp_series_free(ser);
    const char *tiers[] = {"priority"};
    q.tiers = tiers;
    q.n_tiers = 1;
    ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 40);
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_INPUT), "resolved_tier: priority");
    tp_series_free(ser);
    tp_store_close(s);
}

/* No total stored: the demand is the sum of the tiers, 60 + 40 = 100. */
static void test_sum_of_tiers(void)
{
    tp_store *s = store_with("timestamp,model,metric,value,tier\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,60,default\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,40,priority\n"
                             "2026-10-05T14:01:00Z,m1,InputTokenCount,5,flex\n",
                             60);
    tp_series_query q = {0};
    q.model = M;
    tp_series *ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 100);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[1], 5);
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_INPUT),
                           "resolved_tier: default, flex, priority");
    tp_series_free(ser);
    tp_store_close(s);
}

/* A 5-minute sum of 500 at 14:00 spreads 100 per minute over 14:00..14:04. 1-minute points
 * at 14:03 (=7) and 14:04 (nothing stored, so 0) win inside the 1-minute span [14:03, 14:05):
 * minutes = {100, 100, 100, 7, 0}; resolution: 3 minutes at 300 s, 2 at 60 s. */
static void test_mixed_resolution(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 300;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "c.csv", "2026-10-05T14:00:00Z,m1,InputTokenCount,500\n",
                               NULL, &err),
                    TP_OK);
    o.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "f.csv",
                               "2026-10-05T14:03:00Z,m1,InputTokenCount,7\n"
                               "2026-10-05T14:03:00Z,m1,OutputTokenCount,0\n"
                               "2026-10-05T14:04:00Z,m1,OutputTokenCount,0\n",
                               NULL, &err),
                    TP_OK);
    /* the input 1-minute series covers only 14:03; add an explicit zero at 14:04 */
    CU_ASSERT_EQUAL(ingest_one(s, &o, "g.csv", "2026-10-05T14:04:00Z,m1,InputTokenCount,0\n",
                               NULL, &err),
                    TP_OK);
    tp_series_query q = {0};
    q.model = M;
    tp_series *ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL_FATAL(tp_series_minutes(ser), 5);
    const double *in = tp_series_values(ser, TP_METRIC_INPUT);
    CU_ASSERT_EQUAL(in[0], 100);
    CU_ASSERT_EQUAL(in[2], 100);
    CU_ASSERT_EQUAL(in[3], 7);
    CU_ASSERT_EQUAL(in[4], 0);
    int period = 0;
    size_t minutes = 0;
    CU_ASSERT_EQUAL(tp_series_resolution(ser, TP_METRIC_INPUT, 0, &period, &minutes), 2);
    CU_ASSERT_EQUAL(period, 60);
    CU_ASSERT_EQUAL(minutes, 2);
    tp_series_resolution(ser, TP_METRIC_INPUT, 1, &period, &minutes);
    CU_ASSERT_EQUAL(period, 300);
    CU_ASSERT_EQUAL(minutes, 3);
    tp_series_free(ser);
    tp_store_close(s);
}

static void test_errors(void)
{
    tp_store *s = store_with("2026-10-05T14:00:00Z,m1,InputTokenCount,10\n", 60);
    tp_series_query q = {0};
    tp_series *ser = NULL;
    tp_error err;
    q.model = "nope";
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.message, "no data for model \"nope\"; models in the store: m1");
    CU_ASSERT_PTR_NULL(ser);
    q.model = M;
    q.has_from = q.has_to = 1;
    q.from_minute = T0;
    q.to_minute = T0;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_USAGE);
    q.to_minute = T0 + (int64_t)TP_SERIES_MAX_MINUTES + 1;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_TOO_BIG);
    tp_store_close(s);
}

/* No data for what was asked is an error naming what there is, never an all-zero series:
 * a mistyped model (with or without a window), a model stored under its cross-region
 * inference profile id, a window before, after or inside a gap of the data, tiers the model
 * lacks, and an empty database. */
static void test_no_data(void)
{
    /* minutes 0 and 10 (14:00, 14:10) of two models; the data spans [14:00, 14:11) */
    tp_store *s = store_with("2026-10-05T14:00:00Z,us.amazon.nova-pro-v1:0,InputTokenCount,10\n"
                             "2026-10-05T14:10:00Z,us.amazon.nova-pro-v1:0,InputTokenCount,20\n"
                             "2026-10-05T14:00:00Z,eu.amazon.nova-pro-v1:0,InputTokenCount,5\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,1\n",
                             60);
    tp_series_query q = {0};
    tp_series *ser = NULL;
    tp_error err;
    q.model = "amazon.nova-pro-v1:0";
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(ser);
    CU_ASSERT_STRING_EQUAL(err.message,
                           "no data for model \"amazon.nova-pro-v1:0\"; did you mean "
                           "eu.amazon.nova-pro-v1:0 or us.amazon.nova-pro-v1:0? models in the "
                           "store: eu.amazon.nova-pro-v1:0, m1, us.amazon.nova-pro-v1:0");
    /* one profile for another: the prefix is stripped on both sides */
    q.model = "apac.m1";
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    ASSERT_CONTAINS(err.message, "no data for model \"apac.m1\"; did you mean m1? models in ");
    /* a mistyped model with a window: refused, not a window of zeros */
    q.model = "nope";
    q.has_from = q.has_to = 1;
    q.from_minute = T0;
    q.to_minute = T0 + 60;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(ser);
    ASSERT_CONTAINS(err.message, "no data for model \"nope\"; models in the store: ");
    /* windows after the data, before it, and inside its gap (minutes 1..9) */
    q.model = "us.amazon.nova-pro-v1:0";
    q.from_minute = T0 + 11;
    q.to_minute = T0 + 71;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(ser);
    CU_ASSERT_STRING_EQUAL(err.message,
                           "no data for model \"us.amazon.nova-pro-v1:0\" in the window "
                           "2026-10-05T14:11:00Z .. 2026-10-05T15:11:00Z; its data spans "
                           "2026-10-05T14:00:00Z .. 2026-10-05T14:11:00Z");
    q.from_minute = T0 - 1440;
    q.to_minute = T0;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    q.from_minute = T0 + 1;
    q.to_minute = T0 + 10;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    ASSERT_CONTAINS(err.message, " in the window 2026-10-05T14:01:00Z .. 2026-10-05T14:10:00Z;");
    /* one bound only, beyond the data's other end */
    q.has_to = 0;
    q.from_minute = T0 + 11;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    ASSERT_CONTAINS(err.message, "\" from 2026-10-05T14:11:00Z on; its data spans ");
    q.has_from = 0;
    q.has_to = 1;
    q.to_minute = T0;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    ASSERT_CONTAINS(err.message, "\" before 2026-10-05T14:00:00Z; its data spans ");
    /* a window holding one point loads: [14:05, 14:15) has minute 10 */
    q.has_from = 1;
    q.from_minute = T0 + 5;
    q.to_minute = T0 + 15;
    ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_minutes_with_data(ser), 1);
    tp_series_free(ser);
    ser = NULL;
    /* tiers the model lacks */
    const char *tiers[] = {"priority"};
    q.has_from = q.has_to = 0;
    q.tiers = tiers;
    q.n_tiers = 1;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.message,
                           "no data for model \"us.amazon.nova-pro-v1:0\" in the selected "
                           "tiers");
    tp_store_close(s);
    /* an empty database */
    s = open_mem();
    q.n_tiers = 0;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.message,
                           "no data for model \"us.amazon.nova-pro-v1:0\"; the database holds "
                           "no data yet (tierplan ingest loads some)");
    tp_store_close(s);
}

/* Two 80-character tier names sharing their first 70 characters stay two tiers: a name
 * truncated to a fixed buffer (63 characters once) merged them, and the sum 10 + 20 showed
 * as 20. The total is 10 + 20 = 30; each tier selected alone gives its own value. */
static void test_long_tier_names(void)
{
    char a[81], b[81], csv[512];
    memset(a, 'x', 80);
    memset(b, 'x', 80);
    a[80] = b[80] = '\0';
    memcpy(a + 70, "aaaaaaaaaa", 10);
    memcpy(b + 70, "bbbbbbbbbb", 10);
    snprintf(csv, sizeof csv,
             "timestamp,model,metric,value,tier\n"
             "2026-10-05T14:00:00Z,m1,InputTokenCount,10,%s\n"
             "2026-10-05T14:00:00Z,m1,InputTokenCount,20,%s\n",
             a, b);
    tp_store *s = store_with(csv, 60);
    tp_series_query q = {0};
    q.model = M;
    tp_series *ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 1);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 30);
    tp_series_free(ser);
    const char *names[] = {a, b};
    const double want[] = {10, 20};
    for (int i = 0; i < 2; i++) {
        q.tiers = &names[i];
        q.n_tiers = 1;
        ser = load(s, &q);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
        CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], want[i]);
        ASSERT_CONTAINS(tp_series_sources(ser, TP_METRIC_INPUT), names[i]);
        tp_series_free(ser);
    }
    tp_store_close(s);
}

/* A stray 2020 point beside 2026 data stretches one model's span past the 3-year limit: that
 * model's load fails naming the model and its span's ends (2020-01-01T00:00 .. one minute
 * after 2026-10-05T14:00), while another model of the same store, whose own span is two
 * minutes, loads: the window is each model's own. */
static void test_window_limit_per_model(void)
{
    tp_store *s = store_with("2020-01-01T00:00:00Z,m1,InputTokenCount,5\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,10\n"
                             "2026-10-05T14:00:00Z,m2,InputTokenCount,1\n"
                             "2026-10-05T14:01:00Z,m2,InputTokenCount,2\n",
                             60);
    tp_series_query q = {0};
    tp_series *ser = NULL;
    tp_error err;
    q.model = "m1";
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_TOO_BIG);
    CU_ASSERT_PTR_NULL(ser);
    ASSERT_CONTAINS(err.message, "model m1: window 2020-01-01T00:00:00Z .. 2026-10-05T14:01:00Z");
    ASSERT_CONTAINS(err.message, "over the limit");
    q.model = "m2";
    ser = load(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 2);
    tp_series_free(ser);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("series", NULL, NULL);
    ADD(s, test_zero_fill_default_window);
    ADD(s, test_rolling_window_within_data);
    ADD(s, test_total_never_added_to_parts);
    ADD(s, test_sum_of_tiers);
    ADD(s, test_mixed_resolution);
    ADD(s, test_errors);
    ADD(s, test_no_data);
    ADD(s, test_long_tier_names);
    ADD(s, test_window_limit_per_model);
}
