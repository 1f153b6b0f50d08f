/* cli_util.h - what the end-to-end CLI tests share: a scratch directory, running the tierplan
 * binary through the shell, reading what it wrote (header-only, static: one copy per test). */
#ifndef TIERPLAN_CLI_UTIL_H
#define TIERPLAN_CLI_UTIL_H

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256], bin[1024], sample[1024];

/* Runs a shell command line; stdout and stderr land in dir/out and dir/err. Returns the
 * exit status. The command text is ours (test constants and paths), never user input. */
static inline int run(const char *fmt, const char *a, const char *b)
{
    char cmd[8192], line[4096];
    /* fmt is always a test constant; the help test builds it from command names */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(line, sizeof line, fmt, a ? a : "", b ? b : "");
#pragma GCC diagnostic pop
    snprintf(cmd, sizeof cmd, "cd '%s' && %s >out 2>err", dir, line);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static inline char *slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t)n + 1, 1);
    if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n)
        s[0] = '\0';
    fclose(f);
    return s;
}

static inline void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* Copies text with every run of blanks that holds a line break folded to one space: messages
 * wrap at 100 columns, and where they wrap depends on the length of the paths they name (the
 * checkout's directory), so a phrase is looked for both as written and unwrapped. Caller frees. */
static inline char *unwrap(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(n + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (const char *p = text; *p != '\0';) {
        if (*p == ' ' || *p == '\t' || *p == '\n') {
            const char *q = p;
            int broke = 0;
            while (*q == ' ' || *q == '\t' || *q == '\n')
                broke |= *q++ == '\n';
            if (broke) {
                *o++ = ' ';
                p = q;
                continue;
            }
        }
        *o++ = *p++;
    }
    *o = '\0';
    return out;
}

static inline void expect_in(const char *file, const char *needle)
{
    char *s = slurp(file);
    const char *text = s != NULL ? s : ""; /* slurp returns NULL only out of memory */
    int found = strstr(text, needle) != NULL;
    if (!found) { /* both unwrapped: a needle may end its line ("...\n") */
        char *flat = unwrap(text), *flat_needle = unwrap(needle);
        found = flat != NULL && flat_needle != NULL && strstr(flat, flat_needle) != NULL;
        free(flat);
        free(flat_needle);
    }
    if (!found)
        fprintf(stderr, "\n  expected \"%s\" in %s:\n%s\n", needle, file, text);
    CU_ASSERT(found);
    free(s);
}

static inline int setup(void)
{
    const char *b = getenv("TIERPLAN_BIN"), *d = getenv("TP_SAMPLE_DATA");
    if (b == NULL || d == NULL)
        return -1;
    snprintf(bin, sizeof bin, "%s", b);
    snprintf(sample, sizeof sample, "%s", d);
    snprintf(dir, sizeof dir, "/tmp/tierplan-cli-XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static inline int teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
