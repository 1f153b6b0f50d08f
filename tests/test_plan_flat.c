/* test_plan_flat.c - the flat reservation under a service level checked window by window:
 * equal to brute force over every grid pair, never cheaper than the windows' own plans, and
 * the same rule as tp_recommend_run's for a single window, on random demand, with and without an
 * on-demand quota. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/plan_internal.h"
#include "model/recommend_internal.h"
#include "test_fixtures.h"
#include "test_util.h"

void register_tests(void);

#define MAX_MINUTES 900

/* Random demand: a base per window plus spikes whose rate differs by window, so the bound
 * binds in some windows and not in others. */
typedef struct demand_buf {
    double in[MAX_MINUTES], out[MAX_MINUTES], cr[MAX_MINUTES], cw[MAX_MINUTES];
    tp_demand d;
} demand_buf;

static unsigned lcg(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffff;
}

static double uniform(unsigned *s)
{
    return (double)lcg(s) / (double)0x1000000;
}

static void random_demand(demand_buf *b, unsigned *seed, const plan_range *r, size_t nr)
{
    memset(b, 0, sizeof *b);
    size_t n = r[nr - 1].to;
    for (size_t w = 0; w < nr; w++) {
        const double spike_rate = 0.3 * uniform(seed), base = 1000 + 4000 * uniform(seed);
        for (size_t m = r[w].from; m < r[w].to; m++) {
            const int spike = uniform(seed) < spike_rate;
            b->in[m] = base * (0.5 + uniform(seed)) + (spike ? 5000 * uniform(seed) : 0);
            b->cr[m] = 3000 * uniform(seed);
            b->cw[m] = uniform(seed) < 0.2 ? 500 * uniform(seed) : 0;
            b->out[m] = 0.3 * b->in[m] * (0.5 + uniform(seed));
        }
    }
    b->d.input_tpm = b->in;
    b->d.output_tpm = b->out;
    b->d.cache_read_tpm = b->cr;
    b->d.cache_write_tpm = b->cw;
    b->d.minutes = n;
}

/* d restricted to range r. */
static tp_demand sub(const tp_demand *d, plan_range r)
{
    tp_demand s = *d;
    s.input_tpm += r.from;
    s.output_tpm += r.from;
    s.cache_read_tpm += r.from;
    s.cache_write_tpm += r.from;
    s.minutes = r.to - r.from;
    return s;
}

/* Whether a window's simulation meets o's bounds, written out as docs/model.md ("Service
 * levels") states them rather than taken from the library: at most floor(pct x n) spill
 * minutes; wherever traffic can be throttled (a quota, or --spill-to none) at most
 * --max-throttled-minutes throttled minutes, 0 when it is not given. */
static int window_ok(const tp_rec_options *o, const tp_sim_result *r)
{
    if (o->has_max_spill_minutes_pct &&
        (double)r->spill_minutes >
            floor(o->max_spill_minutes_pct / 100.0 * (double)r->minutes + 1e-9))
        return 0;
    if (o->quota_tpm > 0 || o->spill_to == TP_SPILL_TO_NONE)
        return (long)r->throttled_minutes <=
               (o->has_max_throttled_minutes ? o->max_throttled_minutes : 0);
    return 1;
}

/* Simulates (ri, ro) on d: its total, and through *ok whether every range meets o's bound. */
static double simulate(const tp_demand *d, const tp_model_price *p, const tp_rec_options *o,
                       double ri, double ro, const plan_range *r, size_t nr, int *ok)
{
    tp_candidate c;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(
        rec_simulate_candidate(d, p, o, TP_BASIS_SLO, ri, ro, 1, &c, &err), TP_OK);
    *ok = 1;
    for (size_t w = 0; w < nr; w++) {
        tp_demand s = sub(d, r[w]);
        tp_candidate cw;
        CU_ASSERT_EQUAL_FATAL(
            rec_simulate_candidate(&s, p, o, TP_BASIS_SLO, ri, ro, 1, &cw, &err), TP_OK);
        *ok &= window_ok(o, &cw.sim);
    }
    return c.sim.total_usd;
}

/* The next point of the catalog's grid: 0, the minimum, then whole steps (0 minimum: steps). */
static double grid_next(double x, double min, double step)
{
    return x == 0 && min > 0 ? min : x + step;
}

/* The cheapest grid pair meeting every range's bound, by simulating them all. */
static double brute_force(const tp_demand *d, const tp_model_price *p, const tp_rec_options *o,
                          const plan_range *r, size_t nr)
{
    double max_e = 0, max_o = 0, best = INFINITY;
    const double step = p->reserved_step_tpm;
    for (size_t m = 0; m < d->minutes; m++) {
        const double e = d->input_tpm[m] + 0.1 * d->cache_read_tpm[m] + d->cache_write_tpm[m];
        max_e = e > max_e ? e : max_e;
        max_o = d->output_tpm[m] > max_o ? d->output_tpm[m] : max_o;
    }
    for (double ri = 0; ri < max_e + step;
         ri = grid_next(ri, p->reserved_minimum_input_tpm, step))
        for (double ro = 0; ro < max_o + step;
             ro = grid_next(ro, p->reserved_minimum_output_tpm, step)) {
            int ok;
            const double c = simulate(d, p, o, ri, ro, r, nr, &ok);
            if (ok && c < best)
                best = c;
        }
    return best;
}

