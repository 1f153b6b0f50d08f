/* test_units.c - unit-based reservations (Azure PTU, Vertex GSU; OpenAI Scale Tier and xAI's
 * two pools): the catalog's `units`
 * (errors name the entry and field), the engine's figures worked by hand, and its optimum and
 * reservation split against brute force. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

void register_tests(void);

#define CAT(body) "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0}," \
                  "\"models\":{\"m\":" body "}}"
#define OD "\"on_demand_per_million\":{\"input\":3,\"output\":15,\"cache_read\":0.3," \
           "\"cache_write\":3.75}"
#define AZ_UNITS "\"input_tpm_per_unit\":3000,\"output_weight\":4,\"cache_read_weight\":0," \
                 "\"cache_write_weight\":1,\"minimum_units\":15,\"step_units\":5"
#define AZURE(extra) CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{" AZ_UNITS extra "}}")

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
    if (rc != TP_OK && strstr(err.message, needle) == NULL)
        fprintf(stderr, "error \"%s\" lacks \"%s\"\n", err.message, needle);
    if (rc != TP_OK)
        ASSERT_CONTAINS(err.message, needle);
    tp_pricing_free(p);
}

static void test_catalog_units(void)
{
    tp_pricing *p = NULL;
    tp_error err;
    tp_model_price mp;
    /* a price per hour as a number is the hourly term */
    CU_ASSERT_EQUAL_FATAL(
        parse(AZURE(",\"per_unit_hour\":1,\"overflow\":\"spill\""), &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "m", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_AZURE_PTU);
    CU_ASSERT_STRING_EQUAL(mp.unit.name, "PTU");
    CU_ASSERT_EQUAL(mp.unit.capacity_tpm_per_unit, 3000);
    CU_ASSERT_EQUAL(mp.unit.per_second, 0);
    CU_ASSERT_EQUAL(mp.unit.output_weight, 4);
    CU_ASSERT_EQUAL(mp.unit.minimum_units, 15);
    CU_ASSERT_EQUAL(mp.unit.step_units, 5);
    CU_ASSERT_EQUAL(mp.unit.per_unit_hour_usd[TP_UNIT_HOURLY], 1);
    CU_ASSERT(mp.unit.per_unit_hour_usd[TP_UNIT_1_MONTH] < 0);
    CU_ASSERT_EQUAL(mp.unit.throttle, 0);
    tp_pricing_free(p);
    /* Vertex: tokens per second x 60 is the capacity a minute; prices by term; throttle */
    const char *vertex = CAT(
        "{" OD ",\"provider\":\"vertex-gsu\",\"units\":{\"tokens_per_second_per_unit\":650,"
        "\"output_weight\":8,\"cache_read_weight\":0.1,\"cache_write_weight\":1,"
        "\"minimum_units\":1,\"step_units\":1,\"per_unit_hour\":{\"1_week\":3,\"1_year\":2},"
        "\"overflow\":\"throttle\",\"example\":true,\"capacity_example\":true}}");
    CU_ASSERT_EQUAL_FATAL(parse(vertex, &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "m", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_VERTEX_GSU);
    CU_ASSERT_STRING_EQUAL(mp.unit.name, "GSU");
    CU_ASSERT_EQUAL(mp.unit.capacity_tpm_per_unit, 650 * 60);
    CU_ASSERT_EQUAL(mp.unit.per_second, 1);
    CU_ASSERT(mp.unit.per_unit_hour_usd[TP_UNIT_HOURLY] < 0);
    CU_ASSERT_EQUAL(mp.unit.per_unit_hour_usd[TP_UNIT_1_WEEK], 3);
    CU_ASSERT_EQUAL(mp.unit.per_unit_hour_usd[TP_UNIT_1_YEAR], 2);
    CU_ASSERT_EQUAL(mp.unit.throttle, 1);
    CU_ASSERT_EQUAL(mp.unit.example, 1);
    CU_ASSERT_EQUAL(mp.unit.capacity_example, 1);
    tp_pricing_free(p);
    /* an entry without provider is Bedrock, as before */
    CU_ASSERT_EQUAL_FATAL(parse(CAT("{" OD "}"), &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "m", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_BEDROCK);
    tp_pricing_free(p);
    CU_ASSERT_STRING_EQUAL(tp_pricing_provider_name(TP_PROVIDER_AZURE_PTU), "azure-ptu");
    CU_ASSERT_STRING_EQUAL(tp_pricing_unit_term_name(TP_UNIT_3_MONTHS), "3_months");
}

static void test_catalog_unit_errors(void)
{
    /* Bedrock's reservation fields on a unit entry: refused, naming entry and field */
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"reserved_per_1k_tpm_hour\":"
                     "{\"input\":1,\"output\":1},\"units\":{" AZ_UNITS
                     ",\"per_unit_hour\":1,\"overflow\":\"spill\"}}"),
                 "cat.json: models.m.reserved_per_1k_tpm_hour: a Bedrock field");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"burn_down\":{\"cache_read\":0.1},"
                     "\"units\":{" AZ_UNITS ",\"per_unit_hour\":1,\"overflow\":\"spill\"}}"),
                 "models.m.burn_down: a Bedrock field");
    expect_error(CAT("{" OD ",\"provider\":\"vertex-gsu\",\"quota_output_weight\":5,"
                     "\"units\":{" AZ_UNITS ",\"per_unit_hour\":1,\"overflow\":\"spill\"}}"),
                 "models.m.quota_output_weight: a Bedrock field");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"reserved_offered\":true,"
                     "\"units\":{" AZ_UNITS ",\"per_unit_hour\":1,\"overflow\":\"spill\"}}"),
                 "models.m.reserved_offered: a Bedrock field");
    /* weights: output at least 1, cached within [0, output] */
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":1,"
                     "\"output_weight\":0.5,\"cache_read_weight\":0,\"cache_write_weight\":0,"
                     "\"minimum_units\":1,\"step_units\":1,\"per_unit_hour\":1,"
                     "\"overflow\":\"spill\"}}"),
                 "models.m.units.output_weight: 0.5 is below 1");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":1,"
                     "\"output_weight\":4,\"cache_read_weight\":0,\"cache_write_weight\":5,"
                     "\"minimum_units\":1,\"step_units\":1,\"per_unit_hour\":1,"
                     "\"overflow\":\"spill\"}}"),
                 "models.m.units.cache_write_weight: 5 is above output_weight 4");
    /* a term at or above the hourly price */
    expect_error(AZURE(",\"per_unit_hour\":{\"hourly\":1,\"1_month\":1},\"overflow\":\"spill\""),
                 "models.m.units.per_unit_hour.1_month: 1 is not below the hourly price 1");
    expect_error(AZURE(",\"per_unit_hour\":{\"hourly\":1,\"1_year\":1.2},\"overflow\":\"spill\""),
                 "models.m.units.per_unit_hour.1_year: 1.2 is not below the hourly price 1");
    /* spill needs input and output on-demand prices above 0; throttle does not */
    expect_error(CAT("{\"on_demand_per_million\":{\"input\":0,\"output\":15,\"cache_read\":0.3,\"cache_write\":3.75},"
                     "\"provider\":\"azure-ptu\",\"units\":{" AZ_UNITS
                     ",\"per_unit_hour\":1,\"overflow\":\"spill\"}}"),
                 "models.m.on_demand_per_million.input: 0; overflow \"spill\" needs");
    expect_error(CAT("{\"on_demand_per_million\":{\"input\":3,\"output\":0,\"cache_read\":0.3,\"cache_write\":3.75},"
                     "\"provider\":\"azure-ptu\",\"units\":{" AZ_UNITS
                     ",\"per_unit_hour\":1,\"overflow\":\"spill\"}}"),
                 "models.m.on_demand_per_million.output: 0; overflow");
    {
        tp_pricing *p = NULL;
        tp_error err;
        const char *ok = CAT("{\"on_demand_per_million\":{\"input\":0,\"output\":0,\"cache_read\":0.3,\"cache_write\":3.75},"
                             "\"provider\":\"azure-ptu\",\"units\":{" AZ_UNITS
                             ",\"per_unit_hour\":1,\"overflow\":\"throttle\"}}");
        CU_ASSERT_EQUAL(parse(ok, &p, &err), TP_OK);
        tp_pricing_free(p);
    }
    expect_error(CAT("{" OD ",\"provider\":\"aws\"}"),
                 "cat.json: models.m.provider: unknown provider \"aws\"");
    expect_error(CAT("{" OD ",\"provider\":3}"), "models.m.provider: not a string");
    expect_error(CAT("{" OD ",\"provider\":\"alibaba\"}"),
                 "models.m.provider: alibaba reserves TPM per day within chosen 8-hour time "
                 "windows, which tierplan does not plan yet");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\"}"), "models.m.units: missing");
    expect_error(CAT("{" OD ",\"units\":{}}"), "models.m.units: only for a unit-based provider");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"output_weight\":4}}"),
                 "models.m.units: give one of input_tpm_per_unit and tokens_per_second");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":1,"
                     "\"tokens_per_second_per_unit\":1}}"),
                 "models.m.units: give one of");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":1}}"),
                 "models.m.units.output_weight: missing");
    expect_error(AZURE(",\"overflow\":\"spill\""), "models.m.units.per_unit_hour: missing");
    expect_error(AZURE(",\"per_unit_hour\":1"), "models.m.units.overflow: missing");
    expect_error(AZURE(",\"per_unit_hour\":1,\"overflow\":\"drop\""),
                 "models.m.units.overflow: \"spill\" or \"throttle\"");
    expect_error(AZURE(",\"per_unit_hour\":0,\"overflow\":\"spill\""),
                 "models.m.units.per_unit_hour: 0 is outside 0..1000000");
    expect_error(AZURE(",\"per_unit_hour\":{\"1_month\":2e6},\"overflow\":\"spill\""),
                 "models.m.units.per_unit_hour.1_month: 2000000 is outside 0..1000000");
    expect_error(AZURE(",\"per_unit_hour\":{\"2_years\":1},\"overflow\":\"spill\""),
                 "models.m.units.per_unit_hour.2_years: unknown field");
    expect_error(AZURE(",\"per_unit_hour\":{},\"overflow\":\"spill\""),
                 "models.m.units.per_unit_hour: no term");
    expect_error(AZURE(",\"per_unit_hour\":\"1\",\"overflow\":\"spill\""),
                 "models.m.units.per_unit_hour: a price per unit-hour, or an object by term");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"name\":\"<b>\"}}"),
                 "models.m.units.name: 1 to 15 letters and digits");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"name\":\"<b>\"}}"),
                 "models.m.units.name: 1 to 15 letters and digits");
    expect_error(AZURE(",\"per_unit_hour\":1,\"overflow\":\"spill\",\"capacity_example\":1"),
                 "models.m.units.capacity_example");
    expect_error(AZURE(",\"per_unit_hour\":1,\"overflow\":\"spill\",\"colour\":1"),
                 "models.m.units.colour: unknown field");
    /* weights, capacities and unit counts out of range */
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":1,"
                     "\"output_weight\":200}}"),
                 "models.m.units.output_weight: 200 is outside 0..100");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":1,"
                     "\"output_weight\":1,\"cache_read_weight\":-0.5}}"),
                 "models.m.units.cache_read_weight: negative value -0.5");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":0}}"),
                 "models.m.units.input_tpm_per_unit: 0 is outside 0..1000000000");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":1,"
                     "\"output_weight\":1,\"cache_read_weight\":0,\"cache_write_weight\":1,"
                     "\"minimum_units\":2.5}}"),
                 "models.m.units.minimum_units: a whole number of units from 1 to 1000000");
    expect_error(CAT("{" OD ",\"provider\":\"azure-ptu\",\"units\":{\"input_tpm_per_unit\":1,"
                     "\"output_weight\":1,\"cache_read_weight\":0,\"cache_write_weight\":1,"
                     "\"minimum_units\":1,\"step_units\":0}}"),
                 "models.m.units.step_units: a whole number");
}

