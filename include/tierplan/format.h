/* format.h - the output formats every renderer (report.h) takes, and their names. */
#ifndef TIERPLAN_FORMAT_H
#define TIERPLAN_FORMAT_H

#include <stddef.h>

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Output formats of reports. Markdown and HTML are rendered by the fleet report (report.h)
 * only; the other reports refuse them with TP_ERR_USAGE. */
typedef enum tp_format {
    TP_FORMAT_TEXT,
    TP_FORMAT_JSON,
    TP_FORMAT_CSV,
    TP_FORMAT_MARKDOWN,
    TP_FORMAT_HTML
} tp_format;

/** Parses "text", "json", "csv", "markdown" or "html" (name borrowed) into *out;
 * TP_ERR_USAGE for anything else. */
TP_API tp_status tp_format_parse(const char *name, tp_format *out, tp_error *err);

/** Writes s into buf (size bytes, NUL-terminated) as tierplan writes text for a terminal:
 * C0 control characters (line breaks included), DEL and bytes that are not well-formed UTF-8
 * as "\xNN"; C1 controls, bidi controls (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) and U+2028, U+2029 as "\uNNNN"; the rest as it is. When buf is too small
 * it ends before the first character or escape that does not fit whole.
 * @return the length (without the NUL) the whole of s needs, as snprintf's */
TP_API size_t tp_format_text_escape(char *buf, size_t size, const char *s);

#ifdef __cplusplus
}
#endif

#endif
