/* test_concurrency.c - several tierplan processes on one database: readers during a long
 * ingest, concurrent ingests, kill -9 mid-ingest, a read-only file and directory, a full disk
 * and a locked database (docs/reliability.md). Inputs are synthetic get-metric-data files of
 * about 25 MB, each ingested several times in one command so that the write lock is held for
 * seconds, rather than files of 100 MB: the suite must stay short on two cores. */
#define _GNU_SOURCE /* setgroups */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "synth.h"

void register_tests(void);

#define N_BIG 4
#define BIG_MINUTES (64 * 1440) /* 64 days x 4 metrics = 368,640 points, about 25 MB */
#define NOBODY 65534
#define EXIT_NO_SETUID 125 /* the child could not drop root: the test is skipped */

static char dir[256], bin[1024], sample_a[1024], sample_b[1024], pricing[1024];
static char big[N_BIG][320];

/* How a tierplan child runs: as the test's user or, when that is root (whom permissions do not
 * bind), as nobody; with or without a file size limit (SIGXFSZ ignored: writes then fail with
 * EFBIG, as on a full disk). */
typedef struct spawn_opts {
    int unprivileged;
    rlim_t fsize_limit; /* 0: none */
} spawn_opts;

static const spawn_opts plain = {0, 0}, nobody = {1, 0}, fsize_2mb = {0, 2 << 20};

static void child_setup(const spawn_opts *o, const char *out, const char *err)
{
    int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (chdir(dir) != 0 || fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
        _exit(126);
    if (o->fsize_limit != 0) {
        struct rlimit rl = {o->fsize_limit, o->fsize_limit};
        signal(SIGXFSZ, SIG_IGN);
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(126);
    }
    if (o->unprivileged && geteuid() == 0) {
        gid_t g = NOBODY;
        if (setgroups(1, &g) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
            _exit(EXIT_NO_SETUID);
    }
}

/* Starts tierplan with the NULL-terminated arguments after o; its standard output and error
 * go to dir/NAME.out and dir/NAME.err. */
static pid_t spawn(const spawn_opts *o, const char *name, ...)
{
    char *argv[32], out[512], err[512];
    int n = 0;
    va_list ap;
    argv[n++] = bin;
    va_start(ap, name);
    for (char *a; n < 31 && (a = va_arg(ap, char *)) != NULL;)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    snprintf(out, sizeof out, "%s/%s.out", dir, name);
    snprintf(err, sizeof err, "%s/%s.err", dir, name);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        child_setup(o, out, err);
        execv(bin, argv);
        _exit(127);
    }
    return pid;
}

/* The exit status of a child, or 128 + the signal that ended it. */
static int wait_exit(pid_t pid)
{
    int st = 0;
    if (pid <= 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define RUN(o, name, ...) wait_exit(spawn((o), (name), __VA_ARGS__, (char *)NULL))

static char *slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t)n + 1, 1);
    if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n)
        s[0] = '\0';
    fclose(f);
    return s;
}

static void show(const char *file)
{
    char *s = slurp(file);
    fprintf(stderr, "\n  %s:\n%s\n", file, s);
    free(s);
}

static void expect_in(const char *file, const char *needle)
{
    char *s = slurp(file);
    if (strstr(s, needle) == NULL)
        fprintf(stderr, "\n  expected \"%s\" in %s:\n%s\n", needle, file, s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, needle));
    free(s);
}

/* 1 when two files of dir hold the same bytes (and are not empty). */
static int same_file(const char *a, const char *b)
{
    char *x = slurp(a), *y = slurp(b);
    int same = x[0] != '\0' && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Runs one query of one integer (or text, into text) on a connection of the test's own. */
static long long q_int(const char *db, const char *sql, char *text, size_t text_size)
{
    char path[512];
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    snprintf(path, sizeof path, "%s/%s", dir, db);
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
        if (text != NULL)
            snprintf(text, text_size, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static int integrity_ok(const char *db)
{
    char res[256] = "";
    q_int(db, "PRAGMA integrity_check", res, sizeof res);
    if (strcmp(res, "ok") != 0)
        fprintf(stderr, "\n  integrity_check of %s: %s\n", db, res);
    return strcmp(res, "ok") == 0;
}

/* 1 when another connection holds the write lock of db (BEGIN IMMEDIATE is refused at once). */
static int write_locked(const char *db)
{
    char path[512];
    sqlite3 *h = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, db);
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return 0;
    }
    int rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    return rc == SQLITE_BUSY;
}

/* Waits until the ingest pid holds db's write lock: 1, or 0 when it ended first. */
static int wait_for_lock(const char *db, pid_t pid)
{
    for (double end = now_s() + 60; now_s() < end;) {
        if (write_locked(db))
            return 1;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return 0;
        usleep(2000);
    }
    return 0;
}

/* A database holding the bundled sample, and its export in NAME-before.csv. */
static void seed(const char *db, const char *name)
{
    char csv[300];
    snprintf(csv, sizeof csv, "%s-before", name);
    CU_ASSERT_EQUAL_FATAL(RUN(&plain, name, "ingest", "-q", "--db", db, sample_a, sample_b), 0);
    CU_ASSERT_EQUAL_FATAL(RUN(&plain, csv, "export", "--db", db), 0);
}

static void make_dir(const char *name, mode_t mode)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    CU_ASSERT_EQUAL_FATAL(chmod(path, mode), 0); /* not filtered by the umask */
}

