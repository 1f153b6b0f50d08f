/* test_cli_focus.c - end to end: project --format focus and showback --format focus read back
 * by a strict CSV parser (RFC 4180), every row's shape checked against FOCUS 1.2's rules, and
 * the sums checked against the JSON of the same command. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

#define NOVA "amazon.nova-pro-v1:0"
#define ASSERT_NEAR(a, b, tol) CU_ASSERT(fabs((double)(a) - (double)(b)) <= (tol))
#define NCOLS 26

static const char *const columns[NCOLS] = {"BilledCost",
                                           "BillingCurrency",
                                           "BillingPeriodEnd",
                                           "BillingPeriodStart",
                                           "ChargeCategory",
                                           "ChargeDescription",
                                           "ChargeFrequency",
                                           "ChargePeriodEnd",
                                           "ChargePeriodStart",
                                           "CommitmentDiscountCategory",
                                           "CommitmentDiscountId",
                                           "CommitmentDiscountStatus",
                                           "CommitmentDiscountType",
                                           "ConsumedQuantity",
                                           "ConsumedUnit",
                                           "EffectiveCost",
                                           "ListCost",
                                           "RegionId",
                                           "ResourceId",
                                           "ServiceCategory",
                                           "ServiceName",
                                           "SubAccountId",
                                           "x_Plan",
                                           "x_Tier",
                                           "x_Key",
                                           "x_Quantile"};

enum {
    BILLED,
    CURRENCY,
    BP_END,
    BP_START,
    CATEGORY,
    DESCRIPTION,
    FREQUENCY,
    CP_END,
    CP_START,
    CD_CATEGORY,
    CD_ID,
    CD_STATUS,
    CD_TYPE,
    QUANTITY,
    UNIT,
    EFFECTIVE,
    LIST,
    REGION,
    RESOURCE,
    SERVICE_CATEGORY,
    SERVICE_NAME,
    SUB_ACCOUNT,
    X_PLAN,
    X_TIER,
    X_KEY,
    X_QUANTILE
};

/* A parsed table: rows of NCOLS fields, each with whether it was quoted (a FOCUS null is an
 * empty unquoted field). */
typedef struct table {
    char *(*f)[NCOLS];
    size_t n;
} table;

static void table_free(table *t)
{
    for (size_t r = 0; r < t->n; r++)
        for (int c = 0; c < NCOLS; c++)
            free(t->f[r][c]);
    free(t->f);
}

/* Parses text strictly: fields either bare (no quote, comma or line break in them) or quoted
 * with "" for a quote and nothing but a comma or line break after the closing quote; every
 * line ends with "\n" and has NCOLS fields. The header is checked against columns and not
 * kept. Returns 0, or -1 (with a message) on the first violation. */
static int parse_csv(const char *s, table *t)
{
    t->f = NULL;
    t->n = 0;
    size_t cap = 0;
    int line = 0;
    while (*s != '\0') {
        char *row[NCOLS] = {0};
        int c = 0;
        for (;;) {
            size_t len = 0, room = 64;
            char *v = malloc(room);
            if (v == NULL)
                return -1;
            if (*s == '"') {
                for (s++;; s++) {
                    if (*s == '\0') {
                        fprintf(stderr, "line %d: unterminated quote\n", line + 1);
                        free(v);
                        return -1;
                    }
                    if (*s == '"' && s[1] != '"')
                        break;
                    if (*s == '"')
                        s++;
                    if (len + 2 > room && (v = realloc(v, room *= 2)) == NULL)
                        return -1;
                    v[len++] = *s;
                }
                s++;
                if (*s != ',' && *s != '\n') {
                    fprintf(stderr, "line %d: text after a closing quote\n", line + 1);
                    free(v);
                    return -1;
                }
            } else {
                for (; *s != ',' && *s != '\n' && *s != '\0'; s++) {
                    if (*s == '"' || *s == '\r') {
                        fprintf(stderr, "line %d: a quote or CR in a bare field\n", line + 1);
                        free(v);
                        return -1;
                    }
                    if (len + 2 > room && (v = realloc(v, room *= 2)) == NULL)
                        return -1;
                    v[len++] = *s;
                }
            }
            v[len] = '\0';
            if (c == NCOLS) {
                fprintf(stderr, "line %d: more than %d fields\n", line + 1, NCOLS);
                free(v);
                return -1;
            }
            row[c++] = v;
            if (*s == ',') {
                s++;
                continue;
            }
            if (*s != '\n') {
                fprintf(stderr, "line %d: no line break at the end\n", line + 1);
                return -1;
            }
            s++;
            break;
        }
        if (c != NCOLS) {
            fprintf(stderr, "line %d: %d fields, not %d\n", line + 1, c, NCOLS);
            return -1;
        }
        if (line++ == 0) {
            for (int k = 0; k < NCOLS; k++) {
                CU_ASSERT_STRING_EQUAL(row[k], columns[k]);
                free(row[k]);
            }
            continue;
        }
        if (t->n == cap &&
            (t->f = realloc(t->f, (cap = cap ? 2 * cap : 64) * sizeof *t->f)) == NULL)
            return -1;
        memcpy(t->f[t->n++], row, sizeof row);
    }
    return line > 0 ? 0 : -1;
}

