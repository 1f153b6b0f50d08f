/* test_series_tiers.c - the dimension families of one traffic: one family read, never two
 * summed; demand per tier asked for, per tier served, per pair, and what routing reads. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "test_util.h"
#include "series/series_lib.h"

void register_tests(void);

#define M "m1"
#define HDR "timestamp,model,metric,value,tier,service_tier\n"
#define T(min) "2026-10-05T14:0" #min ":00Z,m1,"

static tp_store *store_with(const char *csv)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "t.csv", csv, NULL, &err), TP_OK);
    return s;
}

static tp_series *load_q(tp_store *s, const tp_series_query *q)
{
    tp_series *ser = NULL;
    tp_error err;
    tp_status rc = tp_series_load(s, q, &ser, &err);
    if (rc != TP_OK)
        fprintf(stderr, "\n  load: %s\n", err.message);
    CU_ASSERT_EQUAL(rc, TP_OK);
    return ser;
}

static tp_series *load(tp_store *s)
{
    tp_series_query q = {0};
    q.model = M;
    return load_q(s, &q);
}

/* Asserts a per-minute array equals want[0..n). */
static void assert_array(const double *v, const double *want, size_t n)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_DOUBLE_EQUAL(v[i], want[i], 1e-9);
}

/* The example: one traffic stored by ResolvedServiceTier alone and by ServiceTier
 * with ResolvedServiceTier. Per minute: default 15,000 + priority 5,000 = 20,000; 24,000 +
 * 5,000 = 29,000; 30,000 + 10,000 = 40,000. Read once, the sorted minutes are 20,000 /
 * 29,000 / 40,000: P50 29,000 (summed over both families it read 58,000). */
static void test_two_families_counted_once(void)
{
    tp_store *s = store_with(HDR T(0) "InputTokenCount,15000,default,\n"
                                 T(0) "InputTokenCount,5000,priority,\n"
                                 T(1) "InputTokenCount,24000,default,\n"
                                 T(1) "InputTokenCount,5000,priority,\n"
                                 T(2) "InputTokenCount,30000,default,\n"
                                 T(2) "InputTokenCount,10000,priority,\n"
                                 T(0) "InputTokenCount,15000,default,default\n"
                                 T(0) "InputTokenCount,5000,priority,priority\n"
                                 T(1) "InputTokenCount,24000,default,default\n"
                                 T(1) "InputTokenCount,5000,priority,priority\n"
                                 T(2) "InputTokenCount,30000,default,default\n"
                                 T(2) "InputTokenCount,10000,priority,priority\n");
    tp_series *ser = load(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_BOTH);
    const double total[] = {20000, 29000, 40000};
    assert_array(tp_series_values(ser, TP_METRIC_INPUT), total, 3);
    tp_summary sum;
    tp_error err;
    CU_ASSERT_EQUAL(tp_stats_summarize(tp_series_values(ser, TP_METRIC_INPUT), 3, &sum, &err),
                    TP_OK);
    CU_ASSERT_DOUBLE_EQUAL(sum.p50_tpm, 29000, 1e-9);
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_INPUT),
                           "service_tier+resolved_tier: default/default, priority/priority");
    tp_series_free(ser);
    tp_store_close(s);
}

/* ServiceTier alone: default 10 and priority 5 at minute 0, flex 8 at minute 1. Asked for:
 * default {10, 0}, priority {5, 0}, flex {0, 8}, reserved {0, 0}; the served tier and the
 * pairs are unknown; routing reads the asked tiers, NULL for reserved (no traffic). */
