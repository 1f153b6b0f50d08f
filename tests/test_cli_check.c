/* test_cli_check.c - end to end: tierplan check on a flat demand whose figures are worked by
 * hand (utilization, spill, staleness, change from a baseline), its exit codes and usage
 * errors; tierplan diff on recommend and report outputs. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

#define NOVA "amazon.nova-pro-v1:0"
#define CHECK "'%s' check --db f.db --jobs 1 --model " NOVA " "

/* Two days, 2026-10-01T00:00Z to 2026-10-02T23:59Z, of a flat 100,000 input and 10,000 output
 * TPM (no cache: effective input = input): every figure of a reservation is a ratio. */
static int check_setup(void)
{
    char path[512];
    if (setup() != 0)
        return -1;
    snprintf(path, sizeof path, "%s/flat.csv", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("timestamp,model,metric,value\n", f);
    for (int m = 0; m < 2 * 1440; m++) {
        const int day = 1 + m / 1440, h = m % 1440 / 60, mi = m % 60;
        fprintf(f, "2026-10-%02dT%02d:%02d:00Z," NOVA ",InputTokenCount,100000\n", day, h, mi);
        fprintf(f, "2026-10-%02dT%02d:%02d:00Z," NOVA ",OutputTokenCount,10000\n", day, h, mi);
    }
    fclose(f);
    /* the shipped catalog does not offer Nova Pro's Reserved tier: these tests are about the
     * sizing mechanics of a reservation, so their catalog offers it (no minimum for it, its
     * prices as shipped); "change from a baseline" fails should the edit not take */
    if (run("cp '%s'/pricing.json pricing.json%s", sample, "") != 0 ||
        run("sed -i '/\"" NOVA "\"/,/reserved_offered/s/\"reserved_offered\": false/"
            "\"reserved_offered\": true/' pricing.json%s%s",
            "", "") != 0 ||
        run("'%s' ingest --db f.db --period 60 flat.csv%s", bin, "") != 0)
        return -1;
    return 0;
}

/* A held 200,000 input and 20,000 output TPM serves 100,000 and 10,000 every minute: 50%
 * utilization each. A limit of 50% holds (it fails strictly below), 50.1% fails. */
static void test_utilization(void)
{
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --reserve-input-tpm 200000 "
                              "--reserve-output-tpm 20000 --fail-utilization-below 50%s",
                        bin, ""),
                    0);
    expect_in("out", "check: passed: 0 of 2 checks failed, 2 passed, 0 n/a");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --reserve-input-tpm 200000 "
                              "--reserve-output-tpm 20000 --fail-utilization-below 50.1%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": held input utilization 50.0% < 50.1% (held 200,000 "
                     "input TPM, simulated)\n");
    /* the new name of the same gate */
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --reserve-input-tpm 200000 "
                              "--reserve-output-tpm 20000 --fail-held-utilization-below 50.1%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": held output utilization 50.0% < 50.1%");
    expect_in("out", "FAIL " NOVA ": held output utilization 50.0% < 50.1%");
}

/* A held 50,000 input TPM is below the demand of every minute: 100% of minutes spill. */
static void test_spill(void)
{
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --reserve-input-tpm 50000 "
                              "--reserve-output-tpm 20000 --fail-spill-minutes-pct-above 99%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": spill minutes 100.0% > 99.0% (held reservation)");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --reserve-input-tpm 50000 "
                              "--reserve-output-tpm 20000 --fail-spill-minutes-pct-above 100%s",
                        bin, ""),
                    0);
    /* the held reservation's own gate: no traffic asked for reserved here, so simulated; the
     * spill name is an alias of the overflow one */
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --reserve-input-tpm 50000 "
                              "--reserve-output-tpm 20000 "
                              "--fail-held-overflow-minutes-pct-above 99%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": held overflow minutes 100.0% > 99.0% (held reservation, "
                     "simulated)");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --reserve-input-tpm 50000 "
                              "--reserve-output-tpm 20000 "
                              "--fail-held-spill-minutes-pct-above 100%s",
                        bin, ""),
                    0);
    /* without a held reservation the held gates are a usage error, named */
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-savings-vs-held-pct-above 5%s",
                        bin, ""),
                    2);
    expect_in("err", "--fail-savings-vs-held-pct-above is about a reservation held");
}

