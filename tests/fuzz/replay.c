/* replay.c - runs a fuzz harness over saved inputs (seed corpora, regressions) without
 * libFuzzer, so the ordinary gcc build, the sanitizer build and valgrind replay them all. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Inputs are small by design (seeds of a few KB, minimised crashes); the cap only stops a
 * mistaken argument from reading something huge. */
#define REPLAY_MAX_BYTES ((size_t)16 << 20)

/* Reads path and runs it through the harness; returns 0, or 1 when it cannot be read. The
 * buffer holds exactly the file's bytes, so ASan catches a read past the input as it would
 * under libFuzzer. */
static int replay_file(const char *path)
{
    int rc = 1;
    unsigned char *buf = NULL;
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        goto cleanup;
    }
    if ((size_t)st.st_size > REPLAY_MAX_BYTES) {
        fprintf(stderr, "replay: %s: over %zu bytes\n", path, REPLAY_MAX_BYTES);
        goto cleanup;
    }
    size_t len = (size_t)st.st_size;
    if ((buf = malloc(len ? len : 1)) == NULL) {
        fprintf(stderr, "replay: out of memory\n");
        goto cleanup;
    }
    if (fread(buf, 1, len, f) != len) {
        fprintf(stderr, "replay: %s: read error\n", path);
        goto cleanup;
    }
    printf("replay: %s (%zu bytes)\n", path, len);
    fflush(stdout);
    LLVMFuzzerTestOneInput(buf, len);
    rc = 0;
cleanup:
    free(buf);
    if (f != NULL)
        fclose(f);
    return rc;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file of dir whose name does not start with '.' (README.md and
 * .keep files describe or hold the directory), in name order so that runs repeat exactly.
 * Sets *count to the files replayed; returns the number of failures. */
static int replay_dir(const char *dir, size_t *count)
{
    int failures = 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **nn = realloc(names, ncap * sizeof *nn);
            if (nn == NULL) {
                failures++;
                goto cleanup;
            }
            names = nn;
            cap = ncap;
        }
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        if ((names[n] = malloc(need)) == NULL) {
            failures++;
            goto cleanup;
        }
        snprintf(names[n], need, "%s/%s", dir, e->d_name);
        n++;
    }
    if (n > 0)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && !S_ISREG(st.st_mode))
            continue;
        failures += replay_file(names[i]);
        (*count)++;
    }
cleanup:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return failures;
}

int main(int argc, char **argv)
{
    int failures = 0;
    size_t count = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            failures++;
        } else if (S_ISDIR(st.st_mode)) {
            failures += replay_dir(argv[i], &count);
        } else {
            failures += replay_file(argv[i]);
            count++;
        }
    }
    printf("replay: %zu inputs, %d unreadable\n", count, failures);
    return failures ? 1 : 0;
}
