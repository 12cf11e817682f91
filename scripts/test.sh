#!/usr/bin/env bash
# README command (2): install dependencies, build everything, run every test (ctest) and, when clang is
# present, a short libFuzzer run of each fuzz target. Used verbatim by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
# The folder README command (1) builds in too (scripts/main-job.sh): one build for both commands.
build_dir=${STUDIO_TEST_BUILD_DIR:-build}
jobs=${STUDIO_JOBS:-$(nproc)}

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTUDIO_BUILD_TESTS=ON
cmake --build "$build_dir" -j "$jobs"
# Tests with their own multi-threaded torch work run better one at a time on a 2-core machine.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
ctest --test-dir "$build_dir" --output-on-failure -j 1

if [ -x tests/fuzz/run-fuzzers.sh ] && command -v clang++ >/dev/null; then
  bash tests/fuzz/run-fuzzers.sh
fi
