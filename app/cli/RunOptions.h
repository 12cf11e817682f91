#pragma once

// Where and how the Kolors engine runs: the options every rendering command shares (generate, render, bench,
// generate-story), so they read the same everywhere: --device, --precision, --text-encoder-device,
// --unet-offload, --low-vram, --vae-tiling, --text-encoder-quant, --weight-cache.

#include "engine/api/Generation.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>

namespace studio::cli {

struct RunOptions
{
    QCommandLineOption device{QStringLiteral("device"),
                              QStringLiteral("auto|cpu|cuda[:N]: where to run (default auto: the first GPU when "
                                             "CUDA is present, else the CPU)."),
                              QStringLiteral("DEVICE")};
    QCommandLineOption precision{QStringLiteral("precision"),
                                 QStringLiteral("auto, fp32 or fp16 (default auto: fp16 on CUDA, fp32 on the CPU)."),
                                 QStringLiteral("P")};
    QCommandLineOption textEncoderDevice{
        QStringLiteral("text-encoder-device"),
        QStringLiteral("auto|cpu|cuda[:N]: where ChatGLM encodes the prompts; the embeddings then move to the "
                       "UNet's device. On the CPU it computes in fp32 (default auto: the UNet's device, or the CPU "
                       "when the GPU's free memory cannot hold the text encoder too)."),
        QStringLiteral("DEVICE")};
    QCommandLineOption unetOffload{
        QStringLiteral("unet-offload"),
        QStringLiteral("none|blocks: blocks keeps the UNet in host memory and streams its blocks to the GPU one at "
                       "a time as they run (for 4-6 GB cards; slower, same image; default none)."),
        QStringLiteral("MODE")};
    QCommandLineOption lowVram{QStringLiteral("low-vram"),
                               QStringLiteral("Release the text encoder after encoding (default on CUDA).")};
    QCommandLineOption vaeTiling{QStringLiteral("vae-tiling"),
                                 QStringLiteral("auto, on or off: decode the image in tiles (default auto: for "
                                                "images above 1536x1536)."),
                                 QStringLiteral("MODE")};

    QCommandLineOption textEncoderQuant{
        QStringLiteral("text-encoder-quant"),
        QStringLiteral("none, int8 or int4: quantize the text encoder's weights at load (ChatGLM3's scheme; less "
                       "memory, slightly different images; default none)."),
        QStringLiteral("Q")};
    QCommandLineOption weightCache{
        QStringLiteral("weight-cache"),
        QStringLiteral("Folder where the quantized text encoder is written once and memory-mapped from on later runs "
                       "(default: storyboard-studio/quantized-weights in the user's cache folder, or "
                       "$STORYBOARD_CACHE_DIR); none: quantize in memory at every load."),
        QStringLiteral("DIR")};

    QList<QCommandLineOption> all() const
    {
        return {device, precision, textEncoderDevice, unetOffload, lowVram, vaeTiling, textEncoderQuant, weightCache};
    }

    // Fills `settings` from the options given (keeping its values otherwise). Returns false with *error naming
    // the option and its vocabulary.
    bool read(const QCommandLineParser &parser, engine::ModelSettings *settings, QString *error) const;
};

} // namespace studio::cli