/* The shipped catalog's unit entries: the published figures of docs/pricing.md. */
static void test_shipped_units(void)
{
    tp_pricing *p = NULL;
    tp_error err;
    tp_model_price mp;
    char path[1024];
    const char *dir = getenv("TP_SAMPLE_DATA");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    snprintf(path, sizeof path, "%s/pricing.json", dir);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_load(path, &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "gpt-4.1", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_AZURE_PTU);
    CU_ASSERT_EQUAL(mp.unit.capacity_tpm_per_unit, 3000);
    CU_ASSERT_EQUAL(mp.unit.output_weight, 4);
    CU_ASSERT_EQUAL(mp.unit.cache_read_weight, 0);
    CU_ASSERT_EQUAL(mp.unit.minimum_units, 15);
    CU_ASSERT_EQUAL(mp.unit.step_units, 5);
    CU_ASSERT_EQUAL(mp.unit.capacity_example, 0); /* read from the page */
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "gpt-5", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.unit.capacity_tpm_per_unit, 4750);
    CU_ASSERT_EQUAL(mp.unit.output_weight, 8);
    CU_ASSERT_EQUAL(mp.unit.capacity_example, 1); /* not checked: marked */
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "gpt-4.1-mini", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.unit.capacity_tpm_per_unit, 14900);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "gemini-2.5-flash", &mp, NULL, NULL, &err),
                          TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_VERTEX_GSU);
    CU_ASSERT_EQUAL(mp.unit.capacity_tpm_per_unit, 2690 * 60);
    CU_ASSERT_EQUAL(mp.unit.output_weight, 9);
    ASSERT_NEAR(mp.unit.cache_read_weight, 0.1, 1e-12);
    CU_ASSERT_EQUAL(mp.unit.capacity_example, 1);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "gemini-2.5-pro", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.unit.capacity_tpm_per_unit, 650 * 60);
    CU_ASSERT_EQUAL(mp.unit.output_weight, 8);
    CU_ASSERT_EQUAL(mp.unit.capacity_example, 1);
    tp_pricing_free(p);
}

/* A unit model: capacity, weights, minimum, step, hourly and 1-month prices, overflow. */
static tp_model_price unit_model(double cap_tpm, double w_out, double w_cr, double w_cw,
                                 int64_t min, int64_t step, double hourly, double month,
                                 int throttle)
{
    tp_model_price p;
    memset(&p, 0, sizeof p);
    snprintf(p.entry, sizeof p.entry, "m");
    p.provider = TP_PROVIDER_AZURE_PTU;
    snprintf(p.unit.name, sizeof p.unit.name, "PTU");
    p.unit.capacity_tpm_per_unit = cap_tpm;
    p.unit.output_weight = w_out;
    p.unit.cache_read_weight = w_cr;
    p.unit.cache_write_weight = w_cw;
    p.unit.minimum_units = min;
    p.unit.step_units = step;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        p.unit.per_unit_hour_usd[t] = -1;
    p.unit.per_unit_hour_usd[TP_UNIT_HOURLY] = hourly;
    p.unit.per_unit_hour_usd[TP_UNIT_1_MONTH] = month;
    p.unit.throttle = throttle;
    const double od[TP_METRIC_COUNT] = {3, 15, 0.3, 3.75};
    for (int k = 0; k < TP_METRIC_COUNT; k++)
        p.tier_per_million_usd[TP_TIER_STANDARD][k] = od[k];
    return p;
}

typedef struct demand_buf {
    double v[TP_METRIC_COUNT][4 * 1440];
    tp_demand d;
} demand_buf;

static void demand_init(demand_buf *b, size_t minutes)
{
    b->d.input_tpm = b->v[0];
    b->d.output_tpm = b->v[1];
    b->d.cache_read_tpm = b->v[2];
    b->d.cache_write_tpm = b->v[3];
    b->d.minutes = minutes;
    b->d.from_minute = 0;
}

/*
 * Two minutes, gpt-4.1's weights (output 4, cache read 0, cache write 1) on a unit of 100 TPM,
 * 2 units (200 TPM), $1 a unit-hour, on-demand $3 / $15 / $0.30 / $3.75 per million.
 *   minute 1: 100 input, 50 output, 200 cache read: 100 + 50 x 4 + 200 x 0 = 300 weighted;
 *             over 200 by 100: a share of 100 / 300 = 1/3 of each kind spills: 33.33 input,
 *             16.67 output, 66.67 cache read; the minute's on-demand cost is
 *             (100 x 3 + 50 x 15 + 200 x 0.3) / 1e6 = 1110e-6 USD, so the spill 370e-6 USD.
 *   minute 2: 50 input: 50 weighted, within capacity.
 * Units: 2 x $1 x 2/60 h = 0.0666667 USD; total 0.0666667 + 0.00037.
 */
