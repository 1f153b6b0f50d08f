/* test_cli_errors.c - end to end: what the tierplan program refuses and how it fails (missing
 * database, no data, bad options, full disks, long names), and its global options. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

/* A --db path with no file is an error for every command but ingest, which creates it;
 * the readers create nothing (not even WAL files). */
static void test_missing_db(void)
{
    const char *cmds[] = {"stats", "export", "recommend --model m",
                          "simulate --model m --reserve-input-tpm 1 --reserve-output-tpm 1"};
    char line[512];
    for (size_t i = 0; i < 4; i++) {
        snprintf(line, sizeof line, "'%%s' %s --db nodb.db", cmds[i]);
        CU_ASSERT_EQUAL(run(line, bin, NULL), 1);
        expect_in("err", "tierplan: error: nodb.db: no database there (tierplan ingest creates "
                         "one)\n");
        CU_ASSERT_EQUAL(run("ls nodb.db*", NULL, NULL), 2); /* ls: no such file */
    }
    /* the default path too, when neither --db nor TIERPLAN_DB names one */
    CU_ASSERT_EQUAL(run("(mkdir -p nd && cd nd && TIERPLAN_DB= '%s' stats)", bin, NULL), 1);
    expect_in("err", "tierplan.db: no database there");
    CU_ASSERT_EQUAL(run("ls nd/tierplan.db", NULL, NULL), 2);
    /* export-cmd reads no database; ingest creates one */
    CU_ASSERT_EQUAL(run("'%s' export-cmd --db nodb.db --model m", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' ingest --db nodb.db -q '%s'/sample-nova-pro.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db nodb.db --format csv", bin, NULL), 0);
}

/* No data for the model or the window is an error (exit 1) naming what the store holds,
 * never an all-zero answer; a model stored under its cross-region profile id is suggested,
 * before any price catalog lookup. */
static void test_no_data(void)
{
    const char *models = "models in the store: amazon.nova-pro-v1:0, "
                         "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db nd.db '%s'/sample-*.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db nd.db --model nova", bin, NULL), 1);
    expect_in("err", "error: no data for model \"nova\"; ");
    expect_in("err", models);
    /* the catalog has no "nova" either: the data is checked first, so the error is the data's */
    CU_ASSERT_EQUAL(run("'%s' simulate --db nd.db --pricing '%s'/pricing.json --model nova "
                        "--reserve-input-tpm 1 --reserve-output-tpm 1",
                        bin, sample),
                    1);
    expect_in("err", models);
    /* traffic stored under the cross-region profile id: the bare model id is pointed to it */
    CU_ASSERT_EQUAL(run("'%s' recommend --db nd.db --pricing '%s'/pricing.json --model "
                        "anthropic.claude-sonnet-4-5-20250929-v1:0",
                        bin, sample),
                    1);
    expect_in("err", "no data for model \"anthropic.claude-sonnet-4-5-20250929-v1:0\"; did you "
                     "mean us.anthropic.claude-sonnet-4-5-20250929-v1:0? models in the store: ");
    /* windows outside the data (2026-10-07 .. 2026-10-10): every command refuses */
    const char *span = "; its data spans 2026-10-07T00:02:00Z .. 2026-10-09T23:59:00Z";
    CU_ASSERT_EQUAL(run("'%s' stats --db nd.db --model amazon.nova-pro-v1:0 --from 2025-01-01 "
                        "--to 2025-01-02",
                        bin, NULL),
                    1);
    expect_in("err", "no data for model \"amazon.nova-pro-v1:0\" in the window "
                     "2025-01-01T00:00:00Z .. 2025-01-02T00:00:00Z");
    expect_in("err", span);
    CU_ASSERT_EQUAL(run("'%s' stats --db nd.db --from 2027-01-01", bin, NULL), 1);
    expect_in("err", "no data for any of the 2 stored models (no data for model ");
    expect_in("err", " from 2027-01-01T00:00:00Z on; its data spans ");
    CU_ASSERT_EQUAL(run("'%s' simulate --db nd.db --pricing '%s'/pricing.json --model "
                        "amazon.nova-pro-v1:0 --reserve-input-tpm 1 --reserve-output-tpm 1 "
                        "--from 2025-01-01 --to 2025-01-02",
                        bin, sample),
                    1);
    expect_in("err", span);
    CU_ASSERT_EQUAL(run("'%s' recommend --db nd.db --pricing '%s'/pricing.json --model "
                        "amazon.nova-pro-v1:0 --from 2025-01-01 --to 2025-03-01 --force "
                        "--format json",
                        bin, sample),
                    1);
    expect_in("err", span);
    CU_ASSERT_EQUAL(run("test -s out", NULL, NULL), 1); /* no 0/0 recommendation printed */
    /* every model, a window where only one has data: the other is left out, not zeros */
    write_file("ab.csv", "timestamp,model,metric,value\n"
                         "2026-10-05T14:00:00Z,a,InputTokenCount,5\n"
                         "2026-10-06T14:00:00Z,b,InputTokenCount,7\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db ab.db --period 60 ab.csv", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db ab.db --from 2026-10-06 --to 2026-10-07 --format csv",
                        bin, NULL),
                    0);
    char *out = slurp("out");
    CU_ASSERT_PTR_NULL(strstr(out, "\"a\","));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"b\",input,2026-10-06T00:00:00Z,2026-10-07T00:00:00Z,"
                                       "1440,1,"));
    free(out);
}

