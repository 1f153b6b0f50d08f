/* test_awscmd.c - export commands: CloudWatch's periods by age at their boundaries, several
 * models, --end, starts from the store. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/awscmd.h"

void register_tests(void);

/* N = 2026-10-10T00:00:00Z, a whole hour: every limit below is a whole multiple of its
 * period. A = 14 d 23 h = 1,292,400 s, B = 62 d 23 h = 5,439,600 s. */
#define N INT64_C(1791590400)
#define A INT64_C(1292400)
#define B INT64_C(5439600)
#define DAY INT64_C(86400)

static size_t ranges(int64_t start, int64_t end, tp_awscmd_range r[3])
{
    memset(r, 0, 3 * sizeof *r);
    return tp_awscmd_ranges(start, end, N, r);
}

#define RANGE(r, p, f, t)                                                                      \
    do {                                                                                       \
        CU_ASSERT_EQUAL((r).period_s, p);                                                      \
        CU_ASSERT_EQUAL((r).from_s, f);                                                        \
        CU_ASSERT_EQUAL((r).to_s, t);                                                          \
    } while (0)

/* The 60 s range starts 14 d 23 h before now: a start exactly there needs no other range,
 * a minute earlier needs a 300 s range for the 5 minutes holding it. */
static void test_boundary_60(void)
{
    tp_awscmd_range r[3];
    CU_ASSERT_EQUAL_FATAL(ranges(N - A, N, r), 1);
    RANGE(r[0], 60, N - A, N);
    CU_ASSERT_EQUAL_FATAL(ranges(N - A - 60, N, r), 2);
    RANGE(r[0], 300, N - A - 300, N - A);
    RANGE(r[1], 60, N - A, N);
    /* 15 days (the old default start) is older than the 60 s rule allows: 1 h at 300 s */
    CU_ASSERT_EQUAL_FATAL(ranges(N - 15 * DAY, N, r), 2);
    RANGE(r[0], 300, N - 15 * DAY, N - A);
}

/* The 300 s range starts 62 d 23 h before now; older starts need hourly data. */
static void test_boundary_300(void)
{
    tp_awscmd_range r[3];
    CU_ASSERT_EQUAL_FATAL(ranges(N - B, N, r), 2);
    RANGE(r[0], 300, N - B, N - A);
    RANGE(r[1], 60, N - A, N);
    CU_ASSERT_EQUAL_FATAL(ranges(N - B - 1, N, r), 3);
    RANGE(r[0], 3600, N - B - 3600, N - B); /* the hour holding the start */
    RANGE(r[1], 300, N - B, N - A);
    RANGE(r[2], 60, N - A, N);
}

/* Hourly data is asked for no further back than 454 d 23 h: CloudWatch keeps 455 days. */
static void test_boundary_3600(void)
{
    tp_awscmd_range r[3];
    CU_ASSERT_EQUAL_FATAL(ranges(N - 500 * DAY, N - 454 * DAY, r), 1);
    RANGE(r[0], 3600, N - 455 * DAY + 3600, N - 454 * DAY);
    CU_ASSERT_EQUAL(ranges(N - 600 * DAY, N - 500 * DAY, r), 0); /* gone from CloudWatch */
    CU_ASSERT_EQUAL(ranges(N, N, r), 0);
    CU_ASSERT_EQUAL(ranges(N, N - 60, r), 0);
}

/* An end in the past: the periods follow the age from now, not from the end; each range's
 * end is rounded down to its period. */
static void test_end_in_past(void)
{
    tp_awscmd_range r[3];
    /* 20 to 30 days ago: only 300 s data is kept at that age */
    CU_ASSERT_EQUAL_FATAL(ranges(N - 30 * DAY, N - 20 * DAY + 150, r), 1);
    RANGE(r[0], 300, N - 30 * DAY, N - 20 * DAY);
    /* 3 to 2 days ago at 60 s, the end rounded down to its minute */
    CU_ASSERT_EQUAL_FATAL(ranges(N - 3 * DAY + 30, N - 2 * DAY + 59, r), 1);
    RANGE(r[0], 60, N - 3 * DAY, N - 2 * DAY);
    /* 100 days ago: hourly */
    CU_ASSERT_EQUAL_FATAL(ranges(N - 101 * DAY, N - 100 * DAY, r), 1);
    RANGE(r[0], 3600, N - 101 * DAY, N - 100 * DAY);
}

