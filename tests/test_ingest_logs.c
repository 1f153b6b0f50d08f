/* test_ingest_logs.c - invocation logs: the record shapes, what is skipped and warned about,
 * additivity per source object, the normalisations, attribution, the choice between metrics
 * and logs, the schema migration, and a generated day of logs summed exactly. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "genlogs.h"
#include "tierplan/awscmd_logs.h"
#include "ingest/logs/ingest_logs.h"
#include "test_util.h"

void register_tests(void);

#define FM "anthropic.claude-3-haiku-20240307-v1:0"
#define ROLE_A "arn:aws:sts::123456789012:assumed-role/TeamA"

/* A ConverseStream record as Bedrock writes it (bodies shortened), 2025-08-15T12:44:54Z. */
#define REC_STREAM                                                                                 \
    "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":"              \
    "\"2025-08-15T12:44:54Z\",\"accountId\":\"123456789012\",\"identity\":{\"arn\":"               \
    "\"" ROLE_A "/session-1\"},\"region\":\"us-east-1\",\"requestId\":\"r1\",\"operation\":"       \
    "\"ConverseStream\",\"modelId\":\"arn:aws:bedrock:us-east-1::foundation-model/" FM "\","       \
    "\"input\":{\"inputContentType\":\"application/json\",\"inputBodyJson\":{\"messages\":"        \
    "[{\"role\":\"user\",\"content\":[{\"text\":\"}{\"}]}]},\"inputTokenCount\":100,"              \
    "\"cacheReadInputTokenCount\":10,\"cacheWriteInputTokenCount\":5},\"output\":"                 \
    "{\"outputContentType\":\"application/json\",\"outputBodyJson\":{\"usage\":"                   \
    "{\"inputTokens\":100,\"outputTokens\":50}},\"outputTokenCount\":50},"                         \
    "\"requestMetadata\":{\"team\":\"search\"}}"

/* 2025-08-15T12:44Z is minute 29,254,364 (1,755,261,840 s / 60). */
#define MIN_1244 29254364LL

static int64_t q_i(tp_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static tp_status ingest_text(tp_store *s, const tp_ingest_options *o, const char *name,
                             const char *text, tp_ingest_summary *sum, warnings *w)
{
    tp_ingest_options opts = {0};
    tp_error err;
    if (o != NULL)
        opts = *o;
    opts.warn = collect_warning;
    opts.warn_ctx = w;
    return ingest_one(s, &opts, name, text, sum, &err);
}

/* One good record, one error, one without tokens, junk, an unknown schema: the counts, the
 * warnings with line numbers, and the sums (the error is a request with no tokens). */
static void test_lines_and_problems(void)
{
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    const char *text = REC_STREAM
        "\n"
        "{\"schemaVersion\":\"1.0\",\"timestamp\":\"2025-08-15T12:44:01.5Z\",\"requestId\":\"r2\","
        "\"modelId\":\"" FM "\",\"errorCode\":\"ValidationException\"}\n"
        "\n"
        "{\"timestamp\":\"2025-08-15T12:45:00Z\",\"requestId\":\"r3\",\"modelId\":\"" FM "\","
        "\"operation\":\"ListThings\"}\n"
        "not json at all\n"
        "{\"schemaVersion\":\"2.0\",\"timestamp\":\"2025-08-15T12:45:00Z\",\"requestId\":\"r4\","
        "\"modelId\":\"" FM "\"}\n"
        "{\"timestamp\":\"yesterday\",\"requestId\":\"r5\",\"modelId\":\"" FM "\"}";
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "a.jsonl", text, &sum, &w), TP_OK);
    CU_ASSERT_STRING_EQUAL(sum.format, "invocation-log");
    CU_ASSERT_EQUAL(sum.records, 6); /* the blank line is no record */
    CU_ASSERT_EQUAL(sum.log_errors, 1);
    CU_ASSERT_EQUAL(sum.log_no_tokens, 1);
    CU_ASSERT_EQUAL(sum.log_malformed, 2);
    CU_ASSERT_EQUAL(sum.log_unknown_schema, 1);
    CU_ASSERT_EQUAL(sum.first_minute, MIN_1244);
    CU_ASSERT_EQUAL(sum.last_minute, MIN_1244 + 1);
    /* each reason apart: line 7 is JSON, without a timestamp */
    ASSERT_CONTAINS(w.text, "a.jsonl: 1 malformed record skipped (line 5): not a JSON object\n");
    ASSERT_CONTAINS(w.text, "a.jsonl: 1 malformed record skipped (line 7): no timestamp in ISO");
    ASSERT_CONTAINS(w.text, "a.jsonl: 1 record of an unknown schemaVersion skipped (line 6): 2.0");
    ASSERT_CONTAINS(w.text,
                    "a.jsonl: 1 record without token counts, counted as a request (line 4)");
    /* 12:44, role A: 1 request, 100/50/10/5 tokens; 12:44 "unknown" key: the error; 12:45:
     * the record without tokens */
    CU_ASSERT_EQUAL(q_i(s, "SELECT input_tokens*1000000+output_tokens*10000+cache_read_tokens*100"
                           "+cache_write_tokens FROM log_minutes WHERE attr_key='" ROLE_A "'"),
                    100LL * 1000000 + 50 * 10000 + 10 * 100 + 5);
    CU_ASSERT_EQUAL(q_i(s, "SELECT requests*10+errors FROM log_minutes WHERE attr_key='unknown' "
                           "AND minute=29254364"),
                    11);
    CU_ASSERT_EQUAL(q_i(s, "SELECT requests*10+errors+input_tokens FROM log_minutes WHERE "
                           "minute=29254365"),
                    10);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_minutes WHERE model='" FM "'"), 3);
    tp_store_close(s);
}

/* Each reason of a skipped record is counted and warned about apart: lines 4 and 5 lack a
 * timestamp, lines 6 and 7 have a negative count, and only line 3 lacks a modelId. By
 * metadata:team, line 2 has no team: it goes under "unknown" with a warning naming it; a
 * mistyped KEY (metadata:teem) warns about every record kept. */
