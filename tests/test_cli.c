/* test_cli.c - end to end: the tierplan binary on the bundled sample data and on bad input. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "tierplan/timestamp.h"

void register_tests(void);

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The README's main job: ingest the sample, then stats. The JSON must hold both models,
 * ordered percentiles, and a P50 that matches one computed here independently from the
 * exported CSV (every minute of the window, idle minutes as zero, linear interpolation). */
static void test_sample_end_to_end(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db s.db '%s'/sample-*.json", bin, sample), 0);
    expect_in("out", "sample-claude-sonnet.json: get-metric-data, ");
    expect_in("out", " 0 replaced, 0 unchanged");
    CU_ASSERT_EQUAL_FATAL(run("'%s' stats --db s.db --format json", bin, NULL), 0);
    char *out = slurp("out");
    cJSON *root = cJSON_Parse(out);
    free(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *models = cJSON_GetObjectItemCaseSensitive(root, "models");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(models), 2);
    cJSON *m = cJSON_GetArrayItem(models, 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(m, "model")->valuestring,
                           "amazon.nova-pro-v1:0");
    cJSON *w = cJSON_GetObjectItemCaseSensitive(m, "window");
    double minutes = cJSON_GetObjectItemCaseSensitive(w, "minutes")->valuedouble;
    double with_data = cJSON_GetObjectItemCaseSensitive(w, "minutes_with_data")->valuedouble;
    CU_ASSERT(minutes > 4000 && minutes <= 3 * 1440);
    CU_ASSERT(with_data > 1000 && with_data < minutes); /* idle minutes exist in the sample */
    cJSON *in = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "tpm"),
                                                 "input");
    const char *keys[] = {"p25", "p50", "p90", "p99", "max"};
    double prev = 0;
    for (int i = 0; i < 5; i++) {
        double v = cJSON_GetObjectItemCaseSensitive(in, keys[i])->valuedouble;
        CU_ASSERT(v >= prev);
        prev = v;
    }
    double p50 = cJSON_GetObjectItemCaseSensitive(in, "p50")->valuedouble;
    const char *from = cJSON_GetObjectItemCaseSensitive(w, "from")->valuestring;

    /* independent P50 from the CSV export of the same model */
    CU_ASSERT_EQUAL_FATAL(
        run("'%s' export --db s.db --model amazon.nova-pro-v1:0 -o nova.csv", bin, NULL), 0);
    char *csv = slurp("nova.csv");
    double *v = calloc((size_t)minutes, sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    int64_t start_s = 0, ts = 0;
    CU_ASSERT_EQUAL(tp_timestamp_parse(from, strlen(from), &start_s, NULL), TP_OK);
    for (char *save = NULL, *line = strtok_r(csv, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        char metric[64];
        double value;
        if (tp_timestamp_parse(line, 20, &ts, NULL) != TP_OK)
            continue; /* header */
        if (sscanf(strchr(line, ',') + 1, "%*[^,],%63[^,],%lf", metric, &value) != 2)
            continue;
        long long k = (long long)((ts - start_s) / 60);
        if (strcmp(metric, "InputTokenCount") == 0 && k >= 0 && k < (long long)minutes)
            v[k] = value;
    }
    qsort(v, (size_t)minutes, sizeof *v, cmp_double);
    double pos = 0.5 * (minutes - 1);
    size_t lo = (size_t)pos;
    double expect = v[lo] + (pos - (double)lo) * (lo + 1 < (size_t)minutes ? v[lo + 1] - v[lo] : 0);
    CU_ASSERT_DOUBLE_EQUAL(p50, expect, 1e-6);
    free(v);
    free(csv);
    cJSON_Delete(root);

    /* ingesting the same files again changes nothing */
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db '%s'/sample-nova-pro.json", bin, sample), 0);
    expect_in("out", " 0 new, 0 replaced, ");

    /* text and csv formats, TIERPLAN_DB instead of --db */
    CU_ASSERT_EQUAL(run("TIERPLAN_DB=s.db '%s' stats --model amazon.nova-pro-v1:0", bin, NULL),
                    0);
    expect_in("out", "model amazon.nova-pro-v1:0 (region unknown, account unknown)\n"
                     "window 2026-10-07T");
    expect_in("out", "input  ");
    CU_ASSERT_EQUAL(run("'%s' stats --db s.db --format csv --from 2026-10-08 --to 2026-10-09",
                        bin, NULL),
                    0);
    expect_in("out", "2026-10-08T00:00:00Z,2026-10-09T00:00:00Z,1440,");
}

/* A bad file fails the command with its name and location, and the database is unchanged. */
static void test_bad_input_leaves_db_unchanged(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db b.db '%s'/sample-nova-pro.json", bin, sample), 0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' export --db b.db -o before.csv", bin, NULL), 0);
    write_file("good.csv", "2026-10-20T00:00:00Z,amazon.nova-pro-v1:0,InputTokenCount,5\n");
    write_file("bad.json", "{\"MetricDataResults\":[{\"Id\":\"x\",\"Label\":\"ModelId=m "
                           "InputTokenCount\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],"
                           "\"Values\":[-3]}]}");
    CU_ASSERT_EQUAL(run("'%s' ingest --db b.db --period 60 good.csv bad.json", bin, NULL), 3);
    expect_in("err", "bad.json: $.MetricDataResults[0].Values[0]: negative value -3");
    expect_in("err", "nothing from this command was stored");
    CU_ASSERT_EQUAL_FATAL(run("'%s' export --db b.db -o after.csv", bin, NULL), 0);
    char *before = slurp("before.csv"), *after = slurp("after.csv");
    CU_ASSERT(strlen(before) > 1000);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(before);
    free(after);
    CU_ASSERT_EQUAL(run("'%s' ingest --db b.db missing.json", bin, NULL), 3);
    expect_in("err", "missing.json: No such file or directory");
    write_file("broken.json", "{\n\"MetricDataResults\": [\n}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db b.db broken.json", bin, NULL), 3);
    expect_in("err", "broken.json:3: malformed JSON");
    CU_ASSERT_EQUAL(run("'%s' ingest --db b.db --max-input-mb 1 '%s'/sample-claude-sonnet.json",
                        bin, sample),
                    0); /* under 1 MiB: accepted */
    CU_ASSERT_EQUAL(run("head -c 2000000 /dev/zero | tr '\\\\0' ' ' | '%s' ingest --db b.db "
                        "--max-input-mb 1 -",
                        bin, NULL),
                    3);
    expect_in("err", "<stdin>: over the input cap of 1048576 bytes");
}

