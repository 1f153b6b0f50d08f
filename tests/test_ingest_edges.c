/* test_ingest_edges.c - real exports at the edges: wire (epoch) timestamps, pages merged by
 * the AWS CLI, snapshots ingested in any order, and sparse data without a period. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

void register_tests(void);

#define M "anthropic.claude-test-v1:0"

/* 2026-10-05T14:00:00Z is 1,791,208,800 s since the epoch, minute 29,853,480. */
#define T1400 1791208800LL
#define MIN_1400 29853480LL

#define RES(body) "{\"MetricDataResults\":[{\"Id\":\"x\",\"Label\":\"ModelId=" M " " body "}]}"

/* Every stored point as "metric/period@minute=value", sorted: what two stores must agree on
 * (ingest ids may differ). */
#define ALL_POINTS                                                                             \
    "SELECT group_concat(k, ' ') FROM (SELECT s.metric || '/' || s.period_s || '@' || "       \
    "p.minute || '=' || p.value AS k FROM points p JOIN series s ON s.id = p.series_id "       \
    "ORDER BY k)"

static void q_text(tp_store *s, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    refresh_points(s);
    buf[0] = '\0';
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* Checks that an ingest into an empty store fails with status and a message containing
 * needle, and that nothing at all was stored. */
static void expect_refused(const tp_ingest_options *o, const char *name, const char *data,
                           tp_status status, const char *needle)
{
    tp_store *s = open_mem();
    tp_error err;
    CU_ASSERT_EQUAL(ingest_one(s, o, name, data, NULL, &err), status);
    ASSERT_CONTAINS(err.message, needle);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 0);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM series"), 0);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM ingests"), 0);
    tp_store_close(s);
}

/* ---- 9: timestamps as numbers ---- */

/* The AWS CLI v1 (and v2 with cli_timestamp_format = wire) writes epoch numbers. Seconds,
 * seconds with a zero fraction, a numeric string and milliseconds all land on their minute:
 * 1791208800 = 14:00, 1791208860.0 = 14:01, "1791208920" = 14:02, 1791208980000 ms = 14:03. */
static void test_numeric_timestamps(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_summary sum;
    const char *gmd = RES("InputTokenCount Period=60\",\"Timestamps\":[1791208800,"
                          "1791208860.0,\"1791208920\",1791208980000],\"Values\":[1,2,3,4]");
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "wire.json", gmd, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.points, 4);
    CU_ASSERT_EQUAL(sum.first_minute, MIN_1400);
    CU_ASSERT_EQUAL(sum.last_minute, MIN_1400 + 3);
    /* minute k after 14:00 holds k + 1 */
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points WHERE value = minute - 29853480 + 1"),
                    4);
    /* get-metric-statistics: milliseconds as a string, seconds as a number */
    const char *gms = "{\"Label\":\"OutputTokenCount\",\"Datapoints\":["
                      "{\"Timestamp\":\"1791209100000\",\"Sum\":7},"
                      "{\"Timestamp\":1791209160,\"Sum\":8}]}";
    tp_ingest_options o = {0};
    o.model = M;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "gms.json", gms, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.first_minute, MIN_1400 + 5); /* 1791209100 = 14:05 */
    CU_ASSERT_EQUAL(sum.last_minute, MIN_1400 + 6);
    tp_store_close(s);

    /* off the minute, in any unit, is an error like any unaligned timestamp */
    expect_refused(NULL, "frac.json",
                   RES("InputTokenCount Period=60\",\"Timestamps\":[1791208830.5],"
                       "\"Values\":[1]"),
                   TP_ERR_INVALID,
                   "frac.json: $.MetricDataResults[0].Timestamps[0]: timestamp 1791208830.5 "
                   "is not on a whole minute");
    expect_refused(NULL, "sec.json",
                   RES("InputTokenCount Period=60\",\"Timestamps\":[1791208830],\"Values\":[1]"),
                   TP_ERR_INVALID, "timestamp 1791208830 is not on a whole minute");
    expect_refused(NULL, "ms.json",
                   RES("InputTokenCount Period=60\",\"Timestamps\":[\"1791208800500\"],"
                       "\"Values\":[1]"),
                   TP_ERR_INVALID, "timestamp \"1791208800500\" is not on a whole minute");
    expect_refused(&o, "gmsfrac.json",
                   "{\"Label\":\"OutputTokenCount\",\"Datapoints\":[{\"Timestamp\":"
                   "1791208800.25,\"Sum\":1}]}",
                   TP_ERR_INVALID, "gmsfrac.json: $.Datapoints[0].Timestamp: timestamp "
                                   "1791208800.25 is not on a whole minute");
    expect_refused(NULL, "bool.json",
                   RES("InputTokenCount Period=60\",\"Timestamps\":[true],\"Values\":[1]"),
                   TP_ERR_PARSE, "unparsable timestamp (not a string or number)");
    expect_refused(NULL, "neg.json",
                   RES("InputTokenCount Period=60\",\"Timestamps\":[-60],\"Values\":[1]"),
                   TP_ERR_PARSE, "unparsable timestamp -60");
}

