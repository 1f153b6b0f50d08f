/* test_ingest_scan.c - the streaming get-metric-data scanner stores exactly what the cJSON
 * path stores (CLI v1 and v2 timestamps, pages, escapes, exponents, white space), declines
 * what it does not recognise with nothing changed, and a declined input still ingests. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <string.h>

#include "scan_compare.h"
#include "test_util.h"

void register_tests(void);

#define M "anthropic.claude-test-v1:0"

/* Decodes json with the scanner (which must accept it when accept, decline it otherwise) and
 * with the cJSON path, and checks both, and ingest_decode_json, hold the same. */
static void both(const tp_ingest_options *opts, const char *json, int accept)
{
    tp_ingest_options none = {0};
    ingest_decoded a = {0}, b = {0}, c = {0};
    tp_error e1, e2, e3;
    char why[200];
    if (opts == NULL)
        opts = &none;
    a.name = b.name = c.name = "t.json";
    const int scanned = ingest_json_scan(opts, &a, json, strlen(json), &e1);
    const tp_status tree = ingest_decode_json_tree(opts, &b, json, strlen(json), &e2);
    const tp_status whole = ingest_decode_json(opts, &c, json, strlen(json), &e3);
    CU_ASSERT_EQUAL(scanned, accept);
    CU_ASSERT_EQUAL(tree, TP_OK);
    CU_ASSERT_EQUAL(whole, TP_OK);
    if (tree != TP_OK)
        fprintf(stderr, "\n  cJSON path: %s\n", e2.message);
    if (scanned == 1) {
        const int same = scan_decoded_eq(&a, &b, why, sizeof why);
        if (!same)
            fprintf(stderr, "\n  scanner and cJSON differ: %s\n  in %s\n", why, json);
        CU_ASSERT(same);
    } else {
        /* declined: nothing decoded */
        CU_ASSERT_EQUAL(a.n_groups + a.n_pages + a.n_empties + a.documents, 0);
    }
    CU_ASSERT(scan_decoded_eq(&c, &b, why, sizeof why));
    CU_ASSERT(b.n_groups + b.n_empties > 0);
    ingest_decoded_deinit(&a);
    ingest_decoded_deinit(&b);
    ingest_decoded_deinit(&c);
}

/* As the AWS CLI v2 writes it: indented, ISO timestamps with +00:00, Messages. */
static void test_cli_v2(void)
{
    both(NULL,
         "{\n    \"MetricDataResults\": [\n        {\n            \"Id\": \"in\",\n"
         "            \"Label\": \"InputTokenCount ModelId=" M " Period=60\",\n"
         "            \"Timestamps\": [\n                \"2026-10-05T14:02:00+00:00\",\n"
         "                \"2026-10-05T14:01:00+00:00\"\n            ],\n"
         "            \"Values\": [\n                1200.0,\n                35.5\n"
         "            ],\n            \"StatusCode\": \"Complete\"\n        },\n"
         "        {\n            \"Id\": \"out\",\n"
         "            \"Label\": \"OutputTokenCount ModelId=" M " Region=us-east-1\",\n"
         "            \"Timestamps\": [],\n            \"Values\": [],\n"
         "            \"StatusCode\": \"Complete\"\n        }\n    ],\n"
         "    \"Messages\": []\n}\n",
         1);
}

/* AWS CLI v1 and cli_timestamp_format = wire: Z timestamps, epoch seconds and milliseconds as
 * numbers and as numeric strings. */
static void test_cli_v1_and_wire(void)
{
    both(NULL,
         "{\"MetricDataResults\":[{\"Id\":\"a\",\"Label\":\"InputTokenCount ModelId=" M "\","
         "\"Timestamps\":[\"2026-10-05T14:00:00Z\",1791208860,1791208920000,\"1791208980\","
         "\"1791209040000\",1.79120910e9],\"Values\":[1,2,3,4,5,6],\"StatusCode\":\"Complete\"}]}",
         1);
}

/* Timestamp forms around the scanner's same-date shortcut: dates changing back and forth,
 * offsets, a leap second, fractions, a lower-case t, the last minute tierplan can hold. */
static void test_timestamp_forms(void)
{
    both(NULL,
         "{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\",\"Timestamps\":["
         "\"2026-10-05T23:59:00+00:00\",\"2026-10-05T23:58:00Z\",\"2026-10-06T00:00:00Z\","
         "\"2026-10-05T23:57:00+01:00\",\"2026-10-05T23:56:00+00:00\",\"2026-12-31T23:59:60Z\","
         "\"2026-12-31T23:55:00.000Z\",\"2026-12-31t23:54:00Z\",\"2026-12-31T23:53:00-00:00\","
         "\"2026-12-31T23:52:00+0000\",\"2026-12-31 23:51:00Z\",\"9999-12-31T23:59:00Z\","
         "\"9999-12-31T23:58:00+00:00\",\"1970-01-01T00:00:00Z\",\"1970-01-01T00:01:00Z\"],"
         "\"Values\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]}",
         1);
}

