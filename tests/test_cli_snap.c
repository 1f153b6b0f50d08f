/* test_cli_snap.c - the CLI of a scheduled job's snapshots: rolling windows, export commands,
 * the ingest summary for machines and --strict, and the series listing. */
#include <cjson/cJSON.h>

#include "cli_util.h"

void register_tests(void);

static cJSON *out_json(void)
{
    char *s = slurp("out");
    cJSON *j = cJSON_Parse(s);
    if (j == NULL)
        fprintf(stderr, "\n  not JSON:\n%s\n", s);
    free(s);
    return j;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "(none)";
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* The sample's newest minutes: nova 2026-10-09T23:58, sonnet 23:59 (idle minutes omitted).
 * --last 1d is each model's own last day: [newest + 1 - 1440 min, newest + 1). */
static void test_windows_per_model(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db w.db '%s'/sample-*.json", bin, sample), 0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' stats --db w.db --last 1d --format json", bin, NULL), 0);
    cJSON *root = out_json();
    cJSON *ms = cJSON_GetObjectItemCaseSensitive(root, "models");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(ms), 2);
    cJSON *w0 = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ms, 0), "window");
    cJSON *w1 = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ms, 1), "window");
    CU_ASSERT_STRING_EQUAL(jstr(w0, "from"), "2026-10-08T23:59:00Z"); /* nova */
    CU_ASSERT_STRING_EQUAL(jstr(w0, "to"), "2026-10-09T23:59:00Z");
    CU_ASSERT_STRING_EQUAL(jstr(w1, "from"), "2026-10-09T00:00:00Z"); /* sonnet */
    CU_ASSERT_STRING_EQUAL(jstr(w1, "to"), "2026-10-10T00:00:00Z");
    CU_ASSERT_EQUAL(jnum(w1, "minutes"), 1440);
    cJSON_Delete(root);

    /* --now anchors every model alike; -12h .. -2h before 2026-10-09T12:00 */
    CU_ASSERT_EQUAL_FATAL(run("'%s' stats --db w.db --now 2026-10-09T12:00Z --from -12h --to -2h "
                              "--model amazon.nova-pro-v1:0 --format json",
                              bin, NULL),
                          0);
    root = out_json();
    cJSON *w = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "models"), 0), "window");
    CU_ASSERT_STRING_EQUAL(jstr(w, "from"), "2026-10-09T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(jstr(w, "to"), "2026-10-09T10:00:00Z");
    cJSON_Delete(root);

    /* months: --from 2026-10 --to 2026-10 is all of October (44,640 minutes) */
    CU_ASSERT_EQUAL_FATAL(run("'%s' stats --db w.db --from 2026-10 --to 2026-10 "
                              "--model amazon.nova-pro-v1:0 --format csv",
                              bin, NULL),
                          0);
    expect_in("out", "2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,44640,");
    /* today: 00:00 of --now's day */
    CU_ASSERT_EQUAL_FATAL(run("'%s' stats --db w.db --now 2026-10-09T17:45Z --from today "
                              "--model amazon.nova-pro-v1:0 --format csv",
                              bin, NULL),
                          0);
    expect_in("out", "2026-10-09T00:00:00Z,2026-10-09T23:59:00Z,1439,");
}

/* recommend, simulate and report take the same forms; report's options show the rolling
 * window as given, so that two days' outputs compare as like with like. */
