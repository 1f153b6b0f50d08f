/* fleet_args.h - the options of the commands that size the fleet (report, check): which
 * models, the plan file, workers, and the sizing options, parsed and checked once. */
#ifndef TIERPLAN_CLI_FLEET_ARGS_H
#define TIERPLAN_CLI_FLEET_ARGS_H

#include "optable.h"
#include "options.h"

/* getopt values of the fleet's own options without a letter */
enum { OPT_ROUTE_TIERS = 0x110, OPT_ASSUME_OFFERED };

/* The fleet's options (what fleet_args_option parses), written once for the tables of report
 * and check: report lists each with its help, check lists them after CLI_BRIEF (their help is
 * report's) in an order of its own, hence groups. A fleet option belongs in one of them. */
#define CLI_OPTS_FLEET_MODELS                                                                  \
    CLI_OPT_DB, CLI_OPT_MODEL_H("a model to report (repeatable; default: every stored model)"), \
        CLI_OPT_ALL,                                                                           \
        CLI_OPT_PLAN_H("plan file: per-model term, service levels, reservations\n"             \
                       "already held and growth (see docs/user-guide.md)"),                    \
        CLI_OPTS_PLACE
#define CLI_OPT_FLEET_JOBS CLI_OPT_JOBS_H("models sized at once (default: the online cores)")
#define CLI_OPTS_FLEET_SIZING                                                                  \
    CLI_OPT_SPILL_TO, CLI_OPT_SPILL_MODEL, CLI_OPT_QUOTA_H("on-demand quota for spilled traffic"), \
        CLI_OPT_MAX_SPILL_H("--max-spill-minutes-pct X",                                      \
                            "the cheapest reservation with at most X% of minutes spilling"),   \
        CLI_OPT_MAX_THROTTLED_H("with --spill-to none or --quota-tpm: at most N throttled\n"   \
                                "minutes (default 0)"),                                        \
        CLI_OPT_TERM_H("commitment term in months: any term the catalog lists\n"               \
                       "(default 1)"),                                                         \
        CLI_OPT_SCALE_H("what-if: multiply all demand by F"),                                  \
        CLI_OPT_CACHE_DELTA_H("what-if: move D of the cacheable prompt to cache reads"),      \
        {"route-tiers", required_argument, OPT_ROUTE_TIERS, 0, "--route-tiers LIST",          \
         "route these requested tiers to each reservation (comma-\n"                         \
         "separated: priority, default, flex; reserved always is);\n"                        \
         "default: the cheapest subset of the tiers with traffic",                            \
         "route_tiers"},                                                                       \
        {"assume-offered", no_argument, OPT_ASSUME_OFFERED, 0, "--assume-offered",            \
         "size a reservation although the catalog says a model's\n"                          \
         "Reserved tier is not offered (every output says so)", "assume_offered"}
/* the window (the anchor, --now, each command words its own) and the data */
#define CLI_OPTS_FLEET_SPAN CLI_OPTS_SPAN
#define CLI_OPT_FLEET_TIER CLI_OPT_TIER
#define CLI_OPT_FLEET_PRICING CLI_OPT_PRICING
/* seasonal plans and backtests: report's only (check refuses them) */
#define CLI_OPTS_FLEET_SEASONS                                                                 \
    CLI_OPT_WINDOW_BY_H("per model, a reservation per calendar month next to one flat\n"       \
                        "reservation; a partial first or last month pays the whole term"),     \
        CLI_OPT_WINDOWS_H("per model, a reservation per window of FILE (one from,to pair\n"    \
                          "per line); gaps between windows are priced at on-demand"),          \
        CLI_OPT_TRAIN_H("backtest the one --model: size on data before T, replay on\n"         \
                        "data after it, next to the in-hindsight optimum")
#define CLI_OPTS_FLEET_LAST CLI_OPT_FORCE_H(CLI_HELP_FORCE), CLI_OPT_BUSY_TIMEOUT_WIDE
/* refused with a message naming the commands that take them */
#define CLI_OPTS_FLEET_REFUSED                                                                 \
    CLI_HIDDEN("source", required_argument, OPT_SOURCE, "source"),                             \
        CLI_HIDDEN("key", required_argument, OPT_KEY, "keys")

typedef struct fleet_args {
    plan_opts po;
    sizing_opts z;
    model_list models;
    int all, jobs;
    const char *plan_path; /* --plan, or NULL */
} fleet_args;

/* Zero-initialises a (what-if scale 1). */
void fleet_args_init(fleet_args *a);

/* Handles one fleet option (the plan and sizing options, --all, --plan, --jobs) except help:
 * 0, OPT_NOT_MINE, or a usage exit code. */
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
