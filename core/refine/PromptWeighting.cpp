#include "refine/PromptWeighting.h"

#include "engine/common/EngineError.h"

#include <cmath>
#include <cstdio>
#include <locale>
#include <sstream>

namespace studio::engine {
namespace {

// A1111's multipliers: `(` 1.1 and `[` 1/1.1, both as doubles.
constexpr double kRoundMultiplier = 1.1;
constexpr double kSquareMultiplier = 1.0 / 1.1;

bool isRegexSpace(char c) // Python's \s on ASCII text
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Matches `:\s*([+-]?[.\d]+)\s*\)` at `at` (which holds ':'). Returns the length of the match (0: none) and the
// number's text.
size_t matchWeight(const std::string &s, size_t at, std::string *number)
{
    size_t i = at + 1;
    while (i < s.size() && isRegexSpace(s[i]))
        ++i;
    const size_t numberStart = i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
    const size_t digitsStart = i;
    while (i < s.size() && (isDigit(s[i]) || s[i] == '.'))
        ++i;
    if (i == digitsStart)
        return 0;
    const size_t numberEnd = i;
    while (i < s.size() && isRegexSpace(s[i]))
        ++i;
    if (i >= s.size() || s[i] != ')')
        return 0;
    *number = s.substr(numberStart, numberEnd - numberStart);
    return i + 1 - at;
}

// Python's float() on `[+-]?[.\d]+`: valid when it has at most one '.' and at least one digit.
double parseNumber(const std::string &number)
{
    int dots = 0, digits = 0;
    for (char c : number) {
        dots += c == '.';
        digits += isDigit(c);
    }
    if (dots > 1 || digits == 0)
        throw EngineError(EngineError::Code::BadArgument,
                          "prompt weight \"" + number + "\" is not a number (write it like (word:1.3))");
    std::istringstream in(number[0] == '+' ? number.substr(1) : number);
    in.imbue(std::locale::classic()); // correctly rounded, whatever the user's locale
    double value = 0.0;
    in >> value;
    return value;
}

bool isSpecialAfterBackslash(char c)
{
    return c == '(' || c == ')' || c == '[' || c == ']' || c == '\\';
}

bool isTextChar(char c)
{
    return c != '\\' && c != '(' && c != ')' && c != '[' && c != ']' && c != ':';
}

size_t utf8Length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if ((lead >> 5) == 0x6)
        return 2;
    if ((lead >> 4) == 0xE)
        return 3;
    if ((lead >> 3) == 0x1E)
        return 4;
    return 1; // a stray continuation byte counts on its own
}

size_t codePointCount(const std::string &s)
{
    size_t count = 0;
    for (size_t i = 0; i < s.size(); i += utf8Length(static_cast<unsigned char>(s[i])))
        ++count;
    return count;
}

bool isBytePiece(const std::string &piece)
{
    auto hex = [](char c) { return isDigit(c) || (c >= 'A' && c <= 'F'); };
    return piece.size() == 6 && piece.compare(0, 3, "<0x") == 0 && hex(piece[3]) && hex(piece[4]) && piece[5] == '>';
}

} // namespace

