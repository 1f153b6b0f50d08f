/* awscmd_athena.c - the script of `tierplan export-cmd --source athena`: an Athena table over
 * the invocation logs in S3, the per-minute sums computed there, and the commands that run
 * them. Every value from the caller is checked against a set of characters that needs no
 * escaping in SQL or in the shell, and refused otherwise (docs/formats.md, "Athena"). */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/awscmd_athena.h"

#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "tierplan/store.h"
#include "tierplan/timestamp.h"

#define MAX_DAYS 3650
#define DEFAULT_TABLE "bedrock_invocation_logs"

/* 1 when s[0, n) is all of [a-z0-9] (lower != 0) or [A-Za-z0-9] and of extra. */
static int only_n(const char *s, size_t n, int lower, const char *extra)
{
    for (size_t i = 0; i < n; i++) {
        const char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (!lower && c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || (c != '\0' && strchr(extra, c) != NULL)))
            return 0;
    }
    return 1;
}

/* An s3://BUCKET[/PREFIX] location split into bucket and prefix (no slash at either end; a
 * trailing AWSLogs dropped when drop_awslogs). -1 when it is not one tierplan takes. */
typedef struct s3loc {
    char bucket[64], prefix[1024];
} s3loc;

static int s3_parse(const char *url, int drop_awslogs, s3loc *l)
{
    if (url == NULL || strncmp(url, "s3://", 5) != 0)
        return -1;
    const char *b = url + 5, *slash = strchr(b, '/');
    const size_t bn = slash != NULL ? (size_t)(slash - b) : strlen(b);
    if (bn < 3 || bn > 63 || !only_n(b, bn, 1, ".-") || b[0] == '.' || b[0] == '-' ||
        b[bn - 1] == '.' || b[bn - 1] == '-')
        return -1;
    memcpy(l->bucket, b, bn);
    l->bucket[bn] = '\0';
    const char *p = slash != NULL ? slash + 1 : "";
    size_t pn = strlen(p);
    while (pn > 0 && p[pn - 1] == '/')
        pn--;
    if (pn >= sizeof l->prefix || !only_n(p, pn, 0, "._=/-") || p[0] == '/')
        return -1;
    memcpy(l->prefix, p, pn);
    l->prefix[pn] = '\0';
    if (strstr(l->prefix, "..") != NULL || strstr(l->prefix, "//") != NULL)
        return -1;
    if (drop_awslogs) { /* s3://b/p/AWSLogs names the same logs as s3://b/p */
        const size_t k = strlen("AWSLogs");
        pn = strlen(l->prefix);
        if (pn >= k && strcmp(l->prefix + pn - k, "AWSLogs") == 0 &&
            (pn == k || l->prefix[pn - k - 1] == '/'))
            l->prefix[pn == k ? 0 : pn - k - 1] = '\0';
    }
    return 0;
}

/* "s3://bucket/prefix/" or "s3://bucket/" into buf. */
static const char *s3_dir(const s3loc *l, char *buf, size_t size)
{
    snprintf(buf, size, "s3://%s/%s%s", l->bucket, l->prefix, l->prefix[0] ? "/" : "");
    return buf;
}

static int name_ok(const char *s)
{
    return s != NULL && *s != '\0' && strlen(s) <= 128 && only_n(s, strlen(s), 1, "_");
}

/* The SQL of the attribution key, as ingest chooses it (docs/formats.md, "Invocation logs"):
 * an assumed-role session cut to its role. NULL when attribute_by is not valid. */
static const char *key_sql(const char *by, char *buf, size_t size)
{
    if (by == NULL || strcmp(by, "identity") == 0)
        return "regexp_replace(\"identity\".\"arn\",\n"
               "    '^(arn:[^/]*:assumed-role/[^/]+)/.*$', '$1')";
    if (strcmp(by, "operation") == 0)
        return "\"operation\"";
    if (strcmp(by, "region") == 0)
        return "coalesce(\"region\", \"log_region\")";
    const char *k = by + 9;
    if (strncmp(by, "metadata:", 9) != 0 || *k == '\0' || strlen(k) > 128 ||
        !only_n(k, strlen(k), 0, "_"))
        return NULL;
    int upper = 0;
    char low[129];
    for (size_t i = 0; k[i]; i++) {
        upper |= k[i] >= 'A' && k[i] <= 'Z';
        low[i] = (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] - 'A' + 'a' : k[i]);
        low[i + 1] = '\0';
    }
    /* the SerDe may hand map keys over lowercased: both spellings are looked up */
    if (upper)
        snprintf(buf, size,
                 "coalesce(element_at(\"requestmetadata\", '%s'),\n"
                 "    element_at(\"requestmetadata\", '%s'))",
                 k, low);
    else
        snprintf(buf, size, "element_at(\"requestmetadata\", '%s')", k);
    return buf;
}

