/* ingest.c - the ingest pipeline: reading inputs under the size cap, hashing, decoding on a
 * second thread while the previous input is stored, and storing decoded points. */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/ingest.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/ingest_internal.h"
#include "ingest/ingest_provider.h"
#include "ingest/logs/ingest_logs.h"
#include "base/sha256.h"
#include "store/store_rows.h"
#include "tierplan/timestamp.h"
#include "base/util.h"

/* ---- the command and its inputs ---- */

struct tp_ingest {
    tp_store *store;
    tp_ingest_options opts; /* read-only once begun: decoder threads read it */
    ingest_queries queries; /* get-metric-data queries seen, for the completeness warnings */
    store_day *day; /* scratch for storing (17 KB: too big for the stack of a thread) */
    int failed;
    int committed;
    int finished; /* tp_ingest_finish ran: the command's warnings are out, no more inputs */
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
} file_ctx;

static void fc_free(file_ctx *fc)
{
    if (fc == NULL)
        return;
    ingest_decoded_deinit(&fc->dec);
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

/* ---- storing ---- */

/* Stores a decoded input: provenance row, warnings, points, pagination check. */
static tp_status store_decoded(tp_ingest *ing, file_ctx *fc, tp_error *err)
{
    tp_status rc;
    for (size_t i = 0; i < fc->dec.n_warnings && ing->opts.warn != NULL; i++)
        ing->opts.warn(ing->opts.warn_ctx, fc->dec.warnings[i]);
    if (fc->rc != TP_OK) {
        if (err != NULL)
            *err = fc->err;
        return fc->rc;
    }
    /* The write lock is taken only now, when the first input is read, parsed and ready to
     * store, and held until commit: reading and parsing a large export takes longer than
     * storing it, and nobody else may write meanwhile (readers never wait: WAL). */
    if (!store_batch_open(ing->store) && (rc = store_batch_begin(ing->store, err)) != TP_OK)
        return rc;
    if ((rc = store_ingest_add(ing->store, fc->name,
                               strcmp(fc->sum.format, "csv") == 0 ? "csv" : "json",
                               &fc->sum.ingest_id, err)) != TP_OK)
        return rc;
    if ((rc = ingest_store_groups(ing->store, &ing->opts, &fc->dec, fc->sum.ingest_id, ing->day,
                                  &fc->sum, err)) != TP_OK ||
        (rc = ingest_store_log_rows(ing->store, &ing->opts, &fc->dec, fc->sum.ingest_id,
                                    &fc->sum, err)) != TP_OK)
        return rc;
    for (size_t i = 0; i < fc->dec.n_pages; i++)
        if ((rc = ingest_queries_add(&ing->queries, &fc->dec.pages[i], err)) != TP_OK)
            return rc;
    return store_ingest_finish(ing->store, fc->sum.ingest_id, fc->sum.sha256,
                               (int64_t)fc->sum.points, (int64_t)fc->sum.inserted,
                               (int64_t)fc->sum.replaced, (int64_t)fc->sum.unchanged,
                               (int64_t)fc->sum.kept_newer, err);
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
    if (!ing->failed && !ing->committed && !ing->finished)
        return TP_OK;
    const char *state = ing->failed ? "failed" : ing->committed ? "committed" : "finished";
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
        fc->rc = tp_error_set_field(&fc->err, TP_ERR_TOO_BIG, NULL,
                                    "%s: %zu bytes is over the input cap of %zu bytes (raise "
                                    "it with {max_file_bytes})",
                                    fc->name, len, opts->max_file_bytes);
        return;
    }
    if (hash_in_parallel)
        hashing = pthread_create(&hasher, NULL, hash_thread, &job) == 0;
    if (!hashing)
        hash_thread(&job);
    /* a UTF-8 byte order mark (Windows editors write one) is no part of the content; the
     * hash still covers the bytes as given */
    const size_t bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t i = bom;
    const char *pfmt; /* Azure, Google or OpenAI metrics (ingest_provider.c) */
    while (i < len && isspace((unsigned char)data[i]))
        i++;
    if (i == len)
        fc->rc = tp_error_set(&fc->err, TP_ERR_PARSE, "%s: empty input", fc->name);
    else if ((data[i] == '{' || data[i] == '[') &&
             (pfmt = ingest_provider_sniff(fc->name, data + i, len - i)) != NULL)
        fc->rc = ingest_decode_provider(opts, &fc->dec, pfmt, data + bom, len - bom, &fc->err);
    else if (data[i] == '{' || data[i] == '[')
        fc->rc = ingest_decode_json(opts, &fc->dec, data + bom, len - bom, &fc->err);
    else
        fc->rc = ingest_decode_csv(opts, &fc->dec, data + bom, len - bom, &fc->err);
    if (hashing)
        pthread_join(hasher, NULL);
    memcpy(fc->sum.sha256, job.hex, sizeof job.hex);
    fc->sum.format = fc->dec.format;
    fc->sum.documents = fc->dec.documents;
}

