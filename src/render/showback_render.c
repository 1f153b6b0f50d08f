/* showback_render.c - a showback as text, CSV, JSON and markdown; money from the whole cents
 * of each line, so that every format adds up to its total exactly. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "render/place.h"
#include "render/render.h"
#include "render/report_internal.h"
#include "base/strbuf.h"
#include "tierplan/report.h"
#include "tierplan/showback.h"
#include "tierplan/timestamp.h"

static double usd(int64_t cents)
{
    return (double)cents / 100.0;
}

/* A key as text and markdown show it: as it is, but in double quotes (a quote inside doubled)
 * when it would read as showback's own lines, "(idle)" and "total", or starts with a quote; so
 * no key looks like those lines and no two keys look alike. The caller frees (NULL: no memory). */
static char *shown_key(const tp_showback_line *l)
{
    strbuf k = {0};
    char *out = NULL;
    if (l->idle || (strcmp(l->key, "(idle)") != 0 && strcmp(l->key, "total") != 0 &&
                    l->key[0] != '"')) {
        sb_puts(&k, l->key);
    } else {
        sb_puts(&k, "\"");
        for (const char *c = l->key; *c != '\0'; c++)
            sb_puts(&k, *c == '"' ? "\"\"" : (char[]){*c, '\0'});
        sb_puts(&k, "\"");
    }
    sb_finish(&k, &out, NULL);
    return out;
}

static void header_text(strbuf *b, const tp_showback *sb, const char *bullet)
{
    char a[TP_TIME_BUF], z[TP_TIME_BUF], ri[NUMFMT_BUF], ro[NUMFMT_BUF];
    numfmt_count(ri, sb->reserve_input_tpm);
    numfmt_count(ro, sb->reserve_output_tpm);
    sb_printf(b, "%sshowback of ", bullet);
    if (bullet[0] != '\0') { /* markdown */
        enc_md_text(b, sb->model);
        place_md(b, sb->region, sb->account); /* the place whose logs were read */
    } else {
        enc_text(b, sb->model);
        place_text(b, sb->region, sb->account);
    }
    sb_puts(b, "\n");
    sb_printf(b, "%swindow %s .. %s (%zu minutes)\n", bullet,
              tp_timestamp_format(sb->from_minute * 60, a),
              tp_timestamp_format((sb->from_minute + (int64_t)sb->minutes) * 60, z), sb->minutes);
    sb_printf(b, "%sreservation %s effective input TPM, %s output TPM; spill to %s (%s)\n", bullet,
              ri, ro, tp_simulate_spill_to_name(sb->options.spill_to),
              tp_simulate_spill_model_name(sb->options.spill_model));
    if (sb->options.spread_idle) /* its own line: the reservation line stays within 100 */
        sb_printf(b, "%sidle reserved capacity spread over the keys by their demand\n", bullet);
    char routes[64], base[NUMFMT_BUF];
    if (sb->routed_tiers != 0)
        tp_simulate_route_format(sb->routed_tiers, routes, sizeof routes);
    else
        snprintf(routes, sizeof routes, "none (no reservation)");
    numfmt_usd(base, sb->on_demand_baseline_usd);
    sb_printf(b, "%srouted tiers: %s\n", bullet, routes);
    sb_printf(b, "%son-demand baseline %s (each token at the tier that served it)\n", bullet,
              base);
}

/* The idle capacity under the table: its own line, or spread over the keys (all but what no
 * demand on a side could take, which keeps its line). */
static void footer_text(strbuf *b, const tp_showback *sb)
{
    char idle[NUMFMT_BUF], kept[NUMFMT_BUF];
    int64_t kept_cents = 0;
    for (size_t i = 0; i < sb->n_lines; i++)
        if (sb->lines[i].idle)
            kept_cents += sb->lines[i].total_cents;
    numfmt_usd(idle, sb->idle_usd);
    numfmt_usd(kept, usd(kept_cents));
    if (!sb->options.spread_idle)
        sb_printf(b, "idle reserved capacity (used by nobody): %s; cents by largest remainder\n",
                  idle);
    else if (kept_cents == 0)
        sb_printf(b, "idle reserved capacity (used by nobody): %s, spread over the keys by their "
                     "demand;\ncents by largest remainder\n",
                  idle);
    else
        sb_printf(b, "idle reserved capacity (used by nobody): %s, spread over the keys by their "
                     "demand\nexcept %s (no demand on its side: the (idle) line); cents by "
                     "largest remainder\n",
                  idle, kept);
}