static void join(strbuf *b, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_printf(b, "%s%s", i ? "," : "", v[i]);
}

static void ddl(strbuf *b, const tp_awscmd_athena_options *o, const char *table, const s3loc *logs)
{
    char dir[1200];
    s3_dir(logs, dir, sizeof dir);
    sb_printf(b,
              "CREATE EXTERNAL TABLE IF NOT EXISTS `%s`.`%s` (\n"
              "  `schematype` string,\n"
              "  `schemaversion` string,\n"
              "  `timestamp` string,\n"
              "  `accountid` string,\n"
              "  `region` string,\n"
              "  `requestid` string,\n"
              "  `operation` string,\n"
              "  `modelid` string,\n"
              "  `errorcode` string,\n"
              "  `identity` struct<arn:string>,\n"
              "  `requestmetadata` map<string,string>,\n"
              "  `input` struct<inputtokencount:bigint,cachereadinputtokencount:bigint,\n"
              "    cachewriteinputtokencount:bigint>,\n"
              "  `output` struct<outputtokencount:bigint>\n"
              ")\n"
              "PARTITIONED BY (`log_account` string, `log_region` string, `log_hour` string)\n"
              "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
              "WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')\n"
              "LOCATION '%sAWSLogs/'\n"
              "TBLPROPERTIES (\n"
              "  'projection.enabled' = 'true',\n"
              "  'projection.log_account.type' = 'enum',\n"
              "  'projection.log_account.values' = '",
              o->database, table, dir);
    join(b, o->accounts, o->n_accounts);
    sb_puts(b, "',\n"
               "  'projection.log_region.type' = 'enum',\n"
               "  'projection.log_region.values' = '");
    join(b, o->regions, o->n_regions);
    sb_printf(b,
              "',\n"
              "  'projection.log_hour.type' = 'date',\n"
              "  'projection.log_hour.format' = 'yyyy/MM/dd/HH',\n"
              "  'projection.log_hour.range' = '2023/01/01/00,NOW',\n"
              "  'projection.log_hour.interval' = '1',\n"
              "  'projection.log_hour.interval.unit' = 'HOURS',\n"
              "  'storage.location.template' =\n"
              "    '%sAWSLogs/${log_account}/BedrockModelInvocationLogs/${log_region}/"
              "${log_hour}/'\n"
              ")\n",
              dir);
}

/* "YYYY/MM/DD/HH" of the hour t falls in. */
static const char *hour_of(int64_t t, char *buf)
{
    char iso[TP_TIME_BUF];
    tp_timestamp_format(t - t % 3600, iso);
    snprintf(buf, 16, "%.4s/%.2s/%.2s/%.2s", iso, iso + 5, iso + 8, iso + 11);
    return buf;
}

static void query(strbuf *b, const tp_awscmd_athena_options *o, const char *table, const char *key,
                  int64_t start_s, int64_t end_s)
{
    char h0[16], h1[16], a[TP_TIME_BUF], z[TP_TIME_BUF];
    /* a failed request (errorCode) is counted, its tokens are not demand: as ingest reads
     * the records */
    static const char *const tok[4][2] = {
        {"\"input\".\"inputtokencount\"", "input_tokens"},
        {"\"input\".\"cachereadinputtokencount\"", "cache_read_tokens"},
        {"\"input\".\"cachewriteinputtokencount\"", "cache_write_tokens"},
        {"\"output\".\"outputtokencount\"", "output_tokens"}};
    sb_printf(b,
              "SELECT\n"
              "  date_trunc('minute', CAST(from_iso8601_timestamp(\"timestamp\") AS timestamp))"
              " AS \"minute\",\n"
              "  \"modelid\" AS \"model_id\",\n"
              "  coalesce(\"accountid\", \"log_account\") AS \"account_id\",\n"
              "  coalesce(\"region\", \"log_region\") AS \"region\",\n"
              "  %s AS \"key\",\n",
              key);
    for (int i = 0; i < 4; i++)
        sb_printf(b, "  sum(if(\"errorcode\" IS NULL, coalesce(%s, 0), 0))\n    AS \"%s\",\n",
                  tok[i][0], tok[i][1]);
    sb_printf(b,
              "  count(*) AS \"requests\",\n"
              "  count(\"errorcode\") AS \"errors\"\n"
              "FROM \"%s\".\"%s\"\n"
              "WHERE \"log_hour\" BETWEEN '%s' AND '%s'\n"
              "  AND from_iso8601_timestamp(\"timestamp\") >= from_iso8601_timestamp('%s')\n"
              "  AND from_iso8601_timestamp(\"timestamp\") < from_iso8601_timestamp('%s')\n"
              "  AND \"modelid\" IS NOT NULL\n"
              "GROUP BY 1, 2, 3, 4, 5\n"
              "ORDER BY 1, 2, 3, 4, 5\n",
              /* the hour folders up to one past the window's last: a file is filed under the
               * hour it is delivered in, which can follow its records' hour (the timestamp
               * filter keeps the result to the window) */
              o->database, table, hour_of(start_s, h0), hour_of(end_s - 1 + 3600, h1),
              tp_timestamp_format(start_s, a), tp_timestamp_format(end_s, z));
}

