/* test_flat_region.c - the flat region around a recommendation (tp_recommend_flat_region):
 * the sizes within 0.5% of its cost, on a demand whose cost curve is worked by hand, and the
 * one-pass-per-axis scan against the per-point walk it replaced, on random demands. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/recommend_internal.h"
#include "tierplan/recommend.h"
#include "test_fixtures.h"

void register_tests(void);

/* One hour: 40 minutes at 20,000 input TPM, 20 at 5,000, no output; base_price: reserved
 * input $0.12 per 1,000 TPM-hour, on-demand input $3 per million, grid step 1,000 from 0.
 * A reserved input TPM costs 0.12 / 1000 = $0.00012 over the hour; each minute above R it
 * saves 1 token x $3e-6. Between 5,000 and 20,000 TPM 40 minutes lie above R: 40 x 3e-6 =
 * 0.00012, so the cost is flat there at 20,000 x 0.00012 = $2.40 (all reserved at R =
 * 20,000). Below 5,000 all 60 minutes lie above: the cost climbs 60 x 3e-6 - 0.00012 =
 * $0.00006 per TPM, $0.06 at 4,000 = 2.5% over; above 20,000 it climbs $0.00012 per TPM,
 * $0.12 at 21,000 = 5% over. The 0.5% band ($2.412) is [5,000, 20,000] input TPM, and output,
 * with no traffic, [0, 0] (1,000 output TPM would add 1 x 0.60 = $0.60). */
