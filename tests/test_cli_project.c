/* test_cli_project.c - end to end: tierplan project on the bundled sample (a CSV golden file in
 * tests/data/project-golden, rewritten with TP_UPDATE_GOLDEN=1 after a deliberate change), the
 * usage errors (exit 2), held reservations, the plan file's growth, --jobs, the HTML page, and
 * simulate --scale. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

#define NOVA "amazon.nova-pro-v1:0"
#define SONNET "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
#define PROJECT "'%s' project --db r.db --pricing pricing.json --jobs 1 "

static char golden[1024];

static int project_setup(void)
{
    const char *g = getenv("TP_PROJECT_GOLDEN"), *rg = getenv("TP_REPORT_GOLDEN");
    if (setup() != 0 || g == NULL || rg == NULL)
        return -1;
    snprintf(golden, sizeof golden, "%s", g);
    if (run("'%s' ingest --db r.db '%s'/sample-nova-pro.json", bin, sample) != 0 ||
        run("'%s' ingest --db r.db '%s'/sample-claude-sonnet.json", bin, sample) != 0 ||
        run("cp '%s'/pricing.json pricing.json%s", rg, "") != 0)
        return -1;
    return 0;
}

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
        fprintf(stderr, "\n  the projection differs from the golden file %s\n", path);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

/* Tidy CSV: one row per model (and the fleet), month (and the horizon's total), plan and
 * quantile. Two models + the fleet, 2 months + the total, 3 plans without a held
 * reservation, 3 quantiles: 1 + 3 x 3 x 3 x 3 = 82 lines. */
static void test_golden_csv(void)
{
    CU_ASSERT_EQUAL(run(PROJECT "--growth-pct-per-month 5 --months 2 --samples 50 --seed 3 "
                                "--format csv%s",
                        bin, ""),
                    0);
    expect_golden("project.csv");
    char *s = slurp("out");
    int lines = 0;
    for (const char *c = s; *c; c++)
        lines += *c == '\n';
    CU_ASSERT_EQUAL(lines, 82);
    free(s);
}

/* The Bedrock projection's text and JSON, byte for byte (a unit model's projection must leave
 * them as they are): the two bundled models over two months. */
static void test_golden_text_json(void)
{
    CU_ASSERT_EQUAL(run(PROJECT "--growth-pct-per-month 5 --months 2 --samples 50 --seed 3%s",
                        bin, ""),
                    0);
    expect_golden("project.txt");
    CU_ASSERT_EQUAL(run(PROJECT "--growth-pct-per-month 5 --months 2 --samples 50 --seed 3 "
                                "--format json%s",
                        bin, ""),
                    0);
    expect_golden("project.json");
}

/* Two whole days (2026-11-02 and 03) of the units test catalog's two models, every minute:
 * gpt-4.1 (Azure PTU) 200,000 input TPM, 300,000 from 10:00 to 19:59, 20,000 output;
 * gemini-2.5-flash (Vertex GSU) a tenth of that. */
static void write_units_csv(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/units-days.csv", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("timestamp,model,metric,value,period_s\n", f);
    const char *const model[2] = {"gpt-4.1", "gemini-2.5-flash"};
    for (int k = 0; k < 2; k++)
        for (int d = 2; d <= 3; d++)
            for (int m = 0; m < 1440; m++) {
                const double in = (m >= 600 && m < 1200 ? 300000 : 200000) / (k ? 10 : 1);
                fprintf(f, "2026-11-%02dT%02d:%02d:00Z,%s,InputTokenCount,%.0f,60\n", d, m / 60,
                        m % 60, model[k], in);
                fprintf(f, "2026-11-%02dT%02d:%02d:00Z,%s,OutputTokenCount,%.0f,60\n", d,
                        m / 60, m % 60, model[k], 20000.0 / (k ? 10 : 1));
            }
    fclose(f);
}

#define UNITS_PROJECT "'%s' project --db u.db --pricing units.json --jobs 1 --months 2 " \
                      "--start 2026-12 --growth-pct-per-month 0 --samples 20 "

