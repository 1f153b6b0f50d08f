/* plan_file.c - the plan file (plan.h): per-model recommend options and reservations already
 * held, read by the fleet report, check and project. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "tierplan/plan.h"
#include "tierplan/store.h"
#include "base/util.h"

/* One model's object, kept by name and place (region and account NULL where not given). */
typedef struct plan_model {
    char *model;
    char *region, *account;
    tp_plan_entry e;
} plan_model;

struct tp_plan_file {
    tp_plan_entry def;
    plan_model *models;
    size_t n;
};

/* A number within [lo, hi] (whole when `whole`), or TP_ERR_INVALID naming the key. */
static tp_status number_at(const char *name, const char *path, const cJSON *v, double lo,
                           double hi, int whole, double *out, tp_error *err)
{
    if (!cJSON_IsNumber(v))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: not a number", name, path,
                            v->string);
    const double x = v->valuedouble;
    if (!isfinite(x) || x < lo || x > hi || (whole && x != floor(x)))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: %g is not %s from %g to %g", name,
                            path, v->string, x, whole ? "a whole number" : "a number", lo, hi);
    *out = x;
    return TP_OK;
}

/* Refuses an object that names a member twice, as the price catalog does (pricing.c): cJSON
 * keeps both, and which one a reader would use is a guess. path is obj's JSON path; the message
 * names the member's. */
static tp_status unique_members(const char *name, const char *path, const cJSON *obj,
                                tp_error *err)
{
    int oom;
    const cJSON *dup = cnum_json_duplicate(obj, &oom);
    if (oom)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (dup == NULL)
        return TP_OK;
    if (strcmp(path, "$.models") == 0)
        return tp_error_set(err, TP_ERR_INVALID, "%s: $.models[\"%.256s\"]: given twice",
                            name, dup->string);
    return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%.256s: given twice", name, path,
                        dup->string);
}

/* A model entry's "region" or "account": the place whose held reservation it gives. */
static tp_status place_at(const char *name, const char *path, const cJSON *v, plan_model *pm,
                          tp_error *err)
{
    const int region = strcmp(v->string, "region") == 0;
    const char *s = cJSON_GetStringValue(v);
    if (s == NULL)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: not a string", name, path,
                            v->string);
    if (!(region ? tp_store_region_valid(s) : tp_store_account_valid(s)) &&
        strcmp(s, "unknown") != 0)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: \"%.64s\" is not %s or unknown",
                            name, path, v->string, s,
                            region ? "a region name (us-east-1)"
                                   : "an AWS account id (12 digits)");
    char *copy = strdup(strcmp(s, "unknown") == 0 ? "" : s);
    if (copy == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    free(region ? pm->region : pm->account);
    *(region ? &pm->region : &pm->account) = copy;
    return TP_OK;
}

/* One object of the plan file ("default" or a model's) into *e. */
static tp_status parse_entry(const char *name, const char *path, const cJSON *obj,
                             tp_plan_entry *e, plan_model *place, tp_error *err)
{
    memset(e, 0, sizeof *e);
    if (!cJSON_IsObject(obj))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: not an object", name, path);
    tp_status urc = unique_members(name, path, obj, err);
    if (urc != TP_OK)
        return urc;
    for (const cJSON *v = obj->child; v != NULL; v = v->next) {
        tp_status rc;
        double x = 0;
        const char *k = v->string;
        if (strcmp(k, "term_months") == 0) {
            rc = number_at(name, path, v, 1, 120, 1, &x, err);
            e->has_term_months = 1;
            e->term_months = (int)x;
        } else if (strcmp(k, "max_spill_minutes_pct") == 0) {
            rc = number_at(name, path, v, 0, 100, 0, &e->max_spill_minutes_pct, err);
            e->has_max_spill_minutes_pct = 1;
        } else if (strcmp(k, "max_throttled_minutes") == 0) {
            rc = number_at(name, path, v, 0, 1e15, 1, &x, err);
            e->has_max_throttled_minutes = 1;
            e->max_throttled_minutes = (long)x;
        } else if (strcmp(k, "reserve_input_tpm") == 0) {
            rc = number_at(name, path, v, 0, 1e15, 0, &e->reserve_input_tpm, err);
            e->has_reserve_input_tpm = 1;
        } else if (strcmp(k, "reserve_output_tpm") == 0) {
            rc = number_at(name, path, v, 0, 1e15, 0, &e->reserve_output_tpm, err);
            e->has_reserve_output_tpm = 1;
        } else if (strcmp(k, "growth_pct_per_month") == 0) {
            rc = number_at(name, path, v, -99.999999, 1000, 0, &e->growth_pct_per_month, err);
            e->has_growth_pct_per_month = 1;
        } else if (place != NULL &&
                   (strcmp(k, "region") == 0 || strcmp(k, "account") == 0)) {
            rc = place_at(name, path, v, place, err);
        } else {
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "%s: %s: unknown key \"%s\" (known: term_months, "
                              "max_spill_minutes_pct, max_throttled_minutes, reserve_input_tpm, "
                              "reserve_output_tpm, growth_pct_per_month%s)",
                              name, path, k, place != NULL ? ", region, account" : "");
        }
        if (rc != TP_OK)
            return rc;
    }
    return TP_OK;
}