static void test_reasons_apart(void)
{
#define R_(rest) "{\"requestId\":\"r\"," rest "}\n"
#define TS_ "\"timestamp\":\"2025-08-15T12:44:00Z\","
#define TOK_ "\"input\":{\"inputTokenCount\":10},\"output\":{\"outputTokenCount\":1}"
    const char *text =
        R_("\"modelId\":\"" FM "\"," TS_ "\"requestMetadata\":{\"team\":\"a\"}," TOK_)
        R_("\"modelId\":\"" FM "\"," TS_ TOK_)
        R_(TS_ TOK_)
        R_("\"modelId\":\"" FM "\",\"timestamp\":\"yesterday\"," TOK_)
        R_("\"modelId\":\"" FM "\",\"timestamp\":\"2025-13-15T12:00:00Z\"," TOK_)
        R_("\"modelId\":\"" FM "\"," TS_ "\"input\":{\"inputTokenCount\":-10}")
        R_("\"modelId\":\"" FM "\"," TS_ "\"output\":{\"outputTokenCount\":-1}");
#undef R_
#undef TS_
#undef TOK_
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_options o = {0};
    tp_ingest_summary sum;
    o.attribute_by = "metadata:team";
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, &o, "x.jsonl", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.log_malformed, 5);
    ASSERT_CONTAINS(w.text, "x.jsonl: 1 malformed record skipped (line 3): no modelId\n");
    ASSERT_CONTAINS(w.text, "x.jsonl: 2 malformed records skipped (lines 4, 5): no timestamp");
    ASSERT_CONTAINS(w.text, "x.jsonl: 2 malformed records skipped (lines 6, 7): a token count");
    ASSERT_CONTAINS(w.text, "x.jsonl: 1 record without requestMetadata.team, attributed to "
                            "\"unknown\" (line 2)\n");
    CU_ASSERT_EQUAL(w.count, 4);
    tp_store_close(s);
    s = open_mem();
    memset(&w, 0, sizeof w);
    o.attribute_by = "metadata:teem";
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, &o, "x.jsonl", text, &sum, &w), TP_OK);
    ASSERT_CONTAINS(w.text, "x.jsonl: 2 records without requestMetadata.teem, attributed to "
                            "\"unknown\" (lines 1, 2)\n");
    tp_store_close(s);
}

/* A pretty-printed record, an array and concatenated records read as the same sums; a record
 * cut off at the end is reported with the line it starts on. */
static void test_document_shapes(void)
{
    const char *shapes[] = {
        "{\n  \"schemaType\": \"ModelInvocationLog\",\n  \"timestamp\": \"2025-08-15T12:44:54Z\","
        "\n  \"requestId\": \"x\", \"modelId\": \"" FM "\",\n  \"input\": {\"inputTokenCount\": 7},"
        "\n  \"output\": {\"outputTokenCount\": 3}\n}\n",
        "[\n" REC_STREAM ",\n" REC_STREAM "\n]\n",
        "{\n\"requestId\":\"a\",\"modelId\":\"" FM "\",\"timestamp\":\"2025-08-15T12:44:00Z\","
        "\"input\":{\"inputTokenCount\":1}}\n{\n\"requestId\":\"b\",\"modelId\":\"" FM "\","
        "\"timestamp\":\"2025-08-15T12:44:00Z\",\"input\":{\"inputTokenCount\":2}}\n{\n\"cut\":",
        "\xEF\xBB\xBF" REC_STREAM "\r\n" REC_STREAM "\r\n", /* a byte order mark, CRLF */
    };
    /* the record cut off at the end is read and refused: records 3 = 2 stored + 1 refused */
    const int64_t want_in[] = {7, 200, 3, 200}, want_records[] = {1, 2, 3, 2};
    for (int i = 0; i < 4; i++) {
        tp_store *s = open_mem();
        warnings w = {{0}, 0};
        tp_ingest_summary sum;
        CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "doc.json", shapes[i], &sum, &w), TP_OK);
        CU_ASSERT_EQUAL(sum.records, (size_t)want_records[i]);
        CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), want_in[i]);
        if (i == 2)
            ASSERT_CONTAINS(w.text,
                            "doc.json: 1 malformed record skipped (line 5): a record cut off");
        else
            CU_ASSERT_EQUAL(w.count, 0);
        tp_store_close(s);
    }
}

/* Additive per object: the same bytes from stdin (sha256) or the same path again add
 * nothing; another object with the same records adds again. */
