/* report_fleet_html.c - the fleet report as one self-contained HTML page with inline SVG. */
#include "report_internal.h"

tp_status report_fleet_html(const tp_fleet *f, char **out, tp_error *err)
{
    (void)f;
    (void)out;
    return tp_error_set(err, TP_ERR_USAGE, "html: not yet");
}
