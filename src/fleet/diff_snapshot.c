/* diff_snapshot.c - snapshots: a recommend or report JSON output read back, or a fleet's
 * figures taken directly, in one shape that check and diff compare. */
#define _POSIX_C_SOURCE 200809L
#include "base/cnum.h"
#include "tierplan/diff.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/timestamp.h"
#include "base/util.h"

/* Where a parse is: the file name and the JSON path prefix of the model being read. */
typedef struct jctx {
    const char *name;
    char at[64]; /* "$" or "$.models[3].recommendation" */
    tp_error *err;
} jctx;

/* The item at a dotted path under o ("recommended.cost_usd.total"), or NULL. */
static const cJSON *jpath(const cJSON *o, const char *path)
{
    char key[64];
    while (o != NULL && *path != '\0') {
        const size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        o = cJSON_GetObjectItemCaseSensitive(o, key);
        path += n + (path[n] == '.');
    }
    return o;
}

/* A number at path; null reads as NAN when nullable. */
static tp_status jnum(const jctx *c, const cJSON *o, const char *path, int nullable, double *v)
{
    const cJSON *x = jpath(o, path);
    if (cJSON_IsNumber(x)) {
        *v = x->valuedouble;
        return TP_OK;
    }
    if (nullable && cJSON_IsNull(x)) {
        *v = NAN;
        return TP_OK;
    }
    return tp_error_set(c->err, TP_ERR_INVALID, "%s: %s.%s: %s", c->name, c->at, path,
                        x == NULL ? "missing" : nullable ? "not a number or null"
                                                         : "not a number");
}

/* A string at path into buf (at most TP_SNAPSHOT_WORD bytes). */
static tp_status jword(const jctx *c, const cJSON *o, const char *path, char *buf)
{
    const cJSON *x = jpath(o, path);
    if (!cJSON_IsString(x) || strlen(x->valuestring) >= TP_SNAPSHOT_WORD)
        return tp_error_set(c->err, TP_ERR_INVALID, "%s: %s.%s: %s", c->name, c->at, path,
                            x == NULL ? "missing" : "not a short string");
    strcpy(buf, x->valuestring);
    return TP_OK;
}

static void model_unsized(tp_snapshot_model *m)
{
    m->sized = 0;
    m->input_tpm = m->output_tpm = m->cost_per_month_usd = m->savings_per_month_usd = NAN;
    m->utilization_input_pct = m->utilization_output_pct = NAN;
    m->spill_minutes = m->spill_minutes_pct = m->throttled_minutes = NAN;
    m->window_minutes = m->minutes_with_data = m->coverage_pct = NAN;
    m->quota_tpm = NAN;
    m->scale = 1;
    m->units = NAN; /* a Bedrock model's, or one not sized */
    m->output_units = NAN; /* any but a two-pool model's */
}

/* "recommended.flat_region" when there is one: two [lo, hi] ranges of TPM. An output made
 * before the region was reported has none (null or absent): no region, not an error. */
static tp_status parse_flat(const jctx *c, const cJSON *r, tp_snapshot_model *m)
{
    static const char *const keys[2] = {"input_tpm", "output_tpm"};
    const cJSON *fr = jpath(r, "recommended.flat_region");
    m->has_flat = 0;
    if (fr == NULL || cJSON_IsNull(fr))
        return TP_OK;
    for (int k = 0; k < 2; k++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(fr, keys[k]);
        const cJSON *lo = cJSON_GetArrayItem(a, 0), *hi = cJSON_GetArrayItem(a, 1);
        if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 2 || !cJSON_IsNumber(lo) ||
            !cJSON_IsNumber(hi) || !(lo->valuedouble <= hi->valuedouble))
            return tp_error_set(c->err, TP_ERR_INVALID,
                                "%s: %s.recommended.flat_region.%s: not [low, high] TPM",
                                c->name, c->at, keys[k]);
        double *v = k == 0 ? m->flat_input_tpm : m->flat_output_tpm;
        v[0] = lo->valuedouble;
        v[1] = hi->valuedouble;
    }
    m->has_flat = 1;
    return TP_OK;
}

