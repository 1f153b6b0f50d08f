/* test_store_stmt.c - the statements a store handle keeps for the per-object work of log
 * ingest (store_stmt): prepared once, reset after every use, still right after a failed step
 * or a rolled-back object; the same-content lookup; the metadata cap's key lookups; and the
 * order in which a list of log and metric files is ingested, each log file opened once. */
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

static int64_t q_i(tp_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The SQL of st with every parameter NULL: what sqlite3_expanded_sql gives when none is
 * bound. */
static void sql_unbound(sqlite3_stmt *st, char *out, size_t cap)
{
    const char *p = sqlite3_sql(st);
    size_t n = 0;
    while (*p != '\0' && n + 5 < cap) {
        if (*p == '?') {
            memcpy(out + n, "NULL", 4);
            n += 4;
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

/* No kept statement is left running (holding a read cursor into the next commit or rollback)
 * or bound to a string of the caller's that may be gone. */
static void assert_all_done(tp_store *s)
{
    for (int i = 0; i < STORE_STMTS; i++) {
        if (s->stmt[i] == NULL)
            continue;
        char want[2048];
        char *sql = sqlite3_expanded_sql(s->stmt[i]);
        sql_unbound(s->stmt[i], want, sizeof want);
        CU_ASSERT_FALSE(sqlite3_stmt_busy(s->stmt[i]));
        CU_ASSERT_STRING_EQUAL(sql != NULL ? sql : "(null)", want);
        sqlite3_free(sql);
    }
}

/* An object rolled back with its savepoint (an input of stdin added before) leaves the kept
 * statements usable: the next object is found, added and committed, the first is not. */
static void test_rolled_back_object(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/rollback.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    int64_t id1 = 0, id2 = 0;
    int found = -1;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(store_batch_begin(s, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_savepoint(s, &err), TP_OK);
    CU_ASSERT_EQUAL(store_ingest_add(s, "a.json", "invocation-log", &id1, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_object_add(s, "obj-a", id1, 1, 100, 100, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_object_find(s, "obj-a", &found, &err), TP_OK);
    CU_ASSERT_EQUAL(found, 1);
    sqlite3_stmt *const find = s->stmt[STORE_STMT_LOG_OBJECT_FIND];
    CU_ASSERT_PTR_NOT_NULL(find);
    assert_all_done(s);
    CU_ASSERT_EQUAL(store_log_savepoint_end(s, 0, &err), TP_OK); /* rolled back */
    CU_ASSERT_EQUAL(store_log_object_find(s, "obj-a", &found, &err), TP_OK);
    CU_ASSERT_EQUAL(found, 0);
    CU_ASSERT_EQUAL(store_log_savepoint(s, &err), TP_OK);
    CU_ASSERT_EQUAL(store_ingest_add(s, "b.json", "invocation-log", &id2, &err), TP_OK);
    CU_ASSERT_EQUAL(id2, id1); /* the rolled-back row's id is free again */
    CU_ASSERT_EQUAL(store_log_object_add(s, "obj-b", id2, 2, 1, 0, &err), TP_OK);
    CU_ASSERT_EQUAL(store_ingest_finish(s, id2, "bb", 2, 0, 0, 0, 0, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_savepoint_end(s, 1, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_object_find(s, "obj-b", &found, &err), TP_OK);
    CU_ASSERT_EQUAL(found, 1);
    CU_ASSERT_PTR_EQUAL(s->stmt[STORE_STMT_LOG_OBJECT_FIND], find); /* prepared once */
    assert_all_done(s);
    CU_ASSERT_EQUAL(store_batch_commit(s, &err), TP_OK);
    tp_store_close(s);
    /* what the file holds: b's rows only, its empty span NULL as before */
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM ingests"), 1);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM ingests WHERE source = 'b.json' AND "
                           "sha256 = 'bb' AND points = 2"),
                    1);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_objects WHERE object = 'obj-b' AND "
                           "records = 2 AND first_minute IS NULL AND last_minute IS NULL"),
                    1);
    tp_store_close(s);
}

/* A step that fails (an object added twice: its primary key) names the database and what was
 * done; the statement is reset, so the next object is added, and nothing stored is lost. */
static void test_failed_step(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/failed.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    int64_t id = 0;
    int found = 0;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(store_batch_begin(s, &err), TP_OK);
    CU_ASSERT_EQUAL(store_ingest_add(s, "dup.json", "invocation-log", &id, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_object_add(s, "dup", id, 1, 5, 7, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_object_add(s, "dup", id, 9, 5, 7, &err), TP_ERR_DB);
    ASSERT_CONTAINS(err.message, path);
    ASSERT_CONTAINS(err.message, "recording a log object");
    ASSERT_CONTAINS(err.message, "UNIQUE constraint failed");
    assert_all_done(s);
    CU_ASSERT_EQUAL(store_log_object_add(s, "next", id, 3, 8, 9, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_object_find(s, "dup", &found, &err), TP_OK);
    CU_ASSERT_EQUAL(found, 1);
    CU_ASSERT_EQUAL(store_batch_commit(s, &err), TP_OK);
    CU_ASSERT_EQUAL(q_i(s, "SELECT records FROM log_objects WHERE object = 'dup'"), 1);
    CU_ASSERT_EQUAL(q_i(s, "SELECT last_minute FROM log_objects WHERE object = 'next'"), 9);
    tp_store_close(s);
}

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

/* The earliest other log ingest with either sha256: a metric ingest of the same bytes has no
 * object and does not count; with two sha256 (a gzip input's raw and inflated bytes) the
 * earlier ingest wins whichever sha256 found it. */
static void test_same_content(void)
{
    tp_store *s = open_mem();
    tp_error err;
    char *other = NULL;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_exec(s->db,
                     "INSERT INTO ingests(id, source, sha256, format, ingested_at) VALUES"
                     " (1, 'm.csv', 'aa', 'csv', '2026-10-05T14:02:00Z'),"
                     " (2, 'a.json', 'aa', 'invocation-log', '2026-10-05T14:03:00Z'),"
                     " (3, 'b.json', 'bb', 'invocation-log', '2026-10-05T14:04:00Z'),"
                     " (4, 'c.json', 'cc', 'invocation-log', '2026-10-05T14:05:00Z');"
                     "INSERT INTO log_objects(object, ingest_id, records) VALUES"
                     " ('a.json', 2, 1), ('b.json', 3, 1), ('c.json', 4, 1);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    CU_ASSERT(plan_has(s, "INDEX ingests_by_sha256 (sha256=?)"));
    CU_ASSERT(!plan_has(s, "SCAN"));
    CU_ASSERT(!plan_has(s, "TEMP B-TREE")); /* the index gives the ids in order */
    CU_ASSERT_EQUAL(store_log_same_content(s, "aa", "aa", 9, &other, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(other != NULL ? other : "(none)", "a.json"); /* not m.csv */
    free(other);
    /* found by the second sha256 (3) and by the first (4): the earlier, 3 */
    CU_ASSERT_EQUAL(store_log_same_content(s, "cc", "bb", 9, &other, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(other != NULL ? other : "(none)", "b.json");
    free(other);
    CU_ASSERT_EQUAL(store_log_same_content(s, "bb", "cc", 9, &other, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(other != NULL ? other : "(none)", "b.json");
    free(other);
    /* its own ingest excluded, the other sha256 still found */
    CU_ASSERT_EQUAL(store_log_same_content(s, "bb", "cc", 3, &other, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(other != NULL ? other : "(none)", "c.json");
    free(other);
    CU_ASSERT_EQUAL(store_log_same_content(s, "bb", "zz", 3, &other, &err), TP_OK);
    CU_ASSERT_PTR_NULL(other);
    free(other);
    assert_all_done(s);
    tp_store_close(s);
}

/* The metadata cap's two questions: is this key stored, and how many keys has the model
 * (under that attribution only). */
static void test_log_keys(void)
{
    tp_store *s = open_mem();
    tp_error err;
    int found = -1;
    int64_t n = -1;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_exec(s->db,
                     "INSERT INTO log_models(id, model) VALUES (1, 'm'), (2, 'n');"
                     "INSERT INTO log_key_ids(model_id, attr_by, attr_key) VALUES"
                     " (1, 'metadata:team', 'a'), (1, 'metadata:team', 'b'),"
                     " (1, 'metadata:team', 'other'), (1, 'identity', 'c'),"
                     " (2, 'metadata:team', 'd')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    CU_ASSERT_EQUAL(store_log_key_exists(s, "m", "metadata:team", "b", &found, &err), TP_OK);
    CU_ASSERT_EQUAL(found, 1);
    CU_ASSERT_EQUAL(store_log_key_exists(s, "m", "metadata:team", "c", &found, &err), TP_OK);
    CU_ASSERT_EQUAL(found, 0); /* stored under identity */
    CU_ASSERT_EQUAL(store_log_key_exists(s, "n", "metadata:team", "a", &found, &err), TP_OK);
    CU_ASSERT_EQUAL(found, 0); /* another model's */
    /* a, b and other: 3 ("other" is a stored key like any) */
    CU_ASSERT_EQUAL(store_log_keys_stored(s, "m", "metadata:team", &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(store_log_keys_stored(s, "m", "metadata:project", &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 0);
    assert_all_done(s);
    tp_store_close(s);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

#define LOG_RECORD(ts, in)                                                                     \
    "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":\"" ts    \
    "\",\"identity\":{\"arn\":\"arn:aws:iam::1:user/u\"},\"modelId\":\"m\",\"input\":"       \
    "{\"inputTokenCount\":" in "},\"output\":{\"outputTokenCount\":1}}\n"

/* A list of log and metric files is ingested in its order: the log files one by one (each
 * opened once when no metric file waits before it), the metric files between them together;
 * each summary is its own file's. */
static void test_files_in_order(void)
{
    char p[5][300];
    const char *names[5] = {"1.json", "2.csv", "3.json", "4.json", "5.csv"};
    for (int i = 0; i < 5; i++)
        snprintf(p[i], sizeof p[i], "%s/%s", tmpdir, names[i]);
    write_file(p[0], LOG_RECORD("2026-10-05T14:00:10Z", "10"));
    write_file(p[1], "2026-10-05T14:00:00Z,m,InputTokenCount,7\n");
    write_file(p[2], LOG_RECORD("2026-10-05T14:01:10Z", "20"));
    write_file(p[3], LOG_RECORD("2026-10-05T14:02:10Z", "40"));
    write_file(p[4], "2026-10-05T14:03:00Z,m,InputTokenCount,9\n");
    const char *paths[5] = {p[0], p[1], p[2], p[3], p[4]};
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest *ing = NULL;
    tp_ingest_summary sums[5];
    tp_ingest_options o = {0};
    o.period_s = 60;
    memset(sums, 0, sizeof sums);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_files(ing, paths, 5, sums, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    const char *formats[5] = {"invocation-log", "csv", "invocation-log", "invocation-log", "csv"};
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_STRING_EQUAL(sums[i].format != NULL ? sums[i].format : "(null)", formats[i]);
        CU_ASSERT_EQUAL(i == 1 || i == 4 ? sums[i].points : sums[i].records, 1);
    }
    /* the ingests rows in the order of the list, each log file's object its own */
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(s->db, "SELECT source FROM ingests ORDER BY id", -1,
                                             &st, NULL),
                          SQLITE_OK);
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_ROW);
        CU_ASSERT_STRING_EQUAL((const char *)sqlite3_column_text(st, 0), p[i]);
    }
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    /* 10 + 20 + 40 input tokens of the three log files */
    CU_ASSERT_EQUAL(q_i(s, "SELECT sum(input_tokens) FROM log_minutes"), 70);
    CU_ASSERT_EQUAL(q_i(s, "SELECT count(*) FROM log_objects"), 3);
    assert_all_done(s);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("store_stmt", make_tmpdir, remove_tmpdir);
    ADD(s, test_rolled_back_object);
    ADD(s, test_failed_step);
    ADD(s, test_same_content);
    ADD(s, test_log_keys);
    ADD(s, test_files_in_order);
}
