/* scan_compare.h - whether two decoded inputs hold the same data, field by field (the
 * streaming get-metric-data scanner against the cJSON path: test_ingest_scan.c and the
 * differential fuzz harness fuzz/fuzz_ingest.c). Values compare bit for bit. */
#ifndef TIERPLAN_TEST_SCAN_COMPARE_H
#define TIERPLAN_TEST_SCAN_COMPARE_H

#include <stdio.h>
#include <string.h>

#include "ingest/ingest_internal.h"

static int scan_str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int scan_group_eq(const ingest_group *a, const ingest_group *b)
{
    if (!scan_str_eq(a->model, b->model) || !scan_str_eq(a->metric, b->metric) ||
        !scan_str_eq(a->service_tier, b->service_tier) ||
        !scan_str_eq(a->resolved_tier, b->resolved_tier) || !scan_str_eq(a->region, b->region) ||
        !scan_str_eq(a->account, b->account) || !scan_str_eq(a->where, b->where) ||
        !scan_str_eq(a->elem, b->elem) || a->packed != b->packed || a->period_s != b->period_s ||
        a->has_end != b->has_end || a->end_s != b->end_s || a->has_start != b->has_start ||
        a->start_s != b->start_s || a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->pts[i].ts_s != b->pts[i].ts_s || a->pts[i].loc != b->pts[i].loc ||
            memcmp(&a->pts[i].value, &b->pts[i].value, sizeof(double)) != 0)
            return 0;
    return 1;
}

/* 1 when a and b hold the same groups, empties, pages, warnings, format and document count;
 * else 0, with what differs in why. */
static int scan_decoded_eq(const ingest_decoded *a, const ingest_decoded *b, char *why, size_t size)
{
    snprintf(why, size, "same");
    if (!scan_str_eq(a->format, b->format) || a->documents != b->documents) {
        snprintf(why, size, "format %s/%s, documents %zu/%zu", a->format ? a->format : "-",
                 b->format ? b->format : "-", a->documents, b->documents);
        return 0;
    }
    if (a->n_groups != b->n_groups || a->n_empties != b->n_empties || a->n_pages != b->n_pages ||
        a->n_warnings != b->n_warnings || a->n_log_rows != b->n_log_rows) {
        snprintf(why, size, "counts: groups %zu/%zu empties %zu/%zu pages %zu/%zu", a->n_groups,
                 b->n_groups, a->n_empties, b->n_empties, a->n_pages, b->n_pages);
        return 0;
    }
    for (size_t i = 0; i < a->n_groups; i++)
        if (!scan_group_eq(&a->groups[i], &b->groups[i])) {
            snprintf(why, size, "group %zu (%s)", i, a->groups[i].where);
            return 0;
        }
    for (size_t i = 0; i < a->n_empties; i++)
        if (!scan_group_eq(&a->empties[i], &b->empties[i])) {
            snprintf(why, size, "empty group %zu", i);
            return 0;
        }
    for (size_t i = 0; i < a->n_warnings; i++)
        if (strcmp(a->warnings[i], b->warnings[i]) != 0) {
            snprintf(why, size, "warning %zu", i);
            return 0;
        }
    for (size_t i = 0; i < a->n_pages; i++) {
        const ingest_page *p = &a->pages[i], *q = &b->pages[i];
        if (!scan_str_eq(p->where, q->where) || p->has_next != q->has_next ||
            p->n_res != q->n_res) {
            snprintf(why, size, "page %zu", i);
            return 0;
        }
        for (size_t r = 0; r < p->n_res; r++) {
            const ingest_result *x = &p->res[r], *y = &q->res[r];
            if (!scan_str_eq(x->key, y->key) || x->id_len != y->id_len ||
                !scan_str_eq(x->where, y->where) || !scan_str_eq(x->status, y->status) ||
                x->said_complete != y->said_complete) {
                snprintf(why, size, "page %zu result %zu", i, r);
                return 0;
            }
        }
    }
    return 1;
}

#endif
