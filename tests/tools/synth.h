/* synth.h - deterministic synthetic Bedrock traffic written as CloudWatch get-metric-data JSON. */
#ifndef TIERPLAN_SYNTH_H
#define TIERPLAN_SYNTH_H

#include <stdint.h>
#include <stdio.h>

typedef struct synth_params {
    const char *model;
    int64_t start_s;         /* first minute, Unix seconds (multiple of 60) */
    int64_t minutes;         /* length of the history */
    double peak_prompt_tpm;  /* prompt tokens per minute at the weekday daily peak */
    double cache_hit;        /* share of prompt tokens read from cache */
    double cache_write;      /* share of prompt tokens written to cache */
    double output_ratio;     /* output tokens per prompt token */
    uint64_t seed;
    int omit_idle;           /* 1: minutes with no traffic have no datapoint (as CloudWatch) */
} synth_params;

/* Per-minute token counts of minute i (0-based) of the history. */
typedef struct synth_minute {
    double input, output, cache_read, cache_write;
} synth_minute;

/* Fills out[0..p->minutes-1]; returns 0, or -1 when out of memory. Same seed, same data. */
int synth_generate(const synth_params *p, synth_minute *out);

/*
 * Writes the history as AWS CLI-style indented get-metric-data JSON pages of at most
 * max_points datapoints each (CloudWatch's limit is 100,800), newest first as CloudWatch
 * returns by default, with a NextToken on every page but the last. Pages go to
 * PREFIX-pageNN.json when numbered, else to PREFIX.json (then all must fit one page).
 * Returns the number of pages, or -1 on error.
 */
int synth_write_pages(const synth_params *p, const synth_minute *m, int max_points,
                      const char *prefix, int numbered);

#endif