/* Global options before the command: the same as after it. */
static void test_global_options(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' --db g.db -q ingest '%s'/sample-nova-pro.json", bin, sample),
                          0);
    CU_ASSERT_EQUAL(run("test -s out", NULL, NULL), 1); /* -q before ingest: no summary */
    CU_ASSERT_EQUAL_FATAL(run("'%s' stats --db g.db --format json", bin, NULL), 0);
    char *after = slurp("out");
    CU_ASSERT(strlen(after) > 100);
    const char *before_forms[] = {"'%s' --db g.db stats --format json",
                                  "'%s' --db=g.db stats --format json",
                                  "'%s' --db other.db stats --db g.db --format json"};
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(run(before_forms[i], bin, NULL), 0);
        char *before = slurp("out");
        CU_ASSERT_STRING_EQUAL(before, after);
        free(before);
    }
    free(after);
    /* --pricing before a command that prices; before export, which needs none, it is ignored */
    CU_ASSERT_EQUAL(run("'%s' stats --db g.db --pricing '%s'/pricing.json", bin, sample), 0);
    after = slurp("out");
    CU_ASSERT_EQUAL(run("'%s' --pricing '%s'/pricing.json --db g.db stats", bin, sample), 0);
    char *before = slurp("out");
    CU_ASSERT_STRING_EQUAL(before, after);
    free(before);
    free(after);
    CU_ASSERT_EQUAL(run("'%s' --db g.db --pricing nothing.json -q export -o g.csv", bin, NULL), 0);
    expect_in("g.csv", "amazon.nova-pro-v1:0");
    /* a global option without its value, or an unknown one, is a usage error */
    CU_ASSERT_EQUAL(run("'%s' --db", bin, NULL), 2);
    expect_in("err", "--db needs a value");
    CU_ASSERT_EQUAL(run("'%s' --dbx g.db stats", bin, NULL), 2);
    expect_in("err", "unknown global option");
    CU_ASSERT_EQUAL(run("'%s' --db g.db", bin, NULL), 2);
    CU_ASSERT_EQUAL(run("'%s' --help", bin, NULL), 0);
    expect_in("out", "--db PATH, --pricing FILE and -q/--quiet may also come before");
}

/* A report that cannot be written is a failure: a full disk must not end with status 0 and
 * an empty or cut-off report. /dev/full fails every write with ENOSPC. The group { } keeps
 * run()'s own >out from overriding the redirection. */
