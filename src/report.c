/* report.c - renders stats, simulations, recommendations, seasonal plans and backtests as text,
 * JSON or CSV; the stats layer computes what the stats report shows. */
#include "tierplan/report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnum.h"
#include "recommend_internal.h"
#include "render.h"
#include "report_check.h"
#include "strbuf.h"
#include "util.h"
#include "tierplan/stats.h"
#include "tierplan/timestamp.h"

tp_status tp_format_parse(const char *name, tp_format *out, tp_error *err)
{
    if (strcmp(name, "text") == 0)
        *out = TP_FORMAT_TEXT;
    else if (strcmp(name, "json") == 0)
        *out = TP_FORMAT_JSON;
    else if (strcmp(name, "csv") == 0)
        *out = TP_FORMAT_CSV;
    else
        return tp_error_set(err, TP_ERR_USAGE,
                            "--format: \"%s\" is not one of text, json, csv", name);
    return TP_OK;
}

static void add_window(cJSON *o, const tp_window *w)
{
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    cJSON_AddStringToObject(o, "from", tp_time_format(w->from_minute * 60, a));
    cJSON_AddStringToObject(o, "to", tp_time_format(w->to_minute * 60, b));
    cJSON_AddNumberToObject(o, "minutes", (double)(w->to_minute - w->from_minute));
}

/* "window":{"from","to","minutes","minutes_with_data"} of a loaded series; returns it. */
static cJSON *add_series_window(cJSON *parent, const tp_series *s)
{
    const tp_window w = {tp_series_from_minute(s),
                         tp_series_from_minute(s) + (int64_t)tp_series_minutes(s)};
    cJSON *o = cJSON_AddObjectToObject(parent, "window");
    if (o != NULL) {
        add_window(o, &w);
        cJSON_AddNumberToObject(o, "minutes_with_data", (double)tp_series_minutes_with_data(s));
    }
    return o;
}

/* "ingests":[ids] the series' points came from: with the catalog hash, an audit trail. */
static void add_ingests(cJSON *root, const tp_series *s)
{
    size_t n = 0;
    const int64_t *ids = tp_series_ingests(s, &n);
    cJSON *arr = cJSON_AddArrayToObject(root, "ingests");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)ids[i]));
}

static cJSON *summary_json(const tp_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddNumberToObject(o, "p25", s->p25_tpm);
    cJSON_AddNumberToObject(o, "p50", s->p50_tpm);
    cJSON_AddNumberToObject(o, "p90", s->p90_tpm);
    cJSON_AddNumberToObject(o, "p99", s->p99_tpm);
    cJSON_AddNumberToObject(o, "max", s->max_tpm);
    cJSON_AddNumberToObject(o, "mean", s->mean_tpm);
    return o;
}

static const char *coarse_note =
    "some minutes rest on data coarser than 1 minute: its sums are spread evenly over their "
    "minutes, which understates peaks (CloudWatch keeps 1-minute data for 15 days)";

static tp_status render_json(const tp_model_stats *ms, size_t n, const tp_stats_omitted *omitted,
                             size_t n_omitted, char **out, tp_error *err)
{
    tp_status rc = TP_OK;
    cJSON *root = cJSON_CreateObject(), *models = cJSON_AddArrayToObject(root, "models");
    if (root == NULL || models == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        cJSON *m = cJSON_CreateObject();
        if (m == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        cJSON_AddItemToArray(models, m);
        cJSON_AddStringToObject(m, "model", tp_series_model(s));
        add_series_window(m, s);
        cJSON *res = cJSON_AddObjectToObject(m, "resolution");
        cJSON *used = cJSON_AddObjectToObject(m, "series_used");
        cJSON *tpm = cJSON_AddObjectToObject(m, "tpm");
        for (int k = 0; k < TP_METRIC_COUNT; k++) {
            cJSON *arr = cJSON_AddArrayToObject(res, tp_metric_key(k));
            size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
            for (size_t r = 0; r < nr; r++) {
                int period;
                size_t minutes;
                tp_series_resolution(s, k, r, &period, &minutes);
                cJSON *e = cJSON_CreateObject();
                cJSON_AddNumberToObject(e, "period_s", period);
                cJSON_AddNumberToObject(e, "minutes", (double)minutes);
                cJSON_AddItemToArray(arr, e);
            }
            cJSON_AddStringToObject(used, tp_metric_key(k), tp_series_sources(s, k));
            cJSON_AddItemToObject(tpm, tp_metric_key(k), summary_json(&ms[i].tpm[k]));
        }
        cJSON_AddItemToObject(tpm, "effective_input", summary_json(&ms[i].effective_input));
        cJSON *bd = cJSON_AddObjectToObject(m, "burn_down");
        cJSON_AddNumberToObject(bd, "cache_read", ms[i].burn_down_cache_read);
        cJSON_AddNumberToObject(bd, "cache_write", ms[i].burn_down_cache_write);
        cJSON_AddStringToObject(bd, "from", ms[i].factors_from);
        cJSON_AddStringToObject(bd, "cache_read_from", ms[i].cache_read_from);
        cJSON_AddStringToObject(bd, "cache_write_from", ms[i].cache_write_from);
        cJSON *notes = cJSON_AddArrayToObject(m, "notes");
        if (ms[i].coarse)
            cJSON_AddItemToArray(notes, cJSON_CreateString(coarse_note));
    }
    /* a model whose window is over the limit is listed with why; one without data is not */
    cJSON *sk = NULL;
    for (size_t i = 0; i < n_omitted; i++) {
        if (omitted[i].status != TP_ERR_TOO_BIG)
            continue;
        if (sk == NULL)
            sk = cJSON_AddArrayToObject(root, "skipped");
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "model", omitted[i].model);
        cJSON_AddStringToObject(e, "reason", omitted[i].reason);
        cJSON_AddItemToArray(sk, e);
    }
    locale_t prev = cnum_enter(); /* cJSON prints numbers with LC_NUMERIC's decimal point */
    *out = cJSON_Print(root);
    cnum_restore(prev);
    if (*out == NULL)
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
cleanup:
    cJSON_Delete(root);
    return rc;
}

static void fmt_tpm(char *buf, size_t size, double v)
{
    /* TPM is a token rate: one decimal is all a planner reads, and it keeps columns aligned */
    char num[RENDER_NUM_BUF];
    render_fixed(num, v, 1);
    snprintf(buf, size, "%s", num);
}

/* One row of the stats table: a label and six figures. */
static void stats_row(strbuf *b, const char *label, const tp_summary *t)
{
    const double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm, t->mean_tpm};
    sb_printf(b, "%-15s", label);
    for (int j = 0; j < 6; j++) {
        char num[RENDER_NUM_BUF];
        fmt_tpm(num, sizeof num, v[j]);
        sb_printf(b, " %12s", num);
    }
    sb_puts(b, "\n");
}

/* Which stored series made up each metric, at which resolutions, one line per metric. */
static void stats_sources(strbuf *b, const tp_series *s)
{
    sb_puts(b, "series used:\n");
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        sb_printf(b, "  %-13s %s", tp_metric_key(k), tp_series_sources(s, k));
        size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
        for (size_t r = 0; r < nr; r++) {
            int period;
            size_t mins;
            char n[RENDER_NUM_BUF];
            tp_series_resolution(s, k, r, &period, &mins);
            render_count(n, (double)mins);
            sb_printf(b, "%s%ds x %s min", r ? ", " : "; ", period, n);
        }
        sb_puts(b, "\n");
    }
}

