#!/bin/sh
# layers.sh - checks the stage layering of src/ (docs/design.md, "Layout"): a library file
# includes the public headers and private headers by their path from src/, never a header of a
# later stage of the pipeline, never another stage's *_internal.h, never through "../"; the
# CLI includes the public headers and its own files only (an angle-bracket include of one of
# ours counts as well); a public header includes only public
# headers. Usage: layers.sh ROOT (a checkout, or a test tree laid out like one). Prints one line
# per violation and exits 1 when there is any.
set -u
root=${1:?usage: layers.sh ROOT}
cd "$root" || exit 2
find src include -type f \( -name '*.c' -o -name '*.h' \) | sort | while read -r f; do
    grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$f" | sed "s|^|$f:|"
done | awk -F: '
function rank(s) {
    # the pipeline, in the order data flows through it
    if (s == "base") return 0; if (s == "store") return 1; if (s == "ingest") return 2
    if (s == "series") return 3; if (s == "model") return 4; if (s == "fleet") return 5
    if (s == "render") return 6; if (s == "cli") return 7
    return -1
}
function bad(msg) { printf "%s:%s: %s\n", file, line, msg; n++ }
{
    file = $1; line = $2
    inc = $0; sub(/^[^"<]*[<"]/, "", inc); sub(/[>"].*$/, "", inc)
    # <...> names a system header, unless it names one of ours, which -Isrc would find too
    if ($0 ~ /include[[:space:]]*</) {
        top = inc; sub(/\/.*$/, "", top)
        if (inc !~ /\// || (top != "tierplan" && rank(top) < 0)) next
    }
    split(file, p, "/")
    if (p[1] == "include") {
        if (inc !~ /^tierplan\/[a-z0-9_]+\.h$/)
            bad("a public header includes \"" inc "\": public headers include public headers only")
        next
    }
    stage = p[2]
    if (rank(stage) < 0) { bad("src/" stage " is not a stage of the pipeline (layers.sh)"); next }
    if (inc ~ /^tierplan\//) next
    if (inc ~ /\.\.\//) { bad("\"" inc "\" climbs out with ../"); next }
    if (stage == "cli") {
        if (inc ~ /\//) bad("the CLI includes \"" inc "\": it sees the public headers only")
        next
    }
    if (inc !~ /\//) { bad("\"" inc "\": include a private header by its path from src/"); next }
    hs = inc; sub(/\/.*$/, "", hs)
    if (rank(hs) < 0) { bad("\"" inc "\" is not in a stage of src/"); next }
    if (rank(hs) > rank(stage))
        bad("src/" stage " includes \"" inc "\", a header of the later stage src/" hs)
    else if (hs != stage && inc ~ /_internal\.h$/)
        bad("src/" stage " includes \"" inc "\", another stage'"'"'s internal header")
}
END { exit n > 0 }'
