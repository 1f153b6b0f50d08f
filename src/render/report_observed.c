/* report_observed.c - a held reservation as its metrics show it, beside its simulation
 * (tp_sim_observed), for simulate and the fleet report: a JSON object and a line of text. */
#include <math.h>
#include <stdio.h>

#include "render/report_internal.h"
#include "tierplan/simulate.h"

/* {"utilization": {"input", "output"}, "overflow": {"input_tokens", "output_tokens",
 * "minutes", "minutes_pct"}} of one side, figures of the metrics or of the simulation. */
static void side_json(cJSON *o, double util_in, double util_out, double in_tokens,
                      double out_tokens, double minutes, double minutes_pct)
{
    cJSON *u = cJSON_AddObjectToObject(o, "utilization");
    report_json_num_or_null(u, "input", util_in);
    report_json_num_or_null(u, "output", util_out);
    cJSON *v = cJSON_AddObjectToObject(o, "overflow");
    cJSON_AddNumberToObject(v, "input_tokens", in_tokens);
    cJSON_AddNumberToObject(v, "output_tokens", out_tokens);
    cJSON_AddNumberToObject(v, "minutes", minutes);
    cJSON_AddNumberToObject(v, "minutes_pct", minutes_pct);
}

void report_json_observed(cJSON *parent, const tp_sim_observed *ob)
{
    if (ob == NULL) {
        cJSON_AddNullToObject(parent, "observed");
        return;
    }
    cJSON *o = cJSON_AddObjectToObject(parent, "observed");
    side_json(o, ob->utilization_input, ob->utilization_output, ob->overflow_input_tokens,
              ob->overflow_output_tokens, (double)ob->overflow_minutes, ob->overflow_minutes_pct);
    const tp_sim_result *s = &ob->simulated;
    side_json(cJSON_AddObjectToObject(o, "simulated"), s->utilization_input,
              s->utilization_output, s->spill_input_tokens, s->spill_output_tokens,
              (double)s->spill_minutes, s->spill_minutes_pct);
    cJSON *e = cJSON_AddObjectToObject(o, "error");
    report_json_num_or_null(e, "utilization_input", ob->error_utilization_input);
    report_json_num_or_null(e, "utilization_output", ob->error_utilization_output);
    report_json_num_or_null(e, "overflow_minutes_pct", ob->error_overflow_minutes_pct);
    report_json_num_or_null(e, "overflow_input_tokens", ob->error_overflow_input_tokens);
    report_json_num_or_null(e, "overflow_output_tokens", ob->error_overflow_output_tokens);
    report_json_num_or_null(e, "pct", ob->error_pct);
}

void report_text_observed(strbuf *b, const char *indent, const tp_sim_observed *ob)
{
    char in[NUMFMT_BUF], out[NUMFMT_BUF], ov[NUMFMT_BUF], err[NUMFMT_BUF], text[256];
    numfmt_pct(in, 100 * ob->utilization_input);
    numfmt_pct(out, 100 * ob->utilization_output);
    numfmt_pct(ov, ob->overflow_minutes_pct);
    numfmt_pct(err, ob->error_pct);
    /* the input side when reserved (the one a reservation is sized on), else the output */
    if (!isnan(ob->utilization_input) && !isnan(ob->utilization_output))
        snprintf(text, sizeof text, "%s used (output %s)", in, out);
    else
        snprintf(text, sizeof text, "%s used", isnan(ob->utilization_input) ? out : in);
    sb_printf(b, "%sheld reservation: %s, overflow in %s of minutes; the simulation within %s\n",
              indent, text, ov, err);
}
