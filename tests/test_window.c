/* test_window.c - windows as users give them: relative bounds, months, today, --last. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "tierplan/series.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

void register_tests(void);

static int64_t minute_of(const char *iso)
{
    int64_t t = -1;
    CU_ASSERT_EQUAL(tp_timestamp_parse(iso, strlen(iso), &t, NULL), TP_OK);
    return t / 60;
}

/* bound text -> minute, against anchor (an ISO time) */
static int64_t resolve(const char *text, int is_end, const char *anchor)
{
    tp_window_bound b;
    int64_t m = -1;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_window_bound_parse(text, is_end, 0, &b, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_window_bound_minute(&b, minute_of(anchor), &m, &err), TP_OK);
    return m;
}

/* -12h, -14d, -8w count back from the anchor in fixed minutes; -3mo on the calendar. */
static void test_relative(void)
{
    const char *a = "2026-10-20T06:30:00Z";
    CU_ASSERT_EQUAL(resolve("-12h", 0, a), minute_of("2026-10-19T18:30:00Z"));
    CU_ASSERT_EQUAL(resolve("-14d", 0, a), minute_of("2026-10-06T06:30:00Z"));
    CU_ASSERT_EQUAL(resolve("-8w", 0, a), minute_of("2026-08-25T06:30:00Z")); /* 56 days */
    CU_ASSERT_EQUAL(resolve("-3mo", 0, a), minute_of("2026-07-20T06:30:00Z"));
    CU_ASSERT_EQUAL(resolve("-0d", 0, a), minute_of(a));
    /* months keep the day, clamped to the month's last: 31 May - 3 months is 28 Feb 2026 (not
     * a leap year), 29 Feb 2024; 31 Mar - 13 months crosses the year back */
    CU_ASSERT_EQUAL(resolve("-3mo", 0, "2026-05-31T12:00:00Z"), minute_of("2026-02-28T12:00"));
    CU_ASSERT_EQUAL(resolve("-3mo", 0, "2024-05-31T12:00:00Z"), minute_of("2024-02-29T12:00"));
    CU_ASSERT_EQUAL(resolve("-13mo", 1, "2026-03-31T00:00:00Z"), minute_of("2025-02-28"));
    /* a relative bound means the same as start or end */
    CU_ASSERT_EQUAL(resolve("-14d", 1, a), minute_of("2026-10-06T06:30:00Z"));
}

/* A month is its first minute as a start and the next month's first as an end; a timestamp
 * rounds down to its minute; today is 00:00 UTC of now's day. */
static void test_fixed(void)
{
    const char *a = "2000-01-01";
    CU_ASSERT_EQUAL(resolve("2026-10", 0, a), minute_of("2026-10-01"));
    CU_ASSERT_EQUAL(resolve("2026-10", 1, a), minute_of("2026-11-01"));
    CU_ASSERT_EQUAL(resolve("2026-12", 1, a), minute_of("2027-01-01"));
    CU_ASSERT_EQUAL(resolve("2024-02", 1, a), minute_of("2024-03-01"));
    CU_ASSERT_EQUAL(resolve("2026-10-05T14:03:59Z", 1, a), minute_of("2026-10-05T14:03"));
    CU_ASSERT_EQUAL(resolve("2026-10-05", 1, a), minute_of("2026-10-05")); /* a date: midnight */
    tp_window_bound b;
    int64_t m = -1;
    /* now = 2026-10-05T14:03:27Z = 1791208980 + 27 s: today is 2026-10-05T00:00 */
    CU_ASSERT_EQUAL(tp_window_bound_parse("today", 0, 1791209007, &b, NULL), TP_OK);
    CU_ASSERT_EQUAL(b.kind, TP_BOUND_AT);
    CU_ASSERT_EQUAL(tp_window_bound_minute(&b, 0, &m, NULL), TP_OK);
    CU_ASSERT_EQUAL(m, minute_of("2026-10-05"));
    CU_ASSERT_EQUAL(tp_window_bound_parse("today", 1, 1791209007, &b, NULL), TP_OK);
    CU_ASSERT_EQUAL(b.minute, minute_of("2026-10-05"));
}

