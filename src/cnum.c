/* cnum.c - locale-independent number conversion via uselocale() with a cached C locale. */
#include "cnum.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

locale_t cnum_c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

locale_t cnum_enter(void)
{
    locale_t c = cnum_c_locale();
    return c != (locale_t)0 ? uselocale(c) : (locale_t)0;
}

void cnum_restore(locale_t previous)
{
    if (previous != (locale_t)0)
        uselocale(previous);
}

int cnum_parse(const char *text, size_t len, double *out)
{
    char buf[64];
    /* strtod needs a terminated string; a number longer than this is not one we accept. */
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *end = NULL;
    locale_t prev = cnum_enter();
    errno = 0;
    double v = strtod(buf, &end);
    int overflow = errno == ERANGE && isinf(v);
    cnum_restore(prev);
    if (end != buf + len || end == buf || overflow)
        return -1;
    *out = v;
    return 0;
}

void cnum_format(char *buf, size_t size, double v)
{
    locale_t prev = cnum_enter();
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    cnum_restore(prev);
}
