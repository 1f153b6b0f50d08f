/* strbuf.h - a growable string for renderers; errors are sticky and reported once at the end. */
#ifndef TIERPLAN_STRBUF_H
#define TIERPLAN_STRBUF_H

#include <stddef.h>

#include "tierplan/common.h"

typedef struct strbuf {
    char *data;
    size_t len, cap;
    int failed; /* an allocation failed: later appends do nothing */
} strbuf;

void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Hands the string to *out (caller frees) or frees it and reports TP_ERR_NOMEM. */
tp_status sb_finish(strbuf *b, char **out, tp_error *err);

#endif
