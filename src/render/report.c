/* report.c - what every report renderer shares: the format names, the JSON blocks (window,
 * ingests, pricing, simulation figures, candidates), numbers for people and the notes. */
#include "tierplan/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "render/report_internal.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

tp_status tp_format_parse(const char *name, tp_format *out, tp_error *err)
{
    if (strcmp(name, "text") == 0)
        *out = TP_FORMAT_TEXT;
    else if (strcmp(name, "json") == 0)
        *out = TP_FORMAT_JSON;
    else if (strcmp(name, "csv") == 0)
        *out = TP_FORMAT_CSV;
    else if (strcmp(name, "markdown") == 0)
        *out = TP_FORMAT_MARKDOWN;
    else if (strcmp(name, "html") == 0)
        *out = TP_FORMAT_HTML;
    else
        return tp_error_set_field(err, TP_ERR_USAGE, "format",
                                  "{format}: \"%s\" is not one of text, json, csv, markdown, "
                                  "html",
                                  name);
    return TP_OK;
}

void report_json_window(cJSON *o, const tp_window *w)
{
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    cJSON_AddStringToObject(o, "from", tp_timestamp_format(w->from_minute * 60, a));
    cJSON_AddStringToObject(o, "to", tp_timestamp_format(w->to_minute * 60, b));
    cJSON_AddNumberToObject(o, "minutes", (double)(w->to_minute - w->from_minute));
}

/* "window":{"from","to","minutes","minutes_with_data"} of a loaded series; returns it. */
cJSON *report_json_series_window(cJSON *parent, const tp_series *s)
{
    const tp_window w = {tp_series_from_minute(s),
                         tp_series_from_minute(s) + (int64_t)tp_series_minutes(s)};
    cJSON *o = cJSON_AddObjectToObject(parent, "window");
    if (o != NULL) {
        report_json_window(o, &w);
        cJSON_AddNumberToObject(o, "minutes_with_data", (double)tp_series_minutes_with_data(s));
        const tp_window *u = NULL;
        size_t nu = 0;
        cJSON_AddNumberToObject(o, "uncovered_minutes", (double)tp_series_uncovered(s, &u, &nu));
        cJSON *arr = cJSON_AddArrayToObject(o, "uncovered");
        for (size_t i = 0; arr != NULL && i < nu; i++) {
            cJSON *e = cJSON_CreateObject();
            if (e != NULL)
                report_json_window(e, &u[i]);
            report_json_push(arr, e);
        }
    }
    return o;
}

/* Hours of n minutes for people: "2" or "1.5". */
static void hours(char buf[NUMFMT_BUF], int64_t minutes)
{
    if (minutes % 60 == 0)
        numfmt_count(buf, (double)minutes / 60);
    else
        numfmt_fixed(buf, (double)minutes / 60, 1);
}

void report_uncovered_text(strbuf *b, const tp_series *s)
{
    const tp_window *u = NULL;
    size_t nu = 0;
    const int64_t n = tp_series_uncovered(s, &u, &nu);
    if (n == 0)
        return;
    strbuf t = {0};
    char h[NUMFMT_BUF], p[NUMFMT_BUF], a[TP_TIME_BUF], z[TP_TIME_BUF];
    hours(h, n);
    numfmt_pct(p, 100.0 * (double)n / (double)tp_series_minutes(s));
    sb_printf(&t,
              "%s h of the window (%s) %s covered by neither metric exports nor invocation logs "
              "and read%s as zero demand:",
              h, p, n == 60 ? "is" : "are", n == 60 ? "s" : "");
    for (size_t i = 0; i < nu && i < REPORT_UNCOVERED_SHOWN; i++) {
        hours(h, u[i].to_minute - u[i].from_minute);
        sb_printf(&t, "%s %s .. %s (%s h)", i > 0 ? "," : "",
                  tp_timestamp_format(u[i].from_minute * 60, a),
                  tp_timestamp_format(u[i].to_minute * 60, z), h);
    }
    if (nu > REPORT_UNCOVERED_SHOWN)
        sb_printf(&t, " and %zu more spans", nu - REPORT_UNCOVERED_SHOWN);
    sb_puts(&t, " (export the missing spans, or ingest invocation logs of them)");
    char *text = NULL;
    if (sb_finish(&t, &text, NULL) == TP_OK)
        render_wrapped_raw(b, "warning: ", text);
    else
        b->failed = 1; /* b's finish reports it */
    free(text);
}

