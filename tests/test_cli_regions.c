/* test_cli_regions.c - regions and accounts through the CLI: export-cmd's commands, labels and
 * file names, run by a fake aws and ingested back into their regions (the round trip); two
 * regions of one model kept apart in stats, recommend, series and export; --region filters;
 * the refusal of data without a region; malformed and disagreeing regions. */
#include "cli_util.h"

void register_tests(void);

#define NOVA "amazon.nova-pro-v1:0"
#define EU_FILE "tierplan-amazon.nova-pro-v1_0-eu-west-1-20261010T0000Z-60s.json"
#define US_FILE "tierplan-amazon.nova-pro-v1_0-us-east-1-20261010T0000Z-60s.json"
#define EXPORT_CMD                                                                             \
    "'%s' export-cmd --model " NOVA " --days 1 --end 2026-10-10 --now 2026-10-10 "

/* A fake aws first on PATH: it insists on --region, and answers every query of the command
 * with its own label and two minutes (2026-10-09T12:00 and 12:01) of value $V each. */
static const char stub[] =
    "#!/bin/sh\n"
    "case \" $* \" in *\" --region \"*) ;; *) echo 'aws stub: no --region' >&2; exit 9;; esac\n"
    "for a; do q=$a; done\n"
    "printf '{\"MetricDataResults\":['\n"
    "printf '%s\\n' \"$q\" | grep -o '\"Label\":\"[^\"]*\"' | {\n"
    "    sep=\n"
    "    while read -r l; do\n"
    "        printf '%s{\"Id\":\"q\",%s,\"Timestamps\":[\"2026-10-09T12:00:00Z\","
    "\"2026-10-09T12:01:00Z\"],\"Values\":[%s,%s],\"StatusCode\":\"Complete\"}' "
    "\"$sep\" \"$l\" \"$V\" \"$V\"\n"
    "        sep=,\n"
    "    done\n"
    "}\n"
    "printf '],\"Messages\":[]}\\n'\n";

