/* ingest_dir.c - the files under a directory given to ingest: a synced S3 prefix of
 * invocation logs, walked recursively in name order. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tierplan/ingest.h"
#include "base/util.h"

typedef struct list {
    char **v;
    size_t n, cap;
} list;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static tp_status push(list *l, char *s, tp_error *err)
{
    if (s == NULL || UTIL_GROW(l->v, l->cap, l->n + 1) != 0) {
        free(s);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    l->v[l->n++] = s;
    return TP_OK;
}

static char *join(const char *dir, const char *name)
{
    const size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (p != NULL) {
        memcpy(p, dir, a);
        p[a] = '/';
        memcpy(p + a + 1, name, b + 1);
    }
    return p;
}

/* Appends the files under dir (sorted by name at each level) to out. */
static tp_status walk(const char *dir, int depth, list *out, tp_error *err)
{
    tp_status rc = TP_OK;
    list names = {0};
    DIR *d = opendir(dir);
    struct dirent *e;
    if (d == NULL)
        return tp_error_set(err, TP_ERR_IO, "%s: %s", dir, strerror(errno));
    if (depth > 64) {
        rc = tp_error_set(err, TP_ERR_IO, "%s: directories nested too deep", dir);
        goto cleanup;
    }
    while ((e = readdir(d)) != NULL) {
        /* data/ holds the bodies of large requests, and the permission check object is what
         * Bedrock writes to test the bucket: neither holds records */
        if (e->d_name[0] == '.' || strcmp(e->d_name, "data") == 0 ||
            strcmp(e->d_name, "amazon-bedrock-logs-permission-check") == 0)
            continue;
        if ((rc = push(&names, strdup(e->d_name), err)) != TP_OK)
            goto cleanup;
    }
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n && rc == TP_OK; i++) {
        char *p = join(dir, names.v[i]);
        struct stat st;
        if (p == NULL)
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        else if (stat(p, &st) != 0)
            rc = tp_error_set(err, TP_ERR_IO, "%s: %s", p, strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = walk(p, depth + 1, out, err);
        else if (S_ISREG(st.st_mode)) {
            rc = push(out, p, err);
            p = NULL;
        }
        free(p);
    }
cleanup:
    closedir(d);
    tp_strv_free(names.v, names.n);
    return rc;
}

tp_status tp_ingest_expand_path(const char *path, char ***out, size_t *out_n, tp_error *err)
{
    list l = {0};
    struct stat st;
    tp_status rc;
    *out = NULL;
    *out_n = 0;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        rc = walk(path, 0, &l, err);
    else
        rc = push(&l, strdup(path), err);
    if (rc != TP_OK) {
        tp_strv_free(l.v, l.n);
        return rc;
    }
    *out = l.v;
    *out_n = l.n;
    return TP_OK;
}