static void test_stdout_full(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' -q ingest --db full.db '%s'/sample-nova-pro.json", bin,
                              sample),
                          0);
    const char *cmds[] = {
        "{ '%s' stats --db full.db >/dev/full; }",
        "{ '%s' stats --db full.db --format json >/dev/full; }",
        "{ '%s' simulate --db full.db --pricing '%s'/pricing.json --model amazon.nova-pro-v1:0 "
        "--reserve-input-tpm 0 --reserve-output-tpm 0 >/dev/full; }",
        "{ '%s' recommend --db full.db --pricing '%s'/pricing.json --model amazon.nova-pro-v1:0 "
        "--format csv >/dev/full; }",
        "{ '%s' export-cmd --model amazon.nova-pro-v1:0 >/dev/full; }",
        "{ '%s' version >/dev/full; }",
        "{ '%s' stats --help >/dev/full; }",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        int rc = run(cmds[i], bin, sample);
        if (rc != 1)
            fprintf(stderr, "\n  exit %d, expected 1: %s\n", rc, cmds[i]);
        CU_ASSERT_EQUAL(rc, 3);
        expect_in("err", "tierplan: error: writing the report: No space left on device");
    }
    /* export to standard output already failed on a full disk: it still does */
    CU_ASSERT_EQUAL(run("{ '%s' export --db full.db >/dev/full; }", bin, NULL), 3);
}

/* export -o never leaves a partial file: it writes a temporary file beside FILE and renames
 * it over FILE only once everything is written. A full disk is simulated without privileges
 * by a file size limit: ulimit -f 100 is 51,200 bytes for sh, above SQLite's 32 KiB
 * shared-memory file and below the sample's 700 KB export; with SIGXFSZ ignored the write
 * fails with EFBIG instead of killing the process. An older FILE stays as it was. */
static void test_export_output_atomic(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' -q ingest --db atom.db '%s'/sample-nova-pro.json", bin,
                              sample),
                          0);
    CU_ASSERT_EQUAL(run("mkdir -p ex && rm -f ex/*", NULL, NULL), 0);
    CU_ASSERT_EQUAL(run("sh -c 'ulimit -f 100; trap \"\" XFSZ; exec \"$0\" export --db atom.db "
                        "-o ex/out.csv' '%s'",
                        bin, NULL),
                    3);
    expect_in("err", "ex/out.csv");
    CU_ASSERT_EQUAL(run("test -e ex/out.csv", NULL, NULL), 1);
    CU_ASSERT_EQUAL(run("test -z \"$(ls -A ex)\"", NULL, NULL), 0); /* no temporary left */
    /* the same with an older FILE: it is left unchanged */
    write_file("ex/out.csv", "old\n");
    CU_ASSERT_EQUAL(run("sh -c 'ulimit -f 100; trap \"\" XFSZ; exec \"$0\" export --db atom.db "
                        "-o ex/out.csv' '%s'",
                        bin, NULL),
                    3);
    char *old = slurp("ex/out.csv");
    CU_ASSERT_STRING_EQUAL(old, "old\n");
    free(old);
    CU_ASSERT_EQUAL(run("test \"$(ls -A ex)\" = out.csv", NULL, NULL), 0);
    /* without a limit: the whole export, and still no temporary beside it */
    CU_ASSERT_EQUAL(run("'%s' export --db atom.db -o ex/out.csv", bin, NULL), 0);
    expect_in("ex/out.csv", "timestamp,model,metric,value,tier,service_tier,period_s,region,"
                           "account,source,attribute_by,key\n");
    CU_ASSERT_EQUAL(run("test \"$(ls -A ex)\" = out.csv", NULL, NULL), 0);
    /* a directory that does not exist: an error naming FILE */
    CU_ASSERT_EQUAL(run("'%s' export --db atom.db -o no/such/dir/out.csv", bin, NULL), 3);
    expect_in("err", "no/such/dir/out.csv");
}

/* Numeric options: an integer that overflows long, trailing garbage, leading space, a
 * number out of range or NaN/inf is a usage error (exit 2), never a clamped value. */
