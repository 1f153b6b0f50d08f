/* test_diff.c - snapshots read back from recommend/report JSON, and the diff of two: changes
 * worked by hand, the order by cost impact, folding, incomparable outputs, the markdown's
 * length for 50 models. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/diff_result.h"
#include "tierplan/report.h"
#include "tierplan/diff.h"

void register_tests(void);

/* One model's recommendation object with the figures a snapshot reads. */
static void rec_json(char *buf, size_t size, const char *model, double in, double out,
                     double cost, double savings, double util, double spill_min, double scale)
{
    snprintf(buf, size,
             "{\"model\":\"%s\",\"window\":{\"from\":\"2026-10-07T00:00:00Z\","
             "\"to\":\"2026-10-10T00:00:00Z\",\"minutes\":4320,\"minutes_with_data\":4000},"
             "\"spill_to\":\"standard\",\"spill_model\":\"coupled\",\"quota_tpm\":null,"
             "\"term\":{\"months\":1},\"what_if\":{\"scale\":%g,\"cache_hit_delta\":0},"
             "\"recommended\":{\"reservation\":{\"input_tpm\":%g,\"output_tpm\":%g},"
             "\"cost_per_month_usd\":%g,\"savings_per_month_usd\":%g,"
             "\"utilization\":{\"input\":%g,\"output\":null},"
             "\"spill\":{\"minutes\":%g,\"minutes_pct\":%g},\"throttled\":{\"minutes\":0}},"
             "\"pricing\":{\"sha256\":\"abc\"}}",
             model, scale, in, out, cost, savings, util, spill_min, spill_min / 4320 * 100);
}

static tp_snapshot *parse(const char *json)
{
    tp_snapshot *s = NULL;
    tp_error err;
    tp_status rc = tp_snapshot_parse("t.json", json, strlen(json), &s, &err);
    if (rc != TP_OK)
        fprintf(stderr, "\n  %s\n", err.message);
    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
    return s;
}

/* A report JSON of n models: model i has cost base + i x step, input TPM in. */
static char *report_json(size_t n, double base, double step, double in)
{
    const size_t size = 2048 * (n + 1);
    char *buf = malloc(size), one[2048];
    size_t len = (size_t)snprintf(buf, size,
                                  "{\"options\":{\"tiers\":[],\"max_spill_minutes_pct\":null,"
                                  "\"max_throttled_minutes\":null},\"pricing\":{\"sha256\":"
                                  "\"abc\"},\"models\":[");
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "model-%02zu", i);
        rec_json(one, sizeof one, id, in, 1000, base + (double)i * step, 10, 0.5, 100, 1);
        len += (size_t)snprintf(buf + len, size - len, "%s{\"model\":\"%s\",\"status\":\"ok\","
                                                       "\"recommendation\":%s}",
                                i > 0 ? "," : "", id, one);
    }
    snprintf(buf + len, size - len, "]}");
    return buf;
}

