/* encode.h - the one output encoding of each format: every string from input (a model id, an
 * attribution key, a tier, a file name, a label, a plan-file string) that a renderer writes into
 * text, markdown or CSV goes through one of these (HTML through chart_escape). docs/formats.md,
 * "What output escapes". */
#ifndef TIERPLAN_ENCODE_H
#define TIERPLAN_ENCODE_H

#include <stddef.h>

#include "base/strbuf.h"

/* ---- terminal text ---- */

/* Appends s for a terminal: a C0 control character (line breaks and tabs included), DEL, a byte
 * that is not part of well-formed UTF-8 shown as "\xNN"; a C1 control character, a bidi control
 * (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and the line and paragraph
 * separators (U+2028, U+2029) as "\uNNNN"; everything else as it is. An ordinary id is written
 * unchanged; no escape sequence, line break or reordering of the line reaches the terminal. */
void enc_text(strbuf *b, const char *s);
/* Columns enc_text(s) takes, counting each character (or escape) as its width in columns. */
size_t enc_text_width(const char *s);
/* Appends before, s as enc_text writes it, then after (before and after are the caller's). */
void enc_text_in(strbuf *b, const char *before, const char *s, const char *after);
/* Appends s as enc_text does, padded with spaces to cols columns when narrower. */
void enc_text_pad(strbuf *b, const char *s, size_t cols);
/* Appends s as enc_text does, in exactly cols columns: padded with spaces, or, when wider,
 * cut to its first and last characters with "..." between (first (cols - 3) / 2 columns, then
 * the rest at the end); never cut inside a UTF-8 character or an escape. cols >= 5. */
void enc_text_cell(strbuf *b, const char *s, size_t cols);
/* Appends s as enc_text does in a cell of cols columns, never cut: padded when it fits, else
 * whole on lines of its own (broken every line_cols columns, between characters) followed by
 * a newline and cols spaces, so that the row continues under it. */
void enc_text_cell_whole(strbuf *b, const char *s, size_t cols, size_t line_cols);

/* ---- markdown (CommonMark, and GitHub's tables, mentions and autolinks) ---- */

/* Appends s as escaped text: markdown's punctuation (| \ ` * _ [ ] < > # &) backslash-escaped,
 * and the ':' of "://" and the '.' of "www." (no bare link: GitHub's autolinks), '@' followed
 * by a zero-width space (U+200B: no @mention or e-mail link), line breaks as spaces, and what
 * enc_text escapes escaped as it does. */
void enc_md_text(strbuf *b, const char *s);
/* Appends s as one code span: fenced by one backtick more than its longest run of backticks,
 * padded with a space inside the fence when it starts or ends with a backtick or a space; line
 * breaks as spaces, what enc_text escapes escaped; in_table: '|' as "\|" (a table cell). */
void enc_md_code(strbuf *b, const char *s, int in_table);

/* ---- CSV ---- */

/* Appends s as one RFC 4180 field: always quoted, every '"' doubled, so a reader is never
 * misled by a comma, quote or newline; and a field starting with '=', '+', '-', '@', a tab or
 * a carriage return prefixed with "'", so that no spreadsheet evaluates it as a formula.
 * Numbers are not written here (render_csv_num): a negative number stays a number. */
void enc_csv(strbuf *b, const char *s);
/* Nonzero when a CSV field holding s would be read as a formula (see enc_csv). */
int enc_csv_formula(const char *s);

#endif
