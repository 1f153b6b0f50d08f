/* test_report_finite.c - the renderers refuse a figure that is not finite (an overflow is an
 * error, never "inf" with status 0), while NAN that means "undefined" still renders as null. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>

#include "test_util.h"

void register_tests(void);

/* Per million: input 3, output 15, cache read 0.30, cache write 3.75; reserved per 1K
 * TPM-hour: input 0.12, output 0.60. */
static const char *catalog =
    "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
    "\"models\":{\"m\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,"
    "\"cache_read\":0.3,\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,"
    "\"output\":0.60}}}}";

/* Two minutes of ordinary demand: the series gives the renderers their window. */
static const char *data = "2026-10-05T14:00:00Z,m,InputTokenCount,1000\n"
                          "2026-10-05T14:00:00Z,m,OutputTokenCount,100\n"
                          "2026-10-05T14:01:00Z,m,InputTokenCount,3000\n"
                          "2026-10-05T14:01:00Z,m,OutputTokenCount,300\n";

static tp_store *store;
static tp_series *series;
static tp_pricing *pricing;
static tp_model_price price;

static int setup(void)
{
    tp_error err;
    tp_ingest_options o = {0};
    tp_series_query q = {0};
    o.period_s = 60;
    q.model = "m";
    if (tp_store_open(":memory:", &store, &err) != TP_OK ||
        ingest_one(store, &o, "d.csv", data, NULL, &err) != TP_OK ||
        tp_series_load(store, &q, &series, &err) != TP_OK ||
        tp_pricing_parse("cat.json", catalog, strlen(catalog), &pricing, &err) != TP_OK ||
        tp_pricing_lookup(pricing, "m", &price, NULL, NULL, &err) != TP_OK)
        return -1;
    return 0;
}

static int teardown(void)
{
    tp_series_free(series);
    tp_pricing_free(pricing);
    tp_store_close(store);
    return 0;
}

static const tp_format formats[] = {TP_FORMAT_TEXT, TP_FORMAT_JSON, TP_FORMAT_CSV};

/* Every format of one report fails with TP_ERR_INVALID naming the figure, and hands out no
 * text. call renders into fmt, &rout, &rerr. */
#define EXPECT_NOT_FINITE(call, needle)                                                        \
    for (size_t f_ = 0; f_ < 3; f_++) {                                                        \
        tp_format fmt = formats[f_];                                                           \
        char *rout = NULL;                                                                     \
        tp_error rerr;                                                                         \
        tp_error_clear(&rerr);                                                                 \
        CU_ASSERT_EQUAL(call, TP_ERR_INVALID);                                                 \
        CU_ASSERT_PTR_NULL(rout);                                                              \
        ASSERT_CONTAINS(rerr.message, needle);                                                 \
        free(rout);                                                                            \
    }

/* Demand of 1e308 tokens per minute (each kind) overflows double: effective input is
 * 1e308 + 1.0 x 1e308 (cache write) = inf, and the window's tokens 4 x 1e308 x 2 = inf. */
static void test_sim_overflow(void)
{
    static const double big[] = {1e308, 1e308};
    tp_demand d = {big, big, big, big, 2, tp_series_from_minute(series)};
    tp_sim_options o = {0};
    tp_sim_result r;
    tp_error err;
    o.reserve_input_tpm = 1000;
    o.reserve_output_tpm = 100;
    tp_sim_report rep = {series, pricing, &price, &o, &r, 0, NULL, NULL};
    /* refusing such demand up front is as good: what must not happen is a rendered "inf" */
    const tp_status st = tp_simulate_run(&d, &price, &o, &r, &err);
    if (st != TP_OK) {
        CU_ASSERT_EQUAL(st, TP_ERR_INVALID);
    } else {
        CU_ASSERT(!isfinite(r.total_tokens));
        EXPECT_NOT_FINITE(tp_report_sim(&rep, fmt, &rout, &rerr),
                          "a figure is not finite (simulation ");
    }
    /* a cost alone: NaN is no "undefined" there */
    tp_demand ok = tp_series_demand(series);
    CU_ASSERT_EQUAL_FATAL(tp_simulate_run(&ok, &price, &o, &r, &err), TP_OK);
    r.spill_usd = NAN;
    EXPECT_NOT_FINITE(tp_report_sim(&rep, fmt, &rout, &rerr),
                      "a figure is not finite (simulation spill_usd = NaN)");
    r.spill_usd = 0;
    r.total_usd = -INFINITY;
    EXPECT_NOT_FINITE(tp_report_sim(&rep, fmt, &rout, &rerr),
                      "a figure is not finite (simulation total_usd = -inf)");
}

