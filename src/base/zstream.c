/* zstream.c - chunked reading of plain or gzip input, inflated and hashed on a thread ahead
 * of the parser (the parse of invocation logs costs about as much as the inflate). */
#define _POSIX_C_SOURCE 200809L
#include "base/zstream.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/sha256.h"

#define RAW_BUF ((size_t)256 << 10)
#define SLOTS 4 /* chunks in flight: memory is SLOTS MiB whatever the input */

typedef struct slot {
    char *data;
    size_t len;
    tp_status rc; /* of the read that filled it; err holds its message */
    tp_error err;
} slot;

struct zstream {
    char *name;
    FILE *f;
    char *prefix;
    size_t plen, pused;
    unsigned char *raw;
    z_stream zs;
    int gzip, zinit, member_done, eof;
    sha256_ctx sha, content; /* of the raw bytes; of the inflated ones (gzip only) */
    char hex[65], content_hex[65];
    unsigned long long raw_bytes;
    unsigned long long content_bytes, inflate_floor; /* gzip: inflated so far; its floor */
    slot slots[SLOTS];
    size_t head, tail; /* slots filled: [tail, head), counted modulo SLOTS */
    int sync_init, started, stop, done;
    int handed; /* the slot at tail is out with the caller (threaded) */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
};

/* Reads up to cap raw bytes (prefix first), hashing them; 0 at the end. */
static tp_status read_raw(zstream *z, unsigned char *buf, size_t cap, size_t *got, tp_error *err)
{
    size_t n = 0;
    if (z->pused < z->plen) {
        n = z->plen - z->pused < cap ? z->plen - z->pused : cap;
        memcpy(buf, z->prefix + z->pused, n);
        z->pused += n;
    } else if (z->f != NULL && !z->eof) {
        n = fread(buf, 1, cap, z->f);
        if (n == 0 && ferror(z->f))
            return tp_error_set(err, TP_ERR_IO, "%s: read error", z->name);
        if (n == 0)
            z->eof = 1;
    }
    sha256_update(&z->sha, buf, n);
    z->raw_bytes += n;
    *got = n;
    return TP_OK;
}

/* Inflates into out until it is full or the input ends. */
static tp_status inflate_some(zstream *z, char *out, size_t cap, size_t *len, tp_error *err)
{
    z->zs.next_out = (unsigned char *)out;
    z->zs.avail_out = (uInt)cap;
    while (z->zs.avail_out > 0) {
        if (z->zs.avail_in == 0) {
            size_t got = 0;
            tp_status rc = read_raw(z, z->raw, RAW_BUF, &got, err);
            if (rc != TP_OK)
                return rc;
            if (got == 0) {
                if (!z->member_done)
                    return tp_error_set(err, TP_ERR_PARSE, "%s: truncated gzip data", z->name);
                break;
            }
            z->zs.next_in = z->raw;
            z->zs.avail_in = (uInt)got;
        }
        if (z->member_done) { /* another member follows (concatenated gzip files) */
            if (inflateReset(&z->zs) != Z_OK)
                return tp_error_set(err, TP_ERR_PARSE, "%s: corrupt gzip data", z->name);
            z->member_done = 0;
        }
        const int r = inflate(&z->zs, Z_NO_FLUSH);
        if (r == Z_STREAM_END)
            z->member_done = 1;
        else if (r != Z_OK && r != Z_BUF_ERROR)
            return tp_error_set(err, TP_ERR_PARSE, "%s: corrupt gzip data (%s)", z->name,
                                z->zs.msg != NULL ? z->zs.msg : "inflate failed");
    }
    *len = cap - z->zs.avail_out;
    return TP_OK;
}

/* Fills one chunk (on whichever thread reads). */
static void produce(zstream *z, slot *s)
{
    tp_error_clear(&s->err);
    s->len = 0;
    if (z->gzip) {
        s->rc = inflate_some(z, s->data, ZSTREAM_CHUNK, &s->len, &s->err);
        z->content_bytes += s->len;
        /* checked a chunk at a time: the cap is passed by at most one chunk (1 MiB) */
        if (s->rc == TP_OK && z->content_bytes > z->inflate_floor &&
            z->content_bytes / ZSTREAM_MAX_RATIO >= z->raw_bytes)
            s->rc = tp_error_set_field(&s->err, TP_ERR_TOO_BIG, NULL,
                                       "%s: gzip content over %llu bytes and over %d times its "
                                       "compressed size (a decompression bomb?); raise the "
                                       "floor with {max_file_bytes} if it is genuine",
                                       z->name, z->inflate_floor, ZSTREAM_MAX_RATIO);
        if (s->rc == TP_OK)
            sha256_update(&z->content, s->data, s->len);
    } else {
        size_t got = 0;
        s->rc = TP_OK;
        while (s->rc == TP_OK && s->len < ZSTREAM_CHUNK &&
               (s->rc = read_raw(z, (unsigned char *)s->data + s->len, ZSTREAM_CHUNK - s->len, &got,
                                 &s->err)) == TP_OK &&
               got > 0)
            s->len += got;
    }
    if (s->rc != TP_OK || s->len == 0) {
        sha256_final(&z->sha, z->hex);
        if (z->gzip)
            sha256_final(&z->content, z->content_hex);
        else /* plain: the content is the raw bytes */
            memcpy(z->content_hex, z->hex, sizeof z->hex);
    }
}