/* A model sold in units projects its recommended plan in units (the library's hand-worked
 * test is test_project's test_units_by_hand): golden text and JSON for gpt-4.1, every model
 * at once (no refusal, no "priced as Bedrock"), and the Bedrock options refused for it. */
static void test_units(void)
{
    write_units_csv();
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db u.db units-days.csv%s", bin, ""), 0);
    CU_ASSERT_EQUAL_FATAL(run("cp '%s'/../units/pricing.json units.json", golden, ""), 0);
    CU_ASSERT_EQUAL(run(UNITS_PROJECT "--model gpt-4.1%s", bin, ""), 0);
    expect_golden("units-gpt-4.1.txt");
    char *s = slurp("out");
    size_t width = 0, col = 0;
    for (const char *c = s; *c; c++) {
        col = *c == '\n' ? 0 : col + 1;
        width = col > width ? col : width;
    }
    CU_ASSERT(width <= 100);
    free(s);
    CU_ASSERT_EQUAL(run(UNITS_PROJECT "--model gpt-4.1 --format json%s", bin, ""), 0);
    expect_golden("units-gpt-4.1.json");
    expect_in("out", "\"provider\":\t\"azure-ptu\"");
    CU_ASSERT_EQUAL(run(UNITS_PROJECT "%s", bin, ""), 0);
    expect_in("out", "units: sold in units (vertex-gsu): 1 GSU");
    expect_in("out", "units: sold in units (azure-ptu): 1 PTU");
    char *e = slurp("err"); /* no "prices it as Bedrock" warning */
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_PTR_NULL(strstr(e, "Bedrock"));
    free(e);
    for (int f = 0; f < 3; f++) { /* every format names the units */
        const char *const fmt[3] = {"markdown", "html", "csv"};
        const char *const want[3] = {"| units | - |", "<th>units</th>",
                                    "\"model\",\"gpt-4.1\",2026-12,31,0,recommended,p50,"};
        CU_ASSERT_EQUAL(run(UNITS_PROJECT "--model gpt-4.1 --format %s", bin, fmt[f]), 0);
        expect_in("out", want[f]);
    }
    CU_ASSERT_EQUAL(run(UNITS_PROJECT "--model gpt-4.1 --format focus%s", bin, ""), 0);
    expect_in("out", "Provisioned units: ");
    CU_ASSERT_EQUAL(run(UNITS_PROJECT "--model gpt-4.1 --term-months 3%s", bin, ""), 2);
    expect_in("err", "model \"gpt-4.1\" is sold in units (azure-ptu): --term-months");
    CU_ASSERT_EQUAL(run(UNITS_PROJECT "--model gpt-4.1 --reserve-input-tpm 1000%s", bin, ""), 2);
    expect_in("err", "model gpt-4.1: sold in units (azure-ptu): a held reservation in TPM does "
                     "not apply to it");
}

static void expect_usage(const char *args, const char *msg)
{
    CU_ASSERT_EQUAL(run(PROJECT "%s", bin, args), 2);
    expect_in("err", msg);
}

