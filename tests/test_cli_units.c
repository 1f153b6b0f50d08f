/* test_cli_units.c - end to end: tierplan recommend on unit-based providers' models (Azure
 * PTU, Vertex GSU, OpenAI Scale Tier and xAI's two pools): golden text and JSON
 * (tests/data/units; TP_UPDATE_GOLDEN=1 rewrites them after a deliberate change), throttle
 * with a service level, and the usage errors. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include "cli_util.h"

void register_tests(void);

static char golden[1024];

static int units_setup(void)
{
    const char *g = getenv("TP_TEST_DATA");
    if (setup() != 0 || g == NULL)
        return -1;
    snprintf(golden, sizeof golden, "%s/units", g);
    if (run("'%s' ingest --db u.db --as-of 2026-11-02T04:00:00Z '%s'/units-sample.csv", bin,
            golden) != 0 ||
        run("cp '%s'/pricing.json pricing.json%s", golden, "") != 0 ||
        /* the mixed fleet: a Bedrock model, an azure-ptu and a vertex-gsu one */
        run("'%s' ingest --db f.db --as-of 2026-11-02T02:00:00Z '%s'/fleet-sample.csv", bin,
            golden) != 0 ||
        run("cp '%s'/fleet-pricing.json fleet-pricing.json%s", golden, "") != 0)
        return -1;
    return 0;
}

static int units_teardown(void) { return teardown(); }

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
    char *want = NULL;
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char buf[1 << 18];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    want = buf;
    if (strcmp(got, want) != 0)
        fprintf(stderr, "\n  output differs from the golden file %s\n", path);
    CU_ASSERT_STRING_EQUAL(got, want);
    /* text fits 100 columns */
    if (strstr(name, ".txt") != NULL)
        for (char *line = strtok(got, "\n"); line != NULL; line = strtok(NULL, "\n"))
        CU_ASSERT(strlen(line) <= 100);
    free(got);
}

static int count_in(const char *file, const char *needle)
{
    char *s = slurp(file);
    int n = 0;
    for (const char *p = s; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    free(s);
    return n;
}

/* The file does not hold needle (as written, or unwrapped). */
static void expect_not_in(const char *file, const char *needle)
{
    char *s = slurp(file);
    char *flat = s != NULL ? unwrap(s) : NULL;
    const int found = s != NULL && (strstr(s, needle) != NULL ||
                                    (flat != NULL && strstr(flat, needle) != NULL));
    if (found)
        fprintf(stderr, "\n  did not expect \"%s\" in %s:\n%s\n", needle, file, s);
    CU_ASSERT(!found);
    free(flat);
    free(s);
}

#define REC "'%s' recommend --db u.db --pricing pricing.json --force "

static void test_azure_text(void)
{
    CU_ASSERT_EQUAL_FATAL(run(REC "--model gpt-4.1%s", bin, ""), 0);
    expect_golden("recommend-gpt-4.1.txt");
    expect_in("out", "on azure-ptu");
    expect_in("out", "recommended: 15 PTU");
}

static void test_azure_json(void)
{
    CU_ASSERT_EQUAL_FATAL(run(REC "--model gpt-4.1 --format json%s", bin, ""), 0);
    expect_golden("recommend-gpt-4.1.json");
    expect_in("out", "\"provider\":\t\"azure-ptu\"");
}

static void test_vertex_text(void)
{
    CU_ASSERT_EQUAL_FATAL(run(REC "--model gemini-2.5-flash%s", bin, ""), 0);
    expect_golden("recommend-gemini-2.5-flash.txt");
    expect_in("out", "burst x1.5, per second");
    /* a larger burst factor needs more GSUs for the same traffic, or leaves more to spill */
    CU_ASSERT_EQUAL_FATAL(run(REC "--model gemini-2.5-flash --burst-factor 2 --format json%s",
                              bin, ""),
                          0);
    expect_in("out", "\"burst_factor\":\t2");
    /* its capacity and weights are unverified examples: said, beside the prices' note */
    expect_in("out", "\"example_capacity\":\ttrue");
    expect_in("out", "capacity per unit and token weights as examples");
}

/* The same entry throttling its overflow: the fewest units serving the level asked. */
static void test_throttle(void)
{
    char *cat = slurp("pricing.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
    char *at = strstr(cat, "\"overflow\": \"spill\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    /* same length: "spill\"" -> "throttle\"" needs 3 more bytes; rebuild the text */
    static char buf[1 << 16];
    snprintf(buf, sizeof buf, "%.*s\"overflow\": \"throttle\"%s", (int)(at - cat), cat,
             at + strlen("\"overflow\": \"spill\""));
    free(cat);
    write_file("throttle.json", buf);
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db u.db --pricing throttle.json --force "
                              "--model gpt-4.1 --served-pct 99 --format json%s",
                              bin, ""),
                          0);
    expect_in("out", "\"overflow\":\t\"throttle\"");
    expect_in("out", "\"service_level\":\t0.99");
    expect_in("out", "\"on_demand_usd\":\tnull");
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db u.db --pricing throttle.json --force "
                              "--model gpt-4.1 --served-pct 99%s",
                              bin, ""),
                          0);
    expect_in("out", "overflow throttled (429)");
    expect_in("out", "service level: at least 99.0% of weighted tokens served");
    /* throttled: the tokens refused in their own column, total once */
    expect_in("out", "throttled tok         total    per hour   served");
    char *txt = slurp("out");
    CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
    const char *tot = strstr(txt, "total");
    CU_ASSERT(tot != NULL && strstr(tot + 1, "total") == NULL); /* one "total" column */
    free(txt);
}

