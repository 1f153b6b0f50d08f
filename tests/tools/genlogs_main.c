/* genlogs_main.c - writes synthetic invocation logs (genlogs.h) for trying tierplan out and
 * for the benchmark: genlogs OUT [MINUTES [RECORDS_PER_TEAM_MINUTE [gz [MODEL_ID]]]]. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genlogs.h"

static const char *usage =
    "usage: genlogs OUT [MINUTES [MAX_PER_TEAM_MINUTE [gz [MODEL_ID]]]]\n"
    "\n"
    "Writes synthetic Bedrock invocation logs (one JSON record a line) of three teams to OUT,\n"
    "from 2025-08-15T00:00Z, seeded (the same arguments write the same file).\n"
    "\n"
    "  OUT                  the file to write (replaced)\n"
    "  MINUTES              minutes of logs (default 1440: one day)\n"
    "  MAX_PER_TEAM_MINUTE  at most this many records per team a minute (default 3)\n"
    "  gz                   gzip the file\n"
    "  MODEL_ID             the model (default anthropic.claude-haiku-4-5-20251001-v1:0)\n"
    "  -h, --help           show this help\n";

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (argv[i][0] == '-') { /* never a file named like an option */
            fprintf(stderr, "genlogs: unknown option \"%s\" (see genlogs --help)\n", argv[i]);
            return 2;
        }
    }
    if (argc < 2 || argc > 6) {
        fputs(usage, stderr);
        return 2;
    }
    genlogs_params p = {"arn:aws:bedrock:us-east-1::foundation-model/"
                        "anthropic.claude-haiku-4-5-20251001-v1:0",
                        1755216000, 1440, 3, 42};
    char model[600];
    if (argc > 2)
        p.minutes = atol(argv[2]);
    if (argc > 3)
        p.max_per_minute = atoi(argv[3]);
    if (argc > 5) {
        snprintf(model, sizeof model, "arn:aws:bedrock:us-east-1::foundation-model/%s", argv[5]);
        p.model_arn = model;
    }
    if (p.minutes <= 0 || p.max_per_minute < 0) {
        fputs("genlogs: MINUTES must be > 0, MAX_PER_TEAM_MINUTE >= 0\n", stderr);
        return 2;
    }
    genlogs_truth *truth = calloc((size_t)p.minutes * GENLOGS_TEAMS, sizeof *truth);
    long n = truth != NULL ? genlogs_write(&p, 0, p.minutes, argv[1],
                                           argc > 4 && strcmp(argv[4], "gz") == 0, truth)
                           : -1;
    free(truth);
    if (n < 0) {
        fprintf(stderr, "genlogs: cannot write %s\n", argv[1]);
        return 1;
    }
    fprintf(stderr, "genlogs: %ld records to %s\n", n, argv[1]);
    return 0;
}
