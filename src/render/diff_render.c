/* diff_render.c - a diff as text (100 columns), JSON (every model, every figure) and markdown
 * (a pull-request comment: the fleet first, a table of at most 6 columns, the rest folded). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/diff_result.h"
#include "render/place.h"
#include "render/render.h"
#include "render/report_internal.h"

/* The model id of row i (place_count_text). */
/* Whether figure k is shown for row r: a model sold in units shows its units, not the
 * reserved TPM and their utilization (none reserved); a Bedrock model shows no units, and a
 * one-pool model no output units (so a Bedrock diff reads as before units). */
static int shown(const df_row *r, int k)
{
    const int units = df_row_in_units(r);
    switch (k) {
    case DF_INPUT_TPM:
    case DF_OUTPUT_TPM:
    case DF_UTIL_IN:
    case DF_UTIL_OUT: return !units;
    case DF_UNITS: return units;
    case DF_OUTPUT_UNITS: return !isnan(r->old_v[k]) || !isnan(r->new_v[k]);
    default: return 1;
    }
}

static const char *diff_row_model(const void *v, size_t i)
{
    const df_row *r = &((const df_diff *)v)->rows[i];
    return r->new_m != NULL ? r->new_m->model : r->old_m->model;
}

/* A relative change: "+12.5%", "n/a". */
static void pct_change(char *buf, double v)
{
    char num[NUMFMT_BUF];
    numfmt_pct(num, v);
    snprintf(buf, NUMFMT_BUF, "%s%.*s", v > 0 ? "+" : "", NUMFMT_BUF - 2, num);
}

static const char *row_model(const df_row *r)
{
    return r->new_m != NULL ? r->new_m->model : r->old_m->model;
}

/* The row's place: rows are matched by model and place, so two places of one model are two
 * rows that must not read alike. */
static const tp_snapshot_model *row_entry(const df_row *r)
{
    return r->new_m != NULL ? r->new_m : r->old_m;
}

/* Appends the row's place in words (place.h) when known: a diff of snapshots from before
 * regions (every entry unknown) reads as it did, as check's lines do. */
static void row_place(strbuf *b, const df_row *r, int md)
{
    const tp_snapshot_model *e = row_entry(r);
    if (e->region[0] == '\0' && e->account[0] == '\0')
        return;
    (md ? place_md : place_text)(b, e->region, e->account);
}

/* "$A -> $B (+$C, +P%)" for a fleet figure. */
static void fleet_line(strbuf *b, const char *label, double o, double n, double change,
                       double change_pct)
{
    char a[NUMFMT_BUF], c[NUMFMT_BUF], d[NUMFMT_BUF], p[NUMFMT_BUF];
    df_format(a, o, DF_USD, 0);
    df_format(c, n, DF_USD, 0);
    df_format(d, change, DF_USD, 1);
    pct_change(p, change_pct);
    sb_printf(b, "%s: %s -> %s (%s, %s)\n", label, a, c, d, p);
}

static size_t count_status(const df_diff *d, df_status s)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->rows[i].status == s;
    return n;
}

static void catalog_note(strbuf *b, const df_diff *d, const char *prefix)
{
    char text[256];
    if (d->same_catalog)
        return;
    snprintf(text, sizeof text,
             "the price catalogs differ (sha256 %.12s... then, %.12s... now): cost changes "
             "mix price and demand changes",
             d->old_s->pricing_sha256, d->new_s->pricing_sha256);
    render_wrapped(b, prefix, text);
}

/* The models folded into one line, wrapped at 100 columns. */
static void unchanged_line(strbuf *b, const df_diff *d, size_t max_names, int md)
{
    strbuf names = {0};
    size_t shown = 0;
    char *text = NULL;
    char prefix[64];
    tp_error err;
    if (d->n_unchanged == 0)
        return;
    for (size_t i = 0; i < d->n; i++) {
        if (d->rows[i].status != DF_UNCHANGED)
            continue;
        if (shown == max_names) {
            sb_printf(&names, " and %zu more", d->n_unchanged - shown);
            break;
        }
        sb_puts(&names, shown++ > 0 ? ", " : "");
        if (md)
            enc_md_code(&names, row_model(&d->rows[i]), 0);
        else
            enc_text(&names, row_model(&d->rows[i]));
        row_place(&names, &d->rows[i], md);
    }
    snprintf(prefix, sizeof prefix, md ? "\n**unchanged (%zu):** " : "\nunchanged (%zu): ",
             d->n_unchanged);
    if (sb_finish(&names, &text, &err) == TP_OK) {
        render_wrapped_raw(b, prefix, text); /* encoded above */
        free(text);
    } else {
        b->failed = 1;
    }
}

