/* cnum.h - numbers read and written in the C locale whatever LC_NUMERIC the process has set. */
#ifndef TIERPLAN_CNUM_H
#define TIERPLAN_CNUM_H

#include <locale.h>
#include <stddef.h>

/* The process-wide "C" numeric locale (created once, never freed), or (locale_t)0 when it
 * cannot be created, in which case callers fall back to the current locale. */
locale_t cnum_c_locale(void);

/* Makes the C locale current for this thread; returns what to pass to cnum_restore. */
locale_t cnum_enter(void);
void cnum_restore(locale_t previous);

/* Parses the whole of text[0, len) as a plain decimal number ([+-]d[.d][e[+-]d]); returns 0
 * on success, -1 otherwise (empty, hex, spaces, trailing garbage, or out of double range: a
 * finite input that overflows is not a number tierplan can store). "nan" and "inf" parse, so
 * that callers can reject them by name. */
int cnum_parse(const char *text, size_t len, double *out);

struct cJSON;

/* cJSON_ParseWithLengthOpts(json, len, end, require_null) in the C locale (cJSON reads numbers
 * with LC_NUMERIC's decimal point), telling a document cJSON could not allocate from one it
 * could not read (it returns NULL for both): NULL with *out_of_memory 1 when an allocation
 * failed, 0 for bad syntax. end may be NULL. The caller frees the document with cJSON_Delete. */
struct cJSON *cnum_json_parse(const char *json, size_t len, const char **end, int require_null,
                              int *out_of_memory);

/* The member of object obj whose name an earlier member already has (the first such in document
 * order), or NULL when every name is unique or obj is not an object. cJSON keeps both members
 * of a repeated name and a lookup finds the first, so a reader that must not guess which one
 * was meant refuses the document with this name. O(n log n) in the members; *out_of_memory is
 * set (and NULL returned) when the sort's index cannot be allocated. */
const struct cJSON *cnum_json_duplicate(const struct cJSON *obj, int *out_of_memory);

/* Formats v with the fewest significant digits (up to 17) that read back exactly. */
void cnum_format(char *buf, size_t size, double v);

#endif
