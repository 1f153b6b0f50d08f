/* test_project.c - projections: growth fits, the bootstrap, month costs, the exact spill of a
 * scaled day, the fleet from summed samples (docs/model.md, "Projection"). */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/project_internal.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "tierplan/tierplan.h"

#define DAY 1440

/* No split by tier: all of a model's demand is default traffic. */
static const tp_tier_demand no_tiers;

/* Four arrays of n minutes in one block (input, output, cache read, cache write). */
typedef struct hist {
    double *b;
    tp_demand d;
} hist;

static hist hist_new(int64_t first_day, size_t days)
{
    hist h;
    const size_t n = days * DAY;
    h.b = calloc(4 * n, sizeof *h.b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h.b);
    h.d = (tp_demand){h.b, h.b + n, h.b + 2 * n, h.b + 3 * n, n, first_day * DAY};
    return h;
}

static int64_t unix_day(const char *date)
{
    int64_t s;
    CU_ASSERT_EQUAL_FATAL(tp_timestamp_parse(date, strlen(date), &s, NULL), TP_OK);
    return s / 86400;
}

static const tp_project_cell *cell(const tp_projection *p, size_t model, size_t m, int plan)
{
    const tp_project_cell *c = model < p->n ? p->models[model].cells : p->fleet;
    return &c[m * TP_PROJECT_PLAN_COUNT + (size_t)plan];
}

/* Constant history, no growth. 28 days of 10000 input and 1000 output TPM every minute.
 * On demand a minute costs 10000 x 3/1e6 + 1000 x 15/1e6 = 0.045 USD, a day 64.80:
 * February 2027 (28 days) 1814.40, March (31) 2008.80, April (30) 1944.00.
 * Priority x 1.75: 3175.20, 3515.40, 3402.00.
 * Every sample is the history itself, so the band has zero width. The recommended
 * reservation covers every minute, (10000, 1000): (10 x 0.12 + 1 x 0.60) x 730 h = 1314.00
 * USD in every month whatever its days, which is also what recommend prices a month of it
 * at today (cost_per_month_usd): the P50 equals today's month cost to the cent. */
static void test_constant_history(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 28);
    for (size_t t = 0; t < h.d.minutes; t++) {
        h.b[t] = 10000;
        h.b[h.d.minutes + t] = 1000;
    }
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 3;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1; /* 0% per month */
    o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
    o.samples = 200;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    const double od[3] = {1814.40, 2008.80, 1944.00}, pr[3] = {3175.20, 3515.40, 3402.00};
    tp_recommendation rec;
    tp_rec_options ro = {0};
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&h.d, &in.price, &ro, &rec, &err), TP_OK);
    const double today = rec.candidates[rec.recommended].cost_per_month_usd;
    ASSERT_NEAR(today, 1314.00, 1e-9);
    for (size_t m = 0; m < 3; m++) {
        const tp_project_cell *c = cell(p, 0, m, TP_PROJECT_ON_DEMAND);
        const int days[3] = {28, 31, 30};
        CU_ASSERT_EQUAL(p->months[m].days, days[m]);
        for (int q = 0; q < 3; q++) {
            ASSERT_NEAR(c->q[q].cost_usd, od[m], 0.005);
            ASSERT_NEAR(cell(p, 0, m, TP_PROJECT_ALL_PRIORITY)->q[q].cost_usd, pr[m], 0.005);
        }
        const tp_project_cell *r = cell(p, 0, m, TP_PROJECT_RECOMMENDED);
        ASSERT_NEAR(r->q[0].cost_usd, r->q[2].cost_usd, 1e-9); /* zero width */
        ASSERT_NEAR(r->q[1].cost_usd, today, 0.005);
        ASSERT_NEAR(r->q[1].reserved_usd, 1314.00, 1e-9);
        ASSERT_NEAR(r->reserve_input_tpm, 10000, 1e-9);
        ASSERT_NEAR(r->reserve_output_tpm, 1000, 1e-9);
        ASSERT_NEAR(r->q[1].on_demand_tokens, 0, 1e-6);
        ASSERT_NEAR(r->q[1].reserved_tokens, 11000.0 * DAY * p->months[m].days, 1e-3);
        CU_ASSERT(r->term_start && r->term_end); /* 1-month terms */
        CU_ASSERT_FALSE(cell(p, 0, m, TP_PROJECT_HELD)->has);
    }
    CU_ASSERT_EQUAL(p->models[0].growth.form, TP_GROWTH_GIVEN);
    CU_ASSERT(p->models[0].weekly_shape_kept);
    tp_project_free(p);
    free(h.b);
}

/* A 3-month term starting with the first month: its end is the third month; the fourth
 * starts a new term. Reserved at the 0.9 discount: 1314 x 0.9 = 1182.60 every month. */
static void test_term_end(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 7);
    for (size_t t = 0; t < h.d.minutes; t++) {
        h.b[t] = 10000;
        h.b[h.d.minutes + t] = 1000;
    }
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 4;
    o.has_growth = 1;
    o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
    o.samples = 10;
    o.rec.term_months = 3;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    /* the history ends on 2026-10-11: the first month is October, the current one, its days
     * to the 11th observed (the 5th to the 11th as they were, the 1st to 4th projected) */
    CU_ASSERT_EQUAL(p->months[0].year, 2026);
    CU_ASSERT_EQUAL(p->months[0].month, 10);
    CU_ASSERT_EQUAL(p->months[0].observed_days, 11);
    CU_ASSERT_EQUAL(p->months[1].observed_days, 0);
    const int start[4] = {1, 0, 0, 1}, end[4] = {0, 0, 1, 0};
    for (size_t m = 0; m < 4; m++) {
        const tp_project_cell *r = cell(p, 0, m, TP_PROJECT_RECOMMENDED);
        CU_ASSERT_EQUAL(r->term_start, start[m]);
        CU_ASSERT_EQUAL(r->term_end, end[m]);
        ASSERT_NEAR(r->q[1].cost_usd, 1182.60, 1e-6);
    }
    /* seven days, one per weekday: the day-to-day spread cannot be estimated, and says so */
    CU_ASSERT(p->models[0].weekly_shape_kept);
    CU_ASSERT_EQUAL(p->models[0].single_day_weekdays, 7);
    char *txt = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_report_project(p, TP_FORMAT_TEXT, &txt, &err), TP_OK);
    ASSERT_CONTAINS(txt, "band: some weekday has a single history day, so the day-to-day");
    free(txt);
    CU_ASSERT_EQUAL_FATAL(tp_report_project(p, TP_FORMAT_JSON, &txt, &err), TP_OK);
    ASSERT_CONTAINS(txt, "\"spread_estimated\":\tfalse");
    free(txt);
    tp_project_free(p);
    free(h.b);
}

/* The reservation is billed 730 h a month whatever the month's days, so it is sized against
 * that. Constant 10000 input TPM (no output), reserved input 0.171 USD per 1k TPM-hour:
 * on-demand is 10000 x 3/1e6 = 0.03 USD a minute, 1.80 USD an hour; 10000 reserved cost
 * 10 x 0.171 = 1.71 USD an hour, 1.71 x 730 = 1248.30 USD a month.
 * February 2027 (28 days): on-demand 0.03 x 1440 x 28 = 1209.60 < 1248.30, so nothing is
 * reserved and the plan costs 1209.60. (Priced over the month's 672 real hours the
 * reservation would look like 1.71 x 672 = 1149.12 and win, and then bill 1248.30.)
 * March (31 days): on-demand 0.03 x 1440 x 31 = 1339.20 > 1248.30: 10000 reserved, 1248.30. */
static void test_billed_month(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 7);
    for (size_t t = 0; t < h.d.minutes; t++)
        h.b[t] = 10000;
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    in.price.reserved_input_per_1k_tpm_hour_usd = 0.171;
    tp_project_options o = {0};
    o.months = 2;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1;
    o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
    o.samples = 5;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    const tp_project_cell *feb = cell(p, 0, 0, TP_PROJECT_RECOMMENDED),
                          *mar = cell(p, 0, 1, TP_PROJECT_RECOMMENDED);
    ASSERT_NEAR(cell(p, 0, 0, TP_PROJECT_ON_DEMAND)->q[1].cost_usd, 1209.60, 1e-6);
    ASSERT_NEAR(feb->reserve_input_tpm, 0, 1e-9);
    ASSERT_NEAR(feb->q[1].cost_usd, 1209.60, 1e-6);
    ASSERT_NEAR(cell(p, 0, 1, TP_PROJECT_ON_DEMAND)->q[1].cost_usd, 1339.20, 1e-6);
    ASSERT_NEAR(mar->reserve_input_tpm, 10000, 1e-9);
    ASSERT_NEAR(mar->q[1].cost_usd, 1248.30, 1e-6);
    tp_project_free(p);
    free(h.b);
}

/* Daily totals y_d = 1e6 + 20000 d (d = 0 .. 55) with a wobble that has no trend and no
 * weekday pattern, +-5000 by d mod 5. The truth at the last day: level 1e6 + 20000 x 55 =
 * 2.1e6, monthly rate 30.4375 x 20000 / 2.1e6 = 28.99%. The fit must choose linear and
 * recover the rate within its standard error. */
static void test_linear_fit(void)
{
    int64_t day[56];
    double y[56];
    for (int d = 0; d < 56; d++) {
        day[d] = 20000 + d;
        y[d] = 1e6 + 20000.0 * d + 2500.0 * (double)((d * 3) % 5 - 2);
    }
    tp_growth g;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_growth_fit(day, y, 56, day[55], &g, &err), TP_OK);
    const double truth = 30.4375 * 20000 / 2.1e6;
    CU_ASSERT_EQUAL(g.form, TP_GROWTH_LINEAR);
    CU_ASSERT(g.se > 0);
    CU_ASSERT(fabs(g.rate - truth) <= g.se);
    CU_ASSERT(g.rss_linear < g.rss_compound);
    CU_ASSERT_EQUAL(g.n_days, 56);
}

/* Compound: y_d = 1e6 x 1.10^(d / 30.4375) x (1 + 0.01 wobble): compound wins and the
 * monthly rate 10% is recovered within its standard error. */
static void test_compound_fit(void)
{
    int64_t day[90];
    double y[90];
    for (int d = 0; d < 90; d++) {
        day[d] = 20000 + d;
        y[d] = 1e6 * pow(1.10, d / 30.4375) * (1 + 0.01 * (double)((d * 3) % 5 - 2));
    }
    tp_growth g;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_growth_fit(day, y, 90, day[89], &g, &err), TP_OK);
    CU_ASSERT_EQUAL(g.form, TP_GROWTH_COMPOUND);
    CU_ASSERT(fabs(g.rate - 0.10) <= g.se);
    CU_ASSERT(g.rss_compound < g.rss_linear);
}