static void test_service_family(void)
{
    tp_store *s = store_with(HDR T(0) "InputTokenCount,10,,default\n"
                                 T(0) "InputTokenCount,5,,priority\n"
                                 T(1) "InputTokenCount,8,,flex\n"
                                 T(0) "OutputTokenCount,3,,default\n");
    tp_series *ser = load(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_SERVICE);
    const double total[] = {15, 8}, def[] = {10, 0}, pri[] = {5, 0}, flex[] = {0, 8},
                 zero[] = {0, 0}, def_out[] = {3, 0};
    assert_array(tp_series_values(ser, TP_METRIC_INPUT), total, 2);
    int known = -1;
    tp_demand d = tp_series_tier_demand(ser, TP_AXIS_ASKED, TP_SERVICE_DEFAULT, &known);
    CU_ASSERT_EQUAL(known, 1);
    assert_array(d.input_tpm, def, 2);
    assert_array(d.output_tpm, def_out, 2);
    assert_array(d.cache_read_tpm, zero, 2);
    d = tp_series_tier_demand(ser, TP_AXIS_ASKED, TP_SERVICE_PRIORITY, &known);
    assert_array(d.input_tpm, pri, 2);
    assert_array(d.output_tpm, zero, 2); /* priority has no output series: zeros */
    d = tp_series_tier_demand(ser, TP_AXIS_ASKED, TP_SERVICE_RESERVED, &known);
    CU_ASSERT_EQUAL(known, 1);
    assert_array(d.input_tpm, zero, 2);
    d = tp_series_tier_demand(ser, TP_AXIS_SERVED, TP_SERVICE_DEFAULT, &known);
    CU_ASSERT_EQUAL(known, 0);
    CU_ASSERT_PTR_NULL(d.input_tpm);
    d = tp_series_tier_pair_demand(ser, TP_SERVICE_DEFAULT, TP_SERVICE_DEFAULT, &known);
    CU_ASSERT_EQUAL(known, 0);
    CU_ASSERT_PTR_NULL(d.input_tpm);
    tp_tier_demand r = tp_series_route_demand(ser);
    CU_ASSERT_EQUAL(r.family, TP_FAMILY_SERVICE);
    CU_ASSERT_EQUAL(r.minutes, 2);
    assert_array(r.tier[TP_SERVICE_DEFAULT].input_tpm, def, 2);
    assert_array(r.tier[TP_SERVICE_FLEX].input_tpm, flex, 2);
    CU_ASSERT_PTR_NULL(r.tier[TP_SERVICE_RESERVED].input_tpm);
    /* --tier in this family matches the tier asked for: default + flex = {10, 8} */
    const char *tiers[] = {"default", "flex"};
    const double def_flex[] = {10, 8};
    tp_series_query q = {0};
    q.model = M;
    q.tiers = tiers;
    q.n_tiers = 2;
    tp_series_free(ser);
    ser = load_q(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    assert_array(tp_series_values(ser, TP_METRIC_INPUT), def_flex, 2);
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_INPUT), "service_tier: default, flex");
    tp_series_free(ser);
    tp_store_close(s);
}

/* ResolvedServiceTier alone: reserved 70, default 30 at minute 0. Served: reserved {70},
 * default {30}; asked unknown; routing stands the served tier in for the asked one. */
static void test_resolved_family(void)
{
    tp_store *s = store_with(HDR T(0) "InputTokenCount,70,reserved,\n"
                                 T(0) "InputTokenCount,30,default,\n");
    tp_series *ser = load(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_RESOLVED);
    const double res[] = {70}, def[] = {30}, total[] = {100};
    assert_array(tp_series_values(ser, TP_METRIC_INPUT), total, 1);
    int known = -1;
    tp_demand d = tp_series_tier_demand(ser, TP_AXIS_SERVED, TP_SERVICE_RESERVED, &known);
    CU_ASSERT_EQUAL(known, 1);
    assert_array(d.input_tpm, res, 1);
    d = tp_series_tier_demand(ser, TP_AXIS_ASKED, TP_SERVICE_RESERVED, &known);
    CU_ASSERT_EQUAL(known, 0);
    CU_ASSERT_PTR_NULL(d.input_tpm);
    tp_tier_demand r = tp_series_route_demand(ser);
    assert_array(r.tier[TP_SERVICE_RESERVED].input_tpm, res, 1);
    assert_array(r.tier[TP_SERVICE_DEFAULT].input_tpm, def, 1);
    CU_ASSERT_PTR_NULL(r.tier[TP_SERVICE_PRIORITY].input_tpm);
    tp_series_free(ser);
    tp_store_close(s);
}

/* Both dimensions: asked reserved 100 at minute 0 served 70 reserved + 30 default, and at
 * minute 1 40 reserved; asked default 50 at minute 1 served default. Asked reserved {100,
 * 40}; asked default {0, 50}; served default {30, 50}; served reserved {70, 40}; the pair
 * reserved/default (the overflow) {30, 0}. --tier default sums the served default: {30, 50}. */
