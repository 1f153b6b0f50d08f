/* genlogs.c - synthetic invocation logs (see genlogs.h): a day of traffic of three teams
 * through assumed-role sessions, with cache reads and writes, errors and records without
 * token counts' neighbours, as Bedrock writes them (ConverseStream and InvokeModel shapes). */
#define _POSIX_C_SOURCE 200809L
#include "genlogs.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static const char *const teams[GENLOGS_TEAMS] = {"TeamA", "TeamB", "TeamC"};

const char *genlogs_team(int t)
{
    return teams[t];
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

typedef struct out {
    FILE *f;
    gzFile g;
} out;

static void put(out *o, const char *line)
{
    if (o->g != NULL)
        gzputs(o->g, line);
    else
        fputs(line, o->f);
}

/* One record of team t at second ts; adds it to tr when kept. */
static void record(out *o, const genlogs_params *p, uint64_t *rng, int t, int64_t ts, long n,
                   genlogs_truth *tr, int keep)
{
    char when[32], line[2048];
    time_t tt = (time_t)ts;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    const int ms = (int)(next(rng) % 1000), err = next(rng) % 20 == 0;
    const long in = (long)(next(rng) % 4000) + 1, outt = (long)(next(rng) % 800) + 1;
    const long cr = next(rng) % 3 == 0 ? (long)(next(rng) % 2000) : 0;
    const long cw = next(rng) % 5 == 0 ? (long)(next(rng) % 500) : 0;
    const unsigned session = (unsigned)(next(rng) % 1000);
    const int stream = next(rng) % 2 == 0;
    if (err)
        snprintf(line, sizeof line,
                 "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\","
                 "\"timestamp\":\"%s.%03dZ\",\"accountId\":\"" GENLOGS_ACCOUNT "\","
                 "\"identity\":{\"arn\":\"arn:aws:sts::" GENLOGS_ACCOUNT ":assumed-role/%s/"
                 "s-%u\"},\"region\":\"us-east-1\",\"requestId\":\"r-%ld\",\"operation\":"
                 "\"Converse\",\"modelId\":\"%s\",\"errorCode\":\"ThrottlingException\","
                 "\"requestMetadata\":{\"team\":\"%s\"}}\n",
                 when, ms, teams[t], session, n, p->model_arn, teams[t]);
    else
        snprintf(line, sizeof line,
                 "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\","
                 "\"timestamp\":\"%s.%03dZ\",\"accountId\":\"" GENLOGS_ACCOUNT "\","
                 "\"identity\":{\"arn\":\"arn:aws:sts::" GENLOGS_ACCOUNT ":assumed-role/%s/"
                 "s-%u\"},\"region\":\"us-east-1\",\"requestId\":\"r-%ld\",\"operation\":"
                 "\"%s\",\"modelId\":\"%s\",\"input\":{\"inputContentType\":"
                 "\"application/json\",\"inputBodyJson\":{\"messages\":[{\"role\":\"user\","
                 "\"content\":[{\"text\":\"a prompt with \\\"quotes\\\" and {braces}\"}]}]},"
                 "\"inputTokenCount\":%ld,\"cacheReadInputTokenCount\":%ld,"
                 "\"cacheWriteInputTokenCount\":%ld},\"output\":{\"outputContentType\":"
                 "\"application/json\",\"outputBodyJson\":{\"usage\":{\"inputTokens\":%ld,"
                 "\"outputTokens\":%ld}},\"outputTokenCount\":%ld},"
                 "\"requestMetadata\":{\"team\":\"%s\",\"trace\":\"t-%ld\"}}\n",
                 when, ms, teams[t], session, n, stream ? "ConverseStream" : "InvokeModel",
                 p->model_arn, in, cr, cw, in, outt, outt, teams[t], n);
    if (!keep)
        return;
    put(o, line);
    tr->requests++;
    tr->errors += err;
    if (!err) {
        tr->input += in;
        tr->output += outt;
        tr->cache_read += cr;
        tr->cache_write += cw;
    }
}

long genlogs_write(const genlogs_params *p, int64_t from, int64_t to, const char *path, int gz,
                   genlogs_truth *truth)
{
    out o = {NULL, NULL};
    uint64_t rng = p->seed | 1;
    long n = 0, written = 0;
    if (gz ? (o.g = gzopen(path, "wb")) == NULL : (o.f = fopen(path, "w")) == NULL)
        return -1;
    for (int64_t m = 0; m < p->minutes && m < to; m++)
        for (int t = 0; t < GENLOGS_TEAMS; t++) {
            const int k = (int)(next(&rng) % (uint64_t)(p->max_per_minute + 1));
            for (int i = 0; i < k; i++, n++) {
                const int64_t ts = p->start_s + m * 60 + (int64_t)(next(&rng) % 60);
                record(&o, p, &rng, t, ts, n, &truth[m * GENLOGS_TEAMS + t], m >= from);
                written += m >= from;
            }
        }
    int bad = gz ? gzclose(o.g) != Z_OK : fclose(o.f) != 0;
    return bad ? -1 : written;
}
