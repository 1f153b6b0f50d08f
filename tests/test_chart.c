/* test_chart.c - the SVG charts: well-formed XML, labels that never overlap, escaping, and
 * downsampling that keeps a year small without losing its peak.
 *
 * Built twice: as the CUnit suite (unit), and with CHART_XMLLINT_MAIN as a program that
 * writes every sample chart and runs `xmllint --noout` on it (exit 77, meson's SKIP, where
 * xmllint is missing). With CHART_SAMPLE_HTML=FILE set, that program also writes all charts
 * into one HTML page to look at in a browser. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/chart_internal.h"

#define T0 1735689600 /* 2025-01-01T00:00:00Z */
#define PI 3.14159265358979323846

typedef tp_status (*sample_fn)(strbuf *, chart_layout *, int adversarial);

static const char nasty[] = "<script>alert(\"x&y\")</script> 'model' & co";

static char *long_name(char *buf, size_t size, size_t i)
{
    snprintf(buf, size, "us.anthropic.claude-long-model-name-number-%zu-v1:0-with-a-suffix-that"
             "-goes-on-and-on-%s", i, i % 3 == 0 ? nasty : "x");
    return buf;
}

static tp_status sample_ts(strbuf *b, chart_layout *lay, int adv)
{
    size_t n = adv ? 1 : 7 * 1440;
    double *in = malloc(n * sizeof *in), *out = malloc(n * sizeof *out);
    if (in == NULL || out == NULL)
        return TP_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        double day = sin((double)(i % 1440) / 1440 * 2 * PI - PI / 2) + 1;
        in[i] = 40000 * day + (i % 97) * 300 + (i % 5000 == 2500 ? 60000 : 0);
        out[i] = in[i] / 9;
    }
    char name[300];
    chart_ts_series s[2] = {{adv ? long_name(name, sizeof name, 0) : "effective input", in,
                             adv ? 0 : 95000},
                            {"output", out, adv ? out[0] : 9000}};
    chart_ts_args a = {{"ts", adv ? nasty : "Demand over time", "Hatched: minutes above the "
                        "reservation, billed on demand."}, T0, 60, n, s, 2};
    tp_status st = chart_timeseries(b, &a, lay, NULL);
    free(in);
    free(out);
    return st;
}

static tp_status sample_duration(strbuf *b, chart_layout *lay, int adv)
{
    size_t n = 7 * 1440;
    double *v = malloc(n * sizeof *v);
    if (v == NULL)
        return TP_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        v[i] = adv ? 5000 : 1000 + (double)((i * 7919) % n) * 12;
    chart_pctl typical[] = {{25, 31000}, {50, 61000}, {90, 109000}, {99, 119700}};
    chart_pctl close[] = {{25, 5000}, {25.1, 5000}, {50, 5000}, {99, 5000},
                          {99.5, 5000}, {99.9, 5000}, {99.95, 5000}, {99.99, 5000}};
    chart_duration_args a = {{"dur", "Demand-duration curve", "Read across: the reservation at "
                              "P90 is exceeded in 10% of minutes."}, nasty, v, n,
                             adv ? close : typical, adv ? 8 : 4};
    tp_status st = chart_duration(b, &a, lay, NULL);
    free(v);
    return st;
}

static tp_status sample_cost(strbuf *b, chart_layout *lay, int adv)
{
    double x[60], y[60];
    for (int i = 0; i < 60; i++) {
        x[i] = i * 2000;
        y[i] = 21000 - 250 * i + 4.5 * i * i;
    }
    chart_point cand[30];
    char labels[30][16];
    size_t nc = adv ? 30 : 4;
    for (size_t i = 0; i < nc; i++) {
        snprintf(labels[i], sizeof labels[i], "P%zu", adv ? 70 + i : 50 + 15 * i);
        double cx = adv ? 54000 + (double)i * 100 : 30000 + (double)i * 20000;
        cand[i] = (chart_point){labels[i], cx, 21000 - 0.125 * cx + 1.125e-6 * cx * cx};
    }
    chart_cost_args a = {{"cost", "Cost versus input reservation",
                          "The optimum is the lowest point; right of it you pay for idle "
                          "capacity, left of it for spill."},
                         x, y, 60, {NULL, adv ? 54000 : 55556, adv ? 17532 : 17528},
                         cand, nc, adv ? 17532 : 21000};
    return chart_cost(b, &a, lay, NULL);
}