/* ---- 10: PartialData on pages merged by the AWS CLI ---- */

/* One result of query Id id: minute 14:0<minute> with value 1 and the given status. */
#define PART(id, metric, minute, status)                                                       \
    "{\"Id\":\"" id "\",\"Label\":\"ModelId=" M " " metric " Period=60\",\"Timestamps\":"     \
    "[\"2026-10-05T14:0" #minute ":00Z\"],\"Values\":[1],\"StatusCode\":\"" status "\"}"

static void ingest_warned(const char *data, warnings *w)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.warn = collect_warning;
    o.warn_ctx = w;
    o.as_of_s = T1400 + 3600; /* no as-of note among the warnings */
    memset(w, 0, sizeof *w);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "gmd.json", data, NULL, &err), TP_OK);
    tp_store_close(s);
}

static void test_merged_pages(void)
{
    warnings w;
    /* the CLI's merge of three pages: every page's results, the last ones Complete */
    ingest_warned("{\"MetricDataResults\":[" PART("in", "InputTokenCount", 0, "PartialData") ","
                  PART("out", "OutputTokenCount", 0, "PartialData") ","
                  PART("in", "InputTokenCount", 1, "PartialData") ","
                  PART("out", "OutputTokenCount", 1, "PartialData") ","
                  PART("in", "InputTokenCount", 2, "Complete") ","
                  PART("out", "OutputTokenCount", 2, "Complete") "]}",
                  &w);
    CU_ASSERT_EQUAL(w.count, 0);
    /* truly incomplete: "in" ends PartialData (one warning, not one per page), "out" ends
     * Complete (none) */
    ingest_warned("{\"MetricDataResults\":[" PART("in", "InputTokenCount", 0, "PartialData") ","
                  PART("out", "OutputTokenCount", 0, "PartialData") ","
                  PART("in", "InputTokenCount", 1, "PartialData") ","
                  PART("out", "OutputTokenCount", 1, "Complete") "]}",
                  &w);
    CU_ASSERT_EQUAL(w.count, 1);
    ASSERT_CONTAINS(w.text, "gmd.json: $.MetricDataResults[2] (Id in): StatusCode PartialData "
                            "in the query's last result");
    /* a NextToken nobody answers: one warning per query, not a second one for its status */
    ingest_warned("{\"MetricDataResults\":[" PART("in", "InputTokenCount", 0, "PartialData") ","
                  PART("out", "OutputTokenCount", 0, "PartialData") "],\"NextToken\":\"t\"}",
                  &w);
    CU_ASSERT_EQUAL(w.count, 2);
    ASSERT_CONTAINS(w.text, "gmd.json: has a NextToken but its next page was not given: query "
                            "in (ModelId=" M " InputTokenCount Period=60) is incomplete");
    ASSERT_CONTAINS(w.text, "query out (ModelId=" M " OutputTokenCount Period=60)");
    /* the next export's file reuses the Ids but is another query (its label differs): it
     * does not answer the NextToken */
    ingest_warned("{\"MetricDataResults\":[" PART("in", "InputTokenCount", 0, "PartialData")
                  "],\"NextToken\":\"t\"}\n"
                  "{\"MetricDataResults\":[{\"Id\":\"in\",\"Label\":\"ModelId=" M
                  " InputTokenCount Period=300\",\"Timestamps\":[\"2026-10-05T13:00:00Z\"],"
                  "\"Values\":[1],\"StatusCode\":\"Complete\"}]}",
                  &w);
    CU_ASSERT_EQUAL(w.count, 1);
    ASSERT_CONTAINS(w.text, "gmd.json (document 1): has a NextToken");
}

