/* showback_cents.c - largest remainder in O(n log n): the remainders are sorted once where the
 * first version rescanned every line for each cent left over (quadratic in keys: 200,000 keys
 * took 9 s). The order it hands cents out in is that rescan's (tests compare the two). */
#include "model/showback_cents.h"

#include <math.h>
#include <stdlib.h>

#define TIE 1e-9 /* remainders this close are equal: float noise of shares of one minute */

typedef struct rem {
    double frac; /* the cents' fractional part */
    size_t i;    /* the line */
} rem;

static int by_frac_desc(const void *x, const void *y)
{
    const rem *a = x, *b = y;
    if (a->frac != b->frac)
        return a->frac > b->frac ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static int by_frac_asc(const void *x, const void *y)
{
    const rem *a = x, *b = y;
    if (a->frac != b->frac)
        return a->frac < b->frac ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static int by_line(const void *x, const void *y)
{
    const rem *a = x, *b = y;
    return (a->i > b->i) - (a->i < b->i);
}

/* Gives `need` cents: one each down the remainders, largest first, a run of remainders within
 * TIE of its first one taken in line order; past every line, the rest to line 0 (as the
 * rescan did once every remainder was spent). */
static void give(rem *r, size_t n, int64_t need, int64_t *cents)
{
    qsort(r, n, sizeof *r, by_frac_desc);
    for (size_t j = 0; j < n;) {
        size_t k = j + 1;
        while (k < n && !(r[j].frac > r[k].frac + TIE))
            k++;
        if (k - j > 1)
            qsort(r + j, k - j, sizeof *r, by_line);
        j = k;
    }
    size_t t = 0;
    for (; need > 0 && t < n; need--)
        cents[r[t++].i]++;
    cents[0] += need;
}

/* Takes `excess` cents back: one each up the smallest remainders of the lines holding a cent
 * (line 0 also when below zero, as the rescan started from it), earlier line on a tie; then
 * from line 0 while it is not at zero, else from the first line holding a cent. */
static void take(rem *r, size_t n, int64_t excess, int64_t *cents)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (cents[i] > 0 || (i == 0 && cents[0] < 0))
            r[m++] = r[i];
    qsort(r, m, sizeof *r, by_frac_asc);
    for (size_t t = 0; excess > 0 && t < m; excess--)
        cents[r[t++].i]--;
    for (size_t p = 1; excess > 0; excess--) {
        while (p < n && cents[p] <= 0)
            p++;
        cents[cents[0] != 0 || p == n ? 0 : p]--;
    }
}

int showback_cents(const double *usd, size_t n, int64_t total, int64_t *cents)
{
    if (n == 0)
        return 0;
    rem *r = malloc(n * sizeof *r);
    if (r == NULL)
        return -1;
    int64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        const double c = usd[i] * 100.0;
        cents[i] = (int64_t)floor(c + TIE); /* 13.5 - 1e-12 is 13.5 */
        r[i].frac = c - (double)cents[i];
        r[i].i = i;
        given += cents[i];
    }
    if (given < total)
        give(r, n, total - given, cents);
    else if (given > total)
        take(r, n, given - total, cents);
    free(r);
    return 0;
}
