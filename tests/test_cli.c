/* test_cli.c - end to end: the tierplan binary on the bundled sample data and on bad input. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tierplan/timestamp.h"

void register_tests(void);

static char dir[256], bin[1024], sample[1024];

/* Runs a shell command line; stdout and stderr land in dir/out and dir/err. Returns the
 * exit status. The command text is ours (test constants and paths), never user input. */
static int run(const char *fmt, const char *a, const char *b)
{
    char cmd[8192], line[4096];
    /* fmt is always a test constant; the help test builds it from command names */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(line, sizeof line, fmt, a ? a : "", b ? b : "");
#pragma GCC diagnostic pop
    snprintf(cmd, sizeof cmd, "cd '%s' && %s >out 2>err", dir, line);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t)n + 1, 1);
    if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n)
        s[0] = '\0';
    fclose(f);
    return s;
}

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static void expect_in(const char *file, const char *needle)
{
    char *s = slurp(file);
    if (strstr(s, needle) == NULL)
        fprintf(stderr, "\n  expected \"%s\" in %s:\n%s\n", needle, file, s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, needle));
    free(s);
}

static int setup(void)
{
    const char *b = getenv("TIERPLAN_BIN"), *d = getenv("TP_SAMPLE_DATA");
    if (b == NULL || d == NULL)
        return -1;
    snprintf(bin, sizeof bin, "%s", b);
    snprintf(sample, sizeof sample, "%s", d);
    snprintf(dir, sizeof dir, "/tmp/tierplan-cli-XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

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
    CU_ASSERT_EQUAL(tp_time_parse(from, strlen(from), &start_s, NULL), TP_OK);
    for (char *save = NULL, *line = strtok_r(csv, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        char metric[64];
        double value;
        if (tp_time_parse(line, 20, &ts, NULL) != TP_OK)
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
    expect_in("out", "model amazon.nova-pro-v1:0\nwindow 2026-10-07T");
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
    CU_ASSERT_EQUAL(run("'%s' ingest --db b.db --period 60 good.csv bad.json", bin, NULL), 1);
    expect_in("err", "bad.json: $.MetricDataResults[0].Values[0]: negative value -3");
    expect_in("err", "nothing from this command was stored");
    CU_ASSERT_EQUAL_FATAL(run("'%s' export --db b.db -o after.csv", bin, NULL), 0);
    char *before = slurp("before.csv"), *after = slurp("after.csv");
    CU_ASSERT(strlen(before) > 1000);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(before);
    free(after);
    CU_ASSERT_EQUAL(run("'%s' ingest --db b.db missing.json", bin, NULL), 1);
    expect_in("err", "missing.json: No such file or directory");
    write_file("broken.json", "{\n\"MetricDataResults\": [\n}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db b.db broken.json", bin, NULL), 1);
    expect_in("err", "broken.json:3: malformed JSON");
    CU_ASSERT_EQUAL(run("'%s' ingest --db b.db --max-input-mb 1 '%s'/sample-claude-sonnet.json",
                        bin, sample),
                    0); /* under 1 MiB: accepted */
    CU_ASSERT_EQUAL(run("head -c 2000000 /dev/zero | tr '\\\\0' ' ' | '%s' ingest --db b.db "
                        "--max-input-mb 1 -",
                        bin, NULL),
                    1);
    expect_in("err", "<stdin>: over the input cap of 1048576 bytes");
}

/* CSV from stdin with --model/--metric, and a NextToken warning on stderr. */
static void test_stdin_and_warnings(void)
{
    CU_ASSERT_EQUAL(run("printf '2026-10-05T14:00:00Z,x,InputTokenCount,5\\n' | '%s' ingest "
                        "--db w.db --period 60 -",
                        bin, NULL),
                    0);
    expect_in("out", "<stdin>: csv, 1 points in 1 series");
    write_file("p1.json", "{\"MetricDataResults\":[{\"Id\":\"a\",\"Label\":\"ModelId=x "
                          "OutputTokenCount Period=60\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],"
                          "\"Values\":[1],\"StatusCode\":\"Complete\"}],\"NextToken\":\"t\"}");
    CU_ASSERT_EQUAL(run("'%s' ingest --db w.db p1.json", bin, NULL), 0);
    expect_in("err", "warning: p1.json: has a NextToken but its next page was not given");
}

/* simulate end to end on the three hand-worked minutes of test_simulate.c (coupled, standard):
 * reserved 1.47, spill 0.631875, total 2.101875, baseline 1.6575 USD. */
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
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItemCaseSensitive(cost, "reserved")->valuedouble, 1.47,
                           1e-9);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItemCaseSensitive(cost, "spill")->valuedouble,
                           0.631875, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItemCaseSensitive(cost, "total")->valuedouble,
                           2.101875, 1e-9);
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
    expect_in("trace.csv", "2026-10-05T14:02:00Z,0,0,0,0,0,0,0,0,0,0,0,0.49,0,0.49\n");

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
                     "92500,125000,177000,188700,190000,125000\n");
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
                    1);
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
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 1);
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
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 1);
    expect_in("err", "window 2026-10-07T00:00:00Z .. 2026-10-10T00:00:00Z is shorter than the "
                     "1-month commitment term");
    CU_ASSERT_EQUAL(run("'%s' recommend --db rec.db --model m --window-by week", bin, NULL), 2);
    /* usage errors */
    CU_ASSERT_EQUAL(run("'%s' recommend --db rec.db --model m --term-months 2", bin, NULL), 2);
    expect_in("err", "--term-months: \"2\" is not 1, 3 or 6");
    CU_ASSERT_EQUAL(run("'%s' recommend --db rec.db --model m --max-throttled-minutes 3", bin,
                        NULL),
                    2);
    expect_in("err", "--max-throttled-minutes needs --spill-to none");
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

