// A1111 prompt weighting (refine-tiny README §3): the parser on A1111's documented examples and every visible case
// (fragments, the syntax-free text, each piece's weight, the token ids and weights), and the spans the studio's
// editor highlights.

#include "RefineGolden.h"

#include "refine/PromptWeighting.h"
#include "engine/api/TextApi.h"
#include "engine/common/EngineError.h"

#include <QtTest>

using namespace studio::engine;

namespace {

using Fragments = std::vector<std::pair<std::string, double>>;

// A1111's output form: the text pieces (a dropped backslash is an empty one), adjacent equal weights merged, and
// [["", 1.0]] for nothing at all.
Fragments fragments(const ParsedPrompt &parsed)
{
    Fragments out;
    for (const PromptSpan &span : parsed.spans) {
        if (span.kind == PromptSpan::Kind::Open || span.kind == PromptSpan::Kind::Close)
            continue;
        if (!out.empty() && out.back().second == span.weight)
            out.back().first += span.text;
        else
            out.emplace_back(span.text, span.weight);
    }
    if (out.empty())
        out.emplace_back("", 1.0);
    return out;
}

Fragments fragmentsOf(const nlohmann::json &array)
{
    Fragments out;
    for (const auto &item : array)
        out.emplace_back(item[0].get<std::string>(), item[1].get<double>());
    return out;
}

} // namespace

class TestPromptWeighting : public QObject
{
    Q_OBJECT

    std::unique_ptr<PromptTokenizer> m_tokenizer;

    void checkWeighting(const std::string &prompt, const nlohmann::json &expected, const QString &id)
    {
        const ParsedPrompt parsed = parsePromptWeights(prompt);
        QCOMPARE(parsed.text, expected["syntax_free_text"].get<std::string>());
        const Fragments ours = fragments(parsed), theirs = fragmentsOf(expected["fragments"]);
        QCOMPARE(ours.size(), theirs.size());
        for (size_t i = 0; i < ours.size(); ++i) {
            QCOMPARE(ours[i].first, theirs[i].first);
            QVERIFY2(ours[i].second == theirs[i].second, qPrintable(id)); // the same doubles, bit for bit
        }
        const PromptTokenizer::Weighted weighted = m_tokenizer->tokenizeWeighted(prompt);
        const auto &pieces = expected["piece_weights"];
        QCOMPARE(weighted.pieces.size(), pieces.size());
        const size_t first = weighted.weights.size() - weighted.pieces.size();
        for (size_t i = 0; i < pieces.size(); ++i) {
            QCOMPARE(weighted.pieces[i], pieces[i][0].get<std::string>());
            QVERIFY2(weighted.weights[first + i] == float(pieces[i][1].get<double>()),
                     qPrintable(id + ": piece " + QString::number(i)));
        }
        QCOMPARE(weighted.tokens.truncated, expected["truncated"].get<bool>());
    }

private Q_SLOTS:
    void initTestCase() { m_tokenizer = PromptTokenizer::load(refine::modelDir()); }

    void a1111DocumentedExamples()
    {
        const std::vector<std::pair<std::string, Fragments>> examples = {
            {"normal text", {{"normal text", 1.0}}},
            {"an (important) word", {{"an ", 1.0}, {"important", 1.1}, {" word", 1.0}}},
            {"(unbalanced", {{"unbalanced", 1.1}}},
            {"\\(literal\\]", {{"(literal]", 1.0}}},
            {"(unnecessary)(parens)", {{"unnecessaryparens", 1.1}}},
            {"a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).",
             {{"a ", 1.0},
              {"house", 1.5730000000000004},
              {" ", 1.1},
              {"on", 1.0},
              {" a ", 1.1},
              {"hill", 0.55},
              {", sun, ", 1.1},
              {"sky", 1.4641000000000006},
              {".", 1.1}}},
        };
        for (const auto &[prompt, expected] : examples) {
            const Fragments ours = fragments(parsePromptWeights(prompt));
            QCOMPARE(ours.size(), expected.size());
            for (size_t i = 0; i < ours.size(); ++i) {
                QCOMPARE(ours[i].first, expected[i].first);
                QVERIFY2(ours[i].second == expected[i].second, prompt.c_str());
            }
        }
    }

