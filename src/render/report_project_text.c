/* report_project_text.c - a projection for people: text tables with months as rows (100
 * columns) and the same in markdown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/place.h"
#include "render/report_internal.h"
#include "render/report_project.h"

/* "$12.3K .. $13.1K": the band of a cost in short figures. */
static void band(char *buf, size_t size, const tp_project_cell *c)
{
    char a[NUMFMT_BUF], b[NUMFMT_BUF];
    numfmt_short(a, c->q[0].cost_usd);
    numfmt_short(b, c->q[2].cost_usd);
    snprintf(buf, size, "$%s .. $%s", a, b);
}

/* The P50 cost and band of a plan, or dashes where it does not apply. */
static void cost_cols(strbuf *b, const tp_project_cell *c)
{
    char p50[NUMFMT_BUF], bd[2 * NUMFMT_BUF + 8];
    if (!c->has) {
        sb_printf(b, "  %13s  %-20s", "-", "-");
        return;
    }
    numfmt_usd(p50, c->q[1].cost_usd);
    band(bd, sizeof bd, c);
    sb_printf(b, "  %13s  %-20s", p50, bd);
}

/* Every plan's P50 tokens per month: all demand, served by the reservation, sent on-demand,
 * throttled (with the reservation held, on the models' pages). */
static void tokens_table(strbuf *b, const tp_projection *p, size_t model)
{
    static const char *const label[TP_PROJECT_PLAN_COUNT] = {"on-demand", "all-priority",
                                                             "recommended", "held"};
    const int fleet = model == p->n;
    const int units = !fleet && report_project_is_units(&p->models[model]);
    const int pools = !fleet && report_project_is_pools(&p->models[model]);
    sb_printf(b, "\nP50 tokens per month, every plan%s\n",
              fleet   ? ""
              : pools ? " (reservation: input / output units held)"
              : units ? " (reservation: the units held)"
                      : " (reservation in TPM: effective input / output)");
    sb_printf(b, "%-7s %-12s %15s %12s %12s %12s %12s\n", "month", "plan",
              fleet ? "" : "reservation", "tokens", "reserved", "on-demand", "throttled");
    for (size_t m = 0; m < p->n_months; m++)
        for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
            const tp_project_cell *c = report_project_cell(p, model, m, pl);
            const tp_project_figures *f = &c->q[1];
            char mon[16], ri[NUMFMT_BUF], ro[NUMFMT_BUF], res[2 * NUMFMT_BUF + 4];
            char v[4][NUMFMT_BUF];
            if (!c->has)
                continue;
            report_project_month(&p->months[m], mon);
            numfmt_short(ri, c->reserve_input_tpm);
            numfmt_short(ro, c->reserve_output_tpm);
            if (pools)
                snprintf(res, sizeof res, "%lld / %lld", (long long)c->units,
                         (long long)c->output_units);
            else if (units)
                report_project_units_word(&p->models[model], c->units, res, sizeof res);
            else
                snprintf(res, sizeof res, "%s / %s", ri, ro);
            numfmt_short(v[0], f->tokens);
            numfmt_short(v[1], f->reserved_tokens);
            numfmt_short(v[2], f->on_demand_tokens);
            numfmt_short(v[3], f->throttled_tokens);
            sb_printf(b, "%-7s %-12s %15s %12s %12s %12s %12s\n", pl == 0 ? mon : "", label[pl],
                      fleet || pl < TP_PROJECT_RECOMMENDED ? "" : res, v[0], v[1], v[2], v[3]);
        }
}

/* A month's label: "2026-12*" for the current month (observed days and the projected rest). */
static void month_label(const tp_projection *p, size_t m, char buf[16])
{
    report_project_month(&p->months[m], buf);
    if (p->months[m].observed_days > 0)
        strcat(buf, "*");
}

