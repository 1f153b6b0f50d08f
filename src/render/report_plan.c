/* report_plan.c - seasonal plans and backtests as text, JSON or CSV. */
#include "tierplan/report.h"

#include <math.h>
#include <stdio.h>

#include "base/cnum.h"
#include "render/report_internal.h"
#include "render/report_check.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

/* "YYYY-MM-DD HH:MM" of a Unix minute: a window can start or end at any minute, so the time
 * of day is part of it (a backtest split at noon must not read as a whole day). */
static void window_bound(char buf[TP_TIME_BUF], int64_t minute)
{
    char iso[TP_TIME_BUF];
    tp_timestamp_format(minute * 60, iso);
    snprintf(buf, TP_TIME_BUF, "%.10s %.5s", iso, iso + 11);
}

/* One text line for a candidate: reservation and costs; 16 + 36 + 11 + 11 + 13 + 8 columns and
 * five separators make 100. */
static void candidate_line(strbuf *b, const char *label, const tp_window *w,
                           const tp_candidate *c)
{
    char from[TP_TIME_BUF], to[TP_TIME_BUF], span[2 * TP_TIME_BUF + 8], a[64], x[64], y[64],
        z[64];
    /* reservations are grid points, whole TPM: no decimal, so that 8 digits fit the column */
    report_count(a, sizeof a, c->input_tpm);
    report_count(x, sizeof x, c->output_tpm);
    report_usd(y, sizeof y, c->sim.total_usd);
    report_pct(z, sizeof z, c->sim.savings_pct);
    span[0] = '\0';
    if (w != NULL) {
        window_bound(from, w->from_minute);
        window_bound(to, w->to_minute);
        snprintf(span, sizeof span, "%s .. %s", from, to);
    }
    sb_printf(b, "%-16s %-36s %10s %10s %13s %9s\n", label, span, a, x, y, z);
}

/* The header line of candidate_line's table. */
static void candidate_header(strbuf *b, const char *label)
{
    sb_printf(b, "%-16s %-36s %10s %10s %13s %9s\n", label, "window", "input TPM", "output TPM",
              "total", "savings");
}

/* The opening of a seasonal plan's or a backtest's JSON: what was planned, and under what. */
static cJSON *plan_header_json(const char *model, const tp_rec_options *o)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON_AddStringToObject(root, "model", model);
    cJSON_AddNumberToObject(root, "term_months", tp_recommend_term_months(o));
    cJSON_AddStringToObject(root, "spill_model", tp_simulate_spill_model_name(o->spill_model));
    cJSON_AddStringToObject(root, "spill_to", tp_simulate_spill_to_name(o->spill_to));
    return root;
}

/* "service_level": the bounds tp_recommend_run enforces under o (null for none), k_thr the
 * throttled minutes allowed (the plan's, a quota's or --spill-to none's default of no
 * throttled minute included); with r the achieved values. */
static void add_service_level(cJSON *root, const tp_rec_options *o, double k_thr,
                              const tp_sim_result *r)
{
    if (!o->has_max_spill_minutes_pct && !(k_thr < INFINITY)) {
        cJSON_AddNullToObject(root, "service_level");
        return;
    }
    cJSON *sl = cJSON_AddObjectToObject(root, "service_level");
    report_json_num_or_null(sl, "max_spill_minutes_pct",
                    o->has_max_spill_minutes_pct ? o->max_spill_minutes_pct : NAN);
    report_json_num_or_null(sl, "max_throttled_minutes", k_thr < INFINITY ? k_thr : NAN);
    if (r != NULL) {
        cJSON_AddNumberToObject(sl, "spill_minutes_pct", r->spill_minutes_pct);
        cJSON_AddNumberToObject(sl, "throttled_minutes", (double)r->throttled_minutes);
    }
}

