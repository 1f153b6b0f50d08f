/* test_alloc_fail.c - allocation failures (alloc_fail.c tells how) on the main paths: ingest
 * of every format, the price catalog, stats, simulate, recommend, project and showback with
 * their reports. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "alloc_fail.h"
#include "test_util.h"

#define M "anthropic.claude-sonnet-4-5-20250929-v1:0"

static const char *gmd =
    "{\"MetricDataResults\":[{\"Id\":\"in\",\"Label\":\"ModelId=" M " InputTokenCount "
    "Period=60\",\"Timestamps\":[\"2026-10-05T14:03:00+00:00\",\"2026-10-05T14:01:00+00:00\","
    "\"2026-10-05T14:00:00+00:00\"],\"Values\":[300.0,100.0,50.5],\"StatusCode\":\"Complete\"},"
    "{\"Id\":\"out\",\"Label\":\"ModelId=" M " OutputTokenCount Period=60\",\"Timestamps\":"
    "[\"2026-10-05T14:03:00Z\"],\"Values\":[30],\"StatusCode\":\"PartialData\"}],"
    "\"Messages\":[]}";

static const char *gms =
    "{\"Label\":\"OutputTokenCount\",\"Datapoints\":["
    "{\"Timestamp\":\"2026-10-05T14:10:00Z\",\"Sum\":70.0,\"SampleCount\":3,\"Unit\":\"Count\"},"
    "{\"Timestamp\":\"2026-10-05T14:00:00Z\",\"Sum\":10.0,\"Unit\":\"Count\"}]}";

static const char *csv = "timestamp,model,metric,value\n"
                         "2026-10-05T14:00:00Z," M ",InputTokenCount,40\n"
                         "2026-10-05T14:01:00Z," M ",InputTokenCount,10\n"
                         "2026-10-05T14:03:00Z," M ",OutputTokenCount,30\n";

/* Invocation log records of two roles (one without tokens, one malformed line: warnings). */
#define REC(ts, role, in, out)                                                                 \
    "{\"schemaVersion\":\"1.0\",\"timestamp\":\"2025-08-15T" ts "Z\",\"requestId\":\"r\","    \
    "\"identity\":{\"arn\":\"arn:aws:sts::123456789012:assumed-role/" role "/s\"},"           \
    "\"modelId\":\"" M "\",\"input\":{\"inputTokenCount\":" in ",\"cacheReadInputTokenCount\":" \
    "5},\"output\":{\"outputTokenCount\":" out "},\"requestMetadata\":{\"team\":\"" role "\"}}\n"
static const char *logs = REC("12:44:54", "TeamA", "100", "50") REC("12:44:58", "TeamB", "70",
                                                                    "20")
    REC("12:46:01", "TeamA", "30", "9") "not json\n"
    "{\"timestamp\":\"2025-08-15T12:47:00Z\",\"requestId\":\"r3\",\"modelId\":\"" M "\"}\n";

static char gz[4096];
static size_t gz_len;
static char data_dir[1024], sample_dir[1024], tmp_dir[64], db_path[128];
static tp_pricing *pricing;

static void fixture(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/logs/%s", data_dir, name);
}

/* One command of one buffer (or, with path, of one file), from begin to commit. */
static tp_status ingest_case(const tp_ingest_options *o, const char *name, const char *data,
                             size_t len, const char *path, tp_error *err)
{
    tp_store *s = open_mem();
    tp_ingest *ing = NULL;
    warnings w = {{0}, 0};
    tp_ingest_options opts = {0};
    if (o != NULL)
        opts = *o;
    opts.warn = collect_warning, opts.warn_ctx = &w;
    arm();
    tp_status rc = tp_ingest_begin(s, &opts, &ing, err);
    if (rc == TP_OK)
        rc = path != NULL ? tp_ingest_file(ing, path, NULL, err)
                          : tp_ingest_buffer(ing, name, data, len, NULL, err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, err);
    tp_ingest_free(ing);
    disarm();
    tp_store_close(s);
    return rc;
}

static tp_status c_gmd(tp_error *err)
{
    return ingest_case(NULL, "a.json", gmd, strlen(gmd), NULL, err);
}

static tp_status c_gms(tp_error *err)
{
    tp_ingest_options o = {0};
    o.model = M, o.period_s = 300;
    return ingest_case(&o, "gms.json", gms, strlen(gms), NULL, err);
}

static tp_status c_csv(tp_error *err)
{
    tp_ingest_options o = {0};
    o.period_s = 60;
    return ingest_case(&o, "d.csv", csv, strlen(csv), NULL, err);
}