static void test_parse_recommend(void)
{
    char j[2048];
    rec_json(j, sizeof j, "m", 28000, 8000, 7913.38, 84.76, 0.7, 3103, 1);
    tp_snapshot *s = parse(j);
    CU_ASSERT_EQUAL(s->n, 1);
    CU_ASSERT_FALSE(s->from_report);
    CU_ASSERT_STRING_EQUAL(s->models[0].model, "m");
    CU_ASSERT_DOUBLE_EQUAL(s->models[0].input_tpm, 28000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(s->models[0].utilization_input_pct, 70, 1e-9); /* 0.7 x 100 */
    CU_ASSERT_TRUE(isnan(s->models[0].utilization_output_pct));           /* null */
    CU_ASSERT_TRUE(isnan(s->models[0].coverage_pct)); /* no export spans: unknown, not 0 */
    tp_snapshot_free(s);
}

static void test_parse_errors(void)
{
    tp_snapshot *s = NULL;
    tp_error err;
    const char *stats = "{\"models\":[{\"model\":\"m\"}],\"pricing\":{\"sha256\":\"a\"}}";
    CU_ASSERT_EQUAL(tp_snapshot_parse("s.json", stats, strlen(stats), &s, &err),
                    TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "s.json: not a tierplan recommend or report JSON "
                                               "output (it lacks their keys"));
    /* a project output has models and options too: named as such, not "$.options.max_...:
     * missing" */
    const char *project = "{\"options\":{\"months\":2},\"pricing\":{\"sha256\":\"a\"},"
                          "\"months\":[],\"models\":[],\"fleet\":{}}";
    CU_ASSERT_EQUAL(tp_snapshot_parse("p.json", project, strlen(project), &s, &err),
                    TP_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.message, "p.json: not a tierplan recommend or report JSON output "
                                        "(it looks like a `tierplan project` output)");
    const char *check = "{\"verdict\":\"pass\",\"checks\":[]}";
    CU_ASSERT_EQUAL(tp_snapshot_parse("c.json", check, strlen(check), &s, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "(it looks like a `tierplan check` output)"));
    CU_ASSERT_EQUAL(tp_snapshot_parse("a.json", "[1]", 3, &s, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "(it is not a JSON object)"));
    char j[2048];
    rec_json(j, sizeof j, "m", 1, 2, 3, 4, 0.5, 6, 1);
    char *cost = strstr(j, "\"cost_per_month_usd\":3");
    memcpy(cost + 21, "\"", 1); /* "cost_per_month_usd":"... : a string */
    CU_ASSERT_NOT_EQUAL(tp_snapshot_parse("r.json", j, strlen(j), &s, &err), TP_OK);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(tp_snapshot_parse("x.json", "{", 1, &s, &err), TP_ERR_PARSE);
}

/* term.months is read into an int: a value out of its range was undefined behaviour (UBSan:
 * "1e+106 is outside the range of representable values of type 'int'"); now refused, naming
 * the path, as are fractions, 0 and terms past the catalog's 120 months. */
static void test_parse_term_range(void)
{
    static const char *const bad[] = {"1e106", "-1e106", "0", "121", "2.5", "-3"};
    static const char *const shown[] = {"1e+106", "-1e+106", "0", "121", "2.5", "-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char j[2048], k[2100], msg[160];
        tp_snapshot *s = NULL;
        tp_error err;
        rec_json(j, sizeof j, "m", 1, 2, 3, 4, 0.5, 6, 1);
        char *t = strstr(j, "\"months\":1}");
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        *t = '\0';
        snprintf(k, sizeof k, "%s\"months\":%s}%s", j, bad[i], t + strlen("\"months\":1}"));
        CU_ASSERT_EQUAL(tp_snapshot_parse("r.json", k, strlen(k), &s, &err), TP_ERR_INVALID);
        CU_ASSERT_PTR_NULL(s);
        snprintf(msg, sizeof msg, "r.json: $.term.months: %s is not a whole number of months "
                                  "from 1 to 120", shown[i]);
        CU_ASSERT_STRING_EQUAL(err.message, msg);
    }
    /* 120, the longest, still reads */
    char j[2048], k[2100];
    rec_json(j, sizeof j, "m", 1, 2, 3, 4, 0.5, 6, 1);
    char *t = strstr(j, "\"months\":1}");
    *t = '\0';
    snprintf(k, sizeof k, "%s\"months\":120}%s", j, t + strlen("\"months\":1}"));
    tp_snapshot *s = parse(k);
    CU_ASSERT_EQUAL(s->models[0].term_months, 120);
    tp_snapshot_free(s);
}

static cJSON *diff_json(const tp_snapshot *a, const tp_snapshot *b)
{
    char *out = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_report_diff(a, b, TP_FORMAT_JSON, &out, &err), TP_OK);
    cJSON *j = cJSON_Parse(out);
    free(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

static double fig(const cJSON *model, const char *name, const char *what)
{
    const cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(model,
                                                                                 "figures"),
                                                             name),
                                         what);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* The changes come with the diff's rows, for the renderers. Old: a reserves 1,000 input TPM
 * for $1,000 a month, b nothing for $500; new: a 1,250 TPM for $1,250, b 1,000 TPM for $500;
 * each saves $10. Row a: input +250, 250 / 1,000 = +25%; cost +$250, +25%. Row b: input +1,000
 * from 0, a percentage that is undefined (NAN); cost +$0, 0%. The fleet: $1,500 -> $1,750,
 * +$250 and 250 / 1,500 = +16.67%; savings $20 -> $20, +$0 and 0%. */
