/* stats_report.c - the stats report's figures from the store (tp_stats_report_compute), so
 * that its renderer (render/report_stats.c) only formats them. */
#include "tierplan/stats.h"
#include "model/stats_internal.h"

#include <stdlib.h>
#include <string.h>

static tp_series_query request_query(const tp_stats_request *req)
{
    tp_series_query q = {0};
    q.model = req->model;
    q.has_from = req->has_from;
    q.has_to = req->has_to;
    q.from_minute = req->from_minute;
    q.to_minute = req->to_minute;
    q.tiers = req->tiers;
    q.n_tiers = req->n_tiers;
    q.window = req->window;
    q.source = req->source;
    q.keys = req->keys;
    q.n_keys = req->n_keys;
    q.region = req->region;
    q.account = req->account;
    q.merge_regions = req->merge_regions;
    return q;
}

/* The stats of one model, or of every stored model; fails as the stats report always has when
 * no model has data: an empty store is a normal state, a store with no model to show is not. */
static tp_status load_stats(tp_store *store, const tp_stats_request *req, tp_model_stats **one,
                            tp_stats_set **set, tp_error *err)
{
    const tp_series_query q = request_query(req);
    if (req->model != NULL) {
        /* a model in one place (or none: tp_series_load's message says what is stored) is
         * loaded as it always was; in several, each place is an entry of its own */
        tp_store_place *places = NULL;
        size_t n_places = 0;
        tp_status rc = stats_places(store, &q, &places, &n_places, err);
        tp_store_places_free(places, n_places);
        if (rc != TP_OK)
            return rc;
        if (n_places <= 1)
            return tp_stats_model(store, &q, req->pricing, one, err);
    }
    tp_status rc =
        stats_all(store, &q, req->pricing, req->field_name, req->field_name_ctx, set, err);
    if (rc == TP_OK && (*set)->n_stored == 0 && (req->region != NULL || req->account != NULL))
        return tp_error_set(err, TP_ERR_NOT_FOUND, "no model is stored in %s%s%s%s%s",
                            req->region != NULL ? "region " : "",
                            req->region != NULL ? tp_store_place_name(req->region) : "",
                            req->region != NULL && req->account != NULL ? ", " : "",
                            req->account != NULL ? "account " : "",
                            req->account != NULL ? tp_store_place_name(req->account) : "");
    if (rc != TP_OK || (*set)->n > 0 || (*set)->n_omitted == 0)
        return rc;
    for (size_t i = 0; i < (*set)->n_omitted; i++)
        if ((*set)->omitted[i].status == TP_ERR_TOO_BIG)
            return tp_error_set(err, TP_ERR_TOO_BIG, "%s", (*set)->omitted[i].reason);
    return tp_error_set(err, TP_ERR_NOT_FOUND, "no data for any of the %zu stored models (%s)",
                        (*set)->n_stored, (*set)->omitted[(*set)->n_omitted - 1].reason);
}

/* For each model with both metric exports and invocation logs (of every key: with keys the
 * logs are a part by design, and no comparison is made), their tokens over the metric window;
 * only when asked (req->compare_sources): a second load of each model's demand, which a JSON
 * or CSV report, not showing it, would pay for nothing. */
static tp_status compare_sources(tp_store *store, const tp_stats_request *req,
                                 tp_stats_report *r, tp_error *err)
{
    for (size_t i = 0; i < r->n && req->compare_sources && req->n_keys == 0; i++) {
        tp_stats_sources *c = &r->sources[i];
        tp_series_query q = request_query(req);
        q.model = tp_series_model(r->models[i].series);
        size_t same = 0; /* entries of this model: in several places, each compares its own */
        for (size_t j = 0; j < r->n; j++)
            same += strcmp(tp_series_model(r->models[j].series), q.model) == 0;
        if (same > 1) {
            if (!q.merge_regions)
                q.region = tp_series_region(r->models[i].series);
            q.account = tp_series_account(r->models[i].series);
        }
        tp_status rc = tp_series_compare_sources(store, &q, &c->both, &c->logs_tokens,
                                                 &c->metric_tokens, err);
        if (rc != TP_OK)
            return rc;
        if (c->both)
            c->logs_per_metric = c->logs_tokens / c->metric_tokens;
    }
    return TP_OK;
}

tp_status tp_stats_tiers_compute(const tp_series *s, tp_stats_tiers *out, tp_error *err)
{
    memset(out, 0, sizeof *out);
    out->family = tp_series_family(s);
    for (int a = 0; a < 2; a++) {
        tp_stats_tier_axis *x = &out->axis[a];
        for (int t = 0; t < TP_SERVICE_COUNT; t++) {
            int known = 0;
            const tp_demand d = tp_series_tier_demand(s, (tp_tier_axis)a, (tp_service_tier)t,
                                                      &known);
            const double *v[TP_METRIC_COUNT] = {d.input_tpm, d.output_tpm, d.cache_read_tpm,
                                                d.cache_write_tpm};
            if (!known || d.input_tpm == NULL || d.minutes == 0)
                break; /* the family does not tell this axis (or the values are released) */
            x->known = 1;
            for (int m = 0; m < TP_METRIC_COUNT; m++) {
                tp_status rc = tp_stats_summarize(v[m], d.minutes, &x->tpm[t][m], err);
                if (rc != TP_OK)
                    return rc;
                x->present[t] |= x->tpm[t][m].max_tpm > 0;
            }
        }
    }
    return TP_OK;
}

tp_status tp_stats_report_compute(tp_store *store, const tp_stats_request *req,
                                  tp_stats_report **out, tp_error *err)
{
    *out = NULL;
    tp_stats_report *r = calloc(1, sizeof *r);
    if (r == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    tp_status rc = load_stats(store, req, &r->one_, &r->set_, err);
    if (rc != TP_OK)
        goto cleanup;
    r->models = r->one_ != NULL ? r->one_ : r->set_->models;
    r->n = r->one_ != NULL ? 1 : r->set_->n;
    r->omitted = r->set_ != NULL ? r->set_->omitted : NULL;
    r->n_omitted = r->set_ != NULL ? r->set_->n_omitted : 0;
    r->sources = calloc(r->n > 0 ? r->n : 1, sizeof *r->sources);
    if (r->sources == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    r->tiers = calloc(r->n > 0 ? r->n : 1, sizeof *r->tiers);
    if (r->tiers == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < r->n; i++)
        if ((rc = tp_stats_tiers_compute(r->models[i].series, &r->tiers[i], err)) != TP_OK)
            goto cleanup;
    if ((rc = compare_sources(store, req, r, err)) != TP_OK)
        goto cleanup;
    *out = r;
    r = NULL;
cleanup:
    tp_stats_report_free(r);
    return rc;
}

void tp_stats_report_free(tp_stats_report *r)
{
    if (r == NULL)
        return;
    tp_stats_model_free(r->one_);
    tp_stats_set_free(r->set_);
    free(r->sources);
    free(r->tiers);
    free(r);
}
