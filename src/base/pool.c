/* pool.c - the library's one worker pool: the fleet report and the projection size their
 * models on it, so thread start-up, fallback and error order live in one place. */
#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>

#include "base/pool.h"

/* One run's shared state; everything below the mutex is guarded by it. */
typedef struct run {
    const pool_spec *s;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* committed moved on */
    size_t next;       /* the next task to hand out: tasks are taken in order */
    size_t committed;  /* tasks committed so far (with a commit function only) */
    size_t failed;     /* the first failing task in task order so far, or n_tasks */
} run;

typedef struct worker {
    run *r;
    void *ctx;
} worker;

static void *work(void *arg)
{
    const worker *w = arg;
    run *r = w->r;
    const pool_spec *s = r->s;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        const size_t i = r->next < s->n_tasks ? r->next++ : s->n_tasks;
        pthread_mutex_unlock(&r->mu);
        if (i >= s->n_tasks)
            break;
        const tp_status rc = s->task(s->arg, w->ctx, i);
        pthread_mutex_lock(&r->mu);
        /* the lowest index, not the first to finish: the result does not depend on timing */
        if (rc != TP_OK && i < r->failed)
            r->failed = i;
        if (s->commit != NULL) {
            /* every task before i is held by a running worker, so the wait ends */
            while (r->committed != i)
                pthread_cond_wait(&r->cv, &r->mu);
            s->commit(s->arg, w->ctx, i, rc);
            r->committed++;
            pthread_cond_broadcast(&r->cv);
        }
        pthread_mutex_unlock(&r->mu);
    }
    if (s->ctx_done != NULL)
        s->ctx_done(s->arg, w->ctx);
    return NULL;
}

tp_status pool_run(const pool_spec *s, size_t *failed, tp_error *err)
{
    if (failed != NULL)
        *failed = s->n_tasks;
    if (s->n_tasks == 0)
        return TP_OK;
    size_t n = s->threads > 1 ? s->threads : 1;
    n = n < s->n_tasks ? n : s->n_tasks;
    /* each context on its own aligned stride, so a context may hold any type */
    const size_t align = alignof(max_align_t);
    const size_t stride = (s->ctx_size + align - 1) / align * align;
    pthread_t *th = calloc(n, sizeof *th);
    worker *w = calloc(n, sizeof *w);
    unsigned char *ctx = stride > 0 ? calloc(n, stride) : NULL;
    if (th == NULL || w == NULL || (stride > 0 && ctx == NULL)) {
        free(th);
        free(w);
        free(ctx);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    run r = {.s = s, .failed = s->n_tasks};
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    for (size_t k = 0; k < n; k++) {
        w[k].r = &r;
        w[k].ctx = ctx != NULL ? ctx + k * stride : NULL;
    }
    size_t started = 0;
    for (; started + 1 < n; started++)
        if (pthread_create(&th[started], NULL, work, &w[started]) != 0)
            break;
    work(&w[started]); /* the calling thread works too: one worker starts no thread at all */
    for (size_t k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    free(th);
    free(w);
    free(ctx);
    if (failed != NULL)
        *failed = r.failed;
    return TP_OK;
}