static tp_status sample_heatmap(strbuf *b, chart_layout *lay, int adv)
{
    double v[168];
    for (int i = 0; i < 168; i++) {
        int d = i / 24, h = i % 24;
        v[i] = (d < 5 ? 60000 : 15000) * (h >= 8 && h <= 18 ? 1.6 : 0.5) + h * 450;
        if (adv)
            v[i] = i % 7 == 3 ? NAN : 4.56e12 + i;
    }
    chart_heatmap_args a = {{"heat", "Hour of week", "Dark cells are the busy hours; plan "
                             "for them, not for the average."}, adv ? nasty : NULL, v};
    return chart_heatmap(b, &a, lay, NULL);
}

static tp_status sample_fleet(strbuf *b, chart_layout *lay, int adv)
{
    chart_fleet_bar bars[40];
    char names[40][300];
    size_t n = adv ? 40 : 5;
    static const char *const typical[] = {"anthropic.claude-3-5-sonnet", "amazon.nova-pro-v1:0",
                                          "meta.llama3-70b", "mistral.large", nasty};
    for (size_t i = 0; i < n; i++) {
        bars[i].model = adv ? long_name(names[i], sizeof names[i], i) : typical[i];
        bars[i].reserved_usd_per_month = adv && i % 4 == 0 ? 0 : 9000.0 + (double)i * 2500;
        bars[i].spill_usd_per_month = i % 3 == 0 ? 0 : 1200.0 * (double)i;
        bars[i].total_usd_per_month = bars[i].reserved_usd_per_month + bars[i].spill_usd_per_month;
        bars[i].on_demand_usd_per_month = adv && i % 5 == 0 ? NAN : 14000.0 + (double)i * 3500;
    }
    chart_fleet_args a = {{"fleet", "Fleet cost per month", "Bars left of the diamond save "
                           "money against on-demand."}, bars, n};
    return chart_fleet(b, &a, lay, NULL);
}

static tp_status sample_fan(strbuf *b, chart_layout *lay, int adv)
{
    double p[4][3][120];
    chart_fan_series s[4];
    char names[4][300];
    size_t months = adv ? 120 : 18, ns = adv ? 4 : 2;
    for (size_t j = 0; j < ns; j++) {
        for (size_t i = 0; i < months; i++) {
            double mid = (60000.0 / (double)(j + 1)) * pow(1.03, (double)i);
            p[j][0][i] = mid * (1 - 0.01 * (double)i);
            p[j][1][i] = mid;
            p[j][2][i] = mid * (1 + 0.015 * (double)i);
        }
        s[j] = (chart_fan_series){adv ? long_name(names[j], sizeof names[j], j)
                                      : j == 0 ? "effective input" : "output",
                                  p[j][0], p[j][1], p[j][2]};
    }
    chart_fan_args a = {{"fan", "Projected demand", "The band widens with the horizon: buy "
                         "for P50, watch P90."}, "TPM", 0, 2025, 11, months, s, ns};
    return chart_fan(b, &a, lay, NULL);
}

static const struct {
    const char *name;
    sample_fn fn;
} samples[] = {{"timeseries", sample_ts}, {"duration", sample_duration}, {"cost", sample_cost},
               {"heatmap", sample_heatmap}, {"fleet", sample_fleet}, {"fan", sample_fan}};
#define N_SAMPLES (sizeof samples / sizeof *samples)

