/* showback_cents.h - whole cents from exact shares by largest remainder (docs/model.md,
 * "Showback"), in O(n log n) for n lines. */
#ifndef TIERPLAN_MODEL_SHOWBACK_CENTS_H
#define TIERPLAN_MODEL_SHOWBACK_CENTS_H

#include <stddef.h>
#include <stdint.h>

/* Allocates total cents among the n amounts usd[] (USD): each line gets the floor of its
 * cents (within 1e-9 of the next cent counts as that cent), and the cents left over go one
 * each to the largest remainders; remainders within 1e-9 of the largest remaining one are a
 * tie, which the earlier line wins. Should the floors add up to more than total (rounding
 * drift), a cent is taken back from each of the smallest remainders in turn (the earlier line
 * on a tie). The lines then add up to total exactly. Writes cents[0, n); returns 0, or -1 when
 * out of memory (cents then undefined). */
int showback_cents(const double *usd, size_t n, int64_t total, int64_t *cents);

#endif
