/* store_buffers.c - the per-minute arrays a store handle keeps from one series load to the
 * next (store_internal.h). */
#define STORE_NO_SQLITE_API /* store_internal.h: no SQLite API here */
#include <stdlib.h>

#include "base/bigalloc.h"

#include "store/store_internal.h"

void *store_buffer_take(tp_store *s, size_t bytes)
{
    if (bytes == 0)
        bytes = 1; /* malloc(0) may return NULL */
    int best = -1;
    for (int i = 0; i < STORE_BUFFERS; i++)
        if (s->buf[i] != NULL && s->buf_bytes[i] >= bytes &&
            (best < 0 || s->buf_bytes[i] < s->buf_bytes[best]))
            best = i;
    if (best < 0)
        return bigalloc(bytes);
    void *p = s->buf[best];
    s->buf[best] = NULL;
    s->buf_bytes[best] = 0;
    return p;
}

void store_buffer_give(tp_store *s, void *p, size_t bytes)
{
    if (p == NULL)
        return;
    int slot = -1;
    for (int i = 0; i < STORE_BUFFERS && slot < 0; i++)
        if (s->buf[i] == NULL)
            slot = i;
    if (slot < 0) { /* full: keep the larger arrays, which serve more loads */
        int small = 0;
        for (int i = 1; i < STORE_BUFFERS; i++)
            if (s->buf_bytes[i] < s->buf_bytes[small])
                small = i;
        if (s->buf_bytes[small] >= bytes) {
            free(p);
            return;
        }
        free(s->buf[small]);
        slot = small;
    }
    s->buf[slot] = p;
    s->buf_bytes[slot] = bytes;
}

void store_buffers_free(tp_store *s)
{
    for (int i = 0; i < STORE_BUFFERS; i++) {
        free(s->buf[i]);
        s->buf[i] = NULL;
        s->buf_bytes[i] = 0;
    }
}

void tp_store_release_buffers(tp_store *s)
{
    if (s != NULL)
        store_buffers_free(s);
}
