/* test_alloc_fail_fleet.c - allocation failures (alloc_fail.c tells how) on the fleet and what
 * reads or checks it: tp_fleet_run (plan file, charts, windows by month, a what-if), its five
 * renderings, plan files, snapshots and their diff, the gate, and the series inventory. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_fail.h"
#include "tierplan/tierplan.h"

#define SONNET "anthropic.claude-sonnet-4-5-20250929-v1:0"
#define NOVA "amazon.nova-pro-v1:0"
#define MYSTERY "acme.mystery-v1" /* priced by the catalog's "*" entry, with a warning */
#define DAY0 29852640 /* 2026-10-05T00:00Z in Unix minutes */

/* The held reservation of SONNET, a term of 3 months and a service level for NOVA (not
 * comparable then with a fleet sized without the plan). */
static const char *plan_json =
    "{\"default\":{\"growth_pct_per_month\":1},\"models\":{\"" SONNET "\":"
    "{\"reserve_input_tpm\":2000,\"reserve_output_tpm\":100,\"growth_pct_per_month\":2},"
    "\"" NOVA "\":{\"term_months\":3,\"max_spill_minutes_pct\":50}}}";

static const char *const fleet_models[] = {SONNET, NOVA, "no.such.model"};

static char tmp_dir[64], db_path[128], db2_path[128]; /* db2: MYSTERY alone */
static tp_pricing *pricing;
static tp_plan_file *plan;
/* Made once, unarmed: the fleets A, B and C below; A's report JSON, B's read back, and B's
 * again as if made with another catalog. */
static tp_fleet *fleet_a, *fleet_b, *fleet_c;
static char *json_a;
static tp_snapshot *snap_b, *snap_b_other;

static tp_status fleet_run(tp_fleet_options *o, tp_fleet **out, tp_error *err)
{
    if (o->db_path == NULL)
        o->db_path = db_path;
    o->pricing = pricing, o->force = 1, o->jobs = 1;
    return tp_fleet_run(o, out, err);
}

/* A: three models (one without data), the plan file, the charts. */
static tp_status run_a(tp_fleet **out, tp_error *err)
{
    tp_fleet_options o = {0};
    o.models = fleet_models, o.n_models = 3, o.plan = plan, o.charts = 1;
    return fleet_run(&o, out, err);
}

/* B: every stored model, from 05:30 (figures that differ from A's), split at months (without
 * charts: A has them, and they would double the case's time). */
static tp_status run_b(tp_fleet **out, tp_error *err)
{
    tp_fleet_options o = {0};
    o.has_from = 1, o.from_minute = DAY0 + 330; /* 05:30 */
    o.window_by_month = 1;
    return fleet_run(&o, out, err);
}

static tp_status c_fleet(tp_error *err)
{
    tp_fleet *f = NULL;
    arm();
    const tp_status rc = run_a(&f, err);
    tp_fleet_free(f);
    disarm();
    return rc;
}

static tp_status c_fleet_months(tp_error *err)
{
    tp_fleet *f = NULL;
    arm();
    const tp_status rc = run_b(&f, err);
    tp_fleet_free(f);
    disarm();
    return rc;
}

static void count_warning(void *ctx, const char *msg)
{
    (void)msg;
    ++*(int *)ctx;
}

/* Every stored model of db2 (MYSTERY, priced by the catalog's "*" entry, with a warning), under
 * a what-if (its own copy of the demand), without charts. */
static tp_status c_fleet_whatif(tp_error *err)
{
    tp_fleet *f = NULL;
    tp_fleet_options o = {0};
    int warnings = 0;
    o.db_path = db2_path, o.scale = 1.5, o.cache_hit_delta = 0.1;
    o.warn = count_warning, o.warn_ctx = &warnings;
    arm();
    const tp_status rc = fleet_run(&o, &f, err);
    tp_fleet_free(f);
    disarm();
    return rc;
}

/* C: a backtest of SONNET trained until 03:00. */
static tp_status run_c(tp_fleet **out, tp_error *err)
{
    tp_fleet_options o = {0};
    o.models = fleet_models, o.n_models = 1;
    o.has_train_until = 1, o.train_until_minute = DAY0 + 180;
    return fleet_run(&o, out, err);
}

static tp_status c_fleet_backtest(tp_error *err)
{
    tp_fleet *f = NULL;
    arm();
    const tp_status rc = run_c(&f, err);
    tp_fleet_free(f);
    disarm();
    return rc;
}

