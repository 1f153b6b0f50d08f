/* test_perf_paths.c - the fast paths of the fleet report give exactly what the plain code
 * gives: day rows copied instead of decoded byte by byte, one-minute days copied instead of
 * spread (docs/performance.md, "The fleet report"). */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/recommend_internal.h"
#include "series/series_internal.h"
#include "model/simulate_internal.h"
#include "test_util.h"

#include "test_fixtures.h"

void register_tests(void);

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    return test_xorshift_next(&rng_state);
}

/* Random blobs (every bit pattern: NaNs, negative zero, denormals) decode to the same struct
 * through the copies as byte by byte, and a blob of another size fails both ways. */
static void test_day_decode_copy(void)
{
    static unsigned char blob[STORE_DAY_BYTES], again[STORE_DAY_BYTES];
    static store_day a, b;
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof blob; i++)
            blob[i] = (unsigned char)(rng() >> 24);
        if (round == 1)
            memset(blob, 0, sizeof blob);
        if (round == 2) /* -0.0 in minute 0, id 1 */
            blob[7] = 0x80, blob[8 * STORE_DAY_MINUTES] = 1;
        memset(&a, 0xa5, sizeof a);
        memset(&b, 0x5a, sizeof b);
        CU_ASSERT_EQUAL(store_day_decode(blob, STORE_DAY_BYTES, &a), 0);
        CU_ASSERT_EQUAL(store_day_decode_bytes(blob, STORE_DAY_BYTES, &b), 0);
        CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof a), 0);
        store_day_encode(&a, again); /* and the blob is what encoding the struct writes */
        CU_ASSERT_EQUAL(memcmp(blob, again, sizeof blob), 0);
    }
    /* byte order by hand: minute 1 holds 1.5 (0x3FF8000000000000) and ingest 0x01020304 */
    memset(blob, 0, sizeof blob);
    blob[8 + 7] = 0x3f;
    blob[8 + 6] = 0xf8;
    blob[8 * STORE_DAY_MINUTES + 4] = 0x04;
    blob[8 * STORE_DAY_MINUTES + 7] = 0x01;
    blob[8 * STORE_DAY_MINUTES + 5] = 0x03;
    blob[8 * STORE_DAY_MINUTES + 6] = 0x02;
    CU_ASSERT_EQUAL(store_day_decode(blob, STORE_DAY_BYTES, &a), 0);
    CU_ASSERT_EQUAL(a.value[1], 1.5);
    CU_ASSERT_EQUAL(a.ingest[1], 0x01020304u);
    CU_ASSERT_EQUAL(a.value[0], 0);
    CU_ASSERT_EQUAL(store_day_decode(blob, STORE_DAY_BYTES - 1, &a), -1);
    CU_ASSERT_EQUAL(store_day_decode_bytes(blob, STORE_DAY_BYTES - 1, &a), -1);
    CU_ASSERT_EQUAL(store_day_decode(NULL, STORE_DAY_BYTES, &a), -1);
}

/* minute 0: 2026-10-04T22:30:00Z, 90 minutes before a day starts, so that the first and last
 * days are partial (spread minute by minute) and the two days between are whole (copied) */
#define P0 29852550LL
#define SPAN (90 + 2 * 1440 + 500)

/* The value of minute k, or 0 for an idle minute: halves are exact in CSV and in binary. */
static double value_at(int k)
{
    return k % 7 == 3 ? 0 : (double)(k % 977) * 3.0 + 0.5;
}

static char *csv_of(int from, int to)
{
    char *csv = malloc((size_t)(to - from) * 64 + 1), ts[TP_TIME_BUF];
    size_t len = 0;
    csv[0] = '\0';
    for (int k = from; k < to; k++)
        if (value_at(k) > 0)
            len += (size_t)sprintf(csv + len, "%s,m1,InputTokenCount,%.1f\n",
                                   tp_timestamp_format((P0 + k) * 60, ts), value_at(k));
    return csv;
}

/* One-minute points over whole and partial days, from two ingests that meet inside a whole
 * day: every minute of every window holds its point (0 where idle), the windows' minutes with
 * data and their resolution count, and both ingests are noted, as the minute-by-minute path
 * had it. */