static void test_eval_by_hand(void)
{
    static demand_buf b;
    memset(&b, 0, sizeof b);
    demand_init(&b, 2);
    b.v[0][0] = 100, b.v[1][0] = 50, b.v[2][0] = 200;
    b.v[0][1] = 50;
    tp_model_price p = unit_model(100, 4, 0, 1, 2, 1, 1, -1, 0);
    tp_units_options o = {0};
    tp_units_result r;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 2, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.capacity_tpm, 200);
    ASSERT_NEAR(r.weighted_tokens, 350, 1e-9);
    ASSERT_NEAR(r.over_weighted_tokens, 100, 1e-9);
    ASSERT_NEAR(r.over_tokens[TP_METRIC_INPUT], 100.0 / 3, 1e-9);
    ASSERT_NEAR(r.over_tokens[TP_METRIC_OUTPUT], 50.0 / 3, 1e-9);
    ASSERT_NEAR(r.over_tokens[TP_METRIC_CACHE_READ], 200.0 / 3, 1e-9);
    ASSERT_NEAR(r.spill_usd, 370e-6, 1e-12);
    ASSERT_NEAR(r.units_usd, 2.0 * 2 / 60, 1e-12);
    ASSERT_NEAR(r.total_usd, 2.0 * 2 / 60 + 370e-6, 1e-12);
    ASSERT_NEAR(r.on_demand_usd, 1110e-6 + 150e-6, 1e-12);
    CU_ASSERT_EQUAL(r.minutes_over, 1);
    ASSERT_NEAR(r.served_share, 250.0 / 350, 1e-12);
    CU_ASSERT_EQUAL(r.peak_weighted_tpm, 300);
    /* throttled: the same minute loses the same share, and nothing is billed for it */
    p.unit.throttle = 1;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 2, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.spill_usd, 0);
    ASSERT_NEAR(r.over_weighted_tokens, 100, 1e-9);
    /* per second: a burst factor of 1.5 makes minute 1 meet capacity as 450 weighted TPM: a
     * share of 250 / 450 = 5/9 is over, 300 x 5/9 = 166.67 weighted tokens; minute 2 as 75 */
    o.burst_factor = 1.5;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 2, &r, &err), TP_OK);
    ASSERT_NEAR(r.over_weighted_tokens, 300.0 * 5 / 9, 1e-9);
    CU_ASSERT_EQUAL(r.peak_weighted_tpm, 450);
    /* a Bedrock entry, a term not sold, a bad factor: refused */
    o.burst_factor = 0.5;
    CU_ASSERT_EQUAL(tp_units_eval(&b.d, &p, &o, 2, &r, &err), TP_ERR_USAGE);
    o.burst_factor = 0;
    o.term = TP_UNIT_1_YEAR;
    CU_ASSERT_EQUAL(tp_units_eval(&b.d, &p, &o, 2, &r, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "sells no 1_year term");
    o.term = TP_UNIT_HOURLY;
    /* a peak needing over 10 million candidate counts (300 weighted TPM on units of 1e-5 TPM
     * in steps of 1) is refused, not searched */
    tp_model_price tiny = p;
    tiny.unit.capacity_tpm_per_unit = 1e-5;
    tiny.unit.minimum_units = 1;
    CU_ASSERT_EQUAL(tp_units_optimum(&b.d, &tiny, &o, &r, &err), TP_ERR_TOO_BIG);
    ASSERT_CONTAINS(err.message, "candidate unit counts");
    p.provider = TP_PROVIDER_BEDROCK;
    CU_ASSERT_EQUAL(tp_units_eval(&b.d, &p, &o, 2, &r, &err), TP_ERR_USAGE);
}

/*
 * One hour, input only, a unit of 100 TPM, minimum 1, step 1, on-demand input $1,000 per
 * million ($0.001 a token): 59 minutes at 100 TPM and one at 300.
 *   0 units: all on demand, (59 x 100 + 300) x 0.001 = $6.20
 *   n units: n x price + the one minute's excess (300 - 100 n) x 0.001
 * At $0.15 a unit-hour: 1 unit 0.15 + 0.20 = 0.35; 2: 0.30 + 0.10 = 0.40; 3: 0.45 -> 1 unit.
 * At $0.05: 1 unit 0.25; 2: 0.20; 3: 0.15 -> 3 units.
 * Throttled at 99.9% served: 1 unit loses 200 of 6,200 tokens (96.8% served), 2 lose 100
 * (98.4%), 3 none -> 3 units; at 98% served, 2 units.
 */
static void test_optimum_by_hand(void)
{
    static demand_buf b;
    memset(&b, 0, sizeof b);
    demand_init(&b, 60);
    for (int i = 0; i < 60; i++)
        b.v[0][i] = i == 30 ? 300 : 100;
    tp_model_price p = unit_model(100, 4, 0, 1, 1, 1, 0.15, -1, 0);
    p.tier_per_million_usd[TP_TIER_STANDARD][TP_METRIC_INPUT] = 1000;
    tp_units_options o = {0};
    tp_units_result r;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 1);
    ASSERT_NEAR(r.total_usd, 0.35, 1e-12);
    ASSERT_NEAR(r.on_demand_usd, 6.20, 1e-12);
    p.unit.per_unit_hour_usd[TP_UNIT_HOURLY] = 0.05;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 3);
    ASSERT_NEAR(r.total_usd, 0.15, 1e-12);
    p.unit.throttle = 1;
    o.service_level = 0.999;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 3);
    o.service_level = 0.98;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 2);
    ASSERT_NEAR(r.served_share, 6100.0 / 6200, 1e-12);
    /* minimum 15, step 5: the grid is 0, 15, 20, ...; a peak of 300 TPM on 100-TPM units is
     * covered by the minimum, so at $0.05 a unit-hour the choice is 0 units ($6.20) or 15
     * ($0.75): 15 */
    p.unit.throttle = 0;
    p.unit.minimum_units = 15, p.unit.step_units = 5;
    o.service_level = 0;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 15);
    ASSERT_NEAR(r.total_usd, 0.75, 1e-12);
}

/*
 * Two hours on a unit of 100 TPM (minimum 1, step 1), hourly $1 and 1-month $0.60 a
 * unit-hour, on-demand so dear ($1 a token) that no hour spills: hour 1 at 100 TPM a minute
 * needs 1 unit, hour 2 at 300 needs 3. The window is 1 January 1970, 00:00-02:00: the
 * reservation is billed 730 x 2 / 744 = 1.962366 h (docs/model.md, "Terms"); hourly units
 * their own hours.
 *   R = 0: hourly 1 + 3 = $4.00
 *   R = 1: 1 x 0.6 x 1.962366 = 1.177419 + hour 2's 2 hourly units $2 = $3.177419
 *   R = 2: 2.354839 + 1 = $3.354839;  R = 3: $3.532258  -> reserve 1, 2 unit-hours hourly,
 *   largest hourly deployment 3.
 */
static void test_split_by_hand(void)
{
    static demand_buf b;
    memset(&b, 0, sizeof b);
    demand_init(&b, 120);
    for (int i = 0; i < 120; i++)
        b.v[0][i] = i < 60 ? 100 : 300;
    tp_model_price p = unit_model(100, 4, 0, 1, 1, 1, 1.0, 0.6, 0);
    p.tier_per_million_usd[TP_TIER_STANDARD][TP_METRIC_INPUT] = 1e6;
    tp_units_options o = {0};
    o.term = TP_UNIT_1_MONTH;
    tp_units_split_result s;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_split(&b.d, &p, &o, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(s.reserved_units, 1);
    ASSERT_NEAR(s.reserved_usd, 0.6 * 730 * 2 / 744, 1e-12);
    ASSERT_NEAR(s.hourly_unit_hours, 2, 1e-12);
    ASSERT_NEAR(s.hourly_usd, 2, 1e-12);
    ASSERT_NEAR(s.spill_usd, 0, 1e-12);
    ASSERT_NEAR(s.total_usd, 3.177419, 1e-6);
    CU_ASSERT_EQUAL(s.peak_units, 3);
    /* the split resizes each hour knowing its traffic: a lower bound, not a plan. The plan
     * recommends a constant count: 3 units hourly 3 x 1 x 2 = $6.00, or on the month
     * 3 x 0.6 x 1.962366 = $3.532258 (on demand, at $1 a token, is far dearer):
     * the month's 3 units, not the split's $3.177419 */
    static tp_units_plan plan;
    CU_ASSERT_EQUAL_FATAL(tp_units_plan_run(&b.d, &p, &o, &plan, &err), TP_OK);
    CU_ASSERT_EQUAL(plan.has_split[TP_UNIT_1_MONTH], 1);
    ASSERT_NEAR(plan.split[TP_UNIT_1_MONTH].total_usd, 3.177419, 1e-6);
    CU_ASSERT_EQUAL(plan.recommended_term, TP_UNIT_1_MONTH);
    CU_ASSERT_EQUAL(plan.term[TP_UNIT_1_MONTH].units, 3);
    ASSERT_NEAR(plan.recommended_total_usd, 3 * 0.6 * 730 * 2 / 744, 1e-12);
    /* throttled overflow, or no hourly price: refused */
    p.unit.throttle = 1;
    CU_ASSERT_EQUAL(tp_units_split(&b.d, &p, &o, &s, &err), TP_ERR_USAGE);
    p.unit.throttle = 0;
    p.unit.per_unit_hour_usd[TP_UNIT_HOURLY] = -1;
    CU_ASSERT_EQUAL(tp_units_split(&b.d, &p, &o, &s, &err), TP_ERR_USAGE);
}

/*
 * A term of a month or longer is billed 730 hours a calendar month whatever its days
 * (docs/model.md, "Terms"); hourly units and a week (168 h) by the window's own hours.
 * One unit of 100 TPM serving 100 input TPM for two days (48 h), priced hourly $1, 1 week
 * $0.80, 1 month $0.60, 3 months $0.55, 1 year $0.50 a unit-hour:
 *   February 2025 (672 h): billed 730 x 48 / 672 = 52.142857 h
 *     hourly 1 x 48 = $48; 1 week 0.8 x 48 = $38.40; 1 month 0.6 x 52.142857 = $31.285714;
 *     3 months 0.55 x 52.142857 = $28.678571; 1 year 0.5 x 52.142857 = $26.071429
 *   March 2025 (744 h): billed 730 x 48 / 744 = 47.096774 h
 *     hourly $48; 1 week $38.40; 1 month 0.6 x 47.096774 = $28.258065; 1 year $23.548387
 * Per billed hour the month term costs its catalog rate, $0.60, in either month; the hourly
 * term $48 / 52.142857 = $0.920548 in February (its month's bill / 730).
 */
static void test_terms_billed_hours(void)
{
    static demand_buf b;
    memset(&b, 0, sizeof b);
    demand_init(&b, 48 * 60);
    for (size_t i = 0; i < b.d.minutes; i++)
        b.v[0][i] = 100;
    tp_model_price p = unit_model(100, 4, 0, 1, 1, 1, 1.0, 0.6, 0);
    p.unit.per_unit_hour_usd[TP_UNIT_1_WEEK] = 0.8;
    p.unit.per_unit_hour_usd[TP_UNIT_3_MONTHS] = 0.55;
    p.unit.per_unit_hour_usd[TP_UNIT_1_YEAR] = 0.5;
    p.tier_per_million_usd[TP_TIER_STANDARD][TP_METRIC_INPUT] = 1e6; /* no spill pays */
    tp_units_options o = {0};
    tp_units_result r;
    tp_error err;
    const struct {
        int64_t from_minute;
        double billed, usd[TP_UNIT_TERM_COUNT];
    } win[] = {{1738368000 / 60, 52.142857, {48, 38.4, 31.285714, 28.678571, 26.071429}},
               {1740787200 / 60, 47.096774, {48, 38.4, 28.258065, 25.903226, 23.548387}}};
    for (size_t w = 0; w < 2; w++) {
        b.d.from_minute = win[w].from_minute;
        for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
            o.term = (tp_unit_term)t;
            CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
            ASSERT_NEAR(r.units_usd, win[w].usd[t], 1e-6);
            ASSERT_NEAR(r.billed_hours, win[w].billed, 1e-6);
            ASSERT_NEAR(r.hours, 48, 1e-12);
        }
        o.term = TP_UNIT_1_MONTH;
        CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
        ASSERT_NEAR(r.total_usd / r.billed_hours, 0.6, 1e-12);
        /* the optimum prices the same hours: 1 unit covers all, nothing spills ($1 a token) */
        CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
        CU_ASSERT_EQUAL(r.units, 1);
        ASSERT_NEAR(r.total_usd, win[w].usd[TP_UNIT_1_MONTH], 1e-6);
    }
    b.d.from_minute = 1738368000 / 60;
    o.term = TP_UNIT_HOURLY;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
    ASSERT_NEAR(r.total_usd / r.billed_hours, 0.920548, 1e-6);
}