static int count_in(const char *file, const char *needle)
{
    char *s = slurp(file);
    int n = 0;
    for (const char *p = s; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    free(s);
    return n;
}

/* eu-west-1 (account 111122223333) at 3000 tokens a minute, us-east-1 (account unknown) at
 * 1000, each exported by export-cmd's commands and ingested without any option: the labels
 * alone put them in their places. */
static int regions_setup(void)
{
    char path[512];
    if (setup() != 0)
        return -1;
    snprintf(path, sizeof path, "%s/aws", dir); /* not write_file: no assertion outside a test */
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs(stub, f);
    if (fclose(f) != 0)
        return -1;
    /* braces: run() sends the command's output to out, after these redirections */
    return run("chmod +x aws && mkdir -p bin && mv aws bin/ && { " EXPORT_CMD
               "--region eu-west-1 --account 111122223333 >eu.sh; }%s",
               bin, "") == 0 &&
                   run("{ " EXPORT_CMD "--region us-east-1 --profile 'p x' >us.sh; }%s", bin, "") == 0 &&
                   run("PATH=\"$PWD/bin:$PATH\" V=3000 sh eu.sh && PATH=\"$PWD/bin:$PATH\" "
                       "V=1000 sh us.sh && '%s' ingest -q --db r.db tierplan-*.json%s",
                       bin, "") == 0
               ? 0
               : -1;
}

/* The commands: --region (and --profile, quoted) in each aws command; Region= (and
 * Account=) in each of the six labels; the region in the file names, so that the two
 * regions' exports sit side by side. */
static void test_export_cmd(void)
{
    CU_ASSERT_EQUAL(count_in("eu.sh", "aws cloudwatch get-metric-data --region eu-west-1 "
                                      "--output json"),
                    1);
    CU_ASSERT_EQUAL(count_in("us.sh", "aws cloudwatch get-metric-data --region us-east-1 "
                                      "--profile 'p x' --output json"),
                    1);
    CU_ASSERT_EQUAL(count_in("eu.sh", " Region=eu-west-1 Account=111122223333\","), 6);
    CU_ASSERT_EQUAL(count_in("us.sh", " Region=us-east-1\","), 6);
    CU_ASSERT_EQUAL(count_in("us.sh", "Account="), 0);
    CU_ASSERT_EQUAL(count_in("eu.sh", "> '" EU_FILE ".part'"), 1);
    CU_ASSERT_EQUAL(run("test -s " EU_FILE " && test -s " US_FILE "%s%s", "", ""), 0);
    /* bad values: usage errors naming the option */
    CU_ASSERT_EQUAL(run(EXPORT_CMD "--region Us-East-1%s", bin, ""), 2);
    expect_in("err", "--region: \"Us-East-1\" is not a region name");
    CU_ASSERT_EQUAL(run(EXPORT_CMD "--region us-east-1 --account 12345%s", bin, ""), 2);
    expect_in("err", "--account: \"12345\" is not an AWS account id (12 digits)");
    CU_ASSERT_EQUAL(run(EXPORT_CMD "--region us-east-1 --profile ''%s", bin, ""), 2);
    expect_in("err", "--profile must be a non-empty name");
}

/* A fake aws for export-cmd --source logs, first on PATH: every call must carry --region
 * eu-west-1 --profile 'p x' (else status 9, which stops the script); each is logged to
 * aws.log. start-query answers q<start>, the status is Complete, and the results of the query
 * starting at 2026-10-09T00:00Z (1791504000) are one row: NOVA at 12:00, 2 requests of 5000
 * input and 500 output tokens; the other query's results are empty. */
static const char logs_stub[] =
    "#!/bin/sh\n"
    "echo \"$*\" >>aws.log\n"
    "case \" $* \" in *\" --region eu-west-1 --profile p x \"*) ;;\n"
    "    *) echo 'aws stub: no --region/--profile' >&2; exit 9;; esac\n"
    "prev=; start=; id=\n"
    "for a; do\n"
    "    [ \"$prev\" != --start-time ] || start=$a\n"
    "    [ \"$prev\" != --query-id ] || id=$a\n"
    "    prev=$a\n"
    "done\n"
    "case \"$2 $*\" in\n"
    "start-query*) echo \"q$start\" ;;\n"
    "*--query\\ status*) echo Complete ;;\n"
    "*) if [ \"$id\" = q1791504000 ]; then\n"
    "       echo '{\"results\": [[{\"field\": \"minute\", \"value\": \"2026-10-09 12:00:00.000\"},"
    " {\"field\": \"modelId\", \"value\": \"" NOVA "\"},"
    " {\"field\": \"attr_key\", \"value\": \"team-a\"},"
    " {\"field\": \"requests\", \"value\": \"2\"},"
    " {\"field\": \"input_tokens\", \"value\": \"5000\"},"
    " {\"field\": \"output_tokens\", \"value\": \"500\"}]], \"status\": \"Complete\"}'\n"
    "   else echo '{\"results\": [], \"status\": \"Complete\"}'; fi ;;\n"
    "esac\n";

/* export-cmd --source logs --region --profile --account: the region and profile in every aws
 * command the script runs (the fake aws refuses any without), the region in the file names,
 * and the ingest command of its last line stores the rows under that region and account. */
static void test_export_cmd_logs(void)
{
    write_file("laws", logs_stub);
    CU_ASSERT_EQUAL_FATAL(run("{ mkdir -p lbin && mv laws lbin/aws && chmod +x lbin/aws && rm -f "
                              "aws.log l.db && '%s' export-cmd --source logs --log-group "
                              "/aws/bedrock/x --days 1 --end 2026-10-10 --now 2026-10-10 --region "
                              "eu-west-1 --profile 'p x' --account 111122223333 >logs.sh; }%s",
                              bin, ""),
                          0);
    /* 1440 minutes in 900-minute queries (10 rows a minute): 2, three aws calls each */
    CU_ASSERT_EQUAL(count_in("logs.sh", "aws logs "), 3);
    CU_ASSERT_EQUAL(count_in("logs.sh", " --region eu-west-1 --profile 'p x' \\\n"), 3);
    CU_ASSERT_EQUAL(count_in("logs.sh", " tierplan-logs-eu-west-1-20261010T0000Z-0000"), 2);
    expect_in("logs.sh", "\n# then: tierplan ingest --region eu-west-1 --account 111122223333 "
                         "tierplan-logs-eu-west-1-20261010T0000Z-*.json\n");
    CU_ASSERT_EQUAL_FATAL(run("PATH=\"$PWD/lbin:$PATH\" sh logs.sh%s%s", "", ""), 0);
    CU_ASSERT_EQUAL(count_in("aws.log", " --region eu-west-1 --profile p x "), 6);
    CU_ASSERT_EQUAL(count_in("aws.log", "logs start-query --region"), 2);
    CU_ASSERT_EQUAL(run("test -s tierplan-logs-eu-west-1-20261010T0000Z-00001.json && test -s "
                        "tierplan-logs-eu-west-1-20261010T0000Z-00002.json%s%s",
                        "", ""),
                    0);
    /* the script's own ingest line, with this tierplan and database */
    CU_ASSERT_EQUAL_FATAL(run("tail -n 1 logs.sh | sed \"s|^# then: tierplan ingest|'%s' ingest -q "
                              "--db l.db|\" >ingest.sh && sh ingest.sh%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL(run("'%s' stats --db l.db --source logs --format csv%s", bin, ""), 0);
    expect_in("out", "\"" NOVA "\",input,2026-10-09T12:00:00Z,2026-10-09T12:01:00Z,");
    expect_in("out", ",eu-west-1,111122223333\n");
    CU_ASSERT_EQUAL(count_in("out", ",,\n"), 0);
    /* bad values: usage errors naming the option */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --region EU%s", bin, ""), 2);
    expect_in("err", "--region: \"EU\" is not a region name");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --account 1%s", bin, ""), 2);
    expect_in("err", "--account: \"1\" is not an AWS account id (12 digits)");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --source logs --log-group g --profile ''%s", bin, ""), 2);
    expect_in("err", "--profile must be a non-empty name");
}

/* showback by place, on test_export_cmd_logs's l.db (NOVA's logs in eu-west-1, account
 * 111122223333: 5000 input and 500 output tokens of team-a at 12:00) and two more results
 * files of that minute: us-east-1 of account 222233334444 (7000 input) and us-west-2 of
 * 111122223333 (3000 input). --model needs a place; --all shows each place apart (as stats
 * and report list them), --merge-regions sums the regions of one account (5000 + 3000 =
 * 8000 input, 500 + 500 output), never two accounts; region and account in every format. */
static void test_showback_places(void)
{
    CU_ASSERT_EQUAL_FATAL(
        run("{ T='%s' && F=tierplan-logs-eu-west-1-20261010T0000Z-00001.json && "
            "sed 's/\"5000\"/\"7000\"/' $F >r2.json && sed 's/\"5000\"/\"3000\"/' $F "
            ">r3.json && \"$T\" ingest -q --db l.db --region us-east-1 --account 222233334444 "
            "r2.json && \"$T\" ingest -q --db l.db --region us-west-2 --account 111122223333 "
            "r3.json; }%s",
            bin, ""),
        0);
#define SHOWBACK "'%s' showback --db l.db --pricing '%s/pricing.json' "
    CU_ASSERT_EQUAL(run(SHOWBACK "--model " NOVA, bin, sample), 2);
    expect_in("err", "eu-west-1 (account 111122223333), us-west-2 (account 111122223333), "
                     "us-east-1 (account 222233334444); pass --region");
    CU_ASSERT_EQUAL(run(SHOWBACK "--all --format csv", bin, sample), 0);
    CU_ASSERT_EQUAL(count_in("out", "model,"), 1);
    expect_in("out", "\"" NOVA "\",\"team-a\",0,5000,500,");
    expect_in("out", ",eu-west-1,111122223333\n\"" NOVA "\",\"(idle)\"");
    expect_in("out", "\"" NOVA "\",\"team-a\",0,3000,500,");
    expect_in("out", ",us-west-2,111122223333\n");
    expect_in("out", "\"" NOVA "\",\"team-a\",0,7000,500,");
    expect_in("out", ",us-east-1,222233334444\n");
    CU_ASSERT_EQUAL(run(SHOWBACK "--all --merge-regions --format csv", bin, sample), 0);
    expect_in("out", "\"" NOVA "\",\"team-a\",0,8000,1000,");
    CU_ASSERT_EQUAL(count_in("out", ",*,111122223333\n"), 2); /* team-a and (idle) */
    CU_ASSERT_EQUAL(count_in("out", ",us-east-1,222233334444\n"), 2);
    CU_ASSERT_EQUAL(count_in("out", "eu-west-1"), 0);
    CU_ASSERT_EQUAL(run(SHOWBACK "--all --region us-east-1 --format json", bin, sample), 0);
    CU_ASSERT_EQUAL(count_in("out", "\"model\":"), 1);
    expect_in("out", "\"model\":\t\"" NOVA "\",\n\t\"region\":\t\"us-east-1\",\n\t"
                     "\"account\":\t\"222233334444\",");
    CU_ASSERT_EQUAL(run(SHOWBACK "--model " NOVA " --account 111122223333 --merge-regions",
                        bin, sample),
                    0);
    expect_in("out", "showback of " NOVA " (regions merged, account 111122223333)\n");
    CU_ASSERT_EQUAL(run(SHOWBACK "--model " NOVA " --region us-west-2 --reserve-input-tpm 0 "
                                 "--reserve-output-tpm 0",
                        bin, sample),
                    0);
    expect_in("out", "showback of " NOVA " (region us-west-2, account 111122223333)\n");
    CU_ASSERT_EQUAL(run(SHOWBACK "--all --region ap-south-1", bin, sample), 1);
#undef SHOWBACK
}

/* stats shows both places, each with its own figures (1000 and 3000: never 4000, never one
 * overlaying the other); --region keeps one. */
static void test_stats(void)
{
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db%s", bin, ""), 0);
    expect_in("out", "model " NOVA " (region us-east-1, account unknown)\n");
    expect_in("out", "model " NOVA " (region eu-west-1, account 111122223333)\n");
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --model " NOVA " --format csv%s", bin, ""), 0);
    expect_in("out", "\"" NOVA "\",input,2026-10-09T12:00:00Z,2026-10-09T12:02:00Z,2,2,1000,1000,"
                     "1000,1000,1000,1000,total,us-east-1,\n");
    expect_in("out", "\"" NOVA "\",input,2026-10-09T12:00:00Z,2026-10-09T12:02:00Z,2,2,3000,3000,"
                     "3000,3000,3000,3000,total,eu-west-1,111122223333\n");
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --region eu-west-1 --format json%s", bin, ""), 0);
    expect_in("out", "\"region\":\t\"eu-west-1\",\n\t\t\t\"account\":\t\"111122223333\"");
    CU_ASSERT_EQUAL(count_in("out", "\"model\":"), 1);
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --account unknown --format json%s", bin, ""), 0);
    expect_in("out", "\"region\":\t\"us-east-1\",\n\t\t\t\"account\":\tnull");
    CU_ASSERT_EQUAL(count_in("out", "\"model\":"), 1);
    /* a region nothing is stored in, a malformed one */
    /* no data to show: 1, as stats of a model without data */
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --region ap-south-1%s", bin, ""), 1);
    expect_in("err", "no model is stored in region ap-south-1");
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --region x%s", bin, ""), 2);
}

/* recommend needs a place (exit 2 naming both), sizes one with --region and says which. */
static void test_recommend(void)
{
    CU_ASSERT_EQUAL(run("'%s' recommend --db r.db --model " NOVA " --pricing '%s/pricing.json' "
                        "--force",
                        bin, sample),
                    2);
    expect_in("err", "us-east-1 (account unknown), eu-west-1 (account 111122223333); pass "
                     "--region");
    CU_ASSERT_EQUAL(run("'%s' recommend --db r.db --model " NOVA " --pricing '%s/pricing.json' "
                        "--force --region eu-west-1",
                        bin, sample),
                    0);
    expect_in("out", "model " NOVA " (region eu-west-1, account 111122223333)\n");
    CU_ASSERT_EQUAL(run("'%s' recommend --db r.db --model " NOVA " --pricing '%s/pricing.json' "
                        "--force --region us-east-1 --format csv",
                        bin, sample),
                    0);
    expect_in("out", ",region,account\n");
    expect_in("out", ",us-east-1,\n");
    CU_ASSERT_EQUAL(run("'%s' simulate --db r.db --model " NOVA " --pricing '%s/pricing.json' "
                        "--reserve-input-tpm 0 --reserve-output-tpm 0 --region us-east-1 "
                        "--format json",
                        bin, sample),
                    0);
    expect_in("out", "\"region\":\t\"us-east-1\",\n\t\"account\":\tnull");
}

/* export keeps the places in its columns and filters by them; series lists each place with
 * its own coverage. */
static void test_export_series(void)
{
    CU_ASSERT_EQUAL(run("'%s' export --db r.db --region eu-west-1%s", bin, ""), 0);
    CU_ASSERT_EQUAL(count_in("out", ",eu-west-1,111122223333,metrics,,\n"), 12);
    CU_ASSERT_EQUAL(count_in("out", "us-east-1"), 0);
    CU_ASSERT_EQUAL(run("'%s' export --db r.db%s", bin, ""), 0);
    CU_ASSERT_EQUAL(count_in("out", ",eu-west-1,111122223333,metrics,,\n"), 12);
    CU_ASSERT_EQUAL(count_in("out", ",us-east-1,,metrics,,\n"), 12);
    CU_ASSERT_EQUAL(run("'%s' series --db r.db%s", bin, ""), 0);
    expect_in("out", "model " NOVA " (region us-east-1, account unknown)\n");
    expect_in("out", "model " NOVA " (region eu-west-1, account 111122223333)\n");
    CU_ASSERT_EQUAL(run("'%s' series --db r.db --region us-east-1 --format csv%s", bin, ""), 0);
    CU_ASSERT_EQUAL(count_in("out", ",us-east-1,\n"), 6);
    CU_ASSERT_EQUAL(count_in("out", "eu-west-1"), 0);
}

/* Data without a region into the database holding the model in two regions: refused (exit
 * 3) naming them and --region; a label disagreeing with --region: refused naming the file
 * and both values; a malformed --region: exit 2. Nothing stored by any of them. */
static void test_refused(void)
{
    CU_ASSERT_EQUAL_FATAL(run("{ '%s' export --db r.db >before.csv && sed 's/ Region=eu-west-1 "
                              "Account=111122223333//g' " EU_FILE " >noregion.json; }%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db noregion.json%s", bin, ""), 3);
    expect_in("err", "noregion.json: model " NOVA " has no region, but the database holds it in "
                     "us-east-1, eu-west-1: pass --region");
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db --region us-east-1 " EU_FILE "%s", bin, ""), 3);
    expect_in("err", EU_FILE ": $.MetricDataResults[0].Label: Region=eu-west-1 disagrees with "
                     "--region us-east-1: nothing stored");
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db --region EU noregion.json%s", bin, ""), 2);
    expect_in("err", "--region: \"EU\" is not a region name");
    /* a malformed account: in a label, an option, a log record; Account= against --account;
     * a malformed region in a CSV column and a record's region against --region */
    CU_ASSERT_EQUAL_FATAL(run("{ sed 's/Account=111122223333/Account=1111/' " EU_FILE
                              " >badacct.json && sed 's/Region=eu-west-1/Region=EU/' " EU_FILE
                              " >badreg.json; }%s%s",
                              "", ""),
                          0);
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db badacct.json%s", bin, ""), 3);
    expect_in("err", "badacct.json: $.MetricDataResults[0].Label: account \"1111\" is not an AWS "
                     "account id (12 digits): nothing stored");
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db badreg.json%s", bin, ""), 3);
    expect_in("err", "badreg.json: $.MetricDataResults[0].Label: region \"EU\" is not a region "
                     "name");
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db --account 222233334444 " EU_FILE "%s", bin, ""), 3);
    expect_in("err", EU_FILE ": $.MetricDataResults[0].Label: Account=111122223333 disagrees "
                     "with --account 222233334444: nothing stored");
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db --account 12345 " EU_FILE "%s", bin, ""), 2);
    expect_in("err", "--account: \"12345\" is not an AWS account id (12 digits)");
    write_file("badreg.csv", "timestamp,model,metric,value,region\n"
                             "2026-10-09T12:00:00Z," NOVA ",InputTokenCount,1,eu-west-1\n"
                             "2026-10-09T12:01:00Z," NOVA ",InputTokenCount,1,Ireland\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db --period 60 badreg.csv%s", bin, ""), 3);
    expect_in("err", "badreg.csv: line 3: region \"Ireland\" is not a region name");
    write_file("rec.jsonl",
               "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-10-09T12:00:00Z\","
               "\"accountId\":\"111122223333\",\"region\":\"us-east-1\",\"requestId\":\"r1\","
               "\"modelId\":\"" NOVA "\",\"input\":{\"inputTokenCount\":5},"
               "\"output\":{\"outputTokenCount\":1}}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db --region eu-west-1 rec.jsonl%s", bin, ""), 3);
    expect_in("err", "rec.jsonl: line 1: the record's region us-east-1 disagrees with --region "
                     "eu-west-1: nothing stored");
    CU_ASSERT_EQUAL(run("'%s' ingest --db r.db --account 222233334444 rec.jsonl%s", bin, ""), 3);
    expect_in("err", "rec.jsonl: line 1: ");
    expect_in("err", "222233334444");
    CU_ASSERT_EQUAL(run("'%s' export --db r.db | cmp - before.csv%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db r.db --source logs%s", bin, ""), 1);
}

/* Three whole days (2026-10-05 to 07) of NOVA in two regions, three datapoints an hour
 * (minutes 0, 30 and 59: a day reaches within 60 minutes of both its ends, so it is whole):
 * us-east-1 1000 input + 100 output tokens each, eu-west-1 3000 + 300. */
static const char days_awk[] =
    "BEGIN { print \"timestamp,model,metric,value,region,account\"\n"
    "    split(\"us-east-1 eu-west-1\", R, \" \")\n"
    "    for (r = 1; r <= 2; r++) for (d = 5; d <= 7; d++) for (h = 0; h < 24; h++)\n"
    "        for (k = 0; k < 3; k++) {\n"
    "            m = k == 0 ? 0 : k == 1 ? 30 : 59\n"
    "            ts = sprintf(\"2026-10-%02dT%02d:%02d:00Z\", d, h, m)\n"
    "            printf \"%s," NOVA ",InputTokenCount,%d,%s,\\n\", ts, 2000 * r - 1000, R[r]\n"
    "            printf \"%s," NOVA ",OutputTokenCount,%d,%s,\\n\", ts, 200 * r - 100, R[r]\n"
    "        }\n"
    "}\n";

/* project sizes each place apart (one entry per region, its own tokens), --region keeps one,
 * --merge-regions sums them; a held reservation for a model in two places is refused. A month
 * of 30 days (November, after the month of the data) at 0% growth, no uncertainty: 72 datapoints a day x (1000 + 100) x 30 = 2,376,000 tokens in
 * us-east-1, x (3000 + 300) = 7,128,000 in eu-west-1, 9,504,000 merged (never one region's
 * days drawn for the other's). */
static void test_project_places(void)
{
    write_file("days.awk", days_awk);
    CU_ASSERT_EQUAL_FATAL(run("{ awk -f days.awk >days.csv && '%s' ingest -q --db d.db "
                              "days.csv; }%s",
                              bin, ""),
                          0);
#define PROJECT "'%s' project --db d.db --pricing '%s/pricing.json' --months 1 --samples 20 " \
                "--growth-pct-per-month 0 --growth-sd-pct 0 --start 2026-11 "
    CU_ASSERT_EQUAL(run(PROJECT "--format json", bin, sample), 0);
    CU_ASSERT_EQUAL(count_in("out", "\"model\":\t\"" NOVA "\",\n\t\t\t\"region\":\t\"eu-west-1\",\n"
                                    "\t\t\t\"account\":\tnull"),
                    1);
    CU_ASSERT_EQUAL(count_in("out", "\"model\":\t\"" NOVA "\",\n\t\t\t\"region\":\t\"us-east-1\",\n"
                                    "\t\t\t\"account\":\tnull"),
                    1);
    CU_ASSERT_EQUAL(run(PROJECT "--format csv", bin, sample), 0);
    expect_in("out", ",growth_se_pct_per_month,region,account\n");
    expect_in("out", ",on_demand,p50,");
    expect_in("out", ",2376000,0,2376000,0,0,0,false,\"\",given,given,0,0,us-east-1,\n");
    expect_in("out", ",7128000,0,7128000,0,0,0,false,\"\",given,given,0,0,eu-west-1,\n");
    CU_ASSERT_EQUAL(run(PROJECT "--region eu-west-1 --format csv", bin, sample), 0);
    CU_ASSERT_EQUAL(count_in("out", "us-east-1"), 0);
    CU_ASSERT_EQUAL(run(PROJECT "--merge-regions --format csv", bin, sample), 0);
    expect_in("out", ",9504000,0,9504000,0,0,0,false,\"\",given,given,0,0,*,\n");
    CU_ASSERT_EQUAL(count_in("out", "us-east-1"), 0);
    /* NOVA is a plain model id, bought per region: summing its regions is warned about, by
     * every command that sums them (docs/model.md, "Merged regions"), once per entry */
    expect_in("err", "model " NOVA " (account unknown): --merge-regions sums its");
    CU_ASSERT_EQUAL(count_in("err", "--merge-regions sums its"), 1);
    CU_ASSERT_EQUAL(run("'%s' stats --db d.db --merge-regions --pricing '%s/pricing.json'", bin,
                        sample),
                    0);
    CU_ASSERT_EQUAL(count_in("err", "(account unknown): --merge-regions sums its"), 1);
    CU_ASSERT_EQUAL(run("'%s' report --db d.db --merge-regions --pricing '%s/pricing.json'", bin,
                        sample),
                    0);
    CU_ASSERT_EQUAL(count_in("err", "(account unknown): --merge-regions sums its"), 1);
    CU_ASSERT_EQUAL(run("'%s' recommend --db d.db --model " NOVA " --merge-regions --pricing "
                        "'%s/pricing.json'",
                        bin, sample),
                    0);
    CU_ASSERT_EQUAL(count_in("err", "(account unknown): --merge-regions sums its"), 1);
    CU_ASSERT_EQUAL(run("'%s' stats --db d.db --region us-east-1 --merge-regions --pricing "
                        "'%s/pricing.json'",
                        bin, sample),
                    0);
    CU_ASSERT_EQUAL(count_in("err", "--merge-regions sums"), 0); /* one region: nothing summed */
    CU_ASSERT_EQUAL(run(PROJECT, bin, sample), 0);
    CU_ASSERT_EQUAL(count_in("err", "--merge-regions sums"), 0);
    expect_in("out", ", 1 model in 2 places\n");
    expect_in("out", "== model " NOVA " (region us-east-1, account unknown) ==\n");
    expect_in("out", "== model " NOVA " (region eu-west-1, account unknown) ==\n");
    /* one held reservation, two places: which one holds it? */
    CU_ASSERT_EQUAL(run(PROJECT "--model " NOVA " --reserve-input-tpm 1000", bin, sample), 2);
    expect_in("err", "stored in several places (region eu-west-1, account unknown; region "
                     "us-east-1, account unknown)");
    CU_ASSERT_EQUAL(run(PROJECT "--model " NOVA " --reserve-input-tpm 1000 --region us-east-1",
                        bin, sample),
                    0);
    CU_ASSERT_EQUAL(run(PROJECT "--region ap-south-1", bin, sample), 1);
    expect_in("err", "region ap-south-1");
#undef PROJECT
}

/* report's coverage of a place is the share of its window inside that place's own exports,
 * never another region's. days.csv's us-east-1 rows are ingested as one export spanning
 * 2026-10-05 .. 10-08 (the whole window: 100%); eu-west-1's as two, 10-05T00:00 .. 12:00 (720
 * minutes) and 10-06 .. 10-08 (2880 minutes), so 12 hours are uncovered: (720 + 2880) / 4320
 * = 83.33%. Read through the model's exports of any region, eu-west-1 would show 100%. */
static void test_report_coverage(void)
{
    write_file("days.awk", days_awk);
    CU_ASSERT_EQUAL_FATAL(
        run("{ T='%s' && awk -f days.awk >days.csv && rm -f c.db && "
            "awk -F, 'NR == 1 || $5 == \"us-east-1\"' days.csv >cus.csv && "
            "awk -F, 'NR == 1 || ($5 == \"eu-west-1\" && $1 >= \"2026-10-06\")' days.csv "
            ">ceu67.csv && "
            "awk -F, 'NR == 1 || ($5 == \"eu-west-1\" && $1 < \"2026-10-05T12\")' days.csv "
            ">ceu5.csv && "
            "\"$T\" ingest -q --db c.db --span-from 2026-10-05T00:00Z --span-to 2026-10-08T00:00Z "
            "cus.csv && \"$T\" ingest -q --db c.db --span-from 2026-10-06T00:00Z --span-to "
            "2026-10-08T00:00Z ceu67.csv && \"$T\" ingest -q --db c.db --span-from "
            "2026-10-05T00:00Z --span-to 2026-10-05T12:00Z ceu5.csv; } 2>/dev/null%s",
            bin, ""),
        0);
#define REPORT "'%s' report --db c.db --force --pricing '%s/pricing.json' --from " \
               "2026-10-05T00:00Z --to 2026-10-08T00:00Z "
    CU_ASSERT_EQUAL(run(REPORT "--format json", bin, sample), 0);
    expect_in("out", "\"region\":\t\"eu-west-1\",\n\t\t\t\"account\":\tnull,\n\t\t\t"
                     "\"status\":\t\"ok\",\n\t\t\t\"coverage_pct\":\t83.3333333333333");
    expect_in("out", "\"region\":\t\"us-east-1\",\n\t\t\t\"account\":\tnull,\n\t\t\t"
                     "\"status\":\t\"ok\",\n\t\t\t\"coverage_pct\":\t100,\n");
    /* --region: the place's own figure still */
    CU_ASSERT_EQUAL(run(REPORT "--region eu-west-1 --format json", bin, sample), 0);
    expect_in("out", "\"coverage_pct\":\t83.3333333333333");
    CU_ASSERT_EQUAL(count_in("out", "\"coverage_pct\":\t100"), 0);
#undef REPORT
    /* the coverage gate, per place: eu-west-1 fails at 90%, us-east-1 passes */
    CU_ASSERT_EQUAL(run("'%s' check --db c.db --force --pricing '%s/pricing.json' --from "
                        "2026-10-05T00:00Z --to 2026-10-08T00:00Z --fail-coverage-below 90",
                        bin, sample),
                    1);
    expect_in("out", "check: FAILED: 1 of 2 checks failed, 1 passed, 0 n/a\n");
    expect_in("out", "FAIL " NOVA " (region eu-west-1, account unknown): coverage 83.3% < 90.0%\n");
}

/* diff matches entries by model and place: NOVA recorded without a region yesterday (the
 * us-east-1 rows of days.csv, their place columns cut) and in two regions today is one
 * removal (the unknown place) and two additions, each row naming its place in text and JSON,
 * so that the two places of one model never read alike. */
static void test_diff_moved(void)
{
    write_file("days.awk", days_awk);
    CU_ASSERT_EQUAL_FATAL(
        run("{ awk -f days.awk >days.csv && rm -f u.db d2.db && awk -F, 'NR == 1 { print "
            "\"timestamp,model,metric,value\"; next } $5 == \"us-east-1\" { print $1 \",\" $2 "
            "\",\" $3 \",\" $4 }' days.csv >unknown.csv && '%s' ingest -q --db u.db unknown.csv "
            "&& '%s' ingest -q --db d2.db days.csv; }",
            bin, bin),
        0);
#define REPORT "'%s' report --force --format json --pricing '%s/pricing.json' "
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--db u.db -o old.json", bin, sample), 0);
    CU_ASSERT_EQUAL_FATAL(run(REPORT "--db d2.db -o new.json", bin, sample), 0);
#undef REPORT
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json%s", bin, ""), 0);
    expect_in("out", "models: 0 changed, 2 added, 1 removed, 0 unchanged\n");
    expect_in("out", "\n== " NOVA " (removed; cost per month");
    expect_in("out", "\n== " NOVA " (region us-east-1, account unknown) (added; cost per month");
    expect_in("out", "\n== " NOVA " (region eu-west-1, account unknown) (added; cost per month");
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json --format json%s", bin, ""), 0);
    expect_in("out", "\"model\":\t\"" NOVA "\",\n\t\t\t\"region\":\tnull,\n\t\t\t"
                     "\"account\":\tnull,\n\t\t\t\"status\":\t\"removed\"");
    expect_in("out", "\"model\":\t\"" NOVA "\",\n\t\t\t\"region\":\t\"us-east-1\",\n\t\t\t"
                     "\"account\":\tnull,\n\t\t\t\"status\":\t\"added\"");
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json --format markdown%s", bin, ""), 0);
    expect_in("out", "`" NOVA "` (region eu-west-1, account unknown) (new) | ");
}

/* diff --region and --account keep the entries of one place in both files (the files of
 * test_diff_moved: old.json NOVA unknown; new.json NOVA in us-east-1 and in eu-west-1, both
 * of account unknown), so the other places are neither added nor removed. */
static void test_diff_filters(void)
{
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json --region eu-west-1%s", bin, ""), 0);
    expect_in("out", "models: 0 changed, 1 added, 0 removed, 0 unchanged\n");
    expect_in("out", "\n== " NOVA " (region eu-west-1, account unknown) (added; cost per month");
    CU_ASSERT_EQUAL(count_in("out", "us-east-1"), 0);
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json --region unknown --format json%s", bin, ""),
                    0);
    CU_ASSERT_EQUAL(count_in("out", "\"status\":"), 1);
    expect_in("out", "\"region\":\tnull,\n\t\t\t\"account\":\tnull,\n\t\t\t\"status\":\t"
                     "\"removed\"");
    /* every entry is of account unknown: all three */
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json --account unknown%s", bin, ""), 0);
    expect_in("out", "models: 0 changed, 2 added, 1 removed, 0 unchanged\n");
    /* the same place in both: one entry compared with itself */
    CU_ASSERT_EQUAL(run("'%s' diff new.json new.json --region us-east-1 --format json%s", bin, ""),
                    0);
    CU_ASSERT_EQUAL(count_in("out", "\"status\":"), 1);
    CU_ASSERT_EQUAL(count_in("out", "\"status\":\t\"unchanged\""), 1);
    CU_ASSERT_EQUAL(count_in("out", "eu-west-1"), 0);
    /* a place neither file holds: no data (1), naming both files and the place */
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json --account 111122223333%s", bin, ""), 1);
    expect_in("err", "old.json and new.json have no entry in region any, account 111122223333");
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json --region EU%s", bin, ""), 2);
    expect_in("err", "--region: \"EU\" is not a region name");
    CU_ASSERT_EQUAL(run("'%s' diff old.json new.json --account 12345%s", bin, ""), 2);
    expect_in("err", "--account: \"12345\" is not an AWS account id (12 digits)");
}

