/* render.h - what every renderer writes the same way: CSV fields, and numbers for people
 * (thousands separators, "1.2M", "$12,345.67", "64.9%"), all in the C locale. */
#ifndef TIERPLAN_RENDER_H
#define TIERPLAN_RENDER_H

#include <stddef.h>

#include "base/strbuf.h"

/* Size of a buffer that holds any number render_* writes. */
#define RENDER_NUM_BUF 48

/* Appends s as one RFC 4180 CSV field: always quoted, every '"' doubled, so a reader is
 * never misled by a comma, quote or newline in a model id or tier. */
void render_csv_str(strbuf *b, const char *s);

/* Appends ",<v>" with the fewest digits that read back exactly, or "," alone for NAN (an
 * undefined figure is an empty CSV field). */
void render_csv_num(strbuf *b, double v);

/* v rounded to a whole number with thousands separators: 828123456.4 -> "828,123,456".
 * NAN -> "n/a". */
void render_count(char buf[RENDER_NUM_BUF], double v);

/* v with `decimals` (0 to 3) decimals and thousands separators: 93998 -> "93,998.0". */
void render_fixed(char buf[RENDER_NUM_BUF], double v, int decimals);

/* A rate for a summary line: 3 significant digits and a K/M/B suffix from 10,000 up:
 * 1234 -> "1,234", 12345 -> "12.3K", 1234567 -> "1.23M". NAN -> "n/a". */
void render_short(char buf[RENDER_NUM_BUF], double v);

/* Dollars with cents and thousands separators: -1234.5 -> "-$1,234.50". NAN -> "n/a". */
void render_usd(char buf[RENDER_NUM_BUF], double v);

/* A percentage with one decimal: 64.94 -> "64.9%"; beyond +-9,999% it is written as ">9999%"
 * or "<-9999%" so that a column never overflows. NAN -> "n/a". */
void render_pct(char buf[RENDER_NUM_BUF], double v);

/* Text output is at most this wide. */
#define RENDER_TEXT_COLUMNS 100

/* Appends "<prefix><text>\n", breaking text at spaces so that no line is wider than
 * RENDER_TEXT_COLUMNS; continuation lines are indented by strlen(prefix). A word longer than
 * a line (a path, say) stays whole on a line of its own. */
void render_wrapped(strbuf *b, const char *prefix, const char *text);

#endif