static const char *run_function =
    "# tp_athena SQL: runs one statement, waits until it has succeeded, prints its id; a\n"
    "# failure stops the script with status 3 (a failed step, never a verdict)\n"
    "tp_athena() {\n"
    "  id=$(aws athena start-query-execution --query-string \"$1\" $TP_CONTEXT \\\n"
    "    --result-configuration \"OutputLocation=$TP_OUTPUT\" $TP_WORKGROUP \\\n"
    "    --query QueryExecutionId --output text) || return 3\n"
    "  while :; do\n"
    "    st=$(aws athena get-query-execution --query-execution-id \"$id\" \\\n"
    "      --query QueryExecution.Status.State --output text) || return 3\n"
    "    case \"$st\" in\n"
    "      SUCCEEDED) break ;;\n"
    "      QUEUED|RUNNING) sleep 5 ;;\n"
    "      *) echo \"athena query $id: $st\" >&2; return 3 ;;\n"
    "    esac\n"
    "  done\n"
    "  echo \"$id\"\n"
    "}\n";

/* The checks of every value the script holds; TP_OK or TP_ERR_USAGE naming the option. */
static tp_status check(const tp_awscmd_athena_options *o, s3loc *logs, s3loc *out, const char **key,
                       char *kbuf, size_t ksize, tp_error *err)
{
    static const char s3_rule[] = "s3://BUCKET[/PREFIX] with BUCKET of [a-z0-9.-] (3 to 63) "
                                  "and PREFIX of [A-Za-z0-9._=/-] (no .. or //)";
    if (s3_parse(o->logs, 1, logs) != 0)
        return tp_error_set_field(err, TP_ERR_USAGE, "logs", "{logs} \"%s\" is not %s",
                                  o->logs != NULL ? o->logs : "", s3_rule);
    if (s3_parse(o->output, 0, out) != 0)
        return tp_error_set_field(err, TP_ERR_USAGE, "output", "{output} \"%s\" is not %s",
                                  o->output != NULL ? o->output : "", s3_rule);
    if (!name_ok(o->database))
        return tp_error_set_field(err, TP_ERR_USAGE, "database",
                                  "{database} \"%s\" is not an Athena name: [a-z0-9_], 1 to "
                                  "128",
                                  o->database != NULL ? o->database : "");
    if (o->table != NULL && !name_ok(o->table))
        return tp_error_set_field(err, TP_ERR_USAGE, "table",
                                  "{table} \"%s\" is not an Athena name: [a-z0-9_], 1 to 128",
                                  o->table);
    if (o->workgroup != NULL && (*o->workgroup == '\0' || strlen(o->workgroup) > 128 ||
                                 !only_n(o->workgroup, strlen(o->workgroup), 0, "._-")))
        return tp_error_set_field(err, TP_ERR_USAGE, "workgroup",
                                  "{workgroup} \"%s\" is not a workgroup name: [A-Za-z0-9._-], "
                                  "1 to 128",
                                  o->workgroup);
    if (o->n_accounts == 0 || o->n_accounts > TP_AWSCMD_ATHENA_MAX_PLACES)
        return tp_error_set_field(err, TP_ERR_USAGE, "accounts",
                                  "{accounts}: give 1 to %d accounts (those under AWSLogs/)",
                                  TP_AWSCMD_ATHENA_MAX_PLACES);
    for (size_t i = 0; i < o->n_accounts; i++)
        if (!tp_store_account_valid(o->accounts[i]))
            return tp_error_set_field(err, TP_ERR_USAGE, "accounts",
                                      "{accounts}: \"%s\" is not an AWS account id (12 digits)",
                                      o->accounts[i]);
    if (o->n_regions == 0 || o->n_regions > TP_AWSCMD_ATHENA_MAX_PLACES)
        return tp_error_set_field(err, TP_ERR_USAGE, "regions",
                                  "{regions}: give 1 to %d regions (those under each "
                                  "account's BedrockModelInvocationLogs/)",
                                  TP_AWSCMD_ATHENA_MAX_PLACES);
    for (size_t i = 0; i < o->n_regions; i++)
        if (!tp_store_region_valid(o->regions[i]))
            return tp_error_set_field(err, TP_ERR_USAGE, "regions",
                                      "{regions}: \"%s\" is not a region name (us-east-1 ...)",
                                      o->regions[i]);
    if ((*key = key_sql(o->attribute_by, kbuf, ksize)) == NULL)
        return tp_error_set_field(err, TP_ERR_USAGE, "attribute_by",
                                  "{attribute_by} is identity, operation, region or "
                                  "metadata:KEY with KEY of [A-Za-z0-9_]");
    if (o->days < 1 || o->days > MAX_DAYS)
        return tp_error_set_field(err, TP_ERR_USAGE, "days", "{days} must be 1 to %d", MAX_DAYS);
    if (o->end_s < 0 || (o->end_s > 0 && o->end_s > o->now_s))
        return tp_error_set_field(err, TP_ERR_USAGE, "end_s",
                                  "{end_s} is after {now_s}: invocation logs of the future do "
                                  "not exist yet");
    return TP_OK;
}