static void test_usage_errors(void)
{
    expect_usage("--growth-pct-per-month 5", "--months is required");
    expect_usage("--months 0 --growth-pct-per-month 5", "--months: \"0\"");
    expect_usage("--months 61 --growth-pct-per-month 5", "--months: \"61\" is not a whole number "
                                                         "from 1 to 60");
    expect_usage("--months 2 --growth-pct-per-month 5 --growth-sd-pct -1", "--growth-sd-pct");
    /* S is the uncertainty of a given rate: alone it would be silently unused */
    expect_usage("--months 2 --growth-sd-pct 3",
                 "--growth-sd-pct is the uncertainty of a given rate");
    expect_usage("--months 2 --start 2027-13 --growth-pct-per-month 5", "--start");
    /* the sample's newest data is in 2026-10: growth does not run backwards */
    expect_usage("--months 2 --start 2026-09 --growth-pct-per-month 5",
                 "--start 2026-09 is before 2026-10, the month of the newest data");
    expect_usage("--months 2 --samples 0 --growth-pct-per-month 5", "--samples");
    expect_usage("--months 2 --growth-pct-per-month -100", "--growth-pct-per-month");
    expect_usage("--months 2 --growth-pct-per-month 5 --reserve-input-tpm 1000",
                 "need exactly one --model");
    expect_usage("--months 2 --growth-pct-per-month 5 --reserve-input-tpm 1000 --model " NOVA
                 " --model '" SONNET "'",
                 "need exactly one --model");
    expect_usage("--months 2 --growth-pct-per-month 5 --all --model " NOVA, "exclude each other");
    /* three days of history: too few to fit growth, so it must be given: a data error (3)
     * naming the fix */
    CU_ASSERT_EQUAL(run(PROJECT "--months 2%s", bin, ""), 3);
    expect_in("err", "3 whole days of history with data, fewer than 7: too few to fit a growth "
                     "rate; give one with --growth-pct-per-month");
}

/* A held reservation for the one model asked for; the fleet's held plan covers it. */
static void test_held(void)
{
    CU_ASSERT_EQUAL(run(PROJECT "--model %s --reserve-input-tpm 20000 --reserve-output-tpm 5000 "
                                "--growth-pct-per-month 0 --months 1 --samples 20 --format json",
                        bin, NOVA),
                    0);
    expect_in("out", "\"held\":\t[{");
    expect_in("out", "\"reserve_input_tpm\":\t20000");
    expect_in("out", "\"held_models\":\t1");
    expect_in("out", "\"source\":\t\"given\"");
    /* the options block records every option that shaped the figures; no quota is null */
    expect_in("out", "\"quota_tpm\":\tnull");
    expect_in("out", "\"held\":\t{\n\t\t\t\"reserve_input_tpm\":\t20000");
    expect_in("out", "\"pct_per_month\":\t0");
    expect_in("out", "\"term_months\":\t1,");
    expect_in("out", "\"samples\":\t20,");
    expect_in("out", "\"seed\":\t1,");
    expect_in("out", "\"start\":\tnull");
    expect_in("out", "\"plan_file\":\tnull");
    /* text and markdown carry the tokens of every plan, the held one too */
    CU_ASSERT_EQUAL(run(PROJECT "--model %s --reserve-input-tpm 20000 --reserve-output-tpm 5000 "
                                "--growth-pct-per-month 0 --months 1 --samples 20",
                        bin, NOVA),
                    0);
    expect_in("out", "P50 tokens per month, every plan");
    expect_in("out", "\n2026-10 on-demand ");
    expect_in("out", "\n        all-priority ");
    expect_in("out", "\n        recommended ");
    expect_in("out", "\n        held           20.0K / 5,000 ");
    CU_ASSERT_EQUAL(run(PROJECT "--model %s --reserve-input-tpm 20000 --reserve-output-tpm 5000 "
                                "--growth-pct-per-month 0 --months 1 --samples 20 --format "
                                "markdown",
                        bin, NOVA),
                    0);
    expect_in("out", "| P50 tokens | P50 reserved tokens |");
    /* the current month first: the sample's days to 10-09 observed, the rest projected */
    expect_in("out", "| 2026-10 (observed to 2026-10-09) | 31 | held | ");
    expect_in("out", "| total | 31 | held | ");
}

/* The options block names a rolling window as given and its anchor, --start, the service
 * level, and the plan file by path and sha256 of its bytes. */