static void test_hand_worked(void)
{
    double in[60], zero[60];
    for (int t = 0; t < 60; t++) {
        in[t] = t < 40 ? 20000 : 5000;
        zero[t] = 0;
    }
    const tp_demand d = {in, zero, zero, zero, 60, 0};
    tp_model_price p = base_price(1);
    tp_rec_options o;
    memset(&o, 0, sizeof o);
    tp_recommendation rec;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    const tp_candidate *r = &rec.candidates[rec.recommended];
    CU_ASSERT_DOUBLE_EQUAL(r->sim.total_usd, 2.4, 1e-9); /* somewhere on the flat part */
    CU_ASSERT_EQUAL_FATAL(tp_recommend_flat_region(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_TRUE(rec.has_flat_region);
    CU_ASSERT_DOUBLE_EQUAL(rec.flat_input_tpm[0], 5000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rec.flat_input_tpm[1], 20000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rec.flat_output_tpm[0], 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rec.flat_output_tpm[1], 0, 1e-9);
    /* a quota makes the cost a surface of throttled minutes: no region */
    o.quota_tpm = 15000;
    o.has_max_throttled_minutes = 1;
    o.max_throttled_minutes = 60;
    if (tp_recommend_run(&d, &p, &o, &rec, &err) == TP_OK) {
        CU_ASSERT_EQUAL(tp_recommend_flat_region(&d, &p, &o, &rec, &err), TP_OK);
        CU_ASSERT_FALSE(rec.has_flat_region);
    }
}

/* ---- the reference: the per-point walk of main 9c59bd2, one rec_cost_of per grid point ---- */

static void ref_scan(const rec_terms *t, const rec_grid *g, int input_axis, double fixed, size_t k0,
                     double limit, int down, double out[2])
{
    size_t lo = k0, hi = k0;
    for (; down && lo > 0; lo--) {
        const double x = rec_gp(g, lo - 1);
        const double c = input_axis ? rec_cost_of(t, t->coupled, x, fixed)
                                    : rec_cost_of(t, t->coupled, fixed, x);
        if (!(c <= limit))
            break;
    }
    for (; hi + 1 < g->n; hi++) {
        const double x = rec_gp(g, hi + 1);
        const double c = input_axis ? rec_cost_of(t, t->coupled, x, fixed)
                                    : rec_cost_of(t, t->coupled, fixed, x);
        if (!(c <= limit))
            break;
    }
    out[0] = rec_gp(g, lo);
    out[1] = rec_gp(g, hi);
}

/* tp_recommend_flat_region as it was: the same cases skipped, the same grids and limit. */
static tp_status ref_flat_region(const tp_demand *d, const tp_model_price *price,
                                 const tp_rec_options *o, tp_recommendation *rec, tp_error *err)
{
    rec_terms t;
    rec_terms_extent x;
    rec_grid gi, go;
    tp_model_price p;
    double discount;
    const size_t n = d->minutes;
    const tp_candidate *r = &rec->candidates[rec->recommended];
    memset(&t, 0, sizeof t);
    rec->has_flat_region = 0;
    if (n == 0 || rec_can_throttle(o) || r->basis == TP_BASIS_ALL_PRIORITY ||
        (rec->tiered && (((r->input_tpm > 0 || r->output_tpm > 0) &&
                          (r->routed_tiers & rec->present) != rec->present) ||
                         (!rec->offered && !rec->assumed_offered))))
        return TP_OK;
    tp_status rc = rec_apply_term(price, rec->term_months, &p, &discount, err);
    if (rc != TP_OK)
        return rc;
    t.e = malloc(n * sizeof *t.e);
    t.o = malloc(n * sizeof *t.o);
    t.v_in = malloc(n * sizeof *t.v_in);
    t.v_out = malloc(n * sizeof *t.v_out);
    if (!t.e || !t.o || !t.v_in || !t.v_out) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    rec_terms_fill(&t, d, &p, o, &x);
    if ((rc = rec_grid_init(&gi, p.reserved_minimum_input_tpm, p.reserved_step_tpm,
                            fmax(x.max_e, r->input_tpm), err)) != TP_OK ||
        (rc = rec_grid_init(&go, p.reserved_minimum_output_tpm, p.reserved_step_tpm,
                            fmax(x.max_o, r->output_tpm), err)) != TP_OK)
        goto cleanup;
    const size_t ki = rec_g_ceil(&gi, r->input_tpm), ko = rec_g_ceil(&go, r->output_tpm);
    const double base = rec_cost_of(&t, t.coupled, r->input_tpm, r->output_tpm);
    const double limit = base + fabs(base) * TP_RECOMMEND_FLAT_PCT / 100;
    const int down = r->basis != TP_BASIS_SLO;
    ref_scan(&t, &gi, 1, r->output_tpm, ki < gi.n ? ki : gi.n - 1, limit, down,
             rec->flat_input_tpm);
    ref_scan(&t, &go, 0, r->input_tpm, ko < go.n ? ko : go.n - 1, limit, down,
             rec->flat_output_tpm);
    rec->flat_input_tpm[0] = fmin(rec->flat_input_tpm[0], r->input_tpm);
    rec->flat_input_tpm[1] = fmax(rec->flat_input_tpm[1], r->input_tpm);
    rec->flat_output_tpm[0] = fmin(rec->flat_output_tpm[0], r->output_tpm);
    rec->flat_output_tpm[1] = fmax(rec->flat_output_tpm[1], r->output_tpm);
    rec->has_flat_region = 1;
cleanup:
    rec_terms_free(&t);
    return rc;
}

/* xorshift64*: the same demands on every run */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static double urand(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717u) >> 11) / 9007199254740992.0;
}

/* One random comparison: both functions on the same rec, every field they write equal to the
 * bit. Returns 1 when the region was computed (so the caller can check that most were). */
static int compare_one(const tp_demand *d, const tp_model_price *p, const tp_rec_options *o,
                       const tp_recommendation *rec0)
{
    tp_recommendation a = *rec0, b = *rec0;
    tp_error err;
    const tp_status ra = tp_recommend_flat_region(d, p, o, &a, &err);
    const tp_status rb = ref_flat_region(d, p, o, &b, &err);
    CU_ASSERT_EQUAL(ra, rb);
    CU_ASSERT_EQUAL(a.has_flat_region, b.has_flat_region);
    CU_ASSERT_EQUAL(memcmp(a.flat_input_tpm, b.flat_input_tpm, sizeof a.flat_input_tpm), 0);
    CU_ASSERT_EQUAL(memcmp(a.flat_output_tpm, b.flat_output_tpm, sizeof a.flat_output_tpm), 0);
    return ra == TP_OK && a.has_flat_region;
}

