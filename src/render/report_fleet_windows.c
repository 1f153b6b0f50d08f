/* report_fleet_windows.c - a fleet model's seasonal plan or backtest in every format of the
 * fleet report, and the fleet's seasonal rates. The figures are recommend's own: text and JSON
 * are tp_report_seasonal's and tp_report_backtest's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "render/report_check.h"
#include "render/report_internal.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

int report_fleet_seasonal_asked(const tp_fleet_options *o)
{
    return o->window_by_month || o->n_windows > 0;
}

int report_fleet_windows_asked(const tp_fleet_options *o)
{
    return report_fleet_seasonal_asked(o) || o->has_train_until;
}

void report_fleet_plan_rows(const tp_fleet_model *m, report_plan_row_fn fn, void *ctx)
{
    const tp_seasonal *s = m->seasonal;
    if (s != NULL) {
        size_t g = 0;
        for (size_t i = 0; i < s->n; i++) {
            const tp_window_plan *w = &s->windows[i];
            fn(ctx, "window", &w->window, &w->recommended, 1, w->unused_commitment_usd);
            for (; g < s->n_gaps && s->gaps[g].window.from_minute == w->window.to_minute; g++)
                fn(ctx, "gap", &s->gaps[g].window, &s->gaps[g].on_demand, 0, 0);
        }
        fn(ctx, "flat", &s->span, &s->flat, 1, s->flat_unused_commitment_usd);
    }
    if (m->has_backtest) {
        const tp_backtest *bt = &m->backtest;
        fn(ctx, "train", &bt->train, &bt->trained, 1, 0);
        fn(ctx, "test_trained", &bt->test, &bt->trained_on_test, 0, 0);
        fn(ctx, "test_hindsight", &bt->test, &bt->hindsight, 0, 0);
        fn(ctx, "test_on_demand", &bt->test, &bt->on_demand_test, 0, 0);
    }
}

tp_status report_fleet_windows_check(const tp_fleet_model *m, tp_error *err)
{
    if (m->seasonal != NULL)
        return report_check_seasonal(m->seasonal, err);
    if (m->has_backtest)
        return report_check_backtest(&m->backtest, err);
    return TP_OK;
}

void report_fleet_windows_json(cJSON *o, const tp_fleet *f, const tp_fleet_model *m)
{
    const tp_fleet_options *fo = &f->options;
    if (!report_fleet_windows_asked(fo))
        return;
    const char *key = fo->has_train_until ? "backtest" : "seasonal";
    cJSON *plan = NULL;
    if (m->seasonal != NULL)
        plan = report_json_seasonal(m->model, fo->pricing, &m->price, &m->rec_options,
                                    m->seasonal);
    else if (m->has_backtest)
        plan = report_json_backtest(m->model, fo->pricing, &m->price, &m->rec_options,
                                    &m->backtest);
    if (plan != NULL)
        report_json_put(o, key, plan);
    else
        cJSON_AddNullToObject(o, key);
    if (m->seasonal != NULL)
        cJSON_AddNumberToObject(o, "seasonal_per_month_usd", m->seasonal_per_month_usd);
    if (m->windows_error != NULL)
        cJSON_AddStringToObject(o, "windows_error", m->windows_error);
    else
        cJSON_AddNullToObject(o, "windows_error");
}

void report_fleet_seasonal_json(cJSON *fleet, const tp_fleet *f)
{
    const tp_fleet_totals *t = &f->totals;
    if (!report_fleet_seasonal_asked(&f->options))
        return;
    cJSON *s = cJSON_AddObjectToObject(fleet, "seasonal");
    cJSON_AddNumberToObject(s, "models", (double)t->n_seasonal);
    cJSON_AddNumberToObject(s, "models_failed", (double)t->n_windows_failed);
    cJSON_AddStringToObject(s, "basis", "each model's seasonal plan total (and its flat "
                                        "reservation's) over its span's hours, summed");
    cJSON *r = cJSON_AddObjectToObject(s, "seasonal_usd");
    cJSON_AddNumberToObject(r, "per_hour", t->seasonal_per_hour_usd);
    cJSON_AddNumberToObject(r, "per_month", t->seasonal_per_month_usd);
    r = cJSON_AddObjectToObject(s, "flat_usd");
    cJSON_AddNumberToObject(r, "per_hour", t->flat_per_hour_usd);
    cJSON_AddNumberToObject(r, "per_month", t->flat_per_month_usd);
}

/* "YYYY-MM-DD HH:MM" of a Unix minute. */
static void bound(char buf[TP_TIME_BUF], int64_t minute)
{
    char iso[TP_TIME_BUF];
    tp_timestamp_format(minute * 60, iso);
    snprintf(buf, TP_TIME_BUF, "%.10s %.5s", iso, iso + 11);
}

