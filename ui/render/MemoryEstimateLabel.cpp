#include "MemoryEstimateLabel.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentRun>

namespace studio::ui {

namespace {

// A Settings ▸ Model row and the choice in it, worded as the dialog shows them (the dialog's own catalog entries,
// without the shortcut mark), so the verdict names what the user can change there.
struct Choice
{
    const char *row;
    const char *value;
};

Choice choiceOf(LighterChoice lighter)
{
    switch (lighter) {
    case LighterChoice::ReleaseTextEncoder:
        return {QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "&Release the text encoder before sampling"),
                QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "On")};
    case LighterChoice::TextEncoderOnCpu:
        return {QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "Te&xt encoder runs on"),
                QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "CPU (saves GPU memory)")};
    case LighterChoice::TextEncoderInt8:
        return {QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "Text encoder &weights"),
                QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "int8 (half the memory)")};
    case LighterChoice::TextEncoderInt4:
        return {QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "Text encoder &weights"),
                QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "int4 (a quarter, 8 GB cards and 16 GB PCs)")};
    case LighterChoice::UNetBlockOffload:
        return {QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "&UNet on the GPU"),
                QT_TRANSLATE_NOOP("studio::ui::ModelSettingsDialog", "Block by block (4-6 GB cards, slower)")};
    case LighterChoice::None:
        break;
    }
    return {"", ""};
}

QString dialogText(const char *source)
{
    return QCoreApplication::translate("studio::ui::ModelSettingsDialog", source);
}

// "Te&xt encoder runs on" -> "Text encoder runs on"; "文本编码器运行于(&X)" -> "文本编码器运行于" (the rows hold no
// literal "&").
QString withoutMnemonic(QString text)
{
    static const QRegularExpression trailingMark(QStringLiteral("\\s*[(（]&[^)）]+[)）]"));
    text.remove(trailingMark);
    text.remove(QLatin1Char('&'));
    return text;
}

} // namespace

QString MemoryEstimateLabel::gib(qint64 bytes, int decimals)
{
    return QStringLiteral("%1 GiB").arg(double(bytes) / double(qint64(1) << 30), 0, 'f', decimals);
}

QStringList MemoryEstimateLabel::gibs(qint64 needed, qint64 free)
{
    // "needs 7.6 GiB, 7.6 GiB free" would read as a contradiction: up to 3 decimals until the two differ.
    int decimals = 1;
    while (needed != free && decimals < 3 && gib(needed, decimals) == gib(free, decimals))
        ++decimals;
    return {gib(needed, decimals), gib(free, decimals)};
}

MemoryEstimateLabel::MemoryEstimateLabel(QWidget *parent) : QLabel(parent)
{
    setObjectName(QStringLiteral("memoryEstimateLabel"));
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(&m_watcher, &QFutureWatcher<MemoryFigures>::finished, this, &MemoryEstimateLabel::showResult);
}

void MemoryEstimateLabel::estimate(const EngineSettings &settings, int width, int height)
{
    const Request request{settings, width, height};
    if (m_running) {
        m_next = request; // the running one's answer is stale when it comes; this one follows it
        return;
    }
    if (settings.modelDir.trimmed().isEmpty()) {
        m_figures = {};
        setText(tr("Choose the model folder to see how much memory rendering needs."));
        Q_EMIT estimated();
        return;
    }
    m_running = request;
    setText(tr("Estimating the memory these settings need…"));
    m_watcher.setFuture(QtConcurrent::run(
        [request] { return EngineSupport::estimateMemory(request.settings, request.width, request.height); }));
}

void MemoryEstimateLabel::showResult()
{
    const Request done = *m_running;
    m_running.reset();
    if (m_next) {
        const Request next = *m_next;
        m_next.reset();
        estimate(next.settings, next.width, next.height);
        return;
    }
    m_figures = m_watcher.result();
    setText(describe(m_figures, done.width, done.height));
    Q_EMIT estimated();
}

QString MemoryEstimateLabel::describe(const MemoryFigures &f, int width, int height)
{
    if (!f.ok)
        return describeEstimate(f, width, height);
    return describeEstimate(f, width, height) + QLatin1Char('\n') + describeVerdict(f);
}