static void test_usage_errors(void)
{
    CU_ASSERT_EQUAL(run(REC "--model gpt-4.1 --window-by month%s", bin, ""), 2);
    expect_in("err", "is sold in units (azure-ptu)");
    /* a unit plan prices every term and overflows as its entry says: options that would be
     * silently unused are refused, each */
    static const char *const unused[] = {"--term-months 3", "--spill-to priority",
                                         "--spill-model independent",
                                         "--max-spill-minutes-pct 5"};
    for (size_t i = 0; i < sizeof unused / sizeof *unused; i++) {
        CU_ASSERT_EQUAL(run(REC "--model gpt-4.1 %s", bin, unused[i]), 2);
        expect_in("err", "apply to Bedrock models only (a unit plan prices every term");
    }
    CU_ASSERT_EQUAL(run(REC "--model gpt-4.1 --burst-factor 0.5%s", bin, ""), 2);
    expect_in("err", "--burst-factor: \"0.5\" is not a factor from 1 to 60");
    /* Azure enforces per minute: a per-second burst factor means nothing there */
    CU_ASSERT_EQUAL(run(REC "--model gpt-4.1 --burst-factor 2%s", bin, ""), 2);
    expect_in("err", "--burst-factor applies to a provider enforcing per second; catalog "
                     "entry \"gpt-4.1\" (azure-ptu) is enforced per minute");
    CU_ASSERT_EQUAL(run(REC "--model gpt-4.1 --served-pct 0%s", bin, ""), 2);
    expect_in("err", "--served-pct: \"0\" is not a percentage");
    CU_ASSERT_EQUAL(run(REC "--model gpt-4.1 --served-pct 99%s", bin, ""), 2);
    expect_in("err", "--served-pct applies to a model whose overflow is throttled");
    write_file("bedrock.json",
               "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
               "\"models\":{\"gpt-4.1\":{\"on_demand_per_million\":{\"input\":2,"
               "\"output\":8,\"cache_read\":0.5,\"cache_write\":2}}}}");
    CU_ASSERT_EQUAL(run("'%s' recommend --db u.db --pricing bedrock.json --force --model gpt-4.1 "
                        "--burst-factor 2%s",
                        bin, ""),
                    2);
    expect_in("err", "--burst-factor and --served-pct apply to a model sold in units");
    CU_ASSERT_EQUAL(run(REC "--model gpt-4.1 --format csv%s", bin, ""), 2);
    expect_in("err", "text or JSON only");
}

/* A month priced near hourly and dear on-demand: resizing each hour would add hourly units,
 * so the lower bound is shown (three lines within 100 columns, below the recommended total)
 * and the recommendation is still a term at a constant count. */
static void test_split_lower_bound(void)
{
    write_file("split.json",
               "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
               "\"models\":{\"gpt-4.1\":{\"on_demand_per_million\":{\"input\":200,"
               "\"output\":800,\"cache_read\":50,\"cache_write\":200},\"provider\":"
               "\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":3000,\"output_weight\":4,"
               "\"cache_read_weight\":0,\"cache_write_weight\":1,\"minimum_units\":15,"
               "\"step_units\":5,\"per_unit_hour\":{\"hourly\":1,\"1_month\":0.95},"
               "\"overflow\":\"spill\"}}}}");
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db u.db --pricing split.json --force "
                              "--model gpt-4.1 --scale 50%s",
                              bin, ""),
                          0);
    expect_in("out", "1 month reservation of 1,095 PTU + hourly units above it: $7,519.19");
    expect_in("out", "  lower bound with perfect hourly resizing (not a plan): 2,060 PTU-hours");
    expect_in("out", "  largest hourly deployment 2,210 PTU");
    expect_in("out", "recommended: 1,480 PTU on the 1 month term: $7,827.41 over the window");
    char *txt = slurp("out");
    CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
    for (char *line = strtok(txt, "\n"); line != NULL; line = strtok(NULL, "\n"))
        CU_ASSERT(strlen(line) <= 100);
    free(txt);
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db u.db --pricing split.json --force "
                              "--model gpt-4.1 --scale 50 --format json%s",
                              bin, ""),
                          0);
    expect_in("out", "\"kind\":\t\"lower_bound\"");
    expect_in("out", "\"plan\":\t\"term\",\n\t\t\"term\":\t\"1_month\",\n\t\t\"units\":\t1480");
}

