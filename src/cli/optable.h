/* optable.h - one table per command from which both its getopt_long options and its --help
 * text are built, so that the help cannot drift from what is parsed (as git's parse-options
 * and curl's helptext do). */
#ifndef TIERPLAN_CLI_OPTABLE_H
#define TIERPLAN_CLI_OPTABLE_H

#include <getopt.h>
#include <stdio.h>

#include "options.h"

/* One option, or one line of help only (name NULL). */
typedef struct cli_opt {
    const char *name; /* long name without "--"; NULL: a help-only entry, a mark (below) */
    int has_arg;      /* no_argument or required_argument; name NULL: a CLI_MARK_* */
    int val;          /* what getopt_long returns for it; for CLI_TEXT the new column, or 0 */
    int short_opt;    /* 1: val is also a short option, -val */
    /* The help's left column ("--db PATH"; a '\n' continues it on a line indented by two),
     * or NULL when the option is not listed (another entry's line names it). The text
     * follows at the table's column, at least one space after it; a left column ending in
     * '\n' puts the text on the next line. */
    const char *left;
    /* The help text; each '\n' starts a line indented to the table's column. For CLI_TEXT,
     * text printed as it is (a section heading, say). */
    const char *help;
    /* The library request field the option fills (tp_error.field), or NULL: the CLI prints
     * a library error about that field with this option's name (fail_in). */
    const char *field;
} cli_opt;

/* What an entry without a name does to the help: its has_arg. The entries after a mark up to
 * the next (CLI_BREAK aside) are its run. */
enum {
    CLI_MARK_TEXT,     /* help printed as it is; val: where option text starts after it, or 0
                          to keep the column; the run: one line per option, as at the start */
    CLI_MARK_BRIEF,    /* the run's options listed by their left columns only, comma-separated
                          and wrapped within CLI_BRIEF_WIDTH, then help under them at the
                          column (options the help of another command describes) */
    CLI_MARK_BREAK,    /* in a brief run, the next option starts a line */
    CLI_MARK_UNLISTED  /* the run's options are parsed but not listed */
};
/* The widest line of a brief run, its trailing comma included. */
#define CLI_BRIEF_WIDTH 88

#define CLI_END {NULL, 0, 0, 0, NULL, NULL, NULL}
/* Help text outside any option (a heading); column: where option text starts after it, or 0
 * to keep the table's. */
#define CLI_TEXT(text, column) {NULL, CLI_MARK_TEXT, (column), 0, NULL, (text), NULL}
/* See the marks above; CLI_LISTED ends a brief or unlisted run. */
#define CLI_BRIEF(help) {NULL, CLI_MARK_BRIEF, 0, 0, NULL, (help), NULL}
#define CLI_BREAK {NULL, CLI_MARK_BREAK, 0, 0, NULL, "", NULL}
#define CLI_UNLISTED {NULL, CLI_MARK_UNLISTED, 0, 0, NULL, "", NULL}
#define CLI_LISTED CLI_TEXT("", 0)

/* A command's options and help: head (usage and description through "options:\n"), the
 * entries, then tail. */
typedef struct cli_table {
    const char *head;
    int column; /* where option text starts (the left column is indented by two) */
    const cli_opt *opts; /* ends with CLI_END */
    const char *tail;
} cli_table;

/* getopt_long's view of a table. */
#define CLI_GETOPT_MAX 80
typedef struct cli_getopt {
    struct option longs[CLI_GETOPT_MAX + 1];
    char shorts[2 * CLI_GETOPT_MAX + 1];
} cli_getopt;

/* Fails the build when the array opts (a table's entries) could hold more options than a
 * cli_getopt takes: put one after each table's entries. */
