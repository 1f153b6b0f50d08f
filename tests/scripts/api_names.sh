#!/bin/sh
# api_names.sh - every TP_API function declared in include/tierplan/X.h is named tp_X or
# tp_X_... (common.h and the umbrella tierplan.h aside), so that a name says where it is
# declared. Usage: api_names.sh INCLUDE_DIR. Prints one line per misnamed function; exit 1 then.
set -u
dir=${1:?usage: api_names.sh INCLUDE_DIR}
status=0
for h in "$dir"/*.h; do
    base=$(basename "$h" .h)
    case $base in common | tierplan) continue ;; esac
    # The name is the identifier before the first "(" of a TP_API declaration, which may
    # continue over the next line (a long return type).
    bad=$(awk -v base="$base" '
        /TP_API/ { decl = $0; open = 1 }
        open && !/TP_API/ { decl = decl " " $0 }
        open && decl ~ /\(/ {
            sub(/\(.*/, "", decl); n = split(decl, w, /[ *]+/); name = w[n]
            if (name != "tp_" base && index(name, "tp_" base "_") != 1)
                printf "%s: %s is not named tp_%s_...\n", FILENAME, name, base
            open = 0
        }' "$h")
    if [ -n "$bad" ]; then printf '%s\n' "$bad"; status=1; fi
done
exit $status