/* simulate plans Bedrock reservations: a model sold in units is refused by name, pointing at
 * recommend; showback without per-key usage says what it needs; project projects it in units
 * (test_cli_project.c) */
static void test_bedrock_commands_refuse(void)
{
    CU_ASSERT_EQUAL(run("'%s' simulate --db u.db --pricing pricing.json --model gpt-4.1 "
                        "--reserve-input-tpm 1000 --reserve-output-tpm 0%s",
                        bin, ""),
                    2);
    expect_in("err", "model \"gpt-4.1\" is sold in units (azure-ptu, catalog entry "
                     "\"gpt-4.1\"): simulate replays a Bedrock reservation; plan it in units "
                     "with tierplan recommend --model gpt-4.1");
    /* showback works on units (test_cli_showback_units.c); without per-key logs it says so */
    CU_ASSERT_EQUAL(run("'%s' showback --db u.db --pricing pricing.json --model gpt-4.1%s", bin,
                        ""),
                    1);
    expect_in("err", "no invocation logs for model \"gpt-4.1\": model sold in units "
                     "(azure-ptu), showback needs per-key usage");
}

/* report sizes a model sold in units in units: its plan in every format, not the Bedrock
 * lines, and no warning that it is priced as Bedrock */
static void test_report_units_body(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db u.db --pricing pricing.json --force%s", bin, ""),
                          0);
    expect_in("out", "== model gpt-4.1 (region unknown, account unknown) [azure-ptu]\n");
    expect_in("out", "recommended: 15 PTU on 1_year at $0.3027/unit-hour");
    expect_in("out", "recommended: 17 GSU on 1_year at $1.0000/unit-hour");
    expect_not_in("out", "burn-down");
    expect_not_in("out", "Reserved tier not offered");
    expect_not_in("err", "prices it as a Bedrock model");
    const char *const fmts[] = {"markdown", "html", "csv"};
    const char *const want[] = {"**recommended**: 15 PTU on 1\\_year",
                                "Recommended: <b>15 PTU on 1_year</b>",
                                ",azure-ptu,15,1_year,0.30274,"};
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL_FATAL(run("'%s' report --db u.db --pricing pricing.json --force "
                                  "--format %s",
                                  bin, fmts[i]),
                              0);
        expect_in("out", want[i]);
        expect_not_in("out", "prices it as a Bedrock");
    }
    expect_in("out", ",provider_total,recommended,true,");
}

#define FLEET "'%s' report --db f.db --pricing fleet-pricing.json --force "

/* report on a mixed fleet: each model as its provider sells it, the totals in USD and per
 * provider (figures worked out by hand in tests/test_fleet_units.c: $1,511.84 a month;
 * bedrock $51.84, azure-ptu $876, vertex-gsu $584) */
static void test_fleet_report_text(void)
{
    CU_ASSERT_EQUAL_FATAL(run(FLEET "%s", bin, ""), 0);
    expect_golden("report-fleet.txt");
    expect_in("out", "recommended: 4 PTU on 1_month at $0.3000/unit-hour");
    expect_in("out", "bedrock            1           $0          $52          $52");
    expect_in("out", "azure-ptu          1         $876           $0         $876       $1,728");
    expect_in("out", "total                         $2.07        $1,511.84        $7,935.84\n");
    expect_not_in("err", "prices it as a Bedrock model");
}

