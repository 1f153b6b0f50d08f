/* test_ingest_logs_refused.c - nothing silent in invocation logs: ids and keys over
 * TP_INGEST_MAX_ID_BYTES refused with a reason (never cut, never merged, never dropped), every
 * record read counted as stored or refused (records = stored + refused) on the S3 path and the
 * Logs Insights path, and the two record parsers (fast path, cJSON) agreeing on NULs, escapes,
 * duplicate names and numbers. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ingest/logs/ingest_logs.h"
#include "test_util.h"

void register_tests(void);

#define TS "\"requestId\":\"r\",\"timestamp\":\"2025-08-15T12:44:00Z\""
#define TOK "\"input\":{\"inputTokenCount\":100}"
#define ARN_PM "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/"

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

static tp_status ingest_text(tp_store *s, const char *by, const char *name, const char *text,
                             tp_ingest_summary *sum, warnings *w)
{
    tp_ingest_options opts = {0};
    tp_error err;
    opts.attribute_by = by;
    opts.warn = collect_warning;
    opts.warn_ctx = w;
    return ingest_one(s, &opts, name, text, sum, &err);
}

/* A string of n bytes: prefix, then "é" (2 bytes) repeated, then "x" to fill, then last. The
 * 2-byte characters straddle byte 511, where ids used to be cut. */
static char *id_of(const char *prefix, size_t n, char last)
{
    char *s = malloc(n + 1);
    size_t at = strlen(prefix);
    memcpy(s, prefix, at);
    while (at + 2 < n)
        s[at++] = '\xC3', s[at++] = '\xA9';
    while (at < n - 1)
        s[at++] = 'x';
    s[at++] = last;
    s[at] = '\0';
    return s;
}

/* Appends one record (JSON line) of model and metadata key team to buf at *at. */
static void add_line(char *buf, size_t *at, const char *model, const char *team)
{
    *at += (size_t)sprintf(buf + *at,
                           "{\"modelId\":\"%s\"," TS ",\"requestMetadata\":{\"team\":\"%s\"},"
                           TOK "}\n",
                           model, team);
}

static int all_counted(const tp_ingest_summary *s)
{
    return s->records == s->log_stored + s->log_malformed + s->log_unknown_schema + s->log_too_long;
}

/* Six records by metadata:team. Line 1 and 2: 2048-byte ARNs (the limit) differing only in
 * their last byte: both stored whole, apart (they used to be cut to the same 511 bytes). Line
 * 3: a 2049-byte modelId, refused. Line 4: a 2049-byte key, refused. Line 5: 1500-byte model
 * and key (over the 1,090 bytes that used to drop a record silently): stored. Line 6: a
 * 2048-byte key: stored. records 6 = stored 4 + too_long 2. */
static void test_long_ids_s3(void)
{
    char *m1 = id_of(ARN_PM, 2048, '1'), *m2 = id_of(ARN_PM, 2048, '2');
    char *m3 = id_of(ARN_PM, 2049, '3'), *m5 = id_of(ARN_PM, 1500, '5');
    char *k4 = id_of("team-", 2049, '4'), *k5 = id_of("team-", 1500, '5');
    char *k6 = id_of("team-", 2048, '6');
    char *text = malloc(20000);
    size_t at = 0;
    add_line(text, &at, m1, "a");
    add_line(text, &at, m2, "a");
    add_line(text, &at, m3, "a");
    add_line(text, &at, "m", k4);
    add_line(text, &at, m5, k5);
    add_line(text, &at, "m", k6);
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, "metadata:team", "x.jsonl", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.records, 6);
    CU_ASSERT_EQUAL(sum.log_stored, 4);
    CU_ASSERT_EQUAL(sum.log_too_long, 2);
    CU_ASSERT_EQUAL(sum.log_malformed, 0);
    CU_ASSERT(all_counted(&sum));
    ASSERT_CONTAINS(w.text, "x.jsonl: 1 record refused (line 3): modelId over 2048 bytes\n");
    ASSERT_CONTAINS(w.text, "x.jsonl: 1 record refused (line 4): attribution key over 2048 "
                            "bytes\n");
    CU_ASSERT_EQUAL(w.count, 2);
    /* each stored whole: 4 models (m1, m2, m5, m), 100 tokens each, lengths as read */
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(DISTINCT model) FROM log_minutes"), 4);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_minutes"), 4);
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 400);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_minutes WHERE length(CAST(model AS BLOB)) "
                           "= 2048"),
                    2);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_keys WHERE length(CAST(attr_key AS BLOB)) "
                           "IN (1500, 2048)"),
                    2);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_minutes WHERE model LIKE '%3'"), 0);
    tp_store_close(s);
    free(m1), free(m2), free(m3), free(m5), free(k4), free(k5), free(k6), free(text);
}