static void test_additive(void)
{
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL(ingest_text(s, NULL, "<stdin>", REC_STREAM, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(ingest_text(s, NULL, "<stdin>", REC_STREAM, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.duplicate, 1);
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 100);
    char dir[] = "/tmp/tplogsXXXXXX", path[300];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/obj.json", dir);
    FILE *f = fopen(path, "w");
    fputs(REC_STREAM "\n", f);
    fclose(f);
    for (int i = 0; i < 2; i++) {
        tp_ingest *ing = NULL;
        tp_error err;
        tp_ingest_options o = {0};
        CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
        CU_ASSERT_EQUAL(tp_ingest_file(ing, path, &sum, &err), TP_OK);
        CU_ASSERT_EQUAL(tp_ingest_file(ing, path, &sum, &err), TP_OK); /* same command */
        CU_ASSERT_EQUAL(sum.duplicate, 1);
        CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
        tp_ingest_free(ing);
    }
    /* the stdin copy and the file are two objects: 100 + 100 */
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 200);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_objects"), 2);
    unlink(path);
    rmdir(dir);
    tp_store_close(s);
}

static void test_normalise(void)
{
    char b[512];
    CU_ASSERT_STRING_EQUAL(log_model_id("arn:aws:bedrock:us-east-1::foundation-model/" FM), FM);
    CU_ASSERT_STRING_EQUAL(log_model_id("arn:aws:bedrock:us-east-1:1:inference-profile/us." FM),
                           "us." FM);
    CU_ASSERT_STRING_EQUAL(log_model_id("arn:aws:bedrock:us-east-1:1:provisioned-model/abc"),
                           "arn:aws:bedrock:us-east-1:1:provisioned-model/abc");
    CU_ASSERT_STRING_EQUAL(log_model_id("arn:aws:bedrock:us-east-1:1:application-inference-"
                                        "profile/p1"),
                           "arn:aws:bedrock:us-east-1:1:application-inference-profile/p1");
    CU_ASSERT_STRING_EQUAL(log_model_id(FM), FM);
    CU_ASSERT_STRING_EQUAL(log_identity(ROLE_A "/sess", b, sizeof b), ROLE_A);
    CU_ASSERT_STRING_EQUAL(log_identity("arn:aws:iam::1:user/bob", b, sizeof b),
                           "arn:aws:iam::1:user/bob");
}

/* Attribution by metadata, operation and region; more than 1,000 metadata keys of a model
 * fold into "other" with a warning. */
static void test_attribution(void)
{
    const char *by[] = {"metadata:team", "operation", "region"};
    const char *key[] = {"search", "ConverseStream", "us-east-1"};
    for (int i = 0; i < 3; i++) {
        tp_store *s = open_mem();
        warnings w = {{0}, 0};
        tp_ingest_options o = {0};
        o.attribute_by = by[i];
        CU_ASSERT_EQUAL(ingest_text(s, &o, "a", REC_STREAM, NULL, &w), TP_OK);
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT input_tokens FROM log_minutes WHERE attr_by='%s' AND "
                 "attr_key='%s'",
                 by[i], key[i]);
        CU_ASSERT_EQUAL(q_i(s, sql), 100);
        tp_store_close(s);
    }
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_options o = {0};
    tp_ingest_summary sum;
    o.attribute_by = "metadata:trace";
    size_t cap = 1005 * 200, n = 0;
    char *text = malloc(cap);
    for (int i = 0; i < 1003; i++)
        n += (size_t)snprintf(text + n, cap - n,
                              "{\"requestId\":\"r\",\"modelId\":\"" FM "\","
                              "\"timestamp\":\"2025-08-15T12:44:00Z\",\"input\":{\"inputTokenCount"
                              "\":1},\"requestMetadata\":{\"trace\":\"t%d\"}}\n",
                              i);
    CU_ASSERT_EQUAL(ingest_text(s, &o, "many", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.log_folded, 3);
    CU_ASSERT_EQUAL(q_i(s, "SELECT input_tokens FROM log_minutes WHERE attr_key='other'"), 3);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_minutes"), 1001);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_keys"), 1001);
    /* a second object: the stored keys count, a new key is folded at once */
    CU_ASSERT_EQUAL(ingest_text(s, &o, "more",
                                "{\"requestId\":\"r\",\"modelId\":\"" FM "\",\"timestamp\":"
                                "\"2025-08-15T12:45:00Z\",\"input\":{\"inputTokenCount\":5},"
                                "\"requestMetadata\":{\"trace\":\"t-new\"}}",
                                &sum, &w),
                    TP_OK);
    CU_ASSERT_EQUAL(sum.log_folded, 1);
    ASSERT_CONTAINS(w.text, "more than 1000 distinct metadata:trace keys per model: 3 records");
    CU_ASSERT_EQUAL(tp_ingest_begin(s, &(tp_ingest_options){.attribute_by = "team"},
                                    &(tp_ingest *){NULL}, &(tp_error){0}),
                    TP_ERR_USAGE);
    free(text);
    tp_store_close(s);
}

/* Log sums read back from an export CSV get the cap logs get when first ingested: 1,003
 * metadata keys of a model in one minute, each with 2 sums (input_tokens 1, requests 1): the
 * first 1,000 are kept, the last 3 (6 lines) fold into "other" (input 3, requests 3); k0 again
 * in the next minute is kept. A second file: k5 is stored (kept), k-new is new past the cap
 * (folded: 2 lines), counting the keys stored before. */
static void test_export_cap(void)
{
    static const char head[] = "timestamp,model,metric,value,tier,service_tier,period_s,region,"
                               "account,source,attribute_by,key\n";
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    size_t cap = 1010 * 2 * 120, n = 0;
    char *text = malloc(cap);
    CU_ASSERT_FATAL(text != NULL);
    n += (size_t)snprintf(text + n, cap - n, "%s", head);
    for (int i = 0; i < 1004; i++)
        for (int m = 0; m < 2; m++)
            n += (size_t)snprintf(text + n, cap - n,
                                  "2025-08-15T12:%02d:00Z," FM ",%s,1,,,60,,,logs,metadata:team,"
                                  "k%d\n",
                                  i == 1003 ? 45 : 44, m ? "requests" : "input_tokens",
                                  i == 1003 ? 0 : i);
    CU_ASSERT_EQUAL(ingest_text(s, NULL, "exp.csv", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.log_folded, 6);
    ASSERT_CONTAINS(w.text, "exp.csv: more than 1000 distinct metadata:team keys per model: 6 "
                            "lines folded into \"other\"");
    CU_ASSERT_EQUAL(q_i(s, "SELECT input_tokens FROM log_minutes WHERE attr_key='other'"), 3);
    CU_ASSERT_EQUAL(q_i(s, "SELECT requests FROM log_minutes WHERE attr_key='other'"), 3);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_minutes WHERE attr_key='k1002'"), 0);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_minutes WHERE attr_key='k0'"), 2);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_keys"), 1001);
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 1004);
    n = (size_t)snprintf(text, cap,
                         "%s2025-08-15T12:46:00Z," FM ",input_tokens,7,,,60,,,logs,metadata:team,"
                         "k5\n2025-08-15T12:46:00Z," FM ",input_tokens,9,,,60,,,logs,"
                         "metadata:team,k-new\n2025-08-15T12:46:00Z," FM ",requests,1,,,60,,,"
                         "logs,metadata:team,k-new\n",
                         head);
    CU_ASSERT_EQUAL(ingest_text(s, NULL, "more.csv", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.log_folded, 2);
    CU_ASSERT_EQUAL(q_i(s, "SELECT input_tokens FROM log_minutes WHERE attr_key='k5' AND "
                           "minute = 29254366"),
                    7);
    CU_ASSERT_EQUAL(q_i(s, "SELECT input_tokens FROM log_minutes WHERE attr_key='other' AND "
                           "minute = 29254366"),
                    9);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_keys"), 1001);
    free(text);
    tp_store_close(s);
}

/* The extent of a model's log sums at a place (every load asks it, by two index probes): two
 * records in us-east-1 of account 1, at 12:44 (Unix minute 29,254,364) and 12:47; none at
 * the place of metrics without a region; any place and keys as before. */