/* The option sets every property runs under. */
static tp_rec_options options(int k)
{
    tp_rec_options o = {0};
    o.spill_model = k % 2 ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
    switch (k / 2 % 4) {
    case 0: o.has_max_spill_minutes_pct = 1, o.max_spill_minutes_pct = 5; break;
    case 1:
        o.has_max_spill_minutes_pct = 1, o.max_spill_minutes_pct = 10;
        o.spill_to = TP_SPILL_TO_PRIORITY;
        break;
    case 2: o.spill_to = TP_SPILL_TO_NONE, o.has_max_throttled_minutes = 1;
        o.max_throttled_minutes = 7;
        break;
    default: o.spill_to = TP_SPILL_TO_NONE; break; /* no throttled minute at all */
    }
    return o;
}

/* Three windows of random lengths, the middle one possibly after a gap. */
static size_t random_ranges(unsigned *seed, plan_range r[3])
{
    size_t at = 0;
    for (int w = 0; w < 3; w++) {
        if (w == 2)
            at += lcg(seed) % 40; /* a gap: priced, never bounded */
        r[w].from = at;
        at += 100 + lcg(seed) % 150;
        r[w].to = at;
    }
    return 3;
}

/* The search equals brute force; its choice meets every window's bound; and the windows'
 * own service-level plans together never cost more than it where the windows cover the span
 * (each window could have chosen the flat reservation: it meets that window's bound). */
static void test_flat_equals_brute_force_and_bounds_seasonal(void)
{
    static demand_buf b;
    tp_model_price p = base_price(1);
    unsigned seed = 12345;
    for (int trial = 0; trial < 24; trial++) {
        plan_range r[3];
        const size_t nr = random_ranges(&seed, r);
        random_demand(&b, &seed, r, nr);
        tp_rec_options o = options(trial);
        double ri, ro;
        tp_error err;
        tp_status rc = plan_flat_slo(&b.d, &p, &o, r, nr, &ri, &ro, &err);
        const double bf = brute_force(&b.d, &p, &o, r, nr);
        if (!isfinite(bf)) {
            CU_ASSERT_EQUAL(rc, TP_ERR_INVALID);
            continue;
        }
        CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
        int ok;
        const double flat = simulate(&b.d, &p, &o, ri, ro, r, nr, &ok);
        CU_ASSERT(ok);
        ASSERT_NEAR(flat, bf, 1e-9 * (1 + bf));
        /* the windows alone, without the gap: seasonal <= flat over the same minutes */
        double seasonal = 0, flat_in_windows = 0;
        for (size_t w = 0; w < nr; w++) {
            tp_demand s = sub(&b.d, r[w]);
            tp_recommendation rec;
            CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&s, &p, &o, &rec, &err), TP_OK);
            seasonal += rec.candidates[rec.recommended].sim.total_usd;
            flat_in_windows += simulate(&s, &p, &o, ri, ro, &(plan_range){0, s.minutes}, 1, &ok);
        }
        CU_ASSERT(seasonal <= flat_in_windows + 1e-9 * (1 + flat_in_windows));
    }
}

/* One window over the whole demand: the same reservation cost as tp_recommend_run's service-level
 * candidate, so both apply one rule for the minutes a bound allows. */
static void test_single_window_matches_recommender(void)
{
    static demand_buf b;
    tp_model_price p = base_price(1);
    unsigned seed = 777;
    for (int trial = 0; trial < 16; trial++) {
        plan_range r[3];
        random_ranges(&seed, r);
        random_demand(&b, &seed, r, 3);
        const plan_range all = {0, b.d.minutes};
        tp_rec_options o = options(trial);
        tp_recommendation rec;
        tp_error err;
        double ri, ro;
        CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&b.d, &p, &o, &rec, &err), TP_OK);
        CU_ASSERT_EQUAL_FATAL(plan_flat_slo(&b.d, &p, &o, &all, 1, &ri, &ro, &err), TP_OK);
        const tp_candidate *c = &rec.candidates[rec.recommended];
        CU_ASSERT_EQUAL(c->basis, TP_BASIS_SLO);
        int ok;
        ASSERT_NEAR(simulate(&b.d, &p, &o, ri, ro, &all, 1, &ok), c->sim.total_usd,
                    1e-9 * (1 + c->sim.total_usd));
        CU_ASSERT(ok);
    }
}

/* ---- under an on-demand quota ---- */

/* The option sets with a quota (quota_tpm set by the caller): the default of no throttled
 * minute alone or with a spill bound, an explicit throttled-minutes bound, spill to Priority. */
