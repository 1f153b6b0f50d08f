/* util.c - the out-of-line helpers of util.h: growable arrays, the metric-name table and the
 * cross-region prefixes. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *const util_metric_names[UTIL_N_METRIC_NAMES] = {
    "InputTokenCount",           "OutputTokenCount", "CacheReadInputTokenCount",
    "CacheWriteInputTokenCount", "Invocations",      "InvocationThrottles"};

const char *util_strip_region(const char *id)
{
    static const char *const regions[] = {"us.", "eu.", "apac.", "global.", "us-gov.",
                                          "jp.", "au.", "ca."};
    for (size_t r = 0; r < sizeof regions / sizeof regions[0]; r++) {
        const size_t n = strlen(regions[r]);
        if (strncmp(id, regions[r], n) == 0)
            return id + n;
    }
    return id;
}

int util_grow(void *items_ptr, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (elem_size != 0 && ncap > SIZE_MAX / elem_size)
        return -1;
    /* The pointer variable is read and written through memcpy: items_ptr points at a `T *`,
     * which need not be a `void *` object. */
    void *old;
    memcpy(&old, items_ptr, sizeof old);
    void *grown = realloc(old, ncap * elem_size);
    if (grown == NULL)
        return -1;
    memcpy(items_ptr, &grown, sizeof grown);
    *cap = ncap;
    return 0;
}
