#!/bin/sh
# browser_units.sh - the fleet report's HTML of models sold in units (tests/data/units: one
# Bedrock, one azure-ptu and one vertex-gsu model; and the openai-scale test entry's two pools)
# in headless Chromium: each unit model's section has its percentile table and its charts
# (demand against the capacity of the units held, demand-duration curve, hour of week) in the
# rendered DOM, the page is well-formed XML with no external reference, the text report's
# recommendations in units are on the page, and a screenshot is written for people to look at.
# Exits 77 (meson: SKIP) where Chromium is missing.
#
# usage: browser_units.sh TIERPLAN_BIN SOURCE_ROOT SCREENSHOT_PNG
set -u
bin=$1
root=$2
shot=$3
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
    echo "SKIP: no chromium on PATH (Debian: apt-get install chromium)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

units="$root/tests/data/units"
cd "$work" || exit 1
"$bin" ingest --db f.db --as-of 2026-11-02T02:00:00Z "$units/fleet-sample.csv" >/dev/null ||
    fail "ingest fleet"
"$bin" ingest --db p.db --model scale-test "$root/data/sample-claude-sonnet.json" >/dev/null ||
    fail "ingest pools"
"$bin" report --db f.db --pricing "$units/fleet-pricing.json" --force --format html \
    -o fleet.html || fail "report fleet"
"$bin" report --db f.db --pricing "$units/fleet-pricing.json" --force >fleet.txt ||
    fail "text report fleet"
"$bin" report --db p.db --pricing "$units/scale.json" --force --format html -o pools.html ||
    fail "report pools"

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync \
--user-data-dir=$work/profile --window-size=1280,4000"
for page in fleet pools; do
    if command -v xmllint >/dev/null; then
        xmllint --noout "$page.html" || fail "$page.html is not well-formed XML"
    fi
    grep -q '<script' "$page.html" && fail "$page.html holds a script"
    grep -Eq '(src|href)="(https?:)?//' "$page.html" && fail "$page.html references the network"
    # shellcheck disable=SC2086
    timeout 120 "$chrome" $flags --dump-dom "file://$work/$page.html" >"$page.dom" \
        2>chrome.err || fail "chromium --dump-dom $page: $(tail -3 chrome.err)"
done

# fleet bars; Bedrock: time series, duration, cost curve, heatmap; each unit model: time
# series, duration, heatmap
svgs=$(grep -o '<svg' fleet.dom | wc -l)
[ "$svgs" -eq 11 ] || fail "$svgs SVG charts in the fleet's rendered DOM, expected 11"
n=$(grep -o 'Demand over time (weighted TPM)' fleet.dom | wc -l)
[ "$n" -ge 2 ] || fail "no demand chart in weighted TPM for both unit models"
n=$(grep -o '<h3>Tokens per minute</h3>' fleet.dom | wc -l)
[ "$n" -eq 3 ] || fail "$n percentile tables, expected 3 (every model)"
grep -qF '<td>weighted</td>' fleet.dom || fail "no weighted demand row"
# the capacity of the units held: 4 PTU x 1,000 TPM; 1 GSU, 6,000 TPM / burst 1.5
n=$(grep -o 'reserved 4,000 TPM' fleet.dom | wc -l)
[ "$n" -eq 2 ] || fail "$n capacity lines of 4,000 TPM, expected 2"
# every recommendation in units of the text report, on the page
sed -n 's/^recommended: \(.* on [0-9a-z_]*\) at .*/\1/p' fleet.txt >recs
n=0
while read -r rec; do
    grep -qF "$rec" fleet.dom || fail "\"$rec\" not in the page"
    n=$((n + 1))
done <recs
[ "$n" -eq 2 ] || fail "$n recommendations in units in the text report, expected 2"

svgs=$(grep -o '<svg' pools.dom | wc -l)
[ "$svgs" -eq 4 ] || fail "$svgs SVG charts in the two-pool page, expected 4"
grep -qF '<td>input pool (weighted)</td>' pools.dom || fail "no input pool row"
grep -qF 'reserved 240K TPM' pools.dom || fail "no input pool capacity (8 x 30,000 TPM)"
grep -qF 'reserved 62.5K TPM' pools.dom || fail "no output pool capacity (25 x 2,500 TPM)"

# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --screenshot="$shot" "file://$work/fleet.html" >/dev/null \
    2>chrome.err || fail "chromium --screenshot: $(tail -3 chrome.err)"
[ -s "$shot" ] || fail "no screenshot written"
echo "browser: unit models' percentile tables and charts rendered; screenshot $shot"