static int exists(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

static void set_mode(const char *name, mode_t mode)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CU_ASSERT_EQUAL(chmod(path, mode), 0);
}

/* A long ingest (one file three times: the lock is held from the first stored file to the
 * commit) and, while it holds the write lock, stats, export and recommend in other processes:
 * all succeed at once (--busy-timeout 1 would fail a reader that waited), and export shows
 * the last committed state. */
static void test_readers_during_ingest(void)
{
    seed("r.db", "r");
    pid_t ing = spawn(&plain, "r-ingest", "ingest", "-q", "--db", "r.db", big[0], big[0],
                      big[0], (char *)NULL);
    CU_ASSERT_FATAL(wait_for_lock("r.db", ing));
    CU_ASSERT_EQUAL(RUN(&plain, "r-stats", "stats", "--db", "r.db", "--busy-timeout", "1"), 0);
    CU_ASSERT_EQUAL(RUN(&plain, "r-during", "--busy-timeout", "1", "export", "--db", "r.db"), 0);
    CU_ASSERT_EQUAL(RUN(&plain, "r-rec", "recommend", "--db", "r.db", "--busy-timeout", "1",
                        "--model", "amazon.nova-pro-v1:0", "--pricing", pricing),
                    0);
    /* still locked: the readers ran beside the writer, not after it */
    CU_ASSERT(write_locked("r.db"));
    CU_ASSERT(same_file("r-before.out", "r-during.out"));
    expect_in("r-stats.out", "amazon.nova-pro-v1:0");
    expect_in("r-rec.out", "amazon.nova-pro-v1:0");
    CU_ASSERT_EQUAL(wait_exit(ing), 0);
    CU_ASSERT_EQUAL(q_int("r.db", "SELECT count(DISTINCT model) FROM series", NULL, 0), 3);
}

/* Four ingests of four large files (five times each: about 2 s a command) started together
 * into a new database: the writers queue on the write lock (default busy timeout, 60 s) and
 * every point lands. A writer that gave up after 5 s, or that held the lock while parsing,
 * left the last of them failing. */
static void test_concurrent_ingests(void)
{
    pid_t pid[N_BIG];
    char name[N_BIG][16];
    for (int i = 0; i < N_BIG; i++) {
        snprintf(name[i], sizeof name[i], "c-%d", i);
        pid[i] = spawn(&plain, name[i], "ingest", "-q", "--db", "c.db", big[i], big[i], big[i],
                       big[i], big[i], (char *)NULL);
    }
    for (int i = 0; i < N_BIG; i++) {
        int rc = wait_exit(pid[i]);
        if (rc != 0) {
            char err[80];
            snprintf(err, sizeof err, "%s.err", name[i]);
            show(err);
        }
        CU_ASSERT_EQUAL(rc, 0);
    }
    /* each file is BIG_MINUTES minutes of 4 metrics, every minute present: stored once,
     * read five times */
    const long long points = (long long)N_BIG * BIG_MINUTES * 4;
    CU_ASSERT_EQUAL(q_int("c.db", "SELECT count(*) FROM ingests", NULL, 0), 5 * N_BIG);
    CU_ASSERT_EQUAL(q_int("c.db", "SELECT count(DISTINCT model) FROM series", NULL, 0), N_BIG);
    CU_ASSERT_EQUAL(q_int("c.db", "SELECT sum(n) FROM days", NULL, 0), points);
    CU_ASSERT_EQUAL(q_int("c.db", "SELECT sum(inserted) FROM ingests", NULL, 0), points);
    CU_ASSERT_EQUAL(q_int("c.db", "SELECT sum(points) FROM ingests", NULL, 0), 5 * points);
    CU_ASSERT(integrity_ok("c.db"));
}

/* kill -9 while an ingest holds the write lock and is writing: the old contents are intact
 * (a reader opening first sees them, integrity_check is ok) and the next ingest works. */
