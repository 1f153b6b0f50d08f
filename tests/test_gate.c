/* test_gate.c - the checks of `tierplan check` over a fleet built by hand: every threshold's
 * verdict on both sides of its limit, held against recommended reservations, models without
 * data, unknown coverage, and the three renderings. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/report.h"
#include "tierplan/gate.h"

void register_tests(void);

/* Model "a": recommended $1,200/month, spilling 10% of minutes and throttling 3 without a
 * held reservation; it holds 200,000 input TPM (none of output) that serves 45% of it and
 * spills 12.5% of minutes, throttling 5; exports covered 95% of its window. Model "b" has no
 * data. The fleet: $2/hour, $1,460 per month of 730 hours. */
static tp_fleet_model models[2];
static tp_fleet fleet;

static void build_fleet(void)
{
    memset(models, 0, sizeof models);
    memset(&fleet, 0, sizeof fleet);
    models[0].model = "a";
    models[0].status = TP_FLEET_OK;
    models[0].rec.n_candidates = 1;
    models[0].rec.candidates[0].cost_per_month_usd = 1200;
    models[0].rec.candidates[0].sim.spill_minutes_pct = 10;
    models[0].rec.candidates[0].sim.throttled_minutes = 3;
    models[0].has_held = 1;
    models[0].held.input_tpm = 200000;
    models[0].held.sim.utilization_input = 0.45;
    models[0].held.sim.utilization_output = NAN;
    models[0].held.sim.spill_minutes_pct = 12.5;
    models[0].held.sim.throttled_minutes = 5;
    models[0].coverage_pct = 95;
    models[1].model = "b";
    models[1].status = TP_FLEET_NO_DATA;
    models[1].coverage_pct = NAN;
    fleet.models = models;
    fleet.n = 2;
    fleet.totals.n_ok = 1;
    fleet.totals.total_per_hour_usd = 2;
    fleet.totals.total_per_month_usd = 2 * 730; /* as fleet_totals makes it */
}

static tp_gate *run_gate(const tp_gate_options *o)
{
    tp_gate *g = NULL;
    tp_error err;
    build_fleet();
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, o, &g, &err), TP_OK);
    return g;
}

static const tp_gate_check *find(const tp_gate *g, const char *model, const char *what)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->checks[i].what, what) == 0 &&
            (model == NULL ? g->checks[i].model == NULL
                           : g->checks[i].model != NULL && strcmp(g->checks[i].model, model) == 0))
            return &g->checks[i];
    CU_FAIL("check not found");
    return NULL;
}

/* Each threshold against the hand-made figures: a limit equal to the value holds (the gates
 * fail strictly above or below it). */