/* Under 7 days with data the fit refuses, as a data error naming the fix (give the growth). */
static void test_fit_too_few_days(void)
{
    int64_t day[13];
    double y[13];
    for (int d = 0; d < 13; d++)
        day[d] = 20000 + d, y[d] = 100;
    tp_growth g;
    tp_error err;
    CU_ASSERT_EQUAL(tp_project_growth_fit(day, y, 6, day[5], &g, &err), TP_ERR_INVALID);
    ASSERT_CONTAINS(err.message, "give one with growth_pct_per_month (or growth_pct_per_month "
                                 "in the plan file)");
    CU_ASSERT_EQUAL(err.n_mentions, 1);
    /* 7 days fit (no weekday terms under 14), and warn: fewer than 28 */
    CU_ASSERT_EQUAL(tp_project_growth_fit(day, y, 7, day[6], &g, &err), TP_OK);
    CU_ASSERT(g.warn & TP_GROWTH_WARN_SHORT);
    CU_ASSERT_FALSE(g.warn & TP_GROWTH_WARN_STEEP);
    /* through a projection: the model is named */
    hist h = hist_new(20000, 6);
    for (size_t t = 0; t < h.d.minutes; t++)
        h.b[t] = 100;
    tp_project_input in = {"short-model", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 1;
    o.samples = 5;
    tp_projection *p = NULL;
    CU_ASSERT_EQUAL(tp_project_demand(&in, 1, &o, &p, &err), TP_ERR_INVALID);
    ASSERT_CONTAINS(err.message, "short-model");
    CU_ASSERT_PTR_NULL(p);
    free(h.b);
}

/* Given and fitted growth are told apart: 20 days of a constant history fit (form compound or
 * linear, rate 0), the same with the plan file's growth is "given" at its rate. */
static void test_given_vs_fitted(void)
{
    hist h = hist_new(20000, 20);
    for (size_t t = 0; t < h.d.minutes; t++)
        h.b[t] = 1000;
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 1;
    o.samples = 5;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    CU_ASSERT_NOT_EQUAL(p->models[0].growth.form, TP_GROWTH_GIVEN);
    CU_ASSERT_EQUAL(p->models[0].growth.n_days, 20);
    ASSERT_NEAR(p->models[0].growth.rate, 0, 1e-9);
    char *out = NULL;
    CU_ASSERT_EQUAL(tp_report_project(p, TP_FORMAT_JSON, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "\"source\":\t\"fitted\"");
    free(out);
    /* a FOCUS cost is never "nan": a figure that is not finite is refused, naming the model */
    const double kept = p->models[0].cells[0].q[1].on_demand_usd;
    p->models[0].cells[0].q[1].on_demand_usd = NAN;
    CU_ASSERT_EQUAL(tp_report_project_focus(p, &out, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NULL(out);
    ASSERT_CONTAINS(err.message, "a figure is not finite (m, month 1)");
    p->models[0].cells[0].q[1].on_demand_usd = kept;
    CU_ASSERT_EQUAL(tp_report_project_focus(p, &out, &err), TP_OK);
    free(out);
    out = NULL;
    tp_project_free(p);
    tp_plan_file *pf = NULL;
    const char *json = "{\"models\":{\"m\":{\"growth_pct_per_month\":7}}}";
    CU_ASSERT_EQUAL_FATAL(tp_plan_file_parse("plan.json", json, strlen(json), &pf, &err), TP_OK);
    o.plan = pf;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    CU_ASSERT_EQUAL(p->models[0].growth.form, TP_GROWTH_GIVEN);
    ASSERT_NEAR(p->models[0].growth.rate, 0.07, 1e-12);
    CU_ASSERT_EQUAL(tp_report_project(p, TP_FORMAT_TEXT, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "growth: given, 7.0% per month (compounding)");
    free(out);
    tp_project_free(p);
    tp_plan_file_free(pf);
    free(h.b);
}

/* A two-day history: day A of 1000 input TPM (4.32 USD on demand), day B of 3000 (12.96).
 * Under a week, every projected day draws A or B with u < 0.5 or not, u from the sample's own
 * stream (xoshiro256** seeded by splitmix64(seed) xor the sample number; two uniforms for the
 * growth draw first, two for the level's, then the days in date order; under a week of
 * history the days are drawn alone, not in blocks). February 2027 has 28 days; with seed 42
 * the five samples draw A on 15, 16, 15, 18 and 14 days (worked out by a separate
 * implementation of the two generators; the test recounts them through the stream functions
 * to be sure the order is the documented one), so they cost 28 x 12.96 - 8.64 k:
 * 233.28, 224.64, 233.28, 207.36, 241.92 USD. Sorted: 207.36, 224.64, 233.28, 233.28, 241.92.
 * P10: h = 0.1 x 4 = 0.4 -> 207.36 + 0.4 x 17.28 = 214.272; P50: h = 2 -> 233.28;
 * P90: h = 3.6 -> 233.28 + 0.6 x 8.64 = 238.464. Two days leave no residual to estimate the
 * level's spread (n < columns + 2): the given growth's 0 standard error is the only other. */
static void test_two_day_bootstrap(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 2);
    for (size_t t = 0; t < DAY; t++) {
        h.b[t] = 1000;
        h.b[DAY + t] = 3000;
    }
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 1;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1;
    o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
    o.samples = 5;
    o.seed = 42;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    CU_ASSERT_FALSE(p->models[0].weekly_shape_kept);
    const int k_hand[5] = {15, 16, 15, 18, 14};
    for (int s = 0; s < 5; s++) {
        uint64_t st[4];
        int k = 0;
        proj_sample_stream(42, (size_t)s, st);
        (void)proj_stream_normal(st);
        (void)proj_stream_normal(st);
        for (int d = 0; d < 28; d++)
            k += proj_stream_uniform(st) < 0.5;
        CU_ASSERT_EQUAL(k, k_hand[s]);
    }
    const tp_project_cell *c = cell(p, 0, 0, TP_PROJECT_ON_DEMAND);
    ASSERT_NEAR(c->q[0].cost_usd, 214.272, 1e-9);
    ASSERT_NEAR(c->q[1].cost_usd, 233.28, 1e-9);
    ASSERT_NEAR(c->q[2].cost_usd, 238.464, 1e-9);
    CU_ASSERT_EQUAL(p->models[0].growth.level_se, 0);
    tp_project_free(p);
    free(h.b);
}

/* A longer horizon does not change the months it shares with a shorter one: each sample's
 * stream draws its growth first, then the days in date order, so 4 months only append draws
 * to 1 month's (fitted growth with its uncertainty, so the growth draw matters too). */
static void test_horizon_independent(void)
{
    hist h = hist_new(unix_day("2026-09-01T00:00:00Z"), 21);
    for (size_t t = 0; t < h.d.minutes; t++) {
        const size_t day = t / DAY;
        h.b[t] = 1000 + 40.0 * (double)day + 300.0 * (double)((day * 7) % 5) +
                 200.0 * (double)((t % DAY) / 60 % 3);
        h.b[h.d.minutes + t] = 100 + (double)(t % 97);
    }
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.samples = 50;
    o.seed = 7;
    tp_projection *p1 = NULL, *p4 = NULL;
    tp_error err;
    o.months = 1;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p1, &err), TP_OK);
    o.months = 4;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p4, &err), TP_OK);
    CU_ASSERT(p1->models[0].growth.se > 0);
    for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
        if (pl == TP_PROJECT_RECOMMENDED || pl == TP_PROJECT_HELD)
            continue; /* the recommended plan is re-sized on the term's P50 path */
        for (int q = 0; q < 3; q++) {
            CU_ASSERT_EQUAL(cell(p1, 0, 0, pl)->q[q].cost_usd, cell(p4, 0, 0, pl)->q[q].cost_usd);
            CU_ASSERT_EQUAL(cell(p1, 0, 0, pl)->q[q].tokens, cell(p4, 0, 0, pl)->q[q].tokens);
        }
    }
    tp_project_free(p1);
    tp_project_free(p4);
    free(h.b);
}

/* The fleet sums samples, not quantiles: model Y is model X with its days swapped (A 3000,
 * B 1000), so in every sample X + Y costs 28 x (4.32 + 12.96) = 483.84 USD: the fleet's band
 * has zero width although each model's is wide (summed P10s would give 214.272 + 245.376:
 * Y's samples are 483.84 minus X's, sorted 241.92, 250.56, 250.56, 259.20, 276.48, P10
 * 241.92 + 0.4 x 8.64 = 245.376). */
static void test_fleet_sums_samples(void)
{
    hist x = hist_new(unix_day("2026-10-05T00:00:00Z"), 2),
         y = hist_new(unix_day("2026-10-05T00:00:00Z"), 2);
    for (size_t t = 0; t < DAY; t++) {
        x.b[t] = 1000, x.b[DAY + t] = 3000;
        y.b[t] = 3000, y.b[DAY + t] = 1000;
    }
    tp_project_input in[2] = {{"x", x.d, base_price(2), no_tiers},
                              {"y", y.d, base_price(2), no_tiers}};
    tp_project_options o = {0};
    o.months = 1;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1;
    o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
    o.samples = 5;
    o.seed = 42;
    o.jobs = 2;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(in, 2, &o, &p, &err), TP_OK);
    const tp_project_cell *f = cell(p, 2, 0, TP_PROJECT_ON_DEMAND);
    for (int q = 0; q < 3; q++)
        ASSERT_NEAR(f->q[q].cost_usd, 483.84, 1e-9);
    /* model X alone is the two-day bootstrap above: 214.272 .. 238.464 */
    ASSERT_NEAR(cell(p, 0, 0, TP_PROJECT_ON_DEMAND)->q[0].cost_usd, 214.272, 1e-9);
    ASSERT_NEAR(cell(p, 0, 0, TP_PROJECT_ON_DEMAND)->q[2].cost_usd, 238.464, 1e-9);
    ASSERT_NEAR(cell(p, 1, 0, TP_PROJECT_ON_DEMAND)->q[0].cost_usd, 245.376, 1e-9);
    CU_ASSERT_FALSE(cell(p, 2, 0, TP_PROJECT_HELD)->has);
    tp_project_free(p);
    free(x.b);
    free(y.b);
}

static uint64_t seed = 99;
static double uni(void)
{
    return test_uniform(&seed);
}

/* The spill of a held reservation from sorted thresholds and prefix sums equals a direct
 * simulation of each scaled day (the direct path runs under a quota too large to bind), for
 * both spill models, with growth so that the scales differ by sample and day. */
