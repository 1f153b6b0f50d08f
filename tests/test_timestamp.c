/* test_timestamp.c - ISO-8601 parsing and formatting against hand-computed epochs. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "tierplan/timestamp.h"

void register_tests(void);

static int64_t parse(const char *s)
{
    int64_t t = -1;
    CU_ASSERT_EQUAL(tp_timestamp_parse(s, strlen(s), &t, NULL), TP_OK);
    return t;
}

static int rejects(const char *s)
{
    int64_t t;
    return tp_timestamp_parse(s, strlen(s), &t, NULL) == TP_ERR_PARSE;
}

/* 2026-10-05T14:03:00Z by hand: 2026-01-01 is 1,767,225,600 (56 years incl. 14 leap days:
 * (56*365 + 14) * 86400). Jan..Sep 2026 = 31+28+31+30+31+30+31+31+30 = 273 days, plus 4 days
 * into October = 277 days = 23,932,800 s; 14:03 = 50,580 s. Total 1,791,208,980. */
static void test_utc_forms(void)
{
    CU_ASSERT_EQUAL(parse("2026-10-05T14:03:00+00:00"), 1791208980);
    CU_ASSERT_EQUAL(parse("2026-10-05T14:03:00Z"), 1791208980);
    CU_ASSERT_EQUAL(parse("2026-10-05T14:03:00.000Z"), 1791208980);
    CU_ASSERT_EQUAL(parse("2026-10-05T14:03:00.999999+00:00"), 1791208980);
    CU_ASSERT_EQUAL(parse("2026-10-05 14:03:00"), 1791208980);
    CU_ASSERT_EQUAL(parse("2026-10-05T14:03Z"), 1791208980);
    CU_ASSERT_EQUAL(parse("2026-10-05"), 1791208980 - 50580);
}

/* 14:03+02:00 is 12:03 UTC (7,200 s less); 14:03-05:30 is 19:33 UTC (19,800 s more). */
static void test_offsets(void)
{
    CU_ASSERT_EQUAL(parse("2026-10-05T14:03:00+02:00"), 1791208980 - 7200);
    CU_ASSERT_EQUAL(parse("2026-10-05T14:03:00-05:30"), 1791208980 + 19800);
    CU_ASSERT_EQUAL(parse("2026-10-05T14:03:00+0200"), 1791208980 - 7200);
    /* an offset that crosses midnight: 00:30+01:00 is 23:30 the day before */
    CU_ASSERT_EQUAL(parse("2026-10-06T00:30:00+01:00"), 1791208980 - 50580 + 84600);
}

/* 2024-02-29 exists (leap year); 2024-03-01T00:00Z = 1,709,251,200: 2024-01-01 is
 * 1,704,067,200 ((54*365 + 13) * 86400), plus 31 + 29 = 60 days = 5,184,000 s. */
static void test_calendar(void)
{
    CU_ASSERT_EQUAL(parse("2024-03-01T00:00:00Z"), 1709251200);
    CU_ASSERT_EQUAL(parse("2024-02-29T00:00:00Z"), 1709251200 - 86400);
    CU_ASSERT_EQUAL(parse("1970-01-01T00:00:00Z"), 0);
    CU_ASSERT(rejects("2025-02-29T00:00:00Z"));
    CU_ASSERT(rejects("2100-02-29"));
    CU_ASSERT_EQUAL(parse("2000-02-29"), 951782400);
}