/* Every command that reads what was stored takes --region and --account, keeps the place
 * they name and says so in its output: r.db holds NOVA in eu-west-1 (account 111122223333)
 * and us-east-1 (account unknown); each command asked for eu-west-1 and 111122223333 must
 * name that account and never us-east-1. showback reads l.db's logs (test_showback_places),
 * diff a report of r.db. */
static void test_every_command(void)
{
#define PLACE " --region eu-west-1 --account 111122223333"
    static const char *const cmds[] = {
        "stats --db r.db --format json" PLACE,
        "simulate --db r.db --model " NOVA " --pricing \"$S/pricing.json\" --reserve-input-tpm 0 "
        "--reserve-output-tpm 0 --format json" PLACE,
        "recommend --db r.db --model " NOVA " --pricing \"$S/pricing.json\" --force --format "
        "json" PLACE,
        "report --db r.db --pricing \"$S/pricing.json\" --force --format json" PLACE,
        "project --db r.db --pricing \"$S/pricing.json\" --months 1 --samples 5 "
        "--growth-pct-per-month 0 --format json" PLACE,
        "check --db r.db --pricing \"$S/pricing.json\" --force --fail-stale-hours-above 1e9 "
        "--format json" PLACE,
        "diff rep.json rep.json --format json" PLACE,
        "series --db r.db --format json" PLACE,
        "showback --db l.db --pricing \"$S/pricing.json\" --all --format json" PLACE,
        "export --db r.db" PLACE,
    };
    CU_ASSERT_EQUAL_FATAL(run("'%s' report --db r.db --pricing '%s/pricing.json' --force --format "
                              "json -o rep.json",
                              bin, sample),
                          0);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char line[1024];
        snprintf(line, sizeof line, "S='%%s' && '%%s' %s", cmds[i]);
        const int rc = run(line, sample, bin);
        if (rc != 0 || count_in("out", "111122223333") == 0 || count_in("out", "us-east-1") > 0)
            fprintf(stderr, "\n  %s: exit %d, or its output lacks the account or names "
                            "us-east-1", cmds[i], rc);
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT(count_in("out", "111122223333") > 0);
        CU_ASSERT_EQUAL(count_in("out", "us-east-1"), 0);
    }
    /* a filter that matches nothing: an error naming it, exit 1 (no data); check's 1 is a
     * failed threshold only, so check exits 2, naming the filter too */
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strncmp(cmds[i], "diff", 4) == 0)
            continue; /* compares two files: nothing stored to match */
        char line[1024];
        snprintf(line, sizeof line, "S='%%s' && '%%s' %s --region ap-south-1", cmds[i]);
        const int rc = run(line, sample, bin);
        const int want = strncmp(cmds[i], "check", 5) == 0 ? 2 : 1;
        if (rc != want || count_in("err", "ap-south-1") == 0)
            fprintf(stderr, "\n  %s --region ap-south-1: exit %d (not %d), or no word of it",
                    cmds[i], rc, want);
        CU_ASSERT_EQUAL(rc, want);
        CU_ASSERT(count_in("err", "ap-south-1") > 0);
    }
    CU_ASSERT_EQUAL(run("'%s' check --db nope.db --pricing '%s/pricing.json' "
                        "--fail-stale-hours-above 1",
                        bin, sample),
                    2);