/* Copies catalog `from` to `to` with each of the n (old, new) pairs replaced once. */
static void edit_catalog(const char *from, const char *to, const char *const (*pairs)[2], size_t n)
{
    static char text[1 << 15];
    char *cat = slurp(from);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
    snprintf(text, sizeof text, "%s", cat);
    free(cat);
    for (size_t k = 0; k < n; k++) {
        static char next[1 << 15];
        char *at = strstr(text, pairs[k][0]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        snprintf(next, sizeof next, "%.*s%s%s", (int)(at - text), text, pairs[k][1],
                 at + strlen(pairs[k][0]));
        snprintf(text, sizeof text, "%s", next);
    }
    write_file(to, text);
}

/* The fleet table shows a unit model's units with their name, not in a TPM column's format:
 * units of a ten-thousandth the test catalog's capacity and price hold 10,000 times as many
 * (4 PTU -> 40,000 PTU; two pools' 73,212 + 247,856 units too wide for the cell: on a line of
 * its own), never "40.0K"; a Bedrock row is as it was */
static void test_fleet_table_units(void)
{
    const char *const ptu[][2] = {
        {"\"input_tpm_per_unit\": 1000", "\"input_tpm_per_unit\": 0.1"},
        {"{\"hourly\": 0.8, \"1_month\": 0.3}", "{\"hourly\": 0.00008, \"1_month\": 0.00003}"}};
    edit_catalog("fleet-pricing.json", "fleet-many.json", ptu, 2);
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db f.db --pricing fleet-many.json --force%s", bin, ""),
                          0);
    expect_in("out",
              "ptu-model              ok           40,000 PTU       $876         $0       $876"
              "     $1,728   49.3%\n");
    expect_in("out", "gsu-model              ok                1 GSU       $584");
    expect_in("out", "recommended: 40,000 PTU on 1_month");
    expect_in("out", "bedrock-model          ok            0       0         $0        $52      "
                     "  $52        $52    0.0%\n");
    expect_in("out", "a model sold in units shows the units it holds, not TPM\n");
    expect_not_in("out", "40.0K");
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db f.db --pricing fleet-many.json --force --format "
                              "markdown%s",
                              bin, ""),
                          0);
    expect_in("out", "| ptu-model | ok | 40,000 PTU | - | $876 |");
    /* two pools, the counts too wide for the cell: below the row, both named */
    CU_ASSERT_EQUAL_FATAL(run("cp '%s'/scale.json scale.json%s", golden, ""), 0);
    const char *const pools[][2] = {
        {"\"tpm_per_unit\": 30000, \"cache_read_weight\": 0.25",
         "\"tpm_per_unit\": 3, \"cache_read_weight\": 0.25"},
        {"\"per_unit_day\": 40.00", "\"per_unit_day\": 0.004"},
        {"\"tpm_per_unit\": 2500, \"minimum_units\": 1, \"step_units\": 1, \"per_unit_day\": 12.00",
         "\"tpm_per_unit\": 0.25, \"minimum_units\": 1, \"step_units\": 1, \"per_unit_day\": "
         "0.0012"}};
    edit_catalog("scale.json", "scale-many.json", pools, 3);
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db pm.db --model scale-test "
                              "'%s'/sample-claude-sonnet.json",
                              bin, sample),
                          0);
    CU_ASSERT_EQUAL_FATAL(
        run("'%s' report --db pm.db --pricing scale-many.json --force%s", bin, ""), 0);
    expect_in("out", "scale-test             ok              (below)    $17,954");
    expect_in("out", "\n                       units: 73,212 input + 247,856 output units\n");
    expect_in("out", "not TPM (two pools: input + output units)\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db pm.db --pricing scale-many.json --force --format "
                              "markdown%s",
                              bin, ""),
                          0);
    expect_in("out", "| scale-test | ok | 73,212 input units | 247,856 output units | $17,954 |");
    expect_not_in("out", "73.2K");
}

/* The HTML section of a model sold in units has the percentile table and charts a Bedrock
 * section has: its tokens and its weighted demand a minute (ptu-model: 3,000 input + 250
 * output x 4 = 4,000 weighted TPM every minute; gsu-model: 2,000 + 500 x 2 = 3,000), its
 * demand against the capacity of the units held (4 PTU x 1,000 = 4,000 TPM; 1 GSU of 100
 * tokens a second = 6,000 TPM, over the burst factor 1.5 = 4,000), the demand-duration curve
 * and the hour of week; no cost curve in TPM. Two pools: each pool against its units. */
static void test_fleet_report_html(void)
{
    CU_ASSERT_EQUAL_FATAL(run(FLEET "--format html%s", bin, ""), 0);
    CU_ASSERT_EQUAL(count_in("out", "<h3>Tokens per minute</h3>"), 3);
    expect_in("out", "<tr><td>weighted</td><td>4,000</td><td>4,000</td><td>4,000</td>"
                     "<td>4,000</td><td>4,000</td><td>4,000</td></tr>");
    expect_in("out", "<tr><td>weighted</td><td>3,000</td><td>3,000</td>");
    expect_in("out", "Weighted: input + output x 4 + cache read x 0 + cache write x 1, what a "
                     "PTU&#39;s 1,000 TPM serves.");
    CU_ASSERT_EQUAL(count_in("out", "<svg "), 1 + 4 + 3 + 3); /* fleet, Bedrock, two units */
    CU_ASSERT_EQUAL(count_in("out", "aria-labelledby=\"m1-ts-title\""), 1);
    CU_ASSERT_EQUAL(count_in("out", "aria-labelledby=\"m2-dur-title\""), 1);
    CU_ASSERT_EQUAL(count_in("out", "aria-labelledby=\"m2-how-title\""), 1);
    CU_ASSERT_EQUAL(count_in("out", "aria-labelledby=\"m2-cost-title\""), 0);
    CU_ASSERT_EQUAL(count_in("out", "reserved 4,000 TPM"), 2);
    expect_in("out", "Lines: the capacity of the 4 PTU held; hatched: minutes over it, whose "
                     "excess spills to on-demand.");
    expect_in("out", "the capacity of the 1 GSU held divided by the burst factor");
    /* the fleet table: the units with their name where a Bedrock row has its TPM */
    expect_in("out", "<td>vertex-gsu</td><td>1 GSU</td><td>-</td>");
    /* two pools: 8 input units of 30,000 TPM and 25 output units of 2,500 against each pool */
    CU_ASSERT_EQUAL_FATAL(run("cp '%s'/scale.json scale.json%s", golden, ""), 0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db ph.db --model scale-test "
                              "'%s'/sample-claude-sonnet.json",
                              bin, sample),
                          0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db ph.db --pricing scale.json --force --format "
                              "html%s",
                              bin, ""),
                          0);
    expect_in("out", "<tr><td>input pool (weighted)</td>");
    expect_in("out", "reserved 240K TPM");
    expect_in("out", "reserved 62.5K TPM");
    expect_in("out", "<td>8 input units</td><td>25 output units</td>");
}