/* CSV from stdin with --model/--metric, and a NextToken warning on stderr. */
static void test_stdin_and_warnings(void)
{
    CU_ASSERT_EQUAL(run("printf '2026-10-05T14:00:00Z,x,InputTokenCount,5\\n' | '%s' ingest "
                        "--db w.db --period 60 -",
                        bin, NULL),
                    0);
    expect_in("out", "<stdin>: csv, 1 point in 1 series");
    write_file("p1.json", "{\"MetricDataResults\":[{\"Id\":\"a\",\"Label\":\"ModelId=x "
                          "OutputTokenCount Period=60\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],"
                          "\"Values\":[1],\"StatusCode\":\"Complete\"}],\"NextToken\":\"t\"}");
    CU_ASSERT_EQUAL(run("'%s' ingest --db w.db p1.json", bin, NULL), 0);
    expect_in("err", "warning: p1.json: has a NextToken but its next page was not given");
}

/* simulate end to end on the three hand-worked minutes of test_simulate.c (coupled, standard):
 * spill 0.631875, baseline 1.6575 USD. The reservation, (95 x 0.12 + 30 x 0.60) = 29.4 USD an
 * hour, is billed 730 h a calendar month (docs/model.md, "Terms"): 3 minutes of October (744 h)
 * are 3/60 x 730/744 billed hours, 29.4 x 0.05 x 730/744 = 1.47 x 730/744 = 1.4423387 USD
 * (0.49 x 730/744 = 0.4807796 a minute); total 2.0742137. */
