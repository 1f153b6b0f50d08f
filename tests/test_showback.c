/* test_showback.c - the showback rule: the two-team example of docs/model.md by hand, the
 * add-up property on random data (keys add up to the totals, the totals are simulate's), and
 * idle reserved capacity as its own line or spread; units held of a unit-based provider by hand
 * (spill, throttle, per-second burst) and against tp_units_eval. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_fixtures.h"
#include "test_util.h"
#include "tierplan/showback.h"
#include "tierplan/units.h"

void register_tests(void);

#define MODEL "m"

/* Input 3 USD per million, output 15, no cache; reserved input 6 x 744 / 730 USD and output
 * 30 x 744 / 730 per 1K TPM-hour; standard multiplier 1, priority 1.75. A reservation is
 * billed 730 h a calendar month (docs/model.md, "Terms"), so a minute of August (744 h) is
 * billed 730 / 744 of an hour's sixtieth: 100,000 input TPM cost 100 x 6 x 744/730 x 730/744 /
 * 60 = 10 USD a minute, and 1,000 output TPM 0.50, the round figures of the examples below. */
static tp_model_price prices(void)
{
    tp_model_price p;
    memset(&p, 0, sizeof p);
    snprintf(p.entry, sizeof p.entry, "%s", MODEL);
    p.input_per_million_usd = 3, p.output_per_million_usd = 15;
    p.cache_read_per_million_usd = 0.3, p.cache_write_per_million_usd = 3.75;
    p.reserved_input_per_1k_tpm_hour_usd = 6.0 * 744 / 730;
    p.reserved_output_per_1k_tpm_hour_usd = 30.0 * 744 / 730;
    p.burn_down_cache_read = 0.1, p.burn_down_cache_write = 1;
    p.quota_output_weight = 1;
    p.tier_multiplier[TP_TIER_STANDARD] = 1, p.tier_multiplier[TP_TIER_PRIORITY] = 1.75;
    /* the tiers' prices as tp_pricing_lookup fills them from the multipliers */
    const double standard[TP_METRIC_COUNT] = {3, 15, 0.3, 3.75};
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        p.tier_per_million_usd[TP_TIER_STANDARD][m] = standard[m];
        p.tier_per_million_usd[TP_TIER_PRIORITY][m] = 1.75 * standard[m];
    }
    return p;
}

/* Appends one record of key (an identity role) at minute m of 2025-08-15T12:00Z. */
static void rec(char **buf, size_t *len, size_t *cap, const char *team, int m, long in, long cr,
                long cw, long out)
{
    char line[512];
    snprintf(line, sizeof line,
             "{\"requestId\":\"r\",\"modelId\":\"" MODEL "\",\"timestamp\":"
             "\"2025-08-15T%02d:%02d:07Z\",\"identity\":{\"arn\":\"%s\"},\"input\":"
             "{\"inputTokenCount\":%ld,\"cacheReadInputTokenCount\":%ld,"
             "\"cacheWriteInputTokenCount\":%ld},\"output\":{\"outputTokenCount\":%ld}}\n",
             12 + m / 60, m % 60, team, in, cr, cw, out);
    size_t k = strlen(line);
    if (*len + k + 1 > *cap) {
        *cap = (*cap + k + 1) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, line, k + 1);
    *len += k;
}

static tp_store *store_with(const char *text)
{
    tp_store *s = open_mem();
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "logs", text, NULL, &err), TP_OK);
    return s;
}

/* A reservation that leaves default out serves none of the logs' traffic (they carry no
 * tier: default): refused, naming the field. */
static void test_route_without_default(void)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rec(&buf, &len, &cap, "team-a", 0, 60000, 0, 0, 0);
    tp_store *s = store_with(buf);
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_error err;
    const tp_model_price p = prices();
    q.model = MODEL;
    o.reserve_input_tpm = 100000;
    o.routed_tiers = TP_ROUTE_TIER(TP_SERVICE_PRIORITY);
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.field, "route_tiers");
    CU_ASSERT_PTR_NULL(sb);
    o.routed_tiers = TP_ROUTE_TIER(TP_SERVICE_PRIORITY) | TP_ROUTE_TIER(TP_SERVICE_DEFAULT);
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_OK);
    CU_ASSERT_EQUAL(sb->routed_tiers, o.routed_tiers | TP_ROUTE_TIER(TP_SERVICE_RESERVED));
    tp_showback_free(sb);
    tp_store_close(s);
    free(buf);
}

static tp_showback *run(tp_store *s, double ri, double ro, int spread, int64_t from, size_t n)
{
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_error err;
    const tp_model_price p = prices();
    q.model = MODEL;
    if (n > 0)
        q.has_from = q.has_to = 1, q.from_minute = from, q.to_minute = from + (int64_t)n;
    o.reserve_input_tpm = ri, o.reserve_output_tpm = ro, o.spread_idle = spread;
    o.spill_model = TP_SPILL_INDEPENDENT;
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_OK);
    return sb;
}

/* docs/model.md, "Showback": reserve 100,000 input TPM (6 USD per 1K TPM-hour: 10 USD a
 * minute) and no output. Minute 0: A 60,000, B 20,000 input tokens: 80% used, A 6, B 2, idle
 * 2 USD. Minute 1: A 150,000, B 50,000: all used, A 7.50, B 2.50; half spills: A 75,000 x 3
 * USD/M = 0.225, B 25,000 -> 0.075. Reserved 20 USD: A 13.50, B 4.50, idle 2.00. Spill 30
 * cents: A 22.5, B 7.5 -> floors 22 + 7 = 29, the cent left goes to the larger remainder,
 * a tie, so to the first key: A 23, B 7. Totals A 13.73, B 4.57, idle 2.00 = 20.30. With
 * --spread-idle the 2 USD follow the input demand (A 210,000, B 70,000: 3/4 and 1/4): A
 * reserved 15.00, B 5.00. */
