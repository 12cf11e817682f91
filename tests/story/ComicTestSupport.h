#pragma once
// Independent readers for the comic tests: Info-ZIP's unzip and poppler's pdftotext / pdfinfo (both installed by
// scripts/setup-debian.sh), and QXmlStreamReader for XMP and ComicInfo.xml.
#include "story/PngMetadata.h"
#include "story/labels/AigcLabel.h"

#include <QProcess>
#include <QStandardPaths>
#include <QXmlStreamReader>

#include <optional>

namespace comic_test {

struct Tool
{
    int exitCode = -1;
    QByteArray out;
};

inline Tool run(const QString &program, const QStringList &args)
{
    Tool t;
    const QString exe = QStandardPaths::findExecutable(program);
    if (exe.isEmpty()) {
        t.out = program.toUtf8() + " is not installed (scripts/setup-debian.sh installs it)";
        return t;
    }
    QProcess p;
    p.start(exe, args);
    if (!p.waitForFinished(120000))
        p.kill();
    t.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    t.out = p.readAllStandardOutput();
    if (t.exitCode != 0)
        t.out += p.readAllStandardError();
    return t;
}

// The XMP packets of a PNG: the text of every "XML:com.adobe.xmp" chunk.
inline QStringList xmpPackets(const QByteArray &png)
{
    QStringList packets;
    QString error;
    const auto chunks = studio::story::PngMetadata::readTextChunks(png, &error);
    if (!chunks)
        return {QStringLiteral("unreadable: ") + error};
    for (const auto &c : *chunks) {
        if (c.keyword == QLatin1String("XML:com.adobe.xmp"))
            packets.append(c.text);
    }
    return packets;
}

// The TC260 JSON and the IPTC source type of an XMP packet, read with an XML parser.
struct ParsedLabel
{
    QString tc260;
    QString sourceType;
};

inline std::optional<ParsedLabel> parseXmp(const QString &xmp)
{
    QXmlStreamReader xml(xmp);
    std::optional<ParsedLabel> found;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("Description")) {
            ParsedLabel label;
            label.tc260 = xml.attributes().value(QStringLiteral("http://www.tc260.org.cn/ns/AIGC/1.0/"),
                                                 QStringLiteral("AIGC")).toString();
            label.sourceType = xml.attributes().value(QStringLiteral("http://iptc.org/std/Iptc4xmpExt/2008-02-29/"),
                                                      QStringLiteral("DigitalSourceType")).toString();
            if (!label.tc260.isEmpty())
                found = label;
        }
    }
    if (xml.hasError())
        return std::nullopt;
    return found;
}

} // namespace comic_test
