/* test_cli_hostile.c - hostile model ids (from a CSV export and a price catalog, and a diff's
 * JSON inputs) and a hostile file name through every command that prints them, each format
 * checked by a real reader (hostile_util.h): cmark-gfm (or cmark) for markdown (no link, image,
 * raw HTML or live @mention outside code), a strict RFC 4180 reader for CSV (no cell a
 * spreadsheet would evaluate), and the bytes of terminal text (no control character but '\n',
 * no escape, no bidi control).
 * Exits 77 (skipped) without cmark or cmark-gfm. */
#include "hostile_util.h"

void register_tests(void);

/* Ids a CSV export accepts (ingest refuses control characters in a CSV's model id). */
static const char *const ids[] = {
    "a`b", "x```y`", "@org/team", "[login](https://x)", "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "abc\xe2\x80\xaetxt", "(idle)",
};
#define N_IDS (sizeof ids / sizeof ids[0])
/* 300 x "é": 600 bytes of 2-byte characters (stats and series only: a catalog's keys are at
 * most 255 bytes), and 127 x "é" (254 bytes), priced */
static char long_id[601], priced_long_id[255];
/* the file name: an SGR escape and a bidi override */
static const char hostile_file[] = "h\x1b[31m\xe2\x80\xae.csv";

/* A CSV export of the ids (2 hours of input and output per minute), and of last when not
 * NULL, into name. */
static void write_csv(const char *name, const char *last)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("timestamp,model,metric,value\n", f);
    for (size_t i = 0; i < N_IDS + (last != NULL); i++) {
        const char *id = i < N_IDS ? ids[i] : last;
        for (int t = 0; t < 120; t++)
            for (int k = 0; k < 2; k++) {
                fprintf(f, "2026-10-05T%02d:%02d:00Z,\"", 14 + t / 60, t % 60);
                for (const char *c = id; *c != '\0'; c++)
                    fputs(*c == '"' ? "\"\"" : (char[]){*c, '\0'}, f);
                fprintf(f, "\",%s,%d\n", k ? "OutputTokenCount" : "InputTokenCount",
                        k ? 100 + t : 1000 + 10 * (int)i + t);
            }
    }
    fclose(f);
}

/* The exports (the priced ids under a hostile file name) and a catalog with an entry for each
 * priced id (a copy of the first sample entry). */
static void write_inputs(void)
{
    char path[1024];
    for (int i = 0; i < 300; i++)
        memcpy(long_id + 2 * i, "\xc3\xa9", 2);
    memcpy(priced_long_id, long_id, 254);
    write_csv(hostile_file, priced_long_id);
    write_csv("long.csv", long_id);
    snprintf(path, sizeof path, "%.1000s/pricing.json", sample);
    FILE *in = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    static char text[1 << 16];
    text[fread(text, 1, sizeof text - 1, in)] = '\0';
    fclose(in);
    cJSON *root = cJSON_Parse(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    cJSON *models = cJSON_GetObjectItem(root, "models");
    cJSON *first = models->child;
    for (size_t i = 0; i <= N_IDS; i++)
        cJSON_AddItemToObject(models, i < N_IDS ? ids[i] : priced_long_id,
                              cJSON_Duplicate(first, 1));
    char *out = cJSON_Print(root);
    write_file("p.json", out);
    free(out);
    cJSON_Delete(root);
}

static void test_ingest_and_text(void)
{
    write_inputs();
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db h.db --period 60 h*.csv", bin, NULL), 0);
    expect_text_safe("out"); /* the file name, escaped */
    expect_in("out", "h\\x1b[31m\\u202e.csv: csv, 2880 points in 24 series");
    expect_text_safe("err"); /* the warning naming the file */
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db long.db --period 60 long.csv", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db long.db", bin, NULL), 0);
    expect_text_safe("out");
    expect_in("out", "model abc\\u202etxt (region unknown, account unknown)\n");
    CU_ASSERT_EQUAL(run("'%s' series --db long.db", bin, NULL), 0);
    expect_text_safe("out");
    CU_ASSERT_EQUAL(run("'%s' report --db h.db --pricing p.json --force", bin, NULL), 0);
    expect_text_safe("out");
    /* the fleet table never cuts the 600-byte id (300 x "é"): whole on lines of its own,
     * broken at 100 columns between characters, the row under it */
    char line[2 * 100 + 3];
    line[0] = '\n';
    for (int k = 0; k < 100; k++)
        memcpy(line + 1 + 2 * k, "\xc3\xa9", 2);
    line[201] = '\n';
    line[202] = '\0';
    expect_in("out", line);
    char *text = slurp("out");
    CU_ASSERT_PTR_NULL(strstr(text != NULL ? text : "", "\xc3\xa9..."));
    free(text);
    /* nor does the seasonal table: the priced 254-byte id (127 x "e"), whole */
    CU_ASSERT_EQUAL(run("'%s' report --db h.db --pricing p.json --force --window-by month", bin,
                        NULL),
                    0);
    expect_text_safe("out");
    text = slurp("out");
    CU_ASSERT_PTR_NULL(strstr(text != NULL ? text : "", "\xc3\xa9..."));
    CU_ASSERT_PTR_NOT_NULL(strstr(text != NULL ? text : "", "seasonal"));
    free(text);
}

