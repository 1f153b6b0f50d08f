/* common.c - status names, error helpers and the string-array free shared by every module. */
#include "tierplan/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
    return status;
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
