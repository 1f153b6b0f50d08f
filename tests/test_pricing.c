/* test_pricing.c - catalog validation (errors name the field) and model lookup. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/*
 * A reservation is billed 730 h a calendar month whatever its days (docs/model.md, "Terms"):
 * 20000 input TPM at 0.12 USD per 1K TPM-hour is 20 x 0.12 x 730 = 1752 USD in January (744 h)
 * and in February 2026 (672 h) alike, not 20 x 0.12 x 744 = 1785.60 and x 672 = 1612.80. A
 * part of a month is its share of the month's 730: 1 to 16 January (360 of 744 h) is
 * 730 x 360 / 744 = 353.2258 h; 15 February to 15 March (336 of 672 h in February, 336 of 744
 * in March) is 365 + 730 x 336 / 744 = 694.6774 h; a whole year 12 x 730 = 8760.
 */
static void test_billed_hours(void)
{
    const int64_t jan1 = 1767225600 / 60, feb1 = jan1 + 31 * 1440, mar1 = feb1 + 28 * 1440;
    CU_ASSERT_EQUAL(tp_pricing_billed_hours(jan1, feb1), 730);
    CU_ASSERT_EQUAL(tp_pricing_billed_hours(feb1, mar1), 730);
    CU_ASSERT_EQUAL(tp_pricing_billed_hours(jan1, mar1), 1460);
    ASSERT_NEAR(20 * 0.12 * tp_pricing_billed_hours(jan1, feb1), 1752, 1e-9);
    ASSERT_NEAR(20 * 0.12 * tp_pricing_billed_hours(feb1, mar1), 1752, 1e-9);
    ASSERT_NEAR(tp_pricing_billed_hours(jan1, jan1 + 15 * 1440), 730.0 * 360 / 744, 1e-9);
    ASSERT_NEAR(tp_pricing_billed_hours(feb1 + 14 * 1440, mar1 + 14 * 1440),
                365 + 730.0 * 336 / 744, 1e-9);
    CU_ASSERT_EQUAL(tp_pricing_billed_hours(jan1, jan1 + 365 * 1440), 12 * 730);
    CU_ASSERT_EQUAL(tp_pricing_billed_hours(feb1, feb1), 0);
    /* a leap February is a month as any: 2028-02 has 29 days, billed 730 */
    const int64_t feb2028 = 1832976000 / 60; /* 2028-02-01T00:00:00Z */
    CU_ASSERT_EQUAL(tp_pricing_billed_hours(feb2028, feb2028 + 29 * 1440), 730);
}

void register_tests(void);

#define MODEL(body) "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0}," \
                    "\"models\":{\"m\":" body "}}"
#define OD "\"on_demand_per_million\":{\"input\":3,\"output\":15,\"cache_read\":0.3," \
           "\"cache_write\":3.75}"

static tp_status parse(const char *json, tp_pricing **p, tp_error *err)
{
    return tp_pricing_parse("cat.json", json, strlen(json), p, err);
}

static void expect_error(const char *json, const char *needle)
{
    tp_pricing *p = NULL;
    tp_error err;
    tp_status rc = parse(json, &p, &err);
    CU_ASSERT_NOT_EQUAL(rc, TP_OK);
    CU_ASSERT_PTR_NULL(p);
    if (rc != TP_OK)
        ASSERT_CONTAINS(err.message, needle);
    tp_pricing_free(p);
}