/* "ingests":[ids] the series' points came from: with the catalog hash, an audit trail. */
void report_json_ingests(cJSON *root, const tp_series *s)
{
    size_t n = 0;
    const int64_t *ids = tp_series_ingests(s, &n);
    cJSON *arr = cJSON_AddArrayToObject(root, "ingests");
    for (size_t i = 0; i < n; i++)
        report_json_push(arr, cJSON_CreateNumber((double)ids[i]));
}

/* A number, or JSON null when it is undefined (NAN). */
void report_json_window_bounds(cJSON *w, const tp_window_spec *ws)
{
    char a[TP_WINDOW_BOUND_BUF];
    if (ws->from.kind != TP_BOUND_NONE)
        cJSON_AddStringToObject(w, "from", tp_window_bound_format(&ws->from, a));
    else
        cJSON_AddNullToObject(w, "from");
    if (ws->to.kind != TP_BOUND_NONE)
        cJSON_AddStringToObject(w, "to", tp_window_bound_format(&ws->to, a));
    else
        cJSON_AddNullToObject(w, "to");
}

void report_json_num_or_null(cJSON *o, const char *name, double v)
{
    if (isnan(v))
        cJSON_AddNullToObject(o, name);
    else
        cJSON_AddNumberToObject(o, name, v);
}

/* The figures of a simulation shared by simulate's and recommend's JSON: cost_usd,
 * savings_pct, utilization, spill, throttled and throttled_value_usd. Savings are against
 * cost_usd.served_value, the Standard price of the tokens served (docs/model.md). */
void report_json_sim_figures(cJSON *o, const tp_sim_result *r)
{
    cJSON *c = cJSON_AddObjectToObject(o, "cost_usd");
    cJSON_AddNumberToObject(c, "reserved", r->reserved_usd);
    cJSON_AddNumberToObject(c, "spill", r->spill_usd);
    cJSON_AddNumberToObject(c, "total", r->total_usd);
    cJSON_AddNumberToObject(c, "on_demand_baseline", r->baseline_usd);
    cJSON_AddNumberToObject(c, "served_value", r->served_value_usd);
    cJSON_AddNumberToObject(c, "savings", r->savings_usd);
    report_json_num_or_null(o, "savings_pct", r->savings_pct);
    cJSON *u = cJSON_AddObjectToObject(o, "utilization");
    report_json_num_or_null(u, "input", r->utilization_input);
    report_json_num_or_null(u, "output", r->utilization_output);
    cJSON *sp = cJSON_AddObjectToObject(o, "spill");
    cJSON_AddNumberToObject(sp, "minutes", (double)r->spill_minutes);
    cJSON_AddNumberToObject(sp, "minutes_pct", r->spill_minutes_pct);
    cJSON_AddNumberToObject(sp, "input_tokens", r->spill_input_tokens);
    cJSON_AddNumberToObject(sp, "effective_input_tokens", r->spill_effective_input_tokens);
    cJSON_AddNumberToObject(sp, "output_tokens", r->spill_output_tokens);
    cJSON *th = cJSON_AddObjectToObject(o, "throttled");
    cJSON_AddNumberToObject(th, "minutes", (double)r->throttled_minutes);
    cJSON_AddNumberToObject(th, "tokens", r->throttled_tokens);
    cJSON_AddNumberToObject(o, "throttled_value_usd", r->throttled_value_usd);
}

/* Which prices a figure rests on: finance audits a figure by the catalog's content hash, and
 * the burn-down factors with where each came from (explicit, derived from prices, default). */
void report_json_pricing(cJSON *root, const tp_pricing *pricing, const tp_model_price *price)
{
    cJSON_AddBoolToObject(root, "example_prices", price->example_reserved);
    cJSON *pr = cJSON_AddObjectToObject(root, "pricing");
    cJSON_AddStringToObject(pr, "source", tp_pricing_source(pricing));
    cJSON_AddStringToObject(pr, "sha256", tp_pricing_sha256(pricing));
    cJSON_AddStringToObject(pr, "entry", price->entry);
    cJSON *bd = cJSON_AddObjectToObject(pr, "burn_down");
    cJSON_AddNumberToObject(bd, "cache_read", price->burn_down_cache_read);
    cJSON_AddStringToObject(bd, "cache_read_from",
                            tp_pricing_factor_origin_name(price->burn_down_cache_read_origin));
    cJSON_AddNumberToObject(bd, "cache_write", price->burn_down_cache_write);
    cJSON_AddStringToObject(bd, "cache_write_from",
                            tp_pricing_factor_origin_name(price->burn_down_cache_write_origin));
}