/* The newest minute is 2026-10-02T23:59, so the data ends at 2026-10-03T00:00 (the newest
 * minute + 1): to 2026-10-03T12:00 that is exactly 12 h, which does not fail "above 12"; at
 * 12:01 it is 12 h 1 min = 12.0167 h, which fails and prints with the decimals it takes not to
 * read as its threshold: "12.02 h > 12.00 h", not "12.0 h > 12.0 h". */
static void test_stale(void)
{
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above 12 "
                              "--now 2026-10-03T12:00:00Z%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above 12 "
                              "--now 2026-10-03T12:01:00Z%s",
                        bin, ""),
                    1);
    /* the note is left out where the line would pass 100 columns */
    expect_in("out", "FAIL " NOVA ": hours since the newest data 12.02 h > 12.00 h\n");
    /* a value far from its threshold keeps one decimal */
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above 10 "
                              "--now 2026-10-03T12:00:00Z%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": hours since the newest data 12.0 h > 10.0 h\n");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above 12.02 "
                              "--now 2026-10-03T12:01:00Z --format json%s",
                        bin, ""),
                    0);
    char *s = slurp("out");
    cJSON *j = cJSON_Parse(s);
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "checks"), 0);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(c, "value")->valuedouble, 721.0 / 60, 1e-9);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(c, "verdict")->valuestring, "pass");
    cJSON_Delete(j);
    free(s);
}

/* An export span of the first day only: 1,440 of the window's 2,880 minutes are covered, 50%.
 * Data ingested without a span (f.db) has unknown coverage: n/a, never 0%. */
static void test_coverage(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db g.db --period 60 --span-from 2026-10-01T00:00:00Z "
                              "--span-to 2026-10-02T00:00:00Z flat.csv%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL(run("'%s' check --db g.db --pricing pricing.json --model " NOVA
                        " --fail-coverage-below 50%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run("'%s' check --db g.db --pricing pricing.json --model " NOVA
                        " --fail-coverage-below 50.1%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": coverage 50.0% < 50.1% (of the window inside exported "
                     "spans)\n");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-coverage-below 99%s", bin, ""), 0);
    expect_in("out", "n/a  " NOVA ": coverage: coverage unknown: data ingested without export "
                     "spans");
    /* the report carries it, and diff shows it */
    CU_ASSERT_EQUAL(run("'%s' report --db g.db --pricing pricing.json --format json -o g.json%s",
                        bin, ""),
                    0);
    expect_in("g.json", "\"coverage_pct\":\t50,");
}

/* A day without traffic: its export has no datapoint, but it covers its span all the same.
 * Exports cover 10-01 and 10-02 (the flat data) and then 10-03 with nothing in it: the window
 * 10-01 .. 10-04 is 3 of 3 days covered, 100%, where it was 2 of 3 = 66.7% before the idle
 * day's export was ingested. An idle export of a series never stored lists nothing. */
static void test_idle_day(void)
{
    static const char idle[] =
        "{\"MetricDataResults\": [\n"
        "{\"Id\": \"input\", \"Label\": \"ModelId=" NOVA " InputTokenCount Period=60 "
        "Start=2026-10-03T00:00:00+00:00 End=2026-10-04T00:00:00+00:00\", \"Timestamps\": [], "
        "\"Values\": [], \"StatusCode\": \"Complete\"},\n"
        "{\"Id\": \"output\", \"Label\": \"ModelId=" NOVA " OutputTokenCount Period=60 "
        "Start=2026-10-03T00:00:00+00:00 End=2026-10-04T00:00:00+00:00\", \"Timestamps\": [], "
        "\"Values\": [], \"StatusCode\": \"Complete\"}],\n"
        "\"Messages\": []}\n";
    write_file("idle.json", idle);
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db h.db --period 60 --span-from "
                              "2026-10-01T00:00:00Z --span-to 2026-10-03T00:00:00Z flat.csv%s",
                              bin, ""),
                          0);
