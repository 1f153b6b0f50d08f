/* gate_render.c - the checks of a gate as text (failures one line each), JSON and markdown
 * (every check with its value, threshold and verdict: failures first, passes folded). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/place.h"
#include "render/render.h"
#include "render/report_internal.h"
#include "tierplan/store.h"
#include "tierplan/report.h"
#include "tierplan/gate.h"

/* A check's value or threshold for people, with its unit; `extra` more decimals than usual
 * for hours and percentages. */
static void fmt_value(char *buf, size_t size, const tp_gate_check *c, double v, int extra)
{
    char num[NUMFMT_BUF];
    if (strcmp(c->unit, "usd_per_month") == 0) {
        numfmt_usd(num, v); /* the label says "per month" */
        snprintf(buf, size, "%s", num);
    } else if (strcmp(c->unit, "pct") == 0) {
        if (extra == 0 || isnan(v) || fabs(v) > 9999)
            numfmt_pct(num, v);
        else
            numfmt_fixed(num, v, 1 + extra);
        snprintf(buf, size, extra == 0 || isnan(v) || fabs(v) > 9999 ? "%s" : "%s%%", num);
    } else if (strcmp(c->unit, "hours") == 0) {
        numfmt_fixed(num, v, 1 + extra);
        snprintf(buf, size, "%s h", num);
    } else {
        /* "1 minute", "5 minutes": the unit is a plural word */
        numfmt_count(num, v);
        const size_t n = strlen(c->unit);
        snprintf(buf, size, "%s %.*s", num,
                 (int)(strcmp(num, "1") == 0 && n > 1 && c->unit[n - 1] == 's' ? n - 1 : n),
                 c->unit);
    }
}

/* Value and threshold with as many decimals (up to 3) as it takes for two different numbers
 * not to print alike: a failing 1.03 h must not read "1.0 h > 1.0 h". */
static void fmt_pair(char v[64], char t[64], const tp_gate_check *c)
{
    for (int extra = 0; extra <= 2; extra++) {
        fmt_value(v, 64, c, c->value, extra);
        fmt_value(t, 64, c, c->threshold, extra);
        if (strcmp(v, t) != 0 || !(c->value != c->threshold))
            return;
    }
}

/* "value > threshold" (the way it fails), "value <= threshold" (the way it holds). */
static void comparison(char *buf, size_t size, const tp_gate_check *c)
{
    char v[64], t[64];
    fmt_pair(v, t, c);
    const int failed = c->verdict == TP_VERDICT_FAIL;
    const char *op = c->fails_below ? (failed ? "<" : ">=") : (failed ? ">" : "<=");
    if (isnan(c->value))
        snprintf(buf, size, "(limit %s)", t);
    else if (strstr(c->what, "change_") == c->what)
        /* a change fails by its size either way: compare the magnitude */
        snprintf(buf, size, "%s%s, |change| %s %s", c->value > 0 ? "+" : "", v, op, t);
    else
        snprintf(buf, size, "%s %s %s", v, op, t);
}

/* "FAILED: 2 of 7 checks failed, 4 passed, 1 n/a" or "passed: ...". */
static void summary(strbuf *b, const tp_gate *g, const char *prefix)
{
    size_t na = 0;
    for (size_t i = 0; i < g->n; i++)
        na += g->checks[i].verdict == TP_VERDICT_NA;
    sb_printf(b, "%s%s: %zu of %zu checks failed, %zu passed, %zu n/a", prefix,
              g->n_failed > 0 ? "FAILED" : "passed", g->n_failed, g->n,
              g->n - g->n_failed - na, na);
}

/* A check's place is named when known: a fleet recorded before regions (all unknown) keeps its
 * lines short and as they were; a known place in place.h's words. */
static int place_known(const tp_gate_check *c)
{
    return (c->region != NULL && c->region[0] != '\0') ||
           (c->account != NULL && c->account[0] != '\0');
}

