/* test_cli_query.c - end to end through the tierplan binary: query results from the real
 * world (tests/data/query, README.md there says where each comes from): Logs Insights rows of
 * any query (per request and per minute, columns by their usual names, --model and --field),
 * an input from which nothing could be stored (exit 1, not recorded, the corrected command
 * stores it), Athena's CSV and JSON results, and export-cmd --source athena's script run
 * against a fake aws; then every other fixture of tests/data that ingest reads (metrics of
 * AWS CLI v1 and v2, CSV, an invocation log record, Logs Insights per-minute rows, an
 * export). Every figure checked is worked out by hand in a comment. */
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

#define HAIKU "anthropic.claude-3-haiku-20240307-v1:0"
#define NOVA "amazon.nova-pro-v1:0"
#define Q "\"$TP_TEST_DATA\"/query/"

/* A figure of `stats --format json` in dir/out: models[0].tpm.METRIC.STAT; NAN if absent. */
static double stat_of(const char *metric, const char *stat)
{
    char *text = slurp("out");
    cJSON *doc = cJSON_Parse(text);
    const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "models"), 0);
    const cJSON *v =
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "tpm"), metric), stat);
    const double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (!cJSON_IsNumber(v))
        fprintf(stderr, "\n  no tpm.%s.%s in:\n%s\n", metric, stat, text);
    cJSON_Delete(doc);
    free(text);
    return d;
}

static void expect_not_in(const char *file, const char *needle)
{
    char *s = slurp(file);
    CU_ASSERT_PTR_NULL(s != NULL ? strstr(s, needle) : NULL);
    free(s);
}

/* A row per request: summed per minute from @timestamp; `model`, `input.inputTokenCount` and
 * `output.outputTokenCount` recognised, `usageInputTokens` (the same count again) and
 * `inferenceRegion` ignored and listed; an errorCode row is a request without demand. */
static void test_per_request(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db " Q "insights-per-request.json", bin, NULL), 0);
    expect_in("out", "logs-insights, 4 rows (1 error), 2 minute sums");
    expect_in("out", "  ignored columns: usageInputTokens, inferenceRegion\n");
    expect_not_in("out", "@ptr");
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --model " HAIKU " --format json", bin, NULL), 0);
    /* 12:44: 1200 + 800 = 2000 input (4000 if usageInputTokens were added too), 300 + 100 =
     * 400 output; 12:45: 500 and 50 (the throttled request adds nothing).
     * Means over the 2 minutes: (2000 + 500) / 2 = 1250, (400 + 50) / 2 = 225. */
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 2000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 1250, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 400, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 225, 1e-9);
    /* identity.arn is the key: the two sessions of TeamA are one role; the user's own key
     * holds 12:45's 500 alone (its window is its own minute: mean 500 / 1) */
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --model " HAIKU " --format json --key "
                        "arn:aws:sts::123456789012:assumed-role/TeamA",
                        bin, NULL),
                    0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 2000, 1e-9);
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --model " HAIKU " --format json --key "
                        "arn:aws:iam::123456789012:user/batch",
                        bin, NULL),
                    0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 500, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 500, 1e-9);
    /* --field region=inferenceRegion takes the ignored column: the first two rows are then
     * in two regions, and inferenceRegion is no longer listed */
    CU_ASSERT_EQUAL(run("'%s' ingest --db r2.db --field region=inferenceRegion --format json " Q
                        "insights-per-request.json",
                        bin, NULL),
                    0);
    expect_in("out", "\"ignored_columns\":\t[\"usageInputTokens\"]");
    CU_ASSERT_EQUAL(run("'%s' series --db r2.db --format csv", bin, NULL), 0);
    expect_in("out", ",us-west-2,");
    expect_in("out", ",us-east-1,");
}

/* Nothing stored is an error: exit 1 with the reason and the fix, and the input is not
 * recorded as ingested (in a new database or one holding other data); the corrected command
 * stores it. */
