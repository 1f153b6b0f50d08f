/* optable.c - getopt_long's arrays and the --help text, both built from a command's table. */
#define _POSIX_C_SOURCE 200809L
#include "optable.h"

#include <stdlib.h>
#include <string.h>

/* The running command's table (one command per process): the library's errors name request
 * fields, which cli_error_text shows as this table's options. */
static const cli_table *error_table;

void cli_getopt_init(cli_getopt *g, const cli_table *t)
{
    size_t n = 0, s = 0;
    error_table = t;
    for (const cli_opt *o = t->opts; o->name != NULL || o->help != NULL; o++) {
        if (o->name == NULL)
            continue;
        if (n == CLI_GETOPT_MAX) {
            fprintf(stderr, "tierplan: internal error: more than %d options from --%s on; "
                            "raise CLI_GETOPT_MAX\n", CLI_GETOPT_MAX, o->name);
            abort();
        }
        g->longs[n++] = (struct option){o->name, o->has_arg, NULL, o->val};
        if (o->short_opt) {
            g->shorts[s++] = (char)o->val;
            if (o->has_arg == required_argument)
                g->shorts[s++] = ':';
        }
    }
    g->longs[n] = (struct option){NULL, 0, NULL, 0};
    g->shorts[s] = '\0';
}

/* Writes text with each line after the first indented by indent. */
static void put_lines(FILE *f, const char *text, int indent)
{
    for (const char *p = text; *p != '\0';) {
        const size_t len = strcspn(p, "\n");
        fwrite(p, 1, len, f);
        p += len;
        if (*p == '\n' && *++p != '\0')
            fprintf(f, "\n%*s", indent, "");
    }
}

static int is_end(const cli_opt *o)
{
    return o->name == NULL && o->help == NULL;
}

/* One option's help line(s): its left column, then its text at column. */
static void put_option(FILE *f, const cli_opt *o, int column)
{
    fputs("  ", f);
    put_lines(f, o->left, 2);
    const size_t left_len = strlen(o->left);
    if (o->left[left_len - 1] == '\n') {
        fprintf(f, "\n%*s", column, ""); /* the text under a long left column */
    } else {
        /* the width of the left column's last line; at least one space after it */
        const char *last = strrchr(o->left, '\n');
        const int width = 2 + (int)strlen(last != NULL ? last + 1 : o->left);
        fprintf(f, "%*s", width < column ? column - width : 1, "");
    }
    put_lines(f, o->help, column);
    fputc('\n', f);
}

/* A brief run (CLI_MARK_BRIEF) from o, its help under it at column; returns the entry that
 * ends the run. */
static const cli_opt *put_brief(FILE *f, const cli_opt *o, const char *help, int column)
{
    int width = 0, line_break = 0; /* width: of the line so far, 0 before the first option */
    for (; !is_end(o) && (o->name != NULL || o->has_arg == CLI_MARK_BREAK); o++) {
        if (o->name == NULL) {
            line_break = 1;
            continue;
        }
        if (o->left == NULL)
            continue;
        const int len = (int)strlen(o->left);
        if (width == 0) {
            fputs("  ", f);
            width = 2;
        } else if (line_break || width + 2 + len + 1 > CLI_BRIEF_WIDTH) {
            fputs(",\n  ", f);
            width = 2;
        } else {
            fputs(", ", f);
            width += 2;
        }
        fputs(o->left, f);
        width += len;
        line_break = 0;
    }
    fprintf(f, "\n%*s", column, "");
    put_lines(f, help, column);
    fputc('\n', f);
    return o;
}

void cli_help_print(const cli_table *t, FILE *f)
{
    int column = t->column, listed = 1;
    fputs(t->head, f);
    for (const cli_opt *o = t->opts; !is_end(o);) {
        if (o->name == NULL && o->has_arg == CLI_MARK_BRIEF) {
            o = put_brief(f, o + 1, o->help, column);
            continue;
        }
        if (o->name == NULL) {
            listed = o->has_arg != CLI_MARK_UNLISTED;
            if (o->has_arg == CLI_MARK_TEXT) {
                fputs(o->help, f);
                if (o->val > 0)
                    column = o->val;
            }
        } else if (listed && o->left != NULL) {
            put_option(f, o, column);
        }
        o++;
    }
    fputs(t->tail, f);
}

const cli_opt *cli_table_field(const cli_table *t, const char *field)
{
    for (const cli_opt *o = t->opts; !is_end(o); o++)
        if (o->name != NULL && o->field != NULL && strcmp(o->field, field) == 0)
            return o;
    return NULL;
}

const char *cli_option_name(void *ctx, const char *field, char *buf, size_t size)
{
    (void)ctx;
    const cli_opt *o = error_table != NULL ? cli_table_field(error_table, field) : NULL;
    if (o == NULL)
        return NULL;
    snprintf(buf, size, "--%s", o->name);
    return buf;
}

const char *cli_error_text(const tp_error *err, char *buf, size_t size)
{
    return tp_error_rename(err, cli_option_name, NULL, buf, size);
}
