/* main.c - the tierplan command line: global usage and version, dispatch to one command. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "options.h"

static const char *main_usage =
    "usage: tierplan COMMAND [OPTIONS]\n"
    "\n"
    "Plan reserved LLM inference capacity from CloudWatch token metrics.\n"
    "\n"
    "commands:\n"
    "  ingest      load CloudWatch exports or CSV into the database\n"
    "  stats       P25/P50/P90/P99/max/mean TPM per model\n"
    "  simulate    cost of a reservation with per-minute spillover to on-demand\n"
    "  recommend   the reservation to buy: exact cost optimum, service levels, terms\n"
    "  export      write stored points as CSV\n"
    "  export-cmd  print aws commands that export what tierplan needs\n"
    "  version     print the version\n"
    "\n"
    "Every command takes --db PATH (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "and --help. Exit status: 0 success, 1 failure, 2 usage error.\n";

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"ingest", cmd_ingest},     {"stats", cmd_stats},   {"simulate", cmd_simulate},
    {"recommend", cmd_recommend}, {"export", cmd_export}, {"export-cmd", cmd_export_cmd},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(main_usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("tierplan %s\n", tp_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        /* getopt_long starts at argv[1]: hand each command its own argv with the command as
         * [0], which also makes getopt's own messages name the command */
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "%s: unknown command \"%s\"\n\n%s", prog, cmd, main_usage);
    return EXIT_USAGE;
}