static void text_row(strbuf *b, const df_row *r)
{
    char o[NUMFMT_BUF], n[NUMFMT_BUF], c[NUMFMT_BUF], p[NUMFMT_BUF];
    df_format(c, r->cost_impact_usd, DF_USD, 1);
    char head[96];
    snprintf(head, sizeof head, "(%s; cost per month %s)", df_status_name(r->status), c);
    /* a long model id (an inference profile ARN) wraps instead of passing 100 columns */
    sb_puts(b, "\n");
    sb_puts(b, "== ");
    enc_text(b, row_model(r));
    strbuf place = {0}; /* a region and an account are ASCII: a byte is a column */
    row_place(&place, r, 0);
    const char *pl = place.data != NULL ? place.data : "";
    const size_t model_cols = enc_text_width(row_model(r)) + 3;
    b->failed |= place.failed;
    if (model_cols + place.len + strlen(head) + 1 <= RENDER_TEXT_COLUMNS)
        sb_printf(b, "%s %s\n", pl, head);
    else if (model_cols + place.len <= RENDER_TEXT_COLUMNS)
        sb_printf(b, "%s\n   %s\n", pl, head);
    else /* the place goes under the id, before the status (" (region" without its space) */
        sb_printf(b, "\n   %s %s\n", pl + (pl[0] == ' '), head);
    free(place.data);
    const int was = r->old_m != NULL && r->old_m->sized, is = r->new_m != NULL && r->new_m->sized;
    const char *a = was ? r->old_m->window_from : "-", *z = was ? r->old_m->window_to : "-";
    const char *na = is ? r->new_m->window_from : "-", *nz = is ? r->new_m->window_to : "-";
    /* two windows of full timestamps take 101 columns: the new one then goes on its own line */
    const int one_line = enc_text_width(a) + enc_text_width(z) + enc_text_width(na) +
                             enc_text_width(nz) + 18 <= RENDER_TEXT_COLUMNS;
    sb_puts(b, "window ");
    enc_text(b, a);
    sb_puts(b, " .. ");
    enc_text(b, z);
    sb_puts(b, one_line ? " -> " : "\n    -> ");
    enc_text(b, na);
    sb_puts(b, " .. ");
    enc_text(b, nz);
    sb_puts(b, "\n");
    if (!r->comparable)
        render_wrapped(b, "not comparable: ", r->why);
    sb_printf(b, "%-22s %17s %17s %17s %10s\n", "figure", "old", "new", "change", "change %");
    for (int k = 0; k < DF_COUNT; k++) {
        if (!shown(r, k))
            continue;
        const df_unit u = df_figures[k].unit;
        df_format(o, r->old_v[k], u, 0);
        df_format(n, r->new_v[k], u, 0);
        df_format(c, r->change[k], u, 1);
        pct_change(p, r->change_pct[k]);
        /* two pools: the units are the input pool's */
        const char *label = k == DF_UNITS && shown(r, DF_OUTPUT_UNITS) ? "input units"
                                                                          : df_figures[k].label;
        sb_printf(b, "%-22s %17s %17s %17s %10s\n", label, o, n, c, p);
    }
}

static tp_status df_text(const df_diff *d, char **out, tp_error *err)
{
    strbuf b = {0};
    sb_puts(&b, "diff ");
    enc_text(&b, d->old_s->source);
    sb_puts(&b, " -> ");
    enc_text(&b, d->new_s->source);
    sb_puts(&b, "\n");
    fleet_line(&b, "fleet cost per month", d->old_cost_usd, d->new_cost_usd, d->cost_change_usd,
               d->cost_change_pct);
    fleet_line(&b, "fleet savings per month", d->old_savings_usd, d->new_savings_usd,
               d->savings_change_usd, d->savings_change_pct);
    sb_printf(&b, "models: %zu changed, %zu added, %zu removed, %zu unchanged\n",
              count_status(d, DF_CHANGED), count_status(d, DF_ADDED),
              count_status(d, DF_REMOVED), d->n_unchanged);
    catalog_note(&b, d, "note: ");
    for (size_t i = 0; i < d->n; i++)
        if (d->rows[i].status != DF_UNCHANGED)
            text_row(&b, &d->rows[i]);
    unchanged_line(&b, d, (size_t)-1, 0);
    return sb_finish(&b, out, err);
}