/* "name is over the cap" (of the whole input, not of the part left). */
static tp_status over_cap(tp_error *err, const char *name, size_t cap)
{
    return tp_error_set_field(err, TP_ERR_TOO_BIG, NULL,
                              "%s: over the input cap of %zu bytes (raise it with "
                              "{max_file_bytes})",
                              name, cap);
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
        rc = over_cap(err, name, cap);
        goto cleanup;
    }
    *out = buf;
    *out_len = len;
    buf = NULL;
cleanup:
    free(buf);
    return rc;
}

/* Refuses a directory, and a regular file over the cap by its size, before reading a byte
 * of it (a 2 GB file is not read to find out). Pipes, FIFOs and devices have no size to
 * go by: read_stream stops them at the cap. */
static tp_status check_size(FILE *f, const char *path, size_t cap, tp_error *err)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        return tp_error_set(err, TP_ERR_IO, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return tp_error_set(err, TP_ERR_IO, "%s: is a directory", path);
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > (uintmax_t)cap)
        return tp_error_set_field(err, TP_ERR_TOO_BIG, NULL,
                                  "%s: %jd bytes is over the input cap of %zu bytes (raise it "
                                  "with {max_file_bytes})",
                                  path, (intmax_t)st.st_size, cap);
    return TP_OK;
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
    fc->rc = check_size(f, path, opts->max_file_bytes, &fc->err);
    if (fc->rc == TP_OK)
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
        return tp_error_set_field(err, TP_ERR_USAGE, "period_s",
                                  "{period_s} must be a whole number of minutes in seconds (60 "
                                  "to 86400), got %d",
                            opts->period_s);
    if (opts != NULL && opts->as_of_s < 0)
        return tp_error_set_field(err, TP_ERR_USAGE, "as_of_s",
                                  "{as_of_s} must not be before 1970");
    if (opts != NULL && (opts->span_from_s != 0 || opts->span_to_s != 0) &&
        (opts->span_from_s < 0 || opts->span_to_s <= opts->span_from_s))
        return tp_error_set_field(err, TP_ERR_USAGE, "span_to_s",
                                  "{span_to_s} must be after {span_from_s} (both given)");
    if (opts != NULL && opts->metric != NULL && !tp_metric_is_known(opts->metric))
        return tp_error_set_field(err, TP_ERR_USAGE, "metric", "{metric}: unknown metric \"%s\"",
                                  opts->metric);
    const char *texts[2] = {opts != NULL ? opts->model : NULL, opts != NULL ? opts->tier : NULL};
    for (int i = 0; i < 2; i++)
        if (texts[i] != NULL && ingest_text_problem(texts[i], strlen(texts[i])) != NULL)
            return tp_error_set_field(err, TP_ERR_USAGE, i == 0 ? "model" : "tier",
                                      i == 0 ? "{model} holds %s" : "{tier} holds %s",
                                      ingest_text_problem(texts[i], strlen(texts[i])));
    if (opts != NULL && opts->region != NULL && !tp_store_region_valid(opts->region))
        return tp_error_set_field(err, TP_ERR_USAGE, "region",
                                  "{region} \"%s\" is not a region name (us-east-1, "
                                  "eu-central-2, us-gov-west-1 ...)",
                                  opts->region);
    if (opts != NULL && opts->account != NULL && !tp_store_account_valid(opts->account))
        return tp_error_set_field(err, TP_ERR_USAGE, "account",
                                  "{account} \"%s\" is not an AWS account id (12 digits)",
                                  opts->account);
    if (opts != NULL && (rc = ingest_logs_check_attr(opts->attribute_by, err)) != TP_OK)
        return rc;
    if (opts != NULL && opts->n_fields > 0 &&
        (rc = ingest_logs_check_fields(opts->fields, opts->n_fields, err)) != TP_OK)
        return rc;
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
    *out = ing;
    ing = NULL;
