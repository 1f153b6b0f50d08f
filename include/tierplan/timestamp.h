/* timestamp.h - ISO-8601 timestamp parsing and formatting in UTC, independent of TZ and locale. */
#ifndef TIERPLAN_TIMESTAMP_H
#define TIERPLAN_TIMESTAMP_H

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The last instant tierplan accepts, 9999-12-31T23:59:59Z: every accepted instant formats
 * back to a four-digit year. The first is the Unix epoch, 1970-01-01T00:00:00Z. */
#define TP_TIME_MAX_S INT64_C(253402300799)

/**
 * Parses an ISO-8601 timestamp into seconds since the Unix epoch (UTC).
 *
 * Accepted: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS`, each optionally with
 * fractional seconds (`.123456`, truncated), a space instead of `T`, and a zone of `Z`,
 * `+HH:MM`, `-HH:MM`, `+HHMM` or `+HH`. A timestamp without zone is taken as UTC.
 *
 * @param text the timestamp; need not be NUL-terminated
 * @param len  number of bytes of text to parse (all must be consumed)
 * @param out_epoch_s receives whole seconds since 1970-01-01T00:00:00Z (unchanged on error)
 * @param err receives what is wrong (the text, up to 64 bytes of it, and the field); may be
 *        NULL when the caller words its own message
 * @return TP_OK, or TP_ERR_PARSE when the text is not such a timestamp, a field is out of
 *         range (month 13, 31 April, hour 24 ...), or the instant (after its offset) lies
 *         outside 1970-01-01T00:00Z .. TP_TIME_MAX_S
 */
TP_API tp_status tp_timestamp_parse(const char *text, size_t len, int64_t *out_epoch_s,
                                    tp_error *err);

/** Buffer size for tp_timestamp_format: "YYYY-MM-DDTHH:MM:SSZ" plus NUL, with room for large years.
 */
#define TP_TIME_BUF 32

/** Formats epoch seconds as `YYYY-MM-DDTHH:MM:SSZ` into the caller's buf (TP_TIME_BUF bytes);
 * returns buf. Nothing is allocated. */
TP_API char *tp_timestamp_format(int64_t epoch_s, char buf[TP_TIME_BUF]);

/** How a window bound is given (tp_window_bound). */
typedef enum tp_bound_kind {
    TP_BOUND_NONE = 0, /**< not given: the data's own end */
    TP_BOUND_AT,       /**< a fixed minute (a timestamp, a date, a month, `today`) */
    TP_BOUND_BEFORE    /**< `amount` units before the anchor (`-14d`) */
} tp_bound_kind;

/** The units of a relative bound: `h`, `d`, `w` (7 days) and `mo` (calendar months). */
typedef enum tp_time_unit { TP_UNIT_HOUR, TP_UNIT_DAY, TP_UNIT_WEEK, TP_UNIT_MONTH } tp_time_unit;

/** One end of a window as the user wrote it. A plain value. */
typedef struct tp_window_bound {
    tp_bound_kind kind;
    int64_t minute;    /**< TP_BOUND_AT: the minute (Unix seconds / 60) */
    int amount;        /**< TP_BOUND_BEFORE: units before the anchor, 0 to TP_WINDOW_MAX_AMOUNT */
    tp_time_unit unit; /**< TP_BOUND_BEFORE: the unit */
} tp_window_bound;

/** Largest amount of a relative bound (`-100000d`): any more reaches before 1970. */
#define TP_WINDOW_MAX_AMOUNT 1000000

/**
 * A window whose relative bounds move with the data (docs/user-guide.md, "Windows"). Relative
 * bounds count back from the anchor: now_minute when has_now, else the end of each model's
 * own data (its newest minute + 1, or the end of its newest coarser period), so `-14d` is
 * every model's latest 14 days however far its exports lag.
 */
typedef struct tp_window_spec {
    tp_window_bound from, to;
    int has_now;        /**< anchor relative bounds at now_minute instead of the data's end */
    int64_t now_minute;
} tp_window_spec;

/**
 * Parses a window bound: an ISO 8601 timestamp (as tp_timestamp_parse, rounded down to its minute);
 * a month `YYYY-MM` (its first minute as a start; as an end, the first minute of the next
 * month, so that `--to 2026-10` takes in October); `today` (00:00 UTC of the day now_s falls
 * in); or a relative form `-N` + unit `h`, `d`, `w` or `mo` (`-14d`, `-3mo`, N from 0 to
 * TP_WINDOW_MAX_AMOUNT).
 * @param text NUL-terminated, borrowed
 * @param is_end nonzero for the end of a window (a month then means its end)
 * @param now_s the current time (Unix seconds), for `today`
 * @param out receives the bound (unchanged on error)
 * @return TP_OK, or TP_ERR_PARSE naming the text and the forms accepted
 */
TP_API tp_status tp_window_bound_parse(const char *text, int is_end, int64_t now_s,
                                       tp_window_bound *out, tp_error *err);

/**
 * The minute a bound stands for: b->minute for TP_BOUND_AT, anchor_minute less the amount for
 * TP_BOUND_BEFORE (months step back on the calendar, the day kept or clamped to the month's
 * last: 31 May - 3mo = 28 Feb or 29 Feb).
 * @return TP_OK; TP_ERR_USAGE for TP_BOUND_NONE or a minute before 1970
 */
TP_API tp_status tp_window_bound_minute(const tp_window_bound *b, int64_t anchor_minute,
                                        int64_t *out_minute, tp_error *err);

/** Nonzero when either bound of w is relative (TP_BOUND_BEFORE) and w has no now: then each
 * model's window depends on its own data. */
TP_API int tp_window_spec_per_model(const tp_window_spec *w);

/** Buffer size for tp_window_bound_format. */
#define TP_WINDOW_BOUND_BUF 32

/** Writes a bound as a user would give it: "-14d", "-3mo", a timestamp "YYYY-MM-DDTHH:MM:SSZ"
 * for TP_BOUND_AT, or "" for TP_BOUND_NONE; returns buf. */
TP_API char *tp_window_bound_format(const tp_window_bound *b, char buf[TP_WINDOW_BOUND_BUF]);

#ifdef __cplusplus
}
#endif
#endif