/* By identity, a 2049-byte identity ARN is refused, and an assumed-role ARN is cut to its
 * role as before (a prefix, never past the limit). records 2 = stored 1 + too_long 1. */
static void test_long_identity(void)
{
    char *arn = id_of("arn:aws:iam::1:user/", 2049, 'z');
    char *text = malloc(8000);
    sprintf(text,
            "{\"modelId\":\"m\"," TS ",\"identity\":{\"arn\":\"%s\"}," TOK "}\n"
            "{\"modelId\":\"m\"," TS ",\"identity\":{\"arn\":\"arn:aws:sts::1:assumed-role/R/s\"},"
            TOK "}\n",
            arn);
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "i.jsonl", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.records, 2);
    CU_ASSERT_EQUAL(sum.log_stored, 1);
    CU_ASSERT_EQUAL(sum.log_too_long, 1);
    ASSERT_CONTAINS(w.text, "i.jsonl: 1 record refused (line 1): attribution key over 2048 "
                            "bytes\n");
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_minutes WHERE attr_key = "
                           "'arn:aws:sts::1:assumed-role/R'"),
                    1);
    tp_store_close(s);
    free(arn), free(text);
}

/* Logs Insights rows: row 2's modelId and row 3's key are over the limit; row 4's modelId is
 * at it. records 4 = stored 2 + too_long 2. */
static void test_long_ids_insights(void)
{
    char *m2 = id_of(ARN_PM, 2049, '2'), *k3 = id_of("k", 2049, '3'),
         *m4 = id_of(ARN_PM, 2048, '4');
    char *text = malloc(20000);
#define ROW_(m, k)                                                                                 \
    "[{\"field\":\"minute\",\"value\":\"2025-08-15 12:44:00.000\"},{\"field\":\"modelId\","        \
    "\"value\":\"" m "\"},{\"field\":\"attr_key\",\"value\":\"" k "\"},{\"field\":\"requests\","   \
    "\"value\":\"1\"},{\"field\":\"input_tokens\",\"value\":\"10\"}]"
    sprintf(text, "{\"results\":[" ROW_("m", "a") "," ROW_("%s", "a") "," ROW_("m", "%s") ","
                  ROW_("%s", "a") "],\"status\":\"Complete\"}",
            m2, k3, m4);
#undef ROW_
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, "metadata:team", "q.json", text, &sum, &w), TP_OK);
    CU_ASSERT_STRING_EQUAL(sum.format, "logs-insights");
    CU_ASSERT_EQUAL(sum.records, 4);
    CU_ASSERT_EQUAL(sum.log_stored, 2);
    CU_ASSERT_EQUAL(sum.log_too_long, 2);
    CU_ASSERT(all_counted(&sum));
    ASSERT_CONTAINS(w.text, "q.json: 1 record refused (row 2): modelId over 2048 bytes\n");
    ASSERT_CONTAINS(w.text, "q.json: 1 record refused (row 3): attribution key over 2048 "
                            "bytes\n");
    CU_ASSERT_EQUAL(q_i(s, "SELECT max(length(CAST(model AS BLOB))) FROM log_minutes"), 2048);
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 20);
    tp_store_close(s);
    free(m2), free(k3), free(m4), free(text);
}

/* A line over 16 MiB is a record read and refused: records 3 = stored 2 + malformed 1; text
 * outside a record and a record cut off at the end count the same way in a document. */
static void test_long_line_counted(void)
{
    const size_t big = ((size_t)16 << 20) + 10;
    const char *good = "{\"modelId\":\"m\"," TS "," TOK "}\n";
    char *text = malloc(big + 400);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    size_t at = (size_t)sprintf(text, "%s{\"modelId\":\"m\",\"pad\":\"", good);
    /* a loop, not memset: GCC 12's -Warray-bounds misreads the size under the sanitizers */
    for (char *p = text + at, *end = p + big; p < end; p++)
        *p = 'p';
    at += big;
    sprintf(text + at, "\"}\n%s", good);
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "big.jsonl", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.records, 3);
    CU_ASSERT_EQUAL(sum.log_stored, 2);
    CU_ASSERT_EQUAL(sum.log_malformed, 1);
    ASSERT_CONTAINS(w.text, "big.jsonl: 1 malformed record skipped (line 2): a line over 16 MiB");
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 200);
    tp_store_close(s);
    free(text);
    /* a document: junk on line 2, a record, a record cut off: 3 = 1 + 2 */
    s = open_mem();
    memset(&w, 0, sizeof w);
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "d.json",
                                      "[\n junk\n{\"modelId\":\"m\"," TS "," TOK "},\n{\"cut\":",
                                      &sum, &w),
                          TP_OK);
    CU_ASSERT_EQUAL(sum.records, 3);
    CU_ASSERT_EQUAL(sum.log_stored, 1);
    CU_ASSERT_EQUAL(sum.log_malformed, 2);
    ASSERT_CONTAINS(w.text, "d.json: 1 malformed record skipped (line 2): text outside a record");
    ASSERT_CONTAINS(w.text, "d.json: 1 malformed record skipped (line 4): a record cut off");
    tp_store_close(s);
}