static void test_windows_commands(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db c.db '%s'/sample-*.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' recommend --db c.db --model amazon.nova-pro-v1:0 --from -2d "
                        "--format json --pricing '%s'/pricing.json",
                        bin, sample),
                    0);
    expect_in("out", "\"from\":\t\"2026-10-07T23:59:00Z\"");
    CU_ASSERT_EQUAL(run("'%s' simulate --db c.db --model amazon.nova-pro-v1:0 --last 12h "
                        "--reserve-input-tpm 0 --reserve-output-tpm 0 --format csv --pricing '%s'/pricing.json",
                        bin, sample),
                    0);
    expect_in("out", "2026-10-09T11:59:00Z");
    CU_ASSERT_EQUAL(run("'%s' report --db c.db --all --last 1d --format json "
                        "--pricing '%s'/pricing.json",
                        bin, sample), 0);
    expect_in("out", "\"window\":\t{\n\t\t\t\"from\":\t\"-1d\",\n\t\t\t\"to\":\tnull,\n\t\t\t"
                     "\"anchor\":\t\"newest_data\"");
    CU_ASSERT_EQUAL(run("'%s' report --db c.db --all --last 1d --pricing '%s'/pricing.json", bin,
                        sample), 0);
    expect_in("out", "window -1d .. end (relative to each model's newest data)");
    /* usage errors: exit 2 */
    CU_ASSERT_EQUAL(run("'%s' stats --db c.db --last 0d", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' stats --db c.db --last 2d --from -1d", bin, NULL), 2);
    expect_in("err", "--last excludes --from and --to");
    CU_ASSERT_EQUAL(run("'%s' recommend --db c.db --model x --from -1y", bin, NULL), 2);
    expect_in("err", "-N with h, d, w or mo");
    CU_ASSERT_EQUAL(run("'%s' stats --db c.db --now 2026-10-09 --from -1d --to -2d", bin, NULL), 2);
    expect_in("err", "empty window 2026-10-08T00:00:00Z .. 2026-10-07T00:00:00Z");
    CU_ASSERT_EQUAL(run("'%s' stats --db c.db --from 2026-11 --to 2026-10", bin, NULL), 2);
    /* relative and inverted without --now: empty whatever each model's anchor, exit 2 like a
     * fixed inverted window, not 1 */
    CU_ASSERT_EQUAL(run("'%s' stats --db c.db --from -1d --to -2d", bin, NULL), 2);
    expect_in("err", "--from -1d --to -2d: the window ends before it starts");
    /* a fixed --from after a relative --to: empty only once the model's anchor is known (its
     * newest minute + 1 is 2026-10-09T23:59, so -2d is 2026-10-07T23:59): still exit 2 */
    CU_ASSERT_EQUAL(run("'%s' stats --db c.db --model amazon.nova-pro-v1:0 --from 2026-10-09 "
                        "--to -2d",
                        bin, NULL),
                    2);
    expect_in("err", "empty window 2026-10-09T00:00:00Z .. ");
}

/* --since-store starts each model where its stored data ends (nova's newest minute is
 * 2026-10-09T23:58, so its data ends at 23:59) less the overlap; a model not stored takes
 * --days before the end. */
static void test_export_since_store(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db e.db '%s'/sample-nova-pro.json", bin, sample),
                          0);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --db e.db --since-store --now 2026-10-10T06:00:30Z "
                        "--model amazon.nova-pro-v1:0 --model other.model-v1:0 --days 2",
                        bin, NULL),
                    0);
    /* 23:59 - 60 min = 22:59; the end is now, rounded down to the minute */
    expect_in("out", "ModelId=amazon.nova-pro-v1:0 InputTokenCount Period=60 "
                     "Start=2026-10-09T22:59:00Z End=2026-10-10T06:00:00Z");
    expect_in("out", "ModelId=other.model-v1:0 InputTokenCount Period=60 "
                     "Start=2026-10-08T06:00:00Z End=2026-10-10T06:00:00Z");
    expect_in("out", "> 'tierplan-amazon.nova-pro-v1_0-20261010T0600Z-60s.json.part'");
    expect_in("out", "> 'tierplan-other.model-v1_0-20261010T0600Z-60s.json.part'");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --db e.db --since-store --overlap-minutes 0 "
                        "--now 2026-10-10T06:00Z --end 2026-10-10T03:00Z "
                        "--model amazon.nova-pro-v1:0",
                        bin, NULL),
                    0);
    expect_in("out", "Start=2026-10-09T23:59:00Z End=2026-10-10T03:00:00Z");
    expect_in("out", "# then: tierplan ingest tierplan-amazon.nova-pro-v1_0-20261010T0300Z-*.json");
    /* no database: an error naming it, exit 1 */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --db none.db --since-store --model m", bin, NULL), 3);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --model m --end yesterday", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --model m --overlap-minutes -1", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --model m --model m", bin, NULL), 2);
    /* a span that ended over 455 days before now: CloudWatch no longer keeps it, exit 1 and
     * no "then" line with a glob that would match nothing */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --model m1 --days 10 --end 2024-01-01 "
                        "--now 2026-10-10",
                        bin, NULL),
                    3);
    expect_in("err", "m1: 2023-12-22T00:00:00Z .. 2024-01-01T00:00:00Z ends more than 455 days "
                     "before 2026-10-10T00:00:00Z: CloudWatch no longer keeps that span");
    char *out = slurp("out");
    CU_ASSERT_PTR_NULL(strstr(out, "then:"));
    free(out);
    /* the command is named once in an error, not "export-cmd: export-cmd:" */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --model 'a b'", bin, NULL), 2);
    expect_in("err", "tierplan export-cmd: model id \"a b\"");
    char *e = slurp("err");
    CU_ASSERT_PTR_NULL(strstr(e, "export-cmd: export-cmd"));
    free(e);
}

