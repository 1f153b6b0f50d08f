/* chart.c - what every SVG chart shares: escaping, label placement that never overlaps, nice
 * axis scales, axes, legends, the frame (title, hatch patterns, caption) and downsampling. */
#include "render/chart_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "render/render.h"

void chart_layout_free(chart_layout *layout)
{
    if (layout == NULL)
        return;
    free(layout->box);
    layout->box = NULL;
    layout->n = layout->cap = 0;
}

int chart_boxes_overlap(const chart_box *a, const chart_box *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Length of the valid UTF-8 sequence at s that XML 1.0 allows, or 0. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned long cp;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        cp = s[0] & 0x1Fu;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) { /* stops at the NUL: it is no continuation byte */
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

void chart_escape(strbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    char buf[256];
    size_t o = 0;
    while (*p != '\0') {
        const char *rep = NULL;
        size_t n = 1;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if (*p < 0x20)
                rep = "?"; /* XML forbids most controls; a newline would break the one line */
            else if (*p >= 0x80 && (n = utf8_len(p)) == 0) {
                rep = "?";
                n = 1;
            }
        }
        if (o + 8 >= sizeof buf) {
            buf[o] = '\0';
            sb_puts(b, buf);
            o = 0;
        }
        size_t k = rep != NULL ? strlen(rep) : n;
        memcpy(buf + o, rep != NULL ? rep : (const char *)p, k);
        o += k;
        p += n;
    }
    buf[o] = '\0';
    sb_puts(b, buf);
}

size_t chart_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static int record(chart_cx *c, chart_box bx)
{
    chart_layout *l = c->lay;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 32;
        chart_box *nb = realloc(l->box, ncap * sizeof *nb);
        if (nb == NULL) {
            c->nomem = 1;
            return -1;
        }
        l->box = nb;
        l->cap = ncap;
    }
    l->box[l->n++] = bx;
    return 0;
}

static int free_spot(const chart_cx *c, const chart_box *bx)
{
    /* a little air: labels that merely touch read as one word ("P70P98") */
    chart_box padded = {bx->x - 3, bx->y - 1, bx->w + 6, bx->h + 2};
    if (bx->y < 0 || bx->y + bx->h > c->h)
        return 0;
    for (size_t i = 0; i < c->lay->n; i++)
        if (chart_boxes_overlap(&c->lay->box[i], &padded))
            return 0;
    return 1;
}

static int place(chart_cx *c, double x, double y, int anchor, double size, const char *text,
                 const char *tooltip, const char *attrs, double dy, int tries)
{
    static const char *const anchors[] = {"start", "middle", "end"};
    double w = (double)chart_chars(text) * size * 0.6;
    double x0 = anchor == ANCHOR_START ? x : anchor == ANCHOR_MIDDLE ? x - w / 2 : x - w;
    double shift = x0 < 1 ? 1 - x0 : x0 + w > CHART_WIDTH - 1 ? CHART_WIDTH - 1 - x0 - w : 0;
    for (int t = 0; t <= tries; t++) {
        /* the box spans the font size: 0.8 above the baseline, 0.2 below for descenders */
        chart_box bx = {x0 + shift, y + t * dy - 0.8 * size, w, size};
        if (!free_spot(c, &bx))
            continue;
        if (record(c, bx) != 0)
            return 0;
        sb_printf(c->b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\"", x + shift, y + t * dy,
                  size);
        if (anchor != ANCHOR_START)
            sb_printf(c->b, " text-anchor=\"%s\"", anchors[anchor]);
        if (attrs != NULL)
            sb_printf(c->b, " %s", attrs);
        sb_puts(c->b, ">");
        if (tooltip != NULL) {
            sb_puts(c->b, "<title>");
            chart_escape(c->b, tooltip);
            sb_puts(c->b, "</title>");
        }
        chart_escape(c->b, text);
        sb_puts(c->b, "</text>\n");
        return 1;
    }
    return 0;
}

int cx_text(chart_cx *c, double x, double y, int anchor, double size, const char *text,
            const char *attrs, double dy, int tries)
{
    return place(c, x, y, anchor, size, text != NULL ? text : "", NULL, attrs, dy, tries);
}