static void test_both_family(void)
{
    tp_store *s = store_with(HDR T(0) "InputTokenCount,70,reserved,reserved\n"
                                 T(0) "InputTokenCount,30,default,reserved\n"
                                 T(1) "InputTokenCount,40,reserved,reserved\n"
                                 T(1) "InputTokenCount,50,default,default\n"
                                 T(0) "InputTokenCount,100,,\n"
                                 T(1) "InputTokenCount,90,,\n");
    tp_series *ser = load(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_BOTH);
    const double total[] = {100, 90}, ask_res[] = {100, 40}, ask_def[] = {0, 50},
                 srv_def[] = {30, 50}, srv_res[] = {70, 40}, overflow[] = {30, 0},
                 zero[] = {0, 0};
    assert_array(tp_series_values(ser, TP_METRIC_INPUT), total, 2);
    int known = -1;
    assert_array(tp_series_tier_demand(ser, TP_AXIS_ASKED, TP_SERVICE_RESERVED, &known).input_tpm,
                 ask_res, 2);
    CU_ASSERT_EQUAL(known, 1);
    assert_array(tp_series_tier_demand(ser, TP_AXIS_ASKED, TP_SERVICE_DEFAULT, &known).input_tpm,
                 ask_def, 2);
    assert_array(tp_series_tier_demand(ser, TP_AXIS_SERVED, TP_SERVICE_DEFAULT, &known).input_tpm,
                 srv_def, 2);
    assert_array(
        tp_series_tier_demand(ser, TP_AXIS_SERVED, TP_SERVICE_RESERVED, &known).input_tpm,
        srv_res, 2);
    tp_demand d = tp_series_tier_pair_demand(ser, TP_SERVICE_RESERVED, TP_SERVICE_DEFAULT, &known);
    CU_ASSERT_EQUAL(known, 1);
    assert_array(d.input_tpm, overflow, 2);
    d = tp_series_tier_pair_demand(ser, TP_SERVICE_FLEX, TP_SERVICE_FLEX, &known);
    CU_ASSERT_EQUAL(known, 1);
    assert_array(d.input_tpm, zero, 2);
    tp_tier_demand r = tp_series_route_demand(ser);
    assert_array(r.tier[TP_SERVICE_RESERVED].input_tpm, ask_res, 2);
    assert_array(r.tier[TP_SERVICE_DEFAULT].input_tpm, ask_def, 2);
    CU_ASSERT_PTR_NULL(r.tier[TP_SERVICE_FLEX].input_tpm);
    /* the fleet's release drops the parts with the totals */
    series_release_values(ser, NULL);
    CU_ASSERT_PTR_NULL(tp_series_values(ser, TP_METRIC_INPUT));
    CU_ASSERT_PTR_NULL(
        tp_series_tier_demand(ser, TP_AXIS_ASKED, TP_SERVICE_RESERVED, &known).input_tpm);
    CU_ASSERT_PTR_NULL(tp_series_route_demand(ser).tier[TP_SERVICE_RESERVED].input_tpm);
    tp_series_free(ser);

    const char *tiers[] = {"default"};
    tp_series_query q = {0};
    q.model = M;
    q.tiers = tiers;
    q.n_tiers = 1;
    ser = load_q(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    assert_array(tp_series_values(ser, TP_METRIC_INPUT), srv_def, 2);
    tp_series_free(ser);
    tp_store_close(s);
}

/* The total alone (or invocation logs): the tiers are unknown and routing reads all traffic
 * as default. */
static void test_total_family(void)
{
    tp_store *s = store_with(HDR T(0) "InputTokenCount,12,,\n");
    tp_series *ser = load(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_TOTAL);
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_INPUT), "total");
    int known = -1;
    CU_ASSERT_PTR_NULL(
        tp_series_tier_demand(ser, TP_AXIS_ASKED, TP_SERVICE_DEFAULT, &known).input_tpm);
    CU_ASSERT_EQUAL(known, 0);
    tp_tier_demand r = tp_series_route_demand(ser);
    CU_ASSERT_PTR_EQUAL(r.tier[TP_SERVICE_DEFAULT].input_tpm,
                        tp_series_values(ser, TP_METRIC_INPUT));
    CU_ASSERT_PTR_NULL(r.tier[TP_SERVICE_PRIORITY].input_tpm);
    tp_series_free(ser);
    tp_store_close(s);
}

