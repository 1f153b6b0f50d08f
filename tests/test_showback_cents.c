/* test_showback_cents.c - the cents of a showback by largest remainder: hand-worked cases,
 * and the sorted allocation against the per-cent rescan it replaced on random inputs. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "model/showback_cents.h"
#include "test_fixtures.h"
#include "test_util.h"

void register_tests(void);

/* The allocation before it was sorted, kept as the reference: for each cent left over it
 * rescanned every line (quadratic in lines). */
static void rescan(const double *usd, size_t n, int64_t total, int64_t *cents, double *frac)
{
    int64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        const double c = usd[i] * 100.0;
        cents[i] = (int64_t)floor(c + 1e-9);
        frac[i] = c - (double)cents[i];
        given += cents[i];
    }
    for (; given < total; given++) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (frac[i] > frac[best] + 1e-9)
                best = i;
        cents[best]++;
        frac[best] = -1;
    }
    for (; given > total; given--) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (cents[i] > 0 && (cents[best] == 0 || frac[i] < frac[best]))
                best = i;
        cents[best]--;
        frac[best] = 2;
    }
}

static void check(const double *usd, size_t n, int64_t total, const int64_t *want)
{
    int64_t got[8];
    CU_ASSERT_EQUAL_FATAL(showback_cents(usd, n, total, got), 0);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(got[i], want[i]);
}

/* By hand. Three keys sharing $1.00 at a third each: 33.33... cents each, floors 33 + 33 + 33
 * = 99, one cent left; the three remainders are equal, a tie, so the first key takes it:
 * 34, 33, 33. Keys of $0.125, $0.25, $0.375 (12.5, 25, 37.5 cents: floors 12, 25, 37 = 74,
 * remainders 0.5, 0, 0.5): a total of 76 gives the 2 cents left to the two 0.5 remainders
 * (13, 25, 38); 75 gives one, to the earlier of the tied two (13, 25, 37); 78 hands out the 4
 * as 0.5, 0.5, 0, and the fourth, every remainder spent, to the first line (14, 26, 38); a
 * total of 73 (drift: the floors are over it) takes a cent back from the smallest remainder
 * holding a cent, the second line's 0 (12, 24, 37), and 72 then from the first 0.5 (11, 24,
 * 37). A floor within 1e-9 of the next cent is that cent: 12.9999999999 cents is 13. */
static void test_by_hand(void)
{
    const double third[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    check(third, 3, 100, (const int64_t[]){34, 33, 33});
    const double eighths[3] = {0.125, 0.25, 0.375};
    check(eighths, 3, 76, (const int64_t[]){13, 25, 38});
    check(eighths, 3, 75, (const int64_t[]){13, 25, 37});
    check(eighths, 3, 78, (const int64_t[]){14, 26, 38});
    check(eighths, 3, 73, (const int64_t[]){12, 24, 37});
    check(eighths, 3, 72, (const int64_t[]){11, 24, 37});
    const double near[2] = {0.129999999999, 0.87};
    check(near, 2, 100, (const int64_t[]){13, 87});
    /* a third computed two ways differs in its last bits: still a tie, the first key wins */
    const double noisy[3] = {0.7 / 2.1, 1.0 / 3, (1.0 - 2.0 / 3)};
    check(noisy, 3, 100, (const int64_t[]){34, 33, 33});
    int64_t none[1] = {7};
    CU_ASSERT_EQUAL(showback_cents(NULL, 0, 0, none), 0);
    CU_ASSERT_EQUAL(none[0], 7);
}

/* One random amount: uniform, or a few shares of one minute computed different ways (ties
 * in their last bits), an exact repeat, zero, or float noise below zero (an idle line). */
static double amount(uint64_t *r, const double *prev, size_t i)
{
    const uint64_t k = (test_rng_next(r) >> 33) % 10;
    const double u = (double)(test_rng_next(r) >> 11) / 9007199254740992.0;
    static const double share[4] = {1.0 / 3, 2.0 / 7, 5.0 / 9, 0.125};
    if (k < 4)
        return u * 50;
    if (k < 7) {
        double v = share[(test_rng_next(r) >> 33) % 4] * (double)(1 + (test_rng_next(r) >> 33) % 5);
        for (uint64_t ulp = (test_rng_next(r) >> 33) % 4; ulp > 0; ulp--)
            v = nextafter(v, (test_rng_next(r) >> 33) % 2 ? INFINITY : -INFINITY);
        return v;
    }
    if (k == 7 && i > 0)
        return prev[(test_rng_next(r) >> 33) % i];
    return k == 8 ? 0 : -1e-13 * u;
}

/* The sorted allocation gives the rescan's cents line by line on 3,000 random inputs of 1 to
 * 400 lines, with totals from 5 cents under the rounded sum (drift, taken back) to 5 over. */
static void test_against_rescan(void)
{
    uint64_t r = 18;
    size_t n_max = 400, bad = 0;
    double *usd = malloc(n_max * sizeof *usd), *frac = malloc(n_max * sizeof *frac);
    int64_t *want = malloc(n_max * sizeof *want), *got = malloc(n_max * sizeof *got);
    CU_ASSERT_FATAL(usd != NULL && frac != NULL && want != NULL && got != NULL);
    for (int round = 0; round < 3000; round++) {
        const size_t n = 1 + (test_rng_next(&r) >> 33) % n_max;
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += usd[i] = amount(&r, usd, i);
        const int64_t total = llround(sum * 100) + (int64_t)((test_rng_next(&r) >> 33) % 11) - 5;
        rescan(usd, n, total, want, frac);
        CU_ASSERT_EQUAL_FATAL(showback_cents(usd, n, total, got), 0);
        int64_t added = 0;
        for (size_t i = 0; i < n; i++) {
            bad += got[i] != want[i];
            added += got[i];
        }
        CU_ASSERT_EQUAL(added, total);
    }
    CU_ASSERT_EQUAL(bad, 0);
    free(usd), free(frac), free(want), free(got);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("showback_cents", NULL, NULL);
    ADD(s, test_by_hand);
    ADD(s, test_against_rescan);
}
