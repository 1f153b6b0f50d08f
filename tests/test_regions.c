/* test_regions.c - regions and accounts on the data side: the schema 6 migration from a
 * version 5 file, Region= and Account= from labels, CSV and log records, the refusal of data
 * without a region where the model is stored under one, and loading one place, or the
 * regions of one account merged. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_logs.h"
#include "test_util.h"
#include "tierplan/series.h"
#include "tierplan/showback.h"

void register_tests(void);

#define M "amazon.nova-pro-v1:0"
#define ACCT_A "111122223333"
#define ACCT_B "444455556666"

/* A get-metric-data document with one result of label `label`: 2026-10-05T14:00 and 14:01,
 * values a and b. */
static char *gmd(const char *label, int a, int b)
{
    static char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"MetricDataResults\":[{\"Id\":\"q0\",\"Label\":\"%s\",\"Timestamps\":"
             "[\"2026-10-05T14:00:00Z\",\"2026-10-05T14:01:00Z\"],\"Values\":[%d,%d],"
             "\"StatusCode\":\"Complete\"}],\"Messages\":[]}",
             label, a, b);
    return buf;
}

static void test_region_shapes(void)
{
    const char *good[] = {"us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-3",
                          "us-isob-east-1"};
    const char *bad[] = {"", "us-east", "US-EAST-1", "useast1", "us-east-1a", "u-east-1",
                         "us--1", "us-east-123", "us-a-b-c-1"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CU_ASSERT_EQUAL(tp_store_region_valid(good[i]), 1);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CU_ASSERT_EQUAL(tp_store_region_valid(bad[i]), 0);
    CU_ASSERT_EQUAL(tp_store_account_valid(ACCT_A), 1);
    CU_ASSERT_EQUAL(tp_store_account_valid("12345678901"), 0);
    CU_ASSERT_EQUAL(tp_store_account_valid("1234567890123"), 0);
    CU_ASSERT_EQUAL(tp_store_account_valid("12345678901x"), 0);
    CU_ASSERT_STRING_EQUAL(tp_store_place_name(""), "unknown");
    CU_ASSERT_STRING_EQUAL(tp_store_place_name("us-east-1"), "us-east-1");
}

/* Two regions of one model are two series; each loads alone, the pair only with its place
 * named, or summed with merge_regions. */
static void test_two_regions_apart(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_series *ser = NULL;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "us.json",
                                     gmd("ModelId=" M " InputTokenCount Region=us-east-1 "
                                         "Account=" ACCT_A " Period=60",
                                         10, 20),
                                     NULL, &err),
                          TP_OK);
    tp_ingest_options o = {.region = "eu-west-1", .account = ACCT_A};
    CU_ASSERT_EQUAL_FATAL(
        ingest_one(s, &o, "eu.json", gmd("ModelId=" M " InputTokenCount Period=60", 1, 2), NULL,
                   &err),
        TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM series"), 2);
    tp_store_place *pl = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(tp_store_places(s, M, &pl, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(pl[0].region, "eu-west-1");
    CU_ASSERT_STRING_EQUAL(pl[1].region, "us-east-1");
    CU_ASSERT_STRING_EQUAL(pl[1].account, ACCT_A);
    tp_store_places_free(pl, n);

    tp_series_query q = {.model = M};
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "more than one place: eu-west-1 (account " ACCT_A
                                 "), us-east-1 (account " ACCT_A ")");
    ASSERT_CONTAINS(err.message, "pass region (and account)");
    q.region = "us-east-1";
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[1], 20);
    CU_ASSERT_STRING_EQUAL(tp_series_region(ser), "us-east-1");
    CU_ASSERT_STRING_EQUAL(tp_series_account(ser), ACCT_A);
    tp_series_free(ser);
    /* merged: 14:00 is 10 + 1 = 11, 14:01 is 20 + 2 = 22 (summed, never overlaid) */
    q.region = NULL;
    q.merge_regions = 1;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 11);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[1], 22);
    CU_ASSERT_STRING_EQUAL(tp_series_region(ser), "*");
    tp_series_free(ser);
    q.region = "ap-south-1";
    q.merge_regions = 0;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_NOT_FOUND);
    ASSERT_CONTAINS(err.message, "in region ap-south-1, account any; it is stored in "
                                 "eu-west-1 (account " ACCT_A ")");
    tp_store_close(s);
}

