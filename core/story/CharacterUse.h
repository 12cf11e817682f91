#pragma once

#include "A1111Parameters.h"
#include "CharacterSettings.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace studio::story {

// How one image was made with the story's character settings, as the engine used them: what a panel variant's
// "parameters" (and so the PNG's storyboard_studio chunk) and the A1111 "parameters" text record, so the panel
// can be made again. A later panel depends on the identity panels, so their prompts are recorded too.
//
//   "consistency": { "identityPanels": 2, "strength": 0.5, "start": 5, "storySeed": 1000, "panel": 4,
//                    "identity": false, "identityPrompts": ["…", "…"] }
//   "ipAdapter":   { "file": "ip_adapter_plus_general.bin", "imageEncoder": "image_encoder", "scale": 0.5,
//                    "referenceImage": { "file": "阿月.png", "sha256": "…" } }
//
// A1111 text: "Consistency: 0.5, Consistency start: 5, Identity panels: 2, Story seed: 1000, Story panel: 4,
// IP-Adapter: ip_adapter_plus_general.bin, IP-Adapter scale: 0.5, IP-Adapter image: 阿月.png,
// IP-Adapter image hash: <first 12 hex digits>".
struct CharacterUse
{
    // Consistent self-attention (off: nothing of it is recorded).
    bool consistent = false;
    int identityPanels = kDefaultIdentityPanels;
    double strength = kDefaultConsistency;
    int start = kDefaultConsistencyStart;
    qint64 storySeed = 0;        // panel i (0-based) was made with storySeed + i
    int panel = 0;               // 1-based place of the image in the story
    QStringList identityPrompts; // the identity panels' prompts as the engine received them

    // IP-Adapter (off: nothing of it is recorded). File names only, never a user's absolute paths.
    bool ipAdapter = false;
    QString adapterFile;
    QString imageEncoder; // the encoder folder's name
    QString referenceFile;
    QString referenceSha256; // lower-case hex of the reference file's bytes
    double ipScale = kDefaultIpScale;

    bool isIdentityPanel() const { return consistent && panel >= 1 && panel <= identityPanels; }
    bool any() const { return consistent || ipAdapter; }

    // Adds "consistency" / "ipAdapter" to a variant's parameters (nothing when off).
    void writeInto(QJsonObject *parameters) const;
    static CharacterUse fromParameters(const QJsonObject &parameters);

    void addTo(A1111Parameters *parameters) const;
    static CharacterUse fromA1111(const A1111Parameters &parameters);

    // The story settings that make this image again, starting from `current`: consistency on/off and its values,
    // and the IP scale. The reference image itself cannot come from an image's metadata: `current` keeps its own,
    // and *note says which file the image was made with (empty when nothing is missing).
    CharacterSettings settings(const CharacterSettings &current, QString *note) const;

    bool operator==(const CharacterUse &o) const;
};

} // namespace studio::story