/* The service level in words: "at most 2% of minutes spilling", "at most 0 throttled minutes". */
static void service_level_words(char *buf, size_t size, const tp_rec_options *o, double k_thr)
{
    char x[40];
    cnum_format(x, sizeof x, o->max_spill_minutes_pct);
    if (o->has_max_spill_minutes_pct && k_thr < INFINITY)
        snprintf(buf, size, "at most %s%% of minutes spilling and %.0f throttled minutes", x,
                 k_thr);
    else if (o->has_max_spill_minutes_pct)
        snprintf(buf, size, "at most %s%% of minutes spilling", x);
    else
        snprintf(buf, size, "at most %.0f throttled minutes", k_thr);
}

/* Said wherever a quota sets the throttled-minutes bound by default. */
static const char *quota_default_note =
    "with --quota-tpm, --max-throttled-minutes is 0 unless given: no plan may drop traffic the "
    "quota cannot take, in any window, unless you allow it";

static int quota_default(const tp_rec_options *o)
{
    return o->quota_tpm > 0 && !o->has_max_throttled_minutes;
}

static const char *seasonal_sl_note =
    "service level: both plans meet it in every window, the flat reservation too (it is checked "
    "window by window), so the seasonal total is never above the flat one unless a window is "
    "shorter than the term or windows leave gaps";
static const char *seasonal_gap_note =
    "gaps between windows: the seasonal plan reserves nothing there, so their demand is priced "
    "at on-demand Standard; the flat reservation covers them, and both totals cover the same "
    "span";
static const char *seasonal_term_note =
    "a window shorter than the commitment term pays the whole term (term months x 730 hours) "
    "and is sized for that charge; the part beyond the window's own share of its month (730 "
    "hours a calendar month) is unused commitment, included in its total and not carried into "
    "the next window";

/* "whole_term", "billed_hours" and "unused_commitment_usd" of a plan's window or flat. */
static void add_commitment(cJSON *o, int whole_term, double billed_hours, double unused_usd)
{
    cJSON_AddBoolToObject(o, "whole_term", whole_term);
    cJSON_AddNumberToObject(o, "billed_hours", billed_hours);
    cJSON_AddNumberToObject(o, "unused_commitment_usd", unused_usd);
}

static int seasonal_whole_term(const tp_seasonal *s)
{
    int any = s->flat_whole_term;
    for (size_t i = 0; i < s->n; i++)
        any |= s->windows[i].whole_term;
    return any;
}

cJSON *report_json_seasonal(const char *model, const tp_pricing *pricing,
                            const tp_model_price *price, const tp_rec_options *o,
                            const tp_seasonal *s)
{
    cJSON *root = plan_header_json(model, o);
    if (root == NULL)
        return NULL;
    add_service_level(root, o, s->max_throttled_minutes, NULL);
    cJSON *ws = cJSON_AddArrayToObject(root, "windows");
    for (size_t i = 0; i < s->n; i++) {
        const tp_window_plan *wp = &s->windows[i];
        cJSON *w = cJSON_CreateObject();
        report_json_window(w, &wp->window);
        report_json_put(w, "recommended", report_json_candidate(&wp->recommended));
        cJSON_AddStringToObject(w, "reason", wp->reason);
        add_commitment(w, wp->whole_term, wp->billed_hours, wp->unused_commitment_usd);
        report_json_push(ws, w);
    }
    cJSON *gs = cJSON_AddArrayToObject(root, "gaps");
    for (size_t i = 0; i < s->n_gaps; i++) {
        cJSON *g = cJSON_CreateObject();
        report_json_window(g, &s->gaps[i].window);
        report_json_put(g, "on_demand", report_json_candidate(&s->gaps[i].on_demand));
        report_json_push(gs, g);
    }
    cJSON *flat = cJSON_AddObjectToObject(root, "flat");
    report_json_window(flat, &s->span);
    report_json_put(flat, "recommended", report_json_candidate(&s->flat));
    add_commitment(flat, s->flat_whole_term, s->flat_billed_hours,
                   s->flat_unused_commitment_usd);
    cJSON_AddNumberToObject(root, "seasonal_total_usd", s->seasonal_total_usd);
    cJSON_AddNumberToObject(root, "flat_total_usd", s->flat_total_usd);
    cJSON_AddNumberToObject(root, "seasonal_savings_usd", s->seasonal_savings_usd);
    cJSON_AddNumberToObject(root, "gap_on_demand_usd", s->gap_total_usd);
    cJSON_AddNumberToObject(root, "unused_commitment_usd", s->unused_commitment_usd);
    report_json_pricing(root, pricing, price);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (s->service_level)
        report_json_push(notes, cJSON_CreateString(seasonal_sl_note));
    if (quota_default(o))
        report_json_push(notes, cJSON_CreateString(quota_default_note));
    if (s->n_gaps > 0)
        report_json_push(notes, cJSON_CreateString(seasonal_gap_note));
    if (seasonal_whole_term(s))
        report_json_push(notes, cJSON_CreateString(seasonal_term_note));
    if (price->example_reserved)
        report_json_push(notes, cJSON_CreateString(report_example_note));
    return root;
}

