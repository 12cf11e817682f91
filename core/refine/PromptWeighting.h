#pragma once

// A1111 prompt weighting on ChatGLM prompts (refine-tiny README §3): `(word)`, `[word]`, `(word:1.3)`, `\(`.
// Torch-free and Qt-free, so the engine, the CLI and the studio's editor (highlighting, token counting) all use
// this one parser.

#include <cstddef>
#include <string>
#include <vector>

namespace studio::engine {

// One lexical piece of a weighted prompt, with its place in the source text (UTF-8 byte offsets).
struct PromptSpan
{
    enum class Kind
    {
        Text,    // ordinary text (kept), including unmatched closers and colons that are no weight
        Literal, // an escape such as `\(`: the character after the backslash is kept
        Open,    // `(` or `[`
        Close,   // `)`, `]` or `:<weight>)` closing an open bracket
        Dropped, // a lone backslash before another character (A1111 drops it)
    };
    Kind kind = Kind::Text;
    size_t begin = 0, end = 0; // [begin, end) in the source text
    std::string text;          // what the span contributes to the syntax-free text (empty for syntax)
    double weight = 1.0;       // the final weight of that text (1.0 for syntax)
};

struct ParsedPrompt
{
    std::vector<PromptSpan> spans;
    std::string text;            // the syntax-free text: what the tokenizer sees
    std::vector<double> weights; // one per byte of `text`
    bool hasSyntax = false;      // anything but plain text (then `text` may differ from the source)
};

// A1111's parse_prompt_attention (v1.9.4, BREAK not special). Throws EngineError::BadArgument when an explicit
// weight closing a `(` is not a number, such as `(cat:1.2.3)` (A1111 raises ValueError there).
ParsedPrompt parsePromptWeights(const std::string &utf8Prompt);

// The weight of each sentencepiece piece of the parsed text (pieces as the tokenizer spells them: "▁" for a space,
// "<0xNN>" for a byte-fallback piece): the weight of the first code point it covers that is not a space; 1.0 for a
// piece of spaces only.
std::vector<double> pieceWeights(const ParsedPrompt &prompt, const std::vector<std::string> &pieces);

// The weight of an explicit `(text:w)` as the studio writes it: at most 2 decimals, no trailing zeros ("1.1").
std::string formatPromptWeight(double weight);

} // namespace studio::engine
