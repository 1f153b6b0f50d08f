#!/bin/sh
# ci_job.sh - runs docs/examples/tierplan-daily.sh, the scheduled job of docs/ci.md, as written,
# over ten simulated days with a fake aws command first on PATH that writes the day's
# CloudWatch JSON (made by the sample generator, whose traffic has a weekly cycle: the job
# sizes on the last 7 days, as a job should on such traffic). Day 1 is an 8-day backfill from
# Thursday 2026-09-17; each later day exports from an hour before the previous stored end, so a
# simulated day is 23 hours and every export overlaps the one before.
#   days 1-5  steady traffic: exit 0 every day
#   day 6     the aws command of the first model fails (a later one would succeed): exit 2 or
#             more, nothing stored, the state directory (the CI cache) as the day found it
#   day 7     steady again: the export catches up the missed day, exit 0
#   days 8-10 amazon.nova-pro-v1:0's traffic doubles (the other model's does not): exit 1
#             within 3 days, the change of its plan's cost failing (the job's default gate),
#             never a failed step
# Then two regions (TIERPLAN_REGION, with TIERPLAN_AWS_PROFILE), one job each sharing a
# state directory, over two days: each passes, its aws commands ask its region as the profile,
# its exports and data carry the region, and the report holds each model once per region.
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

# The fake aws: `aws cloudwatch get-metric-data ... --metric-data-queries '[...ModelId=ID ...]'`
# prints the simulated day's export of the model the query's label names; for the model named
# by $TP_SIM_FAIL it writes half a document and fails as the AWS CLI does (status 255).
mkdir -p "$work/stub"
# With $TP_SIM_REGION set it insists on --region $TP_SIM_REGION and --profile
# $TP_SIM_PROFILE (one word, however the job quoted it), and appends Region=R to every label
# it returns, as CloudWatch returns the labels export-cmd wrote (which carry Region=R).
cat >"$work/stub/aws" <<'STUB'
#!/bin/sh
model=$(printf '%s\n' "$@" | sed -n 's/.*"Label":"ModelId=\([^ ]*\) .*/\1/p' | head -n 1)
[ -n "$model" ] || { echo "aws stub: no ModelId label in $*" >&2; exit 1; }
region=
profile=
prev=
for a; do
    [ "$prev" != --region ] || region=$a
    [ "$prev" != --profile ] || profile=$a
    prev=$a
done
if [ "$region" != "${TP_SIM_REGION:-}" ] || [ "$profile" != "${TP_SIM_PROFILE:-}" ]; then
    echo "aws stub: --region '$region' --profile '$profile', expected '${TP_SIM_REGION:-}'" \
        "'${TP_SIM_PROFILE:-}'" >&2
    exit 1
fi
if [ "$model" = "${TP_SIM_FAIL:-}" ]; then
    printf '{"MetricDataResults": [{"Id": "input", "Label": "ModelId=%s' "$model"
    echo "An error occurred (Throttling) when calling the GetMetricData operation" >&2
    exit 255
