/* showback_render.c - a showback as text, CSV, JSON and markdown; money from the whole cents
 * of each line, so that every format adds up to its total exactly. A showback of units held
 * (a unit-based provider) has its own header lines and columns: the provider and the units. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
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


/* ---- units held (a unit-based provider's model) ---- */

static int is_units(const tp_showback *sb)
{
    return sb->provider != TP_PROVIDER_BEDROCK;
}

/* "1 month": a term as people read it (JSON and CSV keep the catalog's "1_month"). */
static const char *term_words(tp_unit_term t)
{
    static const char *const w[TP_UNIT_TERM_COUNT] = {"hourly", "1 week", "1 month",
                                                      "3 months", "1 year"};
    return (unsigned)t < TP_UNIT_TERM_COUNT ? w[t] : "?";
}

/* The lines of two pools' units held (openai-scale, xai): each pool's count, price per
 * unit-day, billed days, cost and capacity. */
static void header_pools(strbuf *b, const tp_showback *sb, const char *bullet)
{
    const tp_unit_price *u = &sb->unit;
    const tp_unit_pool *pl[2] = {&u->input_pool, &u->output_pool};
    const int64_t n[2] = {sb->units, sb->output_units};
    const double cost[2] = {sb->input_units_usd, sb->output_units_usd};
    const double cap[2] = {sb->capacity_tpm, sb->output_capacity_tpm};
    char days[NUMFMT_BUF], wr[32], ww[32];
    numfmt_count(days, sb->billed_days);
    locale_t prev = cnum_enter();
    snprintf(wr, sizeof wr, "%g", u->input_pool.cache_read_weight);
    snprintf(ww, sizeof ww, "%g", u->input_pool.cache_write_weight);
    cnum_restore(prev);
    for (int q = 0; q < 2; q++) {
        char c[64], usd_c[NUMFMT_BUF], price[NUMFMT_BUF], tpm[64];
        report_count(c, sizeof c, (double)n[q]);
        numfmt_usd(usd_c, cost[q]);
        numfmt_usd(price, pl[q]->per_unit_day_usd);
        report_fmt_tpm(tpm, sizeof tpm, cap[q]);
        sb_printf(b, "%s%s units held: %s at %s a unit-day x %s billed day%s: %s (%s %s TPM)\n",
                  bullet, q ? "output" : "input", c, price, days,
                  sb->billed_days == 1 ? "" : "s", usd_c, tpm, q ? "output" : "input");
    }
    sb_printf(b, "%sinput pool: input, cache read x%s and cache write x%s; output pool: output "
                 "tokens\n",
              bullet, wr, ww);
    sb_printf(b, "%soverflow of each pool on its own: %s\n", bullet,
              u->throttle ? "throttled (429): refused tokens reported, not charged"
                          : "spills to on-demand Standard");
}

/* The header lines of a unit showback: what is held, its capacity and overflow. */
static void header_units(strbuf *b, const tp_showback *sb, const char *bullet)
{
    char a[TP_TIME_BUF], z[TP_TIME_BUF], n[64], cap[64], h[NUMFMT_BUF], cost[NUMFMT_BUF],
        base[NUMFMT_BUF], wo[32], wr[32], ww[32], bf[32], price[32];
    const tp_unit_price *u = &sb->unit;
    sb_printf(b, "%sshowback of ", bullet);
    if (bullet[0] != '\0') { /* markdown */
        enc_md_text(b, sb->model);
        place_md(b, sb->region, sb->account);
    } else {
        enc_text(b, sb->model);
        place_text(b, sb->region, sb->account);
    }
    sb_printf(b, " on %s\n", tp_pricing_provider_name(sb->provider));
    sb_printf(b, "%swindow %s .. %s (%zu minutes)\n", bullet,
              tp_timestamp_format(sb->from_minute * 60, a),
              tp_timestamp_format((sb->from_minute + (int64_t)sb->minutes) * 60, z), sb->minutes);
    if (u->pools) {
        header_pools(b, sb, bullet);
        goto tail;
    }
    report_count(n, sizeof n, (double)sb->units);
    report_fmt_tpm(cap, sizeof cap, sb->capacity_tpm);
    numfmt_fixed(h, sb->price_hours, 2);
    numfmt_usd(cost, (double)sb->reserved_cents / 100.0);
    locale_t prev = cnum_enter();
    snprintf(price, sizeof price, "$%.4f", sb->per_unit_hour_usd);
    snprintf(wo, sizeof wo, "%g", u->output_weight);
    snprintf(wr, sizeof wr, "%g", u->cache_read_weight);
    snprintf(ww, sizeof ww, "%g", u->cache_write_weight);
    snprintf(bf, sizeof bf, "%g", sb->burst_factor);
    cnum_restore(prev);
    sb_printf(b, "%sunits held: %s %s on the %s term at %s a unit-hour x %s h: %s\n", bullet, n,
              u->name, term_words(sb->unit_term), price, h, cost);
    sb_printf(b, "%scapacity %s weighted TPM; weights: output x%s, cache read x%s, cache write "
                 "x%s\n",
              bullet, cap, wo, wr, ww);
    sb_printf(b, "%soverflow %s%s%s%s\n", bullet,
              u->throttle ? "throttled (429): refused tokens reported, not charged"
                          : "spills to on-demand Standard",
              u->per_second ? "; burst x" : "", u->per_second ? bf : "",
              u->per_second ? ", per second" : "");
tail:
    if (sb->options.spread_idle)
        sb_printf(b, "%sidle units spread over the keys by their weighted tokens\n", bullet);
    numfmt_usd(base, sb->on_demand_baseline_usd);
    sb_printf(b, "%son-demand baseline %s (every token at Standard)\n", bullet, base);
}