/* One recommendation object (recommend's root, or a report model's "recommendation"). */
static tp_status parse_rec(const jctx *c, const cJSON *r, tp_snapshot_model *m)
{
    double term = 0, ui = NAN, uo = NAN;
    tp_status rc = TP_OK;
    m->sized = 1;
    if ((rc = jword(c, r, "window.from", m->window_from)) != TP_OK ||
        (rc = jword(c, r, "window.to", m->window_to)) != TP_OK ||
        (rc = jnum(c, r, "window.minutes", 0, &m->window_minutes)) != TP_OK ||
        (rc = jnum(c, r, "window.minutes_with_data", 0, &m->minutes_with_data)) != TP_OK ||
        (rc = jword(c, r, "spill_to", m->spill_to)) != TP_OK ||
        (rc = jword(c, r, "spill_model", m->spill_model)) != TP_OK ||
        (rc = jnum(c, r, "quota_tpm", 1, &m->quota_tpm)) != TP_OK ||
        (rc = jnum(c, r, "term.months", 0, &term)) != TP_OK ||
        (rc = jnum(c, r, "what_if.scale", 0, &m->scale)) != TP_OK ||
        (rc = jnum(c, r, "what_if.cache_hit_delta", 0, &m->cache_hit_delta)) != TP_OK ||
        (rc = jnum(c, r, "recommended.reservation.input_tpm", 0, &m->input_tpm)) != TP_OK ||
        (rc = jnum(c, r, "recommended.reservation.output_tpm", 0, &m->output_tpm)) != TP_OK ||
        (rc = jnum(c, r, "recommended.cost_per_month_usd", 0, &m->cost_per_month_usd)) !=
            TP_OK ||
        (rc = jnum(c, r, "recommended.savings_per_month_usd", 0, &m->savings_per_month_usd)) !=
            TP_OK ||
        (rc = jnum(c, r, "recommended.utilization.input", 1, &ui)) != TP_OK ||
        (rc = jnum(c, r, "recommended.utilization.output", 1, &uo)) != TP_OK ||
        (rc = jnum(c, r, "recommended.spill.minutes", 0, &m->spill_minutes)) != TP_OK ||
        (rc = jnum(c, r, "recommended.spill.minutes_pct", 0, &m->spill_minutes_pct)) != TP_OK ||
        (rc = jnum(c, r, "recommended.throttled.minutes", 0, &m->throttled_minutes)) != TP_OK ||
        (rc = parse_flat(c, r, m)) != TP_OK)
        return rc;
    /* read into an int: out of int's range the conversion is undefined, and the catalog's
     * terms are whole months from 1 to 120 (docs/pricing.md) */
    if (!(term >= 1 && term <= 120 && term == floor(term))) {
        char num[40];
        cnum_format(num, sizeof num, term);
        return tp_error_set(c->err, TP_ERR_INVALID,
                            "%s: %s.term.months: %s is not a whole number of months from 1 to "
                            "120",
                            c->name, c->at, num);
    }
    const cJSON *cand;
    cJSON_ArrayForEach(cand, jpath(r, "candidates"))
    {
        const cJSON *basis = jpath(cand, "basis");
        m->service_level |= cJSON_IsString(basis) && strcmp(basis->valuestring, "slo") == 0;
    }
    m->coverage_pct = NAN; /* a recommend output has none; a report's is beside it */
    m->term_months = (int)term;
    m->utilization_input_pct = 100 * ui;
    m->utilization_output_pct = 100 * uo;
    return TP_OK;
}