/* The stats table fits 100 columns: 15 + 6 x 13 = 93; what made each row follows below it. */
static tp_status render_text(const tp_model_stats *ms, size_t n, const tp_stats_omitted *omitted,
                             size_t n_omitted, char **out, tp_error *err)
{
    strbuf b = {0};
    if (n == 0)
        sb_puts(&b, "no data yet; see tierplan export-cmd and tierplan ingest\n");
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        char from[TP_TIME_BUF], to[TP_TIME_BUF], a[RENDER_NUM_BUF], c[RENDER_NUM_BUF];
        int64_t f = tp_series_from_minute(s);
        size_t minutes = tp_series_minutes(s);
        if (i > 0)
            sb_puts(&b, "\n");
        sb_printf(&b, "model %s\n", tp_series_model(s));
        render_count(a, (double)minutes);
        render_count(c, (double)tp_series_minutes_with_data(s));
        sb_printf(&b, "window %s .. %s (%s minute%s, %s with data)\n",
                  tp_time_format(f * 60, from), tp_time_format((f + (int64_t)minutes) * 60, to),
                  a, minutes == 1 ? "" : "s", c);
        sb_printf(&b, "%-15s %12s %12s %12s %12s %12s %12s\n", "TPM", "p25", "p50", "p90", "p99",
                  "max", "mean");
        for (int k = 0; k < TP_METRIC_COUNT; k++)
            stats_row(&b, tp_metric_key(k), &ms[i].tpm[k]);
        stats_row(&b, "effective_input", &ms[i].effective_input);
        stats_sources(&b, s);
        cnum_format(a, sizeof a, ms[i].burn_down_cache_read);
        cnum_format(c, sizeof c, ms[i].burn_down_cache_write);
        sb_printf(&b, "effective_input = input + %s x cache_write + %s x cache_read\n  (%s)\n", c,
                  a, ms[i].factors_from);
        if (ms[i].coarse)
            render_wrapped(&b, "note: ", coarse_note);
    }
    for (size_t i = 0; i < n_omitted; i++) {
        if (omitted[i].status != TP_ERR_TOO_BIG)
            continue;
        sb_printf(&b, "\nmodel %s: skipped\n", omitted[i].model);
        render_wrapped(&b, "  ", omitted[i].reason);
    }
    return sb_finish(&b, out, err);
}

static tp_status render_csv(const tp_model_stats *ms, size_t n, char **out, tp_error *err)
{
    strbuf b = {0};
    sb_puts(&b, "model,metric,from,to,minutes,minutes_with_data,p25_tpm,p50_tpm,p90_tpm,"
                "p99_tpm,max_tpm,mean_tpm\n");
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        char from[TP_TIME_BUF], to[TP_TIME_BUF];
        int64_t f = tp_series_from_minute(s);
        size_t minutes = tp_series_minutes(s);
        tp_time_format(f * 60, from);
        tp_time_format((f + (int64_t)minutes) * 60, to);
        for (int k = 0; k <= TP_METRIC_COUNT; k++) {
            const tp_summary *t = k < TP_METRIC_COUNT ? &ms[i].tpm[k] : &ms[i].effective_input;
            double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm,
                           t->mean_tpm};
            render_csv_str(&b, tp_series_model(s));
            sb_printf(&b, ",%s,%s,%s,%zu,%zu",
                      k < TP_METRIC_COUNT ? tp_metric_key(k) : "effective_input", from, to, minutes,
                      tp_series_minutes_with_data(s));
            for (int j = 0; j < 6; j++) {
                char num[48];
                cnum_format(num, sizeof num, v[j]);
                sb_printf(&b, ",%s", num);
            }
            sb_puts(&b, "\n");
        }
    }
    return sb_finish(&b, out, err);
}

/* The stats of one model, or of every stored model; fails as the stats report always has when
 * no model has data: an empty store is a normal state, a store with no model to show is not. */
static tp_status load_stats(tp_store *store, const tp_stats_request *req, tp_model_stats **one,
                            tp_stats_set **set, tp_error *err)
{
    tp_series_query q = {0};
    q.model = req->model;
    q.has_from = req->has_from;
    q.has_to = req->has_to;
    q.from_minute = req->from_minute;
    q.to_minute = req->to_minute;
    q.tiers = req->tiers;
    q.n_tiers = req->n_tiers;
    if (req->model != NULL)
        return tp_stats_model(store, &q, req->pricing, one, err);
    tp_status rc = tp_stats_all(store, &q, req->pricing, set, err);
    if (rc != TP_OK || (*set)->n > 0 || (*set)->n_omitted == 0)
        return rc;
    for (size_t i = 0; i < (*set)->n_omitted; i++)
        if ((*set)->omitted[i].status == TP_ERR_TOO_BIG)
            return tp_error_set(err, TP_ERR_TOO_BIG, "%s", (*set)->omitted[i].reason);
    return tp_error_set(err, TP_ERR_NOT_FOUND, "no data for any of the %zu stored models (%s)",
                        (*set)->n_stored, (*set)->omitted[(*set)->n_omitted - 1].reason);
}

tp_status tp_report_stats(tp_store *store, const tp_stats_request *req, tp_format fmt,
                          char **out, tp_error *err)
{
    tp_model_stats *one = NULL;
    tp_stats_set *set = NULL;
    *out = NULL;
    tp_status rc = load_stats(store, req, &one, &set, err);
    if (rc != TP_OK)
        goto cleanup;
    const tp_model_stats *ms = one != NULL ? one : set->models;
    const size_t n = one != NULL ? 1 : set->n;
    const tp_stats_omitted *omitted = set != NULL ? set->omitted : NULL;
    const size_t n_omitted = set != NULL ? set->n_omitted : 0;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k <= TP_METRIC_COUNT; k++) /* k == TP_METRIC_COUNT: effective input */
            if ((rc = report_check_summary(
                     k < TP_METRIC_COUNT ? &ms[i].tpm[k] : &ms[i].effective_input,
                     tp_series_model(ms[i].series),
                     k < TP_METRIC_COUNT ? tp_metric_key(k) : "effective_input", err)) != TP_OK)
                goto cleanup;
    switch (fmt) {
    case TP_FORMAT_JSON: rc = render_json(ms, n, omitted, n_omitted, out, err); break;
    case TP_FORMAT_CSV: rc = render_csv(ms, n, out, err); break;
    default: rc = render_text(ms, n, omitted, n_omitted, out, err); break;
    }
cleanup:
    tp_stats_model_free(one);
    tp_stats_set_free(set);
    return rc;
}

/* ---- simulation ---- */

/* A number, or JSON null when it is undefined (NAN). */
static void add_num_or_null(cJSON *o, const char *name, double v)
{
    if (isnan(v))
        cJSON_AddNullToObject(o, name);
    else
        cJSON_AddNumberToObject(o, name, v);
}

/* The figures of a simulation shared by simulate's and recommend's JSON: cost_usd,
 * savings_pct, utilization, spill, throttled and throttled_value_usd. Savings are against
 * cost_usd.served_value, the Standard price of the tokens served (docs/model.md). */