/* A page with a NextToken and a PartialData result, then its continuation in the same file
 * (concatenated documents are named "document N"). */
static void test_pages(void)
{
    const char *p1 = "{\"MetricDataResults\":[{\"Id\":\"a\",\"Label\":\"InputTokenCount ModelId=" M
                     "\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],\"Values\":[7],"
                     "\"StatusCode\":\"PartialData\"}],\"NextToken\":\"tok==\",\"Messages\":[]}";
    const char *p2 = "{\"NextToken\":\"\",\"MetricDataResults\":[{\"StatusCode\":\"Complete\","
                     "\"Values\":[8],\"Timestamps\":[\"2026-10-05T14:01:00Z\"],\"Id\":\"a\","
                     "\"Label\":\"InputTokenCount ModelId=" M "\"}]}";
    char both_docs[1024];
    both(NULL, p1, 1);
    both(NULL, p2, 1);
    snprintf(both_docs, sizeof both_docs, "%s\n%s\n", p1, p2);
    both(NULL, both_docs, 1);
    snprintf(both_docs, sizeof both_docs, "%s%s%s", p2, p1, p2);
    both(NULL, both_docs, 1);
}

/* Escapes in labels and Ids: \/, \t as a separator, \", \u00e9, \u20ac, \u0041. */
static void test_escapes(void)
{
    both(
        NULL,
        "{\"MetricDataResults\":[{\"Id\":\"q\\\"1\\u00e9\",\"Label\":\"InputTokenCount\\tModelId="
        "anthropic.claude\\/x\\u0041-v1:0 note=\\u20ac\\\\ \\n\",\"Timestamps\":[\"2026-10-05T14:00"
        ":00Z\"],\"Values\":[3],\"Messages\":[{\"Code\":\"x\",\"Value\":\"\\\"\"}]}]}",
        1);
}

/* Numbers: exponents, fractions, long mantissas (strtod's slow path), the extremes. */
static void test_numbers(void)
{
    both(NULL,
         "{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\",\"Timestamps\":["
         "\"2026-10-05T14:00:00Z\",\"2026-10-05T14:01:00Z\",\"2026-10-05T14:02:00Z\","
         "\"2026-10-05T14:03:00Z\",\"2026-10-05T14:04:00Z\",\"2026-10-05T14:05:00Z\","
         "\"2026-10-05T14:06:00Z\",\"2026-10-05T14:07:00Z\",\"2026-10-05T14:08:00Z\","
         "\"2026-10-05T14:09:00Z\",\"2026-10-05T14:10:00Z\",\"2026-10-05T14:11:00Z\","
         "\"2026-10-05T14:12:00Z\",\"2026-10-05T14:13:00Z\"],\"Values\":[1.5e3,2E+2,1e-3,0.1,"
         "12345678901234567890123,0.30000000000000004,3.14159265358979323846,4.9e-324,0,-0,"
         "0.0000000000000000000000001,9007199254740993,1e22,123.456e-5]}]}",
         1);
}

/* White space: none, CRLF and tabs, spaces around every token. */
static void test_whitespace(void)
{
    both(NULL,
         "\r\n\t{ \"MetricDataResults\" :\r\n[ { \"Id\" : \"a\" , \"Label\" :\t\"InputTokenCount "
         "ModelId=" M "\" , \"Timestamps\" : [ \"2026-10-05T14:00:00Z\" ,\r\n1791208860 ] , "
         "\"Values\" : [ 1 ,\t2 ] } ] }\r\n",
         1);
}

/* Labels the options complete, and Start=/End= words. */
static void test_options_and_span(void)
{
    tp_ingest_options o = {0};
    o.model = M;
    o.metric = "OutputTokenCount";
    o.tier = "priority";
    both(&o,
         "{\"MetricDataResults\":[{\"Id\":\"a\",\"Label\":\"\",\"Timestamps\":[\"2026-10-05T14:00"
         ":00Z\"],\"Values\":[4]},{\"Id\":\"b\",\"Label\":\"Start=2026-10-05T00:00:00Z End=2026-"
         "10-06T00:00:00Z Period=300\",\"Timestamps\":[],\"Values\":[]}]}",
         1);
}

