/* test_store_open.c - opening a store beside other connections: no write lock to open a
 * current database, read-only opens (also of files and directories this process may not
 * write), the busy timeout and its message, the lazy write lock of ingest. */
#define _GNU_SOURCE /* setgroups */
#include <CUnit/CUnit.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

void register_tests(void);

static char tmpdir[256];

static int make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tierplan-test-XXXXXX");
    /* 0755: the read-only tests run as nobody when the tests run as root */
    return mkdtemp(tmpdir) == NULL || chmod(tmpdir, 0755) != 0 ? -1 : 0;
}

static int remove_tmpdir(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", tmpdir, tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static tp_store *open_with(const char *path, unsigned flags, int busy_timeout_ms,
                           warnings *w, tp_status *rc, tp_error *err)
{
    tp_store *s = NULL;
    tp_store_open_options o = {0};
    o.flags = flags;
    o.busy_timeout_ms = busy_timeout_ms;
    o.warn = w != NULL ? collect_warning : NULL;
    o.warn_ctx = w;
    *rc = tp_store_open_with(path, &o, &s, err);
    return s;
}

/* A file database holding one point of model m. */
static void one_point(char *path, size_t size, const char *name)
{
    tp_store *s = NULL;
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    snprintf(path, size, "%s/%s", tmpdir, name);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "x.csv", "2026-10-05T14:00:00Z,m,InputTokenCount,1\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s);
}

/* A raw connection holding the write lock, as another process's ingest would. */
static sqlite3 *hold_write_lock(const char *path)
{
    sqlite3 *h = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &h), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(h,
                                       "BEGIN IMMEDIATE; UPDATE ingests SET source = source "
                                       "WHERE id = 1",
                                       NULL, NULL, NULL),
                          SQLITE_OK);
    return h;
}

static size_t model_count(tp_store *s)
{
    char **models = NULL;
    size_t n = 0;
    tp_error err;
    CU_ASSERT_EQUAL(tp_store_models(s, &models, &n, &err), TP_OK);
    tp_strv_free(models, n);
    return n;
}

/* While another connection holds the write lock, opening a current database (read-only or
 * not) neither waits nor fails: opening writes nothing (it took BEGIN IMMEDIATE before). A
 * writer that waits out its busy timeout names the database and the time waited. */
static void test_open_beside_a_writer(void)
{
    char path[300], want[600];
    tp_status rc;
    tp_error err;
    one_point(path, sizeof path, "busy.db");
    sqlite3 *h = hold_write_lock(path);
    /* busy timeout -1: a wait would fail at once */
    tp_store *s = open_with(path, TP_STORE_READONLY, -1, NULL, &rc, &err);
    CU_ASSERT_EQUAL(rc, TP_OK);
    if (s != NULL)
        CU_ASSERT_EQUAL(model_count(s), 1);
    tp_store_close(s);
    s = open_with(path, TP_STORE_EXISTING, -1, NULL, &rc, &err);
    CU_ASSERT_EQUAL(rc, TP_OK);
    tp_store_close(s);
    /* 200 ms: the write lock is still held, so the first stored input waits and fails */
    s = open_with(path, TP_STORE_CREATE, 200, NULL, &rc, &err);
    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
    tp_ingest_options o = {0};
    o.period_s = 60;
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "y.csv", "2026-10-05T14:01:00Z,m,InputTokenCount,2\n",
                               NULL, &err),
                    TP_ERR_DB);
    snprintf(want, sizeof want,
             "%s: starting ingest: database is locked (waited 0.2 s; raise busy_timeout_ms)",
             path);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    /* once the other writer is done, the same store ingests */
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "y.csv", "2026-10-05T14:01:00Z,m,InputTokenCount,2\n",
                               NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 2);
    tp_store_close(s);
}

/* Ingest takes the write lock when its first input is decoded, not at tp_ingest_begin: an
 * input that fails to decode never waits for the lock, and begin does not wait either. */