static void test_verdicts(void)
{
    tp_gate_options o = {0};
    o.has_model_cost = 1;
    o.model_monthly_cost_above_usd = 1000; /* 1,200 > 1,000: fails */
    o.has_fleet_cost = 1;
    o.fleet_monthly_cost_above_usd = 1460; /* 2 x 730 = 1,460, not above: holds */
    o.has_utilization = 1;
    o.utilization_below_pct = 50; /* held input 45% < 50%: fails; output reserves nothing */
    o.has_spill = 1;
    o.spill_minutes_pct_above = 12.5; /* held spills 12.5%: holds (the recommended's 10% unused) */
    o.has_throttled = 1;
    o.throttled_minutes_above = 4; /* held throttles 5 > 4: fails */
    o.has_coverage = 1;
    o.coverage_below_pct = 90; /* 95% >= 90%: holds */
    tp_gate *g = run_gate(&o);
    CU_ASSERT_EQUAL(g->n, 6); /* b has no data: none of its checks apply without staleness */
    CU_ASSERT_EQUAL(g->n_failed, 3);
    const tp_gate_check *c = find(g, NULL, "fleet_monthly_cost_usd");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 1460, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    c = find(g, "a", "model_monthly_cost_usd");
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    c = find(g, "a", "held_utilization_input_pct");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 45, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    c = find(g, "a", "spill_minutes_pct");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 12.5, 1e-9);
    CU_ASSERT_STRING_EQUAL(c->note, "held reservation");
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    c = find(g, "a", "throttled_minutes");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 5, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    CU_ASSERT_EQUAL(find(g, "a", "coverage_pct")->verdict, TP_VERDICT_PASS);

    char *out = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_report_gate(g, TP_FORMAT_TEXT, &out, &err), TP_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL a: cost per month $1,200.00 > "
                                       "$1,000.00 (recommended reservation)\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL a: held input utilization 45.0% < 50.0%"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL a: throttled minutes 5 minutes > 4 minutes"));
    free(out);
    /* one minute is "1 minute" */
    tp_gate_free(g);
    o.throttled_minutes_above = 1;
    g = run_gate(&o);
    CU_ASSERT_EQUAL_FATAL(tp_report_gate(g, TP_FORMAT_TEXT, &out, &err), TP_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL a: throttled minutes 5 minutes > 1 minute"));
    CU_ASSERT_PTR_NULL(strstr(out, "fleet")); /* holding checks are not listed */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "check: FAILED: 3 of 6 checks failed, 3 passed, 0 n/a"));
    free(out);
    CU_ASSERT_EQUAL_FATAL(tp_report_gate(g, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *j = cJSON_Parse(out);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "verdict")->valuestring, "fail");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(j, "checks")), 6);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "checks"), 0);
    CU_ASSERT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(first, "model"))); /* the fleet's first */
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(first, "verdict")->valuestring, "pass");
    cJSON_Delete(j);
    free(out);
    CU_ASSERT_EQUAL_FATAL(tp_report_gate(g, TP_FORMAT_MARKDOWN, &out, &err), TP_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "| **FAIL** | `a` | held input utilization | 45.0% | "
                                       "min 50.0% |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "| pass | **fleet** | fleet cost per month |"));
    /* a comment: the failures first, in the open; the 3 passes folded after them */
    const char *fail1 = strstr(out, "| **FAIL** |"), *fold = strstr(out, "<details><summary>3 "
                                                                          "checks passed"),
               *pass1 = strstr(out, "| pass |"), *end = strstr(out, "</details>");
    CU_ASSERT_TRUE(fail1 != NULL && fold != NULL && pass1 != NULL && end != NULL &&
                   fail1 < fold && fold < pass1 && pass1 < end);
    free(out);
    CU_ASSERT_EQUAL(tp_report_gate(g, TP_FORMAT_CSV, &out, &err), TP_ERR_USAGE);
    tp_gate_free(g);
}

/* Every gate at its threshold, with the value a hair off it in doubles: each compares at the
 * precision it prints (3 decimals for % and hours, cents, whole minutes), so a value equal to
 * its limit as printed holds, and one a printed step beyond it fails. The case:
 * 20,000 -> 31,000 TPM is (31000 - 20000) / 20000 x 100 = 55.00000000000001 in doubles. */
static void test_at_threshold(void)
{
    tp_gate_options o = {0};
    CU_ASSERT_TRUE((31000.0 - 20000.0) / 20000.0 * 100 > 55); /* the premise */
    o.has_model_cost = 1;
    o.model_monthly_cost_above_usd = 1200 - 1e-9; /* $1,200.00 as printed */
    o.has_fleet_cost = 1;
    o.fleet_monthly_cost_above_usd = 1460.004; /* $1,460.00 */
    o.has_utilization = 1;
    o.utilization_below_pct = 45.0000000001; /* 45.000% */
    o.has_spill = 1;
    o.spill_minutes_pct_above = 12.4999999999; /* 12.500% */
    o.has_throttled = 1;
    o.throttled_minutes_above = 4.6; /* 5 minutes, as the 5 throttled */
    o.has_coverage = 1;
    o.coverage_below_pct = 95.0004; /* 95.000% */
    o.has_stale = 1;
    o.stale_hours_above = 2 - 1e-12; /* newest minute 2 h before now: 2.000 h */
    build_fleet();
    models[0].newest_minute = 1000;
    o.now_minute = 1000 + 1 + 120;
    tp_gate *g = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, &o, &g, &err), TP_OK);
    for (size_t i = 0; i < g->n; i++)
        if (g->checks[i].model == NULL || strcmp(g->checks[i].model, "a") == 0)
            CU_ASSERT_EQUAL(g->checks[i].verdict, TP_VERDICT_PASS);
    tp_gate_free(g);
    /* one printed step beyond each limit fails */
    o.model_monthly_cost_above_usd = 1199.99;
    o.fleet_monthly_cost_above_usd = 1459.99;
    o.utilization_below_pct = 45.001;
    o.spill_minutes_pct_above = 12.499;
    o.throttled_minutes_above = 4;
    o.coverage_below_pct = 95.001;
    o.stale_hours_above = 1.999;
    build_fleet();
    models[0].newest_minute = 1000;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, &o, &g, &err), TP_OK);
    size_t failed = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->checks[i].model == NULL || strcmp(g->checks[i].model, "a") == 0)
            failed += g->checks[i].verdict == TP_VERDICT_FAIL;
    CU_ASSERT_EQUAL(failed, 7); /* model and fleet cost, utilization, spill, throttled,
                                   coverage, staleness */
    tp_gate_free(g);
}

