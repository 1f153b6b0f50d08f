/* test_coverage_blend.c - partial coverage: per minute, demand from metric exports inside
 * their spans and from invocation logs elsewhere (never both); the minutes neither covers;
 * the logs/metrics ratio over the minutes both cover (docs/model.md, "Metrics or logs"). */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "tierplan/stats.h"

void register_tests(void);

#define FM "anthropic.claude-3-haiku-20240307-v1:0"

/* 2025-08-11T00:00Z is minute 29,247,840 (2025-08-15T12:44Z is 29,254,364; less 4 days and
 * 764 minutes). Day d (1 to 4) starts at D1 + (d - 1) x 1440. */
#define D1 29247840LL
#define DAY 1440LL
/* 2025-08-15T12:40Z */
#define M1240 29254360LL

static tp_status ingest(tp_store *s, const tp_ingest_options *o, const char *name,
                        const char *text)
{
    warnings w = {{0}, 0};
    tp_ingest_options opts = {0};
    tp_error err;
    if (o != NULL)
        opts = *o;
    opts.warn = collect_warning;
    opts.warn_ctx = &w;
    tp_status rc = ingest_one(s, &opts, name, text, NULL, &err);
    if (rc != TP_OK)
        fprintf(stderr, "\n  ingest %s: %s\n", name, err.message);
    return rc;
}

/* One invocation log record per minute of [from, to): input and output tokens each. */
static char *log_lines(int64_t from, int64_t to, int input, int output)
{
    const size_t cap = (size_t)(to - from) * 200 + 1;
    char *t = malloc(cap), ts[TP_TIME_BUF];
    size_t n = 0;
    t[0] = '\0';
    for (int64_t m = from; m < to; m++)
        n += (size_t)snprintf(t + n, cap - n,
                              "{\"requestId\":\"r\",\"modelId\":\"" FM "\",\"timestamp\":\"%s\","
                              "\"input\":{\"inputTokenCount\":%d},\"output\":"
                              "{\"outputTokenCount\":%d}}\n",
                              tp_timestamp_format(m * 60 + 10, ts), input, output);
    return t;
}

/* A metric CSV: InputTokenCount and OutputTokenCount every minute of [from, to). */
static char *metric_csv(int64_t from, int64_t to, int input, int output)
{
    const size_t cap = (size_t)(to - from) * 2 * 120 + 64;
    char *t = malloc(cap), ts[TP_TIME_BUF];
    size_t n = (size_t)snprintf(t, cap, "timestamp,model,metric,value,period_s\n");
    for (int64_t m = from; m < to; m++) {
        tp_timestamp_format(m * 60, ts);
        n += (size_t)snprintf(t + n, cap - n, "%s," FM ",InputTokenCount,%d,60\n", ts, input);
        n += (size_t)snprintf(t + n, cap - n, "%s," FM ",OutputTokenCount,%d,60\n", ts, output);
    }
    return t;
}

/* The case: invocation logs for 4 days (3,000 input and 100 output tokens every
 * minute), metric exports for the last 2 (3,010 input, 100 output: logging misses some
 * APIs), their span recorded. */
static tp_store *four_days(void)
{
    tp_store *s = open_mem();
    char *logs = log_lines(D1, D1 + 4 * DAY, 3000, 100);
    char *csv = metric_csv(D1 + 2 * DAY, D1 + 4 * DAY, 3010, 100);
    tp_ingest_options o = {0};
    o.span_from_s = (D1 + 2 * DAY) * 60;
    o.span_to_s = (D1 + 4 * DAY) * 60;
    CU_ASSERT_EQUAL(ingest(s, NULL, "l.jsonl", logs), TP_OK);
    CU_ASSERT_EQUAL(ingest(s, &o, "m.csv", csv), TP_OK);
    free(logs);
    free(csv);
    return s;
}

/*
 * Demand per minute over the 4 days: days 1-2 from the logs (3,000), days 3-4 from the
 * metrics (3,010), so the input mean is (2,880 x 3,000 + 2,880 x 3,010) / 5,760 = 3,005 (the
 * reporter's true mean; reading days 1-2 as idle gave 1,505 here) and P25 is 3,000, not 0:
 * sorted, x[1439] = 3,000 with h = 0.25 x 5,759 = 1,439.75 and x[1440] = 3,000 too.
 */
