#pragma once

#include "CharacterSettings.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <array>
#include <optional>

namespace studio::story {

// What "Regenerate" does to a panel's seed (ComfyUI's control_after_generate values).
enum class SeedMode
{
    Fixed,
    Increment,
    Decrement,
    Randomize
};

QString seedModeName(SeedMode mode); // "fixed", "increment", ...
std::optional<SeedMode> seedModeFromName(const QString &name);

// Seeds stay below 2^53 so they round-trip exactly through JSON numbers.
constexpr qint64 kMaxSeed = (qint64(1) << 53) - 1;

// The sampler names the engine and the CLI accept (REFERENCE A.3).
const QStringList &samplerNames(); // euler, euler_a, dpmpp_2m, dpmpp_2m_karras, ddim

// Accepted ranges of the per-panel generation parameters (the project file refuses values outside).
constexpr int kMinSteps = 1;
constexpr int kMaxSteps = 500;
constexpr double kMinCfgScale = 0.0;
constexpr double kMaxCfgScale = 30.0;
constexpr int kMinImageSize = 64;     // pixels, per side
constexpr int kMaxImageSize = 4096;   // pixels, per side
constexpr int kImageSizeMultiple = 8; // the VAE works on 8x8 pixel blocks
constexpr double kMinHiresScale = 1.0;
constexpr double kMaxHiresScale = 4.0;

// The hires fix of a panel (A1111's "Latent" upscaler: render, upscale the latents, refine them); off by default.
// The panel keeps its size; its image comes out at int(H·scale)//8·8 × int(W·scale)//8·8.
struct HiresSettings
{
    bool enabled = false;
    double scale = 1.5;    // [kMinHiresScale, kMaxHiresScale]
    double strength = 0.5; // denoising strength of the second pass, [0, 1]
    int steps = 0;         // schedule length of the second pass; 0: the panel's steps
    bool operator==(const HiresSettings &o) const
    {
        return enabled == o.enabled && scale == o.scale && strength == o.strength && steps == o.steps;
    }
    bool operator!=(const HiresSettings &o) const { return !(*this == o); }
};

// One rendered image of a panel. `path` is relative to the project folder.
struct PanelVariant
{
    QString path;
    qint64 seed = 0;
    QString createdAt;      // ISO 8601 UTC
    // Every parameter the engine actually used. Export reads these keys when present (else the panel's
    // current settings): "prompt" / "negativePrompt" (the effective texts the engine received), "steps",
    // "cfgScale", "sampler", "width", "height"; everything else is copied into the PNG metadata as is.
    QJsonObject parameters;
    bool operator==(const PanelVariant &o) const
    {
        return path == o.path && seed == o.seed && createdAt == o.createdAt && parameters == o.parameters;
    }
};

struct Panel
{
    QString prompt;
    QString negativePrompt;
    qint64 seed = 0;
    SeedMode seedMode = SeedMode::Fixed;
    int steps = 25;
    double cfgScale = 5.0;
    QString sampler = QStringLiteral("euler");
    int width = 1024;
    int height = 1024;
    HiresSettings hires;
    QVector<PanelVariant> variants; // every render, oldest first
    int chosenVariant = -1;         // index into variants, -1 = no image
    // Narration or dialogue shown under the panel in the comic outputs (Chinese first); not part of the prompt.
    QString caption;

    const PanelVariant *chosen() const
    {
        return chosenVariant >= 0 && chosenVariant < variants.size() ? &variants[chosenVariant] : nullptr;
    }
    bool operator==(const Panel &o) const;
};

struct StyleSettings
{
    QString prefix;         // words put before every panel prompt
    QString suffix;         // words put after every panel prompt
    QString negativePrompt; // shared negative prompt, joined with each panel's own
    bool operator==(const StyleSettings &o) const
    {
        return prefix == o.prefix && suffix == o.suffix && negativePrompt == o.negativePrompt;
    }
};

struct LoraSettings
{
    QString path;         // LoRA file; relative to the project folder when inside it, else absolute
    double scale = 1.0;   // the user's multiplier (see the engine's scale rule)
    QString triggerWords; // words that call up the LoRA's style; shown on the LoRA card
    bool operator==(const LoraSettings &o) const
    {
        return path == o.path && scale == o.scale && triggerWords == o.triggerWords;
    }
};

constexpr int kPanelCount = 8;

// Joins prompt parts by the rule of Project::effectivePrompt (trim, skip empty, join with ", ").
QString joinPromptParts(const QStringList &parts);

struct Project
{
    QString id; // stable identifier (UUID text) written into exported metadata; may be empty
    QString title;
    QString teamName;                               // for the challenge model name "<team>-可图Kolors训练-<name>"
    QString modelName;                              // the <name> part of that model name; the title is used when empty
    QString license = QStringLiteral("apache-2.0"); // license of the exported LoRA (card front matter)
    QString modelFolder;                            // Kolors model folder (absolute; machine-specific)
    StyleSettings style;
    LoraSettings lora;
    CharacterSettings character; // one character through every panel (schema 3)
    std::array<Panel, kPanelCount> panels;

    // The prompt / negative prompt the engine receives for a panel (style words applied).
    // Rule: the parts (prefix, panel prompt, suffix — resp. panel negative, shared negative) are each
    // trimmed of whitespace and of separators (',' and the full-width '，') at both ends; empty parts
    // are skipped; the rest are joined with ", ". Example: prefix "水彩画，" + prompt "一只猫" + empty
    // suffix gives "水彩画, 一只猫". An out-of-range panel index gives an empty string.
    QString effectivePrompt(int panel) const;
    QString effectiveNegativePrompt(int panel) const;
    bool operator==(const Project &o) const;
};

} // namespace studio::story
