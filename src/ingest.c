/* ingest.c - the ingest pipeline: reading inputs under the size cap, hashing, decoding on a
 * second thread while the previous input is stored, and storing decoded points. */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/ingest.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnum.h"
#include "ingest_internal.h"
#include "sha256.h"
#include "store_internal.h"
#include "tierplan/timestamp.h"
#include "util.h"

/* ---- the command and its inputs ---- */

struct tp_ingest {
    tp_store *store;
    tp_ingest_options opts; /* read-only once begun: decoder threads read it */
    ingest_page *pending;   /* pages with a NextToken not yet answered in this command */
    size_t n_pending, cap_pending;
    store_day *day; /* scratch for group_store (17 KB: too big for the stack of a thread) */
    int failed;
    int committed;
};

/* One input. Reading and decoding (read, hash, parse, validate) fill everything up to dec
 * and touch no database, so they can run on another thread; storing then consumes it in
 * input order and fills the rest. */
typedef struct file_ctx {
    char *name;
    char *data; /* the input when read from a file or stream (owned), NULL once decoded */
    size_t len;
    tp_status rc; /* outcome of reading and decoding; err holds its message */
    tp_error err;
    ingest_decoded dec; /* dec.name borrows name */
    tp_ingest_summary sum;
    int64_t *series_ids; /* distinct series written, for the summary */
    size_t n_series, cap_series;
} file_ctx;

static void fc_free(file_ctx *fc)
{
    if (fc == NULL)
        return;
    ingest_decoded_deinit(&fc->dec);
    free(fc->series_ids);
    free(fc->data);
    free(fc->name);
    free(fc);
}

static file_ctx *fc_new(const char *name)
{
    file_ctx *fc = calloc(1, sizeof *fc);
    if (fc != NULL && (fc->name = strdup(name)) == NULL) {
        free(fc);
        fc = NULL;
    }
    if (fc != NULL)
        fc->dec.name = fc->name;
    return fc;
}