static void test_rejects(void)
{
    CU_ASSERT(rejects(""));
    CU_ASSERT(rejects("yesterday"));
    CU_ASSERT(rejects("2026-13-01T00:00:00Z"));
    CU_ASSERT(rejects("2026-04-31T00:00:00Z"));
    CU_ASSERT(rejects("2026-10-05T24:00:00Z"));
    CU_ASSERT(rejects("2026-10-05T12:60:00Z"));
    CU_ASSERT(rejects("2026-10-05T12:00:00Zjunk"));
    CU_ASSERT(rejects("2026-10-05T12:00:00."));
    CU_ASSERT(rejects("2026-10-05T12:00:00+25:00"));
    CU_ASSERT(rejects("26-10-05"));
    CU_ASSERT(rejects("2026/10/05"));
    /* "+05:" promises offset minutes */
    CU_ASSERT(rejects("2026-10-05T12:00:00+05:"));
    /* instants outside what tierplan writes back, after the offset is applied:
     * 9999-12-31T23:57-23:00 is 10000-01-01T22:57Z; 1970-01-01T00:30+01:00 is 1969 */
    CU_ASSERT(rejects("9999-12-31T23:57:00-23:00"));
    CU_ASSERT(rejects("1970-01-01T00:30:00+01:00"));
    CU_ASSERT(rejects("1969-12-31T23:59:00Z"));
    /* 253402300740 = days_from_civil(9999,12,31) * 86400 + 23:59 = 253402214400 + 86340 */
    CU_ASSERT_EQUAL(parse("9999-12-31T23:59:00Z"), 253402300740);
    CU_ASSERT_EQUAL(parse("9999-12-31T23:59:00+01:00"), 253402300740 - 3600);
}

static void test_format_roundtrip(void)
{
    char buf[TP_TIME_BUF];
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(1791208980, buf), "2026-10-05T14:03:00Z");
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(0, buf), "1970-01-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(951782400, buf), "2000-02-29T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(tp_timestamp_format(-60, buf), "1969-12-31T23:59:00Z");
    /* every minute of a leap year formats and parses back to itself */
    int ok = 1;
    for (int64_t t = 1704067200; t < 1704067200 + 366LL * 86400; t += 3599) {
        tp_timestamp_format(t, buf);
        int64_t back = -1;
        ok &= tp_timestamp_parse(buf, strlen(buf), &back, NULL) == TP_OK && back == t;
    }
    CU_ASSERT(ok);
}

/* The parser must not read past len: the text need not be terminated. */
static void test_length_bound(void)
{
    const char *s = "2026-10-05T14:03:00Zgarbage";
    int64_t t = -1;
    CU_ASSERT_EQUAL(tp_timestamp_parse(s, 20, &t, NULL), TP_OK);
    CU_ASSERT_EQUAL(t, 1791208980);
    CU_ASSERT_EQUAL(tp_timestamp_parse(s, 19, &t, NULL), TP_OK); /* without the Z: UTC */
    CU_ASSERT_EQUAL(tp_timestamp_parse(s, 18, &t, NULL), TP_ERR_PARSE);
}

/* A failed parse says which text and which field, for callers that pass a tp_error. */
static void test_parse_error_message(void)
{
    tp_error err;
    int64_t t = 42;
    const char *s = "2026-13-01T00:00Z";
    CU_ASSERT_EQUAL(tp_timestamp_parse(s, strlen(s), &t, &err), TP_ERR_PARSE);
    CU_ASSERT_EQUAL(err.status, TP_ERR_PARSE);
    CU_ASSERT_STRING_EQUAL(err.message,
                           "\"2026-13-01T00:00Z\" is not an ISO 8601 timestamp: no month 01 to 12");
    CU_ASSERT_EQUAL(t, 42); /* untouched on error */
    s = "2026-02-29";
    CU_ASSERT_EQUAL(tp_timestamp_parse(s, strlen(s), &t, &err), TP_ERR_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "no such day in that month"));
    s = "2026-10-05T14:00Zjunk";
    CU_ASSERT_EQUAL(tp_timestamp_parse(s, strlen(s), &t, &err), TP_ERR_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "unexpected text after the timestamp"));
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("timestamp", NULL, NULL);
    CU_add_test(s, "utc forms", test_utc_forms);
    CU_add_test(s, "offsets", test_offsets);
    CU_add_test(s, "calendar", test_calendar);
    CU_add_test(s, "rejects", test_rejects);
    CU_add_test(s, "format roundtrip", test_format_roundtrip);
    CU_add_test(s, "length bound", test_length_bound);
    CU_add_test(s, "parse error message", test_parse_error_message);
}