#define IDLE_CHECK                                                                             \
    "'%s' check --db h.db --pricing pricing.json --model " NOVA " --from 2026-10-01T00:00:00Z " \
    "--to 2026-10-04T00:00:00Z --fail-coverage-below 95%s"
    CU_ASSERT_EQUAL(run(IDLE_CHECK, bin, ""), 1);
    expect_in("out", "coverage 66.7% < 95.0%");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db h.db --strict idle.json%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run(IDLE_CHECK, bin, ""), 0);
    expect_in("out", "check: passed: 0 of 1 checks failed, 1 passed, 0 n/a");
#undef IDLE_CHECK
    /* into a database without the model: nothing stored, no series of nothing listed */
    CU_ASSERT_EQUAL(run("'%s' ingest --db i.db --strict idle.json%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' series --db i.db%s", bin, ""), 0);
    expect_in("out", "no series stored");
}

/* Edits the recommendation of the report JSON in base.json: input TPM x in_factor, output TPM
 * set to out_tpm (< 0: kept), the catalog hash replaced when sha is not NULL. Its flat region
 * is set to flat_in (input TPM [lo, hi], output unbounded) when flat_in is not NULL, else
 * removed (as in a report made before the region was reported). */
static void edit_baseline_flat(double in_factor, double out_tpm, const char *sha,
                               const double *flat_in)
{
    char *s = slurp("base.json");
    cJSON *j = cJSON_Parse(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    cJSON *best = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "models"), 0),
                            "recommendation"),
        "recommended");
    cJSON *res = cJSON_GetObjectItem(best, "reservation");
    cJSON_DeleteItemFromObject(best, "flat_region");
    if (flat_in != NULL) {
        const double out_range[2] = {0, 1e12};
        cJSON *fr = cJSON_AddObjectToObject(best, "flat_region");
        cJSON_AddItemToObject(fr, "input_tpm", cJSON_CreateDoubleArray(flat_in, 2));
        cJSON_AddItemToObject(fr, "output_tpm", cJSON_CreateDoubleArray(out_range, 2));
    }
    cJSON *in = cJSON_GetObjectItem(res, "input_tpm"), *out = cJSON_GetObjectItem(res,
                                                                                   "output_tpm");
    cJSON_SetNumberValue(in, in->valuedouble * in_factor);
    if (out_tpm >= 0)
        cJSON_SetNumberValue(out, out_tpm);
    if (sha != NULL)
        cJSON_SetValuestring(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "pricing"), "sha256"),
                             sha);
    char *text = cJSON_Print(j);
    write_file("edited.json", text);
    free(text);
    cJSON_Delete(j);
    free(s);
}

static void edit_baseline(double in_factor, double out_tpm, const char *sha)
{
    edit_baseline_flat(in_factor, out_tpm, sha, NULL);
}

