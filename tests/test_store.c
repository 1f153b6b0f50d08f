/* test_store.c - schema versioning, WAL, model listing, the CSV export round trip, corrupt
 * day rows and the private read API. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store_logs.h"
#include "test_util.h"

void register_tests(void);

static char tmpdir[256];

static int make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tierplan-test-XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int remove_tmpdir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_schema_and_wal(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/a.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    int version = -1;
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION);
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL(sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_ROW);
    CU_ASSERT_STRING_EQUAL((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    /* a database from a newer tierplan is refused, not silently misread */
    CU_ASSERT_EQUAL(sqlite3_exec(s->db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    tp_store_close(s);
    s = NULL;
    CU_ASSERT_EQUAL(tp_store_open(path, &s, &err), TP_ERR_DB);
    ASSERT_CONTAINS(err.message, "schema version 99 is newer");
    ASSERT_CONTAINS(err.message, path); /* every database error names the database */
    CU_ASSERT_PTR_NULL(s);
    /* reopening a current database migrates nothing and keeps data */
    snprintf(path, sizeof path, "%s/b.db", tmpdir);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    tp_ingest_options o = {0};
    o.period_s = 60; /* one point: no period can be read from its spacing */
    CU_ASSERT_EQUAL(ingest_one(s, &o, "x.csv", "2026-10-05T14:00:00Z,m,InputTokenCount,1\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 1);
    tp_store_close(s);
    CU_ASSERT_EQUAL(tp_store_open("/nonexistent-dir/x.db", &s, &err), TP_ERR_DB);
    ASSERT_CONTAINS(err.message, "/nonexistent-dir/x.db: cannot open database");
}

static void test_models(void)
{
    tp_store *s = open_mem();
    tp_error err;
    char **models = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(tp_store_models(s, &models, &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 0);
    tp_strv_free(models, n);
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "x.csv",
                               "2026-10-05T14:00:00Z,zeta,InputTokenCount,1\n"
                               "2026-10-05T14:00:00Z,alpha,InputTokenCount,1\n",
                               NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(tp_store_models(s, &models, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(models[0], "alpha");
    CU_ASSERT_STRING_EQUAL(models[1], "zeta");
    tp_strv_free(models, n);
    tp_store_close(s);
}

static char *export_string(tp_store *s, const char *model)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tp_error err;
    CU_ASSERT_EQUAL(tp_store_export_csv(s, model, f, NULL, &err), TP_OK);
    fclose(f);
    return buf;
}

/* export -> ingest into an empty store -> export gives the same text: nothing is lost,
 * including tiers, periods, fractions and awkward model ids. */
static void test_export_roundtrip(void)
{
    tp_store *a = open_mem(), *b = open_mem();
    tp_error err;
    tp_ingest_options o = {0}, minute = {0};
    o.period_s = 300;
    minute.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(a, &minute, "x.csv",
                               "timestamp,model,metric,value,tier\n"
                               "2026-10-05T14:00:00Z,\"odd,\"\"id\",InputTokenCount,0.1,\n"
                               "2026-10-05T14:01:00Z,m,CacheReadInputTokenCount,1e-7,flex\n"
                               "2026-10-05T14:02:00Z,m,OutputTokenCount,123456789.5,\n",
                               NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(ingest_one(a, &o, "y.csv", "2026-10-05T10:00:00Z,m,OutputTokenCount,5\n",
                               NULL, &err),
                    TP_OK);
    char *first = export_string(a, NULL);
    CU_ASSERT_EQUAL(ingest_one(b, NULL, "export.csv", first, NULL, &err), TP_OK);
    char *second = export_string(b, NULL);
    CU_ASSERT_STRING_EQUAL(first, second);
    ASSERT_CONTAINS(first,
                    "timestamp,model,metric,value,tier,service_tier,period_s,region,account,"
                    "source,attribute_by,key\n");
    ASSERT_CONTAINS(first, "2026-10-05T14:00:00Z,\"odd,\"\"id\",InputTokenCount,0.1,,,60,,,metrics,,\n");
    ASSERT_CONTAINS(first, "2026-10-05T10:00:00Z,m,OutputTokenCount,5,,,300,,,metrics,,\n");
    ASSERT_CONTAINS(first, "m,CacheReadInputTokenCount,1e-07,flex,,60,,,metrics,,\n");
    char *only = export_string(a, "m");
    CU_ASSERT_PTR_NULL(strstr(only, "odd"));
    free(first);
    free(second);
    free(only);
    tp_store_close(a);
    tp_store_close(b);
}

/* Writes a blob of `bytes` zero bytes into every day row of model X's series on `date`
 * through a second, raw SQLite connection: what a damaged file looks like to the store. */
static void damage_day(const char *path, const char *date, int bytes)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t epoch_s = 0;
    CU_ASSERT_EQUAL_FATAL(tp_timestamp_parse(date, strlen(date), &epoch_s, NULL), TP_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(db,
                                             "UPDATE days SET minutes = zeroblob(?1) WHERE day = "
                                             "?2 AND series_id IN (SELECT id FROM series WHERE "
                                             "model = 'X')",
                                             -1, &st, NULL),
                          SQLITE_OK);
    sqlite3_bind_int(st, 1, bytes);
    sqlite3_bind_int64(st, 2, epoch_s / 86400);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    CU_ASSERT_EQUAL(sqlite3_changes(db), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A file database with model X's input on three days; returns its path in path. */
static void three_days(char *path, size_t size, const char *name)
{
    tp_store *s = NULL;
    tp_error err;
    tp_ingest_options minute = {0};
    minute.period_s = 60;
    snprintf(path, size, "%s/%s", tmpdir, name);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(ingest_one(s, &minute, "x.csv",
                               "2026-10-04T23:59:00Z,X,InputTokenCount,1\n"
                               "2026-10-05T12:00:00Z,X,InputTokenCount,2\n"
                               "2026-10-06T00:00:00Z,X,InputTokenCount,3\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s);
}

/* A day row of the wrong size is named by database, metric, model and date, with status
 * TP_ERR_DB, whether series, ingest or export reads it (not SQLite's "not an error"). */
static void test_corrupt_day_row(void)
{
    char path[300];
    tp_store *s = NULL;
    tp_series *ser = NULL;
    tp_error err;
    tp_series_query q = {0};
    q.model = "X";
    tp_ingest_options minute = {0};
    minute.period_s = 60; /* the stored series', not one inferred from a single point */
    char want[512];
    three_days(path, sizeof path, "corrupt.db");
    snprintf(want, sizeof want,
             "%s: corrupt day row: InputTokenCount of model X on 2026-10-05: 17 bytes, "
             "expected 17280",
             path);
    damage_day(path, "2026-10-05", 17);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    /* a middle day: met by the day iterator */
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_DB);
    CU_ASSERT_PTR_NULL(ser);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(ingest_one(s, &minute, "y.csv",
                               "2026-10-05T13:00:00Z,X,InputTokenCount,4\n", NULL, &err),
                    TP_ERR_DB);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    FILE *devnull = fopen("/dev/null", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(devnull);
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(tp_store_export_csv(s, NULL, devnull, NULL, &err), TP_ERR_DB);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    fclose(devnull);
    tp_store_close(s);
    /* the first day: met while finding where the series starts */
    damage_day(path, "2026-10-04", 0);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_DB);
    snprintf(want, sizeof want,
             "%s: corrupt day row: InputTokenCount of model X on 2026-10-04: 0 bytes, "
             "expected 17280",
             path);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    tp_store_close(s);
    /* a row of the right size in which no minute holds a point */
    three_days(path, sizeof path, "empty.db");
    damage_day(path, "2026-10-06", STORE_DAY_BYTES);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_DB);
    snprintf(want, sizeof want,
             "%s: corrupt day row: InputTokenCount of model X on 2026-10-06: no minute holds "
             "a point",
             path);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    tp_store_close(s);
}

/* The private read API series loads through: the listing and the day iterator. */
static void test_series_list_and_day_iter(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options minute = {0};
    minute.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(s, &minute, "x.csv",
                               "timestamp,model,metric,value,tier\n"
                               "2026-10-04T23:59:00Z,X,OutputTokenCount,1,\n"
                               "2026-10-07T00:00:00Z,X,OutputTokenCount,2,\n"
                               "2026-10-05T00:00:00Z,X,InputTokenCount,3,flex\n"
                               "2026-10-05T00:00:00Z,Y,InputTokenCount,4,\n",
                               NULL, &err),
                    TP_OK);
    store_series_info *v = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(store_series_list(s, "X", &v, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(v[0].metric, "InputTokenCount"); /* ordered by metric */
    CU_ASSERT_STRING_EQUAL(v[0].resolved_tier, "flex");
    CU_ASSERT_STRING_EQUAL(v[0].service_tier, "");
    CU_ASSERT_STRING_EQUAL(v[1].metric, "OutputTokenCount");
    CU_ASSERT_EQUAL(v[1].period_s, 60);
    CU_ASSERT(v[1].has_days);
    const int64_t oct4 = 1791072000 / 86400; /* 2026-10-04T00:00:00Z */
    CU_ASSERT_EQUAL(v[1].first_day, oct4);
    CU_ASSERT_EQUAL(v[1].last_day, oct4 + 3);
    store_day_iter *it = NULL;
    static store_day day;
    int64_t d = 0;
    int found = 0;
    CU_ASSERT_EQUAL_FATAL(store_day_iter_open(s, v[1].id, oct4 - 5, oct4 + 5, &it, &err), TP_OK);
    CU_ASSERT_EQUAL(store_day_iter_next(it, &d, &day, &found, &err), TP_OK);
    CU_ASSERT(found);
    CU_ASSERT_EQUAL(d, oct4);
    CU_ASSERT_EQUAL(day.value[1439], 1);
    CU_ASSERT_EQUAL(store_day_iter_next(it, &d, &day, &found, &err), TP_OK);
    CU_ASSERT(found); /* absent days are skipped */
    CU_ASSERT_EQUAL(d, oct4 + 3);
    CU_ASSERT_EQUAL(day.value[0], 2);
    CU_ASSERT_EQUAL(store_day_iter_next(it, &d, &day, &found, &err), TP_OK);
    CU_ASSERT(!found);
    store_day_iter_close(it);
    CU_ASSERT_EQUAL_FATAL(store_day_iter_open(s, v[1].id, oct4 + 1, oct4 + 2, &it, &err), TP_OK);
    CU_ASSERT_EQUAL(store_day_iter_next(it, &d, &day, &found, &err), TP_OK);
    CU_ASSERT(!found);
    store_day_iter_close(it);
    store_day_iter_close(NULL);
    store_series_list_free(v, n);
    CU_ASSERT_EQUAL(store_series_list(s, "nobody", &v, &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_PTR_NULL(v);
    store_series_list_free(NULL, 0);
    tp_store_close(s);
}

/* A reader's open (TP_STORE_EXISTING) of a missing file fails with the path named and
 * creates nothing; an existing file opens; ":memory:" always opens; unknown flags are refused
 * (a later read-only bit must not be ignored by this library). */
static void test_open_existing(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/missing.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_store_open_mode(path, TP_STORE_EXISTING, &s, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(s);
    ASSERT_CONTAINS(err.message, path);
    ASSERT_CONTAINS(err.message, ": no database there (tierplan ingest creates one)");
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0); /* nothing created */
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", path);
    CU_ASSERT_NOT_EQUAL(access(wal, F_OK), 0);
    /* the writer's mode creates it; then the reader's mode opens it */
    CU_ASSERT_EQUAL_FATAL(tp_store_open_mode(path, TP_STORE_CREATE, &s, &err), TP_OK);
    tp_store_close(s);
    s = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_store_open_mode(path, TP_STORE_EXISTING, &s, &err), TP_OK);
    int version = -1;
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION);
    tp_store_close(s);
    s = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_store_open_mode(":memory:", TP_STORE_EXISTING, &s, &err), TP_OK);
    tp_store_close(s);
    s = NULL;
    CU_ASSERT_EQUAL(tp_store_open_mode(path, 0x80u, &s, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(tp_store_open_mode("", TP_STORE_EXISTING, &s, &err), TP_ERR_USAGE);
}

/* A database written by schema version 1 (as tierplan wrote it before as-of existed) opens
 * with this version: migrated to version 2, its points kept, and each ingest's series given
 * the as-of of its last stored minute + period, so that an older export ingested later does
 * not overwrite them. Version 1 is written here with raw SQL, not with the library. */
static void test_migrate_v1(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/v1.db", tmpdir);
    sqlite3 *db = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    const char *v1 =
        "CREATE TABLE series(id INTEGER PRIMARY KEY, model TEXT NOT NULL, metric TEXT NOT NULL,"
        " service_tier TEXT NOT NULL DEFAULT '', resolved_tier TEXT NOT NULL DEFAULT '',"
        " period_s INTEGER NOT NULL CHECK (period_s > 0 AND period_s % 60 = 0),"
        " UNIQUE (model, metric, service_tier, resolved_tier, period_s));"
        "CREATE TABLE ingests(id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
        " sha256 TEXT NOT NULL, format TEXT NOT NULL, ingested_at TEXT NOT NULL,"
        " points INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0,"
        " replaced INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE days(series_id INTEGER NOT NULL REFERENCES series(id),"
        " day INTEGER NOT NULL, n INTEGER NOT NULL, minutes BLOB NOT NULL,"
        " PRIMARY KEY (series_id, day)) WITHOUT ROWID;"
        "INSERT INTO series VALUES (1, 'm', 'InputTokenCount', '', '', 60);"
        "INSERT INTO ingests VALUES (1, 'a.json', '', 'json', '2026-10-05T14:03:00Z', 3, 3, 0, 0),"
        " (2, 'b.json', '', 'json', '2026-10-05T14:06:00Z', 1, 1, 0, 0);"
        "PRAGMA user_version = 1;";
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
    /* 2026-10-05 is day 20731 (1,791,158,400 s); 14:00 is its minute 840. Ingest 1 wrote
     * 14:00, 14:01, 14:02 (10, 10, 12), ingest 2 wrote 14:05 (7). */
    static store_day day;
    unsigned char blob[STORE_DAY_BYTES];
    const int slot[4] = {840, 841, 842, 845};
    const double value[4] = {10, 10, 12, 7};
    for (int i = 0; i < 4; i++) {
        day.value[slot[i]] = value[i];
        day.ingest[slot[i]] = i < 3 ? 1 : 2;
    }
    store_day_encode(&day, blob);
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(db, "INSERT INTO days VALUES (1, 20731, 4, ?1)", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_blob(st, 1, blob, STORE_DAY_BYTES, SQLITE_STATIC);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);

    tp_store *s = NULL;
    tp_error err;
    int version = 0;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION); /* through every migration */
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 4);
    /* as-of = last minute + 60 s: ingest 1 at 14:02 -> 14:03 = 1791208980,
     * ingest 2 at 14:05 -> 14:06 = 1791209160 */
    CU_ASSERT_EQUAL(q_int(s, "SELECT as_of FROM ingest_series WHERE ingest_id=1 AND "
                             "series_id=1"),
                    1791208980);
    CU_ASSERT_EQUAL(q_int(s, "SELECT as_of FROM ingest_series WHERE ingest_id=2 AND "
                             "series_id=1"),
                    1791209160);
    CU_ASSERT_EQUAL(q_int(s, "SELECT sum(kept_newer) FROM ingests"), 0);
    /* an export as of 14:02 (older than ingest 1's 14:03) leaves 14:02 alone ... */
    tp_ingest_summary sum;
    const char *csv = "2026-10-05T14:02:00Z,m,InputTokenCount,99\n";
    tp_ingest_options o = {0};
    o.period_s = 60;
    o.as_of_s = 1791208920;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "old.csv", csv, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.kept_newer, 1);
    CU_ASSERT_EQUAL(q_double(s, "SELECT value FROM points WHERE minute = 29853482"), 12);
    /* ... and one as of 14:20 replaces it */
    o.as_of_s = 1791210000;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "new.csv", csv, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.replaced, 1);
    CU_ASSERT_EQUAL(q_double(s, "SELECT value FROM points WHERE minute = 29853482"), 99);
    tp_store_close(s);
}

/* Whether the plan of the same-content lookup contains what (1) or not (0). */
static int plan_has(tp_store *s, const char *what)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(s->db, "EXPLAIN QUERY PLAN " STORE_LOG_SAME_CONTENT_SQL, -1, &st, NULL),
        SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        found |= strstr((const char *)sqlite3_column_text(st, 3), what) != NULL;
    sqlite3_finalize(st);
    return found;
}

/* A schema version 4 file (log objects without the indexes: version 5 adds only the two
 * indexes, so a version 5 file with them dropped is a version 4 file) is migrated on open:
 * its rows are kept, the indexes exist, and the same-content lookup searches them instead of
 * scanning every object. */
static void test_migrate_v4_indexes(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/v4.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_exec(s->db,
                     "DROP INDEX ingests_by_sha256; DROP INDEX log_objects_by_ingest;"
                     "INSERT INTO ingests(id, source, sha256, format, ingested_at) VALUES"
                     " (1, 'a.json', 'aa', 'invocation-log', '2026-10-05T14:03:00Z'),"
                     " (2, 'b.json', 'bb', 'invocation-log', '2026-10-05T14:04:00Z'),"
                     " (3, 'c.json', 'aa', 'invocation-log', '2026-10-05T14:05:00Z');"
                     "INSERT INTO log_objects(object, ingest_id, records) VALUES"
                     " ('a.json', 1, 1), ('b.json', 2, 1), ('c.json', 3, 1);"
                     "PRAGMA user_version = 4;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    CU_ASSERT(plan_has(s, "SCAN o")); /* what version 4 did: every object, per object */
    tp_store_close(s);
    s = NULL;

    int version = 0;
    char *other = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION); /* through version 5, and on */
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM log_objects"), 3);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name "
                             "IN ('ingests_by_sha256', 'log_objects_by_ingest')"),
                    2);
    CU_ASSERT(plan_has(s, "INDEX ingests_by_sha256 (sha256=?)"));
    CU_ASSERT(plan_has(s, "INDEX log_objects_by_ingest (ingest_id=?)"));
    CU_ASSERT(!plan_has(s, "SCAN"));
    /* ingest 3's content was ingest 1's (the earliest of the others with that sha256) */
    CU_ASSERT_EQUAL(store_log_same_content(s, "aa", "zz", 3, &other, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(other != NULL ? other : "(none)", "a.json");
    free(other);
    CU_ASSERT_EQUAL(store_log_same_content(s, "bb", "bb", 2, &other, &err), TP_OK);
    CU_ASSERT_PTR_NULL(other);
    free(other);
    tp_store_close(s);
}

/* A full disk: SQLite's unix VFS turns ENOSPC into SQLITE_FULL ("database or disk is full")
 * and keeps no errno, so the message lacked the "No space left on device" that
 * docs/reliability.md promises. Here the database may not grow past its pages
 * (PRAGMA max_page_count), which SQLite reports the same way: the ingest fails naming the
 * database and the reason, what was stored stays, and the next ingest works once there is
 * room. */
static void test_full_disk_message(void)
{
    char path[300], data[300];
    snprintf(path, sizeof path, "%s/full.db", tmpdir);
    snprintf(data, sizeof data, "%s/sample-nova-pro.json", getenv("TP_SAMPLE_DATA"));
    tp_store *s = NULL;
    tp_error err;
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    const char *csv = "timestamp,model,metric,value,tier,service_tier,period_s\n"
                      "2026-10-05T14:00:00Z,amazon.nova-pro-v1:0,InputTokenCount,1234,,,60\n";
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "one.csv", csv, &sum, &err), TP_OK);
    const long long pages = q_int(s, "PRAGMA page_count");
    char sql[80];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages);
    CU_ASSERT_EQUAL_FATAL(q_int(s, sql), pages);
    tp_ingest *ing = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
    tp_status rc = tp_ingest_file(ing, data, &sum, &err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, &err);
    tp_ingest_free(ing);
    CU_ASSERT_EQUAL(rc, TP_ERR_DB);
    char want[400];
    snprintf(want, sizeof want, "%s: ", path);
    CU_ASSERT_EQUAL(strncmp(err.message, want, strlen(want)), 0);
    ASSERT_CONTAINS(err.message, ": database or disk is full (No space left on device)");
    CU_ASSERT_EQUAL(q_int(s, "SELECT COUNT(*) FROM ingests"), 1);
    CU_ASSERT_EQUAL(q_int(s, "SELECT COUNT(*) FROM series"), 1);
    CU_ASSERT_EQUAL(q_int(s, "PRAGMA max_page_count = 1073741823"), 1073741823);
    rc = tp_ingest_begin(s, NULL, &ing, &err);
    if (rc == TP_OK)
        rc = tp_ingest_file(ing, data, &sum, &err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, &err);
    tp_ingest_free(ing);
    CU_ASSERT_EQUAL(rc, TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT COUNT(*) FROM ingests"), 2);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("store", make_tmpdir, remove_tmpdir);
    ADD(s, test_full_disk_message);
    ADD(s, test_schema_and_wal);
    ADD(s, test_open_existing);
    ADD(s, test_models);
    ADD(s, test_export_roundtrip);
    ADD(s, test_corrupt_day_row);
    ADD(s, test_series_list_and_day_iter);
    ADD(s, test_migrate_v1);
    ADD(s, test_migrate_v4_indexes);
}
