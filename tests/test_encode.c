/* test_encode.c - the output encoding of each format (render/encode.h) on hostile strings, with
 * each expected output worked out by hand from the rules in encode.h. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/encode.h"
#include "tierplan/format.h"
#include "tierplan/report.h"
#include "tierplan/showback.h"

void register_tests(void);

typedef void (*enc_fn)(strbuf *, const char *);

static void expect(enc_fn fn, const char *in, const char *want)
{
    strbuf b = {0};
    char *out = NULL;
    fn(&b, in);
    CU_ASSERT_EQUAL_FATAL(sb_finish(&b, &out, NULL), TP_OK);
    if (strcmp(out != NULL ? out : "", want) != 0)
        fprintf(stderr, "\n  %s -> %s, want %s\n", in, out, want);
    CU_ASSERT_STRING_EQUAL(out != NULL ? out : "", want);
    free(out);
}

static void md_code_plain(strbuf *b, const char *s)
{
    enc_md_code(b, s, 0);
}

static void md_code_cell(strbuf *b, const char *s)
{
    enc_md_code(b, s, 1);
}

static void cell_22(strbuf *b, const char *s)
{
    enc_text_cell(b, s, 22);
}

/* Terminal text: ESC (0x1b), CR, LF, TAB, DEL as \xNN; a C1 control (U+009B, C2 9B) and the
 * bidi override U+202E (E2 80 AE) as \uNNNN; a lone continuation byte 0x80 and an overlong '/'
 * (C0 AF) as \xNN byte by byte; 'é' (C3 A9) as it is. */
static void test_text(void)
{
    expect(enc_text, "anthropic.claude-3-5-sonnet-20240620-v1:0",
           "anthropic.claude-3-5-sonnet-20240620-v1:0");
    expect(enc_text, "\x1b]8;;http://x\x1b\\", "\\x1b]8;;http://x\\x1b\\");
    expect(enc_text, "a\x1b[2Kb", "a\\x1b[2Kb");
    expect(enc_text, "a\rb\nc\td\x7f", "a\\x0db\\x0ac\\x09d\\x7f");
    expect(enc_text, "x\xc2\x9by", "x\\u009by");
    expect(enc_text, "abc\xe2\x80\xaetxt.exe", "abc\\u202etxt.exe");
    expect(enc_text, "\xe2\x81\xa6\xd8\x9c\xe2\x80\x8f", "\\u2066\\u061c\\u200f");
    expect(enc_text, "\x80\xc0\xaf", "\\x80\\xc0\\xaf");
    expect(enc_text, "caf\xc3\xa9", "caf\xc3\xa9");
    /* a sequence cut short by the end of the string: the lead byte escaped, nothing read past */
    expect(enc_text, "a\xe2\x80", "a\\xe2\\x80");
}

/* A cell of 22 columns: 9 head columns, "...", 10 tail columns. "é" is one column (2 bytes),
 * an escape as many columns as it has characters. */
static void test_text_cell(void)
{
    expect(cell_22, "short", "short                 ");
    /* 26 ASCII characters: head "abcdefghi", tail "qrstuvwxyz" */
    expect(cell_22, "abcdefghijklmnopqrstuvwxyz", "abcdefghi...qrstuvwxyz");
    /* 30 x "é" (60 bytes): 9 whole characters, then the last 10 whole ones */
    char e30[61] = "";
    for (int i = 0; i < 30; i++)
        strcat(e30, "\xc3\xa9");
    char want[64] = "";
    for (int i = 0; i < 9; i++)
        strcat(want, "\xc3\xa9");
    strcat(want, "...");
    for (int i = 0; i < 10; i++)
        strcat(want, "\xc3\xa9");
    expect(cell_22, e30, want);
    /* an escape (4 columns) that would straddle the head's end is left out whole: "abcdefg"
     * (7) + "\x1b" (4) is 11 > 9, so the head is "abcdefg" and 2 columns of padding end the
     * cell: 7 + 3 + 10 + 2 = 22 */
    expect(cell_22, "abcdefg\x1bhijklmnopqrstuvwxyz", "abcdefg...qrstuvwxyz  ");
    /* the tail likewise: the last 10 columns of "...\x1bxyz0123" are "\x1b" (4) + 6 */
    expect(cell_22, "abcdefghijklmnop\x1bxyz012", "abcdefghi...\\x1bxyz012");
}

/* Markdown text: punctuation escaped as today, '@' + U+200B (E2 80 8B), '&' escaped, line
 * breaks as spaces, controls as enc_text shows them. */
static void test_md_text(void)
{
    expect(enc_md_text, "amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0");
    expect(enc_md_text, "@org/team", "@\xe2\x80\x8borg/team");
    /* GitHub links bare URLs and www. names: the ':' of "://" and the '.' of "www." escaped,
     * as cmark-gfm -e autolink shows (test_cli_hostile); a ':' or '.' elsewhere as it is */
    expect(enc_md_text, "[login](https://x)", "\\[login\\](https\\://x)");
    expect(enc_md_text, "WWW.x.com ftp://y", "WWW\\.x.com ftp\\://y");
    expect(enc_md_text, "a@b.com", "a@\xe2\x80\x8b" "b.com");
    expect(enc_md_text, "<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>");
    expect(enc_md_text, "a|b\nc\rd&#64;", "a\\|b c d\\&\\#64;");
    expect(enc_md_text, "x\x1b[2K\xe2\x80\xae", "x\\x1b\\[2K\\u202e");
}