cleanup:
    if (ing != NULL)
        free(ing->day);
    free(ing);
    return rc;
}

static tp_status logs_stream(tp_ingest *ing, const char *name, const char *prefix, size_t plen,
                             FILE *in, tp_ingest_summary *summary, int *done, tp_error *err);
static int read_prefix(FILE *f, char *buf, size_t *len);

tp_status tp_ingest_buffer(tp_ingest *ing, const char *name, const char *data, size_t len,
                           tp_ingest_summary *summary, tp_error *err)
{
    tp_status rc = check_open(ing, name, err);
    int logs = 0;
    if (rc != TP_OK)
        return rc;
    if (ingest_logs_sniff(data, len) != INGEST_NOT_LOGS)
        return logs_stream(ing, name, data, len, NULL, summary, &logs, err);
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
    char *prefix = NULL;
    size_t plen = 0;
    int logs = 0;
    if (rc != TP_OK)
        return rc;
    file_ctx *fc = fc_new(name);
    if (fc == NULL || (prefix = malloc(INGEST_LOGS_SNIFF)) == NULL) {
        fc_free(fc);
        return fail_command(ing, tp_error_set(err, TP_ERR_NOMEM, "out of memory"));
    }
    /* the first bytes tell invocation logs (streamed) from a metric export (read whole) */
    if (read_prefix(in, prefix, &plen) != 0)
        fc->rc = tp_error_set(&fc->err, TP_ERR_IO, "%s: read error", name);
    else if ((rc = logs_stream(ing, name, prefix, plen, in, summary, &logs, err)) != TP_OK ||
             logs) {
        fc_free(fc);
        free(prefix);
        return rc;
    } else if (plen > ing->opts.max_file_bytes) {
        fc->rc = over_cap(&fc->err, name, ing->opts.max_file_bytes);
    } else if ((fc->rc = read_stream(in, name, ing->opts.max_file_bytes - plen, &fc->data,
                                     &fc->len, &fc->err)) == TP_ERR_TOO_BIG) {
        over_cap(&fc->err, name, ing->opts.max_file_bytes); /* the whole's cap */
    } else if (fc->rc == TP_OK) {
        char *all = realloc(fc->data, plen + fc->len + 1);
        if (all == NULL) {
            fc->rc = tp_error_set(&fc->err, TP_ERR_NOMEM, "out of memory");
        } else {
            memmove(all + plen, all, fc->len);
            memcpy(all, prefix, plen);
            fc->data = all;
            fc->len += plen;
        }
    }
    free(prefix);
    if (fc->rc == TP_OK)
        decode_data(&ing->opts, fc, 1);
    return store_one(ing, fc, summary, err);
}

