/* test_cli_providers.c - other providers' metric exports end to end through the CLI: Azure
 * Monitor metrics, Google Cloud Monitoring time series and the OpenAI usage API, each ingested
 * from its fixture in tests/data/providers and read back by stats; the inputs each refuses.
 * Every figure checked is worked out by hand in a comment. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

#define P "\"$TP_TEST_DATA\"/providers/"

static void refused(const char *name, const char *text, const char *opts, const char *phrase);
static void azure_doc(char *buf, size_t size, const char *interval, const char *metric,
                      const char *point);

/* A figure of `stats --format json` in dir/out: models[0].tpm.METRIC.STAT; NAN if absent. */
static double stat_of(const char *metric, const char *stat)
{
    char *text = slurp("out");
    cJSON *doc = cJSON_Parse(text);
    const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "models"), 0);
    const cJSON *v =
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "tpm"), metric), stat);
    const double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (!cJSON_IsNumber(v))
        fprintf(stderr, "\n  no tpm.%s.%s in:\n%s\n", metric, stat, text);
    cJSON_Delete(doc);
    free(text);
    return d;
}

/* stats of model in db as JSON into dir/out; 0 on success. */
static int stats(const char *db, const char *model)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%%s' stats --db %s --model '%s' --format json", db, model);
    return run(cmd, bin, NULL);
}

/* Azure: two deployments, three minutes from 10:00. gpt-41-prod: prompt 3,000, 6,000, 0 ->
 * input mean 9,000 / 3 = 3,000, max 6,000; generated 600, 900, 0 -> mean 500, max 900.
 * gpt-5-chat: prompt 100, 200, 300 -> mean 200; generated 10, 20 and a minute without a
 * total -> mean (10 + 20 + 0) / 3 = 10 over its three minutes. */
