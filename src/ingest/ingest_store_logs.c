/* ingest_store_logs.c - stores the invocation log sums a CSV input holds (tierplan export
 * writes them): additive like any log object, added once per content. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "store/store_logs.h"
#include "store/store_rows.h"

tp_status ingest_store_log_rows(tp_store *store, const tp_ingest_options *opts,
                                ingest_decoded *dec, int64_t ingest_id, tp_ingest_summary *sum,
                                tp_error *err)
{
    store_log_writer *w = NULL;
    char object[80];
    int found = 0;
    int64_t first = 0, last = -1;
    tp_status rc = TP_OK;
    if (dec->n_log_rows == 0)
        return TP_OK;
    sum->points += dec->log_lines;
    /* known by content: the same export ingested twice adds its sums once (log sums add up,
     * metric points replace) */
    snprintf(object, sizeof object, "sha256:%s", sum->sha256);
    if ((rc = store_log_object_find(store, object, &found, err)) != TP_OK)
        return rc;
    if (found) {
        sum->unchanged += dec->log_lines;
        if (opts->warn != NULL) {
            char msg[512];
            snprintf(msg, sizeof msg,
                     "%s: its invocation log sums were ingested before (the same content): "
                     "not added again",
                     dec->name);
            opts->warn(opts->warn_ctx, msg);
        }
        return TP_OK;
    }
    /* each place of a model, before anything is added: sums without a region are never
     * merged into a region's (an export lists a place's rows together: one check each) */
    for (size_t i = 0; i < dec->n_log_rows && rc == TP_OK; i++) {
        const ingest_log_row *r = &dec->log_rows[i], *p = i > 0 ? r - 1 : NULL;
        if (p == NULL || strcmp(p->model, r->model) != 0 || strcmp(p->region, r->region) != 0 ||
            strcmp(p->account, r->account) != 0)
            rc = ingest_place_guard(store, opts, dec->name, 1, r->model, r->region, r->account,
                                    err);
    }
    if (rc != TP_OK || (rc = store_log_writer_open(store, &w, err)) != TP_OK)
        goto cleanup;
    for (size_t i = 0; i < dec->n_log_rows; i++) {
        const ingest_log_row *r = &dec->log_rows[i];
        const store_log_sums v = {r->sums[0], r->sums[1], r->sums[2],
                                  r->sums[3], r->sums[4], r->sums[5]};
        if ((rc = store_log_writer_add(w, r->model, r->region, r->account, r->attr_by, r->key,
                                       r->minute, &v, err)) != TP_OK)
            goto cleanup;
        if (last < first || r->minute < first)
            first = r->minute;
        if (last < first || r->minute > last)
            last = r->minute;
    }
    if ((rc = store_log_object_add(store, object, ingest_id, (int64_t)dec->n_log_rows, first,
                                   last, err)) != TP_OK)
        goto cleanup;
    sum->inserted += dec->log_lines;
cleanup:
    store_log_writer_close(w);
    return rc;
}