static void test_kill9_mid_ingest(void)
{
    seed("k.db", "k");
    /* four different files: storing them holds the lock for a while even with the streaming
     * scanner (one file stored three times is stored once, and committed within 150 ms) */
    pid_t ing = spawn(&plain, "k-ingest", "ingest", "-q", "--db", "k.db", big[0], big[1],
                      big[2], big[3], (char *)NULL);
    CU_ASSERT_FATAL(wait_for_lock("k.db", ing));
    usleep(30000); /* into the storing */
    CU_ASSERT_EQUAL(kill(ing, SIGKILL), 0);
    CU_ASSERT_EQUAL(wait_exit(ing), 128 + SIGKILL);
    CU_ASSERT_EQUAL(RUN(&plain, "k-after", "export", "--db", "k.db"), 0);
    CU_ASSERT(same_file("k-before.out", "k-after.out"));
    CU_ASSERT(integrity_ok("k.db"));
    CU_ASSERT_EQUAL(RUN(&plain, "k-next", "ingest", "--db", "k.db", big[1]), 0);
    CU_ASSERT_EQUAL(q_int("k.db", "SELECT count(*) FROM ingests", NULL, 0), 3);
}

/* stats, export and recommend on the database at db (in a directory or file the child may not
 * write): all succeed and export is the seeded one. Returns 0, or 1 when the child could not
 * drop root (the caller skips). */
static int readers_work(const char *db, const char *name, const char *expected_csv)
{
    char n[64], out[80];
    snprintf(n, sizeof n, "%s-stats", name);
    int rc = RUN(&nobody, n, "stats", "--db", db);
    if (rc == EXIT_NO_SETUID)
        return 1;
    CU_ASSERT_EQUAL(rc, 0);
    snprintf(n, sizeof n, "%s-export", name);
    CU_ASSERT_EQUAL(RUN(&nobody, n, "export", "--db", db), 0);
    snprintf(out, sizeof out, "%s.out", n);
    CU_ASSERT(same_file(expected_csv, out));
    snprintf(n, sizeof n, "%s-rec", name);
    CU_ASSERT_EQUAL(RUN(&nobody, n, "recommend", "--db", db, "--model",
                        "amazon.nova-pro-v1:0", "--pricing", pricing),
                    0);
    return 0;
}

/* A read-only database file (its directory writable, so SQLite can create PATH-shm) is read
 * with SQLITE_OPEN_READONLY; ingest into it fails naming the file. As root the children run as
 * nobody, for whom the root-owned file is read-only. */
static void test_readonly_file(void)
{
    make_dir("rof", geteuid() == 0 ? 0777 : 0755);
    seed("rof/f.db", "rof");
    set_mode("rof/f.db", 0444);
    if (readers_work("rof/f.db", "rof", "rof-before.out") != 0) {
        printf("\n    skipped: cannot run as an unprivileged user ");
        return;
    }
    CU_ASSERT_EQUAL(RUN(&nobody, "rof-ingest", "ingest", "--db", "rof/f.db",
                        sample_a),
                    3);
    expect_in("rof-ingest.err", "rof/f.db: cannot write: the database file is read-only");
    set_mode("rof/f.db", 0644);
}

/* A database in a read-only directory. Where a reader has left PATH-wal and PATH-shm (a
 * read-only connection does not remove them), SQLite reads through them; where they are
 * missing it cannot create the WAL index, and readers open the file immutable and warn. A
 * reader of a missing file says there is no database. */
static void test_readonly_dir(void)
{
    make_dir("rod", 0755);
    seed("rod/d.db", "rod"); /* its export leaves rod/d.db-wal and -shm */
    /* as root the children run as nobody, for whom the root-owned 0755 directory is
     * read-only already */
    if (geteuid() != 0)
        set_mode("rod", 0555);
    if (readers_work("rod/d.db", "rod-left", "rod-before.out") != 0) {
        printf("\n    skipped: cannot run as an unprivileged user ");
        set_mode("rod", 0755);
        return;
    }
    set_mode("rod", 0755);
    /* the last read-write connection to close removes them */
    CU_ASSERT_EQUAL(q_int("rod/d.db", "SELECT count(*) FROM series", NULL, 0), 7);
    CU_ASSERT(!exists("rod/d.db-shm"));
    if (geteuid() != 0)
        set_mode("rod", 0555);
    CU_ASSERT_EQUAL(readers_work("rod/d.db", "rod", "rod-before.out"), 0);
    expect_in("rod-stats.err", "writes by other processes will not be seen");
    expect_in("rod-export.err", "rod/d.db: read-only directory: writes by other processes");
    /* a writer is refused up front, naming the database */
    CU_ASSERT_EQUAL(RUN(&nobody, "rod-ingest", "ingest", "--db", "rod/d.db", sample_a), 3);
    expect_in("rod-ingest.err", "rod/d.db: cannot write: ");
    CU_ASSERT_EQUAL(RUN(&nobody, "rod-missing", "stats", "--db", "rod/no.db"), 1);
    expect_in("rod-missing.err", "rod/no.db: no database there");
    set_mode("rod", 0755);
}