#define TWO_MODELS                                                                         \
    "{\"options\":{\"tiers\":[],\"max_spill_minutes_pct\":null,\"max_throttled_minutes\":"    \
    "null},\"pricing\":{\"sha256\":\"abc\"},\"models\":[{\"model\":\"a\",\"recommendation\":" \
    "%s},{\"model\":\"b\",\"recommendation\":%s}]}"
static void test_diff_row_changes(void)
{
    char a[2048], b[2048], oldj[6000], newj[6000];
    rec_json(a, sizeof a, "a", 1000, 100, 1000, 10, 0.5, 100, 1);
    rec_json(b, sizeof b, "b", 0, 100, 500, 10, 0.5, 100, 1);
    snprintf(oldj, sizeof oldj, TWO_MODELS, a, b);
    rec_json(a, sizeof a, "a", 1250, 100, 1250, 10, 0.5, 100, 1);
    rec_json(b, sizeof b, "b", 1000, 100, 500, 10, 0.5, 100, 1);
    snprintf(newj, sizeof newj, TWO_MODELS, a, b);
    tp_snapshot *o = parse(oldj), *n = parse(newj);
    df_diff d;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(df_build(o, n, &d, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(d.n, 2);
    const df_row *ra = strcmp(d.rows[0].new_m->model, "a") == 0 ? &d.rows[0] : &d.rows[1];
    const df_row *rb = ra == &d.rows[0] ? &d.rows[1] : &d.rows[0];
    CU_ASSERT_DOUBLE_EQUAL(ra->change[DF_INPUT_TPM], 250, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(ra->change_pct[DF_INPUT_TPM], 25, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(ra->change[DF_COST], 250, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(ra->change_pct[DF_COST], 25, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rb->change[DF_INPUT_TPM], 1000, 1e-9);
    CU_ASSERT(isnan(rb->change_pct[DF_INPUT_TPM]));
    CU_ASSERT_DOUBLE_EQUAL(rb->change[DF_COST], 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rb->change_pct[DF_COST], 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(d.cost_change_usd, 250, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(d.cost_change_pct, 100.0 / 6.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(d.savings_change_usd, 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(d.savings_change_pct, 0, 1e-9);
    df_free(&d);
    tp_snapshot_free(o);
    tp_snapshot_free(n);
}

/* Old: a costs $1,000, b $2,000, c $500 (input 0). New: a $1,250, b $1,900, c $500 (input
 * 1,000), d $300 added. Changes by hand: a +$250 (+25%), b -$100 (-5%), c $0 but its input
 * moves from 0 (relative change undefined: null), d +$300. Order by |cost impact|: d (300),
 * a (250), b (100), c (0). Fleet: $3,500 -> $3,950, +$450, +12.857...%. */
static void test_diff_changes(void)
{
    char a[2048], b[2048], c[2048], d[2048], oldj[9000], newj[9000];
    rec_json(a, sizeof a, "a", 1000, 100, 1000, 10, 0.5, 100, 1);
    rec_json(b, sizeof b, "b", 1000, 100, 2000, 10, 0.5, 100, 1);
    rec_json(c, sizeof c, "c", 0, 100, 500, 10, 0.5, 100, 1);
    snprintf(oldj, sizeof oldj,
             "{\"options\":{\"tiers\":[],\"max_spill_minutes_pct\":null,\"max_throttled_"
             "minutes\":null},\"pricing\":{\"sha256\":\"abc\"},\"models\":[{\"model\":\"a\","
             "\"recommendation\":%s},{\"model\":\"b\",\"recommendation\":%s},{\"model\":\"c\","
             "\"recommendation\":%s}]}",
             a, b, c);
    rec_json(a, sizeof a, "a", 1250, 100, 1250, 10, 0.5, 100, 1);
    rec_json(b, sizeof b, "b", 1000, 100, 1900, 10, 0.5, 100, 1);
    rec_json(c, sizeof c, "c", 1000, 100, 500, 10, 0.5, 100, 1);
    rec_json(d, sizeof d, "d", 1000, 100, 300, 10, 0.5, 100, 1);
    snprintf(newj, sizeof newj,
             "{\"options\":{\"tiers\":[],\"max_spill_minutes_pct\":null,\"max_throttled_"
             "minutes\":null},\"pricing\":{\"sha256\":\"abc\"},\"models\":[{\"model\":\"a\","
             "\"recommendation\":%s},{\"model\":\"b\",\"recommendation\":%s},{\"model\":\"c\","
             "\"recommendation\":%s},{\"model\":\"d\",\"recommendation\":%s}]}",
             a, b, c, d);
    tp_snapshot *o = parse(oldj), *n = parse(newj);
    cJSON *j = diff_json(o, n);
    const cJSON *ms = cJSON_GetObjectItem(j, "models");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(ms), 4);
    const char *order[] = {"d", "a", "b", "c"};
    for (int i = 0; i < 4; i++)
        CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(cJSON_GetArrayItem(ms, i), "model")
                                   ->valuestring, order[i]);
    const cJSON *ja = cJSON_GetArrayItem(ms, 1), *jb = cJSON_GetArrayItem(ms, 2),
                *jc = cJSON_GetArrayItem(ms, 3), *jd = cJSON_GetArrayItem(ms, 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(jd, "status")->valuestring, "added");
    CU_ASSERT_DOUBLE_EQUAL(fig(ja, "cost_per_month_usd", "change"), 250, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(fig(ja, "cost_per_month_usd", "change_pct"), 25, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(fig(ja, "input_tpm", "change_pct"), 25, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(fig(jb, "cost_per_month_usd", "change_pct"), -5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(fig(jc, "input_tpm", "change"), 1000, 1e-9);
    CU_ASSERT_TRUE(isnan(fig(jc, "input_tpm", "change_pct"))); /* from 0: null */
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(jc, "status")->valuestring, "changed");
    const cJSON *fc = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "fleet"),
                                          "cost_per_month_usd");
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(fc, "old")->valuedouble, 3500, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(fc, "new")->valuedouble, 3950, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(fc, "change_pct")->valuedouble,
                           450.0 / 3500 * 100, 1e-9);
    cJSON_Delete(j);
    tp_snapshot_free(o);
    tp_snapshot_free(n);
}

static char *render(const tp_snapshot *a, const tp_snapshot *b, tp_format fmt)
{
    char *out = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_report_diff(a, b, fmt, &out, &err), TP_OK);
    return out != NULL ? out : strdup("");
}

/* 50 models, each $10 dearer (step 0 vs 10 per model: model i moves by 10 i); the markdown
 * stays a short comment: 40 rows at most, the fleet first, the rest counted. Model 0 keeps its
 * figures and is folded. */
static void test_markdown_fifty(void)
{
    char *oj = report_json(50, 1000, 0, 2000), *nj = report_json(50, 1000, 10, 2000);
    tp_snapshot *o = parse(oj), *n = parse(nj);
    char *md = render(o, n, TP_FORMAT_MARKDOWN);
    /* under 60 lines in the open; the details table is folded after them */
    const char *fold = strstr(md, "\n<details><summary>utilization, spill, window, coverage");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fold);
    CU_ASSERT_PTR_NOT_NULL(strstr(fold, "`model-49` | "));
    CU_ASSERT_PTR_NOT_NULL(strstr(fold, "\n</details>\n"));
    size_t open_lines = 0, max_pipes = 0;
    for (const char *p = md; p < fold; p++)
        open_lines += *p == '\n';
    CU_ASSERT_TRUE(open_lines < 60);
    /* every table, open or folded, at most 6 columns (7 "|"): it fits a comment's width */
    for (const char *line = md; *line != '\0';) {
        size_t pipes = 0;
        const char *e = strchr(line, '\n');
        for (const char *p = line; p < (e != NULL ? e : line + strlen(line)); p++)
            pipes += *p == '|';
        max_pipes = pipes > max_pipes ? pipes : max_pipes;
        line = e != NULL ? e + 1 : line + strlen(line);
    }
    CU_ASSERT_TRUE(max_pipes >= 6 && max_pipes <= 7); /* 5 columns today */
    /* fleet: 50 x $1,000 = $50,000 -> + 10 x (0 + ... + 49) = + $12,250 (+24.5%) */
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "fleet cost per month $50,000.00 → $62,250.00 "
                                      "(+$12,250.00, +24.5%)"));
    const char *fleet = strstr(md, "**fleet**"), *top = strstr(md, "`model-49`");
    CU_ASSERT_TRUE(fleet != NULL && top != NULL && fleet < top); /* the fleet row first */
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "`model-49` | 2,000 / 1,000 | $1,000.00 → $1,490.00 | "
                                      "+$490.00 (+49.0%)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "9 more changed models")); /* 49 changed, 40 shown */
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "**unchanged (1):** `model-00`"));
    CU_ASSERT_PTR_NULL(strstr(md, "`model-09`")); /* the smallest changes are counted only */
    free(md);
    char *text = render(o, n, TP_FORMAT_TEXT);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "== model-01 (changed; cost per month +$10.00)"));
    const char *line = text;
    for (const char *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
        CU_ASSERT_TRUE(nl - line <= 100);
    free(text);
    tp_snapshot_free(o);
    tp_snapshot_free(n);
    free(oj);
    free(nj);
}

