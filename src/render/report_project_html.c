/* report_project_html.c - a projection as one self-contained page (the fleet report's head and
 * style): per model and for the fleet, a fan chart of every plan (P10-P90 band, P50 line per
 * plan), a fan chart per plan, and the monthly tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "render/place.h"
#include "render/report_internal.h"
#include "render/report_project.h"

static void td(strbuf *b, const char *text)
{
    sb_puts(b, "<td>");
    chart_escape(b, text);
    sb_puts(b, "</td>");
}

/* The model id of entry i (place_count_text). */
static const char *entry_model(const void *v, size_t i)
{
    return ((const tp_projection *)v)->models[i].model;
}

/* The fan chart of one section: a series per plan that applies. */
static tp_status fan(strbuf *b, const tp_projection *p, size_t model, tp_error *err)
{
    const size_t n = p->n_months;
    double *v = calloc(3 * TP_PROJECT_PLAN_COUNT * (n > 0 ? n : 1), sizeof *v);
    chart_fan_series se[TP_PROJECT_PLAN_COUNT];
    static const char *const label[TP_PROJECT_PLAN_COUNT] = {"on-demand", "all Priority",
                                                             "recommended", "held"};
    size_t ns = 0;
    char id[32];
    tp_status rc = TP_OK;
    if (v == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
        if (!report_project_cell(p, model, 0, pl)->has)
            continue;
        double *q = v + 3 * n * ns;
        for (size_t m = 0; m < n; m++) {
            const tp_project_cell *c = report_project_cell(p, model, m, pl);
            q[m] = c->q[0].cost_usd;
            q[n + m] = c->q[1].cost_usd;
            q[2 * n + m] = c->q[2].cost_usd;
        }
        se[ns] = (chart_fan_series){label[pl], q, q + n, q + 2 * n};
        ns++;
    }
    if (n < 2) {
        sb_puts(b, "<p class=\"note\">One month: no chart, see the table.</p>\n");
        free(v);
        return TP_OK;
    }
    /* every plan on one chart to compare, then each on its own: plans within a percent of
     * each other (recommended and on-demand often are) hide one another on the first */
    snprintf(id, sizeof id, "fan%zu", model);
    chart_fan_args fa = {{id, "Projected cost per month: every plan",
                          "Band: P10 to P90; line: P50. Reserved: 730 h a month; on-demand: "
                          "real minutes. Each plan alone below."},
                         "USD/month", 1, p->months[0].year, p->months[0].month, n, se, ns};
    rc = chart_fan(b, &fa, NULL, err);
    for (size_t k = 0; k < ns && rc == TP_OK; k++) {
        char title[96];
        snprintf(id, sizeof id, "fan%zu-%zu", model, k);
        snprintf(title, sizeof title, "Projected cost per month: %s", se[k].name);
        chart_fan_args one = {{id, title, "Band: P10 to P90 of the samples; line: P50."},
                              "USD/month", 1, p->months[0].year, p->months[0].month, n, &se[k],
                              1};
        rc = chart_fan(b, &one, NULL, err);
    }
    free(v);
    return rc;
}

static void table(strbuf *b, const tp_projection *p, size_t model)
{
    const int units = model < p->n && report_project_is_units(&p->models[model]);
    sb_puts(b, "<table class=\"wide\">\n<tr><th>month</th><th>days</th><th>plan</th>"
               "<th>P10</th><th>P50</th><th>P90</th>");
    const int pools = model < p->n && report_project_is_pools(&p->models[model]);
    sb_puts(b, pools   ? "<th>input units</th><th>output units</th>"
               : units ? "<th>units</th><th>-</th>"
                       : "<th>input TPM</th><th>output TPM</th>");
    sb_puts(b, "<th>term</th>"
               "<th>P50 tokens</th><th>P50 reserved tokens</th><th>P50 on-demand tokens</th>"
               "<th>P50 throttled tokens</th></tr>\n");
    for (size_t m = 0; m <= p->n_months; m++)
        for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
            const int total = m == p->n_months;
            const tp_project_cell *c = total ? report_project_total(p, model, pl)
                                             : report_project_cell(p, model, m, pl);
            char mon[64], v[REPORT_PROJECT_ROW_FIGURES][NUMFMT_BUF];
            if (!c->has)
                continue;
            report_project_row_label(p, m, mon);
            report_project_row(p, total ? p->n : model, c, v); /* a total holds no reservation */
            sb_printf(b, "<tr%s>", pl == TP_PROJECT_RECOMMENDED ? " class=\"rec\"" : "");
            td(b, mon);
            sb_printf(b, "<td>%d</td>", total ? report_project_total_days(p) : p->months[m].days);
            td(b, tp_project_plan_name((tp_project_plan)pl));
            for (int k = 0; k < 3; k++)
                td(b, v[k]);
            td(b, v[3]);
            td(b, v[4]);
            td(b, c->term_end ? "ends" : c->term_start ? "starts" : "");
            for (int k = 5; k < 9; k++)
                td(b, v[k]);
            sb_puts(b, "</tr>\n");
        }
    sb_puts(b, "</table>\n");
}

