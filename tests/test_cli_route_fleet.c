/* test_cli_route_fleet.c - end to end: report and check size every model by service tier
 * (issue 19): on a CSV-ingested ServiceTier fixture the routed set, the Reserved offer and
 * the per-tier baseline reach report's JSON, CSV and text, and check takes --route-tiers. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

/* m1 offered, m2 not; Standard 3 and 15 USD per million, Flex half; reserved 0.12 and 0.60
 * USD per 1K TPM-hour (2/3 of a fully used 1K TPM on demand: 60K x 3/M = 0.18); no minimum. */
static const char catalog[] =
    "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0,\"flex\":0.5,"
    "\"batch\":0.5},\"models\":{"
    "\"m1\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,\"cache_read\":0.3,"
    "\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,\"output\":0.6},"
    "\"reserved_offered\":true,\"reserved_step_tpm\":1000},"
    "\"m2\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,\"cache_read\":0.3,"
    "\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,\"output\":0.6},"
    "\"reserved_offered\":false,\"reserved_offered_source\":\"the test\","
    "\"reserved_step_tpm\":1000}}}";

/* Two days, 2026-10-01T00:00Z to 2026-10-02T23:59Z, of each model every minute: default
 * 10,000 input and 2,000 output TPM, flex 8,000 and 1,000 (by ServiceTier). */
static int route_setup(void)
{
    char path[512];
    if (setup() != 0)
        return -1;
    snprintf(path, sizeof path, "%s/tiers.csv", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("timestamp,model,metric,value,tier,service_tier\n", f);
    for (int k = 0; k < 2; k++)
        for (int m = 0; m < 2 * 1440; m++) {
            char ts[32];
            snprintf(ts, sizeof ts, "2026-10-%02dT%02d:%02d:00Z", 1 + m / 1440, m % 1440 / 60,
                     m % 60);
            fprintf(f, "%s,m%d,InputTokenCount,10000,,default\n", ts, k + 1);
            fprintf(f, "%s,m%d,OutputTokenCount,2000,,default\n", ts, k + 1);
            fprintf(f, "%s,m%d,InputTokenCount,8000,,flex\n", ts, k + 1);
            fprintf(f, "%s,m%d,OutputTokenCount,1000,,flex\n", ts, k + 1);
        }
    fclose(f);
    snprintf(path, sizeof path, "%s/cat.json", dir);
    if ((f = fopen(path, "w")) == NULL)
        return -1;
    fputs(catalog, f);
    fclose(f);
    return run("'%s' ingest -q --db t.db --period 60 tiers.csv%s", bin, "") == 0 ? 0 : -1;
}

static const cJSON *model_of(const cJSON *root, const char *id)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(root, "models"))
        if (strcmp(cJSON_GetObjectItem(m, "model")->valuestring, id) == 0)
            return m;
    return NULL;
}

/* The routed tiers of o as "a,b" ("" for none), or "?" when absent. */
static void routed(const cJSON *o, char *buf, size_t n)
{
    const cJSON *rt = cJSON_GetObjectItem(o, "routed_tiers"), *t;
    buf[0] = 0;
    if (!cJSON_IsArray(rt)) {
        snprintf(buf, n, "?");
        return;
    }
    cJSON_ArrayForEach(t, rt) {
        if (buf[0])
            strncat(buf, ",", n - strlen(buf) - 1);
        strncat(buf, t->valuestring, n - strlen(buf) - 1);
    }
}

