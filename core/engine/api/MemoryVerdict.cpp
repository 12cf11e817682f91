// "Say what fits" (issue 16): whether an estimate fits the free memory and which lighter setting would. One rule
// for Generator::load's refusal, `storyboard memory-estimate` and Settings ▸ Model: the verdict is a value, and the
// English refusal below and the studio's translated sentence are both worded from it.
#include "engine/api/MemoryEstimate.h"

#include <algorithm>

namespace studio::engine {
namespace {

struct Candidate
{
    LighterSetting which;
    ModelSettings settings;
};

// Lighter settings, each on top of the ones before, in the order they cost quality or speed. `asked` is how the
// estimate placed the settings as given (whether the text encoder is released, its quantization).
// The lighter settings in which `to` differs from `from`, in the order they are tried.
std::vector<LighterSetting> changesFrom(const ModelSettings &from, const ModelSettings &to)
{
    std::vector<LighterSetting> changes;
    if (to.releaseTextEncoder != from.releaseTextEncoder)
        changes.push_back(LighterSetting::ReleaseTextEncoder);
    if (to.textEncoderDevice != from.textEncoderDevice)
        changes.push_back(LighterSetting::TextEncoderOnCpu);
    if (to.textEncoderQuant != from.textEncoderQuant)
        changes.push_back(to.textEncoderQuant == TextEncoderQuant::Int8 ? LighterSetting::TextEncoderInt8
                                                                        : LighterSetting::TextEncoderInt4);
    if (to.unetOffload != from.unetOffload)
        changes.push_back(LighterSetting::UNetBlockOffload);
    return changes;
}

std::vector<Candidate> lighterCandidates(const ModelSettings &settings, bool onCuda, const MemoryParts &asked)
{
    std::vector<Candidate> candidates;
    ModelSettings s = settings;
    if (!asked.textEncoderReleased) {
        s.releaseTextEncoder = Switch::On;
        candidates.push_back({LighterSetting::ReleaseTextEncoder, s});
    }
    if (onCuda && s.textEncoderDevice != ComputeDevice::Cpu) {
        s.textEncoderDevice = ComputeDevice::Cpu;
        candidates.push_back({LighterSetting::TextEncoderOnCpu, s});
    }
    // On the CPU the 16-bit text encoder streams from its files (nothing held), so quantizing only adds memory.
    const struct
    {
        TextEncoderQuant quant;
        int bits;
        LighterSetting which;
    } quants[] = {{TextEncoderQuant::Int8, 8, LighterSetting::TextEncoderInt8},
                  {TextEncoderQuant::Int4, 4, LighterSetting::TextEncoderInt4}};
    for (const auto &q : quants) {
        if (!onCuda || (asked.quantBits && asked.quantBits <= q.bits))
            continue;
        ModelSettings quantized = s;
        quantized.textEncoderQuant = q.quant;
        quantized.textEncoderDevice = settings.textEncoderDevice; // quantized, it may fit on the GPU again
        candidates.push_back({q.which, quantized});
    }
    if (onCuda && s.unetOffload != UNetOffload::Blocks) {
        s.unetOffload = UNetOffload::Blocks;
        candidates.push_back({LighterSetting::UNetBlockOffload, s});
    }
    return candidates;
}

// The refusal's words for a lighter setting, ending with the option that sets it.
std::string lighterSettingWords(LighterSetting lighter)
{
    const std::string option = " (" + lighterSettingOption(lighter) + ")";
    switch (lighter) {
    case LighterSetting::ReleaseTextEncoder:
        return "releasing the text encoder after encoding" + option;
    case LighterSetting::TextEncoderOnCpu:
        return "the text encoder on the CPU" + option;
    case LighterSetting::TextEncoderInt8:
        return "the text encoder quantized to int8" + option;
    case LighterSetting::TextEncoderInt4:
        return "the text encoder quantized to int4" + option;
    case LighterSetting::UNetBlockOffload:
        return "the UNet streamed to the GPU block by block" + option;
    case LighterSetting::None:
        break;
    }
    return {};
}

} // namespace

std::string lighterSettingOption(LighterSetting lighter)
{
    switch (lighter) {
    case LighterSetting::ReleaseTextEncoder:
        return "--low-vram";
    case LighterSetting::TextEncoderOnCpu:
        return "--text-encoder-device cpu";
    case LighterSetting::TextEncoderInt8:
        return std::string("--text-encoder-quant ") + textEncoderQuantName(TextEncoderQuant::Int8);
    case LighterSetting::TextEncoderInt4:
        return std::string("--text-encoder-quant ") + textEncoderQuantName(TextEncoderQuant::Int4);
    case LighterSetting::UNetBlockOffload:
        return std::string("--unet-offload ") + unetOffloadName(UNetOffload::Blocks);
    case LighterSetting::None:
        break;
    }
    return {};
}

MemoryVerdict memoryVerdict(const ModelSettings &settings, bool onCuda, int width, int height, int64_t availableRam,
                            int64_t availableVram)
{
    MemoryVerdict verdict;
    verdict.width = width;
    verdict.height = height;
    verdict.availableRam = availableRam;
    verdict.availableVram = onCuda ? availableVram : -1;
    const auto fits = [&](const MemoryEstimate &e) {
        return (availableRam < 0 || e.privateBytes <= availableRam) &&
               (!onCuda || availableVram < 0 || e.vramBytes <= availableVram);
    };
    verdict.asked = verdict.running = estimateMemory(settings, onCuda, width, height);
    if (fits(verdict.asked))
        return verdict;
    // The text encoder's device "auto" goes to the CPU by itself when the GPU is short (KolorsPipeline::load).
    if (onCuda && settings.textEncoderDevice == ComputeDevice::Auto) {
        ModelSettings onCpu = settings;
        onCpu.textEncoderDevice = ComputeDevice::Cpu;
        const MemoryEstimate moved = estimateMemory(onCpu, onCuda, width, height);
        if (fits(moved)) {
            verdict.textEncoderMovesToCpu = true;
            verdict.running = moved;
            return verdict;
        }
    }
    verdict.fits = false;
    for (const Candidate &candidate : lighterCandidates(settings, onCuda, verdict.asked.parts)) {
        const MemoryEstimate e = estimateMemory(candidate.settings, onCuda, width, height);
        if (fits(e)) {
            verdict.lighter = candidate.which;
            verdict.lighterChanges = changesFrom(settings, candidate.settings);
            verdict.lighterEstimate = e;
            break;
        }
    }
    return verdict;
}

std::string shortfallMessage(const MemoryVerdict &v)
{
    if (v.fits)
        return {};
    std::string message = "the model needs about " + v.asked.summary + " at " + std::to_string(v.width) + "x" +
                          std::to_string(v.height) + ", but only " + gibText(std::max<int64_t>(0, v.availableRam)) +
                          " of RAM";
    if (v.availableVram >= 0)
        message += " and " + gibText(v.availableVram) + " of VRAM";
    message += " are available";
    if (v.lighter == LighterSetting::None)
        return message + "; no lighter setting fits: close other programs or use a smaller image";
    std::string with;
    for (LighterSetting change : v.lighterChanges)
        with += (with.empty() ? "" : " and ") + lighterSettingWords(change);
    return message + "; with " + with + " it needs about " + v.lighterEstimate.summary;
}

std::string memoryShortfall(const ModelSettings &settings, bool onCuda, int width, int height, int64_t availableRam,
                            int64_t availableVram)
{
    return shortfallMessage(memoryVerdict(settings, onCuda, width, height, availableRam, availableVram));
}

} // namespace studio::engine