/* Several models, one query set each; --end; per-model starts (from the store). */
static void test_build_with(void)
{
    const char *models[2] = {"amazon.nova-pro-v1:0", "arn:aws:bedrock:us-east-1:1:x/y"};
    const int64_t starts[2] = {N - 2 * DAY - 3600, -1};
    tp_awscmd_options o = {0};
    char *out = NULL;
    tp_error err;
    o.models = models;
    o.n_models = 2;
    o.days = 3;
    o.now_s = N + 45;
    o.end_s = N - DAY + 59; /* 2026-10-09T00:00:59Z: rounded down to the minute */
    o.start_s = starts;
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_build_with(&o, &out, &err), TP_OK);
    /* the first from its own start (2 d 1 h before now), the second 3 days before the end */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "# amazon.nova-pro-v1:0: 2026-10-07T23:00:00Z .. "
                                       "2026-10-09T00:00:00Z\n#   (from where the database"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "ModelId=amazon.nova-pro-v1:0 InputTokenCount Period=60 "
                                       "Start=2026-10-07T23:00:00Z End=2026-10-09T00:00:00Z"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Start=2026-10-06T00:00:00Z End=2026-10-09T00:00:00Z"));
    /* written under .part, renamed when the command succeeded; a failure stops the script */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "> 'tierplan-amazon.nova-pro-v1_0-20261009T0000Z-60s.json"
                                       ".part' || stop 'tierplan-amazon.nova-pro-v1_0-20261009T"
                                       "0000Z-60s.json'\nmv -f 'tierplan-amazon.nova-pro-v1_0-"
                                       "20261009T0000Z-60s.json.part' 'tierplan-amazon.nova-pro-"
                                       "v1_0-20261009T0000Z-60s.json'\n"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(out, "> 'tierplan-arn_aws_bedrock_us-east-1_1_x_y-20261009T0000Z-60s.json.part'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nset -u\nstop() {"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "# then: tierplan ingest tierplan-*-20261009T0000Z-*.json"));
    free(out);
    /* a span all older than CloudWatch keeps (10 days ending 500 days ago): an error, no
     * commands; a span already stored (start at the end): no command and no "then" line */
    o.start_s = NULL;
    o.days = 10;
    o.end_s = N - 500 * DAY;
    CU_ASSERT_EQUAL(tp_awscmd_build_with(&o, &out, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "CloudWatch no longer keeps that span"));
    const int64_t stored[2] = {N, N};
    o.start_s = stored;
    o.end_s = N;
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_build_with(&o, &out, &err), TP_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "# nothing to export: the database already holds"));
    CU_ASSERT_PTR_NULL(strstr(out, "then:"));
    CU_ASSERT_PTR_NULL(strstr(out, "aws "));
    free(out);
    o.start_s = starts;
    o.n_models = 0;
    CU_ASSERT_EQUAL(tp_awscmd_build_with(&o, &out, &err), TP_ERR_USAGE);
    o.n_models = 2;
    o.end_s = -1;
    CU_ASSERT_EQUAL(tp_awscmd_build_with(&o, &out, &err), TP_ERR_USAGE);
}

/* Count of needle in hay (non-overlapping). */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* A region, an account and a profile: every aws command carries --region and --profile (the
 * profile shell-quoted), every label Region= and Account=, every file name the region; two
 * regions' exports are named apart. Bad values are usage errors. */
static void test_region_profile(void)
{
    const char *model = "amazon.nova-pro-v1:0";
    tp_awscmd_options o = {0};
    char *out = NULL, *other = NULL;
    tp_error err;
    o.models = &model;
    o.n_models = 1;
    o.days = 20; /* 20 days before N: a 300 s command, then a 60 s one */
    o.now_s = N;
    o.region = "eu-west-1";
    o.account = "123456789012";
    o.profile = "it's prod";
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_build_with(&o, &out, &err), TP_OK);
    CU_ASSERT_EQUAL(count(out, "aws cloudwatch get-metric-data"), 2);
    CU_ASSERT_EQUAL(count(out, "aws cloudwatch get-metric-data --region eu-west-1 --profile "
                               "'it'\\''s prod' --output json"),
                    2);
    /* 6 metrics per command, each label naming the place */
    CU_ASSERT_EQUAL(count(out, "\"Label\":\"ModelId="), 12);
    CU_ASSERT_EQUAL(count(out, " Region=eu-west-1 Account=123456789012\",\"ReturnData\""), 12);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "> 'tierplan-amazon.nova-pro-v1_0-eu-west-1-20261010T0000Z"
                                       "-60s.json.part'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "# then: tierplan ingest tierplan-amazon.nova-pro-v1_0-"
                                       "eu-west-1-20261010T0000Z-*.json\n"));
    o.region = "us-east-1";
    o.account = NULL;
    o.profile = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_awscmd_build_with(&o, &other, &err), TP_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(other, "'tierplan-amazon.nova-pro-v1_0-us-east-1-20261010T"));
    CU_ASSERT_PTR_NULL(strstr(other, "eu-west-1"));
    CU_ASSERT_PTR_NULL(strstr(other, "Account="));
    CU_ASSERT_PTR_NULL(strstr(other, "--profile"));
    free(out);
    free(other);
    out = NULL;
    const char *bad[][3] = {{"EU", NULL, NULL}, {"us-east-1", "12345", NULL},
                            {"us-east-1", NULL, ""}, {"us-east-1", NULL, "a\nb"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.region = bad[i][0];
        o.account = bad[i][1];
        o.profile = bad[i][2];
        CU_ASSERT_EQUAL(tp_awscmd_build_with(&o, &out, &err), TP_ERR_USAGE);
        CU_ASSERT_PTR_NULL(out);
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("awscmd", NULL, NULL);
    CU_add_test(s, "60 s boundary", test_boundary_60);
    CU_add_test(s, "300 s boundary", test_boundary_300);
    CU_add_test(s, "3600 s boundary", test_boundary_3600);
    CU_add_test(s, "end in the past", test_end_in_past);
    CU_add_test(s, "several models", test_build_with);
    CU_add_test(s, "region, account and profile", test_region_profile);
}