static void test_log_span(void)
{
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_error err;
    int found = -1;
    int64_t first = 0, last = 0;
    CU_ASSERT_EQUAL_FATAL(
        ingest_text(s, NULL, "span",
                    "{\"requestId\":\"r\",\"modelId\":\"" FM "\",\"region\":\"us-east-1\","
                    "\"accountId\":\"111122223333\",\"timestamp\":\"2025-08-15T12:47:10Z\","
                    "\"identity\":{\"arn\":\"arn:aws:iam::111122223333:user/a\"},"
                    "\"input\":{\"inputTokenCount\":5}}\n"
                    "{\"requestId\":\"r\",\"modelId\":\"" FM "\",\"region\":\"us-east-1\","
                    "\"accountId\":\"111122223333\",\"timestamp\":\"2025-08-15T12:44:00Z\","
                    "\"identity\":{\"arn\":\"arn:aws:iam::111122223333:user/b\"},"
                    "\"input\":{\"inputTokenCount\":7}}\n",
                    NULL, &w),
        TP_OK);
    const store_place here = {"us-east-1", "111122223333"}, none = {"", ""},
                      region_only = {"us-east-1", NULL}, other = {"eu-west-1", "111122223333"};
    const store_place *const at[] = {NULL, &here, &region_only, &none, &other};
    for (int i = 0; i < 5; i++) {
        found = -1;
        CU_ASSERT_EQUAL(store_log_span_at(s, FM, at[i], NULL, 0, &found, &first, &last, &err),
                        TP_OK);
        CU_ASSERT_EQUAL(found, i < 3);
        if (i < 3) {
            CU_ASSERT_EQUAL(first, 29254364);
            CU_ASSERT_EQUAL(last, 29254367);
        }
    }
    const char *const keys[] = {"arn:aws:iam::111122223333:user/a"};
    CU_ASSERT_EQUAL(store_log_span_at(s, FM, &here, keys, 1, &found, &first, &last, &err), TP_OK);
    CU_ASSERT_EQUAL(found, 1);
    CU_ASSERT_EQUAL(first, 29254367);
    CU_ASSERT_EQUAL(last, 29254367);
    CU_ASSERT_EQUAL(store_log_span_at(s, "no.such-model", NULL, NULL, 0, &found, &first, &last,
                                      &err),
                    TP_OK);
    CU_ASSERT_EQUAL(found, 0);
    tp_store_close(s);
}

/* Metrics where the model has metric data in the window, else logs (the metrics here have no
 * region, the logs one: two places, never blended minute by minute); --source picks; keys
 * select logs; the ratio compares the two over the minutes both cover. */
static void test_source_selection(void)
{
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_error err;
    tp_series *ser = NULL;
    /* metrics: 12:44 input 80 (logs say 100 there); logs also at 12:50 */
    const char *csv = "2025-08-15T12:44:00Z," FM ",InputTokenCount,80\n";
    CU_ASSERT_EQUAL_FATAL(
        ingest_text(s, &(tp_ingest_options){.period_s = 60}, "m.csv", csv, NULL, &w), TP_OK);
    char later[4096];
    snprintf(later, sizeof later, "%s\n%s", REC_STREAM, REC_STREAM);
    char *p = strstr(later + 1, "12:44:54");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p = strstr(p + 1, "12:44:54"));
    memcpy(p, "12:50", 5);
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "l.jsonl", later, NULL, &w), TP_OK);
    tp_series_query q = {0};
    q.model = FM;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 1); /* the metric window: 12:44 only */
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 80);
    tp_series_free(ser);
    q.has_from = 1, q.from_minute = MIN_1244 + 5; /* 12:49 on: no metric data -> logs */
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_INPUT), "invocation logs");
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 2); /* 12:49 .. 12:50 */
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[1], 100);
    tp_series_free(ser);
    q.source = TP_SOURCE_METRICS;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    q.has_from = 0, q.source = TP_SOURCE_LOGS;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_minutes(ser), 7); /* 12:44 .. 12:50 */
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 100);
    tp_series_free(ser);
    const char *keys[] = {"nobody"};
    q.source = TP_SOURCE_AUTO, q.keys = keys, q.n_keys = 1;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    q.source = TP_SOURCE_METRICS;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_USAGE);
    /* ratio over 12:44: logs 100 + 50 + 10 + 5 = 165 tokens, metrics 80 */
    int both = 0;
    double lt = 0, mt = 0;
    q.source = TP_SOURCE_AUTO, q.n_keys = 0;
    CU_ASSERT_EQUAL(tp_series_compare_sources(s, &q, &both, &lt, &mt, &err), TP_OK);
    CU_ASSERT_EQUAL(both, 1);
    CU_ASSERT_EQUAL(lt, 165);
    CU_ASSERT_EQUAL(mt, 80);
    tp_store_close(s);
}

/*
 * Item: the stats report carries each model's logs/metrics comparison, worked out once in the
 * model layer. Metrics: 12:44 input 80. Logs: the REC_STREAM records, 100 + 50 + 10 + 5 = 165
 * tokens in 12:44. The ratio over the metric window is 165 / 80 = 2.0625 (exact in binary).
 * With attribution keys the logs are a part by design: no comparison (both 0). The metrics are
 * stored in the records' place (us-east-1, 123456789012): metrics of another place, or of
 * none, are another entry, compared with nothing.
 */