static void test_fleet_report_json(void)
{
    CU_ASSERT_EQUAL_FATAL(run(FLEET "--format json%s", bin, ""), 0);
    expect_golden("report-fleet.json");
    expect_in("out", "\"provider\":\t\"vertex-gsu\",\n\t\t\t\"models_ok\":\t1");
    /* a Bedrock-only sizing option is said to be unused for each unit model, not dropped
     * silently; the unit models' figures do not move */
    CU_ASSERT_EQUAL_FATAL(run(FLEET "--spill-to none --format json%s", bin, ""), 0);
    expect_in("err", "model \"ptu-model\" is sold in units (azure-ptu): --spill-to apply to "
                     "Bedrock models only");
    expect_in("err", "model \"gsu-model\" is sold in units (vertex-gsu): --spill-to");
    expect_in("out", "\"provider\":\t\"azure-ptu\",\n\t\t\t\"models_ok\":\t1");
}

/* check on a mixed fleet: the cost gates apply in units; the held reservation's gates are n/a
 * for a model sold in units, saying why; a held reservation given for one is warned about */
static void test_check_units(void)
{
    write_file("p.json", "{\"models\": {\"ptu-model\": {\"reserve_input_tpm\": 5000}}}");
    CU_ASSERT_EQUAL(run("'%s' check --db f.db --pricing fleet-pricing.json --force --plan p.json "
                        "--fail-model-monthly-cost-above 800 --fail-held-utilization-below 50 "
                        "--fail-fleet-monthly-cost-above 2000%s",
                        bin, ""),
                    1);
    expect_in("out", "FAIL ptu-model: cost per month $876.00 > $800.00 (recommended plan in "
                     "units: 4 PTU on 1_month)");
    expect_in("out", "n/a  ptu-model: held utilization: sold in units (azure-ptu): a held "
                     "reservation is given in Bedrock TPM, not in units");
    expect_in("out", "n/a  gsu-model: held utilization: sold in units (vertex-gsu)");
    expect_in("out", "check: FAILED: 1 of 7 checks failed, 3 passed, 3 n/a");
    expect_in("err", "model \"ptu-model\" is sold in units (azure-ptu): its plan file entry's "
                     "reserve_input_tpm apply to Bedrock models only and are not used");
    CU_ASSERT_EQUAL(run("'%s' check --db f.db --pricing fleet-pricing.json --force --format json "
                        "--fail-fleet-monthly-cost-above 1500%s",
                        bin, ""),
                    1);
    expect_in("out", "\"value\":\t1511.84");
    /* against a report of the same fleet (the golden JSON): units and cost unchanged */
    CU_ASSERT_EQUAL(run("'%s' check --db f.db --pricing fleet-pricing.json --force --baseline "
                        "'%s'/report-fleet.json --fail-change-pct-above 10 --format json",
                        bin, golden),
                    0);
    expect_in("out", "\"check\":\t\"change_units_pct\"");
    CU_ASSERT_EQUAL(count_in("out", "\"check\":\t\"change_units_pct\""), 2);
    expect_in("out", "\"note\":\t\"baseline 4 PTU, now 4 (1_month)\"");
}

/* Two pools (openai-scale, xai): the bundled Claude Sonnet sample (3 days) stored as the
 * models of tests/data/units/scale.json: a test entry priced so that units pay (golden text
 * and JSON), and the shipped Scale Tier and xAI entries at their published prices. */
static void test_pools(void)
{
    const char *const models[] = {"scale-test", "gpt-4.1-2025-04-14", "grok-4-1-fast-reasoning"};
    char cmd[1400];
    for (size_t i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "'%s' ingest --db p.db --model %s", bin, models[i]);
        CU_ASSERT_EQUAL_FATAL(run("%s '%s'/sample-claude-sonnet.json", cmd, sample), 0);
    }
    CU_ASSERT_EQUAL_FATAL(run("cp '%s'/scale.json scale.json%s", golden, ""), 0);
