/* ingest_logs_problem.c - the problems of an input of invocation logs, counted per reason: a
 * file with bad timestamps and negative counts warns about each with its own count and lines,
 * never under the first reason seen. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "ingest/logs/ingest_logs.h"

void log_problem_note(problem *p, uint64_t line, const char *why)
{
    const char *w = why != NULL ? why : "";
    size_t i = 0;
    while (i < p->n_r && strncmp(p->r[i].why, w, sizeof p->r[i].why - 1) != 0)
        i++;
    if (i == p->n_r && p->n_r < LOG_PROBLEM_REASONS) {
        snprintf(p->r[i].why, sizeof p->r[i].why, "%s", w);
        p->n_r++;
    } else if (i == p->n_r) { /* the last slot takes every reason past the first few */
        i = LOG_PROBLEM_REASONS - 1;
        snprintf(p->r[i].why, sizeof p->r[i].why, "%s", "other reasons");
    }
    log_reason *r = &p->r[i];
    if (r->n < LOG_PROBLEM_LINES)
        r->lines[r->n] = line;
    r->n++;
    p->n++;
}

void log_problem_warn(const problem *p, const char *name, const char *unit, const char *one,
                      const char *many, tp_warn_fn warn, void *warn_ctx)
{
    if (warn == NULL)
        return;
    for (size_t k = 0; k < p->n_r; k++) {
        const log_reason *r = &p->r[k];
        char lines[96] = "", msg[1024];
        size_t at = 0;
        for (size_t i = 0; i < r->n && i < LOG_PROBLEM_LINES; i++)
            at += (size_t)snprintf(lines + at, sizeof lines - at, "%s%llu", i ? ", " : "",
                                   (unsigned long long)r->lines[i]);
        snprintf(msg, sizeof msg, "%s: %zu %s (%s%s %s%s)%s%s", name, r->n,
                 r->n == 1 ? one : many, unit, r->n == 1 ? "" : "s", lines,
                 r->n > LOG_PROBLEM_LINES ? ", ..." : "", r->why[0] ? ": " : "", r->why);
        warn(warn_ctx, msg);
    }
}