static tp_status render_fleet(const tp_fleet *f, tp_error *err)
{
    tp_status rc = TP_OK;
    char *out = NULL;
    arm();
    for (int fmt = TP_FORMAT_TEXT; rc == TP_OK && fmt <= TP_FORMAT_HTML; fmt++) {
        rc = tp_report_fleet(f, (tp_format)fmt, &out, err);
        free(out);
        out = NULL;
    }
    disarm();
    return rc;
}

static tp_status c_fleet_render(tp_error *err) { return render_fleet(fleet_a, err); }
static tp_status c_fleet_months_render(tp_error *err) { return render_fleet(fleet_b, err); }
static tp_status c_fleet_backtest_render(tp_error *err) { return render_fleet(fleet_c, err); }

static tp_status c_plan_file(tp_error *err)
{
    tp_plan_file *p = NULL;
    arm();
    const tp_status rc = tp_plan_file_parse("plan.json", plan_json, strlen(plan_json), &p, err);
    tp_plan_file_free(p);
    disarm();
    return rc;
}

/* A report read back, and a fleet's own snapshot. */
static tp_status c_snapshot(tp_error *err)
{
    tp_snapshot *s = NULL, *t = NULL;
    arm();
    tp_status rc = tp_snapshot_parse("a.json", json_a, strlen(json_a), &s, err);
    if (rc == TP_OK)
        rc = tp_snapshot_from_fleet(fleet_a, &t, err);
    tp_snapshot_free(s);
    tp_snapshot_free(t);
    disarm();
    return rc;
}

/* B read back against A: SONNET changed, NOVA not comparable (its term), a model new in A. */
static tp_status c_diff(tp_error *err)
{
    tp_snapshot *now = NULL;
    char *out = NULL;
    tp_error e;
    if (tp_snapshot_from_fleet(fleet_a, &now, &e) != TP_OK)
        return tp_error_set(err, TP_ERR_USAGE, "setup: %s", e.message);
    tp_status rc = TP_OK;
    arm();
    for (int fmt = TP_FORMAT_TEXT; rc == TP_OK && fmt <= TP_FORMAT_MARKDOWN; fmt++) {
        if (fmt == TP_FORMAT_CSV)
            continue;
        rc = tp_report_diff(snap_b, now, (tp_format)fmt, &out, err);
        free(out);
        out = NULL;
    }
    disarm();
    tp_snapshot_free(now);
    return rc;
}

/* Every check on A, against B (changes, one model not comparable, one not in it), then against
 * B made with another catalog (a note); each gate in its three formats. */
static tp_status c_gate(tp_error *err)
{
    tp_gate_options o = {0};
    o.has_model_cost = 1, o.model_monthly_cost_above_usd = 100;
    o.has_fleet_cost = 1, o.fleet_monthly_cost_above_usd = 1000;
    o.has_utilization = 1, o.utilization_below_pct = 50;
    o.has_spill = 1, o.spill_minutes_pct_above = 5;
    o.has_throttled = 1, o.throttled_minutes_above = 10;
    o.has_change = 1, o.change_pct_above = 10;
    o.has_coverage = 1, o.coverage_below_pct = 90;
    o.has_stale = 1, o.stale_hours_above = 1, o.now_minute = DAY0 + 9 * 60;
    const tp_snapshot *const baselines[] = {snap_b, snap_b_other};
    tp_status rc = TP_OK;
    arm();
    for (size_t i = 0; rc == TP_OK && i < 2; i++) {
        tp_gate *g = NULL;
        o.baseline = baselines[i];
        rc = tp_gate_run(fleet_a, &o, &g, err);
        for (int fmt = TP_FORMAT_TEXT; rc == TP_OK && fmt <= TP_FORMAT_MARKDOWN; fmt++) {
            char *out = NULL;
            if (fmt != TP_FORMAT_CSV)
                rc = tp_report_gate(g, (tp_format)fmt, &out, err);
            free(out);
        }
        tp_gate_free(g);
    }
    disarm();
    return rc;
}

/* The listing of every model (spans, a gap) in its three formats, one model's, what the
 * store holds instead of a model it lacks, and where a model's data ends. */
