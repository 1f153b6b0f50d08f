/* cnum.c - locale-independent number conversion via uselocale() with a cached C locale. */
#include "base/cnum.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

locale_t cnum_c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

locale_t cnum_enter(void)
{
    locale_t c = cnum_c_locale();
    return c != (locale_t)0 ? uselocale(c) : (locale_t)0;
}

void cnum_restore(locale_t previous)
{
    if (previous != (locale_t)0)
        uselocale(previous);
}

/* Nonzero when text[0, len) is a plain decimal number as JSON and CSV write them:
 * [+-]digits[.digits][(e|E)[+-]digits], or the words nan/inf/infinity. strtod also takes hex
 * ("0x10" would be 16) and leading spaces: neither is a token count anyone exported. */
static int plain_decimal(const char *t, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (t[i] == '+' || t[i] == '-'))
        i++;
    /* the words are let through for the caller to reject by name ("not a finite number") */
    static const char *const words[] = {"nan", "inf", "infinity"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
        if (len - i == strlen(words[w]) && strncasecmp(t + i, words[w], len - i) == 0)
            return 1;
    for (; i < len && t[i] >= '0' && t[i] <= '9'; i++)
        digits++;
    if (i < len && t[i] == '.')
        for (i++; i < len && t[i] >= '0' && t[i] <= '9'; i++)
            digits++;
    if (digits == 0)
        return 0;
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        size_t exp_digits = 0;
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-'))
            i++;
        for (; i < len && t[i] >= '0' && t[i] <= '9'; i++)
            exp_digits++;
        if (exp_digits == 0)
            return 0;
    }
    return i == len;
}

int cnum_parse(const char *text, size_t len, double *out)
{
    char buf[64];
    if (!plain_decimal(text, len))
        return -1;
    /* strtod needs a terminated string; a number longer than this is not one we accept. */
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *end = NULL;
    locale_t prev = cnum_enter();
    errno = 0;
    double v = strtod(buf, &end);
    int overflow = errno == ERANGE && isinf(v);
    cnum_restore(prev);
    if (end != buf + len || end == buf || overflow)
        return -1;
    *out = v;
    return 0;
}

void cnum_format(char *buf, size_t size, double v)
{
    locale_t prev = cnum_enter();
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    cnum_restore(prev);
}

/* A member and its position, sorted by name then position. */
typedef struct member_at {
    const cJSON *m;
    size_t at;
} member_at;

static int member_cmp(const void *a, const void *b)
{
    const member_at *x = a, *y = b;
    const int c = strcmp(x->m->string, y->m->string);
    return c != 0 ? c : (x->at > y->at) - (x->at < y->at);
}

/* Small objects (nearly all) are checked pairwise, without allocating. */
#define DUPLICATE_PAIRWISE_MAX 32

const cJSON *cnum_json_duplicate(const cJSON *obj, int *out_of_memory)
{
    size_t n = 0;
    *out_of_memory = 0;
    if (!cJSON_IsObject(obj))
        return NULL;
    for (const cJSON *m = obj->child; m != NULL; m = m->next)
        n += m->string != NULL;
    if (n <= DUPLICATE_PAIRWISE_MAX) {
        for (const cJSON *b = obj->child; b != NULL; b = b->next)
            for (const cJSON *a = obj->child; a != b && b->string != NULL; a = a->next)
                if (a->string != NULL && strcmp(a->string, b->string) == 0)
                    return b;
        return NULL;
    }
    member_at *v = malloc(n * sizeof *v);
    if (v == NULL) {
        *out_of_memory = 1;
        return NULL;
    }
    n = 0;
    for (const cJSON *m = obj->child; m != NULL; m = m->next)
        if (m->string != NULL) {
            v[n].m = m;
            v[n].at = n;
            n++;
        }
    qsort(v, n, sizeof *v, member_cmp);
    /* in each run of one name, its second member; of those, the earliest in the document */
    const member_at *found = NULL;
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i].m->string, v[i - 1].m->string) == 0 &&
            (i < 2 || strcmp(v[i - 1].m->string, v[i - 2].m->string) != 0) &&
            (found == NULL || v[i].at < found->at))
            found = &v[i];
    const cJSON *dup = found != NULL ? found->m : NULL;
    free(v);
    return dup;
}

cJSON *cnum_json_parse(const char *json, size_t len, const char **end, int require_null,
                       int *out_of_memory)
{
    locale_t prev = cnum_enter();
    errno = 0; /* malloc's ENOMEM is what tells a failed allocation from bad syntax */
    cJSON *doc = cJSON_ParseWithLengthOpts(json, len, end, require_null);
    *out_of_memory = doc == NULL && errno == ENOMEM;
    cnum_restore(prev);
    return doc;
}