/* Data without a region into a model stored under one is refused, naming the regions and the
 * option; nothing of the command is stored. The converse is kept apart, with a warning. */
static void test_no_silent_merge(void)
{
    tp_store *s = open_mem();
    tp_error err;
    warnings w = {{0}, 0};
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &(tp_ingest_options){.region = "us-east-1"}, "us.json",
                                     gmd("ModelId=" M " InputTokenCount Period=60", 10, 20),
                                     NULL, &err),
                          TP_OK);
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "eu.json",
                               gmd("ModelId=" M " InputTokenCount Period=60", 1, 2), NULL, &err),
                    TP_ERR_CONFLICT);
    ASSERT_CONTAINS(err.message, "eu.json: model " M " has no region, but the database holds "
                                 "it in us-east-1: pass region");
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM series"), 1);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM ingests"), 1);

    /* converse: the model stored without a region, then under one */
    tp_store *t = open_mem();
    tp_ingest_options o = {.region = "eu-west-1", .warn = collect_warning, .warn_ctx = &w};
    CU_ASSERT_EQUAL_FATAL(ingest_one(t, NULL, "old.json",
                                     gmd("ModelId=" M " InputTokenCount Period=60", 1, 2), NULL,
                                     &err),
                          TP_OK);
    CU_ASSERT_EQUAL_FATAL(ingest_one(t, &o, "new.json",
                                     gmd("ModelId=" M " InputTokenCount Period=60", 3, 4), NULL,
                                     &err),
                          TP_OK);
    ASSERT_CONTAINS(w.text, "also stored without a region");
    CU_ASSERT_EQUAL(q_int(t, "SELECT count(*) FROM series"), 2);
    tp_store_close(t);
    tp_store_close(s);
}

/* Bad input: a malformed region or account, a label that disagrees with the option. */
static void test_bad_places(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest *ing = NULL;
    CU_ASSERT_EQUAL(tp_ingest_begin(s, &(tp_ingest_options){.region = "useast1"}, &ing, &err),
                    TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "region \"useast1\" is not a region name");
    CU_ASSERT_EQUAL(tp_ingest_begin(s, &(tp_ingest_options){.account = "12"}, &ing, &err),
                    TP_ERR_USAGE);
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "bad.json",
                               gmd("ModelId=" M " InputTokenCount Region=Virginia", 1, 2), NULL,
                               &err),
                    TP_ERR_INVALID);
    ASSERT_CONTAINS(err.message, "bad.json: $.MetricDataResults[0].Label: region \"Virginia\"");
    CU_ASSERT_EQUAL(ingest_one(s, &(tp_ingest_options){.region = "us-east-1"}, "x.json",
                               gmd("ModelId=" M " InputTokenCount Region=eu-west-1", 1, 2),
                               NULL, &err),
                    TP_ERR_INVALID);
    ASSERT_CONTAINS(err.message, "x.json: $.MetricDataResults[0].Label: Region=eu-west-1 "
                                 "disagrees with region us-east-1");
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "a.csv",
                               "timestamp,model,metric,value,account\n"
                               "2026-10-05T14:00:00Z," M ",InputTokenCount,1,1234\n",
                               NULL, &err),
                    TP_ERR_INVALID);
    ASSERT_CONTAINS(err.message, "a.csv: line 2: account \"1234\" is not an AWS account id");
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM series"), 0);
    tp_store_close(s);
}

