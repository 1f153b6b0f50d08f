/* test_showback.c - the showback rule: the two-team example of docs/model.md by hand, the
 * add-up property on random data (keys add up to the totals, the totals are simulate's), and
 * idle reserved capacity as its own line or spread. */
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

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("showback", NULL, NULL);
    ADD(s, test_two_teams);
    ADD(s, test_idle);
    ADD(s, test_add_up_random);
    ADD(s, test_relative_window);
    ADD(s, test_key_cap);
    ADD(s, test_route_without_default);
}