static void test_exact_spill(void)
{
    for (int coupled = 0; coupled < 2; coupled++) {
        hist h = hist_new(20000, 9);
        for (size_t t = 0; t < h.d.minutes; t++) {
            h.b[t] = 8000 * uni() * uni();
            h.b[h.d.minutes + t] = 2000 * uni();
            h.b[2 * h.d.minutes + t] = 20000 * uni();
            h.b[3 * h.d.minutes + t] = uni() < 0.1 ? 3000 * uni() : 0;
        }
        tp_project_input in = {"m", h.d, base_price(2), no_tiers};
        tp_project_options o = {0};
        o.months = 2;
        o.has_growth = 1;
        o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
        o.growth_pct_per_month = 8;
        o.samples = 20;
        o.has_held = 1;
        o.held_input_tpm = 5000;
        o.held_output_tpm = 1200;
        o.rec.spill_model = coupled ? TP_SPILL_COUPLED : TP_SPILL_INDEPENDENT;
        tp_projection *a = NULL, *b = NULL;
        tp_error err;
        CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &a, &err), TP_OK);
        o.rec.quota_tpm = 1e12;
        CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &b, &err), TP_OK);
        for (size_t m = 0; m < 2; m++)
            for (int q = 0; q < 3; q++) {
                const tp_project_figures *x = &cell(a, 0, m, TP_PROJECT_HELD)->q[q],
                                         *y = &cell(b, 0, m, TP_PROJECT_HELD)->q[q];
                CU_ASSERT(x->on_demand_usd > 1); /* it does spill */
                ASSERT_NEAR(x->on_demand_usd, y->on_demand_usd, 1e-9 * y->on_demand_usd);
                ASSERT_NEAR(x->on_demand_tokens, y->on_demand_tokens,
                            1e-9 * y->on_demand_tokens);
                ASSERT_NEAR(x->reserved_tokens, y->reserved_tokens, 1e-9 * y->tokens);
            }
        tp_project_free(a);
        tp_project_free(b);
        free(h.b);
    }
}

/* A worker reuses its arrays from one model to the next (proj_scratch): three models of 14, 9
 * and 21 days (the second smaller than the arrays the first left, the third larger), run on one
 * worker, give each the very figures it gets projected alone, bit for bit, for both spill
 * models, with a held reservation and the recommended one (thresholds with ties: the demand is
 * whole hundreds of tokens). */
static void test_worker_reuse(void)
{
    const size_t days[3] = {14, 9, 21};
    const int64_t end = 20030; /* every history ends on the same day: the same months */
    for (int coupled = 0; coupled < 2; coupled++) {
        hist h[3];
        tp_project_input in[3];
        const char *names[3] = {"a", "b", "c"};
        for (int i = 0; i < 3; i++) {
            h[i] = hist_new(end - (int64_t)days[i], days[i]);
            const size_t n = h[i].d.minutes;
            for (size_t t = 0; t < n; t++) {
                h[i].b[t] = 100 * floor(80 * uni() * uni());
                h[i].b[n + t] = 100 * floor(20 * uni());
                h[i].b[2 * n + t] = 100 * floor(200 * uni());
                h[i].b[3 * n + t] = uni() < 0.1 ? 100 * floor(30 * uni()) : 0;
            }
            in[i] = (tp_project_input){names[i], h[i].d, base_price(2), no_tiers};
        }
        tp_project_options o = {0};
        o.months = 3;
        o.has_growth = 1;
        o.growth_pct_per_month = 5;
        o.samples = 40;
        o.has_held = 1;
        o.held_input_tpm = 5000;
        o.held_output_tpm = 1200;
        o.jobs = 1;
        o.rec.spill_model = coupled ? TP_SPILL_COUPLED : TP_SPILL_INDEPENDENT;
        tp_projection *all = NULL;
        tp_error err;
        CU_ASSERT_EQUAL_FATAL(tp_project_demand(in, 3, &o, &all, &err), TP_OK);
        int spills = 0;
        for (size_t i = 0; i < 3; i++) {
            tp_projection *one = NULL;
            CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in[i], 1, &o, &one, &err), TP_OK);
            CU_ASSERT_EQUAL_FATAL(one->n_months, all->n_months);
            for (size_t m = 0; m < all->n_months; m++)
                for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
                    const tp_project_cell *x = cell(all, i, m, pl), *y = cell(one, 0, m, pl);
                    CU_ASSERT_EQUAL(x->has, y->has);
                    CU_ASSERT(memcmp(x->q, y->q, sizeof x->q) == 0);
                    spills += pl == TP_PROJECT_HELD && x->q[1].on_demand_usd > 0;
                }
            CU_ASSERT(memcmp(all->models[i].totals, one->models[0].totals,
                             sizeof one->models[0].totals) == 0);
            tp_project_free(one);
        }
        CU_ASSERT(spills > 0); /* the held reservation does spill: the thresholds are read */
        tp_project_free(all);
        for (int i = 0; i < 3; i++)
            free(h[i].b);
    }
}

/* The term's pick: the recommender's grid optimum (7000 TPM, 6635.89 USD on the P50 path)
 * loses to reserving nothing (on-demand 6633.28; the figures of a November seen on generated
 * data); without a service level the cheaper, no reservation, is held. Spilling to Priority, nothing reserved
 * costs the all-Priority 11,000.00, so the optimum stays. Under a service level the
 * recommender's pick stands whatever it costs. */
static void test_term_pick(void)
{
    tp_recommendation rec;
    memset(&rec, 0, sizeof rec);
    const tp_basis b[4] = {TP_BASIS_P50, TP_BASIS_OPTIMAL, TP_BASIS_ON_DEMAND,
                           TP_BASIS_ALL_PRIORITY};
    const double in[4] = {57000, 7000, 0, 0}, total[4] = {7008.15, 6635.89, 6633.28, 11000};
    for (int k = 0; k < 4; k++) {
        rec.candidates[k].basis = b[k];
        rec.candidates[k].input_tpm = in[k];
        rec.candidates[k].sim.total_usd = total[k];
    }
    rec.n_candidates = 4;
    rec.recommended = 1;
    tp_rec_options ro = {0};
    CU_ASSERT_EQUAL(proj_term_pick(&rec, &ro)->basis, TP_BASIS_ON_DEMAND);
    ro.spill_to = TP_SPILL_TO_PRIORITY;
    CU_ASSERT_EQUAL(proj_term_pick(&rec, &ro)->basis, TP_BASIS_OPTIMAL);
    ro.spill_to = TP_SPILL_TO_STANDARD;
    ro.quota_tpm = 5000;
    CU_ASSERT_EQUAL(proj_term_pick(&rec, &ro)->basis, TP_BASIS_OPTIMAL);
    ro.quota_tpm = 0;
    rec.candidates[1].basis = TP_BASIS_SLO;
    CU_ASSERT_EQUAL(proj_term_pick(&rec, &ro)->basis, TP_BASIS_SLO);
}

/* Under a quota every scaled day is simulated. 30000 input TPM in every minute, quota 10000
 * TPM, February 2027 (40320 minutes). On demand each minute spills 30000 and the quota takes
 * 10000: 403.2M tokens served on demand for 403.2M x 3/1e6 = 1209.60 USD, 806.4M throttled.
 * The recommended reservation may throttle nothing (the default bound under a quota), so it
 * holds 30000: 30 x 0.12 x 730 = 2628.00 USD, nothing throttled. */
static void test_quota(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 7);
    for (size_t t = 0; t < h.d.minutes; t++)
        h.b[t] = 30000;
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 1;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1;
    o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
    o.samples = 3;
    o.rec.quota_tpm = 10000;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    const tp_project_figures *od = &cell(p, 0, 0, TP_PROJECT_ON_DEMAND)->q[1],
                             *r = &cell(p, 0, 0, TP_PROJECT_RECOMMENDED)->q[1];
    ASSERT_NEAR(od->cost_usd, 1209.60, 1e-6);
    ASSERT_NEAR(od->on_demand_tokens, 403.2e6, 1e-3);
    ASSERT_NEAR(od->throttled_tokens, 806.4e6, 1e-3);
    ASSERT_NEAR(r->cost_usd, 2628.00, 1e-6);
    ASSERT_NEAR(r->throttled_tokens, 0, 1e-9);
    ASSERT_NEAR(cell(p, 0, 0, TP_PROJECT_RECOMMENDED)->reserve_input_tpm, 30000, 1e-9);
    tp_project_free(p);
    free(h.b);
}

