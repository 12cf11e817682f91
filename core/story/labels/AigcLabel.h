#pragma once

#include "story/PngMetadata.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace studio::story {

// The implicit label of AI-generated content (REFERENCE Part D, GB 45438-2025 with TC260's practice guide),
// written as one XMP packet:
//  - TC260:AIGC (namespace http://www.tc260.org.cn/ns/AIGC/1.0/): JSON with Label "1" (AI-generated),
//    ContentProducer, a ProduceID unique to the file, and the reserved / propagation fields left empty;
//  - Iptc4xmpExt:DigitalSourceType: the IPTC code of how the content came to be, which Adobe, Google and
//    the C2PA tools read.
// The PNG home of XMP is an uncompressed iTXt chunk with keyword "XML:com.adobe.xmp"; the PDF's is the
// document's metadata stream.
struct AigcLabel
{
    enum class Source
    {
        Generated, // one image straight from the model: trainedAlgorithmicMedia
        Composite, // generated images laid out with other elements (grid, strip, pages, PDF):
                   // compositeWithTrainedAlgorithmicMedia
    };

    Source source = Source::Generated;
    QString contentProducer; // defaults to "Storyboard Studio <version>"
    QString produceId;       // defaults to a new random UUID: unique per file
    QString title;           // optional dc:title (the PDF's)

    static AigcLabel generated();
    static AigcLabel composite(const QString &title = QString());

    static QString iptcNamespace();    // http://iptc.org/std/Iptc4xmpExt/2008-02-29/
    static QString tc260Namespace();   // http://www.tc260.org.cn/ns/AIGC/1.0/
    static QString sourceTypeUri(Source source); // http://cv.iptc.org/newscodes/digitalsourcetype/...
    static QString newProduceId();

    // The JSON of TC260:AIGC (compact, keys in the guide's order).
    QString tc260Json() const;
    // The whole XMP packet (<?xpacket ... ?> with the U+FEFF byte-order mark, x:xmpmeta, rdf:RDF).
    QString xmpPacket() const;
    // The iTXt chunk that carries xmpPacket() in a PNG.
    PngTextChunk pngChunk() const;

    // Reads a label back from an XMP packet with a real XML parser; nullopt when the packet has none.
    static std::optional<AigcLabel> fromXmp(const QString &xmp, QString *tc260Json = nullptr);
};

} // namespace studio::story