/* Characters that end a line well when an id wraps: after them the id reads on
 * ("us.anthropic.claude-sonnet-4-5-" / "20250929-v1:0"). */
static int good_break(char ch)
{
    return ch != '\0' && strchr(".-:/_ @", ch) != NULL;
}

size_t chart_wrap_next(const char *s, size_t max_chars)
{
    size_t chars = 0, i = 0, brk = 0;
    if (max_chars < 1)
        max_chars = 1;
    while (s[i] != '\0') {
        if (chars == max_chars)
            break; /* the line is full and more follows */
        size_t j = i + 1;
        while (s[j] != '\0' && ((unsigned char)s[j] & 0xC0) == 0x80)
            j++; /* never inside a UTF-8 sequence */
        chars++;
        if (good_break(s[i]) && 2 * chars >= max_chars)
            brk = j; /* a break in the line's second half: short lines are no better */
        i = j;
    }
    return s[i] == '\0' || brk == 0 ? i : brk;
}

size_t chart_wrap_lines(const char *s, size_t max_chars)
{
    size_t n = 1;
    if (s == NULL)
        return 1;
    for (size_t i = chart_wrap_next(s, max_chars); s[i] != '\0';
         i += chart_wrap_next(s + i, max_chars))
        n++;
    return n;
}

size_t chart_wrap_width(const char *s, size_t max_chars)
{
    size_t widest = 0;
    if (s == NULL)
        return 0;
    for (size_t i = 0;;) {
        size_t len = chart_wrap_next(s + i, max_chars), chars = 0;
        for (size_t j = 0; j < len; j++)
            chars += ((unsigned char)s[i + j] & 0xC0) != 0x80;
        widest = chars > widest ? chars : widest;
        i += len;
        if (s[i] == '\0')
            return widest;
    }
}

/* Copies line k's bytes (len) into line and returns its box for a label anchored at x. */
static chart_box line_box(char *line, const char *src, size_t len, double x, double y,
                          int anchor, double size, double shift)
{
    memcpy(line, src, len);
    line[len] = '\0';
    double w = (double)chart_chars(line) * size * 0.6;
    double x0 = anchor == ANCHOR_START ? x : anchor == ANCHOR_MIDDLE ? x - w / 2 : x - w;
    chart_box bx = {x0 + shift, y - 0.8 * size, w, size};
    return bx;
}

size_t cx_text_wrap(chart_cx *c, double x, double y, int anchor, double size, const char *text,
                    size_t max_chars, double line_h, const char *attrs)
{
    static const char *const anchors[] = {"start", "middle", "end"};
    if (text == NULL)
        text = "";
    size_t n = chart_wrap_lines(text, max_chars);
    if (n == 1)
        return (size_t)place(c, x, y, anchor, size, text, NULL, attrs, 0, 0);
    char *line = malloc(strlen(text) + 1);
    if (line == NULL) {
        c->nomem = 1;
        return 0;
    }
    /* one shift for every line, from the widest, so that the lines stay aligned */
    double w = (double)chart_wrap_width(text, max_chars) * size * 0.6;
    double x0 = anchor == ANCHOR_START ? x : anchor == ANCHOR_MIDDLE ? x - w / 2 : x - w;
    double shift = x0 < 1 ? 1 - x0 : x0 + w > CHART_WIDTH - 1 ? CHART_WIDTH - 1 - x0 - w : 0;
    size_t placed = 0;
    for (size_t i = 0, k = 0; k < n; k++) {
        size_t len = chart_wrap_next(text + i, max_chars);
        chart_box bx = line_box(line, text + i, len, x, y + (double)k * line_h, anchor, size,
                                shift);
        if (!free_spot(c, &bx))
            goto cleanup; /* dropped whole, never in part */
        i += len;
    }
    sb_printf(c->b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\"", x + shift, y, size);
    if (anchor != ANCHOR_START)
        sb_printf(c->b, " text-anchor=\"%s\"", anchors[anchor]);
    if (attrs != NULL)
        sb_printf(c->b, " %s", attrs);
    /* the whole string once more, as one: a tooltip, and what a reader copies or searches */
    sb_puts(c->b, "><title>");
    chart_escape(c->b, text);
    sb_puts(c->b, "</title>");
    for (size_t i = 0, k = 0; k < n; k++) {
        size_t len = chart_wrap_next(text + i, max_chars);
        double yk = y + (double)k * line_h;
        if (record(c, line_box(line, text + i, len, x, yk, anchor, size, shift)) != 0)
            break;
        sb_printf(c->b, "<tspan x=\"%.1f\" y=\"%.1f\">", x + shift, yk);
        chart_escape(c->b, line);
        sb_puts(c->b, "</tspan>");
        i += len;
    }
    sb_puts(c->b, "</text>\n");
    placed = n;
cleanup:
    free(line);
    return placed;
}