static void test_two_teams(void)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rec(&buf, &len, &cap, "team-a", 0, 60000, 0, 0, 0);
    rec(&buf, &len, &cap, "team-b", 0, 20000, 0, 0, 0);
    rec(&buf, &len, &cap, "team-a", 1, 150000, 0, 0, 0);
    rec(&buf, &len, &cap, "team-b", 1, 50000, 0, 0, 0);
    tp_store *s = store_with(buf);
    tp_showback *sb = run(s, 100000, 0, 0, 0, 0);
    CU_ASSERT_EQUAL(sb->minutes, 2);
    ASSERT_NEAR(sb->reserved_usd, 20, 1e-9);
    ASSERT_NEAR(sb->spill_usd, 0.3, 1e-9);
    ASSERT_NEAR(sb->idle_usd, 2, 1e-9);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 3);
    CU_ASSERT_STRING_EQUAL(sb->lines[0].key, "team-a");
    ASSERT_NEAR(sb->lines[0].reserved_usd, 13.5, 1e-9);
    ASSERT_NEAR(sb->lines[0].spill_usd, 0.225, 1e-9);
    CU_ASSERT_EQUAL(sb->lines[0].reserved_cents, 1350);
    CU_ASSERT_EQUAL(sb->lines[0].spill_cents, 23);
    CU_ASSERT_EQUAL(sb->lines[0].total_cents, 1373);
    CU_ASSERT_EQUAL(sb->lines[1].total_cents, 457);
    CU_ASSERT_EQUAL(sb->lines[2].idle, 1);
    CU_ASSERT_EQUAL(sb->lines[2].total_cents, 200);
    CU_ASSERT_EQUAL(sb->total_cents, 2030);
    /* the on-demand baseline, each token at the tier that served it: the logs' traffic is
     * default, at Standard: A 210,000 x 3 USD/M = 0.63, B 70,000 -> 0.21, the window 0.84;
     * the reservation serves reserved and default (the logs' tier) */
    ASSERT_NEAR(sb->on_demand_baseline_usd, 0.84, 1e-9);
    ASSERT_NEAR(sb->lines[0].on_demand_baseline_usd, 0.63, 1e-9);
    ASSERT_NEAR(sb->lines[1].on_demand_baseline_usd, 0.21, 1e-9);
    ASSERT_NEAR(sb->lines[2].on_demand_baseline_usd, 0, 0);
    CU_ASSERT_EQUAL(sb->routed_tiers,
                    TP_ROUTE_TIER(TP_SERVICE_RESERVED) | TP_ROUTE_TIER(TP_SERVICE_DEFAULT));
    char *text = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_report_showback(sb, TP_FORMAT_JSON, &text, &err), TP_OK);
    ASSERT_CONTAINS(text, "\"on_demand_baseline\":\t0.84");
    ASSERT_CONTAINS(text, "\"routed_tiers\":\t[\"reserved\", \"default\"]");
    free(text);
    CU_ASSERT_EQUAL(tp_report_showback(sb, TP_FORMAT_TEXT, &text, &err), TP_OK);
    ASSERT_CONTAINS(text, "routed tiers: reserved,default\non-demand baseline $0.84 (each");
    free(text);
    CU_ASSERT_EQUAL(tp_report_showback(sb, TP_FORMAT_CSV, &text, &err), TP_OK);
    ASSERT_CONTAINS(text, "\"m\",\"team-a\",0,210000,0,13.5,0.23,13.73,,\n");
    ASSERT_CONTAINS(text, "\"m\",\"(idle)\",1,0,0,2,0,2,,\n");
    free(text);
    CU_ASSERT_EQUAL(tp_report_showback(sb, TP_FORMAT_HTML, &text, &err), TP_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.message, "showback: format takes text, csv, json or markdown");
    CU_ASSERT_STRING_EQUAL(err.field, "format");
    tp_showback_free(sb);
    sb = run(s, 100000, 0, 1, 0, 0);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 2); /* no idle line left */
    CU_ASSERT_EQUAL(sb->lines[0].reserved_cents, 1500);
    CU_ASSERT_EQUAL(sb->lines[1].reserved_cents, 500);
    /* the text says the idle capacity was spread, not that it is its own line */
    CU_ASSERT_EQUAL(tp_report_showback(sb, TP_FORMAT_TEXT, &text, &err), TP_OK);
    ASSERT_CONTAINS(text, "\nidle reserved capacity spread over the keys by their demand\n");
    ASSERT_CONTAINS(text, "(used by nobody): $2.00, spread over the keys by their demand;\n");
    free(text);
    tp_showback_free(sb);
    /* 1,000 output TPM reserved at 30 USD per 1K TPM-hour: 0.50 USD a minute, 1.00 over the
     * two minutes, and no output demand to spread it by: it keeps the (idle) line */
    sb = run(s, 100000, 1000, 1, 0, 0);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 3);
    CU_ASSERT_EQUAL(sb->lines[2].reserved_cents, 100);
    CU_ASSERT_EQUAL(tp_report_showback(sb, TP_FORMAT_TEXT, &text, &err), TP_OK);
    ASSERT_CONTAINS(text, "(used by nobody): $3.00, spread over the keys by their demand\n"
                          "except $1.00 (no demand on its side: the (idle) line)");
    free(text);
    tp_showback_free(sb);
    tp_store_close(s);
    free(buf);
}

/* A reservation over a window with one busy minute of three: the two idle minutes are idle
 * capacity whole (2 x 10 USD) beside the busy minute's unused 20% (2 USD). */
static void test_idle(void)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rec(&buf, &len, &cap, "team-a", 1, 80000, 0, 0, 0);
    tp_store *s = store_with(buf);
    /* 2025-08-15T12:00Z is minute 29,254,320 */
    tp_showback *sb = run(s, 100000, 0, 0, 29254320, 3);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 2);
    CU_ASSERT_EQUAL(sb->lines[0].reserved_cents, 800);
    CU_ASSERT_EQUAL(sb->lines[1].idle, 1);
    CU_ASSERT_EQUAL(sb->lines[1].reserved_cents, 2200);
    ASSERT_NEAR(sb->idle_usd, 22, 1e-9);
    tp_showback_free(sb);
    tp_store_close(s);
    free(buf);
}

/* Random keys, minutes, cache use and reservations: every column adds up to its total in
 * cents, the exact shares add up to the totals, and the totals are tp_simulate_run's on the
 * summed demand. */