static void test_nothing_stored(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db n.db " Q "insights-no-model.json", bin, NULL), 1);
    expect_in("err", "insights-no-model.json: nothing stored: 2 rows without a model id: pass "
                     "--model ID or --field model=NAME\n");
    /* the rows skipped, with their numbers, before the error (a short name: the warning
     * wraps at 100 columns) */
    CU_ASSERT_EQUAL(run("cp " Q "insights-no-model.json nm.json && '%s' ingest --db n3.db "
                        "nm.json",
                        bin, NULL),
                    1);
    expect_in("err", "tierplan: warning: nm.json: 2 malformed records skipped (rows 1, 2): no "
                     "model id (a column like\n  modelId or model)\n"
                     "tierplan: error: nm.json: nothing stored: 2 rows without a model id");
    CU_ASSERT_EQUAL(run("test ! -e n.db", NULL, NULL), 0); /* no empty database left */
    /* into a database that holds something: it stays as it was */
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db n.db " Q "insights-per-request.json && "
                        "'%s' ingest --db n.db " Q "insights-no-model.json",
                        bin, bin),
                    1);
    CU_ASSERT_EQUAL(
        run("'%s' ingest --db n.db --model " NOVA " " Q "insights-no-model.json", bin, NULL), 0);
    expect_in("out", "logs-insights, 2 rows (0 errors), 2 minute sums");
    expect_not_in("out", "ingested before");
    CU_ASSERT_EQUAL(run("'%s' stats --db n.db --model " NOVA " --format json", bin, NULL), 0);
    /* usage.inputTokens: 2000 at 12:44, 600 at 12:45; mean (2000 + 600) / 2 = 1300 */
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 2000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 1300, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 400, 1e-9);
    /* the same file again is now ingested before */
    CU_ASSERT_EQUAL(
        run("'%s' ingest --db n.db --model " NOVA " " Q "insights-no-model.json", bin, NULL), 0);
    expect_in("out", "ingested before: nothing added");
    /* a --format json run that fails prints the error, exit 1 too */
    CU_ASSERT_EQUAL(
        run("'%s' ingest --db n2.db --format json " Q "insights-no-model.json", bin, NULL), 1);
    expect_in("err", "nothing stored: 2 rows without a model id");
}

/* Columns named by --field: without them nothing is read (exit 1, the fix named); with them
 * a per-minute row's own count of requests is taken. */