/*
 * m1, offered. Routing default alone reserves its flat 10,000 / 2,000 fully used:
 * 10 x 0.12 + 2 x 0.60 = 2.40 USD an hour, against 10,000 x 60 x 3/M + 2,000 x 60 x 15/M =
 * 3.60 on demand. Flex stays in Flex at half price: 8,000 x 60 x 1.5/M + 1,000 x 60 x 7.5/M =
 * 0.72 + 0.45 = 1.17 an hour. Routing flex too would reserve 18,000 / 3,000: 2.16 + 1.80 =
 * 3.96 > 2.40 + 1.17 = 3.57. So: reserved and default routed, 3.57 an hour, 2,606.10 a
 * month (x 730). The baseline prices each token at its own tier: 3.60 + 1.17 = 4.77 an hour,
 * 228.96 over the 48-hour window (Standard for all would be 3.60 + 2.34 = 5.94).
 * m2, not offered: no reservation, 4.77 an hour, routed nothing.
 */
static void test_report_routes(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db t.db --pricing cat.json --jobs 1 --format json "
                              "-o r.json%s",
                              bin, ""),
                          0);
    char *text = slurp("r.json");
    cJSON *root = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    char buf[128];
    const cJSON *m1 = model_of(root, "m1"), *m2 = model_of(root, "m2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m2);
    routed(m1, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "reserved,default");
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(m1, "reserved_offered")));
    CU_ASSERT(cJSON_IsFalse(cJSON_GetObjectItem(m1, "assumed_offered")));
    const cJSON *rec = cJSON_GetObjectItem(cJSON_GetObjectItem(m1, "recommendation"),
                                           "recommended");
    const cJSON *res = cJSON_GetObjectItem(rec, "reservation");
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(res, "input_tpm")->valuedouble, 10000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(res, "output_tpm")->valuedouble, 2000, 1e-9);
    /* per billed hour (docs/model.md, "Terms"): 48 h of October (744 h) are billed
     * 48 x 730 / 744 h. Reserved 10 x 0.12 + 2 x 0.6 = 2.40 an hour at the catalog rate, its
     * 730-hour month 1,752.00; flex on demand 8,000 x 60 x 3 / 1e6 x 0.5 + 1,000 x 60 x 15 /
     * 1e6 x 0.5 = 1.17 a window hour, 1.17 x 48 over the window, 1.17 x 744 = 870.48 per
     * month. 1,752.00 + 870.48 = 2,622.48 */
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(rec, "cost_per_month_usd")->valuedouble, 2622.48,
                           1e-6);
    const cJSON *cost = cJSON_GetObjectItem(rec, "cost_usd");
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(cost, "on_demand_baseline")->valuedouble, 228.96,
                           1e-6);
    routed(m2, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "");
    CU_ASSERT(cJSON_IsFalse(cJSON_GetObjectItem(m2, "reserved_offered")));
    rec = cJSON_GetObjectItem(cJSON_GetObjectItem(m2, "recommendation"), "recommended");
    res = cJSON_GetObjectItem(rec, "reservation");
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(res, "input_tpm")->valuedouble, 0, 1e-9);
    /* all on demand, 4.77 a window hour: 4.77 x 48 over 48 x 730 / 744 billed hours, x 730 */
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(rec, "cost_per_month_usd")->valuedouble,
                           4.77 * 744, 1e-6);
    cJSON_Delete(root);

    /* --assume-offered explores m2 as m1: the same plan, marked */
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db t.db --pricing cat.json --model m2 "
                              "--assume-offered --format json -o a.json%s",
                              bin, ""),
                          0);
    text = slurp("a.json");
    root = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    m2 = model_of(root, "m2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m2);
    routed(m2, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "reserved,default");
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(m2, "assumed_offered")));
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "options"),
                                               "assume_offered")));
    cJSON_Delete(root);

    /* text and CSV say it too */
    CU_ASSERT_EQUAL(run("'%s' report --db t.db --pricing cat.json --jobs 1%s", bin, ""), 0);
    expect_in("out", "routed tiers: reserved,default\n");
    expect_in("out", "Reserved tier not offered for m2 (the test)\nrouted tiers: none (no "
                     "reservation)\n");
    CU_ASSERT_EQUAL(run("'%s' report --db t.db --pricing cat.json --model m1 --format csv%s",
                        bin, ""),
                    0);
    /* region and account, empty where unknown (as every CSV), then output_units (appended
     * last: a two-pool model's); the provider and the unit columns (empty for a Bedrock
     * model) before them */
    expect_in("out", ",unused_commitment_usd,routed_tiers,provider,units,unit_term,"
                     "per_unit_hour_usd,served_pct,region,account,output_units\n");
    expect_in("out", ",\"reserved,default\",bedrock,,,,,,,\n");
}