/* A line's figures for people, as text and markdown show them: tokens (blank on the idle
 * line, which has none), then reserved, spill and total in USD. */
typedef struct figures {
    char e[NUMFMT_BUF], o[NUMFMT_BUF], r[NUMFMT_BUF], s[NUMFMT_BUF],
        t[NUMFMT_BUF];
} figures;

static figures line_figures(const tp_showback_line *l)
{
    figures f;
    numfmt_count(f.e, l->effective_input_tokens);
    numfmt_count(f.o, l->output_tokens);
    if (l->idle)
        f.e[0] = f.o[0] = '\0';
    numfmt_usd(f.r, usd(l->reserved_cents));
    numfmt_usd(f.s, usd(l->spill_cents));
    numfmt_usd(f.t, usd(l->total_cents));
    return f;
}

/* The totals' figures (no tokens). */
static figures total_figures(const tp_showback *sb)
{
    figures f;
    f.e[0] = f.o[0] = '\0';
    numfmt_usd(f.r, usd(sb->reserved_cents));
    numfmt_usd(f.s, usd(sb->spill_cents));
    numfmt_usd(f.t, usd(sb->total_cents));
    return f;
}

static tp_status render_text(const tp_showback *sb, char **out, tp_error *err)
{
    strbuf b = {0};
    header_text(&b, sb, "");
    sb_printf(&b, "%-34s %15s %13s %11s %10s %11s\n", "key", "eff. input tok", "output tok",
              "reserved", "spill", "total");
    for (size_t i = 0; i < sb->n_lines; i++) {
        const tp_showback_line *l = &sb->lines[i];
        const figures f = line_figures(l);
        char *key = shown_key(l);
        if (key == NULL) {
            b.failed = 1;
            break;
        }
        /* a key is never cut (docs/formats.md): a longer one (an ARN) whole on lines of its
         * own, the figures under it, as the fleet table prints ids */
        enc_text_cell_whole(&b, key, 34, RENDER_TEXT_COLUMNS);
        free(key);
        sb_printf(&b, " %15s %13s %11s %10s %11s\n", f.e, f.o, f.r, f.s, f.t);
    }
    const figures f = total_figures(sb);
    sb_printf(&b, "%-34s %15s %13s %11s %10s %11s\n", "total", "", "", f.r, f.s, f.t);
    footer_text(&b, sb);
    return sb_finish(&b, out, err);
}

static tp_status render_markdown(const tp_showback *sb, char **out, tp_error *err)
{
    strbuf b = {0};
    header_text(&b, sb, "- ");
    sb_puts(&b, "\n| key | effective input tokens | output tokens | reserved | spill | total |\n"
                "| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < sb->n_lines; i++) {
        const tp_showback_line *l = &sb->lines[i];
        const figures f = line_figures(l);
        char *key = shown_key(l);
        if (key == NULL) {
            b.failed = 1;
            break;
        }
        sb_puts(&b, "| "); /* a key is data: no markdown in it */
        enc_md_code(&b, key, 1);
        sb_printf(&b, " | %s | %s | %s | %s | %s |\n", f.e, f.o, f.r, f.s, f.t);
        free(key);
    }
    const figures f = total_figures(sb);
    sb_printf(&b, "| **total** | | | %s | %s | %s |\n", f.r, f.s, f.t);
    return sb_finish(&b, out, err);
}

static tp_status render_csv(const tp_showback *sb, char **out, tp_error *err)
{
    strbuf b = {0};
    sb_puts(&b, "model,key,idle,effective_input_tokens,output_tokens,reserved_usd,spill_usd,"
                "total_usd,region,account\n");
    for (size_t i = 0; i < sb->n_lines; i++) {
        const tp_showback_line *l = &sb->lines[i];
        enc_csv(&b, sb->model);
        sb_puts(&b, ",");
        enc_csv(&b, l->key);
        sb_printf(&b, ",%d", l->idle);
        render_csv_num(&b, l->effective_input_tokens);
        render_csv_num(&b, l->output_tokens);
        render_csv_num(&b, usd(l->reserved_cents));
        render_csv_num(&b, usd(l->spill_cents));
        render_csv_num(&b, usd(l->total_cents));
        place_csv(&b, sb->region, sb->account); /* the last two columns, as every CSV */
        sb_puts(&b, "\n");
    }
    return sb_finish(&b, out, err);
}