/* export writes region and account; ingest reads them back (round trip). */
static void test_csv_roundtrip(void)
{
    tp_store *a = open_mem(), *b = open_mem();
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(
        ingest_one(a, &(tp_ingest_options){.region = "eu-west-1", .account = ACCT_B}, "eu.json",
                   gmd("ModelId=" M " InputTokenCount Period=60", 1, 2), NULL, &err),
        TP_OK);
    CU_ASSERT_EQUAL_FATAL(ingest_one(a, &(tp_ingest_options){.region = "us-east-1"}, "us.json",
                                     gmd("ModelId=" M " InputTokenCount Period=60", 5, 6), NULL,
                                     &err),
                          TP_OK);
    char *buf = NULL, *again = NULL;
    size_t len = 0, n = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_EQUAL_FATAL(tp_store_export_csv(a, NULL, f, &n, &err), TP_OK);
    fclose(f);
    CU_ASSERT_EQUAL(n, 4);
    ASSERT_CONTAINS(buf, "2026-10-05T14:00:00Z," M ",InputTokenCount,5,,,60,us-east-1,,metrics,,\n");
    ASSERT_CONTAINS(buf, "2026-10-05T14:01:00Z," M ",InputTokenCount,2,,,60,eu-west-1," ACCT_B
                         ",metrics,,\n");
    CU_ASSERT_EQUAL_FATAL(ingest_one(b, NULL, "back.csv", buf, NULL, &err), TP_OK);
    f = open_memstream(&again, &len);
    CU_ASSERT_EQUAL_FATAL(tp_store_export_csv(b, NULL, f, &n, &err), TP_OK);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, again);
    free(again);
    again = NULL;
    f = open_memstream(&again, &len);
    CU_ASSERT_EQUAL_FATAL(tp_store_export_csv_at(b, M, "us-east-1", NULL, f, &n, &err), TP_OK);
    fclose(f);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_PTR_NULL(strstr(again, "eu-west-1"));
    free(again);
    free(buf);
    tp_store_close(a);
    tp_store_close(b);
}

#define REC(acct, region, ts, in)                                                               \
    "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":\"" ts     \
    "\",\"accountId\":\"" acct "\",\"identity\":{\"arn\":\"arn:aws:iam::" acct ":role/r\"},"  \
    "\"region\":\"" region "\",\"requestId\":\"r\",\"operation\":\"Converse\",\"modelId\":\"" \
    M "\",\"input\":{\"inputTokenCount\":" in "},\"output\":{\"outputTokenCount\":1}}\n"