/* Without a held reservation the utilization check is n/a, spill and throttling are the
 * recommended reservation's, unknown coverage is n/a: nothing fails on what is not known. */
static void test_not_held(void)
{
    tp_gate_options o = {0};
    o.has_utilization = 1;
    o.utilization_below_pct = 50;
    o.has_spill = 1;
    o.spill_minutes_pct_above = 9.9; /* the recommended spills 10%: fails */
    o.has_throttled = 1;
    o.throttled_minutes_above = 3; /* 3 is not above 3 */
    o.has_coverage = 1;
    o.coverage_below_pct = 99;
    build_fleet();
    models[0].has_held = 0;
    models[0].coverage_pct = NAN;
    tp_gate *g = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, &o, &g, &err), TP_OK);
    CU_ASSERT_EQUAL(find(g, "a", "held_utilization_pct")->verdict, TP_VERDICT_NA);
    CU_ASSERT_STRING_EQUAL(find(g, "a", "held_utilization_pct")->note,
                           "no held reservation (the plan file's reserve_*_tpm)");
    const tp_gate_check *c = find(g, "a", "spill_minutes_pct");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 10, 1e-9);
    CU_ASSERT_STRING_EQUAL(c->note, "recommended reservation");
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    CU_ASSERT_EQUAL(find(g, "a", "throttled_minutes")->verdict, TP_VERDICT_PASS);
    c = find(g, "a", "coverage_pct");
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_NA); /* unknown coverage is never 0% */
    CU_ASSERT_EQUAL(g->n_failed, 1);
    tp_gate_free(g);
    o.held_hint = "--reserve-* or a plan";
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, &o, &g, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(find(g, "a", "held_utilization_pct")->note,
                           "no held reservation (--reserve-* or a plan)");
    tp_gate_free(g);
}

static void test_change_needs_baseline(void)
{
    tp_gate_options o = {0};
    tp_gate *g = NULL;
    tp_error err;
    o.has_change = 1;
    build_fleet();
    CU_ASSERT_EQUAL(tp_gate_run(&fleet, &o, &g, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(g);
    CU_ASSERT_STRING_EQUAL(tp_gate_verdict_name(TP_VERDICT_NA), "n/a");
}

/* Every text line fits 100 columns, a model id of 77 characters too: a failure too long for
 * one line is wrapped (continuation indented under the model), never cut. */
static void test_long_ids(void)
{
    static char id[] = "arn:aws:bedrock:us-east-1:123456789012:application-inference-"
                             "profile/abcdefgh"; /* 77 characters */
    tp_gate_options o = {0};
    o.has_utilization = 1;
    o.utilization_below_pct = 50;
    o.has_change = 0;
    o.has_spill = 1;
    o.spill_minutes_pct_above = 0;
    tp_gate *g = NULL;
    tp_error err;
    build_fleet();
    models[0].model = id;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, &o, &g, &err), TP_OK);
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_report_gate(g, TP_FORMAT_TEXT, &out, &err), TP_OK);
    for (const char *line = out; *line != '\0';) {
        const char *nl = strchr(line, '\n');
        const size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
        if (len > 100)
            fprintf(stderr, "\n  line of %zu columns: %.*s\n", len, (int)len, line);
        CU_ASSERT(len <= 100);
        line += len + (nl != NULL);
    }
    /* "FAIL " + 77 + ": held input" is 94 columns: the rest goes on the next line, under
     * the model (the note, which would not fit on one line either, is left out) */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL arn:aws:bedrock:us-east-1:123456789012:application-"
                                       "inference-profile/abcdefgh: held input\n"
                                       "     utilization 45.0% < 50.0%\n"));
    free(out);
    tp_gate_free(g);
}

