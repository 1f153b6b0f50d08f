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

/* Gzip content may inflate to ZSTREAM_MAX_RATIO times the compressed bytes read so far, or to
 * the floor given to zstream_open, whichever is larger: a decompression bomb (deflate reaches
 * 1032:1, 4 MB of zeros inflate to 4 GiB) then costs at most what the floor or an honest input
 * of that size would. Real invocation logs inflate about 10:1, generated ones 22:1. */
#define ZSTREAM_MAX_RATIO 100
/* The floor when zstream_open is given 0: the default input cap of ingest (256 MiB). */
#define ZSTREAM_DEFAULT_FLOOR ((unsigned long long)256 << 20)

/* Reads the input whose first plen bytes were already read from f into prefix (copied), then
 * the rest of f (borrowed: not closed, must outlive the reader). Gzip (magic 1f 8b, several
 * members allowed) is inflated, within inflate_floor (above; 0 for ZSTREAM_DEFAULT_FLOOR);
 * anything else is passed through. With threaded set, reading, inflating and hashing run on
 * a second thread, up to a few chunks ahead (memory stays a few MiB whatever the input's
 * size). name is copied, for messages.
 * Free with zstream_close. */
tp_status zstream_open(const char *name, const void *prefix, size_t plen, FILE *f, int threaded,
                       unsigned long long inflate_floor, zstream **out, tp_error *err);

/* The next chunk of content: *chunk (owned by z, valid until the next call) and *len; *len
 * is 0 at the end. TP_ERR_IO for a read error, TP_ERR_PARSE for corrupt or truncated gzip,
 * TP_ERR_TOO_BIG for gzip content past the cap above (the message names the file and
 * {max_file_bytes}, the option that raises the floor). */
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
