/* test_pool.c - the worker pool: every task once, the first failure by task order, contexts
 * that belong to one worker each, commits in task order, for any number of threads. */
#include <CUnit/CUnit.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "base/pool.h"

#define N_TASKS 40

void register_tests(void);

/* A worker's context: which thread owns it and what ran on it. */
typedef struct ctx {
    int id; /* 0 until its first task, then a number of its own */
    pthread_t owner;
    size_t tasks, last;
} ctx;

typedef struct state {
    int runs[N_TASKS];      /* times each task ran */
    int ran_on[N_TASKS];    /* the id of the context each task ran with */
    int on_caller[N_TASKS]; /* each task ran on the thread that called pool_run */
    pthread_t caller;
    int n_ids;
    size_t commits[N_TASKS]; /* the tasks in the order they were committed */
    size_t n_commits;
    int commit_same_ctx; /* every commit saw the context of its own task */
    int fail_at[2];      /* tasks that fail (-1: none) */
    int foreign;         /* a context was seen on a thread other than its owner */
    pthread_mutex_t mu;  /* guards n_ids and what ctx_done adds up */
    size_t done_workers, done_tasks;
} state;

static tp_status task(void *arg, void *c, size_t i)
{
    state *st = arg;
    ctx *w = c;
    if (w->id == 0) {
        pthread_mutex_lock(&st->mu);
        w->id = ++st->n_ids;
        pthread_mutex_unlock(&st->mu);
        w->owner = pthread_self();
    } else if (!pthread_equal(w->owner, pthread_self())) {
        st->foreign = 1;
    }
    w->tasks++;
    w->last = i;
    st->runs[i]++;
    st->ran_on[i] = w->id;
    st->on_caller[i] = pthread_equal(pthread_self(), st->caller);
    /* tasks of uneven length, so that workers overtake each other */
    const struct timespec ts = {0, (long)(i % 3) * 200000L};
    nanosleep(&ts, NULL);
    return (int)i == st->fail_at[0] || (int)i == st->fail_at[1] ? TP_ERR_PARSE : TP_OK;
}

static void commit(void *arg, void *c, size_t i, tp_status rc)
{
    state *st = arg;
    const ctx *w = c;
    (void)rc;
    if (w->last != i || st->ran_on[i] != w->id)
        st->commit_same_ctx = 0;
    st->commits[st->n_commits++] = i;
}

static void ctx_done(void *arg, void *c)
{
    state *st = arg;
    const ctx *w = c;
    pthread_mutex_lock(&st->mu);
    st->done_workers++;
    st->done_tasks += w->tasks;
    if (w->id != 0 && !pthread_equal(w->owner, pthread_self()))
        st->foreign = 1;
    pthread_mutex_unlock(&st->mu);
}

/* Runs N_TASKS tasks on `threads` workers, failing fail_a and fail_b; returns the failed index. */
static size_t run(state *st, size_t threads, int fail_a, int fail_b, int with_commit)
{
    memset(st, 0, sizeof *st);
    pthread_mutex_init(&st->mu, NULL);
    st->fail_at[0] = fail_a;
    st->fail_at[1] = fail_b;
    st->commit_same_ctx = 1;
    st->caller = pthread_self();
    const pool_spec s = {N_TASKS,  threads, sizeof(ctx), task, with_commit ? commit : NULL,
                         ctx_done, st};
    size_t failed = 12345;
    tp_error err;
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(pool_run(&s, &failed, &err), TP_OK);
    pthread_mutex_destroy(&st->mu);
    return failed;
}

/* The contexts that ran a task. */
static size_t n_contexts(const state *st)
{
    return (size_t)st->n_ids;
}

static void test_every_task_once(void)
{
    const size_t threads[] = {0, 1, 2, 4, N_TASKS + 7};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++)
        for (int with_commit = 0; with_commit < 2; with_commit++) {
            state st;
            CU_ASSERT_EQUAL(run(&st, threads[t], -1, -1, with_commit), N_TASKS);
            for (size_t i = 0; i < N_TASKS; i++)
                CU_ASSERT_EQUAL(st.runs[i], 1);
            const size_t workers = threads[t] > 1 ? threads[t] : 1;
            const size_t most = workers < N_TASKS ? workers : N_TASKS;
            CU_ASSERT(n_contexts(&st) >= 1 && n_contexts(&st) <= most);
            /* ctx_done once per worker, each context's tasks counted once */
            CU_ASSERT(st.done_workers >= n_contexts(&st) && st.done_workers <= most);
            CU_ASSERT_EQUAL(st.done_tasks, N_TASKS);
            CU_ASSERT_FALSE(st.foreign);
        }
}

/* One worker: every task on the calling thread, in order, one context. */
static void test_one_worker_inline(void)
{
    state st;
    run(&st, 1, -1, -1, 0);
    CU_ASSERT_EQUAL(n_contexts(&st), 1);
    CU_ASSERT_EQUAL(st.done_workers, 1);
    for (size_t i = 0; i < N_TASKS; i++)
        CU_ASSERT_TRUE(st.on_caller[i]);
}

/* The first failure in task order is reported, whichever finished first, and every other task
 * still runs. */
static void test_first_failure(void)
{
    const size_t threads[] = {1, 2, 3, N_TASKS + 1};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        state st;
        CU_ASSERT_EQUAL(run(&st, threads[t], 31, 7, 0), 7);
        for (size_t i = 0; i < N_TASKS; i++)
            CU_ASSERT_EQUAL(st.runs[i], 1);
        CU_ASSERT_EQUAL(run(&st, threads[t], N_TASKS - 1, -1, 1), N_TASKS - 1);
        CU_ASSERT_EQUAL(run(&st, threads[t], 0, N_TASKS - 1, 0), 0);
    }
}

/* Commits come in task order, one each, on the context the task ran with. */
static void test_commit_order(void)
{
    const size_t threads[] = {1, 2, 5, N_TASKS + 3};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        state st;
        run(&st, threads[t], 3, -1, 1);
        CU_ASSERT_EQUAL(st.n_commits, N_TASKS);
        for (size_t i = 0; i < st.n_commits; i++)
            CU_ASSERT_EQUAL(st.commits[i], i);
        CU_ASSERT_TRUE(st.commit_same_ctx);
    }
}

static tp_status never(void *arg, void *c, size_t i)
{
    (void)c, (void)i;
    ++*(int *)arg;
    return TP_OK;
}

/* No task: nothing runs, nothing fails; a context of size 0 is NULL. */
static void test_edges(void)
{
    int calls = 0;
    size_t failed = 99;
    pool_spec s = {0, 4, 16, never, NULL, NULL, &calls};
    CU_ASSERT_EQUAL(pool_run(&s, &failed, NULL), TP_OK);
    CU_ASSERT_EQUAL(failed, 0);
    CU_ASSERT_EQUAL(calls, 0);
    s.n_tasks = 5;
    s.ctx_size = 0;
    CU_ASSERT_EQUAL(pool_run(&s, NULL, NULL), TP_OK);
    CU_ASSERT_EQUAL(calls, 5);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("pool", NULL, NULL);
    CU_add_test(s, "every task once", test_every_task_once);
    CU_add_test(s, "one worker inline", test_one_worker_inline);
    CU_add_test(s, "first failure", test_first_failure);
    CU_add_test(s, "commit order", test_commit_order);
    CU_add_test(s, "edges", test_edges);
}
