/* numfmt.h - numbers for people (thousands separators, "1.2M", "$12,345.67", "64.9%"), all in
 * the C locale: for renderers and for the library's own messages (gate reasons, diffs). */
#ifndef TIERPLAN_BASE_NUMFMT_H
#define TIERPLAN_BASE_NUMFMT_H

/* Size of a buffer that holds any number numfmt_* writes. */
#define NUMFMT_BUF 48

/* v rounded to a whole number with thousands separators: 828123456.4 -> "828,123,456".
 * NAN -> "n/a". */
void numfmt_count(char buf[NUMFMT_BUF], double v);

/* v with `decimals` (0 to 3) decimals and thousands separators: 93998 -> "93,998.0". */
void numfmt_fixed(char buf[NUMFMT_BUF], double v, int decimals);

/* A rate for a summary line: 3 significant digits and a K/M/B suffix from 10,000 up:
 * 1234 -> "1,234", 12345 -> "12.3K", 1234567 -> "1.23M". NAN -> "n/a". */
void numfmt_short(char buf[NUMFMT_BUF], double v);

/* Dollars with cents and thousands separators: -1234.5 -> "-$1,234.50". NAN -> "n/a". */
void numfmt_usd(char buf[NUMFMT_BUF], double v);

/* A percentage with one decimal: 64.94 -> "64.9%"; beyond +-9,999% it is written as ">9999%"
 * or "<-9999%" so that a column never overflows. NAN -> "n/a". */
void numfmt_pct(char buf[NUMFMT_BUF], double v);

#endif
