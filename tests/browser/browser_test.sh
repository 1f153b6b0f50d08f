#!/bin/sh
# browser_test.sh - renders `tierplan report --format html` of the bundled sample in headless
# Chromium: the SVG charts must exist in the rendered DOM, the page's text must hold the
# recommended figures of the text report, the page must be well-formed XML with no external
# reference, and a screenshot is written for people to look at. Exits 77 (meson: SKIP) where
# Chromium is missing.
#
# usage: browser_test.sh TIERPLAN_BIN SOURCE_ROOT SCREENSHOT_PNG
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
"$bin" report --db t.db --pricing pricing.json --format html -o report.html || fail "report"
"$bin" report --db t.db --pricing pricing.json >report.txt || fail "text report"

if command -v xmllint >/dev/null; then
    xmllint --noout report.html || fail "report.html is not well-formed XML"
fi
grep -q '<script' report.html && fail "the page holds a script"
grep -Eq '(src|href)="(https?:)?//' report.html && fail "the page references the network"

# Chromium talks to nothing: no network, no first-run, a throwaway profile. Scripts need not
# be disabled (the page has none), and --blink-settings=scriptEnabled=false makes this
# Chromium write no screenshot at all.
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync \
--user-data-dir=$work/profile --window-size=1280,4000"
# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --dump-dom "file://$work/report.html" >dom.html 2>chrome.err ||
    fail "chromium --dump-dom: $(tail -3 chrome.err)"
svgs=$(grep -o '<svg' dom.html | wc -l)
# the fleet bars, then per model: time series, duration curve, cost curve, heatmap
[ "$svgs" -ge 9 ] || fail "$svgs SVG charts in the rendered DOM, expected 9"
for title in 'Fleet cost per month by model' 'Demand over time' 'Demand-duration curve' \
    'Total cost per month vs input reservation' 'Hour of week'; do
    grep -qF "$title" dom.html || fail "no chart \"$title\" in the rendered DOM"
done

# Every recommendation of the text report, in the page's text.
n=0
sed -n 's/^recommended: \(.* output TPM\) (.*/\1/p' report.txt >recs
while read -r rec; do
    grep -qF "$rec" dom.html || fail "\"$rec\" not in the page"
    n=$((n + 1))
done <recs
[ "$n" -eq 2 ] || fail "$n recommendations in the text report, expected 2"
sed -n 's/^cost: [^,]*, \([^,]*\/month\),.*/\1/p' report.txt >costs
while read -r cost; do
    grep -qF "$cost" dom.html || fail "\"$cost\" not in the page"
done <costs
total=$(sed -n 's/^total  *[^ ]*  *\([^ ]*\) .*/\1/p' report.txt)
[ -n "$total" ] && grep -qF "$total" dom.html || fail "fleet total \"$total\" not in the page"

# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --screenshot="$shot" "file://$work/report.html" >/dev/null \
    2>chrome.err || fail "chromium --screenshot: $(tail -3 chrome.err)"
[ -s "$shot" ] || fail "no screenshot written"
# the top of the page (fleet and first model) for docs/report-sample.png, kept small
docs_shot="${shot%.png}-docs.png"
# shellcheck disable=SC2086
timeout 120 "$chrome" $(echo "$flags" | sed 's/1280,4000/1280,2000/') \
    --screenshot="$docs_shot" "file://$work/report.html" >/dev/null 2>chrome.err ||
    fail "chromium --screenshot: $(tail -3 chrome.err)"
echo "browser: $svgs charts rendered, $n recommendations and the fleet total found;" \
    "screenshot $shot"
