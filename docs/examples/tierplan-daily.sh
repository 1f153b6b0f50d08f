#!/bin/sh
# tierplan-daily.sh - the scheduled job of docs/ci.md: exports the newest CloudWatch token
# metrics, adds them to the database kept between runs, checks thresholds against the previous
# run's recommendation, and writes the markdown diff for a comment. Copy it and adjust.
#
# Environment (only TIERPLAN_MODELS is required):
#   TIERPLAN_MODELS      the model ids to plan, separated by spaces
#   TIERPLAN_STATE       directory kept between runs (a CI cache or artifact): the database and
#                        the previous run's report (default: tierplan-state)
#   TIERPLAN_OUT         this run's outputs: exports, report.json, check.md, diff.md, comment.md
#                        (default: tierplan-out)
#   TIERPLAN_WINDOW      the window every run sizes on; a relative one keeps its length as data
#                        arrives (default: --last 14d)
#   TIERPLAN_THRESHOLDS  thresholds checked every run (default: staleness of 36 hours)
#   TIERPLAN_COST_CHANGE_PCT  the largest move of the recommended plan's cost per month from
#                        the previous run, in % (default: 10; checked from the second run on)
#   TIERPLAN_CHANGE_PCT  the largest move of the recommended size from the previous run, in %
#                        (default: not checked; a size inside the previous flat region is no
#                        move)
#   TIERPLAN_PLAN        the plan file of the reservations you hold (reserve_*_tpm); with it
#                        every run checks them: utilization below TIERPLAN_HELD_UTILIZATION_PCT
#                        (default 60), overflow in more than TIERPLAN_HELD_OVERFLOW_PCT of the
#                        minutes (default 5), the recommended plan saving more than
#                        TIERPLAN_SAVINGS_VS_HELD_PCT of what the held one costs (default 15)
#   TIERPLAN_OPTIONS     further sizing options for report and check (--term-months,
#                        --pricing FILE, ...)
#   TIERPLAN_REGION      the AWS region to export from (us-east-1; default: the AWS CLI's):
#                        the data are stored under it (one job per region)
#   TIERPLAN_AWS_PROFILE the AWS CLI profile the exports run as (default: the AWS CLI's)
#   TIERPLAN             the tierplan command (default: tierplan)
#   TIERPLAN_NOW         "now" as an ISO 8601 time, for tests (default: the clock)
#
# Exit status: 0 every threshold holds, 1 a threshold failed (check.md says which) and nothing
# else; 2 or more a step failed (the export, the ingest, the report, a usage error): the job
# stops there, before check, diff and the comment, with the previous baseline kept. A failed
# export or ingest stores nothing of the day; a step after the ingest leaves the day's data in
# the database (do not save the cache then: the state is then as the run found it, and the
# next run exports and ingests the day again).
set -eu

models=${TIERPLAN_MODELS:?set TIERPLAN_MODELS to the model ids to plan, separated by spaces}
state=${TIERPLAN_STATE:-tierplan-state}
out=${TIERPLAN_OUT:-tierplan-out}
window=${TIERPLAN_WINDOW:---last 14d}
thresholds=${TIERPLAN_THRESHOLDS:---fail-stale-hours-above 36}
cost_change_pct=${TIERPLAN_COST_CHANGE_PCT:-10}
change_pct=${TIERPLAN_CHANGE_PCT:-}
options=${TIERPLAN_OPTIONS:-}
if [ -n "${TIERPLAN_PLAN:-}" ]; then
    # what is held: sized with its plan file and checked against what the metrics show
    options="$options --plan $TIERPLAN_PLAN"
    thresholds="$thresholds --fail-held-utilization-below ${TIERPLAN_HELD_UTILIZATION_PCT:-60}"
    thresholds="$thresholds --fail-held-overflow-minutes-pct-above"
    thresholds="$thresholds ${TIERPLAN_HELD_OVERFLOW_PCT:-5}"
    thresholds="$thresholds --fail-savings-vs-held-pct-above"
    thresholds="$thresholds ${TIERPLAN_SAVINGS_VS_HELD_PCT:-15}"