static void test_azure(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db a.db " P "azure-monitor.json", bin, NULL), 0);
    expect_in("out", "azure-monitor, 11 points in 4 series, 2026-05-04T10:00:00Z");
    /* the span asked for (timespan) is the as-of: no "taken as of its last timestamp" */
    char *e = slurp("err");
    CU_ASSERT_PTR_NULL(strstr(e, "as of its last timestamp"));
    free(e);
    CU_ASSERT_EQUAL(stats("a.db", "gpt-41-prod"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 3000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 6000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 500, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 900, 1e-9);
    CU_ASSERT_EQUAL(stats("a.db", "gpt-5-chat"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 200, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 10, 1e-9);
    /* --model puts both deployments under one id, summed per minute: input 3,100, 6,200,
     * 300 -> max 6,200, mean 9,600 / 3 = 3,200 */
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db m.db --model pool " P "azure-monitor.json", bin,
                        NULL),
                    0);
    CU_ASSERT_EQUAL(stats("m.db", "pool"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 6200, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 3200, 1e-9);
}

/* The Azure CLI writes the interval as Python's str of a timedelta ("0:01:00"): the same
 * three minutes as azure-monitor.json, so the same figures (gpt-41-prod input max 6,000,
 * mean 3,000). An hour "1:00:00" is 3,600 s and a day "1 day, 0:00:00" 86,400 s, refused as
 * coarser than a minute with the seconds read; two days is past the longest period (a day);
 * malformed forms are refused. */
static void test_azure_cli_interval(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db c.db " P "azure-monitor-cli.json", bin, NULL), 0);
    expect_in("out", "azure-monitor, 11 points in 4 series, 2026-05-04T10:00:00Z");
    CU_ASSERT_EQUAL(stats("c.db", "gpt-41-prod"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 6000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 3000, 1e-9);
    char doc[2048];
    azure_doc(doc, sizeof doc, "1:00:00", "GeneratedTokens", "\"total\": 5");
    refused("azc1.json", doc, "", "interval \"1:00:00\" (3600 s) is coarser than a minute");
    azure_doc(doc, sizeof doc, "1 day, 0:00:00", "GeneratedTokens", "\"total\": 5");
    refused("azc2.json", doc, "", "interval \"1 day, 0:00:00\" (86400 s) is coarser");
    azure_doc(doc, sizeof doc, "2 days, 0:00:00", "GeneratedTokens", "\"total\": 5");
    /* read (172,800 s), but longer than tierplan's longest period, a day */
    refused("azc3.json", doc, "", "interval \"2 days, 0:00:00\" is not a whole number");
    azure_doc(doc, sizeof doc, "0:1:00", "GeneratedTokens", "\"total\": 5");
    refused("azc4.json", doc, "", "$.interval");
    azure_doc(doc, sizeof doc, "0:00:30.500000", "GeneratedTokens", "\"total\": 5");
    refused("azc5.json", doc, "", "$.interval");
    /* read at its period when --period says so: "0:05:00" is 300 s */
    azure_doc(doc, sizeof doc, "0:05:00", "GeneratedTokens", "\"total\": 600");
    write_file("azc6.json", doc);
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db c5.db --period 300 azc6.json", bin, NULL), 0);
    /* 600 tokens in 5 minutes: 120 TPM */
    CU_ASSERT_EQUAL(stats("c5.db", "d1"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 120, 1e-9);
}

/* 1 when dir/err holds needle. */
static int err_has(const char *needle)
{
    char *e = slurp("err");
    const int found = e != NULL && strstr(e, needle) != NULL;
    free(e);
    return found;
}

/* `ingest --strict` (docs/ci.md) takes a normal export of each provider: no warning. Azure's
 * resourceregion is not recorded and not warned about (docs/formats.md); Cloud Monitoring and
 * OpenAI exports carry their own span, so no "without End=" guess of the as-of. The OpenAI
 * buckets (10:00 .. 10:03, one of them empty) are the span asked for: coverage of each series
 * is known, 3 minutes of 3 = 100 %; Cloud Monitoring's answer states no start (a minute
 * without tokens has no point), so its coverage stays unknown (an empty field in CSV). */
static void test_strict(void)
{
    static const char *const files[] = {"azure-monitor", "azure-monitor-cli", "gcp-timeseries",
                                        "openai-usage"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -f s.db && '%%s' ingest --strict --db s.db " P "%s.json",
                 files[i]);
        CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
        CU_ASSERT_FALSE(err_has("warning"));
        CU_ASSERT_FALSE(err_has("is not recorded"));
        CU_ASSERT_FALSE(err_has("without End="));
        if (i == 3) {
            CU_ASSERT_EQUAL(run("'%s' series --db s.db --format csv", bin, NULL), 0);
            expect_in("out", "\"gpt-4.1-2025-04-14\",\"InputTokenCount\",\"\",\"\",60,"
                             "2026-05-04T10:00:00Z,2026-05-04T10:02:00Z,2,100,");
        }
        if (i == 2) {
            CU_ASSERT_EQUAL(run("'%s' series --db s.db --format csv", bin, NULL), 0);
            expect_in("out", "\"gemini-2.5-flash\",\"InputTokenCount\",\"\",\"\",60,"
                             "2026-05-04T10:00:00Z,2026-05-04T10:02:00Z,3,,");
        }
    }
}

/* An idle day: timeSeries.list answers {"unit": "1"} or {} when no series matches, and the
 * export script saves it as the day's file. {"unit": ...} is read as an export without
 * points anywhere; {} only in a file named as the script names them (tierplan-gcp-*), since
 * {} alone is no format. Either way the other day's 6 points are stored; a {} of another
 * name is refused with every known format named. */
static void test_gcp_idle_day(void)
{
    write_file("tierplan-gcp-20260505T0000Z-001.json", "{}\n");
    write_file("unit.json", "{\n  \"unit\": \"1\"\n}\n");
    CU_ASSERT_EQUAL(run("rm -f i.db && '%s' ingest --strict --db i.db "
                        "tierplan-gcp-20260505T0000Z-001.json unit.json " P "gcp-timeseries.json",
                        bin, NULL),
                    0);
    expect_in("out", "tierplan-gcp-20260505T0000Z-001.json: gcp-monitoring, no datapoints");
    expect_in("out", "unit.json: gcp-monitoring, no datapoints");
    expect_in("out", "gcp-monitoring, 6 points in 2 series");
    CU_ASSERT_EQUAL(stats("i.db", "gemini-2.5-flash"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 180000, 1e-9);
    refused("empty.json", "{}\n", "",
            "empty.json: $: not an export tierplan reads: neither CloudWatch get-metric-data "
            "(MetricDataResults) nor get-metric-statistics (Datapoints) output, nor Azure "
            "Monitor metrics (value[].timeseries), Cloud Monitoring time series (timeSeries) "
            "or OpenAI usage (data[] of buckets)");
    /* {"unit"} with another member is no empty answer */
    refused("unit2.json", "{\"unit\": \"1\", \"x\": 1}\n", "", "not an export tierplan reads");
}

/* Google: two pages of one timeSeries.list (the first with a nextPageToken), token_count of
 * gemini-2.5-flash: input 120,000, 180,000, 60,000 -> mean 120,000, max 180,000; output 9,000,
 * 15,000, 3,000 -> mean 9,000. Only the first page: its minutes are missing, and said so. */
static void test_gcp(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db g.db " P "gcp-timeseries.json", bin, NULL), 0);
    expect_in("out", "gcp-monitoring, 6 points in 2 series");
    CU_ASSERT_EQUAL(stats("g.db", "gemini-2.5-flash"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 120000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 180000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 9000, 1e-9);
    char *e = slurp("err");
    CU_ASSERT_PTR_NULL(strstr(e, "another page follows"));
    free(e);
    /* the first document alone (its 56 lines) */
    CU_ASSERT_EQUAL(run("head -n 56 " P "gcp-timeseries.json > p1.json && '%s' ingest --db "
                        "g1.db p1.json",
                        bin, NULL),
                    0);
    expect_in("err", "another page follows (nextPageToken)");
    /* the bare array of TimeSeries a list command prints */
    write_file("bare.json",
               "[{\"metric\": {\"type\": "
               "\"aiplatform.googleapis.com/publisher/online_serving/token_count\", \"labels\": "
               "{\"type\": \"output\"}}, \"resource\": {\"type\": "
               "\"aiplatform.googleapis.com/PublisherModel\", \"labels\": {\"model_user_id\": "
               "\"gemini-2.5-pro\", \"location\": \"europe-west4\"}}, \"points\": [{\"interval\": "
               "{\"startTime\": \"2026-05-04T10:01:00Z\", \"endTime\": \"2026-05-04T10:02:00Z\"}, "
               "\"value\": {\"int64Value\": \"4200\"}}]}]\n");
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db b.db bare.json", bin, NULL), 0);
    CU_ASSERT_EQUAL(stats("b.db", "gemini-2.5-pro"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 4200, 1e-9);
}

/* OpenAI: three one-minute buckets. gpt-4.1: 5,000 input of which 2,000 cached, 700 output;
 * an empty bucket; 9,000 input of which 1,000 cached, 300 output. Input less cached: 3,000,
 * 0, 8,000 -> mean 11,000 / 3, max 8,000; cache reads 2,000, 0, 1,000 -> mean 1,000; output
 * 700, 0, 300 -> mean 1,000 / 3. o4-mini: one minute, 800 input, 1,200 output. */
static void test_openai(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db o.db " P "openai-usage.json", bin, NULL), 0);
    expect_in("out", "openai-usage, 12 points in 8 series");
    CU_ASSERT_EQUAL(stats("o.db", "gpt-4.1-2025-04-14"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 11000.0 / 3, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 8000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("cache_read", "mean"), 1000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("cache_read", "max"), 2000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 1000.0 / 3, 1e-9);
    CU_ASSERT_EQUAL(stats("o.db", "o4-mini-2025-04-16"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 800, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 1200, 1e-9);
    /* a batch result is skipped, with a warning: 5,000 - 2,000 = 3,000 input alone remain */
    write_file("batch.json",
               "{\"object\": \"page\", \"data\": [{\"object\": \"bucket\", \"start_time\": "
               "1777888800, \"end_time\": 1777888860, \"results\": [{\"object\": "
               "\"organization.usage.completions.result\", \"model\": \"gpt-4.1\", "
               "\"input_tokens\": 5000, \"input_cached_tokens\": 2000, \"output_tokens\": 7, "
               "\"batch\": false}, {\"object\": \"organization.usage.completions.result\", "
               "\"model\": \"gpt-4.1\", \"input_tokens\": 90000, \"output_tokens\": 7, "
               "\"batch\": true}]}], \"has_more\": true, \"next_page\": \"x\"}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db ob.db batch.json", bin, NULL), 0);
    expect_in("err", "1 results of Batch API usage skipped");
    expect_in("err", "another page follows (has_more)");
    CU_ASSERT_EQUAL(stats("ob.db", "gpt-4.1"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 3000, 1e-9);
}

/* Runs `ingest` of file name written from text; expects exit code rc (3: bad input, 2:
 * usage), the phrase in its error, and nothing stored. */
static void refused_rc(int rc, const char *name, const char *text, const char *opts,
                       const char *phrase)
{
    char cmd[512];
    write_file(name, text);
    snprintf(cmd, sizeof cmd, "rm -f r.db && '%%s' ingest --db r.db %s %s", opts, name);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), rc);
    expect_in("err", phrase);
    expect_in("err", "nothing from this command was stored");
}

static void refused(const char *name, const char *text, const char *opts, const char *phrase)
{
    refused_rc(3, name, text, opts, phrase);
}

#define AZ_HEAD "{\"interval\": \"%s\", \"value\": [{\"name\": {\"value\": \"%s\"}, "
#define AZ_TS                                                                           \
    "\"timeseries\": [{\"metadatavalues\": [{\"name\": {\"value\": \"ModelDeploymentName\"}, " \
    "\"value\": \"d1\"}], \"data\": [{\"timeStamp\": \"2026-05-04T10:00:00Z\", %s}]}]}]}\n"

static void azure_doc(char *buf, size_t size, const char *interval, const char *metric,
                      const char *point)
{
    char fmt[1024];
    snprintf(fmt, sizeof fmt, "%s%s", AZ_HEAD, AZ_TS);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(buf, size, fmt, interval, metric, point);
#pragma GCC diagnostic pop
}

static void test_refused(void)
{
    char doc[2048];
    azure_doc(doc, sizeof doc, "PT1M", "TokenTransaction", "\"total\": 5");
    refused("az1.json", doc, "", "$.value[0].name.value: unknown metric \"TokenTransaction\"");
    azure_doc(doc, sizeof doc, "PT1H", "GeneratedTokens", "\"total\": 5");
    refused("az2.json", doc, "",
            "$.interval: interval \"PT1H\" (3600 s) is coarser than a minute: export per "
            "minute, or read it at its period with --period 3600");
    refused("az2.json", doc, "--period 300", "interval \"PT1H\" (3600 s) but --period 300 s");
    azure_doc(doc, sizeof doc, "PT1M", "GeneratedTokens", "\"average\": 5");
    refused("az3.json", doc, "", "$.value[0].timeseries[0].data[0]: no total");
    azure_doc(doc, sizeof doc, "PT1M", "GeneratedTokens", "\"total\": -5");
    refused("az4.json", doc, "", "$.value[0].timeseries[0].data[0].total: value is negative");
    azure_doc(doc, sizeof doc, "PT1M", "GeneratedTokens", "\"total\": 5");
    refused_rc(2, "az5.json", doc, "--metric OutputTokenCount", "--metric does not apply");
    refused("az6.json", "{\"interval\": \"PT1M\", \"value\": [{\"name\": {\"value\": "
                        "\"GeneratedTokens\"}, \"timeseries\": [{\"metadatavalues\": [], "
                        "\"data\": []}]}]}\n",
            "", "$.value[0].timeseries[0].metadatavalues: no ModelDeploymentName");
    refused("az7.json", "{\"interval\": \"PT1M\", \"value\": [{\"name\": {\"value\": "
                        "\"GeneratedTokens\"}, \"timeseries\": [\n",
            "", "malformed JSON");
    /* read at its period when --period says so: one hour of 3,600 tokens is 60 TPM */
    azure_doc(doc, sizeof doc, "PT1H", "GeneratedTokens", "\"total\": 3600");
    write_file("az8.json", doc);
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db h.db --period 3600 az8.json", bin, NULL), 0);
    CU_ASSERT_EQUAL(stats("h.db", "d1"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 60, 1e-9);

    refused("g1.json",
            "{\"timeSeries\": [{\"metric\": {\"type\": "
            "\"aiplatform.googleapis.com/publisher/online_serving/consumed_throughput\"}, "
            "\"resource\": {\"labels\": {\"model_user_id\": \"m\"}}, \"points\": []}]}\n",
            "",
            "$.timeSeries[0].metric.type: unknown metric "
            "\"aiplatform.googleapis.com/publisher/online_serving/consumed_throughput\"");
    refused("g2.json",
            "{\"timeSeries\": [{\"metric\": {\"type\": "
            "\"aiplatform.googleapis.com/publisher/online_serving/token_count\", \"labels\": "
            "{\"type\": \"input\"}}, \"resource\": {\"labels\": {\"model_user_id\": \"m\"}}, "
            "\"points\": [{\"interval\": {\"startTime\": \"2026-05-04T10:00:00Z\", \"endTime\": "
            "\"2026-05-04T10:05:00Z\"}, \"value\": {\"int64Value\": \"10\"}}]}]}\n",
            "", "$.timeSeries[0].points[0].interval: startTime to endTime (300 s) is coarser");
    refused("g3.json",
            "{\"timeSeries\": [{\"metric\": {\"type\": "
            "\"aiplatform.googleapis.com/publisher/online_serving/token_count\", \"labels\": "
            "{\"type\": \"audio\"}}, \"resource\": {\"labels\": {\"model_user_id\": \"m\"}}, "
            "\"points\": []}]}\n",
            "", "metric.labels.type: unknown metric");
    refused("g4.json",
            "{\"timeSeries\": [{\"metric\": {\"type\": "
            "\"aiplatform.googleapis.com/publisher/online_serving/token_count\", \"labels\": "
            "{\"type\": \"input\"}}, \"resource\": {\"labels\": {\"model_user_id\": \"m\"}}, "
            "\"points\": [{\"interval\": {\"startTime\": \"2026-05-04T10:00:00Z\", \"endTime\": "
            "\"2026-05-04T10:01:00Z\"}, \"value\": {\"int64Value\": \"ten\"}}]}]}\n",
            "", "$.timeSeries[0].points[0].value.int64Value: missing or not a number");

    refused("o1.json",
            "{\"object\": \"page\", \"data\": [{\"object\": \"bucket\", \"start_time\": "
            "1777888800, \"end_time\": 1777892400, \"results\": []}]}\n",
            "", "$.data[0]: start_time to end_time (3600 s) is coarser than a minute");
    refused("o2.json",
            "{\"object\": \"page\", \"data\": [{\"object\": \"bucket\", \"start_time\": "
            "1777888800, \"end_time\": 1777888860, \"results\": [{\"model\": \"m\", "
            "\"input_tokens\": 10, \"input_cached_tokens\": 20, \"output_tokens\": 1}]}]}\n",
            "", "$.data[0].results[0].input_cached_tokens: more than input_tokens");
    refused("o3.json",
            "{\"object\": \"page\", \"data\": [{\"object\": \"bucket\", \"start_time\": "
            "1777888800, \"end_time\": 1777888860, \"results\": [{\"object\": "
            "\"organization.usage.embeddings.result\", \"model\": \"m\", \"input_tokens\": 10, "
            "\"output_tokens\": 1}]}]}\n",
            "", "\"organization.usage.embeddings.result\" is not completions usage");
    refused("o4.json",
            "{\"object\": \"page\", \"data\": [{\"object\": \"bucket\", \"start_time\": "
            "1777888800, \"end_time\": 1777888860, \"results\": [{\"model\": null, "
            "\"input_tokens\": 10, \"output_tokens\": 1}]}]}\n",
            "", "$.data[0].results[0].model: missing or null (export with group_by=model");
    /* one transaction: a good file before a bad one leaves nothing */
    CU_ASSERT_EQUAL(run("rm -f t.db && '%s' ingest --db t.db " P "openai-usage.json o2.json",
                        bin, NULL),
                    3);
    CU_ASSERT_NOT_EQUAL(stats("t.db", "gpt-4.1-2025-04-14"), 0);
}

/* recommend on an ingested deployment, priced by a catalog entry of its id (the shipped Claude
 * Opus 4.6 entry's example prices: $5 / $25 per million input / output, reserved minimum
 * 100,000 input and 10,000 output TPM). gpt-41-prod's 3 minutes hold 9,000 input and 1,500
 * output tokens: on demand 9,000 x 5 / 1e6 + 1,500 x 25 / 1e6 = 0.045 + 0.0375 = $0.0825;
 * at the minimum reservation, input utilization 9,000 / (3 x 100,000) = 0.03 and output
 * 1,500 / (3 x 10,000) = 0.05. */
static void test_recommend(void)
{
    write_file("cat.json",
               "{\"currency\": \"USD\", \"tiers\": {\"priority\": 1.75, \"standard\": 1.0, "
               "\"flex\": 0.5, \"batch\": 0.5}, \"models\": {\"gpt-41-prod\": {\"source\": "
               "\"example\", \"as_of\": \"2026-02\", \"on_demand_per_million\": {\"input\": 5.0, "
               "\"output\": 25.0, \"cache_read\": 0.5, \"cache_write\": 6.25}, "
               "\"reserved_per_1k_tpm_hour\": {\"input\": 0.2, \"output\": 1.0}, "
               "\"reserved_example\": true, \"reserved_term_discount\": {\"1\": 1.0}, "
               "\"reserved_offered\": true, \"reserved_minimum_tpm\": {\"input\": 100000, "
               "\"output\": 10000}}}}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db rc.db " P "azure-monitor.json && { '%s' recommend "
                        "--db rc.db --pricing cat.json --model gpt-41-prod --force --format json "
                        "> rec.json; }",
                        bin, bin),
                    0);
    char *text = slurp("rec.json");
    cJSON *doc = cJSON_Parse(text);
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "candidates"), 0);
    const cJSON *base =
        cJSON_GetObjectItem(cJSON_GetObjectItem(c, "cost_usd"), "on_demand_baseline");
    const cJSON *util = cJSON_GetObjectItem(c, "utilization");
    CU_ASSERT_PTR_NOT_NULL_FATAL(base);
    CU_ASSERT_DOUBLE_EQUAL(base->valuedouble, 0.0825, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(util, "input")->valuedouble, 0.03, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(util, "output")->valuedouble, 0.05, 1e-12);
    cJSON_Delete(doc);
    free(text);
}

#define RES "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai"

/* Writes an executable file name (a stand-in for az, gcloud or curl) holding text. */
static void write_tool(const char *name, const char *text)
{
    write_file(name, text);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "chmod +x %s", name);
    CU_ASSERT_EQUAL(run(cmd, NULL, NULL), 0);
}

/* export-cmd --provider: the scripts, run against stand-ins of az, gcloud and curl that print
 * the fixtures; what they write ingests to the fixtures' figures. */
static void test_export_cmd(void)
{
    /* Azure, 2 days to 2026-10-10T00:00Z: a file a day, 10-08 and 10-09 */
    CU_ASSERT_EQUAL(run("{ '%s' export-cmd --provider azure --resource " RES
                        " --days 2 --now 2026-10-10T00:00Z > az.sh; }",
                        bin, NULL),
                    0);
    write_file("out", "");
    CU_ASSERT_EQUAL(run("grep -c '^az monitor metrics list' az.sh", NULL, NULL), 0);
    expect_in("out", "2\n");
    CU_ASSERT_EQUAL(run("cat az.sh", NULL, NULL), 0);
    expect_in("out", "--start-time 2026-10-08T00:00:00Z --end-time 2026-10-09T00:00:00Z");
    expect_in("out", "--interval PT1M --aggregation Total --filter \"ModelDeploymentName eq '*'\"");
    /* under a dimension filter the Metrics API returns 10 series per metric unless told */
    expect_in("out", "eq '*'\" --top 1000 --start-time");
    expect_in("out", "> 'tierplan-azure-20261010T0000Z-002.json.part' || stop");
    expect_in("out", "# then: tierplan ingest tierplan-azure-20261010T0000Z-*.json\n");
    CU_ASSERT_EQUAL(run("mkdir -p bin", NULL, NULL), 0);
    write_tool("bin/az", "#!/bin/sh\ncat \"$TP_TEST_DATA/providers/azure-monitor.json\"\n");
    CU_ASSERT_EQUAL(run("PATH=\"$PWD/bin:$PATH\" sh az.sh && '%s' ingest -q --db ea.db "
                        "tierplan-azure-20261010T0000Z-*.json",
                        bin, NULL),
                    0);
    /* the same day twice: the same minutes, so the figures of test_azure */
    CU_ASSERT_EQUAL(stats("ea.db", "gpt-41-prod"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 6000, 1e-9);
    /* a failing az stops the script with status 3 and leaves no file of that day */
    write_tool("bin/az", "#!/bin/sh\necho '{\"interval\":' ; exit 1\n");
    CU_ASSERT_EQUAL(run("rm -f tierplan-azure-*; PATH=\"$PWD/bin:$PATH\" sh az.sh", NULL, NULL),
                    3);
    expect_in("err", "export stopped: the command for tierplan-azure-20261010T0000Z-001.json");
    CU_ASSERT_NOT_EQUAL(run("ls tierplan-azure-* 2>/dev/null | grep .", NULL, NULL), 0);

    /* Google: one day; the stand-in curl answers page 1 (56 lines, with a nextPageToken)
     * and, asked with that token, page 2 */
    CU_ASSERT_EQUAL(run("{ '%s' export-cmd --provider gcp --project my-project-1 --days 1 --now "
                        "2026-10-10T00:00Z > g.sh; }",
                        bin, NULL),
                    0);
    /* the stand-ins log what a user of ps would see (the command lines) and the header
     * files curl is given; gcloud counts its calls (a token a day) */
    write_tool("bin/gcloud", "#!/bin/sh\necho x >> gcloud.log\necho ya29.token\n");
    write_tool("bin/curl",
               "#!/bin/sh\necho \"curl $*\" >> argv.log\n"
               "for a; do case $a in @*) f=${a#@}; cat \"$f\" >> hdr.log;\n"
               "  ls -l \"$f\" | cut -c1-10 >> mode.log;; esac; done\n"
               "case \"$*\" in\n"
               "  *pageToken=CjIK*) sed -n '57,$p' \"$TP_TEST_DATA/providers/gcp-timeseries.json\" ;;\n"
               "  *) sed -n '1,56p' \"$TP_TEST_DATA/providers/gcp-timeseries.json\" ;;\nesac\n");
    CU_ASSERT_EQUAL(run("rm -f argv.log hdr.log mode.log gcloud.log; PATH=\"$PWD/bin:$PATH\" "
                        "sh g.sh && '%s' ingest --db eg.db tierplan-gcp-20261010T0000Z-001.json",
                        bin, NULL),
                    0);
    expect_in("out", "gcp-monitoring, 6 points in 2 series");
    /* the token reached curl in a header file of mode 0600, never in its command line, and
     * the file is gone when the script ends */
    expect_in("hdr.log", "Authorization: Bearer ya29.token\n");
    expect_in("mode.log", "-rw-------");
    expect_in("argv.log", "curl -sS --fail-with-body -G -H @");
    CU_ASSERT_NOT_EQUAL(run("grep -q ya29 argv.log", NULL, NULL), 0);
    CU_ASSERT_NOT_EQUAL(run("f=$(sed -n 's/.* -H @\\([^ ]*\\) .*/\\1/p' argv.log | head -n 1); "
                            "test -e \"$f\"",
                            NULL, NULL),
                        0);
    CU_ASSERT_EQUAL(stats("eg.db", "gemini-2.5-flash"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 120000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 9000, 1e-9);
    /* the day of the fixture's minutes (2026-05-04), ingested by the line the script ends
     * with: it names the day as the export span, so the series' coverage is known (its 3
     * minutes 10:00 .. 10:02 all inside the span: 100 %) */
    CU_ASSERT_EQUAL(run("{ '%s' export-cmd --provider gcp --project my-project-1 --days 2 --now "
                        "2026-05-05T00:00Z > g2.sh; }",
                        bin, NULL),
                    0);
    expect_in("g2.sh", "\n# then: tierplan ingest --span-from 2026-05-03T00:00:00Z --span-to "
                       "2026-05-05T00:00:00Z tierplan-gcp-20260505T0000Z-*.json\n");
    /* two days (the stand-in answers the same minutes for both: read once), a fresh token
     * for each: gcloud runs twice */
    CU_ASSERT_EQUAL_FATAL(run("rm -f gcloud.log; PATH=\"$PWD/bin:$PATH\" sh g2.sh && "
                              "tail -n 1 g2.sh | sed "
                              "\"s|^# then: tierplan ingest|'%s' ingest --strict --db eg2.db|\" "
                              "| sh",
                              bin, NULL),
                          0);
    CU_ASSERT_EQUAL(run("'%s' series --db eg2.db --format csv", bin, NULL), 0);
    expect_in("out", "\"gemini-2.5-flash\",\"InputTokenCount\",\"\",\"\",60,"
                     "2026-05-04T10:00:00Z,2026-05-04T10:02:00Z,3,100,");
    CU_ASSERT_EQUAL(run("wc -l < gcloud.log", NULL, NULL), 0);
    expect_in("out", "2\n");

    /* OpenAI: without OPENAI_ADMIN_KEY the script stops before any request */
    CU_ASSERT_EQUAL(run("{ '%s' export-cmd --provider openai --days 1 --now 2026-10-10T00:00Z "
                        "> o.sh; }",
                        bin, NULL),
                    0);
    CU_ASSERT_EQUAL(run("cat o.sh", NULL, NULL), 0);
    expect_in("out", "'start_time=1791504000' --data-urlencode 'end_time=1791590400'");
    expect_in("out", "'bucket_width=1m' --data-urlencode 'group_by=model' --data-urlencode "
                     "'batch=false'");
    write_tool("bin/curl", "#!/bin/sh\ncat \"$TP_TEST_DATA/providers/openai-usage.json\"\n");
    /* the header promises status 3 for a script that stops */
    CU_ASSERT_EQUAL(run("unset OPENAI_ADMIN_KEY; PATH=\"$PWD/bin:$PATH\" sh o.sh", NULL, NULL),
                    3);
    expect_in("err", "export stopped: set OPENAI_ADMIN_KEY");
    write_tool("bin/curl", "#!/bin/sh\necho \"curl $*\" >> argv.log\n"
                           "for a; do case $a in @*) cat \"${a#@}\" >> hdr.log;; esac; done\n"
                           "cat \"$TP_TEST_DATA/providers/openai-usage.json\"\n");
    CU_ASSERT_EQUAL(run("rm -f argv.log hdr.log; OPENAI_ADMIN_KEY=sk-admin-secret "
                        "PATH=\"$PWD/bin:$PATH\" sh o.sh && '%s' ingest -q "
                        "--db eo.db tierplan-openai-20261010T0000Z-001.json",
                        bin, NULL),
                    0);
    expect_in("hdr.log", "Authorization: Bearer sk-admin-secret\n");
    CU_ASSERT_NOT_EQUAL(run("grep -q sk-admin argv.log", NULL, NULL), 0);
    /* a refused request (curl --fail-with-body: status 22) shows the API's answer and stops
     * the script with status 3, leaving no file of that day */
    write_tool("bin/curl", "#!/bin/sh\necho '{\"error\": {\"message\": \"Invalid key\"}}'\n"
                           "exit 22\n");
    CU_ASSERT_EQUAL(run("rm -f tierplan-openai-*; OPENAI_ADMIN_KEY=k PATH=\"$PWD/bin:$PATH\" "
                        "sh o.sh",
                        NULL, NULL),
                    3);
    expect_in("err", "Invalid key");
    expect_in("err", "failed (status 22)");
    CU_ASSERT_NOT_EQUAL(run("ls tierplan-openai-* 2>/dev/null | grep .", NULL, NULL), 0);
    CU_ASSERT_EQUAL(stats("eo.db", "gpt-4.1-2025-04-14"), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 8000, 1e-9);

    /* usage errors name the option */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider azure", bin, NULL), 2);
    expect_in("err", "--resource");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider aws", bin, NULL), 2);
    expect_in("err", "--provider: \"aws\" is not azure, gcp or openai");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider gcp --project p-1234 --resource " RES, bin,
                        NULL),
                    2);
    expect_in("err", "--resource applies to --provider azure only");
    /* a resource of another type (a storage account) has none of the metrics read */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider azure --resource /subscriptions/0000/"
                        "resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1",
                        bin, NULL),
                    2);
    expect_in("err", "--resource is not an Azure OpenAI account: its id must be /subscriptions/"
                     "SUB/resourceGroups/RG/providers/Microsoft.CognitiveServices/accounts/NAME");
    /* Azure ids ignore case; a path past the account (a deployment) is no account */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider azure --resource /subscriptions/0000/"
                        "resourcegroups/rg/providers/microsoft.cognitiveservices/accounts/a1 "
                        "> /dev/null",
                        bin, NULL),
                    0);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider azure --resource " RES "/deployments/d1",
                        bin, NULL),
                    2);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider openai --model m", bin, NULL), 2);
    expect_in("err", "--model does not apply with --provider");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --provider gcp --project 'a;b'", bin, NULL), 2);
    expect_in("err", "--project");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli_providers", setup, teardown);
    CU_add_test(s, "Azure Monitor metrics", test_azure);
    CU_add_test(s, "Azure CLI's interval \"0:01:00\"", test_azure_cli_interval);
    CU_add_test(s, "ingest --strict of each provider's export", test_strict);
    CU_add_test(s, "Cloud Monitoring time series", test_gcp);
    CU_add_test(s, "Cloud Monitoring: an idle day's empty answer", test_gcp_idle_day);
    CU_add_test(s, "OpenAI usage buckets", test_openai);
    CU_add_test(s, "bad provider exports refused", test_refused);
    CU_add_test(s, "recommend on a deployment", test_recommend);
    CU_add_test(s, "export-cmd --provider", test_export_cmd);
}