/* Which family: ServiceTier alone and ResolvedServiceTier alone both stored (not both
 * dimensions): ServiceTier, the tier routing decides on. A family lacking a metric the model
 * has loses to one that has it all: the by-tier family here holds input only, the total
 * input and output, so the total (12 / 4) is read, not input by tier with output zero. */
static void test_family_choice(void)
{
    tp_store *s = store_with(HDR T(0) "InputTokenCount,7,default,\n"
                                 T(0) "InputTokenCount,7,,default\n");
    tp_series *ser = load(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_SERVICE);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 7);
    tp_series_free(ser);
    tp_store_close(s);

    s = store_with(HDR T(0) "InputTokenCount,12,,\n"
                       T(0) "OutputTokenCount,4,,\n"
                       T(0) "InputTokenCount,12,default,default\n");
    ser = load(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_TOTAL);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 12);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_OUTPUT)[0], 4);
    tp_series_free(ser);
    tp_store_close(s);
}

/* The family is chosen per window: a total for minutes 0-1, by both tiers from minute 2 on.
 * The window [0, 2) reads the total (5, 6); the window [2, 4) the tiers (3 + 4 = 7, 8). */
static void test_family_per_window(void)
{
    tp_store *s = store_with(HDR T(0) "InputTokenCount,5,,\n"
                                 T(1) "InputTokenCount,6,,\n"
                                 T(2) "InputTokenCount,3,default,default\n"
                                 T(2) "InputTokenCount,4,priority,priority\n"
                                 T(3) "InputTokenCount,8,default,default\n");
    const int64_t t0 = 29853480LL; /* 2026-10-05T14:00Z in Unix minutes */
    tp_series_query q = {0};
    q.model = M;
    q.has_from = q.has_to = 1;
    q.from_minute = t0;
    q.to_minute = t0 + 2;
    tp_series *ser = load_q(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_TOTAL);
    const double early[] = {5, 6}, late[] = {7, 8};
    assert_array(tp_series_values(ser, TP_METRIC_INPUT), early, 2);
    tp_series_free(ser);
    q.from_minute = t0 + 2;
    q.to_minute = t0 + 4;
    ser = load_q(s, &q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_BOTH);
    assert_array(tp_series_values(ser, TP_METRIC_INPUT), late, 2);
    tp_series_free(ser);
    tp_store_close(s);
}

/* A JSON number at obj.a.b.c (NAN when absent). */
static double num3(const cJSON *o, const char *a, const char *b, const char *c)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, a), b), c);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* stats by tier, of the traffic of test_both_family plus output 9 asked and served default
 * at minute 0. Every minute counts; the q-quantile of sorted x is x[i] + f (x[i+1] - x[i])
 * with i + f = q (n - 1), here n = 2 so i + f = q:
 *   asked reserved input {100, 40}: sorted 40, 100: p50 = 40 + 0.5 x 60 = 70, p99 = 40 +
 *     0.99 x 60 = 99.4, max 100, mean 70;
 *   asked default input {0, 50}: p50 25, p99 49.5; output {9, 0}: p50 4.5, p99 8.91;
 *   served reserved input {70, 40}: p50 55, p99 69.7; served default input {30, 50}: p50 40.
 * Priority and flex carry nothing and are left out; the JSON names the family. */