static void test_json_options(void)
{
    write_file("plan2.json", "{\"default\": {\"growth_pct_per_month\": 3}}");
    CU_ASSERT_EQUAL(run(PROJECT "--plan plan2.json --months 1 --samples 10 --last 2d --start "
                                "2026-12 --max-spill-minutes-pct 5 --seed 9 --format json%s",
                        bin, ""),
                    0);
    expect_in("out", "\"from\":\t\"-2d\"");
    expect_in("out", "\"anchor\":\t\"last_whole_day\"");
    expect_in("out", "\"start\":\t\"2026-12\"");
    expect_in("out", "\"first_month\":\t\"2026-12\"");
    expect_in("out", "\"max_spill_minutes_pct\":\t5");
    expect_in("out", "\"seed\":\t9,");
    expect_in("out", "\"source\":\t\"fitted\",\n\t\t\t\"pct_per_month\":\tnull");
    expect_in("out", "\"path\":\t\"plan2.json\"");
    /* sha256 of the 40 bytes {"default": {"growth_pct_per_month": 3}} (sha256sum) */
    expect_in("out", "\"sha256\":\t\"d386a301724fdd11877cdb05c7ebfe5b"
                     "03091d27410b3a71738585df379f86b9\"");
}

/* --help lists every option project accepts, the window's --last and --now too. */
static void test_help(void)
{
    CU_ASSERT_EQUAL(run("'%s' project --help%s", bin, ""), 0);
    expect_in("out", "  --last SPAN ");
    expect_in("out", "  --now T ");
    /* --now 10-09 12:00 --last 2d: 10-07 12:00 .. 10-09 12:00, whose one whole day is 10-08 */
    CU_ASSERT_EQUAL(run(PROJECT "--model " NOVA " --months 1 --growth-pct-per-month 0 "
                                "--samples 5 --now 2026-10-09T12:00:00Z --last 2d%s",
                        bin, ""),
                    0);
    expect_in("out", "history: 2026-10-08 .. 2026-10-08, 1 whole UTC day used");
}

/* The plan file's growth serves where the history is too short to fit one. */
static void test_plan_growth(void)
{
    write_file("plan.json", "{\"default\": {\"growth_pct_per_month\": 3}, \"models\": {\"" NOVA
                            "\": {\"growth_pct_per_month\": 10}}}");
    CU_ASSERT_EQUAL(run(PROJECT "--plan plan.json --months 1 --samples 20%s", bin, ""), 0);
    expect_in("out", "growth: given, 10.0% per month (compounding)");
    expect_in("out", "growth: given, 3.0% per month (compounding)");
    /* a plan-file entry for a model the database does not hold is warned about, not ignored */
    write_file("plan2.json", "{\"models\": {\"x.model\": {\"growth_pct_per_month\": 1}}}");
    CU_ASSERT_EQUAL(run(PROJECT "--plan plan2.json --months 1 --samples 20 "
                                "--growth-pct-per-month 2%s",
                        bin, ""),
                    0);
    expect_in("err", "plan2.json: model \"x.model\" has no data in the database, its entry is "
                     "not used");
}

/* Text fits 100 columns, and says what finance must know: the reserved month is 730 hours,
 * on-demand the real days; the months are rows, the term ends are marked. */
static void test_text(void)
{
    CU_ASSERT_EQUAL(run(PROJECT "--months 4 --growth-pct-per-month 3 --samples 50 "
                                "--start 2027-01%s",
                        bin, ""),
                    0);
    char *s = slurp("out");
    size_t width = 0, col = 0;
    for (const char *c = s; *c; c++) {
        col = *c == '\n' ? 0 : col + 1;
        width = col > width ? col : width;
    }
    CU_ASSERT(width <= 100);
    free(s);
    expect_in("out", "rate x 730 h, as billed");
    expect_in("out", "real minutes (28 to 31 days)");
    expect_in("out", "2027-02    28");
    expect_in("out", "\ntotal     120");
    expect_in("out", "  ends\n");
    expect_in("out", "shape is not kept");
    /* the history line names its last day: the sample's days are 2026-10-07 .. 09 */
    expect_in("out", "history: 2026-10-07 .. 2026-10-09, 3 whole UTC days used;");
    /* a rolling window is anchored at the end of the model's last whole day: nova's data
     * ends at 2026-10-09 23:58, within 60 minutes of the day's end, so 10-09 is whole and
     * --last 2d is 10-08 00:00 .. 10-10 00:00: two whole days */
    CU_ASSERT_EQUAL(run(PROJECT "--model amazon.nova-pro-v1:0 --months 1 "
                                "--growth-pct-per-month 0 --samples 10 --last 2d%s",
                        bin, ""),
                    0);
    expect_in("out", "history: 2026-10-08 .. 2026-10-09, 2 whole UTC days used;");
}

