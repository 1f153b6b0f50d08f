#!/bin/sh
# browser_hostile.sh - `tierplan report --format html` of a store whose models have hostile ids
# (from a CSV export: an <img> whose onerror sets the title, a </title><script>, a bidi override)
# in headless Chromium: the page must be well-formed XML and HTML, hold no <script> or <img>,
# show each id as text, and run no script (the title Chromium ends with is the report's own).
# Exits 77 (meson: SKIP) where Chromium is missing.
#
# usage: browser_hostile.sh TIERPLAN_BIN SOURCE_ROOT
set -u
bin=$1
root=$2
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
    echo "SKIP: no chromium on PATH (Debian: apt-get install chromium)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$work" || exit 1

img="<img src=x onerror=\"document.title='pwned'\">"
script="</title><script>document.title='pwned2'</script>"
bidi=$(printf 'abc\342\200\256txt')
# The catalog: two sample entries renamed to the hostile ids (as JSON strings).
sed -e "s|\"amazon.nova-micro-v1:0\"|\"<img src=x onerror=\\\\\"document.title='pwned'\\\\\">\"|" \
    -e "s|\"amazon.nova-lite-v1:0\"|\"</title><script>document.title='pwned2'</script>\"|" \
    -e "s|\"amazon.nova-pro-v1:0\"|\"$bidi\"|" \
    "$root/tests/data/report-golden/pricing.json" >pricing.json
# Two hours of each model, a CSV export (a quote inside a field doubled).
awk -v a="$img" -v b="$script" -v c="$bidi" 'BEGIN {
    gsub(/"/, "\"\"", a); gsub(/"/, "\"\"", b)
    print "timestamp,model,metric,value"
    n = split(a "\t" b "\t" c, ids, "\t")
    for (i = 1; i <= n; i++)
        for (t = 0; t < 120; t++) {
            ts = sprintf("2026-10-05T%02d:%02d:00Z", 14 + int(t / 60), t % 60)
            printf "%s,\"%s\",InputTokenCount,%d\n", ts, ids[i], 1000 + 10 * i + t
            printf "%s,\"%s\",OutputTokenCount,%d\n", ts, ids[i], 100 + t
        }
}' >ids.csv
"$bin" ingest -q --db h.db ids.csv 2>/dev/null || fail "ingest"
"$bin" report --db h.db --pricing pricing.json --all --force --format html -o report.html ||
    fail "report"

if command -v xmllint >/dev/null; then
    xmllint --noout report.html || fail "report.html is not well-formed XML"
    # libxml2's HTML parser is HTML 4: it knows neither <section> nor <svg> ("Tag ... invalid").
    # Only its message lines count: the source lines it echoes under them hold the ids, and
    # "onerror" in an id is no parser error.
    xmllint --html --noout report.html 2>&1 | grep '^report.html:[0-9]*: HTML parser error' |
        grep -v 'Tag [a-z]* invalid' >html.err
    [ -s html.err ] && fail "report.html does not parse as HTML: $(head -3 html.err)"
fi
grep -q '<script' report.html && fail "the page holds a script"
grep -q '<img' report.html && fail "the page holds an image"
grep -qF "&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;" report.html ||
    grep -qF "&lt;img src=x onerror=&quot;document.title=&apos;pwned&apos;&quot;&gt;" report.html ||
    fail "the <img> id is not shown as text"
title=$(sed -n 's|.*<title>\([^<]*\)</title>.*|\1|p' report.html | head -1)
[ -n "$title" ] || fail "the page has no title"

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync \
--user-data-dir=$work/profile --virtual-time-budget=2000"
# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --dump-dom "file://$work/report.html" >dom.html 2>chrome.err ||
    fail "chromium --dump-dom: $(tail -3 chrome.err)"
grep -q 'pwned' dom.html || fail "the ids are not in the rendered DOM"
grep -qF "<title>$title</title>" dom.html || fail "a script changed the title: $(grep -o \
    '<title>[^<]*</title>' dom.html)"
grep -q '<script' dom.html && fail "the rendered DOM holds a script"
grep -q '<img' dom.html && fail "the rendered DOM holds an image"
echo "browser-hostile: 3 hostile ids shown as text; no script ran (title \"$title\")"