fi
for f in "$TP_SIM_DAY"/*.json; do
    if grep -q "ModelId=$model " "$f"; then
        if [ -n "$region" ]; then
            sed "s/\"Label\": \"\([^\"]*\)\"/\"Label\": \"\1 Region=$region\"/g" "$f"
        else
            cat "$f"
        fi
        exit 0
    fi
done
echo "aws stub: no export of $model for this day" >&2
exit 1
STUB
chmod +x "$work/stub/aws"

iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M; }
nova=amazon.nova-pro-v1:0
export TIERPLAN="$bin"
export TIERPLAN_MODELS="$nova us.anthropic.claude-sonnet-4-5-20250929-v1:0"
export TIERPLAN_STATE="$work/state"
export TIERPLAN_WINDOW="--last 14d"
# What is held: about each model's P99 of the steady traffic, so that a few % of minutes
# overflow (limit 3.5 %), used about 20-30 % (limit 15 %), costing about 2.5 to 3 times the
# recommended plan (savings vs held about 60-67 %, limit 75 %). The job gates on the plan's
# cost (limit 5 %: steady days move it by less than 1 %, the first doubled day by about 9 %);
# the size gate is on as well, at 25 %, where a size inside the previous run's flat region is
# no change.
cat >"$work/held.json" <<'PLAN'
{"models": {"amazon.nova-pro-v1:0": {"reserve_input_tpm": 360000, "reserve_output_tpm": 115000},
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0":
                {"reserve_input_tpm": 450000, "reserve_output_tpm": 190000}}}
PLAN
export TIERPLAN_THRESHOLDS="--fail-stale-hours-above 30 --fail-coverage-below 90"
export TIERPLAN_COST_CHANGE_PCT=5
export TIERPLAN_CHANGE_PCT=25
export TIERPLAN_PLAN="$work/held.json"
export TIERPLAN_HELD_OVERFLOW_PCT=3.5
export TIERPLAN_HELD_UTILIZATION_PCT=15
export TIERPLAN_SAVINGS_VS_HELD_PCT=75
export TIERPLAN_OPTIONS="--pricing $root/data/pricing.json --jobs 1"
export PATH="$work/stub:$PATH"

origin=$(date -u -d 2026-09-17T00:00Z +%s)
start=$origin # the first minute the next export asks for
days=14       # day 1: a 14-day backfill
verdict_day=0
for day in 1 2 3 4 5 6 7 8 9 10; do
    end=$((start + days * 86400))
    now=$(iso $((end + 3600)))
    scale=1
    [ "$day" -lt 8 ] || scale=2
    export TP_SIM_DAY="$work/sim/day$day"
    export TIERPLAN_OUT="$work/out$day"
    export TIERPLAN_NOW="${now}:00Z"
    export TP_SIM_FAIL=
    [ "$day" -ne 6 ] || TP_SIM_FAIL=$nova
    mkdir -p "$TP_SIM_DAY" "$work/sim/x$day"
    "$gensample" --origin 2026-09-17 --start "$(iso "$start")" --days "$days" "$TP_SIM_DAY" ||
        fail "day $day: gensample failed"
    if [ "$scale" -ne 1 ]; then # only nova's traffic doubles
        "$gensample" --origin 2026-09-17 --start "$(iso "$start")" --days "$days" --scale 2 \
            "$work/sim/x$day" || fail "day $day: gensample failed"
        cp "$work/sim/x$day/sample-nova-pro.json" "$TP_SIM_DAY/"
    fi
    before=$(cat "$TIERPLAN_STATE/tierplan.db" "$TIERPLAN_STATE/report.json" 2>/dev/null | cksum)
    status=0
    (cd "$work" && sh "$root/docs/examples/tierplan-daily.sh") >"$work/log$day" 2>&1 || status=$?
    echo "day $day: exit $status"
    case $day in
    6)
        [ "$status" -ge 2 ] || { cat "$work/log$day"; fail "day 6: a failed export is no verdict"; }
        grep -q 'the export (aws) failed' "$work/log$day" ||
            { cat "$work/log$day"; fail "day 6: the job does not say which step failed"; }
        after=$(cat "$TIERPLAN_STATE/tierplan.db" "$TIERPLAN_STATE/report.json" | cksum)
        [ "$before" = "$after" ] ||
            fail "day 6: the state (database or baseline) changed after a failed export"
        [ ! -e "$TIERPLAN_OUT/comment.md" ] || fail "day 6: a comment after a failed step"
        ls "$TIERPLAN_OUT"/exports/*.part >/dev/null 2>&1 && fail "day 6: a partial export left"
        continue # the next day asks again from the same stored end
        ;;
    8 | 9 | 10)
        [ "$status" -le 1 ] || { cat "$work/log$day"; fail "day $day: a step failed"; }
        [ "$status" -eq 0 ] || [ "$verdict_day" -ne 0 ] || verdict_day=$day
        ;;
    *) [ "$status" -eq 0 ] || { cat "$work/log$day"; fail "day $day should pass"; } ;;
    esac
    [ -s "$TIERPLAN_OUT/comment.md" ] || fail "day $day: no comment"
    cmp -s "$TIERPLAN_OUT/report.json" "$TIERPLAN_STATE/report.json" ||
        fail "day $day: the report is not kept as the next baseline"
    start=$((end - 3600))
    days=1
done
[ "$verdict_day" -ne 0 ] || fail "the doubled traffic of $nova failed no check in 3 days"
out=$work/out$verdict_day

# The failing day: the failure is the change of that model's cost, and the diff
# names the model whose cost moved, with the fleet's change first.
grep -q '^| \*\*FAIL\*\* | `amazon.nova-pro-v1:0` | change of cost per month |' "$out/check.md" ||
    { cat "$out/check.md"; fail "day $verdict_day: no failed cost check"; }
grep -q '\*\*FAIL\*\* | `us.anthropic' "$out/check.md" &&
    { cat "$out/check.md"; fail "day $verdict_day: the steady model failed"; }
grep -q '^### tierplan: fleet cost per month .* (+\$[0-9,.]*, +[0-9.]*%)$' "$out/diff.md" ||
    { cat "$out/diff.md"; fail "day $verdict_day: the diff does not lead with the increase"; }
grep -q '^| `amazon.nova-pro-v1:0` | .* | +\$[0-9,.]* (+[0-9.]*%) |' "$out/diff.md" ||
    { cat "$out/diff.md"; fail "day $verdict_day: the diff does not name the model's change"; }
# Day 7 compared with day 5's baseline and found nothing to fail.
grep -q 'checks failed, .* passed, 0 n/a' "$work/out7/check.md" ||
    { cat "$work/out7/check.md"; fail "day 7: not every check was evaluated"; }

# Two regions, one job each (TIERPLAN_REGION), sharing the state directory and its database
# (docs/ci.md), over two days, with a profile (TIERPLAN_AWS_PROFILE) of two words: every aws
# command asks the job's region as that profile (the stub refuses any other), the exports'
# file names carry the region, the data are stored under it, and each region's data stays
# apart (never one region's export replacing the other's minutes): the report holds every
# model once per region.
unset TIERPLAN_PLAN
export TIERPLAN_STATE="$work/rstate"
export TIERPLAN_AWS_PROFILE="ci profile"
export TP_SIM_PROFILE="ci profile"
export TP_SIM_FAIL=
start=$origin
days=14
for day in 1 2; do
    end=$((start + days * 86400))
    TIERPLAN_NOW="$(iso $((end + 3600))):00Z"
    export TIERPLAN_NOW TP_SIM_DAY="$work/rsim/day$day"
    mkdir -p "$TP_SIM_DAY"
    "$gensample" --origin 2026-09-17 --start "$(iso "$start")" --days "$days" "$TP_SIM_DAY" ||
        fail "regions, day $day: gensample failed"
    for region in us-east-1 eu-west-1; do
        export TIERPLAN_REGION=$region TP_SIM_REGION=$region
        export TIERPLAN_OUT="$work/rout-$region-$day"
        log=$work/rlog-$region-$day
        status=0
        (cd "$work" && sh "$root/docs/examples/tierplan-daily.sh") >"$log" 2>&1 || status=$?
        echo "regions, day $day, $region: exit $status"
        [ "$status" -eq 0 ] || { cat "$log"; fail "regions, day $day, $region should pass"; }
        n=$(find "$TIERPLAN_OUT/exports" -name 'tierplan-*.json' | wc -l)
        n_region=$(find "$TIERPLAN_OUT/exports" -name "tierplan-*-$region-*.json" | wc -l)
        if [ "$n" -ne 2 ] || [ "$n_region" -ne 2 ]; then
            ls "$TIERPLAN_OUT/exports"
            fail "regions, day $day: $region's file names"
        fi
        grep -q -- "--region $region --profile 'ci profile' " "$TIERPLAN_OUT/exports/commands.sh" ||
            fail "regions, day $day: no --region and --profile in the aws commands"
    done
    start=$((end - 3600))
    days=1
done
# A step after the ingest fails (the report, on a price catalog that is not there): the job
# stops with 2 or more and says the day's data is stored, never "nothing of today is stored".
export TIERPLAN_OUT="$work/rout-broken" TIERPLAN_REGION=us-east-1 TP_SIM_REGION=us-east-1
status=0
(cd "$work" && TIERPLAN_OPTIONS="--pricing $work/no-such-catalog.json" \
    sh "$root/docs/examples/tierplan-daily.sh") >"$work/rlog-broken" 2>&1 || status=$?
[ "$status" -ge 2 ] || { cat "$work/rlog-broken"; fail "a failed report is no verdict"; }
grep -q "report failed (status $status): the job stops; today's data is stored in" \
    "$work/rlog-broken" || { cat "$work/rlog-broken"; fail "a failed report: the wrong words"; }
grep -q "nothing of today is stored" "$work/rlog-broken" &&
    { cat "$work/rlog-broken"; fail "a failed report after the ingest says nothing is stored"; }
db=$TIERPLAN_STATE/tierplan.db
for region in us-east-1 eu-west-1; do
    "$bin" series --db "$db" --region "$region" --format csv >"$work/series-$region.csv" ||
        fail "regions: nothing stored in $region"
    [ "$(grep -c "^\"$nova\",\"InputTokenCount\"" "$work/series-$region.csv")" -eq 1 ] ||
        { cat "$work/series-$region.csv"; fail "regions: $nova not stored in $region"; }
done
"$bin" series --db "$db" --region unknown >/dev/null 2>&1 && fail "regions: data without a region"
# the report of the last job: the models in each region
for region in us-east-1 eu-west-1; do
    [ "$(grep -c "\"region\":	\"$region\"" "$TIERPLAN_STATE/report.json")" -ge 2 ] ||
        fail "regions: the report has no models in $region"
done
echo "ci job: 10 days, days 1-5 and 7 passed, day 6's failed export stopped the job with" \
    "nothing kept, the doubled traffic failed the cost check on day $verdict_day; two" \
    "regions' jobs sharing a database kept their exports and data apart"