static void test_one_minute_days(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    char *first = csv_of(0, 1000), *second = csv_of(1000, SPAN);
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "a.csv", first, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "b.csv", second, NULL, &err), TP_OK);
    const int64_t windows[3][2] = {{0, SPAN}, {0, 90 + 1440}, {45, SPAN - 7}};
    for (int w = 0; w < 3; w++) {
        tp_series_query q = {0};
        tp_series *ser = NULL;
        q.model = "m1";
        q.has_from = q.has_to = 1;
        q.from_minute = P0 + windows[w][0];
        q.to_minute = P0 + windows[w][1];
        CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
        const size_t n = (size_t)(windows[w][1] - windows[w][0]);
        CU_ASSERT_EQUAL_FATAL(tp_series_minutes(ser), n);
        const double *in = tp_series_values(ser, TP_METRIC_INPUT);
        size_t wrong = 0, with_data = 0;
        for (size_t k = 0; k < n; k++) {
            const double want = value_at((int)(windows[w][0] + (int64_t)k));
            wrong += in[k] != want;
            with_data += want > 0;
        }
        CU_ASSERT_EQUAL(wrong, 0);
        CU_ASSERT_EQUAL(tp_series_minutes_with_data(ser), with_data);
        size_t n_ids = 0, minutes = 0;
        int period = 0;
        tp_series_ingests(ser, &n_ids);
        CU_ASSERT_EQUAL(n_ids, windows[w][1] <= 1000 ? 1 : 2);
        CU_ASSERT_EQUAL(tp_series_resolution(ser, TP_METRIC_INPUT, 0, &period, &minutes), 1);
        CU_ASSERT_EQUAL(period, 60);
        CU_ASSERT_EQUAL(minutes, n); /* a one-minute series covers its minutes, idle or not */
        tp_series_free(ser);
    }
    free(first);
    free(second);
    tp_store_close(s);
}

/* Room for the results of a call expected to fail. */
static tp_sim_result *many_dummy(void)
{
    static tp_sim_result r[SIM_MAX_LANES + 1];
    return r;
}

/* A year of random minutes: a third idle, the rest spread over four decades with spikes,
 * so that every reservation below spills on some minutes and not on others. */
static tp_demand random_demand(size_t n, double *buf)
{
    tp_demand d = {0};
    double *a[4] = {buf, buf + n, buf + 2 * n, buf + 3 * n};
    for (size_t t = 0; t < n; t++)
        for (int m = 0; m < 4; m++) {
            const uint64_t x = rng();
            const double u = (double)(x >> 11) / 9007199254740992.0;
            a[m][t] = x % 3 == 0 ? 0 : u * (x % 97 == 0 ? 2e6 : x % 5 == 0 ? 2e5 : 3e4);
        }
    d.input_tpm = a[0];
    d.output_tpm = a[1];
    d.cache_read_tpm = a[2];
    d.cache_write_tpm = a[3];
    d.minutes = n;
    d.from_minute = 29852550;
    return d;
}

static const char sim_catalog[] =
    "{\"currency\": \"USD\", \"tiers\": {\"priority\": 1.75, \"standard\": 1.0}, \"models\": "
    "{\"*\": {\"on_demand_per_million\": {\"input\": 3, \"output\": 15, \"cache_read\": 0.3, "
    "\"cache_write\": 3.75}, \"reserved_per_1k_tpm_hour\": {\"input\": 0.12, \"output\": 0.6}, "
    "\"quota_output_weight\": 5, \"reserved_example\": true}}}";

typedef struct sim_counts {
    size_t differ, throttled, spilled;
} sim_counts;

/* sim_run_many against tp_simulate_run on d: every spill model and target, with and without a
 * quota (which throttles), reservations of none, below, inside and above the demand. */
static void compare_lanes(const tp_demand *d, const tp_model_price *p, sim_counts *c)
{
    const double res[SIM_MAX_LANES][2] = {{0, 0},     {1e4, 2e3},  {2e4, 5e3},  {5e4, 1e4},
                                          {1e5, 0},   {0, 3e4},    {3e5, 6e4},  {1e7, 1e7}};
    const double quotas[3] = {0, 4e4, 3e5};
    tp_error err;
    for (int model = 0; model < 2; model++)
        for (int to = 0; to < 3; to++)
            for (int qi = 0; qi < 3; qi++) {
                tp_sim_options o[SIM_MAX_LANES] = {{0}};
                tp_sim_result many[SIM_MAX_LANES], one;
                for (int k = 0; k < SIM_MAX_LANES; k++) {
                    o[k].reserve_input_tpm = res[k][0];
                    o[k].reserve_output_tpm = res[k][1];
                    o[k].spill_model = model ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
                    /* lanes need not share a target: "no reservation" spills to Standard */
                    o[k].spill_to = k == 0 ? TP_SPILL_TO_STANDARD : (tp_spill_to)to;
                    o[k].quota_tpm = quotas[qi];
                }
                CU_ASSERT_EQUAL_FATAL(sim_run_many(d, p, o, SIM_MAX_LANES, many, &err), TP_OK);
                for (int k = 0; k < SIM_MAX_LANES; k++) {
                    CU_ASSERT_EQUAL_FATAL(tp_simulate_run(d, p, &o[k], &one, &err), TP_OK);
                    c->differ += memcmp(&one, &many[k], sizeof one) != 0;
                    c->throttled += one.throttled_minutes > 0;
                    c->spilled += one.spill_minutes > 0 && one.spill_minutes < d->minutes;
                }
            }
}