static void test_valid_and_defaults(void)
{
    tp_pricing *p = NULL;
    tp_error err;
    tp_model_price mp;
    CU_ASSERT_EQUAL_FATAL(parse(MODEL("{" OD "}"), &p, &err), TP_OK);
    CU_ASSERT_EQUAL(strlen(tp_pricing_sha256(p)), 64);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "m", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.input_per_million_usd, 3);
    CU_ASSERT_EQUAL(mp.cache_write_per_million_usd, 3.75);
    CU_ASSERT(mp.reserved_input_per_1k_tpm_hour_usd < 0); /* none given */
    CU_ASSERT_EQUAL(mp.burn_down_cache_read, 0.1);
    CU_ASSERT_EQUAL(mp.burn_down_cache_write, 1.0);
    CU_ASSERT_EQUAL(mp.quota_output_weight, 1.0);
    CU_ASSERT_EQUAL(mp.reserved_step_tpm, 1000);
    CU_ASSERT_EQUAL(mp.n_terms, 1);
    CU_ASSERT_EQUAL(mp.tier_multiplier[TP_TIER_PRIORITY], 1.75);
    CU_ASSERT_EQUAL(mp.example_reserved, 0);
    /* nothing said about the Reserved offer: not offered, and no one to cite */
    CU_ASSERT_EQUAL(mp.reserved_offered, 0);
    CU_ASSERT_STRING_EQUAL(mp.reserved_offered_source, "");
    CU_ASSERT_STRING_EQUAL(mp.reserved_offered_as_of, "");
    for (int t = 0; t < TP_TIER_COUNT; t++)
        CU_ASSERT_EQUAL(mp.tier_price_published[t], 0);
    tp_pricing_free(p);
}

static int warned;
static void count_warning(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
    warned++;
}