static void test_add_up_random(void)
{
    uint64_t r = 12345;
    for (int round = 0; round < 20; round++) {
        char *buf = NULL, team[32];
        size_t len = 0, cap = 0;
        for (int m = 0; m < 120; m++)
            for (int k = 0; k < 7; k++) {
                if ((test_rng_next(&r) >> 60) < 6)
                    continue;
                snprintf(team, sizeof team, "key-%d", k);
                rec(&buf, &len, &cap, team, m, (long)(r >> 45) % 50000, (long)(r >> 30) % 9000,
                    (long)(r >> 20) % 3000, (long)(r >> 10) % 4000);
            }
        tp_store *s = store_with(buf);
        const double ri = (double)(round * 7919 % 60000), ro = (double)(round * 104729 % 5000);
        tp_showback_options o = {0};
        tp_showback *sb = NULL;
        tp_series_query q = {0};
        tp_error err;
        const tp_model_price p = prices();
        q.model = MODEL;
        o.reserve_input_tpm = ri, o.reserve_output_tpm = ro;
        o.spill_model = round % 2 ? TP_SPILL_COUPLED : TP_SPILL_INDEPENDENT;
        o.spill_to = round % 3 == 0 ? TP_SPILL_TO_PRIORITY : TP_SPILL_TO_STANDARD;
        o.spread_idle = round % 4 == 0;
        CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_OK);
        int64_t rc = 0, sc = 0, tc = 0;
        double ru = 0, su = 0;
        for (size_t i = 0; i < sb->n_lines; i++) {
            rc += sb->lines[i].reserved_cents, sc += sb->lines[i].spill_cents;
            tc += sb->lines[i].total_cents;
            ru += sb->lines[i].reserved_usd, su += sb->lines[i].spill_usd;
            CU_ASSERT(sb->lines[i].reserved_cents >= 0 && sb->lines[i].spill_cents >= 0);
        }
        CU_ASSERT_EQUAL(rc, sb->reserved_cents);
        CU_ASSERT_EQUAL(sc, sb->spill_cents);
        CU_ASSERT_EQUAL(tc, sb->total_cents);
        CU_ASSERT_EQUAL(sb->total_cents, sb->reserved_cents + sb->spill_cents);
        ASSERT_NEAR(ru, sb->reserved_usd, 1e-6);
        ASSERT_NEAR(su, sb->spill_usd, 1e-6);
        /* the same figures as simulate on the summed demand of the same window */
        tp_series *ser = NULL;
        q.source = TP_SOURCE_LOGS;
        q.has_from = q.has_to = 1, q.from_minute = sb->from_minute;
        q.to_minute = sb->from_minute + (int64_t)sb->minutes;
        CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
        const tp_demand d = tp_series_demand(ser);
        tp_sim_options so = {0};
        tp_sim_result res;
        so.reserve_input_tpm = ri, so.reserve_output_tpm = ro;
        so.spill_model = o.spill_model, so.spill_to = o.spill_to;
        /* simulate bills the window's hours as showback does: 730 a calendar month */
        const tp_model_price billed =
            tp_pricing_bill_span(&p, d.from_minute, d.from_minute + (int64_t)d.minutes);
        CU_ASSERT_EQUAL(tp_simulate_run(&d, &billed, &so, &res, &err), TP_OK);
        ASSERT_NEAR(res.reserved_usd, sb->reserved_usd, 1e-6);
        ASSERT_NEAR(res.spill_usd, sb->spill_usd, 1e-6);
        tp_series_free(ser);
        tp_showback_free(sb);
        tp_store_close(s);
        free(buf);
    }
}

/* A relative window (--last 1h, --from -1h) is anchored at the end of the model's logs:
 * records at 12:00 and 12:01 end the logs at 12:02 (minute 29,254,322), so the window is
 * 11:02 .. 12:02, 60 minutes, and a 100,000 TPM reservation (10 USD a minute) costs 600 USD.
 * Anchored at now 12:01 instead, it is 11:01 .. 12:01 and holds only the 12:00 record (A's
 * 60,000 and B's 20,000 input tokens: 8 USD used, 592 idle). */
static void test_relative_window(void)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rec(&buf, &len, &cap, "team-a", 0, 60000, 0, 0, 0);
    rec(&buf, &len, &cap, "team-b", 0, 20000, 0, 0, 0);
    rec(&buf, &len, &cap, "team-a", 1, 150000, 0, 0, 0);
    tp_store *s = store_with(buf);
    tp_window_spec w = {0};
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_error err;
    const tp_model_price p = prices();
    w.from.kind = TP_BOUND_BEFORE, w.from.amount = 1, w.from.unit = TP_UNIT_HOUR;
    q.model = MODEL, q.window = &w;
    o.reserve_input_tpm = 100000, o.spill_model = TP_SPILL_INDEPENDENT;
    /* the logs hold minutes 29254320 and 29254321: --last 1h from their end (29254322)
     * would start 58 minutes before the first record; a rolling window stays within the
     * data (docs/user-guide.md, "Windows"), so it is those 2 minutes: $10 of reserved
     * capacity a minute ($600 an hour), $20 */
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_OK);
    CU_ASSERT_EQUAL(sb->from_minute, 29254320);
    CU_ASSERT_EQUAL(sb->minutes, 2);
    ASSERT_NEAR(sb->reserved_usd, 20, 1e-9);
    tp_showback_free(sb);
    /* anchored at --now 29254321: [29254261, 29254321) within the data is minute 29254320
     * alone: 80,000 of 100,000 TPM used, $2 of its $10 idle; team-a's 60,000 is $6, team-b's
     * 20,000 $2 */
    w.has_now = 1, w.now_minute = 29254321;
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_OK);
    CU_ASSERT_EQUAL(sb->from_minute, 29254320);
    CU_ASSERT_EQUAL(sb->minutes, 1);
    ASSERT_NEAR(sb->idle_usd, 2, 1e-9);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 3);
    CU_ASSERT_EQUAL(sb->lines[0].reserved_cents, 600);
    CU_ASSERT_EQUAL(sb->lines[1].reserved_cents, 200);
    tp_showback_free(sb);
    /* options simulate refuses are refused here too, with its words: a negative reservation,
     * a quota that is not a number */
    o.reserve_input_tpm = -1;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "a reservation must be a non-negative number"));
    o.reserve_input_tpm = 100000, o.quota_tpm = NAN;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.message, "quota_tpm must be a non-negative number");
    CU_ASSERT_STRING_EQUAL(err.field, "quota_tpm");
    CU_ASSERT_PTR_NULL(sb);
    tp_store_close(s);
    free(buf);
}

/* Distinct keys past the cap (o.max_keys here; TP_SHOWBACK_MAX_KEYS by default) refuse the
 * showback, naming the window's count and the cap: three keys over two minutes (team-a twice)
 * are 3 distinct keys, over a cap of 2 and within one of 3. The stored sums are untouched. */