static void test_numeric_options(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' -q ingest --db num.db '%s'/sample-nova-pro.json", bin,
                              sample),
                          0);
    const char *bad[] = {
        "--spill-to none --max-throttled-minutes 99999999999999999999",
        "--spill-to none --max-throttled-minutes 9223372036854775808",
        "--spill-to none --max-throttled-minutes -1",
        "--spill-to none --max-throttled-minutes 5x",
        "--spill-to none --max-throttled-minutes ' 5'",
        "--spill-to none --max-throttled-minutes ''",
        "--term-months 3.0",
        "--quota-tpm nan",
        "--quota-tpm inf",
        "--quota-tpm 1e400",
        "--quota-tpm 1e-400",
        "--quota-tpm ' 5'",
        "--quota-tpm 5tpm",
        "--max-spill-minutes-pct ' 5'",
        "--max-spill-minutes-pct 100.5",
        "--scale 1e-400",
        "--scale inf",
        "--cache-hit-delta 1e-400",
        "--cache-hit-delta nan",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd,
                 "'%%s' recommend --db num.db --pricing '%%s'/pricing.json "
                 "--model amazon.nova-pro-v1:0 %s",
                 bad[i]);
        int rc = run(cmd, bin, sample);
        if (rc != 2)
            fprintf(stderr, "\n  exit %d, expected 2: %s\n", rc, bad[i]);
        CU_ASSERT_EQUAL(rc, 2);
    }
    CU_ASSERT_EQUAL(run("'%s' simulate --db num.db --pricing '%s'/pricing.json --model "
                        "amazon.nova-pro-v1:0 --reserve-input-tpm 1e-400 --reserve-output-tpm 0",
                        bin, sample),
                    2);
    CU_ASSERT_EQUAL(run("'%s' export-cmd --model m --days 18446744073709551617", bin, NULL), 2);
    /* the largest count still parses */
    CU_ASSERT_EQUAL(run("'%s' recommend --db num.db --pricing '%s'/pricing.json --model "
                        "amazon.nova-pro-v1:0 --spill-to none --max-throttled-minutes "
                        "9223372036854775807",
                        bin, sample),
                    0);
}

/* A catalog with one model, key, at the test prices. */
static void write_catalog(const char *name, const char *key)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},\"models\":"
             "{\"%s\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,\"cache_read\":0.3,"
             "\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,"
             "\"output\":0.60}}}}",
             key);
    write_file(name, text);
}

/* Long names are never cut to a fixed buffer: export-cmd's file names carry the whole model
 * id (a 127-character cut named two models' exports alike), a catalog key fills the whole
 * entry and shows whole in stats' burn_down.from, and a key longer than the entry holds is an
 * error, not a silently shortened key. */
static void test_long_names(void)
{
    char id[300], cmd[1200], want[400];
    memset(id, 'a', 255);
    id[255] = '\0';
    memcpy(id, "m.", 2);
    /* export-cmd: 200 characters of id, ':' becomes '_' in the file name */
    char shorter[201];
    memcpy(shorter, id, 200);
    shorter[198] = ':';
    shorter[200] = '\0';
    CU_ASSERT_EQUAL(
        run("'%s' export-cmd --model '%s' --days 1 --end 2026-10-10 --now 2026-10-10", bin, shorter),
        0);
    shorter[198] = '_';
    snprintf(want, sizeof want, "> 'tierplan-%s-20261010T0000Z-60s.json.part'", shorter);
    expect_in("out", want);
    /* a 255-character catalog key matching a 255-character model id */
    write_catalog("long.json", id);
    snprintf(cmd, sizeof cmd, "timestamp,model,metric,value\n2026-10-05T14:00:00Z,%s,"
                              "InputTokenCount,100\n", id);
    write_file("long.csv", cmd);
    CU_ASSERT_EQUAL_FATAL(run("'%s' -q ingest --db long.db --period 60 long.csv", bin, NULL), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db long.db --pricing long.json --format json", bin, NULL),
                    0);
    snprintf(want, sizeof want, "\"from\":\t\"catalog entry %s; cache read derived from prices\"",
             id);
    expect_in("out", want);
    /* one character more: the catalog is refused */
    strcat(id, "b");
    write_catalog("longer.json", id);
    CU_ASSERT_EQUAL(run("'%s' stats --db long.db --pricing longer.json", bin, NULL), 3);
    expect_in("err", "longer.json: models: a key of 256 characters (at most 255)");
}

