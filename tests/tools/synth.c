/* synth.c - synthetic traffic with diurnal and weekly cycles, idle minutes, spikes, cache hits. */
#include "synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: tiny, fast, and the same sequence on every platform (rand() is not). */
static double uniform(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

int synth_generate(const synth_params *p, synth_minute *out)
{
    const double pi = 3.14159265358979323846;
    uint64_t s = p->seed ? p->seed : 88172645463325252ULL;
    int64_t spike_left = 0;
    double spike = 1.0;
    for (int64_t i = 0; i < p->minutes; i++) {
        int64_t t = p->start_s + i * 60;
        double hour = (double)(t % 86400) / 3600.0;
        int weekday = (int)((t / 86400 + 4) % 7); /* 1970-01-01 was a Thursday: 0 = Sunday */
        /* business-hours peak at 15:00 UTC, a quiet night */
        double diurnal = 0.55 + 0.45 * cos(2 * pi * (hour - 15.0) / 24.0);
        double weekly = (weekday == 0 || weekday == 6) ? 0.35 : 1.0;
        if (spike_left == 0 && uniform(&s) < 0.0015) {
            spike_left = 5 + (int64_t)(uniform(&s) * 20);
            spike = 2.0 + 2.0 * uniform(&s);
        }
        double burst = spike_left > 0 ? spike : 1.0;
        if (spike_left > 0)
            spike_left--;
        double noise = 0.7 + 0.6 * uniform(&s);
        double prompt = p->peak_prompt_tpm * diurnal * weekly * burst * noise;
        /* at night and at weekends many minutes see no request at all */
        double idle_p = 0.5 * (1.0 - diurnal * weekly);
        if (uniform(&s) < idle_p)
            prompt = 0;
        double hit = p->cache_hit * (0.8 + 0.4 * uniform(&s));
        if (hit > 0.98)
            hit = 0.98;
        synth_minute *m = &out[i];
        m->cache_read = floor(prompt * hit);
        m->cache_write = floor(prompt * p->cache_write);
        m->input = floor(prompt) - m->cache_read - m->cache_write;
        if (m->input < 0)
            m->input = 0;
        m->output = floor(prompt * p->output_ratio * (0.7 + 0.6 * uniform(&s)));
    }
    return 0;
}

static void fmt_ts(int64_t t, char *buf, size_t n)
{
    int64_t days = t / 86400, rem = t % 86400;
    /* civil_from_days (Howard Hinnant), as in src/base/timestamp.c */
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1), mo = (int)(mp < 10 ? mp + 3 : mp - 9);
    int64_t y = yoe + era * 400 + (mo <= 2);
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:00+00:00", (int)y, mo, d, (int)(rem / 3600),
             (int)(rem / 60 % 60));
}

static const char *const names[4] = {"InputTokenCount", "OutputTokenCount",
                                     "CacheReadInputTokenCount", "CacheWriteInputTokenCount"};
static const char *const ids[4] = {"input", "output", "cacheread", "cachewrite"};

static double value_of(const synth_minute *m, int k)
{
    return k == 0 ? m->input : k == 1 ? m->output : k == 2 ? m->cache_read : m->cache_write;
}

int synth_write_pages(const synth_params *p, const synth_minute *m, int max_points,
                      const char *prefix, int numbered)
{
    /* Walk each metric newest first; a page takes up to max_points datapoints across the
     * metrics, filling one metric before the next, as CloudWatch paginates. */
    int64_t pos[4];
    for (int k = 0; k < 4; k++)
        pos[k] = p->minutes - 1;
    int page = 0;
    for (;;) {
        int any = 0;
        for (int k = 0; k < 4; k++)
            any |= pos[k] >= 0;
        if (!any)
            break;
        char path[4096];
        if (numbered)
            snprintf(path, sizeof path, "%s-page%02d.json", prefix, page + 1);
        else
            snprintf(path, sizeof path, "%s.json", prefix);
        FILE *f = fopen(path, "w");
        if (f == NULL)
            return -1;
        fprintf(f, "{\n    \"MetricDataResults\": [");
        int budget = max_points, first_result = 1;
        for (int k = 0; k < 4 && budget > 0; k++) {
            if (pos[k] < 0)
                continue;
            /* collect this page's slice of metric k */
            int64_t hi = pos[k], lo = hi;
            int taken = 0;
            while (lo >= 0 && taken < budget) {
                if (!p->omit_idle || value_of(&m[lo], k) > 0)
                    taken++;
                lo--;
            }
            /* the label as tierplan export-cmd writes it: the requested span's Start= and End=
             * give ingest the export's as-of */
            char span_from[40], span_to[40];
            fmt_ts(p->start_s, span_from, sizeof span_from);
            fmt_ts(p->start_s + (int64_t)p->minutes * 60, span_to, sizeof span_to);
            fprintf(f, "%s\n        {\n            \"Id\": \"%s\",\n            \"Label\": "
                       "\"ModelId=%s %s Period=60 Start=%s End=%s\",\n            \"Timestamps\": [",
                    first_result ? "" : ",", ids[k], p->model, names[k], span_from, span_to);
            int first = 1;
            for (int64_t i = hi; i > lo; i--) {
                if (p->omit_idle && value_of(&m[i], k) <= 0)
                    continue;
                char ts[40];
                fmt_ts(p->start_s + i * 60, ts, sizeof ts);
                fprintf(f, "%s\n                \"%s\"", first ? "" : ",", ts);
                first = 0;
            }
            fprintf(f, "\n            ],\n            \"Values\": [");
            first = 1;
            for (int64_t i = hi; i > lo; i--) {
                double v = value_of(&m[i], k);
                if (p->omit_idle && v <= 0)
                    continue;
                fprintf(f, "%s\n                %.1f", first ? "" : ",", v);
                first = 0;
            }
            fprintf(f, "\n            ],\n            \"StatusCode\": \"%s\"\n        }",
                    lo >= 0 ? "PartialData" : "Complete");
            first_result = 0;
            budget -= taken;
            pos[k] = lo;
        }
        int more = 0;
        for (int k = 0; k < 4; k++)
            more |= pos[k] >= 0;
        fprintf(f, "\n    ],\n");
        if (more)
            fprintf(f, "    \"NextToken\": \"synthetic-page-%d\",\n", page + 2);
        fprintf(f, "    \"Messages\": []\n}\n");
        if (fclose(f) != 0)
            return -1;
        page++;
    }
    return page;
}