/* Renders sample i (typical or adversarial) into a string the caller frees. */
static char *render(size_t i, int adv, chart_layout *lay)
{
    strbuf b = {0};
    char *out = NULL;
    tp_status st = samples[i].fn(&b, lay, adv);
    if (st != TP_OK) {
        free(b.data);
        return NULL;
    }
    return sb_finish(&b, &out, NULL) == TP_OK ? out : NULL;
}

#ifdef CHART_XMLLINT_MAIN

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    int ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int main(void)
{
    if (system("xmllint --version >/dev/null 2>&1") != 0) {
        printf("SKIP: xmllint not found (Debian package libxml2-utils)\n");
        return 77;
    }
    char dir[] = "/tmp/tp_chart_XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    const char *html = getenv("CHART_SAMPLE_HTML");
    FILE *page = html != NULL ? fopen(html, "w") : NULL;
    if (page != NULL)
        fputs("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>charts</title>"
              "</head><body style=\"font-family:sans-serif;max-width:980px\">\n", page);
    int failed = 0;
    for (size_t i = 0; i < N_SAMPLES; i++)
        for (int adv = 0; adv <= 1; adv++) {
            char path[128], cmd[256];
            char *svg = render(i, adv, NULL);
            snprintf(path, sizeof path, "%s/%s-%d.svg", dir, samples[i].name, adv);
            snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
            if (svg == NULL || write_file(path, svg) != 0 || system(cmd) != 0) {
                printf("FAIL: %s (%s)\n", samples[i].name, adv ? "adversarial" : "typical");
                failed = 1;
            } else {
                printf("ok: xmllint --noout %s (%s)\n", samples[i].name,
                       adv ? "adversarial" : "typical");
                remove(path);
            }
            if (page != NULL && svg != NULL)
                fprintf(page, "<h2>%s (%s)</h2>\n%s", samples[i].name,
                        adv ? "adversarial" : "typical", svg);
            free(svg);
        }
    if (page != NULL) {
        fputs("</body></html>\n", page);
        fclose(page);
    }
    rmdir(dir);
    return failed;
}

#else /* the CUnit suite */

#include <CUnit/CUnit.h>

void register_tests(void);

/* A minimal XML well-formedness check: balanced tags, quoted attributes without duplicates,
 * only the five predefined or numeric entities, one root element. */
