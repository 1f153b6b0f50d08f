/* test_cli_chart_ids.c - end to end: long model ids in the HTML report are never cut
 * (docs/user-guide.md, "Names are never cut"). A 60-character and a 200-character id, both
 * with markup in them, appear whole and escaped in the fleet table, the model headings and the
 * fleet chart, where each wraps beside its bar (one <text>: the whole id in its <title>, a
 * <tspan> per line); nothing on the page is cut with "...". */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

/* 60 characters: 27 + "<b>&\"x" (6) + 27. Escaped: "&lt;b&gt;&amp;&quot;x". */
#define ID60 "us.anthropic.claude-sonnet-<b>&\"x-20250929-v1:0-abcdefghijkl"
#define ID60_ESC "us.anthropic.claude-sonnet-&lt;b&gt;&amp;&quot;x-20250929-v1:0-abcdefghijkl"

static char id200[201], id200_esc[256];

/* 200 characters: "eu.meta.llama-" (14), then "segment-NNN-" x 15 (180), then "v1:0<>" (6). */
static void make_ids(void)
{
    size_t o = (size_t)snprintf(id200, sizeof id200, "eu.meta.llama-");
    for (int k = 0; k < 15; k++)
        o += (size_t)snprintf(id200 + o, sizeof id200 - o, "segment-%03d-", k);
    snprintf(id200 + o, sizeof id200 - o, "v1:0<>");
    snprintf(id200_esc, sizeof id200_esc, "%.194sv1:0&lt;&gt;", id200);
}

/* The contents of the <tspan>s of the <text> at text_start, joined (escaped as written); the
 * caller frees. */
static char *joined_tspans(const char *text_start)
{
    const char *end = strstr(text_start, "</text>");
    size_t cap = (size_t)(end - text_start) + 1, n = 0;
    char *out = calloc(cap, 1);
    for (const char *p = strstr(text_start, "<tspan"); p != NULL && p < end;
         p = strstr(p + 1, "<tspan")) {
        const char *a = strchr(p, '>') + 1, *b = strstr(a, "</tspan>");
        memcpy(out + n, a, (size_t)(b - a));
        n += (size_t)(b - a);
    }
    return out;
}

static void test_long_ids_whole_in_html(void)
{
    make_ids();
    CU_ASSERT_EQUAL_FATAL(strlen(ID60), 60u);
    CU_ASSERT_EQUAL_FATAL(strlen(id200), 200u);
    char csv[4096];
    snprintf(csv, sizeof csv,
             "2026-10-05T14:00:00Z,\"%s\",InputTokenCount,40000\n"
             "2026-10-05T14:01:00Z,\"%s\",OutputTokenCount,100\n"
             "2026-10-05T14:00:00Z,\"%s\",InputTokenCount,90000\n"
             "2026-10-05T14:01:00Z,\"%s\",OutputTokenCount,300\n",
             "us.anthropic.claude-sonnet-<b>&\"\"x-20250929-v1:0-abcdefghijkl",
             "us.anthropic.claude-sonnet-<b>&\"\"x-20250929-v1:0-abcdefghijkl", id200, id200);
    write_file("ids.csv", csv);
    write_file("any.json",
               "{\"currency\": \"USD\", \"tiers\": {\"priority\": 1.75, \"standard\": 1.0},"
               " \"models\": {\"*\": {\"on_demand_per_million\": {\"input\": 0.8, \"output\":"
               " 3.2, \"cache_read\": 0.2, \"cache_write\": 0.0}, \"reserved_per_1k_tpm_hour\":"
               " {\"input\": 0.032, \"output\": 0.128}, \"reserved_example\": true}}}");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db ids.db --period 60 ids.csv%s", bin, ""), 0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db ids.db --pricing any.json --force --format "
                              "html -o ids.html%s", bin, ""),
                          0);
    char *s = slurp("ids.html");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NULL(strstr(s, "<b>&")); /* the id's markup, raw */
    /* nothing cut, anywhere on the page: the one "..." is the page's own short digest of the
     * catalog ("sha256 " and 16 hex digits) */
    for (const char *p = strstr(s, "..."); p != NULL; p = strstr(p + 3, "..."))
        CU_ASSERT(p - s > 23 && strncmp(p - 23, "sha256 ", 7) == 0);
    CU_ASSERT_PTR_NULL(strstr(s, "\xe2\x80\xa6")); /* nor with an ellipsis character */
    const char *const esc[2] = {ID60_ESC, id200_esc};
    char want[512];
    for (int k = 0; k < 2; k++) {
        snprintf(want, sizeof want, "<td>%s</td>", esc[k]); /* the fleet table */
        CU_ASSERT_PTR_NOT_NULL(strstr(s, want));
        /* the model's section, its place after it */
        snprintf(want, sizeof want, "<h2>%s (region unknown, account unknown)</h2>", esc[k]);
        CU_ASSERT_PTR_NOT_NULL(strstr(s, want));
        /* the fleet chart: the label wraps (36 characters a line), whole in its <title>, and
         * its lines joined are the whole id again */
        const char *chart = strstr(s, "aria-labelledby=\"fleet-title\"");
        CU_ASSERT_PTR_NOT_NULL_FATAL(chart);
        snprintf(want, sizeof want, "><title>%s</title><tspan", esc[k]);
        const char *label = strstr(chart, want);
        CU_ASSERT_PTR_NOT_NULL_FATAL(label);
        char *lines = joined_tspans(label);
        CU_ASSERT_STRING_EQUAL(lines, esc[k]);
        free(lines);
    }
    /* the 60-character id's first line ends at the last '-' within 36 characters (the 34th);
     * the second holds the other 26 */
    CU_ASSERT_PTR_NOT_NULL(
        strstr(s, ">us.anthropic.claude-sonnet-&lt;b&gt;&amp;&quot;x-</tspan><tspan"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, ">20250929-v1:0-abcdefghijkl</tspan></text>"));
    free(s);
    if (system("xmllint --version >/dev/null 2>&1") == 0)
        CU_ASSERT_EQUAL(run("xmllint --noout ids.html%s", "", ""), 0);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli-chart-ids", setup, NULL);
    CU_add_test(s, "long ids appear whole in the HTML report", test_long_ids_whole_in_html);
}
