#!/usr/bin/env bash
# Installs every build, test and packaging dependency from Debian 12 packages. Idempotent:
# apt-get skips what is already there, so running it again costs only the package-list refresh.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ccache
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-translations-l10n qt6-svg-dev libqt6svg6 qt6-qpa-plugins qt6-charts-dev libqt6opengl6-dev
  libtorch-dev libopenblas0-pthread
  libsentencepiece-dev
  libopencv-dev
  libpng-dev libjpeg-dev nlohmann-json3-dev libyaml-cpp-dev zlib1g-dev
  clang libclang-rt-14-dev
  xvfb xauth fonts-wqy-microhei fonts-noto-cjk poppler-utils
  desktop-file-utils appstream dpkg-dev file unzip
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${#missing[@]} package(s): ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} packages present"
fi

# LibTorch uses whatever BLAS update-alternatives selects; the reference libblas3 is ~60x slower
# than OpenBLAS for every matmul, so make sure OpenBLAS wins.
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  target=$(update-alternatives --list "$alt" 2>/dev/null | grep -m1 openblas-pthread || true)
  if [ -n "$target" ]; then $SUDO update-alternatives --set "$alt" "$target" >/dev/null; fi
done