static tp_status c_logs(tp_error *err)
{
    tp_ingest_options o = {0};
    o.attribute_by = "metadata:team";
    return ingest_case(&o, "a.jsonl", logs, strlen(logs), NULL, err);
}

static tp_status c_logs_gz(tp_error *err)
{
    return ingest_case(NULL, "a.jsonl.gz", gz, gz_len, NULL, err);
}

static tp_status c_logs_gz_file(tp_error *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/a.jsonl.gz", tmp_dir);
    return ingest_case(NULL, NULL, NULL, 0, path, err);
}

static tp_status c_logs_file(tp_error *err)
{
    char path[1200];
    fixture(path, sizeof path, "converse-stream.json");
    return ingest_case(NULL, NULL, NULL, 0, path, err);
}

static tp_status c_insights(tp_error *err)
{
    char path[1200];
    fixture(path, sizeof path, "insights-results.json");
    return ingest_case(NULL, NULL, NULL, 0, path, err);
}

/* Query results (tests/data/query): a Logs Insights row per request, Athena's CSV (streamed
 * lines) and its get-query-results JSON. */
static tp_status query_case(const char *name, tp_error *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/query/%s", data_dir, name);
    return ingest_case(NULL, NULL, NULL, 0, path, err);
}

static tp_status c_insights_per_request(tp_error *err)
{
    return query_case("insights-per-request.json", err);
}

static tp_status c_athena_csv(tp_error *err)
{
    return query_case("athena-result.csv", err);
}

static tp_status c_athena_json(tp_error *err)
{
    return query_case("athena-get-query-results.json", err);
}

/* Other providers' exports (tests/data/providers): Azure Monitor, Cloud Monitoring (two
 * pages), OpenAI usage buckets. */
static tp_status provider_case(const char *name, tp_error *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/providers/%s", data_dir, name);
    return ingest_case(NULL, NULL, NULL, 0, path, err);
}

static tp_status c_azure(tp_error *err)
{
    return provider_case("azure-monitor.json", err);
}

static tp_status c_gcp(tp_error *err)
{
    return provider_case("gcp-timeseries.json", err);
}

static tp_status c_openai(tp_error *err)
{
    return provider_case("openai-usage.json", err);
}

static tp_status c_pricing(tp_error *err)
{
    char path[1200];
    tp_pricing *p = NULL;
    tp_model_price price;
    snprintf(path, sizeof path, "%s/pricing.json", sample_dir);
    arm();
    tp_status rc = tp_pricing_load(path, &p, err);
    if (rc == TP_OK)
        rc = tp_pricing_lookup(p, "us." M, &price, NULL, NULL, err);
    disarm();
    tp_pricing_free(p);
    return rc;
}

static tp_store *db(void)
{
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(db_path, &s, &err), TP_OK);
    return s;
}

static tp_status c_stats(tp_error *err)
{
    tp_store *s = db();
    tp_stats_request req = {0};
    req.pricing = pricing;
    req.compare_sources = 1; /* as the text report asks */
    char *out = NULL;
    tp_stats_report *r = NULL;
    arm();
    tp_status rc = tp_stats_report_compute(s, &req, &r, err);
    for (int f = TP_FORMAT_TEXT; rc == TP_OK && f <= TP_FORMAT_CSV; f++) {
        rc = tp_report_stats(&req, r, (tp_format)f, &out, err);
        free(out);
        out = NULL;
    }
    disarm();
    tp_stats_report_free(r);
    tp_store_close(s);
    return rc;
}

/* The series of the model, loaded unarmed (stats covers the load). */
static tp_series *load(tp_store *s, tp_model_price *price)
{
    tp_series_query q = {0};
    tp_series *ser = NULL;
    tp_error err;
    q.model = M;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(pricing, M, price, NULL, NULL, &err), TP_OK);
    return ser;
}

static tp_status c_simulate(tp_error *err)
{
    tp_store *s = db();
    tp_model_price price;
    tp_series *ser = load(s, &price);
    const tp_demand d = tp_series_demand(ser);
    tp_sim_options o = {0};
    tp_sim_result r;
    char *out = NULL;
    o.reserve_input_tpm = 2000, o.reserve_output_tpm = 200;
    arm();
    tp_status rc = tp_simulate_run(&d, &price, &o, &r, err);
    const tp_sim_report rep = {ser, pricing, &price, &o, &r, 1.5, NULL, NULL};
    for (int f = TP_FORMAT_TEXT; rc == TP_OK && f <= TP_FORMAT_CSV; f++) {
        rc = tp_report_sim(&rep, (tp_format)f, &out, err);
        free(out);
        out = NULL;
    }
    disarm();
    tp_series_free(ser);
    tp_store_close(s);
    return rc;
}

