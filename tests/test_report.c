/* test_report.c - the stats report in JSON, text and CSV on a small hand-worked dataset. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "render/report_internal.h"
#include "test_util.h"

#include "test_fixtures.h"

void register_tests(void);

/* Input per minute over 14:00..14:04 (5 minutes, 14:02 idle): {40, 0?, ...}. Stored points:
 * 14:00=40, 14:01=10, 14:03=30, 14:04=20 and no 14:02 -> minutes {40,10,0,30,20}, sorted
 * {0,10,20,30,40}: P25 10, P50 20, P90 36, P99 39.6, max 40, mean 20 (as in test_stats). */
static const char *data = "2026-10-05T14:00:00Z,m1,InputTokenCount,40\n"
                          "2026-10-05T14:01:00Z,m1,InputTokenCount,10\n"
                          "2026-10-05T14:03:00Z,m1,InputTokenCount,30\n"
                          "2026-10-05T14:04:00Z,m1,InputTokenCount,20\n"
                          "2026-10-05T14:04:00Z,m1,OutputTokenCount,5\n";

static double num(cJSON *o, const char *path1, const char *path2, const char *path3)
{
    cJSON *a = cJSON_GetObjectItemCaseSensitive(o, path1);
    cJSON *b = path2 ? cJSON_GetObjectItemCaseSensitive(a, path2) : a;
    cJSON *c = path3 ? cJSON_GetObjectItemCaseSensitive(b, path3) : b;
    CU_ASSERT(cJSON_IsNumber(c));
    return cJSON_IsNumber(c) ? c->valuedouble : -1;
}

static void test_json(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "d.csv", data, NULL, &err), TP_OK);
    tp_stats_request req = {0};
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *models = cJSON_GetObjectItemCaseSensitive(root, "models");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(models), 1);
    cJSON *m = cJSON_GetArrayItem(models, 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(m, "model")->valuestring, "m1");
    cJSON *w = cJSON_GetObjectItemCaseSensitive(m, "window");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(w, "from")->valuestring,
                           "2026-10-05T14:00:00Z");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(w, "to")->valuestring,
                           "2026-10-05T14:05:00Z");
    CU_ASSERT_EQUAL(num(w, "minutes", NULL, NULL), 5);
    CU_ASSERT_EQUAL(num(w, "minutes_with_data", NULL, NULL), 4);
    cJSON *tpm = cJSON_GetObjectItemCaseSensitive(m, "tpm");
    ASSERT_NEAR(num(tpm, "input", "p25", NULL), 10, 1e-9);
    ASSERT_NEAR(num(tpm, "input", "p50", NULL), 20, 1e-9);
    ASSERT_NEAR(num(tpm, "input", "p90", NULL), 36, 1e-9);
    ASSERT_NEAR(num(tpm, "input", "p99", NULL), 39.6, 1e-9);
    ASSERT_NEAR(num(tpm, "input", "max", NULL), 40, 1e-9);
    ASSERT_NEAR(num(tpm, "input", "mean", NULL), 20, 1e-9);
    /* output {0,0,0,0,5}: P99 at 0.99*4 = 3.96 -> 0 + 0.96*5 = 4.8; mean 1 */
    ASSERT_NEAR(num(tpm, "output", "p99", NULL), 4.8, 1e-9);
    ASSERT_NEAR(num(tpm, "output", "mean", NULL), 1, 1e-9);
    ASSERT_NEAR(num(tpm, "cache_write", "max", NULL), 0, 0);
    cJSON *res = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m,
                                                  "resolution"), "input");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(res), 1);
    CU_ASSERT_EQUAL(num(cJSON_GetArrayItem(res, 0), "period_s", NULL, NULL), 60);
    CU_ASSERT_EQUAL(num(cJSON_GetArrayItem(res, 0), "minutes", NULL, NULL), 5);
    cJSON_Delete(root);
    free(out);

    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_CSV, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "\"m1\",input,2026-10-05T14:00:00Z,2026-10-05T14:05:00Z,5,4,10,20,36,"
                         "39.6,40,20,total,,\n");
    free(out);
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_TEXT, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "model m1 (region unknown, account unknown)\n");
    /* the table fits 100 columns; the series used are listed below it */
    ASSERT_CONTAINS(out, "input                   10.0         20.0         36.0         39.6"
                         "         40.0         20.0\n");
    ASSERT_CONTAINS(out, "\n  input         total; 60s x 5 min\n");
    for (const char *line = out; *line != '\0';) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        CU_ASSERT(len <= 100);
        line += len + (nl != NULL);
    }
    free(out);
    req.model = "missing";
    CU_ASSERT_EQUAL(report_stats(s, &req, TP_FORMAT_JSON, &out, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(out);
    tp_store_close(s);
}

static void test_empty_store_and_formats(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_stats_request req = {0};
    char *out = NULL;
    /* a new, empty database is a normal state: it says so, and JSON lists no models */
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_TEXT, &out, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(out, "no data yet; see tierplan export-cmd and tierplan ingest\n");
    free(out);
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "models")), 0);
    CU_ASSERT(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "models")));
    cJSON_Delete(root);
    free(out);
    tp_format f;
    CU_ASSERT_EQUAL(tp_format_parse("json", &f, &err), TP_OK);
    CU_ASSERT_EQUAL(f, TP_FORMAT_JSON);
    CU_ASSERT_EQUAL(tp_format_parse("xml", &f, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "\"xml\" is not one of text, json, csv");
    tp_store_close(s);
}