/* A full disk, simulated with a file size limit of 2 MB (the seeded database is about 0.4 MB;
 * the ingest writes far more): the ingest fails cleanly naming the database, the old contents
 * are intact, and the next ingest, without the limit, works. */
static void test_full_disk(void)
{
    seed("fd.db", "fd");
    CU_ASSERT_EQUAL(RUN(&fsize_2mb, "fd-ingest", "ingest", "--db", "fd.db",
                        big[2]),
                    3);
    expect_in("fd-ingest.err", "fd.db: ");
    expect_in("fd-ingest.err", "nothing from this command was stored");
    CU_ASSERT_EQUAL(RUN(&plain, "fd-after", "export", "--db", "fd.db"), 0);
    CU_ASSERT(same_file("fd-before.out", "fd-after.out"));
    CU_ASSERT(integrity_ok("fd.db"));
    CU_ASSERT_EQUAL(RUN(&plain, "fd-next", "ingest", "-q", "--db", "fd.db", big[2]), 0);
}

/* Another connection holds the write lock (BEGIN EXCLUSIVE): a writer with --busy-timeout 1
 * fails after about a second saying so; readers still read (WAL). */
static void test_locked_database(void)
{
    char path[512];
    sqlite3 *h = NULL;
    seed("l.db", "l");
    snprintf(path, sizeof path, "%s/l.db", dir);
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &h), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(h,
                                       "BEGIN EXCLUSIVE; UPDATE ingests SET source = source "
                                       "WHERE id = 1",
                                       NULL, NULL, NULL),
                          SQLITE_OK);
    double t0 = now_s();
    CU_ASSERT_EQUAL(RUN(&plain, "l-ingest", "--busy-timeout", "1", "ingest", "--db", "l.db",
                        sample_a),
                    3);
    double waited = now_s() - t0;
    CU_ASSERT(waited >= 0.9 && waited < 10);
    expect_in("l-ingest.err", "l.db: starting ingest: database is locked (waited 1 s; raise "
                              "--busy-timeout)");
    t0 = now_s();
    CU_ASSERT_EQUAL(RUN(&plain, "l-stats", "stats", "--db", "l.db"), 0);
    CU_ASSERT_EQUAL(RUN(&plain, "l-after", "export", "--db", "l.db"), 0);
    CU_ASSERT(now_s() - t0 < 5); /* the default timeout is 60 s: nobody waited */
    CU_ASSERT(same_file("l-before.out", "l-after.out"));
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
}

static int setup(void)
{
    const char *b = getenv("TIERPLAN_BIN"), *d = getenv("TP_SAMPLE_DATA");
    if (b == NULL || d == NULL)
        return -1;
    snprintf(bin, sizeof bin, "%s", b);
    snprintf(sample_a, sizeof sample_a, "%s/sample-nova-pro.json", d);
    snprintf(sample_b, sizeof sample_b, "%s/sample-claude-sonnet.json", d);
    snprintf(pricing, sizeof pricing, "%s/pricing.json", d);
    snprintf(dir, sizeof dir, "/tmp/tierplan-conc-XXXXXX");
    /* nobody must reach the files of the read-only tests */
    if (mkdtemp(dir) == NULL || chmod(dir, 0755) != 0)
        return -1;
    synth_minute *m = calloc(BIG_MINUTES, sizeof *m);
    int rc = m == NULL ? -1 : 0;
    for (int i = 0; i < N_BIG && rc == 0; i++) {
        char model[32], prefix[300];
        synth_params p = {0};
        snprintf(model, sizeof model, "big-%d", i);
        p.model = model;
        p.start_s = 1791331200; /* 2026-10-07T00:00:00Z */
        p.minutes = BIG_MINUTES;
        p.peak_prompt_tpm = 500000;
        p.cache_hit = 0.5;
        p.cache_write = 0.05;
        p.output_ratio = 0.2;
        p.seed = (uint64_t)i + 1;
        snprintf(prefix, sizeof prefix, "%s/big-%d", dir, i);
        snprintf(big[i], sizeof big[i], "%s.json", prefix);
        if (synth_generate(&p, m) != 0 || synth_write_pages(&p, m, 1 << 30, prefix, 0) != 1)
            rc = -1;
    }
    free(m);
    return rc;
}

static int teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("concurrency", setup, teardown);
    CU_add_test(s, "readers during a long ingest", test_readers_during_ingest);
    CU_add_test(s, "four concurrent ingests", test_concurrent_ingests);
    CU_add_test(s, "kill -9 mid-ingest", test_kill9_mid_ingest);
    CU_add_test(s, "read-only file", test_readonly_file);
    CU_add_test(s, "read-only directory", test_readonly_dir);
    CU_add_test(s, "full disk", test_full_disk);
    CU_add_test(s, "locked database", test_locked_database);
}