static tp_status c_recommend(tp_error *err)
{
    tp_store *s = db();
    tp_model_price price;
    tp_series *ser = load(s, &price);
    const tp_demand d = tp_series_demand(ser);
    tp_rec_options o = {0};
    tp_recommendation rec;
    char *out = NULL;
    o.has_max_spill_minutes_pct = 1, o.max_spill_minutes_pct = 5;
    arm();
    tp_status rc = tp_recommend_run(&d, &price, &o, &rec, err);
    tp_rec_report rep = {0};
    rep.series = ser, rep.pricing = pricing, rep.price = &price, rep.options = &o;
    rep.rec = &rec;
    for (int f = TP_FORMAT_TEXT; rc == TP_OK && f <= TP_FORMAT_CSV; f++) {
        rc = tp_report_rec(&rep, (tp_format)f, &out, err);
        free(out);
        out = NULL;
    }
    disarm();
    tp_series_free(ser);
    tp_store_close(s);
    return rc;
}

/* The projection the render case formats, made once (tp_project_run has a case of its own:
 * running it again for each allocation of its five renderings took most of the test's time). */
static tp_projection *projection;

static tp_status project(tp_projection **p, tp_error *err)
{
    static const char *const models[] = {M};
    tp_project_load l = {0};
    tp_project_options o = {0};
    l.db_path = db_path, l.models = models, l.n_models = 1, l.pricing = pricing;
    o.months = 2, o.has_growth = 1, o.growth_pct_per_month = 3, o.samples = 8, o.seed = 7;
    o.jobs = 1;
    return tp_project_run(&l, &o, p, err);
}

static tp_status c_project(tp_error *err)
{
    tp_projection *p = NULL;
    arm();
    const tp_status rc = project(&p, err);
    tp_project_free(p);
    disarm();
    return rc;
}

static tp_status c_project_render(tp_error *err)
{
    tp_status rc = TP_OK;
    char *out = NULL;
    arm();
    for (int f = TP_FORMAT_TEXT; rc == TP_OK && f <= TP_FORMAT_HTML; f++) {
        rc = tp_report_project(projection, (tp_format)f, &out, err);
        free(out);
        out = NULL;
    }
    if (rc == TP_OK)
        rc = tp_report_project_focus(projection, &out, err);
    free(out);
    disarm();
    return rc;
}

static tp_status c_showback(tp_error *err)
{
    tp_store *s = db();
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_model_price price;
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(pricing, M, &price, NULL, NULL, err), TP_OK);
    q.model = M, q.source = TP_SOURCE_LOGS;
    o.reserve_input_tpm = 100, o.reserve_output_tpm = 40;
    arm();
    tp_status rc = tp_showback_run(s, &q, &price, &o, &sb, err);
    for (int f = TP_FORMAT_TEXT; rc == TP_OK && f <= TP_FORMAT_MARKDOWN; f++) {
        rc = tp_report_showback(sb, (tp_format)f, &out, err);
        free(out);
        out = NULL;
    }
    if (rc == TP_OK)
        rc = tp_report_showback_focus(sb, &out, err);
    free(out);
    tp_showback_free(sb);
    disarm();
    tp_store_close(s);
    return rc;
}

/* recommend on a unit-based model: the sample's traffic priced by the catalog entry `entry` */
static tp_status units_case(const char *entry, tp_error *err)
{
    tp_store *s = db();
    tp_model_price bedrock, price;
    tp_series *ser = load(s, &bedrock);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(pricing, entry, &price, NULL, NULL, err), TP_OK);
    const tp_demand d = tp_series_demand(ser);
    tp_units_options o = {0};
    static tp_units_plan plan;
    char *out = NULL;
    arm();
    tp_status rc = tp_units_plan_run(&d, &price, &o, &plan, err);
    const tp_units_report rep = {ser, pricing, &price, &o, &plan, 1};
    for (int f = TP_FORMAT_TEXT; rc == TP_OK && f <= TP_FORMAT_JSON; f++) {
        rc = tp_report_units(&rep, (tp_format)f, &out, err);
        free(out);
        out = NULL;
    }
    disarm();
    tp_series_free(ser);
    tp_store_close(s);
    return rc;
}