/* Usage errors: no months, too many samples, history not of whole days. */
static void test_usage(void)
{
    hist h = hist_new(20000, 1);
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    tp_projection *p = NULL;
    tp_error err;
    o.has_growth = 1;
    o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
    CU_ASSERT_EQUAL(tp_project_demand(&in, 1, &o, &p, &err), TP_ERR_USAGE);
    o.months = 1;
    o.samples = TP_PROJECT_MAX_SAMPLES + 1;
    CU_ASSERT_EQUAL(tp_project_demand(&in, 1, &o, &p, &err), TP_ERR_USAGE);
    o.samples = 0;
    in.demand.minutes = 1000;
    CU_ASSERT_EQUAL(tp_project_demand(&in, 1, &o, &p, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "whole UTC days");
    CU_ASSERT_PTR_NULL(p);
    free(h.b);
}

/* Projected by service tier (docs/model.md, "Service tiers"): 28 constant days of default
 * 10,000 input + 1,000 output TPM and flex 8,000 input TPM, growth 0, one 28-day month (Feb
 * 2027), so each sample's month is the history itself. Per minute, default at Standard:
 * 10,000 x 3/M + 1,000 x 15/M = 0.045 USD; flex at Flex (x 0.5): 8,000 x 1.5/M = 0.012 USD.
 * On demand, each token at the tier that served it: 0.057 x 40,320 min = 2,298.24 USD (not
 * 2,782.08 with flex at Standard). A reserved input token costs 0.12 / 1000 / 60 x 1e6 =
 * 2 USD/M: cheaper than default's 3, dearer than flex's 1.5, so the recommendation routes
 * reserved and default only, (10,000, 1,000): (10 x 0.12 + 1 x 0.60) x 730 h = 1,314.00
 * USD, plus flex on demand 0.012 x 40,320 = 483.84: 1,797.84 USD; reserved tokens 11,000 x
 * 40,320, on-demand 8,000 x 40,320. The held (10,000, 1,000) with default and flex routed:
 * coupled, each minute spills 1 - 10,000/18,000 = 4/9 of the routed (18,000 x 3 + 1,000 x
 * 15)/1e6 = 0.069 USD: 0.030667 x 40,320 = 1,236.48, + 1,314.00 = 2,550.48 USD. */
static void test_tiers(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 28), dft = hist_new(0, 28),
         flex = hist_new(0, 28);
    const size_t n = h.d.minutes;
    for (size_t t = 0; t < n; t++) {
        dft.b[t] = 10000;
        dft.b[n + t] = 1000;
        flex.b[t] = 8000;
        h.b[t] = 18000;
        h.b[n + t] = 1000;
    }
    tp_tier_demand td = no_tiers;
    td.minutes = n;
    td.from_minute = h.d.from_minute;
    td.tier[TP_SERVICE_DEFAULT] = dft.d;
    td.tier[TP_SERVICE_FLEX] = flex.d;
    td.tier[TP_SERVICE_DEFAULT].from_minute = td.tier[TP_SERVICE_FLEX].from_minute = h.d.from_minute;
    tp_project_input in = {"m", h.d, base_price(2), td};
    tp_project_options o = {0};
    o.months = 1;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1;
    o.has_growth_sd = 1; /* no uncertainty: the band is the days alone */
    o.samples = 20;
    o.has_held = 1, o.held_input_tpm = 10000, o.held_output_tpm = 1000;
    o.rec.route_tiers = 0;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    const double min = 40320;
    CU_ASSERT_EQUAL(p->models[0].present,
                    TP_ROUTE_TIER(TP_SERVICE_DEFAULT) | TP_ROUTE_TIER(TP_SERVICE_FLEX));
    const tp_project_cell *od = cell(p, 0, 0, TP_PROJECT_ON_DEMAND);
    const tp_project_cell *r = cell(p, 0, 0, TP_PROJECT_RECOMMENDED);
    const tp_project_cell *hd = cell(p, 0, 0, TP_PROJECT_HELD);
    ASSERT_NEAR(od->q[1].cost_usd, 2298.24, 0.005);
    ASSERT_NEAR(r->reserve_input_tpm, 10000, 1e-9);
    ASSERT_NEAR(r->reserve_output_tpm, 1000, 1e-9);
    CU_ASSERT_EQUAL(r->routed_tiers,
                    TP_ROUTE_TIER(TP_SERVICE_RESERVED) | TP_ROUTE_TIER(TP_SERVICE_DEFAULT));
    ASSERT_NEAR(r->q[1].cost_usd, 1797.84, 0.005);
    ASSERT_NEAR(r->q[1].reserved_tokens, 11000 * min, 1e-3);
    ASSERT_NEAR(r->q[1].on_demand_tokens, 8000 * min, 1e-3);
    /* the held one serves reserved and default by default: the same as recommended */
    ASSERT_NEAR(hd->q[1].cost_usd, 1797.84, 0.005);
    CU_ASSERT_EQUAL(hd->routed_tiers, r->routed_tiers);
    tp_project_free(p);
    p = NULL;
    /* --route-tiers default,flex: the held one absorbs flex too, and spills */
    o.rec.route_tiers = TP_ROUTE_TIER(TP_SERVICE_DEFAULT) | TP_ROUTE_TIER(TP_SERVICE_FLEX);
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    hd = cell(p, 0, 0, TP_PROJECT_HELD);
    ASSERT_NEAR(hd->q[1].cost_usd, 2550.48, 0.005);
    CU_ASSERT_EQUAL(hd->routed_tiers, o.rec.route_tiers | TP_ROUTE_TIER(TP_SERVICE_RESERVED));
    tp_project_free(p);
    p = NULL;
    /* under a quota each scaled day is simulated by tier: the month is the history, so it
     * costs what tp_simulate_tiers_run says of the history */
    o.rec.route_tiers = 0;
    o.rec.quota_tpm = 15000;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    tp_sim_options so = {0};
    so.reserve_input_tpm = 10000, so.reserve_output_tpm = 1000, so.quota_tpm = 15000;
    tp_sim_tiers_result sr;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_tiers_run(&td, &in.price, &so,
                                                TP_ROUTE_TIER(TP_SERVICE_DEFAULT), &sr, &err),
                          TP_OK);
    hd = cell(p, 0, 0, TP_PROJECT_HELD);
    ASSERT_NEAR(hd->q[1].on_demand_usd, sr.sim.spill_usd + sr.sim.unrouted_usd, 1e-6);
    ASSERT_NEAR(hd->q[1].cost_usd, 1797.84, 0.005); /* 9,000 TPM of flex fits the quota */
    tp_project_free(p);
    free(h.b);
    free(dft.b);
    free(flex.b);
}

/* Demand split by tier with all of it default projects exactly as the demand undivided. */
static void test_tiers_default_only(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 14);
    uint64_t st = 7;
    for (size_t t = 0; t < h.d.minutes; t++) {
        /* 8,000 to 12,000 input and 800 to 1,200 output TPM: a reservation pays */
        h.b[t] = 8000 + (double)(test_rng_next(&st) >> 52);
        h.b[h.d.minutes + t] = 800 + (double)(test_rng_next(&st) >> 55);
    }
    tp_tier_demand td = no_tiers;
    td.minutes = h.d.minutes;
    td.from_minute = h.d.from_minute;
    td.tier[TP_SERVICE_DEFAULT] = h.d;
    tp_project_input a = {"m", h.d, base_price(2), no_tiers}, b = {"m", h.d, base_price(2), td};
    tp_project_options o = {0};
    o.months = 3;
    o.samples = 50;
    o.seed = 9;
    o.has_held = 1, o.held_input_tpm = 20000, o.held_output_tpm = 1000;
    tp_projection *p = NULL, *q = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&a, 1, &o, &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&b, 1, &o, &q, &err), TP_OK);
    CU_ASSERT(memcmp(p->models[0].cells, q->models[0].cells,
                     3 * TP_PROJECT_PLAN_COUNT * sizeof *p->models[0].cells) == 0);
    CU_ASSERT(cell(p, 0, 0, TP_PROJECT_RECOMMENDED)->reserve_input_tpm > 0);
    tp_project_free(p);
    tp_project_free(q);
    free(h.b);
}

/* The shrinking of a fitted rate (docs/model.md, "Growth"): r x max(0, 1 - se^2 / r^2).
 * 10% with se 5%: 1 - 0.0025 / 0.01 = 0.75, 7.5%. -20% with se 10%: 0.75 again, -15%.
 * 4% with se 5%: within one se of 0, shrunk to 0. 30% with se 3%: 1 - 0.0009 / 0.09 = 0.99,
 * 29.7%. A fit uses it: its rate is project_shrink(rate_fitted, se). */
static void test_shrink(void)
{
    ASSERT_NEAR(project_shrink(0.10, 0.05), 0.075, 1e-15);
    ASSERT_NEAR(project_shrink(-0.20, 0.10), -0.15, 1e-15);
    CU_ASSERT_EQUAL(project_shrink(0.04, 0.05), 0.0);
    CU_ASSERT_EQUAL(project_shrink(0.0, 0.05), 0.0);
    ASSERT_NEAR(project_shrink(0.30, 0.03), 0.297, 1e-15);
    int64_t day[20];
    double y[20];
    for (int d = 0; d < 20; d++) {
        day[d] = 20000 + d;
        y[d] = 1e6 * pow(1.30, d / 30.4375) * (1 + 0.05 * (double)((d * 3) % 5 - 2));
    }
    tp_growth g;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_growth_fit(day, y, 20, day[19], &g, &err), TP_OK);
    CU_ASSERT(g.se > 0);
    ASSERT_NEAR(g.rate, project_shrink(g.rate_fitted, g.se), 1e-15);
    CU_ASSERT(fabs(g.rate) < fabs(g.rate_fitted));
    /* 20 days, fitted beyond 20% a month: both warnings */
    CU_ASSERT_EQUAL(g.warn, TP_GROWTH_WARN_SHORT | TP_GROWTH_WARN_STEEP);
}

/* A level shift found by hand (docs/model.md, "Level shifts"): 21 days i = 0..20 (three of
 * each weekday, Saturdays at 0.6), ln y_i = ln 1e6 + ln 2 s_i + e_i with s_i = 1 from day 14
 * and e = +0.1, -0.2, +0.1 on days 0, 7, 14 and -0.1, +0.2, -0.1 on days 3, 10, 17 (each
 * weekday's e sums to 0, and so do e, i e and s e: e is orthogonal to [1, t, s]).
 * z (ln y less weekday means) = ln 2 (s - 1/3) + e. Trimming max(7, ceil(3.15)) = 7: splits
 * at 7..14. At 14 the fit is exact but for e: step ln 2, RSS1 = 0.12; no e is next to
 * another, so rho = 0. RSS0 (no step) = ln 2^2 x (s on [1, i]: 21 x 1/3 x 2/3 - 49^2 / 770
 * = 1.548485; 49 = 4 + .. + 10, 770 = sum (i - 10)^2) + 0.12 = 0.863974.
 * F = (0.863974 - 0.12) / (0.12 / 18) = 111.596 >= 8.68: found. The new level at day 20
 * (common slope, segment means 6.5 and 17, sums of squares 227.5 and 28): variance
 * s^2 (1/7 + 3^2 / 255.5) = 0.12 / 18 x 0.178082, se = 0.0344560. Without the step (ln y =
 * ln 1e6 + e): nothing found. */
static void test_level_shift(void)
{
    int64_t day[21];
    double y[21], flat[21];
    for (int i = 0; i < 21; i++) {
        day[i] = 20000 + i;
        double e = 0;
        if (i == 0 || i == 14 || i == 10)
            e = i == 10 ? 0.2 : 0.1;
        if (i == 7)
            e = -0.2;
        if (i == 3 || i == 17)
            e = -0.1;
        const double sat = project_weekday(day[i]) == 5 ? 0.6 : 1.0;
        flat[i] = 1e6 * sat * exp(e);
        y[i] = flat[i] * (i >= 14 ? 2.0 : 1.0);
    }
    tp_level_shift sh;
    tp_error err;
    CU_ASSERT_EQUAL(tp_project_level_shift(day, y, 21, day[20], &sh, &err), TP_OK);
    CU_ASSERT_EQUAL(sh.found, 1);
    CU_ASSERT_EQUAL(sh.at, 14);
    ASSERT_NEAR(sh.step_log, log(2.0), 1e-9);
    ASSERT_NEAR(sh.f_stat, 111.596132, 1e-5);
    ASSERT_NEAR(sh.level_se, 0.0344560, 1e-7);
    CU_ASSERT_EQUAL(tp_project_level_shift(day, flat, 21, day[20], &sh, &err), TP_OK);
    CU_ASSERT_EQUAL(sh.found, 0);
    CU_ASSERT(sh.f_stat < TP_SHIFT_CRITICAL_F);
    /* under 21 days nothing is looked for */
    CU_ASSERT_EQUAL(tp_project_level_shift(day, y, 20, day[19], &sh, &err), TP_OK);
    CU_ASSERT_EQUAL(sh.found, 0);
    CU_ASSERT_EQUAL(sh.at, 0);
    /* the growth fit brings days 0..13 to the new level: x 2, from 6 days before the last;
     * a day before the shift is divided by the fit's trend at it and the old level (1/2) */
    tp_growth g;
    CU_ASSERT_EQUAL_FATAL(tp_project_growth_fit(day, y, 21, day[20], &g, &err), TP_OK);
    CU_ASSERT_EQUAL(g.shifted, 1);
    ASSERT_NEAR(g.shift_factor, 2.0, 1e-9);
    ASSERT_NEAR(g.shift_days_from_end, -6.0, 0);
    CU_ASSERT(g.level_se >= 0.0344560 - 1e-7);
    tp_growth g0 = g;
    g0.shifted = 0;
    ASSERT_NEAR(project_level(&g, -7), project_level(&g0, -7) * 0.5, 1e-12);
    ASSERT_NEAR(project_level(&g, -6), project_level(&g0, -6), 1e-12);
    /* the adjusted days are fitted: flat but for e, no trend worth keeping */
    CU_ASSERT(fabs(g.rate_fitted) < 0.05);
    CU_ASSERT_EQUAL_FATAL(tp_project_growth_fit(day, flat, 21, day[20], &g, &err), TP_OK);
    CU_ASSERT_EQUAL(g.shifted, 0);
    ASSERT_NEAR(g.shift_factor, 1.0, 0);
}

