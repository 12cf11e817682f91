#include "Project.h"

namespace studio::story {

namespace {

struct SeedModeEntry
{
    SeedMode mode;
    const char *name;
};

constexpr SeedModeEntry kSeedModes[] = {
    {SeedMode::Fixed, "fixed"},
    {SeedMode::Increment, "increment"},
    {SeedMode::Decrement, "decrement"},
    {SeedMode::Randomize, "randomize"},
};

bool isSeparator(QChar c)
{
    return c.isSpace() || c == QLatin1Char(',') || c == QChar(0xFF0C); // '，' FULLWIDTH COMMA
}

QString trimSeparators(const QString &text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isSeparator(text.at(begin)))
        ++begin;
    while (end > begin && isSeparator(text.at(end - 1)))
        --end;
    return text.mid(begin, end - begin);
}

} // namespace

QString seedModeName(SeedMode mode)
{
    for (const SeedModeEntry &e : kSeedModes) {
        if (e.mode == mode)
            return QString::fromLatin1(e.name);
    }
    return QStringLiteral("fixed");
}

std::optional<SeedMode> seedModeFromName(const QString &name)
{
    for (const SeedModeEntry &e : kSeedModes) {
        if (name == QLatin1String(e.name))
            return e.mode;
    }
    return std::nullopt;
}

const QStringList &samplerNames()
{
    static const QStringList names = {
        QStringLiteral("euler"),           QStringLiteral("euler_a"), QStringLiteral("dpmpp_2m"),
        QStringLiteral("dpmpp_2m_karras"), QStringLiteral("ddim"),
    };
    return names;
}

QString joinPromptParts(const QStringList &parts)
{
    QStringList kept;
    for (const QString &part : parts) {
        const QString trimmed = trimSeparators(part);
        if (!trimmed.isEmpty())
            kept.append(trimmed);
    }
    return kept.join(QStringLiteral(", "));
}

bool Panel::operator==(const Panel &o) const
{
    return prompt == o.prompt && negativePrompt == o.negativePrompt && seed == o.seed && seedMode == o.seedMode &&
           steps == o.steps && cfgScale == o.cfgScale && sampler == o.sampler && width == o.width &&
           height == o.height && hires == o.hires && variants == o.variants && chosenVariant == o.chosenVariant &&
           caption == o.caption;
}

QString Project::effectivePrompt(int panel) const
{
    if (panel < 0 || panel >= kPanelCount)
        return {};
    return joinPromptParts({style.prefix, panels[size_t(panel)].prompt, style.suffix});
}

QString Project::effectiveNegativePrompt(int panel) const
{
    if (panel < 0 || panel >= kPanelCount)
        return {};
    return joinPromptParts({panels[size_t(panel)].negativePrompt, style.negativePrompt});
}

bool Project::operator==(const Project &o) const
{
    return id == o.id && title == o.title && teamName == o.teamName && modelName == o.modelName &&
           license == o.license && modelFolder == o.modelFolder && style == o.style && lora == o.lora &&
           character == o.character && panels == o.panels;
}

} // namespace studio::story