static void test_simulate(void)
{
    write_file("cat.json",
               "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
               "\"models\":{\"m\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,"
               "\"cache_read\":0.3,\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":"
               "{\"input\":0.12,\"output\":0.60}}}}");
    write_file("three.csv", "timestamp,model,metric,value\n"
                            "2026-10-05T14:00:00Z,m,InputTokenCount,100000\n"
                            "2026-10-05T14:00:00Z,m,CacheReadInputTokenCount,900000\n"
                            "2026-10-05T14:00:00Z,m,OutputTokenCount,20000\n"
                            "2026-10-05T14:01:00Z,m,InputTokenCount,50000\n"
                            "2026-10-05T14:01:00Z,m,CacheWriteInputTokenCount,10000\n"
                            "2026-10-05T14:01:00Z,m,OutputTokenCount,40000\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db sim.db --period 60 three.csv", bin, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' simulate --db sim.db --pricing cat.json --model m "
                              "--reserve-input-tpm 95000 --reserve-output-tpm 30000 "
                              "--from 2026-10-05T14:00Z --to 2026-10-05T14:03Z --format json "
                              "--per-minute trace.csv",
                              bin, NULL),
                          0);
    char *out = slurp("out");
    cJSON *root = cJSON_Parse(out);
    free(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *cost = cJSON_GetObjectItemCaseSensitive(root, "cost_usd");
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItemCaseSensitive(cost, "reserved")->valuedouble,
                           1.47 * 730 / 744, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItemCaseSensitive(cost, "spill")->valuedouble,
                           0.631875, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItemCaseSensitive(cost, "total")->valuedouble,
                           1.47 * 730 / 744 + 0.631875, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(
        cJSON_GetObjectItemCaseSensitive(cost, "on_demand_baseline")->valuedouble, 1.6575, 1e-9);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(root, "spill_model")->valuestring,
                           "coupled");
    cJSON *spill = cJSON_GetObjectItemCaseSensitive(root, "spill");
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(spill, "minutes")->valueint, 2);
    CU_ASSERT(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "example_prices")));
    cJSON *pricing = cJSON_GetObjectItemCaseSensitive(root, "pricing");
    CU_ASSERT_EQUAL(strlen(cJSON_GetObjectItemCaseSensitive(pricing, "sha256")->valuestring), 64);
    cJSON *ingests = cJSON_GetObjectItemCaseSensitive(root, "ingests");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(ingests), 1);
    CU_ASSERT_EQUAL(cJSON_GetArrayItem(ingests, 0)->valueint, 1);
    cJSON_Delete(root);
    expect_in("trace.csv", "2026-10-05T14:02:00Z,0,0,0,0,0,0,0,0,0,0,0,0.4807795698924731,0,"
                           "0.4807795698924731\n");

    /* no reservation at all: everything at on-demand, savings 0, utilization null */
    CU_ASSERT_EQUAL(run("'%s' simulate --db sim.db --pricing cat.json --model m "
                        "--reserve-input-tpm 0 --reserve-output-tpm 0 --format json",
                        bin, NULL),
                    0);
    expect_in("out", "\"input\":\tnull");
    /* the shipped catalog's example reserved prices are flagged */
    CU_ASSERT_EQUAL(run("'%s' ingest --db ex.db '%s'/sample-nova-pro.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' simulate --db ex.db --pricing '%s'/pricing.json "
                        "--model amazon.nova-pro-v1:0 --reserve-input-tpm 100000 "
                        "--reserve-output-tpm 30000",
                        bin, sample),
                    0);
    expect_in("out", "note: the reserved prices, term discounts and reservation grid (minimum, step) of");
    /* stats burns cache reads down: the effective input row uses the catalog's factors */
    CU_ASSERT_EQUAL(run("'%s' stats --db sim.db --pricing cat.json --format csv --from "
                        "2026-10-05T14:00Z --to 2026-10-05T14:02Z",
                        bin, NULL),
                    0);
    /* effective minutes {190000, 60000}, sorted {60000, 190000}, n - 1 = 1:
     * P25 60000 + 0.25 x 130000 = 92500; P50 125000; P90 60000 + 0.9 x 130000 = 177000;
     * P99 60000 + 0.99 x 130000 = 188700; max 190000; mean 125000 */
    expect_in("out", "\"m\",effective_input,2026-10-05T14:00:00Z,2026-10-05T14:02:00Z,2,2,"
                     "92500,125000,177000,188700,190000,125000,total,,\n");
    /* errors: a model the catalog lacks, a missing reservation, a bad catalog */
    CU_ASSERT_EQUAL(run("'%s' ingest --db sim.db --period 60 --model other - < three.csv", bin,
                        NULL),
                    0);
    CU_ASSERT_EQUAL(run("'%s' simulate --db sim.db --pricing cat.json --model other "
                        "--reserve-input-tpm 1 --reserve-output-tpm 1",
                        bin, NULL),
                    1);
    expect_in("err", "cat.json: no price entry for model \"other\"");
    CU_ASSERT_EQUAL(run("'%s' simulate --db sim.db --pricing cat.json --model m "
                        "--reserve-input-tpm 1",
                        bin, NULL),
                    2);
    write_file("bad.json", "{\"currency\":\"USD\",\"tiers\":{\"standard\":1,"
                           "\"priority\":-2},\"models\":{}}");
    CU_ASSERT_EQUAL(run("'%s' simulate --db sim.db --pricing bad.json --model m "
                        "--reserve-input-tpm 1 --reserve-output-tpm 1",
                        bin, NULL),
                    3);
    expect_in("err", "bad.json: tiers.priority: negative value -2");
}

