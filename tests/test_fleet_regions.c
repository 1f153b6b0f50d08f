/* test_fleet_regions.c - the fleet per place: a model stored in two regions is sized twice
 * (one entry per region, one group each, the groups' totals adding up to the fleet's), the
 * --region filter, plan file entries per place, and snapshots matched by model and place. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"
#include "tierplan/fleet.h"
#include "tierplan/snapshot.h"

void register_tests(void);

#define M "amazon.nova-pro-v1:0"
#define ACCT "111122223333"

/* A get-metric-data document of label `label`: 2026-10-05T14:00 and 14:01, values a and b. */
static char *gmd(const char *label, int a, int b)
{
    static char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"MetricDataResults\":[{\"Id\":\"q0\",\"Label\":\"%s\",\"Timestamps\":"
             "[\"2026-10-05T14:00:00Z\",\"2026-10-05T14:01:00Z\"],\"Values\":[%d,%d],"
             "\"StatusCode\":\"Complete\"}],\"Messages\":[]}",
             label, a, b);
    return buf;
}

/* A database file holding M in us-east-1 and eu-west-1 of ACCT (input and output tokens). */
static void make_db(const char *path)
{
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    const char *regions[2] = {"us-east-1", "eu-west-1"};
    for (int r = 0; r < 2; r++) {
        tp_ingest_options o = {.region = regions[r], .account = ACCT};
        char lab[256];
        snprintf(lab, sizeof lab, "ModelId=" M " InputTokenCount Period=60");
        CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "in.json", gmd(lab, 60000 * (r + 1), 60000),
                                         NULL, &err),
                              TP_OK);
        snprintf(lab, sizeof lab, "ModelId=" M " OutputTokenCount Period=60");
        CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "out.json", gmd(lab, 6000, 6000 * (r + 1)),
                                         NULL, &err),
                              TP_OK);
    }
    tp_store_close(s);
}

static tp_pricing *pricing(void)
{
    char path[4096];
    tp_pricing *pr = NULL;
    tp_error err;
    snprintf(path, sizeof path, "%s/pricing.json", getenv("TP_SAMPLE_DATA"));
    CU_ASSERT_EQUAL_FATAL(tp_pricing_load(path, &pr, &err), TP_OK);
    return pr;
}

