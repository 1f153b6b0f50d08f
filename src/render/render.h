/* render.h - what every renderer writes the same way: CSV fields and wrapped text lines, on
 * top of the encodings of encode.h; numbers for people come from base/numfmt.h. */
#ifndef TIERPLAN_RENDER_H
#define TIERPLAN_RENDER_H

#include <stddef.h>

#include "base/numfmt.h"
#include "base/strbuf.h"
#include "render/encode.h"

/* Appends ",<v>" with the fewest digits that read back exactly, or "," alone for NAN (an
 * undefined figure is an empty CSV field). */
void render_csv_num(strbuf *b, double v);

/* Text output is at most this wide. */
#define RENDER_TEXT_COLUMNS 100

/* Appends "<prefix><text>\n", breaking text at spaces so that no line is wider than
 * RENDER_TEXT_COLUMNS; continuation lines are indented by strlen(prefix). A word longer than
 * a line (a path, say) stays whole on a line of its own. text is encoded by enc_text (it may
 * repeat a model id or a key); render_wrapped_md encodes it by enc_md_text. */
void render_wrapped(strbuf *b, const char *prefix, const char *text);
void render_wrapped_md(strbuf *b, const char *prefix, const char *text);
/* render_wrapped of a text its caller has encoded already. */
void render_wrapped_raw(strbuf *b, const char *prefix, const char *text);

#endif