static void add_sim_figures(cJSON *o, const tp_sim_result *r)
{
    cJSON *c = cJSON_AddObjectToObject(o, "cost_usd");
    cJSON_AddNumberToObject(c, "reserved", r->reserved_usd);
    cJSON_AddNumberToObject(c, "spill", r->spill_usd);
    cJSON_AddNumberToObject(c, "total", r->total_usd);
    cJSON_AddNumberToObject(c, "on_demand_baseline", r->baseline_usd);
    cJSON_AddNumberToObject(c, "served_value", r->served_value_usd);
    cJSON_AddNumberToObject(c, "savings", r->savings_usd);
    add_num_or_null(o, "savings_pct", r->savings_pct);
    cJSON *u = cJSON_AddObjectToObject(o, "utilization");
    add_num_or_null(u, "input", r->utilization_input);
    add_num_or_null(u, "output", r->utilization_output);
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
static void add_pricing(cJSON *root, const tp_pricing *pricing, const tp_model_price *price)
{
    cJSON_AddBoolToObject(root, "example_prices", price->example_reserved);
    cJSON *pr = cJSON_AddObjectToObject(root, "pricing");
    cJSON_AddStringToObject(pr, "source", tp_pricing_source(pricing));
    cJSON_AddStringToObject(pr, "sha256", tp_pricing_sha256(pricing));
    cJSON_AddStringToObject(pr, "entry", price->entry);
    cJSON *bd = cJSON_AddObjectToObject(pr, "burn_down");
    cJSON_AddNumberToObject(bd, "cache_read", price->burn_down_cache_read);
    cJSON_AddStringToObject(bd, "cache_read_from",
                            tp_factor_origin_name(price->burn_down_cache_read_origin));
    cJSON_AddNumberToObject(bd, "cache_write", price->burn_down_cache_write);
    cJSON_AddStringToObject(bd, "cache_write_from",
                            tp_factor_origin_name(price->burn_down_cache_write_origin));
}

/* The text lines naming the prices used: catalog, entry, hash, burn-down factors. */
static void prices_text(strbuf *b, const tp_pricing *pricing, const tp_model_price *price)
{
    char fr[40], fw[40];
    cnum_format(fr, sizeof fr, price->burn_down_cache_read);
    cnum_format(fw, sizeof fw, price->burn_down_cache_write);
    /* the path on a line of its own: a long one must not push the rest past 100 columns */
    sb_printf(b, "\nprices: %s\n", tp_pricing_source(pricing));
    sb_printf(b, "  entry %s, sha256 %.16s...\n", price->entry, tp_pricing_sha256(pricing));
    sb_printf(b, "burn-down: a cache-read token counts %s (%s), a cache-write token %s (%s)\n", fr,
              tp_factor_origin_name(price->burn_down_cache_read_origin), fw,
              tp_factor_origin_name(price->burn_down_cache_write_origin));
}

static int series_is_coarse(const tp_series *s)
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

static const char *example_note =
    "the reserved prices, term discounts and reservation grid (minimum, step) of this catalog "
    "entry are examples, not quotes: replace them with what AWS quoted you before committing";

static tp_status sim_json(const tp_sim_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_sim_result *r = rep->result;
    const tp_sim_options *o = rep->options;
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    cJSON_AddStringToObject(root, "model", tp_series_model(s));
    cJSON *w = add_series_window(root, s);
    cJSON_AddNumberToObject(w, "hours", r->hours);
    cJSON *res = cJSON_AddObjectToObject(root, "reservation");
    cJSON_AddNumberToObject(res, "input_tpm", o->reserve_input_tpm);
    cJSON_AddNumberToObject(res, "output_tpm", o->reserve_output_tpm);
    cJSON_AddStringToObject(root, "spill_to", tp_spill_to_name(o->spill_to));
    cJSON_AddStringToObject(root, "spill_model", tp_spill_model_name(o->spill_model));
    if (o->quota_tpm > 0)
        cJSON_AddNumberToObject(root, "quota_tpm", o->quota_tpm);
    else
        cJSON_AddNullToObject(root, "quota_tpm");
    add_sim_figures(root, r);
    add_num_or_null(root, "blended_usd_per_million_tokens", r->blended_usd_per_million);
    add_pricing(root, rep->pricing, rep->price);
    add_ingests(root, s);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (rep->price->example_reserved)
        cJSON_AddItemToArray(notes, cJSON_CreateString(example_note));
    if (series_is_coarse(s))
        cJSON_AddItemToArray(notes, cJSON_CreateString(coarse_note));
    locale_t prev = cnum_enter();
    *out = cJSON_Print(root);
    cnum_restore(prev);
    cJSON_Delete(root);
    return *out != NULL ? TP_OK : tp_error_set(err, TP_ERR_NOMEM, "out of memory");
}

static void usd(char *buf, size_t size, double v)
{
    char num[RENDER_NUM_BUF];
    render_usd(num, v);
    snprintf(buf, size, "%s", num);
}

static void pct(char *buf, size_t size, double v)
{
    char num[RENDER_NUM_BUF];
    render_pct(num, v);
    snprintf(buf, size, "%s", num);
}

static void count(char *buf, size_t size, double v)
{
    char num[RENDER_NUM_BUF];
    render_count(num, v);
    snprintf(buf, size, "%s", num);
}

static tp_status sim_text(const tp_sim_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_sim_result *r = rep->result;
    const tp_sim_options *o = rep->options;
    strbuf b = {0};
    char from[TP_TIME_BUF], to[TP_TIME_BUF], a[64], c[64];
    int64_t f = tp_series_from_minute(s);
    sb_printf(&b, "model %s\n", tp_series_model(s));
    count(a, sizeof a, (double)r->minutes);
    sb_printf(&b, "window %s .. %s (%s minute%s)\n", tp_time_format(f * 60, from),
              tp_time_format((f + (int64_t)r->minutes) * 60, to), a, r->minutes == 1 ? "" : "s");
    fmt_tpm(a, sizeof a, o->reserve_input_tpm);
    fmt_tpm(c, sizeof c, o->reserve_output_tpm);
    sb_printf(&b, "reservation: %s effective input TPM, %s output TPM\n", a, c);
    sb_printf(&b, "spill %s to %s", tp_spill_model_name(o->spill_model),
              tp_spill_to_name(o->spill_to));
    if (o->quota_tpm > 0) {
        fmt_tpm(a, sizeof a, o->quota_tpm);
        sb_printf(&b, ", on-demand quota %s TPM", a);
    }
    sb_puts(&b, "\n\n");
    const struct {
        const char *name;
        double v;
    } costs[] = {{"reserved", r->reserved_usd},
                 {"spill", r->spill_usd},
                 {"total", r->total_usd},
                 {"on-demand baseline", r->baseline_usd},
                 {"throttled value", r->throttled_value_usd},
                 {"served at Standard", r->served_value_usd},
                 {"savings", r->savings_usd}};
    for (size_t i = 0; i < sizeof costs / sizeof costs[0]; i++) {
        usd(a, sizeof a, costs[i].v);
        sb_printf(&b, "%-20s %14s\n", costs[i].name, a);
    }
    pct(a, sizeof a, r->savings_pct);
    sb_printf(&b, "%-20s %14s\n", "savings", a);
    pct(a, sizeof a, 100 * r->utilization_input);
    pct(c, sizeof c, 100 * r->utilization_output);
    sb_printf(&b, "%-20s %14s input, %s output\n", "utilization", a, c);
    pct(a, sizeof a, r->spill_minutes_pct);
    count(c, sizeof c, (double)r->spill_minutes);
    sb_printf(&b, "%-20s %14s (%s of minutes)\n", "spill minutes", c, a);
    count(a, sizeof a, r->spill_input_tokens);
    count(c, sizeof c, r->spill_effective_input_tokens);
    sb_printf(&b, "%-20s %14s input tokens (%s effective), ", "spilled", a, c);
    count(a, sizeof a, r->spill_output_tokens);
    sb_printf(&b, "%s output tokens\n", a);
    count(a, sizeof a, r->throttled_tokens);
    count(c, sizeof c, (double)r->throttled_minutes);
    sb_printf(&b, "%-20s %14s tokens in %s minute%s%s\n", "throttled", a, c,
              r->throttled_minutes == 1 ? "" : "s",
              r->throttled_minutes > 0 ? "  THROTTLES" : "");
    if (isnan(r->blended_usd_per_million)) {
        sb_printf(&b, "%-20s %14s\n", "blended price", "n/a");
    } else {
        locale_t prev = cnum_enter();
        snprintf(a, sizeof a, "$%.4f", r->blended_usd_per_million);
        cnum_restore(prev);
        sb_printf(&b, "%-20s %14s per 1M tokens served\n", "blended price", a);
    }
    prices_text(&b, rep->pricing, rep->price);
    if (rep->price->example_reserved)
        render_wrapped(&b, "note: ", example_note);
    if (series_is_coarse(s))
        render_wrapped(&b, "note: ", coarse_note);
    return sb_finish(&b, out, err);
}

static tp_status sim_csv(const tp_sim_report *rep, char **out, tp_error *err)
{
    const tp_sim_result *r = rep->result;
    const tp_sim_options *o = rep->options;
    strbuf b = {0};
    char from[TP_TIME_BUF], to[TP_TIME_BUF];
    int64_t f = tp_series_from_minute(rep->series);
    sb_puts(&b, "model,from,to,minutes,reserve_input_tpm,reserve_output_tpm,spill_to,spill_model,"
                "reserved_usd,spill_usd,total_usd,baseline_usd,savings_usd,savings_pct,"
                "utilization_input,utilization_output,spill_minutes,spill_minutes_pct,"
                "spill_input_tokens,spill_effective_input_tokens,spill_output_tokens,"
                "throttled_minutes,throttled_tokens,example_prices,throttled_value_usd,"
                "served_value_usd\n");
    render_csv_str(&b, tp_series_model(rep->series));
    sb_printf(&b, ",%s,%s,%zu", tp_time_format(f * 60, from),
              tp_time_format((f + (int64_t)r->minutes) * 60, to), r->minutes);
    const double v[] = {o->reserve_input_tpm, o->reserve_output_tpm};
    for (size_t i = 0; i < 2; i++) {
        char num[40];
        cnum_format(num, sizeof num, v[i]);
        sb_printf(&b, ",%s", num);
    }
    sb_printf(&b, ",%s,%s", tp_spill_to_name(o->spill_to), tp_spill_model_name(o->spill_model));
    const double w[] = {r->reserved_usd,      r->spill_usd,          r->total_usd,
                        r->baseline_usd,      r->savings_usd,        r->savings_pct,
                        r->utilization_input, r->utilization_output, (double)r->spill_minutes,
                        r->spill_minutes_pct, r->spill_input_tokens, r->spill_effective_input_tokens,
                        r->spill_output_tokens, (double)r->throttled_minutes, r->throttled_tokens};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        char num[40] = "";
        if (!isnan(w[i]))
            cnum_format(num, sizeof num, w[i]);
        sb_printf(&b, ",%s", num);
    }
    sb_printf(&b, ",%s", rep->price->example_reserved ? "true" : "false");
    render_csv_num(&b, r->throttled_value_usd);
    render_csv_num(&b, r->served_value_usd);
    sb_puts(&b, "\n");
    return sb_finish(&b, out, err);
}

