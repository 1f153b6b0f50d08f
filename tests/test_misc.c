/* test_misc.c - SHA-256 vectors, locale-free numbers, export-cmd, status names, string arrays
 * and metric names. */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bigalloc.h"
#include "base/cnum.h"
#include "base/sha256.h"
#include "test_util.h"

/* bigalloc: an ordinary allocation below BIGALLOC_MIN_BYTES, a 2 MiB-aligned one from it on,
 * every byte writable and kept (the advice changes where the pages come from, not what they
 * hold), freed with free(). */
static void test_bigalloc(void)
{
    unsigned char *none = bigalloc(0);
    CU_ASSERT_PTR_NOT_NULL(none);
    free(none);
    double *small = bigalloc(1000 * sizeof *small);
    CU_ASSERT_PTR_NOT_NULL_FATAL(small);
    for (size_t k = 0; k < 1000; k++)
        small[k] = (double)k;
    CU_ASSERT_EQUAL(small[999], 999.0);
    free(small);
    /* a model-year of doubles (525,600 x 8 bytes, 4.2 MB): over the threshold */
    const size_t n = 525600;
    double *year = bigalloc(n * sizeof *year);
    CU_ASSERT_PTR_NOT_NULL_FATAL(year);
    CU_ASSERT_EQUAL((uintptr_t)year % ((uintptr_t)2 << 20), 0);
    for (size_t k = 0; k < n; k++)
        year[k] = (double)k * 0.5;
    double sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += year[k];
    /* 0.5 (0 + 1 + ... + 525,599) = 0.5 x 525,599 x 525,600 / 2 = 69,063,708,600, exact in
     * doubles (every partial sum is a multiple of 0.5 below 2^53) */
    CU_ASSERT_EQUAL(sum, 69063708600.0);
    free(year);
    /* exactly the threshold: aligned too */
    unsigned char *edge = bigalloc(BIGALLOC_MIN_BYTES);
    CU_ASSERT_PTR_NOT_NULL_FATAL(edge);
    CU_ASSERT_EQUAL((uintptr_t)edge % ((uintptr_t)2 << 20), 0);
    memset(edge, 0xab, BIGALLOC_MIN_BYTES);
    CU_ASSERT_EQUAL(edge[BIGALLOC_MIN_BYTES - 1], 0xab);
    free(edge);
}

void register_tests(void);