static int entity_ok(const char *p)
{
    static const char *const ent[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (size_t i = 0; i < 5; i++)
        if (strncmp(p, ent[i], strlen(ent[i])) == 0)
            return 1;
    if (p[1] != '#')
        return 0;
    size_t d = strspn(p + 2, "0123456789");
    return d > 0 && p[2 + d] == ';';
}

/* Parses the attributes of the tag whose name ends at q; returns past '>' or NULL. */
static const char *attrs_ok(const char *q, int *self_closing)
{
    const char *names[64];
    size_t lens[64], na = 0;
    for (;;) {
        q += strspn(q, " \t\n");
        if (*q == '>' || (q[0] == '/' && q[1] == '>')) {
            *self_closing = *q == '/';
            return q + (*self_closing ? 2 : 1);
        }
        size_t len = strspn(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_");
        if (len == 0 || q[len] != '=' || q[len + 1] != '"' || na == 64)
            return NULL;
        for (size_t i = 0; i < na; i++)
            if (lens[i] == len && strncmp(names[i], q, len) == 0)
                return NULL; /* duplicate attribute */
        names[na] = q;
        lens[na++] = len;
        q += len + 2;
        for (; *q != '"'; q++)
            if (*q == '\0' || *q == '<' || (*q == '&' && !entity_ok(q)))
                return NULL;
        q++;
    }
}

static int well_formed(const char *s)
{
    const char *stack[32];
    size_t lens[32];
    int depth = 0, roots = 0;
    for (const char *p = s; *p != '\0';) {
        if (*p == '<' && p[1] == '/') {
            size_t len = strcspn(p + 2, ">");
            if (depth == 0 || len != lens[depth - 1] || strncmp(p + 2, stack[depth - 1], len))
                return 0;
            depth--;
            p += len + 3;
        } else if (*p == '<') {
            size_t len = strcspn(p + 1, " \t\n/>");
            int self_closing = 0;
            if (len == 0 || depth == 32 || (depth == 0 && roots++ > 0))
                return 0;
            const char *q = attrs_ok(p + 1 + len, &self_closing);
            if (q == NULL)
                return 0;
            if (!self_closing) {
                stack[depth] = p + 1;
                lens[depth++] = len;
            }
            p = q;
        } else if ((*p == '&' && !entity_ok(p)) || *p == '>' ||
                   (depth == 0 && strchr(" \t\n", *p) == NULL)) {
            return 0;
        } else {
            p++;
        }
    }
    return depth == 0 && roots == 1;
}

static void test_checker_catches_bad_xml(void)
{
    CU_ASSERT_TRUE(well_formed("<svg a=\"1\"><text>a &amp; b</text><g/></svg>\n"));
    CU_ASSERT_FALSE(well_formed("<svg><text>a & b</text></svg>"));
    CU_ASSERT_FALSE(well_formed("<svg><text>a</svg></text>"));
    CU_ASSERT_FALSE(well_formed("<svg a=\"1\" a=\"2\"></svg>"));
    CU_ASSERT_FALSE(well_formed("<svg a=1></svg>"));
    CU_ASSERT_FALSE(well_formed("<svg></svg><svg></svg>"));
}

static void test_escape(void)
{
    strbuf b = {0};
    char *out = NULL;
    /* "\xc3\xa9" is a valid e-acute and stays; "\xff" and "\x01" cannot appear in XML */
    chart_escape(&b, "a<b&c\"d'e>f \xc3\xa9 \xff \x01 \xe2\x82");
    CU_ASSERT_EQUAL_FATAL(sb_finish(&b, &out, NULL), TP_OK);
    CU_ASSERT_STRING_EQUAL(out, "a&lt;b&amp;c&quot;d&#39;e&gt;f \xc3\xa9 ? ? ??");
    free(out);
}

/* A model id with <, & and " appears escaped in the fleet chart (label and tooltip) and in
 * every chart that shows a name from input; never as raw markup. */
static void test_model_id_escaped(void)
{
    for (size_t i = 0; i < N_SAMPLES; i++)
        for (int adv = 0; adv <= 1; adv++) {
            char *svg = render(i, adv, NULL);
            CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
            CU_ASSERT_PTR_NULL(strstr(svg, "<script"));
            CU_ASSERT_PTR_NULL(strstr(svg, "x&y"));
            free(svg);
        }
    char *svg = render(4, 0, NULL); /* the typical fleet has the nasty id as its 5th model */
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "&lt;script&gt;alert(&quot;x&amp;y&quot;)"));
    free(svg);
}

static void test_well_formed(void)
{
    for (size_t i = 0; i < N_SAMPLES; i++)
        for (int adv = 0; adv <= 1; adv++) {
            char *svg = render(i, adv, NULL);
            CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
            if (!well_formed(svg))
                printf("\n  not well-formed: %s (%s)\n", samples[i].name, adv ? "adv" : "typ");
            CU_ASSERT_TRUE(well_formed(svg));
            CU_ASSERT_PTR_NULL(strstr(svg, "nan"));
            CU_ASSERT_PTR_NULL(strstr(svg, "inf"));
            free(svg);
        }
}

/* No two labels' estimated boxes overlap, every box is inside the chart's width, and the
 * labels that carry the message are there. */