/* ---- brute force: every unit count priced minute by minute, written out anew ---- */

static uint64_t rng_state;
static double rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static int64_t grid(const tp_model_price *p, int64_t k)
{
    return k == 0 ? 0 : p->unit.minimum_units + (k - 1) * p->unit.step_units;
}

/* Over [from, to): the weighted tokens over capacity and the spill cost, minute by minute. */
static void brute_minutes(const tp_demand *d, const tp_model_price *p, double bf, size_t from,
                          size_t to, int64_t units, double *over_w, double *spill)
{
    const tp_unit_price *u = &p->unit;
    const double *od = p->tier_per_million_usd[TP_TIER_STANDARD];
    *over_w = *spill = 0;
    for (size_t i = from; i < to; i++) {
        const double w = d->input_tpm[i] + u->output_weight * d->output_tpm[i] +
                         u->cache_read_weight * d->cache_read_tpm[i] +
                         u->cache_write_weight * d->cache_write_tpm[i];
        const double cap = (double)units * u->capacity_tpm_per_unit;
        if (w * bf <= cap)
            continue;
        const double share = 1 - cap / (w * bf);
        *over_w += share * w;
        *spill += share * (d->input_tpm[i] * od[0] + d->output_tpm[i] * od[1] +
                           d->cache_read_tpm[i] * od[2] + d->cache_write_tpm[i] * od[3]) /
                  1e6;
    }
}

static void random_demand(demand_buf *b, size_t minutes, double scale)
{
    demand_init(b, minutes);
    for (size_t i = 0; i < minutes; i++) {
        const double busy = (i / 60) % 3 == 0 ? 3 : 1; /* some hours busier */
        const double spike = rnd() < 0.02 ? 4 : 1;
        b->v[0][i] = scale * busy * spike * rnd();
        b->v[1][i] = scale * 0.1 * busy * rnd();
        b->v[2][i] = scale * 2 * rnd();
        b->v[3][i] = rnd() < 0.5 ? 0 : scale * 0.2 * rnd();
    }
}

static void test_optimum_brute_force(void)
{
    static demand_buf b;
    const struct {
        double cap, w_out, w_cr, w_cw;
        int64_t min, step;
        double hourly, bf;
        int throttle;
        double sl;
    } cases[] = {
        /* a unit's price below the on-demand cost of its capacity fully used (3000 TPM of
         * input at $3 a million is $0.54 an hour), so that the optimum is neither 0 nor the
         * peak */
        {3000, 4, 0, 1, 15, 5, 0.3, 0, 0, 0},        /* Azure gpt-4.1 shape */
        {4750, 8, 0, 1, 15, 5, 0.2, 0, 0, 0},        /* gpt-5 weights */
        {2690 * 60, 9, 0.1, 1, 1, 1, 5, 1.5, 0, 0},  /* Vertex flash, per second */
        {650 * 60, 8, 0.1, 1, 1, 1, 1, 2.0, 0, 0},   /* Vertex pro */
        {3000, 4, 0, 1, 15, 5, 1.0, 0, 1, 0.99},     /* throttled */
        {3000, 4, 0, 1, 15, 5, 1.0, 0, 1, 1.0},
        {650 * 60, 8, 0.1, 1, 1, 1, 5, 1.5, 1, 0.95},
        {1000, 1, 1, 1, 3, 7, 0.02, 0, 0, 0},        /* cheap units: near the peak */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rng_state = 42 + c;
        random_demand(&b, 2 * 1440, c < 2 || c > 3 ? 20000 : 200000);
        tp_model_price p = unit_model(cases[c].cap, cases[c].w_out, cases[c].w_cr,
                                      cases[c].w_cw, cases[c].min, cases[c].step,
                                      cases[c].hourly, -1, cases[c].throttle);
        tp_units_options o = {0};
        o.burst_factor = cases[c].bf;
        o.service_level = cases[c].sl;
        const double bf = cases[c].bf > 0 ? cases[c].bf : 1;
        tp_units_result r;
        tp_error err;
        CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
        double best = INFINITY, wsum = 0, dummy;
        int64_t best_units = -1;
        brute_minutes(&b.d, &p, 1, 0, b.d.minutes, 0, &wsum, &dummy); /* 0 units: all over */
        const double hours = (double)b.d.minutes / 60;
        for (int64_t k = 0; k < 2000; k++) {
            double over_w, spill;
            brute_minutes(&b.d, &p, bf, 0, b.d.minutes, grid(&p, k), &over_w, &spill);
            if (cases[c].throttle) {
                if (over_w <= (1 - cases[c].sl) * wsum + 1e-9 * wsum) {
                    best_units = grid(&p, k);
                    best = (double)best_units * cases[c].hourly * hours;
                    break;
                }
                continue;
            }
            const double cost = (double)grid(&p, k) * cases[c].hourly * hours + spill;
            if (best_units < 0 || cost < best - 1e-9 * best) {
                best = cost;
                best_units = grid(&p, k);
            }
        }
        CU_ASSERT(best_units >= 0);
        ASSERT_NEAR(r.total_usd, best, 1e-9 * best);
        if (cases[c].throttle)
            CU_ASSERT_EQUAL(r.units, best_units);
        /* the search looked past trivial answers: neither none nor the peak's cover */
        CU_ASSERT(r.units > 0);
        if (r.units == 0)
            fprintf(stderr, "case %zu: 0 units, total %.4f on demand %.4f\n", c, r.total_usd,
                    r.on_demand_usd);
        if (!cases[c].throttle || cases[c].sl < 1)
            CU_ASSERT(r.units < (int64_t)ceil(r.peak_weighted_tpm / cases[c].cap));
    }
}

static void test_split_brute_force(void)
{
    static demand_buf b;
    const struct {
        int64_t min, step;
        double hourly, month;
    } cases[] = {{15, 5, 1.0, 0.7}, {1, 1, 1.0, 0.5}, {3, 2, 1.0, 0.95}, {15, 5, 1.0, 0.2}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rng_state = 7 + c;
        random_demand(&b, 3 * 1440 + 17, 20000); /* a partial last hour */
        tp_model_price p = unit_model(3000, 4, 0, 1, cases[c].min, cases[c].step,
                                      cases[c].hourly, cases[c].month, 0);
        tp_units_options o = {0};
        o.term = TP_UNIT_1_MONTH;
        tp_units_split_result s;
        tp_error err;
        CU_ASSERT_EQUAL_FATAL(tp_units_split(&b.d, &p, &o, &s, &err), TP_OK);
        /* brute force: every R, and in every hour every deployment k >= R */
        const size_t n_hours = (b.d.minutes + 59) / 60;
        /* the reservation is billed by the rule's hours: 730 x the window's hours / 744 (the
         * window lies in January 1970) */
        const double billed = 730.0 * ((double)b.d.minutes / 60) / 744;
        double best = INFINITY;
        int64_t best_r = -1;
        for (int64_t r = 0; r < 80; r++) {
            double total = (double)grid(&p, r) * cases[c].month * billed;
            for (size_t h = 0; h < n_hours; h++) {
                const size_t from = h * 60, to = from + 60 < b.d.minutes ? from + 60
                                                                         : b.d.minutes;
                const double frac = (double)(to - from) / 60;
                double hb = INFINITY;
                for (int64_t k = r; k < 80; k++) {
                    double ow, sp;
                    brute_minutes(&b.d, &p, 1, from, to, grid(&p, k), &ow, &sp);
                    hb = fmin(hb, (double)(grid(&p, k) - grid(&p, r)) * cases[c].hourly * frac +
                                      sp);
                }
                total += hb;
            }
            if (best_r < 0 || total < best - 1e-9 * best) {
                best = total;
                best_r = grid(&p, r);
            }
        }
        ASSERT_NEAR(s.total_usd, best, 1e-9 * best);
        CU_ASSERT_EQUAL(s.reserved_units, best_r);
        if (s.reserved_units != best_r)
            fprintf(stderr, "case %zu: R %lld total %.9f, brute R %lld total %.9f\n", c,
                    (long long)s.reserved_units, s.total_usd, (long long)best_r, best);
        ASSERT_NEAR(s.reserved_usd + s.hourly_usd + s.spill_usd, s.total_usd, 1e-9);
    }
    /* the random demand above reaches 40 units at most: the brute force's 80 cover it */
}