/* Ingest's inputs at the command line: an unknown --metric is a usage error (exit 2, it was
 * 1), a directory is walked, /dev/zero stops at the cap (1 MiB here). */
static void test_ingest_inputs(void)
{
    CU_ASSERT_EQUAL(run("'%s' ingest --db i.db --metric Bogus '%s'/none.json", bin, sample), 2);
    expect_in("err", "--metric: unknown metric \"Bogus\"");
    /* a directory is read file by file (invocation logs): the sample directory's pricing
     * catalog is no export, and the message names it */
    CU_ASSERT_EQUAL(run("'%s' ingest --db i.db '%s'", bin, sample), 3);
    expect_in("err", "pricing.json: $: not an export tierplan reads: neither CloudWatch "
                     "get-metric-data");
    CU_ASSERT_EQUAL(run("mkdir -p emptydir && '%s' ingest --db i.db emptydir", bin, NULL), 3);
    expect_in("err", "no files under emptydir");
    CU_ASSERT_EQUAL(run("'%s' ingest --db i.db --max-input-mb 1 /dev/zero", bin, NULL), 3);
    expect_in("err", "/dev/zero: over the input cap of 1048576 bytes");
}

/* The library names request fields ("spill_model: ..."); the CLI shows them as the options
 * that fill them, whether it reports them while parsing, as a failure, or inside a report. */
static void test_library_fields(void)
{
    const char *m = "--db lf.db --pricing '%s'/pricing.json --model amazon.nova-pro-v1:0";
    char line[512];
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db lf.db '%s'/sample-*.json", bin, sample), 0);
    snprintf(line, sizeof line, "'%%s' simulate %s --reserve-input-tpm 1 "
                                "--reserve-output-tpm 1 --spill-model bogus", m);
    CU_ASSERT_EQUAL(run(line, bin, sample), 2);
    expect_in("err", "tierplan simulate: --spill-model: \"bogus\" is not one of coupled, "
                     "independent\n");
    snprintf(line, sizeof line, "'%%s' recommend %s --spill-to bogus", m);
    CU_ASSERT_EQUAL(run(line, bin, sample), 2);
    expect_in("err", "tierplan recommend: --spill-to: \"bogus\" is not one of standard, "
                     "priority, none\n");
    snprintf(line, sizeof line, "'%%s' recommend %s --format bogus", m);
    CU_ASSERT_EQUAL(run(line, bin, sample), 2);
    expect_in("err", "tierplan recommend: --format: \"bogus\" is not one of text, json, csv, "
                     "markdown, html\n");
    snprintf(line, sizeof line, "'%%s' recommend %s --train-until 2020-01-01", m);
    CU_ASSERT_EQUAL(run(line, bin, sample), 2);
    expect_in("err", "tierplan: error: --train-until must fall inside the data's window, "
                     "leaving data on both sides\n");
    snprintf(line, sizeof line, "'%%s' recommend %s --train-until 2026-10-08 --scale 2", m);
    CU_ASSERT_EQUAL(run(line, bin, sample), 2);
    expect_in("err", "tierplan recommend: --scale and --cache-hit-delta apply to a single "
                     "window only\n");
    CU_ASSERT_EQUAL(run("'%s' report --db lf.db --pricing '%s'/pricing.json --train-until "
                        "2026-10-08",
                        bin, sample),
                    2);
    expect_in("err", "tierplan report: --train-until backtests one model: give exactly one "
                     "--model\n");
    snprintf(line, sizeof line, "'%%s' recommend %s --from 2026-10-07 --to 2026-10-07T00:30",
             m);
    CU_ASSERT_EQUAL(run(line, bin, sample), 3);
    expect_in("err", "(at least 1440); ingest more history or pass --force\n");
    snprintf(line, sizeof line, "'%%s' project %s --months 3 --start 2020-01", m);
    CU_ASSERT_EQUAL(run(line, bin, sample), 2);
    expect_in("err", "tierplan: error: --start 2020-01 is before 2026-10, the month of the "
                     "newest data (2026-10-09T23:58:00Z): a projection starts no earlier\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db lf2.db --span-from 2026-10-08 --span-to 2026-10-07 "
                        "'%s'/sample-nova-pro.json",
                        bin, sample),
                    2);
    expect_in("err", "tierplan ingest: --span-to must be after --span-from\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db lf2.db --model \"$(printf 'a\\tb')\" "
                        "'%s'/sample-nova-pro.json",
                        bin, sample),
                    2);
    expect_in("err", "tierplan: error: --model holds a control character\n");
}

