/* gensample.c - writes the bundled sample data (data/sample-*.json); see docs/sample-data.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

static const char *const usage =
    "usage: gensample [--start T] [--days N] [--scale F] [--origin T] OUTDIR\n"
    "       gensample --help\n"
    "  --start T   first minute of the export, YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)\n"
    "              (default 2026-10-07, the bundled sample)\n"
    "  --days N    days of history, 1 to 455 (default 3)\n"
    "  --scale F   traffic x F, 0 to 1000 (default 1)\n"
    "  --origin T  where the generated traffic begins (default: --start); exports of the\n"
    "              same origin agree on every minute they share, as CloudWatch's do\n";

/* Days since 1970-01-01 of a proleptic Gregorian date (as in src/base/timestamp.c). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC) into Unix seconds: 0, or -1. */
static int parse_start(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || y < 1970 || mo < 1 || mo > 12 ||
        d < 1 || d > 31)
        return -1;
    if (s[n] == 'T') {
        int t = 0;
        if (sscanf(s + n, "T%2d:%2d%n", &h, &mi, &t) != 2 || h > 23 || mi > 59 ||
            s[n + t] != '\0')
            return -1;
    } else if (s[n] != '\0') {
        return -1;
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
    return 0;
}

/* Regenerates data/ byte for byte without options: fixed seeds, fixed start. */
int main(int argc, char **argv)
{
    int64_t start_s = 1791331200, origin_s = -1; /* 2026-10-07T00:00:00Z, a Wednesday */
    long days = 3;
    double scale = 1;
    int i = 1;
    /* every argument starting with '-' is an option: an unknown one, or one without its
     * value, is refused rather than taken for OUTDIR */
    for (; i < argc && argv[i][0] == '-'; i += 2) {
        char *end = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "gensample: option %s needs a value\n%s", argv[i], usage);
            return 2;
        }
        if (strcmp(argv[i], "--start") == 0 && parse_start(argv[i + 1], &start_s) == 0)
            continue;
        if (strcmp(argv[i], "--origin") == 0 && parse_start(argv[i + 1], &origin_s) == 0)
            continue;
        if (strcmp(argv[i], "--days") == 0 && (days = strtol(argv[i + 1], &end, 10)) >= 1 &&
            days <= 455 && *end == '\0')
            continue;
        if (strcmp(argv[i], "--scale") == 0 && (scale = strtod(argv[i + 1], &end)) >= 0 &&
            scale <= 1000 && *end == '\0')
            continue;
        fprintf(stderr, "gensample: bad option %s %s\n%s", argv[i], argv[i + 1], usage);
        return 2;
    }
    if (i != argc - 1) {
        fputs(usage, stderr);
        return 2;
    }
    if (origin_s < 0)
        origin_s = start_s;
    if (origin_s > start_s || (start_s - origin_s) % 60 != 0) {
        fprintf(stderr, "gensample: --origin must be a whole minute at or before --start\n");
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
    const int64_t skip = (start_s - origin_s) / 60;
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
        synth_params p = {0};
        p.model = models[k].model;
        p.start_s = origin_s;
        p.minutes = skip + days * 1440;
        p.peak_prompt_tpm = models[k].peak * scale;
        p.cache_hit = models[k].hit;
        p.cache_write = models[k].write;
        p.output_ratio = models[k].out;
        p.seed = models[k].seed;
        p.omit_idle = 1;
        synth_minute *m = calloc((size_t)p.minutes, sizeof *m);
        char prefix[4096];
        snprintf(prefix, sizeof prefix, "%s/%s", argv[i], models[k].file);
        /* the export: the generated traffic from --start on; its labels' Start= and End= are
         * the span written. 3 days x 4 metrics = 17,280 points: one page; more than 100,800
         * points go to numbered pages */
        synth_params w = p;
        w.start_s = start_s;
        w.minutes = days * 1440;
        const int paged = w.minutes * 4 > 100800;
        const int pages = m == NULL || synth_generate(&p, m) != 0
                              ? -1
                              : synth_write_pages(&w, m + skip, 100800, prefix, paged);
        free(m);
        if (pages < 1 || (!paged && pages != 1)) {
            fprintf(stderr, "gensample: failed writing %s\n", models[k].file);
            return 1;
        }
    }
    return 0;
}
