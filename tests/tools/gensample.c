/* gensample.c - writes the bundled sample data (data/sample-*.json); see docs/sample-data.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

/* Usage: gensample OUTDIR. Regenerates data/ byte for byte: fixed seeds, fixed start. */
int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gensample OUTDIR\n");
        return 2;
    }
    const struct {
        const char *file, *model;
        double peak, hit, write, out;
        uint64_t seed;
    } models[] = {
        {"sample-claude-sonnet", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", 900000,
         0.70, 0.04, 0.12, 42},
        {"sample-nova-pro", "amazon.nova-pro-v1:0", 250000, 0.20, 0.0, 0.25, 7},
    };
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        synth_params p = {0};
        p.model = models[i].model;
        p.start_s = 1791331200; /* 2026-10-07T00:00:00Z, a Wednesday */
        p.minutes = 3 * 1440;
        p.peak_prompt_tpm = models[i].peak;
        p.cache_hit = models[i].hit;
        p.cache_write = models[i].write;
        p.output_ratio = models[i].out;
        p.seed = models[i].seed;
        p.omit_idle = 1;
        synth_minute *m = calloc((size_t)p.minutes, sizeof *m);
        char prefix[4096];
        snprintf(prefix, sizeof prefix, "%s/%s", argv[1], models[i].file);
        /* 3 days x 4 metrics = 17,280 points: one page */
        if (m == NULL || synth_generate(&p, m) != 0 ||
            synth_write_pages(&p, m, 100800, prefix, 0) != 1) {
            fprintf(stderr, "gensample: failed writing %s\n", models[i].file);
            free(m);
            return 1;
        }
        free(m);
    }
    return 0;
}
