/* test_cli_showback_units.c - end to end: tierplan showback on models sold in units (Azure PTU,
 * Vertex GSU): golden outputs in every format (tests/data/showback-units; TP_UPDATE_GOLDEN=1
 * rewrites the unit ones after a deliberate change), cents adding up in JSON and FOCUS, the
 * default units being recommend's plan, --all mixing providers in one CSV, the usage errors,
 * and a Bedrock showback byte for byte as it was before units (goldens made by the previous
 * build, never rewritten). */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

static char golden[1024];

static int sbu_setup(void)
{
    const char *g = getenv("TP_TEST_DATA");
    if (setup() != 0 || g == NULL)
        return -1;
    snprintf(golden, sizeof golden, "%s/showback-units", g);
    /* u.db: every model's logs; b.db: the Bedrock model's alone */
    if (run("'%s' ingest --db u.db '%s'/logs.json", bin, golden) != 0 ||
        run("(grep '\"bedrock.m\"' '%s'/logs.json > b.json)%s", golden, "") != 0 ||
        run("'%s' ingest --db b.db b.json%s", bin, "") != 0 ||
        run("cp '%s'/pricing.json pricing.json%s", golden, "") != 0)
        return -1;
    return 0;
}

static int sbu_teardown(void) { return teardown(); }

/* Compares dir/out with golden/name; update: rewrite it first under TP_UPDATE_GOLDEN=1 (the
 * Bedrock goldens never are: they are the output before units were shown back). */
static void expect_golden(const char *name, int update)
{
    char path[1400];
    char *got = slurp("out");
    snprintf(path, sizeof path, "%s/%s", golden, name);
    const char *upd = getenv("TP_UPDATE_GOLDEN");
    if (update && upd != NULL && strcmp(upd, "1") == 0) {
        FILE *f = fopen(path, "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fputs(got, f);
        fclose(f);
    }
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char buf[1 << 18];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    if (strcmp(got, buf) != 0)
        fprintf(stderr, "\n  output differs from the golden file %s\n", path);
    CU_ASSERT_STRING_EQUAL(got, buf);
    if (strstr(name, ".txt") != NULL) /* text fits 100 columns */
        for (char *line = strtok(got, "\n"); line != NULL; line = strtok(NULL, "\n"))
            CU_ASSERT(strlen(line) <= 100);
    free(got);
}

#define SB "'%s' showback --db u.db --pricing pricing.json "
#define HELD "--model gpt-4.1 --units 15 --term 1_month"

/* RFC 4180 fields of one line of text (quotes doubled inside quoted fields), written into
 * f[0, max) as malloc'd strings; returns the count and advances *p past the line. */
static size_t csv_line(const char **p, char **f, size_t max)
{
    size_t n = 0;
    const char *s = *p;
    while (*s != '\0' && n < max) {
        char *v = malloc(strlen(s) + 1), *o = v;
        if (*s == '"') {
            for (s++; *s != '\0'; s++) {
                if (*s == '"' && s[1] == '"')
                    *o++ = '"', s++;
                else if (*s == '"') {
                    s++;
                    break;
                } else
                    *o++ = *s;
            }
        } else {
            while (*s != '\0' && *s != ',' && *s != '\n')
                *o++ = *s++;
        }
        *o = '\0';
        f[n++] = v;
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s == '\n')
            s++;
        break;
    }
    *p = s;
    return n;
}

static void free_fields(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i]);
}

/* The total in cents of the JSON showback in dir/out (and each line's cents into *sum). */
static long json_total_cents(long *sum)
{
    char *text = slurp("out");
    cJSON *root = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const cJSON *lines = cJSON_GetObjectItemCaseSensitive(root, "lines"), *l;
    *sum = 0;
    cJSON_ArrayForEach(l, lines)
    {
        *sum += lround(100 * cJSON_GetObjectItemCaseSensitive(l, "total_usd")->valuedouble);
    }
    const long total = lround(100 * cJSON_GetObjectItemCaseSensitive(root, "total_usd")->valuedouble);
    cJSON_Delete(root);
    return total;
}

