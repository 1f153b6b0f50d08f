/* hostile_util.h - what the hostile-input CLI tests share: the readers that check each output
 * format as its consumer would (terminal bytes, a strict RFC 4180 reader, a markdown renderer)
 * (header-only, static; include after cli_util.h). */
#ifndef TIERPLAN_HOSTILE_UTIL_H
#define TIERPLAN_HOSTILE_UTIL_H

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "cli_util.h"

/* The markdown renderer: GitHub's (cmark-gfm with its table and autolink extensions: bare URLs
 * and e-mail addresses become links, '|' splits table cells) where installed, else cmark. */
static const char *md_renderer = "cmark --to html";

/* Exits 77 (meson: SKIP) without cmark or cmark-gfm. */
static inline void need_markdown_renderer(void)
{
    if (system("cmark-gfm --version >/dev/null 2>&1") == 0)
        md_renderer = "cmark-gfm -e table -e autolink --to html";
    else if (system("cmark --version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "neither cmark-gfm nor cmark is installed: skipped\n");
        exit(77);
    }
}

/* Nonzero when s is safe for a terminal: no byte below 0x20 but '\n', no DEL, no C1 control
 * (C2 80..C2 9F), no bidi control or line separator (U+061C, U+200E/F, U+2028..U+202E,
 * U+2066..U+2069). */
static inline int text_safe(const char *s)
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

/* The file is safe for a terminal; nonempty unless may_be_empty. */
static inline void expect_text_safe_or_empty(const char *file, int may_be_empty)
{
    char *s = slurp(file);
    if (!text_safe(s))
        fprintf(stderr, "\n  not safe for a terminal: %s:\n%s\n", file, s);
    CU_ASSERT(text_safe(s));
    CU_ASSERT(may_be_empty || s[0] != '\0');
    free(s);
}

static inline void expect_text_safe(const char *file)
{
    expect_text_safe_or_empty(file, 0);
}

/* A strict RFC 4180 reader: every row has as many cells as the header; a cell starting with
 * = + - @ TAB CR is a number (a negative figure) or fails. Returns the rows read, -1 when the
 * document is not RFC 4180 or a cell would be evaluated. */
static inline int csv_check(const char *s)
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

static inline void expect_csv_safe(const char *file, int min_rows)
{
    char *s = slurp(file);
    const int rows = csv_check(s);
    if (rows < min_rows)
        fprintf(stderr, "\n  %s: %d rows:\n%s\n", file, rows, s);
    CU_ASSERT(rows >= min_rows);
    free(s);
}

/* Nonzero when every table row of the HTML has as many cells as its table's header: no id
 * split a row by a '|'. */
static inline int md_tables_even(const char *h)
{
    int head = -1, cells = 0, ok = 1;
    for (const char *p = h; *p != '\0'; p++) {
        if (strncmp(p, "<table>", 7) == 0)
            head = -1;
        else if ((strncmp(p, "<th", 3) == 0 || strncmp(p, "<td", 3) == 0) &&
                 (p[3] == '>' || p[3] == ' '))
            cells++;
        else if (strncmp(p, "</tr>", 5) == 0) {
            if (head < 0)
                head = cells;
            else if (cells != head)
                ok = 0;
            cells = 0;
        }
    }
    return ok;
}

/* Keeps what the last command printed as file, renders it (md_renderer) and checks the HTML: no
 * link, no image, no raw HTML tag from an id; every '@' outside <code> followed by a zero-width
 * space; tables as wide in every row; each of html (an id as rendered in a code span, say)
 * present. */
static inline void expect_md_safe(const char *file, const char *const *html, size_t n_html)
{
    char cmd[600];
    char *md = slurp("out");
    write_file(file, md);
    free(md);
    snprintf(cmd, sizeof cmd, "%s < %s", md_renderer, file);
    CU_ASSERT_EQUAL_FATAL(run("%s", cmd, NULL), 0);
    char *h = slurp("out");
    CU_ASSERT(strstr(h, "<h") != NULL || strstr(h, "<li>") != NULL); /* rendered */
    CU_ASSERT_PTR_NULL(strstr(h, "<a "));
    CU_ASSERT_PTR_NULL(strstr(h, "<a>"));
    CU_ASSERT_PTR_NULL(strstr(h, "<img"));
    CU_ASSERT(md_tables_even(h));
    int in_code = 0, bad = 0;
    for (const char *p = h; *p != '\0'; p++) {
        if (strncmp(p, "<code>", 6) == 0)
            in_code = 1;
        else if (strncmp(p, "</code>", 7) == 0)
            in_code = 0;
        else if (*p == '@' && !in_code && strncmp(p + 1, "\xe2\x80\x8b", 3) != 0)
            bad = 1;
    }
    if (bad || strstr(h, "<a") != NULL || strstr(h, "<img") != NULL || !md_tables_even(h))
        fprintf(stderr, "\n  unsafe markdown from %s:\n%s\n", cmd, h);
    CU_ASSERT(!bad);
    for (size_t i = 0; i < n_html; i++) {
        if (strstr(h, html[i]) == NULL)
            fprintf(stderr, "\n  %s not in %s\n", html[i], cmd);
        CU_ASSERT_PTR_NOT_NULL(strstr(h, html[i]));
    }
    free(h);
}

/* Parses what the last command printed as JSON (NULL, failing, when it does not parse). */
static inline cJSON *parse_out(void)
{
    char *s = slurp("out");
    cJSON *doc = cJSON_Parse(s);
    if (doc == NULL)
        fprintf(stderr, "\n  not JSON:\n%.2000s\n", s);
    CU_ASSERT_PTR_NOT_NULL(doc);
    free(s);
    return doc;
}

/* Nonzero when some string member named name, anywhere in j, equals want exactly. */
static inline int json_has(const cJSON *j, const char *name, const char *want)
{
    for (const cJSON *c = j != NULL ? j->child : NULL; c != NULL; c = c->next) {
        if (cJSON_IsString(c) && c->string != NULL && strcmp(c->string, name) == 0 &&
            strcmp(c->valuestring, want) == 0)
            return 1;
        if (json_has(c, name, want))
            return 1;
    }
    return 0;
}

#endif
