/* fuzz_snapshot.c - libFuzzer harness: diff's snapshot reader (tp_snapshot_parse), then the
 * diff of what it accepts against itself and against a fixed report, in text, JSON and
 * markdown. What must hold: every model has an id, a sized model's term is 1 to 120 months, a
 * snapshot is comparable with itself, and the JSON diff is valid JSON. A broken promise aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "tierplan/report.h"
#include "tierplan/snapshot.h"

/* A report of one model, sized: the other side of every diff. Reachable until exit. */
static tp_snapshot *g_fixed;

static const char fixed_json[] =
    "{\"options\":{\"tiers\":[],\"max_spill_minutes_pct\":null,\"max_throttled_minutes\":null},"
    "\"pricing\":{\"sha256\":\"abc\"},\"models\":[{\"model\":\"m\",\"recommendation\":"
    "{\"window\":{\"from\":\"2026-10-07T00:00:00Z\",\"to\":\"2026-10-10T00:00:00Z\","
    "\"minutes\":4320,\"minutes_with_data\":4000},\"spill_to\":\"standard\","
    "\"spill_model\":\"coupled\",\"quota_tpm\":null,\"term\":{\"months\":1},"
    "\"what_if\":{\"scale\":1,\"cache_hit_delta\":0},\"recommended\":{\"reservation\":"
    "{\"input_tpm\":1000,\"output_tpm\":100},\"cost_per_month_usd\":50,"
    "\"savings_per_month_usd\":5,\"utilization\":{\"input\":0.5,\"output\":null},"
    "\"spill\":{\"minutes\":10,\"minutes_pct\":0.2},\"throttled\":{\"minutes\":0}}}}]}";

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_snapshot: %s\n", what);
        abort();
    }
}

/* old -> new in each format the diff renders. */
static void diff_all(const tp_snapshot *old_s, const tp_snapshot *new_s)
{
    static const tp_format fmts[] = {TP_FORMAT_TEXT, TP_FORMAT_JSON, TP_FORMAT_MARKDOWN};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        char *out = NULL;
        tp_error err;
        tp_status rc = tp_report_diff(old_s, new_s, fmts[i], &out, &err);
        check(rc == TP_OK || rc == TP_ERR_NOMEM, "the diff failed");
        if (rc == TP_OK && fmts[i] == TP_FORMAT_JSON) {
            cJSON *doc = cJSON_Parse(out);
            check(doc != NULL, "the JSON diff is not valid JSON");
            cJSON_Delete(doc);
        }
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_snapshot *s = NULL;
    tp_error err;
    if (g_fixed == NULL &&
        tp_snapshot_parse("fixed.json", fixed_json, strlen(fixed_json), &g_fixed, &err) != TP_OK)
        abort();
    if (tp_snapshot_parse("fuzz.json", (const char *)data, size, &s, &err) != TP_OK) {
        check(s == NULL, "a failed parse returned a snapshot");
        return 0;
    }
    for (size_t i = 0; i < s->n; i++) {
        const tp_snapshot_model *m = &s->models[i];
        char why[256];
        check(m->model != NULL, "a model without an id");
        check(!m->sized || (m->term_months >= 1 && m->term_months <= 120),
              "a term outside 1 to 120 months");
        check(tp_snapshot_find(s, m->model) != NULL, "a model not found by its id");
        check(tp_snapshot_comparable(s, m, s, m, why, sizeof why), "not comparable with itself");
    }
    diff_all(s, s);
    diff_all(g_fixed, s);
    diff_all(s, g_fixed);
    tp_snapshot_free(s);
    return 0;
}