/* Declined, and read by cJSON all the same: get-metric-statistics, a key the scanner does not
 * know, a surrogate pair, a Label that is no string, a number cJSON reads loosely ("01"), a
 * control character in a string, a duplicate key (cJSON refuses that: see below). */
static void test_declined_still_ingests(void)
{
    tp_ingest_options o = {0};
    o.model = M;
    o.metric = "InputTokenCount";
    both(&o,
         "{\"Label\":\"InputTokenCount\",\"Datapoints\":[{\"Timestamp\":"
         "\"2026-10-05T14:00:00Z\",\"Sum\":3}]}",
         0);
    both(NULL,
         "{\"MetricDataResults\":[{\"Other\":1,\"Label\":\"InputTokenCount ModelId=" M
         "\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],\"Values\":[3]}]}",
         0);
    both(NULL,
         "{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M " \\ud83d\\ude00"
         "\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],\"Values\":[3]}]}",
         0);
    both(&o,
         "{\"MetricDataResults\":[{\"Label\":null,\"Timestamps\":[\"2026-10-05T14:00:00Z\"],"
         "\"Values\":[3]}]}",
         0);
    both(NULL,
         "{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\","
         "\"Timestamps\":[\"2026-10-05T14:00:00Z\"],\"Values\":[01]}]}",
         0);
    both(NULL,
         "{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\tx\","
         "\"Timestamps\":[\"2026-10-05T14:00:00Z\"],\"Values\":[1]}]}",
         0);
}

/* Declined, and the cJSON path reports the error as before. */
static void test_declined_errors(void)
{
    static const struct {
        const char *json, *message;
    } cases[] = {
        {"{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\",\"Timestamps\":"
         "[\"2026-10-05T14:00:00Z\"],\"Values\":[-5]}]}",
         "t.json: $.MetricDataResults[0].Values[0]: negative value -5"},
        {"{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\",\"Timestamps\":"
         "[\"2026-10-05T14:00:00Z\",1791208830],\"Values\":[5,6]}]}",
         "t.json: $.MetricDataResults[0].Timestamps[1]: timestamp 1791208830 is not on a whole "
         "minute (CloudWatch periods start on whole minutes)"},
        {"{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\",\"Timestamps\":"
         "[\"yesterday\"],\"Values\":[5]}]}",
         "t.json: $.MetricDataResults[0].Timestamps[0]: unparsable timestamp \"yesterday\""},
        {"{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\",\"Timestamps\":"
         "[\"2026-10-05T14:00:00Z\"],\"Values\":[5],\"Values\":[6]}]}",
         "t.json: $.MetricDataResults[0]: duplicate key \"Values\""},
        {"{\"MetricDataResults\":[{\"Label\":\"ModelId=" M "\",\"Timestamps\":"
         "[\"2026-10-05T14:00:00Z\"],\"Values\":[5]}]}",
         "t.json: $.MetricDataResults[0]: label \"ModelId=" M "\" names no known metric"},
        {"{\"MetricDataResults\":[{\"Label\":\"InputTokenCount ModelId=" M "\",\"Timestamps\":"
         "[\"2026-10-05T14:00:00Z\"],\"Values\":[5]}]}\n{\"MetricDataResults\":[",
         "t.json:2: document 2, malformed JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tp_ingest_options none = {0};
        ingest_decoded a = {0}, c = {0};
        tp_error e1, e3;
        a.name = c.name = "t.json";
        const size_t n = strlen(cases[i].json);
        CU_ASSERT_EQUAL(ingest_json_scan(&none, &a, cases[i].json, n, &e1), 0);
        CU_ASSERT_EQUAL(a.n_groups + a.n_pages, 0);
        CU_ASSERT_NOT_EQUAL(ingest_decode_json(&none, &c, cases[i].json, n, &e3), TP_OK);
        if (strstr(e3.message, cases[i].message) == NULL)
            fprintf(stderr, "\n  case %zu: %s\n", i, e3.message);
        CU_ASSERT_PTR_NOT_NULL(strstr(e3.message, cases[i].message));
        ingest_decoded_deinit(&a);
        ingest_decoded_deinit(&c);
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("ingest scan", NULL, NULL);
    ADD(s, test_cli_v2);
    ADD(s, test_cli_v1_and_wire);
    ADD(s, test_timestamp_forms);
    ADD(s, test_pages);
    ADD(s, test_escapes);
    ADD(s, test_numbers);
    ADD(s, test_whitespace);
    ADD(s, test_options_and_span);
    ADD(s, test_declined_still_ingests);
    ADD(s, test_declined_errors);
}