/* Code spans: one backtick more than the longest run inside; a space inside the fence when
 * the content starts or ends with a backtick or a space. */
static void test_md_code(void)
{
    expect(md_code_plain, "m", "`m`");
    expect(md_code_plain, "a`b", "``a`b``");
    expect(md_code_plain, "a```b`", "```` a```b` ````");
    expect(md_code_plain, "`@org/team`", "`` `@org/team` ``");
    expect(md_code_plain, "a\nb|c", "`a b|c`");
    expect(md_code_cell, "a\nb|c", "`a b\\|c`");
    expect(md_code_plain, "", "` `");
    expect(md_code_plain, "\x1b[2K", "`\\x1b[2K`");
}

/* CSV: quoted, quotes doubled, formula starts prefixed with "'". */
static void test_csv(void)
{
    expect(enc_csv, "m", "\"m\"");
    expect(enc_csv, "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
    expect(enc_csv, "+1", "\"'+1\"");
    expect(enc_csv, "-2+3", "\"'-2+3\"");
    expect(enc_csv, "@SUM(A1)", "\"'@SUM(A1)\"");
    expect(enc_csv, "\tx", "\"'\tx\"");
    expect(enc_csv, "\rx", "\"'\rx\"");
    expect(enc_csv, "a=1", "\"a=1\"");
}

/* The public escape: the length the whole needs; a buffer too small ends before the first
 * escape that does not fit whole. */
static void test_public_escape(void)
{
    char buf[8];
    /* "ab\x1bc" needs 2 + 4 + 1 = 7 bytes */
    CU_ASSERT_EQUAL(tp_format_text_escape(buf, sizeof buf, "ab\x1b" "c"), 7);
    CU_ASSERT_STRING_EQUAL(buf, "ab\\x1bc");
    /* 5 bytes of room (4 and the NUL): "ab", then "\x1b" does not fit, nor anything after */
    CU_ASSERT_EQUAL(tp_format_text_escape(buf, 5, "ab\x1b" "c"), 7);
    CU_ASSERT_STRING_EQUAL(buf, "ab");
    /* a 2-byte character with 2 bytes of room (1 and the NUL) is left out whole */
    CU_ASSERT_EQUAL(tp_format_text_escape(buf, 2, "\xc3\xa9"), 2);
    CU_ASSERT_STRING_EQUAL(buf, "");
    CU_ASSERT_EQUAL(tp_format_text_escape(NULL, 0, "\xe2\x80\xae"), 6);
}

/* Showback: keys named "(idle)" and "total" (and one starting with a quote) are quoted, so
 * that only showback's own lines read "(idle)" and "total"; an ordinary key is unchanged. */
static void test_showback_keys(void)
{
    tp_showback_line lines[5] = {
        {.key = "\"q"}, {.key = "(idle)"}, {.key = "team-a"}, {.key = "total"},
        {.key = "(idle)", .idle = 1},
    };
    tp_showback sb = {.model = "m", .minutes = 60, .lines = lines, .n_lines = 5};
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_report_showback(&sb, TP_FORMAT_TEXT, &out, NULL), TP_OK);
    /* the key column is 34 wide: '"""q"' (5), '"(idle)"' (8), 'team-a', '"total"' (7) */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n\"\"\"q\"                             "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n\"(idle)\"                          "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nteam-a                            "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n\"total\"                           "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n(idle)                            "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\ntotal                             "));
    free(out);
    CU_ASSERT_EQUAL_FATAL(tp_report_showback(&sb, TP_FORMAT_MARKDOWN, &out, NULL), TP_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "| `\"(idle)\"` |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "| `\"total\"` |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "| `(idle)` |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "| `team-a` |"));
    free(out);
}

/* A cell never cut: an id of 60 characters in a cell of 22 stands whole on its own line, the
 * row going on under it after 22 spaces; one of 130 is broken at 100 columns, never cut. */
static void test_text_cell_whole(void)
{
    static const char id60[] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0-with-a-long-tai";
    char id130[131];
    memset(id130, 'x', 130);
    id130[130] = '\0';
    CU_ASSERT_EQUAL_FATAL(strlen(id60), 60);
    strbuf b = {0};
    char *out = NULL;
    enc_text_cell_whole(&b, "short", 22, 100);
    sb_puts(&b, "|");
    enc_text_cell_whole(&b, id60, 22, 100);
    sb_puts(&b, "|");
    enc_text_cell_whole(&b, id130, 22, 100);
    sb_puts(&b, "|");
    CU_ASSERT_EQUAL_FATAL(sb_finish(&b, &out, NULL), TP_OK);
    char want[512];
    snprintf(want, sizeof want, "short%17s|%s\n%22s|%.100s\n%.30s\n%22s|", "", id60, "",
             id130, id130, "");
    CU_ASSERT_STRING_EQUAL(out, want);
    free(out);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("encode", NULL, NULL);
    CU_add_test(s, "terminal text", test_text);
    CU_add_test(s, "text cells cut by characters", test_text_cell);
    CU_add_test(s, "text cells never cut", test_text_cell_whole);
    CU_add_test(s, "markdown text", test_md_text);
    CU_add_test(s, "markdown code spans", test_md_code);
    CU_add_test(s, "csv", test_csv);
    CU_add_test(s, "public escape", test_public_escape);
    CU_add_test(s, "showback keys", test_showback_keys);
}