tp_status tp_report_sim(const tp_sim_report *rep, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = report_check_sim(rep->result, "simulation", err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_JSON: return sim_json(rep, out, err);
    case TP_FORMAT_CSV: return sim_csv(rep, out, err);
    default: return sim_text(rep, out, err);
    }
}

/* ---- recommendation ---- */

static cJSON *candidate_json(const tp_candidate *c)
{
    const tp_sim_result *r = &c->sim;
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddStringToObject(o, "basis", tp_basis_name(c->basis));
    cJSON *res = cJSON_AddObjectToObject(o, "reservation");
    cJSON_AddNumberToObject(res, "input_tpm", c->input_tpm);
    cJSON_AddNumberToObject(res, "output_tpm", c->output_tpm);
    add_sim_figures(o, r);
    cJSON_AddNumberToObject(o, "cost_per_hour_usd", c->cost_per_hour_usd);
    cJSON_AddNumberToObject(o, "cost_per_month_usd", c->cost_per_month_usd);
    cJSON_AddNumberToObject(o, "cost_per_term_usd", c->cost_per_term_usd);
    cJSON_AddNumberToObject(o, "savings_per_month_usd", c->savings_per_month_usd);
    return o;
}

static tp_status rec_json(const tp_rec_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_recommendation *rec = rep->rec;
    const tp_rec_options *o = rep->options;
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    cJSON_AddStringToObject(root, "model", tp_series_model(s));
    add_series_window(root, s);
    cJSON_AddStringToObject(root, "spill_to", tp_spill_to_name(o->spill_to));
    cJSON_AddStringToObject(root, "spill_model", tp_spill_model_name(o->spill_model));
    add_num_or_null(root, "quota_tpm", o->quota_tpm > 0 ? o->quota_tpm : NAN);
    cJSON *term = cJSON_AddObjectToObject(root, "term");
    cJSON_AddNumberToObject(term, "months", rec->term_months);
    cJSON_AddNumberToObject(term, "hours", rec->term_months * TP_HOURS_PER_MONTH);
    cJSON_AddNumberToObject(term, "discount", rec->term_discount);
    cJSON *wi = cJSON_AddObjectToObject(root, "what_if");
    cJSON_AddNumberToObject(wi, "scale", rep->scale);
    cJSON_AddNumberToObject(wi, "cache_hit_delta", rep->cache_hit_delta);
    cJSON *cands = cJSON_AddArrayToObject(root, "candidates");
    for (size_t k = 0; k < rec->n_candidates; k++)
        cJSON_AddItemToArray(cands, candidate_json(&rec->candidates[k]));
    cJSON *best = candidate_json(&rec->candidates[rec->recommended]);
    cJSON_AddItemToObject(root, "recommended", best);
    cJSON_AddStringToObject(best, "reason", rec->reason);
    cJSON *be = cJSON_AddObjectToObject(best, "break_even_utilization");
    add_num_or_null(be, "input", rec->break_even_utilization_input);
    add_num_or_null(be, "output", rec->break_even_utilization_output);
    cJSON *grid_o = cJSON_AddObjectToObject(root, "grid");
    cJSON_AddNumberToObject(grid_o, "step_tpm", rep->price->reserved_step_tpm);
    cJSON_AddNumberToObject(grid_o, "minimum_input_tpm", rep->price->reserved_minimum_input_tpm);
    cJSON_AddNumberToObject(grid_o, "minimum_output_tpm", rep->price->reserved_minimum_output_tpm);
    cJSON_AddNumberToObject(grid_o, "input_points", (double)rec->grid_input_points);
    cJSON_AddNumberToObject(grid_o, "output_points", (double)rec->grid_output_points);
    add_pricing(root, rep->pricing, rep->price);
    add_ingests(root, s);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (rep->price->example_reserved)
        cJSON_AddItemToArray(notes, cJSON_CreateString(example_note));
    if (series_is_coarse(s))
        cJSON_AddItemToArray(notes, cJSON_CreateString(coarse_note));
    if (rep->scale != 1 || rep->cache_hit_delta != 0)
        cJSON_AddItemToArray(notes, cJSON_CreateString("what-if: demand was changed before "
                                                       "sizing (see what_if)"));
    locale_t prev = cnum_enter();
    *out = cJSON_Print(root);
    cnum_restore(prev);
    cJSON_Delete(root);
    return *out != NULL ? TP_OK : tp_error_set(err, TP_ERR_NOMEM, "out of memory");
}

