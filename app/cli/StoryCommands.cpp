// `storyboard new | validate | export`: story projects on the command line.
#include "Cli.h"

#ifdef STUDIO_HAS_ENGINE
#include "bridge/EngineLoraFacts.h"
#endif

#include "story/ProjectFile.h"
#include "story/SeedPolicy.h"
#include "story/StoryExporter.h"
#include "story/StoryValidator.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUuid>

#include <optional>

using namespace studio::story;

namespace studio::cli {

namespace {

constexpr qint64 kMaxPromptFileSize = 1024 * 1024;

struct PromptLine
{
    QString prompt;
    QString caption;
};

// The 8 panels of a prompts file: one per line, blank lines ignored. A line may carry the panel's caption
// after the first '|' (or full-width '｜'): "prompt | caption". Prompts never need a bar, captions may.
std::optional<QVector<PromptLine>> readPrompts(const QString &path, QString *error)
{
    QFile file(path);
    if (!QFileInfo::exists(path)) {
        *error = QStringLiteral("%1: no such file").arg(path);
        return std::nullopt;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxPromptFileSize) {
        *error = QStringLiteral("%1: too large for a prompts file (%2 bytes)").arg(path, QString::number(file.size()));
        return std::nullopt;
    }
    QString text = QString::fromUtf8(file.readAll());
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    QVector<PromptLine> prompts;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (line.trimmed().isEmpty())
            continue;
        const qsizetype ascii = line.indexOf(QLatin1Char('|'));
        const qsizetype fullWidth = line.indexOf(QChar(0xFF5C));
        const qsizetype bar = ascii < 0 ? fullWidth : fullWidth < 0 ? ascii : qMin(ascii, fullWidth);
        PromptLine entry;
        entry.prompt = (bar < 0 ? line : line.left(bar)).trimmed();
        entry.caption = bar < 0 ? QString() : line.mid(bar + 1).trimmed();
        if (entry.prompt.isEmpty()) {
            *error = QStringLiteral("%1: the line \"%2\" has a caption but no prompt").arg(path, line.trimmed());
            return std::nullopt;
        }
        prompts.append(entry);
    }
    if (prompts.size() != kPanelCount) {
        *error = QStringLiteral("%1 has %2 prompts (non-blank lines); a story needs exactly %3, one per line")
                     .arg(path, QString::number(prompts.size()), QString::number(kPanelCount));
        return std::nullopt;
    }
    return prompts;
}

QString defaultTitle(const QString &storyPath)
{
    const QFileInfo info(storyPath);
    const QString base = info.completeBaseName();
    if (base.compare(QLatin1String("story"), Qt::CaseInsensitive) == 0 || base.isEmpty())
        return QDir(info.absolutePath()).dirName();
    return base;
}

} // namespace

