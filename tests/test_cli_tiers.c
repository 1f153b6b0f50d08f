/* test_cli_tiers.c - end to end: recommend and simulate by service tier on tiered data stored
 * by CSV ingest (--route-tiers, --assume-offered, the Reserved offer, the tier-mix what-if). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

#define HAIKU "anthropic.claude-haiku-4-5-20251001-v1:0"
#define NOVA "amazon.nova-pro-v1:0"
#define HDR "timestamp,model,metric,value,tier,service_tier\n"
#define ROW(min, metric, v, tier) "2026-10-05T14:0" #min ":00Z," HAIKU "," metric "," v "," \
                                  tier "," tier "\n"
/* One minute of Haiku: default 200,000 / 20,000, priority 50,000 / 5,000, flex 30,000 /
 * 3,000 TPM (each by ServiceTier and ResolvedServiceTier). */
#define MINUTE(m)                                                                           \
    ROW(m, "InputTokenCount", "200000", "default") ROW(m, "OutputTokenCount", "20000",      \
                                                       "default")                           \
    ROW(m, "InputTokenCount", "50000", "priority") ROW(m, "OutputTokenCount", "5000",       \
                                                       "priority")                          \
    ROW(m, "InputTokenCount", "30000", "flex") ROW(m, "OutputTokenCount", "3000", "flex")

#define REC "'%s' recommend --db t.db --pricing '%s'/pricing.json --model " HAIKU " --force"
#define SIM "'%s' simulate --db t.db --pricing '%s'/pricing.json --model " HAIKU

static int tiered_db(void)
{
    write_file("t.csv", HDR MINUTE(0) MINUTE(1) MINUTE(2) MINUTE(3));
    return run("'%s' ingest -q --db t.db --period 60 t.csv", bin, NULL);
}

/* --route-tiers: the routed set in every output; an unknown tier is a usage error naming the
 * accepted ones. */
static void test_route_tiers(void)
{
    CU_ASSERT_EQUAL_FATAL(tiered_db(), 0);
    CU_ASSERT_EQUAL(run(REC " --route-tiers default,priority", bin, sample), 0);
    expect_in("out", "routed tiers: reserved,priority,default\n");
    expect_in("out", "\nflex       no ");
    /* the family the demand was read from: by ServiceTier and ResolvedServiceTier */
    expect_in("out", "; tiers from: service_tier+resolved_tier\n");
    CU_ASSERT_EQUAL(run(REC " --route-tiers default --format json", bin, sample), 0);
    expect_in("out", "\"tier_family\":\t\"service_tier+resolved_tier\"");
    expect_in("out", "\"routed_tiers\":\t[\"reserved\", \"default\"]");
    expect_in("out", "\"by_tier\":");
    expect_in("out", "\"flex\":\t{");
    CU_ASSERT_EQUAL(run(REC " --route-tiers default --format csv", bin, sample), 0);
    expect_in("out", ",assumed_offered,routed_tiers,reserved_tokens,");
    expect_in("out", ",false,\"reserved,default\",");
    CU_ASSERT_EQUAL(run(REC " --route-tiers default,bogus", bin, sample), 2);
    expect_in("err", "--route-tiers: \"bogus\" is not a tier: the accepted ones are reserved, "
                     "priority, default, flex");
}

/* simulate --route-tiers: per tier before and after in text, JSON and CSV. Default routed to
 * 200,000 / 20,000: it absorbs all of default; priority and flex stay in their tiers. */
static void test_simulate_by_tier(void)
{
    CU_ASSERT_EQUAL_FATAL(tiered_db(), 0);
    CU_ASSERT_EQUAL(run(SIM " --reserve-input-tpm 200000 --reserve-output-tpm 20000 "
                            "--route-tiers default",
                        bin, sample),
                    0);
    expect_in("out", "routed tiers: reserved,default\n");
    expect_in("out", "; tiers from: service_tier+resolved_tier\n");
    /* default: 4 minutes x 220,000 tokens, all reserved */
    expect_in("out", "\ndefault    yes             880,000 ");
    expect_in("out", "\nflex       no              132,000 ");
    CU_ASSERT_EQUAL(run(SIM " --reserve-input-tpm 200000 --reserve-output-tpm 20000 "
                            "--route-tiers default --format json",
                        bin, sample),
                    0);
    expect_in("out", "\"routed_tiers\":\t[\"reserved\", \"default\"]");
    expect_in("out", "\"reserved_tokens\":\t880000");
    CU_ASSERT_EQUAL(run(SIM " --reserve-input-tpm 200000 --reserve-output-tpm 20000 "
                            "--route-tiers default --format csv",
                        bin, sample),
                    0);
    expect_in("out", ",scale,routed_tiers,reserved_tokens,");
    expect_in("out", ",default_tokens,default_before_usd,default_reserved_tokens,");
    expect_in("out", ",\"reserved,default\",");
    /* without --route-tiers the columns are there, empty */
    CU_ASSERT_EQUAL(run(SIM " --reserve-input-tpm 200000 --reserve-output-tpm 20000 "
                            "--format csv",
                        bin, sample),
                    0);
    expect_in("out", ",1,,,,,,,,");
}