/* A --db path with no file is an error for every command but ingest, which creates it;
 * the readers create nothing (not even WAL files). */
static void test_missing_db(void)
{
    const char *cmds[] = {"stats", "export", "recommend --model m",
                          "simulate --model m --reserve-input-tpm 1 --reserve-output-tpm 1"};
    char line[512];
    for (size_t i = 0; i < 4; i++) {
        snprintf(line, sizeof line, "'%%s' %s --db nodb.db", cmds[i]);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 1);
        expect_in("err", "tierplan: error: nodb.db: no database there (tierplan ingest creates "
                         "one)\n");
        CU_ASSERT_EQUAL(run("ls nodb.db*", NULL, NULL), 2); /* ls: no such file */
    }
    /* the default path too, when neither --db nor TIERPLAN_DB names one */
    CU_ASSERT_EQUAL(run("(mkdir -p nd && cd nd && TIERPLAN_DB= '%s' stats)", bin, NULL), 1);
    expect_in("err", "tierplan.db: no database there");
    CU_ASSERT_EQUAL(run("ls nd/tierplan.db", NULL, NULL), 2);
    /* export-cmd reads no database; ingest creates one */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --db nodb.db --model m", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' ingest --db nodb.db -q '%s'/sample-nova-pro.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db nodb.db --format csv", bin, NULL), 0);
}

/* No data for the model or the window is an error (exit 1) naming what the store holds,
 * never an all-zero answer; a model stored under its cross-region profile id is suggested,
 * before any price catalog lookup. */
static void test_no_data(void)
{
    const char *models = "models in the store: amazon.nova-pro-v1:0, "
                         "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db nd.db '%s'/sample-*.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db nd.db --model nova", bin, NULL), 1);
    expect_in("err", "error: no data for model \"nova\"; ");
    expect_in("err", models);
    /* the catalog has no "nova" either: the data is checked first, so the error is the data's */
    CU_ASSERT_EQUAL(run("'%s' simulate --db nd.db --pricing '%s'/pricing.json --model nova "
                        "--reserve-input-tpm 1 --reserve-output-tpm 1",
                        bin, sample),
                    1);
    expect_in("err", models);
    /* traffic stored under the cross-region profile id: the bare model id is pointed to it */
    CU_ASSERT_EQUAL(run("'%s' recommend --db nd.db --pricing '%s'/pricing.json --model "
                        "anthropic.claude-sonnet-4-5-20250929-v1:0",
                        bin, sample),
                    1);
    expect_in("err", "no data for model \"anthropic.claude-sonnet-4-5-20250929-v1:0\"; did you "
                     "mean us.anthropic.claude-sonnet-4-5-20250929-v1:0? models in the store: ");
    /* windows outside the data (2026-10-07 .. 2026-10-10): every command refuses */
    const char *span = "; its data spans 2026-10-07T00:02:00Z .. 2026-10-09T23:59:00Z";
    CU_ASSERT_EQUAL(run("'%s' stats --db nd.db --model amazon.nova-pro-v1:0 --from 2025-01-01 "
                        "--to 2025-01-02",
                        bin, NULL),
                    1);
    expect_in("err", "no data for model \"amazon.nova-pro-v1:0\" in the window "
                     "2025-01-01T00:00:00Z .. 2025-01-02T00:00:00Z");
    expect_in("err", span);
    CU_ASSERT_EQUAL(run("'%s' stats --db nd.db --from 2027-01-01", bin, NULL), 1);
    expect_in("err", "no data for any of the 2 stored models (no data for model ");
    expect_in("err", " from 2027-01-01T00:00:00Z on; its data spans ");
    CU_ASSERT_EQUAL(run("'%s' simulate --db nd.db --pricing '%s'/pricing.json --model "
                        "amazon.nova-pro-v1:0 --reserve-input-tpm 1 --reserve-output-tpm 1 "
                        "--from 2025-01-01 --to 2025-01-02",
                        bin, sample),
                    1);
    expect_in("err", span);
    CU_ASSERT_EQUAL(run("'%s' recommend --db nd.db --pricing '%s'/pricing.json --model "
                        "amazon.nova-pro-v1:0 --from 2025-01-01 --to 2025-03-01 --force "
                        "--format json",
                        bin, sample),
                    1);
    expect_in("err", span);
    CU_ASSERT_EQUAL(run("test -s out", NULL, NULL), 1); /* no 0/0 recommendation printed */
    /* every model, a window where only one has data: the other is left out, not zeros */
    write_file("ab.csv", "timestamp,model,metric,value\n"
                         "2026-10-05T14:00:00Z,a,InputTokenCount,5\n"
                         "2026-10-06T14:00:00Z,b,InputTokenCount,7\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db ab.db --period 60 ab.csv", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db ab.db --from 2026-10-06 --to 2026-10-07 --format csv",
                        bin, NULL),
                    0);
    char *out = slurp("out");
    CU_ASSERT_PTR_NULL(strstr(out, "\"a\","));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"b\",input,2026-10-06T00:00:00Z,2026-10-07T00:00:00Z,"
                                       "1440,1,"));
    free(out);
}