/* Constant 1000 input TPM of nova, every minute of 2026-10-07, 08 and 11, and 10-12 00:00 ..
 * 05:59 (an export that ended at 06:00); nothing on 10-09 and 10-10 (an export hole). No span
 * is recorded (CSV). */
static void write_gappy_csv(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/gappy.csv", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("timestamp,model,metric,value,tier,service_tier,period_s\n", f);
    const int days[4] = {7, 8, 11, 12};
    for (int d = 0; d < 4; d++)
        for (int m = 0; m < (days[d] == 12 ? 360 : 1440); m++)
            fprintf(f, "2026-10-%02dT%02d:%02d:00Z," NOVA ",InputTokenCount,1000,,,60\n",
                    days[d], m / 60, m % 60);
    fclose(f);
}

/* Only whole days are history. Without spans: 10-12's data ends at 05:59, more than 60
 * minutes before the day's end (partial); 10-09 and 10-10 have no datapoint (unknown); the
 * whole days are 10-07, 08 and 11, all 1000 TPM, so every sample is constant: November 2026
 * (--start: the month after the newest data) on demand costs 1000 x 0.80 / 1e6 = 0.0008 USD a minute,
 * x 1440 x 30 = 34.56 USD at P10, P50 and P90. (Drawing the partial and empty days as whole
 * days of idle minutes would put half the draws at 0 or a quarter of a day.) With a span
 * recorded over 10-07 .. 10-13 every day is covered: the idle minutes are real zero demand
 * and all six days count. */
static void test_whole_days(void)
{
    write_gappy_csv();
    CU_ASSERT_EQUAL(run("'%s' ingest --db g.db gappy.csv%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' project --db g.db --pricing pricing.json --months 1 "
                        "--growth-pct-per-month 0 --growth-sd-pct 0 --samples 50 --start 2026-11 "
                        "--format json%s",
                        bin, ""),
                    0);
    expect_in("out", "\"days\":\t3,");
    expect_in("out", "\"days_dropped_partial\":\t1,");
    expect_in("out", "\"days_dropped_unknown\":\t2,");
    expect_in("out", "\"to\":\t\"2026-10-12T00:00:00Z\"");
    expect_in("out", "\"month\":\t\"2026-11\"");
    CU_ASSERT_EQUAL(run("'%s' project --db g.db --pricing pricing.json --months 1 "
                        "--growth-pct-per-month 0 --growth-sd-pct 0 --samples 50 --start 2026-11 "
                        "--format csv%s",
                        bin, ""),
                    0);
    char *csv = slurp("out");
    const char *q[3] = {"on_demand,p10,", "on_demand,p50,", "on_demand,p90,"};
    for (int k = 0; k < 3; k++) {
        const char *at = strstr(csv, q[k]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        CU_ASSERT(fabs(strtod(at + strlen(q[k]), NULL) - 34.56) < 1e-9);
    }
    free(csv);
    CU_ASSERT_EQUAL(run("'%s' project --db g.db --pricing pricing.json --months 1 "
                        "--growth-pct-per-month 0 --samples 50%s",
                        bin, ""),
                    0);
    expect_in("out", "3 whole UTC days used; 3 days dropped (1 partial,");
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db --span-from 2026-10-07T00:00:00Z --span-to "
                        "2026-10-13T00:00:00Z gappy.csv%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run("'%s' project --db s.db --pricing pricing.json --months 1 "
                        "--growth-pct-per-month 0 --samples 50 --format json%s",
                        bin, ""),
                    0);
    expect_in("out", "\"days\":\t6,");
    expect_in("out", "\"days_dropped_partial\":\t0,");
    expect_in("out", "\"days_dropped_unknown\":\t0,");
}