#define CLI_OPTS_FIT(opts)                                                                     \
    _Static_assert(sizeof(opts) / sizeof((opts)[0]) <= CLI_GETOPT_MAX + 1,                     \
                   #opts ": more options than CLI_GETOPT_MAX")

/* Fills g from t. More than CLI_GETOPT_MAX options is a programming error: CLI_OPTS_FIT fails
 * the build for a table it is given, and this aborts with a message for one it is not
 * (dropping options would leave them "invalid" without a word). */
void cli_getopt_init(cli_getopt *g, const cli_table *t);

/* Writes t's --help text to f. */
void cli_help_print(const cli_table *t, FILE *f);

/* The option of t that fills the library field named field, or NULL. */
const cli_opt *cli_table_field(const cli_table *t, const char *field);

/* err's message with each request field it names (tp_error.mentions) written as the option
 * of the running command's table (the last one cli_getopt_init was given) that fills it:
 * "quota_tpm must be ..." reads "--quota-tpm must be ...". A field no option fills stays
 * as the library wrote it. Returns buf, or err->message when nothing is replaced. */
const char *cli_error_text(const tp_error *err, char *buf, size_t size);

/* A tp_field_name_fn (ctx unused): "--" and the name of the running command's option that
 * fills field, or NULL when none does. For messages the library keeps in its results
 * (tp_fleet_options.field_name). */
const char *cli_option_name(void *ctx, const char *field, char *buf, size_t size);

/* The options most commands share, with their usual help text; a command whose text differs
 * (a narrower column, other wording) gives its own through the _H forms. */
#define CLI_HELP_DB "database file (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")"
#define CLI_OPT_DB_H(help) {"db", required_argument, 'd', 0, "--db PATH", (help), NULL}
#define CLI_OPT_DB CLI_OPT_DB_H(CLI_HELP_DB)
#define CLI_OPT_PRICING_H(help) {"pricing", required_argument, 'P', 0, "--pricing FILE", (help), NULL}
#define CLI_OPT_PRICING                                                                        \
    CLI_OPT_PRICING_H("price catalog (default: $TIERPLAN_PRICING, else\n"                      \
                      "data/pricing.json, else the installed catalog)")
#define CLI_OPT_HELP {"help", no_argument, 'h', 1, "-h, --help", "show this help", NULL}
#define CLI_OPT_FORMAT_H(help) {"format", required_argument, 'F', 0, "--format F", (help), "format"}
#define CLI_OPT_FORMAT CLI_OPT_FORMAT_H("text (default), json or csv")
#define CLI_OPT_OUTPUT_H(help) {"output", required_argument, 'o', 1, "-o, --output FILE", (help), NULL}
#define CLI_HELP_BUSY_TIMEOUT "seconds to wait for a lock another process holds (default: 60)"
#define CLI_OPT_BUSY_TIMEOUT_H(help)                                                           \
    {"busy-timeout", required_argument, OPT_BUSY_TIMEOUT, 0, "--busy-timeout S", (help),     \
     "busy_timeout_ms"}
#define CLI_OPT_BUSY_TIMEOUT CLI_OPT_BUSY_TIMEOUT_H(CLI_HELP_BUSY_TIMEOUT)
/* the same text wrapped for a wider column */
#define CLI_OPT_BUSY_TIMEOUT_WIDE                                                              \
    CLI_OPT_BUSY_TIMEOUT_H("seconds to wait for a lock another process holds (default:\n60)")
#define CLI_OPT_TIER_H(help) {"tier", required_argument, 'T', 0, "--tier LIST", (help), "tiers"}
#define CLI_OPT_TIER CLI_OPT_TIER_H("sum these resolved tiers instead of the model's total")
/* --from/--to on one help line and --last: the window's span; --now: its anchor. */
#define CLI_OPTS_SPAN_H(from_to, last)                                                         \
    {"from", required_argument, 'f', 0, "--from T, --to T", (from_to), "from_minute"},         \
        {"to", required_argument, 't', 0, NULL, NULL, "to_minute"},                            \
        {"last", required_argument, OPT_LAST, 0, "--last SPAN", (last), "last"}
#define CLI_OPT_NOW_H(help) {"now", required_argument, OPT_NOW, 0, "--now T", (help), "now"}
#define CLI_OPTS_WINDOW_H(from_to, last, now) CLI_OPTS_SPAN_H(from_to, last), CLI_OPT_NOW_H(now)
#define CLI_HELP_FROM_TO                                                                       \
    "the window, half-open UTC [from, to) (default: all data). T is\n"                         \
    "an ISO 8601 time, a month YYYY-MM (--to 2026-10: up to November),\n"                      \
    "today, or relative: -12h, -14d, -8w, -3mo before each model's\n"                          \
    "newest data (docs/user-guide.md, \"Windows\")"
#define CLI_HELP_LAST "the last SPAN of data: --last 30d is --from -30d"
#define CLI_HELP_NOW "count relative times back from T instead (today: T's day)"
#define CLI_OPTS_SPAN CLI_OPTS_SPAN_H(CLI_HELP_FROM_TO, CLI_HELP_LAST)
#define CLI_OPTS_WINDOW CLI_OPTS_WINDOW_H(CLI_HELP_FROM_TO, CLI_HELP_LAST, CLI_HELP_NOW)
/* --source and --key: where demand comes from. */
#define CLI_OPTS_SOURCE_H(source)                                                              \
    {"source", required_argument, OPT_SOURCE, 0, "--source S", (source), "source"},            \
        {"key", required_argument, OPT_KEY, 0, "--key K",                                      \
         "invocation logs of this attribution key only (repeatable)", "keys"}
#define CLI_OPTS_SOURCE                                                                        \
    CLI_OPTS_SOURCE_H("metrics or logs (default: metrics where the model has\n"                \
                      "metric data in the window, else invocation logs)")
/* --region, --account and --merge-regions: which place of a model to read (filters of the
 * commands that read one model's demand). */
#define CLI_OPTS_PLACE                                                                             {"region", required_argument, OPT_REGION, 0, "--region R",                                      "only data recorded in region R (us-east-1; unknown: data without a\n"                         "region); needed where a model is stored in several", "region"},                                  {"account", required_argument, OPT_ACCOUNT, 0, "--account ID",                                  "only data of AWS account ID (12 digits; unknown: without one)", "account"},                   {"merge-regions", no_argument, OPT_MERGE_REGIONS, 0, "--merge-regions",                         "sum a model's regions (of one account): one reservation for a\n"                              "cross-region inference profile (docs/model.md)", "merge_regions"}
/* The spill options of plan_opts. */
#define CLI_OPT_SPILL_TO_H(help) {"spill-to", required_argument, 's', 0, "--spill-to T", (help), "spill_to"}
#define CLI_OPT_SPILL_TO CLI_OPT_SPILL_TO_H("standard (default), priority, or none")
#define CLI_OPT_SPILL_MODEL_H(help)                                                            \
    {"spill-model", required_argument, 'S', 0, "--spill-model M", (help), "spill_model"}
#define CLI_OPT_SPILL_MODEL CLI_OPT_SPILL_MODEL_H("coupled (default) or independent")
#define CLI_OPT_QUOTA_H(help) {"quota-tpm", required_argument, 'q', 0, "--quota-tpm N", (help), "quota_tpm"}
#define CLI_HELP_QUOTA                                                                         \
    "on-demand quota for spilled traffic (input + cache write +\n"                             \
    "output x quota_output_weight); above it spill is throttled"
#define CLI_OPT_MODEL_H(help) {"model", required_argument, 'm', 0, "--model ID", (help), "model"}

/* The sizing options of sizing_opts (recommend, report, check). */
#define CLI_OPT_MAX_SPILL_H(left, help)                                                        \
    {"max-spill-minutes-pct", required_argument, 'x', 0, (left), (help), "max_spill_minutes_pct"}
#define CLI_OPT_MAX_THROTTLED_H(help)                                                          \
    {"max-throttled-minutes", required_argument, 'X', 0, "--max-throttled-minutes N", (help), \
     "max_throttled_minutes"}
#define CLI_OPT_TERM_H(help) {"term-months", required_argument, 'n', 0, "--term-months N", (help), "term_months"}
#define CLI_OPT_SCALE_H(help) {"scale", required_argument, 'k', 0, "--scale F", (help), "scale"}
#define CLI_OPT_CACHE_DELTA_H(help)                                                            \
    {"cache-hit-delta", required_argument, 'D', 0, "--cache-hit-delta D", (help), "cache_hit_delta"}
#define CLI_OPT_FORCE_H(help) {"force", no_argument, 'Z', 0, "--force", (help), "force"}
#define CLI_HELP_FORCE                                                                         \
    "size even from less than a day of data, or from windows\n"                                \
    "shorter than the term (they pay the whole term)"
#define CLI_OPT_WINDOW_BY_H(help) {"window-by", required_argument, 'W', 0, "--window-by month", (help), "by_month"}
#define CLI_OPT_WINDOWS_H(help) {"windows", required_argument, 'w', 0, "--windows FILE", (help), "windows"}
#define CLI_OPT_TRAIN_H(help) {"train-until", required_argument, 'U', 0, "--train-until T", (help), "train_until_minute"}

/* An option parsed but not listed in the help (another entry's line names it). */
#define CLI_HIDDEN(name, has_arg, val, field) {(name), (has_arg), (val), 0, NULL, NULL, (field)}
/* The options of which models and how many at once (report, check, project). */
#define CLI_OPT_ALL {"all", no_argument, 'A', 0, "--all", "every stored model (the default)", NULL}
#define CLI_OPT_PLAN_H(help) {"plan", required_argument, 'L', 0, "--plan FILE", (help), "plan"}
#define CLI_OPT_JOBS_H(help) {"jobs", required_argument, 'j', 0, "--jobs N", (help), "jobs"}

#endif