/* The file entry i of an ingest --format json summary. */
static cJSON *summary_file(cJSON *root, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "files"), i);
}

/* --format json: per file its counts, window and warnings, and whether it was stored. */
static void test_ingest_json(void)
{
    write_file("a.csv", "2026-10-05T14:00:00Z,m,InputTokenCount,5\n"
                        "2026-10-05T14:01:00Z,m,InputTokenCount,6\n");
    write_file("b.csv", "2026-10-05T14:01:00Z,m,InputTokenCount,9\n"
                        "2026-10-05T14:02:00Z,m,InputTokenCount,1\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db j.db --format json --as-of 2026-10-05T15:00Z "
                              "a.csv",
                              bin, NULL),
                          0);
    cJSON *root = out_json();
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "stored")));
    cJSON *f = summary_file(root, 0);
    CU_ASSERT_STRING_EQUAL(jstr(f, "file"), "a.csv");
    CU_ASSERT_STRING_EQUAL(jstr(f, "format"), "csv");
    CU_ASSERT_EQUAL(jnum(f, "points"), 2);
    CU_ASSERT_EQUAL(jnum(f, "new"), 2);
    cJSON *w = cJSON_GetObjectItemCaseSensitive(f, "window");
    CU_ASSERT_STRING_EQUAL(jstr(w, "from"), "2026-10-05T14:00:00Z");
    CU_ASSERT_STRING_EQUAL(jstr(w, "to"), "2026-10-05T14:01:00Z");
    CU_ASSERT_EQUAL(jnum(root, "warning_count"), 0);
    cJSON_Delete(root);
    /* a newer export (as of 16:00) replaces 14:01 and adds 14:02: not a warning, so --strict
     * stores it (b.csv has no End=, but --as-of is given) */
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db j.db --format json --strict "
                              "--as-of 2026-10-05T16:00Z b.csv",
                              bin, NULL),
                          0);
    root = out_json();
    f = summary_file(root, 0);
    CU_ASSERT_EQUAL(jnum(f, "new"), 1);      /* 14:02 */
    CU_ASSERT_EQUAL(jnum(f, "replaced"), 1); /* 14:01: 6 -> 9 */
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "stored")));
    cJSON_Delete(root);
    /* a.csv again, as of 15:00: 14:00 unchanged, 14:01 kept newer (9 is as of 16:00) */
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db j.db --format json --strict "
                              "--as-of 2026-10-05T15:00Z a.csv",
                              bin, NULL),
                          0);
    root = out_json();
    f = summary_file(root, 0);
    CU_ASSERT_EQUAL(jnum(f, "unchanged"), 1);
    CU_ASSERT_EQUAL(jnum(f, "kept_newer"), 1);
    CU_ASSERT_EQUAL(jnum(f, "new"), 0);
    cJSON_Delete(root);
}

/* --strict: each warning the user guide lists fails the command, nothing stored; the summary
 * still says what was found. */
static void test_ingest_strict(void)
{
    /* a series without End= and no --as-of */
    write_file("noend.csv", "2026-10-05T14:00:00Z,m,InputTokenCount,5\n"
                            "2026-10-05T14:01:00Z,m,InputTokenCount,5\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db --strict --format json noend.csv", bin, NULL), 3);
    expect_in("err", "--strict: 1 warning; nothing from this command was stored");
    cJSON *root = out_json();
    CU_ASSERT(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "stored")));
    cJSON *ws = cJSON_GetObjectItemCaseSensitive(summary_file(root, 0), "warnings");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(ws), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(cJSON_GetArrayItem(ws, 0)->valuestring, "without End="));
    /* nothing stored: no ingest id */
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(summary_file(root, 0), "ingest_id");
    CU_ASSERT(cJSON_IsNull(id));
    cJSON_Delete(root);
    /* the command created the database and stored nothing: no database is left behind */
    CU_ASSERT_EQUAL(run("test ! -e s.db && test ! -e s.db-wal && test ! -e s.db-shm%s", "", NULL),
                    0);
    CU_ASSERT_EQUAL(run("'%s' export --db s.db", bin, NULL), 1);
    /* without --strict the same file is stored, with the warning on stderr */
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db noend.csv", bin, NULL), 0);
    expect_in("err", "warning: noend.csv: 1 series without End=");
    /* a stray point 500 days from the rest of its series */
    write_file("stray.csv", "2025-05-23T14:00:00Z,m,InputTokenCount,5\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db --strict --as-of 2026-10-06 --period 60 "
                        "stray.csv", bin, NULL),
                    3);
    expect_in("err", "stray.csv:1: point at 2025-05-23T14:00:00Z");
    /* a database that existed before the failed command is kept, with its data */
    CU_ASSERT_EQUAL(run("'%s' export --db s.db", bin, NULL), 0);
    expect_in("out", "2026-10-05T14:00:00Z");
    /* a NextToken whose next page is missing: the command-wide check runs before the commit */
    write_file("page.json",
               "{\"MetricDataResults\": [{\"Id\": \"in\", \"Label\": \"ModelId=p "
               "InputTokenCount Period=60 Start=2026-10-05T14:00:00Z End=2026-10-05T15:00:00Z\","
               " \"Timestamps\": [\"2026-10-05T14:00:00Z\", \"2026-10-05T14:01:00Z\"],"
               " \"Values\": [1, 2], \"StatusCode\": \"PartialData\"}],"
               " \"NextToken\": \"abc\"}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db --strict page.json", bin, NULL), 3);
    expect_in("err", "has a NextToken but its next page was not given");
    CU_ASSERT_EQUAL(run("'%s' stats --db s.db --model p", bin, NULL), 1);
    /* usage */
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db --format csv page.json", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db --span-from 2026-10-05 page.json", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' ingest --db s.db --span-from 2026-10-06 --span-to 2026-10-05 "
                        "page.json",
                        bin, NULL),
                    2);
}

