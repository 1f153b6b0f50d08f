/* test_export_roundtrip.c - tierplan export writes everything stored (metric points and
 * invocation log sums) and ingest of its CSV rebuilds the same rows in an empty database. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

void register_tests(void);

#define HAIKU "anthropic.claude-3-haiku-20240307-v1:0"
#define NOVA "amazon.nova-pro-v1:0"
#define ACCT "123456789012"

/* Metrics of two models, two regions, service tiers, a 5-minute period and fractions. */
static const char metrics_csv[] =
    "timestamp,model,metric,value,tier,service_tier,period_s,region,account\n"
    "2026-10-05T12:00:00Z," HAIKU ",InputTokenCount,1000,priority,priority,60,us-east-1," ACCT "\n"
    "2026-10-05T12:01:00Z," HAIKU ",InputTokenCount,1000.5,priority,priority,60,us-east-1," ACCT
    "\n"
    "2026-10-05T12:00:00Z," HAIKU ",InputTokenCount,250,default,,60,us-east-1," ACCT "\n"
    "2026-10-05T12:00:00Z," HAIKU ",OutputTokenCount,0.1,priority,priority,60,us-east-1," ACCT "\n"
    "2026-10-05T12:00:00Z," HAIKU ",InputTokenCount,77,,,60,us-west-2," ACCT "\n"
    "2026-10-05T12:05:00Z," NOVA ",InputTokenCount,1500,,,300,,\n";

/* Invocation log records: two regions, keys with a comma and a quote (CSV quoting). */
static const char logs_jsonl[] =
    "{\"requestId\":\"1\",\"modelId\":\"" HAIKU "\",\"timestamp\":\"2026-10-05T12:00:10Z\","
    "\"region\":\"us-east-1\",\"accountId\":\"" ACCT "\",\"identity\":{\"arn\":"
    "\"arn:aws:iam::" ACCT ":user/a,b\"},\"input\":{\"inputTokenCount\":100,"
    "\"cacheReadInputTokenCount\":7,\"cacheWriteInputTokenCount\":3},\"output\":"
    "{\"outputTokenCount\":20},\"requestMetadata\":{\"team\":\"say \\\"hi\\\"\"}}\n"
    "{\"requestId\":\"2\",\"modelId\":\"" HAIKU "\",\"timestamp\":\"2026-10-05T12:00:40Z\","
    "\"region\":\"us-east-1\",\"accountId\":\"" ACCT "\",\"identity\":{\"arn\":"
    "\"arn:aws:iam::" ACCT ":user/c\"},\"errorCode\":\"ThrottlingException\"}\n"
    "{\"requestId\":\"3\",\"modelId\":\"" HAIKU "\",\"timestamp\":\"2026-10-05T12:03:00Z\","
    "\"region\":\"us-west-2\",\"accountId\":\"" ACCT "\",\"identity\":{\"arn\":"
    "\"arn:aws:iam::" ACCT ":user/c\"},\"input\":{\"inputTokenCount\":5},\"output\":"
    "{\"outputTokenCount\":6},\"requestMetadata\":{\"team\":\"search\"}}\n";

/* Every row of the query, its columns joined by '|' and rows by newlines (caller frees). */
static char *rows_of(tp_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 1 << 16, n = 0;
    char *out = calloc(cap, 1);
    refresh_points(s);
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const unsigned char *t = sqlite3_column_text(st, c);
            n += (size_t)snprintf(out + n, cap - n, "%s%s", c ? "|" : "", t ? (const char *)t : "");
        }
        n += (size_t)snprintf(out + n, cap - n, "\n");
        CU_ASSERT_FATAL(n < cap - 1);
    }
    sqlite3_finalize(st);
    return out;
}

/* What the store holds, place by place: the points of every series, the log sums, the keys. */
static const char points_sql[] =
    "SELECT s.model, s.region, s.account, s.metric, s.service_tier, s.resolved_tier, s.period_s, "
    "p.minute, printf('%!.17g', p.value) FROM temp.points p JOIN series s ON s.id = p.series_id "
    "ORDER BY 1, 2, 3, 4, 5, 6, 7, 8";