/* Newey-West with AR(1) prewhitening, by hand, on the level fit of a given rate (0%): 7
 * consecutive days (under 14: an intercept only, X = 1, A = (X'X)^-1 = 1/7) whose log totals
 * about ln 1e6 are 0, 0.1, 0, -0.1, 0, 0.1, -0.1 (mean 0: the residuals e are these).
 * rho: the log days about their weekday means, each weekday once, are all 0: rho = 0.
 * eta_t = e_t for t = 1..6: 0.1, 0, -0.1, 0, 0.1, -0.1; its lag-1 autocorrelation
 * (0.1 x 0 + 0 x -0.1 + -0.1 x 0 + 0 x 0.1 + 0.1 x -0.1) / 0.04 = -0.25, Andrews' alpha =
 * 4 x 0.0625 / (1.25^2 x 0.75^2) = 0.284444, lag floor(1.1447 x (0.284444 x 6)^(1/3)) =
 * floor(1.368) = 1. S_eta = 0.04 + (1 - 1/2) x 2 x (-0.01) = 0.03; S = 0.03 x 7/6 / (1 - 0)^2
 * = 0.035; V = A S A x n / (n - p) = 0.035 / 49 x 7/6 = 0.000833333: the level's standard
 * error sqrt(V) = 0.0288675 (log scale), the given rate's 2% as given. */
static void test_newey_west_hand(void)
{
    int64_t day[7];
    double y[7];
    const double v[7] = {0, 0.1, 0, -0.1, 0, 0.1, -0.1};
    for (int d = 0; d < 7; d++)
        day[d] = 20000 + d, y[d] = 1e6 * exp(v[d]);
    tp_growth g;
    tp_error err;
    CU_ASSERT_EQUAL(project_hac_lag(-0.25, 6), 1);
    CU_ASSERT_EQUAL_FATAL(tp_project_growth_given(day, y, 7, day[6], 0.0, 0.02, &g, &err),
                          TP_OK);
    CU_ASSERT_EQUAL(g.form, TP_GROWTH_GIVEN);
    CU_ASSERT_EQUAL(g.shifted, 0); /* a given rate: no shift searched */
    ASSERT_NEAR(g.shift_factor, 1.0, 0);
    ASSERT_NEAR(g.se, 0.02, 1e-15);
    ASSERT_NEAR(g.level_se, sqrt(0.035 / 49 * 7 / 6), 1e-12);
    ASSERT_NEAR(g.level_se, 0.0288675, 1e-7);
    CU_ASSERT_EQUAL(g.warn, 0);
    /* the same days with a given growth: the level keeps its uncertainty in the samples */
    hist h = hist_new(20000, 7);
    for (size_t t = 0; t < h.d.minutes; t++)
        h.b[t] = y[t / DAY] / 1440;
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 1, o.samples = 200, o.seed = 3;
    o.has_growth = 1, o.has_growth_sd = 1; /* 0% +/- 0 */
    tp_projection *p = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    ASSERT_NEAR(p->models[0].growth.level_se, 0.0288675, 1e-7);
    /* the band is not the days' alone: with a level error, P10 < P90 */
    CU_ASSERT(cell(p, 0, 0, TP_PROJECT_ON_DEMAND)->q[0].cost_usd <
              cell(p, 0, 0, TP_PROJECT_ON_DEMAND)->q[2].cost_usd);
    tp_project_free(p);
    free(h.b);
}

/* The current month comes first: days A (2026-10-13, 1000 input TPM, 4.32 USD) and B (10-14,
 * 3000, 12.96), no growth, no --start: October, its days to the 14th observed (A and B as
 * they were on the 13th and 14th; the 1st to 12th and 15th to 31st, 29 days, drawn). Seed 42,
 * 5 samples, each stream: two normals (growth, level), then one uniform per day of October;
 * the 29 drawn days take A on 15, 15, 16, 19 and 14 (a separate implementation of the
 * generators; the days 13 and 14 skipped), so a sample costs 4.32 + 12.96 + 29 x 12.96 -
 * 8.64 k = 393.12 - 8.64 k: 263.52, 263.52, 254.88, 228.96, 272.16. Sorted 228.96, 254.88,
 * 263.52, 263.52, 272.16: P10 228.96 + 0.4 x 25.92 = 239.328, P50 263.52, P90 263.52 + 0.6 x
 * 8.64 = 268.704. */
static void test_current_month(void)
{
    hist h = hist_new(unix_day("2026-10-13T00:00:00Z"), 2);
    for (size_t t = 0; t < DAY; t++) {
        h.b[t] = 1000;
        h.b[DAY + t] = 3000;
    }
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 2;
    o.has_growth = 1, o.has_growth_sd = 1;
    o.samples = 5;
    o.seed = 42;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    CU_ASSERT_EQUAL(p->months[0].month, 10);
    CU_ASSERT_EQUAL(p->months[0].days, 31);
    CU_ASSERT_EQUAL(p->months[0].observed_days, 14);
    CU_ASSERT_EQUAL(p->months[1].observed_days, 0);
    const tp_project_cell *c = cell(p, 0, 0, TP_PROJECT_ON_DEMAND);
    ASSERT_NEAR(c->q[0].cost_usd, 239.328, 1e-9);
    ASSERT_NEAR(c->q[1].cost_usd, 263.52, 1e-9);
    ASSERT_NEAR(c->q[2].cost_usd, 268.704, 1e-9);
    /* the text marks the month and says what is observed */
    char *txt = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_report_project(p, TP_FORMAT_TEXT, &txt, &err), TP_OK);
    ASSERT_CONTAINS(txt, "\n2026-10*   31 ");
    ASSERT_CONTAINS(txt, "2026-10 is the current month: its days to 2026-10-14 are observed");
    free(txt);
    tp_project_free(p);
    free(h.b);
}

/* Totals over the horizon are quantiles of each sample's sum. Constant history (as
 * test_constant_history): on demand 1814.40 + 2008.80 + 1944.00 = 5767.20 at every quantile,
 * recommended 3 x 1314.00 = 3942.00. Two-day bootstrap (as test_fleet_sums_samples, one month):
 * each model's total is its month, the fleet's 483.84 where the models' P10s add to 459.648. */
static void test_totals(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 28);
    for (size_t t = 0; t < h.d.minutes; t++) {
        h.b[t] = 10000;
        h.b[h.d.minutes + t] = 1000;
    }
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 3;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1, o.has_growth_sd = 1;
    o.samples = 50;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    for (int q = 0; q < 3; q++) {
        ASSERT_NEAR(p->models[0].totals[TP_PROJECT_ON_DEMAND].q[q].cost_usd, 5767.20, 1e-6);
        ASSERT_NEAR(p->models[0].totals[TP_PROJECT_RECOMMENDED].q[q].cost_usd, 3942.00, 1e-6);
        ASSERT_NEAR(p->models[0].totals[TP_PROJECT_RECOMMENDED].q[q].reserved_usd, 3942.00,
                    1e-6);
        ASSERT_NEAR(p->fleet_totals[TP_PROJECT_ON_DEMAND].q[q].cost_usd, 5767.20, 1e-6);
    }
    CU_ASSERT_FALSE(p->models[0].totals[TP_PROJECT_HELD].has);
    /* every format carries them */
    const tp_format fmts[4] = {TP_FORMAT_JSON, TP_FORMAT_CSV, TP_FORMAT_MARKDOWN, TP_FORMAT_HTML};
    const char *want[4] = {"\"totals\":", "\"model\",\"m\",total,89,0,on_demand,p50,5767.2",
                           "| total | 89 | on_demand | $5,767.20 |", "<td>total</td><td>89</td>"};
    for (int f = 0; f < 4; f++) {
        char *out = NULL;
        CU_ASSERT_EQUAL_FATAL(tp_report_project(p, fmts[f], &out, &err), TP_OK);
        ASSERT_CONTAINS(out, want[f]);
        free(out);
    }
    tp_project_free(p);
    free(h.b);
    hist x = hist_new(unix_day("2026-10-05T00:00:00Z"), 2),
         y = hist_new(unix_day("2026-10-05T00:00:00Z"), 2);
    for (size_t t = 0; t < DAY; t++) {
        x.b[t] = 1000, x.b[DAY + t] = 3000;
        y.b[t] = 3000, y.b[DAY + t] = 1000;
    }
    tp_project_input two[2] = {{"x", x.d, base_price(2), no_tiers},
                               {"y", y.d, base_price(2), no_tiers}};
    o.months = 1, o.samples = 5, o.seed = 42;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(two, 2, &o, &p, &err), TP_OK);
    ASSERT_NEAR(p->models[0].totals[TP_PROJECT_ON_DEMAND].q[0].cost_usd, 214.272, 1e-9);
    ASSERT_NEAR(p->models[1].totals[TP_PROJECT_ON_DEMAND].q[0].cost_usd, 245.376, 1e-9);
    for (int q = 0; q < 3; q++)
        ASSERT_NEAR(p->fleet_totals[TP_PROJECT_ON_DEMAND].q[q].cost_usd, 483.84, 1e-9);
    tp_project_free(p);
    free(x.b);
    free(y.b);
}