/* One record through each path: the fast path's own answer (scan 0 then decide, or -1: it
 * leaves the record to cJSON), cJSON's, and the combined one, which is what ingest uses. */
typedef struct verdict {
    int scanned; /* the fast path decided */
    enum log_outcome fast, full, both;
    const char *why_full;
    int64_t in_full, in_fast;
    char model[64];
} verdict;

static verdict judge(const char *text, size_t len, const char *by)
{
    verdict v = {0};
    log_record r;
    log_fields f;
    cJSON *doc = NULL;
    const char *why = NULL;
    char buf[LOG_WHY_BUF];
    if (log_record_scan(text, len, by, &r, &f) == 0) {
        v.scanned = 1;
        v.fast = log_fields_decide(&f, by, &r, &why, buf, sizeof buf);
        v.in_fast = r.v.input_tokens;
    }
    v.full = log_record_parse_full(text, len, by, &r, &doc, &v.why_full, buf, sizeof buf);
    v.in_full = r.v.input_tokens;
    if (v.full == LOG_OK || v.full == LOG_NO_TOKENS)
        snprintf(v.model, sizeof v.model, "%s", r.model);
    cJSON_Delete(doc);
    v.both = log_record_parse(text, len, by, &r, &doc, &why, buf, sizeof buf);
    cJSON_Delete(doc);
    return v;
}

#define REC_(rest) "{\"modelId\":\"m\"," TS "," rest "}"

/* A NUL in a name or value read (raw, or as \u0000) is malformed on both paths: raw, the fast
 * path leaves it to cJSON, which refuses it; it used to read "inputTokenCount<NUL>x" as
 * inputTokenCount (100 tokens) through cJSON and as no count on the fast path. In a body a
 * \u0000 is harmless: both read the record. */
static void test_nul(void)
{
    static const char raw_name[] = REC_("\"input\":{\"inputTokenCount\0x\":100}");
    static const char raw_value[] = "{\"modelId\":\"m\0n\"," TS "," TOK "}";
    const char *esc[] = {
        REC_("\"input\":{\"inputTokenCount\\u0000x\":100}"),
        "{\"modelId\":\"m\\u0000n\"," TS "," TOK "}",
        REC_("\"requestMetadata\":{\"team\":\"a\\u0000b\"}," TOK),
        REC_("\"requestMetadata\":{\"team\":\"\\ud800\"}," TOK), /* a lone surrogate */
    };
    const size_t raw_len[] = {sizeof raw_name - 1, sizeof raw_value - 1};
    const char *raw[] = {raw_name, raw_value};
    for (int i = 0; i < 2; i++) {
        const verdict v = judge(raw[i], raw_len[i], "metadata:team");
        CU_ASSERT_EQUAL(v.scanned, 0);
        CU_ASSERT_EQUAL(v.full, LOG_MALFORMED);
        CU_ASSERT_EQUAL(v.both, LOG_MALFORMED);
        CU_ASSERT_STRING_EQUAL(v.why_full, "a NUL character");
    }
    for (int i = 0; i < 4; i++) {
        const verdict v = judge(esc[i], strlen(esc[i]), "metadata:team");
        CU_ASSERT_EQUAL(v.scanned, 0); /* an escape in a name or value it keeps */
        CU_ASSERT_EQUAL(v.full, LOG_MALFORMED);
        CU_ASSERT_EQUAL(v.both, LOG_MALFORMED);
        CU_ASSERT_STRING_EQUAL(v.why_full, "a \\u0000 or a lone surrogate in a field read");
    }
    /* in a body (and an escaped backslash before u0000, which is no NUL): read by both */
    const char *body[] = {
        REC_("\"input\":{\"inputBodyJson\":{\"t\":\"a\\u0000b\\ud800\"},\"inputTokenCount\":100}"),
        "{\"modelId\":\"m\\\\u0000\"," TS "," TOK "}",
    };
    for (int i = 0; i < 2; i++) {
        const verdict v = judge(body[i], strlen(body[i]), NULL);
        CU_ASSERT_EQUAL(v.scanned, i == 0);
        if (i == 0)
            CU_ASSERT_EQUAL(v.fast, LOG_OK);
        CU_ASSERT_EQUAL(v.full, LOG_OK);
        CU_ASSERT_EQUAL(v.both, LOG_OK);
        CU_ASSERT_EQUAL(v.in_full, 100);
    }
    CU_ASSERT_STRING_EQUAL(judge(body[1], strlen(body[1]), NULL).model, "m\\u0000");
}

