/* strindex.h - a hash map from byte strings to size_t values: the one string index of the
 * library (series and queries of an input, showback's keys). */
#ifndef TIERPLAN_BASE_STRINDEX_H
#define TIERPLAN_BASE_STRINDEX_H

#include <stddef.h>

/* Lookups stay constant-time however many keys there are. Zero-initialise; free with
 * str_index_deinit. */
typedef struct str_index {
    struct str_index_slot *slots;
    size_t n, cap;
    int borrow; /* set before the first put: keys are not copied and must outlive the index */
} str_index;

/* 1 with *value set when key[0, len) is present, else 0. */
int str_index_find(const str_index *ix, const char *key, size_t len, size_t *value);
/* Adds key[0, len) (or updates its value); 0, or -1 when out of memory. */
int str_index_put(str_index *ix, const char *key, size_t len, size_t value);
void str_index_deinit(str_index *ix);

#endif