/* The output does not depend on the number of workers. */
static void test_jobs_identical(void)
{
    CU_ASSERT_EQUAL(run("'%s' project --db r.db --pricing pricing.json --jobs 1 --months 3 "
                        "--growth-pct-per-month 2 --samples 100%s",
                        bin, " >one.txt"),
                    0);
    CU_ASSERT_EQUAL(run("'%s' project --db r.db --pricing pricing.json --jobs 2 --months 3 "
                        "--growth-pct-per-month 2 --samples 100%s",
                        bin, " >two.txt"),
                    0);
    CU_ASSERT_EQUAL(run("cmp one.txt two.txt%s", "", ""), 0);
}

/* The HTML page: fan charts for the fleet and each model, written whole to -o. */
static void test_html(void)
{
    CU_ASSERT_EQUAL(run(PROJECT "--months 3 --growth-pct-per-month 2 --samples 50 --format html "
                                "-o p.html%s",
                        bin, ""),
                    0);
    char *s = slurp("p.html");
    int svgs = 0;
    for (const char *c = s; (c = strstr(c, "<svg")) != NULL; c++)
        svgs++;
    /* the fleet and two models, each: every plan on one chart, then on-demand, all-priority
     * and recommended on their own (no held reservation): 3 x 4 */
    CU_ASSERT_EQUAL(svgs, 12);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "Projected cost per month: recommended"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "Projected cost per month"));
    /* the table carries every plan's tokens, those served by the reservation too */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "<th>P50 tokens</th><th>P50 reserved tokens</th>"));
    CU_ASSERT_PTR_NULL(strstr(s, "<script"));
    free(s);
}

/* simulate --scale: with no reservation everything is on-demand, so twice the demand costs
 * exactly twice (the 11th CSV field is total_usd); the scale is reported. */
static double total_usd(void)
{
    char *s = slurp("out");
    const char *line = strchr(s, '\n');
    double v = -1;
    if (line != NULL) {
        int field = 0;
        for (const char *c = line + 1; *c && field < 10; c++)
            if (*c == ',' && ++field == 10)
                v = strtod(c + 1, NULL);
    }
    free(s);
    return v;
}

static void test_simulate_scale(void)
{
    const char *sim = "'%s' simulate --db r.db --pricing pricing.json --model %s "
                      "--reserve-input-tpm 0 --reserve-output-tpm 0 --format csv";
    char cmd[512];
    CU_ASSERT_EQUAL(run(sim, bin, NOVA), 0);
    const double one = total_usd();
    snprintf(cmd, sizeof cmd, "%s --scale 2", sim);
    CU_ASSERT_EQUAL(run(cmd, bin, NOVA), 0);
    const double two = total_usd();
    CU_ASSERT(one > 0);
    CU_ASSERT(fabs(two - 2 * one) <= 1e-9 * two);
    snprintf(cmd, sizeof cmd, "%s --scale 2 --format text", sim);
    CU_ASSERT_EQUAL(run(cmd, bin, NOVA), 0);
    expect_in("out", "what-if: demand x 2");
    snprintf(cmd, sizeof cmd, "%s --scale 0", sim);
    CU_ASSERT_EQUAL(run(cmd, bin, NOVA), 2);
    expect_in("err", "--scale");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli-project", project_setup, teardown);
    CU_add_test(s, "golden csv", test_golden_csv);
    CU_add_test(s, "golden text and json", test_golden_text_json);
    CU_add_test(s, "units", test_units);
    CU_add_test(s, "usage errors", test_usage_errors);
    CU_add_test(s, "held", test_held);
    CU_add_test(s, "json options", test_json_options);
    CU_add_test(s, "help", test_help);
    CU_add_test(s, "text", test_text);
    CU_add_test(s, "whole days", test_whole_days);
    CU_add_test(s, "plan growth", test_plan_growth);
    CU_add_test(s, "jobs identical", test_jobs_identical);
    CU_add_test(s, "html", test_html);
    CU_add_test(s, "simulate scale", test_simulate_scale);
}
