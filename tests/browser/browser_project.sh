#!/bin/sh
# browser_project.sh - renders `tierplan project --format html` of the bundled sample in headless
# Chromium: the fan charts of the fleet and each model (all plans, then each plan) must exist in
# the rendered DOM, the page must be well-formed XML with no script or external reference, and the P50 costs of the text
# output must be in the page's text. Exits 77 (meson: SKIP) where Chromium is missing.
#
# usage: browser_project.sh TIERPLAN_BIN SOURCE_ROOT SCREENSHOT_PNG
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

cp "$root/tests/data/report-golden/pricing.json" "$work/pricing.json"
cd "$work" || exit 1
"$bin" ingest --db t.db "$root"/data/sample-*.json >/dev/null || fail "ingest"
opts="--db t.db --pricing pricing.json --months 6 --growth-pct-per-month 4 --samples 200"
# shellcheck disable=SC2086
"$bin" project $opts --format html -o project.html || fail "project html"
# shellcheck disable=SC2086
"$bin" project $opts >project.txt || fail "project text"

if command -v xmllint >/dev/null; then
    xmllint --noout project.html || fail "project.html is not well-formed XML"
fi
grep -q '<script' project.html && fail "the page holds a script"
grep -Eq '(src|href)="(https?:)?//' project.html && fail "the page references the network"

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync \
--user-data-dir=$work/profile --window-size=1280,3000"
# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --dump-dom "file://$work/project.html" >dom.html 2>chrome.err ||
    fail "chromium --dump-dom: $(tail -3 chrome.err)"
svgs=$(grep -o '<svg' dom.html | wc -l)
# the fleet, then each model: every plan on one fan chart, then each plan on its own
# (on-demand, all Priority, recommended; no held reservation): 3 x 4
[ "$svgs" -eq 12 ] || fail "$svgs SVG charts in the rendered DOM, expected 12"
grep -qF 'Projected cost per month: recommended' dom.html ||
    fail "no fan chart of the recommended plan alone"
grep -qF 'Projected cost per month' dom.html || fail "no fan chart title in the rendered DOM"
# every month row of the text's cost tables (the current month marked with a *) and the
# horizon's total: its P50s (on-demand, recommended) in the page
n=0
sed -n 's/^\(20[0-9][0-9]-[0-9][0-9]\*\{0,1\}\|total\) *[0-9]* *\(\$[0-9,.]*\)  .*  \(\$[0-9,.]*\)  .*/\2 \3/p' \
    project.txt >p50s
while read -r a b; do
    grep -qF "$a" dom.html || fail "\"$a\" not in the page"
    grep -qF "$b" dom.html || fail "\"$b\" not in the page"
    n=$((n + 1))
done <p50s
[ "$n" -ge 21 ] || fail "$n month and total rows with P50s in the text output, expected 21"

# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --screenshot="$shot" "file://$work/project.html" >/dev/null \
    2>chrome.err || fail "chromium --screenshot: $(tail -3 chrome.err)"
[ -s "$shot" ] || fail "no screenshot written"
echo "browser: $svgs fan charts rendered, the P50s of $n month rows found; screenshot $shot"