static void test_fields(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db f.db " Q "insights-custom-columns.json", bin, NULL), 1);
    expect_in("err", "nothing stored: 2 rows without a time: pass --field time=NAME");
    CU_ASSERT_EQUAL(
        run("'%s' ingest --db f.db --field time=when " Q "insights-custom-columns.json", bin, NULL),
        1);
    expect_in("err", "2 rows without a model id: pass --model ID or --field model=NAME");
    /* rows but no token column: not zeros stored and recorded as ingested (the corrected
     * command would then add nothing), but exit 1 naming the columns and the fix */
    CU_ASSERT_EQUAL(run("'%s' ingest --db f.db --field time=when --field model=deployment " Q
                        "insights-custom-columns.json",
                        bin, NULL),
                    1);
    expect_in("err", "insights-custom-columns.json: nothing stored: no token column recognised "
                     "(ignored columns: sum(prompt_tokens), sum(completion_tokens), n): name one "
                     "with --field input_tokens=NAME (or output_tokens=, cache_read_tokens=, "
                     "cache_write_tokens=)");
    CU_ASSERT_EQUAL(run("test ! -e f.db", NULL, NULL), 0); /* nothing stored, not even a file */
    /* input only is a query's own choice: stored, the columns left out listed; 3000 + 1000 */
    CU_ASSERT_EQUAL(run("'%s' ingest --db fi.db --field time=when --field model=deployment "
                        "--field 'input_tokens=sum(prompt_tokens)' " Q
                        "insights-custom-columns.json && '%s' stats --db fi.db --model " NOVA
                        " --format json",
                        bin, bin),
                    0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 3000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 0, 1e-9);
    CU_ASSERT_EQUAL(run("'%s' ingest --db fi2.db --field time=when --field model=deployment "
                        "--field 'input_tokens=sum(prompt_tokens)' " Q
                        "insights-custom-columns.json",
                        bin, NULL),
                    0);
    expect_in("out", "  ignored columns: sum(completion_tokens), n\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db f.db --field time=when --field model=deployment "
                        "--field 'input_tokens=sum(prompt_tokens)' "
                        "--field 'output_tokens=sum(completion_tokens)' --field requests=n "
                        "--format json " Q "insights-custom-columns.json",
                        bin, NULL),
                    0);
    expect_in("out", "\"ignored_columns\":\t[]");
    CU_ASSERT_EQUAL(run("'%s' stats --db f.db --model " NOVA " --format json", bin, NULL), 0);
    /* 3000 and 1000 input: max 3000, mean 2000; output 700 and 100: mean 400 */
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 3000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 2000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 400, 1e-9);
    /* the CSV of an Athena query of someone else's: every name quoted, read with --field */
    write_file("own.csv", "\"ts\",\"model\",\"prompt\"\n"
                          "\"2026-10-05 12:00:00.000\",\"" NOVA "\",\"1234\"\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db own.db own.csv", bin, NULL), 1);
    expect_in("err", "own.csv: nothing stored: 1 line without a time");
    CU_ASSERT_EQUAL(run("'%s' ingest --db own.db --field time=ts --field input_tokens=prompt "
                        "own.csv && '%s' stats --db own.db --model " NOVA " --format json",
                        bin, bin),
                    0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 1234, 1e-9);
    /* usage errors: exit 2, naming the option */
    CU_ASSERT_EQUAL(
        run("'%s' ingest --db f.db --field tokens=x " Q "insights-custom-columns.json", bin, NULL),
        2);
    expect_in("err", "--field: unknown role \"tokens\"");
    CU_ASSERT_EQUAL(
        run("'%s' ingest --db f.db --field model " Q "insights-custom-columns.json", bin, NULL), 2);
    expect_in("err", "--field: \"model\" is not ROLE=NAME");
    CU_ASSERT_EQUAL(run("'%s' ingest --db f.db --field model=a --field model=b " Q
                        "insights-custom-columns.json",
                        bin, NULL),
                    2);
    expect_in("err", "--field: role model given twice");
}

/* Athena's CSV result: every value quoted, NULL as nothing, a "" inside a quoted key; minutes
 * stored as log sums with key, region and account. Its get-query-results JSON gives the same
 * figures. */
static void test_athena_results(void)
{
    const char *files[2] = {"athena-result.csv", "athena-get-query-results.json"};
    for (int i = 0; i < 2; i++) {
        char line[512];
        snprintf(line, sizeof line, "'%%s' ingest --db a%d.db " Q "%s", i, files[i]);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 0);
        expect_in("out", i == 0 ? "athena-csv, 3 rows (0 errors), 3 minute sums"
                                : "athena-json, 3 rows (0 errors), 3 minute sums");
        expect_not_in("out", "ignored");
        snprintf(line, sizeof line,
                 "'%%s' stats --db a%d.db --model " HAIKU " --region us-east-1 --account "
                 "123456789012 --format json",
                 i);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 0);
        /* 12:00: 4000 + 500 input, 800 + 50 output, 1000 cache read; 12:01: 2500 input, 300
         * output, 200 cache write. Means: (4500 + 2500) / 2 = 3500, (850 + 300) / 2 = 575 */
        CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 4500, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 3500, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 575, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(stat_of("cache_read", "max"), 1000, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(stat_of("cache_write", "max"), 200, 1e-9);
        /* the key with a quote and a comma, read whole; the NULL key is "unknown" */
        snprintf(line, sizeof line,
                 "'%%s' stats --db a%d.db --model " HAIKU " --format json --key "
                 "'arn:aws:iam::123456789012:user/say \"hi\", then go'",
                 i);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 0);
        CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 2500, 1e-9);
        snprintf(line, sizeof line,
                 "'%%s' stats --db a%d.db --model " HAIKU " --format json --key unknown", i);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 0);
        CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 500, 1e-9);
    }
    /* a line that is not CSV is skipped and named; the rest is stored */
    CU_ASSERT_EQUAL(run("{ cat " Q "athena-result.csv; echo '\"2026-10-05 12:02:00.000\",\"m'; } "
                        ">cut.csv && '%s' ingest --db cut.db cut.csv",
                        bin, NULL),
                    0);
    expect_in("err", "cut.csv: 1 malformed record skipped (line 5): not a CSV line");
}

