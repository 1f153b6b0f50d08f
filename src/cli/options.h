/* options.h - what the tierplan commands share: option parsing, errors, the plan options. */
#ifndef TIERPLAN_CLI_OPTIONS_H
#define TIERPLAN_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/tierplan.h"

/* Exit status (documented in the global usage): 0 success; 1 a verdict, and only that: a
 * threshold of check failed, or no data for what was asked (TP_ERR_NOT_FOUND); 2 usage error;
 * 3 any other failure (bad input, a rejected ingest, the database, a report not written). A
 * scheduled job reads 1 as "look at the plan" and 2 or more as "a step broke": an error must
 * never pass for a verdict. */
enum { EXIT_VERDICT = 1, EXIT_USAGE = 2, EXIT_FAIL = 3 };

/* Results of an option handler besides 0 (taken) and an exit code > 0. OPT_HELP: the help
 * text was printed and the command ends with status 0. */
enum { OPT_NOT_MINE = -1, OPT_HELP = -2 };

/* The name every message starts with. */
extern const char *const prog;

/* Prints "tierplan CMD: message" and a pointer to the command's --help to stderr.
 * Returns EXIT_USAGE so that callers can `return usage_error(...)`. */
int usage_error(const char *cmd, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* usage_error with a library error's message, the request fields it names shown as the
 * command's options (cli_error_text). */
int lib_usage_error(const char *cmd, const tp_error *err);

/* --route-tiers LIST into *out: 0, or the usage exit code naming the accepted tiers. */
int route_tiers_option(const char *cmd, const char *arg, tp_route_set *out);

/* Prints a library error to stderr, the request fields it names shown as the command's
 * options (cli_error_text); returns EXIT_FAIL (EXIT_USAGE for TP_ERR_USAGE, EXIT_VERDICT for
 * TP_ERR_NOT_FOUND: no data is an answer, not a breakage). */
int fail(const tp_error *err);

/* A usage error when one of the models ids[0, n) is sold in units (its catalog entry's
 * provider is not bedrock): cmd is a Bedrock command (docs/model.md, "Other providers").
 * Models the catalog does not know are left to the command. 0, or EXIT_USAGE. */
int refuse_unit_models(const char *cmd, const tp_pricing *pricing, const char *const *ids,
                       size_t n);

/* A tp_warn_fn: the library reports recoverable problems, the CLI shows them on stderr. */
void print_warning(void *ctx, const char *msg);

/* Prints a rendered report; JSON gets the newline cJSON leaves off. A write error is kept
 * for stdout_finish, which turns it into the exit status. */
void print_report(const char *out, tp_format fmt);

/* Flushes and closes standard output when a command ends: returns rc, or EXIT_FAIL after
 * "writing the report: REASON" on stderr when rc is 0 and some output was lost (a full disk,
 * a closed pipe): a report that did not reach its file must not end with status 0. */
int stdout_finish(int rc);

/* Parses a whole decimal integer within [lo, hi]: 0, or -1 when it is not one (also: leading
 * space, trailing characters, a value beyond long). */
int parse_int(const char *s, long lo, long hi, long *out);

/* Parses a decimal number within [lo, hi]: 0, or -1 when it is not one (also: leading space,
 * trailing characters, NaN, infinity, a value beyond double's range or one that underflows). */
int parse_double(const char *s, double lo, double hi, double *out);

/* Parses tokens per minute, a finite number in [0, 1e15]: 0, or -1. */
int parse_tpm(const char *s, double *out);

/* Parses an ISO 8601 timestamp into a minute index, rounding down: 0, or -1. */
int parse_minute(const char *s, int64_t *out_minute);

/* The database: --db when given, else $TIERPLAN_DB when set and not empty, else the default. */
const char *db_path(const char *opt);

/* --busy-timeout SECONDS, taken by every command that opens the database: how long it waits
 * for a lock another process holds (a second writer waits for the first to commit). It has
 * no short option; its getopt value is OPT_BUSY_TIMEOUT. */
#define OPT_BUSY_TIMEOUT 0x100
/* --source metrics|logs and --key K: where demand comes from (demand_option takes them). */
#define OPT_SOURCE 0x103
#define OPT_KEY 0x104
/* --region R, --account ID, --merge-regions: where the data was recorded (demand_option and
 * ingest take them; docs/user-guide.md, "Regions and accounts"). */
#define OPT_REGION 0x1a0
#define OPT_ACCOUNT 0x1a1
#define OPT_MERGE_REGIONS 0x1a2

/* Checks --region R (the shape us-east-1; "unknown" is the place of data without a region,
 * which *out receives as "") or --account ID (12 digits; "unknown" likewise): 0, or the exit
 * code of a usage error. */
int place_option(const char *cmd, int c, const char *arg, const char **out);
#define BUSY_TIMEOUT_DEFAULT_S 60
#define BUSY_TIMEOUT_MAX_S 86400

/* Takes the value of --busy-timeout for the rest of the command (one command per process):
 * 0, or the exit code of a usage error. */
int busy_timeout_option(const char *cmd, const char *arg);

/* The --busy-timeout given, in the library's terms (tp_store_open_options.busy_timeout_ms). */
int busy_timeout_ms(void);

/* Opens the database at db_path(opt) with the --busy-timeout given, warnings to stderr:
 * writers (ingest) create it when missing; readers open it read-only (TP_STORE_READONLY), so
 * they never write and never wait for a writer. Caller closes *out. */
tp_status open_db(const char *opt, int writer, tp_store **out, tp_error *err);

/* Opens the price catalog (see options.c for the search order). required: a missing catalog
 * is an error; otherwise *out stays NULL. 0 on success, -1 with err set. Caller frees *out
 * with tp_pricing_free. */
int open_pricing(const char *opt, int required, tp_pricing **out, tp_error *err);

/* --tier LIST: resolved tiers to sum. names point into buf, which the list owns. */
#define TIER_LIST_MAX 16
typedef struct tier_list {
    const char *names[TIER_LIST_MAX];
    size_t n;
    char *buf;
} tier_list;

/* Splits a --tier argument on commas, replacing any earlier --tier. 0, or an exit code.
 * Free with tier_list_free. */
int tier_list_parse(tier_list *tl, const char *cmd, const char *arg);
void tier_list_free(tier_list *tl);

/* --last SPAN and --now T: the window options without a short letter. */
#define OPT_LAST 0x101
#define OPT_NOW 0x102
/* The demand a command looks at: --db, --model, the window, --tier, --pricing, --format.
 * Zero-initialise; q.tiers and q.window point into the struct, so do not copy a parsed one. */
#define KEY_LIST_MAX 64
typedef struct demand_opts {
    const char *db, *pricing_path;
    tp_series_query q;
    const char *keys[KEY_LIST_MAX]; /* --key K (repeatable): point into argv */
    tier_list tiers;
    tp_format fmt;
    const char *from_text, *to_text, *last_text, *now_text; /* parsed by window_check */
    tp_window_spec win;
} demand_opts;

/* Handles one of the demand options (getopt letters d m P f t T F, OPT_BUSY_TIMEOUT, OPT_LAST
 * and OPT_NOW): 0 when taken, OPT_NOT_MINE when c is none of them, else the exit code of a
 * usage error. */
int demand_option(demand_opts *o, const char *cmd, int c, const char *arg);

/* After parsing: reads the window options into o->q (fixed bounds) or o->win (relative ones,
 * resolved per model by the library), and checks that --to comes after --from (0, or the
 * usage exit code). */
int window_check(demand_opts *o, const char *cmd);

void demand_opts_free(demand_opts *o);

/* The demand window, tiers, prices and spill handling a reservation is evaluated under,
 * shared by simulate and recommend. */
typedef struct plan_opts {
    demand_opts d;
    tp_spill_model spill_model;
    tp_spill_to spill_to;
    double quota_tpm;
} plan_opts;

/* Handles one option of plan_opts (db, model, spill, quota, window, tier, pricing, format,
 * busy-timeout, source, key) except help: as demand_option. */
int plan_option(plan_opts *po, const char *cmd, int c, const char *arg);

/* After parsing: --model is required, and the window check (0, or the usage exit code). */
int plan_check(plan_opts *po, const char *cmd);

/* Loads the model's demand (from an existing database), then the catalog and the model's
 * prices: 0, or -1 with err set. Caller frees *pricing, *store and *series (also on failure:
 * each is NULL or valid). */
int plan_load(const plan_opts *po, tp_pricing **pricing, tp_model_price *price,
              tp_store **store, tp_series **series, tp_error *err);

/* The sizing options recommend and report share: service level, term, what-if, windows. */
typedef struct sizing_opts {
    tp_rec_options ro;        /* service level and term (spill options come from plan_opts) */
    const char *windows_path; /* --windows, or NULL */
    int by_month;             /* --window-by month */
    int have_train;           /* --train-until given */
    int64_t train_until;
    double scale, delta;      /* what-if: --scale (1 unless given), --cache-hit-delta */
    int force;                /* --force */
} sizing_opts;

/* Handles one sizing option (getopt letters x X n k D Z W w U, optable.h): 0, OPT_NOT_MINE, or a usage exit code. */
int sizing_option(sizing_opts *z, const char *cmd, int c, const char *arg);

/* After parsing, the combinations the sizing options cannot express (0, or the usage exit
 * code); copies the spill model, target and quota of po into z->ro. */
int sizing_check(sizing_opts *z, const plan_opts *po, const char *cmd);

/* Repeatable --model (report): the ids in the order given, borrowed from argv. */
#define MODEL_LIST_MAX 1000
typedef struct model_list {
    const char **ids;
    size_t n;
} model_list;

/* Adds one --model: 0, or the exit code of a usage error (a model given twice, too many).
 * Free with model_list_free. */
int model_list_add(model_list *l, const char *cmd, const char *id);
void model_list_free(model_list *l);

/* --jobs N: worker threads, 1 to 256: 0, or the exit code of a usage error. */
int jobs_option(const char *cmd, const char *arg, int *out);

/* The default of --jobs: the online cores (1 when unknown). */
int default_jobs(void);

/* Writes text to path whole or not at all (a temporary file beside it, then renamed): 0, or
 * -1 with err set naming the file. */
int write_file_atomic(const char *path, const char *text, int newline, tp_error *err);

#endif