#undef PLACE
}

/* report and simulate name each place in every format: r.db's NOVA in us-east-1 (account
 * unknown) and eu-west-1 (account 111122223333), report grouped by account and region. */
static void test_report_formats(void)
{
#define REPORT "'%s' report --db r.db --pricing '%s/pricing.json' --force "
    CU_ASSERT_EQUAL(run(REPORT, bin, sample), 0);
    /* one model in two places is counted as such, not as "2 models" */
    expect_in("out", "tierplan fleet report: 1 model in 2 places (2 sized, 0 without data)\n");
    expect_in("out", "== model " NOVA " (region us-east-1, account unknown)\n");
    expect_in("out", "== model " NOVA " (region eu-west-1, account 111122223333)\n");
    expect_in("out", "\naccount unknown, region us-east-1:\n");
    expect_in("out", "\naccount 111122223333, region eu-west-1:\n");
    CU_ASSERT_EQUAL(run(REPORT "--format csv", bin, sample), 0);
    /* region and account, then output_units (appended last: a two-pool model's, empty) */
    expect_in("out", ",routed_tiers,provider,units,unit_term,per_unit_hour_usd,served_pct,region,"
                     "account,output_units\n");
    CU_ASSERT_EQUAL(count_in("out", "\n\"" NOVA "\",ok,"), 4); /* two candidates a place */
    CU_ASSERT_EQUAL(count_in("out", ",eu-west-1,111122223333,\n"), 3);
    CU_ASSERT_EQUAL(count_in("out", ",us-east-1,,\n"), 3);
    CU_ASSERT_EQUAL(count_in("out", "\n,group_total,"), 2);
    CU_ASSERT_EQUAL(count_in("out", "\n,fleet_total,"), 1);
    CU_ASSERT_EQUAL(run(REPORT "--format markdown", bin, sample), 0);
    expect_in("out", "# tierplan fleet report: 1 model in 2 places (2 sized, 0 without data)\n");
    /* the fleet's intro wrapped within 100 columns (its table rows cannot be) */
    expect_in("out", "\n\nEach model's recommended reservation, per month of 730 hours\n(models "
                     "have different windows, so the fleet adds rates), by account and\nregion."
                     "\n");
    expect_in("out", "## " NOVA " (region eu-west-1, account 111122223333)\n");
    expect_in("out", "| **account 111122223333, region eu-west-1** |");
    CU_ASSERT_EQUAL(run(REPORT "--format html", bin, sample), 0);
    expect_in("out", NOVA " (region eu-west-1, account 111122223333)</h2>");
    /* the fleet chart's bars: one per place, each labelled with its place */
    expect_in("out", "<title>" NOVA " (region eu-west-1, account 111122223333)</title>");
    expect_in("out", "<title>" NOVA " (region us-east-1, account unknown)</title>");
    CU_ASSERT_EQUAL(run(REPORT "--format json", bin, sample), 0);
    CU_ASSERT_EQUAL(count_in("out", "\"region\":\t\"eu-west-1\",\n\t\t\t\"account\":\t"
                                    "\"111122223333\""),
                    2); /* the model entry and its group */
#undef REPORT
#define SIMULATE "'%s' simulate --db r.db --model " NOVA " --pricing '%s/pricing.json' " \
                 "--reserve-input-tpm 0 --reserve-output-tpm 0 --region eu-west-1 "
    CU_ASSERT_EQUAL(run(SIMULATE, bin, sample), 0);
    expect_in("out", "model " NOVA " (region eu-west-1, account 111122223333)\n");
    CU_ASSERT_EQUAL(run(SIMULATE "--format csv", bin, sample), 0);
    expect_in("out", ",region,account\n");
    expect_in("out", ",eu-west-1,111122223333\n");
#undef SIMULATE
}