/* Whether a and b (NULL: not given, read as unknown) name the same place part. */
static int same_part(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* One entry of model m (the object at path) into p, refusing a place given twice. */
static tp_status parse_one(const char *name, const char *path, const char *model,
                           const cJSON *obj, tp_plan_file *p, tp_error *err)
{
    plan_model *pm = &p->models[p->n];
    if ((pm->model = strdup(model)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    p->n++;
    tp_status rc = parse_entry(name, path, obj, &pm->e, pm, err);
    for (size_t i = 0; rc == TP_OK && i + 1 < p->n; i++)
        if (strcmp(p->models[i].model, model) == 0 &&
            same_part(p->models[i].region, pm->region) &&
            same_part(p->models[i].account, pm->account))
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "%s: %s: region %s, account %s given twice for this model", name,
                              path, tp_store_place_name(pm->region),
                              tp_store_place_name(pm->account));
    return rc;
}

/* The "models" object: per model id an object, or an array of objects (one per place). */
static tp_status parse_models(const char *name, const cJSON *models, tp_plan_file *p,
                              tp_error *err)
{
    if (!cJSON_IsObject(models))
        return tp_error_set(err, TP_ERR_INVALID, "%s: $.models: not an object", name);
    tp_status urc = unique_members(name, "$.models", models, err);
    if (urc != TP_OK)
        return urc;
    size_t n = 0;
    for (const cJSON *m = models->child; m != NULL; m = m->next)
        n += cJSON_IsArray(m) ? (size_t)cJSON_GetArraySize(m) : 1;
    if (n == 0)
        return TP_OK;
    if ((p->models = calloc(n, sizeof *p->models)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (const cJSON *m = models->child; m != NULL; m = m->next) {
        char path[340];
        tp_status rc = TP_OK;
        if (!cJSON_IsArray(m)) {
            snprintf(path, sizeof path, "$.models[\"%.256s\"]", m->string);
            rc = parse_one(name, path, m->string, m, p, err);
        }
        int k = 0;
        for (const cJSON *e = cJSON_IsArray(m) ? m->child : NULL; e != NULL && rc == TP_OK;
             e = e->next, k++) {
            snprintf(path, sizeof path, "$.models[\"%.256s\"][%d]", m->string, k);
            rc = parse_one(name, path, m->string, e, p, err);
        }
        if (rc != TP_OK)
            return rc;
    }
    return TP_OK;
}

tp_status tp_plan_file_parse(const char *name, const char *json, size_t len, tp_plan_file **out,
                             tp_error *err)
{
    tp_status rc = TP_OK;
    tp_plan_file *p = NULL;
    cJSON *root = NULL;
    *out = NULL;
    if (len > TP_PLAN_FILE_MAX_BYTES) {
        rc = tp_error_set(err, TP_ERR_TOO_BIG, "%s: over %d bytes", name, TP_PLAN_FILE_MAX_BYTES);
        goto cleanup;
    }
    int oom;
    if ((root = cnum_json_parse(json, len, NULL, 0, &oom)) == NULL) {
        rc = oom ? tp_error_set(err, TP_ERR_NOMEM, "out of memory")
                             : tp_error_set(err, TP_ERR_PARSE, "%s: not valid JSON", name);
        goto cleanup;
    }
    if (!cJSON_IsObject(root)) {
        rc = tp_error_set(err, TP_ERR_INVALID, "%s: $: not an object", name);
        goto cleanup;
    }
    /* "models" twice would read a second list over the first */
    if ((rc = unique_members(name, "$", root, err)) != TP_OK)
        goto cleanup;
    if ((p = calloc(1, sizeof *p)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (const cJSON *v = root->child; v != NULL && rc == TP_OK; v = v->next) {
        if (strcmp(v->string, "default") == 0)
            rc = parse_entry(name, "$.default", v, &p->def, NULL, err);
        else if (strcmp(v->string, "models") == 0)
            rc = parse_models(name, v, p, err);
        else
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "%s: $: unknown key \"%s\" (known: models, default)", name,
                              v->string);
    }
    if (rc == TP_OK) {
        *out = p;
        p = NULL;
    }
cleanup:
    tp_plan_file_free(p);
    cJSON_Delete(root);
    return rc;
}

tp_status tp_plan_file_load(const char *path, tp_plan_file **out, tp_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    tp_status rc = util_read_capped(path, TP_PLAN_FILE_MAX_BYTES, "a plan file", &buf, &len, err);
    if (rc == TP_OK)
        rc = tp_plan_file_parse(path, buf, len, out, err);
    free(buf);
    return rc;
}

void tp_plan_file_free(tp_plan_file *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->models[i].model);
        free(p->models[i].region);
        free(p->models[i].account);
    }
    free(p->models);
    free(p);
}

/* Each key of m that is set wins over d's. */
static tp_plan_entry merge(tp_plan_entry d, const tp_plan_entry *m)
{
    if (m->has_term_months) {
        d.has_term_months = 1;
        d.term_months = m->term_months;
    }
    if (m->has_max_spill_minutes_pct) {
        d.has_max_spill_minutes_pct = 1;
        d.max_spill_minutes_pct = m->max_spill_minutes_pct;
    }
    if (m->has_max_throttled_minutes) {
        d.has_max_throttled_minutes = 1;
        d.max_throttled_minutes = m->max_throttled_minutes;
    }
    if (m->has_reserve_input_tpm) {
        d.has_reserve_input_tpm = 1;
        d.reserve_input_tpm = m->reserve_input_tpm;
    }
    if (m->has_reserve_output_tpm) {
        d.has_reserve_output_tpm = 1;
        d.reserve_output_tpm = m->reserve_output_tpm;
    }
    if (m->has_growth_pct_per_month) {
        d.has_growth_pct_per_month = 1;
        d.growth_pct_per_month = m->growth_pct_per_month;
    }
    return d;
}

tp_plan_entry tp_plan_file_entry(const tp_plan_file *p, const char *model)
{
    return tp_plan_file_entry_at(p, model, "", "", 1);
}

tp_plan_entry tp_plan_file_entry_at(const tp_plan_file *p, const char *model, const char *region,
                                    const char *account, int only_place)
{
    tp_plan_entry none;
    memset(&none, 0, sizeof none);
    if (p == NULL)
        return none;
    const plan_model *placeless = NULL;
    /* merged regions ("*") are the account's: an entry naming no region */
    const char *r = region != NULL && strcmp(region, "*") == 0 ? "" : region;
    for (size_t i = 0; i < p->n; i++) {
        const plan_model *pm = &p->models[i];
        if (strcmp(pm->model, model) != 0)
            continue;
        if (same_part(pm->region, r) && same_part(pm->account, account))
            return merge(p->def, &pm->e);
        if (pm->region == NULL && pm->account == NULL)
            placeless = pm;
    }
    return placeless != NULL && only_place ? merge(p->def, &placeless->e) : p->def;
}

size_t tp_plan_file_model_count(const tp_plan_file *p)
{
    return p != NULL ? p->n : 0;
}

const char *tp_plan_file_model_id(const tp_plan_file *p, size_t i)
{
    return p != NULL && i < p->n ? p->models[i].model : NULL;
}
