/* common.c - status names, error helpers and the string-array free shared by every module. */
#include "tierplan/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tp_status_str(tp_status status)
{
    switch (status) {
    case TP_OK: return "ok";
    case TP_ERR_NOMEM: return "out of memory";
    case TP_ERR_IO: return "input/output error";
    case TP_ERR_PARSE: return "parse error";
    case TP_ERR_INVALID: return "invalid value";
    case TP_ERR_DB: return "database error";
    case TP_ERR_CONFLICT: return "conflicting values";
    case TP_ERR_TOO_BIG: return "input too large";
    case TP_ERR_NOT_FOUND: return "not found";
    case TP_ERR_USAGE: return "usage error";
    }
    return "unknown error";
}

void tp_error_clear(tp_error *err)
{
    if (err == NULL)
        return;
    err->status = TP_OK;
    err->message[0] = '\0';
    err->field[0] = '\0';
    err->n_mentions = 0;
}

tp_status tp_error_set(tp_error *err, tp_status status, const char *fmt, ...)
{
    if (err == NULL)
        return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->status = status;
    err->field[0] = '\0';
    err->n_mentions = 0;
    return status;
}

/* Length of the field name of a mark "{name}" at p, or 0 when p starts none. */
static size_t mark_len(const char *p)
{
    if (*p != '{')
        return 0;
    size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789_");
    return n > 0 && p[1 + n] == '}' ? n : 0;
}

/* vsnprintf on a format built from a literal one (the caller's format attribute checked it):
 * marks removed, or cut before a mark, never inside a conversion. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
static int vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    return vsnprintf(buf, size, fmt, ap);
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

tp_status tp_error_set_field(tp_error *err, tp_status status, const char *field,
                             const char *fmt, ...)
{
    if (err == NULL)
        return status;
    /* fmt without its marks' braces; where each mark starts in it */
    char plain[1024];
    size_t at[TP_ERROR_MENTIONS], len[TP_ERROR_MENTIONS], n = 0, k = 0;
    for (const char *p = fmt; *p != '\0' && k + 1 < sizeof plain;) {
        const size_t m = mark_len(p);
        if (m == 0 || n == TP_ERROR_MENTIONS || k + m + 1 >= sizeof plain) {
            plain[k++] = *p++;
            continue;
        }
        at[n] = k;
        len[n++] = m;
        memcpy(plain + k, p + 1, m);
        k += m;
        p += m + 2;
    }
    plain[k] = '\0';
    va_list ap, aq;
    va_start(ap, fmt);
    err->n_mentions = 0;
    for (size_t i = 0; i < n; i++) {
        /* a mark's place in the message: the length of what the format before it writes
         * (printf ignores the arguments left over) */
        const char c = plain[at[i]];
        plain[at[i]] = '\0';
        va_copy(aq, ap);
        const int before = vformat(NULL, 0, plain, aq);
        va_end(aq);
        plain[at[i]] = c;
        if (before >= 0 && (size_t)before + len[i] < sizeof err->message)
            err->mentions[err->n_mentions++] = (tp_error_mention){(size_t)before, len[i]};
    }
    vformat(err->message, sizeof err->message, plain, ap);
    va_end(ap);
    err->status = status;
    snprintf(err->field, sizeof err->field, "%s", field != NULL ? field : "");
    return status;
}

/* Appends n bytes of text to buf (size bytes, *k used), truncating. */
static void append(char *buf, size_t size, size_t *k, const char *text, size_t n)
{
    if (n > size - 1 - *k)
        n = size - 1 - *k;
    memcpy(buf + *k, text, n);
    *k += n;
    buf[*k] = '\0';
}

const char *tp_error_rename(const tp_error *err, tp_field_name_fn name, void *ctx, char *buf,
                            size_t size)
{
    if (size == 0)
        return buf;
    const size_t len = strlen(err->message);
    size_t k = 0, from = 0;
    buf[0] = '\0';
    for (size_t i = 0; name != NULL && i < err->n_mentions && i < TP_ERROR_MENTIONS; i++) {
        const tp_error_mention *m = &err->mentions[i];
        char field[sizeof err->field];
        if (m->at < from || m->len >= sizeof field || m->at + m->len > len)
            break; /* not as tp_error_set_field records them: the rest stays as written */
        memcpy(field, err->message + m->at, m->len);
        field[m->len] = '\0';
        char to_buf[64];
        const char *to = name(ctx, field, to_buf, sizeof to_buf);
        append(buf, size, &k, err->message + from, m->at - from);
        append(buf, size, &k, to != NULL ? to : field, strlen(to != NULL ? to : field));
        from = m->at + m->len;
    }
    append(buf, size, &k, err->message + from, len - from);
    return buf;
}

void tp_error_prefix(tp_error *err, const char *prefix)
{
    if (err == NULL)
        return;
    char msg[sizeof err->message];
    const size_t n = strlen(prefix);
    snprintf(msg, sizeof msg, "%s%s", prefix, err->message);
    memcpy(err->message, msg, sizeof msg);
    size_t kept = 0;
    for (size_t i = 0; i < err->n_mentions; i++)
        if (err->mentions[i].at + n + err->mentions[i].len < sizeof err->message)
            err->mentions[kept++] = (tp_error_mention){err->mentions[i].at + n,
                                                       err->mentions[i].len};
    err->n_mentions = kept;
}

const char *tp_version(void)
{
    return TP_VERSION;
}

void tp_strv_free(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
