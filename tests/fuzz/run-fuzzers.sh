#!/bin/sh
# Builds the libFuzzer targets with clang (a separate build folder) and runs each for a short time on a copy of
# the seed corpus. Exits non-zero when a fuzzer finds a crash, a leak, an uncaught exception or a timeout.
#   tests/fuzz/run-fuzzers.sh [SECONDS_PER_FUZZER]        (default 30; BUILD_DIR overrides build-fuzz)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
build=${BUILD_DIR:-$root/build-fuzz}
jobs=${JOBS:-2}

if ! command -v clang++ >/dev/null 2>&1; then
    echo "run-fuzzers: clang++ not found (apt-get install clang); skipping" >&2
    exit 0
fi
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSTUDIO_BUILD_FUZZERS=ON -DSTUDIO_BUILD_GUI=OFF -DSTUDIO_BUILD_TESTS=ON >/dev/null
cmake --build "$build" --target fuzzers -j "$jobs"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for pair in fuzz_safetensors_header:safetensors fuzz_torch_pickle:torch_pickle fuzz_pickle_reader:pickle \
    fuzz_metadata_csv:metadata_csv fuzz_image_probe:images; do
    target=${pair%%:*}
    seeds=${pair#*:}
    mkdir -p "$work/$target"
    cp "$root/tests/fuzz/corpus/$seeds/"* "$work/$target/"
    echo "== $target (${seconds}s)"
    # ASan's leak checker is on; exceptions escaping the target abort and count as findings.
    if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
        -artifact_prefix="$work/$target-" -print_final_stats=1 "$work/$target" 2>"$work/$target.log"; then
        status=1
        tail -n 60 "$work/$target.log" >&2
        ls "$work/$target-"* 2>/dev/null | while read -r artifact; do
            mkdir -p "$root/build-fuzz-findings" && cp "$artifact" "$root/build-fuzz-findings/"
        done
        echo "run-fuzzers: $target found a problem (inputs copied to build-fuzz-findings/)" >&2
    else
        grep -E '^(stat::number_of_executed_units|Done)' "$work/$target.log" || tail -n 2 "$work/$target.log"
    fi
done
exit $status