/* A unit line's figures: weighted tokens, the tokens that overflowed (spilled or throttled),
 * then units, spill and total in USD. */
static figures unit_figures(const tp_showback_line *l)
{
    figures f = line_figures(l);
    numfmt_count(f.e, l->weighted_tokens);
    numfmt_count(f.o, l->spill_tokens + l->throttled_tokens);
    if (l->idle)
        f.e[0] = f.o[0] = '\0';
    return f;
}

static const char *over_label(const tp_showback *sb)
{
    return sb->unit.throttle ? "throttled tok" : "spilled tok";
}

/* The keys' table: a row per line (a key is never cut (docs/formats.md): a longer one, an
 * ARN, whole on lines of its own, the figures under it, as the fleet table prints ids), then
 * the total. e_head, o_head, r_head name the first three figures' columns. */
static void table_text(strbuf *b, const tp_showback *sb, const char *e_head, const char *o_head,
                       const char *r_head, figures (*fig)(const tp_showback_line *))
{
    sb_printf(b, "%-34s %15s %13s %11s %10s %11s\n", "key", e_head, o_head, r_head, "spill",
              "total");
    for (size_t i = 0; i < sb->n_lines; i++) {
        const tp_showback_line *l = &sb->lines[i];
        const figures f = fig(l);
        char *key = shown_key(l);
        if (key == NULL) {
            b->failed = 1;
            return;
        }
        enc_text_cell_whole(b, key, 34, RENDER_TEXT_COLUMNS);
        free(key);
        sb_printf(b, " %15s %13s %11s %10s %11s\n", f.e, f.o, f.r, f.s, f.t);
    }
    const figures f = total_figures(sb);
    sb_printf(b, "%-34s %15s %13s %11s %10s %11s\n", "total", "", "", f.r, f.s, f.t);
}

/* The two pools' idle dollars in whole cents that add up to the idle figure printed beside
 * them (its own rounding, whole cents): each pool's floor (within 1e-9 of the next cent counts
 * as that cent), the cent or two left going to the larger remainder first, as the lines'
 * cents (docs/model.md, "Showback"); a cent over taken from the smaller remainder. */
static void idle_pool_cents(const tp_showback *sb, int64_t *in_c, int64_t *out_c)
{
    const int64_t total = (int64_t)llround(sb->idle_usd * 100.0);
    const double a = sb->input_idle_usd * 100.0, b = sb->output_idle_usd * 100.0;
    int64_t fa = (int64_t)floor(a + 1e-9), fb = (int64_t)floor(b + 1e-9);
    const int a_first = a - (double)fa >= b - (double)fb; /* a tie: the input pool */
    int64_t left = total - fa - fb;
    for (int turn = 0; left > 0; turn++, left--)
        *((turn % 2 == 0) == a_first ? &fa : &fb) += 1;
    for (int turn = 0; left < 0; turn++, left++)
        *((turn % 2 == 0) == a_first ? &fb : &fa) -= 1;
    *in_c = fa, *out_c = fb;
}

