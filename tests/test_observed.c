/* test_observed.c - a held reservation seen in its metrics (the traffic that asked for
 * reserved, split by the tier that served it) against the simulation of that traffic. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "test_util.h"
#include "tierplan/simulate.h"

void register_tests(void);

#define NEAR(a, b) CU_ASSERT(fabs((double)(a) - (double)(b)) <= 1e-9 * (1 + fabs((double)(b))))

/* Per million: input 3, output 15, cache read 0.30, cache write 3.75. Reserved per 1K
 * TPM-hour: input 0.12, output 0.60. Burn-down 0.1 / 1.0. */
static const char *catalog =
    "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0,\"flex\":0.5},"
    "\"models\":{\"m1\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,"
    "\"cache_read\":0.3,\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,"
    "\"output\":0.60},\"quota_output_weight\":1.0}}}";

static tp_model_price price;
static tp_pricing *pricing; /* the reports name it */

static int setup(void)
{
    tp_error err;
    if (tp_pricing_parse("test", catalog, strlen(catalog), &pricing, &err) != TP_OK ||
        tp_pricing_lookup(pricing, "m1", &price, NULL, NULL, &err) != TP_OK)
        return -1;
    return 0;
}

static int teardown(void)
{
    tp_pricing_free(pricing);
    return 0;
}

/* Held 100,000 input / 10,000 output TPM; four minutes of traffic asking for reserved, served
 * reserved up to the reservation, the rest default (as Bedrock resolves it):
 *   input  asked 50,000 100,000 150,000 0: reserved 50,000 100,000 100,000 0; default 50,000
 *          at minute 2;
 *   output asked  7,000  12,000  10,000 0: reserved  7,000  10,000  10,000 0; default 2,000
 *          at minute 1.
 * Observed: input used (50 + 100 + 100)K / (100K x 4) = 62.5%; output (7 + 10 + 10)K /
 * (10K x 4) = 67.5%; overflow 50,000 input and 2,000 output tokens in 2 of 4 minutes (50%).
 * Simulated independently: minute 1 spills output 12,000 x (1 - 10/12) = 2,000, minute 2
 * input 150,000 x (1 - 100/150) = 50,000: the same figures, error 0. Coupled, minute 1 also
 * spills input 100,000 x 1/6 = 16,666.67: simulated input use (250,000 - 16,666.67) / 400,000
 * = 58.33%, 4.17 points under what the metrics show; and minute 2 output 10,000 x 1/3:
 * simulated output use (27,000 - 3,333.33) / 40,000 = 59.17%, 8.33 points under 67.5%, the
 * larger error, so "within 8.33%". */
static void test_observed_equals_simulation(void)
{
    const double sv_in[] = {50000, 100000, 100000, 0}, sv_out[] = {7000, 10000, 10000, 0};
    const double ov_in[] = {0, 0, 50000, 0}, ov_out[] = {0, 2000, 0, 0}, zero[4] = {0};
    const tp_demand served = {sv_in, sv_out, zero, zero, 4, 0};
    const tp_demand overflow = {ov_in, ov_out, zero, zero, 4, 0};
    tp_sim_options o = {0};
    tp_sim_observed ob;
    tp_error err;
    o.reserve_input_tpm = 100000;
    o.reserve_output_tpm = 10000;
    o.spill_model = TP_SPILL_INDEPENDENT;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_observe(&served, &overflow, &price, &o, &ob, &err), TP_OK);
    NEAR(ob.utilization_input, 0.625);
    NEAR(ob.utilization_output, 0.675);
    NEAR(ob.overflow_input_tokens, 50000);
    NEAR(ob.overflow_output_tokens, 2000);
    CU_ASSERT_EQUAL(ob.overflow_minutes, 2);
    NEAR(ob.overflow_minutes_pct, 50);
    NEAR(ob.simulated.utilization_input, 0.625);
    CU_ASSERT(fabs(ob.error_utilization_input) < 1e-12);
    CU_ASSERT(fabs(ob.error_utilization_output) < 1e-12);
    CU_ASSERT(fabs(ob.error_overflow_minutes_pct) < 1e-12);
    CU_ASSERT(fabs(ob.error_overflow_input_tokens) < 1e-6);
    CU_ASSERT(fabs(ob.error_overflow_output_tokens) < 1e-6);
    CU_ASSERT(ob.error_pct < 1e-9);

    o.spill_model = TP_SPILL_COUPLED;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_observe(&served, &overflow, &price, &o, &ob, &err), TP_OK);
    NEAR(ob.utilization_input, 0.625); /* the metrics do not change */
    NEAR(ob.simulated.utilization_input, (250000 - 100000.0 / 6) / 400000);
    NEAR(ob.error_utilization_input, (250000 - 100000.0 / 6) / 400000 - 0.625);
    NEAR(ob.error_utilization_output, (27000 - 10000.0 / 3) / 40000 - 0.675);
    NEAR(ob.error_pct, 100 * (0.675 - (27000 - 10000.0 / 3) / 40000));

    /* demands of different windows are refused */
    const tp_demand shorter = {sv_in, sv_out, zero, zero, 3, 0};
    CU_ASSERT_EQUAL(tp_simulate_observe(&shorter, &overflow, &price, &o, &ob, &err),
                    TP_ERR_USAGE);
}