static const char logs_sql[] =
    "SELECT model, region, account, attr_by, attr_key, minute, requests, errors, input_tokens, "
    "output_tokens, cache_read_tokens, cache_write_tokens FROM log_minutes "
    "ORDER BY 1, 2, 3, 4, 5, 6";
static const char keys_sql[] =
    "SELECT model, region, account, attr_by, attr_key FROM log_keys ORDER BY 1, 2, 3, 4, 5";

static char *export_of(tp_store *s, size_t *points)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    tp_error err;
    CU_ASSERT_EQUAL(tp_store_export_csv(s, NULL, f, points, &err), TP_OK);
    fclose(f);
    return text;
}

static void ingest_ok(tp_store *s, const tp_ingest_options *o, const char *name,
                      const char *text, warnings *w)
{
    tp_ingest_options opts = {0};
    tp_error err;
    if (o != NULL)
        opts = *o;
    opts.warn = collect_warning;
    opts.warn_ctx = w;
    const tp_status rc = ingest_one(s, &opts, name, text, NULL, &err);
    if (rc != TP_OK)
        fprintf(stderr, "\n  %s: %s\n", name, err.message);
    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
}

/* A database of metrics, log sums by two attributions with keys, tiers and two regions:
 * exported, ingested into an empty database, the same rows (and the same export again). */
static void test_round_trip(void)
{
    tp_store *a = open_mem(), *b = open_mem();
    warnings w = {{0}, 0};
    ingest_ok(a, NULL, "m.csv", metrics_csv, &w);
    ingest_ok(a, NULL, "l.jsonl", logs_jsonl, &w);
    /* the same records summed by another attribution: another object (a byte more, as
     * objects given as buffers are known by their content) */
    char l2[sizeof logs_jsonl + 1];
    snprintf(l2, sizeof l2, "%s\n", logs_jsonl);
    ingest_ok(a, &(tp_ingest_options){.attribute_by = "metadata:team"}, "l2.jsonl", l2, &w);
    size_t n_a = 0, n_b = 0;
    char *csv = export_of(a, &n_a);
    /* 6 metric points; log rows: identity (us-east-1: user/a,b and user/c at 12:00; us-west-2:
     * user/c at 12:03) and metadata:team (say "hi" and unknown at 12:00, search at 12:03):
     * 6 rows of 6 sums each = 36 lines */
    CU_ASSERT_EQUAL(n_a, 6 + 36);
    ASSERT_CONTAINS(csv, "timestamp,model,metric,value,tier,service_tier,period_s,region,account,"
                         "source,attribute_by,key\n");
    ASSERT_CONTAINS(csv, "2026-10-05T12:00:00Z," HAIKU ",input_tokens,100,,,60,us-east-1," ACCT
                         ",logs,identity,\"arn:aws:iam::" ACCT ":user/a,b\"\n");
    ASSERT_CONTAINS(csv, ",logs,metadata:team,\"say \"\"hi\"\"\"\n");
    ASSERT_CONTAINS(csv, "2026-10-05T12:05:00Z," NOVA ",InputTokenCount,1500,,,300,,,metrics,,\n");
    ingest_ok(b, NULL, "export.csv", csv, &w);
    const char *sql[3] = {points_sql, logs_sql, keys_sql};
    for (int k = 0; k < 3; k++) {
        char *ra = rows_of(a, sql[k]), *rb = rows_of(b, sql[k]);
        CU_ASSERT(strlen(ra) > 0);
        CU_ASSERT_STRING_EQUAL(ra, rb);
        free(ra);
        free(rb);
    }
    /* spot checks of what the rows say, worked out from the inputs above */
    char *logs = rows_of(b, logs_sql);
    ASSERT_CONTAINS(logs, HAIKU "|us-east-1|" ACCT "|identity|arn:aws:iam::" ACCT
                          ":user/c|29853360|1|1|0|0|0|0\n");
    ASSERT_CONTAINS(logs, HAIKU "|us-east-1|" ACCT "|metadata:team|say \"hi\"|29853360|1|0|100|"
                          "20|7|3\n");
    free(logs);
    char *again = export_of(b, &n_b);
    CU_ASSERT_EQUAL(n_b, n_a);
    CU_ASSERT_STRING_EQUAL(again, csv);
    /* the same file again: its metric points are unchanged, its log sums not added twice */
    ingest_ok(b, NULL, "export-copy.csv", csv, &w);
    ASSERT_CONTAINS(w.text, "export-copy.csv: its invocation log sums were ingested before (the "
                            "same content): not added again");
    char *ra = rows_of(a, logs_sql), *rb = rows_of(b, logs_sql);
    CU_ASSERT_STRING_EQUAL(ra, rb);
    free(ra);
    free(rb);
    free(again);
    free(csv);
    tp_store_close(a);
    tp_store_close(b);
}