/* A report model sized in units (its "units_plan"; the window is its stats'). */
static tp_status parse_units(const jctx *c, const cJSON *root, const cJSON *x,
                             tp_snapshot_model *m)
{
    const cJSON *u = jpath(x, "units_plan");
    double od = 0, served = 0;
    tp_status rc;
    m->sized = 1;
    if ((rc = jword(c, x, "stats.window.from", m->window_from)) != TP_OK ||
        (rc = jword(c, x, "stats.window.to", m->window_to)) != TP_OK ||
        (rc = jnum(c, x, "stats.window.minutes", 0, &m->window_minutes)) != TP_OK ||
        (rc = jnum(c, x, "stats.window.minutes_with_data", 0, &m->minutes_with_data)) !=
            TP_OK ||
        (rc = jword(c, u, "term", m->units_term)) != TP_OK ||
        (rc = jnum(c, u, "units", 0, &m->units)) != TP_OK ||
        (rc = jnum(c, u, "total_per_month_usd", 0, &m->cost_per_month_usd)) != TP_OK ||
        (rc = jnum(c, u, "on_demand_per_month_usd", 0, &od)) != TP_OK ||
        (rc = jnum(c, u, "minutes_over", 0, &m->spill_minutes)) != TP_OK ||
        (rc = jnum(c, u, "served_pct", 0, &served)) != TP_OK)
        return rc;
    /* two pools: the output units beside the input units (absent: one pool) */
    if (cJSON_IsObject(jpath(u, "pools")) &&
        (rc = jnum(c, u, "pools.output_units", 0, &m->output_units)) != TP_OK)
        return rc;
    const cJSON *ov = jpath(u, "overflow");
    const int throttle = cJSON_IsString(ov) && strcmp(ov->valuestring, "throttle") == 0;
    m->savings_per_month_usd = od - m->cost_per_month_usd;
    m->spill_minutes_pct =
        m->window_minutes > 0 ? 100 * m->spill_minutes / m->window_minutes : 0;
    m->throttled_minutes = throttle ? m->spill_minutes : 0;
    if (throttle)
        m->spill_minutes = m->spill_minutes_pct = 0;
    m->input_tpm = m->output_tpm = 0;
    m->utilization_input_pct = m->utilization_output_pct = NAN;
    m->quota_tpm = NAN;
    m->scale = 1;
    const cJSON *sc = jpath(root, "options.what_if.scale");
    if (cJSON_IsNumber(sc))
        m->scale = sc->valuedouble;
    const cJSON *cov = jpath(x, "coverage_pct");
    m->coverage_pct = cJSON_IsNumber(cov) ? cov->valuedouble : NAN;
    return TP_OK;
}