static void test_four_days(void)
{
    tp_store *s = four_days();
    tp_error err;
    tp_series *ser = NULL;
    tp_series_query q = {0};
    q.model = FM;
    /* no window: both sources' data, day 1 to day 4 */
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_from_minute(ser), D1);
    CU_ASSERT_EQUAL_FATAL(tp_series_minutes(ser), (size_t)(4 * DAY));
    const double *in = tp_series_values(ser, TP_METRIC_INPUT);
    CU_ASSERT_EQUAL(in[0], 3000);
    CU_ASSERT_EQUAL(in[2 * DAY - 1], 3000);
    CU_ASSERT_EQUAL(in[2 * DAY], 3010); /* never both: 3,010, not 6,010 */
    CU_ASSERT_EQUAL(in[4 * DAY - 1], 3010);
    CU_ASSERT_EQUAL(tp_series_minutes_with_data(ser), (size_t)(4 * DAY));
    CU_ASSERT_EQUAL(tp_series_uncovered(ser, NULL, NULL), 0);
    CU_ASSERT_EQUAL(tp_series_log_minutes(ser), (size_t)(2 * DAY));
    CU_ASSERT_STRING_EQUAL(tp_series_sources(ser, TP_METRIC_INPUT),
                           "total + invocation logs (2,880 minutes)");
    int period = 0;
    size_t minutes = 0;
    CU_ASSERT_EQUAL(tp_series_resolution(ser, TP_METRIC_INPUT, 0, &period, &minutes), 1);
    CU_ASSERT_EQUAL(period, 60);
    CU_ASSERT_EQUAL(minutes, (size_t)(4 * DAY));
    tp_series_free(ser);

    /* stats over the 4 days, as a user asks for them */
    tp_model_stats *st = NULL;
    q.has_from = 1, q.from_minute = D1;
    q.has_to = 1, q.to_minute = D1 + 4 * DAY;
    CU_ASSERT_EQUAL_FATAL(tp_stats_model(s, &q, NULL, &st, &err), TP_OK);
    CU_ASSERT_EQUAL(st->tpm[TP_METRIC_INPUT].mean_tpm, 3005);
    CU_ASSERT_EQUAL(st->tpm[TP_METRIC_INPUT].p25_tpm, 3000);
    CU_ASSERT_EQUAL(st->tpm[TP_METRIC_OUTPUT].mean_tpm, 100);
    tp_stats_model_free(st);

    /* the metrics alone: days 1-2 are outside their span, uncovered (and read as zero:
     * 2,880 x 3,010 / 5,760 = 1,505) */
    st = NULL;
    q.source = TP_SOURCE_METRICS;
    CU_ASSERT_EQUAL_FATAL(tp_stats_model(s, &q, NULL, &st, &err), TP_OK);
    CU_ASSERT_EQUAL(st->tpm[TP_METRIC_INPUT].mean_tpm, 1505);
    const tp_window *u = NULL;
    size_t nu = 0;
    CU_ASSERT_EQUAL(tp_series_uncovered(st->series, &u, &nu), 2 * DAY);
    CU_ASSERT_EQUAL_FATAL(nu, 1);
    CU_ASSERT_EQUAL(u[0].from_minute, D1);
    CU_ASSERT_EQUAL(u[0].to_minute, D1 + 2 * DAY);
    tp_stats_model_free(st);

    /* a day before the logs begin: covered by neither, 1,440 minutes read as zero; the mean
     * over 7,200 minutes is 17,308,800 / 7,200 = 2,404 */
    st = NULL;
    q.source = TP_SOURCE_AUTO;
    q.from_minute = D1 - DAY;
    CU_ASSERT_EQUAL_FATAL(tp_stats_model(s, &q, NULL, &st, &err), TP_OK);
    CU_ASSERT_EQUAL(st->tpm[TP_METRIC_INPUT].mean_tpm, 2404);
    CU_ASSERT_EQUAL(tp_series_uncovered(st->series, &u, &nu), DAY);
    CU_ASSERT_EQUAL_FATAL(nu, 1);
    CU_ASSERT_EQUAL(u[0].from_minute, D1 - DAY);
    CU_ASSERT_EQUAL(u[0].to_minute, D1);
    tp_stats_model_free(st);

    /* the ratio over the minutes both cover, days 3-4: logs 2,880 x (3,000 + 100) =
     * 8,928,000 tokens, metrics 2,880 x (3,010 + 100) = 8,956,800 */
    int both = 0;
    double lt = 0, mt = 0;
    q.has_from = q.has_to = 0;
    CU_ASSERT_EQUAL(tp_series_compare_sources(s, &q, &both, &lt, &mt, &err), TP_OK);
    CU_ASSERT_EQUAL(both, 1);
    CU_ASSERT_EQUAL(lt, 8928000);
    CU_ASSERT_EQUAL(mt, 8956800);
    tp_store_close(s);
}

