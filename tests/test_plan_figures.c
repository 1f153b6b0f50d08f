/* test_plan_figures.c - figures the renderers print but no longer compute: the held
 * reservation's extra cost, the fleet chart's bars, the seasonal plan's savings and the fleet
 * cost the gate checks, each against a number worked out by hand. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet_internal.h"
#include "test_fixtures.h"
#include "test_util.h"

void register_tests(void);

#define JAN1 (1767225600 / 60) /* 2026-01-01T00:00:00Z, Unix minutes */
#define FEB1 (JAN1 + 31 * 1440)
#define MAR1 (FEB1 + 28 * 1440)

/* Model a's recommendation over 48 hours: reserved $96, spill $48, $1,460 a month; it holds a
 * reservation of $2,190 a month: 2,190 - 1,460 = $730 more. Model b is recommended $730 a
 * month and holds one of $365: 365 - 730 = -$365 (it costs less). Model c holds none and model
 * d has no data: 0. Model a's bar: per month x 730 / 48, 96 -> $1,460 and 48 -> $730, so
 * 1,460 + 730 = $2,190. */
static void test_held_extra_and_bar(void)
{
    tp_fleet_model m[4];
    memset(m, 0, sizeof m);
    const double rec_month[3] = {1460, 730, 500};
    for (int i = 0; i < 3; i++) {
        m[i].status = TP_FLEET_OK;
        m[i].rec.n_candidates = 1;
        m[i].rec.term_months = 1;
        m[i].rec.candidates[0].cost_per_month_usd = rec_month[i];
    }
    tp_candidate *a = &m[0].rec.candidates[0];
    a->sim.hours = 48;
    a->sim.reserved_usd = 96;
    a->sim.spill_usd = 48;
    m[0].has_held = 1;
    m[0].held.cost_per_month_usd = 2190;
    m[1].has_held = 1;
    m[1].held.cost_per_month_usd = 365;
    m[3].status = TP_FLEET_NO_DATA;
    tp_fleet f;
    memset(&f, 0, sizeof f);
    f.models = m;
    f.n = 4;
    fleet_totals(&f);
    ASSERT_NEAR(m[0].held_extra_per_month_usd, 730.0, 1e-9);
    ASSERT_NEAR(m[1].held_extra_per_month_usd, -365.0, 1e-9);
    CU_ASSERT_EQUAL(m[2].held_extra_per_month_usd, 0);
    CU_ASSERT_EQUAL(m[3].held_extra_per_month_usd, 0);
    ASSERT_NEAR(m[0].rec_bar_per_month_usd, 2190.0, 1e-9);
    /* the bar is the two stacked parts, as the chart drew them before */
    CU_ASSERT_EQUAL(m[0].rec_bar_per_month_usd,
                    m[0].rec_reserved_per_month_usd + m[0].rec_spill_per_month_usd);
    CU_ASSERT_EQUAL(m[3].rec_bar_per_month_usd, 0);
}

/* The fleet cost per month the gate checks: model a costs $100 over 7 hours, model b $50 over
 * 3: 100/7 + 50/3 = 650/21 = $30.952... an hour, x 730 = 474,500/21 = $22,595.238... a month.
 * The gate takes the fleet's total per month, the same bits as per hour x 730. */
static void test_gate_fleet_cost(void)
{
    tp_fleet_model m[2];
    memset(m, 0, sizeof m);
    const double sims[2][2] = {{7, 100}, {3, 50}};
    char names[2][2] = {"a", "b"};
    for (int i = 0; i < 2; i++) {
        m[i].model = names[i];
        m[i].status = TP_FLEET_OK;
        m[i].rec.n_candidates = 1;
        m[i].rec.term_months = 1;
        m[i].rec.candidates[0].sim.hours = sims[i][0];
        m[i].rec.candidates[0].sim.total_usd = sims[i][1];
    }
    tp_fleet f;
    memset(&f, 0, sizeof f);
    f.models = m;
    f.n = 2;
    fleet_totals(&f);
    ASSERT_NEAR(f.totals.total_per_month_usd, 474500.0 / 21.0, 1e-9);
    CU_ASSERT_EQUAL(f.totals.total_per_month_usd, f.totals.total_per_hour_usd * TP_HOURS_PER_MONTH);
    tp_gate_options o = {0};
    o.has_fleet_cost = 1;
    o.fleet_monthly_cost_above_usd = 22595; /* 22,595.24 > 22,595: fails */
    tp_gate *g = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(&f, &o, &g, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(g->n, 1);
    CU_ASSERT_EQUAL(g->checks[0].value, f.totals.total_per_month_usd);
    CU_ASSERT_EQUAL(g->checks[0].verdict, TP_VERDICT_FAIL);
    tp_gate_free(g);
}

/* Input only, hour by hour from January (no output: the output grid is {0}). */
static tp_store *hourly_input(int hours, double (*tpm)(int hour))
{
    tp_store *s = open_mem();
    tp_error err;
    size_t cap = (size_t)hours * 64 + 64, len = 0;
    char *csv = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    len += (size_t)snprintf(csv, cap, "timestamp,model,metric,value,period_s\n");
    for (int h = 0; h < hours; h++) {
        char ts[TP_TIME_BUF];
        tp_timestamp_format((int64_t)JAN1 * 60 + (int64_t)h * 3600, ts);
        len += (size_t)snprintf(csv + len, cap - len, "%s,m,InputTokenCount,%.0f,3600\n", ts,
                                60 * tpm(h));
    }
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "hourly.csv", csv, NULL, &err), TP_OK);
    free(csv);
    return s;
}

