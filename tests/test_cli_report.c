/* test_cli_report.c - end to end: tierplan report on the bundled sample. Golden files for
 * text, CSV, JSON and markdown (tests/data/report-golden, fixed catalog and options; set
 * TP_UPDATE_GOLDEN=1 to rewrite them after a deliberate change), --jobs giving identical
 * output, models without data, the plan file and the usage errors. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

#define NOVA "amazon.nova-pro-v1:0"
#define SONNET "us.anthropic.claude-sonnet-4-5-20250929-v1:0"

static char golden[1024];

/* The store once: both sample files, and the golden catalog copied beside it so that the
 * report names it by a relative path. */
static int report_setup(void)
{
    const char *g = getenv("TP_REPORT_GOLDEN");
    if (setup() != 0 || g == NULL)
        return -1;
    snprintf(golden, sizeof golden, "%s", g);
    if (run("'%s' ingest --db r.db '%s'/sample-nova-pro.json", bin, sample) != 0 ||
        run("'%s' ingest --db r.db '%s'/sample-claude-sonnet.json", bin, sample) != 0 ||
        run("cp '%s'/pricing.json pricing.json%s", golden, "") != 0)
        return -1;
    return 0;
}

/* Compares dir/out with golden/name, or rewrites it with TP_UPDATE_GOLDEN=1. */
static void expect_golden(const char *name)
{
    char path[1400];
    char *got = slurp("out");
    snprintf(path, sizeof path, "%s/%s", golden, name);
    const char *upd = getenv("TP_UPDATE_GOLDEN");
    if (upd != NULL && strcmp(upd, "1") == 0) {
        FILE *f = fopen(path, "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fputs(got, f);
        fclose(f);
    }
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char want[1 << 20];
    size_t n = fread(want, 1, sizeof want - 1, f);
    want[n] = '\0';
    fclose(f);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "\n  %s differs from the golden file %s\n", "report", path);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

#define REPORT "'%s' report --db r.db --pricing pricing.json --jobs 1 "

static void test_golden_text(void)
{
    CU_ASSERT_EQUAL_FATAL(run(REPORT "%s", bin, ""), 0);
    expect_golden("report.txt");
    /* text fits 100 columns */
    char *s = slurp("out");
    for (char *line = strtok(s, "\n"); line != NULL; line = strtok(NULL, "\n"))
        CU_ASSERT(strlen(line) <= 100);
    free(s);
}

static void test_golden_csv(void)
{
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--format csv --term-months 3 --scale 1.5", bin, ""), 0);
    expect_golden("report.csv");
}

static void test_golden_json(void)
{
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--format json --model " NOVA " --model missing.model",
                              bin, ""),
                          0);
    expect_golden("report.json");
    expect_in("out", "\"status\":\t\"no_data\"");
}

static void test_golden_markdown(void)
{
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--format markdown --max-spill-minutes-pct 5", bin, ""), 0);
    expect_golden("report.md");
}

/* The same bytes whatever the number of workers. */
static void test_jobs_identical(void)
{
    static const char *const fmts[] = {"json", "csv", "text"};
    for (int k = 0; k < 3; k++) {
        char *out[3];
        for (int j = 0; j < 3; j++) {
            char opt[64];
            snprintf(opt, sizeof opt, "--format %s --jobs %d", fmts[k], j == 0 ? 1 : j * 2);
            CU_ASSERT_EQUAL_FATAL(run("'%s' report --db r.db --pricing pricing.json %s", bin,
                                      opt),
                                  0);
            out[j] = slurp("out");
        }
        CU_ASSERT_STRING_EQUAL(out[0], out[1]);
        CU_ASSERT_STRING_EQUAL(out[0], out[2]);
        for (int j = 0; j < 3; j++)
            free(out[j]);
    }
}

/* A plan file: per-model term, a held reservation reported next to the recommendation and in
 * the fleet totals, growth carried; an unknown key is an error naming it. */
static void test_plan_file(void)
{
    write_file("plan.json",
               "{\"default\": {\"term_months\": 1},\n"
               " \"models\": {\"" NOVA "\": {\"reserve_input_tpm\": 50000,"
               " \"reserve_output_tpm\": 10000, \"growth_pct_per_month\": 4}}}\n");
    CU_ASSERT_EQUAL(run(REPORT "--plan plan.json", bin, ""), 0);
    expect_in("out", "held: 50.0K input TPM, 10.0K output TPM cost $");
    expect_in("out", "plan: growth 4% per month (for projections)");
    expect_in("out", "held reservations (1 model): $");
    CU_ASSERT_EQUAL(run(REPORT "--plan plan.json --format json", bin, ""), 0);
    expect_in("out", "\"held\":\t{");
    expect_in("out", "\"growth_pct_per_month\":\t4");
    write_file("bad.json", "{\"models\": {\"" NOVA "\": {\"reserve_input\": 5}}}");
    CU_ASSERT_EQUAL(run(REPORT "--plan bad.json", bin, ""), 3);
    expect_in("err", "bad.json: $.models[\"" NOVA "\"]: unknown key \"reserve_input\"");
    write_file("bad2.json", "{\"default\": {\"term_months\": 2.5}}");
    CU_ASSERT_EQUAL(run(REPORT "--plan bad2.json", bin, ""), 3);
    expect_in("err", "bad2.json: $.default.term_months: 2.5 is not a whole number");
}

