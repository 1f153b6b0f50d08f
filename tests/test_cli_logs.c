/* test_cli_logs.c - end to end: invocation logs through the tierplan binary (ingest of files,
 * gzip, directories and stdin; stats, recommend and showback by key; the Logs Insights
 * export script) and the usage errors of the new options. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

/* A CSV of log sums alone (an export of a database of logs): the summary's window is the
 * log minutes', 12:00 .. 12:05 out of order, not the epoch. */
static void test_csv_log_window(void)
{
    write_file("lo.csv", "timestamp,model,metric,value,tier,service_tier,period_s,region,"
                         "account,source,attribute_by,key\n"
                         "2026-10-05T12:05:00Z,m1,input_tokens,100,,,60,,,logs,identity,k\n"
                         "2026-10-05T12:00:00Z,m1,input_tokens,50,,,60,,,logs,identity,k\n");
    CU_ASSERT_EQUAL(run("rm -f lo.db && '%s' ingest --db lo.db lo.csv%s", bin, ""), 0);
    expect_in("out", "2026-10-05T12:00:00Z .. 2026-10-05T12:05:00Z");
    CU_ASSERT_EQUAL(run("rm -f lo.db && '%s' ingest --db lo.db --format json lo.csv%s", bin, ""),
                    0);
    expect_in("out", "\"from\":\t\"2026-10-05T12:00:00Z\"");
    expect_in("out", "\"to\":\t\"2026-10-05T12:05:00Z\"");
}

void register_tests(void);

#define HAIKU "anthropic.claude-haiku-4-5-20251001-v1:0"
#define TEAM_A "arn:aws:sts::123456789012:assumed-role/TeamA"

static const char *genlogs(void)
{
    const char *g = getenv("TP_GENLOGS");
    return g != NULL ? g : "genlogs";
}

/* Every line of the file fits 100 columns. */
static void expect_within_100(const char *file)
{
    char *out = slurp(file);
    for (const char *l = out; out != NULL && *l != '\0';) {
        size_t len = strcspn(l, "\n");
        if (len > 100)
            fprintf(stderr, "%s: over 100 columns: %.*s\n", file, (int)len, l);
        CU_ASSERT(len <= 100);
        l += len + (l[len] == '\n');
    }
    free(out);
}

/* A day of logs as an S3 prefix (gzip) and again from stdin; the directory a second time adds
 * nothing. */
static void test_ingest_forms(void)
{
    CU_ASSERT_EQUAL_FATAL(run("mkdir -p s3/AWSLogs/1/BedrockModelInvocationLogs/us-east-1/2025/"
                              "08/15/00/data && '%s' s3/AWSLogs/1/BedrockModelInvocationLogs/"
                              "us-east-1/2025/08/15/00/a.json.gz 1440 3 gz",
                              genlogs(), NULL),
                          0);
    write_file("s3/AWSLogs/1/BedrockModelInvocationLogs/us-east-1/2025/08/15/00/data/b.json",
               "{\"body\": \"not a record\"}");
    CU_ASSERT_EQUAL(run("'%s' ingest --db l.db s3", bin, NULL), 0);
    expect_in("out", "a.json.gz: invocation-log, ");
    /* the window on a line of its own: the S3 key makes the line too long for 100 columns */
    expect_in("out", " minute sums\n  2025-08-15T00:00:00Z .. 2025-08-15T23:59:00Z\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db l.db s3", bin, NULL), 0);
    expect_in("out", "a.json.gz: invocation-log, ingested before: nothing added\n");
    CU_ASSERT_EQUAL(
        run("'%s' x.jsonl 60 2 && cat x.jsonl | '%s' ingest --db l.db -", genlogs(), bin), 0);
    expect_in("out", "<stdin>: invocation-log, ");
    CU_ASSERT_EQUAL(run("cat x.jsonl | '%s' ingest --db l.db -", bin, NULL), 0);
    expect_in("out", "<stdin>: invocation-log, ingested before: nothing added\n");
}

/* stats by source and key, the logs/metrics ratio, recommend for one team, and the usage
 * errors of --source and --key. */