/* The burn-down factor of a cache read follows the model's cache-read price when the catalog
 * gives none, and the stats report says so. Minute 14:00: input 100, cache read 400; with
 * cache reads at 25% of input (0.2 / 0.8) the effective input is 100 + 0.25 x 400 = 200. */
static void test_burn_down_derived(void)
{
    static const char cat[] =
        "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},\"models\":"
        "{\"m2\":{\"on_demand_per_million\":{\"input\":0.8,\"output\":3.2,\"cache_read\":0.2,"
        "\"cache_write\":0}}}}";
    static const char pts[] = "2026-10-05T14:00:00Z,m2,InputTokenCount,100\n"
                              "2026-10-05T14:00:00Z,m2,CacheReadInputTokenCount,400\n";
    tp_store *s = open_mem();
    tp_error err;
    tp_pricing *p = NULL;
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "d.csv", pts, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_parse("c.json", cat, strlen(cat), &p, &err), TP_OK);
    tp_stats_request req = {0};
    req.pricing = p;
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "models"), 0);
    ASSERT_NEAR(num(m, "tpm", "effective_input", "max"), 200, 1e-9);
    ASSERT_NEAR(num(m, "burn_down", "cache_read", NULL), 0.25, 0);
    cJSON *bd = cJSON_GetObjectItemCaseSensitive(m, "burn_down");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(bd, "cache_read_from")->valuestring,
                           "derived from prices");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(bd, "cache_write_from")->valuestring,
                           "default");
    cJSON_Delete(root);
    free(out);
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_TEXT, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "0.25 x cache_read\n  (catalog entry m2; cache read derived from prices)");
    ASSERT_CONTAINS(out, "(1 minute, 1 with data)");
    free(out);
    tp_pricing_free(p);
    tp_store_close(s);
}

/* Every CSV output writes a model id with a quote as one field, the quote doubled:
 * a"b -> "a""b" (RFC 4180). */