/* The library's hints, reasons and kept messages name the fields the CLI fills from options
 * (the window's bounds, --period, --metric, --model, --as-of, --growth-pct-per-month,
 * --spill-to): every command they reach shows them as those options, byte for byte. */
static void test_library_hints(void)
{
    const char *m = "--db lh.db --pricing '%s'/pricing.json --model amazon.nova-pro-v1:0";
    char line[512];
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db lh.db '%s'/sample-*.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' stats --db lh.db --from 2026-10-08 --to 2026-10-07", bin, NULL), 2);
    expect_in("err", "tierplan stats: empty window 2026-10-08T00:00:00Z .. 2026-10-07T00:00:00Z: "
                     "--to must be after --from\n");
    snprintf(line, sizeof line, "'%%s' project %s --months 3", m);
    /* a data error (exit 3) naming the fix */
    CU_ASSERT_EQUAL(run(line, bin, sample), 3);
    expect_in("err", "tierplan: error: model amazon.nova-pro-v1:0: 3 whole days of history with "
                     "data, fewer than 7: too few to fit a growth rate; give one with "
                     "--growth-pct-per-month (or growth_pct_per_month in the plan file), or load "
                     "more history\n");
    /* the hint is about sizing: Nova's Reserved tier is not offered by the shipped catalog,
     * so a reservation is explored with --assume-offered */
    snprintf(line, sizeof line, "'%%s' recommend %s --spill-to none --assume-offered", m);
    CU_ASSERT_EQUAL(run(line, bin, sample), 0);
    expect_in("out", "reason: with --spill-to none overflow is throttled, not billed: the "
                     "cheapest reservation with at\n");
    /* a model the plan holds no reservation for: the gate's note names the options */
    write_file("h.json", "{\"models\":{\"amazon.nova-pro-v1:0\":{\"reserve_input_tpm\":100,"
                         "\"reserve_output_tpm\":10}}}");
    CU_ASSERT_EQUAL(run("'%s' check --db lh.db --pricing '%s'/pricing.json --plan h.json "
                        "--fail-utilization-below 50",
                        bin, sample),
                    1);
    expect_in("out", "n/a  us.anthropic.claude-sonnet-4-5-20250929-v1:0: held utilization: no "
                     "held reservation\n     (--reserve-* or the plan file's reserve_*_tpm)\n");
    write_file("sp.csv", "timestamp,model,metric,value\n2020-01-01T00:00:00Z,m,InputTokenCount,5\n"
                         "2020-01-01T00:05:00Z,m,InputTokenCount,5\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db lh2.db sp.csv", bin, NULL), 3);
    expect_in("err", "tierplan: error: sp.csv: line 2: period ambiguous: pass --period (series m "
                     "InputTokenCount: timestamps at least 300 s apart and no Period= given)\n");
    write_file("nm.json", "{\"Label\":\"Foo\",\"Datapoints\":[]}");
    CU_ASSERT_EQUAL(run("'%s' ingest --db lh2.db nm.json", bin, NULL), 3);
    expect_in("err", "tierplan: error: nm.json: $: label \"Foo\" names no known metric (pass "
                     "--metric)\n");
    write_file("nmod.json", "{\"Label\":\"InputTokenCount\",\"Datapoints\":[]}");
    CU_ASSERT_EQUAL(run("'%s' ingest --db lh2.db --period 60 nmod.json", bin, NULL), 3);
    expect_in("err", "tierplan: error: nmod.json: $: label \"InputTokenCount\" has no ModelId= "
                     "(pass --model)\n");
    /* four years between two points: the as-of warning, and a window too long to load */
    write_file("far.csv", "timestamp,model,metric,value,period_s\n"
                          "2020-01-01T00:00:00Z,m,InputTokenCount,5,60\n"
                          "2024-01-01T00:05:00Z,m,InputTokenCount,5,60\n");
    CU_ASSERT_EQUAL(run("'%s' ingest --db lh.db far.csv", bin, NULL), 0);
    expect_in("err", "tierplan: warning: far.csv: 1 series without End= in the label or --as-of: "
                     "each is taken as of its\n  last timestamp + period (the most recent export "
                     "wins a minute: pass --as-of with the export time)\n");
    CU_ASSERT_EQUAL(run("'%s' stats --db lh.db --model m", bin, NULL), 3);
    expect_in("err", "tierplan: error: model m: window 2020-01-01T00:00:00Z .. "
                     "2024-01-01T00:06:00Z of 2103846 minutes is over the limit of 1581120 (3 "
                     "years): narrow it with --from/--to (a stray timestamp in the data? tierplan "
                     "export shows the points)\n");
    CU_ASSERT_EQUAL(run("'%s' stats --db lh.db", bin, NULL), 0); /* m is skipped, not fatal */
    expect_in("out", "model m (region unknown, account unknown): skipped\n"
                     "  model m: window 2020-01-01T00:00:00Z .. "
                     "2024-01-01T00:06:00Z of 2103846 minutes is over the limit\n  of 1581120 (3 "
                     "years): narrow it with --from/--to (a stray timestamp in the data? tierplan "
                     "export\n  shows the points)\n");
}