static void test_ingest_locks_late(void)
{
    char path[300];
    tp_status rc;
    tp_error err;
    tp_ingest *ing = NULL;
    one_point(path, sizeof path, "late.db");
    sqlite3 *h = hold_write_lock(path);
    tp_store *s = open_with(path, TP_STORE_CREATE, -1, NULL, &rc, &err);
    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
    const char *bad = "2026-10-05T14:00:00Z,m,InputTokenCount,x\n";
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(tp_ingest_buffer(ing, "bad.csv", bad, strlen(bad), NULL, &err),
                    TP_ERR_PARSE);
    ASSERT_CONTAINS(err.message, "bad.csv:1");
    tp_ingest_free(ing);
    /* an ingest with no input commits nothing and needs no lock */
    ing = NULL;
    CU_ASSERT_EQUAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_files(ing, NULL, 0, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    tp_store_close(s);
}

/* A read-only store never writes: ingest through it is refused, a read-only open cannot
 * create, and ":memory:" stays a private writable database whatever the flags. */
static void test_readonly_store(void)
{
    char path[300];
    tp_status rc;
    tp_error err;
    one_point(path, sizeof path, "ro.db");
    tp_store *s = open_with(path, TP_STORE_READONLY, 0, NULL, &rc, &err);
    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
    tp_ingest_options o = {0};
    o.period_s = 60;
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "y.csv", "2026-10-05T14:01:00Z,m,InputTokenCount,2\n",
                               NULL, &err),
                    TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, ": opened read-only: cannot ingest");
    ASSERT_CONTAINS(err.message, path);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 1);
    tp_store_close(s);
    s = open_with(path, TP_STORE_READONLY | TP_STORE_CREATE, 0, NULL, &rc, &err);
    CU_ASSERT_EQUAL(rc, TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(s);
    snprintf(path, sizeof path, "%s/missing.db", tmpdir);
    s = open_with(path, TP_STORE_READONLY, 0, NULL, &rc, &err);
    CU_ASSERT_EQUAL(rc, TP_ERR_NOT_FOUND);
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
    s = open_with(":memory:", TP_STORE_READONLY, 0, NULL, &rc, &err);
    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "y.csv", "2026-10-05T14:01:00Z,m,InputTokenCount,2\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s);
}

/* A schema version 1 file (no rows needed here: test_store's test_migrate_v1 checks the
 * migration of data). */
static void write_v1(const char *path)
{
    sqlite3 *db = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL(
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL;"
                     "CREATE TABLE series(id INTEGER PRIMARY KEY, model TEXT NOT NULL, metric "
                     "TEXT NOT NULL, service_tier TEXT NOT NULL DEFAULT '', resolved_tier TEXT "
                     "NOT NULL DEFAULT '', period_s INTEGER NOT NULL, UNIQUE (model, metric, "
                     "service_tier, resolved_tier, period_s));"
                     "CREATE TABLE ingests(id INTEGER PRIMARY KEY, source TEXT NOT NULL, sha256 "
                     "TEXT NOT NULL, format TEXT NOT NULL, ingested_at TEXT NOT NULL, points "
                     "INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0, replaced "
                     "INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0);"
                     "CREATE TABLE days(series_id INTEGER NOT NULL, day INTEGER NOT NULL, n "
                     "INTEGER NOT NULL, minutes BLOB NOT NULL, PRIMARY KEY (series_id, day)) "
                     "WITHOUT ROWID;"
                     "PRAGMA user_version = 1;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
}

/* A read-only store of an older schema upgrades it once, through a writable connection of its
 * own, when the file is writable. */
static void test_readonly_upgrades(void)
{
    char path[300];
    tp_status rc;
    tp_error err;
    int v = 0;
    snprintf(path, sizeof path, "%s/v1.db", tmpdir);
    write_v1(path);
    tp_store *s = open_with(path, TP_STORE_READONLY, 0, NULL, &rc, &err);
    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &v, &err), TP_OK);
    CU_ASSERT_EQUAL(v, TP_SCHEMA_VERSION);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM ingest_series"), 0);
    tp_store_close(s);
}