static void test_csv_quotes_model(void)
{
    static const char cat[] =
        "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},\"models\":"
        "{\"*\":{\"on_demand_per_million\":{\"input\":1,\"output\":2,\"cache_read\":0.1,"
        "\"cache_write\":1},\"reserved_per_1k_tpm_hour\":{\"input\":0.04,\"output\":0.08}}}}";
    static const char pts[] = "timestamp,model,metric,value\n"
                              "2026-10-05T14:00:00Z,\"a\"\"b\",InputTokenCount,1000\n"
                              "2026-10-05T14:01:00Z,\"a\"\"b\",OutputTokenCount,500\n";
    tp_store *s = open_mem();
    tp_error err;
    tp_pricing *p = NULL;
    tp_model_price price;
    tp_series *ser = NULL;
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "q.csv", pts, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_parse("c.json", cat, strlen(cat), &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "a\"b", &price, NULL, NULL, &err), TP_OK);
    char *out = NULL;
    tp_stats_request req = {0};
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_CSV, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "\n\"a\"\"b\",input,");
    free(out);

    tp_series_query q = {0};
    q.model = "a\"b";
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    tp_demand d = tp_series_demand(ser);
    tp_sim_options so = {0};
    tp_sim_result sr;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_run(&d, &price, &so, &sr, &err), TP_OK);
    tp_sim_report srep = {ser, p, &price, &so, &sr, 0, NULL, NULL};
    CU_ASSERT_EQUAL_FATAL(tp_report_sim(&srep, TP_FORMAT_CSV, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "\n\"a\"\"b\",2026-10-05T14:00:00Z,");
    free(out);

    tp_rec_options ro = {0};
    tp_recommendation rec;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &price, &ro, &rec, &err), TP_OK);
    tp_rec_report rrep = {ser, p, &price, &ro, &rec, 1, 0};
    CU_ASSERT_EQUAL_FATAL(tp_report_rec(&rrep, TP_FORMAT_CSV, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "\n\"a\"\"b\",p25,");
    free(out);

    /* seasonal plans and backtests render what they are given: one window each */
    tp_window_plan wp;
    memset(&wp, 0, sizeof wp);
    wp.window.from_minute = d.from_minute;
    wp.window.to_minute = d.from_minute + 2;
    wp.recommended = rec.candidates[rec.recommended];
    tp_seasonal sea;
    memset(&sea, 0, sizeof sea);
    sea.span = wp.window;
    sea.flat = rec.candidates[rec.recommended];
    sea.windows = &wp;
    sea.n = 1;
    CU_ASSERT_EQUAL_FATAL(tp_report_seasonal("a\"b", p, &price, &ro, &sea, TP_FORMAT_CSV, &out,
                                             &err),
                          TP_OK);
    ASSERT_CONTAINS(out, "\n\"a\"\"b\",window,2026-10-05T14:00:00Z,2026-10-05T14:02:00Z,");
    free(out);
    tp_backtest bt;
    memset(&bt, 0, sizeof bt);
    bt.train = bt.test = wp.window;
    CU_ASSERT_EQUAL_FATAL(tp_report_backtest("a\"b", p, &price, &ro, &bt, TP_FORMAT_CSV, &out,
                                             &err),
                          TP_OK);
    ASSERT_CONTAINS(out, "\n\"a\"\"b\",trained_on_train,");
    free(out);
    tp_series_free(ser);
    tp_pricing_free(p);
    tp_store_close(s);
}

/* Every line of a line of text output is at most 100 columns. */
static void assert_fits(const char *out)
{
    for (const char *l = out; *l != '\0';) {
        size_t len = strcspn(l, "\n");
        if (len > 100)
            fprintf(stderr, "\n  %zu columns: %.*s", len, (int)len, l);
        CU_ASSERT(len <= 100);
        l += len + (l[len] == '\n');
    }
}

/* simulate and recommend text on the bundled sample under a quota (the widest output: rows
 * that throttle get a second line) fits 100 columns. */