static void test_key_cap(void)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rec(&buf, &len, &cap, "team-a", 0, 60000, 0, 0, 0);
    rec(&buf, &len, &cap, "team-b", 0, 20000, 0, 0, 0);
    rec(&buf, &len, &cap, "team-a", 1, 150000, 0, 0, 0);
    rec(&buf, &len, &cap, "team-c", 1, 50000, 0, 0, 0);
    tp_store *s = store_with(buf);
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_error err;
    const tp_model_price p = prices();
    q.model = MODEL;
    o.reserve_input_tpm = 100000, o.spill_model = TP_SPILL_INDEPENDENT;
    o.max_keys = 2;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_TOO_BIG);
    CU_ASSERT_PTR_NULL(sb);
    CU_ASSERT_STRING_EQUAL(err.message,
                           "showback of \"m\": 3 distinct keys in the window, over the cap of 2 "
                           "(TP_SHOWBACK_MAX_KEYS): ingest with a coarser --attribute-by, or "
                           "show back a shorter window");
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM log_minutes"), 4);
    o.max_keys = 3;
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_OK);
    CU_ASSERT_EQUAL(sb->n_lines, 4); /* three keys and the idle line */
    tp_showback_free(sb);
    o.max_keys = 0; /* the default cap */
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_OK);
    CU_ASSERT_EQUAL(sb->n_lines, 4);
    tp_showback_free(sb);
    tp_store_close(s);
    free(buf);
}


/* ---- units held (a unit-based provider) ---- */

/* An Azure-shaped unit entry: 1 unit serves 1,000 weighted TPM, an output token weighs 4, a
 * cache read 0, a cache write 1; 1 unit and up in steps of 1; $6 a unit-hour hourly and $3 on
 * the month; on demand (Standard) input $10 per million, output $40, cache read $1, cache
 * write $10. */
static tp_model_price unit_prices(int throttle, int per_second)
{
    tp_model_price p;
    memset(&p, 0, sizeof p);
    snprintf(p.entry, sizeof p.entry, "%s", MODEL);
    p.provider = per_second ? TP_PROVIDER_VERTEX_GSU : TP_PROVIDER_AZURE_PTU;
    p.input_per_million_usd = 10, p.output_per_million_usd = 40;
    p.cache_read_per_million_usd = 1, p.cache_write_per_million_usd = 10;
    p.reserved_input_per_1k_tpm_hour_usd = p.reserved_output_per_1k_tpm_hour_usd = -1;
    p.tier_multiplier[TP_TIER_STANDARD] = 1;
    const double standard[TP_METRIC_COUNT] = {10, 40, 1, 10};
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        p.tier_per_million_usd[TP_TIER_STANDARD][m] = standard[m];
    tp_unit_price *u = &p.unit;
    snprintf(u->name, sizeof u->name, "%s", per_second ? "GSU" : "PTU");
    u->capacity_tpm_per_unit = 1000, u->per_second = per_second;
    u->output_weight = 4, u->cache_read_weight = 0, u->cache_write_weight = 1;
    u->minimum_units = 1, u->step_units = 1;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        u->per_unit_hour_usd[t] = -1;
    u->per_unit_hour_usd[TP_UNIT_HOURLY] = 6, u->per_unit_hour_usd[TP_UNIT_1_MONTH] = 3;
    u->throttle = throttle;
    return p;
}

/* The two keys of the unit examples over three minutes (docs/model.md, "Other providers"). */
static tp_store *unit_store(char **buf)
{
    size_t len = 0, cap = 0;
    rec(buf, &len, &cap, "team-a", 0, 600, 0, 0, 100);
    rec(buf, &len, &cap, "team-b", 0, 200, 1000, 0, 0);
    rec(buf, &len, &cap, "team-a", 1, 2000, 0, 0, 250);
    rec(buf, &len, &cap, "team-b", 1, 1000, 0, 0, 0);
    rec(buf, &len, &cap, "team-a", 2, 400, 0, 0, 0);
    return store_with(*buf);
}

static tp_showback *run_units(tp_store *s, const tp_model_price *p, int64_t units,
                              tp_unit_term term, int spread)
{
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_error err;
    q.model = MODEL;
    o.units = units, o.unit_term = term, o.spread_idle = spread;
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, p, &o, &sb, &err), TP_OK);
    return sb;
}

/* By hand. 2 units hourly: capacity 2,000 weighted TPM, 2 x $6 x 3/60 h = $0.60 over the
 * three minutes, $0.20 a minute. Weighted tokens: input + 4 x output + 0 x cache read.
 * Minute 0: A 600 + 4 x 100 = 1,000, B 200 + 0 x 1,000 = 200; W = 1,200 of 2,000: used
 * 0.20 x 1,200/2,000 = 0.12, A 0.12 x 1,000/1,200 = 0.10, B 0.02, idle 0.08.
 * Minute 1: A 2,000 + 4 x 250 = 3,000, B 1,000; W = 4,000 > 2,000: all used, A 0.15, B 0.05;
 * the excess share (4,000 - 2,000) / 4,000 = 1/2 of every token spills: A (2,000 x 10 + 250 x
 * 40) / 1e6 = 0.03 on demand, half 0.015, and 1,125 tokens; B 1,000 x 10 / 1e6 = 0.01, half
 * 0.005, 500 tokens.
 * Minute 2: A 400 of 2,000: 0.20 x 0.2 = 0.04, idle 0.16.
 * Units $0.60: A 0.10 + 0.15 + 0.04 = 0.29, B 0.07, idle 0.24. Spill 2 cents: A 1.5, B 0.5,
 * floors 1 + 0, the cent left to the larger remainder, a tie, so to the first key: A 2, B 0.
 * A 31 cents, B 7, idle 24: 62. On demand: A 0.01 + 0.03 + 0.004 = 0.044, B (200 x 10 +
 * 1,000 x 1) / 1e6 + 0.01 = 0.013. Weighted tokens A 4,400, B 1,200. */
