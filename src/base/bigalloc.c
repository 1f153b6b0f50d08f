/* bigalloc.c - large arrays on transparent huge pages (bigalloc.h). */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE (Linux); _POSIX_C_SOURCE alone hides it */
#include "base/bigalloc.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE_BYTES ((size_t)2 << 20)

void *bigalloc(size_t bytes)
{
    if (bytes < BIGALLOC_MIN_BYTES)
        return malloc(bytes > 0 ? bytes : 1);
#ifdef MADV_HUGEPAGE
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE_BYTES, bytes) != 0)
        return NULL;
    /* the whole 2 MiB pages of the array (the start is one; a partial last page is left to
     * small pages); a refusal (no THP, an old kernel) leaves an ordinary array */
    const size_t whole = bytes & ~(HUGE_PAGE_BYTES - 1);
    (void)madvise(p, whole, MADV_HUGEPAGE);
    return p;
#else
    return malloc(bytes);
#endif
}