/* "a -> b" of a figure in a markdown cell; one value when both read the same. */
static void md_pair(strbuf *b, const df_row *r, int k)
{
    char o[NUMFMT_BUF], n[NUMFMT_BUF];
    df_format(o, r->old_v[k], df_figures[k].unit, 0);
    df_format(n, r->new_v[k], df_figures[k].unit, 0);
    if (strcmp(o, n) == 0)
        sb_printf(b, "%s", n);
    else
        sb_printf(b, "%s → %s", r->old_m == NULL ? "–" : o, r->new_m == NULL ? "–" : n);
}

/* Two figures in one cell: "28K / 8K → 56K / 16K". */
static void md_two(strbuf *b, const df_row *r, int k1, int k2, int tpm)
{
    char o1[NUMFMT_BUF], o2[NUMFMT_BUF], n1[NUMFMT_BUF], n2[NUMFMT_BUF];
    if (tpm) {
        numfmt_short(o1, r->old_v[k1]);
        numfmt_short(o2, r->old_v[k2]);
        numfmt_short(n1, r->new_v[k1]);
        numfmt_short(n2, r->new_v[k2]);
    } else {
        numfmt_pct(o1, r->old_v[k1]);
        numfmt_pct(o2, r->old_v[k2]);
        numfmt_pct(n1, r->new_v[k1]);
        numfmt_pct(n2, r->new_v[k2]);
    }
    if (strcmp(o1, n1) == 0 && strcmp(o2, n2) == 0)
        sb_printf(b, "%s / %s", n1, n2);
    else if (r->old_m == NULL || r->new_m == NULL)
        sb_printf(b, "%s / %s", r->old_m == NULL ? n1 : o1, r->old_m == NULL ? n2 : o2);
    else
        sb_printf(b, "%s / %s → %s / %s", o1, o2, n1, n2);
}

/* A two-pool model's units in one cell: "8 / 25 units → 8 / 30 units". */
static void md_two_units(strbuf *b, const df_row *r)
{
    char o1[NUMFMT_BUF], o2[NUMFMT_BUF], n1[NUMFMT_BUF], n2[NUMFMT_BUF];
    numfmt_count(o1, r->old_v[DF_UNITS]);
    numfmt_count(o2, r->old_v[DF_OUTPUT_UNITS]);
    numfmt_count(n1, r->new_v[DF_UNITS]);
    numfmt_count(n2, r->new_v[DF_OUTPUT_UNITS]);
    if ((strcmp(o1, n1) == 0 && strcmp(o2, n2) == 0) || r->old_m == NULL)
        sb_printf(b, "%s / %s units", n1, n2);
    else if (r->new_m == NULL)
        sb_printf(b, "%s / %s units", o1, o2);
    else
        sb_printf(b, "%s / %s → %s / %s units", o1, o2, n1, n2);
}

static void md_row(strbuf *b, const df_row *r)
{
    char c[NUMFMT_BUF], p[NUMFMT_BUF];
    sb_puts(b, "| ");
    enc_md_code(b, row_model(r), 1);
    row_place(b, r, 1);
    sb_printf(b, "%s | ", r->status == DF_ADDED ? " (new)" : r->status == DF_REMOVED ? " (gone)"
                                                                                     : "");
    if (!df_row_in_units(r))
        md_two(b, r, DF_INPUT_TPM, DF_OUTPUT_TPM, 1);
    else if (shown(r, DF_OUTPUT_UNITS)) { /* two pools: input / output units */
        md_two_units(b, r);
    } else {
        md_pair(b, r, DF_UNITS);
        sb_puts(b, " units");
    }
    sb_puts(b, " | ");
    md_pair(b, r, DF_COST);
    df_format(c, r->cost_impact_usd, DF_USD, 1);
    pct_change(p, r->change_pct[DF_COST]);
    if (!r->comparable)
        sb_puts(b, " | not comparable | ");
    else
        sb_printf(b, " | %s (%s) | ", c, p);
    md_pair(b, r, DF_SAVINGS);
    sb_puts(b, " |\n");
}