QString MemoryEstimateLabel::describeEstimate(const MemoryFigures &f, int width, int height)
{
    if (!f.ok)
        return tr("No memory estimate: %1").arg(f.problem);
    if (f.onCuda)
        return tr("Estimated peak for %1×%2 images: %3 of GPU memory, %4 of RAM (%5 with the model files the "
                  "system maps in).")
            .arg(width)
            .arg(height)
            .arg(gib(f.vramBytes), gib(f.privateBytes), gib(f.residentBytes));
    return tr("Estimated peak for %1×%2 images on the CPU: %3 of RAM (%4 with the model files the system maps in).")
        .arg(width)
        .arg(height)
        .arg(gib(f.privateBytes), gib(f.residentBytes));
}

QString MemoryEstimateLabel::describeVerdict(const MemoryFigures &f)
{
    const FreeMemory &free = f.free;
    switch (f.fit) {
    case MemoryFit::Unknown:
        if (free.ramBytes < 0)
            return tr("How much RAM is free on this computer is unknown, so there is no verdict on whether these "
                      "settings fit.");
        return tr("How much GPU memory is free is unknown, so there is no verdict on whether these settings fit.");
    case MemoryFit::Fits: {
        const QStringList ram = gibs(f.neededPrivateBytes, free.ramBytes);
        QString text;
        if (f.onCuda) {
            const QStringList vram = gibs(f.neededVramBytes, free.vramBytes);
            text = tr("✓ Fits: needs %1 of the %2 of GPU memory and %3 of the %4 of RAM free now.")
                       .arg(vram[0], vram[1], ram[0], ram[1]);
        } else {
            text = tr("✓ Fits: needs %1 of the %2 of RAM free now.").arg(ram[0], ram[1]);
        }
        if (f.textEncoderMovesToCpu)
            text += QLatin1Char(' ') +
                    tr("The text encoder then runs on the CPU, as “Automatic” chooses when GPU memory is short.");
        return text;
    }
    case MemoryFit::DoesNotFit:
        break;
    }
    // Name only the figures that are short (an unknown one is not checked, as the engine does).
    const bool vramShort = f.onCuda && free.vramBytes >= 0 && f.neededVramBytes > free.vramBytes;
    const bool ramShort = free.ramBytes >= 0 && f.neededPrivateBytes > free.ramBytes;
    const QStringList ram = gibs(f.neededPrivateBytes, qMax<qint64>(0, free.ramBytes));
    const QStringList vram = gibs(f.neededVramBytes, free.vramBytes);
    QString text;
    if (vramShort && ramShort)
        text = tr("✗ Does not fit: needs %1 of GPU memory and %2 of RAM; %3 and %4 are free now.")
                   .arg(vram[0], ram[0], vram[1], ram[1]);
    else if (vramShort)
        text = tr("✗ Does not fit: needs %1 of GPU memory, %2 free now.").arg(vram[0], vram[1]);
    else
        text = tr("✗ Does not fit: needs %1 of RAM, %2 free now.").arg(ram[0], ram[1]);
    if (f.lighterChanges.isEmpty())
        return text + QLatin1Char(' ') +
               tr("No lighter setting fits: close other programs or choose a smaller image size.");
    QStringList changes;
    for (LighterChoice change : f.lighterChanges) {
        const Choice choice = choiceOf(change);
        //: %1 is a row of Settings ▸ Model, %2 the choice to make in it
        changes << tr("“%1”: %2").arg(withoutMnemonic(dialogText(choice.row)), dialogText(choice.value));
    }
    const QString needs = f.onCuda ? tr("%1 of GPU memory, %2 of RAM").arg(gib(f.lighterVramBytes), gib(f.lighterPrivateBytes))
                                   : tr("%1 of RAM").arg(gib(f.lighterPrivateBytes));
    //: %1 lists the choices (“row”: choice), %2 what they need
    return text + QLatin1Char(' ') +
           tr("Lighter settings that fit: %1 (needs %2).").arg(changes.join(tr("; ", "between lighter settings")), needs);
}

} // namespace studio::ui