static tp_status c_units(tp_error *err) { return units_case("gpt-4.1", err); }

/* the same traffic as OpenAI Scale Tier's two pools (gpt-4.1-2025-04-14) */
static tp_status c_units_pools(tp_error *err) { return units_case("gpt-4.1-2025-04-14", err); }

/* Two pools (openai-scale): the model's logs shown back on the Scale Tier entry's pools (2
 * input and 1 output units held), every format; and its demand projected on them, every
 * format. */
static tp_status c_pools_showback(tp_error *err)
{
    tp_store *s = db();
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_model_price price;
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(
        tp_pricing_lookup(pricing, "gpt-4.1-2025-04-14", &price, NULL, NULL, err), TP_OK);
    CU_ASSERT_FATAL(price.unit.pools);
    q.model = M, q.source = TP_SOURCE_LOGS;
    o.units = price.unit.input_pool.minimum_units;
    o.output_units = price.unit.output_pool.minimum_units;
    o.unit_term = TP_UNIT_1_MONTH;
    arm();
    tp_status rc = tp_showback_run(s, &q, &price, &o, &sb, err);
    for (int f = TP_FORMAT_TEXT; rc == TP_OK && f <= TP_FORMAT_MARKDOWN; f++) {
        rc = tp_report_showback(sb, (tp_format)f, &out, err);
        free(out);
        out = NULL;
    }
    if (rc == TP_OK)
        rc = tp_report_showback_focus(sb, &out, err);
    free(out);
    tp_showback_free(sb);
    disarm();
    tp_store_close(s);
    return rc;
}

static tp_status c_pools_project(tp_error *err)
{
    tp_store *s = db();
    tp_model_price bedrock, price;
    tp_series *ser = load(s, &bedrock);
    CU_ASSERT_EQUAL_FATAL(
        tp_pricing_lookup(pricing, "gpt-4.1-2025-04-14", &price, NULL, NULL, err), TP_OK);
    const tp_tier_demand none = {0};
    tp_demand d = tp_series_demand(ser); /* its whole UTC days */
    const int64_t first = (d.from_minute + 1439) / 1440 * 1440;
    const size_t skip = (size_t)(first - d.from_minute);
    CU_ASSERT_FATAL(d.minutes >= skip + 1440);
    d.input_tpm += skip, d.output_tpm += skip, d.cache_read_tpm += skip;
    d.cache_write_tpm += skip;
    d.from_minute = first, d.minutes = (d.minutes - skip) / 1440 * 1440;
    tp_project_input in = {M, d, price, none};
    tp_project_options o = {0};
    tp_projection *p = NULL;
    char *out = NULL;
    o.months = 2, o.has_growth = 1, o.samples = 8, o.seed = 7, o.jobs = 1;
    arm();
    tp_status rc = tp_project_demand(&in, 1, &o, &p, err);
    for (int f = TP_FORMAT_TEXT; rc == TP_OK && f <= TP_FORMAT_HTML; f++) {
        rc = tp_report_project(p, (tp_format)f, &out, err);
        free(out);
        out = NULL;
    }
    if (rc == TP_OK)
        rc = tp_report_project_focus(p, &out, err);
    free(out);
    tp_project_free(p);
    disarm();
    tp_series_free(ser);
    tp_store_close(s);
    return rc;
}

CASE(gmd, 1)
CASE(gms, 1)
CASE(csv, 1)
CASE(logs, 1)
CASE(logs_gz, 1)
CASE(logs_gz_file, 1)
CASE(logs_file, 1)
CASE(insights, 1)
CASE(insights_per_request, 1)
CASE(athena_csv, 1)
CASE(athena_json, 1)
CASE(azure, 1)
CASE(gcp, 1)
CASE(openai, 1)
CASE(pricing, 1)
CASE(stats, 1)
CASE(simulate, 1)
CASE(recommend, 1)
CASE(project, 1)
CASE(project_render, 1)
CASE(showback, 1)
CASE(units, 1)
CASE(units_pools, 1)
CASE(pools_showback, 1)
CASE(pools_project, 1)

/* gzip of the log records, in memory and in a file of the scratch directory. Suite setup
 * runs outside a test, where CUnit's assertions may not be used: failures are returned. */