/* Another what-if or another catalog: the figures are shown, marked as not comparable. */
static void test_not_comparable(void)
{
    char a[2048], b[2048];
    rec_json(a, sizeof a, "m", 1000, 100, 1000, 10, 0.5, 100, 1);
    rec_json(b, sizeof b, "m", 2000, 100, 2000, 10, 0.5, 100, 2);
    tp_snapshot *o = parse(a), *n = parse(b);
    cJSON *j = diff_json(o, n);
    const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "models"), 0);
    CU_ASSERT_FALSE(cJSON_IsTrue(cJSON_GetObjectItem(m, "comparable")));
    CU_ASSERT_PTR_NOT_NULL(strstr(cJSON_GetObjectItem(m, "not_comparable_reason")->valuestring,
                                  "what-if (scale 1 then, 2 now)"));
    cJSON_Delete(j);
    char *md = render(o, n, TP_FORMAT_MARKDOWN);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| not comparable |"));
    free(md);
    snprintf(n->pricing_sha256, sizeof n->pricing_sha256, "%s", "def");
    char *text = render(o, n, TP_FORMAT_TEXT);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "note: the price catalogs differ"));
    free(text);
    tp_snapshot_free(o);
    tp_snapshot_free(n);
}

/* A term of 1 month is "1 month", not "1 months"; a model id of 77 characters keeps every
 * text line within 100 columns (its heading wraps). */