/* The plan prices every term from one sort and one pass over the hours: each figure equals
 * the one-term call's, and the recommendation is the least total of them all. */
static void test_plan_matches_single_calls(void)
{
    static demand_buf b;
    rng_state = 99;
    random_demand(&b, 2 * 1440, 20000);
    tp_model_price p = unit_model(3000, 4, 0, 1, 15, 5, 1.0, 0.356, 0);
    p.unit.per_unit_hour_usd[TP_UNIT_1_YEAR] = 0.30;
    p.unit.per_unit_hour_usd[TP_UNIT_1_WEEK] = 0.50;
    p.tier_per_million_usd[TP_TIER_STANDARD][TP_METRIC_INPUT] = 6;
    tp_units_options o = {0};
    static tp_units_plan plan;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_plan_run(&b.d, &p, &o, &plan, &err), TP_OK);
    double least = INFINITY;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        CU_ASSERT_EQUAL(plan.sold[t], p.unit.per_unit_hour_usd[t] > 0);
        if (!plan.sold[t])
            continue;
        tp_units_result r;
        o.term = (tp_unit_term)t;
        CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
        CU_ASSERT_EQUAL(plan.term[t].units, r.units);
        ASSERT_NEAR(plan.term[t].total_usd, r.total_usd, 1e-9 * r.total_usd);
        least = fmin(least, r.total_usd);
        CU_ASSERT_EQUAL(plan.has_split[t], t != TP_UNIT_HOURLY);
        if (!plan.has_split[t])
            continue;
        tp_units_split_result sp;
        CU_ASSERT_EQUAL_FATAL(tp_units_split(&b.d, &p, &o, &sp, &err), TP_OK);
        CU_ASSERT_EQUAL(plan.split[t].reserved_units, sp.reserved_units);
        ASSERT_NEAR(plan.split[t].total_usd, sp.total_usd, 1e-9 * sp.total_usd);
        /* the split is a lower bound, never recommended */
        CU_ASSERT(plan.recommended_total_usd <= plan.term[plan.recommended_term].total_usd);
    }
    ASSERT_NEAR(plan.recommended_total_usd, least, 1e-9 * least);
    CU_ASSERT(plan.on_demand_usd > 0);
}

/* ---- Two pools (openai-scale, xai): input and output units bought per day ---- */

#define POOL_IN(extra) "\"input\":{\"tpm_per_unit\":100,\"cache_read_weight\":0.5," \
                       "\"cache_write_weight\":1,\"minimum_units\":1,\"step_units\":1" extra "}"
#define POOL_OUT(extra) "\"output\":{\"tpm_per_unit\":10,\"minimum_units\":1," \
                        "\"step_units\":1" extra "}"
#define POOLS(provider, body) \
    CAT("{" OD ",\"provider\":\"" provider "\",\"units\":{" body "}}")
#define POOLS_OK(extra)                                                                        \
    POOLS("openai-scale", POOL_IN(",\"per_unit_day\":2") "," POOL_OUT(",\"per_unit_day\":3")  \
                           ",\"minimum_days\":30,\"overflow\":\"spill\"" extra)

