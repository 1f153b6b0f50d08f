#!/bin/sh
# example_packages.sh - the CI examples of docs/ci.md install exactly the packages README.md
# lists for the build (its `apt-get install -y` line): a package missing from an example fails
# its build (zlib1g-dev, gcc), one the README lacks is undocumented. Beside them an example may
# install only the aws CLI (awscli), which the job runs and the build does not need.
#
# usage: example_packages.sh SOURCE_ROOT
set -u
root=$1
# The words after the first "apt-get install -y" up to the end of its command, one a line,
# sorted: the command goes on while a line ends with "\" or the next is indented deeper (a YAML
# plain scalar), and ends at "&&".
packages() {
    awk '
        function indent(s) { match(s, /^ */); return RLENGTH }
        done { next }
        on && !(prev ~ /\\$/) && indent($0) <= ind { done = 1; next }
        !on && /apt-get install -y/ { on = 1; ind = indent($0); sub(/.*apt-get install -y/, "") }
        on {
            prev = $0
            if (sub(/&&.*/, "")) done = 1
            n = split($0, w, /[ \t\\]+/)
            for (i = 1; i <= n; i++) if (w[i] != "" && w[i] != "-") print w[i]
        }' "$1" | grep -v '^awscli$' | sort -u
}
want=$(packages "$root/README.md")
[ -n "$want" ] || { echo "example packages: no apt-get install line in README.md"; exit 1; }
status=0
for f in "$root/docs/examples/github-actions.yml" "$root/docs/examples/gitlab-ci.yml"; do
    got=$(packages "$f")
    if [ "$got" != "$want" ]; then
        echo "example packages: $(basename "$f") installs other packages than README.md:"
        printf '%s\n' "$want" >"${TMPDIR:-/tmp}/want.$$"
        printf '%s\n' "$got" | diff "${TMPDIR:-/tmp}/want.$$" - | sed -n 's/^[<>]/    &/p'
        rm -f "${TMPDIR:-/tmp}/want.$$"
        status=1
    fi
done
[ "$status" -ne 0 ] ||
    echo "example packages: both examples install README.md's $(echo "$want" | wc -l) packages"
exit "$status"