/* The shipped catalog does not offer Reserved for Nova: no reservation, the text says so with
 * the catalog's source and date; --assume-offered explores one and marks every output; a
 * catalog without reserved prices cannot explore: a usage error. */
static void test_offer(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db n.db '%s'/sample-nova-pro.json", bin, sample),
                          0);
    CU_ASSERT_EQUAL(run("'%s' recommend --db n.db --pricing '%s'/pricing.json --model " NOVA,
                        bin, sample),
                    0);
    expect_in("out", "Reserved tier not offered for " NOVA " (Amazon Bedrock user guide, 'Service");
    expect_in("out", "Haiku 4.5 only, as of 2026-02)\n");
    expect_in("out", "routed tiers: none (no reservation)\n");
    expect_in("out", "reason: the Reserved tier is not offered for this model (catalog entry \""
                     NOVA "\"): no\n        reservation; --assume-offered explores one\n");
    CU_ASSERT_EQUAL(run("'%s' recommend --db n.db --pricing '%s'/pricing.json --model " NOVA
                        " --assume-offered",
                        bin, sample),
                    0);
    expect_in("out", "ASSUMED OFFERED (--assume-offered): explored anyway\n");
    CU_ASSERT_EQUAL(run("'%s' recommend --db n.db --pricing '%s'/pricing.json --model " NOVA
                        " --assume-offered --format json",
                        bin, sample),
                    0);
    expect_in("out", "\"assumed_offered\":\ttrue");
    expect_in("out", "\"reserved_offered\":\tfalse");
    expect_in("out", "assumed offered: the catalog says the Reserved tier is not offered");
    CU_ASSERT_EQUAL(run("'%s' recommend --db n.db --pricing '%s'/pricing.json --model " NOVA
                        " --assume-offered --format csv",
                        bin, sample),
                    0);
    expect_in("out", ",true,\"reserved,default\",");
    write_file("np.json", "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
                          "\"models\":{\"" NOVA "\":{\"on_demand_per_million\":{\"input\":0.8,"
                          "\"output\":3.2,\"cache_read\":0.2,\"cache_write\":0.8}}}}");
    CU_ASSERT_EQUAL(run("'%s' recommend --db n.db --pricing np.json --model " NOVA
                        " --assume-offered",
                        bin, NULL),
                    2);
    expect_in("err", "--assume-offered: the catalog entry \"" NOVA "\" has no reserved prices");
}

/* --move-to-flex / --move-to-batch: the saving alone and with the reservation, in text and
 * JSON; shares outside 0-100 (or more than 100 in all) are usage errors. Per minute the
 * default traffic is 200,000 / 20,000: 30% to Flex is 66,000 tokens a minute, 264,000 over
 * the 4 minutes; 20% to Batch 176,000. */
static void test_move(void)
{
    CU_ASSERT_EQUAL_FATAL(tiered_db(), 0);
    CU_ASSERT_EQUAL(run(REC " --move-to-flex 30 --move-to-batch 20", bin, sample), 0);
    expect_in("out", "what-if: sized after moving 30% of default traffic to Flex and 20% to Batch");
    expect_in("out", "tier-mix what-if: 30% of default traffic to Flex, 20% to Batch\n");
    expect_in("out", "  moved: 264,000 tokens to Flex, 176,000 tokens to Batch\n");
    expect_in("out", "  moved, with the recommended reservation ");
    CU_ASSERT_EQUAL(run(REC " --move-to-flex 30 --move-to-batch 20 --format json", bin, sample),
                    0);
    expect_in("out", "\"move_to_flex_pct\":\t30");
    expect_in("out", "\"moved_to_batch_tokens\":\t176000");
    expect_in("out", "\"saving_alone_usd_per_month\":");
    expect_in("out", "\"with_reservation\":\t{");
    CU_ASSERT_EQUAL(run(REC " --format json", bin, sample), 0);
    expect_in("out", "\"tier_mix\":\tnull");
    CU_ASSERT_EQUAL(run(REC " --move-to-flex 101", bin, sample), 2);
    expect_in("err", "--move-to-flex: \"101\" is not a percentage from 0 to 100");
    CU_ASSERT_EQUAL(run(REC " --move-to-batch half", bin, sample), 2);
    expect_in("err", "--move-to-batch: \"half\" is not a percentage from 0 to 100");
    CU_ASSERT_EQUAL(run(REC " --move-to-flex 60 --move-to-batch 50", bin, sample), 2);
    expect_in("err", "(at most 100 in all)");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli_tiers", setup, teardown);
    CU_add_test(s, "route tiers", test_route_tiers);
    CU_add_test(s, "simulate by tier", test_simulate_by_tier);
    CU_add_test(s, "the Reserved offer", test_offer);
    CU_add_test(s, "tier-mix what-if", test_move);
}