static tp_status c_series(tp_error *err)
{
    tp_store *s = NULL;
    tp_inventory *inv = NULL;
    char *out = NULL;
    int64_t end = 0;
    int found = 0;
    tp_error e;
    if (tp_store_open(db_path, &s, &e) != TP_OK)
        return tp_error_set(err, TP_ERR_USAGE, "setup: %s", e.message);
    arm();
    tp_status rc = tp_inventory_load(s, NULL, &inv, err);
    for (int fmt = TP_FORMAT_TEXT; rc == TP_OK && fmt <= TP_FORMAT_CSV; fmt++) {
        rc = tp_report_series(inv, (tp_format)fmt, &out, err);
        free(out);
        out = NULL;
    }
    tp_inventory_free(inv);
    inv = NULL;
    if (rc == TP_OK)
        rc = tp_inventory_load(s, NOVA, &inv, err);
    if (rc == TP_OK)
        rc = tp_inventory_suggest(s, "us." NOVA, &out, err);
    if (rc == TP_OK)
        rc = tp_inventory_model_end(s, SONNET, &end, &found, err);
    free(out);
    tp_inventory_free(inv);
    disarm();
    tp_store_close(s);
    return rc;
}

CASE(fleet, 1)
CASE(fleet_months, 1)
CASE(fleet_whatif, 1)
CASE(fleet_backtest, 1)
CASE(fleet_render, 1)
CASE(fleet_months_render, 1)
CASE(fleet_backtest_render, 1)
CASE(plan_file, 1)
CASE(snapshot, 1)
CASE(diff, 1)
CASE(gate, 1)
CASE(series, 1)

/* One get-metric-data document of model m: input and output every minute of [from, to) on
 * 2026-10-05 (minutes of the day), the label naming the export's span. */
static size_t gmd_doc(char *buf, size_t cap, const char *m, int from, int to, int base)
{
    static const char *const metrics[] = {"InputTokenCount", "OutputTokenCount"};
    size_t len = (size_t)snprintf(buf, cap, "{\"MetricDataResults\":[");
    for (int k = 0; k < 2; k++) {
        len += (size_t)snprintf(buf + len, cap - len,
                                "%s{\"Id\":\"q%d\",\"Label\":\"ModelId=%s %s Period=60 "
                                "Start=2026-10-05T%02d:%02d:00Z End=2026-10-05T%02d:%02d:00Z\","
                                "\"StatusCode\":\"Complete\",\"Timestamps\":[",
                                k > 0 ? "," : "", k, m, metrics[k], from / 60, from % 60,
                                to / 60, to % 60);
        for (int t = from; t < to; t++)
            len += (size_t)snprintf(buf + len, cap - len, "%s\"2026-10-05T%02d:%02d:00Z\"",
                                    t > from ? "," : "", t / 60, t % 60);
        len += (size_t)snprintf(buf + len, cap - len, "],\"Values\":[");
        for (int t = from; t < to; t++)
            len += (size_t)snprintf(buf + len, cap - len, "%s%d", t > from ? "," : "",
                                    k == 0 ? base * 4 + (t % 37) * 50 : base + (t % 11) * 20);
        len += (size_t)snprintf(buf + len, cap - len, "]}");
    }
    len += (size_t)snprintf(buf + len, cap - len, "]}");
    return len;
}

/* Each model exported twice: 00:00-04:00 and 05:00-07:00 (an hour uncovered). */
static int make_db(const char *path, const char *const *models, int n)
{
    const size_t cap = 64 * 1024;
    char *doc = malloc(cap);
    tp_store *s = NULL;
    tp_ingest *ing = NULL;
    tp_error err;
    tp_status rc = doc == NULL ? TP_ERR_NOMEM
                               : tp_store_open_mode(path, TP_STORE_CREATE, &s, &err);
    if (rc == TP_OK)
        rc = tp_ingest_begin(s, NULL, &ing, &err);
    for (int i = 0; rc == TP_OK && i < 2 * n; i++) {
        const size_t len = gmd_doc(doc, cap, models[i / 2], i % 2 ? 300 : 0, i % 2 ? 420 : 240,
                                   1000 * (i / 2 + 1));
        rc = tp_ingest_buffer(ing, i % 2 ? "b.json" : "a.json", doc, len, NULL, &err);
    }
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, &err);
    tp_ingest_free(ing);
    tp_store_close(s);
    free(doc);
    if (rc != TP_OK)
        fprintf(stderr, "setup: %s\n", err.message);
    return rc != TP_OK;
}