static void para(strbuf *b, const char *cls, const char *text)
{
    sb_printf(b, "<p%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    chart_escape(b, text);
    sb_puts(b, "</p>\n");
}

static tp_status section(strbuf *b, const tp_projection *p, size_t i, tp_error *err)
{
    char line[512];
    if (i == p->n) {
        sb_puts(b, "<section id=\"fleet\">\n<h2>Fleet</h2>\n");
        char count[96];
        snprintf(line, sizeof line, "%s summed sample by sample; the held plan sums the "
                 "%zu of them holding a reservation.",
                 place_count_text(count, sizeof count, p, p->n, entry_model), p->n_held);
        para(b, NULL, line);
    } else {
        const tp_project_model *m = &p->models[i];
        sb_puts(b, "<section class=\"model\">\n<h2>");
        chart_escape(b, m->model);
        place_text_enc(b, m->region, m->account, chart_escape);
        sb_puts(b, "</h2>\n");
        report_project_history_line(m, line, sizeof line);
        para(b, NULL, line);
        if (report_project_spread_line(m, line, sizeof line))
            para(b, "key", line);
        report_project_growth_line(m, line, sizeof line);
        para(b, "key", line);
        if (report_project_growth_warning(m, line, sizeof line))
            para(b, "key", line);
        if (report_project_beyond_line(p, i, line, sizeof line))
            para(b, NULL, line);
        if (report_project_units_line(m, line, sizeof line)) {
            para(b, "key", line);
        } else {
            snprintf(line, sizeof line, "Term %d month%s: the recommended reservation is "
                     "re-sized at each term start on the P50 projected path, then held in "
                     "every sample.",
                     m->term_months, m->term_months == 1 ? "" : "s");
            para(b, NULL, line);
        }
    }
    tp_status rc = fan(b, p, i, err);
    table(b, p, i);
    sb_puts(b, "</section>\n");
    return rc;
}

tp_status report_project_html(const tp_projection *p, char **out, tp_error *err)
{
    strbuf b = {0};
    char line[512], first[16], last[16];
    tp_status rc = TP_OK;
    report_html_head(&b, "tierplan projection");
    report_project_month(&p->months[0], first);
    report_project_month(&p->months[p->n_months - 1], last);
    char count[96];
    sb_printf(&b, "<h1>tierplan projection</h1>\n<p>%zu month%s, %s .. %s, %s.</p>\n",
              p->n_months, p->n_months == 1 ? "" : "s", first, last,
              place_count_text(count, sizeof count, p, p->n, entry_model));
    report_project_bootstrap_line(p, line, sizeof line);
    para(&b, "note", line);
    para(&b, "note", report_project_reserved_note);
    if (report_project_pools_note(p) != NULL)
        para(&b, "note", report_project_pools_note(p));
    para(&b, "note", report_project_quantile_note);
    if (report_project_observed_line(p, line, sizeof line))
        para(&b, "note", line);
    for (size_t i = 0; i <= p->n && rc == TP_OK; i++)
        rc = section(&b, p, i == 0 ? p->n : i - 1, err); /* the fleet first */
    if (rc != TP_OK) {
        free(b.data);
        return rc;
    }
    sb_puts(&b, "<p class=\"note\">Made by tierplan ");
    chart_escape(&b, tp_version());
    sb_puts(&b, ".</p>\n</body>\n</html>\n");
    return sb_finish(&b, out, err);
}