void chart_num(char buf[CHART_NUM], double v, int kind)
{
    char num[NUMFMT_BUF];
    numfmt_short(num, fabs(v));
    if (kind == NUM_USD)
        snprintf(buf, CHART_NUM, "%s$%s", v < 0 ? "-" : "", num);
    else if (kind == NUM_PCT)
        snprintf(buf, CHART_NUM, "%s%s%%", v < 0 ? "-" : "", num);
    else
        snprintf(buf, CHART_NUM, "%s%s", v < 0 ? "-" : "", num);
}

/* A tick label: whole numbers as chart_num does, decimals when the step is below 1. */
static void axis_num(char buf[CHART_NUM], double v, int kind, double step)
{
    if (step >= 1 || kind == NUM_PCT) {
        chart_num(buf, v, kind);
        return;
    }
    char num[NUMFMT_BUF];
    int decimals = 1; /* as many as the step needs: 0.25 steps read 0.25, 0.50, 0.75 */
    while (decimals < 3 && fabs(step * pow(10, decimals) - round(step * pow(10, decimals))) > 1e-6)
        decimals++;
    numfmt_fixed(num, v, decimals);
    snprintf(buf, CHART_NUM, "%s%s", kind == NUM_USD ? "$" : "", num);
}

chart_scale chart_nice(double lo, double hi, int max_ticks)
{
    if (!isfinite(lo))
        lo = 0;
    if (!isfinite(hi) || hi <= lo)
        hi = lo + 1;
    double raw = (hi - lo) / (max_ticks > 1 ? max_ticks : 1);
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
    chart_scale s = {floor(lo / step) * step, ceil(hi / step) * step, step};
    return s;
}

/* A value that is not a number is drawn at the axis origin rather than written as "nan". */
double chart_y(chart_area a, chart_scale s, double v)
{
    if (!isfinite(v))
        v = s.lo;
    return a.y + a.h - (v - s.lo) / (s.hi - s.lo) * a.h;
}

double chart_x(chart_area a, chart_scale s, double v)
{
    if (!isfinite(v))
        v = s.lo;
    return a.x + (v - s.lo) / (s.hi - s.lo) * a.w;
}

double chart_axis_y_extra(const char *title)
{
    return (double)(chart_wrap_lines(title != NULL ? title : "", AXIS_Y_CHARS) - 1) * AXIS_Y_LINE;
}

void chart_axis_y(chart_cx *c, chart_area a, chart_scale s, int kind, const char *title)
{
    int n = (int)floor((s.hi - s.lo) / s.step + 0.5);
    sb_printf(c->b, "<path stroke=\"%s\" d=\"", CHART_GRID);
    for (int i = 1; i <= n; i++)
        sb_printf(c->b, "M%.1f %.1fH%.1f", a.x, chart_y(a, s, s.lo + i * s.step), a.x + a.w);
    sb_puts(c->b, "\"/>\n");
    for (int i = 0; i <= n; i++) {
        char num[CHART_NUM];
        double v = s.lo + i * s.step;
        axis_num(num, v, kind, s.step);
        cx_text(c, a.x - 6, chart_y(a, s, v) + 4, ANCHOR_END, CHART_FONT, num, NULL, 0, 0);
    }
    /* lines above the first, so that the last sits just above the area */
    cx_text_wrap(c, a.x, a.y - 7 - chart_axis_y_extra(title), ANCHOR_START, 12, title,
                 AXIS_Y_CHARS, AXIS_Y_LINE, "font-weight=\"bold\"");
}

