/* util.c - the out-of-line helpers of util.h: growable arrays, the metric-name table and the
 * cross-region prefixes. */
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

tp_status util_read_capped(const char *path, size_t max_bytes, const char *what, char **out,
                           size_t *out_len, tp_error *err)
{
    FILE *f = NULL;
    char *buf = NULL;
    struct stat st;
    tp_status rc = TP_OK;
    *out = NULL;
    *out_len = 0;
    if ((f = fopen(path, "rb")) == NULL) {
        rc = tp_error_set(err, TP_ERR_IO, "%s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        /* fopen opens a directory for reading on Linux; only the read fails, obscurely */
        rc = tp_error_set(err, TP_ERR_IO, "%s: is a directory, not %s", path, what);
        goto cleanup;
    }
    if ((buf = malloc(max_bytes + 2)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    const size_t len = fread(buf, 1, max_bytes + 1, f);
    if (ferror(f)) {
        rc = tp_error_set(err, TP_ERR_IO, "%s: read error", path);
        goto cleanup;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    buf = NULL;
cleanup:
    if (f != NULL)
        fclose(f);
    free(buf);
    return rc;
}