static void test_units_by_hand(void)
{
    char *buf = NULL;
    tp_store *s = unit_store(&buf);
    const tp_model_price p = unit_prices(0, 0);
    tp_showback *sb = run_units(s, &p, 2, TP_UNIT_HOURLY, 0);
    CU_ASSERT_EQUAL(sb->provider, TP_PROVIDER_AZURE_PTU);
    CU_ASSERT_EQUAL(sb->units, 2);
    CU_ASSERT_EQUAL(sb->minutes, 3);
    ASSERT_NEAR(sb->capacity_tpm, 2000, 0);
    ASSERT_NEAR(sb->price_hours, 0.05, 1e-12);
    ASSERT_NEAR(sb->reserved_usd, 0.60, 1e-12);
    ASSERT_NEAR(sb->spill_usd, 0.02, 1e-12);
    ASSERT_NEAR(sb->idle_usd, 0.24, 1e-12);
    ASSERT_NEAR(sb->on_demand_baseline_usd, 0.057, 1e-12);
    ASSERT_NEAR(sb->weighted_tokens, 5600, 1e-9);
    CU_ASSERT_EQUAL(sb->routed_tiers, 0);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 3);
    const tp_showback_line *a = &sb->lines[0], *b = &sb->lines[1], *idle = &sb->lines[2];
    CU_ASSERT_STRING_EQUAL(a->key, "team-a");
    ASSERT_NEAR(a->reserved_usd, 0.29, 1e-12);
    ASSERT_NEAR(b->reserved_usd, 0.07, 1e-12);
    ASSERT_NEAR(idle->reserved_usd, 0.24, 1e-12);
    ASSERT_NEAR(a->spill_usd, 0.015, 1e-12);
    ASSERT_NEAR(b->spill_usd, 0.005, 1e-12);
    CU_ASSERT_EQUAL(a->reserved_cents, 29);
    CU_ASSERT_EQUAL(a->spill_cents, 2);
    CU_ASSERT_EQUAL(a->total_cents, 31);
    CU_ASSERT_EQUAL(b->reserved_cents, 7);
    CU_ASSERT_EQUAL(b->spill_cents, 0);
    CU_ASSERT_EQUAL(idle->idle, 1);
    CU_ASSERT_EQUAL(idle->total_cents, 24);
    CU_ASSERT_EQUAL(sb->total_cents, 62);
    ASSERT_NEAR(a->spill_tokens, 1125, 1e-9);
    ASSERT_NEAR(b->spill_tokens, 500, 1e-9);
    ASSERT_NEAR(a->throttled_tokens, 0, 0);
    ASSERT_NEAR(a->weighted_tokens, 4400, 1e-9);
    ASSERT_NEAR(b->weighted_tokens, 1200, 1e-9);
    ASSERT_NEAR(a->tokens, 600 + 100 + 2000 + 250 + 400, 1e-9);
    ASSERT_NEAR(b->tokens, 1200 + 1000, 1e-9);
    ASSERT_NEAR(a->on_demand_baseline_usd, 0.044, 1e-12);
    ASSERT_NEAR(b->on_demand_baseline_usd, 0.013, 1e-12);
    /* the input side of the weighted tokens, and raw output */
    ASSERT_NEAR(a->effective_input_tokens, 3000, 1e-9);
    ASSERT_NEAR(a->output_tokens, 350, 1e-9);
    ASSERT_NEAR(b->effective_input_tokens, 1200, 1e-9);
    tp_showback_free(sb);
    /* --spread-idle: the idle 0.24 follows the weighted tokens, A 4,400/5,600 = 0.188571 and
     * B 0.051429: A 0.478571, B 0.121429 = 47.86 and 12.14 cents, floors 47 + 12 = 59, the
     * cent left to A's larger remainder: A 48, B 12, no idle line */
    sb = run_units(s, &p, 2, TP_UNIT_HOURLY, 1);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 2);
    CU_ASSERT_EQUAL(sb->lines[0].reserved_cents, 48);
    CU_ASSERT_EQUAL(sb->lines[1].reserved_cents, 12);
    tp_showback_free(sb);
    /* throttled: the same shares of the units; the half of minute 1 over capacity is refused,
     * reported as throttled tokens (A 1,125, B 500) and charged nothing */
    const tp_model_price pt = unit_prices(1, 0);
    sb = run_units(s, &pt, 2, TP_UNIT_HOURLY, 0);
    ASSERT_NEAR(sb->spill_usd, 0, 0);
    CU_ASSERT_EQUAL(sb->spill_cents, 0);
    CU_ASSERT_EQUAL(sb->lines[0].reserved_cents, 29);
    CU_ASSERT_EQUAL(sb->total_cents, 60);
    ASSERT_NEAR(sb->lines[0].throttled_tokens, 1125, 1e-9);
    ASSERT_NEAR(sb->lines[1].throttled_tokens, 500, 1e-9);
    ASSERT_NEAR(sb->lines[0].spill_tokens, 0, 0);
    tp_showback_free(sb);
    /* per second (Vertex), burst x1.5 by default: minute 0 meets capacity as 1,800 (0.18
     * used: A 0.15, B 0.03); minute 1 as 6,000, the excess share 4,000/6,000 = 2/3 spills: A
     * 0.02, B 0.00667 (2.67 cents: A 2, B 1 by the larger remainder); minute 2 as 600, 0.06 */
    const tp_model_price pv = unit_prices(0, 1);
    sb = run_units(s, &pv, 2, TP_UNIT_HOURLY, 0);
    ASSERT_NEAR(sb->burst_factor, 1.5, 0);
    ASSERT_NEAR(sb->spill_usd, 0.02 + 0.01 * 2 / 3.0, 1e-12);
    ASSERT_NEAR(sb->lines[0].reserved_usd, 0.15 + 0.15 + 0.06, 1e-12);
    ASSERT_NEAR(sb->lines[1].reserved_usd, 0.03 + 0.05, 1e-12);
    CU_ASSERT_EQUAL(sb->lines[0].spill_cents, 2);
    CU_ASSERT_EQUAL(sb->lines[1].spill_cents, 1);
    ASSERT_NEAR(sb->idle_usd, 0.6 - 0.36 - 0.08, 1e-12);
    tp_showback_free(sb);
    tp_store_close(s);
    free(buf);
}

/* Units off the grid, a term not sold, Bedrock options on a unit entry and units on a Bedrock
 * entry are refused, each naming its field. */
static void test_units_refused(void)
{
    char *buf = NULL;
    tp_store *s = unit_store(&buf);
    tp_model_price p = unit_prices(0, 0);
    p.unit.minimum_units = 15, p.unit.step_units = 5;
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_error err;
    q.model = MODEL;
    o.units = 17;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.field, "units");
    CU_ASSERT_STRING_EQUAL(err.message, "showback: 17 PTU is not on catalog entry \"m\"'s grid "
                                        "(0, or 15 + a multiple of 5)");
    o.units = 20, o.unit_term = TP_UNIT_1_YEAR;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.field, "unit_term");
    o.unit_term = TP_UNIT_1_MONTH, o.reserve_input_tpm = 1000;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "are a Bedrock reservation's"));
    o.reserve_input_tpm = 0, o.burst_factor = 0.5;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.field, "burst_factor");
    const tp_model_price bedrock = prices();
    o.burst_factor = 0;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &bedrock, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.field, "units");
    CU_ASSERT_PTR_NULL(sb);
    /* a unit model without per-key usage: what it needs, said */
    q.model = "other";
    o.units = 0, o.unit_term = TP_UNIT_HOURLY;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "no per-key usage for model \"other\" (azure-ptu)"));
    tp_store_close(s);
    free(buf);
}