static tp_status render_json(const tp_showback *sb, char **out, tp_error *err)
{
    char a[TP_TIME_BUF], z[TP_TIME_BUF];
    report_json_start();
    cJSON *root = cJSON_CreateObject(), *lines = NULL;
    cJSON_AddStringToObject(root, "model", sb->model);
    place_json(root, sb->region, sb->account);
    cJSON_AddStringToObject(root, "from", tp_timestamp_format(sb->from_minute * 60, a));
    cJSON_AddStringToObject(root, "to",
                            tp_timestamp_format((sb->from_minute + (int64_t)sb->minutes) * 60, z));
    cJSON_AddNumberToObject(root, "minutes", (double)sb->minutes);
    cJSON_AddNumberToObject(root, "reserve_input_tpm", sb->reserve_input_tpm);
    cJSON_AddNumberToObject(root, "reserve_output_tpm", sb->reserve_output_tpm);
    cJSON_AddStringToObject(root, "spill_to", tp_simulate_spill_to_name(sb->options.spill_to));
    cJSON_AddStringToObject(root, "spill_model",
                            tp_simulate_spill_model_name(sb->options.spill_model));
    cJSON_AddBoolToObject(root, "spread_idle", sb->options.spread_idle);
    cJSON_AddNumberToObject(root, "reserved_usd", usd(sb->reserved_cents));
    cJSON_AddNumberToObject(root, "spill_usd", usd(sb->spill_cents));
    cJSON_AddNumberToObject(root, "total_usd", usd(sb->total_cents));
    cJSON_AddNumberToObject(root, "idle_usd", sb->idle_usd);
    report_json_routed(root, sb->routed_tiers);
    cJSON *cost = cJSON_AddObjectToObject(root, "cost_usd");
    cJSON_AddNumberToObject(cost, "reserved", usd(sb->reserved_cents));
    cJSON_AddNumberToObject(cost, "spill", usd(sb->spill_cents));
    cJSON_AddNumberToObject(cost, "total", usd(sb->total_cents));
    /* each token at the tier that served it: the logs' traffic is default, at Standard */
    cJSON_AddNumberToObject(cost, "on_demand_baseline", sb->on_demand_baseline_usd);
    lines = cJSON_AddArrayToObject(root, "lines");
    for (size_t i = 0; lines != NULL && i < sb->n_lines; i++) {
        const tp_showback_line *l = &sb->lines[i];
        cJSON *o = cJSON_CreateObject();
        o = report_json_push(lines, o);
        cJSON_AddStringToObject(o, "key", l->key);
        cJSON_AddBoolToObject(o, "idle", l->idle);
        cJSON_AddNumberToObject(o, "effective_input_tokens", l->effective_input_tokens);
        cJSON_AddNumberToObject(o, "output_tokens", l->output_tokens);
        cJSON_AddNumberToObject(o, "reserved_usd", usd(l->reserved_cents));
        cJSON_AddNumberToObject(o, "spill_usd", usd(l->spill_cents));
        cJSON_AddNumberToObject(o, "total_usd", usd(l->total_cents));
        cJSON_AddNumberToObject(o, "on_demand_baseline_usd", l->on_demand_baseline_usd);
    }
    locale_t prev = cnum_enter(); /* cJSON writes numbers with LC_NUMERIC's decimal point */
    char *text = root != NULL && !report_json_lost() ? cJSON_Print(root) : NULL;
    cnum_restore(prev);
    cJSON_Delete(root);
    if (text == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    strbuf b = {0};
    sb_puts(&b, text);
    sb_puts(&b, "\n");
    cJSON_free(text);
    return sb_finish(&b, out, err);
}

tp_status tp_report_showback(const tp_showback *sb, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    switch (fmt) {
    case TP_FORMAT_TEXT: return render_text(sb, out, err);
    case TP_FORMAT_CSV: return render_csv(sb, out, err);
    case TP_FORMAT_JSON: return render_json(sb, out, err);
    case TP_FORMAT_MARKDOWN: return render_markdown(sb, out, err);
    case TP_FORMAT_HTML: break;
    }
    return tp_error_set_field(err, TP_ERR_USAGE, "format",
                              "showback: {format} takes text, csv, json or markdown");
}