/* The row of the folded details table: how the reservation serves, and on what data. */
static void md_detail_row(strbuf *b, const df_row *r)
{
    sb_puts(b, "| ");
    enc_md_code(b, row_model(r), 1);
    row_place(b, r, 1);
    sb_puts(b, " | ");
    md_two(b, r, DF_UTIL_IN, DF_UTIL_OUT, 0);
    sb_puts(b, " | ");
    md_pair(b, r, DF_SPILL_MINUTES);
    sb_puts(b, " | ");
    md_pair(b, r, DF_WINDOW_MINUTES);
    sb_puts(b, " | ");
    md_pair(b, r, DF_COVERAGE);
    sb_puts(b, " |\n");
}

/* The first reason a changed model could not be compared, said once. */
static void md_comparable_note(strbuf *b, const df_diff *d)
{
    size_t n = 0, first = 0;
    for (size_t i = 0; i < d->n; i++)
        if (!d->rows[i].comparable && n++ == 0)
            first = i;
    if (n == 0 || !d->same_catalog)
        return;
    sb_printf(b, "\n> %zu model%s not comparable, e.g. ", n, n == 1 ? "" : "s");
    enc_md_code(b, row_model(&d->rows[first]), 0);
    sb_puts(b, ": ");
    enc_md_text(b, d->rows[first].why);
    sb_puts(b, "\n");
}

static tp_status df_markdown(const df_diff *d, char **out, tp_error *err)
{
    strbuf b = {0};
    char o[NUMFMT_BUF], n[NUMFMT_BUF], c[NUMFMT_BUF], p[NUMFMT_BUF];
    char so[NUMFMT_BUF], sn[NUMFMT_BUF];
    size_t shown = 0, listed = d->n - d->n_unchanged;
    df_format(o, d->old_cost_usd, DF_USD, 0);
    df_format(n, d->new_cost_usd, DF_USD, 0);
    df_format(c, d->cost_change_usd, DF_USD, 1);
    pct_change(p, d->cost_change_pct);
    sb_printf(&b, "### tierplan: fleet cost per month %s → %s (%s, %s)\n\n", o, n, c, p);
    /* at most 6 columns in the open, so that the table fits a comment's width; the figures
     * of how each reservation serves are folded in a second table */
    sb_puts(&b, "| model | reserved in / out TPM | cost / month | change | savings / month |\n");
    sb_puts(&b, "| --- | --- | ---: | ---: | ---: |\n");
    df_format(so, d->old_savings_usd, DF_USD, 0);
    df_format(sn, d->new_savings_usd, DF_USD, 0);
    char count[96];
    sb_printf(&b, "| **fleet** (%s) | | %s → %s | %s (%s) | %s → %s |\n",
              place_count_text(count, sizeof count, d, d->n, diff_row_model), o, n, c, p, so, sn);
    for (size_t i = 0; i < d->n && shown < TP_DIFF_MARKDOWN_ROWS; i++)
        if (d->rows[i].status != DF_UNCHANGED) {
            md_row(&b, &d->rows[i]);
            shown++;
        }
    if (shown > 0) {
        sb_puts(&b, "\n<details><summary>utilization, spill, window, coverage</summary>\n\n"
                    "| model | utilization in / out | spill minutes | window minutes | coverage "
                    "|\n| --- | ---: | ---: | ---: | ---: |\n");
        for (size_t i = 0, k = 0; i < d->n && k < shown; i++)
            if (d->rows[i].status != DF_UNCHANGED) {
                md_detail_row(&b, &d->rows[i]);
                k++;
            }
        sb_puts(&b, "\n</details>\n");
    }
    if (listed > shown)
        sb_printf(&b, "\n%zu more changed models, smaller cost changes: `tierplan diff` "
                      "without --format markdown lists them.\n",
                  listed - shown);
    unchanged_line(&b, d, 30, 1);
    catalog_note(&b, d, "\n> ");
    md_comparable_note(&b, d);
    return sb_finish(&b, out, err);
}

static void json_figure(cJSON *figs, const df_row *r, int k)
{
    cJSON *f = cJSON_AddObjectToObject(figs, df_figures[k].key);
    report_json_num_or_null(f, "old", r->old_v[k]);
    report_json_num_or_null(f, "new", r->new_v[k]);
    report_json_num_or_null(f, "change", r->change[k]);
    report_json_num_or_null(f, "change_pct", r->change_pct[k]);
}

