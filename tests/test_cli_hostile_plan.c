/* test_cli_hostile_plan.c - hostile model ids as the keys of a plan file's "models" (and in the
 * names it gets wrong) through report --plan (text, csv, markdown, json, html) and check --plan
 * (text, markdown, json), each format checked by a real reader (hostile_util.h): cmark-gfm (or
 * cmark), a strict RFC 4180 reader, the bytes of text, cJSON, xmllint. Exits 77 without cmark. */
#include "hostile_util.h"

void register_tests(void);

/* Ids a CSV export accepts, each held in the plan file. */
static const char *const ids[] = {
    "a`b", "@org/team", "[login](https://x)", "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"x\")", "-2+3", "abc\xe2\x80\xaetxt", "https://x|y", "total",
};
#define N_IDS (sizeof ids / sizeof ids[0])

/* Appends s to f as it is inside a quoted field (a quote doubled) or a JSON string (json). */
static void quoted(FILE *f, const char *s, int json)
{
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        if (*c == '"')
            fputs(json ? "\\\"" : "\"\"", f);
        else if (json && *c == '\\')
            fputs("\\\\", f);
        else
            fputc(*c, f);
    }
}

/* A CSV export of the ids (2 hours of input and output per minute); a catalog pricing them (a
 * copy of the sample's first entry); a plan file holding a reservation for each, and for a
 * model the store has not (a line erase and a bidi override in its id). */