/* The cells of one plan row, for people. */
typedef struct row_cells {
    char from[TP_TIME_BUF], to[TP_TIME_BUF];
    char v[5][NUMFMT_BUF];
} row_cells;

static void cells(row_cells *r, const tp_window *w, const tp_candidate *c, double unused_usd)
{
    bound(r->from, w->from_minute);
    bound(r->to, w->to_minute);
    numfmt_short(r->v[0], c->input_tpm);
    numfmt_short(r->v[1], c->output_tpm);
    numfmt_usd(r->v[2], c->sim.total_usd);
    numfmt_pct(r->v[3], c->sim.savings_pct);
    numfmt_usd(r->v[4], unused_usd);
}

static void md_row(void *ctx, const char *plan, const tp_window *w, const tp_candidate *c,
                   int recommended, double unused_usd)
{
    row_cells r;
    (void)recommended;
    cells(&r, w, c, unused_usd);
    sb_printf(ctx, "| %s | %s .. %s | %s | %s | %s | %s | %s |\n", plan, r.from, r.to, r.v[0],
              r.v[1], r.v[2], r.v[3], r.v[4]);
}

static void html_row(void *ctx, const char *plan, const tp_window *w, const tp_candidate *c,
                     int recommended, double unused_usd)
{
    row_cells r;
    cells(&r, w, c, unused_usd);
    sb_printf(ctx, "<tr%s><td>%s</td><td>%s .. %s</td>", recommended ? " class=\"rec\"" : "",
              plan, r.from, r.to);
    for (int k = 0; k < 5; k++)
        sb_printf(ctx, "<td>%s</td>", r.v[k]);
    sb_puts(ctx, "</tr>\n");
}

/* The plan's bottom line: seasonal against flat, or the backtest's regret. */
static void summary(char *buf, size_t size, const tp_fleet_model *m)
{
    char a[NUMFMT_BUF], c[NUMFMT_BUF];
    if (m->seasonal != NULL) {
        numfmt_usd(a, m->seasonal->seasonal_total_usd);
        numfmt_usd(c, m->seasonal->flat_total_usd);
        snprintf(buf, size, "seasonal total %s, flat total %s over the same span", a, c);
    } else if (isnan(m->backtest.regret_usd)) {
        snprintf(buf, size, "regret undefined: the trained reservation misses the service "
                            "level on the test window");
    } else {
        numfmt_usd(a, m->backtest.regret_usd);
        snprintf(buf, size, "regret %s over the test window (trained minus hindsight)", a);
    }
}

void report_fleet_windows_text(strbuf *b, const tp_fleet *f, const tp_fleet_model *m, int md)
{
    const tp_fleet_options *fo = &f->options;
    const char *what = fo->has_train_until ? "backtest" : "seasonal plan";
    if (!report_fleet_windows_asked(fo))
        return;
    if (m->windows_error != NULL) {
        char label[40];
        snprintf(label, sizeof label, "%s%s not made: ", md ? "\n" : "", what);
        render_wrapped(b, label, m->windows_error);
        return;
    }
    if (md) {
        char line[400];
        sb_printf(b, "\n### %s\n\n| plan | window (UTC) | input TPM | output TPM | total | "
                     "savings | unused commitment |\n|---|---|--:|--:|--:|--:|--:|\n", what);
        report_fleet_plan_rows(m, md_row, b);
        summary(line, sizeof line, m);
        sb_printf(b, "\n%s\n", line);
        return;
    }
    char *text = NULL;
    tp_error err;
    tp_status rc = m->seasonal != NULL
                       ? tp_report_seasonal(m->model, fo->pricing, &m->price, &m->rec_options,
                                            m->seasonal, TP_FORMAT_TEXT, &text, &err)
                       : tp_report_backtest(m->model, fo->pricing, &m->price, &m->rec_options,
                                            &m->backtest, TP_FORMAT_TEXT, &text, &err);
    if (rc != TP_OK) { /* the figures were checked: only memory can run out */
        b->failed = 1;
        return;
    }
    sb_printf(b, "\n%s:\n", what);
    sb_puts(b, text);
    free(text);
}

void report_fleet_windows_html(strbuf *b, const tp_fleet_model *m)
{
    char line[400];
    if (m->windows_error != NULL) {
        sb_puts(b, "<p class=\"note\">Windows not planned: ");
        chart_escape(b, m->windows_error);
        sb_puts(b, "</p>\n");
        return;
    }
    if (m->seasonal == NULL && !m->has_backtest)
        return;
    sb_printf(b, "<h3>%s</h3>\n<table>\n<tr><th>plan</th><th>window (UTC)</th><th>input TPM</th>"
                 "<th>output TPM</th><th>total</th><th>savings</th><th>unused commitment</th>"
                 "</tr>\n",
              m->seasonal != NULL ? "Seasonal plan: a reservation per window vs one flat"
                                  : "Backtest: sized on the training window, replayed on the "
                                    "test window");
    report_fleet_plan_rows(m, html_row, b);
    summary(line, sizeof line, m);
    sb_printf(b, "</table>\n<p>%s</p>\n", line);
}