/* Units given, every format against its golden; the JSON's lines add up to its total, the
 * FOCUS rows' BilledCost and EffectiveCost each to the same total. */
static void test_held_formats(void)
{
    static const char *const fmts[] = {"text", "csv", "json", "markdown", "focus"};
    static const char *const names[] = {"gpt-4.1-held.txt", "gpt-4.1-held.csv",
                                        "gpt-4.1-held.json", "gpt-4.1-held.md",
                                        "gpt-4.1-held-focus.csv"};
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL_FATAL(run(SB HELD " --format %s", bin, fmts[i]), 0);
        expect_golden(names[i], 1);
    }
    expect_in("out", "\"Azure OpenAI\"");
    expect_in("out", "\"Provisioned units (azure-ptu): 15 PTU, 1_month term\"");
    char *focus = slurp("out");
    const char *p = focus;
    char *f[32];
    size_t n = csv_line(&p, f, 32);
    CU_ASSERT_EQUAL(n, 26);
    free_fields(f, n);
    long billed = 0, effective = 0;
    while (*p != '\0') {
        n = csv_line(&p, f, 32);
        CU_ASSERT_EQUAL_FATAL(n, 26);
        billed += lround(100 * atof(f[0]));
        effective += lround(100 * atof(f[15]));
        CU_ASSERT_STRING_EQUAL(f[20], "Azure OpenAI");
        free_fields(f, n);
    }
    free(focus);
    CU_ASSERT_EQUAL_FATAL(run(SB HELD " --format json%s", bin, ""), 0);
    long sum = 0;
    const long total = json_total_cents(&sum);
    CU_ASSERT_EQUAL(sum, total);
    CU_ASSERT_EQUAL(billed, total);
    CU_ASSERT_EQUAL(effective, total);
    CU_ASSERT(total > 0);
    expect_in("out", "\"provider\":\t\"azure-ptu\"");
    expect_in("out", "\"count\":\t15");
    expect_in("out", "\"term\":\t\"1_month\"");
    /* text names the provider and the units */
    CU_ASSERT_EQUAL_FATAL(run(SB HELD "%s", bin, ""), 0);
    expect_in("out", "showback of gpt-4.1 (region unknown, account unknown) on azure-ptu\n");
    expect_in("out", "units held: 15 PTU on the 1 month term at $0.3562 a unit-hour");
}

/* Without --units, the units recommend recommends for the logs' demand (its term too); with
 * --term alone, the optimum on that term. */
static void test_default_is_recommend(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db u.db --pricing pricing.json --force "
                              "--model gemini-2.5-flash --format json%s",
                              bin, ""),
                          0);
    char *text = slurp("out");
    cJSON *rec = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(rec, "recommended");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    const double units = cJSON_GetObjectItemCaseSensitive(r, "units")->valuedouble;
    char term[32];
    snprintf(term, sizeof term, "%s", cJSON_GetObjectItemCaseSensitive(r, "term")->valuestring);
    cJSON_Delete(rec);
    CU_ASSERT_EQUAL_FATAL(run(SB "--model gemini-2.5-flash --format json%s", bin, ""), 0);
    text = slurp("out");
    cJSON *sb = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(sb, "units");
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(u, "count")->valuedouble, units);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(u, "term")->valuestring, term);
    CU_ASSERT(units > 0); /* the example sizes some GSUs: a real split, not all on demand */
    cJSON_Delete(sb);
    CU_ASSERT_EQUAL_FATAL(run(SB "--model gemini-2.5-flash%s", bin, ""), 0);
    expect_golden("gemini-2.5-flash-recommended.txt", 1);
    expect_in("out", "overflow spills to on-demand Standard; burst x1.5, per second");
    CU_ASSERT_EQUAL_FATAL(run(SB "--model gpt-4.1 --term hourly --format json%s", bin, ""), 0);
    expect_in("out", "\"term\":\t\"hourly\"");
}

