/* test_plan.c - windows (month split, windows-file cap) and the seasonal-plan and backtest
 * reports in JSON and CSV, on demand simple enough to work out by hand. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_fixtures.h"
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
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(w[0].from_minute * 60, a), "2025-12-15T12:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(w[0].to_minute * 60, b), "2026-01-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(w[1].from_minute * 60, a), "2026-01-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(w[1].to_minute * 60, b), "2026-02-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(w[2].from_minute * 60, a), "2026-02-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(w[2].to_minute * 60, b), "2026-02-10T00:00:00Z");
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
    ASSERT_CONTAINS(err.message, "No such file or directory");
}

/* base_price(1) without cache prices. */
static tp_model_price flat_price(void)
{
    tp_model_price p = base_price(1);
    p.cache_read_per_million_usd = 0;
    p.cache_write_per_million_usd = 0;
    for (int t = 0; t < TP_TIER_COUNT; t++) /* the tiers' prices alike */
        p.tier_per_million_usd[t][TP_METRIC_CACHE_READ] =
            p.tier_per_million_usd[t][TP_METRIC_CACHE_WRITE] = 0;
    return p;
}

/*
 * January: 20000 input and 4000 output tokens every minute; February twice that. Reserving
 * 1K TPM for an hour costs 0.12 USD (input) or 0.60 (output); serving it on demand costs
 * 60K tokens x 3 or 15 USD per million = 0.18 or 0.90, so each month reserves its own steady
 * demand (no reservation spill). A calendar month is billed 730 h whatever its days
 * (docs/model.md, "Terms"):
 *   January  (744 h, billed 730): (20 x 0.12 + 4 x 0.60) x 730 = 4.8 x 730 = 3504 USD
 *   February (672 h, billed 730): 9.6 x 730 = 7008 USD (1K of input billed 87.6 against
 *   40320 min x 1000 x 3/M = 120.96 on demand; output 438 against 604.8); the two windows
 *   10512 USD.
 * One flat reservation over both (1460 h billed) keeps January's 20000/4000: a further 1K of
 * input costs 0.12 x 1460 = 175.2 but saves only February's 40.32M tokens x 3 = 120.96
 * (output 876 against 604.8). It costs 4.8 x 1460 = 7008 reserved plus February's half
 * spilled, 806.4M input tokens x 3 + 161.28M output x 15 per million = 4838.4: 11846.4 USD, so
 * the seasonal plan saves 1334.4 USD.
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
        tp_timestamp_format((int64_t)JAN1 * 60 + (int64_t)h * 3600, ts);
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
                 44640, "recommended", 20000, 4000, 3504);
    check_window(cJSON_GetArrayItem(ws, 1), "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                 40320, "recommended", 40000, 8000, 7008);
    check_window(item(root, "flat", NULL, NULL), "2026-01-01T00:00:00Z",
                 "2026-03-01T00:00:00Z", 84960, "recommended", 20000, 4000, 11846.4);
    ASSERT_NEAR(num(root, "seasonal_total_usd", NULL, NULL), 10512, 1e-6);
    ASSERT_NEAR(num(root, "flat_total_usd", NULL, NULL), 11846.4, 1e-6);
    ASSERT_NEAR(num(root, "seasonal_savings_usd", NULL, NULL), 1334.4, 1e-6);
    /* January and February are billed alike: 730 h each, the span 1460 */
    CU_ASSERT_EQUAL(num(cJSON_GetArrayItem(ws, 0), "billed_hours", NULL, NULL), 730);
    CU_ASSERT_EQUAL(num(cJSON_GetArrayItem(ws, 1), "billed_hours", NULL, NULL), 730);
    CU_ASSERT_EQUAL(num(root, "flat", "billed_hours", NULL), 1460);
    cJSON_Delete(root);
    free(out);

    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_CSV, &out, &err), TP_OK);
    CU_ASSERT_EQUAL(strncmp(out, "model,plan,from,to,input_tpm,output_tpm,total_usd,"
                                 "savings_pct\n", 59), 0);
    check_csv_row(out, 0, "window", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", 20000,
                  4000, 3504);
    check_csv_row(out, 1, "window", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 40000,
                  8000, 7008);
    check_csv_row(out, 2, "flat", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", 20000, 4000,
                  11846.4);
    free(out);
    tp_plan_seasonal_free(plan);
    free(w);
    tp_pricing_free(pricing);
    tp_store_close(s);
}