static void test_stats_report_sources(void)
{
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_error err;
    tp_stats_report *r = NULL;
    const char *csv = "2025-08-15T12:44:00Z," FM ",InputTokenCount,80\n";
    CU_ASSERT_EQUAL_FATAL(
        ingest_text(s,
                    &(tp_ingest_options){.period_s = 60, .region = "us-east-1",
                                         .account = "123456789012"},
                    "m.csv", csv, NULL, &w),
        TP_OK);
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "l.jsonl", REC_STREAM, NULL, &w), TP_OK);
    tp_stats_request req = {0};
    req.model = FM;
    /* not asked for (a JSON or CSV report): no comparison, no second load */
    CU_ASSERT_EQUAL_FATAL(tp_stats_report_compute(s, &req, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r->sources[0].both, 0);
    tp_stats_report_free(r);
    r = NULL;
    req.compare_sources = 1;
    CU_ASSERT_EQUAL_FATAL(tp_stats_report_compute(s, &req, &r, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(r->n, 1);
    CU_ASSERT_EQUAL(r->sources[0].both, 1);
    CU_ASSERT_EQUAL(r->sources[0].logs_tokens, 165);
    CU_ASSERT_EQUAL(r->sources[0].metric_tokens, 80);
    CU_ASSERT_EQUAL(r->sources[0].logs_per_metric, 2.0625);
    tp_stats_report_free(r);
    const char *keys[] = {ROLE_A};
    req.keys = keys;
    req.n_keys = 1;
    r = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_stats_report_compute(s, &req, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r->sources[0].both, 0);
    tp_stats_report_free(r);
    tp_store_close(s);
}

/* A version 2 file, written as version 2 wrote it (with a stored point and its ingest), is
 * migrated to the current version: its data kept, the log tables there and usable. */
static void test_migrate_v2(void)
{
    char path[] = "/tmp/tpmigXXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    sqlite3 *db = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    const char *v2 =
        "CREATE TABLE series(id INTEGER PRIMARY KEY, model TEXT NOT NULL, metric TEXT NOT NULL,"
        " service_tier TEXT NOT NULL DEFAULT '', resolved_tier TEXT NOT NULL DEFAULT '',"
        " period_s INTEGER NOT NULL CHECK (period_s > 0 AND period_s % 60 = 0),"
        " UNIQUE (model, metric, service_tier, resolved_tier, period_s));"
        "CREATE TABLE ingests(id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
        " sha256 TEXT NOT NULL, format TEXT NOT NULL, ingested_at TEXT NOT NULL,"
        " points INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0,"
        " replaced INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,"
        " kept_newer INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE days(series_id INTEGER NOT NULL REFERENCES series(id),"
        " day INTEGER NOT NULL, n INTEGER NOT NULL, minutes BLOB NOT NULL,"
        " PRIMARY KEY (series_id, day)) WITHOUT ROWID;"
        "CREATE TABLE ingest_series(ingest_id INTEGER NOT NULL REFERENCES ingests(id),"
        " series_id INTEGER NOT NULL REFERENCES series(id), as_of INTEGER NOT NULL,"
        " PRIMARY KEY (ingest_id, series_id)) WITHOUT ROWID;"
        "INSERT INTO series VALUES (1, 'm', 'InputTokenCount', '', '', 60);"
        "INSERT INTO ingests VALUES (1, 'a.json', '', 'json', '2026-10-05T14:03:00Z', 1, 1, 0, 0,"
        " 0);"
        "INSERT INTO ingest_series VALUES (1, 1, 1791208980);"
        "PRAGMA user_version = 2;";
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(db, v2, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    tp_store *s = NULL;
    tp_error err;
    int v = 0;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &v, &err), TP_OK);
    CU_ASSERT_EQUAL(v, TP_SCHEMA_VERSION);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM ingest_series"), 1);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_objects"), 0);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_keys"), 0);
    warnings w = {{0}, 0};
    CU_ASSERT_EQUAL(ingest_text(s, NULL, "a", REC_STREAM, NULL, &w), TP_OK);
    CU_ASSERT_EQUAL(q_i(s, "SELECT input_tokens FROM log_minutes"), 100);
    tp_store_close(s);
    unlink(path);
}

static void mkdirs(const char *base, const char *rel, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", base, rel);
    for (char *p = out + strlen(base) + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(out, 0700);
            *p = '/';
        }
    mkdir(out, 0700);
}

/* Minutes of a team whose stored sums differ from the generator's truth. The query names the
 * place the generated records carry (us-east-1, GENLOGS_ACCOUNT): with the whole primary key
 * it is one lookup a minute, without it a scan of the model's rows (80x slower). */
static int mismatches(tp_store *s, const genlogs_truth *truth, int minutes, int64_t start_s)
{
    int bad = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT requests, errors, input_tokens, output_tokens, "
                           "cache_read_tokens, cache_write_tokens FROM log_minutes WHERE model = "
                           "?1 AND region = 'us-east-1' AND account = '" GENLOGS_ACCOUNT "' AND "
                           "attr_by = 'identity' AND attr_key = ?2 AND minute = ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int t = 0; t < GENLOGS_TEAMS; t++) {
        char role[200];
        snprintf(role, sizeof role, "arn:aws:sts::" GENLOGS_ACCOUNT ":assumed-role/%s",
                 genlogs_team(t));
        for (int m = 0; m < minutes; m++) {
            const genlogs_truth *g = &truth[m * GENLOGS_TEAMS + t];
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, FM, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, role, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 3, start_s / 60 + m);
            const int row = sqlite3_step(st) == SQLITE_ROW;
            if (!row ? g->requests != 0
                     : sqlite3_column_int64(st, 0) != g->requests ||
                           sqlite3_column_int64(st, 1) != g->errors ||
                           sqlite3_column_int64(st, 2) != g->input ||
                           sqlite3_column_int64(st, 3) != g->output ||
                           sqlite3_column_int64(st, 4) != g->cache_read ||
                           sqlite3_column_int64(st, 5) != g->cache_write)
                bad++;
        }
    }
    sqlite3_finalize(st);
    return bad;
}

/* More distinct minute sums than ingest holds before adding them to the store (8,192): the
 * flushed sums are added to the store's, and every minute still equals the truth. */
static void test_flush_midstream(void)
{
    enum { MINUTES = 6000 }; /* about 12,000 (minute, team) sums with records */
    static genlogs_truth truth[MINUTES * GENLOGS_TEAMS];
    char path[] = "/tmp/tpflushXXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    const genlogs_params p = {"arn:aws:bedrock:us-east-1::foundation-model/" FM, 1755216000,
                              MINUTES, 2, 9};
    memset(truth, 0, sizeof truth);
    CU_ASSERT_FATAL(genlogs_write(&p, 0, MINUTES, path, 0, truth) > 0);
    tp_store *s = open_mem();
    tp_ingest *ing = NULL;
    tp_ingest_summary sum;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_file(ing, path, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    CU_ASSERT(sum.points > 8192);
    CU_ASSERT_EQUAL(mismatches(s, truth, MINUTES, p.start_s), 0);
    tp_store_close(s);
    unlink(path);
}

/* A generated day of three teams, the first half plain and the second gzip in a synced S3
 * prefix (with a data/ folder and the permission check object to skip): every minute of
 * every team equals the generator's truth exactly, by identity and in total. */