    void everyEncodeCase_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < refine::cases()["encode"].size(); ++i)
            QTest::newRow(refine::cases()["encode"][i]["id"].get<std::string>().c_str()) << int(i);
    }
    void everyEncodeCase()
    {
        QFETCH(int, index);
        const auto &c = refine::cases()["encode"][size_t(index)];
        const QString id = refine::qs(c["id"]);
        checkWeighting(c["prompt"].get<std::string>(), c["prompt_weighting"], id);
        const PromptTokenizer::Weighted weighted = m_tokenizer->tokenizeWeighted(c["prompt"].get<std::string>());
        const at::Tensor ids = refine::tensor(c["outputs"]["prompt_input_ids"]).view(-1);
        const at::Tensor weights = refine::tensor(c["outputs"]["prompt_token_weights"]).view(-1);
        QCOMPARE(size_t(ids.numel()), weighted.tokens.inputIds.size());
        for (int64_t i = 0; i < ids.numel(); ++i) {
            QCOMPARE(weighted.tokens.inputIds[size_t(i)], ids[i].item<int64_t>());
            QCOMPARE(weighted.weights[size_t(i)], weights[i].item<float>());
        }
        if (c["negative_prompt"].is_string())
            checkWeighting(c["negative_prompt"].get<std::string>(), c["negative_weighting"], id + " negative");
    }

    void weightedGenerateCase()
    {
        for (const auto &c : refine::cases()["generate_weighted"]) {
            checkWeighting(c["prompt"].get<std::string>(), c["prompt_weighting"], refine::qs(c["id"]));
            checkWeighting(c["negative_prompt"].get<std::string>(), c["negative_weighting"], refine::qs(c["id"]));
        }
    }

    void plainPromptsAreUntouched()
    {
        for (const std::string prompt : {"一只橘猫，漫画风格", "A cat: ratio 16 to 9, {braces} BREAK AND", ""}) {
            const ParsedPrompt parsed = parsePromptWeights(prompt);
            QVERIFY(!parsed.hasSyntax);
            QCOMPARE(parsed.text, prompt);
            QCOMPARE(m_tokenizer->tokenizeWeighted(prompt).tokens.inputIds, m_tokenizer->tokenize(prompt).inputIds);
        }
    }

    void badWeightsAreRefused()
    {
        for (const std::string prompt : {"(cat:1.2.3)", "(x:.)", "a (b (c:..))"}) {
            bool refused = false;
            try {
                parsePromptWeights(prompt);
            } catch (const EngineError &e) {
                refused = e.code() == EngineError::Code::BadArgument;
            }
            QVERIFY2(refused, prompt.c_str());
        }
        // Without an open `(` the same text is no weight at all, as in A1111.
        QCOMPARE(parsePromptWeights("cat:1.2.3)").text, std::string("cat:1.2.3)"));
    }

    // What the editor highlights: every span covers its source bytes, in order, with its kind.
    void spansCoverTheSourceForHighlighting()
    {
        const std::string prompt = "a \\(b\\) (c:1.5) [d] x\\y )";
        const ParsedPrompt parsed = parsePromptWeights(prompt);
        size_t at = 0;
        std::string kinds;
        for (const PromptSpan &span : parsed.spans) {
            QCOMPARE(span.begin, at);
            at = span.end;
            kinds += "TLOCD"[int(span.kind)];
        }
        QCOMPARE(at, prompt.size());
        QCOMPARE(kinds, std::string("TLTLTOTCTOTCTDTT"));
        QCOMPARE(parsed.text, std::string("a (b) c d xy )"));
        QCOMPARE(formatPromptWeight(1.5), std::string("1.5"));
        QCOMPARE(formatPromptWeight(1.2100000000000002), std::string("1.21"));
        QCOMPARE(formatPromptWeight(0.9), std::string("0.9"));
        QCOMPARE(formatPromptWeight(1.0), std::string("1"));
    }
};

QTEST_GUILESS_MAIN(TestPromptWeighting)
#include "TestPromptWeighting.moc"
