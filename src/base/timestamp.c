/* timestamp.c - ISO-8601 parsing without timegm/TZ: civil-date arithmetic on integers. */
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

#include <stdio.h>
#include <string.h>

#include "base/util.h"

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

tp_status tp_timestamp_parse(const char *text, size_t len, int64_t *out_epoch_s, tp_error *err)
{
    const char *why = parse_iso(text, len, out_epoch_s);
    if (why == NULL)
        return TP_OK;
    /* the text is untrusted: show at most 64 bytes of it */
    return tp_error_set(err, TP_ERR_PARSE, "\"%.*s\" is not an ISO 8601 timestamp: %s",
                        (int)(len < 64 ? len : 64), text, why);
}

char *tp_timestamp_format(int64_t epoch_s, char buf[TP_TIME_BUF])
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

/* ---- window bounds ---- */

/* epoch_s moved by months on the calendar, its day clamped to the target month's last and its
 * time of day kept. */
static int64_t month_shift(int64_t epoch_s, int64_t months)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int64_t days = util_floor_div(epoch_s, 86400), tod = epoch_s - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    const int64_t idx = y * 12 + (m - 1) + months;
    const int64_t ny = util_floor_div(idx, 12);
    const int nm = (int)(idx - ny * 12) + 1;
    const int dim = mdays[nm - 1] + (nm == 2 && is_leap(ny));
    return days_from_civil(ny, nm, d < dim ? d : dim) * 86400 + tod;
}

/* "-N" + unit: 0 and *out set, or -1. */
static int parse_relative(const char *t, tp_window_bound *out)
{
    static const struct {
        const char *name;
        tp_time_unit unit;
    } units[] = {{"h", TP_UNIT_HOUR}, {"d", TP_UNIT_DAY}, {"w", TP_UNIT_WEEK},
                 {"mo", TP_UNIT_MONTH}};
    if (*t++ != '-' || *t < '0' || *t > '9')
        return -1;
    int64_t n = 0;
    for (; *t >= '0' && *t <= '9'; t++)
        if ((n = n * 10 + (*t - '0')) > TP_WINDOW_MAX_AMOUNT)
            return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(t, units[i].name) == 0) {
            out->kind = TP_BOUND_BEFORE;
            out->amount = (int)n;
            out->unit = units[i].unit;
            return 0;
        }
    return -1;
}

tp_status tp_window_bound_parse(const char *text, int is_end, int64_t now_s,
                                tp_window_bound *out, tp_error *err)
{
    tp_window_bound b = {0};
    const size_t len = strlen(text);
    int64_t t = 0;
    if (strcmp(text, "today") == 0) {
        b.kind = TP_BOUND_AT;
        b.minute = util_floor_div(now_s, 86400) * 1440;
    } else if (text[0] == '-') {
        if (parse_relative(text, &b) != 0)
            goto bad;
    } else if (len == 7 && text[4] == '-') {
        /* YYYY-MM: parsed as its first day, so that the month is checked alike */
        char day[11];
        memcpy(day, text, 7);
        memcpy(day + 7, "-01", 4);
        if (parse_iso(day, 10, &t) != NULL)
            goto bad;
        b.kind = TP_BOUND_AT;
        b.minute = (is_end ? month_shift(t, 1) : t) / 60;
    } else if (parse_iso(text, len, &t) == NULL) {
        b.kind = TP_BOUND_AT;
        b.minute = t / 60; /* t >= 0: division rounds down */
    } else {
        goto bad;
    }
    *out = b;
    return TP_OK;
bad:
    return tp_error_set(err, TP_ERR_PARSE,
                        "\"%.*s\" is not a time: give an ISO 8601 timestamp, a month YYYY-MM, "
                        "today, or -N with h, d, w or mo (-14d, -3mo)",
                        (int)(len < 64 ? len : 64), text);
}

tp_status tp_window_bound_minute(const tp_window_bound *b, int64_t anchor_minute,
                                 int64_t *out_minute, tp_error *err)
{
    int64_t m;
    switch (b->kind) {
    case TP_BOUND_AT: *out_minute = b->minute; return TP_OK;
    case TP_BOUND_BEFORE: break;
    default: return tp_error_set(err, TP_ERR_USAGE, "window: the bound is not given");
    }
    switch (b->unit) {
    case TP_UNIT_HOUR: m = anchor_minute - (int64_t)b->amount * 60; break;
    case TP_UNIT_DAY: m = anchor_minute - (int64_t)b->amount * 1440; break;
    case TP_UNIT_WEEK: m = anchor_minute - (int64_t)b->amount * 10080; break;
    default: m = util_floor_div(month_shift(anchor_minute * 60, -(int64_t)b->amount), 60);
    }
    if (m < 0) {
        char buf[TP_WINDOW_BOUND_BUF], a[TP_TIME_BUF];
        return tp_error_set(err, TP_ERR_USAGE, "window: %s before %s is before 1970",
                            tp_window_bound_format(b, buf) + 1,
                            tp_timestamp_format(anchor_minute * 60, a));
    }
    *out_minute = m;
    return TP_OK;
}

int tp_window_spec_per_model(const tp_window_spec *w)
{
    return w != NULL && !w->has_now &&
           (w->from.kind == TP_BOUND_BEFORE || w->to.kind == TP_BOUND_BEFORE);
}

char *tp_window_bound_format(const tp_window_bound *b, char buf[TP_WINDOW_BOUND_BUF])
{
    static const char *const names[] = {"h", "d", "w", "mo"};
    if (b->kind == TP_BOUND_AT)
        return tp_timestamp_format(b->minute * 60, buf);
    if (b->kind == TP_BOUND_BEFORE)
        snprintf(buf, TP_WINDOW_BOUND_BUF, "-%d%s", b->amount,
                 names[b->unit <= TP_UNIT_MONTH ? b->unit : TP_UNIT_MONTH]);
    else
        buf[0] = '\0';
    return buf;
}
