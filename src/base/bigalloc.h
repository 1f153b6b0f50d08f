/* bigalloc.h - allocation of the large per-minute arrays (a model-year's series, the
 * recommender's scratch) backed by transparent huge pages where the kernel offers them. */
#ifndef TIERPLAN_BIGALLOC_H
#define TIERPLAN_BIGALLOC_H

#include <stddef.h>

/* Arrays at least this large are aligned and advised to use huge pages (below it: malloc). */
#define BIGALLOC_MIN_BYTES ((size_t)4 << 20)

/* malloc(bytes) for an array written in full soon after: from BIGALLOC_MIN_BYTES on, aligned
 * to 2 MiB and advised (madvise MADV_HUGEPAGE, where the system has it) so that its first
 * writes fault once per 2 MiB rather than once per 4 KiB page (a model-year's array of
 * doubles, 4.2 MB, is some 1,000 faults and their page clears otherwise). The advice is only
 * advice: where it is refused, or THP is off, the array is an ordinary one. The contents are
 * undefined, as malloc's. NULL when out of memory (bytes 0: a valid pointer). The caller
 * frees with free(). */
void *bigalloc(size_t bytes);

#endif
