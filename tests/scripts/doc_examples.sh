#!/bin/sh
# doc_examples.sh - runs every example command of README.md and docs/*.md as written.
#
# An example is a line starting with "tierplan " inside a ```sh block (with its "\"
# continuation lines). Each runs in a scratch directory on a fresh database holding the bundled
# sample, with `tierplan` the binary under test, and must exit 0, or the status N its last line
# states with a trailing "# exit N" (an example that shows a failure must fail as written: a
# check that passes, or fails for another reason, is reported). The directory holds the sample
# files also under the names `tierplan export-cmd` gives its exports (tierplan-*.json), as if
# the printed aws commands had run, and the query results of tests/data/query.
#
# Fails too when a page has an odd number of ``` fence lines.
#
# usage: doc_examples.sh TIERPLAN_BIN SOURCE_ROOT
set -u
bin=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/data"
cp "$root"/data/*.json "$work/data/"
for f in "$root"/data/sample-*.json; do
    cp "$f" "$work/tierplan-$(basename "$f")"
done
# Query results as other people's queries write them (tests/data/query), and the fixture of
# Athena's CSV under the name export-cmd --source athena gives it, as if its script had run.
if [ -d "$root/tests/data/query" ]; then
    mkdir -p "$work/query"
    cp "$root"/tests/data/query/*.json "$root"/tests/data/query/*.csv "$work/query/"
    cp "$root/tests/data/query/athena-result.csv" "$work/tierplan-athena-20261005T0000Z.csv"
fi
# Other providers' exports (tests/data/providers), as their export-cmd scripts write them.
if [ -d "$root/tests/data/providers" ]; then
    mkdir -p "$work/providers"
    cp "$root"/tests/data/providers/*.json "$work/providers/"
fi
export TIERPLAN_DB="$work/tierplan.db"
export TIERPLAN_PRICING="$work/data/pricing.json"
cd "$work" || exit 1
if ! "$bin" ingest data/sample-*.json >/dev/null 2>"$work/ingest.err"; then
    cat "$work/ingest.err"
    echo "doc examples: the sample did not ingest"
    exit 1
fi

# A code fence left open turns the rest of a page into code (and hides its examples from this
# test): every page must open and close its fences in pairs.
fences_ok=1
for doc in "$root/README.md" "$root"/docs/*.md; do
    n=$(grep -c '^ *```' "$doc")
    if [ $((n % 2)) -ne 0 ]; then
        echo "UNCLOSED FENCE ($(basename "$doc")): $n lines start with \`\`\`, an odd number"
        fences_ok=0
    fi
done

# One example per line of $work/examples: "FILE<TAB>COMMAND", continuation lines joined.
for doc in "$root/README.md" "$root"/docs/*.md; do
    awk -v file="$(basename "$doc")" '
        /^```sh/ { inblock = 1; next }
        /^```/   { inblock = 0; next }
        inblock && cont != "" { line = line " " $0; sub(/\\$/, "", line) }
        inblock && cont == "" && /^tierplan / { line = $0; sub(/\\$/, "", line) }
        inblock && (cont != "" || /^tierplan /) {
            if ($0 ~ /\\$/) { cont = 1; next }
            cont = ""
            print file "\t" line
        }' "$doc"
done >"$work/examples"

tierplan() { "$bin" "$@"; }
passed=0
failed=0
while IFS="$(printf '\t')" read -r file cmd; do
    want=$(printf '%s\n' "$cmd" | sed -n 's/.*# exit \([0-9][0-9]*\) *$/\1/p')
    status=0
    (eval "$cmd") >"$work/out" 2>&1 </dev/null || status=$?
    if [ "$status" -eq "${want:-0}" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED ($file, exit $status, expected ${want:-0}): $cmd"
        sed 's/^/    /' "$work/out" | head -20
    fi
done <"$work/examples"
echo "doc examples: $passed passed, $failed failed"
[ "$passed" -gt 0 ] && [ "$failed" -eq 0 ] && [ "$fences_ok" -eq 1 ]
