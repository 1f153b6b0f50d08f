/* format.h - the output formats every renderer (report.h) takes, and their names. */
#ifndef TIERPLAN_FORMAT_H
#define TIERPLAN_FORMAT_H

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

#ifdef __cplusplus
}
#endif

#endif
