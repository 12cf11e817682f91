#pragma once

#include "engine/text/spm/StudioSpm.h"

#include <string>
#include <vector>

namespace studio::engine {

// The studio_sentencepiece module, loaded once per process (see spm/StudioSpm.h for why it is a module).
// Looked up in this order: $STUDIO_SPM_MODULE, next to the executable, <exe>/../lib/storyboard-studio,
// <exe>/../<libdir>/storyboard-studio (installed), then the build tree. The only platform-specific file of the
// text side (dlopen / LoadLibrary).
class SentencePieceModule
{
public:
    // Loads on first use. Throws EngineError::MissingFile listing every place it looked, or BadFile when a file
    // was found but is not a compatible module.
    static const SentencePieceModule &instance();
    static std::vector<std::string> searchPaths();

    const std::string &path() const { return m_path; }

    decltype(&studio_spm_load) load = nullptr;
    decltype(&studio_spm_free) free = nullptr;
    decltype(&studio_spm_piece_count) pieceCount = nullptr;
    decltype(&studio_spm_encode) encode = nullptr;
    decltype(&studio_spm_id_to_piece) idToPiece = nullptr;

private:
    SentencePieceModule() = default;
    std::string m_path;
};

} // namespace studio::engine
