/* test_inventory.c - the series listing and coverage: export spans from labels and options,
 * minutes with data across periods, uncovered spans, the model's data end, schema 2 -> 3. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"

void register_tests(void);

/* A get-metric-data document of one query of model m: its label says Period, Start, End. */
static char *gmd(const char *metric, int period_s, const char *start, const char *end,
                 const char *timestamps, const char *values)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"MetricDataResults\": [{\"Id\": \"q\", \"Label\": \"ModelId=m %s Period=%d "
             "Start=%s End=%s\", \"Timestamps\": [%s], \"Values\": [%s], \"StatusCode\": "
             "\"Complete\"}]}",
             metric, period_s, start, end, timestamps, values);
    return buf;
}

static void ingest_ok(tp_store *s, const tp_ingest_options *o, const char *data)
{
    tp_error err;
    tp_status rc = ingest_one(s, o, "x.json", data, NULL, &err);
    if (rc != TP_OK)
        fprintf(stderr, "\n  ingest: %s\n", err.message);
    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
}

static int64_t minute_of(const char *iso)
{
    int64_t t = -1;
    CU_ASSERT_EQUAL(tp_timestamp_parse(iso, strlen(iso), &t, NULL), TP_OK);
    return t / 60;
}

/*
 * InputTokenCount of m, 2026-10-05 (all times UTC):
 *   export A, 60 s, span 00:00-06:00: points 00:00, 00:01, 05:59
 *   export B, 60 s, span 10:00-12:00: points 10:00, 11:30
 *   export C, 300 s, span 11:00-12:00: points 11:30 (covers 11:30-11:34), 11:55 (11:55-11:59)
 * The series spans 00:00 .. 12:00 (the 300 s point at 11:55 ends at 12:00): 720 minutes.
 * Minutes with data: 5 at 60 s, + 4 of 11:30-11:34 (11:30 counted already) + 5 = 14.
 * Spans merged: [00:00, 06:00) + [10:00, 12:00) = 360 + 120 = 480 of 720 = 2/3.
 * Uncovered: [06:00, 10:00), 240 minutes.
 */
static tp_store *three_exports(void)
{
    tp_store *s = open_mem();
    tp_ingest_options o = {0};
    ingest_ok(s, &o, gmd("InputTokenCount", 60, "2026-10-05T00:00:00Z", "2026-10-05T06:00:00Z",
                         "\"2026-10-05T00:00:00Z\", \"2026-10-05T00:01:00Z\", "
                         "\"2026-10-05T05:59:00Z\"",
                         "1, 2, 3"));
    ingest_ok(s, &o, gmd("InputTokenCount", 60, "2026-10-05T10:00:00Z", "2026-10-05T12:00:00Z",
                         "\"2026-10-05T10:00:00Z\", \"2026-10-05T11:30:00Z\"", "4, 5"));
    ingest_ok(s, &o, gmd("InputTokenCount", 300, "2026-10-05T11:00:00Z", "2026-10-05T12:00:00Z",
                         "\"2026-10-05T11:30:00Z\", \"2026-10-05T11:55:00Z\"", "50, 60"));
    return s;
}