/* Random keys and minutes, each provider shape, spill and throttle, terms: the columns add
 * up to the totals in cents, the exact shares to the totals, and the totals are
 * tp_units_eval's on the summed demand of the window (units, spill, overflowed tokens). */
static void test_units_add_up_random(void)
{
    uint64_t r = 777;
    for (int round = 0; round < 16; round++) {
        char *buf = NULL, team[32];
        size_t len = 0, cap = 0;
        for (int m = 0; m < 90; m++)
            for (int k = 0; k < 6; k++) {
                if ((test_rng_next(&r) >> 60) < 5)
                    continue;
                snprintf(team, sizeof team, "key-%d", k);
                rec(&buf, &len, &cap, team, m, (long)(r >> 45) % 5000, (long)(r >> 30) % 9000,
                    (long)(r >> 20) % 700, (long)(r >> 10) % 900);
            }
        tp_store *s = store_with(buf);
        const tp_model_price p = unit_prices(round % 3 == 1, round % 2);
        const int64_t units = round % 5 == 0 ? 0 : 1 + round % 7;
        const tp_unit_term term = round % 4 < 2 ? TP_UNIT_HOURLY : TP_UNIT_1_MONTH;
        tp_showback_options o = {0};
        tp_showback *sb = NULL;
        tp_series_query q = {0};
        tp_error err;
        q.model = MODEL;
        o.units = units, o.unit_term = term, o.spread_idle = round % 4 == 3;
        o.burst_factor = round % 6 == 1 ? 2 : 0;
        CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_OK);
        int64_t rc = 0, sc = 0, tc = 0;
        double ru = 0, su = 0, over = 0, wt = 0;
        for (size_t i = 0; i < sb->n_lines; i++) {
            const tp_showback_line *l = &sb->lines[i];
            rc += l->reserved_cents, sc += l->spill_cents, tc += l->total_cents;
            ru += l->reserved_usd, su += l->spill_usd;
            over += l->spill_tokens + l->throttled_tokens, wt += l->weighted_tokens;
            CU_ASSERT(l->reserved_cents >= 0 && l->spill_cents >= 0);
        }
        CU_ASSERT_EQUAL(rc, sb->reserved_cents);
        CU_ASSERT_EQUAL(sc, sb->spill_cents);
        CU_ASSERT_EQUAL(tc, sb->total_cents);
        CU_ASSERT_EQUAL(sb->total_cents, sb->reserved_cents + sb->spill_cents);
        ASSERT_NEAR(ru, sb->reserved_usd, 1e-9);
        ASSERT_NEAR(su, sb->spill_usd, 1e-9);
        tp_series *ser = NULL;
        q.source = TP_SOURCE_LOGS;
        q.has_from = q.has_to = 1, q.from_minute = sb->from_minute;
        q.to_minute = sb->from_minute + (int64_t)sb->minutes;
        CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
        const tp_demand d = tp_series_demand(ser);
        tp_units_options uo = {0};
        tp_units_result res;
        uo.term = term, uo.burst_factor = o.burst_factor;
        CU_ASSERT_EQUAL_FATAL(tp_units_eval(&d, &p, &uo, units, &res, &err), TP_OK);
        ASSERT_NEAR(res.units_usd, sb->reserved_usd, 1e-9);
        ASSERT_NEAR(res.spill_usd, sb->spill_usd, 1e-9);
        ASSERT_NEAR(res.weighted_tokens, wt, 1e-6);
        ASSERT_NEAR(res.price_hours, sb->price_hours, 1e-12);
        ASSERT_NEAR(res.over_tokens[0] + res.over_tokens[1] + res.over_tokens[2] +
                        res.over_tokens[3],
                    over, 1e-6);
        tp_series_free(ser);
        tp_showback_free(sb);
        tp_store_close(s);
        free(buf);
    }
}

/* ---- two pools of units (openai-scale, xai) ---- */

/* A two-pool entry: input units of 1,000 TPM (cache read x0.5, cache write x1) at $1.44 a
 * unit-day, output units of 100 output TPM at $2.88; 1 and up in steps of 1; 30-day minimum;
 * on demand (Standard) input $10 per million, output $40, cache read $1, cache write $10. */
static tp_model_price pool_prices(int throttle)
{
    tp_model_price p = unit_prices(throttle, 0);
    tp_unit_price *u = &p.unit;
    p.provider = TP_PROVIDER_OPENAI_SCALE;
    snprintf(u->name, sizeof u->name, "unit");
    u->pools = 1, u->minimum_days = 30;
    u->input_pool.capacity_tpm_per_unit = 1000;
    u->input_pool.cache_read_weight = 0.5, u->input_pool.cache_write_weight = 1;
    u->input_pool.minimum_units = 1, u->input_pool.step_units = 1;
    u->input_pool.per_unit_day_usd = 1.44;
    u->output_pool.capacity_tpm_per_unit = 100;
    u->output_pool.minimum_units = 1, u->output_pool.step_units = 1;
    u->output_pool.per_unit_day_usd = 2.88;
    /* the one-pool fields mirror the input pool (pricing.h) */
    u->capacity_tpm_per_unit = 1000, u->output_weight = 0;
    u->cache_read_weight = 0.5, u->cache_write_weight = 1;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        u->per_unit_hour_usd[t] = -1;
    u->per_unit_hour_usd[TP_UNIT_1_MONTH] = 1.44 / 24;
    return p;
}

static tp_showback *run_pools(tp_store *s, const tp_model_price *p, int64_t n_in, int64_t n_out,
                              int spread)
{
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_error err;
    q.model = MODEL;
    o.units = n_in, o.output_units = n_out, o.unit_term = TP_UNIT_1_MONTH;
    o.spread_idle = spread;
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &q, p, &o, &sb, &err), TP_OK);
    return sb;
}

static const tp_showback_line *line_of(const tp_showback *sb, const char *key)
{
    for (size_t i = 0; i < sb->n_lines; i++)
        if (strcmp(sb->lines[i].key, key) == 0)
            return &sb->lines[i];
    CU_FAIL_FATAL("no such line");
    return NULL;
}