static void text_tables(strbuf *b, const tp_projection *p, size_t model)
{
    const int fleet = model == p->n;
    const int has_held = report_project_cell(p, model, 0, TP_PROJECT_HELD)->has;
    const int days = report_project_total_days(p);
    sb_puts(b, "\ncost per month, USD: P50 and P10 .. P90\n");
    sb_printf(b, "%-8s %4s  %13s  %-20s  %13s  %-20s%s\n", "month", "days", "on-demand",
              "P10 .. P90", "recommended", "P10 .. P90", fleet ? "" : "  term");
    for (size_t m = 0; m < p->n_months; m++) {
        char mon[16];
        month_label(p, m, mon);
        sb_printf(b, "%-8s %4d", mon, p->months[m].days);
        cost_cols(b, report_project_cell(p, model, m, TP_PROJECT_ON_DEMAND));
        const tp_project_cell *r = report_project_cell(p, model, m, TP_PROJECT_RECOMMENDED);
        cost_cols(b, r);
        if (!fleet)
            sb_puts(b, r->term_end ? "  ends" : r->term_start ? "  starts" : "");
        sb_puts(b, "\n");
    }
    sb_printf(b, "%-8s %4d", "total", days);
    cost_cols(b, report_project_total(p, model, TP_PROJECT_ON_DEMAND));
    cost_cols(b, report_project_total(p, model, TP_PROJECT_RECOMMENDED));
    sb_puts(b, "\n");
    sb_printf(b, "\n%-8s %4s  %13s  %-20s  %13s  %-20s\n", "month", "days", "all-priority",
              "P10 .. P90", has_held ? "held" : "held (none)", has_held ? "P10 .. P90" : "");
    for (size_t m = 0; m < p->n_months; m++) {
        char mon[16];
        month_label(p, m, mon);
        sb_printf(b, "%-8s %4d", mon, p->months[m].days);
        cost_cols(b, report_project_cell(p, model, m, TP_PROJECT_ALL_PRIORITY));
        cost_cols(b, report_project_cell(p, model, m, TP_PROJECT_HELD));
        sb_puts(b, "\n");
    }
    sb_printf(b, "%-8s %4d", "total", days);
    cost_cols(b, report_project_total(p, model, TP_PROJECT_ALL_PRIORITY));
    cost_cols(b, report_project_total(p, model, TP_PROJECT_HELD));
    sb_puts(b, "\n");
    sb_puts(b, "(total: each sample's months summed, then its P10/P50/P90)\n");
    tokens_table(b, p, model);
}

/* One markdown table: a row per month and plan. */
static void md_table(strbuf *b, const tp_projection *p, size_t model)
{
    const int units = model < p->n && report_project_is_units(&p->models[model]);
    sb_puts(b, "\n| month | days | plan | P10 USD | P50 USD | P90 USD ");
    const int pools = model < p->n && report_project_is_pools(&p->models[model]);
    sb_puts(b, pools   ? "| input units | output units "
               : units ? "| units | - "
                       : "| input TPM | output TPM ");
    sb_puts(b, ""
               "| term | P50 tokens | P50 reserved tokens | P50 on-demand tokens "
               "| P50 throttled tokens |\n"
               "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: "
               "| ---: |\n");
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
            sb_printf(b, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                      mon, total ? report_project_total_days(p) : p->months[m].days,
                      tp_project_plan_name((tp_project_plan)pl), v[0], v[1], v[2], v[3], v[4],
                      c->term_end ? "ends" : c->term_start ? "starts" : "", v[5], v[6], v[7],
                      v[8]);
        }
}