tp_status tp_awscmd_athena_build(const tp_awscmd_athena_options *o, char **out, tp_error *err)
{
    s3loc logs, res;
    char kbuf[400], dir[1200], a[TP_TIME_BUF], z[TP_TIME_BUF], stamp[TP_TIME_BUF];
    const char *key = NULL;
    *out = NULL;
    tp_status rc = check(o, &logs, &res, &key, kbuf, sizeof kbuf, err);
    if (rc != TP_OK)
        return rc;
    const char *table = o->table != NULL ? o->table : DEFAULT_TABLE;
    const int64_t end_at = o->end_s > 0 ? o->end_s : o->now_s;
    const int64_t end_s = end_at - end_at % 60, start_s = end_s - (int64_t)o->days * 86400;
    tp_timestamp_format(end_s, z); /* the end in the file name: 20261010T0000Z */
    snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT%.2s%.2sZ", z, z + 5, z + 8, z + 11, z + 14);
    strbuf b = {0};
    sb_printf(&b,
              "#!/bin/sh\n"
              "# tierplan export-cmd --source athena: %d day(s) of invocation logs under\n"
              "# %s, %s .. %s,\n"
              "# summed per minute in Athena (database %s, table %s)\n"
              "set -e\n",
              o->days, s3_dir(&logs, dir, sizeof dir), tp_timestamp_format(start_s, a), z,
              o->database, table);
    sb_printf(&b, "TP_OUTPUT='%s'\n", s3_dir(&res, dir, sizeof dir));
    sb_printf(&b, "TP_CONTEXT='--query-execution-context Database=%s'\n", o->database);
    if (o->workgroup != NULL)
        sb_printf(&b, "TP_WORKGROUP='--work-group %s'\n", o->workgroup);
    else
        sb_puts(&b, "TP_WORKGROUP=\n");
    sb_printf(&b, "TP_RESULT='tierplan-athena-%s.csv'\n", stamp);
    sb_puts(&b, "\n# (1) the table over the logs: created once; partition projection finds "
                "the hours\nTP_DDL=$(cat <<'TP_SQL'\n");
    ddl(&b, o, table, &logs);
    sb_puts(&b, "TP_SQL\n)\n\n# (2) the sums per minute, model, account, region and "
                "attribution key\nTP_QUERY=$(cat <<'TP_SQL'\n");
    query(&b, o, table, key, start_s, end_s);
    sb_puts(&b, "TP_SQL\n)\n\n# (3) run both, then fetch the result\n");
    sb_puts(&b, run_function);
    sb_printf(&b, "tp_athena 'CREATE DATABASE IF NOT EXISTS `%s`' >/dev/null\n", o->database);
    sb_puts(&b, "tp_athena \"$TP_DDL\" >/dev/null\n"
                "id=$(tp_athena \"$TP_QUERY\")\n"
                "aws s3 cp \"${TP_OUTPUT}$id.csv\" \"$TP_RESULT\" || "
                "{ rm -f \"$TP_RESULT\"; exit 3; }\n"
                "# or, as JSON (the CLI reads every page):\n"
                "#   aws athena get-query-results --query-execution-id \"$id\" --output json "
                "> result.json\n");
    sb_printf(&b, "# then: tierplan ingest%s%s tierplan-athena-%s.csv\n",
              o->attribute_by != NULL ? " --attribute-by " : "",
              o->attribute_by != NULL ? o->attribute_by : "", stamp);
    return sb_finish(&b, out, err);
}
