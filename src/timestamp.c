/* timestamp.c - ISO-8601 parsing without timegm/TZ: civil-date arithmetic on integers. */
#include "tierplan/timestamp.h"

#include <stdio.h>

#include "util.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil):
 * exact for every year, no table, no dependence on the process time zone. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Reads exactly n digits at *p; returns -1 when any is missing. */
static int digits(const char **p, const char *end, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= end || **p < '0' || **p > '9')
            return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    return v;
}

/* The parser proper: NULL, or why text is not a timestamp tierplan accepts. */
static const char *parse_iso(const char *text, size_t len, int64_t *out_epoch_s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = text, *end = text + len;
    int hh = 0, mi = 0, ss = 0, off_s = 0;

    int y = digits(&p, end, 4);
    if (y < 0 || p >= end || *p++ != '-')
        return "not YYYY-MM-DD";
    int mo = digits(&p, end, 2);
    if (mo < 1 || mo > 12 || p >= end || *p++ != '-')
        return "no month 01 to 12";
    int d = digits(&p, end, 2);
    int dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
    if (d < 1 || d > dim)
        return "no such day in that month";
    if (p < end && (*p == 'T' || *p == 't' || *p == ' ')) {
        p++;
        hh = digits(&p, end, 2);
        if (hh < 0 || hh > 23 || p >= end || *p++ != ':')
            return "no hour 00 to 23 followed by ':'";
        mi = digits(&p, end, 2);
        if (mi < 0 || mi > 59)
            return "no minute 00 to 59";
        if (p < end && *p == ':') {
            p++;
            ss = digits(&p, end, 2);
            if (ss < 0 || ss > 60) /* 60: a leap second, folded into the next minute */
                return "no second 00 to 60";
            if (p < end && (*p == '.' || *p == ',')) {
                p++;
                if (p >= end || *p < '0' || *p > '9')
                    return "no digits after the decimal point";
                while (p < end && *p >= '0' && *p <= '9')
                    p++; /* sub-second precision is below tierplan's minute resolution */
            }
        }
        if (p < end && (*p == 'Z' || *p == 'z')) {
            p++;
        } else if (p < end && (*p == '+' || *p == '-')) {
            int sign = *p++ == '-' ? -1 : 1;
            int oh = digits(&p, end, 2), om = 0;
            if (oh < 0 || oh > 23)
                return "no offset hour 00 to 23";
            int colon = p < end && *p == ':';
            p += colon;
            if (p < end || colon) { /* "+05:" promises minutes: they must follow */
                om = digits(&p, end, 2);
                if (om < 0 || om > 59)
                    return "no offset minute 00 to 59";
            }
            off_s = sign * (oh * 3600 + om * 60);
        }
    }
    if (p != end)
        return "unexpected text after the timestamp";
    const int64_t t = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - off_s;
    /* instants tierplan can write back: 9999-12-31T23:57-23:00 would export as year 10000 */
    if (t < 0 || t > TP_TIME_MAX_S)
        return "outside 1970-01-01T00:00Z .. 9999-12-31T23:59Z after its offset";
    *out_epoch_s = t;
    return NULL;
}

tp_status tp_time_parse(const char *text, size_t len, int64_t *out_epoch_s, tp_error *err)
{
    const char *why = parse_iso(text, len, out_epoch_s);
    if (why == NULL)
        return TP_OK;
    /* the text is untrusted: show at most 64 bytes of it */
    return tp_error_set(err, TP_ERR_PARSE, "\"%.*s\" is not an ISO 8601 timestamp: %s",
                        (int)(len < 64 ? len : 64), text, why);
}

char *tp_time_format(int64_t epoch_s, char buf[TP_TIME_BUF])
{
    int64_t days = util_floor_div(epoch_s, 86400);
    int64_t rem = epoch_s - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, TP_TIME_BUF, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    return buf;
}

int64_t util_month_start(int64_t epoch_s)
{
    int64_t y;
    int m, d;
    civil_from_days(util_floor_div(epoch_s, 86400), &y, &m, &d);
    return days_from_civil(y, m, 1) * 86400;
}

int64_t util_month_add(int64_t epoch_s, int months)
{
    int64_t y;
    int m, d;
    civil_from_days(util_floor_div(epoch_s, 86400), &y, &m, &d);
    /* months since year 0, stepped, then split back; floor division keeps negatives right */
    const int64_t idx = y * 12 + (m - 1) + months;
    return days_from_civil(util_floor_div(idx, 12), (int)(idx - util_floor_div(idx, 12) * 12) + 1,
                           1) * 86400;
}
