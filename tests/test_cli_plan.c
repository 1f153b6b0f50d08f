/* test_cli_plan.c - end to end: seasonal plans and backtests of the tierplan binary on the
 * bundled sample (2026-10-07 to 2026-10-10, well inside one month). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

void register_tests(void);

#define NOVA "amazon.nova-pro-v1:0"

/* --window-by month on a span inside one month: one partial window, which pays the whole
 * term and says so (it used to be refused, even with --force). */
static void test_window_by_month_partial(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db p.db '%s'/sample-nova-pro.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' recommend --db p.db --pricing '%s'/pricing.json --model " NOVA
                        " --window-by month",
                        bin, sample),
                    0);
    expect_in("out", "window           2026-10-07 ");
    expect_in("out", "note: a window shorter than the commitment term pays the whole term");
    CU_ASSERT_EQUAL(run("'%s' recommend --db p.db --pricing '%s'/pricing.json --model " NOVA
                        " --window-by month --max-spill-minutes-pct 2 --format json",
                        bin, sample),
                    0);
    expect_in("out", "\"whole_term\":\ttrue");
    expect_in("out", "\"billed_hours\":\t730");
    expect_in("out", "\"max_spill_minutes_pct\":\t2");
}

/* An explicit window shorter than the term: refused, and admitted by --force as its help
 * says. */
static void test_windows_force(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db f.db '%s'/sample-nova-pro.json", bin, sample), 0);
    write_file("w.csv", "from,to\n2026-10-07,2026-10-10\n");
    CU_ASSERT_EQUAL(run("'%s' recommend --db f.db --pricing '%s'/pricing.json --model " NOVA
                        " --windows w.csv",
                        bin, sample),
                    3);
    expect_in("err", "is shorter than the 1-month commitment term: pass --force");
    CU_ASSERT_EQUAL(run("'%s' recommend --db f.db --pricing '%s'/pricing.json --model " NOVA
                        " --windows w.csv --force --format csv",
                        bin, sample),
                    0);
    expect_in("out", "model,plan,from,to,input_tpm,output_tpm,total_usd,savings_pct,"
                     "unused_commitment_usd\n");
    CU_ASSERT_EQUAL(run("'%s' recommend --help", bin, NULL), 0);
    expect_in("out", "shorter than the term (they pay the whole term)");
}

/* A backtest with a service level reports it next to the bound. */
static void test_backtest_service_level(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest --db b.db '%s'/sample-nova-pro.json", bin, sample), 0);
    CU_ASSERT_EQUAL(run("'%s' recommend --db b.db --pricing '%s'/pricing.json --model " NOVA
                        " --train-until 2026-10-09T00:00Z --max-spill-minutes-pct 1 --force "
                        "--format json",
                        bin, sample),
                    0);
    expect_in("out", "\"service_level_met\":");
    expect_in("out", "\"spill_minutes_pct\":");
}

/* Seasonal and backtest text fits 100 columns, with a savings figure in the thousands of
 * percent (a service level forcing a large reservation) and under a quota. */
static void test_plan_text_fits(void)
{
    CU_ASSERT_EQUAL_FATAL(run("'%s' ingest -q --db fit.db '%s'/sample-nova-pro.json", bin,
                              sample),
                          0);
    const char *cmds[] = {
        "'%s' recommend --db fit.db --pricing '%s'/pricing.json --model " NOVA
        " --window-by month --max-spill-minutes-pct 2 --force",
        "'%s' recommend --db fit.db --pricing '%s'/pricing.json --model " NOVA
        " --train-until 2026-10-08T12:00 --quota-tpm 150000",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        CU_ASSERT_EQUAL(run(cmds[i], bin, sample), 0);
        char *out = slurp("out");
        for (const char *l = out; *l != '\0';) {
            size_t len = strcspn(l, "\n");
            if (len > 100 && strncmp(l, "prices: ", 8) != 0)
                fprintf(stderr, "\n  %zu columns: %.*s", len, (int)len, l);
            CU_ASSERT(len <= 100 || strncmp(l, "prices: ", 8) == 0);
            l += len + (l[len] == '\n');
        }
        free(out);
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("cli_plan", setup, teardown);
    CU_add_test(s, "window-by month, partial", test_window_by_month_partial);
    CU_add_test(s, "windows and --force", test_windows_force);
    CU_add_test(s, "backtest service level", test_backtest_service_level);
    CU_add_test(s, "plan text fits 100 columns", test_plan_text_fits);
}