static void test_text_fits_100_columns(void)
{
    char path[1024];
    const char *dir = getenv("TP_SAMPLE_DATA");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest *ing = NULL;
    tp_pricing *p = NULL;
    tp_series *ser = NULL;
    tp_model_price price;
    snprintf(path, sizeof path, "%s/sample-nova-pro.json", dir);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_file(ing, path, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    snprintf(path, sizeof path, "%s/pricing.json", dir);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_load(path, &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "amazon.nova-pro-v1:0", &price, NULL, NULL, &err),
                          TP_OK);
    tp_series_query q = {0};
    q.model = "amazon.nova-pro-v1:0";
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    tp_demand d = tp_series_demand(ser);
    char *out = NULL;
    tp_sim_options so = {0};
    tp_sim_result sr;
    so.reserve_input_tpm = 100000;
    so.reserve_output_tpm = 30000;
    so.quota_tpm = 100000;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_run(&d, &price, &so, &sr, &err), TP_OK);
    tp_sim_report srep = {ser, p, &price, &so, &sr, 0, NULL, NULL};
    CU_ASSERT_EQUAL_FATAL(tp_report_sim(&srep, TP_FORMAT_TEXT, &out, &err), TP_OK);
    assert_fits(out);
    free(out);
    tp_rec_options ro = {0};
    ro.quota_tpm = 100000;
    tp_recommendation rec;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &price, &ro, &rec, &err), TP_OK);
    tp_rec_report rrep = {ser, p, &price, &ro, &rec, 1, 0};
    CU_ASSERT_EQUAL_FATAL(tp_report_rec(&rrep, TP_FORMAT_TEXT, &out, &err), TP_OK);
    assert_fits(out);
    ASSERT_CONTAINS(out, "THROTTLES");
    free(out);
    tp_stats_request req = {0};
    req.pricing = p;
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_TEXT, &out, &err), TP_OK);
    assert_fits(out);
    free(out);
    tp_series_free(ser);
    tp_pricing_free(p);
    tp_store_close(s);
}

/* A stray 2020 point beside 2026 data puts one model's window over the 3-year limit: stats
 * over every model lists that model as skipped, with why, and still shows the others; asked
 * for alone, it is an error naming it. */
static void test_stats_skips_model_over_limit(void)
{
    static const char pts[] = "timestamp,model,metric,value\n"
                              "2020-01-01T00:00:00Z,m1,InputTokenCount,5\n"
                              "2026-10-05T14:00:00Z,m1,InputTokenCount,10\n"
                              "2026-10-05T14:00:00Z,m2,InputTokenCount,7\n";
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "stray.csv", pts, NULL, &err), TP_OK);
    tp_stats_request req = {0};
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_TEXT, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "model m2 (region unknown, account unknown)\n");
    ASSERT_CONTAINS(out, "\nmodel m1 (region unknown, account unknown): skipped\n"
                         "  model m1: window 2020-01-01T00:00:00Z .. ");
    free(out);
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *root = cJSON_Parse(out);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "models")), 1);
    cJSON *sk = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "skipped"), 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(sk, "model")->valuestring, "m1");
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(sk, "reason");
    CU_ASSERT(cJSON_IsString(reason) && strstr(reason->valuestring, "is over the limit"));
    cJSON_Delete(root);
    free(out);
    req.model = "m1";
    CU_ASSERT_EQUAL(report_stats(s, &req, TP_FORMAT_TEXT, &out, &err), TP_ERR_TOO_BIG);
    ASSERT_CONTAINS(err.message, "model m1: window 2020-01-01T00:00:00Z");
    CU_ASSERT_PTR_NULL(out);
    tp_store_close(s);
}

/* Fields per record of RFC 4180 text, one count per record into n[] (up to max records);
 * returns the number of records, or -1 for an unterminated quote. */
static int csv_field_counts(const char *t, int n[], int max)
{
    int rec = 0, fields = 1, quoted = 0;
    for (; *t != '\0'; t++) {
        if (quoted) {
            if (*t == '"' && t[1] == '"')
                t++;
            else if (*t == '"')
                quoted = 0;
        } else if (*t == '"') {
            quoted = 1;
        } else if (*t == ',') {
            fields++;
        } else if (*t == '\n') {
            if (rec < max)
                n[rec] = fields;
            rec++;
            fields = 1;
        }
    }
    return quoted ? -1 : rec;
}