/* Under a candidate's row when it throttles: what it drops and what that traffic is worth,
 * so that a cheap row is never read as a saving. */
static void rec_throttle_line(strbuf *b, const tp_sim_result *r)
{
    char m[RENDER_NUM_BUF], t[RENDER_NUM_BUF], v[RENDER_NUM_BUF];
    if (r->throttled_minutes == 0)
        return;
    render_count(m, (double)r->throttled_minutes);
    render_count(t, r->throttled_tokens);
    render_usd(v, r->throttled_value_usd);
    sb_printf(b, "  THROTTLES %s minute%s, %s tokens (%s at Standard prices, not served)\n", m,
              r->throttled_minutes == 1 ? "" : "s", t, v);
}

static tp_status rec_text(const tp_rec_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_recommendation *rec = rep->rec;
    const tp_rec_options *o = rep->options;
    strbuf b = {0};
    char from[TP_TIME_BUF], to[TP_TIME_BUF], a[64], c[64], d[64];
    int64_t f = tp_series_from_minute(s);
    sb_printf(&b, "model %s\n", tp_series_model(s));
    count(a, sizeof a, (double)tp_series_minutes(s));
    sb_printf(&b, "window %s .. %s (%s minute%s)\n", tp_time_format(f * 60, from),
              tp_time_format((f + (int64_t)tp_series_minutes(s)) * 60, to), a,
              tp_series_minutes(s) == 1 ? "" : "s");
    sb_printf(&b, "spill %s to %s", tp_spill_model_name(o->spill_model),
              tp_spill_to_name(o->spill_to));
    if (o->quota_tpm > 0) {
        fmt_tpm(a, sizeof a, o->quota_tpm);
        sb_printf(&b, ", quota %s TPM", a);
    }
    sb_printf(&b, "; term %d month%s (reserved price x %g)\n", rec->term_months,
              rec->term_months == 1 ? "" : "s", rec->term_discount);
    if (rep->scale != 1 || rep->cache_hit_delta != 0)
        sb_printf(&b, "what-if: demand x %g, cache-hit share %+g\n", rep->scale,
                  rep->cache_hit_delta);
    sb_printf(&b, "\n%-13s %11s %11s %10s %13s %9s %7s %8s %7s\n", "candidate", "input TPM",
              "output TPM", "per hour", "per month", "savings", "util in", "util out",
              "spill");
    for (size_t k = 0; k < rec->n_candidates; k++) {
        const tp_candidate *x = &rec->candidates[k];
        char mark = k == rec->recommended ? '*' : ' ';
        fmt_tpm(a, sizeof a, x->input_tpm);
        fmt_tpm(c, sizeof c, x->output_tpm);
        sb_printf(&b, "%c%-12s %11s %11s", mark, tp_basis_name(x->basis), a, c);
        usd(a, sizeof a, x->cost_per_hour_usd);
        usd(c, sizeof c, x->cost_per_month_usd);
        pct(d, sizeof d, x->sim.savings_pct);
        sb_printf(&b, " %10s %13s %9s", a, c, d);
        pct(a, sizeof a, 100 * x->sim.utilization_input);
        pct(c, sizeof c, 100 * x->sim.utilization_output);
        pct(d, sizeof d, x->sim.spill_minutes_pct);
        sb_printf(&b, " %7s %8s %7s\n", a, c, d);
        rec_throttle_line(&b, &x->sim);
    }
    const tp_candidate *r = &rec->candidates[rec->recommended];
    fmt_tpm(a, sizeof a, r->input_tpm);
    fmt_tpm(c, sizeof c, r->output_tpm);
    sb_printf(&b, "\nrecommended (*): %s effective input TPM, %s output TPM\n", a, c);
    render_wrapped(&b, "reason: ", rec->reason);
    usd(a, sizeof a, r->cost_per_hour_usd);
    usd(c, sizeof c, r->cost_per_month_usd);
    usd(d, sizeof d, r->cost_per_term_usd);
    sb_printf(&b, "cost: %s/hour, %s/month, %s over the %d-month term\n", a, c, d,
              rec->term_months);
    usd(a, sizeof a, r->savings_per_month_usd);
    pct(c, sizeof c, r->sim.savings_pct);
    sb_printf(&b, "savings vs the tokens served at on-demand Standard: %s/month (%s)\n", a, c);
    pct(a, sizeof a, 100 * rec->break_even_utilization_input);
    pct(c, sizeof c, 100 * rec->break_even_utilization_output);
    sb_printf(&b, "break-even utilization: %s input, %s output\n", a, c);
    prices_text(&b, rep->pricing, rep->price);
    if (rep->price->example_reserved)
        render_wrapped(&b, "note: ", example_note);
    if (series_is_coarse(s))
        render_wrapped(&b, "note: ", coarse_note);
    return sb_finish(&b, out, err);
}

static tp_status rec_csv(const tp_rec_report *rep, char **out, tp_error *err)
{
    const tp_recommendation *rec = rep->rec;
    strbuf b = {0};
    sb_puts(&b, "model,basis,recommended,input_tpm,output_tpm,reserved_usd,spill_usd,total_usd,"
                "baseline_usd,savings_usd,savings_pct,cost_per_hour_usd,cost_per_month_usd,"
                "cost_per_term_usd,utilization_input,utilization_output,spill_minutes,"
                "spill_minutes_pct,throttled_minutes,term_months,throttled_tokens,"
                "throttled_value_usd,served_value_usd\n");
    for (size_t k = 0; k < rec->n_candidates; k++) {
        const tp_candidate *x = &rec->candidates[k];
        const double v[] = {x->input_tpm,          x->output_tpm,
                            x->sim.reserved_usd,   x->sim.spill_usd,
                            x->sim.total_usd,      x->sim.baseline_usd,
                            x->sim.savings_usd,    x->sim.savings_pct,
                            x->cost_per_hour_usd,  x->cost_per_month_usd,
                            x->cost_per_term_usd,  x->sim.utilization_input,
                            x->sim.utilization_output, (double)x->sim.spill_minutes,
                            x->sim.spill_minutes_pct, (double)x->sim.throttled_minutes};
        render_csv_str(&b, tp_series_model(rep->series));
        sb_printf(&b, ",%s,%s", tp_basis_name(x->basis), k == rec->recommended ? "true" : "false");
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
            char num[40] = "";
            if (!isnan(v[i]))
                cnum_format(num, sizeof num, v[i]);
            sb_printf(&b, ",%s", num);
        }
        sb_printf(&b, ",%d", rec->term_months);
        render_csv_num(&b, x->sim.throttled_tokens);
        render_csv_num(&b, x->sim.throttled_value_usd);
        render_csv_num(&b, x->sim.served_value_usd);
        sb_puts(&b, "\n");
    }
    return sb_finish(&b, out, err);
}

tp_status tp_report_rec(const tp_rec_report *rep, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = report_check_rec(rep->rec, err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_JSON: return rec_json(rep, out, err);
    case TP_FORMAT_CSV: return rec_csv(rep, out, err);
    default: return rec_text(rep, out, err);
    }
}

/* ---- seasonal plans and backtests ---- */

