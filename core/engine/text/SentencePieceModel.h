#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct StudioSpmModel;

namespace studio::engine {

class SentencePieceModule;

// One sentencepiece model (tokenizer.model) inside the studio_sentencepiece module. Immutable after load;
// encode() may be called from several threads.
class SentencePieceModel
{
public:
    // Throws EngineError: MissingFile / Io naming the file, BadFile when sentencepiece rejects it.
    static std::shared_ptr<SentencePieceModel> load(const std::string &path);
    ~SentencePieceModel();
    SentencePieceModel(const SentencePieceModel &) = delete;
    SentencePieceModel &operator=(const SentencePieceModel &) = delete;

    int pieceCount() const { return m_pieceCount; }
    std::vector<int32_t> encode(const std::string &utf8) const; // sentencepiece ids, no special tokens
    std::string idToPiece(int32_t id) const;                    // throws EngineError::BadArgument when out of range
    const std::string &path() const { return m_path; }

private:
    SentencePieceModel() = default;
    const SentencePieceModule *m_module = nullptr;
    StudioSpmModel *m_model = nullptr;
    int m_pieceCount = 0;
    std::string m_path;
};

} // namespace studio::engine