static void warnf(tp_ingest *ing, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void warnf(tp_ingest *ing, const char *fmt, ...)
{
    if (ing->opts.warn == NULL)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ing->opts.warn(ing->opts.warn_ctx, msg);
}

/* ---- storing ---- */

static int cmp_point(const void *a, const void *b)
{
    const ingest_point *x = a, *y = b;
    if (x->ts_s != y->ts_s)
        return x->ts_s < y->ts_s ? -1 : 1;
    return x->loc < y->loc ? -1 : x->loc > y->loc;
}

static void loc_str(const file_ctx *fc, const ingest_group *g, const ingest_point *p, char *buf,
                    size_t size)
{
    if (g->elem == NULL)
        snprintf(buf, size, "%s:%u", fc->name, (unsigned)p->loc);
    else
        snprintf(buf, size, "%s: %s.%s[%u]", fc->name, g->where, g->elem, (unsigned)p->loc);
}

static tp_status note_series(file_ctx *fc, int64_t id)
{
    for (size_t i = 0; i < fc->n_series; i++)
        if (fc->series_ids[i] == id)
            return TP_OK;
    if (UTIL_GROW(fc->series_ids, fc->cap_series, fc->n_series + 1) != 0)
        return TP_ERR_NOMEM;
    fc->series_ids[fc->n_series++] = id;
    return TP_OK;
}

/* Decides the period of a group: option, label, else the smallest gap between timestamps. */
static tp_status group_period(tp_ingest *ing, const file_ctx *fc, ingest_group *g,
                              tp_error *err)
{
    if (ing->opts.period_s > 0)
        g->period_s = ing->opts.period_s;
    if (g->period_s > 0)
        return TP_OK;
    int64_t gap = 0;
    for (size_t i = 1; i < g->n; i++) {
        int64_t d = g->pts[i].ts_s - g->pts[i - 1].ts_s;
        if (d > 0 && (gap == 0 || d < gap))
            gap = d;
    }
    if (gap == 0) {
        g->period_s = 60;
        warnf(ing, "%s: %s: a single timestamp, period assumed 60 s (pass --period to set it)",
              fc->name, g->where);
        return TP_OK;
    }
    if (gap % 60 != 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: timestamps %lld s apart: the period must be a whole number "
                            "of minutes (pass --period)",
                            fc->name, g->where, (long long)gap);
    if (gap > 86400)
        gap = 86400; /* a day is CloudWatch's coarsest useful period; larger gaps are idle */
    g->period_s = (int)gap;
    if (g->n < TP_INGEST_FEW_POINTS && g->period_s > 60)
        warnf(ing,
              "%s: %s: period inferred as %d s from only %zu points; sparse per-minute data "
              "can look coarser (pass --period 60 if it is per-minute)",
              fc->name, g->where, g->period_s, g->n);
    return TP_OK;
}

/* Sorts, checks and stores one group, a read-modify-write of each UTC day it touches.
 * Per minute: a free slot is inserted, an equal value is unchanged, a different value
 * replaces one from an earlier command and conflicts with one from this command. */
static tp_status group_store(tp_ingest *ing, file_ctx *fc, ingest_group *g, tp_error *err)
{
    tp_status rc;
    store_day *day = ing->day;
    if (g->n == 0)
        return TP_OK;
    qsort(g->pts, g->n, sizeof *g->pts, cmp_point);
    if ((rc = group_period(ing, fc, g, err)) != TP_OK)
        return rc;
    store_series_key key = {g->model, g->metric, g->service_tier, g->resolved_tier, g->period_s};
    int64_t sid = 0;
    if ((rc = store_series_get(ing->store, &key, &sid, err)) != TP_OK)
        return rc;
    if (note_series(fc, sid) != TP_OK)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (fc->sum.ingest_id <= 0 || fc->sum.ingest_id > (int64_t)UINT32_MAX)
        return tp_error_set(err, TP_ERR_DB, "database: ingest id %lld out of range",
                            (long long)fc->sum.ingest_id);
    const uint32_t this_ingest = (uint32_t)fc->sum.ingest_id;
    const int64_t batch_first = ing->store->batch_first_ingest;
    size_t i = 0;
    while (i < g->n) {
        const int64_t d = util_floor_div(util_floor_div(g->pts[i].ts_s, 60), STORE_DAY_MINUTES);
        int changed = 0;
        if ((rc = store_day_get(ing->store, sid, d, day, err)) != TP_OK)
            return rc;
        for (; i < g->n; i++) {
            const ingest_point *p = &g->pts[i];
            const int64_t minute = util_floor_div(p->ts_s, 60);
            if (util_floor_div(minute, STORE_DAY_MINUTES) != d)
                break;
            const int slot = (int)(minute - d * STORE_DAY_MINUTES);
            if (day->ingest[slot] == 0) {
                day->value[slot] = p->value;
                day->ingest[slot] = this_ingest;
                fc->sum.inserted++;
                changed = 1;
            } else if (day->value[slot] == p->value) {
                fc->sum.unchanged++;
            } else if ((int64_t)day->ingest[slot] >= batch_first) {
                char loc[512], ts[TP_TIME_BUF], a[40], b[40];
                loc_str(fc, g, p, loc, sizeof loc);
                cnum_format(a, sizeof a, day->value[slot]);
                cnum_format(b, sizeof b, p->value);
                return tp_error_set(err, TP_ERR_CONFLICT,
                                    "%s: conflicting values %s and %s for the same series and "
                                    "minute in one ingest at %s (%s %s)",
                                    loc, a, b, tp_time_format(minute * 60, ts), g->model,
                                    g->metric);
            } else {
                day->value[slot] = p->value;
                day->ingest[slot] = this_ingest;
                fc->sum.replaced++;
                changed = 1;
            }
            if (fc->sum.points == 0 || minute < fc->sum.first_minute)
                fc->sum.first_minute = minute;
            if (fc->sum.points == 0 || minute > fc->sum.last_minute)
                fc->sum.last_minute = minute;
            fc->sum.points++;
        }
        if (changed && (rc = store_day_put(ing->store, sid, d, day, err)) != TP_OK)
            return rc;
    }
    return TP_OK;
}

/* In input order: a page answers every earlier page with a NextToken that shares a query Id
 * with it; a page with a NextToken then waits for its own answer. Takes pg's contents. */
static tp_status pending_update(tp_ingest *ing, ingest_page *pg, tp_error *err)
{
    for (size_t i = 0; i < ing->n_pending;) {
        int match = 0;
        for (size_t a = 0; a < pg->n_ids && !match; a++)
            for (size_t k = 0; k < ing->pending[i].n_ids && !match; k++)
                match = strcmp(ing->pending[i].ids[k], pg->ids[a]) == 0;
        if (match) {
            ingest_page_deinit(&ing->pending[i]);
            ing->pending[i] = ing->pending[--ing->n_pending];
        } else {
            i++;
        }
    }
    if (!pg->has_next)
        return TP_OK;
    if (UTIL_GROW(ing->pending, ing->cap_pending, ing->n_pending + 1) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    ing->pending[ing->n_pending++] = *pg;
    memset(pg, 0, sizeof *pg);
    return TP_OK;
}

/* Stores a decoded input: provenance row, warnings, points, pagination check. */
static tp_status store_decoded(tp_ingest *ing, file_ctx *fc, tp_error *err)
{
    tp_status rc;
    for (size_t i = 0; i < fc->dec.n_warnings; i++)
        warnf(ing, "%s", fc->dec.warnings[i]);
    if (fc->rc != TP_OK) {
        if (err != NULL)
            *err = fc->err;
        return fc->rc;
    }
    if ((rc = store_ingest_add(ing->store, fc->name,
                               strcmp(fc->sum.format, "csv") == 0 ? "csv" : "json",
                               &fc->sum.ingest_id, err)) != TP_OK)
        return rc;
    for (size_t i = 0; i < fc->dec.n_groups; i++)
        if ((rc = group_store(ing, fc, &fc->dec.groups[i], err)) != TP_OK)
            return rc;
    for (size_t i = 0; i < fc->dec.n_pages; i++)
        if ((rc = pending_update(ing, &fc->dec.pages[i], err)) != TP_OK)
            return rc;
    fc->sum.series = fc->n_series;
    return store_ingest_finish(ing->store, fc->sum.ingest_id, fc->sum.sha256,
                               (int64_t)fc->sum.points, (int64_t)fc->sum.inserted,
                               (int64_t)fc->sum.replaced, (int64_t)fc->sum.unchanged, err);
}

static tp_status fail_command(tp_ingest *ing, tp_status rc)
{
    ing->failed = 1;
    store_batch_rollback(ing->store);
    return rc;
}

/* Stores one input read and decoded on this thread, reports it and frees it. */
static tp_status store_one(tp_ingest *ing, file_ctx *fc, tp_ingest_summary *summary,
                           tp_error *err)
{
    tp_status rc = store_decoded(ing, fc, err);
    if (summary != NULL)
        *summary = fc->sum;
    fc_free(fc);
    return rc == TP_OK ? TP_OK : fail_command(ing, rc);
}

static tp_status check_open(const tp_ingest *ing, const char *name, tp_error *err)
{
    if (!ing->failed && !ing->committed)
        return TP_OK;
    const char *state = ing->failed ? "failed" : "committed";
    if (name != NULL)
        return tp_error_set(err, TP_ERR_USAGE, "%s: ingest already %s", name, state);
    return tp_error_set(err, TP_ERR_USAGE, "ingest already %s", state);
}

/* ---- reading and decoding (no database: may run on another thread) ---- */

/* SHA-256 costs about as much as parsing the JSON; where a second core is free it runs on
 * its own thread beside the parse. */
typedef struct hash_job {
    const char *data;
    size_t len;
    char hex[65];
} hash_job;

static void *hash_thread(void *arg)
{
    hash_job *j = arg;
    sha256_hex(j->data, j->len, j->hex);
    return NULL;
}

/* Decodes data into fc (hash, format detection, parse, validation). Reads only opts. The
 * outcome is in fc->rc and fc->err. */
static void decode(const tp_ingest_options *opts, file_ctx *fc, const char *data, size_t len,
                   int hash_in_parallel)
{
    hash_job job = {data, len, {0}};
    pthread_t hasher;
    int hashing = 0;
    tp_error_clear(&fc->err);
    if (len > opts->max_file_bytes) {
        fc->rc = tp_error_set(&fc->err, TP_ERR_TOO_BIG,
                              "%s: %zu bytes is over the input cap of %zu bytes (raise it with "
                              "--max-input-mb)",
                              fc->name, len, opts->max_file_bytes);
        return;
    }
    if (hash_in_parallel)
        hashing = pthread_create(&hasher, NULL, hash_thread, &job) == 0;
    if (!hashing)
        hash_thread(&job);
    size_t i = 0;
    while (i < len && isspace((unsigned char)data[i]))
        i++;
    if (i == len)
        fc->rc = tp_error_set(&fc->err, TP_ERR_PARSE, "%s: empty input", fc->name);
    else if (data[i] == '{' || data[i] == '[')
        fc->rc = ingest_decode_json(opts, &fc->dec, data, len, &fc->err);
    else
        fc->rc = ingest_decode_csv(opts, &fc->dec, data, len, &fc->err);
    if (hashing)
        pthread_join(hasher, NULL);
    memcpy(fc->sum.sha256, job.hex, sizeof job.hex);
    fc->sum.format = fc->dec.format;
    fc->sum.documents = fc->dec.documents;
}

/* Reads all of f into a new buffer (*out, caller frees), refusing more than cap bytes; name
 * is for messages. The buffer doubles but never past cap + 1 bytes (one byte past the cap
 * tells "too big" from "exactly cap"): growing to the next power of two, as UTIL_GROW does,
 * could hold twice the cap, and the cap is what bounds memory. */
static tp_status read_stream(FILE *f, const char *name, size_t cap, char **out,
                             size_t *out_len, tp_error *err)
{
    tp_status rc = TP_OK;
    char *buf = NULL;
    size_t len = 0, bcap = 0;
    *out = NULL;
    for (;;) {
        if (bcap - len < 65536) {
            size_t ncap = bcap ? bcap * 2 : 1 << 20;
            if (ncap > cap + 1)
                ncap = cap + 1;
            if (ncap <= len)
                break; /* full at cap + 1 bytes: too big */
            char *nb = realloc(buf, ncap);
            if (nb == NULL) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "%s: out of memory", name);
                goto cleanup;
            }
            buf = nb;
            bcap = ncap;
        }
        size_t got = fread(buf + len, 1, bcap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (len <= cap && ferror(f)) {
        rc = tp_error_set(err, TP_ERR_IO, "%s: read error", name);
        goto cleanup;
    }
    if (len > cap) {
        rc = tp_error_set(err, TP_ERR_TOO_BIG,
                          "%s: over the input cap of %zu bytes (raise it with --max-input-mb)",
                          name, cap);
        goto cleanup;
    }
    *out = buf;
    *out_len = len;
    buf = NULL;
cleanup:
    free(buf);
    return rc;
}

/* Decodes fc->data (read by the caller) and frees it: the groups hold what is needed. */
static void decode_data(const tp_ingest_options *opts, file_ctx *fc, int hash_in_parallel)
{
    decode(opts, fc, fc->data, fc->len, hash_in_parallel);
    free(fc->data);
    fc->data = NULL;
}

/* Reads and decodes one file into a new file_ctx (NULL only when out of memory). */
static file_ctx *decode_path(const tp_ingest_options *opts, const char *path,
                             int hash_in_parallel)
{
    file_ctx *fc = fc_new(path);
    if (fc == NULL)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fc->rc = tp_error_set(&fc->err, TP_ERR_IO, "%s: %s", path, strerror(errno));
        return fc;
    }
    fc->rc = read_stream(f, path, opts->max_file_bytes, &fc->data, &fc->len, &fc->err);
    fclose(f);
    if (fc->rc == TP_OK)
        decode_data(opts, fc, hash_in_parallel);
    return fc;
}

typedef struct decode_job {
    const tp_ingest_options *opts;
    const char *path;
    file_ctx *out;
} decode_job;

static void *decode_thread(void *arg)
{
    decode_job *j = arg;
    j->out = decode_path(j->opts, j->path, 1);
    return NULL;
}

/* ---- the public API ---- */

tp_status tp_ingest_begin(tp_store *store, const tp_ingest_options *opts, tp_ingest **out,
                          tp_error *err)
{
    tp_status rc = TP_OK;
    tp_ingest *ing = NULL;
    *out = NULL;
    if (opts != NULL && opts->period_s != 0 && !ingest_period_valid(opts->period_s))
        return tp_error_set(err, TP_ERR_USAGE,
                            "--period must be a whole number of minutes in seconds (60 to "
                            "86400), got %d",
                            opts->period_s);
    if (opts != NULL && opts->metric != NULL && !tp_metric_is_known(opts->metric))
        return tp_error_set(err, TP_ERR_USAGE, "--metric: unknown metric \"%s\"", opts->metric);
    if ((ing = calloc(1, sizeof *ing)) == NULL ||
        (ing->day = malloc(sizeof *ing->day)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    ing->store = store;
    if (opts != NULL)
        ing->opts = *opts;
    if (ing->opts.max_file_bytes == 0)
        ing->opts.max_file_bytes = TP_INGEST_DEFAULT_MAX_BYTES;
    if ((rc = store_batch_begin(store, err)) != TP_OK)
        goto cleanup;
    *out = ing;
    ing = NULL;
cleanup:
    if (ing != NULL)
        free(ing->day);
    free(ing);
    return rc;
}

tp_status tp_ingest_buffer(tp_ingest *ing, const char *name, const char *data, size_t len,
                           tp_ingest_summary *summary, tp_error *err)
{
    tp_status rc = check_open(ing, name, err);
    if (rc != TP_OK)
        return rc;
    file_ctx *fc = fc_new(name);
    if (fc == NULL)
        return fail_command(ing, tp_error_set(err, TP_ERR_NOMEM, "out of memory"));
    decode(&ing->opts, fc, data, len, 1);
    return store_one(ing, fc, summary, err);
}

tp_status tp_ingest_stream(tp_ingest *ing, const char *name, FILE *in,
                           tp_ingest_summary *summary, tp_error *err)
{
    tp_status rc = check_open(ing, name, err);
    if (rc != TP_OK)
        return rc;
    file_ctx *fc = fc_new(name);
    if (fc == NULL)
        return fail_command(ing, tp_error_set(err, TP_ERR_NOMEM, "out of memory"));
    fc->rc = read_stream(in, name, ing->opts.max_file_bytes, &fc->data, &fc->len, &fc->err);
    if (fc->rc == TP_OK)
        decode_data(&ing->opts, fc, 1);
    return store_one(ing, fc, summary, err);
}

tp_status tp_ingest_files(tp_ingest *ing, const char *const *paths, size_t n,
                          tp_ingest_summary *summaries, tp_error *err)
{
    tp_status rc = check_open(ing, NULL, err);
    file_ctx *cur = NULL;
    decode_job job = {&ing->opts, NULL, NULL};
    pthread_t th;
    int running = 0;
    if (rc != TP_OK || n == 0)
        return rc;
    /* A two-stage pipeline: while this thread stores file i, another reads, hashes and
     * parses file i + 1. Errors still surface in file order. */
    cur = decode_path(&ing->opts, paths[0], 1);
    for (size_t i = 0; i < n; i++) {
        if (cur == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            break;
        }
        if (i + 1 < n) {
            job.path = paths[i + 1];
            job.out = NULL;
            running = pthread_create(&th, NULL, decode_thread, &job) == 0;
            if (!running)
                decode_thread(&job); /* no thread to be had: decode in turn */
        }
        rc = store_decoded(ing, cur, err);
        if (summaries != NULL)
            summaries[i] = cur->sum;
        fc_free(cur);
        cur = NULL;
        if (running) {
            pthread_join(th, NULL);
            running = 0;
        }
        cur = job.out;
        job.out = NULL;
        if (rc != TP_OK)
            break;
    }
    fc_free(cur);
    return rc == TP_OK ? TP_OK : fail_command(ing, rc);
}

tp_status tp_ingest_file(tp_ingest *ing, const char *path, tp_ingest_summary *summary,
                         tp_error *err)
{
    return tp_ingest_files(ing, &path, 1, summary, err);
}

tp_status tp_ingest_commit(tp_ingest *ing, tp_error *err)
{
    tp_status rc = check_open(ing, NULL, err);
    if (rc != TP_OK)
        return rc;
    for (size_t i = 0; i < ing->n_pending; i++)
        warnf(ing,
              "%s: has a NextToken but its next page was not given: the export is incomplete "
              "(fetch the remaining pages and ingest them together)",
              ing->pending[i].where);
    if ((rc = store_batch_commit(ing->store, err)) != TP_OK) {
        ing->failed = 1;
        return rc;
    }
    ing->committed = 1;
    return TP_OK;
}

void tp_ingest_free(tp_ingest *ing)
{
    if (ing == NULL)
        return;
    if (!ing->committed)
        store_batch_rollback(ing->store);
    for (size_t i = 0; i < ing->n_pending; i++)
        ingest_page_deinit(&ing->pending[i]);
    free(ing->pending);
    free(ing->day);
    free(ing);
}