static tp_status print_json(cJSON *root, char **out, tp_error *err)
{
    locale_t prev = cnum_enter();
    *out = cJSON_Print(root);
    cnum_restore(prev);
    cJSON_Delete(root);
    return *out != NULL ? TP_OK : tp_error_set(err, TP_ERR_NOMEM, "out of memory");
}

/* "YYYY-MM-DD HH:MM" of a Unix minute: a window can start or end at any minute, so the time
 * of day is part of it (a backtest split at noon must not read as a whole day). */
static void window_bound(char buf[TP_TIME_BUF], int64_t minute)
{
    char iso[TP_TIME_BUF];
    tp_time_format(minute * 60, iso);
    snprintf(buf, TP_TIME_BUF, "%.10s %.5s", iso, iso + 11);
}

/* One text line for a candidate: reservation and costs; 16 + 36 + 11 + 11 + 13 + 8 columns and
 * five separators make 100. */
static void candidate_line(strbuf *b, const char *label, const tp_window *w,
                           const tp_candidate *c)
{
    char from[TP_TIME_BUF], to[TP_TIME_BUF], span[2 * TP_TIME_BUF + 8], a[64], x[64], y[64],
        z[64];
    fmt_tpm(a, sizeof a, c->input_tpm);
    fmt_tpm(x, sizeof x, c->output_tpm);
    usd(y, sizeof y, c->sim.total_usd);
    pct(z, sizeof z, c->sim.savings_pct);
    span[0] = '\0';
    if (w != NULL) {
        window_bound(from, w->from_minute);
        window_bound(to, w->to_minute);
        snprintf(span, sizeof span, "%s .. %s", from, to);
    }
    sb_printf(b, "%-16s %-36s %11s %11s %13s %8s\n", label, span, a, x, y, z);
}

/* The header line of candidate_line's table. */
static void candidate_header(strbuf *b, const char *label)
{
    sb_printf(b, "%-16s %-36s %11s %11s %13s %8s\n", label, "window", "input TPM", "output TPM",
              "total", "savings");
}

/* The opening of a seasonal plan's or a backtest's JSON: what was planned, and under what. */
static cJSON *plan_header_json(const char *model, const tp_rec_options *o)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON_AddStringToObject(root, "model", model);
    cJSON_AddNumberToObject(root, "term_months", tp_rec_term_months(o));
    cJSON_AddStringToObject(root, "spill_model", tp_spill_model_name(o->spill_model));
    cJSON_AddStringToObject(root, "spill_to", tp_spill_to_name(o->spill_to));
    return root;
}

/* "service_level": the bounds tp_rec_run enforces under o (null for none), a quota's or
 * --spill-to none's default of no throttled minute included; with r the achieved values. */
static void add_service_level(cJSON *root, const tp_rec_options *o, const tp_sim_result *r)
{
    const double k_thr = rec_throttle_limit(o);
    if (!o->has_max_spill_minutes_pct && !(k_thr < INFINITY)) {
        cJSON_AddNullToObject(root, "service_level");
        return;
    }
    cJSON *sl = cJSON_AddObjectToObject(root, "service_level");
    add_num_or_null(sl, "max_spill_minutes_pct",
                    o->has_max_spill_minutes_pct ? o->max_spill_minutes_pct : NAN);
    add_num_or_null(sl, "max_throttled_minutes", k_thr < INFINITY ? k_thr : NAN);
    if (r != NULL) {
        cJSON_AddNumberToObject(sl, "spill_minutes_pct", r->spill_minutes_pct);
        cJSON_AddNumberToObject(sl, "throttled_minutes", (double)r->throttled_minutes);
    }
}

/* The service level in words: "at most 2% of minutes spilling", "at most 0 throttled minutes". */
static void service_level_words(char *buf, size_t size, const tp_rec_options *o)
{
    char x[40];
    cnum_format(x, sizeof x, o->max_spill_minutes_pct);
    const double k_thr = rec_throttle_limit(o);
    if (o->has_max_spill_minutes_pct && k_thr < INFINITY)
        snprintf(buf, size, "at most %s%% of minutes spilling and %.0f throttled minutes", x,
                 k_thr);
    else if (o->has_max_spill_minutes_pct)
        snprintf(buf, size, "at most %s%% of minutes spilling", x);
    else
        snprintf(buf, size, "at most %.0f throttled minutes", k_thr);
}

/* Said wherever a quota sets the throttled-minutes bound by default. */
static const char *quota_default_note =
    "with --quota-tpm, --max-throttled-minutes is 0 unless given: no plan may drop traffic the "
    "quota cannot take, in any window, unless you allow it";

static int quota_default(const tp_rec_options *o)
{
    return o->quota_tpm > 0 && !o->has_max_throttled_minutes;
}

static const char *seasonal_sl_note =
    "service level: both plans meet it in every window, the flat reservation too (it is checked "
    "window by window), so the seasonal total is never above the flat one unless a window is "
    "shorter than the term or windows leave gaps";
static const char *seasonal_gap_note =
    "gaps between windows: the seasonal plan reserves nothing there, so their demand is priced "
    "at on-demand Standard; the flat reservation covers them, and both totals cover the same "
    "span";
static const char *seasonal_term_note =
    "a window shorter than the commitment term pays the whole term (term months x 730 hours) "
    "and is sized for that charge; the part beyond the window's own hours is unused commitment, "
    "included in its total and not carried into the next window";

/* "whole_term", "billed_hours" and "unused_commitment_usd" of a plan's window or flat. */
static void add_commitment(cJSON *o, const tp_window *w, int whole_term, double unused_usd,
                           int months)
{
    cJSON_AddBoolToObject(o, "whole_term", whole_term);
    cJSON_AddNumberToObject(o, "billed_hours",
                            whole_term ? months * TP_HOURS_PER_MONTH
                                       : (double)(w->to_minute - w->from_minute) / 60.0);
    cJSON_AddNumberToObject(o, "unused_commitment_usd", unused_usd);
}

static int seasonal_whole_term(const tp_seasonal *s)
{
    int any = s->flat_whole_term;
    for (size_t i = 0; i < s->n; i++)
        any |= s->windows[i].whole_term;
    return any;
}