/* A throttling entry: refused tokens in their own column, no spill charged. */
static void test_throttle(void)
{
    char *cat = slurp("pricing.json");
    char *at = strstr(cat, "\"overflow\": \"spill\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    static char buf[1 << 16];
    snprintf(buf, sizeof buf, "%.*s\"overflow\": \"throttle\"%s", (int)(at - cat), cat,
             at + strlen("\"overflow\": \"spill\""));
    free(cat);
    write_file("throttle.json", buf);
    CU_ASSERT_EQUAL_FATAL(run("'%s' showback --db u.db --pricing throttle.json " HELD "%s", bin,
                              ""),
                          0);
    expect_golden("gpt-4.1-throttle.txt", 1);
    expect_in("out", "overflow throttled (429): refused tokens reported, not charged");
    expect_in("out", "throttled tok");
    CU_ASSERT_EQUAL_FATAL(run("'%s' showback --db u.db --pricing throttle.json " HELD
                              " --format json%s",
                              bin, ""),
                          0);
    expect_in("out", "\"spill_usd\":\t0,");
    /* --served-pct sizes the recommended units of a throttling entry */
    CU_ASSERT_EQUAL(run("'%s' showback --db u.db --pricing throttle.json --model gpt-4.1 "
                        "--served-pct 90 --format json%s",
                        bin, ""),
                    0);
    expect_in("out", "\"overflow\":\t\"throttle\"");
}

/* --all: every model, one CSV header with the unit columns (the Bedrock model's rows with its
 * provider and empty unit fields), every row 18 fields. */
static void test_all_mixed(void)
{
    CU_ASSERT_EQUAL_FATAL(run(SB "--all --format csv%s", bin, ""), 0);
    expect_golden("all.csv", 1);
    char *text = slurp("out");
    const char *p = text;
    char *f[32];
    size_t rows = 0, bedrock = 0, units = 0;
    while (*p != '\0') {
        const size_t n = csv_line(&p, f, 32);
        CU_ASSERT_EQUAL(n, 18);
        if (rows++ > 0 && n == 18) {
            bedrock += strcmp(f[8], "bedrock") == 0;
            units += strcmp(f[8], "azure-ptu") == 0 || strcmp(f[8], "vertex-gsu") == 0;
        }
        free_fields(f, n);
    }
    free(text);
    CU_ASSERT(bedrock > 0 && units > 0);
    expect_in("out", "model,key,idle,effective_input_tokens,output_tokens,reserved_usd,"
                     "spill_usd,total_usd,provider,units,unit_name,term,weighted_tokens,"
                     "spilled_tokens,throttled_tokens,region,account,output_units\n");
    CU_ASSERT_EQUAL_FATAL(run(SB "--all --format json%s", bin, ""), 0);
    expect_in("out", "\"provider\":\t\"vertex-gsu\"");
    CU_ASSERT_EQUAL_FATAL(run(SB "--all --format focus%s", bin, ""), 0);
    expect_in("out", "\"Vertex AI\"");
    expect_in("out", "\"Amazon Bedrock\"");
}

/* The Bedrock showback is what it was before units, byte for byte (goldens from that build). */
static void test_bedrock_unchanged(void)
{
    static const char *const fmts[] = {"text", "csv", "json", "markdown", "focus"};
    static const char *const names[] = {"bedrock-held.txt", "bedrock-held.csv",
                                        "bedrock-held.json", "bedrock-held.md",
                                        "bedrock-held-focus.csv"};
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL_FATAL(run("'%s' showback --db b.db --pricing pricing.json --model "
                                  "bedrock.m --reserve-input-tpm 100000 --reserve-output-tpm "
                                  "10000 --format %s",
                                  bin, fmts[i]),
                              0);
        expect_golden(names[i], 0);
    }
    CU_ASSERT_EQUAL_FATAL(run("'%s' showback --db b.db --pricing pricing.json --model "
                              "bedrock.m%s",
                              bin, ""),
                          0);
    expect_golden("bedrock-recommended.txt", 0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' showback --db b.db --pricing pricing.json --all "
                              "--format csv%s",
                              bin, ""),
                          0);
    expect_golden("bedrock-all.csv", 0);
}

