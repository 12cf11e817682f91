#include "PromptHighlighter.h"

#include "refine/PromptWeighting.h"

#include <QTextDocument>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace studio::ui {
namespace {

// QString index of every UTF-8 byte offset of `text` (plus the end).
std::vector<int> utf8ToUtf16(const QString &text)
{
    std::vector<int> map;
    for (int i = 0; i < text.size(); ++i) {
        const char32_t code = text[i].isHighSurrogate() && i + 1 < text.size()
                                  ? QChar::surrogateToUcs4(text[i], text[i + 1])
                                  : char32_t(text[i].unicode());
        const int bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
        for (int b = 0; b < bytes; ++b)
            map.push_back(i);
        if (code >= 0x10000)
            ++i;
    }
    map.push_back(int(text.size()));
    return map;
}

QTextCharFormat weightFormat(double weight)
{
    QTextCharFormat format;
    if (weight == 1.0)
        return format;
    // Up to 2x (or down to 0.5x and below) reaches the full colour.
    const double strength = qBound(0.25, std::abs(weight - 1.0) * 2.0 + 0.25, 1.0);
    const QColor full = weight > 1.0 ? QColor(0xc2, 0x41, 0x0c) : QColor(0x1d, 0x4e, 0xd8);
    QColor colour = full;
    colour.setAlphaF(float(strength));
    format.setForeground(colour);
    if (weight > 1.0)
        format.setFontWeight(QFont::DemiBold);
    return format;
}

} // namespace

PromptHighlighter::PromptHighlighter(QTextDocument *document) : QSyntaxHighlighter(document) {}

void PromptHighlighter::highlightBlock(const QString &block)
{
    // Brackets may span lines, so the whole prompt is parsed and this block's part is coloured.
    const QString whole = document()->toPlainText();
    const int blockStart = currentBlock().position();
    const std::string utf8 = whole.toStdString();
    const std::vector<int> index = utf8ToUtf16(whole);
    auto apply = [&](size_t begin, size_t end, const QTextCharFormat &format) {
        const int from = qMax(index[begin] - blockStart, 0);
        const int to = qMin(index[end] - blockStart, int(block.size()));
        if (to > from)
            setFormat(from, to - from, format);
    };
    QTextCharFormat syntax;
    syntax.setForeground(QColor(0x80, 0x80, 0x80));
    QTextCharFormat literal;
    literal.setForeground(QColor(0x0f, 0x76, 0x6e));
    try {
        const engine::ParsedPrompt parsed = engine::parsePromptWeights(utf8);
        for (const engine::PromptSpan &span : parsed.spans) {
            switch (span.kind) {
            case engine::PromptSpan::Kind::Open:
            case engine::PromptSpan::Kind::Close:
            case engine::PromptSpan::Kind::Dropped:
                apply(span.begin, span.end, syntax);
                break;
            case engine::PromptSpan::Kind::Literal: {
                QTextCharFormat format = weightFormat(span.weight);
                format.setForeground(literal.foreground());
                apply(span.begin, span.begin + 1, syntax); // the backslash
                apply(span.begin + 1, span.end, format);
                break;
            }
            case engine::PromptSpan::Kind::Text:
                apply(span.begin, span.end, weightFormat(span.weight));
                break;
            }
        }
    } catch (const std::exception &) {
        // A weight that is no number: the engine refuses the prompt; show where.
        QTextCharFormat bad;
        bad.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        bad.setUnderlineColor(Qt::red);
        int colon = int(block.lastIndexOf(QLatin1Char(':')));
        if (colon >= 0)
            setFormat(colon, int(block.size()) - colon, bad);
    }
}

} // namespace studio::ui
