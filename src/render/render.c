/* render.c - CSV fields and numbers for people, shared by every renderer. */
#include "render/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/cnum.h"

void render_csv_str(strbuf *b, const char *s)
{
    sb_puts(b, "\"");
    for (const char *c = s; *c != '\0'; c++) {
        const char *q = strchr(c, '"');
        if (q == NULL) {
            sb_puts(b, c);
            break;
        }
        sb_printf(b, "%.*s\"\"", (int)(q - c), c);
        c = q;
    }
    sb_puts(b, "\"");
}

void render_csv_num(strbuf *b, double v)
{
    char num[RENDER_NUM_BUF] = "";
    if (!isnan(v))
        cnum_format(num, sizeof num, v);
    sb_printf(b, ",%s", num);
}

/* Inserts a ',' every three digits into the integer part of the C-locale number in buf. */
static void group_thousands(char buf[RENDER_NUM_BUF])
{
    char out[RENDER_NUM_BUF];
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

void render_fixed(char buf[RENDER_NUM_BUF], double v, int decimals)
{
    if (isnan(v)) {
        snprintf(buf, RENDER_NUM_BUF, "n/a");
        return;
    }
    if (!isfinite(v) || fabs(v) >= 1e18) {
        /* no grouping for what cannot be a real figure; it stays visible, never truncated */
        snprintf(buf, RENDER_NUM_BUF, "%g", v);
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 3)
        decimals = 3;
    locale_t prev = cnum_enter();
    snprintf(buf, RENDER_NUM_BUF, "%.*f", decimals, v);
    cnum_restore(prev);
    if (strcmp(buf, "-0") == 0 || strncmp(buf, "-0.", 3) == 0) {
        /* -0.0001 rounds to "-0.0": a sign on nothing reads as a loss */
        int all_zero = strspn(buf + 1, "0.") == strlen(buf + 1);
        if (all_zero)
            memmove(buf, buf + 1, strlen(buf));
    }
    group_thousands(buf);
}

void render_count(char buf[RENDER_NUM_BUF], double v)
{
    render_fixed(buf, v, 0);
}

void render_short(char buf[RENDER_NUM_BUF], double v)
{
    static const struct {
        double unit;
        const char *suffix;
    } units[] = {{1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
    const double a = fabs(v);
    if (isnan(v) || a < 1e4 || !isfinite(v)) {
        render_fixed(buf, v, 0);
        return;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (a >= units[i].unit || i + 1 == sizeof units / sizeof units[0]) {
            const double x = v / units[i].unit;
            const double ax = fabs(x);
            /* three significant digits: 1.23M, 12.3M, 123M */
            const int dec = ax >= 99.95 ? 0 : ax >= 9.995 ? 1 : 2;
            locale_t prev = cnum_enter();
            snprintf(buf, RENDER_NUM_BUF, "%.*f%s", dec, x, units[i].suffix);
            cnum_restore(prev);
            group_thousands(buf);
            return;
        }
    }
}

void render_usd(char buf[RENDER_NUM_BUF], double v)
{
    char num[RENDER_NUM_BUF];
    if (isnan(v)) {
        snprintf(buf, RENDER_NUM_BUF, "n/a");
        return;
    }
    render_fixed(num, fabs(v), 2);
    snprintf(buf, RENDER_NUM_BUF, "%s$%s", v < 0 && strspn(num, "0.,") != strlen(num) ? "-" : "",
             num);
}

void render_pct(char buf[RENDER_NUM_BUF], double v)
{
    if (isnan(v)) {
        snprintf(buf, RENDER_NUM_BUF, "n/a");
        return;
    }
    if (v > 9999) {
        snprintf(buf, RENDER_NUM_BUF, ">9999%%");
        return;
    }
    if (v < -9999) {
        snprintf(buf, RENDER_NUM_BUF, "<-9999%%");
        return;
    }
    render_fixed(buf, v, 1);
    strcat(buf, "%");
}

void render_wrapped(strbuf *b, const char *prefix, const char *text)
{
    const size_t indent = strlen(prefix);
    size_t col = indent;
    sb_puts(b, prefix);
    const char *p = text;
    int first = 1;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        size_t word = strcspn(p, " ");
        if (word == 0)
            break;
        if (!first && col + 1 + word > RENDER_TEXT_COLUMNS) {
            sb_printf(b, "\n%*s", (int)indent, "");
            col = indent;
            first = 1;
        }
        sb_printf(b, "%s%.*s", first ? "" : " ", (int)word, p);
        col += word + (first ? 0 : 1);
        first = 0;
        p += word;
    }
    sb_puts(b, "\n");
}