static tp_status seasonal_json(const char *model, const tp_pricing *pricing,
                               const tp_model_price *price, const tp_rec_options *o,
                               const tp_seasonal *s, char **out, tp_error *err)
{
    report_json_start();
    cJSON *root = report_json_seasonal(model, pricing, price, o, s);
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return report_print_json(root, out, err);
}

/* One CSV row of a seasonal plan. */
static void seasonal_csv_row(strbuf *b, const char *model, const char *plan, const tp_window *w,
                             const tp_candidate *c, double unused_usd)
{
    char from[TP_TIME_BUF], to[TP_TIME_BUF];
    enc_csv(b, model);
    report_csv_word(b, plan);
    report_csv_word(b, tp_timestamp_format(w->from_minute * 60, from));
    report_csv_word(b, tp_timestamp_format(w->to_minute * 60, to));
    render_csv_num(b, c->input_tpm);
    render_csv_num(b, c->output_tpm);
    render_csv_num(b, c->sim.total_usd);
    render_csv_num(b, c->sim.savings_pct);
    render_csv_num(b, unused_usd);
    sb_puts(b, "\n");
}

/* The rows in time order: each window, then the gap after it; the flat plan last. */
static tp_status seasonal_csv(const char *model, const tp_seasonal *s, char **out,
                              tp_error *err)
{
    strbuf b = {0};
    size_t g = 0;
    sb_puts(&b, "model,plan,from,to,input_tpm,output_tpm,total_usd,savings_pct,"
                "unused_commitment_usd\n");
    for (size_t i = 0; i < s->n; i++) {
        const tp_window_plan *w = &s->windows[i];
        seasonal_csv_row(&b, model, "window", &w->window, &w->recommended,
                         w->unused_commitment_usd);
        for (; g < s->n_gaps && s->gaps[g].window.from_minute == w->window.to_minute; g++)
            seasonal_csv_row(&b, model, "gap", &s->gaps[g].window, &s->gaps[g].on_demand, 0);
    }
    seasonal_csv_row(&b, model, "flat", &s->span, &s->flat, s->flat_unused_commitment_usd);
    return sb_finish(&b, out, err);
}

/* "window A .. B: shorter than the term, billed N h; $X of it unused" for a whole-term plan. */
static void unused_line(strbuf *b, const char *what, const tp_window *w, double billed_hours,
                        double unused_usd, int months)
{
    char from[TP_TIME_BUF], to[TP_TIME_BUF], u[64], line[400];
    window_bound(from, w->from_minute);
    window_bound(to, w->to_minute);
    report_usd(u, sizeof u, unused_usd);
    snprintf(line, sizeof line,
             "%s %s .. %s is shorter than the %d-month term: billed %.0f hours, %s of it "
             "unused commitment (in its total, not carried into the next window)",
             what, from, to, months, billed_hours, u);
    render_wrapped(b, "", line);
}