/* No reservation: utilization is NAN (undefined), and renders as null / n/a, status OK. */
static void test_sim_undefined_renders(void)
{
    tp_demand d = tp_series_demand(series);
    tp_sim_options o = {0};
    tp_sim_result r;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_run(&d, &price, &o, &r, &err), TP_OK);
    CU_ASSERT(isnan(r.utilization_input));
    tp_sim_report rep = {series, pricing, &price, &o, &r, 0, NULL, NULL};
    for (size_t f = 0; f < 3; f++) {
        char *out = NULL;
        CU_ASSERT_EQUAL(tp_report_sim(&rep, formats[f], &out, &err), TP_OK);
        CU_ASSERT_PTR_NOT_NULL(out);
        if (formats[f] == TP_FORMAT_JSON)
            ASSERT_CONTAINS(out, "\"input\":\tnull");
        free(out);
    }
    /* an infinite utilization is no "undefined": refused */
    r.utilization_output = INFINITY;
    EXPECT_NOT_FINITE(tp_report_sim(&rep, fmt, &rout, &rerr), "utilization_output = inf");
}

static void test_rec(void)
{
    tp_demand d = tp_series_demand(series);
    tp_rec_options o = {0};
    tp_recommendation rec;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &price, &o, &rec, &err), TP_OK);
    tp_rec_report rep = {series, pricing, &price, &o, &rec, 1.0, 0.0};
    char *out = NULL;
    CU_ASSERT_EQUAL(tp_report_rec(&rep, TP_FORMAT_JSON, &out, &err), TP_OK);
    free(out);
    tp_candidate *c = &rec.candidates[rec.recommended];
    const double keep = c->cost_per_month_usd;
    c->cost_per_month_usd = INFINITY;
    EXPECT_NOT_FINITE(tp_report_rec(&rep, fmt, &rout, &rerr), "cost_per_month_usd = inf");
    c->cost_per_month_usd = keep;
    rec.candidates[rec.n_candidates - 1].sim.spill_usd = HUGE_VAL;
    EXPECT_NOT_FINITE(tp_report_rec(&rep, fmt, &rout, &rerr), "spill_usd = inf");
}

/* Seasonal plans and backtests: hand-made, each with one overflowing figure. */
static void test_seasonal_and_backtest(void)
{
    tp_rec_options o = {0};
    tp_seasonal s;
    memset(&s, 0, sizeof s);
    s.span.from_minute = tp_series_from_minute(series);
    s.span.to_minute = s.span.from_minute + 2;
    s.flat_total_usd = INFINITY;
    EXPECT_NOT_FINITE(tp_report_seasonal("m", pricing, &price, &o, &s, fmt, &rout, &rerr),
                      "(seasonal plan flat_total_usd = inf)");
    s.flat_total_usd = 0;
    s.flat.sim.reserved_usd = INFINITY;
    EXPECT_NOT_FINITE(tp_report_seasonal("m", pricing, &price, &o, &s, fmt, &rout, &rerr),
                      "(flat reservation reserved_usd = inf)");

    tp_backtest bt;
    memset(&bt, 0, sizeof bt);
    bt.regret_usd = NAN; /* undefined: allowed */
    bt.hindsight.sim.baseline_usd = INFINITY;
    EXPECT_NOT_FINITE(tp_report_backtest("m", pricing, &price, &o, &bt, fmt, &rout, &rerr),
                      "(hindsight reservation baseline_usd = inf)");
    bt.hindsight.sim.baseline_usd = 0;
    bt.regret_usd = INFINITY;
    EXPECT_NOT_FINITE(tp_report_backtest("m", pricing, &price, &o, &bt, fmt, &rout, &rerr),
                      "(backtest regret_usd = inf)");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("report_finite", setup, teardown);
    ADD(s, test_sim_overflow);
    ADD(s, test_sim_undefined_renders);
    ADD(s, test_rec);
    ADD(s, test_seasonal_and_backtest);
}
