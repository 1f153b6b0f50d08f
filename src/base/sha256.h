/* sha256.h - SHA-256 (FIPS 180-4) for ingest provenance: content hashes finance can audit. */
#ifndef TIERPLAN_SHA256_H
#define TIERPLAN_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 64 lowercase hex digits of SHA-256(data) and a NUL into hex. */
void sha256_hex(const void *data, size_t len, char hex[65]);

/* Incremental hashing, for inputs streamed rather than read whole (invocation logs). */
typedef struct sha256_ctx {
    uint32_t h[8];
    unsigned char buf[64];
    size_t used;
    uint64_t len;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Writes the hex digest and a NUL into hex; c is spent. */
void sha256_final(sha256_ctx *c, char hex[65]);

/* Set to 1 to use the portable code even where the CPU has SHA extensions (tests compare
 * the two). */
extern int sha256_portable_only;

#endif