/* recommend on the sample data: every candidate, the optimum recommended, JSON as documented;
 * too little data is refused unless --force; terms, service levels and what-if. */
static void test_recommend(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db rec.db '%s'/sample-claude-sonnet.json", bin,
                              sample),
                          0);
    const char *model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db rec.db --pricing '%%s'/pricing.json --model %s "
             "--term-months 3 --format json",
             model);
    CU_ASSERT_EQUAL_FATAL(run(cmd, bin, sample), 0);
    char *out = slurp("out");
    cJSON *root = cJSON_Parse(out);
    free(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *cands = cJSON_GetObjectItemCaseSensitive(root, "candidates");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cands), 7);
    const char *bases[] = {"p25", "p50", "p90", "p99", "optimal", "on_demand", "all_priority"};
    double opt_total = 0;
    for (int k = 0; k < 7; k++) {
        cJSON *c = cJSON_GetArrayItem(cands, k);
        CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(c, "basis")->valuestring,
                               bases[k]);
        double total = cJSON_GetObjectItemCaseSensitive(
                           cJSON_GetObjectItemCaseSensitive(c, "cost_usd"), "total")
                           ->valuedouble;
        if (k == 4)
            opt_total = total;
    }
    for (int k = 0; k < 6; k++) { /* the optimum beats every same-tier candidate */
        cJSON *c = cJSON_GetArrayItem(cands, k);
        double total = cJSON_GetObjectItemCaseSensitive(
                           cJSON_GetObjectItemCaseSensitive(c, "cost_usd"), "total")
                           ->valuedouble;
        CU_ASSERT(opt_total <= total + 1e-9);
    }
    cJSON *best = cJSON_GetObjectItemCaseSensitive(root, "recommended");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(best, "basis")->valuestring,
                           "optimal");
    CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItemCaseSensitive(best, "reason"));
    /* per hour x 730 = per month; x 3 = per term */
    double ph = cJSON_GetObjectItemCaseSensitive(best, "cost_per_hour_usd")->valuedouble;
    double pm = cJSON_GetObjectItemCaseSensitive(best, "cost_per_month_usd")->valuedouble;
    double pt = cJSON_GetObjectItemCaseSensitive(best, "cost_per_term_usd")->valuedouble;
    CU_ASSERT_DOUBLE_EQUAL(pm, ph * 730, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(pt, pm * 3, 1e-6);
    cJSON *term = cJSON_GetObjectItemCaseSensitive(root, "term");
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItemCaseSensitive(term, "discount")->valuedouble, 0.9,
                           0);
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "example_prices")));
    cJSON_Delete(root);

    /* a service level: at most 1% of minutes spill; recommended is the slo candidate */
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db rec.db --pricing '%%s'/pricing.json --model %s "
             "--max-spill-minutes-pct 1 --format csv",
             model);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", ",slo,true,");
    /* what-if: doubling demand is said in the output */
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db rec.db --pricing '%%s'/pricing.json --model %s --scale 2 "
             "--cache-hit-delta 0.1",
             model);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", "what-if: demand x 2, cache-hit share +0.1");
    /* less than a day of data: refused, unless --force */
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db rec.db --pricing '%%s'/pricing.json --model %s "
             "--from 2026-10-08T00:00Z --to 2026-10-08T06:00Z",
             model);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 3);
    expect_in("err", "only 360 minutes of data");
    strcat(cmd, " --force");
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    /* backtest: sized on the first two days, replayed on the third */
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db rec.db --pricing '%%s'/pricing.json --model %s "
             "--train-until 2026-10-09T00:00Z --force",
             model);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", "trained (test)");
    expect_in("out", "regret: ");
    /* seasonal windows shorter than the term are refused, naming the window */
    write_file("w.csv", "from,to\n2026-10-07,2026-10-10\n");
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db rec.db --pricing '%%s'/pricing.json --model %s "
             "--windows w.csv",
             model);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 3);
    expect_in("err", "window 2026-10-07T00:00:00Z .. 2026-10-10T00:00:00Z is shorter than the "
                     "1-month commitment term");
    CU_ASSERT_EQUAL(run("'%s' recommend --db rec.db --model m --window-by week", bin, NULL), 2);
    /* usage errors */
    CU_ASSERT_EQUAL(run("'%s' recommend --db rec.db --model m --term-months 0", bin, NULL), 2);
    expect_in("err", "--term-months: \"0\" is not a whole number of months from 1 to 120");
    /* any term the catalog lists works; one it does not list is the catalog's error */
    write_file("terms.json", "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1},"
                             "\"models\":{\"*\":{\"on_demand_per_million\":{\"input\":3,"
                             "\"output\":15,\"cache_read\":0.3,\"cache_write\":3.75},"
                             "\"reserved_per_1k_tpm_hour\":{\"input\":0.12,\"output\":0.6},"
                             "\"reserved_term_discount\":{\"2\":0.95,\"12\":0.7}}}}");
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db rec.db --pricing terms.json --model %s --term-months 2", model);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    expect_in("out", "term 2 months (reserved price x 0.95)");
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db rec.db --pricing terms.json --model %s --term-months 3", model);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 3);
    expect_in("err", "has no 3-month term (it lists 2, 12 months)");
    CU_ASSERT_EQUAL(run("'%s' recommend --db rec.db --model m --max-throttled-minutes 3", bin,
                        NULL),
                    2);
    expect_in("err", "--max-throttled-minutes needs --spill-to none");
}

