/* test_perf_paths.c - the fast paths of the fleet report give exactly what the plain code
 * gives: day rows copied instead of decoded byte by byte, one-minute days copied instead of
 * spread (docs/performance.md, "The fleet report"). */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdlib.h>

#include "test_util.h"

void register_tests(void);

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
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
                                   tp_time_format((P0 + k) * 60, ts), value_at(k));
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

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("fast paths", NULL, NULL);
    ADD(s, test_day_decode_copy);
    ADD(s, test_one_minute_days);
}