#define POOLS_REC "'%s' recommend --db p.db --pricing scale.json --force "
    CU_ASSERT_EQUAL_FATAL(run(POOLS_REC "--model scale-test%s", bin, ""), 0);
    expect_golden("recommend-scale-test.txt");
    expect_in("out", "on openai-scale");
    expect_in("out", "the window is billed 3 days");
    expect_in("out", "recommended: 8 input units + 25 output units");
    CU_ASSERT_EQUAL_FATAL(run(POOLS_REC "--model scale-test --format json%s", bin, ""), 0);
    expect_golden("recommend-scale-test.json");
    expect_in("out", "\"plan\":\t\"pools\"");
    /* report and check size both pools; the fleet adds them in USD (8 x $40 + 25 x $12 =
     * $620 a day, the window's 3 billed days $1,860, x 730 / 72 h = $18,858.33 a month) */
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db p.db --pricing scale.json --force --model "
                              "scale-test%s",
                              bin, ""),
                          0);
    expect_in("out", "recommended: 8 input + 25 output units on 1_month at $40.00 and $12.00 a "
                     "unit-day for at least 30 days (the one offer)");
    expect_in("out", "units $18,858.33");
    expect_in("out", "an output unit 2,500 output TPM");
    expect_not_in("out", "weighted TPM");
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db p.db --pricing scale.json --force --model "
                              "scale-test --format json%s",
                              bin, ""),
                          0);
    expect_in("out", "\"input_units\":\t8,\n\t\t\t\t\"output_units\":\t25");
    /* the CSV: `units` is the input pool's, `output_units` (appended after region and account)
     * the output pool's; its cost per month is the JSON's, units at $620 a day x 730 / 24 =
     * $18,858.33 plus the spill over the 3 days' billed hours (72 x 730 / 744), not the
     * window's total over 72 whole-day hours x 730 */
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db p.db --pricing scale.json --force --model "
                              "scale-test --format csv%s",
                              bin, ""),
                          0);
    expect_in("out", ",served_pct,region,account,output_units\n");
    /* per_unit_hour_usd empty: two prices (input $40, output $12 a unit-day), neither the plan's */
    expect_in("out", ",openai-scale,8,1_month,,");
    expect_not_in("out", "1.6666666666666667");
    expect_in("out", ",,,25\n");
    expect_in("out", ",18.95487763836662,"); /* savings_pct: the window's */
    expect_in("out", ",29990.6419426666");   /* cost per month; not 2,937.32 / 72 x 730 */
    expect_in("out", "\n,fleet_total,recommended,true,");
    expect_in("out", ",,,,,,,\n"); /* a total row: no units, place or output units */
    /* a window of 47 hours is billed 2 whole days of units, but its per-month figures are not
     * those of 48 hours: the units at their price per hour held x 730 (8 x $40 + 25 x $12 =
     * $620 a day, x 730 / 24 = $18,858.33), on-demand and spill over the window's billed
     * hours, 47 x 730 / 744 in October, as for any model */
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db p.db --pricing scale.json --force --model "
                              "scale-test --from 2026-10-07T00:00Z --to 2026-10-08T23:00Z "
                              "--format json%s",
                              bin, ""),
                          0);
    char *js = slurp("out");
    cJSON *j = cJSON_Parse(js);
    const cJSON *up = cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(j, "models"), 0), "units_plan");
    CU_ASSERT_PTR_NOT_NULL_FATAL(up);
    const cJSON *pools = cJSON_GetObjectItem(up, "pools");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pools);
    const double n_in = cJSON_GetObjectItem(pools, "input_units")->valuedouble;
    const double n_out = cJSON_GetObjectItem(pools, "output_units")->valuedouble;
    CU_ASSERT_EQUAL(cJSON_GetObjectItem(pools, "billed_days")->valuedouble, 2);
    CU_ASSERT_EQUAL(n_in, 8);
    CU_ASSERT_EQUAL(n_out, 25);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(up, "units_per_month_usd")->valuedouble,
                           620.0 * 730 / 24, 1e-6);
    const double od = cJSON_GetObjectItem(up, "window_on_demand_usd")->valuedouble;
    CU_ASSERT(od > 0);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(up, "on_demand_per_month_usd")->valuedouble,
                           od * 730 / (47 * 730.0 / 744), 1e-6);
    cJSON_Delete(j);
    free(js);
    /* recommend's figures "a billed day" follow the same rule (a day x 730 / 24 is the month):
     * over the 47-hour window the units held cost 8 x $40 + 25 x $12 = $620 a day (2 whole
     * days, $1,240), and the spill and on-demand a billed day are the window's USD over its
     * billed hours, 47 x 730 / 744 = 46.116 in October, x 24: $736.18 of spill is
     * 736.18 x 24 / 46.116 = $383.13 a day, total $1,003.13 (not ($1,240 + $736.18) / 2 =
     * $988.09); on-demand $2,421.10 is 2,421.10 x 0.52043 = $1,260.01 a day (not $1,210.55) */
    CU_ASSERT_EQUAL_FATAL(run(POOLS_REC "--model scale-test --from 2026-10-07T00:00Z --to "
                                        "2026-10-08T23:00Z --format json%s",
                              bin, ""),
                          0);
    js = slurp("out");
    j = cJSON_Parse(js);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(cJSON_GetObjectItem(j, "units_usd")->valuedouble, 1240);
    const double spill = cJSON_GetObjectItem(j, "spill_usd")->valuedouble;
    const cJSON *rec = cJSON_GetObjectItem(j, "recommended");
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(rec, "per_day_usd")->valuedouble,
                           620 + spill * 24 / (47 * 730.0 / 744), 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(rec, "per_day_usd")->valuedouble, 1003.13, 0.005);
    cJSON_Delete(j);
    free(js);
    CU_ASSERT_EQUAL_FATAL(run(POOLS_REC "--model scale-test --from 2026-10-07T00:00Z --to "
                                        "2026-10-08T23:00Z%s",
                              bin, ""),
                          0);
    expect_in("out", "all on-demand Standard: $2,421.10, $1,260.01 a billed day");
    expect_in("out", "$1,976.18 over the window, $1,003.13 a billed day");
    /* check's change gate compares both pools: a baseline of 8 input + 20 output units (the
     * report's JSON with its output count edited) against 8 + 25 now: +25% fails at 10% */
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db p.db --pricing scale.json --force --model "
                              "scale-test --format json%s",
                              bin, ""),
                          0);
    char *base = slurp("out");
    CU_ASSERT_PTR_NOT_NULL_FATAL(base);
    char *at25 = strstr(base, "\"output_units\":\t25,");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at25);
    memcpy(at25 + strlen("\"output_units\":\t"), "20", 2);
    write_file("base-pools.json", base);
    free(base);
    CU_ASSERT_EQUAL(run("'%s' check --db p.db --pricing scale.json --force --model scale-test "
                        "--baseline base-pools.json --fail-change-pct-above 10 --format json%s",
                        bin, ""),
                    1);
    expect_in("out", "\"note\":\t\"baseline 8 input + 20 output units, now 8 + 25 (1_month)\"");
    expect_in("out", "\"value\":\t25,");
    /* diff shows both pools' units (not 0 TPM), and refuses recommend's plan in units with
     * what to give instead */
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db p.db --pricing scale.json --force --model "
                              "scale-test --format json > now.json && '%s' diff base-pools.json "
                              "now.json",
                              bin, bin),
                          0);
    expect_in("out", "input units                            8                 8");
    expect_in("out", "output units                          20                25                +5");
    expect_not_in("out", "reserved input TPM");
    CU_ASSERT_EQUAL_FATAL(
        run("'%s' diff base-pools.json now.json --format markdown%s", bin, ""), 0);
    expect_in("out", "| `scale-test` | 8 / 20 → 8 / 25 units |");
    CU_ASSERT_EQUAL(run(POOLS_REC "--model scale-test --format json > rec.json && '%s' diff "
                        "rec.json now.json",
                        bin, bin),
                    3);
    expect_in("err", "a recommend output of a model sold in units (openai-scale)");
    /* project projects both pools: each month each pool's optimum on the month's P50 path
     * (the recommend figures here: 8 input + 25 output units), priced by the day (October:
     * 31 x (8 x $40 + 25 x $12) = $19,220 of units) */