/* Who a check is of: "fleet", the model, or the model and its known place as every text says
 * it (place.h; written raw: render_wrapped encodes the line); NULL when out of memory. into
 * is freed by the caller. */
static const char *who(const tp_gate_check *c, char **into)
{
    *into = NULL;
    if (c->model == NULL)
        return "fleet";
    if (!place_known(c))
        return c->model;
    strbuf w = {0};
    sb_puts(&w, c->model);
    place_text_enc(&w, c->region, c->account, sb_puts);
    if (w.failed || w.data == NULL) {
        free(w.data);
        return NULL;
    }
    *into = w.data;
    return *into;
}

static tp_status gate_text(const tp_gate *g, char **out, tp_error *err)
{
    strbuf b = {0};
    char cmp[192];
    char *owned = NULL;
    for (size_t i = 0; i < g->n; i++) {
        const tp_gate_check *c = &g->checks[i];
        free(owned);
        const char *model = who(c, &owned);
        if (model == NULL) {
            free(b.data);
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        }
        if (c->verdict == TP_VERDICT_NA) {
            strbuf line = {0};
            sb_printf(&line, "%s: %s: %s", model, c->label, c->note);
            render_wrapped(&b, "n/a  ", line.data != NULL ? line.data : "");
            b.failed |= line.failed;
            free(line.data);
            continue;
        }
        if (c->verdict == TP_VERDICT_PASS)
            continue;
        comparison(cmp, sizeof cmp, c);
        /* one line per failure; the note only where it fits in 100 columns, and a line too
         * long even without it (a long model id) wrapped rather than overflowing. A failure
         * without a value (a change from 0) has only its note to say what was found: always
         * shown, wrapped */
        const int with_note =
            isnan(c->value) ||
            snprintf(NULL, 0, "%s: %s %s (%s)", model, c->label, cmp, c->note) <=
                RENDER_TEXT_COLUMNS - (int)strlen("FAIL ");
        const size_t n = strlen(model) + strlen(c->label) + strlen(cmp) + strlen(c->note) + 8;
        char *line = malloc(n);
        if (line == NULL) {
            free(b.data);
            free(owned);
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        }
        if (with_note && isnan(c->value))
            snprintf(line, n, "%s: %s: %s %s", model, c->label, c->note, cmp);
        else if (with_note)
            snprintf(line, n, "%s: %s %s (%s)", model, c->label, cmp, c->note);
        else
            snprintf(line, n, "%s: %s %s", model, c->label, cmp);
        render_wrapped(&b, "FAIL ", line);
        free(line);
    }
    free(owned);
    for (size_t i = 0; i < g->n_notes; i++)
        render_wrapped(&b, "note: ", g->notes[i]);
    summary(&b, g, "check: ");
    sb_puts(&b, "\n");
    return sb_finish(&b, out, err);
}

/* The table's rows of one verdict. */
static void md_rows(strbuf *b, const tp_gate *g, tp_verdict which)
{
    char v[64], t[64];
    for (size_t i = 0; i < g->n; i++) {
        const tp_gate_check *c = &g->checks[i];
        if (c->verdict != which)
            continue;
        fmt_pair(v, t, c);
        sb_printf(b, "| %s | ", c->verdict == TP_VERDICT_FAIL ? "**FAIL**"
                                : c->verdict == TP_VERDICT_PASS ? "pass" : "n/a");
        if (c->model != NULL) {
            enc_md_code(b, c->model, 1);
            if (place_known(c))
                place_md(b, c->region, c->account);
        } else {
            sb_puts(b, "**fleet**");
        }
        sb_printf(b, " | %s | %s | %s %s | ", c->label, v, c->fails_below ? "min" : "max", t);
        enc_md_text(b, c->note);
        sb_puts(b, " |\n");
    }
}

static const char md_head[] = "| verdict | model | check | value | threshold | note |\n"
                              "| --- | --- | --- | ---: | ---: | --- |\n";