/*
 * A minute inside an export's span without a datapoint is idle by the metrics, whatever the
 * logs say; a minute outside every span takes the logs'. Logs: 100 input and 50 output
 * tokens at 12:42, 12:44 and 12:50. Metrics: 80 input at 12:50, span 12:44 .. 12:51. Window
 * 12:40 .. 12:55 (15 minutes): 12:42 = 100 (logs), 12:44 = 0 (metrics, idle), 12:50 = 80
 * (metrics). Neither covers 12:40 .. 12:42 (before the logs' first minute) nor 12:51 .. 12:55
 * (after both): 2 + 4 = 6 minutes in 2 spans. The ratio counts 12:44 .. 12:51 only, where
 * both cover: logs 2 x 150 = 300 tokens (12:42 is the logs' alone), metrics 80; without a
 * window too (the metric window reaches the span's start then).
 */
static void test_spans_decide(void)
{
    tp_store *s = open_mem();
    tp_error err;
    char ts[TP_TIME_BUF], csv[256], *logs = NULL;
    char *l1 = log_lines(M1240 + 2, M1240 + 3, 100, 50);
    char *l2 = log_lines(M1240 + 4, M1240 + 5, 100, 50);
    char *l3 = log_lines(M1240 + 10, M1240 + 11, 100, 50);
    logs = malloc(strlen(l1) + strlen(l2) + strlen(l3) + 1);
    strcat(strcat(strcpy(logs, l1), l2), l3);
    snprintf(csv, sizeof csv, "timestamp,model,metric,value\n%s," FM ",InputTokenCount,80\n",
             tp_timestamp_format((M1240 + 10) * 60, ts));
    tp_ingest_options o = {0};
    o.period_s = 60;
    o.span_from_s = (M1240 + 4) * 60;
    o.span_to_s = (M1240 + 11) * 60;
    CU_ASSERT_EQUAL(ingest(s, NULL, "l.jsonl", logs), TP_OK);
    CU_ASSERT_EQUAL(ingest(s, &o, "m.csv", csv), TP_OK);
    tp_series *ser = NULL;
    tp_series_query q = {0};
    q.model = FM;
    q.has_from = 1, q.from_minute = M1240;
    q.has_to = 1, q.to_minute = M1240 + 15;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    const double *in = tp_series_values(ser, TP_METRIC_INPUT);
    const double *out = tp_series_values(ser, TP_METRIC_OUTPUT);
    CU_ASSERT_EQUAL(in[2], 100);
    CU_ASSERT_EQUAL(out[2], 50);
    CU_ASSERT_EQUAL(in[4], 0);
    CU_ASSERT_EQUAL(out[4], 0);
    CU_ASSERT_EQUAL(in[10], 80);
    CU_ASSERT_EQUAL(out[10], 0); /* the metrics hold no output: not the logs' 50 */
    CU_ASSERT_EQUAL(tp_series_minutes_with_data(ser), 2);
    CU_ASSERT_EQUAL(tp_series_log_minutes(ser), 1);
    const tp_window *u = NULL;
    size_t nu = 0;
    CU_ASSERT_EQUAL(tp_series_uncovered(ser, &u, &nu), 6);
    CU_ASSERT_EQUAL_FATAL(nu, 2);
    CU_ASSERT_EQUAL(u[0].from_minute, M1240);
    CU_ASSERT_EQUAL(u[0].to_minute, M1240 + 2);
    CU_ASSERT_EQUAL(u[1].from_minute, M1240 + 11);
    CU_ASSERT_EQUAL(u[1].to_minute, M1240 + 15);
    tp_series_free(ser);
    int both = 0;
    double lt = 0, mt = 0;
    CU_ASSERT_EQUAL(tp_series_compare_sources(s, &q, &both, &lt, &mt, &err), TP_OK);
    CU_ASSERT_EQUAL(both, 1);
    CU_ASSERT_EQUAL(lt, 300);
    CU_ASSERT_EQUAL(mt, 80);
    /* without a window the same: the span reaches 12:44, before the first metric point
     * (12:50 alone would count the logs' 150 tokens there only) */
    tp_series_query nq = {0};
    nq.model = FM;
    lt = mt = 0;
    CU_ASSERT_EQUAL(tp_series_compare_sources(s, &nq, &both, &lt, &mt, &err), TP_OK);
    CU_ASSERT_EQUAL(lt, 300);
    CU_ASSERT_EQUAL(mt, 80);
    /* the logs alone: 12:40 .. 12:42 and 12:51 .. 12:55 are outside them */
    q.source = TP_SOURCE_LOGS;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_uncovered(ser, &u, &nu), 6);
    CU_ASSERT_EQUAL(nu, 2);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[4], 100);
    tp_series_free(ser);
    free(l1);
    free(l2);
    free(l3);
    free(logs);
    tp_store_close(s);
}

