/* test_report_fleet.c - the fleet: plan files, the cost curve the HTML chart draws (through the
 * recommender's own costs), fleet totals as rates, models without data. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fleet/fleet_internal.h"
#include "fleet/fleet_windows.h"
#include "test_fixtures.h"
#include "tierplan/tierplan.h"

void register_tests(void);

#define NEAR(a, b) CU_ASSERT(fabs((a) - (b)) <= 1e-9 * (1 + fabs(b)))

static tp_status parse(const char *json, tp_plan_file **p, tp_error *err)
{
    return tp_plan_file_parse("plan.json", json, strlen(json), p, err);
}

/* A model's keys win over "default" one by one; unknown keys and bad values are named. */
static void test_plan_parse(void)
{
    tp_plan_file *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(parse("{\"default\":{\"term_months\":3,\"max_spill_minutes_pct\":5},"
                                "\"models\":{\"a\":{\"term_months\":6,\"reserve_input_tpm\":1000,"
                                "\"growth_pct_per_month\":-2.5}}}",
                                &p, &err),
                          TP_OK);
    tp_plan_entry a = tp_plan_file_entry(p, "a"), b = tp_plan_file_entry(p, "b");
    CU_ASSERT(a.has_term_months && a.term_months == 6);
    CU_ASSERT(a.has_max_spill_minutes_pct && a.max_spill_minutes_pct == 5);
    CU_ASSERT(a.has_reserve_input_tpm && a.reserve_input_tpm == 1000);
    CU_ASSERT(!a.has_reserve_output_tpm);
    CU_ASSERT(a.has_growth_pct_per_month && a.growth_pct_per_month == -2.5);
    CU_ASSERT(b.has_term_months && b.term_months == 3 && !b.has_reserve_input_tpm);
    tp_plan_file_free(p);
    tp_plan_entry none = tp_plan_file_entry(NULL, "a");
    CU_ASSERT(!none.has_term_months && !none.has_growth_pct_per_month);

    CU_ASSERT_EQUAL(parse("{\"models\":{\"a\":{\"reserve_input\":1}}}", &p, &err),
                    TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "plan.json: $.models[\"a\"]: unknown key "
                                               "\"reserve_input\""));
    CU_ASSERT_EQUAL(parse("{\"defaults\":{}}", &p, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "unknown key \"defaults\""));
    CU_ASSERT_EQUAL(parse("{\"default\":{\"max_spill_minutes_pct\":101}}", &p, &err),
                    TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "$.default.max_spill_minutes_pct"));
    CU_ASSERT_EQUAL(parse("{\"default\":{\"reserve_output_tpm\":\"5\"}}", &p, &err),
                    TP_ERR_INVALID);
    CU_ASSERT_EQUAL(parse("{\"default\":{\"growth_pct_per_month\":-100}}", &p, &err),
                    TP_ERR_INVALID);
    CU_ASSERT_EQUAL(parse("{\"models\":{\"a\":{},\"a\":{}}}", &p, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "given twice"));
    CU_ASSERT_EQUAL(parse("[1]", &p, &err), TP_ERR_INVALID);
    CU_ASSERT_EQUAL(parse("{", &p, &err), TP_ERR_PARSE);
    CU_ASSERT_PTR_NULL(p);
}

/* A member named twice is refused at every level, naming the file and the duplicate's JSON path:
 * "models" twice read a second list over the first (a NULL strcmp, a crash, and the first list
 * leaked). An object of more than 32 members takes the sorted check (cnum_json_duplicate). */
