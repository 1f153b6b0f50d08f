/* test_cli_hostile_logs.c - hostile model ids (modelId) and attribution keys (identity.arn) from
 * invocation logs through ingest, stats, series, report (text, csv, markdown, json, html) and
 * showback (text, markdown, csv, json), each format checked by a real reader (hostile_util.h):
 * cmark-gfm (or cmark) for markdown, a strict RFC 4180 reader for CSV, the bytes for text,
 * cJSON for JSON (the ids held exactly), xmllint for HTML. Exits 77 without cmark. */
#include "hostile_util.h"

void register_tests(void);

#define HAIKU "anthropic.claude-haiku-4-5-20251001-v1:0"

/* Model ids a log record can carry (ingest refuses a control character in a modelId). */
static const char *const models[] = {
    HAIKU, "a`b", "@org/team", "[login](https://x)", "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"x\")", "-2+3", "abc\xe2\x80\xaetxt", "www.x.com|y",
};
#define N_MODELS (sizeof models / sizeof models[0])

/* Attribution keys: whoever calls the model chooses them. Those with a control character (tab,
 * CR, LF, ESC, the C1 CSI) are summed under "unknown" by ingest; the others are stored as they
 * are. */
static const char *const keys[] = {
    "a`b", "x```y`", "@org/team", "[login](https://x)", "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "https://x", "a|b", "\\|[x](https://x)",
    "abc\xe2\x80\xaetxt", "(idle)", "total", "\"q",
    "t\tab", "c\rr", "l\nf", "\x1b]8;;http://x\x1b\\", "\x1b[2K", "\xc2\x9b[2K",
};
#define N_KEYS (sizeof keys / sizeof keys[0])
#define N_STORED_KEYS 16 /* the keys before "t\tab" */
static char long_key[601]; /* 300 x "é": 600 bytes of 2-byte characters */

/* Writes s as a JSON string (control characters as \u00XX). */
static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

/* Logs: every model, every key and the long key, one record a minute for 60 minutes of
 * 2026-10-05 14:00; and a catalog pricing every model (a copy of the sample's first entry). */