static void test_labels_never_overlap(void)
{
    for (size_t i = 0; i < N_SAMPLES; i++)
        for (int adv = 0; adv <= 1; adv++) {
            chart_layout lay = {0};
            char *svg = render(i, adv, &lay);
            CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
            CU_ASSERT_TRUE(lay.n >= 8);
            for (size_t p = 0; p < lay.n; p++) {
                CU_ASSERT_TRUE(lay.box[p].x >= 0 && lay.box[p].x + lay.box[p].w <= CHART_WIDTH);
                for (size_t q = p + 1; q < lay.n; q++)
                    if (chart_boxes_overlap(&lay.box[p], &lay.box[q])) {
                        printf("\n  %s (%s): label %zu overlaps %zu\n", samples[i].name,
                               adv ? "adv" : "typ", p, q);
                        CU_FAIL("labels overlap");
                    }
            }
            chart_layout_free(&lay);
            free(svg);
        }
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = strstr(s, what); p != NULL; p = strstr(p + 1, what))
        n++;
    return n;
}

static void test_key_labels_present(void)
{
    char *svg = render(2, 1, NULL); /* 30 candidates on top of the optimum */
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "optimum: 54.0K TPM, $17.5K/month"));
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "on-demand $17.5K/month"));
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">total USD/month</text>"));
    free(svg);
    svg = render(0, 1, NULL); /* all zero: a 0 to 1 axis in steps of 0.25, not "0.2" */
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">0.25</text>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">0.75</text>"));
    free(svg);
    svg = render(1, 1, NULL); /* the y axis title is the escaped name */
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "&amp; co (TPM)</text>"));
    free(svg);
    svg = render(5, 1, NULL); /* four long names in the legend: each whole, none lost */
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">TPM (line: P50, band: P10 to P90)</text>"));
    for (size_t j = 0; j < 4; j++) {
        char name[300], *want = NULL;
        strbuf e = {0};
        chart_escape(&e, long_name(name, sizeof name, j));
        CU_ASSERT_EQUAL_FATAL(sb_finish(&e, &want, NULL), TP_OK);
        CU_ASSERT_PTR_NOT_NULL(strstr(svg, want));
        free(want);
    }
    free(svg);
    svg = render(1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">P99 120K</text>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">P25 31.0K</text>"));
    free(svg);
}

/* Nothing from input is cut in any chart: no "..." in any sample, typical or adversarial
 * (their titles, captions, legends, series names and model ids hold none). */
static void test_nothing_cut(void)
{
    for (size_t i = 0; i < N_SAMPLES; i++)
        for (int adv = 0; adv <= 1; adv++) {
            char *svg = render(i, adv, NULL);
            CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
            if (strstr(svg, "...") != NULL)
                printf("\n  %s (%s): cut\n", samples[i].name, adv ? "adv" : "typ");
            CU_ASSERT_PTR_NULL(strstr(svg, "..."));
            free(svg);
        }
}

/* Line breaks: after . - : / _ @ or a space in the line's second half, else between
 * characters, never inside a UTF-8 sequence. */
static void test_wrap(void)
{
    /* "us.anthropic.claude-sonnet-4-5-20250929-v1:0" at 36: its first 36 characters end
     * "...-4-5-20250"; the last '-' among them is the 31st, so the line is 31 bytes and the
     * rest (13) fits the second */
    const char *sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    CU_ASSERT_EQUAL(chart_wrap_next(sonnet, 36), 31u);
    CU_ASSERT_EQUAL(chart_wrap_lines(sonnet, 36), 2u);
    CU_ASSERT_EQUAL(chart_wrap_width(sonnet, 36), 31u);
    CU_ASSERT_EQUAL(chart_wrap_lines(sonnet, 44), 1u); /* it fits: whole on one line */
    CU_ASSERT_EQUAL(chart_wrap_next(sonnet, 44), 44u);
    /* a '-' only in the first half (the 3rd of 10) is no break: 10 characters, then 10 */
    CU_ASSERT_EQUAL(chart_wrap_next("ab-cdefghijklmnopqr", 10), 10u);
    CU_ASSERT_EQUAL(chart_wrap_lines("", 10), 1u);
    /* 300 x "\xc3\xa9" (2 bytes each) at 36: 8 full lines of 72 bytes, a 9th of 12 chars */
    char e[601];
    for (int k = 0; k < 300; k++)
        memcpy(e + 2 * k, "\xc3\xa9", 2);
    e[600] = '\0';
    CU_ASSERT_EQUAL(chart_wrap_next(e, 36), 72u);
    CU_ASSERT_EQUAL(chart_wrap_lines(e, 36), 9u);
    CU_ASSERT_EQUAL(chart_wrap_width(e, 36), 36u);
}