static void test_generated_day(void)
{
    enum { MINUTES = 1440 };
    static genlogs_truth truth[MINUTES * GENLOGS_TEAMS];
    char dir[] = "/tmp/tpdayXXXXXX", d1[400], d2[400], f1[500], f2[500], junk[500];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    mkdirs(dir, "AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/2025/08/15/00", d1,
           sizeof d1);
    mkdirs(dir, "AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/2025/08/15/12", d2,
           sizeof d2);
    mkdirs(dir, "AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/2025/08/15/12/data",
           junk, sizeof junk);
    snprintf(f1, sizeof f1, "%s/part1.json", d1);
    snprintf(f2, sizeof f2, "%s/part2.json.gz", d2);
    const genlogs_params p = {"arn:aws:bedrock:us-east-1::foundation-model/" FM,
                              1755216000 /* 2025-08-15T00:00Z */, MINUTES, 3, 42};
    memset(truth, 0, sizeof truth);
    CU_ASSERT_FATAL(genlogs_write(&p, 0, MINUTES / 2, f1, 0, truth) > 0);
    CU_ASSERT_FATAL(genlogs_write(&p, MINUTES / 2, MINUTES, f2, 1, truth) > 0);
    snprintf(junk + strlen(junk), sizeof junk - strlen(junk), "/body.json");
    FILE *f = fopen(junk, "w");
    fputs("{\"not\":\"a record\"}", f);
    fclose(f);
    snprintf(junk, sizeof junk,
             "%s/AWSLogs/123456789012/BedrockModelInvocationLogs/"
             "amazon-bedrock-logs-permission-check",
             dir);
    f = fopen(junk, "w");
    fputs("check", f);
    fclose(f);

    tp_store *s = open_mem();
    tp_error err;
    char **paths = NULL;
    size_t n = 0;
    tp_ingest *ing = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_expand_path(dir, &paths, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(paths[1], "part2.json.gz"));
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_files(ing, (const char *const *)paths, n, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    /* both objects by their S3 keys, wherever the prefix was synced */
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_objects WHERE object LIKE 'AWSLogs/%'"), 2);

    CU_ASSERT_EQUAL(mismatches(s, truth, MINUTES, p.start_s), 0);
    /* the series of the logs: each minute's input is the three teams' sum */
    tp_series *ser = NULL;
    tp_series_query q = {0};
    q.model = FM;
    q.has_from = 1, q.from_minute = p.start_s / 60, q.has_to = 1,
    q.to_minute = q.from_minute + MINUTES;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    const double *in = tp_series_values(ser, TP_METRIC_INPUT);
    int bad = 0;
    for (int m = 0; m < MINUTES; m++) {
        int64_t want = 0;
        for (int t = 0; t < GENLOGS_TEAMS; t++)
            want += truth[m * GENLOGS_TEAMS + t].input;
        bad += in[m] != (double)want;
    }
    CU_ASSERT_EQUAL(bad, 0);
    tp_series_free(ser);
    tp_strv_free(paths, n);
    tp_store_close(s);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

static tp_status ingest_fixture(tp_store *s, const char *attr, const char *name,
                                tp_ingest_summary *sum, warnings *w)
{
    char path[512];
    const char *dir = getenv("TP_TEST_DATA");
    tp_ingest *ing = NULL;
    tp_ingest_options o = {0};
    tp_error err;
    snprintf(path, sizeof path, "%s/logs/%s", dir != NULL ? dir : "tests/data", name);
    o.attribute_by = attr, o.warn = collect_warning, o.warn_ctx = w;
    tp_status rc = tp_ingest_begin(s, &o, &ing, &err);
    if (rc == TP_OK)
        rc = tp_ingest_file(ing, path, sum, &err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, &err);
    tp_ingest_free(ing);
    return rc;
}

/* A real ConverseStream record, pretty-printed with its bodies: the counts of input and
 * output are read (not those of outputBodyJson.usage: the same here), the inference profile
 * ARN becomes the profile id, the session is cut from the role; nothing of the bodies is
 * stored. */
static void test_converse_stream_fixture(void)
{
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_fixture(s, NULL, "converse-stream.json", &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.records, 1);
    CU_ASSERT_EQUAL(w.count, 0);
    CU_ASSERT_EQUAL(q_i(s, "SELECT input_tokens*1000000000+output_tokens*1000000+"
                           "cache_read_tokens*100+cache_write_tokens/256 FROM log_minutes WHERE "
                           "model='us.anthropic.claude-sonnet-4-5-20250929-v1:0' AND attr_key="
                           "'arn:aws:sts::123456789012:assumed-role/BedrockAppRole'"),
                    1024LL * 1000000000 + 300LL * 1000000 + 2048 * 100 + 1);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) "
                           "WHERE m.type='table' AND pragma_table_info.name LIKE '%body%'"),
                    0);
    tp_store_close(s);
}

/* Athena's CSV lines: quoted values with "" inside, NULL as nothing, CR LF; what is not CSV. */
static void test_csv_split(void)
{
    char buf[64];
    const char *v[4];
    const char *line = "\"a\",,\"say \"\"hi\"\", then\",7\r";
    CU_ASSERT_EQUAL_FATAL(log_csv_split(line, strlen(line), buf, sizeof buf, v, 4), 4);
    CU_ASSERT_STRING_EQUAL(v[0], "a");
    CU_ASSERT_PTR_NULL(v[1]);
    CU_ASSERT_STRING_EQUAL(v[2], "say \"hi\", then");
    CU_ASSERT_STRING_EQUAL(v[3], "7");
    CU_ASSERT_EQUAL(log_csv_split("\"\"", 2, buf, sizeof buf, v, 4), 1); /* "" is empty text */
    CU_ASSERT_STRING_EQUAL(v[0], "");
    CU_ASSERT_EQUAL(log_csv_split("\"open", 5, buf, sizeof buf, v, 4), -1);
    CU_ASSERT_EQUAL(log_csv_split("\"a\"b", 4, buf, sizeof buf, v, 4), -1);
    CU_ASSERT_EQUAL(log_csv_split("a\"b", 3, buf, sizeof buf, v, 4), -1);
    CU_ASSERT_EQUAL(log_csv_split("1,2,3,4,5", 9, buf, sizeof buf, v, 4), -1); /* too many */
    CU_ASSERT_EQUAL(log_csv_split("\"0123456789\"", 12, buf, 8, v, 4), -1);  /* too long */
}