/* Today's recommended input TPM is 1.25 x a baseline of 0.8 x it: +25%. */
static void test_change(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db f.db --pricing pricing.json --model " NOVA
                              " --format json -o base.json%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 0 "
                              "--baseline base.json%s",
                        bin, ""),
                    0); /* the same data and options: no change at all */
    edit_baseline(0.8, -1, NULL);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 25.1 "
                              "--baseline edited.json%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 24.9 "
                              "--baseline edited.json%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": change of recommended input TPM +25.0%, |change| > 24.9%");
    /* the same move inside the baseline's flat region is no change: today's 100,000 input TPM
     * lies in [80,000, 110,000]; a limit of 1% then fails nothing (the output and the cost
     * did not move) */
    const double flat[2] = {80000, 110000};
    edit_baseline_flat(0.8, -1, NULL, flat);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 1 --format json "
                              "--baseline edited.json%s",
                        bin, ""),
                    0);
    expect_in("out", "inside the baseline's flat region 80,000-110,000 TPM, no change");
    /* ... and one just outside it is a change again */
    const double narrow[2] = {80000, 99999};
    edit_baseline_flat(0.8, -1, NULL, narrow);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 24.9 "
                              "--baseline edited.json%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": change of recommended input TPM +25.0%, |change| > 24.9%");
    /* at the threshold as printed: 3,125 -> 10,000 output TPM is 6,875 / 3,125 x 100 = +220%,
     * 220.00000000000003 in doubles (as 20,000 -> 31,000 is 55.00000000000001): a limit of
     * 220 holds, one printed step below it fails */
    edit_baseline(1, 3125, NULL);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 220 "
                              "--baseline edited.json%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 219.999 "
                              "--baseline edited.json%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL " NOVA ": change of recommended output TPM +220.000%, |change| > "
                     "219.999%");
    /* from a baseline of 0, any change fails */
    edit_baseline(1, 0, NULL);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 1000 "
                              "--baseline edited.json%s",
                        bin, ""),
                    1);
    /* the note says what was found: a failure from 0 has no percentage to show */
    expect_in("out", "FAIL " NOVA ": change of recommended output TPM: baseline 0 TPM, now 10,000 "
                     "TPM (any\n     change from 0 fails) (limit 1,000.0%)\n");
    /* another catalog: said, not compared, not failed */
    edit_baseline(0.5, -1, "0000");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 1 "
                              "--baseline edited.json%s",
                        bin, ""),
                    0);
    expect_in("out", "note: the baseline was made with another price catalog");
    expect_in("out", "n/a  " NOVA ": change from the baseline: not compared: the baseline was made");
    expect_in("out", "different price catalog (sha256 0000... then");
    /* another term: likewise */
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 1 --term-months "
                              "3 --baseline base.json%s",
                        bin, ""),
                    0);
    expect_in("out", "different term (1 month then, 3 now)");
    /* a service level in the baseline only: a recommend output says so by its "slo" candidate */
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db f.db --pricing pricing.json --model " NOVA
                              " --max-spill-minutes-pct 5 --format json%s",
                              bin, ""),
                          0);
    char from[512], to[512];
    snprintf(from, sizeof from, "%s/out", dir);
    snprintf(to, sizeof to, "%s/slo.json", dir);
    CU_ASSERT_EQUAL_FATAL(rename(from, to), 0);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 1 --baseline "
                              "slo.json%s",
                        bin, ""),
                    0);
    expect_in("out", "service level then, none now");
}

static void test_usage_and_data_errors(void)
{
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json%s", bin, ""), 2);
    expect_in("err", "give at least one --fail-... threshold");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-utilization-below 5%s", bin, ""),
                    2);
    expect_in("err", "--fail-held-utilization-below is about a reservation held");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 5%s", bin, ""), 2);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above x%s", bin, ""), 2);
    /* a percentage gate takes 0 to 100: 150 % of the minutes cannot spill */
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-coverage-below 150%s", bin, ""), 2);
    expect_in("err", "--fail-coverage-below: \"150\" is not a percentage from 0 to 100");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-spill-minutes-pct-above 100.5%s",
                        bin, ""),
                    2);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --reserve-input-tpm 1 "
                              "--reserve-output-tpm 1 --fail-utilization-below 101%s",
                        bin, ""),
                    2);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-coverage-below -1%s", bin, ""), 2);
    /* the bounds themselves are limits */
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above 1000000 "
                              "--fail-coverage-below 100%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above 1 --format csv%s",
                        bin, ""),
                    2);
    CU_ASSERT_EQUAL(run("'%s' check --db f.db --pricing pricing.json --all --reserve-input-tpm 1 "
                        "--fail-utilization-below 5%s",
                        bin, ""),
                    2);
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above 1 --window-by "
                              "month%s",
                        bin, ""),
                    2);
    /* data errors are 2 as well: 1 means a threshold failed */
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 5 --baseline "
                              "missing.json%s",
                        bin, ""),
                    2);
    write_file("stats.json", "{\"models\":[],\"pricing\":{\"sha256\":\"x\"}}");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-change-pct-above 5 --baseline "
                              "stats.json%s",
                        bin, ""),
                    2);
    expect_in("err", "stats.json: not a tierplan recommend or report JSON output (it lacks "
                     "their keys");
    CU_ASSERT_EQUAL(run("'%s' check --db f.db --pricing pricing.json --model nope "
                        "--fail-stale-hours-above 1%s",
                        bin, ""),
                    2);
    /* a model the store does not hold is named, with the models it holds */
    expect_in("err", "no data for model \"nope\"; models in the store: " NOVA);
    CU_ASSERT_EQUAL(run("'%s' check --db missing.db --pricing pricing.json --all "
                        "--fail-stale-hours-above 1%s",
                        bin, ""),
                    2);
    CU_ASSERT_EQUAL(run("'%s' check --help%s", bin, ""), 0);
    expect_in("out", "--fail-model-monthly-cost-above USD");
}