/* The horizon never changes earlier months: with 3-month terms, the term starting in the
 * seventh month is sized on its whole three months at --months 7 (two of them beyond the
 * horizon, shown as committed there) and at --months 9, so its reservation and every month
 * the two share are identical. Its commitment beyond: 2 months x (Ri / 1000 x 0.12 + Ro /
 * 1000 x 0.60) x 730 x 0.9. */
static void test_horizon_term(void)
{
    hist h = hist_new(unix_day("2026-08-03T00:00:00Z"), 56);
    for (size_t t = 0; t < h.d.minutes; t++) {
        const size_t day = t / DAY;
        h.b[t] = 20000 + 300.0 * (double)day + 4000.0 * (double)((day * 7) % 5) +
                 3000.0 * (double)((t % DAY) / 60 % 4);
        h.b[h.d.minutes + t] = 2000 + (double)(t % 97);
    }
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.samples = 40;
    o.seed = 5;
    o.rec.term_months = 3;
    o.has_start = 1, o.start_year = 2026, o.start_month = 10;
    tp_projection *p7 = NULL, *p9 = NULL;
    tp_error err;
    o.months = 7;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p7, &err), TP_OK);
    o.months = 9;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p9, &err), TP_OK);
    for (size_t m = 0; m < 7; m++)
        for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
            const tp_project_cell *a = cell(p7, 0, m, pl), *b = cell(p9, 0, m, pl);
            CU_ASSERT_EQUAL(a->reserve_input_tpm, b->reserve_input_tpm);
            CU_ASSERT_EQUAL(a->reserve_output_tpm, b->reserve_output_tpm);
            for (int q = 0; q < 3; q++)
                CU_ASSERT_EQUAL(a->q[q].cost_usd, b->q[q].cost_usd);
        }
    const tp_project_cell *r = cell(p7, 0, 6, TP_PROJECT_RECOMMENDED);
    CU_ASSERT(r->reserve_input_tpm > 0);
    CU_ASSERT(r->term_start && !r->term_end);
    CU_ASSERT_EQUAL(p7->models[0].beyond_months, 2);
    CU_ASSERT_EQUAL(p9->models[0].beyond_months, 0);
    ASSERT_NEAR(p7->models[0].beyond_reserved_usd,
                2 * (r->reserve_input_tpm / 1000 * 0.12 + r->reserve_output_tpm / 1000 * 0.60) *
                    730 * 0.9,
                1e-6);
    char *js = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_report_project(p7, TP_FORMAT_JSON, &js, &err), TP_OK);
    ASSERT_CONTAINS(js, "\"committed_beyond_horizon\":\t{\n\t\t\t\t\"months\":\t2,");
    free(js);
    tp_project_free(p7);
    tp_project_free(p9);
    free(h.b);
}

/* A fit on fewer than 28 days warns, in text and JSON growth.warning, with the rate, its
 * standard error and how to give a rate; a given rate never warns. */
static void test_growth_warning(void)
{
    hist h = hist_new(unix_day("2026-09-01T00:00:00Z"), 14);
    for (size_t t = 0; t < h.d.minutes; t++)
        h.b[t] = 1000 + 60.0 * (double)(t / DAY) + 300.0 * (double)((t / DAY * 7) % 5);
    tp_project_input in = {"m", h.d, base_price(2), no_tiers};
    tp_project_options o = {0};
    o.months = 1, o.samples = 20;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    CU_ASSERT(p->models[0].growth.warn & TP_GROWTH_WARN_SHORT);
    char *js = NULL, *txt = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_report_project(p, TP_FORMAT_JSON, &js, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_report_project(p, TP_FORMAT_TEXT, &txt, &err), TP_OK);
    ASSERT_CONTAINS(js, "\"warning\":\t\"fitted growth ");
    ASSERT_CONTAINS(js, "from fewer than 28 days");
    ASSERT_CONTAINS(js, "weak evidence; give a rate with --growth-pct-per-month R (and "
                        "--growth-sd-pct S)");
    ASSERT_CONTAINS(txt, "warning: fitted growth ");
    free(js);
    free(txt);
    tp_project_free(p);
    o.has_growth = 1, o.growth_pct_per_month = 3;
    CU_ASSERT_EQUAL_FATAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    CU_ASSERT_EQUAL(p->models[0].growth.warn, 0);
    ASSERT_NEAR(p->models[0].growth.se, TP_GROWTH_DEFAULT_SD_PCT / 100, 1e-15);
    CU_ASSERT_EQUAL_FATAL(tp_report_project(p, TP_FORMAT_JSON, &js, &err), TP_OK);
    ASSERT_CONTAINS(js, "\"warning\":\tnull");
    free(js);
    tp_project_free(p);
    free(h.b);
}

/* The bootstrap's blocks (docs/model.md, "The bootstrap"): 21 days of history from a Monday,
 * day 10 dropped (not whole); projected from the history's day 14 on (its last 7 days are in
 * the projection: observed, themselves at scale 1), 42 days. Every drawn day keeps its
 * weekday; inside a block of 14 (counted from the first projected day) a day is the block's
 * first day plus its offset (a week back past the end), or, where that is the hole (day 10,
 * never drawn), a day of its weekday drawn alone. */