/* Several reservations in one pass are tp_simulate_run's results bit for bit, one by one: every
 * spill model and target, with and without a quota (which throttles), reservations of none,
 * below, inside and above the demand, on random minutes. */
static void test_sim_many_equals_single(void)
{
    const size_t n = 60000;
    double *buf = malloc(4 * n * sizeof *buf);
    tp_pricing *pricing = NULL;
    tp_model_price p;
    tp_error err;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_parse("c", sim_catalog, sizeof sim_catalog - 1, &pricing,
                                           &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(pricing, "m", &p, NULL, NULL, &err), TP_OK);
    const tp_demand d = random_demand(n, buf);
    sim_counts all = {0}, single = {0};
    compare_lanes(&d, &p, &all);
    /* and minute by minute, where one minute's rounding is the whole result */
    for (size_t t = 0; t < 400; t++) {
        tp_demand one = d;
        one.input_tpm += t;
        one.output_tpm += t;
        one.cache_read_tpm += t;
        one.cache_write_tpm += t;
        one.minutes = 1;
        compare_lanes(&one, &p, &single);
    }
    const size_t differ = all.differ + single.differ, throttled = all.throttled;
    const size_t spilled = all.spilled;
    CU_ASSERT(single.throttled > 100);
    CU_ASSERT_EQUAL(differ, 0);
    CU_ASSERT(throttled > 10); /* the quota and --spill-to none did throttle */
    CU_ASSERT(spilled > 50);   /* and most reservations spill on some minutes only */
    /* the percentile candidates through the recommender's helper: the same bits as one by one */
    tp_rec_options ro = {0};
    ro.quota_tpm = 4e4;
    const tp_basis basis[3] = {TP_BASIS_P50, TP_BASIS_P99, TP_BASIS_ON_DEMAND};
    const double ri[3] = {2e4, 1e5, 0}, rout[3] = {5e3, 2e4, 0};
    tp_candidate c[3], c1;
    CU_ASSERT_EQUAL_FATAL(rec_simulate_candidates(&d, &p, &ro, 3, basis, ri, rout, 12, c, &err),
                          TP_OK);
    for (int k = 0; k < 3; k++) {
        CU_ASSERT_EQUAL_FATAL(rec_simulate_candidate(&d, &p, &ro, basis[k], ri[k], rout[k], 12,
                                                     &c1, &err), TP_OK);
        CU_ASSERT_EQUAL(memcmp(&c1, &c[k], sizeof c1), 0);
    }
    /* the checks of tp_simulate_run, and no trace */
    tp_sim_options bad[2] = {{0}};
    bad[1].reserve_input_tpm = -1;
    CU_ASSERT_EQUAL(sim_run_many(&d, &p, bad, 2, many_dummy(), &err), TP_ERR_INVALID);
    bad[1].reserve_input_tpm = 0;
    bad[1].trace = stderr;
    CU_ASSERT_EQUAL(sim_run_many(&d, &p, bad, 2, many_dummy(), &err), TP_ERR_USAGE);
    CU_ASSERT_EQUAL(sim_run_many(&d, &p, bad, SIM_MAX_LANES + 1, many_dummy(), &err),
                    TP_ERR_USAGE);
    tp_pricing_free(pricing);
    free(buf);
}

/* The recommendation with the stats' percentiles handed in is the one computed without them,
 * bit for bit, under every spill model, with a quota and service levels, with the candidates
 * on their own thread and in one pass after the search; hints computed with other burn-down
 * factors are not used. */