/* By hand (docs/model.md, "Showback of two pools"). 1 input unit (1,000 TPM) and 1 output
 * unit (100 TPM); three minutes billed 1 day: input units $1.44, $0.48 a minute; output units
 * $2.88, $0.96 a minute.
 * Minute 0: A 600 input + 100 output; B 400 input + 1,000 cache reads. Input pool: A 600, B
 * 400 + 0.5 x 1,000 = 900; E = 1,500 > 1,000: all $0.48 used, A 0.4 x 0.48 = 0.192, B 0.288;
 * a third overflows: A 1/3 x 600 x $10/M = $0.002 (200 tokens), B 1/3 x (400 x 10 + 1,000 x
 * 1)/M = $0.0016667 (466.67 tokens). Output pool: 100 of 100, all $0.96 to A, nothing over.
 * Minute 1: A 300 input + 300 output; B 100 output. Input 300 of 1,000: 0.3 x 0.48 = 0.144 to
 * A, $0.336 idle. Output 400 > 100: $0.96 used, A 0.72, B 0.24; 3/4 overflows: A 0.75 x 300 x
 * $40/M = $0.009 (225 tokens), B 0.75 x 100 x 40/M = $0.003 (75 tokens).
 * Minute 2: B 200 input: 0.2 x 0.48 = 0.096 to B, $0.384 input idle; the output $0.96 idle.
 * Units: A 0.192 + 0.96 + 0.144 + 0.72 = 2.016, B 0.288 + 0.24 + 0.096 = 0.624, idle input
 * 0.72 + output 0.96 = 1.68; 4.32 in all. Cents 201.6, 62.4, 168: floors 431, the cent left
 * to A (.6): 202, 62, 168. Spill A 0.011, B 0.0046667, $0.0156667: 2 cents; 1.1 and 0.4667
 * floor to 1 + 0, the cent left to B: 1, 1. A 203, B 63, idle 168: 434.
 * Spread: input idle 0.72 by input-pool tokens (A 900, B 1,100 of 2,000): A 0.324, B 0.396;
 * output idle 0.96 by output tokens (A 400, B 100): A 0.768, B 0.192; A 3.108, B 1.212:
 * cents 310.8, 121.2 -> 311, 121. */
static void test_pools_by_hand(void)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rec(&buf, &len, &cap, "team-a", 0, 600, 0, 0, 100);
    rec(&buf, &len, &cap, "team-b", 0, 400, 1000, 0, 0);
    rec(&buf, &len, &cap, "team-a", 1, 300, 0, 0, 300);
    rec(&buf, &len, &cap, "team-b", 1, 0, 0, 0, 100);
    rec(&buf, &len, &cap, "team-b", 2, 200, 0, 0, 0);
    tp_store *s = store_with(buf);
    const tp_model_price p = pool_prices(0);
    tp_showback *sb = run_pools(s, &p, 1, 1, 0);
    CU_ASSERT_EQUAL(sb->minutes, 3);
    ASSERT_NEAR(sb->billed_days, 1, 1e-12);
    ASSERT_NEAR(sb->input_units_usd, 1.44, 1e-12);
    ASSERT_NEAR(sb->output_units_usd, 2.88, 1e-12);
    ASSERT_NEAR(sb->reserved_usd, 4.32, 1e-12);
    ASSERT_NEAR(sb->input_idle_usd, 0.72, 1e-12);
    ASSERT_NEAR(sb->output_idle_usd, 0.96, 1e-12);
    ASSERT_NEAR(sb->input_spill_usd, 0.002 + 0.005 / 3, 1e-12);
    ASSERT_NEAR(sb->output_spill_usd, 0.012, 1e-12);
    CU_ASSERT_EQUAL(sb->reserved_cents, 432);
    CU_ASSERT_EQUAL(sb->spill_cents, 2);
    CU_ASSERT_EQUAL(sb->total_cents, 434);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 3);
    const tp_showback_line *a = line_of(sb, "team-a"), *b = line_of(sb, "team-b");
    const tp_showback_line *idle = line_of(sb, "(idle)");
    ASSERT_NEAR(a->reserved_usd, 2.016, 1e-12);
    ASSERT_NEAR(a->input_units_usd, 0.336, 1e-12);
    ASSERT_NEAR(a->output_units_usd, 1.68, 1e-12);
    ASSERT_NEAR(b->reserved_usd, 0.624, 1e-12);
    ASSERT_NEAR(idle->reserved_usd, 1.68, 1e-12);
    ASSERT_NEAR(idle->input_units_usd, 0.72, 1e-12);
    ASSERT_NEAR(idle->output_units_usd, 0.96, 1e-12);
    ASSERT_NEAR(a->spill_usd, 0.011, 1e-12);
    ASSERT_NEAR(a->input_spill_usd, 0.002, 1e-12);
    ASSERT_NEAR(a->output_spill_usd, 0.009, 1e-12);
    ASSERT_NEAR(b->spill_usd, 0.005 / 3 + 0.003, 1e-12);
    CU_ASSERT_EQUAL(a->reserved_cents, 202);
    CU_ASSERT_EQUAL(b->reserved_cents, 62);
    CU_ASSERT_EQUAL(idle->reserved_cents, 168);
    CU_ASSERT_EQUAL(a->spill_cents, 1);
    CU_ASSERT_EQUAL(b->spill_cents, 1);
    CU_ASSERT_EQUAL(a->total_cents, 203);
    CU_ASSERT_EQUAL(b->total_cents, 63);
    ASSERT_NEAR(a->spill_tokens, 425, 1e-9);
    ASSERT_NEAR(b->spill_tokens, 1400.0 / 3 + 75, 1e-9);
    ASSERT_NEAR(a->tokens, 1300, 1e-9);
    ASSERT_NEAR(b->tokens, 1700, 1e-9);
    ASSERT_NEAR(a->effective_input_tokens, 900, 1e-9);
    ASSERT_NEAR(a->output_tokens, 400, 1e-9);
    ASSERT_NEAR(a->weighted_tokens, 1300, 1e-9);
    ASSERT_NEAR(b->weighted_tokens, 1200, 1e-9);
    ASSERT_NEAR(a->on_demand_baseline_usd, 0.025, 1e-12);
    ASSERT_NEAR(b->on_demand_baseline_usd, 0.011, 1e-12);
    tp_showback_free(sb);

    /* idle spread by each pool's own tokens */
    sb = run_pools(s, &p, 1, 1, 1);
    CU_ASSERT_EQUAL_FATAL(sb->n_lines, 2);
    a = line_of(sb, "team-a"), b = line_of(sb, "team-b");
    ASSERT_NEAR(a->reserved_usd, 3.108, 1e-12);
    ASSERT_NEAR(a->input_units_usd, 0.336 + 0.324, 1e-12);
    ASSERT_NEAR(a->output_units_usd, 1.68 + 0.768, 1e-12);
    ASSERT_NEAR(b->reserved_usd, 1.212, 1e-12);
    CU_ASSERT_EQUAL(a->reserved_cents, 311);
    CU_ASSERT_EQUAL(b->reserved_cents, 121);
    tp_showback_free(sb);

    /* throttled: the same shares of the units; the overflow is refused, not charged */
    const tp_model_price pt = pool_prices(1);
    sb = run_pools(s, &pt, 1, 1, 0);
    a = line_of(sb, "team-a"), b = line_of(sb, "team-b");
    ASSERT_NEAR(sb->spill_usd, 0, 1e-15);
    CU_ASSERT_EQUAL(sb->spill_cents, 0);
    ASSERT_NEAR(a->reserved_usd, 2.016, 1e-12);
    ASSERT_NEAR(a->throttled_tokens, 425, 1e-9);
    ASSERT_NEAR(a->spill_tokens, 0, 1e-12);
    ASSERT_NEAR(b->throttled_tokens, 1400.0 / 3 + 75, 1e-9);
    tp_showback_free(sb);
    tp_store_close(s);
    free(buf);
}