/* A job that starts passing its region on a database holding its earlier data without one:
 * the first ingest in the region warns (naming relabel), the same file again does not, not
 * even under --strict; relabel moves the unknown minutes and log sums there (two minutes at
 * 12:00 and 12:01 join the region's 12:02: one place of three minutes), refuses a minute
 * both hold, naming it, with nothing moved, and finds nothing left to move the second time. */
static void test_relabel(void)
{
    write_file("u.csv", "timestamp,model,metric,value\n"
                        "2026-10-09T12:00:00Z," NOVA ",InputTokenCount,10\n"
                        "2026-10-09T12:01:00Z," NOVA ",InputTokenCount,20\n");
    write_file("p.csv", "timestamp,model,metric,value,region,account\n"
                        "2026-10-09T12:02:00Z," NOVA ",InputTokenCount,30,us-east-1,"
                        "111122223333\n");
    write_file("o.csv", "timestamp,model,metric,value,region,account\n"
                        "2026-10-09T12:01:00Z," NOVA ",InputTokenCount,5,us-east-1,"
                        "111122223333\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db x.db --period 60 --as-of 2026-10-10T00:00:00Z u.csv%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db x.db --period 60 --as-of 2026-10-10T00:00:00Z p.csv%s", bin, ""), 0);
    expect_in("err", "is also stored without a region");
    expect_in("err", "to move them there: tierplan\n  relabel --model " NOVA " --region "
                     "us-east-1 --account 111122223333");
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db x.db --strict --period 60 --as-of 2026-10-10T00:00:00Z p.csv%s", bin, ""), 0);
    CU_ASSERT_EQUAL(count_in("err", "warning"), 0);
    /* an overlap: 12:01 is in both places */
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db y.db --period 60 --as-of 2026-10-10T00:00:00Z u.csv o.csv%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL_FATAL(run("{ '%s' export --db y.db >y-before.csv; }%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' relabel --db y.db --model " NOVA " --region us-east-1 "
                        "--account 111122223333%s",
                        bin, ""),
                    3);
    expect_in("err", "InputTokenCount of model " NOVA " at 2026-10-09T12:01:00Z is stored both "
                     "without a region and in region us-east-1, account 111122223333: nothing "
                     "moved");
    CU_ASSERT_EQUAL(run("'%s' export --db y.db | cmp - y-before.csv%s", bin, ""), 0);
    /* no overlap: moved */
    CU_ASSERT_EQUAL(run("'%s' relabel --db x.db --model " NOVA " --region us-east-1 "
                        "--account 111122223333%s",
                        bin, ""),
                    0);
    expect_in("out", NOVA ": moved to region us-east-1, account 111122223333: 1 metric series "
                     "(2 minutes), 0 log sum rows");
    CU_ASSERT_EQUAL(run("'%s' export --db x.db%s", bin, ""), 0);
    expect_in("out", "2026-10-09T12:00:00Z," NOVA ",InputTokenCount,10,,,60,us-east-1,"
                     "111122223333,metrics,,\n2026-10-09T12:01:00Z," NOVA
                     ",InputTokenCount,20,,,60,us-east-1,111122223333,metrics,,\n"
                     "2026-10-09T12:02:00Z," NOVA
                     ",InputTokenCount,30,,,60,us-east-1,111122223333,metrics,,\n");
    CU_ASSERT_EQUAL(count_in("out", "\n"), 4);
    CU_ASSERT_EQUAL(run("'%s' relabel --db x.db --model " NOVA " --region us-east-1%s", bin,
                        ""),
                    1);
    expect_in("err", "has no data stored without a region and account");
    CU_ASSERT_EQUAL(run("'%s' relabel --db x.db --model " NOVA "%s", bin, ""), 2);
    CU_ASSERT_EQUAL(run("'%s' relabel --db nope.db --model " NOVA " --region us-east-1%s", bin,
                        ""),
                    1);
    /* log sums: a record without region or account, moved with its key */
    write_file("nr.jsonl",
               "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-10-09T12:00:00Z\","
               "\"requestId\":\"r1\",\"modelId\":\"" NOVA "\",\"input\":{\"inputTokenCount\":5},"
               "\"output\":{\"outputTokenCount\":1}}\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db z.db nr.jsonl%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' relabel --db z.db --model " NOVA " --region eu-west-1%s", bin,
                        ""),
                    0);
    expect_in("out", "0 metric series (0 minutes), 1 log sum rows");
    CU_ASSERT_EQUAL(run("'%s' stats --db z.db --source logs --region eu-west-1%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db z.db --source logs --region unknown%s", bin, ""), 1);
    /* an account where the region holds the model without one: kept apart, warned about
     * once, as the region case */
    write_file("a1.csv", "timestamp,model,metric,value,region\n"
                         "2026-10-09T12:00:00Z," NOVA ",InputTokenCount,10,us-east-1\n");
    write_file("a2.csv", "timestamp,model,metric,value,region,account\n"
                         "2026-10-09T12:01:00Z," NOVA ",InputTokenCount,10,us-east-1,"
                         "111122223333\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db w.db --period 60 --as-of "
                              "2026-10-10T00:00:00Z a1.csv%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db w.db --period 60 --as-of 2026-10-10T00:00:00Z "
                        "a2.csv%s",
                        bin, ""),
                    0);
    expect_in("err", "a2.csv: model " NOVA " is also stored in us-east-1 without an");
    CU_ASSERT_EQUAL(run("'%s' ingest -q --db w.db --strict --period 60 --as-of "
                        "2026-10-10T00:00:00Z a2.csv%s",
                        bin, ""),
                    0);
}