/* ---- 11: the most recent export wins, whatever the order ---- */

/* Snapshot A, exported at 14:05 (End=): its last minutes were still filling (12, 4, 1).
 * Snapshot B, exported later without End=: as of its last timestamp 14:09 + 60 s = 14:10. */
static const char *snap_a =
    RES("InputTokenCount Period=60 Start=2026-10-05T13:00:00Z End=2026-10-05T14:05:00Z\","
        "\"Timestamps\":[\"2026-10-05T14:00:00Z\",\"2026-10-05T14:01:00Z\","
        "\"2026-10-05T14:02:00Z\",\"2026-10-05T14:03:00Z\",\"2026-10-05T14:04:00Z\"],"
        "\"Values\":[10,10,12,4,1]");
static const char *snap_b =
    RES("InputTokenCount Period=60\",\"Timestamps\":[1791208800,1791208860,1791208920,"
        "1791208980,1791209040,1791209100,1791209160,1791209220,1791209280,1791209340],"
        "\"Values\":[10,10,10,8,9,7,7,7,7,7]");
/* B's values at 14:00 .. 14:09 (minutes 29853480 ..) */
#define B_POINTS                                                                               \
    "InputTokenCount/60@29853480=10.0 InputTokenCount/60@29853481=10.0 "                       \
    "InputTokenCount/60@29853482=10.0 InputTokenCount/60@29853483=8.0 "                        \
    "InputTokenCount/60@29853484=9.0 InputTokenCount/60@29853485=7.0 "                         \
    "InputTokenCount/60@29853486=7.0 InputTokenCount/60@29853487=7.0 "                         \
    "InputTokenCount/60@29853488=7.0 InputTokenCount/60@29853489=7.0"