static int make_gzip(void)
{
    z_stream zs;
    char path[1200];
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 1;
    zs.next_in = (Bytef *)(uintptr_t)logs;
    zs.avail_in = (uInt)strlen(logs);
    zs.next_out = (Bytef *)gz;
    zs.avail_out = sizeof gz;
    const int z = deflate(&zs, Z_FINISH);
    gz_len = sizeof gz - zs.avail_out;
    deflateEnd(&zs);
    snprintf(path, sizeof path, "%s/a.jsonl.gz", tmp_dir);
    FILE *f = fopen(path, "wb");
    if (z != Z_STREAM_END || f == NULL)
        return 1;
    const int bad = fwrite(gz, 1, gz_len, f) != gz_len;
    return fclose(f) != 0 || bad;
}

/* Two whole days of per-minute metrics (for project) and the log records (for showback). */
static int make_db(void)
{
    size_t cap = 2 * 1440 * 2 * 128 + 64, len = 0; /* a line is under 128 bytes */
    char *text = malloc(cap);
    if (text == NULL)
        return 1;
    for (int day = 5; day <= 6; day++)
        for (int m = 0; m < 1440; m++)
            len += (size_t)snprintf(text + len, cap - len,
                                    "2026-10-%02dT%02d:%02d:00Z," M ",InputTokenCount,%d\n"
                                    "2026-10-%02dT%02d:%02d:00Z," M ",OutputTokenCount,%d\n",
                                    day, m / 60, m % 60, 1000 + (m % 97) * 10, day, m / 60,
                                    m % 60, 100 + m % 13);
    tp_store *s = NULL;
    tp_ingest *ing = NULL;
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    tp_status rc = tp_store_open_mode(db_path, TP_STORE_CREATE, &s, &err);
    if (rc == TP_OK)
        rc = tp_ingest_begin(s, &o, &ing, &err);
    if (rc == TP_OK)
        rc = tp_ingest_buffer(ing, "days.csv", text, len, NULL, &err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, &err);
    tp_ingest_free(ing);
    ing = NULL;
    if (rc == TP_OK)
        rc = tp_ingest_begin(s, NULL, &ing, &err);
    if (rc == TP_OK)
        rc = tp_ingest_buffer(ing, "logs.jsonl", logs, strlen(logs), NULL, &err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, &err);
    tp_ingest_free(ing);
    tp_store_close(s);
    free(text);
    if (rc != TP_OK)
        fprintf(stderr, "setup: %s\n", err.message);
    return rc != TP_OK;
}

static int setup(void)
{
    const char *d = getenv("TP_TEST_DATA"), *sd = getenv("TP_SAMPLE_DATA");
    snprintf(data_dir, sizeof data_dir, "%s", d != NULL ? d : "tests/data");
    snprintf(sample_dir, sizeof sample_dir, "%s", sd != NULL ? sd : "data");
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/tierplan-allocfail-XXXXXX");
    if (mkdtemp(tmp_dir) == NULL)
        return 1;
    snprintf(db_path, sizeof db_path, "%s/t.db", tmp_dir);
    if (make_gzip() != 0 || make_db() != 0)
        return 1;
    char path[1200];
    tp_error err;
    snprintf(path, sizeof path, "%s/pricing.json", sample_dir);
    if (tp_pricing_load(path, &pricing, &err) != TP_OK || project(&projection, &err) != TP_OK)
        return 1;
    return 0;
}

static int teardown(void)
{
    char path[256];
    tp_project_free(projection);
    tp_pricing_free(pricing);
    const char *files[] = {"a.jsonl.gz", "t.db", "t.db-wal", "t.db-shm"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp_dir, files[i]);
        unlink(path);
    }
    return rmdir(tmp_dir) == 0 ? 0 : 1;
}

void alloc_fail_register_paths(void)
{
    CU_pSuite s = CU_add_suite("alloc_fail", setup, teardown);
    ADD(s, test_gmd);
    ADD(s, test_gms);
    ADD(s, test_csv);
    ADD(s, test_logs);
    ADD(s, test_logs_gz);
    ADD(s, test_logs_gz_file);
    ADD(s, test_logs_file);
    ADD(s, test_insights);
    ADD(s, test_insights_per_request);
    ADD(s, test_athena_csv);
    ADD(s, test_athena_json);
    ADD(s, test_azure);
    ADD(s, test_gcp);
    ADD(s, test_openai);
    ADD(s, test_pricing);
    ADD(s, test_stats);
    ADD(s, test_simulate);
    ADD(s, test_recommend);
    ADD(s, test_project);
    ADD(s, test_project_render);
    ADD(s, test_showback);
    ADD(s, test_units);
    ADD(s, test_units_pools);
    ADD(s, test_pools_showback);
    ADD(s, test_pools_project);
}