static void test_usage_errors(void)
{
    CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 --units 17%s", bin, ""), 2);
    expect_in("err", "--units 17: catalog entry \"gpt-4.1\" (azure-ptu) deploys 0, or 15 PTU "
                     "and up in steps of 5");
    CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 --units 15 --term 1_week%s", bin, ""), 2);
    expect_in("err", "--term 1_week: catalog entry \"gpt-4.1\" (azure-ptu) sells no such term (it "
                     "sells: hourly, 1_month, 1_year)");
    CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 --term 2_years%s", bin, ""), 2);
    expect_in("err", "--term: \"2_years\" is not hourly, 1_week, 1_month, 3_months or 1_year");
    CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 --units x%s", bin, ""), 2);
    expect_in("err", "--units: \"x\" is not a whole number of units >= 0");
    static const char *const bedrock_only[] = {
        "--reserve-input-tpm 1000 --reserve-output-tpm 0", "--spill-to priority",
        "--spill-model independent", "--quota-tpm 5", "--term-months 3",
        "--max-spill-minutes-pct 5"};
    for (size_t i = 0; i < sizeof bedrock_only / sizeof *bedrock_only; i++) {
        CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 %s", bin, bedrock_only[i]), 2);
        expect_in("err", "apply to Bedrock models only (give --units and --term");
    }
    CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 --burst-factor 2%s", bin, ""), 2);
    expect_in("err", "--burst-factor applies to a provider enforcing per second");
    CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 --served-pct 90%s", bin, ""), 2);
    expect_in("err", "--served-pct applies to a model whose overflow is throttled");
    CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 --units 15 --served-pct 90%s", bin, ""), 2);
    expect_in("err", "--served-pct sizes the recommended units: not with --units");
    CU_ASSERT_EQUAL(run(SB "--all --units 15%s", bin, ""), 2);
    expect_in("err", "--all shows back each model's recommended reservation: no --reserve-*-tpm, "
                     "--units or --output-units");
    CU_ASSERT_EQUAL(run(SB "--model bedrock.m --units 15%s", bin, ""), 2);
    expect_in("err", "--units, --output-units, --term, --burst-factor and --served-pct apply to "
                     "a model sold in units; catalog entry \"bedrock.m\" is a Bedrock entry");
    /* --all: a term a unit model does not sell skips it with a warning; the others show */
    CU_ASSERT_EQUAL(run(SB "--all --term 1_week --format csv%s", bin, ""), 0);
    expect_in("err", "warning: --term 1_week: catalog entry \"gpt-4.1\" (azure-ptu) sells no "
                     "such term");
    expect_in("out", "\"gemini-2.5-flash\"");
}

/* Two pools (openai-scale): the gpt-4.1 logs stored as tests/data/units/scale.json's
 * scale-test (2 input units of 30,000 TPM at $40 a day, output units of 2,500 TPM at $12):
 * every format against its golden; the lines add up to the total, which is the two pools'
 * units over the window's 1 billed day (2 x $40 + 5 x $12 = $140) and spill; without
 * --units the plan recommend recommends for both pools; --all shows it. */
static void test_pools(void)
{
    const char *g = getenv("TP_TEST_DATA");
    CU_ASSERT_EQUAL_FATAL(run("(grep '\"gpt-4.1\"' '%s'/logs.json > pools.json)%s", golden, ""),
                          0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db pools.db --model scale-test pools.json%s", bin,
                              ""),
                          0);
    CU_ASSERT_EQUAL_FATAL(run("cp '%s'/units/scale.json scale.json%s", g, ""), 0);