static void test_catalog_pools(void)
{
    tp_pricing *p = NULL;
    tp_error err;
    tp_model_price mp;
    CU_ASSERT_EQUAL_FATAL(parse(POOLS_OK(""), &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "m", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_OPENAI_SCALE);
    CU_ASSERT_EQUAL(mp.unit.pools, 1);
    CU_ASSERT_STRING_EQUAL(mp.unit.name, "unit");
    CU_ASSERT_EQUAL(mp.unit.input_pool.capacity_tpm_per_unit, 100);
    CU_ASSERT_EQUAL(mp.unit.input_pool.cache_read_weight, 0.5);
    CU_ASSERT_EQUAL(mp.unit.input_pool.cache_write_weight, 1);
    CU_ASSERT_EQUAL(mp.unit.input_pool.per_unit_day_usd, 2);
    CU_ASSERT_EQUAL(mp.unit.output_pool.capacity_tpm_per_unit, 10);
    CU_ASSERT_EQUAL(mp.unit.output_pool.cache_read_weight, 0);
    CU_ASSERT_EQUAL(mp.unit.output_pool.per_unit_day_usd, 3);
    CU_ASSERT_EQUAL(mp.unit.minimum_days, 30);
    CU_ASSERT_EQUAL(mp.unit.throttle, 0);
    /* the one-pool view mirrors the input pool, sold on the 1_month slot alone */
    CU_ASSERT_EQUAL(mp.unit.capacity_tpm_per_unit, 100);
    CU_ASSERT_EQUAL(mp.unit.output_weight, 0);
    CU_ASSERT_EQUAL(mp.unit.minimum_units, 1);
    ASSERT_NEAR(mp.unit.per_unit_hour_usd[TP_UNIT_1_MONTH], 2.0 / 24, 1e-15);
    CU_ASSERT(mp.unit.per_unit_hour_usd[TP_UNIT_HOURLY] < 0);
    CU_ASSERT(mp.unit.per_unit_hour_usd[TP_UNIT_1_YEAR] < 0);
    tp_pricing_free(p);
    /* xai: the same shape */
    CU_ASSERT_EQUAL_FATAL(
        parse(POOLS("xai", POOL_IN(",\"per_unit_day\":10") "," POOL_OUT(",\"per_unit_day\":10")
                           ",\"minimum_days\":30,\"overflow\":\"throttle\",\"name\":\"TU\","
                           "\"example\":true"),
              &p, &err),
        TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "m", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_XAI);
    CU_ASSERT_EQUAL(mp.unit.pools, 1);
    CU_ASSERT_EQUAL(mp.unit.throttle, 1);
    CU_ASSERT_EQUAL(mp.unit.example, 1);
    CU_ASSERT_STRING_EQUAL(mp.unit.name, "TU");
    tp_pricing_free(p);
    /* Azure and Vertex entries are not pools */
    CU_ASSERT_EQUAL_FATAL(parse(AZURE(",\"per_unit_hour\":1,\"overflow\":\"spill\""), &p, &err),
                          TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "m", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.unit.pools, 0);
    tp_pricing_free(p);
}

static void test_catalog_pool_errors(void)
{
    const char *in = POOL_IN(",\"per_unit_day\":2");
    (void)in;
    expect_error(POOLS("openai-scale", POOL_OUT(",\"per_unit_day\":3")
                                           ",\"minimum_days\":30,\"overflow\":\"spill\""),
                 "cat.json: models.m.units.input: missing");
    expect_error(POOLS("xai", POOL_IN(",\"per_unit_day\":2") ",\"minimum_days\":30,"
                                                            "\"overflow\":\"spill\""),
                 "cat.json: models.m.units.output: missing");
    expect_error(POOLS("openai-scale", "\"input\":{\"cache_read_weight\":1}"),
                 "models.m.units.input.tpm_per_unit: missing");
    expect_error(POOLS("openai-scale", "\"input\":{\"tpm_per_unit\":0}"),
                 "models.m.units.input.tpm_per_unit: 0 is outside 0..1000000000");
    expect_error(POOLS("openai-scale", "\"input\":{\"tpm_per_unit\":100}"),
                 "models.m.units.input.cache_read_weight: missing");
    expect_error(POOLS("openai-scale", "\"input\":{\"tpm_per_unit\":100,\"cache_read_weight\":1.5}"),
                 "models.m.units.input.cache_read_weight: 1.5 is outside 0..1");
    expect_error(POOLS("openai-scale", "\"input\":{\"tpm_per_unit\":100,\"cache_read_weight\":1,"
                                       "\"cache_write_weight\":-1}"),
                 "models.m.units.input.cache_write_weight: negative value -1");
    expect_error(POOLS("openai-scale", "\"input\":{\"tpm_per_unit\":100,\"output_weight\":4}"),
                 "models.m.units.input.output_weight: unknown field");
    expect_error(POOLS("openai-scale", POOL_IN(",\"per_unit_day\":2") ",\"output\":{\"tpm_per_unit\":10,"
                                                   "\"cache_read_weight\":1}"),
                 "models.m.units.output.cache_read_weight: unknown field");
    expect_error(POOLS("openai-scale", POOL_IN("")), "models.m.units.input.per_unit_day: missing");
    expect_error(POOLS("openai-scale", POOL_IN(",\"per_unit_day\":0")),
                 "models.m.units.input.per_unit_day: 0 is outside 0..1000000");
    expect_error(POOLS("openai-scale", POOL_IN(",\"per_unit_day\":2") "," POOL_OUT(",\"per_unit_day\":-3")),
                 "models.m.units.output.per_unit_day: negative value -3");
    expect_error(POOLS("openai-scale", "\"input\":{\"tpm_per_unit\":100,\"cache_read_weight\":1,"
                                       "\"cache_write_weight\":1,\"minimum_units\":0}"),
                 "models.m.units.input.minimum_units: a whole number of units from 1 to");
    expect_error(POOLS("openai-scale", POOL_IN(",\"per_unit_day\":2") ",\"output\":{"
                                       "\"tpm_per_unit\":10,\"minimum_units\":1,\"step_units\":1.5}"),
                 "models.m.units.output.step_units: a whole number of units");
    expect_error(POOLS("openai-scale", POOL_IN(",\"per_unit_day\":2") "," POOL_OUT(",\"per_unit_day\":3")
                                           ",\"overflow\":\"spill\""),
                 "models.m.units.minimum_days: missing");
    expect_error(POOLS("openai-scale", POOL_IN(",\"per_unit_day\":2") "," POOL_OUT(",\"per_unit_day\":3")
                                           ",\"minimum_days\":0,\"overflow\":\"spill\""),
                 "models.m.units.minimum_days: a whole number of days from 1 to 3650");
    expect_error(POOLS("openai-scale", POOL_IN(",\"per_unit_day\":2") "," POOL_OUT(",\"per_unit_day\":3")
                                           ",\"minimum_days\":30.5,\"overflow\":\"spill\""),
                 "models.m.units.minimum_days: a whole number of days");
    expect_error(POOLS("openai-scale", POOL_IN(",\"per_unit_day\":2") "," POOL_OUT(",\"per_unit_day\":3")
                                           ",\"minimum_days\":30"),
                 "models.m.units.overflow: missing");
    expect_error(POOLS_OK(",\"per_unit_hour\":1"), "models.m.units.per_unit_hour: unknown field");
    expect_error(POOLS_OK(",\"input_tpm_per_unit\":1"),
                 "models.m.units.input_tpm_per_unit: unknown field");
    expect_error(POOLS_OK(",\"name\":\"a b\""), "models.m.units.name: 1 to 15 letters and digits");
    expect_error(POOLS("openai-scale", "\"input\":3"), "models.m.units.input: not an object");
    /* a Bedrock field on a pool entry; spill needs on-demand prices above 0 */
    expect_error(CAT("{" OD ",\"provider\":\"xai\",\"burn_down\":{},\"units\":{}}"),
                 "models.m.burn_down: a Bedrock field; entry sold in units (xai)");
    expect_error(CAT("{\"on_demand_per_million\":{\"input\":3,\"output\":0,\"cache_read\":0,"
                     "\"cache_write\":0},\"provider\":\"openai-scale\",\"units\":{"
                     POOL_IN(",\"per_unit_day\":2") "," POOL_OUT(",\"per_unit_day\":3")
                     ",\"minimum_days\":30,\"overflow\":\"spill\"}}"),
                 "models.m.on_demand_per_million.output: 0; overflow \"spill\" needs");
}

/* The shipped two-pool entries: the published figures of docs/pricing.md. */
static void test_shipped_pools(void)
{
    tp_pricing *p = NULL;
    tp_error err;
    tp_model_price mp;
    char path[1024];
    const char *dir = getenv("TP_SAMPLE_DATA");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    snprintf(path, sizeof path, "%s/pricing.json", dir);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_load(path, &p, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_pricing_lookup(p, "gpt-4.1-2025-04-14", &mp, NULL, NULL, &err),
                          TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_OPENAI_SCALE);
    CU_ASSERT_EQUAL(mp.unit.input_pool.capacity_tpm_per_unit, 30000);
    CU_ASSERT_EQUAL(mp.unit.input_pool.per_unit_day_usd, 110);
    CU_ASSERT_EQUAL(mp.unit.output_pool.capacity_tpm_per_unit, 2500);
    CU_ASSERT_EQUAL(mp.unit.output_pool.per_unit_day_usd, 36);
    CU_ASSERT_EQUAL(mp.unit.minimum_days, 30);
    CU_ASSERT_EQUAL(mp.unit.example, 0);          /* the page's prices */
    CU_ASSERT_EQUAL(mp.unit.capacity_example, 1); /* its cache weights and grid are not */
    CU_ASSERT_EQUAL_FATAL(
        tp_pricing_lookup(p, "grok-4-1-fast-reasoning", &mp, NULL, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(mp.provider, TP_PROVIDER_XAI);
    CU_ASSERT_EQUAL(mp.unit.input_pool.capacity_tpm_per_unit, 31500);
    CU_ASSERT_EQUAL(mp.unit.output_pool.capacity_tpm_per_unit, 12500);
    CU_ASSERT_EQUAL(mp.unit.input_pool.per_unit_day_usd, 10);
    CU_ASSERT_EQUAL(mp.unit.output_pool.per_unit_day_usd, 10);
    CU_ASSERT_EQUAL(mp.unit.minimum_days, 30);
    tp_pricing_free(p);
}

/* A two-pool model: input pool (capacity, cache weights, grid, price a day), output pool. */
static tp_model_price pool_model(double in_cap, double w_cr, double w_cw, int64_t in_min,
                                 int64_t in_step, double in_day, double out_cap,
                                 int64_t out_min, int64_t out_step, double out_day,
                                 int throttle)
{
    tp_model_price p;
    memset(&p, 0, sizeof p);
    snprintf(p.entry, sizeof p.entry, "m");
    p.provider = TP_PROVIDER_OPENAI_SCALE;
    snprintf(p.unit.name, sizeof p.unit.name, "unit");
    p.unit.pools = 1;
    p.unit.input_pool = (tp_unit_pool){in_cap, w_cr, w_cw, in_min, in_step, in_day};
    p.unit.output_pool = (tp_unit_pool){out_cap, 0, 0, out_min, out_step, out_day};
    p.unit.minimum_days = 30;
    p.unit.throttle = throttle;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        p.unit.per_unit_hour_usd[t] = -1;
    p.unit.per_unit_hour_usd[TP_UNIT_1_MONTH] = in_day / 24;
    const double od[TP_METRIC_COUNT] = {3, 15, 0.3, 3.75};
    for (int k = 0; k < TP_METRIC_COUNT; k++)
        p.tier_per_million_usd[TP_TIER_STANDARD][k] = od[k];
    return p;
}

/*
 * Three minutes (billed as 1 day: 3 / 1440 rounded up). Input pool: 100 TPM a unit, cache read
 * weight 0.5, cache write 1, $2 a unit-day; output pool: 10 TPM a unit, $3 a unit-day;
 * on-demand $3 / $15 / $0.30 / $3.75 per million; minimum 30 days. 1 input and 1 output unit.
 *   minute 0: 100 input, 40 output, 200 cache read.
 *     input pool: 100 + 200 x 0.5 = 200 weighted against 100: share 100 / 200 = 0.5 over:
 *       50 input, 100 cache-read tokens; input kinds cost (100 x 3 + 200 x 0.3) / 1e6 =
 *       360e-6 USD, spill 0.5 x 360e-6 = 180e-6.
 *     output pool: 40 against 10: share 30 / 40 = 0.75 over: 30 output tokens, of
 *       40 x 15 / 1e6 = 600e-6 USD: spill 450e-6.
 *     coupled (for reference): max(0.5, 0.75) x (360 + 600)e-6 = 720e-6.
 *   minute 1: 50 input, 5 output: within both pools; on demand (150 + 75)e-6 = 225e-6.
 *   minute 2: nothing.
 * units: 1 x $2 x 1 day + 1 x $3 x 1 day = $5; spill 630e-6; total 5.00063;
 * commitment (2 + 3) x 30 days = $150; on demand 960e-6 + 225e-6 = 1185e-6.
 * weighted: input pool 200 + 50 = 250, output 40 + 5 = 45; over 100 and 30;
 * served share 1 - 130 / 295.
 */
static void test_pools_eval_by_hand(void)
{
    static demand_buf b;
    memset(&b, 0, sizeof b);
    demand_init(&b, 3);
    b.v[0][0] = 100, b.v[1][0] = 40, b.v[2][0] = 200;
    b.v[0][1] = 50, b.v[1][1] = 5;
    tp_model_price p = pool_model(100, 0.5, 1, 1, 1, 2, 10, 1, 1, 3, 0);
    tp_units_options o = {0};
    o.output_units = 1;
    tp_units_result r;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.pools, 1);
    CU_ASSERT_EQUAL(r.units, 1);
    CU_ASSERT_EQUAL(r.output_units, 1);
    CU_ASSERT_EQUAL(r.capacity_tpm, 100);
    CU_ASSERT_EQUAL(r.output_capacity_tpm, 10);
    CU_ASSERT_EQUAL(r.billed_days, 1);
    CU_ASSERT_EQUAL(r.billed_hours, 24);
    ASSERT_NEAR(r.input_spill_usd, 180e-6, 1e-15);
    ASSERT_NEAR(r.output_spill_usd, 450e-6, 1e-15);
    ASSERT_NEAR(r.spill_usd, 630e-6, 1e-15);
    ASSERT_NEAR(r.coupled_spill_usd, 720e-6, 1e-15);
    ASSERT_NEAR(r.input_units_usd, 2, 1e-12);
    ASSERT_NEAR(r.output_units_usd, 3, 1e-12);
    ASSERT_NEAR(r.units_usd, 5, 1e-12);
    ASSERT_NEAR(r.total_usd, 5.00063, 1e-12);
    ASSERT_NEAR(r.commitment_usd, 150, 1e-12);
    ASSERT_NEAR(r.on_demand_usd, 1185e-6, 1e-15);
    ASSERT_NEAR(r.over_tokens[TP_METRIC_INPUT], 50, 1e-9);
    ASSERT_NEAR(r.over_tokens[TP_METRIC_CACHE_READ], 100, 1e-9);
    ASSERT_NEAR(r.over_tokens[TP_METRIC_OUTPUT], 30, 1e-9);
    CU_ASSERT_EQUAL(r.over_tokens[TP_METRIC_CACHE_WRITE], 0);
    ASSERT_NEAR(r.input_weighted_tokens, 250, 1e-9);
    ASSERT_NEAR(r.output_weighted_tokens, 45, 1e-9);
    ASSERT_NEAR(r.input_over_weighted_tokens, 100, 1e-9);
    ASSERT_NEAR(r.output_over_weighted_tokens, 30, 1e-9);
    ASSERT_NEAR(r.served_share, 1 - 130.0 / 295, 1e-12);
    CU_ASSERT_EQUAL(r.input_minutes_over, 1);
    CU_ASSERT_EQUAL(r.output_minutes_over, 1);
    CU_ASSERT_EQUAL(r.minutes_over, 1);
    CU_ASSERT_EQUAL(r.peak_weighted_tpm, 200);
    CU_ASSERT_EQUAL(r.output_peak_tpm, 40);
    /* whole days: 1,440 minutes are 1 day, 1,441 are 2 ($10 of units); 31 days commit 31 */
    demand_init(&b, 1440);
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.billed_days, 1);
    demand_init(&b, 1441);
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.billed_days, 2);
    ASSERT_NEAR(r.units_usd, 10, 1e-12);
    ASSERT_NEAR(r.commitment_usd, 150, 1e-12);
    p.unit.minimum_days = 1;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
    ASSERT_NEAR(r.commitment_usd, 10, 1e-12); /* max(2 billed days, 1 day) */
    p.unit.minimum_days = 30;
    /* throttled: the same tokens over, nothing billed for them */
    demand_init(&b, 3);
    p.unit.throttle = 1;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.spill_usd, 0);
    CU_ASSERT_EQUAL(r.coupled_spill_usd, 0);
    ASSERT_NEAR(r.over_weighted_tokens, 130, 1e-9);
    ASSERT_NEAR(r.total_usd, 5, 1e-12);
    p.unit.throttle = 0;
    /* a burst factor of 2: minute 0 meets the input pool as 400 (share 300 / 400 over) and
     * the output pool as 80 (70 / 80); minute 1 as 100 and 10: within */
    o.burst_factor = 2;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_OK);
    ASSERT_NEAR(r.input_over_weighted_tokens, 200 * 0.75, 1e-9);
    ASSERT_NEAR(r.output_over_weighted_tokens, 40 * 0.875, 1e-9);
    o.burst_factor = 0;
    /* counts off a pool's grid, negative counts: refused; a split: refused */
    p.unit.input_pool.minimum_units = 2;
    CU_ASSERT_EQUAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "on no purchase");
    p.unit.input_pool.minimum_units = 1;
    o.output_units = -1;
    CU_ASSERT_EQUAL(tp_units_eval(&b.d, &p, &o, 1, &r, &err), TP_ERR_USAGE);
    o.output_units = 1;
    tp_units_split_result sp;
    CU_ASSERT_EQUAL(tp_units_split(&b.d, &p, &o, &sp, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "two pools by the day");
}

