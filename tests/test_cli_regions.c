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
    CU_ASSERT_EQUAL(run("'%s' export --db r.db | cmp - before.csv%s", bin, ""), 0);
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
 * of 30 days at 0% growth: 72 datapoints a day x (1000 + 100) x 30 = 2,376,000 tokens in
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
                "--growth-pct-per-month 0 "
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
    CU_ASSERT_EQUAL(run(PROJECT, bin, sample), 0);
    expect_in("out", "== model " NOVA " (region us-east-1, account unknown) ==\n");
    expect_in("out", "== model " NOVA " (region eu-west-1, account unknown) ==\n");
    /* one held reservation, two places: which one holds it? */
    CU_ASSERT_EQUAL(run(PROJECT "--model " NOVA " --reserve-input-tpm 1000", bin, sample), 2);
    expect_in("err", "stored in several places (region eu-west-1 and region us-east-1)");
    CU_ASSERT_EQUAL(run(PROJECT "--model " NOVA " --reserve-input-tpm 1000 --region us-east-1",
                        bin, sample),
                    0);
    CU_ASSERT_EQUAL(run(PROJECT "--region ap-south-1", bin, sample), 1);
    expect_in("err", "region ap-south-1");
#undef PROJECT
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

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli-regions", regions_setup, teardown);
    CU_add_test(s, "export-cmd commands and labels", test_export_cmd);
    CU_add_test(s, "stats per place", test_stats);
    CU_add_test(s, "recommend and simulate", test_recommend);
    CU_add_test(s, "export and series", test_export_series);
    CU_add_test(s, "refusals", test_refused);
    CU_add_test(s, "project per place", test_project_places);
    CU_add_test(s, "diff: moved from unknown to regions", test_diff_moved);
}
