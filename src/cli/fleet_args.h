/* fleet_args.h - the options of the commands that size the fleet (report, check): which
 * models, the plan file, workers, and the sizing options, parsed and checked once. */
#ifndef TIERPLAN_CLI_FLEET_ARGS_H
#define TIERPLAN_CLI_FLEET_ARGS_H

#include "options.h"

typedef struct fleet_args {
    plan_opts po;
    sizing_opts z;
    model_list models;
    int all, jobs;
    const char *plan_path; /* --plan, or NULL */
} fleet_args;

/* Zero-initialises a (what-if scale 1). */
void fleet_args_init(fleet_args *a);

/* Handles one fleet option (the plan and sizing options, --all, --plan, --jobs) except help: 0, OPT_NOT_MINE, or a usage exit
 * code. */
int fleet_args_option(fleet_args *a, const char *cmd, int c, const char *arg);

/* After parsing: the window, --all against --model, the sizing options (0, or the usage exit
 * code). */
int fleet_args_check(fleet_args *a, const char *cmd);

/* TP_OK when the store holds every --model; else TP_ERR_NOT_FOUND naming the first it does
 * not hold and what it holds instead (a typo must not read as a model without data). */
tp_status fleet_args_stored(const fleet_args *a, tp_store *store, tp_error *err);

/* Warns (stderr) about each model of the plan file the store holds no data for, naming the
 * stored models (a mistyped id would otherwise be silently unused). plan may be NULL. */
void fleet_args_warn_plan(const tp_plan_file *plan, const char *plan_path, tp_store *store);

/* The fleet options a asks for (pointers into a, which must outlive fo); pricing, plan and
 * the windows file's windows are the caller's. */
void fleet_args_options(const fleet_args *a, tp_fleet_options *fo, const tp_pricing *pricing,
                        const tp_plan_file *plan);

void fleet_args_free(fleet_args *a);

#endif