/* Log records of two accounts are summed apart, each under its account and region. */
static void test_logs_two_accounts(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_series *ser = NULL;
    const char *logs = REC(ACCT_A, "us-east-1", "2026-10-05T14:00:10Z", "100")
        REC(ACCT_B, "us-east-1", "2026-10-05T14:00:20Z", "7")
            REC(ACCT_A, "us-east-1", "2026-10-05T14:00:30Z", "50");
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "l.jsonl", logs, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT sum(input_tokens) FROM log_minutes WHERE account = '" ACCT_A
                             "' AND region = 'us-east-1'"),
                    150);
    CU_ASSERT_EQUAL(q_int(s, "SELECT sum(input_tokens) FROM log_minutes WHERE account = '" ACCT_B
                             "'"),
                    7);
    tp_series_query q = {.model = M};
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_USAGE);
    q.account = ACCT_B;
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 7);
    tp_series_free(ser);
    /* merging regions never merges accounts */
    q.account = NULL;
    q.merge_regions = 1;
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "more than one account");
    /* showback reads one place's logs: the two accounts without a choice are refused naming
     * them (never 157 tokens summed over both); with --account, B's 7 tokens alone */
    tp_model_price p;
    memset(&p, 0, sizeof p);
    p.tier_multiplier[TP_TIER_STANDARD] = 1, p.quota_output_weight = 1;
    p.burn_down_cache_read = 0.1, p.burn_down_cache_write = 1;
    p.input_per_million_usd = p.tier_per_million_usd[TP_TIER_STANDARD][TP_METRIC_INPUT] = 3;
    p.output_per_million_usd = p.tier_per_million_usd[TP_TIER_STANDARD][TP_METRIC_OUTPUT] = 15;
    tp_showback_options so = {0};
    tp_showback *sb = NULL;
    tp_series_query sq = {.model = M};
    CU_ASSERT_EQUAL(tp_showback_run(s, &sq, &p, &so, &sb, &err), TP_ERR_USAGE);
    ASSERT_CONTAINS(err.message, "us-east-1 (account " ACCT_A "), us-east-1 (account " ACCT_B ")");
    CU_ASSERT_PTR_NULL(sb);
    sq.account = ACCT_B;
    CU_ASSERT_EQUAL_FATAL(tp_showback_run(s, &sq, &p, &so, &sb, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(sb->account, ACCT_B);
    CU_ASSERT_STRING_EQUAL(sb->region, "us-east-1");
    double in = 0;
    for (size_t i = 0; i < sb->n_lines; i++)
        in += sb->lines[i].effective_input_tokens;
    CU_ASSERT_DOUBLE_EQUAL(in, 7, 1e-9);
    tp_showback_free(sb);
    /* a record without region takes the S3 path's; one that disagrees with --region fails */
    tp_store *t = open_mem();
    const char *bare =
        "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":"
        "\"2026-10-05T14:00:10Z\",\"modelId\":\"" M "\",\"input\":{\"inputTokenCount\":3},"
        "\"output\":{\"outputTokenCount\":1}}\n";
    CU_ASSERT_EQUAL_FATAL(ingest_one(t, NULL,
                                     "s3/AWSLogs/" ACCT_B "/BedrockModelInvocationLogs/"
                                     "eu-west-1/2026/10/05/14/x.json",
                                     bare, NULL, &err),
                          TP_OK);
    CU_ASSERT_EQUAL(q_int(t, "SELECT count(*) FROM log_minutes WHERE region = 'eu-west-1' AND "
                             "account = '" ACCT_B "'"),
                    1);
    CU_ASSERT_EQUAL(ingest_one(t, &(tp_ingest_options){.region = "us-west-2"}, "u.jsonl",
                               REC(ACCT_A, "us-east-1", "2026-10-05T14:00:10Z", "1"), NULL, &err),
                    TP_ERR_INVALID);
    ASSERT_CONTAINS(err.message, "u.jsonl: line 1: the record's region us-east-1 disagrees "
                                 "with region us-west-2");
    tp_store_close(t);
    tp_store_close(s);
}

/* A version 5 file (written here with version 5's SQL) is migrated to version 6: its series
 * and log sums keep their ids and rows under the unknown place, and data under a region is
 * then stored apart. */
static void test_migrate_v5(void)
{
    char dir[] = "/tmp/tierplan-regions-XXXXXX", path[64];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/v5.db", dir);
    sqlite3 *db = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    const char *v5 =
        "CREATE TABLE series(id INTEGER PRIMARY KEY, model TEXT NOT NULL, metric TEXT NOT NULL,"
        " service_tier TEXT NOT NULL DEFAULT '', resolved_tier TEXT NOT NULL DEFAULT '',"
        " period_s INTEGER NOT NULL CHECK (period_s > 0 AND period_s % 60 = 0),"
        " UNIQUE (model, metric, service_tier, resolved_tier, period_s));"
        "CREATE TABLE ingests(id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
        " sha256 TEXT NOT NULL, format TEXT NOT NULL, ingested_at TEXT NOT NULL,"
        " points INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0,"
        " replaced INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,"
        " kept_newer INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE days(series_id INTEGER NOT NULL REFERENCES series(id),"
        " day INTEGER NOT NULL, n INTEGER NOT NULL, minutes BLOB NOT NULL,"
        " PRIMARY KEY (series_id, day)) WITHOUT ROWID;"
        "CREATE TABLE ingest_series(ingest_id INTEGER NOT NULL, series_id INTEGER NOT NULL,"
        " as_of INTEGER NOT NULL, PRIMARY KEY (ingest_id, series_id)) WITHOUT ROWID;"
        "CREATE TABLE ingest_spans(ingest_id INTEGER NOT NULL, series_id INTEGER NOT NULL,"
        " from_s INTEGER NOT NULL, to_s INTEGER NOT NULL, CHECK (to_s > from_s),"
        " PRIMARY KEY (series_id, from_s, to_s, ingest_id)) WITHOUT ROWID;"
        "CREATE TABLE log_objects(object TEXT PRIMARY KEY, ingest_id INTEGER NOT NULL,"
        " records INTEGER NOT NULL DEFAULT 0, first_minute INTEGER, last_minute INTEGER)"
        " WITHOUT ROWID;"
        "CREATE TABLE log_minutes(model TEXT NOT NULL, attr_by TEXT NOT NULL,"
        " attr_key TEXT NOT NULL, minute INTEGER NOT NULL, requests INTEGER NOT NULL DEFAULT 0,"
        " errors INTEGER NOT NULL DEFAULT 0, input_tokens INTEGER NOT NULL DEFAULT 0,"
        " output_tokens INTEGER NOT NULL DEFAULT 0, cache_read_tokens INTEGER NOT NULL DEFAULT 0,"
        " cache_write_tokens INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (model, attr_by, attr_key, minute)) WITHOUT ROWID;"
        "CREATE INDEX log_minutes_by_minute ON log_minutes(model, minute);"
        "CREATE TABLE log_keys(model TEXT NOT NULL, attr_by TEXT NOT NULL, attr_key TEXT NOT NULL,"
        " PRIMARY KEY (model, attr_by, attr_key)) WITHOUT ROWID;"
        "CREATE INDEX ingests_by_sha256 ON ingests(sha256);"
        "CREATE INDEX log_objects_by_ingest ON log_objects(ingest_id);"
        "INSERT INTO series VALUES (7, '" M "', 'InputTokenCount', '', '', 60);"
        "INSERT INTO ingests(id, source, sha256, format, ingested_at) VALUES"
        " (1, 'a.json', '', 'get-metric-data', '2026-10-05T14:03:00Z');"
        "INSERT INTO ingest_series VALUES (1, 7, 1791209040);"
        "INSERT INTO log_minutes(model, attr_by, attr_key, minute, requests, input_tokens)"
        " VALUES ('other', 'identity', 'k', 29853480, 1, 42);"
        "INSERT INTO log_keys VALUES ('other', 'identity', 'k');"
        "PRAGMA user_version = 5;";
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(db, v5, NULL, NULL, NULL), SQLITE_OK);
    /* 2026-10-05 is day 20731; 14:00 is its minute 840: value 9 by ingest 1 */
    static store_day day;
    unsigned char blob[STORE_DAY_BYTES];
    day.value[840] = 9;
    day.ingest[840] = 1;
    store_day_encode(&day, blob);
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(db, "INSERT INTO days VALUES (7, 20731, 1, ?1)", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_blob(st, 1, blob, STORE_DAY_BYTES, SQLITE_STATIC);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);

    tp_store *s = NULL;
    tp_error err;
    int version = 0;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION); /* through every migration */
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM series WHERE id = 7 AND region = '' AND "
                             "account = ''"),
                    1);
    CU_ASSERT_EQUAL(q_int(s, "SELECT input_tokens FROM log_minutes WHERE region = '' AND "
                             "account = ''"),
                    42);
    tp_series *ser = NULL;
    tp_series_query q = {.model = M};
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_values(ser, TP_METRIC_INPUT)[0], 9);
    CU_ASSERT_STRING_EQUAL(tp_series_region(ser), "");
    tp_series_free(ser);
    /* the rebuilt UNIQUE key holds the place: the same series key under a region is new */
    CU_ASSERT_EQUAL(ingest_one(s, &(tp_ingest_options){.region = "us-east-1"}, "r.json",
                               gmd("ModelId=" M " InputTokenCount Period=60", 1, 2), NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM series"), 2);
    tp_store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("regions", NULL, NULL);
    ADD(s, test_region_shapes);
    ADD(s, test_two_regions_apart);
    ADD(s, test_no_silent_merge);
    ADD(s, test_bad_places);
    ADD(s, test_csv_roundtrip);
    ADD(s, test_logs_two_accounts);
    ADD(s, test_migrate_v5);
}