static tp_status seasonal_text(const char *model, const tp_model_price *price,
                               const tp_rec_options *o, const tp_seasonal *s, char **out,
                               tp_error *err)
{
    strbuf b = {0};
    char a[64], c[64], sl[160];
    size_t g = 0;
    const int months = tp_recommend_term_months(o);
    char head[400];
    /* a long model id must not push the line past 100 columns */
    snprintf(head, sizeof head, "%s: a reservation per window vs one flat reservation (term %d "
             "month%s)", model, months, months > 1 ? "s" : "");
    render_wrapped(&b, "model ", head);
    sb_puts(&b, "\n");
    candidate_header(&b, "plan");
    for (size_t i = 0; i < s->n; i++) {
        candidate_line(&b, "window", &s->windows[i].window, &s->windows[i].recommended);
        for (; g < s->n_gaps && s->gaps[g].window.from_minute == s->windows[i].window.to_minute;
             g++)
            candidate_line(&b, "gap (on-demand)", &s->gaps[g].window, &s->gaps[g].on_demand);
    }
    candidate_line(&b, "flat", &s->span, &s->flat);
    report_usd(a, sizeof a, s->seasonal_total_usd);
    report_usd(c, sizeof c, s->flat_total_usd);
    sb_printf(&b, "\nseasonal total %s, flat total %s: ", a, c);
    const double saves = s->seasonal_savings_usd;
    report_usd(a, sizeof a, fabs(saves));
    if (fabs(saves) < 0.005) /* the same to the cent: neither "saves $0.00" nor "costs more" */
        sb_puts(&b, "the same\n");
    else
        sb_printf(&b, saves > 0 ? "seasonal saves %s\n" : "seasonal costs %s more\n", a);
    if (s->n_gaps > 0) {
        report_usd(a, sizeof a, s->gap_total_usd);
        sb_printf(&b, "the seasonal total includes %s of gaps at on-demand Standard\n", a);
    }
    /* a window that reserves nothing pays no term */
    for (size_t i = 0; i < s->n; i++)
        if (s->windows[i].whole_term && s->windows[i].recommended.sim.reserved_usd > 0)
            unused_line(&b, "window", &s->windows[i].window, s->windows[i].billed_hours,
                        s->windows[i].unused_commitment_usd, months);
    if (s->flat_whole_term && s->flat.sim.reserved_usd > 0)
        unused_line(&b, "the flat span", &s->span, s->flat_billed_hours,
                    s->flat_unused_commitment_usd, months);
    if (s->service_level) {
        service_level_words(sl, sizeof sl, o, s->max_throttled_minutes);
        char line[240];
        snprintf(line, sizeof line, "%s in every window, for both plans", sl);
        render_wrapped(&b, "service level: ", line);
        render_wrapped(&b, "note: ", seasonal_sl_note);
    }
    if (quota_default(o))
        render_wrapped(&b, "note: ", quota_default_note);
    if (s->n_gaps > 0)
        render_wrapped(&b, "note: ", seasonal_gap_note);
    if (seasonal_whole_term(s))
        render_wrapped(&b, "note: ", seasonal_term_note);
    if (price->example_reserved)
        render_wrapped(&b, "note: ", report_example_note);
    return sb_finish(&b, out, err);
}

tp_status tp_report_seasonal(const char *model, const tp_pricing *pricing,
                             const tp_model_price *price, const tp_rec_options *o,
                             const tp_seasonal *s, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = report_check_seasonal(s, err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_TEXT: return seasonal_text(model, price, o, s, out, err);
    case TP_FORMAT_JSON: return seasonal_json(model, pricing, price, o, s, out, err);
    case TP_FORMAT_CSV: return seasonal_csv(model, s, out, err);
    case TP_FORMAT_MARKDOWN: /* fleet reports only */
    case TP_FORMAT_HTML: break;
    }
    return report_unknown_format(fmt, err);
}

/* Why regret is undefined, when it is: what the trained reservation did on the test window
 * against each bound it misses ("" when it meets them). */
