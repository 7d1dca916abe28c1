#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from the
# shared corpus of real manifests beside the repository (../shared/corpus),
# the test fixtures and the demo cluster. Safe to run again: files are
# copied under their content's hash, so nothing is added twice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
shared="${SVCX_CORPUS:-$repo/../shared/corpus}"

copy_into() {
    local dir="$1"
    shift
    mkdir -p "$dir"
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$dir/$(sha1sum "$f" | cut -c1-40)"
    done
}

manifests=()
if [ -d "$shared" ]; then
    while IFS= read -r -d '' f; do manifests+=("$f"); done \
        < <(find "$shared" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0)
else
    echo "seed.sh: $shared not found; seeding from the fixtures only" >&2
fi
while IFS= read -r -d '' f; do manifests+=("$f"); done \
    < <(find "$repo/tests/fixtures" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0)
manifests+=("$repo/src/source/demo.yaml")

copy_into "$here/corpus/load_manifest" "${manifests[@]}"
# The structured targets read their bytes through `arbitrary`, not as text:
# they start from an empty corpus and grow their own.
mkdir -p "$here/corpus/analyses" "$here/corpus/renderers"
echo "seed.sh: $(ls "$here/corpus/load_manifest" | wc -l) seeds in corpus/load_manifest"