static tp_rec_options quota_options(int k, double quota_tpm)
{
    tp_rec_options o = {0};
    o.spill_model = k % 2 ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
    o.quota_tpm = quota_tpm;
    switch (k / 2 % 4) {
    case 0: break; /* no throttled minute, spill unbounded */
    case 1: o.has_max_spill_minutes_pct = 1, o.max_spill_minutes_pct = 5; break;
    case 2:
        o.spill_to = TP_SPILL_TO_PRIORITY, o.has_max_throttled_minutes = 1;
        o.max_throttled_minutes = 7;
        break;
    default:
        o.has_max_spill_minutes_pct = 1, o.max_spill_minutes_pct = 10;
        o.has_max_throttled_minutes = 1, o.max_throttled_minutes = 3;
        break;
    }
    return o;
}

/* A small random grid and quota weight: step 500, 1000 or 2000 TPM, a minimum of 0 or 3000,
 * output weighing 1 or 5 against the quota. */
static tp_model_price quota_price(unsigned *seed, int trial)
{
    tp_model_price p = base_price(1);
    static const double steps[3] = {500, 1000, 2000};
    p.reserved_step_tpm = steps[lcg(seed) % 3];
    p.reserved_minimum_input_tpm = lcg(seed) % 2 ? 3000 : 0;
    p.reserved_minimum_output_tpm = lcg(seed) % 2 ? 3000 : 0;
    p.quota_output_weight = trial / 8 % 2 ? 5 : 1;
    return p;
}

/* Three windows back to back over the whole span: no gap. */
static void whole_ranges(unsigned *seed, plan_range r[3])
{
    size_t at = 0;
    for (int w = 0; w < 3; w++) {
        r[w].from = at;
        at += 100 + lcg(seed) % 150;
        r[w].to = at;
    }
}

/* Under a quota, brute force over the grid (every pair simulated by tp_simulate_run, every window
 * checked on its own bounds, the quota's default of no throttled minute included) finds the
 * cost of the search's pick, and the pick meets every window's bounds. Before the search
 * priced the quota, it picked reservations that throttle (no quota in its costs) or missed the
 * cheapest feasible one. */
static void test_flat_quota_equals_brute_force(void)
{
    static demand_buf b;
    unsigned seed = 4242;
    int feasible = 0;
    for (int trial = 0; trial < 32; trial++) {
        tp_model_price p = quota_price(&seed, trial);
        plan_range r[3];
        const size_t nr = random_ranges(&seed, r);
        random_demand(&b, &seed, r, nr);
        tp_rec_options o = quota_options(trial, 1500 + 4500 * uniform(&seed));
        double ri, ro;
        tp_error err;
        tp_status rc = plan_flat_slo(&b.d, &p, &o, r, nr, &ri, &ro, &err);
        const double bf = brute_force(&b.d, &p, &o, r, nr);
        if (!isfinite(bf)) {
            CU_ASSERT_EQUAL(rc, TP_ERR_INVALID);
            continue;
        }
        feasible++;
        CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
        int ok;
        const double flat = simulate(&b.d, &p, &o, ri, ro, r, nr, &ok);
        CU_ASSERT(ok);
        ASSERT_NEAR(flat, bf, 1e-9 * (1 + bf));
    }
    CU_ASSERT(feasible > 16); /* the largest demand rounded up always meets the bounds */
}

/* Seasonal <= flat under a quota: windows back to back (no gap), each at least as long as what
 * it is priced over (here every price is per hour), so each window could have chosen the flat
 * reservation, which meets that window's bounds. The windows' own recommendations
 * (tp_recommend_run) together never cost more than the flat one over the span. */
static void test_seasonal_never_above_flat_under_quota(void)
{
    static demand_buf b;
    unsigned seed = 99;
    for (int trial = 0; trial < 32; trial++) {
        tp_model_price p = quota_price(&seed, trial);
        plan_range r[3];
        whole_ranges(&seed, r);
        random_demand(&b, &seed, r, 3);
        tp_rec_options o = quota_options(trial, 1500 + 4500 * uniform(&seed));
        double ri, ro, seasonal = 0;
        tp_error err;
        int ok;
        CU_ASSERT_EQUAL_FATAL(plan_flat_slo(&b.d, &p, &o, r, 3, &ri, &ro, &err), TP_OK);
        const double flat = simulate(&b.d, &p, &o, ri, ro, r, 3, &ok);
        CU_ASSERT(ok);
        for (size_t w = 0; w < 3; w++) {
            tp_demand s = sub(&b.d, r[w]);
            tp_recommendation rec;
            CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&s, &p, &o, &rec, &err), TP_OK);
            CU_ASSERT(window_ok(&o, &rec.candidates[rec.recommended].sim));
            seasonal += rec.candidates[rec.recommended].sim.total_usd;
        }
        CU_ASSERT(seasonal <= flat + 1e-9 * (1 + flat));
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("plan_flat", NULL, NULL);
    ADD(s, test_flat_equals_brute_force_and_bounds_seasonal);
    ADD(s, test_single_window_matches_recommender);
    ADD(s, test_flat_quota_equals_brute_force);
    ADD(s, test_seasonal_never_above_flat_under_quota);
}