/* What the unprivileged child checks; each failed check sets a bit of the exit status. */
static int child_checks(const char *weird, const char *junk_wal, const char *v1)
{
    int fail = 0;
    tp_status rc;
    tp_error err;
    warnings w = {{0}, 0};
    /* a directory it may not write, and '?', '#', '%' and a space in the path: the
     * immutable URI must carry them as the file name */
    tp_store *s = open_with(weird, TP_STORE_READONLY, 0, &w, &rc, &err);
    if (rc != TP_OK || model_count(s) != 1)
        fail |= 1;
    if (w.count != 1 || strstr(w.text, "writes by other processes will not be seen") == NULL ||
        strstr(w.text, weird) == NULL)
        fail |= 2;
    tp_store_close(s);
    /* PATH-wal holds something an immutable open would not see: refused */
    s = open_with(junk_wal, TP_STORE_READONLY, 0, NULL, &rc, &err);
    if (rc != TP_ERR_DB || s != NULL || strstr(err.message, "-wal holds changes") == NULL)
        fail |= 4;
    /* an older schema in a file it may not write: says how to upgrade */
    s = open_with(v1, TP_STORE_READONLY, 0, NULL, &rc, &err);
    if (rc != TP_ERR_DB || strstr(err.message, "run tierplan ingest") == NULL ||
        strstr(err.message, "schema version 1 is older") == NULL)
        fail |= 8;
    tp_store_close(s);
    return fail;
}

/* Files and directories this process may not write: as root (whom permissions do not bind)
 * the checks run in a child that has become nobody, otherwise the directories are made
 * read-only for the checks. */
static void test_readonly_filesystem(void)
{
    char d1[300], d2[300], weird[400], junk[400], v1[400], wal[420];
    snprintf(d1, sizeof d1, "%s/ro dir?#%%41", tmpdir);
    snprintf(d2, sizeof d2, "%s/ro2", tmpdir);
    CU_ASSERT_EQUAL_FATAL(mkdir(d1, 0755), 0);
    CU_ASSERT_EQUAL_FATAL(mkdir(d2, 0755), 0);
    snprintf(weird, sizeof weird, "%s/a#b?c.db", d1);
    snprintf(junk, sizeof junk, "%s/junk.db", d2);
    snprintf(v1, sizeof v1, "%s/v1.db", d2);
    tp_store *s = NULL;
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(weird, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(ingest_one(s, &o, "x.csv", "2026-10-05T14:00:00Z,m,InputTokenCount,1\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s); /* the last connection: removes -wal and -shm */
    CU_ASSERT_EQUAL_FATAL(tp_store_open(junk, &s, &err), TP_OK);
    tp_store_close(s);
    snprintf(wal, sizeof wal, "%s-wal", junk);
    FILE *f = fopen(wal, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("not yet checkpointed", f);
    fclose(f);
    write_v1(v1);
    CU_ASSERT_EQUAL(chmod(v1, 0444), 0);
    const int root = geteuid() == 0;
    if (!root)
        CU_ASSERT(chmod(d1, 0555) == 0 && chmod(d2, 0555) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        gid_t g = 65534;
        if (root && (setgroups(1, &g) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
            _exit(125);
        _exit(child_checks(weird, junk, v1));
    }
    int st = 0;
    CU_ASSERT_EQUAL_FATAL(waitpid(pid, &st, 0), pid);
    CU_ASSERT_FATAL(WIFEXITED(st));
    if (WEXITSTATUS(st) == 125)
        printf("\n    skipped: cannot run as an unprivileged user ");
    else
        CU_ASSERT_EQUAL(WEXITSTATUS(st), 0); /* bits: see child_checks */
    CU_ASSERT(chmod(d1, 0755) == 0 && chmod(d2, 0755) == 0);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("store_open", make_tmpdir, remove_tmpdir);
    ADD(s, test_open_beside_a_writer);
    ADD(s, test_ingest_locks_late);
    ADD(s, test_readonly_store);
    ADD(s, test_readonly_upgrades);
    ADD(s, test_readonly_filesystem);
}
