/* genlogs.h - deterministic synthetic Bedrock model invocation logs with their exact truth:
 * several identities (assumed-role sessions), requestMetadata, cache use, errors. */
#ifndef TIERPLAN_GENLOGS_H
#define TIERPLAN_GENLOGS_H

#include <stdint.h>

#define GENLOGS_TEAMS 3

/* What one minute of one team holds: the sums an ingest must reproduce exactly. */
typedef struct genlogs_truth {
    int64_t requests, errors, input, output, cache_read, cache_write;
} genlogs_truth;

typedef struct genlogs_params {
    const char *model_arn; /* written as modelId (an ARN: ingest normalises it) */
    int64_t start_s;       /* first minute, Unix seconds (multiple of 60) */
    int64_t minutes;
    int max_per_minute; /* records per minute per team: 0 .. max */
    uint64_t seed;
} genlogs_params;

/* The role of team t ("TeamA" ...) and its account. */
const char *genlogs_team(int t);
#define GENLOGS_ACCOUNT "123456789012"

/* Writes records of minutes [from, to) of the history as JSON lines to path, gzip when gz is
 * set, adding what it wrote to truth[(minute - 0) * GENLOGS_TEAMS + team] (truth holds
 * p->minutes * GENLOGS_TEAMS entries, zeroed by the caller). Same seed, same records: the
 * generator is restarted at minute 0 and skips to from. Returns the number of records, or -1. */
long genlogs_write(const genlogs_params *p, int64_t from, int64_t to, const char *path, int gz,
                   genlogs_truth *truth);

#endif