/*
 * Sized on January (20000/4000, 3504 USD as above: 730 h billed), replayed on February
 * (billed 730 h too): 4.8 x 730 = 3504 reserved plus half of February spilled (4838.4) =
 * 8342.4 USD, against the hindsight 40000/8000 at 9.6 x 730 = 7008 USD: regret 1334.4. No
 * reservation in February: 1612.8M input tokens x 3 + 322.56M output x 15 per million =
 * 9676.8 USD.
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
                 20000, 4000, 3504);
    check_window(test, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 40320,
                 "trained_reservation", 20000, 4000, 8342.4);
    check_window(test, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 40320,
                 "hindsight_optimal", 40000, 8000, 7008);
    check_window(test, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 40320, "on_demand", 0,
                 0, 9676.8);
    CU_ASSERT_EQUAL(num(test, "trained_reservation", "spill", "minutes"), 40320);
    ASSERT_NEAR(num(root, "regret_usd", NULL, NULL), 1334.4, 1e-6);
    /* no service level: nothing to miss, so it counts as met and regret is defined */
    CU_ASSERT(cJSON_IsNull(item(root, "service_level", NULL, NULL)));
    CU_ASSERT(cJSON_IsTrue(item(root, "service_level_met", NULL, NULL)));
    cJSON_Delete(root);
    free(out);

    CU_ASSERT_EQUAL_FATAL(
        tp_report_backtest("m", pricing, &p, &o, &bt, TP_FORMAT_CSV, &out, &err), TP_OK);
    CU_ASSERT_EQUAL(strncmp(out, "model,row,from,to,input_tpm,output_tpm,total_usd,"
                                 "spill_minutes_pct\n", 64), 0);
    check_csv_row(out, 0, "trained_on_train", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                  20000, 4000, 3504);
    check_csv_row(out, 1, "trained_on_test", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                  20000, 4000, 8342.4);
    check_csv_row(out, 2, "hindsight_on_test", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                  40000, 8000, 7008);
    check_csv_row(out, 3, "on_demand_on_test", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                  0, 0, 9676.8);
    free(out);
    tp_pricing_free(pricing);
    tp_store_close(s);
}

/* ---- service levels, gaps, partial months and backtests on input-only demand ---- */

/* ASSERT_CONTAINS without printf: the sanitizer build's format check misreads the macro. */
static void expect_has(const char *hay, const char *needle)
{
    if (hay == NULL)
        hay = "";
    if (strstr(hay, needle) == NULL) {
        fputs("\n  expected \"", stderr);
        fputs(needle, stderr);
        fputs("\" in \"", stderr);
        fputs(hay, stderr);
        fputs("\"\n", stderr);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(hay, needle));
}

/* The first of a report's "notes", or "" when it has none. */
static const char *first_note(cJSON *root)
{
    cJSON *n = cJSON_GetArrayItem(item(root, "notes", NULL, NULL), 0);
    CU_ASSERT(cJSON_IsString(n));
    return cJSON_IsString(n) && n->valuestring != NULL ? n->valuestring : "";
}

/* A store holding input tokens only, hour by hour from from_minute (hourly sums spread
 * evenly: every minute of hour h runs at tpm(h)). No output: the output grid is {0}. */
static tp_store *hourly_input(int64_t from_minute, int hours, double (*tpm)(int hour))
{
    tp_store *s = open_mem();
    tp_error err;
    size_t cap = (size_t)hours * 64 + 64, len = 0;
    char *csv = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    len += (size_t)snprintf(csv, cap, "timestamp,model,metric,value,period_s\n");
    for (int h = 0; h < hours; h++) {
        char ts[TP_TIME_BUF];
        tp_timestamp_format(from_minute * 60 + (int64_t)h * 3600, ts);
        len += (size_t)snprintf(csv + len, cap - len, "%s,m,InputTokenCount,%.0f,3600\n", ts,
                                60 * tpm(h));
    }
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "hourly.csv", csv, NULL, &err), TP_OK);
    free(csv);
    return s;
}

/* January's first 15 hours at 40000 TPM, every other hour of January and February at
 * 20000. */
static double jan_spikes(int h)
{
    return h < 15 ? 40000 : 20000;
}

/*
 * Item: the flat plan meets the service level window by window. --max-spill-minutes-pct 2:
 * January (44640 min) allows floor(892.8) = 892 spill minutes, February (40320) 806, the
 * whole span (84960) 1699. January's 15 spike hours are 900 minutes.
 *   A calendar month is billed 730 h whatever its days (docs/model.md, "Terms").
 *   January must reserve 40000 (anything from 20000 to 39999 spills the 900 spike minutes):
 *     40 x 0.12 USD x 730 h = 3504 USD. February reserves 20000 (a reserved 1K TPM, billed
 *     0.12 x 730 = 87.6, costs less than serving it on demand, 40320 min x 1000 x 3/M =
 *     120.96): 20 x 87.6 = 1752. Seasonal 5256 USD.
 *   Checked over the whole span only, the flat plan could keep 20000 and spill the 900
 *     minutes (under 1699): 20 x 0.12 x 1460 = 3504 + 900 min x 20000 x 3/M = 54 -> 3558,
 *     below the seasonal plan. Checked in every window it must meet January's 892 too:
 *     40 x 0.12 x 1460 = 7008 USD, and the seasonal plan saves 1752.
 */
