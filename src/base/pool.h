/* pool.h - runs independent tasks on a few threads, each worker with a context of its own. */
#ifndef TIERPLAN_BASE_POOL_H
#define TIERPLAN_BASE_POOL_H

#include <stddef.h>

#include "tierplan/common.h"

/* Runs task i with the worker's context. Its status only tells the pool whether it failed;
 * the detail goes wherever the task writes it, typically a slot per task in arg. */
typedef tp_status (*pool_task_fn)(void *arg, void *ctx, size_t i);
/* Called after task i, on the same worker with the same context, in task order and one at a
 * time, whatever the task returned: results folded in here do not depend on scheduling. */
typedef void (*pool_commit_fn)(void *arg, void *ctx, size_t i, tp_status rc);
/* Releases what a worker's context holds, on that worker, once the queue is empty. */
typedef void (*pool_ctx_fn)(void *arg, void *ctx);

typedef struct pool_spec {
    size_t n_tasks;
    size_t threads;        /* workers at most, the calling thread included; 0 counts as 1 */
    size_t ctx_size;       /* bytes of each worker's context, zeroed before its first task */
    pool_task_fn task;     /* required */
    pool_commit_fn commit; /* optional */
    pool_ctx_fn ctx_done;  /* optional */
    void *arg;             /* shared by every task; the pool never touches it */
} pool_spec;

/**
 * Runs tasks 0 .. n_tasks - 1, each exactly once, taken in order by up to min(threads,
 * n_tasks) workers: the calling thread and threads it starts. A thread that cannot be started
 * leaves its share to the others (with none started, every task runs on the calling thread).
 * Every task runs, whatever the others return: a task's failure stops nothing.
 * @param failed if not NULL: the index of the first failing task in task order (the same for
 * any number of threads and any timing), n_tasks when none failed or none ran
 * @param err set only when the pool itself fails
 * @return TP_OK when the pool ran every task, whatever they returned; TP_ERR_NOMEM when it
 * could not be set up (no task ran)
 */
tp_status pool_run(const pool_spec *s, size_t *failed, tp_error *err);

#endif