/* Random demands (bursty input, output, cache), coupled and independent spill, spill to
 * Standard and to Priority, catalog minimums, 1/3/6-month terms, service levels; each from
 * the recommended size and from random grid points (the walk's start, so that both ends of
 * both axes are reached from many places, plateaus and the grid's ends included). */
static void test_matches_per_point_walk(void)
{
    enum { N = 1440 };
    static double in[N], out[N], cr[N], cw[N];
    int computed = 0, runs = 0, slo = 0;
    for (int trial = 0; trial < 120; trial++) {
        const double base_in = 2000 + 40000 * urand(), base_out = 200 + 4000 * urand();
        const double burst = urand(), cache = urand() < 0.5 ? urand() : 0;
        const int plateau = urand() < 0.25; /* few distinct levels: long flat stretches */
        for (int k = 0; k < N; k++) {
            double level = plateau ? (k % 7 < 3 ? 1.0 : 0.25) : 0.5 + urand();
            if (urand() < burst * 0.05)
                level *= 2 + 6 * urand();
            if (urand() < 0.05)
                level = 0; /* idle minutes */
            in[k] = base_in * level;
            out[k] = base_out * level * (plateau ? 1.0 : 0.5 + urand());
            cr[k] = cache * in[k] * 2 * urand();
            cw[k] = cache * in[k] * 0.2 * urand();
        }
        const tp_demand d = {in, out, cr, cw, N, 0};
        tp_model_price p = base_price(3);
        p.reserved_step_tpm = urand() < 0.5 ? 1000 : 500;
        if (urand() < 0.4) {
            p.reserved_minimum_input_tpm = 5000 + 1000 * (double)(int)(10 * urand());
            p.reserved_minimum_output_tpm = 500 + 500 * (double)(int)(4 * urand());
        }
        tp_rec_options o;
        memset(&o, 0, sizeof o);
        o.spill_model = urand() < 0.5 ? TP_SPILL_COUPLED : TP_SPILL_INDEPENDENT;
        o.spill_to = urand() < 0.3 ? TP_SPILL_TO_PRIORITY : TP_SPILL_TO_STANDARD;
        const int terms[] = {1, 3, 6};
        o.term_months = terms[(int)(3 * urand())];
        if (urand() < 0.2) {
            o.has_max_spill_minutes_pct = 1;
            o.max_spill_minutes_pct = 1 + 10 * urand();
        }
        tp_recommendation rec;
        tp_error err;
        if (tp_recommend_run(&d, &p, &o, &rec, &err) != TP_OK)
            continue;
        slo += rec.candidates[rec.recommended].basis == TP_BASIS_SLO;
        runs++;
        computed += compare_one(&d, &p, &o, &rec);
        /* from other grid points: the recommended candidate moved to a random size */
        for (int start = 0; start < 3; start++) {
            tp_recommendation moved = rec;
            tp_candidate *r = &moved.candidates[moved.recommended];
            const double step = p.reserved_step_tpm;
            r->input_tpm = step * (double)(int)(urand() * 1.2 * base_in * 8 / step);
            r->output_tpm = step * (double)(int)(urand() * 1.2 * base_out * 8 / step);
            if (p.reserved_minimum_input_tpm > 0 && r->input_tpm > 0)
                r->input_tpm = p.reserved_minimum_input_tpm + r->input_tpm;
            if (p.reserved_minimum_output_tpm > 0 && r->output_tpm > 0)
                r->output_tpm = p.reserved_minimum_output_tpm + r->output_tpm;
            compare_one(&d, &p, &o, &moved);
        }
    }
    /* the comparison must have had something to compare: most runs compute a region, and
     * some were sized by a service level (the region extends only upward) */
    CU_ASSERT_TRUE(runs >= 100);
    CU_ASSERT_TRUE(computed >= runs - 2);
    CU_ASSERT_TRUE(slo > 0);
}