static void regret_undefined_reason(char *buf, size_t size, const tp_rec_options *o,
                                    const tp_backtest *bt)
{
    const tp_sim_result *r = &bt->trained_on_test.sim;
    const double k_spill = bt->max_spill_minutes, k_thr = bt->max_throttled_minutes;
    char a[NUMFMT_BUF], b[NUMFMT_BUF], c[NUMFMT_BUF];
    size_t used = 0;
    buf[0] = '\0';
    if ((double)r->spill_minutes > k_spill) {
        numfmt_count(a, (double)r->spill_minutes);
        numfmt_count(b, (double)r->minutes);
        numfmt_count(c, k_spill);
        used += (size_t)snprintf(buf, size, "it spills in %s of %s test minutes, at most %s "
                                            "allowed", a, b, c);
    }
    if ((double)r->throttled_minutes > k_thr && used < size) {
        numfmt_count(a, (double)r->throttled_minutes);
        numfmt_count(c, k_thr);
        snprintf(buf + used, size - used, "%sit throttles %s minutes, at most %s allowed%s",
                 used > 0 ? "; " : "", a, c,
                 quota_default(o) ? ", the quota's default without --max-throttled-minutes"
                                  : "");
    }
}

/* "the trained reservation misses the service level on the test window (<reason>), ..." */
static void regret_undefined_text(char *buf, size_t size, const tp_rec_options *o,
                                  const tp_backtest *bt)
{
    char why[256];
    regret_undefined_reason(why, sizeof why, o, bt);
    snprintf(buf, size, "the trained reservation misses the service level on the test window "
                        "(%s), while the hindsight plan meets it, so their costs do not compare",
             why);
}

cJSON *report_json_backtest(const char *model, const tp_pricing *pricing,
                            const tp_model_price *price, const tp_rec_options *o,
                            const tp_backtest *bt)
{
    cJSON *root = plan_header_json(model, o);
    if (root == NULL)
        return NULL;
    cJSON *train = cJSON_AddObjectToObject(root, "train");
    report_json_window(train, &bt->train);
    report_json_put(train, "recommended", report_json_candidate(&bt->trained));
    cJSON *test = cJSON_AddObjectToObject(root, "test");
    report_json_window(test, &bt->test);
    report_json_put(test, "trained_reservation", report_json_candidate(&bt->trained_on_test));
    report_json_put(test, "hindsight_optimal", report_json_candidate(&bt->hindsight));
    report_json_put(test, "on_demand", report_json_candidate(&bt->on_demand_test));
    add_service_level(root, o, bt->max_throttled_minutes, &bt->trained_on_test.sim);
    cJSON_AddBoolToObject(root, "service_level_met", bt->service_level_met);
    report_json_num_or_null(root, "regret_usd", bt->regret_usd);
    char why[256], text[512], note[560];
    regret_undefined_reason(why, sizeof why, o, bt);
    if (isnan(bt->regret_usd))
        cJSON_AddStringToObject(root, "regret_undefined_reason", why);
    else
        cJSON_AddNullToObject(root, "regret_undefined_reason");
    report_json_pricing(root, pricing, price);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (isnan(bt->regret_usd)) {
        regret_undefined_text(text, sizeof text, o, bt);
        snprintf(note, sizeof note, "regret is undefined: %s", text);
        report_json_push(notes, cJSON_CreateString(note));
    }
    if (quota_default(o))
        report_json_push(notes, cJSON_CreateString(quota_default_note));
    if (price->example_reserved)
        report_json_push(notes, cJSON_CreateString(report_example_note));
    return root;
}

static tp_status backtest_json(const char *model, const tp_pricing *pricing,
                               const tp_model_price *price, const tp_rec_options *o,
                               const tp_backtest *bt, char **out, tp_error *err)
{
    report_json_start();
    cJSON *root = report_json_backtest(model, pricing, price, o, bt);
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return report_print_json(root, out, err);
}