static void test_stats_and_keys(void)
{
    CU_ASSERT_EQUAL_FATAL(
        run("'%s' day.json.gz 1440 3 gz && '%s' ingest -q --db k.db day.json.gz", genlogs(), bin),
        0);
    CU_ASSERT_EQUAL(run("'%s' stats --db k.db --model " HAIKU " --key " TEAM_A, bin, NULL), 0);
    expect_in("out", "input         invocation logs; 60s x ");
    /* the keys are named, in text and JSON (and only with --key: see the golden files) */
    expect_in("out", "\nkeys: " TEAM_A " (invocation logs)\n");
    CU_ASSERT_EQUAL(
        run("'%s' stats --db k.db --model " HAIKU " --format json --key " TEAM_A, bin, NULL), 0);
    expect_in("out", "\"source\":\t\"logs\",\n\t\t\t\"keys\":\t[\"" TEAM_A "\"]");
    CU_ASSERT_EQUAL(run("'%s' stats --db k.db --model " HAIKU " --format json", bin, NULL), 0);
    char *whole = slurp("out");
    CU_ASSERT_PTR_NULL(whole != NULL ? strstr(whole, "\"keys\"") : "");
    free(whole);
    /* series lists the logs as their own entry, its minutes those stats counts, coverage
     * unknown (logs record no requested span) */
    CU_ASSERT_EQUAL(run("'%s' series --db k.db --format csv", bin, NULL), 0);
    expect_in("out", "\"" HAIKU "\",\"invocation logs\",\"\",\"logs\",60,2025-08-15T00:00:00Z,"
                     "2025-08-15T23:59:00Z,");
    /* a rolling window is anchored at the end of the logs: the day's last 2 hours are 120
     * minutes, 22:00 .. 24:00 of 2025-08-15 */
    CU_ASSERT_EQUAL(run("'%s' stats --db k.db --model " HAIKU " --last 2h", bin, NULL), 0);
    expect_in("out", "window 2025-08-15T22:00:00Z .. 2025-08-16T00:00:00Z (120 minutes");
    /* --strict refuses a malformed record: exit 1, nothing stored */
    write_file("bad.jsonl", "{\"requestId\":\"1\",\"modelId\":\"amazon.nova-pro-v1:0\",\"timestamp\":"
                            "\"2026-10-08T12:00:10Z\",\"input\":{\"inputTokenCount\":100},"
                            "\"output\":{\"outputTokenCount\":10}}\n{\"broken\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --strict --db strict.db bad.jsonl", bin, NULL), 3);
    expect_in("err", "bad.jsonl: 1 malformed record skipped (line 2)");
    expect_in("err", "--strict: 1 warning; nothing from this command was stored");
    CU_ASSERT_EQUAL(run("'%s' recommend --db k.db --pricing '%s'/pricing.json --model " HAIKU
                        " --key " TEAM_A,
                        bin, sample),
                    0);
    expect_in("out", "\nkeys: " TEAM_A " (invocation logs)\nspill ");
    CU_ASSERT_EQUAL(run("'%s' recommend --db k.db --pricing '%s'/pricing.json --format json "
                        "--model " HAIKU " --key " TEAM_A,
                        bin, sample),
                    0);
    expect_in("out", "\"source\":\t\"logs\",\n\t\"keys\":\t[\"" TEAM_A "\"]");
    CU_ASSERT_EQUAL(run("'%s' stats --db k.db --source bogus", bin, NULL), 2);
    expect_in("err", "--source: \"bogus\" is neither metrics nor logs");
    CU_ASSERT_EQUAL(run("'%s' stats --db k.db --source metrics --key x", bin, NULL), 2);
    expect_in("err", "--key selects invocation logs: not with --source metrics");
    CU_ASSERT_EQUAL(run("'%s' report --db k.db --all --key x", bin, NULL), 2);
    /* both sources for one minute of the sample: 2 records of 100 input and 10 output tokens
     * beside the metrics; the ratio is printed */
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db k.db '%s'/sample-nova-pro.json", bin, sample),
                          0);
    write_file("n.jsonl", "{\"requestId\":\"1\",\"modelId\":\"amazon.nova-pro-v1:0\",\"timestamp\":"
                          "\"2026-10-08T12:00:10Z\",\"input\":{\"inputTokenCount\":100},\"output\":"
                          "{\"outputTokenCount\":10}}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db k.db n.jsonl && '%s' stats --db k.db --model "
                        "amazon.nova-pro-v1:0",
                        bin, bin),
                    0);
    expect_in("out", "amazon.nova-pro-v1:0 (region unknown, account unknown): invocation logs "
                     "hold 0.000 x the tokens of\nthe metric exports (110 / 269,253 "
                     "tokens)\n");
    expect_within_100("out");
    CU_ASSERT_EQUAL(run("'%s' ingest --db k.db --attribute-by team n.jsonl", bin, NULL), 2);
    expect_in("err", "--attribute-by: \"team\" is not identity, operation, region or metadata:KEY");
}

