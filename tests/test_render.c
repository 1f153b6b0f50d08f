/* test_render.c - CSV fields and numbers for people, as every renderer writes them. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

void register_tests(void);

static char *csv_of(const char *s)
{
    strbuf b = {0};
    char *out = NULL;
    enc_csv(&b, s);
    render_csv_num(&b, 1.5);
    render_csv_num(&b, NAN);
    CU_ASSERT_EQUAL(sb_finish(&b, &out, NULL), TP_OK);
    return out;
}

/* RFC 4180: a field with a quote is quoted and the quote doubled; NAN is an empty field. */
static void test_csv_fields(void)
{
    char *out = csv_of("a\"b");
    CU_ASSERT_STRING_EQUAL(out, "\"a\"\"b\",1.5,");
    free(out);
    out = csv_of("\"x,\ny\"");
    CU_ASSERT_STRING_EQUAL(out, "\"\"\"x,\ny\"\"\",1.5,");
    free(out);
    out = csv_of("");
    CU_ASSERT_STRING_EQUAL(out, "\"\",1.5,");
    free(out);
}

static void test_numbers_for_people(void)
{
    char buf[NUMFMT_BUF];
    static const struct {
        void (*fn)(char *, double);
        double v;
        const char *want;
    } cases[] = {
        {numfmt_count, 828123456.4, "828,123,456"},
        {numfmt_count, 999.5, "1,000"},
        {numfmt_count, -1234567, "-1,234,567"},
        {numfmt_count, 12, "12"},
        {numfmt_count, -0.2, "0"}, /* no sign on nothing */
        {numfmt_count, NAN, "n/a"},
        {numfmt_short, 1234, "1,234"},
        {numfmt_short, 12345, "12.3K"},
        {numfmt_short, 1234567, "1.23M"},
        {numfmt_short, 99960, "100K"}, /* 99.96K rounds up to three digits */
        {numfmt_short, 12.3e9, "12.3B"},
        {numfmt_short, 4.56e12, "4,560B"},
        {numfmt_usd, 12345.678, "$12,345.68"},
        {numfmt_usd, -1234.5, "-$1,234.50"},
        {numfmt_usd, -0.001, "$0.00"},
        {numfmt_usd, 0.63, "$0.63"},
        {numfmt_pct, 64.94, "64.9%"},
        {numfmt_pct, -1234.56, "-1,234.6%"},
        {numfmt_pct, -123456, "<-9999%"},
        {numfmt_pct, 1e9, ">9999%"},
        {numfmt_pct, NAN, "n/a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *want = cases[i].want;
        cases[i].fn(buf, cases[i].v);
        if (want != NULL && strcmp(buf, want) != 0)
            fprintf(stderr, "\n  case %zu: got \"%s\", want \"%s\"", i, buf, want);
        CU_ASSERT_STRING_EQUAL(buf, want);
    }
    numfmt_fixed(buf, 93998, 1);
    CU_ASSERT_STRING_EQUAL(buf, "93,998.0");
    numfmt_fixed(buf, 700300.04, 1);
    CU_ASSERT_STRING_EQUAL(buf, "700,300.0");
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("render", NULL, NULL);
    CU_add_test(s, "csv_fields", test_csv_fields);
    CU_add_test(s, "numbers_for_people", test_numbers_for_people);
}