/* The role of a column: the first name of a role's list wins a row where two are present,
 * a --field name replaces the list, --model fills a row without a model. */
static void test_columns(void)
{
    static const char *const names[] = {"@timestamp", "usageInputTokens",
                                        "input.inputTokenCount", "modelId", "deployment"};
    const char *val[5] = {"2025-08-15 12:44:59.999", "11", "22", "m1", "m2"};
    int col[5];
    log_cols lc;
    log_record r;
    tp_ingest_options o = {0};
    log_cols_init(&lc, &o, NULL);
    for (int i = 0; i < 5; i++)
        col[i] = log_cols_find(&lc, names[i], strlen(names[i]));
    CU_ASSERT_PTR_NULL_FATAL(log_cols_row(&lc, col, val, 5, &r));
    CU_ASSERT_EQUAL(r.minute, 29254364); /* 2025-08-15T12:44Z: 1755261840 s / 60 */
    CU_ASSERT_EQUAL(r.v.input_tokens, 22); /* input.inputTokenCount before usageInputTokens */
    CU_ASSERT_EQUAL(r.v.requests, 1);      /* no requests column: a row per request */
    CU_ASSERT_STRING_EQUAL(r.model, "m1");
    tp_ingest_summary sum;
    log_cols_ignored(&lc, &sum);
    CU_ASSERT_EQUAL(sum.n_ignored_columns, 2);
    CU_ASSERT_STRING_EQUAL(sum.ignored_columns, "usageInputTokens");
    CU_ASSERT_STRING_EQUAL(sum.ignored_columns + strlen("usageInputTokens") + 1, "deployment");
    log_cols_deinit(&lc);
    static const char *const fields[] = {"model=deployment", "input_tokens=usageInputTokens"};
    o.fields = fields;
    o.n_fields = 2;
    log_cols_init(&lc, &o, NULL);
    for (int i = 0; i < 5; i++)
        col[i] = log_cols_find(&lc, names[i], strlen(names[i]));
    CU_ASSERT_PTR_NULL_FATAL(log_cols_row(&lc, col, val, 5, &r));
    CU_ASSERT_STRING_EQUAL(r.model, "m2");
    CU_ASSERT_EQUAL(r.v.input_tokens, 11);
    log_cols_deinit(&lc);
    o.fields = NULL, o.n_fields = 0, o.model = "dflt";
    log_cols_init(&lc, &o, NULL);
    col[0] = log_cols_find(&lc, names[0], strlen(names[0]));
    CU_ASSERT_PTR_NULL_FATAL(log_cols_row(&lc, col, val, 1, &r));
    CU_ASSERT_STRING_EQUAL(r.model, "dflt");
    o.model = NULL;
    log_cols_deinit(&lc);
    log_cols_init(&lc, &o, NULL);
    col[0] = log_cols_find(&lc, names[0], strlen(names[0]));
    CU_ASSERT_PTR_EQUAL(log_cols_row(&lc, col, val, 1, &r), log_why_no_model);
    log_cols_deinit(&lc);
}

/* get-query-results JSON: string values, "YYYY-MM-DD HH:MM:SS.000" UTC minutes, missing
 * fields read as 0, a bad row reported with its row number. */
static void test_insights_fixture(void)
{
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_fixture(s, NULL, "insights-results.json", &sum, &w), TP_OK);
    CU_ASSERT_STRING_EQUAL(sum.format, "logs-insights");
    CU_ASSERT_EQUAL(sum.records, 3);
    CU_ASSERT_EQUAL(sum.log_errors, 1);
    CU_ASSERT_EQUAL(sum.log_malformed, 1);
    ASSERT_CONTAINS(w.text, "1 malformed record skipped (row 3): a time that is not one");
    CU_ASSERT_EQUAL(q_i(s, "SELECT requests*1000000+errors*100000+input_tokens*10+"
                           "cache_write_tokens FROM log_minutes WHERE minute=29254364 AND "
                           "model='" FM "' AND attr_key='" ROLE_A "'"),
                    3LL * 1000000 + 100000 + 12000);
    CU_ASSERT_EQUAL(q_i(s, "SELECT cache_read_tokens FROM log_minutes WHERE minute=29254365"),
                    0); /* missing: 0 */
    tp_store_close(s);
}

/* export-cmd --source logs: 20 rows a minute make 450-minute queries (9,000 rows at most), a
 * day is 4 of them, contiguous, each ending one second before the next begins. */