static void test_usage_errors(void)
{
    CU_ASSERT_EQUAL(run(REPORT "--train-until 2026-10-08T00:00:00Z", bin, ""), 2);
    expect_in("err", "--train-until backtests one model: give exactly one --model");
    CU_ASSERT_EQUAL(run(REPORT "--model " NOVA " --model " SONNET
                               " --train-until 2026-10-08T00:00:00Z", bin, ""),
                    2);
    expect_in("err", "give exactly one --model");
    CU_ASSERT_EQUAL(run(REPORT "--model " NOVA " --model " NOVA, bin, ""), 2);
    expect_in("err", "given twice");
    CU_ASSERT_EQUAL(run(REPORT "--all --model " NOVA, bin, ""), 2);
    CU_ASSERT_EQUAL(run(REPORT "--jobs 0", bin, ""), 2);
    CU_ASSERT_EQUAL(run("'%s' recommend --db r.db --pricing pricing.json --model " NOVA
                        " --format html", bin, ""),
                    2);
    expect_in("err", "--format html is for tierplan report");
}

/* -o writes the file whole; stdout stays empty. */
static void test_output_file(void)
{
    CU_ASSERT_EQUAL(run(REPORT "--format markdown -o r.md", bin, ""), 0);
    char *s = slurp("out");
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
    expect_in("r.md", "## fleet");
    CU_ASSERT_EQUAL(run(REPORT "-o no/such/dir/r.md", bin, ""), 3);
    expect_in("err", "no/such/dir/r.md: cannot write");
}

/* A model id full of markup: escaped in HTML (and the page stays well-formed) and in markdown. */
static void test_escaping(void)
{
    write_file("n.csv", "2026-10-05T14:00:00Z,<script>x&\"y,InputTokenCount,40000\n"
                        "2026-10-05T14:01:00Z,<script>x&\"y,OutputTokenCount,100\n");
    write_file("any.json",
               "{\"currency\": \"USD\", \"tiers\": {\"priority\": 1.75, \"standard\": 1.0},"
               " \"models\": {\"*\": {\"on_demand_per_million\": {\"input\": 0.8, \"output\":"
               " 3.2, \"cache_read\": 0.2, \"cache_write\": 0.0}, \"reserved_per_1k_tpm_hour\":"
               " {\"input\": 0.032, \"output\": 0.128}, \"reserved_example\": true}}}");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db n.db --period 60 n.csv%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' report --db n.db --pricing any.json --force --format html -o "
                        "n.html%s", bin, ""),
                    0);
    char *s = slurp("n.html");
    CU_ASSERT_PTR_NULL(strstr(s, "<script"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "&lt;script&gt;x&amp;&quot;y"));
    free(s);
    CU_ASSERT_EQUAL(run("'%s' report --db n.db --pricing any.json --force --format markdown%s",
                        bin, ""),
                    0);
    s = slurp("out");
    for (const char *p = strstr(s, "<script"); p != NULL; p = strstr(p + 1, "<script"))
        CU_ASSERT(p > s && p[-1] == '\\'); /* every '<' escaped */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\\<script\\>"));
    free(s);
}

/* Two windows of the 3-day sample (each shorter than the 1-month term: --force). */
static void write_windows(void)
{
    write_file("w.txt", "from,to\n2026-10-07T00:00:00Z,2026-10-08T12:00:00Z\n"
                        "2026-10-08T12:00:00Z,2026-10-10T00:00:00Z\n");
}

/* --windows and --window-by month: each model's seasonal plan in its section (recommend's own
 * text and JSON), the fleet's seasonal rates; a window without data is that model's reason. */