void chart_axis_x(chart_cx *c, chart_area a, chart_scale s, int kind, const char *title)
{
    int n = (int)floor((s.hi - s.lo) / s.step + 0.5);
    double bottom = a.y + a.h;
    sb_printf(c->b, "<path stroke=\"%s\" d=\"", CHART_INK);
    for (int i = 0; i <= n; i++)
        sb_printf(c->b, "M%.1f %.1fv4", chart_x(a, s, s.lo + i * s.step), bottom);
    sb_puts(c->b, "\"/>\n");
    for (int i = 0; i <= n; i++) {
        char num[CHART_NUM];
        double v = s.lo + i * s.step;
        axis_num(num, v, kind, s.step);
        cx_text(c, chart_x(a, s, v), bottom + 16, ANCHOR_MIDDLE, CHART_FONT, num, NULL, 0, 0);
    }
    cx_text(c, a.x + a.w / 2, bottom + 33, ANCHOR_MIDDLE, 12, title, NULL, 0, 0);
}

void chart_axes_lines(chart_cx *c, chart_area a)
{
    sb_printf(c->b, "<path fill=\"none\" stroke=\"%s\" d=\"M%.1f %.1fV%.1fH%.1f\"/>\n",
              CHART_INK, a.x, a.y, a.y + a.h, a.x + a.w);
}

static void swatch(chart_cx *c, const chart_legend_item *it, double x, double y)
{
    const char *dash = it->dash != NULL ? it->dash : "none";
    double top = y - 10; /* the swatch spans the label's line: 12 units from 10 above it */
    switch (it->kind) {
    case LEG_LINE:
        sb_printf(c->b, "<path d=\"M%.1f %.1fh18\" stroke=\"%s\" stroke-width=\"2.5\" "
                  "stroke-dasharray=\"%s\"/>\n", x, top + 6, it->color, dash);
        break;
    case LEG_FILL:
        sb_printf(c->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"12\" fill=\"%s\" "
                  "stroke=\"%s\"/>\n", x, top, it->color, CHART_INK);
        break;
    case LEG_HATCH:
        sb_printf(c->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"12\" "
                  "fill=\"url(#%s-%s)\" stroke=\"%s\"/>\n", x, top, c->id, it->color,
                  CHART_INK);
        break;
    case LEG_FAN: /* a band with its middle line */
        sb_printf(c->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"12\" fill=\"%s\" "
                  "fill-opacity=\"0.18\"/><path d=\"M%.1f %.1fh18\" stroke=\"%s\" "
                  "stroke-width=\"2.5\" stroke-dasharray=\"%s\"/>\n", x, top, it->color, x,
                  top + 6, it->color, dash);
        break;
    case LEG_DOT:
        sb_printf(c->b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\"/>\n",
                  x + 9, top + 6, it->color, CHART_INK);
        break;
    default:
        sb_printf(c->b, "<path d=\"M%.1f %.1fl6 6-6 6-6-6z\" fill=\"%s\" stroke=\"%s\"/>\n",
                  x + 9, top, it->color, CHART_INK);
    }
}

/* Lays the legend out from baseline y0: items flow left to right and start a new row when
 * the row is full; a label longer than a row wraps. Draws when c is not NULL. Returns the
 * height beyond one row. */
static double legend_flow(chart_cx *c, const chart_legend_item *items, size_t n, double y0)
{
    double x = 10, y = y0, row_extra = 0;
    for (size_t i = 0; i < n; i++) {
        const char *label = items[i].label != NULL ? items[i].label : "";
        size_t lines = chart_wrap_lines(label, LEGEND_CHARS);
        double w = 22 + (double)chart_wrap_width(label, LEGEND_CHARS) * CHART_FONT * 0.6;
        if (x > 10 && x + w > CHART_WIDTH - 10) { /* a new row under the tallest item */
            y += LEGEND_ROW + row_extra;
            x = 10;
            row_extra = 0;
        }
        double extra = (double)(lines - 1) * LEGEND_LINE;
        row_extra = extra > row_extra ? extra : row_extra;
        if (c != NULL) {
            swatch(c, &items[i], x, y);
            cx_text_wrap(c, x + 22, y, ANCHOR_START, CHART_FONT, label, LEGEND_CHARS,
                         LEGEND_LINE, NULL);
        }
        x += w + 16;
    }
    return y - y0 + row_extra;
}

double chart_legend_extra(const chart_legend_item *items, size_t n)
{
    return legend_flow(NULL, items, n, 0);
}