/* The held reservation's gates. Simulated: "a" holds 200,000 input TPM used 45%, spilling in
 * 12.5% of minutes. Observed (its traffic asked for reserved): the metrics show 60% used and
 * overflow in 3 of 200 minutes = 1.5%, which the gates take instead. Savings: held $1,500 a
 * month against the recommended $1,200 is (1,500 - 1,200) / 1,500 x 100 = 20%. */
static void test_held_gates(void)
{
    tp_gate_options o = {0};
    o.has_utilization = 1;
    o.utilization_below_pct = 50;
    o.has_held_overflow = 1;
    o.held_overflow_minutes_pct_above = 12;
    o.has_savings_vs_held = 1;
    o.savings_vs_held_pct_above = 20; /* 20% is not above 20: holds */
    build_fleet();
    models[0].held.cost_per_month_usd = 1500;
    tp_gate *g = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, &o, &g, &err), TP_OK);
    const tp_gate_check *c = find(g, "a", "held_utilization_input_pct");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 45, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    CU_ASSERT_STRING_EQUAL(c->note, "held 200,000 input TPM, simulated");
    c = find(g, "a", "held_overflow_minutes_pct");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 12.5, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    c = find(g, "a", "savings_vs_held_pct");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 20, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    CU_ASSERT_STRING_EQUAL(c->note, "held $1,500.00, recommended $1,200.00 per month");
    CU_ASSERT_EQUAL(g->n_failed, 2);
    tp_gate_free(g);
    /* observed: the metrics' figures, the note says so */
    o.savings_vs_held_pct_above = 19.9;
    build_fleet();
    models[0].held.cost_per_month_usd = 1500;
    models[0].has_observed = 1;
    models[0].observed.utilization_input = 0.6;
    models[0].observed.utilization_output = NAN;
    models[0].observed.overflow_minutes = 3;
    models[0].observed.minutes = 200;
    models[0].observed.overflow_minutes_pct = 1.5;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, &o, &g, &err), TP_OK);
    c = find(g, "a", "held_utilization_input_pct");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 60, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    CU_ASSERT_STRING_EQUAL(c->note, "held 200,000 input TPM, observed in the metrics");
    c = find(g, "a", "held_overflow_minutes_pct");
    CU_ASSERT_DOUBLE_EQUAL(c->value, 1.5, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    CU_ASSERT_STRING_EQUAL(c->note, "3 of 200 minutes, observed in the metrics");
    CU_ASSERT_EQUAL(find(g, "a", "savings_vs_held_pct")->verdict, TP_VERDICT_FAIL);
    CU_ASSERT_EQUAL(g->n_failed, 1);
    tp_gate_free(g);
    /* nothing held: each is n/a, never a failure */
    build_fleet();
    models[0].has_held = 0;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&fleet, &o, &g, &err), TP_OK);
    CU_ASSERT_EQUAL(find(g, "a", "held_overflow_minutes_pct")->verdict, TP_VERDICT_NA);
    CU_ASSERT_EQUAL(find(g, "a", "savings_vs_held_pct")->verdict, TP_VERDICT_NA);
    CU_ASSERT_EQUAL(g->n_failed, 0);
    tp_gate_free(g);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("gate", NULL, NULL);
    CU_add_test(s, "verdicts", test_verdicts);
    CU_add_test(s, "every gate at its threshold", test_at_threshold);
    CU_add_test(s, "long model ids", test_long_ids);
    CU_add_test(s, "no held reservation", test_not_held);
    CU_add_test(s, "change needs a baseline", test_change_needs_baseline);
    CU_add_test(s, "held reservation gates", test_held_gates);
}
