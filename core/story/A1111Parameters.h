#pragma once

#include <QSize>
#include <QString>
#include <QVector>

#include <optional>

namespace studio::story {

// The AUTOMATIC1111 "parameters" text (REFERENCE Part B §2.1), the de-facto standard way of storing
// how an image was made; also written by Forge, SD.Next, Fooocus (A1111 mode) and sd.cpp:
//
//     <prompt, may span lines>
//     Negative prompt: <negative, may span lines>          (omitted when empty)
//     Steps: 25, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 5, Seed: 1234, Size: 1024x1024
//
// The last line holds the "key: value" pairs only when it has at least three of them; otherwise it is
// part of the prompt. A value containing ',' ':' or a line break is written as a JSON string.
//
// parse() is deliberately lenient because it restores parameters from images made by other tools:
// CRLF line ends, a BOM, surrounding blank lines, unknown keys, any key order, bare keys, sd.cpp's
// "Sampler: euler_a karras" and Fooocus' / InvokeAI's JSON-object form are all accepted.
class A1111Parameters
{
public:
    struct Entry
    {
        QString key;
        QString value; // unquoted text
        bool operator==(const Entry &o) const { return key == o.key && value == o.value; }
    };

    QString prompt;
    QString negativePrompt;
    QVector<Entry> entries; // in written order

    bool operator==(const A1111Parameters &o) const
    {
        return prompt == o.prompt && negativePrompt == o.negativePrompt && entries == o.entries;
    }

    // Keys are matched case-insensitively. value() is empty when the key is absent.
    bool contains(const QString &key) const;
    QString value(const QString &key) const;
    // Replaces the value of an existing key (keeping its place) or appends the pair.
    void set(const QString &key, const QString &value);
    void remove(const QString &key);

    // Typed readers; std::nullopt when the key is absent or its value does not parse.
    std::optional<qint64> seed() const;
    std::optional<int> steps() const;
    std::optional<double> cfgScale() const;
    std::optional<QSize> size() const; // "Size: WxH"
    // One of samplerNames() from "Sampler" (+ "Schedule type"), or nullopt when unknown.
    std::optional<QString> sampler() const;

    // Fills Steps, Sampler (+ Schedule type), CFG scale, Seed and Size from our own names.
    void setGeneration(int steps, const QString &sampler, double cfgScale, qint64 seed, int width, int height);

    QString format() const;
    static A1111Parameters parse(const QString &text);

    // A1111's display name of one of our samplers ("euler_a" → "Euler a", "dpmpp_2m_karras" → "DPM++ 2M"),
    // and the "Schedule type" that goes with it ("Karras" or empty).
    static QString samplerDisplayName(const QString &sampler);
    static QString scheduleTypeFor(const QString &sampler);
    // Maps a sampler name written by A1111, Forge, ComfyUI, Fooocus or sd.cpp (optionally with the
    // schedule appended, "DPM++ 2M Karras", "dpm++2m karras") back to one of ours.
    static std::optional<QString> samplerFromDisplayName(const QString &name, const QString &scheduleType = {});

    // A1111's value quoting: a value with ',' ':' or a line break becomes a JSON string (non-ASCII kept).
    static QString quoteValue(const QString &value);
    // Shortest text that reads back as the same double, without a trailing ".0" ("5", "7.5", "0.125").
    static QString formatNumber(double value);
};

} // namespace studio::story
