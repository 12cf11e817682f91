#include "LoraFacts.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace studio::story {

namespace {

constexpr qint64 kChunk = 4 * 1024 * 1024;

// A safetensors file starts with the byte length N of its JSON header (little-endian u64), then '{'.
std::optional<qint64> safetensorsHeaderLength(const QByteArray &head, qint64 fileSize)
{
    if (head.size() < 9)
        return std::nullopt;
    quint64 n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | quint64(uchar(head.at(i)));
    if (n < 2 || n > quint64(fileSize - 8) || head.at(8) != '{')
        return std::nullopt;
    return qint64(n);
}

} // namespace

QString LoraFacts::shortHash() const
{
    return (addnetHash ? *addnetHash : sha256).left(10);
}

std::optional<LoraFacts> LoraFacts::inspect(const QString &path, QString *error,
                                            const std::function<bool(qint64, qint64)> &progress)
{
    auto refuse = [error, &path](const QString &message) -> std::optional<LoraFacts> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, message);
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return refuse(QCoreApplication::translate("studio::story::LoraFacts", "LoRA file is missing"));
    if (!info.isFile())
        return refuse(QCoreApplication::translate("studio::story::LoraFacts", "LoRA path is not a file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(QCoreApplication::translate("studio::story::LoraFacts", "cannot read the LoRA file: %1")
                          .arg(file.errorString()));

    LoraFacts facts;
    facts.fileName = info.fileName();
    facts.sizeBytes = file.size();

    const QByteArray head = file.peek(16);
    const std::optional<qint64> headerLength = safetensorsHeaderLength(head, facts.sizeBytes);
    if (headerLength)
        facts.format = QStringLiteral("safetensors");
    else if (head.startsWith("PK\x03\x04"))
        facts.format = QStringLiteral("PyTorch zip checkpoint");
    else if (head.size() >= 2 && uchar(head.at(0)) == 0x80 && uchar(head.at(1)) >= 2 && uchar(head.at(1)) <= 5)
        facts.format = QStringLiteral("PyTorch pickle");
    else
        facts.format = QStringLiteral("unknown");

    // One pass computes both hashes: the addnet hash skips the 8 + N header bytes.
    QCryptographicHash whole(QCryptographicHash::Sha256);
    QCryptographicHash addnet(QCryptographicHash::Sha256);
    const qint64 skip = headerLength ? 8 + *headerLength : 0;
    qint64 done = 0;
    while (!file.atEnd()) {
        const QByteArray chunk = file.read(kChunk);
        if (chunk.isEmpty() && file.error() != QFileDevice::NoError)
            return refuse(QCoreApplication::translate("studio::story::LoraFacts", "cannot read the LoRA file: %1")
                              .arg(file.errorString()));
        if (chunk.isEmpty())
            break;
        whole.addData(chunk);
        if (headerLength) {
            const qint64 from = qMax<qint64>(0, skip - done);
            if (from < chunk.size())
                addnet.addData(QByteArrayView(chunk.constData() + from, chunk.size() - from));
        }
        done += chunk.size();
        if (progress && !progress(done, facts.sizeBytes))
            return refuse(QCoreApplication::translate("studio::story::LoraFacts", "cancelled"));
    }
    if (done != facts.sizeBytes)
        return refuse(
            QCoreApplication::translate("studio::story::LoraFacts", "the LoRA file changed while it was read"));
    facts.sha256 = QString::fromLatin1(whole.result().toHex());
    if (headerLength)
        facts.addnetHash = QString::fromLatin1(addnet.result().toHex());
    facts.training = LoraTrainingFacts::read(path); // a broken record only leaves the card without it
    return facts;
}

} // namespace studio::story
