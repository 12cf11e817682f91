#include "engine/text/SentencePieceModel.h"

#include "engine/common/EngineError.h"
#include "engine/text/SentencePieceModule.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

// Real tokenizer models are about 1 MB; anything far larger is not one.
constexpr uintmax_t kMaxModelBytes = 256ull * 1024 * 1024;

void appendText(void *context, const char *text, size_t length)
{
    static_cast<std::string *>(context)->append(text, length);
}

void assignIds(void *context, const int32_t *ids, size_t count)
{
    static_cast<std::vector<int32_t> *>(context)->assign(ids, ids + count);
}

} // namespace

std::shared_ptr<SentencePieceModel> SentencePieceModel::load(const std::string &path)
{
    const fs::path file = fs::u8path(path);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw EngineError(EngineError::Code::MissingFile, "missing file: " + path);
    const uintmax_t size = fs::file_size(file, ec);
    if (ec || size > kMaxModelBytes)
        throw EngineError(EngineError::Code::BadFile,
                          path + ": not a sentencepiece model (" + std::to_string(size) + " bytes)");
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
        throw EngineError(EngineError::Code::Io, "cannot read " + path);

    const SentencePieceModule &module = SentencePieceModule::instance();
    std::string error;
    StudioSpmModel *handle = module.load(bytes.data(), bytes.size(), appendText, &error);
    if (!handle)
        throw EngineError(EngineError::Code::BadFile, path + ": not a valid sentencepiece model (" + error + ")");
    std::shared_ptr<SentencePieceModel> model(new SentencePieceModel());
    model->m_module = &module;
    model->m_model = handle;
    model->m_pieceCount = module.pieceCount(handle);
    model->m_path = path;
    if (model->m_pieceCount <= 0)
        throw EngineError(EngineError::Code::BadFile, path + ": the sentencepiece model has no pieces");
    return model;
}

SentencePieceModel::~SentencePieceModel()
{
    if (m_model)
        m_module->free(m_model);
}

std::vector<int32_t> SentencePieceModel::encode(const std::string &utf8) const
{
    std::vector<int32_t> ids;
    std::string error;
    if (m_module->encode(m_model, utf8.data(), utf8.size(), assignIds, &ids, appendText, &error) != 0)
        throw EngineError(EngineError::Code::BadArgument, "sentencepiece cannot encode the prompt: " + error);
    return ids;
}

std::string SentencePieceModel::idToPiece(int32_t id) const
{
    std::string piece;
    if (m_module->idToPiece(m_model, id, appendText, &piece) != 0)
        throw EngineError(EngineError::Code::BadArgument,
                          "piece id " + std::to_string(id) + " is outside the vocabulary of " + m_path);
    return piece;
}

} // namespace studio::engine
