/* zstream.h - a chunked reader of one input that may be gzip-compressed: inflates it (on a
 * thread of its own, ahead of the parser) and hashes the raw bytes as they go by. */
#ifndef TIERPLAN_ZSTREAM_H
#define TIERPLAN_ZSTREAM_H

#include <stddef.h>
#include <stdio.h>

#include "tierplan/common.h"

/* Size of the chunks zstream_next hands out (at most). */
#define ZSTREAM_CHUNK ((size_t)1 << 20)

typedef struct zstream zstream;

/* Reads the input whose first plen bytes were already read from f into prefix (copied), then
 * the rest of f (borrowed: not closed, must outlive the reader). Gzip (magic 1f 8b, several
 * members allowed) is inflated; anything else is passed through. With threaded set, reading,
 * inflating and hashing run on a second thread, up to a few chunks ahead (memory stays a few
 * MiB whatever the input's size). name is copied, for messages.
 * Free with zstream_close. */
tp_status zstream_open(const char *name, const void *prefix, size_t plen, FILE *f, int threaded,
                       zstream **out, tp_error *err);

/* The next chunk of content: *chunk (owned by z, valid until the next call) and *len; *len
 * is 0 at the end. TP_ERR_IO for a read error, TP_ERR_PARSE for corrupt or truncated gzip. */
tp_status zstream_next(zstream *z, const char **chunk, size_t *len, tp_error *err);

/* Whether the input is gzip. */
int zstream_is_gzip(const zstream *z);

/* After the end: the SHA-256 of the raw (compressed) bytes, and their number. */
void zstream_sha256(const zstream *z, char hex[65]);
unsigned long long zstream_raw_bytes(const zstream *z);
/* After the end: the SHA-256 of the content (inflated; of a plain input, its raw bytes), so
 * that a gzip copy of a plain file is known as the same content. */
void zstream_content_sha256(const zstream *z, char hex[65]);

/* Stops the reader thread and frees everything. NULL is allowed. */
void zstream_close(zstream *z);

#endif