static tp_status seasonal_json(const char *model, const tp_pricing *pricing,
                               const tp_model_price *price, const tp_rec_options *o,
                               const tp_seasonal *s, char **out, tp_error *err)
{
    const int months = tp_rec_term_months(o);
    cJSON *root = plan_header_json(model, o);
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    add_service_level(root, o, NULL);
    cJSON *ws = cJSON_AddArrayToObject(root, "windows");
    for (size_t i = 0; i < s->n; i++) {
        const tp_window_plan *wp = &s->windows[i];
        cJSON *w = cJSON_CreateObject();
        add_window(w, &wp->window);
        cJSON_AddItemToObject(w, "recommended", candidate_json(&wp->recommended));
        cJSON_AddStringToObject(w, "reason", wp->reason);
        add_commitment(w, &wp->window, wp->whole_term, wp->unused_commitment_usd, months);
        cJSON_AddItemToArray(ws, w);
    }
    cJSON *gs = cJSON_AddArrayToObject(root, "gaps");
    for (size_t i = 0; i < s->n_gaps; i++) {
        cJSON *g = cJSON_CreateObject();
        add_window(g, &s->gaps[i].window);
        cJSON_AddItemToObject(g, "on_demand", candidate_json(&s->gaps[i].on_demand));
        cJSON_AddItemToArray(gs, g);
    }
    cJSON *flat = cJSON_AddObjectToObject(root, "flat");
    add_window(flat, &s->span);
    cJSON_AddItemToObject(flat, "recommended", candidate_json(&s->flat));
    add_commitment(flat, &s->span, s->flat_whole_term, s->flat_unused_commitment_usd, months);
    cJSON_AddNumberToObject(root, "seasonal_total_usd", s->seasonal_total_usd);
    cJSON_AddNumberToObject(root, "flat_total_usd", s->flat_total_usd);
    cJSON_AddNumberToObject(root, "seasonal_savings_usd",
                            s->flat_total_usd - s->seasonal_total_usd);
    cJSON_AddNumberToObject(root, "gap_on_demand_usd", s->gap_total_usd);
    cJSON_AddNumberToObject(root, "unused_commitment_usd", s->unused_commitment_usd);
    add_pricing(root, pricing, price);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (s->service_level)
        cJSON_AddItemToArray(notes, cJSON_CreateString(seasonal_sl_note));
    if (quota_default(o))
        cJSON_AddItemToArray(notes, cJSON_CreateString(quota_default_note));
    if (s->n_gaps > 0)
        cJSON_AddItemToArray(notes, cJSON_CreateString(seasonal_gap_note));
    if (seasonal_whole_term(s))
        cJSON_AddItemToArray(notes, cJSON_CreateString(seasonal_term_note));
    if (price->example_reserved)
        cJSON_AddItemToArray(notes, cJSON_CreateString(example_note));
    return print_json(root, out, err);
}

/* One CSV row of a seasonal plan. */
static void seasonal_csv_row(strbuf *b, const char *model, const char *plan, const tp_window *w,
                             const tp_candidate *c, double unused_usd)
{
    char from[TP_TIME_BUF], to[TP_TIME_BUF];
    render_csv_str(b, model);
    sb_printf(b, ",%s,%s,%s", plan, tp_time_format(w->from_minute * 60, from),
              tp_time_format(w->to_minute * 60, to));
    render_csv_num(b, c->input_tpm);
    render_csv_num(b, c->output_tpm);
    render_csv_num(b, c->sim.total_usd);
    render_csv_num(b, c->sim.savings_pct);
    render_csv_num(b, unused_usd);
    sb_puts(b, "\n");
}

/* The rows in time order: each window, then the gap after it; the flat plan last. */
static tp_status seasonal_csv(const char *model, const tp_seasonal *s, char **out,
                              tp_error *err)
{
    strbuf b = {0};
    size_t g = 0;
    sb_puts(&b, "model,plan,from,to,input_tpm,output_tpm,total_usd,savings_pct,"
                "unused_commitment_usd\n");
    for (size_t i = 0; i < s->n; i++) {
        const tp_window_plan *w = &s->windows[i];
        seasonal_csv_row(&b, model, "window", &w->window, &w->recommended,
                         w->unused_commitment_usd);
        for (; g < s->n_gaps && s->gaps[g].window.from_minute == w->window.to_minute; g++)
            seasonal_csv_row(&b, model, "gap", &s->gaps[g].window, &s->gaps[g].on_demand, 0);
    }
    seasonal_csv_row(&b, model, "flat", &s->span, &s->flat, s->flat_unused_commitment_usd);
    return sb_finish(&b, out, err);
}

/* "window A .. B: shorter than the term, billed N h; $X of it unused" for a whole-term plan. */
static void unused_line(strbuf *b, const char *what, const tp_window *w, double unused_usd,
                        int months)
{
    char from[TP_TIME_BUF], to[TP_TIME_BUF], u[64], line[400];
    window_bound(from, w->from_minute);
    window_bound(to, w->to_minute);
    usd(u, sizeof u, unused_usd);
    snprintf(line, sizeof line,
             "%s %s .. %s is shorter than the %d-month term: billed %.0f hours, %s of it "
             "unused commitment (in its total, not carried into the next window)",
             what, from, to, months, months * TP_HOURS_PER_MONTH, u);
    render_wrapped(b, "", line);
}

static tp_status seasonal_text(const char *model, const tp_model_price *price,
                               const tp_rec_options *o, const tp_seasonal *s, char **out,
                               tp_error *err)
{
    strbuf b = {0};
    char a[64], c[64], sl[160];
    size_t g = 0;
    const int months = tp_rec_term_months(o);
    char head[400];
    /* a long model id must not push the line past 100 columns */
    snprintf(head, sizeof head, "%s: a reservation per window vs one flat reservation (term %d "
             "month%s)", model, months, months > 1 ? "s" : "");
    render_wrapped(&b, "model ", head);
    sb_puts(&b, "\n");
    candidate_header(&b, "plan");
    for (size_t i = 0; i < s->n; i++) {
        candidate_line(&b, "window", &s->windows[i].window, &s->windows[i].recommended);
        for (; g < s->n_gaps && s->gaps[g].window.from_minute == s->windows[i].window.to_minute;
             g++)
            candidate_line(&b, "gap (on-demand)", &s->gaps[g].window, &s->gaps[g].on_demand);
    }
    candidate_line(&b, "flat", &s->span, &s->flat);
    usd(a, sizeof a, s->seasonal_total_usd);
    usd(c, sizeof c, s->flat_total_usd);
    sb_printf(&b, "\nseasonal total %s, flat total %s: ", a, c);
    const double saves = s->flat_total_usd - s->seasonal_total_usd;
    usd(a, sizeof a, fabs(saves));
    sb_printf(&b, saves >= 0 ? "seasonal saves %s\n" : "seasonal costs %s more\n", a);
    if (s->n_gaps > 0) {
        usd(a, sizeof a, s->gap_total_usd);
        sb_printf(&b, "the seasonal total includes %s of gaps at on-demand Standard\n", a);
    }
    /* a window that reserves nothing pays no term */
    for (size_t i = 0; i < s->n; i++)
        if (s->windows[i].whole_term && s->windows[i].recommended.sim.reserved_usd > 0)
            unused_line(&b, "window", &s->windows[i].window,
                        s->windows[i].unused_commitment_usd, months);
    if (s->flat_whole_term && s->flat.sim.reserved_usd > 0)
        unused_line(&b, "the flat span", &s->span, s->flat_unused_commitment_usd, months);
    if (s->service_level) {
        service_level_words(sl, sizeof sl, o);
        char line[240];
        snprintf(line, sizeof line, "%s in every window, for both plans", sl);
        render_wrapped(&b, "service level: ", line);
        render_wrapped(&b, "note: ", seasonal_sl_note);
    }
    if (quota_default(o))
        render_wrapped(&b, "note: ", quota_default_note);
    if (s->n_gaps > 0)
        render_wrapped(&b, "note: ", seasonal_gap_note);
    if (seasonal_whole_term(s))
        render_wrapped(&b, "note: ", seasonal_term_note);
    if (price->example_reserved)
        render_wrapped(&b, "note: ", example_note);
    return sb_finish(&b, out, err);
}

tp_status tp_report_seasonal(const char *model, const tp_pricing *pricing,
                             const tp_model_price *price, const tp_rec_options *o,
                             const tp_seasonal *s, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = report_check_seasonal(s, err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_JSON: return seasonal_json(model, pricing, price, o, s, out, err);
    case TP_FORMAT_CSV: return seasonal_csv(model, s, out, err);
    default: return seasonal_text(model, price, o, s, out, err);
    }
}

/* Why regret is undefined, when it is: what the trained reservation did on the test window
 * against each bound it misses ("" when it meets them). */