/* One row of the fleet's seasonal table: per month, the seasonal plan, the flat reservation
 * and what the seasonal plan saves. */
static void seasonal_row(strbuf *b, const char *id, int md, const char *n, double seasonal,
                         double flat, double saves)
{
    char v[3][NUMFMT_BUF];
    numfmt_usd(v[0], seasonal);
    numfmt_usd(v[1], flat);
    numfmt_usd(v[2], saves);
    if (md) {
        sb_puts(b, "| ");
        enc_md_text(b, id);
        sb_printf(b, " | %s | %s | %s | %s |\n", n, v[0], v[1], v[2]);
    } else {
        enc_text_cell_whole(b, id, 40, RENDER_TEXT_COLUMNS); /* ids are never cut */
        sb_printf(b, " %7s %16s %16s %16s\n", n, v[0], v[1], v[2]);
    }
}

void report_fleet_seasonal_table(strbuf *b, const tp_fleet *f, int md)
{
    const tp_fleet_totals *t = &f->totals;
    if (!report_fleet_seasonal_asked(&f->options))
        return;
    if (t->n_seasonal == 0) {
        sb_printf(b, "%sno seasonal plan could be made: see each model's section\n",
                  md ? "\n" : "\n== fleet: ");
        return;
    }
    if (md)
        sb_puts(b, "\n## fleet: seasonal plans\n\nEach plan's total over its span's hours, per "
                   "month of 730 hours.\n\n| model | windows | seasonal/month | flat/month | "
                   "seasonal saves/month |\n|---|--:|--:|--:|--:|\n");
    else
        sb_printf(b, "\n== fleet: seasonal plans, each total over its span's hours, per month "
                     "(730 hours)\n%-40s %7s %16s %16s %16s\n",
                  "model", "windows", "seasonal", "flat", "seasonal saves");
    for (size_t i = 0; i < f->n; i++) {
        const tp_fleet_model *m = &f->models[i];
        const tp_seasonal *s = m->seasonal;
        char n[24];
        if (s == NULL)
            continue;
        snprintf(n, sizeof n, "%zu", s->n);
        seasonal_row(b, m->model, md, n, m->seasonal_per_month_usd, m->flat_per_month_usd,
                     m->seasonal_saves_per_month_usd);
    }
    seasonal_row(b, "fleet", md, "", t->seasonal_per_month_usd, t->flat_per_month_usd,
                 t->seasonal_saves_per_month_usd);
    if (t->n_windows_failed > 0)
        sb_printf(b, "%s%zu model%s without a seasonal plan: see %s section\n", md ? "\n" : "",
                  t->n_windows_failed, t->n_windows_failed == 1 ? "" : "s",
                  t->n_windows_failed == 1 ? "its" : "their");
}

void report_fleet_seasonal_html(strbuf *b, const tp_fleet *f)
{
    const tp_fleet_totals *t = &f->totals;
    char v[2][NUMFMT_BUF];
    if (!report_fleet_seasonal_asked(&f->options))
        return;
    sb_puts(b, "<h3>Seasonal plans, per month of 730 hours</h3>\n<table>\n<tr><th>model</th>"
               "<th>windows</th><th>seasonal/month</th><th>flat/month</th></tr>\n");
    for (size_t i = 0; i < f->n; i++) {
        const tp_fleet_model *m = &f->models[i];
        const tp_seasonal *s = m->seasonal;
        if (s == NULL)
            continue;
        numfmt_usd(v[0], m->seasonal_per_month_usd);
        numfmt_usd(v[1], m->flat_per_month_usd);
        sb_puts(b, "<tr><td>");
        chart_escape(b, f->models[i].model);
        sb_printf(b, "</td><td>%zu</td><td>%s</td><td>%s</td></tr>\n", s->n, v[0], v[1]);
    }
    numfmt_usd(v[0], t->seasonal_per_month_usd);
    numfmt_usd(v[1], t->flat_per_month_usd);
    sb_printf(b, "<tr class=\"rec\"><td>fleet</td><td></td><td>%s</td><td>%s</td></tr>\n</table>\n",
              v[0], v[1]);
    if (t->n_windows_failed > 0)
        sb_printf(b, "<p class=\"note\">%zu model(s) without a seasonal plan: see their "
                     "sections.</p>\n", t->n_windows_failed);
}