#define POOLS_PROJ "'%s' project --db p.db --pricing scale.json --model scale-test --months 2 " \
                   "--growth-pct-per-month 0 --seed 7 "
    CU_ASSERT_EQUAL_FATAL(run(POOLS_PROJ "%s", bin, ""), 0);
    expect_in("out", "units: sold in two pools (openai-scale)");
    expect_in("out", "(reservation: input / output units held)");
    expect_in("out", "recommended           8 / 25");
    /* the 730 h note is not their rule: October's $19,220 is 31 days, report's month 730 h */
    expect_in("out", "A model sold in two pools (openai-scale, xai) is bought by the day");
    CU_ASSERT_EQUAL_FATAL(run(POOLS_PROJ "--format json%s", bin, ""), 0);
    expect_in("out", "\"A model sold in two pools (openai-scale, xai) is bought by the day");
    expect_in("out", "\"units\":\t8,");
    expect_in("out", "\"output_units\":\t25,");
    expect_in("out", "\"reserved_usd\":\t19220");
    CU_ASSERT_EQUAL_FATAL(run(POOLS_PROJ "--format markdown%s", bin, ""), 0);
    expect_in("out", "| input units | output units ");
    expect_in("out", "| 8 unit | 25 unit |");
    CU_ASSERT_EQUAL_FATAL(run(POOLS_PROJ "--format html%s", bin, ""), 0);
    expect_in("out", "<th>input units</th><th>output units</th>");
    CU_ASSERT_EQUAL_FATAL(run(POOLS_PROJ "--format focus%s", bin, ""), 0);
    expect_in("out", "Provisioned units: 8 input + 25 output, 30-day minimum");
    CU_ASSERT_EQUAL_FATAL(run(POOLS_PROJ "--format csv%s", bin, ""), 0);
    /* a Bedrock-only option: refused saying how two pools are held, not the one-pool rule */
    CU_ASSERT_EQUAL(run(POOLS_PROJ "--spill-to none%s", bin, ""), 2);
    expect_in("err", "its input and output units are re-sized each month and bought by the day");
    /* every model (all three sold in two pools), none skipped */
    CU_ASSERT_EQUAL_FATAL(run("'%s' project --db p.db --pricing scale.json --months 1 "
                              "--growth-pct-per-month 0%s",
                              bin, ""),
                          0);
    expect_in("out", "== model grok-4-1-fast-reasoning");
    expect_not_in("err", "two pools");
    /* (no two-pool model, no such note: cli-project's golden of gpt-4.1 in units) */