static void test_lookup(void)
{
    const char *json =
        "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},\"models\":{"
        "\"anthropic.claude-x-v1:0\":{" OD "},\"*\":{\"on_demand_per_million\":{\"input\":1,"
        "\"output\":2,\"cache_read\":0.1,\"cache_write\":1}}}}";
    tp_pricing *p = NULL;
    tp_error err;
    tp_model_price mp;
    CU_ASSERT_EQUAL_FATAL(parse(json, &p, &err), TP_OK);
    const char *ids[] = {"anthropic.claude-x-v1:0", "us.anthropic.claude-x-v1:0",
                         "global.anthropic.claude-x-v1:0",
                         "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-x-v1:0",
                         ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
                          "eu.anthropic.claude-x-v1:0")};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        warned = 0;
        CU_ASSERT_EQUAL(tp_pricing_lookup(p, ids[i], &mp, count_warning, NULL, &err), TP_OK);
        CU_ASSERT_STRING_EQUAL(mp.entry, "anthropic.claude-x-v1:0");
        CU_ASSERT_EQUAL(warned, 0);
    }
    warned = 0;
    CU_ASSERT_EQUAL(tp_pricing_lookup(p, "meta.llama-z", &mp, count_warning, NULL, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(mp.entry, "*");
    CU_ASSERT_EQUAL(warned, 1);
    tp_pricing_free(p);

    /* without "*": a clear error naming the model, never a silent zero price */
    CU_ASSERT_EQUAL_FATAL(parse(MODEL("{" OD "}"), &p, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_pricing_lookup(p, "other", &mp, NULL, NULL, &err), TP_ERR_NOT_FOUND);
    ASSERT_CONTAINS(err.message, "cat.json: no price entry for model \"other\"");
    CU_ASSERT_EQUAL(tp_pricing_lookup(p,
                                      "arn:aws:bedrock:us-east-1:123456789012:"
                                      "application-inference-profile/abc123",
                                      &mp, NULL, NULL, &err),
                    TP_ERR_NOT_FOUND);
    ASSERT_CONTAINS(err.message, "an application inference profile ARN names no model");
    tp_pricing_free(p);
}

static void test_errors(void)
{
    expect_error("{\"currency\":\"USD\",", "cat.json:1: malformed JSON");
    expect_error("{\"currency\":\"EUR\",\"tiers\":{},\"models\":{}}",
                 "currency: must be \"USD\"");
    expect_error(MODEL("{\"on_demand_per_million\":{\"input\":-1,\"output\":15,"
                       "\"cache_read\":0.3,\"cache_write\":3.75}}"),
                 "cat.json: models.m.on_demand_per_million.input: negative value -1");
    expect_error(MODEL("{\"on_demand_per_million\":{\"input\":3,\"cache_read\":0.3,"
                       "\"cache_write\":3.75}}"),
                 "models.m.on_demand_per_million.output: missing");
    expect_error(MODEL("{\"on_demand_per_million\":{\"input\":\"3\",\"output\":15,"
                       "\"cache_read\":0.3,\"cache_write\":3.75}}"),
                 "models.m.on_demand_per_million.input: not a number");
    expect_error(MODEL("{" OD ",\"on_demand_per_milion\":{}}"),
                 "models.m.on_demand_per_milion: unknown field");
    expect_error("{\"currency\":\"USD\",\"tiers\":{\"standard\":1,\"priority\":1.75,"
                 "\"turbo\":3},\"models\":{}}",
                 "tiers.turbo: unknown tier");
    expect_error("{\"currency\":\"USD\",\"tiers\":{\"standard\":1},\"models\":{}}",
                 "tiers.priority: missing");
    expect_error(MODEL("{" OD ",\"reserved_term_discount\":{\"3\":1.2}}"),
                 "models.m.reserved_term_discount.3: a discount factor is in (0, 1]");
    expect_error(MODEL("{" OD ",\"reserved_term_discount\":{\"three\":0.9}}"),
                 "a term is a whole number of months");
    expect_error(MODEL("{" OD ",\"reserved_step_tpm\":0}"), "reserved_step_tpm: must be positive");
    expect_error(MODEL("{" OD ",\"reserved_per_1k_tpm_hour\":{\"input\":0.1}}"),
                 "models.m.reserved_per_1k_tpm_hour.output: missing");
}

/* A catalog with priority 1.75, standard 1 and flex 0.5 (no batch multiplier), and entries
 * whose Standard prices are 3 / 15 / 0.3 / 3.75 per million (OD). */
#define TIERED(models) "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0," \
                       "\"flex\":0.5},\"models\":{" models "}}"
#define BY_TIER(body) "\"on_demand_per_million_by_tier\":{" body "}"

static void expect_prices(const tp_model_price *mp, tp_tier t, double in, double out, double cr,
                          double cw, int published)
{
    CU_ASSERT_DOUBLE_EQUAL(mp->tier_per_million_usd[t][TP_METRIC_INPUT], in, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(mp->tier_per_million_usd[t][TP_METRIC_OUTPUT], out, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(mp->tier_per_million_usd[t][TP_METRIC_CACHE_READ], cr, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(mp->tier_per_million_usd[t][TP_METRIC_CACHE_WRITE], cw, 1e-12);
    CU_ASSERT_EQUAL(mp->tier_price_published[t], published);
}

/* Prices per tier: published where the entry gives them, else Standard x the multiplier (the
 * entry's own over the catalog's), NAN where there is neither. */
static void test_tier_prices(void)
{
    const char *json = TIERED(
        /* a: publishes Priority at 2x Standard, unlike the catalog's example 1.75: the
         * published price wins, the catalog's multipliers are examples */
        "\"a\":{" OD "," BY_TIER("\"priority\":{\"input\":6,\"output\":30,\"cache_read\":0.6,"
                                 "\"cache_write\":7.5,\"source\":\"a page\",\"as_of\":\"2026-02\"}") "},"
        /* b: its own flex 0.4 and batch 0.5 multipliers, and flex prices that agree with
         * 0.4: 3 x 0.4 = 1.2, 15 x 0.4 = 6, 0.3 x 0.4 = 0.12, 3.75 x 0.4 = 1.5 */
        "\"b\":{" OD ",\"tiers\":{\"flex\":0.4,\"batch\":0.5}," BY_TIER(
            "\"flex\":{\"input\":1.2,\"output\":6,\"cache_read\":0.12,\"cache_write\":1.5}") "}");
    tp_pricing *p = NULL;
    tp_error err;
    tp_model_price mp;
    CU_ASSERT_EQUAL_FATAL(parse(json, &p, &err), TP_OK);

    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "a", &mp, NULL, NULL, &err), TP_OK);
    /* Standard: 3 / 15 / 0.3 / 3.75 x 1.0, derived (the on-demand prices themselves) */
    expect_prices(&mp, TP_TIER_STANDARD, 3, 15, 0.3, 3.75, 0);
    expect_prices(&mp, TP_TIER_PRIORITY, 6, 30, 0.6, 7.5, 1);
    /* Flex from the catalog's 0.5: 3 x 0.5 = 1.5, 15 x 0.5 = 7.5, 0.3 x 0.5 = 0.15,
     * 3.75 x 0.5 = 1.875 */
    expect_prices(&mp, TP_TIER_FLEX, 1.5, 7.5, 0.15, 1.875, 0);
    /* Batch: no multiplier and no published price */
    for (int k = 0; k < TP_METRIC_COUNT; k++)
        CU_ASSERT(isnan(mp.tier_per_million_usd[TP_TIER_BATCH][k]));
    CU_ASSERT_EQUAL(mp.tier_price_published[TP_TIER_BATCH], 0);
    CU_ASSERT_EQUAL(mp.tier_multiplier[TP_TIER_FLEX], 0.5);

    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "b", &mp, NULL, NULL, &err), TP_OK);
    expect_prices(&mp, TP_TIER_FLEX, 1.2, 6, 0.12, 1.5, 1);
    /* Priority from the catalog's 1.75: 3 x 1.75 = 5.25, 15 x 1.75 = 26.25,
     * 0.3 x 1.75 = 0.525, 3.75 x 1.75 = 6.5625 */
    expect_prices(&mp, TP_TIER_PRIORITY, 5.25, 26.25, 0.525, 6.5625, 0);
    /* Batch from the entry's own 0.5: 1.5 / 7.5 / 0.15 / 1.875 */
    expect_prices(&mp, TP_TIER_BATCH, 1.5, 7.5, 0.15, 1.875, 0);
    CU_ASSERT_EQUAL(mp.tier_multiplier[TP_TIER_FLEX], 0.4);
    CU_ASSERT_EQUAL(mp.tier_multiplier[TP_TIER_BATCH], 0.5);
    CU_ASSERT_EQUAL(mp.tier_multiplier[TP_TIER_PRIORITY], 1.75);
    tp_pricing_free(p);
}

/* A tier price that contradicts the entry's own multiplier names the entry and the field; so
 * do malformed tier prices. */
static void test_tier_price_errors(void)
{
    /* flex 0.5 x cache_write 3.75 = 1.875, but 2 is given; the other three agree */
    expect_error(MODEL("{" OD ",\"tiers\":{\"flex\":0.5}," BY_TIER(
                     "\"flex\":{\"input\":1.5,\"output\":7.5,\"cache_read\":0.15,"
                     "\"cache_write\":2}") "}"),
                 "cat.json: models.m.on_demand_per_million_by_tier.flex.cache_write: 2 "
                 "contradicts the entry's tiers.flex: 0.5 x on_demand_per_million.cache_write "
                 "3.75 = 1.875");
    /* priority 2 x input 3 = 6, but 5.25 (the catalog's 1.75) is given */
    expect_error(MODEL("{" OD ",\"tiers\":{\"priority\":2}," BY_TIER(
                     "\"priority\":{\"input\":5.25,\"output\":30,\"cache_read\":0.6,"
                     "\"cache_write\":7.5}") "}"),
                 "models.m.on_demand_per_million_by_tier.priority.input: 5.25 contradicts the "
                 "entry's tiers.priority: 2 x on_demand_per_million.input 3 = 6");
    expect_error(MODEL("{" OD "," BY_TIER("\"standard\":{\"input\":3,\"output\":15,"
                                          "\"cache_read\":0.3,\"cache_write\":3.75}") "}"),
                 "models.m.on_demand_per_million_by_tier.standard: the Standard price is "
                 "on_demand_per_million");
    expect_error(MODEL("{" OD "," BY_TIER("\"turbo\":{}") "}"),
                 "models.m.on_demand_per_million_by_tier.turbo: unknown tier (priority, flex, "
                 "batch)");
    expect_error(MODEL("{" OD "," BY_TIER("\"flex\":{\"input\":1.5,\"cache_read\":0.15,"
                                          "\"cache_write\":1.875}") "}"),
                 "models.m.on_demand_per_million_by_tier.flex.output: missing");
    expect_error(MODEL("{" OD "," BY_TIER("\"flex\":{\"input\":-1,\"output\":7.5,"
                                          "\"cache_read\":0.15,\"cache_write\":1.875}") "}"),
                 "models.m.on_demand_per_million_by_tier.flex.input: negative value -1");
    expect_error(MODEL("{" OD "," BY_TIER("\"flex\":{\"input\":2e6,\"output\":7.5,"
                                          "\"cache_read\":0.15,\"cache_write\":1.875}") "}"),
                 "models.m.on_demand_per_million_by_tier.flex.input: 2000000 is outside "
                 "0..1000000");
    expect_error(MODEL("{" OD "," BY_TIER("\"flex\":{\"input\":1.5,\"output\":7.5,"
                                          "\"cache_read\":0.15,\"cache_write\":1.875,"
                                          "\"inptu\":1}") "}"),
                 "models.m.on_demand_per_million_by_tier.flex.inptu: unknown field");
    expect_error(MODEL("{" OD "," BY_TIER("\"flex\":3") "}"),
                 "models.m.on_demand_per_million_by_tier.flex: not an object");
    expect_error(MODEL("{" OD ",\"tiers\":{\"turbo\":2}}"), "models.m.tiers.turbo: unknown tier");
    expect_error(MODEL("{" OD ",\"tiers\":{\"flex\":101}}"),
                 "models.m.tiers.flex: 101 is outside 0..100");
}

/* Whether the Reserved tier is sold: the entry's reserved_offered, else the catalog's default,
 * else whether the entry has reserved prices; source and as_of the entry's, else the catalog's. */
static void test_reserved_offered(void)
{
    const char *json =
        "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
        "\"reserved_offered_source\":\"the guide\",\"reserved_offered_as_of\":\"2026-02\","
        "\"models\":{"
        "\"yes\":{" OD ",\"reserved_offered\":true,\"reserved_minimum_tpm\":{\"input\":100000,"
        "\"output\":10000}},"
        "\"own\":{" OD ",\"reserved_offered\":true,\"reserved_offered_source\":\"my quote\","
        "\"reserved_offered_as_of\":\"2026-03-01\"},"
        "\"no\":{" OD ",\"reserved_offered\":false},"
        "\"silent\":{" OD "},"
        "\"priced\":{" OD ",\"reserved_per_1k_tpm_hour\":{\"input\":0.12,\"output\":0.6}}}}";
    tp_pricing *p = NULL;
    tp_error err;
    tp_model_price mp;
    CU_ASSERT_EQUAL_FATAL(parse(json, &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "yes", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.reserved_offered, 1);
    CU_ASSERT_STRING_EQUAL(mp.reserved_offered_source, "the guide");
    CU_ASSERT_STRING_EQUAL(mp.reserved_offered_as_of, "2026-02");
    CU_ASSERT_EQUAL(mp.reserved_minimum_input_tpm, 100000);
    CU_ASSERT_EQUAL(mp.reserved_minimum_output_tpm, 10000);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "own", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.reserved_offered, 1);
    CU_ASSERT_STRING_EQUAL(mp.reserved_offered_source, "my quote");
    CU_ASSERT_STRING_EQUAL(mp.reserved_offered_as_of, "2026-03-01");
    CU_ASSERT_EQUAL(mp.reserved_minimum_input_tpm, 0); /* no minimum given */
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "no", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.reserved_offered, 0);
    CU_ASSERT_STRING_EQUAL(mp.reserved_offered_source, "the guide");
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "silent", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.reserved_offered, 0); /* the catalog gives no default: not offered */
    /* nor reserved prices; an entry with them, in a catalog that says nothing, is offered:
     * a catalog written before the flag claimed so by pricing the reservation */
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "priced", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.reserved_offered, 1);
    tp_pricing_free(p);

    /* the catalog's default applies to entries that say nothing, "*" included */
    const char *dflt = "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
                       "\"reserved_offered_default\":true,\"models\":{\"*\":{" OD "},"
                       "\"no\":{" OD ",\"reserved_offered\":false}}}";
    CU_ASSERT_EQUAL_FATAL(parse(dflt, &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "other", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(mp.entry, "*");
    CU_ASSERT_EQUAL(mp.reserved_offered, 1);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "no", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.reserved_offered, 0);
    tp_pricing_free(p);

    expect_error(MODEL("{" OD ",\"reserved_offered\":\"yes\"}"),
                 "cat.json: models.m.reserved_offered: not true or false");
    expect_error(MODEL("{" OD ",\"reserved_offered_source\":1}"),
                 "models.m.reserved_offered_source: not a string");
    expect_error(MODEL("{" OD ",\"reserved_offered_as_of\":\"2026-02-01 according to the "
                       "account team\"}"),
                 "models.m.reserved_offered_as_of: 40 characters (at most 31)");
    expect_error("{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
                 "\"reserved_offered_default\":1,\"models\":{}}",
                 "cat.json: $.reserved_offered_default: not true or false");
}