static tp_status backtest_csv(const char *model, const tp_backtest *bt, char **out,
                              tp_error *err)
{
    strbuf b = {0};
    const struct {
        const char *name;
        const tp_window *w;
        const tp_candidate *c;
    } rows[] = {{"trained_on_train", &bt->train, &bt->trained},
                {"trained_on_test", &bt->test, &bt->trained_on_test},
                {"hindsight_on_test", &bt->test, &bt->hindsight},
                {"on_demand_on_test", &bt->test, &bt->on_demand_test}};
    sb_puts(&b, "model,row,from,to,input_tpm,output_tpm,total_usd,spill_minutes_pct\n");
    for (size_t i = 0; i < 4; i++) {
        char from[TP_TIME_BUF], to[TP_TIME_BUF];
        enc_csv(&b, model);
        report_csv_word(&b, rows[i].name);
        report_csv_word(&b, tp_timestamp_format(rows[i].w->from_minute * 60, from));
        report_csv_word(&b, tp_timestamp_format(rows[i].w->to_minute * 60, to));
        render_csv_num(&b, rows[i].c->input_tpm);
        render_csv_num(&b, rows[i].c->output_tpm);
        render_csv_num(&b, rows[i].c->sim.total_usd);
        render_csv_num(&b, rows[i].c->sim.spill_minutes_pct);
        sb_puts(&b, "\n");
    }
    return sb_finish(&b, out, err);
}

static tp_status backtest_text(const char *model, const tp_model_price *price,
                               const tp_rec_options *o, const tp_backtest *bt, char **out,
                               tp_error *err)
{
    strbuf b = {0};
    char a[64], c[64], sl[160];
    const tp_sim_result *r = &bt->trained_on_test.sim;
    char head[400];
    snprintf(head, sizeof head, "%s: sized on the training window, replayed on the test window",
             model);
    render_wrapped(&b, "model ", head);
    sb_puts(&b, "\n");
    candidate_header(&b, "");
    candidate_line(&b, "trained (train)", &bt->train, &bt->trained);
    candidate_line(&b, "trained (test)", &bt->test, &bt->trained_on_test);
    candidate_line(&b, "hindsight (test)", &bt->test, &bt->hindsight);
    candidate_line(&b, "on-demand (test)", &bt->test, &bt->on_demand_test);
    report_pct(c, sizeof c, r->spill_minutes_pct);
    if (bt->has_service_level) {
        service_level_words(sl, sizeof sl, o, bt->max_throttled_minutes);
        sb_printf(&b, "\nservice level (%s) on the test window: %s\n", sl,
                  bt->service_level_met ? "met" : "NOT met");
        sb_printf(&b, "the trained reservation spilled in %s of test minutes, %zu throttled\n",
                  c, r->throttled_minutes);
    }
    if (isnan(bt->regret_usd)) {
        char why[512], line[560];
        regret_undefined_text(why, sizeof why, o, bt);
        snprintf(line, sizeof line, "undefined: %s", why);
        sb_puts(&b, "\n");
        render_wrapped(&b, "regret: ", line);
    } else if (bt->has_service_level) {
        report_usd(a, sizeof a, bt->regret_usd);
        sb_printf(&b, "\nregret: %s over the test window (trained minus hindsight)\n", a);
    } else {
        report_usd(a, sizeof a, bt->regret_usd);
        sb_printf(&b, "\nregret: %s over the test window (trained minus hindsight); the trained "
                      "reservation\nspilled in %s of test minutes\n",
                  a, c);
    }
    if (quota_default(o))
        render_wrapped(&b, "note: ", quota_default_note);
    if (price->example_reserved)
        render_wrapped(&b, "note: ", report_example_note);
    return sb_finish(&b, out, err);
}

tp_status tp_report_backtest(const char *model, const tp_pricing *pricing,
                             const tp_model_price *price, const tp_rec_options *o,
                             const tp_backtest *bt, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = report_check_backtest(bt, err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_TEXT: return backtest_text(model, price, o, bt, out, err);
    case TP_FORMAT_JSON: return backtest_json(model, pricing, price, o, bt, out, err);
    case TP_FORMAT_CSV: return backtest_csv(model, bt, out, err);
    case TP_FORMAT_MARKDOWN: /* fleet reports only */
    case TP_FORMAT_HTML: break;
    }
    return report_unknown_format(fmt, err);
}