/* The cases the region is not computed in, by both: a quota that can throttle, nowhere to
 * spill, an all-Priority recommendation. */
static void test_skipped_cases(void)
{
    enum { N = 120 };
    double in[N], out[N], zero[N];
    for (int k = 0; k < N; k++) {
        in[k] = 10000 + 500 * (k % 13);
        out[k] = 1000 + 50 * (k % 5);
        zero[k] = 0;
    }
    const tp_demand d = {in, out, zero, zero, N, 0};
    tp_model_price p = base_price(1);
    tp_rec_options o;
    memset(&o, 0, sizeof o);
    tp_recommendation rec;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_TRUE(compare_one(&d, &p, &o, &rec)); /* computed here ... */
    tp_rec_options q = o;
    q.quota_tpm = 12000;
    CU_ASSERT_FALSE(compare_one(&d, &p, &q, &rec)); /* ... not under a quota */
    q = o;
    q.spill_to = TP_SPILL_TO_NONE;
    CU_ASSERT_FALSE(compare_one(&d, &p, &q, &rec));
    tp_recommendation ap = rec;
    ap.candidates[ap.recommended].basis = TP_BASIS_ALL_PRIORITY;
    CU_ASSERT_FALSE(compare_one(&d, &p, &o, &ap));
    /* sized by tier, routing default but not priority: not sized on d alone */
    tp_recommendation part = rec;
    part.tiered = 1;
    part.offered = 1;
    part.present = TP_ROUTE_TIER(TP_SERVICE_DEFAULT) | TP_ROUTE_TIER(TP_SERVICE_PRIORITY);
    part.candidates[part.recommended].routed_tiers = TP_ROUTE_TIER(TP_SERVICE_DEFAULT);
    CU_ASSERT_FALSE(compare_one(&d, &p, &o, &part));
    part.candidates[part.recommended].routed_tiers = part.present; /* all routed: computed */
    CU_ASSERT_TRUE(compare_one(&d, &p, &o, &part));
}

/* A grid point whose cost is the limit itself, where rounding decides and the walk's own
 * rec_cost_of must: the hand-worked demand on a 200-TPM grid. Below 5,000 TPM the cost climbs
 * $0.00006 per TPM, so 4,800 costs 2.4 + 200 x 0.00006 = $2.412 = 1.005 x 2.4, the limit
 * exactly (in real numbers; in doubles either side). Both must agree on it, whichever side. */
static void test_point_on_the_limit(void)
{
    double in[60], zero[60];
    for (int t = 0; t < 60; t++) {
        in[t] = t < 40 ? 20000 : 5000;
        zero[t] = 0;
    }
    const tp_demand d = {in, zero, zero, zero, 60, 0};
    tp_model_price p = base_price(1);
    p.reserved_step_tpm = 200;
    tp_rec_options o;
    memset(&o, 0, sizeof o);
    tp_recommendation rec;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_TRUE(compare_one(&d, &p, &o, &rec));
    tp_recommendation a = rec;
    CU_ASSERT_EQUAL(tp_recommend_flat_region(&d, &p, &o, &a, &err), TP_OK);
    CU_ASSERT_TRUE(a.flat_input_tpm[0] == 4800 || a.flat_input_tpm[0] == 5000);
    CU_ASSERT_DOUBLE_EQUAL(a.flat_input_tpm[1], 20000, 1e-9);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("flat_region", NULL, NULL);
    CU_add_test(s, "a cost curve worked by hand", test_hand_worked);
    CU_add_test(s, "one pass per axis = the per-point walk", test_matches_per_point_walk);
    CU_add_test(s, "cases without a region", test_skipped_cases);
    CU_add_test(s, "a grid point on the limit", test_point_on_the_limit);
}
