/* main.c - the tierplan command line: global usage and version, global options, dispatch to
 * one command. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"

static const char *main_usage =
    "usage: tierplan [GLOBAL OPTIONS] COMMAND [OPTIONS]\n"
    "\n"
    "Plan reserved LLM inference capacity from CloudWatch token metrics.\n"
    "\n"
    "commands:\n"
    "  ingest      load CloudWatch exports or CSV into the database\n"
    "  stats       P25/P50/P90/P99/max/mean TPM per model\n"
    "  simulate    cost of a reservation with per-minute spillover to on-demand\n"
    "  recommend   the reservation to buy: exact cost optimum, service levels, terms\n"
    "  report      every model and the fleet's totals: text, JSON, CSV, markdown, HTML\n"
    "  check       fail (exit 1) when thresholds on cost, utilization, spill, change or\n"
    "              staleness are crossed: for scheduled CI jobs\n"
    "  diff        what changed between two recommend/report JSON outputs\n"
    "  project     monthly cost of each plan for the next months, with growth and a band\n"
    "  showback    a reservation's cost split by attribution key of invocation logs\n"
    "  export      write stored points as CSV\n"
    "  export-cmd  print the aws (or az, gcloud, curl: --provider) commands that export what\n"
    "              tierplan needs\n"
    "  series      every stored series: span, minutes with data, export coverage\n"
    "  relabel     move a model's data stored without a region to its region and account\n"
    "  version     print the version\n"
    "\n"
    "Every command takes --db PATH (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "and --help. Only ingest creates a database; the others need one that exists.\n"
    "The global options --db PATH, --pricing FILE and -q/--quiet may also come before\n"
    "COMMAND: the command takes them as if given after it (an option given after it wins),\n"
    "and one the command has no use for is ignored there (export needs no --pricing). So may\n"
    "--busy-timeout SECONDS: how long a command waits for a lock another process holds (a\n"
    "second ingest waits for the first to commit; readers never wait), default 60.\n"
    "Exit status: 0 success; 1 a verdict: a threshold of check failed, or no data (no\n"
    "database, no data for the model or window, a --region/--account that matches nothing,\n"
    "an input of logs or query results from which nothing could be stored); 2 usage error;\n"
    "3 any other failure (bad input, an ingest that failed or that --strict refused, the\n"
    "database, a report not written). A failed step is never 1. check, whose 1 is a failed\n"
    "threshold and nothing else, exits 2 when it has no data to judge.\n";

/* The options every command shares that may also come before the command, as bits. */
enum { G_DB = 1, G_PRICING = 2, G_QUIET = 4, G_BUSY = 8 };
static const struct global_option {
    const char *name;
    int has_value;
    const char *short_name; /* or NULL */
    int bit;
} globals[] = {{"--db", 1, NULL, G_DB},
               {"--pricing", 1, NULL, G_PRICING},
               {"--busy-timeout", 1, NULL, G_BUSY},
               {"--quiet", 0, "-q", G_QUIET}};

/* uses: the global options the command takes; one it has no use for is dropped when given
 * before it, so that `alias tp='tierplan --db prod.db --pricing p.json'` serves every
 * command (export needs no catalog, stats has no summary to quiet). */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    int uses;
} commands[] = {
    {"ingest", cmd_ingest, G_DB | G_QUIET | G_BUSY},
    {"stats", cmd_stats, G_DB | G_PRICING | G_BUSY},
    {"simulate", cmd_simulate, G_DB | G_PRICING | G_BUSY},
    {"recommend", cmd_recommend, G_DB | G_PRICING | G_BUSY},
    {"report", cmd_report, G_DB | G_PRICING | G_BUSY},
    {"check", cmd_check, G_DB | G_PRICING | G_BUSY},
    {"diff", cmd_diff, 0},
    {"project", cmd_project, G_DB | G_PRICING | G_BUSY},
    {"showback", cmd_showback, G_DB | G_PRICING | G_BUSY},
    {"export", cmd_export, G_DB | G_BUSY},
    {"export-cmd", cmd_export_cmd, G_DB | G_BUSY},
    {"series", cmd_series, G_DB | G_BUSY},
    {"relabel", cmd_relabel, G_DB | G_BUSY},
};

/* The global option at argv[i], or NULL; *words receives how many argv words it takes (1,
 * or 2 with a separate value; 0 when the value is missing). */
static const struct global_option *global_at(int argc, char **argv, int i, int *words)
{
    const char *a = argv[i];
    for (size_t k = 0; k < sizeof globals / sizeof globals[0]; k++) {
        const struct global_option *g = &globals[k];
        const size_t n = strlen(g->name);
        *words = 1;
        if (g->short_name != NULL && strcmp(a, g->short_name) == 0)
            return g;
        if (strncmp(a, g->name, n) != 0)
            continue;
        if (a[n] == '\0') {
            *words = !g->has_value ? 1 : i + 1 < argc ? 2 : 0;
            return g;
        }
        if (a[n] == '=' && g->has_value)
            return g; /* --db=PATH */
    }
    return NULL;
}

/* Runs the command at argv[first] with the global options of argv[1 .. first) that it uses
 * moved behind its name, so that it parses them as its own. They come before the command's
 * own options, and a later option wins: one given after the command overrides them. */
static int run_command(const struct command *c, int argc, char **argv, int first)
{
    /* getopt_long starts at argv[1]: each command gets its own argv with the command as [0],
     * which also makes getopt's own messages name the command */
    char **v = malloc(((size_t)argc + 1) * sizeof *v);
    if (v == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return EXIT_FAIL;
    }
    int n = 0, words;
    v[n++] = argv[first];
    for (int i = 1; i < first; i += words) {
        const struct global_option *g = global_at(argc, argv, i, &words);
        for (int w = 0; w < words && (c->uses & g->bit) != 0; w++)
            v[n++] = argv[i + w];
    }
    for (int i = first + 1; i < argc; i++)
        v[n++] = argv[i];
    v[n] = NULL;
    int rc = c->run(n, v);
    free(v);
    return rc;
}

int main(int argc, char **argv)
{
    int first = 1, words; /* argv[first] is the command */
    for (; first < argc && global_at(argc, argv, first, &words) != NULL; first += words)
        if (words == 0) {
            fprintf(stderr, "%s: %s needs a value\n\n%s", prog, argv[first], main_usage);
            return EXIT_USAGE;
        }
    if (first >= argc) {
        fputs(main_usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[first];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(main_usage, stdout);
        return stdout_finish(0);
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("tierplan %s\n", tp_version());
        return stdout_finish(0);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return stdout_finish(run_command(&commands[i], argc, argv, first));
    fprintf(stderr, "%s: unknown %s \"%s\"\n\n%s", prog,
            cmd[0] == '-' ? "global option (--db, --pricing, --busy-timeout, -q/--quiet)"
                           : "command", cmd,
            main_usage);
    return EXIT_USAGE;
}