/* export-cmd --source athena: the DDL, the query and the commands, run against a fake aws
 * that answers each call and hands back the fixture as the query's CSV; ingest then reads it.
 * Values that could break out of the SQL or the shell are refused. */
static void test_export_athena(void)
{
    CU_ASSERT_EQUAL(run("mkdir -p xa/bin && { '%s' export-cmd --source athena --logs "
                        "s3://my-logs/bedrock/AWSLogs/ --database tierplan --output "
                        "s3://my-results/athena --account 123456789012 --region us-east-1 "
                        "--region us-west-2 --days 1 --now 2026-10-05T12:02:30Z >xa/run.sh; }",
                        bin, NULL),
                    0);
    expect_in("xa/run.sh", "CREATE EXTERNAL TABLE IF NOT EXISTS `tierplan`."
                           "`bedrock_invocation_logs` (\n");
    expect_in("xa/run.sh", "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n");
    expect_in("xa/run.sh", "  `identity` struct<arn:string>,\n");
    expect_in("xa/run.sh", "'projection.log_region.values' = 'us-east-1,us-west-2'");
    expect_in("xa/run.sh", "'projection.log_hour.format' = 'yyyy/MM/dd/HH'");
    /* the trailing AWSLogs/ of --logs is the layout's own: not doubled */
    expect_in("xa/run.sh", "'s3://my-logs/bedrock/AWSLogs/${log_account}/"
                           "BedrockModelInvocationLogs/${log_region}/${log_hour}/'\n");
    /* one day back from 12:02 (the minute of --now): the hours 2026/10/04/12 .. 10/05/12, and
     * 10/05/13, where a file delivered after the hour of its last records is filed */
    expect_in("xa/run.sh", "WHERE \"log_hour\" BETWEEN '2026/10/04/12' AND '2026/10/05/13'\n");
    expect_in("xa/run.sh", "from_iso8601_timestamp('2026-10-05T12:02:00Z')\n");
    expect_in("xa/run.sh", "TP_RESULT='tierplan-athena-20261005T1202Z.csv'\n");
    write_file("xa/bin/aws",
               "#!/bin/sh\n"
               "echo \"$1 $2\" >>calls\n"
               "case \"$1 $2\" in\n"
               "  'athena start-query-execution')\n"
               "    n=$(($(cat n 2>/dev/null || echo 0) + 1)); echo $n >n\n"
               "    printf '%s\\n' \"$4\" >query-$n.sql; echo \"q$n\" ;;\n"
               "  'athena get-query-execution') echo SUCCEEDED ;;\n"
               "  's3 cp') echo \"$3\" >fetched; cp \"$TP_TEST_DATA/query/athena-result.csv\" "
               "\"$4\" ;;\n"
               "  *) exit 2 ;;\n"
               "esac\n");
    CU_ASSERT_EQUAL(
        run("chmod +x xa/bin/aws && (cd xa && PATH=\"$PWD/bin:$PATH\" sh run.sh)", NULL, NULL), 0);
    CU_ASSERT_EQUAL(run("(cd xa && cat calls fetched && head -c 17 query-1.sql && echo && "
                        "head -c 21 query-2.sql && echo && head -n 2 query-3.sql)",
                        NULL, NULL),
                    0);
    expect_in("out", "athena start-query-execution\nathena get-query-execution\n"
                     "athena start-query-execution\nathena get-query-execution\n"
                     "athena start-query-execution\nathena get-query-execution\ns3 cp\n"
                     "s3://my-results/athena/q3.csv\n"
                     "CREATE DATABASE I\nCREATE EXTERNAL TABLE\nSELECT\n"
                     "  date_trunc('minute'");
    CU_ASSERT_EQUAL(run("(cd xa && '%s' ingest -q --db x.db tierplan-athena-20261005T1202Z.csv "
                        "&& '%s' stats --db x.db --model " HAIKU " --format json)",
                        bin, bin),
                    0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 4500, 1e-9);
    /* the query fails in Athena: the script stops with 3 (a failed step, never the 1 of a
     * verdict) before any download */
    CU_ASSERT_EQUAL(run("cd xa && rm -f calls n tierplan-athena-*.csv && sed -i "
                        "\"s/echo SUCCEEDED/[ \\$(cat n) -lt 3 ] \\&\\& echo SUCCEEDED || "
                        "echo FAILED/\" bin/aws",
                        NULL, NULL),
                    0);
    CU_ASSERT_EQUAL(run("(cd xa && PATH=\"$PWD/bin:$PATH\" sh run.sh)", NULL, NULL), 3);
    expect_in("err", "athena query q3: FAILED");
    CU_ASSERT_EQUAL(run("cd xa && ! grep -q 's3 cp' calls && test ! -e "
                        "tierplan-athena-20261005T1202Z.csv",
                        NULL, NULL),
                    0);
    /* --attribute-by: the key's SQL, and ingest told the same */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source athena --logs s3://my-logs --database d "
                        "--output s3://res --account 123456789012 --region eu-west-1 "
                        "--attribute-by metadata:Team --now 2026-10-05T00:00Z",
                        bin, NULL),
                    0);
    expect_in("out", "coalesce(element_at(\"requestmetadata\", 'Team'),\n"
                     "    element_at(\"requestmetadata\", 'team')) AS \"key\"");
    expect_in("out", "# then: tierplan ingest --attribute-by metadata:Team "
                     "tierplan-athena-20261005T0000Z.csv\n");
    /* refused: what could leave a quoted string of SQL or the shell, or is not a name */
    static const struct {
        const char *args;
        char said[96];
    } bad[] = {
        {"--logs \"s3://b/p'; DROP TABLE x; --\"", "--logs \"s3://b/p'; DROP TABLE x; --\" is "
                                                   "not s3://BUCKET[/PREFIX]"},
        {"--logs s3://B/p", "--logs \"s3://B/p\" is not"},
        {"--logs s3://b/../p", "is not s3://BUCKET"},
        {"--logs /local/dir", "is not s3://BUCKET"},
        {"--output 's3://r/$(reboot)'", "--output \"s3://r/$(reboot)\" is not"},
        {"--database 'd`; x'", "--database \"d`; x\" is not an Athena name"},
        {"--table Logs", "--table \"Logs\" is not an Athena name"},
        {"--workgroup \"w'x\"", "--workgroup \"w'x\" is not a workgroup name"},
        {"--account 12345", "--account: \"12345\" is not an AWS account id"},
        {"--region \"us-east-1'\"", "--region: \"us-east-1'\" is not a region name"},
        {"--attribute-by \"metadata:a'b\"", "--attribute-by is identity, operation, region or "
                                            "metadata:KEY"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[1024];
        /* the good values first: getopt keeps the last of each option given twice */
        snprintf(line, sizeof line,
                 "'%%s' export-cmd --source athena --logs s3://logs --database d --output s3://res "
                 "--table t --workgroup w --account 123456789012 --region us-east-1 %s",
                 bad[i].args);
        if (strstr(bad[i].args, "--account") != NULL || strstr(bad[i].args, "--region") != NULL)
            snprintf(line, sizeof line,
                     "'%%s' export-cmd --source athena --logs s3://logs --database d --output "
                     "s3://res %s %s",
                     strstr(bad[i].args, "--account") != NULL ? "--region us-east-1"
                                                              : "--account 123456789012",
                     bad[i].args);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 2);
        expect_in("err", bad[i].said);
    }
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source athena --logs s3://logs --database d --output "
                        "s3://res --account 123456789012",
                        bin, NULL),
                    2);
    expect_in("err", "--region: give 1 to 100 regions");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source athena --logs s3://logs --database d --output "
                        "s3://r --region us-east-1 --account 123456789012 --model m",
                        bin, NULL),
                    2);
    expect_in("err", "--model does not apply with --source athena");
}