static void test_newest_export_wins(void)
{
    tp_error err;
    tp_ingest_summary sum;
    char pa[2048], pb[2048];
    tp_store *ab = open_mem(), *ba = open_mem();
    /* A then B: B is newer and replaces A's 3 stale minutes (14:02, 14:03, 14:04) */
    CU_ASSERT_EQUAL_FATAL(ingest_one(ab, NULL, "a.json", snap_a, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(ingest_one(ab, NULL, "b.json", snap_b, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.inserted, 5);
    CU_ASSERT_EQUAL(sum.replaced, 3);
    CU_ASSERT_EQUAL(sum.unchanged, 2);
    CU_ASSERT_EQUAL(sum.kept_newer, 0);
    /* B then A: A is older; its 3 differing minutes are kept as B had them */
    CU_ASSERT_EQUAL_FATAL(ingest_one(ba, NULL, "b.json", snap_b, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(ingest_one(ba, NULL, "a.json", snap_a, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.inserted, 0);
    CU_ASSERT_EQUAL(sum.replaced, 0);
    CU_ASSERT_EQUAL(sum.unchanged, 2);
    CU_ASSERT_EQUAL(sum.kept_newer, 3);
    CU_ASSERT_EQUAL(q_int(ba, "SELECT kept_newer FROM ingests WHERE source = 'a.json'"), 3);
    q_text(ab, ALL_POINTS, pa, sizeof pa);
    q_text(ba, ALL_POINTS, pb, sizeof pb);
    CU_ASSERT_STRING_EQUAL(pa, B_POINTS);
    CU_ASSERT_STRING_EQUAL(pb, B_POINTS);
    tp_store_close(ba);

    /* --as-of later than B's 14:10 makes A (without End=) the newest: its 3 minutes win */
    const char *a_no_end = RES("InputTokenCount Period=60\",\"Timestamps\":["
                               "\"2026-10-05T14:02:00Z\",\"2026-10-05T14:03:00Z\","
                               "\"2026-10-05T14:04:00Z\"],\"Values\":[12,4,1]");
    tp_ingest_options o = {0};
    o.as_of_s = T1400 + 30 * 60;
    CU_ASSERT_EQUAL_FATAL(ingest_one(ab, &o, "a2.json", a_no_end, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.replaced, 3);
    CU_ASSERT_EQUAL(q_double(ab, "SELECT value FROM points WHERE minute = 29853483"), 4);
    tp_store_close(ab);

    /* both files in one command, in either order: the same values, and no conflict */
    const char *order[2][2] = {{snap_a, snap_b}, {snap_b, snap_a}};
    for (int k = 0; k < 2; k++) {
        tp_store *s = open_mem();
        tp_ingest *ing = NULL;
        CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
        for (int f = 0; f < 2; f++)
            CU_ASSERT_EQUAL(tp_ingest_buffer(ing, "f.json", order[k][f], strlen(order[k][f]),
                                             NULL, &err),
                            TP_OK);
        CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
        tp_ingest_free(ing);
        q_text(s, ALL_POINTS, pa, sizeof pa);
        CU_ASSERT_STRING_EQUAL(pa, B_POINTS);
        tp_store_close(s);
    }
}

/* Ingests one CSV point at 14:00 with the given as-of (minutes after 14:00) as one command. */
static void ingest_at(tp_store *s, double value, int as_of_min)
{
    char csv[128];
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    o.as_of_s = T1400 + as_of_min * 60;
    snprintf(csv, sizeof csv, "2026-10-05T14:00:00Z," M ",InputTokenCount,%g\n", value);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "p.csv", csv, NULL, &err), TP_OK);
}

/* Three exports of one minute: X (as of +10 min, 5), Y (+20, 5), Z (+15, 7). Y is the newest,
 * so every order ends at 5: after X then Y the minute must be as of +20 (Y re-tags it), or Z
 * would replace it. Two exports of one as-of (+10: 5 and 7): the larger value, 7, wins. */
static void test_any_order_same_value(void)
{
    static const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                    {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    const double value[3] = {5, 5, 7};
    const int as_of[3] = {10, 20, 15};
    for (int p = 0; p < 6; p++) {
        tp_store *s = open_mem();
        for (int k = 0; k < 3; k++)
            ingest_at(s, value[perms[p][k]], as_of[perms[p][k]]);
        CU_ASSERT_EQUAL(q_double(s, "SELECT value FROM points"), 5);
        tp_store_close(s);
    }
    for (int p = 0; p < 2; p++) {
        tp_store *s = open_mem();
        ingest_at(s, p == 0 ? 5 : 7, 10);
        ingest_at(s, p == 0 ? 7 : 5, 10);
        CU_ASSERT_EQUAL(q_double(s, "SELECT value FROM points"), 7);
        tp_store_close(s);
    }
}

/* ---- 12: no period guessed from sparse data ---- */

/* Per-minute traffic on every 5th minute: 50000 tokens at 14:00, 14:05, 14:10. Read as
 * 5-minute sums it would spread to 10000 TPM; without Period= or --period it is refused. */
#define SPARSE(label)                                                                          \
    RES("InputTokenCount" label "\",\"Timestamps\":[\"2026-10-05T14:00:00Z\","               \
        "\"2026-10-05T14:05:00Z\",\"2026-10-05T14:10:00Z\"],\"Values\":[50000,50000,50000]")

static void test_sparse_period(void)
{
    expect_refused(NULL, "sparse.json", SPARSE(""), TP_ERR_INVALID,
                   "sparse.json: $.MetricDataResults[0]: period ambiguous: pass period_s "
                   "(series " M " InputTokenCount: timestamps at least 300 s apart");
    /* hourly data must not be read as 60 s either (60x peaks), nor a single point */
    tp_ingest_options o = {0};
    o.model = M;
    expect_refused(&o, "hourly.json",
                   "{\"Label\":\"InputTokenCount\",\"Datapoints\":[{\"Timestamp\":"
                   "\"2026-10-05T14:00:00Z\",\"Sum\":6},{\"Timestamp\":\"2026-10-05T15:00:00Z\","
                   "\"Sum\":6}]}",
                   TP_ERR_INVALID, "period ambiguous: pass period_s");
    expect_refused(NULL, "one.csv", "2026-10-05T14:00:00Z," M ",InputTokenCount,1\n",
                   TP_ERR_INVALID,
                   "one.csv: line 1: period ambiguous: pass period_s (series " M
                   " InputTokenCount: a single timestamp");

    tp_error err;
    tp_store *s = open_mem();
    /* Period= in the label: per-minute, the 50000 peak kept */
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "label.json", SPARSE(" Period=60"), NULL, &err), TP_OK);
    /* --period 60: the same */
    o.model = NULL;
    o.period_s = 60;
    o.metric = "OutputTokenCount";
    CU_ASSERT_EQUAL(ingest_one(s, &o, "opt.json", SPARSE(""), NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM series WHERE period_s = 60"), 2);
    CU_ASSERT_EQUAL(q_double(s, "SELECT max(value) FROM points"), 50000);
    /* smallest gap 60 s: 60 s, though other gaps are 6 minutes */
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "gap.json",
                               RES("CacheReadInputTokenCount\",\"Timestamps\":["
                                   "\"2026-10-05T14:00:00Z\",\"2026-10-05T14:01:00Z\","
                                   "\"2026-10-05T14:07:00Z\"],\"Values\":[1,2,3]"),
                               NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(
        q_int(s, "SELECT period_s FROM series WHERE metric = 'CacheReadInputTokenCount'"), 60);
    tp_store_close(s);
}

/* ---- hardening: stray points, magnitudes, text, leniency, formats, inputs ---- */

/* Ingests len bytes (which may hold NULs) as one command. */
static tp_status ingest_len(tp_store *s, const tp_ingest_options *o, const char *name,
                            const char *data, size_t len, tp_error *err)
{
    tp_ingest *ing = NULL;
    tp_status rc = tp_ingest_begin(s, o, &ing, err);
    if (rc == TP_OK)
        rc = tp_ingest_buffer(ing, name, data, len, NULL, err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, err);
    tp_ingest_free(ing);
    return rc;
}

/* A 2020-01-01 point beside two 2026-10-05 points of one series is 2,104 days from them (over
 * 400): ingest warns naming it, its time, the series and the count. Its neighbours, a minute
 * apart, are not warned about; nor is a series of one point with nothing stored (no other
 * data to be far from). Then a lone 2020 point of a series with 2026 data in the store is
 * far from the stored data: warned too. */
static void test_stray_point_warned(void)
{
    tp_store *s = open_mem();
    tp_error err;
    warnings w = {{0}, 0};
    tp_ingest_options o = {0};
    o.warn = collect_warning;
    o.warn_ctx = &w;
    const char *gmd = RES("InputTokenCount Period=60 End=2026-10-06T00:00:00Z\",\"Timestamps\":"
                          "[\"2026-10-05T14:00:00Z\",\"2026-10-05T14:01:00Z\","
                          "\"2020-01-01T00:00:00Z\"],\"Values\":[1,2,3]");
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "stray.json", gmd, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(w.count, 1);
    ASSERT_CONTAINS(w.text, "stray.json: $.MetricDataResults[0].Values[2]: point at "
                            "2020-01-01T00:00:00Z of " M " InputTokenCount is more than 400 "
                            "days from the series' other data (1 such point)");
    /* one point of a new series: nothing to compare with */
    memset(&w, 0, sizeof w);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "one.csv",
                               "timestamp,model,metric,value,period_s\n"
                               "2019-01-01T00:00:00Z,other,InputTokenCount,1,60\n",
                               NULL, &err),
                    TP_OK);
    CU_ASSERT_PTR_NULL(strstr(w.text, "400 days"));
    /* a lone point far from what the store holds of its series */
    memset(&w, 0, sizeof w);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "late.csv",
                               "timestamp,model,metric,value,period_s\n"
                               "2029-01-01T00:00:00Z," M ",InputTokenCount,1,60\n",
                               NULL, &err),
                    TP_OK);
    ASSERT_CONTAINS(w.text, "late.csv:2: point at 2029-01-01T00:00:00Z of " M
                            " InputTokenCount is more than 400 days");
    tp_store_close(s);
}

/* 1e12 tokens per minute of the period is the most a point may hold: 1e12 at 60 s and 5e12 at
 * 300 s (5 minutes x 1e12) are stored; 1e308 (whose sums overflow to inf) and 5.1e12 at 300 s
 * are refused naming where and the limit. */
static void test_value_magnitude(void)
{
    tp_store *s = open_mem();
    tp_error err;
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "ok.csv",
                               "timestamp,model,metric,value,period_s\n"
                               "2026-10-05T14:00:00Z,m,InputTokenCount,1e12,60\n"
                               "2026-10-05T14:00:00Z,m,OutputTokenCount,5e12,300\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s);
    expect_refused(NULL, "big.json",
                   RES("InputTokenCount Period=60\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],"
                       "\"Values\":[1e308]"),
                   TP_ERR_INVALID, "big.json: $.MetricDataResults[0].Values[0]: value 1e+308 "
                                   "is over 1000000000000, the most");
    expect_refused(NULL, "big.csv",
                   "timestamp,model,metric,value,period_s\n"
                   "2026-10-05T14:00:00Z,m,InputTokenCount,5.1e12,300\n",
                   TP_ERR_INVALID, "big.csv:2: value 5100000000000 is over "
                                   "5000000000000");
}

/* Model ids and tiers are printed and stored as given: control characters and invalid UTF-8
 * are refused naming the file and the line or JSON path; UTF-8 itself is fine. */
static void test_text_refused(void)
{
    tp_store *s = open_mem();
    tp_error err;
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "utf8.csv",
                               "timestamp,model,metric,value,period_s\n"
                               "2026-10-05T14:00:00Z,mod\xc3\xa8le,InputTokenCount,1,60\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s);
    expect_refused(NULL, "bad.csv",
                   "timestamp,model,metric,value,period_s\n"
                   "2026-10-05T14:00:00Z,m\xff,InputTokenCount,1,60\n",
                   TP_ERR_INVALID, "bad.csv:2: model holds invalid UTF-8");
    expect_refused(NULL, "ctl.csv",
                   "timestamp,model,metric,value,tier,period_s\n"
                   "2026-10-05T14:00:00Z,m,InputTokenCount,1,x\x1b[31m,60\n",
                   TP_ERR_INVALID, "ctl.csv:2: tier holds a control character");
    expect_refused(NULL, "met.csv",
                   "timestamp,model,metric,value,period_s\n"
                   "2026-10-05T14:00:00Z,m,Input\x01TokenCount,1,60\n",
                   TP_ERR_INVALID, "met.csv:2: metric holds a control character");
    expect_refused(NULL, "ctl.json",
                   "{\"MetricDataResults\":[{\"Id\":\"x\",\"Label\":\"ModelId=a\\u0007b "
                   "InputTokenCount Period=60\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],"
                   "\"Values\":[1]}]}",
                   TP_ERR_INVALID,
                   "ctl.json: $.MetricDataResults[0]: model id holds a control character");
    tp_ingest_options o = {0};
    o.model = "a\nb";
    tp_ingest *ing = NULL;
    s = open_mem();
    CU_ASSERT_EQUAL(tp_ingest_begin(s, &o, &ing, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "model holds a control character");
    CU_ASSERT_STRING_EQUAL(err.field, "model");
    CU_ASSERT_EQUAL(err.n_mentions, 1);
    CU_ASSERT_EQUAL(err.mentions[0].at, 0);
    CU_ASSERT_EQUAL(err.mentions[0].len, 5);
    tp_store_close(s);
}

/* A NUL inside a CSV field used to end the field there ("12\0" + "34" read as 12); a key
 * given twice in a JSON object used to let the first win. Both are refused now. */
static void test_no_silent_leniency(void)
{
    static const char csv[] = "timestamp,model,metric,value,period_s\n"
                              "2026-10-05T14:00:00Z,m,InputTokenCount,12\00034,60\n";
    tp_store *s = open_mem();
    tp_error err;
    CU_ASSERT_EQUAL(ingest_len(s, NULL, "nul.csv", csv, sizeof csv - 1, &err), TP_ERR_PARSE);
    ASSERT_CONTAINS(err.message, "nul.csv:2: NUL byte");
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 0);
    tp_store_close(s);
    expect_refused(NULL, "dup.json",
                   RES("InputTokenCount Period=60\",\"Timestamps\":[\"2026-10-05T14:00:00Z\"],"
                       "\"Values\":[1],\"Values\":[2]"),
                   TP_ERR_PARSE, "dup.json: $.MetricDataResults[0]: duplicate key \"Values\"");
    expect_refused(&(tp_ingest_options){.model = M}, "dup-gms.json",
                   "{\"Label\":\"InputTokenCount\",\"Datapoints\":[{\"Timestamp\":"
                   "\"2026-10-05T14:00:00Z\",\"Sum\":1,\"Sum\":2}]}",
                   TP_ERR_PARSE, "dup-gms.json: $.Datapoints[0]: duplicate key \"Sum\"");
}

/* Columns in any order when a header names them (model first here), blank lines before the
 * header, a UTF-8 byte order mark and CRLF line ends: 14:00 holds 10 and 14:01 holds 20. A
 * JSON file with a byte order mark reads too. */
static void test_csv_header_any_order(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "any.csv",
                                     "\xEF\xBB\xBF\r\n\r\n"
                                     "model,timestamp,metric,value,period_s\r\n"
                                     "m,2026-10-05T14:00:00Z,InputTokenCount,10,60\r\n"
                                     "m,2026-10-05T14:01:00Z,InputTokenCount,20,60\r\n",
                                     &sum, &err),
                          TP_OK);
    CU_ASSERT_EQUAL(sum.points, 2);
    CU_ASSERT_EQUAL(sum.first_minute, MIN_1400);
    CU_ASSERT_EQUAL(q_double(s, "SELECT value FROM points WHERE minute = 29853481"), 20);
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "bom.json",
                                     "\xEF\xBB\xBF" RES("OutputTokenCount Period=60\","
                                                        "\"Timestamps\":[\"2026-10-05T14:00:00Z\"],"
                                                        "\"Values\":[3]"),
                                     &sum, &err),
                          TP_OK);
    CU_ASSERT_STRING_EQUAL(sum.format, "get-metric-data");
    CU_ASSERT_EQUAL(sum.points, 1);
    tp_store_close(s);
    /* a header must name the required columns, on whatever line it comes */
    expect_refused(NULL, "miss.csv", "\nmodel,timestamp,value\n", TP_ERR_PARSE,
                   "miss.csv:2: missing column \"metric\"");
}