/* A control character in what a message repeats (an ANSI escape in --model, say) is printed
 * escaped (as \x1b), never raw to the terminal; a long warning is wrapped within 100 columns. */
static void test_messages_are_safe(void)
{
    write_file("w.csv", "timestamp,model,metric,value\n2026-10-05T14:00:00Z,m,InputTokenCount,5\n");
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db msg.db --period 60 w.csv", bin, NULL), 0);
    char *err = slurp("err");
    for (const char *l = err; *l != '\0';) {
        size_t len = strcspn(l, "\n");
        CU_ASSERT(len <= 100);
        l += len + (l[len] == '\n');
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "without End="));
    free(err);
    CU_ASSERT_EQUAL(run("'%s' stats --db msg.db --model \"$(printf 'x\\033[31mred')\"", bin,
                        NULL),
                    1);
    expect_in("err", "no data for model \"x\\x1b[31mred\"");
    char *e2 = slurp("err");
    CU_ASSERT_PTR_NULL(strchr(e2, 0x1b));
    free(e2);
    /* a directory given as the database says so, for readers and for ingest */
    CU_ASSERT_EQUAL(run("mkdir -p adir && '%s' stats --db adir", bin, NULL), 3);
    expect_in("err", "adir: is a directory, not a database file");
    CU_ASSERT_EQUAL(run("'%s' ingest --db adir --period 60 w.csv", bin, NULL), 3);
    expect_in("err", "adir: is a directory, not a database file");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli-errors", setup, teardown);
    CU_add_test(s, "missing db", test_missing_db);
    CU_add_test(s, "no data", test_no_data);
    CU_add_test(s, "global options", test_global_options);
    CU_add_test(s, "stdout full", test_stdout_full);
    CU_add_test(s, "export -o atomic", test_export_output_atomic);
    CU_add_test(s, "numeric options", test_numeric_options);
    CU_add_test(s, "long names", test_long_names);
    CU_add_test(s, "ingest inputs", test_ingest_inputs);
    CU_add_test(s, "messages are safe", test_messages_are_safe);
    CU_add_test(s, "library fields", test_library_fields);
    CU_add_test(s, "library hints", test_library_hints);
}