/*
 * Metrics by resolved tier (priority) and logs, which carry no tier: the log minutes go to the
 * default tier (a request that names none is served by it), the priority tier keeps only its
 * own. Metrics: 80 input at 12:50 served by priority, span 12:44 .. 12:51; logs: 100 input at
 * 12:42. Total: 12:42 = 100, 12:50 = 80; priority: 0 and 80; default: 100 and 0.
 */
static void test_tiers_blend(void)
{
    tp_store *s = open_mem();
    tp_error err;
    char ts[TP_TIME_BUF], csv[256];
    char *logs = log_lines(M1240 + 2, M1240 + 3, 100, 50);
    snprintf(csv, sizeof csv,
             "timestamp,model,metric,value,tier\n%s," FM ",InputTokenCount,80,priority\n",
             tp_timestamp_format((M1240 + 10) * 60, ts));
    tp_ingest_options o = {0};
    o.period_s = 60;
    o.span_from_s = (M1240 + 4) * 60;
    o.span_to_s = (M1240 + 11) * 60;
    CU_ASSERT_EQUAL(ingest(s, NULL, "l.jsonl", logs), TP_OK);
    CU_ASSERT_EQUAL(ingest(s, &o, "m.csv", csv), TP_OK);
    tp_series *ser = NULL;
    tp_series_query q = {0};
    q.model = FM;
    q.has_from = 1, q.from_minute = M1240;
    q.has_to = 1, q.to_minute = M1240 + 15;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_family(ser), TP_FAMILY_RESOLVED);
    const double *in = tp_series_values(ser, TP_METRIC_INPUT);
    CU_ASSERT_EQUAL(in[2], 100);
    CU_ASSERT_EQUAL(in[10], 80);
    int known = 0;
    tp_demand pr = tp_series_tier_demand(ser, TP_AXIS_SERVED, TP_SERVICE_PRIORITY, &known);
    CU_ASSERT_EQUAL_FATAL(known, 1);
    CU_ASSERT_EQUAL(pr.input_tpm[2], 0);
    CU_ASSERT_EQUAL(pr.input_tpm[10], 80);
    tp_demand df = tp_series_tier_demand(ser, TP_AXIS_SERVED, TP_SERVICE_DEFAULT, &known);
    CU_ASSERT_EQUAL(df.input_tpm[2], 100);
    CU_ASSERT_EQUAL(df.input_tpm[10], 0);
    CU_ASSERT_EQUAL(df.output_tpm[2], 50);
    tp_series_free(ser);
    free(logs);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("coverage_blend", NULL, NULL);
    CU_add_test(s, "four days of logs, two of metrics", test_four_days);
    CU_add_test(s, "export spans decide each minute", test_spans_decide);
    CU_add_test(s, "log minutes go to the default tier", test_tiers_blend);
}