static void test_stats_by_tier(void)
{
    tp_store *s = store_with(HDR T(0) "InputTokenCount,70,reserved,reserved\n"
                                 T(0) "InputTokenCount,30,default,reserved\n"
                                 T(1) "InputTokenCount,40,reserved,reserved\n"
                                 T(1) "InputTokenCount,50,default,default\n"
                                 T(0) "OutputTokenCount,9,default,default\n");
    tp_stats_request req = {0};
    tp_stats_report *r = NULL;
    tp_error err;
    char *json = NULL, *text = NULL;
    req.model = M;
    CU_ASSERT_EQUAL_FATAL(tp_stats_report_compute(s, &req, &r, &err), TP_OK);
    const tp_stats_tiers *t = &r->tiers[0];
    CU_ASSERT_EQUAL(t->family, TP_FAMILY_BOTH);
    CU_ASSERT(t->axis[TP_AXIS_ASKED].known && t->axis[TP_AXIS_SERVED].known);
    const tp_summary *ar = &t->axis[TP_AXIS_ASKED].tpm[TP_SERVICE_RESERVED][TP_METRIC_INPUT];
    CU_ASSERT_DOUBLE_EQUAL(ar->p50_tpm, 70, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(ar->p99_tpm, 99.4, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(ar->max_tpm, 100, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(ar->mean_tpm, 70, 1e-9);
    CU_ASSERT_EQUAL(t->axis[TP_AXIS_ASKED].present[TP_SERVICE_PRIORITY], 0);
    CU_ASSERT_EQUAL(tp_report_stats(&req, r, TP_FORMAT_JSON, &json, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_report_stats(&req, r, TP_FORMAT_TEXT, &text, &err), TP_OK);
    cJSON *root = cJSON_Parse(json);
    cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "models"), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(m, "tier_family")->valuestring,
                           "service_tier+resolved_tier");
    const cJSON *by_s = cJSON_GetObjectItemCaseSensitive(m, "by_service_tier");
    const cJSON *by_r = cJSON_GetObjectItemCaseSensitive(m, "by_resolved_tier");
    CU_ASSERT_DOUBLE_EQUAL(num3(by_s, "reserved", "input", "p50"), 70, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num3(by_s, "default", "input", "p50"), 25, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num3(by_s, "default", "input", "p99"), 49.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num3(by_s, "default", "output", "p50"), 4.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num3(by_s, "default", "output", "p99"), 8.91, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num3(by_r, "reserved", "input", "p50"), 55, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num3(by_r, "reserved", "input", "p99"), 69.7, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num3(by_r, "default", "input", "p50"), 40, 1e-9);
    CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(by_s, "priority"));
    ASSERT_CONTAINS(text, "tiers from: service_tier+resolved_tier\n");
    ASSERT_CONTAINS(text, "asked reserved          70.0         99.4        100.0");
    ASSERT_CONTAINS(text, "served default          40.0");
    cJSON_Delete(root);
    free(json);
    free(text);
    tp_stats_report_free(r);
    tp_store_close(s);

    /* the total alone: neither axis is told (null), and every format names the family */
    s = store_with(HDR T(0) "InputTokenCount,12,,\n");
    CU_ASSERT_EQUAL_FATAL(tp_stats_report_compute(s, &req, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r->tiers[0].axis[TP_AXIS_ASKED].known, 0);
    CU_ASSERT_EQUAL(tp_report_stats(&req, r, TP_FORMAT_JSON, &json, &err), TP_OK);
    root = cJSON_Parse(json);
    m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "models"), 0);
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(m, "by_service_tier")));
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(m, "by_resolved_tier")));
    ASSERT_CONTAINS(json, "\"tier_family\":\t\"total\"");
    cJSON_Delete(root);
    free(json);
    CU_ASSERT_EQUAL(tp_report_stats(&req, r, TP_FORMAT_TEXT, &text, &err), TP_OK);
    ASSERT_CONTAINS(text, "tiers from: total (the series tell no service tier)");
    free(text);
    CU_ASSERT_EQUAL(tp_report_stats(&req, r, TP_FORMAT_CSV, &text, &err), TP_OK);
    ASSERT_CONTAINS(text, "max_tpm,mean_tpm,tier_family,region,account\n");
    ASSERT_CONTAINS(text, ",12,total,,\n");
    free(text);
    tp_stats_report_free(r);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("series_tiers", NULL, NULL);
    ADD(s, test_two_families_counted_once);
    ADD(s, test_service_family);
    ADD(s, test_resolved_family);
    ADD(s, test_both_family);
    ADD(s, test_total_family);
    ADD(s, test_family_choice);
    ADD(s, test_family_per_window);
    ADD(s, test_stats_by_tier);
}