int runNew(const QStringList &args)
{
    const QString command = QStringLiteral("new");
    QCommandLineParser parser;
    const QCommandLineOption prompts(QStringLiteral("prompts"),
                                     QStringLiteral("Text file with the 8 panel prompts, one per line (blank lines "
                                                    "are ignored); \"prompt | caption\" also sets the panel's "
                                                    "caption."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption negative(QStringLiteral("negative"),
                                      QStringLiteral("Negative prompt shared by all panels."), QStringLiteral("TEXT"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of panel 1; panel k gets N+k-1 (default: random)."),
                                  QStringLiteral("N"));
    const QCommandLineOption style(QStringLiteral("style"),
                                   QStringLiteral("Style words put before every prompt (the style prefix)."),
                                   QStringLiteral("TEXT"));
    const QCommandLineOption title(
        QStringLiteral("title"), QStringLiteral("Story title (default: from the file name)."), QStringLiteral("TEXT"));
    const QCommandLineOption team(QStringLiteral("team"),
                                  QStringLiteral("Team name for the exported model name <team>-可图Kolors训练-<name>."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Overwrite STORY if it exists."));
    parser.addOptions({prompts, negative, seed, style, title, team, force});
    if (const auto done = parseCommand(parser, args, command,
                                       QStringLiteral("Create a story project from a file of 8 prompts."),
                                       storyArgument()))
        return *done;

    const QString storyPath = parser.positionalArguments().constFirst();
    if (!parser.isSet(prompts))
        return fail(command, QStringLiteral("--prompts FILE is required (see 'storyboard new --help')"));
    if (QFileInfo::exists(storyPath) && !parser.isSet(force))
        return fail(command, QStringLiteral("%1 already exists (use --force to overwrite it)").arg(storyPath));
    if (QFileInfo(storyPath).isDir())
        return fail(command, QStringLiteral("%1 is a folder; give the path of the story file").arg(storyPath));

    qint64 firstSeed = randomSeed();
    if (parser.isSet(seed)) {
        bool ok = false;
        firstSeed = parser.value(seed).trimmed().toLongLong(&ok);
        if (!ok || firstSeed < 0 || firstSeed > kMaxSeed)
            return fail(command, QStringLiteral("--seed \"%1\" is not a whole number in [0, %2]")
                                     .arg(parser.value(seed), QString::number(kMaxSeed)));
    }

    QString error;
    const std::optional<QVector<PromptLine>> lines = readPrompts(parser.value(prompts), &error);
    if (!lines)
        return fail(command, error);

    Project project;
    project.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    project.title = parser.isSet(title) ? parser.value(title).trimmed() : defaultTitle(storyPath);
    project.teamName = parser.value(team).trimmed();
    project.style.prefix = parser.value(style).trimmed();
    project.style.negativePrompt = parser.value(negative).trimmed();
    QRandomGenerator unused; // increment never draws
    qint64 panelSeed = firstSeed;
    for (int i = 0; i < kPanelCount; ++i) {
        Panel &panel = project.panels[size_t(i)];
        panel.prompt = lines->at(i).prompt;
        panel.caption = lines->at(i).caption;
        panel.seed = panelSeed;
        panelSeed = nextSeed(panelSeed, SeedMode::Increment, unused);
    }

    const QString folder = QFileInfo(storyPath).absolutePath();
    if (!QDir().mkpath(folder))
        return fail(command, QStringLiteral("%1: cannot create the folder").arg(folder));
    if (!ProjectFile::save(project, storyPath, &error))
        return fail(command, error);
    out(QStringLiteral("created %1: \"%2\", %3 panels, seeds %4 to %5")
            .arg(storyPath, project.title, QString::number(kPanelCount), QString::number(project.panels.front().seed),
                 QString::number(project.panels.back().seed)));
    return 0;
}

int runValidate(const QStringList &args)
{
    const QString command = QStringLiteral("validate");
    QCommandLineParser parser;
    if (const auto done = parseCommand(parser, args, command,
                                       QStringLiteral("Check a story file and every image it references; print "
                                                      "each problem. Exit status 0 only when there is no error."),
                                       storyArgument()))
        return *done;
    const QString storyPath = parser.positionalArguments().constFirst();
    QString error;
    const std::optional<Project> project = ProjectFile::load(storyPath, &error);
    if (!project)
        return fail(command, error);

    const QVector<StoryIssue> issues = StoryValidator::check(*project, QFileInfo(storyPath).absolutePath());
    int errors = 0;
    for (const StoryIssue &issue : issues) {
        out(storyPath + QStringLiteral(": ") + issue.toString());
        if (issue.severity == StoryIssue::Severity::Error)
            ++errors;
    }
    const int warnings = int(issues.size()) - errors;
    if (errors > 0)
        return fail(command, QStringLiteral("%1: %2 error(s), %3 warning(s)")
                                 .arg(storyPath, QString::number(errors), QString::number(warnings)));
    out(QStringLiteral("%1: valid (%2 warning(s))").arg(storyPath, QString::number(warnings)));
    return 0;
}

int runExport(const QStringList &args)
{
    const QString command = QStringLiteral("export");
    QCommandLineParser parser;
    const QCommandLineOption outDir({QStringLiteral("o"), QStringLiteral("out")},
                                    QStringLiteral("Folder to write the submission into (created if needed)."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption noLabel(QStringLiteral("no-ai-label"),
                                     QStringLiteral("Leave out the implicit AI-generated label (XMP) in the PNGs."));
    const QCommandLineOption comic(QStringLiteral("comic"),
                                   QStringLiteral("Also write the reader-ready comic: any of pdf (comic.pdf), cbz "
                                                  "(comic.cbz) and strip (comic-strip.png, 1080 px wide), "
                                                  "comma-separated."),
                                   QStringLiteral("LIST"));
    const QCommandLineOption pdfLayout(QStringLiteral("pdf-layout"),
                                       QStringLiteral("comic.pdf layout: grid (the 2x4 panels on one page, the "
                                                      "default) or pages (one panel per page)."),
                                       QStringLiteral("LAYOUT"), QStringLiteral("grid"));
    const QCommandLineOption visibleLabel(QStringLiteral("visible-label"),
                                          QStringLiteral("Draw the explicit label \"AI生成\" in the bottom-right "
                                                         "corner of every exported image and PDF page."));
    parser.addOptions({outDir, noLabel, comic, pdfLayout, visibleLabel});
    if (const auto done = parseCommand(parser, args, command,
                                       QStringLiteral("Write the challenge submission: grid.png (1024x2048), "
                                                      "panels/01..08.png with metadata, README.md (LoRA card), "
                                                      "configuration.json and the LoRA file; with --comic also "
                                                      "the comic to read and share."),
                                       storyArgument()))
        return *done;
    if (!parser.isSet(outDir) || parser.value(outDir).trimmed().isEmpty())
        return fail(command, QStringLiteral("--out DIR is required (see 'storyboard export --help')"));

    const QString storyPath = parser.positionalArguments().constFirst();
    QString error;
    const std::optional<Project> project = ProjectFile::load(storyPath, &error);
    if (!project)
        return fail(command, error);

    ExportOptions options;
    options.aigcLabel = !parser.isSet(noLabel);
    options.visibleLabel = parser.isSet(visibleLabel);
    if (parser.isSet(comic)) {
        const std::optional<ComicOptions> formats = ComicOptions::fromFormatList(parser.value(comic), &error);
        if (!formats)
            return fail(command, QStringLiteral("--comic: ") + error);
        options.comic = *formats;
    }
    const std::optional<ComicOptions::PdfLayout> layout = ComicOptions::pdfLayoutFromName(parser.value(pdfLayout));
    if (!layout)
        return fail(command, QStringLiteral("--pdf-layout \"%1\" is not grid or pages").arg(parser.value(pdfLayout)));
    options.comic.pdfLayout = *layout;
    options.comic.visibleLabel = parser.isSet(visibleLabel);
#ifdef STUDIO_HAS_ENGINE
    options.completeLoraFacts = bridge::completeLoraFacts;
#endif
    ExportReport report;
    const QString dir = parser.value(outDir);
    if (!StoryExporter::exportStory(*project, QFileInfo(storyPath).absolutePath(), dir, options, &report, &error))
        return fail(command, error);
    for (const QString &warning : report.warnings)
        out(QStringLiteral("warning: ") + warning);
    for (const QString &file : report.files)
        out(QStringLiteral("wrote ") + QDir(dir).filePath(file));
    return 0;
}

} // namespace studio::cli
