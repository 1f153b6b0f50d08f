#!/bin/sh
# ci_job.sh - runs docs/examples/tierplan-daily.sh, the scheduled job of docs/ci.md, as written,
# over five simulated days. The aws command is a stub that writes the day's export, made by the
# sample generator: day 1 a two-day backfill from Monday 2026-10-05, then each day the next day
# overlapping the previous export by an hour; traffic doubles from day 4 (--scale 2). Days 1-3
# must pass, day 4 must fail the change gate, and day 4's markdown diff must name the change.
#
# usage: ci_job.sh TIERPLAN_BIN GENSAMPLE_BIN SOURCE_ROOT
# shellcheck disable=SC2016 # backquotes and $ in the greps are markdown and regex, not shell
set -u
bin=$1
gensample=$2
root=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "ci job: $*"
    exit 1
}

# The stub: `aws cloudwatch get-metric-data ... --metric-data-queries '[...ModelId=ID ...]'`
# prints the simulated day's export of the model the query's label names.
mkdir -p "$work/stub"
cat >"$work/stub/aws" <<'STUB'
#!/bin/sh
model=$(printf '%s\n' "$@" | sed -n 's/.*"Label":"ModelId=\([^ ]*\) .*/\1/p' | head -n 1)
[ -n "$model" ] || { echo "aws stub: no ModelId label in $*" >&2; exit 1; }
for f in "$TP_SIM_DAY"/*.json; do
    if grep -q "ModelId=$model " "$f"; then
        cat "$f"
        exit 0
    fi
done
echo "aws stub: no export of $model for this day" >&2
exit 1
STUB
chmod +x "$work/stub/aws"

# day: generator options | "now" (the end of the day's export + 1 hour). Each export after the
# first spans a day and starts an hour before the previous one ended: a simulated day is 23
# hours, and every export overlaps the one before (where both are at the same scale they
# agree minute for minute, as CloudWatch's do; from day 4 the newer, doubled, one wins).
days="1 --start 2026-10-05 --days 2 --scale 1|2026-10-07T01:00:00Z
2 --start 2026-10-06T23:00 --days 1 --scale 1|2026-10-08T00:00:00Z
3 --start 2026-10-07T22:00 --days 1 --scale 1|2026-10-08T23:00:00Z
4 --start 2026-10-08T21:00 --days 1 --scale 2|2026-10-09T22:00:00Z
5 --start 2026-10-09T20:00 --days 1 --scale 2|2026-10-10T21:00:00Z"

export TIERPLAN="$bin"
export TIERPLAN_MODELS="amazon.nova-pro-v1:0 us.anthropic.claude-sonnet-4-5-20250929-v1:0"
export TIERPLAN_STATE="$work/state"
export TIERPLAN_WINDOW="--last 2d"
export TIERPLAN_THRESHOLDS="--fail-stale-hours-above 30 --fail-coverage-below 90"
export TIERPLAN_CHANGE_PCT=25
export TIERPLAN_OPTIONS="--pricing $root/data/pricing.json --jobs 1"
export PATH="$work/stub:$PATH"
printf '%s\n' "$days" | while IFS='|' read -r spec now; do
    # shellcheck disable=SC2086 # the generator options split into words
    set -- $spec
    day=$1
    shift
    export TP_SIM_DAY="$work/sim/day$day"
    export TIERPLAN_OUT="$work/out$day"
    export TIERPLAN_NOW="$now"
    mkdir -p "$TP_SIM_DAY"
    "$gensample" --origin 2026-10-05 "$@" "$TP_SIM_DAY" || fail "day $day: gensample failed"
    status=0
    (cd "$work" && sh "$root/docs/examples/tierplan-daily.sh") >"$work/log$day" 2>&1 || status=$?
    echo "day $day: exit $status"
    case $day in
    1 | 2 | 3) [ "$status" -eq 0 ] || { cat "$work/log$day"; fail "day $day should pass"; } ;;
    4) [ "$status" -eq 1 ] || { cat "$work/log$day"; fail "day 4 should fail the gate"; } ;;
    5) [ "$status" -le 1 ] || { cat "$work/log$day"; fail "day 5 should run"; } ;;
    esac
    [ -s "$TIERPLAN_OUT/comment.md" ] || fail "day $day: no comment"
    cmp -s "$TIERPLAN_OUT/report.json" "$TIERPLAN_STATE/report.json" ||
        fail "day $day: the report is not kept as the next baseline"
done || exit 1

# Day 4: the failure is one check line naming the change, and the diff names the models whose
# cost moved, with the fleet's change first.
grep -q '^| \*\*FAIL\*\* | `amazon.nova-pro-v1:0` | change of cost per month |' \
    "$work/out4/check.md" || { cat "$work/out4/check.md"; fail "day 4: no failed change check"; }
grep -q '^### tierplan: fleet cost per month .* (+\$[0-9,.]*, +[0-9.]*%)$' "$work/out4/diff.md" ||
    { cat "$work/out4/diff.md"; fail "day 4: the diff does not lead with the fleet's increase"; }
grep -q '^| `amazon.nova-pro-v1:0` | .* | +\$[0-9,.]* (+[0-9.]*%) |' "$work/out4/diff.md" ||
    { cat "$work/out4/diff.md"; fail "day 4: the diff does not name the model's change"; }
# Days 2 and 3 compared with the day before and found nothing to fail.
grep -q 'checks failed, .* passed, 0 n/a' "$work/out3/check.md" ||
    { cat "$work/out3/check.md"; fail "day 3: not every check was evaluated"; }
echo "ci job: 5 days, days 1-3 passed, day 4 failed on the change, the diff names it"