static void test_seasonal_service_level_per_window(void)
{
    tp_store *s = hourly_input(JAN1, (31 + 28) * 24, jan_spikes);
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_window *w = NULL;
    size_t n = 0;
    tp_seasonal *plan = NULL;
    tp_error err;
    q.model = "m";
    o.has_max_spill_minutes_pct = 1;
    o.max_spill_minutes_pct = 2;
    CU_ASSERT_EQUAL_FATAL(tp_window_split_months(JAN1, MAR1, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, w, n, &p, &o, 0, &plan, &err), TP_OK);
    CU_ASSERT(plan->service_level);
    ASSERT_NEAR(plan->windows[0].recommended.input_tpm, 40000, 1e-9);
    ASSERT_NEAR(plan->windows[0].recommended.sim.total_usd, 3504, 1e-6);
    ASSERT_NEAR(plan->windows[1].recommended.input_tpm, 20000, 1e-9);
    ASSERT_NEAR(plan->windows[1].recommended.sim.total_usd, 1752, 1e-6);
    ASSERT_NEAR(plan->seasonal_total_usd, 5256, 1e-6);
    CU_ASSERT_EQUAL(plan->flat.basis, TP_BASIS_SLO);
    ASSERT_NEAR(plan->flat.input_tpm, 40000, 1e-9);
    ASSERT_NEAR(plan->flat_total_usd, 7008, 1e-6);
    CU_ASSERT(plan->seasonal_total_usd <= plan->flat_total_usd);
    tp_plan_seasonal_free(plan);

    /*
     * --spill-to none --max-throttled-minutes 600: each window may throttle 600 minutes.
     * Sized by service tier, --spill-to none throttles a reservation's overflow, while no
     * reservation serves every token on demand in its own tier, throttling nothing: January
     * on demand is 20000 x 44640 min + 20000 x 900 spike min = 910.8M tokens x 3/M = 2732.4
     * USD, below 40000 reserved (3504), so January reserves nothing. February alone keeps
     * 20000 (1752 against 20000 x 40320 min x 3/M = 2419.2 on demand). Seasonal 2732.4 +
     * 1752 = 4484.4. The flat plan: 40000 over the span (January's 900 spike minutes, per
     * window) costs 7008; no reservation 2732.4 + 2419.2 = 5151.6 throttles nothing and wins.
     */
    o.has_max_spill_minutes_pct = 0;
    o.spill_to = TP_SPILL_TO_NONE;
    o.has_max_throttled_minutes = 1;
    o.max_throttled_minutes = 600;
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, w, n, &p, &o, 0, &plan, &err), TP_OK);
    ASSERT_NEAR(plan->windows[0].recommended.input_tpm, 0, 1e-9);
    ASSERT_NEAR(plan->windows[0].recommended.sim.total_usd, 2732.4, 1e-6);
    CU_ASSERT_EQUAL(plan->windows[0].recommended.sim.throttled_minutes, 0);
    ASSERT_NEAR(plan->windows[1].recommended.input_tpm, 20000, 1e-9);
    ASSERT_NEAR(plan->windows[1].recommended.sim.total_usd, 1752, 1e-6);
    ASSERT_NEAR(plan->seasonal_total_usd, 4484.4, 1e-6);
    ASSERT_NEAR(plan->flat.input_tpm, 0, 1e-9);
    CU_ASSERT_EQUAL(plan->flat.basis, TP_BASIS_SLO);
    ASSERT_NEAR(plan->flat_total_usd, 5151.6, 1e-6);

    /* the outputs say the rule */
    tp_pricing *pricing = sample_pricing();
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_TEXT, &out, &err), TP_OK);
    expect_has(out, "service level: at most 600 throttled minutes in every window, for "
                         "both plans");
    expect_has(out, "the flat reservation too (it is checked");
    free(out);
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_EQUAL(num(root, "service_level", "max_throttled_minutes", NULL), 600);
    CU_ASSERT(cJSON_IsNull(item(root, "service_level", "max_spill_minutes_pct", NULL)));
    expect_has(first_note(root), "checked window by window");
    cJSON_Delete(root);
    free(out);
    tp_pricing_free(pricing);
    tp_plan_seasonal_free(plan);
    free(w);
    tp_store_close(s);
}

/* January 20000 TPM, February 40000, March 20000 (2160 hours). */
static double feb_double(int h)
{
    return h >= 31 * 24 && h < 59 * 24 ? 40000 : 20000;
}

/*
 * Item: a gap between windows. Windows January and March; February is the gap.
 *   January: 20 x 0.12 x 730 (a calendar month is billed 730 h) = 1752 USD, March the same;
 *   February at on-demand Standard: 40000 TPM x 40320 min x 3/M = 4838.4. Seasonal
 *   1752 x 2 + 4838.4 = 8342.4 USD.
 *   Flat over January to March (3 x 730 = 2190 h billed): one more 1K TPM costs 0.12 x 2190 =
 *   262.8 and saves February's 40320 min x 1000 x 3/M = 120.96, so it keeps 20000:
 *   20 x 0.12 x 2190 = 5256 reserved + February's half on demand, 20000 x 40320 x 3/M =
 *   2419.2: 7675.2 USD. (Leaving the gap out, the seasonal total would have read 3504.)
 */
