#pragma once

#include <QJsonObject>
#include <QString>
#include <QVector>

#include <array>
#include <optional>

namespace studio::story {

// What "Regenerate" does to a panel's seed (ComfyUI's control_after_generate values).
enum class SeedMode { Fixed, Increment, Decrement, Randomize };

QString seedModeName(SeedMode mode);                      // "fixed", "increment", ...
std::optional<SeedMode> seedModeFromName(const QString &name);

// Seeds stay below 2^53 so they round-trip exactly through JSON numbers.
constexpr qint64 kMaxSeed = (qint64(1) << 53) - 1;

// The sampler names the engine and the CLI accept (REFERENCE A.3).
const QStringList &samplerNames(); // euler, euler_a, dpmpp_2m, dpmpp_2m_karras, ddim

// One rendered image of a panel. `path` is relative to the project folder.
struct PanelVariant
{
    QString path;
    qint64 seed = 0;
    QString createdAt;      // ISO 8601 UTC
    QJsonObject parameters; // every parameter the engine actually used
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
    QVector<PanelVariant> variants; // every render, oldest first
    int chosenVariant = -1;         // index into variants, -1 = no image

    const PanelVariant *chosen() const
    {
        return chosenVariant >= 0 && chosenVariant < variants.size() ? &variants[chosenVariant] : nullptr;
    }
    bool operator==(const Panel &o) const;
};

struct StyleSettings
{
    QString prefix;          // words put before every panel prompt
    QString suffix;          // words put after every panel prompt
    QString negativePrompt;  // shared negative prompt, joined with each panel's own
    bool operator==(const StyleSettings &o) const
    {
        return prefix == o.prefix && suffix == o.suffix && negativePrompt == o.negativePrompt;
    }
};

struct LoraSettings
{
    QString path;        // LoRA file; relative to the project folder when inside it, else absolute
    double scale = 1.0;  // the user's multiplier (see the engine's scale rule)
    bool operator==(const LoraSettings &o) const { return path == o.path && scale == o.scale; }
};

constexpr int kPanelCount = 8;

struct Project
{
    QString title;
    QString teamName;      // for the challenge model name "<team>-可图Kolors训练-<name>"
    QString modelFolder;   // Kolors model folder (absolute; machine-specific)
    StyleSettings style;
    LoraSettings lora;
    std::array<Panel, kPanelCount> panels;

    // The prompt / negative prompt the engine receives for a panel (style words applied).
    QString effectivePrompt(int panel) const;
    QString effectiveNegativePrompt(int panel) const;
    bool operator==(const Project &o) const;
};

} // namespace studio::story