static void test_insights_script(void)
{
    tp_awscmd_logs_options o = {0};
    char *out = NULL;
    tp_error err;
    o.log_group = "/aws/bedrock/invocations";
    o.days = 1, o.rows_per_minute = 20, o.now_s = 1755302400 + 59; /* 2025-08-16T00:00:59Z */
    o.attribute_by = "metadata:team";
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_logs_build(&o, &out, &err), TP_OK);
    /* the files carry the end, 2025-08-16T00:00Z, so that daily exports do not collide */
    ASSERT_CONTAINS(out, "tp_query 1755216000 1755242999 tierplan-logs-20250816T0000Z-00001.json\n");
    ASSERT_CONTAINS(out, "tp_query 1755297000 1755302399 tierplan-logs-20250816T0000Z-00004.json\n");
    CU_ASSERT_PTR_NULL(strstr(out, "-00005"));
    ASSERT_CONTAINS(out, "by bin(1m) as minute, modelId, requestMetadata.team as attr_key'");
    ASSERT_CONTAINS(out, "sum(input.inputTokenCount) as input_tokens");
    ASSERT_CONTAINS(out, "Complete) break");
    ASSERT_CONTAINS(out, "tierplan ingest --attribute-by metadata:team "
                         "tierplan-logs-20250816T0000Z-*.json");
    free(out);
    /* --end a day earlier, 2025-08-15T00:00:30Z, rounded down to its minute: the day before
     * starts at 1,755,129,600 (2025-08-14T00:00Z) */
    o.end_s = 1755216000 + 30;
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_logs_build(&o, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "tp_query 1755129600 1755156599 tierplan-logs-20250815T0000Z-00001.json\n");
    free(out);
    /* a region and profile: in each of the three aws commands, the region in the file names
     * and in the ingest command with the account; a malformed one refused */
    o.end_s = 0, o.region = "ap-south-1", o.profile = "it's", o.account = "111122223333";
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_logs_build(&o, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "aws logs start-query --region ap-south-1 --profile 'it'\\''s' \\\n");
    ASSERT_CONTAINS(out, "tp_query 1755216000 1755242999 "
                         "tierplan-logs-ap-south-1-20250816T0000Z-00001.json\n");
    ASSERT_CONTAINS(out, "# then: tierplan ingest --region ap-south-1 --account 111122223333 "
                         "--attribute-by metadata:team "
                         "tierplan-logs-ap-south-1-20250816T0000Z-*.json");
    const char *p = out;
    int n = 0;
    while ((p = strstr(p, " --region ap-south-1 --profile 'it'\\''s' \\\n")) != NULL)
        n++, p++;
    CU_ASSERT_EQUAL(n, 3);
    free(out);
    o.region = "AP";
    CU_ASSERT_EQUAL(tp_awscmd_logs_build(&o, &out, &err), TP_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.field, "region");
    o.region = NULL, o.account = "12";
    CU_ASSERT_EQUAL(tp_awscmd_logs_build(&o, &out, &err), TP_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.field, "account");
    o.account = NULL, o.profile = "";
    CU_ASSERT_EQUAL(tp_awscmd_logs_build(&o, &out, &err), TP_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.field, "profile");
    o.profile = NULL;
    o.end_s = o.now_s + 60; /* after now: refused */
    CU_ASSERT_EQUAL(tp_awscmd_logs_build(&o, &out, &err), TP_ERR_USAGE);
    o.end_s = 0;
    o.attribute_by = "metadata:a b";
    CU_ASSERT_EQUAL(tp_awscmd_logs_build(&o, &out, &err), TP_ERR_USAGE);
    o.attribute_by = NULL, o.log_group = "a'b";
    CU_ASSERT_EQUAL(tp_awscmd_logs_build(&o, &out, &err), TP_ERR_USAGE);
}

/* The fast path and cJSON read every record alike: the same outcome, reason and fields,
 * whether the fast path reads it or hands it over (escapes, fractions, duplicate names,
 * nulls, wrong types, invalid JSON). */
static void test_fast_path_agrees(void)
{
    static const char *const recs[] = {
        REC_STREAM,
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":{\"inputTokenCount\":"
        "5}}",
        "{\"modelId\":\"m\",\"modelId\":\"n\",\"timestamp\":\"2025-08-15T12:00:00Z\"}",
        "{\"modelId\":\"m\\u0041\",\"timestamp\":\"2025-08-15T12:00:00Z\"}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":{\"inputTokenCount\":"
        "5.5}}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":{\"inputTokenCount\":"
        "1e3}}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":{\"inputTokenCount\":-"
        "1}}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":{\"inputTokenCount\":"
        "null},"
        "\"output\":{\"outputTokenCount\":2}}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":[1,2],\"errorCode\":"
        "null}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"errorCode\":{\"a\":1},"
        "\"input\":{\"inputTokenCount\":\"x\"}}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":{\"inputTokenCount\":"
        "\"7\"}}",
        "{\"modelId\":7,\"timestamp\":\"2025-08-15T12:00:00Z\"}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"identity\":{\"arn\":\"a\\/"
        "b\"}}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"identity\":\"flat\"}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\"} trailing",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"x\":[[[[{\"y\":\"}\\\"\"}]]]]"
        "}",
        "{\"schemaType\":\"Other\",\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\"}",
        "{\"schemaVersion\":\"1.1\",\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\"}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":{\"inputTokenCount\":"
        "10000000000000}}",
        "{\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:00Z\",\"input\":{\"inputTokenCount\":"
        "1000000000000}}",
        "[1]",
        "{",
        "",
        "{\"modelId\":\"m\",\"timestamp\":tru}",
    };
    const char *by[] = {NULL, "operation", "region", "metadata:team"};
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
        for (int b = 0; b < 4; b++) {
            log_record r1, r2;
            cJSON *d1 = NULL, *d2 = NULL;
            const char *w1 = NULL, *w2 = NULL;
            char v1[LOG_WHY_BUF], v2[LOG_WHY_BUF];
            const size_t n = strlen(recs[i]);
            const enum log_outcome o1 =
                log_record_parse(recs[i], n, by[b], &r1, &d1, &w1, v1, sizeof v1);
            const enum log_outcome o2 =
                log_record_parse_full(recs[i], n, by[b], &r2, &d2, &w2, v2, sizeof v2);
            CU_ASSERT_EQUAL(o1, o2);
            CU_ASSERT((w1 == NULL) == (w2 == NULL));
            if (w1 != NULL && w2 != NULL)
                CU_ASSERT_STRING_EQUAL(w1, w2);
            if (o1 == o2 && (o1 == LOG_OK || o1 == LOG_NO_TOKENS)) {
                CU_ASSERT_STRING_EQUAL(r1.model, r2.model);
                CU_ASSERT_STRING_EQUAL(r1.key, r2.key);
                CU_ASSERT_EQUAL(r1.minute, r2.minute);
                CU_ASSERT_EQUAL(memcmp(&r1.v, &r2.v, sizeof r1.v), 0);
            }
            if (o1 != o2)
                fprintf(stderr, "differs: record %zu, attribution %d\n", i, b);
            cJSON_Delete(d1);
            cJSON_Delete(d2);
        }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("ingest_logs", NULL, NULL);
    ADD(s, test_lines_and_problems);
    ADD(s, test_reasons_apart);
    ADD(s, test_document_shapes);
    ADD(s, test_additive);
    ADD(s, test_normalise);
    ADD(s, test_attribution);
    ADD(s, test_export_cap);
    ADD(s, test_log_span);
    ADD(s, test_source_selection);
    ADD(s, test_migrate_v2);
    ADD(s, test_generated_day);
    ADD(s, test_flush_midstream);
    ADD(s, test_converse_stream_fixture);
    ADD(s, test_insights_fixture);
    ADD(s, test_csv_split);
    ADD(s, test_columns);
    ADD(s, test_insights_script);
    ADD(s, test_fast_path_agrees);
    ADD(s, test_stats_report_sources);
}