fi
tp=${TIERPLAN:-tierplan}
db=$state/tierplan.db

# A failed step is never a verdict: it ends the job with its own status, or 3 where it said 1
# (aws's general error), before anything is checked or kept. usage: CMD || failed WHAT $?
stored=0 # 1 once the ingest has committed today's data
failed() {
    s=$2
    [ "$s" -ge 2 ] || s=3
    if [ "$stored" -eq 0 ]; then
        echo "tierplan-daily: $1 failed (status $s): the job stops; nothing of today is" \
            "stored and the previous baseline is kept" >&2
    else
        echo "tierplan-daily: $1 failed (status $s): the job stops; today's data is stored in" \
            "$db (do not save it: the next run ingests it again) and the previous baseline is" \
            "kept" >&2
    fi
    exit "$s"
}

mkdir -p "$state" "$out/exports"
rm -f "$out"/exports/*.json "$out"/exports/*.part "$out/comment.md"
model_args=
for m in $models; do
    model_args="$model_args --model $m"
done
now_export=
now_check=
if [ -n "${TIERPLAN_NOW:-}" ]; then
    now_export="--end $TIERPLAN_NOW --now $TIERPLAN_NOW"
    now_check="--now $TIERPLAN_NOW"
fi

# 1. Export: each model from where its stored data ends (less an overlap for late minutes);
#    a model not stored yet gets export-cmd's default history. The files carry the model, the
#    region and the end in their names, so nothing is overwritten. The script export-cmd writes stops at
#    the first aws command that fails and leaves no partial file.
since=--since-store
[ -f "$db" ] || since= # the first run: no database yet, the default history
set -- # the region and profile, each one word whatever it holds
[ -z "${TIERPLAN_REGION:-}" ] || set -- "$@" --region "$TIERPLAN_REGION"
[ -z "${TIERPLAN_AWS_PROFILE:-}" ] || set -- "$@" --profile "$TIERPLAN_AWS_PROFILE"
# shellcheck disable=SC2086 # the option lists are meant to split into words
"$tp" export-cmd --db "$db" $since $model_args $now_export "$@" >"$out/exports/commands.sh" ||
    failed export-cmd $?
(cd "$out/exports" && sh ./commands.sh) || failed "the export (aws)" $?

# 2. Ingest strictly: a partial or suspicious export fails the job and stores nothing. A value
#    a newer export replaces is no warning: daily exports always overlap.
# shellcheck disable=SC2086
"$tp" ingest --db "$db" --strict "$out"/exports/*.json || failed ingest $?
stored=1

# 3. Today's recommendation, the check against the previous run's, and the diff.
# shellcheck disable=SC2086
"$tp" report --db "$db" $model_args $window $options $now_check --format json \
    -o "$out/report.json" || failed report $?
status=0
if [ -f "$state/report.json" ]; then
    # the money first: the plan's cost against the previous run's; the size only if asked
    changes="--fail-cost-change-pct-above $cost_change_pct"
    [ -z "$change_pct" ] || changes="$changes --fail-change-pct-above $change_pct"
    # shellcheck disable=SC2086
    "$tp" check --db "$db" $model_args $window $options $thresholds $now_check \
        $changes --baseline "$state/report.json" \
        --format markdown -o "$out/check.md" || status=$?
else
    # shellcheck disable=SC2086
    "$tp" check --db "$db" $model_args $window $options $thresholds $now_check \
        --format markdown -o "$out/check.md" || status=$?
fi
[ "$status" -le 1 ] || failed check "$status"
if [ -f "$state/report.json" ]; then
    "$tp" diff "$state/report.json" "$out/report.json" --format markdown -o "$out/diff.md" ||
        failed diff $?
else
    echo "first run: no previous report to compare with" >"$out/diff.md"
fi
cat "$out/check.md" "$out/diff.md" >"$out/comment.md"
cat "$out/comment.md"

# 4. Today's report is the next run's baseline, whatever the verdict: a change is reported
#    once, on the day it happens.
cp "$out/report.json" "$state/report.json"
exit "$status"