static void test_blocks(void)
{
    const int64_t first = unix_day("2026-09-07T00:00:00Z"); /* a Monday */
    hist h = hist_new(first, 21);
    for (size_t t = 0; t < h.d.minutes; t++)
        h.b[t] = 1000 + (double)(t / DAY);
    unsigned char used[21];
    memset(used, 1, sizeof used);
    used[10] = 0;
    proj_hist ph;
    proj_draws dr;
    proj_path pp = {0};
    tp_error err;
    const tp_model_price price = base_price(1);
    tp_growth g;
    memset(&g, 0, sizeof g);
    g.form = TP_GROWTH_GIVEN;
    CU_ASSERT_EQUAL_FATAL(proj_hist_init(&ph, &h.d, NULL, used, &price, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(proj_draws_make(&dr, 30, first + 14, 42, 11, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(proj_path_make(&pp, &ph, &dr, &g, &err), TP_OK);
    CU_ASSERT(ph.weekly);
    int follows = 0;
    for (size_t s = 0; s < 30; s++)
        for (size_t k = 0; k < 42; k++) {
            const size_t at = s * 42 + k, hd = pp.day[at];
            const int64_t D = first + 14 + (int64_t)k;
            CU_ASSERT_EQUAL(project_weekday(first + (int64_t)hd), project_weekday(D));
            CU_ASSERT(used[hd]);
            if (k < 7) { /* observed */
                CU_ASSERT_EQUAL(hd, 14 + k);
                CU_ASSERT_EQUAL(pp.scale[at], 1.0);
                continue;
            }
            if (k < 14)
                continue; /* the first block began on an observed day */
            /* blocks at k = 14 and 28: the day is its start's + its offset, a week back past
             * the end, or (day 10, the hole) drawn alone */
            size_t want = pp.day[s * 42 + k - k % 14] + k % 14;
            while (want >= 21)
                want -= 7;
            if (want != 10) {
                CU_ASSERT_EQUAL(hd, want);
                follows += hd == want;
            }
        }
    CU_ASSERT(follows > 24 * 30); /* most of 28 days a sample: a test that checks */
    proj_path_free(&pp);
    proj_draws_free(&dr);
    proj_hist_free(&ph);
    free(h.b);
}

/* A model sold in units (docs/model.md, "Projection of a model sold in units"), worked by hand.
 * Units of 100 weighted TPM, minimum 1, step 1, output weight 4; hourly $1 and 1 month $0.002
 * a unit-hour; on demand input $3 and output $15 per million. One history day (2026-10-05):
 * minutes 0..1379 100 input tokens (weighing 100), the last hour 100 input + 50 output
 * (weighing 100 + 50 x 4 = 300). A day on demand: 1440 x 100 x 3/1e6 + 60 x 50 x 15/1e6 =
 * 0.432 + 0.045 = 0.477 USD; 147,000 tokens. No growth, no uncertainty, one day: every sample
 * is that day, the band has zero width.
 * n units hold C = 100 n: in each peak minute the share (300 - C) / 300 of every kind spills,
 * of (100 x 3 + 50 x 15)/1e6 = 0.00105 USD and 150 tokens: n = 1 spills 2/3, 0.042 USD and
 * 6,000 tokens a day; n = 2 1/3, 0.021 and 3,000; n = 3 nothing. On the 1 month term a unit
 * bills 0.002 x 730 = 1.46 USD a calendar month whatever its days ("Terms and billed hours").
 * February 2027 (28 days): n = 0 13.356, n = 1 1.46 + 1.176 = 2.636, n = 2 2.92 + 0.588 =
 * 3.508, n = 3 4.38: 1 unit (hourly: 0 units, 13.356 on demand; the month's term is chosen).
 * March (31 days): n = 1 1.46 + 1.302 = 2.762 against n = 2 2.92 + 0.651: 1 unit again.
 * Tokens: February 28 x 147,000 = 4,116,000, 168,000 spilled; March 4,557,000, 186,000.
 * On demand 28 x 0.477 = 13.356 and 31 x 0.477 = 14.787. Total recommended 5.398. */
static tp_model_price units_price(void)
{
    tp_model_price p = base_price(1);
    p.provider = TP_PROVIDER_AZURE_PTU;
    p.reserved_input_per_1k_tpm_hour_usd = p.reserved_output_per_1k_tpm_hour_usd = -1;
    p.n_terms = 0;
    snprintf(p.unit.name, sizeof p.unit.name, "PTU");
    p.unit.capacity_tpm_per_unit = 100;
    p.unit.output_weight = 4;
    p.unit.cache_read_weight = 0;
    p.unit.cache_write_weight = 1;
    p.unit.minimum_units = 1;
    p.unit.step_units = 1;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        p.unit.per_unit_hour_usd[t] = -1;
    p.unit.per_unit_hour_usd[TP_UNIT_HOURLY] = 1;
    p.unit.per_unit_hour_usd[TP_UNIT_1_MONTH] = 0.002;
    return p;
}

static tp_projection *units_run(const tp_model_price *price, int months, hist *h)
{
    *h = hist_new(unix_day("2026-10-05T00:00:00Z"), 1);
    for (size_t t = 0; t < DAY; t++) {
        h->b[t] = 100;
        h->b[h->d.minutes + t] = t >= 1380 ? 50 : 0;
    }
    tp_project_input in = {"u", h->d, *price, no_tiers};
    tp_project_options o = {0};
    o.months = months;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1;    /* 0% per month */
    o.has_growth_sd = 1; /* no uncertainty */
    o.samples = 20;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    return p;
}

static void test_units_by_hand(void)
{
    hist h;
    const tp_model_price price = units_price();
    tp_projection *p = units_run(&price, 2, &h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    const tp_project_model *m = &p->models[0];
    CU_ASSERT_EQUAL(m->unit_term, TP_UNIT_1_MONTH);
    CU_ASSERT_EQUAL(m->term_months, 1);
    CU_ASSERT_EQUAL(m->beyond_months, 0);
    CU_ASSERT_FALSE(m->has_held);
    const double od[2] = {13.356, 14.787}, res[2] = {1.46, 1.46}, spill[2] = {1.176, 1.302};
    const double tok[2] = {4116000, 4557000}, over[2] = {168000, 186000};
    for (size_t mo = 0; mo < 2; mo++) {
        const tp_project_cell *r = cell(p, 0, mo, TP_PROJECT_RECOMMENDED);
        CU_ASSERT(r->has && r->term_start && r->term_end);
        CU_ASSERT_EQUAL(r->units, 1);
        ASSERT_NEAR(r->reserve_input_tpm + r->reserve_output_tpm, 0, 0);
        for (int q = 0; q < 3; q++) {
            ASSERT_NEAR(cell(p, 0, mo, TP_PROJECT_ON_DEMAND)->q[q].cost_usd, od[mo], 1e-9);
            ASSERT_NEAR(r->q[q].reserved_usd, res[mo], 1e-9);
            ASSERT_NEAR(r->q[q].on_demand_usd, spill[mo], 1e-9);
            ASSERT_NEAR(r->q[q].cost_usd, res[mo] + spill[mo], 1e-9);
            ASSERT_NEAR(r->q[q].tokens, tok[mo], 1e-6);
            ASSERT_NEAR(r->q[q].on_demand_tokens, over[mo], 1e-6);
            ASSERT_NEAR(r->q[q].reserved_tokens, tok[mo] - over[mo], 1e-6);
            ASSERT_NEAR(r->q[q].throttled_tokens, 0, 0);
        }
        CU_ASSERT_EQUAL(r->routed_tiers, 0);
        CU_ASSERT_FALSE(cell(p, 0, mo, TP_PROJECT_HELD)->has);
    }
    ASSERT_NEAR(m->totals[TP_PROJECT_RECOMMENDED].q[1].cost_usd, 5.398, 1e-9);
    ASSERT_NEAR(p->fleet_totals[TP_PROJECT_RECOMMENDED].q[1].cost_usd, 5.398, 1e-9);
    tp_project_free(p);
    free(h.b);
}

/* The same history on a 1-year term at 0.0015 a unit-hour: February 1 unit costs 0.0015 x 730
 * = 1.095 + 1.176 = 2.271 < 2.636 on the month: the year is chosen. Sized on the P50 path of
 * its 12 months (February 2027 .. January 2028, 365 days): n = 1 13.14 + 365 x 0.042 = 28.47,
 * n = 2 26.28 + 7.665 = 33.945, n = 0 365 x 0.477 = 174.105: 1 unit. Two months shown, ten
 * committed beyond: 10 x 1.095 = 10.95 USD. March 1.095 + 1.302 = 2.397.
 * Throttled instead (service level 1: everything served) on the month: 3 units cover the
 * peak, 3 x 1.46 = 4.38 a month, no token on demand or throttled. */
static void test_units_year_and_throttle(void)
{
    hist h;
    tp_model_price price = units_price();
    price.unit.per_unit_hour_usd[TP_UNIT_1_YEAR] = 0.0015;
    tp_projection *p = units_run(&price, 2, &h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    const tp_project_model *m = &p->models[0];
    CU_ASSERT_EQUAL(m->unit_term, TP_UNIT_1_YEAR);
    CU_ASSERT_EQUAL(m->term_months, 12);
    CU_ASSERT_EQUAL(m->beyond_months, 10);
    CU_ASSERT_EQUAL(m->beyond_units, 1);
    ASSERT_NEAR(m->beyond_reserved_usd, 10.95, 1e-9);
    const tp_project_cell *feb = cell(p, 0, 0, TP_PROJECT_RECOMMENDED);
    const tp_project_cell *mar = cell(p, 0, 1, TP_PROJECT_RECOMMENDED);
    CU_ASSERT(feb->term_start && !feb->term_end && !mar->term_start && !mar->term_end);
    CU_ASSERT_EQUAL(mar->units, 1);
    ASSERT_NEAR(feb->q[1].cost_usd, 2.271, 1e-9);
    ASSERT_NEAR(mar->q[1].cost_usd, 2.397, 1e-9);
    tp_project_free(p);
    free(h.b);

    price = units_price();
    price.unit.throttle = 1;
    p = units_run(&price, 1, &h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    feb = cell(p, 0, 0, TP_PROJECT_RECOMMENDED);
    CU_ASSERT_EQUAL(feb->units, 3);
    ASSERT_NEAR(feb->q[1].cost_usd, 4.38, 1e-9);
    ASSERT_NEAR(feb->q[1].on_demand_tokens + feb->q[1].throttled_tokens, 0, 1e-9);
    tp_project_free(p);
    free(h.b);
}

/* The index's overflow of a scaled day equals tp_units_eval's on the day materialised and
 * scaled (docs/model.md, "Projection of a model sold in units"): three days of varied minutes
 * (every token kind, idle minutes), a per-second entry's burst 1.5, scales 0 .. 2.5 and
 * capacities from none to above the peak, agreeing to 1e-9 relative. */
static void test_units_index_exact(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 3);
    const size_t n = h.d.minutes;
    for (size_t t = 0; t < n; t++) {
        const double x = (double)((t * 7919) % 1009) / 1009.0; /* a fixed scramble in [0, 1) */
        if (t % 13 == 0)
            continue; /* idle */
        h.b[t] = 1000 + 9000 * x;
        h.b[n + t] = 300 * (1 - x) + (t % 60 == 0 ? 2000 : 0);
        h.b[2 * n + t] = 500 * x * x;
        h.b[3 * n + t] = t % 5 == 0 ? 100 : 0;
    }
    tp_model_price p = units_price();
    p.unit.cache_read_weight = 0.1;
    p.unit.per_second = 1;
    p.unit.capacity_tpm_per_unit = 1000;
    proj_units_index *ix = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(proj_units_index_new(&h.d, 3, &p, 1.5, &ix, &err), TP_OK);
    double *day = malloc(4 * DAY * sizeof *day);
    CU_ASSERT_PTR_NOT_NULL_FATAL(day);
    tp_units_options uo = {0};
    uo.term = TP_UNIT_HOURLY;
    uo.burst_factor = 1.5;
    const double scales[4] = {0, 0.3, 1, 2.5};
    const int64_t units[4] = {0, 3, 12, 100};
    for (size_t k = 0; k < 3; k++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) {
                for (int q = 0; q < 4; q++)
                    for (size_t m = 0; m < DAY; m++)
                        day[q * DAY + m] = scales[a] * h.b[q * n + k * DAY + m];
                const tp_demand d = {day, day + DAY, day + 2 * DAY, day + 3 * DAY, DAY,
                                     h.d.from_minute + (int64_t)(k * DAY)};
                tp_units_result r;
                CU_ASSERT_EQUAL_FATAL(tp_units_eval(&d, &p, &uo, units[b], &r, &err), TP_OK);
                double usd, tok;
                proj_units_day(ix, k, scales[a], (double)units[b] * 1000, &usd, &tok);
                const double over = r.over_tokens[0] + r.over_tokens[1] + r.over_tokens[2] +
                                    r.over_tokens[3];
                ASSERT_NEAR(usd, r.spill_usd, 1e-9 * fmax(1, r.spill_usd));
                ASSERT_NEAR(tok, over, 1e-9 * fmax(1, over));
                if (a == 3 && b == 1)
                    CU_ASSERT(r.spill_usd > 0 && over > 0); /* the case is not trivial */
            }
    free(day);
    proj_units_index_free(ix);
    free(h.b);
}

/* A held reservation in TPM does not apply to a model sold in units: a usage error. */
static void test_units_held_refused(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 1);
    for (size_t t = 0; t < DAY; t++)
        h.b[t] = 100;
    tp_project_input in = {"u", h.d, units_price(), no_tiers};
    tp_project_options o = {0};
    o.months = 1;
    o.has_growth = 1;
    o.samples = 5;
    o.has_held = 1;
    o.held_input_tpm = 100;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_project_demand(&in, 1, &o, &p, &err), TP_ERR_USAGE);
    /* named once: "model u: sold in units ..." (was "model u: model "u" is sold ...") */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "model u: sold in units (azure-ptu)"));
    CU_ASSERT_PTR_NULL(p);
    free(h.b);
}

/* Two pools (openai-scale; docs/model.md, "Projection of two pools"), worked by hand. Input
 * units of 100 TPM (cache read x0.5) at $0.05 a unit-day, output units of 40 output TPM at
 * $0.02; minimum 1, step 1, at least 30 days; on demand input $3, output $15, cache read $0.3
 * per million. One history day (2026-10-05): every minute 100 input tokens; the last hour also
 * 200 cache reads and 50 output. Input pool: 100 a minute, 100 + 200 x 0.5 = 200 in the last
 * hour; output pool: 50 in the last hour. No growth, no uncertainty: every sample is the day.
 * Input pool, a day: 0 units spill it all, 1,440 x 100 x 3/1e6 + 60 x 200 x 0.3/1e6 = 0.4356;
 * 1 unit (100 TPM) spills half of each last-hour minute, 60 x (100 x 3 + 200 x 0.3)/1e6 / 2 =
 * 0.0108 and 9,000 tokens: 0.05 + 0.0108 = 0.0608; 2 units 0.10: 1 input unit.
 * Output pool, a day: 0 units 60 x 50 x 15/1e6 = 0.045; 1 unit (40 TPM) spills (50 - 40) / 50
 * = 1/5, 0.009 and 600 tokens: 0.02 + 0.009 = 0.029; 2 units 0.04: 1 output unit.
 * A month is billed its days: February 2027 (28 days) units (0.05 + 0.02) x 28 = 1.96, spill
 * 28 x (0.0108 + 0.009) = 0.5544, 2.5144; tokens 28 x (144,000 + 12,000 + 3,000) = 4,452,000,
 * 28 x 9,600 = 268,800 over. March (31): 2.17 + 0.6138 = 2.7838; 4,929,000 and 297,600.
 * On demand 0.4806 a day: 13.4568 and 14.8986. Total recommended 5.2982.
 * Throttled (everything served): 2 input units (200) and 2 output units (80 >= 50): February
 * (2 x 0.05 + 2 x 0.02) x 28 = 3.92, nothing throttled. */
static tp_model_price pools_price(void)
{
    tp_model_price p = base_price(1);
    p.provider = TP_PROVIDER_OPENAI_SCALE;
    p.reserved_input_per_1k_tpm_hour_usd = p.reserved_output_per_1k_tpm_hour_usd = -1;
    p.n_terms = 0;
    tp_unit_price *u = &p.unit;
    snprintf(u->name, sizeof u->name, "unit");
    u->pools = 1, u->minimum_days = 30;
    u->input_pool.capacity_tpm_per_unit = 100, u->input_pool.cache_read_weight = 0.5;
    u->input_pool.minimum_units = u->input_pool.step_units = 1;
    u->input_pool.per_unit_day_usd = 0.05;
    u->output_pool.capacity_tpm_per_unit = 40;
    u->output_pool.minimum_units = u->output_pool.step_units = 1;
    u->output_pool.per_unit_day_usd = 0.02;
    /* the one-pool fields mirror the input pool (pricing.h) */
    u->capacity_tpm_per_unit = 100, u->cache_read_weight = 0.5;
    u->minimum_units = u->step_units = 1;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        u->per_unit_hour_usd[t] = -1;
    u->per_unit_hour_usd[TP_UNIT_1_MONTH] = 0.05 / 24;
    return p;
}

static tp_projection *pools_run(const tp_model_price *price, int months, hist *h)
{
    *h = hist_new(unix_day("2026-10-05T00:00:00Z"), 1);
    const size_t n = h->d.minutes;
    for (size_t t = 0; t < DAY; t++) {
        h->b[t] = 100;
        h->b[n + t] = t >= 1380 ? 50 : 0;
        h->b[2 * n + t] = t >= 1380 ? 200 : 0;
    }
    tp_project_input in = {"s", h->d, *price, no_tiers};
    tp_project_options o = {0};
    o.months = months;
    o.has_start = 1, o.start_year = 2027, o.start_month = 2;
    o.has_growth = 1;    /* 0% per month */
    o.has_growth_sd = 1; /* no uncertainty */
    o.samples = 20;
    tp_projection *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_project_demand(&in, 1, &o, &p, &err), TP_OK);
    return p;
}

static void test_pools_by_hand(void)
{
    hist h;
    const tp_model_price price = pools_price();
    tp_projection *p = pools_run(&price, 2, &h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    const tp_project_model *m = &p->models[0];
    CU_ASSERT_EQUAL(m->unit_term, TP_UNIT_1_MONTH);
    CU_ASSERT_EQUAL(m->term_months, 1);
    CU_ASSERT_EQUAL(m->beyond_months, 0);
    const double od[2] = {13.4568, 14.8986}, res[2] = {1.96, 2.17}, spill[2] = {0.5544, 0.6138};
    const double tok[2] = {4452000, 4929000}, over[2] = {268800, 297600};
    for (size_t mo = 0; mo < 2; mo++) {
        const tp_project_cell *r = cell(p, 0, mo, TP_PROJECT_RECOMMENDED);
        CU_ASSERT(r->has && r->term_start && r->term_end);
        CU_ASSERT_EQUAL(r->units, 1);
        CU_ASSERT_EQUAL(r->output_units, 1);
        for (int q = 0; q < 3; q++) {
            ASSERT_NEAR(cell(p, 0, mo, TP_PROJECT_ON_DEMAND)->q[q].cost_usd, od[mo], 1e-9);
            ASSERT_NEAR(r->q[q].reserved_usd, res[mo], 1e-9);
            ASSERT_NEAR(r->q[q].on_demand_usd, spill[mo], 1e-9);
            ASSERT_NEAR(r->q[q].cost_usd, res[mo] + spill[mo], 1e-9);
            ASSERT_NEAR(r->q[q].tokens, tok[mo], 1e-6);
            ASSERT_NEAR(r->q[q].on_demand_tokens, over[mo], 1e-6);
            ASSERT_NEAR(r->q[q].reserved_tokens, tok[mo] - over[mo], 1e-6);
            ASSERT_NEAR(r->q[q].throttled_tokens, 0, 0);
        }
    }
    ASSERT_NEAR(m->totals[TP_PROJECT_RECOMMENDED].q[1].cost_usd, 5.2982, 1e-9);
    /* the same month materialised (28 copies of the day): tp_units_optimum's counts and
     * tp_units_eval's total */
    double *mon = calloc(4 * 28 * DAY, sizeof *mon);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mon);
    for (size_t k = 0; k < 28; k++)
        for (int q = 0; q < 4; q++)
            memcpy(mon + (size_t)q * 28 * DAY + k * DAY, h.b + (size_t)q * DAY,
                   DAY * sizeof *mon);
    const tp_demand d = {mon, mon + 28 * DAY, mon + 56 * DAY, mon + 84 * DAY, 28 * DAY,
                         unix_day("2027-02-01T00:00:00Z") * DAY};
    tp_units_options uo = {0};
    tp_units_result r;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&d, &price, &uo, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 1);
    CU_ASSERT_EQUAL(r.output_units, 1);
    ASSERT_NEAR(r.total_usd, cell(p, 0, 0, TP_PROJECT_RECOMMENDED)->q[1].cost_usd, 1e-9);
    free(mon);
    tp_project_free(p);
    free(h.b);

    tp_model_price pt = pools_price();
    pt.unit.throttle = 1;
    p = pools_run(&pt, 1, &h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    const tp_project_cell *feb = cell(p, 0, 0, TP_PROJECT_RECOMMENDED);
    CU_ASSERT_EQUAL(feb->units, 2);
    CU_ASSERT_EQUAL(feb->output_units, 2);
    ASSERT_NEAR(feb->q[1].cost_usd, 3.92, 1e-9);
    ASSERT_NEAR(feb->q[1].on_demand_tokens + feb->q[1].throttled_tokens, 0, 1e-9);
    tp_project_free(p);
    free(h.b);
}

/* Each pool's index prices a scaled day as tp_units_eval prices that pool on the day
 * materialised and scaled: three days of varied minutes (every token kind, idle minutes),
 * scales 0 .. 2.5, counts from none to above the peak in either pool, to 1e-9 relative. */
static void test_pools_index_exact(void)
{
    hist h = hist_new(unix_day("2026-10-05T00:00:00Z"), 3);
    const size_t n = h.d.minutes;
    for (size_t t = 0; t < n; t++) {
        const double x = (double)((t * 7919) % 1009) / 1009.0;
        if (t % 13 == 0)
            continue; /* idle */
        h.b[t] = 1000 + 9000 * x;
        h.b[n + t] = 300 * (1 - x) + (t % 60 == 0 ? 2000 : 0);
        h.b[2 * n + t] = 500 * x * x;
        h.b[3 * n + t] = t % 5 == 0 ? 100 : 0;
    }
    tp_model_price p = pools_price();
    p.unit.input_pool.cache_read_weight = 0.25, p.unit.input_pool.cache_write_weight = 1;
    p.unit.input_pool.capacity_tpm_per_unit = 1000;
    p.unit.output_pool.capacity_tpm_per_unit = 100;
    proj_units_index *ix[2] = {NULL, NULL};
    tp_error err;
    for (int q = 0; q < 2; q++)
        CU_ASSERT_EQUAL_FATAL(proj_units_pool_index_new(&h.d, 3, &p, q, 1, &ix[q], &err), TP_OK);
    double *day = malloc(4 * DAY * sizeof *day);
    CU_ASSERT_PTR_NOT_NULL_FATAL(day);
    const double scales[4] = {0, 0.3, 1, 2.5};
    const int64_t units[4] = {0, 3, 12, 100};
    int nontrivial = 0;
    for (size_t k = 0; k < 3; k++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) {
                for (int q = 0; q < 4; q++)
                    for (size_t m = 0; m < DAY; m++)
                        day[q * DAY + m] = scales[a] * h.b[q * n + k * DAY + m];
                const tp_demand d = {day, day + DAY, day + 2 * DAY, day + 3 * DAY, DAY,
                                     h.d.from_minute + (int64_t)(k * DAY)};
                tp_units_options uo = {0};
                tp_units_result r;
                uo.output_units = units[3 - b];
                CU_ASSERT_EQUAL_FATAL(tp_units_eval(&d, &p, &uo, units[b], &r, &err), TP_OK);
                double usd[2], tok[2];
                proj_units_day(ix[0], k, scales[a], (double)units[b] * 1000, &usd[0], &tok[0]);
                proj_units_day(ix[1], k, scales[a], (double)units[3 - b] * 100, &usd[1],
                               &tok[1]);
                const double over_in = r.over_tokens[TP_METRIC_INPUT] +
                                       r.over_tokens[TP_METRIC_CACHE_READ] +
                                       r.over_tokens[TP_METRIC_CACHE_WRITE];
                const double over_out = r.over_tokens[TP_METRIC_OUTPUT];
                ASSERT_NEAR(usd[0], r.input_spill_usd, 1e-9 * fmax(1, r.input_spill_usd));
                ASSERT_NEAR(usd[1], r.output_spill_usd, 1e-9 * fmax(1, r.output_spill_usd));
                ASSERT_NEAR(tok[0], over_in, 1e-9 * fmax(1, over_in));
                ASSERT_NEAR(tok[1], over_out, 1e-9 * fmax(1, over_out));
                nontrivial += r.input_spill_usd > 0 && r.output_spill_usd > 0;
            }
    CU_ASSERT(nontrivial > 0); /* some cases overflow both pools */
    free(day);
    for (int q = 0; q < 2; q++)
        proj_units_index_free(ix[q]);
    free(h.b);
}

void register_tests(void);
void register_tests(void)
{
    CU_pSuite s = CU_add_suite("project", NULL, NULL);
    ADD(s, test_constant_history);
    ADD(s, test_term_end);
    ADD(s, test_billed_month);
    ADD(s, test_linear_fit);
    ADD(s, test_compound_fit);
    ADD(s, test_fit_too_few_days);
    ADD(s, test_given_vs_fitted);
    ADD(s, test_two_day_bootstrap);
    ADD(s, test_horizon_independent);
    ADD(s, test_fleet_sums_samples);
    ADD(s, test_worker_reuse);
    ADD(s, test_exact_spill);
    ADD(s, test_term_pick);
    ADD(s, test_quota);
    ADD(s, test_usage);
    ADD(s, test_tiers);
    ADD(s, test_tiers_default_only);
    ADD(s, test_shrink);
    ADD(s, test_newey_west_hand);
    ADD(s, test_level_shift);
    ADD(s, test_current_month);
    ADD(s, test_totals);
    ADD(s, test_horizon_term);
    ADD(s, test_growth_warning);
    ADD(s, test_blocks);
    ADD(s, test_units_by_hand);
    ADD(s, test_units_year_and_throttle);
    ADD(s, test_units_held_refused);
    ADD(s, test_units_index_exact);
    ADD(s, test_pools_by_hand);
    ADD(s, test_pools_index_exact);
}