static double num(const char *s)
{
    char *end = NULL;
    double v = strtod(s, &end);
    CU_ASSERT(*s != '\0' && *end == '\0');
    return v;
}

/* The rules of FOCUS 1.2 every row keeps (docs/formats.md, "FOCUS export"). */
static void check_row(char *const *r)
{
    CU_ASSERT_STRING_EQUAL(r[CURRENCY], "USD");
    CU_ASSERT_STRING_EQUAL(r[SERVICE_CATEGORY], "AI and Machine Learning");
    CU_ASSERT_STRING_EQUAL(r[SERVICE_NAME], "Amazon Bedrock");
    CU_ASSERT(strcmp(r[CP_START], r[CP_END]) < 0);
    CU_ASSERT(strcmp(r[BP_START], r[CP_START]) <= 0 && strcmp(r[CP_END], r[BP_END]) <= 0);
    const int purchase = strcmp(r[CATEGORY], "Purchase") == 0;
    CU_ASSERT(purchase || strcmp(r[CATEGORY], "Usage") == 0);
    const int commitment = r[CD_ID][0] != '\0';
    /* a commitment's columns come together; status only on its Usage rows */
    CU_ASSERT_STRING_EQUAL(r[CD_TYPE], commitment ? "Reserved Tier" : "");
    CU_ASSERT_STRING_EQUAL(r[CD_CATEGORY], commitment ? "Usage" : "");
    if (purchase || !commitment)
        CU_ASSERT_STRING_EQUAL(r[CD_STATUS], "");
    if (commitment && !purchase)
        CU_ASSERT(strcmp(r[CD_STATUS], "Used") == 0 || strcmp(r[CD_STATUS], "Unused") == 0);
    /* tokens on Usage rows but Unused; none on a Purchase or an Unused row */
    const int quantity = !purchase && strcmp(r[CD_STATUS], "Unused") != 0;
    CU_ASSERT_EQUAL(r[QUANTITY][0] != '\0', quantity);
    CU_ASSERT_STRING_EQUAL(r[UNIT], quantity ? "Tokens" : "");
    if (quantity)
        CU_ASSERT(num(r[QUANTITY]) >= 0);
    /* a purchase bills now and amortizes nothing; a commitment's usage bills nothing */
    if (purchase)
        CU_ASSERT_EQUAL(num(r[EFFECTIVE]), 0);
    if (commitment && !purchase)
        CU_ASSERT_EQUAL(num(r[BILLED]), 0);
    CU_ASSERT(num(r[LIST]) >= 0);
}