/* The viewBox height of a chart. */
static double svg_height(const char *svg)
{
    const char *p = strstr(svg, "viewBox=\"0 0 960 ");
    return p != NULL ? atof(p + strlen("viewBox=\"0 0 960 ")) : -1;
}

/* A fleet row grows 13 units for each extra line of its id, and the id is whole in the
 * chart: a one-line fleet is 66 + 8 + 26 + 58 = 158 high (CHART_TOP + 8, a row, the bottom);
 * a 200-character id of "abcdefghi-" x 20 wraps at 36 after the 3rd '-' of each line (30
 * characters), so takes 7 lines (6 x 30 + 20): 6 more lines, 6 x 13 = 78 more units. */
static void test_fleet_row_grows(void)
{
    char id[201];
    for (int k = 0; k < 20; k++)
        memcpy(id + 10 * k, "abcdefghi-", 10);
    id[200] = '\0';
    CU_ASSERT_EQUAL(chart_wrap_lines(id, 36), 7u);
    const char *ids[2] = {"meta.llama3-70b", id};
    double h[2];
    for (int k = 0; k < 2; k++) {
        chart_fleet_bar bar = {ids[k], 100, 20, 120, 150};
        chart_fleet_args a = {{"fleet", "Fleet", "One model."}, &bar, 1};
        strbuf b = {0};
        char *svg = NULL;
        chart_layout lay = {0};
        CU_ASSERT_EQUAL_FATAL(chart_fleet(&b, &a, &lay, NULL), TP_OK);
        CU_ASSERT_EQUAL_FATAL(sb_finish(&b, &svg, NULL), TP_OK);
        h[k] = svg_height(svg);
        CU_ASSERT_TRUE(well_formed(svg));
        char want[300];
        snprintf(want, sizeof want, k == 0 ? ">%s</text>" : "<title>%s</title><tspan", ids[k]);
        CU_ASSERT_PTR_NOT_NULL(strstr(svg, want));
        CU_ASSERT_EQUAL(count(svg, "<tspan"), k == 0 ? 0 : 7);
        for (size_t p = 0; p < lay.n; p++)
            for (size_t q = p + 1; q < lay.n; q++)
                CU_ASSERT_FALSE(chart_boxes_overlap(&lay.box[p], &lay.box[q]));
        chart_layout_free(&lay);
        free(svg);
    }
    CU_ASSERT_DOUBLE_EQUAL(h[0], 158, 0);
    CU_ASSERT_DOUBLE_EQUAL(h[1], 158 + 78, 0);
}

static void test_boxes_overlap(void)
{
    chart_box a = {0, 0, 10, 10}, b = {10, 0, 5, 5}, c = {9.5, 9.5, 5, 5};
    CU_ASSERT_FALSE(chart_boxes_overlap(&a, &b)); /* touching edges */
    CU_ASSERT_TRUE(chart_boxes_overlap(&a, &c));
    CU_ASSERT_TRUE(chart_boxes_overlap(&c, &a));
}

