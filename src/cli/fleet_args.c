/* fleet_args.c - the options report and check share to size the fleet. */
#define _POSIX_C_SOURCE 200809L
#include "fleet_args.h"
#include "optable.h"

#include <stdlib.h>
#include <string.h>

void fleet_args_init(fleet_args *a)
{
    memset(a, 0, sizeof *a);
    a->z.scale = 1.0;
}

int fleet_args_option(fleet_args *a, const char *cmd, int c, const char *arg)
{
    int rc;
    switch (c) {
    case OPT_ROUTE_TIERS: return route_tiers_option(cmd, arg, &a->z.ro.route_tiers);
    case OPT_ASSUME_OFFERED: a->z.ro.assume_offered = 1; return 0;
    case OPT_SOURCE:
    case OPT_KEY: /* the fleet is sized from each model's default source */
        return usage_error(cmd, "%s", "--source and --key are for stats, simulate and recommend");
    case 'm': return model_list_add(&a->models, cmd, arg);
    case 'A': a->all = 1; return 0;
    case 'L': a->plan_path = arg; return 0;
    case 'j': return jobs_option(cmd, arg, &a->jobs);
    default: break;
    }
    rc = plan_option(&a->po, cmd, c, arg);
    if (rc == OPT_NOT_MINE)
        rc = sizing_option(&a->z, cmd, c, arg);
    return rc;
}

int fleet_args_check(fleet_args *a, const char *cmd)
{
    int rc = window_check(&a->po.d, cmd);
    if (rc != 0)
        return rc;
    if (a->all && a->models.n > 0)
        return usage_error(cmd, "%s", "--all and --model exclude each other");
    if (a->z.have_train && a->models.n != 1)
        return usage_error(cmd, "%s",
                           "--train-until backtests one model: give exactly one --model");
    return sizing_check(&a->z, &a->po, cmd);
}

/* 1 when models (n of them) holds model. */
static int holds(char **models, size_t n, const char *model)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(models[i], model) == 0)
            return 1;
    return 0;
}

tp_status fleet_args_stored(const fleet_args *a, tp_store *store, tp_error *err)
{
    char **models = NULL, *hint = NULL;
    size_t n = 0;
    tp_status rc = tp_store_models(store, &models, &n, err);
    for (size_t i = 0; rc == TP_OK && i < a->models.n; i++) {
        if (holds(models, n, a->models.ids[i]))
            continue;
        rc = tp_inventory_suggest(store, a->models.ids[i], &hint, err);
        if (rc == TP_OK)
            rc = tp_error_set(err, TP_ERR_NOT_FOUND, "no data for model \"%s\"; %s",
                              a->models.ids[i], hint);
    }
    free(hint);
    tp_strv_free(models, n);
    return rc;
}

void fleet_args_warn_plan(const tp_plan_file *plan, const char *plan_path, tp_store *store)
{
    char **models = NULL, *hint = NULL, *msg = NULL;
    size_t n = 0;
    tp_error err;
    if (plan == NULL || tp_plan_file_model_count(plan) == 0 ||
        tp_store_models(store, &models, &n, &err) != TP_OK)
        return; /* the command reports a database it cannot read itself */
    for (size_t i = 0; i < tp_plan_file_model_count(plan); i++) {
        const char *id = tp_plan_file_model_id(plan, i);
        if (holds(models, n, id) || tp_inventory_suggest(store, id, &hint, &err) != TP_OK)
            continue;
#define PLAN_WARNING "%s: model \"%s\" has no data in the database, its entry is not used; %s"
        const int len = snprintf(NULL, 0, PLAN_WARNING, plan_path, id, hint);
        if (len > 0 && (msg = malloc((size_t)len + 1)) != NULL) {
            snprintf(msg, (size_t)len + 1, PLAN_WARNING, plan_path, id, hint);
            print_warning(NULL, msg);
        }
#undef PLAN_WARNING
        free(msg);
        free(hint);
        msg = hint = NULL;
    }
    tp_strv_free(models, n);
}

void fleet_args_options(const fleet_args *a, tp_fleet_options *fo, const tp_pricing *pricing,
                        const tp_plan_file *plan)
{
    memset(fo, 0, sizeof *fo);
    fo->db_path = db_path(a->po.d.db);
    fo->busy_timeout_ms = busy_timeout_ms();
    fo->models = a->models.n > 0 ? a->models.ids : NULL;
    fo->n_models = a->models.n;
    fo->region = a->po.d.q.region;
    fo->account = a->po.d.q.account;
    fo->merge_regions = a->po.d.q.merge_regions;
    fo->has_from = a->po.d.q.has_from;
    fo->has_to = a->po.d.q.has_to;
    fo->from_minute = a->po.d.q.from_minute;
    fo->to_minute = a->po.d.q.to_minute;
    fo->window = a->po.d.q.window;
    fo->tiers = a->po.d.q.tiers;
    fo->n_tiers = a->po.d.q.n_tiers;
    fo->pricing = pricing;
    fo->rec = a->z.ro;
    fo->scale = a->z.scale;
    fo->cache_hit_delta = a->z.delta;
    fo->force = a->z.force;
    fo->plan = plan;
    fo->jobs = a->jobs > 0 ? a->jobs : default_jobs();
    fo->window_by_month = a->z.by_month;
    fo->has_train_until = a->z.have_train;
    fo->train_until_minute = a->z.train_until;
    fo->warn = print_warning;
    fo->field_name = cli_option_name; /* windows_error names the options */
}

void fleet_args_free(fleet_args *a)
{
    model_list_free(&a->models);
    demand_opts_free(&a->po.d);
}
