/* test_cli_hostile.c - hostile model ids (from a CSV export and a price catalog, and a diff's
 * JSON inputs) and a hostile file name through every command that prints them, each format
 * checked by a real reader: cmark for markdown (no link, image, raw HTML or live @mention
 * outside code), a strict RFC 4180 reader for CSV (no cell a spreadsheet would evaluate), and
 * the bytes of terminal text (no control character but '\n', no escape, no bidi control).
 * Exits 77 (skipped) without cmark. */
#include <cjson/cJSON.h>

#include "cli_util.h"

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

/* Nonzero when s is safe for a terminal: no byte below 0x20 but '\n', no DEL, no C1 control
 * (C2 80..C2 9F), no bidi control or line separator (U+061C, U+200E/F, U+2028..U+202E,
 * U+2066..U+2069). */
static int text_safe(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            return 0;
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            return 0;
        if (p[0] == 0xd8 && p[1] == 0x9c)
            return 0;
        if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||
                                             (p[2] >= 0xa8 && p[2] <= 0xae)))
            return 0;
        if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
            return 0;
    }
    return 1;
}

static void expect_text_safe(const char *file)
{
    char *s = slurp(file);
    if (!text_safe(s))
        fprintf(stderr, "\n  not safe for a terminal: %s:\n%s\n", file, s);
    CU_ASSERT(text_safe(s));
    CU_ASSERT(s[0] != '\0');
    free(s);
}

/* A strict RFC 4180 reader: every row has as many cells as the header; a cell starting with
 * = + - @ TAB CR is a number (a negative figure) or fails. Returns the rows read, -1 when the
 * document is not RFC 4180 or a cell would be evaluated. */
static int csv_check(const char *s)
{
    int rows = 0, cols = -1, cell = 0;
    char buf[8192];
    while (*s != '\0') {
        size_t n = 0;
        if (*s == '"') {
            for (s++;; s++) {
                if (*s == '\0')
                    return -1;
                if (*s == '"' && s[1] != '"')
                    break;
                if (*s == '"')
                    s++;
                if (n + 1 < sizeof buf)
                    buf[n++] = *s;
            }
            s++;
        } else {
            for (; *s != ',' && *s != '\n' && *s != '\0'; s++) {
                if (*s == '"' || *s == '\r')
                    return -1;
                if (n + 1 < sizeof buf)
                    buf[n++] = *s;
            }
        }
        buf[n] = '\0';
        if (n > 0 && strchr("=+-@\t\r", buf[0]) != NULL) {
            char *end;
            strtod(buf, &end);
            if (*end != '\0') {
                fprintf(stderr, "\n  a formula cell: %s\n", buf);
                return -1;
            }
        }
        cell++;
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s != '\n')
            return -1; /* a quoted cell followed by anything but , or a line end */
        s++;
        if (cols < 0)
            cols = cell;
        else if (cell != cols)
            return -1;
        cell = 0;
        rows++;
    }
    return cell == 0 ? rows : -1;
}

static void expect_csv_safe(const char *file, int min_rows)
{
    char *s = slurp(file);
    const int rows = csv_check(s);
    if (rows < min_rows)
        fprintf(stderr, "\n  %s: %d rows:\n%s\n", file, rows, s);
    CU_ASSERT(rows >= min_rows);
    free(s);
}

/* Keeps what the last command printed as file, renders it with cmark and checks the HTML: no link, no image, no raw HTML tag from an id;
 * every '@' outside <code> followed by a zero-width space; each of html (an id as cmark
 * renders it in a code span, say) present. */
static void expect_md_safe(const char *file, const char *const *html, size_t n_html)
{
    char cmd[600];
    char *md = slurp("out");
    write_file(file, md);
    free(md);
    snprintf(cmd, sizeof cmd, "cmark --to html < %s", file);
    CU_ASSERT_EQUAL_FATAL(run("%s", cmd, NULL), 0);
    char *h = slurp("out");
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<h")); /* cmark rendered it: a heading at least */
    CU_ASSERT_PTR_NULL(strstr(h, "<a "));
    CU_ASSERT_PTR_NULL(strstr(h, "<a>"));
    CU_ASSERT_PTR_NULL(strstr(h, "<img"));
    int in_code = 0, bad = 0;
    for (const char *p = h; *p != '\0'; p++) {
        if (strncmp(p, "<code>", 6) == 0)
            in_code = 1;
        else if (strncmp(p, "</code>", 7) == 0)
            in_code = 0;
        else if (*p == '@' && !in_code && strncmp(p + 1, "\xe2\x80\x8b", 3) != 0)
            bad = 1;
    }
    if (bad)
        fprintf(stderr, "\n  a live @ in %s:\n%s\n", cmd, h);
    CU_ASSERT(!bad);
    for (size_t i = 0; i < n_html; i++) {
        if (strstr(h, html[i]) == NULL)
            fprintf(stderr, "\n  %s not in %s\n", html[i], cmd);
        CU_ASSERT_PTR_NOT_NULL(strstr(h, html[i]));
    }
    free(h);
}

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
    expect_in("out", "model abc\\u202etxt\n");
    CU_ASSERT_EQUAL(run("'%s' series --db long.db", bin, NULL), 0);
    expect_text_safe("out");
    CU_ASSERT_EQUAL(run("'%s' report --db h.db --pricing p.json --force", bin, NULL), 0);
    expect_text_safe("out");
    /* the fleet table cuts the 600-byte id at a character: 9 x "é", "...", 10 x "é" */
    expect_in("out", "\n\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9...");
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
    if (system("cmark --version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "cmark is not installed: skipped\n");
        exit(77);
    }
    CU_pSuite s = CU_add_suite("cli-hostile", setup, teardown);
    CU_add_test(s, "ingest and text", test_ingest_and_text);
    CU_add_test(s, "csv", test_csv);
    CU_add_test(s, "markdown", test_markdown);
    CU_add_test(s, "diff", test_diff);
}