static tp_status render_units_text(const tp_showback *sb, char **out, tp_error *err)
{
    strbuf b = {0};
    header_units(&b, sb, "");
    table_text(&b, sb, "weighted tok", over_label(sb), "units", unit_figures);
    char idle[NUMFMT_BUF], in[NUMFMT_BUF], out_[NUMFMT_BUF];
    numfmt_usd(idle, sb->idle_usd);
    if (sb->unit.pools) {
        int64_t in_c, out_c;
        idle_pool_cents(sb, &in_c, &out_c);
        numfmt_usd(in, (double)in_c / 100.0);
        numfmt_usd(out_, (double)out_c / 100.0);
        sb_printf(&b, "idle units (capacity used by nobody): %s, input %s, output %s%s\n", idle,
                  in, out_, sb->options.spread_idle ? ", spread by each pool's tokens" : "");
        sb_puts(&b, "cents by largest remainder\n");
        return sb_finish(&b, out, err);
    }
    sb_printf(&b, "idle units (capacity used by nobody): %s%s; cents by largest remainder\n", idle,
              sb->options.spread_idle ? ", spread over the keys by their weighted tokens" : "");
    return sb_finish(&b, out, err);
}

static tp_status render_units_markdown(const tp_showback *sb, char **out, tp_error *err)
{
    strbuf b = {0};
    header_units(&b, sb, "- ");
    sb_printf(&b, "\n| key | weighted tokens | %s | units | spill | total |\n"
                  "| --- | ---: | ---: | ---: | ---: | ---: |\n",
              sb->unit.throttle ? "throttled tokens" : "spilled tokens");
    for (size_t i = 0; i < sb->n_lines; i++) {
        const tp_showback_line *l = &sb->lines[i];
        const figures f = unit_figures(l);
        char *key = shown_key(l);
        if (key == NULL) {
            b.failed = 1;
            break;
        }
        sb_puts(&b, "| ");
        enc_md_code(&b, key, 1);
        sb_printf(&b, " | %s | %s | %s | %s | %s |\n", f.e, f.o, f.r, f.s, f.t);
        free(key);
    }
    const figures f = total_figures(sb);
    sb_printf(&b, "| **total** | | | %s | %s | %s |\n", f.r, f.s, f.t);
    return sb_finish(&b, out, err);
}

/* The unit block of the JSON: what is held and how it serves. */
static void json_units(cJSON *root, const tp_showback *sb)
{
    cJSON *o = cJSON_AddObjectToObject(root, "units");
    if (o == NULL)
        return;
    const tp_unit_price *u = &sb->unit;
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddNumberToObject(o, "count", (double)sb->units);
    cJSON_AddStringToObject(o, "term", tp_pricing_unit_term_name(sb->unit_term));
    cJSON_AddNumberToObject(o, "per_unit_hour_usd", sb->per_unit_hour_usd);
    cJSON_AddNumberToObject(o, "price_hours", sb->price_hours);
    cJSON_AddNumberToObject(o, "capacity_tpm", sb->capacity_tpm);
    cJSON_AddNumberToObject(o, "burst_factor", sb->burst_factor);
    cJSON_AddBoolToObject(o, "per_second", u->per_second);
    cJSON_AddStringToObject(o, "overflow", u->throttle ? "throttle" : "spill");
    cJSON *wt = cJSON_AddObjectToObject(o, "weights");
    if (wt != NULL) {
        cJSON_AddNumberToObject(wt, "output", u->output_weight);
        cJSON_AddNumberToObject(wt, "cache_read", u->cache_read_weight);
        cJSON_AddNumberToObject(wt, "cache_write", u->cache_write_weight);
    }
    cJSON_AddNumberToObject(o, "weighted_tokens", sb->weighted_tokens);
    if (!u->pools)
        return;
    /* two pools: each pool's count, price per day, cost over the billed days, spill, idle */
    cJSON *pools = cJSON_AddObjectToObject(o, "pools");
    if (pools == NULL)
        return;
    cJSON_AddNumberToObject(pools, "billed_days", sb->billed_days);
    const tp_unit_pool *pl[2] = {&u->input_pool, &u->output_pool};
    const int64_t n[2] = {sb->units, sb->output_units};
    const double cap[2] = {sb->capacity_tpm, sb->output_capacity_tpm};
    const double cost[2] = {sb->input_units_usd, sb->output_units_usd};
    const double spill[2] = {sb->input_spill_usd, sb->output_spill_usd};
    const double idle[2] = {sb->input_idle_usd, sb->output_idle_usd};
    const double wtok[2] = {sb->input_weighted_tokens, sb->output_weighted_tokens};
    for (int q = 0; q < 2; q++) {
        cJSON *po = cJSON_AddObjectToObject(pools, q ? "output" : "input");
        if (po == NULL)
            return;
        cJSON_AddNumberToObject(po, "units", (double)n[q]);
        cJSON_AddNumberToObject(po, "per_unit_day_usd", pl[q]->per_unit_day_usd);
        cJSON_AddNumberToObject(po, "capacity_tpm", cap[q]);
        cJSON_AddNumberToObject(po, "units_usd", cost[q]);
        cJSON_AddNumberToObject(po, "spill_usd", spill[q]);
        cJSON_AddNumberToObject(po, "idle_usd", idle[q]);
        cJSON_AddNumberToObject(po, "weighted_tokens", wtok[q]);
    }
}