/* A plan file entry for a model the database has no data for is warned about, naming the
 * stored models, by check and report alike (it would otherwise be silently unused). */
static void test_plan_unknown_model(void)
{
    write_file("plan.json", "{\"models\":{\"x.model\":{\"term_months\":1},"
                            "\"" NOVA "\":{\"term_months\":1}}}");
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --plan plan.json "
                              "--fail-stale-hours-above 1000000%s",
                        bin, ""),
                    0);
    expect_in("err", "warning: plan.json: model \"x.model\" has no data in the database, its "
                     "entry is not used;");
    expect_in("err", "models in the store: " NOVA);
    char *e = slurp("err");
    CU_ASSERT_PTR_NULL(strstr(e, "model \"" NOVA "\" has no data")); /* a stored one is fine */
    free(e);
    CU_ASSERT_EQUAL(run("'%s' report --db f.db --pricing pricing.json --plan plan.json%s", bin,
                        ""),
                    0);
    expect_in("err", "warning: plan.json: model \"x.model\" has no data in the database");
}

/* Markdown lists every check, holding ones too. */
static void test_markdown(void)
{
    CU_ASSERT_EQUAL(run(CHECK "--pricing pricing.json --fail-stale-hours-above 24 "
                              "--fail-fleet-monthly-cost-above 1 --now 2026-10-03T00:00:00Z "
                              "--format markdown%s",
                        bin, ""),
                    1);
    expect_in("out", "### tierplan check: FAILED: 1 of 2 checks failed, 1 passed, 0 n/a");
    expect_in("out", "| pass | `amazon.nova-pro-v1:0` | hours since the newest data | 0.0 h | "
                     "max 24.0 h |");
    expect_in("out", "| **FAIL** | **fleet** | fleet cost per month | $3,270.40 | max $1.00 | 1 model with data");
}

/* diff reads recommend and report outputs alike, and refuses what it cannot render. */
static void test_diff_cli(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db f.db --pricing pricing.json --model " NOVA
                              " --format json%s",
                              bin, ""),
                          0);
    char from[512], to[512];
    snprintf(from, sizeof from, "%s/out", dir);
    snprintf(to, sizeof to, "%s/rec.json", dir);
    CU_ASSERT_EQUAL_FATAL(rename(from, to), 0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db f.db --pricing pricing.json --model " NOVA
                              " --format json --scale 2 -o twice.json%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL(run("'%s' diff rec.json base.json%s", bin, ""), 0);
    expect_in("out", "models: 0 changed, 0 added, 0 removed, 1 unchanged");
    expect_in("out", "unchanged (1): " NOVA);
    CU_ASSERT_EQUAL(run("'%s' diff rec.json twice.json --format markdown%s", bin, ""), 0);
    expect_in("out", "| not comparable |");
    CU_ASSERT_EQUAL(run("'%s' diff rec.json twice.json --format json -o d.json%s", bin, ""), 0);
    expect_in("d.json", "\"not_comparable_reason\":\t\"a different what-if (scale 1 then, 2 now)\"");
    CU_ASSERT_EQUAL(run("'%s' diff rec.json --format csv twice.json%s", bin, ""), 2);
    CU_ASSERT_EQUAL(run("'%s' diff rec.json%s", bin, ""), 2);
    expect_in("err", "give two files: OLD.json NEW.json");
    CU_ASSERT_EQUAL(run("'%s' diff rec.json nothere.json%s", bin, ""), 3);
    expect_in("err", "nothere.json: No such file or directory");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("check", check_setup, teardown);
    CU_add_test(s, "utilization of a held reservation", test_utilization);
    CU_add_test(s, "spill of a held reservation", test_spill);
    CU_add_test(s, "staleness", test_stale);
    CU_add_test(s, "change from a baseline", test_change);
    CU_add_test(s, "coverage", test_coverage);
    CU_add_test(s, "a day without traffic covers its span", test_idle_day);
    CU_add_test(s, "usage and data errors", test_usage_and_data_errors);
    CU_add_test(s, "plan file models not stored", test_plan_unknown_model);
    CU_add_test(s, "markdown", test_markdown);
    CU_add_test(s, "diff", test_diff_cli);
}