/* A pull-request comment: the failures first, in the open; the checks that could not be
 * evaluated next; the passes folded in a <details> block (a reader looks for what failed). */
static tp_status gate_markdown(const tp_gate *g, char **out, tp_error *err)
{
    strbuf b = {0};
    size_t na = 0;
    for (size_t i = 0; i < g->n; i++)
        na += g->checks[i].verdict == TP_VERDICT_NA;
    const size_t passed = g->n - g->n_failed - na;
    summary(&b, g, "### tierplan check: ");
    sb_puts(&b, "\n\n");
    for (size_t i = 0; i < g->n_notes; i++) {
        sb_puts(&b, "> ");
        enc_md_text(&b, g->notes[i]);
        sb_puts(&b, "\n\n");
    }
    if (g->n_failed + na > 0) {
        sb_puts(&b, md_head);
        md_rows(&b, g, TP_VERDICT_FAIL);
        md_rows(&b, g, TP_VERDICT_NA);
    }
    if (passed > 0) {
        sb_printf(&b, "%s<details><summary>%zu check%s passed</summary>\n\n%s",
                  g->n_failed + na > 0 ? "\n" : "", passed, passed == 1 ? "" : "s", md_head);
        md_rows(&b, g, TP_VERDICT_PASS);
        sb_puts(&b, "\n</details>\n");
    }
    return sb_finish(&b, out, err);
}

static tp_status gate_json(const tp_gate *g, char **out, tp_error *err)
{
    report_json_start();
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    cJSON_AddStringToObject(root, "verdict", g->n_failed > 0 ? "fail" : "pass");
    cJSON_AddNumberToObject(root, "checks_total", (double)g->n);
    cJSON_AddNumberToObject(root, "checks_failed", (double)g->n_failed);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    for (size_t i = 0; i < g->n_notes; i++)
        report_json_push(notes, cJSON_CreateString(g->notes[i]));
    cJSON *checks = cJSON_AddArrayToObject(root, "checks");
    for (size_t i = 0; i < g->n; i++) {
        const tp_gate_check *c = &g->checks[i];
        cJSON *o = cJSON_CreateObject();
        if (c->model != NULL) {
            cJSON_AddStringToObject(o, "model", c->model);
            place_json(o, c->region, c->account);
        } else {
            cJSON_AddNullToObject(o, "model");
        }
        cJSON_AddStringToObject(o, "check", c->what);
        cJSON_AddStringToObject(o, "label", c->label);
        cJSON_AddStringToObject(o, "unit", c->unit);
        report_json_num_or_null(o, "value", c->value);
        cJSON_AddNumberToObject(o, "threshold", c->threshold);
        cJSON_AddStringToObject(o, "fails_if", c->fails_below ? "below" : "above");
        cJSON_AddStringToObject(o, "verdict", tp_gate_verdict_name(c->verdict));
        cJSON_AddStringToObject(o, "note", c->note);
        /* the checked plan's routing, as report gives it per model ([]: no reservation) */
        if (c->has_routed_tiers)
            report_json_routed(o, c->routed_tiers);
        else
            cJSON_AddNullToObject(o, "routed_tiers");
        report_json_push(checks, o);
    }
    return report_print_json(root, out, err);
}

tp_status tp_report_gate(const tp_gate *g, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < g->n; i++)
        if (isinf(g->checks[i].value))
            return tp_error_set(err, TP_ERR_INVALID, "a figure is not finite (%s = %g)",
                                g->checks[i].what, g->checks[i].value);
    switch (fmt) {
    case TP_FORMAT_TEXT: return gate_text(g, out, err);
    case TP_FORMAT_JSON: return gate_json(g, out, err);
    case TP_FORMAT_MARKDOWN: return gate_markdown(g, out, err);
    case TP_FORMAT_CSV:
    case TP_FORMAT_HTML: break;
    }
    return tp_error_set(err, TP_ERR_USAGE, "a check is rendered as text, json or markdown");
}