static tp_status render_text(const tp_showback *sb, char **out, tp_error *err)
{
    if (is_units(sb))
        return render_units_text(sb, out, err);
    strbuf b = {0};
    header_text(&b, sb, "");
    table_text(&b, sb, "eff. input tok", "output tok", "reserved", line_figures);
    footer_text(&b, sb);
    return sb_finish(&b, out, err);
}

static tp_status render_markdown(const tp_showback *sb, char **out, tp_error *err)
{
    if (is_units(sb))
        return render_units_markdown(sb, out, err);
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

/* The CSV; unit_columns: the provider and units columns before region and account (a unit
 * showback always has them; a Bedrock one with unit_columns, beside unit ones in --all). */
static tp_status render_csv(const tp_showback *sb, int unit_columns, char **out, tp_error *err)
{
    strbuf b = {0};
    unit_columns = unit_columns || is_units(sb);
    sb_puts(&b, "model,key,idle,effective_input_tokens,output_tokens,reserved_usd,spill_usd,"
                "total_usd,");
    if (unit_columns)
        sb_puts(&b, "provider,units,unit_name,term,weighted_tokens,spilled_tokens,"
                    "throttled_tokens,");
    /* output_units (two pools: units are the input units) last, after region and account, as
     * the report CSV's: readers of the earlier columns keep working */
    sb_puts(&b, unit_columns ? "region,account,output_units\n" : "region,account\n");
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
        if (unit_columns && is_units(sb)) {
            report_csv_word(&b, tp_pricing_provider_name(sb->provider));
            render_csv_num(&b, (double)sb->units);
            sb_puts(&b, ",");
            enc_csv(&b, sb->unit.name);
            report_csv_word(&b, tp_pricing_unit_term_name(sb->unit_term));
            render_csv_num(&b, l->weighted_tokens);
            render_csv_num(&b, l->spill_tokens);
            render_csv_num(&b, l->throttled_tokens);
        } else if (unit_columns) { /* a Bedrock reservation: no units, no weights */
            report_csv_word(&b, tp_pricing_provider_name(sb->provider));
            sb_puts(&b, ",,,,");
            render_csv_num(&b, l->spill_tokens);
            render_csv_num(&b, l->throttled_tokens);
        }
        place_csv(&b, sb->region, sb->account);
        if (unit_columns) {
            if (is_units(sb) && sb->unit.pools)
                render_csv_num(&b, (double)sb->output_units);
            else
                sb_puts(&b, ",");
        }
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
    if (is_units(sb)) { /* a Bedrock showback's JSON is as it was */
        cJSON_AddStringToObject(root, "provider", tp_pricing_provider_name(sb->provider));
        json_units(root, sb);
    }
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
        if (is_units(sb)) {
            cJSON_AddNumberToObject(o, "weighted_tokens", l->weighted_tokens);
            cJSON_AddNumberToObject(o, "spilled_tokens", l->spill_tokens);
            cJSON_AddNumberToObject(o, "throttled_tokens", l->throttled_tokens);
        }
        if (is_units(sb) && sb->unit.pools) { /* each pool's exact share (cents: above) */
            cJSON_AddNumberToObject(o, "input_units_usd", l->input_units_usd);
            cJSON_AddNumberToObject(o, "output_units_usd", l->output_units_usd);
            cJSON_AddNumberToObject(o, "input_spill_usd", l->input_spill_usd);
            cJSON_AddNumberToObject(o, "output_spill_usd", l->output_spill_usd);
        }
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
    case TP_FORMAT_CSV: return render_csv(sb, 0, out, err);
    case TP_FORMAT_JSON: return render_json(sb, out, err);
    case TP_FORMAT_MARKDOWN: return render_markdown(sb, out, err);
    case TP_FORMAT_HTML: break;
    }
    return tp_error_set_field(err, TP_ERR_USAGE, "format",
                              "showback: {format} takes text, csv, json or markdown");
}

tp_status tp_report_showback_csv(const tp_showback *sb, int unit_columns, char **out,
                                 tp_error *err)
{
    *out = NULL;
    return render_csv(sb, unit_columns, out, err);
}
