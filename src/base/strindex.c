/* strindex.c - a hash map from byte strings to indexes, so that finding a series or a
 * query among those seen so far costs the same for the 100,000th as for the first. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "base/strindex.h"

#include <stdint.h>

struct str_index_slot {
    const char *key; /* NULL for an empty slot */
    char *owned;     /* key, when the index copied it */
    size_t len;
    uint64_t hash;
    size_t value;
};

/* FNV-1a: short keys, no adversary worth a keyed hash (the input is the user's own). */
static uint64_t hash_bytes(const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static struct str_index_slot *slot_of(const str_index *ix, const char *key, size_t len,
                                         uint64_t h)
{
    size_t mask = ix->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct str_index_slot *s = &ix->slots[i];
        if (s->key == NULL || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

int str_index_find(const str_index *ix, const char *key, size_t len, size_t *value)
{
    if (ix->n == 0)
        return 0;
    const struct str_index_slot *s = slot_of(ix, key, len, hash_bytes(key, len));
    if (s->key == NULL)
        return 0;
    *value = s->value;
    return 1;
}

/* Doubles the table (at least 64 slots), keeping it at most half full. */
static int grow(str_index *ix)
{
    size_t ncap = ix->cap ? ix->cap * 2 : 64;
    struct str_index_slot *old = ix->slots;
    size_t ocap = ix->cap;
    if ((ix->slots = calloc(ncap, sizeof *ix->slots)) == NULL) {
        ix->slots = old;
        return -1;
    }
    ix->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].key != NULL)
            *slot_of(ix, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
    return 0;
}

int str_index_put(str_index *ix, const char *key, size_t len, size_t value)
{
    if ((ix->n + 1) * 2 > ix->cap && grow(ix) != 0)
        return -1;
    const uint64_t h = hash_bytes(key, len);
    struct str_index_slot *s = slot_of(ix, key, len, h);
    if (s->key == NULL) {
        if (!ix->borrow) {
            if ((s->owned = malloc(len ? len : 1)) == NULL)
                return -1;
            memcpy(s->owned, key, len);
            key = s->owned;
        }
        s->key = key;
        s->len = len;
        s->hash = h;
        ix->n++;
    }
    s->value = value;
    return 0;
}

void str_index_deinit(str_index *ix)
{
    for (size_t i = 0; i < ix->cap; i++)
        free(ix->slots[i].owned);
    free(ix->slots);
    memset(ix, 0, sizeof *ix);
}
