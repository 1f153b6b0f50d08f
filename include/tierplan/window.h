/* window.h - windows of time: bounds as users give them ("-14d", "2026-10", "today") and
 * their resolution, half-open windows of minutes, month splits and windows files. */
#ifndef TIERPLAN_WINDOW_H
#define TIERPLAN_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/** A half-open window of Unix minutes [from_minute, to_minute). */
typedef struct tp_window {
    int64_t from_minute, to_minute;
} tp_window;

/** Largest windows file tp_window_load reads (1 MiB): a line per window, so far more than
 * any plan needs, and it bounds the memory a mistaken path can cost. */
#define TP_WINDOW_FILE_MAX_BYTES (1024 * 1024)

/**
 * Splits [from, to) at UTC calendar-month boundaries: the first window runs from `from` to
 * the next month's start, the last one from its month's start to `to`.
 * @param out receives n windows (NULL on failure); the caller frees the array with free()
 * @return TP_ERR_USAGE for an empty span; TP_ERR_NOMEM
 */
TP_API tp_status tp_window_split_months(int64_t from_minute, int64_t to_minute,
                                        tp_window **out, size_t *n, tp_error *err);
/**
 * Parses a windows file: one `from,to` pair of ISO 8601 timestamps per line (half-open,
 * UTC unless an offset is given), an optional `from,to` header, blank lines and `#` comments
 * ignored. Windows must be non-empty and must not overlap. Errors name `name:line`.
 * @param name the file's name, for messages
 * @param text the file's bytes (read only; need not be NUL-terminated)
 * @param out receives n windows sorted by start (NULL on failure); the caller frees the
 *        array with free()
 * @return TP_ERR_PARSE for a malformed line or no windows; TP_ERR_INVALID for a window that
 *         ends before it starts or windows that overlap; TP_ERR_NOMEM
 */
TP_API tp_status tp_window_parse(const char *name, const char *text, size_t len,
                                 tp_window **out, size_t *n, tp_error *err);
/**
 * Reads a windows file from path and parses it as tp_window_parse does.
 * @param out receives n windows sorted by start (NULL on failure); the caller frees the
 *        array with free()
 * @return TP_ERR_IO when the file cannot be read; TP_ERR_TOO_BIG, naming the file and the
 *         cap, when it is larger than TP_WINDOW_FILE_MAX_BYTES; else as tp_window_parse
 */
TP_API tp_status tp_window_load(const char *path, tp_window **out, size_t *n, tp_error *err);

#ifdef __cplusplus
}
#endif

#endif