static void test_csv(void)
{
    CU_ASSERT_EQUAL(run("'%s' stats --db long.db --format csv", bin, NULL), 0);
    expect_csv_safe("out", 1 + 5 * ((int)N_IDS + 1));
    expect_in("out", "\"'=HYPERLINK(\"\"x\"\")\"");
    CU_ASSERT_EQUAL(run("'%s' series --db long.db --format csv", bin, NULL), 0);
    expect_csv_safe("out", 1 + 2 * ((int)N_IDS + 1));
    CU_ASSERT_EQUAL(run("'%s' report --db h.db --pricing p.json --force --format csv", bin, NULL), 0);
    expect_csv_safe("out", 1 + (int)N_IDS + 1);
    expect_in("out", "\"'-2+3\"");
    expect_in("out", "\"'@SUM(A1)\"");
}

static void test_markdown(void)
{
    static const char *const none[1] = {NULL};
    CU_ASSERT_EQUAL(run("'%s' report --db h.db --pricing p.json --force --format markdown", bin,
                        NULL), 0);
    expect_md_safe("r.md", none, 0);
    CU_ASSERT_EQUAL(run("'%s' check --db h.db --pricing p.json --force --format markdown "
                        "--fail-model-monthly-cost-above 0", bin, NULL), 1);
    static const char *const in_code[] = {"<code>@org/team</code>", "<code>a`b</code>",
                                          "<code>x```y`</code>",
                                          "<code>&lt;img src=x onerror=alert(1)&gt;</code>"};
    expect_md_safe("c.md", in_code, sizeof in_code / sizeof in_code[0]);
}

/* Replaces the first "from" in the file with "to" (a JSON string's inside). */
static void replace_in(const char *file, const char *from, const char *to)
{
    char *s = slurp(file), *at = strstr(s, from);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    fprintf(f, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    fclose(f);
    free(s);
}

/* diff reads ids from JSON, where control characters are legal: an OSC 8 link, a line erase,
 * a forged line and a bidi override must reach neither the terminal nor the markdown raw. */
static void test_diff(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db h.db --pricing p.json --force --format json -o a.json",
                              bin, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(run("cp a.json b.json", NULL, NULL), 0);
    replace_in("b.json", "\"@org/team\"",
               "\"\\u001b]8;;http://x\\u001b\\\\@org\\n== forged\\r\\u001b[2K\\u202e\"");
    CU_ASSERT_EQUAL(run("'%s' diff a.json b.json", bin, NULL), 0);
    expect_text_safe("out");
    expect_in("out", "== \\x1b]8;;http://x\\x1b\\@org\\x0a== forged\\x0d\\x1b[2K\\u202e");
    CU_ASSERT_EQUAL(run("'%s' diff --format markdown a.json b.json", bin, NULL), 0);
    static const char *const in_code[] = {"<code>a`b</code>", "<code>@org/team</code>"};
    expect_md_safe("d.md", in_code, sizeof in_code / sizeof in_code[0]);
}

void register_tests(void)
{
    need_markdown_renderer();
    CU_pSuite s = CU_add_suite("cli-hostile", setup, teardown);
    CU_add_test(s, "ingest and text", test_ingest_and_text);
    CU_add_test(s, "csv", test_csv);
    CU_add_test(s, "markdown", test_markdown);
    CU_add_test(s, "diff", test_diff);
}