/* The shipped catalog loads, and its reserved prices are marked as examples. */
static void test_shipped_catalog(void)
{
    char path[1024];
    const char *dir = getenv("TP_SAMPLE_DATA");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    snprintf(path, sizeof path, "%s/pricing.json", dir);
    tp_pricing *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_pricing_load(path, &p, &err), TP_OK);
    tp_model_price mp;
    CU_ASSERT_EQUAL(tp_pricing_lookup(p, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", &mp,
                                      NULL, NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(mp.input_per_million_usd, 3.0);
    CU_ASSERT_EQUAL(mp.cache_read_per_million_usd, 0.30);
    CU_ASSERT_EQUAL(mp.example_reserved, 1);
    /* Bedrock's Reserved tier is sold for 1 or 3 months (6 months is Provisioned Throughput) */
    CU_ASSERT_EQUAL(mp.n_terms, 2);
    CU_ASSERT_EQUAL(mp.term_months[0], 1);
    CU_ASSERT_EQUAL(mp.term_months[1], 3);
    /* Claude 4-generation output burns quota at 5x (Bedrock: "How tokens are counted") */
    CU_ASSERT_EQUAL(mp.quota_output_weight, 5.0);
    CU_ASSERT_EQUAL(tp_pricing_lookup(p, "amazon.nova-pro-v1:0", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.quota_output_weight, 1.0);
    CU_ASSERT_EQUAL(mp.n_terms, 2);
    CU_ASSERT_EQUAL(mp.term_months[1], 3);
    /* Nova Pro bills cache reads at 25% of input (0.20 / 0.80), so they burn 0.25 */
    CU_ASSERT_EQUAL(mp.burn_down_cache_read, 0.25);
    CU_ASSERT_EQUAL(mp.burn_down_cache_read_origin, TP_FACTOR_DERIVED);
    CU_ASSERT_EQUAL(mp.burn_down_cache_write, 1.0);
    CU_ASSERT_EQUAL(mp.burn_down_cache_write_origin, TP_FACTOR_DEFAULT);
    /* Nova bills a cache write at no extra charge: as regular input, not free */
    CU_ASSERT_EQUAL(mp.cache_write_per_million_usd, mp.input_per_million_usd);
    /* no Reserved tier for Nova (Bedrock user guide, "Service tiers", 2026-02) */
    CU_ASSERT_EQUAL(mp.reserved_offered, 0);
    CU_ASSERT_STRING_EQUAL(mp.reserved_offered_as_of, "2026-02");
    /* no published Flex price: Standard 0.80 x the catalog's example 0.5 = 0.40 */
    CU_ASSERT_EQUAL(mp.tier_price_published[TP_TIER_FLEX], 0);
    CU_ASSERT_DOUBLE_EQUAL(mp.tier_per_million_usd[TP_TIER_FLEX][TP_METRIC_INPUT], 0.40, 1e-12);
    /* Reserved is offered for Opus 4.6, Opus 4.5, Sonnet 4.5 and Haiku 4.5 only, each with
     * Bedrock's minimums of 100,000 input and 10,000 output TPM */
    const char *offered[] = {"global.anthropic.claude-opus-4-6-v1",
                             "us.anthropic.claude-opus-4-5-20251101-v1:0",
                             "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
                             "anthropic.claude-haiku-4-5-20251001-v1:0"};
    for (size_t i = 0; i < sizeof offered / sizeof offered[0]; i++) {
        CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, offered[i], &mp, NULL, NULL, &err), TP_OK);
        CU_ASSERT_EQUAL(mp.reserved_offered, 1);
        CU_ASSERT_EQUAL(mp.reserved_minimum_input_tpm, 100000);
        CU_ASSERT_EQUAL(mp.reserved_minimum_output_tpm, 10000);
        ASSERT_CONTAINS(mp.reserved_offered_source, "Service tiers");
        CU_ASSERT_STRING_EQUAL(mp.reserved_offered_as_of, "2026-02");
    }
    /* Opus 4.6 and 4.5: $5 / $25, cache read 0.1x, 5-minute cache write 1.25x (5 x 1.25) */
    CU_ASSERT_EQUAL(tp_pricing_lookup(p, "anthropic.claude-opus-4-6-v1", &mp, NULL, NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(mp.input_per_million_usd, 5.0);
    CU_ASSERT_EQUAL(mp.output_per_million_usd, 25.0);
    CU_ASSERT_EQUAL(mp.cache_write_per_million_usd, 6.25);
    CU_ASSERT_EQUAL(mp.burn_down_cache_read, 0.1); /* 0.50 / 5.00 */
    const char *not_offered[] = {"anthropic.claude-opus-4-1-20250805-v1:0",
                                 "anthropic.claude-3-5-haiku-20241022-v1:0",
                                 "amazon.nova-lite-v1:0", "amazon.nova-micro-v1:0"};
    for (size_t i = 0; i < sizeof not_offered / sizeof not_offered[0]; i++) {
        CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, not_offered[i], &mp, NULL, NULL, &err),
                              TP_OK);
        CU_ASSERT_EQUAL(mp.reserved_offered, 0);
    }
    tp_pricing_free(p);
    CU_ASSERT_EQUAL(tp_pricing_load("/nonexistent/pricing.json", &p, &err), TP_ERR_IO);
    CU_ASSERT_PTR_NULL(p);
}