static void json_window(cJSON *w, const char *name, const tp_snapshot_model *m)
{
    if (m == NULL || !m->sized) {
        cJSON_AddNullToObject(w, name);
        return;
    }
    cJSON *x = cJSON_AddObjectToObject(w, name);
    cJSON_AddStringToObject(x, "from", m->window_from);
    cJSON_AddStringToObject(x, "to", m->window_to);
}

static cJSON *json_row(const df_row *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "model", row_model(r));
    place_json(o, row_entry(r)->region, row_entry(r)->account);
    cJSON_AddStringToObject(o, "status", df_status_name(r->status));
    cJSON_AddBoolToObject(o, "comparable", r->comparable);
    if (r->comparable)
        cJSON_AddNullToObject(o, "not_comparable_reason");
    else
        cJSON_AddStringToObject(o, "not_comparable_reason", r->why);
    cJSON_AddNumberToObject(o, "cost_impact_usd", r->cost_impact_usd);
    cJSON *w = cJSON_AddObjectToObject(o, "window");
    json_window(w, "old", r->old_m);
    json_window(w, "new", r->new_m);
    cJSON *figs = cJSON_AddObjectToObject(o, "figures");
    for (int k = 0; k < DF_COUNT; k++)
        if (shown(r, k))
            json_figure(figs, r, k);
    return o;
}

static void json_side(cJSON *root, const char *name, const tp_snapshot *s)
{
    cJSON *x = cJSON_AddObjectToObject(root, name);
    cJSON_AddStringToObject(x, "source", s->source);
    cJSON_AddStringToObject(x, "kind", s->from_report ? "report" : "recommend");
    cJSON_AddStringToObject(x, "pricing_sha256", s->pricing_sha256);
    cJSON_AddNumberToObject(x, "models", (double)s->n);
}

static tp_status df_json(const df_diff *d, char **out, tp_error *err)
{
    report_json_start();
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    json_side(root, "old", d->old_s);
    json_side(root, "new", d->new_s);
    cJSON_AddBoolToObject(root, "same_catalog", d->same_catalog);
    cJSON *fl = cJSON_AddObjectToObject(root, "fleet");
    df_row fleet = {0};
    fleet.old_v[DF_COST] = d->old_cost_usd;
    fleet.new_v[DF_COST] = d->new_cost_usd;
    fleet.old_v[DF_SAVINGS] = d->old_savings_usd;
    fleet.new_v[DF_SAVINGS] = d->new_savings_usd;
    fleet.change[DF_COST] = d->cost_change_usd;
    fleet.change_pct[DF_COST] = d->cost_change_pct;
    fleet.change[DF_SAVINGS] = d->savings_change_usd;
    fleet.change_pct[DF_SAVINGS] = d->savings_change_pct;
    json_figure(fl, &fleet, DF_COST);
    json_figure(fl, &fleet, DF_SAVINGS);
    cJSON *counts = cJSON_AddObjectToObject(root, "models_by_status");
    for (df_status s = DF_CHANGED; s <= DF_REMOVED; s++)
        cJSON_AddNumberToObject(counts, df_status_name(s), (double)count_status(d, s));
    cJSON *models = cJSON_AddArrayToObject(root, "models");
    for (size_t i = 0; i < d->n; i++)
        report_json_push(models, json_row(&d->rows[i]));
    return report_print_json(root, out, err);
}

tp_status tp_report_diff(const tp_snapshot *old_s, const tp_snapshot *new_s, tp_format fmt,
                         char **out, tp_error *err)
{
    df_diff d;
    tp_status rc;
    *out = NULL;
    if (fmt != TP_FORMAT_TEXT && fmt != TP_FORMAT_JSON && fmt != TP_FORMAT_MARKDOWN)
        return tp_error_set(err, TP_ERR_USAGE, "a diff is text, json or markdown");
    if ((rc = df_build(old_s, new_s, &d, err)) != TP_OK)
        goto cleanup;
    rc = fmt == TP_FORMAT_TEXT   ? df_text(&d, out, err)
         : fmt == TP_FORMAT_JSON ? df_json(&d, out, err)
                                 : df_markdown(&d, out, err);
cleanup:
    df_free(&d);
    return rc;
}