/* Output units on a one-pool entry, and counts off a pool's grid: refused naming the field. */
static void test_pools_refused(void)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rec(&buf, &len, &cap, "team-a", 0, 600, 0, 0, 100);
    tp_store *s = store_with(buf);
    tp_model_price p = pool_prices(0);
    p.unit.output_pool.minimum_units = 5, p.unit.output_pool.step_units = 5;
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_showback *sb = NULL;
    tp_error err;
    q.model = MODEL;
    o.units = 1, o.output_units = 7, o.unit_term = TP_UNIT_1_MONTH;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &p, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.field, "output_units");
    const tp_model_price one = unit_prices(0, 0);
    o.output_units = 1, o.unit_term = TP_UNIT_HOURLY;
    CU_ASSERT_EQUAL(tp_showback_run(s, &q, &one, &o, &sb, &err), TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.field, "output_units");
    CU_ASSERT_PTR_NULL(sb);
    tp_store_close(s);
    free(buf);
}

/* Random keys and minutes over two pools, spill and throttle, spread or not: the columns add
 * up to the totals in cents, the exact shares to the totals, and the totals are
 * tp_units_eval's on the summed demand of the window (each pool's units and spill, the
 * overflowed tokens). */
static void test_pools_add_up_random(void)
{
    uint64_t r = 4242;
    for (int round = 0; round < 12; round++) {
        char *buf = NULL, team[32];
        size_t len = 0, cap = 0;
        const int minutes = round % 3 == 2 ? 600 : 90;
        for (int m = 0; m < minutes; m++)
            for (int k = 0; k < 5; k++) {
                if ((test_rng_next(&r) >> 60) < 6)
                    continue;
                snprintf(team, sizeof team, "key-%d", k);
                rec(&buf, &len, &cap, team, m, (long)(r >> 45) % 900, (long)(r >> 30) % 1500,
                    (long)(r >> 20) % 300, (long)(r >> 10) % 90);
            }
        tp_store *s = store_with(buf);
        const tp_model_price p = pool_prices(round % 4 == 1);
        const int64_t n_in = round % 5 == 0 ? 0 : 1 + round % 3;
        const int64_t n_out = round % 7 == 3 ? 0 : 1 + round % 2;
        tp_showback *sb = run_pools(s, &p, n_in, n_out, round % 2);
        int64_t rc = 0, sc = 0, tc = 0;
        double ru = 0, su = 0, over = 0, wt = 0, iu = 0, ou = 0, is = 0, os = 0;
        for (size_t i = 0; i < sb->n_lines; i++) {
            const tp_showback_line *l = &sb->lines[i];
            rc += l->reserved_cents, sc += l->spill_cents, tc += l->total_cents;
            ru += l->reserved_usd, su += l->spill_usd;
            iu += l->input_units_usd, ou += l->output_units_usd;
            is += l->input_spill_usd, os += l->output_spill_usd;
            over += l->spill_tokens + l->throttled_tokens, wt += l->weighted_tokens;
            CU_ASSERT(l->reserved_cents >= 0 && l->spill_cents >= 0);
        }
        CU_ASSERT_EQUAL(rc, sb->reserved_cents);
        CU_ASSERT_EQUAL(sc, sb->spill_cents);
        CU_ASSERT_EQUAL(tc, sb->total_cents);
        ASSERT_NEAR(ru, sb->reserved_usd, 1e-9);
        ASSERT_NEAR(su, sb->spill_usd, 1e-9);
        ASSERT_NEAR(iu + ou, ru, 1e-9);
        ASSERT_NEAR(is + os, su, 1e-9);
        tp_series *ser = NULL;
        tp_series_query q = {0};
        tp_error err;
        q.model = MODEL;
        q.source = TP_SOURCE_LOGS;
        q.has_from = q.has_to = 1, q.from_minute = sb->from_minute;
        q.to_minute = sb->from_minute + (int64_t)sb->minutes;
        CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
        const tp_demand d = tp_series_demand(ser);
        tp_units_options uo = {0};
        tp_units_result res;
        uo.output_units = n_out;
        CU_ASSERT_EQUAL_FATAL(tp_units_eval(&d, &p, &uo, n_in, &res, &err), TP_OK);
        ASSERT_NEAR(res.billed_days, sb->billed_days, 1e-12);
        ASSERT_NEAR(res.input_units_usd, iu, 1e-9);
        ASSERT_NEAR(res.output_units_usd, ou, 1e-9);
        ASSERT_NEAR(res.units_usd, sb->reserved_usd, 1e-9);
        ASSERT_NEAR(res.input_spill_usd, is, 1e-9);
        ASSERT_NEAR(res.output_spill_usd, os, 1e-9);
        ASSERT_NEAR(res.total_usd, ru + su, 1e-9);
        CU_ASSERT_EQUAL(sb->total_cents,
                        llround(res.units_usd * 100) + llround(res.spill_usd * 100));
        ASSERT_NEAR(res.weighted_tokens, wt, 1e-6);
        ASSERT_NEAR(res.over_tokens[0] + res.over_tokens[1] + res.over_tokens[2] +
                        res.over_tokens[3],
                    over, 1e-6);
        tp_series_free(ser);
        tp_showback_free(sb);
        tp_store_close(s);
        free(buf);
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("showback", NULL, NULL);
    ADD(s, test_two_teams);
    ADD(s, test_idle);
    ADD(s, test_add_up_random);
    ADD(s, test_relative_window);
    ADD(s, test_key_cap);
    ADD(s, test_route_without_default);
    ADD(s, test_units_by_hand);
    ADD(s, test_units_refused);
    ADD(s, test_units_add_up_random);
    ADD(s, test_pools_by_hand);
    ADD(s, test_pools_refused);
    ADD(s, test_pools_add_up_random);
}
