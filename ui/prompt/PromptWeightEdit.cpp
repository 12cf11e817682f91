#include "PromptWeightEdit.h"

#include "refine/PromptWeighting.h"

#include <QRegularExpression>

#include <cmath>

namespace studio::ui {
namespace {

// Word boundaries: A1111's default delimiters, whitespace, and the Chinese punctuation that separates phrases.
bool isDelimiter(QChar c)
{
    static const QString delimiters = QStringLiteral(".,\\/!?%^*;:{}=`~()[]，。、；：！？（）【】「」");
    return c.isSpace() || delimiters.contains(c);
}

bool isEscaped(const QString &text, int index)
{
    int backslashes = 0;
    for (int i = index - 1; i >= 0 && text[i] == QLatin1Char('\\'); --i)
        ++backslashes;
    return backslashes % 2 == 1;
}

// The bracket group "(…)" around `cursor`: the index of its '(' and of its ')', or nothing.
std::optional<std::pair<int, int>> enclosingGroup(const QString &text, int cursor)
{
    int open = -1;
    for (int i = cursor - 1; i >= 0; --i) {
        if (isEscaped(text, i))
            continue;
        if (text[i] == QLatin1Char(')'))
            return std::nullopt;
        if (text[i] == QLatin1Char('(')) {
            open = i;
            break;
        }
    }
    if (open < 0)
        return std::nullopt;
    for (int i = cursor; i < text.size(); ++i) {
        if (isEscaped(text, i))
            continue;
        if (text[i] == QLatin1Char('('))
            return std::nullopt;
        if (text[i] == QLatin1Char(')'))
            return std::make_pair(open, i);
    }
    return std::nullopt;
}

QString formatWeight(double weight)
{
    return QString::fromStdString(engine::formatPromptWeight(weight));
}

} // namespace

std::optional<PromptEdit> adjustPromptWeight(const QString &text, int start, int end, double step)
{
    start = qBound(0, start, int(text.size()));
    end = qBound(start, end, int(text.size()));
    static const QRegularExpression weightTail(QStringLiteral("^:\\s*([+-]?[.\\d]+)\\s*\\)"));

    if (start == end) {
        if (const auto group = enclosingGroup(text, start)) {
            // Inside "(…)" or "(…:w)": the group's text without its weight.
            start = group->first + 1;
            end = group->second;
            const int colon = int(text.lastIndexOf(QLatin1Char(':'), end - 1));
            if (colon >= start && weightTail.match(text.mid(colon)).hasMatch())
                end = colon;
        } else {
            while (start > 0 && !isDelimiter(text[start - 1]))
                --start;
            while (end < text.size() && !isDelimiter(text[end]))
                ++end;
        }
    }
    while (start < end && text[start].isSpace())
        ++start;
    while (end > start && text[end - 1].isSpace())
        --end;
    if (start == end)
        return std::nullopt;

    // Already weighted: "(sel:w)" or "(sel)" (= 1.1) around the selection.
    double weight = 1.0;
    int replaceFrom = start, replaceTo = end;
    if (start > 0 && text[start - 1] == QLatin1Char('(') && !isEscaped(text, start - 1)) {
        const QRegularExpressionMatch match = weightTail.match(text.mid(end));
        bool ok = false;
        const double current = match.hasMatch() ? match.captured(1).toDouble(&ok) : 0.0;
        if (ok) {
            weight = current;
            replaceFrom = start - 1;
            replaceTo = end + int(match.capturedLength());
        } else if (end < text.size() && text[end] == QLatin1Char(')')) {
            weight = 1.1;
            replaceFrom = start - 1;
            replaceTo = end + 1;
        }
    }
    const double next = std::round((weight + step) * 100.0) / 100.0;
    const QString inner = text.mid(start, end - start);
    const QString replacement = next == 1.0 ? inner : QStringLiteral("(%1:%2)").arg(inner, formatWeight(next));
    PromptEdit edit;
    edit.text = text.left(replaceFrom) + replacement + text.mid(replaceTo);
    edit.selectionStart = replaceFrom + (next == 1.0 ? 0 : 1);
    edit.selectionEnd = edit.selectionStart + int(inner.size());
    return edit;
}

} // namespace studio::ui