/* series: every stored series with its coverage; unknown for data without a span. */
static void test_series(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db v.db '%s'/sample-nova-pro.json", bin, sample),
                          0);
    write_file("nospan.csv", "2026-10-05T14:00:00Z,x,InputTokenCount,5\n"
                             "2026-10-05T14:01:00Z,x,InputTokenCount,5\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db v.db --as-of 2026-10-06 nospan.csv", bin, NULL),
                          0);
    /* --span-from/--span-to: 13:00 .. 15:00 covers y's 14:00 .. 14:01 whole */
    write_file("span.csv", "2026-10-05T14:00:00Z,y,InputTokenCount,5\n"
                           "2026-10-05T14:01:00Z,y,InputTokenCount,5\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db v.db --as-of 2026-10-06 --span-from "
                              "2026-10-05T13:00Z --span-to 2026-10-05T15:00Z span.csv",
                              bin, NULL),
                          0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' series --db v.db --format csv", bin, NULL), 0);
    /* the sample's labels span 2026-10-07 .. 2026-10-10: its data is covered whole */
    expect_in("out", "\"amazon.nova-pro-v1:0\",\"InputTokenCount\",\"\",\"\",60,"
                     "2026-10-07T00:02:00Z,2026-10-09T23:58:00Z,3317,100,\"\",,\n");
    expect_in("out", "\"x\",\"InputTokenCount\",\"\",\"\",60,2026-10-05T14:00:00Z,"
                     "2026-10-05T14:01:00Z,2,,\"\",,\n");
    expect_in("out", "\"y\",\"InputTokenCount\",\"\",\"\",60,2026-10-05T14:00:00Z,"
                     "2026-10-05T14:01:00Z,2,100,\"\",,\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' series --db v.db --model x", bin, NULL), 0);
    expect_in("out", "model x (region unknown, account unknown)\n");
    expect_in("out", "  InputTokenCount           total    60 s     2026-10-05 14:00 .. "
                     "2026-10-05 14:01        2 unknown\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' series --db v.db --model x --format json", bin, NULL), 0);
    cJSON *root = out_json();
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "series"), 0);
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(e, "coverage_pct")));
    CU_ASSERT_EQUAL(jnum(e, "minutes_with_data"), 2);
    cJSON_Delete(root);
    CU_ASSERT_EQUAL(run("'%s' series --db v.db --format markdown", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' series --db none.db", bin, NULL), 1);
    /* a model not stored: exit 1 naming it and the stored models, never "no series stored"
     * with exit 0 */
    CU_ASSERT_EQUAL(run("'%s' series --db v.db --model nope", bin, NULL), 1);
    expect_in("err", "no series stored for model \"nope\"; models in the store: amazon.nova-pro-v1:0, x, y");
    CU_ASSERT_EQUAL(run("'%s' series --help", bin, NULL), 0);
    expect_in("out", "usage: tierplan series");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli-snap", setup, teardown);
    CU_add_test(s, "windows per model", test_windows_per_model);
    CU_add_test(s, "windows in every command", test_windows_commands);
    CU_add_test(s, "export-cmd since the store", test_export_since_store);
    CU_add_test(s, "ingest json summary", test_ingest_json);
    CU_add_test(s, "ingest strict", test_ingest_strict);
    CU_add_test(s, "series", test_series);
}