static void regret_undefined_reason(char *buf, size_t size, const tp_rec_options *o,
                                    const tp_backtest *bt)
{
    const tp_sim_result *r = &bt->trained_on_test.sim;
    const double k_spill = rec_spill_limit(o, r->minutes), k_thr = rec_throttle_limit(o);
    char a[RENDER_NUM_BUF], b[RENDER_NUM_BUF], c[RENDER_NUM_BUF];
    size_t used = 0;
    buf[0] = '\0';
    if ((double)r->spill_minutes > k_spill) {
        render_count(a, (double)r->spill_minutes);
        render_count(b, (double)r->minutes);
        render_count(c, k_spill);
        used += (size_t)snprintf(buf, size, "it spills in %s of %s test minutes, at most %s "
                                            "allowed", a, b, c);
    }
    if ((double)r->throttled_minutes > k_thr && used < size) {
        render_count(a, (double)r->throttled_minutes);
        render_count(c, k_thr);
        snprintf(buf + used, size - used, "%sit throttles %s minutes, at most %s allowed%s",
                 used > 0 ? "; " : "", a, c,
                 quota_default(o) ? ", the quota's default without --max-throttled-minutes"
                                  : "");
    }
}

/* "the trained reservation misses the service level on the test window (<reason>), ..." */
static void regret_undefined_text(char *buf, size_t size, const tp_rec_options *o,
                                  const tp_backtest *bt)
{
    char why[256];
    regret_undefined_reason(why, sizeof why, o, bt);
    snprintf(buf, size, "the trained reservation misses the service level on the test window "
                        "(%s), while the hindsight plan meets it, so their costs do not compare",
             why);
}

static tp_status backtest_json(const char *model, const tp_pricing *pricing,
                               const tp_model_price *price, const tp_rec_options *o,
                               const tp_backtest *bt, char **out, tp_error *err)
{
    cJSON *root = plan_header_json(model, o);
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    cJSON *train = cJSON_AddObjectToObject(root, "train");
    add_window(train, &bt->train);
    cJSON_AddItemToObject(train, "recommended", candidate_json(&bt->trained));
    cJSON *test = cJSON_AddObjectToObject(root, "test");
    add_window(test, &bt->test);
    cJSON_AddItemToObject(test, "trained_reservation", candidate_json(&bt->trained_on_test));
    cJSON_AddItemToObject(test, "hindsight_optimal", candidate_json(&bt->hindsight));
    cJSON_AddItemToObject(test, "on_demand", candidate_json(&bt->on_demand_test));
    add_service_level(root, o, &bt->trained_on_test.sim);
    cJSON_AddBoolToObject(root, "service_level_met", bt->service_level_met);
    add_num_or_null(root, "regret_usd", bt->regret_usd);
    char why[256], text[512], note[560];
    regret_undefined_reason(why, sizeof why, o, bt);
    if (isnan(bt->regret_usd))
        cJSON_AddStringToObject(root, "regret_undefined_reason", why);
    else
        cJSON_AddNullToObject(root, "regret_undefined_reason");
    add_pricing(root, pricing, price);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (isnan(bt->regret_usd)) {
        regret_undefined_text(text, sizeof text, o, bt);
        snprintf(note, sizeof note, "regret is undefined: %s", text);
        cJSON_AddItemToArray(notes, cJSON_CreateString(note));
    }
    if (quota_default(o))
        cJSON_AddItemToArray(notes, cJSON_CreateString(quota_default_note));
    if (price->example_reserved)
        cJSON_AddItemToArray(notes, cJSON_CreateString(example_note));
    return print_json(root, out, err);
}

static tp_status backtest_csv(const char *model, const tp_backtest *bt, char **out,
                              tp_error *err)
{
    strbuf b = {0};
    const struct {
        const char *name;
        const tp_window *w;
        const tp_candidate *c;
    } rows[] = {{"trained_on_train", &bt->train, &bt->trained},
                {"trained_on_test", &bt->test, &bt->trained_on_test},
                {"hindsight_on_test", &bt->test, &bt->hindsight},
                {"on_demand_on_test", &bt->test, &bt->on_demand_test}};
    sb_puts(&b, "model,row,from,to,input_tpm,output_tpm,total_usd,spill_minutes_pct\n");
    for (size_t i = 0; i < 4; i++) {
        char from[TP_TIME_BUF], to[TP_TIME_BUF];
        render_csv_str(&b, model);
        sb_printf(&b, ",%s,%s,%s", rows[i].name,
                  tp_time_format(rows[i].w->from_minute * 60, from),
                  tp_time_format(rows[i].w->to_minute * 60, to));
        render_csv_num(&b, rows[i].c->input_tpm);
        render_csv_num(&b, rows[i].c->output_tpm);
        render_csv_num(&b, rows[i].c->sim.total_usd);
        render_csv_num(&b, rows[i].c->sim.spill_minutes_pct);
        sb_puts(&b, "\n");
    }
    return sb_finish(&b, out, err);
}

static tp_status backtest_text(const char *model, const tp_model_price *price,
                               const tp_rec_options *o, const tp_backtest *bt, char **out,
                               tp_error *err)
{
    strbuf b = {0};
    char a[64], c[64], sl[160];
    const tp_sim_result *r = &bt->trained_on_test.sim;
    char head[400];
    snprintf(head, sizeof head, "%s: sized on the training window, replayed on the test window",
             model);
    render_wrapped(&b, "model ", head);
    sb_puts(&b, "\n");
    candidate_header(&b, "");
    candidate_line(&b, "trained (train)", &bt->train, &bt->trained);
    candidate_line(&b, "trained (test)", &bt->test, &bt->trained_on_test);
    candidate_line(&b, "hindsight (test)", &bt->test, &bt->hindsight);
    candidate_line(&b, "on-demand (test)", &bt->test, &bt->on_demand_test);
    pct(c, sizeof c, r->spill_minutes_pct);
    if (bt->has_service_level) {
        service_level_words(sl, sizeof sl, o);
        sb_printf(&b, "\nservice level (%s) on the test window: %s\n", sl,
                  bt->service_level_met ? "met" : "NOT met");
        sb_printf(&b, "the trained reservation spilled in %s of test minutes, %zu throttled\n",
                  c, r->throttled_minutes);
    }
    if (isnan(bt->regret_usd)) {
        char why[512], line[560];
        regret_undefined_text(why, sizeof why, o, bt);
        snprintf(line, sizeof line, "undefined: %s", why);
        sb_puts(&b, "\n");
        render_wrapped(&b, "regret: ", line);
    } else if (bt->has_service_level) {
        usd(a, sizeof a, bt->regret_usd);
        sb_printf(&b, "\nregret: %s over the test window (trained minus hindsight)\n", a);
    } else {
        usd(a, sizeof a, bt->regret_usd);
        sb_printf(&b, "\nregret: %s over the test window (trained minus hindsight); the trained "
                      "reservation\nspilled in %s of test minutes\n",
                  a, c);
    }
    if (quota_default(o))
        render_wrapped(&b, "note: ", quota_default_note);
    if (price->example_reserved)
        render_wrapped(&b, "note: ", example_note);
    return sb_finish(&b, out, err);
}

tp_status tp_report_backtest(const char *model, const tp_pricing *pricing,
                             const tp_model_price *price, const tp_rec_options *o,
                             const tp_backtest *bt, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = report_check_backtest(bt, err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_JSON: return backtest_json(model, pricing, price, o, bt, out, err);
    case TP_FORMAT_CSV: return backtest_csv(model, bt, out, err);
    default: return backtest_text(model, price, o, bt, out, err);
    }
}