/* January 20000 TPM, February 40000, March 20000. */
static double feb_double(int h)
{
    return h >= 31 * 24 && h < 59 * 24 ? 40000 : 20000;
}

static tp_seasonal *seasonal(tp_store *s, const tp_window *w, size_t n)
{
    tp_model_price p = base_price(1);
    p.cache_read_per_million_usd = 0;
    p.cache_write_per_million_usd = 0;
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_seasonal *plan = NULL;
    tp_error err;
    q.model = "m";
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, w, n, &p, &o, 0, &plan, &err), TP_OK);
    return plan;
}

/*
 * Reserving 1K TPM for an hour costs 0.12 USD; serving it on demand 60K tokens x 3/M = 0.18.
 * A calendar month is billed 730 h whatever its days (docs/model.md, "Terms").
 * Windows January and February: January reserves 20000 (1K TPM is billed 0.12 x 730 = 87.6 and
 * serves 44640 min x 1000 x 3/M = 133.92), 20 x 87.6 = 1752 USD; February 40000 (87.6 against
 * 40320 x 1000 x 3/M = 120.96), 40 x 87.6 = 3504; seasonal 5256. Flat over both (1460 h
 * billed): one more 1K TPM costs 0.12 x 1460 = 175.2 and saves February's 120.96, so it keeps
 * 20000: 20 x 0.12 x 1460 = 3504 + February's half on demand, 20000 x 40320 x 3/M = 2419.2:
 * 5923.2. The seasonal plan saves 5923.2 - 5256 = 667.2 USD.
 * Windows January and March, February a gap on demand (docs/model.md, "Seasonal windows"):
 * 1752 x 2 + 40000 x 40320 x 3/M = 4838.4 -> 8342.4 seasonal; flat over the three months
 * (2190 h billed) keeps 20000: 20 x 0.12 x 2190 = 5256 + 2419.2 = 7675.2. The seasonal plan
 * saves 7675.2 - 8342.4 = -667.2 USD: it costs 667.2 more.
 */
static void test_seasonal_savings(void)
{
    tp_store *s = hourly_input((31 + 28 + 31) * 24, feb_double);
    const tp_window two[2] = {{JAN1, FEB1}, {FEB1, MAR1}};
    tp_seasonal *plan = seasonal(s, two, 2);
    ASSERT_NEAR(plan->windows[0].recommended.sim.total_usd, 1752, 1e-6);
    ASSERT_NEAR(plan->windows[1].recommended.sim.total_usd, 3504, 1e-6);
    ASSERT_NEAR(plan->seasonal_total_usd, 5256, 1e-6);
    ASSERT_NEAR(plan->flat_total_usd, 5923.2, 1e-6);
    ASSERT_NEAR(plan->seasonal_savings_usd, 667.2, 1e-6);
    CU_ASSERT_EQUAL(plan->seasonal_savings_usd, plan->flat_total_usd - plan->seasonal_total_usd);
    tp_plan_seasonal_free(plan);

    const tp_window gap[2] = {{JAN1, FEB1}, {MAR1, MAR1 + 31 * 1440}};
    plan = seasonal(s, gap, 2);
    ASSERT_NEAR(plan->seasonal_total_usd, 8342.4, 1e-6);
    ASSERT_NEAR(plan->flat_total_usd, 7675.2, 1e-6);
    ASSERT_NEAR(plan->seasonal_savings_usd, -667.2, 1e-6);
    tp_plan_seasonal_free(plan);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("plan_figures", NULL, NULL);
    ADD(s, test_held_extra_and_bar);
    ADD(s, test_gate_fleet_cost);
    ADD(s, test_seasonal_savings);
}