static void write_inputs(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/ids.csv", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("timestamp,model,metric,value\n", f);
    for (size_t i = 0; i < N_IDS; i++)
        for (int t = 0; t < 120; t++)
            for (int k = 0; k < 2; k++) {
                fprintf(f, "2026-10-05T%02d:%02d:00Z,\"", 14 + t / 60, t % 60);
                quoted(f, ids[i], 0);
                fprintf(f, "\",%s,%d\n", k ? "OutputTokenCount" : "InputTokenCount",
                        k ? 100 + t : 1000 + 10 * (int)i + t);
            }
    fclose(f);
    snprintf(path, sizeof path, "%s/plan.json", dir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("{\"default\": {\"term_months\": 1},\n \"models\": {", f);
    for (size_t i = 0; i < N_IDS; i++) {
        fputs(i > 0 ? ",\n  \"" : "\"", f);
        quoted(f, ids[i], 1);
        fputs("\": {\"reserve_input_tpm\": 1000, \"reserve_output_tpm\": 100}", f);
    }
    fputs(",\n  \"g\\u001b[2Khost\\u202e\": {\"reserve_input_tpm\": 1}}}\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%.1000s/pricing.json", sample);
    FILE *in = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    static char text[1 << 16];
    text[fread(text, 1, sizeof text - 1, in)] = '\0';
    fclose(in);
    cJSON *root = cJSON_Parse(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *models = cJSON_GetObjectItem(root, "models");
    for (size_t i = 0; i < N_IDS; i++)
        cJSON_AddItemToObject(models, ids[i], cJSON_Duplicate(models->child, 1));
    char *out = cJSON_Print(root);
    write_file("p.json", out);
    free(out);
    cJSON_Delete(root);
}

#define REPORT "'%s' report --db h.db --pricing p.json --plan plan.json --all --force"
#define CHECK                                                                                   \
    "'%s' check --db h.db --pricing p.json --plan plan.json --all --force "                   \
    "--fail-model-monthly-cost-above 0"

/* The warning about the plan's model without data names it escaped. */
static void expect_ghost_warning(void)
{
    expect_text_safe("err");
    expect_in("err", "g\\x1b[2Khost\\u202e");
}

static void test_report(void)
{
    write_inputs();
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db h.db ids.csv", bin, NULL), 0);
    CU_ASSERT_EQUAL(run(REPORT, bin, NULL), 0);
    expect_text_safe("out");
    expect_ghost_warning();
    expect_in("out", "held");
    CU_ASSERT_EQUAL(run(REPORT " --format csv", bin, NULL), 0);
    expect_csv_safe("out", 1 + 2 * (int)N_IDS); /* a held row beside each recommendation */
    expect_in("out", "\"'=HYPERLINK(\"\"x\"\")\",");
    expect_ghost_warning();
    CU_ASSERT_EQUAL(run(REPORT " --format markdown", bin, NULL), 0);
    static const char *const none[1] = {NULL};
    expect_md_safe("r.md", none, 0);
    CU_ASSERT_EQUAL(run(REPORT " --format json", bin, NULL), 0);
    cJSON *doc = parse_out();
    for (size_t i = 0; i < N_IDS; i++)
        CU_ASSERT(json_has(doc, "model", ids[i]));
    cJSON_Delete(doc);
    CU_ASSERT_EQUAL(run(REPORT " --format html -o r.html", bin, NULL), 0);
    char *h = slurp("r.html");
    CU_ASSERT_PTR_NULL(strstr(h, "<img"));
    CU_ASSERT_PTR_NULL(strstr(h, "<script"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "&lt;img src=x onerror=alert(1)&gt;"));
    free(h);
    if (system("xmllint --version >/dev/null 2>&1") == 0)
        CU_ASSERT_EQUAL(run("xmllint --noout r.html", NULL, NULL), 0);
}

static void test_check(void)
{
    CU_ASSERT_EQUAL(run(CHECK, bin, NULL), 1);
    expect_text_safe("out");
    expect_ghost_warning();
    expect_in("out", "abc\\u202etxt");
    CU_ASSERT_EQUAL(run(CHECK " --format markdown", bin, NULL), 1);
    static const char *const in_code[] = {"<code>@org/team</code>", "<code>a`b</code>",
                                          "<code>https://x|y</code>",
                                          "<code>&lt;img src=x onerror=alert(1)&gt;</code>"};
    expect_md_safe("c.md", in_code, sizeof in_code / sizeof in_code[0]);
    CU_ASSERT_EQUAL(run(CHECK " --format json", bin, NULL), 1);
    cJSON *doc = parse_out();
    for (size_t i = 0; i < N_IDS; i++)
        CU_ASSERT(json_has(doc, "model", ids[i]));
    cJSON_Delete(doc);
}

/* A plan file's errors name the key and the model escaped: nothing reaches the terminal raw. */
static void test_errors(void)
{
    write_file("bad.json", "{\"models\": {\"@org/team\": {\"reserve_\\u001b]8;;http://x\\u001b\\\\"
                           "\\n== forged\": 1}}}\n");
    CU_ASSERT_EQUAL(run("'%s' report --db h.db --pricing p.json --plan bad.json --all --force",
                        bin, NULL), 3); /* a file that cannot be read: exit 3 */
    expect_text_safe_or_empty("out", 1);
    expect_text_safe("err");
    expect_in("err", "bad.json: $.models[\"@org/team\"]: unknown key "
                     "\"reserve_\\x1b]8;;http://x\\x1b\\\\x0a== forged\"");
    write_file("bad2.json",
               "{\"models\": {\"a\\u202e\\r\": {\"term_months\": \"x\\u001b[2K\"}}}\n");
    CU_ASSERT_EQUAL(run("'%s' check --db h.db --pricing p.json --plan bad2.json --all --force "
                        "--fail-model-monthly-cost-above 0 --format markdown", bin, NULL), 2);
    expect_text_safe_or_empty("out", 1);
    expect_text_safe("err");
    expect_in("err", "bad2.json: $.models[\"a\\u202e\\x0d\"]");
}

void register_tests(void)
{
    need_markdown_renderer();
    CU_pSuite s = CU_add_suite("cli-hostile-plan", setup, teardown);
    CU_add_test(s, "report --plan", test_report);
    CU_add_test(s, "check --plan", test_check);
    CU_add_test(s, "plan file errors", test_errors);
}
