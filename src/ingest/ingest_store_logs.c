/* ingest_store_logs.c - stores the invocation log sums a CSV input holds (tierplan export
 * writes them): additive like any log object, added once per content. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "ingest/logs/ingest_logs.h"
#include "store/store_logs.h"
#include "store/store_rows.h"

/* "model\0attr_by\0key" (or "model\0attr_by" without key) in buf; its length, or 0 when it
 * does not fit (never: ids are checked when read). */
static size_t pair(char *buf, size_t cap, const ingest_log_row *r, int with_key)
{
    const int n = with_key ? snprintf(buf, cap, "%s%c%s%c%s", r->model, 0, r->attr_by, 0, r->key)
                           : snprintf(buf, cap, "%s%c%s", r->model, 0, r->attr_by);
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/* The same cap as invocation logs get when first ingested (ingest_logs.c, cap_key): metadata
 * keys past INGEST_LOGS_MAX_KEYS of a model (and attribution) that are not stored yet are
 * folded into "other"; *out_lines counts the lines (sums) folded. Before anything is added, so
 * that the store's counts are those before this input. */
static tp_status cap_keys(tp_store *store, ingest_decoded *dec, size_t *out_lines,
                          const char **out_attr_by, tp_error *err)
{
    static char other[] = "other";
    str_index seen = {0}, counts = {0};
    char buf[2 * (TP_INGEST_MAX_ID_BYTES + 1) + 64];
    tp_status rc = TP_OK;
    *out_lines = 0;
    for (size_t i = 0; i < dec->n_log_rows && rc == TP_OK; i++) {
        ingest_log_row *r = &dec->log_rows[i];
        size_t one, count = 0;
        int stored = 0;
        if (strncmp(r->attr_by, "metadata:", 9) != 0)
            continue;
        const size_t nk = pair(buf, sizeof buf, r, 1);
        if (nk == 0) {
            rc = tp_error_set(err, TP_ERR_INVALID, "%s:%zu: an id or key over %d bytes",
                              dec->name, r->line, TP_INGEST_MAX_ID_BYTES);
            break;
        }
        if (str_index_find(&seen, buf, nk, &one))
            continue; /* a key kept before in this input */
        if ((rc = store_log_key_exists(store, r->model, r->attr_by, r->key, &stored, err)) !=
            TP_OK)
            break;
        const size_t nm = pair(buf, sizeof buf, r, 0);
        if (!str_index_find(&counts, buf, nm, &count)) {
            int64_t n_stored = 0;
            if ((rc = store_log_keys_stored(store, r->model, r->attr_by, &n_stored, err)) !=
                TP_OK)
                break;
            count = (size_t)n_stored;
        }
        if (!stored && count >= INGEST_LOGS_MAX_KEYS) {
            if (*out_lines == 0)
                *out_attr_by = r->attr_by;
            r->key = other; /* the row's block still owns its strings */
            for (unsigned h = r->have; h != 0; h &= h - 1)
                (*out_lines)++;
            continue;
        }
        count += !stored;
        if (str_index_put(&counts, buf, nm, count) != 0 ||
            str_index_put(&seen, buf, pair(buf, sizeof buf, r, 1), 1) != 0)
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    str_index_deinit(&seen);
    str_index_deinit(&counts);
    return rc;
}

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
    /* the summary's window spans the log minutes too (a CSV of log sums alone has no other) */
    for (size_t i = 0; i < dec->n_log_rows; i++) {
        const int64_t minute = dec->log_rows[i].minute;
        if ((sum->points == 0 && i == 0) || minute < sum->first_minute)
            sum->first_minute = minute;
        if ((sum->points == 0 && i == 0) || minute > sum->last_minute)
            sum->last_minute = minute;
    }
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
    size_t folded = 0;
    const char *attr_by = "";
    if (rc != TP_OK || (rc = cap_keys(store, dec, &folded, &attr_by, err)) != TP_OK ||
        (rc = store_log_writer_open(store, &w, err)) != TP_OK)
        goto cleanup;
    sum->log_folded += folded;
    if (folded > 0 && opts->warn != NULL) {
        char msg[512];
        snprintf(msg, sizeof msg,
                 "%s: more than %d distinct %.80s keys per model: %zu lines folded into "
                 "\"other\"",
                 dec->name, INGEST_LOGS_MAX_KEYS, attr_by, folded);
        opts->warn(opts->warn_ctx, msg);
    }
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