cJSON *report_json_candidate(const tp_candidate *c)
{
    const tp_sim_result *r = &c->sim;
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddStringToObject(o, "basis", tp_recommend_basis_name(c->basis));
    cJSON *res = cJSON_AddObjectToObject(o, "reservation");
    cJSON_AddNumberToObject(res, "input_tpm", c->input_tpm);
    cJSON_AddNumberToObject(res, "output_tpm", c->output_tpm);
    report_json_sim_figures(o, r);
    cJSON_AddNumberToObject(o, "cost_per_hour_usd", c->cost_per_hour_usd);
    cJSON_AddNumberToObject(o, "cost_per_month_usd", c->cost_per_month_usd);
    cJSON_AddNumberToObject(o, "cost_per_term_usd", c->cost_per_term_usd);
    cJSON_AddNumberToObject(o, "savings_per_month_usd", c->savings_per_month_usd);
    /* sized by tier (tp_recommend_tiers_run); nothing reserved routes nothing, as the text
     * says ("none (no reservation)") */
    if (c->routed_tiers != 0)
        report_json_tiers(o, c->input_tpm > 0 || c->output_tpm > 0 ? c->routed_tiers : 0,
                          c->tier);
    return o;
}

void report_json_tiers(cJSON *o, tp_route_set routed, const tp_sim_tier *tier)
{
    cJSON *rt = cJSON_AddArrayToObject(o, "routed_tiers");
    cJSON *by = cJSON_AddObjectToObject(o, "by_tier");
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        const char *name = tp_series_tier_name((tp_service_tier)k);
        if (routed & TP_ROUTE_TIER(k))
            report_json_push(rt, cJSON_CreateString(name));
        const tp_sim_tier *x = &tier[k];
        if (!(x->tokens > 0))
            continue;
        cJSON *t = cJSON_AddObjectToObject(by, name);
        cJSON_AddNumberToObject(t, "tokens", x->tokens);
        cJSON_AddNumberToObject(t, "before_usd", x->baseline_usd);
        cJSON *after = cJSON_AddObjectToObject(t, "after");
        cJSON_AddNumberToObject(after, "reserved_tokens", x->reserved_tokens);
        cJSON_AddNumberToObject(after, "on_demand_tokens", x->on_demand_tokens);
        cJSON_AddNumberToObject(after, "on_demand_usd", x->on_demand_usd);
        cJSON_AddNumberToObject(after, "throttled_tokens", x->throttled_tokens);
    }
}

void report_tiers_text(strbuf *b, tp_route_set routed, const tp_sim_tier *tier,
                       double reserved_usd)
{
    char a[64], c[64], d[64], e[64];
    sb_printf(b, "%-10s %-7s %15s %13s %15s %15s %13s\n", "tier", "routed", "tokens",
              "before", "reserved tok", "on-demand tok", "after");
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        const tp_sim_tier *x = &tier[k];
        if (!(x->tokens > 0))
            continue;
        report_count(a, sizeof a, x->tokens);
        report_usd(c, sizeof c, x->baseline_usd);
        report_count(d, sizeof d, x->reserved_tokens);
        report_count(e, sizeof e, x->on_demand_tokens);
        sb_printf(b, "%-10s %-7s %15s %13s %15s %15s", tp_series_tier_name((tp_service_tier)k),
                  routed & TP_ROUTE_TIER(k) ? "yes" : "no", a, c, d, e);
        report_usd(a, sizeof a, x->on_demand_usd);
        sb_printf(b, " %13s\n", a);
    }
    report_usd(a, sizeof a, reserved_usd);
    sb_printf(b, "%-10s %-7s %15s %13s %15s %15s %13s\n", "(reserved)", "", "", "", "", "", a);
}

void report_csv_tiers_header(strbuf *b)
{
    static const char *const col[] = {"tokens",           "before_usd", "reserved_tokens",
                                      "on_demand_tokens", "after_usd",  "throttled_tokens"};
    sb_puts(b, ",routed_tiers");
    for (int k = 0; k < TP_SERVICE_COUNT; k++)
        for (size_t i = 0; i < sizeof col / sizeof col[0]; i++)
            sb_printf(b, ",%s_%s", tp_series_tier_name((tp_service_tier)k), col[i]);
}

void report_csv_tiers(strbuf *b, tp_route_set routed, const tp_sim_tier *tier)
{
    char list[64];
    /* the routed list holds commas: through the CSV encoder, quoted */
    sb_puts(b, ",");
    if (tier != NULL)
        enc_csv(b, tp_simulate_route_format(routed, list, sizeof list));
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        const tp_sim_tier *x = tier != NULL ? &tier[k] : NULL;
        const double v[] = {x ? x->tokens : NAN,           x ? x->baseline_usd : NAN,
                            x ? x->reserved_tokens : NAN,  x ? x->on_demand_tokens : NAN,
                            x ? x->on_demand_usd : NAN,    x ? x->throttled_tokens : NAN};
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            render_csv_num(b, v[i]);
    }
}