/* FIPS 180-4 examples: "abc", the empty string, and the two-block 56-byte message. */
static void test_sha256(void)
{
    char hex[65];
    sha256_hex("abc", 3, hex);
    CU_ASSERT_STRING_EQUAL(hex,
                           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hex("", 0, hex);
    CU_ASSERT_STRING_EQUAL(hex,
                           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(m, strlen(m), hex);
    CU_ASSERT_STRING_EQUAL(hex,
                           "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The SHA extensions and the portable code agree on every length around the block edges
 * and on long inputs fed in odd pieces (where the CPU lacks the extensions, both runs are
 * the portable code). */
static void test_sha256_paths(void)
{
    static unsigned char data[5000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    for (size_t len = 0; len < sizeof data; len += len < 200 ? 1 : 97) {
        char a[65], b[65];
        sha256_ctx c;
        sha256_portable_only = 1;
        sha256_hex(data, len, a);
        sha256_portable_only = 0;
        sha256_init(&c);
        for (size_t at = 0; at < len; at += 37) /* pieces across block edges */
            sha256_update(&c, data + at, len - at < 37 ? len - at : 37);
        sha256_final(&c, b);
        CU_ASSERT_STRING_EQUAL(a, b);
    }
}

static void test_cnum(void)
{
    double v = 0;
    CU_ASSERT_EQUAL(cnum_parse("1.5", 3, &v), 0);
    CU_ASSERT_EQUAL(v, 1.5);
    CU_ASSERT_EQUAL(cnum_parse("2.5e1x", 5, &v), 0); /* only len bytes are read */
    CU_ASSERT_EQUAL(v, 25);
    CU_ASSERT_EQUAL(cnum_parse("1,5", 3, &v), -1);
    CU_ASSERT_EQUAL(cnum_parse("", 0, &v), -1);
    CU_ASSERT_EQUAL(cnum_parse("1e999", 5, &v), -1);
    CU_ASSERT_EQUAL(cnum_parse("12 ", 3, &v), -1);
    /* strtod's extras are not token counts: hex, leading space, a bare exponent (the words
     * nan and inf parse, for callers to reject as "not a finite number") */
    CU_ASSERT_EQUAL(cnum_parse("0x10", 4, &v), -1);
    CU_ASSERT_EQUAL(cnum_parse("0X1p4", 5, &v), -1);
    CU_ASSERT_EQUAL(cnum_parse("nan", 3, &v), 0);
    CU_ASSERT(isnan(v));
    CU_ASSERT_EQUAL(cnum_parse(" 12", 3, &v), -1);
    CU_ASSERT_EQUAL(cnum_parse("1e", 2, &v), -1);
    CU_ASSERT_EQUAL(cnum_parse(".", 1, &v), -1);
    CU_ASSERT_EQUAL(cnum_parse("-.5", 3, &v), 0);
    CU_ASSERT_EQUAL(v, -0.5);
    CU_ASSERT_EQUAL(cnum_parse("+7.e2", 5, &v), 0);
    CU_ASSERT_EQUAL(v, 700);
    char buf[40];
    cnum_format(buf, sizeof buf, 0.1);
    CU_ASSERT_STRING_EQUAL(buf, "0.1");
    cnum_format(buf, sizeof buf, 123456789.5);
    CU_ASSERT_STRING_EQUAL(buf, "123456789.5");
    cnum_format(buf, sizeof buf, 1.0 / 3.0);
    CU_ASSERT_EQUAL(strtod(buf, NULL), 1.0 / 3.0); /* reads back exactly */
}

/* 100 days: hourly data older than 62 d 23 h, 5-minute data older than 14 d 23 h, 1-minute
 * data after (CloudWatch's periods by the age of StartTime, an hour to spare).
 * now = 2026-11-22T10:30:45Z (1,795,343,445) rounds down to 10:30:00 (1,795,343,400):
 * 14 d 23 h before is 2026-11-07T11:30, 62 d 23 h before 2026-09-20T11:30 (a multiple of
 * 300 s); 100 days before is 2026-08-14T10:30, whose hour starts at 10:00. */
static void test_awscmd(void)
{
    char *out = NULL;
    tp_error err;
    const char *model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_build(model, 100, 1795343445, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "--start-time 2026-11-07T11:30:00Z --end-time 2026-11-22T10:30:00Z");
    ASSERT_CONTAINS(out, "--start-time 2026-09-20T11:30:00Z --end-time 2026-11-07T11:30:00Z");
    ASSERT_CONTAINS(out, "--start-time 2026-08-14T10:00:00Z --end-time 2026-09-20T11:30:00Z");
    ASSERT_CONTAINS(out, "\"Label\":\"ModelId=us.anthropic.claude-sonnet-4-5-20250929-v1:0 "
                         "InputTokenCount Period=60 Start=2026-11-07T11:30:00Z "
                         "End=2026-11-22T10:30:00Z\"");
    /* each segment's End= is its own end time: the as-of ingest compares exports by */
    ASSERT_CONTAINS(out, "CacheWriteInputTokenCount Period=300 Start=2026-09-20T11:30:00Z "
                         "End=2026-11-07T11:30:00Z\"");
    ASSERT_CONTAINS(out, "\"Period\":3600,\"Stat\":\"Sum\"");
    ASSERT_CONTAINS(out, "CacheWriteInputTokenCount Period=300");
    /* the file names carry the model and the end: daily exports do not overwrite each other */
    ASSERT_CONTAINS(out, "> 'tierplan-us.anthropic.claude-sonnet-4-5-20250929-v1_0-"
                         "20261122T1030Z-60s.json.part'");
    ASSERT_CONTAINS(out, "# then: tierplan ingest tierplan-us.anthropic.claude-sonnet-4-5-"
                         "20250929-v1_0-20261122T1030Z-*.json");
    free(out);
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_build(model, 3, 1795343445, &out, &err), TP_OK);
    CU_ASSERT_PTR_NULL(strstr(out, "Period=300"));
    free(out);
    CU_ASSERT_EQUAL(tp_awscmd_build("bad'id", 3, 0, &out, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "(''')");
    CU_ASSERT_EQUAL(tp_awscmd_build(model, 0, 0, &out, &err), TP_ERR_USAGE);
    CU_ASSERT_EQUAL(tp_awscmd_build(model, 456, 0, &out, &err), TP_ERR_USAGE);
}

static void test_status_names(void)
{
    CU_ASSERT_STRING_EQUAL(tp_status_str(TP_OK), "ok");
    CU_ASSERT_STRING_EQUAL(tp_status_str(TP_ERR_CONFLICT), "conflicting values");
    CU_ASSERT_STRING_EQUAL(tp_status_str((tp_status)-100), "unknown error");
    tp_error err;
    CU_ASSERT_EQUAL(tp_error_set(&err, TP_ERR_IO, "x %d", 3), TP_ERR_IO);
    CU_ASSERT_STRING_EQUAL(err.message, "x 3");
    CU_ASSERT(tp_metric_is_known("CacheReadInputTokenCount"));
    CU_ASSERT(!tp_metric_is_known("InputTokens"));
}

static const char *dashed(void *ctx, const char *field, char *buf, size_t size)
{
    (void)ctx;
    if (strcmp(field, "span_from_s") == 0)
        return "--span-from";
    snprintf(buf, size, "--%s", field);
    return buf;
}

/* A message names request fields bare, recorded where they stand (after a %s that could hold
 * braces or the name itself), so that a program can rename exactly those words. */
static void test_error_fields(void)
{
    tp_error err;
    char buf[256];
    CU_ASSERT_EQUAL(tp_error_set_field(&err, TP_ERR_USAGE, "span_to_s",
                                       "%s: {span_to_s} must be after {span_from_s} {x",
                                       "{span_to_s} span_to_s"),
                    TP_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.message,
                           "{span_to_s} span_to_s: span_to_s must be after span_from_s {x");
    CU_ASSERT_STRING_EQUAL(err.field, "span_to_s");
    CU_ASSERT_EQUAL_FATAL(err.n_mentions, 2);
    CU_ASSERT_EQUAL(err.mentions[0].at, 23);
    CU_ASSERT_EQUAL(err.mentions[1].len, 11);
    CU_ASSERT_STRING_EQUAL(tp_error_rename(&err, dashed, NULL, buf, sizeof buf),
                           "{span_to_s} span_to_s: --span_to_s must be after --span-from {x");
    CU_ASSERT_STRING_EQUAL(tp_error_rename(&err, NULL, NULL, buf, sizeof buf), err.message);
    tp_error_prefix(&err, "model m: ");
    CU_ASSERT_STRING_EQUAL(tp_error_rename(&err, dashed, NULL, buf, 40),
                           "model m: {span_to_s} span_to_s: --span_");
    /* a plain set and a clear forget the fields */
    tp_error_set(&err, TP_ERR_IO, "x");
    CU_ASSERT_EQUAL(err.n_mentions, 0);
    CU_ASSERT_STRING_EQUAL(err.field, "");
    tp_error_set_field(&err, TP_ERR_USAGE, "scale", "{scale} must be a number >= 0");
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(err.n_mentions, 0);
    CU_ASSERT_STRING_EQUAL(err.field, "");
    CU_ASSERT_EQUAL(tp_error_set_field(NULL, TP_ERR_USAGE, "a", "{a}"), TP_ERR_USAGE);
}

/* tp_strv_free (common.h) accepts NULL; metric names come from the one CloudWatch table. */
static void test_strv_and_metric_names(void)
{
    tp_strv_free(NULL, 0);
    char **v = malloc(2 * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    v[0] = malloc(4);
    v[1] = NULL;
    tp_strv_free(v, 2); /* frees each string, then the array (checked by the sanitizer run) */
    CU_ASSERT_STRING_EQUAL(tp_metric_cloudwatch_name(TP_METRIC_INPUT), "InputTokenCount");
    CU_ASSERT_STRING_EQUAL(tp_metric_cloudwatch_name(TP_METRIC_OUTPUT), "OutputTokenCount");
    CU_ASSERT_STRING_EQUAL(tp_metric_cloudwatch_name(TP_METRIC_CACHE_READ),
                           "CacheReadInputTokenCount");
    CU_ASSERT_STRING_EQUAL(tp_metric_cloudwatch_name(TP_METRIC_CACHE_WRITE),
                           "CacheWriteInputTokenCount");
    CU_ASSERT_STRING_EQUAL(tp_metric_cloudwatch_name(TP_METRIC_COUNT), "?");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("misc", NULL, NULL);
    ADD(s, test_sha256);
    ADD(s, test_sha256_paths);
    ADD(s, test_cnum);
    ADD(s, test_awscmd);
    ADD(s, test_status_names);
    ADD(s, test_error_fields);
    ADD(s, test_strv_and_metric_names);
    ADD(s, test_bigalloc);
}