/*
 * A day (1,440 minutes, billed 1 day). Input pool: 100 TPM a unit, grid 1 + 1 k; on-demand
 * input $1,000 per million ($0.001 a token); 1,439 minutes at 100 input TPM and one at 300.
 *   0 units: (1,439 x 100 + 300) x 0.001 = $144.20
 *   n units: n x price + the one minute's excess (300 - 100 n) x 0.001
 * At $0.15 a unit-day: 1 unit 0.15 + 0.20 = 0.35; 2: 0.30 + 0.10 = 0.40; 3: 0.45 -> 1.
 * At $0.05 a unit-day: 0.25, 0.20, 0.15 -> 3. With minimum 15 in steps of 5: 0 ($144.20) or
 * 15 ($0.75) -> 15.
 * Output pool: 10 output TPM every minute, 10 TPM a unit at $0.01 a day; all on demand
 * 14,400 x $15 / 1e6 = $0.216: 1 unit ($0.01) serves everything -> 1 output unit, whatever
 * the input pool does.
 * Throttled, each pool serving a share of its own tokens: the input pool's 144,200 tokens;
 * 1 unit refuses 200 (served 99.861%), 2 refuse 100 (99.931%), 3 none: at 99.9% -> 2, at
 * 99.8% -> 1; the output pool needs 1 unit (0 refuses everything).
 */
static void test_pools_optimum_by_hand(void)
{
    static demand_buf b;
    memset(&b, 0, sizeof b);
    demand_init(&b, 1440);
    for (int i = 0; i < 1440; i++) {
        b.v[0][i] = i == 700 ? 300 : 100;
        b.v[1][i] = 10;
    }
    tp_model_price p = pool_model(100, 1, 1, 1, 1, 0.15, 10, 1, 1, 0.01, 0);
    p.tier_per_million_usd[TP_TIER_STANDARD][TP_METRIC_INPUT] = 1000;
    tp_units_options o = {0};
    tp_units_result r;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 1);
    CU_ASSERT_EQUAL(r.output_units, 1);
    ASSERT_NEAR(r.input_units_usd + r.input_spill_usd, 0.35, 1e-12);
    ASSERT_NEAR(r.output_units_usd + r.output_spill_usd, 0.01, 1e-12);
    ASSERT_NEAR(r.total_usd, 0.36, 1e-12);
    ASSERT_NEAR(r.on_demand_usd, 144.20 + 0.216, 1e-9);
    p.unit.input_pool.per_unit_day_usd = 0.05;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 3);
    ASSERT_NEAR(r.total_usd, 0.15 + 0.01, 1e-12);
    p.unit.input_pool.minimum_units = 15, p.unit.input_pool.step_units = 5;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 15);
    ASSERT_NEAR(r.total_usd, 0.75 + 0.01, 1e-12);
    p.unit.input_pool.minimum_units = 1, p.unit.input_pool.step_units = 1;
    p.unit.throttle = 1;
    o.service_level = 0.999;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 2);
    CU_ASSERT_EQUAL(r.output_units, 1);
    o.service_level = 0.998;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 1);
    ASSERT_NEAR(r.input_over_weighted_tokens, 200, 1e-9);
}

/*
 * xAI's own worked example (docs.x.ai, "Provisioned Throughput"): 100,000 input TPM and 50,000
 * output TPM of grok-4-1-fast-reasoning need 100,000 / 31,500 -> 4 input units and
 * 50,000 / 12,500 = 4 output units: 8 x $10 = $80 a day, $2,400 for 30 days. A day of that
 * constant demand, throttled at 100% served (the fewest units serving everything).
 */
static void test_pools_xai_example(void)
{
    static demand_buf b;
    memset(&b, 0, sizeof b);
    demand_init(&b, 1440);
    for (int i = 0; i < 1440; i++)
        b.v[0][i] = 100000, b.v[1][i] = 50000;
    tp_model_price p = pool_model(31500, 1, 1, 1, 1, 10, 12500, 1, 1, 10, 1);
    p.provider = TP_PROVIDER_XAI;
    tp_units_options o = {0};
    tp_units_result r;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(r.units, 4);
    CU_ASSERT_EQUAL(r.output_units, 4);
    ASSERT_NEAR(r.units_usd, 80, 1e-9);
    ASSERT_NEAR(r.commitment_usd, 2400, 1e-9);
    CU_ASSERT_EQUAL(r.over_weighted_tokens, 0);
}

/* Brute force for one pool: weighted tokens over and spill at `units`, minute by minute. */
static void brute_pool(const tp_demand *d, const tp_model_price *p, int output, double bf,
                       int64_t units, double *wsum, double *over_w, double *spill)
{
    const tp_unit_pool *pool = output ? &p->unit.output_pool : &p->unit.input_pool;
    const double *od = p->tier_per_million_usd[TP_TIER_STANDARD];
    *wsum = *over_w = *spill = 0;
    for (size_t i = 0; i < d->minutes; i++) {
        const double w = output ? d->output_tpm[i]
                                : d->input_tpm[i] + pool->cache_read_weight * d->cache_read_tpm[i] +
                                      pool->cache_write_weight * d->cache_write_tpm[i];
        const double usd = output ? d->output_tpm[i] * od[1] / 1e6
                                  : (d->input_tpm[i] * od[0] + d->cache_read_tpm[i] * od[2] +
                                     d->cache_write_tpm[i] * od[3]) /
                                        1e6;
        *wsum += w;
        const double cap = (double)units * pool->capacity_tpm_per_unit;
        if (w * bf <= cap)
            continue;
        const double share = 1 - cap / (w * bf);
        *over_w += share * w;
        if (!p->unit.throttle)
            *spill += share * usd;
    }
}

