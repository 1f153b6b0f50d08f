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
    CU_ASSERT_EQUAL(run(REPORT "--plan bad.json", bin, ""), 1);
    expect_in("err", "bad.json: $.models[\"" NOVA "\"]: unknown key \"reserve_input\"");
    write_file("bad2.json", "{\"default\": {\"term_months\": 2.5}}");
    CU_ASSERT_EQUAL(run(REPORT "--plan bad2.json", bin, ""), 1);
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
    CU_ASSERT_EQUAL(run(REPORT "-o no/such/dir/r.md", bin, ""), 1);
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
}