static void test_rejects(void)
{
    const char *bad[] = {"-14", "14d", "-d", "-1y", "-1m", "-1 d", "- 1d", "2026-13",
                         "2026-1", "-1000001d", "yesterday", "", "-14dd", "+14d"};
    tp_window_bound b = {TP_BOUND_AT, 42, 0, TP_UNIT_DAY};
    tp_error err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(tp_window_bound_parse(bad[i], 0, 0, &b, &err), TP_ERR_PARSE);
        CU_ASSERT_EQUAL(b.minute, 42); /* untouched */
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "-N with h, d, w or mo"));
    CU_ASSERT_EQUAL(tp_window_bound_parse("-1000000d", 0, 0, &b, &err), TP_OK);
    int64_t m;
    /* a million days before 2026 is before 1970: a usage error, not a wrapped minute */
    CU_ASSERT_EQUAL(tp_window_bound_minute(&b, minute_of("2026-01-01"), &m, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "1000000d before 2026-01-01T00:00:00Z"));
}

static void test_format(void)
{
    const char *forms[] = {"-12h", "-14d", "-8w", "-3mo", "-0d"};
    char buf[TP_WINDOW_BOUND_BUF];
    tp_window_bound b;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        CU_ASSERT_EQUAL(tp_window_bound_parse(forms[i], 0, 0, &b, NULL), TP_OK);
        CU_ASSERT_STRING_EQUAL(tp_window_bound_format(&b, buf), forms[i]);
    }
    CU_ASSERT_EQUAL(tp_window_bound_parse("2026-10", 1, 0, &b, NULL), TP_OK);
    CU_ASSERT_STRING_EQUAL(tp_window_bound_format(&b, buf), "2026-11-01T00:00:00Z");
    b.kind = TP_BOUND_NONE;
    CU_ASSERT_STRING_EQUAL(tp_window_bound_format(&b, buf), "");
}

/* A query's window resolved against the end of a model's data, or against its now. */
static void test_query_resolve(void)
{
    tp_window_spec w = {0};
    tp_series_query q = {0}, r;
    tp_error err;
    const int64_t end = minute_of("2026-10-10");
    q.model = "m";
    q.window = &w;
    CU_ASSERT_EQUAL(tp_window_bound_parse("-2d", 0, 0, &w.from, NULL), TP_OK);
    CU_ASSERT_EQUAL(tp_series_query_resolve(&q, end, &r, &err), TP_OK);
    /* --from -2d alone: [end - 2 days, end) */
    CU_ASSERT(r.has_from && r.has_to);
    CU_ASSERT_EQUAL(r.from_minute, minute_of("2026-10-08"));
    CU_ASSERT_EQUAL(r.to_minute, end);
    /* anchored at now 2026-10-09T12:00: [10-07T12:00, 10-09T12:00), whatever the data */
    w.has_now = 1;
    w.now_minute = minute_of("2026-10-09T12:00");
    CU_ASSERT_EQUAL(tp_series_query_resolve(&q, end, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.from_minute, minute_of("2026-10-07T12:00"));
    CU_ASSERT_EQUAL(r.to_minute, minute_of("2026-10-09T12:00"));
    /* --to -1d alone: from the data's start (has_from stays 0) */
    w.has_now = 0;
    w.from.kind = TP_BOUND_NONE;
    CU_ASSERT_EQUAL(tp_window_bound_parse("-1d", 1, 0, &w.to, NULL), TP_OK);
    CU_ASSERT_EQUAL(tp_series_query_resolve(&q, end, &r, &err), TP_OK);
    CU_ASSERT(!r.has_from && r.has_to);
    CU_ASSERT_EQUAL(r.to_minute, minute_of("2026-10-09"));
    /* --from -1d --to -2d: empty, both ends named */
    CU_ASSERT_EQUAL(tp_window_bound_parse("-1d", 0, 0, &w.from, NULL), TP_OK);
    CU_ASSERT_EQUAL(tp_window_bound_parse("-2d", 1, 0, &w.to, NULL), TP_OK);
    CU_ASSERT_EQUAL(tp_series_query_resolve(&q, end, &r, &err), TP_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.message, "empty window 2026-10-09T00:00:00Z .. "
                                        "2026-10-08T00:00:00Z: to_minute must be after "
                                        "from_minute");
    CU_ASSERT_STRING_EQUAL(err.field, "to_minute");
    CU_ASSERT_EQUAL(err.n_mentions, 2);
    /* explicit bounds win: the window is not used */
    q.has_from = 1;
    q.from_minute = 7;
    CU_ASSERT_EQUAL(tp_series_query_resolve(&q, end, &r, &err), TP_OK);
    CU_ASSERT(r.has_from && !r.has_to && r.from_minute == 7);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("window", NULL, NULL);
    CU_add_test(s, "relative", test_relative);
    CU_add_test(s, "fixed", test_fixed);
    CU_add_test(s, "rejects", test_rejects);
    CU_add_test(s, "format", test_format);
    CU_add_test(s, "query resolve", test_query_resolve);
}