static tp_store *store_with(const char *csv)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "t.csv", csv, NULL, &err), TP_OK);
    return s;
}

/* From the store: the pairs of the family with both tiers. Asked reserved 150,000 at minute 0
 * served 100,000 reserved + 50,000 default, asked default 30,000 (not the reservation's);
 * held 100,000 input TPM over 2 minutes: 100,000 / 200,000 = 50% used, overflow in 1 of 2
 * minutes. simulate's JSON has the object, and null for a model whose traffic never asked
 * for reserved; the text has the line. */
static void test_observed_from_series(void)
{
    tp_store *s = store_with("timestamp,model,metric,value,tier,service_tier\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,100000,reserved,reserved\n"
                             "2026-10-05T14:00:00Z,m1,InputTokenCount,50000,default,reserved\n"
                             "2026-10-05T14:01:00Z,m1,InputTokenCount,30000,default,default\n");
    tp_series_query q = {0};
    tp_series *ser = NULL;
    tp_error err;
    tp_sim_options o = {0};
    tp_sim_observed ob;
    tp_sim_result r;
    int has = -1;
    char *json = NULL, *text = NULL;
    q.model = "m1";
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    o.reserve_input_tpm = 100000;
    CU_ASSERT_EQUAL(tp_simulate_observe_series(ser, &price, &o, &has, &ob, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(has, 1);
    NEAR(ob.utilization_input, 0.5);
    CU_ASSERT(isnan(ob.utilization_output));
    NEAR(ob.overflow_input_tokens, 50000);
    NEAR(ob.overflow_minutes_pct, 50);
    CU_ASSERT(ob.error_pct < 1e-9); /* coupled, no output reserved: the same split */
    const tp_demand d = tp_series_demand(ser);
    CU_ASSERT_EQUAL_FATAL(tp_simulate_run(&d, &price, &o, &r, &err), TP_OK);
    tp_sim_report rep = {ser, pricing, &price, &o, &r, 0, NULL, &ob};
    CU_ASSERT_EQUAL(tp_report_sim(&rep, TP_FORMAT_JSON, &json, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_report_sim(&rep, TP_FORMAT_TEXT, &text, &err), TP_OK);
    cJSON *root = cJSON_Parse(json);
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "observed");
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(obj, "utilization");
    NEAR(cJSON_GetObjectItemCaseSensitive(u, "input")->valuedouble, 0.5);
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(u, "output")));
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(obj, "overflow");
    NEAR(cJSON_GetObjectItemCaseSensitive(ov, "input_tokens")->valuedouble, 50000);
    NEAR(cJSON_GetObjectItemCaseSensitive(ov, "minutes")->valuedouble, 1);
    CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItemCaseSensitive(obj, "error"));
    ASSERT_CONTAINS(text, "held reservation: 50.0% used, overflow in 50.0% of minutes; the "
                          "simulation within 0.0%\n");
    cJSON_Delete(root);
    free(json);
    free(text);
    tp_series_free(ser);
    tp_store_close(s);

    /* no traffic asked for reserved (the total alone): nothing observed, JSON null */
    s = store_with("timestamp,model,metric,value,tier,service_tier\n"
                   "2026-10-05T14:00:00Z,m1,InputTokenCount,100000,,\n");
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_simulate_observe_series(ser, &price, &o, &has, &ob, &err), TP_OK);
    CU_ASSERT_EQUAL(has, 0);
    rep.series = ser;
    rep.observed = NULL;
    CU_ASSERT_EQUAL(tp_report_sim(&rep, TP_FORMAT_JSON, &json, &err), TP_OK);
    root = cJSON_Parse(json);
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "observed")));
    cJSON_Delete(root);
    free(json);
    tp_series_free(ser);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("observed", setup, teardown);
    ADD(s, test_observed_equals_simulation);
    ADD(s, test_observed_from_series);
}