/* The metric exports among the inputs: a run of files through the two-stage pipeline. */
static tp_status metric_files(tp_ingest *ing, const char *const *paths, size_t n,
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

/* ---- invocation logs: streamed, on this thread (ingest_logs.c) ---- */

/* Reads up to INGEST_LOGS_SNIFF bytes of f into buf (INGEST_LOGS_SNIFF bytes); 0 or -1. */
static int read_prefix(FILE *f, char *buf, size_t *len)
{
    *len = 0;
    size_t got;
    while (*len < INGEST_LOGS_SNIFF &&
           (got = fread(buf + *len, 1, INGEST_LOGS_SNIFF - *len, f)) > 0)
        *len += got;
    return ferror(f) ? -1 : 0;
}

/* Ingests path as invocation logs when its first bytes say so (*done 1); else leaves it to
 * the metric pipeline (*done 0), which also reports files that cannot be opened. With ing
 * NULL it only tells which. */
static tp_status logs_file(tp_ingest *ing, const char *path, tp_ingest_summary *sum, int *done,
                           tp_error *err)
{
    tp_status rc = TP_OK;
    char *prefix = NULL, *object = NULL;
    size_t plen = 0;
    enum ingest_logs_kind kind = INGEST_NOT_LOGS;
    struct stat st;
    FILE *f = NULL;
    *done = 0;
    /* only regular files are looked at: opening a FIFO would wait for, and take, its writer */
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (f = fopen(path, "rb")) == NULL)
        goto cleanup;
    if ((prefix = malloc(INGEST_LOGS_SNIFF)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (read_prefix(f, prefix, &plen) != 0 ||
        (kind = ingest_logs_sniff(prefix, plen)) == INGEST_NOT_LOGS)
        goto cleanup;
    *done = 1;
    if (ing == NULL)
        goto cleanup;
    if ((object = ingest_logs_object_of_path(path)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    rc = ingest_logs_input(ing->store, &ing->opts, path, object, kind, prefix, plen, f, sum, err);
cleanup:
    if (f != NULL)
        fclose(f);
    free(prefix);
    free(object);
    return rc;
}

/* Ingests a stream (or, with in NULL, a buffer: prefix is all of it) as invocation logs when
 * its first bytes say so (*done 1); its identity is its sha256. */
static tp_status logs_stream(tp_ingest *ing, const char *name, const char *prefix, size_t plen,
                             FILE *in, tp_ingest_summary *summary, int *done, tp_error *err)
{
    tp_ingest_summary one;
    const enum ingest_logs_kind kind = ingest_logs_sniff(prefix, plen);
    *done = kind != INGEST_NOT_LOGS;
    if (!*done)
        return TP_OK;
    tp_status rc = ingest_logs_input(ing->store, &ing->opts, name, NULL, kind, prefix, plen, in,
                                     summary != NULL ? summary : &one, err);
    return rc == TP_OK ? TP_OK : fail_command(ing, rc);
}

tp_status tp_ingest_files(tp_ingest *ing, const char *const *paths, size_t n,
                          tp_ingest_summary *summaries, tp_error *err)
{
    tp_status rc = check_open(ing, NULL, err);
    size_t i = 0, run = 0;
    if (rc != TP_OK)
        return rc;
    /* in the order given: invocation logs one by one, each ingested as it is sniffed (opened
     * once: many small objects), the files between them through the metric pipeline */
    while (rc == TP_OK && i < n) {
        tp_ingest_summary one;
        int logs = 0;
        if (i + run < n && (rc = logs_file(run == 0 ? ing : NULL, paths[i + run],
                                           summaries != NULL ? &summaries[i] : &one, &logs,
                                           err)) != TP_OK)
            break;
        if (i + run < n && !logs) {
            run++;
        } else if (run == 0) {
            i++; /* invocation logs, ingested */
        } else { /* the metric files before; then the log file after them, if any, again */
            if ((rc = metric_files(ing, &paths[i], run, summaries ? &summaries[i] : NULL,
                                   err)) != TP_OK)
                return rc;
            i += run;
            run = 0;
        }
    }
    return rc == TP_OK ? TP_OK : fail_command(ing, rc);
}

tp_status tp_ingest_file(tp_ingest *ing, const char *path, tp_ingest_summary *summary,
                         tp_error *err)
{
    return tp_ingest_files(ing, &path, 1, summary, err);
}

tp_status tp_ingest_finish(tp_ingest *ing, tp_error *err)
{
    tp_status rc = check_open(ing, NULL, err);
    if (rc != TP_OK)
        return rc;
    ingest_queries_warn(&ing->queries, &ing->opts);
    ing->finished = 1;
    return TP_OK;
}

tp_status tp_ingest_commit(tp_ingest *ing, tp_error *err)
{
    tp_status rc = TP_OK;
    if (!ing->finished && (rc = tp_ingest_finish(ing, err)) != TP_OK)
        return rc;
    if (ing->failed || ing->committed)
        return check_open(ing, NULL, err);
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
    ingest_queries_deinit(&ing->queries);
    free(ing->day);
    free(ing);
}