static void test_rec_hints(void)
{
    const size_t n = 20000;
    double *buf = malloc(5 * n * sizeof *buf);
    tp_pricing *pricing = NULL;
    tp_model_price p;
    tp_error err;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_parse("c", sim_catalog, sizeof sim_catalog - 1, &pricing,
                                           &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(pricing, "m", &p, NULL, NULL, &err), TP_OK);
    const tp_demand d = random_demand(n, buf);
    double *e = buf + 4 * n;
    for (size_t t = 0; t < n; t++)
        e[t] = tp_simulate_burn_down_tpm(d.input_tpm[t], d.cache_read_tpm[t], d.cache_write_tpm[t],
                                         p.burn_down_cache_read, p.burn_down_cache_write);
    rec_hints h = {0};
    h.burn_down_cache_read = p.burn_down_cache_read;
    h.burn_down_cache_write = p.burn_down_cache_write;
    CU_ASSERT_EQUAL_FATAL(tp_stats_summarize(e, n, &h.effective_input, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_stats_summarize(d.output_tpm, n, &h.output, &err), TP_OK);
    static tp_recommendation plain, hinted;
    rec_batch hb = {.hints = &h};
    for (int k = 0; k < 6; k++) {
        hb.one_pass = k >= 3; /* the candidates after the search, in the optimum's pass */
        tp_rec_options o = {0};
        o.spill_model = k % 3 == 1 ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
        o.quota_tpm = k % 3 == 2 ? 4e5 : 0;
        o.has_max_spill_minutes_pct = k % 3 == 1;
        o.max_spill_minutes_pct = 5;
        o.has_max_throttled_minutes = k == 5; /* a service level with the quota */
        o.max_throttled_minutes = 30;
        CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &plain, &err), TP_OK);
        CU_ASSERT_EQUAL_FATAL(rec_run_batch(&d, &p, &o, &hb, &hinted, &err), TP_OK);
        CU_ASSERT_EQUAL(hinted.n_candidates, o.has_max_spill_minutes_pct ||
                                                     o.has_max_throttled_minutes ? 8 : 7);
        CU_ASSERT_EQUAL(memcmp(&plain, &hinted, sizeof plain), 0);
    }
    /* the hints are what the candidates come from: wrong ones show, unless their factors
     * differ from the catalog's, when they are ignored */
    tp_rec_options o = {0};
    h.output.p50_tpm *= 3;
    CU_ASSERT_EQUAL_FATAL(rec_run_batch(&d, &p, &o, &hb, &hinted, &err), TP_OK);
    CU_ASSERT_NOT_EQUAL(hinted.candidates[TP_BASIS_P50].output_tpm,
                        plain.candidates[TP_BASIS_P50].output_tpm);
    h.burn_down_cache_read += 0.01;
    CU_ASSERT_EQUAL_FATAL(rec_run_batch(&d, &p, &o, &hb, &hinted, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &plain, &err), TP_OK);
    CU_ASSERT_EQUAL(memcmp(&plain, &hinted, sizeof plain), 0);
    tp_pricing_free(pricing);
    free(buf);
}

/* Recommendations one after another on kept buffers (shorter, then longer demands than the
 * buffers hold, each model) are tp_recommend_run's bit for bit: nothing of one leaks into the next.
 */
static void test_rec_scratch(void)
{
    const size_t n = 20000, lens[4] = {20000, 7000, 20000, 13000};
    double *buf = malloc(4 * n * sizeof *buf);
    tp_pricing *pricing = NULL;
    tp_model_price p;
    tp_error err;
    rec_scratch scr = {{NULL}, {0}};
    static tp_recommendation plain, kept;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_parse("c", sim_catalog, sizeof sim_catalog - 1, &pricing,
                                           &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(pricing, "m", &p, NULL, NULL, &err), TP_OK);
    rec_batch kb = {.scr = &scr};
    for (int k = 0; k < 4; k++) {
        tp_demand d = random_demand(lens[k], buf);
        kb.one_pass = k >= 2;
        tp_rec_options o = {0};
        o.spill_model = k == 3 ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
        o.quota_tpm = k == 2 ? 4e5 : 0;
        o.has_max_spill_minutes_pct = k == 1;
        o.max_spill_minutes_pct = 5;
        CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &plain, &err), TP_OK);
        CU_ASSERT_EQUAL_FATAL(rec_run_batch(&d, &p, &o, &kb, &kept, &err), TP_OK);
        CU_ASSERT_EQUAL(memcmp(&plain, &kept, sizeof plain), 0);
        CU_ASSERT_PTR_NOT_NULL(scr.p[REC_SCR_E]); /* the buffers stay with the caller */
        CU_ASSERT(scr.cap[REC_SCR_E] >= lens[k] * sizeof(double));
    }
    rec_scratch_free(&scr);
    CU_ASSERT_PTR_NULL(scr.p[REC_SCR_E]);
    tp_pricing_free(pricing);
    free(buf);
}

/* The arrays a store handle keeps: the smallest kept one that fits is taken, a larger request
 * is a new allocation, and a full handle keeps the larger arrays. */