#define SBP "'%s' showback --db pools.db --pricing scale.json --model scale-test "
    static const char *const fmts[] = {"text", "csv", "json", "markdown", "focus"};
    static const char *const names[] = {"pools-held.txt", "pools-held.csv", "pools-held.json",
                                        "pools-held.md", "pools-held-focus.csv"};
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL_FATAL(run(SBP "--units 2 --output-units 5 --format %s", bin, fmts[i]),
                              0);
        expect_golden(names[i], 1);
    }
    expect_in("out", "\"Provisioned units (openai-scale): 2 input + 5 output, 30-day minimum\"");
    CU_ASSERT_EQUAL_FATAL(run(SBP "--units 2 --output-units 5 --format json%s", bin, ""), 0);
    long sum = 0;
    const long total = json_total_cents(&sum);
    CU_ASSERT_EQUAL(sum, total);
    char *text = slurp("out");
    cJSON *root = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const cJSON *pools =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "units"), "pools");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pools);
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(pools, "input");
    const cJSON *out = cJSON_GetObjectItemCaseSensitive(pools, "output");
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(in, "units_usd")->valuedouble, 80);
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(out, "units_usd")->valuedouble, 60);
    const double spill = cJSON_GetObjectItemCaseSensitive(in, "spill_usd")->valuedouble +
                         cJSON_GetObjectItemCaseSensitive(out, "spill_usd")->valuedouble;
    CU_ASSERT_EQUAL(total, 14000 + lround(spill * 100));
    cJSON_Delete(root);
    /* the text names both pools */
    CU_ASSERT_EQUAL_FATAL(run(SBP "--units 2 --output-units 5%s", bin, ""), 0);
    expect_in("out", "input units held: 2 at $40.00 a unit-day x 1 billed day: $80.00");
    expect_in("out", "output units held: 5 at $12.00 a unit-day x 1 billed day: $60.00");
    /* without --units: both pools as recommend sizes them on the logs */
    CU_ASSERT_EQUAL_FATAL(run("'%s' recommend --db pools.db --pricing scale.json --force "
                              "--model scale-test --format json%s",
                              bin, ""),
                          0);
    text = slurp("out");
    root = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const cJSON *rp = cJSON_GetObjectItemCaseSensitive(root, "recommended");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rp);
    const double n_in = cJSON_GetObjectItemCaseSensitive(rp, "input_units")->valuedouble;
    const double n_out = cJSON_GetObjectItemCaseSensitive(rp, "output_units")->valuedouble;
    cJSON_Delete(root);
    CU_ASSERT_EQUAL_FATAL(run(SBP "--format json%s", bin, ""), 0);
    text = slurp("out");
    root = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    pools =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "units"), "pools");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pools);
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(pools, "input"), "units")->valuedouble,
                    n_in);
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(pools, "output"), "units")->valuedouble,
                    n_out);
    cJSON_Delete(root);
    /* --all shows it (it was skipped before two pools were shown back) */
    CU_ASSERT_EQUAL_FATAL(run("'%s' showback --db pools.db --pricing scale.json --all%s", bin,
                              ""),
                          0);
    expect_in("out", "showback of scale-test");
    char *err_text = slurp("err");
    CU_ASSERT_PTR_NOT_NULL_FATAL(err_text);
    CU_ASSERT_PTR_NULL(strstr(err_text, "warning"));
    free(err_text);
    /* off a pool's grid; output units for a one-pool entry */
    CU_ASSERT_EQUAL(run(SBP "--units 3 --output-units 5%s", bin, ""), 2);
    expect_in("err", "--units 3: catalog entry \"scale-test\" (openai-scale) sells 0, or 2 input");
    CU_ASSERT_EQUAL(run(SB "--model gpt-4.1 --units 15 --output-units 5%s", bin, ""), 2);
    expect_in("err", "--output-units: catalog entry \"gpt-4.1\" (azure-ptu) sells one pool");
    CU_ASSERT_EQUAL(run(SBP "--output-units 5%s", bin, ""), 2);
    expect_in("err", "--output-units goes with --units");
#undef SBP
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli-showback-units", sbu_setup, sbu_teardown);
    CU_add_test(s, "held formats", test_held_formats);
    CU_add_test(s, "default is recommend", test_default_is_recommend);
    CU_add_test(s, "throttle", test_throttle);
    CU_add_test(s, "all mixed", test_all_mixed);
    CU_add_test(s, "bedrock unchanged", test_bedrock_unchanged);
    CU_add_test(s, "usage errors", test_usage_errors);
    CU_add_test(s, "two pools", test_pools);
}
