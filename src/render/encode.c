/* encode.c - the one output encoding of each format: terminal text, markdown, CSV; and
 * tp_format_text_escape, the terminal encoding the CLI's messages use. */
#include "render/encode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/format.h"

/* Room for the longest escape, "\u202e", and its NUL (and what the compiler cannot rule out). */
#define UNIT_MAX 12

/* The code point of the well-formed UTF-8 sequence at s and its length in *len, or -1 (*len
 * 1) for a byte that does not start one: overlong forms, surrogates and code points past
 * U+10FFFF are not well-formed (RFC 3629). */
static int32_t utf8_next(const unsigned char *s, size_t *len)
{
    const unsigned char c = s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
                            : (c & 0xf8) == 0xf0 ? 4 : 0;
    *len = 1;
    if (n <= 1)
        return n == 1 ? c : -1;
    int32_t cp = c & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return -1;
    *len = n;
    return cp;
}

/* Bidi controls and the line and paragraph separators: shown, never obeyed. */
static int invisible_control(int32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The next character of s: its length in s, and in out what a terminal is shown for it (NUL-
 * terminated) when it must be escaped; out[0] == '\0' when it is written as it is. */
static size_t text_unit(const char *s, char out[UNIT_MAX])
{
    size_t len;
    const int32_t cp = utf8_next((const unsigned char *)s, &len);
    out[0] = '\0';
    if (cp < 0 || cp < 0x20 || cp == 0x7f)
        snprintf(out, UNIT_MAX, "\\x%02x", (unsigned)(unsigned char)s[0]);
    else if (invisible_control(cp))
        snprintf(out, UNIT_MAX, "\\u%04x", (unsigned)cp);
    return len;
}

void enc_text(strbuf *b, const char *s)
{
    char u[UNIT_MAX];
    while (*s != '\0') {
        const size_t len = text_unit(s, u);
        if (u[0] != '\0')
            sb_puts(b, u);
        else
            sb_printf(b, "%.*s", (int)len, s);
        s += len;
    }
}

size_t enc_text_width(const char *s)
{
    char u[UNIT_MAX];
    size_t w = 0;
    while (*s != '\0') {
        s += text_unit(s, u);
        w += u[0] != '\0' ? strlen(u) : 1;
    }
    return w;
}

void enc_text_in(strbuf *b, const char *before, const char *s, const char *after)
{
    sb_puts(b, before);
    enc_text(b, s);
    sb_puts(b, after);
}

void enc_text_pad(strbuf *b, const char *s, size_t cols)
{
    const size_t w = enc_text_width(s);
    enc_text(b, s);
    if (w < cols)
        sb_printf(b, "%*s", (int)(cols - w), "");
}

/* Appends the characters of s[from, to) as enc_text does. */
static void text_span(strbuf *b, const char *from, const char *to)
{
    char u[UNIT_MAX];
    while (from < to) {
        const size_t len = text_unit(from, u);
        if (u[0] != '\0')
            sb_puts(b, u);
        else
            sb_printf(b, "%.*s", (int)len, from);
        from += len;
    }
}

void enc_text_cell_whole(strbuf *b, const char *s, size_t cols, size_t line_cols)
{
    if (enc_text_width(s) <= cols) {
        enc_text_pad(b, s, cols);
        return;
    }
    /* too wide for its cell: whole on lines of its own, the row under it */
    char u[UNIT_MAX];
    size_t used = 0;
    while (*s != '\0') {
        const size_t len = text_unit(s, u), uw = u[0] != '\0' ? strlen(u) : 1;
        if (used > 0 && used + uw > line_cols) {
            sb_puts(b, "\n");
            used = 0;
        }
        text_span(b, s, s + len);
        used += uw;
        s += len;
    }
    sb_printf(b, "\n%*s", (int)cols, "");
}

void enc_text_cell(strbuf *b, const char *s, size_t cols)
{
    const size_t w = enc_text_width(s);
    char u[UNIT_MAX];
    if (w <= cols) {
        enc_text(b, s);
        sb_printf(b, "%*s", (int)(cols - w), "");
        return;
    }
    const size_t head = (cols - 3) / 2, tail = cols - 3 - head;
    /* the head: whole characters while they fit */
    const char *p = s;
    size_t used = 0;
    while (*p != '\0') {
        const size_t len = text_unit(p, u), uw = u[0] != '\0' ? strlen(u) : 1;
        if (used + uw > head)
            break;
        used += uw;
        p += len;
    }
    text_span(b, s, p);
    sb_puts(b, "...");
    /* the tail: the last characters that fit, found walking forward from the head's end */
    size_t rest = w - used; /* columns from p to the end */
    const char *q = p;
    while (*q != '\0' && rest > tail) {
        const size_t len = text_unit(q, u);
        rest -= u[0] != '\0' ? strlen(u) : 1;
        q += len;
    }
    text_span(b, q, q + strlen(q));
    sb_printf(b, "%*s", (int)(cols - used - 3 - rest), "");
}

size_t tp_format_text_escape(char *buf, size_t size, const char *s)
{
    char u[UNIT_MAX];
    size_t need = 0, kept = 0;
    int full = size == 0;
    while (*s != '\0') {
        const size_t len = text_unit(s, u);
        const char *piece = u[0] != '\0' ? u : s;
        const size_t plen = u[0] != '\0' ? strlen(u) : len;
        if (!full && kept + plen < size) {
            memcpy(buf + kept, piece, plen);
            kept += plen;
        } else {
            full = 1; /* the rest is counted, never written: no character or escape is cut */
        }
        need += plen;
        s += len;
    }
    if (size > 0)
        buf[kept] = '\0';
    return need;
}

/* Nonzero when the character at p (in the text from start) would begin or continue a link that
 * GitHub makes of bare text (the autolink extension): the ':' of "://", the '.' of "www.". */
static int autolink_mark(const char *start, const char *p)
{
    if (*p == ':')
        return strncmp(p + 1, "//", 2) == 0;
    return *p == '.' && p - start >= 3 && (p[-3] | 0x20) == 'w' && (p[-2] | 0x20) == 'w' &&
           (p[-1] | 0x20) == 'w';
}

void enc_md_text(strbuf *b, const char *s)
{
    char u[UNIT_MAX];
    const char *start = s;
    while (*s != '\0') {
        const size_t len = text_unit(s, u);
        if (*s == '\n' || *s == '\r')
            sb_puts(b, " ");
        else if (u[0] != '\0')
            sb_puts(b, u);
        else if (strchr("|\\`*_[]<>#&", *s) != NULL || autolink_mark(start, s))
            sb_printf(b, "\\%c", *s);
        else if (*s == '@')
            sb_puts(b, "@\xe2\x80\x8b");
        else
            sb_printf(b, "%.*s", (int)len, s);
        s += len;
    }
}

void enc_md_code(strbuf *b, const char *s, int in_table)
{
    strbuf c = {0};
    char u[UNIT_MAX];
    size_t run = 0, longest = 0;
    for (const char *p = s; *p != '\0';) {
        const size_t len = text_unit(p, u);
        if (*p == '\n' || *p == '\r')
            sb_puts(&c, " ");
        else if (u[0] != '\0')
            sb_puts(&c, u);
        else if (in_table && *p == '|')
            sb_puts(&c, "\\|");
        else
            sb_printf(&c, "%.*s", (int)len, p);
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
        p += len;
    }
    if (c.failed) {
        b->failed = 1;
        free(c.data);
        return;
    }
    const char *t = c.data != NULL ? c.data : " ";
    const size_t n = strlen(t);
    const int pad = t[0] == '`' || t[0] == ' ' || t[n - 1] == '`' || t[n - 1] == ' ';
    for (size_t i = 0; i <= longest; i++)
        sb_puts(b, "`");
    sb_printf(b, "%s%s%s", pad && c.data != NULL ? " " : "", t, pad && c.data != NULL ? " " : "");
    for (size_t i = 0; i <= longest; i++)
        sb_puts(b, "`");
    free(c.data);
}

int enc_csv_formula(const char *s)
{
    return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void enc_csv(strbuf *b, const char *s)
{
    sb_puts(b, enc_csv_formula(s) ? "\"'" : "\"");
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