/*
 * --route-tiers default,flex holds m1 to routing both: 18,000 / 3,000 reserved, 3.96 an hour,
 * 2,890.80 a month (all reserved: 730 billed hours at the catalog rate); m2 still reserves
 * nothing: 4.77 an hour of the window, which (October, 744 h) is billed 730 / 744 h, so
 * 4.77 x 744 = 3,548.88 a month (Terms: per billed hour). The fleet: 6,439.68.
 */
static void test_check_routes(void)
{
    CU_ASSERT_EQUAL(run("'%s' check --db t.db --pricing cat.json --route-tiers default,flex "
                        "--fail-fleet-monthly-cost-above 6439.68%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run("'%s' check --db t.db --pricing cat.json --route-tiers default,flex "
                        "--fail-fleet-monthly-cost-above 6439.67%s",
                        bin, ""),
                    1);
    expect_in("out", "$6,439.68");
    /* and without it, the cheapest routing: 2,622.48 + 3,548.88 = 6,171.36 */
    CU_ASSERT_EQUAL(run("'%s' check --db t.db --pricing cat.json "
                        "--fail-fleet-monthly-cost-above 6171.35%s",
                        bin, ""),
                    1);
    expect_in("out", "$6,171.36");
    CU_ASSERT_EQUAL(run("'%s' check --db t.db --pricing cat.json --route-tiers bogus "
                        "--fail-fleet-monthly-cost-above 1%s",
                        bin, ""),
                    2);
    expect_in("err", "--route-tiers:");
}

/* check's JSON names, per model check, what the checked plan routes to its reservation, as
 * report does: m1's recommended plan routes reserved and default, m2 reserves nothing ([]),
 * and a fleet check is of no one plan (null). */
static void test_check_json_routes(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' check --db t.db --pricing cat.json --format json "
                              "--fail-model-monthly-cost-above 100000 "
                              "--fail-spill-minutes-pct-above 100 "
                              "--fail-fleet-monthly-cost-above 100000 -o c.json%s",
                              bin, ""),
                          0);
    char *text = slurp("c.json");
    cJSON *root = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const cJSON *c;
    int seen_m1 = 0, seen_m2 = 0, seen_fleet = 0;
    char buf[128];
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "checks")) {
        const cJSON *model = cJSON_GetObjectItem(c, "model");
        if (cJSON_IsNull(model)) {
            CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(c, "routed_tiers")));
            seen_fleet++;
            continue;
        }
        routed(c, buf, sizeof buf);
        if (strcmp(model->valuestring, "m1") == 0) {
            CU_ASSERT_STRING_EQUAL(buf, "reserved,default");
            seen_m1++;
        } else {
            CU_ASSERT_STRING_EQUAL(buf, "");
            seen_m2++;
        }
    }
    CU_ASSERT_EQUAL(seen_m1, 2); /* the cost and the spill checks */
    CU_ASSERT_EQUAL(seen_m2, 2);
    CU_ASSERT_EQUAL(seen_fleet, 1);
    cJSON_Delete(root);
}