#define D "\"$TP_TEST_DATA\"/"

/* The other real shapes under tests/data (README.md there says where each comes from), each
 * ingested through the binary. The metric fixtures hold one series of input (14:00 100,
 * 14:01 200, 14:02 300) and output (14:00 10, 14:02 30): over the 3 minutes from the first
 * to the last point, input mean 600 / 3 = 200 and max 300, output mean 40 / 3 = 13.33...,
 * whether AWS CLI v2 wrote it (ISO 8601 times), v1 (epoch seconds), CSV or (input only)
 * get-metric-statistics. */
static void test_fixtures(void)
{
    static const char *const metric_inputs[] = {
        "metrics/get-metric-data-cli-v2.json", "metrics/get-metric-data-cli-v1.json",
        "metrics/metrics.csv", "--model " NOVA " " D "metrics/get-metric-statistics.json"};
    char cmd[512];
    for (int i = 0; i < 4; i++) {
        snprintf(cmd, sizeof cmd, "rm -f m.db && '%%s' ingest -q --db m.db %s%s",
                 i < 3 ? D : "", metric_inputs[i]);
        CU_ASSERT_EQUAL(run(cmd, bin, NULL), 0);
        CU_ASSERT_EQUAL(run("'%s' stats --db m.db --model " NOVA " --format json", bin, NULL), 0);
        CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 200, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 300, 1e-9);
        if (i < 3)
            CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "mean"), 40.0 / 3, 1e-9);
    }
    /* an invocation log record as Bedrock writes it (ConverseStream through an inference
     * profile, cache reads and writes): its one minute holds 1,024 input, 300 output, 2,048
     * cache-read and 256 cache-write tokens, under the record's team */
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db l.db --attribute-by metadata:team " D
                        "logs/converse-stream.json && '%s' stats --db l.db --format json --key "
                        "legal",
                        bin, bin),
                    0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 1024, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("output", "max"), 300, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("cache_read", "max"), 2048, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("cache_write", "max"), 256, 1e-9);
    /* Logs Insights per-minute rows of export-cmd --source logs's query: 12:44 1,200 input
     * (an ARN model id, normalised), 12:45 10; the third row's time is refused with a warning */
    CU_ASSERT_EQUAL(run("'%s' ingest --db i.db " D "logs/insights-results.json", bin, NULL), 0);
    /* where the warning wraps depends on the fixture's path: check its parts */
    expect_in("err", "1 malformed record skipped");
    expect_in("err", "3): a time that is not one");
    CU_ASSERT_EQUAL(run("'%s' stats --db i.db --model " HAIKU " --format json", bin, NULL), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "max"), 1200, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), (1200.0 + 10) / 2, 1e-9);
    /* tierplan export of a database holding the metrics and the two log fixtures above: read
     * back, the database exports the same file again */
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db e.db " D "export/export.csv && '%s' export --db "
                        "e.db | cmp - " D "export/export.csv",
                        bin, bin),
                    0);
    CU_ASSERT_EQUAL(run("'%s' stats --db e.db --model " NOVA " --format json", bin, NULL), 0);
    CU_ASSERT_DOUBLE_EQUAL(stat_of("input", "mean"), 200, 1e-9);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli_query", setup, teardown);
    CU_add_test(s, "Logs Insights rows per request", test_per_request);
    CU_add_test(s, "nothing stored is an error", test_nothing_stored);
    CU_add_test(s, "columns named by --field", test_fields);
    CU_add_test(s, "Athena CSV and JSON results", test_athena_results);
    CU_add_test(s, "export-cmd --source athena", test_export_athena);
    CU_add_test(s, "every other fixture end to end", test_fixtures);
}