static tp_status add_model(tp_snapshot *s, const char *model, tp_snapshot_model **out,
                           tp_error *err)
{
    tp_snapshot_model *v = realloc(s->models, (s->n + 1) * sizeof *v);
    if (v == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    s->models = v;
    *out = &v[s->n];
    memset(*out, 0, sizeof **out);
    model_unsized(*out);
    if (((*out)->model = strdup(model)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    s->n++;
    return TP_OK;
}

/* The options block of a report: service levels and tiers (each model's own are in its
 * recommendation). */
static tp_status parse_report_options(jctx *c, const cJSON *root, tp_snapshot *s)
{
    tp_status rc;
    const cJSON *tiers = jpath(root, "options.tiers");
    if ((rc = jnum(c, root, "options.max_spill_minutes_pct", 1, &s->max_spill_minutes_pct)) !=
            TP_OK ||
        (rc = jnum(c, root, "options.max_throttled_minutes", 1, &s->max_throttled_minutes)) !=
            TP_OK)
        return rc;
    if (!cJSON_IsArray(tiers))
        return tp_error_set(c->err, TP_ERR_INVALID, "%s: $.options.tiers: not an array",
                            c->name);
    const cJSON *t;
    cJSON_ArrayForEach(t, tiers)
    {
        if (!cJSON_IsString(t) || strlen(s->tiers) + strlen(t->valuestring) + 2 > sizeof s->tiers)
            return tp_error_set(c->err, TP_ERR_INVALID, "%s: $.options.tiers: not short strings",
                                c->name);
        if (s->tiers[0] != '\0')
            strcat(s->tiers, ",");
        strcat(s->tiers, t->valuestring);
    }
    return TP_OK;
}

/* The entry's "region" and "account": null (docs/formats.md's unknown) or absent (outputs
 * from before regions) is the unknown place, "". */
static tp_status parse_place(jctx *c, const cJSON *x, tp_snapshot_model *m)
{
    static const char *const keys[2] = {"region", "account"};
    char *const dst[2] = {m->region, m->account};
    for (int k = 0; k < 2; k++) {
        const cJSON *v = jpath(x, keys[k]);
        if (v == NULL || cJSON_IsNull(v))
            continue;
        if (!cJSON_IsString(v) || strlen(v->valuestring) >= TP_SNAPSHOT_WORD)
            return tp_error_set(c->err, TP_ERR_INVALID, "%s: %s.%s: not a short string or null",
                                c->name, c->at, keys[k]);
        snprintf(dst[k], TP_SNAPSHOT_WORD, "%s", v->valuestring);
    }
    return TP_OK;
}

static tp_status parse_report(jctx *c, const cJSON *root, tp_snapshot *s)
{
    const cJSON *models = jpath(root, "models"), *x;
    tp_status rc = parse_report_options(c, root, s);
    size_t i = 0;
    s->from_report = 1;
    if (rc != TP_OK)
        return rc;
    cJSON_ArrayForEach(x, models)
    {
        const cJSON *id = jpath(x, "model"), *rec = jpath(x, "recommendation");
        tp_snapshot_model *m = NULL;
        snprintf(c->at, sizeof c->at, "$.models[%zu]", i++);
        if (!cJSON_IsString(id))
            return tp_error_set(c->err, TP_ERR_INVALID, "%s: %s.model: missing or not a string",
                                c->name, c->at);
        if ((rc = add_model(s, id->valuestring, &m, c->err)) != TP_OK ||
            (rc = parse_place(c, x, m)) != TP_OK)
            return rc;
        if (cJSON_IsNull(rec) && cJSON_IsObject(jpath(x, "units_plan"))) {
            if ((rc = parse_units(c, root, x, m)) != TP_OK)
                return rc;
            continue; /* a model sized in units */
        }
        if (cJSON_IsNull(rec))
            continue; /* a model without data in the window */
        snprintf(c->at, sizeof c->at, "$.models[%zu].recommendation", i - 1);
        if ((rc = parse_rec(c, rec, m)) != TP_OK)
            return rc;
        /* a report made before coverage was recorded has none: unknown, not 0% */
        const cJSON *cov = jpath(x, "coverage_pct");
        m->coverage_pct = cJSON_IsNumber(cov) ? cov->valuedouble : NAN;
    }
    return TP_OK;
}

/* What another tierplan JSON output is, by the keys only it has, for the message that says
 * it is not a recommend or report output. */
static const char *looks_like(const cJSON *root)
{
    const cJSON *first = cJSON_GetArrayItem(jpath(root, "models"), 0);
    if (!cJSON_IsObject(root))
        return "it is not a JSON object";
    if (jpath(root, "options.months") != NULL && jpath(root, "months") != NULL)
        return "it looks like a `tierplan project` output";
    if (jpath(root, "checks") != NULL && jpath(root, "verdict") != NULL)
        return "it looks like a `tierplan check` output";
    if (jpath(root, "models_by_status") != NULL)
        return "it looks like a `tierplan diff` output";
    if (jpath(root, "files") != NULL && jpath(root, "stored") != NULL)
        return "it looks like an `ingest --format json` summary";
    if (cJSON_IsArray(jpath(root, "series")))
        return "it looks like a `tierplan series` output";
    if (jpath(first, "resolution") != NULL || jpath(first, "series_used") != NULL)
        return "it looks like a `tierplan stats` output";
    if (jpath(root, "lines") != NULL && jpath(root, "spread_idle") != NULL)
        return "it looks like a `tierplan showback` output";
    return "it lacks their keys: `models` and `options`, or `model` and `recommended`";
}

static tp_status parse_root(jctx *c, const cJSON *root, tp_snapshot *s)
{
    tp_status rc;
    const cJSON *model = jpath(root, "model");
    snprintf(c->at, sizeof c->at, "$");
    /* the kind first: a path missing from another kind of output would not say what is wrong */
    const int report = cJSON_IsObject(root) && cJSON_IsArray(jpath(root, "models")) &&
                       cJSON_IsObject(jpath(root, "options")) &&
                       jpath(root, "options.max_spill_minutes_pct") != NULL;
    const int rec = cJSON_IsObject(root) && cJSON_IsString(model) &&
                    cJSON_IsObject(jpath(root, "recommended"));
    if (!report && !rec)
        return tp_error_set(c->err, TP_ERR_INVALID,
                            "%s: not a tierplan recommend or report JSON output (%s)",
                            c->name, looks_like(root));
    if ((rc = jword(c, root, "pricing.sha256", s->pricing_sha256)) != TP_OK)
        return rc;
    if (report)
        return parse_report(c, root, s);
    /* recommend's plan in units has no Bedrock fields: its report reads back (parse_units) */
    const cJSON *prov = jpath(root, "provider");
    if (cJSON_IsString(prov) && strcmp(prov->valuestring, "bedrock") != 0)
        return tp_error_set(c->err, TP_ERR_INVALID,
                            "%s: a recommend output of a model sold in units (%s): diff and "
                            "check read a model sold in units from report JSON (tierplan "
                            "report --model %s --format json)",
                            c->name, prov->valuestring, model->valuestring);
    tp_snapshot_model *m = NULL;
    if ((rc = add_model(s, model->valuestring, &m, c->err)) != TP_OK ||
        (rc = parse_place(c, root, m)) != TP_OK)
        return rc;
    return parse_rec(c, root, m);
}

tp_status tp_snapshot_parse(const char *name, const char *json, size_t len, tp_snapshot **out,
                            tp_error *err)
{
    tp_snapshot *s = NULL;
    cJSON *root = NULL;
    tp_status rc;
    jctx c = {name, "$", err};
    *out = NULL;
    if (len > TP_SNAPSHOT_MAX_BYTES) {
        rc = tp_error_set(err, TP_ERR_TOO_BIG, "%s: larger than %d bytes", name,
                          TP_SNAPSHOT_MAX_BYTES);
        goto cleanup;
    }
    if ((s = calloc(1, sizeof *s)) == NULL || (s->source = strdup(name)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    s->max_spill_minutes_pct = s->max_throttled_minutes = NAN;
    int oom;
    if ((root = cnum_json_parse(json, len, NULL, 0, &oom)) == NULL) {
        rc = oom ? tp_error_set(err, TP_ERR_NOMEM, "out of memory")
                             : tp_error_set(err, TP_ERR_PARSE, "%s: not valid JSON", name);
        goto cleanup;
    }
    if ((rc = parse_root(&c, root, s)) == TP_OK) {
        *out = s;
        s = NULL;
    }
cleanup:
    cJSON_Delete(root);
    tp_snapshot_free(s);
    return rc;
}

tp_status tp_snapshot_load(const char *path, tp_snapshot **out, tp_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    tp_status rc = util_read_capped(path, TP_SNAPSHOT_MAX_BYTES, "a JSON output of tierplan", &buf, &len, err);
    if (rc == TP_OK)
        rc = tp_snapshot_parse(path, buf, len, out, err);
    free(buf);
    return rc;
}

/* A fleet model sized in units as its report JSON would read back (parse_units). */
static void from_fleet_units(const tp_fleet *f, const tp_fleet_model *fm, tp_snapshot_model *m)
{
    const tp_units_result *r = &fm->units_rec;
    const int throttle = fm->price.unit.throttle;
    m->units = (double)r->units;
    if (r->pools)
        m->output_units = (double)r->output_units;
    snprintf(m->units_term, sizeof m->units_term, "%s",
             tp_pricing_unit_term_name(fm->units_plan.recommended_term));
    m->cost_per_month_usd = fm->rec_total_per_month_usd;
    m->savings_per_month_usd = fm->rec_on_demand_per_month_usd - fm->rec_total_per_month_usd;
    const double pct =
        m->window_minutes > 0 ? 100 * (double)r->minutes_over / m->window_minutes : 0;
    m->spill_minutes = throttle ? 0 : (double)r->minutes_over;
    m->spill_minutes_pct = throttle ? 0 : pct;
    m->throttled_minutes = throttle ? (double)r->minutes_over : 0;
    m->input_tpm = m->output_tpm = 0;
    m->utilization_input_pct = m->utilization_output_pct = NAN;
    m->quota_tpm = NAN;
    m->term_months = 0;
    m->spill_to[0] = m->spill_model[0] = '\0';
    m->cache_hit_delta = 0;
    m->scale = f->options.scale > 0 ? f->options.scale : 1;
}

/* One sized fleet model as its report JSON would read back. */
static void from_fleet_model(const tp_fleet *f, const tp_fleet_model *fm, tp_snapshot_model *m)
{
    const tp_candidate *c = &fm->rec.candidates[fm->rec.recommended];
    const tp_series *s = fm->stats->series;
    const int64_t from = tp_series_from_minute(s);
    char buf[TP_TIME_BUF];
    m->sized = 1;
    snprintf(m->window_from, sizeof m->window_from, "%s", tp_timestamp_format(from * 60, buf));
    snprintf(m->window_to, sizeof m->window_to, "%s",
             tp_timestamp_format((from + (int64_t)tp_series_minutes(s)) * 60, buf));
    m->window_minutes = (double)tp_series_minutes(s);
    m->minutes_with_data = (double)tp_series_minutes_with_data(s);
    m->coverage_pct = fm->coverage_pct;
    snprintf(m->spill_to, sizeof m->spill_to, "%s",
             tp_simulate_spill_to_name(fm->rec_options.spill_to));
    snprintf(m->spill_model, sizeof m->spill_model, "%s",
             tp_simulate_spill_model_name(fm->rec_options.spill_model));
    m->quota_tpm = fm->rec_options.quota_tpm > 0 ? fm->rec_options.quota_tpm : NAN;
    m->term_months = fm->rec.term_months;
    m->scale = f->options.scale > 0 ? f->options.scale : 1;
    m->cache_hit_delta = f->options.cache_hit_delta;
    m->input_tpm = c->input_tpm;
    m->output_tpm = c->output_tpm;
    m->cost_per_month_usd = c->cost_per_month_usd;
    m->savings_per_month_usd = c->savings_per_month_usd;
    m->utilization_input_pct = 100 * c->sim.utilization_input;
    m->utilization_output_pct = 100 * c->sim.utilization_output;
    m->spill_minutes = (double)c->sim.spill_minutes;
    m->spill_minutes_pct = c->sim.spill_minutes_pct;
    m->throttled_minutes = (double)c->sim.throttled_minutes;
    if (fm->in_units) {
        from_fleet_units(f, fm, m);
        return;
    }
    m->has_flat = fm->rec.has_flat_region;
    memcpy(m->flat_input_tpm, fm->rec.flat_input_tpm, sizeof m->flat_input_tpm);
    memcpy(m->flat_output_tpm, fm->rec.flat_output_tpm, sizeof m->flat_output_tpm);
    for (size_t k = 0; k < fm->rec.n_candidates; k++)
        m->service_level |= fm->rec.candidates[k].basis == TP_BASIS_SLO;
}

tp_status tp_snapshot_from_fleet(const tp_fleet *f, tp_snapshot **out, tp_error *err)
{
    const tp_fleet_options *o = &f->options;
    tp_snapshot *s = calloc(1, sizeof *s);
    tp_status rc = TP_OK;
    *out = NULL;
    if (s == NULL || (s->source = strdup("this run")) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    s->from_report = 1;
    snprintf(s->pricing_sha256, sizeof s->pricing_sha256, "%s", tp_pricing_sha256(o->pricing));
    s->max_spill_minutes_pct = o->rec.has_max_spill_minutes_pct ? o->rec.max_spill_minutes_pct
                                                                : NAN;
    s->max_throttled_minutes =
        o->rec.has_max_throttled_minutes ? (double)o->rec.max_throttled_minutes : NAN;
    for (size_t i = 0; i < o->n_tiers; i++)
        snprintf(s->tiers + strlen(s->tiers), sizeof s->tiers - strlen(s->tiers), "%s%s",
                 i > 0 ? "," : "", o->tiers[i]);
    for (size_t i = 0; i < f->n; i++) {
        tp_snapshot_model *m = NULL;
        if ((rc = add_model(s, f->models[i].model, &m, err)) != TP_OK)
            goto cleanup;
        snprintf(m->region, sizeof m->region, "%s",
                 f->models[i].region != NULL ? f->models[i].region : "");
        snprintf(m->account, sizeof m->account, "%s",
                 f->models[i].account != NULL ? f->models[i].account : "");
        if (f->models[i].status == TP_FLEET_OK)
            from_fleet_model(f, &f->models[i], m);
    }
    *out = s;
    s = NULL;
cleanup:
    tp_snapshot_free(s);
    return rc;
}

void tp_snapshot_free(tp_snapshot *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->models[i].model);
    free(s->models);
    free(s->source);
    free(s);
}

void tp_snapshot_filter(tp_snapshot *s, const char *region, const char *account)
{
    size_t kept = 0;
    for (size_t i = 0; s != NULL && i < s->n; i++) {
        tp_snapshot_model *m = &s->models[i];
        if ((region != NULL && strcmp(m->region, region) != 0) ||
            (account != NULL && strcmp(m->account, account) != 0)) {
            free(m->model);
            continue;
        }
        s->models[kept++] = *m; /* kept <= i: moves an entry down, never over a kept one */
    }
    if (s != NULL)
        s->n = kept;
}

const tp_snapshot_model *tp_snapshot_find(const tp_snapshot *s, const char *model)
{
    return tp_snapshot_find_at(s, model, "", "");
}

const tp_snapshot_model *tp_snapshot_find_at(const tp_snapshot *s, const char *model,
                                             const char *region, const char *account)
{
    for (size_t i = 0; s != NULL && i < s->n; i++)
        if (strcmp(s->models[i].model, model) == 0 &&
            strcmp(s->models[i].region, region != NULL ? region : "") == 0 &&
            strcmp(s->models[i].account, account != NULL ? account : "") == 0)
            return &s->models[i];
    return NULL;
}

/* Two optional figures alike: both NAN (unset) or equal. */
static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

int tp_snapshot_comparable(const tp_snapshot *old_s, const tp_snapshot_model *old_m,
                           const tp_snapshot *new_s, const tp_snapshot_model *new_m, char *why,
                           size_t size)
{
    why[0] = '\0';
    if (strcmp(old_s->pricing_sha256, new_s->pricing_sha256) != 0)
        snprintf(why, size, "a different price catalog (sha256 %.12s... then, %.12s... now)",
                 old_s->pricing_sha256, new_s->pricing_sha256);
    else if (old_m->sized && new_m->sized && isnan(old_m->units) != isnan(new_m->units))
        snprintf(why, size, "the model sized %s then, %s now",
                 isnan(old_m->units) ? "as Bedrock" : "in units",
                 isnan(new_m->units) ? "as Bedrock" : "in units");
    else if (old_m->sized && new_m->sized && old_m->term_months != new_m->term_months)
        snprintf(why, size, "a different term (%d month%s then, %d now)", old_m->term_months,
                 old_m->term_months == 1 ? "" : "s", new_m->term_months);
    else if (old_m->sized && new_m->sized &&
             (strcmp(old_m->spill_to, new_m->spill_to) != 0 ||
              strcmp(old_m->spill_model, new_m->spill_model) != 0 ||
              !same(old_m->quota_tpm, new_m->quota_tpm)))
        snprintf(why, size, "different spill options (%s %s then, %s %s now, or the quota)",
                 old_m->spill_model, old_m->spill_to, new_m->spill_model, new_m->spill_to);
    else if (old_m->sized && new_m->sized &&
             (old_m->scale != new_m->scale || old_m->cache_hit_delta != new_m->cache_hit_delta))
        snprintf(why, size, "a different what-if (scale %g then, %g now)", old_m->scale,
                 new_m->scale);
    else if (old_m->sized && new_m->sized && old_m->service_level != new_m->service_level)
        snprintf(why, size, "a service level %s, none %s",
                 old_m->service_level ? "then" : "now", old_m->service_level ? "now" : "then");
    else if (old_s->from_report && new_s->from_report &&
             (!same(old_s->max_spill_minutes_pct, new_s->max_spill_minutes_pct) ||
              !same(old_s->max_throttled_minutes, new_s->max_throttled_minutes)))
        snprintf(why, size, "%s", "a different service level (--max-spill-minutes-pct or "
                                  "--max-throttled-minutes)");
    else if (old_s->from_report && new_s->from_report && strcmp(old_s->tiers, new_s->tiers) != 0)
        snprintf(why, size, "different tiers (\"%s\" then, \"%s\" now)", old_s->tiers,
                 new_s->tiers);
    return why[0] == '\0';
}
