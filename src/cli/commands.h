/* commands.h - the tierplan commands main() dispatches to (private to the CLI). */
#ifndef TIERPLAN_CLI_COMMANDS_H
#define TIERPLAN_CLI_COMMANDS_H

#include <stdint.h>

#include "tierplan/common.h"

/* Each takes its own argv with the command name as argv[0], so that getopt_long starts at
 * argv[1] and names the command in its messages; each returns the process exit status. */
int cmd_ingest(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_export_cmd(int argc, char **argv);
int cmd_series(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_recommend(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_project(int argc, char **argv);
int cmd_showback(int argc, char **argv);
int cmd_relabel(int argc, char **argv);
/* export-cmd --source logs (cmd_export_logs.c), --source athena (cmd_export_athena.c), and
 * whether argv asks for --source SOURCE. */
int cmd_export_cmd_logs(int argc, char **argv);
int cmd_export_cmd_athena(int argc, char **argv);
int export_cmd_wants_source(int argc, char **argv, const char *source);
/* export-cmd --provider azure|gcp|openai (cmd_export_provider.c), and whether argv has
 * --provider. */
int cmd_export_cmd_provider(int argc, char **argv);
int export_cmd_wants_provider(int argc, char **argv);
/* An option every export but the metric one (flag: "--source logs", "--source athena",
 * "--provider") takes alike: --days, --end and --now into *days, *end_s and *now_s; the metric
 * export's --model, --since-store and --overlap-minutes, refused by name; --db and
 * --busy-timeout, accepted and unused; anything else refused as invalid for flag. Returns 0
 * when taken, else the exit status of the usage error it printed. */
int export_query_opt(int c, const char *arg, const char *flag, int *days, int64_t *end_s,
                     int64_t *now_s);
/* What follows such an export's option loop: no argument left over (else a usage error), and
 * *now_s the clock when --now did not set it. Returns 0 or the exit status. */
/* The option-table rows (optable.h's cli_opt) export_query_opt answers for every such export:
 * the metric export's options, hidden, so that each is named when refused. */
#define EXPORT_QUERY_REFUSED_OPTS                                                                 \
    CLI_HIDDEN("db", required_argument, 'd', NULL),                                               \
        CLI_HIDDEN("busy-timeout", required_argument, 'b', NULL),                                 \
        CLI_HIDDEN("model", required_argument, 'M', NULL),                                        \
        CLI_HIDDEN("since-store", no_argument, 'S', NULL),                                        \
        CLI_HIDDEN("overlap-minutes", required_argument, 'O', NULL)
int export_args_end(int argc, char **argv, int64_t *now_s);
/* Prints the script a build made and frees it (out owned, NULL when st fails), or the build's
 * error: a usage error (2) when the library says so, else a failure (3). Returns the status. */
int export_print(tp_status st, char *out, const tp_error *err);

#endif