/* Number of lines of `file` wider than 100 columns. */
static int wide_lines(const char *file)
{
    char *s = slurp(file);
    int wide = 0;
    for (const char *l = s; *l != '\0';) {
        size_t len = strcspn(l, "\n");
        wide += len > 100 && strncmp(l, "prices: ", 8) != 0; /* names a path */
        l += len + (l[len] == '\n');
    }
    free(s);
    return wide;
}

/* A number at a JSON path of candidate c: "cost_usd.total" style, one level deep at most. */
static double cand_num(const cJSON *c, const char *obj, const char *name)
{
    const cJSON *o = obj != NULL ? cJSON_GetObjectItemCaseSensitive(c, obj) : c;
    return cJSON_GetObjectItemCaseSensitive(o, name)->valuedouble;
}

/* recommend and simulate under a quota on the sample (3 days of Claude Sonnet 4.5). */
static void test_quota(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db quota.db '%s'/sample-claude-sonnet.json", bin,
                              sample),
                          0);
    const char *base = "'%s' recommend --db quota.db --pricing '%s'/pricing.json "
                       "--model us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    char cmd[1024];
    /* a quota never makes the search infeasible (this was refused as "too many" pairs) */
    snprintf(cmd, sizeof cmd, "%s --quota-tpm 400000", base);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", "nothing is throttled by the quota");
    /* --max-throttled-minutes with a quota is a constraint (was "not supported yet") */
    snprintf(cmd, sizeof cmd, "%s --quota-tpm 200000 --max-throttled-minutes 50", base);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", "\n on_demand  ");
    expect_in("out", "  THROTTLES 2,663 minutes, ");
    expect_in("out", "it throttles 50 minutes (--max-throttled-minutes 50 allows it)");
    CU_ASSERT_EQUAL(wide_lines("out"), 0);
    /* JSON: on_demand runs under the quota like every row; savings are against the tokens
     * served, so a row that throttles never shows the throttled traffic as saved */
    snprintf(cmd, sizeof cmd, "%s --quota-tpm 200000 --format json", base);
    CU_ASSERT_EQUAL_FATAL(run(cmd, bin, sample), 0);
    char *out = slurp("out");
    cJSON *root = cJSON_Parse(out);
    free(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "candidates"))
    {
        const double thr_value = cand_num(c, NULL, "throttled_value_usd");
        const double served = cand_num(c, "cost_usd", "served_value");
        CU_ASSERT_DOUBLE_EQUAL(served, cand_num(c, "cost_usd", "on_demand_baseline") - thr_value,
                               1e-6);
        CU_ASSERT_DOUBLE_EQUAL(cand_num(c, "cost_usd", "savings"),
                               served - cand_num(c, "cost_usd", "total"), 1e-6);
        if (strcmp(cJSON_GetObjectItemCaseSensitive(c, "basis")->valuestring, "on_demand") == 0) {
            CU_ASSERT_EQUAL(cand_num(c, "throttled", "minutes"), 2663);
            CU_ASSERT(thr_value > 0);
            CU_ASSERT_DOUBLE_EQUAL(cand_num(c, NULL, "savings_pct"), 0, 1e-9);
        }
    }
    c = cJSON_GetObjectItemCaseSensitive(root, "recommended");
    CU_ASSERT_EQUAL(cand_num(c, "throttled", "minutes"), 0);
    cJSON_Delete(root);
    /* simulate: no reservation under the quota saves nothing (the throttled traffic is not
     * served), and the throttling is marked */
    CU_ASSERT_EQUAL(run("'%s' simulate --db quota.db --pricing '%s'/pricing.json "
                        "--model us.anthropic.claude-sonnet-4-5-20250929-v1:0 --quota-tpm 200000 "
                        "--reserve-input-tpm 0 --reserve-output-tpm 0",
                        bin, sample),
                    0);
    expect_in("out", "\nsavings                        0.0%\n");
    expect_in("out", " minutes  THROTTLES\n");
    expect_in("out", "\nthrottled value ");
    CU_ASSERT_EQUAL(wide_lines("out"), 0);
    /* a savings percentage in the thousands keeps its column (reserved prices x 30) */
    CU_ASSERT_EQUAL(run("cp '%s'/pricing.json dear.json", sample, NULL), 0);
    CU_ASSERT_EQUAL(run("sed -i 's/\"input\": 0.12, \"output\": 0.60/\"input\": 3.6, "
                        "\"output\": 18/' dear.json",
                        NULL, NULL),
                    0);
    CU_ASSERT_EQUAL(run("'%s' recommend --db quota.db --pricing dear.json "
                        "--model us.anthropic.claude-sonnet-4-5-20250929-v1:0 "
                        "--max-spill-minutes-pct 0",
                        bin, NULL),
                    0);
    expect_in("out", "%\n");
    char *text = slurp("out");
    const char *hdr = strstr(text, "candidate ");
    CU_ASSERT_PTR_NOT_NULL_FATAL(hdr);
    const size_t width = strcspn(hdr, "\n");
    int rows = 0, misaligned = 0;
    for (const char *l = hdr + width + 1; *l == ' ' || *l == '*'; l += strcspn(l, "\n") + 1) {
        if (strncmp(l, "  THROTTLES", 11) == 0)
            continue;
        rows++;
        misaligned += strcspn(l, "\n") != width;
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "% ")); /* e.g. "-1,775.5%": 9 columns */
    free(text);
    CU_ASSERT_EQUAL(rows, 8);
    CU_ASSERT_EQUAL(misaligned, 0);
}