static cJSON *json_out(void)
{
    char *s = slurp("out");
    cJSON *j = cJSON_Parse(s);
    free(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    CU_ASSERT_FATAL(cJSON_IsNumber(x));
    return x->valuedouble;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    CU_ASSERT_FATAL(cJSON_IsString(x));
    return x->valuestring;
}

#define PROJECT                                                                                    \
    "'%s' project --db p.db --pricing '%s'/pricing.json --jobs 1 --model " NOVA " --months 3 "     \
    "--growth-pct-per-month 3 --samples 40 --seed 5 --reserve-input-tpm 20000 "                    \
    "--reserve-output-tpm 5000 --format "

/*
 * Per model, plan, month and quantile the FOCUS rows' BilledCost and EffectiveCost each add up
 * to the JSON's cost_usd, their tokens to reserved_tokens + on_demand_tokens (the throttled are
 * billed nowhere). The held reservation of 20000 input and 5000 output TPM of Nova Pro
 * (reserved 0.032 and 0.128 USD per 1K TPM-hour, term 1 month at 1.0) is billed its fixed
 * monthly charge, 730 h x (20 x 0.032 + 5 x 0.128) = 730 x 1.28 = 934.40 USD, in November (30
 * days) and December (31) alike: one Purchase row with that BilledCost per month and quantile.
 */
static void test_project(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db p.db '%s'/sample-nova-pro.json", bin, sample),
                          0);
    CU_ASSERT_EQUAL_FATAL(run(PROJECT "focus", bin, sample), 0);
    char *csv = slurp("out");
    table t;
    CU_ASSERT_EQUAL_FATAL(parse_csv(csv, &t), 0);
    free(csv);
    CU_ASSERT_EQUAL_FATAL(run(PROJECT "json", bin, sample), 0);
    cJSON *root = json_out();
    const cJSON *model = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "models"), 0);
    const cJSON *plans = cJSON_GetObjectItemCaseSensitive(model, "plans");
    CU_ASSERT_PTR_NOT_NULL_FATAL(plans);
    size_t matched = 0, purchases = 0;
    for (size_t r = 0; r < t.n; r++)
        check_row(t.f[r]);
    const cJSON *plan = NULL;
    cJSON_ArrayForEach(plan, plans)
    {
        const cJSON *month = NULL;
        cJSON_ArrayForEach(month, plan)
        {
            char start[32];
            snprintf(start, sizeof start, "%s-01T00:00:00Z", jstr(month, "month"));
            for (int q = 0; q < 3; q++) {
                const char *qn = q == 0 ? "p10" : q == 1 ? "p50" : "p90";
                const cJSON *f = cJSON_GetObjectItemCaseSensitive(month, qn);
                double billed = 0, effective = 0, tokens = 0;
                size_t rows = 0;
                for (size_t r = 0; r < t.n; r++) {
                    char *const *row = t.f[r];
                    if (strcmp(row[X_PLAN], plan->string) != 0 ||
                        strcmp(row[CP_START], start) != 0 || strcmp(row[X_QUANTILE], qn) != 0)
                        continue;
                    CU_ASSERT_STRING_EQUAL(row[RESOURCE], NOVA);
                    billed += num(row[BILLED]);
                    effective += num(row[EFFECTIVE]);
                    if (row[QUANTITY][0] != '\0')
                        tokens += num(row[QUANTITY]);
                    if (strcmp(row[CATEGORY], "Purchase") == 0) {
                        CU_ASSERT_STRING_EQUAL(plan->string, "held");
                        ASSERT_NEAR(num(row[BILLED]), 934.4, 1e-9);
                        purchases++;
                    }
                    rows++;
                }
                CU_ASSERT(rows > 0);
                matched += rows;
                const double cost = jnum(f, "cost_usd");
                CU_ASSERT(fabs(billed - cost) <= 1e-9 * cost);
                CU_ASSERT(fabs(effective - cost) <= 1e-9 * cost);
                const double want = jnum(f, "reserved_tokens") + jnum(f, "on_demand_tokens");
                CU_ASSERT(fabs(tokens - want) <= 1e-9 * want);
            }
        }
    }
    CU_ASSERT_EQUAL(matched, t.n);     /* every row belongs to a JSON cell */
    CU_ASSERT_EQUAL(purchases, 3 * 3); /* the held plan: 3 months x 3 quantiles */
    cJSON_Delete(root);
    table_free(&t);
}

/* Two minutes of logs of Nova Pro by team (requestMetadata.team), one team's name a CSV
 * hazard: a formula sign, a comma and a quote. */
static const char logs[] =
    "{\"requestId\":\"1\",\"modelId\":\"" NOVA "\",\"timestamp\":\"2026-10-08T12:00:10Z\","
    "\"requestMetadata\":{\"team\":\"=a,\\\"b\\\"\"},\"input\":{\"inputTokenCount\":3000000},"
    "\"output\":{\"outputTokenCount\":1000}}\n"
    "{\"requestId\":\"2\",\"modelId\":\"" NOVA "\",\"timestamp\":\"2026-10-08T12:00:20Z\","
    "\"requestMetadata\":{\"team\":\"b\"},\"input\":{\"inputTokenCount\":1000000},"
    "\"output\":{\"outputTokenCount\":1000}}\n"
    "{\"requestId\":\"3\",\"modelId\":\"" NOVA "\",\"timestamp\":\"2026-10-08T12:01:20Z\","
    "\"requestMetadata\":{\"team\":\"b\"},\"input\":{\"inputTokenCount\":500000},"
    "\"output\":{\"outputTokenCount\":500}}\n";

#define SHOWBACK                                                                                   \
    "'%s' showback --db s.db --pricing '%s'/pricing.json --model " NOVA                            \
    " --reserve-input-tpm 2000000 --reserve-output-tpm 1000 --format "