static void test_store_buffer_policy(void)
{
    tp_store *s = open_mem();
    void *a = malloc(100), *b = malloc(300), *c = malloc(200);
    store_buffer_give(s, a, 100);
    store_buffer_give(s, b, 300);
    store_buffer_give(s, c, 200);
    CU_ASSERT_PTR_EQUAL(store_buffer_take(s, 150), c); /* 200 fits best, not 300 */
    void *d = store_buffer_take(s, 400);               /* none fits: a new one */
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT(d != a && d != b);
    free(c);
    free(d);
    CU_ASSERT_PTR_EQUAL(store_buffer_take(s, 100), a); /* exactly the size kept */
    free(a);
    CU_ASSERT_PTR_EQUAL(store_buffer_take(s, 1), b);   /* the only one left */
    free(b);
    CU_ASSERT_PTR_NULL(s->buf[0]);
    /* fill every slot with 10, 20, ... 80 bytes; a smaller array is freed, a larger one
     * replaces the smallest kept */
    for (int i = 0; i < STORE_BUFFERS; i++)
        store_buffer_give(s, malloc((size_t)(i + 1) * 10), (size_t)(i + 1) * 10);
    store_buffer_give(s, malloc(5), 5);
    size_t small = SIZE_MAX;
    for (int i = 0; i < STORE_BUFFERS; i++)
        small = s->buf_bytes[i] < small ? s->buf_bytes[i] : small;
    CU_ASSERT_EQUAL(small, 10);
    store_buffer_give(s, malloc(90), 90);
    small = SIZE_MAX;
    for (int i = 0; i < STORE_BUFFERS; i++)
        small = s->buf_bytes[i] < small ? s->buf_bytes[i] : small;
    CU_ASSERT_EQUAL(small, 20);
    store_buffer_give(s, NULL, 0); /* nothing to keep */
    tp_store_close(s);             /* frees the kept arrays (valgrind and ASan check) */
}

/* Loads on a handle whose kept arrays hold garbage, each load's values handed back to it for
 * the next (as a fleet worker does): every window is what the store holds, minute for minute,
 * with its minutes with data counted from zero, and a released series keeps its description
 * and its newest minute with data. */
static void test_loads_on_kept_arrays(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    char *csv = csv_of(0, SPAN);
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "a.csv", csv, NULL, &err), TP_OK);
    for (int i = 0; i < STORE_BUFFERS; i++) { /* garbage: bytes 0xa5 (no zeros, no 1s) */
        void *g = malloc(SPAN * sizeof(double));
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        memset(g, 0xa5, SPAN * sizeof(double));
        store_buffer_give(s, g, SPAN * sizeof(double));
    }
    const int64_t windows[4][2] = {{0, SPAN}, {45, SPAN - 7}, {0, 90 + 1440}, {0, SPAN}};
    for (int w = 0; w < 4; w++) {
        tp_series_query q = {0};
        tp_series *ser = NULL;
        q.model = "m1";
        q.has_from = q.has_to = 1;
        q.from_minute = P0 + windows[w][0];
        q.to_minute = P0 + windows[w][1];
        CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
        const size_t n = (size_t)(windows[w][1] - windows[w][0]);
        const double *in = tp_series_values(ser, TP_METRIC_INPUT);
        const double *out = tp_series_values(ser, TP_METRIC_OUTPUT);
        size_t wrong = 0, with_data = 0;
        int64_t newest = -1;
        for (size_t k = 0; k < n; k++) {
            const double want = value_at((int)(windows[w][0] + (int64_t)k));
            wrong += in[k] != want || out[k] != 0; /* no output stored: zeros, not garbage */
            with_data += want > 0;
            newest = want > 0 ? P0 + windows[w][0] + (int64_t)k : newest;
        }
        CU_ASSERT_EQUAL(wrong, 0);
        CU_ASSERT_EQUAL(tp_series_minutes_with_data(ser), with_data);
        CU_ASSERT_EQUAL(series_newest_minute(ser), newest);
        series_release_values(ser, s);
        CU_ASSERT_PTR_NULL(tp_series_values(ser, TP_METRIC_INPUT));
        CU_ASSERT_EQUAL(tp_series_minutes(ser), n); /* the description stays */
        CU_ASSERT_STRING_EQUAL(tp_series_model(ser), "m1");
        tp_series_free(ser);
    }
    free(csv);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("fast paths", NULL, NULL);
    ADD(s, test_day_decode_copy);
    ADD(s, test_one_minute_days);
    ADD(s, test_sim_many_equals_single);
    ADD(s, test_rec_hints);
    ADD(s, test_rec_scratch);
    ADD(s, test_store_buffer_policy);
    ADD(s, test_loads_on_kept_arrays);
}