static void model_head(strbuf *b, const tp_projection *p, size_t i, int md)
{
    const tp_project_model *m = &p->models[i];
    char line[512], d[NUMFMT_BUF];
    if (md) {
        sb_puts(b, "\n## ");
        enc_md_text(b, m->model);
        place_md(b, m->region, m->account);
        sb_puts(b, "\n\n");
    } else {
        enc_text_in(b, "\n== model ", m->model, "");
        place_text(b, m->region, m->account);
        sb_puts(b, " ==\n");
    }
    report_project_history_line(m, line, sizeof line);
    render_wrapped(b, md ? "- " : "", line);
    if (report_project_spread_line(m, line, sizeof line))
        render_wrapped(b, md ? "- " : "", line);
    report_project_growth_line(m, line, sizeof line);
    render_wrapped(b, md ? "- " : "", line);
    if (report_project_growth_warning(m, line, sizeof line))
        render_wrapped(b, md ? "- **warning**: " : "warning: ", line);
    if (report_project_units_line(m, line, sizeof line)) {
        render_wrapped(b, md ? "- " : "", line);
        if (report_project_beyond_line(p, i, line, sizeof line))
            render_wrapped(b, md ? "- " : "", line);
        return; /* no Reserved tier, no tiers routed: Bedrock's */
    }
    numfmt_fixed(d, m->term_discount, 3);
    snprintf(line, sizeof line,
             "term: %d month%s (reserved price x %s); the recommended reservation is re-sized "
             "at each term start on the P50 projected path, then held in every sample",
             m->term_months, m->term_months == 1 ? "" : "s", d);
    render_wrapped(b, md ? "- " : "", line);
    /* the model id and the catalog's source are untrusted: render_wrapped encodes them */
    if (report_project_offer_line(m, line, sizeof line)) {
        if (md)
            render_wrapped_md(b, "- ", line);
        else
            render_wrapped(b, "", line);
    }
    report_project_routes_line(p, i, line, sizeof line);
    render_wrapped(b, md ? "- " : "", line);
    if (report_project_beyond_line(p, i, line, sizeof line))
        render_wrapped(b, md ? "- " : "", line);
}

/* Drops the spaces the padded columns leave at the ends of lines. */
static void trim_lines(char *s)
{
    char *w = s;
    for (const char *r = s; *r != '\0'; r++) {
        if (*r == '\n')
            while (w > s && w[-1] == ' ')
                w--;
        *w++ = *r;
    }
    *w = '\0';
}

/* The model id of entry i (place_count_text). */
static const char *entry_model(const void *v, size_t i)
{
    return ((const tp_projection *)v)->models[i].model;
}

tp_status report_project_text(const tp_projection *p, int md, char **out, tp_error *err)
{
    strbuf b = {0};
    char line[512], first[16], last[16], count[96];
    report_project_month(&p->months[0], first);
    report_project_month(&p->months[p->n_months - 1], last);
    snprintf(line, sizeof line, "tierplan projection: %zu month%s, %s .. %s, %s", p->n_months,
             p->n_months == 1 ? "" : "s", first, last,
             place_count_text(count, sizeof count, p, p->n, entry_model));
    sb_printf(&b, "%s%s\n", md ? "# " : "", line);
    if (md)
        sb_puts(&b, "\n");
    report_project_bootstrap_line(p, line, sizeof line);
    render_wrapped(&b, md ? "- " : "", line);
    render_wrapped(&b, md ? "- " : "", report_project_reserved_note);
    if (report_project_pools_note(p) != NULL)
        render_wrapped(&b, md ? "- " : "", report_project_pools_note(p));
    render_wrapped(&b, md ? "- " : "", report_project_quantile_note);
    if (report_project_observed_line(p, line, sizeof line)) {
        if (!md)
            sb_puts(&b, "* ");
        render_wrapped(&b, md ? "- " : "", line);
    }
    for (size_t i = 0; i <= p->n; i++) {
        if (i < p->n) {
            model_head(&b, p, i, md);
        } else {
            snprintf(line, sizeof line, "fleet: %zu model%s summed sample by sample; held: the "
                     "%zu model%s holding a reservation",
                     p->n, p->n == 1 ? "" : "s", p->n_held, p->n_held == 1 ? "" : "s");
            sb_printf(&b, "\n%s\n", md ? "## Fleet\n" : "== fleet ==");
            render_wrapped(&b, md ? "- " : "", line);
        }
        if (md)
            md_table(&b, p, i);
        else
            text_tables(&b, p, i);
    }
    tp_status rc = sb_finish(&b, out, err);
    if (rc == TP_OK)
        trim_lines(*out);
    return rc;
}