/* A database of log sums only exports them (it used to write the header alone). */
static void test_logs_only(void)
{
    tp_store *a = open_mem();
    warnings w = {{0}, 0};
    ingest_ok(a, NULL, "l.jsonl", logs_jsonl, &w);
    size_t n = 0;
    char *csv = export_of(a, &n);
    CU_ASSERT_EQUAL(n, 3 * 6); /* identity: 2 keys at 12:00 in us-east-1, 1 at 12:03 */
    free(csv);
    tp_store_close(a);
}

/* Log lines that cannot be stored are refused naming the file and line. */
static void test_bad_log_lines(void)
{
    static const struct {
        const char *line, *msg;
    } cases[] = {
        {"2026-10-05T12:00:00Z,m,tokens,1,,,60,,,logs,identity,k",
         "x.csv:2: \"tokens\" is no sum of invocation logs"},
        {"2026-10-05T12:00:00Z,m,requests,1.5,,,60,,,logs,identity,k",
         "x.csv:2: requests \"1.5\" is not a whole number from 0 to 1e12"},
        {"2026-10-05T12:00:00Z,m,requests,1,priority,,60,,,logs,identity,k",
         "x.csv:2: a sum of invocation logs has no tier or service_tier"},
        {"2026-10-05T12:00:00Z,m,requests,1,,,300,,,logs,identity,k",
         "x.csv:2: period_s \"300\": sums of invocation logs are per minute (60)"},
        {"2026-10-05T12:00:00Z,m,requests,1,,,60,,,logs,,k",
         "x.csv:2: a sum of invocation logs needs its attribute_by and key"},
        {"2026-10-05T12:00:00Z,m,requests,1,,,60,,,logs,team,k",
         "x.csv:2: attribute_by \"team\" is not identity"},
        {"2026-10-05T12:00:00Z,m,requests,1,,,60,,,cloudwatch,identity,k",
         "x.csv:2: source \"cloudwatch\" is neither metrics nor logs"},
        {"2026-10-05T12:00:00Z,m,requests,1,,,60,,,logs,identity,k\n"
         "2026-10-05T12:00:30Z,m,requests,2,,,60,,,logs,identity,k",
         "x.csv:3: requests of this minute, model and key given twice (line 2)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tp_store *s = open_mem();
        char text[1024];
        tp_error err;
        snprintf(text, sizeof text,
                 "timestamp,model,metric,value,tier,service_tier,period_s,region,account,"
                 "source,attribute_by,key\n%s\n",
                 cases[i].line);
        CU_ASSERT_NOT_EQUAL(ingest_one(s, NULL, "x.csv", text, NULL, &err), TP_OK);
        const char *want = cases[i].msg != NULL ? cases[i].msg : ""; /* (gcc -O2 -fsanitize) */
        ASSERT_CONTAINS(err.message, want);
        CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM log_minutes"), 0);
        tp_store_close(s);
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("export_roundtrip", NULL, NULL);
    CU_add_test(s, "metrics, logs, tiers, two regions", test_round_trip);
    CU_add_test(s, "log sums only", test_logs_only);
    CU_add_test(s, "bad log lines", test_bad_log_lines);
}
