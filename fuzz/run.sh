#!/usr/bin/env bash
# Runs every fuzz target (or those named) for a bounded time, one at a time,
# at the lowest CPU priority. Not part of CI.
#
#   fuzz/run.sh [SECONDS-PER-TARGET] [TARGET...]
#
# Each target stops at SECONDS (default 600) or at RUNS executions (default
# 10,000,000), whichever comes first. SANITIZER picks cargo-fuzz's sanitizer
# (default address; `none` runs several times faster, and allocates with
# mimalloc as the svcx binary does), and TRACE_COMPARES=0
# builds without libFuzzer's comparison tracing, about twice as fast again
# (see docs/fuzzing.md).
# Needs the nightly toolchain; installs cargo-fuzz if it is missing. A crash
# leaves its input in fuzz/artifacts/TARGET/ and stops the script with a
# non-zero status.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(load_manifest analyses renderers)
fi
runs="${RUNS:-10000000}"
sanitizer="${SANITIZER:-address}"
build=(-s "$sanitizer")
if [ "$sanitizer" = none ]; then
    # Allocate as the svcx binary does (mimalloc); see fuzz/Cargo.toml.
    build+=(--features mimalloc)
fi
if [ "${TRACE_COMPARES:-1}" = 0 ]; then
    build+=(--no-trace-compares)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "run.sh: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
    exit 2
fi

./seed.sh
mkdir -p logs
for t in "${targets[@]}"; do
    # Beyond max_len a manifest only costs time: the real ones are seeds
    # and libFuzzer mutates their first 16 KiB.
    # The structured targets start from an empty corpus; libFuzzer's
    # default lets inputs grow a few bytes at a time, which for a cluster
    # of objects means minutes of one-object clusters: allow 2 KiB at once.
    extra=(-max_len=2048 -len_control=0)
    if [ "$t" = load_manifest ]; then
        extra=(-max_len=16384)
    fi
    echo "run.sh: $t for at most ${seconds}s or $runs runs (${build[*]})"
    status=0
    nice -n 19 cargo +nightly fuzz run "${build[@]}" "$t" -- \
        -max_total_time="$seconds" -runs="$runs" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "${extra[@]}" >"logs/$t.log" 2>&1 || status=$?
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==|SUMMARY)' "logs/$t.log" || true
    if grep -q 'libFuzzer: run interrupted' "logs/$t.log"; then
        # Stopped on purpose (Ctrl-C or SIGINT): the counts above stand.
        echo "run.sh: $t interrupted" >&2
        exit 130
    fi
    if [ "$status" -ne 0 ]; then
        echo "run.sh: $t failed (status $status); see fuzz/logs/$t.log and fuzz/artifacts/$t/" >&2
        exit 1
    fi
done
