#pragma once

#include "A1111Parameters.h"
#include "CharacterUse.h"
#include "LoraFacts.h"
#include "PngMetadata.h"
#include "Project.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace studio::story {

// The metadata written into an exported panel PNG (REFERENCE B §2.4):
//  1. "parameters": A1111 text, so A1111 PNG Info, Forge, Fooocus, Civitai and sd.cpp recover the
//     prompt, seed and size (tEXt, or uncompressed iTXt when the prompt is not Latin-1);
//  2. "storyboard_studio": our JSON with a "schema" field and every parameter, ASCII-escaped so it is
//     always a plain tEXt chunk; this is what our own drag-and-drop restores losslessly;
//  3. "XML:com.adobe.xmp": the implicit AI-generated-content label (REFERENCE Part D), when asked for.
//
// The values describe the chosen image: its own seed, and the keys "prompt", "negativePrompt",
// "steps", "cfgScale", "sampler", "width", "height" of PanelVariant::parameters when the engine
// recorded them; the panel's current settings otherwise.
class PanelMetadata
{
public:
    static constexpr int kSchemaVersion = 1;
    static QString chunkKeyword();      // "storyboard_studio"
    static QString parametersKeyword(); // "parameters"
    static QString xmpKeyword();        // "XML:com.adobe.xmp"

    // The generation settings of panel `index` (0-based) as rendered.
    struct Settings
    {
        QString prompt;         // effective (style words applied)
        QString negativePrompt; // effective
        qint64 seed = 0;
        int steps = 0;
        double cfgScale = 0;
        QString sampler;
        int width = 0;
        int height = 0;
    };
    static Settings settings(const Project &project, int index);

    static A1111Parameters a1111(const Project &project, int index, const std::optional<LoraFacts> &lora);
    // Engine choices that change the image and have no A1111 key, under our own: "Text encoder quantization:
    // int8" when the engine parameters (a variant's, bridge::generationParameters) record a quantized ChatGLM.
    // The story's PNGs and `storyboard generate` both write them through here.
    static void addEngineChoices(const QJsonObject &engineParameters, A1111Parameters *p);
    static QJsonObject json(const Project &project, int index, const std::optional<LoraFacts> &lora);
    // `aigcLabel`: add the XMP chunk labelling the image as AI-generated (AigcLabel::generated(), with a
    // ProduceID of its own on every call).
    static QVector<PngTextChunk> chunks(const Project &project, int index, const std::optional<LoraFacts> &lora,
                                        bool aigcLabel);

    // Compact JSON with every non-ASCII character written as \uXXXX (so the text is pure ASCII).
    static QByteArray asciiJson(const QJsonObject &object);

    // What a dropped image tells about a panel. From our own chunk the panel's settings come back
    // exactly (its own prompt without the style words); from A1111-style "parameters" (ours, A1111,
    // Forge, Fooocus, sd.cpp) the prompt is the full prompt as written, and values that are out of our
    // range or unknown (e.g. a sampler we lack) are left at the panel's current value and listed in notes.
    struct Restored
    {
        Panel panel;
        QString source;    // the keyword the values came from
        QStringList notes; // what could not be taken over
        // The story's character settings the image was made with (consistent characters, reference image):
        // story-level, so the caller decides whether to take them (any() is false when the image used none).
        CharacterUse character;
    };
    static std::optional<Restored> restore(const QVector<PngTextChunk> &chunks, const Panel &current, QString *error);

    static QString appVersion();
};

} // namespace studio::story
