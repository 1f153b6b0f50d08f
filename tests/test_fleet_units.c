/* test_fleet_units.c - a mixed fleet (one Bedrock model, one azure-ptu, one vertex-gsu): each
 * model sized as its provider sells it, the fleet's totals and per-provider subtotals against
 * figures worked out by hand, its snapshot, and the gates that apply in units (and those that
 * do not, saying so). Data: tests/data/units/fleet-sample.csv, fleet-pricing.json.
 *
 * The working. The window is 120 minutes of November (720 h): billed 2 x 730 / 720 = 2.02778
 * hours, so a window's USD per month (of 730 hours) is USD x 730 / 2.02778 = USD x 360.
 *
 * ptu-model (azure-ptu, per minute, burst 1): weighted demand 3,000 + 4 x 250 = 4,000 TPM every
 * minute. A PTU (1,000 weighted TPM) keeps 1,000 / 4,000 of each minute off on-demand:
 * (750 x $10 + 62.5 x $40) / 1e6 = $0.01 a minute, $0.60 an hour; more than the 1_month price
 * ($0.30) and less than the hourly one ($0.80). So 1_month covers all: 4 PTU (minimum 2 plus 2
 * steps of 1), 4 x 0.30 x 730 = $876 a month, no spill; hourly buys 0 PTU and spills all:
 * 120 x (3,000 x 10 + 250 x 40) / 1e6 = $4.80 the window, x 360 = $1,728 a month, which is also
 * the on-demand baseline. Recommended: 1_month, $876 a month.
 *
 * gsu-model (vertex-gsu, per second, burst 1.5 by default): (2,000 + 2 x 500) x 1.5 = 4,500
 * weighted TPM, under one GSU's 100 x 60 = 6,000: 1 GSU serves all. Without it: 120 x
 * (2,000 x 10 + 500 x 20) / 1e6 = $3.60 the window, $1,296 a month. 1_year: 0.80 x 730 = $584,
 * 1_month $730: 1_year recommended, $584 a month.
 *
 * bedrock-model: reserving costs $100 per 1K TPM-hour against on-demand's (1,000 x 1 + 100 x 2)
 * / 1e6 = $0.0012 a minute ($0.072 an hour): no reservation; all on demand, counted as spill:
 * 120 x 0.0012 = $0.144 the window, x 360 = $51.84 a month.
 *
 * Fleet per month: reserved 876 + 584 + 0 = 1,460; spill 51.84; total 1,511.84; on-demand
 * 1,728 + 1,296 + 51.84 = 3,075.84; savings 1,564; 1,564 / 3,075.84 = 50.848%. Per term (each
 * over its own): 876 x 1 + 0.80 x 8,760 + 51.84 x 1 (the default 1-month term) = 7,935.84.
 * Per provider (tp_provider order): bedrock 51.84, azure-ptu 876, vertex-gsu 584. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "tierplan/fleet.h"
#include "tierplan/gate.h"
#include "tierplan/snapshot.h"

void register_tests(void);

static char db_path[64];
static tp_pricing *pricing;
static tp_fleet *fleet;

/* Reads a test data file into memory (the caller frees). */
static char *read_data(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/units/%s", getenv("TP_TEST_DATA"), name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char buf[1 << 16];
    const size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

static int fleet_setup(void)
{
    char path[4096];
    tp_error err;
    tp_store *s = NULL;
    snprintf(db_path, sizeof db_path, "/tmp/tp_fleet_units_XXXXXX");
    const int fd = mkstemp(db_path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(db_path);
    char *csv = read_data("fleet-sample.csv");
    tp_ingest_options io = {0};
    io.as_of_s = 1793584800; /* 2026-11-02T02:00:00Z, the window's end */
    snprintf(path, sizeof path, "%s/units/fleet-pricing.json", getenv("TP_TEST_DATA"));
    const int ok = csv != NULL && tp_store_open(db_path, &s, &err) == TP_OK &&
                   ingest_one(s, &io, "fleet-sample.csv", csv, NULL, &err) == TP_OK &&
                   tp_pricing_load(path, &pricing, &err) == TP_OK;
    free(csv);
    tp_store_close(s);
    if (!ok)
        return -1;
    tp_fleet_options o = {0};
    o.db_path = db_path;
    o.pricing = pricing;
    o.force = 1; /* two hours */
    o.jobs = 2;
    return tp_fleet_run(&o, &fleet, &err) == TP_OK ? 0 : -1;
}

static int fleet_teardown(void)
{
    tp_fleet_free(fleet);
    tp_pricing_free(pricing);
    unlink(db_path);
    return 0;
}

/* The entry of model id (the store's order is by model: bedrock, gsu, ptu). */
static const tp_fleet_model *entry(const char *id)
{
    for (size_t i = 0; i < fleet->n; i++)
        if (strcmp(fleet->models[i].model, id) == 0)
            return &fleet->models[i];
    CU_FAIL_FATAL("model not in the fleet");
    return NULL;
}

static void test_models_sized_by_provider(void)
{
    CU_ASSERT_EQUAL_FATAL(fleet->n, 3);
    const tp_fleet_model *b = entry("bedrock-model"), *p = entry("ptu-model"),
                         *g = entry("gsu-model");
    CU_ASSERT_EQUAL(b->status, TP_FLEET_OK);
    CU_ASSERT_FALSE(b->in_units);
    CU_ASSERT_EQUAL(b->price.provider, TP_PROVIDER_BEDROCK);
    CU_ASSERT_DOUBLE_EQUAL(b->rec_total_per_month_usd, 51.84, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(b->rec_spill_per_month_usd, 51.84, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(b->rec_reserved_per_month_usd, 0, 1e-12);

    CU_ASSERT_TRUE_FATAL(p->in_units);
    CU_ASSERT_EQUAL(p->price.provider, TP_PROVIDER_AZURE_PTU);
    CU_ASSERT_EQUAL(p->units_plan.recommended_term, TP_UNIT_1_MONTH);
    CU_ASSERT_EQUAL(p->units_rec.units, 4);
    CU_ASSERT_DOUBLE_EQUAL(p->units_rec.per_unit_hour_usd, 0.30, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(p->units_rec.served_share, 1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(p->rec_reserved_per_month_usd, 876, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(p->rec_spill_per_month_usd, 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(p->rec_total_per_month_usd, 876, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(p->rec_on_demand_per_month_usd, 1728, 1e-9);
    /* hourly buys nothing: all of it spills, at on-demand's $4.80 the window */
    CU_ASSERT_EQUAL(p->units_plan.term[TP_UNIT_HOURLY].units, 0);
    CU_ASSERT_DOUBLE_EQUAL(p->units_plan.term[TP_UNIT_HOURLY].spill_usd, 4.80, 1e-9);

    CU_ASSERT_TRUE_FATAL(g->in_units);
    CU_ASSERT_EQUAL(g->price.provider, TP_PROVIDER_VERTEX_GSU);
    CU_ASSERT_EQUAL(g->units_plan.recommended_term, TP_UNIT_1_YEAR);
    CU_ASSERT_EQUAL(g->units_rec.units, 1);
    CU_ASSERT_DOUBLE_EQUAL(g->units_rec.burst_factor, 1.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(g->rec_total_per_month_usd, 584, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(g->rec_on_demand_per_month_usd, 1296, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(g->units_plan.term[TP_UNIT_1_MONTH].total_usd * 360, 730, 1e-9);
    /* no Bedrock recommendation is made for them */
    CU_ASSERT_EQUAL(p->rec.n_candidates, 0);
    CU_ASSERT_FALSE(p->has_held);
}

static void test_totals_and_providers(void)
{
    const tp_fleet_totals *t = &fleet->totals;
    CU_ASSERT_EQUAL(t->n_ok, 3);
    CU_ASSERT_DOUBLE_EQUAL(t->reserved_per_month_usd, 1460, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t->spill_per_month_usd, 51.84, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t->total_per_month_usd, 1511.84, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t->on_demand_per_month_usd, 3075.84, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t->savings_per_month_usd, 1564, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t->savings_pct, 100 * 1564 / 3075.84, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t->total_per_term_usd, 7935.84, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t->reserved_per_term_usd, 7884, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t->total_per_hour_usd, 1511.84 / 730, 1e-12);
    CU_ASSERT_EQUAL_FATAL(fleet->n_providers, 3);
    const tp_provider want[3] = {TP_PROVIDER_BEDROCK, TP_PROVIDER_AZURE_PTU,
                                 TP_PROVIDER_VERTEX_GSU};
    const double total[3] = {51.84, 876, 584}, reserved[3] = {0, 876, 584};
    double sum = 0;
    for (size_t k = 0; k < 3; k++) {
        CU_ASSERT_EQUAL(fleet->providers[k].provider, want[k]);
        CU_ASSERT_EQUAL(fleet->providers[k].totals.n_ok, 1);
        CU_ASSERT_DOUBLE_EQUAL(fleet->providers[k].totals.total_per_month_usd, total[k], 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(fleet->providers[k].totals.reserved_per_month_usd, reserved[k],
                               1e-9);
        sum += fleet->providers[k].totals.total_per_month_usd;
    }
    CU_ASSERT_DOUBLE_EQUAL(sum, t->total_per_month_usd, 1e-9);
    /* one place: its group is the whole fleet */
    CU_ASSERT_EQUAL_FATAL(fleet->n_groups, 1);
    CU_ASSERT_DOUBLE_EQUAL(fleet->groups[0].totals.total_per_month_usd, 1511.84, 1e-9);
}

/* The fleet's snapshot keeps a unit model's units and term and its cost per month. */
static void test_snapshot_units(void)
{
    tp_snapshot *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_snapshot_from_fleet(fleet, &s, &err), TP_OK);
    const tp_snapshot_model *p = tp_snapshot_find(s, "ptu-model");
    const tp_snapshot_model *b = tp_snapshot_find(s, "bedrock-model");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT(p->sized);
    CU_ASSERT_DOUBLE_EQUAL(p->units, 4, 0);
    CU_ASSERT_STRING_EQUAL(p->units_term, "1_month");
    CU_ASSERT_DOUBLE_EQUAL(p->cost_per_month_usd, 876, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(p->savings_per_month_usd, 1728 - 876, 1e-9);
    CU_ASSERT(isnan(b->units));
    tp_snapshot_free(s);
}

/* The verdict and note of model id's check `what` (NULL model: the fleet's). */
static const tp_gate_check *find_check(const tp_gate *g, const char *id, const char *what)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->checks[i].what, what) == 0 &&
            (id == NULL ? g->checks[i].model == NULL
                        : g->checks[i].model != NULL && strcmp(g->checks[i].model, id) == 0))
            return &g->checks[i];
    return NULL;
}

static void test_gates_in_units(void)
{
    tp_gate_options o = {0};
    tp_gate *g = NULL;
    tp_error err;
    o.has_model_cost = 1;
    o.model_monthly_cost_above_usd = 800; /* ptu-model's $876 fails, $584 and $51.84 pass */
    o.has_fleet_cost = 1;
    o.fleet_monthly_cost_above_usd = 1500; /* $1,511.84 fails */
    o.has_utilization = 1;
    o.utilization_below_pct = 50;
    o.has_savings_vs_held = 1;
    o.savings_vs_held_pct_above = 10;
    o.has_spill = 1;
    o.spill_minutes_pct_above = 5; /* nothing spills from the units */
    o.has_throttled = 1;
    o.throttled_minutes_above = 0;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(fleet, &o, &g, &err), TP_OK);
    const tp_gate_check *c = find_check(g, NULL, "fleet_monthly_cost_usd");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_DOUBLE_EQUAL(c->value, 1511.84, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    c = find_check(g, "ptu-model", "model_monthly_cost_usd");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_DOUBLE_EQUAL(c->value, 876, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->note, "4 PTU on 1_month"));
    c = find_check(g, "gsu-model", "model_monthly_cost_usd");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_DOUBLE_EQUAL(c->value, 584, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    /* a held reservation is Bedrock TPM: n/a per unit model, saying why (not a silent pass) */
    c = find_check(g, "ptu-model", "held_utilization_pct");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_NA);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->note, "sold in units (azure-ptu)"));
    c = find_check(g, "gsu-model", "savings_vs_held_pct");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_NA);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->note, "sold in units (vertex-gsu)"));
    c = find_check(g, "ptu-model", "spill_minutes_pct");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_DOUBLE_EQUAL(c->value, 0, 0);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    c = find_check(g, "gsu-model", "throttled_minutes");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->note, "never throttled"));
    CU_ASSERT_EQUAL(g->n_failed, 2);
    tp_gate_free(g);
}

/* Against a baseline: the change in units (and in cost), per model sold in units. */
static void test_change_in_units(void)
{
    tp_snapshot *base = NULL;
    tp_gate *g = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_snapshot_from_fleet(fleet, &base, &err), TP_OK);
    for (size_t i = 0; i < base->n; i++)
        if (strcmp(base->models[i].model, "ptu-model") == 0) {
            base->models[i].units = 2; /* then: 2 PTU, now 4: +100% */
            base->models[i].cost_per_month_usd = 438;
        }
    tp_gate_options o = {0};
    o.has_change = 1;
    o.change_pct_above = 20;
    o.baseline = base;
    CU_ASSERT_EQUAL_FATAL(tp_gate_run(fleet, &o, &g, &err), TP_OK);
    const tp_gate_check *c = find_check(g, "ptu-model", "change_units_pct");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_DOUBLE_EQUAL(c->value, 100, 1e-9);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_FAIL);
    c = find_check(g, "ptu-model", "change_monthly_cost_pct"); /* 438 -> 876 */
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_DOUBLE_EQUAL(c->value, 100, 1e-9);
    c = find_check(g, "gsu-model", "change_units_pct");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_DOUBLE_EQUAL(c->value, 0, 0);
    CU_ASSERT_EQUAL(c->verdict, TP_VERDICT_PASS);
    /* TPM changes are Bedrock's: none for a unit model */
    CU_ASSERT_PTR_NULL(find_check(g, "gsu-model", "change_input_tpm_pct"));
    CU_ASSERT_PTR_NOT_NULL(find_check(g, "bedrock-model", "change_input_tpm_pct"));
    tp_gate_free(g);
    tp_snapshot_free(base);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("fleet_units", fleet_setup, fleet_teardown);
    CU_add_test(s, "models sized by provider", test_models_sized_by_provider);
    CU_add_test(s, "totals and providers by hand", test_totals_and_providers);
    CU_add_test(s, "snapshot in units", test_snapshot_units);
    CU_add_test(s, "gates in units", test_gates_in_units);
    CU_add_test(s, "change in units", test_change_in_units);
}