/* Ingest counts and names them: line 1 a raw NUL in a name, line 2 \u0000 in the modelId. */
static void test_nul_ingested(void)
{
    static const char text[] = REC_("\"input\":{\"inputTokenCount\0x\":100}") "\n"
                               "{\"modelId\":\"m\\u0000n\"," TS "," TOK "}\n" REC_(TOK) "\n";
    tp_store *s = open_mem();
    tp_ingest *ing = NULL;
    tp_error err;
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    tp_ingest_options o = {0};
    o.warn = collect_warning, o.warn_ctx = &w;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_buffer(ing, "n.jsonl", text, sizeof text - 1, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    CU_ASSERT_EQUAL(sum.records, 3);
    CU_ASSERT_EQUAL(sum.log_stored, 1);
    CU_ASSERT_EQUAL(sum.log_malformed, 2);
    ASSERT_CONTAINS(w.text, "n.jsonl: 1 malformed record skipped (line 1): a NUL character\n");
    ASSERT_CONTAINS(w.text, "n.jsonl: 1 malformed record skipped (line 2): a \\u0000 or a lone "
                            "surrogate in a field read\n");
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 100);
    tp_store_close(s);
}

/* Numbers the fast path leaves to cJSON, and what both make of them: 1.0 and 1e2 are whole
 * (1, 100), -0 is 0 (present: a record with tokens), 1e400 and 0.5 are no count (malformed),
 * 1e12 is the largest count, 1000000000001 one past it. Duplicate names: the first counts,
 * on both paths (100, not 7), and for modelId too. */
static void test_numbers_and_duplicates(void)
{
    static const struct {
        const char *count;
        enum log_outcome want;
        int64_t in;
    } cases[] = {
        {"1.0", LOG_OK, 1},           {"1e2", LOG_OK, 100},     {"-0", LOG_OK, 0},
        {"1e400", LOG_MALFORMED, 0},  {"0.5", LOG_MALFORMED, 0}, {"1e12", LOG_OK, 1000000000000},
        {"1000000000001", LOG_MALFORMED, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[200];
        snprintf(text, sizeof text, REC_("\"input\":{\"inputTokenCount\":%s}"), cases[i].count);
        const verdict v = judge(text, strlen(text), NULL);
        CU_ASSERT_EQUAL(v.scanned, 0);
        CU_ASSERT_EQUAL(v.full, cases[i].want);
        CU_ASSERT_EQUAL(v.both, cases[i].want);
        if (cases[i].want == LOG_OK)
            CU_ASSERT_EQUAL(v.in_full, cases[i].in);
    }
    const char *dup = "{\"modelId\":\"m\",\"modelId\":\"n\"," TS ",\"input\":{\"inputTokenCount\":"
                      "100,\"inputTokenCount\":7}}";
    const verdict v = judge(dup, strlen(dup), NULL);
    CU_ASSERT_EQUAL(v.scanned, 1);
    CU_ASSERT_EQUAL(v.fast, LOG_OK);
    CU_ASSERT_EQUAL(v.full, LOG_OK);
    CU_ASSERT_EQUAL(v.in_fast, 100);
    CU_ASSERT_EQUAL(v.in_full, 100);
    CU_ASSERT_STRING_EQUAL(v.model, "m");
    /* text after the record: the fast path leaves it, cJSON stops before it: both refuse */
    const char *after = REC_(TOK) " {}";
    const verdict t = judge(after, strlen(after), NULL);
    CU_ASSERT_EQUAL(t.scanned, 0);
    CU_ASSERT_EQUAL(t.full, LOG_MALFORMED);
    CU_ASSERT_STRING_EQUAL(t.why_full, "text after the record");
}

/* Keys that are not text (a control character, invalid UTF-8) count under "unknown", their
 * demand kept, and a warning names them with their lines, on both paths; they used to go to
 * "unknown" unseen. S3: line 1 a key with ESC [2K, line 2 a tab, line 3 an ordinary key: all
 * three stored, 300 input tokens, of them 200 under "unknown". Insights: row 2's key holds a
 * BEL. */
static void test_key_not_text(void)
{
    const char *text = "{\"modelId\":\"m\"," TS ",\"requestMetadata\":{\"team\":\"a\\u001b[2K\"},"
                       TOK "}\n"
                       "{\"modelId\":\"m\"," TS ",\"requestMetadata\":{\"team\":\"b\\tc\"}," TOK
                       "}\n"
                       "{\"modelId\":\"m\"," TS ",\"requestMetadata\":{\"team\":\"d\"}," TOK "}\n";
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, "metadata:team", "x.jsonl", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.records, 3);
    CU_ASSERT_EQUAL(sum.log_stored, 3);
    CU_ASSERT(all_counted(&sum));
    ASSERT_CONTAINS(w.text, "x.jsonl: 2 records whose attribution key is not text, attributed "
                            "to \"unknown\" (lines 1, 2): a control character\n");
    CU_ASSERT_EQUAL(w.count, 1);
    CU_ASSERT_EQUAL(
        q_i(s, "SELECT sum(input_tokens) FROM log_minutes WHERE attr_key = 'unknown'"), 200);
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 300);
    tp_store_close(s);

