#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace studio::story {

class JsonFieldReader;

// Where the character's reference image (IP-Adapter-Plus) comes from.
enum class ReferenceSource
{
    None,  // no reference image: the IP-Adapter is not used
    File,  // an image copied into the project folder (CharacterSettings::referenceFile)
    Panel, // the chosen image of a panel of this story (CharacterSettings::referencePanel)
};

QString referenceSourceName(ReferenceSource source); // "none" | "file" | "panel"
std::optional<ReferenceSource> referenceSourceFromName(const QString &name);

// Accepted ranges (the story file refuses values outside; the engine contract is consistency-tiny/README.md).
constexpr double kMaxIpScale = 2.0; // Kwai-Kolors' samples use 0.3 to 1.0; above 2 the reference drowns the prompt
constexpr int kDefaultIdentityPanels = 2;   // the first two panels
constexpr double kDefaultConsistency = 0.5; // StoryDiffusion's sa32 = sa64 = 0.5
constexpr int kDefaultConsistencyStart = 5; // StoryDiffusion's `cur_step < 5` plain steps
constexpr double kDefaultIpScale = 0.5;     // Kwai-Kolors' sample

// How one story keeps its character the same in every panel (issue 13), saved in the story file under
// "character":
//
//   "character": { "consistent": true, "identityPanels": 2, "strength": 0.5, "start": 5,
//                  "reference": "file", "referenceFile": "characters/阿月.png", "referencePanel": 1,
//                  "ipScale": 0.5 }
//
// Consistent self-attention: the first `identityPanels` panels are denoised together and every later panel
// attends to a share `strength` of their tokens from step `start` on. The reference image steers every panel
// through the IP-Adapter at `ipScale`. Both are independent: either, both or neither may be on.
struct CharacterSettings
{
    bool consistent = false;
    int identityPanels = kDefaultIdentityPanels; // K: the first K panels are the identity panels, 1..kPanelCount
    double strength = kDefaultConsistency;       // P in [0, 1]: share of identity tokens a later panel sees
    int start = kDefaultConsistencyStart;        // S: steps before S use plain self-attention
    ReferenceSource reference = ReferenceSource::None;
    QString referenceFile;            // relative to the project folder ('/' separators), for ReferenceSource::File
    int referencePanel = 0;           // 0-based, for ReferenceSource::Panel
    double ipScale = kDefaultIpScale; // [0, kMaxIpScale]

    bool usesReference() const { return reference != ReferenceSource::None; }
    bool isDefault() const { return *this == CharacterSettings(); }

    bool operator==(const CharacterSettings &o) const
    {
        return consistent == o.consistent && identityPanels == o.identityPanels && strength == o.strength &&
               start == o.start && reference == o.reference && referenceFile == o.referenceFile &&
               referencePanel == o.referencePanel && ipScale == o.ipScale;
    }
    bool operator!=(const CharacterSettings &o) const { return !(*this == o); }

    // The first value that is out of range, as "field: problem" (empty when every value is usable). The
    // rules the story file applies on load; the studio checks its edits with them too.
    QString problem() const;

    QJsonObject toJson() const;
    // Reads the "character" object of a story file (absent: the defaults). `projectDir` may be empty: then the
    // reference path is checked by its text only. Problems go to `reader` with their field path.
    static CharacterSettings fromJson(JsonFieldReader &reader, const QJsonObject &object, const QString &path,
                                      const QString &projectDir);
};

} // namespace studio::story