static void test_listing(void)
{
    tp_store *s = three_exports();
    tp_inventory *inv = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_inventory_load(s, NULL, &inv, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(inv->n, 1);
    const tp_series_entry *e = &inv->entries[0];
    CU_ASSERT_STRING_EQUAL(e->model, "m");
    CU_ASSERT_STRING_EQUAL(e->metric, "InputTokenCount");
    CU_ASSERT_STRING_EQUAL(e->resolved_tier, "");
    CU_ASSERT_EQUAL_FATAL(e->n_periods, 2);
    CU_ASSERT_EQUAL(e->periods_s[0], 60);
    CU_ASSERT_EQUAL(e->periods_s[1], 300);
    CU_ASSERT_EQUAL(e->first_minute, minute_of("2026-10-05T00:00Z"));
    CU_ASSERT_EQUAL(e->end_minute, minute_of("2026-10-05T12:00Z"));
    CU_ASSERT_EQUAL(e->minutes_with_data, 14);
    CU_ASSERT(e->coverage_known);
    ASSERT_NEAR(e->coverage, 480.0 / 720.0, 1e-12);
    CU_ASSERT_EQUAL_FATAL(e->n_gaps, 1);
    CU_ASSERT_EQUAL(e->gaps[0].from_minute, minute_of("2026-10-05T06:00Z"));
    CU_ASSERT_EQUAL(e->gaps[0].to_minute, minute_of("2026-10-05T10:00Z"));
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_report_series(inv, TP_FORMAT_CSV, &out, &err), TP_OK);
    /* coverage_pct is the share x 100 in doubles: (480 / 720) x 100 */
    ASSERT_CONTAINS(out, "\"m\",\"InputTokenCount\",\"\",\"\",60;300,2026-10-05T00:00:00Z,"
                         "2026-10-05T11:59:00Z,14,66.66666666666666,"
                         "\"2026-10-05T06:00:00Z/2026-10-05T10:00:00Z\",,\n");
    free(out);
    CU_ASSERT_EQUAL_FATAL(tp_report_series(inv, TP_FORMAT_TEXT, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "  InputTokenCount           total    60,300 s 2026-10-05 00:00 .. "
                         "2026-10-05 11:59       14   66.7%\n"
                         "    uncovered 2026-10-05 06:00 .. 2026-10-05 10:00 (4.0 h)\n");
    for (const char *p = out; *p; p = strchr(p, '\n') + 1) /* every line fits 100 columns */
        CU_ASSERT(strcspn(p, "\n") <= 100);
    free(out);
    tp_inventory_free(inv);
    /* the model's data ends where the 300 s point at 11:55 ends */
    int64_t end = 0;
    int found = 0;
    CU_ASSERT_EQUAL(tp_inventory_model_end(s, "m", &end, &found, &err), TP_OK);
    CU_ASSERT(found);
    CU_ASSERT_EQUAL(end, minute_of("2026-10-05T12:00Z"));
    CU_ASSERT_EQUAL(tp_inventory_model_end(s, "other", &end, &found, &err), TP_OK);
    CU_ASSERT(!found);
    tp_store_close(s);
}

/* Coverage of a model over any window (what check --fail-coverage-below asks). */
static void test_coverage(void)
{
    tp_store *s = three_exports();
    tp_coverage c;
    tp_error err;
    /* 00:00 .. 24:00: 480 of 1440 minutes */
    CU_ASSERT_EQUAL(tp_inventory_coverage(s, "m", minute_of("2026-10-05T00:00Z"),
                                          minute_of("2026-10-06T00:00Z"), &c, &err),
                    TP_OK);
    CU_ASSERT(c.known);
    CU_ASSERT_EQUAL(c.minutes, 1440);
    CU_ASSERT_EQUAL(c.covered_minutes, 480);
    ASSERT_NEAR(c.share, 1.0 / 3.0, 1e-12);
    /* 05:00 .. 11:00: 05:00-06:00 and 10:00-11:00 of 360 minutes */
    CU_ASSERT_EQUAL(tp_inventory_coverage(s, "m", minute_of("2026-10-05T05:00Z"),
                                          minute_of("2026-10-05T11:00Z"), &c, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(c.covered_minutes, 120);
    /* inside the gap: known, and 0 */
    CU_ASSERT_EQUAL(tp_inventory_coverage(s, "m", minute_of("2026-10-05T07:00Z"),
                                          minute_of("2026-10-05T08:00Z"), &c, &err),
                    TP_OK);
    CU_ASSERT(c.known);
    CU_ASSERT_EQUAL(c.share, 0);
    CU_ASSERT_EQUAL(tp_inventory_coverage(s, "m", 5, 5, &c, &err), TP_ERR_USAGE);
    /* six 4-hour windows of the day at once (spans 00:00-06:00 and 10:00-12:00): 00-04 all
     * 240 minutes, 04-08 the hour 04-06 (120), 08-12 the hour 10-12 (120), the rest none;
     * each equal to the window's own tp_inventory_coverage */
    int64_t cov6[6];
    int known6 = 0;
    const int64_t day0 = minute_of("2026-10-05T00:00Z");
    CU_ASSERT_EQUAL_FATAL(tp_inventory_coverage_windows_at(s, "m", NULL, NULL, day0, 240, 6, cov6,
                                                           &known6, &err),
                          TP_OK);
    CU_ASSERT(known6);
    const int64_t want6[6] = {240, 120, 120, 0, 0, 0};
    for (int k = 0; k < 6; k++) {
        CU_ASSERT_EQUAL(cov6[k], want6[k]);
        CU_ASSERT_EQUAL(tp_inventory_coverage(s, "m", day0 + 240 * k, day0 + 240 * (k + 1), &c,
                                              &err),
                        TP_OK);
        CU_ASSERT_EQUAL(cov6[k], c.covered_minutes);
    }
    CU_ASSERT_EQUAL(tp_inventory_coverage_windows_at(s, "m", NULL, NULL, day0, 0, 6, cov6,
                                                     &known6, &err),
                    TP_ERR_USAGE);
    /* a CSV without a span: unknown, never 0 */
    tp_ingest_options o = {0};
    o.as_of_s = 1791244800;
    ingest_ok(s, &o, "2026-10-05T14:00:00Z,csvonly,InputTokenCount,1\n"
                     "2026-10-05T14:01:00Z,csvonly,InputTokenCount,1\n");
    CU_ASSERT_EQUAL(tp_inventory_coverage(s, "csvonly", minute_of("2026-10-05T14:00Z"),
                                          minute_of("2026-10-05T14:02Z"), &c, &err),
                    TP_OK);
    CU_ASSERT(!c.known);
    CU_ASSERT(isnan(c.share));
    known6 = 1;
    CU_ASSERT_EQUAL(tp_inventory_coverage_windows_at(s, "csvonly", NULL, NULL,
                                                     minute_of("2026-10-05T14:00Z"), 1, 2, cov6,
                                                     &known6, &err),
                    TP_OK);
    CU_ASSERT(!known6);
    CU_ASSERT_EQUAL(cov6[0] + cov6[1], 0);
    tp_inventory *inv = NULL;
    /* a model with no series is an error naming it and what is stored, not an empty list;
     * a cross-region prefix away from a stored id is a "did you mean" */
    CU_ASSERT_EQUAL(tp_inventory_load(s, "nope", &inv, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(inv);
    ASSERT_CONTAINS(err.message, "no series stored for model \"nope\"; models in the store: ");
    ASSERT_CONTAINS(err.message, "csvonly");
    CU_ASSERT_EQUAL(tp_inventory_load(s, "us.csvonly", &inv, &err), TP_ERR_NOT_FOUND);
    ASSERT_CONTAINS(err.message, "did you mean csvonly? models in the store: ");
    CU_ASSERT_EQUAL_FATAL(tp_inventory_load(s, "csvonly", &inv, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(inv->n, 1);
    CU_ASSERT(!inv->entries[0].coverage_known);
    CU_ASSERT(isnan(inv->entries[0].coverage));
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_report_series(inv, TP_FORMAT_JSON, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "\"coverage_known\":\tfalse,\n\t\t\t\"coverage_pct\":\tnull");
    free(out);
    tp_inventory_free(inv);
    /* the same CSV with --span-from/--span-to: 14:00 .. 14:30 spans, data 14:00 .. 14:02 */
    o.span_from_s = 1791208800; /* 2026-10-05T14:00Z */
    o.span_to_s = o.span_from_s + 1800;
    o.as_of_s = 1791248400;
    ingest_ok(s, &o, "2026-10-05T14:00:00Z,csvonly,InputTokenCount,1\n"
                     "2026-10-05T14:01:00Z,csvonly,InputTokenCount,1\n");
    CU_ASSERT_EQUAL(tp_inventory_coverage(s, "csvonly", minute_of("2026-10-05T14:00Z"),
                                          minute_of("2026-10-05T15:00Z"), &c, &err),
                    TP_OK);
    CU_ASSERT(c.known);
    CU_ASSERT_EQUAL(c.covered_minutes, 30);
    tp_store_close(s);
}

/* A gap under an hour is not listed, though it lowers the coverage. */
static void test_short_gap(void)
{
    tp_store *s = open_mem();
    tp_ingest_options o = {0};
    tp_inventory *inv = NULL;
    tp_error err;
    ingest_ok(s, &o, gmd("OutputTokenCount", 60, "2026-10-05T00:00:00Z", "2026-10-05T01:00:00Z",
                         "\"2026-10-05T00:00:00Z\", \"2026-10-05T00:01:00Z\"", "1, 1"));
    ingest_ok(s, &o, gmd("OutputTokenCount", 60, "2026-10-05T01:30:00Z", "2026-10-05T02:00:00Z",
                         "\"2026-10-05T01:58:00Z\", \"2026-10-05T01:59:00Z\"", "1, 1"));
    CU_ASSERT_EQUAL_FATAL(tp_inventory_load(s, "m", &inv, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(inv->n, 1);
    /* 00:00 .. 02:00 is 120 minutes, 60 + 30 covered */
    ASSERT_NEAR(inv->entries[0].coverage, 0.75, 1e-12);
    CU_ASSERT_EQUAL(inv->entries[0].n_gaps, 0);
    tp_inventory_free(inv);
    tp_store_close(s);
}

/* tp_ingest_finish sends every warning before the commit, and refuses later inputs. */
static void test_finish(void)
{
    tp_store *s = open_mem();
    tp_ingest_options o = {0};
    warnings w = {{0}, 0};
    tp_ingest *ing = NULL;
    tp_error err;
    const char *page = "{\"MetricDataResults\": [{\"Id\": \"q\", \"Label\": \"ModelId=m "
                       "InputTokenCount Period=60 End=2026-10-05T15:00:00Z\", \"Timestamps\": "
                       "[\"2026-10-05T14:00:00Z\"], \"Values\": [1], \"StatusCode\": "
                       "\"PartialData\"}], \"NextToken\": \"t\"}";
    o.warn = collect_warning;
    o.warn_ctx = &w;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_buffer(ing, "p.json", page, strlen(page), NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(w.count, 0);
    CU_ASSERT_EQUAL(tp_ingest_finish(ing, &err), TP_OK);
    CU_ASSERT_EQUAL(w.count, 1);
    ASSERT_CONTAINS(w.text, "has a NextToken but its next page was not given");
    CU_ASSERT_EQUAL(tp_ingest_buffer(ing, "q.json", page, strlen(page), NULL, &err),
                    TP_ERR_USAGE);
    CU_ASSERT_EQUAL(tp_ingest_finish(ing, &err), TP_ERR_USAGE);
    CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
    CU_ASSERT_EQUAL(w.count, 1); /* not twice */
    tp_ingest_free(ing);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 1);
    tp_store_close(s);
}

/* A schema version 2 file gains the span table; its data has no span: coverage unknown until
 * an export with Start=/End= is ingested. */
static void test_migrate_v2(void)
{
    char dir[] = "/tmp/tierplan-inv-XXXXXX", path[64], cmd[128];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/v2.db", dir);
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
        "INSERT INTO ingests VALUES (1, 'a.json', '', 'json', '2026-10-05T15:00:00Z', 1, 1, 0, 0,"
        " 0);"
        "INSERT INTO ingest_series VALUES (1, 1, 1791212400);"
        "PRAGMA user_version = 2;";
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(db, v2, NULL, NULL, NULL), SQLITE_OK);
    /* 2026-10-05 is day 20731; 14:00 is its minute 840 */
    static store_day day;
    unsigned char blob[STORE_DAY_BYTES];
    day.value[840] = 10;
    day.ingest[840] = 1;
    store_day_encode(&day, blob);
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(db, "INSERT INTO days VALUES (1, 20731, 1, ?1)", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_blob(st, 1, blob, STORE_DAY_BYTES, SQLITE_STATIC);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);

    tp_store *s = NULL;
    tp_error err;
    int version = 0;
    tp_coverage c;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION); /* through every migration */
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM ingest_spans"), 0);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 1); /* the data is kept */
    const int64_t m14 = minute_of("2026-10-05T14:00Z");
    CU_ASSERT_EQUAL(tp_inventory_coverage(s, "m", m14, m14 + 60, &c, &err), TP_OK);
    CU_ASSERT(!c.known);
    /* an export with a span after the upgrade: 14:00 .. 14:30 of the hour covered */
    tp_ingest_options o = {0};
    ingest_ok(s, &o, gmd("InputTokenCount", 60, "2026-10-05T14:00:00Z", "2026-10-05T14:30:00Z",
                         "\"2026-10-05T14:01:00Z\"", "3"));
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM ingest_spans"), 1);
    CU_ASSERT_EQUAL(tp_inventory_coverage(s, "m", m14, m14 + 60, &c, &err), TP_OK);
    CU_ASSERT(c.known);
    CU_ASSERT_EQUAL(c.covered_minutes, 30);
    tp_store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

/* Text lists the first TP_INVENTORY_TEXT_GAPS uncovered spans and counts the rest: one more
 * is "1 more uncovered span", not "spans". A listing made by hand: six 2-hour gaps. */
static void test_more_gaps(void)
{
    tp_span gaps[TP_INVENTORY_TEXT_GAPS + 1];
    int periods[1] = {60};
    for (int i = 0; i <= TP_INVENTORY_TEXT_GAPS; i++) {
        gaps[i].from_minute = minute_of("2026-10-05T00:00Z") + i * 240;
        gaps[i].to_minute = gaps[i].from_minute + 120;
    }
    tp_series_entry e = {0};
    e.model = (char[]){"m"};
    e.metric = (char[]){"InputTokenCount"};
    e.service_tier = e.resolved_tier = (char[]){""};
    e.periods_s = periods;
    e.n_periods = 1;
    e.first_minute = minute_of("2026-10-05T00:00Z");
    e.end_minute = e.first_minute + 1440;
    e.minutes_with_data = 10;
    e.coverage_known = 1;
    e.coverage = 0.5;
    e.gaps = gaps;
    e.n_gaps = TP_INVENTORY_TEXT_GAPS + 1;
    tp_inventory inv = {&e, 1};
    char *out = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_report_series(&inv, TP_FORMAT_TEXT, &out, &err), TP_OK);
    ASSERT_CONTAINS(out, "    ... and 1 more uncovered span (--format json lists them all)\n");
    free(out);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("inventory", NULL, NULL);
    ADD(s, test_listing);
    ADD(s, test_coverage);
    ADD(s, test_short_gap);
    ADD(s, test_finish);
    ADD(s, test_migrate_v2);
    ADD(s, test_more_gaps);
}