static void test_seasonal_gap(void)
{
    tp_store *s = hourly_input(JAN1, (31 + 28 + 31) * 24, feb_double);
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    const tp_window w[2] = {{JAN1, FEB1}, {MAR1, MAR1 + 31 * 1440}};
    tp_seasonal *plan = NULL;
    tp_error err;
    q.model = "m";
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, w, 2, &p, &o, 0, &plan, &err), TP_OK);
    ASSERT_NEAR(plan->windows[0].recommended.sim.total_usd, 1752, 1e-6);
    ASSERT_NEAR(plan->windows[1].recommended.sim.total_usd, 1752, 1e-6);
    CU_ASSERT_EQUAL_FATAL(plan->n_gaps, 1);
    CU_ASSERT_EQUAL(plan->gaps[0].window.from_minute, FEB1);
    CU_ASSERT_EQUAL(plan->gaps[0].window.to_minute, MAR1);
    ASSERT_NEAR(plan->gaps[0].on_demand.sim.total_usd, 4838.4, 1e-6);
    ASSERT_NEAR(plan->gap_total_usd, 4838.4, 1e-6);
    ASSERT_NEAR(plan->seasonal_total_usd, 8342.4, 1e-6);
    ASSERT_NEAR(plan->flat.input_tpm, 20000, 1e-9);
    ASSERT_NEAR(plan->flat_total_usd, 7675.2, 1e-6);

    tp_pricing *pricing = sample_pricing();
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_CSV, &out, &err), TP_OK);
    check_csv_row(out, 1, "gap", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", 0, 0, 4838.4);
    check_csv_row(out, 3, "flat", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", 20000, 0,
                  7675.2);
    free(out);
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_TEXT, &out, &err), TP_OK);
    expect_has(out, "gap (on-demand)  2026-02-01 00:00 .. 2026-03-01 00:00");
    expect_has(out, "the seasonal total includes $4,838.40 of gaps at on-demand Standard");
    free(out);
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *gaps = item(root, "gaps", NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(gaps), 1);
    check_window(cJSON_GetArrayItem(gaps, 0), "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                 40320, "on_demand", 0, 0, 4838.4);
    ASSERT_NEAR(num(root, "gap_on_demand_usd", NULL, NULL), 4838.4, 1e-6);
    ASSERT_NEAR(num(root, "seasonal_total_usd", NULL, NULL), 8342.4, 1e-6);
    cJSON_Delete(root);
    free(out);
    tp_pricing_free(pricing);
    tp_plan_seasonal_free(plan);
    tp_store_close(s);
}

static double steady_20k(int h)
{
    (void)h;
    return 20000;
}

#define JAN7 (JAN1 + 6 * 1440)
#define MAR8 (MAR1 + 7 * 1440)

/*
 * Item: partial first and last months. 20000 TPM from 7 January to 8 March, split by month:
 *   7 January .. 1 February, 25 days (600 h), shorter than the 1-month term: a reservation
 *     pays the whole term, 730 h, so 1K TPM costs 0.12 x 730 = 87.6 USD, against
 *     1000 x 36000 min x 3/M = 108 on demand: reserve 20000, 20 x 87.6 = 1752 USD. Its own
 *     share of January is 600 / 744 of the month, billed 730 x 600 / 744 = 588.71 h, so
 *     1752 x (1 - 600 / 744) = 1752 x 144 / 744 = 339.0968 is unused commitment.
 *   February, a whole month, is billed 730 h like any month: 20 x 0.12 x 730 = 1752 (87.6
 *     per 1K TPM against 40320 x 1000 x 3/M = 120.96 on demand).
 *   1 .. 8 March, 7 days (168 h): 87.6 per 1K TPM against 1000 x 10080 x 3/M = 30.24 on
 *     demand: no reservation, 20000 x 10080 x 3/M = 604.8 USD, nothing unused.
 *   Seasonal 1752 + 1752 + 604.8 = 4108.8. Flat over the 60 days (over the term) is billed
 *   its share of each month: 730 x 600/744 + 730 + 730 x 168/744 = 730 x 1512 / 744 =
 *   1483.5484 h; 20 x 0.12 x 1483.5484 = 3560.5161, so the seasonal plan costs 548.28 more.
 */