static void write_inputs(void)
{
    char path[1024];
    for (int i = 0; i < 300; i++)
        memcpy(long_key + 2 * i, "\xc3\xa9", 2);
    snprintf(path, sizeof path, "%s/h.jsonl", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    long n = 0;
    for (size_t m = 0; m < N_MODELS; m++)
        for (size_t k = 0; k <= N_KEYS; k++)
            for (int t = 0; t < 60; t++) {
                fprintf(f, "{\"schemaType\":\"ModelInvocationLog\",\"requestId\":\"%ld\","
                           "\"timestamp\":\"2026-10-05T14:%02d:10Z\",\"modelId\":", ++n, t);
                json_string(f, models[m]);
                fputs(",\"identity\":{\"arn\":", f);
                json_string(f, k < N_KEYS ? keys[k] : long_key);
                fprintf(f, "},\"input\":{\"inputTokenCount\":%d},\"output\":"
                           "{\"outputTokenCount\":%d}}\n", 1000 + 10 * (int)k + t, 100 + t);
            }
    fclose(f);
    snprintf(path, sizeof path, "%.1000s/pricing.json", sample);
    FILE *in = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    static char text[1 << 16];
    text[fread(text, 1, sizeof text - 1, in)] = '\0';
    fclose(in);
    cJSON *root = cJSON_Parse(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *catalog = cJSON_GetObjectItem(root, "models");
    cJSON *first = catalog->child;
    for (size_t m = 1; m < N_MODELS; m++)
        cJSON_AddItemToObject(catalog, models[m], cJSON_Duplicate(first, 1));
    char *out = cJSON_Print(root);
    write_file("p.json", out);
    free(out);
    cJSON_Delete(root);
}

/* Nonzero when some "model" in the JSON equals each model id. */
static void expect_models(const cJSON *doc)
{
    for (size_t m = 0; m < N_MODELS; m++) {
        if (!json_has(doc, "model", models[m]))
            fprintf(stderr, "\n  model %s not in the JSON\n", models[m]);
        CU_ASSERT(json_has(doc, "model", models[m]));
    }
}

static void test_ingest(void)
{
    write_inputs();
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db h.db h.jsonl", bin, NULL), 0);
    expect_text_safe("out");
    /* 9 models x 23 keys (22 and the long one) x 60 minutes = 12,420 records; the 6 keys with
     * a control character are one key ("unknown"): 9 x (23 - 6 + 1) x 60 = 9,720 minute sums */
    expect_in("out", "h.jsonl: invocation-log, 12420 records (0 errors), 9720 minute sums");
    expect_text_safe_or_empty("err", 1);
    /* a modelId ingest refuses, warned about; a hostile --attribute-by refused: both shown
     * escaped */
    write_file("w.jsonl", "{\"requestId\":\"1\",\"timestamp\":\"2026-10-05T14:00:10Z\","
                          "\"modelId\":\"m\\u001b[2K\",\"input\":{\"inputTokenCount\":1}}\n"
                          "{\"requestId\":\"2\",\"timestamp\":\"2026-10-05T14:00:10Z\","
                          "\"modelId\":\"m\",\"input\":{\"inputTokenCount\":1}}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db w.db w.jsonl", bin, NULL), 0);
    expect_text_safe("out");
    expect_text_safe("err");
    expect_in("err", "w.jsonl: 1 malformed record skipped (line 1): a modelId that is not text (a");
    expect_in("err", "  control character)"); /* the warning wraps at 100 columns */
    CU_ASSERT_EQUAL(run("'%s' ingest --db w.db --attribute-by \"$(printf 'metadata:t\\033]8;;x"
                        "\\033\\\\\\342\\200\\256')\" w.jsonl", bin, NULL), 2);
    expect_text_safe("err");
    expect_in("err", "--attribute-by: \"metadata:t\\x1b]8;;x\\x1b\\\\u202e\" is not identity");
}

static void test_stats_series(void)
{
    CU_ASSERT_EQUAL(run("'%s' stats --db h.db", bin, NULL), 0);
    expect_text_safe("out");
    expect_in("out", "model abc\\u202etxt (region unknown, account unknown)\n");
    CU_ASSERT_EQUAL(run("'%s' stats --db h.db --model '@org/team' --key '+1'", bin, NULL), 0);
    expect_text_safe("out");
    expect_in("out", "\nkeys: +1 (invocation logs)\n");
    CU_ASSERT_EQUAL(run("'%s' stats --db h.db --format csv", bin, NULL), 0);
    expect_csv_safe("out", 1 + 5 * (int)N_MODELS);
    expect_in("out", "\"'=HYPERLINK(\"\"x\"\")\"");
    CU_ASSERT_EQUAL(run("'%s' stats --db h.db --format json", bin, NULL), 0);
    cJSON *doc = parse_out();
    expect_models(doc);
    cJSON_Delete(doc);
    CU_ASSERT_EQUAL(run("'%s' series --db h.db", bin, NULL), 0);
    expect_text_safe("out");
    CU_ASSERT_EQUAL(run("'%s' series --db h.db --format csv", bin, NULL), 0);
    expect_csv_safe("out", 1 + (int)N_MODELS);
    CU_ASSERT_EQUAL(run("'%s' series --db h.db --format json", bin, NULL), 0);
    doc = parse_out();
    expect_models(doc);
    cJSON_Delete(doc);
}

static void test_report(void)
{
    const char *base = "'%s' report --db h.db --pricing p.json --all --force";
    char cmd[256];
    CU_ASSERT_EQUAL(run(base, bin, NULL), 0);
    expect_text_safe("out");
    snprintf(cmd, sizeof cmd, "%s --format csv", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    expect_csv_safe("out", 1 + (int)N_MODELS);
    expect_in("out", "\"'-2+3\"");
    snprintf(cmd, sizeof cmd, "%s --format markdown", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    static const char *const none[1] = {NULL};
    expect_md_safe("r.md", none, 0);
    snprintf(cmd, sizeof cmd, "%s --format json", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    cJSON *doc = parse_out();
    expect_models(doc);
    cJSON_Delete(doc);
    snprintf(cmd, sizeof cmd, "%s --format html -o r.html", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    char *h = slurp("r.html");
    CU_ASSERT_PTR_NULL(strstr(h, "<img"));
    CU_ASSERT_PTR_NULL(strstr(h, "<script"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "&lt;img src=x onerror=alert(1)&gt;"));
    free(h);
    if (system("xmllint --version >/dev/null 2>&1") == 0)
        CU_ASSERT_EQUAL(run("xmllint --noout r.html", NULL, NULL), 0);
}

/* Every line of the file fits 100 columns (characters, not bytes: the long key is "é"s). */
static void expect_within_100(const char *file)
{
    char *s = slurp(file);
    size_t cols = 0;
    int ok = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '\n')
            cols = 0;
        else if ((*p & 0xc0) != 0x80 && ++cols > 100)
            ok = 0;
    }
    if (!ok)
        fprintf(stderr, "\n  %s: a line over 100 columns:\n%s\n", file, s);
    CU_ASSERT(ok);
    free(s);
}

/* showback of one model by key: the keys in every format. */
static void test_showback(void)
{
    const char *base = "'%s' showback --db h.db --pricing p.json --model '@org/team'";
    char cmd[256];
    CU_ASSERT_EQUAL(run(base, bin, NULL), 0);
    expect_text_safe("out");
    /* keys that read as showback's own lines are quoted; its own lines are not */
    expect_in("out", "\n\"(idle)\"   ");
    expect_in("out", "\n\"total\"   ");
    expect_in("out", "\n\"\"\"q\"   ");
    expect_in("out", "\n(idle)   ");
    expect_in("out", "\ntotal   ");
    expect_in("out", "\nunknown   "); /* the keys with a control character */
    /* the 300-character key ("é" x 300, 600 bytes) never cut (docs/formats.md): whole on
     * three lines of 100 columns of its own, the figures under it after 34 spaces */
    expect_within_100("out");
    char whole[700] = "\n";
    for (int i = 0; i < 300; i++)
        strcat(whole, i > 0 && i % 100 == 0 ? "\n\xc3\xa9" : "\xc3\xa9");
    strcat(whole, "\n                                   ");
    expect_in("out", whole);
    snprintf(cmd, sizeof cmd, "%s --format markdown", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    static const char *const in_code[] = {
        "<code>@org/team</code>", "<code>[login](https://x)</code>", "<code>https://x</code>",
        "<code>&lt;img src=x onerror=alert(1)&gt;</code>", "<code>a`b</code>",
        "<code>x```y`</code>", "<code>&quot;(idle)&quot;</code>"};
    expect_md_safe("s.md", in_code, sizeof in_code / sizeof in_code[0]);
    snprintf(cmd, sizeof cmd, "%s --format csv", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    /* the header, the stored keys, the long key, "unknown" and the idle line */
    expect_csv_safe("out", 1 + N_STORED_KEYS + 3);
    expect_in("out", "\"'@org/team\",\"'=HYPERLINK(\"\"x\"\")\",0,");
    expect_in("out", "\"'@org/team\",\"'+1\",0,");
    expect_in("out", "\"'@org/team\",\"'@SUM(A1)\",0,");
    snprintf(cmd, sizeof cmd, "%s --format json", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    cJSON *doc = parse_out();
    for (size_t k = 0; k < N_STORED_KEYS; k++) {
        if (!json_has(doc, "key", keys[k]))
            fprintf(stderr, "\n  key %s not in showback's JSON\n", keys[k]);
        CU_ASSERT(json_has(doc, "key", keys[k]));
    }
    CU_ASSERT(json_has(doc, "key", long_key));
    CU_ASSERT(json_has(doc, "key", "unknown"));
    CU_ASSERT(!json_has(doc, "key", "\x1b[2K"));
    cJSON *lines = cJSON_GetObjectItem(doc, "lines");
    /* the stored keys, the long key, "unknown" and the idle line */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(lines), N_STORED_KEYS + 3);
    cJSON_Delete(doc);
}

/* showback --all: every model's heading in every format. */
static void test_showback_all(void)
{
    const char *base = "'%s' showback --db h.db --pricing p.json --all";
    char cmd[256];
    CU_ASSERT_EQUAL(run(base, bin, NULL), 0);
    expect_text_safe("out");
    expect_in("out", "showback of abc\\u202etxt (region unknown, account unknown)\n");
    expect_within_100("out");
    snprintf(cmd, sizeof cmd, "%s --format markdown", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    static const char *const none[1] = {NULL};
    expect_md_safe("all.md", none, 0);
    snprintf(cmd, sizeof cmd, "%s --format csv", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    expect_csv_safe("out", 1 + (int)N_MODELS * (N_STORED_KEYS + 3));
    snprintf(cmd, sizeof cmd, "%s --format json", base);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    cJSON *doc = parse_out();
    expect_models(doc);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(doc), (int)N_MODELS);
    cJSON_Delete(doc);
}

void register_tests(void)
{
    need_markdown_renderer();
    CU_pSuite s = CU_add_suite("cli-hostile-logs", setup, teardown);
    CU_add_test(s, "ingest", test_ingest);
    CU_add_test(s, "stats and series", test_stats_series);
    CU_add_test(s, "report", test_report);
    CU_add_test(s, "showback", test_showback);
    CU_add_test(s, "showback --all", test_showback_all);
}
