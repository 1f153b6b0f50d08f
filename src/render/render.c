/* render.c - CSV numbers and wrapped text lines, shared by every renderer. */
#include "render/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"

void render_csv_num(strbuf *b, double v)
{
    char num[NUMFMT_BUF] = "";
    if (!isnan(v))
        cnum_format(num, sizeof num, v);
    sb_printf(b, ",%s", num);
}

void render_wrapped_raw(strbuf *b, const char *prefix, const char *text)
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

void render_wrapped(strbuf *b, const char *prefix, const char *text)
{
    strbuf e = {0};
    enc_text(&e, text);
    render_wrapped_raw(b, prefix, e.data != NULL ? e.data : "");
    b->failed |= e.failed;
    free(e.data);
}

void render_wrapped_md(strbuf *b, const char *prefix, const char *text)
{
    strbuf e = {0};
    enc_md_text(&e, text);
    render_wrapped_raw(b, prefix, e.data != NULL ? e.data : "");
    b->failed |= e.failed;
    free(e.data);
}