static void test_seasonal_partial_months(void)
{
    tp_store *s = hourly_input(JAN7, 60 * 24, steady_20k);
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_window *w = NULL;
    size_t n = 0;
    tp_seasonal *plan = NULL;
    tp_error err;
    q.model = "m";
    CU_ASSERT_EQUAL_FATAL(tp_window_split_months(JAN7, MAR8, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    /* without a flag the short ends are refused, naming the window and force */
    CU_ASSERT_EQUAL(tp_plan_seasonal(s, &q, w, n, &p, &o, 0, &plan, &err), TP_ERR_INVALID);
    expect_has(err.message, "window 2026-01-07T00:00:00Z .. 2026-02-01T00:00:00Z is "
                                 "shorter than the 1-month commitment term: pass force");
    CU_ASSERT_EQUAL(err.n_mentions, 1);
    CU_ASSERT_STRING_EQUAL(err.field, "");
    CU_ASSERT_EQUAL_FATAL(
        tp_plan_seasonal(s, &q, w, n, &p, &o, TP_PLAN_PARTIAL_ENDS, &plan, &err), TP_OK);
    CU_ASSERT(plan->windows[0].whole_term);
    ASSERT_NEAR(plan->windows[0].recommended.input_tpm, 20000, 1e-9);
    ASSERT_NEAR(plan->windows[0].recommended.sim.reserved_usd, 1752, 1e-6);
    ASSERT_NEAR(plan->windows[0].recommended.sim.total_usd, 1752, 1e-6);
    ASSERT_NEAR(plan->windows[0].unused_commitment_usd, 1752.0 * 144 / 744, 1e-6);
    CU_ASSERT(!plan->windows[1].whole_term);
    ASSERT_NEAR(plan->windows[1].recommended.sim.total_usd, 1752, 1e-6);
    ASSERT_NEAR(plan->windows[1].unused_commitment_usd, 0, 1e-12);
    CU_ASSERT(plan->windows[2].whole_term);
    ASSERT_NEAR(plan->windows[2].recommended.input_tpm, 0, 1e-12);
    ASSERT_NEAR(plan->windows[2].recommended.sim.total_usd, 604.8, 1e-6);
    ASSERT_NEAR(plan->windows[2].unused_commitment_usd, 0, 1e-12);
    ASSERT_NEAR(plan->unused_commitment_usd, 1752.0 * 144 / 744, 1e-6);
    ASSERT_NEAR(plan->seasonal_total_usd, 4108.8, 1e-6);
    CU_ASSERT(!plan->flat_whole_term);
    ASSERT_NEAR(plan->flat_total_usd, 20 * 0.12 * 730 * 1512.0 / 744, 1e-6);
    /* billed hours, in the plan for the renderers: the two short ends the term's 1 x 730,
     * February 730 like any calendar month (not its 28 x 24 = 672), the flat span its share of
     * its three months, 730 x 1512 / 744 */
    CU_ASSERT_EQUAL(plan->windows[0].billed_hours, 730);
    CU_ASSERT_EQUAL(plan->windows[1].billed_hours, 730);
    CU_ASSERT_EQUAL(plan->windows[2].billed_hours, 730);
    ASSERT_NEAR(plan->flat_billed_hours, 730 * 1512.0 / 744, 1e-9);

    tp_pricing *pricing = sample_pricing();
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *w0 = cJSON_GetArrayItem(item(root, "windows", NULL, NULL), 0);
    CU_ASSERT(cJSON_IsTrue(item(w0, "whole_term", NULL, NULL)));
    CU_ASSERT_EQUAL(num(w0, "billed_hours", NULL, NULL), 730);
    ASSERT_NEAR(num(w0, "unused_commitment_usd", NULL, NULL), 1752.0 * 144 / 744, 1e-6);
    ASSERT_NEAR(num(root, "unused_commitment_usd", NULL, NULL), 1752.0 * 144 / 744, 1e-6);
    ASSERT_NEAR(num(root, "flat", "billed_hours", NULL), 730 * 1512.0 / 744, 1e-9);
    cJSON_Delete(root);
    free(out);
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_TEXT, &out, &err), TP_OK);
    expect_has(out, "window 2026-01-07 00:00 .. 2026-02-01 00:00 is shorter than the "
                         "1-month term: billed 730 hours,\n$339.10 of it unused commitment");
    expect_has(out, "seasonal costs $548.28 more");
    /* March reserves nothing: no term is billed there */
    CU_ASSERT_PTR_NULL(strstr(out, "window 2026-03-01 00:00 .. 2026-03-08 00:00 is shorter"));
    free(out);
    tp_pricing_free(pricing);
    tp_plan_seasonal_free(plan);

    /* a short window inside the span (explicit windows) needs --force; then it pays the term */
    const tp_window inner[3] = {{JAN7, FEB1}, {FEB1, FEB10}, {FEB10, MAR8}};
    CU_ASSERT_EQUAL(tp_plan_seasonal(s, &q, inner, 3, &p, &o, TP_PLAN_PARTIAL_ENDS, &plan, &err),
                    TP_ERR_INVALID);
    expect_has(err.message, "2026-02-01T00:00:00Z .. 2026-02-10T00:00:00Z is shorter");
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, inner, 3, &p, &o, TP_PLAN_FORCE, &plan, &err),
                          TP_OK);
    CU_ASSERT(plan->windows[1].whole_term);
    tp_plan_seasonal_free(plan);
    free(w);
    tp_store_close(s);
}

/* January steady at 20000 TPM; February too but for its first 20 hours at 40000. */
static double feb_spikes(int h)
{
    return h >= 31 * 24 && h < 31 * 24 + 20 ? 40000 : 20000;
}

/*
 * Item: backtest regret with a service level, --max-spill-minutes-pct 2. Trained on January
 * (no spike): 20000. On February (40320 min, 806 spill minutes allowed) it spills the 1200
 * spike minutes, 2.976%: it misses the bound. February is billed 730 h (docs/model.md,
 * "Terms"): it costs 20 x 0.12 x 730 = 1752 + 1200 x 20000 x 3/M = 72 -> 1824; hindsight must
 * reserve 40000: 40 x 0.12 x 730 = 3504. The difference, -1680, is no regret: it buys a
 * worse service, so regret is undefined.
 */