static void test_help_and_usage(void)
{
    const char *cmds[] = {"ingest", "stats", "simulate", "recommend", "export", "export-cmd"};
    char line[256];
    for (size_t i = 0; i < 6; i++) {
        snprintf(line, sizeof line, "'%%s' %s --help", cmds[i]);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 0);
        snprintf(line, sizeof line, "usage: tierplan %s", cmds[i]);
        expect_in("out", line);
        /* help is printed as written: no printf escapes left in it, no line over 100 columns */
        char *help = slurp("out");
        CU_ASSERT_PTR_NULL(strstr(help, "%%"));
        for (const char *l = help; *l != '\0';) {
            size_t len = strcspn(l, "\n");
            if (len > 100)
                fprintf(stderr, "\n  %s --help: a line of %zu columns", cmds[i], len);
            CU_ASSERT(len <= 100);
            l += len + (l[len] == '\n');
        }
        free(help);
    }
    CU_ASSERT_EQUAL(run("'%s' --help", bin, NULL), 0);
    expect_in("out", "commands:");
    CU_ASSERT_EQUAL(run("'%s' frobnicate", bin, NULL), 2);
    expect_in("err", "unknown command \"frobnicate\"");
    CU_ASSERT_EQUAL(run("'%s' stats --format xml", bin, NULL), 2);
    expect_in("err", "\"xml\" is not one of text, json, csv");
    CU_ASSERT_EQUAL(run("'%s' ingest", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' ingest --period 90 x.json", bin, NULL), 2);
    /* an empty database is a normal state: it says so and succeeds (ingest creates it) */
    CU_ASSERT_EQUAL(run("printf 'timestamp,model,metric,value\\n' | '%s' ingest --db empty.db -",
                        bin, NULL),
                    0);
    CU_ASSERT_EQUAL(run("'%s' stats --db empty.db", bin, NULL), 0);
    expect_in("out", "no data yet; see tierplan export-cmd and tierplan ingest");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --model amazon.nova-pro-v1:0 --days 20", bin, NULL), 0);
    expect_in("out", "aws cloudwatch get-metric-data");
    expect_in("out", "Period=300");
    CU_ASSERT_EQUAL(run("'%s' export-cmd", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' version", bin, NULL), 0);
    expect_in("out", "tierplan ");
}

/* The script export-cmd writes stops at the first aws command that fails, with status 3 (a
 * failed step, never the 1 of a verdict), and leaves no partial file: a fake aws writes half
 * a document and fails on its second call; the first export is whole, the second is gone
 * (not even its .part), the third never ran. */
static void test_export_script_stops(void)
{
    CU_ASSERT_EQUAL(run("mkdir -p xs/bin && { '%s' export-cmd --model amazon.nova-pro-v1:0 "
                        "--days 80 --end 2026-10-10 --now 2026-10-10 >xs/cmds.sh; }",
                        bin, NULL),
                    0);
    write_file("xs/bin/aws", "#!/bin/sh\n"
                             "n=$(cat calls 2>/dev/null || echo 0); n=$((n + 1)); echo $n >calls\n"
                             "echo '{\"MetricDataResults\": []}'\n"
                             "[ $n -ne 2 ] || { printf '{ half'; exit 255; }\n");
    CU_ASSERT_EQUAL(run("chmod +x xs/bin/aws", NULL, NULL), 0);
    CU_ASSERT_EQUAL(run("(cd xs && PATH=\"$PWD/bin:$PATH\" sh cmds.sh)", NULL, NULL), 3);
    expect_in("err", "export stopped: the aws command for tierplan-amazon.nova-pro-v1_0-"
                     "20261010T0000Z-300s.json failed (status 255)");
    CU_ASSERT_EQUAL(run("(cd xs && cat calls && ls tierplan-*)", NULL, NULL), 0);
    char *ls = slurp("out");
    CU_ASSERT_STRING_EQUAL(ls, "2\ntierplan-amazon.nova-pro-v1_0-20261010T0000Z-3600s.json\n");
    free(ls);
}

/* Every command's --help, byte for byte, against tests/data/help: the help is built from the
 * same option table as the parser (src/cli/optable.h), and must not change by accident. */
static void test_help_golden(void)
{
    const char *cmds[] = {"ingest",  "stats",    "simulate", "recommend", "report",
                          "check",   "diff",     "project",  "showback",  "export",
                          "export-cmd", "series", "relabel"};
    char line[512];
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        snprintf(line, sizeof line, "'%%s' %s --help | cmp - \"$TP_TEST_DATA/help/%s.txt\"",
                 cmds[i], cmds[i]);
        if (run(line, bin, NULL) != 0)
            fprintf(stderr, "\n  %s --help differs from tests/data/help/%s.txt", cmds[i], cmds[i]);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 0);
    }
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --help | "
                        "cmp - \"$TP_TEST_DATA/help/export-cmd-logs.txt\"", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source athena --help | "
                        "cmp - \"$TP_TEST_DATA/help/export-cmd-athena.txt\"", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider azure --help | "
                        "cmp - \"$TP_TEST_DATA/help/export-cmd-provider.txt\"", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' --help | cmp - \"$TP_TEST_DATA/help/tierplan.txt\"", bin, NULL), 0);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli", setup, teardown);
    CU_add_test(s, "sample end to end", test_sample_end_to_end);
    CU_add_test(s, "bad input leaves db unchanged", test_bad_input_leaves_db_unchanged);
    CU_add_test(s, "stdin and warnings", test_stdin_and_warnings);
    CU_add_test(s, "simulate", test_simulate);
    CU_add_test(s, "recommend", test_recommend);
    CU_add_test(s, "quota", test_quota);
    CU_add_test(s, "help and usage", test_help_and_usage);
    CU_add_test(s, "help golden", test_help_golden);
    CU_add_test(s, "export script stops", test_export_script_stops);
}