static int64_t pool_grid(const tp_unit_pool *pool, int64_t k)
{
    return k == 0 ? 0 : pool->minimum_units + (k - 1) * pool->step_units;
}

/* Every pair (input units, output units) on the grids, priced minute by minute: the least
 * total (spill), or the fewest units per pool meeting the level (throttle), against
 * tp_units_optimum. */
static void test_pools_brute_force(void)
{
    static demand_buf b;
    enum { K = 70 };
    const struct {
        double in_cap, w_cr, w_cw;
        int64_t in_min, in_step;
        double in_day, out_cap;
        int64_t out_min, out_step;
        double out_day, bf;
        int throttle;
        double sl;
        size_t minutes;
    } cases[] = {
        /* Scale Tier's shape at prices where units pay: a unit's day below the on-demand cost
         * of its capacity fully used (30,000 TPM at $3 a million of input, $0.30 of cache
         * reads weighing 1: $13 to $130 a day by the mix; 2,500 output TPM at $15: $54) */
        {30000, 1, 1, 1, 1, 20, 2500, 1, 1, 15, 0, 0, 0, 2 * 1440},
        {30000, 0.25, 1, 2, 2, 20, 2500, 3, 2, 15, 0, 0, 0, 2 * 1440},   /* minimum, step */
        {31500, 0, 0.5, 1, 1, 40, 12500, 1, 1, 60, 1.5, 0, 0, 2 * 1440}, /* burst, xAI grid */
        {30000, 1, 1, 1, 1, 10, 2500, 1, 1, 8, 0, 0, 0, 1441},           /* 2 billed days */
        {30000, 1, 1, 5, 3, 100, 2500, 4, 3, 40, 0, 1, 0.99, 2 * 1440},  /* throttle */
        {30000, 0.5, 1, 1, 1, 100, 2500, 1, 1, 40, 0, 1, 1.0, 2 * 1440},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rng_state = 7 + c;
        random_demand(&b, cases[c].minutes, 20000);
        tp_model_price p = pool_model(cases[c].in_cap, cases[c].w_cr, cases[c].w_cw,
                                      cases[c].in_min, cases[c].in_step, cases[c].in_day,
                                      cases[c].out_cap, cases[c].out_min, cases[c].out_step,
                                      cases[c].out_day, cases[c].throttle);
        /* output heavier than random_demand's: the output pool has something to decide */
        for (size_t i = 0; i < b.d.minutes; i++)
            b.v[1][i] *= 3;
        tp_units_options o = {0};
        o.burst_factor = cases[c].bf;
        o.service_level = cases[c].sl;
        const double bf = cases[c].bf > 0 ? cases[c].bf : 1;
        const double days = ceil((double)b.d.minutes / 1440);
        tp_units_result r;
        tp_error err;
        CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
        /* each pool's cost at every count, minute by minute */
        double cost[2][K], over[2][K], wsum[2] = {0, 0};
        const tp_unit_pool *pools[2] = {&p.unit.input_pool, &p.unit.output_pool};
        for (int q = 0; q < 2; q++)
            for (int64_t k = 0; k < K; k++) {
                double spill;
                const int64_t n = pool_grid(pools[q], k);
                brute_pool(&b.d, &p, q, bf, n, &wsum[q], &over[q][k], &spill);
                cost[q][k] = (double)n * pools[q]->per_unit_day_usd * days + spill;
            }
        if (cases[c].throttle) {
            int64_t need[2] = {-1, -1};
            for (int q = 0; q < 2; q++)
                for (int64_t k = 0; k < K && need[q] < 0; k++)
                    if (over[q][k] <= (1 - cases[c].sl) * wsum[q] * (1 + 1e-12))
                        need[q] = pool_grid(pools[q], k);
            CU_ASSERT(need[0] > 0 && need[1] > 0);
            CU_ASSERT_EQUAL(r.units, need[0]);
            CU_ASSERT_EQUAL(r.output_units, need[1]);
            continue;
        }
        /* the least total over every pair */
        double best = INFINITY;
        int64_t best_in = -1, best_out = -1;
        for (int64_t i = 0; i < K; i++)
            for (int64_t j = 0; j < K; j++)
                if (cost[0][i] + cost[1][j] < best * (1 - 1e-12)) {
                    best = cost[0][i] + cost[1][j];
                    best_in = pool_grid(pools[0], i);
                    best_out = pool_grid(pools[1], j);
                }
        ASSERT_NEAR(r.total_usd, best, 1e-9 * best);
        CU_ASSERT_EQUAL(r.units, best_in);
        CU_ASSERT_EQUAL(r.output_units, best_out);
        if (r.units != best_in || r.output_units != best_out)
            fprintf(stderr, "case %zu: %lld + %lld units, brute %lld + %lld\n", c,
                    (long long)r.units, (long long)r.output_units, (long long)best_in,
                    (long long)best_out);
        /* the brute force's grid covers each pool's peak: its last count serves everything */
        CU_ASSERT_EQUAL(over[0][K - 1], 0);
        CU_ASSERT_EQUAL(over[1][K - 1], 0);
        /* neither trivial: some units, fewer than the peak's cover */
        CU_ASSERT(r.units > 0 && r.output_units > 0);
        if (r.units == 0 || r.output_units == 0)
            fprintf(stderr, "case %zu: %lld + %lld units\n", c, (long long)r.units,
                    (long long)r.output_units);
        CU_ASSERT(r.units < (int64_t)ceil(r.peak_weighted_tpm / cases[c].in_cap));
        CU_ASSERT(r.output_units < (int64_t)ceil(r.output_peak_tpm / cases[c].out_cap));
    }
}

/* tp_units_plan_run on two pools: the optimum in the 1_month slot, nothing else sold. */
static void test_pools_plan_run(void)
{
    static demand_buf b;
    rng_state = 5;
    random_demand(&b, 2 * 1440, 20000);
    tp_model_price p = pool_model(30000, 1, 1, 1, 1, 60, 2500, 1, 1, 10, 0);
    tp_units_options o = {0};
    static tp_units_plan plan;
    tp_units_result r;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_units_plan_run(&b.d, &p, &o, &plan, &err), TP_OK);
    CU_ASSERT_EQUAL(plan.pools, 1);
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        CU_ASSERT_EQUAL(plan.sold[t], t == TP_UNIT_1_MONTH);
        CU_ASSERT_EQUAL(plan.has_split[t], 0);
    }
    CU_ASSERT_EQUAL(plan.recommended_term, TP_UNIT_1_MONTH);
    CU_ASSERT_EQUAL_FATAL(tp_units_optimum(&b.d, &p, &o, &r, &err), TP_OK);
    CU_ASSERT_EQUAL(plan.term[TP_UNIT_1_MONTH].units, r.units);
    CU_ASSERT_EQUAL(plan.term[TP_UNIT_1_MONTH].output_units, r.output_units);
    ASSERT_NEAR(plan.recommended_total_usd, r.total_usd, 1e-9 * r.total_usd);
    ASSERT_NEAR(plan.on_demand_usd, r.on_demand_usd, 1e-9 * r.on_demand_usd);
    /* the plan's counts, priced again by tp_units_eval, cost the same */
    tp_units_result e;
    o.output_units = r.output_units;
    CU_ASSERT_EQUAL_FATAL(tp_units_eval(&b.d, &p, &o, r.units, &e, &err), TP_OK);
    ASSERT_NEAR(e.total_usd, r.total_usd, 1e-9 * r.total_usd);
    /* a one-pool plan leaves the two-pool fields zero */
    tp_model_price az = unit_model(3000, 4, 0, 1, 15, 5, 1.0, 0.356, 0);
    CU_ASSERT_EQUAL_FATAL(tp_units_plan_run(&b.d, &az, &o, &plan, &err), TP_OK);
    CU_ASSERT_EQUAL(plan.pools, 0);
    CU_ASSERT_EQUAL(plan.term[TP_UNIT_HOURLY].pools, 0);
    CU_ASSERT_EQUAL(plan.term[TP_UNIT_HOURLY].output_units, 0);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("units", NULL, NULL);
    ADD(s, test_catalog_units);
    ADD(s, test_catalog_unit_errors);
    ADD(s, test_shipped_units);
    ADD(s, test_eval_by_hand);
    ADD(s, test_optimum_by_hand);
    ADD(s, test_split_by_hand);
    ADD(s, test_terms_billed_hours);
    ADD(s, test_optimum_brute_force);
    ADD(s, test_split_brute_force);
    ADD(s, test_plan_matches_single_calls);
    ADD(s, test_catalog_pools);
    ADD(s, test_catalog_pool_errors);
    ADD(s, test_shipped_pools);
    ADD(s, test_pools_eval_by_hand);
    ADD(s, test_pools_optimum_by_hand);
    ADD(s, test_pools_xai_example);
    ADD(s, test_pools_brute_force);
    ADD(s, test_pools_plan_run);
}
