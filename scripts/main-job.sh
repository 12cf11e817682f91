#!/usr/bin/env bash
# README command (1): install dependencies, build the studio and the CLI, then run the main job on the
# bundled example story: render its 8 panels with the bundled tiny Kolors model and export the challenge
# submission (grid, panels with metadata, LoRA card) to out/.
# The tiny model (tests/data/golden/kolors-tiny) has RANDOM weights: it exercises the real pipeline end to end,
# but its images are coloured noise. Point --model at a real Kolors folder for real pictures.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
# The same build folder and configuration as command (2) (scripts/test.sh): running both builds the code once.
# Here only the two programs are built; command (2) adds the tests to the same folder.
build_dir=${STUDIO_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTUDIO_BUILD_TESTS=ON
cmake --build "$build_dir" -j "$(nproc)" --target storyboard storyboard-studio

story_src=examples/lantern-festival
work=out/example-story
rm -rf "$work" out/submission out/comic
mkdir -p out
cp -r "$story_src" "$work"
model=${STUDIO_MODEL_DIR:-tests/data/golden/kolors-tiny}
# The story's LoRA: STUDIO_LORA, or with the tiny model the tiny kohya LoRA made for it (a LoRA must match its
# base model). It is merged while rendering and described on the exported LoRA card.
lora=${STUDIO_LORA:-}
if [ -z "$lora" ] && [ -z "${STUDIO_MODEL_DIR:-}" ]; then
    lora=tests/data/golden/kolors-tiny/lora/lora_kohya.safetensors
fi
if [ -n "$lora" ]; then
    name=$(basename "$lora")
    cp "$lora" "$work/$name"
    sed -i "/\"lora\": {/{n;s|\"path\": \"\"|\"path\": \"$name\"|}" "$work/story.json"
    grep -q "\"path\": \"$name\"" "$work/story.json"
fi
# The tiny model's images are noise whatever their size: it renders at 128x128 (a small part of the 7 minutes that
# 1024x1024 takes on 2 cores); the export still writes the full 1024x2048 grid. A real model renders the story's
# own size.
if [ -z "${STUDIO_MODEL_DIR:-}" ]; then
    sed -i 's/"width": 1024/"width": 128/; s/"height": 1024/"height": 128/' "$work/story.json"
    [ "$(grep -c '"width": 128' "$work/story.json")" = 8 ]
fi
"$build_dir"/app/storyboard render "$work/story.json" --model "$model"
"$build_dir"/app/storyboard validate "$work/story.json"
"$build_dir"/app/storyboard export "$work/story.json" --out out/submission
# The comic to read and share (strip, PDF, CBZ) with the visible "AI生成" label, in a folder of its own.
"$build_dir"/app/storyboard export "$work/story.json" --out out/comic --comic pdf,cbz,strip --visible-label
echo "main job: submission written to $(pwd)/out/submission, comic to $(pwd)/out/comic"
ls -l out/submission