static void *reader_thread(void *arg)
{
    zstream *z = arg;
    pthread_mutex_lock(&z->mu);
    while (!z->stop && !z->done) {
        if (z->head - z->tail == SLOTS) {
            pthread_cond_wait(&z->freed, &z->mu);
            continue;
        }
        slot *s = &z->slots[z->head % SLOTS];
        pthread_mutex_unlock(&z->mu);
        produce(z, s);
        pthread_mutex_lock(&z->mu);
        z->done = s->rc != TP_OK || s->len == 0;
        z->head++;
        pthread_cond_signal(&z->filled);
    }
    pthread_mutex_unlock(&z->mu);
    return NULL;
}

tp_status zstream_open(const char *name, const void *prefix, size_t plen, FILE *f, int threaded,
                       unsigned long long inflate_floor, zstream **out, tp_error *err)
{
    tp_status rc = TP_OK;
    zstream *z = calloc(1, sizeof *z);
    *out = NULL;
    if (z == NULL || (z->name = strdup(name)) == NULL || (z->prefix = malloc(plen + 1)) == NULL)
        goto nomem;
    memcpy(z->prefix, prefix, plen);
    z->plen = plen;
    z->f = f;
    z->inflate_floor = inflate_floor != 0 ? inflate_floor : ZSTREAM_DEFAULT_FLOOR;
    sha256_init(&z->sha);
    sha256_init(&z->content);
    for (int i = 0; i < (threaded ? SLOTS : 1); i++) /* without a thread: slot 0 only */
        if ((z->slots[i].data = malloc(ZSTREAM_CHUNK)) == NULL)
            goto nomem;
    z->gzip =
        plen >= 2 && (unsigned char)z->prefix[0] == 0x1f && (unsigned char)z->prefix[1] == 0x8b;
    if (z->gzip) {
        if ((z->raw = malloc(RAW_BUF)) == NULL)
            goto nomem;
        if (inflateInit2(&z->zs, 15 + 16) != Z_OK)
            goto nomem;
        z->zinit = 1;
    }
    pthread_mutex_init(&z->mu, NULL);
    pthread_cond_init(&z->filled, NULL);
    pthread_cond_init(&z->freed, NULL);
    z->sync_init = 1;
    if (threaded)
        z->started = pthread_create(&z->th, NULL, reader_thread, z) == 0;
    *out = z;
    return TP_OK;
nomem:
    rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    zstream_close(z);
    return rc;
}

tp_status zstream_next(zstream *z, const char **chunk, size_t *len, tp_error *err)
{
    slot *s;
    if (!z->started) { /* no thread: read in turn, into one slot */
        s = &z->slots[0];
        if (!z->done) {
            produce(z, s);
            z->done = s->rc != TP_OK || s->len == 0;
        } else if (s->rc == TP_OK) {
            s->len = 0;
        }
    } else {
        pthread_mutex_lock(&z->mu);
        if (z->handed) {
            z->tail++; /* the chunk handed out last time is free again */
            z->handed = 0;
            pthread_cond_signal(&z->freed);
        }
        while (z->head == z->tail)
            pthread_cond_wait(&z->filled, &z->mu);
        s = &z->slots[z->tail % SLOTS];
        z->handed = s->rc == TP_OK && s->len > 0; /* the end or an error stays put */
        pthread_mutex_unlock(&z->mu);
    }
    if (s->rc != TP_OK) {
        if (err != NULL)
            *err = s->err;
        return s->rc;
    }
    *chunk = s->data;
    *len = s->len;
    return TP_OK;
}

int zstream_is_gzip(const zstream *z)
{
    return z->gzip;
}

void zstream_sha256(const zstream *z, char hex[65])
{
    memcpy(hex, z->hex, 65);
}

void zstream_content_sha256(const zstream *z, char hex[65])
{
    memcpy(hex, z->content_hex, 65);
}

unsigned long long zstream_raw_bytes(const zstream *z)
{
    return z->raw_bytes;
}

void zstream_close(zstream *z)
{
    if (z == NULL)
        return;
    if (z->started) {
        pthread_mutex_lock(&z->mu);
        z->stop = 1;
        pthread_cond_signal(&z->freed);
        pthread_mutex_unlock(&z->mu);
        pthread_join(z->th, NULL);
    }
    if (z->sync_init) {
        pthread_mutex_destroy(&z->mu);
        pthread_cond_destroy(&z->filled);
        pthread_cond_destroy(&z->freed);
    }
    if (z->zinit)
        inflateEnd(&z->zs);
    for (int i = 0; i < SLOTS; i++)
        free(z->slots[i].data);
    free(z->raw);
    free(z->prefix);
    free(z->name);
    free(z);
}
