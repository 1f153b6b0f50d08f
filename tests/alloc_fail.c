/* alloc_fail.c - the harness of test alloc_fail: every allocation of the paths under test fails
 * in turn, and the call must fail cleanly with TP_ERR_NOMEM and a message, leak nothing and
 * crash nowhere (run under ASan). The cases are in test_alloc_fail.c (ingest, catalog, stats,
 * simulate, recommend, project, showback) and test_alloc_fail_fleet.c (fleet, plan files,
 * snapshots, diff, gate, series inventory).
 *
 * How: the program is linked with -Wl,--wrap for malloc, calloc, realloc, strdup, strndup and
 * posix_memalign (base/bigalloc.c's large arrays),
 * which routes the library objects' calls (and the test's own) through the counters below, and
 * cJSON is pointed at the same counters with cJSON_InitHooks. Each case arms the counter
 * around the calls under test only (setup and teardown allocate freely) and is run with the
 * n-th allocation failing, for n = 1, 2, ... until a run completes without reaching n. Only
 * the n-th allocation fails: later ones succeed, as they would once memory is freed.
 *
 * Leaks are LeakSanitizer's to find when the program exits (the ASan build, which CI runs).
 * Every case runs every n today (about 13,000 runs); run_case can step n for a path whose
 * allocations grow into the thousands. A case whose setup is slow (a fleet) keeps its
 * renderings a case of their own, over a result made once unarmed.
 *
 * Out of scope: allocations inside SQLite, GSL, zlib and libc itself (realpath, fopen,
 * opendir, pthread_create) do not go through these symbols. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc_fail.h"

void register_tests(void);

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
int __real_posix_memalign(void **p, size_t align, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_posix_memalign(void **p, size_t align, size_t n);

/* Atomic: the gzip reader inflates on a thread of its own. */
static atomic_int armed, hit;
static atomic_long count;
static long fail_at;
static int trap; /* TP_ALLOC_FAIL_TRAP set: rerun a lost failure with SIGTRAP at it */

/* 1 when this allocation is to fail; errno then is ENOMEM, as malloc sets it. */
static int fail_now(void)
{
    if (!atomic_load(&armed))
        return 0;
    if (atomic_fetch_add(&count, 1) + 1 != fail_at)
        return 0;
    atomic_store(&hit, 1);
    if (trap)
        raise(SIGTRAP); /* under a debugger: the stack of the allocation whose failure was lost */
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fail_now() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }
int __wrap_posix_memalign(void **p, size_t align, size_t n)
{
    return fail_now() ? ENOMEM : __real_posix_memalign(p, align, n);
}

static void *cjson_malloc(size_t n) { return __wrap_malloc(n); }

void arm(void) { atomic_store(&armed, 1); }
void disarm(void) { atomic_store(&armed, 0); }

long run_case(const char *name, alloc_case c, long every)
{
    for (long n = 1;; n += n < every ? 1 : every) {
        tp_error err;
        tp_error_clear(&err);
        fail_at = n;
        atomic_store(&count, 0);
        atomic_store(&hit, 0);
        const tp_status rc = c(&err);
        disarm();
        if (!atomic_load(&hit)) {
            if (rc != TP_OK)
                fprintf(stderr, "\n  %s: run without a failure: %s: %s\n", name,
                        tp_status_str(rc), err.message);
            CU_ASSERT_EQUAL(rc, TP_OK);
            return atomic_load(&count);
        }
        if (rc != TP_ERR_NOMEM || err.message[0] == '\0')
            fprintf(stderr, "\n  %s: allocation %ld failed: %s (%d): \"%s\"\n", name, n,
                    tp_status_str(rc), (int)rc, err.message);
        CU_ASSERT_EQUAL(rc, TP_ERR_NOMEM);
        CU_ASSERT(err.message[0] != '\0');
        if (rc == TP_OK) { /* a failure that no one noticed: stop, it is reported */
            if (getenv("TP_ALLOC_FAIL_TRAP") != NULL) {
                trap = 1;
                atomic_store(&count, 0);
                (void)c(&err);
                trap = 0;
            }
            return -1;
        }
    }
}

void register_tests(void)
{
    cJSON_Hooks hooks = {cjson_malloc, free};
    cJSON_InitHooks(&hooks);
    alloc_fail_register_paths();
    alloc_fail_register_fleet();
}