static void test_downsample_keeps_peaks(void)
{
    double v[10] = {1, 9, 2, NAN, 3, 7, 0, 4, 8, 5}, mn[3], mx[3];
    /* columns [0,3) [3,6) [6,10): NAN counts as 0 */
    chart_downsample(v, 10, 3, mn, mx);
    CU_ASSERT_DOUBLE_EQUAL(mx[0], 9, 0);
    CU_ASSERT_DOUBLE_EQUAL(mn[0], 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(mx[1], 7, 0);
    CU_ASSERT_DOUBLE_EQUAL(mn[1], 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(mx[2], 8, 0);
    CU_ASSERT_DOUBLE_EQUAL(mn[2], 0, 0);
}

/* A year of minutes with one spike of 1000 TPM at minute 300,000 on a 100-244 TPM base.
 * Axis: chart_nice(0, 1000, 4) steps by 250 to exactly 1000, so the spike is the plot top:
 * y = CHART_TOP + 18 = 84.0. Columns: 864 (the plot width) of 525600 / 864 = 608.3 minutes;
 * column 493 holds minutes [299908, 300516), so the spike is its top, drawn at its centre
 * x = 72 + 493.5 = 565.5. */
static void test_year_stays_small_and_keeps_its_peak(void)
{
    size_t n = 525600;
    double *v = malloc(n * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (size_t i = 0; i < n; i++)
        v[i] = 100 + (double)(i % 1440) / 10;
    v[300000] = 1000;
    chart_ts_series s = {"effective input", v, 200};
    chart_ts_args a = {{"year", "A year", "One spike."}, T0, 60, n, &s, 1};
    strbuf b = {0};
    char *svg = NULL;
    CU_ASSERT_EQUAL_FATAL(chart_timeseries(&b, &a, NULL, NULL), TP_OK);
    CU_ASSERT_EQUAL_FATAL(sb_finish(&b, &svg, NULL), TP_OK);
    CU_ASSERT_TRUE(strlen(svg) < 300 * 1024);
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "L565.5 84.0"));
    CU_ASSERT_TRUE(well_formed(svg));
    free(svg);
    free(v);
}

static void test_usage_errors(void)
{
    strbuf b = {0};
    tp_error err;
    chart_ts_args ts = {{NULL, NULL, NULL}, T0, 60, 0, NULL, 0};
    CU_ASSERT_EQUAL(chart_timeseries(&b, &ts, NULL, &err), TP_ERR_USAGE);
    chart_fleet_args fl = {{NULL, NULL, NULL}, NULL, 0};
    CU_ASSERT_EQUAL(chart_fleet(&b, &fl, NULL, &err), TP_ERR_USAGE);
    chart_fan_args fan = {{NULL, NULL, NULL}, "TPM", 0, 2025, 13, 12, NULL, 0};
    CU_ASSERT_EQUAL(chart_fan(&b, &fan, NULL, &err), TP_ERR_USAGE);
    CU_ASSERT_EQUAL(b.len, 0u); /* nothing half-written */
    free(b.data);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("chart", NULL, NULL);
    CU_add_test(s, "the checker catches bad XML", test_checker_catches_bad_xml);
    CU_add_test(s, "escape", test_escape);
    CU_add_test(s, "a model id with < & \" renders escaped", test_model_id_escaped);
    CU_add_test(s, "every chart is well-formed XML", test_well_formed);
    CU_add_test(s, "no two labels overlap", test_labels_never_overlap);
    CU_add_test(s, "the labels that matter are placed", test_key_labels_present);
    CU_add_test(s, "nothing from input is cut", test_nothing_cut);
    CU_add_test(s, "wrapping breaks lines well", test_wrap);
    CU_add_test(s, "a fleet row grows with its id's lines", test_fleet_row_grows);
    CU_add_test(s, "box overlap", test_boxes_overlap);
    CU_add_test(s, "downsampling keeps each column's min and max", test_downsample_keeps_peaks);
    CU_add_test(s, "a year stays small and keeps its peak",
                test_year_stays_small_and_keeps_its_peak);
    CU_add_test(s, "usage errors", test_usage_errors);
}

#endif