static void test_seasonal(void)
{
    write_windows();
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--windows w.txt --force", bin, ""), 0);
    expect_in("out", "seasonal plan:\nmodel " NOVA ": a reservation per window vs one flat");
    expect_in("out", "window           2026-10-07 00:00 .. 2026-10-08 12:00");
    expect_in("out", "flat             2026-10-07 00:00 .. 2026-10-10 00:00");
    expect_in("out", "== fleet: seasonal plans, each total over its span's hours, per month");
    char *s = slurp("out");
    /* the example-prices note once per model: the seasonal plan's text carries it, the
     * model's section then does not repeat it */
    size_t notes = 0, plans = 0;
    for (const char *p = s; (p = strstr(p, "\nnote: the reserved prices")) != NULL; p++)
        notes++;
    for (const char *p = s; (p = strstr(p, "seasonal plan:\n")) != NULL; p++)
        plans++;
    CU_ASSERT(plans > 0);
    CU_ASSERT_EQUAL(notes, plans);
    for (char *line = strtok(s, "\n"); line != NULL; line = strtok(NULL, "\n"))
        CU_ASSERT(strlen(line) <= 100);
    free(s);
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--windows w.txt --force --format json", bin, ""), 0);
    expect_in("out", "\"seasonal\":\t{");
    expect_in("out", "\"windows_error\":\tnull");
    expect_in("out", "\"seasonal_total_usd\":");
    expect_in("out", "\"windows\":\t[{");
    /* the per-model object is recommend's: its seasonal total is there too */
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db r.db --pricing pricing.json --model " NOVA
                              " --windows w.txt --force --format json%s", bin, ""),
                          0);
    char *rec = slurp("out");
    char *total = strstr(rec, "\"seasonal_total_usd\":");
    CU_ASSERT_PTR_NOT_NULL_FATAL(total);
    *strchr(total, '\n') = '\0';
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--windows w.txt --force --format json --model " NOVA, bin,
                              ""),
                          0);
    expect_in("out", total);
    free(rec);
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--windows w.txt --force --format csv", bin, ""), 0);
    expect_in("out", ",window,");
    expect_in("out", ",flat,");
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--window-by month --format markdown", bin, ""), 0);
    expect_in("out", "### seasonal plan\n\n| plan | window (UTC) |");
    expect_in("out", "## fleet: seasonal plans");
    /* without --force: windows shorter than the term are each model's reason, not a failure */
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--windows w.txt", bin, ""), 0);
    expect_in("out", "seasonal plan not made: window 2026-10-07T00:00:00Z .. 2026-10-08T12:00:00Z "
                     "is shorter");
    expect_in("out", "no seasonal plan could be made");
    write_file("w2.txt", "2026-11-01T00:00:00Z,2026-11-03T00:00:00Z\n");
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--windows w2.txt --force --format json", bin, ""), 0);
    expect_in("out", "\"windows_error\":\t\"no data for model \\\"" NOVA "\\\" in the window");
    expect_in("out", "\"models_failed\":\t2");
}

/* --train-until with one model: the backtest in its section. */
static void test_backtest(void)
{
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--model " NOVA " --train-until 2026-10-08T12:00:00Z", bin,
                              ""),
                          0);
    expect_in("out", "backtest:\nmodel " NOVA ": sized on the training window");
    expect_in("out", "regret: $");
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--model " NOVA " --train-until 2026-10-08T12:00:00Z "
                                     "--format json", bin, ""),
                          0);
    expect_in("out", "\"backtest\":\t{");
    expect_in("out", "\"train_until\":\t\"2026-10-08T12:00:00Z\"");
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--model " NOVA " --train-until 2026-10-08T12:00:00Z "
                                     "--format csv", bin, ""),
                          0);
    expect_in("out", ",test_hindsight,");
    /* a split with no data on one side is the model's reason */
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--model " NOVA " --train-until 2026-10-07T00:00:00Z", bin,
                              ""),
                          0);
    expect_in("out", "backtest not made: --train-until must fall inside the data's window");
    CU_ASSERT_EQUAL(run(REPORT "--window-by month --scale 2", bin, ""), 2);
    expect_in("err", "--scale and --cache-hit-delta apply to a single window only");
    CU_ASSERT_EQUAL(run(REPORT "--window-by week", bin, ""), 2);
    CU_ASSERT_EQUAL(run(REPORT "--window-by month --model " NOVA
                               " --train-until 2026-10-08T12:00:00Z", bin, ""),
                    2);
    expect_in("err", "exclude each other");
}

/* Seasonal plans are made in the worker that sized the model: the same bytes for any --jobs. */
static void test_seasonal_jobs(void)
{
    static const char *const fmts[] = {"json", "csv", "text", "markdown"};
    write_windows();
    for (int k = 0; k < 4; k++) {
        char *out[2];
        for (int j = 0; j < 2; j++) {
            char opt[64];
            snprintf(opt, sizeof opt, "--format %s --jobs %d", fmts[k], j + 1);
            CU_ASSERT_EQUAL_FATAL(run("'%s' report --db r.db --pricing pricing.json --windows "
                                      "w.txt --force %s",
                                      bin, opt),
                                  0);
            out[j] = slurp("out");
        }
        CU_ASSERT_STRING_EQUAL(out[0], out[1]);
        free(out[0]);
        free(out[1]);
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli_report", report_setup, teardown);
    CU_add_test(s, "golden text", test_golden_text);
    CU_add_test(s, "golden csv", test_golden_csv);
    CU_add_test(s, "golden json", test_golden_json);
    CU_add_test(s, "golden markdown", test_golden_markdown);
    CU_add_test(s, "jobs give identical output", test_jobs_identical);
    CU_add_test(s, "plan file", test_plan_file);
    CU_add_test(s, "usage errors", test_usage_errors);
    CU_add_test(s, "output file", test_output_file);
    CU_add_test(s, "escaping", test_escaping);
    CU_add_test(s, "seasonal windows", test_seasonal);
    CU_add_test(s, "backtest", test_backtest);
    CU_add_test(s, "seasonal windows: jobs give identical output", test_seasonal_jobs);
}