/* One short place (a logs-only eu-west-1 place of one minute) beside a whole day in us-east-1:
 * the report lists it with status no_data and why, naming its place, and sizes the rest
 * (exit 0); check gates the rest; recommend on that place names it. Every listing agrees:
 * stats, stats --model and the report each show a logs-only unknown place beside a metric
 * one. */
static void test_short_place(void)
{
    write_file("day.awk", "BEGIN { print \"timestamp,model,metric,value,region\"\n"
                          "    for (m = 0; m < 1440; m++)\n"
                          "        printf \"2026-10-09T%02d:%02d:00Z," NOVA
                          ",InputTokenCount,1000,us-east-1\\n\", int(m / 60), m % 60 }\n");
    write_file("eu.jsonl",
               "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-10-09T12:00:00Z\","
               "\"requestId\":\"r1\",\"region\":\"eu-west-1\",\"modelId\":\"" NOVA "\","
               "\"input\":{\"inputTokenCount\":5},\"output\":{\"outputTokenCount\":1}}\n");
    write_file("nr.jsonl",
               "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-10-09T12:00:00Z\","
               "\"requestId\":\"r1\",\"modelId\":\"" NOVA "\","
               "\"input\":{\"inputTokenCount\":5},\"output\":{\"outputTokenCount\":1}}\n");
    CU_ASSERT_EQUAL_FATAL(run("{ awk -f day.awk >day.csv && '%s' ingest -q --db s.db --period 60 "
                              "--as-of 2026-10-10T00:00:00Z day.csv eu.jsonl; }%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL(run("'%s' report --db s.db --format json --pricing '%s/pricing.json'", bin, sample), 0);
    expect_in("out", "\"status\":\t\"no_data\"");
    expect_in("out", "only 1 minute of data for \\\"" NOVA "\\\" (region eu-west-1, account "
                     "unknown): too little to size a reservation from (at least 1440); ingest "
                     "more history or pass --force");
    CU_ASSERT_EQUAL(count_in("out", "\"status\":\t\"ok\""), 1);
    /* export-cmd --since-store: one region's end never stands for another's */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --db s.db --since-store --model " NOVA "%s", bin, ""),
                    2);
    expect_in("err", "--since-store: model " NOVA " is stored in several regions (eu-west-1, "
                     "us-east-1): pass --region");
    CU_ASSERT_EQUAL(run("'%s' export-cmd --db s.db --since-store --model " NOVA " --region "
                        "us-east-1 --now 2026-10-10T06:00:00Z%s",
                        bin, ""),
                    0);
    CU_ASSERT_EQUAL(run("'%s' check --db s.db --fail-spill-minutes-pct-above 99 --pricing '%s/pricing.json'",
                        bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' recommend --db s.db --model " NOVA " --region eu-west-1 --pricing "
                        "'%s/pricing.json'",
                        bin, sample),
                    3);
    expect_in("err", "(region eu-west-1, account unknown): too little");
    /* NOVA has no Reserved offer: the recommendation is on demand, which routes nothing, in
     * JSON and CSV as in the text ("none (no reservation)") */
    CU_ASSERT_EQUAL(run("'%s' recommend --db s.db --model " NOVA " --region us-east-1 --pricing "
                        "'%s/pricing.json'",
                        bin, sample),
                    0);
    expect_in("out", "routed tiers: none (no reservation)");
    CU_ASSERT_EQUAL(run("'%s' recommend --db s.db --model " NOVA " --region us-east-1 --pricing "
                        "'%s/pricing.json' --format json",
                        bin, sample),
                    0);
    expect_in("out", "\"routed_tiers\":\t[],");
    CU_ASSERT_EQUAL(count_in("out", "\"routed_tiers\":\t[\""), 0);
    CU_ASSERT_EQUAL(run("'%s' recommend --db s.db --model " NOVA " --region us-east-1 --pricing "
                        "'%s/pricing.json' --format csv",
                        bin, sample),
                    0);
    expect_in("out", "\n\"" NOVA "\",on_demand,true,0,0,");
    expect_in("out", "on_demand,true,0,0,0,0,1.152");
    CU_ASSERT_EQUAL(count_in("out", ",false,\"reserved\","), 0); /* routed_tiers: reserves none */
    CU_ASSERT(count_in("out", ",false,\"\",") > 0);
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db s2.db --period 60 --as-of "
                              "2026-10-10T00:00:00Z day.csv nr.jsonl%s",
                              bin, ""),
                          0);
    CU_ASSERT_EQUAL(run("'%s' stats --db s2.db --pricing '%s/pricing.json'", bin, sample), 0);
    expect_in("out", "model " NOVA " (region unknown, account unknown)");
    expect_in("out", "model " NOVA " (region us-east-1, account unknown)");
    CU_ASSERT_EQUAL(run("'%s' stats --db s2.db --model " NOVA " --pricing '%s/pricing.json'", bin, sample), 0);
    expect_in("out", "model " NOVA " (region unknown, account unknown)");
    expect_in("out", "model " NOVA " (region us-east-1, account unknown)");
    CU_ASSERT_EQUAL(run("'%s' report --db s2.db --force --pricing '%s/pricing.json'", bin, sample), 0);
    CU_ASSERT_EQUAL(count_in("out", "== model " NOVA), 2);
}