/* Inputs that are no regular file: a directory is named as one; a FIFO reads; /dev/zero
 * stops at the cap; a sparse regular file over the cap is refused by its size (the message
 * gives it) before a byte is read. */
static void test_input_kinds(void)
{
    char dir[] = "/tmp/tp-edges-XXXXXX", path[64];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    tp_store *s = open_mem();
    tp_ingest *ing = NULL;
    tp_error err;
    tp_ingest_options o = {0};
    o.max_file_bytes = 1 << 20;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_file(ing, dir, NULL, &err), TP_ERR_IO);
    ASSERT_CONTAINS(err.message, "is a directory");
    tp_ingest_free(ing);

    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_file(ing, "/dev/zero", NULL, &err), TP_ERR_TOO_BIG);
    ASSERT_CONTAINS(err.message, "/dev/zero: over the input cap of 1048576 bytes");
    tp_ingest_free(ing);

    snprintf(path, sizeof path, "%s/sparse.json", dir);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(ftruncate(fileno(f), (off_t)2 << 30), 0); /* 2 GiB, no blocks */
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_file(ing, path, NULL, &err), TP_ERR_TOO_BIG);
    ASSERT_CONTAINS(err.message, "sparse.json: 2147483648 bytes is over the input cap");
    tp_ingest_free(ing);
    unlink(path);

    snprintf(path, sizeof path, "%s/fifo", dir);
    CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
    pid_t child = fork();
    if (child == 0) { /* the writer: what `tierplan ingest <(aws ...)` reads */
        FILE *w = fopen(path, "w");
        if (w != NULL)
            fputs("2026-10-05T14:00:00Z,m,InputTokenCount,7\n", w);
        _exit(w == NULL || fclose(w) != 0);
    }
    o.period_s = 60;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL(tp_ingest_file(ing, path, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.points, 1);
    CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    int status = -1;
    CU_ASSERT_EQUAL(waitpid(child, &status, 0), child);
    CU_ASSERT_EQUAL(status, 0);
    unlink(path);
    rmdir(dir);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("ingest edges", NULL, NULL);
    ADD(s, test_numeric_timestamps);
    ADD(s, test_merged_pages);
    ADD(s, test_newest_export_wins);
    ADD(s, test_any_order_same_value);
    ADD(s, test_sparse_period);
    ADD(s, test_stray_point_warned);
    ADD(s, test_value_magnitude);
    ADD(s, test_text_refused);
    ADD(s, test_no_silent_leniency);
    ADD(s, test_csv_header_any_order);
    ADD(s, test_input_kinds);
}