/* A cache-read token burns reserved capacity at the model's cache-read discount: without an
 * explicit factor, cache_read / input; cache writes are never derived. */
static void test_burn_down_origin(void)
{
    static const struct {
        const char *body;
        double f_read, w_write;
        tp_factor_origin read_origin, write_origin;
    } cases[] = {
        /* 0.3 / 3 = 0.1 (rounded to 9 decimals: exactly the double 0.1) */
        {"{" OD "}", 0.1, 1.0, TP_FACTOR_DERIVED, TP_FACTOR_DEFAULT},
        /* Nova-like: 0.20 / 0.80 = 0.25; a free cache write still burns 1.0 */
        {"{\"on_demand_per_million\":{\"input\":0.8,\"output\":3.2,\"cache_read\":0.2,"
         "\"cache_write\":0}}",
         0.25, 1.0, TP_FACTOR_DERIVED, TP_FACTOR_DEFAULT},
        /* explicit wins over the prices (0.3 / 3 would be 0.1) */
        {"{" OD ",\"burn_down\":{\"cache_read\":0.2,\"cache_write\":0.5}}", 0.2, 0.5,
         TP_FACTOR_EXPLICIT, TP_FACTOR_EXPLICIT},
        /* only cache_write given: cache_read still derived */
        {"{" OD ",\"burn_down\":{\"cache_write\":1.25}}", 0.1, 1.25, TP_FACTOR_DERIVED,
         TP_FACTOR_EXPLICIT},
        /* a free input token gives nothing to divide by: the default 0.1 */
        {"{\"on_demand_per_million\":{\"input\":0,\"output\":1,\"cache_read\":0,"
         "\"cache_write\":0}}",
         0.1, 1.0, TP_FACTOR_DEFAULT, TP_FACTOR_DEFAULT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[1024];
        snprintf(json, sizeof json,
                 "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},"
                 "\"models\":{\"m\":%s}}",
                 cases[i].body);
        tp_pricing *p = NULL;
        tp_error err;
        tp_model_price mp;
        CU_ASSERT_EQUAL_FATAL(parse(json, &p, &err), TP_OK);
        CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "m", &mp, NULL, NULL, &err), TP_OK);
        CU_ASSERT_EQUAL(mp.burn_down_cache_read, cases[i].f_read);
        CU_ASSERT_EQUAL(mp.burn_down_cache_write, cases[i].w_write);
        CU_ASSERT_EQUAL(mp.burn_down_cache_read_origin, cases[i].read_origin);
        CU_ASSERT_EQUAL(mp.burn_down_cache_write_origin, cases[i].write_origin);
        tp_pricing_free(p);
    }
    CU_ASSERT_STRING_EQUAL(tp_pricing_factor_origin_name(TP_FACTOR_DERIVED), "derived from prices");
}