static void test_plan_duplicates(void)
{
    static const struct {
        const char *json, *message;
    } cases[] = {
        {"{\"models\":{\"a\":{}},\"models\":{\"b\":{}}}", "plan.json: $.models: given twice"},
        {"{\"models\":{},\"default\":{},\"models\":[]}", "plan.json: $.models: given twice"},
        {"{\"default\":{},\"default\":{}}", "plan.json: $.default: given twice"},
        {"{\"default\":{\"term_months\":3,\"term_months\":6}}",
         "plan.json: $.default.term_months: given twice"},
        {"{\"models\":{\"a\":{},\"b\":{},\"a\":{}}}", "plan.json: $.models[\"a\"]: given twice"},
        {"{\"models\":{\"a\":{\"reserve_input_tpm\":1,\"reserve_input_tpm\":2}}}",
         "plan.json: $.models[\"a\"].reserve_input_tpm: given twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tp_plan_file *p = NULL;
        tp_error err;
        CU_ASSERT_EQUAL(parse(cases[i].json, &p, &err), TP_ERR_INVALID);
        CU_ASSERT_PTR_NULL(p);
        CU_ASSERT_STRING_EQUAL(err.message, cases[i].message);
    }
    /* 40 models m00..m39, then m17 again: the sorted path names the second m17 */
    char json[2048];
    size_t len = (size_t)snprintf(json, sizeof json, "{\"models\":{");
    for (int k = 0; k < 40; k++)
        len += (size_t)snprintf(json + len, sizeof json - len, "\"m%02d\":{},", k);
    snprintf(json + len, sizeof json - len, "\"m17\":{\"term_months\":1}}}");
    tp_plan_file *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(parse(json, &p, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.message, "plan.json: $.models[\"m17\"]: given twice");
    /* without it, the 40 read */
    snprintf(json + len - 1, sizeof json - len + 1, "}}");
    CU_ASSERT_EQUAL_FATAL(parse(json, &p, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_plan_file_model_count(p), 40);
    tp_plan_file_free(p);
}

static double in_[3000], out_[3000], cr_[3000], cw_[3000];

static tp_demand demand(size_t n)
{
    uint64_t r = 11;
    for (size_t k = 0; k < n; k++) {
        const double u = test_uniform(&r);
        const double burst = (k % 97) < 9 ? 4 : 1;
        in_[k] = floor(burst * 20000 * u);
        cr_[k] = floor(burst * 30000 * u * u);
        cw_[k] = (k % 5) == 0 ? 2000 : 0;
        out_[k] = floor(burst * 6000 * (1 - u));
    }
    tp_demand d = {in_, out_, cr_, cw_, n, 1440 * 4}; /* 1970-01-05, a Monday */
    return d;
}

/* The cost curve passes exactly through the recommended candidate's cost per month, and never
 * below the optimum: it is the recommender's own per-grid-point cost, not an estimate. */
static void check_curve(const tp_rec_options *o)
{
    tp_model_price p = base_price(2);
    tp_demand d = demand(3000);
    tp_recommendation rec;
    tp_fleet_charts *c = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, o, &rec, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(fleet_charts_compute(&d, &p, o, &rec, &c, &err), TP_OK);
    const tp_candidate *r = &rec.candidates[rec.recommended];
    int found = 0;
    CU_ASSERT(c->n_curve > 10 && c->n_curve <= FLEET_CURVE_MAX_POINTS);
    for (size_t k = 0; k < c->n_curve; k++) {
        if (k > 0)
            CU_ASSERT(c->curve_input_tpm[k] > c->curve_input_tpm[k - 1]);
        if (c->curve_input_tpm[k] == r->input_tpm) {
            found = 1;
            NEAR(c->curve_usd_per_month[k], r->cost_per_month_usd);
        }
        if (rec.candidates[rec.recommended].basis == TP_BASIS_OPTIMAL && !o->quota_tpm)
            CU_ASSERT(c->curve_usd_per_month[k] >= r->cost_per_month_usd - 1e-6);
    }
    CU_ASSERT(found);
    /* hour of week: 3000 minutes (50 hours) from Monday 00:00 cover Monday, Tuesday and
     * Wednesday 00:00-02:00 */
    CU_ASSERT(!isnan(c->how_e[0]) && !isnan(c->how_e[48 + 1]));
    CU_ASSERT(isnan(c->how_e[48 + 2]) && isnan(c->how_e[167]));
    double mean0 = 0;
    for (size_t k = 0; k < 60; k++)
        mean0 += c->e[k] / 60;
    NEAR(c->how_e[0], mean0);
    fleet_charts_free(c);
}

static void test_curve_through_optimum(void)
{
    tp_rec_options o = {0};
    check_curve(&o);
    o.spill_model = TP_SPILL_INDEPENDENT;
    o.term_months = 3;
    check_curve(&o);
    tp_rec_options q = {0};
    q.quota_tpm = 60000; /* the surface path */
    q.has_max_throttled_minutes = 1;
    q.max_throttled_minutes = 3000;
    check_curve(&q);
}

/* The percentile candidates are placed on the cost curve in the fleet, for the HTML chart.
 * The curve: $100 at 0 TPM, $80 at 1,000, $120 at 3,000. P50 at 500 TPM lies halfway
 * between the first two points: 100 + 0.5 x (80 - 100) = $90; P90 at 1,000 is on a point:
 * $80; P99 at 2,000 halfway up the second segment: 80 + 0.5 x (120 - 80) = $100; P25 at
 * 5,000 is past the end: the last point's $120. The optimum and on-demand are not marked;
 * the marks keep the recommendation's order. On an empty curve a mark's cost is NAN. Two
 * minutes of 10 and 30 TPM: their percentiles interpolate, P50 = 20, P90 = 28. */
static void test_curve_marks(void)
{
    double x[] = {0, 1000, 3000}, y[] = {100, 80, 120};
    tp_fleet_charts c;
    memset(&c, 0, sizeof c);
    c.n_curve = 3;
    c.curve_input_tpm = x;
    c.curve_usd_per_month = y;
    tp_recommendation rec;
    memset(&rec, 0, sizeof rec);
    const tp_basis b[] = {TP_BASIS_OPTIMAL, TP_BASIS_P50, TP_BASIS_P90, TP_BASIS_ON_DEMAND,
                          TP_BASIS_P99, TP_BASIS_P25};
    const double tpm[] = {1000, 500, 1000, 0, 2000, 5000};
    for (size_t k = 0; k < 6; k++) {
        rec.candidates[k].basis = b[k];
        rec.candidates[k].input_tpm = tpm[k];
    }
    rec.n_candidates = 6;
    fleet_charts_marks(&c, &rec);
    CU_ASSERT_EQUAL_FATAL(c.n_marks, 4);
    CU_ASSERT_EQUAL(c.mark_basis[0], TP_BASIS_P50);
    CU_ASSERT_EQUAL(c.mark_basis[3], TP_BASIS_P25);
    NEAR(c.mark_input_tpm[0], 500.0);
    NEAR(c.mark_usd_per_month[0], 90.0);
    NEAR(c.mark_usd_per_month[1], 80.0);
    NEAR(c.mark_usd_per_month[2], 100.0);
    NEAR(c.mark_usd_per_month[3], 120.0);
    c.n_curve = 0;
    fleet_charts_marks(&c, &rec);
    CU_ASSERT_EQUAL(c.n_marks, 4);
    CU_ASSERT(isnan(c.mark_usd_per_month[0]));

    double in[] = {10, 30}, zero[] = {0, 0};
    tp_demand d = {in, zero, zero, zero, 2, 0};
    tp_model_price p = base_price(1);
    tp_rec_options o = {0};
    tp_fleet_charts *fc = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(fleet_charts_compute(&d, &p, &o, &rec, &fc, &err), TP_OK);
    NEAR(fc->e_summary.p50_tpm, 20.0);
    NEAR(fc->e_summary.p90_tpm, 28.0);
    fleet_charts_free(fc);
}

/* The bundled sample: fleet totals are the sum of each model's rates (not window totals); a
 * model without data is listed, not dropped; jobs do not change a figure. */
static void test_fleet_sample(void)
{
    const char *data = getenv("TP_SAMPLE_DATA");
    CU_ASSERT_PTR_NOT_NULL_FATAL(data);
    char db[] = "/tmp/tierplan-fleet-XXXXXX", path[1200], dbfile[64];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(db));
    snprintf(dbfile, sizeof dbfile, "%s/t.db", db);
    tp_store *s = NULL;
    tp_ingest *ing = NULL;
    tp_pricing *pr = NULL;
    tp_error err;
    tp_ingest_options io = {0};
    CU_ASSERT_EQUAL_FATAL(tp_store_open_mode(dbfile, TP_STORE_CREATE, &s, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &io, &ing, &err), TP_OK);
    snprintf(path, sizeof path, "%s/sample-nova-pro.json", data);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_file(ing, path, NULL, &err), TP_OK);
    snprintf(path, sizeof path, "%s/sample-claude-sonnet.json", data);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_file(ing, path, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    tp_store_close(s);
    snprintf(path, sizeof path, "%s/pricing.json", data);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_load(path, &pr, &err), TP_OK);

    const char *models[] = {"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "no.such.model",
                            "amazon.nova-pro-v1:0"};
    tp_fleet_options o = {0};
    o.db_path = dbfile;
    o.models = models;
    o.n_models = 3;
    o.pricing = pr;
    o.jobs = 2;
    tp_fleet *f = NULL, *g = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_fleet_run(&o, &f, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(f->n, 3);
    CU_ASSERT_EQUAL(f->models[1].status, TP_FLEET_NO_DATA);
    CU_ASSERT_PTR_NOT_NULL(f->models[1].no_data_reason);
    CU_ASSERT_STRING_EQUAL(f->models[2].model, "amazon.nova-pro-v1:0");
    CU_ASSERT_EQUAL(f->totals.n_ok, 2);
    CU_ASSERT_EQUAL(f->totals.n_no_data, 1);
    double total = 0, base = 0, term = 0;
    for (size_t i = 0; i < 3; i += 2) {
        const tp_candidate *c = &f->models[i].rec.candidates[f->models[i].rec.recommended];
        total += c->cost_per_hour_usd;
        /* per billed hour (docs/model.md, "Terms"): the sample lies in October, 744 h, so
         * a window hour is billed 730 / 744 h and a rate per hour divides by that many */
        NEAR(f->models[i].billed_price.billed_per_span_hour, 730.0 / 744.0);
        base += c->sim.baseline_usd / (c->sim.hours * 730.0 / 744.0);
        term += c->cost_per_term_usd;
    }
    /* the windows differ (4,320 and 4,317 minutes): rates add, window totals would not */
    CU_ASSERT_NOT_EQUAL(tp_series_minutes(f->models[0].stats->series),
                        tp_series_minutes(f->models[2].stats->series));
    /* a sized model keeps its series' description and newest minute, not its per-minute
     * values (released to the worker's store handle); the newest minute is the fresh load's */
    for (size_t i = 0; i < 3; i += 2) {
        tp_store *rs = NULL;
        tp_series *ser = NULL;
        tp_series_query q = {0};
        q.model = models[i];
        CU_ASSERT_PTR_NULL(tp_series_values(f->models[i].stats->series, TP_METRIC_INPUT));
        CU_ASSERT_EQUAL_FATAL(tp_store_open(dbfile, &rs, &err), TP_OK);
        CU_ASSERT_EQUAL_FATAL(tp_series_load(rs, &q, &ser, &err), TP_OK);
        const double *in = tp_series_values(ser, TP_METRIC_INPUT);
        size_t last = tp_series_minutes(ser);
        while (last > 0 && in[last - 1] == 0)
            last--;
        CU_ASSERT(last > 0);
        CU_ASSERT_EQUAL(f->models[i].newest_minute,
                        tp_series_from_minute(ser) + (int64_t)last - 1);
        tp_series_free(ser);
        tp_store_close(rs);
    }
    CU_ASSERT_EQUAL(f->models[1].newest_minute, -1);
    { /* a released demand handed on is a usage error, not a crash */
        const tp_demand gone = tp_series_demand(f->models[0].stats->series);
        tp_sim_options so = {0};
        tp_sim_result sr;
        tp_rec_options ro = {0};
        static tp_recommendation rr;
        tp_whatif *wi = NULL;
        CU_ASSERT_EQUAL(tp_simulate_run(&gone, &f->models[0].price, &so, &sr, &err), TP_ERR_USAGE);
        CU_ASSERT_EQUAL(tp_recommend_run(&gone, &f->models[0].price, &ro, &rr, &err), TP_ERR_USAGE);
        CU_ASSERT_EQUAL(tp_whatif_apply(&gone, 2, 0, &wi, &err), TP_ERR_USAGE);
        CU_ASSERT_PTR_NULL(wi);
    }
    NEAR(f->totals.total_per_hour_usd, total);
    NEAR(f->totals.on_demand_per_hour_usd, base);
    NEAR(f->totals.savings_per_hour_usd, base - total);
    NEAR(f->totals.total_per_term_usd, term);
    NEAR(f->totals.reserved_per_hour_usd + f->totals.spill_per_hour_usd, total);

    /* month split: one window per model (the sample is 3 days of October); the fleet's seasonal
     * rate is the sum of each plan's total over its span's hours */
    tp_fleet *h = NULL;
    o.window_by_month = 1;
    o.force = 1;
    CU_ASSERT_EQUAL_FATAL(tp_fleet_run(&o, &h, &err), TP_OK);
    CU_ASSERT_PTR_NULL(h->models[1].seasonal);
    CU_ASSERT_PTR_NULL(h->models[1].windows_error); /* no data: its status says so */
    double rate = 0;
    for (size_t i = 0; i < 3; i += 2) {
        const tp_seasonal *sp = h->models[i].seasonal;
        CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
        CU_ASSERT_EQUAL(sp->n, 1);
        rate += sp->seasonal_total_usd /
                ((double)(sp->span.to_minute - sp->span.from_minute) / 60.0);
    }
    NEAR(h->totals.seasonal_per_hour_usd, rate);
    CU_ASSERT_EQUAL(h->totals.n_seasonal, 2);
    tp_fleet_free(h);
    o.window_by_month = 0;
    o.force = 0;
    o.jobs = 1;
    CU_ASSERT_EQUAL_FATAL(tp_fleet_run(&o, &g, &err), TP_OK);
    char *a = NULL, *b = NULL;
    CU_ASSERT_EQUAL(tp_report_fleet(f, TP_FORMAT_JSON, &a, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_report_fleet(g, TP_FORMAT_JSON, &b, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(a, b);
    free(a);
    free(b);
    tp_fleet_free(f);
    tp_fleet_free(g);
    tp_pricing_free(pr);
    snprintf(path, sizeof path, "rm -rf '%s'", db);
    CU_ASSERT_EQUAL(system(path), 0);
}

/* The seasonal figures per month come with the fleet, for the renderers. Model a spans 3 days
 * (72 hours), $720 seasonal and $792 flat: $10 and $11 per hour, so 10 x 730 = $7,300 and
 * 11 x 730 = $8,030 per month, and the seasonal plan saves 8,030 - 7,300 = $730. Model b's
 * span is 2 days (48 hours), $960 and $960: $20 an hour both, $14,600 per month, saving 0. The
 * fleet: $30 and $31 an hour, $21,900 and $22,630 per month, $730 saved. */
static void test_seasonal_month_figures(void)
{
    tp_seasonal s[2];
    memset(s, 0, sizeof s);
    s[0].span.from_minute = 1440;
    s[0].span.to_minute = 1440 + 3 * 1440;
    s[0].seasonal_total_usd = 720;
    s[0].flat_total_usd = 792;
    s[1].span.from_minute = 0;
    s[1].span.to_minute = 2 * 1440;
    s[1].seasonal_total_usd = 960;
    s[1].flat_total_usd = 960;
    tp_fleet_model m[2];
    memset(m, 0, sizeof m);
    m[0].seasonal = &s[0];
    m[1].seasonal = &s[1];
    tp_fleet f;
    memset(&f, 0, sizeof f);
    f.models = m;
    f.n = 2;
    fleet_windows_totals(&f);
    NEAR(m[0].seasonal_per_month_usd, 7300.0);
    NEAR(m[0].flat_per_month_usd, 8030.0);
    NEAR(m[0].seasonal_saves_per_month_usd, 730.0);
    NEAR(m[1].seasonal_per_month_usd, 14600.0);
    NEAR(m[1].seasonal_saves_per_month_usd, 0.0);
    NEAR(f.totals.seasonal_per_month_usd, 21900.0);
    NEAR(f.totals.flat_per_month_usd, 22630.0);
    NEAR(f.totals.seasonal_saves_per_month_usd, 730.0);
}

/* The seasonal rates, hand-worked: model a's plan spans 3 days (72 hours) and costs $720
 * seasonal, $792 flat: $10 and $11 per hour, $7,300 and $8,030 per month of 730 hours; model b
 * could not be planned (its reason is kept) and adds nothing. */
static void test_seasonal_rates(void)
{
    tp_seasonal s;
    memset(&s, 0, sizeof s);
    s.span.from_minute = 1440;
    s.span.to_minute = 1440 + 3 * 1440;
    s.seasonal_total_usd = 720;
    s.flat_total_usd = 792;
    NEAR(tp_fleet_seasonal_per_hour_usd(&s), 10.0);
    NEAR(tp_fleet_seasonal_per_hour_usd(&s) * TP_HOURS_PER_MONTH, 7300.0);
    tp_fleet_model m[2];
    memset(m, 0, sizeof m);
    m[0].seasonal = &s;
    char reason[] = "no data in the window";
    m[1].windows_error = reason;
    tp_fleet f;
    memset(&f, 0, sizeof f);
    f.models = m;
    f.n = 2;
    fleet_windows_totals(&f);
    CU_ASSERT_EQUAL(f.totals.n_seasonal, 1);
    CU_ASSERT_EQUAL(f.totals.n_windows_failed, 1);
    NEAR(f.totals.seasonal_per_hour_usd, 10.0);
    NEAR(f.totals.flat_per_hour_usd, 11.0);
    tp_seasonal empty;
    memset(&empty, 0, sizeof empty);
    CU_ASSERT_EQUAL(tp_fleet_seasonal_per_hour_usd(&empty), 0);

    /* what cannot go together */
    tp_fleet_options o = {0};
    tp_error err;
    const char *one[] = {"a"}, *two[] = {"a", "b"};
    o.has_train_until = 1;
    CU_ASSERT_EQUAL(fleet_windows_check(&o, &err), TP_ERR_USAGE); /* every model */
    o.models = two;
    o.n_models = 2;
    CU_ASSERT_EQUAL(fleet_windows_check(&o, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "exactly one model"));
    CU_ASSERT_STRING_EQUAL(err.field, "models");
    CU_ASSERT_EQUAL(err.n_mentions, 2);
    o.models = one;
    o.n_models = 1;
    CU_ASSERT_EQUAL(fleet_windows_check(&o, &err), TP_OK);
    o.window_by_month = 1;
    CU_ASSERT_EQUAL(fleet_windows_check(&o, &err), TP_ERR_USAGE);
    o.has_train_until = 0;
    CU_ASSERT_EQUAL(fleet_windows_check(&o, &err), TP_OK);
    o.scale = 2;
    CU_ASSERT_EQUAL(fleet_windows_check(&o, &err), TP_ERR_USAGE);
}

/* The fleet's figures per month come with the totals, for the renderers. Model a's
 * recommendation over 48 hours: reserved $96, spill $48, total $144, on-demand $240, so per
 * month (x 730 / 48) $1,460, $730, $2,190 and $3,650; its held reservation costs $96 over the
 * same 48 hours, $2 an hour. Model b over 10 hours: $10 reserved, nothing spilled, $10 on
 * demand: $730 a month each. Model c has no data and adds nothing. The fleet per hour:
 * reserved 2 + 1 = 3, spill 1, total 3 + 1 = 4, on-demand 5 + 1 = 6, savings 6 - 4 = 2; per
 * month x 730: $2,190, $730, $2,920, $4,380 and $1,460; held $2 x 730 = $1,460; the fleet
 * saves 2 / 6 = 33.33...% of on-demand. */
static void test_fleet_month_figures(void)
{
    tp_fleet_model m[3];
    memset(m, 0, sizeof m);
    const double sims[2][5] = {{48, 96, 48, 144, 240}, {10, 10, 0, 10, 10}};
    for (int i = 0; i < 2; i++) {
        tp_candidate *c = &m[i].rec.candidates[0];
        m[i].status = TP_FLEET_OK;
        m[i].rec.n_candidates = 1;
        m[i].rec.term_months = 1;
        c->sim.hours = sims[i][0];
        c->sim.reserved_usd = sims[i][1];
        c->sim.spill_usd = sims[i][2];
        c->sim.total_usd = sims[i][3];
        c->sim.baseline_usd = sims[i][4];
    }
    m[0].has_held = 1;
    m[0].held.sim.total_usd = 96;
    m[2].status = TP_FLEET_NO_DATA;
    tp_fleet f;
    memset(&f, 0, sizeof f);
    f.models = m;
    f.n = 3;
    fleet_totals(&f);
    NEAR(m[0].rec_reserved_per_month_usd, 1460.0);
    NEAR(m[0].rec_spill_per_month_usd, 730.0);
    NEAR(m[0].rec_total_per_month_usd, 2190.0);
    NEAR(m[0].rec_on_demand_per_month_usd, 3650.0);
    NEAR(m[1].rec_reserved_per_month_usd, 730.0);
    NEAR(m[1].rec_spill_per_month_usd, 0.0);
    NEAR(m[1].rec_on_demand_per_month_usd, 730.0);
    NEAR(m[2].rec_total_per_month_usd, 0.0);
    const tp_fleet_totals *t = &f.totals;
    NEAR(t->reserved_per_month_usd, 2190.0);
    NEAR(t->spill_per_month_usd, 730.0);
    NEAR(t->total_per_month_usd, 2920.0);
    NEAR(t->on_demand_per_month_usd, 4380.0);
    NEAR(t->savings_per_month_usd, 1460.0);
    NEAR(t->held_total_per_month_usd, 1460.0);
    NEAR(t->savings_pct, 100.0 / 3.0);
    /* without an on-demand baseline there is no share to save */
    memset(&f.totals, 0, sizeof f.totals);
    f.n = 1;
    m[0].rec.candidates[0].sim.baseline_usd = 0;
    fleet_totals(&f);
    CU_ASSERT(isnan(f.totals.savings_pct));
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("report_fleet", NULL, NULL);
    CU_add_test(s, "plan file", test_plan_parse);
    CU_add_test(s, "plan file: a member named twice", test_plan_duplicates);
    CU_add_test(s, "cost curve through the optimum", test_curve_through_optimum);
    CU_add_test(s, "fleet on the sample", test_fleet_sample);
    CU_add_test(s, "seasonal rates", test_seasonal_rates);
    CU_add_test(s, "seasonal figures per month", test_seasonal_month_figures);
    CU_add_test(s, "fleet figures per month", test_fleet_month_figures);
    CU_add_test(s, "candidates on the cost curve", test_curve_marks);
}
