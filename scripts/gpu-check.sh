#!/usr/bin/env bash
# The GPU checks, for a machine with an NVIDIA GPU, the CUDA toolkit (nvcc; LibTorch's CMake files look for it)
# and the official CUDA LibTorch 2.x archive (libtorch-cxx11-abi-shared-with-deps-2.x.y+cu12z.zip from
# pytorch.org, unpacked; the cxx11-ABI one, since Qt and the Debian libraries use that ABI):
#   LIBTORCH=/opt/libtorch bash scripts/gpu-check.sh
# 1. builds into build-gpu against that LibTorch (CMake detects the CUDA build by itself),
# 2. runs the engine's golden tests on the CPU as CI does,
# 3. runs the golden pipeline cases on CUDA in fp32 and in fp16 (STUDIO_TEST_DEVICE/STUDIO_TEST_PRECISION; the
#    tolerances widen for other kernels and half precision, see tests/engine/diffusion/TestKolorsPipeline.cpp),
# 4. prints `storyboard bench` figures: the tiny model in fp32 and fp16, then the full-size Kolors with random
#    weights in fp16 (needs about 10 GB of GPU memory; its failure is reported, not fatal).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${LIBTORCH:?set LIBTORCH to the unpacked CUDA LibTorch folder (the one holding share/cmake/Torch)}"
if [ ! -d "$LIBTORCH/share/cmake/Torch" ]; then
    echo "gpu-check: $LIBTORCH has no share/cmake/Torch: is it the unpacked LibTorch archive?" >&2
    exit 1
fi
build=${STUDIO_GPU_BUILD_DIR:-build-gpu}
jobs=${STUDIO_JOBS:-$(nproc)}
mkdir -p "$build"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTUDIO_BUILD_TESTS=ON \
    -DCMAKE_PREFIX_PATH="$LIBTORCH" | tee "$build/gpu-check-configure.log"
if ! grep -q "LibTorch .*: CUDA ON" "$build/gpu-check-configure.log"; then
    echo "gpu-check: $LIBTORCH is not a CUDA build of LibTorch (CMake found no CUDA libraries)" >&2
    exit 1
fi
cmake --build "$build" -j "$jobs"
export LD_LIBRARY_PATH="$LIBTORCH/lib:${LD_LIBRARY_PATH:-}"

echo "== golden tests on the CPU"
OMP_NUM_THREADS=${OMP_NUM_THREADS:-4} ctest --test-dir "$build" -L engine --output-on-failure -j 1
for precision in fp32 fp16; do
    echo "== golden pipeline cases on CUDA, $precision"
    STUDIO_TEST_DEVICE=cuda STUDIO_TEST_PRECISION=$precision \
        ctest --test-dir "$build" -R '^test_engine_pipeline$' --output-on-failure
done

echo "== bench"
storyboard=$build/app/storyboard
for precision in fp32 fp16; do
    "$storyboard" bench --random tiny --device cuda --precision "$precision" --steps 10
done
"$storyboard" bench --random kolors --device cuda --precision fp16 --steps 10 ||
    echo "gpu-check: the full-size bench did not run (not enough GPU memory?)" >&2
echo "gpu-check: done"