/* Catalog numbers are bounded and every key is given once: a typo never becomes an infinite
 * cost, an absurd grid or a silently ignored second value. */
static void test_bounds_and_duplicates(void)
{
    expect_error(MODEL("{\"on_demand_per_million\":{\"input\":2e6,\"output\":15,"
                       "\"cache_read\":0.3,\"cache_write\":3.75}}"),
                 "models.m.on_demand_per_million.input: 2000000 is outside 0..1000000");
    expect_error(MODEL("{" OD ",\"reserved_per_1k_tpm_hour\":{\"input\":1e300,\"output\":1}}"),
                 "models.m.reserved_per_1k_tpm_hour.input: 1e+300 is outside 0..1000000");
    expect_error(MODEL("{" OD ",\"reserved_step_tpm\":1e300}"),
                 "models.m.reserved_step_tpm: 1e+300 is outside 1..1000000000");
    expect_error(MODEL("{" OD ",\"reserved_step_tpm\":0.5}"),
                 "models.m.reserved_step_tpm: 0.5 is outside 1..1000000000");
    expect_error(MODEL("{" OD ",\"quota_output_weight\":101}"),
                 "models.m.quota_output_weight: 101 is outside 0..100");
    expect_error(MODEL("{" OD ",\"burn_down\":{\"cache_read\":1000}}"),
                 "models.m.burn_down.cache_read: 1000 is outside 0..100");
    expect_error("{\"currency\":\"USD\",\"tiers\":{\"standard\":1,\"priority\":175},"
                 "\"models\":{}}",
                 "tiers.priority: 175 is outside 0..100");
    /* duplicates: a model, a field, a term written two ways, a tier */
    expect_error("{\"currency\":\"USD\",\"tiers\":{\"standard\":1,\"priority\":1.75},"
                 "\"models\":{\"m\":{" OD "},\"m\":{" OD "}}}",
                 "cat.json: models.m: given twice");
    expect_error(MODEL("{\"on_demand_per_million\":{\"input\":3,\"input\":4,\"output\":15,"
                       "\"cache_read\":0.3,\"cache_write\":3.75}}"),
                 "models.m.on_demand_per_million.input: given twice");
    expect_error(MODEL("{" OD ",\"reserved_term_discount\":{\"3\":0.9,\"03\":0.8}}"),
                 "models.m.reserved_term_discount.03: the 3-month term is given twice");
    expect_error("{\"currency\":\"USD\",\"tiers\":{\"standard\":1,\"priority\":1.75,"
                 "\"standard\":2},\"models\":{}}",
                 "tiers.standard: given twice");
    /* a directory given as the catalog says so */
    tp_pricing *p = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_pricing_load("/tmp", &p, &err), TP_ERR_IO);
    ASSERT_CONTAINS(err.message, "/tmp: is a directory");
    CU_ASSERT_PTR_NULL(p);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("pricing", NULL, NULL);
    ADD(s, test_valid_and_defaults);
    ADD(s, test_lookup);
    ADD(s, test_errors);
    ADD(s, test_shipped_catalog);
    ADD(s, test_burn_down_origin);
    ADD(s, test_bounds_and_duplicates);
    ADD(s, test_tier_prices);
    ADD(s, test_tier_price_errors);
    ADD(s, test_reserved_offered);
    ADD(s, test_billed_hours);
}