/* showback in its four formats; text within 100 columns; the usage errors. */
static void test_showback(void)
{
    CU_ASSERT_EQUAL_FATAL(
        run("'%s' d.json 1440 3 && '%s' ingest -q --db s.db d.json", genlogs(), bin), 0);
    const char *base = "'%s' showback --db s.db --pricing '%s'/pricing.json";
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "%s --model " HAIKU " --reserve-input-tpm 5000 "
             "--reserve-output-tpm 1000",
             base);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", TEAM_A "\n");
    expect_in("out", "(idle)");
    expect_within_100("out");
    /* --model stores every record as that model, as it does metric datapoints (logs of
     * traffic the catalog prices under another id) */
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db renamed.db --model my-model d.json && "
                              "'%s' stats --db renamed.db --model my-model --source logs",
                              bin, bin),
                          0);
    CU_ASSERT_EQUAL(run("'%s' stats --db renamed.db --model " HAIKU " --source logs", bin, NULL),
                    1);
    /* --spread-idle says so on a line of its own: the header stays within 100 columns */
    snprintf(cmd, sizeof cmd, "%s --all --spread-idle", base);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", ", spread over the keys by their demand;\n");
    expect_within_100("out");
    snprintf(cmd, sizeof cmd, "%s --all --format csv", base);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", "model,key,idle,effective_input_tokens,output_tokens,reserved_usd,"
                     "spill_usd,total_usd,region,account\n\"" HAIKU "\",\"" TEAM_A "\",0,");
    snprintf(cmd, sizeof cmd, "%s --all --format json --spread-idle", base);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", "[\n{\n\t\"model\":\t\"" HAIKU "\"");
    snprintf(cmd, sizeof cmd, "%s --model " HAIKU " --format markdown", base);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", "| key | effective input tokens |");
    CU_ASSERT_EQUAL(run("'%s' showback --db s.db", bin, NULL), 2);
    expect_in("err", "give --model ID or --all");
    CU_ASSERT_EQUAL(run("'%s' showback --db s.db --model m --reserve-input-tpm 5", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' showback --db s.db --all --format html", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' showback --db s.db --model m --reserve-input-tpm 5 "
                        "--reserve-output-tpm 5 --term-months 12",
                        bin, NULL),
                    2);
    expect_in("err", "size the recommended reservation: not with --reserve-*-tpm");
    snprintf(cmd, sizeof cmd, "%s --model " HAIKU " --max-spill-minutes-pct 1 --format csv", base);
    CU_ASSERT_EQUAL(run(cmd, bin, sample), 0);
    expect_in("out", "\"(idle)\",1,");
    CU_ASSERT_EQUAL(run("'%s' showback --help", bin, NULL), 0);
    expect_in("out", "--spread-idle");
    CU_ASSERT_EQUAL(
        run("'%s' showback --db s.db --pricing '%s'/pricing.json --model nobody", bin, sample), 1);
}

/* ingest --format json counts the records of a log input: 4 read, 1 with an errorCode, 1
 * without tokens, 1 not JSON; the second ingest of the file is a duplicate. */