/* Every record has as many fields as the header. */
static void assert_csv_rectangular(const char *out)
{
    int n[64];
    int rec = csv_field_counts(out, n, 64);
    CU_ASSERT_FATAL(rec >= 2 && rec <= 64);
    for (int i = 1; i < rec; i++) {
        if (n[i] != n[0])
            fprintf(stderr, "\n  record %d has %d fields, the header %d:\n%s", i, n[i], n[0], out);
        CU_ASSERT_EQUAL(n[i], n[0]);
    }
}

/* A model id with a comma and a quote (x,"y) stays one field in every CSV report: each record
 * has as many fields as its header. A word the library writes bare is quoted when it would
 * not be one field, and a format a report does not know is a usage error, not text. */
static void test_csv_one_field_per_value(void)
{
    static const char cat[] =
        "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},\"models\":"
        "{\"*\":{\"on_demand_per_million\":{\"input\":1,\"output\":2,\"cache_read\":0.1,"
        "\"cache_write\":1},\"reserved_per_1k_tpm_hour\":{\"input\":0.04,\"output\":0.08}}}}";
    static const char pts[] = "timestamp,model,metric,value\n"
                              "2026-10-05T14:00:00Z,\"x,\"\"y\",InputTokenCount,1000\n"
                              "2026-10-05T14:01:00Z,\"x,\"\"y\",OutputTokenCount,500\n";
    tp_store *s = open_mem();
    tp_error err;
    tp_pricing *p = NULL;
    tp_model_price price;
    tp_series *ser = NULL;
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "q.csv", pts, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_parse("c.json", cat, strlen(cat), &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "x,\"y", &price, NULL, NULL, &err), TP_OK);
    char *out = NULL;
    tp_stats_request req = {0};
    CU_ASSERT_EQUAL_FATAL(report_stats(s, &req, TP_FORMAT_CSV, &out, &err), TP_OK);
    assert_csv_rectangular(out);
    free(out);
    tp_series_query q = {0};
    q.model = "x,\"y";
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    tp_demand d = tp_series_demand(ser);
    tp_sim_options so = {0};
    tp_sim_result sr;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_run(&d, &price, &so, &sr, &err), TP_OK);
    tp_sim_report srep = {ser, p, &price, &so, &sr, 0, NULL, NULL};
    CU_ASSERT_EQUAL_FATAL(tp_report_sim(&srep, TP_FORMAT_CSV, &out, &err), TP_OK);
    assert_csv_rectangular(out);
    free(out);
    CU_ASSERT_EQUAL(tp_report_sim(&srep, (tp_format)99, &out, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(out);
    tp_rec_options ro = {0};
    tp_recommendation rec;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &price, &ro, &rec, &err), TP_OK);
    tp_rec_report rrep = {ser, p, &price, &ro, &rec, 1, 0};
    CU_ASSERT_EQUAL_FATAL(tp_report_rec(&rrep, TP_FORMAT_CSV, &out, &err), TP_OK);
    assert_csv_rectangular(out);
    free(out);
    CU_ASSERT_EQUAL(tp_report_rec(&rrep, (tp_format)99, &out, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(out);
    req.model = "x,\"y";
    CU_ASSERT_EQUAL(report_stats(s, &req, (tp_format)99, &out, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(out);

    strbuf b = {0};
    report_csv_word(&b, "input");
    report_csv_word(&b, "a,b");
    report_csv_word(&b, "say \"hi\"");
    report_csv_word(&b, "");
    CU_ASSERT_EQUAL_FATAL(sb_finish(&b, &out, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(out, ",input,\"a,b\",\"say \"\"hi\"\"\",\"\"");
    free(out);
    tp_series_free(ser);
    tp_pricing_free(p);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("report", NULL, NULL);
    ADD(s, test_json);
    ADD(s, test_empty_store_and_formats);
    ADD(s, test_burn_down_derived);
    ADD(s, test_csv_quotes_model);
    ADD(s, test_text_fits_100_columns);
    ADD(s, test_stats_skips_model_over_limit);
    ADD(s, test_csv_one_field_per_value);
}
