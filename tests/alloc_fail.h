/* alloc_fail.h - the allocation-failure harness (alloc_fail.c) shared by the test's cases. */
#ifndef TIERPLAN_ALLOC_FAIL_H
#define TIERPLAN_ALLOC_FAIL_H

#include <stdio.h>
#include <stdlib.h>

#include "tierplan/tierplan.h"

/* Allocations fail (the n-th one counted from the start of the run) only between arm() and
 * disarm(): setup and teardown allocate freely. */
void arm(void);
void disarm(void);

/* A case runs its calls under test between arm() and disarm() and returns the first failing
 * status (err holding its message), or TP_OK. */
typedef tp_status (*alloc_case)(tp_error *err);

/* Runs c with the n-th allocation failing for n = 1, 2, ... (from n = 1 up to `every`, then
 * each `every`-th n: a path of thousands of allocations repeats the same few sites; 1 for
 * all). Returns the allocations of the run that completed, -1 after a lost failure. */
long run_case(const char *name, alloc_case c, long every);

/* A CUnit test test_<fn> running case c_<fn>. */
#define CASE(fn, every)                                                                        \
    static void test_##fn(void)                                                                \
    {                                                                                          \
        const long n = run_case(#fn, c_##fn, every);                                           \
        if (getenv("TP_ALLOC_FAIL_VERBOSE") != NULL)                                           \
            fprintf(stderr, " [%ld allocations] ", n);                                         \
    }

/* The suites: the main paths (test_alloc_fail.c), the fleet and what reads or checks it
 * (test_alloc_fail_fleet.c). */
void alloc_fail_register_paths(void);
void alloc_fail_register_fleet(void);

#endif