static void test_ingest_json(void)
{
    write_file("j.jsonl",
               "{\"requestId\":\"1\",\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:10Z\","
               "\"input\":{\"inputTokenCount\":100},\"output\":{\"outputTokenCount\":10}}\n"
               "{\"requestId\":\"2\",\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:10Z\","
               "\"errorCode\":\"ThrottlingException\"}\n"
               "{\"requestId\":\"3\",\"modelId\":\"m\",\"timestamp\":\"2025-08-15T12:00:10Z\"}\n"
               "not json\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db j.db --format json j.jsonl", bin, NULL), 0);
    /* 4 records = 3 stored (a request with tokens, an error, one without tokens) + 1 refused */
    expect_in("out", "\"logs\":\t{\n\t\t\t\t\"records\":\t4,\n\t\t\t\t\"stored\":\t3,\n"
                     "\t\t\t\t\"refused\":\t1,\n\t\t\t\t\"errors\":\t1,\n"
                     "\t\t\t\t\"no_tokens\":\t1,\n\t\t\t\t\"unknown_schema\":\t0,\n"
                     "\t\t\t\t\"malformed\":\t1,\n\t\t\t\t\"too_long\":\t0,\n"
                     "\t\t\t\t\"folded\":\t0,\n\t\t\t\t\"duplicate\":\tfalse\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db j.db --format json j.jsonl", bin, NULL), 0);
    expect_in("out", "\"duplicate\":\ttrue\n");
    /* a metric export has no logs object */
    CU_ASSERT_EQUAL(
        run("'%s' ingest --db j.db --format json '%s'/sample-nova-pro.json", bin, sample), 0);
    char *out = slurp("out");
    CU_ASSERT_PTR_NULL(out != NULL ? strstr(out, "\"logs\"") : "");
    free(out);
}

/* An id of n bytes: a provisioned-model ARN (or prefix), "é" (2 bytes) across byte 511, then
 * "x" to fill, then last. The caller frees it. */
static char *long_id(const char *prefix, size_t n, char last)
{
    char *s = malloc(n + 1);
    size_t at = strlen(prefix);
    memcpy(s, prefix, at);
    while (at + 2 < n)
        s[at++] = '\xC3', s[at++] = '\xA9';
    while (at < n - 1)
        s[at++] = 'x';
    s[at++] = last;
    s[at] = '\0';
    return s;
}