static void test_wording(void)
{
    static const char id[] = "arn:aws:bedrock:us-east-1:123456789012:application-inference-"
                             "profile/abcdefgh";
    char a[2048], b[2048];
    rec_json(a, sizeof a, id, 1000, 100, 1000, 10, 0.5, 100, 1);
    rec_json(b, sizeof b, id, 2000, 100, 2000, 10, 0.5, 100, 1);
    char *term = strstr(b, "\"months\":1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(term);
    term[9] = '3';
    tp_snapshot *o = parse(a), *n = parse(b);
    char why[256];
    CU_ASSERT_FALSE(tp_snapshot_comparable(o, &o->models[0], n, &n->models[0], why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "a different term (1 month then, 3 now)");
    char *text = render(o, n, TP_FORMAT_TEXT);
    for (const char *line = text; *line != '\0';) {
        const char *nl = strchr(line, '\n');
        const size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
        if (len > 100)
            fprintf(stderr, "\n  line of %zu columns: %.*s\n", len, (int)len, line);
        CU_ASSERT(len <= 100);
        line += len + (nl != NULL);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n== arn:aws:bedrock:us-east-1:123456789012:application-"
                                        "inference-profile/abcdefgh\n   (changed; cost per "
                                        "month +$1,000.00)\n"));
    free(text);
    tp_snapshot_free(o);
    tp_snapshot_free(n);
}

/* A snapshot of the entries (model, region, account) given, figures unset. */
static tp_snapshot *places_snapshot(const char *const (*e)[3], size_t n)
{
    tp_snapshot *s = calloc(1, sizeof *s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    s->source = strdup("t.json");
    s->models = calloc(n, sizeof *s->models);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->models);
    for (size_t i = 0; i < n; i++) {
        s->models[i].model = strdup(e[i][0]);
        snprintf(s->models[i].region, sizeof s->models[i].region, "%s", e[i][1]);
        snprintf(s->models[i].account, sizeof s->models[i].account, "%s", e[i][2]);
    }
    s->n = n;
    return s;
}

/* tp_snapshot_filter (diff --region/--account): the entries of the place, in their order; an
 * entry of regions merged ("*") is in no one region but in its account. */
static void test_filter(void)
{
    static const char *const e[5][3] = {{"a", "us-east-1", "111122223333"},
                                        {"a", "*", "111122223333"},
                                        {"b", "", ""},
                                        {"c", "eu-west-1", "222233334444"},
                                        {"d", "us-east-1", ""}};
    tp_snapshot *s = places_snapshot(e, 5);
    tp_snapshot_filter(s, "us-east-1", NULL);
    CU_ASSERT_EQUAL_FATAL(s->n, 2);
    CU_ASSERT_STRING_EQUAL(s->models[0].model, "a");
    CU_ASSERT_STRING_EQUAL(s->models[1].model, "d");
    tp_snapshot_free(s);
    s = places_snapshot(e, 5);
    tp_snapshot_filter(s, NULL, "111122223333");
    CU_ASSERT_EQUAL_FATAL(s->n, 2);
    CU_ASSERT_STRING_EQUAL(s->models[0].region, "us-east-1");
    CU_ASSERT_STRING_EQUAL(s->models[1].region, "*");
    tp_snapshot_free(s);
    s = places_snapshot(e, 5);
    tp_snapshot_filter(s, "", NULL); /* unknown */
    CU_ASSERT_EQUAL_FATAL(s->n, 1);
    CU_ASSERT_STRING_EQUAL(s->models[0].model, "b");
    tp_snapshot_free(s);
    s = places_snapshot(e, 5);
    tp_snapshot_filter(s, "us-east-1", ""); /* both */
    CU_ASSERT_EQUAL_FATAL(s->n, 1);
    CU_ASSERT_STRING_EQUAL(s->models[0].model, "d");
    tp_snapshot_filter(s, "eu-west-1", NULL);
    CU_ASSERT_EQUAL(s->n, 0);
    tp_snapshot_free(s);
    s = places_snapshot(e, 5);
    tp_snapshot_filter(s, NULL, NULL); /* no filter: all */
    CU_ASSERT_EQUAL(s->n, 5);
    tp_snapshot_free(s);
    tp_snapshot_filter(NULL, "us-east-1", NULL);
}

static void register_diff(void)
{
    CU_pSuite s = CU_add_suite("diff", NULL, NULL);
    CU_add_test(s, "parse recommend", test_parse_recommend);
    CU_add_test(s, "parse errors", test_parse_errors);
    CU_add_test(s, "term.months out of range", test_parse_term_range);
    CU_add_test(s, "changes", test_diff_changes);
    CU_add_test(s, "row changes computed with the diff", test_diff_row_changes);
    CU_add_test(s, "markdown for 50 models", test_markdown_fifty);
    CU_add_test(s, "not comparable", test_not_comparable);
    CU_add_test(s, "wording and width", test_wording);
    CU_add_test(s, "filter by place", test_filter);
}

void register_tests(void)
{
    register_diff();
}