/* The sample catalog with a "*" entry for the models it does not name. */
static int make_pricing(void)
{
    static const char *const star =
        "\"*\": {\"on_demand_per_million\": {\"input\": 1.0, \"output\": 4.0, "
        "\"cache_read\": 0.25, \"cache_write\": 0}, \"reserved_per_1k_tpm_hour\": "
        "{\"input\": 0.04, \"output\": 0.16}, \"reserved_example\": true},";
    const char *sd = getenv("TP_SAMPLE_DATA");
    char path[1200], *text = NULL, *json = NULL;
    tp_error err;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/pricing.json", sd != NULL ? sd : "data");
    FILE *f = fopen(path, "rb");
    if (f != NULL && (text = calloc(1, 1 << 20)) != NULL)
        len = fread(text, 1, (1 << 20) - 1, f);
    char *at = text != NULL ? strstr(text, "\"models\": {") : NULL;
    if (f != NULL)
        fclose(f);
    if (at != NULL && (json = malloc(len + strlen(star) + 1)) != NULL) {
        at += strlen("\"models\": {");
        snprintf(json, len + strlen(star) + 1, "%.*s%s%s", (int)(at - text), text, star, at);
        if (tp_pricing_parse("pricing.json", json, strlen(json), &pricing, &err) != TP_OK)
            fprintf(stderr, "setup: %s\n", err.message);
    }
    free(text);
    free(json);
    return pricing == NULL;
}

/* The fleets, A's report and B's snapshots (CUnit's assertions are not for suite setup). */
static int make_inputs(void)
{
    tp_error err;
    char *json_b = NULL;
    tp_status rc = tp_plan_file_parse("plan.json", plan_json, strlen(plan_json), &plan, &err);
    if (rc == TP_OK)
        rc = run_a(&fleet_a, &err);
    if (rc == TP_OK)
        rc = run_b(&fleet_b, &err);
    if (rc == TP_OK)
        rc = run_c(&fleet_c, &err);
    if (rc == TP_OK)
        rc = tp_report_fleet(fleet_a, TP_FORMAT_JSON, &json_a, &err);
    if (rc == TP_OK)
        rc = tp_report_fleet(fleet_b, TP_FORMAT_JSON, &json_b, &err);
    if (rc == TP_OK)
        rc = tp_snapshot_parse("b.json", json_b, strlen(json_b), &snap_b, &err);
    if (rc == TP_OK)
        rc = tp_snapshot_parse("b.json", json_b, strlen(json_b), &snap_b_other, &err);
    if (rc == TP_OK)
        snap_b_other->pricing_sha256[0] = snap_b_other->pricing_sha256[0] == '0' ? '1' : '0';
    free(json_b);
    if (rc != TP_OK)
        fprintf(stderr, "setup: %s\n", err.message);
    return rc != TP_OK;
}

static int setup(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/tierplan-allocfleet-XXXXXX");
    if (mkdtemp(tmp_dir) == NULL)
        return 1;
    static const char *const models[] = {SONNET, NOVA}, *const mystery[] = {MYSTERY};
    snprintf(db_path, sizeof db_path, "%s/f.db", tmp_dir);
    snprintf(db2_path, sizeof db2_path, "%s/g.db", tmp_dir);
    return make_pricing() != 0 || make_db(db_path, models, 2) != 0 ||
           make_db(db2_path, mystery, 1) != 0 || make_inputs() != 0;
}

static int teardown(void)
{
    char path[256];
    tp_snapshot_free(snap_b);
    tp_snapshot_free(snap_b_other);
    free(json_a);
    tp_fleet_free(fleet_a);
    tp_fleet_free(fleet_b);
    tp_fleet_free(fleet_c);
    tp_plan_file_free(plan);
    tp_pricing_free(pricing);
    const char *files[] = {"f.db", "f.db-wal", "f.db-shm", "g.db", "g.db-wal", "g.db-shm"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp_dir, files[i]);
        unlink(path);
    }
    return rmdir(tmp_dir) == 0 ? 0 : 1;
}

void alloc_fail_register_fleet(void)
{
    CU_pSuite s = CU_add_suite("alloc_fail_fleet", setup, teardown);
    CU_add_test(s, "test_fleet", test_fleet);
    CU_add_test(s, "test_fleet_months", test_fleet_months);
    CU_add_test(s, "test_fleet_whatif", test_fleet_whatif);
    CU_add_test(s, "test_fleet_backtest", test_fleet_backtest);
    CU_add_test(s, "test_fleet_render", test_fleet_render);
    CU_add_test(s, "test_fleet_months_render", test_fleet_months_render);
    CU_add_test(s, "test_fleet_backtest_render", test_fleet_backtest_render);
    CU_add_test(s, "test_plan_file", test_plan_file);
    CU_add_test(s, "test_snapshot", test_snapshot);
    CU_add_test(s, "test_diff", test_diff);
    CU_add_test(s, "test_gate", test_gate);
    CU_add_test(s, "test_series", test_series);
}