/* Whether text is valid UTF-8 (RFC 3629: no overlong forms, surrogates, or past U+10FFFF). */
static int valid_utf8(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p != '\0') {
        const unsigned c = *p;
        size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
                                                           : c >= 0xf0 && c <= 0xf4   ? 4
                                                                                      : 0;
        if (n == 0 || (c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
            (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
            return 0;
        for (size_t k = 1; k < n; k++)
            if ((p[k] & 0xc0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

/* Records over TP_INGEST_MAX_ID_BYTES (2048): lines 1 and 2 are 2048-byte ARNs differing in
 * their last byte (once cut at 511 bytes, mid-"é", into one model and invalid UTF-8), line 3
 * a 2049-byte ARN, line 4 a 2049-byte identity ARN, line 5 an ordinary record. The summary:
 * records 5 = stored 3 + refused 2 (too_long 2); stats --format json shows the three models
 * stored, whole, in valid UTF-8, and not the refused one. */
static void test_long_ids(void)
{
    static const char arn[] = "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/";
    char *m[3] = {long_id(arn, 2048, '1'), long_id(arn, 2048, '2'), long_id(arn, 2049, '3')};
    char *who = long_id("arn:aws:iam::1:user/", 2049, 'u');
    char *text = malloc(16384);
    size_t at = 0;
    for (int i = 0; i < 5; i++)
        at += (size_t)sprintf(text + at,
                              "{\"requestId\":\"r\",\"modelId\":\"%s\",\"timestamp\":"
                              "\"2025-08-15T12:44:00Z\",\"identity\":{\"arn\":\"%s\"},"
                              "\"input\":{\"inputTokenCount\":100}}\n",
                              i < 3 ? m[i] : "m", i == 3 ? who : "arn:aws:iam::1:user/u");
    write_file("long.jsonl", text);
    CU_ASSERT_EQUAL(run("'%s' ingest --db long.db --format json long.jsonl", bin, NULL), 0);
    expect_in("out", "\"records\":\t5,\n\t\t\t\t\"stored\":\t3,\n\t\t\t\t\"refused\":\t2,\n");
    expect_in("out", "\"too_long\":\t2,\n");
    expect_in("out", "\"long.jsonl: 1 record refused (line 3): modelId over 2048 bytes\"");
    expect_in("out", "\"long.jsonl: 1 record refused (line 4): attribution key over 2048 bytes\"");
    CU_ASSERT_EQUAL(run("'%s' stats --db long.db --format json", bin, NULL), 0);
    char *out = slurp("out");
    size_t models = 0;
    for (const char *p = out; p != NULL && (p = strstr(p, "\"model\":")) != NULL; p++)
        models++;
    CU_ASSERT_EQUAL(models, 3);
    CU_ASSERT(out != NULL && valid_utf8(out));
    CU_ASSERT(out != NULL && strstr(out, m[0]) != NULL && strstr(out, m[1]) != NULL);
    m[2][2048] = '\0'; /* the refused id's first 2048 bytes: no stored model ends in '3' */
    CU_ASSERT_PTR_NULL(out != NULL ? strstr(out, m[2]) : "");
    free(out);
    for (int i = 0; i < 3; i++)
        free(m[i]);
    free(who);
    free(text);
}

/* The same records under another name are added again (objects are known by name), with a
 * warning: stdin then the file, and a gzip copy of a plain file ingested before. */
static void test_same_content(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' c.jsonl 30 2 && '%s' c.jsonl.gz 30 2 gz", genlogs(), genlogs()),
                          0);
    CU_ASSERT_EQUAL(run("cat c.jsonl | '%s' ingest -q --db c.db - && '%s' ingest -q --db c.db "
                        "c.jsonl",
                        bin, bin),
                    0);
    expect_in("err", "c.jsonl: same content as\n  sha256:"); /* wrapped at 100 columns */
    expect_in("err", " ingested before: added\n  again\n");
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db c.db c.jsonl.gz", bin, NULL), 0);
    expect_in("err", "c.jsonl.gz: same content as\n  sha256:");
    /* --strict refuses it: nothing added twice */
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db c2.db c.jsonl && cp c.jsonl d.jsonl && "
                        "'%s' ingest -q --strict --db c2.db d.jsonl",
                        bin, bin),
                    3);
    expect_in("err", "d.jsonl: same content as /");
}

/* The generator's --help, and an unknown option refused instead of written to as a file. */
static void test_genlogs_help(void)
{
    CU_ASSERT_EQUAL(run("'%s' --help", genlogs(), NULL), 0);
    expect_in("out", "usage: genlogs OUT [MINUTES");
    CU_ASSERT_EQUAL(run("'%s' -h", genlogs(), NULL), 0);
    expect_in("out", "MAX_PER_TEAM_MINUTE");
    CU_ASSERT_EQUAL(run("'%s' --minutes 5", genlogs(), NULL), 2);
    expect_in("err", "genlogs: unknown option \"--minutes\"");
    CU_ASSERT_EQUAL(run("test ! -e ./--minutes && test ! -e ./--help", NULL, NULL), 0);
}

static void test_export_cmd_logs(void)
{
    CU_ASSERT_EQUAL(
        run("'%s' export-cmd --source logs --log-group /aws/bedrock/x --days 2", bin, NULL), 0);
    expect_in("out", "aws logs start-query \\\n    --log-group-name \"$TP_LOG_GROUP\"");
    expect_in("out", "tp_query ");
    /* a daily job: --end and --now as the metric export has them; the files carry the end */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --days 1 --end "
                        "2026-10-10T00:00:40Z --now 2026-10-10T06:00Z",
                        bin, NULL),
                    0);
    expect_in("out", "# 2026-10-09T00:00:00Z .. 2026-10-10T00:00:00Z:");
    expect_in("out", " tierplan-logs-20261010T0000Z-00001.json\n");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --end 2026-10-10T07:00Z "
                        "--now 2026-10-10T06:00Z",
                        bin, NULL),
                    2);
    expect_in("err", "--end is after --now");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --end yesterday", bin, NULL),
                    2);
    expect_in("err", "--end: \"yesterday\" is not an ISO 8601 time");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --model m", bin, NULL), 2);
    expect_in("err", "--model does not apply with --source logs");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --since-store", bin, NULL), 2);
    expect_in("err", "--since-store does not apply with --source logs");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --tier default", bin, NULL),
                    2);
    expect_in("err", "invalid option for --source logs (see its --help)");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs", bin, NULL), 2);
    expect_in("err", "--log-group is required");
    /* a name given but not a log group's: said so, not "required" */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group 'a b'", bin, NULL), 2);
    expect_in("err", "tierplan export-cmd: --log-group \"a b\" has a character log group names "
                     "never have (' '): they are of [A-Za-z0-9._/#-]\n");
    char *e = slurp("err");
    CU_ASSERT_PTR_NULL(e != NULL ? strstr(e, "required") : NULL);
    free(e);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --help", bin, NULL), 0);
    expect_in("out", "--rows-per-minute");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --help", bin, NULL), 0);
    expect_in("out", "With --source logs");
}