/* Global options before the command: the same as after it. */
static void test_global_options(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' --db g.db -q ingest '%s'/sample-nova-pro.json", bin, sample),
                          0);
    CU_ASSERT_EQUAL(run("test -s out", NULL, NULL), 1); /* -q before ingest: no summary */
    CU_ASSERT_EQUAL_FATAL(run("'%s' stats --db g.db --format json", bin, NULL), 0);
    char *after = slurp("out");
    CU_ASSERT(strlen(after) > 100);
    const char *before_forms[] = {"'%s' --db g.db stats --format json",
                                  "'%s' --db=g.db stats --format json",
                                  "'%s' --db other.db stats --db g.db --format json"};
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(run(before_forms[i], bin, NULL), 0);
        char *before = slurp("out");
        CU_ASSERT_STRING_EQUAL(before, after);
        free(before);
    }
    free(after);
    /* --pricing before a command that prices; before export, which needs none, it is ignored */
    CU_ASSERT_EQUAL(run("'%s' stats --db g.db --pricing '%s'/pricing.json", bin, sample), 0);
    after = slurp("out");
    CU_ASSERT_EQUAL(run("'%s' --pricing '%s'/pricing.json --db g.db stats", bin, sample), 0);
    char *before = slurp("out");
    CU_ASSERT_STRING_EQUAL(before, after);
    free(before);
    free(after);
    CU_ASSERT_EQUAL(run("'%s' --db g.db --pricing nothing.json -q export -o g.csv", bin, NULL), 0);
    expect_in("g.csv", "amazon.nova-pro-v1:0");
    /* a global option without its value, or an unknown one, is a usage error */
    CU_ASSERT_EQUAL(run("'%s' --db", bin, NULL), 2);
    expect_in("err", "--db needs a value");
    CU_ASSERT_EQUAL(run("'%s' --dbx g.db stats", bin, NULL), 2);
    expect_in("err", "unknown global option");
    CU_ASSERT_EQUAL(run("'%s' --db g.db", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' --help", bin, NULL), 0);
    expect_in("out", "--db PATH, --pricing FILE and -q/--quiet may also come before");
}

/* Ingest's inputs at the command line: an unknown --metric is a usage error (exit 2, it was
 * 1), a directory is named as one, /dev/zero stops at the cap (1 MiB here). */
static void test_ingest_inputs(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db i.db --metric Bogus '%s'/none.json", bin, sample), 2);
    expect_in("err", "--metric: unknown metric \"Bogus\"");
    CU_ASSERT_EQUAL(run("'%s' ingest --db i.db '%s'", bin, sample), 1);
    expect_in("err", "is a directory");
    CU_ASSERT_EQUAL(run("'%s' ingest --db i.db --max-input-mb 1 /dev/zero", bin, NULL), 1);
    expect_in("err", "/dev/zero: over the input cap of 1048576 bytes");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli", setup, teardown);
    CU_add_test(s, "sample end to end", test_sample_end_to_end);
    CU_add_test(s, "bad input leaves db unchanged", test_bad_input_leaves_db_unchanged);
    CU_add_test(s, "stdin and warnings", test_stdin_and_warnings);
    CU_add_test(s, "simulate", test_simulate);
    CU_add_test(s, "recommend", test_recommend);
    CU_add_test(s, "help and usage", test_help_and_usage);
    CU_add_test(s, "missing db", test_missing_db);
    CU_add_test(s, "no data", test_no_data);
    CU_add_test(s, "global options", test_global_options);
    CU_add_test(s, "ingest inputs", test_ingest_inputs);
}