/* Messages name what was found. check's text for a size change from 0 shows the baseline and
 * the new size (a failure without a percentage has only them to say what failed): the sample's
 * sonnet with no spill allowed recommends 1,263,000 input TPM; a baseline saying 0 fails. A
 * log record's region against its S3 path names the path, not --region; a CSV column is named
 * as a column; logs without a region are told what a log's region comes from. */
static void test_messages(void)
{
#define SONNET "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
#define WIN " --model " SONNET " --last 2d --now 2026-10-10T00:00:00Z --max-spill-minutes-pct 0 "
    CU_ASSERT_EQUAL_FATAL(run("{ '%s' ingest -q --db m.db '%s'/sample-*.json; }", bin, sample),
                          0);
    CU_ASSERT_EQUAL_FATAL(run("{ '%s' report --db m.db --pricing '%s/pricing.json'" WIN
                              "--format json -o t.json && sed 's/\"input_tpm\":\t1263000,/"
                              "\"input_tpm\":\t0,/g' t.json >b.json; }",
                              bin, sample),
                          0);
    CU_ASSERT_EQUAL(run("'%s' check --db m.db --pricing '%s/pricing.json'" WIN
                        "--fail-change-pct-above 25 --baseline b.json",
                        bin, sample),
                    1);
    expect_in("out", "change of recommended input TPM: baseline 0 TPM,\n     now 1,263,000 TPM "
                     "(any change from 0 fails) (limit 25.0%)");
#undef WIN
#undef SONNET
    /* a record of eu-west-1 under an S3 path of us-east-1, no --region */
    CU_ASSERT_EQUAL_FATAL(run("mkdir -p s3/AWSLogs/111122223333/BedrockModelInvocationLogs/"
                              "us-east-1/2026/10/09/12%s%s",
                              "", ""),
                          0);
    write_file("s3/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/09/12/r.json",
               "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-10-09T12:00:00Z\","
               "\"accountId\":\"111122223333\",\"region\":\"eu-west-1\",\"requestId\":\"r1\","
               "\"modelId\":\"" NOVA "\",\"input\":{\"inputTokenCount\":5},"
               "\"output\":{\"outputTokenCount\":1}}\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db p.db s3%s", bin, ""), 3);
    expect_in("err", "the record's region eu-west-1 disagrees with the region us-east-1 its S3 "
                     "path names");
    CU_ASSERT_EQUAL(count_in("err", "--region"), 0);
    write_file("col.csv", "timestamp,model,metric,value,region\n"
                          "2026-10-09T12:00:00Z," NOVA ",InputTokenCount,1,eu-west-1\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db p.db --period 60 --region us-east-1 col.csv%s", bin,
                        ""),
                    3);
    expect_in("err", "col.csv: line 2: region eu-west-1 (its region column) disagrees with "
                     "--region us-east-1");
    /* logs without a region into a model stored in one: how logs get a region */
    write_file("reg.jsonl",
               "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-10-09T12:00:00Z\","
               "\"region\":\"us-east-1\",\"requestId\":\"r1\",\"modelId\":\"" NOVA "\","
               "\"input\":{\"inputTokenCount\":5},\"output\":{\"outputTokenCount\":1}}\n");
    write_file("noreg.jsonl",
               "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-10-09T12:01:00Z\","
               "\"requestId\":\"r2\",\"modelId\":\"" NOVA "\","
               "\"input\":{\"inputTokenCount\":5},\"output\":{\"outputTokenCount\":1}}\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db p.db reg.jsonl%s", bin, ""), 0);
    CU_ASSERT_EQUAL(run("'%s' ingest --db p.db noreg.jsonl%s", bin, ""), 3);
    expect_in("err", "the region these logs were recorded in");
    CU_ASSERT_EQUAL(count_in("err", "Region=R"), 0);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli-regions", regions_setup, teardown);
    CU_add_test(s, "export-cmd commands and labels", test_export_cmd);
    CU_add_test(s, "export-cmd --source logs by region", test_export_cmd_logs);
    CU_add_test(s, "showback per place", test_showback_places);
    CU_add_test(s, "stats per place", test_stats);
    CU_add_test(s, "recommend and simulate", test_recommend);
    CU_add_test(s, "export and series", test_export_series);
    CU_add_test(s, "refusals", test_refused);
    CU_add_test(s, "project per place", test_project_places);
    CU_add_test(s, "report: each place's coverage of its own exports", test_report_coverage);
    CU_add_test(s, "diff: moved from unknown to regions", test_diff_moved);
    CU_add_test(s, "diff --region and --account", test_diff_filters);
    CU_add_test(s, "every command: --region and --account", test_every_command);
    CU_add_test(s, "report and simulate: places in every format", test_report_formats);
    CU_add_test(s, "relabel: data without a region moved to its place", test_relabel);
    CU_add_test(s, "a short place: no data in the fleet; every listing agrees",
                test_short_place);
    CU_add_test(s, "messages name what was found", test_messages);
}