void chart_legend(chart_cx *c, const chart_legend_item *items, size_t n)
{
    legend_flow(c, items, n, c->legend_y);
}

void cx_begin(chart_cx *c, strbuf *b, chart_layout *lay, const chart_frame *f,
              const chart_legend_item *leg, size_t n_leg, double extra_top, double body_h)
{
    memset(c, 0, sizeof *c);
    c->b = b;
    c->lay = lay != NULL ? lay : &c->own;
    const double title_extra =
        (double)(chart_wrap_lines(f->title != NULL ? f->title : "", TITLE_CHARS) - 1) *
        TITLE_LINE;
    c->legend_y = 42 + title_extra;
    c->top = title_extra + chart_legend_extra(leg, n_leg) + extra_top;
    c->h = body_h + c->top +
           (double)(chart_wrap_lines(f->caption != NULL ? f->caption : "", CAPTION_CHARS) - 1) *
               CAPTION_LINE;
    const double h = c->h;
    const char *id = f->id != NULL && f->id[0] != '\0' ? f->id : "chart";
    size_t i = 0;
    for (; id[i] != '\0' && i + 1 < sizeof c->id; i++) {
        char ch = id[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9' && i > 0) || ch == '-' || ch == '_';
        c->id[i] = ok ? ch : '_';
    }
    c->id[i] = '\0';
    c->locale_prev = cnum_enter();
    /* width 100% with the viewBox: the chart shrinks to a printed page and keeps its shape */
    sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" "
              "role=\"img\" aria-labelledby=\"%s-title\" font-family=\"sans-serif\" "
              "style=\"width:100%%;max-width:%dpx;height:auto\">\n",
              CHART_WIDTH, h, c->id, CHART_WIDTH);
    sb_printf(b, "<title id=\"%s-title\">", c->id);
    chart_escape(b, f->title);
    sb_puts(b, "</title>\n<defs>");
    /* hatches: spill and missing data read apart on a black-and-white print */
    sb_printf(b, "<pattern id=\"%s-spill\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
              " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f7cfc9\"/>"
              "<path d=\"M0 0V6\" stroke=\"#b2182b\" stroke-width=\"2.5\"/></pattern>", c->id);
    sb_printf(b, "<pattern id=\"%s-nodata\" width=\"6\" height=\"6\" "
              "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
              "<rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
              "<path d=\"M0 0V6\" stroke=\"#999\" stroke-width=\"1\"/></pattern></defs>\n", c->id);
    sb_printf(b, "<rect width=\"%d\" height=\"%.0f\" fill=\"#fff\"/>\n", CHART_WIDTH, h);
    cx_text_wrap(c, 10, 20, ANCHOR_START, 15, f->title, TITLE_CHARS, TITLE_LINE,
                 "font-weight=\"bold\"");
    if (n_leg > 0)
        chart_legend(c, leg, n_leg);
}

static void cx_release(chart_cx *c)
{
    cnum_restore(c->locale_prev);
    chart_layout_free(&c->own);
}

void cx_abort(chart_cx *c)
{
    cx_release(c);
}

tp_status cx_end(chart_cx *c, const chart_frame *f, tp_error *err)
{
    const char *cap = f->caption != NULL ? f->caption : "";
    cx_text_wrap(c, 10,
                 c->h - 8 - (double)(chart_wrap_lines(cap, CAPTION_CHARS) - 1) * CAPTION_LINE,
                 ANCHOR_START, 12, cap, CAPTION_CHARS, CAPTION_LINE,
                 "font-style=\"italic\" fill=\"#444\"");
    sb_puts(c->b, "</svg>\n");
    int failed = c->nomem || c->b->failed;
    cx_release(c);
    if (failed)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory drawing a chart");
    return TP_OK;
}

void chart_downsample(const double *v, size_t n, size_t cols, double *mn, double *mx)
{
    for (size_t k = 0; k < cols; k++) {
        size_t i0 = k * n / cols, i1 = (k + 1) * n / cols;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = i0; i < i1; i++) {
            double x = isnan(v[i]) ? 0 : v[i];
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        mn[k] = i1 > i0 ? lo : 0;
        mx[k] = i1 > i0 ? hi : 0;
    }
}