static void test_backtest_service_level(void)
{
    tp_store *s = hourly_input(JAN1, (31 + 28) * 24, feb_spikes);
    tp_pricing *pricing = sample_pricing();
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_backtest bt;
    tp_error err;
    char *out = NULL;
    q.model = "m";
    o.has_max_spill_minutes_pct = 1;
    o.max_spill_minutes_pct = 2;
    CU_ASSERT_EQUAL_FATAL(tp_plan_backtest(s, &q, FEB1, &p, &o, 0, &bt, &err), TP_OK);
    ASSERT_NEAR(bt.trained.input_tpm, 20000, 1e-9);
    ASSERT_NEAR(bt.trained_on_test.sim.total_usd, 1824, 1e-6);
    CU_ASSERT_EQUAL(bt.trained_on_test.sim.spill_minutes, 1200);
    ASSERT_NEAR(bt.hindsight.input_tpm, 40000, 1e-9);
    ASSERT_NEAR(bt.hindsight.sim.total_usd, 3504, 1e-6);
    CU_ASSERT(bt.has_service_level);
    CU_ASSERT(!bt.service_level_met);
    CU_ASSERT(isnan(bt.regret_usd));

    CU_ASSERT_EQUAL_FATAL(
        tp_report_backtest("m", pricing, &p, &o, &bt, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT(cJSON_IsNull(item(root, "regret_usd", NULL, NULL)));
    CU_ASSERT(cJSON_IsFalse(item(root, "service_level_met", NULL, NULL)));
    CU_ASSERT_EQUAL(num(root, "service_level", "max_spill_minutes_pct", NULL), 2);
    ASSERT_NEAR(num(root, "service_level", "spill_minutes_pct", NULL), 100.0 * 1200 / 40320,
                1e-9);
    expect_has(first_note(root), "regret is undefined");
    cJSON_Delete(root);
    free(out);
    CU_ASSERT_EQUAL_FATAL(
        tp_report_backtest("m", pricing, &p, &o, &bt, TP_FORMAT_TEXT, &out, &err), TP_OK);
    expect_has(out, "service level (at most 2% of minutes spilling) on the test window: "
                         "NOT met");
    expect_has(out, "spilled in 3.0% of test minutes");
    expect_has(out, "regret: undefined: the trained reservation misses the service level");
    free(out);

    /* a 3% bound allows floor(1209.6) = 1209 minutes: met, regret 1824 - hindsight. The
     * hindsight plan may then spill too: 20000, 1824 USD, so regret 0. */
    o.max_spill_minutes_pct = 3;
    CU_ASSERT_EQUAL_FATAL(tp_plan_backtest(s, &q, FEB1, &p, &o, 0, &bt, &err), TP_OK);
    CU_ASSERT(bt.service_level_met);
    ASSERT_NEAR(bt.hindsight.sim.total_usd, 1824, 1e-6);
    ASSERT_NEAR(bt.regret_usd, 0, 1e-6);
    tp_pricing_free(pricing);
    tp_store_close(s);
}

/* ---- under an on-demand quota: --max-throttled-minutes is 0 unless given ---- */

/*
 * Item: the flat plan prices the quota and meets its default bound in every window. January as
 * jan_spikes (15 hours at 40000 TPM, the rest at 20000), February 20000; --quota-tpm 10000,
 * --max-spill-minutes-pct 5. A spilling minute at reservation R sends x - R on demand and is
 * throttled when that is over 10000: no throttled minute needs R >= x - 10000 in every minute.
 *   A calendar month is billed 730 h whatever its days (docs/model.md, "Terms").
 *   January (44640 min, 2232 spill minutes allowed): R >= 30000; the 900 spike minutes spill
 *     (under 2232), and a further 1K TPM costs 0.12 x 730 = 87.6 but saves only 900 min x
 *     1000 x 3/M = 2.7: R = 30000, 30 x 87.6 = 2628 + 900 x 10000 x 3/M = 27 -> 2655 USD.
 *   February: R >= 10000, and reserving beats on demand (87.6 per 1K against 40320 min x
 *     1000 x 3/M = 120.96 saved) up to its steady 20000: 20 x 87.6 = 1752. Seasonal 4407 USD.
 *   Flat (1460 h billed): January needs R >= 30000 too: 30 x 0.12 x 1460 = 5256 + 27 = 5283,
 *     no minute throttled; the seasonal plan saves 876. Priced without the quota, the flat
 *     plan kept 20000 (3558 without the quota, 3531 with it) and throttled the 900 spike
 *     minutes: "cheaper" than the seasonal plan only by dropping traffic.
 */
static void test_seasonal_quota_flat(void)
{
    tp_store *s = hourly_input(JAN1, (31 + 28) * 24, jan_spikes);
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_window *w = NULL;
    size_t n = 0;
    tp_seasonal *plan = NULL;
    tp_error err;
    q.model = "m";
    o.quota_tpm = 10000;
    o.has_max_spill_minutes_pct = 1;
    o.max_spill_minutes_pct = 5;
    CU_ASSERT_EQUAL_FATAL(tp_window_split_months(JAN1, MAR1, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, w, n, &p, &o, 0, &plan, &err), TP_OK);
    ASSERT_NEAR(plan->windows[0].recommended.input_tpm, 30000, 1e-9);
    ASSERT_NEAR(plan->windows[0].recommended.sim.total_usd, 2655, 1e-6);
    ASSERT_NEAR(plan->windows[1].recommended.input_tpm, 20000, 1e-9);
    ASSERT_NEAR(plan->windows[1].recommended.sim.total_usd, 1752, 1e-6);
    ASSERT_NEAR(plan->seasonal_total_usd, 4407, 1e-6);
    ASSERT_NEAR(plan->flat.input_tpm, 30000, 1e-9);
    CU_ASSERT_EQUAL(plan->flat.sim.throttled_minutes, 0);
    ASSERT_NEAR(plan->flat_total_usd, 5283, 1e-6);
    CU_ASSERT(plan->seasonal_total_usd <= plan->flat_total_usd);

    tp_pricing *pricing = sample_pricing();
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_TEXT, &out, &err), TP_OK);
    /* wrapped at 100 columns */
    expect_has(out, "service level: at most 5% of minutes spilling and 0 throttled minutes in "
                    "every window, for both\n               plans");
    expect_has(out, "--max-throttled-minutes is 0 unless given");
    free(out);
    CU_ASSERT_EQUAL_FATAL(
        tp_report_seasonal("m", pricing, &p, &o, plan, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_EQUAL(num(root, "service_level", "max_throttled_minutes", NULL), 0);
    CU_ASSERT_EQUAL(num(root, "service_level", "max_spill_minutes_pct", NULL), 5);
    cJSON_Delete(root);
    free(out);
    tp_pricing_free(pricing);
    tp_plan_seasonal_free(plan);
    free(w);
    tp_store_close(s);
}

/* 7 January to 1 February: the first 15 hours at 40000 TPM, the rest at 20000. */
static double short_spikes(int h)
{
    return h < 15 ? 40000 : 20000;
}

/*
 * Item: one window shorter than the term under a quota (the partial month of a month split):
 * the window and the flat plan cover the same minutes, pay the same whole term and meet the
 * same bounds, so they are the same plan. 7 January .. 1 February is 600 h, billed 730: 1K
 * TPM costs 0.12 x 730 = 87.6 USD. --quota-tpm 10000, --max-spill-minutes-pct 5 (1800 of
 * 36000 minutes): no throttled minute needs R >= 30000 (the spikes); above it a further 1K
 * saves 900 min x 1000 x 3/M = 2.7: R = 30000, 30 x 87.6 = 2628 + 900 x 10000 x 3/M = 27 ->
 * 2655 USD. Its own share of January is 600 of 744 hours, so 2628 x 144 / 744 = 508.6452 is
 * unused commitment. Priced without the quota
 * the flat plan kept 20000 (the steady minutes save 108 per 1K against 87.6) and throttled
 * the 900 spike minutes: 1752 + 27 = 1779 USD, below the window's plan.
 */
static void test_seasonal_quota_whole_term(void)
{
    tp_store *s = hourly_input(JAN7, 25 * 24, short_spikes);
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    const tp_window w = {JAN7, FEB1};
    tp_seasonal *plan = NULL;
    tp_error err;
    q.model = "m";
    o.quota_tpm = 10000;
    o.has_max_spill_minutes_pct = 1;
    o.max_spill_minutes_pct = 5;
    CU_ASSERT_EQUAL_FATAL(
        tp_plan_seasonal(s, &q, &w, 1, &p, &o, TP_PLAN_PARTIAL_ENDS, &plan, &err), TP_OK);
    const tp_window_plan *wp = &plan->windows[0];
    CU_ASSERT(wp->whole_term);
    CU_ASSERT(plan->flat_whole_term);
    ASSERT_NEAR(wp->recommended.input_tpm, 30000, 1e-9);
    ASSERT_NEAR(wp->recommended.sim.reserved_usd, 2628, 1e-6);
    ASSERT_NEAR(wp->recommended.sim.total_usd, 2655, 1e-6);
    ASSERT_NEAR(wp->unused_commitment_usd, 2628.0 * 144 / 744, 1e-6);
    CU_ASSERT_EQUAL(wp->recommended.sim.throttled_minutes, 0);
    ASSERT_NEAR(plan->flat.input_tpm, 30000, 1e-9);
    ASSERT_NEAR(plan->flat_total_usd, 2655, 1e-6);
    ASSERT_NEAR(plan->flat_unused_commitment_usd, 2628.0 * 144 / 744, 1e-6);
    CU_ASSERT_EQUAL(plan->flat.sim.throttled_minutes, 0);
    ASSERT_NEAR(plan->seasonal_total_usd, plan->flat_total_usd, 1e-9);
    tp_plan_seasonal_free(plan);
    tp_store_close(s);
}

/*
 * Item: backtest regret under a quota's default bound. feb_spikes, --quota-tpm 10000 and no
 * other bound: at most 0 throttled minutes. Trained on January (steady 20000; R >= 10000 and
 * reserving beats on demand up to 20000): 20000, 20 x 0.12 x 730 = 1752 USD (a month is
 * billed 730 h: docs/model.md, "Terms"). On February each of the 1200 spike minutes spills
 * 20000 TPM, 10000 over the quota: 1200 throttled minutes, so it misses the bound. It costs
 * 20 x 0.12 x 730 = 1752 + the 10000 the quota takes, 1200 x 10000 x 3/M = 36 -> 1788;
 * hindsight needs R >= 30000 (a further 1K saves 3.6 against 87.6): 30 x 87.6 = 2628 + 36 =
 * 2664. The difference, -876, is no regret: the trained plan drops traffic the hindsight
 * plan serves, so regret is undefined (null) and the output says why.
 */
static void test_backtest_quota_default(void)
{
    tp_store *s = hourly_input(JAN1, (31 + 28) * 24, feb_spikes);
    tp_pricing *pricing = sample_pricing();
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_backtest bt;
    tp_error err;
    char *out = NULL;
    q.model = "m";
    o.quota_tpm = 10000;
    CU_ASSERT_EQUAL_FATAL(tp_plan_backtest(s, &q, FEB1, &p, &o, 0, &bt, &err), TP_OK);
    ASSERT_NEAR(bt.trained.input_tpm, 20000, 1e-9);
    ASSERT_NEAR(bt.trained.sim.total_usd, 1752, 1e-6);
    ASSERT_NEAR(bt.trained_on_test.sim.total_usd, 1788, 1e-6);
    CU_ASSERT_EQUAL(bt.trained_on_test.sim.throttled_minutes, 1200);
    ASSERT_NEAR(bt.hindsight.input_tpm, 30000, 1e-9);
    ASSERT_NEAR(bt.hindsight.sim.total_usd, 2664, 1e-6);
    CU_ASSERT(bt.has_service_level);
    CU_ASSERT(!bt.service_level_met);
    CU_ASSERT(isnan(bt.regret_usd));

    CU_ASSERT_EQUAL_FATAL(
        tp_report_backtest("m", pricing, &p, &o, &bt, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT(cJSON_IsNull(item(root, "regret_usd", NULL, NULL)));
    CU_ASSERT(cJSON_IsFalse(item(root, "service_level_met", NULL, NULL)));
    CU_ASSERT_EQUAL(num(root, "service_level", "max_throttled_minutes", NULL), 0);
    CU_ASSERT_EQUAL(num(root, "service_level", "throttled_minutes", NULL), 1200);
    expect_has(str(root, "regret_undefined_reason", NULL),
               "it throttles 1,200 minutes, at most 0 allowed, the quota's default");
    expect_has(first_note(root), "regret is undefined");
    cJSON_Delete(root);
    free(out);
    CU_ASSERT_EQUAL_FATAL(
        tp_report_backtest("m", pricing, &p, &o, &bt, TP_FORMAT_TEXT, &out, &err), TP_OK);
    expect_has(out, "service level (at most 0 throttled minutes) on the test window: NOT met");
    expect_has(out, "regret: undefined: the trained reservation misses the service level");
    expect_has(out, "1,200 minutes, at most 0 allowed");
    free(out);

    /* --max-throttled-minutes 1200 allows it: met, and regret is defined again (the hindsight
     * plan may then throttle too: 20000 at 1788, regret 0) */
    o.has_max_throttled_minutes = 1;
    o.max_throttled_minutes = 1200;
    CU_ASSERT_EQUAL_FATAL(tp_plan_backtest(s, &q, FEB1, &p, &o, 0, &bt, &err), TP_OK);
    CU_ASSERT(bt.service_level_met);
    ASSERT_NEAR(bt.hindsight.sim.total_usd, 1788, 1e-6);
    ASSERT_NEAR(bt.regret_usd, 0, 1e-6);
    tp_pricing_free(pricing);
    tp_store_close(s);
}

/*
 * Item: the service level's bounds come with the result, for the renderers. January and
 * February as in test_backtest_service_level; test window February: 28 x 1440 = 40320
 * minutes. --max-spill-minutes-pct 2.5: floor(0.025 x 40320) = floor(1008) = 1008 spill
 * minutes. No quota and spilling allowed: nothing throttles, so no throttled-minutes bound
 * (INFINITY). With --quota-tpm 10000 the default bound is 0; --max-throttled-minutes 45 sets
 * 45, the same for every window of a seasonal plan.
 */
static void test_plan_limits_in_result(void)
{
    tp_store *s = hourly_input(JAN1, (31 + 28) * 24, feb_spikes);
    tp_model_price p = flat_price();
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_backtest bt;
    tp_error err;
    q.model = "m";
    o.has_max_spill_minutes_pct = 1;
    o.max_spill_minutes_pct = 2.5;
    CU_ASSERT_EQUAL_FATAL(tp_plan_backtest(s, &q, FEB1, &p, &o, 0, &bt, &err), TP_OK);
    CU_ASSERT_EQUAL(bt.max_spill_minutes, 1008);
    CU_ASSERT(isinf(bt.max_throttled_minutes));
    o.has_max_spill_minutes_pct = 0;
    o.quota_tpm = 10000;
    CU_ASSERT_EQUAL_FATAL(tp_plan_backtest(s, &q, FEB1, &p, &o, 0, &bt, &err), TP_OK);
    CU_ASSERT(isinf(bt.max_spill_minutes));
    CU_ASSERT_EQUAL(bt.max_throttled_minutes, 0);

    const tp_window w[2] = {{JAN1, FEB1}, {FEB1, MAR1}};
    tp_seasonal *plan = NULL;
    o.has_max_throttled_minutes = 1;
    o.max_throttled_minutes = 45;
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, w, 2, &p, &o, 0, &plan, &err), TP_OK);
    CU_ASSERT_EQUAL(plan->max_throttled_minutes, 45);
    tp_plan_seasonal_free(plan);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("plan", NULL, NULL);
    ADD(s, test_split_months_year_end);
    ADD(s, test_window_load_cap);
    ADD(s, test_seasonal_reports);
    ADD(s, test_backtest_reports);
    ADD(s, test_seasonal_service_level_per_window);
    ADD(s, test_seasonal_gap);
    ADD(s, test_seasonal_partial_months);
    ADD(s, test_backtest_service_level);
    ADD(s, test_seasonal_quota_flat);
    ADD(s, test_seasonal_quota_whole_term);
    ADD(s, test_backtest_quota_default);
    ADD(s, test_plan_limits_in_result);
}
