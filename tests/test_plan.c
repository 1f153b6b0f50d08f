/* test_plan.c - windows (month split, windows-file cap) and the seasonal-plan and backtest
 * reports in JSON and CSV, on demand simple enough to work out by hand. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

void register_tests(void);

/* Unix minutes of the instants the tests use (2026-01-01T00:00:00Z is 1767225600 s). */
#define DEC15_NOON (1765800000 / 60) /* 2025-12-15T12:00:00Z: 16.5 days before New Year */
#define JAN1 (1767225600 / 60)
#define FEB1 (JAN1 + 31 * 1440)
#define FEB10 (FEB1 + 9 * 1440)
#define MAR1 (FEB1 + 28 * 1440)

/* From mid-day 15 December to 10 February: the rest of December (16.5 days = 23760
 * minutes), all of January (44640), and 9 days of February (12960). */
static void test_split_months_year_end(void)
{
    tp_window *w = NULL;
    size_t n = 0;
    tp_error err;
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    CU_ASSERT_EQUAL_FATAL(tp_window_split_months(DEC15_NOON, FEB10, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    CU_ASSERT_STRING_EQUAL(tp_time_format(w[0].from_minute * 60, a), "2025-12-15T12:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_time_format(w[0].to_minute * 60, b), "2026-01-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_time_format(w[1].from_minute * 60, a), "2026-01-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_time_format(w[1].to_minute * 60, b), "2026-02-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_time_format(w[2].from_minute * 60, a), "2026-02-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_time_format(w[2].to_minute * 60, b), "2026-02-10T00:00:00Z");
    CU_ASSERT_EQUAL(w[0].to_minute - w[0].from_minute, 23760);
    CU_ASSERT_EQUAL(w[1].to_minute - w[1].from_minute, 44640);
    CU_ASSERT_EQUAL(w[2].to_minute - w[2].from_minute, 12960);
    free(w);
    /* a span inside one month is one window; an empty span is refused */
    CU_ASSERT_EQUAL_FATAL(tp_window_split_months(FEB1 + 60, FEB10, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(w[0].from_minute, FEB1 + 60);
    CU_ASSERT_EQUAL(w[0].to_minute, FEB10);
    free(w);
    CU_ASSERT_EQUAL(tp_window_split_months(FEB10, FEB10, &w, &n, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(w);
}

/* Writes a file of exactly `size` bytes: one window, then a comment line padding it out. */
static void write_windows_file(const char *path, size_t size)
{
    static const char line[] = "from,to\n2026-01-01,2026-02-01\n";
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(line, f);
    fputc('#', f);
    for (size_t k = sizeof line - 1 + 2; k < size; k++)
        fputc('x', f);
    fputc('\n', f);
    CU_ASSERT_EQUAL(fclose(f), 0);
}

static void test_window_load_cap(void)
{
    char path[] = "/tmp/tierplan-windows-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    tp_window *w = NULL;
    size_t n = 0;
    tp_error err;
    /* exactly the cap: read whole */
    write_windows_file(path, TP_WINDOW_FILE_MAX_BYTES);
    CU_ASSERT_EQUAL(tp_window_load(path, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(w[0].from_minute, JAN1);
    CU_ASSERT_EQUAL(w[0].to_minute, FEB1);
    free(w);
    /* one byte over: refused, naming the file and the cap (no silent truncation) */
    write_windows_file(path, TP_WINDOW_FILE_MAX_BYTES + 1);
    CU_ASSERT_EQUAL(tp_window_load(path, &w, &n, &err), TP_ERR_TOO_BIG);
    CU_ASSERT_PTR_NULL(w);
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_CONTAINS(err.message, path);
    ASSERT_CONTAINS(err.message, "1048576 bytes");
    unlink(path);
    CU_ASSERT_EQUAL(tp_window_load(path, &w, &n, &err), TP_ERR_IO);
    ASSERT_CONTAINS(err.message, "cannot read");
}

static tp_model_price flat_price(void)
{
    tp_model_price p;
    memset(&p, 0, sizeof p);
    snprintf(p.entry, sizeof p.entry, "m");
    p.input_per_million_usd = 3;
    p.output_per_million_usd = 15;
    p.reserved_input_per_1k_tpm_hour_usd = 0.12;
    p.reserved_output_per_1k_tpm_hour_usd = 0.60;
    p.burn_down_cache_read = 0.1;
    p.burn_down_cache_write = 1.0;
    p.quota_output_weight = 1;
    p.reserved_step_tpm = 1000;
    p.n_terms = 1;
    p.term_months[0] = 1, p.term_discount[0] = 1.0;
    p.tier_multiplier[TP_TIER_STANDARD] = 1.0;
    p.tier_multiplier[TP_TIER_PRIORITY] = 1.75;
    return p;
}

/*
 * January: 20000 input and 4000 output tokens every minute; February twice that. Reserving
 * 1K TPM for an hour costs 0.12 USD (input) or 0.60 (output); serving it on demand costs
 * 60K tokens x 3 or 15 USD per million = 0.18 or 0.90, so each month reserves its own steady
 * demand (no reservation spill):
 *   January  (744 h): (20 x 0.12 + 4 x 0.60) x 744 = 4.8 x 744 = 3571.2 USD
 *   February (672 h): 9.6 x 672 = 6451.2 USD; the two windows 10022.4 USD.
 * One flat reservation over both (1416 h) keeps January's 20000/4000: a further 1K of input
 * costs 0.12 x 1416 = 169.92 but saves only February's 40.32M tokens x 3 = 120.96 (output
 * 849.6 against 604.8). It costs 4.8 x 1416 = 6796.8 reserved plus February's half spilled,
 * 806.4M input tokens x 3 + 161.28M output x 15 per million = 4838.4: 11635.2 USD, so the
 * seasonal plan saves 1612.8 USD.
 */
static tp_store *steady_months(void)
{
    tp_store *s = open_mem();
    tp_error err;
    size_t cap = (31 + 28) * 24 * 2 * 64 + 64, len = 0;
    char *csv = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    len += (size_t)snprintf(csv, cap, "timestamp,model,metric,value,period_s\n");
    for (int h = 0; h < (31 + 28) * 24; h++) {
        char ts[TP_TIME_BUF];
        const double per_minute_in = h < 31 * 24 ? 20000 : 40000;
        tp_time_format((int64_t)JAN1 * 60 + (int64_t)h * 3600, ts);
        len += (size_t)snprintf(csv + len, cap - len, "%s,m,InputTokenCount,%.0f,3600\n", ts,
                                60 * per_minute_in);
        len += (size_t)snprintf(csv + len, cap - len, "%s,m,OutputTokenCount,%.0f,3600\n", ts,
                                60 * per_minute_in / 5);
    }
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "steady.csv", csv, NULL, &err), TP_OK);
    free(csv);
    return s;
}

static tp_pricing *sample_pricing(void)
{
    char path[4096];
    tp_pricing *p = NULL;
    tp_error err;
    const char *dir = getenv("TP_SAMPLE_DATA");
    snprintf(path, sizeof path, "%s/pricing.json", dir != NULL ? dir : "data");
    CU_ASSERT_EQUAL_FATAL(tp_pricing_load(path, &p, &err), TP_OK);
    return p;
}

static cJSON *item(cJSON *o, const char *a, const char *b, const char *c)
{
    cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b != NULL)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    if (c != NULL)
        x = cJSON_GetObjectItemCaseSensitive(x, c);
    CU_ASSERT_PTR_NOT_NULL(x);
    return x;
}

static double num(cJSON *o, const char *a, const char *b, const char *c)
{
    cJSON *x = item(o, a, b, c);
    CU_ASSERT(cJSON_IsNumber(x));
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static const char *str(cJSON *o, const char *a, const char *b)
{
    cJSON *x = item(o, a, b, NULL);
    CU_ASSERT(cJSON_IsString(x));
    return cJSON_IsString(x) ? x->valuestring : "";
}

/* A window object {"from","to","minutes","recommended":{...}} and its reservation. */
static void check_window(cJSON *w, const char *from, const char *to, double minutes,
                         const char *cand, double in_tpm, double out_tpm, double total_usd)
{
    CU_ASSERT_STRING_EQUAL(str(w, "from", NULL), from);
    CU_ASSERT_STRING_EQUAL(str(w, "to", NULL), to);
    CU_ASSERT_EQUAL(num(w, "minutes", NULL, NULL), minutes);
    ASSERT_NEAR(num(w, cand, "reservation", "input_tpm"), in_tpm, 1e-9);
    ASSERT_NEAR(num(w, cand, "reservation", "output_tpm"), out_tpm, 1e-9);
    ASSERT_NEAR(num(w, cand, "cost_usd", "total"), total_usd, 1e-6);
}

/* Splits one CSV line (no quoted commas) into at most 8 fields in place; returns the count. */
static int split_csv(char *line, char *field[8])
{
    int n = 0;
    for (char *p = line; n < 8; p++) {
        field[n++] = p;
        p = strchr(p, ',');
        if (p == NULL)
            break;
        *p = '\0';
    }
    return n;
}

/* Checks CSV row `row` (0 = the first after the header) of text. */
static void check_csv_row(const char *text, int row, const char *plan, const char *from,
                          const char *to, double in_tpm, double out_tpm, double total_usd)
{
    char *copy = strdup(text), *save = NULL, *field[8];
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    char *line = strtok_r(copy, "\n", &save);
    for (int k = 0; k <= row && line != NULL; k++)
        line = strtok_r(NULL, "\n", &save);
    CU_ASSERT_PTR_NOT_NULL_FATAL(line);
    CU_ASSERT_EQUAL_FATAL(split_csv(line, field), 8);
    CU_ASSERT_STRING_EQUAL(field[0], "\"m\"");
    CU_ASSERT_STRING_EQUAL(field[1], plan);
    CU_ASSERT_STRING_EQUAL(field[2], from);
    CU_ASSERT_STRING_EQUAL(field[3], to);
    ASSERT_NEAR(strtod(field[4], NULL), in_tpm, 1e-9);
    ASSERT_NEAR(strtod(field[5], NULL), out_tpm, 1e-9);
    ASSERT_NEAR(strtod(field[6], NULL), total_usd, 1e-6);
    free(copy);
}

static void test_seasonal_reports(void)
{
    tp_store *s = steady_months();
    tp_pricing *pricing = sample_pricing();
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_window *w = NULL;
    size_t n = 0;
    tp_seasonal *plan = NULL;
    tp_error err;
    char *out = NULL;
    q.model = "m";
    CU_ASSERT_EQUAL_FATAL(tp_window_split_months(JAN1, MAR1, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, w, n, &p, &o, 0, &plan, &err), TP_OK);

    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_STRING_EQUAL(str(root, "model", NULL), "m");
    CU_ASSERT_EQUAL(num(root, "term_months", NULL, NULL), 1);
    CU_ASSERT_STRING_EQUAL(str(root, "pricing", "entry"), "m");
    cJSON *ws = item(root, "windows", NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(ws), 2);
    check_window(cJSON_GetArrayItem(ws, 0), "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                 44640, "recommended", 20000, 4000, 3571.2);
    check_window(cJSON_GetArrayItem(ws, 1), "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                 40320, "recommended", 40000, 8000, 6451.2);
    check_window(item(root, "flat", NULL, NULL), "2026-01-01T00:00:00Z",
                 "2026-03-01T00:00:00Z", 84960, "recommended", 20000, 4000, 11635.2);
    ASSERT_NEAR(num(root, "seasonal_total_usd", NULL, NULL), 10022.4, 1e-6);
    ASSERT_NEAR(num(root, "flat_total_usd", NULL, NULL), 11635.2, 1e-6);
    ASSERT_NEAR(num(root, "seasonal_savings_usd", NULL, NULL), 1612.8, 1e-6);
    cJSON_Delete(root);
    free(out);

    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_CSV, &out, &err), TP_OK);
    CU_ASSERT_EQUAL(strncmp(out, "model,plan,from,to,input_tpm,output_tpm,total_usd,"
                                 "savings_pct\n", 59), 0);
    check_csv_row(out, 0, "window", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", 20000,
                  4000, 3571.2);
    check_csv_row(out, 1, "window", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 40000,
                  8000, 6451.2);
    check_csv_row(out, 2, "flat", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", 20000, 4000,
                  11635.2);
    free(out);
    tp_plan_seasonal_free(plan);
    free(w);
    tp_pricing_free(pricing);
    tp_store_close(s);
}

/*
 * Sized on January (20000/4000, 3571.2 USD as above), replayed on February: 4.8 x 672 =
 * 3225.6 reserved plus half of February spilled (4838.4) = 8064 USD, against the hindsight
 * 40000/8000 at 6451.2 USD: regret 1612.8. No reservation in February: 1612.8M input tokens
 * x 3 + 322.56M output x 15 per million = 9676.8 USD.
 */
static void test_backtest_reports(void)
{
    tp_store *s = steady_months();
    tp_pricing *pricing = sample_pricing();
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_backtest bt;
    tp_error err;
    char *out = NULL;
    q.model = "m";
    CU_ASSERT_EQUAL_FATAL(tp_plan_backtest(s, &q, FEB1, &p, &o, 0, &bt, &err), TP_OK);

    CU_ASSERT_EQUAL_FATAL(
        tp_report_backtest("m", pricing, &p, &o, &bt, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_STRING_EQUAL(str(root, "model", NULL), "m");
    cJSON *train = item(root, "train", NULL, NULL), *test = item(root, "test", NULL, NULL);
    check_window(train, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", 44640, "recommended",
                 20000, 4000, 3571.2);
    check_window(test, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 40320,
                 "trained_reservation", 20000, 4000, 8064);
    check_window(test, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 40320,
                 "hindsight_optimal", 40000, 8000, 6451.2);
    check_window(test, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 40320, "on_demand", 0,
                 0, 9676.8);
    CU_ASSERT_EQUAL(num(test, "trained_reservation", "spill", "minutes"), 40320);
    ASSERT_NEAR(num(root, "regret_usd", NULL, NULL), 1612.8, 1e-6);
    cJSON_Delete(root);
    free(out);

    CU_ASSERT_EQUAL_FATAL(
        tp_report_backtest("m", pricing, &p, &o, &bt, TP_FORMAT_CSV, &out, &err), TP_OK);
    CU_ASSERT_EQUAL(strncmp(out, "model,row,from,to,input_tpm,output_tpm,total_usd,"
                                 "spill_minutes_pct\n", 64), 0);
    check_csv_row(out, 0, "trained_on_train", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                  20000, 4000, 3571.2);
    check_csv_row(out, 1, "trained_on_test", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                  20000, 4000, 8064);
    check_csv_row(out, 2, "hindsight_on_test", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                  40000, 8000, 6451.2);
    check_csv_row(out, 3, "on_demand_on_test", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                  0, 0, 9676.8);
    free(out);
    tp_pricing_free(pricing);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("plan", NULL, NULL);
    ADD(s, test_split_months_year_end);
    ADD(s, test_window_load_cap);
    ADD(s, test_seasonal_reports);
    ADD(s, test_backtest_reports);
}
