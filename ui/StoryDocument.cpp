#include "StoryDocument.h"

#include "commands/AddVariantCommand.h"
#include "commands/ChooseVariantCommand.h"
#include "commands/RestorePanelCommand.h"
#include "commands/SetPanelFieldCommand.h"
#include "commands/SetStoryFieldCommand.h"
#include "character/SetCharacterCommand.h"

#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"
#include "story/ProjectFile.h"
#include "story/ProjectPaths.h"
#include "story/SeedPolicy.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUndoStack>

namespace studio::ui {

using story::Panel;
using story::Project;

namespace {

// Canonical QVariant type per field, so that "5" and 5 compare equal and commands store one type.
QVariant canonicalPanelValue(PanelField field, const QVariant &value)
{
    switch (field) {
    case PanelField::Prompt:
    case PanelField::NegativePrompt:
    case PanelField::Sampler:
    case PanelField::Caption:
        return value.toString();
    case PanelField::Seed:
        return QVariant::fromValue<qint64>(qBound<qint64>(0, value.toLongLong(), story::kMaxSeed));
    case PanelField::SeedMode:
        return qBound(int(story::SeedMode::Fixed), value.toInt(), int(story::SeedMode::Randomize));
    // Kept inside the ranges the project file accepts, so an edit can never make the story unsaveable.
    case PanelField::Steps:
        return qBound(story::kMinSteps, value.toInt(), story::kMaxSteps);
    case PanelField::CfgScale:
        return qBound(story::kMinCfgScale, value.toDouble(), story::kMaxCfgScale);
    case PanelField::Width:
    case PanelField::Height: {
        const int size = qBound(story::kMinImageSize, value.toInt(), story::kMaxImageSize);
        return size - size % story::kImageSizeMultiple;
    }
    case PanelField::HiresEnabled:
        return value.toBool();
    case PanelField::HiresScale:
        return qBound(story::kMinHiresScale, value.toDouble(), story::kMaxHiresScale);
    case PanelField::HiresStrength:
        return qBound(0.0, value.toDouble(), 1.0);
    case PanelField::HiresSteps:
        return qBound(0, value.toInt(), story::kMaxSteps);
    }
    return value;
}

QVariant canonicalStoryValue(StoryField field, const QVariant &value)
{
    if (field == StoryField::LoraScale)
        return value.toDouble();
    return value.toString();
}

QString stableAbsolutePath(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

} // namespace

StoryDocument::StoryDocument(QObject *parent) : QObject(parent), m_undoStack(new QUndoStack(this))
{
    connect(m_undoStack, &QUndoStack::cleanChanged, this, [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
    m_project = newProject();
}

StoryDocument::~StoryDocument() = default;

QString StoryDocument::projectDir() const
{
    return m_filePath.isEmpty() ? QString() : QFileInfo(m_filePath).absolutePath();
}

QString StoryDocument::displayName() const
{
    if (m_filePath.isEmpty())
        return tr("Untitled", "name of a story that was never saved");
    return QFileInfo(m_filePath).fileName();
}

bool StoryDocument::isModified() const
{
    return !m_undoStack->isClean();
}

Project StoryDocument::newProject()
{
    Project project;
    const qint64 base = story::randomSeed();
    for (int i = 0; i < story::kPanelCount; ++i)
        project.panels[i].seed = (base + i) % (story::kMaxSeed + 1);
    return project;
}

void StoryDocument::reset(const Project &project, const QString &filePath, bool markModified)
{
    m_project = project;
    const QString path = filePath.isEmpty() ? QString() : stableAbsolutePath(filePath);
    const bool pathChanged = path != m_filePath;
    m_filePath = path;
    m_runtimeState.fill(std::nullopt);
    m_undoStack->clear();
    m_undoStack->setClean();
    if (markModified)
        m_undoStack->resetClean();
    touch();
    Q_EMIT projectReplaced();
    Q_EMIT documentReset();
    if (pathChanged)
        Q_EMIT filePathChanged(m_filePath);
    Q_EMIT modifiedChanged(isModified());
}

bool StoryDocument::load(const QString &path, QString *error)
{
    std::optional<Project> project = story::ProjectFile::load(path, error);
    if (!project)
        return false;
    reset(*project, path);
    return true;
}

bool StoryDocument::save(QString *error)
{
    if (m_filePath.isEmpty()) {
        if (error)
            *error = tr("The story has no file name yet.");
        return false;
    }
    if (!story::ProjectFile::save(m_project, m_filePath, error))
        return false;
    m_undoStack->setClean();
    return true;
}

bool StoryDocument::saveAs(const QString &path, QString *error)
{
    const QString target = stableAbsolutePath(path);
    const QString oldDir = projectDir();
    const QString newDir = QFileInfo(target).absolutePath();
    if (!oldDir.isEmpty() && QDir(oldDir) != QDir(newDir) && !copyReferencedFiles(oldDir, newDir, error))
        return false;
    if (!story::ProjectFile::save(m_project, target, error))
        return false;
    const bool pathChanged = target != m_filePath;
    m_filePath = stableAbsolutePath(target);
    m_undoStack->setClean();
    if (pathChanged)
        Q_EMIT filePathChanged(m_filePath);
    // Relative image paths now resolve against the new folder.
    Q_EMIT documentReset();
    return true;
}

bool StoryDocument::copyReferencedFiles(const QString &fromDir, const QString &toDir, QString *error) const
{
    QStringList relativePaths;
    for (const Panel &panel : m_project.panels) {
        for (const story::PanelVariant &variant : panel.variants)
            relativePaths << variant.path;
    }
    if (!m_project.lora.path.isEmpty() && !story::ProjectPaths::looksAbsolute(m_project.lora.path))
        relativePaths << m_project.lora.path;
    if (!m_project.character.referenceFile.isEmpty())
        relativePaths << m_project.character.referenceFile;
    relativePaths.removeDuplicates();

    for (const QString &relative : std::as_const(relativePaths)) {
        QString why;
        const QString source = story::ProjectPaths::resolveInside(fromDir, relative, &why);
        if (source.isEmpty() || !QFileInfo::exists(source))
            continue; // a missing image stays missing; validate/export report it
        const QString destination = story::ProjectPaths::resolveInside(toDir, relative, &why);
        if (destination.isEmpty()) {
            if (error)
                *error = tr("Cannot copy “%1” into the new folder: %2").arg(relative, why);
            return false;
        }
        if (QFileInfo::exists(destination))
            continue;
        if (!QDir().mkpath(QFileInfo(destination).absolutePath()) || !QFile::copy(source, destination)) {
            if (error)
                *error = tr("Cannot copy “%1” to “%2”.").arg(source, destination);
            return false;
        }
    }
    return true;
}

QString StoryDocument::chosenImagePath(int panel) const
{
    if (!isValidPanel(panel))
        return {};
    return variantImagePath(panel, m_project.panels[panel].chosenVariant);
}

QString StoryDocument::variantImagePath(int panel, int variant) const
{
    if (!isValidPanel(panel) || m_filePath.isEmpty())
        return {};
    const Panel &p = m_project.panels[panel];
    if (variant < 0 || variant >= p.variants.size())
        return {};
    QString why;
    return story::ProjectPaths::resolveInside(projectDir(), p.variants[variant].path, &why);
}

QVariant StoryDocument::panelField(int panel, PanelField field) const
{
    if (!isValidPanel(panel))
        return {};
    const Panel &p = m_project.panels[panel];
    switch (field) {
    case PanelField::Prompt:
        return p.prompt;
    case PanelField::NegativePrompt:
        return p.negativePrompt;
    case PanelField::Seed:
        return QVariant::fromValue<qint64>(p.seed);
    case PanelField::SeedMode:
        return int(p.seedMode);
    case PanelField::Steps:
        return p.steps;
    case PanelField::CfgScale:
        return p.cfgScale;
    case PanelField::Sampler:
        return p.sampler;
    case PanelField::Width:
        return p.width;
    case PanelField::Height:
        return p.height;
    case PanelField::Caption:
        return p.caption;
    case PanelField::HiresEnabled:
        return p.hires.enabled;
    case PanelField::HiresScale:
        return p.hires.scale;
    case PanelField::HiresStrength:
        return p.hires.strength;
    case PanelField::HiresSteps:
        return p.hires.steps;
    }
    return {};
}

void StoryDocument::setPanelField(int panel, PanelField field, const QVariant &value)
{
    if (!isValidPanel(panel))
        return;
    const QVariant oldValue = panelField(panel, field);
    const QVariant newValue = canonicalPanelValue(field, value);
    if (oldValue == newValue)
        return;
    m_undoStack->push(new SetPanelFieldCommand(this, panel, field, oldValue, newValue));
}

QVariant StoryDocument::storyField(StoryField field) const
{
    switch (field) {
    case StoryField::Title:
        return m_project.title;
    case StoryField::TeamName:
        return m_project.teamName;
    case StoryField::StylePrefix:
        return m_project.style.prefix;
    case StoryField::StyleSuffix:
        return m_project.style.suffix;
    case StoryField::SharedNegative:
        return m_project.style.negativePrompt;
    case StoryField::LoraPath:
        return m_project.lora.path;
    case StoryField::LoraScale:
        return m_project.lora.scale;
    case StoryField::ModelFolder:
        return m_project.modelFolder;
    }
    return {};
}

void StoryDocument::setStoryField(StoryField field, const QVariant &value)
{
    const QVariant oldValue = storyField(field);
    const QVariant newValue = canonicalStoryValue(field, value);
    if (oldValue == newValue)
        return;
    m_undoStack->push(new SetStoryFieldCommand(this, field, oldValue, newValue));
}

bool StoryDocument::setCharacter(const story::CharacterSettings &settings)
{
    if (!settings.problem().isEmpty())
        return false;
    if (settings == m_project.character)
        return true;
    m_undoStack->push(new SetCharacterCommand(this, m_project.character, settings));
    return true;
}

void StoryDocument::chooseVariant(int panel, int variant)
{
    if (!isValidPanel(panel))
        return;
    const Panel &p = m_project.panels[panel];
    if (variant < -1 || variant >= p.variants.size() || variant == p.chosenVariant)
        return;
    m_undoStack->push(new ChooseVariantCommand(this, panel, p.chosenVariant, variant));
}

void StoryDocument::addVariant(int panel, const story::PanelVariant &variant, bool choose, int group)
{
    if (!isValidPanel(panel))
        return;
    m_undoStack->push(new AddVariantCommand(this, panel, variant, choose, group));
}

namespace {
// The fields a restore may change; variants and the chosen image stay.
bool sameSettings(const Panel &a, const Panel &b)
{
    return a.prompt == b.prompt && a.negativePrompt == b.negativePrompt && a.seed == b.seed &&
           a.seedMode == b.seedMode && a.steps == b.steps && a.cfgScale == b.cfgScale && a.sampler == b.sampler &&
           a.width == b.width && a.height == b.height && a.hires == b.hires;
}
} // namespace

bool StoryDocument::setPanelSettings(int panel, const story::Panel &settings, const QString &undoText)
{
    if (!isValidPanel(panel))
        return false;
    const Panel &before = m_project.panels[panel];
    Panel after = before;
    after.prompt = settings.prompt;
    after.negativePrompt = settings.negativePrompt;
    after.seed = canonicalPanelValue(PanelField::Seed, QVariant::fromValue<qint64>(settings.seed)).toLongLong();
    after.seedMode = settings.seedMode;
    after.steps = canonicalPanelValue(PanelField::Steps, settings.steps).toInt();
    after.cfgScale = canonicalPanelValue(PanelField::CfgScale, settings.cfgScale).toDouble();
    after.sampler = settings.sampler;
    after.width = canonicalPanelValue(PanelField::Width, settings.width).toInt();
    after.height = canonicalPanelValue(PanelField::Height, settings.height).toInt();
    after.hires.enabled = settings.hires.enabled;
    after.hires.scale = canonicalPanelValue(PanelField::HiresScale, settings.hires.scale).toDouble();
    after.hires.strength = canonicalPanelValue(PanelField::HiresStrength, settings.hires.strength).toDouble();
    after.hires.steps = canonicalPanelValue(PanelField::HiresSteps, settings.hires.steps).toInt();
    if (sameSettings(before, after))
        return false;
    breakMerge();
    m_undoStack->push(new RestorePanelCommand(this, panel, before, after, undoText));
    breakMerge();
    return true;
}

bool StoryDocument::restorePanelFromImage(int panel, const QString &imagePath, QString *error, QStringList *notes)
{
    if (!isValidPanel(panel)) {
        *error = tr("There is no panel %1.", "storyboard panel").arg(panel + 1);
        return false;
    }
    QString why;
    const std::optional<QVector<story::PngTextChunk>> chunks = story::PngMetadata::readTextChunks(imagePath, &why);
    if (!chunks) {
        *error = tr("“%1” cannot be read: %2").arg(QFileInfo(imagePath).fileName(), why);
        return false;
    }
    const std::optional<story::PanelMetadata::Restored> restored =
        story::PanelMetadata::restore(*chunks, m_project.panels[panel], &why);
    if (!restored) {
        *error = why.isEmpty() ? tr("“%1” carries no generation settings (no A1111 “parameters” text and no "
                                    "Storyboard Studio metadata).")
                                     .arg(QFileInfo(imagePath).fileName())
                               : tr("“%1”: %2").arg(QFileInfo(imagePath).fileName(), why);
        return false;
    }
    if (notes)
        *notes = restored->notes;
    //: undo text; %1 is the panel number 1..8
    const QString undoText = tr("Restore panel %1 from an image", "storyboard panel").arg(panel + 1);
    // An image made with the story's character settings brings them back too (they are story-wide); an image that
    // records none leaves them as they are.
    story::CharacterSettings character = m_project.character;
    if (restored->character.any()) {
        QString note;
        character = restored->character.settings(m_project.character, &note);
        if (!note.isEmpty() && notes)
            notes->append(note);
    }
    if (character == m_project.character || !character.problem().isEmpty()) {
        setPanelSettings(panel, restored->panel, undoText);
        return true;
    }
    breakMerge();
    m_undoStack->beginMacro(undoText);
    setPanelSettings(panel, restored->panel, undoText);
    setCharacter(character);
    m_undoStack->endMacro();
    breakMerge();
    return true;
}

PanelState StoryDocument::panelState(int panel) const
{
    if (!isValidPanel(panel))
        return PanelState::Empty;
    if (m_runtimeState[panel])
        return *m_runtimeState[panel];
    return m_project.panels[panel].chosen() ? PanelState::HasImage : PanelState::Empty;
}

void StoryDocument::setPanelState(int panel, PanelState state)
{
    if (!isValidPanel(panel))
        return;
    std::optional<PanelState> runtime;
    if (state != PanelState::Empty && state != PanelState::HasImage)
        runtime = state;
    if (m_runtimeState[panel] == runtime)
        return;
    m_runtimeState[panel] = runtime;
    Q_EMIT panelStateChanged(panel);
}

void StoryDocument::applyPanelField(int panel, PanelField field, const QVariant &value)
{
    Panel &p = m_project.panels[panel];
    switch (field) {
    case PanelField::Prompt:
        p.prompt = value.toString();
        break;
    case PanelField::NegativePrompt:
        p.negativePrompt = value.toString();
        break;
    case PanelField::Seed:
        p.seed = value.toLongLong();
        break;
    case PanelField::SeedMode:
        p.seedMode = static_cast<story::SeedMode>(value.toInt());
        break;
    case PanelField::Steps:
        p.steps = value.toInt();
        break;
    case PanelField::CfgScale:
        p.cfgScale = value.toDouble();
        break;
    case PanelField::Sampler:
        p.sampler = value.toString();
        break;
    case PanelField::Width:
        p.width = value.toInt();
        break;
    case PanelField::Height:
        p.height = value.toInt();
        break;
    case PanelField::Caption:
        p.caption = value.toString();
        break;
    case PanelField::HiresEnabled:
        p.hires.enabled = value.toBool();
        break;
    case PanelField::HiresScale:
        p.hires.scale = value.toDouble();
        break;
    case PanelField::HiresStrength:
        p.hires.strength = value.toDouble();
        break;
    case PanelField::HiresSteps:
        p.hires.steps = value.toInt();
        break;
    }
    touch();
    Q_EMIT panelChanged(panel);
}

void StoryDocument::applyCharacter(const story::CharacterSettings &settings)
{
    m_project.character = settings;
    Q_EMIT characterChanged();
    touch();
}

void StoryDocument::applyStoryField(StoryField field, const QVariant &value)
{
    switch (field) {
    case StoryField::Title:
        m_project.title = value.toString();
        break;
    case StoryField::TeamName:
        m_project.teamName = value.toString();
        break;
    case StoryField::StylePrefix:
        m_project.style.prefix = value.toString();
        break;
    case StoryField::StyleSuffix:
        m_project.style.suffix = value.toString();
        break;
    case StoryField::SharedNegative:
        m_project.style.negativePrompt = value.toString();
        break;
    case StoryField::LoraPath:
        m_project.lora.path = value.toString();
        break;
    case StoryField::LoraScale:
        m_project.lora.scale = value.toDouble();
        break;
    case StoryField::ModelFolder:
        m_project.modelFolder = value.toString();
        break;
    }
    touch();
    Q_EMIT storyChanged(field);
}

void StoryDocument::applyChosenVariant(int panel, int variant)
{
    m_project.panels[panel].chosenVariant = variant;
    touch();
    Q_EMIT panelChanged(panel);
}

void StoryDocument::applyInsertVariant(int panel, int index, const story::PanelVariant &variant)
{
    m_project.panels[panel].variants.insert(index, variant);
    touch();
    Q_EMIT panelChanged(panel);
}

void StoryDocument::applyRemoveVariant(int panel, int index)
{
    auto &variants = m_project.panels[panel].variants;
    if (index < 0 || index >= variants.size())
        return;
    variants.removeAt(index);
    touch();
    Q_EMIT panelChanged(panel);
}

void StoryDocument::applyPanelSettings(int panel, const story::Panel &settings)
{
    Panel &p = m_project.panels[panel];
    p.prompt = settings.prompt;
    p.negativePrompt = settings.negativePrompt;
    p.seed = settings.seed;
    p.seedMode = settings.seedMode;
    p.steps = settings.steps;
    p.cfgScale = settings.cfgScale;
    p.sampler = settings.sampler;
    p.width = settings.width;
    p.height = settings.height;
    touch();
    Q_EMIT panelChanged(panel);
}

void StoryDocument::touch()
{
    ++m_revision;
    Q_EMIT contentChanged();
}

} // namespace studio::ui