#define ROW_(k)                                                                                    \
    "[{\"field\":\"minute\",\"value\":\"2025-08-15 12:44:00.000\"},{\"field\":\"modelId\","        \
    "\"value\":\"m\"},{\"field\":\"attr_key\",\"value\":\"" k "\"},{\"field\":\"requests\","      \
    "\"value\":\"1\"},{\"field\":\"input_tokens\",\"value\":\"10\"}]"
    const char *rows = "{\"results\":[" ROW_("a") "," ROW_("b\\u0007") "],\"status\":\"Complete\"}";
#undef ROW_
    s = open_mem();
    memset(&w, 0, sizeof w);
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, "metadata:team", "q.json", rows, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.records, 2);
    CU_ASSERT_EQUAL(sum.log_stored, 2);
    ASSERT_CONTAINS(w.text, "q.json: 1 record whose attribution key is not text, attributed to "
                            "\"unknown\" (row 2): a control character\n");
    CU_ASSERT_EQUAL(
        q_i(s, "SELECT sum(input_tokens) FROM log_minutes WHERE attr_key = 'unknown'"), 10);
    tp_store_close(s);
}

/* A modelId that is not text is refused with that reason (it read "no modelId", although
 * there was one), on both paths; the record's demand cannot be put under any model. (The
 * query rows have a token column: without one, nothing is stored.) */
static void test_model_not_text(void)
{
    const char *text = "{\"modelId\":\"m\\u001b\"," TS "," TOK "}\n"
                       "{\"modelId\":\"m\"," TS "," TOK "}\n";
    tp_store *s = open_mem();
    warnings w = {{0}, 0};
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "x.jsonl", text, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.records, 2);
    CU_ASSERT_EQUAL(sum.log_malformed, 1);
    ASSERT_CONTAINS(w.text, "x.jsonl: 1 malformed record skipped (line 1): a modelId that is not "
                            "text (a control character)\n");
    tp_store_close(s);
    const char *rows =
        "{\"results\":[[{\"field\":\"minute\",\"value\":\"2025-08-15 12:44:00.000\"},"
        "{\"field\":\"modelId\",\"value\":\"m\\u0007\"},{\"field\":\"requests\","
        "\"value\":\"1\"}],[{\"field\":\"minute\",\"value\":\"2025-08-15 12:44:00.000\"},"
        "{\"field\":\"modelId\",\"value\":\"m\"},"
        "{\"field\":\"input_tokens\",\"value\":\"5\"}]],\"status\":\"Complete\"}";
    s = open_mem();
    memset(&w, 0, sizeof w);
    CU_ASSERT_EQUAL_FATAL(ingest_text(s, NULL, "q.json", rows, &sum, &w), TP_OK);
    CU_ASSERT_EQUAL(sum.log_malformed, 1);
    ASSERT_CONTAINS(w.text, "q.json: 1 malformed record skipped (row 1): a modelId that is not "
                            "text (a control character)\n");
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("ingest_logs_refused", NULL, NULL);
    ADD(s, test_long_ids_s3);
    ADD(s, test_long_identity);
    ADD(s, test_long_ids_insights);
    ADD(s, test_long_line_counted);
    ADD(s, test_nul);
    ADD(s, test_nul_ingested);
    ADD(s, test_numbers_and_duplicates);
    ADD(s, test_key_not_text);
    ADD(s, test_model_not_text);
}