/*
 * The rows' BilledCost add up to the JSON's total (the reservation billed once, the spill);
 * their EffectiveCost too, each key's (Used and spill rows) to its line, the Unused row to the
 * idle line; the key with the comma and quote reads back whole (behind the "'" that keeps a
 * spreadsheet from reading it as a formula). Hand-worked: the reservation costs 2000 x 0.032 +
 * 1 x 0.128 = 64.128 USD an hour; 2 minutes of October (744 h) are billed 2/60 x 730/744 h
 * (730 h a calendar month: docs/model.md, "Terms"): 64.128 x 730 / 22320 = 2.0974, billed
 * 2.10 USD on the one Purchase row. Minute 12:00 has 4M input
 * tokens against 2M reserved: half of each key's input spills; 12:01 has 0.5M, all reserved.
 */
static void test_showback(void)
{
    write_file("l.jsonl", logs);
    CU_ASSERT_EQUAL_FATAL(
        run("'%s' ingest -q --db s.db --attribute-by metadata:team l.jsonl%s", bin, ""), 0);
    CU_ASSERT_EQUAL_FATAL(run(SHOWBACK "focus", bin, sample), 0);
    char *csv = slurp("out");
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, ",\"'=a,\"\"b\"\"\","));
    table t;
    CU_ASSERT_EQUAL_FATAL(parse_csv(csv, &t), 0);
    free(csv);
    CU_ASSERT_EQUAL_FATAL(run(SHOWBACK "json", bin, sample), 0);
    cJSON *root = json_out();
    double billed = 0, effective = 0;
    size_t purchases = 0, unused = 0;
    for (size_t r = 0; r < t.n; r++) {
        char *const *row = t.f[r];
        check_row(row);
        CU_ASSERT_STRING_EQUAL(row[CP_START], "2026-10-08T12:00:00Z");
        CU_ASSERT_STRING_EQUAL(row[CP_END], "2026-10-08T12:02:00Z");
        CU_ASSERT_STRING_EQUAL(row[BP_START], "2026-10-01T00:00:00Z");
        CU_ASSERT_STRING_EQUAL(row[BP_END], "2026-11-01T00:00:00Z");
        billed += num(row[BILLED]);
        effective += num(row[EFFECTIVE]);
        purchases += strcmp(row[CATEGORY], "Purchase") == 0;
        unused += strcmp(row[CD_STATUS], "Unused") == 0;
    }
    CU_ASSERT_EQUAL(purchases, 1);
    CU_ASSERT_STRING_EQUAL(t.f[0][CATEGORY], "Purchase");
    ASSERT_NEAR(num(t.f[0][BILLED]), 2.10, 1e-12);
    ASSERT_NEAR(billed, jnum(root, "total_usd"), 1e-9);
    ASSERT_NEAR(effective, jnum(root, "total_usd"), 1e-9);
    const cJSON *line = NULL;
    size_t keys = 0;
    cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(root, "lines"))
    {
        const char *key = jstr(line, "key");
        char shown[256]; /* as the CSV encoder writes it: a formula sign behind a "'" */
        snprintf(shown, sizeof shown, "%s%s", key[0] == '=' ? "'" : "", key);
        const int idle = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "idle"));
        double e = 0;
        for (size_t r = 0; r < t.n; r++) {
            char *const *row = t.f[r];
            if (strcmp(row[CATEGORY], "Usage") != 0)
                continue;
            if (idle ? strcmp(row[CD_STATUS], "Unused") == 0 : strcmp(row[X_KEY], shown) == 0)
                e += num(row[EFFECTIVE]);
        }
        ASSERT_NEAR(e, jnum(line, "total_usd"), 1e-9);
        keys += !idle;
        if (idle)
            CU_ASSERT_EQUAL(unused, jnum(line, "reserved_usd") > 0 ? 1 : 0);
    }
    CU_ASSERT_EQUAL(keys, 2);
    cJSON_Delete(root);
    table_free(&t);
}

/* --format focus is in --help, and a wrong format names it. */
static void test_usage(void)
{
    CU_ASSERT_EQUAL(run("'%s' project --help%s", bin, ""), 0);
    expect_in("out", "or focus (FinOps");
    CU_ASSERT_EQUAL(run("'%s' showback --help%s", bin, ""), 0);
    expect_in("out", "markdown or focus (FinOps FOCUS");
    CU_ASSERT_EQUAL(run("'%s' showback --db s.db --model m --format fokus%s", bin, ""), 2);
    expect_in("err", "is not text, csv, json, markdown or focus");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli_focus", setup, teardown);
    CU_add_test(s, "project: FOCUS rows add up to the JSON", test_project);
    CU_add_test(s, "showback: FOCUS rows add up to the JSON", test_showback);
    CU_add_test(s, "usage", test_usage);
}
