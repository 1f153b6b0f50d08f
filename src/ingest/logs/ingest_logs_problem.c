/* ingest_logs_problem.c - the problems of an input of invocation logs, counted per reason (a
 * file with bad timestamps and negative counts warns about each with its own count and lines,
 * never under the first reason seen), and the error when nothing of it could be stored. */
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

/* An input from which nothing could be stored fails (TP_ERR_NOT_FOUND), with the reason and
 * the fix (the option names are in each format: fields are named in fmt only), and is not
 * recorded as ingested: the corrected command then stores it. */
tp_status log_problem_nothing_stored(const problem *const *ps, size_t n_ps, const char *name,
                                     const char *unit, size_t records, int columns,
                                     tp_error *err)
{
    const log_reason *top = NULL;
    char more[64] = "";
    for (size_t p = 0; p < n_ps; p++)
        for (size_t k = 0; k < ps[p]->n_r; k++)
            if (top == NULL || ps[p]->r[k].n > top->n)
                top = &ps[p]->r[k];
    if (top == NULL) /* never: every record read is stored or counted under a reason */
        return tp_error_set(err, TP_ERR_NOT_FOUND, "%s: nothing stored", name);
    if (top->n < records)
        snprintf(more, sizeof more, " (and %zu skipped for other reasons)", records - top->n);
    const char *const nm = name, *const s = top->n == 1 ? "" : "s";
    if (strcmp(top->why, log_why_no_model) == 0)
        return tp_error_set_field(err, TP_ERR_NOT_FOUND, NULL,
                                  "%s: nothing stored: %zu %s%s without a model id%s: pass "
                                  "{model} ID or {fields} model=NAME",
                                  nm, top->n, unit, s, more);
    if (strcmp(top->why, log_why_no_time) == 0)
        return tp_error_set_field(err, TP_ERR_NOT_FOUND, NULL,
                                  "%s: nothing stored: %zu %s%s without a time%s: pass {fields} "
                                  "time=NAME (a column of times, per request or per minute)",
                                  nm, top->n, unit, s, more);
    if (strcmp(top->why, log_why_bad_time) == 0)
        return tp_error_set_field(err, TP_ERR_NOT_FOUND, NULL,
                                  "%s: nothing stored: %zu %s%s with a time that is not one%s: "
                                  "pass {fields} time=NAME naming the column of times",
                                  nm, top->n, unit, s, more);
    if (strcmp(top->why, log_why_bad_count) == 0)
        return tp_error_set_field(err, TP_ERR_NOT_FOUND, NULL,
                                  "%s: nothing stored: %zu %s%s with a count that is not a "
                                  "whole number from 0 to 1e12%s: pass {fields} ROLE=NAME "
                                  "naming the columns of token counts",
                                  nm, top->n, unit, s, more);
    return tp_error_set(err, TP_ERR_NOT_FOUND, "%s: nothing stored: %zu %s%s skipped (%s)%s: %s",
                        nm, top->n, unit, s, top->why, more,
                        columns ? "docs/formats.md, \"Query results\", lists the columns read"
                            : "docs/formats.md, \"Invocation logs\", describes the records");
}

/* Query results whose rows were read with no column of tokens would store zeros and record the
 * input as ingested, so that the corrected command added nothing: refused, nothing stored. */
tp_status log_problem_no_tokens(const char *name, const tp_ingest_summary *sum, tp_error *err)
{
    char list[320] = "";
    size_t at = 0, i = 0;
    const char *c = sum->ignored_columns;
    for (; i < sum->n_ignored_listed; i++, c += strlen(c) + 1) {
        const size_t len = strlen(c);
        if (at + len + 16 >= sizeof list)
            break; /* the rest as "and N more": the message stays one readable line */
        at += (size_t)snprintf(list + at, sizeof list - at, "%s", i ? ", " : "");
        for (size_t k = 0; k < len; k++) /* a name is text; control characters shown as ? */
            list[at++] = (unsigned char)c[k] < 0x20 || c[k] == 0x7f ? '?' : c[k];
        list[at] = '\0';
    }
    if (i < sum->n_ignored_columns)
        snprintf(list + at, sizeof list - at, " and %zu more", sum->n_ignored_columns - i);
    return tp_error_set_field(err, TP_ERR_NOT_FOUND, NULL,
                              "%s: nothing stored: no token column recognised%s%s%s: name one "
                              "with {fields} input_tokens=NAME (or output_tokens=, "
                              "cache_read_tokens=, cache_write_tokens=)",
                              name, list[0] ? " (ignored columns: " : "", list,
                              list[0] ? ")" : "");
}