static void test_two_regions_grouped(void)
{
    char path[] = "/tmp/tp_fleet_regions_XXXXXX";
    const int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    unlink(path);
    make_db(path);
    tp_pricing *pr = pricing();
    tp_fleet_options o = {0};
    tp_fleet *f = NULL;
    tp_error err;
    o.db_path = path;
    o.pricing = pr;
    o.force = 1;
    o.jobs = 1;
    /* before places, a model in two regions failed the fleet with TP_ERR_USAGE */
    CU_ASSERT_EQUAL_FATAL(tp_fleet_run(&o, &f, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(f->n, 2);
    /* the store's order: model, account, region (eu-west-1 before us-east-1) */
    CU_ASSERT_STRING_EQUAL(f->models[0].region, "eu-west-1");
    CU_ASSERT_STRING_EQUAL(f->models[1].region, "us-east-1");
    CU_ASSERT_STRING_EQUAL(f->models[1].account, ACCT);
    CU_ASSERT_EQUAL(f->models[0].status, TP_FLEET_OK);
    /* each region sized on its own data: eu-west-1's input peaks at 120,000, us-east-1's at
     * 60,000 tokens a minute, so the two entries' stats differ */
    CU_ASSERT_DOUBLE_EQUAL(f->models[0].stats->tpm[TP_METRIC_INPUT].max_tpm, 120000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(f->models[1].stats->tpm[TP_METRIC_INPUT].max_tpm, 60000, 1e-9);
    /* two groups (account, eu-west-1) and (account, us-east-1), one model each: each group's
     * total per month is its model's, and the two add up to the fleet's */
    CU_ASSERT_EQUAL_FATAL(f->n_groups, 2);
    CU_ASSERT_STRING_EQUAL(f->groups[0].region, "eu-west-1");
    CU_ASSERT_STRING_EQUAL(f->groups[1].region, "us-east-1");
    for (size_t g = 0; g < 2; g++) {
        CU_ASSERT_EQUAL(f->groups[g].totals.n_ok, 1);
        CU_ASSERT_DOUBLE_EQUAL(f->groups[g].totals.total_per_month_usd,
                               f->models[g].rec_total_per_month_usd, 1e-6);
    }
    CU_ASSERT(f->groups[0].totals.total_per_month_usd > 0);
    CU_ASSERT_DOUBLE_EQUAL(f->groups[0].totals.total_per_month_usd +
                               f->groups[1].totals.total_per_month_usd,
                           f->totals.total_per_month_usd, 1e-6);
    /* the snapshot keeps each entry's place; find_at tells them apart, and the unknown place
     * (a baseline from before regions) matches neither */
    tp_snapshot *snap = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_snapshot_from_fleet(f, &snap, &err), TP_OK);
    CU_ASSERT_PTR_EQUAL(tp_snapshot_find_at(snap, M, "us-east-1", ACCT), &snap->models[1]);
    CU_ASSERT_PTR_EQUAL(tp_snapshot_find_at(snap, M, "eu-west-1", ACCT), &snap->models[0]);
    CU_ASSERT_PTR_NULL(tp_snapshot_find(snap, M));
    tp_snapshot_free(snap);
    tp_fleet_free(f);

    /* --region: one entry, one group */
    o.region = "us-east-1";
    CU_ASSERT_EQUAL_FATAL(tp_fleet_run(&o, &f, &err), TP_OK);
    CU_ASSERT_EQUAL(f->n, 1);
    CU_ASSERT_EQUAL(f->n_groups, 1);
    CU_ASSERT_STRING_EQUAL(f->models[0].region, "us-east-1");
    tp_fleet_free(f);
    /* --merge-regions: one entry of the account, region "*", on the summed traffic (input
     * peaks at 60,000 + 120,000 = 180,000 at 14:00) */
    o.region = NULL;
    o.merge_regions = 1;
    CU_ASSERT_EQUAL_FATAL(tp_fleet_run(&o, &f, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(f->n, 1);
    CU_ASSERT_STRING_EQUAL(f->models[0].region, "*");
    CU_ASSERT_DOUBLE_EQUAL(f->models[0].stats->tpm[TP_METRIC_INPUT].max_tpm, 180000, 1e-9);
    tp_fleet_free(f);
    tp_pricing_free(pr);
    unlink(path);
}

/* Plan file entries per place: an entry naming its place applies there only; one naming none
 * is the unknown place's, and the only place's. */
static void test_plan_places(void)
{
    const char *json = "{\"models\":{\"" M "\":[{\"region\":\"us-east-1\",\"account\":\"" ACCT
                       "\",\"reserve_input_tpm\":1000},{\"reserve_input_tpm\":5}],"
                       "\"b\":{\"term_months\":3}}}";
    tp_plan_file *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_plan_file_parse("p.json", json, strlen(json), &p, &err), TP_OK);
    tp_plan_entry e = tp_plan_file_entry_at(p, M, "us-east-1", ACCT, 0);
    CU_ASSERT(e.has_reserve_input_tpm && e.reserve_input_tpm == 1000);
    e = tp_plan_file_entry_at(p, M, "eu-west-1", ACCT, 0); /* another place: nothing */
    CU_ASSERT_FALSE(e.has_reserve_input_tpm);
    e = tp_plan_file_entry_at(p, M, "", "", 0); /* the unknown place */
    CU_ASSERT(e.has_reserve_input_tpm && e.reserve_input_tpm == 5);
    e = tp_plan_file_entry_at(p, "b", "us-east-1", ACCT, 1); /* b's only place */
    CU_ASSERT(e.has_term_months && e.term_months == 3);
    e = tp_plan_file_entry_at(p, "b", "us-east-1", ACCT, 0); /* one of several: not */
    CU_ASSERT_FALSE(e.has_term_months);
    tp_plan_file_free(p);
    const char *twice = "{\"models\":{\"a\":[{\"region\":\"us-east-1\"},{\"region\":"
                        "\"us-east-1\"}]}}";
    CU_ASSERT_EQUAL(tp_plan_file_parse("t.json", twice, strlen(twice), &p, &err),
                    TP_ERR_INVALID);
    ASSERT_CONTAINS(err.message, "region us-east-1, account unknown given twice");
    const char *bad = "{\"models\":{\"a\":{\"region\":\"useast1\"}}}";
    CU_ASSERT_EQUAL(tp_plan_file_parse("b.json", bad, strlen(bad), &p, &err), TP_ERR_INVALID);
    ASSERT_CONTAINS(err.message, "$.models[\"a\"].region: \"useast1\" is not a region name");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("fleet_regions", NULL, NULL);
    ADD(s, test_two_regions_grouped);
    ADD(s, test_plan_places);
}