/*
 * One rule for billed hours (docs/model.md, "Terms"): plain recommend and report over 14 days
 * inside February (336 of its 672 h) bill the reservation 730 x 336 / 672 = 365 h, a rate over
 * the window's hours scaled by f = 730 / 672. m1 every minute: 10,000 input and 2,000 output
 * TPM, default tier. Reserved at the catalog rate 10 x 0.12 + 2 x 0.60 = 2.40 an hour is billed
 * 2.40 x 365 = 876.00 over the window (by the window's own hours it would be 2.40 x 336 =
 * 806.40). On demand 10,000 x 60 x 3 / 1e6 + 2,000 x 60 x 15 / 1e6 = 3.60 a window hour, 3.60
 * x 336 = 1,209.60; the reservation (2.40 x 730 / 672 = 2.607 a window hour) is the cheaper, so
 * the optimum reserves all of it, no spill. Per billed hour: 876.00 / 365 = 2.40, the catalog
 * rate; per month x 730 = 1,752.00, the monthly charge; on demand 1,209.60 / 365 x 730 =
 * 2,419.20 (= 3.60 x 672, February's own). check's fleet figure is the same 1,752.00.
 */
static void test_billed_window(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/feb.csv", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("timestamp,model,metric,value,tier,service_tier\n", f);
    for (int m = 0; m < 14 * 1440; m++) {
        char ts[32];
        snprintf(ts, sizeof ts, "2026-02-%02dT%02d:%02d:00Z", 1 + m / 1440, m % 1440 / 60,
                 m % 60);
        fprintf(f, "%s,m1,InputTokenCount,10000,,default\n", ts);
        fprintf(f, "%s,m1,OutputTokenCount,2000,,default\n", ts);
    }
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db f.db --period 60 feb.csv%s", bin, ""), 0);
    const char *cmds[] = {"recommend", "report"};
    for (int k = 0; k < 2; k++) {
        CU_ASSERT_EQUAL_FATAL(
            run("'%s' %s --db f.db --pricing cat.json --model m1 --format json", bin, cmds[k]), 0);
        char *text = slurp("out");
        cJSON *root = cJSON_Parse(text);
        free(text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(root);
        const cJSON *rec = cJSON_GetObjectItem(root, "candidates");
        if (k == 1) /* report: the model's recommendation */
            rec = cJSON_GetObjectItem(
                cJSON_GetObjectItem(model_of(root, "m1"), "recommendation"), "recommended");
        else /* recommend: the recommended candidate */
            for (const cJSON *c = rec->child; c != NULL; c = c->next)
                if (strcmp(cJSON_GetObjectItem(c, "basis")->valuestring, "optimal") == 0)
                    rec = c;
        CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
        const cJSON *res = cJSON_GetObjectItem(rec, "reservation");
        CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(res, "input_tpm")->valuedouble, 10000, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(res, "output_tpm")->valuedouble, 2000, 1e-9);
        const cJSON *cost = cJSON_GetObjectItem(rec, "cost_usd");
        CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(cost, "reserved")->valuedouble, 876.0, 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(cost, "spill")->valuedouble, 0, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(cost, "on_demand_baseline")->valuedouble,
                               1209.6, 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(rec, "cost_per_hour_usd")->valuedouble, 2.4,
                               1e-9);
        CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(rec, "cost_per_month_usd")->valuedouble, 1752,
                               1e-6);
        cJSON_Delete(root);
    }
    /* the on-demand row per month: February's own 672 h at 3.60 */
    CU_ASSERT_EQUAL(run("'%s' recommend --db f.db --pricing cat.json --model m1%s", bin, ""), 0);
    expect_in("out", "$2,419.20");
    CU_ASSERT_EQUAL(run("'%s' check --db f.db --pricing cat.json "
                        "--fail-fleet-monthly-cost-above 1752.00%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run("'%s' check --db f.db --pricing cat.json "
                        "--fail-fleet-monthly-cost-above 1751.99%s",
                        bin, ""),
                    1);
    expect_in("out", "$1,752.00");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("route-fleet", route_setup, teardown);
    CU_add_test(s, "report routes and offer", test_report_routes);
    CU_add_test(s, "check --route-tiers", test_check_routes);
    CU_add_test(s, "check JSON routed_tiers", test_check_json_routes);
    CU_add_test(s, "billed hours of a window", test_billed_window);
}
