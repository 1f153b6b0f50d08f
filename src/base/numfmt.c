/* numfmt.c - numbers for people, in the C locale whatever the process locale. */
#include "base/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/cnum.h"

/* Inserts a ',' every three digits into the integer part of the C-locale number in buf. */
static void group_thousands(char buf[NUMFMT_BUF])
{
    char out[NUMFMT_BUF];
    const char *p = buf;
    size_t o = 0;
    if (*p == '-')
        out[o++] = *p++;
    size_t digits = strspn(p, "0123456789");
    for (size_t i = 0; i < digits && o + 2 < sizeof out; i++) {
        if (i > 0 && (digits - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = p[i];
    }
    snprintf(out + o, sizeof out - o, "%s", p + digits);
    memcpy(buf, out, sizeof out);
}

void numfmt_fixed(char buf[NUMFMT_BUF], double v, int decimals)
{
    if (isnan(v)) {
        snprintf(buf, NUMFMT_BUF, "n/a");
        return;
    }
    if (!isfinite(v) || fabs(v) >= 1e18) {
        /* no grouping for what cannot be a real figure; it stays visible, never truncated */
        snprintf(buf, NUMFMT_BUF, "%g", v);
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 3)
        decimals = 3;
    locale_t prev = cnum_enter();
    snprintf(buf, NUMFMT_BUF, "%.*f", decimals, v);
    cnum_restore(prev);
    if (strcmp(buf, "-0") == 0 || strncmp(buf, "-0.", 3) == 0) {
        /* -0.0001 rounds to "-0.0": a sign on nothing reads as a loss */
        int all_zero = strspn(buf + 1, "0.") == strlen(buf + 1);
        if (all_zero)
            memmove(buf, buf + 1, strlen(buf));
    }
    group_thousands(buf);
}

void numfmt_count(char buf[NUMFMT_BUF], double v)
{
    numfmt_fixed(buf, v, 0);
}

void numfmt_short(char buf[NUMFMT_BUF], double v)
{
    static const struct {
        double unit;
        const char *suffix;
    } units[] = {{1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
    const double a = fabs(v);
    if (isnan(v) || a < 1e4 || !isfinite(v)) {
        numfmt_fixed(buf, v, 0);
        return;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (a >= units[i].unit || i + 1 == sizeof units / sizeof units[0]) {
            const double x = v / units[i].unit;
            const double ax = fabs(x);
            /* three significant digits: 1.23M, 12.3M, 123M */
            const int dec = ax >= 99.95 ? 0 : ax >= 9.995 ? 1 : 2;
            locale_t prev = cnum_enter();
            snprintf(buf, NUMFMT_BUF, "%.*f%s", dec, x, units[i].suffix);
            cnum_restore(prev);
            group_thousands(buf);
            return;
        }
    }
}

void numfmt_usd(char buf[NUMFMT_BUF], double v)
{
    char num[NUMFMT_BUF];
    if (isnan(v)) {
        snprintf(buf, NUMFMT_BUF, "n/a");
        return;
    }
    numfmt_fixed(num, fabs(v), 2);
    snprintf(buf, NUMFMT_BUF, "%s$%s", v < 0 && strspn(num, "0.,") != strlen(num) ? "-" : "",
             num);
}

void numfmt_pct(char buf[NUMFMT_BUF], double v)
{
    if (isnan(v)) {
        snprintf(buf, NUMFMT_BUF, "n/a");
        return;
    }
    if (v > 9999) {
        snprintf(buf, NUMFMT_BUF, ">9999%%");
        return;
    }
    if (v < -9999) {
        snprintf(buf, NUMFMT_BUF, "<-9999%%");
        return;
    }
    numfmt_fixed(buf, v, 1);
    strcat(buf, "%");
}