#undef POOLS_PROJ
    /* showback needs per-key usage: the metric sample has none, said for the unit model */
    CU_ASSERT_EQUAL(run("'%s' showback --db p.db --pricing scale.json --model scale-test%s", bin,
                        ""),
                    1);
    expect_in("err", "model sold in units (openai-scale), showback needs per-key usage");
    /* at the published prices a unit costs more a day than its capacity fully used on demand
     * (Scale Tier: 30,000 input TPM for a day is 43.2M tokens, $86.40 at $2 a million, for
     * $110): all on demand, said plainly */
    CU_ASSERT_EQUAL_FATAL(run(POOLS_REC "--model gpt-4.1-2025-04-14%s", bin, ""), 0);
    expect_in("out", "recommended: no units: all on-demand Standard");
    expect_in("out", "input unit: 30,000.0 TPM of input");
    CU_ASSERT_EQUAL_FATAL(run(POOLS_REC "--model grok-4-1-fast-reasoning%s", bin, ""), 0);
    expect_in("out", "on xai");
    expect_in("out", "output unit: 12,500.0 output TPM, $10.00 a day");
    /* per minute: no burst factor; text or JSON only; served-pct needs throttle */
    CU_ASSERT_EQUAL(run(POOLS_REC "--model scale-test --burst-factor 2%s", bin, ""), 2);
    expect_in("err", "(openai-scale) is enforced per minute");
    CU_ASSERT_EQUAL(run(POOLS_REC "--model scale-test --format csv%s", bin, ""), 2);
    CU_ASSERT_EQUAL(run(POOLS_REC "--model scale-test --served-pct 99%s", bin, ""), 2);
    /* throttled: each pool serves the level asked, nothing spills */
    char *cat = slurp("scale.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
    char *at = strstr(cat, "\"overflow\": \"spill\", \"example\": true");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    static char text[1 << 15];
    snprintf(text, sizeof text, "%.*s\"overflow\": \"throttle\"%s", (int)(at - cat), cat,
             at + strlen("\"overflow\": \"spill\""));
    write_file("scale-throttle.json", text);
    free(cat);
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db p.db --pricing scale-throttle.json --force "
                              "--model scale-test --served-pct 99%s",
                              bin, ""),
                          0);
    expect_in("out", "service level: each pool serves at least 99.0% of its tokens");
    expect_in("out", "throttled tok");
#undef POOLS_REC
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli-units", units_setup, units_teardown);
    CU_add_test(s, "azure text", test_azure_text);
    CU_add_test(s, "azure json", test_azure_json);
    CU_add_test(s, "vertex text", test_vertex_text);
    CU_add_test(s, "throttle", test_throttle);
    CU_add_test(s, "usage errors", test_usage_errors);
    CU_add_test(s, "bedrock commands refuse", test_bedrock_commands_refuse);
    CU_add_test(s, "split lower bound", test_split_lower_bound);
    CU_add_test(s, "two pools", test_pools);
    CU_add_test(s, "report sizes units", test_report_units_body);
    CU_add_test(s, "fleet report text", test_fleet_report_text);
    CU_add_test(s, "fleet report json", test_fleet_report_json);
    CU_add_test(s, "fleet table units", test_fleet_table_units);
    CU_add_test(s, "fleet report html", test_fleet_report_html);
    CU_add_test(s, "check in units", test_check_units);
}