void report_json_start(void)
{
    errno = 0;
}

int report_json_lost(void)
{
    return errno == ENOMEM;
}

cJSON *report_json_push(cJSON *array, cJSON *item)
{
    if (cJSON_AddItemToArray(array, item))
        return item;
    cJSON_Delete(item);
    return NULL;
}

cJSON *report_json_put(cJSON *object, const char *key, cJSON *item)
{
    if (cJSON_AddItemToObject(object, key, item))
        return item;
    cJSON_Delete(item);
    return NULL;
}

tp_status report_print_json(cJSON *root, char **out, tp_error *err)
{
    if (report_json_lost()) {
        cJSON_Delete(root);
        *out = NULL;
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    locale_t prev = cnum_enter();
    *out = cJSON_Print(root);
    cnum_restore(prev);
    cJSON_Delete(root);
    return *out != NULL ? TP_OK : tp_error_set(err, TP_ERR_NOMEM, "out of memory");
}

void report_fmt_tpm(char *buf, size_t size, double v)
{
    /* TPM is a token rate: one decimal is all a planner reads, and it keeps columns aligned */
    char num[NUMFMT_BUF];
    numfmt_fixed(num, v, 1);
    snprintf(buf, size, "%s", num);
}

void report_usd(char *buf, size_t size, double v)
{
    char num[NUMFMT_BUF];
    numfmt_usd(num, v);
    snprintf(buf, size, "%s", num);
}

void report_pct(char *buf, size_t size, double v)
{
    char num[NUMFMT_BUF];
    numfmt_pct(num, v);
    snprintf(buf, size, "%s", num);
}

void report_count(char *buf, size_t size, double v)
{
    char num[NUMFMT_BUF];
    numfmt_count(num, v);
    snprintf(buf, size, "%s", num);
}

/* The text lines naming the prices used: catalog, entry, hash, burn-down factors. */
void report_prices_text(strbuf *b, const tp_pricing *pricing, const tp_model_price *price)
{
    char fr[40], fw[40];
    cnum_format(fr, sizeof fr, price->burn_down_cache_read);
    cnum_format(fw, sizeof fw, price->burn_down_cache_write);
    /* the path on a line of its own: a long one must not push the rest past 100 columns */
    enc_text_in(b, "\nprices: ", tp_pricing_source(pricing), "\n");
    enc_text_in(b, "  entry ", price->entry, ", ");
    sb_printf(b, "sha256 %.16s...\n", tp_pricing_sha256(pricing));
    sb_printf(b, "burn-down: a cache-read token counts %s (%s), a cache-write token %s (%s)\n", fr,
              tp_pricing_factor_origin_name(price->burn_down_cache_read_origin), fw,
              tp_pricing_factor_origin_name(price->burn_down_cache_write_origin));
}

int report_series_coarse(const tp_series *s)
{
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
        for (size_t r = 0; r < nr; r++) {
            int period;
            tp_series_resolution(s, k, r, &period, NULL);
            if (period > 60)
                return 1;
        }
    }
    return 0;
}

const char report_coarse_note[] =
    "some minutes rest on data coarser than 1 minute: its sums are spread evenly over their "
    "minutes, which understates peaks (CloudWatch keeps 1-minute data for 15 days)";

const char report_example_note[] =
    "the reserved prices, term discounts and reservation grid (minimum, step) of this catalog "
    "entry are examples, not quotes: replace them with what AWS quoted you before committing";

void report_csv_word(strbuf *b, const char *word)
{
    size_t n = strlen(word);
    if (n > 0 && strpbrk(word, ",\"\r\n") == NULL && word[0] != ' ' && word[n - 1] != ' ' &&
        !enc_csv_formula(word)) {
        sb_printf(b, ",%s", word);
        return;
    }
    sb_puts(b, ",");
    enc_csv(b, word);
}

tp_status report_unknown_format(tp_format fmt, tp_error *err)
{
    if (fmt == TP_FORMAT_MARKDOWN || fmt == TP_FORMAT_HTML)
        return tp_error_set_field(err, TP_ERR_USAGE, "format",
                                  "{format}: markdown and html are formats of the fleet report "
                                  "only");
    return tp_error_set(err, TP_ERR_USAGE, "report format %d is not one of text, json, csv",
                        (int)fmt);
}