/* The fleet report of pc.db over win in format fmt exits 0 and holds needle. */
static void report_says(const char *fmt, const char *win, const char *needle)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "'%%s' report --db pc.db --pricing '%%s'/pricing.json --force --jobs 1 --format %s "
             "%s",
             fmt, win);
    CU_ASSERT_EQUAL(run(cmd, bin, getenv("TP_SAMPLE_DATA")), 0);
    expect_in("out", needle);
}

/*
 * Partial coverage through the binary: logs every minute of 12:00 .. 13:00 (3,000 input, 100
 * output tokens), metrics of 12:30 .. 13:00 with that span (3,010 and 100). Over 11:00 ..
 * 13:00 the first hour is covered by neither: the text warns (within 100 columns), JSON says
 * 60 uncovered minutes; the input mean is (30 x 3,000 + 30 x 3,010) / 120 = 1,502.5. Then
 * export writes the log sums too and ingest of the export into an empty database exports the
 * same file again; a database of logs only exports them.
 */
static void test_partial_coverage(void)
{
    char logs[60 * 200 + 1] = "", csv[60 * 160 + 64] = "timestamp,model,metric,value,period_s\n";
    size_t nl = 0, nc = strlen(csv);
    for (int i = 0; i < 60; i++) {
        nl += (size_t)snprintf(logs + nl, sizeof logs - nl,
                               "{\"requestId\":\"r\",\"modelId\":\"amazon.nova-pro-v1:0\","
                               "\"timestamp\":\"2025-08-15T12:%02d:10Z\",\"input\":"
                               "{\"inputTokenCount\":3000},\"output\":{\"outputTokenCount\":100}}\n",
                               i);
        if (i >= 30)
            nc += (size_t)snprintf(csv + nc, sizeof csv - nc,
                                   "2025-08-15T12:%02d:00Z,amazon.nova-pro-v1:0,InputTokenCount,3010,"
                                   "60\n2025-08-15T12:%02d:00Z,amazon.nova-pro-v1:0,"
                                   "OutputTokenCount,100,60\n",
                                   i, i);
    }
    write_file("pc.jsonl", logs);
    write_file("pc.csv", csv);
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db pc.db pc.jsonl && '%s' ingest -q --db pc.db "
                              "--span-from 2025-08-15T12:30:00Z --span-to 2025-08-15T13:00:00Z "
                              "--as-of 2025-08-15T13:05:00Z pc.csv",
                              bin, bin),
                          0);
    const char *win = "--from 2025-08-15T11:00:00Z --to 2025-08-15T13:00:00Z";
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%%s' stats --db pc.db %s", win);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    expect_in("out", "\ninput                    0.0      1,500.0      3,010.0      3,010.0      "
                     "3,010.0      1,502.5\n");
    expect_in("out", "  input         total + invocation logs (30 minutes); 60s x 60 min\n");
    expect_in("out", "  cache_read    invocation logs (30 minutes); 60s x 30 min\n");
    expect_in("out", "warning: 1 h of the window (50.0%) is covered by neither metric exports "
                     "nor invocation logs and\n         reads as zero demand: "
                     "2025-08-15T11:00:00Z .. 2025-08-15T12:00:00Z (1 h) (export the\n");
    expect_in("out", "invocation logs hold 0.997 x the tokens of\nthe metric exports (93,000 / "
                     "93,300 tokens)\n");
    expect_within_100("out");
    snprintf(cmd, sizeof cmd, "'%%s' stats --db pc.db --format json %s", win);
    CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
    expect_in("out", "\"uncovered_minutes\":\t60,\n\t\t\t\t\"uncovered\":\t[{\n\t\t\t\t\t\t"
                     "\"from\":\t\"2025-08-15T11:00:00Z\",\n\t\t\t\t\t\t\"to\":\t"
                     "\"2025-08-15T12:00:00Z\",\n\t\t\t\t\t\t\"minutes\":\t60\n");
    snprintf(cmd, sizeof cmd,
             "'%%s' recommend --db pc.db --pricing '%%s'/pricing.json --force --model "
             "amazon.nova-pro-v1:0 %s",
             win);
    CU_ASSERT_EQUAL(run(cmd, bin, getenv("TP_SAMPLE_DATA")), 0);
    expect_in("out", "warning: 1 h of the window (50.0%) is covered by neither");
    expect_within_100("out");
    /* the fleet report says so in each format: text, markdown and HTML (a paragraph of its
     * own, its text escaped as any in the page) */
    report_says("text", win,
                "warning: 1 h of the window (50.0%) covered by neither metric exports nor "
                "invocation logs, read as\nzero demand\n");
    report_says("markdown", win,
                "- warning: 1 h of the window (50.0%) covered by neither metric exports nor "
                "invocation logs,");
    report_says("html", win,
                "<p class=\"warning\">Warning: 1 h of the window (50.0%) covered by neither "
                "metric exports nor invocation logs, read as zero demand.</p>\n");
    /* export holds the log sums; ingest of it rebuilds the same content */
    CU_ASSERT_EQUAL(run("'%s' export --db pc.db -o all.csv && '%s' ingest -q --db pc2.db all.csv",
                        bin, bin),
                    0);
    expect_in("all.csv", "2025-08-15T12:00:00Z,amazon.nova-pro-v1:0,input_tokens,3000,,,60,,,"
                         "logs,identity,unknown\n");
    CU_ASSERT_EQUAL(run("'%s' export --db pc2.db -o again.csv && cmp all.csv again.csv", bin,
                        NULL),
                    0);
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db lo.db pc.jsonl && '%s' export --db lo.db", bin, bin),
                    0);
    expect_in("out", "2025-08-15T12:59:00Z,amazon.nova-pro-v1:0,output_tokens,100,,,60,,,logs,"
                     "identity,unknown\n");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli_logs", setup, teardown);
    CU_add_test(s, "ingest forms", test_ingest_forms);
    CU_add_test(s, "stats and keys", test_stats_and_keys);
    CU_add_test(s, "showback", test_showback);
    CU_add_test(s, "export-cmd --source logs", test_export_cmd_logs);
    CU_add_test(s, "genlogs --help", test_genlogs_help);
    CU_add_test(s, "same content under another name", test_same_content);
    CU_add_test(s, "ingest --format json of logs", test_ingest_json);
    CU_add_test(s, "ids over 2048 bytes refused, never cut", test_long_ids);
    CU_add_test(s, "partial coverage; export of log sums", test_partial_coverage);
    CU_add_test(s, "a CSV of log sums alone: its window", test_csv_log_window);
}
