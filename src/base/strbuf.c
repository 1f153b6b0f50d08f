/* strbuf.c - growable string used by the report renderers. */
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(strbuf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < b->len + extra + 1)
        ncap *= 2;
    char *n = realloc(b->data, ncap);
    if (n == NULL) {
        b->failed = 1;
        return -1;
    }
    b->data = n;
    b->cap = ncap;
    return 0;
}

void sb_puts(strbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

tp_status sb_finish(strbuf *b, char **out, tp_error *err)
{
    if (b->failed || reserve(b, 0) != 0) {
        free(b->data);
        *out = NULL;
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    b->data[b->len] = '\0';
    *out = b->data;
    return TP_OK;
}