ParsedPrompt parsePromptWeights(const std::string &s)
{
    ParsedPrompt parsed;
    std::vector<size_t> texts;         // indices of the spans that carry text, in order (A1111's `res`)
    std::vector<size_t> round, square; // `texts.size()` when each open bracket was seen
    auto add = [&](PromptSpan::Kind kind, size_t begin, size_t end, std::string text) {
        PromptSpan span;
        span.kind = kind;
        span.begin = begin;
        span.end = end;
        span.text = std::move(text);
        if (kind == PromptSpan::Kind::Text || kind == PromptSpan::Kind::Literal || kind == PromptSpan::Kind::Dropped)
            texts.push_back(parsed.spans.size());
        parsed.spans.push_back(std::move(span));
    };
    auto multiplyFrom = [&](size_t first, double multiplier) {
        for (size_t i = first; i < texts.size(); ++i)
            parsed.spans[texts[i]].weight *= multiplier;
    };

    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '\\') {
            if (i + 1 < s.size() && isSpecialAfterBackslash(s[i + 1])) {
                add(PromptSpan::Kind::Literal, i, i + 2, std::string(1, s[i + 1]));
                i += 2;
            } else {
                add(PromptSpan::Kind::Dropped, i, i + 1, {});
                ++i;
            }
        } else if (c == '(' || c == '[') {
            (c == '(' ? round : square).push_back(texts.size());
            add(PromptSpan::Kind::Open, i, i + 1, {});
            parsed.spans.back().weight = 1.0;
            ++i;
        } else if (c == ':') {
            std::string number;
            const size_t length = matchWeight(s, i, &number);
            if (length > 0 && !round.empty()) {
                const double weight = parseNumber(number);
                const size_t first = round.back();
                round.pop_back();
                multiplyFrom(first, weight);
                add(PromptSpan::Kind::Close, i, i + length, {});
                i += length;
            } else {
                const size_t n = length > 0 ? length : 1; // `:1.5)` with no `(` open stays text as a whole
                add(PromptSpan::Kind::Text, i, i + n, s.substr(i, n));
                i += n;
            }
        } else if (c == ')' || c == ']') {
            std::vector<size_t> &stack = c == ')' ? round : square;
            if (stack.empty()) {
                add(PromptSpan::Kind::Text, i, i + 1, std::string(1, c));
            } else {
                const size_t first = stack.back();
                stack.pop_back();
                multiplyFrom(first, c == ')' ? kRoundMultiplier : kSquareMultiplier);
                add(PromptSpan::Kind::Close, i, i + 1, {});
            }
            ++i;
        } else {
            size_t end = i;
            while (end < s.size() && isTextChar(s[end]))
                ++end;
            add(PromptSpan::Kind::Text, i, end, s.substr(i, end - i));
            i = end;
        }
    }
    // Unclosed brackets apply their factor too: the round ones in the order they were opened, then the square ones.
    for (size_t first : round)
        multiplyFrom(first, kRoundMultiplier);
    for (size_t first : square)
        multiplyFrom(first, kSquareMultiplier);

    for (const PromptSpan &span : parsed.spans) {
        parsed.hasSyntax = parsed.hasSyntax || span.kind != PromptSpan::Kind::Text;
        parsed.text += span.text;
        parsed.weights.insert(parsed.weights.end(), span.text.size(), span.weight);
    }
    return parsed;
}

std::vector<double> pieceWeights(const ParsedPrompt &prompt, const std::vector<std::string> &pieces)
{
    // The normalised text "▁" + text: position 0 is the dummy prefix, every U+0020 is a space.
    struct CodePoint
    {
        bool space;
        double weight;
        size_t bytes;
    };
    std::vector<CodePoint> points{{true, 1.0, 3}};
    for (size_t i = 0; i < prompt.text.size();) {
        const size_t n = std::min(utf8Length(static_cast<unsigned char>(prompt.text[i])), prompt.text.size() - i);
        points.push_back({prompt.text[i] == ' ', prompt.weights[i], n});
        i += n;
    }

    std::vector<double> weights;
    weights.reserve(pieces.size());
    size_t cursor = 0, byteInPoint = 0;
    for (const std::string &piece : pieces) {
        if (isBytePiece(piece)) {
            // A byte-fallback piece belongs to the code point whose UTF-8 bytes it spells.
            const bool inside = cursor < points.size();
            weights.push_back(inside && !points[cursor].space ? points[cursor].weight : 1.0);
            if (inside && ++byteInPoint >= points[cursor].bytes) {
                ++cursor;
                byteInPoint = 0;
            }
            continue;
        }
        const size_t covered = codePointCount(piece);
        double weight = 1.0;
        for (size_t k = cursor; k < cursor + covered && k < points.size(); ++k)
            if (!points[k].space) {
                weight = points[k].weight;
                break;
            }
        weights.push_back(weight);
        cursor += covered;
        byteInPoint = 0;
    }
    return weights;
}

std::string formatPromptWeight(double weight)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", std::round(weight * 100.0) / 100.0);
    std::string text = buffer;
    // snprintf may use the C locale's decimal point; the syntax needs '.'.
    for (char &c : text)
        if (c == ',')
            c = '.';
    while (!text.empty() && text.back() == '0')
        text.pop_back();
    if (!text.empty() && text.back() == '.')
        text.pop_back();
    return text == "-0" ? "0" : text;
}

} // namespace studio::engine
