#include "AigcLabel.h"

#include "story/PanelMetadata.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace studio::story {

namespace {

const QLatin1String kRdf("http://www.w3.org/1999/02/22-rdf-syntax-ns#");
const QLatin1String kDc("http://purl.org/dc/elements/1.1/");
const QLatin1String kXmpMeta("adobe:ns:meta/");

} // namespace

AigcLabel AigcLabel::generated()
{
    AigcLabel label;
    label.source = Source::Generated;
    label.produceId = newProduceId();
    return label;
}

AigcLabel AigcLabel::composite(const QString &title)
{
    AigcLabel label;
    label.source = Source::Composite;
    label.produceId = newProduceId();
    label.title = title;
    return label;
}

QString AigcLabel::iptcNamespace()
{
    return QStringLiteral("http://iptc.org/std/Iptc4xmpExt/2008-02-29/");
}

QString AigcLabel::tc260Namespace()
{
    return QStringLiteral("http://www.tc260.org.cn/ns/AIGC/1.0/");
}

QString AigcLabel::sourceTypeUri(Source source)
{
    const QString base = QStringLiteral("http://cv.iptc.org/newscodes/digitalsourcetype/");
    return base + (source == Source::Generated ? QStringLiteral("trainedAlgorithmicMedia")
                                               : QStringLiteral("compositeWithTrainedAlgorithmicMedia"));
}

QString AigcLabel::newProduceId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString AigcLabel::tc260Json() const
{
    // QJsonObject sorts its keys; the guide lists them in this order, so the JSON is written by hand.
    auto quoted = [](const QString &value) {
        const QByteArray json = QJsonDocument(QJsonObject{{QStringLiteral("v"), value}}).toJson(QJsonDocument::Compact);
        // {"v":"..."} -> "..."
        return QString::fromUtf8(json.mid(5, json.size() - 6));
    };
    const QString producer =
        contentProducer.isEmpty() ? QStringLiteral("Storyboard Studio ") + PanelMetadata::appVersion() : contentProducer;
    const QString id = produceId.isEmpty() ? newProduceId() : produceId;
    return QStringLiteral("{\"Label\":\"1\",\"ContentProducer\":%1,\"ProduceID\":%2,\"ReservedCode1\":\"\","
                          "\"ContentPropagator\":\"\",\"PropagateID\":\"\",\"ReservedCode2\":\"\"}")
        .arg(quoted(producer), quoted(id));
}

QString AigcLabel::xmpPacket() const
{
    QString body;
    QXmlStreamWriter xml(&body);
    xml.setAutoFormatting(true);
    xml.setAutoFormattingIndent(1);
    xml.writeNamespace(kXmpMeta, QStringLiteral("x"));
    xml.writeNamespace(kRdf, QStringLiteral("rdf"));
    xml.writeNamespace(tc260Namespace(), QStringLiteral("TC260"));
    xml.writeNamespace(iptcNamespace(), QStringLiteral("Iptc4xmpExt"));
    if (!title.isEmpty())
        xml.writeNamespace(kDc, QStringLiteral("dc"));
    xml.writeStartElement(kXmpMeta, QStringLiteral("xmpmeta"));
    xml.writeStartElement(kRdf, QStringLiteral("RDF"));
    xml.writeStartElement(kRdf, QStringLiteral("Description"));
    xml.writeAttribute(kRdf, QStringLiteral("about"), QString());
    xml.writeAttribute(tc260Namespace(), QStringLiteral("AIGC"), tc260Json());
    xml.writeAttribute(iptcNamespace(), QStringLiteral("DigitalSourceType"), sourceTypeUri(source));
    if (!title.isEmpty()) {
        xml.writeStartElement(kDc, QStringLiteral("title"));
        xml.writeStartElement(kRdf, QStringLiteral("Alt"));
        xml.writeStartElement(kRdf, QStringLiteral("li"));
        xml.writeAttribute(QStringLiteral("xml:lang"), QStringLiteral("x-default"));
        xml.writeCharacters(title);
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }
    xml.writeEndElement(); // Description
    xml.writeEndElement(); // RDF
    xml.writeEndElement(); // xmpmeta
    // The packet wrapper: begin="U+FEFF" marks the encoding; end="w" allows in-place edits.
    return QStringLiteral("<?xpacket begin=\"%1\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n").arg(QChar(0xFEFF)) +
           body.trimmed() + QStringLiteral("\n<?xpacket end=\"w\"?>");
}

PngTextChunk AigcLabel::pngChunk() const
{
    PngTextChunk chunk;
    chunk.keyword = PanelMetadata::xmpKeyword();
    chunk.text = xmpPacket();
    chunk.kind = PngTextChunk::Kind::InternationalText; // XMP in PNG always lives in an uncompressed iTXt
    return chunk;
}

std::optional<AigcLabel> AigcLabel::fromXmp(const QString &xmp, QString *json)
{
    QXmlStreamReader xml(xmp);
    std::optional<AigcLabel> found;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement || xml.name() != QLatin1String("Description") ||
            xml.namespaceUri() != kRdf)
            continue;
        const QXmlStreamAttributes attributes = xml.attributes();
        const QString aigc = attributes.value(tc260Namespace(), QStringLiteral("AIGC")).toString();
        if (aigc.isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(aigc.toUtf8()).object();
        AigcLabel label;
        label.contentProducer = object.value(QStringLiteral("ContentProducer")).toString();
        label.produceId = object.value(QStringLiteral("ProduceID")).toString();
        label.source = attributes.value(iptcNamespace(), QStringLiteral("DigitalSourceType")).toString() ==
                               sourceTypeUri(Source::Composite)
                           ? Source::Composite
                           : Source::Generated;
        if (json)
            *json = aigc;
        found = label;
    }
    if (xml.hasError())
        return std::nullopt;
    return found;
}

} // namespace studio::story
